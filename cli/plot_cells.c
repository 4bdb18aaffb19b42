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
#include "io/io_h5.h"
#include "io/io_plot.h"

int cmd_plot_cells(io_file *f, const char *png, tk_err *err);

/* Dataset grp/rel with `want` values, or TK_EFORMAT. */
static int read_n(io_file *f, const char *grp, const char *rel, size_t want,
                  double **x, tk_err *err)
{
  char p[512];
  int rank = 0;
  size_t dims[4], n = 1;
  snprintf(p, sizeof p, "%s/%s", grp, rel);
  TK_TRY(io_read_f64(f, p, x, &rank, dims, err));
  for (int i = 0; i < rank; i++)
    n *= dims[i];
  if (n != want) {
    free(*x);
    *x = NULL;
    return TK_FAIL(err, TK_EFORMAT, "%s has %zu values, want %zu", p, n, want);
  }
  return TK_OK;
}

int cmd_plot_cells(io_file *f, const char *png, tk_err *err)
{
  char **names = NULL, grp[300] = "", kind[64];
  size_t nn = 0;
  TK_TRY(io_list(f, "/cells", &names, &nn, err));
  for (size_t i = 0; i < nn && grp[0] == '\0'; i++) {
    char g[300];
    snprintf(g, sizeof g, "/cells/%s", names[i]);
    /* a gmm cell's transfer curve is its upper mode's weight */
    if (io_get_attr_str(f, g, "kind", kind, sizeof kind, NULL) == 0 &&
        (strcmp(kind, "pbit") == 0 || strcmp(kind, "gmm") == 0))
      snprintf(grp, sizeof grp, "%s", g);
  }
  io_names_free(names, nn);
  if (grp[0] == '\0')
    return TK_FAIL(err, TK_EFORMAT, "%s: no pbit or gmm cell to plot "
                   "(categorical cells are not drawn yet)", io_file_path(f));
  char p[512];
  snprintf(p, sizeof p, "%s/fit/v0_V", grp);
  if (!io_exists(f, p))
    return TK_FAIL(err, TK_EFORMAT, "%s: cell %s has no fit (an unfinished "
                   "sweep?)", io_file_path(f), grp + 7);
  double *temp = NULL, *v = NULL, *ps = NULL, *pse = NULL, *tau = NULL,
         *v0 = NULL, *vs = NULL, *mv0 = NULL;
  int rank = 0;
  size_t dims[4];
  snprintf(p, sizeof p, "%s/temperature_K", grp);
  int rc = io_read_f64(f, p, &temp, &rank, dims, err);
  size_t nt = rc == 0 ? dims[0] : 0, nv = 0;
  snprintf(p, sizeof p, "%s/control_V", grp);
  if (rc == 0 && (rc = io_read_f64(f, p, &v, &rank, dims, err)) == 0)
    nv = dims[0];
  if (rc == 0)
    rc = read_n(f, grp, "p_state", nt * nv * 2, &ps, err);
  if (rc == 0)
    rc = read_n(f, grp, "p_state_stderr", nt * nv * 2, &pse, err);
  if (rc == 0)
    rc = read_n(f, grp, "tau_s", nt * nv, &tau, err);
  if (rc == 0)
    rc = read_n(f, grp, "fit/v0_V", nt, &v0, err);
  if (rc == 0)
    rc = read_n(f, grp, "fit/vs_V", nt, &vs, err);
  snprintf(p, sizeof p, "%s/mismatch/v0_V", grp);
  if (rc == 0 && io_exists(f, p))
    rc = read_n(f, grp, "mismatch/v0_V", nt, &mv0, err);
  /* calibrate --track: each temperature has its own window */
  double *pv = NULL;
  snprintf(p, sizeof p, "%s/point_control_V", grp);
  if (rc == 0 && io_exists(f, p))
    rc = read_n(f, grp, "point_control_V", nt * nv, &pv, err);
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
  io_plot_cmd(&pl, "set multiplot layout 1,2 title 'cell %s' noenhanced\n", grp + 7);
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
  free(temp);
  free(v);
  free(ps);
  free(pse);
  free(tau);
  free(v0);
  free(vs);
  free(mv0);
  free(pv);
  return rc;
}
