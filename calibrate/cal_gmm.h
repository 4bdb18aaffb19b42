/* cal_gmm.h -- two-Gaussian mixture fit to samples of a continuous cell
 * output (gmm2): positions, widths and weight, with uncertainties.
 *
 * Workload: 10^3-10^7 samples of one trace per sweep point.  Method:
 * maximum likelihood by EM (expectation-maximisation), which cannot
 * leave the valid region (weights in (0, 1), widths > 0) and never needs
 * a histogram bin choice.  Start: 2-means (Lloyd iterations from
 * mean -/+ sd), equal weights, widths sd / 2.  Components are ordered
 * mu0 < mu1.
 *
 * Model  f(x) = w0 N(x; mu0, s0) + (1 - w0) N(x; mu1, s1).
 * Uncertainty: the outer-product-of-gradients (BHHH) estimate
 *     cov = (sum_i g_i g_i^T)^-1,  g_i = d log f(x_i) / d theta,
 * theta = (mu0, s0, mu1, s1, w0), with the analytic per-sample score.
 * It assumes independent samples; for a correlated trace pass the
 * statistical inefficiency g (cal_autocorr's ineff) in `ineff`, which
 * multiplies the covariance (the effective sample count is n / g).
 * The fit's log-likelihood per sample is returned for model comparison.
 */
#ifndef CAL_GMM_H
#define CAL_GMM_H

#include <stddef.h>

#include "common/tk_error.h"

typedef struct cal_gmm_params {
  size_t max_iter;     /* EM iteration cap, >= 10 */
  double tol;          /* stop when the mean log-likelihood gains < tol */
  double ineff;        /* statistical inefficiency of the samples, >= 1 */
  double min_sd_frac;  /* width floor as a fraction of the sample sd, > 0 */
} cal_gmm_params;

/* max_iter 1000, tol 1e-10, ineff 1, min_sd_frac 1e-3. */
cal_gmm_params cal_gmm_default_params(void);

typedef struct cal_gmm_result {
  double mu_V[2], mu_err_V[2];   /* positions (mu0 < mu1) and errors, V */
  double sd_V[2], sd_err_V[2];   /* widths and errors, V */
  double w0, w0_err;             /* weight of component 0, in (0, 1) */
  double loglik_mean;            /* mean log-likelihood per sample (log 1/V) */
  size_t iters;                  /* EM iterations */
  int converged;                 /* 1 if the tolerance was met */
} cal_gmm_result;

/* Density of the mixture at x_V. */
double cal_gmm_pdf(const cal_gmm_result *r, double x_V);

/* Fit x_V[n] (n >= 20). */
int cal_gmm_fit(const double *x_V, size_t n, const cal_gmm_params *p,
                cal_gmm_result *res, tk_err *err);

#endif
