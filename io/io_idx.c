/* io_idx.c -- IDX reading through zlib, with every size checked.
 *
 * Workload: the Fashion-MNIST files (47 MB of pixels uncompressed), read
 * once per run; one gzread into the final buffer.
 */
#include "config.h"

#include "io/io_idx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

static uint32_t be32(const unsigned char *b)
{
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
         ((uint32_t)b[2] << 8) | (uint32_t)b[3];
}

int io_idx_read(const char *path, int ndim, io_idx *out, tk_err *err)
{
  memset(out, 0, sizeof *out);
  if (ndim < 1 || ndim > 3)
    return TK_FAIL(err, TK_EINVAL, "IDX: ndim %d not in 1..3", ndim);
  struct stat st;
  if (stat(path, &st) != 0)
    return TK_FAIL(err, TK_ENOTFOUND, "%s: no such file", path);
  gzFile g = gzopen(path, "rb");
  if (g == NULL)
    return TK_FAIL(err, TK_EIO, "%s: cannot open", path);
  unsigned char head[16];
  int want = 4 + 4 * ndim;
  int rc = TK_OK;
  if (gzread(g, head, (unsigned)want) != want) {
    rc = TK_FAIL(err, TK_EFORMAT, "%s: truncated IDX header", path);
    goto done;
  }
  if (head[0] != 0 || head[1] != 0 || head[2] != 0x08 || head[3] != ndim) {
    rc = TK_FAIL(err, TK_EFORMAT,
                 "%s: bad IDX magic %02x%02x%02x%02x (want 000008%02x: unsigned "
                 "bytes, %d dimensions)",
                 path, head[0], head[1], head[2], head[3], ndim, ndim);
    goto done;
  }
  size_t total = 1;
  for (int i = 0; i < ndim; i++) {
    out->dims[i] = be32(head + 4 + 4 * i);
    if (out->dims[i] == 0 || out->dims[i] > 10000000u) {
      rc = TK_FAIL(err, TK_EFORMAT, "%s: implausible extent %u", path,
                   out->dims[i]);
      goto done;
    }
    total *= out->dims[i];
  }
  if (total > (size_t)1 << 31) {
    rc = TK_FAIL(err, TK_EFORMAT, "%s: %zu bytes is too large", path, total);
    goto done;
  }
  /* The buffer grows with the data read (from 1 MiB, doubling), so a
   * few header bytes claiming 2 GiB cost no more than the data there. */
  size_t cap = total < ((size_t)1 << 20) ? total : ((size_t)1 << 20);
  out->data = malloc(cap);
  if (out->data == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "%s: out of memory", path);
    goto done;
  }
  size_t got = 0;
  while (got < total) {
    if (got == cap) {
      size_t nc = 2 * cap < total ? 2 * cap : total;
      uint8_t *nd = realloc(out->data, nc);
      if (nd == NULL) {
        rc = TK_FAIL(err, TK_ENOMEM, "%s: out of memory", path);
        goto done;
      }
      out->data = nd;
      cap = nc;
    }
    size_t want_now = cap - got;
    unsigned chunk = want_now > (1u << 30) ? (1u << 30) : (unsigned)want_now;
    int r = gzread(g, out->data + got, chunk);
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  if (got != total) {
    int zerr = 0;
    const char *zmsg = gzerror(g, &zerr);
    rc = TK_FAIL(err, TK_EFORMAT, "%s: truncated data (%zu of %zu bytes)%s%s",
                 path, got, total, zerr ? ": " : "", zerr ? zmsg : "");
    goto done;
  }
  unsigned char extra;
  if (gzread(g, &extra, 1) > 0) {
    rc = TK_FAIL(err, TK_EFORMAT, "%s: trailing bytes after the data", path);
    goto done;
  }
  out->ndim = ndim;
done:
  gzclose(g);
  if (rc != TK_OK)
    io_idx_free(out);
  return rc;
}

void io_idx_free(io_idx *x)
{
  if (x == NULL)
    return;
  free(x->data);
  memset(x, 0, sizeof *x);
}

int io_fashion_mnist_load(const char *dir, const char *split, size_t limit,
                          io_image_set *out, tk_err *err)
{
  memset(out, 0, sizeof *out);
  if (dir == NULL)
    dir = TK_FASHION_MNIST_DIR;
  const char *stem;
  uint32_t expect;
  if (strcmp(split, "train") == 0) {
    stem = "train";
    expect = 60000;
  } else if (strcmp(split, "test") == 0) {
    stem = "t10k";
    expect = 10000;
  } else {
    return TK_FAIL(err, TK_EINVAL, "Fashion-MNIST split '%s' (want train or test)",
                   split);
  }
  char ipath[4096], lpath[4096];
  snprintf(ipath, sizeof ipath, "%s/%s-images-idx3-ubyte.gz", dir, stem);
  snprintf(lpath, sizeof lpath, "%s/%s-labels-idx1-ubyte.gz", dir, stem);
  struct stat st;
  if (stat(ipath, &st) != 0 || stat(lpath, &st) != 0)
    return TK_FAIL(err, TK_ENOTFOUND,
                   "Fashion-MNIST not found in %s (install the Debian package "
                   "dataset-fashion-mnist)",
                   dir);
  io_idx im, lb;
  TK_TRY(io_idx_read(ipath, 3, &im, err));
  int rc = io_idx_read(lpath, 1, &lb, err);
  if (rc != 0) {
    io_idx_free(&im);
    return rc;
  }
  if (im.dims[0] != expect || lb.dims[0] != expect || im.dims[1] != 28 ||
      im.dims[2] != 28) {
    rc = TK_FAIL(err, TK_EFORMAT,
                 "Fashion-MNIST %s: shapes %ux%ux%u / %u (want %ux28x28 / %u)",
                 split, im.dims[0], im.dims[1], im.dims[2], lb.dims[0], expect,
                 expect);
  }
  for (uint32_t i = 0; rc == 0 && i < lb.dims[0]; i++)
    if (lb.data[i] > 9)
      rc = TK_FAIL(err, TK_EFORMAT, "Fashion-MNIST %s: label %u of image %u",
                   split, lb.data[i], i);
  if (rc != 0) {
    io_idx_free(&im);
    io_idx_free(&lb);
    return rc;
  }
  size_t n = im.dims[0];
  if (limit > 0 && limit < n)
    n = limit;
  out->n = n;
  out->rows = im.dims[1];
  out->cols = im.dims[2];
  out->pixels = im.data;
  out->labels = lb.data;
  return TK_OK;
}

void io_image_set_free(io_image_set *s)
{
  if (s == NULL)
    return;
  free(s->pixels);
  free(s->labels);
  memset(s, 0, sizeof *s);
}
