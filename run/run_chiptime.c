/* run_chiptime.c -- the simulated chip's time per sample from its cells'
 * correlation time (see run_chiptime.h). */
#include "run/run_chiptime.h"

#include <math.h>

run_chiptime run_chiptime_compute(double tau_s, unsigned n_colors,
                                  double sweeps, double steps)
{
  run_chiptime c = {NAN, NAN, NAN, NAN};
  if (!(tau_s > 0) || !isfinite(tau_s) || n_colors < 1 || !(sweeps >= 1) ||
      !(steps >= 1) || !isfinite(sweeps) || !isfinite(steps))
    return c;
  c.tau_s = tau_s;
  c.per_sweep_s = n_colors * tau_s;
  c.per_sample_s = steps * sweeps * c.per_sweep_s;
  c.samples_per_s = 1.0 / c.per_sample_s;
  return c;
}
