/* run_dtm_eval.c -- a DTM evaluation run (`tsukit dtm eval`): FD-tsukit,
 * the marginal baseline, the data floor, label accuracy and the chain
 * autocorrelation of a model's samples.
 *
 * FD-tsukit is the Frechet distance between Gaussians fitted to the
 * 64-unit feature layer of a small classifier (tsu/tsu_clf.h) that tsukit
 * trains deterministically on the binarised training set: generated
 * images against held-out test images.  It plays the role FID plays with
 * Inception features, which are not available offline; its values are
 * not comparable with published FIDs, only with each other.  Workload:
 * the classifier's training (~10-20 s, or a file) and features of a few
 * ten thousand images.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/io_clf.h"
#include "io/io_dtm_cat.h"
#include "run/run_dtm.h"
#include "run/run_dtm_cat.h"
#include "tsu/tsu_clf.h"
#include "tsu/tsu_fd.h"

run_dtm_eval_params run_dtm_eval_default_params(void)
{
  run_dtm_eval_params p;
  memset(&p, 0, sizeof p);
  p.data = "fashion-mnist";
  p.test_limit = 10000;
  p.seed = 1;
  return p;
}

/* The model and its samples, checked against each other. */
static int load_inputs(const run_dtm_eval_params *o, tsu_dtm **m,
                       io_dtm_history *hist, io_dtm_samples *s, tk_err *err)
{
  TK_TRY(io_dtm_load(o->model, m, hist, err));
  io_file *sf = NULL;
  TK_TRY(io_file_open_read(o->samples, &sf, err));
  int rc = io_dtm_samples_read(sf, s, err);
  io_file_close(sf);
  if (rc != TK_OK)
    return rc;
  if (s->n_vis != (*m)->n_vis || s->steps != (*m)->p.T)
    return TK_FAIL(err, TK_EINVAL, "%s was made by a %u-step model with %u "
                   "visible spins; %s has %u steps and %u", o->samples,
                   s->steps, s->n_vis, o->model, (*m)->p.T, (*m)->n_vis);
  if (s->n < 2)
    return TK_FAIL(err, TK_EFORMAT, "%s: /samples/images must be [n >= 2, "
                   "28, 28]", o->samples);
  return TK_OK;
}

/* The FD classifier: from o->classifier if that file exists, else trained
 * on the training images (and saved there if given). */
static int classifier(const run_dtm_eval_params *o, const io_image_set *tr,
                      tsu_clf **clf, tk_err *err)
{
  struct stat sb;
  if (o->classifier != NULL && stat(o->classifier, &sb) == 0)
    return io_clf_load(o->classifier, TSU_DTM_N_PIX, clf, err);
  tsu_clf_params cp = tsu_clf_default_params();
  cp.n_threads = o->threads;
  cp.quiet = o->quiet;
  TK_TRY(tsu_clf_train(&cp, tr->pixels, tr->labels, tr->n, TSU_DTM_N_PIX, clf,
                       NULL, err));
  if (o->classifier != NULL) {
    io_prov prov = {o->command, 0};
    return io_clf_save(o->classifier, *clf, &prov, err);
  }
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

/* FD of samples, marginal baseline and training images against the test
 * images; label accuracy of the clamped samples. */
static int measure(const run_dtm_eval_params *o, const tsu_clf *clf,
                   const io_dtm_samples *s, const io_image_set *tr,
                   const io_image_set *te, io_dtm_eval *v, tk_err *err)
{
  size_t ns = s->n, d = tsu_clf_n_features(clf);
  int nt = o->threads;
  const uint8_t *sx = s->images;
  uint8_t *base = malloc(ns * TSU_DTM_N_PIX), *pred = malloc(ns);
  double *pm = malloc(TSU_DTM_N_PIX * sizeof *pm);
  double *fs = NULL, *ft = NULL, *fb = NULL, *fr = NULL;
  int rc = base && pred && pm ? TK_OK
                              : TK_FAIL(err, TK_ENOMEM, "evaluation buffers");
  if (rc == TK_OK)
    rc = tsu_fd_pixel_marginals(tr->pixels, tr->n, TSU_DTM_N_PIX, pm, err);
  if (rc == TK_OK)
    rc = tsu_fd_marginal_draw(pm, TSU_DTM_N_PIX, ns, o->seed, base, err);
  if (rc == TK_OK) rc = features(clf, sx, ns, nt, &fs, err);
  if (rc == TK_OK) rc = features(clf, te->pixels, te->n, nt, &ft, err);
  if (rc == TK_OK) rc = features(clf, base, ns, nt, &fb, err);
  /* The floor: as many training images as samples. */
  size_t nr = ns < tr->n ? ns : tr->n;
  if (rc == TK_OK) rc = features(clf, tr->pixels, nr, nt, &fr, err);
  if (rc == TK_OK) rc = tsu_fd_sets(fs, ns, ft, te->n, d, &v->fd_tsukit, err);
  if (rc == TK_OK)
    rc = tsu_fd_sets(fb, ns, ft, te->n, d, &v->fd_marginal_baseline, err);
  if (rc == TK_OK && nr >= 2)
    rc = tsu_fd_sets(fr, nr, ft, te->n, d, &v->fd_data, err);
  size_t n_cl = 0, n_ok = 0;
  if (rc == TK_OK)
    rc = tsu_clf_predict(clf, sx, ns, pred, NULL, nt, err);
  for (size_t i = 0; rc == TK_OK && i < ns; i++)
    if (s->label_clamped[i] >= 0) {
      n_cl++;
      n_ok += pred[i] == (uint8_t)s->label_clamped[i];
    }
  if (n_cl > 0)
    v->label_accuracy = (double)n_ok / n_cl;
  free(base);
  free(pred);
  free(pm);
  free(fs);
  free(ft);
  free(fb);
  free(fr);
  return rc;
}

int run_dtm_eval(const run_dtm_eval_params *o, run_dtm_eval_result *res,
                 tk_err *err)
{
  if (o == NULL || res == NULL || o->model == NULL || o->samples == NULL ||
      o->data == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm eval: a model and its samples are "
                   "required");
  if (io_dtmc_is_model(o->model))
    return run_dtmc_eval(o, res, err); /* categorical pixels, issue 14 */
  memset(res, 0, sizeof *res);
  io_dtm_eval v = {NAN, NAN, NAN, NAN, NAN, NAN};
  tsu_dtm *m = NULL;
  io_dtm_history hist = {0};
  io_dtm_samples s = {0};
  io_image_set tr = {0}, te = {0};
  tsu_clf *clf = NULL;
  int rc = load_inputs(o, &m, &hist, &s, err);
  if (rc == TK_OK)
    rc = run_dtm_load_data(o->data, "train", o->clf_limit, &tr, err);
  if (rc == TK_OK)
    rc = run_dtm_load_data(o->data, "test", o->test_limit, &te, err);
  if (rc == TK_OK && te.n < 2)
    rc = TK_FAIL(err, TK_ERANGE, "need at least 2 test images");
  if (rc == TK_OK)
    rc = classifier(o, &tr, &clf, err);
  if (rc == TK_OK)
    rc = tsu_clf_accuracy(clf, te.pixels, te.labels, te.n, o->threads,
                          &v.clf_test_accuracy, err);
  if (rc == TK_OK)
    rc = measure(o, clf, &s, &tr, &te, &v, err);
  if (m != NULL && hist.n_epoch > 0) {
    v.autocorr = -INFINITY;
    for (uint32_t k = 0; k < m->p.T; k++)
      v.autocorr = fmax(v.autocorr,
                        hist.autocorr[(hist.n_epoch - 1) * m->p.T + k]);
  }
  if (rc == TK_OK && o->out != NULL) {
    io_prov prov = {o->command, o->seed};
    rc = io_dtm_eval_write(o->out, &v, o->model, o->samples, &prov, err);
  }
  if (rc == TK_OK) {
    res->v = v;
    res->samples = s.n;
    res->test_images = te.n;
  }
  tsu_dtm_free(m);
  io_dtm_history_free(&hist);
  io_dtm_samples_free(&s);
  io_image_set_free(&tr);
  io_image_set_free(&te);
  tsu_clf_free(clf);
  return rc;
}
