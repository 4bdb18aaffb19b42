/* cal_priority.c -- priority-encoder model of a categorical cell (see
 * cal_priority.h).  Workload: one LM fit of 2K parameters over M K
 * residuals per temperature; the inverse scans lambda on a grid of 4000
 * points and refines by golden section. */
#include "calibrate/cal_priority.h"

#include <math.h>
#include <string.h>

#include "calibrate/cal_fit.h"
#include "calibrate/cal_lsq.h"

#define SE_FLOOR 1e-3

/* P(k | V) for midpoints v0, inverse scales s = 1/vs and hold weights w
 * (NULL: all 1): the active line plus the held share of the time no line
 * is high (cal_priority.h). */
static void prio_prob(const double *v0, const double *s, const double *w,
                      unsigned K, const double *v, double *prob)
{
  double rest = 1, sum_wp = 0, pk[CAL_MAX_STATES];
  for (unsigned k = 0; k < K; k++) {
    pk[k] = cal_sigmoid((v[k] - v0[k]) * s[k]);
    prob[k] = pk[k] * rest;
    rest *= 1 - pk[k];
    sum_wp += (w ? w[k] : 1.0) * pk[k];
  }
  if (!(sum_wp > 0)) {   /* every bit off to double precision */
    for (unsigned k = 0; k < K; k++)
      prob[k] = 1.0 / K;
    return;
  }
  for (unsigned k = 0; k < K; k++)
    prob[k] += rest * (w ? w[k] : 1.0) * pk[k] / sum_wp;
}

void cal_priority_eval(const cal_priority_model *m, const double *ctl_V,
                       double *prob)
{
  double s[CAL_MAX_STATES], w[CAL_MAX_STATES];
  for (unsigned k = 0; k < m->K; k++) {
    s[k] = 1.0 / m->vs_V[k];
    w[k] = m->w[k] > 0 ? m->w[k] : 1.0;   /* unset weights: 1 */
  }
  prio_prob(m->v0_V, s, w, m->K, ctl_V, prob);
}

typedef struct prio_ctx {
  const double *v, *p, *se;  /* [M*K] */
  size_t M;                  /* points */
  unsigned K;                /* states */
  int weights;               /* 1: par carries ln w_1..ln w_{K-1} */
} prio_ctx;

/* par = (v0_0..v0_{K-1}, s_0..s_{K-1}[, ln w_1..ln w_{K-1}]), s = 1/vs. */
static int prio_resid(const double *par, void *ctx, double *r)
{
  const prio_ctx *c = ctx;
  unsigned K = c->K;
  double prob[CAL_MAX_STATES], w[CAL_MAX_STATES];
  w[0] = 1;
  for (unsigned k = 1; k < K; k++)
    w[k] = c->weights ? exp(par[2 * K + k - 1]) : 1.0;
  for (size_t m = 0; m < c->M; m++) {
    const double *v = c->v + m * K, *p = c->p + m * K, *se = c->se + m * K;
    prio_prob(par, par + K, w, K, v, prob);
    /* Pearson residuals with the MODEL's variance, P_k g / n, the point's
     * g / n pooled from its measured errors (se_k^2 = p_k (1 - p_k) g / n):
     * weights taken from the measured p_k instead favour the points whose
     * noise came out low and bias the fit towards low probabilities */
    double num = 0, den = 0;
    for (unsigned k = 0; k < K; k++) {
      num += se[k] * se[k];
      den += p[k] * (1 - p[k]);
    }
    double g = den > 0 ? num / den : SE_FLOOR * SE_FLOOR;
    for (unsigned k = 0; k < K; k++)
      r[m * K + k] = (p[k] - prob[k]) /
                     sqrt(fmax(prob[k] * g, SE_FLOOR * SE_FLOOR));
  }
  return 0;
}

int cal_priority_fit(const double *ctl_V, const double *p, const double *se,
                     size_t M, unsigned K, cal_priority_model *m,
                     tk_err *err)
{
  if (ctl_V == NULL || p == NULL || se == NULL || m == NULL)
    return TK_FAIL(err, TK_EINVAL, "cal_priority_fit needs data and a model");
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "state count %u must be in [2, %d]", K,
                   CAL_MAX_STATES);
  size_t npar = 2 * (size_t)K;
  if (M * (K - 1) <= npar)
    return TK_FAIL(err, TK_EINVAL, "%zu points x %u states are too few for "
                   "%zu parameters", M, K, npar);
  for (size_t i = 0; i < M * K; i++)
    if (!isfinite(ctl_V[i]) || !(p[i] >= 0 && p[i] <= 1) || !(se[i] >= 0))
      return TK_FAIL(err, TK_EINVAL, "point %zu state %zu: V %g, p %g, se %g",
                     i / K, i % K, ctl_V[i], p[i], se[i]);
  /* Start: the softmax's slopes (in the rare-bit regime the two models
   * coincide with s_k = b_k), midpoints where a bit at the mean control
   * would be on a fifth of the time; if the softmax fails, slopes of
   * 4 / (control span). */
  double par[3 * CAL_MAX_STATES], cov[9 * CAL_MAX_STATES * CAL_MAX_STATES];
  cal_softmax_model sm;
  tk_err ignore = {0};
  int have_sm = cal_softmax_fit(ctl_V, p, se, M, K, NULL, &sm, &ignore) == 0;
  for (unsigned k = 0; k < K; k++) {
    double mean = 0, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < M; i++) {
      mean += ctl_V[i * K + k];
      lo = fmin(lo, ctl_V[i * K + k]);
      hi = fmax(hi, ctl_V[i * K + k]);
    }
    mean /= (double)M;
    double s = have_sm && sm.b_per_V[k] > 0 ? sm.b_per_V[k]
                                            : 4.0 / fmax(hi - lo, 1e-6);
    par[K + k] = s;
    par[k] = mean + log(4.0) / s;   /* sigmoid((mean - v0) s) = 0.2 */
  }
  /* with hold weights first (3K - 1 parameters), starting from w = 1;
   * without them when the data cannot pin them (bits rarely all off) */
  double par0[3 * CAL_MAX_STATES];
  memcpy(par0, par, npar * sizeof *par);
  for (unsigned k = 1; k < K; k++)
    par[2 * K + k - 1] = 0;
  size_t nw = 3 * (size_t)K - 1;
  prio_ctx c = {ctl_V, p, se, M, K, 1};
  cal__lsq_out o;
  tk_err e1 = {0};
  int rc = M * (K - 1) > nw
               ? cal__lsq(prio_resid, &c, M * K, nw, par, cov,
                          CAL_COV_ABSOLUTE, &o, &e1)
               : TK_EINVAL;
  if (rc != 0) {
    memcpy(par, par0, npar * sizeof *par);
    c.weights = 0;
    nw = npar;
    rc = cal__lsq(prio_resid, &c, M * K, npar, par, cov, CAL_COV_ABSOLUTE,
                  &o, err);
    if (rc != 0)
      return tk_err_wrap(err, rc, "priority-encoder fit");
  }
  npar = nw;
  memset(m, 0, sizeof *m);
  m->K = K;
  m->w[0] = 1;
  m->w_err[0] = 0;
  for (unsigned k = 0; k < K; k++) {
    double s = par[K + k];
    if (!(s != 0) || !isfinite(s))
      return TK_FAIL(err, TK_ENUMERIC, "priority-encoder fit: bit %u has a "
                     "flat response", k);
    m->v0_V[k] = par[k];
    m->vs_V[k] = 1.0 / s;
    m->v0_err_V[k] = sqrt(cov[k * npar + k]);
    m->vs_err_V[k] = sqrt(cov[(K + k) * npar + K + k]) / (s * s);
    if (k > 0) {
      size_t j = 2 * K + k - 1;
      m->w[k] = c.weights ? exp(par[j]) : 1.0;
      m->w_err[k] = c.weights ? m->w[k] * sqrt(cov[j * npar + j]) : 0;
    }
  }
  m->chi2 = o.chi2;
  m->dof = M * (K - 1) - npar;
  m->chi2_red = o.chi2 / (double)m->dof;
  return TK_OK;
}

/* Controls for target qn (normalised) at lambda = prod(1 - p) / sum p:
 * p_k = q_k / (prod_{j<k} (1 - p_j) + lambda).  Returns the squared
 * distance from vmid, or +inf when a control leaves [vmin, vmax]. */
static double at_lambda(const cal_priority_model *m, const double *qn,
                        double lam, double vmin, double vmax, double *v)
{
  double rest = 1, d2 = 0, vmid = 0.5 * (vmin + vmax);
  int inside = 1;
  for (unsigned k = 0; k < m->K; k++) {
    double pk = qn[k] / (rest + lam * (m->w[k] > 0 ? m->w[k] : 1.0));
    if (!(pk > 0 && pk < 1))
      return INFINITY;
    rest *= 1 - pk;
    v[k] = m->v0_V[k] + m->vs_V[k] * log(pk / (1 - pk));
    if (!(v[k] >= vmin && v[k] <= vmax))
      inside = 0;
    d2 += (v[k] - vmid) * (v[k] - vmid);
  }
  return inside ? d2 : INFINITY;
}

int cal_priority_inverse(const cal_priority_model *m, const double *q,
                         double vmin_V, double vmax_V, double *ctl_V,
                         tk_err *err)
{
  if (m == NULL || q == NULL || ctl_V == NULL)
    return TK_FAIL(err, TK_EINVAL, "cal_priority_inverse needs a model, a "
                   "target and an output");
  unsigned K = m->K;
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "model has %u states", K);
  if (!(vmax_V > vmin_V))
    return TK_FAIL(err, TK_EINVAL, "control range [%g, %g] V is empty",
                   vmin_V, vmax_V);
  double qn[CAL_MAX_STATES], qs = 0, v[CAL_MAX_STATES];
  for (unsigned k = 0; k < K; k++) {
    if (!(q[k] > 0) || !isfinite(q[k]))
      return TK_FAIL(err, TK_ERANGE, "target probability q[%u] = %g must be "
                     "> 0", k, q[k]);
    if (!(m->vs_V[k] > 0) || !isfinite(m->v0_V[k]))
      return TK_FAIL(err, TK_ERANGE, "bit %u: vs %g V, v0 %g V (need vs > 0)",
                     k, m->vs_V[k], m->v0_V[k]);
    qs += q[k];
  }
  for (unsigned k = 0; k < K; k++)
    qn[k] = q[k] / qs;
  /* scan ln lambda on a grid over [-18, 18], then golden section */
  const int ng = 4000;
  double best = INFINITY, ub = NAN;
  for (int i = 0; i <= ng; i++) {
    double u = -18.0 + 36.0 * i / ng;
    double d = at_lambda(m, qn, exp(u), vmin_V, vmax_V, v);
    if (d < best) {
      best = d;
      ub = u;
    }
  }
  if (!isfinite(best))
    return TK_FAIL(err, TK_ERANGE, "target distribution is out of reach "
                   "within controls [%g, %g] V", vmin_V, vmax_V);
  double a = ub - 36.0 / ng, b = ub + 36.0 / ng;
  const double g = 0.5 * (sqrt(5.0) - 1);
  for (int it = 0; it < 60; it++) {
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    if (at_lambda(m, qn, exp(x1), vmin_V, vmax_V, v) <
        at_lambda(m, qn, exp(x2), vmin_V, vmax_V, v))
      b = x2;
    else
      a = x1;
  }
  if (!isfinite(at_lambda(m, qn, exp(0.5 * (a + b)), vmin_V, vmax_V, ctl_V)))
    (void)at_lambda(m, qn, exp(ub), vmin_V, vmax_V, ctl_V);
  return TK_OK;
}
