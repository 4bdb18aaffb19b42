/* io_dwell.h -- the file of `tsukit doublewell -o`: escape times of the
 * double-well Langevin particles, their histogram, the rates, and a
 * rate-versus-barrier scan (simulated points, exact and Kramers curves).
 *
 * Workload: one small file (particles + ~300 values), written once and
 * read back for its figure.
 *
 * Layout:
 *   /doublewell/fpt_s [particles] (s), hist_edges_s [41] (s),
 *   hist_counts [40], and [1] each: barrier_kT (kT), temperature_K (K),
 *   t0_s (s), step_t0 (t0), rate_measured_per_s, rate_measured_sigma_per_s,
 *   rate_exact_per_s, rate_kramers_per_s (1/s); attribute model;
 *   /scan/barrier_kT, rate_measured_per_s, rate_measured_sigma_per_s
 *   [scan points]; /scan/curve_barrier_kT, curve_exact_per_s,
 *   curve_kramers_per_s [curve points].
 */
#ifndef IO_DWELL_H
#define IO_DWELL_H

#include <stddef.h>

#include "common/tk_error.h"
#include "io/io_h5.h"

typedef struct io_dwell {
  const double *fpt_s;  /* [n_fpt] first-passage times */
  size_t n_fpt;         /* particles that escaped */
  const double *hist_edges_s; /* [n_hist + 1] */
  const double *hist_counts;  /* [n_hist] */
  size_t n_hist;        /* histogram bins */
  double barrier_kT;    /* barrier dU / kT */
  double temp_K;        /* temperature */
  double t0_s;          /* time unit a^2 gamma / kT */
  double step_t0;       /* integration step, units of t0 */
  double rate_per_s, rate_se_per_s; /* measured rate and its sigma */
  double exact_per_s, kramers_per_s; /* exact and Kramers rates */
  const double *scan_barrier_kT, *scan_rate_per_s, *scan_rate_se_per_s;
  size_t n_scan;        /* simulated scan points */
  const double *curve_barrier_kT, *curve_exact_per_s, *curve_kramers_per_s;
  size_t n_curve;       /* curve points */
  const char *model;    /* one-line model description */
} io_dwell;

int io_dwell_write(const char *path, const io_prov *prov, int force,
                   const io_dwell *d, tk_err *err);

/* The scan read back: x[0..2] simulated (barrier, rate, sigma) of n_scan
 * points, x[3..5] curves (barrier, exact, Kramers) of n_curve points;
 * free each x[i] (also after a failure, NULL where unread). */
int io_dwell_read_scan(const char *path, double *x[6], size_t *n_scan,
                       size_t *n_curve, tk_err *err);

#endif
