/* phys_sde.h -- a fixed-step linearly-implicit stochastic integrator for
 * small cells with device charges (the fast native engine, issue 15).
 *
 * Integrates a phys_cell (phys_cell.h) in charge form,
 *     d q(V) / dt = I(V) + xi(t),
 * q the charge on every free node: the node's own capacitor to ground plus
 * each MOSFET's terminal charges (phys_moscap.h: intrinsic, overlap,
 * junction; fixed nodes are ideal sources, so their columns drop out).
 * xi is each device's white noise current (MOSFET channel shot noise
 * 2 q I_S (F'(x_f) + F'(x_r)), resistor 4kT/R, one-sided PSD S, evaluated
 * at the step's start: Ito).
 *
 * Scheme: linearly-implicit (Rosenbrock-) Euler with the full dense
 * Jacobian G = -dI/dV of the free nodes and the capacitance matrix
 * C = dq/dV:
 *     (C + dt G) dV = I(V_n) dt + dQ_n,   dQ_n ~ N(0, S dt / 2) per device
 * i.e. the drift-implicit Euler-Maruyama method linearised once per step:
 * L-stable (stiff digitiser nodes at a rail relax in one step without
 * ringing), strong order 1/2 and weak order 1 for the multiplicative shot
 * noise (Kloeden-Platen 12.2), strong order 1 where the noise is additive.
 * For a linear node of relaxation h = dt G/C per step the stationary
 * variance is kT/C / (1 + h/2): 0.1 % low at the pbit noise node's
 * h = 0.002.  The dense system (at most PHYS_SDE_MAX_FREE free nodes) is
 * factorised each step by LU with partial pivoting, in scratch allocated
 * once (no allocation per step).  A device's capacitance matrix is
 * re-evaluated only when one of its terminals has moved by more than
 * cap_refresh_V since its last evaluation (the capacitances change on the
 * scale of U_T; 10 mV default: on the pbit, 0.186 V, 100 us, P(1) and the
 * flip count are identical at 1, 5, 10 and 20 mV, and 10 mV runs 1.7x
 * faster than 5 mV), and C re-summed when any was.
 * The run starts from the noise-free operating point (pseudo-transient
 * continuation from the nodes' initial voltages, as ngspice's .op), not
 * from the initial voltages themselves; where a regenerative stage right
 * at its trip point keeps that from settling, from the last iterate.
 *
 * Step refinement.  A step whose matrix is singular, whose move is not
 * finite, or which would move a free node by more than max_step_V (0.1
 * V) is not taken: it is redone as two half steps whose noise increments
 * are the Brownian bridge of the whole step's (their sum is the step's
 * increment, so the noise path is the same one, resolved finer),
 * recursively down to dt / 2^PHYS_SDE_MAX_DEPTH, where a finite step is
 * taken whatever its size and a singular or non-finite one is the error.
 * Measured need: at 125 C the cat4 cell's priority chain switches so fast
 * that a fixed 0.5 ns step diverged in about one run in three (a move of
 * 0.3 V, then 1.5 V, then a singular matrix within 5 ns); the pbit and
 * gmm2 at -40/27/125 C and cat4 at -40/27 C never move a node by 0.1 V
 * in a step (20 us each), so their runs are bit for bit what they were.
 * out->refined_steps counts the steps that were refined.
 *
 * Random numbers: device k at step n uses block n of stream k of the seed
 * (as phys_langevin.h), so a run is reproducible bit for bit; a refined
 * step's bridge normals come from their own stream, counter (n << 12) |
 * the half's place in the step's binary tree of halves.
 *
 * Batches (phys_sde_run_batch): instances of one circuit (the same nodes,
 * devices and terminals; any device parameters, capacitors, source
 * voltages -- mismatch instances, control points) with the same
 * parameters but the seed run four at a time, one per lane of a vector
 * (physics/phys_sde_lanes_impl.h): the device currents, the stamping, the LU
 * and the solve are element-wise vector operations; what differs per
 * lane (exp / log1p, normals, pivots, capacitance refresh, refinement,
 * the operating point's pseudo-time) is done per lane.  Every lane gives
 * the bits of phys_sde_run on its instance alone, on every path
 * (scalar, lanes4: baseline SSE2, lanes4-avx2: chosen at run time where
 * the CPU has AVX2; no FMA on any, so a product and a sum round twice
 * everywhere).  A lane that fails stops with its own error; the others
 * go on.
 *
 * Supply energy: V_supply times the charge each supply node delivers over
 * each step, consistent with the step taken: a device's conducted charge
 * is its linearised current over the step plus its noise charge,
 * (I(V_n) + dI/dV dV) dt + dQ, and a device terminal on a supply node
 * adds its displacement charge C_t. dV (device charges on).  The supply's
 * charge therefore equals the change of the charge stored on the free
 * nodes plus what the devices conduct elsewhere, to rounding, at any
 * dt G / C (tests/test_phys_sde.c).  (Charging with the start-of-step
 * current I(V_n) dt alone misstates a step's charge by up to a factor
 * 1 + dt G / C at a stiff node; it made the shipped pbit's supply energy
 * 12 % low and the designer pbit's energy per flip negative.)
 */
#ifndef PHYS_SDE_H
#define PHYS_SDE_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "physics/phys_cell.h"
#include "physics/phys_langevin.h"
#include "physics/phys_moscap.h"

#define PHYS_SDE_MAX_FREE 64
#define PHYS_SDE_MAX_DEPTH 10  /* a step refined down to dt / 2^10 */

typedef struct phys_sde_params {
  double t_stop_s;      /* simulated time, > 0 */
  double sample_dt_s;   /* spacing of the returned trace, > 0 */
  double dt_s;          /* fixed step, > 0, at most sample_dt_s */
  double cap_refresh_V; /* re-evaluate C after this much movement, > 0 */
  double temp_K;        /* temperature, > 0 */
  uint64_t seed;        /* random seed */
  int noise;            /* 1: device noise on; 0: deterministic */
  double noise_scale;   /* every noise density x this, > 0 (1; a
                           diagnostic, as ckt_sim_params.noise_scale) */
  double max_step_V;    /* a step moving a free node by more than this is
                           redone as two halves (see Step refinement), > 0
                           (+inf: never) */
} phys_sde_params;

/* t_stop 1 us, sample 2 ns, dt 0.5 ns, refresh 10 mV, 300 K, seed 1,
 * noise on, noise scale 1, largest move per step 0.1 V. */
phys_sde_params phys_sde_default_params(void);
int phys_sde_check(const phys_sde_params *p, tk_err *err);

/* Run c from its nodes' initial voltages.  cv[k] holds the charge
 * parameters of MOSFET k (c->mos[k]); cv == NULL: no device charges (node
 * capacitors only).  The result is phys_lgv_result (phys_langevin.h):
 * samples at multiples of sample_dt_s (the state at the end of the step
 * that reaches them), energy drawn from the supply nodes, steps taken. */
int phys_sde_run(const phys_cell *c, const phys_mos_cv *cv,
                 const phys_sde_params *p, phys_lgv_result *out, tk_err *err);

/* Lanes of a batch kernel. */
#define PHYS_SDE_LANES 4

/* Which lane kernel runs a batch.  AUTO: lanes4-avx2 where the CPU has
 * AVX2, lanes4 otherwise, and the last one or two instances of a batch
 * one at a time (a padded lane costs as much as a real one); SCALAR: one
 * instance at a time; LANES, AVX2: that kernel for every group. */
typedef enum {
  PHYS_SDE_PATH_AUTO = 0,
  PHYS_SDE_PATH_SCALAR,
  PHYS_SDE_PATH_LANES,
  PHYS_SDE_PATH_AVX2
} phys_sde_path;

/* The path's name ("scalar", "lanes4", "lanes4-avx2"; AUTO resolved on
 * this CPU), and the parse of one ("auto" too; TK_EINVAL naming the
 * choices). */
const char *phys_sde_path_name(phys_sde_path path);
int phys_sde_path_parse(const char *s, phys_sde_path *path, tk_err *err);
/* 1 if this CPU and build can run the path (lanes4-avx2 needs AVX2). */
int phys_sde_path_available(phys_sde_path path);

/* Run n instances: cell c[i] with charges cv[i] (cv == NULL: none for any)
 * and parameters p[i] (all equal but the seed) into out[i]; rc[i] and
 * errs[i] each instance's own status (out[i] empty where it failed).
 * Returns non-zero (and fills no out) when the batch cannot run: an
 * instance failing phys_sde_run's checks (named), cells of another
 * topology than c[0]'s, parameters other than the seed differing, a path
 * this CPU lacks (TK_EUNSUPPORTED), memory.  out[i] is bit for bit what
 * phys_sde_run gives instance i alone, whatever the path. */
int phys_sde_run_batch(const phys_cell *const *c,
                       const phys_mos_cv *const *cv,
                       const phys_sde_params *p, size_t n, phys_sde_path path,
                       phys_lgv_result *out, int *rc, tk_err *errs,
                       tk_err *err);

#endif
