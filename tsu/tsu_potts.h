/* tsu_potts.h -- categorical (Potts) cells: reference Gibbs kernel.
 *
 * States s_i in 0..K-1.  Energy
 *   E(s) = - sum_(ij) J_ij [s_i = s_j] - sum_i h_i(s_i),
 * P(s) ~ exp(-beta E).  A categorical cell samples the softmax
 *   P(s_i = k | rest) ~ exp(beta (h_i(k) + sum_j J_ij [s_j = k])),
 * the ideal response of a K-state cell (DESIGN.md "categorical").  The
 * couplings come from a tsu_graph (its w), the per-state biases from a
 * separate [n][K] table.  Scalar double precision, one exp per state: the
 * oracle for a future fast categorical kernel.
 */
#ifndef TSU_POTTS_H
#define TSU_POTTS_H

#include <stdint.h>

#include "common/tk_error.h"
#include "common/tk_rng.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_graph.h"

#define TSU_POTTS_MAX_K 16

typedef struct tsu_potts {
  const tsu_graph *g;   /* couplings J_ij (g->w), not owned */
  uint32_t K;           /* states per cell, 2..TSU_POTTS_MAX_K */
  const double *h;      /* [n][K] per-state biases, not owned */
  double beta;          /* inverse temperature, >= 0 */
} tsu_potts;

/* Check K, beta and finiteness of h. */
int tsu_potts_check(const tsu_potts *p, tk_err *err);
/* Energy of one configuration. */
double tsu_potts_energy(const tsu_potts *p, const uint8_t *s);
/* One chromatic sweep of chain state s[n]. */
void tsu_potts_sweep(const tsu_potts *p, const tsu_coloring *col, tk_rng *rng,
                     uint8_t *s);

#endif
