/* run_trace.c -- simulate, measure and store cell traces (see
 * run_trace.h). */
#include "run/run_trace.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/ckt_native.h"
#include "circuits/ckt_session.h"
#include "circuits/ckt_sim.h"
#include "run/run_cellmeasure.h"
#include "physics/phys_const.h"

run_trace_params run_trace_default_params(void)
{
  run_trace_params p;
  memset(&p, 0, sizeof p);
  p.time_s = NAN;
  p.temp_K = PHYS_TNOM_K;
  p.seed = 1;
  p.dt_s = NAN;
  return p;
}

void run_trace_result_free(run_trace_result *res)
{
  if (res == NULL)
    return;
  free(res->figs);
  res->figs = NULL;
  res->n_runs = 0;
}

static int check(const run_trace_params *p, const ckt_cell_info **ci,
                 tk_err *err)
{
  if (p->cell == NULL || p->vctl_V == NULL || p->out == NULL)
    return TK_FAIL(err, TK_EINVAL, "trace: cell, controls and output are "
                   "required");
  if (!(p->time_s > 0 && p->time_s <= 1e-2))
    return TK_FAIL(err, TK_ERANGE, "trace: time %g s outside (0, 1e-2]",
                   p->time_s);
  if ((*ci = ckt_cell_find(p->cell)) == NULL)
    return TK_FAIL(err, TK_ENOTFOUND, "unknown cell '%s' (see `tsukit "
                   "cells`)", p->cell);
  if (p->n_vctl == 0 || p->n_vctl % (*ci)->n_ctl != 0)
    return TK_FAIL(err, TK_EINVAL, "%s takes %zu control value(s) per run, "
                   "got %zu", (*ci)->name, (*ci)->n_ctl, p->n_vctl);
  return TK_OK;
}

int run_trace(const run_trace_params *p, run_trace_result *res, tk_err *err)
{
  const ckt_cell_info *ci = NULL;
  memset(res, 0, sizeof *res);
  TK_TRY(check(p, &ci, err));
  size_t nrun = p->n_vctl / ci->n_ctl;
  ckt_sim_params sp = ckt_sim_default_params();
  sp.temp_K = p->temp_K;
  sp.tstop_s = p->time_s;
  sp.tstep_s = isfinite(p->dt_s) ? p->dt_s : ci->tstep_s;
  if (sp.tstep_s > p->time_s / 16)
    sp.tstep_s = p->time_s / 16;
  sp.nt_s = fmin(ci->nt_s, sp.tstep_s);
  sp.seed = p->seed;
  sp.model_file = p->models;
  const run_cellkind_measure *meas = run_cellkind_measure_get(ci->cellkind);
  double vdd = isfinite(p->co.vdd_V) && p->co.vdd_V > 0 ? p->co.vdd_V
                                                        : ci->vdd_V;
  ckt_trace *tr = calloc(nrun, sizeof *tr);
  io_trace_figs *figs = calloc(nrun, sizeof *figs);
  ckt_session *ses = NULL;
  io_file *f = NULL;
  int rc = 0;
  if (tr == NULL || figs == NULL || meas == NULL) {
    rc = meas == NULL ? TK_FAIL(err, TK_EINTERNAL, "no measurement for %s",
                                ci->name)
                      : TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  /* check every operating point before simulating any */
  for (size_t r = 0; r < nrun && rc == 0; r++) {
    phys_cell *pc = NULL;
    rc = ckt_cell_build(ci, p->vctl_V + r * ci->n_ctl, &p->co, &pc, err);
    phys_cell_free(pc);
  }
  if (rc != 0)
    goto done;
  io_prov prov = {p->command != NULL ? p->command : "", p->seed};
  if ((rc = io_file_create(p->out, &prov, p->force ? IO_CREATE_OVERWRITE
                                                   : IO_CREATE_KEEP,
                           &f, err)) != 0)
    goto done;
  if (!p->native && (rc = ckt_session_open(&ses, err)) != 0)
    goto done;
  for (size_t r = 0; r < nrun && rc == 0; r++) {
    phys_cell *pc = NULL;
    const double *v = p->vctl_V + r * ci->n_ctl;
    if ((rc = ckt_cell_build(ci, v, &p->co, &pc, err)) != 0)
      break;
    fprintf(stderr, "tsukit trace: run %zu/%zu: %s at vctl %g V, %g s ...\n",
            r + 1, nrun, ci->name, v[0], p->time_s);
    rc = p->native ? ckt_native_run(pc, &sp, &tr[r], err)
                   : ckt_sim_run(ses, pc, ci->name, &sp, &tr[r], err);
    phys_cell_free(pc);
    if (rc != 0)
      break;
    run_cell_lines l;
    if ((rc = run_cell_lines_get(ci, &tr[r], vdd, &l, err)) == 0)
      rc = meas->figures(&l, v, tr[r].e_supply_J, &figs[r], err);
    if (rc == 0) {
      io_trace_run w = {&tr[r], v, ci->n_ctl, p->temp_K, &figs[r]};
      rc = io_trace_write_run(f, r, &w, err);
    }
  }
  if (rc == 0) {
    io_trace_header h = {ci->name, ci->cellkind,
                         p->native ? "native" : "ngspice", ci->outputs, vdd,
                         nrun};
    if ((rc = io_trace_write_header(f, &h, err)) == 0) {
      rc = io_file_commit(f, err);
      f = NULL;
    }
  }
done:
  if (f != NULL)
    io_file_abort(f);
  ckt_session_close(ses);
  for (size_t r = 0; tr != NULL && r < nrun; r++)
    ckt_trace_clear(&tr[r]);
  free(tr);
  if (rc != 0) {
    free(figs);
    return rc;
  }
  res->ci = ci;
  res->n_runs = nrun;
  res->vdd_V = vdd;
  res->figs = figs;
  return TK_OK;
}
