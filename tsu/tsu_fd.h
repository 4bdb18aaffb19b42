/* tsu_fd.h -- Frechet distance between two sets of feature vectors
 * (FD-tsukit when the features come from tsu_clf_features()), and the
 * "marginal baseline": images of independent pixels drawn from the
 * per-pixel marginals of a data set.
 *
 * The Frechet (2-Wasserstein squared) distance between the Gaussians
 * N(mu1, C1) and N(mu2, C2) fitted to the two sets:
 *   FD = |mu1 - mu2|^2 + Tr(C1 + C2 - 2 (C1^1/2 C2 C1^1/2)^1/2).
 * Computed with two symmetric eigendecompositions (GSL): C1 = V L V^T
 * gives C1^1/2 = V L^1/2 V^T, then the eigenvalues m_i of the symmetric
 * M = C1^1/2 C2 C1^1/2 give Tr M^1/2 = sum_i sqrt(m_i).  Eigenvalues
 * at the rounding level (below d * DBL_EPSILON * the largest, negatives
 * included: rank-deficient covariances from fewer vectors than
 * dimensions or dead ReLU units) count as 0, and so does a total that
 * rounds below 0.  The result is symmetric in the two sets up to
 * rounding.  Means and covariances are accumulated in
 * double, in vector order, with the unbiased 1/(n-1) normalisation (as
 * numpy.cov and the usual FID code).
 *
 * Finite sets bias FD upwards (roughly in proportion to d / n): compare
 * values computed at equal set sizes only.
 *
 * Units: squared feature units (the features are dimensionless).
 * Workload: d up to a few hundred, n up to ~10^5 vectors; O(n d^2 + d^3).
 */
#ifndef TSU_FD_H
#define TSU_FD_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

/* Mean mu[d] and unbiased covariance cov[d][d] of n >= 2 vectors x[n][d]. */
int tsu_fd_moments(const double *x, size_t n, size_t d, double *mu,
                   double *cov, tk_err *err);

/* Frechet distance between N(mu1, c1) and N(mu2, c2) in d dimensions;
 * c1, c2 symmetric positive semi-definite [d][d].  Non-finite input is
 * TK_EINVAL; an eigensolver failure TK_ENUMERIC. */
int tsu_fd_gaussian(size_t d, const double *mu1, const double *c1,
                    const double *mu2, const double *c2, double *fd,
                    tk_err *err);

/* Frechet distance between two sets of vectors x1[n1][d], x2[n2][d]
 * (n1, n2 >= 2): moments, then tsu_fd_gaussian(). */
int tsu_fd_sets(const double *x1, size_t n1, const double *x2, size_t n2,
                size_t d, double *fd, tk_err *err);

/* Per-pixel marginals p[d] = fraction of the n images x[n][d] (bytes,
 * nonzero = lit) in which pixel j is lit. */
int tsu_fd_pixel_marginals(const uint8_t *x, size_t n, size_t d, double *p,
                           tk_err *err);

/* n images out[n][d] of independent pixels, pixel j lit (1, else 0) with
 * probability p[j] in [0, 1].  Pixel j of image i uses word j mod 4 of
 * tk_rng_block_at(seed, stream = i, ctr = j / 4): the images are a pure
 * function of (p, seed), and image i does not depend on n. */
int tsu_fd_marginal_draw(const double *p, size_t d, size_t n, uint64_t seed,
                         uint8_t *out, tk_err *err);

#endif
