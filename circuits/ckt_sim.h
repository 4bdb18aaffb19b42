/* ckt_sim.h -- one transient run of a phys_cell through ngspice with
 * physical device noise, resampled onto a uniform time grid.
 *
 * Workload: one run per sweep point, 10^3-10^6 output samples of a few
 * nodes; the cost is inside ngspice (about two external-source callbacks
 * per accepted time point, each a Philox block).
 *
 * Noise densities follow the circuit: after every accepted time point
 * each MOSFET's source gets 2q(I_F + I_R) (phys_noise_shot_psd) with
 * I_R = U_T g_ds and I_F = |I_D| + I_R from the SIMULATED device's own
 * I_D and g_ds (weak-inversion two-flux picture; exactly 4kT g_ds at
 * V_DS = 0, so the noise obeys fluctuation-dissipation with the model
 * card's own conductance); if those are unavailable, phys_mos_eval()
 * (EKV, the cell's device parameters) and phys_noise_channel_psd; each
 * resistor 4kT/R.  Densities are held until the next accepted point,
 * never changed inside the Newton iteration.  (Using EKV densities on a
 * BSIM4 device broke fluctuation-dissipation: the noise node's mean moved
 * 20-40 mV off its DC value through the pseudo-resistor's asymmetry.)
 * Energy: -sum over supply nodes of the integral of V i(V source) dt,
 * from the supply sources only (the ideal noise sources inject energy of
 * their own, which is deliberately not counted).
 */
#ifndef CKT_SIM_H
#define CKT_SIM_H

#include <stddef.h>

#include "circuits/ckt_netlist.h"
#include "circuits/ckt_session.h"
#include "common/tk_error.h"
#include "physics/phys_cell.h"

typedef struct ckt_trace {
  size_t n;             /* samples per node, t_k = k dt_s */
  double dt_s;          /* sample interval */
  double *time_s;       /* [n] */
  size_t n_nodes;       /* nodes recorded: the cell's nodes except ground */
  char (*names)[PHYS_NAME_MAX]; /* [n_nodes] node names */
  double *v_V;          /* [n_nodes * n] row-major, node-major */
  double e_supply_J;    /* energy delivered by the supply nodes */
  size_t n_accepted;    /* time points ngspice accepted */
  char *netlist;        /* the netlist text that was run */
} ckt_trace;

/* Run the cell; on failure tr is empty and err has ngspice's message. */
int ckt_sim_run(ckt_session *s, const phys_cell *c, const char *title,
                const ckt_sim_params *p, ckt_trace *tr, tk_err *err);
void ckt_trace_clear(ckt_trace *tr);
/* The samples of node `name`, or NULL. */
const double *ckt_trace_node(const ckt_trace *tr, const char *name);

#endif
