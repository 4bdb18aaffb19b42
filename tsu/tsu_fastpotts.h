/* tsu_fastpotts.h -- the fast categorical (Potts) Gibbs sampler: many
 * chains at once, SIMD code paths with runtime dispatch.
 *
 * Model: that of tsu_potts.h (states 0..K-1, K = 2..TSU_FASTPOTTS_MAX_K,
 * couplings J_ij from the graph, per-state biases h[n][K]); the update of
 * node i draws s_i from
 *   P(s_i = k | rest) ~ 2^(f_k),  f_k = beta log2(e) (h_i(k) + sum_j J_ij
 *   [s_j = k]),
 * colours in order 0..n_colors-1.
 *
 * Representation and precision (all paths): the scaled couplings
 * w_ij = beta log2(e) J_ij and biases are rounded once to fp32 from
 * double, in one of two modes chosen per plan (and per reload):
 *  - linear mode, when every node has max_k |h_i(k)| + 2 sum_j |w_ij|
 *    <= 100 (log2 units; every G12 chip with |J| <= 1 at beta <= ~2.5):
 *    the weights are products, never exponentials or divisions: G_k =
 *    the fp32 product of 2^(w_ij) (each rounded once from double) over
 *    the neighbours in state k (table order, even and odd entries in two
 *    partial products, G_k = even * odd), q = G_0 G_1 .. G_(K-2) (in
 *    that order), w_k = (G_k 2^(h_i(k))) q for k < K-1 and w_(K-1) =
 *    2^(h_i(K-1) + sum_j w_ij) (rounded once from double): the softmax
 *    weights times q; every intermediate stays within 2^(+-100), so
 *    each w_k carries a relative error of at most (degree + K + 3)
 *    2^-24 (~1e-6 on G12).  No exp2 or division per update.
 *  - log mode, otherwise: the field of state k < K-1 is the fp32 sum of
 *    the couplings of the neighbours in state k (table order), f_(K-1) =
 *    (sum of all couplings) - (the others) (absolute error a few ulp of
 *    the node's total |coupling|); w_k = 2^(f_k - max f) by a quartic
 *    (relative error < 2.7e-6; w_k < 2^-126 is clamped to 2^-126).
 * In both the draw is the inverse CDF: s = #{k < K-1 : w_0 + .. + w_k
 * <= u Z}, Z = sum w_k, u = (r + 1/2)/2^16 with r a 16-bit random field.
 * The draw's probabilities are those of the softmax rounded to the
 * 2^-16 grid of u: |P_fast(k) - P(k)| <= 2^-16 + 7e-6 for every state
 * (test_tsu_fastpotts enumerates all 2^16 u for random fields, in both
 * modes, and checks this against tsu_potts' double-precision softmax).
 * The linear mode replaced the log mode for small fields in issue 14:
 * the random numbers are the same, the arithmetic differs, so a seed's
 * Potts samples changed (in distribution they agree).  They changed
 * again in issue 14's third pass: Philox4x32-7 instead of -10 (as the
 * spin and Gaussian kernels) and the linear mode without its division
 * (w_(K-1) was 2^(h_i(K-1) + sum_j w_ij) / q, the others unscaled; the
 * bound counted the couplings once): same law, other bits.
 *
 * Randomness: chain c (lane l = c mod 16 of lane group g = c / 16) at
 * colour-order position p (the j-th, j = 0..7, of the octet of its
 * colour that starts at position P) in sweep t uses the 16-bit field
 * j mod 2 (bits 16 (j mod 2) ..) of word j / 2 of the Philox4x32-7 block
 * (tk_philox4x32_7) of (seed, stream = 2^60 + t, ctr = P << 32 | c).  The
 * random start is s_i = (r K) >> 16, r the high 16 bits of word 0 of
 * tk_rng_block_at(seed, stream = 2^60 + 2^59, ctr = i << 32 | c) (the
 * Philox4x32-10 block of tk_rng.h).  So a run is a pure
 * function of (seed, chain, node, sweep): bit-identical for any number
 * of threads, and across the code paths (tsu_fastnode_impl.h: one
 * source, IEEE single operations in a fixed order).
 *
 * Code paths (TSU_PATH_* of tsu_fast.h): AVX-512 (F/BW/DQ/VL), AVX2 and
 * portable; TSU_PATH_AUTO takes the best the CPU supports.
 *
 * Workload: G12 on a 70 x 70 grid with 256 chains at K = 4 (README.md
 * has the figures).  Per update and 16 chains: per neighbour a state
 * load and K-1 compare-and-multiply; the random words of 64 positions
 * are made before their updates (Philox's long dependency chain then
 * overlaps the updates' memory latency).
 *
 * Energy (tsu_energy.h): a Potts run is accounted with e_rng_J = the
 * model's e_update_J (tsu_potts.h) when it is > 0, else the default of
 * tsu_energy_default_params (the library-driven cat4 path fills it from
 * the cell library's energy per sample).
 */
#ifndef TSU_FASTPOTTS_H
#define TSU_FASTPOTTS_H

#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_moments.h"
#include "tsu/tsu_potts.h"

#define TSU_FASTPOTTS_MAX_K TSU_POTTS_MAX_K

typedef struct tsu_fastpotts tsu_fastpotts;

/* Plan n_chains >= 1 chains of model p (tsu_potts_check is run; p, its
 * graph and col must outlive the result) on code path `path`
 * (TSU_PATH_*; TK_EUNSUPPORTED if this CPU cannot run it) and draw the
 * random start. */
int tsu_fastpotts_alloc(const tsu_potts *p, const tsu_coloring *col,
                        uint32_t n_chains, uint64_t seed, int path,
                        tsu_fastpotts **out, tk_err *err);
void tsu_fastpotts_free(tsu_fastpotts *s);
/* New biases, couplings and beta for the same graph structure (same
 * nodes, same links in the same order) and the same K: chain states and
 * the sweep counter are kept (a calibrated cell's targets change without
 * re-planning). */
int tsu_fastpotts_reload(tsu_fastpotts *s, const tsu_potts *p, tk_err *err);
/* Run n_sweeps sweeps on n_threads OpenMP threads (0: the default; the
 * threads split lane groups of 16 chains), adding every sweep's states
 * to mom (tsu_potts_moments_alloc) if it is not NULL. */
int tsu_fastpotts_run(tsu_fastpotts *s, uint64_t n_sweeps, int n_threads,
                      tsu_moments *mom, tk_err *err);
/* State of one chain at one node, 0..K-1. */
uint8_t tsu_fastpotts_state(const tsu_fastpotts *s, uint32_t chain,
                            uint32_t node);
/* All states, row per chain: out[n_chains][n]. */
void tsu_fastpotts_states(const tsu_fastpotts *s, uint8_t *out);
/* Set one chain's state at one node (start states, clamped nodes);
 * values >= K are reduced mod K. */
void tsu_fastpotts_set_state(tsu_fastpotts *s, uint32_t chain, uint32_t node,
                             uint8_t k);
/* Chains split over processes (MPI ranks), as tsu_sampler_set_group_offset:
 * this sampler's lane group g (chains 16 g .. 16 g + 15) draws the random
 * numbers of global lane group g0 + g, so rank r with g0 = its first
 * global group runs exactly the chains 16 g0 + c of one process running
 * them all.  Before the first sweep the random start is redrawn for the
 * global chains too; later only the sweeps' numbers change.  TK_ERANGE if
 * 16 (g0 + groups) passes 2^32.  Default 0. */
int tsu_fastpotts_set_group_offset(tsu_fastpotts *s, uint32_t g0, tk_err *err);
uint64_t tsu_fastpotts_sweeps(const tsu_fastpotts *s);
/* Updates that changed a state, over all chains and sweeps so far. */
uint64_t tsu_fastpotts_changes(const tsu_fastpotts *s);
/* "avx512", "avx2" or "portable". */
const char *tsu_fastpotts_path_name(const tsu_fastpotts *s);

#endif
