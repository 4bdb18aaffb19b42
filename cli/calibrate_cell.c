/* calibrate_cell.c -- the shipped cells in `tsukit calibrate`: one sweep
 * point (pbit or categorical), the Monte-Carlo mismatch instances (--mc)
 * and the check of the calibrated inverse (--verify).  Internal to cli/
 * (calib__ prefix; see calibrate_file.h and cmd_calibrate.c).
 *
 * Workload: each function runs ngspice transients in forked workers
 * (cal_sweep_run): a point is one run; an --mc job is ~30 noiseless
 * bisection steps plus nV noisy runs; a --verify target is one long run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_autocorr.h"
#include "calibrate/cal_gmm.h"
#include "calibrate/cal_mismatch.h"
#include "calibrate/cal_priority.h"
#include "calibrate/cal_sweep.h"
#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "cli/calibrate_file.h"
#include "cli/cmd.h"
#include "common/tk_rng.h"
#include "io/io_h5.h"

/* gmm2: the two-Gaussian mixture of the output samples (cal_gmm.h), its
 * errors for the correlated trace (the statistical inefficiency of y from
 * cal_autocorr; the slow mode switching dominates it, so the errors are
 * conservative for the positions and widths); a point whose fit fails
 * keeps NaN (reported).  Samples between 10 % and 90 % of vsep are the
 * output in transit between the modes (its edges through the output
 * pseudo-resistor), not either Gaussian: they are left out (the modes
 * sit ~2 mV wide at 0 and vsep, so no mode sample is lost). */
static void gmm_point(const double *y0, size_t n0, double dt_s, double vsep_V,
                      calib_point *pt, const char *cmd, double temp_K)
{
  double *y = malloc(n0 * sizeof *y);
  size_t n = 0;
  if (y == NULL)
    return;
  for (size_t i = 0; i < n0; i++)
    if (!(y0[i] > 0.1 * vsep_V && y0[i] < 0.9 * vsep_V))
      y[n++] = y0[i];
  cal_gmm_params gp = cal_gmm_default_params();
  cal_autocorr_params ap = cal_autocorr_default_params();
  cal_autocorr_result ar;
  tk_err e2 = {0};
  if (cal_autocorr(y, n, dt_s, &ap, NULL, NULL, &ar, &e2) == 0 &&
      ar.ineff >= 1)
    gp.ineff = ar.ineff;
  cal_gmm_result g;
  int rc = cal_gmm_fit(y, n, &gp, &g, &e2);
  free(y);
  if (rc != 0) {
    fprintf(stderr, "tsukit %s: %g K: no mixture fit (%s)\n", cmd, temp_K,
            tk_err_text(&e2));
    return;
  }
  const double v[CALIB_GMM_N] = {g.mu_V[0], g.mu_V[1], g.mu_err_V[0],
                                 g.mu_err_V[1], g.sd_V[0], g.sd_V[1],
                                 g.sd_err_V[0], g.sd_err_V[1], g.w0, g.w0_err};
  memcpy(pt->gmm, v, sizeof v);
}

/* Worker: one ngspice run and its reduction (pbit: the output line;
 * categorical: the K one-hot lines). */
int calib__cell_point(const sweep_ctx *c, size_t idx, calib_point *pt,
                      tk_err *err)
{
  const ckt_cell_info *ci = c->ci;
  ckt_sim_params sp = calib__point_sim(c, idx);
  const double *v = calib__ctl(c, idx / c->nv, idx % c->nv);
  double v2[2];
  if (c->gmm) {   /* gmm2: the swept weight control and the fixed vsep */
    v2[0] = v[0];
    v2[1] = c->vsep_V;
    v = v2;
  }
  ckt_cell_opts co = {c->vdd_V, 0, isfinite(c->vbias_V) ? c->vbias_V : 0};
  phys_cell *pc = NULL;
  ckt_session *ses = NULL;
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  int rc = ckt_cell_build(ci, v, &co, &pc, err);
  if (rc == 0)
    rc = ckt_session_open(&ses, err);
  if (rc == 0)
    rc = ckt_sim_run(ses, pc, ci->name, &sp, &tr, err);
  if (rc == 0 && c->n_states == 2) {
    cal_pbit_point pp;
    const double *o = ckt_trace_node(&tr, ci->outputs);
    /* gmm2's output swings 0 .. vsep: digitised against that */
    rc = o == NULL ? TK_FAIL(err, TK_EINTERNAL, "no node %s in the trace",
                             ci->outputs)
                   : cal_pbit_point_measure(o, tr.n, tr.dt_s,
                                            c->gmm ? c->vsep_V : c->vdd_V,
                                            tr.e_supply_J, &pp, err);
    if (rc == 0)
      calib__point_from_pbit(&pp, pt);
    /* the mixture where both modes hold >= 2 % of the record (else one
     * mode would be fitted as two) */
    if (rc == 0 && c->gmm && pt->p[1] >= 0.02 && pt->p[1] <= 0.98)
      gmm_point(o, tr.n, tr.dt_s, c->vsep_V, pt, c->cmd, sp.temp_K);
  } else if (rc == 0) {
    const double *lines[CAL_MAX_STATES];
    char names[256], *save = NULL;
    unsigned K = 0;
    snprintf(names, sizeof names, "%s", ci->outputs);
    for (char *t = strtok_r(names, ",", &save); t && K < CAL_MAX_STATES;
         t = strtok_r(NULL, ",", &save)) {
      if ((lines[K++] = ckt_trace_node(&tr, t)) == NULL) {
        rc = TK_FAIL(err, TK_EINTERNAL, "no node %s in the trace", t);
        break;
      }
    }
    cal_cat_point cp;
    if (rc == 0 && K != c->n_states)
      rc = TK_FAIL(err, TK_EINTERNAL, "%s has %u output lines, want %u",
                   ci->name, K, c->n_states);
    if (rc == 0)
      rc = cal_cat_point_measure(lines, K, tr.n, tr.dt_s, c->vdd_V,
                                 tr.e_supply_J, &cp, err);
    if (rc == 0)
      calib__point_from_cat(&cp, pt);
  }
  ckt_trace_clear(&tr);
  ckt_session_close(ses);
  phys_cell_free(pc);
  return rc;
}

/* ---- --noise-model: the noise node at each temperature's v0 ---- */

typedef struct noise_job {
  const sweep_ctx *c;      /* the sweep */
  const double *v_V;       /* [nT] controls */
  cal_noise_node *r;       /* [nT] results (parent) */
} noise_job;

#define CAL_NOISE_STREAM 0x6e6f697365ULL   /* "noise": the records' seeds */

/* Worker: one record of node x and the output at temperature t, sampled
 * every 0.1 ns (the node's correlation time is ~1 ns at 125 C). */
static int noise_point(void *ud, size_t t, void *result, tk_err *err)
{
  const noise_job *j = ud;
  const sweep_ctx *c = j->c;
  cal_noise_node *r = result;
  r->sigma_V = r->tau_x_s = r->tau_x_err_s = r->shift_V = r->p1 = NAN;
  ckt_sim_params sp = c->sp;
  sp.temp_K = c->temp_K[t];
  sp.tstop_s = c->noise_time_s;
  sp.tstep_s = fmin(0.1e-9, sp.tstep_s);
  sp.nt_s = fmin(sp.nt_s, sp.tstep_s);
  sp.seed = cal_sweep_point_seed(c->seed ^ CAL_NOISE_STREAM, t);
  ckt_cell_opts co = {c->vdd_V, 0, isfinite(c->vbias_V) ? c->vbias_V : 0};
  phys_cell *pc = NULL;
  ckt_session *ses = NULL;
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  int rc = ckt_cell_build(c->ci, &j->v_V[t], &co, &pc, err);
  if (rc == 0)
    rc = ckt_session_open(&ses, err);
  if (rc == 0)
    rc = ckt_sim_run(ses, pc, c->ci->name, &sp, &tr, err);
  if (rc == 0) {
    const double *x = ckt_trace_node(&tr, "x"), *o = ckt_trace_node(&tr, c->ci->outputs);
    tk_err e2 = {0};
    if (x == NULL || o == NULL)
      rc = TK_FAIL(err, TK_EINTERNAL, "%s has no node x or %s", c->ci->name,
                   c->ci->outputs);
    else if (cal_noise_node_measure(x, o, tr.n, tr.dt_s, c->vdd_V, r, &e2) != 0)
      fprintf(stderr, "tsukit %s: %g K: noise node not measured (%s)\n",
              c->cmd, sp.temp_K, tk_err_text(&e2));
  }
  ckt_trace_clear(&tr);
  ckt_session_close(ses);
  phys_cell_free(pc);
  return rc;
}

static int noise_done(void *ud, size_t t, const void *result, tk_err *err)
{
  (void)err;
  noise_job *j = ud;
  memcpy(&j->r[t], result, sizeof j->r[t]);
  return TK_OK;
}

int calib__cell_noise_node(const sweep_ctx *c, const double *v_V,
                           cal_noise_node *r, tk_err *err)
{
  if (c->ci == NULL || c->n_states != 2 || c->n_ctl != 1)
    return TK_FAIL(err, TK_EINVAL, "--noise-model: only for the pbit (cell %s)",
                   c->cell);
  noise_job j = {c, v_V, r};
  cal_sweep_params swp = cal_sweep_default_params();
  swp.n_points = c->nt;
  swp.result_size = sizeof *r;
  swp.workers = c->workers > 0 ? c->workers : 1;
  swp.progress_label = "noise node";
  swp.stop = calib__stop_begin();
  cal_sweep_stats ss;
  memset(&ss, 0, sizeof ss);
  int rc = cal_sweep_run(&swp, noise_point, noise_done, &j, &ss, err);
  calib__stop_end();
  if (rc != 0 && ss.interrupted)
    return TK_FAIL(err, TK_EINTERRUPT, "noise-node records interrupted");
  return rc;
}

/* ---- --mc: Monte-Carlo mismatch instances (pbit) ---- */

/* The instances' checkpoint: mc_checkpoint/ in the sweep's checkpoint
 * file, one row of 4 doubles (mc_result) and a done flag per job, each
 * stored and flushed as it finishes; settings in attributes (a run with
 * other --mc/--avt starts the instances over). */
typedef struct mc_ckpt {
  const sweep_ctx *c;  /* the sweep (c->user: the mc_setup) */
  io_file *f;          /* the checkpoint file, read-write; NULL: none */
  char grp[300];       /* <cell group>/mc_checkpoint */
} mc_ckpt;

/* Worker: instance j = idx / nT at temperature t = idx % nT: its
 * threshold draws, its trip point shift, the nominal grid moved by that
 * shift and simulated with noise, the logistic fit. */
static int mc_point(void *ud, size_t idx, void *result, tk_err *err)
{
  const sweep_ctx *c = ((const mc_ckpt *)ud)->c;
  const mc_setup *ms = c->user;
  mc_result *r = result;
  r->v0_V = r->vs_V = r->tau_s = r->shift_V = NAN;
  size_t j = idx / c->nt, t = idx % c->nt, nv = c->nv;
  double *dv = calloc(ms->n_mos + 1, sizeof *dv);
  double *buf = calloc(7 * nv, sizeof *buf);
  uint8_t *notr = calloc(nv, 1);
  int rc = dv && buf && notr ? TK_OK : TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0)
    rc = cal_mismatch_draw(c->seed, j, ms->a_vt_V_m, ms->w_m, ms->l_m,
                           ms->n_mos, dv, err);
  ckt_sim_params sp = c->sp;
  sp.temp_K = c->temp_K[t];
  if (c->rec_time_s != NULL)
    sp.tstop_s = c->rec_time_s[t];
  const double *row = calib__ctl(c, t, 0);   /* this temperature's grid */
  double lo = fmax(0, row[0] - 0.25), hi = fmin(c->vdd_V, row[nv - 1] + 0.25);
  double t_nom = NAN, t_inst = NAN;
  if (rc == 0)
    rc = calib__trip_point(c, &sp, NULL, 0, lo, hi, 16, &t_nom, err);
  int skip = 0;   /* an instance without a trip point in reach: NaN */
  if (rc == 0) {
    rc = calib__trip_point(c, &sp, dv, ms->n_mos, lo, hi, 16, &t_inst, err);
    if (rc == TK_ERANGE) {
      rc = TK_OK;
      skip = 1;
    }
  }
  if (rc == 0 && !skip)
    r->shift_V = t_inst - t_nom;
  double *v = buf, *p1 = buf + nv, *se = buf + 2 * nv, *tau = buf + 3 * nv,
         *tau_e = buf + 4 * nv;
  for (size_t i = 0; i < nv && rc == 0 && !skip; i++) {
    sweep_ctx one = *c;
    v[i] = row[i] + r->shift_V;
    one.vctl_V = &v[i];
    one.ctl_V = NULL;
    one.nv = 1;
    one.sp = sp;
    one.sp.dvth_V = dv;
    one.sp.n_dvth = ms->n_mos;
    one.temp_K = &c->temp_K[t];
    one.rec_time_s = NULL;   /* sp holds this temperature's record time */
    one.repeats = 1;         /* an instance's points: one record each */
    one.rep = 0;
    one.seed = cal_sweep_point_seed(c->seed ^ CAL_MISMATCH_STREAM,
                                    idx * nv + i);
    calib_point pt;
    if (!(v[i] >= 0 && v[i] <= c->vdd_V)) {
      skip = 1;   /* its grid leaves the supply: not fitted */
      break;
    }
    rc = calib__cell_point(&one, 0, &pt, err);
    if (rc != 0)
      break;
    p1[i] = pt.p[1];
    se[i] = pt.p_err[1];
    tau[i] = pt.tau_s;
    tau_e[i] = pt.tau_err_s;
    notr[i] = (uint8_t)pt.no_transitions;
  }
  if (rc == 0 && !skip) {
    cal_pbit_fit pf;
    tk_err e2 = {0};
    /* an instance that does not flip or fit is recorded as NaN, not an
     * error: the spread is taken over the instances that fitted */
    if (cal_pbit_fit_temperature(v, p1, se, notr, tau, tau_e, nv,
                                 c->temp_K[t], &pf, &e2) == 0) {
      r->v0_V = pf.fit.v0_V;
      r->vs_V = pf.fit.vs_V;
      r->tau_s = pf.tau_op_s;
    }
  }
  free(dv);
  free(buf);
  free(notr);
  return rc;
}


static int mc_done(void *ud, size_t idx, const void *result, tk_err *err)
{
  mc_ckpt *k = ud;
  const mc_setup *ms = k->c->user;
  const mc_result *r = result;
  ms->res[idx] = *r;
  if (k->f == NULL)
    return TK_OK;
  double row[4] = {r->v0_V, r->vs_V, r->tau_s, r->shift_V};
  uint8_t one = 1;
  char p[400];
  snprintf(p, sizeof p, "%s/result", k->grp);
  TK_TRY(io_update_f64(k->f, p, 4 * idx, 4, row, err));
  TK_TRY(io_file_flush(k->f, err));
  snprintf(p, sizeof p, "%s/done", k->grp);
  TK_TRY(io_update_u8(k->f, p, idx, 1, &one, err));
  return io_file_flush(k->f, err);
}

/* Open (or start) the instances' checkpoint; done[] and ms->res get what
 * an earlier, interrupted run finished. */
static int mc_ckpt_open(mc_ckpt *k, const sweep_ctx *c, uint8_t *done,
                        tk_err *err)
{
  const mc_setup *ms = c->user;
  size_t nj = (size_t)ms->n * c->nt;
  snprintf(k->grp, sizeof k->grp, "%s/mc_checkpoint", c->grp);
  k->c = c;
  TK_TRY(io_file_open_rw(c->ckpt_path, &k->f, err));
  double a = NAN;
  int64_t nn = -1, ntt = -1;
  int same = io_exists(k->f, k->grp) &&
             io_get_attr_f64(k->f, k->grp, "a_vt_V_m", &a, NULL) == 0 &&
             io_get_attr_i64(k->f, k->grp, "n_instances", &nn, NULL) == 0 &&
             io_get_attr_i64(k->f, k->grp, "n_temperatures", &ntt, NULL) == 0 &&
             a == ms->a_vt_V_m && nn == ms->n && ntt == (int64_t)c->nt;
  char p[400];
  int rc = TK_OK;
  if (same) {
    double *x = NULL, *y = NULL;
    int rank = 0;
    size_t dims[4];
    snprintf(p, sizeof p, "%s/result", k->grp);
    rc = io_read_f64(k->f, p, &x, &rank, dims, err);
    snprintf(p, sizeof p, "%s/done", k->grp);
    if (rc == 0)
      rc = io_read_f64(k->f, p, &y, &rank, dims, err);
    for (size_t j = 0; rc == 0 && j < nj; j++) {
      done[j] = y[j] != 0;
      ms->res[j] = (mc_result){x[4 * j], x[4 * j + 1], x[4 * j + 2],
                               x[4 * j + 3]};
    }
    free(x);
    free(y);
    return rc;
  }
  double *x = malloc(4 * nj * sizeof *x);
  if (x == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t j = 0; j < 4 * nj; j++)
    x[j] = NAN;
  memset(done, 0, nj);
  size_t d2[2] = {nj, 4}, d1[1] = {nj};
  snprintf(p, sizeof p, "%s/result", k->grp);
  rc = io_write_f64(k->f, p, 2, d2, x, "V, V, s, V", err);
  snprintf(p, sizeof p, "%s/done", k->grp);
  if (rc == 0)
    rc = io_write_u8(k->f, p, 1, d1, done, "1", err);
  if (rc == 0)
    rc = io_attr_f64(k->f, k->grp, "a_vt_V_m", ms->a_vt_V_m, err);
  if (rc == 0)
    rc = io_attr_i64(k->f, k->grp, "n_instances", ms->n, err);
  if (rc == 0)
    rc = io_attr_i64(k->f, k->grp, "n_temperatures", (int64_t)c->nt, err);
  if (rc == 0)
    rc = io_file_flush(k->f, err);
  free(x);
  return rc;
}

/* sweep_ctx.extra: run the instances, write mismatch/. */
int calib__mc_extra(const sweep_ctx *c, io_file *f, cmd_kv *kv, tk_err *err)
{
  const mc_setup *ms = c->user;
  size_t n = (size_t)ms->n, nt = c->nt;
  const mc_result *res = ms->res;
  fprintf(stderr, "tsukit calibrate: %zu Monte-Carlo instance(s) x %zu "
          "temperature(s), A_VT %.3g mV um\n", n, nt, ms->a_vt_V_m * 1e9);
  uint8_t *done = calloc(n * nt, 1);
  if (done == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  mc_ckpt k;
  memset(&k, 0, sizeof k);
  k.c = c;
  int crc = c->ckpt_path != NULL ? mc_ckpt_open(&k, c, done, err) : TK_OK;
  size_t ndone = 0;
  for (size_t j = 0; j < n * nt; j++)
    ndone += done[j];
  if (crc == 0 && ndone > 0)
    fprintf(stderr, "tsukit calibrate: resuming the instances: %zu of %zu "
            "jobs already done\n", ndone, n * nt);
  cal_sweep_params swp = cal_sweep_default_params();
  swp.n_points = n * nt;
  swp.result_size = sizeof(mc_result);
  swp.workers = ms->workers;
  swp.progress_label = "mismatch";
  swp.skip = done;
  swp.stop = calib__stop_begin();
  cal_sweep_stats ss;
  memset(&ss, 0, sizeof ss);
  if (crc == 0)
    crc = cal_sweep_run(&swp, mc_point, mc_done, &k, &ss, err);
  calib__stop_end();
  io_file_close(k.f);
  free(done);
  if (crc != 0 && ss.interrupted)
    return TK_FAIL(err, TK_EINTERRUPT, "Monte-Carlo instances interrupted: "
                   "%zu of %zu jobs are kept in the checkpoint",
                   ndone + ss.done, n * nt);
  if (crc != 0)
    return crc;
  double *x = malloc((4 * n * nt + 6 * nt + n * ms->n_mos) * sizeof *x);
  if (x == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  double *iv0 = x, *ivs = x + n * nt, *itau = x + 2 * n * nt,
         *ish = x + 3 * n * nt, *sd = x + 4 * n * nt, *dv = sd + 6 * nt;
  for (size_t t = 0; t < nt; t++)
    for (size_t j = 0; j < n; j++) {
      const mc_result *r = &res[j * nt + t];
      iv0[t * n + j] = r->v0_V;
      ivs[t * n + j] = r->vs_V;
      itau[t * n + j] = r->tau_s;
      ish[t * n + j] = r->shift_V;
    }
  size_t nfit = 0, used;
  for (size_t t = 0; t < nt; t++) {
    double m;
    cal_spread(iv0 + t * n, n, &m, &sd[t], &used);
    cal_spread(ivs + t * n, n, &m, &sd[nt + t], NULL);
    cal_spread(itau + t * n, n, &sd[3 * nt + t], &sd[2 * nt + t], NULL);
    cal_spread(ish + t * n, n, &m, &sd[4 * nt + t], NULL);
    sd[5 * nt + t] = (double)used;
    if (t == 0)
      nfit = used;
  }
  int rc = TK_OK;
  for (size_t j = 0; j < n && rc == 0; j++)
    rc = cal_mismatch_draw(c->seed, j, ms->a_vt_V_m, ms->w_m, ms->l_m,
                           ms->n_mos, dv + j * ms->n_mos, err);
  char p[512];
  size_t d1[1] = {nt}, d2[2] = {nt, n}, dd[2] = {n, ms->n_mos};
  const struct { const char *n; int rank; const size_t *dims; const double *x;
                 const char *u; } ds[] = {
    {"v0_V", 1, d1, sd, "V"}, {"vs_V", 1, d1, sd + nt, "V"},
    {"tau_s", 1, d1, sd + 2 * nt, "s"}, {"tau_mean_s", 1, d1, sd + 3 * nt, "s"},
    {"trip_shift_V", 1, d1, sd + 4 * nt, "V"},
    {"n_fitted", 1, d1, sd + 5 * nt, "1"},
    {"instance_v0_V", 2, d2, iv0, "V"}, {"instance_vs_V", 2, d2, ivs, "V"},
    {"instance_tau_s", 2, d2, itau, "s"},
    {"instance_trip_shift_V", 2, d2, ish, "V"},
    {"dvth_V", 2, dd, dv, "V"},
  };
  for (size_t q = 0; rc == 0 && q < sizeof ds / sizeof ds[0]; q++) {
    snprintf(p, sizeof p, "%s/mismatch/%s", c->grp, ds[q].n);
    rc = io_write_f64(f, p, ds[q].rank, ds[q].dims, ds[q].x, ds[q].u, err);
  }
  snprintf(p, sizeof p, "%s/mismatch", c->grp);
  if (rc == 0)
    rc = io_attr_f64(f, p, "a_vt_V_m", ms->a_vt_V_m, err);
  if (rc == 0)
    rc = io_attr_i64(f, p, "n_instances", (int64_t)n, err);
  if (rc == 0)
    rc = io_attr_str(f, p, "model", "Pelgrom: each transistor's V_TH shifted "
                     "by N(0, A_VT / sqrt(W L)) (ngspice delvto); v0_V, vs_V, "
                     "tau_s: standard deviation over the instances that "
                     "fitted (n_fitted) per temperature", err);
  if (rc == 0) {
    fprintf(stderr, "tsukit calibrate: mismatch at %g K: sd(v0) %.3g V, "
            "sd(vs) %.3g V, sd(tau) %.3g s (mean %.3g s), sd(trip shift) "
            "%.3g V; %zu of %zu instances fitted\n", c->temp_K[0], sd[0],
            sd[nt], sd[2 * nt], sd[3 * nt], sd[4 * nt], nfit, n);
    cmd_kv_long(kv, "mc", (long)n);
    cmd_kv_long(kv, "mc_fitted", (long)nfit);
    cmd_kv_double(kv, "mc_sd_v0_V", sd[0]);
    cmd_kv_double(kv, "mc_sd_vs_V", sd[nt]);
    cmd_kv_double(kv, "mc_sd_tau_s", sd[2 * nt]);
  }
  free(x);
  return rc;
}

/* ---- --verify: the calibrated inverse against the simulated cell ---- */

typedef struct verify_ctx {
  const sweep_ctx *c;         /* the sweep (cell, settings) */
  const double *ctl_V;        /* [n * K] controls from the inverse */
  double time_s;              /* simulated time per target */
  uint64_t seed;              /* noise seed of the check */
  unsigned K;                 /* states */
  cal_cat_point *res;         /* [n] results (parent) */
} verify_ctx;

static int verify_point(void *ud, size_t idx, void *result, tk_err *err)
{
  const verify_ctx *v = ud;
  calib_point pt;
  sweep_ctx one = *v->c;     /* one point at the first temperature */
  one.vctl_V = v->ctl_V + idx * v->K;
  one.ctl_V = NULL;
  one.rec_time_s = NULL;
  one.nv = 1;
  one.sp.tstop_s = v->time_s;
  one.seed = cal_sweep_point_seed(v->seed, idx);
  int rc = calib__cell_point(&one, 0, &pt, err);
  if (rc == 0) {
    cal_cat_point *cp = result;
    cp->K = v->K;
    for (unsigned k = 0; k < v->K; k++) {
      cp->p[k] = pt.p[k];
      cp->p_err[k] = pt.p_err[k];
    }
    cp->tau_s = pt.tau_s;
    cp->flips = pt.flips;
    cp->no_transitions = pt.no_transitions;
  }
  return rc;
}

static int verify_done(void *ud, size_t idx, const void *result, tk_err *err)
{
  (void)err;
  verify_ctx *v = ud;
  v->res[idx] = *(const cal_cat_point *)result;
  return TK_OK;
}

/* Draw n targets (uniform on the simplex, every q_k >= qmin; seeded from
 * the sweep's --seed), invert the model fitted at the first temperature
 * (softmax, priority encoder, or the one with the lower chi2_red) for
 * their controls within the swept range, simulate each for time_s and
 * report the total variation distance with the noise floor a perfect
 * inverse would show from the finite record. */
int calib__verify_inverse(const char *out, const sweep_ctx *c, long n,
                          double time_s, double vmin_V, double vmax_V,
                          long workers, const char *model, cmd_kv *kv,
                          tk_err *err)
{
  const double qmin = 0.05;
  unsigned K = c->n_states;
  io_file *f = NULL;
  static const char *const nm[6] = {"a", "b_per_V", "priority_v0_V",
                                    "priority_vs_V", "chi2_red",
                                    "priority_w"};
  double *x[7] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
  int rank = 0, rc = TK_OK;
  size_t dims[4];
  char p[512];
  TK_TRY(io_file_open_read(out, &f, err));
  for (int k = 0; k < 6 && rc == 0; k++) {
    snprintf(p, sizeof p, "%s/fit/%s", c->grp, nm[k]);
    rc = io_read_f64(f, p, &x[k == 5 ? 6 : k], &rank, dims, err);
  }
  snprintf(p, sizeof p, "%s/fit/priority_chi2_red", c->grp);
  if (rc == 0)
    rc = io_read_f64(f, p, &x[5], &rank, dims, err);
  io_file_close(f);
  cal_softmax_model m;
  cal_priority_model pm;
  memset(&m, 0, sizeof m);
  memset(&pm, 0, sizeof pm);
  m.K = pm.K = K;
  for (unsigned k = 0; rc == 0 && k < K; k++) {
    m.a[k] = x[0][k];
    m.b_per_V[k] = x[1][k];
    pm.v0_V[k] = x[2][k];
    pm.vs_V[k] = x[3][k];
    pm.w[k] = x[6][k];
  }
  int use_prio = 0;
  if (rc == 0) {
    if (strcmp(model, "priority") == 0)
      use_prio = 1;
    else if (strcmp(model, "auto") == 0)
      use_prio = isfinite(x[5][0]) && !(x[5][0] >= x[4][0]);
    if (use_prio && !isfinite(pm.v0_V[0]))
      rc = TK_FAIL(err, TK_ENUMERIC, "--verify: the library has no "
                   "priority-encoder fit");
  }
  for (int k = 0; k < 7; k++)
    free(x[k]);
  if (rc != 0)
    return rc;
  fprintf(stderr, "tsukit calibrate: verify: inverse of the %s model\n",
          use_prio ? "priority-encoder" : "softmax");
  double *q = malloc((size_t)n * K * sizeof *q);
  double *ctl = malloc((size_t)n * K * sizeof *ctl);
  cal_cat_point *res = calloc((size_t)n, sizeof *res);
  if (q == NULL || ctl == NULL || res == NULL) {
    free(q);
    free(ctl);
    free(res);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  tk_rng r;
  tk_rng_init(&r, c->seed, 0x7665726966ULL);  /* "verif" */
  size_t drawn = 0;
  for (long i = 0; i < n && rc == 0; i++) {
    for (;;) {
      double s = 0, mn = 1;
      drawn++;
      for (unsigned k = 0; k < K; k++)
        s += (q[i * K + k] = tk_rng_exponential(&r, 1.0));
      for (unsigned k = 0; k < K; k++)
        mn = fmin(mn, q[i * K + k] /= s);
      tk_err e2 = {0};
      if (mn >= qmin &&
          (use_prio ? cal_priority_inverse(&pm, q + i * K, vmin_V, vmax_V,
                                           ctl + i * K, &e2)
                    : cal_softmax_inverse(&m, q + i * K, vmin_V, vmax_V,
                                          ctl + i * K, &e2)) == 0)
        break;
      if (drawn > 10000) {
        rc = TK_FAIL(err, TK_ERANGE, "--verify: no reachable target in "
                     "10000 draws");
        break;
      }
    }
  }
  verify_ctx v = {c, ctl, time_s, c->seed ^ 0x5a5a5a5aULL, K, res};
  cal_sweep_stats ss;
  if (rc == 0) {
    cal_sweep_params swp = cal_sweep_default_params();
    swp.n_points = (size_t)n;
    swp.result_size = sizeof(cal_cat_point);
    swp.workers = (unsigned)workers;
    swp.progress_label = "verify";
    rc = cal_sweep_run(&swp, verify_point, verify_done, &v, &ss, err);
  }
  if (rc == 0) {
    char lt[512];
    size_t len = 0;
    double tvmax = 0;
    for (long i = 0; i < n; i++) {
      /* the TV a perfect inverse would show from the measurement noise
       * alone: 1/2 sum E|N(0, se_k)| = 1/2 sqrt(2/pi) sum se_k */
      double tv = cal_tv_distance(res[i].p, q + i * K, K), floor_tv = 0;
      for (unsigned k = 0; k < K; k++)
        floor_tv += 0.5 * sqrt(2.0 / M_PI) * res[i].p_err[k];
      tvmax = fmax(tvmax, tv);
      len += (size_t)snprintf(lt + len, sizeof lt - len, "%s%.4f",
                              i ? "," : "", tv);
      fprintf(stderr, "tsukit calibrate: verify %ld: target", i);
      for (unsigned k = 0; k < K; k++)
        fprintf(stderr, " %.3f", q[i * K + k]);
      fprintf(stderr, " -> controls");
      for (unsigned k = 0; k < K; k++)
        fprintf(stderr, " %.5f", ctl[i * K + k]);
      fprintf(stderr, " V -> measured");
      for (unsigned k = 0; k < K; k++)
        fprintf(stderr, " %.3f", res[i].p[k]);
      fprintf(stderr, " (%.0f flips): TV %.4f (noise floor %.4f)\n",
              res[i].flips, tv, floor_tv);
    }
    cmd_kv_str(kv, "verify_model", use_prio ? "priority" : "softmax");
    cmd_kv_str(kv, "verify_tv", lt);
    cmd_kv_double(kv, "verify_tv_max", tvmax);
  }
  free(q);
  free(ctl);
  free(res);
  return rc;
}

