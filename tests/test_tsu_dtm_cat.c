/* test_tsu_dtm_cat.c -- the categorical DTM (tsu/tsu_dtm_cat.h): known
 * answers (quantisation, the forward coupling), the forward process
 * against its exact conditional, generation against the exact
 * conditional of a step with zero grid couplings (fast sampler, and the
 * scalar calibrated-cell chain with an ideal cell, with and without
 * memory), and training's moment matching on synthetic images. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tk_test.h"
#include "tsu/tsu_dtm_cat.h"

static tsu_dtm_params small_params(void)
{
  tsu_dtm_params p = tsu_dtm_default_params();
  p.L = 43;
  p.n_jumps = 1;
  p.T = 1;
  p.sweeps = 6;
  p.sweeps_pos = 4;
  p.record = 2;
  p.init_scale = 0;
  p.rate_image = 0.12; /* a(t_1) = 0.55: a strong forward coupling */
  p.seed = 7;
  return p;
}

/* An ideal cell: p = q; counts its calls. */
static int ideal(void *ctx, uint32_t node, const double *q, double *p)
{
  (void)node;
  (void)ctx;
  for (int k = 0; k < 4; k++)
    p[k] = q[k];
  return 0;
}

/* Fraction of pixels of x0 equal to x1 over n samples. */
static double same_frac(const uint8_t *x0, const uint8_t *x1, uint32_t n,
                        uint32_t n_vis)
{
  double s = 0;
  for (uint32_t c = 0; c < n; c++)
    for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++)
      s += x0[(size_t)c * n_vis + v] == x1[(size_t)c * n_vis + v];
  return s / ((double)n * TSU_DTM_N_PIX);
}

int main(void)
{
  tk_err err;
  /* Quantisation: 25 is dark (the binary DTM's rule), 26..255 in thirds. */
  uint8_t px[7] = {0, 25, 26, 102, 103, 179, 255};
  const uint8_t want[7] = {0, 0, 1, 1, 2, 2, 3};
  tsu_dtmc_quantise(px, 7, 4);
  TKT_OK(memcmp(px, want, 7) == 0, "quantise 0,25,26,102,103,179,255 -> "
         "%u%u%u%u%u%u%u", px[0], px[1], px[2], px[3], px[4], px[5], px[6]);

  /* Thermometer code: plane j lit iff level > j. */
  uint8_t im[TSU_DTM_N_PIX] = {0}, th[3 * TSU_DTM_N_PIX];
  im[0] = 0;
  im[1] = 1;
  im[2] = 2;
  im[3] = 3;
  tsu_dtmc_thermometer(im, 1, 4, th);
  const size_t P = TSU_DTM_N_PIX;
  TKT_OK(th[0] == 0 && th[P] == 0 && th[2 * P] == 0 && th[1] == 1 &&
         th[P + 1] == 0 && th[2] == 1 && th[P + 2] == 1 &&
         th[2 * P + 2] == 0 && th[3] + th[P + 3] + th[2 * P + 3] == 3,
         "thermometer code of levels 0..3");
  /* Independent pixels: level frequencies of 4000 images at pixel 0 with
   * p = (0.1, 0.2, 0.3, 0.4), binomial, 5 sigma. */
  double *pp = calloc(P * 4, sizeof *pp);
  for (size_t j = 0; j < P; j++)
    for (int k = 0; k < 4; k++)
      pp[j * 4 + k] = 0.1 * (k + 1);
  uint8_t *dr = malloc(4000 * P);
  tsu_dtmc_marginal_draw(pp, 4, 4000, 3, dr);
  double f3 = 0;
  for (size_t i = 0; i < 4000; i++)
    f3 += dr[i * P] == 3;
  TKT_SIGMA(f3 / 4000, 0.4, sqrt(0.24 / 4000), 5,
            "marginal draw: P(level 3) = 0.4");
  free(pp);
  free(dr);

  tsu_dtm_params p = small_params();
  tsu_dtmc *m = NULL;
  TKT_OK(tsu_dtmc_alloc(&p, 4, &m, &err) == TK_OK, "alloc L=43 T=1 cat4");
  if (m == NULL)
    return tkt_done();
  /* J_fwd = ln(1 + K a / (1 - a)), a = exp(-rate t_1). */
  double a = exp(-p.rate_image * m->b->t[1]);
  TKT_REL(tsu_dtmc_jfwd(m, 1, 0), log(1 + 4 * a / (1 - a)), 1e-12,
          "forward coupling of pixels");
  double al = exp(-p.rate_label * m->b->t[1]);
  TKT_REL(tsu_dtmc_jfwd(m, 1, 1), log(1 + 2 * al / (1 - al)), 1e-12,
          "forward coupling of labels (2 states)");

  /* Forward noise: P(x^t = c | x^(t-1) = c) = a + (1 - a)/K, and every
   * other state (1 - a)/K.  Binomial over 4000 rows x 784 pixels: 5
   * sigma. */
  uint32_t V = m->b->n_vis, R = 4000;
  uint8_t *xa = malloc((size_t)R * V), *xb = malloc((size_t)R * V);
  for (size_t i = 0; i < (size_t)R * V; i++)
    xa[i] = (uint8_t)((i % V) < TSU_DTM_N_PIX ? (i * 7) % 4 : 3 * (i % 2));
  double dt = 0.83;
  tsu_dtmc_noise(m, xa, xb, R, dt, 11, 5, 0);
  double keep = exp(-p.rate_image * dt), n_same = 0, n_up = 0, N = 0;
  for (uint32_t r = 0; r < R; r++)
    for (uint32_t v = 0; v < TSU_DTM_N_PIX; v++) {
      uint8_t s0 = xa[(size_t)r * V + v], s1 = xb[(size_t)r * V + v];
      n_same += s0 == s1;
      n_up += s1 == (s0 + 1) % 4;
      N += 1;
    }
  double ps = keep + (1 - keep) / 4, po = (1 - keep) / 4;
  TKT_SIGMA(n_same / N, ps, sqrt(ps * (1 - ps) / N), 5,
            "forward kernel: P(same)");
  TKT_SIGMA(n_up / N, po, sqrt(po * (1 - po) / N), 5,
            "forward kernel: P(one given other state)");
  int lab_ok = 1;
  for (uint32_t r = 0; r < R; r++)
    for (uint32_t v = TSU_DTM_N_PIX; v < V; v++)
      lab_ok &= xb[(size_t)r * V + v] == 0 || xb[(size_t)r * V + v] == 3;
  TKT_OK(lab_ok, "label nodes stay in states 0/3 under the noise");
  free(xa);
  free(xb);

  /* Generation with zero couplings and biases: pixel v of x^0 given x^1
   * is drawn from exp(J_fwd [s = x^1_v]): P(same) = a + (1 - a)/K, with
   * a = a(t_1).  128 samples x 784 pixels, 5 sigma (pixels independent). */
  uint32_t n = 128;
  uint8_t *out = malloc((size_t)n * V), *ch = malloc(2 * (size_t)n * V);
  tsu_dtm_gen_opts go = {.n = n, .label = 3, .sweeps = 3, .seed = 21};
  double ps1 = a + (1 - a) / 4, sd = sqrt(ps1 * (1 - ps1) / (n * 784.0));
  int rc = tsu_dtmc_generate(m, &go, NULL, out, ch, NULL, NULL, &err);
  TKT_OK(rc == TK_OK, "generate on ideal cells (fast Potts)");
  if (rc == TK_OK)
    TKT_SIGMA(same_frac(ch + (size_t)n * V, ch, n, V), ps1, sd, 5,
              "fast sampler: P(x^0 = x^1) of the exact conditional");
  int lab = 1;
  for (uint32_t c = 0; c < n; c++)
    for (uint32_t v = TSU_DTM_N_PIX; v < V; v++)
      lab &= out[(size_t)c * V + v] == 3 * ((v - TSU_DTM_N_PIX) % 10 == 3);
  TKT_OK(lab, "clamped label 3 kept in every sample");
  /* The scalar chain with an ideal cell: the same law. */
  tsu_dtmc_cells cells = {ideal, NULL, NULL};
  rc = tsu_dtmc_generate(m, &go, &cells, out, ch, NULL, NULL, &err);
  TKT_OK(rc == TK_OK, "generate on the scalar cell chain");
  if (rc == TK_OK)
    TKT_SIGMA(same_frac(ch + (size_t)n * V, ch, n, V), ps1, sd, 5,
              "cell chain: P(x^0 = x^1) of the exact conditional");
  /* Memory e: the visible node starts at x^1 and keeps it with
   * probability e per sweep: P(same) = p + (1 - p) e^S over S = 3. */
  double *keepv = malloc(m->b->n_nodes * sizeof *keepv);
  for (uint32_t i = 0; i < m->b->n_nodes; i++)
    keepv[i] = 0.5;
  cells.keep = keepv;
  rc = tsu_dtmc_generate(m, &go, &cells, out, ch, NULL, NULL, &err);
  double pm = ps1 + (1 - ps1) * 0.125;
  if (rc == TK_OK)
    TKT_SIGMA(same_frac(ch + (size_t)n * V, ch, n, V), pm,
              sqrt(pm * (1 - pm) / (n * 784.0)), 5,
              "cell chain with memory 0.5: P(same) = p + (1 - p) 0.5^3");
  free(keepv);
  free(out);
  free(ch);

  /* Training on synthetic images whose pixel levels never change (level
   * = column / 7): moment matching must raise each pixel site's bias of
   * its level above the others at step 1.  A property with a 90 %
   * threshold (the positive phase clamps the level, the negative phase
   * samples it from the input with the forward coupling). */
  size_t ni = 256;
  uint8_t *img = malloc(ni * TSU_DTM_N_PIX), *lb = malloc(ni);
  for (size_t i = 0; i < ni; i++) {
    lb[i] = (uint8_t)(i % 10);
    for (size_t x = 0; x < TSU_DTM_N_PIX; x++)
      img[i * TSU_DTM_N_PIX + x] = (uint8_t)((x % 28) / 7);
  }
  tsu_dtm_data d = {ni, img, lb};
  tsu_dtm_epoch_stats st;
  tsu_dtm_stats_alloc(m->b, &st);
  m->b->p.batch = 64;
  rc = tsu_dtmc_train_epoch(m, &d, 1, NULL, NULL, &st, &err);
  TKT_OK(rc == TK_OK, "one training epoch (%s)", rc ? tk_err_text(&err) : "ok");
  TKT_OK(isfinite(st.autocorr[0]), "ACP measured an autocorrelation (%g)",
         st.autocorr[0]);
  size_t good = 0;
  for (size_t x = 0; x < TSU_DTM_N_PIX; x++) {
    const double *h = m->h + (size_t)m->b->vis_node[x] * 4;
    unsigned lv = (unsigned)((x % 28) / 7), best = 0;
    for (unsigned k = 1; k < 4; k++)
      if (h[k] > h[best])
        best = k;
    good += best == lv;
  }
  TKT_OK(good >= 0.9 * TSU_DTM_N_PIX, "trained bias favours each pixel's "
         "level at %zu of 784 sites (>= 90 %%)", good);
  TKT_OK(fabs(m->pix_p[0 * 4 + 0] - 1) < 1e-12 &&
         fabs(m->pix_p[27 * 4 + 3] - 1) < 1e-12, "pixel marginals from the "
         "data");
  tsu_dtm_stats_free(&st);
  /* Bad data: a level >= K is refused. */
  img[5] = 4;
  tsu_dtm_stats_alloc(m->b, &st);
  rc = tsu_dtmc_train_epoch(m, &d, 1, NULL, NULL, &st, &err);
  TKT_OK(rc == TK_ERANGE, "a level outside 0..3 is TK_ERANGE");
  tsu_dtm_stats_free(&st);
  free(img);
  free(lb);
  tsu_dtmc_free(m);
  return tkt_done();
}
