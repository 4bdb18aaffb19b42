/* tsu_fast.h -- the fast chromatic Gibbs sampler: many chains at once.
 *
 * Chains are batched 64 to a 64-bit word: bit q of word (node, group)
 * holds chain 64*group + q (1 = spin +1).  Weights are shared by all
 * chains in fp32, stored per colour as a neighbour table (CSR in colour
 * order) and pre-scaled so the kernel computes
 *   acc = -log2(e) * (a_i gamma_i + b_i)
 * with one masked add per neighbour, then 2^acc = exp(-z) and the
 * Bernoulli draw  x = 1  iff  u (1 + 2^acc) < 1  (i.e. u < sigmoid(z)),
 * with the two-state memory folded into u (tsu_cell.h).
 *
 * Randomness: node update (sweep t, node at colour-order position p,
 * chain 64 g + q) uses the 16-bit field (p mod 2) of word q/16 of the
 * Philox4x32-10 block tk_rng_block_at(seed, stream = t,
 * ctr = (p - p mod 2) << 32 | (16 g + q mod 16)); u = (field + 1/2)/2^16.
 * Results therefore depend on (seed, chain, node, sweep) only, never on
 * the thread count.  The 16-bit uniform biases P(1) by at most 2^-17.
 *
 * Code paths: AVX-512 (16 chains per vector), AVX2 (8 per vector) and a
 * portable C path; TSU_PATH_AUTO takes the best the CPU supports
 * (__builtin_cpu_supports).  Each path is reproducible with itself; paths
 * may differ in the last bits of the exponential (FMA), so they agree in
 * distribution, not bit for bit.
 */
#ifndef TSU_FAST_H
#define TSU_FAST_H

#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_graph.h"

enum {
  TSU_PATH_AUTO = 0,
  TSU_PATH_PORTABLE = 1,
  TSU_PATH_AVX2 = 2,
  TSU_PATH_AVX512 = 3
};

typedef struct tsu_sampler tsu_sampler;

/* Plan a sampler for n_chains (>= 1; rounded up to a multiple of 64
 * internally) and draw the random start (Philox stream 2^64-1).  Fails
 * with TK_EUNSUPPORTED if `path` is not available on this CPU. */
int tsu_sampler_alloc(const tsu_graph *g, const tsu_coloring *col,
                      const tsu_cells *cells, uint32_t n_chains,
                      uint64_t seed, int path, tsu_sampler **out,
                      tk_err *err);
void tsu_sampler_free(tsu_sampler *s);

/* Run n_sweeps sweeps (each colour once) on n_threads OpenMP threads
 * (0: the OpenMP default). */
void tsu_sampler_run(tsu_sampler *s, uint64_t n_sweeps, int n_threads);

/* Sweeps done so far. */
uint64_t tsu_sampler_sweeps(const tsu_sampler *s);
/* State words: [n_nodes][n_groups], indexed by node id; n_groups is
 * ceil(n_chains/64).  Chains past n_chains in the last word are padding. */
const uint64_t *tsu_sampler_bits(const tsu_sampler *s, uint32_t *n_groups);
/* Spin (+1/-1) of one chain at one node. */
int tsu_sampler_spin(const tsu_sampler *s, uint32_t chain, uint32_t node);
/* The path in use: "avx512", "avx2" or "portable". */
const char *tsu_sampler_path_name(const tsu_sampler *s);
/* Best path supported by this CPU. */
int tsu_fast_best_path(void);
int tsu_fast_path_supported(int path);

#endif
