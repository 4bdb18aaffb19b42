/* test_tsu_fast.c -- fast sampler: reproducibility, cell limits, memory.
 *
 *  - Same seed, same samples: G12 torus L=30, 128 chains, 30 sweeps with 1
 *    and 2 threads give bit-identical states (ideal and memory cells).
 *  - Perfect-cell limit: cells with tau -> 0 and no mismatch have a_i =
 *    2 beta, b_i = 0, e_i = 0 and sample bit-identically to ideal cells.
 *  - Mismatch: offsets b_i have the drawn spread (chi-square-free check:
 *    sample std of 900 draws within 5 % of v0_sigma / vs; the std
 *    estimate has sigma ~ 2.4 %, so this is a 2-sigma sanity bound on a
 *    fixed draw, not a statistical test).
 *  - Finite correlation time: isolated cells with tau/dt = 5 form the
 *    two-state Markov chain of tsu_cell.h, whose integrated
 *    autocorrelation time is (1 + e) / (2 (1 - e)), e = exp(-dt/tau);
 *    measured within 4.5 sigma (Sokal: var(tau) ~ 2 (2W+1) tau^2 / N).
 *    On a coupled G12 grid the chain visibly slows (tau_int of the
 *    magnetisation larger than with ideal cells).
 * Seeds fixed (0xfa57, 0xc41b).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tk_test.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_stats.h"

static void threads_identical(const tsu_graph *g, const tsu_coloring *col,
                              const tsu_cells *cells, const char *what)
{
  tsu_sampler *a = NULL, *b = NULL;
  tk_err err = {0};
  tsu_sampler_alloc(g, col, cells, 128, 0xfa57, TSU_PATH_AUTO, &a, &err);
  tsu_sampler_alloc(g, col, cells, 128, 0xfa57, TSU_PATH_AUTO, &b, &err);
  tsu_sampler_run(a, 30, 1);
  tsu_sampler_run(b, 17, 2);   /* also: split runs continue the stream */
  tsu_sampler_run(b, 13, 2);
  uint32_t ng = 0;
  const uint64_t *ba = tsu_sampler_bits(a, &ng);
  const uint64_t *bb = tsu_sampler_bits(b, NULL);
  TKT_OK(memcmp(ba, bb, (size_t)g->n * ng * 8) == 0,
         "%s: 1 thread and 2 threads give bit-identical states (%s)", what,
         tsu_sampler_path_name(a));
  tsu_sampler_free(a);
  tsu_sampler_free(b);
}

/* Magnetisation series m[c * n_sweeps + t] of the first n_ch chains. */
static double *magnetisation(tsu_sampler *s, uint32_t n, uint32_t n_ch,
                             size_t n_sweeps)
{
  double *m = malloc(n_ch * n_sweeps * sizeof *m);
  for (size_t t = 0; t < n_sweeps; t++) {
    tsu_sampler_run(s, 1, 1);
    uint32_t ng;
    const uint64_t *b = tsu_sampler_bits(s, &ng);
    for (uint32_t c = 0; c < n_ch; c++) {
      long sum = 0;
      for (uint32_t i = 0; i < n; i++)
        sum += ((b[(size_t)i * ng + c / 64] >> (c % 64)) & 1) ? 1 : -1;
      m[c * n_sweeps + t] = (double)sum / n;
    }
  }
  return m;
}

int main(void)
{
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_graph_grid(30, 3, 1, &g, &err);
  tsu_graph_random_model(g, 0xfa57, 1.0, 0.1);
  tsu_coloring_build(g, &col, &err);

  tsu_cell_params ideal = tsu_cell_ideal_params(0.4);
  tsu_cells *ci = NULL;
  tsu_cells_build(&ideal, g->n, &ci, &err);
  threads_identical(g, col, ci, "ideal cells");

  tsu_cell_params mem = ideal;
  mem.tau_s = 3e-6;
  mem.dt_s = 1e-6;
  mem.v0_sigma_V = 0.2;
  mem.chip_seed = 0xc41b;
  tsu_cells *cm = NULL;
  tsu_cells_build(&mem, g->n, &cm, &err);
  threads_identical(g, col, cm, "cells with memory and mismatch");
  /* the same for every other path the CPU has */
  {
    const int paths[2] = {TSU_PATH_AVX2, TSU_PATH_PORTABLE};
    for (int k = 0; k < 2; k++) {
      if (!tsu_fast_path_supported(paths[k]) || paths[k] == tsu_fast_best_path())
        continue;
      tsu_sampler *a = NULL, *b = NULL;
      tsu_sampler_alloc(g, col, cm, 64, 0xfa57, paths[k], &a, &err);
      tsu_sampler_alloc(g, col, cm, 64, 0xfa57, paths[k], &b, &err);
      tsu_sampler_run(a, 6, 1);
      tsu_sampler_run(b, 6, 2);
      TKT_OK(memcmp(tsu_sampler_bits(a, NULL), tsu_sampler_bits(b, NULL),
                    (size_t)g->n * 8) == 0,
             "%s path: 1 and 2 threads bit-identical",
             tsu_sampler_path_name(a));
      tsu_sampler_free(a);
      tsu_sampler_free(b);
    }
  }

  /* perfect-cell limit */
  tsu_cell_params lim = ideal;
  lim.tau_s = 1e-15;
  lim.dt_s = 1e-6;
  lim.v0_nom_V = lim.v0_V = 0.0312;
  lim.vs_nom_V = lim.vs_V = 0.00517;
  tsu_cells *cl = NULL;
  tsu_cells_build(&lim, g->n, &cl, &err);
  int same = 1;
  for (uint32_t i = 0; i < g->n; i++)
    same &= fabs(cl->a[i] - ci->a[i]) < 1e-12 * ci->a[i] &&
            fabs(cl->b[i]) < 1e-9 && cl->e[i] == 0.0;
  TKT_OK(same && !cl->has_memory, "tau -> 0, no mismatch: a = 2 beta, "
         "b = 0, e = 0 (the ideal sigmoid)");
  tsu_sampler *sa = NULL, *sb = NULL;
  tsu_sampler_alloc(g, col, ci, 64, 7, TSU_PATH_AUTO, &sa, &err);
  tsu_sampler_alloc(g, col, cl, 64, 7, TSU_PATH_AUTO, &sb, &err);
  tsu_sampler_run(sa, 20, 1);
  tsu_sampler_run(sb, 20, 1);
  TKT_OK(memcmp(tsu_sampler_bits(sa, NULL), tsu_sampler_bits(sb, NULL),
                (size_t)g->n * 8) == 0,
         "perfect calibrated cells sample bit-identically to ideal cells");
  tsu_sampler_free(sa);
  tsu_sampler_free(sb);
  tsu_cells_free(cl);

  /* mismatch spread */
  {
    double s1 = 0, s2 = 0;
    for (uint32_t i = 0; i < g->n; i++) {
      s1 += cm->b[i];
      s2 += cm->b[i] * cm->b[i];
    }
    double sd = sqrt(s2 / g->n - (s1 / g->n) * (s1 / g->n));
    TKT_REL(sd, 0.2, 0.05, "offset mismatch spread b_i = dv0_i / vs "
            "(std of 900 draws within 5 %)");
  }

  /* isolated cells: two-state Markov chain, every code path */
  const int all_paths[3] = {TSU_PATH_AVX512, TSU_PATH_AVX2, TSU_PATH_PORTABLE};
  for (int pk = 0; pk < 3; pk++) {
    if (!tsu_fast_path_supported(all_paths[pk]))
      continue;
    const uint32_t n = 400;
    tsu_graph *gi = NULL;
    double h[400];
    /* one bias for all: the series are pooled around one mean */
    for (uint32_t i = 0; i < n; i++)
      h[i] = 0.1234;
    tsu_graph_from_edges(n, 0, NULL, NULL, NULL, h, &gi, &err);
    tsu_coloring *ccol = NULL;
    tsu_coloring_build(gi, &ccol, &err);
    tsu_cell_params p = tsu_cell_ideal_params(1.0);
    p.tau_s = 5e-6;
    p.dt_s = 1e-6;
    tsu_cells *cc = NULL;
    tsu_cells_build(&p, n, &cc, &err);
    tsu_sampler *s = NULL;
    tsu_sampler_alloc(gi, ccol, cc, 64, 0xfa57 + pk, all_paths[pk], &s,
                      &err);
    tsu_sampler_run(s, 100, 1);
    const size_t N = 4000;
    /* series of 8 nodes' states in 64 chains, pooled */
    double tau_sum = 0;
    const uint32_t nodes[8] = {3, 50, 100, 150, 200, 250, 300, 399};
    double *x = malloc(64 * N * 8 * sizeof *x);
    uint8_t *st = malloc(N * n * 8);
    for (size_t t = 0; t < N; t++) {
      tsu_sampler_run(s, 1, 1);
      memcpy(st + t * n * 8, tsu_sampler_bits(s, NULL), (size_t)n * 8);
    }
    for (int k = 0; k < 8; k++) {
      for (uint32_t c = 0; c < 64; c++)
        for (size_t t = 0; t < N; t++) {
          uint64_t w;
          memcpy(&w, st + (t * n + nodes[k]) * 8, 8);
          x[((size_t)k * 64 + c) * N + t] = (double)((w >> c) & 1);
        }
    }
    tau_sum = tsu_tau_int(x, 64 * 8, N, NULL);
    double e = exp(-1.0 / 5.0);
    double want = (1 + e) / (2 * (1 - e));
    double W = 5 * want;
    double sig = want * sqrt(2 * (2 * W + 1) / (64.0 * 8 * N));
    char what[160];
    snprintf(what, sizeof what, "isolated cells, tau/dt = 5 (%s): tau_int = "
             "(1+e)/(2(1-e)) of the two-state Markov picture",
             tsu_sampler_path_name(s));
    TKT_SIGMA(tau_sum, want, sig, 4.5, what);
    free(x);
    free(st);
    tsu_sampler_free(s);
    tsu_cells_free(cc);
    tsu_coloring_free(ccol);
    tsu_graph_free(gi);
  }

  /* coupled grid: memory slows the chain */
  {
    tsu_cell_params p = tsu_cell_ideal_params(0.25);
    tsu_cells *c0 = NULL, *c1 = NULL;
    tsu_cells_build(&p, g->n, &c0, &err);
    p.tau_s = 10e-6;
    p.dt_s = 1e-6;
    tsu_cells_build(&p, g->n, &c1, &err);
    double tau[2];
    for (int k = 0; k < 2; k++) {
      tsu_sampler *s = NULL;
      tsu_sampler_alloc(g, col, k ? c1 : c0, 64, 0xfa58, TSU_PATH_AUTO, &s,
                        &err);
      tsu_sampler_run(s, 200, 1);
      double *m = magnetisation(s, g->n, 64, 2000);
      tau[k] = tsu_tau_int(m, 64, 2000, NULL);
      free(m);
      tsu_sampler_free(s);
    }
    TKT_OK(tau[1] > 3 * tau[0], "G12 grid: tau/dt = 10 slows the chain "
           "(tau_int of m: %.2f ideal, %.2f with memory)", tau[0], tau[1]);
    tsu_cells_free(c0);
    tsu_cells_free(c1);
  }
  tsu_cells_free(ci);
  tsu_cells_free(cm);
  tsu_coloring_free(col);
  tsu_graph_free(g);
  return tkt_done();
}
