/* run_dtm_plot.c -- the figures of `tsukit plot` for DTM files, read
 * through io/io_dtm.h: a sample set (grid of generated images beside the
 * denoising chains; a set of categorical pixels, io/io_dtm_cat.h, in gray
 * levels: level k of K at gray k / (K - 1)); the model's training curves
 * are drawn by run_dtm_plot_model.c.  Workload: one gnuplot run of a few hundred
 * thousand pixels. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_dtm_cat.h"
#include "io/io_plot.h"
#include "run/run_dtm.h"

#define PIX 28
#define GAP 2

/* Copy image img (28 x 28 levels 0..K-1) into canvas (width w) at
 * (r0, c0) as gray values in [0, 1]. */
static void blit(double *canvas, size_t w, size_t r0, size_t c0,
                 const uint8_t *img, uint32_t K)
{
  for (size_t r = 0; r < PIX; r++)
    for (size_t c = 0; c < PIX; c++)
      canvas[(r0 + r) * w + c0 + c] = (double)img[r * PIX + c] / (K - 1);
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
  uint32_t K = 2;
  int cat = io_dtmc_is_samples(f);
  if (cat)
    TK_TRY(io_dtmc_samples_read_f(f, &s, &K, err));
  else
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
    canvas[i] = cat ? -1.0 : 0.5;
  for (size_t i = 0; i < n_show; i++)
    if (show[i] != SIZE_MAX)
      blit(canvas, w, (i / cols) * cell, (i % cols) * cell,
           s.images + show[i] * PIX * PIX, K);
  for (size_t c = 0; c < nch; c++)
    for (size_t st = 0; st < steps; st++)
      blit(canvas, w, c * cell, wl + 3 * cell + st * cell,
           s.chain + (st * s.n_chain + c) * PIX * PIX, K);
  /* gnuplot's matrix rows go up the y axis: flip so row 0 is the top. */
  for (size_t r = 0; r < hgt; r++)
    memcpy(flip + r * w, canvas + (hgt - 1 - r) * w, w * sizeof *flip);
  io_plot p;
  int rc = io_plot_begin(&p, png, (int)(w * 3 + 40), (int)(hgt * 3 + 60), err);
  if (rc == TK_OK) {
    io_plot_data_table(&p, "canvas", flip, hgt, w);
    char px[32] = "";
    if (cat)
      snprintf(px, sizeof px, ", cat%u: %u gray levels", K, K);
    io_plot_cmd(&p, "set title \"DTM samples (%s cells%s%s)%s\" noenhanced\n",
                s.cells, px, s.label == IO_DTM_LABEL_ALL
                             ? ", row r: label clamped to class r"
                         : s.label >= 0 ? ", label clamped" : "",
                nch ? "   |   denoising chains: noise x^T (left) -> x^0 (right)"
                    : "");
    io_plot_cmd(&p, "unset key; unset colorbox; unset border; unset tics\n"
                    "%s"
                    "set size ratio -1\nset lmargin 1; set rmargin 1\n"
                    "set xrange [-0.5:%zu.5]; set yrange [-0.5:%zu.5]\n"
                    "plot $canvas matrix with image\n",
                /* gray levels would blend into a mid-gray background: a
                 * pale blue one (value -1) for categorical sets */
                cat ? "set palette defined (-1 '#c8d8f0', -0.01 '#c8d8f0', "
                      "0 'white', 1 'black')\nset cbrange [-1:1]\n"
                    : "set palette gray negative\nset cbrange [0:1]\n",
                w - 1, hgt - 1);
    rc = io_plot_run(&p, err);
  }
  free(flip);
  free(canvas);
  io_dtm_samples_free(&s);
  return rc;
}
