/* cal_run_impl.h -- internal to calibrate/ (cal__ prefix): the
 * checkpointed sweep behind cal_run (cal_run.h), shared by the shipped
 * cells and a designer's subcircuit: the sweep's grid and settings, the
 * per-point datasets with their done flags, reading them back for
 * resume, and the pieces of the run.  Implemented in cal_store.c
 * (points, records, datasets), cal_ckpt.c (the sweep, workers, MPI),
 * cal_finish.c (fits, library), cal_track.c (--track), cal_cellpt.c (the
 * shipped cells' point and noise node), cal_mc.c (--mc), cal_verify.c
 * (--verify), cal_subckt.c (characterize's subcircuit) and cal_run.c
 * (the parameters into a sweep).
 */
#ifndef CAL_RUN_INT_H
#define CAL_RUN_INT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "common/tk_error.h"
#include "calibrate/cal_noise.h"
#include "calibrate/cal_run.h"
#include "calibrate/cal_summary.h"
#include "calibrate/cal_sweep.h"
#include "io/io_celllib.h"
#include "io/io_h5.h"

typedef struct cal__ctx cal__ctx;

/* One finished point as stored (a pbit's or a categorical cell's). */
typedef struct cal__point {
  double p[CAL_MAX_STATES];      /* occupancy of the n_states states */
  double p_err[CAL_MAX_STATES];  /* their standard errors */
  /* --repeats R >= 2: the error of p from the scatter of the R records
   * (sd / sqrt(R)); NaN for a single record */
  double p_err_rep[CAL_MAX_STATES];
  double tau_s, tau_err_s;       /* correlation time, NaN if none */
  /* gmm2: the two-Gaussian fit of the output (cal_gmm.h), CAL__GMM_N
   * values in the order of cal__gmm_cols; NaN otherwise */
  double gmm[10];
  double energy_J;               /* energy per independent sample */
  double power_W;                /* mean supply power */
  double flips;                  /* state changes */
  int no_transitions;            /* 1: never changed state */
  /* 1: ngspice failed on this point (no convergence, a model out of its
   * range): the values above are NaN, the point is stored as failed
   * (point_done 2) and the sweep goes on; fail_msg is ngspice's message */
  int failed;
  char fail_msg[240];
} cal__point;

void cal__point_from_pbit(const cal_pbit_point *pp, cal__point *pt);
void cal__point_from_cat(const cal_cat_point *cp, cal__point *pt);

/* The gmm2 per-point datasets: name, first value in cal__point.gmm,
 * count (the last dimension: 2 modes, or 1), unit. */
#define CAL__GMM_N 10
typedef struct cal__gmm_col {
  const char *name;
  unsigned off, n;
  const char *unit;
} cal__gmm_col;
extern const cal__gmm_col cal__gmm_cols[6];

/* One point from its R >= 1 independent records r[R] (n_states states):
 * p the records' mean, p_err from their own errors (sqrt(sum se^2) / R),
 * p_err_rep from their scatter (R >= 2), tau / its error / energy / power
 * the means over the records that have them, flips summed,
 * no_transitions when no record changed state. */
void cal__combine_records(const cal__point *r, unsigned R,
                            unsigned n_states, cal__point *out);

/* One sweep point, in a worker process: simulate and reduce point idx
 * (temperature idx / nv, control row idx % nv). */
typedef int (*cal__point_fn)(const cal__ctx *c, size_t idx,
                              cal__point *pt, tk_err *err);

struct cal__ctx {
  const char *cmd;           /* "calibrate" | "characterize" (messages) */
  const char *command_line;  /* provenance attribute and resume hint */
  const char *cell;          /* cell name: /cells/<cell> */
  const char *kind;          /* "pbit" */
  const char *control_node;  /* attributes of the library group */
  const char *output_node;
  double vdd_V;              /* supply: digitiser thresholds, attribute */
  double vbias_V;            /* pseudo-resistor gate bias (attribute), or NaN */
  unsigned n_states;         /* 2 (pbit) or K (categorical) */
  size_t n_ctl;              /* controls per point: 1, or K (categorical) */
  cal__point_fn point;      /* the simulation of one point */
  /* the points idx[0..n-1] of one temperature at once (rc[i], errs[i]
   * each point's status, each point the bits `point` gives it; non-zero
   * only when the batch cannot run); NULL: none.  Used for sweeps
   * without --repeats (the native engine's batches). */
  int (*point_batch)(const cal__ctx *c, const size_t *idx, size_t n,
                     cal__point *pt, int *rc, tk_err *errs, tk_err *err);
  /* --track of a netlist that is not a shipped cell: *high = the output
   * is high after a short noise-free run at control v_V (sp: temperature);
   * NULL: the shipped cell c->ci */
  int (*noiseless_high)(const cal__ctx *c, const ckt_sim_params *sp,
                        double v_V, int *high, tk_err *err);
  const void *user;          /* the point function's own data */
  const ckt_cell_info *ci;   /* calibrate: the shipped cell, else NULL */
  const char *source_file;   /* characterize: the netlist file, else NULL */
  /* more of the library (Monte-Carlo mismatch), written into the final
   * file before it is committed; its summary goes to kv; may be NULL */
  int (*extra)(const cal__ctx *c, io_celllib *L, cal_summary *kv,
               tk_err *err);
  const char *subckt;        /* characterize: the subcircuit, else NULL */
  const char *noise_elements;/* characterize: the preflight's noisy,
                                noiseless and unmodelled elements by kind
                                (provenance), else NULL */
  const char *noise_quiet;   /* characterize: the elements without (all)
                                noise, else NULL */
  const char *noise_mos;     /* characterize: "charge" | "twoflux" */
  const double *temp_K;      /* [nT] ascending */
  const double *vctl_V;      /* [nV * n_ctl] control rows (n_ctl 1:
                                ascending) */
  size_t nt, nv;             /* grid */
  /* The control applied at each point, [nT * nV * n_ctl]: NULL means
   * vctl_V at every temperature.  --track sets it (cal__track): the
   * window follows the cell's noiseless trip point with temperature. */
  const double *ctl_V;
  /* --track options, or NULL: cal__sweep sets the windows up (pilots, or
   * the stored ones on --resume) before the points and frees them after */
  const cal_track_opts *track;
  const double *trip_V;      /* [nT] --track: noiseless trip point, or NULL */
  const double *center_V;    /* [nT] --track: where P(1) = 1/2 (pilot), or NULL */
  double center_ref_V;       /* --track: the pilot's centre at track_ref_K */
  /* --time-tau: simulated time per point at each temperature [nT] (N
   * pilot correlation times, at most --time), or NULL: sp.tstop_s */
  const double *rec_time_s;
  double time_tau;           /* that N, or 0 */
  double track_ref_K;        /* --track: where vctl_V applies as given */
  double track_exp;          /* --track: window width ~ (T / track_ref_K)^this */
  double trip_ref_V;         /* --track: the trip point there */
  /* --track: noiseless trip points on a temperature grid spanning the
   * sweep (the deterministic part of the v0(T) model), or NULL */
  const double *trip_tab_T_K, *trip_tab_V;
  size_t n_trip_tab;
  ckt_sim_params sp;         /* simulation settings (temp, seed per point) */
  uint64_t seed;             /* sweep seed */
  /* --repeats: independent records per point (>= 1; 0 reads as 1), each
   * 1/repeats of the point's time; the errors of the fit are scaled by
   * their scatter (cal_repeat_scale).  rep: the record a point function
   * is running (set per record by the sweep, in the worker). */
  unsigned repeats, rep;
  unsigned workers;          /* worker processes (set by cal__sweep) */
  /* gmm (gmm2): 1, and vsep_V the second control, fixed over the sweep
   * (the mode separation); the sweep's control is the weight control */
  int gmm;
  double vsep_V;
  int native;                /* 1: runs through ckt_native_run (shipped
                                cells), 0: ngspice */
  /* --noise-model: one record per temperature t at control v_V[t] (the
   * fitted v0), noise node and output measured (cal_noise.h) into r[t]
   * (NaN fields where it failed); NULL: no noise model.  Runs in workers
   * after the fits (cal__finish); TK_EINTERRUPT on SIGINT/SIGTERM. */
  int (*noise_node)(const cal__ctx *c, const double *v_V, cal_noise_node *r,
                    tk_err *err);
  double noise_time_s;       /* --noise-model: record time per temperature */
  io_file *f;                /* checkpoint file, open read-write (parent) */
  const char *ckpt_path;     /* its path (set by cal__sweep) */
  char grp[256];             /* /cells/<name> */
};

/* The control row of point (temperature t, row i): ctl_V's, or vctl_V's. */
/* A point function's simulation settings for point idx, record c->rep:
 * the temperature, the record time (rec_time_s or sp.tstop_s, divided
 * among the repeats) and the record's noise seed (record 0 of any point:
 * cal_sweep_point_seed(seed, idx), so one record per point is the sweep
 * without --repeats). */
ckt_sim_params cal__point_sim(const cal__ctx *c, size_t idx);

static inline const double *cal__ctl(const cal__ctx *c, size_t t, size_t i)
{
  return c->ctl_V != NULL ? c->ctl_V + (t * c->nv + i) * c->n_ctl
                          : c->vctl_V + i * c->n_ctl;
}

/* The per-point datasets and the sweep settings (skeleton and library). */
typedef struct cal__data {
  double *p, *pse;               /* [nT*nV*K] occupancy and its error */
  double *pser;                  /* [nT*nV*K] --repeats: error from the scatter */
  double *gmm;                   /* [nT*nV*CAL__GMM_N] gmm2's mixture fits */
  double *tau, *tau_err, *e, *pw, *flips; /* [nT*nV] */
  uint8_t *notr, *done;          /* [nT*nV] flags */
  char **err_msg;                /* [n_msg] or NULL: failed points'
                                    messages (io_celllib.point_error) */
  size_t n_msg;                  /* nT*nV */
} cal__data;

void cal__data_free(cal__data *d);
int cal__data_alloc(cal__data *d, size_t n, unsigned K);
/* The sweep's settings and measurements d as a cell library L (copies;
 * io_celllib_clear frees them): the skeleton and the datasets of the
 * final library before its fits. */
int cal__lib_fill(const cal__ctx *c, const cal__data *d, double time_s,
                  io_celllib *L, tk_err *err);
/* A malloc'ed copy of x[n] (NULL for NULL); *rc TK_ENOMEM on failure,
 * nothing done when *rc != 0 already. */
double *cal__dup(const double *x, size_t n, int *rc);
/* The skeleton (or any state) of the checkpoint into f. */
int cal__write_data(io_file *f, const cal__ctx *c, const cal__data *d,
                    double time_s, tk_err *err);
/* The measurements of the checkpoint f back into d, after checking that
 * f was made by this sweep (else TK_EINVAL naming the options). */
int cal__read_data(io_file *f, const cal__ctx *c, double time_s,
                   cal__data *d, tk_err *err);

/* The whole sweep into `out` (see cal_run.h): skeleton or resume, points
 * in `workers` processes with SIGINT/SIGTERM handling, fits, the cell
 * library; kv gets the summary.  Returns a status as cal_run does, every
 * failure already reported on stderr (prefixed "tsukit <cmd>:"), its
 * detail in err. */
int cal__sweep(const char *out, cal__ctx *c, double time_s, int resume,
               int force, long workers, cal_summary *kv, tk_err *err);

/* Report a failure on stderr ("tsukit <cmd>: error: ..."); returns its
 * status. */
int cal__report(const cal__ctx *c, const tk_err *err);

/* cal__ctx.noise_node of the shipped pbit (its node "x"), cal_cellpt.c */
int cal__cell_noise_node(const cal__ctx *c, const double *v_V,
                           cal_noise_node *r, tk_err *err);

/* SIGINT/SIGTERM handling for a phase of worker jobs: the returned flag
 * (for cal_sweep_params.stop) counts the signals; cal__stop_end puts
 * the previous handlers back. */
volatile sig_atomic_t *cal__stop_begin(void);
void cal__stop_end(void);

/* The library L as out (FILE.partial, committed: renamed over FILE). */
int cal__lib_write(const char *out, const cal__ctx *c, const io_celllib *L,
                   tk_err *err);

/* Fit the measurements d (cal_finish.c) and write the library to
 * out (FILE.partial, renamed); the summary to kv. */
int cal__finish(const char *out, cal__ctx *c, double time_s,
                  cal__data *d, cal_summary *kv, tk_err *err);

/* ---- the shipped cells (cal_cellpt.c, cal_mc.c, cal_verify.c) ---- */

/* cal__ctx.point of `calibrate`: c->ci at control row idx % nv, the pbit's
 * output or the categorical cell's one-hot lines reduced. */
/* One transient of shipped cell pc through the ctx's engine: the native
 * solver (c->native), or ngspice in *ses (opened here when NULL; the
 * caller closes it). */
int cal__cell_sim(const cal__ctx *c, ckt_session **ses, const phys_cell *pc,
                  const ckt_sim_params *sp, ckt_trace *tr, tk_err *err);
int cal__cell_point(const cal__ctx *c, size_t idx, cal__point *pt,
                      tk_err *err);
/* cal__cell_point of point idx[i] of c[i], i < n, into pt[i], rc[i],
 * errs[i]: where every ctx is native, the runs as one batch
 * (ckt_native_run_batch: the same bits as one at a time); otherwise one
 * after another.  Non-zero only when the batch cannot run at all. */
int cal__cell_points(const cal__ctx *const *c, const size_t *idx, size_t n,
                     cal__point *pt, int *rc, tk_err *errs, tk_err *err);
/* cal__cell_points with every point of c (cal__ctx.point_batch). */
int cal__cell_point_batch(const cal__ctx *c, const size_t *idx, size_t n,
                          cal__point *pt, int *rc, tk_err *errs, tk_err *err);

/* ---- cal_track.c ---- */

/* The noiseless trip point of the sweep's cell (c->ci, or the designer's
 * netlist through c->noiseless_high) at sp0's temperature, with threshold
 * shifts dvth[n_mos] (NULL: nominal): `iters` bisection steps of short
 * noise-free runs over [lo_V, hi_V] (the output must be high at hi_V:
 * else TK_ERANGE). */
int cal__trip_point(const cal__ctx *c, const ckt_sim_params *sp0,
                      const double *dvth, size_t n_mos, double lo_V,
                      double hi_V, int iters, double *trip_V, tk_err *err);

/* --track (pbit cells): the noiseless trip point at every temperature of
 * the sweep, at ref_K and on a grid of about step_K over the sweep's span
 * (forked workers; each a bisection of noise-free runs), and at the sweep
 * temperatures and ref_K the centre c(T) where P(1) = 1/2, by 8 bisection
 * steps of noisy runs of pilot_s each (whose median correlation time sets
 * the record per point when time_tau > 0: time_tau times it, at most
 * sp.tstop_s; rec_time_s).  Fills ctl_V: at temperature T the grid point
 * v becomes
 *   c(T) + (v - c(ref_K)) (T / ref_K)^width_exp,
 * i.e. the window moves with the transition and its width follows the
 * transition's (thermal: width_exp 1 for vs ~ kT; the shipped pbit's
 * vs rises faster, see docs/FINDINGS.md).  The arrays are allocated
 * here and freed by cal__track_free. */
int cal__track(cal__ctx *c, double ref_K, double width_exp,
                 double pilot_s, double time_tau, double step_K, long workers,
                 tk_err *err);
void cal__track_free(cal__ctx *c);
/* keep: c takes the arrays (its old ones freed); else they are freed. */
void cal__track_adopt(cal__ctx *c, int keep, double *ctl, double *trip,
                        double *center, double *tab_T, double *tab_V,
                        size_t n_tab, double *rec);

/* In cal__sweep (c->track): nothing without --track; with it the stored
 * windows (--resume of an existing file) or new pilots (cal__track with
 * --time/4 pilot records and a 5 K trip table).  Usage errors
 * (--time-tau without --track) are TK_EINVAL. */
int cal__track_setup(cal__ctx *c, const cal_track_opts *o,
                       const char *out, int resume, double time_s,
                       long workers, tk_err *err);

/* --resume of a --track sweep: the windows (and trip points, pilot
 * centres, record times) stored in the checkpoint instead of new pilots,
 * after checking that ref_K, width_exp and time_tau are those stored.
 * TK_ENOTFOUND when the file has no --track data. */
int cal__track_load(cal__ctx *c, const char *path, double ref_K,
                      double width_exp, double time_tau, tk_err *err);

/* What every Monte-Carlo job needs (set before the sweep, read in the
 * library's final write through cal__ctx.extra). */
typedef struct cal__mc_result cal__mc_result;
typedef struct cal__mc_setup {
  long n;                  /* instances */
  unsigned workers;        /* concurrent worker processes */
  cal__mc_result *res;          /* [n * nT] results (parent) */
  double a_vt_V_m;         /* Pelgrom coefficient */
  size_t n_mos;            /* transistors of the cell */
  double *w_m, *l_m;       /* [n_mos] their sizes */
} cal__mc_setup;

struct cal__mc_result {
  double v0_V, vs_V, tau_s;  /* the instance's fit (NaN: not fitted) */
  double shift_V;            /* its noiseless trip point minus the nominal */
};

/* cal__ctx.extra for --mc (c->user is an cal__mc_setup): run the instances
 * and write mismatch/ into f. */
int cal__mc_extra(const cal__ctx *c, io_celllib *L, cal_summary *kv,
                  tk_err *err);

/* --verify: n random targets through the inverse of `model` ("auto",
 * "softmax", "priority") fitted at the first temperature of the library
 * `out`, simulated for time_s each; verify_tv= and verify_tv_max= to kv. */
int cal__verify_inverse(const char *out, const cal__ctx *c, long n,
                          double time_s, double vmin_V, double vmax_V,
                          long workers, const char *model, cal_summary *kv,
                          tk_err *err);

/* The run of a designer's subcircuit (cal_subckt.c): p's subcircuit
 * block at the sorted temperatures temp_K[nt]; as cal_run. */
int cal__subckt_run(const cal_run_params *p, const double *temp_K, size_t nt,
                    cal_summary *s, tk_err *err);

#endif /* CAL_RUN_INT_H */
