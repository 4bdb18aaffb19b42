/* ckt_native.h -- a cell through the native Langevin solver
 * (physics/phys_langevin.h) instead of ngspice, returned as the same
 * ckt_trace so that measurement, files and plots are shared.
 *
 * The solver integrates the same phys_cell that ckt_netlist turns into an
 * ngspice netlist, with the cell's own EKV device parameters (ngspice
 * uses the model card of ckt_sim_params.model instead), the channel
 * noise 2q I_S (F'(x_f) + F'(x_r)) per MOSFET and 4kT/R per resistor.
 */
#ifndef CKT_NATIVE_H
#define CKT_NATIVE_H

#include "circuits/ckt_sim.h"

/* Run with p's temperature, stop time, output interval (tstep_s), seed
 * and noise switch; the solver's step is min(tstep_s, its own control). */
int ckt_native_run(const phys_cell *c, const ckt_sim_params *p,
                   ckt_trace *tr, tk_err *err);

#endif
