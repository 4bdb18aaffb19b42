/* cal_cellpt.c -- the shipped cells in a calibration run: one sweep
 * point (pbit, categorical or gmm2) and the --noise-model records of the
 * pbit's noise node (cal__ prefix, cal_run_impl.h).
 *
 * Workload: a point is one ngspice transient in a forked worker
 * (cal_sweep_run).
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
#include "circuits/ckt_native.h"
#include "circuits/ckt_sim.h"
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
                      cal__point *pt, const char *cmd, double temp_K)
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
  const double v[CAL__GMM_N] = {g.mu_V[0], g.mu_V[1], g.mu_err_V[0],
                                 g.mu_err_V[1], g.sd_V[0], g.sd_V[1],
                                 g.sd_err_V[0], g.sd_err_V[1], g.w0, g.w0_err};
  memcpy(pt->gmm, v, sizeof v);
}

int cal__cell_sim(const cal__ctx *c, ckt_session **ses, const phys_cell *pc,
                  const ckt_sim_params *sp, ckt_trace *tr, tk_err *err)
{
  if (c->native)
    return ckt_native_run(pc, sp, tr, err);
  if (*ses == NULL)
    TK_TRY(ckt_session_open(ses, err));
  return ckt_sim_run(*ses, pc, c->ci->name, sp, tr, err);
}

/* The cell of point idx (its control row; gmm2: the swept weight control
 * and the fixed vsep) and its simulation parameters. */
static int point_cell(const cal__ctx *c, size_t idx, phys_cell **pc,
                      ckt_sim_params *sp, tk_err *err)
{
  *sp = cal__point_sim(c, idx);
  const double *v = cal__ctl(c, idx / c->nv, idx % c->nv);
  double v2[2];
  if (c->gmm) {
    v2[0] = v[0];
    v2[1] = c->vsep_V;
    v = v2;
  }
  ckt_cell_opts co = {c->vdd_V, 0, isfinite(c->vbias_V) ? c->vbias_V : 0};
  *pc = NULL;
  return ckt_cell_build(c->ci, v, &co, pc, err);
}

/* The reduction of a point's trace (pbit: the output line; categorical:
 * the K one-hot lines). */
static int point_measure(const cal__ctx *c, const ckt_trace *tr,
                         const ckt_sim_params *sp, cal__point *pt,
                         tk_err *err)
{
  const ckt_cell_info *ci = c->ci;
  int rc = 0;
  if (c->n_states == 2) {
    cal_pbit_point pp;
    const double *o = ckt_trace_node(tr, ci->outputs);
    /* gmm2's output swings 0 .. vsep: digitised against that */
    rc = o == NULL ? TK_FAIL(err, TK_EINTERNAL, "no node %s in the trace",
                             ci->outputs)
                   : cal_pbit_point_measure(o, tr->n, tr->dt_s,
                                            c->gmm ? c->vsep_V : c->vdd_V,
                                            tr->e_supply_J, &pp, err);
    if (rc == 0)
      cal__point_from_pbit(&pp, pt);
    /* the mixture where both modes hold >= 2 % of the record (else one
     * mode would be fitted as two) */
    if (rc == 0 && c->gmm && pt->p[1] >= 0.02 && pt->p[1] <= 0.98)
      gmm_point(o, tr->n, tr->dt_s, c->vsep_V, pt, c->cmd, sp->temp_K);
    return rc;
  }
  const double *lines[CAL_MAX_STATES];
  char names[256], *save = NULL;
  unsigned K = 0;
  snprintf(names, sizeof names, "%s", ci->outputs);
  for (char *t = strtok_r(names, ",", &save); t && K < CAL_MAX_STATES;
       t = strtok_r(NULL, ",", &save))
    if ((lines[K++] = ckt_trace_node(tr, t)) == NULL)
      return TK_FAIL(err, TK_EINTERNAL, "no node %s in the trace", t);
  if (K != c->n_states)
    return TK_FAIL(err, TK_EINTERNAL, "%s has %u output lines, want %u",
                   ci->name, K, c->n_states);
  cal_cat_point cp;
  rc = cal_cat_point_measure(lines, K, tr->n, tr->dt_s, c->vdd_V,
                             tr->e_supply_J, &cp, err);
  if (rc == 0)
    cal__point_from_cat(&cp, pt);
  return rc;
}

/* Worker: one run and its reduction. */
int cal__cell_point(const cal__ctx *c, size_t idx, cal__point *pt,
                      tk_err *err)
{
  ckt_sim_params sp;
  phys_cell *pc = NULL;
  ckt_session *ses = NULL;
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  int rc = point_cell(c, idx, &pc, &sp, err);
  if (rc == 0)
    rc = cal__cell_sim(c, &ses, pc, &sp, &tr, err);
  if (rc == 0)
    rc = point_measure(c, &tr, &sp, pt, err);
  ckt_trace_clear(&tr);
  ckt_session_close(ses);
  phys_cell_free(pc);
  return rc;
}

int cal__cell_points(const cal__ctx *const *c, const size_t *idx, size_t n,
                     cal__point *pt, int *rc, tk_err *errs, tk_err *err)
{
  int native = 1;
  for (size_t i = 0; i < n; i++) {
    rc[i] = 0;
    memset(&errs[i], 0, sizeof errs[i]);
    native = native && c[i]->native;
  }
  if (!native || n < 2) {   /* one at a time */
    for (size_t i = 0; i < n; i++)
      rc[i] = cal__cell_point(c[i], idx[i], &pt[i], &errs[i]);
    return TK_OK;
  }
  phys_cell **pc = calloc(n, sizeof *pc);
  const phys_cell **run = calloc(n, sizeof *run);
  ckt_sim_params *sp = calloc(n, sizeof *sp), *rsp = calloc(n, sizeof *rsp);
  ckt_trace *tr = calloc(n, sizeof *tr);
  size_t *at = calloc(n, sizeof *at);
  int *rrc = calloc(n, sizeof *rrc);
  tk_err *rerr = calloc(n, sizeof *rerr);
  int status = TK_OK;
  if (!pc || !run || !sp || !rsp || !tr || !at || !rrc || !rerr)
    status = TK_FAIL(err, TK_ENOMEM, "out of memory for a batch of %zu "
                     "points", n);
  /* the cells that build run as one batch; a point's bits do not depend
   * on its batch (ckt_native_run_batch) */
  size_t m = 0;
  for (size_t i = 0; status == TK_OK && i < n; i++) {
    rc[i] = point_cell(c[i], idx[i], &pc[i], &sp[i], &errs[i]);
    if (rc[i] == 0) {
      run[m] = pc[i];
      rsp[m] = sp[i];
      at[m++] = i;
    }
  }
  if (status == TK_OK && m > 0)
    status = ckt_native_run_batch(run, rsp, m, PHYS_SDE_PATH_AUTO, tr, rrc,
                                  rerr, err);
  for (size_t j = 0; status == TK_OK && j < m; j++) {
    size_t i = at[j];
    rc[i] = rrc[j] != 0 ? (errs[i] = rerr[j], rrc[j])
                        : point_measure(c[i], &tr[j], &sp[i], &pt[i],
                                        &errs[i]);
  }
  for (size_t j = 0; tr != NULL && j < m; j++)
    ckt_trace_clear(&tr[j]);
  for (size_t i = 0; pc != NULL && i < n; i++)
    phys_cell_free(pc[i]);
  free(pc);
  free(run);
  free(sp);
  free(rsp);
  free(tr);
  free(at);
  free(rrc);
  free(rerr);
  return status;
}

int cal__cell_point_batch(const cal__ctx *c, const size_t *idx, size_t n,
                          cal__point *pt, int *rc, tk_err *errs, tk_err *err)
{
  const cal__ctx **cs = calloc(n ? n : 1, sizeof *cs);
  if (cs == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    cs[i] = c;
  int st = cal__cell_points(cs, idx, n, pt, rc, errs, err);
  free(cs);
  return st;
}

/* ---- --noise-model: the noise node at each temperature's v0 ---- */

typedef struct noise_job {
  const cal__ctx *c;      /* the sweep */
  const double *v_V;       /* [nT] controls */
  cal_noise_node *r;       /* [nT] results (parent) */
} noise_job;

#define CAL_NOISE_STREAM 0x6e6f697365ULL   /* "noise": the records' seeds */

/* Worker: one record of node x and the output at temperature t, sampled
 * every 0.1 ns (the node's correlation time is ~1 ns at 125 C). */
static int noise_point(void *ud, size_t t, void *result, tk_err *err)
{
  const noise_job *j = ud;
  const cal__ctx *c = j->c;
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
    rc = cal__cell_sim(c, &ses, pc, &sp, &tr, err);
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

int cal__cell_noise_node(const cal__ctx *c, const double *v_V,
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
  swp.stop = cal__stop_begin();
  cal_sweep_stats ss;
  memset(&ss, 0, sizeof ss);
  int rc = cal_sweep_run(&swp, noise_point, noise_done, &j, &ss, err);
  cal__stop_end();
  if (rc != 0 && ss.interrupted)
    return TK_FAIL(err, TK_EINTERRUPT, "noise-node records interrupted");
  return rc;
}

