/* run_dtm_plot_model.c -- `tsukit plot MODEL.h5`: a DTM model's training
 * curves from the file, binary or categorical (io/io_dtm_cat.h: the title
 * names the levels; its log's FD-tsukit is that of the thermometer-coded
 * classifier).  Four panels: FD-tsukit, and label accuracy beside the
 * generation's activity (flips or state changes per update), of the
 * training log (io/io_dtm_log.h) against the epoch, and each step's chain
 * autocorrelation and correlation-penalty weight (every measurement of
 * /train/acp, else the log's end-of-epoch values).  A file without a
 * training log (made before it existed) still plots: its quality panels
 * say "no training log", and without any history the chain panels say
 * "no training history".
 *
 * Workload: a few hundred points, one gnuplot run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_plot.h"
#include "run/run_dtm.h"

/* An empty panel that says why. */
static void empty_panel(io_plot *p, const char *title, const char *why)
{
  io_plot_cmd(p, "set title '%s'\nset label 1 '%s' at graph 0.5, graph 0.5 "
                 "center\nunset xtics; unset ytics\n"
                 "plot [0:1][0:1] NaN notitle\nunset label 1\n"
                 "set xtics; set ytics\n", title, why);
}

/* Per-step curves: table rows {x, y_1 .. y_T}; logy: log scale if every
 * value is positive. */
static void step_panel(io_plot *p, const char *name, const char *title,
                       const char *ylabel, const double *x, const double *y,
                       size_t n, size_t T, int logy, tk_err *err, int *rc)
{
  double *tab = malloc(n * (T + 1) * sizeof *tab);
  if (tab == NULL) {
    *rc = TK_FAIL(err, TK_ENOMEM, "plot table");
    return;
  }
  int pos = 1;
  for (size_t i = 0; i < n; i++) {
    tab[i * (T + 1)] = x[i];
    for (size_t k = 0; k < T; k++) {
      tab[i * (T + 1) + 1 + k] = y[i * T + k];
      pos = pos && y[i * T + k] > 0;
    }
  }
  io_plot_data_table(p, name, tab, n, T + 1);
  free(tab);
  io_plot_cmd(p, "set title '%s'\nset xlabel 'epoch'\nset ylabel '%s'\n%s"
                 "plot for [k=1:%zu] $%s using 1:(column(k+1)) with "
                 "linespoints pt 7 ps 0.5 title sprintf('step %%d', k)\n"
                 "unset logscale y\n", title, ylabel,
              logy && pos ? "set logscale y\n" : "", T, name);
}

int run_dtm_plot_model(io_file *f, const char *png, tk_err *err)
{
  tsu_dtm *m = NULL;
  io_dtm_history h = {0};
  TK_TRY(io_dtm_load(io_file_path(f), &m, &h, err));
  size_t T = m->p.T;
  const io_dtm_log *lg = &h.log;
  /* a categorical model (io_dtm_cat.h): /dtm attr levels */
  int64_t K = 0;
  char px[48] = "binary pixels";
  if (io_get_attr_i64(f, "/dtm", "levels", &K, NULL) == TK_OK)
    snprintf(px, sizeof px, "cat%lld pixels (%lld gray levels)",
             (long long)K, (long long)K);
  io_plot p;
  int rc = io_plot_begin(&p, png, 1100, 800, err);
  if (rc != TK_OK) {
    io_dtm_history_free(&h);
    tsu_dtm_free(m);
    return rc;
  }
  io_plot_cmd(&p, "set multiplot layout 2,2 title \"DTM training curves: "
                  "%s, T = %zu, G%d, L = %u, K = %u sweeps, ACP %s, %u epochs"
                  "\" noenhanced\nset key top right\nset grid\n", px, T,
              4 * m->p.n_jumps, m->p.L, m->p.sweeps, m->p.acp ? "on" : "off",
              m->epochs_done);
  if (lg->n > 0) {
    io_plot_data_xy(&p, "fd", lg->epoch, lg->fd_tsukit, lg->n);
    io_plot_data_xy(&p, "acc", lg->epoch, lg->label_accuracy, lg->n);
    io_plot_data_xy(&p, "act", lg->epoch, lg->activity, lg->n);
    io_plot_cmd(&p, "set title 'FD-tsukit (%u samples vs %u test images%s)'"
                    "\nset xlabel 'epoch'\nset ylabel 'FD-tsukit'\n"
                    "unset key\nplot $fd with linespoints pt 7 lw 2 notitle\n",
                lg->samples, lg->test_images,
                lg->levels >= 2 ? ", thermometer-coded classifier" : "");
    io_plot_cmd(&p, "set title 'label-clamped samples'\nset key top left\n"
                    "set ylabel 'fraction'\nset yrange [0:1]\n"
                    "plot $acc with linespoints pt 7 lw 2 title 'label "
                    "accuracy', $act with linespoints pt 6 lw 1 title '%s "
                    "per update'\nset yrange [*:*]\nset key top right\n",
                lg->levels >= 2 ? "state changes" : "flips");
  } else {
    fprintf(stderr, "tsukit plot: %s has no training log (made before "
            "`dtm train` kept one): its quality panels are empty\n",
            io_file_path(f));
    empty_panel(&p, "FD-tsukit", "no training log");
    empty_panel(&p, "label accuracy", "no training log");
  }
  const double *x = NULL, *ac = NULL, *lam = NULL;
  size_t n = 0;
  double *ex = NULL;
  if (h.n_acp > 0) {
    n = h.n_acp;
    ac = h.acp_autocorr;
    lam = h.acp_lambda;
    ex = malloc(n * sizeof *ex);
    if (ex == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "plot table");
    for (size_t i = 0; ex != NULL && i < n; i++)
      ex[i] = h.acp_epoch[i * T];
    x = ex;
  } else if (lg->n > 0) {
    n = lg->n;
    x = lg->epoch;
    ac = lg->autocorr;
    lam = lg->acp_lambda;
  }
  if (rc == TK_OK && n > 0) {
    io_plot_cmd(&p, "set arrow 1 from graph 0, first %g to graph 1, first "
                    "%g nohead dt 2\n", m->p.acp_target, m->p.acp_target);
    step_panel(&p, "ac", "chain autocorrelation at lag K (dashed: ACP target)",
               "autocorrelation", x, ac, n, T, 0, err, &rc);
    io_plot_cmd(&p, "unset arrow 1\n");
    if (rc == TK_OK)
      step_panel(&p, "lam", "correlation-penalty weight", "lambda", x, lam,
                 n, T, 1, err, &rc);
  } else if (rc == TK_OK) {
    empty_panel(&p, "chain autocorrelation", "no training history");
    empty_panel(&p, "correlation-penalty weight", "no training history");
  }
  free(ex);
  io_plot_cmd(&p, "unset multiplot\n");
  if (rc == TK_OK)
    rc = io_plot_run(&p, err);
  else
    io_plot_discard(&p);
  io_dtm_history_free(&h);
  tsu_dtm_free(m);
  return rc;
}
