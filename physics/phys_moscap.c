/* phys_moscap.c -- EKV charges and capacitances (see phys_moscap.h).
 *
 * Workload: a few devices per cell; called once per bias point by the
 * small-signal checks and per device per Jacobian refresh by the native
 * solver, so it stays allocation-free (7 charge evaluations per matrix).
 */
#include "physics/phys_moscap.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "physics/phys_const.h"

phys_mos_cv phys_mos_cv_default(void)
{
  phys_mos_cv cv;
  memset(&cv, 0, sizeof cv);
  cv.pb_V = 1.0;
  cv.mj = 0.5;
  cv.mjsw = 0.33;
  return cv;
}

int phys_mos_cv_check(const phys_mos_cv *cv, tk_err *err)
{
  if (cv == NULL)
    return TK_FAIL(err, TK_EINVAL, "no MOSFET capacitance parameters");
  if (!isfinite(cv->vfb_V))
    return TK_FAIL(err, TK_ERANGE, "flat-band voltage must be finite");
  const double nonneg[] = {cv->cox_F_per_m2, cv->n_cv, cv->kp_cv_A_per_V2,
                           cv->gamma_sqrtV,
                           cv->dl_m, cv->dw_m,
                           cv->cgso_F_per_m, cv->cgdo_F_per_m,
                           cv->cgbo_F_per_m, cv->cj_F_per_m2,
                           cv->cjsw_F_per_m, cv->as_m2, cv->ad_m2,
                           cv->ps_m, cv->pd_m};
  for (size_t i = 0; i < sizeof nonneg / sizeof nonneg[0]; i++)
    if (!(nonneg[i] >= 0) || !isfinite(nonneg[i]))
      return TK_FAIL(err, TK_ERANGE,
                     "MOSFET capacitance parameter %zu = %g must be >= 0",
                     i, nonneg[i]);
  if (cv->n_cv != 0 && cv->n_cv < 1.0)
    return TK_FAIL(err, TK_ERANGE, "charge slope factor %g must be >= 1",
                   cv->n_cv);
  if (!(cv->pb_V > 0) || !isfinite(cv->pb_V))
    return TK_FAIL(err, TK_ERANGE, "junction potential %g V must be > 0",
                   cv->pb_V);
  if (!(cv->mj >= 0 && cv->mj < 1) || !(cv->mjsw >= 0 && cv->mjsw < 1))
    return TK_FAIL(err, TK_ERANGE, "grading coefficients must be in [0, 1)");
  return TK_OK;
}

/* Depletion charge of a reverse-biased junction of zero-bias capacitance
 * c0 and grading m at reverse voltage vr; constant capacitance below
 * vr = -pb/2. */
static double junction_q(double c0, double pb, double m, double vr)
{
  if (c0 == 0)
    return 0;
  double lo = -0.5 * pb;
  if (vr >= lo)
    return c0 * pb / (1.0 - m) * (pow(1.0 + vr / pb, 1.0 - m) - 1.0);
  double qlo = c0 * pb / (1.0 - m) * (pow(0.5, 1.0 - m) - 1.0);
  double clo = c0 * pow(0.5, -m);
  return qlo + clo * (vr - lo);
}

/* d junction_q / d vr */
static double junction_c(double c0, double pb, double m, double vr)
{
  if (c0 == 0)
    return 0;
  return c0 * pow(1.0 + fmax(vr, -0.5 * pb) / pb, -m);
}

/* Gauss-Legendre on [0, 1], 3 points: exact to degree 5. */
static const double gl_t[3] = {0.11270166537925831, 0.5, 0.88729833462074169};
static const double gl_w[3] = {0.27777777777777778, 0.44444444444444444,
                               0.27777777777777778};

/* NMOS-frame charges (bulk referenced voltages); q[4] G, D, S, B. */
static void charges_nframe(const phys_mos_params *p, const phys_mos_cv *cv,
                           double vgb, double vdb, double vsb, double temp_K,
                           int junctions, double q[4])
{
  double ut = phys_vt_V(temp_K);
  double vth = p->vth0_V + p->tc_vth_V_per_K * (temp_K - p->tnom_K);
  double vp = (vgb - vth + p->sigma_dibl * (vdb + vsb)) / p->n;
  double kr = cv->kp_cv_A_per_V2 > 0 ? p->kp_A_per_V2 / cv->kp_cv_A_per_V2 : 1.0;
  double qf = sqrt(0.25 + kr * phys_ekv_F((vp - vsb) / ut)) - 0.5;
  double qr = sqrt(0.25 + kr * phys_ekv_F((vp - vdb) / ut)) - 0.5;
  double d = qf + qr + 1.0, qavg = 0, qdw = 0;
  for (int k = 0; k < 3; k++) {
    double t = gl_t[k], u = qf + t * (qr - qf);
    double a = u * (2.0 * u + 1.0) / d;
    qavg += gl_w[k] * a;
    qdw += gl_w[k] * a * t * (u + qf + 1.0) / d;
  }
  double weff = p->w_m - cv->dw_m, leff = p->l_m - cv->dl_m;
  double c = cv->cox_F_per_m2 * (weff > 0 ? weff : 0) * (leff > 0 ? leff : 0);
  double n = cv->n_cv > 0 ? cv->n_cv : p->n, qdep;
  if (cv->gamma_sqrtV > 0) {
    double g = cv->gamma_sqrtV, vx = vgb - cv->vfb_V;
    double sq = vx > 0 ? -0.5 * g + sqrt(0.25 * g * g + vx) : 0.0;
    qdep = vx - sq * sq;        /* accumulation: C (V_GB - V_FB) */
    n = 1.0 + g / (2.0 * fmax(sq, g / 6.0));
  } else {
    qdep = (n - 1.0) / n * vgb;
  }
  double qi = -2.0 * n * c * ut * qavg;
  double qd = -2.0 * n * c * ut * qdw;
  double qs = qi - qd;
  double qg = c * (qdep + 2.0 * ut * qavg);
  /* overlap */
  double ovs = cv->cgso_F_per_m * p->w_m * (vgb - vsb);
  double ovd = cv->cgdo_F_per_m * p->w_m * (vgb - vdb);
  double ovb = cv->cgbo_F_per_m * p->l_m * vgb;
  qg += ovs + ovd + ovb;
  qs -= ovs;
  qd -= ovd;
  /* junctions: n+ source/drain over the p bulk, reverse voltage V_DB */
  double jd = !junctions ? 0.0 : junction_q(cv->cj_F_per_m2 * cv->ad_m2, cv->pb_V, cv->mj, vdb) +
              junction_q(cv->cjsw_F_per_m * cv->pd_m, cv->pb_V, cv->mjsw, vdb);
  double js = !junctions ? 0.0 : junction_q(cv->cj_F_per_m2 * cv->as_m2, cv->pb_V, cv->mj, vsb) +
              junction_q(cv->cjsw_F_per_m * cv->ps_m, cv->pb_V, cv->mjsw, vsb);
  qd += jd;
  qs += js;
  q[PHYS_T_G] = qg;
  q[PHYS_T_D] = qd;
  q[PHYS_T_S] = qs;
  q[PHYS_T_B] = -(qg + qd + qs);
}

static int check_args(const phys_mos_params *p, const phys_mos_cv *cv,
                      const double v[4], double temp_K, tk_err *err)
{
  if (p == NULL || cv == NULL)
    return TK_FAIL(err, TK_EINVAL, "no MOSFET parameters");
  for (int i = 0; i < 4; i++)
    if (!isfinite(v[i]))
      return TK_FAIL(err, TK_EINVAL, "MOSFET terminal voltages must be finite");
  if (!(temp_K > 0) || !isfinite(temp_K))
    return TK_FAIL(err, TK_ERANGE, "temperature %g K must be > 0", temp_K);
  return TK_OK;
}

static void charges(const phys_mos_params *p, const phys_mos_cv *cv,
                    const double v[4], double temp_K, int junctions,
                    double q[4])
{
  double sgn = p->type == PHYS_PMOS ? -1.0 : 1.0;
  charges_nframe(p, cv, sgn * (v[0] - v[3]), sgn * (v[1] - v[3]),
                 sgn * (v[2] - v[3]), temp_K, junctions, q);
  for (int i = 0; i < 4; i++)
    q[i] *= sgn;
}

int phys_mos_charges(const phys_mos_params *p, const phys_mos_cv *cv,
                     double vg_V, double vd_V, double vs_V, double vb_V,
                     double temp_K, double q_C[4], tk_err *err)
{
  double v[4] = {vg_V, vd_V, vs_V, vb_V};
  TK_TRY(check_args(p, cv, v, temp_K, err));
  charges(p, cv, v, temp_K, 1, q_C);
  return TK_OK;
}

int phys_mos_caps(const phys_mos_params *p, const phys_mos_cv *cv,
                  double vg_V, double vd_V, double vs_V, double vb_V,
                  double temp_K, phys_mos_qop *op, tk_err *err)
{
  double v[4] = {vg_V, vd_V, vs_V, vb_V};
  TK_TRY(check_args(p, cv, v, temp_K, err));
  const double h = 1e-4;
  charges(p, cv, v, temp_K, 1, op->q_C);
  /* the channel and overlap charges by differences, the junctions
   * (two-terminal, D-B and S-B) from their closed-form capacitance */
  for (int j = 0; j < 3; j++) {
    double vp[4], vm[4], qp[4], qm[4];
    memcpy(vp, v, sizeof vp);
    memcpy(vm, v, sizeof vm);
    vp[j] += h;
    vm[j] -= h;
    charges(p, cv, vp, temp_K, 0, qp);
    charges(p, cv, vm, temp_K, 0, qm);
    for (int i = 0; i < 4; i++)
      op->c_F[i][j] = (qp[i] - qm[i]) / (2.0 * h);
  }
  /* a common shift of all terminals moves no charge: column B */
  for (int i = 0; i < 4; i++)
    op->c_F[i][3] = -(op->c_F[i][0] + op->c_F[i][1] + op->c_F[i][2]);
  double sgn = p->type == PHYS_PMOS ? -1.0 : 1.0;
  double vdb = sgn * (vd_V - vb_V), vsb = sgn * (vs_V - vb_V);
  op->cbd_F = junction_c(cv->cj_F_per_m2 * cv->ad_m2, cv->pb_V, cv->mj, vdb) +
              junction_c(cv->cjsw_F_per_m * cv->pd_m, cv->pb_V, cv->mjsw, vdb);
  op->cbs_F = junction_c(cv->cj_F_per_m2 * cv->as_m2, cv->pb_V, cv->mj, vsb) +
              junction_c(cv->cjsw_F_per_m * cv->ps_m, cv->pb_V, cv->mjsw, vsb);
  op->c_F[PHYS_T_D][PHYS_T_D] += op->cbd_F;
  op->c_F[PHYS_T_D][PHYS_T_B] -= op->cbd_F;
  op->c_F[PHYS_T_B][PHYS_T_D] -= op->cbd_F;
  op->c_F[PHYS_T_B][PHYS_T_B] += op->cbd_F;
  op->c_F[PHYS_T_S][PHYS_T_S] += op->cbs_F;
  op->c_F[PHYS_T_S][PHYS_T_B] -= op->cbs_F;
  op->c_F[PHYS_T_B][PHYS_T_S] -= op->cbs_F;
  op->c_F[PHYS_T_B][PHYS_T_B] += op->cbs_F;
  return TK_OK;
}
