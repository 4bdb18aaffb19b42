/* ckt_cells.c -- the sampling cells (see ckt_cells.h).
 *
 * Workload: a handful of devices per cell, built once per run.
 *
 * pbit (after FINDINGS.md's recipe, re-tuned for our BSIM4 card).  A
 * noise node X (capacitance C_X to ground, plus the first inverter's gate
 * and Miller capacitance) hangs on the control voltage VCTL through a
 * pseudo-resistor: an NMOS MR in weak/moderate inversion (gate VB) with
 * no DC current (V_DS ~ 0), so its channel noise is 4kT g_ds and X wanders
 * around VCTL by sqrt(kT/C) (about 1-2 mV measured: the Miller capacitance
 * of the high-gain first stage adds several fF) with relaxation time
 * C / g_ds.  Four subthreshold inverters at VDD = 0.4 V digitise X against
 * the first stage's trip point: OUT = 1 when X is above it, so
 * P(1) ~ Phi((VCTL - V_trip) / sigma_X), a sigmoid about 10 mV wide.
 *   MR       X    VB   VCTL 0      NMOS W 90n  L 90n
 *   MNk/MPk  inverter k = 1..4, NMOS/PMOS W 100n L 100n: X->d1->d2->d3->OUT
 * Capacitors: C_X 0.25 fF (--cnoise), d1..d3 and OUT 0.2 fF.
 * Why these numbers (measured, ngspice 39.3, bsim4 card):
 *   - at VDD 0.2 V and L 45 nm DIBL leaves a subthreshold inverter with a
 *     gain below 1; at L 100 nm and V_TH0 0.45 V its currents (~0.1 pA)
 *     made the chain microseconds slow; V_TH0 0.30 V and VDD 0.4 V give
 *     ~10-100 pA and a chain that follows X within ~0.1 us;
 *   - tau is set by VB (g_ds of MR, ~70 mV/decade) and C_X, but below
 *     ~0.3 us it is limited by the digitiser's speed, not by MR.
 * VB is a gate bias rail (no DC current), default 0.30 V.
 */
#include "circuits/cells/ckt_cells.h"

/* Digitiser inverters: long channels, since at L = 45 nm DIBL leaves a
 * subthreshold inverter at 0.2 V with a gain below 1. */
#define INV_W_M 100e-9
#define INV_L_M 100e-9
#define PBIT_VDD_V 0.4   /* supply of the digitiser */
#define PBIT_VB_V 0.30   /* pseudo-resistor gate bias (a gate: no DC current) */
#define PBIT_NINV 4       /* inverters digitising the noise node (even) */
#define PBIT_CDIG_F 0.2e-15 /* digitiser node capacitance: its kT/C noise,
                             divided by the stage gain, stays well below
                             the noise node's */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "physics/phys_const.h"

static double pick(double v, double dflt)
{
  return (isfinite(v) && v != 0) ? v : dflt;
}

/* EKV parameters of the bsim4 card (circuits/models/ckt_models.c) at the
 * cells' device sizes, so that the native solver simulates the devices
 * ngspice does.  Extracted by ckt_extract_mos() (circuits/ckt_extract.h):
 * DC sweeps V_GS 0..0.40 V in 10 mV at V_DS 0.05, 0.2, 0.4 V, 27 C, fit of
 * ln I_D (123 points each), and for what decides the cells:
 *   - the digitiser's NMOS/PMOS 100/100 nm with their output conductance
 *     at the switching point (vmid 0.2 V: g_DS at V_DS 0.2 V for V_GS
 *     within 30 mV of 0.2 V) and V_TH0 anchored so that the current at
 *     V_GS = V_DS = 0.2 V is the card's exactly (the trip point: 0.1 mV
 *     of it is 0.03 in P(1));
 *   - MR (NMOS 90/90 nm) anchored at its own point, V_GS 0.115 V, V_SB
 *     0.185 V, V_DS = 0: its channel conductance is the card's (it sets
 *     the noise node's relaxation).
 * tests/test_ckt_native.c re-runs the sweeps and holds these rows against
 * the card.  Fit quality for the rows below (6 digits: the anchors hold
 * to 4e-5): max |I_EKV/I_card - 1| over the sweeps MR 5.9 %, NMOS 9.5 %,
 * PMOS 8.3 % (rms of ln I_D 1.7-2.6 %), g_DS at the switching point
 * within 1.4 % (N) and 2.2 % (P).  A fit of the currents alone (the rows
 * before: max 5-7 %) put the first stage's gain 10 % above the card's at
 * 27 C and 23 % at 125 C (BSIM4's DIBL is not linear in V_DS: g_DS U_T /
 * I_D 0.042 at V_DS 0.2 V, 0.032 at 0.4 V), hence the Miller capacitance
 * on the noise node: the 125 C native pbit's tau 7 % long and its P(1)
 * curve too steep (docs/FINDINGS.md).  (The former defaults -- V_TH0
 * 0.40 V, n 1.45, kp 300/120 uA/V^2 -- were off by a factor 16-19 in
 * current.)
 * tc_vth from the card's KT1 (-0.11 V / T_nom = -0.37 mV/K), mu_exp = UTE.
 * A device of a size not listed takes the row of its type with the
 * nearest L (W only scales I_S). */
typedef struct ekv_row {
  phys_mos_type type;   /* device type */
  double w_m, l_m;      /* size the row was extracted at */
  double vth0_V;        /* threshold magnitude at 27 C */
  double n;             /* subthreshold slope factor */
  double kp_A_per_V2;   /* mu C_ox */
  double sigma_dibl;    /* DIBL, V/V */
} ekv_row;

static const ekv_row ekv_bsim4[] = {
  {PHYS_NMOS, 90e-9, 90e-9, 0.404994, 1.169401, 462.06e-6, 0.054388},
  {PHYS_NMOS, 100e-9, 100e-9, 0.402817, 1.167279, 421.31e-6, 0.049185},
  {PHYS_PMOS, 100e-9, 100e-9, 0.409216, 1.176895, 191.06e-6, 0.048564},
};

static phys_mos_params ekv_params(phys_mos_type type, double w, double l)
{
  phys_mos_params p = phys_mos_default_params(type);
  const ekv_row *best = NULL;
  for (size_t i = 0; i < sizeof ekv_bsim4 / sizeof ekv_bsim4[0]; i++) {
    const ekv_row *r = &ekv_bsim4[i];
    if (r->type != type)
      continue;
    if (best == NULL || fabs(log(r->l_m / l)) < fabs(log(best->l_m / l)) ||
        (r->l_m == best->l_m && fabs(log(r->w_m / w)) < fabs(log(best->w_m / w))))
      best = r;
  }
  if (best != NULL) {
    p.vth0_V = best->vth0_V;
    p.n = best->n;
    p.kp_A_per_V2 = best->kp_A_per_V2;
    p.sigma_dibl = best->sigma_dibl;
    p.tc_vth_V_per_K = -0.11 / PHYS_TNOM_K;
    p.mu_exp = -1.5;
    p.tnom_K = PHYS_TNOM_K;
  }
  p.w_m = w;
  p.l_m = l;
  return p;
}

static int mos(phys_cell *c, const char *name, phys_mos_type type, int d,
               int g, int s, int b, double w, double l, tk_err *err)
{
  phys_mos_params p = ekv_params(type, w, l);
  return phys_cell_add_mos(c, name, d, g, s, b, &p, err);
}

/* An inverter in -> out between vdd and ground. */
static int inverter(phys_cell *c, const char *tag, int in, int out, int vdd,
                    tk_err *err)
{
  char n[PHYS_NAME_MAX], p[PHYS_NAME_MAX];
  snprintf(n, sizeof n, "MN%s", tag);
  snprintf(p, sizeof p, "MP%s", tag);
  TK_TRY(mos(c, n, PHYS_NMOS, out, in, 0, 0, INV_W_M, INV_L_M, err));
  TK_TRY(mos(c, p, PHYS_PMOS, out, in, vdd, vdd, INV_W_M, INV_L_M, err));
  return TK_OK;
}

/* The pbit core: x on MR to vctl, PBIT_NINV inverters to "out"; the last
 * inverter's PMOS source is node `top` (the supply, or gmm2's vsep). */
static int pbit_core_p(phys_cell *c, const char *pre, const char *ctl,
                       double vctl_V, const ckt_cell_opts *o, int ivdd,
                       int top, tk_err *err)
{
  double cx = pick(o ? o->c_noise_F : 0, 0.25e-15);
  double vb = pick(o ? o->vbias_V : 0, PBIT_VB_V);
  double vdd = c->nodes[ivdd].v_V;
  int ictl, ivb, ix;
  char nm[PHYS_NAME_MAX], tag[16];
  TK_TRY(phys_cell_add_fixed(c, ctl, vctl_V, 0, &ictl, err));
  ivb = phys_cell_node(c, "vb");
  if (ivb < 0)
    TK_TRY(phys_cell_add_fixed(c, "vb", vb, 0, &ivb, err));
  snprintf(nm, sizeof nm, "%sx", pre);
  TK_TRY(phys_cell_add_free(c, nm, cx, vctl_V, &ix, err));
  snprintf(nm, sizeof nm, "MR%s", pre);
  TK_TRY(mos(c, nm, PHYS_NMOS, ix, ivb, ictl, 0, 90e-9, 90e-9, err));
  /* PBIT_NINV inverters x -> d1 -> d2 -> d3 -> out (even: out follows x) */
  int in = ix;
  for (int k = 1; k <= PBIT_NINV; k++) {
    int o_idx;
    if (k == PBIT_NINV)
      snprintf(nm, sizeof nm, "%sout", pre);
    else
      snprintf(nm, sizeof nm, "%sd%d", pre, k);
    snprintf(tag, sizeof tag, "%s%d", pre, k);
    TK_TRY(phys_cell_add_free(c, nm, PBIT_CDIG_F, k % 2 ? vdd : 0.0, &o_idx, err));
    TK_TRY(inverter(c, tag, in, o_idx, k == PBIT_NINV ? top : ivdd, err));
    in = o_idx;
  }
  return TK_OK;
}

static int pbit_core(phys_cell *c, const double *vctl_V, const ckt_cell_opts *o,
                     int ivdd, int top, tk_err *err)
{
  return pbit_core_p(c, "", "vctl", vctl_V[0], o, ivdd, top, err);
}

/* A NOR gate: NMOS in parallel to ground, PMOS in series from vdd. */
static int nor_gate(phys_cell *c, const char *tag, const int *in, int n,
                    int out, int ivdd, tk_err *err)
{
  char nm[PHYS_NAME_MAX];
  int upper = ivdd;
  for (int i = 0; i < n; i++) {
    snprintf(nm, sizeof nm, "MN%s_%d", tag, i);
    TK_TRY(mos(c, nm, PHYS_NMOS, out, in[i], 0, 0, INV_W_M, INV_L_M, err));
    int lower = out;
    if (i + 1 < n) {
      snprintf(nm, sizeof nm, "%s_s%d", tag, i);
      TK_TRY(phys_cell_add_free(c, nm, 0.05e-15, c->nodes[ivdd].v_V, &lower, err));
    }
    snprintf(nm, sizeof nm, "MP%s_%d", tag, i);
    TK_TRY(mos(c, nm, PHYS_PMOS, lower, in[i], upper, ivdd, 2 * INV_W_M,
               INV_L_M, err));
    upper = lower;
  }
  return TK_OK;
}

/* cat4: four pbit cores p0..p3 (controls vc0..vc3, outputs b_k = pkout,
 * complements pkd3) and a priority chain of NOR gates making one-hot
 * lines: y0 = b0, y1 = !b0 b1 = NOR(b0, !b1), y2 = NOR(b0, b1, !b2),
 * y3 = NOR(b0, b1, b2, !b3).  The state is the line that is high; when
 * none is (all b_k = 0) the state keeps its last value (the digitiser's
 * hysteresis), so raising vc_k raises P(state k) and lowers the others. */
static int build_cat4(const double *vctl_V, const ckt_cell_opts *o,
                      phys_cell **out, tk_err *err)
{
  double vdd = pick(o ? o->vdd_V : 0, PBIT_VDD_V);
  phys_cell *c = NULL;
  int ivdd, rc, b[4], nb[4], y;
  char pre[8], ctl[8], nm[PHYS_NAME_MAX];
  TK_TRY(phys_cell_alloc(&c, err));
  if ((rc = phys_cell_add_fixed(c, "vdd", vdd, 1, &ivdd, err)) != 0)
    goto fail;
  for (int k = 0; k < 4; k++) {
    snprintf(pre, sizeof pre, "p%d", k);
    snprintf(ctl, sizeof ctl, "vc%d", k);
    if ((rc = pbit_core_p(c, pre, ctl, vctl_V[k], o, ivdd, ivdd, err)) != 0)
      goto fail;
    snprintf(nm, sizeof nm, "p%dout", k);
    b[k] = phys_cell_node(c, nm);
    snprintf(nm, sizeof nm, "p%dd3", k);
    nb[k] = phys_cell_node(c, nm);
  }
  for (int k = 1; k < 4; k++) {
    int in[4];
    for (int i = 0; i < k; i++)
      in[i] = b[i];
    in[k] = nb[k];
    snprintf(nm, sizeof nm, "y%d", k);
    char tag[8];
    snprintf(tag, sizeof tag, "G%d", k);
    if ((rc = phys_cell_add_free(c, nm, PBIT_CDIG_F, 0.0, &y, err)) != 0 ||
        (rc = nor_gate(c, tag, in, k + 1, y, ivdd, err)) != 0)
      goto fail;
  }
  *out = c;
  return TK_OK;
fail:
  phys_cell_free(c);
  return rc;
}

static int build_pbit(const double *vctl_V, const ckt_cell_opts *o,
                      phys_cell **out, tk_err *err)
{
  double vdd = pick(o ? o->vdd_V : 0, PBIT_VDD_V);
  phys_cell *c = NULL;
  int ivdd, rc;
  TK_TRY(phys_cell_alloc(&c, err));
  if ((rc = phys_cell_add_fixed(c, "vdd", vdd, 1, &ivdd, err)) != 0 ||
      (rc = pbit_core(c, vctl_V, o, ivdd, ivdd, err)) != 0) {
    phys_cell_free(c);
    return rc;
  }
  *out = c;
  return TK_OK;
}

/* gmm2: the pbit core with its last inverter supplied from the second
 * control VSEP (its output swings 0 .. VSEP), followed by an NMOS
 * pseudo-resistor MY (gate GMM_VBY_V) onto the output node y (C_Y): y is
 * a kT/C Gaussian around 0 or around VSEP, switching with the pbit's
 * state.  VCTL sets the weight of the upper mode, VSEP the separation.
 * Measured (20 us, seed 4): VSEP 0.3 V, VCTL 0.183/0.186/0.189 V -> w0
 * 1.00/0.66/0.02; VCTL 0.186 V, VSEP 0.2/0.3/0.4 V -> mu1 0.17/0.30/0.40 V,
 * mu0 ~0-7 mV.  Below VSEP ~0.15 V the last inverter's pull-up is too weak
 * and the upper mode collapses (documented range 0.2-0.4 V). */
#define GMM_VBY_V 0.75     /* MY gate bias rail (no DC current) */
#define GMM_CY_F 1e-15     /* output node capacitance: sigma ~ 2 mV */
static int build_gmm2(const double *vctl_V, const ckt_cell_opts *o,
                      phys_cell **out, tk_err *err)
{
  double vdd = pick(o ? o->vdd_V : 0, PBIT_VDD_V);
  phys_cell *c = NULL;
  int ivdd, isep, iby, iy, rc;
  TK_TRY(phys_cell_alloc(&c, err));
  if ((rc = phys_cell_add_fixed(c, "vdd", vdd, 1, &ivdd, err)) != 0 ||
      (rc = phys_cell_add_fixed(c, "vsep", vctl_V[1], 1, &isep, err)) != 0 ||
      (rc = pbit_core(c, vctl_V, o, ivdd, isep, err)) != 0 ||
      (rc = phys_cell_add_fixed(c, "vby", GMM_VBY_V, 0, &iby, err)) != 0 ||
      (rc = phys_cell_add_free(c, "y", GMM_CY_F, 0.0, &iy, err)) != 0 ||
      (rc = mos(c, "MY", PHYS_NMOS, iy, iby, phys_cell_node(c, "out"), 0,
                90e-9, 360e-9, err)) != 0) {
    phys_cell_free(c);
    return rc;
  }
  *out = c;
  return TK_OK;
}

/* pbit-fast (issue 20): the pbit at the published operating point.  The
 * same topology as the pbit -- a noise node X on the control through an
 * NMOS pseudo-resistor MR, four inverters to OUT -- with the digitiser cut
 * down to what its speed needs:
 *   MR       X    VB   VCTL 0      NMOS W 90n L 90n, VB 0.40 V (a gate)
 *   MNk/MPk  inverter k = 1..4, W 90n L 60n: X->d1->d2->d3->OUT
 *   C_X, C_d1..C_OUT  0.05 fF each (the devices' own capacitances, BSIM4
 *                     capmod 2, dominate).
 * Measured (ngspice, bsim4 card, 27 C; experiments/REPORT.md pbit-speed,
 * docs/FINDINGS.md): the output's correlation time is set by the
 * digitiser, not by MR -- the first inverter at its trip point is a
 * high-gain stage whose output pole C_d1 / g_out (g_out ~ I_D sigma_DIBL /
 * n U_T) low-passes X; lowering VB (MR's conductance 100x weaker) leaves
 * tau unchanged.  The knob is therefore the supply VDD (`--vdd`, the
 * cell's bias voltage, documented over 0.20-0.40 V: `tsukit cells`
 * knob=vdd): I_D at the trip point grows ~e^(VDD / 2 n U_T), tau 38-46
 * ns at 0.40 V (the fastest setting; two runs), 123 ns at 0.32 V, 686 ns
 * at 0.22 V, 1.01 +- 0.09 us at 0.20 V, while the energy per independent
 * bit ~ VDD C_d1 n U_T / sigma_DIBL falls slowly with VDD (220-254 aJ at
 * 0.40 V, 91 +- 9 aJ at 0.20 V).  The trip point follows the supply:
 * P(1) = 1/2 within ~1.5 mV of VCTL = 0.4888 VDD - 7.3 mV (measured 0.20-
 * 0.40 V); the documented control range is at 0.40 V.
 * Shorter inverters (L 60 nm against the pbit's 100 nm) have lower gain
 * (more DIBL) and smaller capacitances: both shorten C_d1 / g_out. */
#define PBITF_VDD_V 0.40   /* default supply = the fastest setting */
#define PBITF_VDD_MIN_V 0.20 /* the knob's slow end (tau ~1 us) */
#define PBITF_VB_V 0.40    /* MR's gate bias rail (no DC current) */
#define PBITF_INV_W_M 90e-9
#define PBITF_INV_L_M 60e-9
#define PBITF_C_F 0.05e-15 /* explicit node capacitors */
#define PBITF_NINV 4
static int build_pbit_fast(const double *vctl_V, const ckt_cell_opts *o,
                           phys_cell **out, tk_err *err)
{
  double vdd = pick(o ? o->vdd_V : 0, PBITF_VDD_V);
  double cx = pick(o ? o->c_noise_F : 0, PBITF_C_F);
  double vb = pick(o ? o->vbias_V : 0, PBITF_VB_V);
  phys_cell *c = NULL;
  int ivdd, ictl, ivb, ix, rc = 0, in;
  char nm[PHYS_NAME_MAX];
  TK_TRY(phys_cell_alloc(&c, err));
  if ((rc = phys_cell_add_fixed(c, "vdd", vdd, 1, &ivdd, err)) != 0 ||
      (rc = phys_cell_add_fixed(c, "vctl", vctl_V[0], 0, &ictl, err)) != 0 ||
      (rc = phys_cell_add_fixed(c, "vb", vb, 0, &ivb, err)) != 0 ||
      (rc = phys_cell_add_free(c, "x", cx, vctl_V[0], &ix, err)) != 0 ||
      (rc = mos(c, "MR", PHYS_NMOS, ix, ivb, ictl, 0, 90e-9, 90e-9, err)) != 0)
    goto fail;
  in = ix;
  for (int k = 1; k <= PBITF_NINV; k++) {
    int od;
    if (k == PBITF_NINV)
      snprintf(nm, sizeof nm, "out");
    else
      snprintf(nm, sizeof nm, "d%d", k);
    if ((rc = phys_cell_add_free(c, nm, PBITF_C_F, k % 2 ? vdd : 0.0, &od,
                                 err)) != 0)
      goto fail;
    snprintf(nm, sizeof nm, "MN%d", k);
    if ((rc = mos(c, nm, PHYS_NMOS, od, in, 0, 0, PBITF_INV_W_M,
                  PBITF_INV_L_M, err)) != 0)
      goto fail;
    snprintf(nm, sizeof nm, "MP%d", k);
    if ((rc = mos(c, nm, PHYS_PMOS, od, in, ivdd, ivdd, PBITF_INV_W_M,
                  PBITF_INV_L_M, err)) != 0)
      goto fail;
    in = od;
  }
  *out = c;
  return TK_OK;
fail:
  phys_cell_free(c);
  return rc;
}

static const ckt_cell_info cells[] = {
  {"pbit", CKT_CELL_PBIT, "vctl,out,vdd", "vctl", 1, {0.178}, {0.194}, "out",
   PBIT_VDD_V, 700e-9, 0.5e-9, 2e-9, build_pbit},
  {"cat4", CKT_CELL_CATEGORICAL, "vc0,vc1,vc2,vc3,p0out,y1,y2,y3,vdd",
   "vc0,vc1,vc2,vc3", 4, {0.178, 0.178, 0.178, 0.178},
   {0.194, 0.194, 0.194, 0.194}, "p0out,y1,y2,y3", PBIT_VDD_V, 700e-9,
   0.5e-9, 2e-9, build_cat4},
  {"gmm2", CKT_CELL_GMM, "vctl,vsep,y,vdd", "vctl,vsep", 2, {0.180, 0.2},
   {0.192, 0.4}, "y", PBIT_VDD_V, 700e-9, 0.5e-9, 2e-9, build_gmm2},
  {"pbit-fast", CKT_CELL_PBIT, "vctl,out,vdd", "vctl", 1, {0.182}, {0.195},
   "out", PBITF_VDD_V, 40e-9, 0.2e-9, 0.5e-9, build_pbit_fast},
};

/* The documented bias knobs (`tsukit cells`: knob=, knob_range_V=). */
static const ckt_cell_knob knobs[] = {
  {"pbit-fast", "vdd", PBITF_VDD_MIN_V, PBITF_VDD_V},
};

const ckt_cell_knob *ckt_cell_knob_of(const ckt_cell_info *ci)
{
  for (size_t i = 0; ci != NULL && i < sizeof knobs / sizeof knobs[0]; i++)
    if (strcmp(knobs[i].cell, ci->name) == 0)
      return &knobs[i];
  return NULL;
}

size_t ckt_cell_count(void) { return sizeof cells / sizeof cells[0]; }

const ckt_cell_info *ckt_cell_at(size_t i)
{
  return i < ckt_cell_count() ? &cells[i] : NULL;
}

const ckt_cell_info *ckt_cell_find(const char *name)
{
  for (size_t i = 0; i < ckt_cell_count(); i++)
    if (name != NULL && strcmp(cells[i].name, name) == 0)
      return &cells[i];
  return NULL;
}

int ckt_cell_build(const ckt_cell_info *ci, const double *vctl_V,
                   const ckt_cell_opts *o, phys_cell **out, tk_err *err)
{
  *out = NULL;
  double vdd = pick(o ? o->vdd_V : 0, ci->vdd_V);
  for (size_t i = 0; i < ci->n_ctl; i++)
    if (!(vctl_V[i] >= 0 && vctl_V[i] <= vdd))
      return TK_FAIL(err, TK_ERANGE,
                     "control %zu of %s: %g V is outside the supply [0, %g] V",
                     i + 1, ci->name, vctl_V[i], vdd);
  return ci->build(vctl_V, o, out, err);
}
