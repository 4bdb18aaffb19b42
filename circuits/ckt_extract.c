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
  p.vmid_V = 0.20;
  return p;
}

/* The sweeps: vgs[k], vds[k], id[k] (magnitudes), k < n. */
typedef struct sweep_data {
  size_t n;             /* points */
  double *vgs, *vds;    /* [n] bias magnitudes, V */
  double *id;           /* [n] |I_D| of the card, A, > 0 */
  phys_mos_params base; /* fixed fields of the EKV parameters */
  double temp_K;        /* temperature */
  /* the switching point (ckt_extract_params.vmid_V > 0): */
  double vmid;          /* |V_DS| of the g_DS points, 0: none */
  size_t ng;            /* g_DS points (V_GS within GDS_WIN of vmid) */
  double *g_vgs;        /* [ng] their |V_GS| */
  double *gds;          /* [ng] card's g_DS there, S, > 0 */
  double id_mid;        /* card's |I_D| at |V_GS| = |V_DS| = vmid */
  double vlin;          /* ckt_extract_params.vlin_V, 0: none */
  double vlin_sb;       /* ckt_extract_params.vlin_sb_V */
  double glin;          /* card's channel conductance there, S */
} sweep_data;

/* Half the V_DS step of the channel conductance at V_DS = 0, V. */
#define GLIN_DV 0.002

/* Half the V_DS step of the central differences for g_DS, V. */
#define GDS_DV 0.005
/* The g_DS points: |V_GS| within GDS_WIN of the switching point (where the
 * stage's gain matters), each weighted GDS_WEIGHT against a ln I_D point.
 * Measured on the bsim4 card (W = L = 100 nm): windows of 30 and 60 mV
 * and weights 1, 2, 4 give g_DS within 1.4-2.2 % (27 C), 4.4-4.6 %
 * (125 C) and 2.5-3.8 % (-40 C) at 30 mV / 2, the currents within 8-10 %
 * (27 C); a whole-range window (0 .. vmid) holds the currents no better
 * and g_DS only to 5-12 %. */
#define GDS_WEIGHT 2.0
#define GDS_WIN 0.03

static void sweep_free(sweep_data *d)
{
  free(d->vgs);
  free(d->vds);
  free(d->id);
  free(d->g_vgs);
  free(d->gds);
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
  if (!(p->vlin_V >= 0) || !isfinite(p->vlin_V) || p->vlin_V > p->vgs_hi_V ||
      !(p->vlin_sb_V >= 0) || !(p->vlin_sb_V <= 1.0))
    return TK_FAIL(err, TK_ERANGE, "extraction: pseudo-resistor point V_GS "
                   "%g V (0, or at most %g V), V_SB %g V (0 .. 1 V)",
                   p->vlin_V, p->vgs_hi_V, p->vlin_sb_V);
  if (!(p->vmid_V >= 0) || !isfinite(p->vmid_V) ||
      (p->vmid_V > 0 && (p->vmid_V <= GDS_DV || p->vmid_V < p->vgs_lo_V ||
                         p->vmid_V > p->vgs_hi_V)))
    return TK_FAIL(err, TK_ERANGE, "extraction: switching point %g V (0, or "
                   "above %g V inside the V_GS sweep %g..%g)", p->vmid_V,
                   GDS_DV, p->vgs_lo_V, p->vgs_hi_V);
  for (size_t j = 0; j < p->n_vds; j++)
    if (!(p->vds_V[j] > 0))
      return TK_FAIL(err, TK_ERANGE, "extraction: V_DS %g must be > 0",
                     p->vds_V[j]);
  return TK_OK;
}

/* One DC sweep of |V_GS| = lo, lo + step, ... (per points) at |V_DS| =
 * vds, the bulk vsb below the source (reverse bias): the card's |I_D|
 * into cur[per] (each finite and > 0). */
static int sweep_raw(ckt_session *s, const ckt_extract_params *p, double vds,
                     double vsb, double lo, double step, size_t per,
                     double *cur, tk_err *err)
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
       asprintf(&lines[n++], "VB b 0 %.9g", -sg * vsb) < 0 ||
       asprintf(&lines[n++], "M1 d g 0 b %s W=%.6g L=%.6g", dev, p->w_m,
                p->l_m) < 0 ||
       asprintf(&lines[n++], ".dc VG %.9g %.9g %.9g", sg * lo,
                sg * (lo + (double)(per - 1) * step), sg * step) < 0 ||
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
      rc = TK_FAIL(err, TK_ENUMERIC, "card current %g A at V_GS %g V, V_DS "
                   "%g V", i[k], lo + (double)k * step, vds);
      break;
    }
    cur[k] = a;
  }
  free(i);
  for (size_t k = 0; k < n; k++)
    free(lines[k]);
  return rc;
}

/* The sweep of p's V_GS range at |V_DS| = vds, appended to d. */
static int sweep(ckt_session *s, const ckt_extract_params *p, double vds,
                 size_t per, sweep_data *d, tk_err *err)
{
  TK_TRY(sweep_raw(s, p, vds, 0, p->vgs_lo_V, p->vgs_step_V, per, d->id + d->n,
                   err));
  for (size_t k = 0; k < per; k++) {
    d->vgs[d->n] = p->vgs_lo_V + (double)k * p->vgs_step_V;
    d->vds[d->n] = vds;
    d->n++;
  }
  return TK_OK;
}

/* The switching point's data (p->vmid_V > 0): g_DS at |V_DS| = vmid for
 * the sweep's V_GS within GDS_WIN of vmid, and the current at V_GS =
 * V_DS = vmid. */
static int collect_mid(ckt_session *s, const ckt_extract_params *p,
                       sweep_data *d, tk_err *err)
{
  double vm = p->vmid_V;
  double g0 = fmax(p->vgs_lo_V, vm - GDS_WIN), g1 = fmin(p->vgs_hi_V, vm + GDS_WIN);
  size_t ng = (size_t)floor((g1 - g0) / p->vgs_step_V + 1e-6) + 1;
  d->g_vgs = malloc(ng * sizeof *d->g_vgs);
  d->gds = malloc(ng * sizeof *d->gds);
  double *lo = malloc(ng * sizeof *lo), *hi = malloc(ng * sizeof *hi);
  int rc = 0;
  if (d->g_vgs == NULL || d->gds == NULL || lo == NULL || hi == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0)
    rc = sweep_raw(s, p, vm - GDS_DV, 0, g0, p->vgs_step_V, ng, lo, err);
  if (rc == 0)
    rc = sweep_raw(s, p, vm + GDS_DV, 0, g0, p->vgs_step_V, ng, hi, err);
  if (rc == 0)
    rc = sweep_raw(s, p, vm, 0, vm, p->vgs_step_V, 1, &d->id_mid, err);
  for (size_t k = 0; k < ng && rc == 0; k++) {
    double g = (hi[k] - lo[k]) / (2 * GDS_DV);
    d->g_vgs[k] = g0 + (double)k * p->vgs_step_V;
    if (!(g > 0) || !isfinite(g))
      rc = TK_FAIL(err, TK_ENUMERIC, "card output conductance %g S at V_GS "
                   "%g V, V_DS %g V (the switching point's fit needs > 0)", g,
                   d->g_vgs[k], vm);
    d->gds[k] = g;
  }
  free(lo);
  free(hi);
  if (rc == 0) {
    d->ng = ng;
    d->vmid = vm;
  }
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
  if (p->vlin_V > 0) {
    double a, b;
    int rc = sweep_raw(s, p, GLIN_DV, p->vlin_sb_V, p->vlin_V, p->vgs_step_V, 1, &a, err);
    if (rc == 0)
      rc = sweep_raw(s, p, -GLIN_DV, p->vlin_sb_V, p->vlin_V, p->vgs_step_V, 1, &b, err);
    if (rc != 0) {
      sweep_free(d);
      return rc;
    }
    d->vlin = p->vlin_V;
    d->vlin_sb = p->vlin_sb_V;
    d->glin = (a + b) / (2 * GLIN_DV);
  }
  if (p->vmid_V > 0) {
    int rc = collect_mid(s, p, d, err);
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

/* EKV |I_D| at bias magnitudes vgs, vds, bulk vsb below the source. */
static int model_at_b(const sweep_data *d, const phys_mos_params *q,
                      double vgs, double vds, double vsb, double *id)
{
  phys_mos_op op;
  /* NMOS frame: the EKV model negates PMOS voltages itself */
  double sg = q->type == PHYS_PMOS ? -1.0 : 1.0;
  if (phys_mos_eval(q, sg * vgs, sg * vds, 0, -sg * vsb, d->temp_K, &op,
                    NULL) != 0)
    return -1;
  *id = fabs(op.id_A);
  return 0;
}

static int model_at(const sweep_data *d, const phys_mos_params *q, double vgs,
                    double vds, double *id)
{
  return model_at_b(d, q, vgs, vds, 0, id);
}

static int model_id(const sweep_data *d, const phys_mos_params *q, size_t k,
                    double *id)
{
  return model_at(d, q, d->vgs[k], d->vds[k], id);
}

/* EKV g_DS at g_DS point k, as the card's: a central difference. */
static int model_gds(const sweep_data *d, const phys_mos_params *q, size_t k,
                     double *g)
{
  double lo, hi;
  if (model_at(d, q, d->g_vgs[k], d->vmid - GDS_DV, &lo) != 0 ||
      model_at(d, q, d->g_vgs[k], d->vmid + GDS_DV, &hi) != 0)
    return -1;
  *g = (hi - lo) / (2 * GDS_DV);
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
  for (size_t k = 0; k < d->ng; k++) {
    double g;
    if (model_gds(d, &q, k, &g) != 0 || !(g > 0))
      return GSL_EDOM;
    gsl_vector_set(f, d->n + k, GDS_WEIGHT * (log(g) - log(d->gds[k])));
  }
  return GSL_SUCCESS;
}

/* Move V_TH0 so that the EKV current at the switching point is the
 * card's: Newton on ln I in V_TH0 (d ln I / d V_TH0 from a difference);
 * a few steps reach ~1e-12 in weak inversion. */
/* The anchored quantity of q: the channel conductance at |V_GS| = vlin,
 * V_DS = 0 (a pseudo-resistor's point) when there is one, else the
 * current at the switching point. */
static int anchor_val(const sweep_data *d, const phys_mos_params *q,
                      double *v)
{
  if (d->vlin > 0) {
    double a, b;
    if (model_at_b(d, q, d->vlin, GLIN_DV, d->vlin_sb, &a) != 0 ||
        model_at_b(d, q, d->vlin, -GLIN_DV, d->vlin_sb, &b) != 0)
      return -1;
    *v = (a + b) / (2 * GLIN_DV);
    return 0;
  }
  return model_at(d, q, d->vmid, d->vmid, v);
}

static int anchor(const sweep_data *d, phys_mos_params *q)
{
  if (!(d->vmid > 0) && !(d->vlin > 0))
    return 0;
  double target = d->vlin > 0 ? d->glin : d->id_mid;
  for (int it = 0; it < 20; it++) {
    double i0, i1;
    phys_mos_params q1 = *q;
    q1.vth0_V += 1e-4;
    if (anchor_val(d, q, &i0) != 0 || anchor_val(d, &q1, &i1) != 0 ||
        !(i0 > 0) || !(i1 > 0) || !(i1 < i0))
      return -1;
    double r = log(i0 / target), slope = (log(i1) - log(i0)) / 1e-4;
    if (fabs(r) < 1e-12)
      break;
    q->vth0_V -= r / slope;
  }
  return 0;
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
  fit->max_gds_rel_err = 0;
  fit->anchor_rel_err = 0;
  for (size_t k = 0; k < d->ng; k++) {
    double g;
    double r = model_gds(d, q, k, &g) == 0 ? fabs(g / d->gds[k] - 1.0) : INFINITY;
    if (r > fit->max_gds_rel_err)
      fit->max_gds_rel_err = r;
  }
  double im;
  if (d->vmid > 0 || d->vlin > 0)
    fit->anchor_rel_err = anchor_val(d, q, &im) == 0
        ? fabs(im / (d->vlin > 0 ? d->glin : d->id_mid) - 1.0) : INFINITY;
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
  fdf.n = d.n + d.ng;
  fdf.p = 4;
  fdf.params = &d;
  gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
  gsl_multifit_nlinear_workspace *w =
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, d.n + d.ng, 4);
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
    if (anchor(&d, out) != 0)
      rc = TK_FAIL(err, TK_ENUMERIC, "EKV fit: no threshold puts the %s on "
                   "the card's", d.vlin > 0 ? "channel conductance at V_DS = 0"
                   : "current at the switching point");
    if (rc == 0)
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
