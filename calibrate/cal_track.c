/* cal_track.c -- `--track` of `tsukit calibrate` and `tsukit
 * characterize`: the noiseless trip point (also used by --mc), the pilots
 * that place each temperature's control window (and, with --time-tau, its
 * record length), the options, and --resume's reading of the stored
 * windows.  Internal to calibrate/ (cal__ prefix, cal_run_impl.h).
 *
 * Workload: per temperature ~30 noiseless short transients and 8 noisy
 * pilot runs, in forked workers (cal_sweep_run); a few small HDF5 reads
 * on --resume.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibrate/cal_sweep.h"
#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "calibrate/cal_run_impl.h"
#include "physics/phys_const.h"
#include "common/tk_parse.h"
#include "io/io_celllib.h"

/* Each bisection step is a short noise-free transient: the DC operating
 * point decides (see cal_run_impl.h). */
int cal__trip_point(const cal__ctx *c, const ckt_sim_params *sp0,
                      const double *dvth, size_t n_mos, double lo_V,
                      double hi_V, int iters, double *trip_V, tk_err *err)
{
  ckt_sim_params sp = *sp0;
  sp.noise = 0;
  sp.tstop_s = 4 * sp.tstep_s;
  sp.dvth_V = dvth;
  sp.n_dvth = n_mos;
  ckt_session *ses = NULL;
  if (c->noiseless_high == NULL && !c->native)
    TK_TRY(ckt_session_open(&ses, err));
  int rc = TK_OK;
  ckt_cell_opts co = {c->vdd_V, 0, isfinite(c->vbias_V) ? c->vbias_V : 0};
  for (int it = 0; it < iters && rc == 0; it++) {
    double v = it == 0 ? hi_V : 0.5 * (lo_V + hi_V);
    if (c->noiseless_high != NULL) {   /* a designer's netlist */
      int high = 0;
      rc = c->noiseless_high(c, sp0, v, &high, err);
      if (rc == 0 && it == 0 && !high)
        rc = TK_FAIL(err, TK_ERANGE, "the output stays low up to %g V: no "
                     "trip point in range", hi_V);
      if (rc == 0 && it > 0) {
        if (high)
          hi_V = v;
        else
          lo_V = v;
      }
      continue;
    }
    phys_cell *pc = NULL;
    ckt_trace tr;
    memset(&tr, 0, sizeof tr);
    rc = ckt_cell_build(c->ci, &v, &co, &pc, err);
    if (rc == 0)
      rc = cal__cell_sim(c, &ses, pc, &sp, &tr, err);
    const double *o = rc == 0 ? ckt_trace_node(&tr, c->ci->outputs) : NULL;
    int high = o != NULL && o[tr.n - 1] > 0.5 * c->vdd_V;
    ckt_trace_clear(&tr);
    phys_cell_free(pc);
    if (rc != 0)
      break;
    if (it == 0) {
      if (!high)
        rc = TK_FAIL(err, TK_ERANGE, "mismatch: the instance's output stays "
                     "low up to %g V: no trip point in range", hi_V);
      continue;
    }
    if (high)
      hi_V = v;
    else
      lo_V = v;
  }
  ckt_session_close(ses);
  *trip_V = 0.5 * (lo_V + hi_V);
  return rc;
}

/* ---- --track: the window follows the trip point ---- */

typedef struct track_job {
  const cal__ctx *c;    /* the sweep (cell, settings) */
  const double *temp_K;  /* [n] temperatures of the jobs */
  size_t n_noisy;        /* jobs 0..n_noisy-1 also get the noisy centre */
  double lo_V, hi_V;     /* bracket of the noiseless bisection */
  double ref_K, width_exp, half_V;  /* the window: half-width at ref_K */
  double pilot_s;        /* record of one noisy bisection step */
  double *res;           /* [2n] trip, centre per job (parent) */
} track_job;

#define TRACK_NOISY_STEPS 8
#define TRACK_STREAM 0x747261636bULL   /* "track" */

/* Worker: job idx's noiseless trip point, then (idx < n_noisy) the
 * control where P(1) = 1/2 by a bisection of short noisy runs over twice
 * the window's half-width around it (the noise moves the transition off
 * the noiseless trip point by more than its width: docs/FINDINGS.md). */
static int track_point(void *ud, size_t idx, void *result, tk_err *err)
{
  const track_job *j = ud;
  ckt_sim_params sp = j->c->sp;
  sp.temp_K = j->temp_K[idx];
  double r[3] = {NAN, NAN, NAN};   /* trip, centre, pilot tau */
  double tnum = 0, tden = 0;        /* flip-rate estimate of tau, pooled */
  int rc = cal__trip_point(j->c, &sp, NULL, 0, j->lo_V, j->hi_V, 28, &r[0], err);
  /* the bracket's low end is never simulated: a trip point within a
   * bisection step of it means the output was high all the way down */
  if (rc == 0 && r[0] - j->lo_V < 1e-4 * (j->hi_V - j->lo_V))
    rc = TK_FAIL(err, TK_ERANGE, "--track: the output is high down to %g V "
                 "at %g K: no trip point in reach", j->lo_V, sp.temp_K);
  if (rc == 0 && idx < j->n_noisy) {
    double w = 2 * j->half_V * pow(sp.temp_K / j->ref_K, j->width_exp);
    double lo = fmax(0, r[0] - w), hi = fmin(j->c->vdd_V, r[0] + w);
    for (int it = 0; it < TRACK_NOISY_STEPS && rc == 0; it++) {
      double v = 0.5 * (lo + hi);
      cal__ctx one = *j->c;
      one.vctl_V = &v;
      one.ctl_V = NULL;
    one.rec_time_s = NULL;
      one.rec_time_s = NULL;
      one.nv = 1;
      one.temp_K = &j->temp_K[idx];
      one.sp.tstop_s = j->pilot_s;
      one.seed = cal_sweep_point_seed(j->c->seed ^ TRACK_STREAM,
                                      idx * TRACK_NOISY_STEPS + (size_t)it);
      cal__point pt;
      rc = j->c->point(&one, 0, &pt, err);
      if (rc == 0 && pt.flips > 0) {
        tnum += 2 * pt.p[0] * pt.p[1] * j->pilot_s;
        tden += pt.flips;
      }
      if (rc == 0 && pt.p[1] > 0.5)
        hi = v;
      else
        lo = v;
    }
    r[1] = 0.5 * (lo + hi);
    /* the correlation time near the transition, pooled over the steps:
     * a telegraph signal flips 2 p0 p1 T / tau times in T, so tau =
     * sum 2 p0 p1 T / sum flips (robust where single records flip a few
     * times) */
    if (tden > 0)
      r[2] = tnum / tden;
  }
  if (rc == TK_ERANGE)
    tk_err_wrap(err, rc, "--track at %g K", sp.temp_K);
  memcpy(result, r, sizeof r);
  return rc;
}

static int track_done(void *ud, size_t idx, const void *result, tk_err *err)
{
  (void)err;
  track_job *j = ud;
  memcpy(&j->res[3 * idx], result, 3 * sizeof(double));
  return TK_OK;
}

void cal__track_adopt(cal__ctx *c, int keep, double *ctl, double *trip,
                        double *center, double *tab_T, double *tab_V,
                        size_t n_tab, double *rec)
{
  if (!keep) {
    free(ctl);
    free(trip);
    free(center);
    free(tab_T);
    free(tab_V);
    free(rec);
    return;
  }
  cal__track_free(c);
  c->ctl_V = ctl;
  c->trip_V = trip;
  c->center_V = center;
  c->trip_tab_T_K = tab_T;
  c->trip_tab_V = tab_V;
  c->n_trip_tab = n_tab;
  c->rec_time_s = rec;
}

void cal__track_free(cal__ctx *c)
{
  free((double *)c->ctl_V);
  free((double *)c->trip_V);
  free((double *)c->center_V);
  free((double *)c->rec_time_s);
  free((double *)c->trip_tab_T_K);
  free((double *)c->trip_tab_V);
  c->ctl_V = c->trip_V = c->center_V = c->trip_tab_T_K = c->trip_tab_V = NULL;
  c->rec_time_s = NULL;
  c->n_trip_tab = 0;
}

int cal__track(cal__ctx *c, double ref_K, double width_exp,
                 double pilot_s, double time_tau, double step_K, long workers,
                 tk_err *err)
{
  size_t nt = c->nt, nv = c->nv;
  if (c->n_ctl != 1 || c->n_states != 2 || (c->ci == NULL && c->noiseless_high == NULL))
    return TK_FAIL(err, TK_EINVAL, "--track: only for pbit cells");
  if (!(ref_K > 0) || !(step_K > 0) || !(pilot_s > 0))
    return TK_FAIL(err, TK_EINVAL, "--track: reference temperature, pilot "
                   "record and grid step must be > 0");
  double t0 = c->temp_K[0], t1 = c->temp_K[nt - 1];
  size_t ng = nt > 1 ? (size_t)ceil((t1 - t0) / step_K) + 1 : 0;
  size_t n = nt + 1 + ng;   /* sweep temperatures, the reference, the grid */
  double *tk = malloc(4 * n * sizeof *tk);
  double *ctl = malloc(nt * nv * sizeof *ctl), *tr = malloc(nt * sizeof *tr),
         *ce = malloc(nt * sizeof *ce), *gT = malloc((ng + 1) * sizeof *gT),
         *gV = malloc((ng + 1) * sizeof *gV), *rec = malloc(nt * sizeof *rec);
  int rc = TK_OK;
  if (tk == NULL || ctl == NULL || tr == NULL || ce == NULL || gT == NULL ||
      gV == NULL || rec == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  cal_sweep_stats ss = {0};
  if (rc == 0) {
    memcpy(tk, c->temp_K, nt * sizeof *tk);
    tk[nt] = ref_K;
    for (size_t g = 0; g < ng; g++)
      tk[nt + 1 + g] = g + 1 == ng ? t1
                                   : t0 + (t1 - t0) * (double)g / (double)(ng - 1);
    track_job j = {c, tk, nt + 1, 0, c->vdd_V, ref_K, width_exp,
                   0.5 * (c->vctl_V[nv - 1] - c->vctl_V[0]), pilot_s, tk + n};
    cal_sweep_params swp = cal_sweep_default_params();
    swp.n_points = n;
    swp.result_size = 3 * sizeof(double);
    swp.workers = (unsigned)workers;
    swp.progress_label = "calibrate: tracking the transition";
    rc = cal_sweep_run(&swp, track_point, track_done, &j, &ss, err);
  }
  double *res = tk + n;   /* [3n]: trip, centre, pilot tau */
  /* a reference that is one of the sweep temperatures takes that one's
   * values (one pilot, so the window there is --vctl exactly) */
  for (size_t t = 0; rc == 0 && t < nt; t++)
    if (c->temp_K[t] == ref_K)
      memcpy(&res[3 * nt], &res[3 * t], 3 * sizeof *res);
  double cref = rc == 0 ? res[3 * nt + 1] : NAN, ref_trip = rc == 0 ? res[3 * nt] : NAN;
  for (size_t t = 0; rc == 0 && t < nt; t++) {
    double s = pow(c->temp_K[t] / ref_K, width_exp);
    tr[t] = res[3 * t];
    ce[t] = res[3 * t + 1];
    /* --time-tau: N pilot correlation times, at most --time (and --time
     * where the pilot saw no flips) */
    double tau = res[3 * t + 2];
    rec[t] = c->sp.tstop_s;
    if (time_tau > 0 && isfinite(tau) && time_tau * tau < rec[t])
      rec[t] = fmax(time_tau * tau, 16 * c->sp.tstep_s);
    for (size_t i = 0; i < nv; i++) {
      double v = s == 1 && ce[t] == cref ? c->vctl_V[i]
                                         : ce[t] + (c->vctl_V[i] - cref) * s;
      if (!(v >= 0 && v <= c->vdd_V)) {
        rc = TK_FAIL(err, TK_ERANGE, "--track: at %g K the window reaches "
                     "%g V, outside 0..%g V (narrow --vctl)", c->temp_K[t], v,
                     c->vdd_V);
        break;
      }
      ctl[t * nv + i] = v;
    }
  }
  for (size_t g = 0; rc == 0 && g < ng; g++) {
    gT[g] = tk[nt + 1 + g];
    gV[g] = res[3 * (nt + 1 + g)];
  }
  if (time_tau <= 0) {
    free(rec);
    rec = NULL;
  }
  cal__track_adopt(c, rc == 0, ctl, tr, ce, gT, gV, ng, rec);
  if (rc != 0) {
    free(tk);
    return rc;
  }
  c->track_ref_K = ref_K;
  c->track_exp = width_exp;
  c->trip_ref_V = ref_trip;
  c->center_ref_V = cref;
  c->time_tau = time_tau > 0 ? time_tau : 0;
  fprintf(stderr, "tsukit %s: --track: transition at %.6g V (noiseless trip "
          "point %.6g V) at %g K, the --vctl window's reference; %.6g V "
          "(%.6g V) at %g K, %.6g V (%.6g V) at %g K (%.3g s)\n", c->cmd, cref,
          res[3 * nt], ref_K, ce[0], tr[0], t0, ce[nt - 1], tr[nt - 1], t1,
          ss.wall_s);
  if (c->rec_time_s != NULL)
    for (size_t t = 0; t < nt; t++)
      fprintf(stderr, "tsukit %s: --time-tau: %g K: pilot tau %.3g s, %.3g s "
              "per point\n", c->cmd, c->temp_K[t], res[3 * t + 2],
              c->rec_time_s[t]);
  free(tk);
  return TK_OK;
}

int cal__track_setup(cal__ctx *c, const cal_track_opts *o,
                       const char *out, int resume, double time_s,
                       long workers, tk_err *err)
{
  if (!o->on && o->time_tau > 0)
    return TK_FAIL(err, TK_EINVAL, "--time-tau needs --track (its pilot "
                   "measures the correlation times)");
  if (!o->on)
    return TK_OK;
  /* the grid applies as given at --track-ref, by default at the sweep's
   * temperature nearest the nominal 27 C */
  double ref_K = o->ref_K;
  for (size_t t = 0; isnan(o->ref_K) && t < c->nt; t++)
    if (t == 0 || fabs(c->temp_K[t] - PHYS_TNOM_K) < fabs(ref_K - PHYS_TNOM_K))
      ref_K = c->temp_K[t];
  struct stat st;
  if (resume && stat(out, &st) == 0)
    return cal__track_load(c, out, ref_K, o->width_exp, o->time_tau, err);
  return cal__track(c, ref_K, o->width_exp, time_s / 4, o->time_tau, 5.0,
                      workers, err);
}

/* Take field *x of L when it has `want` values (the reader checked the
 * size against L's grid; here the grid against the sweep's). */
static double *take(double **x, int ok, int *rc)
{
  double *y = ok ? *x : NULL;
  if (ok)
    *x = NULL;
  if (y == NULL && *rc == 0)
    *rc = TK_EFORMAT;
  return y;
}

int cal__track_load(cal__ctx *c, const char *path, double ref_K,
                    double width_exp, double time_tau, tk_err *err)
{
  io_celllib L;
  tk_err e2 = {0};
  int rc = io_celllib_load(path, c->cell, &L, &e2);
  if (rc == TK_EIO) {
    *err = e2;
    return rc;
  }
  if (rc != 0 || L.point_control_V == NULL) {
    io_celllib_clear(&L);
    return TK_FAIL(err, TK_ENOTFOUND, "--resume: %s holds no --track sweep "
                   "of cell %s", path, c->cell);
  }
  double r = L.track_ref_K, w = L.track_width_exp, tref = L.track_trip_ref_V,
         cref = L.track_center_ref_V;
  double tt = isnan(L.track_time_tau) ? 0 : L.track_time_tau;
  if (isnan(r) || isnan(w) || isnan(tref) || isnan(cref))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: the --track attributes of cell %s are "
                 "incomplete", path, c->cell);
  if (rc == 0 && (r != ref_K || w != width_exp || tt != time_tau))
    rc = TK_FAIL(err, TK_EINVAL, "--resume: %s was made with --track-ref %g "
                 "K, --track-exp %g, --time-tau %g (now %g K, %g, %g)", path,
                 r, w, tt, ref_K, width_exp, time_tau);
  int grid = L.nt == c->nt && L.nv * L.n_ctl == c->nv * c->n_ctl;
  double *ctl = NULL, *tr = NULL, *ce = NULL, *gT = NULL, *gV = NULL,
         *rec = NULL;
  size_t ng = 0;
  if (rc == 0) {
    ctl = take(&L.point_control_V, grid, &rc);
    tr = take(&L.trip_V, grid, &rc);
    ce = take(&L.track_center_V, grid, &rc);
    if (tt > 0)
      rec = take(&L.record_time_s, grid, &rc);
    if (L.trip_tab_T_K != NULL) {
      ng = L.n_trip_tab;
      gT = take(&L.trip_tab_T_K, 1, &rc);
      gV = take(&L.trip_tab_V, 1, &rc);
    }
    if (rc == TK_EFORMAT)
      TK_FAIL(err, TK_EFORMAT, "%s: the --track datasets of cell %s do not "
              "match the sweep's grid", path, c->cell);
  }
  io_celllib_clear(&L);
  if (rc == TK_EFORMAT)
    tk_err_wrap(err, TK_EINVAL, "--resume");
  cal__track_adopt(c, rc == 0, ctl, tr, ce, gT, gV, ng, rec);
  if (rc != 0)
    return rc == TK_EFORMAT ? TK_EINVAL : rc;
  c->time_tau = tt;
  c->track_ref_K = ref_K;
  c->track_exp = width_exp;
  c->trip_ref_V = tref;
  c->center_ref_V = cref;
  fprintf(stderr, "tsukit %s: --track: the windows of %s are reused\n",
          c->cmd, path);
  return TK_OK;
}

