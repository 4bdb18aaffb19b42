/* ckt_native.c -- phys_sde_run (device charges from the bsim4 card)
 * -> ckt_trace (ground dropped).
 *
 * Workload: one fixed-step run per call (4 x 10^4 steps for 20 us of a
 * pbit at the 0.5 ns noise slot); the copy into the trace is negligible. */
#include "circuits/ckt_native.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/phys_langevin.h"
#include "physics/phys_sde.h"

/* Charge parameters of the bsim4 card (circuits/models/ckt_models.c), as
 * ckt_extract_cv() reads them from ngspice (tests/test_ckt_native.c holds
 * this table against it; W/L 90/90 and 100/100 nm give the same row to
 * 0.1 %).  Sidewall perimeter W per junction, no bottom area (the cells
 * give no AS/AD). */
typedef struct cv_row {
  phys_mos_type type;   /* device type */
  double cox_F_per_m2;  /* epsrox eps0 / toxe */
  double kp_cv_A_per_V2;/* u0 cox */
  double gamma_sqrtV;   /* depletion body factor (C_gb at V_GB 0, 0.2 V) */
  double vfb_V;         /* its flat-band voltage */
  double cgso_F_per_m;  /* cgso + cf (= cgdo + cf) */
  double cgbo_F_per_m;  /* cgbo */
  double cjsw_F_per_m;  /* cjsws + cjswgs */
  double pb_V, mjsw;    /* pbsws, mjsws */
} cv_row;

static const cv_row cv_bsim4[2] = {
  {PHYS_NMOS, 0.0197322, 887.949e-6, 0.17582, -0.42932, 2.29506e-10,
   2.56e-11, 1e-9, 1.0, 0.33},
  {PHYS_PMOS, 0.0186656, 373.312e-6, 0.19630, -0.43947, 2.2829e-10,
   2.56e-11, 1e-9, 1.0, 0.33},
};

void ckt_native_cv(const phys_mos *m, phys_mos_cv *cv)
{
  const cv_row *r = &cv_bsim4[m->p.type == PHYS_PMOS ? 1 : 0];
  *cv = phys_mos_cv_default();
  cv->cox_F_per_m2 = r->cox_F_per_m2;
  cv->kp_cv_A_per_V2 = r->kp_cv_A_per_V2;
  cv->gamma_sqrtV = r->gamma_sqrtV;
  cv->vfb_V = r->vfb_V;
  cv->cgso_F_per_m = r->cgso_F_per_m;
  cv->cgdo_F_per_m = r->cgso_F_per_m;
  cv->cgbo_F_per_m = r->cgbo_F_per_m;
  cv->cjsw_F_per_m = r->cjsw_F_per_m;
  cv->pb_V = r->pb_V;
  cv->mj = r->mjsw;
  cv->mjsw = r->mjsw;
  cv->ps_m = m->p.w_m;
  cv->pd_m = m->p.w_m;
}

int ckt_native_run(const phys_cell *c, const ckt_sim_params *p,
                   ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  phys_sde_params sp = phys_sde_default_params();
  sp.t_stop_s = p->tstop_s;
  sp.sample_dt_s = p->tstep_s;
  /* the step: the noise slot, rounded down to divide the sample interval */
  double per = ceil(p->tstep_s / p->nt_s - 1e-9);
  sp.dt_s = p->tstep_s / (per >= 1 ? per : 1);
  sp.temp_K = p->temp_K;
  sp.seed = p->seed;
  sp.noise = p->noise;
  phys_mos_cv *cv = malloc((c->n_mos ? c->n_mos : 1) * sizeof *cv);
  if (cv == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t k = 0; k < c->n_mos; k++)
    ckt_native_cv(&c->mos[k], &cv[k]);
  phys_lgv_result r;
  int rc0 = phys_sde_run(c, cv, &sp, &r, err);
  free(cv);
  if (rc0 != 0)
    return rc0;
  size_t nn = r.n_nodes - 1, n = r.n_samples; /* node 0 is ground */
  tr->n = n;
  tr->dt_s = p->tstep_s;
  tr->n_nodes = nn;
  tr->time_s = r.time_s;
  r.time_s = NULL;
  tr->names = malloc((nn ? nn : 1) * sizeof *tr->names);
  tr->v_V = malloc((nn ? nn : 1) * n * sizeof *tr->v_V);
  tr->netlist = strdup("(native Langevin solver: no netlist)");
  if (tr->names == NULL || tr->v_V == NULL || tr->netlist == NULL) {
    phys_lgv_result_free(&r);
    ckt_trace_clear(tr);
    return TK_FAIL(err, TK_ENOMEM, "out of memory for the native trace");
  }
  for (size_t i = 0; i < nn; i++) {
    memcpy(tr->names[i], c->nodes[i + 1].name, PHYS_NAME_MAX);
    memcpy(tr->v_V + i * n, phys_lgv_node(&r, i + 1), n * sizeof(double));
  }
  tr->e_supply_J = r.energy_J;
  tr->n_accepted = (size_t)r.steps;
  phys_lgv_result_free(&r);
  return TK_OK;
}
