/* plot_dtm.c -- figures of `tsukit plot` for DTM files: a sample file
 * (grid of generated images beside the denoising chains) and a model file
 * (chain autocorrelation and penalty weight through training). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "io/io_h5.h"
#include "io/io_plot.h"

int cmd_plot_dtm_samples(io_file *f, const char *png, tk_err *err);
int cmd_plot_dtm_model(io_file *f, const char *png, tk_err *err);

#define PIX 28
#define GAP 2

/* Copy image img (28 x 28 bytes) into canvas (width w) at (r0, c0). */
static void blit(double *canvas, size_t w, size_t r0, size_t c0,
                 const int8_t *img)
{
  for (size_t r = 0; r < PIX; r++)
    for (size_t c = 0; c < PIX; c++)
      canvas[(r0 + r) * w + c0 + c] = img[r * PIX + c] ? 1.0 : 0.0;
}

int cmd_plot_dtm_samples(io_file *f, const char *png, tk_err *err)
{
  int8_t *img = NULL, *chain = NULL;
  int rank, crank = 0;
  size_t d[4], cd[4] = {0};
  TK_TRY(io_read_i8(f, "/samples/images", &img, &rank, d, err));
  if (rank != 3 || d[1] != PIX || d[2] != PIX) {
    free(img);
    return TK_FAIL(err, TK_EFORMAT, "/samples/images is not [n, 28, 28]");
  }
  /* Left: up to 10 x 10 samples (with --label all, row r shows class r);
   * right: up to 8 chains of T+1 images. */
  size_t n = d[0], cols = 10, rows = (n < 100 ? n + 9 : 100) / 10;
  int32_t *cl = NULL;
  size_t show[100], n_show = 0;
  int64_t label = -1;
  io_get_attr_i64(f, "/samples", "label", &label, NULL);
  if (label == 10 && io_read_i32(f, "/samples/label_clamped", &cl, &rank, cd,
                                 err) == TK_OK && cd[0] == n) {
    for (int c = 0; c < 10; c++) {
      size_t k = 0;
      for (size_t i = 0; i < n && k < cols; i++)
        if (cl[i] == c)
          show[10 * c + k++] = i;
      while (k < cols)
        show[10 * c + k++] = SIZE_MAX;
    }
    n_show = 100;
    rows = 10;
  } else {
    for (size_t i = 0; i < n && i < 100; i++)
      show[n_show++] = i;
  }
  free(cl);
  memset(cd, 0, sizeof cd);
  if (io_exists(f, "/samples/chain") &&
      io_read_i8(f, "/samples/chain", &chain, &crank, cd, err) != TK_OK) {
    free(img);
    return TK_EFORMAT;
  }
  size_t nch = crank == 4 ? (cd[1] < 8 ? cd[1] : 8) : 0, steps = crank == 4 ? cd[0] : 0;
  size_t cell = PIX + GAP;
  size_t hgt = (rows > nch ? rows : nch) * cell;
  size_t wl = cols * cell, w = wl + (nch ? 3 * cell + steps * cell : 0);
  double *canvas = malloc(hgt * w * sizeof *canvas);
  if (canvas == NULL) {
    free(img);
    free(chain);
    return TK_FAIL(err, TK_ENOMEM, "figure canvas");
  }
  for (size_t i = 0; i < hgt * w; i++)
    canvas[i] = 0.5;
  for (size_t i = 0; i < n_show; i++)
    if (show[i] != SIZE_MAX)
      blit(canvas, w, (i / cols) * cell, (i % cols) * cell,
           img + show[i] * PIX * PIX);
  for (size_t c = 0; c < nch; c++)
    for (size_t s = 0; s < steps; s++)
      blit(canvas, w, c * cell, wl + 3 * cell + s * cell,
           chain + (s * cd[1] + c) * PIX * PIX);
  /* gnuplot's matrix rows go up the y axis: flip so row 0 is the top. */
  double *flip = malloc(hgt * w * sizeof *flip);
  if (flip == NULL) {
    free(canvas);
    free(img);
    free(chain);
    return TK_FAIL(err, TK_ENOMEM, "figure canvas");
  }
  for (size_t r = 0; r < hgt; r++)
    memcpy(flip + r * w, canvas + (hgt - 1 - r) * w, w * sizeof *flip);
  char cells[64] = "";
  io_get_attr_str(f, "/samples", "cells", cells, sizeof cells, NULL);
  io_plot p;
  int rc = io_plot_begin(&p, png, (int)(w * 3 + 40), (int)(hgt * 3 + 60), err);
  if (rc == TK_OK) {
    io_plot_data_table(&p, "canvas", flip, hgt, w);
    io_plot_cmd(&p, "set title \"DTM samples (%s cells%s)%s\" noenhanced\n",
                cells, label == 10 ? ", row r: label clamped to class r"
                       : label >= 0 ? ", label clamped" : "",
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
  free(img);
  free(chain);
  return rc;
}

int cmd_plot_dtm_model(io_file *f, const char *png, tk_err *err)
{
  double *ep = NULL, *ac = NULL, *lam = NULL;
  int rank;
  size_t d[4], d2[4], d3[4];
  if (!io_exists(f, "/train/acp/autocorr"))
    return TK_FAIL(err, TK_EFORMAT, "the model has no training history yet");
  int rc = io_read_f64(f, "/train/acp/epoch", &ep, &rank, d, err);
  if (rc == TK_OK) rc = io_read_f64(f, "/train/acp/autocorr", &ac, &rank, d2, err);
  if (rc == TK_OK) rc = io_read_f64(f, "/train/acp/lambda", &lam, &rank, d3, err);
  if (rc == TK_OK && (d2[0] != d[0] || d3[0] != d[0] || d2[1] != d[1]))
    rc = TK_FAIL(err, TK_EFORMAT, "ACP history arrays disagree");
  double target = NAN;
  int64_t acp = 0;
  io_get_attr_f64(f, "/dtm", "acp_target", &target, NULL);
  io_get_attr_i64(f, "/dtm", "acp", &acp, NULL);
  io_plot p;
  if (rc == TK_OK)
    rc = io_plot_begin(&p, png, 900, 700, err);
  if (rc == TK_OK) {
    size_t H = d[0], T = d[1];
    double *tab = malloc(H * (2 * T + 1) * sizeof *tab);
    if (tab == NULL) {
      io_plot_discard(&p);
      rc = TK_FAIL(err, TK_ENOMEM, "plot table");
    } else {
      for (size_t i = 0; i < H; i++) {
        tab[i * (2 * T + 1)] = ep[i * T];
        for (size_t k = 0; k < T; k++) {
          tab[i * (2 * T + 1) + 1 + k] = ac[i * T + k];
          tab[i * (2 * T + 1) + 1 + T + k] = lam[i * T + k];
        }
      }
      io_plot_data_table(&p, "h", tab, H, 2 * T + 1);
      free(tab);
      io_plot_cmd(&p, "set multiplot layout 2,1 title \"DTM training: chain "
                      "autocorrelation at the sampling lag (ACP %s)\"\n",
                  acp ? "on" : "off");
      io_plot_cmd(&p, "set ylabel 'autocorrelation'\nset key outside right\n"
                      "set arrow 1 from graph 0, first %g to graph 1, first %g "
                      "nohead dt 2\n", target, target);
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
  free(ep);
  free(ac);
  free(lam);
  return rc;
}
