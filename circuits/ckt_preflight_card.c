/* ckt_preflight_card.c -- model-card quantities of the preflight (see
 * ckt_preflight_impl.h): which model an instance uses, the noise it has
 * that tsukit does not inject, and its flicker coefficients.
 *
 * Flicker, as ngspice's own .noise computes it (src/spicelib/devices/
 * bsim4/b4noi.c, dio/dionoise.c), S = K / f^ef with
 *   M, BSIM4 fnoimod = 0:  K = m kf |I_D / m|^af / (Leff^2 coxe),
 *        Leff = L + xl - 2 lint, coxe = epsrox eps0 / toxe
 *        (ll, lw, lwl != 0 would change Leff: noted, not modelled);
 *   M, BSIM4 fnoimod = 1 (the unified model: noia, noib, noic): not
 *        modelled (noted when noia, noib or noic is non-zero);
 *   D:  K = m kf |I_D / m|^af, ef = 1;
 *   any other element with kf > 0 (Q, a non-BSIM4 MOSFET): noted.
 * I_D is the device vector of the whole instance (m included).
 *
 * Workload: a few parameter queries per element, once per preflight.
 */
#include "circuits/ckt_preflight_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>


#define EPS0_F_PER_M 8.85418e-12   /* BSIM4's own value (b4temp.c) */

void ckt__pf_note(ckt_pf_elem *e, const char *fmt, ...)
{
  size_t len = strlen(e->note_buf);
  if (len > 0 && len + 2 < sizeof e->note_buf) {
    memcpy(e->note_buf + len, "; ", 3);
    len += 2;
  }
  va_list ap;
  va_start(ap, fmt);
  if (len < sizeof e->note_buf)
    vsnprintf(e->note_buf + len, sizeof e->note_buf - len, fmt, ap);
  va_end(ap);
  e->note = e->note_buf;
}

void ckt__pf_card_model(const char *card, char kind, char *out, size_t size)
{
  char w[6][CKT_PF_NAME_MAX];
  size_t n = 0;
  out[0] = '\0';
  for (const char *p = card; *p && n < 6;) {
    while (*p == ' ' || *p == '\t')
      p++;
    size_t len = strcspn(p, " \t");
    if (len == 0)
      break;
    snprintf(w[n], sizeof w[n], "%.*s", (int)len, p);
    n++;
    p += len;
  }
  /* the word after the nodes (D: 2, M: 4, Q: 3 or 4) */
  size_t at = kind == 'd' ? 2 : kind == 'm' ? 4 : kind == 'q' ? 3 : 99;
  if (kind == 'q' && n > 4 && strchr(w[4], '=') == NULL &&
      strchr(w[3], '=') == NULL) {
    /* Q c b e s model, or Q c b e model area: the model is the one
     * ngspice knows */
    at = 4;
  }
  if (at < n && strchr(w[at], '=') == NULL)
    snprintf(out, size, "%s", w[at]);
}

/* A parameter of the instance, else of its model; NaN if ngspice gives
 * neither (a binned model's card, "nch" standing for nch.1, ...). */
static double par(ckt_session *ses, const ckt_pf_elem *e, const char *p)
{
  double v = 0;
  if (ckt_session_param(ses, e->dev, p, &v, NULL) == 0)
    return v;
  if (e->model[0] != '\0' && ckt_session_param(ses, e->model, p, &v, NULL) == 0)
    return v;
  return NAN;
}

/* A value for a note: "%g", or "?" when not readable (buf of 32). */
static const char *val(double v, char *buf)
{
  if (isnan(v))
    return "?";
  snprintf(buf, 32, "%g", v);
  return buf;
}

void ckt__pf_partial_note(ckt_session *ses, ckt_pf_elem *e, char kind)
{
  char b[5][32];
  double v = 0;
  if (kind == 'm') {
    if (ckt_session_param(ses, e->dev, "rgatemod", &v, NULL) == 0 && v != 0)
      ckt__pf_note(e, "rgatemod=%g: thermal noise of the gate electrode "
                   "resistance (rshg %s ohm/sq, ngcon %s) not injected", v,
                   val(par(ses, e, "rshg"), b[0]),
                   val(par(ses, e, "ngcon"), b[1]));
    if (ckt_session_param(ses, e->dev, "rbodymod", &v, NULL) == 0 && v != 0)
      ckt__pf_note(e, "rbodymod=%g: thermal noise of the body resistances "
                   "(rbpb %s, rbpd %s, rbps %s, rbdb %s, rbsb %s ohm) not "
                   "injected", v, val(par(ses, e, "rbpb"), b[0]),
                   val(par(ses, e, "rbpd"), b[1]),
                   val(par(ses, e, "rbps"), b[2]),
                   val(par(ses, e, "rbdb"), b[3]),
                   val(par(ses, e, "rbsb"), b[4]));
    /* source/drain diffusion resistances: rsh nrs, rsh nrd (rdsmod=0),
     * or the bias-dependent rdsw network (rdsmod=1) */
    double rsh = par(ses, e, "rsh"), nrs = par(ses, e, "nrs"),
           nrd = par(ses, e, "nrd"), rdsmod = par(ses, e, "rdsmod");
    if (rsh > 0 && (nrs > 0 || nrd > 0))
      ckt__pf_note(e, "thermal noise of the source/drain resistances (rsh "
                   "%g ohm/sq x nrs %s, nrd %s) not injected", rsh,
                   val(nrs, b[0]), val(nrd, b[1]));
    if (rdsmod > 0)
      ckt__pf_note(e, "rdsmod=%g: thermal noise of the source/drain "
                   "resistance network not injected", rdsmod);
    return;
  }
  if (e->model[0] == '\0')
    return;
  if (kind == 'q') {
    double rb = par(ses, e, "rb"), rc = par(ses, e, "rc"),
           re = par(ses, e, "re");
    if (rb > 0 || rc > 0 || re > 0)
      ckt__pf_note(e, "thermal noise of the series resistances (rb %s, rc "
                   "%s, re %s ohm) not injected", val(rb, b[0]),
                   val(rc, b[1]), val(re, b[2]));
  }
}

/* A model parameter, or NaN when ngspice does not give it. */
static double mpar(ckt_session *ses, const ckt_pf_elem *e, const char *p)
{
  double v = 0;
  if (e->model[0] == '\0' ||
      ckt_session_param(ses, e->model, p, &v, NULL) != 0)
    return NAN;
  return v;
}

void ckt__pf_flicker(ckt_session *ses, ckt_pf_elem *e, char kind,
                     ckt_pf_src *x)
{
  double kf = mpar(ses, e, "kf"), af = mpar(ses, e, "af"), m = 1, c = 0,
         ef = 1;
  if (e->model[0] != '\0' && isnan(kf)) {
    if (kind == 'm' || kind == 'd' || kind == 'q')
      ckt__pf_note(e, "flicker: model %s's kf not readable (a binned "
                   "model?): its 1/f noise not injected", e->model);
    return;
  }
  if (kind == 'm') {
    double fm = mpar(ses, e, "fnoimod");
    if (isnan(fm)) {
      if (kf > 0)
        ckt__pf_note(e, "flicker: kf %g of a non-BSIM4 MOSFET not modelled",
                     kf);
      return;
    }
    if (fm != 0) {
      double a = mpar(ses, e, "noia"), b = mpar(ses, e, "noib"),
             cc = mpar(ses, e, "noic");
      if (a != 0 || b != 0 || cc != 0)
        ckt__pf_note(e, "flicker: BSIM4 fnoimod=1 (unified model, noia %g "
                     "noib %g noic %g) not modelled (fnoimod=0 with kf, "
                     "af, ef is)", a, b, cc);
      return;
    }
    if (!(kf > 0))
      return;
    double ll = mpar(ses, e, "ll"), lw = mpar(ses, e, "lw"),
           lwl = mpar(ses, e, "lwl");
    double l = par(ses, e, "l"), xl = mpar(ses, e, "xl"),
           lint = mpar(ses, e, "lint"), toxe = mpar(ses, e, "toxe"),
           epsrox = mpar(ses, e, "epsrox");
    ef = mpar(ses, e, "ef");
    m = par(ses, e, "m");
    double leff = l + (isnan(xl) ? 0 : xl) - 2 * (isnan(lint) ? 0 : lint);
    double coxe = epsrox * EPS0_F_PER_M / toxe;
    if ((ll != 0 && !isnan(ll)) || (lw != 0 && !isnan(lw)) ||
        (lwl != 0 && !isnan(lwl)) || !(leff > 0) || !(coxe > 0) ||
        !(ef >= 0.5 && ef <= 1.5)) {
      ckt__pf_note(e, "flicker: kf %g with Leff %g m, coxe %g F/m^2, ef %g "
                   "(ll/lw/lwl %g/%g/%g) not modelled (tsukit needs Leff = "
                   "L + xl - 2 lint and ef in [0.5, 1.5])", kf, leff, coxe,
                   ef, ll, lw, lwl);
      return;
    }
    c = kf / (leff * leff * coxe);
  } else if (kind == 'd') {
    if (!(kf > 0))
      return;
    m = par(ses, e, "m");
  } else {
    if (kf > 0)
      ckt__pf_note(e, "flicker: kf %g of this kind not modelled", kf);
    return;
  }
  if (!(m > 0))
    m = 1;
  if (isnan(af))
    af = 1;
  x->flk_c = c > 0 ? c * pow(m, 1 - af) : kf * pow(m, 1 - af);
  x->flk_af = af;
  x->flk_ef = ef;
  x->flk_K = x->flk_c * pow(fabs(x->op[0]), af);
  if (kind == 'd' && x->r_ohm > 0)   /* at the junction: divided */
    x->flk_K /= (1 + x->r_ohm * fabs(x->op[1])) *
                (1 + x->r_ohm * fabs(x->op[1]));
}

int ckt__pf_diode_rs(ckt_session *ses, ckt_pf_elem *e, ckt_pf_src *x,
                     double temp_K)
{
  double rs = mpar(ses, e, "rs"), gd = 0;
  if (!(rs > 0))
    return 0;
  double t1 = mpar(ses, e, "trs1"), t2 = mpar(ses, e, "trs2");
  double area = par(ses, e, "area"), m = par(ses, e, "m");
  if ((t1 != 0 && !isnan(t1)) || (t2 != 0 && !isnan(t2)) ||
      ckt_session_param(ses, e->dev, "gd", &gd, NULL) != 0) {
    char b[2][32];
    ckt__pf_note(e, "thermal noise of the series resistance rs = %g ohm "
                 "(per unit area; trs1 %s, trs2 %s) not injected", rs,
                 val(t1, b[0]), val(t2, b[1]));
    return 0;
  }
  /* ngspice's @d[area] is the instance's area times its m (the total
   * junction area): R = rs / (area m) as its DC solution has it */
  if (!(area > 0))
    area = m > 0 ? m : 1;
  x->r_ohm = rs / area;
  x->op[1] = gd;
  x->op[2] = x->r_ohm;
  x->psd_A2_per_Hz = ckt_diode_rs_psd(x->op[0], gd, x->r_ohm, temp_K);
  return 1;
}
