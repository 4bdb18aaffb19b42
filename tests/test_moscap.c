/* test_moscap.c -- the native MOSFET charge model (physics/phys_moscap.h)
 * against itself (conservation, symmetry, known limits) and against
 * ngspice's BSIM4 small-signal capacitances (@m1[cgg], [cgd], [cgs],
 * [cgb], [cdX], [csX], [capbd], [capbs] after an .op) for the pbit's
 * three devices, with the cell's own EKV parameters and the charge
 * parameters read from the card (ckt_extract_cv), at the pbit's
 * operating points: the pseudo-resistor MR at V_DS = 0 with its source at
 * the control (0.178 / 0.186 / 0.194 V), the digitiser inverters' NMOS and
 * PMOS with the input at those voltages and the output at 0, VDD/2 and
 * VDD, at 27 C, and the same at -40 and 125 C at 0.186 V and at the
 * trip point there -- each device as the native engine takes it to that
 * temperature (ckt_native_device: EKV parameters fitted to the card at
 * -40 / 27 / 125 C, kp_cv with the card's UTE).
 *
 * Limit: |C_native - C_ngspice| <= 10 % |C_ngspice| + 3 % C_gg for each
 * intrinsic entry (the second term admits entries below 3 % of the
 * device's total gate capacitance, e.g. C_gs of a device in weak
 * inversion, where 10 % of a number 1000x smaller than C_gg is not a
 * meaningful test), and 10 % for the junction capacitances.  Measured:
 * every entry above that floor within 2.3 %; at V_DS = 0 the drain and
 * source are compared together (see the comment at the check: BSIM4's
 * charge partition is not symmetric there).  ngspice's
 * @m[cgX] are intrinsic only (BSIM4 keeps the overlap charges apart; at
 * V_GS = 0 it reports C_gs ~ 1e-3 C_gg), so the overlap terms are checked
 * against the card's numbers instead.
 *
 * Workload: ~75 one-device ngspice .op runs (well under a second).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_extract.h"
#include "circuits/ckt_native.h"
#include "physics/phys_const.h"
#include "physics/phys_moscap.h"
#include "tests/tk_test.h"

#define REL_LIM 0.10
#define ABS_LIM_OF_CGG 0.03

static double worst_rel = 0; /* largest |err| / |ngspice| among entries
                                held to the relative limit alone */

/* One entry: native a, ngspice b; cgg for the absolute floor. */
static int near(double a, double b, double cgg)
{
  double lim = REL_LIM * fabs(b) + ABS_LIM_OF_CGG * fabs(cgg);
  if (fabs(b) > ABS_LIM_OF_CGG * fabs(cgg) / REL_LIM) {
    double r = fabs(a - b) / fabs(b);
    if (r > worst_rel)
      worst_rel = r;
  }
  return isfinite(a) && fabs(a - b) <= lim;
}

static void self_checks(void)
{
  phys_mos_params p = phys_mos_default_params(PHYS_NMOS);
  phys_mos_cv cv = phys_mos_cv_default();
  cv.cox_F_per_m2 = 0.0197;
  cv.cgso_F_per_m = 2.3e-10;
  cv.cgdo_F_per_m = 2.1e-10;
  cv.cgbo_F_per_m = 2.56e-11;
  cv.cjsw_F_per_m = 1e-9;
  cv.ps_m = cv.pd_m = p.w_m;
  TKT_OK(phys_mos_cv_check(&cv, NULL) == 0, "capacitance parameters valid");
  phys_mos_cv bad = cv;
  bad.mj = 1.0;
  TKT_OK(phys_mos_cv_check(&bad, NULL) != 0, "grading 1 refused");
  const double bias[][4] = {{0.3127, 0.2211, 0.0, 0.0}, {0.9, 0.05, 0.0, 0.0},
                            {0.9, 0.8, 0.0, 0.0}, {0.05, 0.3, 0.1, 0.0}};
  for (size_t k = 0; k < sizeof bias / sizeof bias[0]; k++) {
    phys_mos_qop op;
    int rc = phys_mos_caps(&p, &cv, bias[k][0], bias[k][1], bias[k][2],
                           bias[k][3], 300.15, &op, NULL);
    TKT_OK(rc == 0, "caps at bias %zu", k);
    double qs = op.q_C[0] + op.q_C[1] + op.q_C[2] + op.q_C[3], row = 0, col = 0;
    for (int i = 0; i < 4; i++) {
      double r = 0, cl = 0;
      for (int j = 0; j < 4; j++) {
        r += op.c_F[i][j];
        cl += op.c_F[j][i];
      }
      row = fmax(row, fabs(r));
      col = fmax(col, fabs(cl));
    }
    double scale = fabs(op.c_F[0][0]);
    /* charge conservation is exact (Q_B is defined as the rest); a common
     * shift of all four terminals changes no charge: both to rounding of
     * the central differences, 1e-6 of C_gg */
    TKT_OK(fabs(qs) <= 1e-12 * fabs(op.q_C[0]) + 1e-30, "charges sum to 0 (%g C)", qs);
    TKT_OK(col <= 1e-6 * scale, "columns sum to 0 (%g of C_gg %g)", col, scale);
    TKT_OK(row <= 1e-6 * scale, "rows sum to 0 (%g of C_gg %g)", row, scale);
  }
  /* known limits, overlap and junctions off: weak inversion C_gg ->
   * C (n-1)/n; strong saturation C_gs -> 2/3 C */
  phys_mos_cv in = cv;
  in.cgso_F_per_m = in.cgdo_F_per_m = in.cgbo_F_per_m = in.cjsw_F_per_m = 0;
  double c = in.cox_F_per_m2 * p.w_m * p.l_m;
  phys_mos_qop op;
  phys_mos_caps(&p, &in, -0.2, 0.3, 0.0, 0.0, 300.15, &op, NULL);
  TKT_REL(op.c_F[0][0], c * (p.n - 1) / p.n, 1e-3, "weak inversion: C_gg = C (n-1)/n");
  p.sigma_dibl = 0;
  phys_mos_caps(&p, &in, 3.0, 4.0, 0.0, 0.0, 300.15, &op, NULL);
  TKT_REL(-op.c_F[0][2], 2.0 / 3.0 * c, 0.03, "saturation: C_gs = 2/3 C");
  TKT_OK(fabs(op.c_F[0][1]) < 0.01 * c, "saturation: C_gd ~ 0 (%g)", op.c_F[0][1]);
  phys_mos_caps(&p, &in, 3.0, 0.0, 0.0, 0.0, 300.15, &op, NULL);
  TKT_REL(-op.c_F[0][2], 0.5 * c, 0.03, "linear, V_DS = 0: C_gs = C/2");
  TKT_REL(op.c_F[0][1], op.c_F[0][2], 1e-6, "V_DS = 0: C_gd = C_gs");
}

typedef struct bias { const char *dev; double vg, vd, vs, vb, temp_K; } bias;

int main(void)
{
  self_checks();
  tk_err err = {0};
  ckt_session *s = NULL;
  if (ckt_session_open(&s, &err) != 0) {
    TKT_OK(0, "session opens (%s)", tk_err_text(&err));
    return tkt_done();
  }
  phys_cell *c = NULL;
  double v0 = 0.186;
  int rc = ckt_cell_build(ckt_cell_find("pbit"), &v0, NULL, &c, &err);
  TKT_OK(rc == 0, "pbit builds (%s)", tk_err_text(&err));
  if (rc != 0) {
    ckt_session_close(s);
    return tkt_done();
  }
  /* overlap against the card: cgso 1.1e-10 F/m + BSIM4's computed
   * fringing cf (1.195e-10 F/m for toxe 1.75 nm) */
  phys_mos_cv cvn;
  rc = ckt_extract_cv(s, "bsim4", PHYS_NMOS, 100e-9, 100e-9, &cvn, &err);
  TKT_OK(rc == 0, "nch charge parameters from the card (%s)", tk_err_text(&err));
  TKT_REL(cvn.cgso_F_per_m, 1.1e-10 + 1.195e-10, 0.01, "nch cgso + cf");
  TKT_REL(cvn.cox_F_per_m2, 3.9 * 8.8541878128e-12 / 1.75e-9, 1e-6, "nch cox");
  TKT_REL(cvn.cgbo_F_per_m, 2.56e-11, 1e-6, "nch cgbo");
  const double vdd = 0.4, ctl[3] = {0.178, 0.186, 0.194};
  bias bl[64];
  size_t nb = 0;
  for (int k = 0; k < 3; k++) {
    bl[nb++] = (bias){"MR", 0.30, ctl[k], ctl[k], 0, PHYS_TNOM_K};
    for (int o = 0; o < 3; o++) {
      double vo = 0.5 * vdd * o;
      bl[nb++] = (bias){"MN1", ctl[k], vo, 0, 0, PHYS_TNOM_K};
      bl[nb++] = (bias){"MP1", ctl[k], vo, vdd, vdd, PHYS_TNOM_K};
    }
  }
  /* -40 and 125 C: the pbit's operating points at its noiseless trip
   * point there (ngspice: 0.1887 V at -40 C, 0.1822 V at 125 C; 0.1861 V
   * at 27 C; experiment native-fidelity) and at 0.186 V */
  const double tk[2] = {233.15, 398.15}, tctl[2][2] = {{0.186, 0.1887},
                                                     {0.186, 0.1822}};
  for (int t = 0; t < 2; t++)
    for (int k = 0; k < 2; k++) {
      bl[nb++] = (bias){"MR", 0.30, tctl[t][k], tctl[t][k], 0, tk[t]};
      for (int o = 0; o < 3; o++) {
        double vo = 0.5 * vdd * o;
        bl[nb++] = (bias){"MN1", tctl[t][k], vo, 0, 0, tk[t]};
        bl[nb++] = (bias){"MP1", tctl[t][k], vo, vdd, vdd, tk[t]};
      }
    }
  printf("# dev   T/K    vg    vd    vs  |  cgg cgd cgs cgb  cdd csd ... "
         "native/ngspice, aF\n");
  for (size_t i = 0; i < nb; i++) {
    const phys_mos *m = NULL;
    for (size_t k = 0; k < c->n_mos; k++)
      if (strcmp(c->mos[k].name, bl[i].dev) == 0)
        m = &c->mos[k];
    if (!TKT_OK(m != NULL, "pbit has %s", bl[i].dev))
      continue;
    phys_mos_cv cv, cvt;
    ckt_op_caps ng;
    phys_mos_qop nq;
    /* the device as the native engine simulates it at this temperature
     * (ckt_native_device: EKV parameters and the charge normalisation at
     * T), with the charge parameters read from the card */
    phys_mos_params mp;
    ckt_native_device(m, bl[i].temp_K, &mp, &cvt);
    rc = ckt_extract_cv(s, "bsim4", m->p.type, m->p.w_m, m->p.l_m, &cv, &err);
    phys_mos_cv c27;
    ckt_native_cv(m, &c27);
    cv.kp_cv_A_per_V2 *= cvt.kp_cv_A_per_V2 / c27.kp_cv_A_per_V2;
    if (rc == 0)
      rc = ckt_extract_op_caps(s, "bsim4", m->p.type, m->p.w_m, m->p.l_m,
                               bl[i].vg, bl[i].vd, bl[i].vs, bl[i].vb,
                               bl[i].temp_K, &ng, &err);
    /* intrinsic only, as ngspice reports them */
    phys_mos_cv ci = cv;
    ci.cgso_F_per_m = ci.cgdo_F_per_m = ci.cgbo_F_per_m = 0;
    ci.cj_F_per_m2 = ci.cjsw_F_per_m = 0;
    if (rc == 0)
      rc = phys_mos_caps(&mp, &ci, bl[i].vg, bl[i].vd, bl[i].vs, bl[i].vb,
                         bl[i].temp_K, &nq, &err);
    phys_mos_qop nj;
    if (rc == 0)
      rc = phys_mos_caps(&mp, &cv, bl[i].vg, bl[i].vd, bl[i].vs, bl[i].vb,
                         bl[i].temp_K, &nj, &err);
    if (!TKT_OK(rc == 0, "%s at bias %zu evaluated (%s)", bl[i].dev, i,
                tk_err_text(&err)))
      continue;
    double nat[12], ref[12] = {ng.cgg, ng.cgd, ng.cgs, ng.cgb, ng.cdg, ng.cdd,
                               ng.cds, ng.cdb, ng.csg, ng.csd, ng.css, ng.csb};
    for (int a = 0; a < 3; a++)
      for (int b = 0; b < 4; b++)
        nat[4 * a + b] = nq.c_F[a][b];
    int ok = 1;
    if (bl[i].vd == bl[i].vs) {
      /* V_DS = 0: BSIM4 splits the channel unequally between drain and
       * source even here (its default partition XPART 0 is 40/60, and its
       * source-referenced charge moves with V_D but hardly with V_S:
       * ngspice's dQ_I/dV_D 1.78 aF against dQ_I/dV_S -0.06 for MP1 at
       * 125 C, V_SG 0.214 V), where the symmetric device and Ward-Dutton
       * give equal shares.  So the drain and source are held together:
       * the rows as their sum (the channel charge Q_D + Q_S), the columns
       * D and S as their sum (a common move of both); native 1.69 aF
       * against 1.72 there. */
      for (int a = 0; a < 2; a++) {
        double sn[4], sr[4];   /* row G (a = 0) or rows D + S (a = 1) */
        for (int k = 0; k < 4; k++) {
          sn[k] = a == 0 ? nat[k] : nat[4 + k] + nat[8 + k];
          sr[k] = a == 0 ? ref[k] : ref[4 + k] + ref[8 + k];
        }
        ok &= near(sn[0], sr[0], ng.cgg) &&
              near(sn[1] + sn[2], sr[1] + sr[2], ng.cgg) &&
              near(sn[3], sr[3], ng.cgg);
      }
    } else {
      for (int k = 0; k < 12; k++)
        ok &= near(nat[k], ref[k], ng.cgg);
    }
    ok &= fabs(nj.cbd_F - ng.capbd) <= REL_LIM * ng.capbd;
    ok &= fabs(nj.cbs_F - ng.capbs) <= REL_LIM * ng.capbs;
    TKT_OK(ok, "%-3s %5.1f K vg %.3f vd %.3f vs %.3f: native/ngspice aF "
           "cgg %.2f/%.2f cgd %.2f/%.2f cgs %.2f/%.2f cgb %.2f/%.2f "
           "cdd %.2f/%.2f css %.2f/%.2f capbd %.1f/%.1f capbs %.1f/%.1f",
           bl[i].dev, bl[i].temp_K, bl[i].vg, bl[i].vd, bl[i].vs,
           nat[0] * 1e18, ref[0] * 1e18, nat[1] * 1e18, ref[1] * 1e18,
           nat[2] * 1e18, ref[2] * 1e18, nat[3] * 1e18, ref[3] * 1e18,
           nat[5] * 1e18, ref[5] * 1e18, nat[10] * 1e18, ref[10] * 1e18,
           nj.cbd_F * 1e18, ng.capbd * 1e18, nj.cbs_F * 1e18, ng.capbs * 1e18);
  }
  printf("# largest relative error among entries above the floor: %.3f\n",
         worst_rel);
  phys_cell_free(c);
  ckt_session_close(s);
  return tkt_done();
}
