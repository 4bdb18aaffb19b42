/* run_dtm_cat.c -- training and evaluation runs of the categorical DTM
 * (run_dtm_cat.h): the binary runs' checkpointing, reporting and
 * per-epoch training log (run_dtm_log.h), on the categorical model.
 * Workload: as the binary DTM's, ~5-10x the time per cell update (the
 * fast Potts sampler against the bit-packed spins). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/tk_progress.h"
#include "io/io_clf.h"
#include "io/io_dtm_cat.h"
#include "run/run_dtm_cat.h"
#include "tsu/tsu_clf.h"
#include "tsu/tsu_fd.h"

int run_dtmc_load_data(const char *data, const char *split, size_t limit,
                       uint32_t K, io_image_set *set, tk_err *err)
{
  const char *dir = strcmp(data, "fashion-mnist") == 0 ? NULL : data;
  int rc = io_fashion_mnist_load(dir, split, limit, set, err);
  if (rc == TK_ENOTFOUND)
    return tk_err_wrap(err, rc, "Fashion-MNIST %s set (install the Debian "
                       "package dataset-fashion-mnist, or give --data DIR)",
                       split);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "Fashion-MNIST %s set", split);
  if (set->rows * set->cols != TSU_DTM_N_PIX) {
    io_image_set_free(set);
    return TK_FAIL(err, TK_EFORMAT, "images are %zu x %zu, the DTM needs "
                   "28 x 28", set->rows, set->cols);
  }
  tsu_dtmc_quantise(set->pixels, set->n * TSU_DTM_N_PIX, K);
  return TK_OK;
}

/* ---- train ------------------------------------------------------------ */

typedef struct train_ctx {
  tk_progress pr;
  const run_dtm_train_params *o;
  uint32_t epoch, epochs;
} train_ctx;

static int train_progress(void *ctx, double done)
{
  train_ctx *c = ctx;
  tk_progress_update(&c->pr, done);
  if (c->o->progress != NULL)
    return c->o->progress(c->o->progress_ctx, c->epoch, c->epochs, done);
  return 0;
}

static int open_model(const run_dtm_train_params *o, tsu_dtmc **m,
                      io_dtm_history *hist, tk_err *err)
{
  struct stat sb;
  int exists = stat(o->out, &sb) == 0;
  if (exists && !o->resume && !o->force)
    return TK_FAIL(err, TK_EINVAL, "%s exists: --resume to continue it or "
                   "--force to start over", o->out);
  /* --resume of a run killed before its first checkpoint: nothing to
   * continue, so it starts over (as calibrate --resume does); the same
   * command line can be repeated after a kill at any moment */
  if (!exists && o->resume)
    fprintf(stderr, "tsukit dtm: --resume: %s does not exist yet; training "
            "a fresh model\n", o->out);
  if (!o->resume || !exists)
    return tsu_dtmc_alloc(&o->p, o->pixel_levels, m, err);
  TK_TRY(io_dtmc_load(o->out, m, hist, err));
  const tsu_dtm_params *q = &(*m)->b->p;
  if ((o->set_steps && o->p.T != q->T) ||
      (o->set_graph && o->p.n_jumps != q->n_jumps) ||
      (o->set_L && o->p.L != q->L) ||
      (o->pixel_levels >= 2 && o->pixel_levels != (*m)->K)) {
    int rc = TK_FAIL(err, TK_EINVAL, "%s is a %u-step G%d L=%u cat%u model; "
                     "the command asks for %u steps, G%d, L=%u", o->out, q->T,
                     4 * q->n_jumps, q->L, (*m)->K, o->p.T, 4 * o->p.n_jumps,
                     o->p.L);
    tsu_dtmc_free(*m);
    *m = NULL;
    io_dtm_history_free(hist);
    return rc;
  }
  (*m)->b->p.epochs = o->p.epochs;
  return TK_OK;
}

int run_dtmc_train(const run_dtm_train_params *o, run_dtm_train_result *res,
                   tk_err *err)
{
  if (o == NULL || res == NULL || o->out == NULL || o->data == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm train: the data and the model file "
                   "are required");
  if (o->resume && o->force)
    return TK_FAIL(err, TK_EINVAL, "dtm train: resume and force exclude "
                   "each other");
  if (o->p.record < 2)
    return TK_FAIL(err, TK_ERANGE, "dtm train: --record %u: categorical "
                   "pixels need >= 2", o->p.record);
  memset(res, 0, sizeof *res);
  tsu_dtmc *m = NULL;
  io_dtm_history hist = {0};
  io_image_set set = {0};
  TK_TRY(open_model(o, &m, &hist, err));
  int rc = run_dtmc_load_data(o->data, "train", o->train_limit, m->K, &set,
                              err);
  tsu_dtm_data d = {set.n, set.pixels, set.labels};
  /* the per-epoch log (run_dtm_log.h) of the binary trainer, on levels */
  run_dtm_logger *lg = NULL;
  if (rc == TK_OK && o->log.samples > 0 && m->b->epochs_done < m->b->p.epochs)
    rc = run_dtm_logger_for_run(&o->log, o->data, o->threads, m->K, &lg,
                                err);
  tsu_dtm_epoch_stats st = {0};
  double wall = 0, imgs = 0, fl = 0;
  uint32_t e0 = m->b->epochs_done, stop_at = m->b->p.epochs;
  if (o->stop_after && e0 + o->stop_after < stop_at)
    stop_at = e0 + o->stop_after;
  while (rc == TK_OK && m->b->epochs_done < stop_at) {
    train_ctx tc = {.o = o, .epoch = m->b->epochs_done + 1,
                    .epochs = m->b->p.epochs};
    char label[64];
    snprintf(label, sizeof label, "dtm cat%u epoch %u/%u", m->K,
             m->b->epochs_done + 1, m->b->p.epochs);
    tk_progress_init(&tc.pr, label, 1.0, 0);
    tsu_dtm_stats_free(&st);
    if (tsu_dtm_stats_alloc(m->b, &st) != TK_OK) {
      rc = TK_FAIL(err, TK_ENOMEM, "epoch statistics");
      break;
    }
    rc = tsu_dtmc_train_epoch(m, &d, o->threads, train_progress, &tc, &st,
                              err);
    tk_progress_finish(&tc.pr);
    if (rc != TK_OK)
      break;
    wall += st.wall_s;
    imgs += st.images_per_s * st.wall_s;
    fl += st.flips;
    rc = io_dtm_history_add(&hist, m->b, &st, err);
    if (rc == TK_OK && lg != NULL)
      rc = run_dtmc_logger_entry(lg, m, st.autocorr, &hist.log, err);
    if (rc == TK_OK)
      rc = io_dtmc_save(o->out, m, &hist, o->command, 1, err);
    if (rc == TK_OK) {
      fprintf(stderr, "tsukit dtm: cat%u epoch %u: %.1f s, %.0f images/s, "
              "%.3f updates/ns, autocorr", m->K, m->b->epochs_done,
              st.wall_s, st.images_per_s, st.flips_per_ns);
      for (uint32_t k = 0; k < m->b->p.T; k++)
        fprintf(stderr, " %.3f", st.autocorr[k]);
      fprintf(stderr, "; checkpoint %s\n", o->out);
    }
  }
  if (rc != TK_OK) {
    if (m->b->epochs_done > e0)
      tk_err_wrap(err, rc, "the last good checkpoint (epoch %u) is kept in "
                  "%s", m->b->epochs_done, o->out);
  } else {
    if (m->b->epochs_done == e0 && !o->resume)
      rc = io_dtmc_save(o->out, m, &hist, o->command, 1, err);
    res->ranks = 1;
    res->epochs = m->b->epochs_done;
    res->steps = m->b->p.T;
    res->wall_s = wall;
    res->images_per_s = wall > 0 ? imgs / wall : 0;
    res->flips_per_ns = wall > 0 ? fl / wall * 1e-9 : 0;
    res->autocorr = NAN;
    for (size_t k = 0; hist.n_epoch && k < m->b->p.T; k++)
      res->autocorr = isnan(res->autocorr)
          ? hist.autocorr[(hist.n_epoch - 1) * m->b->p.T + k]
          : fmax(res->autocorr,
                 hist.autocorr[(hist.n_epoch - 1) * m->b->p.T + k]);
    res->acp_lambda_max = -INFINITY;
    for (size_t k = 0; k < m->b->p.T; k++)
      res->acp_lambda_max = fmax(res->acp_lambda_max, m->b->acp_lambda[k]);
  }
  tsu_dtm_stats_free(&st);
  run_dtm_logger_free(lg);
  tsu_dtmc_free(m);
  io_dtm_history_free(&hist);
  io_image_set_free(&set);
  return rc;
}

/* ---- eval ------------------------------------------------------------- */

/* Thermometer code of n images into a fresh buffer. */
static int thermo(const uint8_t *img, size_t n, uint32_t K, uint8_t **out,
                  tk_err *err)
{
  *out = malloc(n * (K - 1) * TSU_DTM_N_PIX);
  if (*out == NULL)
    return TK_FAIL(err, TK_ENOMEM, "classifier inputs of %zu images", n);
  tsu_dtmc_thermometer(img, n, K, *out);
  return TK_OK;
}

static int features(const tsu_clf *c, const uint8_t *x, size_t n, int nt,
                    double **out, tk_err *err)
{
  size_t d = tsu_clf_n_features(c);
  *out = malloc(n * d * sizeof **out);
  if (*out == NULL)
    return TK_FAIL(err, TK_ENOMEM, "features of %zu images", n);
  return tsu_clf_features(c, x, n, *out, nt, err);
}

int run_dtmc_eval(const run_dtm_eval_params *o, run_dtm_eval_result *res,
                  tk_err *err)
{
  if (o == NULL || res == NULL || o->model == NULL || o->samples == NULL ||
      o->data == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm eval: a model and its samples are "
                   "required");
  memset(res, 0, sizeof *res);
  io_dtm_eval v = {NAN, NAN, NAN, NAN, NAN, NAN};
  tsu_dtmc *m = NULL;
  io_dtm_history hist = {0};
  io_dtm_samples s = {0};
  io_image_set tr = {0}, te = {0};
  tsu_clf *clf = NULL;
  uint32_t K = 0;
  uint8_t *ctr = NULL, *cte = NULL, *cs = NULL, *cb = NULL, *base = NULL,
          *pred = NULL;
  double *fs = NULL, *ft = NULL, *fb = NULL, *fr = NULL, *pm = NULL;
  int nt = o->threads;
  int rc = io_dtmc_load(o->model, &m, &hist, err);
  if (rc == TK_OK)
    rc = io_dtmc_samples_read(o->samples, &s, &K, err);
  if (rc == TK_OK && (K != m->K || s.n_vis != m->b->n_vis ||
                      s.steps != m->b->p.T))
    rc = TK_FAIL(err, TK_EINVAL, "%s was made by a %u-step cat%u model with "
                 "%u visible nodes; %s has %u steps, cat%u, %u", o->samples,
                 s.steps, K, s.n_vis, o->model, m->b->p.T, m->K,
                 m->b->n_vis);
  if (rc == TK_OK && s.n < 2)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: need at least 2 samples", o->samples);
  if (rc == TK_OK)
    rc = run_dtmc_load_data(o->data, "train", o->clf_limit, K, &tr, err);
  if (rc == TK_OK)
    rc = run_dtmc_load_data(o->data, "test", o->test_limit, K, &te, err);
  if (rc == TK_OK && te.n < 2)
    rc = TK_FAIL(err, TK_ERANGE, "need at least 2 test images");
  uint32_t n_in = (K - 1) * TSU_DTM_N_PIX;
  size_t ns = s.n, nr = ns < tr.n ? ns : tr.n;
  if (rc == TK_OK) rc = thermo(tr.pixels, tr.n, K, &ctr, err);
  if (rc == TK_OK) rc = thermo(te.pixels, te.n, K, &cte, err);
  if (rc == TK_OK) rc = thermo(s.images, ns, K, &cs, err);
  struct stat sb;
  if (rc == TK_OK && o->classifier != NULL && stat(o->classifier, &sb) == 0)
    rc = io_clf_load(o->classifier, n_in, &clf, err);
  else if (rc == TK_OK) {
    tsu_clf_params cp = tsu_clf_default_params();
    cp.n_threads = nt;
    cp.quiet = o->quiet;
    rc = tsu_clf_train(&cp, ctr, tr.labels, tr.n, n_in, &clf, NULL, err);
    if (rc == TK_OK && o->classifier != NULL) {
      io_prov prov = {o->command, 0};
      rc = io_clf_save(o->classifier, clf, &prov, err);
    }
  }
  if (rc == TK_OK)
    rc = tsu_clf_accuracy(clf, cte, te.labels, te.n, nt,
                          &v.clf_test_accuracy, err);
  size_t d = clf ? tsu_clf_n_features(clf) : 0;
  if (rc == TK_OK) {
    pm = malloc((size_t)TSU_DTM_N_PIX * K * sizeof *pm);
    base = malloc(ns * TSU_DTM_N_PIX);
    pred = malloc(ns);
    if (pm == NULL || base == NULL || pred == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "evaluation buffers");
  }
  if (rc == TK_OK) {
    tsu_dtmc_pixel_marginals(tr.pixels, tr.n, K, pm);
    tsu_dtmc_marginal_draw(pm, K, ns, o->seed, base);
    rc = thermo(base, ns, K, &cb, err);
  }
  if (rc == TK_OK) rc = features(clf, cs, ns, nt, &fs, err);
  if (rc == TK_OK) rc = features(clf, cte, te.n, nt, &ft, err);
  if (rc == TK_OK) rc = features(clf, cb, ns, nt, &fb, err);
  if (rc == TK_OK) rc = features(clf, ctr, nr, nt, &fr, err);
  if (rc == TK_OK) rc = tsu_fd_sets(fs, ns, ft, te.n, d, &v.fd_tsukit, err);
  if (rc == TK_OK)
    rc = tsu_fd_sets(fb, ns, ft, te.n, d, &v.fd_marginal_baseline, err);
  if (rc == TK_OK && nr >= 2)
    rc = tsu_fd_sets(fr, nr, ft, te.n, d, &v.fd_data, err);
  if (rc == TK_OK)
    rc = tsu_clf_predict(clf, cs, ns, pred, NULL, nt, err);
  size_t n_cl = 0, n_ok = 0;
  for (size_t i = 0; rc == TK_OK && i < ns; i++)
    if (s.label_clamped[i] >= 0) {
      n_cl++;
      n_ok += pred[i] == (uint8_t)s.label_clamped[i];
    }
  if (n_cl > 0)
    v.label_accuracy = (double)n_ok / n_cl;
  if (m != NULL && hist.n_epoch > 0) {
    v.autocorr = -INFINITY;
    for (uint32_t k = 0; k < m->b->p.T; k++)
      v.autocorr = fmax(v.autocorr,
                        hist.autocorr[(hist.n_epoch - 1) * m->b->p.T + k]);
  }
  if (rc == TK_OK && o->out != NULL) {
    io_prov prov = {o->command, o->seed};
    rc = io_dtm_eval_write(o->out, &v, o->model, o->samples, &prov, err);
  }
  if (rc == TK_OK) {
    res->v = v;
    res->samples = ns;
    res->test_images = te.n;
  }
  free(ctr);
  free(cte);
  free(cs);
  free(cb);
  free(base);
  free(pred);
  free(fs);
  free(ft);
  free(fb);
  free(fr);
  free(pm);
  tsu_dtmc_free(m);
  io_dtm_history_free(&hist);
  io_dtm_samples_free(&s);
  io_image_set_free(&tr);
  io_image_set_free(&te);
  tsu_clf_free(clf);
  return rc;
}
