/* run_chiptime.h -- the simulated chip's wall-clock time per sample, from
 * the correlation time of its cells (issue 20).
 *
 * A Gibbs sweep on the chip updates one colour at a time, and a colour's
 * update is done when its cells have forgotten their previous state: one
 * correlation time tau of the cell (the cell library's tau_op_s at the
 * chip temperature, tsu/tsu_celltab.h; with the library's measured
 * instances on the nodes, each with its own tau, the slowest node's:
 * a colour's update is done when its slowest cell's is, so the callers
 * pass tsu_cellpoint.tau_slowest_s).  The next colour reads the new
 * states, so
 *   per_sweep_s  = n_colors x tau_s
 *   per_sample_s = steps x sweeps x per_sweep_s
 * (steps = 1 for `tsukit sample`, whose sample is --sample-sweeps sweeps;
 * T for a DTM).  This is the time of a chip clocked as fast as its cells
 * allow (one colour per tau); the run's --clock only sets how much memory
 * the simulated cells carry between updates (dt = n_colors / clock) and
 * does not enter here.  A faster cell (pbit-fast: tens of ns against the
 * pbit's ~0.5 us) shortens the time per sample by the ratio of the taus.
 * Ideal cells (no library, tau 0) have no such time: every field is NaN.
 *
 * Workload: three multiplications; called once per run by run_sample.c
 * and run_dtm_sample.c.
 */
#ifndef RUN_CHIPTIME_H
#define RUN_CHIPTIME_H

typedef struct run_chiptime {
  double tau_s;          /* cells' correlation time, s (NaN: ideal cells) */
  double per_sweep_s;    /* n_colors x tau_s, s */
  double per_sample_s;   /* steps x sweeps x per_sweep_s, s */
  double samples_per_s;  /* 1 / per_sample_s, 1/s */
} run_chiptime;

/* The chip's time per sample for cells of correlation time tau_s (> 0 and
 * finite, else all NaN), n_colors >= 1 colours, sweeps >= 1 sweeps per
 * step and steps >= 1 steps per sample (else all NaN). */
run_chiptime run_chiptime_compute(double tau_s, unsigned n_colors,
                                  double sweeps, double steps);

#endif
