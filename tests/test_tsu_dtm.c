/* test_tsu_dtm.c -- the DTM: forward process, layout, conditional
 * sampling against its exact law, the autocorrelation measure at its two
 * limits, training on a known target, thread independence, NaN guard. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tk_test.h"
#include "tsu/tsu_dtm_impl.h"
#include "tsu/tsu_fast.h"

static tsu_dtm_params small_params(void)
{
  tsu_dtm_params p = tsu_dtm_default_params();
  p.L = 44;
  p.n_jumps = 3;
  p.T = 2;
  p.sweeps = 20;
  p.sweeps_pos = 10;
  p.record = 4;
  p.batch = 64;
  p.seed = 2385;
  return p;
}

static double sigmoid(double z)
{
  return 1 / (1 + exp(-z));
}

/* Forward coupling and flip probability are the same process. */
static void test_forward(void)
{
  tsu_dtm_params p = small_params();
  p.T = 4;
  tsu_dtm *m = NULL;
  tk_err err;
  TKT_OK(tsu_dtm_alloc(&p, &m, &err) == TK_OK, "alloc: %s", err.msg);
  double worst = 0;
  for (uint32_t k = 1; k <= p.T; k++)
    for (int lab = 0; lab <= 1; lab++) {
      double dt = m->t[k] - m->t[k - 1];
      double keep = 1 - tsu_dtm_qflip(m, dt, lab);
      double from_j = sigmoid(2 * tsu_dtm_jfwd(m, k, lab));
      worst = fmax(worst, fabs(keep - from_j));
    }
  TKT_OK(worst < 1e-12, "sigmoid(2 J_fwd) = 1 - q(dt): worst %.2e", worst);
  TKT_REL(m->t[p.T], p.t_max, 1e-15, "last forward time is t_max");
  TKT_REL(m->t[2] / m->t[1], 2.0, 1e-12, "log grid doubles");
  /* Flip frequency of the noise generator vs q: binomial, 4.5 sigma. */
  uint32_t rows = 200;
  uint8_t *a = calloc((size_t)rows * m->n_vis, 1), *b = malloc((size_t)rows * m->n_vis);
  double dt = 0.7;
  tsu__dtm_noise(m, a, b, rows, dt, 11, 7, 0);
  double n_img = 0, n_lab = 0;
  for (uint32_t r = 0; r < rows; r++)
    for (uint32_t v = 0; v < m->n_vis; v++)
      *(v < TSU_DTM_N_PIX ? &n_img : &n_lab) += b[(size_t)r * m->n_vis + v];
  double qi = tsu_dtm_qflip(m, dt, 0), ql = tsu_dtm_qflip(m, dt, 1);
  double Ni = rows * 784.0, Nl = rows * (m->n_vis - 784.0);
  TKT_SIGMA(n_img / Ni, qi, sqrt(qi * (1 - qi) / Ni), 4.5, "pixel flips");
  TKT_SIGMA(n_lab / Nl, ql, sqrt(ql * (1 - ql) / Nl), 4.5, "label flips");
  free(a);
  free(b);
  tsu_dtm_free(m);
}

/* Layout and colourings: visible on colour 0, proper colourings, the
 * clamped nodes outside the two colours that run. */
static void test_layout(void)
{
  tsu_dtm_params p = small_params();
  tsu_dtm *m = NULL;
  tk_err err;
  TKT_OK(tsu_dtm_alloc(&p, &m, &err) == TK_OK, "alloc: %s", err.msg);
  TKT_OK(m->n_vis == 884 && m->n_nodes == 44 * 44 + 884, "884 visible");
  int ok = 1;
  uint8_t *seen = calloc(m->n_grid, 1);
  for (uint32_t v = 0; v < m->n_vis; v++) {
    uint32_t i = m->vis_node[v];
    ok &= i < m->n_grid && (i / p.L + i % p.L) % 2 == 0 && !seen[i];
    seen[i] = 1;
  }
  TKT_OK(ok, "visible sites distinct and on colour 0");
  free(seen);
  tsu_graph *g = NULL;
  TKT_OK(tsu_dtm_step_graph(m, 1, &g, &err) == TK_OK, "step graph: %s",
         err.msg);
  int clamps[3] = {TSU__CLAMP_NONE, TSU__CLAMP_VIS, TSU__CLAMP_LABEL};
  for (int c = 0; c < 3; c++) {
    tsu_coloring *col = NULL;
    TKT_OK(tsu__dtm_coloring(m, clamps[c], &col, &err) == TK_OK &&
               tsu_coloring_check(g, col, &err) == TK_OK,
           "colouring %d proper", c);
    uint32_t free_vis = 0, inputs_run = 0;
    for (uint32_t p0 = 0; p0 < col->start[2]; p0++) {
      uint32_t i = col->order[p0];
      inputs_run += i >= m->n_grid;
      for (uint32_t v = 0; v < m->n_vis; v++)
        free_vis += m->vis_node[v] == i;
    }
    TKT_OK(inputs_run == 0, "clamp %d: no input node in the colours that "
           "run (%u)", c, inputs_run);
    uint32_t want = clamps[c] == TSU__CLAMP_NONE ? 884
                    : clamps[c] == TSU__CLAMP_VIS ? 0 : 784;
    TKT_OK(free_vis == want, "clamp %d: %u free visible (want %u)", c,
           free_vis, want);
    tsu_coloring_free(col);
  }
  tsu_graph_free(g);
  tsu_dtm_free(m);
}

/* No grid couplings: each visible spin of x^0 is independent with
 * P(s = +1 | s^1) = sigmoid(2 (h + J_fwd s^1)); compare the generated
 * frequencies with that law (binomial, 4.5 sigma). */
static void test_conditional_law(void)
{
  tsu_dtm_params p = small_params();
  p.T = 1;
  p.t_max = 0.8;        /* strong forward coupling, both signs matter */
  tsu_dtm *m = NULL;
  tk_err err;
  TKT_OK(tsu_dtm_alloc(&p, &m, &err) == TK_OK, "alloc: %s", err.msg);
  memset(m->J, 0, m->n_edges * sizeof *m->J);
  for (uint32_t v = 0; v < m->n_vis; v++)
    m->h[m->vis_node[v]] = 0.37;
  for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++)
    m->pix_mean[v] = 0.3;
  tsu_dtm_gen_opts o = {.n = 256, .label = -1, .sweeps = 3, .seed = 5,
                        .n_threads = 1};
  uint8_t *out = malloc((size_t)o.n * m->n_vis);
  uint8_t *chain = malloc((size_t)2 * o.n * m->n_vis);
  TKT_OK(tsu_dtm_generate(m, &o, out, chain, NULL, NULL, &err) == TK_OK,
         "generate: %s", err.msg);
  /* Pixels only: pool by the input's value. */
  double jf = tsu_dtm_jfwd(m, 1, 0);
  double cnt[2] = {0, 0}, up[2] = {0, 0};
  for (uint32_t c = 0; c < o.n; c++)
    for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++) {
      int in = chain[(size_t)c * m->n_vis + v];
      cnt[in] += 1;
      up[in] += out[(size_t)c * m->n_vis + v];
    }
  for (int in = 0; in <= 1; in++) {
    double pe = sigmoid(2 * (0.37 + jf * (2 * in - 1)));
    TKT_SIGMA(up[in] / cnt[in], pe, sqrt(pe * (1 - pe) / cnt[in]), 4.5,
              in ? "P(x0 = 1 | x1 = 1) vs sigmoid(2(h + J))"
                 : "P(x0 = 1 | x1 = 0) vs sigmoid(2(h - J))");
  }
  free(out);
  free(chain);
  tsu_dtm_free(m);
}

/* Autocorrelation measure: ~0 for independent spins, ~1 for a chain
 * frozen in ferromagnetic order. */
static void test_autocorr_limits(void)
{
  tsu_dtm_params p = small_params();
  p.T = 1;
  tsu_dtm *m = NULL;
  tk_err err;
  TKT_OK(tsu_dtm_alloc(&p, &m, &err) == TK_OK, "alloc: %s", err.msg);
  uint8_t *img = calloc(64 * TSU_DTM_N_PIX, 1), lab[64] = {0};
  for (size_t i = 0; i < 64 * TSU_DTM_N_PIX; i++)
    img[i] = (i * 2654435761u >> 7) & 1;
  tsu_dtm_data d = {.n = 64, .img = img, .label = lab};
  memset(m->J, 0, m->n_edges * sizeof *m->J);
  double r0 = tsu_dtm_autocorr(m, 1, &d, 10, 3, NULL);
  /* 8 projections x 64 chains x ~20 lagged pairs of independent draws:
   * the estimate's sd is ~0.01; 0.06 is > 5 sigma. */
  TKT_IN(r0, -0.06, 0.06, "independent spins: autocorr ~ 0");
  for (uint32_t e = 0; e < m->n_edges; e++)
    m->J[e] = 1.5;
  double r1 = tsu_dtm_autocorr(m, 1, &d, 10, 3, NULL);
  /* Not exactly 1: spins on frozen-in domain walls still flip. */
  TKT_OK(r1 > 0.8, "frozen ferromagnet: autocorr %.3f ~ 1", r1);
  free(img);
  tsu_dtm_free(m);
}

/* Training on one repeated image (T = 1): the model must learn to
 * produce it.  Also: 1 and 2 threads give the same weights (T = 2), and
 * a NaN weight stops training with TK_ENUMERIC. */
static void test_training(void)
{
  tsu_dtm_params p = small_params();
  p.T = 1;
  p.epochs = 1;
  p.lr = 0.05;
  p.acp = 0;
  size_t n = 64 * 24;
  uint8_t *img = malloc(n * TSU_DTM_N_PIX), *lab = malloc(n);
  for (size_t i = 0; i < n; i++) {
    lab[i] = 3;
    for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++) {
      uint32_t r = v / 28, c = v % 28;
      img[i * TSU_DTM_N_PIX + v] = (r > 5 && r < 22 && c > 8 && c < 20);
    }
  }
  tsu_dtm_data d = {.n = n, .img = img, .label = lab};
  tsu_dtm *m = NULL;
  tk_err err;
  TKT_OK(tsu_dtm_alloc(&p, &m, &err) == TK_OK, "alloc: %s", err.msg);
  tsu_dtm_epoch_stats st;
  tsu_dtm_stats_alloc(m, &st);
  TKT_OK(tsu_dtm_train_epoch(m, &d, 1, NULL, NULL, &st, &err) == TK_OK,
         "train: %s", err.msg);
  TKT_OK(st.n_hist == 1 && isfinite(st.autocorr[0]), "autocorr measured "
         "once per epoch (%.3f)", st.autocorr[0]);
  tsu_dtm_gen_opts o = {.n = 64, .label = -1, .seed = 9, .n_threads = 1};
  uint8_t *out = malloc((size_t)o.n * m->n_vis);
  TKT_OK(tsu_dtm_generate(m, &o, out, NULL, NULL, NULL, &err) == TK_OK,
         "generate: %s", err.msg);
  double agree = 0, agree_lab = 0;
  uint8_t want[884];
  tsu_dtm_visible(m, img, 3, want);
  for (uint32_t c = 0; c < o.n; c++)
    for (uint32_t v = 0; v < m->n_vis; v++)
      *(v < TSU_DTM_N_PIX ? &agree : &agree_lab) +=
          out[(size_t)c * m->n_vis + v] == want[v];
  agree /= (double)o.n * TSU_DTM_N_PIX;
  agree_lab /= (double)o.n * (m->n_vis - TSU_DTM_N_PIX);
  /* Untrained: 0.5 (noise start, tiny couplings); learnt: near 1. */
  TKT_OK(agree > 0.95, "generated pixels match the one training image: "
         "%.3f", agree);
  TKT_OK(agree_lab > 0.95, "and its label: %.3f", agree_lab);
  tsu_dtm_stats_free(&st);
  tsu_dtm_free(m);

  p.T = 2;
  p.acp = 1;
  p.acp_every = 8;
  tsu_dtm *m1 = NULL, *m2 = NULL;
  tsu_dtm_epoch_stats s1, s2;
  TKT_OK(tsu_dtm_alloc(&p, &m1, &err) == TK_OK &&
             tsu_dtm_alloc(&p, &m2, &err) == TK_OK, "alloc");
  tsu_dtm_stats_alloc(m1, &s1);
  tsu_dtm_stats_alloc(m2, &s2);
  d.n = 64 * 8;
  TKT_OK(tsu_dtm_train_epoch(m1, &d, 1, NULL, NULL, &s1, &err) == TK_OK &&
             tsu_dtm_train_epoch(m2, &d, 2, NULL, NULL, &s2, &err) == TK_OK,
         "train 1 and 2 threads");
  TKT_OK(memcmp(m1->J, m2->J, 2 * m1->n_edges * sizeof *m1->J) == 0 &&
             memcmp(m1->h, m2->h, 2 * m1->n_grid * sizeof *m1->h) == 0 &&
             memcmp(m1->acp_lambda, m2->acp_lambda, 2 * sizeof(double)) == 0,
         "1 and 2 threads: identical weights and penalties");
  m1->J[17] = NAN;
  double h_before = m1->h[5];
  int rc = tsu_dtm_train_epoch(m1, &d, 1, NULL, NULL, &s1, &err);
  TKT_OK(rc == TK_ENUMERIC, "NaN weight -> TK_ENUMERIC (%d: %s)", rc,
         err.msg);
  TKT_OK(m1->h[5] == h_before && m1->epochs_done == 1,
         "weights restored, epoch not counted");
  tsu_dtm_stats_free(&s1);
  tsu_dtm_stats_free(&s2);
  tsu_dtm_free(m1);
  tsu_dtm_free(m2);
  free(img);
  free(lab);
  free(out);
}

/* Two "ranks" as threads with a barrier all-reduce: the data-parallel
 * split must give the single-process model bit for bit. */
typedef struct fake_comm {
  pthread_barrier_t bar;
  void *slot[2];         /* each rank's buffer during a reduction */
} fake_comm;

typedef struct rank_arg {
  fake_comm *fc;
  int rank;
  tsu_dtm *m;
  const tsu_dtm_data *d;
  int rc;
} rank_arg;

static __thread int my_rank;

static int fake_sum(void *buf, size_t n, int is_f64, void *ctx)
{
  fake_comm *fc = ctx;
  fc->slot[my_rank] = buf;
  pthread_barrier_wait(&fc->bar);
  /* both compute the sum in rank order into a private copy */
  size_t sz = is_f64 ? sizeof(double) : sizeof(int64_t);
  void *tmp = malloc(n * sz);
  for (size_t i = 0; i < n; i++) {
    if (is_f64)
      ((double *)tmp)[i] = ((double *)fc->slot[0])[i] + ((double *)fc->slot[1])[i];
    else
      ((int64_t *)tmp)[i] = ((int64_t *)fc->slot[0])[i] + ((int64_t *)fc->slot[1])[i];
  }
  pthread_barrier_wait(&fc->bar);
  memcpy(buf, tmp, n * sz);
  free(tmp);
  return 0;
}

static int fake_i64(int64_t *b, size_t n, void *ctx)
{
  return fake_sum(b, n, 0, ctx);
}

static int fake_f64(double *b, size_t n, void *ctx)
{
  return fake_sum(b, n, 1, ctx);
}

static void *rank_main(void *p)
{
  rank_arg *a = p;
  my_rank = a->rank;
  tsu_dtm_comm c = {a->rank, 2, fake_i64, fake_f64, a->fc};
  tsu_dtm_epoch_stats st;
  tsu_dtm_stats_alloc(a->m, &st);
  tk_err err;
  a->rc = tsu_dtm_train_epoch_comm(a->m, a->d, 1, &c, NULL, NULL, &st, &err);
  tsu_dtm_stats_free(&st);
  return NULL;
}

static void test_data_parallel(void)
{
  tsu_dtm_params p = small_params();
  p.batch = 128;
  p.acp_every = 2;
  size_t n = 128 * 4;
  uint8_t *img = malloc(n * TSU_DTM_N_PIX), *lab = malloc(n);
  for (size_t i = 0; i < n; i++) {
    lab[i] = (uint8_t)(i % 10);
    for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++)
      img[i * TSU_DTM_N_PIX + v] = ((i * 7 + v * 13) % 11) < 4;
  }
  tsu_dtm_data d = {.n = n, .img = img, .label = lab};
  tk_err err;
  tsu_dtm *one = NULL, *r0 = NULL, *r1 = NULL;
  TKT_OK(tsu_dtm_alloc(&p, &one, &err) == TK_OK &&
             tsu_dtm_alloc(&p, &r0, &err) == TK_OK &&
             tsu_dtm_alloc(&p, &r1, &err) == TK_OK, "alloc");
  tsu_dtm_epoch_stats st;
  tsu_dtm_stats_alloc(one, &st);
  TKT_OK(tsu_dtm_train_epoch(one, &d, 2, NULL, NULL, &st, &err) == TK_OK,
         "one process: %s", err.msg);
  tsu_dtm_stats_free(&st);
  fake_comm fc;
  pthread_barrier_init(&fc.bar, NULL, 2);
  rank_arg a0 = {&fc, 0, r0, &d, -1}, a1 = {&fc, 1, r1, &d, -1};
  pthread_t t0, t1;
  pthread_create(&t0, NULL, rank_main, &a0);
  pthread_create(&t1, NULL, rank_main, &a1);
  pthread_join(t0, NULL);
  pthread_join(t1, NULL);
  pthread_barrier_destroy(&fc.bar);
  TKT_OK(a0.rc == TK_OK && a1.rc == TK_OK, "two ranks train (%d, %d)",
         a0.rc, a1.rc);
  size_t nJ = (size_t)p.T * one->n_edges, nh = (size_t)p.T * one->n_grid;
  TKT_OK(memcmp(one->J, r0->J, nJ * sizeof(double)) == 0 &&
             memcmp(one->h, r0->h, nh * sizeof(double)) == 0 &&
             memcmp(one->acp_lambda, r0->acp_lambda, p.T * sizeof(double)) == 0,
         "rank 0 of 2 == one process, bit for bit");
  TKT_OK(memcmp(r0->J, r1->J, nJ * sizeof(double)) == 0 &&
             memcmp(r0->mJ, r1->mJ, nJ * sizeof(double)) == 0,
         "both ranks hold the same model");
  int moved = 0;
  for (size_t i = 0; i < nJ && !moved; i++)
    moved = fabs(one->J[i]) > p.init_scale;
  TKT_OK(moved, "training moved the couplings beyond their start");
  tsu_dtm_free(one);
  tsu_dtm_free(r0);
  tsu_dtm_free(r1);
  free(img);
  free(lab);
}

int main(void)
{
  test_forward();
  test_layout();
  test_conditional_law();
  test_autocorr_limits();
  test_training();
  test_data_parallel();
  return tkt_done();
}
