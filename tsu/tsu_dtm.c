/* tsu_dtm.c -- the DTM's model, visible layout, forward process, step
 * graphs and generation (tsu_dtm.h).
 *
 * Workload: a 70 x 70 G12 model has 4900 + 884 nodes and ~29k links per
 * step; generation runs T samplers of n/64 chain words one after the
 * other (each step needs the previous step's output), so the time is
 * T x sweeps x nodes x n / (flips per ns).
 */
#include "tsu/tsu_dtm_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "tsu/tsu_fast.h"

tsu_dtm_params tsu_dtm_default_params(void)
{
  tsu_dtm_params p = {
    .L = 70, .n_jumps = 3, .T = 4, .label_copies = 10,
    .rate_image = 0.9, .rate_label = 0.2, .t_max = 5.0,
    .sweeps = 250, .sweeps_pos = 50, .record = 16, .batch = 64, .epochs = 1,
    .persistent = 1,
    .lr = 0.02, .lr_final_frac = 0.1,
    .adam_b1 = 0.9, .adam_b2 = 0.999, .adam_eps = 1e-8,
    .weight_decay = 1e-4, .init_scale = 0.01,
    .acp = 1, .acp_target = 0.1, .acp_init = 1e-3, .acp_max = 1.0,
    .acp_every = 0, .seed = 1,
  };
  return p;
}

int tsu_dtm_params_check(const tsu_dtm_params *p, tk_err *err)
{
  if (p->n_jumps < 1 || p->n_jumps > TSU_MAX_JUMPS)
    return TK_FAIL(err, TK_ERANGE, "jump set G%lld: use G4..G24",
                   4LL * p->n_jumps); /* n_jumps may come from a damaged file */
  if (p->T < 1 || p->T > 64)
    return TK_FAIL(err, TK_ERANGE, "steps=%u outside 1..64", p->T);
  if (p->label_copies > 100)
    return TK_FAIL(err, TK_ERANGE, "label copies %u > 100", p->label_copies);
  uint32_t n_vis = TSU_DTM_N_PIX + TSU_DTM_N_CLASS * p->label_copies;
  if (p->L < 8 || p->L > 1024 || (uint64_t)p->L * p->L / 2 < n_vis)
    return TK_FAIL(err, TK_ERANGE, "L=%u: a %u x %u grid has %u sites of "
                   "one colour, fewer than the %u visible spins (use L >= "
                   "43 with 10 label copies)", p->L, p->L, p->L,
                   p->L * p->L / 2, n_vis);
  if (!(p->rate_image > 0) || !(p->rate_label > 0) || !(p->t_max > 0) ||
      !isfinite(p->rate_image) || !isfinite(p->rate_label) ||
      !isfinite(p->t_max))
    return TK_FAIL(err, TK_ERANGE, "forward rates and t_max must be finite "
                   "and > 0");
  if (p->sweeps < 1 || p->sweeps_pos < 1 || p->record < 1 ||
      p->record > p->sweeps || p->record > p->sweeps_pos)
    return TK_FAIL(err, TK_ERANGE, "sweeps=%u, positive sweeps=%u, record=%u:"
                   " need 1 <= record <= both", p->sweeps, p->sweeps_pos,
                   p->record);
  if (p->batch < 64 || p->batch % 64 != 0 || p->batch > 65536)
    return TK_FAIL(err, TK_ERANGE, "batch=%u: a multiple of 64 up to 65536",
                   p->batch);
  if (p->epochs < 1)
    return TK_FAIL(err, TK_ERANGE, "epochs must be >= 1");
  if (!(p->lr > 0) || !isfinite(p->lr) || !(p->lr_final_frac > 0) ||
      p->lr_final_frac > 1 || !(p->adam_b1 >= 0 && p->adam_b1 < 1) ||
      !(p->adam_b2 >= 0 && p->adam_b2 < 1) || !(p->adam_eps > 0) ||
      !(p->weight_decay >= 0) || !isfinite(p->weight_decay) ||
      !(p->init_scale >= 0) || !isfinite(p->init_scale))
    return TK_FAIL(err, TK_ERANGE, "optimiser settings out of range (lr > 0,"
                   " 0 < lr_final_frac <= 1, 0 <= b1,b2 < 1, eps > 0, decay"
                   " >= 0)");
  if (!(p->acp_target > 0 && p->acp_target < 1) || !(p->acp_init > 0) ||
      !(p->acp_max >= p->acp_init) || !isfinite(p->acp_max))
    return TK_FAIL(err, TK_ERANGE, "ACP: need 0 < target < 1 and 0 < init "
                   "<= max");
  return TK_OK;
}

void tsu_dtm_free(tsu_dtm *m)
{
  if (m == NULL)
    return;
  free(m->vis_node);
  free(m->ei);
  free(m->ej);
  free(m->edge_len);
  free(m->t);
  free(m->J);
  free(m->h);
  free(m->acp_lambda);
  free(m->pix_mean);
  free(m->mJ);
  free(m->vJ);
  free(m->mh);
  free(m->vh);
  free(m->adam_t);
  free(m);
}

int tsu_dtm_alloc(const tsu_dtm_params *p, tsu_dtm **out, tk_err *err)
{
  *out = NULL;
  TK_TRY(tsu_dtm_params_check(p, err));
  tsu_graph *g = NULL;
  TK_TRY(tsu_graph_grid(p->L, p->n_jumps, 0, &g, err));
  tsu_dtm *m = calloc(1, sizeof *m);
  if (m == NULL) {
    tsu_graph_free(g);
    return TK_FAIL(err, TK_ENOMEM, "DTM model");
  }
  m->p = *p;
  m->n_grid = p->L * p->L;
  m->n_vis = TSU_DTM_N_PIX + TSU_DTM_N_CLASS * p->label_copies;
  m->n_nodes = m->n_grid + m->n_vis;
  m->n_edges = g->n_edges;
  size_t T = p->T, E = m->n_edges, N = m->n_grid;
  m->vis_node = malloc(m->n_vis * sizeof *m->vis_node);
  m->ei = malloc(E * sizeof *m->ei);
  m->ej = malloc(E * sizeof *m->ej);
  m->edge_len = malloc(E * sizeof *m->edge_len);
  m->t = malloc((T + 1) * sizeof *m->t);
  m->J = calloc(T * E, sizeof *m->J);
  m->h = calloc(T * N, sizeof *m->h);
  m->acp_lambda = calloc(T, sizeof *m->acp_lambda);
  m->pix_mean = malloc(TSU_DTM_N_PIX * sizeof *m->pix_mean);
  m->mJ = calloc(T * E, sizeof *m->mJ);
  m->vJ = calloc(T * E, sizeof *m->vJ);
  m->mh = calloc(T * N, sizeof *m->mh);
  m->vh = calloc(T * N, sizeof *m->vh);
  m->adam_t = calloc(T, sizeof *m->adam_t);
  if (!m->vis_node || !m->ei || !m->ej || !m->edge_len || !m->t || !m->J ||
      !m->h || !m->acp_lambda || !m->pix_mean || !m->mJ || !m->vJ ||
      !m->mh || !m->vh || !m->adam_t) {
    tsu_graph_free(g);
    tsu_dtm_free(m);
    return TK_FAIL(err, TK_ENOMEM, "DTM model of %u x %u", p->L, p->L);
  }
  memcpy(m->ei, g->ei, E * sizeof *m->ei);
  memcpy(m->ej, g->ej, E * sizeof *m->ej);
  memcpy(m->edge_len, g->edge_len, E * sizeof *m->edge_len);
  tsu_graph_free(g);
  /* Log-spaced times: t_k = t_max 2^(k - T). */
  m->t[0] = 0;
  for (uint32_t k = 1; k <= p->T; k++)
    m->t[k] = p->t_max * ldexp(1.0, (int)k - (int)p->T);
  /* Visible sites: a random subset of colour-0 sites, Fisher-Yates. */
  uint32_t n0 = 0;
  uint32_t *sites = malloc(N * sizeof *sites);
  if (sites == NULL) {
    tsu_dtm_free(m);
    return TK_FAIL(err, TK_ENOMEM, "layout");
  }
  for (uint32_t i = 0; i < N; i++)
    if ((i / p->L + i % p->L) % 2 == 0)
      sites[n0++] = i;
  tk_rng r;
  tk_rng_init(&r, p->seed, TSU__DTM_S_LAYOUT);
  for (uint32_t i = 0; i < m->n_vis; i++) {
    uint32_t j = i + tk_rng_below(&r, n0 - i);
    uint32_t tmp = sites[i];
    sites[i] = sites[j];
    sites[j] = tmp;
    m->vis_node[i] = sites[i];
  }
  free(sites);
  tk_rng_init(&r, p->seed, TSU__DTM_S_INIT);
  for (size_t i = 0; i < T * E; i++)
    m->J[i] = p->init_scale * (2 * tk_rng_uniform(&r) - 1);
  for (size_t i = 0; i < TSU_DTM_N_PIX; i++)
    m->pix_mean[i] = 0.5;
  for (size_t k = 0; k < T; k++)
    m->acp_lambda[k] = p->acp ? p->acp_init : 0.0;
  *out = m;
  return TK_OK;
}

double tsu_dtm_qflip(const tsu_dtm *m, double t, int is_label)
{
  double rate = is_label ? m->p.rate_label : m->p.rate_image;
  return 0.5 * -expm1(-rate * t);
}

double tsu_dtm_jfwd(const tsu_dtm *m, uint32_t k, int is_label)
{
  double rate = is_label ? m->p.rate_label : m->p.rate_image;
  double dt = m->t[k] - m->t[k - 1];
  return -0.5 * log(tanh(0.5 * rate * dt));
}

void tsu_dtm_binarise(uint8_t *pixels, size_t n)
{
  for (size_t i = 0; i < n; i++)
    pixels[i] = pixels[i] > 25.5;
}

void tsu_dtm_visible(const tsu_dtm *m, const uint8_t *img, unsigned label,
                     uint8_t *x)
{
  memcpy(x, img, TSU_DTM_N_PIX);
  for (uint32_t r = 0; r < m->p.label_copies; r++)
    for (uint32_t c = 0; c < TSU_DTM_N_CLASS; c++)
      x[TSU_DTM_N_PIX + TSU_DTM_N_CLASS * r + c] = c == label;
}

int tsu_dtm_step_graph(const tsu_dtm *m, uint32_t k, tsu_graph **out,
                       tk_err *err)
{
  if (k < 1 || k > m->p.T)
    return TK_FAIL(err, TK_ERANGE, "step %u outside 1..%u", k, m->p.T);
  const double *J = m->J + (size_t)(k - 1) * m->n_edges;
  const double *h = m->h + (size_t)(k - 1) * m->n_grid;
  double jimg = tsu_dtm_jfwd(m, k, 0), jlab = tsu_dtm_jfwd(m, k, 1);
  tsu_graph *g = *out;
  if (g == NULL) {
    uint32_t E = m->n_edges + m->n_vis;
    uint32_t *ei = malloc(E * sizeof *ei), *ej = malloc(E * sizeof *ej);
    double *w = malloc(E * sizeof *w);
    if (ei == NULL || ej == NULL || w == NULL) {
      free(ei);
      free(ej);
      free(w);
      return TK_FAIL(err, TK_ENOMEM, "step graph");
    }
    memcpy(ei, m->ei, m->n_edges * sizeof *ei);
    memcpy(ej, m->ej, m->n_edges * sizeof *ej);
    for (uint32_t i = 0; i < m->n_vis; i++) {
      ei[m->n_edges + i] = m->vis_node[i];
      ej[m->n_edges + i] = m->n_grid + i;
    }
    for (uint32_t e = 0; e < E; e++)
      w[e] = 0;
    int rc = tsu_graph_from_edges(m->n_nodes, E, ei, ej, w, NULL, &g, err);
    free(ei);
    free(ej);
    free(w);
    if (rc != TK_OK)
      return rc;
    *out = g;
  }
  for (uint32_t e = 0; e < m->n_edges; e++)
    g->w[e] = J[e];
  for (uint32_t i = 0; i < m->n_vis; i++)
    g->w[m->n_edges + i] = i < TSU_DTM_N_PIX ? jimg : jlab;
  for (uint32_t i = 0; i < m->n_grid; i++)
    g->h[i] = h[i];
  for (uint32_t i = m->n_grid; i < m->n_nodes; i++)
    g->h[i] = 0;
  for (uint32_t q = 0; q < g->off[g->n]; q++)
    g->adj_w[q] = g->w[g->adj_edge[q]];
  return TK_OK;
}

int tsu__dtm_coloring(const tsu_dtm *m, int clamp, tsu_coloring **out,
                      tk_err *err)
{
  *out = NULL;
  uint32_t n = m->n_nodes;
  tsu_coloring *c = calloc(1, sizeof *c);
  uint8_t *is_clamped = calloc(n, 1);
  if (c != NULL) {
    c->color = malloc(n);
    c->order = malloc(n * sizeof *c->order);
    c->start = malloc(5 * sizeof *c->start);
  }
  if (c == NULL || is_clamped == NULL || c->color == NULL ||
      c->order == NULL || c->start == NULL) {
    tsu_coloring_free(c);
    free(is_clamped);
    return TK_FAIL(err, TK_ENOMEM, "colouring");
  }
  for (uint32_t i = m->n_grid; i < n; i++)
    is_clamped[i] = 1;
  for (uint32_t v = 0; v < m->n_vis; v++)
    if (clamp == TSU__CLAMP_VIS ||
        (clamp == TSU__CLAMP_LABEL && v >= TSU_DTM_N_PIX))
      is_clamped[m->vis_node[v]] = 1;
  c->n = n;
  c->n_colors = 4;
  c->method = TSU_COLOR_CHECKERBOARD;
  for (uint32_t i = 0; i < n; i++) {
    unsigned base = i < m->n_grid ? (i / m->p.L + i % m->p.L) % 2 : 1;
    c->color[i] = (uint8_t)(base + 2 * is_clamped[i]);
  }
  free(is_clamped);
  uint32_t k = 0;
  for (uint32_t col = 0; col < 4; col++) {
    c->start[col] = k;
    for (uint32_t i = 0; i < n; i++)
      if (c->color[i] == col)
        c->order[k++] = i;
  }
  c->start[4] = k;
  *out = c;
  return TK_OK;
}

void tsu__dtm_put(const tsu_dtm *m, uint64_t *bits, uint32_t n_groups,
                  const uint8_t *x, uint32_t n_chains, int inputs)
{
  for (uint32_t v = 0; v < m->n_vis; v++) {
    uint32_t node = inputs ? m->n_grid + v : m->vis_node[v];
    uint64_t *w = bits + (size_t)node * n_groups;
    for (uint32_t g = 0; g < n_groups; g++) {
      uint64_t word = 0;
      for (uint32_t b = 0; b < 64 && 64 * g + b < n_chains; b++)
        word |= (uint64_t)(x[(size_t)(64 * g + b) * m->n_vis + v] & 1) << b;
      w[g] = word;
    }
  }
}

void tsu__dtm_get(const tsu_dtm *m, const uint64_t *bits, uint32_t n_groups,
                  uint8_t *x, uint32_t n_chains)
{
  for (uint32_t v = 0; v < m->n_vis; v++) {
    const uint64_t *w = bits + (size_t)m->vis_node[v] * n_groups;
    for (uint32_t c = 0; c < n_chains; c++)
      x[(size_t)c * m->n_vis + v] = (uint8_t)((w[c / 64] >> (c % 64)) & 1);
  }
}

void tsu__dtm_noise(const tsu_dtm *m, const uint8_t *x_in, uint8_t *x_out,
                    uint32_t n_rows, double dt, uint64_t seed,
                    uint64_t stream, uint64_t ctr0)
{
  /* flip iff u32 < q 2^32 */
  double qi = 0.5 * -expm1(-m->p.rate_image * dt);
  double ql = 0.5 * -expm1(-m->p.rate_label * dt);
  uint64_t thr_i = (uint64_t)(qi * 4294967296.0);
  uint64_t thr_l = (uint64_t)(ql * 4294967296.0);
  uint64_t blocks = (m->n_vis + 3) / 4;
  for (uint32_t row = 0; row < n_rows; row++) {
    tk_rng r;
    tk_rng_init(&r, seed, stream);
    tk_rng_seek(&r, (ctr0 + row) * blocks);
    const uint8_t *a = x_in + (size_t)row * m->n_vis;
    uint8_t *b = x_out + (size_t)row * m->n_vis;
    for (uint32_t v = 0; v < m->n_vis; v++) {
      uint64_t u = tk_rng_u32(&r);
      b[v] = (uint8_t)(a[v] ^ (u < (v < TSU_DTM_N_PIX ? thr_i : thr_l)));
    }
  }
}

/* x^T for generation: the forward marginal at t_T given a class. */
static void start_state(const tsu_dtm *m, const tsu_dtm_gen_opts *o,
                        uint8_t *x, uint32_t nc)
{
  double qi = tsu_dtm_qflip(m, m->t[m->p.T], 0);
  double ql = tsu_dtm_qflip(m, m->t[m->p.T], 1);
  uint8_t img[TSU_DTM_N_PIX] = {0};
  for (uint32_t c = 0; c < nc; c++) {
    tk_rng r;
    tk_rng_init(&r, o->seed, TSU__DTM_S_START);
    tk_rng_seek(&r, (uint64_t)c * 1024);
    int fixed = o->labels ? o->labels[c < o->n ? c : o->n - 1] : o->label;
    unsigned label = fixed >= 0 ? (unsigned)fixed
                                : tk_rng_below(&r, TSU_DTM_N_CLASS);
    uint8_t *row = x + (size_t)c * m->n_vis;
    tsu_dtm_visible(m, img, label, row);
    for (uint32_t v = 0; v < m->n_vis; v++) {
      double u = tk_rng_uniform(&r);
      if (v < TSU_DTM_N_PIX) {
        double pm = m->pix_mean[v];
        row[v] = u < (1 - qi) * pm + qi * (1 - pm);
      } else if (fixed < 0) {
        row[v] ^= u < ql;
      }
    }
  }
}

int tsu_dtm_generate(const tsu_dtm *m, const tsu_dtm_gen_opts *o,
                     uint8_t *out, uint8_t *chain, double *flips,
                     double *flip_activity, tk_err *err)
{
  if (o->n < 1)
    return TK_FAIL(err, TK_ERANGE, "samples=%u: need >= 1", o->n);
  if (o->label >= (int)TSU_DTM_N_CLASS)
    return TK_FAIL(err, TK_ERANGE, "label %d outside 0..9", o->label);
  for (uint32_t i = 0; o->labels != NULL && i < o->n; i++)
    if (o->labels[i] < 0 || o->labels[i] >= (int)TSU_DTM_N_CLASS)
      return TK_FAIL(err, TK_ERANGE, "labels[%u] = %d outside 0..9", i,
                     o->labels[i]);
  int clamp_labels = o->label >= 0 || o->labels != NULL;
  if (o->cells != NULL && o->cells->n != m->n_nodes)
    return TK_FAIL(err, TK_EINVAL, "cells for %u nodes, model has %u",
                   o->cells->n, m->n_nodes);
  uint32_t nc = (o->n + 63) / 64 * 64, K = o->sweeps ? o->sweeps : m->p.sweeps;
  size_t xs = (size_t)nc * m->n_vis;
  uint8_t *x = malloc(xs), *xn = malloc(xs);
  uint64_t *prev = NULL;
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_cells *ideal = NULL;
  int rc = TK_OK;
  double n_flip = 0, n_changed = 0, n_upd = 0;
  if (x == NULL || xn == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "generation buffers");
    goto done;
  }
  tsu_cell_params cp = tsu_cell_ideal_params(1.0);
  if (o->cells == NULL &&
      (rc = tsu_cells_build(&cp, m->n_nodes, &ideal, err)) != TK_OK)
    goto done;
  const tsu_cells *cells = o->cells ? o->cells : ideal;
  rc = tsu__dtm_coloring(m, clamp_labels ? TSU__CLAMP_LABEL
                                         : TSU__CLAMP_NONE, &col, err);
  if (rc != TK_OK)
    goto done;
  start_state(m, o, x, nc);
  if (chain != NULL)
    for (uint32_t c = 0; c < o->n; c++)
      memcpy(chain + (size_t)c * m->n_vis, x + (size_t)c * m->n_vis,
             m->n_vis);
  prev = malloc((size_t)m->n_grid * (nc / 64) * sizeof *prev);
  if (prev == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "generation buffers");
    goto done;
  }
  for (uint32_t k = m->p.T; k >= 1; k--) {
    tsu_sampler *s = NULL;
    if ((rc = tsu_dtm_step_graph(m, k, &g, err)) != TK_OK ||
        (rc = tsu_sampler_alloc(g, col, cells, nc,
                                o->seed ^ (0x9E3779B97F4A7C15ull * k),
                                TSU_PATH_AUTO, &s, err)) != TK_OK)
      goto done;
    uint32_t G;
    uint64_t *bits = tsu_sampler_bits_mut(s, &G);
    tsu__dtm_put(m, bits, G, x, nc, 1);
    tsu__dtm_put(m, bits, G, x, nc, 0);
    /* The output activity (flips per update, the wire energy term) is
     * measured on the grid nodes over every 8th sweep. */
    uint32_t n_free = col->start[2];
    for (uint32_t t = 0; t < K; t += 8) {
      uint32_t run = K - t < 8 ? K - t : 8;
      if (run > 1)
        tsu_sampler_run_colors(s, run - 1, 2, o->n_threads);
      memcpy(prev, bits, (size_t)m->n_grid * G * sizeof *prev);
      tsu_sampler_run_colors(s, 1, 2, o->n_threads);
      for (size_t w = 0; w < (size_t)m->n_grid * G; w++)
        n_changed += __builtin_popcountll(prev[w] ^ bits[w]);
      n_upd += (double)n_free * nc;
    }
    n_flip += (double)K * n_free * nc;
    tsu__dtm_get(m, bits, G, xn, nc);
    tsu_sampler_free(s);
    memcpy(x, xn, xs);
    if (chain != NULL)
      for (uint32_t c = 0; c < o->n; c++)
        memcpy(chain + ((size_t)(m->p.T - k + 1) * o->n + c) * m->n_vis,
               x + (size_t)c * m->n_vis, m->n_vis);
  }
  memcpy(out, x, (size_t)o->n * m->n_vis);
  if (flips != NULL)
    *flips = n_flip;
  if (flip_activity != NULL)
    *flip_activity = n_upd > 0 ? n_changed / n_upd : 0;
done:
  free(x);
  free(xn);
  free(prev);
  tsu_graph_free(g);
  tsu_coloring_free(col);
  tsu_cells_free(ideal);
  return rc;
}
