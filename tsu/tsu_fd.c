/* tsu_fd.c -- Frechet distance by symmetric eigendecompositions, and the
 * independent-pixel baseline (see tsu_fd.h).
 *
 * Workload: d = 64 classifier features, n = 10^4 vectors per set: the
 * covariance sums (n d^2 / 2 multiply-adds) dominate; the two d x d
 * eigenproblems are a millisecond.
 */
#include "tsu/tsu_fd.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "common/tk_rng.h"

/* Largest dimension accepted (d^2 doubles per matrix). */
#define FD_MAX_DIM 8192

int tsu_fd_moments(const double *x, size_t n, size_t d, double *mu,
                   double *cov, tk_err *err)
{
  if (x == NULL || mu == NULL || cov == NULL)
    return TK_FAIL(err, TK_EINVAL, "FD moments: NULL argument");
  if (n < 2 || d < 1 || d > FD_MAX_DIM)
    return TK_FAIL(err, TK_EINVAL, "FD moments: %zu vectors of dimension %zu "
                   "(want >= 2 vectors, dimension 1..%d)", n, d, FD_MAX_DIM);
  double *dev = malloc(d * sizeof *dev);
  if (dev == NULL)
    return TK_FAIL(err, TK_ENOMEM, "FD moments");
  memset(mu, 0, d * sizeof *mu);
  memset(cov, 0, d * d * sizeof *cov);
  for (size_t i = 0; i < n; i++)
    for (size_t a = 0; a < d; a++)
      mu[a] += x[i * d + a];
  for (size_t a = 0; a < d; a++)
    mu[a] /= (double)n;
  /* Centred second pass: upper triangle, vectors in order. */
  for (size_t i = 0; i < n; i++) {
    for (size_t a = 0; a < d; a++)
      dev[a] = x[i * d + a] - mu[a];
    for (size_t a = 0; a < d; a++) {
      double da = dev[a];
      if (da == 0.0)
        continue;
      double *row = cov + a * d;
      for (size_t b = a; b < d; b++)
        row[b] += da * dev[b];
    }
  }
  free(dev);
  int finite = 1;
  for (size_t a = 0; a < d; a++)
    for (size_t b = a; b < d; b++) {
      double v = cov[a * d + b] / (double)(n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
      finite &= isfinite(v);
    }
  for (size_t a = 0; a < d; a++)
    finite &= isfinite(mu[a]);
  if (!finite)
    return TK_FAIL(err, TK_EINVAL, "FD moments: non-finite feature values");
  return TK_OK;
}

/* Eigenvalues (and vectors if evec != NULL) of the symmetric matrix a,
 * which the solver overwrites. */
static int eigen_symm(gsl_matrix *a, gsl_vector *eval, gsl_matrix *evec,
                      tk_err *err)
{
  size_t d = a->size1;
  int rc;
  if (evec != NULL) {
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(d);
    if (w == NULL)
      return TK_FAIL(err, TK_ENOMEM, "FD eigen workspace");
    rc = gsl_eigen_symmv(a, eval, evec, w);
    gsl_eigen_symmv_free(w);
  } else {
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(d);
    if (w == NULL)
      return TK_FAIL(err, TK_ENOMEM, "FD eigen workspace");
    rc = gsl_eigen_symm(a, eval, w);
    gsl_eigen_symm_free(w);
  }
  if (rc != GSL_SUCCESS)
    return TK_FAIL(err, TK_ENUMERIC, "FD: symmetric eigensolver failed: %s",
                   gsl_strerror(rc));
  return TK_OK;
}

/* Eigenvalues below d * DBL_EPSILON * max |eigenvalue| are rounding
 * noise of a singular direction (a zero-variance feature gives +-1e-17,
 * whose square root 3e-9 would otherwise leak into the trace): they
 * count as 0. */
static double zero_tol(const gsl_vector *ev)
{
  double mx = 0;
  for (size_t k = 0; k < ev->size; k++)
    mx = fmax(mx, fabs(gsl_vector_get(ev, k)));
  return (double)ev->size * DBL_EPSILON * mx;
}

int tsu_fd_gaussian(size_t d, const double *mu1, const double *c1,
                    const double *mu2, const double *c2, double *fd,
                    tk_err *err)
{
  if (mu1 == NULL || c1 == NULL || mu2 == NULL || c2 == NULL || fd == NULL)
    return TK_FAIL(err, TK_EINVAL, "FD: NULL argument");
  if (d < 1 || d > FD_MAX_DIM)
    return TK_FAIL(err, TK_EINVAL, "FD: dimension %zu (want 1..%d)", d,
                   FD_MAX_DIM);
  for (size_t a = 0; a < d; a++)
    if (!isfinite(mu1[a]) || !isfinite(mu2[a]))
      return TK_FAIL(err, TK_EINVAL, "FD: non-finite mean");
  for (size_t a = 0; a < d * d; a++)
    if (!isfinite(c1[a]) || !isfinite(c2[a]))
      return TK_FAIL(err, TK_EINVAL, "FD: non-finite covariance");

  double dmu2 = 0, tr = 0;
  for (size_t a = 0; a < d; a++) {
    double dm = mu1[a] - mu2[a];
    dmu2 += dm * dm;
    tr += c1[a * d + a] + c2[a * d + a];
  }

  int rc = TK_OK;
  gsl_matrix *a1 = gsl_matrix_alloc(d, d), *v = gsl_matrix_alloc(d, d);
  gsl_matrix *s1 = gsl_matrix_alloc(d, d), *t = gsl_matrix_alloc(d, d);
  gsl_vector *ev = gsl_vector_alloc(d);
  if (a1 == NULL || v == NULL || s1 == NULL || t == NULL || ev == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "FD matrices (d = %zu)", d);
    goto done;
  }
  /* C1^1/2 = V diag(sqrt(max(l, 0))) V^T, from the symmetrised C1. */
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++)
      gsl_matrix_set(a1, i, j, 0.5 * (c1[i * d + j] + c1[j * d + i]));
  if ((rc = eigen_symm(a1, ev, v, err)) != 0)
    goto done;
  double tol = zero_tol(ev);
  for (size_t k = 0; k < d; k++) {
    double l = gsl_vector_get(ev, k);
    gsl_vector_set(ev, k, l > tol ? sqrt(l) : 0.0);
  }
  for (size_t i = 0; i < d; i++)
    for (size_t j = i; j < d; j++) {
      double s = 0;
      for (size_t k = 0; k < d; k++)
        s += gsl_matrix_get(v, i, k) * gsl_vector_get(ev, k) *
             gsl_matrix_get(v, j, k);
      gsl_matrix_set(s1, i, j, s);
      gsl_matrix_set(s1, j, i, s);
    }
  /* M = S1 C2 S1: t = C2 S1, then a1 = S1 t, symmetrised. */
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++) {
      double s = 0;
      for (size_t k = 0; k < d; k++)
        s += c2[i * d + k] * gsl_matrix_get(s1, k, j);
      gsl_matrix_set(t, i, j, s);
    }
  for (size_t i = 0; i < d; i++)
    for (size_t j = 0; j < d; j++) {
      double s = 0;
      for (size_t k = 0; k < d; k++)
        s += gsl_matrix_get(s1, i, k) * gsl_matrix_get(t, k, j);
      gsl_matrix_set(a1, i, j, s);
    }
  for (size_t i = 0; i < d; i++)
    for (size_t j = i + 1; j < d; j++) {
      double s = 0.5 * (gsl_matrix_get(a1, i, j) + gsl_matrix_get(a1, j, i));
      gsl_matrix_set(a1, i, j, s);
      gsl_matrix_set(a1, j, i, s);
    }
  if ((rc = eigen_symm(a1, ev, NULL, err)) != 0)
    goto done;
  double tr_sqrt = 0;
  tol = zero_tol(ev);
  for (size_t k = 0; k < d; k++) {
    double m = gsl_vector_get(ev, k);
    tr_sqrt += m > tol ? sqrt(m) : 0.0;
  }
  double r = dmu2 + tr - 2 * tr_sqrt;
  *fd = r > 0 ? r : 0.0;
done:
  gsl_matrix_free(a1);
  gsl_matrix_free(v);
  gsl_matrix_free(s1);
  gsl_matrix_free(t);
  gsl_vector_free(ev);
  return rc;
}

int tsu_fd_sets(const double *x1, size_t n1, const double *x2, size_t n2,
                size_t d, double *fd, tk_err *err)
{
  if (d < 1 || d > FD_MAX_DIM)
    return TK_FAIL(err, TK_EINVAL, "FD: dimension %zu (want 1..%d)", d,
                   FD_MAX_DIM);
  double *mu1 = malloc(d * sizeof *mu1), *mu2 = malloc(d * sizeof *mu2);
  double *c1 = malloc(d * d * sizeof *c1), *c2 = malloc(d * d * sizeof *c2);
  int rc;
  if (mu1 == NULL || mu2 == NULL || c1 == NULL || c2 == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "FD moments (d = %zu)", d);
  else if ((rc = tsu_fd_moments(x1, n1, d, mu1, c1, err)) != 0)
    tk_err_wrap(err, rc, "first set");
  else if ((rc = tsu_fd_moments(x2, n2, d, mu2, c2, err)) != 0)
    tk_err_wrap(err, rc, "second set");
  else
    rc = tsu_fd_gaussian(d, mu1, c1, mu2, c2, fd, err);
  free(mu1);
  free(mu2);
  free(c1);
  free(c2);
  return rc;
}

int tsu_fd_pixel_marginals(const uint8_t *x, size_t n, size_t d, double *p,
                           tk_err *err)
{
  if (x == NULL || p == NULL || n < 1 || d < 1)
    return TK_FAIL(err, TK_EINVAL, "pixel marginals: no images or NULL "
                   "output");
  for (size_t j = 0; j < d; j++) {
    size_t lit = 0;
    for (size_t i = 0; i < n; i++)
      lit += x[i * d + j] != 0;
    p[j] = (double)lit / (double)n;
  }
  return TK_OK;
}

int tsu_fd_marginal_draw(const double *p, size_t d, size_t n, uint64_t seed,
                         uint8_t *out, tk_err *err)
{
  if (p == NULL || (n > 0 && out == NULL))
    return TK_FAIL(err, TK_EINVAL, "marginal draw: NULL argument");
  for (size_t j = 0; j < d; j++)
    if (!(p[j] >= 0 && p[j] <= 1))
      return TK_FAIL(err, TK_EINVAL, "marginal draw: p[%zu] = %g is not a "
                     "probability", j, p[j]);
  for (size_t i = 0; i < n; i++) {
    uint32_t w[4];
    for (size_t j = 0; j < d; j++) {
      if (j % 4 == 0)
        tk_rng_block_at(seed, i, j / 4, w);
      double u = ((double)w[j % 4] + 0.5) * (1.0 / 4294967296.0);
      out[i * d + j] = u < p[j];
    }
  }
  return TK_OK;
}
