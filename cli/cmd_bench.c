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
#include <time.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "common/tk_rng.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_fastgauss.h"
#include "tsu/tsu_fastpotts.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_potts.h"
#include "tsu/tsu_ref.h"

int cmd_bench_dtm(int argc, char **argv);
int cmd_bench_cells(int argc, char **argv); /* cmd_bench_cells.c */

/* The options of `bench gibbs` (static: usage() prints the table too). */
static struct {
  const char *graph;
  long L, chains, sweeps, threads;
  double beta, ref_s;
  uint64_t seed;
  int torus, path_ix, kind_ix, aes_ix;
  long states;
} gopt;

/* --aes words: auto, then TSU_AES_VAES, TSU_AES_NI, TSU_AES_NONE */
static const char *const aes_words[] = {"auto", "vaes", "aes-ni", "none",
                                        NULL};
static const int aes_of[] = {-1, TSU_AES_VAES, TSU_AES_NI, TSU_AES_NONE};

/* --cells-kind words */
static const char *const kind_words[] = {"spin", "potts", "gauss", NULL};

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
  {"aes", 0, CMD_OPT_CHOICE, &gopt.aes_ix, 0, 0, NULL, "A",
   "AES instructions of the spin kernel's random blocks: auto (default:\n"
   "the best the CPU has), vaes, aes-ni or none (same samples)", 0, NULL,
   aes_words, NULL},
  {"cells-kind", 0, CMD_OPT_CHOICE, &gopt.kind_ix, 0, 0, NULL, "C",
   "node kind: spin (default), potts or gauss", 0, NULL, kind_words, NULL},
  {"states", 0, CMD_OPT_LONG, &gopt.states, 2, TSU_FASTPOTTS_MAX_K, NULL,
   "K", "states per Potts node, 2..16 (default 4; potts only)", 0, NULL,
   NULL, NULL},
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
  "                          [--aes auto|vaes|aes-ni|none]\n"
  "                          [--cells-kind spin|potts|gauss] [--states K]\n"
  "                          [--ref-seconds S] [--seed S]",
  "Times chromatic block Gibbs on an L x L grid with random couplings\n"
  "J ~ U(-1,1), h ~ U(-0.1,0.1): the fast kernel (C chains, K sweeps)\n"
  "and the scalar reference kernel (one chain, double, exp per update)\n"
  "in the same run.  Prints the path, the AES instructions of its random\n"
  "blocks (aes=; --aes forces a lower level for comparison), the CPU\n"
  "features found (cpu=),\n"
  "flips_per_ns, edge_updates_per_ns, ref_flips_per_ns and speedup;\n"
  "with --threads 1 both are timed in thread CPU time (clock=), so the\n"
  "ratio holds on a shared machine; cpu_seconds: the CPU time of all\n"
  "threads in the timed run (with N threads, N x seconds on idle cores;\n"
  "the same as with one thread when the work splits without overhead).\n"
  "--cells-kind potts|gauss: the fast Potts (K = --states) or Gaussian\n"
  "kernel on the same chip (Potts: biases h_i on state 1; Gaussian:\n"
  "a_i = 1 + sum_j |J_ij|) and its double-precision reference (16\n"
  "chains, one thread) in the same run, and the spin kernel on the same\n"
  "path too: updates_per_ns, ref_updates_per_ns, speedup,\n"
  "spin_flips_per_ns and vs_spin = updates_per_ns / spin_flips_per_ns;\n"
  "with --threads 1 all three are timed in thread CPU time (clock=), so\n"
  "the ratios hold on a shared machine.\n",
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
  static const char *const name[10] = {"avx2", "fma", "avx512f", "avx512dq",
                                       "avx512bw", "avx512vbmi", "gfni",
                                       "bmi2", "aes", "vaes"};
  int on[10];   /* __builtin_cpu_supports wants literal names */
  on[0] = __builtin_cpu_supports("avx2");
  on[1] = __builtin_cpu_supports("fma");
  on[2] = __builtin_cpu_supports("avx512f");
  on[3] = __builtin_cpu_supports("avx512dq");
  on[4] = __builtin_cpu_supports("avx512bw");
  on[5] = __builtin_cpu_supports("avx512vbmi");
  on[6] = __builtin_cpu_supports("gfni");
  on[7] = __builtin_cpu_supports("bmi2");
  on[8] = __builtin_cpu_supports("aes");
  on[9] = __builtin_cpu_supports("vaes");
  for (int k = 0; k < 10; k++)
    if (on[k]) {
      size_t len = strlen(buf);
      snprintf(buf + len, n - len, "%s%s", len ? "," : "", name[k]);
    }
#endif
  if (buf[0] == '\0')
    snprintf(buf, n, "none");
}

/* The clock of bench_nodes: with one thread the calling thread's CPU
 * time (all the work runs on it; a shared machine's other load does not
 * count), else wall time. */
static double node_clock(void)
{
  struct timespec ts;
  clock_gettime(gopt.threads == 1 ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC,
                &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the whole process (all threads), s. */
static double process_cpu_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Spin kernel flips/ns on g with path `path` (ideal cells, gopt's
 * chains, sweeps, threads and beta); < 0 on failure (err set). */
static double spin_fpns(const tsu_graph *g, const tsu_coloring *col,
                        int path, tk_err *err)
{
  tsu_cell_params cp = tsu_cell_ideal_params(gopt.beta);
  tsu_cells *cells = NULL;
  tsu_sampler *s = NULL;
  double r = -1;
  if (tsu_cells_build(&cp, g->n, &cells, err) == 0 &&
      tsu_sampler_alloc(g, col, cells, (uint32_t)gopt.chains, gopt.seed,
                        path, &s, err) == 0) {
    tsu_sampler_run(s, 1, (int)gopt.threads);
    double t0 = node_clock();
    tsu_sampler_run(s, (uint64_t)gopt.sweeps, (int)gopt.threads);
    double el = node_clock() - t0;
    r = (double)g->n * 64.0 * ((gopt.chains + 63) / 64) * gopt.sweeps /
        (el * 1e9);
  }
  tsu_sampler_free(s);
  tsu_cells_free(cells);
  return r;
}

/* bench gibbs --cells-kind potts|gauss: the fast node kernel, its
 * reference and the spin kernel, all on the same chip and path. */
static int bench_nodes(const char *graph, int jumps, int path)
{
  tk_err err = {0};
  int potts = gopt.kind_ix == 1;
  uint32_t K = (uint32_t)gopt.states, C = (uint32_t)gopt.chains;
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  double *par = NULL;
  tsu_fastpotts *fp = NULL;
  tsu_fastgauss *fg = NULL;
  tsu_potts_chains *rp = NULL;
  tsu_gauss_chains *rg = NULL;
  tsu_potts pm;
  tsu_gauss gm;
  int rc = tsu_graph_grid((uint32_t)gopt.L, jumps, gopt.torus, &g, &err);
  if (rc == 0) {
    tsu_graph_random_model(g, gopt.seed, 1.0, 0.1);
    rc = tsu_coloring_build(g, &col, &err);
  }
  if (rc == 0 && (par = malloc((size_t)g->n * (potts ? K : 1) *
                               sizeof *par)) == NULL)
    rc = TK_FAIL(&err, TK_ENOMEM, "model parameters");
  if (rc == 0 && potts) {
    tsu_potts_bias_from_graph(g, K, par);
    pm = (tsu_potts){g, K, par, gopt.beta};
    rc = tsu_fastpotts_alloc(&pm, col, C, gopt.seed, path, &fp, &err);
    if (rc == 0)
      rc = tsu_potts_chains_alloc(&pm, col, 16, gopt.seed, &rp, &err);
  } else if (rc == 0) {
    tsu_gauss_diag_dominant(g, 1.0, par);
    gm = (tsu_gauss){g, par, gopt.beta > 0 ? gopt.beta : 1e-9};
    rc = tsu_fastgauss_alloc(&gm, col, C, gopt.seed, path, &fg, &err);
    if (rc == 0)
      rc = tsu_gauss_chains_alloc(&gm, col, 16, gopt.seed, &rg, &err);
  }
  double fast_s = 0, ref_el = 0, ref_sweeps = 0, spin = -1;
  int nt = (int)gopt.threads;
  if (rc == 0) {   /* fast kernel: one warm-up sweep, then the timed run */
    rc = potts ? tsu_fastpotts_run(fp, 1, nt, NULL, &err)
               : tsu_fastgauss_run(fg, 1, nt, NULL, &err);
    double t0 = node_clock();
    if (rc == 0)
      rc = potts ? tsu_fastpotts_run(fp, (uint64_t)gopt.sweeps, nt, NULL,
                                     &err)
                 : tsu_fastgauss_run(fg, (uint64_t)gopt.sweeps, nt, NULL,
                                     &err);
    fast_s = node_clock() - t0;
  }
  if (rc == 0) {   /* reference: 16 chains, one thread, ref_s seconds */
    double t0 = node_clock();
    do {
      rc = potts ? tsu_potts_chains_run(rp, 1, 1, NULL, &err)
                 : tsu_gauss_chains_run(rg, 1, 1, NULL, &err);
      ref_sweeps += 1;
      ref_el = node_clock() - t0;
    } while (rc == 0 && ref_el < gopt.ref_s);
  }
  if (rc == 0 && (spin = spin_fpns(g, col, path, &err)) < 0)
    rc = err.status ? err.status : TK_EINVAL;
  int x = CMD_EXIT_OK;
  if (rc != 0) {
    x = cmd_fail("bench gibbs", &err);
  } else {
    double chains_run = 16.0 * ((C + 15) / 16);
    double ups = (double)g->n * chains_run * gopt.sweeps / (fast_s * 1e9);
    double ref = (double)g->n * 16.0 * ref_sweeps / (ref_el * 1e9);
    cmd_kv kv;
    cmd_kv_init(&kv);
    cmd_kv_str(&kv, "graph", graph);
    cmd_kv_long(&kv, "L", gopt.L);
    cmd_kv_str(&kv, "cells_kind", kind_words[gopt.kind_ix]);
    if (potts)
      cmd_kv_long(&kv, "states", (long)K);
    cmd_kv_long(&kv, "chains", (long)chains_run);
    cmd_kv_long(&kv, "sweeps", gopt.sweeps);
    cmd_kv_long(&kv, "threads", gopt.threads);
    char feat[128];
    cpu_features(feat, sizeof feat);
    cmd_kv_str(&kv, "path", potts ? tsu_fastpotts_path_name(fp)
                                  : tsu_fastgauss_path_name(fg));
    cmd_kv_str(&kv, "cpu", feat);
    cmd_kv_double(&kv, "updates_per_ns", ups);
    cmd_kv_double(&kv, "ref_updates_per_ns", ref);
    cmd_kv_double(&kv, "speedup", ups / ref);
    cmd_kv_double(&kv, "spin_flips_per_ns", spin);
    cmd_kv_double(&kv, "vs_spin", ups / spin);
    cmd_kv_double(&kv, "seconds", fast_s);
    cmd_kv_str(&kv, "clock", gopt.threads == 1 ? "thread-cpu" : "wall");
    cmd_kv_end(&kv);
  }
  tsu_fastpotts_free(fp);
  tsu_fastgauss_free(fg);
  tsu_potts_chains_free(rp);
  tsu_gauss_chains_free(rg);
  free(par);
  tsu_coloring_free(col);
  tsu_graph_free(g);
  return x;
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
  gopt.kind_ix = 0;
  gopt.aes_ix = 0;
  gopt.states = 4;
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
  if (cmd_check_chip_size("bench gibbs", L, chains, jumps, 0) != 0)
    return CMD_EXIT_USAGE;

  if (gopt.kind_ix == 0 && gopt.states != 4)
    return cmd_usage_error("bench gibbs", "--states needs --cells-kind potts");
  if (gopt.kind_ix != 0 && gopt.aes_ix != 0)
    return cmd_usage_error("bench gibbs", "--aes applies to the spin kernel "
                           "only (the Potts and Gaussian kernels draw from "
                           "Philox)");
  if (gopt.kind_ix != 0)
    return bench_nodes(graph, jumps, path);

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
  if (rc == 0 && aes_of[gopt.aes_ix] >= 0)
    rc = tsu_sampler_set_aes(s, aes_of[gopt.aes_ix], &err);
  if (rc != 0) {
    int x = cmd_fail("bench gibbs", &err);
    tsu_sampler_free(s); tsu_cells_free(cells); tsu_coloring_free(col);
    tsu_graph_free(g);
    return x;
  }
  /* fast kernel: one warm-up sweep, then the timed run (node_clock:
   * thread CPU time with one thread, so the figures and their ratio hold
   * on a shared machine; wall time with more) */
  tsu_sampler_run(s, 1, (int)threads);
  double c0 = process_cpu_s(), t0 = node_clock();
  tsu_sampler_run(s, (uint64_t)sweeps, (int)threads);
  double fast_s = node_clock() - t0, cpu_s = process_cpu_s() - c0;
  double n_chains_run = 64.0 * ((chains + 63) / 64);
  double flips = (double)g->n * n_chains_run * (double)sweeps;
  double edge_updates = 2.0 * g->n_edges * n_chains_run * (double)sweeps;

  /* reference kernel: one chain, as many sweeps as fit in ref_s */
  spin = malloc(g->n);
  tk_rng rng;
  tk_rng_init(&rng, seed, 0);
  tsu_ref_init(g->n, &rng, spin);
  long ref_sweeps = 0;
  t0 = node_clock();
  double ref_el = 0;
  do {
    tsu_ref_sweep(g, col, cells, &rng, spin);
    ref_sweeps++;
    ref_el = node_clock() - t0;
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
  cmd_kv_str(&kv, "aes", tsu_sampler_aes_name(s));
  cmd_kv_str(&kv, "cpu", feat);
  cmd_kv_double(&kv, "flips_per_ns", fpns);
  cmd_kv_double(&kv, "edge_updates_per_ns", edge_updates / (fast_s * 1e9));
  cmd_kv_double(&kv, "ref_flips_per_ns", ref_fpns);
  cmd_kv_double(&kv, "speedup", fpns / ref_fpns);
  cmd_kv_double(&kv, "seconds", fast_s);
  cmd_kv_str(&kv, "clock", threads == 1 ? "thread-cpu" : "wall");
  cmd_kv_double(&kv, "cpu_seconds", cpu_s);
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
