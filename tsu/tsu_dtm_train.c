/* tsu_dtm_train.c -- moment-matching training of the DTM's step models,
 * and the chain autocorrelation that drives the correlation penalty.
 *
 * Workload: per batch and step, sweeps_pos + sweeps Gibbs sweeps of
 * batch/64 chain words over ~5800 nodes, then ~35k moment updates (one
 * popcount per link and word) per recorded sweep.  The T steps are
 * independent given the data, so they run in parallel threads, each
 * with its own samplers (one-thread runs inside).  Results do not depend
 * on the thread count: every random number is keyed by (seed, epoch,
 * batch, step) and each step's update touches only its own weights.
 */
#include "tsu/tsu_dtm_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_progress.h"
#include "common/tk_rng.h"
#include "tsu/tsu_fast.h"

#define N_PROJ 8

/* One step's training state for an epoch. */
typedef struct step_ctx {
  tsu_graph *g;          /* step graph (grid + inputs) with current weights */
  tsu_sampler *pos;      /* positive phase: visible and inputs clamped */
  tsu_sampler *neg;      /* negative phase: inputs clamped */
  uint8_t *xa;           /* [Bl][n_vis] x^(k-1), this rank's rows */
  uint8_t *xb;           /* [Bl][n_vis] x^k */
  int64_t *mom;          /* [2 n_grid + 2 n_edges] the four sums below */
  int64_t *s_pos, *s_neg;   /* [n_grid] sums of s_i (into mom) */
  int64_t *ss_pos, *ss_neg; /* [n_edges] sums of s_i s_j (into mom) */
  double *gJ, *gh;       /* [n_edges], [n_grid] gradient */
  const tsu_cells *cells;/* ideal cells of the training samplers */
  int started;           /* negative chains initialised */
  int status;            /* TK_OK or the first failure */
  tk_err err;            /* its message */
} step_ctx;

static void step_free(step_ctx *c)
{
  tsu_graph_free(c->g);
  tsu_sampler_free(c->pos);
  tsu_sampler_free(c->neg);
  free(c->xa);
  free(c->xb);
  free(c->mom);
  free(c->gJ);
  free(c->gh);
}

static void moments_add(const tsu_dtm *m, const uint64_t *bits, uint32_t G,
                        int64_t *s, int64_t *ss)
{
  for (uint32_t i = 0; i < m->n_grid; i++) {
    const uint64_t *w = bits + (size_t)i * G;
    int64_t acc = 0;
    for (uint32_t g = 0; g < G; g++)
      acc += 2 * __builtin_popcountll(w[g]) - 64;
    s[i] += acc;
  }
  for (uint32_t e = 0; e < m->n_edges; e++) {
    const uint64_t *a = bits + (size_t)m->ei[e] * G;
    const uint64_t *b = bits + (size_t)m->ej[e] * G;
    int64_t acc = 0;
    for (uint32_t g = 0; g < G; g++)
      acc += 64 - 2 * __builtin_popcountll(a[g] ^ b[g]);
    ss[e] += acc;
  }
}

/* Random states for the latent (non-visible, non-input) grid nodes; the
 * G local groups are global groups g0 .. g0+G-1 of G_all. */
static void random_latents(const tsu_dtm *m, uint64_t *bits, uint32_t G,
                           uint32_t g0, uint32_t G_all, const uint8_t *is_vis,
                           uint64_t seed, uint64_t stream)
{
  for (uint32_t i = 0; i < m->n_grid; i++) {
    if (is_vis[i])
      continue;
    for (uint32_t g = 0; g < G; g++) {
      uint32_t w[4];
      tk_rng_block_at(seed, stream, (uint64_t)i * G_all + g0 + g, w);
      bits[(size_t)i * G + g] = (uint64_t)w[0] | ((uint64_t)w[1] << 32);
    }
  }
}

/* Run n sweeps over colours 0..1 and add the last `rec` to the moments. */
static void run_phase(const tsu_dtm *m, tsu_sampler *s, uint32_t n,
                      uint32_t rec, int64_t *sm, int64_t *ssm)
{
  uint32_t G;
  const uint64_t *bits = tsu_sampler_bits(s, &G);
  memset(sm, 0, m->n_grid * sizeof *sm);
  memset(ssm, 0, m->n_edges * sizeof *ssm);
  if (n > rec)
    tsu_sampler_run_colors(s, n - rec, 2, 1);
  for (uint32_t t = 0; t < rec; t++) {
    tsu_sampler_run_colors(s, 1, 2, 1);
    moments_add(m, bits, G, sm, ssm);
  }
}

static double lr_at(const tsu_dtm_params *p, double progress)
{
  if (progress > 1)
    progress = 1;
  double f = p->lr_final_frac + (1 - p->lr_final_frac) * 0.5 *
                                    (1 + cos(3.141592653589793 * progress));
  return p->lr * f;
}

/* Adam ascent on one step's weights (decoupled decay, ACP on J). */
static void adam_step(tsu_dtm *m, uint32_t k, const step_ctx *c, double lr)
{
  const tsu_dtm_params *p = &m->p;
  size_t k0 = k - 1;
  double *J = m->J + k0 * m->n_edges, *h = m->h + k0 * m->n_grid;
  double *mJ = m->mJ + k0 * m->n_edges, *vJ = m->vJ + k0 * m->n_edges;
  double *mh = m->mh + k0 * m->n_grid, *vh = m->vh + k0 * m->n_grid;
  uint64_t t = ++m->adam_t[k0];
  double c1 = 1 - pow(p->adam_b1, (double)t), c2 = 1 - pow(p->adam_b2, (double)t);
  double decay = lr * (p->weight_decay + m->acp_lambda[k0]);
  for (uint32_t e = 0; e < m->n_edges; e++) {
    double g = c->gJ[e];
    mJ[e] = p->adam_b1 * mJ[e] + (1 - p->adam_b1) * g;
    vJ[e] = p->adam_b2 * vJ[e] + (1 - p->adam_b2) * g * g;
    J[e] += lr * (mJ[e] / c1) / (sqrt(vJ[e] / c2) + p->adam_eps) - decay * J[e];
  }
  for (uint32_t i = 0; i < m->n_grid; i++) {
    double g = c->gh[i];
    mh[i] = p->adam_b1 * mh[i] + (1 - p->adam_b1) * g;
    vh[i] = p->adam_b2 * vh[i] + (1 - p->adam_b2) * g * g;
    h[i] += lr * (mh[i] / c1) / (sqrt(vh[i] / c2) + p->adam_eps);
  }
}

/* Where this process's chains sit among all: rank r of `size` holds the
 * batch rows r Bl .. (r+1) Bl - 1, chain groups g0 = r Bl / 64 on. */
typedef struct shard {
  uint32_t Bl;           /* rows (chains) here */
  uint32_t row0;         /* first global row */
  uint32_t g0, G_all;    /* first global chain group, groups in all */
} shard;

/* One batch for step k, first half: noise and both phases -> moment sums
 * of this rank's chains. */
static void step_sample(const tsu_dtm *m, uint32_t k, step_ctx *c,
                        const uint8_t *x0, const uint8_t *is_vis,
                        uint64_t batch_id, const shard *sh)
{
  const tsu_dtm_params *p = &m->p;
  uint32_t B = sh->Bl, G;
  uint64_t ns = TSU__DTM_S_NOISE + 2 * (uint64_t)k;
  uint64_t row0 = batch_id * p->batch + sh->row0;
  /* x^(k-1) from x^0 in one jump, x^k one step further. */
  if (k == 1)
    memcpy(c->xa, x0, (size_t)B * m->n_vis);
  else
    tsu__dtm_noise(m, x0, c->xa, B, m->t[k - 1], p->seed, ns, row0);
  tsu__dtm_noise(m, c->xa, c->xb, B, m->t[k] - m->t[k - 1], p->seed, ns + 1,
                 row0);
  /* Positive phase. */
  uint64_t *bits = tsu_sampler_bits_mut(c->pos, &G);
  tsu__dtm_put(m, bits, G, c->xb, B, 1);
  tsu__dtm_put(m, bits, G, c->xa, B, 0);
  if (!p->persistent)
    random_latents(m, bits, G, sh->g0, sh->G_all, is_vis, p->seed,
                   ((uint64_t)k << 48) ^ (2 * batch_id + 0x1000));
  run_phase(m, c->pos, p->sweeps_pos, p->record, c->s_pos, c->ss_pos);
  /* Negative phase: start from x^k (and random latents) unless the
   * chains persist. */
  bits = tsu_sampler_bits_mut(c->neg, &G);
  tsu__dtm_put(m, bits, G, c->xb, B, 1);
  if (!p->persistent || !c->started) {
    tsu__dtm_put(m, bits, G, c->xb, B, 0);
    random_latents(m, bits, G, sh->g0, sh->G_all, is_vis, p->seed,
                   ((uint64_t)k << 48) ^ (2 * batch_id + 0x1001));
    c->started = 1;
  }
  run_phase(m, c->neg, p->sweeps, p->record, c->s_neg, c->ss_neg);
}

/* Second half, on the moment sums of all ranks: gradient, Adam update,
 * new weights into the samplers. */
static void step_update(tsu_dtm *m, uint32_t k, step_ctx *c, double lr,
                        double *grad_rms)
{
  const tsu_dtm_params *p = &m->p;
  double norm = 1.0 / ((double)p->batch * p->record), sum2 = 0;
  int finite = 1;
  for (uint32_t e = 0; e < m->n_edges; e++) {
    c->gJ[e] = (double)(c->ss_pos[e] - c->ss_neg[e]) * norm;
    sum2 += c->gJ[e] * c->gJ[e];
  }
  for (uint32_t i = 0; i < m->n_grid; i++)
    c->gh[i] = (double)(c->s_pos[i] - c->s_neg[i]) * norm;
  *grad_rms = sqrt(sum2 / m->n_edges);
  adam_step(m, k, c, lr);
  size_t k0 = k - 1;
  for (uint32_t e = 0; e < m->n_edges && finite; e++)
    finite = isfinite(m->J[k0 * m->n_edges + e]);
  for (uint32_t i = 0; i < m->n_grid && finite; i++)
    finite = isfinite(m->h[k0 * m->n_grid + i]);
  if (!finite || !isfinite(*grad_rms)) {
    c->status = TK_FAIL(&c->err, TK_ENUMERIC, "non-finite weights after "
                        "the update of step %u (lr %.3g too large?)", k, lr);
    return;
  }
  int rc = tsu_dtm_step_graph(m, k, &c->g, &c->err);
  if (rc == TK_OK)
    rc = tsu_sampler_reload(c->pos, c->g, c->cells, &c->err);
  if (rc == TK_OK)
    rc = tsu_sampler_reload(c->neg, c->g, c->cells, &c->err);
  if (rc != TK_OK)
    c->status = rc;
}

int tsu_dtm_stats_alloc(const tsu_dtm *m, tsu_dtm_epoch_stats *st)
{
  memset(st, 0, sizeof *st);
  st->autocorr = calloc(m->p.T, sizeof *st->autocorr);
  st->grad_rms = calloc(m->p.T, sizeof *st->grad_rms);
  return st->autocorr && st->grad_rms ? TK_OK : TK_ENOMEM;
}

void tsu_dtm_stats_free(tsu_dtm_epoch_stats *st)
{
  free(st->autocorr);
  free(st->grad_rms);
  free(st->hist_epoch);
  free(st->hist_autocorr);
  free(st->hist_lambda);
  memset(st, 0, sizeof *st);
}

/* Measure every step's autocorrelation, adapt the penalty, log it. */
static int acp_update(tsu_dtm *m, const tsu_dtm_data *d, double epoch_pos,
                      int n_threads, const tsu_dtm_comm *comm,
                      tsu_dtm_epoch_stats *st, double *flips)
{
  uint32_t T = m->p.T;
  size_t nh = st->n_hist + 1;
  double *he = realloc(st->hist_epoch, nh * T * sizeof *he);
  if (he != NULL)
    st->hist_epoch = he;
  double *ha = realloc(st->hist_autocorr, nh * T * sizeof *ha);
  if (ha != NULL)
    st->hist_autocorr = ha;
  double *hl = realloc(st->hist_lambda, nh * T * sizeof *hl);
  if (hl != NULL)
    st->hist_lambda = hl;
  if (he == NULL || ha == NULL || hl == NULL)
    return TK_ENOMEM;
  double fl = 0;
#ifdef _OPENMP
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1) reduction(+ : fl)
#endif
  for (uint32_t k = 1; k <= T; k++) {
    /* Ranks share the steps; the others contribute 0 to the sum. */
    double f = 0;
    st->autocorr[k - 1] = 0;
    if ((int)((k - 1) % (uint32_t)comm->size) == comm->rank)
      st->autocorr[k - 1] = tsu_dtm_autocorr(
          m, k, d, m->p.sweeps,
          m->p.seed ^ (0xD1B54A32D192ED03ull * (st->n_hist + 1)), &f);
    fl += f;
  }
  (void)n_threads;
  if (comm->size > 1 && comm->sum_f64(st->autocorr, T, comm->ctx) != 0)
    return TK_EIO;
  for (uint32_t k = 0; k < T; k++) {
    if (m->p.acp) {
      /* Multiplicative control in log space: lambda *= exp((r - r*) / r*),
       * at most x4 or /4 per measurement, so a chain far above target
       * is corrected within a few measurements and one near it is left
       * alone (the probe's own scatter is ~0.05). */
      double r = st->autocorr[k], *lam = &m->acp_lambda[k];
      double tgt = m->p.acp_target;
      double f = isfinite(r) ? exp((r - tgt) / tgt) : 1.0;
      f = fmin(fmax(f, 0.25), 4.0);
      *lam = fmin(fmax(*lam * f, m->p.acp_init / 64), m->p.acp_max);
    }
    st->hist_epoch[st->n_hist * T + k] = epoch_pos;
    st->hist_autocorr[st->n_hist * T + k] = st->autocorr[k];
    st->hist_lambda[st->n_hist * T + k] = m->acp_lambda[k];
  }
  st->n_hist = nh;
  *flips += fl;
  return TK_OK;
}

int tsu_dtm_train_epoch(tsu_dtm *m, const tsu_dtm_data *d, int n_threads,
                        tsu_dtm_progress_fn progress, void *ctx,
                        tsu_dtm_epoch_stats *st, tk_err *err)
{
  return tsu_dtm_train_epoch_comm(m, d, n_threads, NULL, progress, ctx, st,
                                  err);
}

int tsu_dtm_train_epoch_comm(tsu_dtm *m, const tsu_dtm_data *d, int n_threads,
                             const tsu_dtm_comm *comm_in,
                             tsu_dtm_progress_fn progress, void *ctx,
                             tsu_dtm_epoch_stats *st, tk_err *err)
{
  const tsu_dtm_params *p = &m->p;
  const tsu_dtm_comm single = {0, 1, NULL, NULL, NULL};
  const tsu_dtm_comm *comm = comm_in ? comm_in : &single;
  uint32_t B = p->batch, T = p->T;
  if (d->n < B)
    return TK_FAIL(err, TK_ERANGE, "%zu training images: fewer than one "
                   "batch of %u", d->n, B);
  if (comm->size < 1 || comm->rank < 0 || comm->rank >= comm->size ||
      B % (64u * (uint32_t)comm->size) != 0)
    return TK_FAIL(err, TK_ERANGE, "batch %u does not split into %d ranks "
                   "of whole 64-chain words (use a multiple of %d)", B,
                   comm->size, 64 * comm->size);
  shard sh;
  sh.Bl = B / (uint32_t)comm->size;
  sh.row0 = sh.Bl * (uint32_t)comm->rank;
  sh.g0 = sh.row0 / 64;
  sh.G_all = B / 64;
#ifdef _OPENMP
  if (n_threads <= 0)
    n_threads = omp_get_max_threads();
#else
  n_threads = 1;
#endif
  size_t n_batches = d->n / B;
  double t0 = tk_clock_s(), flips = 0;
  int rc = TK_OK;
  step_ctx *sc = calloc(T, sizeof *sc);
  tsu_coloring *col_pos = NULL, *col_neg = NULL;
  tsu_cells *cells = NULL;
  uint8_t *x0 = malloc((size_t)B * m->n_vis), *is_vis = calloc(m->n_grid, 1);
  uint32_t *perm = malloc(d->n * sizeof *perm);
  if (sc == NULL || x0 == NULL || is_vis == NULL || perm == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "training buffers");
    goto done;
  }
  for (uint32_t v = 0; v < m->n_vis; v++)
    is_vis[m->vis_node[v]] = 1;
  /* P(pixel = 1) of the training set: the start of generation. */
  for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++) {
    size_t ones = 0;
    for (size_t i = 0; i < d->n; i++)
      ones += d->img[i * TSU_DTM_N_PIX + v] & 1;
    m->pix_mean[v] = (double)ones / d->n;
  }
  tsu_cell_params cp = tsu_cell_ideal_params(1.0);
  if ((rc = tsu_cells_build(&cp, m->n_nodes, &cells, err)) != TK_OK ||
      (rc = tsu__dtm_coloring(m, TSU__CLAMP_VIS, &col_pos, err)) != TK_OK ||
      (rc = tsu__dtm_coloring(m, TSU__CLAMP_NONE, &col_neg, err)) != TK_OK)
    goto done;
  for (uint32_t k = 1; k <= T; k++) {
    step_ctx *c = &sc[k - 1];
    size_t vb = (size_t)sh.Bl * m->n_vis;
    c->xa = malloc(vb);
    c->xb = malloc(vb);
    c->mom = malloc((2 * (size_t)m->n_grid + 2 * (size_t)m->n_edges) *
                    sizeof *c->mom);
    c->gJ = malloc(m->n_edges * sizeof *c->gJ);
    c->gh = malloc(m->n_grid * sizeof *c->gh);
    if (!c->xa || !c->xb || !c->mom || !c->gJ || !c->gh) {
      rc = TK_FAIL(err, TK_ENOMEM, "training buffers");
      goto done;
    }
    c->s_pos = c->mom;
    c->s_neg = c->mom + m->n_grid;
    c->ss_pos = c->mom + 2 * (size_t)m->n_grid;
    c->ss_neg = c->ss_pos + m->n_edges;
    c->cells = cells;
    uint64_t sk = p->seed ^ (0x9E3779B97F4A7C15ull * (k + 64u * m->epochs_done));
    if ((rc = tsu_dtm_step_graph(m, k, &c->g, err)) != TK_OK ||
        (rc = tsu_sampler_alloc(c->g, col_pos, cells, sh.Bl, sk, TSU_PATH_AUTO,
                                &c->pos, err)) != TK_OK ||
        (rc = tsu_sampler_alloc(c->g, col_neg, cells, sh.Bl, ~sk,
                                TSU_PATH_AUTO, &c->neg, err)) != TK_OK)
      goto done;
    /* Global chain numbering: the same random numbers on any split. */
    uint32_t G;
    tsu_sampler_set_group_offset(c->pos, sh.g0);
    tsu_sampler_set_group_offset(c->neg, sh.g0);
    uint64_t *pb = tsu_sampler_bits_mut(c->pos, &G);
    random_latents(m, pb, G, sh.g0, sh.G_all, is_vis, p->seed, ((uint64_t)k << 48) ^ 0xFFFFFFFFull ^
                   m->epochs_done);
  }
  /* Epoch order: Fisher-Yates keyed by (seed, epoch). */
  tk_rng r;
  tk_rng_init(&r, p->seed, TSU__DTM_S_SHUFFLE + ((uint64_t)m->epochs_done << 8));
  for (size_t i = 0; i < d->n; i++)
    perm[i] = (uint32_t)i;
  for (size_t i = d->n - 1; i > 0; i--) {
    size_t j = tk_rng_below(&r, (uint32_t)(i + 1));
    uint32_t tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  /* Weights before the batch, to restore on a numerical failure. */
  size_t nJ = (size_t)T * m->n_edges, nhh = (size_t)T * m->n_grid;
  double *J_bak = malloc(nJ * sizeof *J_bak), *h_bak = malloc(nhh * sizeof *h_bak);
  if (J_bak == NULL || h_bak == NULL) {
    free(J_bak);
    free(h_bak);
    rc = TK_FAIL(err, TK_ENOMEM, "training buffers");
    goto done;
  }
  uint32_t every = p->acp_every ? p->acp_every : (uint32_t)n_batches;
  for (size_t b = 0; b < n_batches && rc == TK_OK; b++) {
    for (uint32_t i = 0; i < sh.Bl; i++) {
      uint32_t ex = perm[b * B + sh.row0 + i];
      tsu_dtm_visible(m, d->img + (size_t)ex * TSU_DTM_N_PIX, d->label[ex],
                      x0 + (size_t)i * m->n_vis);
    }
    memcpy(J_bak, m->J, nJ * sizeof *J_bak);
    memcpy(h_bak, m->h, nhh * sizeof *h_bak);
    double frac = (m->epochs_done + (double)b / n_batches) / p->epochs;
    double lr = lr_at(p, frac);
    uint64_t batch_id = (uint64_t)m->epochs_done * n_batches + b;
#ifdef _OPENMP
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1)
#endif
    for (uint32_t k = 1; k <= T; k++)
      step_sample(m, k, &sc[k - 1], x0, is_vis, batch_id, &sh);
    /* Integer moment sums: the all-reduce is exact, so any split of the
     * chains over ranks gives the same gradient bit for bit. */
    for (uint32_t k = 0; k < T && comm->size > 1; k++)
      if (comm->sum_i64(sc[k].mom, 2 * (size_t)m->n_grid +
                                       2 * (size_t)m->n_edges,
                        comm->ctx) != 0) {
        rc = TK_FAIL(err, TK_EIO, "all-reduce of the moments failed");
        break;
      }
    if (rc != TK_OK)
      break;
#ifdef _OPENMP
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1)
#endif
    for (uint32_t k = 1; k <= T; k++)
      step_update(m, k, &sc[k - 1], lr, &st->grad_rms[k - 1]);
    for (uint32_t k = 0; k < T; k++) {
      if (sc[k].status != TK_OK) {
        memcpy(m->J, J_bak, nJ * sizeof *J_bak);
        memcpy(m->h, h_bak, nhh * sizeof *h_bak);
        *err = sc[k].err;
        rc = sc[k].status;
        break;
      }
    }
    for (uint32_t k = 0; k < T; k++)
      flips += (double)sh.Bl * (p->sweeps_pos * (double)(m->n_grid - m->n_vis) +
                                p->sweeps * (double)m->n_grid);
    if (rc == TK_OK && ((b + 1) % every == 0 || b + 1 == n_batches)) {
      double pos = m->epochs_done + (double)(b + 1) / n_batches;
      if (acp_update(m, d, pos, n_threads, comm, st, &flips) != TK_OK)
        rc = TK_FAIL(err, TK_EIO, "ACP measurement (history or all-reduce)");
    }
    if (progress != NULL && progress(ctx, (double)(b + 1) / n_batches) &&
        rc == TK_OK) {
      rc = TK_FAIL(err, TK_EINTERRUPT, "training interrupted in batch %u "
                   "of %u", (unsigned)(b + 1), (unsigned)n_batches);
      break;
    }
  }
  free(J_bak);
  free(h_bak);
  if (rc == TK_OK)
    m->epochs_done++;
  st->wall_s = tk_clock_s() - t0;
  if (comm->size > 1 && comm->sum_f64(&flips, 1, comm->ctx) != 0 &&
      rc == TK_OK)
    rc = TK_FAIL(err, TK_EIO, "all-reduce of the flip count failed");
  st->flips = flips;
  st->flips_per_ns = flips / (st->wall_s * 1e9);
  st->images_per_s = (double)n_batches * B / st->wall_s;
done:
  if (sc != NULL)
    for (uint32_t k = 0; k < T; k++)
      step_free(&sc[k]);
  free(sc);
  tsu_coloring_free(col_pos);
  tsu_coloring_free(col_neg);
  tsu_cells_free(cells);
  free(x0);
  free(is_vis);
  free(perm);
  return rc;
}

/* The mean over P projections of the lag-`lag` autocorrelation of
 * y[P][nc][N] (nc chains of N recorded values each; chains 2c and 2c + 1
 * share their conditioning input): (C(lag) - C_pair) / (V - C_pair), the
 * pair covariance C_pair taking out what the shared conditioning
 * explains; 0 for a projection whose V - C_pair is not positive. */
double tsu__dtm_proj_autocorr(const double *y, uint32_t P, uint32_t nc,
                              uint32_t N, uint32_t lag)
{
  double sum_rho = 0;
  for (uint32_t pj = 0; pj < P; pj++) {
    const double *yp = y + (size_t)pj * nc * N;
    double mu = 0, V = 0, Cl = 0, Cr = 0;
    for (size_t i = 0; i < (size_t)nc * N; i++)
      mu += yp[i];
    mu /= (double)nc * N;
    for (size_t i = 0; i < (size_t)nc * N; i++)
      V += (yp[i] - mu) * (yp[i] - mu);
    V /= (double)nc * N;
    for (uint32_t c = 0; c < nc; c++)
      for (uint32_t t = 0; t + lag < N; t++)
        Cl += (yp[(size_t)c * N + t] - mu) * (yp[(size_t)c * N + t + lag] - mu);
    Cl /= (double)nc * (N - lag);
    for (uint32_t c = 0; c < nc; c += 2)
      for (uint32_t t = 0; t < N; t++)
        Cr += (yp[(size_t)c * N + t] - mu) * (yp[(size_t)(c + 1) * N + t] - mu);
    Cr /= (double)(nc / 2) * N;
    double den = V - Cr;
    sum_rho += den > 0 ? (Cl - Cr) / den : 0;
  }
  return sum_rho / P;
}

double tsu_dtm_autocorr(const tsu_dtm *m, uint32_t k, const tsu_dtm_data *d,
                        uint32_t lag, uint64_t seed, double *flips)
{
  const uint32_t nc = 128, P = N_PROJ, N = 3 * lag + 1;
  double rho = NAN;
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_cells *cells = NULL;
  tsu_sampler *s = NULL;
  tk_err err;
  uint8_t *x0 = malloc((size_t)nc * m->n_vis), *xk = malloc((size_t)nc * m->n_vis);
  float *proj = malloc((size_t)P * TSU_DTM_N_PIX * sizeof *proj);
  double *y = malloc((size_t)P * nc * N * sizeof *y);
  if (x0 == NULL || xk == NULL || proj == NULL || y == NULL || d->n < 1 ||
      lag < 1)
    goto done;
  /* 64 conditionings, each shared by a pair of replicas. */
  for (uint32_t c = 0; c < nc; c++) {
    size_t ex = (size_t)tk_rng_uniform_at(seed, TSU__DTM_S_PROJ, c / 2) * d->n;
    if (ex >= d->n)
      ex = d->n - 1;
    tsu_dtm_visible(m, d->img + ex * TSU_DTM_N_PIX, d->label[ex],
                    x0 + (size_t)c * m->n_vis);
  }
  for (uint32_t c = 0; c < nc; c += 2) {
    tsu__dtm_noise(m, x0 + (size_t)c * m->n_vis, xk + (size_t)c * m->n_vis,
                   1, m->t[k], seed, TSU__DTM_S_NOISE + 1000 + k, c);
    memcpy(xk + (size_t)(c + 1) * m->n_vis, xk + (size_t)c * m->n_vis,
           m->n_vis);
  }
  tk_rng r;
  tk_rng_init(&r, m->p.seed, TSU__DTM_S_PROJ);
  for (size_t i = 0; i < (size_t)P * TSU_DTM_N_PIX; i++)
    proj[i] = (float)(tk_rng_gauss(&r) / 28.0);
  tsu_cell_params cp = tsu_cell_ideal_params(1.0);
  if (tsu_cells_build(&cp, m->n_nodes, &cells, &err) != TK_OK ||
      tsu__dtm_coloring(m, TSU__CLAMP_NONE, &col, &err) != TK_OK ||
      tsu_dtm_step_graph(m, k, &g, &err) != TK_OK ||
      tsu_sampler_alloc(g, col, cells, nc, seed ^ (k * 0xA24BAED4963EE407ull),
                        TSU_PATH_AUTO, &s, &err) != TK_OK)
    goto done;
  uint32_t G;
  const uint64_t *bits = tsu_sampler_bits(s, &G);
  tsu__dtm_put(m, tsu_sampler_bits_mut(s, &G), G, xk, nc, 1);
  tsu_sampler_run_colors(s, lag, 2, 1);
  for (uint32_t t = 0; t < N; t++) {
    tsu_sampler_run_colors(s, 1, 2, 1);
    for (uint32_t pj = 0; pj < P; pj++) {
      double acc[128] = {0};
      const float *w = proj + (size_t)pj * TSU_DTM_N_PIX;
      for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++) {
        const uint64_t *word = bits + (size_t)m->vis_node[v] * G;
        for (uint32_t c = 0; c < nc; c++)
          acc[c] += ((word[c / 64] >> (c % 64)) & 1) ? w[v] : -w[v];
      }
      for (uint32_t c = 0; c < nc; c++)
        y[((size_t)pj * nc + c) * N + t] = acc[c];
    }
  }
  if (flips != NULL)
    *flips = (double)(lag + N) * col->start[2] * nc;
  rho = tsu__dtm_proj_autocorr(y, P, nc, N, lag);
done:
  free(x0);
  free(xk);
  free(proj);
  free(y);
  tsu_sampler_free(s);
  tsu_graph_free(g);
  tsu_coloring_free(col);
  tsu_cells_free(cells);
  return rho;
}
