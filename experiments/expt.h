/* expt.h -- reproducible experiments: one run per claim or figure of the
 * seed documents, each writing an HDF5 result file, a gnuplot figure made
 * from that file, and a one-line summary; plus the report that is
 * regenerated from the result files (experiments/REPORT.md).
 *
 * Workload: a dozen experiments, each seconds (--quick) to minutes (full);
 * the framework itself does only bookkeeping.
 *
 * One experiment = one expt_info row (expt_registry.c): a run function
 * that computes and writes its data through the expt_run handle, and a
 * plot function that reads the COMMITTED file back and draws the figure
 * (plots are made from the data files, never the other way round).
 *
 * Result file DIR/NAME.h5 (besides io_h5's provenance attributes
 * tsukit_version, created_utc, command, seed):
 *   /                 attrs experiment, title, quick (0/1), wall_s
 *   /inputs/<key>     scalar, unit attr, attr source: every stated input
 *   /summary/<key>    scalar, unit attr: the summary line's values
 *                     (attr keys on /summary keeps their order)
 *   /compare/<id>/    tsukit, published (scalars with unit); attrs
 *                     quantity, source, why: one row of "tsukit vs the
 *                     published figure" (attr order on /compare)
 *   /tables/<id>/     columns c0..cN (1-D, same length, unit each); attrs
 *                     title, columns (names joined by '|'), rows (row
 *                     labels joined by '|', optional)
 *   /notes            attr text: findings computed by the run
 *   anything else     the experiment's own data, units on every dataset
 * The report reads only these files: every number in it comes from a
 * file, whose command attribute says how it was made.
 */
#ifndef EXPT_H
#define EXPT_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "io/io_h5.h"

#define EXPT_MAX_SUMMARY 48
#define EXPT_KEY_MAX 48

typedef struct expt_ctx {
  const char *out_dir;  /* folder for NAME.h5 and NAME.png (created) */
  int quick;            /* 1: the --quick variant (test suite) */
  uint64_t seed;        /* base random seed */
  unsigned workers;     /* worker processes / threads, >= 1 */
  const char *command;  /* command line, for provenance */
  int quiet;            /* 1: no progress output */
} expt_ctx;

typedef struct expt_summary {
  size_t n;                              /* entries used */
  char key[EXPT_MAX_SUMMARY][EXPT_KEY_MAX]; /* summary keys, in order */
  double value[EXPT_MAX_SUMMARY];        /* their values, SI units */
} expt_summary;

/* What a run function writes through (opaque to the experiments' data:
 * they use f directly for their own datasets). */
typedef struct expt_run {
  io_file *f;           /* the result file being written */
  const expt_ctx *ctx;  /* options of the run */
  expt_summary sum;     /* summary so far */
  char order[1024];     /* compare ids in order, '|'-joined */
  char notes[4096];     /* notes text so far */
} expt_run;

typedef int (*expt_run_fn)(expt_run *r, tk_err *err);
/* Draw png from the committed result file h5. */
typedef int (*expt_plot_fn)(const char *h5, const char *png, tk_err *err);

typedef struct expt_info {
  const char *name;     /* command word, e.g. "energy-wall" */
  const char *title;    /* section title in the report */
  const char *summary;  /* one line for `tsukit experiment list` */
  const char *about;    /* what it does and what it compares (report prose) */
  expt_run_fn run;      /* computes and writes the data */
  expt_plot_fn plot;    /* figure from the file; NULL: none */
} expt_info;

/* The registry (expt_registry.c), in report order. */
size_t expt_count(void);
const expt_info *expt_at(size_t i);
const expt_info *expt_find(const char *name);

/* Run one experiment: DIR/NAME.h5 (replaced if present) and DIR/NAME.png;
 * sum receives the summary, *wall_s the run time (both may be NULL). */
int expt_execute(const expt_info *e, const expt_ctx *c, expt_summary *sum,
                 double *wall_s, tk_err *err);

/* ---- for run functions ---- */
/* A summary value (also written to /summary/<key>). */
int expt_sum(expt_run *r, const char *key, double value, const char *unit,
             tk_err *err);
/* A stated input with where it comes from. */
int expt_input(expt_run *r, const char *key, double value, const char *unit,
               const char *source, tk_err *err);
/* One comparison row (published may be NAN when there is none). */
int expt_compare(expt_run *r, const char *id, const char *quantity,
                 double tsukit, double published, const char *unit,
                 const char *source, const char *why, tk_err *err);
/* A table of ncols columns of nrows values; col[j] points to column j;
 * row_labels may be NULL. */
int expt_table(expt_run *r, const char *id, const char *title, size_t nrows,
               size_t ncols, const char *const *names,
               const char *const *units, const double *const *col,
               const char *const *row_labels, tk_err *err);
/* Append a sentence to /notes (printf-style). */
void expt_note(expt_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Write a 1-D f64 dataset (shorthand). */
int expt_vec(expt_run *r, const char *path, const double *x, size_t n,
             const char *unit, tk_err *err);

/* ---- for plot functions ---- */
/* Read a 1-D (or flattened) dataset; *n its element count. */
int expt_read(io_file *f, const char *path, double **x, size_t *n,
              tk_err *err);
/* Read a scalar dataset. */
int expt_read1(io_file *f, const char *path, double *v, tk_err *err);

/* ---- the report (expt_report.c) ---- */
/* Write the markdown report for every experiment whose result file is in
 * dir; figure links are made relative to the report's folder.  *n_found
 * receives the number of experiments found. */
int expt_report_write(const char *dir, const char *report_path,
                      size_t *n_found, tk_err *err);

#endif
