/* tsu_dtm_cat.c -- the categorical DTM's model, quantisation, forward
 * process, step models and generation (tsu_dtm_cat.h).
 *
 * Workload: generation on ideal cells runs T fast-Potts samplers of n
 * chains one after the other (T x sweeps x (L^2 + 884) x n updates at
 * ~0.3-0.5 updates/ns per core); on calibrated cells a scalar chain asks
 * the cell model once per update (microseconds each: use few samples).
 */
#include "tsu/tsu_dtm_cat_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_rng.h"
#include "tsu/tsu_fastpotts.h"

int tsu_dtmc_alloc(const tsu_dtm_params *p, uint32_t K, tsu_dtmc **out,
                   tk_err *err)
{
  *out = NULL;
  if (K < 2 || K > TSU_DTMC_MAX_K)
    return TK_FAIL(err, TK_ERANGE, "levels %u outside 2..%u", K,
                   TSU_DTMC_MAX_K);
  tsu_dtmc *m = calloc(1, sizeof *m);
  if (m == NULL)
    return TK_FAIL(err, TK_ENOMEM, "categorical DTM");
  int rc = tsu_dtm_alloc(p, &m->b, err);
  if (rc != TK_OK) {
    free(m);
    return rc;
  }
  m->K = K;
  size_t nh = (size_t)p->T * m->b->n_grid * K;
  m->h = calloc(nh, sizeof *m->h);
  m->mh = calloc(nh, sizeof *m->mh);
  m->vh = calloc(nh, sizeof *m->vh);
  m->pix_p = malloc((size_t)TSU_DTM_N_PIX * K * sizeof *m->pix_p);
  if (m->h == NULL || m->mh == NULL || m->vh == NULL || m->pix_p == NULL) {
    tsu_dtmc_free(m);
    return TK_FAIL(err, TK_ENOMEM, "categorical DTM biases");
  }
  for (size_t i = 0; i < (size_t)TSU_DTM_N_PIX * K; i++)
    m->pix_p[i] = 1.0 / K;
  for (size_t i = 0; i < TSU_DTM_N_PIX; i++)
    m->b->pix_mean[i] = 0;
  *out = m;
  return TK_OK;
}

void tsu_dtmc_free(tsu_dtmc *m)
{
  if (m == NULL)
    return;
  tsu_dtm_free(m->b);
  free(m->h);
  free(m->mh);
  free(m->vh);
  free(m->pix_p);
  free(m);
}

void tsu_dtmc_quantise(uint8_t *pixels, size_t n, uint32_t K)
{
  for (size_t i = 0; i < n; i++) {
    unsigned v = pixels[i];
    pixels[i] = v <= 25 ? 0 : (uint8_t)(1 + (v - 26) * (K - 1) / 230);
  }
}

void tsu_dtmc_visible(const tsu_dtmc *m, const uint8_t *img, unsigned label,
                      uint8_t *x)
{
  tsu_dtm_visible(m->b, img, label, x);
  for (uint32_t v = TSU_DTM_N_PIX; v < m->b->n_vis; v++)
    x[v] = (uint8_t)(x[v] * (m->K - 1));
}

uint32_t tsu_dtmc_states(const tsu_dtmc *m, uint32_t v)
{
  return v < TSU_DTM_N_PIX ? m->K : 2;
}

double tsu_dtmc_keep(const tsu_dtmc *m, double t, int is_label)
{
  return exp(-(is_label ? m->b->p.rate_label : m->b->p.rate_image) * t);
}

double tsu_dtmc_jfwd(const tsu_dtmc *m, uint32_t k, int is_label)
{
  double rt = (is_label ? m->b->p.rate_label : m->b->p.rate_image) *
              (m->b->t[k] - m->b->t[k - 1]);
  double M = is_label ? 2.0 : m->K;
  return log1p(M * exp(-rt) / -expm1(-rt));
}

int tsu_dtmc_step_model(const tsu_dtmc *m, uint32_t k, tsu_graph **g,
                        double **h, tk_err *err)
{
  const tsu_dtm *b = m->b;
  TK_TRY(tsu_dtm_step_graph(b, k, g, err));
  double jimg = tsu_dtmc_jfwd(m, k, 0), jlab = tsu_dtmc_jfwd(m, k, 1);
  tsu_graph *gg = *g;
  for (uint32_t i = 0; i < b->n_vis; i++)
    gg->w[b->n_edges + i] = i < TSU_DTM_N_PIX ? jimg : jlab;
  for (uint32_t q = 0; q < gg->off[gg->n]; q++)
    gg->adj_w[q] = gg->w[gg->adj_edge[q]];
  size_t K = m->K;
  if (*h == NULL) {
    *h = calloc((size_t)b->n_nodes * K, sizeof **h);
    if (*h == NULL)
      return TK_FAIL(err, TK_ENOMEM, "step biases");
  }
  memcpy(*h, m->h + (size_t)(k - 1) * b->n_grid * K,
         (size_t)b->n_grid * K * sizeof **h);
  for (uint32_t v = TSU_DTM_N_PIX; v < b->n_vis; v++)
    for (size_t s = 1; s + 1 < K; s++)
      (*h)[(size_t)b->vis_node[v] * K + s] = -TSU_DTMC_LABEL_MASK;
  return TK_OK;
}

int tsu__dtmc_coloring(const tsu_dtmc *m, int clamp, tsu_coloring **out,
                       tk_err *err)
{
  TK_TRY(tsu__dtm_coloring(m->b, clamp, out, err));
  (*out)->n_colors = 2;
  return TK_OK;
}

void tsu_dtmc_noise(const tsu_dtmc *m, const uint8_t *x_in, uint8_t *x_out,
                    uint32_t n_rows, double dt, uint64_t seed,
                    uint64_t stream, uint64_t ctr0)
{
  /* replace iff u32 < (1 - a) 2^32; the new state from a second u32 */
  const tsu_dtm *b = m->b;
  uint64_t thr_i = (uint64_t)(-expm1(-b->p.rate_image * dt) * 4294967296.0);
  uint64_t thr_l = (uint64_t)(-expm1(-b->p.rate_label * dt) * 4294967296.0);
  uint64_t blocks = (2 * (uint64_t)b->n_vis + 3) / 4;
  for (uint32_t row = 0; row < n_rows; row++) {
    tk_rng r;
    tk_rng_init(&r, seed, stream);
    tk_rng_seek(&r, (ctr0 + row) * blocks);
    const uint8_t *a = x_in + (size_t)row * b->n_vis;
    uint8_t *o = x_out + (size_t)row * b->n_vis;
    for (uint32_t v = 0; v < b->n_vis; v++) {
      uint64_t u = tk_rng_u32(&r), w = tk_rng_u32(&r);
      int lab = v >= TSU_DTM_N_PIX;
      uint32_t M = lab ? 2 : m->K;
      uint8_t nw = (uint8_t)((w * M) >> 32);
      if (lab)
        nw = (uint8_t)(nw * (m->K - 1)); /* label states 0, K-1 */
      o[v] = u < (lab ? thr_l : thr_i) ? nw : a[v];
    }
  }
}

void tsu__dtmc_put(const tsu_dtmc *m, tsu_fastpotts *s, const uint8_t *x,
                   uint32_t n_chains, int inputs)
{
  const tsu_dtm *b = m->b;
  for (uint32_t c = 0; c < n_chains; c++)
    for (uint32_t v = 0; v < b->n_vis; v++)
      tsu_fastpotts_set_state(s, c, inputs ? b->n_grid + v : b->vis_node[v],
                              x[(size_t)c * b->n_vis + v]);
}

void tsu__dtmc_get(const tsu_dtmc *m, const tsu_fastpotts *s, uint8_t *x,
                   uint32_t n_chains)
{
  const tsu_dtm *b = m->b;
  for (uint32_t c = 0; c < n_chains; c++)
    for (uint32_t v = 0; v < b->n_vis; v++)
      x[(size_t)c * b->n_vis + v] = tsu_fastpotts_state(s, c, b->vis_node[v]);
}

void tsu_dtmc_pixel_marginals(const uint8_t *img, size_t n, uint32_t K,
                              double *pix_p)
{
  memset(pix_p, 0, (size_t)TSU_DTM_N_PIX * K * sizeof *pix_p);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < TSU_DTM_N_PIX; j++) {
      unsigned lv = img[i * TSU_DTM_N_PIX + j];
      pix_p[j * K + (lv < K ? lv : K - 1)] += 1;
    }
  for (size_t j = 0; n > 0 && j < (size_t)TSU_DTM_N_PIX * K; j++)
    pix_p[j] /= (double)n;
}

/* Level drawn from p[K] with u in [0, 1). */
static uint8_t draw(const double *p, uint32_t K, double u)
{
  double acc = 0;
  for (uint32_t k = 0; k + 1 < K; k++) {
    acc += p[k];
    if (u < acc)
      return (uint8_t)k;
  }
  return (uint8_t)(K - 1);
}

void tsu_dtmc_marginal_draw(const double *pix_p, uint32_t K, size_t n,
                            uint64_t seed, uint8_t *out)
{
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < TSU_DTM_N_PIX; j++)
      out[i * TSU_DTM_N_PIX + j] =
          draw(pix_p + j * K, K, tk_rng_uniform_at(seed, i, j));
}

void tsu_dtmc_thermometer(const uint8_t *img, size_t n, uint32_t K,
                          uint8_t *out)
{
  size_t P = TSU_DTM_N_PIX, W = (size_t)(K - 1) * P;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j + 1 < K; j++)
      for (size_t x = 0; x < P; x++)
        out[i * W + j * P + x] = img[i * P + x] > j;
}

/* x^T: the forward marginal at t_T of the pixel marginals; labels as the
 * binary DTM (clamped, or a random class passed through the noise). */
static void start_state(const tsu_dtmc *m, const tsu_dtm_gen_opts *o,
                        uint8_t *x, uint32_t nc)
{
  const tsu_dtm *b = m->b;
  uint32_t K = m->K;
  double ai = tsu_dtmc_keep(m, b->t[b->p.T], 0);
  double al = tsu_dtmc_keep(m, b->t[b->p.T], 1);
  uint8_t img[TSU_DTM_N_PIX] = {0};
  double p[TSU_DTMC_MAX_K];
  for (uint32_t c = 0; c < nc; c++) {
    tk_rng r;
    tk_rng_init(&r, o->seed, TSU__DTMC_S_START);
    tk_rng_seek(&r, (uint64_t)c * 1024);
    int fixed = o->labels ? o->labels[c < o->n ? c : o->n - 1] : o->label;
    unsigned label = fixed >= 0 ? (unsigned)fixed
                                : tk_rng_below(&r, TSU_DTM_N_CLASS);
    uint8_t *row = x + (size_t)c * b->n_vis;
    tsu_dtmc_visible(m, img, label, row);
    for (uint32_t v = 0; v < b->n_vis; v++) {
      double u = tk_rng_uniform(&r), w = tk_rng_uniform(&r);
      if (v < TSU_DTM_N_PIX) {
        for (uint32_t k = 0; k < K; k++)
          p[k] = ai * m->pix_p[(size_t)v * K + k] + (1 - ai) / K;
        row[v] = draw(p, K, u);
      } else if (fixed < 0 && u < 1 - al) {
        row[v] = (uint8_t)(w < 0.5 ? K - 1 : 0);
      }
    }
  }
}

/* One step on calibrated cells: the scalar chain of tsu_dtm_cat.h, chain
 * c's update of node i in sweep t drawing tk_rng_uniform_at(seed, c,
 * t n + i) (memory: a second draw at stream 2^62 + c). */
static int scalar_step(const tsu_dtmc *m, const tsu_graph *g, const double *h,
                       const tsu_coloring *col, const tsu_dtmc_cells *cells,
                       uint8_t *st, uint32_t nc, uint32_t sweeps,
                       uint64_t seed, int n_threads, double *changed,
                       tk_err *err)
{
  uint32_t n = g->n, K = m->K, n_free = col->start[2];
  int status = TK_OK;
  double chg = 0;
  (void)n_threads;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(n_threads > 0 ? n_threads : omp_get_max_threads()) reduction(+ : chg)
#endif
  for (int64_t ci = 0; ci < (int64_t)nc; ci++) {
    uint32_t c = (uint32_t)ci;
    uint8_t *s = st + (size_t)c * n;
    double f[TSU_DTMC_MAX_K], q[TSU_DTMC_MAX_K], p[TSU_DTMC_MAX_K];
    int ok = 1;
    for (uint32_t t = 0; t < sweeps && ok; t++)
      for (uint32_t o = 0; o < n_free && ok; o++) {
        uint32_t i = col->order[o];
        for (uint32_t k = 0; k < K; k++)
          f[k] = h[(size_t)i * K + k];
        for (uint32_t a = g->off[i]; a < g->off[i + 1]; a++)
          f[s[g->adj[a]]] += g->adj_w[a];
        double mx = f[0], z = 0;
        for (uint32_t k = 1; k < K; k++)
          mx = fmax(mx, f[k]);
        for (uint32_t k = 0; k < K; k++)
          z += q[k] = exp(f[k] - mx);
        for (uint32_t k = 0; k < K; k++)
          q[k] /= z;
        if (cells->respond(cells->ctx, i, q, p) != 0) {
          ok = 0;
          break;
        }
        uint64_t ctr = (uint64_t)t * n + i;
        uint8_t old = s[i];
        if (cells->keep != NULL && cells->keep[i] > 0 &&
            tk_rng_uniform_at(seed, (1ull << 62) + c, ctr) < cells->keep[i])
          continue;
        s[i] = draw(p, K, tk_rng_uniform_at(seed, c, ctr));
        chg += s[i] != old;
      }
    if (!ok) {
#ifdef _OPENMP
#pragma omp atomic write
#endif
      status = TK_ENUMERIC;
    }
  }
  *changed += chg;
  if (status != TK_OK)
    return TK_FAIL(err, TK_ENUMERIC, "the cell model could not realise a "
                   "conditional");
  return TK_OK;
}

int tsu_dtmc_generate(const tsu_dtmc *m, const tsu_dtm_gen_opts *o,
                      const tsu_dtmc_cells *cells, uint8_t *out,
                      uint8_t *chain, double *flips, double *flip_activity,
                      tk_err *err)
{
  const tsu_dtm *b = m->b;
  if (o->n < 1)
    return TK_FAIL(err, TK_ERANGE, "samples=%u: need >= 1", o->n);
  if (o->label >= (int)TSU_DTM_N_CLASS)
    return TK_FAIL(err, TK_ERANGE, "label %d outside 0..9", o->label);
  for (uint32_t i = 0; o->labels != NULL && i < o->n; i++)
    if (o->labels[i] < 0 || o->labels[i] >= (int)TSU_DTM_N_CLASS)
      return TK_FAIL(err, TK_ERANGE, "labels[%u] = %d outside 0..9", i,
                     o->labels[i]);
  if (o->cells != NULL)
    return TK_FAIL(err, TK_EINVAL, "categorical DTM: pbit cells given");
  int clamp_labels = o->label >= 0 || o->labels != NULL;
  uint32_t nc = o->n, S = o->sweeps ? o->sweeps : b->p.sweeps;
  size_t xs = (size_t)nc * b->n_vis;
  uint8_t *x = malloc(xs), *st = NULL;
  tsu_graph *g = NULL;
  double *h = NULL;
  tsu_coloring *col = NULL;
  int rc = TK_OK;
  double n_upd = 0, n_changed = 0;
  if (x == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "generation buffers");
    goto done;
  }
  rc = tsu__dtmc_coloring(m, clamp_labels ? TSU__CLAMP_LABEL
                                          : TSU__CLAMP_NONE, &col, err);
  if (rc != TK_OK)
    goto done;
  start_state(m, o, x, nc);
  if (chain != NULL)
    memcpy(chain, x, xs);
  if (cells != NULL) {
    st = calloc((size_t)nc * b->n_nodes, 1);
    if (st == NULL) {
      rc = TK_FAIL(err, TK_ENOMEM, "generation buffers");
      goto done;
    }
  }
  uint32_t n_free = col->start[2];
  for (uint32_t k = b->p.T; k >= 1; k--) {
    uint64_t sk = o->seed ^ (0x9E3779B97F4A7C15ull * k);
    if ((rc = tsu_dtmc_step_model(m, k, &g, &h, err)) != TK_OK)
      goto done;
    if (cells == NULL) {
      tsu_potts pm = {g, m->K, h, 1.0};
      tsu_fastpotts *s = NULL;
      if ((rc = tsu_fastpotts_alloc(&pm, col, nc, sk, TSU_PATH_AUTO, &s,
                                    err)) != TK_OK)
        goto done;
      tsu__dtmc_put(m, s, x, nc, 1);
      tsu__dtmc_put(m, s, x, nc, 0);
      rc = tsu_fastpotts_run(s, S, o->n_threads, NULL, err);
      n_changed += (double)tsu_fastpotts_changes(s);
      tsu__dtmc_get(m, s, x, nc);
      tsu_fastpotts_free(s);
      if (rc != TK_OK)
        goto done;
    } else {
      /* Latents start at state 0 on the chip (reset), visible and inputs
       * from x. */
      memset(st, 0, (size_t)nc * b->n_nodes);
      for (uint32_t c = 0; c < nc; c++)
        for (uint32_t v = 0; v < b->n_vis; v++) {
          uint8_t lv = x[(size_t)c * b->n_vis + v];
          st[(size_t)c * b->n_nodes + b->vis_node[v]] = lv;
          st[(size_t)c * b->n_nodes + b->n_grid + v] = lv;
        }
      if ((rc = scalar_step(m, g, h, col, cells, st, nc, S, sk, o->n_threads,
                            &n_changed, err)) != TK_OK)
        goto done;
      for (uint32_t c = 0; c < nc; c++)
        for (uint32_t v = 0; v < b->n_vis; v++)
          x[(size_t)c * b->n_vis + v] =
              st[(size_t)c * b->n_nodes + b->vis_node[v]];
    }
    n_upd += (double)S * n_free * nc;
    if (chain != NULL)
      memcpy(chain + (size_t)(b->p.T - k + 1) * xs, x, xs);
  }
  memcpy(out, x, xs);
  if (flips != NULL)
    *flips = n_upd;
  if (flip_activity != NULL)
    *flip_activity = n_upd > 0 ? n_changed / n_upd : 0;
done:
  free(x);
  free(st);
  free(h);
  tsu_graph_free(g);
  tsu_coloring_free(col);
  return rc;
}
