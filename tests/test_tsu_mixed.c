/* test_tsu_mixed.c -- the mixed-node reference sampler (tsu/tsu_mixed.h)
 * against exact answers.
 *
 * 1. Exact enumeration of a mixed spin / categorical graph: 7 nodes
 *    (3 spins, 4 categorical with K = 3; 2^3 3^4 = 648 states), random
 *    edges (probability 0.55), J ~ 1.3 U(-1, 1), h ~ U(-0.6, 0.6),
 *    beta = 0.87.  Every node observable (<s>, P(c = k)) and edge
 *    feature <f_ij> of 64 chains x 4000 recorded sweeps must match the
 *    exact value within 5 sigma, sigma the batch-means standard error of
 *    20 batches (null: |t| with 19 dof; P(|t| > 5) ~ 1e-4 per observable,
 *    ~4e-3 over the ~40 here).
 * 2. The conditionals agree with the energy: for random configurations,
 *    log q(k) - log q(k') = -beta (E(k) - E(k')) to 1e-9 at every node.
 * 3. A Gaussian chain of 6 continuous nodes (couplings 0.45-0.7, a_i
 *    1.3-1.9, beta 1.7): <x_i> and <x_i x_j> on the edges against the
 *    analytic mu = (diag a - J)^-1 h and Sigma = (beta (diag a - J))^-1,
 *    5 sigma (batch means, 20 batches), and the conditional variance.
 * 4. Calibrated-cell exactness: with a distorting categorical cell
 *    (p = (q^0.7 + 0.05) / Z) and a finite-tau hold on a 2-node graph
 *    (one categorical, one spin), the sampled end-of-sweep joint matches
 *    the stationary distribution of the exact one-sweep transition matrix
 *    (8 states, power iteration), 5 sigma.
 * 5. 1 and 2 threads: bit-identical states and moments; bad input
 *    (unknown kind, a <= 0, K = 1, hold 1) rejected.
 * Seeds fixed (0x31a7, 0x5eed).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "tests/tk_test.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_mixed.h"
#include "tsu/tsu_moments.h"

#define NSIG 5.0

/* A random graph on n nodes: edges with probability pe, J, h. */
static tsu_graph *random_graph(uint32_t n, double pe, double js, double hs,
                               uint64_t seed)
{
  uint32_t ei[64], ej[64], m = 0;
  double w[64], h[16];
  tk_rng r;
  tk_rng_init(&r, seed, 0);
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = i + 1; j < n; j++)
      if (tk_rng_uniform(&r) < pe && m < 64) {
        ei[m] = i;
        ej[m] = j;
        w[m] = js * (2 * tk_rng_uniform(&r) - 1);
        m++;
      }
  for (uint32_t i = 0; i < n; i++)
    h[i] = hs * (2 * tk_rng_uniform(&r) - 1);
  tsu_graph *g = NULL;
  if (tsu_graph_from_edges(n, m, ei, ej, w, h, &g, NULL) != 0)
    return NULL;
  return g;
}

/* Run and return the moments (caller frees). */
static tsu_moments *run(const tsu_mixed *m, const tsu_coloring *col,
                        uint32_t C, uint64_t sweeps, int threads,
                        uint64_t seed, double **states)
{
  tsu_mixed_chains *s = NULL;
  tsu_moments *mom = NULL;
  tk_err err = {0};
  if (tsu_mixed_chains_alloc(m, col, C, seed, &s, &err) != 0 ||
      tsu_mixed_chains_run(s, 200, threads, NULL, &err) != 0 ||
      tsu_mixed_moments_alloc(m, C, sweeps, 20, &mom, &err) != 0 ||
      tsu_mixed_chains_run(s, sweeps, threads, mom, &err) != 0) {
    printf("# run failed: %s\n", tk_err_text(&err));
    tsu_moments_free(mom);
    tsu_mixed_chains_free(s);
    return NULL;
  }
  if (states != NULL) {
    size_t sz = (size_t)C * m->g->n * sizeof **states;
    *states = malloc(sz);
    memcpy(*states, tsu_mixed_chains_states(s), sz);
  }
  tsu_mixed_chains_free(s);
  return mom;
}

/* Worst |mean - exact| / se over n_obs observables. */
static double worst_z(const double *mean, const double *se,
                      const double *exact, size_t n_obs, size_t *where)
{
  double w = 0;
  for (size_t o = 0; o < n_obs; o++) {
    double s = se[o] > 1e-9 ? se[o] : 1e-9;
    double z = fabs(mean[o] - exact[o]) / s;
    if (z > w) {
      w = z;
      *where = o;
    }
  }
  return w;
}

static void exact_mixed(void)
{
  const uint32_t n = 7, K = 3;
  uint8_t kind[7] = {TSU_NODE_SPIN, TSU_NODE_CAT, TSU_NODE_SPIN,
                     TSU_NODE_CAT, TSU_NODE_CAT, TSU_NODE_SPIN,
                     TSU_NODE_CAT};
  tsu_graph *g = random_graph(n, 0.55, 1.3, 0.6, 0x31a7);
  tsu_coloring *col = NULL;
  TKT_OK(g != NULL && tsu_coloring_build(g, &col, NULL) == 0,
         "mixed graph: %u nodes, %u edges", n, g ? g->n_edges : 0);
  tsu_mixed m = {g, kind, K, NULL, NULL, 0.87, NULL, NULL, NULL, NULL, NULL};
  TKT_OK(tsu_mixed_check(&m, NULL) == 0, "model accepted");
  TKT_OK(tsu_mixed_cols(&m) == K, "K columns");
  size_t nobs = (size_t)n * K + g->n_edges;
  double *exact = calloc(nobs, sizeof *exact), Z = 0, v[7];
  /* enumerate: spins in {-1, 1}, categorical in 0..K-1 */
  size_t total = 1;
  for (uint32_t i = 0; i < n; i++)
    total *= kind[i] == TSU_NODE_CAT ? K : 2;
  for (size_t code = 0; code < total; code++) {
    size_t c = code;
    for (uint32_t i = 0; i < n; i++) {
      uint32_t b = kind[i] == TSU_NODE_CAT ? K : 2;
      uint32_t d = (uint32_t)(c % b);
      c /= b;
      v[i] = kind[i] == TSU_NODE_CAT ? (double)d : (d ? 1.0 : -1.0);
    }
    double p = exp(-m.beta * tsu_mixed_energy(&m, v));
    Z += p;
    for (uint32_t i = 0; i < n; i++) {
      if (kind[i] == TSU_NODE_CAT)
        exact[i * K + (uint32_t)v[i]] += p;
      else
        exact[i * K] += p * v[i];
    }
    for (uint32_t e = 0; e < g->n_edges; e++) {
      uint32_t a = g->ei[e], b = g->ej[e];
      double f;
      if (kind[a] == TSU_NODE_CAT && kind[b] == TSU_NODE_CAT)
        f = v[a] == v[b];
      else
        f = (kind[a] == TSU_NODE_CAT ? (double)(v[a] == 1) : v[a]) *
            (kind[b] == TSU_NODE_CAT ? (double)(v[b] == 1) : v[b]);
      exact[n * K + e] += p * f;
    }
  }
  for (size_t o = 0; o < nobs; o++)
    exact[o] /= Z;
  double *st1 = NULL, *st2 = NULL;
  tsu_moments *mom = run(&m, col, 64, 4000, 1, 0x5eed, &st1);
  TKT_OK(mom != NULL, "mixed chains ran");
  if (mom != NULL) {
    double *mean = calloc(nobs, sizeof *mean), *se = calloc(nobs, sizeof *se);
    tsu_moments_result(mom, mean, se, mean + (size_t)n * K,
                       se + (size_t)n * K);
    size_t where = 0;
    /* unused columns of spin rows: exact 0, sampled 0 */
    double z = worst_z(mean, se, exact, nobs, &where);
    TKT_OK(z < NSIG, "mixed spin/categorical: worst observable %.2f sigma "
           "(limit %.0f; observable %zu sampled %.5f exact %.5f se %.2g)",
           z, NSIG, where, mean[where], exact[where], se[where]);
    tsu_moments *mom2 = run(&m, col, 64, 4000, 2, 0x5eed, &st2);
    TKT_OK(mom2 != NULL && st2 != NULL &&
               memcmp(st1, st2, 64 * n * sizeof *st1) == 0 &&
               memcmp(mom->sum, mom2->sum,
                      mom->n_obs * mom->n_batches * sizeof *mom->sum) == 0,
           "1 and 2 threads: bit-identical states and moments");
    tsu_moments_free(mom2);
    free(mean);
    free(se);
  }
  /* conditionals against energy differences */
  tk_rng r;
  tk_rng_init(&r, 0x31a7, 9);
  double worst = 0;
  for (int trial = 0; trial < 50; trial++) {
    for (uint32_t i = 0; i < n; i++)
      v[i] = kind[i] == TSU_NODE_CAT ? (double)tk_rng_below(&r, K)
                                     : (tk_rng_uniform(&r) < 0.5 ? -1 : 1);
    for (uint32_t i = 0; i < n; i++) {
      double q[16], e[16];
      uint32_t nk = kind[i] == TSU_NODE_CAT ? K : 2;
      tsu_mixed_conditional(&m, i, v, q);
      double keep = v[i];
      for (uint32_t k = 0; k < nk; k++) {
        v[i] = kind[i] == TSU_NODE_CAT ? (double)k : (k ? 1.0 : -1.0);
        e[k] = tsu_mixed_energy(&m, v);
      }
      v[i] = keep;
      for (uint32_t k = 1; k < nk; k++) {
        double d = fabs((log(q[k]) - log(q[0])) + m.beta * (e[k] - e[0]));
        worst = d > worst ? d : worst;
      }
    }
  }
  TKT_OK(worst < 1e-9, "conditionals = exp(-beta dE): worst %.3g", worst);
  free(st1);
  free(st2);
  free(exact);
  tsu_moments_free(mom);
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

/* Solve A x = b (n <= 8) by Gaussian elimination with partial pivoting. */
static void solve(int n, const double *A, const double *b, double *x)
{
  double M[8][9];
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++)
      M[i][j] = A[i * n + j];
    M[i][n] = b[i];
  }
  for (int c = 0; c < n; c++) {
    int p = c;
    for (int i = c + 1; i < n; i++)
      if (fabs(M[i][c]) > fabs(M[p][c]))
        p = i;
    for (int j = 0; j <= n; j++) {
      double t = M[c][j];
      M[c][j] = M[p][j];
      M[p][j] = t;
    }
    for (int i = c + 1; i < n; i++) {
      double f = M[i][c] / M[c][c];
      for (int j = c; j <= n; j++)
        M[i][j] -= f * M[c][j];
    }
  }
  for (int i = n - 1; i >= 0; i--) {
    double s = M[i][n];
    for (int j = i + 1; j < n; j++)
      s -= M[i][j] * x[j];
    x[i] = s / M[i][i];
  }
}

static void gauss_chain(void)
{
  enum { N = 6 };
  uint32_t ei[N - 1], ej[N - 1];
  double w[N - 1] = {0.45, -0.7, 0.61, 0.52, -0.48};
  double h[N] = {0.37, -0.21, 0.55, 0.08, -0.43, 0.29};
  double a[N] = {1.3, 1.85, 1.62, 1.9, 1.47, 1.33};
  uint8_t kind[N];
  for (int i = 0; i < N - 1; i++) {
    ei[i] = (uint32_t)i;
    ej[i] = (uint32_t)i + 1;
  }
  memset(kind, TSU_NODE_CONT, N);
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  TKT_OK(tsu_graph_from_edges(N, N - 1, ei, ej, w, h, &g, NULL) == 0 &&
             tsu_coloring_build(g, &col, NULL) == 0,
         "Gaussian chain of %d nodes", N);
  const double beta = 1.7;
  tsu_mixed m = {g, kind, 2, NULL, a, beta, NULL, NULL, NULL, NULL, NULL};
  TKT_OK(tsu_mixed_cols(&m) == 1, "one column without categorical nodes");
  /* analytic: A = diag(a) - J, mu = A^-1 h, Sigma = A^-1 / beta */
  double A[N * N] = {0}, mu[N], Sig[N * N], e[N], col_[N];
  for (int i = 0; i < N; i++)
    A[i * N + i] = a[i];
  for (int k = 0; k < N - 1; k++)
    A[ei[k] * N + ej[k]] = A[ej[k] * N + ei[k]] = -w[k];
  solve(N, A, h, mu);
  for (int j = 0; j < N; j++) {
    for (int i = 0; i < N; i++)
      e[i] = i == j;
    solve(N, A, e, col_);
    for (int i = 0; i < N; i++)
      Sig[i * N + j] = col_[i] / beta;
  }
  tsu_moments *mom = run(&m, col, 64, 4000, 0, 0x5eed, NULL);
  TKT_OK(mom != NULL, "Gaussian chains ran");
  if (mom != NULL) {
    double mean[N + N], se[N + N], ex[N + N];
    tsu_moments_result(mom, mean, se, mean + N, se + N);
    for (int i = 0; i < N; i++)
      ex[i] = mu[i];
    for (int k = 0; k < N - 1; k++)
      ex[N + k] = Sig[ei[k] * N + ej[k]] + mu[ei[k]] * mu[ej[k]];
    size_t where = 0;
    double z = worst_z(mean, se, ex, 2 * N - 1, &where);
    TKT_OK(z < NSIG, "Gaussian chain vs analytic mean and covariance: worst "
           "%.2f sigma (observable %zu sampled %.5f analytic %.5f se %.2g)",
           z, where, mean[where], ex[where], se[where]);
    tsu_moments_free(mom);
  }
  /* the conditional variance is 1 / (beta a_i) */
  double v[N] = {0.3, -0.2, 0.1, 0.5, -0.4, 0.2}, q[2];
  tsu_mixed_conditional(&m, 2, v, q);
  TKT_REL(q[1], 1 / (beta * a[2]), 1e-12, "conditional variance 1/(beta a)");
  TKT_REL(q[0], (h[2] + w[1] * v[1] + w[2] * v[3]) / a[2], 1e-12,
          "conditional mean (h + sum J x) / a");
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

/* A distorting categorical cell: p ~ q^0.7 + 0.05. */
static int distort(void *ctx, uint32_t node, const double *q, double *p,
                   double *dev, tk_err *err)
{
  (void)node;
  (void)err;
  uint32_t K = *(const uint32_t *)ctx;
  double z = 0;
  for (uint32_t k = 0; k < K; k++)
    z += (p[k] = pow(q[k], 0.7) + 0.05);
  *dev = 0;
  for (uint32_t k = 0; k < K; k++) {
    p[k] /= z;
    *dev = fmax(*dev, fabs(p[k] - q[k]));
  }
  return TK_OK;
}

static void calibrated_pair(void)
{
  const uint32_t K = 4;
  uint32_t ei[1] = {0}, ej[1] = {1};
  double w[1] = {1.37}, h[2] = {0.41, -0.23}, hold[2] = {0.6, 0};
  uint8_t kind[2] = {TSU_NODE_CAT, TSU_NODE_SPIN};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  TKT_OK(tsu_graph_from_edges(2, 1, ei, ej, w, h, &g, NULL) == 0 &&
             tsu_coloring_build(g, &col, NULL) == 0 && col->n_colors == 2,
         "categorical-spin pair, 2 colours");
  uint32_t Kc = K;
  tsu_mixed m = {g, kind, K, NULL, NULL, 1.21, hold, distort, &Kc, NULL,
                 NULL};
  /* exact one-sweep kernel over the 8 states (c, s), colour order */
  double T[8][8] = {{0}};
  for (int st = 0; st < 8; st++) {
    double dist[8] = {0};
    dist[st] = 1;
    for (uint32_t cc = 0; cc < col->n_colors; cc++) {
      uint32_t i = col->order[col->start[cc]];
      double nd[8] = {0};
      for (int x = 0; x < 8; x++) {
        if (dist[x] == 0)
          continue;
        double v[2] = {(double)(x % 4), x / 4 ? 1.0 : -1.0}, q[4], p[4], d;
        tsu_mixed_conditional(&m, i, v, q);
        if (i == 0)
          distort(&Kc, 0, q, p, &d, NULL);
        for (uint32_t k = 0; k < (i == 0 ? K : 2); k++) {
          int y = i == 0 ? (int)k + 4 * (x / 4) : x % 4 + 4 * (int)k;
          double pk = i == 0 ? p[k] : q[k];
          nd[y] += dist[x] * (1 - hold[i]) * pk;
        }
        nd[x] += dist[x] * hold[i];
      }
      memcpy(dist, nd, sizeof dist);
    }
    for (int y = 0; y < 8; y++)
      T[st][y] = dist[y];
  }
  double pi[8], nx[8];
  for (int x = 0; x < 8; x++)
    pi[x] = 1.0 / 8;
  for (int it = 0; it < 5000; it++) {
    for (int y = 0; y < 8; y++) {
      nx[y] = 0;
      for (int x = 0; x < 8; x++)
        nx[y] += pi[x] * T[x][y];
    }
    memcpy(pi, nx, sizeof pi);
  }
  double ex[4 * 2 + 1] = {0};   /* P(c = k), <s> in row 1 col 0, edge */
  for (int x = 0; x < 8; x++) {
    ex[x % 4] += pi[x];
    ex[4] += pi[x] * (x / 4 ? 1 : -1);
    ex[8] += pi[x] * ((x % 4) == 1) * (x / 4 ? 1 : -1);
  }
  tsu_moments *mom = run(&m, col, 128, 4000, 0, 0x5eed, NULL);
  TKT_OK(mom != NULL, "calibrated pair ran");
  if (mom != NULL) {
    double mean[9], se[9];
    tsu_moments_result(mom, mean, se, mean + 8, se + 8);
    size_t where = 0;
    double z = worst_z(mean, se, ex, 9, &where);
    TKT_OK(z < NSIG, "distorted cell with hold: sampled joint vs the exact "
           "stationary distribution of the sweep kernel, worst %.2f sigma "
           "(observable %zu sampled %.5f exact %.5f se %.2g)", z, where,
           mean[where], ex[where], se[where]);
    tsu_moments_free(mom);
  }
  /* bad input */
  uint8_t bad_kind[2] = {7, TSU_NODE_SPIN};
  double bad_a[2] = {-1, 1}, bad_hold[2] = {1, 0};
  tsu_mixed b = m;
  b.kind = bad_kind;
  TKT_OK(tsu_mixed_check(&b, NULL) == TK_EINVAL, "unknown node kind rejected");
  uint8_t ck[2] = {TSU_NODE_CONT, TSU_NODE_SPIN};
  b = m;
  b.kind = ck;
  b.a = bad_a;
  TKT_OK(tsu_mixed_check(&b, NULL) == TK_EINVAL, "a <= 0 rejected");
  b.a = NULL;
  TKT_OK(tsu_mixed_check(&b, NULL) == TK_EINVAL, "continuous without a");
  b = m;
  b.K = 1;
  TKT_OK(tsu_mixed_check(&b, NULL) == TK_EINVAL, "K = 1 rejected");
  b = m;
  b.hold = bad_hold;
  TKT_OK(tsu_mixed_check(&b, NULL) == TK_EINVAL, "hold 1 rejected");
  tsu_node_kind nk;
  TKT_OK(tsu_node_kind_from_name("categorical", &nk, NULL) == 0 &&
             nk == TSU_NODE_CAT &&
             tsu_node_kind_from_name("ising", &nk, NULL) == TK_EINVAL,
         "node kind names");
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

int main(void)
{
  exact_mixed();
  gauss_chain();
  calibrated_pair();
  return tkt_done();
}
