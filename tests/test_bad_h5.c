/* test_bad_h5.c -- io_h5 against a dataset whose stored dimensions were
 * damaged (issue 18): a bit flip in a dataspace's extent made `tsukit
 * predict` read a contiguous dataset of ~1e12 elements and hang in
 * H5Dread.  Here the extent of a 1000-element dataset is patched in the
 * file's bytes to 2^40 (and to 2^61, whose byte size overflows), and
 * io_read_f64 must refuse it as corrupt, naming the dataset, at once.
 *
 * Workload: one 8 kB file, written and patched three times.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/io_h5.h"
#include "tests/tk_test.h"

/* Replace every 8-byte little-endian occurrence of `from` in the file by
 * `to`; returns how many were replaced (the dataspace message holds the
 * extent and the maximum extent). */
static int patch_u64(const char *path, uint64_t from, uint64_t to)
{
  FILE *f = fopen(path, "r+b");
  if (f == NULL)
    return -1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  unsigned char *b = malloc((size_t)n);
  fseek(f, 0, SEEK_SET);
  if (b == NULL || fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    fclose(f);
    return -1;
  }
  unsigned char a[8], z[8];
  for (int k = 0; k < 8; k++) {
    a[k] = (unsigned char)(from >> (8 * k));
    z[k] = (unsigned char)(to >> (8 * k));
  }
  int hits = 0;
  for (long i = 0; i + 8 <= n; i++)
    if (memcmp(b + i, a, 8) == 0) {
      memcpy(b + i, z, 8);
      hits++;
      i += 7;
    }
  fseek(f, 0, SEEK_SET);
  fwrite(b, 1, (size_t)n, f);
  free(b);
  fclose(f);
  return hits;
}

int main(void)
{
  char path[] = "/tmp/tsukit-bad-h5-XXXXXX";
  int fd = mkstemp(path);
  if (fd >= 0) {
    close(fd);
    unlink(path);
  }
  const uint64_t bad[2] = {1ull << 40, 1ull << 61};
  for (int c = 0; c < 2; c++) {
    double x[1000];
    for (int i = 0; i < 1000; i++)
      x[i] = 2.385 * i + 0.5;
    io_file *f = NULL;
    tk_err e = {0};
    io_prov prov = {"test_bad_h5", 7};
    size_t dims[1] = {1000};
    int rc = io_file_create(path, &prov, IO_CREATE_OVERWRITE, &f, &e);
    if (rc == 0)
      rc = io_write_f64(f, "/x", 1, dims, x, "V", &e);
    if (rc == 0)
      rc = io_file_commit(f, &e);
    TKT_OK(rc == 0, "write a 1000-element dataset (%s)", tk_err_text(&e));
    /* the file is intact: it reads back */
    double *y = NULL;
    int rank = 0;
    size_t d[4];
    rc = io_file_open_read(path, &f, &e);
    if (rc == 0)
      rc = io_read_f64(f, "/x", &y, &rank, d, &e);
    io_file_close(f);
    TKT_OK(rc == 0 && rank == 1 && d[0] == 1000 && y[999] == x[999],
           "intact file reads back");
    free(y);
    y = NULL;
    int hits = patch_u64(path, 1000, bad[c]);
    TKT_OK(hits >= 1, "extent 1000 found in the file and set to %llu (%d "
           "place(s))", (unsigned long long)bad[c], hits);
    memset(&e, 0, sizeof e);
    rc = io_file_open_read(path, &f, &e);
    if (rc == 0)
      rc = io_read_f64(f, "/x", &y, &rank, d, &e);
    io_file_close(f);
    TKT_OK(rc == TK_EFORMAT && y == NULL &&
               strstr(tk_err_text(&e), "/x claims more elements than the "
                      "file holds") != NULL,
           "extent %llu refused as corrupt, naming the dataset (%s)",
           (unsigned long long)bad[c], tk_err_text(&e));
    free(y);
  }
  unlink(path);
  return tkt_done();
}
