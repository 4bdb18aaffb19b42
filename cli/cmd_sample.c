/* cmd_sample.c -- `tsukit sample`: option parsing and the summary line
 * around run_sample (run/run_sample.h), which builds the graph, model and
 * cells, runs the chains (tsu/tsu_run.h) and writes the samples file
 * (io/io_samples.h).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "run/run_sample.h"
#include "tsu/tsu_potts.h"

#define N_BATCHES 20  /* --sweeps minimum: one sweep per batch */

static void usage(FILE *f)
{
  fprintf(f,
    "usage: tsukit sample [--graph G12|FILE] [--L 70] [--torus]\n"
    "                     [--model random|FILE] [--beta B] [--chains C]\n"
    "                     [--sweeps K] [--burn-in B] [--seed S] [--threads N]\n"
    "                     [--cells cells.h5 --cell NAME --temp T\n"
    "                      [--clock-hz F] [--design-temp T]]\n"
    "                     [--sample-sweeps K] [--save-states] [--force]\n"
    "                     [--cells-kind spin|potts|gauss] [--states K]\n"
    "                     -o samples.h5\n"
    "\n"
    "Chromatic block Gibbs on a TSU grid (G4..G24) or a text graph file\n"
    "('b i h' and 'e i j w' lines).  Writes /moments/mean [n],\n"
    "/moments/edge_corr [n_edges] (file-edge order) with their standard\n"
    "errors (batch means), the graph, the energy report and provenance.\n"
    "\n"
    "  --graph G      G4, G8, G12, G16, G20, G24 or a graph file (default G12)\n"
    "  --L N          grid side, 2..4096 (default 70)\n"
    "  --torus        periodic boundary (default open)\n"
    "  --model M      grids: 'random' (J ~ U(-1,1), h ~ U(-0.1,0.1), from the\n"
    "                 seed; default) or a file of 'b'/'e' lines on grid edges\n"
    "  --beta B       inverse temperature, 0..100 (default 1)\n"
    "  --chains C     chains, 1..16777216 (default 256)\n"
    "  --sweeps K     recorded sweeps, 20..1e9 (default 1000)\n"
    "  --burn-in B    discarded sweeps, 0..1e9 (default 100)\n"
    "  --seed S       random seed (default 1); also fixes the mismatch draw\n"
    "  --threads N    OpenMP threads, 0..1024 (default 0 = all)\n"
    "  --cells FILE   calibrated cell library (HDF5, DESIGN.md schema)\n"
    "  --cell NAME    cell in the library (required with --cells)\n"
    "  --temp T       chip temperature, K or with C suffix (required with --cells)\n"
    "  --clock-hz F   chip clock, one colour per cycle, 1..1e12 (default 1e7)\n"
    "  --design-temp T  temperature of the gamma -> voltage mapping (default 300 K)\n"
    "  --sample-sweeps K  sweeps per sample in the energy report, 1..1e9\n"
    "                 (default 250, the paper's K)\n"
    "  --save-states  also write the final states /states/final [chains, n]\n"
    "  --cells-kind C cell kind (default spin):\n"
    "                 spin   s in {-1,+1}, the fast kernel (above);\n"
    "                 potts  s in 0..K-1, E = -sum J_ij [s_i = s_j] - sum h_i [s_i = 1]\n"
    "                        (same J, h as spins; K = 2 is Ising with J/2, h/2);\n"
    "                        /moments/mean is P(s_i = k) [n, K], /moments/edge_corr\n"
    "                        P(s_i = s_j), mean_magnetisation the mean over nodes of\n"
    "                        (K P(s_i = 1) - 1) / (K - 1);\n"
    "                 gauss  x real, E = sum (a_i/2) x_i^2 - sum h_i x_i - sum J_ij x_i x_j\n"
    "                        with a_i = 1 + sum_j |J_ij| (positive definite);\n"
    "                        /moments/mean is <x_i> [n], /moments/edge_corr <x_i x_j>,\n"
    "                        mean_magnetisation the mean of <x_i> over nodes.\n"
    "                 potts and gauss are double-precision reference paths (no\n"
    "                 --cells): there flips_per_ns counts cell updates per ns,\n"
    "                 and flip_activity is the fraction of updates that changed\n"
    "                 the state (1 for gauss); the energy report applies the\n"
    "                 pbit cell model to them unchanged\n"
    "  --states K     states per Potts cell, 2..16 (default 3; potts only)\n"
    "  --force        overwrite the output file\n"
    "  -o FILE        output file (required)\n");
}

typedef struct sample_opts {
  run_sample_params p;  /* what the run needs */
  int have_temp;        /* --temp given */
  int have_states;      /* --states given */
} sample_opts;

static int parse_opts(int argc, char **argv, sample_opts *o)
{
  static const struct option opts[] = {
    {"graph", required_argument, 0, 'g'}, {"L", required_argument, 0, 'L'},
    {"torus", no_argument, 0, 't'}, {"model", required_argument, 0, 'm'},
    {"beta", required_argument, 0, 'b'}, {"chains", required_argument, 0, 'c'},
    {"sweeps", required_argument, 0, 'k'},
    {"burn-in", required_argument, 0, 'B'}, {"seed", required_argument, 0, 's'},
    {"threads", required_argument, 0, 'n'},
    {"cells", required_argument, 0, 'C'}, {"cell", required_argument, 0, 'N'},
    {"temp", required_argument, 0, 'T'},
    {"clock-hz", required_argument, 0, 'F'},
    {"design-temp", required_argument, 0, 'D'},
    {"sample-sweeps", required_argument, 0, 'K'},
    {"save-states", no_argument, 0, 'S'}, {"force", no_argument, 0, 'f'},
    {"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
    {"cells-kind", required_argument, 0, 'X'},
    {"states", required_argument, 0, 'Q'},
    {0, 0, 0, 0}};
  tk_err err = {0};
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
    int rc = 0;
    switch (c) {
    case 'g': o->p.graph = optarg; break;
    case 'L': rc = tk_parse_long_in(optarg, "--L", 2, 4096, &o->p.L, &err); break;
    case 't': o->p.torus = 1; break;
    case 'm': o->p.model = optarg; break;
    case 'b': rc = tk_parse_double_in(optarg, "--beta", 0, 100, &o->p.beta, &err); break;
    case 'c': rc = tk_parse_long_in(optarg, "--chains", 1, 1l << 24, &o->p.chains, &err); break;
    case 'k': rc = tk_parse_long_in(optarg, "--sweeps", N_BATCHES, 1000000000l, &o->p.sweeps, &err); break;
    case 'B': rc = tk_parse_long_in(optarg, "--burn-in", 0, 1000000000l, &o->p.burn_in, &err); break;
    case 's': rc = tk_parse_u64(optarg, "--seed", &o->p.seed, &err); break;
    case 'n': rc = tk_parse_long_in(optarg, "--threads", 0, 1024, &o->p.threads, &err); break;
    case 'C': o->p.cells = optarg; break;
    case 'N': o->p.cell = optarg; break;
    case 'T': rc = tk_parse_temp_K(optarg, "--temp", &o->p.temp_K, &err); o->have_temp = 1; break;
    case 'F': rc = tk_parse_double_in(optarg, "--clock-hz", 1, 1e12, &o->p.clock_Hz, &err); break;
    case 'D': rc = tk_parse_temp_K(optarg, "--design-temp", &o->p.design_K, &err); break;
    case 'K': rc = tk_parse_long_in(optarg, "--sample-sweeps", 1, 1000000000l, &o->p.sample_sweeps, &err); break;
    case 'S': o->p.save_states = 1; break;
    case 'f': o->p.force = 1; break;
    case 'o': o->p.out = optarg; break;
    case 'X':
      if (run_sample_kind_from_name(optarg, &o->p.kind, NULL) != 0)
        return cmd_usage_error("sample", "--cells-kind '%s': expected spin, "
                               "potts or gauss", optarg);
      break;
    case 'Q':
      rc = tk_parse_long_in(optarg, "--states", 2, TSU_POTTS_MAX_K, &o->p.states, &err);
      o->have_states = 1;
      break;
    case 'h': usage(stdout); return -1;
    default:
      return cmd_usage_error("sample", "unknown option '%s'", argv[optind - 1]);
    }
    if (rc != 0)
      return cmd_usage_error("sample", "%s", tk_err_text(&err));
  }
  if (optind < argc)
    return cmd_usage_error("sample", "unexpected argument '%s'", argv[optind]);
  if (o->p.out == NULL)
    return cmd_usage_error("sample", "-o FILE is required");
  if (o->p.cells != NULL && (o->p.cell == NULL || !o->have_temp))
    return cmd_usage_error("sample", "--cells needs --cell NAME and --temp T");
  if (o->p.cells == NULL && (o->p.cell != NULL || o->have_temp))
    return cmd_usage_error("sample", "--cell and --temp need --cells FILE");
  if (o->have_states && o->p.kind != RUN_SAMPLE_POTTS)
    return cmd_usage_error("sample", "--states needs --cells-kind potts");
  if (o->p.cells != NULL && o->p.kind != RUN_SAMPLE_SPIN)
    return cmd_usage_error("sample", "--cells (calibrated pbits) needs "
                           "--cells-kind spin");
  return 0;
}

static void put_summary(cmd_kv *kv, const char *out,
                        const run_sample_result *r)
{
  cmd_kv_str(kv, "out", out);
  cmd_kv_long(kv, "nodes", r->nodes);
  cmd_kv_long(kv, "edges", r->edges);
  cmd_kv_long(kv, "colors", r->colors);
  cmd_kv_long(kv, "chains", r->chains);
  cmd_kv_long(kv, "sweeps", r->sweeps);
  cmd_kv_double(kv, "flips_per_ns", r->flips_per_ns);
  cmd_kv_double(kv, "mean_magnetisation", r->mean_magnetisation);
  cmd_kv_double(kv, "flip_activity", r->flip_activity);
  cmd_kv_double(kv, "energy_per_sweep_J", r->en.per_sweep_J);
  cmd_kv_double(kv, "energy_per_sample_J", r->en.per_sample_J);
  cmd_kv_double(kv, "paper_energy_per_sample_J", r->en.paper_per_sample_J);
  cmd_kv_double(kv, "rng_J", r->en.rng_J);
  cmd_kv_double(kv, "bias_J", r->en.bias_J);
  cmd_kv_double(kv, "clock_J", r->en.clock_J);
  cmd_kv_double(kv, "wire_J", r->en.wire_J);
}

int cmd_sample_kv(int argc, char **argv, cmd_kv *kv)
{
  sample_opts o = {run_sample_default_params(), 0, 0};
  int prc = parse_opts(argc, argv, &o);
  if (prc != 0)
    return prc < 0 ? CMD_EXIT_OK : prc;
  o.p.command = cmd_command_line();
  run_sample_result res;
  tk_err err = {0};
  if (run_sample(&o.p, &res, &err) != 0)
    return cmd_fail("sample", &err);
  put_summary(kv, o.p.out, &res);
  return CMD_EXIT_OK;
}

int cmd_sample(int argc, char **argv)
{
  return cmd_print_kv(cmd_sample_kv, argc, argv);
}
