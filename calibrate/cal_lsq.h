/* cal_lsq.h -- calibrate/'s library set-up and the weighted nonlinear
 * least-squares core shared by every fit in calibrate/ (GSL
 * multifit_nlinear, trust-region Levenberg-Marquardt).
 *
 * Workload: small problems (2-10 parameters, 3-10^4 residuals), called once
 * per sweep point or per cell; the Jacobian is taken by GSL's forward
 * differences, which is cheap at these sizes.
 *
 * cal_init() turns GSL's error handler off.  GSL aborts the process by
 * default on any error (a singular matrix, a domain error); calibrate/
 * checks every GSL status itself, so the handler must be off.  This is
 * process-global GSL state: call cal_init() once from the program (the
 * CLI and the tests do) before any cal_ function.  Every cal_ entry point
 * that uses GSL also calls it defensively (idempotent, cheap).
 *
 * Covariance convention.  Residuals are r_i = (y_i - f_i(theta)) / sigma_i
 * and chi2 = sum r_i^2.  cov = (J^T J)^-1 at the optimum.  When the sigma_i
 * are true standard errors (CAL_COV_ABSOLUTE) this is the parameter
 * covariance; when they are only relative weights (CAL_COV_SCALED) it is
 * multiplied by chi2 / dof (the reduced chi-square), the usual estimate
 * when the noise scale is unknown.
 */
#ifndef CAL_LSQ_H
#define CAL_LSQ_H

#include <stddef.h>

#include "common/tk_error.h"

/* Turn GSL's aborting error handler off (process-global; idempotent). */
void cal_init(void);

typedef enum {
  CAL_COV_ABSOLUTE = 0,   /* sigma_i are standard errors: cov = (J^T J)^-1 */
  CAL_COV_SCALED = 1      /* sigma_i are weights: cov *= chi2 / dof */
} cal_cov_mode;

/* ---- internal to calibrate/ ---- */

/* r[0..n) <- weighted residuals at parameters par[0..p).  Return 0, or
 * nonzero when par is outside the model's domain. */
typedef int (*cal__resid_fn)(const double *par, void *ctx, double *r);

typedef struct cal__lsq_out {
  double chi2;       /* sum of squared weighted residuals at the optimum */
  size_t dof;        /* n - p (>= 1) */
  double chi2_red;   /* chi2 / dof */
  size_t iters;      /* solver iterations */
} cal__lsq_out;

/* Minimise sum r_i^2 from the start par[p] (overwritten with the optimum);
 * cov[p*p] (row-major) receives the covariance per `mode`.  n > p
 * required.  TK_ENUMERIC when the solver fails or the Jacobian is
 * singular (parameters not identifiable from the data). */
int cal__lsq(cal__resid_fn f, void *ctx, size_t n, size_t p, double *par,
             double *cov, cal_cov_mode mode, cal__lsq_out *out, tk_err *err);

#endif
