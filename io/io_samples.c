/* io_samples.c -- samples files (see io_samples.h). */
#include "io/io_samples.h"

#include <stdlib.h>

static int write_all(io_file *f, const io_samples *s, int32_t *ibuf,
                     tk_err *err)
{
  const tsu_graph *g = s->g;
  const tsu_energy_report *en = s->en;
  size_t n = g->n, m = g->n_edges;
  size_t dn[1] = {n}, dm[1] = {m}, de[2] = {m, 2}, dk[2] = {n, s->mean_cols};
  int rk = s->mean_cols > 1 ? 2 : 1;
  int rc = io_write_f64(f, "/moments/mean", rk, dk, s->mean, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/moments/mean_stderr", rk, dk, s->mean_se, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/moments/edge_corr", 1, dm, s->corr, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/moments/edge_corr_stderr", 1, dm, s->corr_se, "1", err);
  if (rc == 0) rc = io_attr_str(f, "/moments", "stderr_method", "batch means over 20 batches of sweeps, all chains pooled", err);
  if (rc == 0) rc = io_attr_str(f, "/moments", "observables", s->observables, err);
  for (size_t e = 0; rc == 0 && e < m; e++) {
    ibuf[2 * e] = (int32_t)g->ei[e];
    ibuf[2 * e + 1] = (int32_t)g->ej[e];
  }
  if (rc == 0) rc = io_write_i32(f, "/graph/edges", 2, de, ibuf, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/graph/J", 1, dm, g->w, "1", err);
  if (rc == 0) rc = io_write_f64(f, "/graph/h", 1, dn, g->h, "1", err);
  if (rc == 0) rc = io_attr_str(f, "/graph", "spec", s->graph_spec, err);
  if (rc == 0 && s->gauss_a != NULL)
    rc = io_write_f64(f, "/graph/a", 1, dn, s->gauss_a, "1", err);
  if (rc == 0 && s->node_kind != NULL)
    rc = io_write_u8(f, "/graph/node_kind", 1, dn, s->node_kind, "1", err);
  if (rc == 0 && s->node_kind != NULL)
    rc = io_attr_str(f, "/graph/node_kind", "codes", "0 spin, 1 cat, 2 cont",
                     err);
  if (rc == 0) rc = io_attr_i64(f, "/graph", "L", g->L, err);
  if (rc == 0) rc = io_attr_i64(f, "/graph", "torus", g->torus, err);
  if (rc == 0) rc = io_attr_i64(f, "/graph", "n_colors", s->n_colors, err);
  struct { const char *name; double v; } run_attrs[] = {
    {"beta", s->beta}, {"chains", s->chains},
    {"sweeps", s->sweeps}, {"burn_in", s->burn_in},
    {"flips_per_ns", s->flips_per_ns}, {"flip_activity", s->activity},
  };
  if (rc == 0) rc = io_group(f, "/run", err);
  for (size_t k = 0; rc == 0 && k < sizeof run_attrs / sizeof run_attrs[0]; k++)
    rc = io_attr_f64(f, "/run", run_attrs[k].name, run_attrs[k].v, err);
  if (rc == 0) rc = io_attr_str(f, "/run", "kernel", s->kernel, err);
  if (rc == 0) rc = io_attr_str(f, "/run", "cells_kind", s->cells_kind, err);
  if (rc == 0 && s->states > 0) rc = io_attr_i64(f, "/run", "states", s->states, err);
  if (rc == 0) rc = io_attr_str(f, "/run", "cells", s->cells, err);
  if (rc == 0 && s->cell_mismatch != NULL)
    rc = io_attr_str(f, "/run", "cell_mismatch", s->cell_mismatch, err);
  if (rc == 0 && s->map_updates > 0) {
    rc = io_attr_f64(f, "/run", "map_updates", s->map_updates, err);
    if (rc == 0) rc = io_attr_f64(f, "/run", "map_dev_mean", s->map_dev_mean, err);
    if (rc == 0) rc = io_attr_f64(f, "/run", "map_dev_max", s->map_dev_max, err);
  }
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
  if (rc == 0) rc = io_attr_f64(f, "/energy", "sweeps_per_sample", s->sweeps_per_sample, err);
  size_t ds[2] = {(size_t)s->chains, n};
  if (rc == 0 && s->final_potts != NULL)
    rc = io_write_u8(f, "/states/final", 2, ds, s->final_potts, "1", err);
  else if (rc == 0 && s->final_gauss != NULL)
    rc = io_write_f64(f, "/states/final", 2, ds, s->final_gauss, "1", err);
  else if (rc == 0 && s->final_spin != NULL)
    rc = io_write_i8(f, "/states/final", 2, ds, s->final_spin, "1", err);
  return rc;
}

int io_samples_write(const char *path, const io_prov *prov, int force,
                     const io_samples *s, tk_err *err)
{
  int32_t *ibuf = malloc((2 * (size_t)s->g->n_edges + 1) * sizeof *ibuf);
  if (ibuf == NULL)
    return TK_FAIL(err, TK_ENOMEM, "sample buffers");
  io_file *f = NULL;
  int rc = io_file_create(path, prov, force ? IO_CREATE_OVERWRITE
                                            : IO_CREATE_KEEP, &f, err);
  if (rc == 0)
    rc = write_all(f, s, ibuf, err);
  free(ibuf);
  if (rc != 0) {
    if (f != NULL)
      io_file_abort(f);
    return rc;
  }
  return io_file_commit(f, err);
}
