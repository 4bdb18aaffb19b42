/* run_cellmeasure.c -- the per-kind measurement table (see
 * run_cellmeasure.h). */
#include "run/run_cellmeasure.h"

#include <stdio.h>
#include <string.h>

#include "circuits/ckt_measure.h"

int run_cell_lines_get(const ckt_cell_info *ci, const ckt_trace *tr,
                       double vdd_V, run_cell_lines *out, tk_err *err)
{
  memset(out, 0, sizeof *out);
  out->n = tr->n;
  out->dt_s = tr->dt_s;
  out->vdd_V = vdd_V;
  char buf[128], *save = NULL;
  snprintf(buf, sizeof buf, "%s", ci->outputs);
  for (char *tok = strtok_r(buf, ",", &save); tok != NULL;
       tok = strtok_r(NULL, ",", &save)) {
    if (out->n_lines == RUN_MAX_LINES)
      return TK_FAIL(err, TK_EINTERNAL, "%s: more than %d outputs",
                     ci->name, RUN_MAX_LINES);
    const double *v = ckt_trace_node(tr, tok);
    if (v == NULL)
      return TK_FAIL(err, TK_EINTERNAL, "no node %s", tok);
    out->v_V[out->n_lines++] = v;
  }
  if (out->n_lines == 0)
    return TK_FAIL(err, TK_EINTERNAL, "%s: no outputs", ci->name);
  return TK_OK;
}

static int pbit_figures(const run_cell_lines *l, const double *vctl_V,
                        double e_supply_J, io_trace_figs *f, tk_err *err)
{
  (void)vctl_V;
  f->kind = CKT_CELL_PBIT;
  return ckt_measure_pbit(l->v_V[0], l->n, l->dt_s, l->vdd_V, e_supply_J,
                          &f->pbit, err);
}

static void pbit_states(const run_cell_lines *l, uint8_t *state)
{
  const double *o = l->v_V[0];
  double lo = 0.3 * l->vdd_V, hi = 0.7 * l->vdd_V;
  int s = o[0] >= 0.5 * l->vdd_V;
  for (size_t k = 0; k < l->n; k++) {
    if (o[k] >= hi) s = 1;
    else if (o[k] <= lo) s = 0;
    state[k] = (uint8_t)s;
  }
}

static int cat_figures(const run_cell_lines *l, const double *vctl_V,
                       double e_supply_J, io_trace_figs *f, tk_err *err)
{
  (void)vctl_V;
  (void)e_supply_J;
  f->kind = CKT_CELL_CATEGORICAL;
  return ckt_measure_cat(l->v_V, l->n_lines, l->n, l->dt_s, l->vdd_V,
                         &f->cat, err);
}

static void cat_states(const run_cell_lines *l, uint8_t *state)
{
  int s = 0;
  for (size_t k = 0; k < l->n; k++) {
    for (unsigned q = 0; q < l->n_lines; q++)
      if (l->v_V[q][k] >= 0.7 * l->vdd_V) {
        s = (int)q;
        break;
      }
    state[k] = (uint8_t)s;
  }
}

static int gmm_figures(const run_cell_lines *l, const double *vctl_V,
                       double e_supply_J, io_trace_figs *f, tk_err *err)
{
  (void)e_supply_J;
  f->kind = CKT_CELL_GMM;
  return ckt_measure_gmm2(l->v_V[0], l->n, 0.5 * vctl_V[1], &f->gmm, err);
}

static const run_cellkind_measure table[CKT_CELL_N_KINDS] = {
  {CKT_CELL_PBIT, pbit_figures, pbit_states},
  {CKT_CELL_CATEGORICAL, cat_figures, cat_states},
  {CKT_CELL_GMM, gmm_figures, NULL},
};

const run_cellkind_measure *run_cellkind_measure_get(ckt_cellkind k)
{
  return (unsigned)k < CKT_CELL_N_KINDS ? &table[k] : NULL;
}
