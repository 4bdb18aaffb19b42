/* ckt_preflight_impl.h -- what the preflight reads from the model cards
 * and instances besides the operating point (ckt_preflight_card.c): the
 * model name on an instance card, the noise a modelled element has and
 * tsukit does not inject (named with its values), and the flicker
 * coefficients of the card.  Private to circuits/ckt_preflight*.c.
 */
#ifndef CKT_PREFLIGHT_IMPL_H
#define CKT_PREFLIGHT_IMPL_H

#include "circuits/ckt_preflight.h"

/* The model name on an instance card (the words after the name). */
void ckt__pf_card_model(const char *card, char kind, char *out, size_t size);

/* Append to e->note (its buffer) the noise of element e (kind) that
 * tsukit does not inject: BSIM4 gate and body resistance networks, the
 * series resistances of D and Q, each with the card's values; nothing when
 * there is none. */
void ckt__pf_partial_note(ckt_session *ses, ckt_pf_elem *e, char kind);

/* Flicker of source x (the main source of an M or D; the base source of
 * a Q) of element e from its card: x->flk_c, flk_af, flk_ef and flk_K at
 * the operating point (x->op[0] the current), or a note on e where the
 * card has flicker noise tsukit does not model.  Only with
 * ckt_pf_params.flicker. */
void ckt__pf_flicker(ckt_session *ses, ckt_pf_elem *e, char kind,
                     ckt_pf_src *x);

/* A diode with a series resistance rs (no trs1/trs2): its short-circuit
 * noise at low frequency, junction shot noise and the resistance's
 * thermal noise seen through the divider (Norton form at the device's
 * terminals, the junction capacitance neglected: f << 1/(2 pi R C_j)),
 *     S = (2q|I_D| + 4kT R g_d^2) / (1 + R g_d)^2,  R = rs / (area m)
 * (ngspice's own .noise counts this 4kT/R area m^2 times over when area
 * or m is not 1: docs/FINDINGS.md),
 * (ckt_diode_rs_psd) sets x->r_ohm, op[1] (g_d), op[2] (R) and the
 * density; 1 if modelled,
 * 0 (with a note when rs > 0) if not. */
int ckt__pf_diode_rs(ckt_session *ses, ckt_pf_elem *e, ckt_pf_src *x,
                     double temp_K);

/* Append "; text" (or text) to e's note. */
void ckt__pf_note(ckt_pf_elem *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
