/* cal_energy.c -- energy per independent sample = supply power x tau (see
 * cal_energy.h).  Workload: one pass over a current trace. */
#include "calibrate/cal_energy.h"

#include <math.h>

static int finish(double power_W, double tau_s, double tau_err_s,
                  cal_energy_result *res, tk_err *err)
{
  if (!(tau_s > 0) || !isfinite(tau_s) || !(tau_err_s >= 0))
    return TK_FAIL(err, TK_EINVAL, "correlation time %g s must be > 0 (error %g "
                   ">= 0)", tau_s, tau_err_s);
  if (!isfinite(power_W))
    return TK_FAIL(err, TK_ENUMERIC, "supply power is not finite");
  if (!(power_W > 0))
    return TK_FAIL(err, TK_ERANGE, "mean supply power %g W is not positive: the "
                   "current must flow from the supply into the cell (negate "
                   "SPICE's branch current)", power_W);
  res->power_W = power_W;
  res->e_J = power_W * tau_s;
  res->e_err_J = res->e_J * tau_err_s / tau_s;
  return TK_OK;
}

int cal_energy_from_current(const double *i_A, size_t n, double vdd_V,
                            double tau_s, double tau_err_s,
                            cal_energy_result *res, tk_err *err)
{
  if (i_A == NULL || res == NULL || n == 0)
    return TK_FAIL(err, TK_EINVAL, "cal_energy_from_current needs a current trace");
  if (!(vdd_V > 0) || !isfinite(vdd_V))
    return TK_FAIL(err, TK_EINVAL, "supply voltage %g V must be > 0", vdd_V);
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += i_A[i];
  return finish(vdd_V * s / (double)n, tau_s, tau_err_s, res, err);
}

int cal_energy_from_total(double e_supply_J, double duration_s, double tau_s,
                          double tau_err_s, cal_energy_result *res, tk_err *err)
{
  if (res == NULL)
    return TK_FAIL(err, TK_EINVAL, "cal_energy_from_total needs a result");
  if (!(duration_s > 0) || !isfinite(duration_s))
    return TK_FAIL(err, TK_EINVAL, "duration %g s must be > 0", duration_s);
  return finish(e_supply_J / duration_s, tau_s, tau_err_s, res, err);
}
