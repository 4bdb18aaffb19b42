/* ckt_subckt_native_dev.c -- a designer's subcircuit as a native cell
 * (see ckt_subckt_native.h): the model cards, the charges and EKV fits of
 * each distinct device, and the runs.
 *
 * Workload: a one-device .op per distinct (card, W, L) at translation;
 * per temperature and process three DC sweeps and a 4-parameter fit per
 * distinct device (tens of milliseconds); one phys_sde run per point.
 */
#include "circuits/ckt_subckt_native.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "circuits/ckt_extract.h"
#include "circuits/ckt_native.h"
#include "circuits/ckt_subckt_impl.h"
#include "circuits/ckt_subckt_native_impl.h"
#include "physics/phys_const.h"

/* Instance parameters that must equal those of a plain `M d g s b NAME
 * W= L=` (the device the extraction sees). */
const char *const ckt__sn_inst_pars[CKT__SN_NPAR] = {
  "m", "nf", "as", "ad", "ps", "pd", "nrs", "nrd", "delvto", "mulu0",
  "sa", "sb", "sd", "min", NULL};

/* ---- cards ---- */

void ckt__sn_card_free(sn_card *c)
{
  for (size_t i = 0; i < c->n; i++)
    free(c->lines[i]);
  free(c->lines);
}

static int push(sn_card *c, const char *line, tk_err *err)
{
  if (c->n >= CKT_CARD_MAX_LINES)
    return TK_FAIL(err, TK_ERANGE, "model %s: more than %d .param/.func "
                   "lines at the top level", c->model, CKT_CARD_MAX_LINES - 1);
  char **nl = realloc(c->lines, (c->n + 1) * sizeof *nl);
  if (nl == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  c->lines = nl;
  if ((c->lines[c->n] = strdup(line)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  c->n++;
  return TK_OK;
}

/* The card of model `model` for element inst: the file's top-level
 * .param / .func lines and its top-level `.model model nmos|pmos
 * level=14|54` line; TK_EINVAL naming what is missing. */
int ckt__sn_card_load(ckt_sn *n, size_t inst, const char *model,
                      sn_card *c, tk_err *err)
{
  char en[400];
  ckt__sn_el_name(n, inst, en, sizeof en);
  memset(c, 0, sizeof *c);
  snprintf(c->model, sizeof c->model, "%s", model);
  if (strchr(model, ':') != NULL || model[0] == '\0')
    return TK_FAIL(err, TK_EINVAL, "--engine native: %s: its model %s is "
                   "defined inside a subcircuit; the native engine takes "
                   "top-level .model cards only" SN_USE, en, model);
  char tok[8][CKT_SUBCKT_NAME_MAX];
  const ckt_subckt *s = n->s;
  int depth = 0, in_lib = 0, found = 0;
  for (size_t li = 0; li < s->n; li++) {
    size_t nt = ckt__subckt_tokens(s->lines[li], tok, 8);
    if (nt == 0)
      continue;
    if (in_lib) {
      in_lib = strcasecmp(tok[0], ".endl") != 0;
      continue;
    }
    if (strcasecmp(tok[0], ".lib") == 0 && nt == 2 && depth == 0) {
      in_lib = 1;
      continue;
    }
    if (strcasecmp(tok[0], ".subckt") == 0) {
      depth++;
      continue;
    }
    if (strcasecmp(tok[0], ".ends") == 0) {
      depth--;
      continue;
    }
    if (depth != 0)
      continue;
    if (strcasecmp(tok[0], ".param") == 0 || strcasecmp(tok[0], ".func") == 0)
      TK_TRY(push(c, s->lines[li], err));
    else if (strcasecmp(tok[0], ".model") == 0 && nt >= 3 &&
             strcasecmp(tok[1], model) == 0 && !found) {
      found = 1;
      if (strcasecmp(tok[2], "nmos") == 0)
        c->type = PHYS_NMOS;
      else if (strcasecmp(tok[2], "pmos") == 0)
        c->type = PHYS_PMOS;
      else
        return TK_FAIL(err, TK_EINVAL, "--engine native: %s: model %s is "
                       "of type %s, not nmos or pmos" SN_USE, en, model,
                       tok[2]);
      char (*all)[CKT_SUBCKT_NAME_MAX] = malloc(512 * sizeof *all);
      if (all == NULL)
        return TK_FAIL(err, TK_ENOMEM, "out of memory");
      size_t na = ckt__subckt_tokens(s->lines[li], all, 512);
      char lev[CKT_SUBCKT_NAME_MAX] = "";
      for (size_t i = 3; i < na; i++)
        if (strncasecmp(all[i], "level=", 6) == 0)
          snprintf(lev, sizeof lev, "%s", all[i] + 6);
      free(all);
      if (strcmp(lev, "14") != 0 && strcmp(lev, "54") != 0)
        return TK_FAIL(err, TK_EINVAL, "--engine native: %s: model %s is "
                       "level %s; the native engine takes BSIM4 cards "
                       "(level=14 or 54) only" SN_USE, en, model,
                       lev[0] ? lev : "1 (no level=)");
      TK_TRY(push(c, s->lines[li], err));
    }
  }
  if (!found)
    return TK_FAIL(err, TK_EINVAL, "--engine native: %s: no top-level "
                   ".model %s card in the file (binned, library-section "
                   "and built-in models are not translated)" SN_USE, en,
                   model);
  return TK_OK;
}

/* Each kind's charges from its card, and every device's instance
 * parameters against the plain device's (ipar[nmos][npar]). */
int ckt__sn_kinds_cv(ckt_sn *n, const double *ipar, tk_err *err)
{
  const size_t np = CKT__SN_NPAR;
  ckt_session *ses = NULL;
  TK_TRY(ckt_session_open(&ses, err));
  int rc = 0;
  for (size_t k = 0; k < n->nkind && rc == 0; k++) {
    sn_kind *kd = &n->kind[k];
    sn_card *c = &n->card[kd->card];
    ckt_card card = {(const char *const *)c->lines, c->n, c->model};
    char en[400];
    ckt__sn_el_name(n, kd->first, en, sizeof en);
    rc = ckt_extract_cv_card(ses, &card, c->type, kd->w_m, kd->l_m, &kd->cv,
                             err);
    if (rc != 0) {
      int st = rc == TK_ENOMEM ? rc : TK_EINVAL;
      tk_err_wrap(err, st, "--engine native: %.300s: charges of model %s",
                  en, c->model);
      if (err != NULL)
        err->status = st;
      rc = st;
      break;
    }
    double ref[16];
    for (size_t j = 0; ckt__sn_inst_pars[j] != NULL; j++)
      if (ckt_session_param(ses, "m1", ckt__sn_inst_pars[j], &ref[j], NULL) != 0)
        ref[j] = NAN;
    if (ckt_session_param(ses, c->model, "ute", &c->ute, NULL) != 0 ||
        !isfinite(c->ute))
      c->ute = -1.5;
    if (ckt_session_param(ses, c->model, "tnom", &c->tnom_K, NULL) != 0 ||
        !(c->tnom_K > 0))
      c->tnom_K = PHYS_TNOM_K;
    else if (c->tnom_K < 150)   /* given in Celsius */
      c->tnom_K += PHYS_T0_K;
    for (size_t d = 0; d < n->nmos && rc == 0; d++) {
      if (n->mos[d].kind != k)
        continue;
      for (size_t j = 0; ckt__sn_inst_pars[j] != NULL; j++) {
        double a = ipar[d * np + j], b = ref[j];
        if (isnan(a) && isnan(b))
          continue;
        if (!(fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b)))) {
          ckt__sn_el_name(n, n->mos[d].inst, en, sizeof en);
          rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: instance "
                       "parameter %s = %g (a plain device of the card has "
                       "%g): the extracted device would not be the one "
                       "ngspice simulates" SN_USE, en, ckt__sn_inst_pars[j], a, b);
          break;
        }
      }
    }
  }
  ckt_session_close(ses);
  return rc;
}

/* ---- extraction and runs ---- */

static const sn_temp *temp_find(const ckt_sn *n, double temp_K)
{
  for (size_t i = 0; i < n->ntc; i++)
    if (n->tc[i].temp_K == temp_K)
      return &n->tc[i];
  return NULL;
}

int ckt_sn_prepare(ckt_sn *n, double temp_K, tk_err *err)
{
  if (!(temp_K > 0) || !isfinite(temp_K))
    return TK_FAIL(err, TK_ERANGE, "native translation: temperature %g K",
                   temp_K);
  if (temp_find(n, temp_K) != NULL)
    return TK_OK;
  sn_temp t = {temp_K, calloc(n->nkind + 1, sizeof *t.p),
               calloc(n->nkind + 1, sizeof *t.cv)};
  if (t.p == NULL || t.cv == NULL) {
    free(t.p);
    free(t.cv);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  ckt_session *ses = NULL;
  int rc = ckt_session_open(&ses, err);
  for (size_t k = 0; k < n->nkind && rc == 0; k++) {
    const sn_kind *kd = &n->kind[k];
    const sn_card *c = &n->card[kd->card];
    ckt_card card = {(const char *const *)c->lines, c->n, c->model};
    ckt_extract_params ep = ckt_extract_default_params();
    ep.model = NULL;
    ep.card = &card;
    ep.type = c->type;
    ep.w_m = kd->w_m;
    ep.l_m = kd->l_m;
    ep.temp_K = temp_K;
    ep.vgs_lo_V = 0;
    ep.vgs_hi_V = n->vdd_V;
    ep.vgs_step_V = fmin(0.01, n->vdd_V / 40);
    ep.n_vds = 3;
    ep.vds_V[0] = fmin(0.05, n->vdd_V / 4);
    ep.vds_V[1] = 0.5 * n->vdd_V;
    ep.vds_V[2] = n->vdd_V;
    /* the currents alone: the switching-point fit and anchors of the
     * shipped cells (circuits/ckt_extract.h: vmid, vlin) need each
     * device's role, which a designer's kind (card, W, L; shared by
     * instances of any role) does not give: with vmid = V_DD / 2 the
     * example's pseudo-resistor pfet misses its card by 15 % at 280 K */
    ep.vmid_V = 0;
    ckt_extract_fit fit;
    char en[400];
    ckt__sn_el_name(n, kd->first, en, sizeof en);
    rc = ckt_extract_mos(ses, &ep, &t.p[k], &fit, err);
    if (rc != 0) {
      int st = rc == TK_ENOMEM ? rc : TK_EINVAL;
      tk_err_wrap(err, st, "--engine native: %.300s: EKV fit of model %s "
                  "at %g K", en, c->model, temp_K);
      if (err != NULL)
        err->status = st;
      rc = st;
      break;
    }
    if (!(fit.max_rel_err <= CKT_SN_FIT_MAX)) {
      rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: the EKV fit of "
                   "model %s (W %g, L %g m) misses the card's current by "
                   "up to %.0f %% at %g K (the bound is %.0f %%)" SN_USE, en,
                   c->model, kd->w_m, kd->l_m, 100 * fit.max_rel_err, temp_K,
                   100 * CKT_SN_FIT_MAX);
      break;
    }
    if (fit.max_rel_err > n->fit_max)
      n->fit_max = fit.max_rel_err;
    t.cv[k] = kd->cv;
    t.cv[k].kp_cv_A_per_V2 *= pow(temp_K / c->tnom_K, c->ute);
    tk_err e2 = {0};
    if (phys_mos_cv_check(&t.cv[k], &e2) != 0 ||
        !(t.cv[k].kp_cv_A_per_V2 >= t.p[k].kp_A_per_V2)) {
      rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: model %s: the "
                   "fitted current factor %g A/V^2 exceeds the card's "
                   "u0 cox %g A/V^2 at %g K (no charge normalisation)" SN_USE,
                   en, c->model, t.p[k].kp_A_per_V2,
                   t.cv[k].kp_cv_A_per_V2, temp_K);
      break;
    }
  }
  ckt_session_close(ses);
  if (rc == 0) {
    sn_temp *nt = realloc(n->tc, (n->ntc + 1) * sizeof *nt);
    if (nt == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    else {
      n->tc = nt;
      n->tc[n->ntc++] = t;
      return TK_OK;
    }
  }
  free(t.p);
  free(t.cv);
  return rc;
}

/* The cell's devices and resistors at temp_K (extracted once per
 * temperature), cv[k] the charges of MOSFET k there. */
static int sn_at_temp(ckt_sn *n, double temp_K, phys_mos_cv *cv,
                      tk_err *err)
{
  TK_TRY(ckt_sn_prepare(n, temp_K, err));
  const sn_temp *t = temp_find(n, temp_K);
  for (size_t k = 0; k < n->nmos; k++) {
    n->cell->mos[k].p = t->p[n->mos[k].kind];
    cv[k] = t->cv[n->mos[k].kind];
  }
  /* each resistor at the run's temperature, as ngspice has it */
  size_t r = 0;
  for (size_t k = 0; k < n->nres; k++) {
    const sn_res *x = &n->res[k];
    if (x->a == x->b || n->net[x->a].node == n->net[x->b].node)
      continue;
    double dt = temp_K - PHYS_TNOM_K;
    double f = x->tce != 0 ? pow(1.01, x->tce * dt)
                           : 1.0 + x->tc1 * dt + x->tc2 * dt * dt;
    n->cell->res[r++].r_ohm = x->r_ohm * f / x->m;
  }
  return TK_OK;
}

int ckt_sn_run(ckt_sn *n, double vctl_V, const ckt_sim_params *p,
               ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  if (!isfinite(vctl_V))
    return TK_FAIL(err, TK_EINVAL, "native run: control %g V", vctl_V);
  phys_mos_cv *cv = malloc((n->nmos + 1) * sizeof *cv);
  if (cv == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = sn_at_temp(n, p->temp_K, cv, err);
  if (rc == 0) {
    n->cell->nodes[n->ctl_node].v_V = vctl_V;
    rc = ckt_native_run_cv(n->cell, cv, p, tr, err);
  }
  free(cv);
  return rc;
}

int ckt_sn_run_batch(ckt_sn *n, const double *vctl_V,
                     const ckt_sim_params *p, size_t k, ckt_trace *tr,
                     int *rc, tk_err *errs, tk_err *err)
{
  if (k == 0)
    return TK_FAIL(err, TK_EINVAL, "empty batch");
  for (size_t i = 0; i < k; i++) {
    memset(&tr[i], 0, sizeof tr[i]);
    rc[i] = 0;
    memset(&errs[i], 0, sizeof errs[i]);
    if (p[i].temp_K != p[0].temp_K)
      return TK_FAIL(err, TK_EINVAL, "native batch: runs at %g and %g K "
                     "(one temperature per batch)", p[0].temp_K, p[i].temp_K);
    if (!isfinite(vctl_V[i]))
      return TK_FAIL(err, TK_EINVAL, "native run: control %g V", vctl_V[i]);
  }
  const size_t nn = n->cell->n_nodes;
  phys_mos_cv *cv = malloc((n->nmos + 1) * sizeof *cv);
  phys_cell *cells = malloc(k * sizeof *cells);
  phys_node *nodes = malloc(k * nn * sizeof *nodes);
  const phys_cell **cp = malloc(k * sizeof *cp);
  const phys_mos_cv **cvp = malloc(k * sizeof *cvp);
  int st = TK_OK;
  if (!cv || !cells || !nodes || !cp || !cvp)
    st = TK_FAIL(err, TK_ENOMEM, "out of memory");
  else
    st = sn_at_temp(n, p[0].temp_K, cv, err);
  if (st == TK_OK) {
    /* one cell per run: its own nodes (the control), the rest shared */
    for (size_t i = 0; i < k; i++) {
      cells[i] = *n->cell;
      cells[i].nodes = nodes + i * nn;
      memcpy(cells[i].nodes, n->cell->nodes, nn * sizeof *nodes);
      cells[i].nodes[n->ctl_node].v_V = vctl_V[i];
      cp[i] = &cells[i];
      cvp[i] = cv;
    }
    st = ckt_native_run_cv_batch(cp, cvp, p, k, PHYS_SDE_PATH_AUTO, tr, rc,
                                 errs, err);
    /* the shared cell as ckt_sn_run leaves it */
    n->cell->nodes[n->ctl_node].v_V = vctl_V[k - 1];
  }
  free(cv);
  free(cells);
  free(nodes);
  free(cp);
  free(cvp);
  return st;
}

void ckt_sn_describe(const ckt_sn *n, char *buf, size_t size)
{
  snprintf(buf, size, "m:%zu,r:%zu,c:%zu,v:%zu", n->nmos, n->nres, n->n_c,
           n->n_v);
}

size_t ckt_sn_nfree(const ckt_sn *n) { return n->nfree; }
double ckt_sn_fit_max(const ckt_sn *n) { return n->fit_max; }
