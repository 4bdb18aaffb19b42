/* cal_sweep.h -- calibration sweeps: a parallel point runner built on
 * fork()ed worker processes, the reduction of one pbit trace to the
 * figures a cell library stores, and the per-temperature transfer fit.
 *
 * Workload: tens to hundreds of sweep points (temperature x control
 * voltage), each one ngspice transient of seconds to minutes.  ngspice is
 * one global engine per process (circuits/ckt_session.h), so every point
 * runs in its own fork()ed child: the child calls the point function,
 * sends the fixed-size result back through a pipe and ends with _exit()
 * (the only way a forked child may end; this is no error exit: it also
 * keeps the child from running atexit handlers, so library state it
 * inherited -- the parent's open HDF5 file -- is never flushed from the
 * child).  The point function must not touch such inherited handles.  At most
 * `workers` children run at once.  The parent calls the done function for
 * every finished point, in completion order, so the caller can store it
 * at once; results do not depend on the worker count as long as the point
 * function is a pure function of its index (seed it from the index).
 *
 * Interruption: the parent polls *stop (set by the caller's SIGINT/SIGTERM
 * handler) at least every 200 ms.  stop == 1: launch nothing more, let the
 * running points finish and deliver them; stop >= 2: kill the running
 * children (SIGKILL) and abandon their points.  The children ignore
 * SIGINT/SIGTERM (a Ctrl-C reaches the whole process group) and, on
 * Linux, die with the parent (PR_SET_PDEATHSIG).  A failing point stops
 * the sweep the same way as stop == 1; its error is returned.
 *
 * No HDF5 here: storage is the caller's (cal_ckpt.c, through io/).
 */
#ifndef CAL_SWEEP_H
#define CAL_SWEEP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "calibrate/cal_fit.h"
#include "common/tk_error.h"

/* ---- the parallel point runner ---- */

/* Runs in the worker: compute point `idx` into result (result_size bytes,
 * zeroed). */
typedef int (*cal_sweep_point_fn)(void *ud, size_t idx, void *result,
                                  tk_err *err);
/* Runs in the worker for a batch (cal_sweep_params.batch > 1): compute
 * the n points idx[0..n-1] into results (n x result_size bytes, zeroed),
 * each point's status in status[i] and its error in errs[i].  A non-zero
 * return fails every point of the batch with that error (errs[0]). */
typedef int (*cal_sweep_batch_fn)(void *ud, const size_t *idx, size_t n,
                                  void *results, int *status, tk_err *errs);
/* Runs in the parent for each finished point, in completion order. */
typedef int (*cal_sweep_done_fn)(void *ud, size_t idx, const void *result,
                                 tk_err *err);

typedef struct cal_sweep_params {
  size_t n_points;                 /* points 0..n_points-1 */
  size_t result_size;              /* bytes per result, 1..65536 */
  unsigned workers;                /* concurrent children, >= 1 */
  const uint8_t *skip;             /* [n_points] 1: already done; may be NULL */
  volatile sig_atomic_t *stop;     /* see above; may be NULL */
  const char *progress_label;      /* tk_progress label; NULL: silent */
  int quiet;                       /* 1: no progress output */
  /* Called in the parent at least every 200 ms while points run (and
   * once before the first); non-zero stops the sweep like a failing
   * point.  For collecting results that arrive from elsewhere (MPI
   * ranks).  NULL: none. */
  int (*poll)(void *poll_ud, tk_err *err);
  void *poll_ud;
  /* Batches: a worker computes up to `batch` points (1..64) in one call
   * of point_batch (batch 1 or point_batch NULL: one point per worker
   * through `point`).  A batch takes the first point not yet launched and
   * the next ones (at most 4096 indices ahead) with the same batch_key
   * (NULL: any), in index order; a point's result must not depend on the
   * batch it ran in.  The parent delivers a batch's points in index
   * order when its worker ends. */
  size_t batch;
  cal_sweep_batch_fn point_batch;
  size_t (*batch_key)(void *ud, size_t idx);
} cal_sweep_params;

/* n_points 0, result_size 0, workers 1, no skip, no stop, silent, batches
 * of 1. */
cal_sweep_params cal_sweep_default_params(void);

typedef struct cal_sweep_stats {
  size_t done;          /* points computed and delivered by this call */
  size_t skipped;       /* points skipped (skip[i] != 0) */
  size_t abandoned;     /* points killed or never started */
  int interrupted;      /* 1 if *stop was seen */
  double wall_s;        /* wall time of the call */
} cal_sweep_stats;

/* Run every point not skipped.  Returns 0 when all ran (stats->abandoned
 * == 0), TK_EINTERRUPT when stopped, or the first point's / done
 * function's failure (the other running points are still delivered). */
int cal_sweep_run(const cal_sweep_params *p, cal_sweep_point_fn point,
                  cal_sweep_done_fn done, void *ud, cal_sweep_stats *stats,
                  tk_err *err);

/* Deterministic per-point noise seed from the sweep seed and the point's
 * index in the whole grid (splitmix64 of both): independent of the order
 * and the worker count. */
uint64_t cal_sweep_point_seed(uint64_t seed, size_t idx);

/* ---- one pbit point: output trace -> p, its error, tau, energy ---- */

typedef struct cal_pbit_point {
  double p[2];          /* occupancy of states 0 and 1 */
  double p_err[2];      /* autocorrelation-aware standard errors */
  double tau_s;         /* correlation time of the state; NaN: no flips */
  double tau_err_s;     /* its standard error; NaN if unknown */
  double energy_J;      /* supply power x tau; NaN when tau is */
  double power_W;       /* mean supply power */
  double flips;         /* state changes in the record */
  double lo_V, hi_V;    /* digitiser thresholds used */
  int no_transitions;   /* 1: never flipped, p is 0 or 1 exactly */
  int tau_method;       /* 0 none, 1 integrated ACF, 2 flip rate */
} cal_pbit_point;

/* Digitise v_V[n] (sample interval dt_s) with hysteresis at 30 % / 70 % of
 * vdd_V, occupancy with cal_occupancy's error (fallback: the telegraph
 * variance 2 p (1 - p) tau / T), tau from the integrated autocorrelation
 * of the 0/1 sequence (cal_autocorr; fallback 2 p0 p1 T / flips with
 * relative error 1/sqrt(flips)), energy = e_supply_J / T x tau.  A trace
 * that never flips is not an error: p is 0 or 1, p_err 0, tau NaN,
 * no_transitions 1. */
int cal_pbit_point_measure(const double *v_V, size_t n, double dt_s,
                           double vdd_V, double e_supply_J,
                           cal_pbit_point *pt, tk_err *err);

/* ---- one categorical point: K one-hot lines -> p[K], errors, tau ---- */

typedef struct cal_cat_point {
  unsigned K;                        /* states */
  double p[CAL_MAX_STATES];          /* occupancy of each state */
  double p_err[CAL_MAX_STATES];      /* autocorrelation-aware standard errors */
  double tau_s;                      /* correlation time; NaN if < 2 flips */
  double tau_err_s;                  /* its standard error (1/sqrt(flips)) */
  double energy_J;                   /* supply power x tau; NaN when tau is */
  double power_W;                    /* mean supply power */
  double flips;                      /* state changes */
  int no_transitions;                /* 1: the state never changed */
} cal_cat_point;

/* Digitise K one-hot lines (cal_digitize_lines, thresholds 30 % / 70 % of
 * vdd_V: the state is the line that is high and holds while none is),
 * occupancy with cal_occupancy's error (fallback: the K-state Markov
 * variance 2 p (1 - p) tau / T), tau = (1 - sum p_k^2) T / flips (the
 * flip rate of a K-state chain relaxing at one rate 1/tau; the pbit
 * relation for K = 2), energy = e_supply_J / T x tau.  A record that never
 * changes state is no error: no_transitions 1, p one-hot, p_err 0. */
int cal_cat_point_measure(const double *const *lines, unsigned K, size_t n,
                          double dt_s, double vdd_V, double e_supply_J,
                          cal_cat_point *pt, tk_err *err);

/* ---- one temperature: logistic fit over the control sweep ---- */

typedef struct cal_pbit_fit {
  cal_logistic_result fit;  /* v0, vs with errors, chi2_red */
  double tau_op_s;          /* tau at the operating region (see below) */
  double tau_op_err_s;      /* its standard error */
  size_t n_transitions;     /* points that flipped at least once */
} cal_pbit_fit;

/* Fit P(1) over nv control points (p1[i], se[i], no_trans[i]).
 * TK_ENUMERIC with "no transitions observed" when no point flipped (the
 * logistic is not fitted through a step).  tau_op is the
 * inverse-variance mean of tau over the points with 0.1 <= p1 <= 0.9 and a
 * finite tau (all points with a finite tau if none), NaN if none. */
int cal_pbit_fit_temperature(const double *v_V, const double *p1,
                             const double *se, const uint8_t *no_trans,
                             const double *tau_s, const double *tau_err_s,
                             size_t nv, double temp_K, cal_pbit_fit *out,
                             tk_err *err);

#endif
