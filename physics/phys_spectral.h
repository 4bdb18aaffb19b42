/* phys_spectral.h -- one-sided Welch PSD, autocorrelation by FFT, and the
 * integrated autocorrelation time, on FFTW.
 *
 * Plans are made once at alloc (FFTW_ESTIMATE, so results are
 * bit-reproducible run to run) and executed for every call; a plan object
 * owns its buffers and is not safe to share between threads (allocate one
 * per thread; plan creation itself is serialised by the caller, as FFTW's
 * planner is not thread-safe).
 *
 * Welch: segments of nseg samples, hop nseg/2 (50 % overlap), periodic Hann
 * window w_j = (1 - cos(2 pi j / nseg)) / 2, each segment's mean removed
 * when detrend is set.  With X_k the DFT of the windowed segment and
 * U = sum w_j^2, the one-sided estimate is
 *     P_k = c_k |X_k|^2 / (fs U),   c_k = 2 for 0 < k < nseg/2, else 1,
 * averaged over segments, at f_k = k fs / nseg, k = 0 .. nseg/2.  White
 * noise of variance s^2 at rate fs then has E P_k = 2 s^2 / fs, and for one
 * segment sum_k P_k fs/nseg = sum_j w_j^2 x_j^2 / U exactly (Parseval).
 *
 * Autocorrelation: the mean is removed, the data zero-padded to
 * nfft >= 2 n (no circular wrap), r_k = sum_j x_j x_(j+k) from the inverse
 * FFT of |X|^2.  PHYS_ACF_BIASED returns r_k / n (positive semi-definite,
 * biased toward 0 by the factor (1 - k/n)); PHYS_ACF_UNBIASED returns
 * r_k / (n - k) (unbiased for known mean, noisy at large k).  Both are
 * autocovariances; divide by element 0 for correlation coefficients.
 *
 * Integrated autocorrelation time (in samples):
 *     tau_int = 1 + 2 sum_{k=1..M} rho_k
 * with Sokal's self-consistent window: the smallest M with M >= c tau(M)
 * (c = 5 is customary).  The effective sample count of a mean is
 * n / tau_int; for AR(1) with rho_k = r^k, tau_int = (1 + r)/(1 - r).
 */
#ifndef PHYS_SPECTRAL_H
#define PHYS_SPECTRAL_H

#include <stddef.h>

#include "common/tk_error.h"

typedef struct phys_welch phys_welch;

/* nseg >= 8 and even; fs_Hz > 0; detrend: remove each segment's mean. */
int phys_welch_alloc(size_t nseg, double fs_Hz, int detrend,
                     phys_welch **out, tk_err *err);
void phys_welch_free(phys_welch *w);
/* nseg/2 + 1 */
size_t phys_welch_nfreq(const phys_welch *w);
double phys_welch_freq_Hz(const phys_welch *w, size_t k);
/* Number of segments a record of n samples gives (0 if n < nseg). */
size_t phys_welch_nsegments(const phys_welch *w, size_t n);
/* psd[nfreq] <- Welch estimate of x[0..n), in x-unit^2 / Hz; n >= nseg. */
int phys_welch_psd(phys_welch *w, const double *x, size_t n, double *psd,
                   tk_err *err);

typedef enum { PHYS_ACF_BIASED = 0, PHYS_ACF_UNBIASED = 1 } phys_acf_mode;

typedef struct phys_acf phys_acf;

/* Plans for records of up to nmax samples (nmax >= 2). */
int phys_acf_alloc(size_t nmax, phys_acf **out, tk_err *err);
void phys_acf_free(phys_acf *a);
/* cov[0..maxlag] <- autocovariance of x[0..n), 2 <= n <= nmax,
 * maxlag < n. */
int phys_acf_compute(phys_acf *a, const double *x, size_t n, size_t maxlag,
                     phys_acf_mode mode, double *cov, tk_err *err);

/* Integrated autocorrelation time from cov[0..nlag) (cov[0] > 0), Sokal
 * window constant c > 0.  Fails (TK_ENUMERIC) if no window M < nlag
 * satisfies M >= c tau(M): supply more lags.  window may be NULL. */
int phys_tau_int(const double *cov, size_t nlag, double c, double *tau,
                 size_t *window, tk_err *err);

#endif
