/* ckt_preflight.h -- a designer's subcircuit checked before any
 * transient: loaded in ngspice, every element found among ngspice's own
 * instances, every noise source matched to its device, the DC operating
 * point solved, and each noisy element's density there tabulated; then
 * the noisy transient with those names (ckt_preflight_trace).
 *
 * Workload: one netlist load and one operating point (milliseconds to a
 * second) per preflight; one per characterisation, before the sweep.
 *
 * Names from ngspice.  ngspice names an instance after the expansion of
 * every subcircuit ("m.x_tk.m.xi1.mp" for MP of a definition nested in
 * the one instantiated as X_TK, "r.x_tk.x1.r2" for a top-level one); the
 * preflight reads that list (`listing expand`), reduces each name to its
 * instance path (the per-level type letters dropped) and matches it to
 * the elements and noise sources tsukit read from the file, both ways:
 * an element ngspice did not instantiate, or an instance tsukit did not
 * read, fails here naming it.  The transient then uses ngspice's names.
 *
 * Noise per element (the table in README):
 *   R  4kT G at the simulation temperature, G = m / (R (1 + tc1 dT +
 *      tc2 dT^2)) (tce: 1.01^(tce dT)); noisy=0: none
 *   D  shot 2q|I_D|; with rs: (2q|I_D| + 4kT R g_d^2) / (1 + R g_d)^2,
 *      R = rs / (area m) (ckt_diode_rs_psd)
 *   Q  shot 2q|I_C| (c-e) and 2q|I_B| (b-e)
 *   M  channel: charge-based thermal noise (ckt_mos_charge_psd) from
 *      I_D, gm, g_ds, gmbs, V_DS, or the two-flux 2q(I_F + I_R) of
 *      tsukit <= 1 (ckt_pf_params.mos_twoflux); gate tunnelling shot
 *      noise 2q|Igs + Igcs| (g-s), 2q|Igd + Igcd| (g-d), 2q|Igb| (g-b)
 *      when the card's igcmod / igbmod give a gate current
 *   C L K V I B E F G H T: noiseless by definition
 *   anything else (J Z O U S W A N P Y ...): not modelled
 * Not modelled in a modelled element (a note naming it with the card's
 * values, "partial"): the thermal noise of BSIM4's gate (rgatemod), body
 * (rbodymod) and source/drain (rsh nrs/nrd, rdsmod) resistances, of the
 * series resistances of Q (rb, rc, re) and of a D's rs with trs1/trs2
 * (ckt_preflight_card.c).  --strict refuses unmodelled and partial
 * elements; otherwise they are listed (ckt_preflight_quiet, _warn).
 * Flicker (1/f) noise only with ckt_pf_params.flicker: BSIM4 fnoimod=0
 * MOSFETs and diodes from their kf, af, ef (ckt_pf_src.flk_*, injected as
 * circuits/ckt_flicker.h describes); fnoimod=1 and any other kf noted.
 */
#ifndef CKT_PREFLIGHT_H
#define CKT_PREFLIGHT_H

#include <stdio.h>

#include "circuits/ckt_session.h"
#include "circuits/ckt_sim.h"
#include "circuits/ckt_subckt.h"

#define CKT_PF_NAME_MAX 256   /* ngspice instance names (bytes) */

typedef enum {
  CKT_EL_NOISY = 0,     /* noise injected */
  CKT_EL_NOISELESS,     /* noiseless by definition */
  CKT_EL_OFF,           /* a resistor with noisy=0 */
  CKT_EL_UNMODELLED     /* has physical noise tsukit does not inject */
} ckt_el_status;

typedef struct ckt_pf_elem {
  size_t inst;                   /* ckt_subckt_inst_at index */
  char dev[CKT_PF_NAME_MAX];     /* ngspice's name */
  char model[CKT_PF_NAME_MAX];   /* D, Q, M: its model as ngspice names it
                                    ("nfet", "x1:dy"), else "" */
  ckt_el_status status;          /* see above */
  const char *note;              /* partial modelling (what is missing,
                                    with the card's values: note_buf), or
                                    NULL */
  char note_buf[512];            /* the note's text */
} ckt_pf_elem;

typedef struct ckt_pf_src {
  size_t inst;                   /* the element instance */
  ckt_src_type type;             /* which of its sources */
  char src[CKT_PF_NAME_MAX];     /* ngspice name of the EXTERNAL source */
  int on;                        /* 1: in the transient's netlist */
  double op[5];                  /* operating point: M channel I_D, gm,
                                    g_ds, gmbs, V_DS; gate, D, Q: the
                                    current(s); R: G (S) */
  double psd_A2_per_Hz;          /* density at the operating point */
  double r_ohm, m, tc1, tc2, tce, dtemp_K; /* R: for G at any temperature;
                                    D: r_ohm its series resistance rs /
                                    (area m), 0: none */
  double flk_c, flk_af, flk_ef;  /* flicker (ckt_pf_params.flicker): K =
                                    flk_c |op[0]|^flk_af, density K/f^ef;
                                    flk_c 0: none */
  double flk_K;                  /* K at the operating point */
  double src_m;                  /* the m ngspice gave the source itself
                                    (an enclosing X's m=): its current is
                                    multiplied by it, its density divided
                                    by src_m^2 */
} ckt_pf_src;

typedef struct ckt_pf_params {
  int mos_twoflux;   /* 1: MOSFET channels 2q(I_F + I_R) as tsukit <= 1 */
  int strict;        /* 1: unmodelled or partial elements are an error */
  int flicker;       /* 1: flicker (1/f) noise from the cards' kf, af, ef
                        (M: BSIM4 fnoimod=0; D), circuits/ckt_flicker.h */
} ckt_pf_params;

ckt_pf_params ckt_pf_default_params(void);   /* charge-based, not strict */

typedef struct ckt_preflight ckt_preflight;

/* Load s with bind at p (temperature; the noise is always on here), match
 * ngspice's instances, solve the operating point, tabulate.  TK_ESPICE:
 * ngspice cannot load the netlist or find the operating point;
 * TK_ENOTFOUND: an element or source without its ngspice instance (or the
 * reverse), a device value ngspice does not give; TK_EINVAL with strict:
 * an unmodelled element (named).  Opens and closes its own session. */
int ckt_preflight_run(const ckt_subckt *s, const ckt_port_bind *bind,
                      const ckt_sim_params *p, const ckt_pf_params *pp,
                      ckt_preflight **out, tk_err *err);
void ckt_preflight_free(ckt_preflight *pf);

size_t ckt_preflight_nelem(const ckt_preflight *pf);
const ckt_pf_elem *ckt_preflight_elem(const ckt_preflight *pf, size_t i);
size_t ckt_preflight_nsrc(const ckt_preflight *pf);
const ckt_pf_src *ckt_preflight_src(const ckt_preflight *pf, size_t k);
/* Elements with status st (CKT_EL_UNMODELLED counts the partial ones
 * too). */
size_t ckt_preflight_count(const ckt_preflight *pf, ckt_el_status st);

/* The elements of status st by kind, "m:9,r:1" or "none" (a summary-line
 * value); their number. */
size_t ckt_preflight_kinds(const ckt_preflight *pf, ckt_el_status st,
                           char *buf, size_t size);
/* "noisy=m:9,r:1 noiseless=c:5 unmodelled=none" (kinds by letter; "off="
 * resistors with noisy=0 when there are some; a partial element counts as
 * noisy and as unmodelled), the summary-line and provenance form. */
void ckt_preflight_summary(const ckt_preflight *pf, char *buf, size_t size);
/* Every element that gets no noise or only part of it, with why:
 * "cload(noiseless) rquiet(noisy=0) j1(not modelled) mg(partial)", or
 * "none" (the provenance form). */
void ckt_preflight_quiet(const ckt_preflight *pf, char *buf, size_t size);
/* One "PREFIX: warning: element ... " line per unmodelled or partial
 * element (prefix NULL: none); their number. */
int ckt_preflight_warn(const ckt_preflight *pf, const char *prefix, FILE *f);
/* The table: one line per element (path, kind, ngspice name, status,
 * operating point and density of each source). */
void ckt_preflight_print(const ckt_preflight *pf, FILE *f);

/* The noisy transient of s with bind at p (p->noise as given), the
 * sources and names of pf; rs gives the recorded nodes and supplies (its
 * nl, mos_dev and psd0 are ignored). */
int ckt_preflight_trace(const ckt_preflight *pf, ckt_session *ses,
                        const ckt_port_bind *bind, const ckt_sim_params *p,
                        const ckt_run_spec *rs, ckt_trace *tr, tk_err *err);

#endif
