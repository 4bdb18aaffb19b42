/* fuzz_h5_trace.c -- the trace-file reader (io/io_trace.h): root
 * attributes, the run list and each run's time and output lines.
 *
 * Contract: each run reads with lines as long as stated, or fails with a
 * one-line error; nothing leaks. */
#include "fuzz/fuzz_h5.h"

#include <string.h>

#include "io/io_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = NULL;
  io_file *f = fuzz_h5_open(data, size, &path);
  if (f == NULL) {
    if (path != NULL)
      fuzz_h5_image_done();
    return 0;
  }
  io_trace_info info;
  memset(&info, 0, sizeof info);
  tk_err err = {0};
  int rc = io_trace_info_read(f, &info, &err);
  fuzz_check_error(rc, &err, "io_trace_info_read");
  for (size_t r = 0; rc == 0 && r < info.n_runs && r < 8; r++) {
    io_trace_rec rec;
    memset(&rec, 0, sizeof rec);
    tk_err e2 = {0};
    int r2 = io_trace_rec_read(f, &info, r, &rec, &e2);
    fuzz_check_error(r2, &e2, "io_trace_rec_read");
    if (r2 == 0) {
      double sum = 0;
      for (size_t k = 0; k < rec.n_time; k++)
        sum += rec.time_s[k];
      for (unsigned l = 0; l < rec.n_lines && l < IO_TRACE_MAX_LINES; l++)
        for (size_t k = 0; k < rec.n_line; k++)
          sum += rec.line_V[l][k];
      (void)sum;
    }
    io_trace_rec_clear(&rec);
  }
  if (rc == 0)
    io_trace_info_clear(&info);
  io_file_close(f);
  fuzz_h5_image_done();
  return 0;
}
