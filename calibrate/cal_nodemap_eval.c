/* cal_nodemap_eval.c -- a loaded cal_nodemap evaluated per update (see
 * cal_nodemap.h): categorical targets to controls through the
 * priority / softmax inverse (or the reachability grid when the chip is
 * compensated and nominal), and gmm weights from a conditional mean.
 */
#include "calibrate/cal_nodemap.h"
#include "calibrate/cal_nodemap_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_fit.h"
#include "calibrate/cal_priority.h"
#include "common/tk_rng.h"

/* ---- categorical ---- */

static int check_kind(const cal_nodemap *m, cal_nodemap_kind k, size_t inst,
                      tk_err *err)
{
  if (m == NULL)
    return TK_FAIL(err, TK_EINVAL, "node map: NULL");
  if (m->info.kind != k)
    return TK_FAIL(err, TK_EINVAL, "cell '%s' is a %s cell, not %s",
                   m->info.cell, cal__nodemap_kind_word(m->info.kind),
                   cal__nodemap_kind_word(k));
  if (inst >= m->n_inst)
    return TK_FAIL(err, TK_EINVAL, "instance %zu of %zu", inst, m->n_inst);
  return TK_OK;
}

/* The chip-temperature model of instance inst, evaluated at ctl_V. */
static void cat_forward(const cal_nodemap *m, size_t inst,
                        const double *ctl_V, double *p)
{
  double dv = m->dv0_V[inst], s = m->svs[inst];
  if (m->info.priority) {
    cal_priority_model pm = m->chip.pm;
    for (unsigned k = 0; k < pm.K; k++) {
      pm.v0_V[k] += dv;
      pm.vs_V[k] *= s;
    }
    cal_priority_eval(&pm, ctl_V, p);
    return;
  }
  /* softmax: logit_k = a_k + b_k V_k; the instance moves state k's
   * midpoint c_k = -a_k / b_k by dv and scales its slope by 1/s */
  cal_softmax_model sm = m->chip.sm;
  for (unsigned k = 0; k < sm.K; k++) {
    double b = sm.b_per_V[k];
    if (b == 0)
      continue;
    double c = -sm.a[k] / b;
    sm.b_per_V[k] = b / s;
    sm.a[k] = -(c + dv) * sm.b_per_V[k];
  }
  cal_softmax_eval(&sm, ctl_V, p);
}

/* ---- the bracketed priority inverse ----
 * cal_priority_inverse scans all 4001 grid lambdas (a log per bit each,
 * ~0.3 ms) for the one whose controls lie nearest the middle of the
 * range, then refines it by golden section.  Every bit p_k(lambda) =
 * q_k / (prod_{j<k} (1 - p_j) + lambda w_k) falls as lambda grows (p_0
 * does, so the product rises, so p_1 falls, ...), so "every control <=
 * vmax" (p_k <= dhi_k) holds from some grid index a on and "every control
 * >= vmin" (p_k >= dlo_k) up to some b: the reachable lambdas are the
 * grid interval [a, b], found by two bisections without logarithms.  On
 * it the squared distance from the middle is searched by integer ternary
 * search (the controls all fall with lambda; exact when the distance is
 * unimodal there), then the scan's own golden section (INV_GOLDEN steps)
 * from the same grid point.  Against the full scan: tests/test_cal_nodemap.c,
 * 4000 random, peaked and clipped targets, with and without mismatch
 * (fixed seed): the same controls and P(k) bit for bit, the stated limit
 * 1e-6.  ~100 grid evaluations instead of 4001: ~60x faster. */

/* Bit k's probability in (0, 1) at grid index i, sequentially. */
static inline void bits_at(const cal_nodemap *m, const double *qn, int i,
                          double *pk)
{
  double rest = 1, lam = m->lamg[i];
  for (unsigned k = 0; k < m->info.K; k++) {
    pk[k] = qn[k] / (rest + lam * m->dw[k]);
    rest *= 1 - pk[k];
  }
}

static int all_below_hi(const cal_nodemap *m, const double *qn, int i)
{
  double pk[CAL_MAX_STATES];
  bits_at(m, qn, i, pk);
  for (unsigned k = 0; k < m->info.K; k++)
    if (!(pk[k] < 1 && pk[k] <= m->dhi[k]))
      return 0;
  return 1;
}

static int all_above_lo(const cal_nodemap *m, const double *qn, int i)
{
  double pk[CAL_MAX_STATES];
  bits_at(m, qn, i, pk);
  for (unsigned k = 0; k < m->info.K; k++)
    if (!(pk[k] > 0 && pk[k] >= m->dlo[k]))
      return 0;
  return 1;
}

/* The reachable grid interval [*a, *b]; 0 when empty. */
static int bracket(const cal_nodemap *m, const double *qn, int *a, int *b)
{
  if (!all_below_hi(m, qn, INV_N) || !all_above_lo(m, qn, 0))
    return 0;
  int lo = 0, hi = INV_N;           /* first index with every p <= hi */
  if (all_below_hi(m, qn, 0))
    hi = 0;
  while (hi - lo > 1) {
    int mid = lo + (hi - lo) / 2;
    if (all_below_hi(m, qn, mid))
      hi = mid;
    else
      lo = mid;
  }
  *a = hi;
  lo = 0;                           /* last index with every p >= lo */
  hi = INV_N;
  if (all_above_lo(m, qn, INV_N))
    lo = INV_N;
  while (hi - lo > 1) {
    int mid = lo + (hi - lo) / 2;
    if (all_above_lo(m, qn, mid))
      lo = mid;
    else
      hi = mid;
  }
  *b = lo;
  return *a <= *b;
}

/* cal_priority.c's at_lambda: the controls at lambda and their squared
 * distance from the middle of the range (+inf when one leaves it). */
static double dist_at(const cal_nodemap *m, const double *qn, double lam,
                      double *v)
{
  const cal_priority_model *d = &m->design.pm;
  double rest = 1, d2 = 0, vmin = m->info.vmin_V, vmax = m->info.vmax_V;
  double vmid = 0.5 * (vmin + vmax);
  int inside = 1;
  for (unsigned k = 0; k < m->info.K; k++) {
    double pk = qn[k] / (rest + lam * m->dw[k]);
    if (!(pk > 0 && pk < 1))
      return INFINITY;
    rest *= 1 - pk;
    v[k] = d->v0_V[k] + d->vs_V[k] * log(pk / (1 - pk));
    if (!(v[k] >= vmin && v[k] <= vmax))
      inside = 0;
    d2 += (v[k] - vmid) * (v[k] - vmid);
  }
  return inside ? d2 : INFINITY;
}

static int brk_inverse(const cal_nodemap *m, const double *q, double *ctl_V)
{
  /* renormalised as cal_priority_inverse does (the last bits matter
   * where the reachable interval is a point) */
  double qn[CAL_MAX_STATES], qs = 0;
  for (unsigned k = 0; k < m->info.K; k++)
    qs += q[k];
  for (unsigned k = 0; k < m->info.K; k++)
    qn[k] = q[k] / qs;
  int a, b;
  if (!bracket(m, qn, &a, &b))
    return TK_ERANGE;
  double v[CAL_MAX_STATES];
  /* the edges as the scan sees them (its test goes through logarithms;
   * the bracket's through the sigmoid of the range ends: they can differ
   * in the last bit) */
  while (a > 0 && isfinite(dist_at(m, qn, m->lamg[a - 1], v)))
    a--;
  while (a <= b && !isfinite(dist_at(m, qn, m->lamg[a], v)))
    a++;
  while (b < INV_N && isfinite(dist_at(m, qn, m->lamg[b + 1], v)))
    b++;
  while (b >= a && !isfinite(dist_at(m, qn, m->lamg[b], v)))
    b--;
  if (a > b)
    return TK_ERANGE;
  while (b - a > 2) {
    int m1 = a + (b - a) / 3, m2 = b - (b - a) / 3;
    if (dist_at(m, qn, m->lamg[m1], v) <= dist_at(m, qn, m->lamg[m2], v))
      b = m2;
    else
      a = m1 + 1;
  }
  double best = INFINITY;
  int ib = -1;
  for (int i = a; i <= b; i++) {
    double dd = dist_at(m, qn, m->lamg[i], v);
    if (dd < best) {
      best = dd;
      ib = i;
    }
  }
  if (ib < 0)   /* the bracket's edge rounded the other way */
    return TK_ERANGE;
  double ub = -18.0 + 36.0 * ib / INV_N, step = 36.0 / INV_N;
  double lo = ub - step, hi = ub + step;
  const double g = 0.5 * (sqrt(5.0) - 1);
  for (int it = 0; it < INV_GOLDEN; it++) {
    double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
    if (dist_at(m, qn, exp(x1), v) < dist_at(m, qn, exp(x2), v))
      hi = x2;
    else
      lo = x1;
  }
  if (!isfinite(dist_at(m, qn, exp(0.5 * (lo + hi)), ctl_V)))
    (void)dist_at(m, qn, m->lamg[ib], ctl_V);
  return TK_OK;
}

/* Reachable at all (the bracket's test alone, no logarithms)? */
static int cat_reachable(const cal_nodemap *m, const double *qn)
{
  int a, b;
  return bracket(m, qn, &a, &b);
}

static int cat_inverse(const cal_nodemap *m, const double *q, double *ctl_V)
{
  if (m->brk)
    return brk_inverse(m, q, ctl_V);
  {
  /* the error text is not needed: the caller names the range */
  tk_err e = {0};
  return m->info.priority
             ? cal_priority_inverse(&m->design.pm, q, m->info.vmin_V,
                                    m->info.vmax_V, ctl_V, &e)
             : cal_softmax_inverse(&m->design.sm, q, m->info.vmin_V,
                                   m->info.vmax_V, ctl_V, &e);
  }
}

int cal_nodemap_cat(const cal_nodemap *m, size_t inst, const double *q,
                    int clip, cal_nodemap_cat_result *out, tk_err *err)
{
  TK_TRY(check_kind(m, CAL_NODEMAP_CAT, inst, err));
  unsigned K = m->info.K;
  double qn[CAL_MAX_STATES], qt[CAL_MAX_STATES], s = 0;
  for (unsigned k = 0; k < K; k++) {
    if (!(q[k] >= 0) || !isfinite(q[k]))
      return TK_FAIL(err, TK_EINVAL, "target P(state %u) = %g", k, q[k]);
    s += q[k];
  }
  if (!(s > 0))
    return TK_FAIL(err, TK_EINVAL, "target distribution sums to %g", s);
  double s2 = 0;
  for (unsigned k = 0; k < K; k++)
    s2 += (qn[k] = fmax(q[k] / s, Q_FLOOR));
  for (unsigned k = 0; k < K; k++)
    qn[k] /= s2;
  memset(out, 0, sizeof *out);
  int rc = cat_inverse(m, qn, out->ctl_V);
  if (rc != TK_OK && rc != TK_ERANGE)
    return TK_FAIL(err, rc, "cell '%s': the inverse failed", m->info.cell);
  if (rc == TK_ERANGE) {
    if (!clip) {
      char t[160] = "";
      for (unsigned k = 0; k < K; k++)
        snprintf(t + strlen(t), sizeof t - strlen(t), "%s%.4g", k ? "," : "",
                 qn[k]);
      return TK_FAIL(err, TK_ERANGE, "target distribution (%s) needs "
                     "controls outside the calibrated range %g..%g V of "
                     "cell '%s' at %g K", t, m->info.vmin_V, m->info.vmax_V,
                     m->info.cell, m->info.design_K);
    }
    for (unsigned k = 0; k < K; k++)
      qt[k] = 1.0 / K;
    if (cat_inverse(m, qt, out->ctl_V) != TK_OK)
      return TK_FAIL(err, TK_ERANGE, "cell '%s' cannot reach even the "
                     "uniform distribution inside its calibrated control "
                     "range %g..%g V", m->info.cell, m->info.vmin_V,
                     m->info.vmax_V);
    double lo = 0, hi = 1, best[CAL_MAX_STATES];
    memcpy(best, out->ctl_V, sizeof best);
    if (m->brk) {
      /* bisect on reachability alone, one inverse at the end: the same
       * decisions as below, the bracket being the scan's own test */
      for (int it = 0; it < PULL_ITERS; it++) {
        double t = 0.5 * (lo + hi);
        for (unsigned k = 0; k < K; k++)
          qt[k] = (1 - t) * qn[k] + t / K;
        if (cat_reachable(m, qt))
          hi = t;
        else
          lo = t;
      }
      for (unsigned k = 0; k < K; k++)
        qt[k] = (1 - hi) * qn[k] + hi / K;
      if (hi < 1 && cat_inverse(m, qt, best) != TK_OK)
        memcpy(best, out->ctl_V, sizeof best);
    } else {
      for (int it = 0; it < PULL_ITERS; it++) {
        double t = 0.5 * (lo + hi), v[CAL_MAX_STATES];
        for (unsigned k = 0; k < K; k++)
          qt[k] = (1 - t) * qn[k] + t / K;
        if (cat_inverse(m, qt, v) == TK_OK) {
          hi = t;
          memcpy(best, v, sizeof best);
        } else {
          lo = t;
        }
      }
    }
    memcpy(out->ctl_V, best, sizeof best);
    out->pull = hi;
  }
  cat_forward(m, inst, out->ctl_V, out->p);
  for (unsigned k = 0; k < K; k++)
    out->err = fmax(out->err, fabs(out->p[k] - qn[k]));
  return TK_OK;
}

/* Is qn reachable at a grid lambda (the bits p_k = q_k / (prod_{j<k}
 * (1 - p_j) + lambda w_k) of cal_priority.h all within the control
 * range)? */
static int reachable(const cal_nodemap *m, const double *qn)
{
  const cal_priority_model *d = &m->design.pm;
  unsigned K = m->info.K;
  for (int i = 0; i <= LAM_N; i++) {
    double rest = 1;
    unsigned k = 0;
    for (; k < K; k++) {
      double pk = qn[k] / (rest + m->lam[i] * (d->w[k] > 0 ? d->w[k] : 1.0));
      if (!(pk >= m->plo[k] && pk <= m->phi[k]))
        break;
      rest *= 1 - pk;
    }
    if (k == K)
      return 1;
  }
  return 0;
}

int cal_nodemap_cat_p(const cal_nodemap *m, size_t inst, const double *q,
                      int clip, double *p, double *err_max, tk_err *err)
{
  TK_TRY(check_kind(m, CAL_NODEMAP_CAT, inst, err));
  unsigned K = m->info.K;
  if (m->fast && m->dv0_V[inst] == 0 && m->svs[inst] == 1) {
    double qn[CAL_MAX_STATES], s = 0, s2 = 0;
    for (unsigned k = 0; k < K; k++) {
      if (!(q[k] >= 0) || !isfinite(q[k]))
        return TK_FAIL(err, TK_EINVAL, "target P(state %u) = %g", k, q[k]);
      s += q[k];
    }
    if (!(s > 0))
      return TK_FAIL(err, TK_EINVAL, "target distribution sums to %g", s);
    for (unsigned k = 0; k < K; k++)
      s2 += (qn[k] = fmax(q[k] / s, Q_FLOOR));
    for (unsigned k = 0; k < K; k++)
      qn[k] /= s2;
    if (reachable(m, qn)) {
      memcpy(p, qn, K * sizeof *p);
      *err_max = 0;
      return TK_OK;
    }
    if (clip) {
      double qt[CAL_MAX_STATES], lo = 0, hi = 1;
      for (unsigned k = 0; k < K; k++)
        qt[k] = 1.0 / K;
      if (reachable(m, qt)) {
        for (int it = 0; it < PULL_ITERS; it++) {
          double t = 0.5 * (lo + hi);
          for (unsigned k = 0; k < K; k++)
            qt[k] = (1 - t) * qn[k] + t / K;
          if (reachable(m, qt))
            hi = t;
          else
            lo = t;
        }
        *err_max = 0;
        for (unsigned k = 0; k < K; k++) {
          p[k] = (1 - hi) * qn[k] + hi / K;
          *err_max = fmax(*err_max, fabs(p[k] - qn[k]));
        }
        return TK_OK;
      }
    }
  }
  cal_nodemap_cat_result r;
  TK_TRY(cal_nodemap_cat(m, inst, q, clip, &r, err));
  memcpy(p, r.p, K * sizeof *p);
  *err_max = r.err;
  return TK_OK;
}

int cal_nodemap_cat_eval(const cal_nodemap *m, size_t inst,
                         const double *ctl_V, double *p, tk_err *err)
{
  TK_TRY(check_kind(m, CAL_NODEMAP_CAT, inst, err));
  for (unsigned k = 0; k < m->info.K; k++)
    if (!isfinite(ctl_V[k]))
      return TK_FAIL(err, TK_EINVAL, "control %u is not finite", k);
  cat_forward(m, inst, ctl_V, p);
  return TK_OK;
}

/* ---- Gaussian mixture ---- */

static void gmm_fill(const cal_nodemap *m, size_t inst, double v,
                     cal_nodemap_gmm_result *out)
{
  const tmodel *c = &m->chip;
  out->ctl_V = v;
  out->w0 = cal__nodemap_sigmoid((v - (c->w_v0_V + m->dv0_V[inst])) /
                    (c->w_vs_V * m->svs[inst]));
  for (int j = 0; j < 2; j++) {
    out->mu_V[j] = c->mu_V[j];
    out->sd_V[j] = c->sd_V[j];
    out->mu_x[j] = (c->mu_V[j] - m->info.centre_V) / m->info.half_V;
    out->sd_x[j] = c->sd_V[j] / m->info.half_V;
  }
}

int cal_nodemap_gmm(const cal_nodemap *m, size_t inst, double w0, int clip,
                    cal_nodemap_gmm_result *out, tk_err *err)
{
  TK_TRY(check_kind(m, CAL_NODEMAP_GMM, inst, err));
  if (!(w0 > 0 && w0 < 1))
    return TK_FAIL(err, TK_ERANGE, "lower-mode weight %g must be in (0, 1)",
                   w0);
  const tmodel *d = &m->design;
  double v = d->w_v0_V + d->w_vs_V * log(w0 / (1 - w0));
  if (!(v >= m->info.vmin_V && v <= m->info.vmax_V)) {
    if (!clip)
      return TK_FAIL(err, TK_ERANGE, "lower-mode weight %g needs control "
                     "%.4g V, outside the calibrated range %g..%g V of cell "
                     "'%s' (weights %.4g..%.4g)", w0, v, m->info.vmin_V,
                     m->info.vmax_V, m->info.cell, m->info.w0_min,
                     m->info.w0_max);
    v = fmin(fmax(v, m->info.vmin_V), m->info.vmax_V);
  }
  memset(out, 0, sizeof *out);
  gmm_fill(m, inst, v, out);
  out->err = fabs(out->w0 - w0);
  return TK_OK;
}

int cal_nodemap_gmm_mean(const cal_nodemap *m, size_t inst, double mean_x,
                         int clip, cal_nodemap_gmm_result *out, tk_err *err)
{
  TK_TRY(check_kind(m, CAL_NODEMAP_GMM, inst, err));
  if (!isfinite(mean_x))
    return TK_FAIL(err, TK_EINVAL, "target mean %g", mean_x);
  /* design modes sit at -1 and +1 in node units */
  double w0 = 0.5 * (1 - mean_x);
  double wlo = m->info.w0_min, whi = m->info.w0_max;
  if (!(w0 >= wlo && w0 <= whi)) {
    if (!clip)
      return TK_FAIL(err, TK_ERANGE, "conditional mean %.4g (node units) "
                     "is outside what cell '%s' reaches in its calibrated "
                     "control range %g..%g V: %.4g..%.4g", mean_x,
                     m->info.cell, m->info.vmin_V, m->info.vmax_V,
                     1 - 2 * whi, 1 - 2 * wlo);
    w0 = fmin(fmax(w0, wlo), whi);
  }
  TK_TRY(cal_nodemap_gmm(m, inst, w0, 1, out, err));
  double got = out->w0 * out->mu_x[0] + (1 - out->w0) * out->mu_x[1];
  out->err = fabs(got - mean_x);
  return TK_OK;
}
