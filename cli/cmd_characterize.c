/* cmd_characterize.c -- `tsukit characterize`: a designer's own pbit, a
 * standard SPICE .subckt in a file, swept over temperature x control
 * voltage with tsukit's device noise added to every transistor, into the
 * same cell library as `tsukit calibrate`: option parsing and one call of
 * cal_run (calibrate/cal_run.h; the subcircuit source is
 * calibrate/cal_subckt.c).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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
          "                           " CMD_SWEEP_TRACK_SYNOPSIS "\n"
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
          CMD_SWEEP_TRACK_HELP
          CMD_SWEEP_REPEATS_HELP
          "  -o FILE.h5      cell library (required)\n"
          "Every port of NAME must be named once (--ctl, --out, --supply,\n"
          "--ground, --bias).\n");
}

enum { O_SUBCKT = 1, O_CTL, O_OUT, O_SUPPLY, O_VDD, O_GROUND, O_BIAS,
       O_TSTEP, O_NSLOT, O_NAME, O_HELP };

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
