/* io_dtm.h -- DTM model files (HDF5): `tsukit dtm` and the experiments.
 *
 * Layout (all under /dtm unless stated):
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
 * A checkpoint is a whole new file renamed over the old one, so a kill
 * leaves the previous epoch's model intact.
 */
#ifndef IO_DTM_H
#define IO_DTM_H

#include "common/tk_error.h"
#include "tsu/tsu_dtm.h"

/* Training history carried from checkpoint to checkpoint. */
typedef struct io_dtm_history {
  size_t n_epoch;        /* rows of the per-epoch arrays */
  double *wall_s, *images_per_s, *flips_per_ns; /* [n_epoch] */
  double *autocorr, *lambda;                    /* [n_epoch][T] */
  size_t n_acp;          /* ACP measurements */
  double *acp_epoch, *acp_autocorr, *acp_lambda; /* [n_acp][T] */
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

#endif
