/* tsu_energy.c -- per-term energy model of tsu_energy.h.
 *
 * Workload: once per run, O(n + edges).
 */
#include "tsu/tsu_energy.h"

#include <math.h>

tsu_energy_params tsu_energy_default_params(void)
{
  tsu_energy_params p;
  p.e_rng_J = 350e-18;
  p.tau_s = 0;
  p.dt_s = 0;
  p.vdd_V = 0.4;
  p.c_syn_F = 0.2e-15;
  p.c_clock_F = 0.5e-15;
  p.c_wire_F_per_m = 0.2e-15 / 1e-6;
  p.pitch_m = 5e-6;
  p.e_read_J = 1e-15;
  p.activity = 0.5;
  p.e_cell_paper_J = 2e-15;
  return p;
}

int tsu_energy_compute(const tsu_energy_params *p, const tsu_graph *g,
                       unsigned n_colors, double sweeps_per_sample,
                       tsu_energy_report *out, tk_err *err)
{
  if (!(p->e_rng_J >= 0) || !(p->vdd_V >= 0) || !(p->c_syn_F >= 0) ||
      !(p->c_clock_F >= 0) || !(p->c_wire_F_per_m >= 0) ||
      !(p->pitch_m >= 0) || !(p->e_read_J >= 0) || !(p->activity >= 0) ||
      p->activity > 1 || !(sweeps_per_sample > 0))
    return TK_FAIL(err, TK_ERANGE, "energy parameters must be >= 0 "
                   "(activity <= 1, sweeps per sample > 0)");
  double v2 = p->vdd_V * p->vdd_V;
  double n = g->n;
  double rng_per_update = p->e_rng_J;
  if (p->samples_per_update > 0)
    rng_per_update = p->e_rng_J * p->samples_per_update;
  else if (p->tau_s > 0 && p->dt_s > p->tau_s)
    rng_per_update = p->e_rng_J * p->dt_s / p->tau_s;
  double wire = 0;
  for (uint32_t e = 0; e < g->n_edges; e++) {
    double len = g->edge_len != NULL ? g->edge_len[e] : 1.0;
    /* both endpoints drive this link when they flip */
    wire += 2.0 * 0.5 * p->c_wire_F_per_m * p->pitch_m * len * v2;
  }
  out->rng_J = n * rng_per_update;
  out->bias_J = 2.0 * g->n_edges * p->c_syn_F * v2;
  out->clock_J = n * n_colors * p->c_clock_F * v2;
  out->wire_J = p->activity * wire;
  out->per_sweep_J = out->rng_J + out->bias_J + out->clock_J + out->wire_J;
  out->readout_J = n * p->e_read_J;
  out->per_sample_J = sweeps_per_sample * out->per_sweep_J + out->readout_J;
  out->paper_per_sample_J = sweeps_per_sample * n * p->e_cell_paper_J;
  out->per_update_J = out->per_sweep_J / n;
  return TK_OK;
}
