/* cmd_characterize.c -- `tsukit characterize`: a designer's own pbit, a
 * standard SPICE .subckt in a file, swept over temperature x control
 * voltage with tsukit's device noise added to every transistor, into the
 * same cell library as `tsukit calibrate`.
 *
 * Workload: nT x nV points, each one ngspice transient in a forked worker
 * (the checkpointed sweep of cli/calibrate_file.h, shared with
 * `calibrate`); the file is parsed once in the parent (circuits/
 * ckt_subckt.h) and the workers inherit it.
 *
 * Ports: --ctl (swept), --supply (at --vdd, its energy counted), --out
 * (free, digitised at 30 % / 70 % of --vdd), --ground PORT[,PORT] (node
 * 0), --bias PORT=V[,PORT=V] (fixed rails).  Every port of the subcircuit
 * must be named exactly once.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_sweep.h"
#include "circuits/ckt_subckt.h"
#include "circuits/ckt_sim.h"
#include "cli/calibrate_file.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"

#define MAX_PORTS 64

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit characterize FILE.cir --subckt NAME --ctl PORT --out PORT\n"
          "                           --supply PORT --vdd V --vctl A:B:N -o FILE.h5\n"
          "                           [--ground PORT,..] [--bias PORT=V,..]\n"
          "                           [--temp T1,T2,..] [--time S] [--tstep S]\n"
          "                           [--noise-slot S] [--name CELL] [--workers N]\n"
          "                           [--seed S] [--resume] [--force]\n"
          "                           " CALIB_TRACK_SYNOPSIS "\n"
          "\n"
          "Characterises a designer's own pbit: the .subckt NAME of FILE.cir (its\n"
          "models, .include and .lib as given; a test bench and analyses in the\n"
          "file are ignored).  tsukit adds the device noise of every transistor\n"
          "of the subcircuit and of the subcircuits it instantiates (shot noise\n"
          "2q(I_F + I_R) from each simulated device's own I_D and g_ds, as for\n"
          "the shipped cells): the netlist has no noise sources of its own.  The\n"
          "sweep, its checkpoints, --resume and the fits are those of `tsukit\n"
          "calibrate`; the result is the same cell library, group /cells/CELL.\n"
          "Prints points= fit_v0_V= fit_vs_V= tau_s= energy_J= (lowest\n"
          "temperature).  A subcircuit that never flips in the range: \"no\n"
          "transitions observed\", exit 1, nothing fitted.\n"
          "\n"
          "  --subckt NAME   the subcircuit (required)\n"
          "  --ctl PORT      control port, swept over --vctl (required)\n"
          "  --out PORT      output port, digitised at 30 %%/70 %% of --vdd (required)\n"
          "  --supply PORT   supply port at --vdd (required)\n"
          "  --vdd V         supply voltage, (0, 5] V (required)\n"
          "  --vctl A:B:N    N >= 2 control voltages from A to B > A (required)\n"
          "  --ground P,..   ports tied to ground (node 0)\n"
          "  --bias P=V,..   ports held at fixed voltages (bias rails)\n"
          "  --temp T,...    temperatures, K or Celsius with C suffix (default 27C)\n"
          "  --time S        simulated time per point, (0, 1e-2] s (default 20e-6)\n"
          "  --tstep S       output sample interval (default 2e-9, <= time/16)\n"
          "  --noise-slot S  noise white up to 1/(2 S) (default 0.5e-9, <= tstep)\n"
          "  --name CELL     cell name in the library (default: NAME)\n"
          "  --workers N     points simulated at once, 1..256 (default 1)\n"
          "  --seed S        noise seed (default 1)\n"
          "  --resume        continue the sweep in FILE.h5 (same options)\n"
          "  --force         overwrite FILE.h5 and start over\n"
          CALIB_TRACK_HELP
          CALIB_REPEATS_HELP
          "  -o FILE.h5      cell library (required)\n"
          "Every port of NAME must be named once (--ctl, --out, --supply,\n"
          "--ground, --bias).\n");
}

enum { O_SUBCKT = 1, O_CTL, O_OUT, O_SUPPLY, O_VDD, O_VCTL, O_GROUND, O_BIAS,
       O_TEMP, O_TIME, O_TSTEP, O_NSLOT, O_NAME, O_WORKERS, O_SEED,
       O_RESUME, O_FORCE, O_HELP, O_REPEATS, O_TRACK /* .. O_TRACK + 3: keep last */ };

/* What a worker needs besides the sweep grid. */
typedef struct dut {
  const ckt_subckt *sc;          /* the parsed file */
  ckt_port_bind bind[MAX_PORTS]; /* every port, the control at 0 */
  int ctl, out, supply;          /* port indices */
} dut;

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The subcircuit at control v_V with settings sp (temperature, seed,
 * noise on or off) into tr. */
static int run_dut(const sweep_ctx *c, double v_V, const ckt_sim_params *sp,
                   ckt_trace *tr, tk_err *err)
{
  const dut *u = c->user;
  size_t np = ckt_subckt_nports(u->sc), nm = ckt_subckt_nmos(u->sc);
  ckt_port_bind bind[MAX_PORTS];
  memcpy(bind, u->bind, np * sizeof *bind);
  bind[u->ctl].v_V = v_V;
  ckt_netlist nl;
  char **dev = NULL;
  double *psd0 = NULL;
  ckt_session *ses = NULL;
  TK_TRY(ckt_subckt_netlist(u->sc, bind, sp, &nl, &dev, err));
  char onode[CKT_SUBCKT_NAME_MAX + 8], vsup[CKT_SUBCKT_NAME_MAX + 8];
  ckt_subckt_net(u->sc, (size_t)u->out, bind, onode, sizeof onode);
  ckt_subckt_vsrc(u->sc, (size_t)u->supply, vsup, sizeof vsup);
  const char *nodes[1] = {onode}, *sup[1] = {vsup};
  double fixed[1] = {NAN}, supv[1] = {c->vdd_V};
  int rc = (psd0 = calloc(nm + 1, sizeof *psd0)) == NULL
               ? TK_FAIL(err, TK_ENOMEM, "out of memory")
               : TK_OK;
  /* psd0 = 0: the first noise slot is pinned to zero anyway (the DC
   * operating point is noiseless); every density follows its device from
   * the first accepted point on */
  ckt_run_spec rs = {&nl, (const char *const *)dev, psd0, 1, nodes, fixed,
                     1, sup, supv, sp->temp_K, NULL, NULL};
  if (rc == 0)
    rc = ckt_session_open(&ses, err);
  if (rc == 0)
    rc = ckt_sim_run_spec(ses, &rs, sp, tr, err);
  ckt_session_close(ses);
  ckt_netlist_clear(&nl);
  ckt_subckt_devs_free(dev, nm);
  free(psd0);
  return rc;
}

/* Worker: the subcircuit at one (temperature, control) point. */
static int point_run(const sweep_ctx *c, size_t idx, calib_point *pt,
                     tk_err *err)
{
  size_t t = idx / c->nv;
  ckt_sim_params sp = calib__point_sim(c, idx);
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  int rc = run_dut(c, *calib__ctl(c, t, idx % c->nv), &sp, &tr, err);
  cal_pbit_point pp;
  if (rc == 0)
    rc = cal_pbit_point_measure(tr.v_V, tr.n, tr.dt_s, c->vdd_V,
                                tr.e_supply_J, &pp, err);
  if (rc == 0)
    calib__point_from_pbit(&pp, pt);
  ckt_trace_clear(&tr);
  return rc;
}

/* --track: the output after a short noise-free run (the operating point). */
static int noiseless_high(const sweep_ctx *c, const ckt_sim_params *sp0,
                          double v_V, int *high, tk_err *err)
{
  ckt_sim_params sp = *sp0;
  sp.noise = 0;
  sp.tstop_s = 4 * sp.tstep_s;
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  int rc = run_dut(c, v_V, &sp, &tr, err);
  if (rc == 0)
    *high = tr.n > 0 && tr.v_V[tr.n - 1] > 0.5 * c->vdd_V;
  ckt_trace_clear(&tr);
  return rc;
}

/* Bind port `name` as `kind`; usage errors name the option. */
static int bind_port(dut *u, const char *opt, const char *name,
                     ckt_port_kind kind, double v_V, int *idx)
{
  int i = ckt_subckt_find_port(u->sc, name);
  if (i < 0) {
    char list[512] = "";
    size_t len = 0, np = ckt_subckt_nports(u->sc);
    for (size_t k = 0; k < np && len + 2 < sizeof list; k++)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                              k ? " " : "", ckt_subckt_port(u->sc, k));
    return cmd_usage_error("characterize", "%s: subcircuit %s has no port "
                           "'%s' (ports: %s)", opt, ckt_subckt_name(u->sc),
                           name, list);
  }
  if (u->bind[i].kind != CKT_PORT_UNBOUND)
    return cmd_usage_error("characterize", "%s: port %s is already "
                           "connected by another option", opt, name);
  u->bind[i].kind = kind;
  u->bind[i].v_V = v_V;
  if (idx != NULL)
    *idx = i;
  return 0;
}

/* "P1,P2" (ground) or "P1=V1,P2=V2" (bias). */
static int bind_list(dut *u, const char *opt, const char *list, int bias)
{
  char *copy = strdup(list), *save = NULL;
  if (copy == NULL)
    return cmd_usage_error("characterize", "out of memory");
  int rc = 0;
  for (char *t = strtok_r(copy, ",", &save); t != NULL && rc == 0;
       t = strtok_r(NULL, ",", &save)) {
    double v = 0;
    if (bias) {
      char *eq = strchr(t, '=');
      tk_err err = {0};
      if (eq == NULL) {
        rc = cmd_usage_error("characterize", "%s: '%s' must be PORT=VOLTS",
                             opt, t);
        break;
      }
      *eq = '\0';
      if (tk_parse_double_in(eq + 1, opt, -5.0, 5.0, &v, &err) != 0) {
        rc = cmd_usage_error("characterize", "%s", tk_err_text(&err));
        break;
      }
    }
    rc = bind_port(u, opt, t, bias ? CKT_PORT_FIXED : CKT_PORT_GROUND, v,
                   NULL);
  }
  free(copy);
  return rc;
}

static int cmd_characterize_kv(int argc, char **argv, cmd_kv *kv)
{
  static const struct option opts[] = {
    {"subckt", required_argument, NULL, O_SUBCKT},
    {"ctl", required_argument, NULL, O_CTL},
    {"out", required_argument, NULL, O_OUT},
    {"supply", required_argument, NULL, O_SUPPLY},
    {"vdd", required_argument, NULL, O_VDD},
    {"vctl", required_argument, NULL, O_VCTL},
    {"ground", required_argument, NULL, O_GROUND},
    {"bias", required_argument, NULL, O_BIAS},
    {"temp", required_argument, NULL, O_TEMP},
    {"time", required_argument, NULL, O_TIME},
    {"tstep", required_argument, NULL, O_TSTEP},
    {"noise-slot", required_argument, NULL, O_NSLOT},
    {"name", required_argument, NULL, O_NAME},
    {"workers", required_argument, NULL, O_WORKERS},
    {"seed", required_argument, NULL, O_SEED},
    {"resume", no_argument, NULL, O_RESUME},
    {"force", no_argument, NULL, O_FORCE},
    CALIB_TRACK_LONGOPTS(O_TRACK),
    {"repeats", required_argument, NULL, O_REPEATS},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
  };
  const char *file = NULL, *subckt = NULL, *ctl = NULL, *outp = NULL,
             *supply = NULL, *ground = NULL, *bias = NULL, *name = NULL,
             *out = NULL;
  double *vctl = NULL, *temps = NULL, time_s = 20e-6, vdd = NAN,
         tstep = 2e-9, nslot = 0.5e-9;
  size_t nv = 0, nt = 0;
  long workers = 1, repeats = 1;
  uint64_t seed = 1;
  int resume = 0, force = 0, c, rc = 0, exit_rc = CMD_EXIT_OK;
  calib_track_opts track = CALIB_TRACK_OPTS_INIT;
  tk_err err = {0};
  ckt_subckt *sc = NULL;
  dut *u = NULL;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    switch (c) {
    case O_SUBCKT: subckt = optarg; break;
    case O_CTL: ctl = optarg; break;
    case O_OUT: outp = optarg; break;
    case O_SUPPLY: supply = optarg; break;
    case O_GROUND: ground = optarg; break;
    case O_BIAS: bias = optarg; break;
    case O_NAME: name = optarg; break;
    case O_VDD:
      rc = tk_parse_double_in(optarg, "--vdd", 1e-3, 5.0, &vdd, &err);
      break;
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
    case O_TSTEP:
      rc = tk_parse_double_in(optarg, "--tstep", 1e-13, 1e-4, &tstep, &err);
      break;
    case O_NSLOT:
      rc = tk_parse_double_in(optarg, "--noise-slot", 1e-13, 1e-4, &nslot,
                              &err);
      break;
    case O_REPEATS:
      rc = tk_parse_long_in(optarg, "--repeats", 1, 1000, &repeats, &err);
      break;
    case O_WORKERS:
      rc = tk_parse_long_in(optarg, "--workers", 1, 256, &workers, &err);
      break;
    case O_SEED: rc = tk_parse_u64(optarg, "--seed", &seed, &err); break;
    case O_RESUME: resume = 1; break;
    case O_FORCE: force = 1; break;
    case O_TRACK:
    case O_TRACK + 1:
    case O_TRACK + 2:
    case O_TRACK + 3:
      rc = calib__track_option(c - O_TRACK, optarg, &track, &err);
      break;
    case 'o': out = optarg; break;
    case 'h':
    case O_HELP:
      usage(stdout);
      goto done;
    default:
      exit_rc = cmd_usage_error("characterize", "unknown or incomplete "
                                "option '%s'", argv[optind - 1]);
      goto done;
    }
    if (rc != 0) {
      err.status = TK_EINVAL;   /* every parse failure is a usage error */
      exit_rc = cmd_fail("characterize", &err);
      goto done;
    }
  }
  if (optind < argc)
    file = argv[optind++];
  if (optind < argc) {
    exit_rc = cmd_usage_error("characterize", "one netlist file only ('%s' "
                              "is extra)", argv[optind]);
    goto done;
  }
  if (file == NULL || subckt == NULL || ctl == NULL || outp == NULL ||
      supply == NULL || isnan(vdd) || vctl == NULL || out == NULL) {
    exit_rc = cmd_usage_error("characterize", "FILE, --subckt, --ctl, --out, "
                              "--supply, --vdd, --vctl and -o are required");
    goto done;
  }
  if (resume && force) {
    exit_rc = cmd_usage_error("characterize", "--resume and --force exclude "
                              "each other");
    goto done;
  }
  if (temps == NULL) {
    nt = 1;
    if ((temps = malloc(sizeof *temps)) == NULL) {
      exit_rc = cmd_usage_error("characterize", "out of memory");
      goto done;
    }
    temps[0] = 300.15;
  }
  qsort(temps, nt, sizeof *temps, cmp_double);
  for (size_t i = 0; i + 1 < nt; i++)
    if (temps[i + 1] == temps[i]) {
      exit_rc = cmd_usage_error("characterize", "--temp: %g K is given twice",
                                temps[i]);
      goto done;
    }
  if ((rc = ckt_subckt_load(file, subckt, &sc, &err)) != 0) {
    err.status = TK_EINVAL;   /* bad input file: a usage error */
    exit_rc = cmd_fail("characterize", &err);
    goto done;
  }
  if (ckt_subckt_nports(sc) > MAX_PORTS) {
    exit_rc = cmd_usage_error("characterize", "%s has %zu ports (at most %d)",
                              subckt, ckt_subckt_nports(sc), MAX_PORTS);
    goto done;
  }
  if ((u = calloc(1, sizeof *u)) == NULL) {
    exit_rc = cmd_usage_error("characterize", "out of memory");
    goto done;
  }
  u->sc = sc;
  if ((exit_rc = bind_port(u, "--ctl", ctl, CKT_PORT_FIXED, vctl[0],
                           &u->ctl)) != 0 ||
      (exit_rc = bind_port(u, "--out", outp, CKT_PORT_FREE, 0, &u->out)) != 0 ||
      (exit_rc = bind_port(u, "--supply", supply, CKT_PORT_FIXED, vdd,
                           &u->supply)) != 0 ||
      (ground && (exit_rc = bind_list(u, "--ground", ground, 0)) != 0) ||
      (bias && (exit_rc = bind_list(u, "--bias", bias, 1)) != 0))
    goto done;
  for (size_t i = 0; i < ckt_subckt_nports(sc); i++)
    if (u->bind[i].kind == CKT_PORT_UNBOUND) {
      exit_rc = cmd_usage_error("characterize", "port %s of %s is not "
                                "connected: name it with --ground or --bias",
                                ckt_subckt_port(sc, i), ckt_subckt_name(sc));
      goto done;
    }
  sweep_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.cmd = "characterize";
  ctx.cell = name ? name : ckt_subckt_name(sc);
  ctx.kind = "pbit";
  ctx.control_node = ckt_subckt_port(sc, (size_t)u->ctl);
  ctx.output_node = ckt_subckt_port(sc, (size_t)u->out);
  ctx.vdd_V = vdd;
  ctx.vbias_V = NAN;
  ctx.n_states = 2;
  ctx.n_ctl = 1;
  ctx.point = point_run;
  ctx.noiseless_high = noiseless_high;
  ctx.user = u;
  ctx.source_file = file;
  ctx.subckt = ckt_subckt_name(sc);
  ctx.temp_K = temps;
  ctx.vctl_V = vctl;
  ctx.nt = nt;
  ctx.nv = nv;
  ctx.seed = seed;
  ctx.repeats = (unsigned)repeats;
  ctx.sp = ckt_sim_default_params();
  ctx.sp.tstop_s = time_s;
  ctx.sp.tstep_s = fmin(tstep, time_s / 16);
  ctx.sp.nt_s = fmin(nslot, ctx.sp.tstep_s);
  if (strchr(ctx.cell, '/') != NULL) {
    exit_rc = cmd_usage_error("characterize", "--name: '%s' has a '/'",
                              ctx.cell);
    goto done;
  }
  snprintf(ctx.grp, sizeof ctx.grp, "/cells/%s", ctx.cell);
  ctx.track = &track;
  exit_rc = calib__sweep(out, &ctx, time_s, resume, force, workers, kv);
  if (exit_rc == CMD_EXIT_OK)
    cmd_kv_long(kv, "noisy_transistors", (long)ckt_subckt_nmos(sc));
done:
  free(u);
  ckt_subckt_free(sc);
  free(vctl);
  free(temps);
  return exit_rc;
}

int cmd_characterize(int argc, char **argv)
{
  return cmd_print_kv(cmd_characterize_kv, argc, argv);
}
