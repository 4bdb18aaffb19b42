/* tka_dtm.c -- the DTM's runs for foreign callers (tka_dtm.h): the
 * run_dtm_* calls with their parameter structs filled from scalars. */
#include "api/tka_dtm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_dtm.h"
#include "io/io_dtm_cat.h"
#include "io/io_h5.h"
#include "run/run_dtm.h"
#include "tsu/tsu_dtm.h"
#include "tsu/tsu_graph.h"

/* The caller's callback and stop flag behind run_dtm_train's callback. */
typedef struct train_ctx {
  tka_dtm_progress_fn fn;
  void *ctx;
  const volatile int *stop;
} train_ctx;

static int train_progress(void *ctx, uint32_t epoch, uint32_t epochs,
                          double done)
{
  train_ctx *c = ctx;
  if (c->stop != NULL && *c->stop)
    return 1;
  return c->fn != NULL ? c->fn(c->ctx, epoch, epochs, done) : 0;
}

static int in(double x, double lo, double hi)
{
  return x >= lo && x <= hi;
}

int tka_dtm_train(const char *data, const char *out, unsigned steps,
                  const char *graph, long L, unsigned epochs,
                  unsigned sweeps, unsigned sweeps_pos, unsigned record,
                  unsigned batch, size_t train_limit, uint64_t seed,
                  int threads, int resume, int force,
                  tka_dtm_progress_fn progress, void *ctx,
                  const volatile int *stop, double res[6], tk_err *err)
{
  return tka_dtm_train_pixels(data, out, steps, graph, L, epochs, sweeps,
                              sweeps_pos, record, batch, train_limit, seed,
                              threads, resume, force, 0, progress, ctx, stop,
                              res, err);
}

int tka_dtm_train_pixels(const char *data, const char *out, unsigned steps,
                         const char *graph, long L, unsigned epochs,
                         unsigned sweeps, unsigned sweeps_pos,
                         unsigned record, unsigned batch, size_t train_limit,
                         uint64_t seed, int threads, int resume, int force,
                         unsigned levels, tka_dtm_progress_fn progress,
                         void *ctx, const volatile int *stop, double res[6],
                         tk_err *err)
{
  if (data == NULL || out == NULL || graph == NULL || res == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm train: data, out and graph are "
                   "required");
  int jumps = tsu_grid_name_jumps(graph);
  if (jumps < 0)
    return TK_FAIL(err, TK_EINVAL, "dtm train: graph '%s' is not one of G4, "
                   "G8, G12, G16, G20, G24", graph);
  if (!in(steps, 1, 64) || !in((double)L, 43, 1024) || !in(epochs, 1, 1e5) ||
      !in(sweeps, 1, 1e6) || !in(sweeps_pos, 1, 1e6) ||
      !in(record, 1, fmin(sweeps, sweeps_pos)) || !in(batch, 64, 65536) ||
      batch % 64 != 0 || !in(threads, 0, 1024))
    return TK_FAIL(err, TK_ERANGE, "dtm train: steps %u in 1..64, L %ld in "
                   "43..1024, epochs %u in 1..1e5, sweeps %u and sweeps_pos "
                   "%u in 1..1e6, record %u in 1..both, batch %u a multiple "
                   "of 64 in 64..65536, threads %d in 0..1024", steps, L,
                   epochs, sweeps, sweeps_pos, record, batch, threads);
  if (levels == 1 || levels > TSU_DTMC_MAX_K)
    return TK_FAIL(err, TK_ERANGE, "dtm train: pixel levels %u: 0 (binary) "
                   "or 2..%u", levels, TSU_DTMC_MAX_K);
  run_dtm_train_params p = run_dtm_train_default_params();
  p.pixel_levels = levels;
  p.data = data;
  p.out = out;
  p.p.T = steps;
  p.p.n_jumps = jumps;
  p.p.L = (uint32_t)L;
  p.p.epochs = epochs;
  p.p.sweeps = sweeps;
  p.p.sweeps_pos = sweeps_pos;
  p.p.record = record;
  p.p.batch = batch;
  p.p.seed = seed;
  p.train_limit = train_limit;
  p.threads = threads;
  p.resume = resume != 0;
  p.force = force != 0;
  p.set_steps = p.set_graph = p.set_L = 1;
  p.command = "python: tsukit.dtm.train";
  train_ctx tc = {progress, ctx, stop};
  p.progress = train_progress;
  p.progress_ctx = &tc;
  run_dtm_train_result r;
  TK_TRY(run_dtm_train(&p, &r, err));
  res[0] = r.epochs;
  res[1] = r.wall_s;
  res[2] = r.images_per_s;
  res[3] = r.flips_per_ns;
  res[4] = r.autocorr;
  res[5] = r.acp_lambda_max;
  return TK_OK;
}

int tka_dtm_info(const char *model, double info[5], tk_err *err)
{
  if (model == NULL || info == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm: a model file is required");
  tsu_dtm *m = NULL;
  io_dtm_history h;
  memset(&h, 0, sizeof h);
  TK_TRY(io_dtm_load(model, &m, &h, err));
  info[0] = m->p.T;
  info[1] = m->p.L;
  info[2] = m->p.n_jumps;
  info[3] = m->epochs_done;
  info[4] = m->n_vis;
  tsu_dtm_free(m);
  io_dtm_history_free(&h);
  return TK_OK;
}

int tka_dtm_levels(const char *model, unsigned *levels, tk_err *err)
{
  if (model == NULL || levels == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm: a model file is required");
  *levels = 0;
  if (!io_dtmc_is_model(model))
    return TK_OK;
  tsu_dtmc *m = NULL;
  TK_TRY(io_dtmc_load(model, &m, NULL, err));
  *levels = m->K;
  tsu_dtmc_free(m);
  return TK_OK;
}

struct tka_dtm_samples {
  io_dtm_samples s;          /* images, label_clamped (read back) */
  double fig[4];             /* wall_s, flips_per_ns, energy, ratio */
};

void tka_dtm_samples_free(tka_dtm_samples *s)
{
  if (s == NULL)
    return;
  io_dtm_samples_free(&s->s);
  free(s);
}

int tka_dtm_sample(const char *model, const char *out, long n, int label,
                   unsigned sweeps, const char *cells, const char *cell,
                   double temp_K, uint64_t seed, int threads, int force,
                   tka_dtm_samples **res, tk_err *err)
{
  if (model == NULL || out == NULL || res == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm sample: model and out are required");
  *res = NULL;
  if (!in((double)n, label == RUN_DTM_LABEL_ALL ? 10 : 1, 1e6) ||
      !in(label, -1, 10) || !in(sweeps, 0, 1e6) || !in(threads, 0, 1024))
    return TK_FAIL(err, TK_ERANGE, "dtm sample: n %ld in 1..1e6 (>= 10 for "
                   "all labels), label %d in -1..10, sweeps %u in 0..1e6, "
                   "threads %d in 0..1024", n, label, sweeps, threads);
  if (cells != NULL && (cell == NULL || !isfinite(temp_K)))
    return TK_FAIL(err, TK_EINVAL, "dtm sample: calibrated cells need the "
                   "cell's name and a finite chip temperature");
  run_dtm_sample_params p = run_dtm_sample_default_params();
  p.model = model;
  p.out = out;
  p.n = (uint32_t)n;
  p.label = label == 10 ? RUN_DTM_LABEL_ALL : label;
  p.sweeps = sweeps;
  p.cells = cells;
  p.cell = cell;
  if (cells != NULL)
    p.temp_K = temp_K;
  p.seed = seed;
  p.threads = threads;
  p.force = force != 0;
  p.command = "python: tsukit.dtm.Model.sample";
  run_dtm_sample_result r;
  TK_TRY(run_dtm_sample(&p, &r, err));
  tka_dtm_samples *s = calloc(1, sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "samples");
  s->fig[0] = r.wall_s;
  s->fig[1] = r.flips_per_ns;
  s->fig[2] = r.energy.per_sample_J;
  s->fig[3] = r.energy_ratio;
  io_file *f = NULL;
  int rc = io_file_open_read(out, &f, err);
  uint32_t K = 0;
  if (rc == TK_OK)
    rc = io_dtmc_is_samples(f) ? io_dtmc_samples_read_f(f, &s->s, &K, err)
                               : io_dtm_samples_read(f, &s->s, err);
  io_file_close(f);
  if (rc != TK_OK) {
    tka_dtm_samples_free(s);
    return rc;
  }
  *res = s;
  return TK_OK;
}

const uint8_t *tka_dtm_samples_images(const tka_dtm_samples *s, size_t *n)
{
  *n = s != NULL ? s->s.n : 0;
  return s != NULL ? s->s.images : NULL;
}

const int32_t *tka_dtm_samples_labels(const tka_dtm_samples *s)
{
  return s != NULL ? s->s.label_clamped : NULL;
}

void tka_dtm_samples_figures(const tka_dtm_samples *s, double figures[4])
{
  for (int k = 0; k < 4; k++)
    figures[k] = s != NULL ? s->fig[k] : NAN;
}

int tka_dtm_evaluate(const char *model, const char *samples,
                     const char *data, size_t test_limit, size_t clf_limit,
                     const char *classifier, uint64_t seed, int threads,
                     double res[6], tk_err *err)
{
  if (model == NULL || samples == NULL || res == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm evaluate: model and samples are "
                   "required");
  if (!in(threads, 0, 1024))
    return TK_FAIL(err, TK_ERANGE, "dtm evaluate: threads %d in 0..1024",
                   threads);
  run_dtm_eval_params p = run_dtm_eval_default_params();
  p.model = model;
  p.samples = samples;
  if (data != NULL)
    p.data = data;
  p.test_limit = test_limit;
  p.clf_limit = clf_limit;
  p.classifier = classifier;
  p.seed = seed;
  p.threads = threads;
  p.quiet = 1;
  p.command = "python: tsukit.dtm.evaluate";
  run_dtm_eval_result r;
  TK_TRY(run_dtm_eval(&p, &r, err));
  res[0] = r.v.fd_tsukit;
  res[1] = r.v.fd_marginal_baseline;
  res[2] = r.v.fd_data;
  res[3] = r.v.label_accuracy;
  res[4] = r.v.autocorr;
  res[5] = r.v.clf_test_accuracy;
  return TK_OK;
}
