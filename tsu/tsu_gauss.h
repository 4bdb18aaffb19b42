/* tsu_gauss.h -- continuous cells: a Gaussian Markov random field sampled
 * by chromatic block Gibbs, many chains at once.
 *
 * States x_i real.  Energy on a tsu_graph (couplings J_ij = g->w, biases
 * h_i = g->h) with per-node self-couplings a_i > 0:
 *   E(x) = sum_i (a_i/2) x_i^2 - sum_i h_i x_i - sum_(ij) J_ij x_i x_j,
 * P(x) ~ exp(-beta E).  This is N(mu, Sigma) with precision
 * Q = beta (diag(a) - J) (J symmetric, zero diagonal), mu = (diag(a) -
 * J)^-1 h, Sigma = Q^-1, and exists only when diag(a) - J is positive
 * definite.  Checking that is the caller's duty (diagonal dominance,
 * a_i > sum_j |J_ij|, is a sufficient condition); a model that is not
 * makes the chains diverge, which the run detects (non-finite or
 * |x| > TSU_GAUSS_XMAX) and reports as TK_ENUMERIC.
 *
 * Conditional of a cell (the ideal response of a continuous cell):
 *   x_i | rest ~ N((h_i + sum_j J_ij x_j) / a_i, 1 / (beta a_i)).
 * Colours are updated in order 0..n_colors-1, every cell of a colour
 * from the states of the others.
 *
 * Randomness: the update of node i in sweep t of chain c uses the first
 * normal of tk_rng_gauss2_at(seed, stream = c, ctr = t * n + i); the
 * random start x_i ~ N(0, 1/(beta a_i)) the first normal at
 * (seed, stream = 2^63 + c, ctr = i).  A run is therefore a pure function
 * of (seed, chain, node, sweep): chains are split over OpenMP threads,
 * and moments are summed over chains in chain order, so results are
 * bit-identical for any thread count.
 *
 * Workload: reference-quality double precision, small to mid-size graphs
 * (tests: 8-12 nodes; `tsukit sample`: up to a 70x70 G12 grid with a few
 * hundred chains), about 60 ns per cell update and core on G12 (moments
 * included).
 */
#ifndef TSU_GAUSS_H
#define TSU_GAUSS_H

#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_energy.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_moments.h"

/* |x| beyond this counts as divergence (the model is not positive
 * definite, or nearly so). */
#define TSU_GAUSS_XMAX 1e100

typedef struct tsu_gauss {
  const tsu_graph *g;   /* couplings J_ij (g->w), biases h_i (g->h); not owned */
  const double *a;      /* [n] self-couplings a_i > 0 (precision diagonal / beta) */
  double beta;          /* inverse temperature, > 0 */
} tsu_gauss;

/* Check a_i > 0 and finite, beta > 0 and finite, finite J and h.  Does
 * not check positive definiteness (see above). */
int tsu_gauss_check(const tsu_gauss *m, tk_err *err);
/* Energy E(x) of one configuration x[n]. */
double tsu_gauss_energy(const tsu_gauss *m, const double *x);
/* a_i = margin + sum_j |J_ij| (margin > 0): diagonally dominant, so
 * diag(a) - J is positive definite for any couplings (the `tsukit sample
 * --cells-kind gauss` choice, margin 1). */
void tsu_gauss_diag_dominant(const tsu_graph *g, double margin, double *a);

/* Moments of the node means <x_i> and edge products <x_i x_j>
 * (tsu_moments.h, real sums) over n_sweeps recorded sweeps of n_chains
 * chains on g. */
int tsu_gauss_moments_alloc(const tsu_graph *g, uint32_t n_chains,
                            uint64_t n_sweeps, uint32_t n_batches,
                            tsu_moments **out, tk_err *err);

/* Many chains of one model. */
typedef struct tsu_gauss_chains tsu_gauss_chains;

/* Plan n_chains >= 1 chains (tsu_gauss_check is run) and draw the random
 * start.  m and col must outlive the result. */
int tsu_gauss_chains_alloc(const tsu_gauss *m, const tsu_coloring *col,
                           uint32_t n_chains, uint64_t seed,
                           tsu_gauss_chains **out, tk_err *err);
void tsu_gauss_chains_free(tsu_gauss_chains *s);
/* Run n_sweeps sweeps on n_threads OpenMP threads (0: the default),
 * adding every sweep's states to mom if it is not NULL.  TK_ENUMERIC
 * (states left as they were at the failing sweep) on divergence. */
int tsu_gauss_chains_run(tsu_gauss_chains *s, uint64_t n_sweeps,
                         int n_threads, tsu_moments *mom, tk_err *err);
/* States [n_chains][n] (row per chain), and sweeps done so far. */
const double *tsu_gauss_chains_states(const tsu_gauss_chains *s);
uint64_t tsu_gauss_chains_sweeps(const tsu_gauss_chains *s);

/* Energy accounting of a run of these nodes (tsu_energy.h): the figures
 * of the cell behind a node, which the library-driven path fills from a
 * gmm2 cell library (energy per sample, correlation time).  Zero keeps the
 * defaults of tsu_energy_default_params, which is what `tsukit sample
 * --cells-kind gauss` reports for ideal cells. */
typedef struct tsu_gauss_cell_energy {
  double e_update_J;    /* energy per independent cell sample, J (0: default) */
  double tau_s;         /* cell correlation time, s (0: one sample per update) */
  double dt_s;          /* time between updates of one cell, s (with tau_s) */
} tsu_gauss_cell_energy;

/* All zero: the defaults. */
tsu_gauss_cell_energy tsu_gauss_cell_energy_default(void);
/* Put the nonzero figures of ce into ep (e_rng_J, tau_s, dt_s). */
void tsu_gauss_cell_energy_apply(const tsu_gauss_cell_energy *ce,
                              tsu_energy_params *ep);

#endif
