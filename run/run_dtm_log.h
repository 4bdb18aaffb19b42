/* run_dtm_log.h -- the per-epoch training log of `tsukit dtm train`
 * (io/io_dtm_log.h has the file layout): after every epoch, `samples`
 * images are generated from the model, label i clamped to class
 * 10 i / samples, from one fixed seed, and compared with a fixed set of
 * held-out test images by FD-tsukit (the classifier of `tsukit dtm eval`,
 * loaded from a file or trained once per run); the classifier's label
 * accuracy on the same samples, the flip activity of the generation and
 * the training's own per-step autocorrelation and penalty weights go in
 * beside it.
 *
 * Categorical (grayscale) models (tsu/tsu_dtm_cat.h, `--pixels cat4`):
 * the same log with levels = K: the test images and the classifier's
 * training images are quantised to K levels and the classifier reads
 * their thermometer code (tsu_dtmc_thermometer, as `tsukit dtm eval` of a
 * categorical model), so its FD-tsukit is comparable with that of `dtm
 * eval` on the same classifier, not with the binary DTM's; activity
 * counts updates that change a node's state.
 *
 * The log never touches the training's random streams or the model: the
 * generation is keyed by its own seed and only reads the weights, so a
 * run trains bit-identical weights with or without it.
 *
 * Workload: set-up once per run (the classifier, ~5-20 s when trained;
 * features of the test images); each entry one generation of `samples`
 * chains through T steps of K sweeps and their features (~1 s for 500
 * samples of an L = 44 model on two cores).
 */
#ifndef RUN_DTM_LOG_H
#define RUN_DTM_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "io/io_dtm_log.h"
#include "tsu/tsu_dtm.h"
#include "tsu/tsu_dtm_cat.h"

typedef struct run_dtm_log_params {
  uint32_t samples;      /* generated per epoch (>= 10; 0: no log) */
  uint32_t test;         /* held-out test images, the first N (>= 2) */
  uint32_t clf_images;   /* training images of the classifier (0: all) */
  const char *classifier;/* file: loaded if present, else trained and
                          * saved there; NULL: trained, not saved */
  uint64_t seed;         /* generation seed (the same every epoch) */
  uint32_t sweeps;       /* sweeps per step of the generation (0: the
                          * model's K; others for quality-vs-sweeps) */
  const char *data;      /* "fashion-mnist" or a folder */
  int threads;           /* OpenMP threads, 0 = all */
  int quiet;             /* 1: no line per entry on stderr */
  uint32_t levels;       /* 0: binary model; K >= 2: categorical model of
                          * K levels (thermometer-coded classifier) */
} run_dtm_log_params;

/* 500 samples, 1000 test images, classifier on 10000 training images,
 * seed 1, quiet 0, binary (levels 0). */
run_dtm_log_params run_dtm_log_default_params(void);

typedef struct run_dtm_logger run_dtm_logger;

/* Load the test images and the classifier (or train it); p is copied. */
int run_dtm_logger_alloc(const run_dtm_log_params *p, run_dtm_logger **out,
                         tk_err *err);
void run_dtm_logger_free(run_dtm_logger *lg);
/* The logger of a training run: p with its data and threads defaulting
 * to the run's (data, threads) and levels set.  A classifier file that
 * p names and that exists but does not load (not a classifier, damaged,
 * made for other pixels) is an error (the training must not start).  A
 * log that cannot be set up otherwise (a data folder without the test
 * split) is a warning on stderr and *lg = NULL: the training goes on
 * without it. */
int run_dtm_logger_for_run(const run_dtm_log_params *p, const char *data,
                           int threads, uint32_t levels,
                           run_dtm_logger **lg, tk_err *err);
/* One entry for binary model m (its epochs_done, acp_lambda) with the
 * training's last per-step autocorrelation (T values), appended to log
 * (whose attributes it sets); the logger must have levels 0.  A log that
 * already has entries made with other settings (samples, seed, test
 * images, sweeps) gets the entry and a warning on stderr. */
int run_dtm_logger_entry(run_dtm_logger *lg, const tsu_dtm *m,
                         const double *autocorr, io_dtm_log *log,
                         tk_err *err);
/* The same for categorical model m (the logger's levels must be m->K). */
int run_dtmc_logger_entry(run_dtm_logger *lg, const tsu_dtmc *m,
                          const double *autocorr, io_dtm_log *log,
                          tk_err *err);

#endif
