/* io_dwell.c -- double-well files (see io_dwell.h). */
#include "io/io_dwell.h"

#include <stdlib.h>

int io_dwell_write(const char *path, const io_prov *prov, int force,
                   const io_dwell *d, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_create(path, prov, force ? IO_CREATE_OVERWRITE
                                          : IO_CREATE_KEEP, &f, err));
  size_t dn[1] = {d->n_fpt}, de[1] = {d->n_hist + 1}, dc[1] = {d->n_hist},
         ds[1] = {d->n_scan}, dcv[1] = {d->n_curve}, d1[1] = {1};
  int rc = io_write_f64(f, "/doublewell/fpt_s", 1, dn, d->fpt_s, "s", err);
  if (rc == 0) rc = io_write_f64(f, "/doublewell/hist_edges_s", 1, de, d->hist_edges_s, "s", err);
  if (rc == 0) rc = io_write_f64(f, "/doublewell/hist_counts", 1, dc, d->hist_counts, "1", err);
  struct { const char *name; double v; const char *unit; } sc[] = {
    {"/doublewell/barrier_kT", d->barrier_kT, "kT"},
    {"/doublewell/temperature_K", d->temp_K, "K"},
    {"/doublewell/t0_s", d->t0_s, "s"},
    {"/doublewell/step_t0", d->step_t0, "t0"},
    {"/doublewell/rate_measured_per_s", d->rate_per_s, "1/s"},
    {"/doublewell/rate_measured_sigma_per_s", d->rate_se_per_s, "1/s"},
    {"/doublewell/rate_exact_per_s", d->exact_per_s, "1/s"},
    {"/doublewell/rate_kramers_per_s", d->kramers_per_s, "1/s"},
  };
  for (size_t i = 0; rc == 0 && i < sizeof sc / sizeof sc[0]; i++)
    rc = io_write_f64(f, sc[i].name, 1, d1, &sc[i].v, sc[i].unit, err);
  if (rc == 0) rc = io_write_f64(f, "/scan/barrier_kT", 1, ds, d->scan_barrier_kT, "kT", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/rate_measured_per_s", 1, ds, d->scan_rate_per_s, "1/s", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/rate_measured_sigma_per_s", 1, ds, d->scan_rate_se_per_s, "1/s", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/curve_barrier_kT", 1, dcv, d->curve_barrier_kT, "kT", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/curve_exact_per_s", 1, dcv, d->curve_exact_per_s, "1/s", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/curve_kramers_per_s", 1, dcv, d->curve_kramers_per_s, "1/s", err);
  if (rc == 0)
    rc = io_attr_str(f, "/doublewell", "model", d->model, err);
  if (rc != 0) {
    io_file_abort(f);
    return rc;
  }
  return io_file_commit(f, err);
}

int io_dwell_read_scan(const char *path, double *x[6], size_t *n_scan,
                       size_t *n_curve, tk_err *err)
{
  static const char *const names[6] = {
    "/scan/barrier_kT", "/scan/rate_measured_per_s",
    "/scan/rate_measured_sigma_per_s", "/scan/curve_barrier_kT",
    "/scan/curve_exact_per_s", "/scan/curve_kramers_per_s"};
  for (int i = 0; i < 6; i++)
    x[i] = NULL;
  io_file *in = NULL;
  TK_TRY(io_file_open_read(path, &in, err));
  size_t dims[6][4];
  int rank, rc = 0;
  for (int i = 0; rc == 0 && i < 6; i++)
    rc = io_read_f64(in, names[i], &x[i], &rank, dims[i], err);
  io_file_close(in);
  if (rc == 0) {
    *n_scan = dims[0][0];
    *n_curve = dims[3][0];
  }
  return rc;
}
