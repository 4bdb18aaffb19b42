/* cal_occupancy.h -- P(state) from a digitised sequence, with standard
 * errors that account for autocorrelation.
 *
 * Workload: one state sequence per sweep point (10^4-10^7 samples, K <= 16
 * states).  Consecutive samples of a cell are strongly correlated (tens to
 * thousands of samples per correlation time), so the naive binomial error
 * sqrt(p (1 - p) / n) is too small by sqrt(g), g the statistical
 * inefficiency; it is returned only for comparison (se_naive).
 *
 * Two autocorrelation-aware errors per state k, from the indicator
 * sequence 1[state == k]:
 *  - batch means: nbatch equal consecutive batches (the tail n mod nbatch
 *    samples are dropped from the batches, not from p), se_bm = sd of the
 *    batch means / sqrt(nbatch).  Valid when a batch spans many correlation
 *    times (batch_len >> g); its own relative uncertainty is about
 *    1 / sqrt(2 (nbatch - 1)).
 *  - integrated time: se_iat = sqrt(p (1 - p) g / n) with g = 1 + 2 sum
 *    rho_k of the indicator (FFT autocorrelation, Sokal window,
 *    cal_ineff_from_acf).  Lower variance than batch means.
 * The reported se is se_iat when its window was found, else se_bm; short
 * batches (batch_len < 10 g) are flagged in batches_short.  A state never
 * or always visited has se = 0: fits put a floor under it.
 */
#ifndef CAL_OCCUPANCY_H
#define CAL_OCCUPANCY_H

#include <stddef.h>
#include <stdint.h>

#include "calibrate/cal_digitize.h"
#include "common/tk_error.h"

typedef struct cal_occupancy_params {
  size_t nbatch;       /* batch count, >= 8 */
  double sokal_c;      /* Sokal window constant, > 0 */
} cal_occupancy_params;

/* nbatch 32, sokal_c 5. */
cal_occupancy_params cal_occupancy_default_params(void);

typedef struct cal_occupancy_result {
  unsigned K;                      /* states */
  size_t n;                        /* samples */
  size_t batch_len;                /* samples per batch */
  double p[CAL_MAX_STATES];        /* occupancy, sums to 1 */
  double se[CAL_MAX_STATES];       /* reported standard error (see above) */
  double se_bm[CAL_MAX_STATES];    /* batch-means standard error */
  double se_iat[CAL_MAX_STATES];   /* integrated-time standard error (NaN if none) */
  double se_naive[CAL_MAX_STATES]; /* binomial sqrt(p(1-p)/n): comparison only */
  double ineff[CAL_MAX_STATES];    /* indicator's g = 1 + 2 sum rho (NaN if none) */
  int batches_short;               /* 1 if some batch_len < 10 g */
} cal_occupancy_result;

/* state[n] in 0..K-1 (2 <= K <= 16, n >= 16 nbatch). */
int cal_occupancy(const uint8_t *state, size_t n, unsigned K,
                  const cal_occupancy_params *p, cal_occupancy_result *res,
                  tk_err *err);

/* ---- independent repeats: the errors' scale factor ----
 *
 * A single record's error (se_iat or se_bm) sees only variance on scales
 * shorter than the record; R independent records of one point measure the
 * whole of it.  For n points, each with R records (R >= 2), se_within[i]
 * is the error of the point's mean from the records' own errors (sqrt of
 * the sum of their squares / R) and se_between[i] the sd of the R record
 * values / sqrt(R).  The pooled ratio
 *     s^2 = sum_i se_between[i]^2 / sum_i se_within[i]^2
 * over the points where both are finite and se_within > 0 is the factor
 * by which the within-record variances must be scaled (1: they were
 * right).  Pooling keeps the estimate stable: a single point's R - 1
 * degrees of freedom would make a noisy weight (E[1 / s^2] > 1 / sigma^2).
 * *scale = s, *dof = (R - 1) times the points used (0 when none; *scale is
 * then 1).  rel_err ~ 1 / sqrt(2 dof) for the scale's square. */
int cal_repeat_scale(const double *se_within, const double *se_between,
                     size_t n, unsigned R, double *scale, double *dof,
                     tk_err *err);

#endif
