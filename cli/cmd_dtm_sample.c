/* cmd_dtm_sample.c -- `tsukit dtm sample`: option parsing for
 * run_dtm_sample (run/run_dtm.h): generation from noise on ideal or
 * calibrated cells, with the energy per sample beside the paper's
 * formula T K L^2 E_cell. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "cli/dtm_cli.h"
#include "common/tk_parse.h"
#include "run/run_dtm.h"

static const char sample_synopsis[] =
  "tsukit dtm sample --model MODEL.h5 --n N -o SAMPLES.h5\n"
  "         [--label C|all] [--sweeps K] [--steps T] [--seed S]\n"
  "         [--cells LIB.h5 --cell NAME --temp K [--design-temp K]\n"
  "          [--clock-hz F] [--mismatch M] [--trim [--trim-lsb V]]]\n"
  "         [--threads N]\n"
  "         [--force]";
static const char sample_about[] =
  "Writes images [n,28,28], labels, the denoising chain of the first 16\n"
  "samples and the energy report.  Summary: samples steps sweeps wall_s\n"
  "flips_per_ns activity energy_per_sample_J paper_energy_per_sample_J\n"
  "energy_ratio; with --cells also chip_tau_s and chip_s_per_sample, the\n"
  "simulated chip's wall-clock time per sample: steps x sweeps x 2\n"
  "colours x the library's tau at --temp; with a library's measured\n"
  "instances on the nodes, the slowest node's own tau (a colour is done\n"
  "when its slowest cell is; run/run_chiptime.h).\n";

/* --label: a class 0..9 or "all" (RUN_DTM_LABEL_ALL) into *(int *)target */
static int parse_label(const char *s, const char *opt, void *target,
                       tk_err *err)
{
  long c;
  if (strcmp(s, "all") == 0) {
    *(int *)target = RUN_DTM_LABEL_ALL;
    return TK_OK;
  }
  if (tk_parse_long_in(s, opt, 0, 9, &c, NULL) != TK_OK)
    return TK_FAIL(err, TK_ERANGE, "%s: '%s' is outside the valid range "
                   "{0..9, all}", opt, s);
  *(int *)target = (int)c;
  return TK_OK;
}

/* Options into o; 0 to run, CMD_OPT_HELP after --help, else the exit
 * status. */
static int sample_parse(int argc, char **argv, run_dtm_sample_params *o)
{
  int have_temp = 0, have_mm = 0;
  uint32_t threads = 0;
  const cmd_opt opts[] = {
    {"model", 0, CMD_OPT_STR, &o->model, 0, 0, NULL, "MODEL.h5",
     "the model from `tsukit dtm train` (required)", CMD_OPT_REQUIRED, NULL,
     NULL, NULL},
    {"n", 0, CMD_OPT_U32, &o->n, 1, 1000000, NULL, "N",
     "samples, 1..1000000 (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"out", 'o', CMD_OPT_STR, &o->out, 0, 0, NULL, "SAMPLES.h5",
     "the samples file (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"label", 0, CMD_OPT_FN, &o->label, 0, 0, NULL, "C|all",
     "clamp the label spins to class C (0..9), or 'all' for n/10 per class; "
     "default free labels", 0, NULL, NULL, parse_label},
    {"sweeps", 0, CMD_OPT_U32, &o->sweeps, 1, 1000000, NULL, "K",
     "sweeps per step, 1..1e6 (default: the model's)", 0, NULL, NULL, NULL},
    {"steps", 0, CMD_OPT_U32, &o->steps, 1, 64, NULL, "T",
     "check that the model has T steps (1..64)", 0, NULL, NULL, NULL},
    {"seed", 0, CMD_OPT_U64, &o->seed, 0, 0, NULL, "S", "random seed", 0,
     NULL, NULL, NULL},
    {"cells", 0, CMD_OPT_STR, &o->cells, 0, 0, NULL, "LIB.h5",
     "run on calibrated cells from a cell library at chip temperature "
     "--temp: mismatch and finite tau", 0, NULL, NULL, NULL},
    {"cell", 0, CMD_OPT_STR, &o->cell, 0, 0, NULL, "NAME",
     "cell in the library (with --cells): a pbit cell for a binary model, a "
     "categorical one (cat4) for a --pixels cat4 model", 0, NULL, NULL, NULL},
    {"temp", 0, CMD_OPT_TEMP, &o->temp_K, 0, 0, NULL, "K",
     "chip temperature, K or Celsius with a C suffix (with --cells)", 0,
     &have_temp, NULL, NULL},
    {"design-temp", 0, CMD_OPT_TEMP, &o->design_K, 0, 0, NULL, "K",
     "design temperature of the cells' control mapping (default: --temp, a "
     "compensated chip)", 0, NULL, NULL, NULL},
    {"clock-hz", 0, CMD_OPT_DOUBLE, &o->clock_Hz, 0, INFINITY, "Hz", "F",
     "chip clock, > 0 (default 1e7 Hz)", CMD_OPT_LO_OPEN, NULL, NULL, NULL},
    {"mismatch", 0, CMD_OPT_CHOICE, &o->mismatch, 0, 0, NULL, "M",
     CMD_MISMATCH_HELP, 0, &have_mm, cmd_mismatch_choices, NULL},
    {"trim", 0, CMD_OPT_FLAG, &o->trim, 0, 0, NULL, NULL, CMD_TRIM_HELP, 0,
     NULL, NULL, NULL},
    {"trim-lsb", 0, CMD_OPT_DOUBLE, &o->trim_lsb_V, 0, 1, "V", "V",
     CMD_TRIM_LSB_HELP, CMD_OPT_LO_OPEN | CMD_OPT_HI_OPEN, NULL, NULL, NULL},
    {"threads", 0, CMD_OPT_U32, &threads, 0, 1024, NULL, "N",
     "OpenMP threads, 0..1024, 0 = all", 0, NULL, NULL, NULL},
    {"force", 0, CMD_OPT_FLAG, &o->force, 0, 0, NULL, NULL,
     "overwrite an existing SAMPLES.h5", 0, NULL, NULL, NULL},
    {0}};
  const cmd_spec spec = {"dtm sample", sample_synopsis, sample_about, opts, 0,
                         NULL};
  threads = (uint32_t)o->threads;
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc;
  o->threads = (int)threads;
  if (o->cells != NULL && (o->cell == NULL || !have_temp))
    return cmd_usage_error("dtm sample", "--cells needs --cell NAME and --temp K");
  if (o->cells == NULL && (o->cell != NULL || have_temp))
    return cmd_usage_error("dtm sample", "--cell/--temp need --cells LIB.h5");
  if (o->cells == NULL && (have_mm || o->trim))
    return cmd_usage_error("dtm sample", "--mismatch/--trim need --cells "
                           "LIB.h5");
  if (o->trim_lsb_V > 0 && !o->trim)
    return cmd_usage_error("dtm sample", "--trim-lsb needs --trim");
  if (o->label == RUN_DTM_LABEL_ALL && o->n < 10)
    return cmd_usage_error("dtm sample", "--label all needs --n >= 10");
  return 0;
}

int cmd_dtm_sample_kv(int argc, char **argv, cmd_kv *kv)
{
  run_dtm_sample_params o = run_dtm_sample_default_params();
  int prc = sample_parse(argc, argv, &o);
  if (prc != 0)
    return prc == CMD_OPT_HELP ? CMD_EXIT_OK : prc;
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
  if (isfinite(r.chip.per_sample_s)) {
    cmd_kv_double(kv, "chip_tau_s", r.chip.tau_s);
    cmd_kv_double(kv, "chip_s_per_sample", r.chip.per_sample_s);
  }
  cmd_kv_str(kv, "cells", r.cells);
  if (r.cell_mismatch[0] != '\0') {
    /* the description's first word (tsu_celltab_cells) */
    char w[24];
    snprintf(w, sizeof w, "%.*s", (int)strcspn(r.cell_mismatch, ":"),
             r.cell_mismatch);
    cmd_kv_str(kv, "cell_mismatch", w);
  }
  return CMD_EXIT_OK;
}
