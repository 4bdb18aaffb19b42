/* dump_h5.c -- test helper: print every dataset under a group of an HDF5
 * file as text ("path [dims] v0 v1 ..." with %.17g, so two dumps are
 * equal exactly when the values are bit-equal), for the shell tests
 * (tests/cli_calibrate.sh) on machines without h5dump.
 *
 * Workload: small files (cell libraries); everything read whole.
 * usage: dump_h5 FILE.h5 [GROUP]     (GROUP defaults to /)
 *        dump_h5 FILE.h5 -a OBJ NAME  (print string attribute NAME of OBJ)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_h5.h"

static int dump(io_file *f, const char *path)
{
  char **names = NULL;
  size_t n = 0;
  tk_err err = {0};
  if (io_list(f, path, &names, &n, NULL) == 0) {
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
      char sub[1024];
      snprintf(sub, sizeof sub, "%s%s%s", path,
               strcmp(path, "/") == 0 ? "" : "/", names[i]);
      rc = dump(f, sub);
    }
    io_names_free(names, n);
    return rc;
  }
  double *x = NULL;
  int rank = 0;
  size_t dims[4];
  if (io_read_f64(f, path, &x, &rank, dims, &err) != 0) {
    fprintf(stderr, "dump_h5: %s\n", tk_err_text(&err));
    return 1;
  }
  size_t total = 1;
  printf("%s [", path);
  for (int i = 0; i < rank; i++) {
    printf("%s%zu", i ? "," : "", dims[i]);
    total *= dims[i];
  }
  printf("]");
  for (size_t i = 0; i < total; i++)
    printf(" %.17g", x[i]);
  printf("\n");
  free(x);
  return 0;
}

int main(int argc, char **argv)
{
  int attr = argc == 5 && strcmp(argv[2], "-a") == 0;
  if (argc < 2 || (argc > 3 && !attr)) {
    fprintf(stderr, "usage: dump_h5 FILE.h5 [GROUP | -a OBJ NAME]\n");
    return 2;
  }
  io_file *f = NULL;
  tk_err err = {0};
  if (io_file_open_read(argv[1], &f, &err) != 0) {
    fprintf(stderr, "dump_h5: %s\n", tk_err_text(&err));
    return 1;
  }
  int rc;
  if (attr) {
    char buf[4096];
    rc = io_get_attr_str(f, argv[3], argv[4], buf, sizeof buf, &err) != 0;
    if (rc)
      fprintf(stderr, "dump_h5: %s\n", tk_err_text(&err));
    else
      printf("%s\n", buf);
  } else {
    rc = dump(f, argc == 3 ? argv[2] : "/");
  }
  io_file_close(f);
  return rc;
}
