/* tsu_celltab.c -- temperature interpolation of calibrated cells.
 *
 * Workload: a handful of lookups per run on tables of < 100 temperatures.
 */
#include "tsu/tsu_celltab.h"

#include <math.h>
#include <stdlib.h>

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
  free(t);
}

static double lerp(const double *y, size_t k, double f)
{
  return f == 0 ? y[k] : y[k] + f * (y[k + 1] - y[k]);
}

int tsu_celltab_at(const tsu_celltab *t, double temp_K, tsu_cellpoint *out,
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
  size_t k = 0;
  double f = 0;
  if (n > 1) {
    while (k + 2 < n && temp_K > t->temperature_K[k + 1])
      k++;
    f = (temp_K - t->temperature_K[k]) /
        (t->temperature_K[k + 1] - t->temperature_K[k]);
    if (f < 0) f = 0;
    if (f > 1) f = 1;
  }
  out->v0_V = lerp(t->v0_V, k, f);
  out->vs_V = lerp(t->vs_V, k, f);
  out->tau_s = lerp(t->tau_s, k, f);
  out->energy_J = lerp(t->energy_J, k, f);
  out->v0_sigma_V = lerp(t->v0_sigma_V, k, f);
  out->vs_sigma_V = lerp(t->vs_sigma_V, k, f);
  if (!(out->vs_V > 0))
    return TK_FAIL(err, TK_EFORMAT, "cell %s: logistic scale %g V at %.2f K "
                   "is not > 0", t->name, out->vs_V, temp_K);
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
