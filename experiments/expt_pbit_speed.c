/* expt_pbit_speed.c -- `pbit-speed`: the pbit-fast cell's correlation
 * time and energy per independent bit over its knob, the supply VDD
 * (circuits/cells/ckt_cells.c), beside the published point (~100 ns,
 * ~350 aJ per bit).
 *
 * Workload: at each supply (full: 5 from 0.40 to 0.20 V, the knob's
 * documented range, tau ~46 ns to ~1 us; quick: 0.40 and 0.30 V) a pilot
 * of five controls 1 mV apart around the predicted trip point (P(1) = 1/2
 * near 0.4888 VDD - 7.3 mV), each ~15 correlation times long (quick 25),
 * the control of P(1) = 1/2 interpolated from it (shifted by 4 mV and
 * repeated, at most three times, when the pilot does not straddle 1/2),
 * then the measurement at that control: 2 seeds of ~130 correlation times
 * (quick: 1 of ~120; tau's error ~9 %).  Simulated time ~0.6 ms in all,
 * half of it at 0.20 V (~0.3 s of CPU per simulated us; sized for a
 * shared 2-core machine: the run of 2026-12-06 took 3 seeds of ~400
 * tau at 6 supplies down to 0.22 V, 34 min).  All ngspice transients
 * run in forked workers (expt_cellrun.h).
 *
 * Figures, as random-bits computes them: tau from the pooled flip rate
 * (expt_tau_flip_s: 2 p0 p1 T / flips, relative error 1 / sqrt(flips),
 * which is the autocorrelation-aware error of a two-state record), power
 * = the supply's mean power, energy per bit = power x tau / H(P(1)) per
 * seed, averaged; its error combines tau's flip-count error with the
 * scatter of the seeds' power.  P(1)'s error is the records'
 * autocorrelation-aware standard error (cal_pbit_point.p_err), pooled.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "calibrate/cal_sweep.h"
#include "experiments/expt.h"
#include "experiments/expt_cellrun.h"
#include "experiments/expt_impl.h"
#include "io/io_plot.h"
#include "physics/phys_const.h"

#define PUB_E_J 350e-18
#define PUB_TAU_S 100e-9
#define NPILOT 5
#define MAXV 6

/* The trip point and the correlation time measured while designing the
 * cell (27 C): a starting point only, the pilot finds P(1) = 1/2. */
static double v0_guess(double vdd) { return 0.4888 * vdd - 7.3e-3; }
static double tau_guess(double vdd)
{
  return 40e-9 * exp((0.40 - vdd) / 0.064);
}

static void set_job(expt_cell_job *j, const ckt_cell_info *ci, double vdd,
                    double v, double t, uint64_t seed)
{
  j->ci = ci;
  j->vctl_V[0] = v;
  j->co.vdd_V = vdd;
  j->temp_K = PHYS_TNOM_K;
  j->tstop_s = t;
  j->keep_s = 0;
  j->seed = seed;
}

/* Control of P(1) = 1/2 at supply vdd: pilot scans around a guess. */
static int find_mid(const expt_ctx *c, const ckt_cell_info *ci, double vdd,
                    double t, uint64_t seed, double *v_out, tk_err *err)
{
  expt_cell_job jobs[NPILOT] = {{0}};
  expt_cell_res *res = calloc(NPILOT, sizeof *res);
  if (res == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  double centre = v0_guess(vdd);
  int rc = 0;
  *v_out = NAN;
  for (int attempt = 0; rc == 0 && attempt < 3 && isnan(*v_out); attempt++) {
    for (int k = 0; k < NPILOT; k++)
      set_job(&jobs[k], ci, vdd, centre + (k - NPILOT / 2) * 1e-3, t,
              cal_sweep_point_seed(seed, (uint64_t)(attempt * NPILOT + k)));
    rc = expt_cells_run(jobs, NPILOT, c->workers, c->quiet, res, err);
    for (int k = 0; rc == 0 && k + 1 < NPILOT; k++) {
      double p0 = res[k].pb.p[1], p1 = res[k + 1].pb.p[1];
      if (p0 <= 0.5 && p1 >= 0.5 && p1 > p0) {
        *v_out = jobs[k].vctl_V[0] +
                 (0.5 - p0) / (p1 - p0) * (jobs[k + 1].vctl_V[0] - jobs[k].vctl_V[0]);
        break;
      }
    }
    if (rc == 0 && isnan(*v_out))
      centre += res[NPILOT / 2].pb.p[1] < 0.5 ? 4e-3 : -4e-3;
  }
  free(res);
  if (rc == 0 && isnan(*v_out))
    rc = TK_FAIL(err, TK_ENUMERIC, "pbit-fast at VDD %g V: no control near "
                 "%g V gives P(1) = 1/2", vdd, v0_guess(vdd));
  return rc;
}

int expt__pbit_speed_run(expt_run *r, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  const ckt_cell_info *ci = ckt_cell_find("pbit-fast");
  if (ci == NULL)
    return TK_FAIL(err, TK_ENOTFOUND, "no pbit-fast cell");
  static const double vdd_full[] = {0.40, 0.34, 0.28, 0.24, 0.20};
  static const double vdd_quick[] = {0.40, 0.30};
  const double *vdd = c->quick ? vdd_quick : vdd_full;
  size_t nv = c->quick ? 2 : 5, nseed = c->quick ? 1 : 2;
  double pilot_tau = c->quick ? 25 : 15, meas_tau = c->quick ? 120 : 130;
  TK_TRY(expt_input(r, "pilot_taus", pilot_tau, "1", "ours: pilot length in predicted correlation times", err));
  TK_TRY(expt_input(r, "measure_taus", meas_tau, "1", "ours: measurement length per seed in predicted correlation times", err));
  TK_TRY(expt_input(r, "seeds", (double)nseed, "1", "ours: measurement seeds per supply", err));
  TK_TRY(expt_input(r, "temp_K", PHYS_TNOM_K, "K", "ours: simulation temperature", err));
  TK_TRY(expt_input(r, "published_J", PUB_E_J, "J", "Extropic, arXiv 2510.23972, App. J", err));
  TK_TRY(expt_input(r, "published_tau_s", PUB_TAU_S, "s", "Extropic, arXiv 2510.23972, App. J", err));

  double vc[MAXV], p1[MAXV], p1e[MAXV], tau[MAXV], taue[MAXV], pw[MAXV],
         eb[MAXV], ebe[MAXV], fl[MAXV];
  expt_cell_job *jobs = calloc(nseed, sizeof *jobs);
  expt_cell_res *res = calloc(nseed, sizeof *res);
  int rc = jobs && res ? 0 : TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; rc == 0 && i < nv; i++) {
    double tg = tau_guess(vdd[i]);
    rc = find_mid(c, ci, vdd[i], pilot_tau * tg,
                  cal_sweep_point_seed(c->seed + 2020, i), &vc[i], err);
    for (size_t s = 0; rc == 0 && s < nseed; s++)
      set_job(&jobs[s], ci, vdd[i], vc[i], meas_tau * tg,
              cal_sweep_point_seed(c->seed + 2021, i * 16 + s));
    if (rc == 0)
      rc = expt_cells_run(jobs, nseed, c->workers, c->quiet, res, err);
    if (rc != 0)
      break;
    tau[i] = expt_tau_flip_s(res, nseed, 0, 1, &taue[i], &fl[i]);
    double sp = 0, spw = 0, se2 = 0, spw2 = 0, seb = 0;
    for (size_t s = 0; s < nseed; s++) {
      double p = res[s].pb.p[1];
      double h = (p > 0 && p < 1) ? -(p * log2(p) + (1 - p) * log2(1 - p)) : 0;
      if (!(h > 0) || !(res[s].pb.flips > 0)) {
        rc = TK_FAIL(err, TK_ENUMERIC, "pbit-fast at VDD %g V, %g V: run %zu "
                     "did not flip (P(1) = %g)", vdd[i], vc[i], s, p);
        break;
      }
      sp += p / nseed;
      se2 += res[s].pb.p_err[1] * res[s].pb.p_err[1] / (nseed * nseed);
      spw += res[s].pb.power_W / nseed;
      spw2 += res[s].pb.power_W * res[s].pb.power_W / nseed;
      seb += res[s].pb.power_W * tau[i] / h / nseed;
    }
    if (rc != 0)
      break;
    double pw_sd = nseed > 1 ? sqrt(fmax(spw2 - spw * spw, 0) * nseed / (nseed - 1)) : 0;
    p1[i] = sp;
    p1e[i] = sqrt(se2);
    pw[i] = spw;
    eb[i] = seb;
    ebe[i] = seb * sqrt(pow(taue[i] / tau[i], 2) +
                        pow(pw_sd / spw, 2) / (double)nseed);
    if (!c->quiet)
      fprintf(stderr, "pbit-speed: VDD %.2f V: vctl %.2f mV, P(1) %.3f, "
              "tau %.1f +- %.1f ns, %.3g W, %.0f +- %.0f aJ/bit\n", vdd[i],
              vc[i] * 1e3, p1[i], tau[i] * 1e9, taue[i] * 1e9, pw[i],
              eb[i] * 1e18, ebe[i] * 1e18);
  }
  free(jobs);
  free(res);
  if (rc != 0)
    return rc;
  TK_TRY(expt_vec(r, "/sweep/vdd_V", vdd, nv, "V", err));
  TK_TRY(expt_vec(r, "/sweep/vctl_V", vc, nv, "V", err));
  TK_TRY(expt_vec(r, "/sweep/p1", p1, nv, "1", err));
  TK_TRY(expt_vec(r, "/sweep/p1_err", p1e, nv, "1", err));
  TK_TRY(expt_vec(r, "/sweep/tau_s", tau, nv, "s", err));
  TK_TRY(expt_vec(r, "/sweep/tau_err_s", taue, nv, "s", err));
  TK_TRY(expt_vec(r, "/sweep/flips", fl, nv, "1", err));
  TK_TRY(expt_vec(r, "/sweep/power_W", pw, nv, "W", err));
  TK_TRY(expt_vec(r, "/sweep/energy_per_bit_J", eb, nv, "J", err));
  TK_TRY(expt_vec(r, "/sweep/energy_per_bit_err_J", ebe, nv, "J", err));
  {
    double vmv[MAXV], tns[MAXV], tens[MAXV], eaj[MAXV], eaje[MAXV];
    for (size_t i = 0; i < nv; i++) {
      vmv[i] = vc[i] * 1e3; tns[i] = tau[i] * 1e9; tens[i] = taue[i] * 1e9;
      eaj[i] = eb[i] * 1e18; eaje[i] = ebe[i] * 1e18;
    }
    const char *names[] = {"VDD", "control", "P(1)", "tau", "tau err",
                           "power", "energy/bit", "energy err"};
    const char *units[] = {"V", "mV", "1", "ns", "ns", "W", "aJ", "aJ"};
    const double *cols[] = {vdd, vmv, p1, tns, tens, pw, eaj, eaje};
    TK_TRY(expt_table(r, "sweep", "pbit-fast over its supply (knob)", nv, 8,
                      names, units, cols, NULL, err));
  }
  /* the fastest setting is the first supply */
  TK_TRY(expt_sum(r, "vdd_fast_V", vdd[0], "V", err));
  TK_TRY(expt_sum(r, "p1_fast", p1[0], "1", err));
  TK_TRY(expt_sum(r, "tau_fast_s", tau[0], "s", err));
  TK_TRY(expt_sum(r, "tau_fast_err_s", taue[0], "s", err));
  TK_TRY(expt_sum(r, "e_fast_J", eb[0], "J", err));
  TK_TRY(expt_sum(r, "e_fast_err_J", ebe[0], "J", err));
  TK_TRY(expt_sum(r, "tau_slow_s", tau[nv - 1], "s", err));
  TK_TRY(expt_sum(r, "e_slow_J", eb[nv - 1], "J", err));
  TK_TRY(expt_sum(r, "tau_span", tau[nv - 1] / tau[0], "1", err));
  char why[512];
  snprintf(why, sizeof why, "pbit-fast at VDD %.2f V (its fastest setting), "
           "P(1) %.3f: tau from %.0f flips (error 1/sqrt(flips)); %.0f ns "
           "published.", vdd[0], p1[0], fl[0], PUB_TAU_S * 1e9);
  TK_TRY(expt_compare(r, "tau", "pbit-fast correlation time", tau[0],
                      PUB_TAU_S, "s", "Extropic, arXiv 2510.23972, App. J",
                      why, err));
  snprintf(why, sizeof why, "Supply power %.3g W x tau / H(P(1)), per seed "
           "as random-bits computes it; +- %.0f aJ (tau's flip-count error "
           "and the seeds' power scatter).", pw[0], ebe[0] * 1e18);
  TK_TRY(expt_compare(r, "energy", "pbit-fast energy per bit of entropy",
                      eb[0], PUB_E_J, "J", "Extropic, arXiv 2510.23972, App. J",
                      why, err));
  expt_note(r, "The supply sets tau from %.0f ns (%.2f V) to %.0f ns "
            "(%.2f V), x%.1f; the energy per bit goes from %.0f to %.0f aJ.",
            tau[0] * 1e9, vdd[0], tau[nv - 1] * 1e9, vdd[nv - 1],
            tau[nv - 1] / tau[0], eb[0] * 1e18, eb[nv - 1] * 1e18);
  return TK_OK;
}

int expt__pbit_speed_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  double *v = NULL, *t = NULL, *te = NULL, *e = NULL, *ee = NULL;
  size_t n = 0, m = 0;
  int rc = expt_read(f, "/sweep/vdd_V", &v, &n, err);
  if (rc == 0) rc = expt_read(f, "/sweep/tau_s", &t, &m, err);
  if (rc == 0 && m == n) rc = expt_read(f, "/sweep/tau_err_s", &te, &m, err);
  if (rc == 0 && m == n) rc = expt_read(f, "/sweep/energy_per_bit_J", &e, &m, err);
  if (rc == 0 && m == n) rc = expt_read(f, "/sweep/energy_per_bit_err_J", &ee, &m, err);
  io_file_close(f);
  if (rc == 0 && (m != n || n == 0))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: /sweep datasets differ in length", h5);
  io_plot p;
  if (rc == 0) rc = io_plot_begin(&p, png, 1200, 520, err);
  double *d = rc == 0 ? malloc(n * 5 * sizeof *d) : NULL;
  if (rc == 0 && d == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0) {
    for (size_t i = 0; i < n; i++) {
      d[5 * i] = v[i];
      d[5 * i + 1] = t[i] * 1e9;
      d[5 * i + 2] = te[i] * 1e9;
      d[5 * i + 3] = e[i] * 1e18;
      d[5 * i + 4] = ee[i] * 1e18;
    }
    double pub[2] = {PUB_TAU_S * 1e9, PUB_E_J * 1e18};
    io_plot_data_table(&p, "s", d, n, 5);
    io_plot_data_table(&p, "pub", pub, 1, 2);
    io_plot_cmd(&p, "set multiplot layout 1,2\n"
                "set title 'pbit-fast: correlation time vs supply (ngspice, BSIM4, 27 C)'\n"
                "set xlabel 'VDD (V), the knob'\nset ylabel 'tau (ns)'\n"
                "set logscale y\nset grid\nset key top right\n"
                "plot $s u 1:2:3 w yerrorbars pt 7 t 'pbit-fast (flip rate)', "
                "$s u 1:2 w l lc 1 notitle, %g w l dt 2 lc 7 t 'published 100 ns'\n"
                "set title 'energy per bit of entropy vs tau'\n"
                "set xlabel 'tau (ns)'\nset ylabel 'energy per bit (aJ)'\n"
                "set logscale xy\nset key top left\n"
                "plot $s u 2:4:3:5 w xyerrorbars pt 7 t 'pbit-fast over VDD', "
                "$s u 2:4 w l lc 1 notitle, "
                "$pub u 1:2 w p pt 5 ps 2 lc 7 t 'published 100 ns, 350 aJ'\n"
                "unset multiplot\n", PUB_TAU_S * 1e9);
    rc = io_plot_run(&p, err);
  }
  free(d); free(v); free(t); free(te); free(e); free(ee);
  return rc;
}
