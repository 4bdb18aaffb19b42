/* run_plot.h -- `tsukit plot`: the figure that fits a result file.
 *
 * The file's root attribute `kind` picks the figure (a table: trace,
 * dtm-samples, dtm-model, cells; a file without `kind` but with /traces
 * is a trace file).  Every figure is drawn by gnuplot from the data read
 * back from the file (io/), never from values held in memory.
 *
 *   trace        each run's output node against time in units of its
 *                measured tau (categorical: the state; gmm: histogram)
 *   cells        a pbit or gmm library: transfer curves at each
 *                temperature with their fits, the v0 mismatch band, tau
 *   dtm-samples  the sample grid and denoising chains (run_dtm.h)
 *   dtm-model    the training history (run_dtm.h)
 */
#ifndef RUN_PLOT_H
#define RUN_PLOT_H

#include <stddef.h>

#include "common/tk_error.h"

/* Draw the figure of file `in` into `png`; kind (if not NULL) gets the
 * file kind that chose it.  TK_EFORMAT: no figure for this file kind. */
int run_plot(const char *in, const char *png, char *kind, size_t kind_size,
             tk_err *err);

#endif
