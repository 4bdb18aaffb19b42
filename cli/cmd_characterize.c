/* cmd_characterize.c -- `tsukit characterize`: a designer's own pbit, a
 * standard SPICE .subckt in a file, swept over temperature x control
 * voltage with the physical noise of every element added, into the
 * same cell library as `tsukit calibrate`: option parsing and one call of
 * cal_run (calibrate/cal_run.h; the subcircuit source is
 * calibrate/cal_subckt.c).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_run.h"
#include "cli/calibrate_opts.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit characterize FILE.cir --subckt NAME --ctl PORT --out PORT\n"
          "                           --supply PORT --vdd V --vctl A:B:N -o FILE.h5\n"
          "                           [--ground PORT,..] [--bias PORT=V,..]\n"
          "                           [--temp T1,T2,..] [--time S] [--tstep S]\n"
          "                           [--noise-slot S] [--name CELL] [--workers N]\n"
          "                           [--seed S] [--resume] [--force]\n"
          "                           [--dry-run] [--strict]\n"
          "                           [--mos-noise charge|twoflux]\n"
          "                           " CMD_SWEEP_TRACK_SYNOPSIS "\n"
          "\n"
          "Characterises a designer's own pbit: the .subckt NAME of FILE.cir (its\n"
          "models, nested definitions, parameters, .include and .lib FILE SECTION\n"
          "as given; a test bench and analyses in the file are ignored).  First a\n"
          "preflight loads it in ngspice, takes every device's name from ngspice,\n"
          "solves the DC operating point (first temperature and control) and\n"
          "tabulates each element's noise; anything wrong fails there, naming the\n"
          "element, before any transient and before FILE.h5 exists.  tsukit adds\n"
          "the physical noise of every element of the subcircuit and of those it\n"
          "instantiates, from each simulated device's own operating point:\n"
          "resistors 4kT/R (noisy=0 honoured), diodes and bipolar transistors shot\n"
          "noise, MOSFET channels charge-based thermal noise (any inversion) and\n"
          "gate tunnelling shot noise; C, L, V, I, B, E, F, G, H are noiseless.\n"
          "An element whose noise tsukit cannot model (or only in part) gets a\n"
          "warning naming it; --strict refuses it.  The netlist has no noise\n"
          "sources of its own.  The sweep, its checkpoints, --resume and the fits\n"
          "are those of `tsukit calibrate`; the result is the same cell library,\n"
          "group /cells/CELL, whose attributes noise_elements, noise_quiet and\n"
          "noise_mos_model record the preflight.  Prints points= fit_v0_V=\n"
          "fit_vs_V= tau_s= energy_J= (lowest temperature) noisy_elements=\n"
          "noiseless_elements= unmodelled_elements= (by kind, m:9,r:1).  A\n"
          "subcircuit that never flips in the range: \"no transitions\n"
          "observed\", exit 1, nothing fitted.\n"
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
          "  --dry-run       print the preflight's table (each element: kind,\n"
          "                  ngspice name, operating point, noise density) and\n"
          "                  stop: nothing simulated, no FILE.h5\n"
          "  --strict        refuse elements whose noise tsukit cannot model\n"
          "  --mos-noise M   MOSFET channel noise: charge (default: charge-based\n"
          "                  thermal noise, right in every inversion) or twoflux\n"
          "                  (2q(I_F + I_R): weak inversion only, tsukit <= 1)\n"
          CMD_SWEEP_TRACK_HELP
          CMD_SWEEP_REPEATS_HELP
          "  -o FILE.h5      cell library (required)\n"
          "Every port of NAME must be named once (--ctl, --out, --supply,\n"
          "--ground, --bias).\n");
}

enum { O_SUBCKT = 1, O_CTL, O_OUT, O_SUPPLY, O_VDD, O_GROUND, O_BIAS,
       O_TSTEP, O_NSLOT, O_NAME, O_DRY, O_STRICT, O_MOSNOISE, O_HELP };

static int cmd_characterize_kv(int argc, char **argv, cmd_kv *kv)
{
  static const struct option opts[] = {
    {"subckt", required_argument, NULL, O_SUBCKT},
    {"ctl", required_argument, NULL, O_CTL},
    {"out", required_argument, NULL, O_OUT},
    {"supply", required_argument, NULL, O_SUPPLY},
    {"vdd", required_argument, NULL, O_VDD},
    {"ground", required_argument, NULL, O_GROUND},
    {"bias", required_argument, NULL, O_BIAS},
    {"tstep", required_argument, NULL, O_TSTEP},
    {"noise-slot", required_argument, NULL, O_NSLOT},
    {"name", required_argument, NULL, O_NAME},
    {"dry-run", no_argument, NULL, O_DRY},
    {"strict", no_argument, NULL, O_STRICT},
    {"mos-noise", required_argument, NULL, O_MOSNOISE},
    CMD_SWEEP_LONGOPTS,
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
  };
  cal_run_params p = cal_run_default_params();
  cmd_sweep sw;
  cmd_sweep_init(&sw);
  int c, rc = 0, exit_rc = CMD_EXIT_OK;
  tk_err err = {0};
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    if (cmd_sweep_option(c, optarg, &sw, &rc, &err)) {
      /* shared with calibrate */
    } else {
      switch (c) {
      case O_SUBCKT: p.subckt = optarg; break;
      case O_CTL: p.ctl_port = optarg; break;
      case O_OUT: p.out_port = optarg; break;
      case O_SUPPLY: p.supply_port = optarg; break;
      case O_GROUND: p.ground = optarg; break;
      case O_BIAS: p.bias = optarg; break;
      case O_NAME: p.name = optarg; break;
      case O_DRY: p.dry_run = 1; break;
      case O_STRICT: p.strict = 1; break;
      case O_MOSNOISE:
        if (strcmp(optarg, "charge") == 0 || strcmp(optarg, "twoflux") == 0)
          p.mos_twoflux = strcmp(optarg, "twoflux") == 0;
        else
          rc = TK_FAIL(&err, TK_EINVAL, "--mos-noise: '%s' is not charge or "
                       "twoflux", optarg);
        break;
      case O_VDD:
        rc = tk_parse_double_in(optarg, "--vdd", 1e-3, 5.0, &p.vdd_V, &err);
        break;
      case O_TSTEP:
        rc = tk_parse_double_in(optarg, "--tstep", 1e-13, 1e-4, &p.tstep_s,
                                &err);
        break;
      case O_NSLOT:
        rc = tk_parse_double_in(optarg, "--noise-slot", 1e-13, 1e-4,
                                &p.noise_slot_s, &err);
        break;
      case 'h':
      case O_HELP:
        usage(stdout);
        goto done;
      default:
        exit_rc = cmd_usage_error("characterize", "unknown or incomplete "
                                  "option '%s'", argv[optind - 1]);
        goto done;
      }
    }
    if (rc != 0) {
      err.status = TK_EINVAL;   /* every parse failure is a usage error */
      exit_rc = cmd_fail("characterize", &err);
      goto done;
    }
  }
  if (optind < argc)
    p.netlist = argv[optind++];
  if (optind < argc) {
    exit_rc = cmd_usage_error("characterize", "one netlist file only ('%s' "
                              "is extra)", argv[optind]);
    goto done;
  }
  if (p.netlist == NULL || p.subckt == NULL || p.ctl_port == NULL ||
      p.out_port == NULL || p.supply_port == NULL || isnan(p.vdd_V) ||
      sw.vctl_V == NULL || sw.out == NULL) {
    exit_rc = cmd_usage_error("characterize", "FILE, --subckt, --ctl, --out, "
                              "--supply, --vdd, --vctl and -o are required");
    goto done;
  }
  if (sw.s.resume && sw.s.force) {
    exit_rc = cmd_usage_error("characterize", "--resume and --force exclude "
                              "each other");
    goto done;
  }
  cmd_sweep_apply(&sw, &p);
  p.label = "characterize";
  p.source = CAL_SOURCE_SUBCKT;
  exit_rc = cmd_sweep_run(&p, kv);
done:
  cmd_sweep_free(&sw);
  return exit_rc;
}

int cmd_characterize(int argc, char **argv)
{
  return cmd_print_kv(cmd_characterize_kv, argc, argv);
}
