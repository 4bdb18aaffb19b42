/* run_cellmeasure.h -- the per-kind measurement of a simulated cell: its
 * output lines found in the trace, the figures of its kind, and the
 * digitised state per sample, from one table indexed by ckt_cellkind.
 *
 * Workload: one pass (plus one FFT autocorrelation for a pbit) over a
 * trace of 10^3-10^6 samples per run; used by run_trace and by the
 * experiments' forked cell runs (experiments/expt_cellrun.c).
 *
 * Digitisers (the same ones ckt_measure.h documents):
 *   pbit         hysteresis at 30 % / 70 % of VDD, first sample the nearer
 *                rail (>= VDD/2: 1);
 *   categorical  the lowest line that is >= 0.7 VDD; the state holds while
 *                no line is high (0 before any line was);
 *   gmm          continuous: no states (the figures split the output at
 *                half the second control, the mode separation).
 */
#ifndef RUN_CELLMEASURE_H
#define RUN_CELLMEASURE_H

#include <stddef.h>
#include <stdint.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "common/tk_error.h"
#include "io/io_trace.h"

#define RUN_MAX_LINES 8  /* output lines of a cell */

/* A cell's output lines in one trace. */
typedef struct run_cell_lines {
  const double *v_V[RUN_MAX_LINES]; /* [n] each, in ci->outputs order */
  unsigned n_lines;     /* lines, >= 1 */
  size_t n;             /* samples per line */
  double dt_s;          /* sample interval */
  double vdd_V;         /* supply the thresholds scale with */
} run_cell_lines;

/* The lines of ci->outputs in tr (TK_EINTERNAL when one is missing). */
int run_cell_lines_get(const ckt_cell_info *ci, const ckt_trace *tr,
                       double vdd_V, run_cell_lines *out, tk_err *err);

typedef struct run_cellkind_measure {
  ckt_cellkind kind;    /* the row's kind */
  /* figures of the run (f->kind set, its member filled); vctl_V are the
   * run's controls, e_supply_J the supply energy over the trace */
  int (*figures)(const run_cell_lines *l, const double *vctl_V,
                 double e_supply_J, io_trace_figs *f, tk_err *err);
  /* state[n] from the lines; NULL for a continuous output */
  void (*states)(const run_cell_lines *l, uint8_t *state);
} run_cellkind_measure;

/* The row of kind k (NULL outside the enum). */
const run_cellkind_measure *run_cellkind_measure_get(ckt_cellkind k);

#endif
