/* tka_trace.c -- `tsukit trace` as a call with the traces read back
 * (tka_trace.h). */
#include "api/tka_trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_digitize.h"
#include "circuits/cells/ckt_cellkind.h"
#include "io/io_h5.h"
#include "io/io_trace.h"
#include "run/run_trace.h"

typedef struct trace_run {
  io_trace_rec rec;          /* time and output lines */
  uint8_t *state;            /* [n] digitised, or NULL (gmm) */
} trace_run;

struct tka_trace {
  ckt_cellkind kind;         /* the cell's kind */
  double vdd_V;              /* supply */
  size_t n_runs;             /* operating points */
  io_trace_figs *figs;       /* [n_runs] */
  trace_run *runs;           /* [n_runs] */
};

void tka_trace_free(tka_trace *t)
{
  if (t == NULL)
    return;
  for (size_t r = 0; t->runs != NULL && r < t->n_runs; r++) {
    io_trace_rec_clear(&t->runs[r].rec);
    free(t->runs[r].state);
  }
  free(t->runs);
  free(t->figs);
  free(t);
}

static int digitize(tka_trace *t, size_t r, tk_err *err)
{
  trace_run *x = &t->runs[r];
  size_t n = x->rec.n_line;
  if (t->kind == CKT_CELL_GMM || n < 2)
    return TK_OK;
  if ((x->state = malloc(n)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "trace states");
  cal_digitize_params dp = cal_digitize_default_params();
  cal_digitize_result dr;
  tk_err e2 = {0};   /* no transitions still fills the states */
  if (t->kind == CKT_CELL_PBIT) {
    dp.lo_V = t->figs[r].pbit.lo_V;
    dp.hi_V = t->figs[r].pbit.hi_V;
    if (!(dp.hi_V > dp.lo_V))
      dp.lo_V = dp.hi_V = NAN;
    cal_digitize2(x->rec.line_V[0], n, &dp, x->state, &dr, &e2);
  } else {
    cal_digitize_lines((const double *const *)x->rec.line_V,
                       x->rec.n_lines, n, &dp, x->state, &dr, &e2);
  }
  return TK_OK;
}

static int read_back(const char *out, tka_trace *t, tk_err *err)
{
  io_file *f = NULL;
  io_trace_info info;
  memset(&info, 0, sizeof info);
  TK_TRY(io_file_open_read(out, &f, err));
  int rc = io_trace_info_read(f, &info, err);
  if (rc == TK_OK && info.n_runs != t->n_runs)
    rc = TK_FAIL(err, TK_EFORMAT, "%s holds %zu runs, %zu were simulated",
                 out, info.n_runs, t->n_runs);
  if (rc == TK_OK && (t->runs = calloc(t->n_runs, sizeof *t->runs)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "trace runs");
  for (size_t r = 0; rc == TK_OK && r < t->n_runs; r++) {
    rc = io_trace_rec_read(f, &info, r, &t->runs[r].rec, err);
    if (rc == TK_OK)
      rc = digitize(t, r, err);
  }
  io_trace_info_clear(&info);
  io_file_close(f);
  return rc;
}

int tka_trace_run(const char *cell, const double *vctl_V, size_t n_vctl,
                  double time_s, double temp_K, int native, uint64_t seed,
                  const char *out, int force, tka_trace **res, tk_err *err)
{
  if (res == NULL || out == NULL || cell == NULL ||
      (n_vctl > 0 && vctl_V == NULL))
    return TK_FAIL(err, TK_EINVAL, "trace: a cell, controls and an output "
                   "file are required");
  *res = NULL;
  if (native != 0 && native != 1)
    return TK_FAIL(err, TK_EINVAL, "trace: engine %d: 0 ngspice, 1 native",
                   native);
  if (!(temp_K > 0 && temp_K <= 1000))
    return TK_FAIL(err, TK_ERANGE, "trace: temperature %g K must be in "
                   "(0, 1000]", temp_K);
  run_trace_params p = run_trace_default_params();
  p.cell = cell;
  p.vctl_V = vctl_V;
  p.n_vctl = n_vctl;
  p.time_s = time_s;
  p.temp_K = temp_K;
  p.native = native;
  p.seed = seed;
  p.out = out;
  p.force = force != 0;
  p.command = "python: tsukit.trace";
  run_trace_result rr;
  memset(&rr, 0, sizeof rr);
  TK_TRY(run_trace(&p, &rr, err));
  tka_trace *t = calloc(1, sizeof *t);
  int rc = t == NULL ? TK_FAIL(err, TK_ENOMEM, "trace") : TK_OK;
  if (rc == TK_OK) {
    t->kind = rr.ci->cellkind;
    t->vdd_V = rr.vdd_V;
    t->n_runs = rr.n_runs;
    t->figs = rr.figs;      /* ownership moves to t */
    rr.figs = NULL;
    rc = read_back(out, t, err);
  }
  run_trace_result_free(&rr);
  if (rc != TK_OK) {
    tka_trace_free(t);
    return rc;
  }
  *res = t;
  return TK_OK;
}

size_t tka_trace_runs(const tka_trace *t)
{
  return t != NULL ? t->n_runs : 0;
}

const char *tka_trace_kind(const tka_trace *t)
{
  return t != NULL ? ckt_cellkind_name(t->kind) : "";
}

double tka_trace_vdd_V(const tka_trace *t)
{
  return t != NULL ? t->vdd_V : NAN;
}

const double *tka_trace_time(const tka_trace *t, size_t r, size_t *n)
{
  if (t == NULL || r >= t->n_runs)
    return NULL;
  *n = t->runs[r].rec.n_time;
  return t->runs[r].rec.time_s;
}

unsigned tka_trace_n_lines(const tka_trace *t, size_t r)
{
  return t != NULL && r < t->n_runs ? t->runs[r].rec.n_lines : 0;
}

const double *tka_trace_line(const tka_trace *t, size_t r, unsigned k,
                             size_t *n)
{
  if (t == NULL || r >= t->n_runs || k >= t->runs[r].rec.n_lines)
    return NULL;
  *n = t->runs[r].rec.n_line;
  return t->runs[r].rec.line_V[k];
}

const uint8_t *tka_trace_state(const tka_trace *t, size_t r, size_t *n)
{
  if (t == NULL || r >= t->n_runs || t->runs[r].state == NULL)
    return NULL;
  *n = t->runs[r].rec.n_line;
  return t->runs[r].state;
}

size_t tka_trace_n_figs(const tka_trace *t)
{
  size_t n = 0;
  if (t != NULL)
    io_trace_figdefs(t->kind, &n);
  return n;
}

const char *tka_trace_fig_name(const tka_trace *t, size_t k)
{
  size_t n = 0;
  const io_trace_figdef *d = t != NULL ? io_trace_figdefs(t->kind, &n) : NULL;
  return d != NULL && k < n ? d[k].name : NULL;
}

double tka_trace_fig(const tka_trace *t, size_t r, size_t k)
{
  size_t n = 0;
  const io_trace_figdef *d = t != NULL ? io_trace_figdefs(t->kind, &n) : NULL;
  if (d == NULL || k >= n || r >= t->n_runs)
    return NAN;
  return io_trace_fig_value(&t->figs[r], &d[k]);
}
