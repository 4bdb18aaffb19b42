/* fuzz_h5_dwell.c -- the double-well scan reader (io/io_dwell.h).
 *
 * Contract: arrays as long as stated, or a one-line error; nothing
 * leaks (each x[i] freed also after a failure). */
#include "fuzz/fuzz_h5.h"

#include <stdlib.h>

#include "io/io_dwell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = fuzz_h5_image(data, size);
  if (path == NULL)
    return 0;
  double *x[6] = {0};
  size_t ns = 0, nc = 0;
  tk_err err = {0};
  int rc = io_dwell_read_scan(path, x, &ns, &nc, &err);
  fuzz_check_error(rc, &err, "io_dwell_read_scan");
  if (rc == 0) {
    double sum = 0;
    for (int i = 0; i < 6; i++)
      for (size_t k = 0; k < (i < 3 ? ns : nc); k++)
        sum += x[i][k];
    (void)sum;
  }
  for (int i = 0; i < 6; i++)
    free(x[i]);
  fuzz_h5_image_done();
  return 0;
}
