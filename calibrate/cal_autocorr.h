/* cal_autocorr.h -- normalised autocorrelation of a trace (FFT) and its
 * correlation time, by an exponential fit and by the integrated time.
 *
 * Workload: one trace per sweep point (an analog node voltage or a 0/1
 * state sequence), 10^3-10^7 samples at a uniform interval dt_s.  The
 * autocovariance comes from physics/phys_spectral (FFTW, FFTW_ESTIMATE,
 * mean removed, zero-padded to >= 2n so nothing wraps, biased estimator
 * r_k / n); memory ~ 3 x 2n doubles during the call.
 *
 * Correlation time, two estimates:
 *  - exponential fit (GSL multifit_nlinear) of rho(k dt) = A exp(-k dt / tau)
 *    over the initial decay, lags 1..L with L the last lag before rho first
 *    falls below fit_floor (at least fit_min_lags lags).  Lag 0 is left out
 *    so white measurement noise (which only lowers rho at k >= 1 relative
 *    to rho_0 = 1) is absorbed by A < 1.  Unweighted, tau fitted as ln tau.
 *    ACF errors at neighbouring lags are strongly correlated, so the
 *    chi-square-scaled covariance (tau_fit_cov_err_s) understates the
 *    run-to-run spread ~25x (measured on a telegraph record).  The reported
 *    tau_fit_err_s is therefore a block error: the record is cut into
 *    nblock_err pieces, each fitted over the same lags, and the spread of
 *    the pieces / sqrt(nblock_err) is taken (cal_autocorr only, when each
 *    piece holds >= 20 L samples; otherwise the covariance error stays and
 *    tau_fit_err_blocks = 0).
 *  - integrated time with Sokal's automatic window:
 *        tau_int = dt (1/2 + sum_{k=1..M} rho_k),
 *    M the smallest lag with M >= c (2 tau_int / dt) (phys_tau_int).  For
 *    rho = exp(-t/tau) with tau >> dt, tau_int = tau (+ dt^2 / (12 tau)),
 *    so the two estimates agree for a single-exponential process.  Its
 *    standard error is tau_int sqrt(2 (2M + 1) / n) (Sokal 1989).
 *    The statistical inefficiency g = 2 tau_int / dt = 1 + 2 sum rho_k is
 *    the factor by which correlation inflates the variance of a mean.
 */
#ifndef CAL_AUTOCORR_H
#define CAL_AUTOCORR_H

#include <stddef.h>

#include "common/tk_error.h"

typedef struct cal_autocorr_params {
  size_t max_lag;        /* lags computed; 0 = auto (n / 2) */
  double fit_floor;      /* exponential fit down to rho >= fit_floor, (0, 1) */
  size_t fit_min_lags;   /* at least this many lags in the fit, >= 3 */
  double sokal_c;        /* Sokal window constant, > 0 (5 customary) */
  size_t nblock_err;     /* pieces for the block error of tau_fit; < 4: off */
} cal_autocorr_params;

/* max_lag auto, fit_floor 0.2, fit_min_lags 4, sokal_c 5, nblock_err 8. */
cal_autocorr_params cal_autocorr_default_params(void);

typedef struct cal_autocorr_result {
  double var;            /* lag-0 variance, x-unit^2 */
  double tau_fit_s;      /* exponential-fit correlation time, s */
  double tau_fit_err_s;  /* its standard error (block error, see above), s */
  double tau_fit_cov_err_s;   /* covariance error (understates), s */
  size_t tau_fit_err_blocks;  /* pieces behind tau_fit_err_s (0: covariance) */
  double amp;            /* fitted amplitude A (1 for a pure exponential) */
  double amp_err;        /* its standard error */
  double fit_chi2_red;   /* reduced chi-square of the (unweighted) fit */
  size_t fit_lags;       /* lags 1..fit_lags used */
  double tau_int_s;      /* integrated time dt (1/2 + sum rho), s */
  double tau_int_err_s;  /* Sokal's standard error, s (NaN without n) */
  double ineff;          /* statistical inefficiency 2 tau_int / dt, >= ~1 */
  size_t window;         /* Sokal window M, lags */
} cal_autocorr_result;

/* Autocorrelation of x[n] (n >= 16) sampled every dt_s; rho (may be NULL)
 * receives rho[0..nlag) with nlag = max_lag + 1 (*nlag_out, may be NULL).
 * TK_ENUMERIC for a constant trace, a correlation time below one sample
 * interval (rho_1 <= fit_floor), or no Sokal window within max_lag. */
int cal_autocorr(const double *x, size_t n, double dt_s,
                 const cal_autocorr_params *p, double *rho, size_t *nlag_out,
                 cal_autocorr_result *res, tk_err *err);

/* The two correlation-time estimates from a given normalised
 * autocorrelation rho[0..nlag) (rho[0] = 1) of a record of n samples
 * (n = 0: unknown, tau_int_err_s = NaN). */
int cal_tau_from_acf(const double *rho, size_t nlag, size_t n, double dt_s,
                     const cal_autocorr_params *p, cal_autocorr_result *res,
                     tk_err *err);

/* Integrated time only: statistical inefficiency g = 1 + 2 sum rho_k with
 * Sokal's window (cheap; no fit).  Used by cal_occupancy. */
int cal_ineff_from_acf(const double *rho, size_t nlag, double sokal_c,
                       double *ineff, size_t *window, tk_err *err);

#endif
