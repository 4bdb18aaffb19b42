/* tsu_dtm.h -- a Denoising Thermodynamic Model on the simulated TSU.
 *
 * Data: binary images (784 pixels, 28 x 28) with a class label 0..9; the
 * visible vector of one example is the 784 pixels followed by the label
 * as ten one-hot groups of ten (100 label spins, n_vis = 884).
 *
 * Forward process: every visible bit is independently replaced by a fair
 * coin at rate lambda (rate_image for pixels, rate_label for label
 * spins), so after time t it is flipped with probability
 *   q(t) = (1 - exp(-lambda t)) / 2
 * and the coupling of x^t to x^(t-1) over dt = t_k - t_(k-1) is
 *   P(x^t | x^(t-1)) ~ exp(J s^t s^(t-1)),  J = -1/2 ln tanh(lambda dt / 2)
 * (s = 2x - 1).  The times t_1 < ... < t_T are log-spaced,
 * t_k = t_max 2^(k - T), so each step doubles the noise time; with the
 * defaults (t_max = 5, rate 0.9) the image spins at t_T are flipped with
 * probability 0.494, i.e. noise.
 *
 * Step k (k = 1..T) is a conditional EBM p(x^(k-1) | x^k) on an L x L
 * grid with jump set G(4 n_jumps), open boundary: the n_vis visible spins
 * sit on random sites of checkerboard colour 0, every other site is a
 * latent spin.  Each visible spin i is tied to a clamped input node
 * holding s^k_i through the fixed forward coupling J above, so
 *   E_k(x, z | x^k) = -sum h s - sum_(ij grid) J_ij s_i s_j
 *                     - sum_(i vis) J_fwd(i) s_i s^k_i .
 * On the chip the input nodes are the previous step's cells; in the
 * simulator they are extra nodes (ids L*L + i) that are never updated.
 *
 * Training (tsu_dtm_train.c): for a batch of examples and each step k,
 * x^(k-1) and x^k are drawn from the forward process; positive phase:
 * visible spins clamped to x^(k-1), latents sampled; negative phase: only
 * the inputs clamped to x^k.  The log-likelihood gradient is the moment
 * difference <s_i s_j>_pos - <s_i s_j>_neg (and <s_i> for biases),
 * averaged over chains and the last sweeps of each phase, applied with
 * Adam (decoupled weight decay, cosine learning-rate schedule).
 *
 * Adaptive correlation penalty (ACP): an extra decoupled decay
 * lambda_acp(k) * J_ij on step k's couplings.  Strong couplings are what
 * makes a Gibbs chain mix slowly, so the penalty buys mixing with
 * expressiveness; its weight follows the measured autocorrelation of
 * step k's chain (tsu_dtm_autocorr) at the sampling lag r: after each
 * measurement lambda *= exp((r - acp_target) / acp_target), limited to a
 * factor 4 either way.  This is tsukit's form of the correlation penalty; the published
 * one penalises the measured autocorrelation itself.
 *
 * Nothing here touches files: io/io_dtm.c saves and loads models, and
 * run/run_dtm.h holds the whole train / sample / eval runs.
 */
#ifndef TSU_DTM_H
#define TSU_DTM_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_graph.h"

#define TSU_DTM_N_PIX 784u
#define TSU_DTM_N_CLASS 10u

typedef struct tsu_dtm_params {
  uint32_t L;            /* grid side, >= 43 so 884 visible fit on one colour */
  int n_jumps;           /* jump set G(4 n_jumps), 1..6 */
  uint32_t T;            /* denoising steps, >= 1 */
  uint32_t label_copies; /* repeats of the one-hot label (10: 100 spins) */
  double rate_image;     /* forward randomisation rate of pixels */
  double rate_label;     /* forward randomisation rate of label spins */
  double t_max;          /* forward time of the last step */
  uint32_t sweeps;       /* Gibbs sweeps per step (negative phase, sampling) */
  uint32_t sweeps_pos;   /* sweeps of the positive phase (latents only) */
  uint32_t record;       /* last sweeps of each phase averaged into moments */
  uint32_t batch;        /* examples per gradient step, multiple of 64 */
  uint32_t epochs;       /* planned epochs (length of the lr schedule) */
  int persistent;        /* 1: chains keep their state between batches */
  double lr;             /* Adam learning rate at the start */
  double lr_final_frac;  /* cosine schedule ends at lr * this */
  double adam_b1, adam_b2, adam_eps;
  double weight_decay;   /* decoupled decay of the couplings */
  double init_scale;     /* initial couplings ~ U(-s, s) */
  int acp;               /* 1: adaptive correlation penalty on */
  double acp_target;     /* autocorrelation at lag `sweeps` to stay below */
  double acp_init;       /* first penalty weight when it switches on */
  double acp_max;        /* cap on the penalty weight */
  uint32_t acp_every;    /* batches between measurements (0: once per epoch) */
  uint64_t seed;         /* layout, initial weights, noise, chains */
} tsu_dtm_params;

typedef struct tsu_dtm {
  tsu_dtm_params p;      /* the parameters it was made with */
  uint32_t n_grid;       /* L * L */
  uint32_t n_vis;        /* 784 + 10 label_copies */
  uint32_t n_nodes;      /* n_grid + n_vis (input nodes last) */
  uint32_t n_edges;      /* grid links */
  uint32_t *vis_node;    /* [n_vis] grid site of visible spin i (colour 0) */
  uint32_t *ei, *ej;     /* [n_edges] grid links, the grid builder's order */
  double *edge_len;      /* [n_edges] link length in pitches */
  double *t;             /* [T+1] forward times, t[0] = 0 */
  double *J;             /* [T][n_edges] couplings of each step */
  double *h;             /* [T][n_grid] biases of each step */
  double *acp_lambda;    /* [T] penalty weights */
  double *pix_mean;      /* [784] training-set P(pixel = 1), start of sampling */
  /* Adam state, kept in the model so training resumes exactly. */
  double *mJ, *vJ;       /* [T][n_edges] */
  double *mh, *vh;       /* [T][n_grid] */
  uint64_t *adam_t;      /* [T] updates done */
  uint32_t epochs_done;  /* finished epochs */
} tsu_dtm;

tsu_dtm_params tsu_dtm_default_params(void);
/* Check the parameters (clear message for each bad one). */
int tsu_dtm_params_check(const tsu_dtm_params *p, tk_err *err);
/* A fresh model: visible layout and initial couplings from p->seed. */
int tsu_dtm_alloc(const tsu_dtm_params *p, tsu_dtm **out, tk_err *err);
void tsu_dtm_free(tsu_dtm *m);

/* Forward coupling of step k (1..T) for pixel (is_label = 0) or label
 * spins, and the flip probability of the forward process at time t. */
double tsu_dtm_jfwd(const tsu_dtm *m, uint32_t k, int is_label);
double tsu_dtm_qflip(const tsu_dtm *m, double t, int is_label);

/* Binarise grey images in place: 1 iff pixel > 0.1 of full scale (255),
 * the published rule. */
void tsu_dtm_binarise(uint8_t *pixels, size_t n);

/* Visible vector (0/1 bytes, n_vis) of one image (784 bytes 0/1) and
 * its label. */
void tsu_dtm_visible(const tsu_dtm *m, const uint8_t *img, unsigned label,
                     uint8_t *x);

/* The step-k graph: grid + input nodes with step k's weights (k = 1..T);
 * node ids as in the header.  *out is allocated on the first call and
 * refilled with new weights on later calls. */
int tsu_dtm_step_graph(const tsu_dtm *m, uint32_t k, tsu_graph **out,
                       tk_err *err);

/* Generation.  Draws n samples from x^T (the forward marginal at t_T
 * given a random class, or `label` if >= 0) down to x^0, `sweeps` Gibbs
 * sweeps per step (0: m->p.sweeps), labels clamped when label >= 0.
 * cells: the chip's cells for the n_nodes nodes (NULL: ideal cells).
 * chain (may be NULL): [T+1][n][n_vis] 0/1 states x^T ... x^0 (index 0 is
 * x^T); out: [n][n_vis] the final x^0.  flips (may be NULL): cell
 * updates performed.  Threads: n_threads (0 = OpenMP default). */
typedef struct tsu_dtm_gen_opts {
  uint32_t n;            /* samples */
  int label;             /* -1: free labels; 0..9: clamped */
  const int8_t *labels;  /* NULL, or [n] per-sample clamped class 0..9
                          * (overrides label) */
  uint32_t sweeps;       /* per step, 0: the model's */
  const tsu_cells *cells;/* NULL: ideal */
  uint64_t seed;         /* chains and start state */
  int n_threads;
} tsu_dtm_gen_opts;
int tsu_dtm_generate(const tsu_dtm *m, const tsu_dtm_gen_opts *o,
                     uint8_t *out, uint8_t *chain, double *flips,
                     double *flip_activity, tk_err *err);

/* Training. */
typedef struct tsu_dtm_data {
  size_t n;              /* examples */
  const uint8_t *img;    /* [n][784] 0/1 */
  const uint8_t *label;  /* [n] 0..9 */
} tsu_dtm_data;

typedef struct tsu_dtm_epoch_stats {
  double wall_s;         /* seconds */
  double images_per_s;   /* training examples per second (all steps) */
  double flips;          /* cell updates performed */
  double flips_per_ns;   /* their rate */
  double *autocorr;      /* [T] last measured autocorrelation per step */
  double *grad_rms;      /* [T] rms coupling gradient, last batch */
  /* ACP history: one row per measurement (n_hist of them). */
  size_t n_hist;
  double *hist_epoch;    /* [n_hist][T]: fractional epoch */
  double *hist_autocorr; /* [n_hist][T] */
  double *hist_lambda;   /* [n_hist][T] penalty weight after the update */
} tsu_dtm_epoch_stats;

/* Progress callback after every batch: done in [0,1] of the epoch.  A
 * non-zero return stops the epoch there with TK_EINTERRUPT (m is then
 * part-way through the epoch: its caller does not keep it, run_dtm_train
 * keeps the last checkpoint). */
typedef int (*tsu_dtm_progress_fn)(void *ctx, double done);

/* One epoch over the data (shuffled by (seed, epoch)); updates m in
 * place.  On a non-finite gradient it stops with TK_ENUMERIC and leaves
 * m as it was before that batch's update.  st is filled (allocate with
 * tsu_dtm_stats_alloc, free with tsu_dtm_stats_free). */
int tsu_dtm_train_epoch(tsu_dtm *m, const tsu_dtm_data *d, int n_threads,
                        tsu_dtm_progress_fn progress, void *ctx,
                        tsu_dtm_epoch_stats *st, tk_err *err);
int tsu_dtm_stats_alloc(const tsu_dtm *m, tsu_dtm_epoch_stats *st);

/* Data-parallel training over processes (MPI ranks, or anything with an
 * all-reduce): rank r of `size` runs batch rows r B/size .. (r+1) B/size
 * - 1 (batch a multiple of 64 size) on chains numbered globally, and the
 * integer moment sums are summed over ranks, so every rank makes the same
 * update and the result is bit-identical to one process.  tsu/ itself
 * makes no MPI calls: the caller passes the reductions. */
typedef struct tsu_dtm_comm {
  int rank, size;        /* this process, processes (>= 1) */
  /* In-place sums over all ranks; 0 = ok.  Called from one thread. */
  int (*sum_i64)(int64_t *buf, size_t n, void *ctx);
  int (*sum_f64)(double *buf, size_t n, void *ctx);
  void *ctx;
} tsu_dtm_comm;
/* tsu_dtm_train_epoch on several processes (comm NULL: one). */
int tsu_dtm_train_epoch_comm(tsu_dtm *m, const tsu_dtm_data *d, int n_threads,
                             const tsu_dtm_comm *comm,
                             tsu_dtm_progress_fn progress, void *ctx,
                             tsu_dtm_epoch_stats *st, tk_err *err);
void tsu_dtm_stats_free(tsu_dtm_epoch_stats *st);

/* Autocorrelation of step k's sampling chain at lag `lag` sweeps, on
 * random projections of the image spins; 128 chains, pairs of replicas
 * sharing one conditioning x^k drawn from d, so the spread of the
 * conditional means is subtracted (a perfectly mixing chain gives 0, a
 * stuck one 1).  flips (may be NULL) counts the updates. */
double tsu_dtm_autocorr(const tsu_dtm *m, uint32_t k, const tsu_dtm_data *d,
                        uint32_t lag, uint64_t seed, double *flips);

#endif
