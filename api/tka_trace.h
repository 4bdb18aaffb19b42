/* tka_trace.h -- simulated cell traces for foreign callers: `tsukit
 * trace` (run/run_trace.h) run into a trace file, then its runs read back
 * (io/io_trace.h) with the output digitised into states
 * (calibrate/cal_digitize.h: pbit with the thresholds the measurement
 * used, categorical by the high output line; gmm cells have no states).
 *
 * Workload: one ngspice or native run per operating point (seconds for
 * microseconds of simulated time); the file is written as
 * FILE.partial and renamed only when complete.
 */
#ifndef TKA_TRACE_H
#define TKA_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

typedef struct tka_trace tka_trace;

/* Simulate shipped cell `cell` at n_vctl / n_ctl operating points
 * (vctl_V: n_ctl controls per point), time_s simulated seconds each,
 * temperature temp_K, engine native (1) or ngspice (0), noise seed; write
 * `out` (force 1: replace it) and read it back into *res. */
int tka_trace_run(const char *cell, const double *vctl_V, size_t n_vctl,
                  double time_s, double temp_K, int native, uint64_t seed,
                  const char *out, int force, tka_trace **res, tk_err *err);
void tka_trace_free(tka_trace *t);

/* Runs (operating points), the cell kind ("pbit", "categorical",
 * "gmm"), the supply. */
size_t tka_trace_runs(const tka_trace *t);
const char *tka_trace_kind(const tka_trace *t);
double tka_trace_vdd_V(const tka_trace *t);
/* Run r: time [n] (s), output line k [n] (V; n_lines of them), the
 * digitised state [n] (NULL for gmm); owned by t.  NULL if r or k is out
 * of range. */
const double *tka_trace_time(const tka_trace *t, size_t r, size_t *n);
unsigned tka_trace_n_lines(const tka_trace *t, size_t r);
const double *tka_trace_line(const tka_trace *t, size_t r, unsigned k,
                             size_t *n);
const uint8_t *tka_trace_state(const tka_trace *t, size_t r, size_t *n);
/* The measured figures of the cell's kind (io_trace_figdefs: pbit p1,
 * tau_s, tau_flip_s, flips, energy_per_flip_J; ...): their number, the
 * name of figure k, and its value in run r (NaN out of range). */
size_t tka_trace_n_figs(const tka_trace *t);
const char *tka_trace_fig_name(const tka_trace *t, size_t k);
double tka_trace_fig(const tka_trace *t, size_t r, size_t k);

#endif
