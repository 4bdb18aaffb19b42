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
#include "physics/phys_mosfet.h"

#define CKT_EXTRACT_MAX_VDS 4

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
} ckt_extract_params;

/* bsim4, NMOS, W = L = 100 nm, 300.15 K, V_GS 0 .. 0.40 V in 10 mV,
 * V_DS 0.05, 0.2, 0.4 V (the pbit's VDD 0.4 V range). */
ckt_extract_params ckt_extract_default_params(void);

typedef struct ckt_extract_fit {
  size_t n_points;      /* fitted points */
  double max_rel_err;   /* max |I_EKV / I_card - 1| over them */
  double rms_log_err;   /* rms of ln I_EKV - ln I_card */
} ckt_extract_fit;

/* Run the sweeps in session s and fit; *out gets a full parameter set
 * (w_m, l_m as given).  fit may be NULL. */
int ckt_extract_mos(ckt_session *s, const ckt_extract_params *p,
                    phys_mos_params *out, ckt_extract_fit *fit, tk_err *err);

/* Quality of given parameters against the card's sweeps (no fit). */
int ckt_extract_check(ckt_session *s, const ckt_extract_params *p,
                      const phys_mos_params *mp, ckt_extract_fit *fit,
                      tk_err *err);

#endif
