/* ckt_subckt_native.h -- a designer's subcircuit (circuits/ckt_subckt.h),
 * the hierarchy flattened as characterize already does, translated into a
 * cell of the native engine (circuits/ckt_native.h): `tsukit characterize
 * --engine native`.
 *
 * Workload: one translation per characterisation (one ngspice load of the
 * test bench, its expanded instance list, a few one-device .op's), one
 * EKV extraction per distinct (card, W, L) and temperature (three DC
 * sweeps of the card and a 4-parameter fit, tens of milliseconds), then
 * any number of native runs, one per sweep point, in forked workers.
 *
 * What translates (anything else is refused, naming the element and why:
 * never an approximation the ngspice path would not make):
 *   M  a MOSFET whose model is a top-level `.model NAME nmos|pmos
 *      level=14|54` (BSIM4) card of the file (its top-level .param and
 *      .func lines with it), any W and L: the EKV parameters are fitted
 *      to the card's own DC sweeps at each temperature (ckt_extract_mos,
 *      V_GS 0..vdd, V_DS 0.05 V, vdd/2, vdd) and the charge parameters
 *      read from it (ckt_extract_cv_card; u0 taken to temperature by the
 *      card's ute); refused: a fit worse than CKT_SN_FIT_MAX (max |I_EKV /
 *      I_card - 1|), a local or binned model, another level, instance
 *      parameters that differ from a plain `M d g s b NAME W= L=` (m, nf,
 *      as, ad, ps, pd, nrs, nrd, delvto, mult...: they would change the
 *      device the fit did not see), the bulk on a net that is neither its
 *      source nor its drain (the fit is at V_SB = 0), a card whose gate
 *      current, gate / body / diffusion resistances the preflight notes
 *      (ckt_preflight.h: ngspice simulates them, the native engine does
 *      not).
 *   R  4kT/R thermal noise (none with noisy=0); its conductance at each
 *      temperature as the preflight has it (tc1, tc2, tce, m); dtemp
 *      refused.
 *   C  to ground or to any fixed net (a port held by a source, a DC
 *      source's net): the node's capacitance to ground (the same
 *      dynamics: a fixed net does not move; a capacitor to the supply
 *      draws from it C vdd dV over the record, which the native energy
 *      omits: bounded, it does not grow with the record); between two
 *      fixed nets: no effect; between two free nets: refused (the native
 *      engine's nodes carry capacitance to ground only).
 *   V  a DC source (`V a b [dc] VALUE`) with one side on a fixed net: the
 *      other side becomes a fixed net; any other V refused.
 *   every other letter (D Q J I L K B E F G H S W T A ...): refused;
 *   so is `.options scale=` (ngspice's W, L against the extraction's).
 * A free net needs a MOSFET's drain, gate or source or a resistor on it;
 * a free net with no capacitor gets CKT_SN_CMIN_F (the MOSFETs' own
 * charges are on top, as in ngspice, which adds none).  Noise: the native
 * engine's channel noise 2 q I_S (F'(x_f) + F'(x_r)) per MOSFET (no
 * flicker, no gate tunnelling) and 4kT/R per resistor.
 */
#ifndef CKT_SUBCKT_NATIVE_H
#define CKT_SUBCKT_NATIVE_H

#include <stddef.h>

#include "circuits/ckt_preflight.h"
#include "circuits/ckt_sim.h"
#include "circuits/ckt_subckt.h"
#include "common/tk_error.h"

#define CKT_SN_FIT_MAX 0.15  /* max |I_EKV / I_card - 1| over the fit */
#define CKT_SN_CMIN_F 1e-19  /* a free net without a capacitor */

typedef struct ckt_sn ckt_sn;

/* Translate s with its ports bound as bind (ctl: the control port, its
 * voltage set per run; out: the recorded output; supply: at vdd_V, its
 * energy counted) and the preflight pf (ngspice's names, the resistors'
 * values, the cards' notes).  vdd_V also sets the extraction's bias
 * range.  TK_EINVAL: an element that does not translate (the message
 * names it, its subcircuit and why, and ends "use --engine ngspice");
 * TK_ESPICE / TK_ENOTFOUND: ngspice could not load or describe it. */
int ckt_sn_open(const ckt_subckt *s, const ckt_preflight *pf,
                const ckt_port_bind *bind, size_t ctl, size_t out,
                size_t supply, double vdd_V, ckt_sn **outp, tk_err *err);
void ckt_sn_free(ckt_sn *n);

/* Extract every device at temp_K (cached: once per temperature and
 * process).  TK_EINVAL: a fit worse than CKT_SN_FIT_MAX (named). */
int ckt_sn_prepare(ckt_sn *n, double temp_K, tk_err *err);

/* One native run at control vctl_V with p (temperature, record, seed,
 * noise); the trace's first node is the output port. */
int ckt_sn_run(ckt_sn *n, double vctl_V, const ckt_sim_params *p,
               ckt_trace *tr, tk_err *err);
/* k runs of ckt_sn_run at once (ckt_native_run_cv_batch: four to a
 * vector, each bit for bit its run alone): controls vctl_V[i], settings
 * p[i] (one temperature; the same but the seed), into tr[i] with rc[i],
 * errs[i]; non-zero when the batch cannot run. */
int ckt_sn_run_batch(ckt_sn *n, const double *vctl_V,
                     const ckt_sim_params *p, size_t k, ckt_trace *tr,
                     int *rc, tk_err *errs, tk_err *err);

/* "m:5,r:0,c:5,v:0": the translated elements by kind (a summary-line
 * value). */
void ckt_sn_describe(const ckt_sn *n, char *buf, size_t size);
/* Free nets (integrated nodes) of the cell. */
size_t ckt_sn_nfree(const ckt_sn *n);
/* The worst max |I_EKV / I_card - 1| of the fits so far. */
double ckt_sn_fit_max(const ckt_sn *n);

#endif
