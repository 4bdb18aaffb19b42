/* test_tsu_potts.c -- categorical (Potts) reference kernel vs exact.
 *
 * A random graph of 8 cells with K = 3 states (edge probability 0.4,
 * J ~ U(-1, 1), per-state biases h ~ U(-0.5, 0.5), beta = 1.1): the
 * sampled marginals P(s_i = k) and edge agreements P(s_i = s_j) (16
 * chains x 20000 sweeps) must match exact enumeration of the 3^8 states.
 * Null: each estimate normal with sigma from the integrated
 * autocorrelation time; 4.5 sigma on the worst of ~35 observables.
 * Bad K and non-finite biases are rejected.  Seed fixed (0x9077).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "tests/tk_test.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_potts.h"
#include "tsu/tsu_stats.h"

#define NCELL 8
#define KST 3

int main(void)
{
  uint32_t ei[64], ej[64], m = 0;
  double w[64], h[NCELL * KST];
  tk_rng r;
  tk_rng_init(&r, 0x9077, 0);
  for (uint32_t i = 0; i < NCELL; i++)
    for (uint32_t j = i + 1; j < NCELL; j++)
      if (tk_rng_uniform(&r) < 0.4) {
        ei[m] = i;
        ej[m] = j;
        w[m++] = 2 * tk_rng_uniform(&r) - 1;
      }
  for (int i = 0; i < NCELL * KST; i++)
    h[i] = tk_rng_uniform(&r) - 0.5;
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_graph_from_edges(NCELL, m, ei, ej, w, NULL, &g, &err);
  tsu_coloring_build(g, &col, &err);
  tsu_potts p = {g, KST, h, 1.1};
  TKT_OK(tsu_potts_check(&p, &err) == 0, "Potts model: %u cells, %u edges, "
         "K = %d", NCELL, m, KST);

  /* exact */
  double marg[NCELL * KST] = {0}, agree[64] = {0}, z = 0;
  uint8_t s[NCELL];
  uint32_t total = 1;
  for (int i = 0; i < NCELL; i++)
    total *= KST;
  for (uint32_t st = 0; st < total; st++) {
    uint32_t x = st;
    for (int i = 0; i < NCELL; i++) {
      s[i] = (uint8_t)(x % KST);
      x /= KST;
    }
    double pw = exp(-p.beta * tsu_potts_energy(&p, s));
    z += pw;
    for (int i = 0; i < NCELL; i++)
      marg[i * KST + s[i]] += pw;
    for (uint32_t e = 0; e < m; e++)
      agree[e] += pw * (s[ei[e]] == s[ej[e]]);
  }
  for (int i = 0; i < NCELL * KST; i++)
    marg[i] /= z;
  for (uint32_t e = 0; e < m; e++)
    agree[e] /= z;

  /* sampled */
  const size_t C = 16, T = 20000;
  uint8_t *hist = malloc(C * T * NCELL);
  for (size_t c = 0; c < C; c++) {
    tk_rng_init(&r, 0x9077, 100 + c);
    for (int i = 0; i < NCELL; i++)
      s[i] = (uint8_t)tk_rng_below(&r, KST);
    for (int t = 0; t < 200; t++)
      tsu_potts_sweep(&p, col, &r, s);
    for (size_t t = 0; t < T; t++) {
      tsu_potts_sweep(&p, col, &r, s);
      memcpy(hist + (c * T + t) * NCELL, s, NCELL);
    }
  }
  double *x = malloc(C * T * sizeof *x);
  double worst = 0;
  char what[200] = "";
  for (uint32_t o = 0; o < NCELL * KST + m; o++) {
    for (size_t c = 0; c < C; c++)
      for (size_t t = 0; t < T; t++) {
        const uint8_t *y = hist + (c * T + t) * NCELL;
        x[c * T + t] = o < NCELL * KST ? (y[o / KST] == o % KST)
                                 : (y[ei[o - NCELL * KST]] == y[ej[o - NCELL * KST]]);
      }
    double mean, tau;
    double se = tsu_mean_stderr(x, C, T, &mean, &tau);
    double ex = o < NCELL * KST ? marg[o] : agree[o - NCELL * KST];
    double zz = fabs(mean - ex) / (se > 1e-12 ? se : 1e-12);
    if (zz > worst) {
      worst = zz;
      snprintf(what, sizeof what, "%s %u: sampled %.5f exact %.5f se %.2g",
               o < NCELL * KST ? "P(s_i=k)" : "agree", o, mean, ex, se);
    }
  }
  TKT_OK(worst < 4.5, "Potts reference kernel matches exact enumeration "
         "(worst %.2f sigma, limit 4.5)", worst);
  printf("# worst: %s\n", what);
  free(x);
  free(hist);

  tsu_potts bad = p;
  bad.K = 1;
  TKT_OK(tsu_potts_check(&bad, &err) == TK_ERANGE, "K = 1 rejected");
  double hn[NCELL * KST];
  memcpy(hn, h, sizeof hn);
  hn[5] = NAN;
  bad = p;
  bad.h = hn;
  TKT_OK(tsu_potts_check(&bad, &err) == TK_EINVAL, "NaN bias rejected (%s)",
         err.msg);
  tsu_coloring_free(col);
  tsu_graph_free(g);
  return tkt_done();
}
