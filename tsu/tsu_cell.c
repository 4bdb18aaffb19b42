/* tsu_cell.c -- per-node cell response from cell parameters.
 *
 * Workload: built once per chip (n up to ~1e6 nodes); the samplers read
 * the a, b, e arrays.
 */
#include "tsu/tsu_cell.h"

#include <math.h>
#include <stdlib.h>

#include "common/tk_rng.h"

tsu_cell_params tsu_cell_ideal_params(double beta)
{
  tsu_cell_params p = {0};
  p.beta = beta;
  p.v0_nom_V = 0.0;
  p.vs_nom_V = 1.0;
  p.v0_V = 0.0;
  p.vs_V = 1.0;
  return p;
}

void tsu_cells_free(tsu_cells *c)
{
  if (c == NULL)
    return;
  free(c->a);
  free(c->b);
  free(c->e);
  free(c);
}

int tsu_cells_build(const tsu_cell_params *p, uint32_t n, tsu_cells **out,
                    tk_err *err)
{
  *out = NULL;
  if (!(p->beta >= 0) || !isfinite(p->beta))
    return TK_FAIL(err, TK_ERANGE, "beta=%g must be finite and >= 0", p->beta);
  if (!(p->vs_nom_V > 0) || !(p->vs_V > 0) || !isfinite(p->v0_V) ||
      !isfinite(p->v0_nom_V))
    return TK_FAIL(err, TK_ERANGE, "cell logistic scale must be > 0 "
                   "(vs_nom=%g V, vs=%g V)", p->vs_nom_V, p->vs_V);
  if (!(p->v0_sigma_V >= 0) || !(p->vs_sigma_rel >= 0) ||
      p->vs_sigma_rel > 0.3)
    return TK_FAIL(err, TK_ERANGE, "mismatch spreads must be >= 0 (and the "
                   "relative scale spread <= 0.3)");
  if (!(p->tau_s >= 0) || !isfinite(p->tau_s))
    return TK_FAIL(err, TK_ERANGE, "tau=%g s must be >= 0", p->tau_s);
  if (p->tau_s > 0 && !(p->dt_s > 0))
    return TK_FAIL(err, TK_ERANGE, "update interval dt=%g s must be > 0",
                   p->dt_s);
  tsu_cells *c = calloc(1, sizeof *c);
  if (c == NULL)
    return TK_FAIL(err, TK_ENOMEM, "cells");
  c->n = n;
  c->a = malloc((size_t)n * sizeof *c->a);
  c->b = malloc((size_t)n * sizeof *c->b);
  c->e = malloc((size_t)n * sizeof *c->e);
  if (c->a == NULL || c->b == NULL || c->e == NULL) {
    tsu_cells_free(c);
    return TK_FAIL(err, TK_ENOMEM, "cells for %u nodes", n);
  }
  double e = p->tau_s > 0 ? exp(-p->dt_s / p->tau_s) : 0.0;
  if (e >= 1.0 - 1e-7) {
    tsu_cells_free(c);
    return TK_FAIL(err, TK_ERANGE, "tau/dt=%g too large: the cell would "
                   "never change state", p->tau_s / p->dt_s);
  }
  for (uint32_t i = 0; i < n; i++) {
    double dv0 = 0, dvs = 0;
    if (p->v0_sigma_V > 0) {
      double z[2];
      tk_rng_gauss2_at(p->chip_seed, 3, i, z);
      dv0 = p->v0_sigma_V * z[0];
    }
    if (p->vs_sigma_rel > 0) {
      double z[2];
      tk_rng_gauss2_at(p->chip_seed, 4, i, z);
      dvs = p->vs_sigma_rel * z[0];
      if (dvs < -0.9)
        dvs = -0.9;
    }
    double v0i = p->v0_V + dv0, vsi = p->vs_V * (1.0 + dvs);
    c->a[i] = 2.0 * p->beta * p->vs_nom_V / vsi;
    c->b[i] = (p->v0_nom_V - v0i) / vsi;
    c->e[i] = e;
  }
  c->has_memory = e > 0;
  *out = c;
  return TK_OK;
}

double tsu_cell_p1(const tsu_cells *c, uint32_t i, double gamma, int x_old)
{
  double p = 1.0 / (1.0 + exp(-(c->a[i] * gamma + c->b[i])));
  return p + ((double)x_old - p) * c->e[i];
}
