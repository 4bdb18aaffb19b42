/* expt_native_fidelity_impl.h -- the native-fidelity experiment's shared
 * parts (expt_native_fidelity.c: the table; expt_native_fidelity_runs.c:
 * the engine runs, trip points and pilot).  Private to those two files.
 */
#ifndef EXPT_NATIVE_FIDELITY_IMPL_H
#define EXPT_NATIVE_FIDELITY_IMPL_H

#include <stdint.h>

#include "circuits/cells/ckt_cells.h"
#include "experiments/expt.h"

#define NF_NT 3            /* temperatures */
#define NF_NV 3            /* controls per cell and temperature */
#define NF_NC 3            /* cells */
#define NF_K 4             /* most states of a cell */
#define NF_NG 12           /* pilot grid points per temperature */
#define NF_GRID_STEP_V 0.5e-3 /* pilot grid step at 27 C (scaled with T) */
#define NF_PILOT_S 100e-6  /* pilot record (native) */
#define NF_P_LO 0.2        /* the controls: P(1) of the pilot 0.2, 0.5, 0.8 */
#define NF_P_HI 0.8
#define NF_QUICK_S 30e-6   /* --quick: record per run at most */
#define NF_FULL_TAUS 300.0 /* full: record per run in pilot taus ... */
#define NF_FULL_MAX_S 300e-6 /* ... at most this */
#define NF_VSEP_V 0.3      /* gmm2's separation control */
#define NF_NB 10           /* batches of a record (paired errors) */
#define NF_DP_LIM 0.02     /* issue 15: |dP| */
#define NF_DTAU_LIM 0.10   /* issue 15: |d tau| / tau */

static const char *const cell_names[NF_NC] = {"pbit", "cat4", "gmm2"};
static const double temps_C[NF_NT] = {-40, 27, 125};

typedef struct nf_job {
  const ckt_cell_info *ci;   /* the cell */
  double vctl_V[CKT_MAX_CTL];/* its controls */
  double temp_K;             /* temperature */
  double tstop_s;            /* simulated time */
  uint64_t seed;             /* noise seed (same for both engines) */
  int native;                /* 1: ckt_native_run, 0: ngspice */
  int noise_off;             /* 1: deterministic (trip-point search) */
} nf_job;

typedef struct nf_res {
  double p[NF_K];            /* occupancy of each state */
  double pb[NF_NB][NF_K];    /* the same per tenth of the record */
  double fb[NF_NB];          /* state changes per tenth */
  double flips;              /* state changes */
  double duration_s;         /* record length */
  double wall_s;             /* engine wall time */
  double last_state;         /* digitised state at the end */
} nf_res;

/* Run jobs[0..n) through their engines (c->workers forked workers) into
 * out[0..n): occupancies (whole record and per tenth), flips, wall time. */
int nf__run_jobs(const expt_ctx *c, const nf_job *jobs, size_t n,
                 nf_res *out, tk_err *err);
/* The pbit core's noiseless trip point at each temperature (ngspice). */
int nf__trip_points(const expt_ctx *c, const double *temp_K, double *trip,
                    tk_err *err);
/* The controls of each temperature from a native pilot of the pbit, and
 * the pilot's pooled tau (see expt_native_fidelity_runs.c). */
int nf__pilot(const expt_ctx *c, const double *temp_K, const double *trip,
              double ctl[NF_NT][NF_NV], double *tau_s, tk_err *err);

#endif
