/* dtm_log_check.c -- test helper: check the training log (/training,
 * io/io_dtm_log.h) of a DTM model file read straight from HDF5, not
 * through the library's reader: every dataset's shape ([E] or [E, T]),
 * its `unit` attribute, finite values in their range, epochs 1..E in
 * order, and the group's attributes (kind; for a categorical model
 * pixels = "cat<K>" and levels = K).  Prints one line per problem and
 * exits 1 if there is any (2 on usage), so the shell tests
 * (tests/cli_dtm_gray_log.sh) can fail with the reason.
 *
 * Workload: a few arrays of one value per epoch.
 * usage: dtm_log_check MODEL.h5 EPOCHS T LEVELS     (LEVELS 0: binary)
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_h5.h"

/* A dataset of /training: name, per step, unit, allowed range. */
typedef struct col {
  const char *name;
  int per_step;          /* 1: [E, T], 0: [E] */
  const char *unit;
  double lo, hi;         /* closed range of its values */
} col;

static const col cols[] = {
  {"epoch", 0, "epochs", 1, 1e9},
  {"fd_tsukit", 0, "1", 0, 1e6},
  {"label_accuracy", 0, "1", 0, 1},
  {"activity", 0, "1", 0, 1},
  {"eval_s", 0, "s", 0, 1e6},
  {"autocorr", 1, "1", -1, 1},
  {"acp_lambda", 1, "1", 0, 1e6},
};

static int problems;

static void bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void bad(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  printf("dtm_log_check: ");
  vprintf(fmt, ap);
  printf("\n");
  va_end(ap);
  problems++;
}

static void check_col(io_file *f, const col *c, size_t E, size_t T)
{
  char path[128], unit[32] = "";
  snprintf(path, sizeof path, "/training/%s", c->name);
  double *a = NULL;
  int rank = 0;
  size_t dims[4] = {0};
  tk_err err = {0};
  if (io_read_f64(f, path, &a, &rank, dims, &err) != TK_OK) {
    bad("%s: cannot read: %s", path, tk_err_text(&err));
    return;
  }
  size_t want1 = c->per_step ? T : 1;
  if (rank != (c->per_step ? 2 : 1) || dims[0] != E ||
      (c->per_step && dims[1] != want1))
    bad("%s: rank %d, dims %zu x %zu; expected [%zu%s]", path, rank,
        dims[0], rank == 2 ? dims[1] : (size_t)1, E,
        c->per_step ? ", T" : "");
  if (io_get_attr_str(f, path, "unit", unit, sizeof unit, NULL) != TK_OK ||
      strcmp(unit, c->unit) != 0)
    bad("%s: unit is '%s', expected '%s'", path, unit, c->unit);
  size_t n = rank == 2 ? dims[0] * dims[1] : dims[0];
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(a[i]) || a[i] < c->lo || a[i] > c->hi) {
      bad("%s: value out of range or not finite: %g", path, a[i]);
      break;
    }
    if (strcmp(c->name, "epoch") == 0 && a[i] != (double)(i + 1)) {
      bad("%s: entry %zu is epoch %g, expected %zu", path, i, a[i], i + 1);
      break;
    }
  }
  free(a);
}

int main(int argc, char **argv)
{
  if (argc != 5) {
    fprintf(stderr, "usage: dtm_log_check MODEL.h5 EPOCHS T LEVELS\n");
    return 2;
  }
  size_t E = (size_t)atol(argv[2]), T = (size_t)atol(argv[3]);
  long K = atol(argv[4]);
  io_file *f = NULL;
  tk_err err = {0};
  if (io_file_open_read(argv[1], &f, &err) != TK_OK) {
    fprintf(stderr, "dtm_log_check: %s\n", tk_err_text(&err));
    return 1;
  }
  if (!io_exists(f, "/training")) {
    bad("%s: no /training group", argv[1]);
    io_file_close(f);
    return 1;
  }
  char s[64] = "";
  if (io_get_attr_str(f, "/training", "kind", s, sizeof s, NULL) != TK_OK ||
      strcmp(s, "tsukit-dtm-training-log") != 0)
    bad("/training: kind is '%s'", s);
  int64_t lv = 0;
  int has = io_get_attr_i64(f, "/training", "levels", &lv, NULL) == TK_OK;
  if (K == 0 && has)
    bad("/training: a binary log with levels = %lld", (long long)lv);
  if (K >= 2) {
    char want[32];
    snprintf(want, sizeof want, "cat%ld", K);
    if (!has || lv != K)
      bad("/training: levels %lld, expected %ld", (long long)lv, K);
    s[0] = 0;
    if (io_get_attr_str(f, "/training", "pixels", s, sizeof s, NULL) !=
            TK_OK || strcmp(s, want) != 0)
      bad("/training: pixels is '%s', expected '%s'", s, want);
  }
  for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
    check_col(f, &cols[i], E, T);
  io_file_close(f);
  if (problems == 0)
    printf("dtm_log_check: %s: %zu entries of %zu steps, all checks "
           "passed\n", argv[1], E, T);
  return problems ? 1 : 0;
}
