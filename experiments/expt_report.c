/* expt_report.c -- experiments/REPORT.md, regenerated from the result
 * files.
 *
 * Workload: one pass over a dozen small HDF5 files.  Every number printed
 * here is read from a result file (layout in expt.h); the prose around
 * them is the registry's `about` text, the comparison rows' `why` text and
 * the notes the runs wrote.  Each section names its file and the command
 * attribute that made it, so every number can be traced and re-made.
 */
#include "experiments/expt.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Units shown with an SI prefix (value scaled, prefix prepended). */
static int si_unit(const char *u)
{
  static const char *const si[] = {"W", "J", "s", "V", "Hz", "FLOP/s", "J/FLOP",
                                   "F", "A", "FLOP", "J/bit",
                                   "J/sample", "W/cell"};
  for (size_t i = 0; i < sizeof si / sizeof si[0]; i++)
    if (strcmp(u, si[i]) == 0)
      return 1;
  return 0;
}

/* value with unit, e.g. "3.11 GW", "0.35 fJ", "0.861", "12 %". */
static void fmt(char *buf, size_t size, double v, const char *unit)
{
  if (!isfinite(v)) {
    snprintf(buf, size, "%s", isnan(v) ? "-" : (v > 0 ? "inf" : "-inf"));
    return;
  }
  if (unit != NULL && si_unit(unit) && v != 0) {
    static const char *const pre[] = {"a", "f", "p", "n", "u", "m", "", "k",
                                      "M", "G", "T", "P", "E"};
    int e = (int)floor(log10(fabs(v)) / 3.0);
    if (e < -6) e = -6;
    if (e > 6) e = 6;
    snprintf(buf, size, "%.5g %s%s", v / pow(10.0, 3.0 * e), pre[e + 6], unit);
    return;
  }
  if (unit == NULL || strcmp(unit, "1") == 0 || unit[0] == '\0')
    snprintf(buf, size, "%.4g", v);
  else
    snprintf(buf, size, "%.4g %s", v, unit);
}

static void read_str(io_file *f, const char *obj, const char *name, char *buf,
                     size_t size)
{
  tk_err e = {0};
  if (io_get_attr_str(f, obj, name, buf, size, &e) != 0)
    buf[0] = '\0';
}

/* Scalar dataset with its unit; NAN and "" when absent. */
static double read_val(io_file *f, const char *path, char *unit, size_t usize)
{
  tk_err e = {0};
  double v = NAN;
  if (expt_read1(f, path, &v, &e) != 0)
    v = NAN;
  if (unit != NULL)
    read_str(f, path, "unit", unit, usize);
  return v;
}

/* Markdown table cells must not contain '|' or newlines. */
static void cell(FILE *o, const char *s)
{
  for (; *s; s++)
    fputc(*s == '|' ? '/' : (*s == '\n' ? ' ' : *s), o);
}

/* Split "a|b|c" into at most max pointers into buf (modified). */
static size_t split(char *buf, char **out, size_t max)
{
  size_t n = 0;
  if (buf[0] == '\0')
    return 0;
  char *p = buf;
  while (n < max) {
    out[n++] = p;
    char *bar = strchr(p, '|');
    if (bar == NULL)
      break;
    *bar = '\0';
    p = bar + 1;
  }
  return n;
}

static void section_summary(FILE *o, io_file *f)
{
  char keys[2048];
  read_str(f, "/summary", "keys", keys, sizeof keys);
  char *k[EXPT_MAX_SUMMARY];
  size_t n = split(keys, k, EXPT_MAX_SUMMARY);
  if (n == 0)
    return;
  fprintf(o, "Summary line (`/summary`):\n\n| key | value |\n|---|---|\n");
  for (size_t i = 0; i < n; i++) {
    char path[128], unit[64], v[64];
    snprintf(path, sizeof path, "/summary/%s", k[i]);
    double x = read_val(f, path, unit, sizeof unit);
    fmt(v, sizeof v, x, unit);
    fprintf(o, "| `%s` | %s |\n", k[i], v);
  }
  fprintf(o, "\n");
}

static void section_inputs(FILE *o, io_file *f)
{
  char **names = NULL;
  size_t n = 0;
  tk_err e = {0};
  if (!io_exists(f, "/inputs") || io_list(f, "/inputs", &names, &n, &e) != 0 ||
      n == 0)
    return;
  fprintf(o, "Inputs (`/inputs`):\n\n| input | value | source |\n|---|---|---|\n");
  for (size_t i = 0; i < n; i++) {
    char path[256], unit[64], v[64], src[1024];
    snprintf(path, sizeof path, "/inputs/%s", names[i]);
    double x = read_val(f, path, unit, sizeof unit);
    read_str(f, path, "source", src, sizeof src);
    fmt(v, sizeof v, x, unit);
    fprintf(o, "| `%s` | %s | ", names[i], v);
    cell(o, src);
    fprintf(o, " |\n");
  }
  fprintf(o, "\n");
  io_names_free(names, n);
}

static void section_tables(FILE *o, io_file *f)
{
  char **names = NULL;
  size_t n = 0;
  tk_err e = {0};
  if (!io_exists(f, "/tables") || io_list(f, "/tables", &names, &n, &e) != 0)
    return;
  for (size_t t = 0; t < n; t++) {
    char g[256], title[512], colbuf[2048], rowbuf[4096];
    snprintf(g, sizeof g, "/tables/%s", names[t]);
    read_str(f, g, "title", title, sizeof title);
    read_str(f, g, "columns", colbuf, sizeof colbuf);
    read_str(f, g, "rows", rowbuf, sizeof rowbuf);
    char *cols[32], *rows[256];
    size_t nc = split(colbuf, cols, 32), nr = split(rowbuf, rows, 256);
    double *data[32] = {NULL};
    char units[32][64];
    size_t len = 0;
    int ok = nc > 0;
    for (size_t j = 0; ok && j < nc; j++) {
      char p[300];
      size_t m = 0;
      snprintf(p, sizeof p, "%s/c%zu", g, j);
      ok = expt_read(f, p, &data[j], &m, &e) == 0;
      read_str(f, p, "unit", units[j], sizeof units[j]);
      if (j == 0)
        len = m;
      else if (m != len)
        ok = 0;
    }
    if (ok) {
      fprintf(o, "Table `%s`: ", g);
      cell(o, title);
      fprintf(o, "\n\n|%s", nr ? " |" : "");
      for (size_t j = 0; j < nc; j++) {
        fprintf(o, " ");
        cell(o, cols[j]);
        fprintf(o, " |");
      }
      fprintf(o, "\n|%s", nr ? "---|" : "");
      for (size_t j = 0; j < nc; j++)
        fprintf(o, "---|");
      fprintf(o, "\n");
      for (size_t i = 0; i < len; i++) {
        fprintf(o, "|");
        if (nr)
          fprintf(o, " %s |", i < nr ? rows[i] : "");
        for (size_t j = 0; j < nc; j++) {
          char v[64];
          fmt(v, sizeof v, data[j][i], units[j]);
          fprintf(o, " %s |", v);
        }
        fprintf(o, "\n");
      }
      fprintf(o, "\n");
    }
    for (size_t j = 0; j < nc; j++)
      free(data[j]);
  }
  io_names_free(names, n);
}

static void section_compare(FILE *o, io_file *f)
{
  char order[2048];
  read_str(f, "/compare", "order", order, sizeof order);
  char *ids[64];
  size_t n = split(order, ids, 64);
  if (n == 0)
    return;
  fprintf(o, "tsukit vs published (`/compare`):\n\n"
             "| quantity | tsukit | published | tsukit / published | "
             "published source | why they differ |\n"
             "|---|---|---|---|---|---|\n");
  for (size_t i = 0; i < n; i++) {
    char g[256], p[300], unit[64], q[256], src[1024], why[2048], a[64], b[64],
        rr[64];
    snprintf(g, sizeof g, "/compare/%s", ids[i]);
    snprintf(p, sizeof p, "%s/tsukit", g);
    double x = read_val(f, p, unit, sizeof unit);
    snprintf(p, sizeof p, "%s/published", g);
    double y = read_val(f, p, NULL, 0);
    read_str(f, g, "quantity", q, sizeof q);
    read_str(f, g, "source", src, sizeof src);
    read_str(f, g, "why", why, sizeof why);
    fmt(a, sizeof a, x, unit);
    fmt(b, sizeof b, y, unit);
    if (isfinite(x) && isfinite(y) && y != 0)
      snprintf(rr, sizeof rr, "%.3g", x / y);
    else
      snprintf(rr, sizeof rr, "-");
    fprintf(o, "| ");
    cell(o, q);
    fprintf(o, " | %s | %s | %s | ", a, b, rr);
    cell(o, src);
    fprintf(o, " | ");
    cell(o, why);
    fprintf(o, " |\n");
  }
  fprintf(o, "\n");
}

/* Relative path from folder `from` to file `to` (both absolute). */
static void relpath(const char *from, const char *to, char *out, size_t size)
{
  size_t i = 0, last = 0;
  while (from[i] && from[i] == to[i]) {
    if (from[i] == '/')
      last = i;
    i++;
  }
  if (from[i] == '\0' && to[i] == '/')
    last = i;
  size_t len = 0;
  out[0] = '\0';
  /* one "../" per remaining component of from after `last` */
  for (const char *p = from + last; *p; p++)
    if (*p == '/' && p[1] != '\0')
      len += (size_t)snprintf(out + len, size - len, "../");
  snprintf(out + len, size - len, "%s", to + last + 1);
}

static int abs_dir(const char *path, char *out, size_t size)
{
  char tmp[PATH_MAX];
  if (realpath(path, tmp) == NULL)
    return -1;
  snprintf(out, size, "%s", tmp);
  return 0;
}

int expt_report_write(const char *dir, const char *report_path,
                      size_t *n_found, tk_err *err)
{
  char adir[PATH_MAX], rdir[PATH_MAX], tmp[PATH_MAX];
  if (abs_dir(dir, adir, sizeof adir) != 0)
    return TK_FAIL(err, TK_ENOTFOUND, "results folder %s not found", dir);
  snprintf(tmp, sizeof tmp, "%s", report_path);
  char *slash = strrchr(tmp, '/');
  if (slash == NULL)
    snprintf(tmp, sizeof tmp, ".");
  else if (slash == tmp)
    tmp[1] = '\0';
  else
    *slash = '\0';
  if (abs_dir(tmp, rdir, sizeof rdir) != 0)
    return TK_FAIL(err, TK_ENOTFOUND, "report folder %s not found", tmp);
  char partial[PATH_MAX + 16];
  snprintf(partial, sizeof partial, "%s.partial", report_path);
  FILE *o = fopen(partial, "w");
  if (o == NULL)
    return TK_FAIL(err, TK_EIO, "cannot write %s", partial);

  fprintf(o, "# tsukit experiments: the seeds' claims, reproduced\n\n"
             "<!-- Generated by `tsukit experiment report`; do not edit: "
             "rerun `make experiments`. -->\n\n"
             "Each section below is one `tsukit experiment NAME` run.  Every "
             "number is read from that run's HDF5 file (named in the section, "
             "with the `command` attribute that made it); figures are drawn "
             "from the same files.  Inputs that the seed documents do not "
             "state are ours and say so.  Where tsukit disagrees with a "
             "published figure, the comparison table gives the ratio and the "
             "reason.\n\n");
  /* Index */
  size_t found = 0;
  fprintf(o, "| experiment | run | run time |\n|---|---|---|\n");
  for (size_t i = 0; i < expt_count(); i++) {
    const expt_info *e = expt_at(i);
    char h5[PATH_MAX + 64];
    snprintf(h5, sizeof h5, "%s/%s.h5", adir, e->name);
    io_file *f = NULL;
    tk_err e2 = {0};
    if (access(h5, R_OK) != 0 || io_file_open_read(h5, &f, &e2) != 0) {
      fprintf(o, "| %s | not run | - |\n", e->name);
      continue;
    }
    int64_t quick = 0;
    double wall = NAN;
    io_get_attr_i64(f, "/", "quick", &quick, &e2);
    io_get_attr_f64(f, "/", "wall_s", &wall, &e2);
    fprintf(o, "| [%s](#%s) | %s | %.1f s |\n", e->name, e->name,
            quick ? "quick" : "full", wall);
    io_file_close(f);
  }
  fprintf(o, "\n");
  for (size_t i = 0; i < expt_count(); i++) {
    const expt_info *e = expt_at(i);
    char h5[PATH_MAX + 64], png[PATH_MAX + 64], rel[PATH_MAX + 64],
        relpng[PATH_MAX + 64];
    snprintf(h5, sizeof h5, "%s/%s.h5", adir, e->name);
    snprintf(png, sizeof png, "%s/%s.png", adir, e->name);
    io_file *f = NULL;
    tk_err e2 = {0};
    if (access(h5, R_OK) != 0 || io_file_open_read(h5, &f, &e2) != 0)
      continue;
    found++;
    char cmd[4096], ver[64], when[64];
    int64_t seed = 0, quick = 0;
    double wall = NAN;
    read_str(f, "/", "command", cmd, sizeof cmd);
    read_str(f, "/", "tsukit_version", ver, sizeof ver);
    read_str(f, "/", "created_utc", when, sizeof when);
    io_get_attr_i64(f, "/", "seed", &seed, &e2);
    io_get_attr_i64(f, "/", "quick", &quick, &e2);
    io_get_attr_f64(f, "/", "wall_s", &wall, &e2);
    relpath(rdir, h5, rel, sizeof rel);
    fprintf(o, "<a id=\"%s\"></a>\n## %s (`%s`)\n\n%s\n\n", e->name, e->title,
            e->name, e->about);
    fprintf(o, "File [`%s`](%s), made by `%s` (tsukit %s, %s, seed %lld, "
               "%s run, %.1f s).\n\n",
            rel, rel, cmd, ver, when, (long long)seed,
            quick ? "quick" : "full", wall);
    if (access(png, R_OK) == 0) {
      relpath(rdir, png, relpng, sizeof relpng);
      fprintf(o, "![%s](%s)\n\n", e->name, relpng);
    }
    /* A second figure NAME-grid.png, drawn by `tsukit plot` from one of
     * the experiment's own data files (dtm-fashion's samples). */
    snprintf(png, sizeof png, "%s/%s-grid.png", adir, e->name);
    if (access(png, R_OK) == 0) {
      relpath(rdir, png, relpng, sizeof relpng);
      fprintf(o, "![%s samples](%s)\n\n", e->name, relpng);
    }
    section_compare(o, f);
    section_tables(o, f);
    char notes[8192];
    read_str(f, "/", "notes", notes, sizeof notes);
    if (notes[0] != '\0')
      fprintf(o, "Notes (computed by the run): %s\n\n", notes);
    section_summary(o, f);
    section_inputs(o, f);
    io_file_close(f);
  }
  if (fclose(o) != 0) {
    remove(partial);
    return TK_FAIL(err, TK_EIO, "error writing %s", partial);
  }
  if (rename(partial, report_path) != 0) {
    remove(partial);
    return TK_FAIL(err, TK_EIO, "cannot rename %s", partial);
  }
  if (n_found != NULL)
    *n_found = found;
  return TK_OK;
}
