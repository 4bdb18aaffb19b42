/* cmd_trace.c -- `tsukit trace`: option parsing and the summary line
 * around run_trace (run/run_trace.h), which simulates, measures and
 * writes the trace file (layout: io/io_trace.h).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/cells/ckt_cells.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "run/run_trace.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit trace --cell NAME --vctl V[,V...] --time S -o FILE.h5\n"
          "                    [--temp K|C] [--engine ngspice|native] [--seed S]\n"
          "                    [--vdd V] [--vbias V] [--cnoise F] [--dt S]\n"
          "                    [--models FILE]\n"
          "                    [--force]\n"
          "\n"
          "Simulates a shipped cell (`tsukit cells`) with physical device noise.\n"
          "--vctl takes one value per control; a multiple of that many values\n"
          "gives one run per group (e.g. three pbit biases).  Prints, for a pbit,\n"
          "p1= tau_s= flips= energy_per_flip_J= (comma lists over runs).\n"
          "\n"
          "  --cell NAME     cell name (required)\n"
          "  --vctl V,...    control voltages, inside [0, VDD] (required)\n"
          "  --time S        simulated time per run, (0, 1e-2] s (required)\n"
          "  --temp T        temperature, K or Celsius with C suffix (default 27C)\n"
          "  --engine E      ngspice (default) or native (physics/ Langevin solver)\n"
          "  --seed S        noise seed (default 1)\n"
          "  --vdd V         cell supply, [0.1, 1] V (pbit: sets the digitiser speed,\n"
          "                  hence tau; the trip point moves with it, ~0.46 VDD)\n"
          "  --vbias V       pseudo-resistor gate bias, [0, 1] V (sets tau)\n"
          "  --cnoise F      noise-node capacitance, (0, 1e-12] F\n"
          "  --dt S          output sample interval (default: the cell's)\n"
          "  --models FILE   use your own .model nch/pch library (.include)\n"
          "  --force         overwrite FILE\n"
          "  -o FILE         output trace file (required)\n");
}

enum { O_CELL = 1, O_VDD, O_VCTL, O_TIME, O_TEMP, O_ENGINE, O_SEED, O_VBIAS,
       O_CNOISE, O_DT, O_MODELS, O_FORCE, O_HELP };

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
  static const struct option opts[] = {
    {"cell", required_argument, NULL, O_CELL},
    {"vctl", required_argument, NULL, O_VCTL},
    {"time", required_argument, NULL, O_TIME},
    {"temp", required_argument, NULL, O_TEMP},
    {"engine", required_argument, NULL, O_ENGINE},
    {"seed", required_argument, NULL, O_SEED},
    {"vdd", required_argument, NULL, O_VDD},
    {"vbias", required_argument, NULL, O_VBIAS},
    {"cnoise", required_argument, NULL, O_CNOISE},
    {"dt", required_argument, NULL, O_DT},
    {"models", required_argument, NULL, O_MODELS},
    {"force", no_argument, NULL, O_FORCE},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
  };
  const char *cell = NULL, *engine = "ngspice", *out = NULL, *models = NULL;
  double *vctl = NULL, time_s = NAN, temp_K = 300.15, dt_s = NAN;
  size_t nv = 0;
  uint64_t seed = 1;
  int force = 0;
  ckt_cell_opts co = {0, 0, 0};
  tk_err err = {0};
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    switch (c) {
    case O_CELL: cell = optarg; break;
    case O_VCTL:
      free(vctl);
      vctl = NULL;
      rc = tk_parse_list(optarg, "--vctl", tk_parse_double, &vctl, &nv, &err);
      break;
    case O_TIME:
      rc = tk_parse_double_in(optarg, "--time", 1e-12, 1e-2, &time_s, &err);
      break;
    case O_TEMP: rc = tk_parse_temp_K(optarg, "--temp", &temp_K, &err); break;
    case O_ENGINE: engine = optarg; break;
    case O_SEED: rc = tk_parse_u64(optarg, "--seed", &seed, &err); break;
    case O_VDD:
      rc = tk_parse_double_in(optarg, "--vdd", 0.1, 1.0, &co.vdd_V, &err);
      break;
    case O_VBIAS:
      rc = tk_parse_double_in(optarg, "--vbias", 0.0, 1.0, &co.vbias_V, &err);
      break;
    case O_CNOISE:
      rc = tk_parse_double_in(optarg, "--cnoise", 1e-18, 1e-12, &co.c_noise_F, &err);
      break;
    case O_DT: rc = tk_parse_double_in(optarg, "--dt", 1e-13, 1e-3, &dt_s, &err); break;
    case O_MODELS: models = optarg; break;
    case O_FORCE: force = 1; break;
    case 'o': out = optarg; break;
    case 'h':
    case O_HELP: usage(stdout); free(vctl); return CMD_EXIT_OK;
    default:
      free(vctl);
      return cmd_usage_error("trace", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
    if (rc != 0) {
      free(vctl);
      return cmd_fail("trace", &err);
    }
  }
  if (cell == NULL || vctl == NULL || !isfinite(time_s) || out == NULL) {
    free(vctl);
    return cmd_usage_error("trace", "--cell, --vctl, --time and -o are required");
  }
  const ckt_cell_info *ci = ckt_cell_find(cell);
  if (ci == NULL) {
    free(vctl);
    return cmd_usage_error("trace", "--cell: unknown cell '%s' (see `tsukit cells`)",
                           cell);
  }
  if (nv % ci->n_ctl != 0) {
    free(vctl);
    return cmd_usage_error("trace", "--vctl: %s takes %zu control value(s) per run, "
                           "got %zu", ci->name, ci->n_ctl, nv);
  }
  int native = strcmp(engine, "native") == 0;
  if (!native && strcmp(engine, "ngspice") != 0) {
    free(vctl);
    return cmd_usage_error("trace", "--engine: '%s' is outside the valid range "
                           "{ngspice, native}", engine);
  }
  run_trace_params p = run_trace_default_params();
  p.cell = cell;
  p.vctl_V = vctl;
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
  free(vctl);
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
