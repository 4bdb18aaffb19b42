/* test_io.c -- HDF5 files (provenance, units, atomic commit, errors) and
 * the IDX reader (synthetic files, corruption, the real Fashion-MNIST). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "io/io_h5.h"
#include "io/io_idx.h"
#include "tests/tk_test.h"

static char dir[] = "/tmp/tsukit-test-io-XXXXXX";

static int exists(const char *p)
{
  struct stat st;
  return stat(p, &st) == 0;
}

static void h5(void)
{
  char path[256], partial[300];
  snprintf(path, sizeof path, "%s/a.h5", dir);
  snprintf(partial, sizeof partial, "%s.partial", path);
  tk_err e = {0};
  io_prov prov = {"tsukit test --x 1", 2385};
  io_file *f = NULL;
  TKT_OK(io_file_create(path, &prov, IO_CREATE_KEEP, &f, &e) == 0, "create");
  TKT_OK(exists(partial) && !exists(path), "written under .partial until commit");
  double v[6] = {1.5, -2.25, 3, 4, 5, 6.125};
  size_t d[2] = {2, 3};
  TKT_OK(io_write_f64(f, "/traces/run0/out_V", 2, d, v, "V", &e) == 0, "dataset in nested groups");
  TKT_OK(io_attr_f64(f, "/traces/run0", "vctl_V", 0.0125, &e) == 0, "attribute on a group");
  TKT_OK(io_file_commit(f, &e) == 0 && exists(path) && !exists(partial), "commit renames");

  io_file *r = NULL;
  TKT_OK(io_file_open_read(path, &r, &e) == 0, "reopen");
  double *back = NULL;
  int rank = 0;
  size_t dims[4];
  TKT_OK(io_read_f64(r, "/traces/run0/out_V", &back, &rank, dims, &e) == 0 &&
         rank == 2 && dims[0] == 2 && dims[1] == 3 && memcmp(back, v, sizeof v) == 0,
         "round trip is bit-exact");
  free(back);
  char s[256];
  TKT_OK(io_get_attr_str(r, "/traces/run0/out_V", "unit", s, sizeof s, &e) == 0 &&
         strcmp(s, "V") == 0, "dataset carries its unit");
  TKT_OK(io_get_attr_str(r, "/", "command", s, sizeof s, &e) == 0 &&
         strcmp(s, "tsukit test --x 1") == 0, "file carries its command line");
  int64_t seed = 0;
  TKT_OK(io_get_attr_i64(r, "/", "seed", &seed, &e) == 0 && seed == 2385, "file carries its seed");
  TKT_OK(io_get_attr_str(r, "/", "tsukit_version", s, sizeof s, &e) == 0 && s[0], "version attribute");
  TKT_OK(io_get_attr_str(r, "/", "created_utc", s, sizeof s, &e) == 0 && strlen(s) == 20, "created_utc attribute");
  double x;
  TKT_OK(io_get_attr_f64(r, "/traces/run0", "vctl_V", &x, &e) == 0 && x == 0.0125, "numeric attribute");
  TKT_OK(io_read_f64(r, "/nope", &back, &rank, dims, &e) == TK_ENOTFOUND, "missing dataset is TK_ENOTFOUND");
  char **names = NULL;
  size_t n = 0;
  TKT_OK(io_list(r, "/traces", &names, &n, &e) == 0 && n == 1 && strcmp(names[0], "run0") == 0, "list a group");
  io_names_free(names, n);
  io_file_close(r);

  TKT_OK(io_file_create(path, &prov, IO_CREATE_KEEP, &f, &e) == TK_EEXIST &&
         strstr(e.msg, "--force"), "an existing file is kept, the message says --force");
  TKT_OK(io_file_create(path, &prov, IO_CREATE_OVERWRITE, &f, &e) == 0, "overwrite on request");
  io_file_abort(f);
  TKT_OK(exists(path) && !exists(partial), "abort removes the partial and keeps the old file");

  char bad[256];
  snprintf(bad, sizeof bad, "%s/bad.h5", dir);
  FILE *g = fopen(bad, "w");
  fputs("not hdf5 at all", g);
  fclose(g);
  TKT_OK(io_file_open_read(bad, &r, &e) == TK_EFORMAT, "a corrupt file is TK_EFORMAT: %s", e.msg);
  TKT_OK(io_file_open_read("/nonexistent/x.h5", &r, &e) == TK_ENOTFOUND, "a missing file is TK_ENOTFOUND");
  TKT_OK(io_file_create("/nonexistent/dir/x.h5", &prov, IO_CREATE_KEEP, &f, &e) == TK_EIO, "an unwritable place is TK_EIO");
}

static void write_gz(const char *path, const unsigned char *b, size_t n)
{
  gzFile g = gzopen(path, "wb");
  gzwrite(g, b, (unsigned)n);
  gzclose(g);
}

static void idx(void)
{
  char path[256];
  snprintf(path, sizeof path, "%s/x.idx.gz", dir);
  unsigned char buf[16 + 2 * 3 * 4];
  unsigned char head[16] = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
  memcpy(buf, head, 16);
  for (int i = 0; i < 24; i++)
    buf[16 + i] = (unsigned char)(i * 7);
  write_gz(path, buf, sizeof buf);
  io_idx x;
  tk_err e = {0};
  TKT_OK(io_idx_read(path, 3, &x, &e) == 0 && x.dims[0] == 2 && x.dims[1] == 3 &&
         x.dims[2] == 4 && x.data[23] == 161, "synthetic IDX round trip");
  io_idx_free(&x);
  write_gz(path, buf, sizeof buf - 5);
  TKT_OK(io_idx_read(path, 3, &x, &e) == TK_EFORMAT && strstr(e.msg, "truncated"),
         "truncated IDX: %s", e.msg);
  buf[2] = 0x0d;
  write_gz(path, buf, sizeof buf);
  TKT_OK(io_idx_read(path, 3, &x, &e) == TK_EFORMAT && strstr(e.msg, "magic"),
         "wrong type byte: %s", e.msg);
  io_image_set s;
  TKT_OK(io_fashion_mnist_load(dir, "train", 0, &s, &e) == TK_ENOTFOUND &&
         strstr(e.msg, "dataset-fashion-mnist"), "missing data names the Debian package");

  /* The real data set (installed by setup.sh). */
  int rc = io_fashion_mnist_load(NULL, "test", 0, &s, &e);
  TKT_OK(rc == 0, "Fashion-MNIST test split loads (%s)", rc ? e.msg : "ok");
  if (rc == 0) {
    size_t per[10] = {0}, on = 0;
    for (size_t i = 0; i < s.n; i++)
      per[s.labels[i]]++;
    for (size_t i = 0; i < s.n * 784; i++)
      on += s.pixels[i] > 25; /* pixel > 0.1 of 255 */
    int balanced = 1;
    for (int k = 0; k < 10; k++)
      balanced &= per[k] == 1000;
    TKT_OK(s.n == 10000 && s.rows == 28 && s.cols == 28 && balanced,
           "10000 images, 28x28, 1000 per class");
    /* Binarised at 0.1 about half the pixels are on (measured 0.47-0.50). */
    TKT_IN((double)on / (double)(s.n * 784), 0.40, 0.55, "fraction of pixels > 0.1");
    io_image_set_free(&s);
  }
}

int main(void)
{
  if (mkdtemp(dir) == NULL)
    return 99;
  h5();
  idx();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    return 99;
  return tkt_done();
}
