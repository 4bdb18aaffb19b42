/* cmd_bench.c -- `tsukit bench gibbs`: speed of the Gibbs kernels
 * (`tsukit bench dtm`: cmd_bench_dtm.c).
 *
 * Times the fast sampler on a grid (G4..G24, random fp32 couplings) and,
 * in the same run, the scalar reference kernel on one chain of the same
 * chip, and prints the kernel path, the CPU features the dispatch looks
 * at, flips/ns for both and their ratio.  Workload: a few seconds; the
 * reference run is capped at about --ref-seconds.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "common/tk_progress.h"
#include "common/tk_rng.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_ref.h"

int cmd_bench_dtm(int argc, char **argv);

static void usage(FILE *f)
{
  fprintf(f,
    "usage: tsukit bench gibbs [--graph G12] [--L 70] [--torus] [--chains C]\n"
    "                          [--sweeps K] [--threads N] [--beta B]\n"
    "                          [--path auto|avx512|avx2|portable]\n"
    "                          [--ref-seconds S] [--seed S]\n"
    "\n"
    "Times chromatic block Gibbs on an L x L grid with random couplings\n"
    "J ~ U(-1,1), h ~ U(-0.1,0.1): the fast kernel (C chains, K sweeps)\n"
    "and the scalar reference kernel (one chain, double, exp per update)\n"
    "in the same run.  Prints the path, the CPU features found (cpu=),\n"
    "flips_per_ns, edge_updates_per_ns, ref_flips_per_ns and speedup.\n"
    "\n"
    "  --graph G      G4, G8, G12, G16, G20 or G24 (default G12)\n"
    "  --L N          grid side, 2..4096 (default 70)\n"
    "  --torus        periodic boundary (default open)\n"
    "  --chains C     chains, 1..16777216 (default 256)\n"
    "  --sweeps K     sweeps, 1..1e9 (default 200)\n"
    "  --threads N    OpenMP threads, 0..1024 (default 1; 0 = all)\n"
    "  --beta B       inverse temperature, 0..100 (default 0.5)\n"
    "  --path P       kernel path (default auto)\n"
    "  --ref-seconds S  time budget of the reference run, 0.01..100 (default 0.5)\n"
    "  --seed S       random seed (default 1)\n");
}

/* The CPU features the kernel dispatch looks at, comma-separated
 * ("none" if none or not x86-64). */
static void cpu_features(char *buf, size_t n)
{
  buf[0] = '\0';
#if defined(__x86_64__) && defined(__GNUC__)
  static const char *const name[8] = {"avx2", "fma", "avx512f", "avx512dq",
                                      "avx512bw", "avx512vbmi", "gfni",
                                      "bmi2"};
  int on[8];   /* __builtin_cpu_supports wants literal names */
  on[0] = __builtin_cpu_supports("avx2");
  on[1] = __builtin_cpu_supports("fma");
  on[2] = __builtin_cpu_supports("avx512f");
  on[3] = __builtin_cpu_supports("avx512dq");
  on[4] = __builtin_cpu_supports("avx512bw");
  on[5] = __builtin_cpu_supports("avx512vbmi");
  on[6] = __builtin_cpu_supports("gfni");
  on[7] = __builtin_cpu_supports("bmi2");
  for (int k = 0; k < 8; k++)
    if (on[k]) {
      size_t len = strlen(buf);
      snprintf(buf + len, n - len, "%s%s", len ? "," : "", name[k]);
    }
#endif
  if (buf[0] == '\0')
    snprintf(buf, n, "none");
}

static int parse_path(const char *s, int *path)
{
  if (strcmp(s, "auto") == 0) *path = TSU_PATH_AUTO;
  else if (strcmp(s, "avx512") == 0) *path = TSU_PATH_AVX512;
  else if (strcmp(s, "avx2") == 0) *path = TSU_PATH_AVX2;
  else if (strcmp(s, "portable") == 0) *path = TSU_PATH_PORTABLE;
  else return -1;
  return 0;
}

static int bench_gibbs(int argc, char **argv)
{
  const char *graph = "G12";
  long L = 70, chains = 256, sweeps = 200, threads = 1;
  double beta = 0.5, ref_s = 0.5;
  uint64_t seed = 1;
  int torus = 0, path = TSU_PATH_AUTO;
  static const struct option opts[] = {
    {"graph", required_argument, 0, 'g'}, {"L", required_argument, 0, 'L'},
    {"torus", no_argument, 0, 't'}, {"chains", required_argument, 0, 'c'},
    {"sweeps", required_argument, 0, 'k'},
    {"threads", required_argument, 0, 'n'},
    {"beta", required_argument, 0, 'b'}, {"path", required_argument, 0, 'p'},
    {"ref-seconds", required_argument, 0, 'r'},
    {"seed", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};
  tk_err err = {0};
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    int rc = 0;
    switch (c) {
    case 'g': graph = optarg; break;
    case 'L': rc = tk_parse_long_in(optarg, "--L", 2, 4096, &L, &err); break;
    case 't': torus = 1; break;
    case 'c':
      rc = tk_parse_long_in(optarg, "--chains", 1, 1l << 24, &chains, &err);
      break;
    case 'k':
      rc = tk_parse_long_in(optarg, "--sweeps", 1, 1000000000l, &sweeps, &err);
      break;
    case 'n':
      rc = tk_parse_long_in(optarg, "--threads", 0, 1024, &threads, &err);
      break;
    case 'b':
      rc = tk_parse_double_in(optarg, "--beta", 0, 100, &beta, &err);
      break;
    case 'r':
      rc = tk_parse_double_in(optarg, "--ref-seconds", 0.01, 100, &ref_s,
                              &err);
      break;
    case 'p':
      if (parse_path(optarg, &path) != 0)
        return cmd_usage_error("bench gibbs", "--path: '%s' is not one of "
                               "auto, avx512, avx2, portable", optarg);
      break;
    case 's': rc = tk_parse_u64(optarg, "--seed", &seed, &err); break;
    case 'h': usage(stdout); return CMD_EXIT_OK;
    default:
      return cmd_usage_error("bench gibbs", "unknown option '%s'",
                             argv[optind - 1]);
    }
    if (rc != 0)
      return cmd_usage_error("bench gibbs", "%s", tk_err_text(&err));
  }
  if (optind < argc)
    return cmd_usage_error("bench gibbs", "unexpected argument '%s'",
                           argv[optind]);
  int jumps = tsu_grid_name_jumps(graph);
  if (jumps < 0)
    return cmd_usage_error("bench gibbs", "--graph: '%s' is not one of G4, "
                           "G8, G12, G16, G20, G24", graph);

  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_cells *cells = NULL;
  tsu_sampler *s = NULL;
  int8_t *spin = NULL;
  int rc = tsu_graph_grid((uint32_t)L, jumps, torus, &g, &err);
  if (rc == 0) {
    tsu_graph_random_model(g, seed, 1.0, 0.1);
    rc = tsu_coloring_build(g, &col, &err);
  }
  tsu_cell_params cp = tsu_cell_ideal_params(beta);
  if (rc == 0)
    rc = tsu_cells_build(&cp, g->n, &cells, &err);
  if (rc == 0)
    rc = tsu_sampler_alloc(g, col, cells, (uint32_t)chains, seed, path, &s,
                           &err);
  if (rc != 0) {
    int x = cmd_fail("bench gibbs", &err);
    tsu_sampler_free(s); tsu_cells_free(cells); tsu_coloring_free(col);
    tsu_graph_free(g);
    return x;
  }
  /* fast kernel: one warm-up sweep, then the timed run */
  tsu_sampler_run(s, 1, (int)threads);
  double t0 = tk_clock_s();
  tsu_sampler_run(s, (uint64_t)sweeps, (int)threads);
  double fast_s = tk_clock_s() - t0;
  double n_chains_run = 64.0 * ((chains + 63) / 64);
  double flips = (double)g->n * n_chains_run * (double)sweeps;
  double edge_updates = 2.0 * g->n_edges * n_chains_run * (double)sweeps;

  /* reference kernel: one chain, as many sweeps as fit in ref_s */
  spin = malloc(g->n);
  tk_rng rng;
  tk_rng_init(&rng, seed, 0);
  tsu_ref_init(g->n, &rng, spin);
  long ref_sweeps = 0;
  t0 = tk_clock_s();
  double ref_el = 0;
  do {
    tsu_ref_sweep(g, col, cells, &rng, spin);
    ref_sweeps++;
    ref_el = tk_clock_s() - t0;
  } while (ref_el < ref_s);
  double ref_fpns = (double)g->n * ref_sweeps / (ref_el * 1e9);
  double fpns = flips / (fast_s * 1e9);

  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_str(&kv, "graph", graph);
  cmd_kv_long(&kv, "L", L);
  cmd_kv_long(&kv, "chains", (long)n_chains_run);
  cmd_kv_long(&kv, "sweeps", sweeps);
  cmd_kv_long(&kv, "threads", threads);
  char feat[128];
  cpu_features(feat, sizeof feat);
  cmd_kv_str(&kv, "path", tsu_sampler_path_name(s));
  cmd_kv_str(&kv, "cpu", feat);
  cmd_kv_double(&kv, "flips_per_ns", fpns);
  cmd_kv_double(&kv, "edge_updates_per_ns", edge_updates / (fast_s * 1e9));
  cmd_kv_double(&kv, "ref_flips_per_ns", ref_fpns);
  cmd_kv_double(&kv, "speedup", fpns / ref_fpns);
  cmd_kv_double(&kv, "seconds", fast_s);
  cmd_kv_end(&kv);
  free(spin);
  tsu_sampler_free(s); tsu_cells_free(cells); tsu_coloring_free(col);
  tsu_graph_free(g);
  return CMD_EXIT_OK;
}

int cmd_bench(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CMD_EXIT_USAGE : CMD_EXIT_OK;
  }
  if (strcmp(argv[1], "gibbs") == 0)
    return bench_gibbs(argc - 1, argv + 1);
  if (strcmp(argv[1], "dtm") == 0)
    return cmd_bench_dtm(argc - 1, argv + 1);
  if (argv[1][0] == '-')
    return cmd_usage_error("bench", "unknown option '%s' (want: bench gibbs "
                           "[options])", argv[1]);
  return cmd_usage_error("bench", "unknown benchmark '%s' (valid: gibbs, dtm)",
                         argv[1]);
}
