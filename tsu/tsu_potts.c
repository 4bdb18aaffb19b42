/* tsu_potts.c -- reference Gibbs sweep for categorical (Potts) cells.
 *
 * Workload: small graphs in tests (exact enumeration up to ~3^9 states);
 * clarity over speed.
 */
#include "tsu/tsu_potts.h"

#include <math.h>

int tsu_potts_check(const tsu_potts *p, tk_err *err)
{
  if (p->K < 2 || p->K > TSU_POTTS_MAX_K)
    return TK_FAIL(err, TK_ERANGE, "K=%u states outside 2..%d", p->K,
                   TSU_POTTS_MAX_K);
  if (!(p->beta >= 0) || !isfinite(p->beta))
    return TK_FAIL(err, TK_ERANGE, "beta=%g must be finite and >= 0",
                   p->beta);
  for (uint32_t i = 0; i < p->g->n * p->K; i++)
    if (!isfinite(p->h[i]))
      return TK_FAIL(err, TK_EINVAL, "node %u state %u: bias is not finite",
                     i / p->K, i % p->K);
  return TK_OK;
}

double tsu_potts_energy(const tsu_potts *p, const uint8_t *s)
{
  double e = 0;
  for (uint32_t i = 0; i < p->g->n; i++)
    e -= p->h[(size_t)i * p->K + s[i]];
  for (uint32_t k = 0; k < p->g->n_edges; k++)
    if (s[p->g->ei[k]] == s[p->g->ej[k]])
      e -= p->g->w[k];
  return e;
}

void tsu_potts_sweep(const tsu_potts *p, const tsu_coloring *col, tk_rng *rng,
                     uint8_t *s)
{
  const tsu_graph *g = p->g;
  double field[TSU_POTTS_MAX_K];
  for (uint32_t c = 0; c < col->n_colors; c++) {
    for (uint32_t q = col->start[c]; q < col->start[c + 1]; q++) {
      uint32_t i = col->order[q];
      for (uint32_t k = 0; k < p->K; k++)
        field[k] = p->h[(size_t)i * p->K + k];
      for (uint32_t a = g->off[i]; a < g->off[i + 1]; a++)
        field[s[g->adj[a]]] += g->adj_w[a];
      double fmax = field[0];
      for (uint32_t k = 1; k < p->K; k++)
        if (field[k] > fmax)
          fmax = field[k];
      double w[TSU_POTTS_MAX_K], z = 0;
      for (uint32_t k = 0; k < p->K; k++) {
        w[k] = exp(p->beta * (field[k] - fmax));
        z += w[k];
      }
      double u = tk_rng_uniform(rng) * z;
      uint32_t k = 0;
      while (k + 1 < p->K && u >= w[k]) {
        u -= w[k];
        k++;
      }
      s[i] = (uint8_t)k;
    }
  }
}
