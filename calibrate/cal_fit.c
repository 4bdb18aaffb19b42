/* cal_fit.c -- logistic and softmax transfer-curve fits and the softmax
 * inverse (see cal_fit.h).  Workload: tens to hundreds of sweep points,
 * 2-31 parameters, one LM solve per fit (plus a linear start for the
 * softmax). */
#include "calibrate/cal_fit.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "calibrate/cal_lsq.h"

/* ---- logistic ---- */

cal_logistic_params cal_logistic_default_params(void)
{
  cal_logistic_params p;
  p.se_floor = 1e-3;
  p.v0_start_V = NAN;
  p.vs_start_V = NAN;
  p.probit = 0;
  return p;
}

double cal_logistic_eval(double v0_V, double vs_V, double v_V)
{
  return cal_sigmoid((v_V - v0_V) / vs_V);
}

typedef struct logi_ctx {
  const double *v, *p, *se;  /* data */
  const double *g;           /* [n] variance factor se^2 / (p (1 - p)) */
  size_t n;                  /* points */
  double floor;              /* se floor */
  int probit;                /* 1: Phi instead of the sigmoid */
} logi_ctx;

/* par = {v0, 1/vs}: the inverse scale keeps every trial step valid
 * (a flat curve is 1/vs = 0, not a division by zero).  Pearson residuals:
 * the variance is the MODEL's P (1 - P) g (see cal_fit.h). */
static int logi_resid(const double *par, void *ctx, double *r)
{
  const logi_ctx *c = ctx;
  for (size_t i = 0; i < c->n; i++) {
    double z = (c->v[i] - par[0]) * par[1];
    double P = c->probit ? 0.5 * erfc(-z / 1.4142135623730951) : cal_sigmoid(z);
    r[i] = (c->p[i] - P) / sqrt(P * (1 - P) * c->g[i] + c->floor * c->floor);
  }
  return 0;
}

static int cmp_dbl(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* g_i = se_i^2 / (p_i (1 - p_i)) (= 2 tau_int / T_record for a telegraph
 * signal) where the point has visited both states enough to measure it
 * (0.02 < p < 0.98, se > 0), else the median of those; NaN when none has. */
static void logi_gfactors(const double *p, const double *se, size_t n, double *g)
{
  double *tmp = malloc(n * sizeof *tmp);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    g[i] = NAN;
    if (p[i] > 0.02 && p[i] < 0.98 && se[i] > 0) {
      g[i] = se[i] * se[i] / (p[i] * (1 - p[i]));
      if (tmp != NULL)
        tmp[m++] = g[i];
    }
  }
  double med = NAN;
  if (m > 0) {
    qsort(tmp, m, sizeof *tmp, cmp_dbl);
    med = m % 2 ? tmp[m / 2] : 0.5 * (tmp[m / 2 - 1] + tmp[m / 2]);
  }
  for (size_t i = 0; i < n; i++)
    if (isnan(g[i]))
      g[i] = med;
  free(tmp);
}

int cal_logistic_fit(const double *v_V, const double *p, const double *se,
                     size_t n, const cal_logistic_params *prm,
                     cal_logistic_result *res, tk_err *err)
{
  cal_logistic_params dp = cal_logistic_default_params();
  if (prm == NULL)
    prm = &dp;
  if (v_V == NULL || p == NULL || se == NULL || res == NULL || n < 3)
    return TK_FAIL(err, TK_EINVAL, "the logistic fit needs >= 3 points");
  if (!(prm->se_floor > 0))
    return TK_FAIL(err, TK_EINVAL, "se_floor %g must be > 0", prm->se_floor);
  if (prm->vs_start_V == 0 || isinf(prm->vs_start_V) || isinf(prm->v0_start_V))
    return TK_FAIL(err, TK_EINVAL, "starting guesses v0 %g V, vs %g V must be "
                   "finite (vs != 0) or NaN", prm->v0_start_V, prm->vs_start_V);
  for (size_t i = 0; i < n; i++)
    if (!isfinite(v_V[i]) || !(p[i] >= 0 && p[i] <= 1) || !(se[i] >= 0))
      return TK_FAIL(err, TK_EINVAL, "point %zu: V %g, p %g, se %g (need finite "
                     "V, p in [0, 1], se >= 0)", i, v_V[i], p[i], se[i]);
  /* Start: v0 at the point nearest p = 0.5; 1/vs from a regression of
   * logit(p) on V over points well inside (0.03, 0.97). */
  size_t imid = 0;
  for (size_t i = 1; i < n; i++)
    if (fabs(p[i] - 0.5) < fabs(p[imid] - 0.5))
      imid = i;
  double sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
  double vmin = v_V[0], vmax = v_V[0];
  for (size_t i = 0; i < n; i++) {
    vmin = fmin(vmin, v_V[i]);
    vmax = fmax(vmax, v_V[i]);
    if (p[i] > 0.03 && p[i] < 0.97) {
      double y = log(p[i] / (1 - p[i]));
      sx += v_V[i];
      sy += y;
      sxx += v_V[i] * v_V[i];
      sxy += v_V[i] * y;
      m += 1;
    }
  }
  if (!(vmax > vmin))
    return TK_FAIL(err, TK_EINVAL, "all control voltages are equal (%g V)", vmin);
  double slope = m >= 2 && m * sxx - sx * sx > 0 ? (m * sxy - sx * sy) / (m * sxx - sx * sx)
                                                : 0;
  if (slope == 0) {  /* no interior points: sign from the ends */
    size_t ilo = 0, ihi = 0;
    for (size_t i = 1; i < n; i++) {
      ilo = v_V[i] < v_V[ilo] ? i : ilo;
      ihi = v_V[i] > v_V[ihi] ? i : ihi;
    }
    slope = (p[ihi] >= p[ilo] ? 10.0 : -10.0) / (vmax - vmin);
  }
  double par[2] = {isnan(prm->v0_start_V) ? v_V[imid] : prm->v0_start_V,
                   isnan(prm->vs_start_V) ? slope : 1.0 / prm->vs_start_V};
  double *g = malloc(n * sizeof *g);
  if (g == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  logi_gfactors(p, se, n, g);
  if (isnan(g[0])) {
    /* no point measured between the states: nothing sets the scale of the
     * errors but the floor (the fit below then reports the step) */
    for (size_t i = 0; i < n; i++)
      g[i] = 0;
  }
  if (prm->probit && isnan(prm->vs_start_V))
    par[1] /= 1.702;   /* the logit regression's slope, in probit units */
  logi_ctx c = {v_V, p, se, g, n, prm->se_floor, prm->probit != 0};
  double cov[4];
  cal__lsq_out o;
  int rc = cal__lsq(logi_resid, &c, n, 2, par, cov, CAL_COV_ABSOLUTE, &o, err);
  free(g);
  if (rc != 0) {
    /* a step (at most one point between 0 and 1) leaves vs undetermined:
     * the solver runs vs -> 0; say so */
    size_t inner = 0;
    for (size_t i = 0; i < n; i++)
      inner += p[i] > 0.005 && p[i] < 0.995;
    if (inner < 2)
      return TK_FAIL(err, TK_ENUMERIC, "logistic fit: only %zu of %zu points "
                     "lie between P = 0.005 and 0.995, the transition is "
                     "narrower than the control step (refine the control "
                     "grid around it)", inner, n);
    return rc;
  }
  if (par[1] == 0)
    return TK_FAIL(err, TK_ENUMERIC, "logistic fit found a flat transfer curve");
  /* vs = 1/s: var(vs) = var(s)/s^4, cov(v0, vs) = -cov(v0, s)/s^2. */
  double s2 = par[1] * par[1];
  res->v0_V = par[0];
  res->vs_V = 1.0 / par[1];
  res->v0_err_V = sqrt(cov[0]);
  res->vs_err_V = sqrt(cov[3]) / s2;
  res->cov_v0_vs_V2 = -cov[1] / s2;
  res->chi2 = o.chi2;
  res->dof = o.dof;
  res->chi2_red = o.chi2_red;
  return TK_OK;
}

/* ---- softmax ---- */

cal_softmax_params cal_softmax_default_params(void)
{
  cal_softmax_params p;
  p.se_floor = 1e-3;
  return p;
}

/* Parameter vector: par[0..K-2] = a_1..a_{K-1}, par[K-1..2K-2] = b_0..b_{K-1}. */
static void smx_unpack(const double *par, unsigned K, double *a, double *b)
{
  a[0] = 0;
  for (unsigned k = 1; k < K; k++)
    a[k] = par[k - 1];
  for (unsigned k = 0; k < K; k++)
    b[k] = par[K - 1 + k];
}

static void smx_prob(const double *a, const double *b, unsigned K,
                     const double *v, double *prob)
{
  double l[CAL_MAX_STATES], lmax = -INFINITY, z = 0;
  for (unsigned k = 0; k < K; k++) {
    l[k] = a[k] + b[k] * v[k];
    lmax = fmax(lmax, l[k]);
  }
  for (unsigned k = 0; k < K; k++) {
    prob[k] = exp(l[k] - lmax);
    z += prob[k];
  }
  for (unsigned k = 0; k < K; k++)
    prob[k] /= z;
}

void cal_softmax_eval(const cal_softmax_model *m, const double *ctl_V,
                      double *prob)
{
  smx_prob(m->a, m->b_per_V, m->K, ctl_V, prob);
}

typedef struct smx_ctx {
  const double *v, *p, *se;  /* [M*K] */
  size_t M;                  /* points */
  unsigned K;                /* states */
  double floor;              /* se floor */
  int linear;                /* 1: start-up fit of log-ratios to state 0 */
} smx_ctx;

static int smx_resid(const double *par, void *ctx, double *r)
{
  const smx_ctx *c = ctx;
  unsigned K = c->K;
  double a[CAL_MAX_STATES], b[CAL_MAX_STATES], prob[CAL_MAX_STATES];
  smx_unpack(par, K, a, b);
  for (size_t m = 0; m < c->M; m++) {
    const double *v = c->v + m * K, *p = c->p + m * K, *se = c->se + m * K;
    if (c->linear) {
      /* log(p_k / p_0) = a_k + b_k V_k - b_0 V_0, k >= 1 (K - 1 rows) and
       * one zero row to keep the shapes equal. */
      double l0 = log(fmax(p[0], c->floor));
      for (unsigned k = 1; k < K; k++)
        r[m * K + k] = log(fmax(p[k], c->floor)) - l0 -
                       (a[k] + b[k] * v[k] - b[0] * v[0]);
      r[m * K] = 0;
    } else {
      /* Pearson form with the MODEL's variance, (p_k - P_k) / sqrt(P_k
       * g), the point's g = se_k^2 / (p_k (1 - p_k)) pooled over its
       * states: for multinomial errors the K terms of a point sum to chi2
       * with K - 1 degrees of freedom (see cal_fit.h), and points whose
       * noise came out low get no extra weight */
      smx_prob(a, b, K, v, prob);
      double num = 0, den = 0;
      for (unsigned k = 0; k < K; k++) {
        num += se[k] * se[k];
        den += p[k] * (1 - p[k]);
      }
      double g = den > 0 ? num / den : 0;
      for (unsigned k = 0; k < K; k++)
        r[m * K + k] = (p[k] - prob[k]) /
                       sqrt(prob[k] * g + c->floor * c->floor);
    }
  }
  return 0;
}

int cal_softmax_fit(const double *ctl_V, const double *p, const double *se,
                    size_t M, unsigned K, const cal_softmax_params *prm,
                    cal_softmax_model *m, tk_err *err)
{
  cal_softmax_params dp = cal_softmax_default_params();
  if (prm == NULL)
    prm = &dp;
  if (ctl_V == NULL || p == NULL || se == NULL || m == NULL)
    return TK_FAIL(err, TK_EINVAL, "cal_softmax_fit needs data and a model");
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "state count %u must be in [2, %d]", K,
                   CAL_MAX_STATES);
  size_t npar = 2 * (size_t)K - 1;
  if (M * (K - 1) <= npar)
    return TK_FAIL(err, TK_EINVAL, "%zu points x %u states are too few for %zu "
                   "parameters", M, K, npar);
  if (!(prm->se_floor > 0))
    return TK_FAIL(err, TK_EINVAL, "se_floor %g must be > 0", prm->se_floor);
  for (size_t i = 0; i < M * K; i++)
    if (!isfinite(ctl_V[i]) || !(p[i] >= 0 && p[i] <= 1) || !(se[i] >= 0))
      return TK_FAIL(err, TK_EINVAL, "point %zu state %zu: V %g, p %g, se %g",
                     i / K, i % K, ctl_V[i], p[i], se[i]);
  double par[2 * CAL_MAX_STATES], cov[4 * CAL_MAX_STATES * CAL_MAX_STATES];
  for (size_t j = 0; j < npar; j++)
    par[j] = 0;
  smx_ctx c = {ctl_V, p, se, M, K, prm->se_floor, 1};
  cal__lsq_out o;
  /* Linear start (log-ratios); if it is singular the nonlinear fit starts
   * from zero, which is a valid point of the softmax. */
  tk_err ignore = {0};
  if (cal__lsq(smx_resid, &c, M * K, npar, par, cov, CAL_COV_SCALED, &o,
               &ignore) != TK_OK)
    for (size_t j = 0; j < npar; j++)
      par[j] = 0;
  c.linear = 0;
  TK_TRY(cal__lsq(smx_resid, &c, M * K, npar, par, cov, CAL_COV_ABSOLUTE, &o, err));
  memset(m, 0, sizeof *m);
  m->K = K;
  smx_unpack(par, K, m->a, m->b_per_V);
  for (unsigned k = 1; k < K; k++)
    m->a_err[k] = sqrt(cov[(k - 1) * npar + (k - 1)]);
  for (unsigned k = 0; k < K; k++) {
    size_t j = K - 1 + k;
    m->b_err_per_V[k] = sqrt(cov[j * npar + j]);
  }
  m->chi2 = o.chi2;
  m->dof = M * (K - 1) - npar;
  m->chi2_red = o.chi2 / (double)m->dof;
  return TK_OK;
}

int cal_softmax_inverse(const cal_softmax_model *m, const double *q,
                        double vmin_V, double vmax_V, double *ctl_V,
                        tk_err *err)
{
  if (m == NULL || q == NULL || ctl_V == NULL)
    return TK_FAIL(err, TK_EINVAL, "cal_softmax_inverse needs a model, a target "
                   "and an output");
  unsigned K = m->K;
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "model has %u states", K);
  if (!(vmax_V > vmin_V))
    return TK_FAIL(err, TK_EINVAL, "control range [%g, %g] V is empty", vmin_V,
                   vmax_V);
  double qs = 0;
  for (unsigned k = 0; k < K; k++) {
    if (!(q[k] > 0) || !isfinite(q[k]))
      return TK_FAIL(err, TK_ERANGE, "target probability q[%u] = %g must be > 0 "
                     "(a softmax never reaches 0)", k, q[k]);
    if (!(m->b_per_V[k] != 0) || !isfinite(m->b_per_V[k]))
      return TK_FAIL(err, TK_ERANGE, "state %u's slope is %g: its control has no "
                     "effect", k, m->b_per_V[k]);
    qs += q[k];
  }
  /* V_k(C) = u_k + C / b_k. */
  double u[CAL_MAX_STATES], vmid = 0.5 * (vmin_V + vmax_V), num = 0, den = 0;
  double clo = -INFINITY, chi = INFINITY;
  for (unsigned k = 0; k < K; k++) {
    double b = m->b_per_V[k];
    u[k] = (log(q[k] / qs) - m->a[k]) / b;
    num += (vmid - u[k]) / b;
    den += 1.0 / (b * b);
    /* vmin <= u + C/b <= vmax  ->  an interval of C. */
    double c1 = (vmin_V - u[k]) * b, c2 = (vmax_V - u[k]) * b;
    clo = fmax(clo, fmin(c1, c2));
    chi = fmin(chi, fmax(c1, c2));
  }
  if (clo > chi)
    return TK_FAIL(err, TK_ERANGE, "target distribution is out of reach within "
                   "controls [%g, %g] V", vmin_V, vmax_V);
  double C = num / den;
  C = C < clo ? clo : C > chi ? chi : C;
  for (unsigned k = 0; k < K; k++)
    ctl_V[k] = fmin(vmax_V, fmax(vmin_V, u[k] + C / m->b_per_V[k]));
  return TK_OK;
}

double cal_tv_distance(const double *p, const double *q, unsigned K)
{
  double s = 0;
  for (unsigned k = 0; k < K; k++)
    s += fabs(p[k] - q[k]);
  return 0.5 * s;
}
