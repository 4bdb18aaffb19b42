/* ckt_preflight.c -- a designer's subcircuit checked before any transient
 * (see ckt_preflight.h).
 *
 * Workload: tens to thousands of instances; name matching is a linear
 * scan per element (quadratic, milliseconds at a thousand).
 */
#define _GNU_SOURCE 1  /* asprintf */
#include "circuits/ckt_preflight.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "circuits/ckt_names_impl.h"
#include "circuits/ckt_preflight_impl.h"
#include "physics/phys_const.h"

struct ckt_preflight {
  const ckt_subckt *s;   /* the subcircuit (outlives this) */
  ckt_pf_params pp;      /* how it was run */
  ckt_pf_elem *el;       /* [nel] one per ckt_subckt_inst */
  size_t nel;            /* their number */
  ckt_pf_src *src;       /* [nsrc] every candidate source */
  size_t nsrc;           /* their number */
  unsigned char *on;     /* [nel * CKT_SRC_N] the transient's plan */
};

ckt_pf_params ckt_pf_default_params(void)
{
  ckt_pf_params pp = {0, 0, 0};
  return pp;
}

/* What tsukit does with an element, by its letter (a table, not a
 * switch): 'n' noisy (modelled), '0' noiseless, 'u' not modelled. */
static char kind_class(char k)
{
  static const char *const noisy = "rdqm", *const quiet = "clkvibefght";
  if (strchr(noisy, k) != NULL)
    return 'n';
  if (strchr(quiet, k) != NULL)
    return '0';
  return 'u';
}

void ckt_preflight_free(ckt_preflight *pf)
{
  if (pf == NULL)
    return;
  free(pf->el);
  free(pf->src);
  free(pf->on);
  free(pf);
}

size_t ckt_preflight_nelem(const ckt_preflight *pf) { return pf->nel; }
const ckt_pf_elem *ckt_preflight_elem(const ckt_preflight *pf, size_t i)
{
  return i < pf->nel ? &pf->el[i] : NULL;
}
size_t ckt_preflight_nsrc(const ckt_preflight *pf) { return pf->nsrc; }
const ckt_pf_src *ckt_preflight_src(const ckt_preflight *pf, size_t k)
{
  return k < pf->nsrc ? &pf->src[k] : NULL;
}

size_t ckt_preflight_count(const ckt_preflight *pf, ckt_el_status st)
{
  size_t n = 0;
  for (size_t i = 0; i < pf->nel; i++)
    n += pf->el[i].status == st ||
         (st == CKT_EL_UNMODELLED && pf->el[i].note != NULL);
  return n;
}

/* Resistor conductance at temp_K (ngspice's temperature dependence). */
static double res_g(const ckt_pf_src *x, double temp_K)
{
  double dt = temp_K + x->dtemp_K - PHYS_TNOM_K;
  double f = x->tce != 0 ? pow(1.01, x->tce * dt)
                         : 1.0 + x->tc1 * dt + x->tc2 * dt * dt;
  return x->m / (x->r_ohm * f);
}

static int q(ckt_session *ses, const char *dev, const char *par, double *v,
             tk_err *err)
{
  return ckt_session_param(ses, dev, par, v, err);
}

/* Operating point and density of source x of device dev. */
static int source_op(ckt_session *ses, const char *dev, char kind,
                     ckt_pf_src *x, const ckt_sim_params *p,
                     const ckt_pf_params *pp, tk_err *err)
{
  static const char *const mos[] = {"id", "gm", "gds", "gmbs", "vds"};
  double a = 0, b = 0, c = 0;
  switch (kind == 'm' ? (int)x->type + 10 : kind) {
  case 10:   /* MOSFET channel */
    for (int i = 0; i < 5; i++)
      if (q(ses, dev, mos[i], &x->op[i], NULL) != 0)
        return TK_FAIL(err, TK_ENOTFOUND, "MOSFET %s: its model gives no "
                       "'%s' (tsukit needs id, gm, gds, gmbs, vds for its "
                       "channel noise)", dev, mos[i]);
    x->psd_A2_per_Hz =
        pp->mos_twoflux ? ckt_mos_noise_psd(x->op[0], x->op[2], p->temp_K)
                        : ckt_mos_charge_psd(x->op[0], x->op[1], x->op[2],
                                             x->op[3], x->op[4], p->temp_K);
    break;
  case 10 + CKT_SRC_GS:
  case 10 + CKT_SRC_GD:
  case 10 + CKT_SRC_GB:
    /* a model without gate currents (not BSIM4) has no tunnelling */
    if (q(ses, dev, x->type == CKT_SRC_GS   ? "igs"
                    : x->type == CKT_SRC_GD ? "igd"
                                            : "igb",
          &a, NULL) != 0)
      a = 0;
    if (x->type != CKT_SRC_GB &&
        q(ses, dev, x->type == CKT_SRC_GS ? "igcs" : "igcd", &b, NULL) != 0)
      b = 0;
    x->op[0] = a + b;
    x->psd_A2_per_Hz = 2 * PHYS_Q_C * fabs(a + b);
    break;
  case 'r':
    TK_TRY(q(ses, dev, "resistance", &x->r_ohm, err));
    TK_TRY(q(ses, dev, "m", &x->m, err));
    TK_TRY(q(ses, dev, "noisy", &c, err));
    if (q(ses, dev, "tc1", &x->tc1, NULL) != 0)
      x->tc1 = 0;
    if (q(ses, dev, "tc2", &x->tc2, NULL) != 0)
      x->tc2 = 0;
    if (q(ses, dev, "tce", &x->tce, NULL) != 0)
      x->tce = 0;
    if (q(ses, dev, "dtemp", &x->dtemp_K, NULL) != 0)
      x->dtemp_K = 0;
    if (!(x->r_ohm > 0) || !(x->m > 0))
      return TK_FAIL(err, TK_EINVAL, "resistor %s: R %g ohm, m %g: no "
                     "thermal noise defined", dev, x->r_ohm, x->m);
    x->op[0] = res_g(x, p->temp_K);
    x->psd_A2_per_Hz = c == 0 ? 0.0
                              : 4 * phys_kt_J(p->temp_K + x->dtemp_K) *
                                    x->op[0];
    x->on = c != 0;
    break;
  case 'd':
    TK_TRY(q(ses, dev, "id", &a, err));
    x->op[0] = a;
    x->psd_A2_per_Hz = 2 * PHYS_Q_C * fabs(a);
    break;
  case 'q':
    TK_TRY(q(ses, dev, x->type == CKT_SRC_MAIN ? "ic" : "ib", &a, err));
    x->op[0] = a;
    x->psd_A2_per_Hz = 2 * PHYS_Q_C * fabs(a);
    break;
  default:
    return TK_FAIL(err, TK_EINVAL, "%s: no noise source of this kind", dev);
  }
  if (!isfinite(x->psd_A2_per_Hz))
    return TK_FAIL(err, TK_ERANGE, "%s: noise density not finite at the "
                   "operating point", dev);
  return TK_OK;
}

static int match_and_op(ckt_preflight *pf, ckt_session *ses,
                        const ckt_subckt_src *cs, size_t ncs,
                        const ckt_sim_params *p, tk_err *err)
{
  const ckt_subckt *s = pf->s;
  ckt__names nm;
  TK_TRY(ckt__names_load(ses, &nm, err));
  int rc = 0;
  for (size_t i = 0; i < pf->nel && rc == 0; i++) {
    const ckt_subckt_inst *in = ckt_subckt_inst_at(s, i);
    char want[CKT_PF_NAME_MAX];
    snprintf(want, sizeof want, "x_tk.%s", in->path);
    int j = ckt__names_find(&nm, want);
    if (j < 0) {
      rc = TK_FAIL(err, TK_ENOTFOUND, "element %s (in subcircuit %s) is not "
                   "among the devices ngspice instantiated", in->path,
                   in->def);
      break;
    }
    snprintf(pf->el[i].dev, sizeof pf->el[i].dev, "%s", nm.name[j]);
    ckt__pf_card_model(nm.card[j], in->kind, pf->el[i].model, sizeof pf->el[i].model);
  }
  for (size_t k = 0; k < ncs && rc == 0; k++) {
    int j = ckt__names_find(&nm, cs[k].path);
    if (j < 0) {
      rc = TK_FAIL(err, TK_ENOTFOUND, "noise source %s of %s is not among "
                   "ngspice's instances", cs[k].path,
                   ckt_subckt_inst_at(s, cs[k].inst)->path);
      break;
    }
    snprintf(pf->src[k].src, sizeof pf->src[k].src, "%s", nm.name[j]);
  }
  for (size_t j = 0; j < nm.n && rc == 0; j++)
    if (!nm.used[j] && strncmp(nm.norm[j], "x_tk.", 5) == 0)
      rc = TK_FAIL(err, TK_ENOTFOUND, "ngspice instantiated %s, which tsukit "
                   "did not read in the subcircuit (its noise would be "
                   "missing)", nm.name[j]);
  if (rc == 0)
    rc = ckt_session_command(ses, "op", err);
  if (rc != 0 && err != NULL && strstr(err->msg, "'op'") != NULL) {
    char m[TK_ERR_MSG_MAX];
    snprintf(m, sizeof m, "%s", err->msg);
    snprintf(err->msg, sizeof err->msg, "DC operating point: %.400s", m);
  }
  for (size_t k = 0; k < ncs && rc == 0; k++) {
    ckt_pf_src *x = &pf->src[k];
    const ckt_subckt_inst *in = ckt_subckt_inst_at(s, x->inst);
    x->on = 1;
    if (ckt_session_param(ses, x->src, "m", &x->src_m, NULL) != 0 ||
        !(x->src_m > 0))
      x->src_m = 1;
    rc = source_op(ses, pf->el[x->inst].dev, in->kind, x, p, &pf->pp, err);
  }
  /* the plan: a resistor with noisy=0 off; gate sources only where the
   * card gives a gate current */
  for (size_t k = 0; k < ncs && rc == 0; k++) {
    ckt_pf_src *x = &pf->src[k];
    if (x->type >= CKT_SRC_GS && x->op[0] == 0)
      x->on = 0;
    if (ckt_subckt_inst_at(s, x->inst)->kind == 'r' && !x->on)
      pf->el[x->inst].status = CKT_EL_OFF;
    pf->on[x->inst * CKT_SRC_N + x->type] = (unsigned char)x->on;
  }
  for (size_t i = 0; i < pf->nel && rc == 0; i++)
    ckt__pf_partial_note(ses, &pf->el[i], ckt_subckt_inst_at(s, i)->kind);
  /* a diode's series resistance rs: its thermal noise with the junction's
   * shot noise, through the divider (ckt__pf_diode_rs) */
  for (size_t k = 0; k < ncs && rc == 0; k++) {
    ckt_pf_src *x = &pf->src[k];
    if (ckt_subckt_inst_at(s, x->inst)->kind == 'd' && x->type == CKT_SRC_MAIN)
      ckt__pf_diode_rs(ses, &pf->el[x->inst], x, p->temp_K);
  }
  /* flicker (1/f) from the cards (--flicker): the main source of a D or M
   * (Q: noted) */
  for (size_t k = 0; k < ncs && rc == 0 && pf->pp.flicker; k++) {
    ckt_pf_src *x = &pf->src[k];
    char kind = ckt_subckt_inst_at(s, x->inst)->kind;
    if (x->on && x->type == CKT_SRC_MAIN && strchr("mdq", kind) != NULL)
      ckt__pf_flicker(ses, &pf->el[x->inst], kind, x);
  }
  ckt__names_free(&nm);
  return rc;
}

int ckt_preflight_run(const ckt_subckt *s, const ckt_port_bind *bind,
                      const ckt_sim_params *p, const ckt_pf_params *pp,
                      ckt_preflight **out, tk_err *err)
{
  *out = NULL;
  if (s == NULL || bind == NULL || p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no subcircuit, ports or parameters");
  ckt_preflight *pf = calloc(1, sizeof *pf);
  size_t ni = ckt_subckt_ninst(s);
  if (pf == NULL || (pf->el = calloc(ni + 1, sizeof *pf->el)) == NULL ||
      (pf->on = calloc((ni + 1) * CKT_SRC_N, 1)) == NULL) {
    ckt_preflight_free(pf);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  pf->s = s;
  pf->pp = pp ? *pp : ckt_pf_default_params();
  pf->nel = ni;
  for (size_t i = 0; i < ni; i++) {
    const ckt_subckt_inst *in = ckt_subckt_inst_at(s, i);
    char c = kind_class(in->kind);
    pf->el[i].inst = i;
    pf->el[i].status = c == 'n'   ? CKT_EL_NOISY
                       : c == '0' ? CKT_EL_NOISELESS
                                  : CKT_EL_UNMODELLED;
    for (int t = 0; t < CKT_SRC_N; t++)
      pf->on[i * CKT_SRC_N + t] =
          (unsigned char)ckt_subckt_can_source(in->kind, (ckt_src_type)t);
  }
  ckt_sim_params pn = *p;
  pn.noise = 1;
  ckt_netlist nl;
  ckt_subckt_src *cs = NULL;
  size_t ncs = 0;
  ckt_session *ses = NULL;
  int rc = ckt_subckt_netlist_plan(s, bind, &pn, pf->on, NULL, &nl, &cs, &ncs,
                                   err);
  if (rc == 0 && (pf->src = calloc(ncs + 1, sizeof *pf->src)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0) {
    pf->nsrc = ncs;
    for (size_t k = 0; k < ncs; k++) {
      pf->src[k].inst = cs[k].inst;
      pf->src[k].type = cs[k].type;
    }
    rc = ckt_session_open(&ses, err);
  }
  if (rc == 0)
    rc = ckt_session_load(ses, (const char *const *)nl.lines, nl.n, err);
  if (rc == 0)
    rc = match_and_op(pf, ses, cs, ncs, p, err);
  ckt_session_close(ses);
  ckt_netlist_clear(&nl);
  free(cs);
  if (rc == 0 && pf->pp.strict) {
    for (size_t i = 0; i < pf->nel && rc == 0; i++)
      if (pf->el[i].status == CKT_EL_UNMODELLED || pf->el[i].note != NULL)
        rc = TK_FAIL(err, TK_EINVAL, "--strict: element %s (%s): %s",
                     ckt_subckt_inst_at(s, i)->path, pf->el[i].dev,
                     pf->el[i].note ? pf->el[i].note
                                    : "tsukit cannot model its noise");
  }
  if (rc != 0) {
    ckt_preflight_free(pf);
    return rc;
  }
  *out = pf;
  return TK_OK;
}

static const char *status_name(ckt_el_status st)
{
  static const char *const n[] = {"noisy", "noiseless", "noisy=0",
                                  "NOT MODELLED"};
  return n[st];
}

size_t ckt_preflight_kinds(const ckt_preflight *pf, ckt_el_status st,
                           char *buf, size_t size)
{
  size_t cnt[26] = {0}, n = 0, len = 0;
  for (size_t i = 0; i < pf->nel; i++) {
    int hit = pf->el[i].status == st ||
              (st == CKT_EL_UNMODELLED && pf->el[i].note != NULL);
    char k = ckt_subckt_inst_at(pf->s, i)->kind;
    if (hit && k >= 'a' && k <= 'z') {
      cnt[k - 'a']++;
      n++;
    }
  }
  buf[0] = '\0';
  for (int k = 0; k < 26; k++)
    if (cnt[k])
      len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
                              "%s%c:%zu", len ? "," : "", 'a' + k, cnt[k]);
  if (n == 0)
    snprintf(buf, size, "none");
  return n;
}

void ckt_preflight_summary(const ckt_preflight *pf, char *buf, size_t size)
{
  static const char *const key[] = {"noisy", "noiseless", "off",
                                    "unmodelled"};
  size_t len = 0;
  buf[0] = '\0';
  for (int st = 0; st < 4; st++) {
    char kinds[256];
    if (ckt_preflight_kinds(pf, (ckt_el_status)st, kinds, sizeof kinds) == 0 &&
        st == CKT_EL_OFF)
      continue;
    len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
                            "%s%s=%s", st ? " " : "", key[st], kinds);
  }
}

void ckt_preflight_quiet(const ckt_preflight *pf, char *buf, size_t size)
{
  static const char *const why[] = {"", "noiseless", "noisy=0",
                                    "not modelled"};
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < pf->nel; i++) {
    const ckt_pf_elem *e = &pf->el[i];
    if (e->status == CKT_EL_NOISY && e->note == NULL)
      continue;
    len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
                            "%s%s(%s)", len ? " " : "",
                            ckt_subckt_inst_at(pf->s, i)->path,
                            e->status == CKT_EL_NOISY ? "partial"
                                                      : why[e->status]);
  }
  if (len == 0)
    snprintf(buf, size, "none");
}

int ckt_preflight_warn(const ckt_preflight *pf, const char *prefix, FILE *f)
{
  int n = 0;
  for (size_t i = 0; i < pf->nel; i++) {
    const ckt_pf_elem *e = &pf->el[i];
    if (e->status != CKT_EL_UNMODELLED && e->note == NULL)
      continue;
    fprintf(f, "%s%swarning: element %s (%s): %s (--strict refuses)\n",
            prefix ? prefix : "", prefix ? ": " : "",
            ckt_subckt_inst_at(pf->s, i)->path, e->dev,
            e->note ? e->note
                    : "tsukit cannot model its noise; it gets none");
    n++;
  }
  return n;
}

void ckt_preflight_print(const ckt_preflight *pf, FILE *f)
{
  static const char *const what[] = {"main", "base", "gate-s", "gate-d",
                                     "gate-b"};
  fprintf(f, "# %-20s %-4s %-28s %-12s %-8s %-12s %s\n", "element", "kind",
          "ngspice", "status", "source", "psd_A2/Hz", "operating point");
  for (size_t i = 0; i < pf->nel; i++) {
    const ckt_subckt_inst *in = ckt_subckt_inst_at(pf->s, i);
    int printed = 0;
    for (size_t k = 0; k < pf->nsrc; k++) {
      const ckt_pf_src *x = &pf->src[k];
      if (x->inst != i || (!x->on && x->type >= CKT_SRC_GS))
        continue;
      fprintf(f, "  %-20s %-4c %-28s %-12s %-8s %-12.4g", in->path, in->kind,
              pf->el[i].dev, status_name(pf->el[i].status), what[x->type],
              x->psd_A2_per_Hz);
      if (in->kind == 'm' && x->type == CKT_SRC_MAIN)
        fprintf(f, " I_D=%.4g A gm=%.4g S gds=%.4g S gmbs=%.4g S V_DS=%.4g V",
                x->op[0], x->op[1], x->op[2], x->op[3], x->op[4]);
      else if (in->kind == 'd' && x->r_ohm > 0)
        fprintf(f, " I=%.4g A g_d=%.4g S rs=%.4g ohm", x->op[0], x->op[1],
                x->op[2]);
      else if (in->kind == 'r')
        fprintf(f, " G=%.4g S (R=%.4g ohm, m=%g)", x->op[0], x->r_ohm, x->m);
      else
        fprintf(f, " I=%.4g A", x->op[0]);
      if (x->flk_c > 0)
        fprintf(f, " flicker=%.4g/f^%g A2/Hz", x->flk_K, x->flk_ef);
      fputc('\n', f);
      printed = 1;
    }
    if (!printed)
      fprintf(f, "  %-20s %-4c %-28s %-12s\n", in->path, in->kind,
              pf->el[i].dev, status_name(pf->el[i].status));
    if (pf->el[i].note != NULL)
      fprintf(f, "  %-20s note: %s\n", in->path, pf->el[i].note);
  }
}

/* The device parameters source x's density follows (ckt_noise_dev.vec
 * order); their number, 0 for a fixed density. */
static size_t src_params(const ckt_preflight *pf, const ckt_pf_src *x,
                         const char **par)
{
  static const char *const mos5[] = {"id", "gm", "gds", "gmbs", "vds"};
  char kind = ckt_subckt_inst_at(pf->s, x->inst)->kind;
  if (kind == 'm' && x->type == CKT_SRC_MAIN) {
    if (pf->pp.mos_twoflux) {
      par[0] = "id";
      par[1] = "gds";
      return 2;
    }
    for (size_t j = 0; j < 5; j++)
      par[j] = mos5[j];
    return 5;
  }
  switch (kind == 'm' ? (int)x->type + 10 : kind) {
  case 10 + CKT_SRC_GS: par[0] = "igs"; par[1] = "igcs"; return 2;
  case 10 + CKT_SRC_GD: par[0] = "igd"; par[1] = "igcd"; return 2;
  case 10 + CKT_SRC_GB: par[0] = "igb"; return 1;
  case 'd':
    par[0] = "id";
    par[1] = "gd";
    return x->r_ohm > 0 ? 2 : 1;   /* with rs: I_D and g_d */
  case 'q': par[0] = x->type == CKT_SRC_MAIN ? "ic" : "ib"; return 1;
  default: return 0;   /* a resistor: 4kT G */
  }
}

int ckt_preflight_trace(const ckt_preflight *pf, ckt_session *ses,
                        const ckt_port_bind *bind, const ckt_sim_params *p,
                        const ckt_run_spec *rs, ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  size_t ns = pf->nsrc;
  char **vec = calloc(ns * CKT_NZ_VEC_MAX + 1, sizeof *vec);
  size_t *vfirst = calloc(ns + 1, sizeof *vfirst);
  size_t *vcount = calloc(ns + 1, sizeof *vcount);
  ckt_noise_dev *devs = calloc(ns + 1, sizeof *devs);
  char *save = NULL;
  size_t save_len = 16, nvec = 0;
  ckt_netlist nl;
  memset(&nl, 0, sizeof nl);
  ckt_subckt_src *cs = NULL;
  size_t ncs = 0;
  int rc = vec == NULL || vfirst == NULL || vcount == NULL || devs == NULL
               ? TK_FAIL(err, TK_ENOMEM, "out of memory")
               : TK_OK;
  /* the device vectors of every source that is on, saved */
  for (size_t j = 0; j < ns && rc == 0; j++) {
    const ckt_pf_src *x = &pf->src[j];
    const char *par[CKT_NZ_VEC_MAX] = {NULL};
    size_t np = x->on ? src_params(pf, x, par) : 0;
    vfirst[j] = nvec;
    vcount[j] = np;
    for (size_t v = 0; v < np && rc == 0; v++) {
      if (asprintf(&vec[nvec], "@%s[%s]", pf->el[x->inst].dev, par[v]) < 0) {
        vec[nvec] = NULL;
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
        break;
      }
      save_len += strlen(vec[nvec]) + 1;
      nvec++;
    }
  }
  if (rc == 0 && (save = malloc(save_len)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0) {
    char *w = save + sprintf(save, ".save all");
    for (size_t v = 0; v < nvec; v++)
      w += sprintf(w, " %s", vec[v]);
    rc = ckt_subckt_netlist_plan(pf->s, bind, p, pf->on,
                                 p->noise ? save : NULL, &nl, &cs, &ncs, err);
  }
  /* the netlist's sources (a subsequence of the preflight's), named as
   * ngspice named them, with their devices' vectors; a source the netlist
   * has for another instance of its element but that is off here (no gate
   * current, noisy=0) stays silent */
  for (size_t k = 0, j = 0; k < ncs && rc == 0; k++, j++) {
    while (j < ns && (pf->src[j].inst != cs[k].inst ||
                      pf->src[j].type != cs[k].type))
      j++;
    if (j == ns) {
      rc = TK_FAIL(err, TK_ENOTFOUND, "noise source %s has no preflight entry",
                   cs[k].path);
      break;
    }
    const ckt_pf_src *x = &pf->src[j];
    char kind = ckt_subckt_inst_at(pf->s, x->inst)->kind;
    ckt_noise_dev *d = &devs[k];
    rc = ckt_netlist_add_source(&nl, x->src, (int)k, err);
    d->gain = 1.0 / (x->src_m * x->src_m);
    d->model = CKT_NZ_FIXED;
    d->psd_A2_per_Hz = 0;   /* slot 0 is noiseless anyway */
    if (!x->on)
      continue;
    if (kind == 'r') {
      d->psd_A2_per_Hz =
          4 * phys_kt_J(p->temp_K + x->dtemp_K) * res_g(x, p->temp_K);
      continue;
    }
    d->model = kind == 'd' && x->r_ohm > 0           ? CKT_NZ_DIODE_RS
               : kind != 'm' || x->type != CKT_SRC_MAIN ? CKT_NZ_SHOT
               : pf->pp.mos_twoflux                  ? CKT_NZ_TWOFLUX
                                                     : CKT_NZ_CHARGE;
    d->r_ohm = x->r_ohm;
    d->nvec = vcount[j];
    for (size_t v = 0; v < d->nvec; v++)
      d->vec[v] = vec[vfirst[j] + v];
    if (x->flk_c > 0) {   /* vec[0] is the device's current (I_D) */
      d->flk_c = x->flk_c;
      d->flk_af = x->flk_af;
      d->flk_ef = x->flk_ef;
      d->flk_k0 = x->flk_K;
    }
  }
  if (rc == 0) {
    ckt_run_spec r2 = *rs;
    r2.nl = &nl;
    r2.mos_dev = NULL;
    r2.psd0 = NULL;
    rc = ckt_sim_run_devs(ses, &r2, devs, p, tr, err);
  }
  ckt_netlist_clear(&nl);
  free(cs);
  free(save);
  for (size_t v = 0; v < nvec; v++)
    free(vec[v]);
  free(vec);
  free(vfirst);
  free(vcount);
  free(devs);
  return rc;
}
