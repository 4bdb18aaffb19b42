/* expt_cells.c -- `categorical` and `gmm`: the two multi-state cells of
 * circuits/cells through ngspice with physical device noise.
 *
 * Workload: 3 (categorical) and 5 (gmm) transients in forked workers
 * (expt_cellrun.h); the categorical cell holds four pbit cores, so it
 * costs about four pbits per simulated microsecond.
 *
 * categorical (cat4): four pbit cores b_k (controls vc0..vc3) and a
 * priority chain of NOR gates: state 0 when b0 = 1, else 1 when b1, ...;
 * with no core high the state holds.  Three programmed distributions: all
 * controls at the pbit midpoint (priority skews toward state 0), controls
 * stepped down the chain to even it out, and the first three cores off
 * (state 3 dominates).  The occupancies are measured from the one-hot
 * lines (ckt_measure_cat).
 * gmm (gmm2): a pbit whose last inverter swings 0..VSEP, followed by a
 * pseudo-resistor and a capacitor: the output is a kT/C Gaussian around
 * 0 or around VSEP.  VSEP moves the modes apart, VCTL shifts the weight.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_sweep.h"
#include "experiments/expt.h"
#include "experiments/expt_cellrun.h"
#include "experiments/expt_impl.h"
#include "io/io_plot.h"
#include "physics/phys_const.h"

enum { NCAT = 3, NGMM = 5 };

static const double cat_ctl[NCAT][4] = {
  {0.186, 0.186, 0.186, 0.186},    /* all at the midpoint */
  {0.1850, 0.1855, 0.1860, 0.1920}, /* stepped: toward uniform */
  {0.1800, 0.1800, 0.1800, 0.1920}, /* first three off: state 3 */
};
static const char *const cat_name[NCAT] = {"all at midpoint", "stepped",
                                           "state 3"};

int expt__cat_run(expt_run *r, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  const ckt_cell_info *ci = ckt_cell_find("cat4");
  if (ci == NULL)
    return TK_FAIL(err, TK_ENOTFOUND, "no cat4 cell");
  double tstop = c->quick ? 8e-6 : 60e-6;
  TK_TRY(expt_input(r, "run_time_s", tstop, "s", "ours: simulated time per setting", err));
  expt_cell_job jobs[NCAT];
  expt_cell_res *res = calloc(NCAT, sizeof *res);
  if (res == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  memset(jobs, 0, sizeof jobs);
  for (int i = 0; i < NCAT; i++) {
    jobs[i].ci = ci;
    memcpy(jobs[i].vctl_V, cat_ctl[i], sizeof cat_ctl[i]);
    jobs[i].temp_K = PHYS_TNOM_K;
    jobs[i].tstop_s = tstop;
    jobs[i].keep_s = c->quick ? 8e-6 : 30e-6;
    jobs[i].seed = cal_sweep_point_seed(c->seed + 5, (size_t)i);
  }
  int rc = expt_cells_run(jobs, NCAT, c->workers, c->quiet, res, err);
  double p[4][NCAT], tau[NCAT], flips[NCAT], ctl[4][NCAT];
  for (int i = 0; rc == 0 && i < NCAT; i++) {
    for (int k = 0; k < 4; k++) {
      p[k][i] = res[i].cs.p[k];
      ctl[k][i] = cat_ctl[i][k];
    }
    tau[i] = res[i].cs.tau_s;
    flips[i] = (double)res[i].cs.flips;
    char path[64];
    double *t = malloc(res[i].n_keep * sizeof *t), *s = malloc(res[i].n_keep * sizeof *s);
    if (t == NULL || s == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    for (uint32_t m = 0; rc == 0 && m < res[i].n_keep; m++) {
      t[m] = m * res[i].keep_dt_s;
      s[m] = res[i].keep_state[m];
    }
    snprintf(path, sizeof path, "/traces/setting%d/time_s", i);
    if (rc == 0) rc = expt_vec(r, path, t, res[i].n_keep, "s", err);
    snprintf(path, sizeof path, "/traces/setting%d/state", i);
    if (rc == 0) rc = expt_vec(r, path, s, res[i].n_keep, "1", err);
    free(t);
    free(s);
  }
  if (rc == 0) {
    const char *names[] = {"vc0", "vc1", "vc2", "vc3", "P(0)", "P(1)", "P(2)",
                           "P(3)", "tau", "state changes"};
    const char *units[] = {"V", "V", "V", "V", "1", "1", "1", "1", "s", "1"};
    const double *cols[] = {ctl[0], ctl[1], ctl[2], ctl[3], p[0], p[1], p[2],
                            p[3], tau, flips};
    rc = expt_table(r, "occupancy", "Programmed distributions (controls) and "
                    "measured occupancies", NCAT, 10, names, units, cols,
                    cat_name, err);
  }
  /* summary: the spread each setting achieves */
  double h[NCAT];
  for (int i = 0; rc == 0 && i < NCAT; i++) {
    h[i] = 0;
    for (int k = 0; k < 4; k++)
      if (p[k][i] > 0)
        h[i] -= p[k][i] * log2(p[k][i]);
  }
  if (rc == 0) rc = expt_sum(r, "mid_p0", p[0][0], "1", err);
  if (rc == 0) rc = expt_sum(r, "mid_p3", p[3][0], "1", err);
  if (rc == 0) rc = expt_sum(r, "stepped_entropy_bits", h[1], "bit", err);
  if (rc == 0) rc = expt_sum(r, "state3_p3", p[3][2], "1", err);
  if (rc == 0) rc = expt_sum(r, "mid_tau_s", tau[0], "s", err);
  if (rc == 0) rc = expt_sum(r, "mid_flips", flips[0], "1", err);
  if (rc == 0)
    expt_note(r, "Entropy of the three settings: %.3g, %.3g and %.3g bits "
              "(2 bits = uniform over four states).", h[0], h[1], h[2]);
  free(res);
  return rc;
}

int expt__cat_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  double *p[4] = {NULL}, *t[NCAT] = {NULL}, *s[NCAT] = {NULL};
  size_t n = 0, nt[NCAT] = {0};
  int rc = 0;
  for (int k = 0; rc == 0 && k < 4; k++) {
    char path[64];
    snprintf(path, sizeof path, "/tables/occupancy/c%d", 4 + k);
    rc = expt_read(f, path, &p[k], &n, err);
  }
  for (int i = 0; rc == 0 && i < NCAT; i++) {
    char path[64];
    snprintf(path, sizeof path, "/traces/setting%d/time_s", i);
    rc = expt_read(f, path, &t[i], &nt[i], err);
    snprintf(path, sizeof path, "/traces/setting%d/state", i);
    if (rc == 0) rc = expt_read(f, path, &s[i], &nt[i], err);
  }
  io_file_close(f);
  io_plot pl;
  if (rc == 0 && n != NCAT)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: occupancy table has %zu rows", h5, n);
  if (rc == 0) rc = io_plot_begin(&pl, png, 1200, 520, err);
  if (rc == 0) {
    double tab[NCAT * 5];
    for (int i = 0; i < NCAT; i++) {
      tab[5 * i] = i;
      for (int k = 0; k < 4; k++)
        tab[5 * i + 1 + k] = p[k][i];
    }
    io_plot_data_table(&pl, "occ", tab, NCAT, 5);
    for (int i = 0; i < NCAT; i++) {
      double *d = malloc(nt[i] * 2 * sizeof *d);
      for (size_t m = 0; d && m < nt[i]; m++) {
        d[2 * m] = t[i][m] * 1e6;
        d[2 * m + 1] = s[i][m] + 5.0 * (NCAT - 1 - i);
      }
      char name[16];
      snprintf(name, sizeof name, "tr%d", i);
      if (d) io_plot_data_table(&pl, name, d, nt[i], 2);
      free(d);
    }
    io_plot_cmd(&pl, "set multiplot layout 1,2\n"
                "set title 'Categorical cell: state vs time (ngspice)'\n"
                "set xlabel 'time (us)'\nset ylabel 'state (offset per setting)'\n"
                "set ytics ('0' 0, '3' 3, '0' 5, '3' 8, '0' 10, '3' 13)\n"
                "set yrange [-0.5:14]\nset key outside bottom center horizontal\n"
                "plot $tr2 u 1:2 w steps lw 1 t '%s', $tr1 u 1:2 w steps lw 1 t '%s', "
                "$tr0 u 1:2 w steps lw 1 t '%s'\n"
                "set title 'Occupancy of the four states'\nset ytics auto\n"
                "set yrange [0:1.05]\nset ylabel 'P(state)'\nset xlabel ''\n"
                "set style data histograms\nset style histogram clustered gap 1\n"
                "set style fill solid 0.8\nset key inside top center\n"
                "set xtics ('%s' 0, '%s' 1, '%s' 2)\n"
                "plot $occ u 2 t 'state 0', '' u 3 t 'state 1', '' u 4 t 'state 2', "
                "'' u 5 t 'state 3'\nunset multiplot\n",
                cat_name[2], cat_name[1], cat_name[0], cat_name[0], cat_name[1],
                cat_name[2]);
    rc = io_plot_run(&pl, err);
  }
  for (int k = 0; k < 4; k++) free(p[k]);
  for (int i = 0; i < NCAT; i++) { free(t[i]); free(s[i]); }
  return rc;
}

/* gmm: (vctl, vsep) settings; 2 is the shared centre point. */
static const double gmm_ctl[NGMM][2] = {
  {0.186, 0.2}, {0.186, 0.3}, {0.186, 0.4}, {0.183, 0.3}, {0.189, 0.3},
};

int expt__gmm_run(expt_run *r, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  const ckt_cell_info *ci = ckt_cell_find("gmm2");
  if (ci == NULL)
    return TK_FAIL(err, TK_ENOTFOUND, "no gmm2 cell");
  double tstop = c->quick ? 8e-6 : 40e-6;
  TK_TRY(expt_input(r, "run_time_s", tstop, "s", "ours: simulated time per setting", err));
  expt_cell_job jobs[NGMM];
  expt_cell_res *res = calloc(NGMM, sizeof *res);
  if (res == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  memset(jobs, 0, sizeof jobs);
  for (int i = 0; i < NGMM; i++) {
    jobs[i].ci = ci;
    jobs[i].vctl_V[0] = gmm_ctl[i][0];
    jobs[i].vctl_V[1] = gmm_ctl[i][1];
    jobs[i].temp_K = PHYS_TNOM_K;
    jobs[i].tstop_s = tstop;
    jobs[i].keep_s = 4e-6;
    jobs[i].seed = cal_sweep_point_seed(c->seed + 9, (size_t)i);
  }
  int rc = expt_cells_run(jobs, NGMM, c->workers, c->quiet, res, err);
  double vc[NGMM], vs[NGMM], mu0[NGMM], mu1[NGMM], s0[NGMM], s1[NGMM], w0[NGMM];
  double vdd = ci->vdd_V;
  for (int i = 0; rc == 0 && i < NGMM; i++) {
    vc[i] = gmm_ctl[i][0];
    vs[i] = gmm_ctl[i][1];
    mu0[i] = res[i].gs.mu_V[0];
    mu1[i] = res[i].gs.mu_V[1];
    s0[i] = res[i].gs.sigma_V[0];
    s1[i] = res[i].gs.sigma_V[1];
    w0[i] = res[i].gs.w0;
    double edges[EXPT_HIST], dens[EXPT_HIST], tot = 0;
    for (int b = 0; b < EXPT_HIST; b++)
      tot += res[i].hist[b];
    double bw = res[i].vdd_V / EXPT_HIST;
    for (int b = 0; b < EXPT_HIST; b++) {
      edges[b] = (b + 0.5) * bw;
      dens[b] = tot > 0 ? res[i].hist[b] / (tot * bw) : 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/density/setting%d/y_V", i);
    rc = expt_vec(r, path, edges, EXPT_HIST, "V", err);
    snprintf(path, sizeof path, "/density/setting%d/density_per_V", i);
    if (rc == 0) rc = expt_vec(r, path, dens, EXPT_HIST, "1/V", err);
    vdd = res[i].vdd_V;
  }
  if (rc == 0) {
    const char *names[] = {"VCTL", "VSEP", "mu0", "sigma0", "mu1", "sigma1",
                           "weight of mode 0"};
    const char *units[] = {"V", "V", "V", "V", "V", "V", "1"};
    const double *cols[] = {vc, vs, mu0, s0, mu1, s1, w0};
    const char *lab[] = {"separation 0.2 V", "centre", "separation 0.4 V",
                         "weight to mode 0", "weight to mode 1"};
    rc = expt_table(r, "modes", "Mode positions, widths and weights", NGMM, 7,
                    names, units, cols, lab, err);
  }
  if (rc == 0) rc = expt_sum(r, "mu1_sep02_V", mu1[0], "V", err);
  if (rc == 0) rc = expt_sum(r, "mu1_sep04_V", mu1[2], "V", err);
  if (rc == 0) rc = expt_sum(r, "mu0_centre_V", mu0[1], "V", err);
  if (rc == 0) rc = expt_sum(r, "sigma0_centre_V", s0[1], "V", err);
  if (rc == 0) rc = expt_sum(r, "w0_low_ctl", w0[3], "1", err);
  if (rc == 0) rc = expt_sum(r, "w0_centre", w0[1], "1", err);
  if (rc == 0) rc = expt_sum(r, "w0_high_ctl", w0[4], "1", err);
  if (rc == 0)
    expt_note(r, "Raising VSEP from %.2g to %.2g V moves the upper mode from "
              "%.3g to %.3g V; lowering VCTL from %.4g to %.4g V moves the "
              "weight of mode 0 from %.3g to %.3g (supply %.2g V).", vs[0],
              vs[2], mu1[0], mu1[2], vc[4], vc[3], w0[4], w0[3], vdd);
  free(res);
  return rc;
}

int expt__gmm_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  double *y[NGMM] = {NULL}, *d[NGMM] = {NULL};
  size_t n = 0;
  int rc = 0;
  for (int i = 0; rc == 0 && i < NGMM; i++) {
    char path[64];
    snprintf(path, sizeof path, "/density/setting%d/y_V", i);
    rc = expt_read(f, path, &y[i], &n, err);
    snprintf(path, sizeof path, "/density/setting%d/density_per_V", i);
    if (rc == 0) rc = expt_read(f, path, &d[i], &n, err);
  }
  io_file_close(f);
  io_plot pl;
  if (rc == 0) rc = io_plot_begin(&pl, png, 1200, 480, err);
  if (rc == 0) {
    double *t = malloc(n * (NGMM + 1) * sizeof *t);
    for (size_t b = 0; t && b < n; b++) {
      t[(NGMM + 1) * b] = y[0][b] * 1e3;
      for (int i = 0; i < NGMM; i++)
        t[(NGMM + 1) * b + 1 + i] = d[i][b];
    }
    if (t) io_plot_data_table(&pl, "d", t, n, NGMM + 1);
    free(t);
    io_plot_cmd(&pl, "set multiplot layout 1,2\nset logscale y\nset yrange [0.01:*]\n"
                "set xlabel 'output y (mV)'\nset ylabel 'density (1/V)'\n"
                "set title 'Moving the modes apart (VCTL %.0f mV)'\n"
                "plot $d u 1:2 w steps lw 2 t 'VSEP %.0f mV', $d u 1:3 w steps lw 2 t 'VSEP %.0f mV', "
                "$d u 1:4 w steps lw 2 t 'VSEP %.0f mV'\n"
                "set title 'Shifting the weight (VSEP %.0f mV)'\n"
                "plot $d u 1:5 w steps lw 2 t 'VCTL %.1f mV', $d u 1:3 w steps lw 2 t 'VCTL %.1f mV', "
                "$d u 1:6 w steps lw 2 t 'VCTL %.1f mV'\nunset multiplot\n",
                gmm_ctl[1][0] * 1e3, gmm_ctl[0][1] * 1e3, gmm_ctl[1][1] * 1e3,
                gmm_ctl[2][1] * 1e3, gmm_ctl[1][1] * 1e3, gmm_ctl[3][0] * 1e3,
                gmm_ctl[1][0] * 1e3, gmm_ctl[4][0] * 1e3);
    rc = io_plot_run(&pl, err);
  }
  for (int i = 0; i < NGMM; i++) { free(y[i]); free(d[i]); }
  return rc;
}
