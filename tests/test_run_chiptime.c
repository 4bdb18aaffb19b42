/* test_run_chiptime.c -- the simulated chip's time per sample from its
 * cells' correlation time (run/run_chiptime.h, issue 20).
 *
 * Known answers (steps x sweeps x colours x tau), properties (linear in
 * tau, so the time per sample of two libraries is in the ratio of their
 * taus; samples_per_s its inverse) and the refusals (ideal cells, tau 0
 * or not finite, no colours / sweeps / steps: every field NaN).  No
 * simulation, no randomness.
 */
#include <math.h>

#include "run/run_chiptime.h"
#include "tk_test.h"

static int all_nan(run_chiptime c)
{
  return isnan(c.tau_s) && isnan(c.per_sweep_s) && isnan(c.per_sample_s) &&
         isnan(c.samples_per_s);
}

int main(void)
{
  /* the DTM of dtm-fashion: T = 4 steps of K = 100 sweeps, 2 colours, on
   * a cell of tau 17.3 ns: 4 x 100 x 2 x 17.3 ns = 13.84 us */
  run_chiptime d = run_chiptime_compute(17.3e-9, 2, 100, 4);
  TKT_REL(d.tau_s, 17.3e-9, 1e-15, "tau is the cell's");
  TKT_REL(d.per_sweep_s, 2 * 17.3e-9, 1e-15, "a sweep is one tau per colour");
  TKT_REL(d.per_sample_s, 13.84e-6, 1e-12, "DTM: T K colours tau = 13.84 us");
  TKT_REL(d.samples_per_s, 1 / 13.84e-6, 1e-12, "samples per second is its inverse");
  /* `sample`: one step of --sample-sweeps 250 sweeps on a 5-colour graph */
  run_chiptime s = run_chiptime_compute(613.7e-9, 5, 250, 1);
  TKT_REL(s.per_sample_s, 250 * 5 * 613.7e-9, 1e-12, "sample: sweeps x colours x tau");
  /* the ratio of two libraries' times is the ratio of their taus */
  run_chiptime a = run_chiptime_compute(613.7e-9, 2, 100, 4);
  TKT_REL(a.per_sample_s / d.per_sample_s, 613.7 / 17.3, 1e-12,
          "time per sample scales with tau (the speed-up is the tau ratio)");
  TKT_REL(run_chiptime_compute(1e-6, 3, 7, 2).per_sample_s, 42e-6, 1e-12,
          "2 steps x 7 sweeps x 3 colours x 1 us = 42 us");
  /* refusals: ideal cells and degenerate inputs */
  TKT_OK(all_nan(run_chiptime_compute(0, 2, 100, 4)), "tau 0 (ideal cells): all NaN");
  TKT_OK(all_nan(run_chiptime_compute(-1e-9, 2, 100, 4)), "negative tau: all NaN");
  TKT_OK(all_nan(run_chiptime_compute(NAN, 2, 100, 4)), "tau NaN: all NaN");
  TKT_OK(all_nan(run_chiptime_compute(INFINITY, 2, 100, 4)), "tau infinite: all NaN");
  TKT_OK(all_nan(run_chiptime_compute(1e-8, 0, 100, 4)), "no colours: all NaN");
  TKT_OK(all_nan(run_chiptime_compute(1e-8, 2, 0, 4)), "no sweeps: all NaN");
  TKT_OK(all_nan(run_chiptime_compute(1e-8, 2, 100, 0)), "no steps: all NaN");
  TKT_OK(all_nan(run_chiptime_compute(1e-8, 2, NAN, 4)), "sweeps NaN: all NaN");
  return tkt_done();
}
