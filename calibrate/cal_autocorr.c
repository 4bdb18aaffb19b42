/* cal_autocorr.c -- FFT autocorrelation (via phys_spectral), exponential
 * fit and Sokal integrated time (see cal_autocorr.h).  Workload: one
 * trace of up to ~10^7 samples per call; the FFT dominates. */
#include "calibrate/cal_autocorr.h"

#include <math.h>
#include <stdlib.h>

#include "calibrate/cal_lsq.h"
#include "physics/phys_spectral.h"

cal_autocorr_params cal_autocorr_default_params(void)
{
  cal_autocorr_params p;
  p.max_lag = 0;
  p.fit_floor = 0.2;
  p.fit_min_lags = 4;
  p.sokal_c = 5.0;
  p.nblock_err = 8;
  return p;
}

typedef struct exp_ctx {
  const double *rho;   /* rho[1..L] */
  size_t L;            /* lags fitted */
} exp_ctx;

/* par = {A, ln(tau in lags)}: the log keeps every trial step valid. */
static int exp_resid(const double *par, void *ctx, double *r)
{
  const exp_ctx *c = ctx;
  double rate = exp(-par[1]);
  for (size_t k = 1; k <= c->L; k++)
    r[k - 1] = c->rho[k] - par[0] * exp(-(double)k * rate);
  return 0;
}

/* Fit rho[1..L] from par (overwritten); scaled covariance. */
static int fit_exp(const double *rho, size_t L, double *par, double *cov,
                   double *chi2_red, tk_err *err)
{
  exp_ctx c = {rho, L};
  cal__lsq_out o;
  TK_TRY(cal__lsq(exp_resid, &c, L, 2, par, cov, CAL_COV_SCALED, &o, err));
  *chi2_red = o.chi2_red;
  return TK_OK;
}

int cal_ineff_from_acf(const double *rho, size_t nlag, double sokal_c,
                       double *ineff, size_t *window, tk_err *err)
{
  return phys_tau_int(rho, nlag, sokal_c, ineff, window, err);
}

int cal_tau_from_acf(const double *rho, size_t nlag, size_t n, double dt_s,
                     const cal_autocorr_params *p, cal_autocorr_result *res,
                     tk_err *err)
{
  cal_autocorr_params dp = cal_autocorr_default_params();
  if (p == NULL)
    p = &dp;
  if (rho == NULL || res == NULL || nlag < 3)
    return TK_FAIL(err, TK_EINVAL, "need an autocorrelation of >= 3 lags");
  if (!(dt_s > 0) || !isfinite(dt_s))
    return TK_FAIL(err, TK_EINVAL, "sample interval %g s must be > 0", dt_s);
  if (!(p->fit_floor > 0 && p->fit_floor < 1) || p->fit_min_lags < 3 ||
      !(p->sokal_c > 0))
    return TK_FAIL(err, TK_EINVAL, "bad autocorrelation parameters (fit_floor "
                   "%g, fit_min_lags %zu, sokal_c %g)", p->fit_floor,
                   p->fit_min_lags, p->sokal_c);
  *res = (cal_autocorr_result){0};
  res->var = NAN;  /* unknown from rho alone; cal_autocorr fills it */
  /* Integrated time. */
  double g;
  size_t M;
  TK_TRY(phys_tau_int(rho, nlag, p->sokal_c, &g, &M, err));
  res->ineff = g;
  res->window = M;
  res->tau_int_s = 0.5 * g * dt_s;
  res->tau_int_err_s = n > 0 ? res->tau_int_s * sqrt(2.0 * (2.0 * (double)M + 1) /
                                                      (double)n)
                             : NAN;
  /* Initial decay. */
  if (!(rho[1] > p->fit_floor))
    return TK_FAIL(err, TK_ENUMERIC, "correlation time below the sample "
                   "interval (rho at lag 1 = %g): sample faster", rho[1]);
  size_t L = 1;
  while (L + 1 < nlag && rho[L + 1] >= p->fit_floor)
    L++;
  if (L < p->fit_min_lags)
    L = p->fit_min_lags < nlag - 1 ? p->fit_min_lags : nlag - 1;
  if (L < 3)
    return TK_FAIL(err, TK_ENUMERIC, "too few lags (%zu) for the exponential fit", L);
  double par[2] = {1.0, log(rho[1] < 1 ? -1.0 / log(rho[1]) : (double)L)};
  double cov[4], chi2_red;
  TK_TRY(fit_exp(rho, L, par, cov, &chi2_red, err));
  res->amp = par[0];
  res->amp_err = sqrt(cov[0]);
  res->tau_fit_s = exp(par[1]) * dt_s;
  res->tau_fit_cov_err_s = res->tau_fit_s * sqrt(cov[3]);  /* delta method */
  res->tau_fit_err_s = res->tau_fit_cov_err_s;
  res->fit_chi2_red = chi2_red;
  res->fit_lags = L;
  return TK_OK;
}

/* Block error of the fitted tau: the record cut into nblock pieces, each
 * fitted over the same lags from the full record's optimum; the spread of
 * the pieces / sqrt(nblock).  Leaves res unchanged when the blocks are too
 * short (< 20 fit lags) or a piece fails. */
static void block_error(phys_acf *a, const double *x, size_t n, size_t nblock,
                        cal_autocorr_result *res, double dt_s)
{
  size_t L = res->fit_lags, nb = n / nblock;
  if (nblock < 4 || nb < 20 * L || nb < 16)
    return;
  double *cov = malloc((L + 1) * sizeof *cov);
  if (cov == NULL)
    return;
  double s = 0, ss = 0;
  size_t ok = 0;
  for (size_t b = 0; b < nblock; b++) {
    tk_err e = {0};
    double par[2] = {res->amp, log(res->tau_fit_s / dt_s)}, cv[4], chi2_red;
    if (phys_acf_compute(a, x + b * nb, nb, L, PHYS_ACF_BIASED, cov, &e) != TK_OK ||
        !(cov[0] > 0))
      break;
    for (size_t k = 1; k <= L; k++)
      cov[k] /= cov[0];
    if (fit_exp(cov, L, par, cv, &chi2_red, &e) != TK_OK)
      break;
    double t = exp(par[1]) * dt_s;
    s += t;
    ss += t * t;
    ok++;
  }
  free(cov);
  if (ok == nblock) {
    double m = s / (double)ok;
    double var = (ss - (double)ok * m * m) / (double)(ok - 1);
    res->tau_fit_err_s = sqrt(fmax(var, 0) / (double)ok);
    res->tau_fit_err_blocks = ok;
  }
}

int cal_autocorr(const double *x, size_t n, double dt_s,
                 const cal_autocorr_params *p, double *rho, size_t *nlag_out,
                 cal_autocorr_result *res, tk_err *err)
{
  cal_autocorr_params dp = cal_autocorr_default_params();
  if (p == NULL)
    p = &dp;
  if (x == NULL || res == NULL || n < 16)
    return TK_FAIL(err, TK_EINVAL, "cal_autocorr needs a trace of >= 16 samples");
  size_t maxlag = p->max_lag ? p->max_lag : n / 2;
  if (maxlag < 3 || maxlag >= n)
    return TK_FAIL(err, TK_EINVAL, "max_lag %zu must be in [3, n = %zu)", maxlag, n);
  size_t nlag = maxlag + 1;
  double *cov = malloc(nlag * sizeof *cov);
  if (cov == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory (%zu lags)", nlag);
  phys_acf *a = NULL, *ab = NULL;
  int rc = phys_acf_alloc(n, &a, err);
  if (rc == TK_OK)
    rc = phys_acf_compute(a, x, n, maxlag, PHYS_ACF_BIASED, cov, err);
  phys_acf_free(a);
  double msq = 0;  /* mean square: variance below rounding = constant */
  for (size_t i = 0; i < n; i++)
    msq += x[i] * x[i];
  msq /= (double)n;
  if (rc == TK_OK && !(cov[0] > 1e-20 * msq))
    rc = TK_FAIL(err, TK_ENUMERIC, "constant trace (variance %g): no "
                 "correlation time (no transitions observed?)", cov[0]);
  if (rc == TK_OK) {
    double v0 = cov[0];
    for (size_t k = 0; k < nlag; k++)
      cov[k] /= v0;
    rc = cal_tau_from_acf(cov, nlag, n, dt_s, p, res, err);
    res->var = v0;
    if (rc == TK_OK && p->nblock_err >= 4 && n / p->nblock_err >= 16) {
      tk_err e = {0};
      if (phys_acf_alloc(n / p->nblock_err, &ab, &e) == TK_OK)
        block_error(ab, x, n, p->nblock_err, res, dt_s);
      phys_acf_free(ab);
    }
    if (rho)
      for (size_t k = 0; k < nlag; k++)
        rho[k] = cov[k];
    if (nlag_out)
      *nlag_out = nlag;
  }
  free(cov);
  return rc;
}
