/* tka_cells.c -- a cell library for foreign callers (tka_cells.h): the
 * library read once through io_celllib, the pbit predictions through
 * cal_predictor, the categorical model rebuilt from its fit/ arrays as
 * calibrate/cal_verify.c does. */
#include "api/tka_cells.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_fit.h"
#include "calibrate/cal_predict.h"
#include "calibrate/cal_priority.h"
#include "io/io_celllib.h"
#include "io/io_h5.h"

struct tka_cells {
  io_celllib L;              /* the cell, every dataset read */
  char path[1024];           /* the library */
  cal_predictor *pred;       /* pbit temperature model, or NULL ... */
  tk_err pred_err;           /* ... and why not */
};

void tka_cells_free(tka_cells *c)
{
  if (c == NULL)
    return;
  io_celllib_clear(&c->L);
  cal_predictor_free(c->pred);
  free(c);
}

/* The cell to open: `want`, or the only one of f. */
static int pick_cell(io_file *f, const char *path, const char *want,
                     char *name, size_t size, tk_err *err)
{
  char **names = NULL;
  size_t n = 0;
  TK_TRY(io_celllib_list(f, &names, NULL, &n, err));
  int rc = TK_OK;
  if (want != NULL) {
    snprintf(name, size, "%s", want);
  } else if (n == 1) {
    snprintf(name, size, "%s", names[0]);
  } else {
    char list[512] = "";
    for (size_t i = 0; i < n; i++)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
               i ? ", " : "", names[i]);
    rc = TK_FAIL(err, n ? TK_EINVAL : TK_ENOTFOUND, "%s holds %zu cells "
                 "(%s): name the one to open", path, n, n ? list : "none");
  }
  io_names_free(names, n);
  return rc;
}

int tka_cells_open(const char *path, const char *cell, tka_cells **out,
                   tk_err *err)
{
  if (out == NULL || path == NULL)
    return TK_FAIL(err, TK_EINVAL, "cells: a path is required");
  *out = NULL;
  io_file *f = NULL;
  TK_TRY(io_file_open_read(path, &f, err));
  char kind[64] = "", name[128];
  int rc = TK_OK;
  if (io_get_attr_str(f, "/", "kind", kind, sizeof kind, NULL) != 0 ||
      strcmp(kind, "cells") != 0)
    rc = TK_FAIL(err, TK_EFORMAT, "%s is not a cell library (its root "
                 "attribute kind is '%s', a library's is 'cells')", path,
                 kind[0] ? kind : "absent");
  if (rc == TK_OK)
    rc = pick_cell(f, path, cell, name, sizeof name, err);
  tka_cells *c = NULL;
  if (rc == TK_OK && (c = calloc(1, sizeof *c)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "cells");
  if (rc == TK_OK) {
    io_celllib_init(&c->L);
    rc = io_celllib_read(f, name, &c->L, err);
  }
  io_file_close(f);
  if (rc == TK_OK && c->L.temperature_K == NULL)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: cell '%s' has no temperature_K",
                 path, name);
  if (rc != TK_OK) {
    tka_cells_free(c);
    return rc;
  }
  snprintf(c->path, sizeof c->path, "%s", path);
  if (strcmp(c->L.kind, "pbit") == 0) {
    cal_predict_params pp = cal_predict_default_params();
    pp.cells = path;
    pp.cell = name;
    if (cal_predictor_load(&pp, &c->pred, &c->pred_err) != TK_OK)
      c->pred = NULL;
  }
  *out = c;
  return TK_OK;
}

const char *tka_cells_name(const tka_cells *c)
{
  return c != NULL ? c->L.name : "";
}

const char *tka_cells_kind(const tka_cells *c)
{
  return c != NULL ? c->L.kind : "";
}

unsigned tka_cells_n_states(const tka_cells *c)
{
  return c != NULL ? (unsigned)c->L.n_states : 0;
}

unsigned tka_cells_n_controls(const tka_cells *c)
{
  return c != NULL ? (unsigned)c->L.n_ctl : 0;
}

const double *tka_cells_temps(const tka_cells *c, size_t *n_temps)
{
  if (n_temps != NULL)
    *n_temps = c != NULL ? c->L.nt : 0;
  return c != NULL ? c->L.temperature_K : NULL;
}

void tka_cells_control_range(const tka_cells *c, double *lo_V, double *hi_V)
{
  *lo_V = INFINITY;
  *hi_V = -INFINITY;
  if (c == NULL || c->L.control_V == NULL)
    return;
  for (size_t i = 0; i < c->L.nv * c->L.n_ctl; i++) {
    *lo_V = fmin(*lo_V, c->L.control_V[i]);
    *hi_V = fmax(*hi_V, c->L.control_V[i]);
  }
}

/* The arrays by name: where they sit in io_celllib and their shape. */
enum { DIM_T = 0, DIM_TV = 1, DIM_TI = 2, DIM_TK = 3 };
static const struct {
  const char *name;
  size_t off;
  int dim;
} arrays[] = {
  {"fit/v0_V", offsetof(io_celllib, fit_v0_V), DIM_T},
  {"fit/vs_V", offsetof(io_celllib, fit_vs_V), DIM_T},
  {"fit/tau_op_s", offsetof(io_celllib, fit_tau_op_s), DIM_T},
  {"tau_s", offsetof(io_celllib, tau_s), DIM_TV},
  {"energy_J", offsetof(io_celllib, energy_J), DIM_TV},
  {"mismatch/v0_V", offsetof(io_celllib, mm_v0_V), DIM_T},
  {"mismatch/vs_V", offsetof(io_celllib, mm_vs_V), DIM_T},
  {"mismatch/tau_s", offsetof(io_celllib, mm_tau_s), DIM_T},
  {"mismatch/instance_v0_V", offsetof(io_celllib, mm_inst_v0_V), DIM_TI},
  {"mismatch/instance_vs_V", offsetof(io_celllib, mm_inst_vs_V), DIM_TI},
  {"mismatch/instance_tau_s", offsetof(io_celllib, mm_inst_tau_s), DIM_TI},
  {"mismatch/instance_trip_shift_V",
   offsetof(io_celllib, mm_inst_trip_shift_V), DIM_TI},
  {"fit/a", offsetof(io_celllib, fit_a), DIM_TK},
  {"fit/b_per_V", offsetof(io_celllib, fit_b_per_V), DIM_TK},
};

const double *tka_cells_array(const tka_cells *c, const char *name,
                              size_t dims[2])
{
  dims[0] = dims[1] = 0;
  if (c == NULL || name == NULL)
    return NULL;
  for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) {
    if (strcmp(arrays[k].name, name) != 0)
      continue;
    const double *a = *(double *const *)((const char *)&c->L + arrays[k].off);
    if (a == NULL)
      return NULL;
    size_t second[] = {1, c->L.nv, c->L.n_inst, (size_t)c->L.n_states};
    dims[0] = c->L.nt;
    dims[1] = second[arrays[k].dim];
    return a;
  }
  return NULL;
}

/* The calibrated temperature index of temp_K (within 0.01 K). */
static int temp_index(const tka_cells *c, double temp_K, size_t *t,
                      tk_err *err)
{
  for (size_t i = 0; i < c->L.nt; i++)
    if (fabs(c->L.temperature_K[i] - temp_K) < 0.01) {
      *t = i;
      return TK_OK;
    }
  return TK_FAIL(err, TK_ERANGE, "%g K is not a calibrated temperature of "
                 "categorical cell '%s' (its fits are per temperature: %g.."
                 "%g K)", temp_K, c->L.name, c->L.temperature_K[0],
                 c->L.temperature_K[c->L.nt - 1]);
}

/* The categorical models at temperature index t; *prio: use the priority
 * encoder (it fits better), as calibrate --verify's "auto". */
static int cat_models(const tka_cells *c, size_t t, cal_softmax_model *m,
                      cal_priority_model *pm, int *prio, tk_err *err)
{
  const io_celllib *L = &c->L;
  unsigned K = (unsigned)L->n_states;
  if (L->fit_a == NULL || L->fit_b_per_V == NULL)
    return TK_FAIL(err, TK_ENOTFOUND, "cell '%s' has no categorical fit",
                   L->name);
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EFORMAT, "cell '%s': %u states", L->name, K);
  memset(m, 0, sizeof *m);
  memset(pm, 0, sizeof *pm);
  m->K = pm->K = K;
  *prio = L->prio_v0_V != NULL && L->prio_vs_V != NULL &&
          L->prio_chi2_red != NULL && isfinite(L->prio_chi2_red[t]) &&
          !(L->fit_chi2_red != NULL &&
            L->prio_chi2_red[t] >= L->fit_chi2_red[t]);
  for (unsigned k = 0; k < K; k++) {
    m->a[k] = L->fit_a[t * K + k];
    m->b_per_V[k] = L->fit_b_per_V[t * K + k];
    if (*prio) {
      pm->v0_V[k] = L->prio_v0_V[t * K + k];
      pm->vs_V[k] = L->prio_vs_V[t * K + k];
      pm->w[k] = L->prio_w != NULL ? L->prio_w[t * K + k] : 1.0;
    }
  }
  return TK_OK;
}

static int check_arrays(const tka_cells *c, size_t n, const void *a,
                        const void *b, const void *out, tk_err *err)
{
  if (c == NULL)
    return TK_FAIL(err, TK_EINVAL, "cells: NULL library");
  if (n > 0 && (a == NULL || b == NULL || out == NULL))
    return TK_FAIL(err, TK_EINVAL, "cells: NULL array");
  return TK_OK;
}

int tka_cells_predict(const tka_cells *c, size_t n, const double *vctl_V,
                      const double *temp_K, double *p1, double *p1_err,
                      double *tau_s, tk_err *err)
{
  TK_TRY(check_arrays(c, n, vctl_V, temp_K, p1, err));
  if (strcmp(c->L.kind, "pbit") == 0) {
    if (c->pred == NULL) {
      if (err != NULL)
        *err = c->pred_err;
      return c->pred_err.status ? c->pred_err.status : TK_ENOTFOUND;
    }
    for (size_t i = 0; i < n; i++) {
      cal_prediction pr;
      int rc = cal_predictor_eval(c->pred, temp_K[i], vctl_V[i], &pr, err);
      if (rc != TK_OK)
        return tk_err_wrap(err, rc, "point %zu", i);
      p1[i] = pr.p1;
      if (p1_err != NULL)
        p1_err[i] = pr.p1_err;
      if (tau_s != NULL)
        tau_s[i] = pr.tau_s;
    }
    return TK_OK;
  }
  if (strcmp(c->L.kind, "categorical") != 0)
    return TK_FAIL(err, TK_EUNSUPPORTED, "predict: cell '%s' is a %s cell; "
                   "prediction is for pbit and categorical cells", c->L.name,
                   c->L.kind);
  unsigned K = (unsigned)c->L.n_states;
  for (size_t i = 0; i < n; i++) {
    size_t t;
    cal_softmax_model m;
    cal_priority_model pm;
    int prio;
    for (unsigned k = 0; k < K; k++)
      if (!isfinite(vctl_V[i * K + k]))
        return TK_FAIL(err, TK_EINVAL, "point %zu: control %u is not "
                       "finite", i, k);
    TK_TRY(temp_index(c, temp_K[i], &t, err));
    TK_TRY(cat_models(c, t, &m, &pm, &prio, err));
    if (prio)
      cal_priority_eval(&pm, vctl_V + i * K, p1 + i * K);
    else
      cal_softmax_eval(&m, vctl_V + i * K, p1 + i * K);
  }
  return TK_OK;
}

int tka_cells_inverse(const tka_cells *c, size_t n, const double *p,
                      const double *temp_K, double *vctl_V, tk_err *err)
{
  TK_TRY(check_arrays(c, n, p, temp_K, vctl_V, err));
  if (strcmp(c->L.kind, "pbit") == 0) {
    if (c->pred == NULL) {
      if (err != NULL)
        *err = c->pred_err;
      return c->pred_err.status ? c->pred_err.status : TK_ENOTFOUND;
    }
    for (size_t i = 0; i < n; i++) {
      if (!(p[i] > 0 && p[i] < 1))
        return TK_FAIL(err, TK_ERANGE, "point %zu: P(1) = %g must be in "
                       "(0, 1)", i, p[i]);
      cal_prediction pr;
      /* v0 and vs do not depend on the control given */
      int rc = cal_predictor_eval(c->pred, temp_K[i], 0.0, &pr, err);
      if (rc != TK_OK)
        return tk_err_wrap(err, rc, "point %zu", i);
      vctl_V[i] = pr.v0_V + pr.vs_V * log(p[i] / (1 - p[i]));
    }
    return TK_OK;
  }
  if (strcmp(c->L.kind, "categorical") != 0)
    return TK_FAIL(err, TK_EUNSUPPORTED, "inverse: cell '%s' is a %s cell; "
                   "the inverse is for pbit and categorical cells",
                   c->L.name, c->L.kind);
  unsigned K = (unsigned)c->L.n_states;
  double lo, hi;
  tka_cells_control_range(c, &lo, &hi);
  for (size_t i = 0; i < n; i++) {
    for (unsigned k = 0; k < K; k++)
      if (!(p[i * K + k] > 0 && p[i * K + k] <= 1))
        return TK_FAIL(err, TK_ERANGE, "point %zu: P(state %u) = %g must be "
                       "in (0, 1]", i, k, p[i * K + k]);
    size_t t;
    cal_softmax_model m;
    cal_priority_model pm;
    int prio, rc;
    TK_TRY(temp_index(c, temp_K[i], &t, err));
    TK_TRY(cat_models(c, t, &m, &pm, &prio, err));
    rc = prio ? cal_priority_inverse(&pm, p + i * K, lo, hi, vctl_V + i * K,
                                     err)
              : cal_softmax_inverse(&m, p + i * K, lo, hi, vctl_V + i * K,
                                    err);
    if (rc != TK_OK)
      return tk_err_wrap(err, rc, "point %zu", i);
  }
  return TK_OK;
}
