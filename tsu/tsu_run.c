/* tsu_run.c -- burn-in, recorded sweeps and moments for every node kind
 * (see tsu_run.h). */
#include "tsu/tsu_run.h"

#include <stdlib.h>
#include <string.h>

#include "common/tk_progress.h"

tsu_run_params tsu_run_default_params(void)
{
  tsu_run_params p;
  memset(&p, 0, sizeof p);
  p.burn_in = 100;
  p.sweeps = 1000;
  p.n_batches = 20;
  return p;
}

void tsu_run_result_clear(tsu_run_result *res)
{
  if (res == NULL)
    return;
  tsu_moments_free(res->mom);
  memset(res, 0, sizeof *res);
}

/* Zero res and plan the recorded sweeps. */
static uint64_t begin(const tsu_run_params *p, uint32_t n,
                      uint32_t n_chains, tsu_run_result *res)
{
  memset(res, 0, sizeof *res);
  uint64_t rec = p->n_batches > 0 ? p->sweeps / p->n_batches * p->n_batches
                                  : p->sweeps;
  res->recorded = rec;
  res->updates = (double)n * (double)n_chains * (double)rec;
  return rec;
}

/* TK_EINTERRUPT when p->stop is set. */
static int stopped(const tsu_run_params *p, uint64_t done, tk_err *err)
{
  if (p->stop == NULL || *p->stop == 0)
    return TK_OK;
  return TK_FAIL(err, TK_EINTERRUPT, "interrupted after %llu sweeps",
                 (unsigned long long)done);
}

/* Sweeps of Potts or Gaussian chains in chunks of 8 between which
 * p->stop is looked at (one call without a stop flag). */
typedef int (*chains_run_fn)(void *c, uint64_t n, int nt, tsu_moments *mom,
                             tk_err *err);
static int run_chunked(chains_run_fn fn, void *c, uint64_t n,
                       const tsu_run_params *p, tsu_moments *mom,
                       uint64_t done0, tk_err *err)
{
  if (p->stop == NULL)
    return fn(c, n, p->n_threads, mom, err);
  for (uint64_t t = 0; t < n; t += 8) {
    TK_TRY(stopped(p, done0 + t, err));
    TK_TRY(fn(c, n - t < 8 ? n - t : 8, p->n_threads, mom, err));
  }
  return TK_OK;
}

static int potts_run(void *c, uint64_t n, int nt, tsu_moments *mom,
                     tk_err *err)
{
  return tsu_potts_chains_run(c, n, nt, mom, err);
}

static int gauss_run(void *c, uint64_t n, int nt, tsu_moments *mom,
                     tk_err *err)
{
  return tsu_gauss_chains_run(c, n, nt, mom, err);
}

static void finish(tsu_run_result *res)
{
  res->updates_per_ns = res->updates / (res->t_rec_s * 1e9);
}

int tsu_run_spin(tsu_sampler *s, const tsu_graph *g, uint32_t n_chains,
                 const tsu_run_params *p, tsu_run_result *res, tk_err *err)
{
  uint64_t rec = begin(p, g->n, n_chains, res);
  TK_TRY(tsu_moments_alloc(g->n, 1, g->n_edges, TSU_MOM_COUNT, n_chains, rec,
                           p->n_batches, &res->mom, err));
  uint32_t ng = 0;
  tsu_sampler_bits(s, &ng);
  size_t n = g->n;
  uint64_t *prev = malloc(n * ng * 8 + 8);
  if (prev == NULL) {
    tsu_run_result_clear(res);
    return TK_FAIL(err, TK_ENOMEM, "sample buffers");
  }
  int nt = p->n_threads;
  tk_progress pr;
  if (p->progress)
    tk_progress_init(&pr, "sweeps", (double)(p->burn_in + rec), 0);
  int rc = TK_OK;
  for (uint64_t t = 0; t < p->burn_in && rc == TK_OK; t += 10) {
    if ((rc = stopped(p, t, err)) != TK_OK)
      break;
    tsu_sampler_run(s, p->burn_in - t < 10 ? p->burn_in - t : 10, nt);
    if (p->progress)
      tk_progress_update(&pr, (double)t);
  }
  double changed = 0;
  uint32_t last = n_chains - 64 * (ng - 1);
  uint64_t lastmask = last >= 64 ? ~0ull : ((1ull << last) - 1);
  for (uint64_t t = 0; t < rec && rc == TK_OK; t++) {
    if ((rc = stopped(p, p->burn_in + t, err)) != TK_OK)
      break;
    const uint64_t *b = tsu_sampler_bits(s, NULL);
    memcpy(prev, b, n * ng * 8);
    double ts = tk_clock_s();
    tsu_sampler_run(s, 1, nt);
    res->t_rec_s += tk_clock_s() - ts;
    b = tsu_sampler_bits(s, NULL);
    for (size_t k = 0; k < n * ng; k++) {
      uint64_t valid = (k % ng == ng - 1) ? lastmask : ~0ull;
      changed += __builtin_popcountll((b[k] ^ prev[k]) & valid);
    }
    tsu_moments_add_spins(res->mom, g, b, ng);
    if (p->progress && t % 16 == 0)
      tk_progress_update(&pr, (double)(p->burn_in + t));
  }
  if (p->progress)
    tk_progress_finish(&pr);
  free(prev);
  if (rc != TK_OK) {
    tsu_run_result_clear(res);
    return rc;
  }
  res->activity = changed / res->updates;
  finish(res);
  return TK_OK;
}

int tsu_run_potts(tsu_potts_chains *c, const tsu_potts *model,
                  uint32_t n_chains, const tsu_run_params *p,
                  tsu_run_result *res, tk_err *err)
{
  uint64_t rec = begin(p, model->g->n, n_chains, res);
  int rc = tsu_potts_moments_alloc(model, n_chains, rec, p->n_batches,
                                   &res->mom, err);
  if (rc == 0)
    rc = run_chunked(potts_run, c, p->burn_in, p, NULL, 0, err);
  if (rc == 0) {
    uint64_t ch0 = tsu_potts_chains_changes(c);
    double t0 = tk_clock_s();
    rc = run_chunked(potts_run, c, rec, p, res->mom, p->burn_in, err);
    res->t_rec_s = tk_clock_s() - t0;
    res->activity = (double)(tsu_potts_chains_changes(c) - ch0) / res->updates;
  }
  if (rc != 0) {
    tsu_run_result_clear(res);
    return rc;
  }
  finish(res);
  return TK_OK;
}

int tsu_run_gauss(tsu_gauss_chains *c, const tsu_graph *g, uint32_t n_chains,
                  const tsu_run_params *p, tsu_run_result *res, tk_err *err)
{
  uint64_t rec = begin(p, g->n, n_chains, res);
  int rc = tsu_gauss_moments_alloc(g, n_chains, rec, p->n_batches, &res->mom,
                                   err);
  if (rc == 0)
    rc = run_chunked(gauss_run, c, p->burn_in, p, NULL, 0, err);
  if (rc == 0) {
    double t0 = tk_clock_s();
    rc = run_chunked(gauss_run, c, rec, p, res->mom, p->burn_in, err);
    res->t_rec_s = tk_clock_s() - t0;
    res->activity = 1.0;
  }
  if (rc != 0) {
    tsu_run_result_clear(res);
    return rc;
  }
  finish(res);
  return TK_OK;
}

int tsu_run_fastpotts(tsu_fastpotts *s, const tsu_potts *model,
                      uint32_t n_chains, const tsu_run_params *p,
                      tsu_run_result *res, tk_err *err)
{
  uint64_t rec = begin(p, model->g->n, n_chains, res);
  int rc = tsu_potts_moments_alloc(model, n_chains, rec, p->n_batches,
                                   &res->mom, err);
  if (rc == 0)
    rc = tsu_fastpotts_run(s, p->burn_in, p->n_threads, NULL, err);
  if (rc == 0) {
    uint64_t ch0 = tsu_fastpotts_changes(s);
    double t0 = tk_clock_s();
    rc = tsu_fastpotts_run(s, rec, p->n_threads, res->mom, err);
    res->t_rec_s = tk_clock_s() - t0;
    res->activity = (double)(tsu_fastpotts_changes(s) - ch0) / res->updates;
  }
  if (rc != 0) {
    tsu_run_result_clear(res);
    return rc;
  }
  finish(res);
  return TK_OK;
}

int tsu_run_fastgauss(tsu_fastgauss *s, const tsu_graph *g, uint32_t n_chains,
                      const tsu_run_params *p, tsu_run_result *res,
                      tk_err *err)
{
  uint64_t rec = begin(p, g->n, n_chains, res);
  int rc = tsu_gauss_moments_alloc(g, n_chains, rec, p->n_batches, &res->mom,
                                   err);
  if (rc == 0)
    rc = tsu_fastgauss_run(s, p->burn_in, p->n_threads, NULL, err);
  if (rc == 0) {
    double t0 = tk_clock_s();
    rc = tsu_fastgauss_run(s, rec, p->n_threads, res->mom, err);
    res->t_rec_s = tk_clock_s() - t0;
    res->activity = 1.0;
  }
  if (rc != 0) {
    tsu_run_result_clear(res);
    return rc;
  }
  finish(res);
  return TK_OK;
}
