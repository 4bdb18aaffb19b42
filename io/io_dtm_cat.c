/* io_dtm_cat.c -- categorical DTM models and sample sets (io_dtm_cat.h):
 * the binary DTM's files (io_dtm.c, io_dtm_samples.c) written under a
 * temporary name, the categorical parts added, then renamed. */
#include "io/io_dtm_cat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int io_dtmc_is_model(const char *path)
{
  io_file *f = NULL;
  tk_err err;
  struct stat sb;
  if (stat(path, &sb) != 0 || io_file_open_read(path, &f, &err) != TK_OK)
    return 0;
  int64_t K = 0;
  int yes = io_exists(f, "/dtm") &&
            io_get_attr_i64(f, "/dtm", "levels", &K, NULL) == TK_OK;
  io_file_close(f);
  return yes;
}

/* Write base via `write`, then add the categorical part and rename. */
static int finish(const char *tmp, const char *path, int overwrite,
                  int (*add)(io_file *, const void *, tk_err *),
                  const void *ctx, tk_err *err)
{
  io_file *f = NULL;
  int rc = io_file_open_rw(tmp, &f, err);
  if (rc == TK_OK) {
    rc = add(f, ctx, err);
    int rc2 = io_file_flush(f, err);
    io_file_close(f);
    if (rc == TK_OK)
      rc = rc2;
  }
  struct stat sb;
  if (rc == TK_OK && !overwrite && stat(path, &sb) == 0)
    rc = TK_FAIL(err, TK_EEXIST, "%s exists", path);
  if (rc == TK_OK && rename(tmp, path) != 0)
    rc = TK_FAIL(err, TK_EIO, "cannot rename %s to %s", tmp, path);
  if (rc != TK_OK)
    remove(tmp);
  return rc;
}

static int add_model(io_file *f, const void *ctx, tk_err *err)
{
  const tsu_dtmc *m = ctx;
  size_t T = m->b->p.T, N = m->b->n_grid, K = m->K;
  size_t d3[3] = {T, N, K}, dP[2] = {TSU_DTM_N_PIX, K};
  char px[16];
  snprintf(px, sizeof px, "cat%zu", K);
  TK_TRY(io_attr_str(f, "/dtm", "pixels", px, err));
  TK_TRY(io_attr_i64(f, "/dtm", "levels", (int64_t)K, err));
  TK_TRY(io_write_f64(f, "/dtm/h_cat", 3, d3, m->h, "kT", err));
  TK_TRY(io_write_f64(f, "/dtm/pix_p", 2, dP, m->pix_p, "1", err));
  TK_TRY(io_write_f64(f, "/dtm/adam/mh_cat", 3, d3, m->mh, "1", err));
  return io_write_f64(f, "/dtm/adam/vh_cat", 3, d3, m->vh, "1", err);
}

int io_dtmc_save(const char *path, const tsu_dtmc *m, const io_dtm_history *h,
                 const char *command, int overwrite, tk_err *err)
{
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.cat.partial", path);
  TK_TRY(io_dtm_save(tmp, m->b, h, command, 1, err));
  return finish(tmp, path, overwrite, add_model, m, err);
}

static int read_n(io_file *f, const char *name, size_t n, double *dst,
                  tk_err *err)
{
  double *a = NULL;
  int rank;
  size_t dims[4], got = 1;
  TK_TRY(io_read_f64(f, name, &a, &rank, dims, err));
  for (int i = 0; i < rank; i++)
    got *= dims[i];
  int rc = TK_OK;
  if (got != n)
    rc = TK_FAIL(err, TK_EFORMAT, "%s has %zu values, the model needs %zu",
                 name, got, n);
  for (size_t i = 0; rc == TK_OK && i < n; i++)
    if (!isfinite(a[i]))
      rc = TK_FAIL(err, TK_EFORMAT, "%s[%zu] is not finite", name, i);
  if (rc == TK_OK)
    memcpy(dst, a, n * sizeof *dst);
  free(a);
  return rc;
}

int io_dtmc_load(const char *path, tsu_dtmc **out, io_dtm_history *h,
                 tk_err *err)
{
  *out = NULL;
  io_file *f = NULL;
  int64_t K = 0;
  TK_TRY(io_file_open_read(path, &f, err));
  int rc = io_exists(f, "/dtm") &&
                   io_get_attr_i64(f, "/dtm", "levels", &K, NULL) == TK_OK
               ? TK_OK
               : TK_FAIL(err, TK_EFORMAT, "%s is not a categorical DTM model "
                         "(no /dtm attr levels: a binary model?)", path);
  if (rc == TK_OK && (K < 2 || K > TSU_DTMC_MAX_K))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: levels = %lld outside 2..%u", path,
                 (long long)K, TSU_DTMC_MAX_K);
  tsu_dtmc *m = NULL;
  if (rc == TK_OK) {
    m = calloc(1, sizeof *m);
    if (m == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "categorical DTM");
  }
  if (rc == TK_OK)
    rc = io_dtm_load(path, &m->b, h, err);
  if (rc == TK_OK) {
    size_t n = (size_t)m->b->p.T * m->b->n_grid * (size_t)K;
    m->K = (uint32_t)K;
    m->h = malloc(n * sizeof *m->h);
    m->mh = malloc(n * sizeof *m->mh);
    m->vh = malloc(n * sizeof *m->vh);
    m->pix_p = malloc((size_t)TSU_DTM_N_PIX * K * sizeof *m->pix_p);
    if (!m->h || !m->mh || !m->vh || !m->pix_p)
      rc = TK_FAIL(err, TK_ENOMEM, "categorical DTM biases");
    if (rc == TK_OK) rc = read_n(f, "/dtm/h_cat", n, m->h, err);
    if (rc == TK_OK) rc = read_n(f, "/dtm/adam/mh_cat", n, m->mh, err);
    if (rc == TK_OK) rc = read_n(f, "/dtm/adam/vh_cat", n, m->vh, err);
    if (rc == TK_OK)
      rc = read_n(f, "/dtm/pix_p", (size_t)TSU_DTM_N_PIX * K, m->pix_p, err);
  }
  io_file_close(f);
  if (rc != TK_OK) {
    if (rc != TK_ENOMEM)
      tk_err_wrap(err, rc, "%s", path);
    tsu_dtmc_free(m);
    if (h != NULL)
      io_dtm_history_free(h);
    return rc;
  }
  *out = m;
  return TK_OK;
}

typedef struct sample_attrs {
  uint32_t K;
  const io_dtmc_map_err *map;
} sample_attrs;

static int add_samples(io_file *f, const void *ctx, tk_err *err)
{
  const sample_attrs *a = ctx;
  char px[16];
  snprintf(px, sizeof px, "cat%u", a->K);
  TK_TRY(io_attr_str(f, "/samples", "pixels", px, err));
  TK_TRY(io_attr_i64(f, "/samples", "levels", a->K, err));
  if (a->map == NULL)
    return TK_OK;
  TK_TRY(io_attr_f64(f, "/samples", "map_err_mean", a->map->err_mean, err));
  TK_TRY(io_attr_f64(f, "/samples", "map_err_max", a->map->err_max, err));
  return io_attr_f64(f, "/samples", "map_clip_frac", a->map->clip_frac, err);
}

int io_dtmc_samples_write(const char *path, const io_dtm_samples *s,
                          uint32_t K, const io_dtmc_map_err *map,
                          const io_prov *prov, int overwrite, tk_err *err)
{
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.cat.partial", path);
  TK_TRY(io_dtm_samples_write(tmp, s, prov, 1, err));
  sample_attrs a = {K, map};
  return finish(tmp, path, overwrite, add_samples, &a, err);
}

/* Levels of dataset name ([.., 28, 28]) into a fresh buffer of n bytes. */
static int read_levels(io_file *f, const char *path, const char *name,
                       size_t n, uint32_t K, uint8_t **out, tk_err *err)
{
  int8_t *a = NULL;
  int rank;
  size_t dims[4], got = 1;
  TK_TRY(io_read_i8(f, name, &a, &rank, dims, err));
  for (int i = 0; i < rank; i++)
    got *= dims[i];
  int rc = got == n ? TK_OK
                    : TK_FAIL(err, TK_EFORMAT, "%s: %s has %zu values, "
                              "expected %zu", path, name, got, n);
  for (size_t i = 0; rc == TK_OK && i < n; i++)
    if (a[i] < 0 || (uint32_t)a[i] >= K)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: %s[%zu] = %d outside levels 0..%u",
                   path, name, i, a[i], K - 1);
  if (rc != TK_OK) {
    free(a);
    return rc;
  }
  *out = (uint8_t *)a;
  return TK_OK;
}

int io_dtmc_samples_read_f(io_file *f, io_dtm_samples *s, uint32_t *K,
                           tk_err *err)
{
  const char *path = io_file_path(f);
  int64_t k = 0;
  int rc = io_dtm_samples_read(f, s, err);
  if (rc == TK_OK &&
      (io_get_attr_i64(f, "/samples", "levels", &k, NULL) != TK_OK || k < 2 ||
       k > TSU_DTMC_MAX_K))
    rc = TK_FAIL(err, TK_EFORMAT, "%s is not a sample set of categorical "
                 "pixels (no /samples attr levels in 2..%u)", path,
                 TSU_DTMC_MAX_K);
  uint8_t *lv = NULL;
  if (rc == TK_OK)
    rc = read_levels(f, path, "/samples/images", s->n * TSU_DTM_N_PIX,
                     (uint32_t)k, &lv, err);
  if (rc == TK_OK) {
    free(s->images);
    s->images = lv;
    if (s->chain != NULL) {
      rc = read_levels(f, path, "/samples/chain",
                       ((size_t)s->steps + 1) * s->n_chain * TSU_DTM_N_PIX,
                       (uint32_t)k, &lv, err);
      if (rc == TK_OK) {
        free(s->chain);
        s->chain = lv;
      }
    }
  }
  if (rc != TK_OK) {
    io_dtm_samples_free(s);
    return rc;
  }
  *K = (uint32_t)k;
  return TK_OK;
}

int io_dtmc_samples_read(const char *path, io_dtm_samples *s, uint32_t *K,
                         tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(path, &f, err));
  int rc = io_dtmc_samples_read_f(f, s, K, err);
  io_file_close(f);
  return rc;
}

int io_dtmc_is_samples(io_file *f)
{
  int64_t k = 0;
  return io_exists(f, "/samples") &&
         io_get_attr_i64(f, "/samples", "levels", &k, NULL) == TK_OK;
}
