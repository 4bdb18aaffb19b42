/* cal_predict.c -- prediction from a cell library's temperature model
 * (cal_predict.h).
 */
#include "calibrate/cal_predict.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate/cal_temp.h"
#include "io/io_celllib.h"

cal_predict_params cal_predict_default_params(void)
{
  cal_predict_params p;
  memset(&p, 0, sizeof p);
  p.temp_K = p.vctl_V = NAN;
  p.margin_K = CAL_PREDICT_MARGIN_K;
  return p;
}

/* The stored model (io_celllib_tmodel) as cal_temp's. */
static int model_from_lib(const char *path, const io_celllib *L,
                          cal_temp_model *m, tk_err *err)
{
  const io_celllib_tmodel *s = &L->tm;
  memset(m, 0, sizeof *m);
  const double v[] = {s->t_ref_K, s->vs_ref_V, s->vs_ref_err_V, s->vs_exp,
                      s->vs_exp_err, s->cov_vs_ref_exp, s->v0_ref_V,
                      s->v0_ref_err_V, s->dv0_dT_V_per_K,
                      s->dv0_dT_err_V_per_K, s->cov_v0_V2_per_K,
                      s->tau_ref_s, s->tau_ref_err_s, s->ea_J, s->ea_err_J,
                      s->tau_inf_s, s->t_min_K, s->t_max_K};
  for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
    if (isnan(v[k]))
      return TK_FAIL(err, TK_EFORMAT, "%s: the temperature model of cell "
                     "'%s' lacks attribute %zu", path, L->name, k);
  m->t_ref_K = s->t_ref_K;
  m->vs_ref_V = s->vs_ref_V;
  m->vs_ref_err_V = s->vs_ref_err_V;
  m->vs_exp = s->vs_exp;
  m->vs_exp_err = s->vs_exp_err;
  m->cov_vs_ref_exp = s->cov_vs_ref_exp;
  m->v0_ref_V = s->v0_ref_V;
  m->v0_ref_err_V = s->v0_ref_err_V;
  m->dv0_dT_V_per_K = s->dv0_dT_V_per_K;
  m->dv0_dT_err_V_per_K = s->dv0_dT_err_V_per_K;
  m->cov_v0_V2_per_K = s->cov_v0_V2_per_K;
  m->tau_ref_s = s->tau_ref_s;
  m->tau_ref_err_s = s->tau_ref_err_s;
  m->ea_J = s->ea_J;
  m->ea_err_J = s->ea_err_J;
  m->tau_inf_s = s->tau_inf_s;
  m->chi2_red_vs = s->chi2_red_vs;
  m->chi2_red_v0 = s->chi2_red_v0;
  m->chi2_red_tau = s->chi2_red_tau;
  /* a --track calibration: v0 follows the noiseless trip table */
  if (s->trip_T_K != NULL) {
    if ((s->trip_V == NULL) || s->n_trip < 2 ||
        s->n_trip > CAL_TEMP_MAX_TRIP)
      return TK_FAIL(err, TK_EFORMAT, "%s: /cells/%s/fit/temperature_model/"
                     "trip_T_K and trip_V must be two 1-D arrays of one "
                     "length in 2..%d", path, L->name, CAL_TEMP_MAX_TRIP);
    for (size_t i = 0; i < s->n_trip; i++) {
      if (!isfinite(s->trip_T_K[i]) || !isfinite(s->trip_V[i]) ||
          (i > 0 && !(s->trip_T_K[i] > s->trip_T_K[i - 1])))
        return TK_FAIL(err, TK_EFORMAT, "%s: /cells/%s/fit/temperature_model"
                       "/trip_T_K must be finite and ascending (entry %zu)",
                       path, L->name, i);
      m->trip_T_K[i] = s->trip_T_K[i];
      m->trip_V[i] = s->trip_V[i];
    }
    m->n_trip = s->n_trip;
  }
  return TK_OK;
}

/* --leave-out: the model again from the other temperatures' fits, with
 * the library's settings (reference temperature, the exponent fitted
 * when it was: vs_exp_err > 0, the trip table). */
static int refit_without(const cal_predict_params *p, const io_celllib *L,
                         cal_temp_model *m, tk_err *err)
{
  size_t n = L->nt, lo = SIZE_MAX;
  const double *x[6] = {L->fit_v0_V, L->fit_v0_err_V, L->fit_vs_V,
                        L->fit_vs_err_V, L->fit_tau_op_s,
                        L->fit_tau_op_err_s};
  for (int k = 0; k < 6; k++)
    if (x[k] == NULL)
      return TK_FAIL(err, TK_EFORMAT, "%s: cell '%s' lacks its per-"
                     "temperature fits", p->cells, p->cell);
  cal_temp_point *pt = malloc((n ? n : 1) * sizeof *pt);
  if (pt == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    cal_temp_point q = {L->temperature_K[i], x[0][i], x[1][i], x[2][i],
                        x[3][i], x[4][i], x[5][i]};
    pt[i] = q;
    if (fabs(pt[i].temp_K - p->temp_K) < 0.01)
      lo = i;
  }
  int rc = TK_OK;
  if (lo == SIZE_MAX)
    rc = TK_FAIL(err, TK_EINVAL, "--leave-out: %g K is not one of the "
                 "calibrated temperatures of %s", p->temp_K, p->cell);
  if (rc == 0) {
    cal_temp_params tp = cal_temp_default_params();
    tp.t_ref_K = m->t_ref_K;
    tp.fit_exponent = m->vs_exp_err > 0;
    tp.trip_T_K = m->n_trip > 0 ? m->trip_T_K : NULL;
    tp.trip_V = m->n_trip > 0 ? m->trip_V : NULL;
    tp.n_trip = m->n_trip;
    cal_temp_model lm;
    rc = cal_temp_fit_loo(pt, n, lo, &tp, &lm, err);
    if (rc == 0)
      *m = lm;
  }
  free(pt);
  return rc;
}

struct cal_predictor {
  cal_temp_model m;        /* the (possibly refitted) temperature model */
  double t_min_K, t_max_K; /* the calibrated range */
  double margin_K;         /* allowed distance outside it */
};

int cal_predictor_load(const cal_predict_params *p, cal_predictor **out,
                       tk_err *err)
{
  *out = NULL;
  if (p->cells == NULL || p->cell == NULL ||
      (p->leave_out && !isfinite(p->temp_K)))
    return TK_FAIL(err, TK_EINVAL, "a library and a cell are required (and "
                   "a temperature with leave_out)");
  if (!(p->margin_K >= 0))
    return TK_FAIL(err, TK_EINVAL, "margin_K %g must be >= 0", p->margin_K);
  io_celllib L;
  tk_err e2 = {0};
  int rc = io_celllib_load(p->cells, p->cell, &L, &e2);
  /* a readable library without the cell: say so; anything else (a missing
   * or unreadable file) keeps the reader's own message */
  if ((rc == TK_ENOTFOUND || rc == TK_EINVAL) && access(p->cells, R_OK) == 0) {
    io_celllib_clear(&L);
    return TK_FAIL(err, TK_ENOTFOUND, "--cell: no cell '%s' in %s", p->cell,
                   p->cells);
  }
  if (rc != 0) {
    if (err != NULL)
      *err = e2;
    return rc;
  }
  cal_predictor *pr = calloc(1, sizeof *pr);
  if (pr == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  else if (strcmp(L.kind, "categorical") == 0)
    rc = TK_FAIL(err, TK_EINVAL, "cell '%s' in %s is categorical (kind %s): "
                 "predict needs a two-state cell (kind pbit)", p->cell,
                 p->cells, L.kind);
  else if (!L.tm.present)
    rc = TK_FAIL(err, TK_ENOTFOUND, "cell '%s' in %s has no temperature "
                 "model (calibrated at fewer than 3 temperatures, or the "
                 "sweep is unfinished)", p->cell, p->cells);
  if (rc == 0)
    rc = model_from_lib(p->cells, &L, &pr->m, err);
  if (rc == 0 && p->leave_out)
    rc = refit_without(p, &L, &pr->m, err);
  if (rc == 0) {
    pr->t_min_K = L.tm.t_min_K;
    pr->t_max_K = L.tm.t_max_K;
    pr->margin_K = p->margin_K;
  }
  io_celllib_clear(&L);
  if (rc != 0) {
    free(pr);
    return rc;
  }
  *out = pr;
  return TK_OK;
}

int cal_predictor_eval(const cal_predictor *pr, double temp_K, double vctl_V,
                       cal_prediction *out, tk_err *err)
{
  if (pr == NULL || out == NULL || !isfinite(temp_K) || !isfinite(vctl_V))
    return TK_FAIL(err, TK_EINVAL, "a predictor, a finite temperature and a "
                   "finite control voltage are required");
  if (temp_K < pr->t_min_K - pr->margin_K ||
      temp_K > pr->t_max_K + pr->margin_K)
    return TK_FAIL(err, TK_ERANGE, "--temp: %g K is outside the calibrated "
                   "range %g..%g K by more than %g K", temp_K, pr->t_min_K,
                   pr->t_max_K, pr->margin_K);
  out->p1_err = NAN;
  out->p1 = cal_temp_predict_p1(&pr->m, temp_K, vctl_V, &out->p1_err);
  out->tau_s = cal_temp_tau_s(&pr->m, temp_K);
  out->v0_V = cal_temp_v0_V(&pr->m, temp_K);
  out->vs_V = cal_temp_vs_V(&pr->m, temp_K);
  return TK_OK;
}

void cal_predictor_range(const cal_predictor *pr, double *t_min_K,
                         double *t_max_K)
{
  *t_min_K = pr != NULL ? pr->t_min_K : NAN;
  *t_max_K = pr != NULL ? pr->t_max_K : NAN;
}

void cal_predictor_free(cal_predictor *pr)
{
  free(pr);
}

int cal_predict(const cal_predict_params *p, cal_prediction *out,
                tk_err *err)
{
  if (p->cells == NULL || p->cell == NULL || !isfinite(p->temp_K) ||
      !isfinite(p->vctl_V))
    return TK_FAIL(err, TK_EINVAL, "a library, a cell, a temperature and a "
                   "control voltage are required");
  cal_predictor *pr = NULL;
  TK_TRY(cal_predictor_load(p, &pr, err));
  int rc = cal_predictor_eval(pr, p->temp_K, p->vctl_V, out, err);
  cal_predictor_free(pr);
  return rc;
}
