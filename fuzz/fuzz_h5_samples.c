/* fuzz_h5_samples.c -- a samples file of `tsukit sample` (io/io_samples.h)
 * read back the way its consumers do (the experiments, h5 tools): every
 * group's datasets through io_read_f64 and its attributes through
 * io_get_attr_*; also the root `kind` probe of `tsukit plot`.
 *
 * Contract: a read dataset holds as many elements as its extents say; a
 * failure is a one-line error; nothing leaks. */
#include "fuzz/fuzz_h5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = NULL;
  io_file *f = fuzz_h5_open(data, size, &path);
  if (f == NULL) {
    if (path != NULL)
      fuzz_h5_image_done();
    return 0;
  }
  static const char *const root[] = {"kind", "version", "command", "seed",
                                     NULL};
  static const char *const moments[] = {"stderr_method", "observables", NULL};
  static const char *const graph[] = {"spec", "L", "torus", "n_colors", NULL};
  static const char *const run[] = {"beta", "chains", "sweeps", "kernel",
                                    "cells_kind", "states", "cells", NULL};
  static const char *const energy[] = {"sweeps_per_sample", NULL};
  fuzz_h5_walk(f, "/", root);
  fuzz_h5_walk(f, "/moments", moments);
  fuzz_h5_walk(f, "/graph", graph);
  fuzz_h5_walk(f, "/run", run);
  fuzz_h5_walk(f, "/energy", energy);
  fuzz_h5_walk(f, "/states", NULL);
  io_file_close(f);
  fuzz_h5_image_done();
  return 0;
}
