/* cmd_sample.c -- `tsukit sample`: option parsing and the summary line
 * around run_sample (run/run_sample.h), which builds the graph, model and
 * cells, runs the chains (tsu/tsu_run.h) and writes the samples file
 * (io/io_samples.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "run/run_sample.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_potts.h"

#define N_BATCHES 20  /* --sweeps minimum: one sweep per batch */

static const char sa_synopsis[] =
  "tsukit sample [--graph G12|FILE] [--L 70] [--torus]\n"
  "                     [--model random|FILE] [--beta B] [--chains C]\n"
  "                     [--sweeps K] [--burn-in B] [--seed S] [--threads N]\n"
  "                     [--cells cells.h5 --cell NAME --temp T\n"
  "                      [--clock-hz F] [--design-temp T] [--clip]\n"
  "                      [--mismatch auto|instances|gaussian|none]\n"
  "                      [--trim [--trim-lsb V]]]\n"
  "                     [--sample-sweeps K] [--save-states] [--force]\n"
  "                     [--cells-kind spin|potts|gauss|mixed] [--states K]\n"
  "                     [--node-kinds LIST|FILE]\n"
  "                     [--kernel fast|reference]\n"
  "                     [--path auto|avx512|avx2|portable]\n"
  "                     -o samples.h5";
static const char sa_about[] =
  "Chromatic block Gibbs on a TSU grid (G4..G24) or a text graph file\n"
  "('b i h' and 'e i j w' lines).  Writes /moments/mean [n],\n"
  "/moments/edge_corr [n_edges] (file-edge order) with their standard\n"
  "errors (batch means), the graph, the energy report and provenance.\n"
  "With --cells the summary adds chip_tau_s and chip_s_per_sample, the\n"
  "simulated chip's wall-clock time per sample: --sample-sweeps x colours x\n"
  "the library's tau at --temp; with a library's measured instances on\n"
  "the nodes, the slowest node's own tau (a colour is done when its\n"
  "slowest cell is; run/run_chiptime.h).\n"
  "\n"
  "Cell kinds (--cells-kind, default spin):\n"
  "  spin   s in {-1,+1}, the fast kernel (above);\n"
  "  potts  s in 0..K-1, E = -sum J_ij [s_i = s_j] - sum h_i [s_i = 1]\n"
  "         (same J, h as spins; K = 2 is Ising with J/2, h/2);\n"
  "         /moments/mean is P(s_i = k) [n, K], /moments/edge_corr\n"
  "         P(s_i = s_j), mean_magnetisation the mean over nodes of\n"
  "         (K P(s_i = 1) - 1) / (K - 1);\n"
  "  gauss  x real, E = sum (a_i/2) x_i^2 - sum h_i x_i - sum J_ij x_i x_j\n"
  "         with a_i = 1 + sum_j |J_ij| (positive definite);\n"
  "         /moments/mean is <x_i> [n], /moments/edge_corr <x_i x_j>,\n"
  "         mean_magnetisation the mean of <x_i> over nodes.\n"
  "potts and gauss (no --cells) run the fast SIMD kernels (tsu/tsu_fastpotts.h,\n"
  "tsu/tsu_fastgauss.h: fp32, 16 chains per lane group, the best code path\n"
  "of this CPU; the path is the file's kernel attribute), or with --kernel\n"
  "reference the double-precision reference chains; the two draw different\n"
  "random numbers, so their samples agree in distribution, not bit for bit.\n"
  "There flips_per_ns counts cell updates per ns, and flip_activity is the\n"
  "fraction of updates that changed the state (1 for gauss); the energy\n"
  "report applies the pbit cell model to them unchanged.\n"
  "  mixed  spin, categorical and continuous nodes in one graph\n"
  "         (tsu/tsu_mixed.h): --node-kinds spin,cat,cont (a list cycled\n"
  "         over the node index) or a file of 'i kind' lines (unlisted\n"
  "         nodes are spin); a categorical node couples to a scalar\n"
  "         neighbour through [c = 1], two categorical nodes through\n"
  "         [c_i = c_j]; continuous a_i as gauss; /moments/mean [n, K]\n"
  "         (spin <s>, continuous <x> in column 0, categorical P(c = k)),\n"
  "         /graph/node_kind; the double-precision reference sampler.\n"
  "\n"
  "Calibrated cells (--cells L.h5 --cell NAME --temp T): a pbit library\n"
  "drives spin nodes (the fast kernel); a categorical library written by\n"
  "`calibrate --cell cat4` drives categorical nodes (K from the library)\n"
  "and a gmm library (`calibrate --cell gmm2`) continuous ones: each\n"
  "update's ideal conditional is mapped to the cell's controls and the\n"
  "cell's calibrated response at --temp is sampled (calibrate/\n"
  "cal_nodemap.h; mismatch/ when present, finite tau as a hold\n"
  "probability exp(-dt/tau), energy per update from the library).  Without\n"
  "--cells-kind the node kind follows the library; mixed graphs take one\n"
  "categorical and one gmm library as --cells A.h5,B.h5 --cell cat4,gmm2.\n"
  "A conditional the cell cannot reach inside its calibrated control range\n"
  "is an error (exit 2) naming the range, or with --clip is clipped and\n"
  "the deviation reported (map_dev_mean, map_dev_max); --temp and\n"
  "--design-temp must lie in the calibrated span (+-0.5 K).\n";

/* --cells-kind: spin, potts or gauss */
static int parse_kind(const char *arg, const char *what, void *target,
                      tk_err *err)
{
  if (run_sample_kind_from_name(arg, target, NULL) != 0)
    return TK_FAIL(err, TK_ERANGE, "%s: '%s' is outside the valid range "
                   "{spin, potts, gauss, mixed}", what, arg);
  return TK_OK;
}

typedef struct sample_opts {
  run_sample_params p;  /* what the run needs */
  int have_temp;        /* --temp given */
  int have_mm;          /* --mismatch given */
  int have_states;      /* --states given */
  int kernel_ix;        /* --kernel: 0 fast, 1 reference */
  int have_kernel;      /* --kernel given */
  int have_kind;        /* --cells-kind given */
  int path_ix;          /* --path: index into path_words */
  int have_path;        /* --path given */
} sample_opts;

/* --path words, in the order of path_of[] (as bench gibbs) */
static const char *const path_words[] = {"auto", "avx512", "avx2", "portable",
                                         NULL};
static const int path_of[] = {TSU_PATH_AUTO, TSU_PATH_AVX512, TSU_PATH_AVX2,
                              TSU_PATH_PORTABLE};

/* --kernel words */
static const char *const kernel_words[] = {"fast", "reference", NULL};

/* 0, CMD_OPT_HELP (help printed) or CMD_EXIT_USAGE. */
static int parse_opts(int argc, char **argv, sample_opts *o)
{
  run_sample_params *p = &o->p;
  const cmd_opt opts[] = {
    {"graph", 0, CMD_OPT_STR, &p->graph, 0, 0, NULL, "G",
     "G4, G8, G12, G16, G20, G24 or a graph file (default G12)", 0, NULL,
     NULL, NULL},
    {"L", 0, CMD_OPT_LONG, &p->L, 2, 4096, NULL, "N",
     "grid side, 2..4096 (default 70)", 0, NULL, NULL, NULL},
    {"torus", 0, CMD_OPT_FLAG, &p->torus, 0, 0, NULL, NULL,
     "periodic boundary (default open)", 0, NULL, NULL, NULL},
    {"model", 0, CMD_OPT_STR, &p->model, 0, 0, NULL, "M",
     "grids: 'random' (J ~ U(-1,1), h ~ U(-0.1,0.1), from the seed; default) "
     "or a file of 'b'/'e' lines on grid edges", 0, NULL, NULL, NULL},
    {"beta", 0, CMD_OPT_DOUBLE, &p->beta, 0, 100, NULL, "B",
     "inverse temperature, 0..100 (default 1)", 0, NULL, NULL, NULL},
    {"chains", 0, CMD_OPT_LONG, &p->chains, 1, 1l << 24, NULL, "C",
     "chains, 1..16777216 (default 256)", 0, NULL, NULL, NULL},
    {"sweeps", 0, CMD_OPT_LONG, &p->sweeps, N_BATCHES, 1e9, NULL, "K",
     "recorded sweeps, 20..1e9 (default 1000)", 0, NULL, NULL, NULL},
    {"burn-in", 0, CMD_OPT_LONG, &p->burn_in, 0, 1e9, NULL, "B",
     "discarded sweeps, 0..1e9 (default 100)", 0, NULL, NULL, NULL},
    {"seed", 0, CMD_OPT_U64, &p->seed, 0, 0, NULL, "S",
     "random seed (default 1); also fixes the mismatch draw", 0, NULL, NULL,
     NULL},
    {"threads", 0, CMD_OPT_LONG, &p->threads, 0, 1024, NULL, "N",
     "OpenMP threads, 0..1024 (default 0 = all)", 0, NULL, NULL, NULL},
    {"cells", 0, CMD_OPT_STR, &p->cells, 0, 0, NULL, "FILE",
     "calibrated cell library (HDF5; schema in docs/ARCHITECTURE.md)", 0, NULL, NULL, NULL},
    {"cell", 0, CMD_OPT_STR, &p->cell, 0, 0, NULL, "NAME",
     "cell in the library (required with --cells)", 0, NULL, NULL, NULL},
    {"temp", 0, CMD_OPT_TEMP, &p->temp_K, 0, 0, NULL, "T",
     "chip temperature, K or with C suffix (required with --cells)", 0,
     &o->have_temp, NULL, NULL},
    {"clock-hz", 0, CMD_OPT_DOUBLE, &p->clock_Hz, 1, 1e12, "Hz", "F",
     "chip clock, one colour per cycle, 1..1e12 (default 1e7)", 0, NULL, NULL,
     NULL},
    {"design-temp", 0, CMD_OPT_TEMP, &p->design_K, 0, 0, NULL, "T",
     "temperature of the gamma -> voltage mapping (default: --temp, a "
     "compensated chip)", 0, NULL,
     NULL, NULL},
    {"sample-sweeps", 0, CMD_OPT_LONG, &p->sample_sweeps, 1, 1e9, NULL, "K",
     "sweeps per sample in the energy report, 1..1e9 (default 250, the "
     "paper's K)", 0, NULL, NULL, NULL},
    {"save-states", 0, CMD_OPT_FLAG, &p->save_states, 0, 0, NULL, NULL,
     "also write the final states /states/final [chains, n]", 0, NULL, NULL,
     NULL},
    {"cells-kind", 0, CMD_OPT_FN, &p->kind, 0, 0, NULL, "C",
     "cell kind: spin (default; with --cells the library's), potts, gauss "
     "or mixed (see above)", 0, &o->have_kind, NULL, parse_kind},
    {"node-kinds", 0, CMD_OPT_STR, &p->node_kinds, 0, 0, NULL, "LIST|FILE",
     "mixed: spin,cat,cont cycled over the nodes, or a file of 'i kind' "
     "lines", 0, NULL, NULL, NULL},
    {"mismatch", 0, CMD_OPT_CHOICE, &p->mismatch, 0, 0, NULL, "M",
     CMD_MISMATCH_HELP, 0, &o->have_mm, cmd_mismatch_choices, NULL},
    {"trim", 0, CMD_OPT_FLAG, &p->trim, 0, 0, NULL, NULL, CMD_TRIM_HELP, 0,
     NULL, NULL, NULL},
    {"trim-lsb", 0, CMD_OPT_DOUBLE, &p->trim_lsb_V, 0, 1, "V", "V",
     CMD_TRIM_LSB_HELP, CMD_OPT_LO_OPEN | CMD_OPT_HI_OPEN, NULL, NULL, NULL},
    {"clip", 0, CMD_OPT_FLAG, &p->clip, 0, 0, NULL, NULL,
     "calibrated cat4/gmm2 cells: clip unreachable conditionals to the "
     "calibrated control range and report the deviation (default: error)",
     0, NULL, NULL, NULL},
    {"states", 0, CMD_OPT_LONG, &p->states, 2, TSU_POTTS_MAX_K, NULL, "K",
     "states per Potts cell, 2..16 (default 3; potts only)", 0,
     &o->have_states, NULL, NULL},
    {"kernel", 0, CMD_OPT_CHOICE, &o->kernel_ix, 0, 0, NULL, "K",
     "potts, gauss: fast (default; SIMD, fp32, the best path of this CPU) "
     "or reference (double precision)", 0, &o->have_kernel, kernel_words,
     NULL},
    {"path", 0, CMD_OPT_CHOICE, &o->path_ix, 0, 0, NULL, "P",
     "fast kernels' code path: auto (default; the best of this CPU), "
     "avx512, avx2 or portable (the same samples on every path)", 0,
     &o->have_path, path_words, NULL},
    {"force", 0, CMD_OPT_FLAG, &p->force, 0, 0, NULL, NULL,
     "overwrite the output file", 0, NULL, NULL, NULL},
    {"output", 'o', CMD_OPT_STR, &p->out, 0, 0, NULL, "FILE",
     "output file (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {0}};
  const cmd_spec spec = {"sample", sa_synopsis, sa_about, opts, 0, NULL};
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc;
  if (o->p.cells != NULL && (o->p.cell == NULL || !o->have_temp))
    return cmd_usage_error("sample", "--cells needs --cell NAME and --temp T");
  if (o->p.cells == NULL && (o->p.cell != NULL || o->have_temp))
    return cmd_usage_error("sample", "--cell and --temp need --cells FILE");
  if (o->have_states && o->p.kind != RUN_SAMPLE_POTTS &&
      o->p.kind != RUN_SAMPLE_MIXED)
    return cmd_usage_error("sample", "--states needs --cells-kind potts or "
                           "mixed");
  if (o->have_states && o->p.cells != NULL)
    return cmd_usage_error("sample", "--states: a calibrated categorical "
                           "library brings its own K");
  if (o->have_kernel && (o->p.kind == RUN_SAMPLE_SPIN ||
                         o->p.kind == RUN_SAMPLE_MIXED))
    return cmd_usage_error("sample", "--kernel needs --cells-kind potts or "
                           "gauss");
  if (o->have_kernel && o->p.cells != NULL)
    return cmd_usage_error("sample", "--kernel: calibrated cat4/gmm2 cells "
                           "run on the reference mixed-node sampler");
  o->p.reference = o->kernel_ix == 1;
  if (o->p.node_kinds != NULL && o->p.kind != RUN_SAMPLE_MIXED)
    return cmd_usage_error("sample", "--node-kinds needs --cells-kind mixed");
  if (o->p.kind == RUN_SAMPLE_MIXED && o->p.node_kinds == NULL)
    return cmd_usage_error("sample", "--cells-kind mixed needs --node-kinds "
                           "LIST|FILE");
  if ((o->have_mm || o->p.trim) && o->p.cells == NULL)
    return cmd_usage_error("sample", "--mismatch/--trim need --cells");
  if (o->p.trim_lsb_V > 0 && !o->p.trim)
    return cmd_usage_error("sample", "--trim-lsb needs --trim");
  if (o->p.clip && o->p.cells == NULL)
    return cmd_usage_error("sample", "--clip needs --cells (calibrated "
                           "cat4/gmm2 cells)");
  o->p.infer_kind = o->p.cells != NULL && !o->have_kind;
  if (o->have_path && o->p.reference)
    return cmd_usage_error("sample", "--path needs the fast kernel (not "
                           "--kernel reference)");
  o->p.path = path_of[o->path_ix];
  int jumps = tsu_grid_name_jumps(o->p.graph);
  if (jumps > 0)
    return cmd_check_chip_size("sample", o->p.L, o->p.chains, jumps,
                               o->p.save_states);
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
  if (r->map_updates > 0) {
    cmd_kv_double(kv, "map_dev_mean", r->map_dev_mean);
    cmd_kv_double(kv, "map_dev_max", r->map_dev_max);
  }
  if (isfinite(r->chip.per_sample_s)) {
    cmd_kv_double(kv, "chip_tau_s", r->chip.tau_s);
    cmd_kv_double(kv, "chip_s_per_sample", r->chip.per_sample_s);
  }
  if (r->cell_mismatch[0] != '\0') {
    /* the description's first word (tsu_celltab_cells) */
    char w[24];
    snprintf(w, sizeof w, "%.*s", (int)strcspn(r->cell_mismatch, ":"),
             r->cell_mismatch);
    cmd_kv_str(kv, "cell_mismatch", w);
  }
}

int cmd_sample_kv(int argc, char **argv, cmd_kv *kv)
{
  sample_opts o = {.p = run_sample_default_params()};
  int prc = parse_opts(argc, argv, &o);
  if (prc != 0)
    return prc == CMD_OPT_HELP ? CMD_EXIT_OK : prc;
  o.p.command = cmd_command_line();
  run_sample_result res;
  tk_err err = {0};
  if (run_sample(&o.p, &res, &err) != 0)
    return cmd_fail("sample", &err);
  put_summary(kv, o.p.out, &res);
  if (res.gmm_cells)
    fprintf(stderr, "tsukit sample: warning: gmm cells realise each "
            "continuous node's conditional mean, not its variance or "
            "Gaussian shape: second moments are the cells', not the "
            "Gaussian model's (README, 'Calibrated cat4 / gmm2 chip "
            "nodes')\n");
  return CMD_EXIT_OK;
}

int cmd_sample(int argc, char **argv)
{
  return cmd_print_kv(cmd_sample_kv, argc, argv);
}
