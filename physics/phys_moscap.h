/* phys_moscap.h -- charge-conserving MOSFET charges and capacitances for
 * the EKV current model (phys_mosfet.h).
 *
 * Intrinsic (channel) charges, EKV charge model with a linearised
 * surface potential, NMOS frame, bulk referenced:
 *   q_f,r = sqrt(1/4 + F(x_f,r)) - 1/2     normalised forward/reverse
 *                                          inversion charge (i = q^2 + q)
 *   along the channel q^2 + q is linear in x (current continuity), so with
 *   u = q_f + t (q_r - q_f), D = q_f + q_r + 1, dx/L = (2u + 1) dt / D,
 *   x/L = t (u + q_f + 1) / D:
 *   q_avg = int_0^1 u (2u + 1) / D dt            (mean inversion charge)
 *   q_dw  = int_0^1 u (2u + 1) t (u + q_f + 1) / D^2 dt  (Ward-Dutton
 *                                                   drain share)
 *   C     = cox W_eff L_eff
 *   Q_I   = -2 n C U_T q_avg,  Q_D = -2 n C U_T q_dw,  Q_S = Q_I - Q_D
 *   Q_G   = C ((n - 1)/n V_GB + 2 U_T q_avg)      (oxide field: the
 *           surface potential is psi_P - 2 U_T q with d psi_P/dV_GB = 1/n)
 *   Q_B   = -(Q_G + Q_D + Q_S)                    (charge conservation)
 * In weak inversion this is C_gb = C (n - 1)/n (oxide in series with the
 * depletion layer); in saturation C_gs = 2/3 n C d q/d x... -> 2/3 C.
 * The integrands are polynomials of degree <= 4 in t, so 3-point
 * Gauss-Legendre quadrature is exact.  n_cv (if > 0) replaces n in the
 * charge equations: BSIM4's capacitance model (capmod 2) has its own
 * depletion charge, which the DC slope factor need not match.  The
 * charge normalisation: i = F(x) kp / kp_cv, where kp (phys_mos_params)
 * is the fitted current factor (mobility degradation and series effects
 * folded in) and kp_cv the card's low-field mu_0 C_ox: the same current
 * needs less charge at the higher mobility (measured on the bsim4 card:
 * without it the inversion charge is 2-2.5x BSIM4's).
 *
 * Extrinsic terms, linear as in BSIM4 capmod 2 with default CKAPPA/CGSL:
 *   overlap  Q_G += cgso W (V_G - V_S) + cgdo W (V_G - V_D)
 *                 + cgbo L (V_G - V_B), the opposite charge on S, D, B;
 *   junction (bulk-drain, bulk-source diodes, reverse-biased depletion):
 *     C_j(V_R) = cj A (1 + V_R/pb)^-mj + cjsw P (1 + V_R/pb)^-mjsw,
 *     V_R clamped at -pb/2 in forward bias (linear extension beyond).
 * PMOS: the NMOS equations on negated voltages; charges negated.
 *
 * Capacitance matrix c[i][j] = dQ_i / dV_j over terminals G, D, S, B
 * (rows sum to 0 by charge conservation, columns to 0 by invariance to a
 * common shift).  ngspice's small-signal names: C_gg = c[0][0],
 * C_gd = -c[0][1], C_gs = -c[0][2], C_gb = -c[0][3], etc.
 * Derivatives: central differences of the charges (step 1e-4 V), exact
 * to O(h^2) -- about 1e-8 relative -- in V_G, V_D, V_S; the V_B column
 * from invariance to a common shift (columns sum to 0 exactly).
 */
#ifndef PHYS_MOSCAP_H
#define PHYS_MOSCAP_H

#include "common/tk_error.h"
#include "physics/phys_mosfet.h"

enum { PHYS_T_G = 0, PHYS_T_D = 1, PHYS_T_S = 2, PHYS_T_B = 3 };

typedef struct phys_mos_cv {
  double cox_F_per_m2;  /* intrinsic gate capacitance per area (0: none) */
  double n_cv;          /* slope factor of the charge model (0: the DC n) */
  double kp_cv_A_per_V2;/* low-field mu C_ox of the charge (0: kp), >= kp */
  double gamma_sqrtV;   /* body factor of the depletion charge (0: linear,
                           n_cv) */
  double vfb_V;         /* flat-band voltage of the depletion charge */
  double dl_m, dw_m;    /* L_eff = L - dl, W_eff = W - dw (>= 0) */
  double cgso_F_per_m;  /* gate-source overlap, per width */
  double cgdo_F_per_m;  /* gate-drain overlap, per width */
  double cgbo_F_per_m;  /* gate-bulk overlap, per length */
  double cj_F_per_m2;   /* junction bottom capacitance at zero bias */
  double cjsw_F_per_m;  /* junction sidewall capacitance at zero bias */
  double pb_V;          /* junction built-in potential, > 0 */
  double mj, mjsw;      /* grading coefficients, in [0, 1) */
  double as_m2, ad_m2;  /* source / drain junction area */
  double ps_m, pd_m;    /* source / drain junction perimeter */
} phys_mos_cv;

/* Charges (C) and capacitance matrix (F) at one bias. */
typedef struct phys_mos_qop {
  double q_C[4];        /* Q_G, Q_D, Q_S, Q_B (sum 0) */
  double c_F[4][4];     /* dQ_i/dV_j, terminals G, D, S, B */
  double cbd_F, cbs_F;  /* junction capacitances alone (>= 0) */
} phys_mos_qop;

/* All zero except pb 1 V, mj 0.5, mjsw 0.33 (BSIM4's defaults). */
phys_mos_cv phys_mos_cv_default(void);
int phys_mos_cv_check(const phys_mos_cv *cv, tk_err *err);

/* Charges only (no derivatives); q_C[4] as in phys_mos_qop. */
int phys_mos_charges(const phys_mos_params *p, const phys_mos_cv *cv,
                     double vg_V, double vd_V, double vs_V, double vb_V,
                     double temp_K, double q_C[4], tk_err *err);

/* Charges and the capacitance matrix. */
int phys_mos_caps(const phys_mos_params *p, const phys_mos_cv *cv,
                  double vg_V, double vd_V, double vs_V, double vb_V,
                  double temp_K, phys_mos_qop *op, tk_err *err);

#endif
