/* tka_chip.c -- chips and their Gibbs runs for foreign callers
 * (tka_chip.h).  The run is run/run_sample.c's without the file: the
 * same graph builders, cells from the library, samplers and tsu_run_*
 * runners; results stay in memory, owned by one struct freed in one
 * place. */
#include "api/tka_chip.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_nodemap.h"
#include "calibrate/cal_nodemix.h"
#include "common/tk_progress.h"
#include "io/io_cells.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_celltab.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_mixed.h"
#include "tsu/tsu_potts.h"
#include "tsu/tsu_run.h"

#define N_BATCHES 20          /* batches of the error bars (as `sample`) */
#define MAX_CHAINS (1l << 24) /* as `tsukit bench gibbs --chains` */

struct tka_chip {
  tsu_graph *g;              /* the model */
  tsu_coloring *col;         /* its colouring */
  int mismatch, trim;        /* calibrated cells: tka_chip_set_cells_mode */
  double trim_lsb_V;
};

struct tka_samples {
  int kind;                  /* TKA_SPIN, TKA_CATEGORICAL, TKA_CONTINUOUS */
  uint32_t n, chains, cols;  /* nodes, chains, values per node */
  uint32_t n_edges;          /* edges */
  tsu_celltab *tab;          /* spin: the calibrated library, or NULL */
  tsu_cells *cells;          /* spin: the cells */
  tsu_sampler *s;            /* spin: the fast sampler */
  tsu_potts potts;           /* categorical model (graph of the chip) */
  double *pot_h;             /* [n][K] per-state biases (a copy) */
  tsu_potts_chains *pc;      /* categorical chains */
  tsu_gauss gauss;           /* continuous model */
  double *gauss_a;           /* [n] self-couplings (a copy) */
  tsu_gauss_chains *gc;      /* continuous chains */
  tsu_mixed mixed;           /* mixed model (graph of the chip) */
  uint8_t *node_kind;        /* [n] its node kinds (a copy) */
  double *hold;              /* [n] finite-tau holds, or NULL */
  cal_nodemap *map_cat, *map_gmm; /* calibrated cells, or NULL */
  cal_nodemix mix;           /* the maps as callbacks */
  tsu_mixed_chains *mc;      /* mixed chains */
  tsu_run_result rr;         /* moments, timing, activity */
  double *buf;               /* mean, mean_se [n][cols], corr, corr_se [m] */
};

static int chip_finish(tka_chip *c, tka_chip **out, tk_err *err)
{
  int rc = tsu_coloring_build(c->g, &c->col, err);
  if (rc != 0) {
    tka_chip_free(c);
    return rc;
  }
  *out = c;
  return TK_OK;
}

int tka_chip_grid(const char *graph, long L, int torus, uint64_t seed,
                  tka_chip **out, tk_err *err)
{
  if (out == NULL)
    return TK_FAIL(err, TK_EINVAL, "chip: NULL output");
  *out = NULL;
  int jumps = graph != NULL ? tsu_grid_name_jumps(graph) : -1;
  if (jumps < 0)
    return TK_FAIL(err, TK_EINVAL, "graph '%s' is not one of G4, G8, G12, "
                   "G16, G20, G24", graph != NULL ? graph : "(null)");
  if (L < 2 || L > 4096)
    return TK_FAIL(err, TK_ERANGE, "grid side L = %ld must be in 2..4096", L);
  if (torus != 0 && torus != 1)
    return TK_FAIL(err, TK_EINVAL, "torus must be 0 or 1");
  tka_chip *c = calloc(1, sizeof *c);
  if (c == NULL)
    return TK_FAIL(err, TK_ENOMEM, "chip");
  int rc = tsu_graph_grid((uint32_t)L, jumps, torus, &c->g, err);
  if (rc != 0) {
    tka_chip_free(c);
    return rc;
  }
  tsu_graph_random_model(c->g, seed, 1.0, 0.1);
  return chip_finish(c, out, err);
}

int tka_chip_edges(long n, long n_edges, const uint32_t *ei,
                   const uint32_t *ej, const double *w, const double *h,
                   tka_chip **out, tk_err *err)
{
  if (out == NULL)
    return TK_FAIL(err, TK_EINVAL, "chip: NULL output");
  *out = NULL;
  if (n < 1 || n > (1l << 30))
    return TK_FAIL(err, TK_ERANGE, "nodes n = %ld must be in 1..2^30", n);
  if (n_edges < 0 || n_edges > (1l << 31))
    return TK_FAIL(err, TK_ERANGE, "edges = %ld must be in 0..2^31", n_edges);
  if (n_edges > 0 && (ei == NULL || ej == NULL || w == NULL))
    return TK_FAIL(err, TK_EINVAL, "chip: NULL edge array");
  tka_chip *c = calloc(1, sizeof *c);
  if (c == NULL)
    return TK_FAIL(err, TK_ENOMEM, "chip");
  int rc = tsu_graph_from_edges((uint32_t)n, (uint32_t)n_edges, ei, ej, w, h,
                                &c->g, err);
  if (rc != 0) {
    tka_chip_free(c);
    return rc;
  }
  return chip_finish(c, out, err);
}

void tka_chip_free(tka_chip *c)
{
  if (c == NULL)
    return;
  tsu_coloring_free(c->col);
  tsu_graph_free(c->g);
  free(c);
}

uint32_t tka_chip_nodes(const tka_chip *c)
{
  return c != NULL ? c->g->n : 0;
}

uint32_t tka_chip_n_edges(const tka_chip *c)
{
  return c != NULL ? c->g->n_edges : 0;
}

uint32_t tka_chip_colors(const tka_chip *c)
{
  return c != NULL ? c->col->n_colors : 0;
}

void tka_chip_model(const tka_chip *c, uint32_t *ei, uint32_t *ej,
                    double *w, double *h)
{
  if (c == NULL)
    return;
  size_t m = c->g->n_edges, n = c->g->n;
  if (ei != NULL)
    memcpy(ei, c->g->ei, m * sizeof *ei);
  if (ej != NULL)
    memcpy(ej, c->g->ej, m * sizeof *ej);
  if (w != NULL)
    memcpy(w, c->g->w, m * sizeof *w);
  if (h != NULL)
    memcpy(h, c->g->h, n * sizeof *h);
}

int tka_chip_set_cells_mode(tka_chip *c, int mismatch, int trim,
                            double trim_lsb_V, tk_err *err)
{
  if (c == NULL)
    return TK_FAIL(err, TK_EINVAL, "cells mode: NULL chip");
  if (mismatch < TSU_MISMATCH_AUTO || mismatch > TSU_MISMATCH_NONE ||
      (trim != 0 && trim != 1) || !(trim_lsb_V >= 0 && trim_lsb_V < 1) ||
      (trim_lsb_V > 0 && !trim))
    return TK_FAIL(err, TK_ERANGE, "cells mode: mismatch %d in 0..3, trim "
                   "%d in 0..1, trim step %g V in [0, 1) and only with "
                   "trim", mismatch, trim, trim_lsb_V);
  c->mismatch = mismatch;
  c->trim = trim;
  c->trim_lsb_V = trim_lsb_V;
  return TK_OK;
}

int tka_chip_set_model(tka_chip *c, const double *w, const double *h,
                       tk_err *err)
{
  if (c == NULL)
    return TK_FAIL(err, TK_EINVAL, "chip: NULL chip");
  tsu_graph *g = c->g;
  for (size_t k = 0; w != NULL && k < g->n_edges; k++)
    if (!isfinite(w[k]))
      return TK_FAIL(err, TK_EINVAL, "weight of edge %zu is not finite", k);
  for (size_t i = 0; h != NULL && i < g->n; i++)
    if (!isfinite(h[i]))
      return TK_FAIL(err, TK_EINVAL, "bias of node %zu is not finite", i);
  if (w != NULL)
    memcpy(g->w, w, g->n_edges * sizeof *w);
  if (h != NULL)
    memcpy(g->h, h, g->n * sizeof *h);
  /* the CSR copy of the couplings follows the edge list */
  for (size_t k = 0; k < 2 * (size_t)g->n_edges; k++)
    g->adj_w[k] = g->w[g->adj_edge[k]];
  return TK_OK;
}

void tka_samples_free(tka_samples *s)
{
  if (s == NULL)
    return;
  tsu_sampler_free(s->s);
  tsu_cells_free(s->cells);
  tsu_celltab_free(s->tab);
  tsu_potts_chains_free(s->pc);
  tsu_gauss_chains_free(s->gc);
  tsu_mixed_chains_free(s->mc);
  cal_nodemap_free(s->map_cat);
  cal_nodemap_free(s->map_gmm);
  free(s->node_kind);
  free(s->hold);
  tsu_run_result_clear(&s->rr);
  free(s->pot_h);
  free(s->gauss_a);
  free(s->buf);
  free(s);
}

static int run_spin(const tka_chip *c, tka_samples *r, uint64_t seed,
                    double beta, const char *cells, const char *cell,
                    double temp_K, double design_K, double clock_Hz,
                    const tsu_run_params *rp, tk_err *err)
{
  tsu_cell_params cp = tsu_cell_ideal_params(beta);
  if (cells != NULL) {
    if (cell == NULL)
      return TK_FAIL(err, TK_EINVAL, "calibrated cells need the cell's name");
    if (!isfinite(temp_K) || !(clock_Hz > 0 && isfinite(clock_Hz)))
      return TK_FAIL(err, TK_EINVAL, "calibrated cells need a finite chip "
                     "temperature and a clock > 0 Hz");
    tsu_cellpoint at;
    TK_TRY(io_cells_read(cells, cell, &r->tab, err));
    /* as `tsukit sample --cells --mismatch M [--trim]` */
    TK_TRY(tsu_celltab_cells(r->tab, temp_K,
                             isnan(design_K) ? temp_K : design_K, beta,
                             clock_Hz, c->col->n_colors, seed,
                             (tsu_mismatch)c->mismatch, c->trim,
                             c->trim_lsb_V, c->g->n, &r->cells, &cp, &at,
                             NULL, 0, NULL, err));
  } else {
    TK_TRY(tsu_cells_build(&cp, c->g->n, &r->cells, err));
  }
  TK_TRY(tsu_sampler_alloc(c->g, c->col, r->cells, r->chains, seed,
                           TSU_PATH_AUTO, &r->s, err));
  return tsu_run_spin(r->s, c->g, r->chains, rp, &r->rr, err);
}

static int run_potts(const tka_chip *c, tka_samples *r, uint64_t seed,
                     double beta, unsigned K, const double *kbias,
                     const tsu_run_params *rp, tk_err *err)
{
  size_t n = c->g->n;
  if (K < 2 || K > TSU_POTTS_MAX_K)
    return TK_FAIL(err, TK_ERANGE, "categorical nodes: K = %u states must "
                   "be in 2..%d", K, TSU_POTTS_MAX_K);
  if ((r->pot_h = malloc(n * K * sizeof *r->pot_h)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "categorical biases");
  if (kbias != NULL)
    memcpy(r->pot_h, kbias, n * K * sizeof *r->pot_h);
  else
    tsu_potts_bias_from_graph(c->g, K, r->pot_h);
  r->potts = (tsu_potts){c->g, K, r->pot_h, beta};
  TK_TRY(tsu_potts_chains_alloc(&r->potts, c->col, r->chains, seed, &r->pc,
                                err));
  r->cols = K;
  return tsu_run_potts(r->pc, &r->potts, r->chains, rp, &r->rr, err);
}

static int run_gauss(const tka_chip *c, tka_samples *r, uint64_t seed,
                     double beta, const double *a, const tsu_run_params *rp,
                     tk_err *err)
{
  size_t n = c->g->n;
  if ((r->gauss_a = malloc(n * sizeof *r->gauss_a)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "continuous self-couplings");
  if (a != NULL)
    memcpy(r->gauss_a, a, n * sizeof *r->gauss_a);
  else
    tsu_gauss_diag_dominant(c->g, 1.0, r->gauss_a);
  r->gauss = (tsu_gauss){c->g, r->gauss_a, beta};
  TK_TRY(tsu_gauss_chains_alloc(&r->gauss, c->col, r->chains, seed, &r->gc,
                                err));
  return tsu_run_gauss(r->gc, c->g, r->chains, rp, &r->rr, err);
}

static int check_run(const tka_chip *c, int kind, uint64_t sweeps,
                     uint64_t burn_in, long chains, double beta, int threads,
                     const char *cells, tk_err *err)
{
  if (c == NULL)
    return TK_FAIL(err, TK_EINVAL, "sample: NULL chip");
  if (kind != TKA_SPIN && kind != TKA_CATEGORICAL && kind != TKA_CONTINUOUS)
    return TK_FAIL(err, TK_EINVAL, "node kind %d: spin (0), categorical (1) "
                   "or continuous (2)", kind);
  if (sweeps < N_BATCHES || sweeps > 1000000000ull)
    return TK_FAIL(err, TK_ERANGE, "sweeps = %llu must be in 20..1e9 (20 "
                   "batches for the error bars)", (unsigned long long)sweeps);
  if (burn_in > 1000000000ull)
    return TK_FAIL(err, TK_ERANGE, "burn_in = %llu must be <= 1e9",
                   (unsigned long long)burn_in);
  if (chains < 1 || chains > MAX_CHAINS)
    return TK_FAIL(err, TK_ERANGE, "chains = %ld must be in 1..%ld", chains,
                   MAX_CHAINS);
  if (!(beta >= 0 && beta <= 1e6))
    return TK_FAIL(err, TK_ERANGE, "beta = %g must be finite, in [0, 1e6]",
                   beta);
  if (threads < 0 || threads > 1024)
    return TK_FAIL(err, TK_ERANGE, "threads = %d must be in 0..1024",
                   threads);
  if (cells != NULL && kind != TKA_SPIN)
    return TK_FAIL(err, TK_EINVAL, "calibrated cells need spin nodes");
  return TK_OK;
}

int tka_chip_sample(const tka_chip *c, int kind, uint64_t sweeps,
                    uint64_t burn_in, long chains, double beta,
                    uint64_t seed, int threads, const char *cells,
                    const char *cell, double temp_K, double design_K,
                    double clock_Hz, unsigned K, const double *kbias,
                    const double *a, const volatile int *stop,
                    tka_samples **out, tk_err *err)
{
  if (out == NULL)
    return TK_FAIL(err, TK_EINVAL, "sample: NULL output");
  *out = NULL;
  TK_TRY(check_run(c, kind, sweeps, burn_in, chains, beta, threads, cells,
                   err));
  tka_samples *r = calloc(1, sizeof *r);
  if (r == NULL)
    return TK_FAIL(err, TK_ENOMEM, "samples");
  r->kind = kind;
  r->n = c->g->n;
  r->n_edges = c->g->n_edges;
  r->chains = (uint32_t)chains;
  r->cols = 1;
  tsu_run_params rp = tsu_run_default_params();
  rp.burn_in = burn_in;
  rp.sweeps = sweeps;
  rp.n_batches = N_BATCHES;
  rp.n_threads = threads;
  rp.progress = kind == TKA_SPIN;
  rp.stop = stop;
  int rc;
  if (kind == TKA_SPIN)
    rc = run_spin(c, r, seed, beta, cells, cell, temp_K, design_K, clock_Hz,
                  &rp, err);
  else if (kind == TKA_CATEGORICAL)
    rc = run_potts(c, r, seed, beta, K, kbias, &rp, err);
  else
    rc = run_gauss(c, r, seed, beta, a, &rp, err);
  size_t n = r->n, m = r->n_edges, cols = r->cols;
  if (rc == 0 &&
      (r->buf = malloc((2 * n * cols + 2 * m + 1) * sizeof *r->buf)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "moments");
  if (rc != 0) {
    tka_samples_free(r);
    return rc;
  }
  double *mean = r->buf, *mse = mean + n * cols, *corr = mse + n * cols;
  tsu_moments_result(r->rr.mom, mean, mse, corr, corr + m);
  *out = r;
  return TK_OK;
}

const void *tka_samples_states(const tka_samples *s, size_t dims[2],
                               size_t *elem_size)
{
  if (s == NULL)
    return NULL;
  if (s->kind == TKA_SPIN) {
    uint32_t ng = 0;
    const uint64_t *b = tsu_sampler_bits(s->s, &ng);
    dims[0] = s->n;
    dims[1] = ng;
    *elem_size = sizeof *b;
    return b;
  }
  dims[0] = s->chains;
  dims[1] = s->n;
  if (s->kind == TKA_MIXED) {
    *elem_size = sizeof(double);
    return tsu_mixed_chains_states(s->mc);
  }
  if (s->kind == TKA_CATEGORICAL) {
    *elem_size = sizeof(uint8_t);
    return tsu_potts_chains_states(s->pc);
  }
  *elem_size = sizeof(double);
  return tsu_gauss_chains_states(s->gc);
}

int tka_samples_spins(const tka_samples *s, int8_t *spins, tk_err *err)
{
  if (s == NULL || spins == NULL || s->kind != TKA_SPIN)
    return TK_FAIL(err, TK_EINVAL, "spins: a spin run and a buffer are "
                   "required");
  for (uint32_t c = 0; c < s->chains; c++)
    for (uint32_t i = 0; i < s->n; i++)
      spins[(size_t)c * s->n + i] = (int8_t)tsu_sampler_spin(s->s, c, i);
  return TK_OK;
}

const double *tka_samples_mean(const tka_samples *s, size_t *cols)
{
  if (s == NULL)
    return NULL;
  if (cols != NULL)
    *cols = s->cols;
  return s->buf;
}

const double *tka_samples_mean_se(const tka_samples *s)
{
  return s != NULL ? s->buf + (size_t)s->n * s->cols : NULL;
}

const double *tka_samples_corr(const tka_samples *s)
{
  return s != NULL ? s->buf + 2 * (size_t)s->n * s->cols : NULL;
}

const double *tka_samples_corr_se(const tka_samples *s)
{
  return s != NULL ? s->buf + 2 * (size_t)s->n * s->cols + s->n_edges
                   : NULL;
}

int tka_samples_kind(const tka_samples *s)
{
  return s != NULL ? s->kind : -1;
}

uint32_t tka_samples_chains(const tka_samples *s)
{
  return s != NULL ? s->chains : 0;
}

uint64_t tka_samples_recorded(const tka_samples *s)
{
  return s != NULL ? s->rr.recorded : 0;
}

double tka_samples_flips_per_ns(const tka_samples *s)
{
  return s != NULL ? s->rr.updates_per_ns : NAN;
}

double tka_samples_activity(const tka_samples *s)
{
  return s != NULL ? s->rr.activity : NAN;
}

const char *tka_samples_kernel(const tka_samples *s)
{
  if (s == NULL)
    return "";
  if (s->kind == TKA_SPIN)
    return tsu_sampler_path_name(s->s);
  if (s->kind == TKA_MIXED)
    return "mixed-reference";
  return s->kind == TKA_CATEGORICAL ? "potts-reference" : "gauss-reference";
}

int tka_chip_bench(const tka_chip *c, long chains, long sweeps, int threads,
                   double beta, uint64_t seed, int path,
                   double *flips_per_ns, double *seconds,
                   const char **kernel, tk_err *err)
{
  if (c == NULL || flips_per_ns == NULL || seconds == NULL)
    return TK_FAIL(err, TK_EINVAL, "bench: NULL argument");
  if (chains < 1 || chains > MAX_CHAINS || sweeps < 1 || sweeps > 1000000000l)
    return TK_FAIL(err, TK_ERANGE, "bench: chains %ld in 1..%ld, sweeps %ld "
                   "in 1..1e9", chains, MAX_CHAINS, sweeps);
  if (!(beta >= 0 && beta <= 100) || threads < 0 || threads > 1024 ||
      path < TSU_PATH_AUTO || path > TSU_PATH_AVX512)
    return TK_FAIL(err, TK_ERANGE, "bench: beta %g in [0, 100], threads %d "
                   "in 0..1024, path %d in 0..3", beta, threads, path);
  tsu_cells *cells = NULL;
  tsu_sampler *s = NULL;
  tsu_cell_params cp = tsu_cell_ideal_params(beta);
  int rc = tsu_cells_build(&cp, c->g->n, &cells, err);
  if (rc == 0)
    rc = tsu_sampler_alloc(c->g, c->col, cells, (uint32_t)chains, seed, path,
                           &s, err);
  if (rc == 0) {
    /* as `tsukit bench gibbs`: one warm-up sweep, then the timed run */
    tsu_sampler_run(s, 1, threads);
    double t0 = tk_clock_s();
    tsu_sampler_run(s, (uint64_t)sweeps, threads);
    double el = tk_clock_s() - t0;
    double n_chains_run = 64.0 * (double)((chains + 63) / 64);
    *seconds = el;
    *flips_per_ns = (double)c->g->n * n_chains_run * (double)sweeps /
                    (el * 1e9);
    if (kernel != NULL)
      *kernel = tsu_sampler_path_name(s);
  }
  tsu_sampler_free(s);
  tsu_cells_free(cells);
  return rc;
}

static int load_map(const tka_chip *c, const char *path, const char *cell,
                    int want, double temp_K, double design_K, uint64_t seed,
                    cal_nodemap **out, tk_err *err)
{
  if (path == NULL)
    return TK_OK;
  if (c->trim || c->mismatch == TSU_MISMATCH_GAUSSIAN)
    return TK_FAIL(err, TK_EINVAL, "trim and mismatch 'gaussian': pbit "
                   "cells only (cat4/gmm2 cells take the library's "
                   "instances untrimmed, or mismatch 'none')");
  if (!isfinite(temp_K))
    return TK_FAIL(err, TK_EINVAL, "calibrated cells need a finite chip "
                   "temperature");
  cal_nodemap_params mp = cal_nodemap_default_params();
  mp.cells = path;
  mp.cell = cell;
  mp.want = want;
  mp.temp_K = temp_K;
  mp.design_K = design_K;
  mp.seed = seed;
  mp.mismatch = c->mismatch != TSU_MISMATCH_NONE;
  return cal_nodemap_load(&mp, out, err);
}

static int run_mixed(const tka_chip *c, tka_samples *r,
                     const uint8_t *node_kind, uint64_t seed, double beta,
                     unsigned K, const double *kbias, const double *a,
                     const char *const cells[4], double temp_K,
                     double design_K, double clock_Hz, int clip,
                     const tsu_run_params *rp, tk_err *err)
{
  size_t n = c->g->n;
  int have_cat = 0;
  if (node_kind == NULL)
    return TK_FAIL(err, TK_EINVAL, "mixed graph: node kinds are required");
  if ((r->node_kind = malloc(n + 1)) == NULL ||
      (r->gauss_a = malloc((n + 1) * sizeof *r->gauss_a)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "mixed graph");
  for (size_t i = 0; i < n; i++) {
    if (node_kind[i] > TKA_CONTINUOUS)
      return TK_FAIL(err, TK_EINVAL, "node %zu: kind %u (spin 0, "
                     "categorical 1, continuous 2)", i, node_kind[i]);
    /* TKA_SPIN/CATEGORICAL/CONTINUOUS are TSU_NODE_SPIN/CAT/CONT */
    r->node_kind[i] = node_kind[i];
    have_cat |= node_kind[i] == TKA_CATEGORICAL;
  }
  if (have_cat && (K < 2 || K > TSU_POTTS_MAX_K))
    return TK_FAIL(err, TK_ERANGE, "categorical nodes: K = %u states must "
                   "be in 2..%d", K, TSU_POTTS_MAX_K);
  if (have_cat && kbias != NULL) {
    if ((r->pot_h = malloc(n * K * sizeof *r->pot_h)) == NULL)
      return TK_FAIL(err, TK_ENOMEM, "categorical biases");
    memcpy(r->pot_h, kbias, n * K * sizeof *r->pot_h);
  }
  if (a != NULL)
    memcpy(r->gauss_a, a, n * sizeof *r->gauss_a);
  else
    tsu_gauss_diag_dominant(c->g, 1.0, r->gauss_a);
  TK_TRY(load_map(c, cells[0], cells[1], CAL_NODEMAP_CAT, temp_K,
                  design_K, seed, &r->map_cat, err));
  TK_TRY(load_map(c, cells[2], cells[3], CAL_NODEMAP_GMM, temp_K,
                  design_K, seed, &r->map_gmm, err));
  r->mixed = (tsu_mixed){c->g, r->node_kind, have_cat ? K : 2, r->pot_h,
                         r->gauss_a, beta, NULL, NULL, NULL, NULL, NULL};
  if (r->map_cat != NULL || r->map_gmm != NULL) {
    if (!(clock_Hz > 0 && isfinite(clock_Hz)))
      return TK_FAIL(err, TK_EINVAL, "calibrated cells need a clock > 0 Hz");
    r->mix = (cal_nodemix){r->map_cat, r->map_gmm, clip != 0};
    if ((r->hold = calloc(n + 1, sizeof *r->hold)) == NULL)
      return TK_FAIL(err, TK_ENOMEM, "mixed graph");
    TK_TRY(cal_nodemix_attach(&r->mix, &r->mixed,
                              (c->col->n_colors ? c->col->n_colors : 1) /
                                  clock_Hz,
                              r->hold, err));
  }
  TK_TRY(tsu_mixed_chains_alloc(&r->mixed, c->col, r->chains, seed, &r->mc,
                                err));
  r->cols = tsu_mixed_cols(&r->mixed);
  return tsu_run_mixed(r->mc, &r->mixed, r->chains, rp, &r->rr, err);
}

int tka_chip_sample_mixed(const tka_chip *c, const uint8_t *node_kind,
                          uint64_t sweeps, uint64_t burn_in, long chains,
                          double beta, uint64_t seed, int threads,
                          unsigned K, const double *kbias, const double *a,
                          const char *cat_cells, const char *cat_cell,
                          const char *gmm_cells, const char *gmm_cell,
                          double temp_K, double design_K, double clock_Hz,
                          int clip, const volatile int *stop,
                          tka_samples **out, tk_err *err)
{
  if (out == NULL)
    return TK_FAIL(err, TK_EINVAL, "sample: NULL output");
  *out = NULL;
  TK_TRY(check_run(c, TKA_SPIN, sweeps, burn_in, chains, beta, threads, NULL,
                   err));
  tka_samples *r = calloc(1, sizeof *r);
  if (r == NULL)
    return TK_FAIL(err, TK_ENOMEM, "samples");
  r->kind = TKA_MIXED;
  r->n = c->g->n;
  r->n_edges = c->g->n_edges;
  r->chains = (uint32_t)chains;
  r->cols = 1;
  tsu_run_params rp = tsu_run_default_params();
  rp.burn_in = burn_in;
  rp.sweeps = sweeps;
  rp.n_batches = N_BATCHES;
  rp.n_threads = threads;
  rp.stop = stop;
  const char *cells[4] = {cat_cells, cat_cell, gmm_cells, gmm_cell};
  int rc = run_mixed(c, r, node_kind, seed, beta, K, kbias, a, cells, temp_K,
                     design_K, clock_Hz, clip, &rp, err);
  size_t n = r->n, m = r->n_edges, cols = r->cols;
  if (rc == 0 &&
      (r->buf = malloc((2 * n * cols + 2 * m + 1) * sizeof *r->buf)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "moments");
  if (rc != 0) {
    tka_samples_free(r);
    return rc;
  }
  double *mean = r->buf, *mse = mean + n * cols, *corr = mse + n * cols;
  tsu_moments_result(r->rr.mom, mean, mse, corr, corr + m);
  *out = r;
  return TK_OK;
}

void tka_samples_map_dev(const tka_samples *s, double *n_mapped,
                         double *mean_dev, double *max_dev)
{
  *n_mapped = *mean_dev = *max_dev = 0;
  if (s != NULL && s->mc != NULL)
    tsu_mixed_chains_dev(s->mc, n_mapped, mean_dev, max_dev);
}
