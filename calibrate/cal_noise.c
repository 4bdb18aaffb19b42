/* cal_noise.c -- the pbit's transfer width from its noise node (see
 * cal_noise.h). */
#include "calibrate/cal_noise.h"

#include <math.h>
#include <stdlib.h>

#include "calibrate/cal_autocorr.h"

int cal_noise_node_measure(const double *x_V, const double *out_V, size_t n,
                           double dt_s, double vdd_V, cal_noise_node *r,
                           tk_err *err)
{
  if (x_V == NULL || out_V == NULL || r == NULL || n < 64 || !(dt_s > 0) ||
      !(vdd_V > 0))
    return TK_FAIL(err, TK_EINVAL, "noise node: need >= 64 samples, dt > 0, "
                   "VDD > 0 (got %zu, %g s, %g V)", n, dt_s, vdd_V);
  double s[2] = {0, 0}, m[2] = {0, 0};
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(x_V[i]) || !isfinite(out_V[i]))
      return TK_FAIL(err, TK_EINVAL, "noise node: sample %zu is not finite", i);
    int k = out_V[i] > 0.5 * vdd_V;
    s[k] += x_V[i];
    m[k] += 1;
  }
  double mean[2] = {m[0] > 0 ? s[0] / m[0] : 0, m[1] > 0 ? s[1] / m[1] : 0};
  r->p1 = m[1] / (double)n;
  r->shift_V = m[0] > 0 && m[1] > 0 ? mean[1] - mean[0] : NAN;
  double *f = malloc(n * sizeof *f);
  if (f == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    f[i] = x_V[i] - mean[out_V[i] > 0.5 * vdd_V];
  cal_autocorr_params ap = cal_autocorr_default_params();
  ap.max_lag = n / 4;
  cal_autocorr_result ar;
  int rc = cal_autocorr(f, n, dt_s, &ap, NULL, NULL, &ar, err);
  free(f);
  if (rc != 0)
    return rc;
  r->sigma_V = sqrt(ar.var);
  r->tau_x_s = ar.tau_int_s;
  r->tau_x_err_s = ar.tau_int_err_s;
  return TK_OK;
}

double cal_noise_model_vs(double sigma_V, double tau_x_s, double tau_s)
{
  if (!(sigma_V > 0) || !(tau_x_s > 0) || !(tau_s > 0) || !isfinite(sigma_V) ||
      !isfinite(tau_x_s) || !isfinite(tau_s))
    return NAN;
  return sqrt(sigma_V * sigma_V * tau_x_s / (tau_x_s + tau_s)) /
         CAL_PROBIT_LOGISTIC;
}
