/* phys_mosfet.c -- EKV-style all-region MOSFET current with temperature.
 *
 * Workload: called per device per time step by the Langevin solver (a few
 * devices, 1e6-1e8 steps) and once per bias point by calibration and the
 * command line, so it stays allocation-free and branch-light.  Derivatives
 * are analytic; tests hold them against finite differences.
 */
#include "physics/phys_mosfet.h"

#include <math.h>
#include <stddef.h>

#include "physics/phys_const.h"

phys_mos_params phys_mos_default_params(phys_mos_type type)
{
  phys_mos_params p;
  p.type = type;
  p.w_m = 90e-9;
  p.l_m = 45e-9;
  p.vth0_V = 0.40;
  p.n = 1.45;
  p.kp_A_per_V2 = type == PHYS_NMOS ? 300e-6 : 120e-6;
  p.sigma_dibl = 0.10;
  p.tc_vth_V_per_K = -1.5e-3;
  p.mu_exp = -1.5;
  p.tnom_K = PHYS_TNOM_K;
  return p;
}

int phys_mos_check(const phys_mos_params *p, tk_err *err)
{
  if (p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no MOSFET parameters");
  if (p->type != PHYS_NMOS && p->type != PHYS_PMOS)
    return TK_FAIL(err, TK_EINVAL, "MOSFET type must be nmos or pmos");
  if (!(p->w_m > 0) || !isfinite(p->w_m))
    return TK_FAIL(err, TK_ERANGE, "MOSFET width %g m must be > 0", p->w_m);
  if (!(p->l_m > 0) || !isfinite(p->l_m))
    return TK_FAIL(err, TK_ERANGE, "MOSFET length %g m must be > 0", p->l_m);
  if (!isfinite(p->vth0_V))
    return TK_FAIL(err, TK_ERANGE, "threshold voltage must be finite");
  if (!(p->n >= 1.0) || !isfinite(p->n))
    return TK_FAIL(err, TK_ERANGE, "slope factor n = %g must be >= 1", p->n);
  if (!(p->kp_A_per_V2 > 0) || !isfinite(p->kp_A_per_V2))
    return TK_FAIL(err, TK_ERANGE, "kp = %g A/V^2 must be > 0", p->kp_A_per_V2);
  if (!(p->sigma_dibl >= 0) || !isfinite(p->sigma_dibl) || p->sigma_dibl >= p->n)
    return TK_FAIL(err, TK_ERANGE, "DIBL sigma = %g must be in [0, n)", p->sigma_dibl);
  if (!isfinite(p->tc_vth_V_per_K) || !isfinite(p->mu_exp))
    return TK_FAIL(err, TK_ERANGE, "temperature coefficients must be finite");
  if (!(p->tnom_K > 0) || !isfinite(p->tnom_K))
    return TK_FAIL(err, TK_ERANGE, "nominal temperature %g K must be > 0", p->tnom_K);
  return TK_OK;
}

/* ln(1 + e^y) without overflow (y large) or loss (y very negative). */
static double softplus(double y)
{
  if (y > 35.0)
    return y + exp(-y);
  if (y < -35.0)
    return exp(y);
  return log1p(exp(y));
}

/* 1 / (1 + e^-y) */
static double logistic(double y)
{
  if (y >= 0)
    return 1.0 / (1.0 + exp(-y));
  double e = exp(y);
  return e / (1.0 + e);
}

double phys_ekv_F(double x)
{
  double s = softplus(0.5 * x);
  return s * s;
}

double phys_ekv_dF(double x)
{
  /* d/dx ln^2(1+e^(x/2)) = ln(1+e^(x/2)) * logistic(x/2) */
  return softplus(0.5 * x) * logistic(0.5 * x);
}

int phys_mos_eval(const phys_mos_params *p, double vg_V, double vd_V,
                  double vs_V, double vb_V, double temp_K, phys_mos_op *op,
                  tk_err *err)
{
  if (!isfinite(vg_V) || !isfinite(vd_V) || !isfinite(vs_V) || !isfinite(vb_V))
    return TK_FAIL(err, TK_EINVAL, "MOSFET terminal voltages must be finite");
  if (!(temp_K > 0) || !isfinite(temp_K))
    return TK_FAIL(err, TK_ERANGE, "temperature %g K must be > 0", temp_K);
  /* PMOS: evaluate the NMOS equations on negated voltages. */
  double sgn = p->type == PHYS_PMOS ? -1.0 : 1.0;
  double vgb = sgn * (vg_V - vb_V);
  double vdb = sgn * (vd_V - vb_V);
  double vsb = sgn * (vs_V - vb_V);

  double ut = phys_vt_V(temp_K);
  double vth = p->vth0_V + p->tc_vth_V_per_K * (temp_K - p->tnom_K);
  double mu_ratio = pow(temp_K / p->tnom_K, p->mu_exp);
  double is = 2.0 * p->n * p->kp_A_per_V2 * mu_ratio * (p->w_m / p->l_m) * ut * ut;

  double vp = (vgb - vth + p->sigma_dibl * (vdb + vsb)) / p->n;
  double xf = (vp - vsb) / ut;
  double xr = (vp - vdb) / ut;
  double ff = phys_ekv_F(xf), fr = phys_ekv_F(xr);
  double dff = phys_ekv_dF(xf), dfr = phys_ekv_dF(xr);

  op->i_f_A = is * ff;
  op->i_r_A = is * fr;
  op->id_A = sgn * (op->i_f_A - op->i_r_A);
  /* Derivatives of I_F - I_R (NMOS frame; magnitudes are frame-free).
   * dxf/dVG = 1/(n ut); dxf/dVD = sigma/(n ut); dxf/dVS = (sigma/n - 1)/ut
   * dxr/dVG = 1/(n ut); dxr/dVD = (sigma/n - 1)/ut; dxr/dVS = sigma/(n ut) */
  double a = 1.0 / (p->n * ut);
  double s = p->sigma_dibl / (p->n * ut);
  double b = (p->sigma_dibl / p->n - 1.0) / ut;
  op->gm_S = fabs(is * a * (dff - dfr));
  op->gds_S = fabs(is * (s * dff - b * dfr));
  op->gms_S = fabs(is * (b * dff - s * dfr));
  op->vth_V = vth;
  op->is_A = is;
  op->ut_V = ut;
  op->n = p->n;
  op->dflux_f = dff;
  op->dflux_r = dfr;
  return TK_OK;
}
