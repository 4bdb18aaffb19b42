/* tka_dtm.h -- the Denoising Thermodynamic Model for foreign callers:
 * run/run_dtm.h's train, sample and eval as calls of scalars and paths,
 * the samples read back as arrays (io/io_dtm.h).
 *
 * Workload: training is minutes to hours (a progress callback after
 * every batch may stop it; the model file keeps its last whole epoch);
 * sampling seconds; evaluation trains or loads a classifier (tens of
 * seconds).
 */
#ifndef TKA_DTM_H
#define TKA_DTM_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

/* After every batch: the epoch in progress (1-based), the planned
 * epochs, the fraction of the epoch done; non-zero stops the run. */
typedef int (*tka_dtm_progress_fn)(void *ctx, uint32_t epoch,
                                   uint32_t epochs, double done);

/* Train (or with resume continue) the model file `out` on `data`
 * ("fashion-mnist" or a folder of IDX files): steps T (1..64), graph
 * "G4".."G24", L (43..1024), epochs (1..1e5), sweeps and sweeps_pos
 * (1..1e6), record (1..min of both), batch (a multiple of 64 in
 * 64..65536), train_limit images (0 = all), seed, threads (0 = all).
 * res[6] <- epochs, wall_s, images_per_s, flips_per_ns, autocorr,
 * acp_lambda_max.  progress may be NULL; stop: see tka.h (both end the
 * run with TK_EINTERRUPT, the last checkpoint kept). */
int tka_dtm_train(const char *data, const char *out, unsigned steps,
                  const char *graph, long L, unsigned epochs,
                  unsigned sweeps, unsigned sweeps_pos, unsigned record,
                  unsigned batch, size_t train_limit, uint64_t seed,
                  int threads, int resume, int force,
                  tka_dtm_progress_fn progress, void *ctx,
                  const volatile int *stop, double res[6], tk_err *err);

/* tka_dtm_train with the model's pixels: levels 0 binary (as
 * tka_dtm_train), K = 2..16 categorical pixels of K gray levels (`dtm
 * train --pixels catK`, run/run_dtm_cat.h); a resumed model keeps its
 * own (levels 0) or must have K. */
int tka_dtm_train_pixels(const char *data, const char *out, unsigned steps,
                         const char *graph, long L, unsigned epochs,
                         unsigned sweeps, unsigned sweeps_pos,
                         unsigned record, unsigned batch, size_t train_limit,
                         uint64_t seed, int threads, int resume, int force,
                         unsigned levels, tka_dtm_progress_fn progress,
                         void *ctx, const volatile int *stop, double res[6],
                         tk_err *err);

/* A model's shape: info[5] <- T, L, n_jumps, epochs_done, n_vis. */
int tka_dtm_info(const char *model, double info[5], tk_err *err);
/* A model's pixels: *levels <- 0 for a binary model, K for a categorical
 * one (io/io_dtm_cat.h). */
int tka_dtm_levels(const char *model, unsigned *levels, tk_err *err);

typedef struct tka_dtm_samples tka_dtm_samples;

/* Sample n images from `model` into the file `out` (label -1 free, 0..9
 * clamped, 10 all classes in turn; sweeps 0 = the model's; cells NULL:
 * ideal cells, else library, cell name and chip temperature temp_K),
 * then read them back. */
int tka_dtm_sample(const char *model, const char *out, long n, int label,
                   unsigned sweeps, const char *cells, const char *cell,
                   double temp_K, uint64_t seed, int threads, int force,
                   tka_dtm_samples **res, tk_err *err);
void tka_dtm_samples_free(tka_dtm_samples *s);
/* images [n][28][28] (0/1, or levels 0..K-1 of a categorical model's
 * samples) and label_clamped [n] (-1: free), owned by s;
 * figures[4] <- wall_s, flips_per_ns, energy_per_sample_J,
 * energy_ratio. */
const uint8_t *tka_dtm_samples_images(const tka_dtm_samples *s, size_t *n);
const int32_t *tka_dtm_samples_labels(const tka_dtm_samples *s);
void tka_dtm_samples_figures(const tka_dtm_samples *s, double figures[4]);

/* Evaluate a samples file of a model: res[6] <- fd_tsukit,
 * fd_marginal_baseline, fd_data, label_accuracy, autocorr,
 * clf_test_accuracy.  test_limit, clf_limit: images (0 = all);
 * classifier: a file to load from or save to (NULL: train, keep none). */
int tka_dtm_evaluate(const char *model, const char *samples,
                     const char *data, size_t test_limit, size_t clf_limit,
                     const char *classifier, uint64_t seed, int threads,
                     double res[6], tk_err *err);

#endif
