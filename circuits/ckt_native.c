/* ckt_native.c -- phys_lgv_run -> ckt_trace (ground dropped).
 *
 * Workload: one Langevin run per call (10^6-10^7 steps for tens of us of
 * a pbit); the copy into the trace is negligible. */
#include "circuits/ckt_native.h"

#include <stdlib.h>
#include <string.h>

#include "physics/phys_langevin.h"

int ckt_native_run(const phys_cell *c, const ckt_sim_params *p,
                   ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  phys_lgv_params lp = phys_lgv_default_params();
  lp.t_stop_s = p->tstop_s;
  lp.sample_dt_s = p->tstep_s;
  lp.dt_max_s = p->tstep_s;
  lp.temp_K = p->temp_K;
  lp.seed = p->seed;
  lp.noise = p->noise;
  lp.kappa = CKT_NATIVE_KAPPA;
  phys_lgv_result r;
  TK_TRY(phys_lgv_run(c, &lp, NULL, NULL, &r, err));
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
