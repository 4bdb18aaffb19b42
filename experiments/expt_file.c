/* expt_file.c -- running one experiment and the result-file helpers the
 * experiments share (summary, inputs, comparisons, tables, notes).
 *
 * Workload: a few dozen small writes per experiment; the cost is the
 * experiment itself.  The file layout is described in expt.h.
 */
#include "experiments/expt.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/tk_progress.h"

static int make_dir(const char *dir, tk_err *err)
{
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
    return TK_FAIL(err, TK_EINVAL, "output folder name too long");
  for (char *p = buf + 1; ; p++) {
    char c = *p;
    if (c == '/' || c == '\0') {
      *p = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return TK_FAIL(err, TK_EIO, "cannot create folder %s: %s", buf,
                       strerror(errno));
      *p = c;
    }
    if (c == '\0')
      break;
  }
  return TK_OK;
}

int expt_execute(const expt_info *e, const expt_ctx *c, expt_summary *sum,
                 double *wall_s, tk_err *err)
{
  if (e == NULL || c == NULL || c->out_dir == NULL)
    return TK_FAIL(err, TK_EINVAL, "experiment and output folder required");
  TK_TRY(make_dir(c->out_dir, err));
  char h5[4200], png[4200];
  snprintf(h5, sizeof h5, "%s/%s.h5", c->out_dir, e->name);
  snprintf(png, sizeof png, "%s/%s.png", c->out_dir, e->name);
  expt_run r;
  memset(&r, 0, sizeof r);
  r.ctx = c;
  io_prov prov = {c->command, c->seed};
  TK_TRY(io_file_create(h5, &prov, IO_CREATE_OVERWRITE, &r.f, err));
  double t0 = tk_clock_s();
  int rc = io_attr_str(r.f, "/", "experiment", e->name, err);
  if (rc == 0) rc = io_attr_str(r.f, "/", "title", e->title, err);
  if (rc == 0) rc = io_attr_i64(r.f, "/", "quick", c->quick ? 1 : 0, err);
  if (rc == 0) rc = e->run(&r, err);
  double wall = tk_clock_s() - t0;
  if (rc == 0) rc = io_attr_f64(r.f, "/", "wall_s", wall, err);
  if (rc == 0 && r.order[0] != '\0')
    rc = io_attr_str(r.f, "/compare", "order", r.order, err);
  if (rc == 0 && r.notes[0] != '\0')
    rc = io_attr_str(r.f, "/", "notes", r.notes, err);
  if (rc == 0 && r.sum.n > 0) {
    char keys[EXPT_MAX_SUMMARY * (EXPT_KEY_MAX + 1)];
    size_t len = 0;
    keys[0] = '\0';
    for (size_t i = 0; i < r.sum.n; i++)
      len += (size_t)snprintf(keys + len, sizeof keys - len, "%s%s",
                              i ? "|" : "", r.sum.key[i]);
    rc = io_attr_str(r.f, "/summary", "keys", keys, err);
  }
  if (rc != 0) {
    io_file_abort(r.f);
    return rc;
  }
  TK_TRY(io_file_commit(r.f, err));
  if (e->plot != NULL && (rc = e->plot(h5, png, err)) != 0)
    return tk_err_wrap(err, rc, "figure of %s", e->name);
  if (sum != NULL)
    *sum = r.sum;
  if (wall_s != NULL)
    *wall_s = wall;
  return TK_OK;
}

int expt_sum(expt_run *r, const char *key, double value, const char *unit,
             tk_err *err)
{
  if (r->sum.n >= EXPT_MAX_SUMMARY || strlen(key) >= EXPT_KEY_MAX)
    return TK_FAIL(err, TK_EINTERNAL, "summary full or key '%s' too long", key);
  snprintf(r->sum.key[r->sum.n], EXPT_KEY_MAX, "%s", key);
  r->sum.value[r->sum.n++] = value;
  char path[128];
  snprintf(path, sizeof path, "/summary/%s", key);
  size_t d1[1] = {1};
  return io_write_f64(r->f, path, 1, d1, &value, unit, err);
}

int expt_input(expt_run *r, const char *key, double value, const char *unit,
               const char *source, tk_err *err)
{
  char path[128];
  snprintf(path, sizeof path, "/inputs/%s", key);
  size_t d1[1] = {1};
  TK_TRY(io_write_f64(r->f, path, 1, d1, &value, unit, err));
  return io_attr_str(r->f, path, "source", source, err);
}

int expt_compare(expt_run *r, const char *id, const char *quantity,
                 double tsukit, double published, const char *unit,
                 const char *source, const char *why, tk_err *err)
{
  char g[128], p[160];
  snprintf(g, sizeof g, "/compare/%s", id);
  size_t d1[1] = {1};
  snprintf(p, sizeof p, "%s/tsukit", g);
  TK_TRY(io_write_f64(r->f, p, 1, d1, &tsukit, unit, err));
  snprintf(p, sizeof p, "%s/published", g);
  TK_TRY(io_write_f64(r->f, p, 1, d1, &published, unit, err));
  TK_TRY(io_attr_str(r->f, g, "quantity", quantity, err));
  TK_TRY(io_attr_str(r->f, g, "source", source, err));
  TK_TRY(io_attr_str(r->f, g, "why", why != NULL ? why : "", err));
  size_t len = strlen(r->order);
  snprintf(r->order + len, sizeof r->order - len, "%s%s", len ? "|" : "", id);
  return TK_OK;
}

static void join(char *buf, size_t size, const char *const *s, size_t n)
{
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "|" : "", s[i]);
}

int expt_table(expt_run *r, const char *id, const char *title, size_t nrows,
               size_t ncols, const char *const *names,
               const char *const *units, const double *const *col,
               const char *const *row_labels, tk_err *err)
{
  char g[128], p[160], buf[4096];
  snprintf(g, sizeof g, "/tables/%s", id);
  size_t d1[1] = {nrows};
  for (size_t j = 0; j < ncols; j++) {
    snprintf(p, sizeof p, "%s/c%zu", g, j);
    TK_TRY(io_write_f64(r->f, p, 1, d1, col[j], units[j], err));
  }
  TK_TRY(io_attr_str(r->f, g, "title", title, err));
  join(buf, sizeof buf, names, ncols);
  TK_TRY(io_attr_str(r->f, g, "columns", buf, err));
  if (row_labels != NULL) {
    join(buf, sizeof buf, row_labels, nrows);
    TK_TRY(io_attr_str(r->f, g, "rows", buf, err));
  }
  return TK_OK;
}

void expt_note(expt_run *r, const char *fmt, ...)
{
  size_t len = strlen(r->notes);
  if (len > 0 && len + 1 < sizeof r->notes)
    r->notes[len++] = ' ', r->notes[len] = '\0';
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->notes + len, sizeof r->notes - len, fmt, ap);
  va_end(ap);
}

int expt_vec(expt_run *r, const char *path, const double *x, size_t n,
             const char *unit, tk_err *err)
{
  size_t d1[1] = {n};
  return io_write_f64(r->f, path, 1, d1, x, unit, err);
}

int expt_read(io_file *f, const char *path, double **x, size_t *n,
              tk_err *err)
{
  size_t dims[4] = {0, 0, 0, 0};
  int rank = 0;
  TK_TRY(io_read_f64(f, path, x, &rank, dims, err));
  size_t m = 1;
  for (int i = 0; i < rank; i++)
    m *= dims[i];
  *n = m;
  return TK_OK;
}

int expt_read1(io_file *f, const char *path, double *v, tk_err *err)
{
  double *x = NULL;
  size_t n = 0;
  TK_TRY(expt_read(f, path, &x, &n, err));
  *v = n > 0 ? x[0] : NAN;
  free(x);
  return TK_OK;
}
