/* run_dtm.h -- the Denoising Thermodynamic Model's whole runs as library
 * calls: train (checkpointed, resumable, MPI data-parallel when built with
 * MPI), sample (ideal or calibrated cells, energy report), eval
 * (FD-tsukit, label accuracy), the training-throughput benchmark and the
 * two DTM figures.  `tsukit dtm`, `tsukit bench dtm`, `tsukit plot`, the
 * demo and the experiments all call these; files go in and out through
 * io/ (io/io_dtm.h, io/io_clf.h), progress goes to stderr.
 *
 * Each run takes a parameter struct made by run_dtm_X_default_params()
 * and fills a result struct with every number the command prints.  Bad
 * requests (an existing output without --force, a model of another shape,
 * out-of-range parameters) return TK_EINVAL or TK_ERANGE; other failures
 * their own status.
 */
#ifndef RUN_DTM_H
#define RUN_DTM_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "io/io_dtm.h"
#include "io/io_idx.h"
#include "run/run_chiptime.h"
#include "run/run_dtm_log.h"
#include "tsu/tsu_dtm.h"

/* Fashion-MNIST split ("train" / "test") as 0/1 images (pixel > 0.1);
 * data is "fashion-mnist" (the Debian package dataset-fashion-mnist) or a
 * folder with its IDX files; limit 0 = all. */
int run_dtm_load_data(const char *data, const char *split, size_t limit,
                      io_image_set *set, tk_err *err);

/* ---- train (run_dtm_train.c) ------------------------------------------- */

typedef struct run_dtm_train_params {
  const char *data;      /* "fashion-mnist" or a folder (required) */
  const char *out;       /* model file, checkpointed every epoch (required) */
  tsu_dtm_params p;      /* model and schedule (tsu_dtm_default_params) */
  size_t train_limit;    /* first N training images, 0 = all */
  uint32_t stop_after;   /* epochs to run now at most, 0 = up to p.epochs */
  int threads;           /* OpenMP threads, 0 = all */
  int resume;            /* 1: continue `out` from its last checkpoint */
  int force;             /* 1: overwrite an existing `out` */
  int set_steps, set_graph, set_L; /* 1: p.T / p.n_jumps / p.L were asked
                          * for, and a resumed model must have them */
  const char *command;   /* provenance command line of the model file */
  /* Called after every batch (NULL: none) with the epoch in progress
   * (1-based), the planned epochs and the fraction of this epoch done; a
   * non-zero return stops the run with TK_EINTERRUPT, keeping the last
   * checkpoint (the file holds whole epochs only).  Called on every
   * rank: an MPI caller returns the same value on all. */
  int (*progress)(void *ctx, uint32_t epoch, uint32_t epochs, double done);
  void *progress_ctx;    /* passed to progress */
  uint32_t pixel_levels; /* 0: binary pixels; K >= 2: categorical pixels
                          * of K levels (`--pixels cat4`, run_dtm_cat.h) */
  run_dtm_log_params log;/* the per-epoch training log (run_dtm_log.h;
                          * log.samples = 0: none); data and threads
                          * default to the run's */
} run_dtm_train_params;

typedef struct run_dtm_train_result {
  int rank;              /* this MPI rank (0 without MPI) */
  int ranks;             /* processes that trained */
  uint32_t epochs;       /* epochs the model has now */
  uint32_t steps;        /* its T */
  double wall_s;         /* training time of this run, s */
  double images_per_s;   /* training examples per second */
  double flips_per_ns;   /* cell updates per nanosecond */
  double autocorr;       /* last epoch's autocorrelation, max over steps
                          * (NAN without history) */
  double acp_lambda_max; /* largest penalty weight */
} run_dtm_train_result;

run_dtm_train_params run_dtm_train_default_params(void);
int run_dtm_train(const run_dtm_train_params *p, run_dtm_train_result *res,
                  tk_err *err);

/* ---- sample (run_dtm_sample.c) ------------------------------------------ */

#define RUN_DTM_LABEL_FREE (-1)
#define RUN_DTM_LABEL_ALL IO_DTM_LABEL_ALL

typedef struct run_dtm_sample_params {
  const char *model;     /* model file (required) */
  const char *out;       /* samples file (required) */
  uint32_t n;            /* samples, >= 1 (>= 10 with RUN_DTM_LABEL_ALL) */
  int label;             /* RUN_DTM_LABEL_FREE, class 0..9, RUN_DTM_LABEL_ALL */
  uint32_t sweeps;       /* per step, 0 = the model's */
  uint32_t steps;        /* the model must have T = steps; 0 = any */
  const char *cells;     /* cell library, NULL = ideal cells */
  const char *cell;      /* cell name in it (with cells) */
  double temp_K;         /* chip temperature, K (with cells) */
  double design_K;       /* design temperature of the control mapping, K
                          * (NaN, default: temp_K, a compensated chip) */
  double clock_Hz;       /* chip clock, Hz */
  int mismatch;          /* pbit cells: tsu_mismatch (tsu_celltab.h), where
                          * the per-cell mismatch comes from (default
                          * auto: the library's measured instances when it
                          * has them); cat4: none = nominal cells */
  int trim;              /* pbit cells: 1 = each cell's mapping trimmed to
                          * its own measured curve (needs instances) */
  double trim_lsb_V;     /* > 0: the offset trim in steps of this (a trim
                          * DAC); 0 (default): exact */
  uint64_t seed;
  int threads;           /* OpenMP threads, 0 = all */
  int force;             /* 1: overwrite an existing `out` */
  const char *command;   /* provenance command line */
} run_dtm_sample_params;

typedef struct run_dtm_sample_result {
  size_t samples;        /* samples written */
  uint32_t steps;        /* T of the model */
  uint32_t sweeps;       /* sweeps per step used */
  double wall_s;         /* generation time, s */
  double flips_per_ns;   /* cell updates per nanosecond */
  const char *cells;     /* the cell name, or "ideal" (points into params) */
  io_dtm_energy energy;  /* the energy report written to the file; the
                          * summary's energy_per_sample_J is
                          * energy.per_sample_J, activity energy.activity */
  double energy_ratio;   /* chip energy / paper formula */
  run_chiptime chip;     /* the chip's time per sample from the cells' tau
                          * (run/run_chiptime.h; NaN for ideal cells) */
  char cell_mismatch[384]; /* pbit cells: where their mismatch came from
                          * (tsu_celltab_cells), "" otherwise */
} run_dtm_sample_result;

run_dtm_sample_params run_dtm_sample_default_params(void);
int run_dtm_sample(const run_dtm_sample_params *p, run_dtm_sample_result *res,
                   tk_err *err);

/* ---- eval (run_dtm_eval.c) ---------------------------------------------- */

typedef struct run_dtm_eval_params {
  const char *model;     /* model file (required) */
  const char *samples;   /* samples file of that model (required) */
  const char *data;      /* "fashion-mnist" or a folder */
  size_t test_limit;     /* held-out test images, 0 = all */
  size_t clf_limit;      /* training images of the classifier, 0 = all */
  const char *classifier;/* load from / save to this file; NULL: train */
  uint64_t seed;         /* marginal-baseline images */
  int threads;           /* OpenMP threads, 0 = all */
  const char *out;       /* results file, NULL = none */
  int quiet;             /* 1: no progress lines */
  const char *command;   /* provenance command line */
} run_dtm_eval_params;

typedef struct run_dtm_eval_result {
  io_dtm_eval v;         /* fd_tsukit, fd_marginal_baseline, fd_data,
                          * label_accuracy, autocorr, clf_test_accuracy */
  size_t samples;        /* samples evaluated */
  size_t test_images;    /* test images compared with */
} run_dtm_eval_result;

run_dtm_eval_params run_dtm_eval_default_params(void);
int run_dtm_eval(const run_dtm_eval_params *p, run_dtm_eval_result *res,
                 tk_err *err);

/* ---- bench (run_dtm_bench.c) -------------------------------------------- */

typedef struct run_dtm_bench_params {
  tsu_dtm_params p;      /* model shape and sweeps */
  uint32_t batches;      /* batches of one pass */
  int threads;           /* OpenMP threads, 0 = all */
  const char *data;      /* "fashion-mnist" or a folder */
} run_dtm_bench_params;

typedef struct run_dtm_bench_result {
  double wall_s;         /* the pass, s */
  double images_per_s;   /* training examples per second */
  double flips_per_ns;   /* cell updates per nanosecond */
  double epoch_s;        /* one epoch of 60000 images, extrapolated, s */
} run_dtm_bench_result;

run_dtm_bench_params run_dtm_bench_default_params(void);
int run_dtm_bench(const run_dtm_bench_params *p, run_dtm_bench_result *res,
                  tk_err *err);

/* ---- figures (run_dtm_plot.c) ------------------------------------------- */

/* Sample grid (10 x 10, one row per class with --label all) beside up to
 * 8 denoising chains, from a samples file. */
int run_dtm_plot_samples(io_file *f, const char *png, tk_err *err);
/* Chain autocorrelation and penalty weight through training, from a
 * model file. */
int run_dtm_plot_model(io_file *f, const char *png, tk_err *err);

#endif
