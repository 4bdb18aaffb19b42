/* tsu_fastgauss.h -- the fast Gaussian-node Gibbs sampler: many chains
 * at once in fp32, SIMD code paths with runtime dispatch.
 *
 * Model: that of tsu_gauss.h (E = sum (a_i/2) x_i^2 - sum h_i x_i -
 * sum J_ij x_i x_j); the update of node i draws
 *   x_i = (h_i + sum_j J_ij x_j) / a_i + z / sqrt(beta a_i),  z ~ N(0,1),
 * colours in order 0..n_colors-1.
 *
 * Representation and precision (all paths): states, J_ij, h_i, 1/a_i
 * and 1/sqrt(beta a_i) in fp32; the conditional mean is the fp32 sum
 * h + J x (table order) times 1/a, relative error ~ (degree + 2) 2^-24 of
 * (|h| + sum |J x|)/a; the standard deviation is 1/sqrt(beta a) rounded
 * to fp32 (relative 2^-24).  Normals: three Box-Muller pairs from the
 * 128 bits of one random block, each from a 22-bit radius word k and a
 * 20-bit angle word c: u = (2 k + 1) 2^-23, r = sqrt(-2 ln u) (so
 * |z| <= r <= sqrt(46 ln 2) = 5.647: the cut removes probability
 * 2^-23 = 1.2e-7 of the radius and 1.6e-8 of each normal's tails), angle
 * q pi/2 + phi with q the top 2 bits of c and phi uniform on
 * (-pi/4, pi/4) from its 18 low bits (2^20 angles, 6.0e-6 rad apart).
 * ln by a degree-7 polynomial in the mantissa (no division), sin and cos
 * by degree-7/8 polynomials (tsu_fastnode_body_impl.h, fn_normal2);
 * |z| error < 1e-6 against the same definition in double
 * (test_tsu_fastgauss holds it there, tests the moments to 4th order,
 * the slots' independence and a Kolmogorov-Smirnov statistic, and the
 * conditional mean and sd against tsu_gauss' double ones).
 *
 * Randomness: chain c at colour-order position p, the j-th (j = 0..5)
 * of the six positions of its colour that start at position P, in
 * sweep t uses normal j of the Philox4x32-7 block (tk_philox4x32_7, 7
 * rounds as in the spin kernel; Potts keeps 10) of key = seed, counter
 * (c, P, stream = 2^61 + t), words w0..w3: normals 0, 1 are
 * the cosine and sine of the pair (k = w0 >> 10, c = w1 >> 12), 2, 3 of
 * (w2 >> 10, w3 >> 12), 4, 5 of (k = (w0 mod 2^10) 2^12 + (w1 mod 2^12),
 * c = (w2 mod 2^10) 2^10 + (w3 mod 2^10)).  (Before this definition, one
 * Philox4x32-10 block gave four normals from two 24/22-bit pairs: the
 * seed -> sample mapping of Gaussian runs changed with it.)  The random
 * start x_i = z / sqrt(beta a_i), z the first normal of
 * tk_rng_gauss2_at(seed, 2^61 + 2^59, i << 32 | c) (double, then
 * rounded).  A run is a pure function of (seed, chain, node, sweep):
 * bit-identical for any thread count and across the code paths.
 *
 * Code paths: as tsu_fastpotts.h.  Workload: G12, 70 x 70, 256 chains:
 * 0.53 updates/ns on one Zen 4 core with AVX-512, 0.34 with AVX2
 * (README.md); the normals of the next six positions are made while the
 * updates of these six wait on memory, the neighbour table is 16-bit where n <=
 * 65536.  Most of the time goes to the normals (Philox and Box-Muller),
 * not to the neighbour rows (README.md, "Where the Gaussian kernel's
 * time goes").  Divergence (a model whose diag(a) -
 * J is not positive definite): |x| > 1e30 or NaN after a sweep is
 * TK_ENUMERIC.
 *
 * Energy: a Gaussian run is accounted with e_rng_J = the model's
 * e_update_J (tsu_gauss.h) when it is > 0, else the default (the
 * library-driven gmm2 path fills it from the cell library).
 */
#ifndef TSU_FASTGAUSS_H
#define TSU_FASTGAUSS_H

#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_moments.h"

typedef struct tsu_fastgauss tsu_fastgauss;

/* Plan n_chains >= 1 chains of model m (tsu_gauss_check is run; m, its
 * graph and col must outlive the result) on code path `path` and draw
 * the random start; TK_ERANGE if a value does not fit fp32. */
int tsu_fastgauss_alloc(const tsu_gauss *m, const tsu_coloring *col,
                        uint32_t n_chains, uint64_t seed, int path,
                        tsu_fastgauss **out, tk_err *err);
void tsu_fastgauss_free(tsu_fastgauss *s);
/* New J, h, a, beta for the same graph structure; states and the sweep
 * counter are kept. */
int tsu_fastgauss_reload(tsu_fastgauss *s, const tsu_gauss *m, tk_err *err);
/* Run n_sweeps sweeps (threads as tsu_fastpotts_run), adding every
 * sweep's states to mom (tsu_gauss_moments_alloc) if it is not NULL;
 * TK_ENUMERIC on divergence (states as they were after the failing
 * sweep). */
int tsu_fastgauss_run(tsu_fastgauss *s, uint64_t n_sweeps, int n_threads,
                      tsu_moments *mom, tk_err *err);
float tsu_fastgauss_state(const tsu_fastgauss *s, uint32_t chain,
                          uint32_t node);
/* All states, row per chain, widened: out[n_chains][n]. */
void tsu_fastgauss_states(const tsu_fastgauss *s, double *out);
void tsu_fastgauss_set_state(tsu_fastgauss *s, uint32_t chain, uint32_t node,
                             float x);
/* Chains split over processes (MPI ranks), as tsu_sampler_set_group_offset:
 * this sampler's lane group g (chains 16 g .. 16 g + 15) draws the random
 * numbers of global lane group g0 + g, so rank r with g0 = its first
 * global group runs exactly the chains 16 g0 + c of one process running
 * them all.  Before the first sweep the random start is redrawn for the
 * global chains too; later only the sweeps' numbers change.  TK_ERANGE if
 * 16 (g0 + groups) passes 2^32.  Default 0. */
int tsu_fastgauss_set_group_offset(tsu_fastgauss *s, uint32_t g0, tk_err *err);
uint64_t tsu_fastgauss_sweeps(const tsu_fastgauss *s);
const char *tsu_fastgauss_path_name(const tsu_fastgauss *s);

#endif
