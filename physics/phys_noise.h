/* phys_noise.h -- device noise: one-sided PSDs and time-domain generators.
 *
 * Every PSD here is ONE-SIDED, in A^2/Hz, defined for f >= 0 so that the
 * variance of the process is the integral of S(f) from 0 to infinity.
 *
 * Shot noise.  In the EKV picture (phys_mosfet.h) the drain current is the
 * difference of two opposing carrier fluxes, I_D = I_F - I_R.  In weak
 * inversion these are independent Poisson streams of charge q, so
 *     S_shot = 2 q (I_F + I_R)                      phys_noise_shot_psd()
 * At V_DS = 0 (I_F = I_R) and in weak inversion this is 4kT g_ds, the
 * Johnson noise of the channel conductance: detailed balance.
 *
 * Channel noise consistent in every region.  phys_mos_op also carries
 * F'(x_f), F'(x_r) (dflux_f/dflux_r).  In weak inversion F(x) -> e^x so
 * F' = F and the "noise-equivalent fluxes" I_S F'(x) equal I_F, I_R.  In
 * moderate and strong inversion F' < F (F/F' -> x/2), and the literal
 * 2q(I_F + I_R) overstates the noise.  The form
 *     S_ch = 2 q I_S (F'(x_f) + F'(x_r))            phys_noise_channel_psd()
 * equals 4kT g_ds EXACTLY at V_DS = 0 in every region: there
 * x_f = x_r = x, and with DIBL entering symmetrically (sigma (V_D + V_S))
 * g_ds = I_S F'(x) / U_T, so 4kT g_ds = 4 q U_T g_ds = 4 q I_S F'(x).
 * Away from V_DS = 0 in strong inversion it is a first-order interpolation,
 * not a charge-based channel-noise model; use the thermal form there.
 *
 * Thermal (saturation) channel noise: S = 4kT gamma g_m.  For a long-channel
 * device in saturation, referred to the gate transconductance, the EKV
 * strong-inversion result is S = 4kT (2/3) n g_m, i.e. gamma = 2n/3
 * (phys_noise_gamma_sat); in weak inversion saturation the exact value is
 * n/2 (shot noise 2qI_D with g_m = I_D/(n U_T)).
 *
 * Resistor: S = 4kT/R.   Flicker: S = KF I^AF / f^EF (phys_flicker_params).
 *
 * Random telegraph noise (RTS).  A current that switches between 0 and dI,
 * leaving state 0 at rate 1/tau0 and state 1 at rate 1/tau1 (mean dwell
 * times tau0, tau1).  Stationary p1 = tau1/(tau0+tau1), autocovariance
 *     C(t) = dI^2 p0 p1 exp(-|t|/tau_c),  1/tau_c = 1/tau0 + 1/tau1.
 * Fourier transform (two-sided) dI^2 p0 p1 2 tau_c / (1 + (2 pi f tau_c)^2);
 * doubling for one side and using p0 p1 = tau_c^2/(tau0 tau1),
 * tau0 tau1 / (tau0 + tau1) = tau_c:
 *     S_rts(f) = 4 dI^2 tau_c^2 / ((tau0 + tau1) (1 + (2 pi f tau_c)^2))
 *              = 4 dI^2 / ((tau0 + tau1) ((1/tau0 + 1/tau1)^2 + (2 pi f)^2))
 * (Machlup 1954).  Its integral over f >= 0 is dI^2 p0 p1, the variance.
 *
 * Generators.  All take a tk_rng (tk_rng.h) and write n samples spaced
 * dt_s.  A "white" sequence of one-sided density S has independent samples
 * of variance S / (2 dt) (flat to the Nyquist frequency 1/(2 dt)).
 *   - phys_noise_white_fill: Gaussian, zero mean.
 *   - phys_noise_shot_fill: the physical current q (N_F - N_R) / dt with
 *     N_F, N_R Poisson counts per step (mean I_F dt / q): exact counts up to
 *     a mean of 64 per step, a normal with the same mean and variance above
 *     (second moments, hence the PSD 2q(I_F+I_R), stay exact).
 *   - phys_flicker_gen: 1/f noise as a sum of Lorentzians, i.e. a bank of
 *     AR(1) processes (sampled Ornstein-Uhlenbeck), relaxation rates
 *     log-spaced at 3 per decade from f_lo/100 to 100 f_hi, equal weights
 *     sigma^2 = A Delta (Delta = ln 10 / 3): sum 4 sigma^2 l/(l^2 + w^2)
 *     ~ sigma^2/(Delta f) = A/f.  Each AR(1) is designed in the warped
 *     frequency f_w = sin(pi f dt)/(pi dt), where its sampled PSD is an
 *     exact Lorentzian, so poles may sit at or above Nyquist; white noise
 *     of density 4 sigma^2/(Delta L_top) stands in for the poles above the
 *     top one.  The ripple of log spacing is below 1e-6 (Poisson sum of the
 *     sech kernel), each band end costs about (2/pi)/100 = 0.64 %, and the
 *     warp adds (pi f dt)/sin(pi f dt) - 1.  Accuracy band: the exact PSD of
 *     the SAMPLED sequence (phys_flicker_gen_psd) is within 1 % of A/f for
 *     f_lo <= f <= f_hi when f_hi <= fs/20, within 2 % up to fs/10
 *     (measured: 0.42 % at f_lo, 0.62 % at fs/20, 1.9 % at fs/10).
 *   - phys_rts_gen: an exact two-state Markov path with exponential dwell
 *     times, point-sampled at t = k dt (values 0 and dI).
 */
#ifndef PHYS_NOISE_H
#define PHYS_NOISE_H

#include <stddef.h>

#include "common/tk_error.h"
#include "common/tk_rng.h"
#include "physics/phys_mosfet.h"

/* ---- PSDs (one-sided, A^2/Hz) ---- */

/* 2 q (|i_f| + |i_r|): the literal two-flux shot noise. */
double phys_noise_shot_psd(double i_f_A, double i_r_A);
/* 2 q I_S (F'(x_f) + F'(x_r)) from an operating point: equals 4kT g_ds at
 * V_DS = 0 in every region, 2q(I_F + I_R) in weak inversion. */
double phys_noise_channel_psd(const phys_mos_op *op);
/* 4 k T gamma g_m. */
double phys_noise_thermal_psd(double gm_S, double gamma, double temp_K);
/* gamma = 2n/3: long-channel strong-inversion saturation, gate-referred
 * to g_m of the EKV model (n = slope factor). */
double phys_noise_gamma_sat(double n);
/* 4 k T / R, r_ohm > 0. */
double phys_noise_resistor_psd(double r_ohm, double temp_K);

typedef struct phys_flicker_params {
  double kf;            /* KF, A^(2-AF) Hz^(EF-1) so that S is in A^2/Hz, >= 0 */
  double af;            /* current exponent AF, > 0 (1: number fluctuation) */
  double ef;            /* frequency exponent EF, > 0 (1: pure 1/f) */
} phys_flicker_params;

/* KF = 2q * 1 MHz = 3.204e-13 A, AF = 1, EF = 1: the flicker/shot corner
 * frequency KF/(2q) is 1 MHz, typical of a minimum-size device. */
phys_flicker_params phys_flicker_default_params(void);
int phys_flicker_check(const phys_flicker_params *p, tk_err *err);
/* KF |I|^AF / f^EF, f_Hz > 0. */
double phys_noise_flicker_psd(const phys_flicker_params *p, double i_A,
                              double f_Hz);

typedef struct phys_rts_params {
  double di_A;          /* step between the two levels, A (any sign) */
  double tau0_s;        /* mean dwell time in the low state (0), > 0 */
  double tau1_s;        /* mean dwell time in the high state (dI), > 0 */
} phys_rts_params;

int phys_rts_check(const phys_rts_params *p, tk_err *err);
/* Machlup's one-sided spectrum (formula above), f_Hz >= 0. */
double phys_noise_rts_psd(const phys_rts_params *p, double f_Hz);
/* Correlation time tau_c = tau0 tau1 / (tau0 + tau1). */
double phys_rts_tau_c_s(const phys_rts_params *p);
/* Exact one-sided PSD of the path point-sampled every dt_s, for
 * 0 <= f <= 1/(2 dt): the Machlup spectrum plus its aliases,
 * 2 dt V (1 - r^2) / (1 - 2 r cos(2 pi f dt) + r^2), r = e^(-dt/tau_c),
 * V = dI^2 p0 p1.  Tends to phys_noise_rts_psd as dt -> 0. */
double phys_noise_rts_psd_sampled(const phys_rts_params *p, double dt_s,
                                  double f_Hz);

/* ---- generators ---- */

/* out[k] ~ N(0, psd / (2 dt)): white with one-sided density psd. */
int phys_noise_white_fill(tk_rng *rng, double psd_A2_per_Hz, double dt_s,
                          size_t n, double *out, tk_err *err);

/* out[k] = q (N_F - N_R) / dt, Poisson counts of mean I dt / q. */
int phys_noise_shot_fill(tk_rng *rng, double i_f_A, double i_r_A,
                         double dt_s, size_t n, double *out, tk_err *err);

/* 1/f noise S = a / f over [f_lo, f_hi] (see the accuracy band above). */
typedef struct phys_flicker_gen phys_flicker_gen;
/* a_A2: the PSD times frequency (for a device, KF I^AF with EF = 1). */
int phys_flicker_gen_alloc(double a_A2, double f_lo_Hz, double f_hi_Hz,
                           double dt_s, phys_flicker_gen **out, tk_err *err);
void phys_flicker_gen_free(phys_flicker_gen *g);
/* Next n samples (zero mean); the first call starts every pole in its
 * stationary distribution, later calls continue the same path. */
void phys_flicker_gen_fill(phys_flicker_gen *g, tk_rng *rng, size_t n,
                           double *out);
/* Exact one-sided PSD of the sampled sequence at f_Hz (0 .. fs/2). */
double phys_flicker_gen_psd(const phys_flicker_gen *g, double f_Hz);
size_t phys_flicker_gen_npoles(const phys_flicker_gen *g);

typedef struct phys_rts_gen {
  phys_rts_params p;    /* the process */
  int state;            /* 0 (low) or 1 (high) */
  double t_left_s;      /* time until the next switch, >= 0 */
} phys_rts_gen;

/* Start in the stationary distribution (state ~ p1, dwell memoryless). */
int phys_rts_gen_init(phys_rts_gen *g, const phys_rts_params *p, tk_rng *rng,
                      tk_err *err);
/* out[k] = value at the start of step k (0 or dI); continues the path. */
int phys_rts_gen_fill(phys_rts_gen *g, tk_rng *rng, double dt_s, size_t n,
                      double *out, tk_err *err);

#endif
