/* cal_mismatch.c -- Pelgrom mismatch draws and parameter spreads (see
 * cal_mismatch.h).  Workload: O(instances x devices), negligible next to
 * the simulations the draws feed. */
#include "calibrate/cal_mismatch.h"

#include <math.h>

#include "common/tk_rng.h"

double cal_pelgrom_sigma_V(double a_vt_V_m, double w_m, double l_m)
{
  if (!(a_vt_V_m > 0) || !(w_m > 0) || !(l_m > 0))
    return NAN;
  return a_vt_V_m / sqrt(w_m * l_m);
}

int cal_mismatch_draw(uint64_t seed, uint64_t instance, double a_vt_V_m,
                      const double *w_m, const double *l_m, size_t n,
                      double *dvth_V, tk_err *err)
{
  if ((n > 0 && (w_m == NULL || l_m == NULL || dvth_V == NULL)) ||
      !(a_vt_V_m > 0) || !isfinite(a_vt_V_m))
    return TK_FAIL(err, TK_EINVAL, "mismatch: A_VT %g V m must be > 0 and "
                   "every array given", a_vt_V_m);
  for (size_t i = 0; i < n; i++) {
    double s = cal_pelgrom_sigma_V(a_vt_V_m, w_m[i], l_m[i]);
    if (!isfinite(s))
      return TK_FAIL(err, TK_EINVAL, "mismatch: device %zu has W %g m, L %g "
                     "m (both must be > 0)", i, w_m[i], l_m[i]);
    /* two normals per Philox block: device i uses block i / 2 */
    double g[2];
    tk_rng_gauss2_at(seed, CAL_MISMATCH_STREAM + instance, i >> 1, g);
    dvth_V[i] = s * g[i & 1];
  }
  return TK_OK;
}

void cal_spread(const double *x, size_t n, double *mean, double *sd,
                size_t *n_used)
{
  double s = 0, q = 0;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) {
      s += x[i];
      m++;
    }
  double mu = m ? s / (double)m : NAN;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i]))
      q += (x[i] - mu) * (x[i] - mu);
  if (mean)
    *mean = mu;
  if (sd)
    *sd = m >= 2 ? sqrt(q / (double)(m - 1)) : NAN;
  if (n_used)
    *n_used = m;
}
