/* cmd_calibrate.c -- `tsukit calibrate`: sweep a shipped cell (pbit or
 * the categorical cat4) over temperature x control voltage in parallel
 * worker processes, checkpoint every finished point, then fit and write
 * the cell library (the sweep itself is cli/calibrate_file.c, shared with
 * `tsukit characterize`).
 *
 * Workload: nT x nV points (tens to hundreds), each one ngspice transient
 * in a fork()ed worker (calibrate/cal_sweep.h); the parent only stores
 * results, a few hundred bytes per point.
 *
 * cat4: the controls are 4-vectors; --vctl A:B:N moves one control at a
 * time over A..B with the others at --vbase, so the softmax's slope b_k
 * and offset a_k of every state are pinned by their own sweep.  --verify
 * N closes the loop: random targets -> cal_softmax_inverse -> simulated.
 * --mc N (pbit): N Monte-Carlo instances with Pelgrom threshold mismatch
 * (calibrate/cal_mismatch.h), each swept over the nominal grid moved by
 * its own noiseless trip-point shift (found by bisection: with sd(V_TH)
 * ~25 mV per device the trip point moves by tens of mV, far outside a
 * fixed grid), fitted, and their spread written to mismatch/ inside the
 * final library write.  The instances are not checkpointed: an
 * interrupted --mc run recomputes them on --resume.
 *
 * Crash safety and resume.  The output file goes through three states:
 *  1. Skeleton: every per-point dataset of /cells/<name>/ at its final
 *     size (NaN / 0), the sweep settings as attributes and point_done
 *     [nT, nV] = 0, written as FILE.partial and renamed to FILE.  So FILE
 *     is a complete, valid HDF5 file from the first moment it exists.
 *  2. Checkpoints: each finished point overwrites its own elements of the
 *     existing datasets in place (io_update_*: raw data only, no HDF5
 *     metadata is touched), then the file is flushed and fsync'ed, and
 *     only then is point_done[t, v] set to 1 and flushed again.  A kill at
 *     any moment leaves every point either done with all its data on
 *     disk, or not done (its half-written elements are ignored and
 *     recomputed).  Since no metadata changes after the skeleton, the HDF5
 *     structure itself is never half-updated.
 *  3. Library: after the last point, the measurements are read back from
 *     FILE, fitted, and a fresh FILE.partial with measurements + fits is
 *     written and renamed over FILE (atomic).  A crash here leaves the
 *     finished checkpoint, and --resume refits without recomputing.
 * --resume reopens FILE, checks it was made with the same cell, grid,
 * --time and --seed (else exit 2), and runs only points with
 * point_done == 0.  The fit always uses values read back from the file,
 * and each point's noise seed depends only on (--seed, point index), so an
 * interrupted and resumed sweep, a 1-worker and an N-worker sweep all give
 * the same datasets.
 *
 * Signals: the first SIGINT/SIGTERM stops launching points and lets the
 * running ones finish and be stored; a second one kills them.  Either way
 * the command exits 1 with the command line to resume with.
 */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibrate/cal_mismatch.h"
#include "calibrate/cal_priority.h"
#include "calibrate/cal_sweep.h"
#include "calibrate/cal_temp.h"
#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "cli/calibrate_file.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "common/tk_rng.h"
#include "io/io_h5.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit calibrate --cell NAME --vctl A:B:N --temp T1,T2,... -o FILE.h5\n"
          "                        [--time S] [--workers N] [--seed S]\n"
          "                        [--vdd V] [--vbias V] [--vbase V]\n"
          "                        [--verify N [--verify-time S]]\n"
          "                        " CALIB_TRACK_SYNOPSIS "\n"
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
          CALIB_TRACK_HELP
          CALIB_REPEATS_HELP
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

enum { O_CELL = 1, O_VCTL, O_TEMP, O_TIME, O_WORKERS, O_SEED, O_RESUME,
       O_FORCE, O_HELP, O_VDD, O_VBIAS, O_VBASE, O_VERIFY, O_VTIME, O_MC,
       O_AVT, O_DESIGN, O_INVERSE, O_REPEATS, O_NOISE_SCALE, O_NOISE_MODEL, O_VSEP, O_TRACK };


static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int cmd_calibrate_kv(int argc, char **argv, cmd_kv *kv)
{
  static const struct option opts[] = {
    {"cell", required_argument, NULL, O_CELL},
    {"vctl", required_argument, NULL, O_VCTL},
    {"temp", required_argument, NULL, O_TEMP},
    {"time", required_argument, NULL, O_TIME},
    {"workers", required_argument, NULL, O_WORKERS},
    {"seed", required_argument, NULL, O_SEED},
    {"resume", no_argument, NULL, O_RESUME},
    {"force", no_argument, NULL, O_FORCE},
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
    CALIB_TRACK_LONGOPTS(O_TRACK),
    {"repeats", required_argument, NULL, O_REPEATS},
    {"noise-scale", required_argument, NULL, O_NOISE_SCALE},
    {"noise-model", required_argument, NULL, O_NOISE_MODEL},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
  };
  const char *cell = NULL, *out = NULL;
  double *vctl = NULL, *temps = NULL, *rows = NULL, time_s = 20e-6;
  double vdd = NAN, vbias = NAN, vbase = NAN, vtime_s = NAN, noise_scale = 1;
  double noise_time_s = 0, vsep = NAN;
  long nverify = 0, nmc = 0, nrandom = 0;
  const char *inverse = "auto";
  double avt_mV_um = CAL_AVT_DEFAULT_V_M * 1e9;
  mc_setup mc;
  memset(&mc, 0, sizeof mc);
  size_t nv = 0, nt = 0;
  long workers = 1, repeats = 1;
  uint64_t seed = 1;
  int resume = 0, force = 0, c, rc = 0;
  calib_track_opts track = CALIB_TRACK_OPTS_INIT;
  tk_err err = {0};
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    switch (c) {
    case O_CELL: cell = optarg; break;
    case O_VCTL:
      free(vctl);
      vctl = NULL;
      rc = tk_parse_range(optarg, "--vctl", &vctl, &nv, &err);
      if (rc == 0 && nv < 2)
        rc = TK_FAIL(&err, TK_EINVAL, "--vctl: '%s' must be a range A:B:N "
                     "with N >= 2", optarg);
      break;
    case O_TEMP:
      free(temps);
      temps = NULL;
      rc = tk_parse_list(optarg, "--temp", tk_parse_temp_K, &temps, &nt, &err);
      break;
    case O_TIME:
      rc = tk_parse_double_in(optarg, "--time", 1e-9, 1e-2, &time_s, &err);
      break;
    case O_NOISE_MODEL:
      rc = tk_parse_double_in(optarg, "--noise-model", 1e-7, 1e-3, &noise_time_s,
                              &err);
      break;
    case O_NOISE_SCALE:
      rc = tk_parse_double_in(optarg, "--noise-scale", 1e-3, 1e3, &noise_scale,
                              &err);
      break;
    case O_REPEATS:
      rc = tk_parse_long_in(optarg, "--repeats", 1, 1000, &repeats, &err);
      break;
    case O_WORKERS:
      rc = tk_parse_long_in(optarg, "--workers", 1, 256, &workers, &err);
      break;
    case O_SEED: rc = tk_parse_u64(optarg, "--seed", &seed, &err); break;
    case O_VDD:
      rc = tk_parse_double_in(optarg, "--vdd", 0.1, 1.0, &vdd, &err);
      break;
    case O_VBIAS:
      rc = tk_parse_double_in(optarg, "--vbias", 0.0, 1.0, &vbias, &err);
      break;
    case O_VERIFY:
      rc = tk_parse_long_in(optarg, "--verify", 1, 100, &nverify, &err);
      break;
    case O_VTIME:
      rc = tk_parse_double_in(optarg, "--verify-time", 1e-9, 1e-2, &vtime_s,
                              &err);
      break;
    case O_INVERSE:
      inverse = optarg;
      if (strcmp(inverse, "auto") != 0 && strcmp(inverse, "softmax") != 0 &&
          strcmp(inverse, "priority") != 0)
        rc = TK_FAIL(&err, TK_EINVAL, "--inverse: '%s' must be auto, "
                     "softmax or priority", optarg);
      break;
    case O_DESIGN:
      if (strcmp(optarg, "oat") == 0)
        nrandom = 0;
      else if (strncmp(optarg, "random:", 7) == 0)
        rc = tk_parse_long_in(optarg + 7, "--design random:M", 4, 100000,
                              &nrandom, &err);
      else
        rc = TK_FAIL(&err, TK_EINVAL, "--design: '%s' must be oat or "
                     "random:M", optarg);
      break;
    case O_MC:
      rc = tk_parse_long_in(optarg, "--mc", 2, 10000, &nmc, &err);
      break;
    case O_AVT:
      rc = tk_parse_double_in(optarg, "--avt", 1e-3, 100, &avt_mV_um, &err);
      break;
    case O_VSEP:
      rc = tk_parse_double_in(optarg, "--vsep", 0.0, 1.0, &vsep, &err);
      break;
    case O_VBASE:
      rc = tk_parse_double_in(optarg, "--vbase", 0.0, 1.0, &vbase, &err);
      break;
    case O_TRACK:
    case O_TRACK + 1:
    case O_TRACK + 2:
    case O_TRACK + 3:
      rc = calib__track_option(c - O_TRACK, optarg, &track, &err);
      break;
    case O_RESUME: resume = 1; break;
    case O_FORCE: force = 1; break;
    case 'o': out = optarg; break;
    case 'h':
    case O_HELP:
      usage(stdout);
      free(vctl);
      free(temps);
      return CMD_EXIT_OK;
    default:
      free(vctl);
      free(temps);
      return cmd_usage_error("calibrate", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
    if (rc != 0) {
      free(vctl);
      free(temps);
      err.status = TK_EINVAL;   /* every parse failure is a usage error */
      return cmd_fail("calibrate", &err);
    }
  }
  sweep_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  int exit_rc = CMD_EXIT_OK;
  if (cell == NULL || vctl == NULL || temps == NULL || out == NULL) {
    exit_rc = cmd_usage_error("calibrate", "--cell, --vctl, --temp and -o "
                              "are required");
    goto done;
  }
  if (resume && force) {
    exit_rc = cmd_usage_error("calibrate", "--resume and --force exclude "
                              "each other");
    goto done;
  }
  ctx.ci = ckt_cell_find(cell);
  if (ctx.ci == NULL) {
    exit_rc = cmd_usage_error("calibrate", "--cell: unknown cell '%s' (see "
                              "`tsukit cells`)", cell);
    goto done;
  }
  int cat = strcmp(ctx.ci->kind, "categorical") == 0;
  int gmm = strcmp(ctx.ci->kind, "gmm") == 0 && ctx.ci->n_ctl == 2;
  if (!(strcmp(ctx.ci->kind, "pbit") == 0 && ctx.ci->n_ctl == 1) && !cat &&
      !gmm) {
    exit_rc = cmd_usage_error("calibrate", "--cell: %s is a %s cell; "
                              "calibrate handles pbit, categorical and gmm "
                              "cells", cell, ctx.ci->kind);
    goto done;
  }
  if (!gmm && !isnan(vsep)) {
    exit_rc = cmd_usage_error("calibrate", "--vsep: only for gmm cells");
    goto done;
  }
  if (gmm && (track.on || nmc > 0 || noise_time_s > 0)) {
    exit_rc = cmd_usage_error("calibrate", "--track, --mc and --noise-model "
                              "are implemented for pbit cells only");
    goto done;
  }
  if (gmm && isnan(vsep))
    vsep = 0.5 * (ctx.ci->lo_V[1] + ctx.ci->hi_V[1]);
  if (!cat && nverify > 0) {
    exit_rc = cmd_usage_error("calibrate", "--verify: only for categorical "
                              "cells");
    goto done;
  }
  if (cat && nmc > 0) {
    exit_rc = cmd_usage_error("calibrate", "--mc: Monte-Carlo mismatch is "
                              "implemented for pbit cells only");
    goto done;
  }
  if (cat && noise_time_s > 0) {
    exit_rc = cmd_usage_error("calibrate", "--noise-model: implemented for "
                              "pbit cells only");
    goto done;
  }
  if (cat && track.on) {
    exit_rc = cmd_usage_error("calibrate", "--track: implemented for pbit "
                              "cells only");
    goto done;
  }
  if (!cat && nrandom > 0) {
    exit_rc = cmd_usage_error("calibrate", "--design: only for categorical "
                              "cells");
    goto done;
  }
  if (!cat && !isnan(vbase)) {
    exit_rc = cmd_usage_error("calibrate", "--vbase: only for categorical "
                              "cells (%s has one control)", cell);
    goto done;
  }
  if (isnan(vdd))
    vdd = ctx.ci->vdd_V;
  size_t K = cat ? ctx.ci->n_ctl : 2, nc = cat ? ctx.ci->n_ctl : 1;
  size_t nrow = cat ? (nrandom > 0 ? (size_t)nrandom : K * nv) : nv;
  if ((rows = malloc(nrow * nc * sizeof *rows)) == NULL) {
    exit_rc = cmd_usage_error("calibrate", "out of memory");
    goto done;
  }
  if (cat && nrandom > 0) {
    /* random design: control vectors uniform in [A, B]^K (from --seed) */
    tk_rng dr;
    tk_rng_init(&dr, seed, 0x64657369676eULL);  /* "design" */
    for (size_t i = 0; i < nrow * nc; i++)
      rows[i] = vctl[0] + (vctl[nv - 1] - vctl[0]) * tk_rng_uniform(&dr);
  } else if (cat) {
    /* one control at a time over A:B, the others at --vbase */
    double base = isnan(vbase) ? 0.5 * (vctl[0] + vctl[nv - 1]) : vbase;
    for (size_t k = 0; k < K; k++)
      for (size_t i = 0; i < nv; i++)
        for (size_t j = 0; j < nc; j++)
          rows[(k * nv + i) * nc + j] = j == k ? vctl[i] : base;
  } else {
    memcpy(rows, vctl, nv * sizeof *rows);
  }
  qsort(temps, nt, sizeof *temps, cmp_double);
  for (size_t i = 0; i + 1 < nt; i++)
    if (temps[i + 1] == temps[i]) {
      exit_rc = cmd_usage_error("calibrate", "--temp: %g K is given twice",
                                temps[i]);
      goto done;
    }
  for (size_t i = 0; i < nrow; i++) {
    phys_cell *pc = NULL;
    ckt_cell_opts co = {vdd, 0, isnan(vbias) ? 0 : vbias};
    double g2[2] = {rows[i * nc], vsep};
    rc = ckt_cell_build(ctx.ci, gmm ? g2 : &rows[i * nc], &co, &pc, &err);
    phys_cell_free(pc);
    if (rc != 0) {
      tk_err_wrap(&err, TK_EINVAL, "--vctl");
      err.status = TK_EINVAL;
      exit_rc = cmd_fail("calibrate", &err);
      goto done;
    }
  }
  ctx.temp_K = temps;
  ctx.vctl_V = rows;
  ctx.nt = nt;
  ctx.nv = nrow;
  ctx.n_ctl = nc;
  ctx.n_states = (unsigned)K;
  ctx.seed = seed;
  ctx.repeats = (unsigned)repeats;
  ctx.gmm = gmm;
  ctx.vsep_V = vsep;
  ctx.sp = ckt_sim_default_params();
  ctx.sp.noise_scale = noise_scale;
  if (noise_time_s > 0) {
    ctx.noise_node = calib__cell_noise_node;
    ctx.noise_time_s = noise_time_s;
  }
  ctx.sp.tstop_s = time_s;
  ctx.sp.tstep_s = fmin(ctx.ci->tstep_s, time_s / 16);
  ctx.sp.nt_s = fmin(ctx.ci->nt_s, ctx.sp.tstep_s);
  snprintf(ctx.grp, sizeof ctx.grp, "/cells/%s", ctx.ci->name);
  ctx.cmd = "calibrate";
  ctx.cell = ctx.ci->name;
  ctx.kind = ctx.ci->kind;
  ctx.control_node = ctx.ci->controls;
  ctx.output_node = ctx.ci->outputs;
  ctx.vdd_V = vdd;
  ctx.vbias_V = vbias;
  ctx.point = calib__cell_point;
  if (nmc > 0) {
    /* the cell's transistors, for the Pelgrom draws */
    phys_cell *pc = NULL;
    ckt_cell_opts co = {vdd, 0, isnan(vbias) ? 0 : vbias};
    rc = ckt_cell_build(ctx.ci, rows, &co, &pc, &err);
    if (rc == 0) {
      mc.n = nmc;
      mc.workers = (unsigned)workers;
      mc.a_vt_V_m = avt_mV_um * 1e-9;
      mc.n_mos = pc->n_mos;
      mc.w_m = malloc((pc->n_mos + 1) * sizeof *mc.w_m);
      mc.l_m = malloc((pc->n_mos + 1) * sizeof *mc.l_m);
      mc.res = calloc((size_t)nmc * nt, sizeof *mc.res);
      if (mc.w_m == NULL || mc.l_m == NULL || mc.res == NULL)
        rc = TK_FAIL(&err, TK_ENOMEM, "out of memory");
      for (size_t i = 0; rc == 0 && i < pc->n_mos; i++) {
        mc.w_m[i] = pc->mos[i].p.w_m;
        mc.l_m[i] = pc->mos[i].p.l_m;
      }
    }
    phys_cell_free(pc);
    if (rc != 0) {
      exit_rc = cmd_fail("calibrate", &err);
      goto done;
    }
    ctx.user = &mc;
    ctx.extra = calib__mc_extra;
  }
  ctx.track = &track;
  exit_rc = calib__sweep(out, &ctx, time_s, resume, force, workers, kv);
  if (exit_rc == CMD_EXIT_OK && nverify > 0) {
    rc = calib__verify_inverse(out, &ctx, nverify, isnan(vtime_s) ? time_s : vtime_s,
                        vctl[0], vctl[nv - 1], workers, inverse, kv, &err);
    if (rc != 0)
      exit_rc = cmd_fail("calibrate", &err);
  }
done:
  free(mc.w_m);
  free(mc.l_m);
  free(mc.res);
  free(rows);
  free(vctl);
  free(temps);
  return exit_rc;
}

int cmd_calibrate(int argc, char **argv)
{
  return cmd_print_kv(cmd_calibrate_kv, argc, argv);
}
