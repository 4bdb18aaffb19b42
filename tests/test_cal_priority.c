/* test_cal_priority.c -- the priority-encoder model of a chain of pbits
 * (calibrate/cal_priority.h): fit recovers known parameters (midpoints,
 * slopes, hold weights) from multinomial data, the inverse is exact on the model, an out-of-range
 * target is refused, and the softmax cannot describe such data.
 *
 * Workload: 48 control vectors x 4000 categorical draws, two LM fits;
 * milliseconds.
 */
#include <math.h>
#include <string.h>

#include "calibrate/cal_fit.h"
#include "calibrate/cal_priority.h"
#include "common/tk_rng.h"
#include "tests/tk_test.h"

#define NK 4
#define M 48
#define NDRAW 4000

int main(void)
{
  tk_err err = {0};
  cal_priority_model tru;
  memset(&tru, 0, sizeof tru);
  tru.K = NK;
  const double v0[NK] = {0.33314, 0.33338, 0.33291, 0.33357};
  const double vs[NK] = {0.000713, 0.000662, 0.000748, 0.000617};
  for (int k = 0; k < NK; k++) {
    tru.v0_V[k] = v0[k];
    tru.vs_V[k] = vs[k];
  }
  /* probabilities sum to 1; the hold state is shared like the rest */
  double ctl0[NK] = {0.3325, 0.3339, 0.3331, 0.3318}, pr[NK], s = 0;
  cal_priority_eval(&tru, ctl0, pr);
  for (int k = 0; k < NK; k++)
    s += pr[k];
  TKT_OK(fabs(s - 1) < 1e-12, "P sums to 1 (%.15g)", s);
  /* bit 1 always on: states 2, 3 vanish, state 0 keeps p_0 */
  double hi1[NK] = {0.3325, 0.36, 0.3331, 0.3318};
  cal_priority_eval(&tru, hi1, pr);
  double p0 = cal_sigmoid((0.3325 - v0[0]) / vs[0]);
  TKT_OK(fabs(pr[0] - p0) < 1e-9 && pr[2] < 1e-9 && pr[3] < 1e-9,
         "bit 1 on: P(0) = p_0 = %.4f, P(2), P(3) ~ 0 (%.4f %.3g %.3g)", p0,
         pr[0], pr[2], pr[3]);

  /* data: M random control vectors in [0.3290, 0.3370]^4, NDRAW
   * categorical draws each (fixed seed), se = sqrt(p (1 - p) / NDRAW) */
  static double ctl[M * NK], p[M * NK], se[M * NK];
  tk_rng r;
  tk_rng_init(&r, 2024, 9);
  for (int m = 0; m < M; m++) {
    for (int k = 0; k < NK; k++)
      ctl[m * NK + k] = 0.3290 + 0.0080 * tk_rng_uniform(&r);
    cal_priority_eval(&tru, ctl + m * NK, pr);
    int cnt[NK] = {0, 0, 0, 0};
    for (int d = 0; d < NDRAW; d++) {
      double u = tk_rng_uniform(&r), c = 0;
      int k = 0;
      while (k < NK - 1 && u >= (c += pr[k]))
        k++;
      cnt[k]++;
    }
    for (int k = 0; k < NK; k++) {
      p[m * NK + k] = (double)cnt[k] / NDRAW;
      se[m * NK + k] = sqrt(p[m * NK + k] * (1 - p[m * NK + k]) / NDRAW);
    }
  }
  cal_priority_model fit;
  int rc = cal_priority_fit(ctl, p, se, M, NK, &fit, &err);
  TKT_OK(rc == 0, "priority fit converges (%s)", tk_err_text(&err));
  if (rc == 0) {
    /* each parameter within 4 of its standard errors of the truth */
    for (int k = 0; k < NK; k++) {
      TKT_OK(fabs(fit.v0_V[k] - v0[k]) < 4 * fit.v0_err_V[k] &&
                 fabs(fit.vs_V[k] - vs[k]) < 4 * fit.vs_err_V[k],
             "bit %d: v0 %.6f +- %.2g (true %.6f), vs %.3g +- %.2g (true "
             "%.3g)", k, fit.v0_V[k], fit.v0_err_V[k], v0[k], fit.vs_V[k],
             fit.vs_err_V[k], vs[k]);
    }
    /* the hold weights of identical bits are 1 (w_0 = 1 is the gauge) */
    for (int k = 1; k < NK; k++)
      TKT_OK(fit.w_err[k] > 0 && fabs(fit.w[k] - 1) < 4 * fit.w_err[k],
             "hold weight %d: %.3f +- %.3f, 1 within 4 sigma", k, fit.w[k],
             fit.w_err[k]);
    /* chi2 / dof with dof = 48*3 - 11 = 133: sd sqrt(2/133) = 0.123,
     * 4 sigma */
    TKT_OK(fit.dof == 133, "dof = M (K - 1) - (3K - 1) = 133 (%zu)",
           fit.dof);
    TKT_IN(fit.chi2_red, 1 - 4 * 0.1226, 1 + 4 * 0.1226,
           "priority fit chi2_red ~ 1 (dof 133, 4 sigma)");
  }
  /* the softmax on the same data: misfit by far (IIA fails) */
  cal_softmax_model sm;
  rc = cal_softmax_fit(ctl, p, se, M, NK, NULL, &sm, &err);
  TKT_OK(rc != 0 || sm.chi2_red > 3, "softmax cannot describe a priority "
         "chain (chi2_red %.3g > 3)", rc == 0 ? sm.chi2_red : NAN);

  /* inverse: exact on the model, controls inside the range */
  const double q[3][NK] = {{0.053, 0.197, 0.164, 0.586},
                          {0.324, 0.063, 0.185, 0.428},
                          {0.25, 0.25, 0.25, 0.25}};
  for (int i = 0; i < 3; i++) {
    double v[NK];
    rc = cal_priority_inverse(&tru, q[i], 0.328, 0.338, v, &err);
    cal_priority_eval(&tru, v, pr);
    double tv = cal_tv_distance(pr, q[i], NK), lo = 1, hi = 0;
    for (int k = 0; k < NK; k++) {
      lo = fmin(lo, v[k]);
      hi = fmax(hi, v[k]);
    }
    TKT_OK(rc == 0 && tv < 1e-9 && lo >= 0.328 && hi <= 0.338,
           "inverse of target %d: P(controls) = target (TV %.2g), controls "
           "in [%.5f, %.5f] V", i, tv, lo, hi);
  }
  double v[NK];
  const double qx[NK] = {0.001, 0.001, 0.001, 0.997};
  rc = cal_priority_inverse(&tru, qx, 0.3320, 0.3345, v, &err);
  TKT_OK(rc == TK_ERANGE, "target out of reach in a narrow range -> "
         "TK_ERANGE (%s)", tk_err_text(&err));
  const double q0[NK] = {0.5, 0.5, 0, 0};
  rc = cal_priority_inverse(&tru, q0, 0.328, 0.338, v, &err);
  TKT_OK(rc == TK_ERANGE, "a zero target probability is refused");
  return tkt_done();
}
