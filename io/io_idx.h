/* io_idx.h -- the IDX files of (Fashion-)MNIST, gzipped or plain.
 *
 * IDX: big-endian magic 0x00 0x00 type ndim, then ndim 32-bit big-endian
 * extents, then the data.  Only unsigned bytes (type 0x08) are accepted,
 * which is what (Fashion-)MNIST uses.  Files are read through zlib, so a
 * .gz and a plain file both work.  Every size is checked against the
 * header and the expected shape; a missing, truncated or corrupt file is
 * a clear error, never a crash.
 */
#ifndef IO_IDX_H
#define IO_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

typedef struct io_idx {
  int ndim;             /* 1 (labels) or 3 (images) */
  uint32_t dims[3];     /* extents; images: n, rows, cols */
  uint8_t *data;        /* dims product bytes, row-major */
} io_idx;

/* Read an IDX file of unsigned bytes with `ndim` dimensions. */
int io_idx_read(const char *path, int ndim, io_idx *out, tk_err *err);
void io_idx_free(io_idx *x);

/* A labelled image set: images [n, rows*cols] and labels [n]. */
typedef struct io_image_set {
  size_t n;             /* images */
  size_t rows, cols;    /* image shape (28 x 28) */
  uint8_t *pixels;      /* n * rows * cols grey levels 0..255 */
  uint8_t *labels;      /* n class labels, 0..9 */
} io_image_set;

/* Fashion-MNIST split "train" (60000) or "test" (10000) from dir (NULL:
 * the Debian package's folder).  limit > 0 keeps the first `limit`. */
int io_fashion_mnist_load(const char *dir, const char *split, size_t limit,
                          io_image_set *out, tk_err *err);
void io_image_set_free(io_image_set *s);

#endif
