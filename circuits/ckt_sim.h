/* ckt_sim.h -- one transient run of a phys_cell through ngspice with
 * physical device noise, resampled onto a uniform time grid.
 *
 * Workload: one run per sweep point, 10^3-10^6 output samples of a few
 * nodes; the cost is inside ngspice (about two external-source callbacks
 * per accepted time point, each a Philox block).
 *
 * Noise densities follow the circuit (ckt_noise_dev says how, per source;
 * ckt_sim_run_devs): the charge-based channel noise of a MOSFET from its
 * I_D, gm, g_ds, gmbs, V_DS (ckt_mos_charge_psd), shot noise 2q|I| of a
 * diode, a bipolar transistor's base and collector, a gate tunnelling
 * current, a fixed 4kT/R -- a designer's subcircuit, circuits/
 * ckt_preflight.h.  The shipped cells (ckt_sim_run, ckt_sim_run_spec):
 * after every accepted time point
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

/* Two-flux shot noise density (A^2/Hz) of a MOSFET from the simulated
 * device's own I_D and g_ds at temp_K: 2q(I_F + I_R), I_R = U_T g_ds,
 * I_F = |I_D| + I_R; NaN when they are not finite or g_ds <= 0. */
double ckt_mos_noise_psd(double id_A, double gds_S, double temp_K);

/* Channel thermal noise (A^2/Hz) of a MOSFET in any inversion from the
 * simulated device's own I_D, gm, g_ds, gmbs and V_DS (long-channel
 * charge-based EKV / Klaassen-Prins, ckt_sim.c): 4kT g_ds at V_DS = 0,
 * 2qI in weak inversion and saturation, (8/3) kT n gm in strong inversion
 * and saturation; within 10 % of BSIM4's tnoimod=0 noise for L >= 1 um
 * in strong inversion (tests/test_ckt_preflight.c); for short channels
 * between BSIM4's tnoimod=0 (above: it ignores velocity saturation) and
 * tnoimod=1 (below), 0.78x and 1.29x at L = 100 nm (docs/FINDINGS.md).
 * NaN when not finite or
 * gm + gmbs + g_ds <= 0. */
double ckt_mos_charge_psd(double id_A, double gm_S, double gds_S,
                          double gmbs_S, double vds_V, double temp_K);

/* A diode with series resistance r_ohm (> 0): junction shot noise and the
 * resistance's thermal noise as one current at its terminals (Norton
 * form, low frequency: f << 1/(2 pi R C_j)),
 *     S = (2q|I_D| + 4kT R g_d^2) / (1 + R g_d)^2;
 * NaN when not finite. */
double ckt_diode_rs_psd(double id_A, double gd_S, double r_ohm,
                        double temp_K);

/* How the density of one noise source follows its device. */
typedef enum {
  CKT_NZ_FIXED = 0,   /* psd_A2_per_Hz throughout (a resistor's 4kT G) */
  CKT_NZ_TWOFLUX,     /* vec: I_D, g_ds -> ckt_mos_noise_psd */
  CKT_NZ_CHARGE,      /* vec: I_D, gm, g_ds, gmbs, V_DS -> ckt_mos_charge_psd */
  CKT_NZ_SHOT,        /* vec: currents, 2q |sum| (diode, BJT, gate) */
  CKT_NZ_DIODE_RS     /* vec: I_D, g_d; a diode with series resistance
                         r_ohm: (2q|I_D| + 4kT R g_d^2) / (1 + R g_d)^2 */
} ckt_nz_model;

#define CKT_NZ_VEC_MAX 5

typedef struct ckt_noise_dev {
  ckt_nz_model model;              /* see above */
  size_t nvec;                     /* device vectors used, <= CKT_NZ_VEC_MAX */
  const char *vec[CKT_NZ_VEC_MAX]; /* "@m.x_tk.mr[id]" (the netlist must
                                      .save them) */
  double psd_A2_per_Hz;            /* FIXED: the density; else until the
                                      first accepted point */
  double gain;                     /* the density injected is gain x the
                                      one above (1 / m^2 for a source that
                                      ngspice multiplies by m); 0: 1 */
  /* flicker (1/f) noise, off when flk_c is 0: the source adds K / f^ef,
   * K = flk_c |I|^flk_af with I = vec[0] (the device's current: I_D of a
   * MOSFET or diode), times gain; between accepted points K is held (from
   * flk_k0 until the first) -- circuits/ckt_flicker.h */
  double r_ohm;                    /* DIODE_RS: the series resistance */
  double flk_c;                    /* coefficient (A^(2 - af) Hz^(ef-1)) */
  double flk_af;                   /* current exponent */
  double flk_ef;                   /* frequency exponent, [0.5, 1.5] */
  double flk_k0;                   /* K until the first accepted point */
} ckt_noise_dev;

/* Density of MOSFET noise source k when ngspice gives no usable I_D, g_ds;
 * v_V[n_nodes] are the run's node voltages (ckt_run_spec.nodes order).
 * Leave *psd alone to keep the last value. */
typedef void (*ckt_noise_fallback_fn)(void *ud, size_t k, const double *v_V,
                                      double *psd);

/* Any netlist with EXTERNAL noise sources (a cell's, a designer's
 * subcircuit's: circuits/ckt_subckt.h), run with the noise model above. */
typedef struct ckt_run_spec {
  const ckt_netlist *nl;        /* lines; noise_names[n_noise] sources */
  const char *const *mos_dev;   /* [n_noise] ngspice device whose I_D, g_ds
                                   set source k ("MN1", "m.x1.mn1"), or
                                   NULL: density fixed at psd0[k]; the
                                   netlist must .save @dev[id], @dev[gds] */
  const double *psd0;           /* [n_noise] densities at the start */
  size_t n_nodes;               /* nodes recorded in the trace */
  const char *const *nodes;     /* [n_nodes] their ngspice names */
  const double *fixed_V;        /* [n_nodes] NaN: simulated; else a source
                                   node held at this voltage */
  size_t n_supply;              /* supply sources counted in the energy */
  const char *const *supply_src;/* [n_supply] V source names ("v_vdd") */
  const double *supply_V;       /* [n_supply] their voltages */
  double temp_K;                /* temperature of the noise densities */
  ckt_noise_fallback_fn fallback; /* may be NULL */
  void *fallback_ud;            /* handed to fallback */
} ckt_run_spec;

/* Run rs->nl; tr->netlist is left NULL.  On failure tr is empty.
 * Every source is two-flux MOSFET noise of rs->mos_dev[k] (or fixed at
 * rs->psd0[k]). */
int ckt_sim_run_spec(ckt_session *s, const ckt_run_spec *rs,
                     const ckt_sim_params *p, ckt_trace *tr, tk_err *err);
/* The same with devs[nl->n_noise] saying how each source's density
 * follows its device (rs->mos_dev and rs->psd0 unused). */
int ckt_sim_run_devs(ckt_session *s, const ckt_run_spec *rs,
                     const ckt_noise_dev *devs, const ckt_sim_params *p,
                     ckt_trace *tr, tk_err *err);

/* Run the cell; on failure tr is empty and err has ngspice's message. */
int ckt_sim_run(ckt_session *s, const phys_cell *c, const char *title,
                const ckt_sim_params *p, ckt_trace *tr, tk_err *err);
void ckt_trace_clear(ckt_trace *tr);
/* The samples of node `name`, or NULL. */
const double *ckt_trace_node(const ckt_trace *tr, const char *name);

#endif
