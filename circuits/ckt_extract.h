/* ckt_extract.h -- EKV device parameters (phys_mosfet.h) extracted from
 * an ngspice model card by fitting DC sweeps.
 *
 * Workload: a few DC sweeps (I_D vs V_GS at a few V_DS, one device of
 * given type, W, L and temperature) and one small least-squares fit per
 * device size; run once to make the tables in circuits/cells/ckt_cells.c,
 * and by tests/test_ckt_native.c to hold those tables against the card.
 *
 * The fit: residuals ln I_EKV - ln I_card over V_GS in [vgs_lo, vgs_hi]
 * at every V_DS given (source and bulk grounded; PMOS on negated
 * voltages), free parameters V_TH0, n, kp and DIBL sigma; tc_vth is set
 * from the card's KT1 (-0.11 V over T/T_nom - 1: -0.37 mV/K) and mu_exp
 * from its UTE (-1.5).  The quality is the largest |I_EKV / I_card - 1|
 * over the fitted points.
 */
#ifndef CKT_EXTRACT_H
#define CKT_EXTRACT_H

#include <stddef.h>

#include "circuits/ckt_session.h"
#include "common/tk_error.h"
#include "physics/phys_moscap.h"
#include "physics/phys_mosfet.h"

#define CKT_EXTRACT_MAX_VDS 4
#define CKT_CARD_MAX_LINES 256

/* A model card that is not one of the shipped sets: a designer's
 * (`characterize --engine native`, circuits/ckt_subckt_native.h).  lines
 * are netlist lines (its .param lines and the .model line, at most
 * CKT_CARD_MAX_LINES), model the name the .model line defines. */
typedef struct ckt_card {
  const char *const *lines; /* [n] netlist lines */
  size_t n;                 /* their number */
  const char *model;        /* the model's name, as an M line names it */
} ckt_card;

typedef struct ckt_extract_params {
  const char *model;    /* model card name (ckt_model_lines), "bsim4" */
  phys_mos_type type;   /* NMOS or PMOS */
  double w_m, l_m;      /* device size */
  double temp_K;        /* temperature of the sweep (= tnom_K of the result) */
  double vgs_lo_V;      /* sweep start, |V_GS| */
  double vgs_hi_V;      /* sweep end, |V_GS| > vgs_lo_V */
  double vgs_step_V;    /* sweep step, > 0 */
  size_t n_vds;         /* number of drain biases, 1..CKT_EXTRACT_MAX_VDS */
  double vds_V[CKT_EXTRACT_MAX_VDS]; /* |V_DS| values, > 0 */
  const ckt_card *card; /* a designer's card instead of model, or NULL */
  /* The switching point (0: none).  A digitising inverter switches with
   * both devices at |V_DS| ~ V_DD/2, and there two things decide a cell:
   * the ratio of the two currents (the trip point: 0.1 mV is 0.03 in
   * P(1) of the pbit) and the output conductance (the stage's gain, so
   * the Miller capacitance on the noise node: both P(1)'s width and tau).
   * With vmid_V > 0 the fit also takes ln g_DS at |V_DS| = vmid_V for
   * |V_GS| within 30 mV of vmid_V, weighted 2 against a current point
   * (the card's by a central difference of two sweeps at
   * vmid -+ 5 mV, the EKV's the same way), and after it V_TH0 is moved so
   * that the EKV current at |V_GS| = |V_DS| = vmid_V is the card's
   * exactly (the anchor).  EKV's DIBL is linear in V_DS and BSIM4's is
   * not (the card's g_DS U_T / I_D falls from 0.042 at 0.2 V to 0.032 at
   * 0.4 V, 27 C): a fit of the currents alone took a DIBL that put the
   * pbit's first-stage gain 10 % (27 C) and 23 % (125 C) above the
   * card's.  Default 0.2 V (V_DD 0.4 V). */
  double vmid_V;
  /* A pseudo-resistor's point (0: none; default 0): |V_GS| = vlin_V at
   * V_DS = 0.  Such a device (the pbit's MR) sets the noise node's
   * relaxation time by its channel conductance there, which a fit of
   * currents at V_DS >= 0.05 V leaves 2-7 % off the card's (-40..125 C).
   * With vlin_V > 0 the anchor moves V_TH0 so that the EKV conductance
   * there (a central difference over V_DS -+ 2 mV) is the card's,
   * instead of the switching point's current.  vlin_sb_V: the source's
   * (= drain's) reverse bias to the bulk there (the pbit's MR sits at
   * V_SB = V_CTL ~ 0.185 V, where BSIM4's body effect and EKV's
   * linearised one differ by several per cent). */
  double vlin_V, vlin_sb_V;
} ckt_extract_params;

/* bsim4, NMOS, W = L = 100 nm, 300.15 K, V_GS 0 .. 0.40 V in 10 mV,
 * V_DS 0.05, 0.2, 0.4 V (the pbit's VDD 0.4 V range), vmid 0.2 V. */
ckt_extract_params ckt_extract_default_params(void);

typedef struct ckt_extract_fit {
  size_t n_points;      /* fitted points */
  double max_rel_err;   /* max |I_EKV / I_card - 1| over them */
  double rms_log_err;   /* rms of ln I_EKV - ln I_card */
  /* with vmid_V > 0: max |g_EKV / g_card - 1| of the output conductance at
   * |V_DS| = vmid_V over the g_DS points (|V_GS| within 30 mV of vmid_V),
   * and the relative error at the anchor (the
   * current at the switching point, or the conductance at the
   * pseudo-resistor's point; ~1e-12) */
  double max_gds_rel_err;
  double anchor_rel_err;
} ckt_extract_fit;

/* Run the sweeps in session s and fit; *out gets a full parameter set
 * (w_m, l_m as given).  fit may be NULL. */
int ckt_extract_mos(ckt_session *s, const ckt_extract_params *p,
                    phys_mos_params *out, ckt_extract_fit *fit, tk_err *err);

/* Quality of given parameters against the card's sweeps (no fit). */
int ckt_extract_check(ckt_session *s, const ckt_extract_params *p,
                      const phys_mos_params *mp, ckt_extract_fit *fit,
                      tk_err *err);

/* ---- capacitances (issue 15; circuits/ckt_extract_cv.c) ----
 * The charge-model parameters (physics/phys_moscap.h) of a device of the
 * card, read from ngspice itself after loading a one-device circuit (the
 * card's values and BSIM4's defaults, "@nch[toxe]" etc.):
 *   cox   = epsrox eps0 / toxe;  kp_cv = u0 cox (low-field mobility);
 *   n_cv from the card's C_gg at V_GS = V_DS = V_BS = 0, 27 C (weak
 *   inversion: C_gg = C_ox W L (n_cv - 1)/n_cv; one .op)
 *   dl, dw = 2 dlc, 2 dwc
 *   overlap cgso + cf, cgdo + cf per width (BSIM4 adds its fringing
 *   capacitance cf to the overlap), cgbo per length;
 *   junctions: cj = cjs, bottom areas as given by the instance (0 for the
 *   cells: no AS/AD); sidewall cjsws + cjswgs over a perimeter W (ngspice
 *   reports capbs = (cjsws + cjswgs) W at zero bias for the cells'
 *   default geometry, measured), grading mjsws, potential pbsws.  Fails if
 *   the card's gate-edge and sidewall gradings or potentials differ. */
int ckt_extract_cv(ckt_session *s, const char *model, phys_mos_type type,
                   double w_m, double l_m, phys_mos_cv *cv, tk_err *err);
/* The same from a designer's card; the one-device circuit (its device
 * "m1") stays loaded in s for further queries. */
int ckt_extract_cv_card(ckt_session *s, const ckt_card *card,
                        phys_mos_type type, double w_m, double l_m,
                        phys_mos_cv *cv, tk_err *err);

/* ngspice's small-signal capacitances of one device of the card at a bias
 * (an .op), in the order of ckt_op_caps. */
typedef struct ckt_op_caps {
  double cgg, cgd, cgs, cgb;  /* dQ_G/dV_x, intrinsic, F (BSIM4 names) */
  double cdg, cdd, cds, cdb;  /* dQ_D/dV_x */
  double csg, csd, css, csb;  /* dQ_S/dV_x */
  double capbd, capbs;        /* junction capacitances, F */
} ckt_op_caps;

int ckt_extract_op_caps(ckt_session *s, const char *model, phys_mos_type type,
                        double w_m, double l_m, double vg_V, double vd_V,
                        double vs_V, double vb_V, double temp_K,
                        ckt_op_caps *out, tk_err *err);

#endif
