/* test_tsu_fastpotts.c -- the fast Potts sampler on every code path.
 *
 * 1. Conditionals: for K = 3, 4 and 8 on a random 8-cell graph (edge
 *    probability 0.5, J ~ U(-1.3, 1.3), h ~ U(-0.9, 0.9), beta = 1.1), 30
 *    random (node, neighbour states) each: the kernel's draw over all
 *    2^16 values of its 16-bit uniform gives its exact conditional
 *    P_fast(k); it must match tsu_potts' double-precision softmax within
 *    2^-16 + 7e-6 (tsu_fastpotts.h), and every path must draw the same
 *    states for the same uniforms.
 * 2. Exact enumeration: K = 3 on the same graph (3^8 states), 48 chains
 *    x 6000 sweeps after 200 burn-in on each path: occupancies
 *    P(s_i = k) and edge agreements P(s_i = s_j).  Null: each estimate
 *    normal with sigma from the integrated autocorrelation time
 *    (tsu_mean_stderr); threshold 4.5 sigma on the worst of ~40
 *    observables (false-alarm probability < 3e-4 per path).  The moments
 *    accumulator must equal the history counts exactly.
 * 3. Reproducibility: portable, AVX2 and AVX-512 with 1 and 2 threads
 *    give bit-identical states and change counts (40 chains: a partial
 *    lane group).
 * 4. Definition: one sweep of 19 uncoupled nodes with K = 4, h = 0 gives
 *    s = r >> 14 exactly, r the 16-bit field of the stated Philox4x32-7
 *    block (tsu_fastpotts.h), on every path.
 * Bad input (K = 1, a reload with another K) is rejected.  Seeds fixed
 * (0x9077 model, 0xfa57 chains).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "tests/tk_test.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fastnode_impl.h"
#include "tsu/tsu_fastpotts.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_stats.h"

#define NCELL 8
#define MAXK 16

static const int paths[3] = {TSU_PATH_PORTABLE, TSU_PATH_AVX2,
                             TSU_PATH_AVX512};
static const char *const path_names[3] = {"portable", "avx2", "avx512"};

/* Exact conditional of node i given s (double softmax, tsu_potts). */
static void exact_cond(const tsu_potts *p, uint32_t i, const uint8_t *s,
                       double *pk)
{
  const tsu_graph *g = p->g;
  double f[MAXK], fm = -1e300, z = 0;
  for (uint32_t k = 0; k < p->K; k++)
    f[k] = p->h[i * p->K + k];
  for (uint32_t a = g->off[i]; a < g->off[i + 1]; a++)
    f[s[g->adj[a]]] += g->adj_w[a];
  for (uint32_t k = 0; k < p->K; k++)
    fm = f[k] > fm ? f[k] : fm;
  for (uint32_t k = 0; k < p->K; k++)
    z += (pk[k] = exp(p->beta * (f[k] - fm)));
  for (uint32_t k = 0; k < p->K; k++)
    pk[k] /= z;
}

static void test_conditionals(const tsu_graph *g, const tsu_coloring *col,
                              uint32_t K, double beta, int want_lin)
{
  double h[NCELL * MAXK];
  tk_rng r;
  tk_rng_init(&r, 0x9077, 50 + K);
  for (uint32_t i = 0; i < NCELL * K; i++)
    h[i] = 1.8 * tk_rng_uniform(&r) - 0.9;
  tsu_potts p = {g, K, h, beta};
  tk_err err = {0};
  tsu_fastpotts *s = NULL;
  if (tsu_fastpotts_alloc(&p, col, 16, 1, TSU_PATH_PORTABLE, &s, &err) != 0) {
    TKT_OK(0, "K=%u: alloc: %s", K, err.msg);
    return;
  }
  const tsu__fpplan *pl = tsu__fastpotts_plan(s);
  TKT_OK(pl->lin == want_lin, "K=%u beta=%g: the %s mode", K, beta,
         want_lin ? "linear" : "log");
  double worst = 0;
  int same = 1;
  uint8_t *draws[3];
  for (int q = 0; q < 3; q++)
    draws[q] = malloc(65536);
  for (int trial = 0; trial < 30; trial++) {
    uint32_t pos = (uint32_t)tk_rng_below(&r, NCELL);
    uint32_t i = pl->node[pos];
    uint8_t st[NCELL], snb[NCELL];
    for (uint32_t j = 0; j < NCELL; j++)
      st[j] = (uint8_t)tk_rng_below(&r, K);
    for (uint32_t a = pl->off[pos]; a < pl->off[pos + 1]; a++)
      snb[a - pl->off[pos]] = st[pl->nbr[a]];
    double pk[MAXK];
    exact_cond(&p, i, st, pk);
    for (int q = 0; q < 3; q++) {
      const tsu__fn_path *fp = tsu__fn_path_get(paths[q]);
      if (fp == NULL)
        continue;
      for (uint32_t u0 = 0; u0 < 65536; u0 += 16) {
        uint16_t r16[16];
        for (int l = 0; l < 16; l++)
          r16[l] = (uint16_t)(u0 + l);
        fp->potts_probe(pl, pos, snb, r16, draws[q] + u0);
      }
      if (q > 0 && memcmp(draws[q], draws[0], 65536) != 0)
        same = 0;
    }
    double cnt[MAXK] = {0};
    for (uint32_t u = 0; u < 65536; u++)
      cnt[draws[0][u] < K ? draws[0][u] : 0] += 1;
    for (uint32_t k = 0; k < K; k++) {
      double d = fabs(cnt[k] / 65536.0 - pk[k]);
      worst = d > worst ? d : worst;
    }
  }
  double lim = 1.0 / 65536 + 7e-6;
  TKT_OK(worst <= lim, "K=%u beta=%g: kernel conditional vs exact "
         "softmax: worst |dP| %.3g <= %.3g (2^-16 + 7e-6)", K, beta, worst,
         lim);
  TKT_OK(same, "K=%u: every path draws the same states from the same "
         "uniforms", K);
  for (int q = 0; q < 3; q++)
    free(draws[q]);
  tsu_fastpotts_free(s);
}

/* Worst |sampled - exact| / se over occupancies and agreements from
 * histories hist[(c T + t) NCELL] of C chains. */
static double worst_sigma(const uint8_t *hist, size_t C, size_t T,
                          uint32_t K, const double *marg,
                          const double *agree, const tsu_graph *g,
                          char *what, size_t wsize)
{
  double *x = malloc(C * T * sizeof *x), worst = 0;
  uint32_t m = g->n_edges;
  for (uint32_t o = 0; o < NCELL * K + m; o++) {
    for (size_t k = 0; k < C * T; k++) {
      const uint8_t *y = hist + k * NCELL;
      x[k] = o < NCELL * K ? (y[o / K] == o % K)
                           : (y[g->ei[o - NCELL * K]] ==
                              y[g->ej[o - NCELL * K]]);
    }
    double mean, tau;
    double se = tsu_mean_stderr(x, C, T, &mean, &tau);
    double ex = o < NCELL * K ? marg[o] : agree[o - NCELL * K];
    double zz = fabs(mean - ex) / (se > 1e-12 ? se : 1e-12);
    if (zz > worst) {
      worst = zz;
      snprintf(what, wsize, "obs %u: sampled %.5f exact %.5f se %.2g "
               "tau %.2f", o, mean, ex, se, tau);
    }
  }
  free(x);
  return worst;
}

static void test_exact(const tsu_graph *g, const tsu_coloring *col)
{
  const uint32_t K = 3;
  double h[NCELL * K];
  tk_rng r;
  tk_rng_init(&r, 0x9077, 7);
  for (uint32_t i = 0; i < NCELL * K; i++)
    h[i] = tk_rng_uniform(&r) - 0.5;
  tsu_potts p = {g, K, h, 1.1};
  uint32_t m = g->n_edges;
  double marg[NCELL * 3] = {0}, *agree = calloc(m + 1, sizeof *agree), z = 0;
  uint8_t s[NCELL];
  for (uint32_t st = 0; st < 6561; st++) {
    uint32_t x = st;
    for (int i = 0; i < NCELL; i++) {
      s[i] = (uint8_t)(x % K);
      x /= K;
    }
    double pw = exp(-p.beta * tsu_potts_energy(&p, s));
    z += pw;
    for (int i = 0; i < NCELL; i++)
      marg[i * K + s[i]] += pw;
    for (uint32_t e = 0; e < m; e++)
      agree[e] += pw * (s[g->ei[e]] == s[g->ej[e]]);
  }
  for (uint32_t i = 0; i < NCELL * K; i++)
    marg[i] /= z;
  for (uint32_t e = 0; e < m; e++)
    agree[e] /= z;
  const uint32_t C = 48;
  const size_t T = 6000;
  uint8_t *hist = malloc(C * T * NCELL), *row = malloc(C * NCELL);
  for (int q = 0; q < 3; q++) {
    tk_err err = {0};
    tsu_fastpotts *fs = NULL;
    tsu_moments *mom = NULL;
    if (!tsu_fast_path_supported(paths[q])) {
      printf("# path %s not supported by this CPU: skipped\n",
             path_names[q]);
      continue;
    }
    int rc = tsu_fastpotts_alloc(&p, col, C, 0xfa57, paths[q], &fs, &err);
    if (rc == 0)
      rc = tsu_fastpotts_run(fs, 200, 1, NULL, &err);
    if (rc == 0)
      rc = tsu_potts_moments_alloc(&p, C, T, 20, &mom, &err);
    for (size_t t = 0; rc == 0 && t < T; t++) {
      rc = tsu_fastpotts_run(fs, 1, 1, mom, &err);
      tsu_fastpotts_states(fs, row);
      for (uint32_t c = 0; c < C; c++)
        memcpy(hist + ((size_t)c * T + t) * NCELL, row + c * NCELL, NCELL);
    }
    if (rc != 0) {
      TKT_OK(0, "%s: run: %s", path_names[q], err.msg);
    } else {
      char what[200] = "";
      double worst = worst_sigma(hist, C, T, K, marg, agree, g, what,
                                 sizeof what);
      TKT_OK(worst < 4.5, "%s: fast Potts (K=3) matches exact enumeration "
             "(worst %.2f sigma, limit 4.5)", path_names[q], worst);
      printf("# worst: %s\n", what);
      double *mean = malloc((NCELL * K + m) * sizeof *mean);
      tsu_moments_result(mom, mean, NULL, mean + NCELL * K, NULL);
      double dmax = 0;
      for (uint32_t o = 0; o < NCELL * K; o++) {
        double c0 = 0;
        for (size_t k = 0; k < C * T; k++)
          c0 += hist[k * NCELL + o / K] == o % K;
        dmax = fmax(dmax, fabs(c0 / (double)(C * T) - mean[o]));
      }
      TKT_OK(dmax < 1e-12, "%s: moments accumulator equals the history "
             "counts (max diff %.2g)", path_names[q], dmax);
      free(mean);
    }
    tsu_moments_free(mom);
    tsu_fastpotts_free(fs);
  }
  free(hist);
  free(row);
  free(agree);
}

static void test_repro(const tsu_graph *g, const tsu_coloring *col)
{
  const uint32_t K = 4, C = 40;
  double h[NCELL * 4];
  for (uint32_t i = 0; i < NCELL * K; i++)
    h[i] = 0.37 * sin(1.3 * i);
  tsu_potts p = {g, K, h, 0.83};
  uint8_t *ref = malloc(C * NCELL), *got = malloc(C * NCELL);
  uint64_t ref_chg = 0;
  int have = 0, all = 1;
  for (int q = 0; q < 3; q++)
    for (int nt = 1; nt <= 2; nt++) {
      if (!tsu_fast_path_supported(paths[q]))
        continue;
      tk_err err = {0};
      tsu_fastpotts *fs = NULL;
      if (tsu_fastpotts_alloc(&p, col, C, 0xfa57, paths[q], &fs, &err) != 0 ||
          tsu_fastpotts_run(fs, 300, nt, NULL, &err) != 0) {
        TKT_OK(0, "%s: %s", path_names[q], err.msg);
        tsu_fastpotts_free(fs);
        continue;
      }
      tsu_fastpotts_states(fs, got);
      uint64_t chg = tsu_fastpotts_changes(fs);
      if (!have) {
        memcpy(ref, got, C * NCELL);
        ref_chg = chg;
        have = 1;
      } else if (memcmp(ref, got, C * NCELL) != 0 || chg != ref_chg) {
        all = 0;
        printf("# %s with %d threads differs\n", path_names[q], nt);
      }
      tsu_fastpotts_free(fs);
    }
  TKT_OK(have && all, "states and change counts bit-identical across "
         "paths and 1/2 threads (%llu changes)", (unsigned long long)ref_chg);
  free(ref);
  free(got);
}

/* MPI split: 32 chains with group offset 3 are chains 48..79 of an
 * 80-chain run, bit for bit (start and sweeps). */
static void test_offset(const tsu_graph *g, const tsu_coloring *col)
{
  const uint32_t K = 5;
  double h[NCELL * 5];
  for (uint32_t i = 0; i < NCELL * K; i++)
    h[i] = 0.41 * cos(0.7 * i);
  tsu_potts p = {g, K, h, 0.91};
  tk_err err = {0};
  tsu_fastpotts *all = NULL, *part = NULL;
  int ok = tsu_fastpotts_alloc(&p, col, 80, 0x0ff5, TSU_PATH_AUTO, &all,
                               &err) == 0 &&
           tsu_fastpotts_alloc(&p, col, 32, 0x0ff5, TSU_PATH_AUTO, &part,
                               &err) == 0 &&
           tsu_fastpotts_set_group_offset(part, 3, &err) == 0 &&
           tsu_fastpotts_run(all, 57, 1, NULL, &err) == 0 &&
           tsu_fastpotts_run(part, 57, 1, NULL, &err) == 0;
  uint32_t diff = 0;
  for (uint32_t c = 0; ok && c < 32; c++)
    for (uint32_t i = 0; i < NCELL; i++)
      diff += tsu_fastpotts_state(part, c, i) !=
              tsu_fastpotts_state(all, 48 + c, i);
  TKT_OK(ok && diff == 0, "group offset 3: chains 0..31 are chains 48..79 "
         "of one run (%u states differ) %s", diff, ok ? "" : err.msg);
  TKT_OK(part != NULL && tsu_fastpotts_set_group_offset(
                             part, 0x0FFFFFFFu, &err) == TK_ERANGE,
         "an offset past 2^32 chains rejected: %s", err.msg);
  tsu_fastpotts_free(all);
  tsu_fastpotts_free(part);
}

/* The stated random-number definition end to end (tsu_fastpotts.h):
 * N uncoupled nodes, K = 4, h = 0, so every weight is 1, Z = 4 and the
 * draw is s = #{k < 3 : k + 1 <= 4 u} = r >> 14 exactly (u = (r + 1/2)
 * 2^-16); chain c at colour-order position p of sweep 0 must hold that
 * of the 16-bit field j mod 2 of word j / 2 of the Philox4x32-7 block of
 * key seed, counter (c, P, 2^60 + 0), P the start of p's octet (8
 * positions from its colour's start), j = p - P; 32 chains. */
static void test_definition(void)
{
  enum { N = 19, C = 32, K = 4 };
  double h[N * K] = {0};
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  const uint64_t seed = 0x5eed0f9077ull;
  int ok = tsu_graph_from_edges(N, 0, NULL, NULL, NULL, NULL, &g, &err) ==
               0 && tsu_coloring_build(g, &col, &err) == 0;
  TKT_OK(ok, "edgeless graph: %s", err.msg);
  if (!ok)
    return;
  tsu_potts pm = {g, K, h, 1.0};
  uint32_t mism = 0, checked = 0;
  for (int q = 0; q < 3; q++) {
    tsu_fastpotts *s = NULL;
    if (!tsu_fast_path_supported(paths[q]))
      continue;
    if (tsu_fastpotts_alloc(&pm, col, C, seed, paths[q], &s, &err) != 0 ||
        tsu_fastpotts_run(s, 1, 1, NULL, &err) != 0) {
      TKT_OK(0, "%s: %s", path_names[q], err.msg);
      tsu_fastpotts_free(s);
      continue;
    }
    const tsu__fpplan *pl = tsu__fastpotts_plan(s);
    for (uint32_t c = 0; c < pl->n_colors; c++)
      for (uint32_t p = pl->start[c]; p < pl->start[c + 1]; p++) {
        uint32_t P = p - (p - pl->start[c]) % 8, j = p - P;
        for (uint32_t ch = 0; ch < C; ch++) {
          uint32_t ctr[4] = {ch, P, 0, 1u << 28}, key[2] = {
              (uint32_t)seed, (uint32_t)(seed >> 32)}, out[4];
          tk_philox4x32_7(ctr, key, out);
          uint32_t r = (out[j / 2] >> (16 * (j % 2))) & 0xFFFFu;
          mism += tsu_fastpotts_state(s, ch, pl->node[p]) != (r >> 14);
          checked++;
        }
      }
    tsu_fastpotts_free(s);
  }
  TKT_OK(checked > 0 && mism == 0, "one sweep of uncoupled K=4 nodes is "
         "the stated Philox4x32-7 definition (%u of %u states differ)",
         mism, checked);
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

int main(void)
{
  uint32_t ei[64], ej[64], m = 0;
  double w[64];
  tk_rng r;
  tk_rng_init(&r, 0x9077, 0);
  for (uint32_t i = 0; i < NCELL; i++)
    for (uint32_t j = i + 1; j < NCELL; j++)
      if (tk_rng_uniform(&r) < 0.5) {
        ei[m] = i;
        ej[m] = j;
        w[m++] = 2.6 * tk_rng_uniform(&r) - 1.3;
      }
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  int rc = tsu_graph_from_edges(NCELL, m, ei, ej, w, NULL, &g, &err);
  if (rc == 0)
    rc = tsu_coloring_build(g, &col, &err);
  TKT_OK(rc == 0, "graph: %u cells, %u edges, %u colours", NCELL, m,
         rc == 0 ? col->n_colors : 0);
  for (int q = 0; q < 3; q++)
    printf("# path %s: %s\n", path_names[q],
           tsu_fast_path_supported(paths[q]) ? "tested" : "not supported");
  test_conditionals(g, col, 3, 1.1, 1);
  test_conditionals(g, col, 4, 1.1, 1);
  test_conditionals(g, col, 8, 1.1, 1);
  test_conditionals(g, col, 12, 1.1, 1);   /* a K without its own instance */
  /* fields beyond 2^100: the log mode (beta log2(e) |J| up to 100 here) */
  test_conditionals(g, col, 4, 53.0, 0);
  test_conditionals(g, col, 12, 53.0, 0);
  test_exact(g, col);
  test_repro(g, col);
  test_offset(g, col);
  test_definition();

  /* bad input */
  double h1[NCELL * 4] = {0};
  tsu_potts bad = {g, 1, h1, 1.0};
  tsu_fastpotts *fs = NULL;
  TKT_OK(tsu_fastpotts_alloc(&bad, col, 16, 1, TSU_PATH_AUTO, &fs, &err) ==
         TK_ERANGE && fs == NULL, "K=1 rejected: %s", err.msg);
  tsu_potts p4 = {g, 4, h1, 1.0}, p3 = {g, 3, h1, 1.0};
  if (tsu_fastpotts_alloc(&p4, col, 16, 1, TSU_PATH_AUTO, &fs, &err) == 0) {
    TKT_OK(tsu_fastpotts_reload(fs, &p3, &err) == TK_EINVAL,
           "reload with another K rejected: %s", err.msg);
    TKT_OK(tsu_fastpotts_reload(fs, &p4, &err) == 0, "reload with the same "
           "structure accepted");
  }
  tsu_fastpotts_free(fs);
  tsu_coloring_free(col);
  tsu_graph_free(g);
  return tkt_done();
}
