/* test_tsu_fastgauss.c -- the fast Gaussian-node sampler on every path.
 *
 * 1. Conditionals: on a random 9-node graph (edge probability 0.4,
 *    J ~ U(-0.6, 0.6), h ~ U(-1, 1), a_i = sum_j |J_ij| + U(0.35, 1.25),
 *    beta = 1.3), 200 random (node, neighbour values x ~ U(-3, 3)): the
 *    kernel's fp32 conditional mean vs (h + sum J x)/a in double within
 *    (degree + 3) 2^-23 of (|h| + sum |J x|)/a; its sd vs 1/sqrt(beta a)
 *    within 2^-23 relative.  Normals (test_normals states the
 *    thresholds): the kernel's six normals per Philox block vs the same
 *    definition in double, moments to 4th order, per-slot moments and
 *    slot correlations, a Kolmogorov-Smirnov test; every path gives the
 *    same bits.
 * 2. Analytic covariance: that graph and a 10-node chain (path graph,
 *    J ~ U(-0.6, 0.6), same h, a, beta); exact mu = M^-1 h, Sigma =
 *    M^-1 / beta, M = diag(a) - J.  32 chains x 8000 sweeps after 300
 *    burn-in on each path: every mean, variance (centred on the exact
 *    mean) and edge covariance.  Null: each estimate normal with sigma
 *    from the integrated autocorrelation time (tsu_mean_stderr); 4.5
 *    sigma on the worst of ~30-40 observables (false-alarm probability
 *    < 3e-4 per graph and path).
 * 3. Reproducibility: paths x 1/2 threads bit-identical (40 chains);
 *    the stated random-number definition end to end (test_definition).
 * A model that is not positive definite fails with TK_ENUMERIC.  Seeds
 * fixed (0x6a055 model, 0xfa58 chains).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "tests/tk_test.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fastgauss.h"
#include "tsu/tsu_fastnode_impl.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_stats.h"

#define NMAX 10

static const int paths[3] = {TSU_PATH_PORTABLE, TSU_PATH_AVX2,
                             TSU_PATH_AVX512};
static const char *const path_names[3] = {"portable", "avx2", "avx512"};

typedef struct model {
  tsu_graph *g;
  tsu_coloring *col;
  double h[NMAX], a[NMAX];
  tsu_gauss gm;
} model;

/* Random graph (chain = 0) or path graph (chain = 1) of n nodes. */
static void make_model(model *md, uint32_t n, int chain, uint64_t stream)
{
  uint32_t ei[64], ej[64], m = 0;
  double w[64];
  tk_rng r;
  tk_rng_init(&r, 0x6a055, stream);
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = i + 1; j < n; j++)
      if (chain ? j == i + 1 : tk_rng_uniform(&r) < 0.4) {
        ei[m] = i;
        ej[m] = j;
        w[m++] = 1.2 * tk_rng_uniform(&r) - 0.6;
      }
  for (uint32_t i = 0; i < n; i++)
    md->h[i] = 2 * tk_rng_uniform(&r) - 1;
  tk_err err = {0};
  tsu_graph_from_edges(n, m, ei, ej, w, md->h, &md->g, &err);
  tsu_coloring_build(md->g, &md->col, &err);
  tsu_gauss_diag_dominant(md->g, 0.0, md->a);
  for (uint32_t i = 0; i < n; i++)
    md->a[i] += 0.35 + 0.9 * tk_rng_uniform(&r);
  md->gm = (tsu_gauss){md->g, md->a, 1.3};
}

/* inv = M^-1 by Gauss-Jordan with partial pivoting (n <= NMAX). */
static void invert(uint32_t n, double m[NMAX][NMAX], double inv[NMAX][NMAX])
{
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = 0; j < n; j++)
      inv[i][j] = i == j;
  for (uint32_t c = 0; c < n; c++) {
    uint32_t piv = c;
    for (uint32_t r = c + 1; r < n; r++)
      if (fabs(m[r][c]) > fabs(m[piv][c]))
        piv = r;
    for (uint32_t j = 0; j < n; j++) {
      double t = m[c][j]; m[c][j] = m[piv][j]; m[piv][j] = t;
      t = inv[c][j]; inv[c][j] = inv[piv][j]; inv[piv][j] = t;
    }
    double d = m[c][c];
    for (uint32_t j = 0; j < n; j++) {
      m[c][j] /= d;
      inv[c][j] /= d;
    }
    for (uint32_t r = 0; r < n; r++)
      if (r != c) {
        double f = m[r][c];
        for (uint32_t j = 0; j < n; j++) {
          m[r][j] -= f * m[c][j];
          inv[r][j] -= f * inv[c][j];
        }
      }
  }
}

/* The kernel's normals of one Philox block in double (tsu_fastgauss.h):
 * three Box-Muller pairs of a 22-bit radius word k and a 20-bit angle
 * word c, with exact log, cos and sin. */
static void pair_double(uint32_t k, uint32_t c, double z[2])
{
  double u = (2.0 * k + 1) / 8388608.0;
  double r = sqrt(-2 * log(u));
  double f = c & 0x3FFFF;
  double phi = ((2 * f + 1) / 262144.0 - 1) * M_PI / 4;
  double th = (c >> 18) * M_PI / 2 + phi;
  z[0] = r * cos(th);
  z[1] = r * sin(th);
}

static void normal6_double(const uint32_t w[4], double z[6])
{
  pair_double(w[0] >> 10, w[1] >> 12, z);
  pair_double(w[2] >> 10, w[3] >> 12, z + 2);
  pair_double(((w[0] & 0x3FFu) << 12) | (w[1] & 0xFFFu),
              ((w[2] & 0x3FFu) << 10) | (w[3] & 0x3FFu), z + 4);
}

static int cmp_double(const void *pa, const void *pb)
{
  double a = *(const double *)pa, b = *(const double *)pb;
  return (a > b) - (a < b);
}

/* The normals of the kernel (portable path as the reference, every other
 * path the same bits): 2^13 x 16 random Philox-like blocks (words from
 * tk_rng), 6 normals each, N = 786432.
 *   fp32 vs double (the same words): max |dz| < 1e-6 (log polynomial
 *   relative error 1.8e-7, sin/cos 2.3e-9, plus fp32 roundings of
 *   ln u ~ -16 and r ~ 5.6: about one ulp of 5.6 = 4.8e-7; observed
 *   4.2e-7).
 *   Moments of all N: mean (sigma sqrt(1/N)), variance (sqrt(2/N)), 3rd
 *   moment (sqrt(15/N)), 4th (sqrt(96/N)), each within 4.5 sigma.
 *   Each of the 6 slots: mean and variance within 4.5 sigma (N/6); the
 *   15 slot pairs uncorrelated: mean of z_i z_j within 4.5 sigma of 0
 *   (sigma sqrt(6/N)).
 *   Kolmogorov-Smirnov of all N against Phi: sqrt(N) D < 1.95
 *   (false-alarm probability 1e-3; the cut |z| <= 5.647 moves the CDF by
 *   < 2e-8 and the 2^-23 radius grid by < 1e-6, both far below the
 *   1.95 / sqrt(N) = 2.2e-3 threshold). */
static void test_normals(tk_rng *r, int *same)
{
  enum { K = 1 << 13, N = K * 16 * 6 };
  double *all = malloc(N * sizeof *all);
  if (all == NULL) {
    TKT_OK(0, "out of memory");
    return;
  }
  double s1 = 0, s2 = 0, s3 = 0, s4 = 0, dz = 0;
  double slot1[6] = {0}, slot2[6] = {0}, cross[6][6] = {{0}};
  size_t nall = 0;
  for (size_t k = 0; k < K; k++) {
    uint32_t w[4][16];
    float z[3][6][16];
    for (int q = 0; q < 4; q++)
      for (int l = 0; l < 16; l++)
        w[q][l] = tk_rng_u32(r);
    for (int q = 0; q < 3; q++) {
      const tsu__fn_path *fp = tsu__fn_path_get(paths[q]);
      if (fp == NULL)
        continue;
      fp->gauss_normal(&w[0][0], &z[q][0][0]);
      if (q > 0 && memcmp(z[q], z[0], sizeof z[0]) != 0)
        *same = 0;
    }
    for (int l = 0; l < 16; l++) {
      uint32_t wl[4] = {w[0][l], w[1][l], w[2][l], w[3][l]};
      double zd[6];
      normal6_double(wl, zd);
      for (int j = 0; j < 6; j++) {
        double v = z[0][j][l];
        dz = fmax(dz, fabs(v - zd[j]));
        s1 += v;
        s2 += v * v;
        s3 += v * v * v;
        s4 += v * v * v * v;
        slot1[j] += v;
        slot2[j] += v * v;
        for (int i = 0; i < j; i++)
          cross[i][j] += v * z[0][i][l];
        all[nall++] = v;
      }
    }
  }
  TKT_OK(dz < 1e-6, "normals in fp32 vs double: max |dz| %.3g < 1e-6", dz);
  TKT_SIGMA(s1 / N, 0.0, sqrt(1.0 / N), 4.5, "mean of the normals");
  TKT_SIGMA(s2 / N, 1.0, sqrt(2.0 / N), 4.5, "variance of the normals");
  TKT_SIGMA(s3 / N, 0.0, sqrt(15.0 / N), 4.5, "3rd moment of the normals");
  TKT_SIGMA(s4 / N, 3.0, sqrt(96.0 / N), 4.5, "4th moment of the normals");
  const double ns = N / 6.0;
  for (int j = 0; j < 6; j++) {
    char what[64];
    snprintf(what, sizeof what, "mean of slot %d", j);
    TKT_SIGMA(slot1[j] / ns, 0.0, sqrt(1.0 / ns), 4.5, what);
    snprintf(what, sizeof what, "variance of slot %d", j);
    TKT_SIGMA(slot2[j] / ns, 1.0, sqrt(2.0 / ns), 4.5, what);
    for (int i = 0; i < j; i++) {
      snprintf(what, sizeof what, "correlation of slots %d and %d", i, j);
      TKT_SIGMA(cross[i][j] / ns, 0.0, sqrt(1.0 / ns), 4.5, what);
    }
  }
  qsort(all, N, sizeof *all, cmp_double);
  double D = 0;
  for (size_t i = 0; i < N; i++) {
    double F = 0.5 * erfc(-all[i] / M_SQRT2);
    double lo = F - (double)i / N, hi = (double)(i + 1) / N - F;
    D = fmax(D, fmax(lo, hi));
  }
  TKT_OK(sqrt((double)N) * D < 1.95, "Kolmogorov-Smirnov: sqrt(N) D = %.3f "
         "< 1.95 (N = %d)", sqrt((double)N) * D, N);
  free(all);
}

/* The stated random-number definition end to end (tsu_fastgauss.h):
 * 11 uncoupled nodes with h = 0, a = 1, beta = 1, so one sweep sets
 * x = z exactly; chain c at position p of sweep 0 must hold normal
 * (p - P) of the Philox4x32-7 block of key seed, counter (c, P,
 * 2^61 + 0), P = 6 floor(p / 6), through the kernel's transform; every
 * path, 32 chains (two lane groups). */
static void test_definition(void)
{
  enum { N = 11, C = 32 };
  double h[N] = {0}, a[N];
  for (int i = 0; i < N; i++)
    a[i] = 1.0;
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  const uint64_t seed = 0x5eed0f6a55ull;
  int ok = tsu_graph_from_edges(N, 0, NULL, NULL, NULL, h, &g, &err) == 0 &&
           tsu_coloring_build(g, &col, &err) == 0;
  TKT_OK(ok, "edgeless graph: %s", err.msg);
  if (!ok)
    return;
  tsu_gauss gm = {g, a, 1.0};
  uint32_t mism = 0, checked = 0;
  for (int q = 0; q < 3; q++) {
    tsu_fastgauss *s = NULL;
    if (tsu__fn_path_get(paths[q]) == NULL)
      continue;
    if (tsu_fastgauss_alloc(&gm, col, C, seed, paths[q], &s, &err) != 0 ||
        tsu_fastgauss_run(s, 1, 1, NULL, &err) != 0) {
      TKT_OK(0, "%s: %s", path_names[q], err.msg);
      tsu_fastgauss_free(s);
      continue;
    }
    const tsu__fgplan *pl = tsu__fastgauss_plan(s);
    const tsu__fn_path *fp = tsu__fn_path_get(TSU_PATH_PORTABLE);
    for (uint32_t p = 0; p < pl->n; p++) {
      uint32_t P = p - (p - pl->start[0]) % 6, w[4][16];
      float z[6][16];
      for (uint32_t cg = 0; cg < C; cg += 16) {
        for (uint32_t l = 0; l < 16; l++) {
          uint32_t ctr[4] = {cg + l, P, 0, 2u << 28}, key[2] = {
              (uint32_t)seed, (uint32_t)(seed >> 32)}, out[4];
          tk_philox4x32_7(ctr, key, out);
          for (int k = 0; k < 4; k++)
            w[k][l] = out[k];
        }
        fp->gauss_normal(&w[0][0], &z[0][0]);
        for (uint32_t l = 0; l < 16; l++) {
          float got = tsu_fastgauss_state(s, cg + l, pl->node[p]);
          mism += memcmp(&got, &z[p - P][l], sizeof got) != 0;
          checked++;
        }
      }
    }
    tsu_fastgauss_free(s);
  }
  TKT_OK(checked > 0 && mism == 0, "one sweep of uncoupled unit nodes is "
         "the stated Philox4x32-7 definition (%u of %u states differ)",
         mism, checked);
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

static void test_conditionals(const model *md)
{
  tk_err err = {0};
  tsu_fastgauss *s = NULL;
  if (tsu_fastgauss_alloc(&md->gm, md->col, 16, 1, TSU_PATH_PORTABLE, &s,
                          &err) != 0) {
    TKT_OK(0, "alloc: %s", err.msg);
    return;
  }
  const tsu__fgplan *pl = tsu__fastgauss_plan(s);
  tk_rng r;
  tk_rng_init(&r, 0x6a055, 99);
  double worst_mean = 0, worst_sd = 0;
  int same = 1;
  for (int trial = 0; trial < 200; trial++) {
    uint32_t pos = (uint32_t)tk_rng_below(&r, pl->n);
    uint32_t i = pl->node[pos];
    float xnb[NMAX];
    double ex = md->h[i], scale = fabs(md->h[i]);
    uint32_t deg = pl->off[pos + 1] - pl->off[pos];
    for (uint32_t a = pl->off[pos], b = md->g->off[i]; a < pl->off[pos + 1];
         a++, b++) {
      xnb[a - pl->off[pos]] = (float)(6 * tk_rng_uniform(&r) - 3);
      ex += md->g->adj_w[b] * xnb[a - pl->off[pos]];
      scale += fabs(md->g->adj_w[b] * xnb[a - pl->off[pos]]);
    }
    ex /= md->a[i];
    scale /= md->a[i];
    float got[3];
    for (int q = 0; q < 3; q++) {
      const tsu__fn_path *fp = tsu__fn_path_get(paths[q]);
      got[q] = fp != NULL ? fp->gauss_mean(pl, pos, xnb) : got[0];
      if (memcmp(&got[q], &got[0], sizeof got[0]) != 0)
        same = 0;
    }
    double e = fabs(got[0] - ex) / (scale * (deg + 3) * ldexp(1, -23));
    worst_mean = e > worst_mean ? e : worst_mean;
    double sd = 1 / sqrt(md->gm.beta * md->a[i]);
    e = fabs(pl->sd[pos] - sd) / (sd * ldexp(1, -23));
    worst_sd = e > worst_sd ? e : worst_sd;
  }
  TKT_OK(worst_mean <= 1, "conditional mean within (degree+3) 2^-23 of the "
         "scale (worst %.3f of the bound)", worst_mean);
  TKT_OK(worst_sd <= 1, "conditional sd within 2^-23 relative (worst %.3f "
         "of the bound)", worst_sd);
  /* normals */
  test_normals(&r, &same);
  TKT_OK(same, "every path computes the same means and normals");
  tsu_fastgauss_free(s);
}

static void test_exact(const model *md, const char *name)
{
  uint32_t n = md->g->n, m = md->g->n_edges;
  double M[NMAX][NMAX] = {{0}}, inv[NMAX][NMAX], mu[NMAX] = {0};
  for (uint32_t i = 0; i < n; i++)
    M[i][i] = md->a[i];
  for (uint32_t e = 0; e < m; e++) {
    M[md->g->ei[e]][md->g->ej[e]] -= md->g->w[e];
    M[md->g->ej[e]][md->g->ei[e]] -= md->g->w[e];
  }
  invert(n, M, inv);
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = 0; j < n; j++)
      mu[i] += inv[i][j] * md->h[j];
  const uint32_t C = 32;
  const size_t T = 8000;
  double *hist = malloc((size_t)C * T * n * sizeof *hist);
  double *row = malloc((size_t)C * n * sizeof *row);
  double *x = malloc((size_t)C * T * sizeof *x);
  for (int q = 0; q < 3; q++) {
    if (!tsu_fast_path_supported(paths[q]))
      continue;
    tk_err err = {0};
    tsu_fastgauss *s = NULL;
    int rc = tsu_fastgauss_alloc(&md->gm, md->col, C, 0xfa58, paths[q], &s,
                                 &err);
    if (rc == 0)
      rc = tsu_fastgauss_run(s, 300, 1, NULL, &err);
    for (size_t t = 0; rc == 0 && t < T; t++) {
      rc = tsu_fastgauss_run(s, 1, 1, NULL, &err);
      tsu_fastgauss_states(s, row);
      for (uint32_t c = 0; c < C; c++)
        memcpy(hist + ((size_t)c * T + t) * n, row + (size_t)c * n,
               n * sizeof *row);
    }
    tsu_fastgauss_free(s);
    if (rc != 0) {
      TKT_OK(0, "%s %s: %s", name, path_names[q], err.msg);
      continue;
    }
    double worst = 0;
    char what[200] = "";
    for (uint32_t o = 0; o < 2 * n + m; o++) {
      double ex;
      for (size_t k = 0; k < (size_t)C * T; k++) {
        const double *y = hist + k * n;
        if (o < n)
          x[k] = y[o];
        else if (o < 2 * n)
          x[k] = (y[o - n] - mu[o - n]) * (y[o - n] - mu[o - n]);
        else {
          uint32_t i = md->g->ei[o - 2 * n], j = md->g->ej[o - 2 * n];
          x[k] = (y[i] - mu[i]) * (y[j] - mu[j]);
        }
      }
      if (o < n)
        ex = mu[o];
      else if (o < 2 * n)
        ex = inv[o - n][o - n] / md->gm.beta;
      else
        ex = inv[md->g->ei[o - 2 * n]][md->g->ej[o - 2 * n]] / md->gm.beta;
      double mean, tau;
      double se = tsu_mean_stderr(x, C, T, &mean, &tau);
      double zz = fabs(mean - ex) / (se > 1e-12 ? se : 1e-12);
      if (zz > worst) {
        worst = zz;
        snprintf(what, sizeof what, "obs %u: sampled %.5f exact %.5f se "
                 "%.2g tau %.2f", o, mean, ex, se, tau);
      }
    }
    TKT_OK(worst < 4.5, "%s %s: means, variances and edge covariances match "
           "the analytic law (worst %.2f sigma, limit 4.5)", name,
           path_names[q], worst);
    printf("# worst: %s\n", what);
  }
  free(hist);
  free(row);
  free(x);
}

static void test_repro(const model *md)
{
  const uint32_t C = 40;
  uint32_t n = md->g->n;
  double *ref = malloc((size_t)C * n * sizeof *ref);
  double *got = malloc((size_t)C * n * sizeof *got);
  int have = 0, all = 1;
  for (int q = 0; q < 3; q++)
    for (int nt = 1; nt <= 2; nt++) {
      if (!tsu_fast_path_supported(paths[q]))
        continue;
      tk_err err = {0};
      tsu_fastgauss *s = NULL;
      if (tsu_fastgauss_alloc(&md->gm, md->col, C, 0xfa58, paths[q], &s,
                              &err) != 0 ||
          tsu_fastgauss_run(s, 300, nt, NULL, &err) != 0) {
        TKT_OK(0, "%s: %s", path_names[q], err.msg);
        tsu_fastgauss_free(s);
        continue;
      }
      tsu_fastgauss_states(s, got);
      if (!have) {
        memcpy(ref, got, (size_t)C * n * sizeof *ref);
        have = 1;
      } else if (memcmp(ref, got, (size_t)C * n * sizeof *ref) != 0) {
        all = 0;
        printf("# %s with %d threads differs\n", path_names[q], nt);
      }
      tsu_fastgauss_free(s);
    }
  TKT_OK(have && all, "states bit-identical across paths and 1/2 threads");
  free(ref);
  free(got);
}

/* MPI split: 32 chains with group offset 3 are chains 48..79 of an
 * 80-chain run, bit for bit (start and sweeps). */
static void test_offset(const model *md)
{
  tk_err err = {0};
  tsu_fastgauss *all = NULL, *part = NULL;
  int ok = tsu_fastgauss_alloc(&md->gm, md->col, 80, 0x0ff6, TSU_PATH_AUTO,
                               &all, &err) == 0 &&
           tsu_fastgauss_alloc(&md->gm, md->col, 32, 0x0ff6, TSU_PATH_AUTO,
                               &part, &err) == 0 &&
           tsu_fastgauss_set_group_offset(part, 3, &err) == 0 &&
           tsu_fastgauss_run(all, 57, 1, NULL, &err) == 0 &&
           tsu_fastgauss_run(part, 57, 1, NULL, &err) == 0;
  uint32_t diff = 0;
  for (uint32_t c = 0; ok && c < 32; c++)
    for (uint32_t i = 0; i < md->g->n; i++)
      diff += tsu_fastgauss_state(part, c, i) !=
              tsu_fastgauss_state(all, 48 + c, i);
  TKT_OK(ok && diff == 0, "group offset 3: chains 0..31 are chains 48..79 "
         "of one run (%u states differ) %s", diff, ok ? "" : err.msg);
  TKT_OK(part != NULL && tsu_fastgauss_set_group_offset(
                             part, 0x0FFFFFFFu, &err) == TK_ERANGE,
         "an offset past 2^32 chains rejected: %s", err.msg);
  tsu_fastgauss_free(all);
  tsu_fastgauss_free(part);
}

int main(void)
{
  model g9, ch;
  memset(&g9, 0, sizeof g9);
  memset(&ch, 0, sizeof ch);
  make_model(&g9, 9, 0, 0);
  make_model(&ch, 10, 1, 1);
  for (int q = 0; q < 3; q++)
    printf("# path %s: %s\n", path_names[q],
           tsu_fast_path_supported(paths[q]) ? "tested" : "not supported");
  test_conditionals(&g9);
  test_definition();
  test_exact(&g9, "random 9-node graph");
  test_exact(&ch, "10-node chain");
  test_repro(&g9);
  test_offset(&g9);

  /* not positive definite: a_i far below sum |J| */
  double a_bad[NMAX];
  for (uint32_t i = 0; i < g9.g->n; i++)
    a_bad[i] = 0.05;
  tsu_gauss bad = {g9.g, a_bad, 1.3};
  tk_err err = {0};
  tsu_fastgauss *s = NULL;
  int rc = tsu_fastgauss_alloc(&bad, g9.col, 16, 1, TSU_PATH_AUTO, &s, &err);
  if (rc == 0)
    rc = tsu_fastgauss_run(s, 5000, 1, NULL, &err);
  TKT_OK(rc == TK_ENUMERIC, "a model that is not positive definite "
         "diverges with TK_ENUMERIC: %s", err.msg);
  tsu_fastgauss_free(s);
  a_bad[0] = -1;
  TKT_OK(tsu_fastgauss_alloc(&bad, g9.col, 16, 1, TSU_PATH_AUTO, &s, &err) ==
         TK_ERANGE, "a_i < 0 rejected: %s", err.msg);
  tsu_coloring_free(g9.col);
  tsu_graph_free(g9.g);
  tsu_coloring_free(ch.col);
  tsu_graph_free(ch.g);
  return tkt_done();
}
