/* run_sample.c -- a whole `tsukit sample` run (see run_sample.h).
 *
 * Everything the run allocates sits in one struct, freed in one place.
 * The spin path builds cells (ideal or calibrated) and the fast sampler;
 * potts and gauss build their reference models on the same graph (same
 * J, h; see `tsukit sample --help` for the energies).  All three run
 * through tsu_run_* and write through io_samples_write.
 */
#include "run/run_sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_nodemap.h"
#include "calibrate/cal_nodemix.h"
#include "io/io_celllib.h"
#include "io/io_cells.h"
#include "io/io_samples.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_celltab.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_fastgauss.h"
#include "tsu/tsu_fastpotts.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_mixed.h"
#include "tsu/tsu_potts.h"
#include "tsu/tsu_run.h"
#include "physics/phys_const.h"

#define N_BATCHES 20

static const char *const kind_names[RUN_SAMPLE_N_KINDS] = {"spin", "potts",
                                                            "gauss", "mixed"};

const char *run_sample_kind_name(run_sample_kind k)
{
  return (unsigned)k < RUN_SAMPLE_N_KINDS ? kind_names[k] : "?";
}

int run_sample_kind_from_name(const char *name, run_sample_kind *out,
                              tk_err *err)
{
  for (int k = 0; name != NULL && k < RUN_SAMPLE_N_KINDS; k++)
    if (strcmp(name, kind_names[k]) == 0) {
      *out = (run_sample_kind)k;
      return TK_OK;
    }
  return TK_FAIL(err, TK_EINVAL, "node kind '%s': expected spin, potts, "
                 "gauss or mixed", name != NULL ? name : "(null)");
}

run_sample_params run_sample_default_params(void)
{
  run_sample_params p;
  memset(&p, 0, sizeof p);
  p.graph = "G12";
  p.L = 70;
  p.model = "random";
  p.beta = 1.0;
  p.chains = 256;
  p.sweeps = 1000;
  p.burn_in = 100;
  p.seed = 1;
  p.clock_Hz = 1e7;
  p.design_K = NAN;
  p.sample_sweeps = 250;
  p.kind = RUN_SAMPLE_SPIN;
  p.states = 3;
  return p;
}

/* Everything the run allocates. */
typedef struct sample_run {
  tsu_graph *g;
  tsu_coloring *col;
  tsu_cells *cells;         /* spin: the cells */
  tsu_celltab *tab;         /* spin: the calibrated library */
  tsu_sampler *s;           /* spin: the fast sampler */
  tsu_potts potts;          /* potts: model (couplings from g, biases pot_h) */
  tsu_gauss gauss;          /* gauss: model (couplings from g, a from gauss_a) */
  double *pot_h;            /* [n][K] Potts per-state biases */
  double *gauss_a;          /* [n] Gaussian self-couplings */
  tsu_potts_chains *pc;     /* Potts reference chains */
  tsu_gauss_chains *gc;     /* Gaussian reference chains */
  tsu_fastpotts *fpc;       /* Potts fast sampler */
  tsu_fastgauss *fgc;       /* Gaussian fast sampler */
  uint8_t *pstates;         /* fast Potts: final states [chains][n] */
  double *gstates;          /* fast Gaussian: final states [chains][n] */
  char kernel_name[32];     /* "potts-avx512", ... */
  /* calibrated cat4 / gmm2 cells and mixed graphs (tsu_mixed.h) */
  tsu_mixed mixed;          /* the model */
  tsu_mixed_chains *mc;     /* its chains */
  uint8_t *node_kind;       /* [n] tsu_node_kind */
  double *hold;             /* [n] finite-tau hold probabilities, or NULL */
  cal_nodemap *map_cat;     /* categorical library, or NULL */
  cal_nodemap *map_gmm;     /* gmm library, or NULL */
  cal_nodemix mix;          /* the maps as the sampler's callbacks */
  tsu_run_result rr;        /* moments, timing, activity */
  double *buf;              /* mean, mean_se [n][K], corr, corr_se [m] */
  int8_t *states;           /* spin: final states [chains][n] */
  double chip_tau_s;        /* spin with a library: the slowest cell's tau
                             * (chip time per sample); 0: the energy's */
} sample_run;

static void run_free(sample_run *r)
{
  tsu_sampler_free(r->s);
  tsu_cells_free(r->cells);
  tsu_celltab_free(r->tab);
  tsu_potts_chains_free(r->pc);
  tsu_gauss_chains_free(r->gc);
  tsu_fastpotts_free(r->fpc);
  tsu_fastgauss_free(r->fgc);
  free(r->pstates);
  free(r->gstates);
  tsu_run_result_clear(&r->rr);
  tsu_coloring_free(r->col);
  tsu_graph_free(r->g);
  free(r->pot_h);
  free(r->gauss_a);
  free(r->buf);
  free(r->states);
  tsu_mixed_chains_free(r->mc);
  free(r->node_kind);
  free(r->hold);
  cal_nodemap_free(r->map_cat);
  cal_nodemap_free(r->map_gmm);
}

static int build_graph(const run_sample_params *o, sample_run *r, tk_err *err)
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

static tsu_run_params run_params(const run_sample_params *o, int progress)
{
  tsu_run_params rp = tsu_run_default_params();
  rp.burn_in = (uint64_t)o->burn_in;
  rp.sweeps = (uint64_t)o->sweeps;
  rp.n_batches = N_BATCHES;
  rp.n_threads = (int)o->threads;
  rp.progress = progress;
  return rp;
}

/* Spin: cells, sampler, run; the energy parameters from the library. */
static int run_spin(const run_sample_params *o, sample_run *r,
                    tsu_energy_params *ep, io_samples *w, char *desc,
                    size_t size, tk_err *err)
{
  tsu_cell_params cp = tsu_cell_ideal_params(o->beta);
  uint32_t C = (uint32_t)o->chains;
  if (o->cells != NULL) {
    tsu_cellpoint at;
    TK_TRY(io_cells_read(o->cells, o->cell, &r->tab, err));
    TK_TRY(tsu_celltab_cells(r->tab, o->temp_K,
                             isnan(o->design_K) ? o->temp_K : o->design_K,
                             o->beta, o->clock_Hz, r->col->n_colors, o->seed,
                             (tsu_mismatch)o->mismatch, o->trim,
                             o->trim_lsb_V, (uint32_t)r->g->n, &r->cells,
                             &cp, &at, desc,
                             size, &ep->samples_per_update, err));
    fprintf(stderr, "sample: cells: %s\n", desc);
    w->cell_mismatch = desc;
    if (at.energy_J > 0)
      ep->e_rng_J = at.energy_J;
    ep->tau_s = cp.tau_s;
    ep->dt_s = cp.dt_s;
    r->chip_tau_s = at.tau_slowest_s;
  } else {
    TK_TRY(tsu_cells_build(&cp, r->g->n, &r->cells, err));
  }
  TK_TRY(tsu_sampler_alloc(r->g, r->col, r->cells, C, o->seed,
                           o->path, &r->s, err));
  tsu_run_params rp = run_params(o, 1);
  TK_TRY(tsu_run_spin(r->s, r->g, C, &rp, &r->rr, err));
  size_t n = r->g->n;
  if (o->save_states) {
    if ((r->states = malloc((size_t)o->chains * n + 1)) == NULL)
      return TK_FAIL(err, TK_ENOMEM, "sample buffers");
    for (uint32_t c = 0; c < C; c++)
      for (size_t i = 0; i < n; i++)
        r->states[(size_t)c * n + i] =
            (int8_t)tsu_sampler_spin(r->s, c, (uint32_t)i);
    w->final_spin = r->states;
  }
  w->observables = "mean: <s_i> [n]; edge_corr: <s_i s_j> [n_edges]";
  w->kernel = tsu_sampler_path_name(r->s);
  return TK_OK;
}

/* Potts: the fast sampler (or the reference chains); the energy
 * parameters from the node kind's cell figures (tsu_potts.h: all zero
 * for ideal cells, i.e. the defaults). */
static int run_potts(const run_sample_params *o, sample_run *r,
                     tsu_energy_params *ep, io_samples *w, tk_err *err)
{
  size_t n = r->g->n, K = (size_t)o->states;
  uint32_t C = (uint32_t)o->chains;
  if ((r->pot_h = malloc(n * K * sizeof *r->pot_h)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "Potts biases");
  tsu_potts_bias_from_graph(r->g, (uint32_t)K, r->pot_h);
  r->potts = (tsu_potts){r->g, (uint32_t)K, r->pot_h, o->beta};
  tsu_potts_cell_energy ce = tsu_potts_cell_energy_default();
  tsu_potts_cell_energy_apply(&ce, ep);
  tsu_run_params rp = run_params(o, 0);
  if (o->reference) {
    TK_TRY(tsu_potts_chains_alloc(&r->potts, r->col, C, o->seed, &r->pc,
                                  err));
    TK_TRY(tsu_run_potts(r->pc, &r->potts, C, &rp, &r->rr, err));
    if (o->save_states)
      w->final_potts = tsu_potts_chains_states(r->pc);
    w->kernel = "potts-reference";
  } else {
    TK_TRY(tsu_fastpotts_alloc(&r->potts, r->col, C, o->seed, o->path,
                               &r->fpc, err));
    TK_TRY(tsu_run_fastpotts(r->fpc, &r->potts, C, &rp, &r->rr, err));
    if (o->save_states) {
      if ((r->pstates = malloc((size_t)C * n + 1)) == NULL)
        return TK_FAIL(err, TK_ENOMEM, "sample buffers");
      tsu_fastpotts_states(r->fpc, r->pstates);
      w->final_potts = r->pstates;
    }
    snprintf(r->kernel_name, sizeof r->kernel_name, "potts-%s",
             tsu_fastpotts_path_name(r->fpc));
    w->kernel = r->kernel_name;
  }
  w->observables = "mean: P(s_i = k) [n, K]; edge_corr: P(s_i = s_j) "
                   "[n_edges]";
  w->states = o->states;
  return TK_OK;
}

static int run_gauss(const run_sample_params *o, sample_run *r,
                     tsu_energy_params *ep, io_samples *w, tk_err *err)
{
  size_t n = r->g->n;
  uint32_t C = (uint32_t)o->chains;
  if ((r->gauss_a = malloc(n * sizeof *r->gauss_a)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "Gaussian self-couplings");
  tsu_gauss_diag_dominant(r->g, 1.0, r->gauss_a);
  r->gauss = (tsu_gauss){r->g, r->gauss_a, o->beta};
  tsu_gauss_cell_energy ce = tsu_gauss_cell_energy_default();
  tsu_gauss_cell_energy_apply(&ce, ep);
  tsu_run_params rp = run_params(o, 0);
  if (o->reference) {
    TK_TRY(tsu_gauss_chains_alloc(&r->gauss, r->col, C, o->seed, &r->gc,
                                  err));
    TK_TRY(tsu_run_gauss(r->gc, r->g, C, &rp, &r->rr, err));
    if (o->save_states)
      w->final_gauss = tsu_gauss_chains_states(r->gc);
    w->kernel = "gauss-reference";
  } else {
    TK_TRY(tsu_fastgauss_alloc(&r->gauss, r->col, C, o->seed, o->path,
                               &r->fgc, err));
    TK_TRY(tsu_run_fastgauss(r->fgc, r->g, C, &rp, &r->rr, err));
    if (o->save_states) {
      if ((r->gstates = malloc(((size_t)C * n + 1) * sizeof *r->gstates)) ==
          NULL)
        return TK_FAIL(err, TK_ENOMEM, "sample buffers");
      tsu_fastgauss_states(r->fgc, r->gstates);
      w->final_gauss = r->gstates;
    }
    snprintf(r->kernel_name, sizeof r->kernel_name, "gauss-%s",
             tsu_fastgauss_path_name(r->fgc));
    w->kernel = r->kernel_name;
  }
  w->observables = "mean: <x_i> [n]; edge_corr: <x_i x_j> [n_edges]; "
                   "a_i in /graph/a";
  w->gauss_a = r->gauss_a;
  return TK_OK;
}

/* ---- calibrated cat4 / gmm2 cells and mixed graphs ---- */

/* The kind attribute of cell `cell` of library `path` into kind[32] ("" if
 * the file is not a readable cell library or has no such cell: the spin
 * path then reports the problem as it always has). */
static void peek_kind(const char *path, const char *cell, char *kind,
                      char *have, size_t have_size)
{
  kind[0] = '\0';
  have[0] = '\0';
  io_file *f = NULL;
  if (io_file_open_read(path, &f, NULL) != TK_OK)
    return;
  char **names = NULL;
  char (*kinds)[32] = NULL;
  size_t n = 0;
  if (io_celllib_list(f, &names, &kinds, &n, NULL) == TK_OK) {
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
      if (strcmp(names[i], cell) == 0)
        snprintf(kind, 32, "%s", kinds[i]);
      int w = snprintf(have + len, have_size - len, "%s%s (%s)",
                       i ? ", " : "", names[i], kinds[i]);
      if (w > 0 && (size_t)w < have_size - len)
        len += (size_t)w;
    }
    io_names_free(names, n);
    free(kinds);
  }
  io_file_close(f);
}

/* Item k (0, 1) of a comma list into buf ("" if absent). */
static void list_item(const char *list, int k, char *buf, size_t size)
{
  buf[0] = '\0';
  for (int i = 0; list != NULL; i++) {
    const char *e = strchr(list, ',');
    size_t len = e != NULL ? (size_t)(e - list) : strlen(list);
    if (i == k) {
      snprintf(buf, size, "%.*s", (int)len, list);
      return;
    }
    list = e != NULL ? e + 1 : NULL;
  }
}

/* With --cells: load the cat4 / gmm2 maps (pbit libraries stay with the
 * spin path) and settle the node kind. */
static int setup_cells(const run_sample_params *o, sample_run *r,
                       run_sample_kind *kind, tk_err *err)
{
  char path[2][1024], cell[2][256], lk[2][32], have[512];
  int nlib = 0;
  for (int k = 0; k < 3; k++) {
    char pb[1024], cb[256];
    list_item(o->cells, k, pb, sizeof pb);
    list_item(o->cell, k, cb, sizeof cb);
    if (pb[0] == '\0' && cb[0] == '\0')
      break;
    if (k == 2)
      return TK_FAIL(err, TK_EINVAL, "--cells: at most two libraries (one "
                     "categorical, one gmm)");
    if (pb[0] == '\0' || cb[0] == '\0')
      return TK_FAIL(err, TK_EINVAL, "--cells and --cell: give one cell per "
                     "library (%s / %s)", o->cells, o->cell);
    snprintf(path[k], sizeof path[k], "%s", pb);
    snprintf(cell[k], sizeof cell[k], "%s", cb);
    peek_kind(pb, cb, lk[k], have, sizeof have);
    if (strchr(cb, '/') != NULL)
      return TK_FAIL(err, TK_EINVAL, "--cell: bad cell name '%s'", cb);
    if (lk[k][0] == '\0' && have[0] != '\0')
      /* a cell library, but not of this cell: the wrong library */
      return TK_FAIL(err, TK_EINVAL, "--cell %s: cell '%s' not in library "
                     "%s (it holds %s)", cb, cb, pb, have);
    nlib++;
  }
  if (nlib == 1 && strcmp(lk[0], "categorical") != 0 &&
      strcmp(lk[0], "gmm") != 0 &&
      (lk[0][0] != '\0' || o->infer_kind || *kind == RUN_SAMPLE_SPIN)) {
    /* a pbit library (or a file the spin path will refuse): as before */
    if (o->infer_kind)
      *kind = RUN_SAMPLE_SPIN;
    if (*kind != RUN_SAMPLE_SPIN)
      return TK_FAIL(err, TK_EINVAL, "%s: calibrated pbit cells drive spin "
                     "nodes (--cells-kind spin), not %s", o->cells,
                     run_sample_kind_name(*kind));
    return TK_OK;
  }
  for (int k = 0; k < nlib; k++) {
    int cat = strcmp(lk[k], "categorical") == 0;
    if (lk[k][0] == '\0') {
      /* unreadable, not a library or no such cell: the map says why */
      cal_nodemap_params mp = cal_nodemap_default_params();
      mp.cells = path[k];
      mp.cell = cell[k];
      mp.temp_K = o->temp_K;
      cal_nodemap *x = NULL;
      int rc = cal_nodemap_load(&mp, &x, err);
      cal_nodemap_free(x);
      if (rc != TK_OK) {
        /* a usage error, as `--cells` with a non-spin kind always was */
        tk_err_wrap(err, TK_EINVAL, "--cells-kind %s needs a categorical "
                    "or gmm cell library", run_sample_kind_name(*kind));
        if (err != NULL)
          err->status = TK_EINVAL;
        return TK_EINVAL;
      }
    }
    if (!cat && strcmp(lk[k], "gmm") != 0)
      return TK_FAIL(err, TK_EINVAL, "cell '%s' of %s is a%s %s cell; with "
                     "two libraries both must be categorical (cat4) or gmm "
                     "(gmm2)", cell[k], path[k], lk[k][0] ? "" : "n",
                     lk[k][0] ? lk[k] : "unreadable");
    if ((cat ? r->map_cat : r->map_gmm) != NULL)
      return TK_FAIL(err, TK_EINVAL, "--cells: two %s libraries; give one "
                     "categorical and one gmm", lk[k]);
    cal_nodemap_params mp = cal_nodemap_default_params();
    mp.cells = path[k];
    mp.cell = cell[k];
    mp.want = cat ? CAL_NODEMAP_CAT : CAL_NODEMAP_GMM;
    mp.temp_K = o->temp_K;
    mp.design_K = o->design_K;
    mp.seed = o->seed;
    mp.mismatch = o->mismatch != TSU_MISMATCH_NONE;
    if (o->trim || o->mismatch == TSU_MISMATCH_GAUSSIAN)
      return TK_FAIL(err, TK_EINVAL, "--trim and --mismatch gaussian: pbit "
                     "cells only (cat4/gmm2 cells take the library's "
                     "instances untrimmed, or --mismatch none)");
    int rc = cal_nodemap_load(&mp, cat ? &r->map_cat : &r->map_gmm, err);
    if (rc == TK_ENOTFOUND && nlib == 1 && o->infer_kind) {
      /* a categorical / gmm library without its fits (an unfinished
       * sweep): refused by the spin path as it always was */
      if (err != NULL)
        *err = (tk_err){0};
      *kind = RUN_SAMPLE_SPIN;
      return TK_OK;
    }
    if (rc != TK_OK)
      return rc;
  }
  if (o->infer_kind)
    *kind = nlib == 2 ? RUN_SAMPLE_MIXED
                      : r->map_cat != NULL ? RUN_SAMPLE_POTTS
                                           : RUN_SAMPLE_GAUSS;
  if (*kind == RUN_SAMPLE_SPIN ||
      (*kind == RUN_SAMPLE_POTTS && r->map_cat == NULL) ||
      (*kind == RUN_SAMPLE_GAUSS && r->map_gmm == NULL) ||
      (nlib == 2 && *kind != RUN_SAMPLE_MIXED))
    return TK_FAIL(err, TK_EINVAL, "%s: a %s cell library drives %s nodes; "
                   "--cells-kind %s has none of them (use %s or mixed)",
                   o->cells, nlib == 2 ? "categorical + gmm"
                   : r->map_cat != NULL ? "categorical" : "gmm",
                   nlib == 2 ? "categorical and continuous"
                   : r->map_cat != NULL ? "categorical" : "continuous",
                   run_sample_kind_name(*kind),
                   nlib == 2 ? "mixed" : r->map_cat != NULL ? "potts"
                                                            : "gauss");
  return TK_OK;
}

/* Node kinds of a mixed graph: a comma list cycled over the nodes, or a
 * file of 'i kind' lines ('#' comments; nodes not listed are spin). */
static int parse_node_kinds(const char *spec, uint32_t n, uint8_t *kind,
                            tk_err *err)
{
  if (spec == NULL || spec[0] == '\0')
    return TK_FAIL(err, TK_EINVAL, "--cells-kind mixed needs --node-kinds "
                   "(a list such as spin,cat,cont or a file of 'i kind' "
                   "lines)");
  FILE *f = fopen(spec, "r");
  if (f == NULL) {
    /* not a file: a comma list, every item a kind */
    tsu_node_kind list[64];
    int len = 1;
    for (const char *c = spec; *c; c++)
      len += *c == ',';
    if (len > 64)
      return TK_FAIL(err, TK_EINVAL, "--node-kinds: %d items, at most 64",
                     len);
    for (int k = 0; k < len; k++) {
      char item[32];
      list_item(spec, k, item, sizeof item);
      if (item[0] == '\0')
        return TK_FAIL(err, TK_EINVAL, "--node-kinds '%s': empty item %d",
                       spec, k + 1);
      if (tsu_node_kind_from_name(item, &list[k], err) != TK_OK)
        return tk_err_wrap(err, TK_EINVAL, "--node-kinds '%s' (neither a "
                           "file nor a list)", spec);
    }
    for (uint32_t i = 0; i < n; i++)
      kind[i] = (uint8_t)list[i % (uint32_t)len];
    return TK_OK;
  }
  memset(kind, TSU_NODE_SPIN, n);
  uint8_t *seen = calloc(n + 1, 1);
  if (seen == NULL) {
    fclose(f);
    return TK_FAIL(err, TK_ENOMEM, "node kinds");
  }
  char line[256];
  long ln = 0;
  int rc = TK_OK;
  while (rc == TK_OK && fgets(line, sizeof line, f) != NULL) {
    ln++;
    char *h = strchr(line, '#');
    if (h != NULL)
      *h = '\0';
    char word[32], extra[2];
    long i;
    int got = sscanf(line, "%ld %31s %1s", &i, word, extra);
    if (got <= 0)
      continue;
    tsu_node_kind k;
    if (got != 2)
      rc = TK_FAIL(err, TK_EINVAL, "%s:%ld: expected 'node kind'", spec, ln);
    else if (i < 0 || i >= (long)n)
      rc = TK_FAIL(err, TK_EINVAL, "%s:%ld: node %ld outside 0..%u", spec, ln,
                   i, n - 1);
    else if (seen[i])
      rc = TK_FAIL(err, TK_EINVAL, "%s:%ld: node %ld given twice", spec, ln,
                   i);
    else if (tsu_node_kind_from_name(word, &k, err) != TK_OK)
      rc = tk_err_wrap(err, TK_EINVAL, "%s:%ld", spec, ln);
    else {
      seen[i] = 1;
      kind[i] = (uint8_t)k;
    }
  }
  free(seen);
  fclose(f);
  return rc;
}

/* Potts or gauss on calibrated cells, or a mixed graph: the reference
 * mixed-node sampler (tsu_mixed.h). */
static int run_mixed(const run_sample_params *o, sample_run *r,
                     run_sample_kind kind, tsu_energy_params *ep,
                     io_samples *w, tk_err *err)
{
  uint32_t n = r->g->n, C = (uint32_t)o->chains;
  if ((r->node_kind = malloc(n + 1)) == NULL ||
      (r->gauss_a = malloc((n + 1) * sizeof *r->gauss_a)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "mixed graph");
  if (kind == RUN_SAMPLE_MIXED)
    TK_TRY(parse_node_kinds(o->node_kinds, n, r->node_kind, err));
  else
    memset(r->node_kind, kind == RUN_SAMPLE_POTTS ? TSU_NODE_CAT
                                                  : TSU_NODE_CONT, n);
  tsu_gauss_diag_dominant(r->g, 1.0, r->gauss_a);
  cal_nodemap_info ci, gi;
  uint32_t K = (uint32_t)o->states;
  if (r->map_cat != NULL) {
    cal_nodemap_get_info(r->map_cat, &ci);
    K = ci.K;
  }
  if (r->map_gmm != NULL)
    cal_nodemap_get_info(r->map_gmm, &gi);
  double dt_s = (r->col->n_colors > 0 ? r->col->n_colors : 1) / o->clock_Hz;
  size_t count[TSU_NODE_N_KINDS] = {0, 0, 0};
  for (uint32_t i = 0; i < n; i++)
    count[r->node_kind[i]]++;
  r->mixed = (tsu_mixed){r->g, r->node_kind, K, NULL, r->gauss_a, o->beta,
                         NULL, NULL, NULL, NULL, NULL};
  int mapped = r->map_cat != NULL || r->map_gmm != NULL;
  if (mapped) {
    r->mix = (cal_nodemix){r->map_cat, r->map_gmm, o->clip};
    if ((r->hold = calloc(n + 1, sizeof *r->hold)) == NULL)
      return TK_FAIL(err, TK_ENOMEM, "mixed graph");
    TK_TRY(cal_nodemix_attach(&r->mix, &r->mixed, dt_s, r->hold, err));
  }
  /* energy: the library's figures through the node kind's hook; a mixed
   * graph pays the mean over its nodes of each one's rng energy per
   * update */
  if (kind == RUN_SAMPLE_POTTS && r->map_cat != NULL) {
    tsu_potts_cell_energy ce = tsu_potts_cell_energy_default();
    ce.e_update_J = isfinite(ci.e_sample_J) ? ci.e_sample_J : 0;
    ce.tau_s = isfinite(ci.tau_s) ? ci.tau_s : 0;
    ce.dt_s = dt_s;
    tsu_potts_cell_energy_apply(&ce, ep);
  } else if (kind == RUN_SAMPLE_GAUSS && r->map_gmm != NULL) {
    tsu_gauss_cell_energy ce = tsu_gauss_cell_energy_default();
    ce.e_update_J = isfinite(gi.e_sample_J) ? gi.e_sample_J : 0;
    ce.tau_s = isfinite(gi.tau_s) ? gi.tau_s : 0;
    ce.dt_s = dt_s;
    tsu_gauss_cell_energy_apply(&ce, ep);
  } else if (mapped) {
    tsu_potts_cell_energy ce = tsu_potts_cell_energy_default();
    ce.e_update_J = cal_nodemix_update_J(&r->mix, &r->mixed, dt_s,
                                         ep->e_rng_J);
    tsu_potts_cell_energy_apply(&ce, ep);   /* tau 0: per update */
  }
  TK_TRY(tsu_mixed_chains_alloc(&r->mixed, r->col, C, o->seed, &r->mc, err));
  tsu_run_params rp = run_params(o, 0);
  TK_TRY(tsu_run_mixed(r->mc, &r->mixed, C, &rp, &r->rr, err));
  if (o->save_states)
    w->final_gauss = tsu_mixed_chains_states(r->mc);
  w->kernel = "mixed-reference";
  w->observables = "mean [n, cols]: spin <s_i> and continuous <x_i> in "
                   "column 0, categorical P(c_i = k) in column k; "
                   "edge_corr: <f_ij> with f = [c_i = c_j] for two "
                   "categorical nodes, else u_i u_j (u: s, x, or [c = 1]); "
                   "states/final: values (s, k, x)";
  if (count[TSU_NODE_CONT] > 0)
    w->gauss_a = r->gauss_a;
  if (count[TSU_NODE_CAT] > 0)
    w->states = K;
  if (kind == RUN_SAMPLE_MIXED)
    w->node_kind = r->node_kind;
  tsu_mixed_chains_dev(r->mc, &w->map_updates, &w->map_dev_mean,
                       &w->map_dev_max);
  return TK_OK;
}

static int sample(const run_sample_params *o, sample_run *r,
                  run_sample_result *res, tk_err *err)
{
  if (o->out == NULL)
    return TK_FAIL(err, TK_EINVAL, "sample: no output file");
  if ((unsigned)o->kind >= RUN_SAMPLE_N_KINDS)
    return TK_FAIL(err, TK_EINVAL, "sample: node kind %d", (int)o->kind);
  run_sample_kind kind = o->kind;
  if (o->cells != NULL)
    TK_TRY(setup_cells(o, r, &kind, err));
  TK_TRY(build_graph(o, r, err));
  io_samples w;
  memset(&w, 0, sizeof w);
  tsu_energy_params ep = tsu_energy_default_params();
  int mapped = r->map_cat != NULL || r->map_gmm != NULL;
  if (kind == RUN_SAMPLE_MIXED || mapped)
    TK_TRY(run_mixed(o, r, kind, &ep, &w, err));
  else if (kind == RUN_SAMPLE_SPIN)
    TK_TRY(run_spin(o, r, &ep, &w, res->cell_mismatch,
                    sizeof res->cell_mismatch, err));
  else if (kind == RUN_SAMPLE_POTTS)
    TK_TRY(run_potts(o, r, &ep, &w, err));
  else
    TK_TRY(run_gauss(o, r, &ep, &w, err));
  size_t n = r->g->n, m = r->g->n_edges;
  size_t K = r->rr.mom->cols;
  if ((r->buf = malloc((2 * n * K + 2 * m + 1) * sizeof *r->buf)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "sample buffers");
  double *mean = r->buf, *mse = mean + n * K, *corr = mse + n * K;
  double *cse = corr + m;
  tsu_moments_result(r->rr.mom, mean, mse, corr, cse);
  double mag = 0;
  for (size_t i = 0; i < n; i++) {
    int cat = r->node_kind != NULL ? r->node_kind[i] == TSU_NODE_CAT : K > 1;
    mag += cat ? (K * mean[i * K + 1] - 1) / (K - 1.0) : mean[i * K];
  }
  mag /= (double)n;
  ep.activity = r->rr.activity;
  TK_TRY(tsu_energy_compute(&ep, r->g, r->col->n_colors,
                            (double)o->sample_sweeps, &res->en, err));
  w.g = r->g;
  w.graph_spec = o->graph;
  w.n_colors = r->col->n_colors;
  w.mean = mean;
  w.mean_se = mse;
  w.corr = corr;
  w.corr_se = cse;
  w.mean_cols = K;
  w.cells_kind = run_sample_kind_name(kind);
  w.cells = o->cells ? o->cell : "ideal";
  w.beta = o->beta;
  w.chains = (double)o->chains;
  w.sweeps = (double)o->sweeps;
  w.burn_in = (double)o->burn_in;
  w.flips_per_ns = r->rr.updates_per_ns;
  w.activity = r->rr.activity;
  w.en = &res->en;
  w.sweeps_per_sample = (double)o->sample_sweeps;
  res->map_updates = w.map_updates;
  res->map_dev_mean = w.map_dev_mean;
  res->map_dev_max = w.map_dev_max;
  res->gmm_cells = r->map_gmm != NULL;
  io_prov prov = {o->command != NULL ? o->command : "", o->seed};
  TK_TRY(io_samples_write(o->out, &prov, o->force, &w, err));
  res->nodes = (long)n;
  res->edges = (long)m;
  res->colors = (long)r->col->n_colors;
  res->chains = o->chains;
  res->sweeps = (long)r->rr.recorded;
  res->flips_per_ns = r->rr.updates_per_ns;
  res->mean_magnetisation = mag;
  res->flip_activity = r->rr.activity;
  res->chip = run_chiptime_compute(r->chip_tau_s > 0 ? r->chip_tau_s : ep.tau_s,
                                   r->col->n_colors, (double)o->sample_sweeps, 1);
  return TK_OK;
}

int run_sample(const run_sample_params *p, run_sample_result *res,
               tk_err *err)
{
  sample_run r;
  memset(&r, 0, sizeof r);
  memset(res, 0, sizeof *res);
  int rc = sample(p, &r, res, err);
  run_free(&r);
  return rc;
}
