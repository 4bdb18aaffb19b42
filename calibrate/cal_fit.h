/* cal_fit.h -- transfer-curve fits with parameter uncertainties (GSL
 * multifit_nlinear through cal_lsq): logistic for pbits, softmax for
 * categorical cells, and the softmax inverse (controls for a target).
 *
 * Workload: one fit per cell and temperature over a control sweep of
 * 3-200 points.  Inputs are measured occupancies with their
 * autocorrelation-aware standard errors (cal_occupancy).
 *
 * Logistic.  P(1 | V) = 1 / (1 + exp(-(V - v0_V) / vs_V)), parameters
 * (v0_V, vs_V), Pearson residuals with the MODEL's variance,
 *     r_i = (p_i - P_i) / sqrt(P_i (1 - P_i) g_i + se_floor^2),
 * where g_i = se_i^2 / (p_i (1 - p_i)) is the point's measured variance
 * factor (2 tau_int / T_record for a telegraph signal) when 0.02 < p_i <
 * 0.98, else the median of those.  (Weights 1 / se_i^2 from the measured
 * p_i instead favour the points whose noise came out near 0 or 1 -- a
 * record with few flips -- and bias v0 and vs: docs/FINDINGS.md.)  The
 * errors are treated as true (CAL_COV_ABSOLUTE): cov = (J^T J)^-1 and
 * chi2_red = chi2 / (n - 2) is the goodness of fit (~1 when the errors
 * are right and the model holds).  se_floor keeps points far out on the
 * tails (P -> 0 or 1) from getting infinite weight.
 *
 * Softmax (K states, one control per state).  With control vector V (V_k
 * drives state k)
 *     P(k | V) = exp(a_k + b_k V_k) / sum_j exp(a_j + b_j V_j),
 * state k's logit linear in its own control.  Adding a constant to every
 * a_k changes nothing, so a_0 = 0 is fixed: 2K - 1 free parameters
 * (a_1..a_{K-1}, b_0..b_{K-1}).  Each point's p sums to 1, so its K
 * residuals are not independent: the residuals are taken in Pearson form
 * with the model's variance,
 *     r_mk = (p_mk - P_k(V_m)) / sqrt(P_k(V_m) g_m + se_floor^2),
 * g_m = sum_k se_mk^2 / sum_k p_mk (1 - p_mk) the point's variance factor
 * (multinomial errors: se^2 = p (1 - p) g, the same g for all states); the
 * sum over k is then the Pearson chi-square with K - 1 degrees of freedom and its
 * matrix the pseudo-inverse of the multinomial covariance, so
 * dof = M (K - 1) - (2K - 1) and the covariance (J^T J)^-1 is absolute,
 * as for the logistic.
 *
 * Softmax inverse.  For a target q (all q_k > 0) the controls solve
 * a_k + b_k V_k = log q_k + C for any common C: a one-parameter family.
 * C is chosen to put the controls nearest (least squares) the middle of
 * [vmin_V, vmax_V], then moved the least needed to bring every V_k inside
 * that range; TK_ERANGE when no C can (the target is out of reach).
 */
#ifndef CAL_FIT_H
#define CAL_FIT_H

#include <math.h>
#include <stddef.h>

#include "calibrate/cal_digitize.h"
#include "common/tk_error.h"

/* ---- logistic (pbit) ---- */

typedef struct cal_logistic_params {
  double se_floor;     /* smallest standard error used as weight, > 0 */
  double v0_start_V;   /* starting guess; NaN: from the data (p nearest 0.5) */
  double vs_start_V;   /* starting guess; NaN: from the data; sign = slope */
  int probit;          /* 1: fit P(1) = Phi((V - v0) / vs) instead, the
                          Gaussian threshold crossing of the noise-node
                          model (cal_noise.h): vs is then the Gaussian's
                          sd (~1.7x the logistic scale) */
} cal_logistic_params;

/* se_floor 1e-3, starts from the data, logistic. */
cal_logistic_params cal_logistic_default_params(void);

typedef struct cal_logistic_result {
  double v0_V, v0_err_V;   /* midpoint and its standard error, V */
  double vs_V, vs_err_V;   /* slope scale and its standard error, V (< 0:
                              P(1) falls with V) */
  double cov_v0_vs_V2;     /* covariance of v0 and vs, V^2 */
  double chi2;             /* weighted chi-square */
  size_t dof;              /* n - 2 */
  double chi2_red;         /* chi2 / dof */
} cal_logistic_result;

static inline double cal_sigmoid(double x)
{
  return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x));
}

/* P(1) of the logistic model at control v_V. */
double cal_logistic_eval(double v0_V, double vs_V, double v_V);

/* Fit n >= 3 points (v_V[i], p[i] in [0, 1], se[i] >= 0). */
int cal_logistic_fit(const double *v_V, const double *p, const double *se,
                     size_t n, const cal_logistic_params *prm,
                     cal_logistic_result *res, tk_err *err);

/* ---- softmax (categorical) ---- */

typedef struct cal_softmax_params {
  double se_floor;     /* smallest standard error used as weight, > 0 */
} cal_softmax_params;

/* se_floor 1e-3. */
cal_softmax_params cal_softmax_default_params(void);

typedef struct cal_softmax_model {
  unsigned K;                        /* states = controls, 2..16 */
  double a[CAL_MAX_STATES];          /* logit offsets, a[0] = 0 (gauge) */
  double b_per_V[CAL_MAX_STATES];    /* logit slopes, 1/V */
  double a_err[CAL_MAX_STATES];      /* standard errors (a_err[0] = 0) */
  double b_err_per_V[CAL_MAX_STATES];
  double chi2;                       /* weighted chi-square */
  size_t dof;                        /* M (K - 1) - (2K - 1) */
  double chi2_red;                   /* chi2 / dof */
} cal_softmax_model;

/* prob[K] <- P(k | ctl_V[K]). */
void cal_softmax_eval(const cal_softmax_model *m, const double *ctl_V,
                      double *prob);

/* Fit M points: ctl_V[M*K] (row m: the K controls), p[M*K], se[M*K]
 * (row-major, row m sums to ~1).  Needs M (K - 1) > 2K - 1. */
int cal_softmax_fit(const double *ctl_V, const double *p, const double *se,
                    size_t M, unsigned K, const cal_softmax_params *prm,
                    cal_softmax_model *m, tk_err *err);

/* ctl_V[K] <- controls giving P = q[K] (q_k > 0, renormalised) with every
 * control in [vmin_V, vmax_V].  Needs every b_k != 0. */
int cal_softmax_inverse(const cal_softmax_model *m, const double *q,
                        double vmin_V, double vmax_V, double *ctl_V,
                        tk_err *err);

/* Total-variation distance (1/2) sum |p_k - q_k|. */
double cal_tv_distance(const double *p, const double *q, unsigned K);

#endif
