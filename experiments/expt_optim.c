/* expt_optim.c -- `optimisation`: a TSU used as a stochastic optimiser.
 * Graph colouring with categorical (Potts) cells (tsu/tsu_potts.h) and
 * max-cut with spin cells (tsu/tsu_fast.h): the fraction of chains that
 * have found an optimal answer vs Gibbs sweeps.
 *
 * Workload: a few hundred chains of a 24-120 node graph at fixed inverse
 * temperature, checked after every sweep (milliseconds per sweep); the
 * max-cut optimum comes from an exhaustive Gray-code search over 2^(n-1)
 * cuts (n = 24: 8e6 steps, well under a second).
 *
 * Colouring: a random graph with a planted 3-colouring (edges only between
 * the three classes, each class pair joined with probability p), so a
 * proper colouring exists; Potts couplings J = -1 on every edge (energy =
 * number of monochromatic edges), K = 3, success = zero conflicts.
 * Max-cut: an Erdos-Renyi graph G(n, p) with J = -1 (antiferromagnet:
 * energy = uncut - cut), success = a cut equal to the exhaustive optimum.
 * A chain counts as successful from the first sweep its state is optimal
 * (first-hitting time).  Random search for comparison: the probability
 * that one uniformly random assignment is optimal, times the number of
 * samples (one per chain per sweep).  One thread: the state is checked
 * after every sweep, so OpenMP's fork/join per sweep would cost more than
 * the sweep itself (and results do not depend on the thread count).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "experiments/expt.h"
#include "experiments/expt_impl.h"
#include "io/io_plot.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_potts.h"

/* Edges of a planted 3-colourable graph or of G(n, p). */
static int make_graph(uint32_t n, double p, int planted, uint64_t seed,
                      tsu_graph **out, tk_err *err)
{
  size_t cap = (size_t)n * (n - 1) / 2, m = 0;
  uint32_t *ei = malloc(cap * sizeof *ei), *ej = malloc(cap * sizeof *ej);
  double *w = malloc(cap * sizeof *w);
  if (!ei || !ej || !w) {
    free(ei); free(ej); free(w);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  tk_rng rng;
  tk_rng_init(&rng, seed, 11);
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t j = i + 1; j < n; j++) {
      if (planted && i % 3 == j % 3)
        continue;
      if (tk_rng_uniform(&rng) < p) {
        ei[m] = i; ej[m] = j; w[m] = -1.0; m++;
      }
    }
  int rc = tsu_graph_from_edges(n, (uint32_t)m, ei, ej, w, NULL, out, err);
  free(ei); free(ej); free(w);
  return rc;
}

/* Exhaustive max-cut by Gray code (node n-1 fixed on side 0). */
static uint32_t maxcut_exact(const tsu_graph *g)
{
  uint32_t n = g->n;
  int8_t *s = calloc(n, 1);
  if (s == NULL)
    return 0;
  uint32_t cut = 0, best = 0;
  uint64_t total = 1ull << (n - 1);
  for (uint64_t k = 1; k < total; k++) {
    uint32_t i = (uint32_t)__builtin_ctzll(k);  /* the bit that flips */
    /* flipping i changes every incident edge's cut status */
    for (uint32_t a = g->off[i]; a < g->off[i + 1]; a++)
      cut += s[g->adj[a]] == s[i] ? 1 : (uint32_t)-1;
    s[i] ^= 1;
    if (cut > best)
      best = cut;
  }
  free(s);
  return best;
}

/* Number of optimal cuts, by the same enumeration (for the random-search
 * comparison, reported for max-cut only). */
static uint64_t maxcut_count(const tsu_graph *g, uint32_t best)
{
  uint32_t n = g->n;
  int8_t *s = calloc(n, 1);
  if (s == NULL)
    return 0;
  uint32_t cut = 0;
  uint64_t count = 0, total = 1ull << (n - 1);
  for (uint64_t k = 1; k < total; k++) {
    uint32_t i = (uint32_t)__builtin_ctzll(k);
    for (uint32_t a = g->off[i]; a < g->off[i + 1]; a++)
      cut += s[g->adj[a]] == s[i] ? 1 : (uint32_t)-1;
    s[i] ^= 1;
    count += cut == best;
  }
  free(s);
  return 2 * count;  /* each cut and its mirror image */
}

int expt__optim_run(expt_run *r, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  const uint32_t n_col = c->quick ? 60 : 120, n_cut = 24;
  const double p_col = c->quick ? 0.12 : 0.06, p_cut = 0.3;
  const double beta_col = 2.5, beta_cut = 1.0;
  const uint32_t chains = c->quick ? 256 : 1024;
  const uint64_t sweeps = c->quick ? 200 : 1000;
  TK_TRY(expt_input(r, "colouring_nodes", n_col, "1", "ours: planted 3-colourable random graph", err));
  TK_TRY(expt_input(r, "colouring_edge_prob", p_col, "1", "ours: between different classes", err));
  TK_TRY(expt_input(r, "colouring_beta", beta_col, "1", "ours: Potts inverse temperature, J = -1", err));
  TK_TRY(expt_input(r, "maxcut_nodes", n_cut, "1", "ours: G(n, p), small enough to enumerate", err));
  TK_TRY(expt_input(r, "maxcut_edge_prob", p_cut, "1", "ours", err));
  TK_TRY(expt_input(r, "maxcut_beta", beta_cut, "1", "ours: Ising inverse temperature, J = -1", err));
  TK_TRY(expt_input(r, "chains", chains, "1", "ours", err));
  TK_TRY(expt_input(r, "sweeps", (double)sweeps, "1", "ours", err));

  double *sw = malloc(sweeps * sizeof *sw), *succ_col = calloc(sweeps, sizeof *succ_col),
         *succ_cut = calloc(sweeps, sizeof *succ_cut), *rand_cut = calloc(sweeps, sizeof *rand_cut),
         *mean_conf = calloc(sweeps, sizeof *mean_conf), *mean_cut = calloc(sweeps, sizeof *mean_cut);
  uint64_t *hit_col = malloc(chains * sizeof *hit_col), *hit_cut = malloc(chains * sizeof *hit_cut);
  tsu_graph *gc = NULL, *gm = NULL;
  tsu_coloring *cc = NULL, *cm = NULL;
  tsu_potts_chains *pc = NULL;
  tsu_cells *cells = NULL;
  tsu_sampler *sam = NULL;
  double *h = NULL;
  int rc = sw && succ_col && succ_cut && rand_cut && mean_conf && mean_cut && hit_col && hit_cut
               ? 0 : TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (uint64_t t = 0; rc == 0 && t < sweeps; t++)
    sw[t] = (double)(t + 1);
  for (uint32_t q = 0; rc == 0 && q < chains; q++)
    hit_col[q] = hit_cut[q] = UINT64_MAX;

  /* ---- colouring ---- */
  if (rc == 0) rc = make_graph(n_col, p_col, 1, c->seed, &gc, err);
  if (rc == 0) rc = tsu_coloring_build(gc, &cc, err);
  if (rc == 0 && (h = calloc((size_t)gc->n * 3, sizeof *h)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  tsu_potts pm = {gc, 3, h, beta_col};
  if (rc == 0) rc = tsu_potts_chains_alloc(&pm, cc, chains, c->seed + 1, &pc, err);
  for (uint64_t t = 0; rc == 0 && t < sweeps; t++) {
    rc = tsu_potts_chains_run(pc, 1, 1, NULL, err);
    const uint8_t *s = tsu_potts_chains_states(pc);
    double sum = 0;
    for (uint32_t q = 0; rc == 0 && q < chains; q++) {
      const uint8_t *x = s + (size_t)q * gc->n;
      uint32_t conf = 0;
      for (uint32_t e = 0; e < gc->n_edges; e++)
        conf += x[gc->ei[e]] == x[gc->ej[e]];
      sum += conf;
      if (conf == 0 && hit_col[q] == UINT64_MAX)
        hit_col[q] = t;
    }
    mean_conf[t] = sum / chains;
  }
  /* ---- max-cut ---- */
  uint32_t best = 0;
  uint64_t n_opt = 0;
  if (rc == 0) rc = make_graph(n_cut, p_cut, 0, c->seed + 2, &gm, err);
  if (rc == 0) {
    best = maxcut_exact(gm);
    n_opt = maxcut_count(gm, best);
  }
  if (rc == 0) rc = tsu_coloring_build(gm, &cm, err);
  if (rc == 0) {
    tsu_cell_params cp = tsu_cell_ideal_params(beta_cut);
    rc = tsu_cells_build(&cp, gm->n, &cells, err);
  }
  if (rc == 0)
    rc = tsu_sampler_alloc(gm, cm, cells, chains, c->seed + 3, TSU_PATH_AUTO, &sam, err);
  for (uint64_t t = 0; rc == 0 && t < sweeps; t++) {
    tsu_sampler_run(sam, 1, 1);
    uint32_t ng = 0;
    const uint64_t *bits = tsu_sampler_bits(sam, &ng);
    double sum = 0;
    for (uint32_t q = 0; q < chains; q++) {
      uint32_t gi = q / 64, b = q % 64, cut = 0;
      for (uint32_t e = 0; e < gm->n_edges; e++)
        cut += (uint32_t)(((bits[(size_t)gm->ei[e] * ng + gi] ^
                            bits[(size_t)gm->ej[e] * ng + gi]) >> b) & 1u);
      sum += cut;
      if (cut == best && hit_cut[q] == UINT64_MAX)
        hit_cut[q] = t;
    }
    mean_cut[t] = sum / chains / best;
  }
  /* success curves and random search */
  double p_rand = rc == 0 ? (double)n_opt / pow(2.0, n_cut) : 0;
  for (uint64_t t = 0; rc == 0 && t < sweeps; t++) {
    size_t a = 0, b = 0;
    for (uint32_t q = 0; q < chains; q++) {
      a += hit_col[q] <= t;
      b += hit_cut[q] <= t;
    }
    succ_col[t] = (double)a / chains;
    succ_cut[t] = (double)b / chains;
    /* one random assignment per sweep per chain */
    rand_cut[t] = 1 - pow(1 - p_rand, (double)(t + 1));
  }
  if (rc == 0) rc = expt_vec(r, "/curves/sweeps", sw, sweeps, "1", err);
  if (rc == 0) rc = expt_vec(r, "/curves/colouring_success", succ_col, sweeps, "1", err);
  if (rc == 0) rc = expt_vec(r, "/curves/colouring_mean_conflicts", mean_conf, sweeps, "1", err);
  if (rc == 0) rc = expt_vec(r, "/curves/maxcut_success", succ_cut, sweeps, "1", err);
  if (rc == 0) rc = expt_vec(r, "/curves/maxcut_mean_cut_ratio", mean_cut, sweeps, "1", err);
  if (rc == 0) rc = expt_vec(r, "/curves/maxcut_random_search", rand_cut, sweeps, "1", err);
  /* sweeps to reach half success */
  double t50_col = NAN, t50_cut = NAN;
  for (uint64_t t = 0; rc == 0 && t < sweeps; t++) {
    if (isnan(t50_col) && succ_col[t] >= 0.5) t50_col = (double)(t + 1);
    if (isnan(t50_cut) && succ_cut[t] >= 0.5) t50_cut = (double)(t + 1);
  }
  if (rc == 0) rc = expt_sum(r, "colouring_edges", gc->n_edges, "1", err);
  if (rc == 0) rc = expt_sum(r, "colouring_success", succ_col[sweeps - 1], "1", err);
  if (rc == 0) rc = expt_sum(r, "colouring_sweeps_50", t50_col, "1", err);
  if (rc == 0) rc = expt_sum(r, "maxcut_edges", gm->n_edges, "1", err);
  if (rc == 0) rc = expt_sum(r, "maxcut_optimum", best, "1", err);
  if (rc == 0) rc = expt_sum(r, "maxcut_success", succ_cut[sweeps - 1], "1", err);
  if (rc == 0) rc = expt_sum(r, "maxcut_sweeps_50", t50_cut, "1", err);
  if (rc == 0) rc = expt_sum(r, "maxcut_random_success", rand_cut[sweeps - 1], "1", err);
  if (rc == 0) rc = expt_sum(r, "maxcut_mean_cut_ratio", mean_cut[sweeps - 1], "1", err);
  if (rc == 0) {
    expt_note(r, "After %llu sweeps a fraction %.3g of the %u chains had "
              "found a proper 3-colouring of the %u-node graph, and a "
              "fraction %.3g the optimal cut (%u of %u edges) of the %u-node "
              "graph; random search with the same number of samples finds "
              "it with probability %.3g.",
              (unsigned long long)sweeps, succ_col[sweeps - 1], chains, n_col,
              succ_cut[sweeps - 1], best, gm->n_edges, n_cut,
              rand_cut[sweeps - 1]);
    expt_note(r, "The seeds give no success-rate figure for optimisation "
              "(the blog names graph colouring and max-cut as the academic "
              "uses of such hardware); there is nothing published to compare.");
  }
  tsu_sampler_free(sam);
  tsu_cells_free(cells);
  tsu_potts_chains_free(pc);
  tsu_coloring_free(cc);
  tsu_coloring_free(cm);
  tsu_graph_free(gc);
  tsu_graph_free(gm);
  free(h); free(sw); free(succ_col); free(succ_cut); free(rand_cut);
  free(mean_conf); free(mean_cut); free(hit_col); free(hit_cut);
  return rc;
}

int expt__optim_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  double *s = NULL, *a = NULL, *b = NULL, *c = NULL;
  size_t n = 0, m;
  int rc = expt_read(f, "/curves/sweeps", &s, &n, err);
  if (rc == 0) rc = expt_read(f, "/curves/colouring_success", &a, &m, err);
  if (rc == 0) rc = expt_read(f, "/curves/maxcut_success", &b, &m, err);
  if (rc == 0) rc = expt_read(f, "/curves/maxcut_random_search", &c, &m, err);
  io_file_close(f);
  io_plot p;
  if (rc == 0) rc = io_plot_begin(&p, png, 900, 520, err);
  if (rc == 0) {
    double *t = malloc(n * 4 * sizeof *t);
    for (size_t i = 0; t && i < n; i++) {
      t[4 * i] = s[i]; t[4 * i + 1] = a[i]; t[4 * i + 2] = b[i]; t[4 * i + 3] = c[i];
    }
    if (t) io_plot_data_table(&p, "c", t, n, 4);
    free(t);
    io_plot_cmd(&p, "set title 'Optimisation on the TSU: success rate vs sweeps'\n"
                "set xlabel 'Gibbs sweeps'\nset ylabel 'fraction of chains at an optimum'\n"
                "set logscale x\nset yrange [0:1.05]\nset key left top\nset grid\n"
                "plot $c u 1:2 w l lw 2 t 'graph 3-colouring (Potts cells)', "
                "$c u 1:3 w l lw 2 t 'max-cut (spin cells)', "
                "$c u 1:4 w l lw 2 dt 2 t 'max-cut, random search'\n");
    rc = io_plot_run(&p, err);
  }
  free(s); free(a); free(b); free(c);
  return rc;
}
