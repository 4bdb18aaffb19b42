/* run_sample.c -- a whole `tsukit sample` run (see run_sample.h).
 *
 * Everything the run allocates sits in one struct, freed in one place.
 * The spin path builds cells (ideal or calibrated) and the fast sampler;
 * potts and gauss build their reference models on the same graph (same
 * J, h; see `tsukit sample --help` for the energies).  All three run
 * through tsu_run_* and write through io_samples_write.
 */
#include "run/run_sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_cells.h"
#include "io/io_samples.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_celltab.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_fastgauss.h"
#include "tsu/tsu_fastpotts.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_potts.h"
#include "tsu/tsu_run.h"
#include "physics/phys_const.h"

#define N_BATCHES 20

static const char *const kind_names[RUN_SAMPLE_N_KINDS] = {"spin", "potts",
                                                            "gauss"};

const char *run_sample_kind_name(run_sample_kind k)
{
  return (unsigned)k < RUN_SAMPLE_N_KINDS ? kind_names[k] : "?";
}

int run_sample_kind_from_name(const char *name, run_sample_kind *out,
                              tk_err *err)
{
  for (int k = 0; name != NULL && k < RUN_SAMPLE_N_KINDS; k++)
    if (strcmp(name, kind_names[k]) == 0) {
      *out = (run_sample_kind)k;
      return TK_OK;
    }
  return TK_FAIL(err, TK_EINVAL, "node kind '%s': expected spin, potts or "
                 "gauss", name != NULL ? name : "(null)");
}

run_sample_params run_sample_default_params(void)
{
  run_sample_params p;
  memset(&p, 0, sizeof p);
  p.graph = "G12";
  p.L = 70;
  p.model = "random";
  p.beta = 1.0;
  p.chains = 256;
  p.sweeps = 1000;
  p.burn_in = 100;
  p.seed = 1;
  p.clock_Hz = 1e7;
  p.design_K = NAN;
  p.sample_sweeps = 250;
  p.kind = RUN_SAMPLE_SPIN;
  p.states = 3;
  return p;
}

/* Everything the run allocates. */
typedef struct sample_run {
  tsu_graph *g;
  tsu_coloring *col;
  tsu_cells *cells;         /* spin: the cells */
  tsu_celltab *tab;         /* spin: the calibrated library */
  tsu_sampler *s;           /* spin: the fast sampler */
  tsu_potts potts;          /* potts: model (couplings from g, biases pot_h) */
  tsu_gauss gauss;          /* gauss: model (couplings from g, a from gauss_a) */
  double *pot_h;            /* [n][K] Potts per-state biases */
  double *gauss_a;          /* [n] Gaussian self-couplings */
  tsu_potts_chains *pc;     /* Potts reference chains */
  tsu_gauss_chains *gc;     /* Gaussian reference chains */
  tsu_fastpotts *fpc;       /* Potts fast sampler */
  tsu_fastgauss *fgc;       /* Gaussian fast sampler */
  uint8_t *pstates;         /* fast Potts: final states [chains][n] */
  double *gstates;          /* fast Gaussian: final states [chains][n] */
  char kernel_name[32];     /* "potts-avx512", ... */
  tsu_run_result rr;        /* moments, timing, activity */
  double *buf;              /* mean, mean_se [n][K], corr, corr_se [m] */
  int8_t *states;           /* spin: final states [chains][n] */
} sample_run;

static void run_free(sample_run *r)
{
  tsu_sampler_free(r->s);
  tsu_cells_free(r->cells);
  tsu_celltab_free(r->tab);
  tsu_potts_chains_free(r->pc);
  tsu_gauss_chains_free(r->gc);
  tsu_fastpotts_free(r->fpc);
  tsu_fastgauss_free(r->fgc);
  free(r->pstates);
  free(r->gstates);
  tsu_run_result_clear(&r->rr);
  tsu_coloring_free(r->col);
  tsu_graph_free(r->g);
  free(r->pot_h);
  free(r->gauss_a);
  free(r->buf);
  free(r->states);
}

static int build_graph(const run_sample_params *o, sample_run *r, tk_err *err)
{
  int jumps = tsu_grid_name_jumps(o->graph);
  if (jumps > 0) {
    TK_TRY(tsu_graph_grid((uint32_t)o->L, jumps, o->torus, &r->g, err));
    if (strcmp(o->model, "random") == 0) {
      tsu_graph_random_model(r->g, o->seed, 1.0, 0.1);
    } else {
      tsu_graph *m = NULL;
      TK_TRY(tsu_graph_read(o->model, &m, err));
      int rc = tsu_graph_apply_model(r->g, m, err);
      tsu_graph_free(m);
      if (rc != 0)
        return tk_err_wrap(err, rc, "--model %s", o->model);
    }
  } else {
    if (strcmp(o->model, "random") != 0)
      return TK_FAIL(err, TK_EINVAL, "--model applies to grids; a graph "
                     "file carries its own weights");
    TK_TRY(tsu_graph_read(o->graph, &r->g, err));
  }
  return tsu_coloring_build(r->g, &r->col, err);
}

static tsu_run_params run_params(const run_sample_params *o, int progress)
{
  tsu_run_params rp = tsu_run_default_params();
  rp.burn_in = (uint64_t)o->burn_in;
  rp.sweeps = (uint64_t)o->sweeps;
  rp.n_batches = N_BATCHES;
  rp.n_threads = (int)o->threads;
  rp.progress = progress;
  return rp;
}

/* Spin: cells, sampler, run; the energy parameters from the library. */
static int run_spin(const run_sample_params *o, sample_run *r,
                    tsu_energy_params *ep, io_samples *w, tk_err *err)
{
  tsu_cell_params cp = tsu_cell_ideal_params(o->beta);
  uint32_t C = (uint32_t)o->chains;
  if (o->cells != NULL) {
    tsu_cellpoint at;
    TK_TRY(io_cells_read(o->cells, o->cell, &r->tab, err));
    TK_TRY(tsu_celltab_params(r->tab, o->temp_K,
                                  isnan(o->design_K) ? o->temp_K : o->design_K, o->beta,
                              o->clock_Hz, r->col->n_colors, o->seed, &cp,
                              &at, err));
    if (at.energy_J > 0)
      ep->e_rng_J = at.energy_J;
    ep->tau_s = cp.tau_s;
    ep->dt_s = cp.dt_s;
  }
  TK_TRY(tsu_cells_build(&cp, r->g->n, &r->cells, err));
  TK_TRY(tsu_sampler_alloc(r->g, r->col, r->cells, C, o->seed,
                           o->path, &r->s, err));
  tsu_run_params rp = run_params(o, 1);
  TK_TRY(tsu_run_spin(r->s, r->g, C, &rp, &r->rr, err));
  size_t n = r->g->n;
  if (o->save_states) {
    if ((r->states = malloc((size_t)o->chains * n + 1)) == NULL)
      return TK_FAIL(err, TK_ENOMEM, "sample buffers");
    for (uint32_t c = 0; c < C; c++)
      for (size_t i = 0; i < n; i++)
        r->states[(size_t)c * n + i] =
            (int8_t)tsu_sampler_spin(r->s, c, (uint32_t)i);
    w->final_spin = r->states;
  }
  w->observables = "mean: <s_i> [n]; edge_corr: <s_i s_j> [n_edges]";
  w->kernel = tsu_sampler_path_name(r->s);
  return TK_OK;
}

/* Potts: the fast sampler (or the reference chains); the energy
 * parameters from the node kind's cell figures (tsu_potts.h: all zero
 * for ideal cells, i.e. the defaults). */
static int run_potts(const run_sample_params *o, sample_run *r,
                     tsu_energy_params *ep, io_samples *w, tk_err *err)
{
  size_t n = r->g->n, K = (size_t)o->states;
  uint32_t C = (uint32_t)o->chains;
  if ((r->pot_h = malloc(n * K * sizeof *r->pot_h)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "Potts biases");
  tsu_potts_bias_from_graph(r->g, (uint32_t)K, r->pot_h);
  r->potts = (tsu_potts){r->g, (uint32_t)K, r->pot_h, o->beta};
  tsu_potts_cell_energy ce = tsu_potts_cell_energy_default();
  tsu_potts_cell_energy_apply(&ce, ep);
  tsu_run_params rp = run_params(o, 0);
  if (o->reference) {
    TK_TRY(tsu_potts_chains_alloc(&r->potts, r->col, C, o->seed, &r->pc,
                                  err));
    TK_TRY(tsu_run_potts(r->pc, &r->potts, C, &rp, &r->rr, err));
    if (o->save_states)
      w->final_potts = tsu_potts_chains_states(r->pc);
    w->kernel = "potts-reference";
  } else {
    TK_TRY(tsu_fastpotts_alloc(&r->potts, r->col, C, o->seed, o->path,
                               &r->fpc, err));
    TK_TRY(tsu_run_fastpotts(r->fpc, &r->potts, C, &rp, &r->rr, err));
    if (o->save_states) {
      if ((r->pstates = malloc((size_t)C * n + 1)) == NULL)
        return TK_FAIL(err, TK_ENOMEM, "sample buffers");
      tsu_fastpotts_states(r->fpc, r->pstates);
      w->final_potts = r->pstates;
    }
    snprintf(r->kernel_name, sizeof r->kernel_name, "potts-%s",
             tsu_fastpotts_path_name(r->fpc));
    w->kernel = r->kernel_name;
  }
  w->observables = "mean: P(s_i = k) [n, K]; edge_corr: P(s_i = s_j) "
                   "[n_edges]";
  w->states = o->states;
  return TK_OK;
}

static int run_gauss(const run_sample_params *o, sample_run *r,
                     tsu_energy_params *ep, io_samples *w, tk_err *err)
{
  size_t n = r->g->n;
  uint32_t C = (uint32_t)o->chains;
  if ((r->gauss_a = malloc(n * sizeof *r->gauss_a)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "Gaussian self-couplings");
  tsu_gauss_diag_dominant(r->g, 1.0, r->gauss_a);
  r->gauss = (tsu_gauss){r->g, r->gauss_a, o->beta};
  tsu_gauss_cell_energy ce = tsu_gauss_cell_energy_default();
  tsu_gauss_cell_energy_apply(&ce, ep);
  tsu_run_params rp = run_params(o, 0);
  if (o->reference) {
    TK_TRY(tsu_gauss_chains_alloc(&r->gauss, r->col, C, o->seed, &r->gc,
                                  err));
    TK_TRY(tsu_run_gauss(r->gc, r->g, C, &rp, &r->rr, err));
    if (o->save_states)
      w->final_gauss = tsu_gauss_chains_states(r->gc);
    w->kernel = "gauss-reference";
  } else {
    TK_TRY(tsu_fastgauss_alloc(&r->gauss, r->col, C, o->seed, o->path,
                               &r->fgc, err));
    TK_TRY(tsu_run_fastgauss(r->fgc, r->g, C, &rp, &r->rr, err));
    if (o->save_states) {
      if ((r->gstates = malloc(((size_t)C * n + 1) * sizeof *r->gstates)) ==
          NULL)
        return TK_FAIL(err, TK_ENOMEM, "sample buffers");
      tsu_fastgauss_states(r->fgc, r->gstates);
      w->final_gauss = r->gstates;
    }
    snprintf(r->kernel_name, sizeof r->kernel_name, "gauss-%s",
             tsu_fastgauss_path_name(r->fgc));
    w->kernel = r->kernel_name;
  }
  w->observables = "mean: <x_i> [n]; edge_corr: <x_i x_j> [n_edges]; "
                   "a_i in /graph/a";
  w->gauss_a = r->gauss_a;
  return TK_OK;
}

static int sample(const run_sample_params *o, sample_run *r,
                  run_sample_result *res, tk_err *err)
{
  if (o->out == NULL)
    return TK_FAIL(err, TK_EINVAL, "sample: no output file");
  if ((unsigned)o->kind >= RUN_SAMPLE_N_KINDS)
    return TK_FAIL(err, TK_EINVAL, "sample: node kind %d", (int)o->kind);
  if (o->cells != NULL && o->kind != RUN_SAMPLE_SPIN)
    return TK_FAIL(err, TK_EINVAL, "calibrated cells need spin nodes");
  TK_TRY(build_graph(o, r, err));
  io_samples w;
  memset(&w, 0, sizeof w);
  tsu_energy_params ep = tsu_energy_default_params();
  if (o->kind == RUN_SAMPLE_SPIN)
    TK_TRY(run_spin(o, r, &ep, &w, err));
  else if (o->kind == RUN_SAMPLE_POTTS)
    TK_TRY(run_potts(o, r, &ep, &w, err));
  else
    TK_TRY(run_gauss(o, r, &ep, &w, err));
  size_t n = r->g->n, m = r->g->n_edges;
  size_t K = o->kind == RUN_SAMPLE_POTTS ? (size_t)o->states : 1;
  if ((r->buf = malloc((2 * n * K + 2 * m + 1) * sizeof *r->buf)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "sample buffers");
  double *mean = r->buf, *mse = mean + n * K, *corr = mse + n * K;
  double *cse = corr + m;
  tsu_moments_result(r->rr.mom, mean, mse, corr, cse);
  double mag = 0;
  for (size_t i = 0; i < n; i++)
    mag += K > 1 ? (K * mean[i * K + 1] - 1) / (K - 1.0) : mean[i];
  mag /= (double)n;
  ep.activity = r->rr.activity;
  TK_TRY(tsu_energy_compute(&ep, r->g, r->col->n_colors,
                            (double)o->sample_sweeps, &res->en, err));
  w.g = r->g;
  w.graph_spec = o->graph;
  w.n_colors = r->col->n_colors;
  w.mean = mean;
  w.mean_se = mse;
  w.corr = corr;
  w.corr_se = cse;
  w.mean_cols = K;
  w.cells_kind = run_sample_kind_name(o->kind);
  w.cells = o->cells ? o->cell : "ideal";
  w.beta = o->beta;
  w.chains = (double)o->chains;
  w.sweeps = (double)o->sweeps;
  w.burn_in = (double)o->burn_in;
  w.flips_per_ns = r->rr.updates_per_ns;
  w.activity = r->rr.activity;
  w.en = &res->en;
  w.sweeps_per_sample = (double)o->sample_sweeps;
  io_prov prov = {o->command != NULL ? o->command : "", o->seed};
  TK_TRY(io_samples_write(o->out, &prov, o->force, &w, err));
  res->nodes = (long)n;
  res->edges = (long)m;
  res->colors = (long)r->col->n_colors;
  res->chains = o->chains;
  res->sweeps = (long)r->rr.recorded;
  res->flips_per_ns = r->rr.updates_per_ns;
  res->mean_magnetisation = mag;
  res->flip_activity = r->rr.activity;
  return TK_OK;
}

int run_sample(const run_sample_params *p, run_sample_result *res,
               tk_err *err)
{
  sample_run r;
  memset(&r, 0, sizeof r);
  memset(res, 0, sizeof *res);
  int rc = sample(p, &r, res, err);
  run_free(&r);
  return rc;
}
