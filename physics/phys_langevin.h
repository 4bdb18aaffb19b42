/* phys_langevin.h -- the native stochastic solver for small cells.
 *
 * Integrates a phys_cell (phys_cell.h):
 *     C_i dV_i/dt = sum of device currents into node i + noise currents
 * for every free node i, with physical device noise:
 *   - each MOSFET carries channel shot noise of one-sided PSD
 *     S = 2 q I_S (F'(x_f) + F'(x_r))  (phys_noise_channel_psd: 2q(I_F+I_R)
 *     in weak inversion, exactly 4kT g_ds at V_DS = 0), re-evaluated at
 *     every step from the present node voltages (state-dependent);
 *   - each resistor carries thermal noise S = 4kT/R.
 * A white current of one-sided PSD S moves a charge with variance S dt / 2
 * in a step dt (the two-sided density is S/2), so each device adds
 * dQ = sqrt(S dt / 2) xi between its terminals (Euler-Maruyama, Ito).
 *
 * Scheme: each free node's own conductance G_i (the diagonal of the
 * Jacobian) is taken at the step's midpoint,
 *     (C_i + G_i dt / 2) dV_i = I_i dt + dQ_i
 * (linearised trapezoidal rule, theta = 1/2).  It is A-stable, and for a
 * linear node it gives the stationary variance kT/C exactly at any step
 * (explicit Euler gives kT/C / (1 - kappa/2) and diverges at kappa = 2);
 * the correlation per step is (1 - h/2)/(1 + h/2) for exp(-h), h = dt G/C.
 * Coupling between free nodes (a transistor's gate, or a device between
 * two free nodes) stays explicit.  The supply charge of each device
 * carries the same midpoint correction, so energy is conserved.
 *
 * Step control: dt = min(dt_max, the step at which the damped change
 * |I_i| dt / (C_i + G_i dt/2) reaches dv_max, kappa min_i C_i / G_i).
 * kappa = 0.02 (default) resolves every node's relaxation; the cells use
 * a larger kappa (ckt_native.c), where the fastest nodes are digitiser
 * outputs sitting at a rail.
 *
 * Known limitation: the Ito diffusion form of state-dependent shot noise
 * is exact to second order in the noise only; a transistor node in
 * equilibrium (V_DS = 0) shows its kT/C variance within 1-2 % but a mean
 * shifted by about +0.3 .. 0.5 sigma^2 / U_T (measured, tests/
 * test_langevin.c: 30 uV for sigma = 1.4 mV), where the discrete-electron
 * process is exactly Boltzmann.  An isothermal (Haenggi-Klimontovich)
 * drift correction would remove it.
 *
 * Random numbers: device k at step n uses block n of stream k of the seed,
 * so a run is reproducible bit for bit.  Supply energy: the integral of
 * V_supply times the current drawn from every supply node (deterministic
 * and noise charge), counted only from the supply, never from the ideal
 * noise sources.
 */
#ifndef PHYS_LANGEVIN_H
#define PHYS_LANGEVIN_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "physics/phys_cell.h"

typedef struct phys_lgv_params {
  double t_stop_s;      /* simulated time, > 0 */
  double sample_dt_s;   /* spacing of the returned trace, > 0 */
  double dt_max_s;      /* largest step, > 0 */
  double dv_max_V;      /* largest deterministic change per step, > 0 */
  double kappa;         /* step / node time constant, in (0, 2] */
  double temp_K;        /* temperature, > 0 */
  uint64_t seed;        /* random seed */
  int noise;            /* 1: device noise on; 0: deterministic */
} phys_lgv_params;

/* t_stop 1 us, sample 1 ns, dt_max 1 ns, dv_max 1 mV, kappa 0.02,
 * 300 K, seed 1, noise on. */
phys_lgv_params phys_lgv_default_params(void);
int phys_lgv_check(const phys_lgv_params *p, tk_err *err);

typedef struct phys_lgv_result {
  size_t n_samples;     /* samples per node */
  size_t n_nodes;       /* nodes of the cell, fixed ones included */
  double *time_s;       /* [n_samples] */
  double *v_V;          /* [n_nodes][n_samples], node-major */
  double energy_J;      /* energy drawn from the supply nodes */
  double steps;         /* integration steps taken */
  double refined_steps; /* of them, steps redone as halves (phys_sde.h:
                           step refinement; 0 for phys_langevin) */
} phys_lgv_result;

/* Run the cell from its nodes' initial voltages.  progress(t_s, t_stop_s,
 * ctx) is called every few thousand steps; a non-zero return stops the run
 * with TK_EINTERRUPT.  Non-finite voltages stop it with TK_ENUMERIC. */
int phys_lgv_run(const phys_cell *c, const phys_lgv_params *p,
                 int (*progress)(double t_s, double t_stop_s, void *ctx),
                 void *ctx, phys_lgv_result *out, tk_err *err);
void phys_lgv_result_free(phys_lgv_result *r);

/* Pointer to node i's samples in a result. */
static inline const double *phys_lgv_node(const phys_lgv_result *r, size_t i)
{
  return r->v_V + i * r->n_samples;
}

#endif
