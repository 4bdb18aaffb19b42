/* ckt_native.h -- a cell through the native Langevin solver
 * (physics/phys_langevin.h) instead of ngspice, returned as the same
 * ckt_trace so that measurement, files and plots are shared.
 *
 * The solver integrates the same phys_cell that ckt_netlist turns into an
 * ngspice netlist, with the cell's own EKV device parameters (for the
 * shipped cells extracted from the bsim4 card, circuits/ckt_extract.h;
 * ngspice uses the model card of ckt_sim_params.model itself), the channel
 * noise 2q I_S (F'(x_f) + F'(x_r)) per MOSFET and 4kT/R per resistor.
 * Device charges (issue 15): every MOSFET carries the charge model of
 * physics/phys_moscap.h with the bsim4 card's parameters (ckt_native_cv),
 * on top of the cell's node capacitors, as ngspice adds BSIM4's; the
 * integrator is physics/phys_sde.h (linearly-implicit Euler, fixed step =
 * the noise slot nt_s rounded to divide tstep_s).  (Before: the Langevin
 * solver of phys_langevin.h without device capacitances.)
 * Temperature: the cell's EKV rows are fitted at 27 C; the engine takes
 * each device to the run's temperature with ckt_native_mos_at (the
 * card's parameters fitted again at -40 and 125 C, quadratic in T
 * between), not with the rows' one tc_vth and mobility exponent, which
 * put the currents 0.4x / 2.2x off the card at -40 / 125 C (the 125 C
 * pbit's tau came out half ngspice's).  tests/test_ckt_native.c holds
 * the currents at -40, 0, 85, 125 C against the card (within 18 %: the
 * fits trade currents far from the cells' operating points for the
 * switching point's gain and trip point and MR's conductance, which
 * they hold within 5 % and exactly at the fitted temperatures;
 * circuits/ckt_extract.h), tests/test_moscap.c the capacitances at -40
 * and 125 C.
 */
#ifndef CKT_NATIVE_H
#define CKT_NATIVE_H

#include "circuits/ckt_sim.h"
#include "physics/phys_moscap.h"
#include "physics/phys_sde.h"

/* Step bound of the cells' runs, in units of the fastest node's C/G
 * (phys_lgv_params.kappa).  The solver treats each node's own conductance
 * at the step midpoint, so it stays stable and keeps kT/C at any kappa;
 * 0.05 instead of the solver's default 0.02 makes the pbit about 2.5x
 * faster (measured, FINDINGS.md).  The fastest nodes are the digitiser's
 * outputs at a rail; the noise node's C/G is three orders slower. */
#define CKT_NATIVE_KAPPA 0.05

/* The charge parameters of a cell MOSFET of the bsim4 card. */
void ckt_native_cv(const phys_mos *m, phys_mos_cv *cv);

/* The EKV parameters of a cell MOSFET (p, fitted at p->tnom_K) at temp_K:
 * threshold, slope factor, current factor and DIBL follow the change of
 * the card's fitted parameters between -40, 27 and 125 C (quadratic in T
 * through the three fits; extrapolated outside), with tnom_K = temp_K so
 * that phys_mos_eval applies no further temperature law.  At temp_K ==
 * p->tnom_K, *out = *p exactly.  A per-instance offset in p (mismatch)
 * is kept. */
void ckt_native_mos_at(const phys_mos_params *p, double temp_K,
                       phys_mos_params *out);

/* Both at temp_K: *p = ckt_native_mos_at(m->p), *cv = ckt_native_cv(m)
 * with kp_cv scaled as kp (the charge normalisation kp / kp_cv keeps its
 * value).  What ckt_native_run simulates. */
void ckt_native_device(const phys_mos *m, double temp_K, phys_mos_params *p,
                       phys_mos_cv *cv);

/* Run with p's temperature, stop time, output interval (tstep_s), seed,
 * noise switch and noise_scale, and the mismatch shifts dvth_V (as
 * ngspice's delvto: + for NMOS, - for PMOS threshold magnitude); the
 * solver's step is the noise slot nt_s rounded to divide tstep_s.
 * ngspice's flicker noise (ckt_flicker.h) has no native counterpart. */
int ckt_native_run(const phys_cell *c, const ckt_sim_params *p,
                   ckt_trace *tr, tk_err *err);

/* The same run of a cell whose devices are given as they are (a
 * designer's circuit, circuits/ckt_subckt_native.h): c's EKV rows
 * already at p->temp_K (tnom_K = temp_K: no temperature law applied),
 * cv[k] the charge parameters of c->mos[k] there; the mismatch shifts of
 * p as in ckt_native_run. */
int ckt_native_run_cv(const phys_cell *c, const phys_mos_cv *cv,
                      const ckt_sim_params *p, ckt_trace *tr, tk_err *err);

/* n runs of ckt_native_run at once (phys_sde_run_batch, four instances
 * per vector): cells c[i] of one circuit (any control voltages, any
 * device parameters) with p[i] (the same but the seed and the mismatch
 * shifts) into tr[i]; rc[i], errs[i] each run's status (tr[i] empty
 * where it failed).  Returns non-zero when the batch cannot run (see
 * phys_sde_run_batch).  tr[i] is bit for bit ckt_native_run's on its
 * own, on every path. */
int ckt_native_run_batch(const phys_cell *const *c, const ckt_sim_params *p,
                         size_t n, phys_sde_path path, ckt_trace *tr, int *rc,
                         tk_err *errs, tk_err *err);

/* n runs of ckt_native_run_cv at once: c[i] with charges cv[i] (devices
 * as they are) and p[i]; otherwise as ckt_native_run_batch. */
int ckt_native_run_cv_batch(const phys_cell *const *c,
                            const phys_mos_cv *const *cv,
                            const ckt_sim_params *p, size_t n,
                            phys_sde_path path, ckt_trace *tr, int *rc,
                            tk_err *errs, tk_err *err);

#endif
