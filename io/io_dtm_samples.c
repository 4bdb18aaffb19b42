/* io_dtm_samples.c -- the DTM sample-set and evaluation files (layout in
 * io_dtm.h): written by `tsukit dtm sample` / `dtm eval`, read by
 * `dtm eval` and `tsukit plot`.  Workload: up to a million 28 x 28
 * images, a few hundred MB at most, written and read in one piece. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_dtm.h"

int io_dtm_samples_write(const char *path, const io_dtm_samples *s,
                         const io_prov *prov, int overwrite, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_create(path, prov,
                        overwrite ? IO_CREATE_OVERWRITE : IO_CREATE_KEEP, &f,
                        err));
  size_t n = s->n, V = s->n_vis;
  size_t d3[3] = {n, 28, 28}, d1[1] = {n}, d2[2] = {n, V};
  int rc = io_write_u8(f, "/samples/images", 3, d3, s->images, "1", err);
  if (rc == TK_OK) rc = io_write_i32(f, "/samples/labels", 1, d1, s->labels, "1", err);
  if (rc == TK_OK)
    rc = io_write_i32(f, "/samples/label_clamped", 1, d1, s->label_clamped,
                      "1", err);
  if (rc == TK_OK) rc = io_write_u8(f, "/samples/visible", 2, d2, s->visible, "1", err);
  if (rc == TK_OK && s->n_chain > 0) {
    size_t d4[4] = {s->steps + 1, s->n_chain, 28, 28};
    rc = io_write_u8(f, "/samples/chain", 4, d4, s->chain, "1", err);
  }
  const char *g = "/samples";
  if (rc == TK_OK) rc = io_attr_str(f, "/", "kind", "dtm-samples", err);
  char graph[16];
  snprintf(graph, sizeof graph, "G%d", 4 * s->n_jumps);
  if (rc == TK_OK) rc = io_attr_str(f, g, "kind", "tsukit-dtm-samples", err);
  if (rc == TK_OK) rc = io_attr_str(f, g, "model", s->model ? s->model : "", err);
  if (rc == TK_OK) rc = io_attr_str(f, g, "graph", graph, err);
  if (rc == TK_OK) rc = io_attr_i64(f, g, "L", s->L, err);
  if (rc == TK_OK) rc = io_attr_i64(f, g, "steps", s->steps, err);
  if (rc == TK_OK) rc = io_attr_i64(f, g, "sweeps", s->sweeps, err);
  if (rc == TK_OK) rc = io_attr_i64(f, g, "n_vis", s->n_vis, err);
  if (rc == TK_OK) rc = io_attr_i64(f, g, "label", s->label, err);
  if (rc == TK_OK) rc = io_attr_str(f, g, "cells", s->cells, err);
  if (rc == TK_OK && isfinite(s->temp_K))
    rc = io_attr_f64(f, g, "temp_K", s->temp_K, err);
  if (rc == TK_OK && s->cell_mismatch != NULL)
    rc = io_attr_str(f, g, "cell_mismatch", s->cell_mismatch, err);
  const io_dtm_energy *e = &s->energy;
  struct { const char *name; double v; const char *unit; } ev[] = {
    {"/energy/rng_per_sweep_J", e->rng_per_sweep_J, "J"},
    {"/energy/bias_per_sweep_J", e->bias_per_sweep_J, "J"},
    {"/energy/clock_per_sweep_J", e->clock_per_sweep_J, "J"},
    {"/energy/wire_per_sweep_J", e->wire_per_sweep_J, "J"},
    {"/energy/per_step_J", e->per_step_J, "J"},
    {"/energy/per_sample_J", e->per_sample_J, "J"},
    {"/energy/paper_per_sample_J", e->paper_per_sample_J, "J"},
    {"/energy/activity", e->activity, "1"},
    {"/energy/e_rng_J", e->e_rng_J, "J"},
  };
  for (size_t i = 0; rc == TK_OK && i < sizeof ev / sizeof *ev; i++) {
    size_t d[1] = {1};
    rc = io_write_f64(f, ev[i].name, 1, d, &ev[i].v, ev[i].unit, err);
  }
  if (rc != TK_OK) {
    io_file_abort(f);
    return rc;
  }
  return io_file_commit(f, err);
}

/* int8 array of 0/1 bytes as uint8 0/1 (in place: same size). */
static uint8_t *as_bits(int8_t *a, size_t n)
{
  uint8_t *u = (uint8_t *)a;
  for (size_t i = 0; i < n; i++)
    u[i] = a[i] != 0;
  return u;
}

int io_dtm_samples_read(io_file *f, io_dtm_samples *s, tk_err *err)
{
  memset(s, 0, sizeof *s);
  s->label = -1;
  s->temp_K = NAN;
  const char *path = io_file_path(f);
  int64_t vis = 0, steps = 0, v = 0;
  if (io_get_attr_i64(f, "/samples", "n_vis", &vis, err) != TK_OK ||
      io_get_attr_i64(f, "/samples", "steps", &steps, err) != TK_OK)
    return TK_FAIL(err, TK_EFORMAT, "%s is not a `tsukit dtm sample` file",
                   path);
  s->n_vis = (uint32_t)vis;
  s->steps = (uint32_t)steps;
  if (io_get_attr_i64(f, "/samples", "sweeps", &v, NULL) == TK_OK)
    s->sweeps = (uint32_t)v;
  if (io_get_attr_i64(f, "/samples", "L", &v, NULL) == TK_OK)
    s->L = (uint32_t)v;
  if (io_get_attr_i64(f, "/samples", "label", &v, NULL) == TK_OK)
    s->label = (int)v;
  char graph[16] = "";
  if (io_get_attr_str(f, "/samples", "graph", graph, sizeof graph, NULL) ==
          TK_OK && graph[0] == 'G')
    s->n_jumps = atoi(graph + 1) / 4;
  io_get_attr_str(f, "/samples", "cells", s->cells, sizeof s->cells, NULL);
  io_get_attr_f64(f, "/samples", "temp_K", &s->temp_K, NULL);
  int rank;
  size_t dims[4];
  int8_t *img = NULL;
  int rc = io_read_i8(f, "/samples/images", &img, &rank, dims, err);
  if (rc == TK_OK && (rank != 3 || dims[1] != 28 || dims[2] != 28)) {
    free(img);
    return TK_FAIL(err, TK_EFORMAT, "%s: /samples/images is not [n, 28, 28]",
                   path);
  }
  if (rc != TK_OK)
    return rc;
  s->n = dims[0];
  s->images = as_bits(img, s->n * TSU_DTM_N_PIX);
  rc = io_read_i32(f, "/samples/label_clamped", &s->label_clamped, &rank,
                   dims, err);
  if (rc == TK_OK && (rank != 1 || dims[0] != s->n))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: label_clamped has the wrong size", path);
  if (rc == TK_OK && io_exists(f, "/samples/chain")) {
    int8_t *ch = NULL;
    rc = io_read_i8(f, "/samples/chain", &ch, &rank, dims, err);
    if (rc == TK_OK && (rank != 4 || dims[2] != 28 || dims[3] != 28)) {
      free(ch);
      rc = TK_FAIL(err, TK_EFORMAT, "%s: /samples/chain is not "
                   "[T+1, n, 28, 28]", path);
    } else if (rc == TK_OK) {
      s->n_chain = dims[1];
      s->chain = as_bits(ch, dims[0] * dims[1] * TSU_DTM_N_PIX);
      if (dims[0] != (size_t)s->steps + 1)
        s->steps = (uint32_t)dims[0] - 1;
    }
  }
  if (rc != TK_OK)
    io_dtm_samples_free(s);
  return rc;
}

void io_dtm_samples_free(io_dtm_samples *s)
{
  free(s->images);
  free(s->labels);
  free(s->label_clamped);
  free(s->visible);
  free(s->chain);
  s->images = s->visible = s->chain = NULL;
  s->labels = s->label_clamped = NULL;
}

int io_dtm_eval_write(const char *path, const io_dtm_eval *e,
                      const char *model, const char *samples,
                      const io_prov *prov, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_create(path, prov, IO_CREATE_OVERWRITE, &f, err));
  struct { const char *name; double v; } ev[] = {
    {"/eval/fd_tsukit", e->fd_tsukit},
    {"/eval/fd_marginal_baseline", e->fd_marginal_baseline},
    {"/eval/fd_data", e->fd_data}, {"/eval/label_accuracy", e->label_accuracy},
    {"/eval/autocorr", e->autocorr},
    {"/eval/clf_test_accuracy", e->clf_test_accuracy},
  };
  int rc = TK_OK;
  for (size_t i = 0; rc == TK_OK && i < sizeof ev / sizeof *ev; i++) {
    size_t d1[1] = {1};
    rc = io_write_f64(f, ev[i].name, 1, d1, &ev[i].v, "1", err);
  }
  if (rc == TK_OK) rc = io_attr_str(f, "/eval", "model", model, err);
  if (rc == TK_OK) rc = io_attr_str(f, "/eval", "samples", samples, err);
  if (rc != TK_OK) {
    io_file_abort(f);
    return rc;
  }
  return io_file_commit(f, err);
}
