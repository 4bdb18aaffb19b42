/* expt_cellrun.h -- shipped cells (circuits/cells) simulated through
 * ngspice in forked workers (calibrate/cal_sweep.h), reduced in the
 * worker to fixed-size results: the figures of the cell's kind plus the
 * first stretch of its output, decimated, for trace figures.
 *
 * Workload: a few to a few dozen transients of 10-200 us each (about
 * 0.15 s of CPU per simulated us for the pbit); one ngspice session per
 * job, in its own child process (ngspice is process-global).
 */
#ifndef EXPT_CELLRUN_H
#define EXPT_CELLRUN_H

#include <stddef.h>
#include <stdint.h>

#include "calibrate/cal_sweep.h"
#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_measure.h"
#include "common/tk_error.h"

#define EXPT_KEEP 4000  /* samples of output kept per job */
#define EXPT_HIST 64    /* histogram bins over [0, VDD] (gmm) */

typedef struct expt_cell_job {
  const ckt_cell_info *ci;       /* the cell */
  double vctl_V[CKT_MAX_CTL];    /* its controls */
  ckt_cell_opts co;              /* design knobs (0: defaults) */
  double temp_K;                 /* simulation temperature */
  double tstop_s;                /* simulated time */
  double keep_s;                 /* length of the kept output stretch */
  uint64_t seed;                 /* noise seed */
  int noise_off;                 /* 1: deterministic run (no device noise) */
} expt_cell_job;

typedef struct expt_cell_res {
  cal_pbit_point pb;             /* pbit: p, errors, tau, energy */
  ckt_cat_stats cs;              /* categorical: occupancies, tau */
  ckt_gmm_stats gs;              /* gmm: modes */
  double e_supply_J;             /* supply energy over the run */
  double duration_s;             /* simulated time */
  double vdd_V;                  /* supply used */
  double hist[EXPT_HIST];        /* gmm: output histogram over [0, vdd] */
  uint32_t n_keep;               /* kept samples */
  double keep_dt_s;              /* their interval */
  float keep_V[EXPT_KEEP];       /* output (pbit, gmm) */
  uint8_t keep_state[EXPT_KEEP]; /* digitised state (pbit, categorical) */
  int pbit_status;               /* 0, or TK_ENUMERIC when never flipped */
} expt_cell_res;

/* Correlation time of a pbit from its flip rate, pooled over the results
 * with p_lo <= P(1) <= p_hi: tau = sum 2 p0 p1 T / sum flips (the
 * two-state Markov relation, docs/ARCHITECTURE.md), relative error 1 / sqrt(flips).
 * With ~40 flips per record this is far steadier than one record's
 * autocorrelation estimate, and unlike an inverse-variance mean of those
 * estimates (whose errors grow with tau) it is not biased low.  NaN when
 * no result qualifies or none flipped; *flips_out may be NULL. */
double expt_tau_flip_s(const expt_cell_res *res, size_t n, double p_lo,
                       double p_hi, double *tau_err_s, double *flips_out);

/* Run n jobs on `workers` children; out[n] receives the results. */
int expt_cells_run(const expt_cell_job *jobs, size_t n, unsigned workers,
                   int quiet, expt_cell_res *out, tk_err *err);

#endif
