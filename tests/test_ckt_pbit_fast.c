/* test_ckt_pbit_fast.c -- the pbit-fast cell (issue 20) through ngspice:
 * its netlist holds transistors, capacitors and sources only; its control
 * moves P(1) monotonically; at its fastest setting (VDD 0.40 V) tau is
 * below 100 ns with a 3-sigma margin; the knob (VDD 0.30 V) slows it
 * by more than 1.5x at 2 sigma.
 *
 * Workload: five short runs (4-20 us of simulated time, about 1-3 s of
 * CPU each with the bsim4 card), fixed seeds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_measure.h"
#include "circuits/ckt_sim.h"
#include "tests/tk_test.h"

/* One run: P(1), its autocorrelation-aware standard error (two-state
 * chain: var = 2 tau p (1 - p) / T), the flip-rate tau and flips. */
static int run(ckt_session *s, double vctl, double vdd, double t_s,
               uint64_t seed, double *p1, double *se, double *tau,
               double *flips)
{
  tk_err err = {0};
  const ckt_cell_info *ci = ckt_cell_find("pbit-fast");
  ckt_cell_opts o = {vdd, 0, 0};
  phys_cell *c = NULL;
  ckt_trace tr;
  ckt_pbit_stats st;
  int rc = ckt_cell_build(ci, &vctl, &o, &c, &err);
  ckt_sim_params p = ckt_sim_default_params();
  p.tstop_s = t_s;
  p.tstep_s = ci->tstep_s;
  p.nt_s = ci->nt_s;
  p.seed = seed;
  if (rc == 0)
    rc = ckt_sim_run(s, c, "pbit_fast", &p, &tr, &err);
  phys_cell_free(c);
  if (rc == 0) {
    rc = ckt_measure_pbit(ckt_trace_node(&tr, "out"), tr.n, tr.dt_s, vdd,
                          tr.e_supply_J, &st, &err);
    ckt_trace_clear(&tr);
  }
  if (rc != 0) {
    printf("# %s\n", tk_err_text(&err));
    return rc;
  }
  *p1 = st.p1;
  *flips = (double)st.flips;
  *tau = st.flips > 0 ? 2 * st.p1 * (1 - st.p1) * t_s / (double)st.flips : NAN;
  *se = st.flips > 0 ? sqrt(2 * *tau * st.p1 * (1 - st.p1) / t_s) : 0;
  printf("# vctl %.4f V, VDD %.2f V, %.0f us: P(1) %.3f +- %.3f, tau %.1f ns, "
         "%.0f flips\n", vctl, vdd, t_s * 1e6, *p1, *se, *tau * 1e9, *flips);
  return 0;
}

int main(void)
{
  tk_err err = {0};
  ckt_session *s = NULL;
  if (ckt_session_open(&s, &err) != 0) {
    TKT_OK(0, "session opens (%s)", tk_err_text(&err));
    return tkt_done();
  }
  const ckt_cell_info *ci = ckt_cell_find("pbit-fast");
  TKT_OK(ci != NULL && ci->n_ctl == 1 && ci->cellkind == CKT_CELL_PBIT,
         "pbit-fast is registered as a pbit with one control");
  if (ci == NULL) {
    ckt_session_close(s);
    return tkt_done();
  }
  /* its documented knob: the supply, 0.20-0.40 V, the default at the
   * fast end */
  const ckt_cell_knob *kn = ckt_cell_knob_of(ci);
  TKT_OK(kn != NULL && strcmp(kn->knob, "vdd") == 0 &&
         fabs(kn->lo_V - 0.20) < 1e-12 && fabs(kn->hi_V - 0.40) < 1e-12 &&
         fabs(ci->vdd_V - kn->hi_V) < 1e-12,
         "pbit-fast's knob is vdd over 0.20..0.40 V, default 0.40 V");
  TKT_OK(ckt_cell_knob_of(ckt_cell_find("pbit")) == NULL &&
         ckt_cell_knob_of(NULL) == NULL, "the pbit lists no knob; NULL is none");

  phys_cell *c = NULL;
  double v0 = 0.188;
  ckt_sim_params p = ckt_sim_default_params();
  ckt_netlist nl;
  int rc = ckt_cell_build(ci, &v0, NULL, &c, &err);
  if (rc == 0)
    rc = ckt_netlist_build(c, "pbit_fast", &p, &nl, &err);
  TKT_OK(rc == 0, "pbit-fast netlist builds (%s)", tk_err_text(&err));
  if (rc == 0) {
    size_t nm = 0, ncap = 0, nnz = 0, nother = 0;
    for (size_t i = 1; i < nl.n; i++) {
      const char *l = nl.lines[i];
      if (l[0] == 'M') nm++;
      else if (l[0] == 'C') ncap++;
      else if (strncmp(l, "INZ_", 4) == 0) nnz++;
      else if (l[0] != 'V' && l[0] != '.' && l[0] != '*') nother++;
    }
    TKT_OK(nm == 9 && nnz == 9 && ncap == 5 && nother == 0,
           "9 MOSFETs (MR + 4 inverters), 5 capacitors, 9 noise sources, "
           "nothing else (%zu, %zu, %zu, %zu)", nm, ncap, nnz, nother);
    ckt_netlist_clear(&nl);
  }
  phys_cell_free(c);

  /* the control moves P(1) monotonically: 3 mV steps around the
   * midpoint (logistic scale ~1.4 mV measured), each step larger than 2
   * combined standard errors */
  double v[3] = {0.1850, 0.1880, 0.1910}, pp[3], se[3], tau, fl;
  int ok = 1;
  for (int k = 0; k < 3 && ok; k++)
    ok = run(s, v[k], 0.40, 6e-6, 31 + (uint64_t)k, &pp[k], &se[k], &tau,
             &fl) == 0;
  TKT_OK(ok, "three runs across the control");
  if (ok) {
    TKT_OK(pp[1] - pp[0] > 2 * hypot(se[0], se[1]) &&
           pp[2] - pp[1] > 2 * hypot(se[1], se[2]) && pp[2] - pp[0] > 0.4,
           "P(1) rises with the control: %.3f %.3f %.3f", pp[0], pp[1], pp[2]);
  }

  /* fastest setting: tau + 3 sigma (sigma = tau / sqrt(flips)) < 100 ns
   * (measured ~40 ns, ~100 flips in 10 us) */
  double p1, s1, tau40 = NAN, tau30 = NAN, fl40 = 0, fl30 = 0;
  ok = run(s, 0.1878, 0.40, 10e-6, 41, &p1, &s1, &tau40, &fl40) == 0;
  TKT_OK(ok && p1 > 0.2 && p1 < 0.8 && fl40 >= 30 &&
         tau40 * (1 + 3 / sqrt(fl40)) < 100e-9,
         "VDD 0.40 V: P(1) %.3f, tau %.1f ns + 3 sigma < 100 ns (%.0f flips)",
         p1, tau40 * 1e9, fl40);
  /* the knob: VDD 0.30 V (midpoint measured near 138.4 mV) is slower by
   * more than 1.5x at 2 sigma of both (measured ~150 ns, ~4x) */
  ok = run(s, 0.1384, 0.30, 20e-6, 43, &p1, &s1, &tau30, &fl30) == 0;
  TKT_OK(ok && fl30 >= 10 && fl40 >= 10 &&
         tau30 * (1 - 2 / sqrt(fl30)) > 1.5 * tau40 * (1 + 2 / sqrt(fl40)),
         "VDD 0.30 V: P(1) %.3f, tau %.1f ns > 1.5x the 0.40 V tau at 2 "
         "sigma (%.0f flips)", p1, tau30 * 1e9, fl30);
  ckt_session_close(s);
  return tkt_done();
}
