/* cmd_calibrate.c -- `tsukit calibrate`: sweep a shipped cell (pbit, the
 * categorical cat4 or gmm2) over temperature x control voltage in
 * parallel worker processes, checkpoint every finished point, then fit
 * and write the cell library: option parsing and one call of cal_run
 * (calibrate/cal_run.h holds the run, its crash safety and resume).
 *
 * cat4: the controls are 4-vectors; --vctl A:B:N moves one control at a
 * time over A..B with the others at --vbase, so the softmax's slope b_k
 * and offset a_k of every state are pinned by their own sweep.  --verify
 * N closes the loop: random targets -> cal_softmax_inverse -> simulated.
 * --mc N (pbit): N Monte-Carlo instances with Pelgrom threshold mismatch
 * (calibrate/cal_mismatch.h), each swept over the nominal grid moved by
 * its own noiseless trip-point shift, fitted, and their spread written to
 * mismatch/ inside the final library write.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_mismatch.h"
#include "calibrate/cal_run.h"
#include "cli/calibrate_opts.h"
#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "common/tk_parse.h"

static const char cal_synopsis[] =
  "tsukit calibrate --cell NAME --vctl A:B:N --temp T1,T2,... -o FILE.h5\n"
  "                        [--time S] [--workers N] [--seed S]\n"
  "                        [--vdd V] [--vbias V] [--vbase V]\n"
  "                        [--verify N [--verify-time S]]\n"
  "                        [--mc N [--avt A]] [--engine ngspice|native]\n"
  "                        " CMD_SWEEP_TRACK_SYNOPSIS "\n"
  "                        [--resume] [--force]";
static const char cal_about[] =
  "Simulates the cell at every (temperature, control) point, each in its\n"
  "own worker process, stores each point in FILE as soon as it is done,\n"
  "then fits and writes the cell library /cells/NAME/.  Interrupted\n"
  "(Ctrl-C, SIGTERM, a crash)?  Run the same command with --resume:\n"
  "finished points are kept, not recomputed.\n"
  "pbit: fits P(1) = sigmoid((V - v0)/vs) per temperature and the\n"
  "temperature model (vs ~ T, v0 linear in T, Arrhenius tau; needs >= 3\n"
  "temperatures).  Prints points= fit_v0_V= fit_vs_V= tau_s= energy_J=\n"
  "(at the lowest temperature).\n"
  "gmm (gmm2): --vctl sweeps the weight control at a fixed --vsep; each\n"
  "point's output samples are fitted by two Gaussians (gmm_mu_V,\n"
  "gmm_sd_V [nT, nV, 2], gmm_w0, with errors; where both modes hold\n"
  "2 % of the record) and the upper mode's weight (digitised at vsep/2)\n"
  "by the logistic and temperature model of a pbit.\n"
  "categorical (cat4): the controls are K-vectors; --vctl A:B:N sweeps\n"
  "one control at a time over A..B with the others at --vbase (K x N\n"
  "points per temperature, control_V [K N, K]) and fits the softmax\n"
  "P(k) = exp(a_k + b_k V_k) / sum_j exp(a_j + b_j V_j) per temperature\n"
  "(fit/a, fit/b_per_V) and the priority-encoder model of a chain of\n"
  "pbits (fit/priority_v0_V, fit/priority_vs_V; calibrate/cal_priority.h).\n"
  "Prints fit_a= fit_b_per_V= chi2_red= priority_chi2_red= tau_s=.\n"
  "--verify N then draws N random targets (uniform on the simplex, every\n"
  "q_k >= 0.05, from --seed), solves the fitted softmax for their\n"
  "controls within A..B, simulates each for --verify-time at the first\n"
  "temperature and prints verify_tv= (total variation, one per target)\n"
  "and verify_tv_max=.\n";

static const char *const inverse_words[] = {"auto", "softmax", "priority",
                                            NULL};
static const char *const engine_words[] = {"ngspice", "native", NULL};

/* --design oat | random:M into *(long *)target (M, or 0 for oat) */
static int parse_design(const char *arg, const char *what, void *target,
                        tk_err *err)
{
  if (strcmp(arg, "oat") == 0) {
    *(long *)target = 0;
    return TK_OK;
  }
  if (strncmp(arg, "random:", 7) == 0)
    return tk_parse_long_in(arg + 7, "--design random:M", 4, 100000, target,
                            err);
  return TK_FAIL(err, TK_EINVAL, "%s: '%s' must be oat or random:M "
                 "(M in 4..100000)", what, arg);
}

enum { N_OWN = 14 }; /* rows of calibrate's own options */

static int cmd_calibrate_kv(int argc, char **argv, cmd_kv *kv)
{
  cal_run_params p = cal_run_default_params();
  cmd_sweep sw;
  cmd_sweep_init(&sw);
  double avt_mV_um = CAL_AVT_DEFAULT_V_M * 1e9;
  int inverse_ix = 0, inverse_set = 0;
  const cmd_opt own[N_OWN] = {
    {"cell", 0, CMD_OPT_STR, &p.cell, 0, 0, NULL, "NAME",
     "cell name (`tsukit cells`: pbit, pbit-fast, cat4 or gmm2; required)",
     CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"vdd", 0, CMD_OPT_DOUBLE, &p.vdd_V, 0.1, 1.0, "V", "V",
     "cell supply, [0.1, 1] V (default the cell's; sets the digitiser "
     "speed, the trip point moves ~0.46 VDD)", 0, NULL, NULL, NULL},
    {"vbias", 0, CMD_OPT_DOUBLE, &p.vbias_V, 0, 1.0, "V", "V",
     "pseudo-resistor gate bias, [0, 1] V (sets tau)", 0, NULL, NULL, NULL},
    {"noise-model", 0, CMD_OPT_DOUBLE, &p.noise_time_s, 1e-7, 1e-3, "s", "S",
     "pbit: after the fits, one record of S seconds per temperature at the "
     "fitted v0 measures the noise node x (sd, correlation time tau_x) and "
     "predicts vs = sqrt(sd^2 tau_x / (tau_x + tau)) / 1.702 (the "
     "digitiser averages x over its own correlation time tau): noise_model/ "
     "in the library, printed against the fitted vs (10e-6 is plenty; "
     "[1e-7, 1e-3])", 0, NULL, NULL, NULL},
    {"noise-scale", 0, CMD_OPT_DOUBLE, &p.noise_scale, 1e-3, 1e3, NULL, "S",
     "every device noise density x S, [1e-3, 1e3] (default 1): a diagnostic "
     "that separates the noise from the devices' temperature (S = T'/T "
     "gives the devices at --temp the thermal noise of T')", 0, NULL, NULL,
     NULL},
    {"vbase", 0, CMD_OPT_DOUBLE, &p.vbase_V, 0, 1.0, "V", "V",
     "categorical: the fixed controls, [0, 1] V (default (A+B)/2)", 0, NULL,
     NULL, NULL},
    {"vsep", 0, CMD_OPT_DOUBLE, &p.vsep_V, 0, 1.0, "V", "V",
     "gmm2: the mode separation control, [0, 1] V, fixed while --vctl "
     "sweeps the weight (default the middle of its documented range, "
     "0.3 V)", 0, NULL, NULL, NULL},
    {"design", 0, CMD_OPT_FN, &p.n_random, 0, 0, NULL, "D",
     "categorical: oat (one control at a time, default) or random:M (M "
     "control vectors uniform in [A, B]^K, M in 4..100000)", 0, NULL, NULL,
     parse_design},
    {"verify", 0, CMD_OPT_LONG, &p.n_verify, 1, 100, NULL, "N",
     "categorical: check the inverse on N targets, 1..100", 0, NULL, NULL,
     NULL},
    {"verify-time", 0, CMD_OPT_DOUBLE, &p.verify_time_s, 1e-9, 1e-2, "s",
     "S", "simulated time per target, [1e-9, 1e-2] s (default --time)", 0,
     NULL, NULL, NULL},
    {"inverse", 0, CMD_OPT_CHOICE, &inverse_ix, 0, 0, NULL, "M",
     "model inverted by --verify: softmax, priority (the priority-encoder "
     "model of cat4's NOR chain) or auto (the lower chi2_red; default)", 0,
     &inverse_set, inverse_words, NULL},
    {"mc", 0, CMD_OPT_LONG, &p.n_mc, 2, 10000, NULL, "N",
     "pbit: N Monte-Carlo instances with Pelgrom threshold mismatch, "
     "2..10000, each swept over the nominal grid moved by its own noiseless "
     "trip-point shift and fitted; their spread goes to mismatch/", 0, NULL,
     NULL, NULL},
    {"avt", 0, CMD_OPT_DOUBLE, &avt_mV_um, 1e-3, 100, "mV um", "A",
     "--mc: Pelgrom coefficient A_VT, [1e-3, 100] mV um (default 2.5)", 0,
     NULL, NULL, NULL},
    {"engine", 0, CMD_OPT_CHOICE, &p.native, 0, 0, NULL, "E",
     "ngspice (default) or native: every run (sweep, trip points, --mc "
     "instances) through the native solver (circuits/ckt_native.h; ~50-70x "
     "faster, its fidelity against ngspice in experiment native-fidelity; "
     "no flicker noise)", 0, NULL, engine_words, NULL},
  };
  cmd_opt opts[N_OWN + CMD_SWEEP_N_OPTS + 1];
  for (size_t i = 0; i < N_OWN; i++)
    opts[i] = own[i];
  cmd_sweep_opts(&sw, 1, opts + N_OWN);
  const cmd_spec spec = {"calibrate", cal_synopsis, cal_about, opts, 0, NULL};
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK) {
    cmd_sweep_free(&sw);
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  }
  if (inverse_set)
    p.inverse = inverse_words[inverse_ix];
  if (sw.s.resume && sw.s.force) {
    cmd_sweep_free(&sw);
    return cmd_usage_error("calibrate", "--resume and --force exclude each "
                           "other");
  }
  cmd_sweep_apply(&sw, &p);
  p.label = "calibrate";
  p.source = CAL_SOURCE_CELL;
  p.avt_V_m = avt_mV_um * 1e-9;
  rc = cmd_sweep_run(&p, kv);
  cmd_sweep_free(&sw);
  return rc;
}

int cmd_calibrate(int argc, char **argv)
{
  return cmd_print_kv(cmd_calibrate_kv, argc, argv);
}
