/* io_plot.c -- build a gnuplot script in memory and run gnuplot on it. */
#define _GNU_SOURCE
#include "config.h"

#include "io/io_plot.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int io_plot_begin(io_plot *p, const char *png, int width, int height,
                  tk_err *err)
{
  memset(p, 0, sizeof *p);
  if (png == NULL || strlen(png) >= sizeof p->png_path)
    return TK_FAIL(err, TK_EINVAL, "bad figure file name");
  snprintf(p->png_path, sizeof p->png_path, "%s", png);
  p->script = open_memstream(&p->buf, &p->len);
  if (p->script == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory for a plot script");
  fprintf(p->script,
          "set terminal pngcairo size %d,%d enhanced font 'Sans,10'\n"
          "set output '%s'\n"
          "set grid lc rgb '#dddddd'\n"
          "set key box opaque\n",
          width, height, png);
  return TK_OK;
}

void io_plot_cmd(io_plot *p, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vfprintf(p->script, fmt, ap);
  va_end(ap);
}

void io_plot_data_xy(io_plot *p, const char *name, const double *x,
                     const double *y, size_t n)
{
  fprintf(p->script, "$%s << EOD\n", name);
  for (size_t i = 0; i < n; i++) {
    if (y != NULL)
      fprintf(p->script, "%.9g %.9g\n", x[i], y[i]);
    else
      fprintf(p->script, "%.9g\n", x[i]);
  }
  fprintf(p->script, "EOD\n");
}

void io_plot_data_table(io_plot *p, const char *name, const double *t,
                        size_t n, size_t m)
{
  fprintf(p->script, "$%s << EOD\n", name);
  for (size_t i = 0; i < n; i++) {
    for (size_t j = 0; j < m; j++)
      fprintf(p->script, j ? " %.9g" : "%.9g", t[i * m + j]);
    fprintf(p->script, "\n");
  }
  fprintf(p->script, "EOD\n");
}

void io_plot_discard(io_plot *p)
{
  if (p->script != NULL)
    fclose(p->script);
  free(p->buf);
  p->script = NULL;
  p->buf = NULL;
}

int io_plot_run(io_plot *p, tk_err *err)
{
  fprintf(p->script, "unset output\n");
  fclose(p->script);
  p->script = NULL;
  char tmpl[] = "/tmp/tsukit-plot-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0) {
    io_plot_discard(p);
    return TK_FAIL(err, TK_EIO, "cannot create a temporary gnuplot script");
  }
  size_t off = 0;
  while (off < p->len) {
    ssize_t w = write(fd, p->buf + off, p->len - off);
    if (w <= 0)
      break;
    off += (size_t)w;
  }
  close(fd);
  io_plot_discard(p);
  if (off < p->len) {
    unlink(tmpl);
    return TK_FAIL(err, TK_EIO, "cannot write the gnuplot script");
  }
  unlink(p->png_path);
  char cmd[8400];
  snprintf(cmd, sizeof cmd, "'%s' '%s' 2>&1", TK_GNUPLOT, tmpl);
  FILE *g = popen(cmd, "r");
  char out[1024] = "";
  size_t used = 0;
  if (g != NULL) {
    char line[256];
    while (fgets(line, sizeof line, g) != NULL) {
      size_t l = strlen(line);
      if (used + l < sizeof out) {
        memcpy(out + used, line, l + 1);
        used += l;
      }
    }
  }
  int status = g ? pclose(g) : -1;
  unlink(tmpl);
  struct stat st;
  if (status != 0 || stat(p->png_path, &st) != 0 || st.st_size == 0) {
    for (char *c = out; *c; c++)
      if (*c == '\n')
        *c = ' ';
    return TK_FAIL(err, TK_EIO, "gnuplot failed to draw %s: %s", p->png_path,
                   out[0] ? out : "no output");
  }
  return TK_OK;
}
