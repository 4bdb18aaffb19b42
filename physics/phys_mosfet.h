/* phys_mosfet.h -- all-region MOSFET current (EKV-style) with temperature.
 *
 * Charge-based EKV long-channel model, bulk referenced:
 *   V_P  = (V_GB - V_TH(T) + sigma (V_DB + V_SB)) / n      pinch-off voltage
 *   I_S  = 2 n mu(T) C_ox (W/L) U_T^2                      specific current
 *   I_F  = I_S F((V_P - V_SB)/U_T),  I_R = I_S F((V_P - V_DB)/U_T)
 *   F(x) = ln^2(1 + e^(x/2))       (-> e^x in weak inversion)
 *   I_D  = I_F - I_R               (positive drain -> source for NMOS)
 * DIBL enters symmetrically in V_D and V_S (sigma, V/V), which equals the
 * usual -sigma V_DS threshold shift for a grounded source and keeps the
 * device in detailed balance at V_DS = 0.
 * Temperature: U_T = kT/q; V_TH(T) = V_TH0 + tc_vth (T - T_nom) (about
 * -1 to -2 mV/K); mu(T) = mu(T_nom) (T/T_nom)^mu_exp with mu_exp = -1.5.
 * PMOS: the same equations on negated terminal voltages; I_D < 0 when
 * current flows source -> drain.  vth0_V is a magnitude for both types.
 *
 * In weak inversion I_F and I_R are the two opposing Poisson carrier
 * fluxes of the shot-noise picture (phys_noise.h).
 */
#ifndef PHYS_MOSFET_H
#define PHYS_MOSFET_H

#include "common/tk_error.h"

typedef enum { PHYS_NMOS = 0, PHYS_PMOS = 1 } phys_mos_type;

typedef struct phys_mos_params {
  phys_mos_type type;   /* NMOS or PMOS */
  double w_m;           /* channel width, > 0 */
  double l_m;           /* channel length, > 0 */
  double vth0_V;        /* threshold magnitude at tnom_K */
  double n;             /* subthreshold slope factor, >= 1 */
  double kp_A_per_V2;   /* mu C_ox at tnom_K, > 0 */
  double sigma_dibl;    /* DIBL coefficient, V/V, >= 0 */
  double tc_vth_V_per_K;/* dV_TH/dT (negative for both types: |V_TH| drops) */
  double mu_exp;        /* mobility exponent, mu ~ T^mu_exp (-1.5) */
  double tnom_K;        /* temperature of vth0_V and kp, > 0 */
} phys_mos_params;

/* Operating point at one bias. */
typedef struct phys_mos_op {
  double id_A;          /* drain current, I_F - I_R (sign as above) */
  double i_f_A;         /* forward component, >= 0 */
  double i_r_A;         /* reverse component, >= 0 */
  double gm_S;          /* dI_D/dV_G, magnitude */
  double gds_S;         /* dI_D/dV_D, magnitude */
  double gms_S;         /* -dI_D/dV_S, magnitude */
  double vth_V;         /* threshold magnitude at this temperature (no DIBL) */
  double is_A;          /* specific current at this temperature */
  double ut_V;          /* thermal voltage kT/q */
  double n;             /* slope factor used */
  double dflux_f;       /* F'(x_f): I_S F'(x_f) is the noise-equivalent forward flux */
  double dflux_r;       /* F'(x_r) */
} phys_mos_op;

/* Defaults: a 45 nm-class NMOS, W = 90 nm, L = 45 nm, V_TH0 = 0.40 V,
 * n = 1.45, kp = 300 uA/V^2, sigma = 0.1, tc = -1.5 mV/K, mu_exp = -1.5,
 * T_nom = 300.15 K.  PMOS: V_TH0 = 0.40 V, kp = 120 uA/V^2. */
phys_mos_params phys_mos_default_params(phys_mos_type type);

/* Check every field (finite, positive where it must be). */
int phys_mos_check(const phys_mos_params *p, tk_err *err);

/* Evaluate at terminal voltages (V) and temperature (K).  Fails on
 * non-finite voltages or temp_K <= 0. */
int phys_mos_eval(const phys_mos_params *p, double vg_V, double vd_V,
                  double vs_V, double vb_V, double temp_K, phys_mos_op *op,
                  tk_err *err);

/* The EKV interpolation F(x) = ln^2(1 + e^(x/2)) and its derivative,
 * computed without overflow or cancellation for any finite x. */
double phys_ekv_F(double x);
double phys_ekv_dF(double x);

#endif
