/* ckt_flicker.h -- 1/f^ef noise for the transient: a sum of
 * Ornstein-Uhlenbeck processes with log-spaced corner frequencies, drawn
 * on the noise slots of ckt_session.h, a pure function of (seed, stream,
 * slot).
 *
 * Method.  Component i (corner fc_i = 1/(2 pi tau_i)) is the OU process
 * of variance sigma_i^2, one-sided density 4 sigma_i^2 tau_i / (1 +
 * (f/fc_i)^2), sampled exactly on the slot grid t_k = k nt:
 *     x_i,k = a_i x_i,k-1 + sigma_i sqrt(1 - a_i^2) g_i,k,  a_i = e^-nt/tau_i,
 * started stationary (x_i,0 = sigma_i g_i,0).  The corners are r =
 * 10^(1/CKT_FLK_PER_DEC) apart, from fc_max = 3/(2 pi nt) down to fc_min
 * <= f_lo / 1000; sigma_i^2 = c fc_i^(1 - ef).  For log-spaced corners
 * the sum tends to
 *     S(f) = (2 c / (pi ln r)) f^-ef  Int_0^inf u^(1-ef) / (1 + u^2) du
 *          = c / (ln r sin(pi (2 - ef) / 2)) f^-ef      (0 < ef < 2),
 * so c = ln r sin(pi (2 - ef) / 2) gives S(f) = 1/f^ef.  The value
 * injected is y_k - y_0 (y = sum_i x_i): the slot-0 value is subtracted so
 * that the DC operating point (t = 0) stays noiseless, as for the white
 * noise; a constant does not change the density at f > 0.  Between slots
 * the value is interpolated linearly, as the white noise is.
 *
 * Band and error: ckt_flicker_psd is the exact density of what is
 * injected (the sampled AR(1) sum with its aliasing, times the linear
 * interpolation's (2 + cos 2 pi f nt)/3); inside [f_lo, f_hi], f_lo =
 * 1/t_stop, f_hi = 1/(50 nt), it is within 3 % of 1/f^ef for ef in
 * [0.8, 1.5] and within 9 % for ef in [0.5, 0.8) (the corners above
 * the slot rate, white after sampling, fall short for a flat spectrum;
 * tests/test_ckt_flicker.c checks it on a grid of ef, nt and t_stop, and
 * a periodogram of the generated sequence against it).  Below f_lo the
 * density keeps rising to f_lo / 1000, then flattens; above f_hi it falls
 * off.  ef outside [0.5, 1.5] is refused.
 *
 * Workload: per source and slot one AR(1) step per corner (~25 corners
 * for a 10^5-slot record) and one Philox block per two corners.
 */
#ifndef CKT_FLICKER_H
#define CKT_FLICKER_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

#define CKT_FLK_MAX 64      /* corners at most */
#define CKT_FLK_PER_DEC 3   /* corners per decade */
#define CKT_FLK_RING 8      /* slots kept for ngspice's rejected steps */

typedef struct ckt_flk_plan {
  size_t n;                    /* corners, 0: no flicker */
  double nt_s;                 /* slot length */
  double ef;                   /* exponent, (0, 2) */
  double f_lo_Hz, f_hi_Hz;     /* the band where S = 1/f^ef within 3 % */
  double fc_Hz[CKT_FLK_MAX];   /* corners */
  double a[CKT_FLK_MAX];       /* e^(-nt / tau_i) */
  double sd[CKT_FLK_MAX];      /* sigma_i */
} ckt_flk_plan;

/* The plan for slots of nt_s, a record of t_stop_s (f_lo = 1/t_stop_s)
 * and exponent ef; TK_ERANGE when ef is outside (0, 2) or the band is
 * empty (t_stop_s < 100 nt_s). */
int ckt_flicker_plan(double nt_s, double t_stop_s, double ef,
                     ckt_flk_plan *pl, tk_err *err);

/* One-sided density (per unit coefficient, 1/Hz) of the sum at f_Hz:
 * the continuous-time OU sum (the slot sampling not included). */
double ckt_flicker_psd(const ckt_flk_plan *pl, double f_Hz);

/* The state of one source's sequence: the corners at slot k and the last
 * CKT_FLK_RING values.  Zero it (memset) before the first call. */
typedef struct ckt_flk_state {
  uint64_t k;                  /* last slot computed (valid if started) */
  int started;                 /* 0: not yet */
  double x[CKT_FLK_MAX];       /* corners at slot k */
  double y0;                   /* sum at slot 0 */
  double ring[CKT_FLK_RING];   /* y_j - y0 for j in (k - RING, k] */
} ckt_flk_state;

/* y_k - y_0 of (seed, stream) (unit coefficient: density ~ 1/f^ef).
 * Sequential k is O(corners); a k more than CKT_FLK_RING slots back
 * restarts from slot 0 (the same values). */
double ckt_flicker_at(const ckt_flk_plan *pl, ckt_flk_state *st,
                      uint64_t seed, uint64_t stream, uint64_t k);

#endif
