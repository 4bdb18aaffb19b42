/* run_dtm_sample.c -- a DTM generation run (`tsukit dtm sample`): samples
 * from noise on ideal or calibrated (mismatched, finite-tau) cells, with
 * the energy per sample from the chip's energy accounting beside the
 * paper's formula T K L^2 E_cell.  Workload: T x sweeps x (L^2 + 884) x n
 * cell updates, seconds for 1000 samples of the 70 x 70 G12 model. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/tk_progress.h"
#include "io/io_cells.h"
#include "io/io_dtm_cat.h"
#include "run/run_dtm.h"
#include "run/run_dtm_cat.h"
#include "tsu/tsu_celltab.h"
#include "tsu/tsu_energy.h"
#include "physics/phys_const.h"

#define CHAIN_KEEP 16u

run_dtm_sample_params run_dtm_sample_default_params(void)
{
  run_dtm_sample_params p;
  memset(&p, 0, sizeof p);
  p.label = RUN_DTM_LABEL_FREE;
  p.design_K = NAN;
  p.clock_Hz = 1e7;
  p.seed = 1;
  return p;
}

/* Class voted by the label spins (most lit one-hot position). */
static int vote_label(const tsu_dtm *m, const uint8_t *x)
{
  int cnt[TSU_DTM_N_CLASS] = {0}, best = 0;
  for (uint32_t r = 0; r < m->p.label_copies; r++)
    for (uint32_t c = 0; c < TSU_DTM_N_CLASS; c++)
      cnt[c] += x[TSU_DTM_N_PIX + TSU_DTM_N_CLASS * r + c];
  for (int c = 1; c < (int)TSU_DTM_N_CLASS; c++)
    if (cnt[c] > cnt[best])
      best = c;
  return best;
}

static int check_params(const run_dtm_sample_params *o, tk_err *err)
{
  if (o->model == NULL || o->out == NULL || o->n == 0)
    return TK_FAIL(err, TK_EINVAL, "dtm sample: a model, a sample count and "
                   "an output file are required");
  if (o->label < RUN_DTM_LABEL_FREE || o->label > RUN_DTM_LABEL_ALL)
    return TK_FAIL(err, TK_EINVAL, "dtm sample: label %d is not -1, 0..9 or "
                   "all", o->label);
  if (o->label == RUN_DTM_LABEL_ALL && o->n < 10)
    return TK_FAIL(err, TK_EINVAL, "dtm sample: --label all needs --n >= 10");
  if (o->cells != NULL && o->cell == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm sample: --cells needs --cell NAME");
  struct stat sb;
  if (stat(o->out, &sb) == 0 && !o->force)
    return TK_FAIL(err, TK_EINVAL, "%s exists (--force to overwrite)", o->out);
  return TK_OK;
}

/* The chip's cells and energy parameters from a cell library (ideal cells
 * and the default energy parameters without one). */
static int chip_cells(const run_dtm_sample_params *o, const tsu_dtm *m,
                      tsu_cells **cells, tsu_energy_params *ep, char *desc,
                      size_t size, double *tau_slowest_s, tk_err *err)
{
  *ep = tsu_energy_default_params();
  *tau_slowest_s = 0;
  if (o->cells == NULL)
    return TK_OK;
  tsu_celltab *tab = NULL;
  tsu_cell_params cp;
  tsu_cellpoint at = {0};
  int rc = io_cells_read(o->cells, o->cell, &tab, err);
  if (rc == TK_OK)
    rc = tsu_celltab_cells(tab, o->temp_K,
                           isnan(o->design_K) ? o->temp_K : o->design_K, 1.0,
                           o->clock_Hz, 2, o->seed,
                           (tsu_mismatch)o->mismatch, o->trim,
                           o->trim_lsb_V, m->n_nodes,
                           cells, &cp, &at, desc, size,
                           &ep->samples_per_update, err);
  if (rc == TK_OK) {
    if (at.energy_J > 0)
      ep->e_rng_J = at.energy_J;
    ep->tau_s = cp.tau_s;
    ep->dt_s = cp.dt_s;
    *tau_slowest_s = at.tau_slowest_s;
  }
  tsu_celltab_free(tab);
  return rc;
}

/* Generate into s (images, labels, visible, chains) and count flips. */
static int generate(const run_dtm_sample_params *o, const tsu_dtm *m,
                    const tsu_cells *cells, uint32_t K, io_dtm_samples *s,
                    double *flips, double *activity, tk_err *err)
{
  size_t n = o->n;
  uint32_t T = m->p.T, V = m->n_vis;
  s->images = malloc(n * TSU_DTM_N_PIX);
  s->visible = malloc(n * V);
  s->labels = malloc(n * sizeof *s->labels);
  s->label_clamped = malloc(n * sizeof *s->label_clamped);
  s->n_chain = n < CHAIN_KEEP ? n : CHAIN_KEEP;
  s->chain = malloc((size_t)(T + 1) * s->n_chain * TSU_DTM_N_PIX);
  uint8_t *ch = malloc((size_t)(T + 1) * n * V);
  int8_t *per = o->label == RUN_DTM_LABEL_ALL ? malloc(n) : NULL;
  int rc = TK_OK;
  if (!s->images || !s->visible || !s->labels || !s->label_clamped ||
      !s->chain || !ch || (o->label == RUN_DTM_LABEL_ALL && !per))
    rc = TK_FAIL(err, TK_ENOMEM, "sample buffers");
  /* --label all: sample i clamped to class i * 10 / n (equal shares, in
   * class order), all in one generation run. */
  for (size_t i = 0; rc == TK_OK && per != NULL && i < n; i++)
    per[i] = (int8_t)(i * 10 / n);
  tk_progress pr;
  tk_progress_init(&pr, "dtm sample", (double)n, 0);
  if (rc == TK_OK) {
    tsu_dtm_gen_opts go = {
        .n = (uint32_t)n,
        .label = o->label == RUN_DTM_LABEL_ALL ? -1 : o->label,
        .labels = per, .sweeps = K, .cells = cells, .seed = o->seed,
        .n_threads = o->threads};
    rc = tsu_dtm_generate(m, &go, s->visible, ch, flips, activity, err);
  }
  if (rc == TK_OK) {
    /* Keep the chains of up to 16 samples, spread over the set (and so
     * over the classes with --label all); x^T (noise) first. */
    for (uint32_t st = 0; st <= T; st++)
      for (size_t c = 0; c < s->n_chain; c++) {
        size_t src = c * n / s->n_chain;
        memcpy(s->chain + ((size_t)st * s->n_chain + c) * TSU_DTM_N_PIX,
               ch + ((size_t)st * n + src) * V, TSU_DTM_N_PIX);
      }
    for (size_t i = 0; i < n; i++) {
      s->label_clamped[i] = per ? per[i] : o->label;
      memcpy(s->images + i * TSU_DTM_N_PIX, s->visible + i * V, TSU_DTM_N_PIX);
      s->labels[i] = vote_label(m, s->visible + i * V);
    }
    tk_progress_update(&pr, (double)n);
  }
  tk_progress_finish(&pr);
  free(ch);
  free(per);
  return rc;
}

int run_dtm_sample(const run_dtm_sample_params *o, run_dtm_sample_result *res,
                   tk_err *err)
{
  if (o == NULL || res == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm sample: no parameters");
  if (o->model != NULL && io_dtmc_is_model(o->model))
    return run_dtmc_sample(o, res, err); /* categorical pixels, issue 14 */
  TK_TRY(check_params(o, err));
  memset(res, 0, sizeof *res);
  tsu_dtm *m = NULL;
  TK_TRY(io_dtm_load(o->model, &m, NULL, err));
  if (o->steps && o->steps != m->p.T) {
    int rc = TK_FAIL(err, TK_EINVAL, "%s has %u steps, --steps asks for %u",
                     o->model, m->p.T, o->steps);
    tsu_dtm_free(m);
    return rc;
  }
  uint32_t K = o->sweeps ? o->sweeps : m->p.sweeps, T = m->p.T;
  tsu_cells *cells = NULL;
  tsu_graph *grid = NULL;
  tsu_energy_params ep;
  tsu_energy_report en = {0};
  io_dtm_samples s = {0};
  double flips = 0, act = 0, tau_slowest = 0;
  int rc = chip_cells(o, m, &cells, &ep, res->cell_mismatch,
                      sizeof res->cell_mismatch, &tau_slowest, err);
  if (rc == TK_OK && o->cells != NULL)
    fprintf(stderr, "dtm sample: cells: %s\n", res->cell_mismatch);
  double t0 = tk_clock_s();
  if (rc == TK_OK)
    rc = generate(o, m, cells, K, &s, &flips, &act, err);
  double wall = tk_clock_s() - t0;
  if (rc == TK_OK) {
    ep.activity = flips > 0 ? act * flips / flips : 0.5;
    rc = tsu_graph_grid(m->p.L, m->p.n_jumps, 0, &grid, err);
  }
  if (rc == TK_OK)
    rc = tsu_energy_compute(&ep, grid, 2, (double)K, &en, err);
  const char *cell_name = o->cells ? o->cell : "ideal";
  if (rc == TK_OK) {
    s.n = o->n;
    s.n_vis = m->n_vis;
    s.steps = T;
    s.sweeps = K;
    s.L = m->p.L;
    s.n_jumps = m->p.n_jumps;
    s.label = o->label;
    s.model = o->model;
    snprintf(s.cells, sizeof s.cells, "%s", cell_name);
    s.temp_K = o->cells ? o->temp_K : NAN;
    s.cell_mismatch = o->cells ? res->cell_mismatch : NULL;
    s.energy = (io_dtm_energy){
        .rng_per_sweep_J = en.rng_J, .bias_per_sweep_J = en.bias_J,
        .clock_per_sweep_J = en.clock_J, .wire_per_sweep_J = en.wire_J,
        .per_step_J = en.per_sample_J, .per_sample_J = en.per_sample_J * T,
        .paper_per_sample_J = en.paper_per_sample_J * T,
        .activity = ep.activity, .e_rng_J = ep.e_rng_J};
    io_prov prov = {o->command, o->seed};
    rc = io_dtm_samples_write(o->out, &s, &prov, o->force, err);
  }
  if (rc == TK_OK) {
    res->samples = o->n;
    res->steps = T;
    res->sweeps = K;
    res->wall_s = wall;
    res->flips_per_ns = flips / (wall * 1e9);
    res->cells = cell_name;
    res->energy = s.energy;
    res->energy_ratio = en.per_sample_J / en.paper_per_sample_J;
    res->chip = run_chiptime_compute(tau_slowest > 0 ? tau_slowest : ep.tau_s,
                                     2, (double)K, (double)T);
  }
  s.model = NULL;
  io_dtm_samples_free(&s);
  tsu_graph_free(grid);
  tsu_cells_free(cells);
  tsu_dtm_free(m);
  return rc;
}
