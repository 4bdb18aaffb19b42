/* run_dtm_log.c -- the per-epoch training log (run_dtm_log.h) of binary
 * and categorical models: one logger, the pixels encoded for the
 * classifier as the model sees them. */
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
#include "run/run_dtm_cat.h"
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

/* Classifier inputs per image: 784 pixels, or K - 1 thermometer planes. */
static uint32_t n_inputs(const run_dtm_log_params *p)
{
  return p->levels >= 2 ? (p->levels - 1) * TSU_DTM_N_PIX : TSU_DTM_N_PIX;
}

/* A split of the data as the model sees it (binarised or quantised). */
static int load_split(const run_dtm_log_params *p, const char *split,
                      size_t limit, io_image_set *set, tk_err *err)
{
  if (p->levels >= 2)
    return run_dtmc_load_data(p->data, split, limit, p->levels, set, err);
  return run_dtm_load_data(p->data, split, limit, set, err);
}

/* Classifier inputs of n images [n][784] in a fresh buffer: a copy of
 * the bits, or the thermometer code of the levels. */
static int inputs(const run_dtm_log_params *p, const uint8_t *img, size_t n,
                  uint8_t **out, tk_err *err)
{
  *out = malloc(n * n_inputs(p));
  if (*out == NULL)
    return TK_FAIL(err, TK_ENOMEM, "classifier inputs of %zu images", n);
  if (p->levels >= 2)
    tsu_dtmc_thermometer(img, n, p->levels, *out);
  else
    memcpy(*out, img, n * TSU_DTM_N_PIX);
  return TK_OK;
}

static int classifier(run_dtm_logger *lg, tk_err *err)
{
  const run_dtm_log_params *p = &lg->p;
  struct stat sb;
  if (p->classifier != NULL && stat(p->classifier, &sb) == 0)
    return io_clf_load(p->classifier, n_inputs(p), &lg->clf, err);
  io_image_set tr = {0};
  uint8_t *x = NULL;
  TK_TRY(load_split(p, "train", p->clf_images, &tr, err));
  tsu_clf_params cp = tsu_clf_default_params();
  cp.n_threads = p->threads;
  cp.quiet = p->quiet;
  int rc = inputs(p, tr.pixels, tr.n, &x, err);
  if (rc == TK_OK)
    rc = tsu_clf_train(&cp, x, tr.labels, tr.n, n_inputs(p), &lg->clf, NULL,
                       err);
  lg->clf_images = (uint32_t)tr.n;
  free(x);
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
  if (p->levels == 1 || p->levels > TSU_DTMC_MAX_K)
    return TK_FAIL(err, TK_ERANGE, "training log: %u levels (0: binary, "
                   "2..%u)", p->levels, TSU_DTMC_MAX_K);
  run_dtm_logger *lg = calloc(1, sizeof *lg);
  if (lg == NULL)
    return TK_FAIL(err, TK_ENOMEM, "training log");
  lg->p = *p;
  io_image_set te = {0};
  uint8_t *x = NULL;
  int rc = classifier(lg, err);
  if (rc == TK_OK)
    rc = load_split(p, "test", p->test, &te, err);
  if (rc == TK_OK && te.n < 2)
    rc = TK_FAIL(err, TK_ERANGE, "training log: fewer than 2 test images");
  if (rc == TK_OK)
    rc = inputs(p, te.pixels, te.n, &x, err);
  if (rc == TK_OK) {
    lg->d = tsu_clf_n_features(lg->clf);
    lg->n_test = te.n;
    lg->f_test = malloc(te.n * lg->d * sizeof *lg->f_test);
    rc = lg->f_test ? tsu_clf_features(lg->clf, x, te.n, lg->f_test,
                                       p->threads, err)
                    : TK_FAIL(err, TK_ENOMEM, "test features");
  }
  free(x);
  io_image_set_free(&te);
  if (rc != TK_OK) {
    run_dtm_logger_free(lg);
    return tk_err_wrap(err, rc, "training log");
  }
  *out = lg;
  return TK_OK;
}

int run_dtm_logger_for_run(const run_dtm_log_params *p, const char *data,
                           int threads, uint32_t levels,
                           run_dtm_logger **lg, tk_err *err)
{
  run_dtm_log_params lp = *p;
  if (lp.data == NULL)
    lp.data = data;
  if (lp.threads == 0)
    lp.threads = threads;
  lp.levels = levels;
  /* a classifier file the command names and that exists must load: a
   * wrong or damaged one is the user's error, not a reason to train
   * without the log they asked for */
  struct stat sb;
  if (lp.classifier != NULL && stat(lp.classifier, &sb) == 0) {
    tsu_clf *c = NULL;
    int rc = io_clf_load(lp.classifier, n_inputs(&lp), &c, err);
    if (rc != TK_OK)
      return tk_err_wrap(err, rc, "--log-classifier");
    tsu_clf_free(c);
  }
  tk_err le = {0};
  /* training goes on without the log (a data folder without the test
   * split): say so */
  if (run_dtm_logger_alloc(&lp, lg, &le) != TK_OK)
    fprintf(stderr, "tsukit dtm: warning: no training log: %s\n",
            tk_err_text(&le));
  return TK_OK;
}

/* The clamped labels of the log's samples: class 10 i / n for sample i. */
static int8_t *sample_labels(uint32_t n)
{
  int8_t *lab = malloc(n);
  for (uint32_t i = 0; lab != NULL && i < n; i++)
    lab[i] = (int8_t)((uint64_t)i * 10 / n);
  return lab;
}

/* FD-tsukit and label accuracy of n generated visible vectors vis
 * [n][V] (pixels first) clamped to lab. */
static int score(const run_dtm_logger *lg, const uint8_t *vis, uint32_t V,
                 const int8_t *lab, uint32_t n, double *fd, double *acc,
                 tk_err *err)
{
  const run_dtm_log_params *p = &lg->p;
  uint8_t *img = malloc((size_t)n * TSU_DTM_N_PIX), *x = NULL;
  uint8_t *pred = malloc(n);
  double *feat = malloc((size_t)n * lg->d * sizeof *feat);
  int rc = img && pred && feat
               ? TK_OK : TK_FAIL(err, TK_ENOMEM, "training log buffers");
  for (uint32_t i = 0; rc == TK_OK && i < n; i++)
    memcpy(img + (size_t)i * TSU_DTM_N_PIX, vis + (size_t)i * V,
           TSU_DTM_N_PIX);
  if (rc == TK_OK)
    rc = inputs(p, img, n, &x, err);
  if (rc == TK_OK)
    rc = tsu_clf_features(lg->clf, x, n, feat, p->threads, err);
  if (rc == TK_OK)
    rc = tsu_fd_sets(feat, n, lg->f_test, lg->n_test, lg->d, fd, err);
  if (rc == TK_OK)
    rc = tsu_clf_predict(lg->clf, x, n, pred, NULL, p->threads, err);
  if (rc == TK_OK) {
    size_t ok = 0;
    for (uint32_t i = 0; i < n; i++)
      ok += pred[i] == (uint8_t)lab[i];
    *acc = (double)ok / n;
  }
  free(img);
  free(x);
  free(pred);
  free(feat);
  return rc;
}

/* Set the log's attributes (warning when they change under existing
 * entries) and append the entry. */
static int append(const run_dtm_logger *lg, const tsu_dtm *b, double fd,
                  double acc, double act, double t0, const double *autocorr,
                  io_dtm_log *log, tk_err *err)
{
  const run_dtm_log_params *p = &lg->p;
  uint32_t sweeps = p->sweeps ? p->sweeps : b->p.sweeps;
  if (log->n > 0 &&
      (log->samples != p->samples || log->seed != p->seed ||
       log->sweeps != sweeps || log->test_images != lg->n_test ||
       log->levels != p->levels))
    fprintf(stderr, "tsukit dtm: warning: training log: the entries before "
            "epoch %u were made with other settings (%u samples, seed %llu, "
            "%u sweeps, %u test images); the file records the new ones\n",
            b->epochs_done, log->samples, (unsigned long long)log->seed,
            log->sweeps, log->test_images);
  log->samples = p->samples;
  log->sweeps = sweeps;
  log->seed = p->seed;
  log->test_images = (uint32_t)lg->n_test;
  log->levels = p->levels;
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
  TK_TRY(io_dtm_log_append(log, b->p.T, b->epochs_done, fd, acc, act, dt,
                           autocorr, b->acp_lambda, err));
  if (!p->quiet)
    fprintf(stderr, "tsukit dtm: training log, epoch %u: FD-tsukit %.2f, "
            "label accuracy "
            "%.3f (%u samples vs %zu test images, %.1f s)\n", b->epochs_done,
            fd, acc, p->samples, lg->n_test, dt);
  return TK_OK;
}

/* One entry: generation by the binary (c == NULL) or categorical model. */
static int entry(run_dtm_logger *lg, const tsu_dtm *b, const tsu_dtmc *c,
                 const double *autocorr, io_dtm_log *log, tk_err *err)
{
  const run_dtm_log_params *p = &lg->p;
  if (p->levels != (c ? c->K : 0))
    return TK_FAIL(err, TK_EINVAL, "training log of %u levels for a %s "
                   "model", p->levels, c ? "categorical" : "binary");
  uint32_t n = p->samples, V = b->n_vis;
  double t0 = tk_clock_s(), fd = NAN, acc = NAN, act = 0;
  uint8_t *vis = malloc((size_t)n * V);
  int8_t *lab = sample_labels(n);
  int rc = vis && lab ? TK_OK : TK_FAIL(err, TK_ENOMEM, "training log buffers");
  if (rc == TK_OK) {
    tsu_dtm_gen_opts go = {.n = n, .label = -1, .labels = lab,
                           .sweeps = p->sweeps,
                           .cells = NULL, .seed = p->seed,
                           .n_threads = p->threads};
    rc = c ? tsu_dtmc_generate(c, &go, NULL, vis, NULL, NULL, &act, err)
           : tsu_dtm_generate(b, &go, vis, NULL, NULL, &act, err);
  }
  if (rc == TK_OK)
    rc = score(lg, vis, V, lab, n, &fd, &acc, err);
  free(vis);
  free(lab);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "training log");
  return append(lg, b, fd, acc, act, t0, autocorr, log, err);
}

int run_dtm_logger_entry(run_dtm_logger *lg, const tsu_dtm *m,
                         const double *autocorr, io_dtm_log *log,
                         tk_err *err)
{
  return entry(lg, m, NULL, autocorr, log, err);
}

int run_dtmc_logger_entry(run_dtm_logger *lg, const tsu_dtmc *m,
                          const double *autocorr, io_dtm_log *log,
                          tk_err *err)
{
  return entry(lg, m->b, m, autocorr, log, err);
}
