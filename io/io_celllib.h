/* io_celllib.h -- the cell-library format: one HDF5 file (root attribute
 * kind = "cells") holding calibrated cells, each a group /cells/<name>/.
 * This header is the schema; io_celllib.c reads and writes every dataset
 * and attribute of it into and from a plain struct (io_celllib), so no
 * other code touches the HDF5 layout of a cell library: the calibration
 * run (calibrate/cal_run.h) writes its checkpoint and library through
 * it, io_cells_read, `tsukit predict` and `tsukit plot` read through it.
 *
 * Dimensions: nT temperatures, nV control points (rows), C controls per
 * point (1; K for a categorical cell), K states (2 for a pbit).
 *
 * Sweep settings (attributes of /cells/<name>):
 *   kind ("pbit" | "categorical" | "gmm"), cell, control_node,
 *   output_node, vdd_V, n_states (K), sweep_time_s, sweep_tstep_s,
 *   sweep_nt_s, sweep_seed; optional vbias_V, source_file, subckt,
 *   noise_elements ("noisy=m:9 noiseless=c:5 unmodelled=none"),
 *   noise_quiet (the elements without noise or with part of it, or
 *   "none") and noise_mos_model ("charge" | "twoflux") (`characterize`,
 *   circuits/ckt_preflight.h), sweep_noise_scale (absent: 1), sweep_repeats
 *   (--repeats R >= 2), vsep_V (gmm), sweep_engine ("native" when the
 *   native solver made the sweep, `calibrate --engine native`; absent:
 *   ngspice).
 * Grid:
 *   temperature_K [nT]          increasing
 *   control_V     [nV] or [nV, C] the control rows (`calibrate --track`:
 *                               the grid at the reference temperature)
 * --track (all or nothing):
 *   point_control_V [nT, nV(, C)] each point's control
 *   trip_V, track_center_V [nT]  noiseless trip point, pilot's P = 1/2
 *   record_time_s [nT]           (--time-tau) the record per point
 *   trip_table/temperature_K, trip_table/trip_V [nR] trip point every 5 K
 *   attributes track_ref_K, track_width_exp, track_trip_ref_V,
 *   track_center_ref_V, track_time_tau
 * Points (the checkpoint; NaN / 0 until point_done):
 *   p_state, p_state_stderr [nT, nV, K] occupancy and its standard error
 *   p_state_stderr_repeats [nT, nV, K] (--repeats) from the records' scatter
 *   gmm_mu_V, gmm_mu_err_V, gmm_sd_V, gmm_sd_err_V [nT, nV, 2], gmm_w0,
 *     gmm_w0_err [nT, nV] (gmm cells) the two-Gaussian fit of each
 *     point's output (NaN where a mode holds < 2 %)
 *   tau_s, tau_err_s [nT, nV]   correlation time (NaN: none)
 *   energy_J, power_W, flips [nT, nV]
 *   no_transitions, point_done [nT, nV] uint8 flags; a file with
 *     point_done but without fit/ is an unfinished sweep; point_done 2:
 *     the point's simulation failed (ngspice: no convergence, a model
 *     out of range), its values are NaN and the fits leave it out;
 *     the simulator's message is the cell group's string attribute
 *     point_error_<idx> (idx = t nV + v)
 * pbit fit (fit/, attribute model):
 *   v0_V, v0_err_V, vs_V, vs_err_V, chi2_red, tau_op_s, tau_op_err_s [nT]
 *     logistic P(1) = sigmoid((V - v0) / vs) per temperature
 *   probit_sd_V, probit_sd_err_V, probit_chi2_red [nT] Gaussian crossing
 *   error_scale, error_scale_dof [nT] (--repeats) factor applied to errors
 *   loo_max_abs_dp1, loo_max_abs_dp1_vs_fit [nT] leave-one-out (>= 4 T)
 *   temperature_model/ (>= 3 temperatures): attributes t_ref_K, vs_ref_V,
 *     vs_ref_err_V, vs_exp, vs_exp_err, cov_vs_ref_exp, v0_ref_V,
 *     v0_ref_err_V, dv0_dT_V_per_K, dv0_dT_err_V_per_K, cov_v0_V2_per_K,
 *     tau_ref_s, tau_ref_err_s, ea_J, ea_err_J, tau_inf_s, chi2_red_vs,
 *     chi2_red_v0, chi2_red_tau, t_min_K, t_max_K, v0_model (text);
 *     datasets trip_T_K, trip_V [nM] after --track
 * categorical fit (fit/, attributes model, priority_model):
 *   a, b_per_V, a_err, b_err_per_V [nT, K] softmax
 *   priority_v0_V, priority_vs_V, priority_v0_err_V, priority_vs_err_V,
 *     priority_w, priority_w_err [nT, K] priority-encoder model
 *   chi2_red, priority_chi2_red, tau_op_s [nT]
 * noise_model/ (--noise-model; attributes model, record_time_s):
 *   sigma_x_V, tau_x_s, shift_x_V, control_V, vs_V [nT]
 * mismatch/ (--mc N; attributes a_vt_V_m, n_instances, model):
 *   v0_V, vs_V, tau_s [nT] standard deviation over the instances,
 *   tau_mean_s, trip_shift_V, n_fitted [nT]; instance_v0_V,
 *   instance_vs_V, instance_tau_s, instance_trip_shift_V [nT, N];
 *   dvth_V [N, n_mos] the threshold draws
 * mc_checkpoint/ (an --mc run's instances; attributes a_vt_V_m,
 *   n_instances, n_temperatures): result [jobs, 4] (v0, vs, tau, shift),
 *   done [jobs] uint8
 *
 * Workload: one group of tens to hundreds of values per dataset, read and
 * written whole; a checkpoint updates one point's elements in place.
 */
#ifndef IO_CELLLIB_H
#define IO_CELLLIB_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "io/io_h5.h"

#define IO_CELLLIB_GMM 6      /* the gmm_* per-point datasets */

/* fit/temperature_model (its attributes; present == 0: none). */
typedef struct io_celllib_tmodel {
  int present;
  double t_ref_K, vs_ref_V, vs_ref_err_V, vs_exp, vs_exp_err,
      cov_vs_ref_exp, v0_ref_V, v0_ref_err_V, dv0_dT_V_per_K,
      dv0_dT_err_V_per_K, cov_v0_V2_per_K, tau_ref_s, tau_ref_err_s, ea_J,
      ea_err_J, tau_inf_s, chi2_red_vs, chi2_red_v0, chi2_red_tau;
  double t_min_K, t_max_K;   /* the calibrated range */
  char v0_model[160];        /* the v0(T) formula (text) */
  size_t n_trip;             /* trip table entries (0: none) */
  double *trip_T_K, *trip_V; /* [n_trip] */
} io_celllib_tmodel;

/* One cell group.  Every array is malloc'ed (io_celllib_clear frees
 * them); NULL means the dataset is absent.  Attributes: NaN / "" / 0
 * where absent, as noted. */
typedef struct io_celllib {
  char name[128];            /* the group /cells/<name> */
  /* settings */
  char kind[32], cell[128], control_node[128], output_node[128];
  char source_file[512], subckt[128];   /* "" if absent */
  char noise_elements[256], noise_quiet[2048], noise_mos_model[16]; /* "" */
  double vdd_V, vbias_V;     /* vbias_V NaN if absent */
  double vsep_V;             /* gmm, NaN if absent */
  int64_t n_states;          /* K */
  double sweep_time_s, sweep_tstep_s, sweep_nt_s;
  int64_t sweep_seed;
  double sweep_noise_scale;  /* NaN if absent (1) */
  int64_t sweep_repeats;     /* 0 if absent (1) */
  /* dimensions */
  size_t nt, nv, n_ctl;      /* n_ctl 1: control_V is [nV] */
  size_t n_trip_tab;         /* trip_table/ entries */
  size_t n_inst, n_mos;      /* mismatch/ instances and transistors */
  size_t n_jobs;             /* mc_checkpoint/ jobs */
  /* grid, --track */
  double *temperature_K, *control_V;
  double *point_control_V, *trip_V, *track_center_V, *record_time_s;
  double *trip_tab_T_K, *trip_tab_V;
  double track_ref_K, track_width_exp, track_trip_ref_V,
      track_center_ref_V, track_time_tau;   /* with point_control_V */
  /* points */
  double *p_state, *p_state_stderr, *p_state_stderr_repeats;
  double *gmm[IO_CELLLIB_GMM];  /* in the order of io_celllib_gmm_name */
  double *tau_s, *tau_err_s, *energy_J, *power_W, *flips;
  uint8_t *no_transitions, *point_done;
  /* [nT*nV] or NULL: the simulator's message of each failed point
   * (point_done 2), NULL entries where none was stored; in the file the
   * string attribute point_error_<idx> of the cell's group */
  char **point_error;
  /* pbit fit */
  char fit_model[256], priority_model[256];   /* fit/ attributes, "" */
  double *fit_v0_V, *fit_v0_err_V, *fit_vs_V, *fit_vs_err_V, *fit_chi2_red,
      *fit_tau_op_s, *fit_tau_op_err_s;
  double *probit_sd_V, *probit_sd_err_V, *probit_chi2_red;
  double *error_scale, *error_scale_dof;
  double *loo_max_abs_dp1, *loo_max_abs_dp1_vs_fit;
  io_celllib_tmodel tm;
  /* categorical fit */
  double *fit_a, *fit_b_per_V, *fit_a_err, *fit_b_err_per_V;
  double *prio_v0_V, *prio_vs_V, *prio_v0_err_V, *prio_vs_err_V, *prio_w,
      *prio_w_err, *prio_chi2_red;
  /* noise_model/ */
  char nm_model[256];
  double nm_record_time_s;   /* NaN if absent */
  double *nm_sigma_x_V, *nm_tau_x_s, *nm_shift_x_V, *nm_control_V, *nm_vs_V;
  /* mismatch/ */
  char mm_model[512];
  double mm_a_vt_V_m;        /* NaN if absent */
  int64_t mm_n_instances;
  double *mm_v0_V, *mm_vs_V, *mm_tau_s, *mm_tau_mean_s, *mm_trip_shift_V,
      *mm_n_fitted, *mm_inst_v0_V, *mm_inst_vs_V, *mm_inst_tau_s,
      *mm_inst_trip_shift_V, *mm_dvth_V;
  /* mc_checkpoint/ */
  double mc_a_vt_V_m;        /* NaN if absent */
  int64_t mc_n_instances, mc_n_temperatures;
  double *mc_result;         /* [n_jobs, 4] */
  uint8_t *mc_done;          /* [n_jobs] */
  char sweep_engine[16];     /* "native" or "" (ngspice) */
} io_celllib;

/* The gmm_* dataset names, units and last dimension (2 modes or 1). */
extern const char *const io_celllib_gmm_name[IO_CELLLIB_GMM];
extern const char *const io_celllib_gmm_unit[IO_CELLLIB_GMM];
extern const unsigned io_celllib_gmm_n[IO_CELLLIB_GMM];

/* Everything absent (NULL, NaN, "", 0). */
void io_celllib_init(io_celllib *c);
/* Free the arrays and re-initialise. */
void io_celllib_clear(io_celllib *c);

/* Write every present dataset and attribute of c into group
 * /cells/<c->name> of f (created for writing: io_file_create), and the
 * root attribute kind = "cells". */
int io_celllib_write(io_file *f, const io_celllib *c, tk_err *err);

/* Read cell `name` of f into c (io_celllib_init'ed here): every dataset
 * and attribute present.  TK_ENOTFOUND (naming the cells there) if the
 * cell is missing, TK_EFORMAT on shapes that disagree. */
int io_celllib_read(io_file *f, const char *name, io_celllib *c, tk_err *err);

/* The same from a path. */
int io_celllib_load(const char *path, const char *name, io_celllib *c,
                    tk_err *err);

/* The cells of f (names malloc'ed; io_names_free) and their kind
 * attribute into kinds[i] (up to 32 bytes each, "" if none; kinds may be
 * NULL). */
int io_celllib_list(io_file *f, char ***names, char (**kinds)[32], size_t *n,
                    tk_err *err);

/* One finished point of a checkpoint: its values. */
typedef struct io_celllib_point {
  const double *p, *p_err;   /* [K] */
  const double *p_err_rep;   /* [K] or NULL (no --repeats) */
  const double *gmm;         /* the gmm_* values in dataset order (2 2 2 2
                                1 1), or NULL */
  double tau_s, tau_err_s, energy_J, power_W, flips;
  int no_transitions;
  int failed;                /* 1: the simulation failed: point_done 2 */
  const char *fail_msg;      /* failed: the simulator's message, stored as
                                the group's string attribute
                                point_error_<idx> (NULL: none) */
} io_celllib_point;

/* Checkpoint: store point idx (t * nV + v) of the K-state cell `name` in
 * f (open read-write), flush, then set its point_done flag and flush
 * again (see calibrate/cal_run.h for why in this order). */
int io_celllib_put_point(io_file *f, const char *name, unsigned K, size_t idx,
                         const io_celllib_point *pt, tk_err *err);

/* mc_checkpoint/: the settings and empty results (write) ... */
int io_celllib_mc_begin(io_file *f, const char *name, const io_celllib *c,
                        tk_err *err);
/* ... and job idx's row of 4 values, then its done flag (flushed). */
int io_celllib_mc_put(io_file *f, const char *name, size_t idx,
                      const double row[4], tk_err *err);

#endif
