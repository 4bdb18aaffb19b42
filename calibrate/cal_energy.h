/* cal_energy.h -- energy per independent sample of a cell.
 *
 * Workload: one supply-current trace (or one integrated supply energy) per
 * sweep point.  A cell decorrelates once per correlation time tau, so the
 * energy per independent sample is
 *     E = P_supply x tau,    P_supply = V_DD x mean(I_supply)   (J).
 * The current is the one drawn FROM the supply INTO the cell (positive
 * when the supply delivers power).  SPICE reports a voltage source's
 * branch current flowing into its + terminal, i.e. negative for a supply
 * that delivers power: negate it before calling.  Only the supply current
 * counts: ideal noise sources can inject or absorb power and make a naive
 * total negative.  A negative mean power is refused (TK_ERANGE: check the
 * sign).  Errors: relative errors of P (given, or 0) and tau add in
 * quadrature.  The published all-transistor pbit: ~350 aJ per bit.
 */
#ifndef CAL_ENERGY_H
#define CAL_ENERGY_H

#include <stddef.h>

#include "common/tk_error.h"

typedef struct cal_energy_result {
  double power_W;        /* mean supply power, W (> 0) */
  double e_J;            /* energy per independent sample, J */
  double e_err_J;        /* its standard error from tau_err_s, J */
} cal_energy_result;

/* From a supply current i_A[n] (n >= 1, uniformly sampled) at vdd_V > 0. */
int cal_energy_from_current(const double *i_A, size_t n, double vdd_V,
                            double tau_s, double tau_err_s,
                            cal_energy_result *res, tk_err *err);

/* From the supply energy e_supply_J delivered over duration_s. */
int cal_energy_from_total(double e_supply_J, double duration_s, double tau_s,
                          double tau_err_s, cal_energy_result *res, tk_err *err);

#endif
