/* cmd_dtm_sample.c -- `tsukit dtm sample`: option parsing for
 * run_dtm_sample (run/run_dtm.h): generation from noise on ideal or
 * calibrated cells, with the energy per sample beside the paper's
 * formula T K L^2 E_cell. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/dtm_cli.h"
#include "common/tk_parse.h"
#include "run/run_dtm.h"

static void usage_sample(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm sample --model MODEL.h5 --n N -o SAMPLES.h5\n"
    "         [--label C|all] [--sweeps K] [--steps T] [--seed S]\n"
    "         [--cells LIB.h5 --cell NAME --temp K [--design-temp K]\n"
    "          [--clock-hz F]] [--threads N] [--force]\n"
    "\n"
    "  --n N           samples, 1..1000000\n"
    "  --label C|all   clamp the label spins to class C (0..9), or 'all' for\n"
    "                  n/10 per class; default free labels\n"
    "  --sweeps K      sweeps per step (default: the model's)\n"
    "  --steps T       check that the model has T steps\n"
    "  --cells ...     run on calibrated cells from a cell library at chip\n"
    "                  temperature --temp (design temperature default 300 K,\n"
    "                  clock default 1e7 Hz): mismatch and finite tau\n"
    "\n"
    "Writes images [n,28,28], labels, the denoising chain of the first 16\n"
    "samples and the energy report.  Summary: samples steps sweeps wall_s\n"
    "flips_per_ns activity energy_per_sample_J paper_energy_per_sample_J\n"
    "energy_ratio.\n");
}

/* Options into o; 0 to run, -1 after --help, else the exit status. */
static int sample_parse(int argc, char **argv, run_dtm_sample_params *o)
{
  static const struct option lo[] = {
    {"model", 1, 0, O_MODEL}, {"n", 1, 0, O_N}, {"label", 1, 0, O_LABEL},
    {"sweeps", 1, 0, O_SWEEPS}, {"steps", 1, 0, O_STEPS},
    {"cells", 1, 0, O_CELLS}, {"cell", 1, 0, O_CELL}, {"temp", 1, 0, O_TEMP},
    {"design-temp", 1, 0, O_DTEMP}, {"clock-hz", 1, 0, O_CLOCK},
    {"seed", 1, 0, O_SEED}, {"threads", 1, 0, O_THREADS},
    {"force", 0, 0, O_FORCE}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
  int c, rc = TK_OK, have_temp = 0;
  uint32_t u;
  tk_err err = {0};
  optind = 1;
  opterr = 0;
  while (rc == TK_OK && (c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
    switch (c) {
    case 'h': usage_sample(stdout); return -1;
    case 'o': o->out = optarg; break;
    case O_MODEL: o->model = optarg; break;
    case O_N: rc = cmd_dtm__u32(optarg, "--n", 1, 1000000, &o->n, &err); break;
    case O_LABEL:
      if (strcmp(optarg, "all") == 0)
        o->label = RUN_DTM_LABEL_ALL;
      else {
        rc = cmd_dtm__u32(optarg, "--label", 0, 9, &u, &err);
        o->label = (int)u;
      }
      break;
    case O_SWEEPS: rc = cmd_dtm__u32(optarg, "--sweeps", 1, 1000000, &o->sweeps, &err); break;
    case O_STEPS: rc = cmd_dtm__u32(optarg, "--steps", 1, 64, &o->steps, &err); break;
    case O_CELLS: o->cells = optarg; break;
    case O_CELL: o->cell = optarg; break;
    case O_TEMP:
      rc = tk_parse_temp_K(optarg, "--temp", &o->temp_K, &err);
      have_temp = 1;
      break;
    case O_DTEMP: rc = tk_parse_temp_K(optarg, "--design-temp", &o->design_K, &err); break;
    case O_CLOCK: rc = cmd_dtm__pos(optarg, "--clock-hz", &o->clock_Hz, &err); break;
    case O_SEED: rc = tk_parse_u64(optarg, "--seed", &o->seed, &err); break;
    case O_THREADS: rc = cmd_dtm__u32(optarg, "--threads", 0, 1024, &u, &err); o->threads = (int)u; break;
    case O_FORCE: o->force = 1; break;
    default:
      return cmd_usage_error("dtm", "sample: unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (rc != TK_OK)
    return cmd_usage_error("dtm", "%s", tk_err_text(&err));
  if (optind < argc)
    return cmd_usage_error("dtm", "sample: unexpected argument '%s'", argv[optind]);
  if (o->model == NULL || o->out == NULL || o->n == 0)
    return cmd_usage_error("dtm", "sample: --model, --n and -o are required");
  if (o->cells != NULL && (o->cell == NULL || !have_temp))
    return cmd_usage_error("dtm", "sample: --cells needs --cell NAME and --temp K");
  if (o->cells == NULL && (o->cell != NULL || have_temp))
    return cmd_usage_error("dtm", "sample: --cell/--temp need --cells LIB.h5");
  if (o->label == RUN_DTM_LABEL_ALL && o->n < 10)
    return cmd_usage_error("dtm", "sample: --label all needs --n >= 10");
  return 0;
}

int cmd_dtm_sample_kv(int argc, char **argv, cmd_kv *kv)
{
  run_dtm_sample_params o = run_dtm_sample_default_params();
  int prc = sample_parse(argc, argv, &o);
  if (prc != 0)
    return prc < 0 ? CMD_EXIT_OK : prc;
  o.command = cmd_command_line();
  run_dtm_sample_result r;
  tk_err err = {0};
  if (run_dtm_sample(&o, &r, &err) != TK_OK)
    return cmd_fail("dtm", &err);
  cmd_kv_long(kv, "samples", (long)r.samples);
  cmd_kv_long(kv, "steps", (long)r.steps);
  cmd_kv_long(kv, "sweeps", (long)r.sweeps);
  cmd_kv_double(kv, "wall_s", r.wall_s);
  cmd_kv_double(kv, "flips_per_ns", r.flips_per_ns);
  cmd_kv_double(kv, "activity", r.energy.activity);
  cmd_kv_double(kv, "energy_per_sample_J", r.energy.per_sample_J);
  cmd_kv_double(kv, "paper_energy_per_sample_J", r.energy.paper_per_sample_J);
  cmd_kv_double(kv, "energy_ratio", r.energy_ratio);
  cmd_kv_str(kv, "cells", r.cells);
  return CMD_EXIT_OK;
}
