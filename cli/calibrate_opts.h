/* calibrate_opts.h -- the options `tsukit calibrate` and `tsukit
 * characterize` share (the sweep: --vctl, --temp, --time, --workers,
 * --seed, --repeats, --resume, --force, --track and its settings, -o),
 * one fragment of cmd_opt rows (cli/cmd_opt.h) that both commands' tables
 * end with, filling the sweep block of cal_run_params
 * (calibrate/cal_run.h).
 */
#ifndef CALIBRATE_OPTS_H
#define CALIBRATE_OPTS_H

#include <stddef.h>

#include "calibrate/cal_run.h"
#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "common/tk_error.h"

/* What the shared options set. */
typedef struct cmd_sweep {
  cal_sweep_opts s;        /* time, workers, seed, repeats, resume, track */
  double *vctl_V;          /* --vctl A:B:N grid (malloc), or NULL */
  size_t nv;
  double *temp_K;          /* --temp list (malloc), or NULL */
  size_t nt;
  const char *out;         /* -o FILE, or NULL */
} cmd_sweep;

/* The rows of the shared options in a command's cmd_opt table: writes
 * CMD_SWEEP_N_OPTS rows targeting o, then an end row, at rows[0..]
 * (rows has room for CMD_SWEEP_N_OPTS + 1; a command's own rows go
 * before).  --vctl and -o (short only: no --out) are
 * CMD_OPT_REQUIRED, --temp too when temp_required (else it defaults to
 * 27 C).  Returns CMD_SWEEP_N_OPTS. */
#define CMD_SWEEP_N_OPTS 13
size_t cmd_sweep_opts(cmd_sweep *o, int temp_required, cmd_opt *rows);

/* The defaults of cal_run_default_params(), nothing parsed yet. */
void cmd_sweep_init(cmd_sweep *o);
void cmd_sweep_free(cmd_sweep *o);

/* The shared options into the run's parameters (arrays borrowed). */
void cmd_sweep_apply(const cmd_sweep *o, cal_run_params *p);

/* cal_run(p) with its summary onto kv; returns the process exit status
 * (failures are reported by cal_run): 0 ok, 2 usage (TK_EINVAL,
 * TK_ERANGE), else 1. */
int cmd_sweep_run(const cal_run_params *p, cmd_kv *kv);

#define CMD_SWEEP_TRACK_SYNOPSIS "[--track [--track-ref T] [--track-exp M] [--time-tau N]] [--repeats R]"

#endif
