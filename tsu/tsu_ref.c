/* tsu_ref.c -- scalar reference chromatic Gibbs sweep.
 *
 * Workload: small graphs in tests (exact enumeration, 10-16 spins) and one
 * timed run in `tsukit bench gibbs`; clarity over speed.
 */
#include "tsu/tsu_ref.h"

void tsu_ref_init(uint32_t n, tk_rng *rng, int8_t *s)
{
  for (uint32_t i = 0; i < n; i++)
    s[i] = (tk_rng_u32(rng) & 1u) ? 1 : -1;
}

void tsu_ref_sweep(const tsu_graph *g, const tsu_coloring *col,
                   const tsu_cells *cells, tk_rng *rng, int8_t *s)
{
  for (uint32_t c = 0; c < col->n_colors; c++) {
    for (uint32_t k = col->start[c]; k < col->start[c + 1]; k++) {
      uint32_t i = col->order[k];
      double gamma = g->h[i];
      for (uint32_t q = g->off[i]; q < g->off[i + 1]; q++)
        gamma += g->adj_w[q] * s[g->adj[q]];
      double p = tsu_cell_p1(cells, i, gamma, s[i] > 0);
      s[i] = tk_rng_uniform(rng) < p ? 1 : -1;
    }
  }
}
