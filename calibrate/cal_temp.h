/* cal_temp.h -- physics model of a pbit's temperature dependence, fitted
 * across temperatures, and predictions at temperatures not simulated.
 *
 * Workload: a handful (3-20) of temperatures, each with a logistic fit
 * (v0, vs with errors) and a correlation time (with error) measured at a
 * fixed operating point (for example at V = v0, where P(1) = 1/2: the
 * caller chooses and keeps it fixed across temperatures).
 *
 * Model (T in kelvin, T_ref a reference temperature, default 300 K):
 *  - slope scale: vs(T) = vs_ref (T / T_ref)^m.  In subthreshold the
 *    noise-driven transfer curve is set by the thermal voltage n kT/q, so
 *    m = 1 (fixed by default); fit_exponent frees m as a check.
 *  - midpoint: v0(T) = v0_ref + dv0_dT (T - T_ref) (threshold voltages
 *    drift linearly, about -1 to -2 mV/K).  With a trip table (the
 *    cell's noiseless trip point on a temperature grid: cheap operating-
 *    point solves, `tsukit calibrate --track`) the deterministic part is
 *    taken from it and only the noise-induced offset is fitted:
 *        v0(T) = trip(T) + v0_ref + dv0_dT (T - T_ref),
 *    trip(T) linear between table entries (and beyond the ends).
 *  - correlation time, thermally activated (Arrhenius):
 *        tau(T) = tau_ref exp((Ea / k) (1/T - 1/T_ref)),
 *    i.e. tau_inf exp(Ea / kT) with tau_inf = tau_ref exp(-Ea / k T_ref);
 *    Ea in joules (and eV for display).
 * Each relation is fitted separately by weighted least squares
 * (cal_lsq, absolute covariance: the inputs' errors are taken as true);
 * the tau fit uses log tau with error tau_err / tau.  A prediction
 * evaluates the three relations, with the delta-method standard error of
 * P(1) from the v0 and vs fits (the two fits are independent).
 */
#ifndef CAL_TEMP_H
#define CAL_TEMP_H

#include <stddef.h>

#include "common/tk_error.h"
#include "physics/phys_const.h"

#define CAL_TEMP_MAX_TRIP 256   /* trip table entries kept in a model */

typedef struct cal_temp_params {
  double t_ref_K;       /* reference temperature, > 0 */
  int fit_exponent;     /* 1: fit m in vs ~ T^m; 0: m = 1 */
  /* optional trip table (NULL/0: none): n_trip >= 2 entries, T ascending */
  const double *trip_T_K, *trip_V;
  size_t n_trip;
  /* leave-one-out: table entries closer than this to the left-out
   * temperature are left out with it (its trip point is then
   * interpolated from its neighbours), K >= 0 */
  double trip_exclude_K;
} cal_temp_params;

/* t_ref_K PHYS_TNOM_K (300.15), fit_exponent 0, no trip table, trip_exclude_K 2.5. */
cal_temp_params cal_temp_default_params(void);

/* One temperature's measurements. */
typedef struct cal_temp_point {
  double temp_K;               /* > 0 */
  double v0_V, v0_err_V;       /* logistic midpoint and its error (> 0) */
  double vs_V, vs_err_V;       /* logistic slope scale and its error (> 0) */
  double tau_s, tau_err_s;     /* correlation time at the fixed operating point */
} cal_temp_point;

typedef struct cal_temp_model {
  double t_ref_K;                      /* reference temperature */
  double vs_ref_V, vs_ref_err_V;       /* vs at t_ref */
  double vs_exp, vs_exp_err;           /* exponent m (err 0 when fixed) */
  double cov_vs_ref_exp;               /* covariance of vs_ref and m, V */
  double v0_ref_V, v0_ref_err_V;       /* v0 at t_ref */
  double dv0_dT_V_per_K, dv0_dT_err_V_per_K;
  double cov_v0_V2_per_K;              /* covariance of v0_ref and dv0_dT */
  double tau_ref_s, tau_ref_err_s;     /* tau at t_ref */
  double ea_J, ea_err_J;               /* activation energy, J */
  double tau_inf_s;                    /* tau_ref exp(-Ea / k T_ref), s */
  double chi2_red_vs, chi2_red_v0, chi2_red_tau;  /* per-relation fit quality */
  size_t n_trip;                       /* 0: v0 linear; else trip + linear */
  double trip_T_K[CAL_TEMP_MAX_TRIP], trip_V[CAL_TEMP_MAX_TRIP];
} cal_temp_model;

/* The trip table's value at temp_K (0 without a table). */
double cal_temp_trip_V(const cal_temp_model *m, double temp_K);

/* Fit from n points (n >= 3, or >= 4 with fit_exponent; distinct T). */
int cal_temp_fit(const cal_temp_point *pt, size_t n, const cal_temp_params *p,
                 cal_temp_model *m, tk_err *err);

/* Fit leaving point `leave_out` (< n) out: the leave-one-out helper. */
int cal_temp_fit_loo(const cal_temp_point *pt, size_t n, size_t leave_out,
                     const cal_temp_params *p, cal_temp_model *m, tk_err *err);

/* Model values at temp_K. */
double cal_temp_vs_V(const cal_temp_model *m, double temp_K);
double cal_temp_v0_V(const cal_temp_model *m, double temp_K);
double cal_temp_tau_s(const cal_temp_model *m, double temp_K);

/* Predicted P(1) at (temp_K, v_V) and its standard error (p1_err may be
 * NULL). */
double cal_temp_predict_p1(const cal_temp_model *m, double temp_K, double v_V,
                           double *p1_err);

#endif
