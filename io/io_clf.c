/* io_clf.c -- save and load the FD classifier (layout in io_clf.h).
 * Workload: a few hundred thousand floats, once per evaluation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_clf.h"

int io_clf_save(const char *path, const tsu_clf *c, const io_prov *prov,
                tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_create(path, prov, IO_CREATE_KEEP, &f, err));
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

int io_clf_load(const char *path, uint32_t n_inputs, tsu_clf **out,
                tk_err *err)
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
  if (rc == TK_OK && c->size[0] != n_inputs)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: classifier for %u inputs, not %u",
                 path, c->size[0], n_inputs);
  if (rc != TK_OK) {
    tsu_clf_free(c);
    return rc;
  }
  *out = c;
  return TK_OK;
}
