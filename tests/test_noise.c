/* test_noise.c -- noise PSDs and generators (phys_noise.h), measured with
 * the Welch estimator (phys_spectral.h).
 *
 * Statistics.  A Welch estimate with K Hann segments at 50 % overlap has a
 * per-bin relative variance (1 + 2 (1/3)^2)/K = 1.22/K (Welch 1967,
 * overlap correlation (sum w w')^2/(sum w^2)^2 = 1/9), and neighbouring
 * Hann bins are correlated (4/9 at one bin, 1/36 at two), so the mean of m
 * adjacent bins has relative sigma sqrt(1.22 * 1.94 / (K m)) = 1.54 /
 * sqrt(K m) (400 replicates of white noise measured 1.45/sqrt(K m)).
 * Statistical checks are at 4.5 sigma (false alarm ~7e-6 per
 * check for Gaussian errors); several sub-bands make a few such checks.
 * Seeds are fixed: 0x5107 with one stream per check.
 *
 * Known answers (deterministic):
 *   - 2q I_S (F'(x_f) + F'(x_r)) = 4kT g_ds at V_DS = 0 within 1e-6,
 *     g_ds from a Richardson-extrapolated central difference of I_D (not
 *     the analytic g_ds), weak to strong inversion, NMOS and PMOS, 3 T;
 *   - the literal 2q(I_F + I_R) meets the same limit within 1e-6 in deep
 *     weak inversion (x <= -30, where F/F' - 1 ~ e^(x/2)/2 < 2e-7);
 *   - weak-inversion saturation: 2q I_D = 4kT (n/2) g_m within 1e-3;
 *   - the 1/f generator's exact sampled PSD is within 1 % of A/f over
 *     [f_lo, f_hi = fs/20];
 *   - the sampled RTS spectrum integrates to dI^2 p0 p1 and tends to
 *     Machlup's formula (within 1 % for f <= fs/20 at tau_c = 10 dt).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/tk_rng.h"
#include "physics/phys_const.h"
#include "physics/phys_mosfet.h"
#include "physics/phys_noise.h"
#include "physics/phys_spectral.h"
#include "tests/tk_test.h"

#define SEED 0x5107u
#define NSIG 4.5

/* Mean of psd over bins with f1 <= f < f2; *m gets the bin count. */
static double band_mean(const phys_welch *w, const double *psd, double f1,
                        double f2, size_t *m)
{
  double s = 0;
  size_t cnt = 0;
  for (size_t k = 1; k + 1 < phys_welch_nfreq(w); k++) {
    double f = phys_welch_freq_Hz(w, k);
    if (f >= f1 && f < f2) {
      s += psd[k];
      cnt++;
    }
  }
  *m = cnt;
  return cnt ? s / (double)cnt : NAN;
}

/* Same for a model PSD evaluated at the bin frequencies. */
static double band_mean_model(const phys_welch *w, double f1, double f2,
                              double (*model)(const void *, double),
                              const void *ctx)
{
  double s = 0;
  size_t cnt = 0;
  for (size_t k = 1; k + 1 < phys_welch_nfreq(w); k++) {
    double f = phys_welch_freq_Hz(w, k);
    if (f >= f1 && f < f2) {
      s += model(ctx, f);
      cnt++;
    }
  }
  return cnt ? s / (double)cnt : NAN;
}

static double welch_rel_sigma(size_t k_segments, size_t m_bins)
{
  return 1.54 / sqrt((double)k_segments * (double)m_bins);
}

/* Welch of x[0..n) with nseg at fs into a new array (NULL on failure). */
static double *welch(const double *x, size_t n, size_t nseg, double fs,
                     phys_welch **wp)
{
  tk_err err = {0};
  *wp = NULL;
  if (phys_welch_alloc(nseg, fs, 1, wp, &err) != 0) {
    printf("# %s\n", tk_err_text(&err));
    return NULL;
  }
  double *psd = malloc(phys_welch_nfreq(*wp) * sizeof *psd);
  if (psd == NULL || phys_welch_psd(*wp, x, n, psd, &err) != 0) {
    printf("# %s\n", tk_err_text(&err));
    free(psd);
    return NULL;
  }
  return psd;
}

/* ---- shot noise: generator + Welch = 2q(I_F + I_R) over a decade ---- */

static void shot_case(double i_f, double i_r, uint64_t stream)
{
  /* 2^21 samples: K = 1023 segments, each tenth of the decade has >= 26
   * bins, so sigma <= 1.54/sqrt(1023 * 26) = 0.94 % and 5 % is > 5 sigma */
  const double dt = 1e-9, fs = 1.0 / dt;
  const size_t n = (size_t)1 << 21, nseg = 4096;
  double *x = malloc(n * sizeof *x);
  tk_rng rng;
  tk_err err = {0};
  tk_rng_init(&rng, SEED, stream);
  int rc = phys_noise_shot_fill(&rng, i_f, i_r, dt, n, x, &err);
  TKT_OK(rc == 0, "shot generator I_F = %g A, I_R = %g A runs", i_f, i_r);
  double mean = 0;
  for (size_t i = 0; i < n; i++)
    mean += x[i];
  mean /= (double)n;
  /* the mean of n samples of variance q(I_F+I_R)/dt */
  double sd_mean = sqrt(PHYS_Q_C * (i_f + i_r) / dt / (double)n);
  TKT_SIGMA(mean, i_f - i_r, sd_mean, NSIG, "shot generator: mean current = I_F - I_R");

  phys_welch *w = NULL;
  double *psd = welch(x, n, nseg, fs, &w);
  double want = phys_noise_shot_psd(i_f, i_r);
  size_t kseg = phys_welch_nsegments(w, n);
  /* one decade, fs/40 .. fs/4, in 10 log-spaced sub-bands */
  double f1 = fs / 40, worst = 0;
  for (int b = 0; b < 10; b++) {
    double lo = f1 * pow(10.0, b / 10.0), hi = f1 * pow(10.0, (b + 1) / 10.0);
    size_t m;
    double v = band_mean(w, psd, lo, hi, &m);
    worst = fmax(worst, fabs(v / want - 1));
  }
  char what[160];
  snprintf(what, sizeof what,
           "shot PSD (Welch, K = %zu) within 5 %% of 2q(I_F+I_R) = %.4g A^2/Hz "
           "in each tenth of the decade %g..%g Hz: worst relative deviation",
           kseg, want, f1, 10 * f1);
  TKT_IN(worst, 0, 0.05, what);
  size_t m;
  double v = band_mean(w, psd, f1, 10 * f1, &m);
  TKT_SIGMA(v, want, want * welch_rel_sigma(kseg, m), NSIG,
            "shot PSD averaged over the decade = 2q(I_F+I_R)");
  free(psd);
  free(x);
  phys_welch_free(w);
}

static void shot_noise(void)
{
  shot_case(1.37e-9, 0.41e-9, 1);   /* 8.6 and 2.6 electrons per step: exact */
  shot_case(27.1e-9, 3.3e-9, 2);    /* 169 per step: normal branch; 21: exact */
}

/* ---- white (thermal) generator ---- */

static void white_noise(void)
{
  const double dt = 1e-8, fs = 1.0 / dt, r_ohm = 1.7e6, t_K = 300.15;
  const size_t n = (size_t)1 << 19, nseg = 2048;
  double s = phys_noise_resistor_psd(r_ohm, t_K);
  TKT_REL(phys_noise_resistor_psd(1e3, 300.0), 4 * 1.380649e-23 * 300.0 / 1e3,
          1e-12, "resistor noise 4kT/R at 1 kOhm, 300 K");
  double *x = malloc(n * sizeof *x);
  tk_rng rng;
  tk_err err = {0};
  tk_rng_init(&rng, SEED, 3);
  phys_noise_white_fill(&rng, s, dt, n, x, &err);
  double var = 0;
  for (size_t i = 0; i < n; i++)
    var += x[i] * x[i];
  var /= (double)n;
  /* sample variance of n normals: relative sd sqrt(2/n) */
  TKT_SIGMA(var, s / (2 * dt), s / (2 * dt) * sqrt(2.0 / n), NSIG,
            "white generator: sample variance = S/(2 dt)");
  phys_welch *w = NULL;
  double *psd = welch(x, n, nseg, fs, &w);
  size_t m;
  double v = band_mean(w, psd, 0, fs, &m);
  TKT_SIGMA(v, s, s * welch_rel_sigma(phys_welch_nsegments(w, n), m), NSIG,
            "white generator: Welch level = 4kT/R over 0..fs/2");
  free(psd);
  free(x);
  phys_welch_free(w);
}

/* ---- channel noise = 4kT g_ds at V_DS = 0 ---- */

static double id_at(const phys_mos_params *p, double vg, double vd, double vs,
                    double t)
{
  phys_mos_op op;
  tk_err err = {0};
  if (phys_mos_eval(p, vg, vd, vs, 0.0, t, &op, &err) != 0)
    return NAN;
  return op.id_A;
}

/* |dI_D/dV_D| by Richardson extrapolation of central differences. */
static double gds_numeric(const phys_mos_params *p, double vg, double vd,
                          double vs, double t)
{
  double h = 2e-4, d[2];
  for (int r = 0; r < 2; r++, h /= 2)
    d[r] = (id_at(p, vg, vd + h, vs, t) - id_at(p, vg, vd - h, vs, t)) / (2 * h);
  return fabs((4 * d[1] - d[0]) / 3);
}

static void channel_noise_equilibrium(void)
{
  const double vgs[] = {-0.3, 0.18, 0.42, 0.9, 1.6};
  const double temps[] = {233.15, 300.15, 398.15};
  const double vsrc = 0.05;   /* V_S = V_D = 0.05 V above the bulk */
  double worst = 0, worst_shot_deep = 0;
  for (int type = 0; type < 2; type++) {
    phys_mos_params p = phys_mos_default_params(type ? PHYS_PMOS : PHYS_NMOS);
    double sg = type ? -1.0 : 1.0;
    for (int it = 0; it < 3; it++) {
      double t = temps[it];
      for (size_t i = 0; i < sizeof vgs / sizeof vgs[0]; i++) {
        phys_mos_op op;
        tk_err err = {0};
        double vg = sg * (vgs[i] + vsrc), vs = sg * vsrc;
        phys_mos_eval(&p, vg, vs, vs, 0.0, t, &op, &err);
        double ref = 4 * phys_kt_J(t) * gds_numeric(&p, vg, vs, vs, t);
        double ch = phys_noise_channel_psd(&op);
        worst = fmax(worst, fabs(ch / ref - 1));
        if (type == 0 && it == 1)
          printf("# NMOS 300 K V_GS = %5.2f V: 2q(I_F+I_R) / 4kT g_ds = %.6f, "
                 "channel / 4kT g_ds - 1 = %.2e\n",
                 vgs[i], phys_noise_shot_psd(op.i_f_A, op.i_r_A) / ref, ch / ref - 1);
      }
      /* deep weak inversion: the literal shot formula */
      phys_mos_op op;
      tk_err err = {0};
      double vg = sg * -1.2, vs = sg * vsrc;
      phys_mos_eval(&p, vg, vs, vs, 0.0, t, &op, &err);
      double ref = 4 * phys_kt_J(t) * gds_numeric(&p, vg, vs, vs, t);
      worst_shot_deep = fmax(worst_shot_deep,
                             fabs(phys_noise_shot_psd(op.i_f_A, op.i_r_A) / ref - 1));
    }
  }
  TKT_IN(worst, 0, 1e-6,
         "2q I_S (F'(x_f)+F'(x_r)) = 4kT g_ds(numeric) at V_DS = 0, weak to "
         "strong inversion, NMOS/PMOS, 233-398 K: worst relative deviation");
  TKT_IN(worst_shot_deep, 0, 1e-6,
         "2q(I_F+I_R) = 4kT g_ds(numeric) at V_DS = 0 in deep weak inversion "
         "(V_GS = -1.2 V): worst relative deviation");
}

static void thermal_weak_inversion(void)
{
  phys_mos_params p = phys_mos_default_params(PHYS_NMOS);
  phys_mos_op op;
  tk_err err = {0};
  phys_mos_eval(&p, -0.35, 0.4, 0, 0, 300.15, &op, &err);
  TKT_REL(phys_noise_thermal_psd(op.gm_S, op.n / 2, 300.15),
          2 * PHYS_Q_C * op.id_A, 1e-3,
          "weak-inversion saturation: 4kT (n/2) g_m = 2q I_D");
  TKT_REL(phys_noise_gamma_sat(1.5), 1.0, 1e-15, "gamma_sat(n = 1.5) = 2n/3 = 1");
}

/* ---- flicker ---- */

static double model_flicker(const void *ctx, double f)
{
  return phys_flicker_gen_psd(ctx, f);
}

static void flicker(void)
{
  phys_flicker_params fp = phys_flicker_default_params();
  TKT_REL(fp.kf / (2 * PHYS_Q_C), 1e6, 1e-12,
          "default flicker/shot corner KF/(2q) = 1 MHz");
  phys_flicker_params q = {2.3e-20, 1.7, 1.1};
  TKT_REL(phys_noise_flicker_psd(&q, -3.1e-6, 137.0),
          2.3e-20 * pow(3.1e-6, 1.7) / pow(137.0, 1.1), 1e-12,
          "flicker PSD = KF |I|^AF / f^EF");

  const double dt = 1e-6, fs = 1.0 / dt, i_A = 2.3e-6;
  const double f_lo = 500.0, f_hi = fs / 20;   /* two decades */
  double a = phys_noise_flicker_psd(&fp, i_A, 1.0);
  phys_flicker_gen *g = NULL;
  tk_err err = {0};
  int rc = phys_flicker_gen_alloc(a, f_lo, f_hi, dt, &g, &err);
  TKT_OK(rc == 0, "1/f generator over [%g, %g] Hz: %zu poles", f_lo, f_hi,
         rc == 0 ? phys_flicker_gen_npoles(g) : 0);
  if (rc != 0)
    return;
  double worst = 0;
  for (int i = 0; i <= 200; i++) {
    double f = f_lo * pow(f_hi / f_lo, i / 200.0);
    worst = fmax(worst, fabs(phys_flicker_gen_psd(g, f) * f / a - 1));
  }
  TKT_IN(worst, 0, 0.01, "1/f generator: exact sampled PSD vs A/f over the band, "
         "worst relative deviation");

  const size_t n = (size_t)1 << 21, nseg = 32768;
  double *x = malloc(n * sizeof *x);
  tk_rng rng;
  tk_rng_init(&rng, SEED, 4);
  phys_flicker_gen_fill(g, &rng, n / 2, x);
  phys_flicker_gen_fill(g, &rng, n - n / 2, x + n / 2);   /* continues */
  phys_welch *w = NULL;
  double *psd = welch(x, n, nseg, fs, &w);
  size_t kseg = phys_welch_nsegments(w, n);
  /* least-squares slope of ln P vs ln f over all bins of the band; the
   * log of a Welch bin has sd sqrt(1.22/K), bins correlated as above */
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  size_t cnt = 0;
  for (size_t k = 1; k + 1 < phys_welch_nfreq(w); k++) {
    double f = phys_welch_freq_Hz(w, k);
    if (f < f_lo || f > f_hi)
      continue;
    double lx = log(f), ly = log(psd[k]);
    sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly;
    cnt++;
  }
  double vx = sxx - sx * sx / (double)cnt;
  double slope = (sxy - sx * sy / (double)cnt) / vx;
  double sd_slope = sqrt(1.22 * 1.94 / (double)kseg / vx);
  printf("# slope fit over %zu bins, K = %zu segments: %.5f +- %.5f\n", cnt,
         kseg, slope, sd_slope);
  TKT_IN(slope, -1.03, -0.97, "1/f generator: Welch log-log slope over two decades "
         "within +-0.03 of -1 (statistical sd printed above)");
  /* level per third of a decade vs the generator's exact PSD */
  double zmax = 0, devmax = -INFINITY;
  for (int b = 0; b < 6; b++) {
    double lo = f_lo * pow(10.0, b / 3.0), hi = f_lo * pow(10.0, (b + 1) / 3.0);
    size_t m;
    double v = band_mean(w, psd, lo, hi, &m);
    double e = band_mean_model(w, lo, hi, model_flicker, g);
    zmax = fmax(zmax, fabs(v / e - 1) / welch_rel_sigma(kseg, m));
    double ea = 0;
    size_t c2 = 0;
    for (size_t k = 1; k + 1 < phys_welch_nfreq(w); k++) {
      double f = phys_welch_freq_Hz(w, k);
      if (f >= lo && f < hi) { ea += a / f; c2++; }
    }
    /* |deviation| beyond the 1 % model allowance, in sigma */
    devmax = fmax(devmax, (fabs(v / (ea / (double)c2) - 1) - 0.01) /
                              welch_rel_sigma(kseg, m));
  }
  TKT_IN(zmax, 0, NSIG, "1/f generator: Welch level per third-decade vs exact PSD, "
         "worst |z| (sigma = 1.54/sqrt(K m))");
  TKT_IN(devmax, -INFINITY, NSIG, "1/f generator: Welch level per third-decade vs "
         "KF I / f, worst (|relative deviation| - 1 % model allowance) / sigma");
  free(psd);
  free(x);
  phys_welch_free(w);
  phys_flicker_gen_free(g);
}

/* ---- random telegraph ---- */

typedef struct rts_ctx { phys_rts_params p; double dt; } rts_ctx;

static double model_rts(const void *ctx, double f)
{
  const rts_ctx *c = ctx;
  return phys_noise_rts_psd_sampled(&c->p, c->dt, f);
}

static void rts(void)
{
  const double dt = 1e-7, fs = 1.0 / dt;
  rts_ctx c = {{3.7e-9, 37.1 * dt, 13.9 * dt}, dt};
  const phys_rts_params *p = &c.p;
  double tc = phys_rts_tau_c_s(p);
  double p1 = p->tau1_s / (p->tau0_s + p->tau1_s), p0 = 1 - p1;
  double var = p->di_A * p->di_A * p0 * p1;

  /* sampled spectrum: integral over [0, fs/2] is the variance (trapezoid,
   * 2e5 panels on a smooth periodic integrand: spectrally accurate) */
  size_t np = 200000;
  double integ = 0, hf = 0.5 * fs / (double)np;
  for (size_t i = 0; i <= np; i++)
    integ += (i == 0 || i == np ? 0.5 : 1.0) * phys_noise_rts_psd_sampled(p, dt, i * hf);
  integ *= hf;
  TKT_REL(integ, var, 1e-9, "sampled RTS spectrum integrates to dI^2 p0 p1");
  /* Machlup's form is the dt -> 0 limit */
  double worst = 0;
  for (int i = 0; i <= 100; i++) {
    double f = fs / 20 * i / 100.0;
    worst = fmax(worst, fabs(phys_noise_rts_psd_sampled(p, dt, f) /
                             phys_noise_rts_psd(p, f) - 1));
  }
  TKT_IN(worst, 0, 0.01, "sampled RTS spectrum vs Machlup for f <= fs/20 "
         "(tau_c = 10 dt): worst relative deviation");
  TKT_REL(phys_noise_rts_psd(p, 0), 4 * var * tc, 1e-12,
          "Machlup at f = 0: 4 dI^2 p0 p1 tau_c");

  const size_t n = (size_t)1 << 21, nseg = 4096;
  double *x = malloc(n * sizeof *x);
  tk_rng rng;
  tk_err err = {0};
  phys_rts_gen g;
  tk_rng_init(&rng, SEED, 5);
  phys_rts_gen_init(&g, p, &rng, &err);
  phys_rts_gen_fill(&g, &rng, dt, n, x, &err);
  double mean = 0;
  for (size_t i = 0; i < n; i++)
    mean += x[i];
  mean /= (double)n;
  /* sd of the mean: var * tau_int / n, tau_int = (1 + r)/(1 - r) samples */
  double r = exp(-dt / tc);
  double sd = sqrt(var * (1 + r) / (1 - r) / (double)n);
  TKT_SIGMA(mean / p->di_A, p1, sd / p->di_A, NSIG,
            "RTS path: occupancy of the high state = tau1/(tau0+tau1)");

  phys_welch *w = NULL;
  double *psd = welch(x, n, nseg, fs, &w);
  size_t kseg = phys_welch_nsegments(w, n);
  double f1 = 1e4, f2 = fs / 4;
  double zmax = 0, devm = -INFINITY;
  int nb = 12;
  for (int b = 0; b < nb; b++) {
    double lo = f1 * pow(f2 / f1, (double)b / nb), hi = f1 * pow(f2 / f1, (b + 1.0) / nb);
    size_t m;
    double v = band_mean(w, psd, lo, hi, &m);
    double e = band_mean_model(w, lo, hi, model_rts, &c);
    zmax = fmax(zmax, fabs(v / e - 1) / welch_rel_sigma(kseg, m));
    if (hi <= fs / 20) {
      double em = 0;
      size_t c2 = 0;
      for (size_t k = 1; k + 1 < phys_welch_nfreq(w); k++) {
        double f = phys_welch_freq_Hz(w, k);
        if (f >= lo && f < hi) { em += phys_noise_rts_psd(p, f); c2++; }
      }
      devm = fmax(devm, (fabs(v / (em / (double)c2) - 1) - 0.01) /
                            welch_rel_sigma(kseg, m));
    }
  }
  TKT_IN(zmax, 0, NSIG, "RTS path: Welch PSD vs exact sampled spectrum in 12 "
         "log bands 10 kHz..fs/4, worst |z| (sigma = 1.54/sqrt(K m))");
  TKT_IN(devm, -INFINITY, NSIG, "RTS path: Welch PSD vs Machlup in the bands below "
         "fs/20, worst (|relative deviation| - 1 % aliasing allowance) / sigma");
  free(psd);
  free(x);
  phys_welch_free(w);
}

static void bad_input(void)
{
  tk_err err = {0};
  tk_rng rng;
  double x[4];
  tk_rng_init(&rng, SEED, 9);
  int rc = phys_noise_shot_fill(&rng, -1e-9, 0, 1e-9, 4, x, &err);
  TKT_OK(rc != 0, "negative flux rejected (%s)", tk_err_text(&err));
  rc = phys_noise_white_fill(&rng, 1e-20, 0.0, 4, x, &err);
  TKT_OK(rc != 0, "dt = 0 rejected (%s)", tk_err_text(&err));
  phys_rts_params bad = {1e-9, -1, 1};
  rc = phys_rts_check(&bad, &err);
  TKT_OK(rc != 0, "negative dwell time rejected (%s)", tk_err_text(&err));
  phys_flicker_gen *g = NULL;
  rc = phys_flicker_gen_alloc(1e-20, 10, 1e6, 1e-6, &g, &err);
  TKT_OK(rc != 0 && g == NULL, "1/f band above Nyquist rejected (%s)",
         tk_err_text(&err));
}

int main(void)
{
  shot_noise();
  white_noise();
  channel_noise_equilibrium();
  thermal_weak_inversion();
  flicker();
  rts();
  bad_input();
  return tkt_done();
}
