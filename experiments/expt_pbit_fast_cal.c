/* expt_pbit_fast_cal.c -- `pbit-fast-cal`: the pbit-fast cell calibrated
 * like the pbit (-40..125 C, --track, the temperature model, leave-one-
 * out), and the simulated chip's time per sample on its library beside the
 * pbit's (issue 20).
 *
 * Steps, each the library call behind a `tsukit` command (the equivalent
 * command lines are recorded under /children, in order):
 *   1. calibrate --cell pbit-fast over 6 temperatures from -40 to 125 C
 *      (quick: 4), --track (window moved with the trip point, constant
 *      width), --time-tau (record lengths in pilot correlation times, so
 *      the hot, fast temperatures cost little), --repeats (the records'
 *      scatter scales the fit errors) and, full, --noise-model;
 *   2. calibrate --cell pbit at 290, 300, 310 K (quick: 300 K), the
 *      library the dtm-fashion experiment samples on, here for its tau;
 *   3. sample --cells on each library at 300 K (G12, a small grid): the
 *      summary's chip_s_per_sample (run/run_chiptime.h);
 *   4. the DTM's time per sample on each (T = 4, K = 100 sweeps per step,
 *      2 colours: `dtm sample`'s chip_s_per_sample for dtm-fashion's
 *      model), through the same run_chiptime_compute call.
 * The libraries sit in DIR/pbit-fast-cal/ and an existing one is resumed
 * (finished points are not recomputed), so an interrupted run loses only
 * the points in flight.
 *
 * Workload: full ~0.33 ms of pbit-fast simulated (6 x 11 points of 4 us,
 * the track pilots and the noise-model records) at ~0.3 s of CPU per us,
 * and 3 x 9 points of 6 us of the pbit; ~30 min on a shared, loaded
 * 2-core machine; quick ~1 min.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibrate/cal_predict.h"
#include "calibrate/cal_run.h"
#include "common/tk_parse.h"
#include "experiments/expt.h"
#include "experiments/expt_impl.h"
#include "io/io_celllib.h"
#include "io/io_plot.h"
#include "run/run_chiptime.h"
#include "run/run_sample.h"

#define MAXT 8
#define DTM_T 4      /* dtm-fashion's steps */
#define DTM_K 100    /* and sweeps per step */
#define CHIP_K 300.0 /* chip temperature of the time-per-sample figures */

typedef struct pfc_cfg {
  const char *vctl, *temps, *time, *cal_tau, *repeats, *noise, *track_exp;
  const char *pbit_vctl, *pbit_temps, *pbit_time;
} pfc_cfg;

/* pbit-fast: P(1) = 1/2 near 188 mV at 300 K, logistic scale ~1 mV, tau
 * ~47 / 17 / 6 ns at -40 / 27 / 125 C (docs/FINDINGS.md): a window of
 * +-3.5 scales at the temperatures of the `temperature` experiment; 400
 * pilot tau per point, at most 4 us (the pilot's tau, 50-125 ns, is
 * longer than the fitted one, so every point takes the 4 us: 80-600
 * fitted tau), in 4 records.  Sized for a shared 2-core machine. */
static const pfc_cfg full_cfg = {
  "0.1845:0.1915:11", "-40C,0C,27C,60C,95C,125C", "4e-6", "400", "4",
  "3e-6", "0",
  "0.1845:0.1885:9", "290,300,310", "6e-6"};
static const pfc_cfg quick_cfg = {
  "0.185:0.191:5", "-40C,283,323,125C", "2e-6", "60", "2", NULL, "0",
  "0.185:0.188:5", "300", "3e-6"};

static int exists(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0;
}

/* Record the equivalent `tsukit ARGS` line as attribute cmdNN of
 * /children (in order); the full line goes to cmd[]. */
static int child(expt_run *r, char *cmd, size_t size, tk_err *err,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int child(expt_run *r, char *cmd, size_t size, tk_err *err,
                 const char *fmt, ...)
{
  char args[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  snprintf(cmd, size, "tsukit %s", args);
  int64_t n = 0;
  if (io_exists(r->f, "/children"))
    io_get_attr_i64(r->f, "/children", "count", &n, NULL);
  else
    TK_TRY(io_group(r->f, "/children", err));
  char an[32];
  snprintf(an, sizeof an, "cmd%02lld", (long long)n);
  TK_TRY(io_attr_str(r->f, "/children", an, cmd, err));
  TK_TRY(io_attr_i64(r->f, "/children", "count", n + 1, err));
  if (!r->ctx->quiet)
    fprintf(stderr, "pbit-fast-cal: %s\n", cmd);
  return TK_OK;
}

/* One calibration, as `tsukit calibrate` runs it from the same options. */
static int calibrate(expt_run *r, const char *cell, const char *vctl,
                     const char *temps, const char *time, const char *tau,
                     const char *repeats, const char *noise,
                     const char *track_exp, const char *out, const char *cmd,
                     tk_err *err)
{
  const expt_ctx *c = r->ctx;
  double *t_K = NULL, *v = NULL;
  size_t nt = 0, nv = 0;
  cal_run_params p = cal_run_default_params();
  int rc = tk_parse_list(temps, "--temp", tk_parse_temp_K, &t_K, &nt, err);
  if (rc == TK_OK)
    rc = tk_parse_range(vctl, "--vctl", &v, &nv, err);
  if (rc == TK_OK)
    rc = tk_parse_double(time, "--time", &p.sweep.time_s, err);
  if (rc == TK_OK && tau != NULL) {
    p.sweep.track.on = 1;
    rc = tk_parse_double(tau, "--time-tau", &p.sweep.track.time_tau, err);
    if (rc == TK_OK)
      rc = tk_parse_double(track_exp, "--track-exp",
                           &p.sweep.track.width_exp, err);
  }
  if (rc == TK_OK && repeats != NULL) {
    long rp = 1;
    rc = tk_parse_long_in(repeats, "--repeats", 1, 1000, &rp, err);
    p.sweep.repeats = (unsigned)rp;
  }
  if (rc == TK_OK && noise != NULL)
    rc = tk_parse_double(noise, "--noise-model", &p.noise_time_s, err);
  if (rc == TK_OK) {
    p.label = "calibrate";
    p.command_line = cmd;
    p.source = CAL_SOURCE_CELL;
    p.cell = cell;
    p.out = out;
    p.temp_K = t_K;
    p.nt = nt;
    p.vctl_V = v;
    p.nv = nv;
    p.sweep.workers = (long)c->workers;
    p.sweep.seed = c->seed;
    p.sweep.resume = exists(out);
    cal_summary sum;
    cal_summary_init(&sum);
    rc = cal_run(&p, &sum, err);
    if (rc != TK_OK)
      rc = tk_err_wrap(err, rc, "`%s`", cmd);
  }
  free(t_K);
  free(v);
  return rc;
}

/* sample --cells LIB --cell NAME --temp 300 on a small G12 grid: the
 * chip's time per sample of --sample-sweeps (250) sweeps. */
static int chip_sample(expt_run *r, const char *dir, const char *lib,
                       const char *cell, run_sample_result *res, tk_err *err)
{
  char out[1200], cmd[2400];
  snprintf(out, sizeof out, "%s/sample-%s.h5", dir, cell);
  run_sample_params p = run_sample_default_params();
  p.graph = "G12";
  p.L = 16;
  p.chains = 16;
  p.sweeps = 40;
  p.burn_in = 10;
  p.threads = 1;
  p.seed = r->ctx->seed;
  p.cells = lib;
  p.cell = cell;
  p.temp_K = CHIP_K;
  p.out = out;
  p.force = 1;
  TK_TRY(child(r, cmd, sizeof cmd, err, "sample --cells %s --cell %s --temp "
               "%g --graph G12 --L 16 --chains 16 --sweeps 40 --burn-in 10 "
               "--threads 1 --seed %llu --force -o %s", lib, cell, CHIP_K,
               (unsigned long long)p.seed, out));
  p.command = cmd;
  int rc = run_sample(&p, res, err);
  return rc == TK_OK ? TK_OK : tk_err_wrap(err, rc, "`%s`", cmd);
}

int expt__pbit_fast_cal_run(expt_run *r, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  const pfc_cfg *g = c->quick ? &quick_cfg : &full_cfg;
  char dir[1024], lib[1100], plib[1100], cmd[4096];
  snprintf(dir, sizeof dir, "%s/pbit-fast-cal", c->out_dir);
  if (mkdir(dir, 0777) != 0 && !exists(dir))
    return TK_FAIL(err, TK_EIO, "cannot create %s", dir);
  snprintf(lib, sizeof lib, "%s/cells.h5", dir);
  snprintf(plib, sizeof plib, "%s/pbit.h5", dir);
  TK_TRY(expt_input(r, "time_tau", atof(g->cal_tau), "1", "ours: record length per point in pilot correlation times (--time-tau)", err));
  TK_TRY(expt_input(r, "time_max_s", atof(g->time), "s", "ours: longest record per point (--time)", err));
  TK_TRY(expt_input(r, "repeats", atof(g->repeats), "1", "ours: independent records per point", err));
  TK_TRY(expt_input(r, "dtm_steps", DTM_T, "1", "dtm-fashion: T", err));
  TK_TRY(expt_input(r, "dtm_sweeps", DTM_K, "1", "dtm-fashion: sweeps per step", err));
  TK_TRY(expt_input(r, "chip_temp_K", CHIP_K, "K", "ours: chip temperature of the time-per-sample figures", err));

  /* 1. the pbit-fast library */
  char noise[64] = "";
  if (g->noise != NULL)
    snprintf(noise, sizeof noise, " --noise-model %s", g->noise);
  TK_TRY(child(r, cmd, sizeof cmd, err, "calibrate --cell pbit-fast --vctl "
               "%s --temp=%s --track --track-exp %s --time-tau %s --time %s "
               "--repeats %s%s --workers %u --seed %llu%s -o %s", g->vctl,
               g->temps, g->track_exp, g->cal_tau, g->time, g->repeats,
               noise, c->workers, (unsigned long long)c->seed,
               exists(lib) ? " --resume" : "", lib));
  TK_TRY(calibrate(r, "pbit-fast", g->vctl, g->temps, g->time, g->cal_tau,
                   g->repeats, g->noise, g->track_exp, lib, cmd, err));
  /* 2. the pbit's, for the comparison of the chip's time per sample */
  TK_TRY(child(r, cmd, sizeof cmd, err, "calibrate --cell pbit --vctl %s "
               "--temp %s --time %s --workers %u --seed %llu%s -o %s",
               g->pbit_vctl, g->pbit_temps, g->pbit_time, c->workers,
               (unsigned long long)c->seed, exists(plib) ? " --resume" : "",
               plib));
  TK_TRY(calibrate(r, "pbit", g->pbit_vctl, g->pbit_temps, g->pbit_time,
                   NULL, NULL, NULL, NULL, plib, cmd, err));

  /* The fits, the temperature model and leave-one-out from the library */
  io_celllib L;
  TK_TRY(io_celllib_load(lib, "pbit-fast", &L, err));
  size_t nt = L.nt;
  int rc = TK_OK;
  if (nt < 4 || nt > MAXT || !L.tm.present || L.loo_max_abs_dp1 == NULL ||
      L.fit_v0_V == NULL || L.fit_tau_op_s == NULL)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: the pbit-fast library lacks its fits, "
                 "temperature model or leave-one-out (%zu temperatures)",
                 lib, nt);
  double v0m[MAXT], vsm[MAXT], taum[MAXT], v0l[MAXT], vsl[MAXT], taul[MAXT];
  cal_predict_params pp = cal_predict_default_params();
  pp.cells = lib;
  pp.cell = "pbit-fast";
  for (size_t t = 0; rc == TK_OK && t < nt; t++) {
    cal_prediction pr;
    pp.temp_K = L.temperature_K[t];
    pp.vctl_V = L.fit_v0_V[t];
    pp.leave_out = 0;
    rc = cal_predict(&pp, &pr, err);
    v0m[t] = pr.v0_V; vsm[t] = pr.vs_V; taum[t] = pr.tau_s;
    pp.leave_out = 1;
    if (rc == TK_OK)
      rc = cal_predict(&pp, &pr, err);
    v0l[t] = pr.v0_V; vsl[t] = pr.vs_V; taul[t] = pr.tau_s;
  }
  double loo = 0, loof = 0, chi_lo = INFINITY, chi_hi = 0, dv0l = 0,
         dvsl = 0, dtaul = 0;
  for (size_t t = 0; rc == TK_OK && t < nt; t++) {
    loo = fmax(loo, L.loo_max_abs_dp1[t]);
    loof = fmax(loof, L.loo_max_abs_dp1_vs_fit[t]);
    chi_lo = fmin(chi_lo, L.fit_chi2_red[t]);
    chi_hi = fmax(chi_hi, L.fit_chi2_red[t]);
    dv0l = fmax(dv0l, fabs(v0l[t] - L.fit_v0_V[t]));
    dvsl = fmax(dvsl, fabs(vsl[t] / L.fit_vs_V[t] - 1));
    dtaul = fmax(dtaul, fabs(taul[t] / L.fit_tau_op_s[t] - 1));
  }
  if (rc == TK_OK) {
    double tc[MAXT], v0mv[MAXT], v0e[MAXT], v0mm[MAXT], v0lm[MAXT],
        vsmv[MAXT], vse[MAXT], vsmm[MAXT], vslm[MAXT], tns[MAXT],
        tmns[MAXT], tlns[MAXT], chi[MAXT], es[MAXT], lp[MAXT], lf[MAXT],
        nm[MAXT];
    for (size_t t = 0; t < nt; t++) {
      tc[t] = L.temperature_K[t] - 273.15;
      v0mv[t] = L.fit_v0_V[t] * 1e3;
      v0e[t] = L.fit_v0_err_V[t] * 1e6;
      v0mm[t] = v0m[t] * 1e3;
      v0lm[t] = v0l[t] * 1e3;
      vsmv[t] = L.fit_vs_V[t] * 1e3;
      vse[t] = L.fit_vs_err_V[t] * 1e3;
      vsmm[t] = vsm[t] * 1e3;
      vslm[t] = vsl[t] * 1e3;
      tns[t] = L.fit_tau_op_s[t] * 1e9;
      tmns[t] = taum[t] * 1e9;
      tlns[t] = taul[t] * 1e9;
      chi[t] = L.fit_chi2_red[t];
      es[t] = L.error_scale ? L.error_scale[t] : NAN;
      lf[t] = L.loo_max_abs_dp1_vs_fit[t];
      lp[t] = L.loo_max_abs_dp1[t];
      nm[t] = L.nm_vs_V ? L.nm_vs_V[t] * 1e3 : NAN;
    }
    const char *names[] = {"T", "v0 fit", "v0 err", "v0 model", "v0 LOO",
                           "vs fit", "vs err", "vs model", "vs LOO",
                           "vs noise model", "tau fit", "tau model",
                           "tau LOO", "chi2_red", "error scale",
                           "LOO max dP1 (fit)", "LOO max dP1 (points)"};
    const char *units[] = {"C", "mV", "uV", "mV", "mV", "mV", "mV", "mV",
                           "mV", "mV", "ns", "ns", "ns", "1", "1", "1",
                           "1"};
    const double *cols[] = {tc, v0mv, v0e, v0mm, v0lm, vsmv, vse, vsmm,
                            vslm, nm, tns, tmns, tlns, chi, es, lf, lp};
    rc = expt_table(r, "temps", "pbit-fast per temperature: logistic fit, "
                    "temperature model (all temperatures) and leave-one-out "
                    "(the model refitted without that temperature)", nt, 17,
                    names, units, cols, NULL, err);
  }
  if (rc == TK_OK) rc = expt_vec(r, "/cal/temperature_K", L.temperature_K, nt, "K", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/v0_V", L.fit_v0_V, nt, "V", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/v0_err_V", L.fit_v0_err_V, nt, "V", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/vs_V", L.fit_vs_V, nt, "V", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/vs_err_V", L.fit_vs_err_V, nt, "V", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/tau_s", L.fit_tau_op_s, nt, "s", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/tau_err_s", L.fit_tau_op_err_s, nt, "s", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/v0_loo_V", v0l, nt, "V", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/vs_loo_V", vsl, nt, "V", err);
  if (rc == TK_OK) rc = expt_vec(r, "/cal/tau_loo_s", taul, nt, "s", err);
  /* the model on a fine grid, for the figure */
  if (rc == TK_OK) {
    double gT[41], gv0[41], gvs[41], gtau[41];
    double lo = L.temperature_K[0], hi = L.temperature_K[nt - 1];
    pp.leave_out = 0;
    for (int k = 0; rc == TK_OK && k <= 40; k++) {
      cal_prediction pr;
      pp.temp_K = gT[k] = lo + (hi - lo) * k / 40.0;
      pp.vctl_V = L.fit_v0_V[0];
      rc = cal_predict(&pp, &pr, err);
      gv0[k] = pr.v0_V; gvs[k] = pr.vs_V; gtau[k] = pr.tau_s;
    }
    if (rc == TK_OK) rc = expt_vec(r, "/model/temperature_K", gT, 41, "K", err);
    if (rc == TK_OK) rc = expt_vec(r, "/model/v0_V", gv0, 41, "V", err);
    if (rc == TK_OK) rc = expt_vec(r, "/model/vs_V", gvs, 41, "V", err);
    if (rc == TK_OK) rc = expt_vec(r, "/model/tau_s", gtau, 41, "s", err);
  }
  if (rc == TK_OK) rc = expt_sum(r, "chi2_red_min", chi_lo, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "chi2_red_max", chi_hi, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "loo_max_abs_dp1_vs_fit", loof, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "loo_max_abs_dp1", loo, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "loo_max_dv0_V", dv0l, "V", err);
  if (rc == TK_OK) rc = expt_sum(r, "loo_max_rel_dvs", dvsl, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "loo_max_rel_dtau", dtaul, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "dv0_dT_V_per_K", L.tm.dv0_dT_V_per_K, "V/K", err);
  if (rc == TK_OK) rc = expt_sum(r, "vs_exp", L.tm.vs_exp, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "ea_eV", L.tm.ea_J / 1.602176634e-19, "eV", err);
  if (rc == TK_OK) rc = expt_sum(r, "tau_cold_s", L.fit_tau_op_s[0], "s", err);
  if (rc == TK_OK) rc = expt_sum(r, "tau_hot_s", L.fit_tau_op_s[nt - 1], "s", err);
  double tm_vs_ref = L.tm.vs_ref_V, tm_v0_ref = L.tm.v0_ref_V,
         tm_tref = L.tm.t_ref_K, tm_tau_ref = L.tm.tau_ref_s,
         tm_ea = L.tm.ea_J / 1.602176634e-19, tm_dv0 = L.tm.dv0_dT_V_per_K,
         tm_vsx = L.tm.vs_exp, tm_c2[3] = {L.tm.chi2_red_v0, L.tm.chi2_red_vs,
                                           L.tm.chi2_red_tau};
  double t_lo = L.temperature_K[0], t_hi = nt ? L.temperature_K[nt - 1] : NAN;
  io_celllib_clear(&L);
  TK_TRY(rc);
  char why[768];
  snprintf(why, sizeof why, "The temperature model refitted without each "
           "of the %zu temperatures predicts its transfer curve within %.3f "
           "of that temperature's own logistic fit (%.3f against the "
           "measured points, which carry their own sampling error); the "
           "pbit's acceptance run holds this within 0.03 "
           "(tests/pbit_temperature_acceptance.sh).", nt, loof, loo);
  TK_TRY(expt_compare(r, "loo", "pbit-fast leave-one-out, max |P(1) "
                      "predicted - fit|", loof, 0.03, "1",
                      "tsukit: the pbit's acceptance threshold", why, err));
  snprintf(why, sizeof why, "Logistic fit quality over %zu temperatures "
           "(records' scatter scales the errors): chi2_red %.2f..%.2f; the "
           "pbit's acceptance run requires [0.5, 2].", nt, chi_lo, chi_hi);
  TK_TRY(expt_compare(r, "chi2", "pbit-fast logistic fit, worst chi2_red",
                      fabs(chi_hi - 1) > fabs(chi_lo - 1) ? chi_hi : chi_lo,
                      1.0, "1", "statistics: 1 for a good fit", why, err));
  expt_note(r, "Temperature model (reference %.1f K): v0 = trip(T) + %.2f mV "
            "+ %.3g uV/K (T - T_ref) [chi2_red %.2f], vs = %.3f mV (T / "
            "T_ref)^%.2f [chi2_red %.2f], tau Arrhenius %.3g ns at T_ref, Ea "
            "%.3f eV [chi2_red %.2f]; tau %.3g ns at %.0f K to %.3g ns at "
            "%.0f K.", tm_tref, tm_v0_ref * 1e3, tm_dv0 * 1e6, tm_c2[0],
            tm_vs_ref * 1e3, tm_vsx, tm_c2[1], tm_tau_ref * 1e9, tm_ea,
            tm_c2[2], taum[0] * 1e9, t_lo, taum[nt - 1] * 1e9, t_hi);
  expt_note(r, "Leave-one-out (the model refitted without the temperature): "
            "v0 within %.3g mV, vs within %.0f %%, tau within %.0f %% of the "
            "temperature's own fit.", dv0l * 1e3, dvsl * 100, dtaul * 100);

  /* 3./4. the chip's time per sample on each library */
  run_sample_result sr[2];
  const char *cell[2] = {"pbit", "pbit-fast"};
  const char *libs[2] = {plib, lib};
  double tau[2], ssamp[2], sdtm[2], spcol[2], ratio[2];
  for (int k = 0; k < 2; k++) {
    TK_TRY(chip_sample(r, dir, libs[k], cell[k], &sr[k], err));
    run_chiptime d = run_chiptime_compute(sr[k].chip.tau_s, 2, DTM_K, DTM_T);
    tau[k] = sr[k].chip.tau_s * 1e9;
    spcol[k] = (double)sr[k].colors;
    ssamp[k] = sr[k].chip.per_sample_s * 1e6;
    sdtm[k] = d.per_sample_s * 1e6;
    if (!isfinite(d.per_sample_s))
      return TK_FAIL(err, TK_ENUMERIC, "%s: no correlation time at %g K",
                     libs[k], CHIP_K);
  }
  for (int k = 0; k < 2; k++)
    ratio[k] = sdtm[0] / sdtm[k];
  {
    const char *names[] = {"tau at 300 K", "colours (sample)",
                           "sample: chip time per sample (250 sweeps)",
                           "DTM T=4, K=100: chip time per sample",
                           "speed-up over the pbit"};
    const char *units[] = {"ns", "1", "us", "us", "1"};
    const double *cols[] = {tau, spcol, ssamp, sdtm, ratio};
    TK_TRY(expt_table(r, "chip", "The simulated chip on each library at "
                      "300 K: time per sample = steps x sweeps x colours x "
                      "tau (run/run_chiptime.h, as `sample` and `dtm sample` "
                      "report it)", 2, 5, names, units, cols, cell, err));
  }
  TK_TRY(expt_sum(r, "tau_pbit_s", tau[0] * 1e-9, "s", err));
  TK_TRY(expt_sum(r, "tau_fast_s", tau[1] * 1e-9, "s", err));
  TK_TRY(expt_sum(r, "dtm_s_per_sample_pbit", sdtm[0] * 1e-6, "s", err));
  TK_TRY(expt_sum(r, "dtm_s_per_sample_fast", sdtm[1] * 1e-6, "s", err));
  TK_TRY(expt_sum(r, "dtm_speedup", ratio[1], "1", err));
  TK_TRY(expt_sum(r, "tau_ratio", tau[0] / tau[1], "1", err));
  snprintf(why, sizeof why, "The DTM of dtm-fashion (T = 4, K = 100, 2 "
           "colours) on the simulated chip at 300 K: %.3g us per sample on "
           "the pbit library (tau %.3g ns), %.3g us on pbit-fast's (tau %.3g "
           "ns): x%.1f, the ratio of the libraries' taus.", sdtm[0], tau[0],
           sdtm[1], tau[1], ratio[1]);
  TK_TRY(expt_compare(r, "dtm_time", "DTM chip time per sample, pbit-fast "
                      "library", sdtm[1] * 1e-6, sdtm[0] * 1e-6, "s",
                      "tsukit: the same DTM on the pbit library", why, err));
  expt_note(r, "The time per sample assumes a chip clocked at one colour "
            "per cell tau; the energy report of `sample` and `dtm sample` "
            "still uses their --clock (10 MHz: 2 colours = 200 ns between "
            "a cell's updates), so a cell faster than that is charged "
            "dt / tau correlation times per update (tsu/tsu_energy.h): "
            "on pbit-fast's library at that clock the random-bit term is "
            "%.0fx its energy per sample.", 2 / 1e7 / (tau[1] * 1e-9));
  return TK_OK;
}

int expt__pbit_fast_cal_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  enum { T, V0, V0E, VS, VSE, TAU, TAUE, V0L, VSL, TAUL, MT, MV0, MVS, MTAU,
         NX };
  static const char *const path[NX] = {
      "/cal/temperature_K", "/cal/v0_V", "/cal/v0_err_V", "/cal/vs_V",
      "/cal/vs_err_V", "/cal/tau_s", "/cal/tau_err_s", "/cal/v0_loo_V",
      "/cal/vs_loo_V", "/cal/tau_loo_s", "/model/temperature_K",
      "/model/v0_V", "/model/vs_V", "/model/tau_s"};
  double *x[NX] = {0};
  size_t n[NX] = {0};
  int rc = TK_OK;
  for (int k = 0; rc == TK_OK && k < NX; k++)
    rc = expt_read(f, path[k], &x[k], &n[k], err);
  io_file_close(f);
  for (int k = 1; rc == TK_OK && k < NX; k++)
    if (n[k] != (k < MT ? n[T] : n[MT]) || n[k] == 0)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: %s has %zu values", h5, path[k], n[k]);
  double *d = NULL, *m = NULL;
  if (rc == TK_OK &&
      ((d = malloc(n[T] * 10 * sizeof *d)) == NULL ||
       (m = malloc(n[MT] * 4 * sizeof *m)) == NULL))
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  io_plot p;
  if (rc == TK_OK)
    rc = io_plot_begin(&p, png, 1500, 480, err);
  if (rc == TK_OK) {
    for (size_t i = 0; i < n[T]; i++) {
      double *row = d + 10 * i;
      row[0] = x[T][i] - 273.15;
      row[1] = x[V0][i] * 1e3; row[2] = x[V0E][i] * 1e3;
      row[3] = x[V0L][i] * 1e3;
      row[4] = x[VS][i] * 1e3; row[5] = x[VSE][i] * 1e3;
      row[6] = x[VSL][i] * 1e3;
      row[7] = x[TAU][i] * 1e9; row[8] = x[TAUE][i] * 1e9;
      row[9] = x[TAUL][i] * 1e9;
    }
    for (size_t i = 0; i < n[MT]; i++) {
      m[4 * i] = x[MT][i] - 273.15;
      m[4 * i + 1] = x[MV0][i] * 1e3;
      m[4 * i + 2] = x[MVS][i] * 1e3;
      m[4 * i + 3] = x[MTAU][i] * 1e9;
    }
    io_plot_data_table(&p, "d", d, n[T], 10);
    io_plot_data_table(&p, "m", m, n[MT], 4);
    io_plot_cmd(&p, "set multiplot layout 1,3 title 'pbit-fast calibrated "
                "(ngspice, BSIM4, VDD 0.40 V): fits, temperature model, "
                "leave-one-out'\n"
                "set xlabel 'T (C)'\nset grid\nset key top right\n"
                "set ylabel 'v0 (mV)'\n"
                "plot $d u 1:2:3 w yerrorbars pt 7 t 'fit', "
                "$m u 1:2 w l lc 7 t 'model', "
                "$d u 1:4 w p pt 6 ps 1.5 lc 3 t 'leave-one-out'\n"
                "set ylabel 'logistic scale vs (mV)'\n"
                "plot $d u 1:5:6 w yerrorbars pt 7 t 'fit', "
                "$m u 1:3 w l lc 7 t 'model', "
                "$d u 1:7 w p pt 6 ps 1.5 lc 3 t 'leave-one-out'\n"
                "set ylabel 'tau (ns)'\nset logscale y\n"
                "plot $d u 1:8:9 w yerrorbars pt 7 t 'fit', "
                "$m u 1:4 w l lc 7 t 'Arrhenius model', "
                "$d u 1:10 w p pt 6 ps 1.5 lc 3 t 'leave-one-out'\n"
                "unset multiplot\n");
    rc = io_plot_run(&p, err);
  }
  free(d);
  free(m);
  for (int k = 0; k < NX; k++)
    free(x[k]);
  return rc;
}
