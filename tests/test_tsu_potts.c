/* test_tsu_potts.c -- categorical (Potts) reference kernel vs exact.
 *
 * A random graph of 8 cells with K = 3 states (edge probability 0.4,
 * J ~ U(-1, 1), per-state biases h ~ U(-0.5, 0.5), beta = 1.1): the
 * sampled marginals P(s_i = k) and edge agreements P(s_i = s_j) (16
 * chains x 20000 sweeps) must match exact enumeration of the 3^8 states.
 * Null: each estimate normal with sigma from the integrated
 * autocorrelation time; 4.5 sigma on the worst of ~35 observables.
 * The many-chain runner (tsu_potts_chains: counter RNG, 48 chains x
 * 6000 sweeps) is held against the same exact values with the same null
 * and threshold; its batch-means accumulator must reproduce the history
 * counts exactly, and 1 and 2 threads must give bit-identical states and
 * counts.  The grid convention (h_i on state 1) makes K = 2 the Ising
 * model with J/2, h/2: energy differences agree on all 2^8 states.
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

/* Worst |sampled - exact| / se over occupancies then agreements, from
 * histories hist[(c * T + t) * NCELL]. */
static double worst_sigma(const uint8_t *hist, size_t C, size_t T,
                          const double *marg, const double *agree,
                          const uint32_t *ei, const uint32_t *ej, uint32_t m,
                          char *what, size_t wsize)
{
  double *x = malloc(C * T * sizeof *x), worst = 0;
  for (uint32_t o = 0; o < NCELL * KST + m; o++) {
    for (size_t k = 0; k < C * T; k++) {
      const uint8_t *y = hist + k * NCELL;
      x[k] = o < NCELL * KST ? (y[o / KST] == o % KST)
                             : (y[ei[o - NCELL * KST]] == y[ej[o - NCELL * KST]]);
    }
    double mean, tau;
    double se = tsu_mean_stderr(x, C, T, &mean, &tau);
    double ex = o < NCELL * KST ? marg[o] : agree[o - NCELL * KST];
    double zz = fabs(mean - ex) / (se > 1e-12 ? se : 1e-12);
    if (zz > worst) {
      worst = zz;
      snprintf(what, wsize, "%s %u: sampled %.5f exact %.5f se %.2g tau %.2f",
               o < NCELL * KST ? "P(s_i=k)" : "agree", o, mean, ex, se, tau);
    }
  }
  free(x);
  return worst;
}

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
  char what[200] = "";
  double worst = worst_sigma(hist, C, T, marg, agree, ei, ej, m, what,
                             sizeof what);
  TKT_OK(worst < 4.5, "Potts reference kernel matches exact enumeration "
         "(worst %.2f sigma, limit 4.5)", worst);
  printf("# worst: %s\n", what);
  free(hist);

  /* the many-chain runner */
  {
    const uint32_t C2 = 48;
    const size_t T2 = 6000;
    tsu_potts_chains *pc = NULL;
    tsu_moments *mom = NULL;
    uint8_t *h2 = malloc(C2 * T2 * NCELL);
    int rc = tsu_potts_chains_alloc(&p, col, C2, 0x9078, &pc, &err);
    if (rc == 0)
      rc = tsu_potts_chains_run(pc, 200, 1, NULL, &err);
    if (rc == 0)
      rc = tsu_potts_moments_alloc(&p, C2, T2, 20, &mom, &err);
    for (size_t t = 0; rc == 0 && t < T2; t++) {
      rc = tsu_potts_chains_run(pc, 1, 1, mom, &err);
      const uint8_t *y = tsu_potts_chains_states(pc);
      for (uint32_t c = 0; c < C2; c++)
        memcpy(h2 + ((size_t)c * T2 + t) * NCELL, y + (size_t)c * NCELL,
               NCELL);
    }
    TKT_OK(rc == 0, "runner: %u chains x %zu sweeps", C2, T2);
    double w2 = worst_sigma(h2, C2, T2, marg, agree, ei, ej, m, what,
                            sizeof what);
    TKT_OK(w2 < 4.5, "many-chain runner matches exact enumeration (worst "
           "%.2f sigma, limit 4.5)", w2);
    printf("# worst: %s\n", what);
    double occ[NCELL * KST], agr[64], dev = 0;
    tsu_moments_result(mom, occ, NULL, agr, NULL);
    for (uint32_t o = 0; o < NCELL * KST + m; o++) {
      double cnt = 0;
      for (size_t k = 0; k < C2 * T2; k++) {
        const uint8_t *y = h2 + k * NCELL;
        cnt += o < NCELL * KST ? (y[o / KST] == o % KST)
                               : (y[ei[o - NCELL * KST]] == y[ej[o - NCELL * KST]]);
      }
      double v = o < NCELL * KST ? occ[o] : agr[o - NCELL * KST];
      dev = fmax(dev, fabs(v - cnt / (double)(C2 * T2)));
    }
    TKT_OK(dev < 1e-12, "accumulator reproduces the history counts (max "
           "deviation %.2g)", dev);
    free(h2);
    tsu_moments_free(mom);
    tsu_potts_chains_free(pc);

    /* 1 vs 2 threads */
    uint8_t *st[2];
    int64_t *cnt[2];
    size_t ncnt = 10 * (NCELL * KST + m);
    rc = 0;
    for (int k = 0; k < 2; k++) {
      rc |= tsu_potts_chains_alloc(&p, col, 37, 0x9079, &pc, &err);
      rc |= tsu_potts_moments_alloc(&p, 37, 300, 10, &mom, &err);
      rc |= tsu_potts_chains_run(pc, 300, k + 1, mom, &err);
      st[k] = malloc(37 * NCELL);
      cnt[k] = malloc(ncnt * sizeof **cnt);
      memcpy(st[k], tsu_potts_chains_states(pc), 37 * NCELL);
      memcpy(cnt[k], mom->count, ncnt * sizeof **cnt);
      tsu_moments_free(mom);
      tsu_potts_chains_free(pc);
    }
    TKT_OK(rc == 0 && memcmp(st[0], st[1], 37 * NCELL) == 0 &&
           memcmp(cnt[0], cnt[1], ncnt * sizeof **cnt) == 0,
           "1 and 2 threads: states and counts bit-identical (37 chains)");
    for (int k = 0; k < 2; k++) {
      free(st[k]);
      free(cnt[k]);
    }
  }

  /* K = 2 with the grid convention is Ising with J/2, h/2 */
  {
    double gh[NCELL], h2s[NCELL * 2], wi[64];
    for (int i = 0; i < NCELL; i++)
      gh[i] = 0.9 * h[i * KST] + 0.173;
    tsu_graph *gp = NULL, *gi = NULL;
    for (uint32_t e = 0; e < m; e++)
      wi[e] = w[e] / 2;
    double hi[NCELL];
    for (int i = 0; i < NCELL; i++)
      hi[i] = gh[i] / 2;
    tsu_graph_from_edges(NCELL, m, ei, ej, w, gh, &gp, &err);
    tsu_graph_from_edges(NCELL, m, ei, ej, wi, hi, &gi, &err);
    tsu_potts_bias_from_graph(gp, 2, h2s);
    tsu_potts p2 = {gp, 2, h2s, 1.0};
    double d0 = 0, spread = 0;
    for (uint32_t st = 0; st < (1u << NCELL); st++) {
      uint8_t y[NCELL];
      int8_t sp[NCELL];
      for (int i = 0; i < NCELL; i++) {
        y[i] = (uint8_t)((st >> i) & 1);
        sp[i] = (int8_t)(2 * y[i] - 1);
      }
      double d = tsu_potts_energy(&p2, y) - tsu_graph_energy(gi, sp);
      if (st == 0)
        d0 = d;
      spread = fmax(spread, fabs(d - d0));
    }
    TKT_OK(spread < 1e-12, "K = 2 grid convention: E_potts - E_ising(J/2, "
           "h/2) constant over 256 states (spread %.2g)", spread);
    tsu_graph_free(gp);
    tsu_graph_free(gi);
  }

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
