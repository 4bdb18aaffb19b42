/* io_dtm_log.h -- the training log of a DTM model file: sample quality
 * and chain statistics after every epoch, written by `tsukit dtm train`
 * (run/run_dtm_log.h computes the entries) and drawn by `tsukit plot
 * MODEL.h5`.  It travels inside io_dtm_history, so io_dtm_save and
 * io_dtm_load carry it; a model file without it loads as an empty log.
 *
 * Layout: group /training, attrs
 *   kind = "tsukit-dtm-training-log", samples (generated per entry, label
 *   i clamped to class 10 i / samples), sweeps (per step, the model's),
 *   seed (of the generation: the same every epoch), test_images (the
 *   first N of the Fashion-MNIST test split, never trained on),
 *   classifier (how the FD-tsukit classifier was made), clf_images;
 *   categorical models only (io/io_dtm_cat.h): pixels = "cat<K>",
 *   levels = K (the classifier reads the thermometer code of the levels,
 *   tsu_dtmc_thermometer; activity counts state changes);
 * datasets (E entries, T steps):
 *   epoch [E] epochs           epochs done when the entry was made
 *   fd_tsukit [E] 1            FD-tsukit of the samples vs the test images
 *   label_accuracy [E] 1       samples the classifier assigns their label
 *   activity [E] 1             cell flips (categorical: state changes)
 *                              per update while generating
 *   eval_s [E] s               time the entry took
 *   autocorr [E, T] 1          end-of-epoch chain autocorrelation per step
 *   acp_lambda [E, T] 1        correlation-penalty weight per step
 */
#ifndef IO_DTM_LOG_H
#define IO_DTM_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "io/io_h5.h"

typedef struct io_dtm_log {
  size_t n;              /* entries */
  uint32_t T;            /* columns of autocorr and acp_lambda */
  double *epoch;         /* [n] epochs done */
  double *fd_tsukit;     /* [n] FD-tsukit, 1 */
  double *label_accuracy;/* [n] fraction in [0, 1] */
  double *activity;      /* [n] flips per cell update, [0, 1] */
  double *eval_s;        /* [n] seconds */
  double *autocorr;      /* [n][T] */
  double *acp_lambda;    /* [n][T] */
  /* How the entries were made (attributes). */
  uint32_t samples;      /* generated per entry */
  uint32_t sweeps;       /* per step */
  uint64_t seed;         /* generation seed */
  uint32_t test_images;  /* held-out test images compared with */
  uint32_t clf_images;   /* training images of the classifier */
  char classifier[256];  /* "trained" or the classifier file */
  uint32_t levels;       /* 0: binary pixels; K >= 2: categorical */
} io_dtm_log;

void io_dtm_log_free(io_dtm_log *l);
/* Append one entry; autocorr and acp_lambda have T values (the first
 * append fixes T, later ones must match). */
int io_dtm_log_append(io_dtm_log *l, uint32_t T, double epoch, double fd,
                      double label_accuracy, double activity, double eval_s,
                      const double *autocorr, const double *acp_lambda,
                      tk_err *err);
/* Write /training (nothing when l has no entries). */
int io_dtm_log_write(io_file *f, const io_dtm_log *l, tk_err *err);
/* Read /training of a T-step model; a file without it gives n = 0. */
int io_dtm_log_read(io_file *f, uint32_t T, io_dtm_log *l, tk_err *err);

#endif
