/* fuzz_h5_dtm.c -- the Denoising Thermodynamic Model reader (io/io_dtm.h,
 * io_dtm_load with its training history) and the DTM sample-set reader
 * (io_dtm_samples_read).
 *
 * Contract: a model whose layout matches its parameters, or a one-line
 * error; nothing leaks. */
#include "fuzz/fuzz_h5.h"

#include <string.h>

#include "io/io_dtm.h"
#include "tsu/tsu_dtm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = NULL;
  io_file *f = fuzz_h5_open(data, size, &path);
  if (f == NULL) {
    if (path != NULL)
      fuzz_h5_image_done();
    return 0;
  }
  io_dtm_samples s;
  memset(&s, 0, sizeof s);
  tk_err err = {0};
  int rc = io_dtm_samples_read(f, &s, &err);
  fuzz_check_error(rc, &err, "io_dtm_samples_read");
  io_dtm_samples_free(&s);
  io_file_close(f);

  tsu_dtm *m = NULL;
  io_dtm_history h;
  memset(&h, 0, sizeof h);
  tk_err e2 = {0};
  rc = io_dtm_load(path, &m, &h, &e2);
  fuzz_check_error(rc, &e2, "io_dtm_load");
  if (rc != 0 && m != NULL)
    fuzz_fail("io_dtm_load", "failure left a model");
  tsu_dtm_free(m);
  io_dtm_history_free(&h);
  fuzz_h5_image_done();
  return 0;
}
