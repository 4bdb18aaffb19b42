/* run_doublewell.h -- `tsukit doublewell` as a library call: the escape
 * rate of overdamped Langevin particles from the talk's double well,
 * against the exact and Kramers rates (physics/phys_dwell.h); with an
 * output file, also a rate-versus-barrier scan, the file
 * (io/io_dwell.h) and its figure FILE.png drawn from the file.
 *
 * Workload: particles x mean escape time / step integration steps
 * (seconds at a few kT, minutes near 10 kT); the scan adds five runs of
 * at most 400 particles at 1..5 kT.  Progress on stderr.
 */
#ifndef RUN_DOUBLEWELL_H
#define RUN_DOUBLEWELL_H

#include <stddef.h>

#include "common/tk_error.h"
#include "physics/phys_dwell.h"

typedef struct run_doublewell_params {
  phys_dwell_params dw; /* the model and run (particles default 2000) */
  int n_threads;        /* OpenMP threads, 0: all (default) */
  const char *out;      /* output file, NULL: none (default) */
  int force;            /* 1: overwrite out */
  int progress;         /* 1: progress on stderr (default) */
  const char *command;  /* provenance command line (NULL: "") */
} run_doublewell_params;

run_doublewell_params run_doublewell_default_params(void);

typedef struct run_doublewell_result {
  size_t particles;     /* particles that escaped */
  double rate_per_s;    /* measured rate 1 / mean first-passage time */
  double rate_se_per_s; /* its standard error */
  double exact_per_s;   /* exact rate */
  double kramers_per_s; /* Kramers' high-barrier rate */
  double mfpt_ratio;    /* rate / exact */
  double mfpt_ratio_sigma; /* rate_se / exact */
  double kramers_ratio; /* rate / Kramers */
} run_doublewell_result;

int run_doublewell(const run_doublewell_params *p,
                   run_doublewell_result *res, tk_err *err);

#endif
