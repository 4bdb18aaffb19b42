/* calibrate_file.c -- the checkpoint file of `tsukit calibrate`: the
 * skeleton written before any point runs, and reading the per-point
 * datasets back (resume, final fits).
 *
 * Workload: a few hundred sweep points, written once and read once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/calibrate_file.h"

void calib__data_free(sweep_data *d)
{
  free(d->p);
  free(d->pse);
  free(d->tau);
  free(d->tau_err);
  free(d->e);
  free(d->pw);
  free(d->flips);
  free(d->notr);
  free(d->done);
}

int calib__data_alloc(sweep_data *d, size_t n)
{
  memset(d, 0, sizeof *d);
  d->p = malloc(2 * n * sizeof *d->p);
  d->pse = malloc(2 * n * sizeof *d->pse);
  d->tau = malloc(n * sizeof *d->tau);
  d->tau_err = malloc(n * sizeof *d->tau_err);
  d->e = malloc(n * sizeof *d->e);
  d->pw = malloc(n * sizeof *d->pw);
  d->flips = malloc(n * sizeof *d->flips);
  d->notr = calloc(n, 1);
  d->done = calloc(n, 1);
  if (!d->p || !d->pse || !d->tau || !d->tau_err || !d->e || !d->pw ||
      !d->flips || !d->notr || !d->done)
    return TK_ENOMEM;
  for (size_t i = 0; i < 2 * n; i++)
    d->p[i] = d->pse[i] = NAN;
  for (size_t i = 0; i < n; i++)
    d->tau[i] = d->tau_err[i] = d->e[i] = d->pw[i] = d->flips[i] = NAN;
  return TK_OK;
}

int calib__write_data(io_file *f, const sweep_ctx *c, const sweep_data *d,
                      double time_s, tk_err *err)
{
  char p[512];
  size_t d1[1] = {c->nt}, dv[1] = {c->nv}, d2[2] = {c->nt, c->nv},
         d3[3] = {c->nt, c->nv, 2};
  const char *g = c->grp;
#define W64(rel, rank, dims, x, unit)                                   \
  do {                                                                  \
    snprintf(p, sizeof p, "%s/%s", g, rel);                             \
    TK_TRY(io_write_f64(f, p, rank, dims, x, unit, err));               \
  } while (0)
  W64("temperature_K", 1, d1, c->temp_K, "K");
  W64("control_V", 1, dv, c->vctl_V, "V");
  W64("p_state", 3, d3, d->p, "1");
  W64("p_state_stderr", 3, d3, d->pse, "1");
  W64("tau_s", 2, d2, d->tau, "s");
  W64("tau_err_s", 2, d2, d->tau_err, "s");
  W64("energy_J", 2, d2, d->e, "J");
  W64("power_W", 2, d2, d->pw, "W");
  W64("flips", 2, d2, d->flips, "1");
#undef W64
  snprintf(p, sizeof p, "%s/no_transitions", g);
  TK_TRY(io_write_u8(f, p, 2, d2, d->notr, "1", err));
  snprintf(p, sizeof p, "%s/point_done", g);
  TK_TRY(io_write_u8(f, p, 2, d2, d->done, "1", err));
  TK_TRY(io_attr_str(f, g, "kind", c->ci->kind, err));
  TK_TRY(io_attr_str(f, g, "cell", c->ci->name, err));
  TK_TRY(io_attr_str(f, g, "control_node", c->ci->controls, err));
  TK_TRY(io_attr_str(f, g, "output_node", c->ci->outputs, err));
  TK_TRY(io_attr_f64(f, g, "vdd_V", c->ci->vdd_V, err));
  TK_TRY(io_attr_i64(f, g, "n_states", 2, err));
  TK_TRY(io_attr_f64(f, g, "sweep_time_s", time_s, err));
  TK_TRY(io_attr_f64(f, g, "sweep_tstep_s", c->sp.tstep_s, err));
  TK_TRY(io_attr_f64(f, g, "sweep_nt_s", c->sp.nt_s, err));
  TK_TRY(io_attr_i64(f, g, "sweep_seed", (int64_t)c->seed, err));
  TK_TRY(io_attr_str(f, "/", "kind", "cells", err));
  return TK_OK;
}

int calib__read_arr(io_file *f, const sweep_ctx *c, const char *rel,
                    size_t want, double *dst, tk_err *err)
{
  char p[512];
  snprintf(p, sizeof p, "%s/%s", c->grp, rel);
  double *x = NULL;
  int rank = 0;
  size_t dims[4];
  TK_TRY(io_read_f64(f, p, &x, &rank, dims, err));
  size_t n = 1;
  for (int i = 0; i < rank; i++)
    n *= dims[i];
  int rc = TK_OK;
  if (n != want)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: %s has %zu values, want %zu",
                 io_file_path(f), p, n, want);
  else
    memcpy(dst, x, n * sizeof *x);
  free(x);
  return rc;
}

/* Read the measurements back and check the file matches this sweep. */
int calib__read_data(io_file *f, const sweep_ctx *c, double time_s,
                     sweep_data *d, tk_err *err)
{
  size_t n = c->nt * c->nv;
  if (!io_exists(f, c->grp))
    return TK_FAIL(err, TK_EINVAL, "--resume: %s holds no sweep of cell %s",
                   io_file_path(f), c->ci->name);
  double *tk = malloc((c->nt + c->nv) * sizeof *tk), x = 0;
  int64_t seed = 0;
  if (tk == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = calib__read_arr(f, c, "temperature_K", c->nt, tk, err);
  if (rc == 0)
    rc = calib__read_arr(f, c, "control_V", c->nv, tk + c->nt, err);
  if (rc == TK_EFORMAT)
    rc = TK_EINVAL;
  for (size_t i = 0; rc == 0 && i < c->nt; i++)
    if (tk[i] != c->temp_K[i])
      rc = TK_EINVAL;
  for (size_t i = 0; rc == 0 && i < c->nv; i++)
    if (tk[c->nt + i] != c->vctl_V[i])
      rc = TK_EINVAL;
  if (rc == 0 && (io_get_attr_f64(f, c->grp, "sweep_time_s", &x, err) != 0 ||
                  x != time_s))
    rc = TK_EINVAL;
  if (rc == 0 && (io_get_attr_i64(f, c->grp, "sweep_seed", &seed, err) != 0 ||
                  (uint64_t)seed != c->seed))
    rc = TK_EINVAL;
  free(tk);
  if (rc == TK_EINVAL)
    return TK_FAIL(err, TK_EINVAL, "--resume: %s was made with other "
                   "settings (--vctl, --temp, --time and --seed must be "
                   "those of the interrupted run)", io_file_path(f));
  if (rc != 0)
    return rc;
  TK_TRY(calib__read_arr(f, c, "p_state", 2 * n, d->p, err));
  TK_TRY(calib__read_arr(f, c, "p_state_stderr", 2 * n, d->pse, err));
  TK_TRY(calib__read_arr(f, c, "tau_s", n, d->tau, err));
  TK_TRY(calib__read_arr(f, c, "tau_err_s", n, d->tau_err, err));
  TK_TRY(calib__read_arr(f, c, "energy_J", n, d->e, err));
  TK_TRY(calib__read_arr(f, c, "power_W", n, d->pw, err));
  TK_TRY(calib__read_arr(f, c, "flips", n, d->flips, err));
  double *tmp = malloc(2 * n * sizeof *tmp);
  if (tmp == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  rc = calib__read_arr(f, c, "no_transitions", n, tmp, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    d->notr[i] = tmp[i] != 0;
  if (rc == 0)
    rc = calib__read_arr(f, c, "point_done", n, tmp, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    d->done[i] = tmp[i] != 0;
  free(tmp);
  return rc;
}
