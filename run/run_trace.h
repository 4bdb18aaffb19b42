/* run_trace.h -- `tsukit trace` as a library call: simulate a shipped
 * cell at one or more operating points, measure each run by its kind and
 * write the trace file (io/io_trace.h).
 *
 * Workload: one ngspice (or native Langevin) run per operating point,
 * seconds each for microseconds of simulated time; every operating point
 * is checked before the first is simulated, and the file is committed
 * only when every run succeeded.  Progress on stderr, one line per run.
 */
#ifndef RUN_TRACE_H
#define RUN_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "circuits/cells/ckt_cells.h"
#include "common/tk_error.h"
#include "io/io_trace.h"

typedef struct run_trace_params {
  const char *cell;     /* cell name (ckt_cell_find); required */
  const double *vctl_V; /* [n_vctl] controls, n_ctl per run; required */
  size_t n_vctl;        /* a positive multiple of the cell's n_ctl */
  double time_s;        /* simulated time per run, (0, 1e-2] s */
  double temp_K;        /* simulation temperature (default 300.15 K) */
  int native;           /* 0: ngspice (default), 1: physics/ Langevin */
  uint64_t seed;        /* noise seed (default 1) */
  ckt_cell_opts co;     /* design knobs, 0: the cell's defaults */
  double dt_s;          /* output interval; NaN (default): the cell's */
  const char *models;   /* .model library to .include, NULL: built in */
  const char *out;      /* output file; required */
  int force;            /* 1: overwrite out */
  const char *command;  /* provenance command line (NULL: "") */
} run_trace_params;

run_trace_params run_trace_default_params(void);

typedef struct run_trace_result {
  const ckt_cell_info *ci; /* the cell */
  size_t n_runs;        /* operating points simulated */
  double vdd_V;         /* supply the figures were measured against */
  io_trace_figs *figs;  /* [n_runs] figures per run (owned) */
} run_trace_result;

/* Run and write p->out.  On success res holds the figures (free with
 * run_trace_result_free); on failure no complete file is left. */
int run_trace(const run_trace_params *p, run_trace_result *res, tk_err *err);
void run_trace_result_free(run_trace_result *res);

#endif
