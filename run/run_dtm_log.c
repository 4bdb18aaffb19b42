/* run_dtm_log.c -- the per-epoch training log (run_dtm_log.h). */
#include "run/run_dtm_log.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/tk_progress.h"
#include "io/io_clf.h"
#include "io/io_idx.h"
#include "run/run_dtm.h"
#include "tsu/tsu_clf.h"
#include "tsu/tsu_fd.h"

struct run_dtm_logger {
  run_dtm_log_params p;  /* settings (classifier/data point into caller's) */
  tsu_clf *clf;          /* the FD-tsukit classifier */
  size_t d;              /* its feature dimension */
  size_t n_test;         /* test images used */
  double *f_test;        /* [n_test][d] their features */
  uint32_t clf_images;   /* images it was trained on (0: from a file) */
};

run_dtm_log_params run_dtm_log_default_params(void)
{
  run_dtm_log_params p;
  memset(&p, 0, sizeof p);
  p.samples = 500;
  p.test = 1000;
  p.clf_images = 10000;
  p.seed = 1;
  p.data = "fashion-mnist";
  return p;
}

void run_dtm_logger_free(run_dtm_logger *lg)
{
  if (lg == NULL)
    return;
  tsu_clf_free(lg->clf);
  free(lg->f_test);
  free(lg);
}

static int classifier(run_dtm_logger *lg, tk_err *err)
{
  const run_dtm_log_params *p = &lg->p;
  struct stat sb;
  if (p->classifier != NULL && stat(p->classifier, &sb) == 0)
    return io_clf_load(p->classifier, TSU_DTM_N_PIX, &lg->clf, err);
  io_image_set tr = {0};
  TK_TRY(run_dtm_load_data(p->data, "train", p->clf_images, &tr, err));
  tsu_clf_params cp = tsu_clf_default_params();
  cp.n_threads = p->threads;
  cp.quiet = p->quiet;
  int rc = tsu_clf_train(&cp, tr.pixels, tr.labels, tr.n, TSU_DTM_N_PIX,
                         &lg->clf, NULL, err);
  lg->clf_images = (uint32_t)tr.n;
  io_image_set_free(&tr);
  if (rc == TK_OK && p->classifier != NULL) {
    io_prov prov = {"tsukit dtm train (training-log classifier)", cp.seed};
    rc = io_clf_save(p->classifier, lg->clf, &prov, err);
    /* another run sharing the file wrote it first: the same network */
    if (rc == TK_EEXIST)
      rc = TK_OK;
  }
  return rc;
}

int run_dtm_logger_alloc(const run_dtm_log_params *p, run_dtm_logger **out,
                         tk_err *err)
{
  *out = NULL;
  if (p->samples < 10 || p->test < 2)
    return TK_FAIL(err, TK_ERANGE, "training log: %u samples and %u test "
                   "images (need >= 10 and >= 2)", p->samples, p->test);
  run_dtm_logger *lg = calloc(1, sizeof *lg);
  if (lg == NULL)
    return TK_FAIL(err, TK_ENOMEM, "training log");
  lg->p = *p;
  io_image_set te = {0};
  int rc = classifier(lg, err);
  if (rc == TK_OK)
    rc = run_dtm_load_data(p->data, "test", p->test, &te, err);
  if (rc == TK_OK && te.n < 2)
    rc = TK_FAIL(err, TK_ERANGE, "training log: fewer than 2 test images");
  if (rc == TK_OK) {
    lg->d = tsu_clf_n_features(lg->clf);
    lg->n_test = te.n;
    lg->f_test = malloc(te.n * lg->d * sizeof *lg->f_test);
    rc = lg->f_test ? tsu_clf_features(lg->clf, te.pixels, te.n, lg->f_test,
                                       p->threads, err)
                    : TK_FAIL(err, TK_ENOMEM, "test features");
  }
  io_image_set_free(&te);
  if (rc != TK_OK) {
    run_dtm_logger_free(lg);
    return tk_err_wrap(err, rc, "training log");
  }
  *out = lg;
  return TK_OK;
}

int run_dtm_logger_entry(run_dtm_logger *lg, const tsu_dtm *m,
                         const double *autocorr, io_dtm_log *log,
                         tk_err *err)
{
  const run_dtm_log_params *p = &lg->p;
  uint32_t n = p->samples, V = m->n_vis;
  double t0 = tk_clock_s(), fd = NAN, acc = NAN, act = 0;
  uint8_t *vis = malloc((size_t)n * V), *img = malloc((size_t)n * TSU_DTM_N_PIX);
  uint8_t *pred = malloc(n);
  int8_t *lab = malloc(n);
  double *feat = malloc((size_t)n * lg->d * sizeof *feat);
  int rc = vis && img && pred && lab && feat
               ? TK_OK : TK_FAIL(err, TK_ENOMEM, "training log buffers");
  for (uint32_t i = 0; rc == TK_OK && i < n; i++)
    lab[i] = (int8_t)((uint64_t)i * 10 / n);
  if (rc == TK_OK) {
    tsu_dtm_gen_opts go = {.n = n, .label = -1, .labels = lab,
                           .sweeps = p->sweeps,
                           .cells = NULL, .seed = p->seed,
                           .n_threads = p->threads};
    rc = tsu_dtm_generate(m, &go, vis, NULL, NULL, &act, err);
  }
  for (uint32_t i = 0; rc == TK_OK && i < n; i++)
    memcpy(img + (size_t)i * TSU_DTM_N_PIX, vis + (size_t)i * V,
           TSU_DTM_N_PIX);
  if (rc == TK_OK)
    rc = tsu_clf_features(lg->clf, img, n, feat, p->threads, err);
  if (rc == TK_OK)
    rc = tsu_fd_sets(feat, n, lg->f_test, lg->n_test, lg->d, &fd, err);
  if (rc == TK_OK)
    rc = tsu_clf_predict(lg->clf, img, n, pred, NULL, p->threads, err);
  if (rc == TK_OK) {
    size_t ok = 0;
    for (uint32_t i = 0; i < n; i++)
      ok += pred[i] == (uint8_t)lab[i];
    acc = (double)ok / n;
  }
  free(vis);
  free(img);
  free(pred);
  free(lab);
  free(feat);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "training log");
  log->samples = n;
  log->sweeps = p->sweeps ? p->sweeps : m->p.sweeps;
  log->seed = p->seed;
  log->test_images = (uint32_t)lg->n_test;
  if (lg->clf_images > 0) {
    log->clf_images = lg->clf_images;
    snprintf(log->classifier, sizeof log->classifier, "trained on the first "
             "%u training images%s%s", lg->clf_images,
             p->classifier ? ", saved as " : "",
             p->classifier ? p->classifier : "");
  } else {
    snprintf(log->classifier, sizeof log->classifier, "%s", p->classifier);
  }
  double dt = tk_clock_s() - t0;
  TK_TRY(io_dtm_log_append(log, m->p.T, m->epochs_done, fd, acc, act, dt,
                           autocorr, m->acp_lambda, err));
  if (!p->quiet)
    fprintf(stderr, "tsukit dtm: training log, epoch %u: FD-tsukit %.2f, "
            "label accuracy "
            "%.3f (%u samples vs %zu test images, %.1f s)\n", m->epochs_done,
            fd, acc, n, lg->n_test, dt);
  return TK_OK;
}
