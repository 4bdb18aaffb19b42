/* calibrate_file.h -- the checkpointed pbit sweep shared by `tsukit
 * calibrate` (a shipped cell) and `tsukit characterize` (a designer's
 * subcircuit): the sweep's grid and settings, the per-point datasets with
 * their done flags, reading them back for resume, and the whole run
 * (skeleton, workers, signals, resume, fits, cell library; the crash
 * safety is described in cmd_calibrate.c).  Internal to cli/ (calib__).
 * Implemented in calibrate_data.c (points, records, datasets),
 * calibrate_file.c (the sweep), calibrate_fit.c (fits, library),
 * calibrate_track.c (--track) and calibrate_cell.c (the shipped cells).
 */
#ifndef CALIBRATE_FILE_H
#define CALIBRATE_FILE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "common/tk_error.h"
#include "calibrate/cal_noise.h"
#include "calibrate/cal_sweep.h"
#include "cli/cmd.h"
#include "io/io_h5.h"

typedef struct sweep_ctx sweep_ctx;

/* The --track options of `calibrate` and `characterize`. */
typedef struct calib_track_opts {
  int on;                  /* --track given */
  double ref_K;            /* --track-ref (300 K) */
  double width_exp;        /* --track-exp (1) */
  double time_tau;         /* --time-tau (0: off) */
} calib_track_opts;

/* One finished point as stored (a pbit's or a categorical cell's). */
typedef struct calib_point {
  double p[CAL_MAX_STATES];      /* occupancy of the n_states states */
  double p_err[CAL_MAX_STATES];  /* their standard errors */
  /* --repeats R >= 2: the error of p from the scatter of the R records
   * (sd / sqrt(R)); NaN for a single record */
  double p_err_rep[CAL_MAX_STATES];
  double tau_s, tau_err_s;       /* correlation time, NaN if none */
  /* gmm2: the two-Gaussian fit of the output (cal_gmm.h), CALIB_GMM_N
   * values in the order of calib_gmm_cols; NaN otherwise */
  double gmm[10];
  double energy_J;               /* energy per independent sample */
  double power_W;                /* mean supply power */
  double flips;                  /* state changes */
  int no_transitions;            /* 1: never changed state */
} calib_point;

void calib__point_from_pbit(const cal_pbit_point *pp, calib_point *pt);
void calib__point_from_cat(const cal_cat_point *cp, calib_point *pt);

/* The gmm2 per-point datasets: name, first value in calib_point.gmm,
 * count (the last dimension: 2 modes, or 1), unit. */
#define CALIB_GMM_N 10
typedef struct calib_gmm_col {
  const char *name;
  unsigned off, n;
  const char *unit;
} calib_gmm_col;
extern const calib_gmm_col calib_gmm_cols[6];

/* One point from its R >= 1 independent records r[R] (n_states states):
 * p the records' mean, p_err from their own errors (sqrt(sum se^2) / R),
 * p_err_rep from their scatter (R >= 2), tau / its error / energy / power
 * the means over the records that have them, flips summed,
 * no_transitions when no record changed state. */
void calib__combine_records(const calib_point *r, unsigned R,
                            unsigned n_states, calib_point *out);

/* One sweep point, in a worker process: simulate and reduce point idx
 * (temperature idx / nv, control row idx % nv). */
typedef int (*calib_point_fn)(const sweep_ctx *c, size_t idx,
                              calib_point *pt, tk_err *err);

struct sweep_ctx {
  const char *cmd;           /* "calibrate" | "characterize" (messages) */
  const char *cell;          /* cell name: /cells/<cell> */
  const char *kind;          /* "pbit" */
  const char *control_node;  /* attributes of the library group */
  const char *output_node;
  double vdd_V;              /* supply: digitiser thresholds, attribute */
  double vbias_V;            /* pseudo-resistor gate bias (attribute), or NaN */
  unsigned n_states;         /* 2 (pbit) or K (categorical) */
  size_t n_ctl;              /* controls per point: 1, or K (categorical) */
  calib_point_fn point;      /* the simulation of one point */
  /* --track of a netlist that is not a shipped cell: *high = the output
   * is high after a short noise-free run at control v_V (sp: temperature);
   * NULL: the shipped cell c->ci */
  int (*noiseless_high)(const sweep_ctx *c, const ckt_sim_params *sp,
                        double v_V, int *high, tk_err *err);
  const void *user;          /* the point function's own data */
  const ckt_cell_info *ci;   /* calibrate: the shipped cell, else NULL */
  const char *source_file;   /* characterize: the netlist file, else NULL */
  /* more of the library (Monte-Carlo mismatch), written into the final
   * file before it is committed; its summary goes to kv; may be NULL */
  int (*extra)(const sweep_ctx *c, io_file *f, cmd_kv *kv, tk_err *err);
  const char *subckt;        /* characterize: the subcircuit, else NULL */
  const double *temp_K;      /* [nT] ascending */
  const double *vctl_V;      /* [nV * n_ctl] control rows (n_ctl 1:
                                ascending) */
  size_t nt, nv;             /* grid */
  /* The control applied at each point, [nT * nV * n_ctl]: NULL means
   * vctl_V at every temperature.  --track sets it (calib__track): the
   * window follows the cell's noiseless trip point with temperature. */
  const double *ctl_V;
  /* --track options, or NULL: calib__sweep sets the windows up (pilots, or
   * the stored ones on --resume) before the points and frees them after */
  const calib_track_opts *track;
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
  unsigned workers;          /* worker processes (set by calib__sweep) */
  /* gmm (gmm2): 1, and vsep_V the second control, fixed over the sweep
   * (the mode separation); the sweep's control is the weight control */
  int gmm;
  double vsep_V;
  /* --noise-model: one record per temperature t at control v_V[t] (the
   * fitted v0), noise node and output measured (cal_noise.h) into r[t]
   * (NaN fields where it failed); NULL: no noise model.  Runs in workers
   * after the fits (calib__finish); TK_EINTERRUPT on SIGINT/SIGTERM. */
  int (*noise_node)(const sweep_ctx *c, const double *v_V, cal_noise_node *r,
                    tk_err *err);
  double noise_time_s;       /* --noise-model: record time per temperature */
  io_file *f;                /* checkpoint file, open read-write (parent) */
  const char *ckpt_path;     /* its path (set by calib__sweep) */
  char grp[256];             /* /cells/<name> */
};

/* The control row of point (temperature t, row i): ctl_V's, or vctl_V's. */
/* A point function's simulation settings for point idx, record c->rep:
 * the temperature, the record time (rec_time_s or sp.tstop_s, divided
 * among the repeats) and the record's noise seed (record 0 of any point:
 * cal_sweep_point_seed(seed, idx), so one record per point is the sweep
 * without --repeats). */
ckt_sim_params calib__point_sim(const sweep_ctx *c, size_t idx);

static inline const double *calib__ctl(const sweep_ctx *c, size_t t, size_t i)
{
  return c->ctl_V != NULL ? c->ctl_V + (t * c->nv + i) * c->n_ctl
                          : c->vctl_V + i * c->n_ctl;
}

/* The per-point datasets and the sweep settings (skeleton and library). */
typedef struct sweep_data {
  double *p, *pse;               /* [nT*nV*K] occupancy and its error */
  double *pser;                  /* [nT*nV*K] --repeats: error from the scatter */
  double *gmm;                   /* [nT*nV*CALIB_GMM_N] gmm2's mixture fits */
  double *tau, *tau_err, *e, *pw, *flips; /* [nT*nV] */
  uint8_t *notr, *done;          /* [nT*nV] flags */
} sweep_data;

void calib__data_free(sweep_data *d);
int calib__data_alloc(sweep_data *d, size_t n, unsigned K);
int calib__write_data(io_file *f, const sweep_ctx *c, const sweep_data *d,
                      double time_s, tk_err *err);
int calib__read_arr(io_file *f, const sweep_ctx *c, const char *rel,
                    size_t want, double *dst, tk_err *err);
int calib__read_data(io_file *f, const sweep_ctx *c, double time_s,
                     sweep_data *d, tk_err *err);

/* The whole sweep into `out` (see cmd_calibrate.c): skeleton or --resume,
 * points in `workers` processes with SIGINT/SIGTERM handling, fits, the
 * cell library; kv gets the summary.  Returns the exit status (messages
 * already printed on stderr, prefixed "tsukit <cmd>:"). */
int calib__sweep(const char *out, sweep_ctx *c, double time_s, int resume,
                 int force, long workers, cmd_kv *kv);

/* sweep_ctx.noise_node of the shipped pbit (its node "x"), calibrate_cell.c */
int calib__cell_noise_node(const sweep_ctx *c, const double *v_V,
                           cal_noise_node *r, tk_err *err);

/* SIGINT/SIGTERM handling for a phase of worker jobs: the returned flag
 * (for cal_sweep_params.stop) counts the signals; calib__stop_end puts
 * the previous handlers back. */
volatile sig_atomic_t *calib__stop_begin(void);
void calib__stop_end(void);

/* Fit the measurements d (calibrate_fit.c) and write the library to
 * out (FILE.partial, renamed); the summary to kv. */
int calib__finish(const char *out, sweep_ctx *c, double time_s,
                  sweep_data *d, cmd_kv *kv, tk_err *err);

/* ---- the shipped cells (calibrate_cell.c) ---- */

/* sweep_ctx.point of `calibrate`: c->ci at control row idx % nv, the pbit's
 * output or the categorical cell's one-hot lines reduced. */
int calib__cell_point(const sweep_ctx *c, size_t idx, calib_point *pt,
                      tk_err *err);

/* ---- calibrate_track.c ---- */

/* The noiseless trip point of the sweep's cell (c->ci, or the designer's
 * netlist through c->noiseless_high) at sp0's temperature, with threshold
 * shifts dvth[n_mos] (NULL: nominal): `iters` bisection steps of short
 * noise-free runs over [lo_V, hi_V] (the output must be high at hi_V:
 * else TK_ERANGE). */
int calib__trip_point(const sweep_ctx *c, const ckt_sim_params *sp0,
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
 * here and freed by calib__track_free. */
int calib__track(sweep_ctx *c, double ref_K, double width_exp,
                 double pilot_s, double time_tau, double step_K, long workers,
                 tk_err *err);
void calib__track_free(sweep_ctx *c);
/* keep: c takes the arrays (its old ones freed); else they are freed. */
void calib__track_adopt(sweep_ctx *c, int keep, double *ctl, double *trip,
                        double *center, double *tab_T, double *tab_V,
                        size_t n_tab, double *rec);

#define CALIB_TRACK_OPTS_INIT {0, 300.0, 1.0, 0.0}
#define CALIB_TRACK_SYNOPSIS "[--track [--track-ref T] [--track-exp M] [--time-tau N]] [--repeats R]"
#define CALIB_TRACK_HELP                                                      \
  "  --track         move the --vctl window with the transition and scale\n" \
  "                  its width: at temperature T the grid point v is\n"      \
  "                  c(T) + (v - c(T_ref)) (T / T_ref)^M, c(T) where\n"      \
  "                  P(1) = 1/2 (a noiseless bisection for the trip point,\n" \
  "                  then 8 noisy steps of --time/4 around it).  Needed for\n" \
  "                  wide temperature ranges (-40..125 C); also stores trip\n" \
  "                  points every 5 K, which the v0(T) model then follows\n"  \
  "  --track-ref T   where --vctl applies as given (default 300 K)\n"        \
  "  --track-exp M   window width exponent, [0, 10] (default 1: vs ~ kT)\n"  \
  "  --time-tau N    --track: simulate N correlation times per point (as\n"  \
  "                  the pilot measured them at each temperature), at\n"     \
  "                  most --time: equal statistics at every temperature\n"   \
  "                  for a fraction of the time where tau is short\n"
#define CALIB_REPEATS_HELP                                                    \
  "  --repeats R     split each point's time into R independent records\n"   \
  "                  (own seeds), 1..1000 (default 1); with R >= 2 the\n"     \
  "                  records' scatter measures the points' errors: the\n"     \
  "                  pbit fit scales them by a factor pooled per\n"          \
  "                  temperature (fit/error_scale); the scatter itself is\n" \
  "                  stored as p_state_stderr_repeats\n"
/* The long options above, for getopt_long tables (codes from `first`). */
#define CALIB_TRACK_LONGOPTS(first)                                           \
  {"track", no_argument, NULL, (first)},                                      \
  {"track-ref", required_argument, NULL, (first) + 1},                        \
  {"track-exp", required_argument, NULL, (first) + 2},                        \
  {"time-tau", required_argument, NULL, (first) + 3}

/* Option `which` (0..3 in the order above) with argument arg into o. */
int calib__track_option(int which, const char *arg, calib_track_opts *o,
                        tk_err *err);

/* In calib__sweep (c->track): nothing without --track; with it the stored
 * windows (--resume of an existing file) or new pilots (calib__track with
 * --time/4 pilot records and a 5 K trip table).  Usage errors
 * (--time-tau without --track) are TK_EINVAL. */
int calib__track_setup(sweep_ctx *c, const calib_track_opts *o,
                       const char *out, int resume, double time_s,
                       long workers, tk_err *err);

/* --resume of a --track sweep: the windows (and trip points, pilot
 * centres, record times) stored in the checkpoint instead of new pilots,
 * after checking that ref_K, width_exp and time_tau are those stored.
 * TK_ENOTFOUND when the file has no --track data. */
int calib__track_load(sweep_ctx *c, const char *path, double ref_K,
                      double width_exp, double time_tau, tk_err *err);

/* What every Monte-Carlo job needs (set before the sweep, read in the
 * library's final write through sweep_ctx.extra). */
typedef struct mc_result mc_result;
typedef struct mc_setup {
  long n;                  /* instances */
  unsigned workers;        /* concurrent worker processes */
  mc_result *res;          /* [n * nT] results (parent) */
  double a_vt_V_m;         /* Pelgrom coefficient */
  size_t n_mos;            /* transistors of the cell */
  double *w_m, *l_m;       /* [n_mos] their sizes */
} mc_setup;

struct mc_result {
  double v0_V, vs_V, tau_s;  /* the instance's fit (NaN: not fitted) */
  double shift_V;            /* its noiseless trip point minus the nominal */
};

/* sweep_ctx.extra for --mc (c->user is an mc_setup): run the instances
 * and write mismatch/ into f. */
int calib__mc_extra(const sweep_ctx *c, io_file *f, cmd_kv *kv, tk_err *err);

/* --verify: n random targets through the inverse of `model` ("auto",
 * "softmax", "priority") fitted at the first temperature of the library
 * `out`, simulated for time_s each; verify_tv= and verify_tv_max= to kv. */
int calib__verify_inverse(const char *out, const sweep_ctx *c, long n,
                          double time_s, double vmin_V, double vmax_V,
                          long workers, const char *model, cmd_kv *kv,
                          tk_err *err);

#endif
