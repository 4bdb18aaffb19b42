/* plot_cells.c -- `tsukit plot` for a cell library (root kind "cells",
 * written by `tsukit calibrate` / `characterize`): the first pbit cell's
 * transfer curves at every temperature with their logistic fits and, when
 * the library has mismatch/, the +-1 sd band of v0 over Monte-Carlo
 * instances (first temperature); next to it tau against the control.
 *
 * Workload: a few datasets of tens to hundreds of values; one gnuplot run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "circuits/cells/ckt_cellkind.h"
#include "io/io_celllib.h"
#include "io/io_plot.h"

int cmd_plot_cells(io_file *f, const char *png, tk_err *err);

int cmd_plot_cells(io_file *f, const char *png, tk_err *err)
{
  char **names = NULL, (*kinds)[32] = NULL, name[128] = "";
  size_t nn = 0;
  TK_TRY(io_celllib_list(f, &names, &kinds, &nn, err));
  for (size_t i = 0; i < nn && name[0] == '\0'; i++) {
    /* a gmm cell's transfer curve is its upper mode's weight */
    ckt_cellkind k;
    if (ckt_cellkind_from_name(kinds[i], &k, NULL) == 0 &&
        (k == CKT_CELL_PBIT || k == CKT_CELL_GMM))
      snprintf(name, sizeof name, "%s", names[i]);
  }
  io_names_free(names, nn);
  free(kinds);
  if (name[0] == '\0')
    return TK_FAIL(err, TK_EFORMAT, "%s: no pbit or gmm cell to plot "
                   "(categorical cells are not drawn yet)", io_file_path(f));
  io_celllib L;
  TK_TRY(io_celllib_read(f, name, &L, err));
  int rc = TK_OK;
  if (L.fit_v0_V == NULL)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: cell %s has no fit (an unfinished "
                 "sweep?)", io_file_path(f), name);
  else if (L.p_state == NULL || L.p_state_stderr == NULL || L.tau_s == NULL ||
           L.fit_vs_V == NULL || L.control_V == NULL || L.n_states != 2 ||
           L.n_ctl != 1)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: cell %s lacks the datasets of a "
                 "pbit's transfer curve", io_file_path(f), name);
  if (rc != 0) {
    io_celllib_clear(&L);
    return rc;
  }
  const double *temp = L.temperature_K, *v = L.control_V, *ps = L.p_state,
               *pse = L.p_state_stderr, *tau = L.tau_s, *v0 = L.fit_v0_V,
               *vs = L.fit_vs_V, *mv0 = L.mm_v0_V;
  /* calibrate --track: each temperature has its own window */
  const double *pv = L.point_control_V;
  size_t nt = L.nt, nv = L.nv;
#define CTL(t, i) (pv != NULL ? pv[(t) * nv + (i)] : v[i])
  io_plot pl;
  if (rc == 0)
    rc = io_plot_begin(&pl, png, 1400, 560, err);
  if (rc != 0)
    goto done;
  double *tab = malloc(3 * nv * sizeof *tab);
  int *has_tau = calloc(nt + 1, sizeof *has_tau);
  if (tab == NULL || has_tau == NULL) {
    free(tab);
    free(has_tau);
    io_plot_discard(&pl);
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  size_t any_tau = 0;
  for (size_t t = 0; t < nt; t++) {
    char nm[32];
    for (size_t i = 0; i < nv; i++) {
      tab[3 * i] = CTL(t, i) * 1e3;                 /* mV */
      tab[3 * i + 1] = ps[2 * (t * nv + i) + 1];
      tab[3 * i + 2] = pse[2 * (t * nv + i) + 1];
    }
    snprintf(nm, sizeof nm, "d%zu", t);
    io_plot_data_table(&pl, nm, tab, nv, 3);
    size_t m = 0;
    for (size_t i = 0; i < nv; i++)
      if (isfinite(tau[t * nv + i]) && tau[t * nv + i] > 0) {
        tab[2 * m] = CTL(t, i) * 1e3;
        tab[2 * m + 1] = tau[t * nv + i] * 1e6;    /* us */
        m++;
      }
    if (m > 0) {
      snprintf(nm, sizeof nm, "e%zu", t);
      io_plot_data_table(&pl, nm, tab, m, 2);
      has_tau[t] = 1;
      any_tau++;
    }
  }
  free(tab);
  double lo = INFINITY, hi = -INFINITY;
  for (size_t t = 0; t < nt; t++) {
    lo = fmin(lo, CTL(t, 0) * 1e3);
    hi = fmax(hi, CTL(t, nv - 1) * 1e3);
  }
#undef CTL
  io_plot_cmd(&pl, "set multiplot layout 1,2 title 'cell %s' noenhanced\n", name);
  io_plot_cmd(&pl, "set xrange [%g:%g]\nset yrange [-0.05:1.05]\n", lo, hi);
  io_plot_cmd(&pl, "set xlabel 'control (mV)'\nset ylabel 'P(1)'\n"
                   "set key left top\nset grid\nset samples 400\n");
  io_plot_cmd(&pl, "s(x, a, b) = 1 / (1 + exp(-(x - a) / b))\nplot ");
  if (mv0 != NULL && isfinite(mv0[0])) {
    double a = v0[0] * 1e3, b = vs[0] * 1e3, s = mv0[0] * 1e3;
    io_plot_cmd(&pl, "'+' using 1:(s($1, %g, %g)):(s($1, %g, %g)) with "
                "filledcurves lc rgb '#d0d0ff' title 'mismatch: v0 +- 1 sd "
                "(%.3g mV), %.0f K', ", a + s, b, a - s, b, s, temp[0]);
  }
  for (size_t t = 0; t < nt; t++)
    io_plot_cmd(&pl, "$d%zu using 1:2:3 with yerrorbars pt 7 lc %zu title "
                "'%.0f K', s(x, %.9g, %.9g) with lines lc %zu notitle%s",
                t, t + 1, temp[t], v0[t] * 1e3, vs[t] * 1e3, t + 1,
                t + 1 < nt ? ", " : "\n");
  io_plot_cmd(&pl, "set yrange [*:*]\nset logscale y\nset ylabel 'tau (us)'\n"
                   "set key right top\n");
  if (any_tau == 0) {
    io_plot_cmd(&pl, "set label 1 'no point flipped twice: no tau' at graph "
                "0.3, 0.5\nset yrange [0.1:10]\nplot 1/0 notitle\n");
  } else {
    io_plot_cmd(&pl, "plot ");
    for (size_t t = 0, k = 0; t < nt; t++)
      if (has_tau[t])
        io_plot_cmd(&pl, "$e%zu using 1:2 with linespoints pt 7 lc %zu title "
                    "'%.0f K'%s", t, t + 1, temp[t],
                    ++k < any_tau ? ", " : "\n");
  }
  io_plot_cmd(&pl, "unset multiplot\n");
  free(has_tau);
  rc = io_plot_run(&pl, err);
done:
  io_celllib_clear(&L);
  return rc;
}
