/* test_ckt_pbit.c -- the pbit cell through ngspice: netlist, P(1) at the
 * ends and the middle of its documented range, same seed -> bit-identical
 * trace, control outside the supply rejected.
 *
 * Workload: four short runs (10-30 us of simulated time, about 1 s of
 * CPU each with the bsim4 card).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_measure.h"
#include "circuits/ckt_sim.h"
#include "tests/tk_test.h"

static int run(ckt_session *s, double vctl, double t_s, uint64_t seed,
               ckt_trace *tr, ckt_pbit_stats *st)
{
  tk_err err = {0};
  const ckt_cell_info *ci = ckt_cell_find("pbit");
  phys_cell *c = NULL;
  int rc = ckt_cell_build(ci, &vctl, NULL, &c, &err);
  ckt_sim_params p = ckt_sim_default_params();
  p.tstop_s = t_s;
  p.tstep_s = ci->tstep_s;
  p.nt_s = ci->nt_s;
  p.seed = seed;
  if (rc == 0)
    rc = ckt_sim_run(s, c, "pbit", &p, tr, &err);
  phys_cell_free(c);
  if (rc == 0 && st != NULL)
    rc = ckt_measure_pbit(ckt_trace_node(tr, "out"), tr->n, tr->dt_s,
                          ci->vdd_V, tr->e_supply_J, st, &err);
  if (rc != 0)
    printf("# %s\n", tk_err_text(&err));
  return rc;
}

int main(void)
{
  tk_err err = {0};
  ckt_session *s = NULL;
  if (ckt_session_open(&s, &err) != 0) {
    TKT_OK(0, "session opens (%s)", tk_err_text(&err));
    return tkt_done();
  }
  const ckt_cell_info *ci = ckt_cell_find("pbit");
  TKT_OK(ci != NULL && ci->n_ctl == 1, "pbit is registered with one control");

  /* the netlist: transistors, capacitors, supply and noise sources only */
  phys_cell *c = NULL;
  double v0 = 0.186;
  ckt_sim_params p = ckt_sim_default_params();
  ckt_netlist nl;
  int rc = ckt_cell_build(ci, &v0, NULL, &c, &err);
  if (rc == 0)
    rc = ckt_netlist_build(c, "pbit", &p, &nl, &err);
  TKT_OK(rc == 0, "pbit netlist builds (%s)", tk_err_text(&err));
  if (rc == 0) {
    size_t nm = 0, ncap = 0, nsrc = 0, nnz = 0, nother = 0;
    for (size_t i = 1; i < nl.n; i++) {
      const char *l = nl.lines[i];
      if (l[0] == 'M') nm++;
      else if (l[0] == 'C') ncap++;
      else if (l[0] == 'V') nsrc++;
      else if (strncmp(l, "INZ_", 4) == 0) nnz++;
      else if (l[0] != '.' && l[0] != '*') nother++;
    }
    TKT_OK(nm == c->n_mos && nnz == c->n_mos && ncap >= 2 && nother == 0,
           "%zu MOSFETs, %zu capacitors, %zu fixed sources, %zu noise sources, "
           "%zu other elements", nm, ncap, nsrc, nnz, nother);
    ckt_netlist_clear(&nl);
  }
  phys_cell_free(c);

  /* control outside the supply */
  double bad = ci->vdd_V + 0.05;
  rc = ckt_cell_build(ci, &bad, NULL, &c, &err);
  TKT_OK(rc == TK_ERANGE && strstr(tk_err_text(&err), "outside the supply"),
         "control above VDD rejected: %s", tk_err_text(&err));

  /* P(1) at the ends of the documented range: the cell is designed for
   * < 0.05 and > 0.95 there (measured 0.00 and 1.00 at 20 us). */
  ckt_trace tr;
  ckt_pbit_stats st;
  double p_lo = NAN, p_hi = NAN, p_mid = NAN;
  if (run(s, ci->lo_V[0], 10e-6, 11, &tr, &st) == 0)
    p_lo = st.p1;
  ckt_trace_clear(&tr);
  if (run(s, ci->hi_V[0], 10e-6, 12, &tr, &st) == 0)
    p_hi = st.p1;
  ckt_trace_clear(&tr);
  TKT_IN(p_lo, 0, 0.05, "P(1) < 0.05 at the low end of the range");
  TKT_IN(p_hi, 0.95, 1, "P(1) > 0.95 at the high end of the range");
  /* the middle: with tau ~ 0.5 us a 30 us run holds ~30 correlation
   * times; the run-to-run spread of P(1) is then about
   * sqrt(2 tau p(1-p) / T) ~ 0.1, so only "both states visited, with
   * flips" is checked, not the value 0.5. */
  size_t flips = 0;
  if (run(s, 0.5 * (ci->lo_V[0] + ci->hi_V[0]), 30e-6, 13, &tr, &st) == 0) {
    p_mid = st.p1;
    flips = st.flips;
    printf("# middle: p1 %.3f, flips %zu, tau %.3g s (acf %.3g, flip-rate %.3g),"
           " energy/flip %.3g J\n", st.p1, st.flips, st.tau_s, st.tau_acf_s,
           st.tau_flip_s, st.e_per_flip_J);
  }
  ckt_trace_clear(&tr);
  TKT_IN(p_mid, 0.05, 0.95, "P(1) inside (0.05, 0.95) in the middle");
  TKT_OK(flips >= 2, "the middle flips (%zu flips)", flips);

  /* same seed -> bit-identical; another seed -> different */
  ckt_trace a, b, d;
  int ra = run(s, 0.186, 3e-6, 77, &a, NULL);
  int rb = run(s, 0.186, 3e-6, 77, &b, NULL);
  int rd = run(s, 0.186, 3e-6, 78, &d, NULL);
  TKT_OK(ra == 0 && rb == 0 && rd == 0, "reproducibility runs succeed");
  if (ra == 0 && rb == 0 && rd == 0) {
    size_t bytes = a.n * a.n_nodes * sizeof(double);
    TKT_OK(a.n == b.n && memcmp(a.v_V, b.v_V, bytes) == 0 &&
           a.e_supply_J == b.e_supply_J,
           "same seed: every node bit-identical (%zu x %zu samples)",
           a.n_nodes, a.n);
    TKT_OK(d.n == a.n && memcmp(a.v_V, d.v_V, bytes) != 0,
           "another seed: a different trace");
  }
  ckt_trace_clear(&a);
  ckt_trace_clear(&b);
  ckt_trace_clear(&d);
  ckt_session_close(s);
  return tkt_done();
}
