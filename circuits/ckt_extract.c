/* ckt_extract.c -- EKV parameters from a model card by DC sweeps and a
 * least-squares fit (see ckt_extract.h).
 *
 * Workload: n_vds ngspice DC sweeps of ~40 points and one 4-parameter
 * Levenberg-Marquardt fit (GSL, finite-difference Jacobian) per device.
 */
#define _GNU_SOURCE 1  /* asprintf */
#include "circuits/ckt_extract.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

#include "circuits/ckt_netlist.h"
#include "physics/phys_const.h"

ckt_extract_params ckt_extract_default_params(void)
{
  ckt_extract_params p;
  memset(&p, 0, sizeof p);
  p.model = "bsim4";
  p.type = PHYS_NMOS;
  p.w_m = 100e-9;
  p.l_m = 100e-9;
  p.temp_K = PHYS_TNOM_K;
  p.vgs_lo_V = 0.0;
  p.vgs_hi_V = 0.40;
  p.vgs_step_V = 0.01;
  p.n_vds = 3;
  p.vds_V[0] = 0.05;
  p.vds_V[1] = 0.20;
  p.vds_V[2] = 0.40;
  return p;
}

/* The sweeps: vgs[k], vds[k], id[k] (magnitudes), k < n. */
typedef struct sweep_data {
  size_t n;             /* points */
  double *vgs, *vds;    /* [n] bias magnitudes, V */
  double *id;           /* [n] |I_D| of the card, A, > 0 */
  phys_mos_params base; /* fixed fields of the EKV parameters */
  double temp_K;        /* temperature */
} sweep_data;

static void sweep_free(sweep_data *d)
{
  free(d->vgs);
  free(d->vds);
  free(d->id);
  memset(d, 0, sizeof *d);
}

static int check_params(const ckt_extract_params *p, tk_err *err)
{
  if (p == NULL || (p->type != PHYS_NMOS && p->type != PHYS_PMOS))
    return TK_FAIL(err, TK_EINVAL, "extraction: no parameters or bad type");
  if (!(p->w_m > 0) || !(p->l_m > 0) || !(p->temp_K > 0))
    return TK_FAIL(err, TK_ERANGE, "extraction: W, L and T must be > 0");
  if (!(p->vgs_step_V > 0) || !(p->vgs_hi_V > p->vgs_lo_V) ||
      (p->vgs_hi_V - p->vgs_lo_V) / p->vgs_step_V > 1e4)
    return TK_FAIL(err, TK_ERANGE, "extraction: bad V_GS sweep %g..%g step %g",
                   p->vgs_lo_V, p->vgs_hi_V, p->vgs_step_V);
  if (p->n_vds < 1 || p->n_vds > CKT_EXTRACT_MAX_VDS)
    return TK_FAIL(err, TK_ERANGE, "extraction: %zu drain biases (1..%d)",
                   p->n_vds, CKT_EXTRACT_MAX_VDS);
  for (size_t j = 0; j < p->n_vds; j++)
    if (!(p->vds_V[j] > 0))
      return TK_FAIL(err, TK_ERANGE, "extraction: V_DS %g must be > 0",
                     p->vds_V[j]);
  return TK_OK;
}

/* One DC sweep of V_GS at |V_DS| = vds, appended to d. */
static int sweep(ckt_session *s, const ckt_extract_params *p, double vds,
                 size_t per, sweep_data *d, tk_err *err)
{
  double sg = p->type == PHYS_PMOS ? -1.0 : 1.0;
  const char *const *ml;
  size_t nm;
  const char *dev = p->type == PHYS_NMOS ? "nch" : "pch";
  if (p->card != NULL) {
    ml = p->card->lines;
    nm = p->card->n;
    dev = p->card->model;
    if (nm > CKT_CARD_MAX_LINES)
      return TK_FAIL(err, TK_ERANGE, "extraction: card of %zu lines (at most "
                     "%d)", nm, CKT_CARD_MAX_LINES);
  } else {
    TK_TRY(ckt_model_lines(p->model, &ml, &nm, err));
    if (nm > 8)
      nm = 8;
  }
  char *lines[CKT_CARD_MAX_LINES + 8] = {0};
  size_t n = 0;
  int rc = 0;
  if (asprintf(&lines[n++], "* tsukit EKV extraction") < 0 ||
      asprintf(&lines[n++], ".options temp=%.6g tnom=%.6g gmin=1e-21",
               p->temp_K - PHYS_T0_K, PHYS_TNOM_K - PHYS_T0_K) < 0)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; i < nm && rc == 0; i++)
    if (asprintf(&lines[n++], "%s", ml[i]) < 0)
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0 &&
      (asprintf(&lines[n++], "VD d 0 %.9g", sg * vds) < 0 ||
       asprintf(&lines[n++], "VG g 0 0") < 0 ||
       asprintf(&lines[n++], "M1 d g 0 0 %s W=%.6g L=%.6g", dev, p->w_m,
                p->l_m) < 0 ||
       asprintf(&lines[n++], ".dc VG %.9g %.9g %.9g", sg * p->vgs_lo_V,
                sg * (p->vgs_lo_V + (double)(per - 1) * p->vgs_step_V),
                sg * p->vgs_step_V) < 0 ||
       asprintf(&lines[n++], ".end") < 0))
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  double *i = NULL;
  size_t m = 0;
  if (rc == 0)
    rc = ckt_session_run(s, (const char *const *)lines, n, NULL, err);
  if (rc == 0)
    rc = ckt_session_vec(s, "vd#branch", &i, &m, err);
  if (rc == 0 && m != per)
    rc = TK_FAIL(err, TK_ESPICE, "DC sweep returned %zu points, expected %zu",
                 m, per);
  for (size_t k = 0; k < m && rc == 0; k++) {
    double a = fabs(i[k]);
    if (!(a > 0) || !isfinite(a)) {
      rc = TK_FAIL(err, TK_ENUMERIC, "card current %g A at V_GS %g V",
                   i[k], p->vgs_lo_V + (double)k * p->vgs_step_V);
      break;
    }
    d->vgs[d->n] = p->vgs_lo_V + (double)k * p->vgs_step_V;
    d->vds[d->n] = vds;
    d->id[d->n] = a;
    d->n++;
  }
  free(i);
  for (size_t k = 0; k < n; k++)
    free(lines[k]);
  return rc;
}

static int collect(ckt_session *s, const ckt_extract_params *p,
                   sweep_data *d, tk_err *err)
{
  memset(d, 0, sizeof *d);
  TK_TRY(check_params(p, err));
  size_t per = (size_t)floor((p->vgs_hi_V - p->vgs_lo_V) / p->vgs_step_V + 1e-6) + 1;
  size_t tot = per * p->n_vds;
  d->vgs = malloc(tot * sizeof *d->vgs);
  d->vds = malloc(tot * sizeof *d->vds);
  d->id = malloc(tot * sizeof *d->id);
  if (!d->vgs || !d->vds || !d->id) {
    sweep_free(d);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  d->base = phys_mos_default_params(p->type);
  d->base.w_m = p->w_m;
  d->base.l_m = p->l_m;
  d->base.tnom_K = p->temp_K;
  d->base.tc_vth_V_per_K = -0.11 / PHYS_TNOM_K; /* card KT1 */
  d->base.mu_exp = -1.5;                        /* card UTE */
  d->temp_K = p->temp_K;
  for (size_t j = 0; j < p->n_vds; j++) {
    int rc = sweep(s, p, p->vds_V[j], per, d, err);
    if (rc != 0) {
      sweep_free(d);
      return rc;
    }
  }
  return TK_OK;
}

/* x = (vth0, n, ln kp, sigma) -> EKV parameters */
static phys_mos_params unpack(const sweep_data *d, const double *x)
{
  phys_mos_params q = d->base;
  q.vth0_V = x[0];
  q.n = x[1];
  q.kp_A_per_V2 = exp(x[2]);
  q.sigma_dibl = x[3];
  return q;
}

static int model_id(const sweep_data *d, const phys_mos_params *q, size_t k,
                    double *id)
{
  phys_mos_op op;
  /* NMOS frame: the EKV model negates PMOS voltages itself */
  double sg = q->type == PHYS_PMOS ? -1.0 : 1.0;
  if (phys_mos_eval(q, sg * d->vgs[k], sg * d->vds[k], 0, 0, d->temp_K, &op,
                    NULL) != 0)
    return -1;
  *id = fabs(op.id_A);
  return 0;
}

static int resid(const gsl_vector *x, void *ud, gsl_vector *f)
{
  const sweep_data *d = ud;
  double xv[4];
  for (size_t j = 0; j < 4; j++)
    xv[j] = gsl_vector_get(x, j);
  if (!(xv[1] >= 1.0) || !(xv[3] >= 0) || !(xv[3] < xv[1]))
    return GSL_EDOM;
  phys_mos_params q = unpack(d, xv);
  for (size_t k = 0; k < d->n; k++) {
    double id;
    if (model_id(d, &q, k, &id) != 0 || !(id > 0))
      return GSL_EDOM;
    gsl_vector_set(f, k, log(id) - log(d->id[k]));
  }
  return GSL_SUCCESS;
}

static void quality(const sweep_data *d, const phys_mos_params *q,
                    ckt_extract_fit *fit)
{
  double mx = 0, s2 = 0;
  for (size_t k = 0; k < d->n; k++) {
    double id;
    if (model_id(d, q, k, &id) != 0) {
      mx = INFINITY;
      continue;
    }
    double r = fabs(id / d->id[k] - 1.0);
    if (r > mx)
      mx = r;
    double l = log(id / d->id[k]);
    s2 += l * l;
  }
  fit->n_points = d->n;
  fit->max_rel_err = mx;
  fit->rms_log_err = d->n ? sqrt(s2 / (double)d->n) : 0;
}

int ckt_extract_mos(ckt_session *s, const ckt_extract_params *p,
                    phys_mos_params *out, ckt_extract_fit *fit, tk_err *err)
{
  sweep_data d;
  TK_TRY(collect(s, p, &d, err));
  /* start from the cell's old defaults with the card's threshold */
  double x0[4] = {0.30, 1.3, log(p->type == PHYS_NMOS ? 300e-6 : 120e-6), 0.05};
  gsl_vector_view xv = gsl_vector_view_array(x0, 4);
  gsl_multifit_nlinear_fdf fdf;
  memset(&fdf, 0, sizeof fdf);
  fdf.f = resid;
  fdf.n = d.n;
  fdf.p = 4;
  fdf.params = &d;
  gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
  gsl_multifit_nlinear_workspace *w =
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, d.n, 4);
  int rc = TK_OK, info = 0;
  if (w == NULL) {
    sweep_free(&d);
    return TK_FAIL(err, TK_ENOMEM, "out of memory (fit)");
  }
  int gs = gsl_multifit_nlinear_init(&xv.vector, &fdf, w);
  if (gs == GSL_SUCCESS)
    gs = gsl_multifit_nlinear_driver(500, 1e-10, 1e-10, 0.0, NULL, NULL, &info, w);
  if (gs == GSL_EMAXITER && info == GSL_ENOPROG)
    gs = GSL_SUCCESS;
  if (gs != GSL_SUCCESS) {
    rc = TK_FAIL(err, TK_ENUMERIC, "EKV fit failed: %s", gsl_strerror(gs));
  } else {
    double x[4];
    for (size_t j = 0; j < 4; j++)
      x[j] = gsl_vector_get(gsl_multifit_nlinear_position(w), j);
    *out = unpack(&d, x);
    rc = phys_mos_check(out, err);
    if (rc == 0 && fit != NULL)
      quality(&d, out, fit);
  }
  gsl_multifit_nlinear_free(w);
  sweep_free(&d);
  return rc;
}

int ckt_extract_check(ckt_session *s, const ckt_extract_params *p,
                      const phys_mos_params *mp, ckt_extract_fit *fit,
                      tk_err *err)
{
  sweep_data d;
  TK_TRY(phys_mos_check(mp, err));
  TK_TRY(collect(s, p, &d, err));
  quality(&d, mp, fit);
  sweep_free(&d);
  return TK_OK;
}
