/* test_tsu_clf.c -- FD-tsukit: the Frechet distance and its classifier.
 *
 * Frechet distance (tsu_fd):
 *   - known answers: diagonal covariances, FD = |dmu|^2 + sum (sqrt a -
 *     sqrt b)^2, also rotated by a common orthogonal R (commuting case)
 *     and with zero variances (rank-deficient); a non-commuting 2x2 case
 *     against the closed form Tr sqrtm(A) = sqrt(tr A + 2 sqrt(det A))
 *     for A = C1 C2 (similar to C1^1/2 C2 C1^1/2); a random 6x6
 *     non-commuting case against a slow reference (Denman-Beavers
 *     iteration for sqrtm(C1 C2) with GSL LU inverses);
 *   - properties: identical sets give 0 (within 1e-9, full rank and
 *     rank-deficient), symmetry FD(a, b) = FD(b, a), a shift by c adds
 *     exactly |c|^2;
 *   - moments against a naive two-loop reference;
 *   - the marginal baseline: pixel frequencies within 4.5 binomial sigma
 *     of p (null: each frequency ~ N(p, p(1-p)/n), 64 pixels checked,
 *     false alarm < 5e-4), neighbour correlation within 4.5 / sqrt(n) of
 *     0, p = 0 and 1 exact, image i independent of n, seed-keyed.
 * Classifier (tsu_clf):
 *   - a synthetic separable set (10 random prototypes of density 0.3127,
 *     each pixel flipped with probability 0.0917; prototypes ~340 pixels
 *     apart, flips ~72 per image, so the Bayes error is < 1e-20): test
 *     accuracy >= 0.99;
 *   - determinism: 1 and 2 threads, and two runs with the same seed, give
 *     bit-identical weights; another seed gives different ones;
 *   - export / import round trip, and a slow double-precision reference
 *     forward pass from the exported arrays (probabilities within 1e-4);
 *   - bad input: labels out of range, no images, bad parameters, a
 *     diverging step size (TK_ENUMERIC);
 *   - Fashion-MNIST if /usr/share/datasets/fashion-mnist exists (else a
 *     TAP skip): default network, 5000 training images (under 2 s),
 *     test accuracy on the 10000 test images >= 0.80 (measured 0.836;
 *     training on all 60000 gives 0.879), and FD-tsukit(test half A,
 *     test half B) < FD(test half A, marginal baseline) / 20 (measured
 *     0.147 vs 105.8).
 * Seeds fixed: 0xfd01.., 0xc1f0...
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/tk_progress.h"
#include "common/tk_rng.h"
#include "io/io_idx.h"
#include "tests/tk_test.h"
#include "tsu/tsu_clf.h"
#include "tsu/tsu_fd.h"

#define NSIG 4.5

/* ---- Frechet distance ---------------------------------------------------- */

/* A random orthogonal d x d matrix (QR of a Gaussian matrix). */
static void random_orthogonal(size_t d, uint64_t seed, double *r)
{
  gsl_matrix *a = gsl_matrix_alloc(d, d), *q = gsl_matrix_alloc(d, d);
  gsl_matrix *rr = gsl_matrix_alloc(d, d);
  gsl_vector *tau = gsl_vector_alloc(d);
  tk_rng g;
  tk_rng_init(&g, seed, 0);
  for (size_t i = 0; i < d * d; i++)
    a->data[i] = tk_rng_gauss(&g);
  gsl_linalg_QR_decomp(a, tau);
  gsl_linalg_QR_unpack(a, tau, q, rr);
  memcpy(r, q->data, d * d * sizeof(double));
  gsl_matrix_free(a);
  gsl_matrix_free(q);
  gsl_matrix_free(rr);
  gsl_vector_free(tau);
}

/* c = R diag(l) R^T */
static void rotate_diag(size_t d, const double *r, const double *l, double *c)
{
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++) {
      double s = 0;
      for (size_t k = 0; k < d; k++)
        s += r[i * d + k] * l[k] * r[j * d + k];
      c[i * d + j] = s;
    }
}

static void check_fd_diagonal(void)
{
  enum { D = 5 };
  double mu1[D] = {0.2385, -1.137, 0.0, 2.718, 0.577};
  double mu2[D] = {0.1311, -0.937, 0.4142, 2.236, -0.301};
  double a[D] = {2.385, 0.731, 1.618, 0.0917, 3.303};
  double b[D] = {1.137, 0.229, 4.669, 0.577, 0.0313};
  double c1[D * D] = {0}, c2[D * D] = {0}, fd, exp_fd = 0;
  for (int i = 0; i < D; i++) {
    c1[i * D + i] = a[i];
    c2[i * D + i] = b[i];
    exp_fd += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]) +
              (sqrt(a[i]) - sqrt(b[i])) * (sqrt(a[i]) - sqrt(b[i]));
  }
  tk_err err = {0};
  int rc = tsu_fd_gaussian(D, mu1, c1, mu2, c2, &fd, &err);
  TKT_OK(rc == 0, "FD of diagonal Gaussians runs (%s)", tk_err_text(&err));
  TKT_REL(fd, exp_fd, 1e-12, "diagonal: FD = |dmu|^2 + sum (sqrt a - sqrt b)^2");

  /* Common rotation: C1 and C2 still commute, same answer. */
  double r[D * D];
  random_orthogonal(D, 0xfd0101, r);
  rotate_diag(D, r, a, c1);
  rotate_diag(D, r, b, c2);
  tsu_fd_gaussian(D, mu1, c1, mu2, c2, &fd, &err);
  TKT_REL(fd, exp_fd, 1e-11, "rotated commuting pair: same FD");

  /* Rank-deficient: zero variances in both, in different places. */
  a[1] = 0;
  a[3] = 0;
  b[3] = 0;
  b[4] = 0;
  exp_fd = 0;
  for (int i = 0; i < D; i++)
    exp_fd += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]) +
              (sqrt(a[i]) - sqrt(b[i])) * (sqrt(a[i]) - sqrt(b[i]));
  rotate_diag(D, r, a, c1);
  rotate_diag(D, r, b, c2);
  rc = tsu_fd_gaussian(D, mu1, c1, mu2, c2, &fd, &err);
  TKT_OK(rc == 0, "rank-deficient covariances accepted (%s)", tk_err_text(&err));
  TKT_REL(fd, exp_fd, 1e-9, "rank-deficient rotated pair: FD by formula");
}

static void check_fd_2x2(void)
{
  /* Non-commuting: C1 C2 != C2 C1. */
  double c1[4] = {2.385, 0.731, 0.731, 0.913};
  double c2[4] = {0.577, -0.402, -0.402, 1.618};
  double mu1[2] = {0.3127, -0.8813}, mu2[2] = {-0.1371, 0.2236};
  double a00 = c1[0] * c2[0] + c1[1] * c2[2], a11 = c1[2] * c2[1] + c1[3] * c2[3];
  double a01 = c1[0] * c2[1] + c1[1] * c2[3];
  double b01 = c2[0] * c1[1] + c2[1] * c1[3];
  double det1 = c1[0] * c1[3] - c1[1] * c1[2], det2 = c2[0] * c2[3] - c2[1] * c2[2];
  double tr_sqrt = sqrt(a00 + a11 + 2 * sqrt(det1 * det2));
  double dmu2 = (mu1[0] - mu2[0]) * (mu1[0] - mu2[0]) +
                (mu1[1] - mu2[1]) * (mu1[1] - mu2[1]);
  double exp_fd = dmu2 + c1[0] + c1[3] + c2[0] + c2[3] - 2 * tr_sqrt;
  double fd, fd_rev;
  tk_err err = {0};
  TKT_OK(fabs(a01 - b01) > 0.1, "2x2 pair does not commute ((C1C2)_01 = %g, "
         "(C2C1)_01 = %g)", a01, b01);
  tsu_fd_gaussian(2, mu1, c1, mu2, c2, &fd, &err);
  TKT_REL(fd, exp_fd, 1e-12, "non-commuting 2x2: closed form "
          "sqrt(tr C1C2 + 2 sqrt(det C1 det C2))");
  tsu_fd_gaussian(2, mu2, c2, mu1, c1, &fd_rev, &err);
  TKT_REL(fd_rev, fd, 1e-12, "2x2: FD(a, b) = FD(b, a)");
}

/* Trace of sqrtm(A) for a matrix with positive real eigenvalues, by the
 * Denman-Beavers iteration Y <- (Y + Z^-1) / 2, Z <- (Z + Y^-1) / 2,
 * (Y, Z) -> (A^1/2, A^-1/2).  Slow reference, independent of the
 * eigen-based route. */
static double trace_sqrtm_db(size_t d, const double *a)
{
  gsl_matrix *y = gsl_matrix_alloc(d, d), *z = gsl_matrix_alloc(d, d);
  gsl_matrix *yi = gsl_matrix_alloc(d, d), *zi = gsl_matrix_alloc(d, d);
  gsl_matrix *lu = gsl_matrix_alloc(d, d);
  gsl_permutation *perm = gsl_permutation_alloc(d);
  int sgn;
  memcpy(y->data, a, d * d * sizeof(double));
  gsl_matrix_set_identity(z);
  for (int it = 0; it < 60; it++) {
    gsl_matrix_memcpy(lu, y);
    gsl_linalg_LU_decomp(lu, perm, &sgn);
    gsl_linalg_LU_invert(lu, perm, yi);
    gsl_matrix_memcpy(lu, z);
    gsl_linalg_LU_decomp(lu, perm, &sgn);
    gsl_linalg_LU_invert(lu, perm, zi);
    for (size_t i = 0; i < d * d; i++) {
      y->data[i] = 0.5 * (y->data[i] + zi->data[i]);
      z->data[i] = 0.5 * (z->data[i] + yi->data[i]);
    }
  }
  double tr = 0;
  for (size_t i = 0; i < d; i++)
    tr += gsl_matrix_get(y, i, i);
  gsl_matrix_free(y);
  gsl_matrix_free(z);
  gsl_matrix_free(yi);
  gsl_matrix_free(zi);
  gsl_matrix_free(lu);
  gsl_permutation_free(perm);
  return tr;
}

static void check_fd_reference(void)
{
  enum { D = 6 };
  double r1[D * D], r2[D * D], c1[D * D], c2[D * D], a[D * D];
  double l1[D] = {2.385, 1.137, 0.731, 0.313, 0.0917, 3.303};
  double l2[D] = {0.577, 1.618, 4.669, 0.229, 0.831, 0.0479};
  double mu1[D], mu2[D], dmu2 = 0, tr = 0;
  random_orthogonal(D, 0xfd0201, r1);
  random_orthogonal(D, 0xfd0202, r2);
  rotate_diag(D, r1, l1, c1);
  rotate_diag(D, r2, l2, c2);
  tk_rng g;
  tk_rng_init(&g, 0xfd0203, 0);
  for (int i = 0; i < D; i++) {
    mu1[i] = tk_rng_gauss(&g);
    mu2[i] = tk_rng_gauss(&g);
    dmu2 += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
    tr += c1[i * D + i] + c2[i * D + i];
  }
  for (int i = 0; i < D; i++)
    for (int j = 0; j < D; j++) {
      double s = 0;
      for (int k = 0; k < D; k++)
        s += c1[i * D + k] * c2[k * D + j];
      a[i * D + j] = s;
    }
  double exp_fd = dmu2 + tr - 2 * trace_sqrtm_db(D, a);
  double fd, fd_rev;
  tk_err err = {0};
  tsu_fd_gaussian(D, mu1, c1, mu2, c2, &fd, &err);
  TKT_REL(fd, exp_fd, 1e-9, "random 6x6 non-commuting: FD matches the "
          "Denman-Beavers reference");
  tsu_fd_gaussian(D, mu2, c2, mu1, c1, &fd_rev, &err);
  TKT_REL(fd_rev, fd, 1e-10, "6x6: FD(a, b) = FD(b, a)");
}

/* n correlated Gaussian vectors x = A z + m in d dims. */
static double *gauss_set(size_t n, size_t d, uint64_t seed)
{
  double *x = malloc(n * d * sizeof *x), *amat = malloc(d * d * sizeof *amat);
  double *z = malloc(d * sizeof *z);
  tk_rng g;
  tk_rng_init(&g, seed, 0);
  for (size_t i = 0; i < d * d; i++)
    amat[i] = 0.37 * tk_rng_gauss(&g);
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < d; k++)
      z[k] = tk_rng_gauss(&g);
    for (size_t a = 0; a < d; a++) {
      double s = 0.731 * a;
      for (size_t k = 0; k < d; k++)
        s += amat[a * d + k] * z[k];
      x[i * d + a] = s;
    }
  }
  free(amat);
  free(z);
  return x;
}

static void check_fd_sets(void)
{
  enum { N = 700, D = 12 };
  tk_err err = {0};
  double *x = gauss_set(N, D, 0xfd0301), *y = gauss_set(N, D, 0xfd0302);
  double fd, fd_rev;
  int rc = tsu_fd_sets(x, N, x, N, D, &fd, &err);
  TKT_OK(rc == 0 && fabs(fd) <= 1e-9, "identical sets: FD = %.3g (limit 1e-9)", fd);
  rc = tsu_fd_sets(x, N, y, N, D, &fd, &err);
  tsu_fd_sets(y, N, x, N, D, &fd_rev, &err);
  TKT_OK(rc == 0 && fd > 1, "different sets: FD = %g > 1", fd);
  TKT_REL(fd_rev, fd, 1e-10, "sets: FD(a, b) = FD(b, a)");

  /* Shift: same covariance, FD = |c|^2. */
  double *xs = malloc(N * D * sizeof *xs), c2 = 0;
  for (size_t i = 0; i < N; i++)
    for (size_t a = 0; a < D; a++) {
      double c = 0.2385 * ((double)a - 4.5);
      xs[i * D + a] = x[i * D + a] + c;
      if (i == 0)
        c2 += c * c;
    }
  tsu_fd_sets(x, N, xs, N, D, &fd, &err);
  TKT_REL(fd, c2, 1e-9, "shifted copy: FD = |c|^2");

  /* Fewer vectors than dimensions, and a dead (constant) feature: rank
   * deficient, still 0 against itself. */
  for (size_t i = 0; i < 7; i++)
    x[i * D + 3] = 0.0;
  rc = tsu_fd_sets(x, 7, x, 7, D, &fd, &err);
  TKT_OK(rc == 0 && fabs(fd) <= 1e-9, "identical rank-6 sets in 12 dims: "
         "FD = %.3g (limit 1e-9)", fd);
  rc = tsu_fd_sets(x, 7, y, 9, D, &fd, &err);
  tsu_fd_sets(y, 9, x, 7, D, &fd_rev, &err);
  TKT_OK(rc == 0 && isfinite(fd) && fd > 0, "rank-deficient pair: FD = %g", fd);
  TKT_REL(fd_rev, fd, 1e-9, "rank-deficient pair: FD(a, b) = FD(b, a)");

  /* Moments against the naive reference. */
  double mu[D], cov[D * D], worst = 0;
  tsu_fd_moments(y, N, D, mu, cov, &err);
  for (size_t a = 0; a < D; a++)
    for (size_t b = 0; b < D; b++) {
      double ma = 0, mb = 0, s = 0;
      for (size_t i = 0; i < N; i++) {
        ma += y[i * D + a];
        mb += y[i * D + b];
      }
      ma /= N;
      mb /= N;
      for (size_t i = 0; i < N; i++)
        s += (y[i * D + a] - ma) * (y[i * D + b] - mb);
      s /= N - 1;
      worst = fmax(worst, fabs(s - cov[a * D + b]) / (fabs(s) + 1e-300));
      if (a == 0)
        worst = fmax(worst, fabs(mb - mu[b]) / fabs(mb));
    }
  TKT_OK(worst < 1e-12, "moments match the naive reference (worst relative "
         "error %.2g, limit 1e-12)", worst);

  /* Bad input. */
  double nan_x[4] = {1, NAN, 2, 3};
  rc = tsu_fd_sets(nan_x, 2, x, 2, 2, &fd, &err);
  TKT_OK(rc == TK_EINVAL, "NaN feature rejected: %s", tk_err_text(&err));
  rc = tsu_fd_sets(x, 1, y, 5, D, &fd, &err);
  TKT_OK(rc == TK_EINVAL, "a single vector rejected: %s", tk_err_text(&err));
  free(x);
  free(y);
  free(xs);
}

static void check_marginal(void)
{
  enum { D = 64, N = 20000 };
  double p[D];
  for (int j = 0; j < D; j++)
    p[j] = 0.5 + 0.49 * sin(2.385 * j);
  p[0] = 0;
  p[1] = 1;
  uint8_t *x = malloc((size_t)N * D), *x2 = malloc(10 * D);
  tk_err err = {0};
  int rc = tsu_fd_marginal_draw(p, D, N, 0xfd0401, x, &err);
  TKT_OK(rc == 0, "marginal draw runs");
  double q[D], worst = 0, worst_corr = 0;
  tsu_fd_pixel_marginals(x, N, D, q, &err);
  TKT_OK(q[0] == 0 && q[1] == 1, "p = 0 and p = 1 pixels exact (%g, %g)",
         q[0], q[1]);
  for (int j = 2; j < D; j++) {
    double s = sqrt(p[j] * (1 - p[j]) / N);
    worst = fmax(worst, fabs(q[j] - p[j]) / s);
  }
  TKT_OK(worst <= NSIG, "pixel frequencies within %.1f sigma of p (worst "
         "%.2f sigma)", NSIG, worst);
  /* Neighbour correlations: null N(0, 1/N) each, 61 pairs. */
  for (int j = 2; j + 1 < D; j++) {
    double sab = 0;
    for (int i = 0; i < N; i++)
      sab += (x[(size_t)i * D + j] - q[j]) * (x[(size_t)i * D + j + 1] - q[j + 1]);
    double r = sab / N / sqrt(q[j] * (1 - q[j]) * q[j + 1] * (1 - q[j + 1]));
    worst_corr = fmax(worst_corr, fabs(r) * sqrt((double)N));
  }
  TKT_OK(worst_corr <= NSIG, "neighbour pixels uncorrelated (worst %.2f "
         "sigma, limit %.1f)", worst_corr, NSIG);
  tsu_fd_marginal_draw(p, D, 10, 0xfd0401, x2, &err);
  TKT_OK(memcmp(x, x2, 10 * D) == 0, "image i does not depend on n");
  tsu_fd_marginal_draw(p, D, 10, 0xfd0402, x2, &err);
  TKT_OK(memcmp(x, x2, 10 * D) != 0, "another seed, other images");
  p[5] = 1.5;
  rc = tsu_fd_marginal_draw(p, D, 10, 1, x2, &err);
  TKT_OK(rc == TK_EINVAL, "p > 1 rejected: %s", tk_err_text(&err));
  free(x);
  free(x2);
}

/* ---- classifier ---------------------------------------------------------- */

#define NPIX 784

/* n images of 10 noisy prototypes; labels i mod 10 shuffled by seed. */
static void synthetic(size_t n, uint64_t seed, uint8_t *x, uint8_t *y)
{
  uint8_t proto[10][NPIX];
  tk_rng g;
  tk_rng_init(&g, 0xc1f001, 0);   /* same prototypes for every set */
  for (int c = 0; c < 10; c++)
    for (int j = 0; j < NPIX; j++)
      proto[c][j] = tk_rng_uniform(&g) < 0.3127;
  tk_rng_init(&g, seed, 1);
  for (size_t i = 0; i < n; i++) {
    uint8_t c = (uint8_t)tk_rng_below(&g, 10);
    y[i] = c;
    for (int j = 0; j < NPIX; j++)
      x[i * NPIX + j] = proto[c][j] ^ (tk_rng_uniform(&g) < 0.0917);
  }
}

static int same_weights(const tsu_clf *a, const tsu_clf *b)
{
  if (tsu_clf_n_arrays(a) != tsu_clf_n_arrays(b))
    return 0;
  for (size_t i = 0; i < tsu_clf_n_arrays(a); i++) {
    tsu_clf_array u, v;
    tsu_clf_array_get(a, i, &u, NULL);
    tsu_clf_array_get(b, i, &v, NULL);
    size_t m = (size_t)u.dims[0] * (u.ndim == 2 ? u.dims[1] : 1);
    if (u.dims[0] != v.dims[0] || u.dims[1] != v.dims[1] ||
        memcmp(u.data, v.data, m * sizeof(float)) != 0)
      return 0;
  }
  return 1;
}

/* Slow reference: double-precision forward pass from the exported
 * arrays; writes the softmax probabilities p[K]. */
static void reference_probs(const tsu_clf *c, const uint8_t *x, double *p)
{
  double h[TSU_CLF_MAX_WIDTH], o[TSU_CLF_MAX_WIDTH];
  uint32_t L = c->n_layers;
  for (uint32_t j = 0; j < c->size[0]; j++)
    h[j] = x[j] ? 1.0 : 0.0;
  for (uint32_t l = 0; l < L; l++) {
    tsu_clf_array w, b;
    tsu_clf_array_get(c, 2 * l, &w, NULL);
    tsu_clf_array_get(c, 2 * l + 1, &b, NULL);
    for (uint32_t k = 0; k < w.dims[1]; k++) {
      double s = b.data[k];
      for (uint32_t j = 0; j < w.dims[0]; j++)
        s += h[j] * w.data[(size_t)j * w.dims[1] + k];
      o[k] = (l + 1 < L && s < 0) ? 0 : s;
    }
    memcpy(h, o, w.dims[1] * sizeof(double));
  }
  uint32_t K = c->size[L];
  double mx = h[0], s = 0;
  for (uint32_t k = 1; k < K; k++)
    mx = fmax(mx, h[k]);
  for (uint32_t k = 0; k < K; k++)
    s += exp(h[k] - mx);
  for (uint32_t k = 0; k < K; k++)
    p[k] = exp(h[k] - mx) / s;
}

static void check_synthetic(void)
{
  enum { NTR = 2000, NTE = 1000 };
  uint8_t *x = malloc((size_t)NTR * NPIX), *y = malloc(NTR);
  uint8_t *xt = malloc((size_t)NTE * NPIX), *yt = malloc(NTE);
  synthetic(NTR, 0xc1f002, x, y);
  synthetic(NTE, 0xc1f003, xt, yt);
  tsu_clf_params p = tsu_clf_default_params();
  p.hidden[0] = 96;
  p.hidden[1] = 24;
  p.epochs = 3;
  p.batch = 50;
  p.quiet = 1;
  p.n_threads = 1;
  tsu_clf *c1 = NULL, *c2 = NULL, *c3 = NULL, *c4 = NULL;
  tk_err err = {0};
  double loss, acc;
  int rc = tsu_clf_train(&p, x, y, NTR, NPIX, &c1, &loss, &err);
  TKT_OK(rc == 0, "synthetic training runs (%s)", tk_err_text(&err));
  if (rc != 0)
    exit(tkt_done());
  tsu_clf_accuracy(c1, xt, yt, NTE, 0, &acc, &err);
  TKT_IN(acc, 0.99, 1.0, "synthetic separable set: test accuracy ~ 1");
  TKT_OK(tsu_clf_n_features(c1) == 24, "feature dimension is the last "
         "hidden width (%u)", tsu_clf_n_features(c1));

  p.n_threads = 2;
  tsu_clf_train(&p, x, y, NTR, NPIX, &c2, NULL, &err);
  TKT_OK(same_weights(c1, c2), "1 and 2 threads: bit-identical weights");
  p.n_threads = 0;
  tsu_clf_train(&p, x, y, NTR, NPIX, &c3, NULL, &err);
  TKT_OK(same_weights(c1, c3), "same seed, default threads: bit-identical "
         "weights");
  p.seed ^= 1;
  tsu_clf_train(&p, x, y, NTR, NPIX, &c4, NULL, &err);
  TKT_OK(!same_weights(c1, c4), "another seed: other weights");

  /* Export / import. */
  tsu_clf *imp = NULL;
  rc = tsu_clf_alloc(c1->n_layers, c1->size, &imp, &err);
  for (size_t i = 0; rc == 0 && i < tsu_clf_n_arrays(c1); i++) {
    tsu_clf_array a, b;
    tsu_clf_array_get(c1, i, &a, &err);
    tsu_clf_array_get(imp, i, &b, &err);
    size_t m = (size_t)a.dims[0] * (a.ndim == 2 ? a.dims[1] : 1);
    memcpy(b.data, a.data, m * sizeof(float));
  }
  TKT_OK(rc == 0 && same_weights(c1, imp) && tsu_clf_n_arrays(c1) == 6,
         "import of the exported arrays (%zu arrays)", tsu_clf_n_arrays(c1));
  tsu_clf_array a0;
  tsu_clf_array_get(c1, 0, &a0, &err);
  TKT_OK(strcmp(a0.name, "w0") == 0 && a0.ndim == 2 && a0.dims[0] == NPIX &&
         a0.dims[1] == 96, "array 0 is w0 [784][96]");
  double *f1 = malloc(NTE * 24 * sizeof(double));
  double *f2 = malloc(NTE * 24 * sizeof(double));
  tsu_clf_features(c1, xt, NTE, f1, 1, &err);
  tsu_clf_features(imp, xt, NTE, f2, 2, &err);
  int nonneg = 1;
  for (size_t i = 0; i < NTE * 24; i++)
    nonneg &= f1[i] >= 0;
  TKT_OK(memcmp(f1, f2, NTE * 24 * sizeof(double)) == 0 && nonneg,
         "imported network: identical features, all >= 0 (ReLU)");

  /* Reference forward pass. */
  float probs[20 * 10];
  uint8_t lab[20];
  tsu_clf_predict(imp, xt, 20, lab, probs, 0, &err);
  double worst = 0;
  int argmax_ok = 1;
  for (int i = 0; i < 20; i++) {
    double pr[10];
    reference_probs(c1, xt + (size_t)i * NPIX, pr);
    int best = 0;
    for (int k = 0; k < 10; k++) {
      worst = fmax(worst, fabs(pr[k] - probs[i * 10 + k]));
      if (pr[k] > pr[best])
        best = k;
    }
    argmax_ok &= best == lab[i];
  }
  TKT_OK(worst < 1e-4 && argmax_ok, "probabilities match a double-precision "
         "reference forward pass (worst %.2g, limit 1e-4)", worst);

  /* Bad input. */
  tsu_clf *bad = NULL;
  p = tsu_clf_default_params();
  p.quiet = 1;
  uint8_t y17 = y[17];
  y[17] = 10;
  rc = tsu_clf_train(&p, x, y, NTR, NPIX, &bad, NULL, &err);
  TKT_OK(rc == TK_EINVAL && bad == NULL, "label 10 of 10 classes rejected: "
         "%s", tk_err_text(&err));
  y[17] = y17;
  rc = tsu_clf_train(&p, x, y, 0, NPIX, &bad, NULL, &err);
  TKT_OK(rc == TK_EINVAL, "no images rejected: %s", tk_err_text(&err));
  p.n_hidden = 0;
  rc = tsu_clf_train(&p, x, y, NTR, NPIX, &bad, NULL, &err);
  TKT_OK(rc == TK_EINVAL, "no hidden layer rejected: %s", tk_err_text(&err));
  p = tsu_clf_default_params();
  p.quiet = 1;
  p.lr = NAN;
  rc = tsu_clf_train(&p, x, y, NTR, NPIX, &bad, NULL, &err);
  TKT_OK(rc == TK_EINVAL, "NaN step size rejected: %s", tk_err_text(&err));
  /* Step 1e30: weights ~1e30 after one step, float activations overflow
   * to inf, then inf - inf = NaN in the logits of a later batch. */
  p.lr = 1e30;
  p.epochs = 1;
  rc = tsu_clf_train(&p, x, y, 1000, NPIX, &bad, NULL, &err);
  TKT_OK(rc == TK_ENUMERIC && bad == NULL, "diverging step size stops with "
         "ENUMERIC: %s", tk_err_text(&err));
  uint32_t sz[3] = {NPIX, 0, 10};
  rc = tsu_clf_alloc(2, sz, &bad, &err);
  TKT_OK(rc == TK_EINVAL, "zero-width layer rejected: %s", tk_err_text(&err));

  free(f1);
  free(f2);
  tsu_clf_free(c1);
  tsu_clf_free(c2);
  tsu_clf_free(c3);
  tsu_clf_free(c4);
  tsu_clf_free(imp);
  tsu_clf_free(NULL);
  free(x);
  free(y);
  free(xt);
  free(yt);
}

static void check_fashion(void)
{
  struct stat st;
  if (stat("/usr/share/datasets/fashion-mnist", &st) != 0) {
    printf("ok %d # SKIP Fashion-MNIST not installed "
           "(package dataset-fashion-mnist)\n", ++tkt_.n);
    return;
  }
  enum { NTR = 5000, NH = 5000 };
  io_image_set tr, te;
  tk_err err = {0};
  if (io_fashion_mnist_load(NULL, "train", NTR, &tr, &err) != 0 ||
      io_fashion_mnist_load(NULL, "test", 0, &te, &err) != 0) {
    TKT_OK(0, "Fashion-MNIST loads: %s", tk_err_text(&err));
    return;
  }
  /* Binarise at pixel > 0.1 * 255, as the DTM does. */
  for (size_t i = 0; i < tr.n * NPIX; i++)
    tr.pixels[i] = tr.pixels[i] > 25;
  for (size_t i = 0; i < te.n * NPIX; i++)
    te.pixels[i] = te.pixels[i] > 25;
  tsu_clf_params p = tsu_clf_default_params();
  p.quiet = 1;
  tsu_clf *c = NULL;
  double loss, acc, t0 = tk_clock_s();
  int rc = tsu_clf_train(&p, tr.pixels, tr.labels, tr.n, NPIX, &c, &loss, &err);
  double dt = tk_clock_s() - t0;
  TKT_OK(rc == 0, "Fashion-MNIST: 5000 images x %u epochs trained in %.1f s, "
         "loss %.3f (%s)", p.epochs, dt, loss, tk_err_text(&err));
  if (rc != 0)
    goto out;
  tsu_clf_accuracy(c, te.pixels, te.labels, te.n, 0, &acc, &err);
  TKT_IN(acc, 0.80, 1.0, "Fashion-MNIST (5000 training images): test accuracy");

  /* FD-tsukit: two halves of the test set vs the marginal baseline. */
  uint32_t d = tsu_clf_n_features(c);
  double *fa = malloc((size_t)NH * d * sizeof(double));
  double *fb = malloc((size_t)NH * d * sizeof(double));
  double *fm = malloc((size_t)NH * d * sizeof(double));
  double pm[NPIX], fd_real, fd_marg;
  uint8_t *xm = malloc((size_t)NH * NPIX);
  tsu_fd_pixel_marginals(tr.pixels, tr.n, NPIX, pm, &err);
  tsu_fd_marginal_draw(pm, NPIX, NH, 0xfd0501, xm, &err);
  tsu_clf_features(c, te.pixels, NH, fa, 0, &err);
  tsu_clf_features(c, te.pixels + (size_t)NH * NPIX, NH, fb, 0, &err);
  tsu_clf_features(c, xm, NH, fm, 0, &err);
  tsu_fd_sets(fa, NH, fb, NH, d, &fd_real, &err);
  tsu_fd_sets(fa, NH, fm, NH, d, &fd_marg, &err);
  double fd_one;
  rc = tsu_clf_fd(c, te.pixels, NH, xm, NH, 1, &fd_one, &err);
  TKT_OK(rc == 0 && fd_one == fd_marg, "tsu_clf_fd = features + tsu_fd_sets "
         "(%.17g vs %.17g)", fd_one, fd_marg);
  TKT_OK(fd_real > 0 && fd_real * 20 < fd_marg, "FD-tsukit separates real "
         "from independent pixels: test/test %.3f, test/marginal %.3f "
         "(want ratio > 20)", fd_real, fd_marg);
  free(fa);
  free(fb);
  free(fm);
  free(xm);
out:
  tsu_clf_free(c);
  io_image_set_free(&tr);
  io_image_set_free(&te);
}

int main(void)
{
  gsl_set_error_handler_off();
  check_fd_diagonal();
  check_fd_2x2();
  check_fd_reference();
  check_fd_sets();
  check_marginal();
  check_synthetic();
  check_fashion();
  return tkt_done();
}
