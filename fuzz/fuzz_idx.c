/* fuzz_idx.c -- the IDX reader of (Fashion-)MNIST (io/io_idx.h), plain
 * or gzipped, read as labels (1 dimension) and as images (3).
 *
 * Contract: the data has exactly the product of the extents, each extent
 * in 1..10^7; or a one-line error and nothing left allocated. */
#include "fuzz/fuzz.h"

#include "io/io_idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = fuzz_memfile(data, size);
  if (path == NULL)
    return 0;
  for (int ndim = 1; ndim <= 3; ndim += 2) {
    tk_err err = {0};
    io_idx x;
    int rc = io_idx_read(path, ndim, &x, &err);
    fuzz_check_error(rc, &err, "io_idx_read");
    if (rc == 0) {
      size_t total = 1;
      for (int i = 0; i < ndim; i++) {
        if (x.dims[i] < 1 || x.dims[i] > 10000000u)
          fuzz_fail("io_idx_read", "implausible extent accepted");
        total *= x.dims[i];
      }
      if (x.ndim != ndim || x.data == NULL)
        fuzz_fail("io_idx_read", "success without data");
      /* touch every byte: ASan checks the buffer holds total bytes */
      unsigned sum = 0;
      for (size_t i = 0; i < total; i++)
        sum += x.data[i];
      (void)sum;
    } else if (x.data != NULL) {
      fuzz_fail("io_idx_read", "failure left data");
    }
    io_idx_free(&x);
  }
  return 0;
}
