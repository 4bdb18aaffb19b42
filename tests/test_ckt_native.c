/* test_ckt_native.c -- the native solver's devices against the ngspice
 * model card: EKV parameters extracted from bsim4 DC sweeps
 * (ckt_extract.h) for the pbit's three device sizes, and the pbit cell's
 * own devices (circuits/cells/ckt_cells.c table) held against the card.
 *
 * Then both engines on the pbit at the ends of its documented range
 * (0.178 and 0.194 V, 5 us, seed 1): P(1) must agree within the issue's
 * 0.05.  This checks that the native devices switch the digitiser at the
 * card's trip point (with the old EKV defaults native P(1) was 0.76 at
 * the middle, 0.186 V, against 0.43); measured over 40 us the ends give
 * native 0.006 / 0.987 against 0 / 1.  The middle is not tested: tau
 * differs 3-4x (no device capacitances in the native solver, FINDINGS.md)
 * and P(1) there needs ~40 us per engine to resolve 0.05.
 *
 * Workload: nine DC sweeps of 41 points and three 4-parameter fits
 * (under a second), two 5 us ngspice runs (~1 s each) and two native
 * runs (~4 s each).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_extract.h"
#include "circuits/ckt_measure.h"
#include "circuits/ckt_native.h"
#include "tests/tk_test.h"

/* Largest |I_EKV / I_card - 1| accepted over V_GS 0..0.4 V, V_DS 0.05,
 * 0.2, 0.4 V: the EKV interpolation does not follow BSIM4's moderate
 * inversion exactly (measured 5.4-6.4 %; the old defaults were off 16x). */
#define MAX_REL_ERR 0.10

static const struct { const char *dev; phys_mos_type type; double w, l; } sizes[] = {
  {"MR", PHYS_NMOS, 90e-9, 90e-9},
  {"MN1", PHYS_NMOS, 100e-9, 100e-9},
  {"MP1", PHYS_PMOS, 100e-9, 100e-9},
};

/* P(1) of the pbit at vctl through one engine (native != 0), or NaN. */
static double pbit_p1(ckt_session *s, double vctl, int native)
{
  tk_err err = {0};
  const ckt_cell_info *ci = ckt_cell_find("pbit");
  phys_cell *c = NULL;
  ckt_trace tr;
  ckt_pbit_stats st;
  memset(&tr, 0, sizeof tr);
  ckt_sim_params p = ckt_sim_default_params();
  p.tstop_s = 5e-6;
  p.tstep_s = ci->tstep_s;
  p.nt_s = ci->nt_s;
  p.seed = 1;
  int rc = ckt_cell_build(ci, &vctl, NULL, &c, &err);
  if (rc == 0)
    rc = native ? ckt_native_run(c, &p, &tr, &err)
                : ckt_sim_run(s, c, "pbit", &p, &tr, &err);
  if (rc == 0)
    rc = ckt_measure_pbit(ckt_trace_node(&tr, "out"), tr.n, tr.dt_s,
                          ci->vdd_V, tr.e_supply_J, &st, &err);
  if (rc != 0)
    printf("# %s\n", tk_err_text(&err));
  ckt_trace_clear(&tr);
  phys_cell_free(c);
  return rc == 0 ? st.p1 : NAN;
}

int main(void)
{
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
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    ckt_extract_params ep = ckt_extract_default_params();
    ep.type = sizes[i].type;
    ep.w_m = sizes[i].w;
    ep.l_m = sizes[i].l;
    phys_mos_params mp;
    ckt_extract_fit fit;
    rc = ckt_extract_mos(s, &ep, &mp, &fit, &err);
    TKT_OK(rc == 0, "%s: EKV fit to bsim4 (%s)", sizes[i].dev, tk_err_text(&err));
    if (rc == 0) {
      printf("# %s %s W %g L %g: vth0 %.4f V  n %.4f  kp %.4g A/V^2  "
             "sigma %.4f  (max rel err %.3f, rms ln %.3f, %zu points)\n",
             sizes[i].dev, sizes[i].type == PHYS_NMOS ? "nmos" : "pmos",
             sizes[i].w, sizes[i].l, mp.vth0_V, mp.n, mp.kp_A_per_V2,
             mp.sigma_dibl, fit.max_rel_err, fit.rms_log_err, fit.n_points);
      TKT_IN(fit.max_rel_err, 0.0, MAX_REL_ERR, "fit: max relative error of I_D");
    }
    /* the cell's own device of this size */
    const phys_mos *m = NULL;
    for (size_t k = 0; c != NULL && k < c->n_mos; k++)
      if (strcmp(c->mos[k].name, sizes[i].dev) == 0)
        m = &c->mos[k];
    TKT_OK(m != NULL, "pbit has device %s", sizes[i].dev);
    if (m != NULL) {
      rc = ckt_extract_check(s, &ep, &m->p, &fit, &err);
      TKT_OK(rc == 0, "%s: cell parameters checked (%s)", sizes[i].dev,
             tk_err_text(&err));
      if (rc == 0)
        TKT_IN(fit.max_rel_err, 0.0, MAX_REL_ERR,
               "cell's EKV parameters follow the card (max rel err of I_D)");
    }
  }
  phys_cell_free(c);

  static const double ends[] = {0.178, 0.194};
  for (size_t i = 0; i < 2; i++) {
    double pn = pbit_p1(s, ends[i], 1), ps = pbit_p1(s, ends[i], 0);
    TKT_OK(isfinite(pn) && isfinite(ps) && fabs(pn - ps) <= 0.05,
           "pbit at %.3f V: native P(1) %.3f vs ngspice %.3f (within 0.05)",
           ends[i], pn, ps);
  }
  ckt_session_close(s);
  return tkt_done();
}
