/* cmd_dtm_sample.c -- `tsukit dtm sample`: generation from noise on
 * ideal or calibrated (mismatched, finite-tau) cells, with the energy per
 * sample from the chip's energy accounting beside the paper's formula
 * T K L^2 E_cell.  Workload: T x sweeps x (L^2 + 884) x n cell updates,
 * seconds for 1000 samples of the 70 x 70 G12 model. */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/dtm_cli.h"
#include "common/tk_parse.h"
#include "common/tk_progress.h"
#include "io/io_cells.h"
#include "io/io_dtm.h"
#include "io/io_h5.h"
#include "tsu/tsu_celltab.h"
#include "tsu/tsu_energy.h"

static void usage_sample(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm sample --model MODEL.h5 --n N -o SAMPLES.h5\n"
    "         [--label C|all] [--sweeps K] [--steps T] [--seed S]\n"
    "         [--cells LIB.h5 --cell NAME --temp K [--design-temp K]\n"
    "          [--clock-hz F]] [--threads N] [--force]\n"
    "\n"
    "  --n N           samples, 1..1000000\n"
    "  --label C|all   clamp the label spins to class C (0..9), or 'all' for\n"
    "                  n/10 per class; default free labels\n"
    "  --sweeps K      sweeps per step (default: the model's)\n"
    "  --steps T       check that the model has T steps\n"
    "  --cells ...     run on calibrated cells from a cell library at chip\n"
    "                  temperature --temp (design temperature default 300 K,\n"
    "                  clock default 1e7 Hz): mismatch and finite tau\n"
    "\n"
    "Writes images [n,28,28], labels, the denoising chain of the first 16\n"
    "samples and the energy report.  Summary: samples steps sweeps wall_s\n"
    "flips_per_ns activity energy_per_sample_J paper_energy_per_sample_J\n"
    "energy_ratio.\n");
}

typedef struct sample_opts {
  const char *model, *out, *cells, *cell;
  uint32_t n, sweeps, steps;
  int label;             /* -1 free, 0..9, 10 = all */
  double temp_K, design_K, clock_Hz;
  int have_temp, threads, force;
  uint64_t seed;
} sample_opts;

static int sample_parse(int argc, char **argv, sample_opts *o)
{
  static const struct option lo[] = {
    {"model", 1, 0, O_MODEL}, {"n", 1, 0, O_N}, {"label", 1, 0, O_LABEL},
    {"sweeps", 1, 0, O_SWEEPS}, {"steps", 1, 0, O_STEPS},
    {"cells", 1, 0, O_CELLS}, {"cell", 1, 0, O_CELL}, {"temp", 1, 0, O_TEMP},
    {"design-temp", 1, 0, O_DTEMP}, {"clock-hz", 1, 0, O_CLOCK},
    {"seed", 1, 0, O_SEED}, {"threads", 1, 0, O_THREADS},
    {"force", 0, 0, O_FORCE}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
  int c, rc = 0;
  uint32_t u;
  tk_err err;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
    switch (c) {
    case 'h': usage_sample(stdout); return -1;
    case 'o': o->out = optarg; break;
    case O_MODEL: o->model = optarg; break;
    case O_N: rc = cmd_dtm__u32(optarg, "--n", 1, 1000000, &o->n); break;
    case O_LABEL:
      if (strcmp(optarg, "all") == 0)
        o->label = 10;
      else {
        rc = cmd_dtm__u32(optarg, "--label", 0, 9, &u);
        o->label = (int)u;
      }
      break;
    case O_SWEEPS: rc = cmd_dtm__u32(optarg, "--sweeps", 1, 1000000, &o->sweeps); break;
    case O_STEPS: rc = cmd_dtm__u32(optarg, "--steps", 1, 64, &o->steps); break;
    case O_CELLS: o->cells = optarg; break;
    case O_CELL: o->cell = optarg; break;
    case O_TEMP:
      if (tk_parse_temp_K(optarg, "--temp", &o->temp_K, &err) != 0)
        return cmd_usage_error("dtm", "%s", err.msg);
      o->have_temp = 1;
      break;
    case O_DTEMP:
      if (tk_parse_temp_K(optarg, "--design-temp", &o->design_K, &err) != 0)
        return cmd_usage_error("dtm", "%s", err.msg);
      break;
    case O_CLOCK: rc = cmd_dtm__pos(optarg, "--clock-hz", &o->clock_Hz); break;
    case O_SEED: rc = cmd_dtm__seed(optarg, &o->seed); break;
    case O_THREADS: rc = cmd_dtm__u32(optarg, "--threads", 0, 1024, &u); o->threads = (int)u; break;
    case O_FORCE: o->force = 1; break;
    default:
      return cmd_usage_error("dtm", "sample: unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (rc != 0)
    return rc;
  if (optind < argc)
    return cmd_usage_error("dtm", "sample: unexpected argument '%s'", argv[optind]);
  if (o->model == NULL || o->out == NULL || o->n == 0)
    return cmd_usage_error("dtm", "sample: --model, --n and -o are required");
  if (o->cells != NULL && (o->cell == NULL || !o->have_temp))
    return cmd_usage_error("dtm", "sample: --cells needs --cell NAME and --temp K");
  if (o->cells == NULL && (o->cell != NULL || o->have_temp))
    return cmd_usage_error("dtm", "sample: --cell/--temp need --cells LIB.h5");
  if (o->label == 10 && o->n < 10)
    return cmd_usage_error("dtm", "sample: --label all needs --n >= 10");
  return 0;
}

/* Class voted by the label spins (most lit one-hot position). */
static int vote_label(const tsu_dtm *m, const uint8_t *x)
{
  int cnt[TSU_DTM_N_CLASS] = {0}, best = 0;
  for (uint32_t r = 0; r < m->p.label_copies; r++)
    for (uint32_t c = 0; c < TSU_DTM_N_CLASS; c++)
      cnt[c] += x[TSU_DTM_N_PIX + TSU_DTM_N_CLASS * r + c];
  for (int c = 1; c < (int)TSU_DTM_N_CLASS; c++)
    if (cnt[c] > cnt[best])
      best = c;
  return best;
}

#define CHAIN_KEEP 16u

int cmd_dtm_sample_kv(int argc, char **argv, cmd_kv *kv)
{
  sample_opts o = {0};
  o.label = -1;
  o.design_K = 300.0;
  o.clock_Hz = 1e7;
  o.seed = 1;
  int prc = sample_parse(argc, argv, &o);
  if (prc != 0)
    return prc < 0 ? CMD_EXIT_OK : prc;
  tk_err err = {0};
  struct stat sb;
  if (stat(o.out, &sb) == 0 && !o.force)
    return cmd_usage_error("dtm", "%s exists (--force to overwrite)", o.out);
  tsu_dtm *m = NULL;
  int rc = io_dtm_load(o.model, &m, NULL, &err);
  if (rc != TK_OK)
    return cmd_fail("dtm", &err);
  if (o.steps && o.steps != m->p.T) {
    fprintf(stderr, "tsukit dtm: %s has %u steps, --steps asks for %u\n",
            o.model, m->p.T, o.steps);
    tsu_dtm_free(m);
    return CMD_EXIT_USAGE;
  }
  uint32_t K = o.sweeps ? o.sweeps : m->p.sweeps, T = m->p.T, V = m->n_vis;
  tsu_celltab *tab = NULL;
  tsu_cells *cells = NULL;
  tsu_graph *grid = NULL;
  tsu_energy_params ep = tsu_energy_default_params();
  tsu_cellpoint at = {0};
  if (o.cells != NULL) {
    tsu_cell_params cp;
    rc = io_cells_read(o.cells, o.cell, &tab, &err);
    if (rc == TK_OK)
      rc = tsu_celltab_params(tab, o.temp_K, o.design_K, 1.0, o.clock_Hz, 2,
                              o.seed, &cp, &at, &err);
    if (rc == TK_OK)
      rc = tsu_cells_build(&cp, m->n_nodes, &cells, &err);
    if (rc == TK_OK && at.energy_J > 0)
      ep.e_rng_J = at.energy_J;
    ep.tau_s = cp.tau_s;
    ep.dt_s = cp.dt_s;
  }
  size_t n = o.n;
  uint8_t *vis = malloc(n * V), *chain = malloc((size_t)(T + 1) * CHAIN_KEEP * V);
  int32_t *clamped = malloc(n * sizeof *clamped), *lab = malloc(n * sizeof *lab);
  uint8_t *img = malloc(n * TSU_DTM_N_PIX);
  if (rc == TK_OK && (!vis || !chain || !clamped || !lab || !img))
    rc = TK_FAIL(&err, TK_ENOMEM, "sample buffers");
  double flips = 0, act_sum = 0, t0 = tk_clock_s();
  uint32_t n_chain = 0;
  /* --label all: sample i clamped to class i * 10 / n (equal shares, in
   * class order), all in one generation run. */
  tk_progress pr;
  tk_progress_init(&pr, "dtm sample", (double)n, 0);
  int8_t *per = NULL;
  if (rc == TK_OK && o.label == 10) {
    per = malloc(n);
    if (per == NULL)
      rc = TK_FAIL(&err, TK_ENOMEM, "labels");
    for (size_t i = 0; per != NULL && i < n; i++)
      per[i] = (int8_t)(i * 10 / n);
  }
  if (rc == TK_OK) {
    tsu_dtm_gen_opts go = {.n = (uint32_t)n, .label = o.label == 10 ? -1 : o.label,
                           .labels = per, .sweeps = K, .cells = cells,
                           .seed = o.seed, .n_threads = o.threads};
    uint8_t *ch = malloc((size_t)(T + 1) * n * V);
    double act = 0;
    if (ch == NULL)
      rc = TK_FAIL(&err, TK_ENOMEM, "chain buffer");
    else
      rc = tsu_dtm_generate(m, &go, vis, ch, &flips, &act, &err);
    if (rc == TK_OK) {
      act_sum = act * flips;
      /* Keep the chains of up to 16 samples, spread over the set (and so
       * over the classes with --label all). */
      n_chain = n < CHAIN_KEEP ? (uint32_t)n : CHAIN_KEEP;
      for (uint32_t c = 0; c < n_chain; c++) {
        size_t src = (size_t)c * n / n_chain;
        for (uint32_t s = 0; s <= T; s++)
          memcpy(chain + ((size_t)s * CHAIN_KEEP + c) * V,
                 ch + ((size_t)s * n + src) * V, V);
      }
      for (size_t c = 0; c < n; c++)
        clamped[c] = per ? per[c] : o.label;
      tk_progress_update(&pr, (double)n);
    }
    free(ch);
  }
  free(per);
  tk_progress_finish(&pr);
  double wall = tk_clock_s() - t0;
  tsu_energy_report en = {0};
  if (rc == TK_OK) {
    ep.activity = flips > 0 ? act_sum / flips : 0.5;
    rc = tsu_graph_grid(m->p.L, m->p.n_jumps, 0, &grid, &err);
    if (rc == TK_OK)
      rc = tsu_energy_compute(&ep, grid, 2, (double)K, &en, &err);
  }
  io_file *f = NULL;
  if (rc == TK_OK) {
    for (size_t i = 0; i < n; i++) {
      memcpy(img + i * TSU_DTM_N_PIX, vis + i * V, TSU_DTM_N_PIX);
      lab[i] = vote_label(m, vis + i * V);
    }
    io_prov prov = {cmd_command_line(), o.seed};
    rc = io_file_create(o.out, &prov, o.force ? IO_CREATE_OVERWRITE : IO_CREATE_KEEP,
                        &f, &err);
  }
  if (rc == TK_OK) {
    size_t d3[3] = {n, 28, 28}, d1[1] = {n}, d2[2] = {n, V};
    rc = io_write_u8(f, "/samples/images", 3, d3, img, "1", &err);
    if (rc == TK_OK) rc = io_write_i32(f, "/samples/labels", 1, d1, lab, "1", &err);
    if (rc == TK_OK) rc = io_write_i32(f, "/samples/label_clamped", 1, d1, clamped, "1", &err);
    if (rc == TK_OK) rc = io_write_u8(f, "/samples/visible", 2, d2, vis, "1", &err);
    if (rc == TK_OK && n_chain > 0) {
      /* [T+1][n_chain][28][28]: x^T (noise) first, x^0 last. */
      uint8_t *cimg = malloc((size_t)(T + 1) * n_chain * TSU_DTM_N_PIX);
      if (cimg == NULL)
        rc = TK_FAIL(&err, TK_ENOMEM, "chain images");
      for (uint32_t s = 0; rc == TK_OK && s <= T; s++)
        for (uint32_t c = 0; c < n_chain; c++)
          memcpy(cimg + ((size_t)s * n_chain + c) * TSU_DTM_N_PIX,
                 chain + ((size_t)s * CHAIN_KEEP + c) * V, TSU_DTM_N_PIX);
      size_t d4[4] = {T + 1, n_chain, 28, 28};
      if (rc == TK_OK)
        rc = io_write_u8(f, "/samples/chain", 4, d4, cimg, "1", &err);
      free(cimg);
    }
    const char *g = "/samples";
    if (rc == TK_OK) rc = io_attr_str(f, "/", "kind", "dtm-samples", &err);
    char graph[16];
    snprintf(graph, sizeof graph, "G%d", 4 * m->p.n_jumps);
    if (rc == TK_OK) rc = io_attr_str(f, g, "kind", "tsukit-dtm-samples", &err);
    if (rc == TK_OK) rc = io_attr_str(f, g, "model", o.model, &err);
    if (rc == TK_OK) rc = io_attr_str(f, g, "graph", graph, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "L", m->p.L, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "steps", T, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "sweeps", K, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "n_vis", V, &err);
    if (rc == TK_OK) rc = io_attr_i64(f, g, "label", o.label, &err);
    if (rc == TK_OK) rc = io_attr_str(f, g, "cells", o.cells ? o.cell : "ideal", &err);
    if (rc == TK_OK && o.cells) rc = io_attr_f64(f, g, "temp_K", o.temp_K, &err);
    struct { const char *name; double v; const char *unit; } ev[] = {
      {"/energy/rng_per_sweep_J", en.rng_J, "J"},
      {"/energy/bias_per_sweep_J", en.bias_J, "J"},
      {"/energy/clock_per_sweep_J", en.clock_J, "J"},
      {"/energy/wire_per_sweep_J", en.wire_J, "J"},
      {"/energy/per_step_J", en.per_sample_J, "J"},
      {"/energy/per_sample_J", en.per_sample_J * T, "J"},
      {"/energy/paper_per_sample_J", en.paper_per_sample_J * T, "J"},
      {"/energy/activity", ep.activity, "1"},
      {"/energy/e_rng_J", ep.e_rng_J, "J"},
    };
    for (size_t i = 0; rc == TK_OK && i < sizeof ev / sizeof *ev; i++) {
      size_t d[1] = {1};
      rc = io_write_f64(f, ev[i].name, 1, d, &ev[i].v, ev[i].unit, &err);
    }
    if (rc == TK_OK)
      rc = io_file_commit(f, &err);
    else
      io_file_abort(f);
  }
  int x = CMD_EXIT_OK;
  if (rc != TK_OK) {
    x = cmd_fail("dtm", &err);
  } else {
    cmd_kv_long(kv, "samples", (long)n);
    cmd_kv_long(kv, "steps", (long)T);
    cmd_kv_long(kv, "sweeps", (long)K);
    cmd_kv_double(kv, "wall_s", wall);
    cmd_kv_double(kv, "flips_per_ns", flips / (wall * 1e9));
    cmd_kv_double(kv, "activity", ep.activity);
    cmd_kv_double(kv, "energy_per_sample_J", en.per_sample_J * T);
    cmd_kv_double(kv, "paper_energy_per_sample_J", en.paper_per_sample_J * T);
    cmd_kv_double(kv, "energy_ratio", en.per_sample_J / en.paper_per_sample_J);
    cmd_kv_str(kv, "cells", o.cells ? o.cell : "ideal");
  }
  free(vis);
  free(chain);
  free(clamped);
  free(lab);
  free(img);
  tsu_graph_free(grid);
  tsu_cells_free(cells);
  tsu_celltab_free(tab);
  tsu_dtm_free(m);
  return x;
}
