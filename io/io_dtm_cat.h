/* io_dtm_cat.h -- files of the categorical (grayscale) DTM
 * (tsu/tsu_dtm_cat.h): models and sample sets.
 *
 * Model: the binary DTM's model file (io_dtm.h, root kind "dtm-model",
 * /dtm kind "tsukit-dtm", every parameter, layout, J, ACP, Adam of J,
 * training history) plus
 *   /dtm attrs  pixels = "cat<K>" (e.g. "cat4"), levels = K
 *   /dtm/h_cat [T, n_grid, K]        per-state biases, kT
 *   /dtm/pix_p [784, K]              training-set P(pixel = k)
 *   /dtm/adam/mh_cat, vh_cat [T, n_grid, K]   Adam moments of h_cat
 * J [T, n_edges] multiplies [s_i = s_j] here; /dtm/h and /dtm/pix_mean
 * are zero.  The training log /training (io_dtm_log.h) carries attrs
 * pixels = "cat<K>", levels = K (thermometer-coded classifier).  The file is written whole to NAME.cat.partial and renamed.
 * A file with /dtm attr `pixels` is categorical: `tsukit dtm sample` and
 * `eval` dispatch on it (io_dtmc_is_model).
 *
 * Samples: io_dtm.h's sample set with images and chain holding levels
 * 0..K-1 (label nodes 0 / K-1 in visible) and /samples attrs pixels =
 * "cat<K>", levels = K.
 */
#ifndef IO_DTM_CAT_H
#define IO_DTM_CAT_H

#include "common/tk_error.h"
#include "io/io_dtm.h"
#include "io/io_h5.h"
#include "tsu/tsu_dtm_cat.h"

/* 1 if path is a readable DTM model with /dtm attr `pixels` (a
 * categorical model), else 0 (the binary loader reports other problems). */
int io_dtmc_is_model(const char *path);
int io_dtmc_save(const char *path, const tsu_dtmc *m, const io_dtm_history *h,
                 const char *command, int overwrite, tk_err *err);
/* Read a categorical model (and its history if h != NULL); a binary
 * model or a layout that does not match is TK_EFORMAT. */
int io_dtmc_load(const char *path, tsu_dtmc **m, io_dtm_history *h,
                 tk_err *err);
/* Write a sample set of K levels (io_dtm_samples_write + the attrs);
 * map (NULL on ideal cells) is the calibrated cells' mapping error:
 * /samples attrs map_err_mean, map_err_max (max_k |P_k - q_k|, mean and
 * max over updates) and map_clip_frac (updates whose target was pulled
 * into the reachable range). */
typedef struct io_dtmc_map_err {
  double err_mean, err_max, clip_frac;
} io_dtmc_map_err;
int io_dtmc_samples_write(const char *path, const io_dtm_samples *s,
                          uint32_t K, const io_dtmc_map_err *map,
                          const io_prov *prov, int overwrite, tk_err *err);
/* Read a sample set of levels: io_dtm_samples_read with images (and
 * chain) as levels; *K from its `levels` attr (TK_EFORMAT without it or
 * with a level >= K). */
int io_dtmc_samples_read(const char *path, io_dtm_samples *s, uint32_t *K,
                         tk_err *err);
/* The same from an open file (`tsukit plot`). */
int io_dtmc_samples_read_f(io_file *f, io_dtm_samples *s, uint32_t *K,
                           tk_err *err);
/* 1 if the open file's sample set has /samples attr `levels` (categorical
 * pixels), else 0. */
int io_dtmc_is_samples(io_file *f);

#endif
