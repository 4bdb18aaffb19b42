/* io_trace.c -- trace files (see io_trace.h). */
#include "io/io_trace.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIG(name, member, count, summary) \
  {name, offsetof(io_trace_figs, member), count, summary}

static const io_trace_figdef pbit_figs[] = {
  FIG("p1", pbit.p1, 0, 1),
  FIG("tau_s", pbit.tau_s, 0, 1),
  FIG("tau_flip_s", pbit.tau_flip_s, 0, 0),
  FIG("flips", pbit.flips, 1, 1),
  FIG("energy_per_flip_J", pbit.e_per_flip_J, 0, 1),
};
static const io_trace_figdef cat_figs[] = {
  FIG("p0", cat.p[0], 0, 1),
  FIG("p1", cat.p[1], 0, 1),
  FIG("p2", cat.p[2], 0, 1),
  FIG("p3", cat.p[3], 0, 1),
  FIG("tau_s", cat.tau_s, 0, 1),
  FIG("flips", cat.flips, 1, 0),
};
static const io_trace_figdef gmm_figs[] = {
  FIG("mu0_V", gmm.mu_V[0], 0, 1),
  FIG("mu1_V", gmm.mu_V[1], 0, 1),
  FIG("sigma0_V", gmm.sigma_V[0], 0, 1),
  FIG("sigma1_V", gmm.sigma_V[1], 0, 1),
  FIG("w0", gmm.w0, 0, 1),
};

static const struct {
  const io_trace_figdef *rows;
  size_t n;
} figdefs[CKT_CELL_N_KINDS] = {
  [CKT_CELL_PBIT] = {pbit_figs, sizeof pbit_figs / sizeof pbit_figs[0]},
  [CKT_CELL_CATEGORICAL] = {cat_figs, sizeof cat_figs / sizeof cat_figs[0]},
  [CKT_CELL_GMM] = {gmm_figs, sizeof gmm_figs / sizeof gmm_figs[0]},
};

const io_trace_figdef *io_trace_figdefs(ckt_cellkind k, size_t *n)
{
  if ((unsigned)k >= CKT_CELL_N_KINDS) {
    *n = 0;
    return NULL;
  }
  *n = figdefs[k].n;
  return figdefs[k].rows;
}

double io_trace_fig_value(const io_trace_figs *f, const io_trace_figdef *d)
{
  const char *at = (const char *)f + d->offset;
  if (d->is_count) {
    size_t v;
    memcpy(&v, at, sizeof v);
    return (double)v;
  }
  double v;
  memcpy(&v, at, sizeof v);
  return v;
}

static int write_figs(io_file *f, const char *g, const io_trace_figs *x,
                      tk_err *err)
{
  size_t n = 0;
  const io_trace_figdef *d = io_trace_figdefs(x->kind, &n);
  if (d == NULL)
    return TK_FAIL(err, TK_EINVAL, "trace figures of unknown cell kind %d",
                   (int)x->kind);
  for (size_t i = 0; i < n; i++) {
    double v = io_trace_fig_value(x, &d[i]);
    TK_TRY(d[i].is_count ? io_attr_i64(f, g, d[i].name, (int64_t)v, err)
                         : io_attr_f64(f, g, d[i].name, v, err));
  }
  return TK_OK;
}

int io_trace_write_run(io_file *f, size_t idx, const io_trace_run *r,
                       tk_err *err)
{
  const ckt_trace *tr = r->tr;
  char g[64], p[128];
  snprintf(g, sizeof g, "/traces/run%zu", idx);
  TK_TRY(io_group(f, g, err));
  size_t dims[1] = {tr->n};
  snprintf(p, sizeof p, "%s/time_s", g);
  TK_TRY(io_write_f64(f, p, 1, dims, tr->time_s, "s", err));
  for (size_t i = 0; i < tr->n_nodes; i++) {
    snprintf(p, sizeof p, "%s/%s_V", g, tr->names[i]);
    TK_TRY(io_write_f64(f, p, 1, dims, tr->v_V + i * tr->n, "V", err));
    snprintf(p, sizeof p, "op_%s_V", tr->names[i]);
    TK_TRY(io_attr_f64(f, g, p, tr->v_V[i * tr->n], err));
  }
  for (size_t c = 0; c < r->n_ctl; c++) {
    snprintf(p, sizeof p, "vctl%zu_V", c);
    TK_TRY(io_attr_f64(f, g, p, r->vctl_V[c], err));
  }
  TK_TRY(io_attr_f64(f, g, "vctl_V", r->vctl_V[0], err));
  TK_TRY(io_attr_f64(f, g, "temp_K", r->temp_K, err));
  TK_TRY(io_attr_f64(f, g, "energy_supply_J", tr->e_supply_J, err));
  TK_TRY(io_attr_str(f, g, "netlist", tr->netlist, err));
  return write_figs(f, g, r->figs, err);
}

int io_trace_write_header(io_file *f, const io_trace_header *h, tk_err *err)
{
  TK_TRY(io_attr_str(f, "/", "kind", "trace", err));
  TK_TRY(io_attr_str(f, "/", "cell", h->cell, err));
  TK_TRY(io_attr_str(f, "/", "cell_kind", ckt_cellkind_name(h->kind), err));
  TK_TRY(io_attr_str(f, "/", "engine", h->engine, err));
  TK_TRY(io_attr_str(f, "/", "output_node", h->outputs, err));
  TK_TRY(io_attr_f64(f, "/", "vdd_V", h->vdd_V, err));
  return io_attr_i64(f, "/", "runs", (int64_t)h->runs, err);
}

int io_trace_info_read(io_file *f, io_trace_info *info, tk_err *err)
{
  memset(info, 0, sizeof *info);
  snprintf(info->outputs, sizeof info->outputs, "out");
  io_get_attr_str(f, "/", "output_node", info->outputs, sizeof info->outputs,
                  NULL);
  info->vdd_V = 1;
  io_get_attr_f64(f, "/", "vdd_V", &info->vdd_V, NULL);
  char kind[32] = "";
  if (io_get_attr_str(f, "/", "cell_kind", kind, sizeof kind, NULL) == 0 &&
      ckt_cellkind_from_name(kind, &info->kind, NULL) == 0)
    info->have_kind = 1;
  return io_list(f, "/traces", &info->runs, &info->n_runs, err);
}

void io_trace_info_clear(io_trace_info *info)
{
  io_names_free(info->runs, info->n_runs);
  info->runs = NULL;
  info->n_runs = 0;
}

int io_trace_rec_read(io_file *f, const io_trace_info *info, size_t r,
                      io_trace_rec *rec, tk_err *err)
{
  memset(rec, 0, sizeof *rec);
  rec->vctl_V = rec->vctl1_V = rec->tau_s = rec->p1 = NAN;
  if (r >= info->n_runs)
    return TK_FAIL(err, TK_EINVAL, "trace run %zu of %zu", r, info->n_runs);
  char g[128], path[192];
  snprintf(g, sizeof g, "/traces/%s", info->runs[r]);
  io_get_attr_f64(f, g, "tau_s", &rec->tau_s, NULL);
  io_get_attr_f64(f, g, "vctl_V", &rec->vctl_V, NULL);
  io_get_attr_f64(f, g, "vctl1_V", &rec->vctl1_V, NULL);
  io_get_attr_f64(f, g, "p1", &rec->p1, NULL);
  int rank;
  size_t dims[4];
  snprintf(path, sizeof path, "%s/time_s", g);
  TK_TRY(io_read_f64(f, path, &rec->time_s, &rank, dims, err));
  rec->n_time = dims[0];
  char lines[sizeof info->outputs], *save = NULL;
  snprintf(lines, sizeof lines, "%s", info->outputs);
  for (char *tok = strtok_r(lines, ",", &save); tok != NULL;
       tok = strtok_r(NULL, ",", &save)) {
    if (rec->n_lines == IO_TRACE_MAX_LINES)
      return TK_FAIL(err, TK_EFORMAT, "%s: more than %d output lines", g,
                     IO_TRACE_MAX_LINES);
    snprintf(path, sizeof path, "%s/%s_V", g, tok);
    TK_TRY(io_read_f64(f, path, &rec->line_V[rec->n_lines], &rank, dims,
                       err));
    if (rec->n_lines > 0 && dims[0] != rec->n_line)
      return TK_FAIL(err, TK_EFORMAT, "%s: output lines of different "
                     "lengths", g);
    rec->n_line = dims[0];
    rec->n_lines++;
  }
  return TK_OK;
}

void io_trace_rec_clear(io_trace_rec *rec)
{
  free(rec->time_s);
  for (unsigned k = 0; k < IO_TRACE_MAX_LINES; k++)
    free(rec->line_V[k]);
  memset(rec, 0, sizeof *rec);
}
