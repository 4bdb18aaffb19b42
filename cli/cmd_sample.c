/* cmd_sample.c -- `tsukit sample`: run the chip simulator, write moments.
 *
 * Builds the graph (grid or text file) and model, the cells (ideal, or
 * calibrated from a cell library at a chip temperature and clock), runs
 * the fast sampler for burn-in + K sweeps, accumulates node means and
 * edge correlations (batch means for the standard errors), accounts the
 * energy, and writes samples.h5.  Workload: seconds to minutes.
 *
 * --cells-kind potts|gauss take the double-precision reference paths of
 * tsu_potts.h (categorical cells) and tsu_gauss.h (continuous cells)
 * instead: same graph, model and summary keys; this file only builds the
 * model, calls their runners and writes the results.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "common/tk_progress.h"
#include "io/io_cells.h"
#include "io/io_h5.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_celltab.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_energy.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_potts.h"
#include "tsu/tsu_stats.h"

#define N_BATCHES 20

/* --cells-kind */
enum { KIND_SPIN = 0, KIND_POTTS = 1, KIND_GAUSS = 2 };
static const char *const kind_names[] = {"spin", "potts", "gauss"};

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
  const char *graph, *model, *cells, *cell, *out;
  long L, chains, threads;
  long sweeps, burn_in, sample_sweeps;
  double beta, temp_K, clock_Hz, design_K;
  uint64_t seed;
  int torus, force, save_states, have_temp;
  int kind;             /* KIND_SPIN, KIND_POTTS or KIND_GAUSS */
  long states;          /* Potts states K */
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
    case 'g': o->graph = optarg; break;
    case 'L': rc = tk_parse_long_in(optarg, "--L", 2, 4096, &o->L, &err); break;
    case 't': o->torus = 1; break;
    case 'm': o->model = optarg; break;
    case 'b': rc = tk_parse_double_in(optarg, "--beta", 0, 100, &o->beta, &err); break;
    case 'c': rc = tk_parse_long_in(optarg, "--chains", 1, 1l << 24, &o->chains, &err); break;
    case 'k': rc = tk_parse_long_in(optarg, "--sweeps", N_BATCHES, 1000000000l, &o->sweeps, &err); break;
    case 'B': rc = tk_parse_long_in(optarg, "--burn-in", 0, 1000000000l, &o->burn_in, &err); break;
    case 's': rc = tk_parse_u64(optarg, "--seed", &o->seed, &err); break;
    case 'n': rc = tk_parse_long_in(optarg, "--threads", 0, 1024, &o->threads, &err); break;
    case 'C': o->cells = optarg; break;
    case 'N': o->cell = optarg; break;
    case 'T': rc = tk_parse_temp_K(optarg, "--temp", &o->temp_K, &err); o->have_temp = 1; break;
    case 'F': rc = tk_parse_double_in(optarg, "--clock-hz", 1, 1e12, &o->clock_Hz, &err); break;
    case 'D': rc = tk_parse_temp_K(optarg, "--design-temp", &o->design_K, &err); break;
    case 'K': rc = tk_parse_long_in(optarg, "--sample-sweeps", 1, 1000000000l, &o->sample_sweeps, &err); break;
    case 'S': o->save_states = 1; break;
    case 'f': o->force = 1; break;
    case 'o': o->out = optarg; break;
    case 'X':
      o->kind = -1;
      for (int k = 0; k < 3; k++)
        if (strcmp(optarg, kind_names[k]) == 0)
          o->kind = k;
      if (o->kind < 0)
        return cmd_usage_error("sample", "--cells-kind '%s': expected spin, "
                               "potts or gauss", optarg);
      break;
    case 'Q':
      rc = tk_parse_long_in(optarg, "--states", 2, TSU_POTTS_MAX_K, &o->states, &err);
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
  if (o->out == NULL)
    return cmd_usage_error("sample", "-o FILE is required");
  if (o->cells != NULL && (o->cell == NULL || !o->have_temp))
    return cmd_usage_error("sample", "--cells needs --cell NAME and --temp T");
  if (o->cells == NULL && (o->cell != NULL || o->have_temp))
    return cmd_usage_error("sample", "--cell and --temp need --cells FILE");
  if (o->have_states && o->kind != KIND_POTTS)
    return cmd_usage_error("sample", "--states needs --cells-kind potts");
  if (o->cells != NULL && o->kind != KIND_SPIN)
    return cmd_usage_error("sample", "--cells (calibrated pbits) needs "
                           "--cells-kind spin");
  return 0;
}

/* Everything the run allocates, freed in one place. */
typedef struct sample_run {
  tsu_graph *g;
  tsu_coloring *col;
  tsu_cells *cells;
  tsu_celltab *tab;
  tsu_sampler *s;
  tsu_moments *mom;
  uint64_t *prev;
  double *buf;
  int32_t *ibuf;
  int8_t *states;
  /* --cells-kind potts / gauss */
  tsu_potts potts;          /* model (couplings from g, biases pot_h) */
  tsu_gauss gauss;          /* model (couplings from g, a from gauss_a) */
  double *pot_h;            /* [n][K] Potts per-state biases */
  double *gauss_a;          /* [n] Gaussian self-couplings */
  tsu_potts_chains *pc;     /* Potts chains */
  tsu_potts_moments *pm;    /* Potts moments */
  tsu_gauss_chains *gc;     /* Gaussian chains */
  tsu_gauss_moments *gm;    /* Gaussian moments */
} sample_run;

/* What write_output stores under /moments and /run. */
typedef struct sample_result {
  const double *mean, *mean_se; /* [n][mean_cols] */
  const double *corr, *corr_se; /* [n_edges] */
  size_t mean_cols;             /* 1 (spin, gauss) or K (potts) */
  const char *observables;      /* what mean and edge_corr hold */
  const char *kernel;           /* /run kernel attribute */
  double fpns;                  /* updates per ns, recorded sweeps */
  double activity;              /* state changes per update */
} sample_result;

static void run_free(sample_run *r)
{
  tsu_sampler_free(r->s);
  tsu_moments_free(r->mom);
  tsu_cells_free(r->cells);
  tsu_celltab_free(r->tab);
  tsu_coloring_free(r->col);
  tsu_graph_free(r->g);
  free(r->prev);
  free(r->buf);
  free(r->ibuf);
  free(r->states);
  free(r->pot_h);
  free(r->gauss_a);
  tsu_potts_chains_free(r->pc);
  tsu_potts_moments_free(r->pm);
  tsu_gauss_chains_free(r->gc);
  tsu_gauss_moments_free(r->gm);
}

static int build_graph(const sample_opts *o, sample_run *r, tk_err *err)
{
  int jumps = tsu_grid_name_jumps(o->graph);
  if (jumps > 0) {
    TK_TRY(tsu_graph_grid((uint32_t)o->L, jumps, o->torus, &r->g, err));
    if (strcmp(o->model, "random") == 0) {
      tsu_graph_random_model(r->g, o->seed, 1.0, 0.1);
    } else {
      tsu_graph *m = NULL;
      TK_TRY(tsu_graph_read(o->model, &m, err));
      int rc = tsu_graph_apply_model(r->g, m, err);
      tsu_graph_free(m);
      if (rc != 0)
        return tk_err_wrap(err, rc, "--model %s", o->model);
    }
  } else {
    if (strcmp(o->model, "random") != 0)
      return TK_FAIL(err, TK_EINVAL, "--model applies to grids; a graph "
                     "file carries its own weights");
    TK_TRY(tsu_graph_read(o->graph, &r->g, err));
  }
  return tsu_coloring_build(r->g, &r->col, err);
}

static int write_states(const sample_opts *o, sample_run *r, io_file *f,
                        tk_err *err)
{
  size_t n = r->g->n, ds[2] = {(size_t)o->chains, n};
  if (o->kind == KIND_POTTS)
    return io_write_u8(f, "/states/final", 2, ds,
                       tsu_potts_chains_states(r->pc), "1", err);
  if (o->kind == KIND_GAUSS)
    return io_write_f64(f, "/states/final", 2, ds,
                        tsu_gauss_chains_states(r->gc), "1", err);
  for (long c = 0; c < o->chains; c++)
    for (size_t i = 0; i < n; i++)
      r->states[(size_t)c * n + i] = (int8_t)tsu_sampler_spin(r->s, (uint32_t)c, (uint32_t)i);
  return io_write_i8(f, "/states/final", 2, ds, r->states, "1", err);
}

static int write_output(const sample_opts *o, sample_run *r,
                        const tsu_energy_report *en, const sample_result *res,
                        tk_err *err)
{
  tsu_graph *g = r->g;
  io_file *f = NULL;
  io_prov prov = {cmd_command_line(), o->seed};
  TK_TRY(io_file_create(o->out, &prov,
                        o->force ? IO_CREATE_OVERWRITE : IO_CREATE_KEEP, &f,
                        err));
  size_t n = g->n, m = g->n_edges;
  size_t dn[1] = {n}, dm[1] = {m}, de[2] = {m, 2}, dk[2] = {n, res->mean_cols};
  int rk = res->mean_cols > 1 ? 2 : 1;
  int rc = io_write_f64(f, "/moments/mean", rk, dk, res->mean, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/moments/mean_stderr", rk, dk, res->mean_se, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/moments/edge_corr", 1, dm, res->corr, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/moments/edge_corr_stderr", 1, dm, res->corr_se, "1", err);
  if (rc == 0) rc = io_attr_str(f, "/moments", "stderr_method", "batch means over 20 batches of sweeps, all chains pooled", err);
  if (rc == 0) rc = io_attr_str(f, "/moments", "observables", res->observables, err);
  for (size_t e = 0; rc == 0 && e < m; e++) {
    r->ibuf[2 * e] = (int32_t)g->ei[e];
    r->ibuf[2 * e + 1] = (int32_t)g->ej[e];
  }
  if (rc == 0) rc = io_write_i32(f, "/graph/edges", 2, de, r->ibuf, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/graph/J", 1, dm, g->w, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/graph/h", 1, dn, g->h, "1", err);
  if (rc == 0) rc = io_attr_str(f, "/graph", "spec", o->graph, err);
  if (rc == 0 && o->kind == KIND_GAUSS)
    rc = io_write_f64(f, "/graph/a", 1, dn, r->gauss_a, "1", err);
  if (rc == 0) rc = io_attr_i64(f, "/graph", "L", g->L, err);
  if (rc == 0) rc = io_attr_i64(f, "/graph", "torus", g->torus, err);
  if (rc == 0) rc = io_attr_i64(f, "/graph", "n_colors", r->col->n_colors, err);
  struct { const char *name; double v; } run_attrs[] = {
    {"beta", o->beta}, {"chains", (double)o->chains},
    {"sweeps", (double)o->sweeps}, {"burn_in", (double)o->burn_in},
    {"flips_per_ns", res->fpns}, {"flip_activity", res->activity},
  };
  if (rc == 0) rc = io_group(f, "/run", err);
  for (size_t k = 0; rc == 0 && k < sizeof run_attrs / sizeof run_attrs[0]; k++)
    rc = io_attr_f64(f, "/run", run_attrs[k].name, run_attrs[k].v, err);
  if (rc == 0) rc = io_attr_str(f, "/run", "kernel", res->kernel, err);
  if (rc == 0) rc = io_attr_str(f, "/run", "cells_kind", kind_names[o->kind], err);
  if (rc == 0 && o->kind == KIND_POTTS) rc = io_attr_i64(f, "/run", "states", o->states, err);
  if (rc == 0) rc = io_attr_str(f, "/run", "cells", o->cells ? o->cell : "ideal", err);
  struct { const char *name; double v; } en_ds[] = {
    {"/energy/rng_per_sweep_J", en->rng_J},
    {"/energy/bias_per_sweep_J", en->bias_J},
    {"/energy/clock_per_sweep_J", en->clock_J},
    {"/energy/wire_per_sweep_J", en->wire_J},
    {"/energy/per_sweep_J", en->per_sweep_J},
    {"/energy/readout_per_sample_J", en->readout_J},
    {"/energy/per_sample_J", en->per_sample_J},
    {"/energy/paper_per_sample_J", en->paper_per_sample_J},
  };
  size_t d1[1] = {1};
  for (size_t k = 0; rc == 0 && k < sizeof en_ds / sizeof en_ds[0]; k++)
    rc = io_write_f64(f, en_ds[k].name, 1, d1, &en_ds[k].v, "J", err);
  if (rc == 0) rc = io_attr_f64(f, "/energy", "sweeps_per_sample", (double)o->sample_sweeps, err);
  if (rc == 0 && o->save_states)
    rc = write_states(o, r, f, err);
  if (rc != 0) {
    io_file_abort(f);
    return rc;
  }
  return io_file_commit(f, err);
}

static void put_summary(cmd_kv *kv, const sample_opts *o, const sample_run *r,
                        uint64_t rec, const sample_result *res, double mag,
                        const tsu_energy_report *en)
{
  cmd_kv_str(kv, "out", o->out);
  cmd_kv_long(kv, "nodes", (long)r->g->n);
  cmd_kv_long(kv, "edges", (long)r->g->n_edges);
  cmd_kv_long(kv, "colors", (long)r->col->n_colors);
  cmd_kv_long(kv, "chains", o->chains);
  cmd_kv_long(kv, "sweeps", (long)rec);
  cmd_kv_double(kv, "flips_per_ns", res->fpns);
  cmd_kv_double(kv, "mean_magnetisation", mag);
  cmd_kv_double(kv, "flip_activity", res->activity);
  cmd_kv_double(kv, "energy_per_sweep_J", en->per_sweep_J);
  cmd_kv_double(kv, "energy_per_sample_J", en->per_sample_J);
  cmd_kv_double(kv, "paper_energy_per_sample_J", en->paper_per_sample_J);
  cmd_kv_double(kv, "rng_J", en->rng_J);
  cmd_kv_double(kv, "bias_J", en->bias_J);
  cmd_kv_double(kv, "clock_J", en->clock_J);
  cmd_kv_double(kv, "wire_J", en->wire_J);
}

/* --cells-kind potts|gauss: build the model on r->g, run burn-in and the
 * recorded sweeps on the tsu/ reference runners, and fill res and *mag
 * (arrays in r->buf). */
static int run_reference(const sample_opts *o, sample_run *r, uint64_t rec,
                         sample_result *res, double *mag, tk_err *err)
{
  const tsu_graph *g = r->g;
  size_t n = g->n, m = g->n_edges;
  size_t K = o->kind == KIND_POTTS ? (size_t)o->states : 1;
  uint32_t C = (uint32_t)o->chains;
  int nt = (int)o->threads;
  r->buf = malloc((2 * n * K + 2 * m + 1) * sizeof *r->buf);
  r->ibuf = malloc((2 * m + 1) * sizeof *r->ibuf);
  if (r->buf == NULL || r->ibuf == NULL)
    return TK_FAIL(err, TK_ENOMEM, "sample buffers");
  double *mean = r->buf, *mse = mean + n * K, *corr = mse + n * K;
  double *cse = corr + m, t0, t_rec, updates = (double)n * C * (double)rec;
  *mag = 0;
  if (o->kind == KIND_POTTS) {
    r->pot_h = malloc(n * K * sizeof *r->pot_h);
    if (r->pot_h == NULL)
      return TK_FAIL(err, TK_ENOMEM, "Potts biases");
    tsu_potts_bias_from_graph(g, (uint32_t)K, r->pot_h);
    r->potts = (tsu_potts){g, (uint32_t)K, r->pot_h, o->beta};
    TK_TRY(tsu_potts_chains_alloc(&r->potts, r->col, C, o->seed, &r->pc, err));
    TK_TRY(tsu_potts_moments_alloc(&r->potts, C, rec, N_BATCHES, &r->pm, err));
    TK_TRY(tsu_potts_chains_run(r->pc, (uint64_t)o->burn_in, nt, NULL, err));
    uint64_t ch0 = tsu_potts_chains_changes(r->pc);
    t0 = tk_clock_s();
    TK_TRY(tsu_potts_chains_run(r->pc, rec, nt, r->pm, err));
    t_rec = tk_clock_s() - t0;
    res->activity = (double)(tsu_potts_chains_changes(r->pc) - ch0) / updates;
    tsu_potts_moments_result(r->pm, mean, mse, corr, cse);
    for (size_t i = 0; i < n; i++)
      *mag += (K * mean[i * K + 1] - 1) / (K - 1.0);
    res->observables = "mean: P(s_i = k) [n, K]; edge_corr: P(s_i = s_j) "
                       "[n_edges]";
    res->kernel = "potts-reference";
  } else {
    r->gauss_a = malloc(n * sizeof *r->gauss_a);
    if (r->gauss_a == NULL)
      return TK_FAIL(err, TK_ENOMEM, "Gaussian self-couplings");
    tsu_gauss_diag_dominant(g, 1.0, r->gauss_a);
    r->gauss = (tsu_gauss){g, r->gauss_a, o->beta};
    TK_TRY(tsu_gauss_chains_alloc(&r->gauss, r->col, C, o->seed, &r->gc, err));
    TK_TRY(tsu_gauss_moments_alloc(g, C, rec, N_BATCHES, &r->gm, err));
    TK_TRY(tsu_gauss_chains_run(r->gc, (uint64_t)o->burn_in, nt, NULL, err));
    t0 = tk_clock_s();
    TK_TRY(tsu_gauss_chains_run(r->gc, rec, nt, r->gm, err));
    t_rec = tk_clock_s() - t0;
    res->activity = 1.0;
    tsu_gauss_moments_result(r->gm, mean, mse, corr, cse);
    for (size_t i = 0; i < n; i++)
      *mag += mean[i];
    res->observables = "mean: <x_i> [n]; edge_corr: <x_i x_j> [n_edges]; "
                       "a_i in /graph/a";
    res->kernel = "gauss-reference";
  }
  *mag /= (double)n;
  res->mean = mean;
  res->mean_se = mse;
  res->corr = corr;
  res->corr_se = cse;
  res->mean_cols = K;
  res->fpns = updates / (t_rec * 1e9);
  return TK_OK;
}

/* The whole run for --cells-kind potts|gauss; frees r. */
static int sample_reference(const sample_opts *o, sample_run *r, cmd_kv *kv)
{
  tk_err err = {0};
  uint64_t rec = (uint64_t)o->sweeps / N_BATCHES * N_BATCHES;
  sample_result res = {0};
  tsu_energy_report en;
  double mag = 0;
  int rc = run_reference(o, r, rec, &res, &mag, &err);
  if (rc == 0) {
    tsu_energy_params ep = tsu_energy_default_params();
    ep.activity = res.activity;
    rc = tsu_energy_compute(&ep, r->g, r->col->n_colors,
                            (double)o->sample_sweeps, &en, &err);
  }
  if (rc == 0)
    rc = write_output(o, r, &en, &res, &err);
  if (rc != 0) {
    int x = cmd_fail("sample", &err);
    run_free(r);
    return x;
  }
  put_summary(kv, o, r, rec, &res, mag, &en);
  run_free(r);
  return CMD_EXIT_OK;
}

int cmd_sample_kv(int argc, char **argv, cmd_kv *kv)
{
  sample_opts o = {"G12", "random", NULL, NULL, NULL, 70, 256, 0, 1000, 100,
                   250, 1.0, 0, 1e7, 300.0, 1, 0, 0, 0, 0,
                   KIND_SPIN, 3, 0};
  int prc = parse_opts(argc, argv, &o);
  if (prc != 0)
    return prc < 0 ? CMD_EXIT_OK : prc;
  sample_run r = {0};
  tk_err err = {0};
  tsu_energy_params ep = tsu_energy_default_params();
  int rc = build_graph(&o, &r, &err);
  if (rc == 0 && o.kind != KIND_SPIN)
    return sample_reference(&o, &r, kv);
  tsu_cell_params cp = tsu_cell_ideal_params(o.beta);
  if (rc == 0 && o.cells != NULL) {
    tsu_cellpoint at;
    rc = io_cells_read(o.cells, o.cell, &r.tab, &err);
    if (rc == 0)
      rc = tsu_celltab_params(r.tab, o.temp_K, o.design_K, o.beta,
                              o.clock_Hz, r.col->n_colors, o.seed, &cp, &at,
                              &err);
    if (rc == 0 && at.energy_J > 0)
      ep.e_rng_J = at.energy_J;
    ep.tau_s = cp.tau_s;
    ep.dt_s = cp.dt_s;
  }
  if (rc == 0)
    rc = tsu_cells_build(&cp, r.g->n, &r.cells, &err);
  if (rc == 0)
    rc = tsu_sampler_alloc(r.g, r.col, r.cells, (uint32_t)o.chains, o.seed,
                           TSU_PATH_AUTO, &r.s, &err);
  uint64_t rec = (uint64_t)o.sweeps / N_BATCHES * N_BATCHES;
  if (rc == 0)
    rc = tsu_moments_alloc(r.g, (uint32_t)o.chains, rec, N_BATCHES, &r.mom,
                           &err);
  uint32_t ng = 0;
  if (rc == 0) {
    tsu_sampler_bits(r.s, &ng);
    size_t n = r.g->n, m = r.g->n_edges;
    r.prev = malloc(n * ng * 8);
    r.buf = malloc((2 * n + 2 * m + 1) * sizeof *r.buf);
    r.ibuf = malloc((2 * m + 1) * sizeof *r.ibuf);
    r.states = o.save_states ? malloc((size_t)o.chains * n + 1) : NULL;
    if (r.prev == NULL || r.buf == NULL || r.ibuf == NULL ||
        (o.save_states && r.states == NULL))
      rc = TK_FAIL(&err, TK_ENOMEM, "sample buffers");
  }
  if (rc != 0) {
    int x = cmd_fail("sample", &err);
    run_free(&r);
    return x;
  }
  int nt = (int)o.threads;
  tk_progress pr;
  tk_progress_init(&pr, "sweeps", (double)(o.burn_in + (long)rec), 0);
  double t0 = tk_clock_s();
  for (long t = 0; t < o.burn_in; t += 10) {
    tsu_sampler_run(r.s, (uint64_t)(o.burn_in - t < 10 ? o.burn_in - t : 10), nt);
    tk_progress_update(&pr, (double)t);
  }
  double t_rec = 0, flips_changed = 0, mag = 0;
  size_t n = r.g->n;
  uint32_t last = (uint32_t)(o.chains - 64 * (ng - 1));
  uint64_t lastmask = last >= 64 ? ~0ull : ((1ull << last) - 1);
  for (uint64_t t = 0; t < rec; t++) {
    const uint64_t *b = tsu_sampler_bits(r.s, NULL);
    memcpy(r.prev, b, n * ng * 8);
    double ts = tk_clock_s();
    tsu_sampler_run(r.s, 1, nt);
    t_rec += tk_clock_s() - ts;
    b = tsu_sampler_bits(r.s, NULL);
    for (size_t k = 0; k < n * ng; k++) {
      uint64_t valid = (k % ng == ng - 1) ? lastmask : ~0ull;
      flips_changed += __builtin_popcountll((b[k] ^ r.prev[k]) & valid);
    }
    tsu_moments_add(r.mom, r.g, b, ng, (uint32_t)o.chains);
    if (t % 16 == 0)
      tk_progress_update(&pr, (double)(o.burn_in + (long)t));
  }
  tk_progress_finish(&pr);
  double wall = tk_clock_s() - t0;
  (void)wall;
  double updates = (double)n * (double)o.chains * (double)rec;
  double fpns = updates / (t_rec * 1e9);
  double activity = flips_changed / updates;
  ep.activity = activity;
  tsu_energy_report en;
  rc = tsu_energy_compute(&ep, r.g, r.col->n_colors, (double)o.sample_sweeps,
                          &en, &err);
  sample_result res = {0};
  if (rc == 0) {
    size_t m = r.g->n_edges;
    double *mean = r.buf, *mse = mean + n, *corr = mse + n, *cse = corr + m;
    tsu_moments_result(r.mom, mean, mse, corr, cse);
    /* mean magnetisation: average node mean */
    for (size_t i = 0; i < n; i++)
      mag += mean[i];
    mag /= (double)n;
    res = (sample_result){mean, mse, corr, cse, 1,
                          "mean: <s_i> [n]; edge_corr: <s_i s_j> [n_edges]",
                          tsu_sampler_path_name(r.s), fpns, activity};
    rc = write_output(&o, &r, &en, &res, &err);
  }
  if (rc != 0) {
    int x = cmd_fail("sample", &err);
    run_free(&r);
    return x;
  }
  put_summary(kv, &o, &r, rec, &res, mag, &en);
  run_free(&r);
  return CMD_EXIT_OK;
}

int cmd_sample(int argc, char **argv)
{
  return cmd_print_kv(cmd_sample_kv, argc, argv);
}
