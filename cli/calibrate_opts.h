/* calibrate_opts.h -- the options `tsukit calibrate` and `tsukit
 * characterize` share (the sweep: --vctl, --temp, --time, --workers,
 * --seed, --repeats, --resume, --force, --track and its settings, -o),
 * one getopt_long table and one parser for both, filling the sweep
 * block of cal_run_params (calibrate/cal_run.h).
 */
#ifndef CALIBRATE_OPTS_H
#define CALIBRATE_OPTS_H

#include <getopt.h>
#include <stddef.h>

#include "calibrate/cal_run.h"
#include "cli/cmd.h"
#include "common/tk_error.h"

/* The shared options' getopt codes (a command's own codes stay below). */
enum {
  CMD_SWEEP_VCTL = 1000, CMD_SWEEP_TEMP, CMD_SWEEP_TIME, CMD_SWEEP_WORKERS,
  CMD_SWEEP_SEED, CMD_SWEEP_REPEATS, CMD_SWEEP_RESUME, CMD_SWEEP_FORCE,
  CMD_SWEEP_TRACK, CMD_SWEEP_TRACK_REF, CMD_SWEEP_TRACK_EXP,
  CMD_SWEEP_TIME_TAU
};

/* The entries of the shared options, for a command's option table. */
#define CMD_SWEEP_LONGOPTS                                                    \
  {"vctl", required_argument, NULL, CMD_SWEEP_VCTL},                          \
  {"temp", required_argument, NULL, CMD_SWEEP_TEMP},                          \
  {"time", required_argument, NULL, CMD_SWEEP_TIME},                          \
  {"workers", required_argument, NULL, CMD_SWEEP_WORKERS},                    \
  {"seed", required_argument, NULL, CMD_SWEEP_SEED},                          \
  {"repeats", required_argument, NULL, CMD_SWEEP_REPEATS},                    \
  {"resume", no_argument, NULL, CMD_SWEEP_RESUME},                            \
  {"force", no_argument, NULL, CMD_SWEEP_FORCE},                              \
  {"track", no_argument, NULL, CMD_SWEEP_TRACK},                              \
  {"track-ref", required_argument, NULL, CMD_SWEEP_TRACK_REF},                \
  {"track-exp", required_argument, NULL, CMD_SWEEP_TRACK_EXP},                \
  {"time-tau", required_argument, NULL, CMD_SWEEP_TIME_TAU}

/* What the shared options set. */
typedef struct cmd_sweep {
  cal_sweep_opts s;        /* time, workers, seed, repeats, resume, track */
  double *vctl_V;          /* --vctl A:B:N grid (malloc), or NULL */
  size_t nv;
  double *temp_K;          /* --temp list (malloc), or NULL */
  size_t nt;
  const char *out;         /* -o FILE, or NULL */
} cmd_sweep;

/* The defaults of cal_run_default_params(), nothing parsed yet. */
void cmd_sweep_init(cmd_sweep *o);
void cmd_sweep_free(cmd_sweep *o);

/* Option `code` with argument arg (also 'o'): 1 and *rc the parse status
 * if it is a shared option, 0 if it is not. */
int cmd_sweep_option(int code, const char *arg, cmd_sweep *o, int *rc,
                     tk_err *err);

/* The shared options into the run's parameters (arrays borrowed). */
void cmd_sweep_apply(const cmd_sweep *o, cal_run_params *p);

/* cal_run(p) with its summary onto kv; returns the process exit status
 * (failures are reported by cal_run): 0 ok, 2 usage (TK_EINVAL,
 * TK_ERANGE), else 1. */
int cmd_sweep_run(const cal_run_params *p, cmd_kv *kv);

#define CMD_SWEEP_TRACK_SYNOPSIS "[--track [--track-ref T] [--track-exp M] [--time-tau N]] [--repeats R]"
#define CMD_SWEEP_TRACK_HELP                                                      \
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
#define CMD_SWEEP_REPEATS_HELP                                                    \
  "  --repeats R     split each point's time into R independent records\n"   \
  "                  (own seeds), 1..1000 (default 1); with R >= 2 the\n"     \
  "                  records' scatter measures the points' errors: the\n"     \
  "                  pbit fit scales them by a factor pooled per\n"          \
  "                  temperature (fit/error_scale); the scatter itself is\n" \
  "                  stored as p_state_stderr_repeats\n"

#endif
