/* cal_run.h -- a whole calibration run as one library call: sweep a cell
 * over temperature x control voltage in forked worker processes (and MPI
 * ranks when built --with-mpi), checkpoint every finished point in the
 * output file, resume an interrupted sweep, fit, and write the cell
 * library (io/io_celllib.h holds its schema).  Used by `tsukit calibrate`
 * (a shipped cell of circuits/cells) and `tsukit characterize` (a
 * designer's .subckt with tsukit's device noise).
 *
 * Crash safety and resume.  The output file goes through three states:
 *  1. Skeleton: every per-point dataset of /cells/<name>/ at its final
 *     size (NaN / 0), the sweep settings as attributes and point_done
 *     [nT, nV] = 0, written as FILE.partial and renamed to FILE.  So FILE
 *     is a complete, valid HDF5 file from the first moment it exists.
 *  2. Checkpoints: each finished point overwrites its own elements of the
 *     existing datasets in place (raw data only, no HDF5 metadata is
 *     touched), then the file is flushed and fsync'ed, and only then is
 *     point_done[t, v] set to 1 and flushed again.  A kill at any moment
 *     leaves every point either done with all its data on disk, or not
 *     done (its half-written elements are ignored and recomputed).
 *  3. Library: after the last point, the measurements are read back from
 *     FILE, fitted, and a fresh FILE.partial with measurements + fits is
 *     written and renamed over FILE (atomic).  A crash here leaves the
 *     finished checkpoint, and resume refits without recomputing.
 * resume reopens FILE, checks it was made with the same cell, grid, time
 * and seed (else TK_EINVAL), and runs only points with point_done == 0.
 * The fit always uses values read back from the file, and each point's
 * noise seed depends only on (seed, point index), so an interrupted and
 * resumed sweep, a 1-worker and an N-worker sweep all give the same
 * datasets.
 *
 * Signals: during the sweep the first SIGINT/SIGTERM stops launching
 * points and lets the running ones finish and be stored; a second one
 * kills them.  Either way cal_run returns TK_EINTERRUPT after printing
 * the command line to resume with.
 *
 * Progress, the fits and every failure are reported on stderr, each line
 * prefixed "tsukit <label>:"; the figures of the run go to a cal_summary.
 */
#ifndef CAL_RUN_H
#define CAL_RUN_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "calibrate/cal_summary.h"
#include "common/tk_error.h"

/* --track: move the control window with the transition (cal_track.c). */
typedef struct cal_track_opts {
  int on;                  /* track the transition */
  double ref_K;            /* where the grid applies as given (NaN: the
                            * sweep temperature nearest 27 C) */
  double width_exp;        /* window width ~ (T / ref_K)^this (1) */
  double time_tau;         /* record = this many pilot tau (0: off) */
} cal_track_opts;

#define CAL_TRACK_OPTS_INIT {0, NAN, 1.0, 0.0}

/* The options every calibration run shares (the sweep). */
typedef struct cal_sweep_opts {
  double time_s;           /* simulated time per point (20e-6 s) */
  long workers;            /* worker processes, >= 1 (1) */
  uint64_t seed;           /* noise seed (1) */
  unsigned repeats;        /* independent records per point, >= 1 (1) */
  int resume;              /* continue the sweep in the output file */
  int force;               /* overwrite the output file */
  cal_track_opts track;    /* --track and its settings */
} cal_sweep_opts;

/* What is swept. */
typedef enum cal_source {
  CAL_SOURCE_CELL = 0,     /* a shipped cell: `calibrate` */
  CAL_SOURCE_SUBCKT        /* a designer's subcircuit: `characterize` */
} cal_source;

typedef struct cal_run_params {
  const char *label;       /* "calibrate" | "characterize": message prefix */
  const char *command_line;/* provenance and the resume hint ("" if none) */
  const char *out;         /* the cell library (required) */
  const double *temp_K;    /* [nt] temperatures, any order (distinct) */
  size_t nt;
  const double *vctl_V;    /* [nv] the control grid A..B ascending */
  size_t nv;               /* >= 2 */
  cal_sweep_opts sweep;    /* time, workers, seed, repeats, resume ... */
  cal_source source;       /* which of the two blocks below applies */
  /* CAL_SOURCE_CELL: a shipped cell (circuits/cells/ckt_cells.h) */
  const char *cell;        /* its name: pbit, cat4, gmm2 ... */
  double vdd_V;            /* supply, NaN: the cell's */
  double vbias_V;          /* pseudo-resistor gate bias, NaN: 0 / none */
  double vbase_V;          /* categorical: the fixed controls, NaN: (A+B)/2 */
  double vsep_V;           /* gmm2: mode separation control, NaN: middle */
  double noise_scale;      /* every device noise density x this (1) */
  double noise_time_s;     /* pbit --noise-model record per T, 0: none */
  long n_random;           /* categorical: random design of M rows, 0: oat */
  long n_verify;           /* categorical: --verify targets, 0: none */
  double verify_time_s;    /* their simulated time, NaN: time_s */
  const char *inverse;     /* --verify model: auto | softmax | priority */
  long n_mc;               /* pbit: Monte-Carlo instances, 0: none */
  double avt_V_m;          /* their Pelgrom coefficient (V m) */
  int native;              /* 1: --engine native (circuits/ckt_native.h)
                              instead of ngspice for every run */
  /* CAL_SOURCE_SUBCKT: the .subckt `subckt` of the netlist file */
  const char *netlist;     /* the file */
  const char *subckt;      /* the subcircuit */
  const char *name;        /* cell name in the library, NULL: subckt */
  const char *ctl_port;    /* swept control port */
  const char *out_port;    /* output port (digitised at 30 % / 70 % vdd) */
  const char *supply_port; /* supply port, at vdd_V (required) */
  const char *ground;      /* "P1,P2": ports tied to node 0, or NULL */
  const char *bias;        /* "P1=V1,P2=V2": fixed rails, or NULL */
  double tstep_s;          /* transient step (2e-9 s) */
  double noise_slot_s;     /* noise slot (0.5e-9 s) */
  int dry_run;             /* 1: the preflight's table on stdout, nothing
                              simulated or written */
  int strict;              /* 1: an element whose noise tsukit cannot
                              model (or only in part) is an error */
  int mos_twoflux;         /* 1: MOSFET channels 2q(I_F + I_R) (tsukit <= 1)
                              instead of the charge-based thermal noise */
  int flicker;             /* 1: flicker (1/f) noise from the cards
                              (characterize --flicker) */
} cal_run_params;

/* Defaults: the shipped-cell source, 20 us per point, 1 worker, seed 1,
 * every NaN above NaN, inverse "auto", the default Pelgrom coefficient. */
cal_run_params cal_run_default_params(void);

/* The whole run (see above).  Returns 0; TK_EINVAL / TK_ERANGE when the
 * parameters are wrong (a usage error: nothing simulated, or a
 * checkpoint made with other settings); another status when the run
 * failed (already reported on stderr, err holds the detail).  s gets
 * the summary (cell=, points=, the fits at the lowest temperature, the
 * --mc / --verify figures, file=). */
int cal_run(const cal_run_params *p, cal_summary *s, tk_err *err);

#endif
