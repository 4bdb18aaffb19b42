/* io_dtm.h -- DTM files (HDF5): models (io_dtm.c), sample sets and
 * evaluation results (io_dtm_samples.c); written and read by run/run_dtm*
 * (`tsukit dtm`, the demo, the experiments) and `tsukit plot`.
 *
 * Model layout (all under /dtm unless stated):
 *   attrs   kind = "tsukit-dtm", graph = "G12", L, n_jumps, T, ... every
 *           field of tsu_dtm_params, epochs_done
 *   vis_node [n_vis] int32        grid site of each visible spin
 *   edges    [n_edges, 2] int32   grid links (i, j)
 *   time     [T+1]                forward times (dimensionless)
 *   J        [T, n_edges]         couplings, units of kT
 *   h        [T, n_grid]          biases, units of kT
 *   acp_lambda [T]                correlation-penalty weights
 *   pix_mean [784]                training-set P(pixel = 1)
 *   adam/{mJ,vJ,mh,vh,t}          optimiser state (exact resume)
 *   /train/epoch/{wall_s, images_per_s, flips_per_ns}  [E]
 *   /train/epoch/autocorr, lambda [E, T]  (end of each epoch)
 *   /train/acp/{epoch, autocorr, lambda}  [H, T] every measurement
 *   /training/...  the per-epoch quality log (io/io_dtm_log.h)
 * A checkpoint is a whole new file renamed over the old one, so a kill
 * leaves the previous epoch's model intact.
 * Categorical (grayscale) models add /dtm attrs pixels, levels and
 * datasets h_cat, pix_p, adam/{mh,vh}_cat: io/io_dtm_cat.h.
 */
#ifndef IO_DTM_H
#define IO_DTM_H

#include "common/tk_error.h"
#include "io/io_dtm_log.h"
#include "io/io_h5.h"
#include "tsu/tsu_dtm.h"

/* Training history carried from checkpoint to checkpoint. */
typedef struct io_dtm_history {
  size_t n_epoch;        /* rows of the per-epoch arrays */
  double *wall_s, *images_per_s, *flips_per_ns; /* [n_epoch] */
  double *autocorr, *lambda;                    /* [n_epoch][T] */
  size_t n_acp;          /* ACP measurements */
  double *acp_epoch, *acp_autocorr, *acp_lambda; /* [n_acp][T] */
  io_dtm_log log;        /* /training (empty in older files) */
} io_dtm_history;

void io_dtm_history_free(io_dtm_history *h);
/* Append one epoch's statistics (T = m->p.T). */
int io_dtm_history_add(io_dtm_history *h, const tsu_dtm *m,
                    const tsu_dtm_epoch_stats *st, tk_err *err);

/* Write the model and history to path (via path.partial + rename);
 * command is the provenance command line.  overwrite: replace an existing
 * file. */
int io_dtm_save(const char *path, const tsu_dtm *m, const io_dtm_history *h,
                const char *command, int overwrite, tk_err *err);
/* Read a model (and its history if h != NULL).  Checks the layout
 * against the parameters: a file from another graph or size is an
 * error, never a crash. */
int io_dtm_load(const char *path, tsu_dtm **m, io_dtm_history *h,
                  tk_err *err);

/* ---- sample sets (io_dtm_samples.c) ----------------------------------
 *
 * Layout: root attr kind = "dtm-samples";
 *   /samples attrs kind = "tsukit-dtm-samples", model, graph ("G12"), L,
 *            steps, sweeps, n_vis, label (-1 free, 0..9, 10 all),
 *            cells (cell name or "ideal"), temp_K (calibrated cells only),
 *            cell_mismatch (pbit cells: instances / gaussian / none,
 *            trimmed or not; tsu_celltab_cells)
 *   /samples/images [n,28,28] u8 0/1     the generated x^0 images
 *   /samples/labels [n] i32              class voted by the label spins
 *   /samples/label_clamped [n] i32       clamped class, -1 if free
 *   /samples/visible [n, n_vis] u8       the whole visible vector
 *   /samples/chain [T+1, n_chain, 28, 28] u8   x^T (noise) ... x^0 of the
 *            first n_chain (<= 16) samples spread over the set
 *   /energy/{rng,bias,clock,wire}_per_sweep_J, per_step_J, per_sample_J,
 *            paper_per_sample_J, e_rng_J (J), activity (1): [1] each
 */
#define IO_DTM_LABEL_ALL 10 /* label: n/10 samples clamped to each class */

typedef struct io_dtm_energy {
  double rng_per_sweep_J;    /* random-bit energy of one sweep, J */
  double bias_per_sweep_J;   /* bias DACs, J */
  double clock_per_sweep_J;  /* clock tree, J */
  double wire_per_sweep_J;   /* coupling wires, J */
  double per_step_J;         /* one denoising step (K sweeps), J */
  double per_sample_J;       /* T steps, J */
  double paper_per_sample_J; /* T K L^2 E_cell, J */
  double activity;           /* fraction of updates that flip a cell */
  double e_rng_J;            /* energy per independent random bit, J */
} io_dtm_energy;

typedef struct io_dtm_samples {
  size_t n;                  /* samples */
  uint32_t n_vis;            /* visible spins per sample */
  uint32_t steps;            /* T of the model */
  uint32_t sweeps;           /* sweeps per step */
  uint32_t L;                /* grid side of the model */
  int n_jumps;               /* graph G(4 n_jumps) */
  int label;                 /* -1 free, 0..9, IO_DTM_LABEL_ALL */
  const char *model;         /* model file (write only; NULL on read) */
  char cells[64];            /* cell name, or "ideal" */
  double temp_K;             /* chip temperature, K; NAN for ideal cells */
  const char *cell_mismatch; /* where the cells' mismatch came from
                                (write only; NULL: not written) */
  uint8_t *images;           /* [n][784] 0/1 */
  int32_t *labels;           /* [n] voted class (NULL on read) */
  int32_t *label_clamped;    /* [n] clamped class or -1 */
  uint8_t *visible;          /* [n][n_vis] (NULL on read) */
  size_t n_chain;            /* chains kept, 0..16 */
  uint8_t *chain;            /* [steps+1][n_chain][784], NULL if none */
  io_dtm_energy energy;      /* the energy report (write only) */
} io_dtm_samples;

/* Write a sample set (path.partial, renamed when complete). */
int io_dtm_samples_write(const char *path, const io_dtm_samples *s,
                         const io_prov *prov, int overwrite, tk_err *err);
/* Read images, label_clamped, chain (if any) and the attributes of a
 * sample set from an open file; free with io_dtm_samples_free(). */
int io_dtm_samples_read(io_file *f, io_dtm_samples *s, tk_err *err);
/* Free the arrays io_dtm_samples_read allocated (not for written sets). */
void io_dtm_samples_free(io_dtm_samples *s);

/* ---- evaluation results (io_dtm_samples.c) ----------------------------
 * /eval/{fd_tsukit, fd_marginal_baseline, fd_data, label_accuracy,
 * autocorr, clf_test_accuracy} [1] each; /eval attrs model, samples. */
typedef struct io_dtm_eval {
  double fd_tsukit;          /* samples vs test images */
  double fd_marginal_baseline; /* independent pixels vs test images */
  double fd_data;            /* training images vs test images (floor) */
  double label_accuracy;     /* of label-clamped samples; NAN if none */
  double autocorr;           /* model's last measured autocorrelation */
  double clf_test_accuracy;  /* FD classifier on the test images */
} io_dtm_eval;

int io_dtm_eval_write(const char *path, const io_dtm_eval *e,
                      const char *model, const char *samples,
                      const io_prov *prov, tk_err *err);

#endif
