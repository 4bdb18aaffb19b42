/* cmd_calibrate.c -- `tsukit calibrate`: sweep a shipped pbit cell over
 * temperature x control voltage in parallel worker processes, checkpoint
 * every finished point, then fit and write the cell library.
 *
 * Workload: nT x nV points (tens to hundreds), each one ngspice transient
 * in a fork()ed worker (calibrate/cal_sweep.h); the parent only stores
 * results, a few hundred bytes per point.
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

#include "calibrate/cal_sweep.h"
#include "calibrate/cal_temp.h"
#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "cli/calibrate_file.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "io/io_h5.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit calibrate --cell NAME --vctl A:B:N --temp T1,T2,... -o FILE.h5\n"
          "                        [--time S] [--workers N] [--seed S]\n"
          "                        [--resume] [--force]\n"
          "\n"
          "Simulates the cell at every (temperature, control) point, each in its\n"
          "own worker process, stores each point in FILE as soon as it is done,\n"
          "then fits P(1) = sigmoid((V - v0)/vs) per temperature and the\n"
          "temperature model (vs ~ T, v0 linear in T, Arrhenius tau; needs >= 3\n"
          "temperatures) and writes the cell library /cells/NAME/.\n"
          "Prints points= fit_v0_V= fit_vs_V= tau_s= energy_J= (at the lowest\n"
          "temperature).  Interrupted (Ctrl-C, SIGTERM, a crash)?  Run the same\n"
          "command with --resume: finished points are kept, not recomputed.\n"
          "\n"
          "  --cell NAME     pbit cell name (`tsukit cells`; required)\n"
          "  --vctl A:B:N    N >= 2 control voltages from A to B > A (required)\n"
          "  --temp T,...    temperatures, K or Celsius with C suffix (required)\n"
          "  --time S        simulated time per point, (0, 1e-2] s (default 20e-6)\n"
          "  --workers N     points simulated at once, 1..256 (default 1)\n"
          "  --seed S        noise seed (default 1); point i uses a seed mixed\n"
          "                  from S and i, whatever the worker count\n"
          "  --resume        continue the sweep in FILE (same options)\n"
          "  --force         overwrite FILE and start over\n"
          "  -o FILE         cell library (required)\n");
}

enum { O_CELL = 1, O_VCTL, O_TEMP, O_TIME, O_WORKERS, O_SEED, O_RESUME,
       O_FORCE, O_HELP };


static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
  (void)sig;
  if (stop_flag < 2)
    stop_flag++;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Worker: one ngspice run and its reduction. */
static int point_run(void *ud, size_t idx, void *result, tk_err *err)
{
  const sweep_ctx *c = ud;
  cal_pbit_point *pt = result;
  ckt_sim_params sp = c->sp;
  sp.temp_K = c->temp_K[idx / c->nv];
  sp.seed = cal_sweep_point_seed(c->seed, idx);
  double v = c->vctl_V[idx % c->nv];
  ckt_cell_opts co = {0, 0, 0};
  phys_cell *pc = NULL;
  ckt_session *ses = NULL;
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  int rc = ckt_cell_build(c->ci, &v, &co, &pc, err);
  if (rc == 0)
    rc = ckt_session_open(&ses, err);
  if (rc == 0)
    rc = ckt_sim_run(ses, pc, c->ci->name, &sp, &tr, err);
  if (rc == 0) {
    const double *o = ckt_trace_node(&tr, c->ci->outputs);
    rc = o == NULL ? TK_FAIL(err, TK_EINTERNAL, "no node %s in the trace",
                             c->ci->outputs)
                   : cal_pbit_point_measure(o, tr.n, tr.dt_s, c->ci->vdd_V,
                                            tr.e_supply_J, pt, err);
  }
  ckt_trace_clear(&tr);
  ckt_session_close(ses);
  phys_cell_free(pc);
  return rc;
}

static int upd(sweep_ctx *c, const char *rel, size_t first, size_t n,
               const double *x, tk_err *err)
{
  char p[512];
  snprintf(p, sizeof p, "%s/%s", c->grp, rel);
  return io_update_f64(c->f, p, first, n, x, err);
}

/* Parent: store one finished point (data, flush, then its done flag). */
static int point_done(void *ud, size_t idx, const void *result, tk_err *err)
{
  sweep_ctx *c = ud;
  const cal_pbit_point *pt = result;
  char p[512];
  uint8_t nt = (uint8_t)pt->no_transitions, one = 1;
  TK_TRY(upd(c, "p_state", 2 * idx, 2, pt->p, err));
  TK_TRY(upd(c, "p_state_stderr", 2 * idx, 2, pt->p_err, err));
  TK_TRY(upd(c, "tau_s", idx, 1, &pt->tau_s, err));
  TK_TRY(upd(c, "tau_err_s", idx, 1, &pt->tau_err_s, err));
  TK_TRY(upd(c, "energy_J", idx, 1, &pt->energy_J, err));
  TK_TRY(upd(c, "power_W", idx, 1, &pt->power_W, err));
  TK_TRY(upd(c, "flips", idx, 1, &pt->flips, err));
  snprintf(p, sizeof p, "%s/no_transitions", c->grp);
  TK_TRY(io_update_u8(c->f, p, idx, 1, &nt, err));
  TK_TRY(io_file_flush(c->f, err));
  snprintf(p, sizeof p, "%s/point_done", c->grp);
  TK_TRY(io_update_u8(c->f, p, idx, 1, &one, err));
  return io_file_flush(c->f, err);
}

/* Fit every temperature and the temperature model; write the library. */
static int finish(const char *out, sweep_ctx *c, double time_s, sweep_data *d,
                  cmd_kv *kv, tk_err *err)
{
  size_t nt = c->nt, nv = c->nv;
  double *fv = malloc(7 * nt * sizeof *fv);   /* v0 v0e vs vse chi2 tau tauE */
  double *p1 = malloc(2 * nv * sizeof *p1);
  cal_temp_point *tp = malloc(nt * sizeof *tp);
  if (fv == NULL || p1 == NULL || tp == NULL) {
    free(fv);
    free(p1);
    free(tp);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  int rc = TK_OK;
  for (size_t t = 0; t < nt && rc == 0; t++) {
    size_t o = t * nv;
    for (size_t v = 0; v < nv; v++) {
      p1[v] = d->p[2 * (o + v) + 1];
      p1[nv + v] = d->pse[2 * (o + v) + 1];
    }
    cal_pbit_fit pf;
    rc = cal_pbit_fit_temperature(c->vctl_V, p1, p1 + nv, d->notr + o,
                                  d->tau + o, d->tau_err + o, nv,
                                  c->temp_K[t], &pf, err);
    if (rc != 0)
      break;
    fv[t] = pf.fit.v0_V;
    fv[nt + t] = pf.fit.v0_err_V;
    fv[2 * nt + t] = pf.fit.vs_V;
    fv[3 * nt + t] = pf.fit.vs_err_V;
    fv[4 * nt + t] = pf.fit.chi2_red;
    fv[5 * nt + t] = pf.tau_op_s;
    fv[6 * nt + t] = pf.tau_op_err_s;
    tp[t].temp_K = c->temp_K[t];
    tp[t].v0_V = pf.fit.v0_V;
    tp[t].v0_err_V = pf.fit.v0_err_V;
    tp[t].vs_V = pf.fit.vs_V;
    tp[t].vs_err_V = pf.fit.vs_err_V;
    tp[t].tau_s = pf.tau_op_s;
    tp[t].tau_err_s = pf.tau_op_err_s;
    fprintf(stderr, "tsukit calibrate: %g K: v0 %.6g +- %.2g V, vs %.4g +- "
            "%.2g V, chi2_red %.3g, tau %.3g s (%zu/%zu points flipped)\n",
            c->temp_K[t], pf.fit.v0_V, pf.fit.v0_err_V, pf.fit.vs_V,
            pf.fit.vs_err_V, pf.fit.chi2_red, pf.tau_op_s, pf.n_transitions,
            nv);
  }
  cal_temp_model tm;
  int have_tm = 0;
  if (rc == 0 && nt >= 3) {
    cal_temp_params tpp = cal_temp_default_params();
    tk_err e2 = {0};
    int tr = 0;
    for (size_t t = 0; t < nt; t++)
      if (!isfinite(tp[t].tau_s) || !(tp[t].tau_err_s > 0) ||
          !(tp[t].v0_err_V > 0) || !(tp[t].vs_err_V > 0) || !(tp[t].vs_V > 0))
        tr = 1;
    if (!tr && (tr = cal_temp_fit(tp, nt, &tpp, &tm, &e2)) == 0)
      have_tm = 1;
    else
      fprintf(stderr, "tsukit calibrate: warning: no temperature model "
              "(%s); `tsukit predict` will refuse this cell\n",
              tr && e2.status ? tk_err_text(&e2)
                              : "a temperature lacks tau or a positive vs");
  } else if (rc == 0) {
    fprintf(stderr, "tsukit calibrate: note: %zu temperature(s): the "
            "temperature model needs >= 3 (`tsukit predict` will refuse)\n",
            nt);
  }
  io_file *f = NULL;
  if (rc == 0) {
    io_prov prov = {cmd_command_line(), c->seed};
    rc = io_file_create(out, &prov, IO_CREATE_OVERWRITE, &f, err);
  }
  if (rc == 0)
    rc = calib__write_data(f, c, d, time_s, err);
  if (rc == 0) {
    static const char *const nm[7] = {"v0_V", "v0_err_V", "vs_V", "vs_err_V",
                                      "chi2_red", "tau_op_s", "tau_op_err_s"};
    static const char *const un[7] = {"V", "V", "V", "V", "1", "s", "s"};
    size_t d1[1] = {nt};
    char p[512];
    for (int k = 0; k < 7 && rc == 0; k++) {
      snprintf(p, sizeof p, "%s/fit/%s", c->grp, nm[k]);
      rc = io_write_f64(f, p, 1, d1, fv + (size_t)k * nt, un[k], err);
    }
    snprintf(p, sizeof p, "%s/fit", c->grp);
    if (rc == 0)
      rc = io_attr_str(f, p, "model", "P(1) = 1 / (1 + exp(-(V - v0_V) / vs_V))",
                       err);
    if (rc == 0 && have_tm) {
      snprintf(p, sizeof p, "%s/fit/temperature_model", c->grp);
      const struct { const char *n; double v; } a[] = {
        {"t_ref_K", tm.t_ref_K}, {"vs_ref_V", tm.vs_ref_V},
        {"vs_ref_err_V", tm.vs_ref_err_V}, {"vs_exp", tm.vs_exp},
        {"vs_exp_err", tm.vs_exp_err}, {"cov_vs_ref_exp", tm.cov_vs_ref_exp},
        {"v0_ref_V", tm.v0_ref_V}, {"v0_ref_err_V", tm.v0_ref_err_V},
        {"dv0_dT_V_per_K", tm.dv0_dT_V_per_K},
        {"dv0_dT_err_V_per_K", tm.dv0_dT_err_V_per_K},
        {"cov_v0_V2_per_K", tm.cov_v0_V2_per_K}, {"tau_ref_s", tm.tau_ref_s},
        {"tau_ref_err_s", tm.tau_ref_err_s}, {"ea_J", tm.ea_J},
        {"ea_err_J", tm.ea_err_J}, {"tau_inf_s", tm.tau_inf_s},
        {"chi2_red_vs", tm.chi2_red_vs}, {"chi2_red_v0", tm.chi2_red_v0},
        {"chi2_red_tau", tm.chi2_red_tau},
        {"t_min_K", c->temp_K[0]}, {"t_max_K", c->temp_K[nt - 1]},
      };
      rc = io_group(f, p, err);
      for (size_t k = 0; rc == 0 && k < sizeof a / sizeof a[0]; k++)
        rc = io_attr_f64(f, p, a[k].n, a[k].v, err);
    }
  }
  if (rc == 0) {
    rc = io_file_commit(f, err);
    f = NULL;
  }
  io_file_abort(f);
  if (rc == 0) {
    double esum = 0;
    size_t ne = 0;
    for (size_t v = 0; v < nv; v++)
      if (isfinite(d->e[v])) {
        esum += d->e[v];
        ne++;
      }
    cmd_kv_str(kv, "cell", c->ci->name);
    cmd_kv_long(kv, "points", (long)(nt * nv));
    cmd_kv_double(kv, "temp_K", c->temp_K[0]);
    cmd_kv_double(kv, "fit_v0_V", fv[0]);
    cmd_kv_double(kv, "fit_v0_err_V", fv[nt]);
    cmd_kv_double(kv, "fit_vs_V", fv[2 * nt]);
    cmd_kv_double(kv, "fit_vs_err_V", fv[3 * nt]);
    cmd_kv_double(kv, "chi2_red", fv[4 * nt]);
    cmd_kv_double(kv, "tau_s", fv[5 * nt]);
    cmd_kv_double(kv, "energy_J", ne ? esum / (double)ne : NAN);
    cmd_kv_long(kv, "temp_model", have_tm);
    cmd_kv_str(kv, "file", out);
  }
  free(fv);
  free(p1);
  free(tp);
  return rc;
}

/* The command line again, with --resume instead of --force. */
static void print_resume_hint(const char *msg)
{
  const char *cl = cmd_command_line();
  char buf[4200];
  size_t len = 0;
  buf[0] = '\0';
  const char *s = cl;
  while (*s) {
    const char *e = strchr(s, ' ');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (!((n == 7 && strncmp(s, "--force", 7) == 0) ||
          (n == 8 && strncmp(s, "--resume", 8) == 0)))
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.*s",
                              len ? " " : "", (int)n, s);
    if (len >= sizeof buf)
      break;
    s += n;
    while (*s == ' ')
      s++;
  }
  fprintf(stderr, "tsukit calibrate: %s; resume with:\n  %s --resume\n", msg,
          buf);
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
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
  };
  const char *cell = NULL, *out = NULL;
  double *vctl = NULL, *temps = NULL, time_s = 20e-6;
  size_t nv = 0, nt = 0;
  long workers = 1;
  uint64_t seed = 1;
  int resume = 0, force = 0, c, rc = 0;
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
    case O_WORKERS:
      rc = tk_parse_long_in(optarg, "--workers", 1, 256, &workers, &err);
      break;
    case O_SEED: rc = tk_parse_u64(optarg, "--seed", &seed, &err); break;
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
  sweep_data d;
  memset(&d, 0, sizeof d);
  io_file *f = NULL;
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
  if (strcmp(ctx.ci->kind, "pbit") != 0 || ctx.ci->n_ctl != 1) {
    exit_rc = cmd_usage_error("calibrate", "--cell: %s is a %s cell; "
                              "calibrate handles pbit cells so far",
                              cell, ctx.ci->kind);
    goto done;
  }
  qsort(temps, nt, sizeof *temps, cmp_double);
  for (size_t i = 0; i + 1 < nt; i++)
    if (temps[i + 1] == temps[i]) {
      exit_rc = cmd_usage_error("calibrate", "--temp: %g K is given twice",
                                temps[i]);
      goto done;
    }
  for (size_t i = 0; i < nv; i++) {
    phys_cell *pc = NULL;
    ckt_cell_opts co = {0, 0, 0};
    rc = ckt_cell_build(ctx.ci, &vctl[i], &co, &pc, &err);
    phys_cell_free(pc);
    if (rc != 0) {
      tk_err_wrap(&err, TK_EINVAL, "--vctl");
      err.status = TK_EINVAL;
      exit_rc = cmd_fail("calibrate", &err);
      goto done;
    }
  }
  ctx.temp_K = temps;
  ctx.vctl_V = vctl;
  ctx.nt = nt;
  ctx.nv = nv;
  ctx.seed = seed;
  ctx.sp = ckt_sim_default_params();
  ctx.sp.tstop_s = time_s;
  ctx.sp.tstep_s = fmin(ctx.ci->tstep_s, time_s / 16);
  ctx.sp.nt_s = fmin(ctx.ci->nt_s, ctx.sp.tstep_s);
  snprintf(ctx.grp, sizeof ctx.grp, "/cells/%s", ctx.ci->name);
  size_t npt = nt * nv;
  if (calib__data_alloc(&d, npt) != 0) {
    rc = TK_FAIL(&err, TK_ENOMEM, "out of memory");
    goto fail;
  }
  struct stat stt;
  int exists = stat(out, &stt) == 0;
  if (exists && !resume && !force) {
    fprintf(stderr, "tsukit calibrate: error: %s already exists: add --resume "
            "to continue its sweep or --force to start over\n", out);
    exit_rc = CMD_EXIT_FAIL;
    goto done;
  }
  if (resume && exists) {
    rc = io_file_open_read(out, &f, &err);
    if (rc == 0)
      rc = calib__read_data(f, &ctx, time_s, &d, &err);
    io_file_close(f);
    f = NULL;
    if (rc != 0)
      goto fail;
  } else {
    /* the skeleton: complete and valid before any point runs */
    io_prov prov = {cmd_command_line(), seed};
    rc = io_file_create(out, &prov, IO_CREATE_OVERWRITE, &f, &err);
    if (rc == 0)
      rc = calib__write_data(f, &ctx, &d, time_s, &err);
    if (rc == 0)
      rc = io_file_commit(f, &err);
    else
      io_file_abort(f);
    f = NULL;
    if (rc != 0)
      goto fail;
  }
  size_t ndone = 0;
  for (size_t i = 0; i < npt; i++)
    ndone += d.done[i];
  if (ndone < npt) {
    if (ndone > 0)
      fprintf(stderr, "tsukit calibrate: resuming: %zu of %zu points already "
              "done\n", ndone, npt);
    if ((rc = io_file_open_rw(out, &f, &err)) != 0)
      goto fail;
    ctx.f = f;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    stop_flag = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    cal_sweep_params swp = cal_sweep_default_params();
    swp.n_points = npt;
    swp.result_size = sizeof(cal_pbit_point);
    swp.workers = (unsigned)workers;
    swp.skip = d.done;
    swp.stop = &stop_flag;
    swp.progress_label = "calibrate points";
    swp.quiet = 0;
    cal_sweep_stats ss;
    rc = cal_sweep_run(&swp, point_run, point_done, &ctx, &ss, &err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    io_file_close(f);
    f = NULL;
    fprintf(stderr, "tsukit calibrate: %zu point(s) simulated in %.3g s with "
            "%ld worker(s)\n", ss.done, ss.wall_s, workers);
    if (rc != 0) {
      char msg[1024];
      if (ss.interrupted)
        snprintf(msg, sizeof msg, "interrupted: %zu of %zu points are kept in "
                 "%s", ndone + ss.done, npt, out);
      else
        snprintf(msg, sizeof msg, "error: %s (%zu of %zu points are kept in "
                 "%s)", tk_err_text(&err), ndone + ss.done, npt, out);
      print_resume_hint(msg);
      exit_rc = CMD_EXIT_FAIL;
      goto done;
    }
    /* the fit reads the file back, whatever was computed in this run */
    if ((rc = io_file_open_read(out, &f, &err)) == 0)
      rc = calib__read_data(f, &ctx, time_s, &d, &err);
    io_file_close(f);
    f = NULL;
    if (rc != 0)
      goto fail;
  }
  rc = finish(out, &ctx, time_s, &d, kv, &err);
  if (rc != 0) {
    fprintf(stderr, "tsukit calibrate: error: %s\n", tk_err_text(&err));
    fprintf(stderr, "tsukit calibrate: the %zu measured points are kept in "
            "%s\n", npt, out);
    exit_rc = CMD_EXIT_FAIL;
  }
  goto done;
fail:
  exit_rc = cmd_fail("calibrate", &err);
done:
  io_file_close(f);
  calib__data_free(&d);
  free(vctl);
  free(temps);
  return exit_rc;
}

int cmd_calibrate(int argc, char **argv)
{
  return cmd_print_kv(cmd_calibrate_kv, argc, argv);
}
