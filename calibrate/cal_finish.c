/* cal_finish.c -- the end of a calibration sweep: the fits of the
 * measured points and the cell library written as FILE.partial and
 * renamed over the checkpoint (atomic).  pbit: logistic per temperature
 * and the temperature model (cal_temp.h); categorical: softmax and the
 * priority-encoder model per temperature (cal_fit.h, cal_priority.h).
 * Internal to calibrate/ (cal__ prefix, cal_run_impl.h).
 *
 * Workload: one fit per temperature over tens to hundreds of points.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_occupancy.h"
#include "calibrate/cal_priority.h"
#include "calibrate/cal_temp.h"
#include "calibrate/cal_run_impl.h"

/* Mean of the finite x[0..n-1] (the first temperature's energies per
 * sample); NaN when none is. */
static double mean_finite(const double *x, size_t n)
{
  double sum = 0;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i])) {
      sum += x[i];
      m++;
    }
  return m ? sum / (double)m : NAN;
}

int cal__lib_write(const char *out, const cal__ctx *c, const io_celllib *L,
                   tk_err *err)
{
  io_file *f = NULL;
  io_prov prov = {c->command_line, c->seed};
  TK_TRY(io_file_create(out, &prov, IO_CREATE_OVERWRITE, &f, err));
  int rc = io_celllib_write(f, L, err);
  if (rc == 0)
    return io_file_commit(f, err);
  io_file_abort(f);
  return rc;
}

/* Categorical cell: softmax fit per temperature (cal_fit.h) over the
 * control rows; fit/a [nT, K], fit/b_per_V [nT, K] with errors,
 * fit/chi2_red [nT], fit/tau_op_s [nT] (mean over the points with a tau). */
static int finish_cat(const char *out, cal__ctx *c, double time_s,
                      cal__data *d, cal_summary *kv, tk_err *err)
{
  size_t nt = c->nt, nv = c->nv, K = c->n_states;
  double *fa = calloc(10 * nt * K + 3 * nt, sizeof *fa);
  if (fa == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  double *fb = fa + nt * K, *fae = fb + nt * K, *fbe = fae + nt * K;
  double *pv0 = fbe + nt * K, *pvs = pv0 + nt * K, *pv0e = pvs + nt * K,
         *pvse = pv0e + nt * K;
  double *pw = pvse + nt * K, *pwe = pw + nt * K;
  double *chi = pwe + nt * K, *tau = chi + nt, *pchi = tau + nt;
  int rc = TK_OK;
  for (size_t t = 0; t < nt && rc == 0; t++) {
    size_t o = t * nv, ntr = 0, ntau = 0;
    double st = 0;
    for (size_t v = 0; v < nv; v++) {
      ntr += !d->notr[o + v];
      if (isfinite(d->tau[o + v])) {
        st += d->tau[o + v];
        ntau++;
      }
    }
    if (ntr == 0) {
      rc = TK_FAIL(err, TK_ENUMERIC, "no transitions observed at %g K over "
                   "the %zu control points (the cell never changes state "
                   "there: move --vctl/--vbase or lengthen --time); not "
                   "fitted", c->temp_K[t], nv);
      break;
    }
    cal_softmax_model m;
    rc = cal_softmax_fit(c->vctl_V, d->p + o * K, d->pse + o * K, nv,
                         (unsigned)K, NULL, &m, err);
    if (rc != 0) {
      tk_err_wrap(err, rc, "softmax fit at %g K", c->temp_K[t]);
      break;
    }
    for (size_t k = 0; k < K; k++) {
      fa[t * K + k] = m.a[k];
      fb[t * K + k] = m.b_per_V[k];
      fae[t * K + k] = m.a_err[k];
      fbe[t * K + k] = m.b_err_per_V[k];
    }
    chi[t] = m.chi2_red;
    tau[t] = ntau ? st / (double)ntau : NAN;
    /* the circuit's own structure (calibrate/cal_priority.h); a failure
     * here is reported, not fatal: the softmax stands */
    cal_priority_model pm;
    tk_err e2 = {0};
    if (cal_priority_fit(c->vctl_V, d->p + o * K, d->pse + o * K, nv,
                         (unsigned)K, &pm, &e2) == 0) {
      for (size_t k = 0; k < K; k++) {
        pv0[t * K + k] = pm.v0_V[k];
        pvs[t * K + k] = pm.vs_V[k];
        pv0e[t * K + k] = pm.v0_err_V[k];
        pvse[t * K + k] = pm.vs_err_V[k];
        pw[t * K + k] = pm.w[k];
        pwe[t * K + k] = pm.w_err[k];
      }
      pchi[t] = pm.chi2_red;
      fprintf(stderr, "tsukit %s: %g K: priority-encoder chi2_red %.3g, "
              "v0_k", c->cmd, c->temp_K[t], pm.chi2_red);
      for (size_t k = 0; k < K; k++)
        fprintf(stderr, " %.5g", pm.v0_V[k]);
      fprintf(stderr, " V, vs_k");
      for (size_t k = 0; k < K; k++)
        fprintf(stderr, " %.3g", pm.vs_V[k]);
      fprintf(stderr, " V, hold weights");
      for (size_t k = 0; k < K; k++)
        fprintf(stderr, " %.3g", pm.w[k]);
      fprintf(stderr, "\n");
    } else {
      for (size_t k = 0; k < K; k++)
        pv0[t * K + k] = pvs[t * K + k] = pv0e[t * K + k] =
            pvse[t * K + k] = pw[t * K + k] = pwe[t * K + k] = NAN;
      pchi[t] = NAN;
      fprintf(stderr, "tsukit %s: %g K: note: no priority-encoder fit (%s)\n",
              c->cmd, c->temp_K[t], tk_err_text(&e2));
    }
    fprintf(stderr, "tsukit %s: %g K: softmax chi2_red %.3g, b_k", c->cmd,
            c->temp_K[t], m.chi2_red);
    for (size_t k = 0; k < K; k++)
      fprintf(stderr, " %.4g", m.b_per_V[k]);
    fprintf(stderr, " 1/V, a_k");
    for (size_t k = 0; k < K; k++)
      fprintf(stderr, " %.4g", m.a[k]);
    fprintf(stderr, ", tau %.3g s (%zu/%zu points changed state)\n", tau[t],
            ntr, nv);
  }
  /* the library: measurements and fits, FILE.partial renamed over FILE */
  io_celllib L;
  io_celllib_init(&L);
  if (rc == 0)
    rc = cal__lib_fill(c, d, time_s, &L, err);
  if (rc == 0) {
    double **dst[10] = {&L.fit_a, &L.fit_b_per_V, &L.fit_a_err,
                        &L.fit_b_err_per_V, &L.prio_v0_V, &L.prio_vs_V,
                        &L.prio_v0_err_V, &L.prio_vs_err_V, &L.prio_w,
                        &L.prio_w_err};
    for (int k = 0; k < 10; k++)
      *dst[k] = cal__dup(fa + (size_t)k * nt * K, nt * K, &rc);
    L.prio_chi2_red = cal__dup(pchi, nt, &rc);
    L.fit_chi2_red = cal__dup(chi, nt, &rc);
    L.fit_tau_op_s = cal__dup(tau, nt, &rc);
    if (rc != 0)
      TK_FAIL(err, rc, "out of memory");
    snprintf(L.fit_model, sizeof L.fit_model, "P(k | V) = exp(a_k + b_k V_k) "
             "/ sum_j exp(a_j + b_j V_j), a_0 = 0");
    snprintf(L.priority_model, sizeof L.priority_model, "p_k = sigmoid((V_k "
             "- priority_v0_V_k) / priority_vs_V_k); N = prod_j (1 - p_j); "
             "P(k | V) = p_k prod_{j<k} (1 - p_j) + N w_k p_k / sum_j w_j "
             "p_j, w = priority_w");
  }
  if (rc == 0)
    rc = cal__lib_write(out, c, &L, err);
  io_celllib_clear(&L);
  if (rc == 0) {
    char la[256], lb[256];
    size_t na = 0, nb = 0;
    for (size_t k = 0; k < K; k++) {
      na += (size_t)snprintf(la + na, sizeof la - na, "%s%.6g", k ? "," : "",
                             fa[k]);
      nb += (size_t)snprintf(lb + nb, sizeof lb - nb, "%s%.6g", k ? "," : "",
                             fb[k]);
    }
    cal_summary_str(kv, "cell", c->cell);
    cal_summary_long(kv, "points", (long)(nt * nv));
    cal_summary_double(kv, "temp_K", c->temp_K[0]);
    cal_summary_str(kv, "fit_a", la);
    cal_summary_str(kv, "fit_b_per_V", lb);
    cal_summary_double(kv, "chi2_red", chi[0]);
    cal_summary_double(kv, "priority_chi2_red", pchi[0]);
    cal_summary_double(kv, "tau_s", tau[0]);
    cal_summary_double(kv, "energy_J", mean_finite(d->e, nv));
    cal_summary_str(kv, "file", out);
  }
  free(fa);
  return rc;
}

int cal__finish(const char *out, cal__ctx *c, double time_s,
                  cal__data *d, cal_summary *kv, tk_err *err)
{
  size_t nfail = 0;
  for (size_t i = 0; i < c->nt * c->nv; i++)
    nfail += d->done[i] == 2;
  if (nfail > 0 && (c->n_states != 2 || c->n_ctl != 1))
    return TK_FAIL(err, TK_ENUMERIC, "%zu point(s) failed in ngspice "
                   "(point_done 2): the categorical fit needs every point; "
                   "not fitted", nfail);
  if (c->n_states != 2 || c->n_ctl != 1)
    return finish_cat(out, c, time_s, d, kv, err);
  size_t nt = c->nt, nv = c->nv;
  double *fv = malloc(7 * nt * sizeof *fv);   /* v0 v0e vs vse chi2 tau tauE */
  /* per temperature the points that did not fail: p1, its two errors,
   * control, tau, tau error [nv each], no_transitions */
  double *p1 = malloc(6 * nv * sizeof *p1);
  uint8_t *nok = malloc(nv);
  cal_temp_point *tp = malloc(nt * sizeof *tp);
  /* --repeats: per temperature the errors' scale from the records'
   * scatter and its degrees of freedom (cal_repeat_scale) */
  double *es = malloc(2 * nt * sizeof *es);
  /* the Gaussian threshold crossing beside the logistic (cal_noise.h):
   * probit sd, its error, chi2_red per temperature */
  double *pb = malloc(3 * nt * sizeof *pb);
  if (fv == NULL || p1 == NULL || nok == NULL || tp == NULL || es == NULL ||
      pb == NULL) {
    free(fv);
    free(p1);
    free(nok);
    free(tp);
    free(es);
    free(pb);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  int rc = TK_OK;
  for (size_t t = 0; t < nt && rc == 0; t++) {
    size_t o = t * nv;
    double *sw = p1 + nv, *sb = p1 + 2 * nv, *vc = p1 + 3 * nv;
    double *ta = p1 + 4 * nv, *tae = p1 + 5 * nv;
    size_t n = 0;       /* points of this temperature that did not fail */
    for (size_t v = 0; v < nv; v++) {
      if (d->done[o + v] == 2)
        continue;
      p1[n] = d->p[2 * (o + v) + 1];
      sw[n] = d->pse[2 * (o + v) + 1];
      sb[n] = d->pser[2 * (o + v) + 1];
      vc[n] = cal__ctl(c, t, v)[0];
      ta[n] = d->tau[o + v];
      tae[n] = d->tau_err[o + v];
      nok[n++] = d->notr[o + v];
    }
    if (n < nv)
      fprintf(stderr, "tsukit %s: %g K: %zu of %zu points failed in ngspice; "
              "the fits use the other %zu\n", c->cmd, c->temp_K[t], nv - n,
              nv, n);
    es[t] = 1;
    es[nt + t] = 0;
    if (c->repeats > 1) {
      rc = cal_repeat_scale(sw, sb, n, c->repeats, &es[t], &es[nt + t], err);
      if (rc != 0)
        break;
      for (size_t v = 0; v < n; v++)
        sw[v] *= es[t];
      fprintf(stderr, "tsukit %s: %g K: %u records per point scatter %.3g "
              "times their own errors (%.0f degrees of freedom): the fit "
              "uses errors x %.3g\n", c->cmd, c->temp_K[t], c->repeats, es[t],
              es[nt + t], es[t]);
    }
    cal_pbit_fit pf;
    rc = cal_pbit_fit_temperature(vc, p1, sw, nok, ta, tae, n, c->temp_K[t],
                                  &pf, err);
    if (rc != 0)
      break;
    fv[t] = pf.fit.v0_V;
    fv[nt + t] = pf.fit.v0_err_V;
    fv[2 * nt + t] = pf.fit.vs_V;
    fv[3 * nt + t] = pf.fit.vs_err_V;
    fv[4 * nt + t] = pf.fit.chi2_red;
    fv[5 * nt + t] = pf.tau_op_s;
    fv[6 * nt + t] = pf.tau_op_err_s;
    tp[t].temp_K = c->temp_K[t];
    tp[t].v0_V = pf.fit.v0_V;
    tp[t].v0_err_V = pf.fit.v0_err_V;
    tp[t].vs_V = pf.fit.vs_V;
    tp[t].vs_err_V = pf.fit.vs_err_V;
    tp[t].tau_s = pf.tau_op_s;
    tp[t].tau_err_s = pf.tau_op_err_s;
    fprintf(stderr, "tsukit %s: %g K: v0 %.6g +- %.2g V, vs %.4g +- "
            "%.2g V, chi2_red %.3g, tau %.3g s (%zu/%zu points flipped)\n", c->cmd,
            c->temp_K[t], pf.fit.v0_V, pf.fit.v0_err_V, pf.fit.vs_V,
            pf.fit.vs_err_V, pf.fit.chi2_red, pf.tau_op_s, pf.n_transitions,
            n);
    cal_logistic_params pp = cal_logistic_default_params();
    cal_logistic_result pr;
    tk_err e5 = {0};
    pp.probit = 1;
    pb[t] = pb[nt + t] = pb[2 * nt + t] = NAN;
    if (cal_logistic_fit(vc, p1, sw, n, &pp, &pr, &e5) == 0) {
      pb[t] = pr.vs_V;
      pb[nt + t] = pr.vs_err_V;
      pb[2 * nt + t] = pr.chi2_red;
      fprintf(stderr, "tsukit %s: %g K: probit (Gaussian threshold) sd %.4g "
              "+- %.2g V, chi2_red %.3g\n", c->cmd, c->temp_K[t], pr.vs_V,
              pr.vs_err_V, pr.chi2_red);
    }
  }
  /* --noise-model: the width predicted from the noise node (cal_noise.h)
   * at each temperature's fitted v0, against the fitted vs */
  cal_noise_node *nn = NULL;
  double *vsm = NULL, nm_dev = NAN;
  if (rc == 0 && c->noise_node != NULL) {
    nn = calloc(nt, sizeof *nn);
    vsm = malloc(nt * sizeof *vsm);
    if (nn == NULL || vsm == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    if (rc == 0)
      rc = c->noise_node(c, fv, nn, err);
    for (size_t t = 0; rc == 0 && t < nt; t++) {
      vsm[t] = cal_noise_model_vs(nn[t].sigma_V, nn[t].tau_x_s, fv[5 * nt + t]);
      double dev = fv[2 * nt + t] / vsm[t] - 1;
      if (isfinite(dev))
        nm_dev = isfinite(nm_dev) ? fmax(nm_dev, fabs(dev)) : fabs(dev);
      fprintf(stderr, "tsukit %s: %g K: noise node sd %.3g mV, tau_x %.3g ns, "
              "tau %.3g ns -> vs %.4g mV from the noise (fitted %.4g mV, "
              "%+.0f %%); averaged sd %.4g mV (probit fit %.4g mV)\n", c->cmd,
              c->temp_K[t], nn[t].sigma_V * 1e3, nn[t].tau_x_s * 1e9,
              fv[5 * nt + t] * 1e9, vsm[t] * 1e3, fv[2 * nt + t] * 1e3,
              100 * dev, vsm[t] * CAL_PROBIT_LOGISTIC * 1e3, pb[t] * 1e3);
    }
    if (rc == 0 && nt >= 2)
      fprintf(stderr, "tsukit %s: vs from %g K to %g K: fitted x%.3g, noise "
              "model x%.3g, kT/q x%.3g\n", c->cmd, c->temp_K[0],
              c->temp_K[nt - 1], fv[2 * nt + nt - 1] / fv[2 * nt],
              vsm[nt - 1] / vsm[0], c->temp_K[nt - 1] / c->temp_K[0]);
  }
  cal_temp_model tm;
  int have_tm = 0;
  /* The temperature model's settings: the slope exponent m is fitted
   * when the leave-one-out fits still have 4 temperatures (vs ~ T holds
   * for a thermal-voltage-limited transfer, not for the shipped pbit's
   * bistable digitiser: docs/FINDINGS.md); --track's trip table carries
   * v0's deterministic part. */
  cal_temp_params tpp = cal_temp_default_params();
  tpp.fit_exponent = nt >= 5;
  if (c->n_trip_tab >= 2 && c->n_trip_tab <= CAL_TEMP_MAX_TRIP) {
    tpp.trip_T_K = c->trip_tab_T_K;
    tpp.trip_V = c->trip_tab_V;
    tpp.n_trip = c->n_trip_tab;
  }
  if (rc == 0 && nt >= 3) {
    tk_err e2 = {0};
    int tr = 0;
    for (size_t t = 0; t < nt; t++)
      if (!isfinite(tp[t].tau_s) || !(tp[t].tau_err_s > 0) ||
          !(tp[t].v0_err_V > 0) || !(tp[t].vs_err_V > 0) || !(tp[t].vs_V > 0))
        tr = 1;
    if (!tr && (tr = cal_temp_fit(tp, nt, &tpp, &tm, &e2)) == 0)
      have_tm = 1;
    else
      fprintf(stderr, "tsukit %s: warning: no temperature model "
              "(%s); `tsukit predict` will refuse this cell\n", c->cmd,
              tr && e2.status ? tk_err_text(&e2)
                              : "a temperature lacks tau or a positive vs");
  } else if (rc == 0) {
    fprintf(stderr, "tsukit %s: note: %zu temperature(s): the "
            "temperature model needs >= 3 (`tsukit predict` will refuse)\n", c->cmd,
            nt);
  }
  /* Leave-one-out: the temperature model fitted without temperature t
   * (and without the trip table's entries there) predicts P(1) over t's
   * control sweep; loo[t] is the largest |predicted - measured| over the
   * points, loof[t] the largest |predicted - t's own logistic fit| over
   * the window (the measured transfer curve, free of the points' own
   * sampling noise: the prediction error proper); NaN where the reduced
   * fit fails.  Needs 3 temperatures besides the one left out (4 when the
   * exponent is fitted). */
  double *loo = calloc(2 * nt, sizeof *loo), loo_max = NAN, loof_max = NAN;
  double *loof = loo + nt;
  int have_loo = 0;
  if (loo == NULL && rc == 0)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0 && have_tm && nt >= 4) {
    have_loo = 1;
    loo_max = loof_max = 0;
    for (size_t t = 0; t < nt; t++) {
      cal_temp_model lm;
      tk_err e3 = {0};
      loo[t] = loof[t] = NAN;
      if (cal_temp_fit_loo(tp, nt, t, &tpp, &lm, &e3) != 0)
        continue;
      double worst = 0, worstf = 0;
      const double *row = cal__ctl(c, t, 0);
      for (size_t v = 0; v < nv; v++) {
        double pr = cal_temp_predict_p1(&lm, c->temp_K[t], row[v], NULL);
        worst = fmax(worst, fabs(pr - d->p[2 * (t * nv + v) + 1]));
      }
      for (int k = 0; k <= 200; k++) {
        double v = row[0] + (row[nv - 1] - row[0]) * k / 200.0;
        double pr = cal_temp_predict_p1(&lm, c->temp_K[t], v, NULL);
        double pm = cal_sigmoid((v - tp[t].v0_V) / tp[t].vs_V);
        worstf = fmax(worstf, fabs(pr - pm));
      }
      loo[t] = worst;
      loof[t] = worstf;
      loo_max = fmax(loo_max, worst);
      loof_max = fmax(loof_max, worstf);
      fprintf(stderr, "tsukit %s: leave-one-out %g K: max |P(1) predicted - "
              "measured| = %.3f over %zu controls, %.3f against its "
              "logistic fit\n", c->cmd, c->temp_K[t], worst, nv, worstf);
    }
  }
  io_celllib L;
  io_celllib_init(&L);
  if (rc == 0)
    rc = cal__lib_fill(c, d, time_s, &L, err);
  if (rc == 0 && nn != NULL) {
    double *col = malloc(4 * nt * sizeof *col);
    if (col == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    for (size_t t = 0; rc == 0 && t < nt; t++) {
      col[t] = nn[t].sigma_V;
      col[nt + t] = nn[t].tau_x_s;
      col[2 * nt + t] = nn[t].shift_V;
      col[3 * nt + t] = fv[t];
    }
    L.nm_sigma_x_V = cal__dup(col, nt, &rc);
    L.nm_tau_x_s = cal__dup(col + nt, nt, &rc);
    L.nm_shift_x_V = cal__dup(col + 2 * nt, nt, &rc);
    L.nm_control_V = cal__dup(col + 3 * nt, nt, &rc);
    L.nm_vs_V = cal__dup(vsm, nt, &rc);
    free(col);
    snprintf(L.nm_model, sizeof L.nm_model, "vs = sqrt(sigma_x^2 tau_x / "
             "(tau_x + tau_op_s)) / 1.702: the digitiser averages the noise "
             "node x over its correlation time (calibrate/cal_noise.h)");
    L.nm_record_time_s = c->noise_time_s;
  }
  if (rc == 0) {
    L.probit_sd_V = cal__dup(pb, nt, &rc);
    L.probit_sd_err_V = cal__dup(pb + nt, nt, &rc);
    L.probit_chi2_red = cal__dup(pb + 2 * nt, nt, &rc);
    if (c->repeats > 1) {
      L.error_scale = cal__dup(es, nt, &rc);
      L.error_scale_dof = cal__dup(es + nt, nt, &rc);
    }
    if (have_loo) {
      L.loo_max_abs_dp1 = cal__dup(loo, nt, &rc);
      L.loo_max_abs_dp1_vs_fit = cal__dup(loof, nt, &rc);
    }
    double **dst[7] = {&L.fit_v0_V, &L.fit_v0_err_V, &L.fit_vs_V,
                       &L.fit_vs_err_V, &L.fit_chi2_red, &L.fit_tau_op_s,
                       &L.fit_tau_op_err_s};
    for (int k = 0; k < 7; k++)
      *dst[k] = cal__dup(fv + (size_t)k * nt, nt, &rc);
    snprintf(L.fit_model, sizeof L.fit_model,
             "P(1) = 1 / (1 + exp(-(V - v0_V) / vs_V))");
    if (rc == 0 && have_tm) {
      io_celllib_tmodel *m = &L.tm;
      m->present = 1;
      m->t_ref_K = tm.t_ref_K;
      m->vs_ref_V = tm.vs_ref_V;
      m->vs_ref_err_V = tm.vs_ref_err_V;
      m->vs_exp = tm.vs_exp;
      m->vs_exp_err = tm.vs_exp_err;
      m->cov_vs_ref_exp = tm.cov_vs_ref_exp;
      m->v0_ref_V = tm.v0_ref_V;
      m->v0_ref_err_V = tm.v0_ref_err_V;
      m->dv0_dT_V_per_K = tm.dv0_dT_V_per_K;
      m->dv0_dT_err_V_per_K = tm.dv0_dT_err_V_per_K;
      m->cov_v0_V2_per_K = tm.cov_v0_V2_per_K;
      m->tau_ref_s = tm.tau_ref_s;
      m->tau_ref_err_s = tm.tau_ref_err_s;
      m->ea_J = tm.ea_J;
      m->ea_err_J = tm.ea_err_J;
      m->tau_inf_s = tm.tau_inf_s;
      m->chi2_red_vs = tm.chi2_red_vs;
      m->chi2_red_v0 = tm.chi2_red_v0;
      m->chi2_red_tau = tm.chi2_red_tau;
      m->t_min_K = c->temp_K[0];
      m->t_max_K = c->temp_K[nt - 1];
      snprintf(m->v0_model, sizeof m->v0_model, "%s", tm.n_trip > 0
               ? "v0(T) = trip(T) + v0_ref_V + dv0_dT_V_per_K (T - t_ref_K)"
               : "v0(T) = v0_ref_V + dv0_dT_V_per_K (T - t_ref_K)");
      if (tm.n_trip > 0) {
        m->n_trip = tm.n_trip;
        m->trip_T_K = cal__dup(tm.trip_T_K, tm.n_trip, &rc);
        m->trip_V = cal__dup(tm.trip_V, tm.n_trip, &rc);
      }
    }
    if (rc != 0)
      TK_FAIL(err, rc, "out of memory");
  }
  cal_summary xkv;
  cal_summary_init(&xkv);
  if (rc == 0 && c->extra != NULL)
    rc = c->extra(c, &L, &xkv, err);
  if (rc == 0)
    rc = cal__lib_write(out, c, &L, err);
  io_celllib_clear(&L);
  if (rc == 0) {
    cal_summary_str(kv, "cell", c->cell);
    cal_summary_long(kv, "points", (long)(nt * nv));
    if (nfail > 0)
      cal_summary_long(kv, "failed_points", (long)nfail);
    cal_summary_double(kv, "temp_K", c->temp_K[0]);
    cal_summary_double(kv, "fit_v0_V", fv[0]);
    cal_summary_double(kv, "fit_v0_err_V", fv[nt]);
    cal_summary_double(kv, "fit_vs_V", fv[2 * nt]);
    cal_summary_double(kv, "fit_vs_err_V", fv[3 * nt]);
    cal_summary_double(kv, "chi2_red", fv[4 * nt]);
    if (c->repeats > 1)
      cal_summary_double(kv, "error_scale", es[0]);
    if (vsm != NULL) {
      cal_summary_double(kv, "noise_model_vs_V", vsm[0]);
      cal_summary_double(kv, "noise_model_max_rel_dev", nm_dev);
    }
    cal_summary_double(kv, "tau_s", fv[5 * nt]);
    cal_summary_double(kv, "energy_J", mean_finite(d->e, nv));
    cal_summary_long(kv, "temp_model", have_tm);
    if (have_loo) {
      cal_summary_double(kv, "loo_max_abs_dp1", loo_max);
      cal_summary_double(kv, "loo_max_abs_dp1_vs_fit", loof_max);
    }
    cal_summary_str(kv, "file", out);
    cal_summary_cat(kv, &xkv);
  }
  free(fv);
  free(p1);
  free(nok);
  free(tp);
  free(es);
  free(pb);
  free(nn);
  free(vsm);
  free(loo);
  return rc;
}

