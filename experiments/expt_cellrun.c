/* expt_cellrun.c -- ngspice runs of the shipped cells in forked workers
 * (see expt_cellrun.h). */
#include "experiments/expt_cellrun.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/ckt_session.h"
#include "circuits/ckt_sim.h"
#include "run/run_cellmeasure.h"

typedef struct run_ud {
  const expt_cell_job *jobs;
  expt_cell_res *out;
} run_ud;

static void keep(const expt_cell_job *j, const ckt_trace *tr, const double *o,
                 const uint8_t *st, expt_cell_res *res)
{
  size_t nwin = (size_t)(j->keep_s / tr->dt_s);
  if (nwin > tr->n) nwin = tr->n;
  size_t stride = (nwin + EXPT_KEEP - 1) / EXPT_KEEP;
  if (stride == 0) stride = 1;
  size_t m = 0;
  for (size_t k = 0; k < nwin && m < EXPT_KEEP; k += stride, m++) {
    res->keep_V[m] = o != NULL ? (float)o[k] : 0.0f;
    res->keep_state[m] = st != NULL ? st[k] : 0;
  }
  res->n_keep = (uint32_t)m;
  res->keep_dt_s = tr->dt_s * (double)stride;
}

static int point(void *ud, size_t idx, void *result, tk_err *err)
{
  const expt_cell_job *j = &((run_ud *)ud)->jobs[idx];
  expt_cell_res *res = result;
  const ckt_cell_info *ci = j->ci;
  ckt_sim_params sp = ckt_sim_default_params();
  sp.temp_K = j->temp_K;
  sp.tstop_s = j->tstop_s;
  sp.tstep_s = ci->tstep_s;
  sp.nt_s = fmin(ci->nt_s, sp.tstep_s);
  sp.seed = j->seed;
  sp.noise = !j->noise_off;
  double vdd = isfinite(j->co.vdd_V) && j->co.vdd_V > 0 ? j->co.vdd_V : ci->vdd_V;
  phys_cell *pc = NULL;
  ckt_session *ses = NULL;
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  uint8_t *st = NULL;
  int rc = ckt_cell_build(ci, j->vctl_V, &j->co, &pc, err);
  if (rc == 0) rc = ckt_session_open(&ses, err);
  if (rc == 0) rc = ckt_sim_run(ses, pc, ci->name, &sp, &tr, err);
  if (rc == 0 && (st = calloc(tr.n, 1)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  res->e_supply_J = tr.e_supply_J;
  res->duration_s = tr.dt_s * (double)tr.n;
  res->vdd_V = vdd;
  /* the figures of the cell's kind (a pbit's at calibration grade, with
   * error bars) and the digitised state, from the one per-kind table */
  const run_cellkind_measure *meas = run_cellkind_measure_get(ci->cellkind);
  run_cell_lines l;
  io_trace_figs figs = {0};
  if (rc == 0)
    rc = run_cell_lines_get(ci, &tr, vdd, &l, err);
  if (rc == 0 && ci->cellkind == CKT_CELL_PBIT)
    rc = cal_pbit_point_measure(l.v_V[0], tr.n, tr.dt_s, vdd, tr.e_supply_J,
                                &res->pb, err);
  else if (rc == 0)
    rc = meas->figures(&l, j->vctl_V, tr.e_supply_J, &figs, err);
  if (rc == 0) {
    if (meas->states != NULL)
      meas->states(&l, st);
    if (ci->cellkind == CKT_CELL_CATEGORICAL)
      res->cs = figs.cat;
    if (ci->cellkind == CKT_CELL_GMM) {
      res->gs = figs.gmm;
      for (size_t k = 0; k < tr.n; k++) {
        int b = (int)floor(l.v_V[0][k] / vdd * EXPT_HIST);
        if (b >= 0 && b < EXPT_HIST) res->hist[b] += 1;
      }
    }
    /* kept: the output of a single-line cell, the state of a discrete one */
    keep(j, &tr, l.n_lines == 1 ? l.v_V[0] : NULL,
         meas->states != NULL ? st : NULL, res);
  }
  /* A pbit that never flips is a result (P(1) = 0 or 1), not a failure. */
  if (rc == TK_ENUMERIC && ci->cellkind == CKT_CELL_PBIT) {
    res->pbit_status = rc;
    rc = 0;
  }
  free(st);
  ckt_trace_clear(&tr);
  ckt_session_close(ses);
  phys_cell_free(pc);
  return rc;
}

static int done(void *ud, size_t idx, const void *result, tk_err *err)
{
  (void)err;
  memcpy(&((run_ud *)ud)->out[idx], result, sizeof(expt_cell_res));
  return TK_OK;
}

double expt_tau_flip_s(const expt_cell_res *res, size_t n, double p_lo,
                       double p_hi, double *tau_err_s, double *flips_out)
{
  double num = 0, flips = 0;
  for (size_t i = 0; i < n; i++) {
    double p = res[i].pb.p[1];
    if (p < p_lo || p > p_hi || res[i].pb.flips <= 0)
      continue;
    num += 2 * p * (1 - p) * res[i].duration_s;
    flips += res[i].pb.flips;
  }
  double tau = flips > 0 ? num / flips : NAN;
  if (tau_err_s != NULL)
    *tau_err_s = flips > 0 ? tau / sqrt(flips) : NAN;
  if (flips_out != NULL)
    *flips_out = flips;
  return tau;
}

int expt_cells_run(const expt_cell_job *jobs, size_t n, unsigned workers,
                   int quiet, expt_cell_res *out, tk_err *err)
{
  if (sizeof(expt_cell_res) > 65536)
    return TK_FAIL(err, TK_EINTERNAL, "cell result too large for the pipe");
  run_ud ud = {jobs, out};
  cal_sweep_params p = cal_sweep_default_params();
  p.n_points = n;
  p.result_size = sizeof(expt_cell_res);
  p.workers = workers < 1 ? 1 : workers;
  p.progress_label = "cell runs";
  p.quiet = quiet;
  cal_sweep_stats stats;
  return cal_sweep_run(&p, point, done, &ud, &stats, err);
}
