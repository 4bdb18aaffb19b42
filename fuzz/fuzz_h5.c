/* fuzz_h5.c -- opening fuzzed HDF5 bytes and walking their groups
 * (fuzz_h5.h). */
#include "fuzz/fuzz_h5.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

io_file *fuzz_h5_open(const uint8_t *data, size_t size, const char **path)
{
  *path = fuzz_memfile(data, size);
  if (*path == NULL)
    return NULL;
  tk_err err = {0};
  io_file *f = NULL;
  int rc = io_file_open_read(*path, &f, &err);
  fuzz_check_error(rc, &err, "io_file_open_read");
  if (rc != 0 && f != NULL)
    fuzz_fail("io_file_open_read", "failure left a file");
  return f;
}

void fuzz_h5_walk(io_file *f, const char *group, const char *const *attrs)
{
  tk_err err = {0};
  char **names = NULL;
  size_t n = 0;
  int rc = io_list(f, group, &names, &n, &err);
  fuzz_check_error(rc, &err, "io_list");
  if (rc != 0)
    return;
  for (size_t i = 0; i < n && i < 64; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", group[1] ? group : "", names[i]);
    double *v = NULL;
    int rank = 0;
    size_t dims[4] = {0};
    tk_err e2 = {0};
    rc = io_read_f64(f, path, &v, &rank, dims, &e2);
    fuzz_check_error(rc, &e2, "io_read_f64");
    if (rc == 0) {
      if (rank < 0 || rank > 4)
        fuzz_fail("io_read_f64", "rank outside 0..4");
      size_t total = 1;
      for (int k = 0; k < rank; k++)
        total *= dims[k];
      double sum = 0;
      for (size_t k = 0; k < total; k++)
        sum += v[k];   /* ASan: the array holds every element */
      (void)sum;
    }
    free(v);
  }
  io_names_free(names, n);
  for (size_t a = 0; attrs != NULL && attrs[a] != NULL; a++) {
    char buf[256];
    double d;
    int64_t l;
    tk_err e3 = {0};
    rc = io_get_attr_str(f, group, attrs[a], buf, sizeof buf, &e3);
    fuzz_check_error(rc, &e3, "io_get_attr_str");
    tk_err_clear(&e3);
    rc = io_get_attr_f64(f, group, attrs[a], &d, &e3);
    fuzz_check_error(rc, &e3, "io_get_attr_f64");
    tk_err_clear(&e3);
    rc = io_get_attr_i64(f, group, attrs[a], &l, &e3);
    fuzz_check_error(rc, &e3, "io_get_attr_i64");
  }
}
