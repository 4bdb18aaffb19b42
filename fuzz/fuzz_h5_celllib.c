/* fuzz_h5_celllib.c -- the cell-library reader (io/io_celllib.h) for
 * every cell kind (pbit, categorical, gmm, ... libraries and calibration
 * checkpoints are the seeds), and the chip's cell table built from it
 * (io/io_cells.h).
 *
 * Contract: every cell listed reads into a consistent library or fails
 * with a one-line error; nothing leaks either way. */
#include "fuzz/fuzz_h5.h"

#include <stdlib.h>

#include "io/io_celllib.h"
#include "io/io_cells.h"
#include "tsu/tsu_celltab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = NULL;
  io_file *f = fuzz_h5_open(data, size, &path);
  if (f == NULL) {
    if (path != NULL)
      fuzz_h5_image_done();
    return 0;
  }
  tk_err err = {0};
  char **names = NULL;
  char (*kinds)[32] = NULL;
  size_t n = 0;
  int rc = io_celllib_list(f, &names, &kinds, &n, &err);
  fuzz_check_error(rc, &err, "io_celllib_list");
  for (size_t i = 0; rc == 0 && i < n && i < 8; i++) {
    io_celllib c;
    tk_err e2 = {0};
    int r2 = io_celllib_read(f, names[i], &c, &e2);
    fuzz_check_error(r2, &e2, "io_celllib_read");
    io_celllib_clear(&c);
  }
  io_file_close(f);
  if (rc == 0 && n > 0) {
    tsu_celltab *t = NULL;
    tk_err e3 = {0};
    int r3 = io_cells_read(path, names[0], &t, &e3);
    fuzz_check_error(r3, &e3, "io_cells_read");
    tsu_celltab_free(t);
  }
  if (rc == 0) {
    io_names_free(names, n);
    free(kinds);
  }
  fuzz_h5_image_done();
  return 0;
}
