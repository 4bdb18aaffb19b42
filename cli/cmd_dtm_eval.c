/* cmd_dtm_eval.c -- `tsukit dtm eval`: FD-tsukit, the marginal baseline,
 * label accuracy and the chain autocorrelation of a DTM's samples.
 *
 * FD-tsukit is the Frechet distance between Gaussians fitted to the
 * 64-unit feature layer of a small classifier (tsu/tsu_clf.h) that tsukit
 * trains deterministically on the binarised training set: generated
 * images against held-out test images.  It plays the role FID plays with
 * Inception features, which are not available offline; its values are
 * not comparable with published FIDs, only with each other.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/dtm_cli.h"
#include "io/io_dtm.h"
#include "common/tk_progress.h"
#include "io/io_h5.h"
#include "io/io_idx.h"
#include "tsu/tsu_clf.h"
#include "tsu/tsu_fd.h"


static void usage_eval(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm eval --model MODEL.h5 --samples SAMPLES.h5\n"
    "         [--data fashion-mnist|DIR] [--test-limit N] [--clf-limit N]\n"
    "         [--classifier CLF.h5] [--seed S] [--threads N] [-o EVAL.h5]\n"
    "\n"
    "  --test-limit N  held-out test images to compare with (default 10000)\n"
    "  --clf-limit N   training images for the FD classifier (default all)\n"
    "  --classifier F  load the FD classifier from F, or train it and save it\n"
    "                  there if F does not exist (training: ~10-20 s)\n"
    "  --seed S        seed of the marginal-baseline images (default 1)\n"
    "  -o EVAL.h5      write the numbers and the classifier's test accuracy\n"
    "\n"
    "Summary: fd_tsukit (samples vs test), fd_marginal_baseline (independent\n"
    "pixels from the training marginals vs test), fd_data (training images\n"
    "vs test: the floor), label_accuracy (classifier on label-clamped\n"
    "samples; nan if none were clamped), autocorr (the model's last\n"
    "measured chain autocorrelation, max over steps), clf_test_accuracy.\n");
}

enum { E_MODEL = 2000, E_SAMPLES, E_DATA, E_TLIM, E_CLIM, E_CLF, E_SEED,
       E_THREADS };

static int save_clf(const char *path, const tsu_clf *c, tk_err *err)
{
  io_prov prov = {cmd_command_line(), 0};
  io_file *f = NULL;
  TK_TRY(io_file_create(path, &prov, IO_CREATE_KEEP, &f, err));
  int rc = io_attr_str(f, "/", "kind", "tsukit-fd-classifier", err);
  for (size_t i = 0; rc == TK_OK && i < tsu_clf_n_arrays(c); i++) {
    tsu_clf_array a;
    rc = tsu_clf_array_get(c, i, &a, err);
    char name[64];
    snprintf(name, sizeof name, "/clf/%s", a.name);
    size_t dims[2] = {a.dims[0], a.dims[1]};
    if (rc == TK_OK)
      rc = io_write_f32(f, name, (int)a.ndim, dims, a.data, "1", err);
  }
  if (rc != TK_OK) {
    io_file_abort(f);
    return rc;
  }
  return io_file_commit(f, err);
}

static int load_clf(const char *path, tsu_clf **out, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(path, &f, err));
  uint32_t size[TSU_CLF_MAX_LAYERS + 1];
  uint32_t nl = 0;
  int rc = TK_OK;
  float *w[TSU_CLF_MAX_LAYERS] = {0}, *b[TSU_CLF_MAX_LAYERS] = {0};
  for (nl = 0; nl < TSU_CLF_MAX_LAYERS; nl++) {
    char name[32];
    snprintf(name, sizeof name, "/clf/w%u", nl);
    if (!io_exists(f, name))
      break;
    int rank;
    size_t dw[4], db[4];
    rc = io_read_f32(f, name, &w[nl], &rank, dw, err);
    if (rc == TK_OK && rank != 2)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: %s is not a matrix", path, name);
    snprintf(name, sizeof name, "/clf/b%u", nl);
    if (rc == TK_OK)
      rc = io_read_f32(f, name, &b[nl], &rank, db, err);
    if (rc == TK_OK && (rank != 1 || db[0] != dw[1] ||
                        (nl > 0 && dw[0] != size[nl])))
      rc = TK_FAIL(err, TK_EFORMAT, "%s: layer %u shapes disagree", path, nl);
    if (rc != TK_OK)
      break;
    size[nl] = (uint32_t)dw[0];
    size[nl + 1] = (uint32_t)dw[1];
  }
  io_file_close(f);
  tsu_clf *c = NULL;
  if (rc == TK_OK && nl < 2)
    rc = TK_FAIL(err, TK_EFORMAT, "%s holds no classifier (/clf/w0 ...)", path);
  if (rc == TK_OK)
    rc = tsu_clf_alloc(nl, size, &c, err);
  for (uint32_t l = 0; rc == TK_OK && l < nl; l++) {
    memcpy(c->w[l], w[l], (size_t)size[l] * size[l + 1] * sizeof(float));
    memcpy(c->b[l], b[l], (size_t)size[l + 1] * sizeof(float));
  }
  for (uint32_t l = 0; l < TSU_CLF_MAX_LAYERS; l++) {
    free(w[l]);
    free(b[l]);
  }
  if (rc == TK_OK && c->size[0] != TSU_DTM_N_PIX)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: classifier for %u inputs, not 784",
                 path, c->size[0]);
  if (rc != TK_OK) {
    tsu_clf_free(c);
    return rc;
  }
  *out = c;
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

int cmd_dtm_eval_kv(int argc, char **argv, cmd_kv *kv)
{
  static const struct option lo[] = {
    {"model", 1, 0, E_MODEL}, {"samples", 1, 0, E_SAMPLES},
    {"data", 1, 0, E_DATA}, {"test-limit", 1, 0, E_TLIM},
    {"clf-limit", 1, 0, E_CLIM}, {"classifier", 1, 0, E_CLF},
    {"seed", 1, 0, E_SEED}, {"threads", 1, 0, E_THREADS},
    {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
  const char *model = NULL, *samples = NULL, *data = "fashion-mnist",
             *clf_path = NULL, *out = NULL;
  long test_limit = 10000, clf_limit = 0, threads = 0;
  unsigned long long seed = 1;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
    char *end = NULL;
    switch (c) {
    case 'h': usage_eval(stdout); return CMD_EXIT_OK;
    case 'o': out = optarg; break;
    case E_MODEL: model = optarg; break;
    case E_SAMPLES: samples = optarg; break;
    case E_DATA: data = optarg; break;
    case E_CLF: clf_path = optarg; break;
    case E_TLIM: case E_CLIM: case E_THREADS: {
      long v = strtol(optarg, &end, 10);
      if (*optarg == '\0' || *end != '\0' || v < (c == E_THREADS ? 0 : 2) ||
          v > 60000)
        return cmd_usage_error("dtm", "eval: '%s' is not a valid count for %s",
                               optarg, argv[optind - 1]);
      if (c == E_TLIM) test_limit = v;
      else if (c == E_CLIM) clf_limit = v;
      else threads = v;
      break;
    }
    case E_SEED:
      seed = strtoull(optarg, &end, 0);
      if (*optarg == '\0' || *end != '\0' || *optarg == '-')
        return cmd_usage_error("dtm", "--seed: '%s' is not an unsigned integer", optarg);
      break;
    default:
      return cmd_usage_error("dtm", "eval: unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (model == NULL || samples == NULL)
    return cmd_usage_error("dtm", "eval: --model and --samples are required");
  tk_err err = {0};
  tsu_dtm *m = NULL;
  io_dtm_history hist = {0};
  io_file *sf = NULL;
  io_image_set tr = {0}, te = {0};
  tsu_clf *clf = NULL;
  int8_t *simg = NULL;
  int32_t *clamped = NULL;
  uint8_t *sx = NULL, *base = NULL, *pred = NULL;
  double *fs = NULL, *ft = NULL, *fb = NULL, *fr = NULL, *pm = NULL;
  size_t ns = 0;
  int rc = io_dtm_load(model, &m, &hist, &err);
  if (rc == TK_OK)
    rc = io_file_open_read(samples, &sf, &err);
  int64_t s_vis = 0, s_steps = 0;
  if (rc == TK_OK &&
      (io_get_attr_i64(sf, "/samples", "n_vis", &s_vis, &err) != TK_OK ||
       io_get_attr_i64(sf, "/samples", "steps", &s_steps, &err) != TK_OK))
    rc = TK_FAIL(&err, TK_EFORMAT, "%s is not a `tsukit dtm sample` file",
                 samples);
  if (rc == TK_OK && (s_vis != (int64_t)m->n_vis || s_steps != (int64_t)m->p.T))
    rc = TK_FAIL(&err, TK_EINVAL, "%s was made by a %lld-step model with %lld "
                 "visible spins; %s has %u steps and %u", samples,
                 (long long)s_steps, (long long)s_vis, model, m->p.T, m->n_vis);
  int rank;
  size_t dims[4];
  if (rc == TK_OK)
    rc = io_read_i8(sf, "/samples/images", &simg, &rank, dims, &err);
  if (rc == TK_OK && (rank != 3 || dims[1] * dims[2] != TSU_DTM_N_PIX || dims[0] < 2))
    rc = TK_FAIL(&err, TK_EFORMAT, "%s: /samples/images must be [n >= 2, 28, 28]",
                 samples);
  if (rc == TK_OK) {
    ns = dims[0];
    rc = io_read_i32(sf, "/samples/label_clamped", &clamped, &rank, dims, &err);
    if (rc == TK_OK && (rank != 1 || dims[0] != ns))
      rc = TK_FAIL(&err, TK_EFORMAT, "%s: label_clamped has the wrong size", samples);
  }
  io_file_close(sf);
  if (rc == TK_OK)
    rc = cmd_dtm_load_data(data, "train", (size_t)clf_limit, &tr, &err);
  if (rc == TK_OK)
    rc = cmd_dtm_load_data(data, "test", (size_t)test_limit, &te, &err);
  if (rc == TK_OK && te.n < 2)
    rc = TK_FAIL(&err, TK_ERANGE, "need at least 2 test images");
  struct stat sb;
  int cached = clf_path != NULL && stat(clf_path, &sb) == 0;
  if (rc == TK_OK && cached)
    rc = load_clf(clf_path, &clf, &err);
  if (rc == TK_OK && !cached) {
    tsu_clf_params cp = tsu_clf_default_params();
    cp.n_threads = (int)threads;
    const char *pe = getenv("TSUKIT_PROGRESS");
    cp.quiet = pe != NULL && strcmp(pe, "never") == 0;
    rc = tsu_clf_train(&cp, tr.pixels, tr.labels, tr.n, TSU_DTM_N_PIX, &clf,
                       NULL, &err);
    if (rc == TK_OK && clf_path != NULL)
      rc = save_clf(clf_path, clf, &err);
  }
  double clf_acc = NAN, fd_s = NAN, fd_b = NAN, fd_r = NAN, lab_acc = NAN;
  if (rc == TK_OK)
    rc = tsu_clf_accuracy(clf, te.pixels, te.labels, te.n, (int)threads,
                          &clf_acc, &err);
  size_t d = clf ? tsu_clf_n_features(clf) : 0;
  if (rc == TK_OK) {
    sx = malloc(ns * TSU_DTM_N_PIX);
    base = malloc(ns * TSU_DTM_N_PIX);
    pred = malloc(ns);
    pm = malloc(TSU_DTM_N_PIX * sizeof *pm);
    if (!sx || !base || !pred || !pm)
      rc = TK_FAIL(&err, TK_ENOMEM, "evaluation buffers");
  }
  if (rc == TK_OK) {
    for (size_t i = 0; i < ns * TSU_DTM_N_PIX; i++)
      sx[i] = simg[i] != 0;
    rc = tsu_fd_pixel_marginals(tr.pixels, tr.n, TSU_DTM_N_PIX, pm, &err);
  }
  if (rc == TK_OK)
    rc = tsu_fd_marginal_draw(pm, TSU_DTM_N_PIX, ns, seed, base, &err);
  if (rc == TK_OK) rc = features(clf, sx, ns, (int)threads, &fs, &err);
  if (rc == TK_OK) rc = features(clf, te.pixels, te.n, (int)threads, &ft, &err);
  if (rc == TK_OK) rc = features(clf, base, ns, (int)threads, &fb, &err);
  /* The floor: as many training images as samples. */
  size_t nr = ns < tr.n ? ns : tr.n;
  if (rc == TK_OK) rc = features(clf, tr.pixels, nr, (int)threads, &fr, &err);
  if (rc == TK_OK) rc = tsu_fd_sets(fs, ns, ft, te.n, d, &fd_s, &err);
  if (rc == TK_OK) rc = tsu_fd_sets(fb, ns, ft, te.n, d, &fd_b, &err);
  if (rc == TK_OK && nr >= 2) rc = tsu_fd_sets(fr, nr, ft, te.n, d, &fd_r, &err);
  size_t n_cl = 0, n_ok = 0;
  if (rc == TK_OK)
    rc = tsu_clf_predict(clf, sx, ns, pred, NULL, (int)threads, &err);
  for (size_t i = 0; rc == TK_OK && i < ns; i++)
    if (clamped[i] >= 0) {
      n_cl++;
      n_ok += pred[i] == (uint8_t)clamped[i];
    }
  if (n_cl > 0)
    lab_acc = (double)n_ok / n_cl;
  double ac = NAN;
  if (hist.n_epoch > 0) {
    ac = -INFINITY;
    for (uint32_t k = 0; k < m->p.T; k++)
      ac = fmax(ac, hist.autocorr[(hist.n_epoch - 1) * m->p.T + k]);
  }
  if (rc == TK_OK && out != NULL) {
    io_prov prov = {cmd_command_line(), seed};
    io_file *f = NULL;
    rc = io_file_create(out, &prov, IO_CREATE_OVERWRITE, &f, &err);
    struct { const char *name; double v; } ev[] = {
      {"/eval/fd_tsukit", fd_s}, {"/eval/fd_marginal_baseline", fd_b},
      {"/eval/fd_data", fd_r}, {"/eval/label_accuracy", lab_acc},
      {"/eval/autocorr", ac}, {"/eval/clf_test_accuracy", clf_acc},
    };
    for (size_t i = 0; rc == TK_OK && i < sizeof ev / sizeof *ev; i++) {
      size_t d1[1] = {1};
      rc = io_write_f64(f, ev[i].name, 1, d1, &ev[i].v, "1", &err);
    }
    if (rc == TK_OK) rc = io_attr_str(f, "/eval", "model", model, &err);
    if (rc == TK_OK) rc = io_attr_str(f, "/eval", "samples", samples, &err);
    if (rc == TK_OK)
      rc = io_file_commit(f, &err);
    else
      io_file_abort(f);
  }
  int x = CMD_EXIT_OK;
  if (rc != TK_OK) {
    x = rc == TK_EINVAL ? (fprintf(stderr, "tsukit dtm: %s\n", err.msg),
                           CMD_EXIT_USAGE)
                        : cmd_fail("dtm", &err);
  } else {
    cmd_kv_double(kv, "fd_tsukit", fd_s);
    cmd_kv_double(kv, "fd_marginal_baseline", fd_b);
    cmd_kv_double(kv, "fd_data", fd_r);
    cmd_kv_double(kv, "label_accuracy", lab_acc);
    cmd_kv_double(kv, "autocorr", ac);
    cmd_kv_double(kv, "clf_test_accuracy", clf_acc);
    cmd_kv_long(kv, "samples", (long)ns);
    cmd_kv_long(kv, "test_images", (long)te.n);
  }
  tsu_dtm_free(m);
  io_dtm_history_free(&hist);
  io_image_set_free(&tr);
  io_image_set_free(&te);
  tsu_clf_free(clf);
  free(simg);
  free(clamped);
  free(sx);
  free(base);
  free(pred);
  free(pm);
  free(fs);
  free(ft);
  free(fb);
  free(fr);
  return x;
}
