/* run_plot.c -- the figure of a result file, chosen by its kind
 * (run_plot.h).  Trace and cell-library figures are here; the DTM figures
 * in run_dtm_plot.c.
 *
 * Workload: one file read (a few datasets, traces decimated to
 * PLOT_MAX_POINTS per run), one gnuplot run.
 */
#include "run/run_plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/cells/ckt_cellkind.h"
#include "io/io_celllib.h"
#include "io/io_h5.h"
#include "io/io_plot.h"
#include "io/io_trace.h"
#include "run/run_dtm.h"

/* ---- trace files ---------------------------------------------------- */
#define PLOT_MAX_POINTS 4000   /* points drawn per run (decimated) */

static int plot_trace(io_file *f, const char *png, tk_err *err)
{
  io_trace_info info;
  TK_TRY(io_trace_info_read(f, &info, err));
  const char *outnode = info.outputs;
  double vdd = info.vdd_V;
  /* continuous output: density */
  int hist = info.have_kind && ckt_cellkind_get(info.kind)->continuous;
  size_t nr = info.n_runs;
  io_plot p;
  int rc = io_plot_begin(&p, png, 1000, 200 + 160 * (int)nr, err);
  if (rc != 0) {
    io_trace_info_clear(&info);
    return rc;
  }
  io_plot_cmd(&p, "unset key\nset multiplot layout %zu,1\n", nr);
  for (size_t r = 0; r < nr && rc == 0; r++) {
    io_trace_rec rec;
    rc = io_trace_rec_read(f, &info, r, &rec, err);
    double tau = rec.tau_s, vctl = rec.vctl_V, p1 = rec.p1;
    double *t = rec.time_s, *v = NULL;
    int nl = (int)rec.n_lines;
    /* several output lines (categorical): plot the state, the index of
     * the highest line that is high (>= 0.7 VDD); 0 while none is */
    if (rc == 0 && nl == 1) {
      v = rec.line_V[0];
    } else if (rc == 0) {
      if ((v = calloc(rec.n_line + 1, sizeof *v)) == NULL)
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
      for (int q = 0; rc == 0 && q < nl; q++)
        for (size_t k = 0; k < rec.n_line; k++)
          if (rec.line_V[q][k] >= 0.7 * vdd)
            v[k] = q;
    }
    double ylo = -0.1 * vdd, yhi = 1.1 * vdd, ytic = 0.5 * vdd;
    const char *ylab = outnode;
    if (nl > 1) {
      ylo = -0.5;
      yhi = nl - 0.5;
      ytic = 1;
      ylab = "state";
    }
    if (rc == 0) {
      size_t n = rec.n_time < rec.n_line ? rec.n_time : rec.n_line;
      size_t step = n > PLOT_MAX_POINTS ? n / PLOT_MAX_POINTS : 1;
      size_t m = 0;
      int unit_tau = isfinite(tau) && tau > 0;
      for (size_t k = 0; k < n; k += step, m++) {
        t[m] = unit_tau ? t[k] / tau : t[k] * 1e6;
        v[m] = v[k];
      }
      char blk[32];
      snprintf(blk, sizeof blk, "r%zu", r);
      io_plot_data_xy(&p, blk, t, v, m);
      if (hist) {
        io_plot_cmd(&p, "set title 'vctl = %.4g V, vsep = %.4g V' font ',10'\n"
                    "set xlabel '%s (V)'\nset ylabel 'density (1/V)'\n"
                    "set xrange [%g:%g]\nset yrange [*:*]\nbw = %g\n"
                    "bin(x) = bw * floor(x / bw) + bw / 2\n"
                    "plot $%s using (bin($2)):(1.0 / (%zu * bw)) smooth freq "
                    "with boxes notitle\n",
                    vctl, rec.vctl1_V, outnode, -0.1 * vdd, 1.1 * vdd,
                    0.004 * vdd, blk, m);
      } else {
        if (nl > 1)
          io_plot_cmd(&p, "set title 'vc0 = %.4g V, tau = %.3g s' "
                      "font ',10'\n", vctl, tau);
        else
          io_plot_cmd(&p, "set title 'vctl = %.4g V, P(1) = %.3f, tau = %.3g s' "
                      "font ',10'\n", vctl, p1, tau);
        io_plot_cmd(&p, "set xlabel '%s'\nset ylabel '%s%s'\n",
                    unit_tau ? "time / tau" : "time (us)", ylab,
                    nl > 1 ? "" : " (V)");
        io_plot_cmd(&p, "set yrange [%g:%g]\nset ytics %g\n", ylo, yhi, ytic);
        io_plot_cmd(&p, "plot $%s using 1:2 with lines lw 1 notitle\n", blk);
      }
    }
    if (nl > 1)
      free(v);
    io_trace_rec_clear(&rec);
  }
  io_plot_cmd(&p, "unset multiplot\n");
  io_trace_info_clear(&info);
  if (rc != 0) {
    io_plot_discard(&p);
    return rc;
  }
  return io_plot_run(&p, err);
}


/* ---- cell libraries ---------------------------------------------------
 * (root kind "cells", written by `tsukit calibrate` / `characterize`):
 * the first pbit or gmm cell's
 * transfer curves at every temperature with their logistic fits and, when
 * the library has mismatch/, the +-1 sd band of v0 over Monte-Carlo
 * instances (first temperature); next to it tau against the control.
 */
static int plot_cells(io_file *f, const char *png, tk_err *err)
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

/* ---- the table ------------------------------------------------------ */

typedef struct plot_kind {
  const char *kind;     /* root attribute `kind` */
  int (*fn)(io_file *f, const char *png, tk_err *err);
} plot_kind;

static const plot_kind kinds[] = {
  {"trace", plot_trace},
  {"dtm-samples", run_dtm_plot_samples},
  {"dtm-model", run_dtm_plot_model},
  {"cells", plot_cells},
};

int run_plot(const char *in, const char *png, char *kind_out, size_t kind_size,
             tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(in, &f, err));
  char kind[64] = "";
  if (io_get_attr_str(f, "/", "kind", kind, sizeof kind, NULL) != 0 &&
      io_exists(f, "/traces"))
    snprintf(kind, sizeof kind, "trace");
  const plot_kind *k = NULL;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp(kinds[i].kind, kind) == 0)
      k = &kinds[i];
  if (k == NULL) {
    io_file_close(f);
    return TK_FAIL(err, TK_EFORMAT, "%s: no plot for file kind '%s'", in, kind);
  }
  int rc = k->fn(f, png, err);
  io_file_close(f);
  if (rc == TK_OK && kind_out != NULL && kind_size > 0)
    snprintf(kind_out, kind_size, "%s", kind);
  return rc;
}
