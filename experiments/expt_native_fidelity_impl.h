/* expt_native_fidelity_impl.h -- the native-fidelity experiment's shared
 * parts (expt_native_fidelity.c: the run and the table;
 * expt_native_fidelity_runs.c: the engine runs, job file, trip points and
 * pilot; expt_native_fidelity_pool.c: the adaptive records and the pooled
 * statistics).  Private to those three files.
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
#define NF_FULL_MIN_S 100e-6 /* ... and at least this (125 C: 300 taus are
                               47 us, 66-191 flips) */
#define NF_VSEP_V 0.3      /* gmm2's separation control */
#define NF_NB 10           /* batches of a record (paired errors) */
#define NF_DP_LIM 0.02     /* issue 15: |dP| */
#define NF_DTAU_LIM 0.10   /* issue 15: |d tau| / tau */
/* Below 0 C (the -40 C rows): the devices are ~10x slower than at 27 C
 * (digitiser nodes ~70 ns, the noise node ~20 us), so both engines run
 * with a noise slot of the cells' output interval, 2 ns instead of 0.5
 * ns (its white band still reaches 250 MHz, 100x above the fastest node:
 * ngspice's steps, bounded by half a slot, are 4x fewer), the pilot is 1
 * ms and the full run's record up to 1 ms (tens of flips per row where
 * 300 us gave 0-8); the slot check compares the native engine at both
 * slots there. */
#define NF_COLD_K 273.15   /* below this temperature: */
#define NF_COLD_SLOT_S 2e-9
#define NF_COLD_PILOT_S 1e-3
#define NF_COLD_MAX_S 1e-3
#define NF_SLOT_SEEDS 12   /* slot check: native records per control and slot */
/* Adaptive records: after the first record of every row, a row whose
 * paired errors are not below a third of both limits gets further
 * records (new seeds, same length), as many as (error / target)^2 with
 * a margin says, in up to NF_EXT_ROUNDS rounds, NF_MAXREC records per
 * row at most (TSUKIT_NATIVE_FIDELITY_MAXREC may lower it; --quick: one
 * round, two records at most), within a budget of NF_EXT_BUDGET times
 * the first records' ngspice time. */
#define NF_MAXREC 16
#define NF_EXT_ROUNDS 3
#define NF_EXT_MARGIN 1.2
#define NF_EXT_BUDGET 2.0

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
  double nt_s;               /* noise slot, 0: the cell's own */
} nf_job;

/* The noise slot of a run at temp_K (0: the cell's own). */
static inline double nf_slot_s(double temp_K)
{
  return temp_K < NF_COLD_K ? NF_COLD_SLOT_S : 0.0;
}

typedef struct nf_res {
  double p[NF_K];            /* occupancy of each state */
  double pb[NF_NB][NF_K];    /* the same per tenth of the record */
  double fb[NF_NB];          /* state changes per tenth */
  double flips;              /* state changes */
  double duration_s;         /* record length */
  double wall_s;             /* engine wall time */
  double last_state;         /* digitised state at the end */
} nf_res;

/* A row's records of one engine pooled (adaptive records): occupancy
 * and flips over all records, the tenths of every record as batches. */
typedef struct nf_pool {
  double p[NF_K];              /* occupancy over all records */
  double pb[NF_NB * NF_MAXREC][NF_K]; /* per batch (tenth of a record) */
  double fb[NF_NB * NF_MAXREC];/* state changes per batch */
  size_t nb;                   /* batches: NF_NB per record */
  size_t nrec;                 /* records */
  double flips, duration_s, wall_s;
} nf_pool;

/* Add record x (as long as the pool's others) to pool q (ignored past
 * NF_MAXREC records). */
void nf__pool_add(nf_pool *q, const nf_res *x);
/* tau from a pool's flips, (1 - sum p^2) T / flips (NaN without flips);
 * *flips its flips. */
double nf__tau(const nf_pool *a, double *flips);
/* Engine e's (0 ngspice, 1 native) tau pooled over the three controls of
 * cell ic at temperature it (NaN without flips); *flips (may be NULL)
 * the flips pooled. */
double nf__group_tau(const nf_pool *pool, size_t ic, size_t it, int e,
                     double *flips);
/* The state a row compares: the largest |P_b - P_a| among its nk states
 * (the most occupied if none differs); *dp the difference. */
int nf__row_state(const nf_pool *a, const nf_pool *b, int nk, double *dp);
/* The paired errors of a row's state ks (expt_native_fidelity_pool.c):
 * 1 with *sp (dP) and *stau (dtau/tau), or 0 with both NaN where either
 * engine flips less than twice per batch. */
int nf__paired_errors(const nf_pool *a, const nf_pool *b, int ks,
                      double dtau, double *sp, double *stau);
/* Adaptive records: pool the first records res[0 .. 2 nrow) (ngspice,
 * native per row; jobs as run) into pool[], then give every row not yet
 * measured to a third of the limits further records, in up to
 * NF_EXT_ROUNDS rounds (one with --quick), max_rec per row at most,
 * within NF_EXT_BUDGET times the first records' ngspice time.  cells:
 * the cell index of each block of NF_NT NF_NV rows.  *ext_rows, rows
 * extended; *ext_records, records added. */
int nf__extend(const expt_ctx *c, const size_t *cells, size_t nrow,
               size_t max_rec, const nf_job *jobs, const nf_res *res,
               nf_pool *pool, size_t *ext_rows, size_t *ext_records,
               tk_err *err);

/* Run jobs[0..n) through their engines (c->workers forked workers) into
 * out[0..n): occupancies (whole record and per tenth), flips, wall time.
 * Jobs found in the job file (c->out_dir/NF_JOBS_FILE, written by an
 * earlier, interrupted run of the same binary) are not run again; every
 * finished job is appended to it (expt_native_fidelity_runs.c). */
#define NF_JOBS_FILE "native-fidelity.jobs"
int nf__run_jobs(const expt_ctx *c, const nf_job *jobs, size_t n,
                 nf_res *out, tk_err *err);
/* Remove the job file once the result is written (kept when
 * TSUKIT_NATIVE_FIDELITY_KEEP_JOBS=1). */
void nf__jobs_remove(const expt_ctx *c);
/* Engine runs taken from the job file so far (this process). */
extern size_t nf__jobs_reused;
/* The pbit core's noiseless trip point at each temperature (ngspice). */
int nf__trip_points(const expt_ctx *c, const double *temp_K, double *trip,
                    tk_err *err);
/* The controls of each temperature from a native pilot of the pbit, and
 * the pilot's pooled tau (see expt_native_fidelity_runs.c). */
int nf__pilot(const expt_ctx *c, const double *temp_K, const double *trip,
              double ctl[NF_NT][NF_NV], double *tau_s, tk_err *err);

/* The slot check: at temp_K, for each of the controls ctl[0..NF_NV) of
 * the pbit, nseed native records of tstop_s with the cold slot and with
 * the cell's own; per control the mean P(1) of each slot and its error
 * (scatter over the seeds / sqrt nseed), and over all controls the tau
 * of each slot from pooled flips. */
typedef struct nf_slot {
  double p_cold[NF_NV], p_own[NF_NV];     /* mean P(1) */
  double err_cold[NF_NV], err_own[NF_NV]; /* their errors */
  double tau_cold_s, tau_own_s;           /* pooled tau */
  double flips_cold, flips_own;           /* pooled flips */
} nf_slot;

int nf__slot_check(const expt_ctx *c, double temp_K, const double *ctl,
                   double tstop_s, size_t nseed, nf_slot *out, tk_err *err);

#endif
