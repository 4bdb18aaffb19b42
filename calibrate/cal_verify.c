/* cal_verify.c -- `calibrate --verify N` (categorical cells): random
 * targets through the inverse of the fitted model, simulated, and the
 * total variation against the targets (cal_run_impl.h).
 *
 * Workload: a --verify target is one long ngspice run in a forked worker.
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

/* ---- --verify: the calibrated inverse against the simulated cell ---- */

typedef struct verify_ctx {
  const cal__ctx *c;         /* the sweep (cell, settings) */
  const double *ctl_V;        /* [n * K] controls from the inverse */
  double time_s;              /* simulated time per target */
  uint64_t seed;              /* noise seed of the check */
  unsigned K;                 /* states */
  cal_cat_point *res;         /* [n] results (parent) */
} verify_ctx;

static int verify_point(void *ud, size_t idx, void *result, tk_err *err)
{
  const verify_ctx *v = ud;
  cal__point pt;
  cal__ctx one = *v->c;     /* one point at the first temperature */
  one.vctl_V = v->ctl_V + idx * v->K;
  one.ctl_V = NULL;
  one.rec_time_s = NULL;
  one.nv = 1;
  one.sp.tstop_s = v->time_s;
  one.seed = cal_sweep_point_seed(v->seed, idx);
  int rc = cal__cell_point(&one, 0, &pt, err);
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
int cal__verify_inverse(const char *out, const cal__ctx *c, long n,
                          double time_s, double vmin_V, double vmax_V,
                          long workers, const char *model, cal_summary *kv,
                          tk_err *err)
{
  const double qmin = 0.05;
  unsigned K = c->n_states;
  io_celllib L;
  int rc = io_celllib_load(out, c->cell, &L, err);
  /* x: a, b_per_V, priority_v0_V, priority_vs_V, chi2_red,
   * priority_chi2_red, priority_w (the first temperature's first) */
  const double *x[7] = {L.fit_a, L.fit_b_per_V, L.prio_v0_V, L.prio_vs_V,
                        L.fit_chi2_red, L.prio_chi2_red, L.prio_w};
  for (int k = 0; rc == 0 && k < 7; k++)
    if (x[k] == NULL)
      rc = TK_FAIL(err, TK_EFORMAT, "%s: cell %s has no categorical fit",
                   out, c->cell);
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
  io_celllib_clear(&L);
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
    cal_summary_str(kv, "verify_model", use_prio ? "priority" : "softmax");
    cal_summary_str(kv, "verify_tv", lt);
    cal_summary_double(kv, "verify_tv_max", tvmax);
  }
  free(q);
  free(ctl);
  free(res);
  return rc;
}

