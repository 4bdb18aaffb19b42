/* cal_lsq.c -- GSL multifit_nlinear wrapper with covariance and chi-square
 * (see cal_lsq.h).  Workload: a few parameters, up to ~10^4 residuals;
 * one trust-region (Levenberg-Marquardt) solve per call, finite-difference
 * Jacobian. */
#include "calibrate/cal_lsq.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

void cal_init(void)
{
  gsl_set_error_handler_off();
}

typedef struct lsq_ctx {
  cal__resid_fn f;     /* user residuals */
  void *ctx;           /* user context */
  size_t n, p;         /* residual and parameter counts */
  double *xb;          /* [p] contiguous copy of the parameters */
  double *rb;          /* [n] contiguous residuals */
} lsq_ctx;

/* GSL hands f strided vectors (a Jacobian column during finite
 * differences), so copy through contiguous buffers. */
static int lsq_f(const gsl_vector *x, void *data, gsl_vector *r)
{
  lsq_ctx *c = data;
  for (size_t j = 0; j < c->p; j++)
    c->xb[j] = gsl_vector_get(x, j);
  if (c->f(c->xb, c->ctx, c->rb) != 0)
    return GSL_EDOM;
  for (size_t i = 0; i < c->n; i++) {
    if (!isfinite(c->rb[i]))
      return GSL_EDOM;
    gsl_vector_set(r, i, c->rb[i]);
  }
  return GSL_SUCCESS;
}

int cal__lsq(cal__resid_fn f, void *ctx, size_t n, size_t p, double *par,
             double *cov, cal_cov_mode mode, cal__lsq_out *out, tk_err *err)
{
  cal_init();
  if (p == 0 || n <= p)
    return TK_FAIL(err, TK_EINVAL, "least squares needs more residuals (%zu) "
                   "than parameters (%zu)", n, p);
  lsq_ctx c = {f, ctx, n, p, malloc(p * sizeof(double)),
               malloc(n * sizeof(double))};
  gsl_vector_view x0 = gsl_vector_view_array(par, p);
  gsl_multifit_nlinear_fdf fdf = {0};
  fdf.f = lsq_f;
  fdf.df = NULL;  /* forward-difference Jacobian */
  fdf.n = n;
  fdf.p = p;
  fdf.params = &c;

  gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
  gsl_multifit_nlinear_workspace *w =
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, n, p);
  gsl_matrix *covm = gsl_matrix_alloc(p, p);
  if (w == NULL || covm == NULL || c.xb == NULL || c.rb == NULL) {
    gsl_multifit_nlinear_free(w);
    gsl_matrix_free(covm);
    free(c.xb);
    free(c.rb);
    return TK_FAIL(err, TK_ENOMEM, "out of memory (least squares %zu x %zu)", n, p);
  }
  int rc = TK_OK;
  int info = 0;
  int s = gsl_multifit_nlinear_init(&x0.vector, &fdf, w);
  if (s == GSL_SUCCESS)
    s = gsl_multifit_nlinear_driver(500, 1e-10, 1e-10, 0.0, NULL, NULL, &info, w);
  /* GSL reports EMAXITER with info = ENOPROG when the very first step
   * cannot lower the cost: the start is already the optimum (exact data).
   * A genuine iteration cap is a failure, not a result. */
  if (s == GSL_EMAXITER && info == GSL_ENOPROG)
    s = GSL_SUCCESS;
  if (s != GSL_SUCCESS) {
    rc = TK_FAIL(err, TK_ENUMERIC, "least-squares fit failed: %s%s",
                 gsl_strerror(s), s == GSL_EMAXITER ? " (500 iterations)" : "");
    goto done;
  }
  gsl_vector *xb = gsl_multifit_nlinear_position(w);
  gsl_vector *rb = gsl_multifit_nlinear_residual(w);
  gsl_matrix *J = gsl_multifit_nlinear_jac(w);
  /* The Jacobian held by the workspace is at the last accepted point. */
  double chi2 = 0;
  for (size_t i = 0; i < n; i++)
    chi2 += gsl_vector_get(rb, i) * gsl_vector_get(rb, i);
  s = gsl_multifit_nlinear_covar(J, 0.0, covm);
  if (s != GSL_SUCCESS) {
    rc = TK_FAIL(err, TK_ENUMERIC, "parameter covariance failed (singular "
                 "Jacobian: parameters not identifiable): %s", gsl_strerror(s));
    goto done;
  }
  double scale = mode == CAL_COV_SCALED ? chi2 / (double)(n - p) : 1.0;
  for (size_t i = 0; i < p; i++) {
    par[i] = gsl_vector_get(xb, i);
    if (!isfinite(par[i])) {
      rc = TK_FAIL(err, TK_ENUMERIC, "fit parameter %zu is not finite", i);
      goto done;
    }
    for (size_t j = 0; j < p; j++)
      cov[i * p + j] = scale * gsl_matrix_get(covm, i, j);
    if (!(cov[i * p + i] >= 0) || !isfinite(cov[i * p + i])) {
      rc = TK_FAIL(err, TK_ENUMERIC, "variance of fit parameter %zu is %g "
                   "(not identifiable)", i, cov[i * p + i]);
      goto done;
    }
  }
  if (out) {
    out->chi2 = chi2;
    out->dof = n - p;
    out->chi2_red = chi2 / (double)(n - p);
    out->iters = gsl_multifit_nlinear_niter(w);
  }
done:
  free(c.xb);
  free(c.rb);
  gsl_multifit_nlinear_free(w);
  gsl_matrix_free(covm);
  return rc;
}
