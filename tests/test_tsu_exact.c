/* test_tsu_exact.c -- Gibbs kernels against exact Boltzmann enumeration.
 *
 * Random graphs of 12 and 16 spins (edge probability 0.35, J ~ U(-0.8,
 * 0.8), h ~ U(-0.4, 0.4), beta = 0.9, DSATUR colouring): every node mean
 * <s_i> and edge correlation <s_i s_j> sampled by the reference kernel
 * (16 chains) and the fast kernel (64 chains; every code path, each
 * forced: AVX-512, AVX2, portable; a path this CPU lacks is reported as
 * a TAP skip, a sampler that fails to build on a path the CPU has is a
 * failure) must match the exact value.  Null: each estimate is normal with sigma from
 * the integrated autocorrelation time (tsu_mean_stderr); threshold
 * 4.5 sigma on the worst of ~30-70 observables per run (false-alarm
 * probability < 5e-4 per run).  Also: cells with offset mismatch only
 * sample exactly the Boltzmann law with shifted biases h_i + b_i / a_i.
 * Seeds fixed: 0x5eed1, 0x5eed2.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "tests/tk_test.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_ref.h"
#include "tsu/tsu_stats.h"

#define NSIG 4.5

static tsu_graph *random_graph(uint32_t n, uint64_t seed)
{
  uint32_t ei[256], ej[256];
  double w[256], h[32];
  uint32_t m = 0;
  tk_rng r;
  tk_rng_init(&r, seed, 0);
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = i + 1; j < n; j++)
      if (tk_rng_uniform(&r) < 0.35) {
        ei[m] = i;
        ej[m] = j;
        w[m++] = 0.8 * (2 * tk_rng_uniform(&r) - 1);
      }
  for (uint32_t i = 0; i < n; i++)
    h[i] = 0.4 * (2 * tk_rng_uniform(&r) - 1);
  tsu_graph *g = NULL;
  tk_err err = {0};
  if (tsu_graph_from_edges(n, m, ei, ej, w, h, &g, &err) != 0) {
    printf("# %s\n", tk_err_text(&err));
    exit(1);
  }
  return g;
}

/* Exact <s_i> and <s_i s_j> at inverse temperature beta, biases h_eff. */
static void exact(const tsu_graph *g, double beta, const double *h_eff,
                  double *mean, double *corr)
{
  uint32_t n = g->n;
  double z = 0;
  memset(mean, 0, n * sizeof *mean);
  memset(corr, 0, g->n_edges * sizeof *corr);
  double e_min = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t st = 0; st < (1u << n); st++) {
      double e = 0;
      for (uint32_t i = 0; i < n; i++)
        e -= h_eff[i] * (((st >> i) & 1) ? 1 : -1);
      for (uint32_t k = 0; k < g->n_edges; k++) {
        int si = ((st >> g->ei[k]) & 1) ? 1 : -1;
        int sj = ((st >> g->ej[k]) & 1) ? 1 : -1;
        e -= g->w[k] * si * sj;
      }
      if (pass == 0) {
        if (e < e_min)
          e_min = e;
        continue;
      }
      double p = exp(-beta * (e - e_min));
      z += p;
      for (uint32_t i = 0; i < n; i++)
        mean[i] += p * (((st >> i) & 1) ? 1 : -1);
      for (uint32_t k = 0; k < g->n_edges; k++) {
        int si = ((st >> g->ei[k]) & 1) ? 1 : -1;
        int sj = ((st >> g->ej[k]) & 1) ? 1 : -1;
        corr[k] += p * si * sj;
      }
    }
  }
  for (uint32_t i = 0; i < n; i++)
    mean[i] /= z;
  for (uint32_t k = 0; k < g->n_edges; k++)
    corr[k] /= z;
}

/* spins[c][t][i] of C chains, N sweeps -> worst |z| over observables. */
static double worst_z(const tsu_graph *g, const int8_t *spins, size_t C,
                      size_t N, const double *mean, const double *corr,
                      char *what, size_t what_len)
{
  uint32_t n = g->n;
  double *x = malloc(C * N * sizeof *x);
  double worst = 0;
  for (uint32_t o = 0; o < n + g->n_edges; o++) {
    for (size_t c = 0; c < C; c++)
      for (size_t t = 0; t < N; t++) {
        const int8_t *s = spins + (c * N + t) * n;
        x[c * N + t] = o < n ? s[o] : s[g->ei[o - n]] * s[g->ej[o - n]];
      }
    double m, tau;
    double se = tsu_mean_stderr(x, C, N, &m, &tau);
    double ex = o < n ? mean[o] : corr[o - n];
    double zz = fabs(m - ex) / (se > 1e-12 ? se : 1e-12);
    if (zz > worst) {
      worst = zz;
      snprintf(what, what_len, "%s %u: sampled %.5f exact %.5f se %.2g "
               "tau_int %.2f", o < n ? "mean" : "corr", o < n ? o : o - n,
               m, ex, se, tau);
    }
  }
  free(x);
  return worst;
}

static void run_ref(const tsu_graph *g, const tsu_coloring *col,
                    const tsu_cells *cells, const double *mean,
                    const double *corr, const char *label)
{
  const size_t C = 16, N = 20000, burn = 200;
  int8_t *spins = malloc(C * N * g->n);
  for (size_t c = 0; c < C; c++) {
    tk_rng r;
    tk_rng_init(&r, 0x5eed2, c);
    int8_t s[32];
    tsu_ref_init(g->n, &r, s);
    for (size_t t = 0; t < burn; t++)
      tsu_ref_sweep(g, col, cells, &r, s);
    for (size_t t = 0; t < N; t++) {
      tsu_ref_sweep(g, col, cells, &r, s);
      memcpy(spins + (c * N + t) * g->n, s, g->n);
    }
  }
  char what[256] = "";
  double z = worst_z(g, spins, C, N, mean, corr, what, sizeof what);
  TKT_OK(z < NSIG, "%s: reference kernel matches exact Boltzmann (worst "
         "%.2f sigma, limit %.1f)", label, z, NSIG);
  printf("# worst: %s\n", what);
  free(spins);
}

static void run_fast(const tsu_graph *g, const tsu_coloring *col,
                     const tsu_cells *cells, int path, const double *mean,
                     const double *corr, const char *label)
{
  const size_t C = 64, N = 20000;
  tsu_sampler *s = NULL;
  tk_err err = {0};
  if (!tsu_fast_path_supported(path)) {
    TKT_OK(1, "%s: fast kernel path %d # SKIP not supported by this CPU",
           label, path);
    return;
  }
  if (tsu_sampler_alloc(g, col, cells, C, 0x5eed2, path, &s, &err) != 0) {
    TKT_OK(0, "%s: fast kernel path %d: sampler not built: %s", label, path,
           tk_err_text(&err));
    return;
  }
  tsu_sampler_run(s, 200, 1);
  int8_t *spins = malloc(C * N * g->n);
  for (size_t t = 0; t < N; t++) {
    tsu_sampler_run(s, 1, 1);
    const uint64_t *b = tsu_sampler_bits(s, NULL);
    for (size_t c = 0; c < C; c++)
      for (uint32_t i = 0; i < g->n; i++)
        spins[(c * N + t) * g->n + i] = ((b[i] >> c) & 1) ? 1 : -1;
  }
  char what[256] = "";
  double z = worst_z(g, spins, C, N, mean, corr, what, sizeof what);
  TKT_OK(z < NSIG, "%s: fast kernel (%s) matches exact Boltzmann (worst "
         "%.2f sigma, limit %.1f)", label, tsu_sampler_path_name(s), z, NSIG);
  printf("# worst: %s\n", what);
  free(spins);
  tsu_sampler_free(s);
}

static void one_graph(uint32_t n, uint64_t seed)
{
  const double beta = 0.9;
  char label[64];
  snprintf(label, sizeof label, "%u spins", n);
  tsu_graph *g = random_graph(n, seed);
  tsu_coloring *col = NULL;
  tk_err err = {0};
  int rc = tsu_coloring_build(g, &col, &err);
  TKT_OK(rc == 0, "%s: %u edges coloured (%u colours)", label, g->n_edges,
         rc == 0 ? col->n_colors : 0);
  double mean[32], corr[256];
  exact(g, beta, g->h, mean, corr);
  tsu_cell_params cp = tsu_cell_ideal_params(beta);
  tsu_cells *cells = NULL;
  tsu_cells_build(&cp, g->n, &cells, &err);
  run_ref(g, col, cells, mean, corr, label);
  /* every code path (run_fast skips those this CPU lacks) */
  const int paths[3] = {TSU_PATH_AVX512, TSU_PATH_AVX2, TSU_PATH_PORTABLE};
  for (int k = 0; k < 3; k++)
    run_fast(g, col, cells, paths[k], mean, corr, label);
  tsu_cells_free(cells);

  /* Offset mismatch only: still Boltzmann, with h_i + b_i / a_i. */
  cp.v0_sigma_V = 0.3;   /* in units of vs = 1 V: logit offsets ~0.3 */
  cp.chip_seed = 0xc41b;
  tsu_cells_build(&cp, g->n, &cells, &err);
  double h_eff[32];
  for (uint32_t i = 0; i < n; i++)
    h_eff[i] = g->h[i] + cells->b[i] / cells->a[i];
  exact(g, beta, h_eff, mean, corr);
  snprintf(label, sizeof label, "%u spins, offset mismatch", n);
  run_ref(g, col, cells, mean, corr, label);
  for (int k = 0; k < 3; k++)
    run_fast(g, col, cells, paths[k], mean, corr, label);
  tsu_cells_free(cells);
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

int main(void)
{
  one_graph(12, 0x5eed1);
  one_graph(16, 0x5eed3);
  return tkt_done();
}
