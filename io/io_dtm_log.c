/* io_dtm_log.c -- the /training group of DTM model files (io_dtm_log.h).
 * Workload: a few arrays of one value per epoch. */
#include "io/io_dtm_log.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsu/tsu_dtm_cat.h"

void io_dtm_log_free(io_dtm_log *l)
{
  free(l->epoch);
  free(l->fd_tsukit);
  free(l->label_accuracy);
  free(l->activity);
  free(l->eval_s);
  free(l->autocorr);
  free(l->acp_lambda);
  memset(l, 0, sizeof *l);
}

static int grow(double **a, size_t n, tk_err *err)
{
  double *p = realloc(*a, n * sizeof *p);
  if (p == NULL)
    return TK_FAIL(err, TK_ENOMEM, "training log");
  *a = p;
  return TK_OK;
}

int io_dtm_log_append(io_dtm_log *l, uint32_t T, double epoch, double fd,
                      double label_accuracy, double activity, double eval_s,
                      const double *autocorr, const double *acp_lambda,
                      tk_err *err)
{
  if (l->n > 0 && l->T != T)
    return TK_FAIL(err, TK_EINVAL, "training log of %u steps, entry of %u",
                   l->T, T);
  size_t n = l->n + 1;
  TK_TRY(grow(&l->epoch, n, err));
  TK_TRY(grow(&l->fd_tsukit, n, err));
  TK_TRY(grow(&l->label_accuracy, n, err));
  TK_TRY(grow(&l->activity, n, err));
  TK_TRY(grow(&l->eval_s, n, err));
  TK_TRY(grow(&l->autocorr, n * T, err));
  TK_TRY(grow(&l->acp_lambda, n * T, err));
  l->T = T;
  l->epoch[l->n] = epoch;
  l->fd_tsukit[l->n] = fd;
  l->label_accuracy[l->n] = label_accuracy;
  l->activity[l->n] = activity;
  l->eval_s[l->n] = eval_s;
  memcpy(l->autocorr + l->n * T, autocorr, T * sizeof *autocorr);
  memcpy(l->acp_lambda + l->n * T, acp_lambda, T * sizeof *acp_lambda);
  l->n = n;
  return TK_OK;
}

/* The datasets of /training: one table for write and read. */
typedef struct col {
  const char *name;      /* dataset under /training */
  size_t off;            /* offset of its pointer in io_dtm_log */
  int per_step;          /* 1: [E, T], 0: [E] */
  const char *unit;
} col;

#define C(f, s, u) {#f, offsetof(io_dtm_log, f), s, u}
static const col cols[] = {
  C(epoch, 0, "epochs"), C(fd_tsukit, 0, "1"), C(label_accuracy, 0, "1"),
  C(activity, 0, "1"), C(eval_s, 0, "s"), C(autocorr, 1, "1"),
  C(acp_lambda, 1, "1"),
};
#define N_COLS (sizeof cols / sizeof *cols)

static double **col_ptr(io_dtm_log *l, const col *c)
{
  return (double **)((char *)l + c->off);
}

int io_dtm_log_write(io_file *f, const io_dtm_log *l, tk_err *err)
{
  if (l->n == 0)
    return TK_OK;
  TK_TRY(io_group(f, "/training", err));
  TK_TRY(io_attr_str(f, "/training", "kind", "tsukit-dtm-training-log", err));
  TK_TRY(io_attr_i64(f, "/training", "samples", l->samples, err));
  TK_TRY(io_attr_i64(f, "/training", "sweeps", l->sweeps, err));
  TK_TRY(io_attr_i64(f, "/training", "seed", (int64_t)l->seed, err));
  TK_TRY(io_attr_i64(f, "/training", "test_images", l->test_images, err));
  TK_TRY(io_attr_i64(f, "/training", "clf_images", l->clf_images, err));
  TK_TRY(io_attr_str(f, "/training", "classifier", l->classifier, err));
  TK_TRY(io_attr_str(f, "/training", "about", "after every epoch: samples "
                     "label-clamped to each class in turn from a fixed seed, "
                     "FD-tsukit against the first test_images of the "
                     "Fashion-MNIST test split, label accuracy by the same "
                     "classifier; autocorr and acp_lambda as the training "
                     "measured them", err));
  if (l->levels >= 2) {
    char px[16];
    snprintf(px, sizeof px, "cat%u", l->levels);
    TK_TRY(io_attr_str(f, "/training", "pixels", px, err));
    TK_TRY(io_attr_i64(f, "/training", "levels", l->levels, err));
    TK_TRY(io_attr_str(f, "/training", "about_levels", "categorical "
                       "pixels: test images quantised to the model's "
                       "levels, the classifier reads their thermometer "
                       "code (levels - 1 binary planes); activity counts "
                       "updates that change a node's state", err));
  }
  io_dtm_log *w = (io_dtm_log *)l;
  for (size_t i = 0; i < N_COLS; i++) {
    char path[64];
    snprintf(path, sizeof path, "/training/%s", cols[i].name);
    size_t dims[2] = {l->n, l->T};
    TK_TRY(io_write_f64(f, path, cols[i].per_step ? 2 : 1, dims,
                        *col_ptr(w, &cols[i]), cols[i].unit, err));
  }
  return TK_OK;
}

static int read_body(io_file *f, uint32_t T, io_dtm_log *l, tk_err *err)
{
  int64_t v;
  TK_TRY(io_get_attr_i64(f, "/training", "samples", &v, err));
  l->samples = (uint32_t)v;
  TK_TRY(io_get_attr_i64(f, "/training", "sweeps", &v, err));
  l->sweeps = (uint32_t)v;
  TK_TRY(io_get_attr_i64(f, "/training", "seed", &v, err));
  l->seed = (uint64_t)v;
  TK_TRY(io_get_attr_i64(f, "/training", "test_images", &v, err));
  l->test_images = (uint32_t)v;
  TK_TRY(io_get_attr_i64(f, "/training", "clf_images", &v, err));
  l->clf_images = (uint32_t)v;
  TK_TRY(io_get_attr_str(f, "/training", "classifier", l->classifier,
                         sizeof l->classifier, err));
  /* binary logs have no levels */
  if (io_get_attr_i64(f, "/training", "levels", &v, NULL) == TK_OK) {
    if (v < 2 || v > TSU_DTMC_MAX_K)
      return TK_FAIL(err, TK_EFORMAT, "/training: levels = %lld (need "
                     "2..%u)", (long long)v, TSU_DTMC_MAX_K);
    l->levels = (uint32_t)v;
  }
  size_t rows = 0;
  for (size_t i = 0; i < N_COLS; i++) {
    char path[64];
    snprintf(path, sizeof path, "/training/%s", cols[i].name);
    int rank;
    size_t dims[4];
    TK_TRY(io_read_f64(f, path, col_ptr(l, &cols[i]), &rank, dims, err));
    if (rank != (cols[i].per_step ? 2 : 1) ||
        (cols[i].per_step && dims[1] != T) || (i > 0 && dims[0] != rows))
      return TK_FAIL(err, TK_EFORMAT, "%s: expected [%zu%s] for a %u-step "
                     "model", path, i ? rows : dims[0],
                     cols[i].per_step ? ", T" : "", T);
    rows = dims[0];
  }
  l->n = rows;
  l->T = T;
  return TK_OK;
}

int io_dtm_log_read(io_file *f, uint32_t T, io_dtm_log *l, tk_err *err)
{
  memset(l, 0, sizeof *l);
  if (!io_exists(f, "/training"))
    return TK_OK;
  int rc = read_body(f, T, l, err);
  if (rc != TK_OK)
    io_dtm_log_free(l);
  return rc;
}
