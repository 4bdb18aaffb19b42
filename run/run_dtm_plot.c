/* run_dtm_plot.c -- the figures of `tsukit plot` for DTM files, read
 * through io/io_dtm.h: a sample set (grid of generated images beside the
 * denoising chains) and a model (chain autocorrelation and penalty weight
 * through training).  Workload: one gnuplot run of a few hundred
 * thousand pixels. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_plot.h"
#include "run/run_dtm.h"

#define PIX 28
#define GAP 2

/* Copy image img (28 x 28 bytes) into canvas (width w) at (r0, c0). */
static void blit(double *canvas, size_t w, size_t r0, size_t c0,
                 const uint8_t *img)
{
  for (size_t r = 0; r < PIX; r++)
    for (size_t c = 0; c < PIX; c++)
      canvas[(r0 + r) * w + c0 + c] = img[r * PIX + c] ? 1.0 : 0.0;
}

/* Which samples fill the 10-wide grid: with --label all, row r shows class
 * r; otherwise the first 100.  Returns the count of slots. */
static size_t grid_slots(const io_dtm_samples *s, size_t show[100],
                         size_t *rows)
{
  size_t n = s->n, cols = 10, n_show = 0;
  *rows = (n < 100 ? n + 9 : 100) / 10;
  if (s->label == IO_DTM_LABEL_ALL) {
    for (int c = 0; c < 10; c++) {
      size_t k = 0;
      for (size_t i = 0; i < n && k < cols; i++)
        if (s->label_clamped[i] == c)
          show[10 * c + k++] = i;
      while (k < cols)
        show[10 * c + k++] = SIZE_MAX;
    }
    *rows = 10;
    return 100;
  }
  for (size_t i = 0; i < n && i < 100; i++)
    show[n_show++] = i;
  return n_show;
}

int run_dtm_plot_samples(io_file *f, const char *png, tk_err *err)
{
  io_dtm_samples s;
  TK_TRY(io_dtm_samples_read(f, &s, err));
  /* Left: up to 10 x 10 samples; right: up to 8 chains of T+1 images. */
  size_t show[100], rows, cols = 10;
  size_t n_show = grid_slots(&s, show, &rows);
  size_t nch = s.n_chain < 8 ? s.n_chain : 8;
  size_t steps = s.chain ? (size_t)s.steps + 1 : 0;
  if (s.chain == NULL)
    nch = 0;
  size_t cell = PIX + GAP;
  size_t hgt = (rows > nch ? rows : nch) * cell;
  size_t wl = cols * cell, w = wl + (nch ? 3 * cell + steps * cell : 0);
  double *canvas = malloc(hgt * w * sizeof *canvas);
  double *flip = malloc(hgt * w * sizeof *flip);
  if (canvas == NULL || flip == NULL) {
    free(canvas);
    free(flip);
    io_dtm_samples_free(&s);
    return TK_FAIL(err, TK_ENOMEM, "figure canvas");
  }
  for (size_t i = 0; i < hgt * w; i++)
    canvas[i] = 0.5;
  for (size_t i = 0; i < n_show; i++)
    if (show[i] != SIZE_MAX)
      blit(canvas, w, (i / cols) * cell, (i % cols) * cell,
           s.images + show[i] * PIX * PIX);
  for (size_t c = 0; c < nch; c++)
    for (size_t st = 0; st < steps; st++)
      blit(canvas, w, c * cell, wl + 3 * cell + st * cell,
           s.chain + (st * s.n_chain + c) * PIX * PIX);
  /* gnuplot's matrix rows go up the y axis: flip so row 0 is the top. */
  for (size_t r = 0; r < hgt; r++)
    memcpy(flip + r * w, canvas + (hgt - 1 - r) * w, w * sizeof *flip);
  io_plot p;
  int rc = io_plot_begin(&p, png, (int)(w * 3 + 40), (int)(hgt * 3 + 60), err);
  if (rc == TK_OK) {
    io_plot_data_table(&p, "canvas", flip, hgt, w);
    io_plot_cmd(&p, "set title \"DTM samples (%s cells%s)%s\" noenhanced\n",
                s.cells, s.label == IO_DTM_LABEL_ALL
                             ? ", row r: label clamped to class r"
                         : s.label >= 0 ? ", label clamped" : "",
                nch ? "   |   denoising chains: noise x^T (left) -> x^0 (right)"
                    : "");
    io_plot_cmd(&p, "unset key; unset colorbox; unset border; unset tics\n"
                    "set palette gray negative\nset cbrange [0:1]\n"
                    "set size ratio -1\nset lmargin 1; set rmargin 1\n"
                    "set xrange [-0.5:%zu.5]; set yrange [-0.5:%zu.5]\n"
                    "plot $canvas matrix with image\n", w - 1, hgt - 1);
    rc = io_plot_run(&p, err);
  }
  free(flip);
  free(canvas);
  io_dtm_samples_free(&s);
  return rc;
}

int run_dtm_plot_model(io_file *f, const char *png, tk_err *err)
{
  tsu_dtm *m = NULL;
  io_dtm_history h = {0};
  TK_TRY(io_dtm_load(io_file_path(f), &m, &h, err));
  int rc = TK_OK;
  if (h.n_acp == 0)
    rc = TK_FAIL(err, TK_EFORMAT, "the model has no training history yet");
  io_plot p;
  if (rc == TK_OK)
    rc = io_plot_begin(&p, png, 900, 700, err);
  if (rc == TK_OK) {
    size_t H = h.n_acp, T = m->p.T;
    double *tab = malloc(H * (2 * T + 1) * sizeof *tab);
    if (tab == NULL) {
      io_plot_discard(&p);
      rc = TK_FAIL(err, TK_ENOMEM, "plot table");
    } else {
      for (size_t i = 0; i < H; i++) {
        tab[i * (2 * T + 1)] = h.acp_epoch[i * T];
        for (size_t k = 0; k < T; k++) {
          tab[i * (2 * T + 1) + 1 + k] = h.acp_autocorr[i * T + k];
          tab[i * (2 * T + 1) + 1 + T + k] = h.acp_lambda[i * T + k];
        }
      }
      io_plot_data_table(&p, "h", tab, H, 2 * T + 1);
      free(tab);
      io_plot_cmd(&p, "set multiplot layout 2,1 title \"DTM training: chain "
                      "autocorrelation at the sampling lag (ACP %s)\"\n",
                  m->p.acp ? "on" : "off");
      io_plot_cmd(&p, "set ylabel 'autocorrelation'\nset key outside right\n"
                      "set arrow 1 from graph 0, first %g to graph 1, first %g "
                      "nohead dt 2\n", m->p.acp_target, m->p.acp_target);
      io_plot_cmd(&p, "plot for [k=1:%zu] $h using 1:(column(k+1)) with "
                      "linespoints title sprintf('step %%d', k)\n", T);
      io_plot_cmd(&p, "unset arrow 1\nset xlabel 'epoch'\nset ylabel "
                      "'penalty weight'\nset logscale y\n");
      io_plot_cmd(&p, "plot for [k=1:%zu] $h using 1:(column(k+%zu)) with "
                      "linespoints title sprintf('step %%d', k)\n", T, T + 1);
      io_plot_cmd(&p, "unset multiplot\n");
      rc = io_plot_run(&p, err);
    }
  }
  io_dtm_history_free(&h);
  tsu_dtm_free(m);
  return rc;
}
