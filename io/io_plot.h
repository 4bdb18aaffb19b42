/* io_plot.h -- figures by gnuplot, from data the caller wrote to files.
 *
 * A plot is a gnuplot script plus text data blocks.  The caller writes its
 * data (read from the HDF5 results) into inline data blocks ($name << EOD)
 * through io_plot_data_*(), then its commands, and io_plot_run() hands the
 * whole script to gnuplot and checks gnuplot's exit status.
 */
#ifndef IO_PLOT_H
#define IO_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "common/tk_error.h"

typedef struct io_plot {
  FILE *script;        /* in-memory script being written */
  char *buf;           /* open_memstream buffer */
  size_t len;          /* its length */
  char png_path[4096]; /* output figure */
} io_plot;

/* Start a script that renders a PNG of width x height pixels to png. */
int io_plot_begin(io_plot *p, const char *png, int width, int height,
                  tk_err *err);
/* Append gnuplot commands (printf-style; add your own newlines). */
void io_plot_cmd(io_plot *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Data block $name with columns x[i] y[i] (y may be NULL: x only). */
void io_plot_data_xy(io_plot *p, const char *name, const double *x,
                     const double *y, size_t n);
/* Data block $name from a row-major table of n rows x m columns. */
void io_plot_data_table(io_plot *p, const char *name, const double *t,
                        size_t n, size_t m);
/* Run gnuplot on the script and free it.  Fails if gnuplot fails or no
 * PNG was written. */
int io_plot_run(io_plot *p, tk_err *err);
/* Free a script without running it. */
void io_plot_discard(io_plot *p);

#endif
