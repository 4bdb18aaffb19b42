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

/* The checks every build makes on p. */
static int check_params(const tsu_cell_params *p, tk_err *err)
{
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
  return TK_OK;
}

static int alloc_cells(uint32_t n, tsu_cells **out, tk_err *err)
{
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
  *out = c;
  return TK_OK;
}

/* exp(-dt/tau), refused where the cell would (numerically) never move. */
static int memory_factor(double tau_s, double dt_s, double *e, tk_err *err)
{
  *e = tau_s > 0 ? exp(-dt_s / tau_s) : 0.0;
  if (*e >= 1.0 - 1e-7)
    return TK_FAIL(err, TK_ERANGE, "tau/dt=%g too large: the cell would "
                   "never change state", tau_s / dt_s);
  return TK_OK;
}

int tsu_cells_build(const tsu_cell_params *p, uint32_t n, tsu_cells **out,
                    tk_err *err)
{
  *out = NULL;
  TK_TRY(check_params(p, err));
  double e;
  TK_TRY(memory_factor(p->tau_s, p->dt_s, &e, err));
  tsu_cells *c;
  TK_TRY(alloc_cells(n, &c, err));
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

void tsu_cell_nodes_clear(tsu_cell_nodes *nd)
{
  if (nd == NULL)
    return;
  free(nd->v0_V);
  free(nd->vs_V);
  free(nd->tau_s);
  free(nd->v0_nom_V);
  free(nd->vs_nom_V);
  *nd = (tsu_cell_nodes){0};
}

int tsu_cells_build_nodes(const tsu_cell_params *p, const tsu_cell_nodes *nd,
                          tsu_cells **out, tk_err *err)
{
  *out = NULL;
  TK_TRY(check_params(p, err));
  if (nd == NULL || nd->v0_V == NULL || nd->vs_V == NULL ||
      (nd->v0_nom_V == NULL) != (nd->vs_nom_V == NULL))
    return TK_FAIL(err, TK_EINVAL, "per-node cells: v0 and vs (and both or "
                   "neither of the trimmed mapping) are required");
  for (uint32_t i = 0; i < nd->n; i++) {
    double v0n = nd->v0_nom_V ? nd->v0_nom_V[i] : p->v0_nom_V;
    double vsn = nd->vs_nom_V ? nd->vs_nom_V[i] : p->vs_nom_V;
    double tau = nd->tau_s && isfinite(nd->tau_s[i]) ? nd->tau_s[i]
                                                      : p->tau_s;
    if (!isfinite(nd->v0_V[i]) || !(nd->vs_V[i] > 0) ||
        !isfinite(nd->vs_V[i]) || !isfinite(v0n) || !(vsn > 0) ||
        !isfinite(vsn) || !(tau >= 0))
      return TK_FAIL(err, TK_ERANGE, "node %u: its cell (v0 %g V, vs %g V, "
                     "tau %g s, mapping %g V + %g V) is not a valid "
                     "logistic cell", i, nd->v0_V[i], nd->vs_V[i], tau, v0n,
                     vsn);
    if (tau > 0 && !(p->dt_s > 0))
      return TK_FAIL(err, TK_ERANGE, "update interval dt=%g s must be > 0",
                     p->dt_s);
  }
  tsu_cells *c;
  TK_TRY(alloc_cells(nd->n, &c, err));
  int mem = 0;
  for (uint32_t i = 0; i < nd->n; i++) {
    double v0n = nd->v0_nom_V ? nd->v0_nom_V[i] : p->v0_nom_V;
    double vsn = nd->vs_nom_V ? nd->vs_nom_V[i] : p->vs_nom_V;
    double tau = nd->tau_s && isfinite(nd->tau_s[i]) ? nd->tau_s[i]
                                                      : p->tau_s;
    int rc = memory_factor(tau, p->dt_s, &c->e[i], err);
    if (rc != 0) {
      tsu_cells_free(c);
      return rc;
    }
    /* vsn / vs first: exactly 2 beta for a trimmed cell at its design
     * temperature */
    c->a[i] = 2.0 * p->beta * (vsn / nd->vs_V[i]);
    c->b[i] = (v0n - nd->v0_V[i]) / nd->vs_V[i];
    mem |= c->e[i] > 0;
  }
  c->has_memory = mem;
  *out = c;
  return TK_OK;
}

double tsu_cell_p1(const tsu_cells *c, uint32_t i, double gamma, int x_old)
{
  double p = 1.0 / (1.0 + exp(-(c->a[i] * gamma + c->b[i])));
  return p + ((double)x_old - p) * c->e[i];
}
