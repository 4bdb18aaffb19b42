/* cal_mc.c -- `calibrate --mc N`: Monte-Carlo mismatch instances of a pbit
 * (Pelgrom threshold draws, each instance swept over the nominal grid
 * moved by its own noiseless trip-point shift and fitted), their
 * checkpoint in the sweep file and their spread written to mismatch/ of
 * the library (cal_run_impl.h).
 *
 * Workload: an --mc job is ~30 noiseless bisection steps plus nV noisy
 * runs, in forked workers (cal_sweep_run); with the native engine a worker
 * takes four jobs of one temperature and runs their noisy points four to
 * a vector (phys_sde_run_batch; the same bits as one job at a time).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_autocorr.h"
#include "calibrate/cal_gmm.h"
#include "calibrate/cal_mismatch.h"
#include "calibrate/cal_priority.h"
#include "calibrate/cal_run_impl.h"
#include "calibrate/cal_sweep.h"
#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "common/tk_rng.h"
#include "io/io_celllib.h"
#include "physics/phys_sde.h"

/* ---- --mc: Monte-Carlo mismatch instances (pbit) ---- */

/* The instances' checkpoint: mc_checkpoint/ in the sweep's checkpoint
 * file, one row of 4 doubles (cal__mc_result) and a done flag per job, each
 * stored and flushed as it finishes; settings in attributes (a run with
 * other --mc/--avt starts the instances over). */
typedef struct mc_ckpt {
  const cal__ctx *c;  /* the sweep (c->user: the cal__mc_setup) */
  io_file *f;         /* the checkpoint file, read-write; NULL: none */
} mc_ckpt;

/* One job of a batch: its instance's draws, trip point shift and points. */
typedef struct mc_job {
  double *dv;           /* [n_mos] threshold shifts */
  double *v, *p1, *se, *tau, *tau_e;  /* [nv] each */
  uint8_t *notr;        /* [nv] */
  int skip;             /* no trip point in reach / grid leaves the supply */
  int rc;               /* its status */
} mc_job;

/* Worker: jobs idx[0..n-1], all at one temperature t = idx % nT (the
 * batch key), instance j = idx / nT each: its threshold draws, its trip
 * point shift, the nominal grid moved by that shift and simulated with
 * noise, the logistic fit.  The jobs' runs at each grid point go as one
 * batch (cal__cell_points: native runs four to a vector, bit for bit as
 * one at a time); a job's result does not depend on the others. */
static int mc_batch(void *ud, const size_t *idx, size_t n, void *results,
                    int *status, tk_err *errs)
{
  const cal__ctx *c = ((const mc_ckpt *)ud)->c;
  const cal__mc_setup *ms = c->user;
  cal__mc_result *res = results;
  const size_t t = idx[0] % c->nt, nv = c->nv;
  mc_job *jb = calloc(n, sizeof *jb);
  double *mem = calloc(n * (ms->n_mos + 1 + 5 * nv), sizeof *mem);
  uint8_t *nmem = calloc(n * nv, 1);
  cal__ctx *one = calloc(n, sizeof *one);
  const cal__ctx **onep = calloc(n, sizeof *onep);
  cal__point *pt = calloc(n, sizeof *pt);
  size_t *zero = calloc(n, sizeof *zero), *at = calloc(n, sizeof *at);
  int *prc = calloc(n, sizeof *prc);
  tk_err *perr = calloc(n, sizeof *perr);
  int st = TK_OK;
  if (!jb || !mem || !nmem || !one || !onep || !pt || !zero || !at || !prc ||
      !perr) {
    st = TK_FAIL(&errs[0], TK_ENOMEM, "out of memory");
    goto out;
  }
  ckt_sim_params sp = c->sp;
  sp.temp_K = c->temp_K[t];
  if (c->rec_time_s != NULL)
    sp.tstop_s = c->rec_time_s[t];
  const double *row = cal__ctl(c, t, 0);   /* this temperature's grid */
  double lo = fmax(0, row[0] - 0.25), hi = fmin(c->vdd_V, row[nv - 1] + 0.25);
  for (size_t q = 0; q < n; q++) {
    cal__mc_result *r = &res[q];
    r->v0_V = r->vs_V = r->tau_s = r->shift_V = NAN;
    mc_job *J = &jb[q];
    J->dv = mem + q * (ms->n_mos + 1 + 5 * nv);
    J->v = J->dv + ms->n_mos + 1;
    J->p1 = J->v + nv;
    J->se = J->p1 + nv;
    J->tau = J->se + nv;
    J->tau_e = J->tau + nv;
    J->notr = nmem + q * nv;
    J->rc = cal_mismatch_draw(c->seed, idx[q] / c->nt, ms->a_vt_V_m, ms->w_m,
                              ms->l_m, ms->n_mos, J->dv, &errs[q]);
  }
  /* the nominal trip point: the same for every job at this temperature */
  double t_nom = NAN;
  tk_err enom = {0};
  int rnom = cal__trip_point(c, &sp, NULL, 0, lo, hi, 16, &t_nom, &enom);
  for (size_t q = 0; q < n; q++) {
    mc_job *J = &jb[q];
    if (J->rc != 0)
      continue;
    if (rnom != 0) {
      J->rc = rnom;
      errs[q] = enom;
      continue;
    }
    double t_inst = NAN;
    J->rc = cal__trip_point(c, &sp, J->dv, ms->n_mos, lo, hi, 16, &t_inst,
                            &errs[q]);
    if (J->rc == TK_ERANGE) {   /* no trip point in reach: NaN */
      J->rc = TK_OK;
      J->skip = 1;
    } else if (J->rc == 0) {
      res[q].shift_V = t_inst - t_nom;
    }
  }
  for (size_t i = 0; i < nv; i++) {
    size_t m = 0;
    for (size_t q = 0; q < n; q++) {
      mc_job *J = &jb[q];
      if (J->rc != 0 || J->skip)
        continue;
      J->v[i] = row[i] + res[q].shift_V;
      if (!(J->v[i] >= 0 && J->v[i] <= c->vdd_V)) {
        J->skip = 1;   /* its grid leaves the supply: not fitted */
        continue;
      }
      cal__ctx *o = &one[m];
      *o = *c;
      o->vctl_V = &J->v[i];
      o->ctl_V = NULL;
      o->nv = 1;
      o->sp = sp;
      o->sp.dvth_V = J->dv;
      o->sp.n_dvth = ms->n_mos;
      o->temp_K = &c->temp_K[t];
      o->rec_time_s = NULL;   /* sp holds this temperature's record time */
      o->repeats = 1;         /* an instance's points: one record each */
      o->rep = 0;
      o->seed = cal_sweep_point_seed(c->seed ^ CAL_MISMATCH_STREAM,
                                     idx[q] * nv + i);
      onep[m] = o;
      at[m++] = q;
    }
    if (m == 0)
      break;
    tk_err eb = {0};
    int brc = cal__cell_points(onep, zero, m, pt, prc, perr, &eb);
    for (size_t k = 0; k < m; k++) {
      mc_job *J = &jb[at[k]];
      if (brc != 0 || prc[k] != 0) {
        J->rc = brc != 0 ? brc : prc[k];
        errs[at[k]] = brc != 0 ? eb : perr[k];
        continue;
      }
      J->p1[i] = pt[k].p[1];
      J->se[i] = pt[k].p_err[1];
      J->tau[i] = pt[k].tau_s;
      J->tau_e[i] = pt[k].tau_err_s;
      J->notr[i] = (uint8_t)pt[k].no_transitions;
    }
  }
  for (size_t q = 0; q < n; q++) {
    mc_job *J = &jb[q];
    status[q] = J->rc;
    if (J->rc != 0 || J->skip)
      continue;
    cal_pbit_fit pf;
    tk_err e2 = {0};
    /* an instance that does not flip or fit is recorded as NaN, not an
     * error: the spread is taken over the instances that fitted */
    if (cal_pbit_fit_temperature(J->v, J->p1, J->se, J->notr, J->tau,
                                 J->tau_e, nv, c->temp_K[t], &pf, &e2) == 0) {
      res[q].v0_V = pf.fit.v0_V;
      res[q].vs_V = pf.fit.vs_V;
      res[q].tau_s = pf.tau_op_s;
    }
  }
out:
  free(jb);
  free(mem);
  free(nmem);
  free(one);
  free(onep);
  free(pt);
  free(zero);
  free(at);
  free(prc);
  free(perr);
  return st;
}

/* One job alone (batches of one; what the batches reproduce). */
static int mc_point(void *ud, size_t idx, void *result, tk_err *err)
{
  int st = 0;
  tk_err e;
  memset(&e, 0, sizeof e);
  int rc = mc_batch(ud, &idx, 1, result, &st, &e);
  if (rc == 0)
    rc = st;
  if (rc != 0 && err != NULL)
    *err = e;
  return rc;
}

/* Batch key: the job's temperature. */
static size_t mc_key(void *ud, size_t idx)
{
  return idx % ((const mc_ckpt *)ud)->c->nt;
}

static int mc_done(void *ud, size_t idx, const void *result, tk_err *err)
{
  mc_ckpt *k = ud;
  const cal__mc_setup *ms = k->c->user;
  const cal__mc_result *r = result;
  ms->res[idx] = *r;
  if (k->f == NULL)
    return TK_OK;
  double row[4] = {r->v0_V, r->vs_V, r->tau_s, r->shift_V};
  return io_celllib_mc_put(k->f, k->c->cell, idx, row, err);
}

/* Open (or start) the instances' checkpoint; done[] and ms->res get what
 * an earlier, interrupted run finished. */
static int mc_ckpt_open(mc_ckpt *k, const cal__ctx *c, uint8_t *done,
                        tk_err *err)
{
  const cal__mc_setup *ms = c->user;
  size_t nj = (size_t)ms->n * c->nt;
  k->c = c;
  TK_TRY(io_file_open_rw(c->ckpt_path, &k->f, err));
  io_celllib L;
  tk_err e2 = {0};
  int rc = io_celllib_read(k->f, c->cell, &L, &e2);
  int same = rc == 0 && L.mc_result != NULL && L.mc_done != NULL &&
             L.n_jobs == nj && L.mc_a_vt_V_m == ms->a_vt_V_m &&
             L.mc_n_instances == ms->n &&
             L.mc_n_temperatures == (int64_t)c->nt;
  if (same) {
    for (size_t j = 0; j < nj; j++) {
      const double *x = L.mc_result + 4 * j;
      done[j] = L.mc_done[j];
      ms->res[j] = (cal__mc_result){x[0], x[1], x[2], x[3]};
    }
    io_celllib_clear(&L);
    return TK_OK;
  }
  io_celllib_clear(&L);
  /* the settings and empty results (L is only their carrier) */
  L.n_jobs = nj;
  L.mc_result = malloc(4 * nj * sizeof *L.mc_result);
  L.mc_done = calloc(nj ? nj : 1, 1);
  if (L.mc_result == NULL || L.mc_done == NULL) {
    io_celllib_clear(&L);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  for (size_t j = 0; j < 4 * nj; j++)
    L.mc_result[j] = NAN;
  memset(done, 0, nj);
  L.mc_a_vt_V_m = ms->a_vt_V_m;
  L.mc_n_instances = ms->n;
  L.mc_n_temperatures = (int64_t)c->nt;
  rc = io_celllib_mc_begin(k->f, c->cell, &L, err);
  io_celllib_clear(&L);
  return rc;
}

/* cal__ctx.extra: run the instances, write mismatch/. */
int cal__mc_extra(const cal__ctx *c, io_celllib *L, cal_summary *kv,
                  tk_err *err)
{
  const cal__mc_setup *ms = c->user;
  size_t n = (size_t)ms->n, nt = c->nt;
  const cal__mc_result *res = ms->res;
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
  swp.result_size = sizeof(cal__mc_result);
  swp.workers = ms->workers;
  swp.progress_label = "mismatch";
  swp.skip = done;
  swp.stop = cal__stop_begin();
  if (c->native) {   /* four instances per vector (phys_sde_run_batch) */
    swp.batch = PHYS_SDE_LANES;
    swp.point_batch = mc_batch;
    swp.batch_key = mc_key;
  }
  cal_sweep_stats ss;
  memset(&ss, 0, sizeof ss);
  if (crc == 0)
    crc = cal_sweep_run(&swp, mc_point, mc_done, &k, &ss, err);
  cal__stop_end();
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
      const cal__mc_result *r = &res[j * nt + t];
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
  if (rc == 0) {
    L->n_inst = n;
    L->n_mos = ms->n_mos;
    L->mm_v0_V = cal__dup(sd, nt, &rc);
    L->mm_vs_V = cal__dup(sd + nt, nt, &rc);
    L->mm_tau_s = cal__dup(sd + 2 * nt, nt, &rc);
    L->mm_tau_mean_s = cal__dup(sd + 3 * nt, nt, &rc);
    L->mm_trip_shift_V = cal__dup(sd + 4 * nt, nt, &rc);
    L->mm_n_fitted = cal__dup(sd + 5 * nt, nt, &rc);
    L->mm_inst_v0_V = cal__dup(iv0, nt * n, &rc);
    L->mm_inst_vs_V = cal__dup(ivs, nt * n, &rc);
    L->mm_inst_tau_s = cal__dup(itau, nt * n, &rc);
    L->mm_inst_trip_shift_V = cal__dup(ish, nt * n, &rc);
    L->mm_dvth_V = cal__dup(dv, n * ms->n_mos, &rc);
    if (rc != 0)
      TK_FAIL(err, rc, "out of memory");
    L->mm_a_vt_V_m = ms->a_vt_V_m;
    L->mm_n_instances = (int64_t)n;
    snprintf(L->mm_model, sizeof L->mm_model, "Pelgrom: each transistor's "
             "V_TH shifted by N(0, A_VT / sqrt(W L)) (ngspice delvto); v0_V, "
             "vs_V, tau_s: standard deviation over the instances that fitted "
             "(n_fitted) per temperature");
  }
  if (rc == 0) {
    fprintf(stderr, "tsukit calibrate: mismatch at %g K: sd(v0) %.3g V, "
            "sd(vs) %.3g V, sd(tau) %.3g s (mean %.3g s), sd(trip shift) "
            "%.3g V; %zu of %zu instances fitted\n", c->temp_K[0], sd[0],
            sd[nt], sd[2 * nt], sd[3 * nt], sd[4 * nt], nfit, n);
    cal_summary_long(kv, "mc", (long)n);
    cal_summary_long(kv, "mc_fitted", (long)nfit);
    cal_summary_double(kv, "mc_sd_v0_V", sd[0]);
    cal_summary_double(kv, "mc_sd_vs_V", sd[nt]);
    cal_summary_double(kv, "mc_sd_tau_s", sd[2 * nt]);
  }
  free(x);
  return rc;
}

