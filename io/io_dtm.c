/* io_dtm.c -- save and load DTM models (io_dtm.h). */
#include "io/io_dtm.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_h5.h"

void io_dtm_history_free(io_dtm_history *h)
{
  free(h->wall_s);
  free(h->images_per_s);
  free(h->flips_per_ns);
  free(h->autocorr);
  free(h->lambda);
  free(h->acp_epoch);
  free(h->acp_autocorr);
  free(h->acp_lambda);
  io_dtm_log_free(&h->log);
  memset(h, 0, sizeof *h);
}

static int grow(double **a, size_t n, tk_err *err)
{
  double *p = realloc(*a, (n ? n : 1) * sizeof *p);
  if (p == NULL)
    return TK_FAIL(err, TK_ENOMEM, "training history");
  *a = p;
  return TK_OK;
}

int io_dtm_history_add(io_dtm_history *h, const tsu_dtm *m,
                    const tsu_dtm_epoch_stats *st, tk_err *err)
{
  size_t T = m->p.T, e = h->n_epoch, a = h->n_acp;
  TK_TRY(grow(&h->wall_s, e + 1, err));
  TK_TRY(grow(&h->images_per_s, e + 1, err));
  TK_TRY(grow(&h->flips_per_ns, e + 1, err));
  TK_TRY(grow(&h->autocorr, (e + 1) * T, err));
  TK_TRY(grow(&h->lambda, (e + 1) * T, err));
  TK_TRY(grow(&h->acp_epoch, (a + st->n_hist) * T, err));
  TK_TRY(grow(&h->acp_autocorr, (a + st->n_hist) * T, err));
  TK_TRY(grow(&h->acp_lambda, (a + st->n_hist) * T, err));
  h->wall_s[e] = st->wall_s;
  h->images_per_s[e] = st->images_per_s;
  h->flips_per_ns[e] = st->flips_per_ns;
  for (size_t k = 0; k < T; k++) {
    h->autocorr[e * T + k] = st->autocorr[k];
    h->lambda[e * T + k] = m->acp_lambda[k];
  }
  memcpy(h->acp_epoch + a * T, st->hist_epoch, st->n_hist * T * sizeof(double));
  memcpy(h->acp_autocorr + a * T, st->hist_autocorr,
         st->n_hist * T * sizeof(double));
  memcpy(h->acp_lambda + a * T, st->hist_lambda, st->n_hist * T * sizeof(double));
  h->n_epoch = e + 1;
  h->n_acp = a + st->n_hist;
  return TK_OK;
}

/* Parameter attributes: one table for save and load. */
typedef struct pfield {
  const char *name;
  int is_int;            /* 1: uint32/int/uint64 integer field */
  size_t off;            /* offset in tsu_dtm_params */
  int size;              /* sizeof the integer field (4 or 8) */
} pfield;

#define PD(f) {#f, 0, offsetof(tsu_dtm_params, f), 8}
#define PI(f) {#f, 1, offsetof(tsu_dtm_params, f), (int)sizeof(((tsu_dtm_params *)0)->f)}
static const pfield fields[] = {
  PI(L), PI(n_jumps), PI(T), PI(label_copies), PD(rate_image),
  PD(rate_label), PD(t_max), PI(sweeps), PI(sweeps_pos), PI(record),
  PI(batch), PI(epochs), PI(persistent), PD(lr), PD(lr_final_frac),
  PD(adam_b1), PD(adam_b2), PD(adam_eps), PD(weight_decay), PD(init_scale),
  PI(acp), PD(acp_target), PD(acp_init), PD(acp_max), PI(acp_every),
  PI(seed),
};

static int64_t get_int(const tsu_dtm_params *p, const pfield *f)
{
  const char *b = (const char *)p + f->off;
  if (f->size == 8) {
    uint64_t v;
    memcpy(&v, b, 8);
    return (int64_t)v;
  }
  int32_t v;
  memcpy(&v, b, 4);
  return v;
}

static void set_int(tsu_dtm_params *p, const pfield *f, int64_t v)
{
  char *b = (char *)p + f->off;
  if (f->size == 8) {
    uint64_t u = (uint64_t)v;
    memcpy(b, &u, 8);
  } else {
    int32_t w = (int32_t)v;
    memcpy(b, &w, 4);
  }
}

static int write_hist(io_file *f, const char *path, const double *a,
                      size_t rows, size_t cols, const char *unit, tk_err *err)
{
  if (rows == 0)
    return TK_OK;
  size_t dims[2] = {rows, cols};
  return io_write_f64(f, path, cols ? 2 : 1, dims, a, unit, err);
}

int io_dtm_save(const char *path, const tsu_dtm *m, const io_dtm_history *h,
                const char *command, int overwrite, tk_err *err)
{
  io_prov prov = {command, m->p.seed};
  io_file *f = NULL;
  TK_TRY(io_file_create(path, &prov,
                        overwrite ? IO_CREATE_OVERWRITE : IO_CREATE_KEEP, &f,
                        err));
  size_t T = m->p.T, E = m->n_edges, N = m->n_grid, V = m->n_vis;
  int rc = io_group(f, "/dtm", err);
  if (rc == TK_OK) rc = io_attr_str(f, "/", "kind", "dtm-model", err);
  char graph[16];
  snprintf(graph, sizeof graph, "G%d", 4 * m->p.n_jumps);
  if (rc == TK_OK) rc = io_attr_str(f, "/dtm", "kind", "tsukit-dtm", err);
  if (rc == TK_OK) rc = io_attr_str(f, "/dtm", "graph", graph, err);
  for (size_t i = 0; rc == TK_OK && i < sizeof fields / sizeof *fields; i++) {
    const pfield *pf = &fields[i];
    if (pf->is_int)
      rc = io_attr_i64(f, "/dtm", pf->name, get_int(&m->p, pf), err);
    else
      rc = io_attr_f64(f, "/dtm", pf->name,
                       *(const double *)((const char *)&m->p + pf->off), err);
  }
  if (rc == TK_OK)
    rc = io_attr_i64(f, "/dtm", "epochs_done", m->epochs_done, err);
  int32_t *iv = malloc((2 * E + V + T) * sizeof *iv);
  if (iv == NULL && rc == TK_OK)
    rc = TK_FAIL(err, TK_ENOMEM, "model file buffers");
  if (rc == TK_OK) {
    size_t d1[1] = {V};
    for (size_t i = 0; i < V; i++)
      iv[i] = (int32_t)m->vis_node[i];
    rc = io_write_i32(f, "/dtm/vis_node", 1, d1, iv, "1", err);
  }
  if (rc == TK_OK) {
    size_t d2[2] = {E, 2};
    for (size_t e = 0; e < E; e++) {
      iv[2 * e] = (int32_t)m->ei[e];
      iv[2 * e + 1] = (int32_t)m->ej[e];
    }
    rc = io_write_i32(f, "/dtm/edges", 2, d2, iv, "1", err);
  }
  size_t dT1[1] = {T + 1}, dTE[2] = {T, E}, dTN[2] = {T, N}, dT[1] = {T},
         dP[1] = {TSU_DTM_N_PIX};
  if (rc == TK_OK) rc = io_write_f64(f, "/dtm/time", 1, dT1, m->t, "1", err);
  if (rc == TK_OK) rc = io_write_f64(f, "/dtm/J", 2, dTE, m->J, "kT", err);
  if (rc == TK_OK) rc = io_write_f64(f, "/dtm/h", 2, dTN, m->h, "kT", err);
  if (rc == TK_OK)
    rc = io_write_f64(f, "/dtm/acp_lambda", 1, dT, m->acp_lambda, "1", err);
  if (rc == TK_OK)
    rc = io_write_f64(f, "/dtm/pix_mean", 1, dP, m->pix_mean, "1", err);
  if (rc == TK_OK) rc = io_write_f64(f, "/dtm/adam/mJ", 2, dTE, m->mJ, "1", err);
  if (rc == TK_OK) rc = io_write_f64(f, "/dtm/adam/vJ", 2, dTE, m->vJ, "1", err);
  if (rc == TK_OK) rc = io_write_f64(f, "/dtm/adam/mh", 2, dTN, m->mh, "1", err);
  if (rc == TK_OK) rc = io_write_f64(f, "/dtm/adam/vh", 2, dTN, m->vh, "1", err);
  if (rc == TK_OK) {
    for (size_t k = 0; k < T; k++)
      iv[k] = (int32_t)m->adam_t[k];
    rc = io_write_i32(f, "/dtm/adam/t", 1, dT, iv, "1", err);
  }
  free(iv);
  if (h != NULL && rc == TK_OK) {
    rc = write_hist(f, "/train/epoch/wall_s", h->wall_s, h->n_epoch, 0, "s", err);
    if (rc == TK_OK)
      rc = write_hist(f, "/train/epoch/images_per_s", h->images_per_s,
                      h->n_epoch, 0, "1/s", err);
    if (rc == TK_OK)
      rc = write_hist(f, "/train/epoch/flips_per_ns", h->flips_per_ns,
                      h->n_epoch, 0, "1/ns", err);
    if (rc == TK_OK)
      rc = write_hist(f, "/train/epoch/autocorr", h->autocorr, h->n_epoch, T,
                      "1", err);
    if (rc == TK_OK)
      rc = write_hist(f, "/train/epoch/lambda", h->lambda, h->n_epoch, T, "1",
                      err);
    if (rc == TK_OK)
      rc = write_hist(f, "/train/acp/epoch", h->acp_epoch, h->n_acp, T,
                      "epochs", err);
    if (rc == TK_OK)
      rc = write_hist(f, "/train/acp/autocorr", h->acp_autocorr, h->n_acp, T,
                      "1", err);
    if (rc == TK_OK)
      rc = write_hist(f, "/train/acp/lambda", h->acp_lambda, h->n_acp, T, "1",
                      err);
    if (rc == TK_OK)
      rc = io_dtm_log_write(f, &h->log, err);
  }
  if (rc != TK_OK) {
    io_file_abort(f);
    return rc;
  }
  return io_file_commit(f, err);
}

static int read_exact(io_file *f, const char *path, size_t n, double *dst,
                      tk_err *err)
{
  double *a = NULL;
  int rank;
  size_t dims[4];
  TK_TRY(io_read_f64(f, path, &a, &rank, dims, err));
  size_t got = 1;
  for (int i = 0; i < rank; i++)
    got *= dims[i];
  if (got != n) {
    free(a);
    return TK_FAIL(err, TK_EFORMAT, "%s has %zu values, the model needs %zu "
                   "(a file from a different graph or size?)", path, got, n);
  }
  for (size_t i = 0; i < n; i++)
    if (!isfinite(a[i])) {
      free(a);
      return TK_FAIL(err, TK_EFORMAT, "%s[%zu] is not finite", path, i);
    }
  memcpy(dst, a, n * sizeof *dst);
  free(a);
  return TK_OK;
}

static int read_hist(io_file *f, const char *path, size_t cols, double **dst,
                     size_t *rows, tk_err *err)
{
  if (!io_exists(f, path)) {
    *rows = 0;
    return TK_OK;
  }
  int rank;
  size_t dims[4];
  TK_TRY(io_read_f64(f, path, dst, &rank, dims, err));
  if ((cols && (rank != 2 || dims[1] != cols)) || (!cols && rank != 1))
    return TK_FAIL(err, TK_EFORMAT, "%s: unexpected shape", path);
  *rows = dims[0];
  return TK_OK;
}

static int load_body(io_file *f, const char *path, tsu_dtm **out,
                     io_dtm_history *h, tk_err *err)
{
  char kind[64] = "";
  if (io_get_attr_str(f, "/dtm", "kind", kind, sizeof kind, err) != TK_OK ||
      strcmp(kind, "tsukit-dtm") != 0)
    return TK_FAIL(err, TK_EFORMAT, "%s is not a tsukit DTM model (no /dtm "
                   "with kind = tsukit-dtm)", path);
  tsu_dtm_params p = tsu_dtm_default_params();
  for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
    const pfield *pf = &fields[i];
    if (pf->is_int) {
      int64_t v;
      TK_TRY(io_get_attr_i64(f, "/dtm", pf->name, &v, err));
      set_int(&p, pf, v);
    } else {
      TK_TRY(io_get_attr_f64(f, "/dtm", pf->name,
                             (double *)((char *)&p + pf->off), err));
    }
  }
  int64_t done;
  TK_TRY(io_get_attr_i64(f, "/dtm", "epochs_done", &done, err));
  tsu_dtm *m = NULL;
  int rc = tsu_dtm_alloc(&p, &m, err);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "%s", path);
  m->epochs_done = (uint32_t)done;
  size_t T = p.T, E = m->n_edges, N = m->n_grid;
  /* The layout must be the one the parameters give. */
  int32_t *iv = NULL;
  int rank;
  size_t dims[4];
  rc = io_read_i32(f, "/dtm/vis_node", &iv, &rank, dims, err);
  if (rc == TK_OK && (rank != 1 || dims[0] != m->n_vis))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: vis_node has the wrong size", path);
  for (size_t i = 0; rc == TK_OK && i < m->n_vis; i++)
    if (iv[i] < 0 || (uint32_t)iv[i] >= N)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: vis_node[%zu] = %d outside the grid",
                   path, i, iv[i]);
    else
      m->vis_node[i] = (uint32_t)iv[i];
  free(iv);
  iv = NULL;
  if (rc == TK_OK)
    rc = io_read_i32(f, "/dtm/edges", &iv, &rank, dims, err);
  if (rc == TK_OK && (rank != 2 || dims[0] != E || dims[1] != 2))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: %zu links stored, a %u x %u G%d grid "
                 "has %zu", path, dims[0], p.L, p.L, 4 * p.n_jumps, E);
  for (size_t e = 0; rc == TK_OK && e < E; e++)
    if ((uint32_t)iv[2 * e] != m->ei[e] || (uint32_t)iv[2 * e + 1] != m->ej[e])
      rc = TK_FAIL(err, TK_EFORMAT, "%s: link %zu differs from the G%d grid",
                   path, e, 4 * p.n_jumps);
  free(iv);
  iv = NULL;
  if (rc == TK_OK) rc = read_exact(f, "/dtm/J", T * E, m->J, err);
  if (rc == TK_OK) rc = read_exact(f, "/dtm/h", T * N, m->h, err);
  if (rc == TK_OK) rc = read_exact(f, "/dtm/acp_lambda", T, m->acp_lambda, err);
  if (rc == TK_OK) rc = read_exact(f, "/dtm/pix_mean", TSU_DTM_N_PIX, m->pix_mean, err);
  if (rc == TK_OK) rc = read_exact(f, "/dtm/adam/mJ", T * E, m->mJ, err);
  if (rc == TK_OK) rc = read_exact(f, "/dtm/adam/vJ", T * E, m->vJ, err);
  if (rc == TK_OK) rc = read_exact(f, "/dtm/adam/mh", T * N, m->mh, err);
  if (rc == TK_OK) rc = read_exact(f, "/dtm/adam/vh", T * N, m->vh, err);
  if (rc == TK_OK) {
    double *t = malloc(T * sizeof *t);
    rc = t ? read_exact(f, "/dtm/adam/t", T, t, err)
           : TK_FAIL(err, TK_ENOMEM, "model");
    /* written as int32 step counts: anything else (NaN, negative,
       fractional, > 2^31-1) is a damaged file, and converting it to an
       integer would be undefined (found by fuzz_h5_dtm) */
    for (size_t k = 0; rc == TK_OK && k < T; k++) {
      if (!(t[k] >= 0.0 && t[k] <= 2147483647.0 && t[k] == floor(t[k])))
        rc = TK_FAIL(err, TK_EFORMAT,
                     "%s: /dtm/adam/t[%zu] = %g is not an Adam step count "
                     "(a whole number 0..2147483647)", path, k, t[k]);
      else
        m->adam_t[k] = (uint64_t)t[k];
    }
    free(t);
  }
  if (rc == TK_OK && h != NULL) {
    size_t r[8];
    rc = read_hist(f, "/train/epoch/wall_s", 0, &h->wall_s, &r[0], err);
    if (rc == TK_OK) rc = read_hist(f, "/train/epoch/images_per_s", 0, &h->images_per_s, &r[1], err);
    if (rc == TK_OK) rc = read_hist(f, "/train/epoch/flips_per_ns", 0, &h->flips_per_ns, &r[2], err);
    if (rc == TK_OK) rc = read_hist(f, "/train/epoch/autocorr", T, &h->autocorr, &r[3], err);
    if (rc == TK_OK) rc = read_hist(f, "/train/epoch/lambda", T, &h->lambda, &r[4], err);
    if (rc == TK_OK) rc = read_hist(f, "/train/acp/epoch", T, &h->acp_epoch, &r[5], err);
    if (rc == TK_OK) rc = read_hist(f, "/train/acp/autocorr", T, &h->acp_autocorr, &r[6], err);
    if (rc == TK_OK) rc = read_hist(f, "/train/acp/lambda", T, &h->acp_lambda, &r[7], err);
    if (rc == TK_OK && (r[1] != r[0] || r[2] != r[0] || r[3] != r[0] ||
                        r[4] != r[0] || r[6] != r[5] || r[7] != r[5]))
      rc = TK_FAIL(err, TK_EFORMAT, "%s: training history arrays disagree",
                   path);
    h->n_epoch = rc == TK_OK ? r[0] : 0;
    h->n_acp = rc == TK_OK ? r[5] : 0;
    if (rc == TK_OK)
      rc = io_dtm_log_read(f, (uint32_t)T, &h->log, err);
  }
  if (rc != TK_OK) {
    tsu_dtm_free(m);
    return rc;
  }
  *out = m;
  return TK_OK;
}

int io_dtm_load(const char *path, tsu_dtm **m, io_dtm_history *h, tk_err *err)
{
  *m = NULL;
  if (h != NULL)
    memset(h, 0, sizeof *h);
  io_file *f = NULL;
  TK_TRY(io_file_open_read(path, &f, err));
  int rc = load_body(f, path, m, h, err);
  io_file_close(f);
  if (rc != TK_OK && h != NULL)
    io_dtm_history_free(h);
  return rc;
}
