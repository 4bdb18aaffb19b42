/* cal_gmm.c -- EM for a two-Gaussian mixture with BHHH covariance (see
 * cal_gmm.h).  Workload: O(n) per EM iteration, typically 20-200
 * iterations; one pass for the score outer product. */
#include "calibrate/cal_gmm.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>

#include "calibrate/cal_lsq.h"

cal_gmm_params cal_gmm_default_params(void)
{
  cal_gmm_params p;
  p.max_iter = 1000;
  p.tol = 1e-10;
  p.ineff = 1.0;
  p.min_sd_frac = 1e-3;
  return p;
}

static double npdf(double x, double mu, double sd)
{
  double z = (x - mu) / sd;
  return exp(-0.5 * z * z) / (sd * 2.5066282746310002);
}

double cal_gmm_pdf(const cal_gmm_result *r, double x_V)
{
  return r->w0 * npdf(x_V, r->mu_V[0], r->sd_V[0]) +
         (1 - r->w0) * npdf(x_V, r->mu_V[1], r->sd_V[1]);
}

/* Responsibility of component 0 for x and the mixture density. */
static double resp0(double x, const double *mu, const double *sd, double w0,
                    double *f)
{
  double f0 = w0 * npdf(x, mu[0], sd[0]), f1 = (1 - w0) * npdf(x, mu[1], sd[1]);
  *f = f0 + f1;
  return *f > 0 ? f0 / *f : (fabs(x - mu[0]) < fabs(x - mu[1]));
}

int cal_gmm_fit(const double *x_V, size_t n, const cal_gmm_params *p,
                cal_gmm_result *res, tk_err *err)
{
  cal_gmm_params dp = cal_gmm_default_params();
  if (p == NULL)
    p = &dp;
  cal_init();
  if (x_V == NULL || res == NULL || n < 20)
    return TK_FAIL(err, TK_EINVAL, "the mixture fit needs >= 20 samples");
  if (p->max_iter < 10 || !(p->tol > 0) || !(p->ineff >= 1) ||
      !(p->min_sd_frac > 0))
    return TK_FAIL(err, TK_EINVAL, "bad mixture parameters (max_iter %zu, tol %g, "
                   "ineff %g, min_sd_frac %g)", p->max_iter, p->tol, p->ineff,
                   p->min_sd_frac);
  double mean = 0, var = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x_V[i]))
      return TK_FAIL(err, TK_EINVAL, "sample %zu is not finite", i);
    mean += x_V[i];
  }
  mean /= (double)n;
  for (size_t i = 0; i < n; i++)
    var += (x_V[i] - mean) * (x_V[i] - mean);
  var /= (double)n;
  if (!(var > 0))
    return TK_FAIL(err, TK_ENUMERIC, "constant samples: no mixture to fit");
  double sdmin = p->min_sd_frac * sqrt(var);
  /* 2-means start: centres at mean -/+ sd, a few Lloyd iterations. */
  double mu[2] = {mean - sqrt(var), mean + sqrt(var)}, sd[2], w0;
  for (int it = 0; it < 20; it++) {
    double s[2] = {0, 0}, c[2] = {0, 0};
    double cut = 0.5 * (mu[0] + mu[1]);
    for (size_t i = 0; i < n; i++) {
      int k = x_V[i] >= cut;
      s[k] += x_V[i];
      c[k] += 1;
    }
    if (c[0] == 0 || c[1] == 0)
      break;
    mu[0] = s[0] / c[0];
    mu[1] = s[1] / c[1];
  }
  sd[0] = sd[1] = fmax(0.5 * sqrt(var), sdmin);
  w0 = 0.5;
  double ll_old = -INFINITY, ll = -INFINITY;
  size_t it;
  int conv = 0;
  for (it = 1; it <= p->max_iter; it++) {
    double r0 = 0, r0x = 0, r0xx = 0, r1x = 0, r1xx = 0;
    ll = 0;
    for (size_t i = 0; i < n; i++) {
      double f, x = x_V[i];
      double r = resp0(x, mu, sd, w0, &f);
      ll += log(fmax(f, 1e-300));
      r0 += r;
      r0x += r * x;
      r0xx += r * x * x;
      r1x += (1 - r) * x;
      r1xx += (1 - r) * x * x;
    }
    ll /= (double)n;
    double r1 = (double)n - r0;
    if (r0 < 1 || r1 < 1)
      return TK_FAIL(err, TK_ENUMERIC, "mixture collapsed to one component "
                     "(samples look unimodal)");
    mu[0] = r0x / r0;
    mu[1] = r1x / r1;
    sd[0] = fmax(sqrt(fmax(r0xx / r0 - mu[0] * mu[0], 0)), sdmin);
    sd[1] = fmax(sqrt(fmax(r1xx / r1 - mu[1] * mu[1], 0)), sdmin);
    w0 = r0 / (double)n;
    if (ll - ll_old < p->tol && it > 1) {
      conv = 1;
      break;
    }
    ll_old = ll;
  }
  if (mu[0] > mu[1]) {
    double t = mu[0];
    mu[0] = mu[1];
    mu[1] = t;
    t = sd[0];
    sd[0] = sd[1];
    sd[1] = t;
    w0 = 1 - w0;
  }
  /* BHHH covariance. theta = (mu0, s0, mu1, s1, w0). */
  gsl_matrix *A = gsl_matrix_calloc(5, 5), *Ai = gsl_matrix_alloc(5, 5);
  gsl_permutation *perm = gsl_permutation_alloc(5);
  if (!A || !Ai || !perm) {
    gsl_matrix_free(A);
    gsl_matrix_free(Ai);
    gsl_permutation_free(perm);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    double f, x = x_V[i];
    double r = resp0(x, mu, sd, w0, &f);
    double z0 = (x - mu[0]) / sd[0], z1 = (x - mu[1]) / sd[1];
    double g[5] = {r * z0 / sd[0], r * (z0 * z0 - 1) / sd[0],
                   (1 - r) * z1 / sd[1], (1 - r) * (z1 * z1 - 1) / sd[1],
                   r / w0 - (1 - r) / (1 - w0)};
    for (int a = 0; a < 5; a++)
      for (int b = 0; b < 5; b++)
        *gsl_matrix_ptr(A, a, b) += g[a] * g[b];
  }
  int sgn, rc = TK_OK;
  if (gsl_linalg_LU_decomp(A, perm, &sgn) != 0 ||
      gsl_linalg_LU_invert(A, perm, Ai) != 0)
    rc = TK_FAIL(err, TK_ENUMERIC, "mixture information matrix is singular");
  double e[5] = {0};
  for (int a = 0; rc == TK_OK && a < 5; a++) {
    double v = gsl_matrix_get(Ai, a, a) * p->ineff;
    if (!(v > 0) || !isfinite(v))
      rc = TK_FAIL(err, TK_ENUMERIC, "mixture parameter %d has variance %g", a, v);
    else
      e[a] = sqrt(v);
  }
  gsl_matrix_free(A);
  gsl_matrix_free(Ai);
  gsl_permutation_free(perm);
  if (rc != TK_OK)
    return rc;
  res->mu_V[0] = mu[0];
  res->mu_V[1] = mu[1];
  res->sd_V[0] = sd[0];
  res->sd_V[1] = sd[1];
  res->w0 = w0;
  res->mu_err_V[0] = e[0];
  res->sd_err_V[0] = e[1];
  res->mu_err_V[1] = e[2];
  res->sd_err_V[1] = e[3];
  res->w0_err = e[4];
  res->loglik_mean = ll;
  res->iters = it;
  res->converged = conv;
  return TK_OK;
}
