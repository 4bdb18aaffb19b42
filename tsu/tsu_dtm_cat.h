/* tsu_dtm_cat.h -- the DTM on categorical pixels: grayscale Fashion-MNIST
 * quantised to K levels (K = 4: `tsukit dtm train --pixels cat4`), one
 * Potts node per pixel (tsu_potts.h), sampled by the fast Potts sampler
 * (tsu_fastpotts.h) or, on calibrated cells, by a scalar chain that asks
 * the cell model for every update.
 *
 * Layout, label spins, grid, steps, times and schedule are those of the
 * binary DTM (tsu_dtm.h): the model keeps a tsu_dtm `b` for them and for
 * the couplings, their Adam state and the correlation penalty; what is
 * categorical lives beside it.
 *
 * Quantisation (tsu_dtmc_quantise): level 0 iff pixel <= 25 (the binary
 * DTM's "dark", so level > 0 is exactly its lit pixel), else
 * 1 + floor((pixel - 26) (K - 1) / 230), i.e. levels 1..K-1 split 26..255
 * evenly.  Label nodes are the binary DTM's ten one-hot copies, with
 * states 0 (off) and K-1 (on, "bright": an on-label pushes latents
 * towards the bright level, an off-label towards the background) of a
 * K-state node; states 1..K-2 get a fixed bias of -TSU_DTMC_LABEL_MASK,
 * never trained (P < 1e-13).
 *
 * Model of step k: Potts energy on the grid and the input nodes
 *   E_k(x, z | x^k) = - sum_i h_i(s_i) - sum_(ij grid) J_ij [s_i = s_j]
 *                     - sum_(i vis) J_fwd(i) [s_i = x^k_i],
 * per-state biases h [T][n_grid][K], agreement couplings J [T][n_edges].
 *
 * Forward process (uniform replacement).  Every visible node is replaced
 * at rate lambda (rate_image for pixels, rate_label for label nodes) by a
 * uniform draw from its M states (M = K for pixels, 2 for labels: 0 and
 * K-1; the
 * draw may repeat the old state).  The keep probability after time t is
 *   a(t) = exp(-lambda t),
 * the schedule of step k is a_k = a(t_k - t_(k-1)) with the binary DTM's
 * times t_k = t_max 2^(k - T), and the exact conditional is
 *   P(x^t = b | x^(t-1) = c) = a [b = c] + (1 - a) / M
 *     ~ exp(J_fwd [b = c]),   J_fwd = ln(1 + M a / (1 - a)),
 * a Potts agreement coupling between the input node and its visible node
 * (for M = 2 it is 2x the binary DTM's J in spin units, the same
 * conditional).  Over (0, t] the marginal is a(t) P_data + (1 - a(t))/M;
 * with the defaults (t_max 5, rate 0.9) a(t_T) = 0.011: x^T is noise.
 *
 * Training (tsu_dtm_cat_train.c): moment matching with indicator
 * moments: the gradient of h_i(k) is P_pos(s_i = k) - P_neg(s_i = k),
 * that of J_ij is P_pos(s_i = s_j) - P_neg(s_i = s_j), from the integer
 * counts of the fast sampler (tsu_moments.h), Adam, decoupled decay, the
 * cosine schedule and the adaptive correlation penalty (ACP) exactly as
 * for spins; the autocorrelation probe projects the pixel levels
 * (0..K-1) on random directions.
 *
 * Randomness: every draw is keyed by (seed, stream, counter) like the
 * binary DTM, with the same stream numbers plus 0x100 (tsu_dtm_impl.h).
 *
 * Nothing here touches files (io/io_dtm_cat.h); run/run_dtm_cat.h holds
 * the runs.
 */
#ifndef TSU_DTM_CAT_H
#define TSU_DTM_CAT_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_dtm.h"
#include "tsu/tsu_graph.h"

#define TSU_DTMC_MAX_K 16
#define TSU_DTMC_LABEL_MASK 30.0 /* bias against label states >= 2, kT */

typedef struct tsu_dtmc {
  tsu_dtm *b;            /* layout, times, J [T][n_edges] (on [s_i = s_j]),
                          * acp_lambda, Adam of J, epochs; its h, mh, vh
                          * and pix_mean are unused (zero) */
  uint32_t K;            /* levels per pixel, 2..TSU_DTMC_MAX_K */
  double *h;             /* [T][n_grid][K] per-state biases, kT */
  double *mh, *vh;       /* [T][n_grid][K] Adam moments of h */
  double *pix_p;         /* [784][K] training-set P(pixel = k) */
} tsu_dtmc;

/* A fresh model (tsu_dtm_alloc's layout and couplings, zero biases,
 * uniform pixel marginals). */
int tsu_dtmc_alloc(const tsu_dtm_params *p, uint32_t K, tsu_dtmc **out,
                   tk_err *err);
void tsu_dtmc_free(tsu_dtmc *m);

/* Grey bytes 0..255 -> levels 0..K-1 in place (see above). */
void tsu_dtmc_quantise(uint8_t *pixels, size_t n, uint32_t K);

/* The visible vector (n_vis bytes) of one image of levels and its label:
 * tsu_dtm_visible with the on-labels at state K-1. */
void tsu_dtmc_visible(const tsu_dtmc *m, const uint8_t *img, unsigned label,
                      uint8_t *x);
/* States of visible node v: K for pixels, 2 for label nodes. */
uint32_t tsu_dtmc_states(const tsu_dtmc *m, uint32_t v);
/* Keep probability a(t) and the forward coupling J_fwd of step k. */
double tsu_dtmc_keep(const tsu_dtmc *m, double t, int is_label);
double tsu_dtmc_jfwd(const tsu_dtmc *m, uint32_t k, int is_label);

/* Step k's graph (grid + input nodes, couplings J and J_fwd) and biases
 * h[n_nodes][K] (input nodes 0, label sites masked).  *g and *h are
 * allocated on the first call and refilled later. */
int tsu_dtmc_step_model(const tsu_dtmc *m, uint32_t k, tsu_graph **g,
                        double **h, tk_err *err);

/* Forward noise: x_out = x_in with each visible node replaced with
 * probability 1 - a(dt) by a uniform state, Philox (seed, stream,
 * ctr0 + row) per row. */
void tsu_dtmc_noise(const tsu_dtmc *m, const uint8_t *x_in, uint8_t *x_out,
                    uint32_t n_rows, double dt, uint64_t seed,
                    uint64_t stream, uint64_t ctr0);

/* Calibrated cells for generation: each node's cell is asked for the
 * ideal conditional q[K] and realises p[K] (mismatch, temperature,
 * clipping of the controls); with memory keep[i] = exp(-dt/tau) the new
 * state is P(s' | s) = keep [s' = s] + (1 - keep) p(s').  respond is
 * called from several threads at once and returns 0 when it succeeded. */
typedef struct tsu_dtmc_cells {
  int (*respond)(void *ctx, uint32_t node, const double *q, double *p);
  void *ctx;
  const double *keep;    /* [n_nodes] or NULL (no memory) */
} tsu_dtmc_cells;

/* Generation as tsu_dtm_generate (o->cells must be NULL; cells: NULL for
 * ideal cells on the fast sampler, else the scalar chain above); out and
 * chain hold levels 0..K-1 and label states 0 / K-1.  x^T is drawn from the
 * forward marginal of the training-set pixel marginals. */
int tsu_dtmc_generate(const tsu_dtmc *m, const tsu_dtm_gen_opts *o,
                      const tsu_dtmc_cells *cells, uint8_t *out,
                      uint8_t *chain, double *flips, double *flip_activity,
                      tk_err *err);

/* Training: one epoch over d (img holds levels 0..K-1), as
 * tsu_dtm_train_epoch (stats from tsu_dtm_stats_alloc(m->b, st)). */
int tsu_dtmc_train_epoch(tsu_dtmc *m, const tsu_dtm_data *d, int n_threads,
                         tsu_dtm_progress_fn progress, void *ctx,
                         tsu_dtm_epoch_stats *st, tk_err *err);
/* Autocorrelation of step k's chain at `lag` sweeps (as tsu_dtm_autocorr,
 * projections of the levels). */
double tsu_dtmc_autocorr(const tsu_dtmc *m, uint32_t k, const tsu_dtm_data *d,
                         uint32_t lag, uint64_t seed, double *flips);

/* Baseline of independent pixels: n images out[n][784], pixel j at level
 * k with probability pix_p[j][k] (Philox (seed, stream = image, ctr =
 * pixel)). */
void tsu_dtmc_marginal_draw(const double *pix_p, uint32_t K, size_t n,
                            uint64_t seed, uint8_t *out);
/* P(pixel = k) of n images [n][784] of levels into pix_p[784][K]. */
void tsu_dtmc_pixel_marginals(const uint8_t *img, size_t n, uint32_t K,
                              double *pix_p);
/* Thermometer code of n images [n][784] of levels 0..K-1 for the binary
 * FD classifier (tsu_clf.h): out[n][(K-1) 784], plane j (pixels j 784 ..)
 * lit iff level > j; the classifier's first layer then gives every pixel
 * K-1 learned weights, a free function of its level. */
void tsu_dtmc_thermometer(const uint8_t *img, size_t n, uint32_t K,
                          uint8_t *out);

#endif
