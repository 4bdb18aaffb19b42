/* io_cells.c -- cell-library reader for the chip simulator: /cells/<name>/
 * (io_celllib.h) -> tsu_celltab.
 *
 * Workload: one small group per run (tens of temperatures x tens of
 * control voltages), read whole through io_celllib.
 */
#include "io/io_cells.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_celllib.h"

/* tsu/ links after io/ (TK_LIBS order), but a half-read table is freed
 * here field by field all the same (nothing of it escapes). */
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
  free(t->inst_v0_V);
  free(t->inst_vs_V);
  free(t->inst_tau_s);
  free(t);
}

/* x [nT] or [nT, nV] (nv values per temperature) as a [nT] vector, the
 * rows averaged over the control points that have a value (a sweep
 * stores NaN where a quantity is undefined: tau of a cell that never
 * flipped there); x NULL: zeros if optional, else TK_EFORMAT.  A row
 * without a value is TK_EFORMAT unless optional == 2 (the mismatch
 * spreads: NaN where fewer than two instances fitted; kept NaN, and
 * refused only by the run that needs it, tsu_celltab_cells). */
static int per_temp(const char *path, const char *name, const char *rel,
                    const double *x, size_t nt, size_t nv, int optional,
                    double **out, tk_err *err)
{
  *out = calloc(nt ? nt : 1, sizeof **out);
  if (*out == NULL)
    return TK_FAIL(err, TK_ENOMEM, "/cells/%s/%s", name, rel);
  if (x == NULL)
    return optional ? TK_OK
                    : TK_FAIL(err, TK_EFORMAT, "cell library %s: /cells/%s/%s "
                              "is missing", path, name, rel);
  for (size_t t = 0; t < nt; t++) {
    double s = 0;
    size_t m = 0;
    for (size_t v = 0; v < nv; v++)
      if (isfinite(x[t * nv + v])) {
        s += x[t * nv + v];
        m++;
      }
    (*out)[t] = m > 0 ? s / (double)m : NAN;
    if (!isfinite((*out)[t]) && optional != 2)
      return TK_FAIL(err, TK_EFORMAT, "cell library %s: /cells/%s/%s has a "
                     "non-finite value", path, name, rel);
  }
  return TK_OK;
}

int io_cells_read(const char *path, const char *name, tsu_celltab **out,
                  tk_err *err)
{
  *out = NULL;
  if (name == NULL || *name == '\0' || strchr(name, '/') != NULL)
    return TK_FAIL(err, TK_EINVAL, "bad cell name '%s'", name ? name : "");
  io_celllib L;
  TK_TRY(io_celllib_load(path, name, &L, err));
  tsu_celltab *t = calloc(1, sizeof *t);
  if (t == NULL) {
    io_celllib_clear(&L);
    return TK_FAIL(err, TK_ENOMEM, "cell table");
  }
  snprintf(t->name, sizeof t->name, "%s", name);
  size_t nt = L.nt, nv = L.nv ? L.nv : 1;
  int rc = TK_OK;
  for (size_t k = 0; k + 1 < nt; k++)
    if (!(L.temperature_K[k + 1] > L.temperature_K[k]))
      rc = TK_FAIL(err, TK_EFORMAT, "%s: /cells/%s/temperature_K is not "
                   "increasing", path, name);
  if (strcmp(L.kind, "categorical") == 0)
    rc = TK_FAIL(err, TK_EINVAL, "cell library %s: cell %s is categorical "
                 "(kind %s); the chip's cells are two-state (kind pbit)",
                 path, name, L.kind);
  if (rc == 0 && L.fit_v0_V == NULL && L.point_done != NULL)
    rc = TK_FAIL(err, TK_EFORMAT, "cell library %s: cell %s is a calibration "
                 "sweep that is unfinished or was not fitted (see `tsukit "
                 "calibrate ... --resume`)", path, name);
  t->n_temp = nt;
  if (rc == 0)
    rc = per_temp(path, name, "temperature_K", L.temperature_K, nt, 1, 0,
                  &t->temperature_K, err);
  if (rc == 0)
    rc = per_temp(path, name, "fit/v0_V", L.fit_v0_V, nt, 1, 0, &t->v0_V,
                  err);
  if (rc == 0)
    rc = per_temp(path, name, "fit/vs_V", L.fit_vs_V, nt, 1, 0, &t->vs_V,
                  err);
  if (rc == 0)
    rc = per_temp(path, name, "tau_s", L.tau_s, nt, nv, 0, &t->tau_s, err);
  if (rc == 0)
    rc = per_temp(path, name, "energy_J", L.energy_J, nt, nv, 1, &t->energy_J,
                  err);
  if (rc == 0)
    rc = per_temp(path, name, "mismatch/v0_V", L.mm_v0_V, nt, 1, 2,
                  &t->v0_sigma_V, err);
  if (rc == 0)
    rc = per_temp(path, name, "mismatch/vs_V", L.mm_vs_V, nt, 1, 2,
                  &t->vs_sigma_V, err);
  if (rc == 0 && L.n_inst > 0 && L.mm_inst_v0_V != NULL &&
      L.mm_inst_vs_V != NULL) {
    /* the measured instances (mismatch/instance_*, [nT, N]) move over */
    t->n_inst = L.n_inst;
    t->inst_v0_V = L.mm_inst_v0_V;
    t->inst_vs_V = L.mm_inst_vs_V;
    t->inst_tau_s = L.mm_inst_tau_s;
    L.mm_inst_v0_V = L.mm_inst_vs_V = L.mm_inst_tau_s = NULL;
  }
  io_celllib_clear(&L);
  if (rc != 0) {
    table_free(t);
    return rc;
  }
  *out = t;
  return TK_OK;
}
