/* phys_dwell.h -- the overdamped double well: simulation and exact rates.
 *
 * The talk's picture of thermally activated switching: a particle in
 *     U(x) = dU [(x/a)^2 - 1]^2
 * (minima at x = -a, +a, barrier dU at x = 0) with friction gamma at
 * temperature T, overdamped Langevin dynamics
 *     dx = -(1/gamma) U'(x) dt + sqrt(2 D) dW,   D = kT / gamma.
 * Everything is computed in reduced units y = x/a, tau = t / t0 with
 * t0 = a^2 / D = a^2 gamma / kT, b = dU/kT:
 *     dy = -u'(y) dtau + sqrt(2) dW,   u(y) = b (y^2 - 1)^2.
 * The escape rate is 1 / (mean first-passage time from y = -1 to y = +1).
 *
 * References (pure functions, phys_dwell_*_rate):
 *   exact  1/T with T = int_{-1}^{1} dy e^{u(y)} int_{-inf}^{y} dz e^{-u(z)}
 *          (the MFPT of a 1-D diffusion with a reflecting end at -inf and an
 *          absorbing point at +1), by nested GSL quadrature;
 *   Kramers (overdamped, high barrier)
 *          k = sqrt(u''(-1) |u''(0)|) / (2 pi) e^{-b} = sqrt(32) b e^{-b} / (2 pi).
 * 1/T -> k as b -> infinity with O(1/b) corrections.
 *
 * Integrator: the Leimkuhler-Matthews scheme
 *     y' = y - u'(y) h + sqrt(h/2) (xi_n + xi_{n+1}),
 * same cost as Euler-Maruyama but with an O(h^2) error in the stationary
 * density.  The rate still carries an O(h) bias, measured at b = 8 with
 * 3000 particles: -4.6 % at 8 b h = 0.128, -2.3 % at 0.064, -0.2 +- 1.8 %
 * at 0.032.  The automatic step is h = min(1e-3, 0.032 / (8 b)), i.e. a
 * bias of about 1 %; tests/test_doublewell.c holds the rate to the exact
 * one.  Each particle draws from its own counter-RNG stream
 * (seed, particle), so results do not depend on the thread count.
 */
#ifndef PHYS_DWELL_H
#define PHYS_DWELL_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

typedef struct phys_dwell_params {
  double barrier_kT;    /* b = dU / kT, in (0, 40] */
  double temp_K;        /* temperature, > 0 */
  double a_m;           /* half distance between the minima, > 0 */
  double gamma_kg_per_s;/* friction coefficient, > 0 */
  double h;             /* reduced time step; 0: automatic (see above) */
  double tmax;          /* reduced time after which a particle is given up, > 0 */
  size_t particles;     /* independent particles, >= 1 */
  uint64_t seed;        /* random seed */
} phys_dwell_params;

/* b = 6, T = 300 K, a = 1 nm, gamma = 4.142e-12 kg/s (t0 = 1.0 ns at
 * 300 K), automatic step, tmax = 1e9, 1000 particles, seed 1. */
phys_dwell_params phys_dwell_default_params(void);
int phys_dwell_check(const phys_dwell_params *p, tk_err *err);

/* t0 = a^2 gamma / kT: the reduced time unit in seconds. */
double phys_dwell_t0_s(const phys_dwell_params *p);
/* The step the simulation uses (h, or the automatic choice). */
double phys_dwell_step(const phys_dwell_params *p);

/* Reduced rates (1 / t0 units) for barrier b. */
int phys_dwell_exact_rate(double b, double *rate, tk_err *err);
double phys_dwell_kramers_rate(double b);

typedef struct phys_dwell_result {
  double *fpt_s;        /* first-passage time of each particle, s */
  size_t n;             /* particles that escaped (== particles unless tmax hit) */
  double mfpt_s;        /* mean first-passage time, s */
  double mfpt_se_s;     /* its standard error, s */
  double rate_per_s;    /* 1 / mfpt_s */
  double rate_se_per_s; /* its standard error, s^-1 */
  double exact_per_s;   /* exact rate, s^-1 */
  double kramers_per_s; /* Kramers rate, s^-1 */
  double steps;         /* integration steps taken, all particles */
} phys_dwell_result;

/* Simulate; progress(done, total, ctx) is called from time to time and may
 * return non-zero to stop (TK_EINTERRUPT).  n_threads <= 0: all. */
int phys_dwell_run(const phys_dwell_params *p, int n_threads,
                   int (*progress)(size_t done, size_t total, void *ctx),
                   void *ctx, phys_dwell_result *out, tk_err *err);
void phys_dwell_result_free(phys_dwell_result *r);

#endif
