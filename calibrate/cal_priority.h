/* cal_priority.h -- the priority-encoder model of a categorical cell built
 * from K pbits and a priority chain (cat4): fit and inverse.
 *
 * Workload: one fit per temperature over 10-200 control vectors, 2K
 * parameters; the inverse is a 1-D search.
 *
 * Why not only the softmax (cal_fit.h).  cat4's state is the
 * highest-priority pbit that is on (NOR chain), held while none is.  When
 * control V_k is raised until bit k is always on, the states of higher
 * priority j < k keep their share (measured, 10 us per point: V_1 high ->
 * P(0) 0.12, V_3 high -> P(0..2) 0.13/0.12/0.09), where a softmax would
 * drive every other state to zero: the independence of irrelevant
 * alternatives fails and the softmax fit has chi2_red 7-22 against
 * 1.1-1.5 for this model (docs/FINDINGS.md).  The model below follows the circuit:
 *     p_k = sigmoid((V_k - v0_k) / vs_k)          bit k on
 *     A_k = p_k prod_{j<k} (1 - p_j)               line k is the one high
 *     N   = prod_j (1 - p_j)                        no line high: held
 *     P(k | V) = A_k + N w_k p_k / sum_j w_j p_j
 * The held share is exact, with w_k = 1, for independent two-state bits
 * with one relaxation time tau (identical cores) and an instantaneous NOR
 * chain: the hold is entered from state k when bit k, the only one on,
 * turns off, at rate N p_k / tau, and left at rate sum_j p_j / tau.  Bit
 * k's own on-rate p_k / tau_k gives w_k = tau_0 / tau_k; the weights
 * (w_0 = 1) are fitted too, and fixed at 1 when the data cannot pin them
 * (the fit with them fails).  On cat4 they come out within ~0.3 of 1 and
 * do not lower chi2_red, as identical cores should (docs/FINDINGS.md).
 * Residuals: Pearson's, (p_k - P_k) / sqrt(P_k g/n) with the model's
 * P_k and each point's g/n pooled from its measured errors
 * (se_k^2 = p_k (1 - p_k) g/n); the K terms of a point sum to a chi-square
 * with K - 1 degrees of freedom, the covariance is absolute.  (Weights from
 * the measured p_k favour the points whose noise came out low and pull
 * the fit towards low probabilities; the softmax and logistic fits use
 * the model's variance too, cal_fit.h.)
 *
 * Inverse.  With lambda = N / sum_j w_j p_j, P(k) = p_k (prod_{j<k}
 * (1 - p_j) + lambda w_k), so for a target q and any lambda > 0 the bits
 *     p_k = q_k / (prod_{j<k} (1 - p_j) + lambda w_k)     (k = 0, 1, ...)
 * give P = q, and N / sum w p = lambda holds by itself (sum_k A_k = 1 - N).
 * V_k = v0_k + vs_k logit(p_k).  lambda is chosen to put the controls
 * nearest (least squares) the middle of [vmin_V, vmax_V] with all of them
 * inside; TK_ERANGE when no lambda does.
 */
#ifndef CAL_PRIORITY_H
#define CAL_PRIORITY_H

#include <stddef.h>

#include "calibrate/cal_digitize.h"
#include "common/tk_error.h"

typedef struct cal_priority_model {
  unsigned K;                        /* states = bits = controls, 2..16 */
  double v0_V[CAL_MAX_STATES];       /* bit k's midpoint */
  double vs_V[CAL_MAX_STATES];       /* bit k's slope scale (> 0: on with V) */
  double v0_err_V[CAL_MAX_STATES];   /* standard errors */
  double vs_err_V[CAL_MAX_STATES];
  double w[CAL_MAX_STATES];          /* hold weights, w[0] = 1 (gauge);
                                        0 (unset) is taken as 1 */
  double w_err[CAL_MAX_STATES];      /* their standard errors (0: fixed) */
  double chi2;                       /* weighted chi-square */
  size_t dof;                        /* M (K - 1) - (3K - 1), or - 2K with
                                        the weights fixed at 1 */
  double chi2_red;                   /* chi2 / dof */
} cal_priority_model;

/* prob[K] <- P(k | ctl_V[K]). */
void cal_priority_eval(const cal_priority_model *m, const double *ctl_V,
                       double *prob);

/* Fit M points: ctl_V[M*K], p[M*K], se[M*K] row-major (as
 * cal_softmax_fit).  Needs M (K - 1) > 2K (> 3K - 1 for the weights).  se_floor as the softmax's
 * default (1e-3). */
int cal_priority_fit(const double *ctl_V, const double *p, const double *se,
                     size_t M, unsigned K, cal_priority_model *m,
                     tk_err *err);

/* ctl_V[K] <- controls giving P = q[K] (q_k > 0, renormalised), every one
 * in [vmin_V, vmax_V]. */
int cal_priority_inverse(const cal_priority_model *m, const double *q,
                         double vmin_V, double vmax_V, double *ctl_V,
                         tk_err *err);

#endif
