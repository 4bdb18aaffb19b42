/* cal_store.c -- the measurements of a calibration sweep (see
 * cal_run_int.h): one point from its records (--repeats), its
 * simulation settings, and the per-point datasets of the cell library --
 * the skeleton written before any point runs and reading them back
 * (resume, final fits), with the check that a file belongs to the sweep.
 *
 * Workload: a few hundred sweep points, written once and read once.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_run_int.h"

const cal__gmm_col cal__gmm_cols[6] = {
  {"gmm_mu_V", 0, 2, "V"},     {"gmm_mu_err_V", 2, 2, "V"},
  {"gmm_sd_V", 4, 2, "V"},     {"gmm_sd_err_V", 6, 2, "V"},
  {"gmm_w0", 8, 1, "1"},       {"gmm_w0_err", 9, 1, "1"},
};

void cal__data_free(cal__data *d)
{
  free(d->p);
  free(d->pse);
  free(d->pser);
  free(d->gmm);
  free(d->tau);
  free(d->tau_err);
  free(d->e);
  free(d->pw);
  free(d->flips);
  free(d->notr);
  free(d->done);
}

void cal__point_from_pbit(const cal_pbit_point *pp, cal__point *pt)
{
  memset(pt, 0, sizeof *pt);
  for (int k = 0; k < CAL_MAX_STATES; k++)
    pt->p_err_rep[k] = NAN;
  for (int k = 0; k < CAL__GMM_N; k++)
    pt->gmm[k] = NAN;
  for (int k = 0; k < 2; k++) {
    pt->p[k] = pp->p[k];
    pt->p_err[k] = pp->p_err[k];
  }
  pt->tau_s = pp->tau_s;
  pt->tau_err_s = pp->tau_err_s;
  pt->energy_J = pp->energy_J;
  pt->power_W = pp->power_W;
  pt->flips = pp->flips;
  pt->no_transitions = pp->no_transitions;
}

void cal__point_from_cat(const cal_cat_point *cp, cal__point *pt)
{
  memset(pt, 0, sizeof *pt);
  for (int k = 0; k < CAL_MAX_STATES; k++)
    pt->p_err_rep[k] = NAN;
  for (int k = 0; k < CAL__GMM_N; k++)
    pt->gmm[k] = NAN;
  for (unsigned k = 0; k < cp->K && k < CAL_MAX_STATES; k++) {
    pt->p[k] = cp->p[k];
    pt->p_err[k] = cp->p_err[k];
  }
  pt->tau_s = cp->tau_s;
  pt->tau_err_s = cp->tau_err_s;
  pt->energy_J = cp->energy_J;
  pt->power_W = cp->power_W;
  pt->flips = cp->flips;
  pt->no_transitions = cp->no_transitions;
}

/* Mean of the finite values of the double field at offset off over the
 * records r[R] (NaN if none), and their count. */
static double mean_field(const cal__point *r, unsigned R, size_t off,
                         size_t *m)
{
  double s = 0;
  *m = 0;
  for (unsigned i = 0; i < R; i++) {
    double x;
    memcpy(&x, (const char *)&r[i] + off, sizeof x);
    if (isfinite(x)) {
      s += x;
      ++*m;
    }
  }
  return *m > 0 ? s / (double)*m : NAN;
}

void cal__combine_records(const cal__point *r, unsigned R,
                            unsigned n_states, cal__point *out)
{
  size_t m;
  memset(out, 0, sizeof *out);
  out->no_transitions = 1;
  for (unsigned k = 0; k < CAL_MAX_STATES; k++)
    out->p_err_rep[k] = NAN;
  for (unsigned k = 0; k < n_states && k < CAL_MAX_STATES; k++) {
    double s = 0, s2 = 0;
    for (unsigned i = 0; i < R; i++) {
      s += r[i].p[k];
      s2 += r[i].p_err[k] * r[i].p_err[k];
    }
    out->p[k] = s / R;
    out->p_err[k] = sqrt(s2) / R;
    if (R >= 2) {
      double v = 0;
      for (unsigned i = 0; i < R; i++)
        v += (r[i].p[k] - out->p[k]) * (r[i].p[k] - out->p[k]);
      out->p_err_rep[k] = sqrt(v / (R - 1) / R);
    }
  }
  out->tau_s = mean_field(r, R, offsetof(cal__point, tau_s), &m);
  out->tau_err_s = NAN;
  if (m > 0) {
    double s2 = 0;
    size_t me = 0;
    for (unsigned i = 0; i < R; i++)
      if (isfinite(r[i].tau_s) && isfinite(r[i].tau_err_s)) {
        s2 += r[i].tau_err_s * r[i].tau_err_s;
        me++;
      }
    if (me == m)
      out->tau_err_s = sqrt(s2) / (double)m;
  }
  /* gmm2: values averaged, errors (the *_err columns) combined as for p */
  for (unsigned c = 0; c < 6; c++) {
    const cal__gmm_col *g = &cal__gmm_cols[c];
    int is_err = strstr(g->name, "_err") != NULL;
    for (unsigned k = g->off; k < g->off + g->n; k++) {
      double s = 0;
      for (unsigned i = 0; i < R; i++)
        s += is_err ? r[i].gmm[k] * r[i].gmm[k] : r[i].gmm[k];
      out->gmm[k] = is_err ? sqrt(s) / R : s / R;
    }
  }
  out->energy_J = mean_field(r, R, offsetof(cal__point, energy_J), &m);
  out->power_W = mean_field(r, R, offsetof(cal__point, power_W), &m);
  out->flips = 0;
  for (unsigned i = 0; i < R; i++) {
    out->flips += r[i].flips;
    if (!r[i].no_transitions)
      out->no_transitions = 0;
  }
}

ckt_sim_params cal__point_sim(const cal__ctx *c, size_t idx)
{
  ckt_sim_params sp = c->sp;
  unsigned R = c->repeats > 1 ? c->repeats : 1;
  sp.temp_K = c->temp_K[idx / c->nv];
  if (c->rec_time_s != NULL)
    sp.tstop_s = c->rec_time_s[idx / c->nv];
  sp.tstop_s /= R;
  sp.seed = cal_sweep_point_seed(c->seed, idx);
  if (c->rep > 0)
    sp.seed = cal_sweep_point_seed(sp.seed, c->rep);
  return sp;
}

int cal__data_alloc(cal__data *d, size_t n, unsigned K)
{
  memset(d, 0, sizeof *d);
  d->p = malloc(K * n * sizeof *d->p);
  d->pse = malloc(K * n * sizeof *d->pse);
  d->pser = malloc(K * n * sizeof *d->pser);
  d->gmm = malloc(CAL__GMM_N * n * sizeof *d->gmm);
  d->tau = malloc(n * sizeof *d->tau);
  d->tau_err = malloc(n * sizeof *d->tau_err);
  d->e = malloc(n * sizeof *d->e);
  d->pw = malloc(n * sizeof *d->pw);
  d->flips = malloc(n * sizeof *d->flips);
  d->notr = calloc(n, 1);
  d->done = calloc(n, 1);
  if (!d->p || !d->pse || !d->pser || !d->gmm || !d->tau || !d->tau_err || !d->e || !d->pw ||
      !d->flips || !d->notr || !d->done)
    return TK_ENOMEM;
  for (size_t i = 0; i < K * n; i++)
    d->p[i] = d->pse[i] = d->pser[i] = NAN;
  for (size_t i = 0; i < n; i++)
    d->tau[i] = d->tau_err[i] = d->e[i] = d->pw[i] = d->flips[i] = NAN;
  for (size_t i = 0; i < CAL__GMM_N * n; i++)
    d->gmm[i] = NAN;
  return TK_OK;
}

/* gmm2: column group k of the per-point mixture fits, gathered to x[n *
 * cols[k].n] or scattered back from it. */
static void gmm_gather(const cal__data *d, size_t n, unsigned k, double *x)
{
  const cal__gmm_col *g = &cal__gmm_cols[k];
  for (size_t i = 0; i < n; i++)
    for (unsigned j = 0; j < g->n; j++)
      x[i * g->n + j] = d->gmm[i * CAL__GMM_N + g->off + j];
}

static void gmm_scatter(cal__data *d, size_t n, unsigned k, const double *x)
{
  const cal__gmm_col *g = &cal__gmm_cols[k];
  for (size_t i = 0; i < n; i++)
    for (unsigned j = 0; j < g->n; j++)
      d->gmm[i * CAL__GMM_N + g->off + j] = x[i * g->n + j];
}

int cal__write_data(io_file *f, const cal__ctx *c, const cal__data *d,
                      double time_s, tk_err *err)
{
  char p[512];
  size_t d1[1] = {c->nt}, dv[2] = {c->nv, c->n_ctl},
         d2[2] = {c->nt, c->nv}, d3[3] = {c->nt, c->nv, c->n_states};
  const char *g = c->grp;
#define W64(rel, rank, dims, x, unit)                                   \
  do {                                                                  \
    snprintf(p, sizeof p, "%s/%s", g, rel);                             \
    TK_TRY(io_write_f64(f, p, rank, dims, x, unit, err));               \
  } while (0)
  W64("temperature_K", 1, d1, c->temp_K, "K");
  W64("control_V", c->n_ctl > 1 ? 2 : 1, dv, c->vctl_V, "V");
  if (c->ctl_V != NULL) {
    /* --track: the control of every point, and the trip points behind it */
    size_t dp[3] = {c->nt, c->nv, c->n_ctl}, dg[1] = {c->n_trip_tab};
    W64("point_control_V", c->n_ctl > 1 ? 3 : 2, dp, c->ctl_V, "V");
    if (c->trip_V != NULL)
      W64("trip_V", 1, d1, c->trip_V, "V");
    if (c->center_V != NULL)
      W64("track_center_V", 1, d1, c->center_V, "V");
    if (c->n_trip_tab > 0) {
      W64("trip_table/temperature_K", 1, dg, c->trip_tab_T_K, "K");
      W64("trip_table/trip_V", 1, dg, c->trip_tab_V, "V");
    }
    TK_TRY(io_attr_f64(f, g, "track_ref_K", c->track_ref_K, err));
    TK_TRY(io_attr_f64(f, g, "track_width_exp", c->track_exp, err));
    TK_TRY(io_attr_f64(f, g, "track_trip_ref_V", c->trip_ref_V, err));
    TK_TRY(io_attr_f64(f, g, "track_center_ref_V", c->center_ref_V, err));
    TK_TRY(io_attr_f64(f, g, "track_time_tau", c->time_tau, err));
    if (c->rec_time_s != NULL)
      W64("record_time_s", 1, d1, c->rec_time_s, "s");
  }
  W64("p_state", 3, d3, d->p, "1");
  W64("p_state_stderr", 3, d3, d->pse, "1");
  if (c->gmm) {
    size_t n = c->nt * c->nv;
    double *x = malloc(2 * n * sizeof *x);
    if (x == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    int rc = TK_OK;
    for (unsigned k = 0; k < 6 && rc == 0; k++) {
      size_t dg[3] = {c->nt, c->nv, cal__gmm_cols[k].n};
      gmm_gather(d, n, k, x);
      snprintf(p, sizeof p, "%s/%s", g, cal__gmm_cols[k].name);
      rc = io_write_f64(f, p, dg[2] > 1 ? 3 : 2, dg, x, cal__gmm_cols[k].unit,
                        err);
    }
    free(x);
    if (rc != 0)
      return rc;
    TK_TRY(io_attr_f64(f, g, "vsep_V", c->vsep_V, err));
  }
  if (c->repeats > 1) {
    W64("p_state_stderr_repeats", 3, d3, d->pser, "1");
    TK_TRY(io_attr_i64(f, g, "sweep_repeats", (int64_t)c->repeats, err));
  }
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
  TK_TRY(io_attr_str(f, g, "kind", c->kind, err));
  TK_TRY(io_attr_str(f, g, "cell", c->cell, err));
  TK_TRY(io_attr_str(f, g, "control_node", c->control_node, err));
  TK_TRY(io_attr_str(f, g, "output_node", c->output_node, err));
  TK_TRY(io_attr_f64(f, g, "vdd_V", c->vdd_V, err));
  if (c->source_file != NULL)
    TK_TRY(io_attr_str(f, g, "source_file", c->source_file, err));
  if (c->subckt != NULL)
    TK_TRY(io_attr_str(f, g, "subckt", c->subckt, err));
  TK_TRY(io_attr_i64(f, g, "n_states", (int64_t)c->n_states, err));
  if (isfinite(c->vbias_V))
    TK_TRY(io_attr_f64(f, g, "vbias_V", c->vbias_V, err));
  TK_TRY(io_attr_f64(f, g, "sweep_time_s", time_s, err));
  TK_TRY(io_attr_f64(f, g, "sweep_tstep_s", c->sp.tstep_s, err));
  TK_TRY(io_attr_f64(f, g, "sweep_nt_s", c->sp.nt_s, err));
  TK_TRY(io_attr_i64(f, g, "sweep_seed", (int64_t)c->seed, err));
  if (c->sp.noise_scale > 0 && c->sp.noise_scale != 1)
    TK_TRY(io_attr_f64(f, g, "sweep_noise_scale", c->sp.noise_scale, err));
  TK_TRY(io_attr_str(f, "/", "kind", "cells", err));
  return TK_OK;
}

int cal__read_arr(io_file *f, const cal__ctx *c, const char *rel,
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
int cal__read_data(io_file *f, const cal__ctx *c, double time_s,
                     cal__data *d, tk_err *err)
{
  size_t n = c->nt * c->nv, nc = c->nv * c->n_ctl, K = c->n_states;
  if (!io_exists(f, c->grp))
    return TK_FAIL(err, TK_EINVAL, "--resume: %s holds no sweep of cell %s",
                   io_file_path(f), c->cell);
  double *tk = malloc((c->nt + nc) * sizeof *tk), x = 0;
  int64_t seed = 0;
  if (tk == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = cal__read_arr(f, c, "temperature_K", c->nt, tk, err);
  if (rc == 0)
    rc = cal__read_arr(f, c, "control_V", nc, tk + c->nt, err);
  if (rc == TK_EFORMAT)
    rc = TK_EINVAL;
  for (size_t i = 0; rc == 0 && i < c->nt; i++)
    if (tk[i] != c->temp_K[i])
      rc = TK_EINVAL;
  for (size_t i = 0; rc == 0 && i < nc; i++)
    if (tk[c->nt + i] != c->vctl_V[i])
      rc = TK_EINVAL;
  /* --track: the same windows (a noiseless, deterministic computation) */
  char pp[512];
  snprintf(pp, sizeof pp, "%s/point_control_V", c->grp);
  if (rc == 0 && (c->ctl_V != NULL) != (io_exists(f, pp) != 0))
    rc = TK_EINVAL;
  if (rc == 0 && c->ctl_V != NULL) {
    size_t np = c->nt * nc;
    double *pc = malloc(np * sizeof *pc);
    rc = pc == NULL ? TK_ENOMEM
                    : cal__read_arr(f, c, "point_control_V", np, pc, err);
    for (size_t i = 0; rc == 0 && i < np; i++)
      if (pc[i] != c->ctl_V[i])
        rc = TK_EINVAL;
    free(pc);
    if (rc == TK_EFORMAT)
      rc = TK_EINVAL;
  }
  if (rc == 0 && (io_get_attr_f64(f, c->grp, "sweep_time_s", &x, err) != 0 ||
                  x != time_s))
    rc = TK_EINVAL;
  if (rc == 0 && (io_get_attr_f64(f, c->grp, "vdd_V", &x, err) != 0 ||
                  x != c->vdd_V))
    rc = TK_EINVAL;
  if (rc == 0 && isfinite(c->vbias_V) &&
      (io_get_attr_f64(f, c->grp, "vbias_V", &x, err) != 0 ||
       x != c->vbias_V))
    rc = TK_EINVAL;
  if (rc == 0 && (io_get_attr_i64(f, c->grp, "sweep_seed", &seed, err) != 0 ||
                  (uint64_t)seed != c->seed))
    rc = TK_EINVAL;
  /* --repeats: the same number of records per point */
  snprintf(pp, sizeof pp, "%s/p_state_stderr_repeats", c->grp);
  if (rc == 0 && (c->repeats > 1) != (io_exists(f, pp) != 0))
    rc = TK_EINVAL;
  /* gmm2: the same mode separation */
  if (rc == 0 && c->gmm &&
      (io_get_attr_f64(f, c->grp, "vsep_V", &x, err) != 0 || x != c->vsep_V))
    rc = TK_EINVAL;
  /* --noise-scale: the same densities */
  double ns = 1;
  tk_err e4 = {0};
  if (io_get_attr_f64(f, c->grp, "sweep_noise_scale", &ns, &e4) != 0)
    ns = 1;
  if (rc == 0 && ns != (c->sp.noise_scale > 0 ? c->sp.noise_scale : 1))
    rc = TK_EINVAL;
  int64_t nrep = 0;
  if (rc == 0 && c->repeats > 1 &&
      (io_get_attr_i64(f, c->grp, "sweep_repeats", &nrep, err) != 0 ||
       nrep != (int64_t)c->repeats))
    rc = TK_EINVAL;
  free(tk);
  if (rc == TK_EINVAL)
    return TK_FAIL(err, TK_EINVAL, "--resume: %s was made with other "
                   "settings (--vctl, --temp, --time, --seed, --vdd, --vbias, --vsep, --repeats, --noise-scale and --track "
                   "must be those of the interrupted run)", io_file_path(f));
  if (rc != 0)
    return rc;
  TK_TRY(cal__read_arr(f, c, "p_state", K * n, d->p, err));
  TK_TRY(cal__read_arr(f, c, "p_state_stderr", K * n, d->pse, err));
  if (c->gmm) {
    double *gx = malloc(2 * n * sizeof *gx);
    if (gx == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    int r2 = TK_OK;
    for (unsigned k = 0; k < 6 && r2 == 0; k++) {
      r2 = cal__read_arr(f, c, cal__gmm_cols[k].name,
                           cal__gmm_cols[k].n * n, gx, err);
      if (r2 == 0)
        gmm_scatter(d, n, k, gx);
    }
    free(gx);
    if (r2 != 0)
      return r2;
  }
  if (c->repeats > 1)
    TK_TRY(cal__read_arr(f, c, "p_state_stderr_repeats", K * n, d->pser, err));
  TK_TRY(cal__read_arr(f, c, "tau_s", n, d->tau, err));
  TK_TRY(cal__read_arr(f, c, "tau_err_s", n, d->tau_err, err));
  TK_TRY(cal__read_arr(f, c, "energy_J", n, d->e, err));
  TK_TRY(cal__read_arr(f, c, "power_W", n, d->pw, err));
  TK_TRY(cal__read_arr(f, c, "flips", n, d->flips, err));
  double *tmp = malloc(n * sizeof *tmp);
  if (tmp == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  rc = cal__read_arr(f, c, "no_transitions", n, tmp, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    d->notr[i] = tmp[i] != 0;
  if (rc == 0)
    rc = cal__read_arr(f, c, "point_done", n, tmp, err);
  for (size_t i = 0; rc == 0 && i < n; i++)
    d->done[i] = tmp[i] != 0;
  free(tmp);
  return rc;
}
