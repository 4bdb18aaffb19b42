/* ckt_measure.h -- the figures `tsukit trace` reports from a pbit trace:
 * P(1), correlation time, flips, energy per flip.
 *
 * Workload: one uniformly sampled output trace of 10^3-10^6 samples per
 * run; one pass plus one FFT autocorrelation (physics/phys_spectral).
 * This is deliberately minimal: calibrate/ holds the full digitiser and
 * fits; circuits/ may not depend on calibrate/ (layers point down).
 *
 * Digitiser: hysteresis at 30 % and 70 % of VDD (state 1 when v >= hi,
 * 0 when v <= lo, else unchanged; the first sample takes the nearer
 * rail).  Correlation time of the 0/1 sequence, two ways:
 *   tau_acf_s: integrated autocorrelation time with Sokal's window,
 *              dt (tau_int / 2) with tau_int = 1 + 2 sum rho_k
 *              (phys_tau_int, c = 5); for a telegraph process with
 *              rho = exp(-t/tau) this is tau.
 *   tau_flip_s: 2 p0 p1 T / flips, the two-state Markov relation between
 *              flip rate and correlation time (docs/ARCHITECTURE.md, conventions).
 * tau_s is tau_acf_s when the Sokal window closes within the record,
 * else tau_flip_s; NaN when there are fewer than 2 flips.
 */
#ifndef CKT_MEASURE_H
#define CKT_MEASURE_H

#include <stddef.h>

#include "common/tk_error.h"

typedef struct ckt_pbit_stats {
  double p1;            /* fraction of time in state 1 */
  size_t flips;         /* state changes */
  double tau_s;         /* correlation time (see above), NaN if unknown */
  double tau_acf_s;     /* ACF estimate, NaN if not available */
  double tau_flip_s;    /* flip-rate estimate, NaN if flips < 2 */
  double e_per_flip_J;  /* supply energy / flips, NaN if no flips */
  double lo_V, hi_V;    /* digitiser thresholds */
} ckt_pbit_stats;

int ckt_measure_pbit(const double *v_V, size_t n, double dt_s, double vdd_V,
                     double e_supply_J, ckt_pbit_stats *st, tk_err *err);



/* Two-mode statistics of a continuous output: samples below split_V form
 * mode 0, the rest mode 1 (split at half the mode separation). */
typedef struct ckt_gmm_stats {
  double mu_V[2];       /* mode means (NaN if a mode is empty) */
  double sigma_V[2];    /* mode standard deviations */
  double w0;            /* weight of mode 0 */
} ckt_gmm_stats;

int ckt_measure_gmm2(const double *v_V, size_t n, double split_V,
                     ckt_gmm_stats *st, tk_err *err);
/* K one-hot output lines (K <= 8) -> state: it becomes k when line k is
 * >= 0.7 VDD (lowest k if several), and keeps its value while no line is
 * high.  tau_s = (1 - sum p_k^2) T / flips: for a K-state Markov chain that
 * relaxes at one rate 1/tau the flip rate is (1 - sum p_k^2) / tau (the
 * pbit relation 2 p0 p1 T / flips for K = 2). */
typedef struct ckt_cat_stats {
  double p[8];          /* occupancy of each state */
  size_t flips;         /* state changes */
  double tau_s;         /* correlation time, NaN if flips < 2 */
} ckt_cat_stats;

int ckt_measure_cat(const double *const *lines, unsigned K, size_t n,
                    double dt_s, double vdd_V, ckt_cat_stats *st, tk_err *err);
#endif
