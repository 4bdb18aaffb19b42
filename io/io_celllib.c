/* io_celllib.c -- the cell-library format (schema in io_celllib.h): one
 * table of datasets (path, unit, shape, field) and one of attributes,
 * walked by the writer and the reader alike, so a dataset added to the
 * schema is added once.
 *
 * Shapes are strings of dimension letters: t nT, v nV, c controls per
 * row (dropped when 1 and last), k states, r trip-table entries, m the
 * temperature model's trip entries, i Monte-Carlo instances, s their
 * transistors, j mc_checkpoint jobs, and the literals 2 and 4.
 *
 * Workload: a few hundred values per dataset, read and written whole.
 */
#include "io/io_celllib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const io_celllib_gmm_name[IO_CELLLIB_GMM] = {
  "gmm_mu_V", "gmm_mu_err_V", "gmm_sd_V", "gmm_sd_err_V", "gmm_w0",
  "gmm_w0_err"};
const char *const io_celllib_gmm_unit[IO_CELLLIB_GMM] = {"V", "V", "V", "V",
                                                         "1", "1"};
const unsigned io_celllib_gmm_n[IO_CELLLIB_GMM] = {2, 2, 2, 2, 1, 1};

enum { F64, U8 };

typedef struct ds_entry {
  const char *rel;      /* path under the cell group */
  const char *unit;
  const char *shape;    /* dimension letters (see above) */
  int type;             /* F64 or U8 (the field is double * or uint8_t *) */
  size_t off;           /* offsetof the pointer field in io_celllib */
} ds_entry;

#define D(rel, unit, shape, field) {rel, unit, shape, F64, offsetof(io_celllib, field)}
#define G(k) {NULL, NULL, "tv", F64, offsetof(io_celllib, gmm[k])}

static const ds_entry ds_table[] = {
  D("temperature_K", "K", "t", temperature_K),
  D("control_V", "V", "vc", control_V),
  D("point_control_V", "V", "tvc", point_control_V),
  D("trip_V", "V", "t", trip_V),
  D("track_center_V", "V", "t", track_center_V),
  D("trip_table/temperature_K", "K", "r", trip_tab_T_K),
  D("trip_table/trip_V", "V", "r", trip_tab_V),
  D("record_time_s", "s", "t", record_time_s),
  D("p_state", "1", "tvk", p_state),
  D("p_state_stderr", "1", "tvk", p_state_stderr),
  G(0), G(1), G(2), G(3), G(4), G(5),
  D("p_state_stderr_repeats", "1", "tvk", p_state_stderr_repeats),
  D("tau_s", "s", "tv", tau_s),
  D("tau_err_s", "s", "tv", tau_err_s),
  D("energy_J", "J", "tv", energy_J),
  D("power_W", "W", "tv", power_W),
  D("flips", "1", "tv", flips),
  {"no_transitions", "1", "tv", U8, offsetof(io_celllib, no_transitions)},
  {"point_done", "1", "tv", U8, offsetof(io_celllib, point_done)},
  /* noise_model/ */
  D("noise_model/sigma_x_V", "V", "t", nm_sigma_x_V),
  D("noise_model/tau_x_s", "s", "t", nm_tau_x_s),
  D("noise_model/shift_x_V", "V", "t", nm_shift_x_V),
  D("noise_model/control_V", "V", "t", nm_control_V),
  D("noise_model/vs_V", "V", "t", nm_vs_V),
  /* pbit fit */
  D("fit/probit_sd_V", "V", "t", probit_sd_V),
  D("fit/probit_sd_err_V", "V", "t", probit_sd_err_V),
  D("fit/probit_chi2_red", "1", "t", probit_chi2_red),
  D("fit/error_scale", "1", "t", error_scale),
  D("fit/error_scale_dof", "1", "t", error_scale_dof),
  D("fit/loo_max_abs_dp1", "1", "t", loo_max_abs_dp1),
  D("fit/loo_max_abs_dp1_vs_fit", "1", "t", loo_max_abs_dp1_vs_fit),
  D("fit/v0_V", "V", "t", fit_v0_V),
  D("fit/v0_err_V", "V", "t", fit_v0_err_V),
  D("fit/vs_V", "V", "t", fit_vs_V),
  D("fit/vs_err_V", "V", "t", fit_vs_err_V),
  D("fit/chi2_red", "1", "t", fit_chi2_red),
  D("fit/tau_op_s", "s", "t", fit_tau_op_s),
  D("fit/tau_op_err_s", "s", "t", fit_tau_op_err_s),
  D("fit/temperature_model/trip_T_K", "K", "m", tm.trip_T_K),
  D("fit/temperature_model/trip_V", "V", "m", tm.trip_V),
  /* categorical fit */
  D("fit/a", "1", "tk", fit_a),
  D("fit/b_per_V", "1/V", "tk", fit_b_per_V),
  D("fit/a_err", "1", "tk", fit_a_err),
  D("fit/b_err_per_V", "1/V", "tk", fit_b_err_per_V),
  D("fit/priority_v0_V", "V", "tk", prio_v0_V),
  D("fit/priority_vs_V", "V", "tk", prio_vs_V),
  D("fit/priority_v0_err_V", "V", "tk", prio_v0_err_V),
  D("fit/priority_vs_err_V", "V", "tk", prio_vs_err_V),
  D("fit/priority_w", "1", "tk", prio_w),
  D("fit/priority_w_err", "1", "tk", prio_w_err),
  D("fit/priority_chi2_red", "1", "t", prio_chi2_red),
  /* mismatch/ */
  D("mismatch/v0_V", "V", "t", mm_v0_V),
  D("mismatch/vs_V", "V", "t", mm_vs_V),
  D("mismatch/tau_s", "s", "t", mm_tau_s),
  D("mismatch/tau_mean_s", "s", "t", mm_tau_mean_s),
  D("mismatch/trip_shift_V", "V", "t", mm_trip_shift_V),
  D("mismatch/n_fitted", "1", "t", mm_n_fitted),
  D("mismatch/instance_v0_V", "V", "ti", mm_inst_v0_V),
  D("mismatch/instance_vs_V", "V", "ti", mm_inst_vs_V),
  D("mismatch/instance_tau_s", "s", "ti", mm_inst_tau_s),
  D("mismatch/instance_trip_shift_V", "V", "ti", mm_inst_trip_shift_V),
  D("mismatch/dvth_V", "V", "is", mm_dvth_V),
  /* mc_checkpoint/ */
  D("mc_checkpoint/result", "V, V, s, V", "j4", mc_result),
  {"mc_checkpoint/done", "1", "j", U8, offsetof(io_celllib, mc_done)},
};

/* The categorical fit shares fit/chi2_red and fit/tau_op_s with the pbit
 * fit (fit_chi2_red, fit_tau_op_s). */

enum { A_F64, A_I64, A_STR };
/* when an attribute is written: by its value (NaN / 0 / "" absent), or
 * always, or with a group of datasets */
enum { W_VALUE, W_ALWAYS, W_TRACK, W_TM, W_MM, W_MC };

typedef struct attr_entry {
  const char *grp;      /* group under the cell ("" the cell group) */
  const char *name;
  int type;             /* A_F64, A_I64, A_STR */
  size_t off;           /* offsetof the field */
  size_t size;          /* A_STR: the buffer size */
  int when;
} attr_entry;

#define AF(g, n, field, w) {g, n, A_F64, offsetof(io_celllib, field), 0, w}
#define AI(g, n, field, w) {g, n, A_I64, offsetof(io_celllib, field), 0, w}
#define AS(g, n, field, w) \
  {g, n, A_STR, offsetof(io_celllib, field), sizeof(((io_celllib *)0)->field), w}

static const attr_entry attr_table[] = {
  AF("", "track_ref_K", track_ref_K, W_TRACK),
  AF("", "track_width_exp", track_width_exp, W_TRACK),
  AF("", "track_trip_ref_V", track_trip_ref_V, W_TRACK),
  AF("", "track_center_ref_V", track_center_ref_V, W_TRACK),
  AF("", "track_time_tau", track_time_tau, W_TRACK),
  AF("", "vsep_V", vsep_V, W_VALUE),
  AI("", "sweep_repeats", sweep_repeats, W_VALUE),
  AS("", "kind", kind, W_ALWAYS),
  AS("", "cell", cell, W_ALWAYS),
  AS("", "control_node", control_node, W_ALWAYS),
  AS("", "output_node", output_node, W_ALWAYS),
  AF("", "vdd_V", vdd_V, W_ALWAYS),
  AS("", "source_file", source_file, W_VALUE),
  AS("", "subckt", subckt, W_VALUE),
  AS("", "noise_elements", noise_elements, W_VALUE),
  AS("", "noise_quiet", noise_quiet, W_VALUE),
  AS("", "noise_mos_model", noise_mos_model, W_VALUE),
  AI("", "n_states", n_states, W_ALWAYS),
  AF("", "vbias_V", vbias_V, W_VALUE),
  AF("", "sweep_time_s", sweep_time_s, W_ALWAYS),
  AF("", "sweep_tstep_s", sweep_tstep_s, W_ALWAYS),
  AF("", "sweep_nt_s", sweep_nt_s, W_ALWAYS),
  AI("", "sweep_seed", sweep_seed, W_ALWAYS),
  AF("", "sweep_noise_scale", sweep_noise_scale, W_VALUE),
  AS("", "sweep_engine", sweep_engine, W_VALUE),
  AS("noise_model", "model", nm_model, W_VALUE),
  AF("noise_model", "record_time_s", nm_record_time_s, W_VALUE),
  AS("fit", "model", fit_model, W_VALUE),
  AS("fit", "priority_model", priority_model, W_VALUE),
  AF("fit/temperature_model", "t_ref_K", tm.t_ref_K, W_TM),
  AF("fit/temperature_model", "vs_ref_V", tm.vs_ref_V, W_TM),
  AF("fit/temperature_model", "vs_ref_err_V", tm.vs_ref_err_V, W_TM),
  AF("fit/temperature_model", "vs_exp", tm.vs_exp, W_TM),
  AF("fit/temperature_model", "vs_exp_err", tm.vs_exp_err, W_TM),
  AF("fit/temperature_model", "cov_vs_ref_exp", tm.cov_vs_ref_exp, W_TM),
  AF("fit/temperature_model", "v0_ref_V", tm.v0_ref_V, W_TM),
  AF("fit/temperature_model", "v0_ref_err_V", tm.v0_ref_err_V, W_TM),
  AF("fit/temperature_model", "dv0_dT_V_per_K", tm.dv0_dT_V_per_K, W_TM),
  AF("fit/temperature_model", "dv0_dT_err_V_per_K", tm.dv0_dT_err_V_per_K,
     W_TM),
  AF("fit/temperature_model", "cov_v0_V2_per_K", tm.cov_v0_V2_per_K, W_TM),
  AF("fit/temperature_model", "tau_ref_s", tm.tau_ref_s, W_TM),
  AF("fit/temperature_model", "tau_ref_err_s", tm.tau_ref_err_s, W_TM),
  AF("fit/temperature_model", "ea_J", tm.ea_J, W_TM),
  AF("fit/temperature_model", "ea_err_J", tm.ea_err_J, W_TM),
  AF("fit/temperature_model", "tau_inf_s", tm.tau_inf_s, W_TM),
  AF("fit/temperature_model", "chi2_red_vs", tm.chi2_red_vs, W_TM),
  AF("fit/temperature_model", "chi2_red_v0", tm.chi2_red_v0, W_TM),
  AF("fit/temperature_model", "chi2_red_tau", tm.chi2_red_tau, W_TM),
  AF("fit/temperature_model", "t_min_K", tm.t_min_K, W_TM),
  AF("fit/temperature_model", "t_max_K", tm.t_max_K, W_TM),
  AS("fit/temperature_model", "v0_model", tm.v0_model, W_TM),
  AF("mismatch", "a_vt_V_m", mm_a_vt_V_m, W_MM),
  AI("mismatch", "n_instances", mm_n_instances, W_MM),
  AS("mismatch", "model", mm_model, W_MM),
  AF("mc_checkpoint", "a_vt_V_m", mc_a_vt_V_m, W_MC),
  AI("mc_checkpoint", "n_instances", mc_n_instances, W_MC),
  AI("mc_checkpoint", "n_temperatures", mc_n_temperatures, W_MC),
};

#define FIELD(c, off, T) ((T *)((char *)(c) + (off)))
#define CFIELD(c, off, T) ((const T *)((const char *)(c) + (off)))

void io_celllib_init(io_celllib *c)
{
  memset(c, 0, sizeof *c);
  for (size_t i = 0; i < sizeof attr_table / sizeof attr_table[0]; i++)
    if (attr_table[i].type == A_F64)
      *FIELD(c, attr_table[i].off, double) = NAN;
}

void io_celllib_clear(io_celllib *c)
{
  for (size_t i = 0; c->point_error != NULL && i < c->nt * c->nv; i++)
    free(c->point_error[i]);
  free(c->point_error);
  for (size_t i = 0; i < sizeof ds_table / sizeof ds_table[0]; i++)
    free(*FIELD(c, ds_table[i].off, void *));
  io_celllib_init(c);
}

#define POINT_ERROR_MAX 1024   /* bytes of a stored message */

/* The failed points' messages of the cell group grp into c->point_error
 * (left NULL when no failed point has one). */
static int read_point_errors(io_file *f, const char *grp, io_celllib *c,
                             tk_err *err)
{
  size_t n = c->nt * c->nv;
  for (size_t i = 0; c->point_done != NULL && i < n; i++) {
    char an[40], buf[POINT_ERROR_MAX];
    snprintf(an, sizeof an, "point_error_%zu", i);
    if (c->point_done[i] != 2 ||
        io_get_attr_str(f, grp, an, buf, sizeof buf, NULL) != 0)
      continue;
    if (c->point_error == NULL &&
        (c->point_error = calloc(n, sizeof *c->point_error)) == NULL)
      return TK_FAIL(err, TK_ENOMEM, "point messages");
    if ((c->point_error[i] = strdup(buf)) == NULL)
      return TK_FAIL(err, TK_ENOMEM, "point messages");
  }
  return TK_OK;
}

/* The dimensions of shape sh in c (free letters 0 when unknown); the
 * rank, with a trailing c of 1 dropped. */
static int shape_dims(const io_celllib *c, const char *sh, size_t *dims)
{
  int r = 0;
  for (const char *s = sh; *s; s++) {
    size_t d = 0;
    switch (*s) {
    case 't': d = c->nt; break;
    case 'v': d = c->nv; break;
    case 'c': d = c->n_ctl; break;
    case 'k': d = (size_t)c->n_states; break;
    case 'r': d = c->n_trip_tab; break;
    case 'm': d = c->tm.n_trip; break;
    case 'i': d = c->n_inst; break;
    case 's': d = c->n_mos; break;
    case 'j': d = c->n_jobs; break;
    case '2': d = 2; break;
    case '4': d = 4; break;
    }
    if (*s == 'c' && s[1] == '\0' && d == 1 && r > 0)
      break;
    dims[r++] = d;
  }
  return r;
}

/* Free dimension letter of c, by letter, for the reader; NULL if fixed. */
static size_t *free_dim(io_celllib *c, char l)
{
  switch (l) {
  case 'r': return &c->n_trip_tab;
  case 'm': return &c->tm.n_trip;
  case 'i': return &c->n_inst;
  case 's': return &c->n_mos;
  case 'j': return &c->n_jobs;
  default: return NULL;
  }
}

static int attr_wanted(const io_celllib *c, const attr_entry *a)
{
  switch (a->when) {
  case W_ALWAYS: return 1;
  case W_TRACK: return c->point_control_V != NULL;
  case W_TM: return c->tm.present;
  case W_MM: return c->mm_v0_V != NULL;
  case W_MC: return c->mc_result != NULL;
  default: break;
  }
  switch (a->type) {
  case A_F64: return !isnan(*CFIELD(c, a->off, double));
  case A_I64: return *CFIELD(c, a->off, int64_t) != 0;
  default: return *CFIELD(c, a->off, char) != '\0';
  }
}

int io_celllib_write(io_file *f, const io_celllib *c, tk_err *err)
{
  char p[600];
  for (size_t i = 0; i < sizeof ds_table / sizeof ds_table[0]; i++) {
    const ds_entry *d = &ds_table[i];
    const void *x = *CFIELD(c, d->off, void *);
    if (x == NULL)
      continue;
    size_t dims[4];
    int rank = shape_dims(c, d->shape, dims);
    const char *rel = d->rel, *unit = d->unit;
    if (rel == NULL) {    /* a gmm_* dataset: its name from the list */
      size_t k = (d->off - offsetof(io_celllib, gmm)) / sizeof(double *);
      rel = io_celllib_gmm_name[k];
      unit = io_celllib_gmm_unit[k];
      if (io_celllib_gmm_n[k] > 1)
        dims[rank++] = io_celllib_gmm_n[k];
    }
    snprintf(p, sizeof p, "/cells/%s/%s", c->name, rel);
    if (d->type == U8)
      TK_TRY(io_write_u8(f, p, rank, dims, x, unit, err));
    else
      TK_TRY(io_write_f64(f, p, rank, dims, x, unit, err));
  }
  for (size_t i = 0; i < sizeof attr_table / sizeof attr_table[0]; i++) {
    const attr_entry *a = &attr_table[i];
    if (!attr_wanted(c, a))
      continue;
    snprintf(p, sizeof p, "/cells/%s%s%s", c->name, *a->grp ? "/" : "",
             a->grp);
    TK_TRY(io_group(f, p, err));
    if (a->type == A_F64)
      TK_TRY(io_attr_f64(f, p, a->name, *CFIELD(c, a->off, double), err));
    else if (a->type == A_I64)
      TK_TRY(io_attr_i64(f, p, a->name, *CFIELD(c, a->off, int64_t), err));
    else
      TK_TRY(io_attr_str(f, p, a->name, CFIELD(c, a->off, char), err));
  }
  for (size_t i = 0; c->point_error != NULL && i < c->nt * c->nv; i++)
    if (c->point_error[i] != NULL) {
      char an[40];
      snprintf(p, sizeof p, "/cells/%s", c->name);
      snprintf(an, sizeof an, "point_error_%zu", i);
      TK_TRY(io_attr_str(f, p, an, c->point_error[i], err));
    }
  return io_attr_str(f, "/", "kind", "cells", err);
}

/* Dataset d of cell group grp into c, checking its size against the
 * dimensions known (free ones taken from the file). */
static int read_ds(io_file *f, const char *grp, const ds_entry *d,
                   io_celllib *c, tk_err *err)
{
  char p[600];
  const char *rel = d->rel;
  unsigned extra = 1;
  if (rel == NULL) {
    size_t k = (d->off - offsetof(io_celllib, gmm)) / sizeof(double *);
    rel = io_celllib_gmm_name[k];
    extra = io_celllib_gmm_n[k];
  }
  snprintf(p, sizeof p, "%s/%s", grp, rel);
  if (!io_exists(f, p))
    return TK_OK;
  double *x = NULL;
  int rank = 0;
  size_t dims[4] = {0}, n = 1;
  TK_TRY(io_read_f64(f, p, &x, &rank, dims, err));
  for (int i = 0; i < rank; i++)
    n *= dims[i];
  /* the free dimensions from the file, in the order of the shape (and
   * the grid's, where the library lacks control_V: a minimal library of
   * fits and [nT] or [nT, nV] measurements) */
  int pos = 0;
  for (const char *s = d->shape; *s; s++, pos++) {
    size_t *fd = free_dim(c, *s);
    if (fd == NULL && *s == 'v')
      fd = &c->nv;
    if (fd != NULL && *fd == 0)
      *fd = pos < rank ? dims[pos] : 1;
  }
  size_t want[4];
  int wr = shape_dims(c, d->shape, want);
  size_t m = extra;
  for (int i = 0; i < wr; i++)
    m *= want[i];
  if (n != m) {
    free(x);
    return TK_FAIL(err, TK_EFORMAT, "%s: %s has %zu values, want %zu",
                   io_file_path(f), p, n, m);
  }
  if (d->type == U8) {
    uint8_t *u = malloc(n ? n : 1);
    if (u == NULL) {
      free(x);
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    }
    /* flags: 0 or 1, and point_done's 2 (a failed point) as it is */
    for (size_t i = 0; i < n; i++)
      u[i] = x[i] == 2 ? 2 : x[i] != 0;
    free(x);
    *FIELD(c, d->off, uint8_t *) = u;
  } else {
    *FIELD(c, d->off, double *) = x;
  }
  return TK_OK;
}

int io_celllib_list(io_file *f, char ***names, char (**kinds)[32], size_t *n,
                    tk_err *err)
{
  *names = NULL;
  *n = 0;
  if (kinds != NULL)
    *kinds = NULL;
  if (!io_exists(f, "/cells"))
    return TK_OK;
  TK_TRY(io_list(f, "/cells", names, n, err));
  if (kinds == NULL)
    return TK_OK;
  *kinds = calloc(*n ? *n : 1, sizeof **kinds);
  if (*kinds == NULL) {
    io_names_free(*names, *n);
    *names = NULL;
    *n = 0;
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < *n; i++) {
    char g[300];
    snprintf(g, sizeof g, "/cells/%s", (*names)[i]);
    if (io_get_attr_str(f, g, "kind", (*kinds)[i], 32, NULL) != 0)
      (*kinds)[i][0] = '\0';
  }
  return TK_OK;
}

int io_celllib_read(io_file *f, const char *name, io_celllib *c, tk_err *err)
{
  io_celllib_init(c);
  if (name == NULL || *name == '\0' || strchr(name, '/') != NULL ||
      strlen(name) >= sizeof c->name)
    return TK_FAIL(err, TK_EINVAL, "bad cell name '%s'", name ? name : "");
  char grp[300];
  snprintf(grp, sizeof grp, "/cells/%s", name);
  if (!io_exists(f, grp)) {
    char **names = NULL, list[256] = "";
    size_t n = 0;
    if (io_celllib_list(f, &names, NULL, &n, NULL) == 0) {
      for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                 names[i]);
      }
      io_names_free(names, n);
    }
    return TK_FAIL(err, TK_ENOTFOUND, "cell '%s' not in library %s "
                   "(cells: %s)", name, io_file_path(f), *list ? list : "none");
  }
  snprintf(c->name, sizeof c->name, "%s", name);
  for (size_t i = 0; i < sizeof attr_table / sizeof attr_table[0]; i++) {
    const attr_entry *a = &attr_table[i];
    char p[600];
    snprintf(p, sizeof p, "%s%s%s", grp, *a->grp ? "/" : "", a->grp);
    if (!io_exists(f, p))
      continue;
    if (a->type == A_F64)
      (void)io_get_attr_f64(f, p, a->name, FIELD(c, a->off, double), NULL);
    else if (a->type == A_I64)
      (void)io_get_attr_i64(f, p, a->name, FIELD(c, a->off, int64_t), NULL);
    else
      (void)io_get_attr_str(f, p, a->name, FIELD(c, a->off, char), a->size,
                            NULL);
  }
  char tp[600];
  snprintf(tp, sizeof tp, "%s/fit/temperature_model", grp);
  c->tm.present = io_exists(f, tp);
  /* the grid first: it fixes nT, nV and the controls per row */
  int rc = TK_OK;
  char p[600];
  int rank = 0;
  size_t dims[4] = {0};
  snprintf(p, sizeof p, "%s/temperature_K", grp);
  if (!io_exists(f, p))
    rc = TK_FAIL(err, TK_EFORMAT, "cell library %s: %s is missing",
                 io_file_path(f), p);
  if (rc == 0)
    rc = io_read_f64(f, p, &c->temperature_K, &rank, dims, err);
  if (rc == 0 && (rank != 1 || dims[0] < 1))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: %s must be a non-empty vector",
                 io_file_path(f), p);
  if (rc == 0)
    c->nt = dims[0];
  snprintf(p, sizeof p, "%s/control_V", grp);
  if (rc == 0 && io_exists(f, p)) {
    rc = io_read_f64(f, p, &c->control_V, &rank, dims, err);
    if (rc == 0 && (rank < 1 || rank > 2))
      rc = TK_FAIL(err, TK_EFORMAT, "%s: %s must be [nV] or [nV, C]",
                   io_file_path(f), p);
    if (rc == 0) {
      c->nv = dims[0];
      c->n_ctl = rank == 2 ? dims[1] : 1;
    }
  }
  /* the states: the attribute, else p_state's last dimension */
  snprintf(p, sizeof p, "%s/p_state", grp);
  if (rc == 0 && c->n_states <= 0 && io_exists(f, p)) {
    double *x = NULL;
    rc = io_read_f64(f, p, &x, &rank, dims, err);
    free(x);
    if (rc == 0)
      c->n_states = rank == 3 ? (int64_t)dims[2] : 2;
  }
  for (size_t i = 0; rc == 0 && i < sizeof ds_table / sizeof ds_table[0];
       i++) {
    const ds_entry *d = &ds_table[i];
    if (d->off == offsetof(io_celllib, temperature_K) ||
        d->off == offsetof(io_celllib, control_V))
      continue;
    rc = read_ds(f, grp, d, c, err);
  }
  if (rc == 0)
    rc = read_point_errors(f, grp, c, err);
  if (rc != 0)
    io_celllib_clear(c);
  return rc;
}

int io_celllib_load(const char *path, const char *name, io_celllib *c,
                    tk_err *err)
{
  io_file *f = NULL;
  io_celllib_init(c);
  TK_TRY(io_file_open_read(path, &f, err));
  int rc = io_celllib_read(f, name, c, err);
  io_file_close(f);
  return rc;
}

static int upd(io_file *f, const char *name, const char *rel, size_t first,
               size_t n, const double *x, tk_err *err)
{
  char p[600];
  snprintf(p, sizeof p, "/cells/%s/%s", name, rel);
  return io_update_f64(f, p, first, n, x, err);
}

int io_celllib_put_point(io_file *f, const char *name, unsigned K, size_t idx,
                         const io_celllib_point *pt, tk_err *err)
{
  char p[600];
  uint8_t nt = (uint8_t)pt->no_transitions, one = pt->failed ? 2 : 1;
  TK_TRY(upd(f, name, "p_state", K * idx, K, pt->p, err));
  TK_TRY(upd(f, name, "p_state_stderr", K * idx, K, pt->p_err, err));
  for (unsigned k = 0, off = 0; pt->gmm != NULL && k < IO_CELLLIB_GMM; k++) {
    unsigned n = io_celllib_gmm_n[k];
    TK_TRY(upd(f, name, io_celllib_gmm_name[k], n * idx, n, pt->gmm + off,
               err));
    off += n;
  }
  if (pt->p_err_rep != NULL)
    TK_TRY(upd(f, name, "p_state_stderr_repeats", K * idx, K, pt->p_err_rep,
               err));
  TK_TRY(upd(f, name, "tau_s", idx, 1, &pt->tau_s, err));
  TK_TRY(upd(f, name, "tau_err_s", idx, 1, &pt->tau_err_s, err));
  TK_TRY(upd(f, name, "energy_J", idx, 1, &pt->energy_J, err));
  TK_TRY(upd(f, name, "power_W", idx, 1, &pt->power_W, err));
  TK_TRY(upd(f, name, "flips", idx, 1, &pt->flips, err));
  snprintf(p, sizeof p, "/cells/%s/no_transitions", name);
  TK_TRY(io_update_u8(f, p, idx, 1, &nt, err));
  if (pt->failed && pt->fail_msg != NULL) {
    char an[40];
    snprintf(p, sizeof p, "/cells/%s", name);
    snprintf(an, sizeof an, "point_error_%zu", idx);
    TK_TRY(io_attr_str(f, p, an, pt->fail_msg, err));
  }
  TK_TRY(io_file_flush(f, err));
  snprintf(p, sizeof p, "/cells/%s/point_done", name);
  TK_TRY(io_update_u8(f, p, idx, 1, &one, err));
  return io_file_flush(f, err);
}

int io_celllib_mc_begin(io_file *f, const char *name, const io_celllib *c,
                        tk_err *err)
{
  char p[600];
  size_t d2[2] = {c->n_jobs, 4}, d1[1] = {c->n_jobs};
  snprintf(p, sizeof p, "/cells/%s/mc_checkpoint/result", name);
  TK_TRY(io_write_f64(f, p, 2, d2, c->mc_result, "V, V, s, V", err));
  snprintf(p, sizeof p, "/cells/%s/mc_checkpoint/done", name);
  TK_TRY(io_write_u8(f, p, 1, d1, c->mc_done, "1", err));
  snprintf(p, sizeof p, "/cells/%s/mc_checkpoint", name);
  TK_TRY(io_attr_f64(f, p, "a_vt_V_m", c->mc_a_vt_V_m, err));
  TK_TRY(io_attr_i64(f, p, "n_instances", c->mc_n_instances, err));
  TK_TRY(io_attr_i64(f, p, "n_temperatures", c->mc_n_temperatures, err));
  return io_file_flush(f, err);
}

int io_celllib_mc_put(io_file *f, const char *name, size_t idx,
                      const double row[4], tk_err *err)
{
  char p[600];
  uint8_t one = 1;
  snprintf(p, sizeof p, "/cells/%s/mc_checkpoint/result", name);
  TK_TRY(io_update_f64(f, p, 4 * idx, 4, row, err));
  TK_TRY(io_file_flush(f, err));
  snprintf(p, sizeof p, "/cells/%s/mc_checkpoint/done", name);
  TK_TRY(io_update_u8(f, p, idx, 1, &one, err));
  return io_file_flush(f, err);
}
