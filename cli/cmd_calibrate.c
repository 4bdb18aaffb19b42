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
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_mismatch.h"
#include "calibrate/cal_run.h"
#include "cli/calibrate_opts.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit calibrate --cell NAME --vctl A:B:N --temp T1,T2,... -o FILE.h5\n"
          "                        [--time S] [--workers N] [--seed S]\n"
          "                        [--vdd V] [--vbias V] [--vbase V]\n"
          "                        [--verify N [--verify-time S]]\n"
          "                        " CMD_SWEEP_TRACK_SYNOPSIS "\n"
          "                        [--resume] [--force]\n"
          "\n"
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
          "2 %% of the record) and the upper mode's weight (digitised at vsep/2)\n"
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
          "and verify_tv_max=.\n"
          "\n"
          "  --cell NAME     cell name (`tsukit cells`: pbit or cat4; required)\n"
          "  --vctl A:B:N    N >= 2 control voltages from A to B > A (required)\n"
          "  --temp T,...    temperatures, K or Celsius with C suffix (required)\n"
          "  --time S        simulated time per point, (0, 1e-2] s (default 20e-6)\n"
          "  --vdd V         cell supply, [0.1, 1] V (default the cell's; sets the\n"
          "                  digitiser speed, the trip point moves ~0.46 VDD)\n"
          "  --vbias V       pseudo-resistor gate bias, [0, 1] V (sets tau)\n"
          CMD_SWEEP_TRACK_HELP
          CMD_SWEEP_REPEATS_HELP
          "  --noise-model S pbit: after the fits, one record of S seconds per\n"
          "                  temperature at the fitted v0 measures the noise\n"
          "                  node x (sd, correlation time tau_x) and predicts\n"
          "                  vs = sqrt(sd^2 tau_x / (tau_x + tau)) / 1.702 (the\n"
          "                  digitiser averages x over its own correlation time\n"
          "                  tau): noise_model/ in the library, printed against\n"
          "                  the fitted vs (10e-6 is plenty; [1e-7, 1e-3])\n"
          "  --noise-scale S every device noise density x S, [1e-3, 1e3] (default\n"
          "                  1): a diagnostic that separates the noise from the\n"
          "                  devices' temperature (S = T'/T gives the devices at\n"
          "                  --temp the thermal noise of T')\n"
          "  --vbase V       categorical: the fixed controls (default (A+B)/2)\n"
          "  --vsep V        gmm2: the mode separation control, fixed while\n"
          "                  --vctl sweeps the weight (default the middle of\n"
          "                  its documented range, 0.3 V)\n"
          "  --design D      categorical: oat (one control at a time, default) or\n"
          "                  random:M (M control vectors uniform in [A, B]^K)\n"
          "  --verify N      categorical: check the inverse on N targets, 1..100\n"
          "  --verify-time S simulated time per target (default --time)\n"
          "  --inverse M     model inverted by --verify: softmax, priority (the\n"
          "                  priority-encoder model of cat4's NOR chain) or auto\n"
          "                  (the lower chi2_red; default)\n"
          "  --workers N     points simulated at once, 1..256 (default 1)\n"
          "  --seed S        noise seed (default 1); point i uses a seed mixed\n"
          "                  from S and i, whatever the worker count\n"
          "  --resume        continue the sweep in FILE (same options)\n"
          "  --force         overwrite FILE and start over\n"
          "  -o FILE         cell library (required)\n");
}

enum { O_CELL = 1, O_HELP, O_VDD, O_VBIAS, O_VBASE, O_VERIFY, O_VTIME, O_MC,
       O_AVT, O_DESIGN, O_INVERSE, O_NOISE_SCALE, O_NOISE_MODEL, O_VSEP };

static int cmd_calibrate_kv(int argc, char **argv, cmd_kv *kv)
{
  static const struct option opts[] = {
    {"cell", required_argument, NULL, O_CELL},
    {"vdd", required_argument, NULL, O_VDD},
    {"vbias", required_argument, NULL, O_VBIAS},
    {"vbase", required_argument, NULL, O_VBASE},
    {"vsep", required_argument, NULL, O_VSEP},
    {"verify", required_argument, NULL, O_VERIFY},
    {"verify-time", required_argument, NULL, O_VTIME},
    {"mc", required_argument, NULL, O_MC},
    {"avt", required_argument, NULL, O_AVT},
    {"design", required_argument, NULL, O_DESIGN},
    {"inverse", required_argument, NULL, O_INVERSE},
    {"noise-scale", required_argument, NULL, O_NOISE_SCALE},
    {"noise-model", required_argument, NULL, O_NOISE_MODEL},
    CMD_SWEEP_LONGOPTS,
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
  };
  cal_run_params p = cal_run_default_params();
  cmd_sweep sw;
  cmd_sweep_init(&sw);
  double avt_mV_um = CAL_AVT_DEFAULT_V_M * 1e9;
  /* the options that take one number in a range */
  const struct {
    int code;
    const char *name;
    double lo, hi;
    double *d;            /* a double option, or */
    long *l;              /* a long one */
  } num[] = {
    {O_NOISE_MODEL, "--noise-model", 1e-7, 1e-3, &p.noise_time_s, NULL},
    {O_NOISE_SCALE, "--noise-scale", 1e-3, 1e3, &p.noise_scale, NULL},
    {O_VDD, "--vdd", 0.1, 1.0, &p.vdd_V, NULL},
    {O_VBIAS, "--vbias", 0.0, 1.0, &p.vbias_V, NULL},
    {O_VTIME, "--verify-time", 1e-9, 1e-2, &p.verify_time_s, NULL},
    {O_AVT, "--avt", 1e-3, 100, &avt_mV_um, NULL},
    {O_VSEP, "--vsep", 0.0, 1.0, &p.vsep_V, NULL},
    {O_VBASE, "--vbase", 0.0, 1.0, &p.vbase_V, NULL},
    {O_VERIFY, "--verify", 1, 100, NULL, &p.n_verify},
    {O_MC, "--mc", 2, 10000, NULL, &p.n_mc},
  };
  int c, rc = 0;
  tk_err err = {0};
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    size_t k = 0;
    while (k < sizeof num / sizeof num[0] && num[k].code != c)
      k++;
    if (cmd_sweep_option(c, optarg, &sw, &rc, &err)) {
      /* shared with characterize */
    } else if (k < sizeof num / sizeof num[0] && num[k].d != NULL) {
      rc = tk_parse_double_in(optarg, num[k].name, num[k].lo, num[k].hi,
                              num[k].d, &err);
    } else if (k < sizeof num / sizeof num[0]) {
      rc = tk_parse_long_in(optarg, num[k].name, (long)num[k].lo,
                            (long)num[k].hi, num[k].l, &err);
    } else {
      switch (c) {
      case O_CELL: p.cell = optarg; break;
      case O_INVERSE:
        p.inverse = optarg;
        if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "softmax") != 0 &&
            strcmp(optarg, "priority") != 0)
          rc = TK_FAIL(&err, TK_EINVAL, "--inverse: '%s' must be auto, "
                       "softmax or priority", optarg);
        break;
      case O_DESIGN:
        if (strcmp(optarg, "oat") == 0)
          p.n_random = 0;
        else if (strncmp(optarg, "random:", 7) == 0)
          rc = tk_parse_long_in(optarg + 7, "--design random:M", 4, 100000,
                                &p.n_random, &err);
        else
          rc = TK_FAIL(&err, TK_EINVAL, "--design: '%s' must be oat or "
                       "random:M", optarg);
        break;
      case 'h':
      case O_HELP:
        usage(stdout);
        cmd_sweep_free(&sw);
        return CMD_EXIT_OK;
      default:
        cmd_sweep_free(&sw);
        return cmd_usage_error("calibrate", "unknown or incomplete option "
                               "'%s'", argv[optind - 1]);
      }
    }
    if (rc != 0) {
      cmd_sweep_free(&sw);
      err.status = TK_EINVAL;   /* every parse failure is a usage error */
      return cmd_fail("calibrate", &err);
    }
  }
  if (p.cell == NULL || sw.vctl_V == NULL || sw.temp_K == NULL ||
      sw.out == NULL) {
    cmd_sweep_free(&sw);
    return cmd_usage_error("calibrate", "--cell, --vctl, --temp and -o are "
                           "required");
  }
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
