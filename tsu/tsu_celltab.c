/* tsu_celltab.c -- temperature interpolation of calibrated cells.
 *
 * Workload: a handful of lookups per run on tables of < 100 temperatures.
 */
#include "tsu/tsu_celltab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tsu_celltab_free(tsu_celltab *t)
{
  if (t == NULL)
    return;
  free(t->temperature_K);
  free(t->v0_V);
  free(t->vs_V);
  free(t->tau_s);
  free(t->energy_J);
  free(t->v0_sigma_V);
  free(t->vs_sigma_V);
  free(t->inst_v0_V);
  free(t->inst_vs_V);
  free(t->inst_tau_s);
  free(t);
}

static double lerp(const double *y, size_t k, double f)
{
  return f == 0 ? y[k] : y[k] + f * (y[k + 1] - y[k]);
}

/* The bracketing interval of temp_K: rows k, k + 1 and weight f of k + 1. */
static int bracket(const tsu_celltab *t, double temp_K, size_t *k, double *f,
                   tk_err *err)
{
  size_t n = t->n_temp;
  if (n == 0)
    return TK_FAIL(err, TK_EFORMAT, "cell %s has no temperatures", t->name);
  double lo = t->temperature_K[0], hi = t->temperature_K[n - 1];
  if (!(temp_K >= lo - 1e-9 && temp_K <= hi + 1e-9))
    return TK_FAIL(err, TK_ERANGE, "temperature %.2f K outside the "
                   "calibrated range %.2f..%.2f K of cell %s", temp_K, lo, hi,
                   t->name);
  *k = 0;
  *f = 0;
  if (n > 1) {
    while (*k + 2 < n && temp_K > t->temperature_K[*k + 1])
      (*k)++;
    *f = (temp_K - t->temperature_K[*k]) /
         (t->temperature_K[*k + 1] - t->temperature_K[*k]);
    if (*f < 0) *f = 0;
    if (*f > 1) *f = 1;
  }
  return TK_OK;
}

int tsu_celltab_at(const tsu_celltab *t, double temp_K, tsu_cellpoint *out,
                   tk_err *err)
{
  size_t k;
  double f;
  TK_TRY(bracket(t, temp_K, &k, &f, err));
  out->v0_V = lerp(t->v0_V, k, f);
  out->vs_V = lerp(t->vs_V, k, f);
  out->tau_s = lerp(t->tau_s, k, f);
  out->tau_slowest_s = out->tau_s;
  out->energy_J = lerp(t->energy_J, k, f);
  out->v0_sigma_V = lerp(t->v0_sigma_V, k, f);
  out->vs_sigma_V = lerp(t->vs_sigma_V, k, f);
  if (!(out->vs_V > 0))
    return TK_FAIL(err, TK_EFORMAT, "cell %s: logistic scale %g V at %.2f K "
                   "is not > 0", t->name, out->vs_V, temp_K);
  return TK_OK;
}

/* Instance j's value of x [n_temp, n_inst] at (k, f); NaN when a row
 * that counts (weight > 0) has none. */
static double inst_at(const tsu_celltab *t, const double *x, size_t j,
                      size_t k, double f)
{
  double a = x[k * t->n_inst + j];
  if (f == 0)
    return a;
  double b = x[(k + 1) * t->n_inst + j];
  return f == 1 ? b : a + f * (b - a);
}

static int inst_ok(const tsu_celltab *t, size_t j, size_t k, double f)
{
  double v0 = inst_at(t, t->inst_v0_V, j, k, f);
  double vs = inst_at(t, t->inst_vs_V, j, k, f);
  return isfinite(v0) && isfinite(vs) && vs > 0;
}

int tsu_celltab_nodes(const tsu_celltab *t, double temp_K, double design_K,
                      int trim, uint32_t n, tsu_cell_nodes *out,
                      size_t *m_used, tk_err *err)
{
  *out = (tsu_cell_nodes){0};
  *m_used = 0;
  if (t->n_inst == 0 || t->inst_v0_V == NULL || t->inst_vs_V == NULL)
    return TK_FAIL(err, TK_EINVAL, "cell %s has no measured instances "
                   "(mismatch/instance_*: `tsukit calibrate --mc N`)",
                   t->name);
  size_t k, kd = 0;
  double f, fd = 0;
  TK_TRY(bracket(t, temp_K, &k, &f, err));
  if (trim)
    TK_TRY(bracket(t, design_K, &kd, &fd, err));
  size_t N = t->n_inst, M = 0;
  size_t *use = malloc(N * sizeof *use);
  if (use == NULL)
    return TK_FAIL(err, TK_ENOMEM, "instance index");
  for (size_t j = 0; j < N; j++)
    if (inst_ok(t, j, k, f) && (!trim || inst_ok(t, j, kd, fd)))
      use[M++] = j;
  if (M == 0) {
    free(use);
    return TK_FAIL(err, TK_ERANGE, "cell %s: none of its %zu instances "
                   "fitted at %.2f K%s", t->name, N, temp_K,
                   trim ? " and the design temperature" : "");
  }
  tsu_cell_nodes nd = {.n = n};
  size_t sz = (size_t)(n ? n : 1) * sizeof(double);
  nd.v0_V = malloc(sz);
  nd.vs_V = malloc(sz);
  nd.tau_s = malloc(sz);
  if (trim) {
    nd.v0_nom_V = malloc(sz);
    nd.vs_nom_V = malloc(sz);
  }
  if (!nd.v0_V || !nd.vs_V || !nd.tau_s ||
      (trim && (!nd.v0_nom_V || !nd.vs_nom_V))) {
    free(use);
    tsu_cell_nodes_clear(&nd);
    return TK_FAIL(err, TK_ENOMEM, "per-node cells for %u nodes", n);
  }
  for (uint32_t i = 0; i < n; i++) {
    size_t j = use[i % M];
    nd.v0_V[i] = inst_at(t, t->inst_v0_V, j, k, f);
    nd.vs_V[i] = inst_at(t, t->inst_vs_V, j, k, f);
    nd.tau_s[i] = t->inst_tau_s ? inst_at(t, t->inst_tau_s, j, k, f) : NAN;
    if (trim) {
      nd.v0_nom_V[i] = inst_at(t, t->inst_v0_V, j, kd, fd);
      nd.vs_nom_V[i] = inst_at(t, t->inst_vs_V, j, kd, fd);
    }
  }
  free(use);
  *out = nd;
  *m_used = M;
  return TK_OK;
}

int tsu_celltab_params(const tsu_celltab *t, double temp_K, double design_K,
                       double beta, double clock_Hz, unsigned n_colors,
                       uint64_t chip_seed, tsu_cell_params *out,
                       tsu_cellpoint *at, tk_err *err)
{
  tsu_cellpoint nom, cur;
  if (!(clock_Hz > 0) || !isfinite(clock_Hz))
    return TK_FAIL(err, TK_ERANGE, "clock %g Hz must be > 0", clock_Hz);
  TK_TRY(tsu_celltab_at(t, design_K, &nom, err));
  TK_TRY(tsu_celltab_at(t, temp_K, &cur, err));
  tsu_cell_params p = {0};
  p.beta = beta;
  p.v0_nom_V = nom.v0_V;
  p.vs_nom_V = nom.vs_V;
  p.v0_V = cur.v0_V;
  p.vs_V = cur.vs_V;
  p.v0_sigma_V = cur.v0_sigma_V > 0 ? cur.v0_sigma_V : 0;
  p.vs_sigma_rel = cur.vs_sigma_V > 0 ? cur.vs_sigma_V / cur.vs_V : 0;
  if (p.vs_sigma_rel > 0.3)
    p.vs_sigma_rel = 0.3;
  p.tau_s = cur.tau_s > 0 ? cur.tau_s : 0;
  p.dt_s = (n_colors > 0 ? n_colors : 1) / clock_Hz;
  p.chip_seed = chip_seed;
  *out = p;
  if (at != NULL)
    *at = cur;
  return TK_OK;
}

int tsu_celltab_cells(const tsu_celltab *t, double temp_K, double design_K,
                      double beta, double clock_Hz, unsigned n_colors,
                      uint64_t chip_seed, tsu_mismatch mode, int trim,
                      double trim_lsb_V, uint32_t n, tsu_cells **cells,
                      tsu_cell_params *cp,
                      tsu_cellpoint *at, char *desc, size_t size,
                      double *samples_per_update, tk_err *err)
{
  *cells = NULL;
  if (!(trim_lsb_V >= 0 && trim_lsb_V < 1) || (trim_lsb_V > 0 && !trim))
    return TK_FAIL(err, TK_ERANGE, "trim step %g V: >= 0 and < 1 V, and "
                   "only with --trim", trim_lsb_V);
  tsu_cellpoint here;
  if (at == NULL)
    at = &here;
  TK_TRY(tsu_celltab_params(t, temp_K, design_K, beta, clock_Hz, n_colors,
                            chip_seed, cp, at, err));
  if (mode == TSU_MISMATCH_AUTO)
    mode = t->n_inst > 0 && t->inst_v0_V != NULL && t->inst_vs_V != NULL
               ? TSU_MISMATCH_INSTANCES
               : TSU_MISMATCH_GAUSSIAN;
  if (trim && mode != TSU_MISMATCH_INSTANCES)
    return TK_FAIL(err, TK_EINVAL, "--trim sets each cell from its own "
                   "measured curve: it needs the library's instances "
                   "(`tsukit calibrate --mc N`; cell %s has %s) and "
                   "--mismatch auto or instances", t->name,
                   t->n_inst ? "them" : "none");
  if (mode == TSU_MISMATCH_INSTANCES) {
    tsu_cell_nodes nd;
    size_t m;
    TK_TRY(tsu_celltab_nodes(t, temp_K, design_K, trim, n, &nd, &m, err));
    if (trim && trim_lsb_V > 0)   /* the offset trim in DAC steps */
      for (uint32_t i = 0; i < n; i++)
        nd.v0_nom_V[i] = cp->v0_nom_V +
                         trim_lsb_V * round((nd.v0_nom_V[i] - cp->v0_nom_V) /
                                            trim_lsb_V);
    int rc = tsu_cells_build_nodes(cp, &nd, cells, err);
    size_t no_tau = 0;   /* nodes whose instance has no tau: nominal */
    double tau_max = 0, tau_sum = 0;
    for (uint32_t i = 0; i < n; i++) {
      no_tau += !isfinite(nd.tau_s[i]);
      double tau = isfinite(nd.tau_s[i]) ? nd.tau_s[i] : cp->tau_s;
      tau_max = fmax(tau_max, tau);
      tau_sum += tau;
    }
    at->tau_slowest_s = n > 0 ? tau_max : cp->tau_s;
    if (rc == 0 && samples_per_update != NULL) {
      double s = 0;
      for (uint32_t i = 0; i < n; i++) {
        double tau = isfinite(nd.tau_s[i]) ? nd.tau_s[i] : cp->tau_s;
        s += tau > 0 ? fmax(cp->dt_s / tau, 1) : 1;
      }
      *samples_per_update = n > 0 ? s / n : 1;
    }
    tsu_cell_nodes_clear(&nd);
    char step[256] = "";
    if (trim_lsb_V > 0)
      snprintf(step, sizeof step, ", the offset in steps of %.4g V",
               trim_lsb_V);
    if (no_tau > 0)
      snprintf(step + strlen(step), sizeof step - strlen(step), "; %zu "
               "node(s) whose instance has no tau take the nominal %.3g s",
               no_tau, cp->tau_s);
    if (n > 0)
      snprintf(step + strlen(step), sizeof step - strlen(step), "; tau "
               "%.3g s mean, %.3g s slowest", tau_sum / n, tau_max);
    if (rc == 0 && desc != NULL)
      snprintf(desc, size, "%s: %zu of %zu instances fitted, node i = "
               "instance i mod %zu, %s%s", trim ? "instances-trimmed"
                                                : "instances", m, t->n_inst,
               m, trim ? "each cell's mapping its own curve at the design "
                         "temperature"
                       : "untrimmed (the nominal cell's mapping)", step);
    return rc;
  }
  if (mode == TSU_MISMATCH_NONE)
    cp->v0_sigma_V = cp->vs_sigma_rel = 0;
  else if (!isfinite(at->v0_sigma_V) || !isfinite(at->vs_sigma_V))
    return TK_FAIL(err, TK_ERANGE, "cell %s: its mismatch spread is not "
                   "defined at %.2f K (fewer than two Monte-Carlo instances "
                   "fitted there); --mismatch instances or none", t->name,
                   temp_K);
  TK_TRY(tsu_cells_build(cp, n, cells, err));
  if (samples_per_update != NULL)
    *samples_per_update = cp->tau_s > 0 ? fmax(cp->dt_s / cp->tau_s, 1) : 1;
  if (desc != NULL) {
    if (mode == TSU_MISMATCH_NONE || (cp->v0_sigma_V == 0 &&
                                      cp->vs_sigma_rel == 0))
      snprintf(desc, size, "none: every node the nominal cell");
    else
      snprintf(desc, size, "gaussian: v0 sd %.4g V, vs sd %.4g of vs, "
               "drawn per node from the seed", cp->v0_sigma_V,
               cp->vs_sigma_rel);
  }
  return TK_OK;
}
