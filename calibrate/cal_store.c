/* cal_store.c -- the measurements of a calibration sweep (see
 * cal_run_impl.h): one point from its records (--repeats), its
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

#include "calibrate/cal_run_impl.h"

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
  for (size_t i = 0; d->err_msg != NULL && i < d->n_msg; i++)
    free(d->err_msg[i]);
  free(d->err_msg);
}

/* A point of K states from the measured fields of a pbit's or a
 * categorical cell's point (cal_occupancy.h). */
#define POINT_FROM(pt, src, K)                                            \
  do {                                                                    \
    memset((pt), 0, sizeof *(pt));                                        \
    for (int k_ = 0; k_ < CAL_MAX_STATES; k_++)                           \
      (pt)->p_err_rep[k_] = NAN;                                          \
    for (int k_ = 0; k_ < CAL__GMM_N; k_++)                               \
      (pt)->gmm[k_] = NAN;                                                \
    for (unsigned k_ = 0; k_ < (unsigned)(K) && k_ < CAL_MAX_STATES; k_++) { \
      (pt)->p[k_] = (src)->p[k_];                                         \
      (pt)->p_err[k_] = (src)->p_err[k_];                                 \
    }                                                                     \
    (pt)->tau_s = (src)->tau_s;                                           \
    (pt)->tau_err_s = (src)->tau_err_s;                                   \
    (pt)->energy_J = (src)->energy_J;                                     \
    (pt)->power_W = (src)->power_W;                                       \
    (pt)->flips = (src)->flips;                                           \
    (pt)->no_transitions = (src)->no_transitions;                         \
  } while (0)

void cal__point_from_pbit(const cal_pbit_point *pp, cal__point *pt)
{
  POINT_FROM(pt, pp, 2);
}

void cal__point_from_cat(const cal_cat_point *cp, cal__point *pt)
{
  POINT_FROM(pt, cp, cp->K);
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
  d->n_msg = n;
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

double *cal__dup(const double *x, size_t n, int *rc)
{
  if (x == NULL || *rc != 0)
    return NULL;
  double *y = malloc((n ? n : 1) * sizeof *y);
  if (y == NULL) {
    *rc = TK_ENOMEM;
    return NULL;
  }
  memcpy(y, x, n * sizeof *y);
  return y;
}

static uint8_t *dup_u8(const uint8_t *x, size_t n, int *rc)
{
  if (*rc != 0)
    return NULL;
  uint8_t *y = malloc(n ? n : 1);
  if (y == NULL) {
    *rc = TK_ENOMEM;
    return NULL;
  }
  memcpy(y, x, n);
  return y;
}

int cal__lib_fill(const cal__ctx *c, const cal__data *d, double time_s,
                  io_celllib *L, tk_err *err)
{
  size_t nt = c->nt, nv = c->nv, n = nt * nv, K = c->n_states;
  int rc = TK_OK;
  io_celllib_init(L);
  snprintf(L->name, sizeof L->name, "%s", c->cell);
  snprintf(L->kind, sizeof L->kind, "%s", c->kind);
  snprintf(L->cell, sizeof L->cell, "%s", c->cell);
  snprintf(L->control_node, sizeof L->control_node, "%s", c->control_node);
  snprintf(L->output_node, sizeof L->output_node, "%s", c->output_node);
  if (c->source_file != NULL)
    snprintf(L->source_file, sizeof L->source_file, "%s", c->source_file);
  if (c->subckt != NULL)
    snprintf(L->subckt, sizeof L->subckt, "%s", c->subckt);
  if (c->noise_elements != NULL)
    snprintf(L->noise_elements, sizeof L->noise_elements, "%s",
             c->noise_elements);
  if (c->noise_quiet != NULL)
    snprintf(L->noise_quiet, sizeof L->noise_quiet, "%s", c->noise_quiet);
  if (c->noise_mos != NULL)
    snprintf(L->noise_mos_model, sizeof L->noise_mos_model, "%s",
             c->noise_mos);
  if (c->native)
    snprintf(L->sweep_engine, sizeof L->sweep_engine, "native");
  L->vdd_V = c->vdd_V;
  L->vbias_V = isfinite(c->vbias_V) ? c->vbias_V : NAN;
  L->vsep_V = c->gmm ? c->vsep_V : NAN;
  L->n_states = (int64_t)K;
  L->sweep_time_s = time_s;
  L->sweep_tstep_s = c->sp.tstep_s;
  L->sweep_nt_s = c->sp.nt_s;
  L->sweep_seed = (int64_t)c->seed;
  L->sweep_noise_scale = c->sp.noise_scale > 0 && c->sp.noise_scale != 1
                             ? c->sp.noise_scale : NAN;
  L->sweep_repeats = c->repeats > 1 ? (int64_t)c->repeats : 0;
  L->nt = nt;
  L->nv = nv;
  L->n_ctl = c->n_ctl;
  L->temperature_K = cal__dup(c->temp_K, nt, &rc);
  L->control_V = cal__dup(c->vctl_V, nv * c->n_ctl, &rc);
  if (c->ctl_V != NULL) {
    /* --track: the control of every point, and the trip points behind it */
    L->point_control_V = cal__dup(c->ctl_V, n * c->n_ctl, &rc);
    L->trip_V = cal__dup(c->trip_V, nt, &rc);
    L->track_center_V = cal__dup(c->center_V, nt, &rc);
    if (c->n_trip_tab > 0) {
      L->n_trip_tab = c->n_trip_tab;
      L->trip_tab_T_K = cal__dup(c->trip_tab_T_K, c->n_trip_tab, &rc);
      L->trip_tab_V = cal__dup(c->trip_tab_V, c->n_trip_tab, &rc);
    }
    L->track_ref_K = c->track_ref_K;
    L->track_width_exp = c->track_exp;
    L->track_trip_ref_V = c->trip_ref_V;
    L->track_center_ref_V = c->center_ref_V;
    L->track_time_tau = c->time_tau;
    L->record_time_s = cal__dup(c->rec_time_s, nt, &rc);
  }
  L->p_state = cal__dup(d->p, n * K, &rc);
  L->p_state_stderr = cal__dup(d->pse, n * K, &rc);
  for (unsigned k = 0; c->gmm && k < 6 && rc == 0; k++) {
    L->gmm[k] = malloc(n * cal__gmm_cols[k].n * sizeof(double));
    if (L->gmm[k] == NULL)
      rc = TK_ENOMEM;
    else
      gmm_gather(d, n, k, L->gmm[k]);
  }
  if (c->repeats > 1)
    L->p_state_stderr_repeats = cal__dup(d->pser, n * K, &rc);
  L->tau_s = cal__dup(d->tau, n, &rc);
  L->tau_err_s = cal__dup(d->tau_err, n, &rc);
  L->energy_J = cal__dup(d->e, n, &rc);
  L->power_W = cal__dup(d->pw, n, &rc);
  L->flips = cal__dup(d->flips, n, &rc);
  L->no_transitions = dup_u8(d->notr, n, &rc);
  L->point_done = dup_u8(d->done, n, &rc);
  if (d->err_msg != NULL && rc == 0 &&
      (L->point_error = calloc(n, sizeof *L->point_error)) == NULL)
    rc = TK_ENOMEM;
  for (size_t i = 0; L->point_error != NULL && i < n && rc == 0; i++)
    if (d->err_msg[i] != NULL &&
        (L->point_error[i] = strdup(d->err_msg[i])) == NULL)
      rc = TK_ENOMEM;
  if (rc != 0) {
    io_celllib_clear(L);
    return TK_FAIL(err, rc, "out of memory");
  }
  return TK_OK;
}

int cal__write_data(io_file *f, const cal__ctx *c, const cal__data *d,
                    double time_s, tk_err *err)
{
  io_celllib L;
  TK_TRY(cal__lib_fill(c, d, time_s, &L, err));
  int rc = io_celllib_write(f, &L, err);
  io_celllib_clear(&L);
  return rc;
}

/* x[n] == y[n] exactly (both present), or both absent. */
static int same(const double *x, const double *y, size_t n)
{
  if ((x == NULL) != (y == NULL))
    return 0;
  for (size_t i = 0; x != NULL && i < n; i++)
    if (x[i] != y[i])
      return 0;
  return 1;
}

/* Read the measurements back and check the file matches this sweep. */
int cal__read_data(io_file *f, const cal__ctx *c, double time_s,
                   cal__data *d, tk_err *err)
{
  size_t n = c->nt * c->nv, nc = c->nv * c->n_ctl, K = c->n_states;
  io_celllib L;
  tk_err e2 = {0};
  int rc = io_celllib_read(f, c->cell, &L, &e2);
  if (rc == TK_ENOTFOUND || rc == TK_EINVAL)
    return TK_FAIL(err, TK_EINVAL, "--resume: %s holds no sweep of cell %s",
                   io_file_path(f), c->cell);
  if (rc != 0) {
    *err = e2;
    return rc;
  }
  int ok = L.nt == c->nt && L.nv * L.n_ctl == nc && L.control_V != NULL &&
           same(L.temperature_K, c->temp_K, c->nt) &&
           same(L.control_V, c->vctl_V, nc);
  /* --track: the same windows (a noiseless, deterministic computation) */
  ok = ok && same(L.point_control_V, c->ctl_V, c->nt * nc);
  ok = ok && L.sweep_time_s == time_s && L.vdd_V == c->vdd_V;
  ok = ok && (!isfinite(c->vbias_V) || L.vbias_V == c->vbias_V);
  ok = ok && (uint64_t)L.sweep_seed == c->seed;
  /* --repeats: the same number of records per point */
  ok = ok && (c->repeats > 1) == (L.p_state_stderr_repeats != NULL);
  /* gmm2: the same mode separation */
  ok = ok && (!c->gmm || L.vsep_V == c->vsep_V);
  /* --noise-scale: the same densities */
  double ns = isnan(L.sweep_noise_scale) ? 1 : L.sweep_noise_scale;
  ok = ok && ns == (c->sp.noise_scale > 0 ? c->sp.noise_scale : 1);
  ok = ok && (c->repeats <= 1 || L.sweep_repeats == (int64_t)c->repeats);
  /* --engine: never points of both engines in one sweep */
  ok = ok && (strcmp(L.sweep_engine, "native") == 0) == (c->native != 0);
  /* characterize: the same noise model (--mos-noise, --flicker) */
  ok = ok && (c->noise_mos == NULL || L.noise_mos_model[0] == '\0' ||
              strcmp(L.noise_mos_model, c->noise_mos) == 0);
  if (!ok) {
    io_celllib_clear(&L);
    return TK_FAIL(err, TK_EINVAL, "--resume: %s was made with other "
                   "settings (--vctl, --temp, --time, --seed, --vdd, --vbias, --vsep, --repeats, --noise-scale, --track, --engine, --mos-noise and --flicker "
                   "must be those of the interrupted run)", io_file_path(f));
  }
  const double *need[7] = {L.p_state, L.p_state_stderr, L.tau_s,
                           L.tau_err_s, L.energy_J, L.power_W, L.flips};
  for (int k = 0; k < 7; k++)
    if (need[k] == NULL)
      rc = TK_EFORMAT;
  if (L.no_transitions == NULL || L.point_done == NULL ||
      (size_t)L.n_states != K)
    rc = TK_EFORMAT;
  for (unsigned k = 0; c->gmm && k < 6; k++)
    if (L.gmm[k] == NULL)
      rc = TK_EFORMAT;
  if (rc != 0) {
    io_celllib_clear(&L);
    return TK_FAIL(err, TK_EFORMAT, "%s: cell %s lacks point datasets of "
                   "its sweep", io_file_path(f), c->cell);
  }
  memcpy(d->p, L.p_state, K * n * sizeof *d->p);
  memcpy(d->pse, L.p_state_stderr, K * n * sizeof *d->pse);
  for (unsigned k = 0; c->gmm && k < 6; k++)
    gmm_scatter(d, n, k, L.gmm[k]);
  if (c->repeats > 1)
    memcpy(d->pser, L.p_state_stderr_repeats, K * n * sizeof *d->pser);
  memcpy(d->tau, L.tau_s, n * sizeof *d->tau);
  memcpy(d->tau_err, L.tau_err_s, n * sizeof *d->tau_err);
  memcpy(d->e, L.energy_J, n * sizeof *d->e);
  memcpy(d->pw, L.power_W, n * sizeof *d->pw);
  memcpy(d->flips, L.flips, n * sizeof *d->flips);
  memcpy(d->notr, L.no_transitions, n);
  memcpy(d->done, L.point_done, n);
  /* the failed points' messages: taken over from L */
  for (size_t i = 0; d->err_msg != NULL && i < d->n_msg; i++)
    free(d->err_msg[i]);
  free(d->err_msg);
  d->err_msg = L.point_error;
  L.point_error = NULL;
  io_celllib_clear(&L);
  return TK_OK;
}
