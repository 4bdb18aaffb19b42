/* run_dtm_cat_sample.c -- a generation run of the categorical DTM
 * (`tsukit dtm sample` on a cat4 model): ideal cells on the fast Potts
 * sampler, or calibrated cat4 cells (run_dtm_cat_cells.c), with the
 * energy report per term.  Workload: T x sweeps x (L^2 + 884) x n
 * updates, seconds on ideal cells. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/tk_progress.h"
#include "io/io_dtm_cat.h"
#include "run/run_dtm_cat.h"
#include "run/run_dtm_cat_impl.h"
#include "tsu/tsu_energy.h"

#define CHAIN_KEEP 16u

static int vote_label(const tsu_dtm *m, const uint8_t *x, uint8_t on)
{
  int cnt[TSU_DTM_N_CLASS] = {0}, best = 0;
  for (uint32_t r = 0; r < m->p.label_copies; r++)
    for (uint32_t c = 0; c < TSU_DTM_N_CLASS; c++)
      cnt[c] += x[TSU_DTM_N_PIX + TSU_DTM_N_CLASS * r + c] == on;
  for (int c = 1; c < (int)TSU_DTM_N_CLASS; c++)
    if (cnt[c] > cnt[best])
      best = c;
  return best;
}

static int generate(const run_dtm_sample_params *o, const tsu_dtmc *m,
                    const tsu_dtmc_cells *cells, uint32_t S,
                    io_dtm_samples *s, double *flips, double *activity,
                    tk_err *err)
{
  size_t n = o->n;
  uint32_t T = m->b->p.T, V = m->b->n_vis;
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
  for (size_t i = 0; rc == TK_OK && per != NULL && i < n; i++)
    per[i] = (int8_t)(i * 10 / n);
  if (rc == TK_OK) {
    tsu_dtm_gen_opts go = {
        .n = (uint32_t)n,
        .label = o->label == RUN_DTM_LABEL_ALL ? -1 : o->label,
        .labels = per, .sweeps = S, .cells = NULL, .seed = o->seed,
        .n_threads = o->threads};
    rc = tsu_dtmc_generate(m, &go, cells, s->visible, ch, flips, activity,
                           err);
  }
  if (rc == TK_OK) {
    for (uint32_t st = 0; st <= T; st++)
      for (size_t c = 0; c < s->n_chain; c++) {
        size_t src = c * n / s->n_chain;
        memcpy(s->chain + ((size_t)st * s->n_chain + c) * TSU_DTM_N_PIX,
               ch + ((size_t)st * n + src) * V, TSU_DTM_N_PIX);
      }
    for (size_t i = 0; i < n; i++) {
      s->label_clamped[i] = per ? per[i] : o->label;
      memcpy(s->images + i * TSU_DTM_N_PIX, s->visible + i * V, TSU_DTM_N_PIX);
      s->labels[i] = vote_label(m->b, s->visible + i * V, (uint8_t)(m->K - 1));
    }
  }
  free(ch);
  free(per);
  return rc;
}

int run_dtmc_sample(const run_dtm_sample_params *o, run_dtm_sample_result *res,
                    tk_err *err)
{
  if (o == NULL || res == NULL || o->model == NULL || o->out == NULL ||
      o->n == 0)
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
  memset(res, 0, sizeof *res);
  tsu_dtmc *m = NULL;
  TK_TRY(io_dtmc_load(o->model, &m, NULL, err));
  int rc = TK_OK;
  if (o->steps && o->steps != m->b->p.T)
    rc = TK_FAIL(err, TK_EINVAL, "%s has %u steps, --steps asks for %u",
                 o->model, m->b->p.T, o->steps);
  uint32_t S = o->sweeps ? o->sweeps : m->b->p.sweeps, T = m->b->p.T;
  tsu_energy_params ep = tsu_energy_default_params();
  run__dtmc_chip *chip = NULL;
  if (rc == TK_OK && o->cells != NULL)
    rc = run__dtmc_chip_open(o, m, &chip, &ep, err);
  io_dtm_samples s = {0};
  tsu_graph *grid = NULL;
  tsu_energy_report en = {0};
  double flips = 0, act = 0, t0 = tk_clock_s();
  if (rc == TK_OK)
    rc = generate(o, m, chip ? run__dtmc_chip_cells(chip) : NULL, S, &s,
                  &flips, &act, err);
  double wall = tk_clock_s() - t0;
  if (rc == TK_OK) {
    ep.activity = act;
    /* A K-state cell forms K field sums: K synapse loads per input. */
    ep.c_syn_F *= m->K;
    rc = tsu_graph_grid(m->b->p.L, m->b->p.n_jumps, 0, &grid, err);
  }
  if (rc == TK_OK)
    rc = tsu_energy_compute(&ep, grid, 2, (double)S, &en, err);
  const char *cell_name = o->cells ? o->cell : "ideal";
  if (rc == TK_OK) {
    s.n = o->n;
    s.n_vis = m->b->n_vis;
    s.steps = T;
    s.sweeps = S;
    s.L = m->b->p.L;
    s.n_jumps = m->b->p.n_jumps;
    s.label = o->label;
    s.model = o->model;
    snprintf(s.cells, sizeof s.cells, "%s", cell_name);
    s.temp_K = o->cells ? o->temp_K : NAN;
    s.energy = (io_dtm_energy){
        .rng_per_sweep_J = en.rng_J, .bias_per_sweep_J = en.bias_J,
        .clock_per_sweep_J = en.clock_J, .wire_per_sweep_J = en.wire_J,
        .per_step_J = en.per_sample_J, .per_sample_J = en.per_sample_J * T,
        .paper_per_sample_J = en.paper_per_sample_J * T,
        .activity = ep.activity, .e_rng_J = ep.e_rng_J};
    io_prov prov = {o->command, o->seed};
    io_dtmc_map_err me;
    double nu = 0;
    if (chip != NULL) {
      run__dtmc_chip_stats(chip, &nu, &me.err_mean, &me.err_max,
                           &me.clip_frac);
      fprintf(stderr, "tsukit dtm: %s at %.2f K: %.0f cell updates, mapping "
              "error max_k |P_k - q_k| mean %.3g, max %.3g; %.1f %% of the "
              "targets pulled into the control range\n", o->cell,
              o->temp_K, nu, me.err_mean, me.err_max, 100 * me.clip_frac);
    }
    rc = io_dtmc_samples_write(o->out, &s, m->K, chip ? &me : NULL, &prov,
                               o->force, err);
  }
  if (rc == TK_OK) {
    res->samples = o->n;
    res->steps = T;
    res->sweeps = S;
    res->wall_s = wall;
    res->flips_per_ns = flips / (wall * 1e9);
    res->cells = cell_name;
    res->energy = s.energy;
    res->energy_ratio = en.per_sample_J / en.paper_per_sample_J;
  }
  s.model = NULL;
  io_dtm_samples_free(&s);
  tsu_graph_free(grid);
  run__dtmc_chip_free(chip);
  tsu_dtmc_free(m);
  return rc;
}
