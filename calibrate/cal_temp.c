/* cal_temp.c -- temperature model fits (thermal-voltage slope, linear
 * midpoint, Arrhenius correlation time), predictions and leave-one-out
 * (see cal_temp.h).  Workload: three tiny least-squares fits per call. */
#include "calibrate/cal_temp.h"

#include <math.h>
#include <stdlib.h>

#include "calibrate/cal_fit.h"
#include "calibrate/cal_lsq.h"
#include "physics/phys_const.h"

cal_temp_params cal_temp_default_params(void)
{
  cal_temp_params p;
  p.t_ref_K = PHYS_TNOM_K;
  p.fit_exponent = 0;
  p.trip_T_K = p.trip_V = NULL;
  p.n_trip = 0;
  p.trip_exclude_K = 2.5;
  return p;
}

typedef struct temp_ctx {
  const cal_temp_point *pt;  /* data */
  size_t n;                  /* points */
  double t_ref_K;            /* reference temperature */
  int fit_exponent;          /* vs fit: 1 if par[1] is m */
  const cal_temp_model *m;   /* its trip table (v0 fit) */
} temp_ctx;

static double interp(const double *x, const double *y, size_t n, double t)
{
  if (n == 0)
    return 0;
  if (n == 1)
    return y[0];
  size_t k = 0;   /* segment [k, k + 1], the end ones extended */
  while (k + 2 < n && t > x[k + 1])
    k++;
  return y[k] + (y[k + 1] - y[k]) * (t - x[k]) / (x[k + 1] - x[k]);
}

double cal_temp_trip_V(const cal_temp_model *m, double temp_K)
{
  return interp(m->trip_T_K, m->trip_V, m->n_trip, temp_K);
}

static int vs_resid(const double *par, void *ctx, double *r)
{
  const temp_ctx *c = ctx;
  double m = c->fit_exponent ? par[1] : 1.0;
  for (size_t i = 0; i < c->n; i++) {
    const cal_temp_point *q = &c->pt[i];
    r[i] = (q->vs_V - par[0] * pow(q->temp_K / c->t_ref_K, m)) / q->vs_err_V;
  }
  return 0;
}

static int v0_resid(const double *par, void *ctx, double *r)
{
  const temp_ctx *c = ctx;
  for (size_t i = 0; i < c->n; i++) {
    const cal_temp_point *q = &c->pt[i];
    r[i] = (q->v0_V - cal_temp_trip_V(c->m, q->temp_K) - par[0] -
            par[1] * (q->temp_K - c->t_ref_K)) / q->v0_err_V;
  }
  return 0;
}

/* par = {ln tau_ref, Ea / k in K} */
static int tau_resid(const double *par, void *ctx, double *r)
{
  const temp_ctx *c = ctx;
  for (size_t i = 0; i < c->n; i++) {
    const cal_temp_point *q = &c->pt[i];
    double model = par[0] + par[1] * (1.0 / q->temp_K - 1.0 / c->t_ref_K);
    r[i] = (log(q->tau_s) - model) / (q->tau_err_s / q->tau_s);
  }
  return 0;
}

int cal_temp_fit(const cal_temp_point *pt, size_t n, const cal_temp_params *p,
                 cal_temp_model *m, tk_err *err)
{
  cal_temp_params dp = cal_temp_default_params();
  if (p == NULL)
    p = &dp;
  if (pt == NULL || m == NULL)
    return TK_FAIL(err, TK_EINVAL, "cal_temp_fit needs points and a model");
  size_t nvs = p->fit_exponent ? 2 : 1;
  if (n < 3 || n <= nvs + 1)
    return TK_FAIL(err, TK_EINVAL, "%zu temperatures are too few (need >= %zu)", n,
                   nvs + 2 > 3 ? nvs + 2 : 3);
  if (!(p->t_ref_K > 0))
    return TK_FAIL(err, TK_EINVAL, "t_ref_K %g must be > 0", p->t_ref_K);
  for (size_t i = 0; i < n; i++) {
    const cal_temp_point *q = &pt[i];
    if (!(q->temp_K > 0) || !(q->v0_err_V > 0) || !(q->vs_err_V > 0) ||
        !(q->tau_s > 0) || !(q->tau_err_s > 0) || !isfinite(q->v0_V) ||
        !isfinite(q->vs_V) || q->vs_V == 0)
      return TK_FAIL(err, TK_EINVAL, "temperature point %zu (%g K): need T > 0, "
                     "finite v0 and vs != 0, tau > 0 and every error > 0", i,
                     q->temp_K);
    for (size_t j = 0; j < i; j++)
      if (pt[j].temp_K == q->temp_K)
        return TK_FAIL(err, TK_EINVAL, "temperature %g K appears twice", q->temp_K);
  }
  if (p->n_trip == 1 || p->n_trip > CAL_TEMP_MAX_TRIP ||
      (p->n_trip > 0 && (p->trip_T_K == NULL || p->trip_V == NULL)))
    return TK_FAIL(err, TK_EINVAL, "trip table: %zu entries (need 2..%d)",
                   p->n_trip, CAL_TEMP_MAX_TRIP);
  for (size_t i = 0; i < p->n_trip; i++)
    if (!isfinite(p->trip_V[i]) || !isfinite(p->trip_T_K[i]) ||
        (i > 0 && !(p->trip_T_K[i] > p->trip_T_K[i - 1])))
      return TK_FAIL(err, TK_EINVAL, "trip table: entry %zu is not finite or "
                     "not in ascending temperature", i);
  m->n_trip = p->n_trip;
  for (size_t i = 0; i < p->n_trip; i++) {
    m->trip_T_K[i] = p->trip_T_K[i];
    m->trip_V[i] = p->trip_V[i];
  }
  temp_ctx c = {pt, n, p->t_ref_K, p->fit_exponent, m};
  cal__lsq_out o;
  double cov[4];
  /* Starts: the point nearest T_ref; tau from its two extremes. */
  size_t iref = 0, ilo = 0, ihi = 0;
  for (size_t i = 1; i < n; i++) {
    if (fabs(pt[i].temp_K - p->t_ref_K) < fabs(pt[iref].temp_K - p->t_ref_K))
      iref = i;
    if (pt[i].temp_K < pt[ilo].temp_K)
      ilo = i;
    if (pt[i].temp_K > pt[ihi].temp_K)
      ihi = i;
  }
  double pv[2] = {pt[iref].vs_V * p->t_ref_K / pt[iref].temp_K, 1.0};
  TK_TRY(cal__lsq(vs_resid, &c, n, nvs, pv, cov, CAL_COV_ABSOLUTE, &o, err));
  m->t_ref_K = p->t_ref_K;
  m->vs_ref_V = pv[0];
  m->vs_exp = p->fit_exponent ? pv[1] : 1.0;
  m->vs_ref_err_V = sqrt(cov[0]);
  m->vs_exp_err = p->fit_exponent ? sqrt(cov[3]) : 0.0;
  m->cov_vs_ref_exp = p->fit_exponent ? cov[1] : 0.0;
  m->chi2_red_vs = o.chi2_red;

  double pl[2] = {pt[iref].v0_V - cal_temp_trip_V(m, pt[iref].temp_K), 0.0};
  TK_TRY(cal__lsq(v0_resid, &c, n, 2, pl, cov, CAL_COV_ABSOLUTE, &o, err));
  m->v0_ref_V = pl[0];
  m->dv0_dT_V_per_K = pl[1];
  m->v0_ref_err_V = sqrt(cov[0]);
  m->dv0_dT_err_V_per_K = sqrt(cov[3]);
  m->cov_v0_V2_per_K = cov[1];
  m->chi2_red_v0 = o.chi2_red;

  double slope0 = 0;
  if (pt[ihi].temp_K > pt[ilo].temp_K)
    slope0 = log(pt[ilo].tau_s / pt[ihi].tau_s) /
             (1.0 / pt[ilo].temp_K - 1.0 / pt[ihi].temp_K);
  double pa[2] = {log(pt[iref].tau_s), slope0};
  TK_TRY(cal__lsq(tau_resid, &c, n, 2, pa, cov, CAL_COV_ABSOLUTE, &o, err));
  m->tau_ref_s = exp(pa[0]);
  m->tau_ref_err_s = m->tau_ref_s * sqrt(cov[0]);
  m->ea_J = pa[1] * PHYS_KB_J_PER_K;
  m->ea_err_J = sqrt(cov[3]) * PHYS_KB_J_PER_K;
  m->tau_inf_s = m->tau_ref_s * exp(-pa[1] / p->t_ref_K);
  m->chi2_red_tau = o.chi2_red;
  return TK_OK;
}

int cal_temp_fit_loo(const cal_temp_point *pt, size_t n, size_t leave_out,
                     const cal_temp_params *p, cal_temp_model *m, tk_err *err)
{
  if (pt == NULL || leave_out >= n)
    return TK_FAIL(err, TK_EINVAL, "leave-out index %zu not below %zu points",
                   leave_out, n);
  cal_temp_point *sub = malloc(n * sizeof *sub);
  if (sub == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  size_t j = 0;
  for (size_t i = 0; i < n; i++)
    if (i != leave_out)
      sub[j++] = pt[i];
  cal_temp_params q = p ? *p : cal_temp_default_params();
  double *tt = NULL;
  if (q.n_trip > 0) {
    /* the table without the entries at the left-out temperature */
    tt = malloc(2 * q.n_trip * sizeof *tt);
    if (tt == NULL) {
      free(sub);
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < q.n_trip; i++)
      if (!(fabs(q.trip_T_K[i] - pt[leave_out].temp_K) < q.trip_exclude_K)) {
        tt[k] = q.trip_T_K[i];
        tt[q.n_trip + k++] = q.trip_V[i];
      }
    q.trip_T_K = tt;
    q.trip_V = tt + q.n_trip;
    q.n_trip = k;
  }
  int rc = cal_temp_fit(sub, n - 1, &q, m, err);
  free(sub);
  free(tt);
  return rc;
}

double cal_temp_vs_V(const cal_temp_model *m, double temp_K)
{
  return m->vs_ref_V * pow(temp_K / m->t_ref_K, m->vs_exp);
}

double cal_temp_v0_V(const cal_temp_model *m, double temp_K)
{
  return cal_temp_trip_V(m, temp_K) + m->v0_ref_V +
         m->dv0_dT_V_per_K * (temp_K - m->t_ref_K);
}

double cal_temp_tau_s(const cal_temp_model *m, double temp_K)
{
  return m->tau_ref_s *
         exp(m->ea_J / PHYS_KB_J_PER_K * (1.0 / temp_K - 1.0 / m->t_ref_K));
}

double cal_temp_predict_p1(const cal_temp_model *m, double temp_K, double v_V,
                           double *p1_err)
{
  double vs = cal_temp_vs_V(m, temp_K), v0 = cal_temp_v0_V(m, temp_K);
  double z = (v_V - v0) / vs, p1 = cal_sigmoid(z);
  if (p1_err) {
    double dT = temp_K - m->t_ref_K, s = pow(temp_K / m->t_ref_K, m->vs_exp);
    double lr = log(temp_K / m->t_ref_K);
    double var_v0 = m->v0_ref_err_V * m->v0_ref_err_V +
                    dT * dT * m->dv0_dT_err_V_per_K * m->dv0_dT_err_V_per_K +
                    2 * dT * m->cov_v0_V2_per_K;
    double var_vs = s * s * m->vs_ref_err_V * m->vs_ref_err_V +
                    vs * vs * lr * lr * m->vs_exp_err * m->vs_exp_err +
                    2 * s * vs * lr * m->cov_vs_ref_exp;
    double g = p1 * (1 - p1) / vs;
    *p1_err = sqrt(fmax(g * g * (var_v0 + z * z * var_vs), 0));
  }
  return p1;
}
