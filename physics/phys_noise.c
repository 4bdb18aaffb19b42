/* phys_noise.c -- device noise PSDs and time-domain generators.
 *
 * Workload: PSDs are evaluated per device per bias point (cheap, pure);
 * generators fill buffers of 1e5-1e7 samples for tests, cell solvers and
 * calibration, so the inner loops are allocation-free and take one Philox
 * cursor.  Formulas and their derivations are in phys_noise.h.
 */
#include "physics/phys_noise.h"

#include <math.h>
#include <stdlib.h>

#include "physics/phys_const.h"

#define PHYS_PI 3.14159265358979323846

double phys_noise_shot_psd(double i_f_A, double i_r_A)
{
  return 2.0 * PHYS_Q_C * (fabs(i_f_A) + fabs(i_r_A));
}

double phys_noise_channel_psd(const phys_mos_op *op)
{
  return 2.0 * PHYS_Q_C * op->is_A * (op->dflux_f + op->dflux_r);
}

double phys_noise_thermal_psd(double gm_S, double gamma, double temp_K)
{
  return 4.0 * phys_kt_J(temp_K) * gamma * fabs(gm_S);
}

double phys_noise_gamma_sat(double n)
{
  return 2.0 * n / 3.0;
}

double phys_noise_resistor_psd(double r_ohm, double temp_K)
{
  return 4.0 * phys_kt_J(temp_K) / r_ohm;
}

/* ---- flicker ---- */

phys_flicker_params phys_flicker_default_params(void)
{
  phys_flicker_params p;
  p.kf = 2.0 * PHYS_Q_C * 1e6;
  p.af = 1.0;
  p.ef = 1.0;
  return p;
}

int phys_flicker_check(const phys_flicker_params *p, tk_err *err)
{
  if (p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no flicker parameters");
  if (!(p->kf >= 0) || !isfinite(p->kf))
    return TK_FAIL(err, TK_ERANGE, "flicker KF = %g must be >= 0", p->kf);
  if (!(p->af > 0) || !isfinite(p->af))
    return TK_FAIL(err, TK_ERANGE, "flicker AF = %g must be > 0", p->af);
  if (!(p->ef > 0) || !isfinite(p->ef))
    return TK_FAIL(err, TK_ERANGE, "flicker EF = %g must be > 0", p->ef);
  return TK_OK;
}

double phys_noise_flicker_psd(const phys_flicker_params *p, double i_A,
                              double f_Hz)
{
  return p->kf * pow(fabs(i_A), p->af) / pow(f_Hz, p->ef);
}

/* ---- random telegraph ---- */

int phys_rts_check(const phys_rts_params *p, tk_err *err)
{
  if (p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no RTS parameters");
  if (!isfinite(p->di_A))
    return TK_FAIL(err, TK_ERANGE, "RTS step dI must be finite");
  if (!(p->tau0_s > 0) || !isfinite(p->tau0_s))
    return TK_FAIL(err, TK_ERANGE, "RTS dwell tau0 = %g s must be > 0", p->tau0_s);
  if (!(p->tau1_s > 0) || !isfinite(p->tau1_s))
    return TK_FAIL(err, TK_ERANGE, "RTS dwell tau1 = %g s must be > 0", p->tau1_s);
  return TK_OK;
}

double phys_rts_tau_c_s(const phys_rts_params *p)
{
  return p->tau0_s * p->tau1_s / (p->tau0_s + p->tau1_s);
}

double phys_noise_rts_psd(const phys_rts_params *p, double f_Hz)
{
  double tc = phys_rts_tau_c_s(p);
  double wt = 2.0 * PHYS_PI * f_Hz * tc;
  return 4.0 * p->di_A * p->di_A * tc * tc /
         ((p->tau0_s + p->tau1_s) * (1.0 + wt * wt));
}

double phys_noise_rts_psd_sampled(const phys_rts_params *p, double dt_s,
                                  double f_Hz)
{
  double tsum = p->tau0_s + p->tau1_s;
  double var = p->di_A * p->di_A * p->tau0_s * p->tau1_s / (tsum * tsum);
  double r = exp(-dt_s / phys_rts_tau_c_s(p));
  double c = cos(2.0 * PHYS_PI * f_Hz * dt_s);
  /* (1 - r^2) computed as -expm1(-2 dt/tau_c) for small dt/tau_c */
  double one_m_r2 = -expm1(-2.0 * dt_s / phys_rts_tau_c_s(p));
  double den = (1.0 - r) * (1.0 - r) + 2.0 * r * (1.0 - c);
  return 2.0 * dt_s * var * one_m_r2 / den;
}

/* ---- generators ---- */

static int check_dt(double dt_s, tk_err *err)
{
  if (!(dt_s > 0) || !isfinite(dt_s))
    return TK_FAIL(err, TK_ERANGE, "time step dt = %g s must be > 0", dt_s);
  return TK_OK;
}

int phys_noise_white_fill(tk_rng *rng, double psd_A2_per_Hz, double dt_s,
                          size_t n, double *out, tk_err *err)
{
  TK_TRY(check_dt(dt_s, err));
  if (!(psd_A2_per_Hz >= 0) || !isfinite(psd_A2_per_Hz))
    return TK_FAIL(err, TK_ERANGE, "PSD %g A^2/Hz must be >= 0", psd_A2_per_Hz);
  double sd = sqrt(psd_A2_per_Hz / (2.0 * dt_s));
  for (size_t k = 0; k < n; k++)
    out[k] = sd * tk_rng_gauss(rng);
  return TK_OK;
}

/* Poisson count of mean m: sequential inversion (exact) for m <= 64, where
 * e^-m stays far from underflow; a normal N(m, m) above. */
#define SHOT_EXACT_MAX 64.0
static double poisson_count(tk_rng *rng, double m, double e_minus_m)
{
  if (m <= 0)
    return 0.0;
  if (m > SHOT_EXACT_MAX)
    return m + sqrt(m) * tk_rng_gauss(rng);
  double u = tk_rng_uniform(rng);
  double p = e_minus_m, cdf = p;
  int k = 0;
  while (u > cdf && k < 1000) {
    k++;
    p *= m / k;
    cdf += p;
  }
  return (double)k;
}

int phys_noise_shot_fill(tk_rng *rng, double i_f_A, double i_r_A,
                         double dt_s, size_t n, double *out, tk_err *err)
{
  TK_TRY(check_dt(dt_s, err));
  if (!(i_f_A >= 0) || !isfinite(i_f_A) || !(i_r_A >= 0) || !isfinite(i_r_A))
    return TK_FAIL(err, TK_ERANGE,
                   "shot-noise fluxes I_F = %g A, I_R = %g A must be >= 0",
                   i_f_A, i_r_A);
  double mf = i_f_A * dt_s / PHYS_Q_C, mr = i_r_A * dt_s / PHYS_Q_C;
  double ef = exp(-mf), er = exp(-mr);
  double scale = PHYS_Q_C / dt_s;
  for (size_t k = 0; k < n; k++) {
    double nf = poisson_count(rng, mf, ef);
    double nr = poisson_count(rng, mr, er);
    out[k] = scale * (nf - nr);
  }
  return TK_OK;
}

/* 1/f as a bank of exactly-sampled OU processes. */
#define FLICKER_PER_DECADE 3
#define FLICKER_MARGIN 100.0   /* poles extend this factor past the band */

struct phys_flicker_gen {
  size_t np;            /* number of poles */
  double dt_s;          /* sample step */
  double a_A2;          /* target S(f) f */
  double *lambda_per_s; /* [np] warped relaxation rates L_k, log-spaced */
  double *decay;        /* [np] AR(1) coefficient r_k, in (0, 1) */
  double *kick;         /* [np] sqrt(v_k (1 - r_k^2)), the innovation sd */
  double *var_A2;       /* [np] stationary variance sigma^2 of each pole */
  double *x_A;          /* [np] current state */
  double white_psd;     /* one-sided A^2/Hz standing in for the poles above
                         * the top one: (4 s^2/Delta) / lambda_top */
  int started;          /* 0 until the first fill draws the stationary start */
};

int phys_flicker_gen_alloc(double a_A2, double f_lo_Hz, double f_hi_Hz,
                           double dt_s, phys_flicker_gen **out, tk_err *err)
{
  *out = NULL;
  TK_TRY(check_dt(dt_s, err));
  if (!(a_A2 >= 0) || !isfinite(a_A2))
    return TK_FAIL(err, TK_ERANGE, "1/f level %g A^2 must be >= 0", a_A2);
  double fs = 1.0 / dt_s;
  if (!(f_lo_Hz > 0) || !(f_hi_Hz > f_lo_Hz) || !(f_hi_Hz <= 0.5 * fs))
    return TK_FAIL(err, TK_ERANGE,
                   "1/f band [%g, %g] Hz must satisfy 0 < f_lo < f_hi <= fs/2 = %g Hz",
                   f_lo_Hz, f_hi_Hz, 0.5 * fs);
  double p_lo = f_lo_Hz / FLICKER_MARGIN;
  double p_hi = f_hi_Hz * FLICKER_MARGIN;
  double delta = log(10.0) / FLICKER_PER_DECADE;
  size_t np = (size_t)ceil(log(p_hi / p_lo) / delta) + 1;
  if (np > 4096)
    return TK_FAIL(err, TK_ERANGE, "1/f band [%g, %g] Hz is too wide", f_lo_Hz,
                   f_hi_Hz);
  phys_flicker_gen *g = calloc(1, sizeof *g);
  if (g == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  g->np = np;
  g->dt_s = dt_s;
  g->a_A2 = a_A2;
  g->lambda_per_s = calloc(np, sizeof *g->lambda_per_s);
  g->decay = calloc(np, sizeof *g->decay);
  g->kick = calloc(np, sizeof *g->kick);
  g->var_A2 = calloc(np, sizeof *g->var_A2);
  g->x_A = calloc(np, sizeof *g->x_A);
  if (!g->lambda_per_s || !g->decay || !g->kick || !g->var_A2 || !g->x_A) {
    phys_flicker_gen_free(g);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  /* Continuous design: S = sum 4 s^2 l/(l^2 + w^2) over log-spaced rates l
   * ~ (1/Delta) int 4 s^2/(l^2 + w^2) dl = s^2 / (Delta f), so s^2 = a Delta.
   * Sampled design: an AR(1) x' = r x + kick N(0,1) of variance v has the
   * one-sided PSD 2 dt v (1 - r^2) / ((1 - r)^2 + 4 r sin^2(w dt / 2)),
   * an exact Lorentzian c / (L^2 + W^2) in the warped frequency
   * W = 2 sin(w dt / 2) / dt with L = (1 - r) / (sqrt(r) dt) and
   * c = 2 v (1 - r^2) / (r dt).  Matching c = 4 s^2 L gives, with
   * q = sqrt(r) = (sqrt(L^2 dt^2 + 4) - L dt) / 2 (so 1 - r = L dt q):
   *     v = 2 s^2 q / (1 + q^2),  kick^2 = v (1 - r^2) = v L dt q (2 - L dt q).
   * The sum is then s^2 / (Delta f_w) with f_w = sin(pi f dt) / (pi dt):
   * A/f times (pi f dt) / sin(pi f dt), for poles at any rate, even above
   * the Nyquist frequency (those are nearly white). */
  double var = a_A2 * delta;
  for (size_t k = 0; k < np; k++) {
    double lw = 2.0 * PHYS_PI * p_lo * exp(delta * (double)k);
    double ldt = lw * dt_s;
    double q = 2.0 / (sqrt(ldt * ldt + 4.0) + ldt);   /* = (sqrt(..) - ldt)/2 */
    g->lambda_per_s[k] = lw;
    g->decay[k] = q * q;
    g->var_A2[k] = 2.0 * var * q / (1.0 + q * q);
    g->kick[k] = sqrt(g->var_A2[k] * ldt * q * (2.0 - ldt * q));
  }
  /* The poles cut off above the top one would add, for W well below
   * them, (1/Delta) int_top^inf 4 s^2/l^2 dl = 4 s^2 / (Delta L_top):
   * a flat level, supplied as white noise. */
  g->white_psd = 4.0 * var / (delta * g->lambda_per_s[np - 1]);
  *out = g;
  return TK_OK;
}

void phys_flicker_gen_free(phys_flicker_gen *g)
{
  if (g == NULL)
    return;
  free(g->lambda_per_s);
  free(g->decay);
  free(g->kick);
  free(g->var_A2);
  free(g->x_A);
  free(g);
}

size_t phys_flicker_gen_npoles(const phys_flicker_gen *g)
{
  return g->np;
}

void phys_flicker_gen_fill(phys_flicker_gen *g, tk_rng *rng, size_t n,
                           double *out)
{
  if (!g->started) {
    for (size_t k = 0; k < g->np; k++)
      g->x_A[k] = sqrt(g->var_A2[k]) * tk_rng_gauss(rng);
    g->started = 1;
  }
  double white_sd = sqrt(g->white_psd / (2.0 * g->dt_s));
  for (size_t i = 0; i < n; i++) {
    double s = 0;
    for (size_t k = 0; k < g->np; k++) {
      g->x_A[k] = g->decay[k] * g->x_A[k] + g->kick[k] * tk_rng_gauss(rng);
      s += g->x_A[k];
    }
    out[i] = s + white_sd * tk_rng_gauss(rng);
  }
}

double phys_flicker_gen_psd(const phys_flicker_gen *g, double f_Hz)
{
  /* One sampled AR(1) of variance v, coefficient r: one-sided
   * 2 dt v (1 - r^2) / (1 - 2 r cos(w dt) + r^2). */
  double c = cos(2.0 * PHYS_PI * f_Hz * g->dt_s);
  double s = 0;
  for (size_t k = 0; k < g->np; k++) {
    double r = g->decay[k];
    double den = (1.0 - r) * (1.0 - r) + 2.0 * r * (1.0 - c);
    s += 2.0 * g->dt_s * g->kick[k] * g->kick[k] / den;
  }
  return s + g->white_psd;
}

/* ---- RTS path ---- */

int phys_rts_gen_init(phys_rts_gen *g, const phys_rts_params *p, tk_rng *rng,
                      tk_err *err)
{
  TK_TRY(phys_rts_check(p, err));
  g->p = *p;
  double p1 = p->tau1_s / (p->tau0_s + p->tau1_s);
  g->state = tk_rng_uniform(rng) < p1 ? 1 : 0;
  g->t_left_s = tk_rng_exponential(rng, g->state ? p->tau1_s : p->tau0_s);
  return TK_OK;
}

int phys_rts_gen_fill(phys_rts_gen *g, tk_rng *rng, double dt_s, size_t n,
                      double *out, tk_err *err)
{
  TK_TRY(check_dt(dt_s, err));
  for (size_t k = 0; k < n; k++) {
    out[k] = g->state ? g->p.di_A : 0.0;
    double t = dt_s;
    while (g->t_left_s <= t) {
      t -= g->t_left_s;
      g->state = !g->state;
      g->t_left_s = tk_rng_exponential(rng, g->state ? g->p.tau1_s : g->p.tau0_s);
    }
    g->t_left_s -= t;
  }
  return TK_OK;
}
