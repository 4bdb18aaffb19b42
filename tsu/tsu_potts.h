/* tsu_potts.h -- categorical (Potts) cells: reference Gibbs kernel.
 *
 * States s_i in 0..K-1.  Energy
 *   E(s) = - sum_(ij) J_ij [s_i = s_j] - sum_i h_i(s_i),
 * P(s) ~ exp(-beta E).  A categorical cell samples the softmax
 *   P(s_i = k | rest) ~ exp(beta (h_i(k) + sum_j J_ij [s_j = k])),
 * the ideal response of a K-state cell (docs/ARCHITECTURE.md,
 * conventions).  The couplings come from a tsu_graph (its w), the per-state biases from a
 * separate [n][K] table.  Scalar double precision, one exp per state: the
 * oracle for a future fast categorical kernel.
 *
 * Many chains (tsu_potts_chains, the `tsukit sample --cells-kind potts`
 * path): the update of node i in sweep t of chain c draws its uniform
 * with tk_rng_uniform_at(seed, stream = c, ctr = t * n + i), the random
 * start s_i = floor(K u) with u at (seed, stream = 2^63 + c, ctr = i), so
 * a run is a pure function of (seed, chain, node, sweep) and is
 * bit-identical for any number of OpenMP threads (threads split chains;
 * moments are integer counts).
 *
 * Grid convention (`tsukit sample`): a graph's coupling J_ij multiplies
 * [s_i = s_j] and its single bias h_i acts on state 1, h_i(k) = h_i
 * [k = 1] (tsu_potts_bias_from_graph).  With states 0/1 read as spins
 * -1/+1 (the pbit mapping), K = 2 is then the Ising model with couplings
 * J/2 and biases h/2.
 */
#ifndef TSU_POTTS_H
#define TSU_POTTS_H

#include <stdint.h>

#include "common/tk_error.h"
#include "common/tk_rng.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_energy.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_moments.h"

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

/* h[n][K] from the graph's biases: h_i on state 1, 0 on the others. */
void tsu_potts_bias_from_graph(const tsu_graph *g, uint32_t K, double *h);

/* Moments of the occupancies P(s_i = k) (K columns per node) and the edge
 * agreements P(s_i = s_j) (tsu_moments.h, integer counts) over n_sweeps
 * recorded sweeps of n_chains chains of p. */
int tsu_potts_moments_alloc(const tsu_potts *p, uint32_t n_chains,
                            uint64_t n_sweeps, uint32_t n_batches,
                            tsu_moments **out, tk_err *err);

/* Many chains of one model (see above). */
typedef struct tsu_potts_chains tsu_potts_chains;

/* Plan n_chains >= 1 chains (tsu_potts_check is run) and draw the random
 * start; p, its graph and biases, and col must outlive the result. */
int tsu_potts_chains_alloc(const tsu_potts *p, const tsu_coloring *col,
                           uint32_t n_chains, uint64_t seed,
                           tsu_potts_chains **out, tk_err *err);
void tsu_potts_chains_free(tsu_potts_chains *s);
/* Run n_sweeps sweeps on n_threads OpenMP threads (0: the default),
 * adding every sweep's states to mom if it is not NULL. */
int tsu_potts_chains_run(tsu_potts_chains *s, uint64_t n_sweeps,
                         int n_threads, tsu_moments *mom, tk_err *err);
/* States [n_chains][n]; sweeps done; updates that changed a state. */
const uint8_t *tsu_potts_chains_states(const tsu_potts_chains *s);
uint64_t tsu_potts_chains_sweeps(const tsu_potts_chains *s);
uint64_t tsu_potts_chains_changes(const tsu_potts_chains *s);

/* Energy accounting of a run of these nodes (tsu_energy.h): the figures
 * of the cell behind a node, which the library-driven path fills from a
 * cat4 cell library (energy per sample, correlation time).  Zero keeps the
 * defaults of tsu_energy_default_params, which is what `tsukit sample
 * --cells-kind potts` reports for ideal cells. */
typedef struct tsu_potts_cell_energy {
  double e_update_J;    /* energy per independent cell sample, J (0: default) */
  double tau_s;         /* cell correlation time, s (0: one sample per update) */
  double dt_s;          /* time between updates of one cell, s (with tau_s) */
} tsu_potts_cell_energy;

/* All zero: the defaults. */
tsu_potts_cell_energy tsu_potts_cell_energy_default(void);
/* Put the nonzero figures of ce into ep (e_rng_J, tau_s, dt_s). */
void tsu_potts_cell_energy_apply(const tsu_potts_cell_energy *ce,
                              tsu_energy_params *ep);

#endif
