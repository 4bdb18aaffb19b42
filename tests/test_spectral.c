/* test_spectral.c -- Welch PSD, FFT autocorrelation and tau_int
 * (phys_spectral.h): properties, known answers and a slow reference.
 *
 *   - Parseval: for one segment, sum_k P_k fs/nseg = sum w^2 x^2 / sum w^2
 *     (exact identity, 1e-12 relative);
 *   - a sine on a bin centre: peak at that bin, power A^2/2 (1e-9); off a
 *     bin centre: peak at the nearest bin, power within 1 % (Hann leakage
 *     beyond +-4 bins is < 1e-3);
 *   - white noise of variance s^2 at fs: level 2 s^2/fs at 4.5 sigma
 *     (sigma 1.54/sqrt(K m), derived in test_noise.c);
 *   - the FFT autocovariance equals the direct O(n L) sum (1e-10 abs. on
 *     unit-variance data), biased and unbiased;
 *   - AR(1) x' = r x + sqrt(1-r^2) N(0,1), r = e^(-1/23.7), n = 2^20:
 *     rho_k vs r^k for k = 1..80 with Bartlett's variance
 *     var(rho_k) = [(1+r^2)(1-r^(2k))/(1-r^2) - 2k r^(2k)] / n; worst |z|
 *     over 80 correlated lags <= 5;
 *   - tau_int of that AR(1) vs (1+r)/(1-r) at 4.5 sigma, sigma^2 =
 *     2(2M+1)/n tau^2 (Sokal); exact on exact input.
 * Seed 0x5bec, one stream per check.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/tk_rng.h"
#include "physics/phys_spectral.h"
#include "tests/tk_test.h"

#define SEED 0x5becu
#define PI 3.14159265358979323846

static void parseval(void)
{
  const size_t nseg = 1024;
  const double fs = 2.7e3;
  double x[1024], psd[513];
  tk_rng rng;
  tk_err err = {0};
  tk_rng_init(&rng, SEED, 1);
  for (size_t j = 0; j < nseg; j++)
    x[j] = 1.3 * tk_rng_gauss(&rng) + 0.37 * sin(0.0917 * j) + 0.21;
  phys_welch *w = NULL;
  phys_welch_alloc(nseg, fs, 0, &w, &err);
  phys_welch_psd(w, x, nseg, psd, &err);
  double lhs = 0;
  for (size_t k = 0; k < phys_welch_nfreq(w); k++)
    lhs += psd[k] * fs / (double)nseg;
  double num = 0, den = 0;
  for (size_t j = 0; j < nseg; j++) {
    double wj = 0.5 * (1 - cos(2 * PI * j / nseg));
    num += wj * wj * x[j] * x[j];
    den += wj * wj;
  }
  TKT_REL(lhs, num / den, 1e-12, "Parseval: sum P df = sum w^2 x^2 / sum w^2 (one segment)");
  phys_welch_free(w);
}

static void sine(void)
{
  const size_t nseg = 1024, n = 8192;
  const double fs = 1000.0, amp = 2.385;
  double *x = malloc(n * sizeof *x), psd[513];
  phys_welch *w = NULL;
  tk_err err = {0};
  phys_welch_alloc(nseg, fs, 1, &w, &err);
  for (int off = 0; off < 2; off++) {
    double kb = off ? 137.3 : 137.0;
    double f0 = kb * fs / nseg;
    for (size_t j = 0; j < n; j++)
      x[j] = amp * sin(2 * PI * f0 * j / fs + 0.3);
    phys_welch_psd(w, x, n, psd, &err);
    size_t kmax = 0;
    for (size_t k = 1; k < phys_welch_nfreq(w); k++)
      if (psd[k] > psd[kmax])
        kmax = k;
    TKT_OK(kmax == 137, "sine at %.1f bins: peak at bin %zu (want 137)", kb, kmax);
    double pw = 0;
    for (size_t k = 133; k <= 141; k++)
      pw += psd[k] * fs / nseg;
    TKT_REL(pw, amp * amp / 2, off ? 0.01 : 1e-9,
            off ? "off-bin sine: power in +-4 bins = A^2/2 within 1 %"
                : "on-bin sine: power in +-4 bins = A^2/2");
  }
  free(x);
  phys_welch_free(w);
}

static void white_level(void)
{
  const size_t n = (size_t)1 << 20, nseg = 2048;
  const double fs = 48000.0, s = 2.1;
  double *x = malloc(n * sizeof *x), psd[1025];
  tk_rng rng;
  tk_err err = {0};
  tk_rng_init(&rng, SEED, 2);
  for (size_t j = 0; j < n; j++)
    x[j] = s * tk_rng_gauss(&rng);
  phys_welch *w = NULL;
  phys_welch_alloc(nseg, fs, 1, &w, &err);
  phys_welch_psd(w, x, n, psd, &err);
  size_t kseg = phys_welch_nsegments(w, n), m = 0;
  double mean = 0;
  for (size_t k = 1; k + 1 < phys_welch_nfreq(w); k++, m++)
    mean += psd[k];
  mean /= (double)m;
  double want = 2 * s * s / fs;
  TKT_SIGMA(mean, want, want * 1.54 / sqrt((double)kseg * m), 4.5,
            "white noise level = 2 s^2 / fs");
  TKT_OK(phys_welch_nsegments(w, n) == 2 * n / nseg - 1,
         "50 %% overlap: %zu segments from %zu samples", kseg, n);
  free(x);
  phys_welch_free(w);
}

static void acf_reference(void)
{
  const size_t n = 1000, L = 60;
  double x[1000], fast[61];
  tk_rng rng;
  tk_err err = {0};
  tk_rng_init(&rng, SEED, 3);
  for (size_t j = 0; j < n; j++)
    x[j] = tk_rng_gauss(&rng) + 0.5 * sin(0.05 * j) + 3.1;
  double mean = 0;
  for (size_t j = 0; j < n; j++)
    mean += x[j];
  mean /= n;
  phys_acf *a = NULL;
  phys_acf_alloc(1500, &a, &err);   /* longer plan: extra zero padding */
  for (int mode = 0; mode < 2; mode++) {
    phys_acf_compute(a, x, n, L, mode ? PHYS_ACF_UNBIASED : PHYS_ACF_BIASED, fast, &err);
    double worst = 0;
    for (size_t k = 0; k <= L; k++) {
      double s = 0;
      for (size_t j = 0; j + k < n; j++)
        s += (x[j] - mean) * (x[j + k] - mean);
      s /= mode ? (double)(n - k) : (double)n;
      worst = fmax(worst, fabs(s - fast[k]));
    }
    TKT_IN(worst, 0, 1e-10, mode ? "unbiased FFT autocovariance = direct sum"
                                 : "biased FFT autocovariance = direct sum");
  }
  phys_acf_free(a);
}

static void ar1(void)
{
  const size_t n = (size_t)1 << 20, L = 2000;
  const double tau = 23.7, r = exp(-1 / tau);
  double *x = malloc(n * sizeof *x), *cov = malloc((L + 1) * sizeof *cov);
  tk_rng rng;
  tk_err err = {0};
  tk_rng_init(&rng, SEED, 4);
  x[0] = tk_rng_gauss(&rng);
  double kick = sqrt(1 - r * r);
  for (size_t j = 1; j < n; j++)
    x[j] = r * x[j - 1] + kick * tk_rng_gauss(&rng);
  phys_acf *a = NULL;
  phys_acf_alloc(n, &a, &err);
  phys_acf_compute(a, x, n, L, PHYS_ACF_BIASED, cov, &err);
  double zmax = 0;
  size_t kz = 0;
  for (size_t k = 1; k <= 80; k++) {
    double rho = cov[k] / cov[0], e = pow(r, (double)k);
    double v = ((1 + r * r) * (1 - e * e) / (1 - r * r) - 2.0 * k * e * e) / n;
    double z = fabs(rho - e) / sqrt(v);
    if (z > zmax) { zmax = z; kz = k; }
  }
  printf("# worst lag %zu\n", kz);
  TKT_IN(zmax, 0, 5.0, "AR(1) autocorrelation vs exact r^k, lags 1..80: worst |z| (Bartlett)");
  double t = 0;
  size_t m = 0;
  int rc = phys_tau_int(cov, L + 1, 5.0, &t, &m, &err);
  TKT_OK(rc == 0, "tau_int window found (M = %zu)", m);
  double want = (1 + r) / (1 - r);
  TKT_SIGMA(t, want, want * sqrt(2.0 * (2 * m + 1) / n), 4.5,
            "AR(1) integrated autocorrelation time = (1+r)/(1-r) samples");
  for (size_t k = 0; k <= L; k++)
    cov[k] = pow(r, (double)k);
  phys_tau_int(cov, L + 1, 5.0, &t, &m, &err);
  TKT_REL(t, 1 + 2 * r * (1 - pow(r, (double)m)) / (1 - r), 1e-12,
          "tau_int on exact r^k = 1 + 2 r (1 - r^M)/(1 - r)");
  rc = phys_tau_int(cov, 20, 5.0, &t, &m, &err);
  TKT_OK(rc != 0, "too few lags for the window is an error (%s)", tk_err_text(&err));
  free(x);
  free(cov);
  phys_acf_free(a);
}

static void bad_input(void)
{
  phys_welch *w = NULL;
  tk_err err = {0};
  int rc = phys_welch_alloc(1023, 1.0, 1, &w, &err);
  TKT_OK(rc != 0 && w == NULL, "odd segment length rejected (%s)", tk_err_text(&err));
  rc = phys_welch_alloc(1024, -1.0, 1, &w, &err);
  TKT_OK(rc != 0, "negative sampling rate rejected (%s)", tk_err_text(&err));
  phys_welch_alloc(64, 1.0, 1, &w, &err);
  double x[32] = {0}, psd[33];
  rc = phys_welch_psd(w, x, 32, psd, &err);
  TKT_OK(rc != 0, "record shorter than a segment rejected (%s)", tk_err_text(&err));
  phys_welch_free(w);
  phys_welch_free(NULL);
  phys_acf_free(NULL);
}

int main(void)
{
  parseval();
  sine();
  white_level();
  acf_reference();
  ar1();
  bad_input();
  return tkt_done();
}
