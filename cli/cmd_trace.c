/* cmd_trace.c -- `tsukit trace`: simulate a shipped cell at one or more
 * operating points and write the traces.
 *
 * Workload: one ngspice run per operating point (seconds each for
 * microseconds of simulated time); the file is written through io/ as
 * FILE.partial and renamed only when every run succeeded, so a failure
 * leaves no complete-looking file.
 *
 * File layout (DESIGN.md): attributes kind = "trace", cell, engine;
 * /traces/runN/time_s and /traces/runN/<node>_V for every non-fixed node;
 * per run attributes vctl_V (one per control, vctl0_V...), temp_K,
 * netlist (the full text), op_<node>_V (the noiseless operating point,
 * sample 0), and for a pbit p1, tau_s, flips, energy_per_flip_J.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_measure.h"
#include "circuits/ckt_native.h"
#include "circuits/ckt_sim.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "io/io_h5.h"

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

typedef struct run_out {
  ckt_trace tr;           /* the simulated trace */
  ckt_pbit_stats st;      /* pbit figures (kind pbit only) */
  ckt_gmm_stats gs;       /* mode figures (kind gmm only) */
  ckt_cat_stats cs;       /* state figures (kind categorical only) */
} run_out;

static int write_run(io_file *f, int idx, const ckt_cell_info *ci,
                     const double *vctl, double temp_K, const run_out *r,
                     tk_err *err)
{
  char g[64], p[128];
  snprintf(g, sizeof g, "/traces/run%d", idx);
  TK_TRY(io_group(f, g, err));
  size_t dims[1] = {r->tr.n};
  snprintf(p, sizeof p, "%s/time_s", g);
  TK_TRY(io_write_f64(f, p, 1, dims, r->tr.time_s, "s", err));
  for (size_t i = 0; i < r->tr.n_nodes; i++) {
    snprintf(p, sizeof p, "%s/%s_V", g, r->tr.names[i]);
    TK_TRY(io_write_f64(f, p, 1, dims, r->tr.v_V + i * r->tr.n, "V", err));
    snprintf(p, sizeof p, "op_%s_V", r->tr.names[i]);
    TK_TRY(io_attr_f64(f, g, p, r->tr.v_V[i * r->tr.n], err));
  }
  for (size_t c = 0; c < ci->n_ctl; c++) {
    snprintf(p, sizeof p, "vctl%zu_V", c);
    TK_TRY(io_attr_f64(f, g, p, vctl[c], err));
  }
  TK_TRY(io_attr_f64(f, g, "vctl_V", vctl[0], err));
  TK_TRY(io_attr_f64(f, g, "temp_K", temp_K, err));
  TK_TRY(io_attr_f64(f, g, "energy_supply_J", r->tr.e_supply_J, err));
  TK_TRY(io_attr_str(f, g, "netlist", r->tr.netlist, err));
  if (strcmp(ci->kind, "pbit") == 0) {
    TK_TRY(io_attr_f64(f, g, "p1", r->st.p1, err));
    TK_TRY(io_attr_f64(f, g, "tau_s", r->st.tau_s, err));
    TK_TRY(io_attr_f64(f, g, "tau_flip_s", r->st.tau_flip_s, err));
    TK_TRY(io_attr_i64(f, g, "flips", (int64_t)r->st.flips, err));
    TK_TRY(io_attr_f64(f, g, "energy_per_flip_J", r->st.e_per_flip_J, err));
  }
  if (strcmp(ci->kind, "categorical") == 0) {
    for (int k = 0; k < 4; k++) {
      snprintf(p, sizeof p, "p%d", k);
      TK_TRY(io_attr_f64(f, g, p, r->cs.p[k], err));
    }
    TK_TRY(io_attr_f64(f, g, "tau_s", r->cs.tau_s, err));
    TK_TRY(io_attr_i64(f, g, "flips", (int64_t)r->cs.flips, err));
  }
  if (strcmp(ci->kind, "gmm") == 0) {
    TK_TRY(io_attr_f64(f, g, "mu0_V", r->gs.mu_V[0], err));
    TK_TRY(io_attr_f64(f, g, "mu1_V", r->gs.mu_V[1], err));
    TK_TRY(io_attr_f64(f, g, "sigma0_V", r->gs.sigma_V[0], err));
    TK_TRY(io_attr_f64(f, g, "sigma1_V", r->gs.sigma_V[1], err));
    TK_TRY(io_attr_f64(f, g, "w0", r->gs.w0, err));
  }
  return TK_OK;
}

/* " key=a,b,c" */
static void kv_list(cmd_kv *kv, const char *key, const double *x, size_t n)
{
  char buf[1024];
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && len < sizeof buf - 32; i++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.6g",
                            i ? "," : "", x[i]);
  cmd_kv_str(kv, key, buf);
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
  size_t nrun = nv / ci->n_ctl;
  ckt_sim_params sp = ckt_sim_default_params();
  sp.temp_K = temp_K;
  sp.tstop_s = time_s;
  sp.tstep_s = isfinite(dt_s) ? dt_s : ci->tstep_s;
  if (sp.tstep_s > time_s / 16)
    sp.tstep_s = time_s / 16;
  sp.nt_s = fmin(ci->nt_s, sp.tstep_s);
  sp.seed = seed;
  sp.model_file = models;
  run_out *runs = calloc(nrun, sizeof *runs);
  ckt_session *ses = NULL;
  io_file *f = NULL;
  double vdd = isfinite(co.vdd_V) && co.vdd_V > 0 ? co.vdd_V : ci->vdd_V;
  if (runs == NULL) {
    rc = TK_FAIL(&err, TK_ENOMEM, "out of memory");
    goto done;
  }
  /* check every operating point before simulating any */
  for (size_t r = 0; r < nrun && rc == 0; r++) {
    phys_cell *pc = NULL;
    rc = ckt_cell_build(ci, vctl + r * ci->n_ctl, &co, &pc, &err);
    phys_cell_free(pc);
  }
  if (rc != 0)
    goto done;
  io_prov prov = {cmd_command_line(), seed};
  if ((rc = io_file_create(out, &prov, force ? IO_CREATE_OVERWRITE : IO_CREATE_KEEP,
                           &f, &err)) != 0)
    goto done;
  if (!native && (rc = ckt_session_open(&ses, &err)) != 0)
    goto done;
  for (size_t r = 0; r < nrun && rc == 0; r++) {
    phys_cell *pc = NULL;
    const double *v = vctl + r * ci->n_ctl;
    if ((rc = ckt_cell_build(ci, v, &co, &pc, &err)) != 0)
      break;
    fprintf(stderr, "tsukit trace: run %zu/%zu: %s at vctl %g V, %g s ...\n",
            r + 1, nrun, ci->name, v[0], time_s);
    rc = native ? ckt_native_run(pc, &sp, &runs[r].tr, &err)
                : ckt_sim_run(ses, pc, ci->name, &sp, &runs[r].tr, &err);
    phys_cell_free(pc);
    if (rc != 0)
      break;
    if (strcmp(ci->kind, "pbit") == 0) {
      const double *o = ckt_trace_node(&runs[r].tr, ci->outputs);
      rc = ckt_measure_pbit(o, runs[r].tr.n, runs[r].tr.dt_s, vdd,
                            runs[r].tr.e_supply_J, &runs[r].st, &err);
    } else if (strcmp(ci->kind, "categorical") == 0) {
      const double *lines[4] = {NULL, NULL, NULL, NULL};
      char buf[128], *save = NULL;
      snprintf(buf, sizeof buf, "%s", ci->outputs);
      unsigned K = 0;
      for (char *tok = strtok_r(buf, ",", &save); tok && K < 4;
           tok = strtok_r(NULL, ",", &save))
        lines[K++] = ckt_trace_node(&runs[r].tr, tok);
      rc = ckt_measure_cat(lines, K, runs[r].tr.n, runs[r].tr.dt_s, vdd,
                           &runs[r].cs, &err);
    } else if (strcmp(ci->kind, "gmm") == 0) {
      const double *o = ckt_trace_node(&runs[r].tr, ci->outputs);
      rc = ckt_measure_gmm2(o, runs[r].tr.n, 0.5 * v[1], &runs[r].gs, &err);
    }
    if (rc == 0)
      rc = write_run(f, (int)r, ci, v, temp_K, &runs[r], &err);
  }
  if (rc == 0) {
    if ((rc = io_attr_str(f, "/", "kind", "trace", &err)) == 0 &&
        (rc = io_attr_str(f, "/", "cell", ci->name, &err)) == 0 &&
        (rc = io_attr_str(f, "/", "cell_kind", ci->kind, &err)) == 0 &&
        (rc = io_attr_str(f, "/", "engine", engine, &err)) == 0 &&
        (rc = io_attr_str(f, "/", "output_node", ci->outputs, &err)) == 0 &&
        (rc = io_attr_f64(f, "/", "vdd_V", vdd, &err)) == 0 &&
        (rc = io_attr_i64(f, "/", "runs", (int64_t)nrun, &err)) == 0) {
      rc = io_file_commit(f, &err);
      f = NULL;
    }
  }
done:
  if (f != NULL)
    io_file_abort(f);
  ckt_session_close(ses);
  if (rc == 0) {
    cmd_kv_str(kvp, "cell", ci->name);
    cmd_kv_long(kvp, "runs", (long)nrun);
    if (strcmp(ci->kind, "pbit") == 0) {
      double *col = malloc(4 * nrun * sizeof *col);
      if (col != NULL) {
        for (size_t r = 0; r < nrun; r++) {
          col[r] = runs[r].st.p1;
          col[nrun + r] = runs[r].st.tau_s;
          col[2 * nrun + r] = (double)runs[r].st.flips;
          col[3 * nrun + r] = runs[r].st.e_per_flip_J;
        }
        kv_list(kvp, "p1", col, nrun);
        kv_list(kvp, "tau_s", col + nrun, nrun);
        kv_list(kvp, "flips", col + 2 * nrun, nrun);
        kv_list(kvp, "energy_per_flip_J", col + 3 * nrun, nrun);
        free(col);
      }
    } else if (strcmp(ci->kind, "categorical") == 0) {
      double *col = malloc(5 * nrun * sizeof *col);
      if (col != NULL) {
        for (size_t r = 0; r < nrun; r++) {
          for (int k = 0; k < 4; k++)
            col[k * nrun + r] = runs[r].cs.p[k];
          col[4 * nrun + r] = runs[r].cs.tau_s;
        }
        kv_list(kvp, "p0", col, nrun);
        kv_list(kvp, "p1", col + nrun, nrun);
        kv_list(kvp, "p2", col + 2 * nrun, nrun);
        kv_list(kvp, "p3", col + 3 * nrun, nrun);
        kv_list(kvp, "tau_s", col + 4 * nrun, nrun);
        free(col);
      }
    } else if (strcmp(ci->kind, "gmm") == 0) {
      double *col = malloc(5 * nrun * sizeof *col);
      if (col != NULL) {
        for (size_t r = 0; r < nrun; r++) {
          col[r] = runs[r].gs.mu_V[0];
          col[nrun + r] = runs[r].gs.mu_V[1];
          col[2 * nrun + r] = runs[r].gs.sigma_V[0];
          col[3 * nrun + r] = runs[r].gs.sigma_V[1];
          col[4 * nrun + r] = runs[r].gs.w0;
        }
        kv_list(kvp, "mu0_V", col, nrun);
        kv_list(kvp, "mu1_V", col + nrun, nrun);
        kv_list(kvp, "sigma0_V", col + 2 * nrun, nrun);
        kv_list(kvp, "sigma1_V", col + 3 * nrun, nrun);
        kv_list(kvp, "w0", col + 4 * nrun, nrun);
        free(col);
      }
    }
    cmd_kv_str(kvp, "file", out);
  }
  for (size_t r = 0; runs != NULL && r < nrun; r++)
    ckt_trace_clear(&runs[r].tr);
  free(runs);
  free(vctl);
  if (rc != 0) {
    /* range errors here (control outside the supply) and ngspice
     * failures are both run failures: exit 1 */
    fprintf(stderr, "tsukit trace: error: %s\n", tk_err_text(&err));
    return CMD_EXIT_FAIL;
  }
  return CMD_EXIT_OK;
}

int cmd_trace(int argc, char **argv)
{
  return cmd_print_kv(cmd_trace_kv, argc, argv);
}
