/* cmd_bench.c -- `tsukit bench gibbs`: speed of the Gibbs kernels
 * (`tsukit bench dtm`: cmd_bench_dtm.c).
 *
 * Times the fast sampler on a grid (G4..G24, random fp32 couplings) and,
 * in the same run, the scalar reference kernel on one chain of the same
 * chip, and prints the kernel path, the CPU features the dispatch looks
 * at, flips/ns for both and their ratio.  Workload: a few seconds; the
 * reference run is capped at about --ref-seconds.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "common/tk_progress.h"
#include "common/tk_rng.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_ref.h"

int cmd_bench_dtm(int argc, char **argv);
int cmd_bench_cells(int argc, char **argv); /* cmd_bench_cells.c */

/* The options of `bench gibbs` (static: usage() prints the table too). */
static struct {
  const char *graph;
  long L, chains, sweeps, threads;
  double beta, ref_s;
  uint64_t seed;
  int torus, path_ix;
} gopt;

/* --path words, in the order of path_of[] */
static const char *const path_words[] = {"auto", "avx512", "avx2", "portable",
                                         NULL};
static const int path_of[] = {TSU_PATH_AUTO, TSU_PATH_AVX512, TSU_PATH_AVX2,
                              TSU_PATH_PORTABLE};

static const cmd_opt gibbs_opts[] = {
  {"graph", 0, CMD_OPT_STR, &gopt.graph, 0, 0, NULL, "G",
   "G4, G8, G12, G16, G20 or G24 (default G12)", 0, NULL, NULL, NULL},
  {"L", 0, CMD_OPT_LONG, &gopt.L, 2, 4096, NULL, "N",
   "grid side, 2..4096 (default 70)", 0, NULL, NULL, NULL},
  {"torus", 0, CMD_OPT_FLAG, &gopt.torus, 0, 0, NULL, NULL,
   "periodic boundary (default open)", 0, NULL, NULL, NULL},
  {"chains", 0, CMD_OPT_LONG, &gopt.chains, 1, 1l << 24, NULL, "C",
   "chains, 1..16777216 (default 256)", 0, NULL, NULL, NULL},
  {"sweeps", 0, CMD_OPT_LONG, &gopt.sweeps, 1, 1e9, NULL, "K",
   "sweeps, 1..1e9 (default 200)", 0, NULL, NULL, NULL},
  {"threads", 0, CMD_OPT_LONG, &gopt.threads, 0, 1024, NULL, "N",
   "OpenMP threads, 0..1024 (default 1; 0 = all)", 0, NULL, NULL, NULL},
  {"beta", 0, CMD_OPT_DOUBLE, &gopt.beta, 0, 100, NULL, "B",
   "inverse temperature, 0..100 (default 0.5)", 0, NULL, NULL, NULL},
  {"path", 0, CMD_OPT_CHOICE, &gopt.path_ix, 0, 0, NULL, "P",
   "kernel path: auto (default), avx512, avx2 or portable", 0, NULL,
   path_words, NULL},
  {"ref-seconds", 0, CMD_OPT_DOUBLE, &gopt.ref_s, 0.01, 100, "s", "S",
   "time budget of the reference run, 0.01..100 (default 0.5)", 0, NULL,
   NULL, NULL},
  {"seed", 0, CMD_OPT_U64, &gopt.seed, 0, 0, NULL, "S",
   "random seed (default 1)", 0, NULL, NULL, NULL},
  {0}};

static const cmd_spec gibbs_spec = {
  "bench gibbs",
  "tsukit bench gibbs [--graph G12] [--L 70] [--torus] [--chains C]\n"
  "                          [--sweeps K] [--threads N] [--beta B]\n"
  "                          [--path auto|avx512|avx2|portable]\n"
  "                          [--ref-seconds S] [--seed S]",
  "Times chromatic block Gibbs on an L x L grid with random couplings\n"
  "J ~ U(-1,1), h ~ U(-0.1,0.1): the fast kernel (C chains, K sweeps)\n"
  "and the scalar reference kernel (one chain, double, exp per update)\n"
  "in the same run.  Prints the path, the CPU features found (cpu=),\n"
  "flips_per_ns, edge_updates_per_ns, ref_flips_per_ns and speedup.\n",
  gibbs_opts, 0, NULL};

static void usage(FILE *f)
{
  cmd_opt_usage(&gibbs_spec, f);
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

static int bench_gibbs(int argc, char **argv)
{
  gopt.graph = "G12";
  gopt.L = 70;
  gopt.chains = 256;
  gopt.sweeps = 200;
  gopt.threads = 1;
  gopt.beta = 0.5;
  gopt.ref_s = 0.5;
  gopt.seed = 1;
  gopt.torus = 0;
  gopt.path_ix = 0;
  tk_err err = {0};
  int prc = cmd_opt_parse(&gibbs_spec, argc, argv, NULL, NULL);
  if (prc != CMD_OPT_OK)
    return prc == CMD_OPT_HELP ? CMD_EXIT_OK : prc;
  const char *graph = gopt.graph;
  long L = gopt.L, chains = gopt.chains, sweeps = gopt.sweeps;
  long threads = gopt.threads;
  double beta = gopt.beta, ref_s = gopt.ref_s;
  uint64_t seed = gopt.seed;
  int torus = gopt.torus, path = path_of[gopt.path_ix];
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
  if (strcmp(argv[1], "cells") == 0)
    return cmd_bench_cells(argc - 1, argv + 1);
  if (argv[1][0] == '-')
    return cmd_usage_error("bench", "unknown option '%s' (want: bench gibbs "
                           "[options])", argv[1]);
  return cmd_usage_error("bench", "unknown benchmark '%s' (valid: gibbs, dtm, "
                         "cells)",
                         argv[1]);
}
