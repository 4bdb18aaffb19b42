/* test_tsu_gauss.c -- Gaussian cells: Gibbs sampler vs the exact normal law.
 *
 * Random graphs of 9 and 12 nodes (edge probability 0.4, J ~ U(-0.6,
 * 0.6), h ~ U(-1, 1), a_i = sum_j |J_ij| + U(0.35, 1.25): diagonally
 * dominant, so diag(a) - J is positive definite; beta = 1.3).  Exact law
 * from GSL's Cholesky factor of M = diag(a) - J: mu = M^-1 h, Sigma =
 * M^-1 / beta.  Sampled (16 chains x 30000 sweeps after 300 burn-in):
 * every mean <x_i>, variance <(x_i - mu_i)^2> and edge covariance
 * <(x_i - mu_i)(x_j - mu_j)> (centred on the exact mean, so each is an
 * unbiased estimate of Sigma).  Null: each estimate normal with sigma
 * from the integrated autocorrelation time (tsu_mean_stderr, Sokal
 * window); threshold 4.5 sigma on the worst of ~35-45 observables per
 * graph (false-alarm probability < 3e-4 per graph).  Also: the batch-means
 * accumulator reproduces the history averages; 1 and 2 threads give
 * bit-identical states and moment sums; a model that is not positive
 * definite fails with TK_ENUMERIC; bad a_i, beta and biases are rejected.
 * Seeds fixed: 0x6a055, 0x6a056.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "tests/tk_test.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_stats.h"

#define NSIG 4.5
#define NMAX 12

typedef struct model {
  tsu_graph *g;         /* couplings and biases */
  tsu_coloring *col;    /* DSATUR colouring */
  double a[NMAX];       /* self-couplings */
  tsu_gauss gm;         /* the model */
} model;

static void random_model(uint32_t n, uint64_t seed, model *md)
{
  uint32_t ei[NMAX * NMAX], ej[NMAX * NMAX], m = 0;
  double w[NMAX * NMAX], h[NMAX], rowsum[NMAX] = {0};
  tk_rng r;
  tk_rng_init(&r, seed, 0);
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = i + 1; j < n; j++)
      if (tk_rng_uniform(&r) < 0.4) {
        ei[m] = i;
        ej[m] = j;
        w[m] = 0.6 * (2 * tk_rng_uniform(&r) - 1);
        rowsum[i] += fabs(w[m]);
        rowsum[j] += fabs(w[m]);
        m++;
      }
  for (uint32_t i = 0; i < n; i++) {
    h[i] = 2 * tk_rng_uniform(&r) - 1;
    md->a[i] = rowsum[i] + 0.35 + 0.9 * tk_rng_uniform(&r);
  }
  tk_err err = {0};
  if (tsu_graph_from_edges(n, m, ei, ej, w, h, &md->g, &err) != 0 ||
      tsu_coloring_build(md->g, &md->col, &err) != 0) {
    printf("# %s\n", tk_err_text(&err));
    exit(1);
  }
  md->gm = (tsu_gauss){md->g, md->a, 1.3};
}

/* Exact mean and covariance [n][n] via Cholesky; 0 if M is positive
 * definite. */
static int exact(const model *md, double *mu, double *sigma)
{
  uint32_t n = md->g->n;
  gsl_matrix *M = gsl_matrix_calloc(n, n);
  gsl_vector *h = gsl_vector_alloc(n), *x = gsl_vector_alloc(n);
  for (uint32_t i = 0; i < n; i++) {
    gsl_matrix_set(M, i, i, md->a[i]);
    gsl_vector_set(h, i, md->g->h[i]);
  }
  for (uint32_t e = 0; e < md->g->n_edges; e++) {
    gsl_matrix_set(M, md->g->ei[e], md->g->ej[e], -md->g->w[e]);
    gsl_matrix_set(M, md->g->ej[e], md->g->ei[e], -md->g->w[e]);
  }
  int rc = gsl_linalg_cholesky_decomp1(M);
  if (rc == 0)
    rc = gsl_linalg_cholesky_solve(M, h, x);
  if (rc == 0)
    rc = gsl_linalg_cholesky_invert(M);
  for (uint32_t i = 0; rc == 0 && i < n; i++) {
    mu[i] = gsl_vector_get(x, i);
    for (uint32_t j = 0; j < n; j++)
      sigma[i * n + j] = gsl_matrix_get(M, i, j) / md->gm.beta;
  }
  gsl_matrix_free(M);
  gsl_vector_free(h);
  gsl_vector_free(x);
  return rc;
}

static void check_exact(uint32_t n, uint64_t seed)
{
  model md = {0};
  random_model(n, seed, &md);
  uint32_t m = md.g->n_edges;
  double mu[NMAX], sigma[NMAX * NMAX];
  TKT_OK(exact(&md, mu, sigma) == 0, "n=%u: %u edges, %u colours, "
         "Cholesky of diag(a) - J succeeds", n, m, md.col->n_colors);

  const uint32_t C = 16;
  const size_t T = 30000, NB = 20;
  tk_err err = {0};
  tsu_gauss_chains *s = NULL;
  tsu_moments *mom = NULL;
  int rc = tsu_gauss_chains_alloc(&md.gm, md.col, C, seed, &s, &err);
  if (rc == 0)
    rc = tsu_gauss_chains_run(s, 300, 1, NULL, &err);
  if (rc == 0)
    rc = tsu_gauss_moments_alloc(md.g, C, T, NB, &mom, &err);
  double *hist = malloc(C * T * n * sizeof *hist);
  for (size_t t = 0; rc == 0 && t < T; t++) {
    rc = tsu_gauss_chains_run(s, 1, 1, mom, &err);
    const double *x = tsu_gauss_chains_states(s);
    for (uint32_t c = 0; c < C; c++)
      memcpy(hist + ((size_t)c * T + t) * n, x + (size_t)c * n,
             n * sizeof *x);
  }
  TKT_OK(rc == 0, "n=%u: %u chains x %zu sweeps ran (%s)", n, C, T,
         rc ? tk_err_text(&err) : "ok");

  /* observables: means, variances, edge covariances */
  uint32_t n_obs = 2 * n + m;
  double *x = malloc(C * T * sizeof *x);
  double worst = 0, hmean[NMAX], hprod[NMAX * NMAX];
  char what[200] = "";
  for (uint32_t o = 0; o < n_obs; o++) {
    uint32_t i, j;
    double ex;
    if (o < n) {
      i = j = o;
      ex = mu[i];
    } else if (o < 2 * n) {
      i = j = o - n;
      ex = sigma[i * n + i];
    } else {
      i = md.g->ei[o - 2 * n];
      j = md.g->ej[o - 2 * n];
      ex = sigma[i * n + j];
    }
    for (size_t k = 0; k < C * T; k++) {
      const double *y = hist + k * n;
      x[k] = o < n ? y[i] : (y[i] - mu[i]) * (y[j] - mu[j]);
    }
    double mean, tau;
    double se = tsu_mean_stderr(x, C, T, &mean, &tau);
    double zz = fabs(mean - ex) / (se > 1e-15 ? se : 1e-15);
    if (zz > worst) {
      worst = zz;
      snprintf(what, sizeof what, "%s (%u,%u): sampled %.5f exact %.5f "
               "se %.2g tau_int %.2f", o < n ? "mean" : o < 2 * n ? "var"
               : "cov", i, j, mean, ex, se, tau);
    }
    if (o < n)
      hmean[i] = mean;
    if (o >= 2 * n) {
      double p = 0;
      for (size_t k = 0; k < C * T; k++)
        p += hist[k * n + i] * hist[k * n + j];
      hprod[o - 2 * n] = p / (double)(C * T);
    }
  }
  TKT_OK(worst < NSIG, "n=%u: means, variances and edge covariances match "
         "the exact normal law (worst %.2f sigma of %u, limit %.1f)", n,
         worst, n_obs, NSIG);
  printf("# worst: %s\n", what);

  /* the accumulator against the history */
  double am[NMAX], ase[NMAX], ap[NMAX * NMAX], ape[NMAX * NMAX], dev = 0;
  tsu_moments_result(mom, am, ase, ap, ape);
  for (uint32_t i = 0; i < n; i++)
    dev = fmax(dev, fabs(am[i] - hmean[i]) / (fabs(hmean[i]) + 1));
  for (uint32_t e = 0; e < m; e++)
    dev = fmax(dev, fabs(ap[e] - hprod[e]) / (fabs(hprod[e]) + 1));
  TKT_OK(dev < 1e-9 && ase[0] > 0 && (m == 0 || ape[0] > 0),
         "n=%u: batch-means accumulator reproduces the history averages "
         "(max deviation %.2g)", n, dev);
  free(x);
  free(hist);
  tsu_moments_free(mom);
  tsu_gauss_chains_free(s);
  tsu_coloring_free(md.col);
  tsu_graph_free(md.g);
}

/* Same seed, 1 and 2 threads: states and moment sums bit-identical. */
static void check_threads(void)
{
  model md = {0};
  random_model(11, 0x7a11, &md);
  const uint32_t C = 37;
  const uint64_t T = 400;
  double *st[2] = {NULL, NULL}, *sums[2] = {NULL, NULL};
  size_t nx = (size_t)C * md.g->n, ns = 10 * ((size_t)md.g->n + md.g->n_edges);
  int rc = 0;
  for (int k = 0; k < 2; k++) {
    tk_err err = {0};
    tsu_gauss_chains *s = NULL;
    tsu_moments *mom = NULL;
    rc |= tsu_gauss_chains_alloc(&md.gm, md.col, C, 99, &s, &err);
    rc |= tsu_gauss_moments_alloc(md.g, C, T, 10, &mom, &err);
    rc |= tsu_gauss_chains_run(s, 50, k + 1, NULL, &err);
    rc |= tsu_gauss_chains_run(s, T, k + 1, mom, &err);
    st[k] = malloc(nx * sizeof(double));
    sums[k] = malloc(ns * sizeof(double));
    if (rc == 0) {
      memcpy(st[k], tsu_gauss_chains_states(s), nx * sizeof(double));
      memcpy(sums[k], mom->sum, ns * sizeof(double));
    }
    tsu_moments_free(mom);
    tsu_gauss_chains_free(s);
  }
  TKT_OK(rc == 0 && memcmp(st[0], st[1], nx * sizeof(double)) == 0 &&
         memcmp(sums[0], sums[1], ns * sizeof(double)) == 0,
         "1 and 2 threads: states and moment sums bit-identical (%u chains, "
         "%llu sweeps)", C, (unsigned long long)T);
  for (int k = 0; k < 2; k++) {
    free(st[k]);
    free(sums[k]);
  }
  tsu_coloring_free(md.col);
  tsu_graph_free(md.g);
}

static void check_bad_input(void)
{
  /* two nodes, J = 2 > a = 1: diag(a) - J is indefinite */
  uint32_t ei[1] = {0}, ej[1] = {1};
  double w[1] = {2.0}, h[2] = {0.3, -0.2}, a[2] = {1.0, 1.0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tk_err err = {0};
  tsu_graph_from_edges(2, 1, ei, ej, w, h, &g, &err);
  tsu_coloring_build(g, &col, &err);
  tsu_gauss gm = {g, a, 1.0};
  tsu_gauss_chains *s = NULL;
  int rc = tsu_gauss_chains_alloc(&gm, col, 4, 5, &s, &err);
  if (rc == 0)
    rc = tsu_gauss_chains_run(s, 100000, 1, NULL, &err);
  TKT_OK(rc == TK_ENUMERIC, "indefinite model diverges: TK_ENUMERIC after "
         "%llu sweeps (%s)", (unsigned long long)(s ? tsu_gauss_chains_sweeps(s) : 0),
         err.msg);
  tsu_gauss_chains_free(s);

  a[1] = 0;
  TKT_OK(tsu_gauss_check(&gm, &err) == TK_ERANGE, "a_i = 0 rejected (%s)",
         err.msg);
  a[1] = 1;
  gm.beta = 0;
  TKT_OK(tsu_gauss_check(&gm, &err) == TK_ERANGE, "beta = 0 rejected");
  gm.beta = 1;
  g->h[0] = NAN;
  TKT_OK(tsu_gauss_check(&gm, &err) == TK_EINVAL, "NaN bias rejected");
  g->h[0] = 0.3;
  double x[2] = {0.7, -1.9};
  double e = 0.5 * (0.7 * 0.7 + 1.9 * 1.9) - (0.3 * 0.7 + 0.2 * 1.9) -
             2.0 * 0.7 * -1.9;
  TKT_REL(tsu_gauss_energy(&gm, x), e, 1e-14, "energy matches the "
          "quadratic form by hand");
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

int main(void)
{
  gsl_set_error_handler_off();
  check_exact(9, 0x6a055);
  check_exact(12, 0x6a056);
  check_threads();
  check_bad_input();
  return tkt_done();
}
