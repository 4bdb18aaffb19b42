/* tsu_fast.h -- the fast chromatic Gibbs sampler: many chains at once.
 *
 * Chains are batched 64 to a 64-bit word: bit q of word (node, group)
 * holds chain 64*group + q (1 = spin +1).  Weights are shared by all
 * chains in fp32, stored per colour as a neighbour table (CSR in colour
 * order) and pre-scaled so the kernel computes
 *   acc = -log2(e) * (a_i gamma_i + b_i)
 * as a constant plus the weights of the neighbours at +1, then
 * 2^acc = exp(-z) and the Bernoulli draw  x = 1  iff  u (1 + 2^acc) < 1
 * (i.e. u < sigmoid(z)), with the two-state memory folded into u
 * (tsu_cell.h).
 *
 * Randomness: let colour-order position p be the h-th (h = 0 or 1) of
 * the pair that starts at pa = p - h (pairs counted from the start of
 * p's colour).  Its update in sweep t for chain 64 g + c (c = 0..63,
 * c_k bit k of c) uses the 16-bit field h (bits 16h .. 16h+15) of word
 * (c >> 3) & 3 of block b = 8 c2 + 4 c0 + 2 c5 + c1 of ARS-5 (AES
 * rounds, Salmon et al. SC'11; tk_rng.h) with key {seed, 0} and counter
 * {pa << 32 | (16 g + b), t}: tk_ars5_blocks(seed, pa << 32 | 16 g, t,
 * 16, ...); u = (field + 1/2)/2^16.  (The block and word order is the
 * AVX2 kernel's register layout, so that it needs no shuffles.)  ARS-5
 * since the change that made the AVX2 kernel about 1.4x faster (issue
 * 16); Philox4x32-7 before it, and Philox4x32-10 before that: the
 * seed -> sample mapping of every path changed at each.  The random
 * start keeps tk_rng_block_at.  Results therefore depend on (seed,
 * chain, node, sweep) only, never on the thread count or on which AES
 * instructions the CPU has (VAES, AES-NI or none: the same blocks), and
 * every code path draws the same u.  The 16-bit uniform biases P(1) by
 * at most 2^-17.
 *
 * Code paths: AVX-512 (16 chains per vector; on CPUs that also have
 * VBMI, GFNI and BMI2 a variant that sums neighbours by table lookup,
 * tsu_fast_avx512.c), AVX2 (64 chains per step, tsu_fast_avx2.c) and a
 * portable C path; TSU_PATH_AUTO takes the best the CPU supports
 * (__builtin_cpu_supports).  Each path is reproducible with itself on
 * any CPU that runs it; the AVX2 and portable paths compute the same
 * integers and IEEE operations and are bit-identical to each other.
 * Paths otherwise differ only in the rounding of acc and in 2^acc, so
 * they agree in distribution and disagree on a draw only where u lies
 * within the precisions stated below of P(1) (about 2e-5 at moderate
 * fields).
 *
 * AVX-512 paths: acc in fp32 as above; 2^acc: degree-6 Taylor polynomial
 * (relative error < 2e-7), or a cubic minimax fit in the VBMI/GFNI
 * variant (relative error < 7.5e-5, |error in P(1)| < 1.9e-5).
 *
 * AVX2 and portable paths, fixed point: the neighbours of a node are
 * taken in quads (4 per quad, n_q quads); quad t has a table of its 16
 * subset sums V_t[m] = round(2^F (sum of the weights of the neighbours
 * at +1 in m, plus the constant in quad 0)), and acc = 2^-F sum_t
 * V_t[m_t] exactly in int32.  F (per node) is the largest in 0..24 with
 * 2^F B + 63.5 n_q <= 2097088, B = |constant| + sum |weights| (so the
 * int32 stays below 2^21 and its parts fit the 16-bit lanes), and the
 * field is off by at most n_q 2^-(F+1): 2.3e-5 (log2 units) on G12 at
 * beta 0.5 (F = 16, n_q = 3).  The draw is x = 1 iff
 *   (r + 1/2 - x_old e 2^16) (1 + 2^acc) < (1 - e) 2^16,
 * r the 16-bit field, in IEEE single precision with one FMA, where acc
 * is clamped to [-100, 100] (no draw can change) and 2^acc = 2^floor(acc)
 * q(frac(acc)), q the cubic minimax of 2^z on [0,1) (relative error
 * < 7.5e-5, the AVX-512 GFNI kernel's; a quartic, 2.7e-6, until the
 * change that made the AVX2 kernel about 8 % faster: the samples of
 * these two paths changed there).  So |P_fast(1) - P(1)| <= (ln 2 / 4)
 * n_q 2^-(F+1) + 2e-5 on top of the uniform's grid 2^-17 (tested against tsu_cell_p1 in
 * test_tsu_fast).  A node with B >= 2^21 or more than 2080 neighbours
 * cannot be represented: tsu_sampler_alloc fails with TK_ERANGE on
 * these two paths.
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

/* Run n_sweeps sweeps updating only colours 0 .. n_active-1: nodes of
 * the later colours keep their state (clamped nodes, conditioning
 * inputs).  A sweep still counts once in the sweep counter, so the
 * random numbers are those the full sweep would use. */
void tsu_sampler_run_colors(tsu_sampler *s, uint64_t n_sweeps,
                            uint32_t n_active, int n_threads);
/* New couplings, biases and cell responses for the same graph structure
 * (same nodes, same links in the same order): training updates a model
 * without re-planning.  The chain states and the sweep counter are kept. */
int tsu_sampler_reload(tsu_sampler *s, const tsu_graph *g,
                       const tsu_cells *cells, tk_err *err);
/* Chains split over processes: this sampler's chain group g draws the
 * random numbers of global group g0 + g (the start state is not
 * affected; overwrite it through tsu_sampler_bits_mut).  Default 0. */
void tsu_sampler_set_group_offset(tsu_sampler *s, uint32_t g0);
/* Sweeps done so far. */
uint64_t tsu_sampler_sweeps(const tsu_sampler *s);
/* State words: [n_nodes][n_groups], indexed by node id; n_groups is
 * ceil(n_chains/64).  Chains past n_chains in the last word are padding. */
const uint64_t *tsu_sampler_bits(const tsu_sampler *s, uint32_t *n_groups);
/* The same words, writable: set clamped nodes and start states here
 * between runs. */
uint64_t *tsu_sampler_bits_mut(tsu_sampler *s, uint32_t *n_groups);
/* Spin (+1/-1) of one chain at one node. */
int tsu_sampler_spin(const tsu_sampler *s, uint32_t chain, uint32_t node);
/* The AES instructions the SIMD paths use for the random blocks
 * (tsu_fast.h "Randomness": the same blocks at every level, so this
 * only changes the speed).  Default: the best the CPU has. */
enum { TSU_AES_NONE = 0, TSU_AES_NI = 1, TSU_AES_VAES = 2 };
/* Use level `aes` (benchmarks compare them); fails with TK_EUNSUPPORTED
 * if the CPU lacks it.  TSU_AES_NONE: table-driven C rounds (CPUs
 * without AES instructions); the portable path uses AES-NI at the two
 * higher levels. */
int tsu_sampler_set_aes(tsu_sampler *s, int aes, tk_err *err);
/* "vaes", "aes-ni" or "none": what the sampler's kernel uses. */
const char *tsu_sampler_aes_name(const tsu_sampler *s);

/* The path in use: "avx512", "avx2" or "portable". */
const char *tsu_sampler_path_name(const tsu_sampler *s);
/* Best path supported by this CPU. */
int tsu_fast_best_path(void);
int tsu_fast_path_supported(int path);

#endif
