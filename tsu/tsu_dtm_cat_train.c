/* tsu_dtm_cat_train.c -- moment-matching training of the categorical
 * DTM (indicator moments, Adam, ACP) and its chain autocorrelation
 * (tsu_dtm_cat.h).
 *
 * Workload: per batch and step, sweeps_pos + sweeps sweeps of the fast
 * Potts sampler over the batch's chains (~L^2 + 884 nodes), plus the
 * sampler's integer moment counts (n K + n_edges per chain and recorded
 * sweep).  The T steps run in parallel threads (one-thread samplers
 * inside), each with its own weights, so the result does not depend on
 * the thread count: every random number is keyed by (seed, epoch, batch,
 * step).
 */
#include "tsu/tsu_dtm_cat_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_progress.h"
#include "common/tk_rng.h"

#define N_PROJ 8

typedef struct cstep {
  tsu_graph *g;          /* step graph with the current couplings */
  double *h;             /* [n_nodes][K] step biases */
  tsu_potts pm;          /* the model on g, h */
  tsu_fastpotts *pos;    /* visible and inputs clamped */
  tsu_fastpotts *neg;    /* inputs clamped */
  tsu_moments *mpos, *mneg; /* indicator and agreement counts */
  uint8_t *xa, *xb;      /* [B][n_vis] x^(k-1), x^k */
  double *gJ, *gh;       /* [n_edges], [n_grid][K] gradient */
  int status;
  tk_err err;
} cstep;

static void cstep_free(cstep *c)
{
  tsu_graph_free(c->g);
  free(c->h);
  tsu_fastpotts_free(c->pos);
  tsu_fastpotts_free(c->neg);
  tsu_moments_free(c->mpos);
  tsu_moments_free(c->mneg);
  free(c->xa);
  free(c->xb);
  free(c->gJ);
  free(c->gh);
}

static void mom_reset(tsu_moments *mo)
{
  memset(mo->count, 0, mo->n_batches * mo->n_obs * sizeof *mo->count);
  mo->recorded = 0;
}

/* Sum of observable o over the batches. */
static int64_t mom_sum(const tsu_moments *mo, size_t o)
{
  int64_t s = 0;
  for (uint32_t b = 0; b < mo->n_batches; b++)
    s += mo->count[b * mo->n_obs + o];
  return s;
}

static double lr_at(const tsu_dtm_params *p, double progress)
{
  if (progress > 1)
    progress = 1;
  return p->lr * (p->lr_final_frac + (1 - p->lr_final_frac) * 0.5 *
                                         (1 + cos(3.141592653589793 * progress)));
}

/* Random latent states (fresh chains): Philox (seed, stream, node). */
static void fresh_latents(const tsu_dtmc *m, tsu_fastpotts *s, uint32_t B,
                          const uint8_t *is_vis, uint64_t seed,
                          uint64_t stream)
{
  for (uint32_t i = 0; i < m->b->n_grid; i++)
    if (!is_vis[i])
      for (uint32_t c = 0; c < B; c++)
        tsu_fastpotts_set_state(
            s, c, i,
            (uint8_t)(tk_rng_uniform_at(seed, stream, (uint64_t)i * B + c) *
                      m->K));
}

static int phase(tsu_fastpotts *s, tsu_moments *mo, uint32_t n, uint32_t rec,
                 tk_err *err)
{
  mom_reset(mo);
  if (n > rec)
    TK_TRY(tsu_fastpotts_run(s, n - rec, 1, NULL, err));
  return tsu_fastpotts_run(s, rec, 1, mo, err);
}

static void step_sample(const tsu_dtmc *m, uint32_t k, cstep *c,
                        const uint8_t *x0, const uint8_t *is_vis,
                        uint64_t batch_id)
{
  const tsu_dtm_params *p = &m->b->p;
  uint32_t B = p->batch;
  uint64_t ns = TSU__DTMC_S_NOISE + 2 * (uint64_t)k;
  uint64_t row0 = batch_id * B;
  if (k == 1)
    memcpy(c->xa, x0, (size_t)B * m->b->n_vis);
  else
    tsu_dtmc_noise(m, x0, c->xa, B, m->b->t[k - 1], p->seed, ns, row0);
  tsu_dtmc_noise(m, c->xa, c->xb, B, m->b->t[k] - m->b->t[k - 1], p->seed,
                 ns + 1, row0);
  tsu__dtmc_put(m, c->pos, c->xb, B, 1);
  tsu__dtmc_put(m, c->pos, c->xa, B, 0);
  if (!p->persistent)
    fresh_latents(m, c->pos, B, is_vis, p->seed,
                  ((uint64_t)k << 48) ^ (2 * batch_id + 0x1000));
  int rc = phase(c->pos, c->mpos, p->sweeps_pos, p->record, &c->err);
  tsu__dtmc_put(m, c->neg, c->xb, B, 1);
  if (!p->persistent) {
    tsu__dtmc_put(m, c->neg, c->xb, B, 0);
    fresh_latents(m, c->neg, B, is_vis, p->seed,
                  ((uint64_t)k << 48) ^ (2 * batch_id + 0x1001));
  }
  if (rc == TK_OK)
    rc = phase(c->neg, c->mneg, p->sweeps, p->record, &c->err);
  c->status = rc;
}

/* Gradient, Adam (decoupled decay and ACP on J), new weights. */
static void step_update(tsu_dtmc *m, uint32_t k, cstep *c, double lr,
                        double *grad_rms)
{
  tsu_dtm *b = m->b;
  const tsu_dtm_params *p = &b->p;
  uint32_t K = m->K, E = b->n_edges, N = b->n_grid;
  size_t nK = (size_t)c->g->n * K;
  double norm = 1.0 / ((double)p->batch * p->record), sum2 = 0;
  for (uint32_t e = 0; e < E; e++) {
    c->gJ[e] = (double)(mom_sum(c->mpos, nK + e) - mom_sum(c->mneg, nK + e)) *
               norm;
    sum2 += c->gJ[e] * c->gJ[e];
  }
  for (size_t o = 0; o < (size_t)N * K; o++)
    c->gh[o] = (double)(mom_sum(c->mpos, o) - mom_sum(c->mneg, o)) * norm;
  *grad_rms = sqrt(sum2 / E);
  size_t k0 = k - 1;
  double *J = b->J + k0 * E, *mJ = b->mJ + k0 * E, *vJ = b->vJ + k0 * E;
  double *h = m->h + k0 * N * K, *mh = m->mh + k0 * N * K,
         *vh = m->vh + k0 * N * K;
  uint64_t t = ++b->adam_t[k0];
  double c1 = 1 - pow(p->adam_b1, (double)t), c2 = 1 - pow(p->adam_b2, (double)t);
  double decay = lr * (p->weight_decay + b->acp_lambda[k0]);
  int finite = isfinite(*grad_rms);
  for (uint32_t e = 0; e < E; e++) {
    double g = c->gJ[e];
    mJ[e] = p->adam_b1 * mJ[e] + (1 - p->adam_b1) * g;
    vJ[e] = p->adam_b2 * vJ[e] + (1 - p->adam_b2) * g * g;
    J[e] += lr * (mJ[e] / c1) / (sqrt(vJ[e] / c2) + p->adam_eps) - decay * J[e];
    finite &= isfinite(J[e]);
  }
  for (size_t o = 0; o < (size_t)N * K; o++) {
    double g = c->gh[o];
    mh[o] = p->adam_b1 * mh[o] + (1 - p->adam_b1) * g;
    vh[o] = p->adam_b2 * vh[o] + (1 - p->adam_b2) * g * g;
    h[o] += lr * (mh[o] / c1) / (sqrt(vh[o] / c2) + p->adam_eps);
    finite &= isfinite(h[o]);
  }
  if (!finite) {
    c->status = TK_FAIL(&c->err, TK_ENUMERIC, "non-finite weights after "
                        "the update of step %u (lr %.3g too large?)", k, lr);
    return;
  }
  int rc = tsu_dtmc_step_model(m, k, &c->g, &c->h, &c->err);
  if (rc == TK_OK)
    rc = tsu_fastpotts_reload(c->pos, &c->pm, &c->err);
  if (rc == TK_OK)
    rc = tsu_fastpotts_reload(c->neg, &c->pm, &c->err);
  c->status = rc;
}

static int acp_update(tsu_dtmc *m, const tsu_dtm_data *d, double epoch_pos,
                      int n_threads, tsu_dtm_epoch_stats *st, double *flips)
{
  uint32_t T = m->b->p.T;
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
  (void)n_threads;
#ifdef _OPENMP
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1) reduction(+ : fl)
#endif
  for (uint32_t k = 1; k <= T; k++) {
    double f = 0;
    st->autocorr[k - 1] = tsu_dtmc_autocorr(
        m, k, d, m->b->p.sweeps,
        m->b->p.seed ^ (0xD1B54A32D192ED03ull * (st->n_hist + 1)), &f);
    fl += f;
  }
  for (uint32_t k = 0; k < T; k++) {
    if (m->b->p.acp) {
      /* the binary DTM's controller (tsu_dtm_train.c) */
      double r = st->autocorr[k], *lam = &m->b->acp_lambda[k];
      double tgt = m->b->p.acp_target;
      double f = isfinite(r) ? exp((r - tgt) / tgt) : 1.0;
      f = fmin(fmax(f, 0.25), 4.0);
      *lam = fmin(fmax(*lam * f, m->b->p.acp_init / 64), m->b->p.acp_max);
    }
    st->hist_epoch[st->n_hist * T + k] = epoch_pos;
    st->hist_autocorr[st->n_hist * T + k] = st->autocorr[k];
    st->hist_lambda[st->n_hist * T + k] = m->b->acp_lambda[k];
  }
  st->n_hist = nh;
  *flips += fl;
  return TK_OK;
}

int tsu_dtmc_train_epoch(tsu_dtmc *m, const tsu_dtm_data *d, int n_threads,
                         tsu_dtm_progress_fn progress, void *ctx,
                         tsu_dtm_epoch_stats *st, tk_err *err)
{
  tsu_dtm *b = m->b;
  const tsu_dtm_params *p = &b->p;
  uint32_t B = p->batch, T = p->T, K = m->K;
  if (d->n < B)
    return TK_FAIL(err, TK_ERANGE, "%zu training images: fewer than one "
                   "batch of %u", d->n, B);
  if (p->record < 2)
    return TK_FAIL(err, TK_ERANGE, "categorical DTM: record %u, need >= 2",
                   p->record);
  for (size_t i = 0; i < d->n * TSU_DTM_N_PIX; i++)
    if (d->img[i] >= K)
      return TK_FAIL(err, TK_ERANGE, "image %zu: level %u outside 0..%u",
                     i / TSU_DTM_N_PIX, d->img[i], K - 1);
#ifdef _OPENMP
  if (n_threads <= 0)
    n_threads = omp_get_max_threads();
#else
  n_threads = 1;
#endif
  size_t n_batches = d->n / B;
  double t0 = tk_clock_s(), flips = 0;
  int rc = TK_OK;
  cstep *sc = calloc(T, sizeof *sc);
  tsu_coloring *col_pos = NULL, *col_neg = NULL;
  uint8_t *x0 = malloc((size_t)B * b->n_vis), *is_vis = calloc(b->n_grid, 1);
  uint32_t *perm = malloc(d->n * sizeof *perm);
  size_t nJ = (size_t)T * b->n_edges, nhh = (size_t)T * b->n_grid * K;
  double *J_bak = malloc(nJ * sizeof *J_bak), *h_bak = malloc(nhh * sizeof *h_bak);
  if (sc == NULL || x0 == NULL || is_vis == NULL || perm == NULL ||
      J_bak == NULL || h_bak == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "training buffers");
    goto done;
  }
  for (uint32_t v = 0; v < b->n_vis; v++)
    is_vis[b->vis_node[v]] = 1;
  tsu_dtmc_pixel_marginals(d->img, d->n, K, m->pix_p);
  if ((rc = tsu__dtmc_coloring(m, TSU__CLAMP_VIS, &col_pos, err)) != TK_OK ||
      (rc = tsu__dtmc_coloring(m, TSU__CLAMP_NONE, &col_neg, err)) != TK_OK)
    goto done;
  for (uint32_t k = 1; k <= T; k++) {
    cstep *c = &sc[k - 1];
    size_t vb = (size_t)B * b->n_vis;
    c->xa = malloc(vb);
    c->xb = malloc(vb);
    c->gJ = malloc(b->n_edges * sizeof *c->gJ);
    c->gh = malloc((size_t)b->n_grid * K * sizeof *c->gh);
    if (!c->xa || !c->xb || !c->gJ || !c->gh) {
      rc = TK_FAIL(err, TK_ENOMEM, "training buffers");
      goto done;
    }
    uint64_t sk = p->seed ^ (0x9E3779B97F4A7C15ull * (k + 64u * b->epochs_done));
    if ((rc = tsu_dtmc_step_model(m, k, &c->g, &c->h, err)) != TK_OK)
      goto done;
    c->pm = (tsu_potts){c->g, K, c->h, 1.0};
    if ((rc = tsu_fastpotts_alloc(&c->pm, col_pos, B, sk, TSU_PATH_AUTO,
                                  &c->pos, err)) != TK_OK ||
        (rc = tsu_fastpotts_alloc(&c->pm, col_neg, B, ~sk, TSU_PATH_AUTO,
                                  &c->neg, err)) != TK_OK ||
        /* one batch per recorded sweep: every sweep counts */
        (rc = tsu_potts_moments_alloc(&c->pm, B, p->record, p->record,
                                      &c->mpos, err)) != TK_OK ||
        (rc = tsu_potts_moments_alloc(&c->pm, B, p->record, p->record,
                                      &c->mneg, err)) != TK_OK)
      goto done;
  }
  tk_rng r;
  tk_rng_init(&r, p->seed, TSU__DTMC_S_SHUFFLE + ((uint64_t)b->epochs_done << 8));
  for (size_t i = 0; i < d->n; i++)
    perm[i] = (uint32_t)i;
  for (size_t i = d->n - 1; i > 0; i--) {
    size_t j = tk_rng_below(&r, (uint32_t)(i + 1));
    uint32_t tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  uint32_t every = p->acp_every ? p->acp_every : (uint32_t)n_batches;
  for (size_t bt = 0; bt < n_batches && rc == TK_OK; bt++) {
    for (uint32_t i = 0; i < B; i++) {
      uint32_t ex = perm[bt * B + i];
      tsu_dtmc_visible(m, d->img + (size_t)ex * TSU_DTM_N_PIX, d->label[ex],
                      x0 + (size_t)i * b->n_vis);
    }
    memcpy(J_bak, b->J, nJ * sizeof *J_bak);
    memcpy(h_bak, m->h, nhh * sizeof *h_bak);
    double frac = (b->epochs_done + (double)bt / n_batches) / p->epochs;
    double lr = lr_at(p, frac);
    uint64_t batch_id = (uint64_t)b->epochs_done * n_batches + bt;
#ifdef _OPENMP
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1)
#endif
    for (uint32_t k = 1; k <= T; k++) {
      step_sample(m, k, &sc[k - 1], x0, is_vis, batch_id);
      if (sc[k - 1].status == TK_OK)
        step_update(m, k, &sc[k - 1], lr, &st->grad_rms[k - 1]);
    }
    for (uint32_t k = 0; k < T; k++)
      if (sc[k].status != TK_OK) {
        memcpy(b->J, J_bak, nJ * sizeof *J_bak);
        memcpy(m->h, h_bak, nhh * sizeof *h_bak);
        *err = sc[k].err;
        rc = sc[k].status;
        break;
      }
    flips += (double)T * B * (p->sweeps_pos * (double)(b->n_grid - b->n_vis) +
                              p->sweeps * (double)b->n_grid);
    if (rc == TK_OK && ((bt + 1) % every == 0 || bt + 1 == n_batches)) {
      double pos = b->epochs_done + (double)(bt + 1) / n_batches;
      if (acp_update(m, d, pos, n_threads, st, &flips) != TK_OK)
        rc = TK_FAIL(err, TK_ENOMEM, "ACP history");
    }
    if (progress != NULL && progress(ctx, (double)(bt + 1) / n_batches) &&
        rc == TK_OK)
      rc = TK_FAIL(err, TK_EINTERRUPT, "training interrupted in batch %u "
                   "of %u", (unsigned)(bt + 1), (unsigned)n_batches);
  }
  if (rc == TK_OK)
    b->epochs_done++;
  st->wall_s = tk_clock_s() - t0;
  st->flips = flips;
  st->flips_per_ns = flips / (st->wall_s * 1e9);
  st->images_per_s = (double)n_batches * B / st->wall_s;
done:
  if (sc != NULL)
    for (uint32_t k = 0; k < T; k++)
      cstep_free(&sc[k]);
  free(sc);
  tsu_coloring_free(col_pos);
  tsu_coloring_free(col_neg);
  free(x0);
  free(is_vis);
  free(perm);
  free(J_bak);
  free(h_bak);
  return rc;
}

double tsu_dtmc_autocorr(const tsu_dtmc *m, uint32_t k, const tsu_dtm_data *d,
                         uint32_t lag, uint64_t seed, double *flips)
{
  const tsu_dtm *b = m->b;
  const uint32_t nc = 128, P = N_PROJ, N = 3 * lag + 1;
  double rho = NAN;
  tsu_graph *g = NULL;
  double *h = NULL;
  tsu_coloring *col = NULL;
  tsu_fastpotts *s = NULL;
  tk_err err;
  uint8_t *x0 = malloc((size_t)nc * b->n_vis), *xk = malloc((size_t)nc * b->n_vis);
  uint8_t *lv = malloc((size_t)nc * b->n_vis);
  float *proj = malloc((size_t)P * TSU_DTM_N_PIX * sizeof *proj);
  double *y = malloc((size_t)P * nc * N * sizeof *y);
  if (x0 == NULL || xk == NULL || lv == NULL || proj == NULL || y == NULL ||
      d->n < 1 || lag < 1)
    goto done;
  for (uint32_t c = 0; c < nc; c++) {
    size_t ex = (size_t)(tk_rng_uniform_at(seed, TSU__DTMC_S_PROJ, c / 2) * d->n);
    if (ex >= d->n)
      ex = d->n - 1;
    tsu_dtmc_visible(m, d->img + ex * TSU_DTM_N_PIX, d->label[ex],
                    x0 + (size_t)c * b->n_vis);
  }
  for (uint32_t c = 0; c < nc; c += 2) {
    tsu_dtmc_noise(m, x0 + (size_t)c * b->n_vis, xk + (size_t)c * b->n_vis, 1,
                   b->t[k], seed, TSU__DTMC_S_NOISE + 1000 + k, c);
    memcpy(xk + (size_t)(c + 1) * b->n_vis, xk + (size_t)c * b->n_vis,
           b->n_vis);
  }
  tk_rng r;
  tk_rng_init(&r, b->p.seed, TSU__DTMC_S_PROJ);
  for (size_t i = 0; i < (size_t)P * TSU_DTM_N_PIX; i++)
    proj[i] = (float)(tk_rng_gauss(&r) / 28.0);
  if (tsu__dtmc_coloring(m, TSU__CLAMP_NONE, &col, &err) != TK_OK ||
      tsu_dtmc_step_model(m, k, &g, &h, &err) != TK_OK)
    goto done;
  tsu_potts pm = {g, m->K, h, 1.0};
  if (tsu_fastpotts_alloc(&pm, col, nc, seed ^ (k * 0xA24BAED4963EE407ull),
                          TSU_PATH_AUTO, &s, &err) != TK_OK)
    goto done;
  tsu__dtmc_put(m, s, xk, nc, 1);
  if (tsu_fastpotts_run(s, lag, 1, NULL, &err) != TK_OK)
    goto done;
  for (uint32_t t = 0; t < N; t++) {
    if (tsu_fastpotts_run(s, 1, 1, NULL, &err) != TK_OK)
      goto done;
    tsu__dtmc_get(m, s, lv, nc);
    for (uint32_t pj = 0; pj < P; pj++) {
      const float *w = proj + (size_t)pj * TSU_DTM_N_PIX;
      for (uint32_t c = 0; c < nc; c++) {
        double acc = 0;
        const uint8_t *row = lv + (size_t)c * b->n_vis;
        for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++)
          acc += w[v] * row[v];
        y[((size_t)pj * nc + c) * N + t] = acc;
      }
    }
  }
  if (flips != NULL)
    *flips = (double)(lag + N) * col->start[2] * nc;
  rho = tsu__dtm_proj_autocorr(y, P, nc, N, lag);
done:
  free(x0);
  free(xk);
  free(lv);
  free(proj);
  free(y);
  free(h);
  tsu_fastpotts_free(s);
  tsu_graph_free(g);
  tsu_coloring_free(col);
  return rho;
}
