/* cmd_characterize.c -- `tsukit characterize`: a designer's own pbit, a
 * standard SPICE .subckt in a file, swept over temperature x control
 * voltage with tsukit's device noise added to every transistor, into the
 * same cell library as `tsukit calibrate`: option parsing and one call of
 * cal_run (calibrate/cal_run.h; the subcircuit source is
 * calibrate/cal_subckt.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "calibrate/cal_run.h"
#include "cli/calibrate_opts.h"
#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "common/tk_parse.h"

static const char chr_synopsis[] =
  "tsukit characterize FILE.cir --subckt NAME --ctl PORT --out PORT\n"
  "                           --supply PORT --vdd V --vctl A:B:N -o FILE.h5\n"
  "                           [--ground PORT,..] [--bias PORT=V,..]\n"
  "                           [--temp T1,T2,..] [--time S] [--tstep S]\n"
  "                           [--noise-slot S] [--name CELL] [--workers N]\n"
  "                           [--seed S] [--resume] [--force]\n"
  "                           " CMD_SWEEP_TRACK_SYNOPSIS;
static const char chr_about[] =
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
  "Every port of NAME must be named once (--ctl, --out, --supply,\n"
  "--ground, --bias).\n";

enum { N_OWN = 10 }; /* rows of characterize's own options */

static int cmd_characterize_kv(int argc, char **argv, cmd_kv *kv)
{
  cal_run_params p = cal_run_default_params();
  cmd_sweep sw;
  cmd_sweep_init(&sw);
  int exit_rc = CMD_EXIT_OK;
  const cmd_opt own[N_OWN] = {
    {"subckt", 0, CMD_OPT_STR, &p.subckt, 0, 0, NULL, "NAME",
     "the subcircuit (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"ctl", 0, CMD_OPT_STR, &p.ctl_port, 0, 0, NULL, "PORT",
     "control port, swept over --vctl (required)", CMD_OPT_REQUIRED, NULL,
     NULL, NULL},
    {"out", 0, CMD_OPT_STR, &p.out_port, 0, 0, NULL, "PORT",
     "output port, digitised at 30 %/70 % of --vdd (required)",
     CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"supply", 0, CMD_OPT_STR, &p.supply_port, 0, 0, NULL, "PORT",
     "supply port at --vdd (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"vdd", 0, CMD_OPT_DOUBLE, &p.vdd_V, 1e-3, 5.0, "V", "V",
     "supply voltage, [1e-3, 5] V (required)", CMD_OPT_REQUIRED, NULL, NULL,
     NULL},
    {"ground", 0, CMD_OPT_STR, &p.ground, 0, 0, NULL, "P,..",
     "ports tied to ground (node 0)", 0, NULL, NULL, NULL},
    {"bias", 0, CMD_OPT_STR, &p.bias, 0, 0, NULL, "P=V,..",
     "ports held at fixed voltages (bias rails)", 0, NULL, NULL, NULL},
    {"tstep", 0, CMD_OPT_DOUBLE, &p.tstep_s, 1e-13, 1e-4, "s", "S",
     "output sample interval, [1e-13, 1e-4] s (default 2e-9, <= time/16)", 0,
     NULL, NULL, NULL},
    {"noise-slot", 0, CMD_OPT_DOUBLE, &p.noise_slot_s, 1e-13, 1e-4, "s", "S",
     "noise white up to 1/(2 S), [1e-13, 1e-4] s (default 0.5e-9, <= tstep)",
     0, NULL, NULL, NULL},
    {"name", 0, CMD_OPT_STR, &p.name, 0, 0, NULL, "CELL",
     "cell name in the library (default: NAME)", 0, NULL, NULL, NULL},
  };
  cmd_opt opts[N_OWN + CMD_SWEEP_N_OPTS + 1];
  for (size_t i = 0; i < N_OWN; i++)
    opts[i] = own[i];
  cmd_sweep_opts(&sw, 0, opts + N_OWN);
  const cmd_spec spec = {"characterize", chr_synopsis, chr_about, opts, 1,
                         "FILE.cir"};
  char *args[1];
  int n_args = 0;
  int rc = cmd_opt_parse(&spec, argc, argv, args, &n_args);
  if (rc != CMD_OPT_OK) {
    exit_rc = rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
    goto done;
  }
  if (n_args == 0) {
    exit_rc = cmd_usage_error("characterize", "the netlist FILE.cir is "
                              "required");
    goto done;
  }
  p.netlist = args[0];
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
