/* ckt_extract_cv.c -- charge-model parameters from a model card, and the
 * card's own small-signal capacitances at a bias (see ckt_extract.h).
 *
 * Workload: one tiny ngspice .op per call (a device and four sources).
 */
#define _GNU_SOURCE 1  /* asprintf */
#include "circuits/ckt_extract.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/ckt_netlist.h"
#include "physics/phys_const.h"

#define EPS0_F_PER_M 8.8541878128e-12

/* Load (and with op != 0 run an .op of) M1 d g s b at the given bias;
 * the card: a shipped set by name (model), or a designer's (card). */
static int one_device(ckt_session *s, const char *model, const ckt_card *card,
                      phys_mos_type type, double w_m, double l_m,
                      const double v[4], double temp_K, int op, tk_err *err)
{
  const char *const *ml;
  size_t nm;
  const char *dev = type == PHYS_NMOS ? "nch" : "pch";
  if (card != NULL) {
    ml = card->lines;
    nm = card->n;
    dev = card->model;
    if (nm > CKT_CARD_MAX_LINES)
      return TK_FAIL(err, TK_ERANGE, "capacitance extraction: card of %zu "
                     "lines (at most %d)", nm, CKT_CARD_MAX_LINES);
  } else {
    TK_TRY(ckt_model_lines(model, &ml, &nm, err));
    if (nm > 8)
      nm = 8;
  }
  if (!(w_m > 0) || !(l_m > 0) || !(temp_K > 0) || !isfinite(w_m) ||
      !isfinite(l_m) || !isfinite(temp_K))
    return TK_FAIL(err, TK_ERANGE, "capacitance extraction: W, L, T must be > 0");
  for (int i = 0; i < 4; i++)
    if (!isfinite(v[i]))
      return TK_FAIL(err, TK_EINVAL, "capacitance extraction: bad bias");
  char *lines[CKT_CARD_MAX_LINES + 12] = {0};
  size_t n = 0;
  int rc = 0;
  if (asprintf(&lines[n++], "* tsukit capacitance extraction") < 0 ||
      asprintf(&lines[n++], ".options temp=%.6g tnom=%.6g gmin=1e-21",
               temp_K - PHYS_T0_K, PHYS_TNOM_K - PHYS_T0_K) < 0)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; i < nm && rc == 0; i++)
    if (asprintf(&lines[n++], "%s", ml[i]) < 0)
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0 &&
      (asprintf(&lines[n++], "VG g 0 %.9g", v[0]) < 0 ||
       asprintf(&lines[n++], "VD d 0 %.9g", v[1]) < 0 ||
       asprintf(&lines[n++], "VS s 0 %.9g", v[2]) < 0 ||
       asprintf(&lines[n++], "VB b 0 %.9g", v[3]) < 0 ||
       asprintf(&lines[n++], "M1 d g s b %s W=%.6g L=%.6g", dev, w_m,
                l_m) < 0 ||
       asprintf(&lines[n++], "%s", op ? ".op" : "* no analysis") < 0 ||
       asprintf(&lines[n++], ".end") < 0))
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0)
    rc = op ? ckt_session_run(s, (const char *const *)lines, n, NULL, err)
            : ckt_session_load(s, (const char *const *)lines, n, err);
  for (size_t k = 0; k < n; k++)
    free(lines[k]);
  return rc;
}

static int get(ckt_session *s, const char *dev, const char *par, double *v,
               tk_err *err)
{
  if (ckt_session_param(s, dev, par, v, NULL) != 0 || !isfinite(*v))
    return TK_FAIL(err, TK_ENOTFOUND, "model card gives no %s for %s", par, dev);
  return TK_OK;
}

static int extract_cv(ckt_session *s, const char *model, const ckt_card *card,
                      phys_mos_type type, double w_m, double l_m,
                      phys_mos_cv *cv, tk_err *err)
{
  const double v[4] = {0, 0, 0, 0};
  TK_TRY(one_device(s, model, card, type, w_m, l_m, v, PHYS_TNOM_K, 1, err));
  const char *mn = card != NULL ? card->model
                                : type == PHYS_NMOS ? "nch" : "pch";
  if (card != NULL)
    model = card->model;
  double toxe, epsrox, cgso, cgdo, cgbo, cf, dlc, dwc, cjs, cjsws, cjswgs;
  double mjsws, mjswgs, pbsws, pbswgs, as, ad, u0, cgg;
  TK_TRY(get(s, mn, "toxe", &toxe, err));
  TK_TRY(get(s, mn, "epsrox", &epsrox, err));
  TK_TRY(get(s, mn, "cgso", &cgso, err));
  TK_TRY(get(s, mn, "cgdo", &cgdo, err));
  TK_TRY(get(s, mn, "cgbo", &cgbo, err));
  TK_TRY(get(s, mn, "cf", &cf, err));
  TK_TRY(get(s, mn, "dlc", &dlc, err));
  TK_TRY(get(s, mn, "dwc", &dwc, err));
  TK_TRY(get(s, mn, "cjs", &cjs, err));
  TK_TRY(get(s, mn, "cjsws", &cjsws, err));
  TK_TRY(get(s, mn, "cjswgs", &cjswgs, err));
  TK_TRY(get(s, mn, "mjsws", &mjsws, err));
  TK_TRY(get(s, mn, "mjswgs", &mjswgs, err));
  TK_TRY(get(s, mn, "pbsws", &pbsws, err));
  TK_TRY(get(s, mn, "pbswgs", &pbswgs, err));
  TK_TRY(get(s, mn, "u0", &u0, err));
  TK_TRY(get(s, "m1", "cgg", &cgg, err));
  TK_TRY(get(s, "m1", "as", &as, err));
  TK_TRY(get(s, "m1", "ad", &ad, err));
  if (fabs(mjsws - mjswgs) > 1e-9 || fabs(pbsws - pbswgs) > 1e-9)
    return TK_FAIL(err, TK_EINVAL, "card %s: sidewall and gate-edge junction "
                   "gradings/potentials differ (not modelled)", model);
  if (!(toxe > 0) || !(epsrox > 0))
    return TK_FAIL(err, TK_ERANGE, "card %s: toxe %g, epsrox %g", model, toxe,
                   epsrox);
  *cv = phys_mos_cv_default();
  cv->cox_F_per_m2 = epsrox * EPS0_F_PER_M / toxe;
  cv->dl_m = 2.0 * dlc;
  cv->dw_m = 2.0 * dwc;
  cv->kp_cv_A_per_V2 = u0 * cv->cox_F_per_m2;
  /* weak inversion at V_GS = 0: C_gg = C (n_cv - 1)/n_cv */
  double c = cv->cox_F_per_m2 * (w_m - cv->dw_m) * (l_m - cv->dl_m);
  if (!(cgg > 0 && cgg < 0.9 * c))
    return TK_FAIL(err, TK_ENUMERIC, "card %s: C_gg %g F at V_GS = 0 against "
                   "C_ox W L %g F: no weak-inversion depletion charge", model,
                   cgg, c);
  cv->n_cv = 1.0 / (1.0 - cgg / c);
  /* second point, V_GB = 0.2 V: the charge-sheet depletion charge through
   * both.  With a = n - 1 = gamma / (2 sqrt psi) at each point,
   * V_GB - V_FB = gamma^2 h(a), h(a) = 1/(4 a^2) + 1/(2 a). */
  const double v2[4] = {type == PHYS_NMOS ? 0.2 : -0.2, 0, 0, 0};
  double cgb2;
  TK_TRY(one_device(s, model, card, type, w_m, l_m, v2, PHYS_TNOM_K, 1, err));
  TK_TRY(get(s, "m1", "cgb", &cgb2, err));
  double a1 = cv->n_cv - 1.0, a2 = 1.0 / (1.0 + cgb2 / c) - 1.0;
  double h1 = 0.25 / (a1 * a1) + 0.5 / a1, h2 = 0.25 / (a2 * a2) + 0.5 / a2;
  if (!(a2 > 0 && a2 < a1 && h2 > h1))
    return TK_FAIL(err, TK_ENUMERIC, "card %s: depletion capacitance does not "
                   "fall with V_GB (C_gb %g, %g F)", model, cgg, -cgb2);
  double g2 = 0.2 / (h2 - h1);
  cv->gamma_sqrtV = sqrt(g2);
  cv->vfb_V = -g2 * h1;
  cv->cgso_F_per_m = cgso + cf;
  cv->cgdo_F_per_m = cgdo + cf;
  cv->cgbo_F_per_m = cgbo;
  cv->cj_F_per_m2 = cjs;
  cv->cjsw_F_per_m = cjsws + cjswgs;
  cv->pb_V = pbsws;
  cv->mj = mjsws;   /* bottom areas are 0 for the cells; see header */
  cv->mjsw = mjsws;
  cv->as_m2 = as;
  cv->ad_m2 = ad;
  cv->ps_m = w_m;
  cv->pd_m = w_m;
  return phys_mos_cv_check(cv, err);
}

int ckt_extract_cv(ckt_session *s, const char *model, phys_mos_type type,
                   double w_m, double l_m, phys_mos_cv *cv, tk_err *err)
{
  return extract_cv(s, model, NULL, type, w_m, l_m, cv, err);
}

int ckt_extract_cv_card(ckt_session *s, const ckt_card *card,
                        phys_mos_type type, double w_m, double l_m,
                        phys_mos_cv *cv, tk_err *err)
{
  if (card == NULL || card->model == NULL)
    return TK_FAIL(err, TK_EINVAL, "capacitance extraction: no card");
  return extract_cv(s, NULL, card, type, w_m, l_m, cv, err);
}

int ckt_extract_op_caps(ckt_session *s, const char *model, phys_mos_type type,
                        double w_m, double l_m, double vg_V, double vd_V,
                        double vs_V, double vb_V, double temp_K,
                        ckt_op_caps *out, tk_err *err)
{
  const double v[4] = {vg_V, vd_V, vs_V, vb_V};
  TK_TRY(one_device(s, model, NULL, type, w_m, l_m, v, temp_K, 1, err));
  static const char *const names[] = {"cgg", "cgd", "cgs", "cgb", "cdg",
                                      "cdd", "cds", "cdb", "csg", "csd",
                                      "css", "csb", "capbd", "capbs"};
  double *dst[] = {&out->cgg, &out->cgd, &out->cgs, &out->cgb, &out->cdg,
                   &out->cdd, &out->cds, &out->cdb, &out->csg, &out->csd,
                   &out->css, &out->csb, &out->capbd, &out->capbs};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    TK_TRY(get(s, "m1", names[i], dst[i], err));
  return TK_OK;
}
