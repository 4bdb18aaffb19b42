/* cmd_trace.c -- `tsukit trace`: option parsing and the summary line
 * around run_trace (run/run_trace.h), which simulates, measures and
 * writes the trace file (layout: io/io_trace.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "circuits/cells/ckt_cells.h"
#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "physics/phys_const.h"
#include "run/run_trace.h"

static const char tr_synopsis[] =
  "tsukit trace --cell NAME --vctl V[,V...] --time S -o FILE.h5\n"
  "                    [--temp K|C] [--engine ngspice|native] [--seed S]\n"
  "                    [--vdd V] [--vbias V] [--cnoise F] [--dt S]\n"
  "                    [--models FILE]\n"
  "                    [--force]";
static const char tr_about[] =
  "Simulates a shipped cell (`tsukit cells`) with physical device noise.\n"
  "--vctl takes one value per control; a multiple of that many values\n"
  "gives one run per group (e.g. three pbit biases).  Prints, for a pbit,\n"
  "p1= tau_s= flips= energy_per_flip_J= (comma lists over runs).\n";
static const char *const engine_words[] = {"ngspice", "native", NULL};

/* " key=a,b,c" */
/* The figures of every run, one comma list per summary key of the kind. */
static void put_summary(cmd_kv *kvp, const run_trace_result *res,
                        const char *out)
{
  size_t nrun = res->n_runs, nd = 0;
  const io_trace_figdef *d = io_trace_figdefs(res->ci->cellkind, &nd);
  cmd_kv_str(kvp, "cell", res->ci->name);
  cmd_kv_long(kvp, "runs", (long)nrun);
  double *col = malloc((nrun + 1) * sizeof *col);
  for (size_t i = 0; col != NULL && i < nd; i++) {
    if (!d[i].summary)
      continue;
    for (size_t r = 0; r < nrun; r++)
      col[r] = io_trace_fig_value(&res->figs[r], &d[i]);
    cmd_kv_list(kvp, d[i].name, col, nrun);
  }
  free(col);
  cmd_kv_str(kvp, "file", out);
}

int cmd_trace_kv(int argc, char **argv, cmd_kv *kvp)
{
  const char *cell = NULL, *out = NULL, *models = NULL;
  double time_s = NAN, temp_K = PHYS_TNOM_K, dt_s = NAN;
  cmd_opt_list vctl = {NULL, 0};
  uint64_t seed = 1;
  int force = 0, native = 0;
  ckt_cell_opts co = {0, 0, 0};
  tk_err err = {0};
  const cmd_opt opts[] = {
    {"cell", 0, CMD_OPT_STR, &cell, 0, 0, NULL, "NAME", "cell name (required)",
     CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"vctl", 0, CMD_OPT_LIST, &vctl, 0, 0, NULL, "V,...",
     "control voltages, inside [0, VDD] (required)",
     CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"time", 0, CMD_OPT_DOUBLE, &time_s, 1e-12, 1e-2, "s", "S",
     "simulated time per run, [1e-12, 1e-2] s (required)", CMD_OPT_REQUIRED,
     NULL, NULL, NULL},
    {"temp", 0, CMD_OPT_TEMP, &temp_K, 0, 0, NULL, "T",
     "temperature, K or Celsius with C suffix (default 27C)", 0, NULL, NULL,
     NULL},
    {"engine", 0, CMD_OPT_CHOICE, &native, 0, 0, NULL, "E",
     "ngspice (default) or native (physics/ Langevin solver)",
     0, NULL, engine_words, NULL},
    {"seed", 0, CMD_OPT_U64, &seed, 0, 0, NULL, "S", "noise seed (default 1)",
     0, NULL, NULL, NULL},
    {"vdd", 0, CMD_OPT_DOUBLE, &co.vdd_V, 0.1, 1.0, "V", "V",
     "cell supply, [0.1, 1] V (pbit: sets the digitiser speed, hence tau; "
     "the trip point moves with it, ~0.46 VDD)", 0, NULL, NULL,
     NULL},
    {"vbias", 0, CMD_OPT_DOUBLE, &co.vbias_V, 0, 1.0, "V", "V",
     "pseudo-resistor gate bias, [0, 1] V (sets tau)", 0, NULL,
     NULL, NULL},
    {"cnoise", 0, CMD_OPT_DOUBLE, &co.c_noise_F, 1e-18, 1e-12, "F", "F",
     "noise-node capacitance, [1e-18, 1e-12] F", 0, NULL, NULL,
     NULL},
    {"dt", 0, CMD_OPT_DOUBLE, &dt_s, 1e-13, 1e-3, "s", "S",
     "output sample interval, [1e-13, 1e-3] s (default: the cell's)",
     0, NULL, NULL, NULL},
    {"models", 0, CMD_OPT_STR, &models, 0, 0, NULL, "FILE",
     "use your own .model nch/pch library (.include)", 0, NULL,
     NULL, NULL},
    {"force", 0, CMD_OPT_FLAG, &force, 0, 0, NULL, NULL, "overwrite FILE",
     0, NULL, NULL, NULL},
    {"out", 'o', CMD_OPT_STR, &out, 0, 0, NULL, "FILE",
     "output trace file (required)", CMD_OPT_REQUIRED, NULL,
     NULL, NULL},
    {0}};
  const cmd_spec spec = {"trace", tr_synopsis, tr_about, opts, 0, NULL};
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK) {
    cmd_opt_free(&spec);
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  }
  size_t nv = vctl.n;
  const ckt_cell_info *ci = ckt_cell_find(cell);
  if (ci == NULL) {
    cmd_opt_free(&spec);
    return cmd_usage_error("trace", "--cell: unknown cell '%s' (see `tsukit cells`)",
                           cell);
  }
  if (nv % ci->n_ctl != 0) {
    cmd_opt_free(&spec);
    return cmd_usage_error("trace", "--vctl: %s takes %zu control value(s) per run, "
                           "got %zu", ci->name, ci->n_ctl, nv);
  }
  if (cmd_check_time_points("trace", time_s, dt_s, "--dt") != 0) {
    cmd_opt_free(&spec);
    return CMD_EXIT_USAGE;
  }
  run_trace_params p = run_trace_default_params();
  p.cell = cell;
  p.vctl_V = vctl.v;
  p.n_vctl = nv;
  p.time_s = time_s;
  p.temp_K = temp_K;
  p.native = native;
  p.seed = seed;
  p.co = co;
  p.dt_s = dt_s;
  p.models = models;
  p.out = out;
  p.force = force;
  p.command = cmd_command_line();
  run_trace_result res;
  rc = run_trace(&p, &res, &err);
  cmd_opt_free(&spec);
  if (rc != 0) {
    /* range errors here (control outside the supply) and ngspice
     * failures are both run failures: exit 1 */
    fprintf(stderr, "tsukit trace: error: %s\n", tk_err_text(&err));
    return CMD_EXIT_FAIL;
  }
  put_summary(kvp, &res, out);
  run_trace_result_free(&res);
  return CMD_EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
  return cmd_print_kv(cmd_trace_kv, argc, argv);
}
