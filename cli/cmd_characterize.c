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
  "                           [--dry-run] [--strict]\n"
  "                           [--mos-noise charge|twoflux] [--flicker]\n"
  "                           [--engine ngspice|native]\n"
  "                           " CMD_SWEEP_TRACK_SYNOPSIS;
static const char chr_about[] =
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
  "noise (a diode's rs its thermal noise too), MOSFET channels charge-based\n"
  "thermal noise (any inversion) and gate tunnelling shot noise; with\n"
  "--flicker the cards' 1/f noise (BSIM4 fnoimod=0, diodes); C, L, V, I,\n"
  "B, E, F, G, H are noiseless.\n"
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
  "Every port of NAME must be named once (--ctl, --out, --supply,\n"
  "--ground, --bias).\n"
  "--engine native: every point through the native engine instead of\n"
  "ngspice (circuits/ckt_subckt_native.h): MOSFETs with top-level BSIM4\n"
  "cards (EKV fitted to the card at each temperature, charges from it),\n"
  "resistors, capacitors to a fixed net, DC sources; any other element, a\n"
  "local or binned model, instance parameters beyond W and L, a body bias,\n"
  "a floating capacitor is refused, naming it (exit 2).  The library\n"
  "records sweep_engine=native and noise_mos_model=native; no --flicker,\n"
  "no --mos-noise twoflux.\n";

static const char *const mos_models[] = {"charge", "twoflux", NULL};
static const char *const engine_words[] = {"ngspice", "native", NULL};

enum { N_OWN = 15 }; /* rows of characterize's own options */

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
    {"dry-run", 0, CMD_OPT_FLAG, &p.dry_run, 0, 0, NULL, NULL,
     "print the preflight's table (each element: kind, ngspice name, "
     "operating point, noise density) and stop: nothing simulated, no "
     "FILE.h5", 0, NULL, NULL, NULL},
    {"strict", 0, CMD_OPT_FLAG, &p.strict, 0, 0, NULL, NULL,
     "refuse elements whose noise tsukit cannot model", 0, NULL, NULL, NULL},
    {"mos-noise", 0, CMD_OPT_CHOICE, &p.mos_twoflux, 0, 0, NULL, "M",
     "MOSFET channel noise: charge (default: charge-based thermal noise, "
     "right in every inversion) or twoflux (2q(I_F + I_R): weak inversion "
     "only, tsukit <= 1)", 0, NULL, mos_models, NULL},
    {"flicker", 0, CMD_OPT_FLAG, &p.flicker, 0, 0, NULL, NULL,
     "add flicker (1/f) noise from the cards: BSIM4 fnoimod=0 kf/af/ef "
     "MOSFETs and diodes with kf, as a sum of OU processes good from "
     "1/time to 1/(50 noise-slot) (circuits/ckt_flicker.h); other 1/f noise "
     "is named (mos_noise=charge+flicker)", 0, NULL, NULL, NULL},
    {"engine", 0, CMD_OPT_CHOICE, &p.native, 0, 0, NULL, "E",
     "ngspice (default) or native: the subcircuit translated for the native "
     "solver (circuits/ckt_subckt_native.h: BSIM4 MOSFETs, R, C, DC "
     "sources; anything else refused, named); recorded as sweep_engine",
     0, NULL, engine_words, NULL},
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
  if (cmd_check_time_points("characterize", sw.s.time_s,
                            fmin(p.tstep_s, p.noise_slot_s),
                            p.noise_slot_s < p.tstep_s ? "--noise-slot"
                                                       : "--tstep") != 0) {
    exit_rc = CMD_EXIT_USAGE;
    goto done;
  }
  if (p.native && (p.flicker || p.mos_twoflux)) {
    exit_rc = cmd_usage_error("characterize", p.flicker
                              ? "--flicker: the native engine has no flicker "
                                "noise (use --engine ngspice)"
                              : "--mos-noise twoflux: the native engine has "
                                "its own channel noise (use --engine "
                                "ngspice)");
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
