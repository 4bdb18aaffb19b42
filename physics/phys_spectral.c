/* phys_spectral.c -- Welch PSD, FFT autocorrelation, integrated
 * autocorrelation time (definitions in phys_spectral.h).
 *
 * Workload: records of 1e4-1e7 samples from noise generators, cell solvers
 * and ngspice traces; one plan object per record length, executed for
 * every segment or record, so the FFTW plan cost (FFTW_ESTIMATE: no
 * measurement, reproducible) is paid once.
 */
#include "physics/phys_spectral.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

#define PHYS_PI 3.14159265358979323846

struct phys_welch {
  size_t nseg;          /* segment length, even, >= 8 */
  double fs_Hz;         /* sampling rate */
  int detrend;          /* 1: subtract each segment's mean */
  double *win;          /* [nseg] periodic Hann */
  double win_ss;        /* sum of win^2 */
  double *in;           /* [nseg] fftw buffer */
  fftw_complex *out;    /* [nseg/2+1] fftw buffer */
  fftw_plan plan;       /* r2c, executed per segment */
};

int phys_welch_alloc(size_t nseg, double fs_Hz, int detrend,
                     phys_welch **out, tk_err *err)
{
  *out = NULL;
  if (nseg < 8 || nseg % 2 != 0 || nseg > ((size_t)1 << 30))
    return TK_FAIL(err, TK_ERANGE,
                   "Welch segment length %zu must be even, in [8, 2^30]", nseg);
  if (!(fs_Hz > 0) || !isfinite(fs_Hz))
    return TK_FAIL(err, TK_ERANGE, "sampling rate %g Hz must be > 0", fs_Hz);
  phys_welch *w = calloc(1, sizeof *w);
  if (w == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  w->nseg = nseg;
  w->fs_Hz = fs_Hz;
  w->detrend = detrend != 0;
  w->win = malloc(nseg * sizeof *w->win);
  w->in = fftw_malloc(nseg * sizeof *w->in);
  w->out = fftw_malloc((nseg / 2 + 1) * sizeof *w->out);
  if (!w->win || !w->in || !w->out) {
    phys_welch_free(w);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  w->plan = fftw_plan_dft_r2c_1d((int)nseg, w->in, w->out, FFTW_ESTIMATE);
  if (w->plan == NULL) {
    phys_welch_free(w);
    return TK_FAIL(err, TK_EINTERNAL, "FFTW could not plan a size-%zu FFT", nseg);
  }
  w->win_ss = 0;
  for (size_t j = 0; j < nseg; j++) {
    w->win[j] = 0.5 * (1.0 - cos(2.0 * PHYS_PI * (double)j / (double)nseg));
    w->win_ss += w->win[j] * w->win[j];
  }
  *out = w;
  return TK_OK;
}

void phys_welch_free(phys_welch *w)
{
  if (w == NULL)
    return;
  if (w->plan)
    fftw_destroy_plan(w->plan);
  fftw_free(w->in);
  fftw_free(w->out);
  free(w->win);
  free(w);
}

size_t phys_welch_nfreq(const phys_welch *w)
{
  return w->nseg / 2 + 1;
}

double phys_welch_freq_Hz(const phys_welch *w, size_t k)
{
  return (double)k * w->fs_Hz / (double)w->nseg;
}

size_t phys_welch_nsegments(const phys_welch *w, size_t n)
{
  if (n < w->nseg)
    return 0;
  return (n - w->nseg) / (w->nseg / 2) + 1;
}

int phys_welch_psd(phys_welch *w, const double *x, size_t n, double *psd,
                   tk_err *err)
{
  size_t nseg = w->nseg, nf = nseg / 2 + 1, hop = nseg / 2;
  size_t kseg = phys_welch_nsegments(w, n);
  if (kseg == 0)
    return TK_FAIL(err, TK_ERANGE,
                   "record of %zu samples is shorter than one Welch segment (%zu)",
                   n, nseg);
  for (size_t k = 0; k < nf; k++)
    psd[k] = 0;
  for (size_t s = 0; s < kseg; s++) {
    const double *seg = x + s * hop;
    double mean = 0;
    if (w->detrend) {
      for (size_t j = 0; j < nseg; j++)
        mean += seg[j];
      mean /= (double)nseg;
    }
    for (size_t j = 0; j < nseg; j++)
      w->in[j] = (seg[j] - mean) * w->win[j];
    fftw_execute(w->plan);
    for (size_t k = 0; k < nf; k++)
      psd[k] += w->out[k][0] * w->out[k][0] + w->out[k][1] * w->out[k][1];
  }
  double norm = 1.0 / (w->fs_Hz * w->win_ss * (double)kseg);
  for (size_t k = 0; k < nf; k++)
    psd[k] *= (k == 0 || k == nf - 1) ? norm : 2.0 * norm;
  for (size_t k = 0; k < nf; k++)
    if (!isfinite(psd[k]))
      return TK_FAIL(err, TK_ENUMERIC, "non-finite value in the Welch PSD (bin %zu)", k);
  return TK_OK;
}

/* ---- autocorrelation ---- */

struct phys_acf {
  size_t nmax;          /* longest record accepted */
  size_t nfft;          /* power of two >= 2 nmax */
  double *buf;          /* [nfft] real buffer, in and out */
  fftw_complex *spec;   /* [nfft/2+1] */
  fftw_plan fwd;        /* buf -> spec */
  fftw_plan inv;        /* spec -> buf (unnormalised) */
};

int phys_acf_alloc(size_t nmax, phys_acf **out, tk_err *err)
{
  *out = NULL;
  if (nmax < 2 || nmax > ((size_t)1 << 29))
    return TK_FAIL(err, TK_ERANGE, "autocorrelation length %zu must be in [2, 2^29]",
                   nmax);
  phys_acf *a = calloc(1, sizeof *a);
  if (a == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  a->nmax = nmax;
  a->nfft = 1;
  while (a->nfft < 2 * nmax)
    a->nfft <<= 1;
  a->buf = fftw_malloc(a->nfft * sizeof *a->buf);
  a->spec = fftw_malloc((a->nfft / 2 + 1) * sizeof *a->spec);
  if (!a->buf || !a->spec) {
    phys_acf_free(a);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  a->fwd = fftw_plan_dft_r2c_1d((int)a->nfft, a->buf, a->spec, FFTW_ESTIMATE);
  a->inv = fftw_plan_dft_c2r_1d((int)a->nfft, a->spec, a->buf, FFTW_ESTIMATE);
  if (!a->fwd || !a->inv) {
    phys_acf_free(a);
    return TK_FAIL(err, TK_EINTERNAL, "FFTW could not plan a size-%zu FFT", a->nfft);
  }
  *out = a;
  return TK_OK;
}

void phys_acf_free(phys_acf *a)
{
  if (a == NULL)
    return;
  if (a->fwd)
    fftw_destroy_plan(a->fwd);
  if (a->inv)
    fftw_destroy_plan(a->inv);
  fftw_free(a->buf);
  fftw_free(a->spec);
  free(a);
}

int phys_acf_compute(phys_acf *a, const double *x, size_t n, size_t maxlag,
                     phys_acf_mode mode, double *cov, tk_err *err)
{
  if (n < 2 || n > a->nmax)
    return TK_FAIL(err, TK_ERANGE, "record length %zu must be in [2, %zu]", n,
                   a->nmax);
  if (maxlag >= n)
    return TK_FAIL(err, TK_ERANGE, "maximum lag %zu must be < record length %zu",
                   maxlag, n);
  if (mode != PHYS_ACF_BIASED && mode != PHYS_ACF_UNBIASED)
    return TK_FAIL(err, TK_EINVAL, "unknown autocorrelation mode %d", (int)mode);
  double mean = 0;
  for (size_t j = 0; j < n; j++)
    mean += x[j];
  mean /= (double)n;
  for (size_t j = 0; j < n; j++)
    a->buf[j] = x[j] - mean;
  for (size_t j = n; j < a->nfft; j++)
    a->buf[j] = 0;
  fftw_execute(a->fwd);
  size_t nf = a->nfft / 2 + 1;
  for (size_t k = 0; k < nf; k++) {
    a->spec[k][0] = a->spec[k][0] * a->spec[k][0] + a->spec[k][1] * a->spec[k][1];
    a->spec[k][1] = 0;
  }
  fftw_execute(a->inv);
  for (size_t k = 0; k <= maxlag; k++) {
    double r = a->buf[k] / (double)a->nfft;
    cov[k] = mode == PHYS_ACF_BIASED ? r / (double)n : r / (double)(n - k);
    if (!isfinite(cov[k]))
      return TK_FAIL(err, TK_ENUMERIC, "non-finite autocovariance at lag %zu", k);
  }
  return TK_OK;
}

int phys_tau_int(const double *cov, size_t nlag, double c, double *tau,
                 size_t *window, tk_err *err)
{
  if (nlag < 2)
    return TK_FAIL(err, TK_ERANGE, "need at least 2 lags, got %zu", nlag);
  if (!(cov[0] > 0) || !isfinite(cov[0]))
    return TK_FAIL(err, TK_ENUMERIC, "lag-0 variance %g must be > 0", cov[0]);
  if (!(c > 0) || !isfinite(c))
    return TK_FAIL(err, TK_ERANGE, "window constant c = %g must be > 0", c);
  double t = 1.0;
  for (size_t m = 1; m < nlag; m++) {
    t += 2.0 * cov[m] / cov[0];
    if ((double)m >= c * t) {
      *tau = t;
      if (window)
        *window = m;
      return TK_OK;
    }
  }
  return TK_FAIL(err, TK_ENUMERIC,
                 "no self-consistent window within %zu lags (tau so far %g): "
                 "supply more lags", nlag, t);
}
