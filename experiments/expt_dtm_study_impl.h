/* expt_dtm_study_impl.h -- what the DTM study's experiments share
 * (dtm-collapse, dtm-degree, dtm-depth, dtm-pareto; issue 19): one
 * reduced training set-up, models trained through run_dtm_train (the
 * call behind `tsukit dtm train`) into DIR/dtm-study/, one file per
 * (T, graph, ACP) so that a model two experiments both need is trained
 * once, and what is read back from each model's training log. */
#ifndef EXPT_DTM_STUDY_IMPL_H
#define EXPT_DTM_STUDY_IMPL_H

#include <stdint.h>

#include "experiments/expt.h"
#include "io/io_dtm_log.h"

/* The reduced set-up (one for --quick, one for the full runs). */
typedef struct study_cfg {
  uint32_t L;            /* grid side */
  uint32_t images;       /* first N Fashion-MNIST training images */
  uint32_t epochs;       /* epochs of every model */
  uint32_t k_total;      /* sweeps per sample summed over the steps: each
                          * step gets K = k_total / T (matched sweeps) */
  uint32_t acp_checks;   /* autocorrelation measurements per epoch */
  uint32_t log_samples;  /* training-log samples per epoch */
  uint32_t log_test;     /* its held-out test images */
  uint32_t clf_images;   /* training images of the FD classifier */
  const char *about;     /* the run time it was sized for */
} study_cfg;

const study_cfg *study_cfg_get(int quick);

/* One trained model and its training log. */
typedef struct study_model {
  char tag[32];          /* "T4-G12-acp" */
  char path[1100];       /* DIR/dtm-study/TAG.h5 */
  uint32_t T, K, L;      /* steps, sweeps per step, grid side */
  int n_jumps;           /* graph G(4 n_jumps) */
  int acp;               /* correlation penalty on */
  double train_s;        /* training wall time in the file, s */
  io_dtm_log log;        /* /training of the file */
  double fd_best, fd_final;   /* min and last FD-tsukit of the log */
  double best_epoch;          /* epoch of the min */
  double fd_tail, fd_tail_sd; /* mean and sd of the last 3 entries (less
                               * noisy than the last one alone) */
  double acc_final;           /* last label accuracy */
  double ac_final;            /* last autocorrelation, max over steps */
  double activity;            /* last generation's flips per update */
} study_model;

/* Train (or resume, or just read) the model (T, G(4 n_jumps), acp) of
 * set-up g; the equivalent command line goes to /children of r. */
int study_model_get(expt_run *r, const study_cfg *g, uint32_t T, int n_jumps,
                    int acp, study_model *out, tk_err *err);
void study_model_free(study_model *m);
/* Write /runs/TAG/{epoch, fd_tsukit, label_accuracy, autocorr_max,
 * acp_lambda_max} of a model's log. */
int study_write_curves(expt_run *r, const study_model *m, tk_err *err);
/* The study's inputs (set-up) into r. */
int study_inputs(expt_run *r, const study_cfg *g, tk_err *err);
/* Energy per sample of a model: the chip's per-term model (default
 * energy parameters, the log's flip activity) and the paper's
 * T K L^2 E_cell. */
int study_energy(const study_model *m, double *chip_J, double *paper_J,
                 tk_err *err);

/* Plot helpers: data blocks $fdI / $acI (I = 0..n-1) of the curves of
 * /runs/TAG_I, then a panel of FD-tsukit against the epoch (acp = 0) or
 * of the worst step's autocorrelation (acp = 1) for all of them. */
struct io_plot;
int study_plot_blocks(struct io_plot *p, io_file *f, const char *const *tags,
                      size_t n, tk_err *err);
void study_plot_panel(struct io_plot *p, int ac, const char *const *labels,
                      size_t n);

#endif
