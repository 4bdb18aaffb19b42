/* cal_mismatch.h -- Monte-Carlo process variation: Pelgrom threshold
 * mismatch per transistor, and the spread of fitted cell parameters over
 * instances.
 *
 * Workload: a handful to a few hundred instances of a cell of ~10-30
 * transistors; everything here is O(instances x devices).
 *
 * Pelgrom's law (Pelgrom, Duinmaijer and Welbers, "Matching properties of
 * MOS transistors", IEEE JSSC 24(5), 1989): the threshold voltages of
 * nominally identical devices differ by a zero-mean Gaussian with
 *     sigma(V_TH) = A_VT / sqrt(W L).
 * A_VT scales with the oxide thickness, roughly 1 mV um per nm of t_ox
 * (Pelgrom, Tuinhout and Vertregt, IEDM 1998).  The default
 * CAL_AVT_DEFAULT_V_M = 2.5 mV um is an ASSUMPTION of that order for a
 * 45 nm-class process (EOT ~1.75 nm, as tsukit's bsim4 card; published
 * 45 nm figures lie around 1.5-3 mV um, and halo implants and random
 * dopant fluctuation push it up): pass a measured value with --avt.
 * Each device draws its own shift independently (this is per-device
 * random mismatch; no global corner, no spatial gradient).
 * Draw j of device i is the standard normal at (seed, stream
 * CAL_MISMATCH_STREAM + j, counter i): independent of the worker count
 * and of the order instances are run in.
 */
#ifndef CAL_MISMATCH_H
#define CAL_MISMATCH_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

#define CAL_AVT_DEFAULT_V_M 2.5e-9      /* 2.5 mV um in V m (assumption) */
#define CAL_MISMATCH_STREAM 0x4d43000000ULL  /* "MC": RNG streams of draws */

/* sigma(V_TH) = a_vt / sqrt(w l) in V; NaN for non-positive inputs. */
double cal_pelgrom_sigma_V(double a_vt_V_m, double w_m, double l_m);

/* dvth_V[n] for Monte-Carlo instance `instance`: device i gets
 * N(0, cal_pelgrom_sigma_V(a_vt, w_m[i], l_m[i])).  TK_EINVAL on a
 * non-positive A_VT, W or L. */
int cal_mismatch_draw(uint64_t seed, uint64_t instance, double a_vt_V_m,
                      const double *w_m, const double *l_m, size_t n,
                      double *dvth_V, tk_err *err);

/* Mean and sample standard deviation of the finite x[n] (NaN skipped);
 * *n_used of them.  NaN results when fewer than 2 are finite (sd) or none
 * (mean). */
void cal_spread(const double *x, size_t n, double *mean, double *sd,
                size_t *n_used);

#endif
