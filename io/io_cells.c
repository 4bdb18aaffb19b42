/* io_cells.c -- cell-library reader: /cells/<name>/ -> tsu_celltab.
 *
 * Workload: one small group per run (tens of temperatures x tens of
 * control voltages); everything is read whole through io_h5.
 */
#include "io/io_cells.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_h5.h"

/* io/ links after tsu/ (TK_LIBS order), so it frees a half-read table
 * itself instead of calling tsu_celltab_free. */
static void table_free(tsu_celltab *t)
{
  if (t == NULL)
    return;
  free(t->temperature_K);
  free(t->v0_V);
  free(t->vs_V);
  free(t->tau_s);
  free(t->energy_J);
  free(t->v0_sigma_V);
  free(t->vs_sigma_V);
  free(t);
}

/* Dataset at /cells/name/rel as a [n_temp] vector, or [n_temp, nV]
 * averaged over the second axis. */
static int read_vec(io_file *f, const char *name, const char *rel,
                    size_t n_temp, int optional, double **out, tk_err *err)
{
  char path[512];
  snprintf(path, sizeof path, "/cells/%s/%s", name, rel);
  *out = calloc(n_temp ? n_temp : 1, sizeof **out);
  if (*out == NULL)
    return TK_FAIL(err, TK_ENOMEM, "%s", path);
  if (!io_exists(f, path)) {
    if (optional)
      return TK_OK;
    return TK_FAIL(err, TK_EFORMAT, "cell library %s: %s is missing",
                   io_file_path(f), path);
  }
  double *d = NULL;
  int rank = 0;
  size_t dims[4] = {0};
  TK_TRY(io_read_f64(f, path, &d, &rank, dims, err));
  int rc = TK_OK;
  if (rank == 1 && dims[0] == n_temp) {
    memcpy(*out, d, n_temp * sizeof *d);
  } else if (rank == 2 && dims[0] == n_temp && dims[1] > 0) {
    /* mean over the control points that have a value: a sweep stores
     * NaN where a quantity is undefined (tau of a cell that never
     * flipped there) */
    for (size_t t = 0; t < n_temp; t++) {
      double s = 0;
      size_t m = 0;
      for (size_t v = 0; v < dims[1]; v++)
        if (isfinite(d[t * dims[1] + v])) {
          s += d[t * dims[1] + v];
          m++;
        }
      (*out)[t] = m > 0 ? s / (double)m : NAN;
    }
  } else {
    rc = TK_FAIL(err, TK_EFORMAT, "cell library %s: %s has shape %s%zu%s, "
                 "want [%zu] or [%zu, nV]", io_file_path(f), path,
                 rank == 2 ? "[" : "[", dims[0], rank == 2 ? ", ...]" : "]",
                 n_temp, n_temp);
  }
  for (size_t t = 0; rc == 0 && t < n_temp; t++)
    if (!isfinite((*out)[t]))
      rc = TK_FAIL(err, TK_EFORMAT, "cell library %s: %s has a non-finite "
                   "value", io_file_path(f), path);
  free(d);
  return rc;
}

int io_cells_read(const char *path, const char *name, tsu_celltab **out,
                  tk_err *err)
{
  *out = NULL;
  if (name == NULL || *name == '\0' || strchr(name, '/') != NULL)
    return TK_FAIL(err, TK_EINVAL, "bad cell name '%s'", name ? name : "");
  io_file *f = NULL;
  TK_TRY(io_file_open_read(path, &f, err));
  char grp[256];
  snprintf(grp, sizeof grp, "/cells/%s", name);
  int rc = TK_OK;
  if (!io_exists(f, grp)) {
    char **names = NULL;
    size_t n = 0;
    char list[256] = "";
    if (io_exists(f, "/cells") && io_list(f, "/cells", &names, &n, err) == 0) {
      for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                 names[i]);
      }
      io_names_free(names, n);
    }
    rc = TK_FAIL(err, TK_ENOTFOUND, "cell '%s' not in library %s "
                 "(cells: %s)", name, path, *list ? list : "none");
    io_file_close(f);
    return rc;
  }
  tsu_celltab *t = calloc(1, sizeof *t);
  if (t == NULL) {
    io_file_close(f);
    return TK_FAIL(err, TK_ENOMEM, "cell table");
  }
  snprintf(t->name, sizeof t->name, "%s", name);
  char p[512];
  snprintf(p, sizeof p, "%s/temperature_K", grp);
  int rank = 0;
  size_t dims[4] = {0};
  rc = io_read_f64(f, p, &t->temperature_K, &rank, dims, err);
  if (rc == 0 && (rank != 1 || dims[0] < 1))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: %s must be a non-empty vector", path,
                 p);
  if (rc == 0) {
    t->n_temp = dims[0];
    for (size_t k = 0; k + 1 < t->n_temp; k++)
      if (!(t->temperature_K[k + 1] > t->temperature_K[k]))
        rc = TK_FAIL(err, TK_EFORMAT, "%s: %s is not increasing", path, p);
  }
  snprintf(p, sizeof p, "%s/fit/v0_V", grp);
  char pd[512];
  snprintf(pd, sizeof pd, "%s/point_done", grp);
  if (rc == 0 && !io_exists(f, p) && io_exists(f, pd))
    rc = TK_FAIL(err, TK_EFORMAT, "cell library %s: cell %s is a calibration "
                 "sweep that is unfinished or was not fitted (see `tsukit "
                 "calibrate ... --resume`)", path, name);
  if (rc == 0)
    rc = read_vec(f, name, "fit/v0_V", t->n_temp, 0, &t->v0_V, err);
  if (rc == 0)
    rc = read_vec(f, name, "fit/vs_V", t->n_temp, 0, &t->vs_V, err);
  if (rc == 0)
    rc = read_vec(f, name, "tau_s", t->n_temp, 0, &t->tau_s, err);
  if (rc == 0)
    rc = read_vec(f, name, "energy_J", t->n_temp, 1, &t->energy_J, err);
  if (rc == 0)
    rc = read_vec(f, name, "mismatch/v0_V", t->n_temp, 1, &t->v0_sigma_V,
                  err);
  if (rc == 0)
    rc = read_vec(f, name, "mismatch/vs_V", t->n_temp, 1, &t->vs_sigma_V,
                  err);
  io_file_close(f);
  if (rc != 0) {
    table_free(t);
    return rc;
  }
  *out = t;
  return TK_OK;
}
