/* cal_digitize.h -- analog traces -> discrete states with hysteresis;
 * flips and dwell times.
 *
 * Workload: one uniformly sampled trace per sweep point, 10^4-10^7
 * samples, two levels (pbit) or K levels / K one-hot output lines (cat4).
 * One pass over the data plus a histogram; no allocation beyond K-sized
 * scratch.
 *
 * Two-state (cal_digitize2).  Thresholds lo_V < hi_V: the state becomes 1
 * when v >= hi_V, 0 when v <= lo_V, and otherwise keeps its previous value,
 * so noise on a slow edge cannot make spurious flips.  The first sample
 * takes the state of the nearer threshold.  Thresholds are given, or
 * derived from the trace (both NaN): the histogram is split at Otsu's
 * threshold (the cut maximising the between-class variance), the two class
 * means m0 < m1 are the levels, and
 *     lo_V = m0 + hyst_frac (m1 - m0),  hi_V = m1 - hyst_frac (m1 - m0).
 * A derived split is accepted as two levels only if
 *     m1 - m0 >= min_sep_sd * max(sd0, sd1)
 * (class standard deviations); a unimodal noisy trace split by Otsu gives a
 * ratio of about 2.7, a digital pbit output hundreds.
 *
 * K-state by levels (cal_digitize_levels): K ascending levels; the state
 * becomes k when v comes within capture_frac * (half the distance to the
 * nearest other level) of level k, otherwise it keeps its value.
 * K-state by lines (cal_digitize_lines): K output traces; the state is the
 * line that is high: it becomes k when line k >= hi_V while the current
 * line has fallen to <= lo_V (if several lines are high, the highest wins).
 *
 * No transitions.  When the digitised sequence never changes state (or a
 * derived two-state split is not bimodal), the functions still fill the
 * state array and the result (flips = 0, no_transitions = 1) and return
 * TK_ENUMERIC with the message "no transitions observed ...": a caller
 * must not fit or estimate a correlation time from such a trace.
 */
#ifndef CAL_DIGITIZE_H
#define CAL_DIGITIZE_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

#define CAL_MAX_STATES 16

typedef struct cal_digitize_params {
  double lo_V;          /* lower threshold (two-state, lines); NaN: derive */
  double hi_V;          /* upper threshold; NaN: derive; hi_V > lo_V */
  double hyst_frac;     /* derived thresholds' inset from the levels, (0, 0.5) */
  double min_sep_sd;    /* bimodality criterion for derived levels, > 0 */
  size_t nbins;         /* histogram bins for derivation, >= 16 */
  double capture_frac;  /* K-level capture radius fraction, (0, 1] */
} cal_digitize_params;

/* lo/hi NaN (derive), hyst_frac 0.25, min_sep_sd 6, nbins 256,
 * capture_frac 0.5. */
cal_digitize_params cal_digitize_default_params(void);

typedef struct cal_digitize_result {
  double lo_V, hi_V;          /* thresholds used (two-state, lines) */
  double level_V[2];          /* derived levels m0 < m1 (NaN if given) */
  double level_sd_V[2];       /* class standard deviations (NaN if given) */
  size_t flips;               /* number of state changes */
  size_t count[CAL_MAX_STATES];  /* samples in each state */
  int no_transitions;         /* 1 if flips == 0 or the split is not bimodal */
} cal_digitize_result;

/* state[n] <- 0/1 from v_V[n] (n >= 2). */
int cal_digitize2(const double *v_V, size_t n, const cal_digitize_params *p,
                  uint8_t *state, cal_digitize_result *res, tk_err *err);

/* state[n] <- 0..K-1 from one trace and K ascending levels (2 <= K <= 16). */
int cal_digitize_levels(const double *v_V, size_t n, const double *level_V,
                        unsigned K, const cal_digitize_params *p,
                        uint8_t *state, cal_digitize_result *res, tk_err *err);

/* state[n] <- index of the high line; lines[k] points at K traces of n
 * samples.  lo/hi NaN: derived as in cal_digitize2 from all lines pooled. */
int cal_digitize_lines(const double *const *lines, unsigned K, size_t n,
                       const cal_digitize_params *p, uint8_t *state,
                       cal_digitize_result *res, tk_err *err);

/* Dwell (residence) times.  The first and last runs are censored (their
 * true length is unknown) and are excluded.  For each state k < K:
 * runs[k] complete runs, mean_dwell_s[k] their mean length x dt_s and
 * mean_dwell_err_s[k] its standard error (sd / sqrt(runs), NaN if < 2
 * runs).  Any output array may be NULL.  For a two-state Markov process
 * with correlation time tau and P(1) = p, the mean dwells are tau / p in
 * state 0 and tau / (1 - p) in state 1. */
int cal_dwell(const uint8_t *state, size_t n, unsigned K, double dt_s,
              size_t *runs, double *mean_dwell_s, double *mean_dwell_err_s,
              tk_err *err);

#endif
