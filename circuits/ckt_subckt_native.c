/* ckt_subckt_native.c -- a designer's subcircuit as a native cell (see
 * ckt_subckt_native.h): the translation.
 *
 * Workload: the translation once (an ngspice load of the test bench,
 * `listing expand` for every instance's expanded nodes); the cards, the
 * extraction and the runs are in ckt_subckt_native_dev.c.
 *
 * The nets come from ngspice's own expansion of the test bench (the
 * instance cards of `listing expand`, circuits/ckt_names_impl.h), matched
 * to the elements tsukit flattened (ckt_subckt_inst_at) through the
 * preflight's names, so that the native cell has the connectivity ngspice
 * simulates; the values (W, L, C, V) are ngspice's, after its parameter
 * and expression evaluation.
 */
#include "circuits/ckt_subckt_native.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "circuits/ckt_subckt_impl.h"
#include "circuits/ckt_subckt_native_impl.h"
#include "physics/phys_sde.h"

/* ---- messages ---- */

static const struct {
  char kind;
  const char *what;
} kinds_text[] = {
  {'d', "a diode"}, {'q', "a bipolar transistor"}, {'j', "a JFET"},
  {'z', "a MESFET"}, {'i', "a current source"}, {'l', "an inductor"},
  {'k', "an inductor coupling"}, {'b', "a behavioural source"},
  {'e', "a voltage-controlled voltage source"},
  {'f', "a current-controlled current source"},
  {'g', "a voltage-controlled current source"},
  {'h', "a current-controlled voltage source"},
  {'s', "a voltage-controlled switch"}, {'w', "a current-controlled switch"},
  {'t', "a transmission line"}, {'o', "a lossy transmission line"},
  {'u', "an RC line"}, {'y', "a transmission line"},
  {'p', "a coupled transmission line"}, {'a', "an XSPICE code model"},
  {'n', "a compiled (OSDI) device"},
};

static const char *kind_what(char k)
{
  for (size_t i = 0; i < sizeof kinds_text / sizeof kinds_text[0]; i++)
    if (kinds_text[i].kind == k)
      return kinds_text[i].what;
  return "an element of a kind";
}

/* "element x1.d1 (D1 in subcircuit tkinv)" */
void ckt__sn_el_name(const ckt_sn *n, size_t inst, char *buf, size_t size)
{
  const ckt_subckt_inst *in = ckt_subckt_inst_at(n->s, inst);
  const sub_elem *e = &n->s->el[n->s->inst_el[inst]];
  snprintf(buf, size, "element %.120s (%.80s in subcircuit %.80s)", in->path,
           e->name, in->def);
}

/* ---- nets ---- */

static int net_find(ckt_sn *n, const char *name, tk_err *err)
{
  for (size_t i = 0; i < n->nnet; i++)
    if (strcasecmp(n->net[i].name, name) == 0)
      return (int)i;
  if (n->nnet == n->cap_net) {
    size_t cap = n->cap_net ? 2 * n->cap_net : 16;
    sn_net *nn = realloc(n->net, cap * sizeof *nn);
    if (nn == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    n->net = nn;
    n->cap_net = cap;
  }
  sn_net *x = &n->net[n->nnet];
  memset(x, 0, sizeof *x);
  snprintf(x->name, sizeof x->name, "%s", name);
  x->ground = strcmp(name, "0") == 0 || strcasecmp(name, "gnd") == 0;
  x->fixed = x->ground;
  x->node = -1;
  return (int)n->nnet++;
}

/* The words of an expanded instance card (nodes, model, parameters). */
static size_t words(const char *card, char (*w)[NET_MAX], size_t max)
{
  size_t k = 0;
  for (const char *p = card; *p && k < max;) {
    while (*p == ' ' || *p == '\t')
      p++;
    size_t len = strcspn(p, " \t");
    if (len == 0)
      break;
    snprintf(w[k], NET_MAX, "%.*s", (int)len, p);
    k++;
    p += len;
  }
  return k;
}

/* ---- the translation ---- */

/* One MOSFET: its nets, card and kind.  ses holds the test bench. */
static int add_mos(ckt_sn *n, ckt_session *ses, size_t inst,
                   const ckt_pf_elem *pe, char (*w)[NET_MAX], size_t nw,
                   double *ipar, tk_err *err)
{
  char en[400];
  ckt__sn_el_name(n, inst, en, sizeof en);
  if (nw < 5)
    return TK_FAIL(err, TK_ESPICE, "--engine native: %s: ngspice's card "
                   "has %zu words", en, nw);
  if (pe->note != NULL)
    return TK_FAIL(err, TK_EINVAL, "--engine native: %s: %.200s; ngspice "
                   "simulates that, the native engine does not" SN_USE, en,
                   pe->note);
  sn_mos m;
  memset(&m, 0, sizeof m);
  m.inst = inst;
  for (int t = 0; t < 4; t++) {
    int id = net_find(n, w[t], err);
    if (id < 0)
      return TK_ENOMEM;
    m.net[t] = id;
  }
  if (m.net[3] != m.net[2] && m.net[3] != m.net[0])
    return TK_FAIL(err, TK_EINVAL, "--engine native: %s: bulk on net %s, "
                   "neither its source (%s) nor its drain (%s); the native "
                   "EKV fit is at V_SB = 0 (no body bias)" SN_USE, en,
                   n->net[m.net[3]].name, n->net[m.net[2]].name,
                   n->net[m.net[0]].name);
  double wv = NAN, lv = NAN;
  if (ckt_session_param(ses, pe->dev, "w", &wv, NULL) != 0 ||
      ckt_session_param(ses, pe->dev, "l", &lv, NULL) != 0 || !(wv > 0) ||
      !(lv > 0))
    return TK_FAIL(err, TK_ENOTFOUND, "--engine native: %s: ngspice gives "
                   "no W, L for %s", en, pe->dev);
  for (size_t k = 0; ckt__sn_inst_pars[k] != NULL; k++)
    if (ckt_session_param(ses, pe->dev, ckt__sn_inst_pars[k], &ipar[k], NULL) != 0)
      ipar[k] = NAN;
  /* its card */
  size_t c = 0;
  for (; c < n->ncard; c++)
    if (strcasecmp(n->card[c].model, pe->model) == 0)
      break;
  if (c == n->ncard) {
    sn_card nc;
    int rc = ckt__sn_card_load(n, inst, pe->model, &nc, err);
    if (rc != 0) {
      ckt__sn_card_free(&nc);
      return rc;
    }
    sn_card *na = realloc(n->card, (n->ncard + 1) * sizeof *na);
    if (na == NULL) {
      ckt__sn_card_free(&nc);
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    }
    n->card = na;
    n->card[n->ncard++] = nc;
  }
  /* its kind */
  size_t k = 0;
  for (; k < n->nkind; k++)
    if (n->kind[k].card == c && n->kind[k].w_m == wv && n->kind[k].l_m == lv)
      break;
  if (k == n->nkind) {
    sn_kind *nk = realloc(n->kind, (n->nkind + 1) * sizeof *nk);
    if (nk == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    n->kind = nk;
    memset(&nk[k], 0, sizeof nk[k]);
    nk[k].card = c;
    nk[k].w_m = wv;
    nk[k].l_m = lv;
    nk[k].first = inst;
    n->nkind++;
  }
  m.kind = k;
  n->net[m.net[0]].touched = n->net[m.net[1]].touched =
      n->net[m.net[2]].touched = 1;
  sn_mos *nm = realloc(n->mos, (n->nmos + 1) * sizeof *nm);
  if (nm == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  n->mos = nm;
  n->mos[n->nmos++] = m;
  return TK_OK;
}

/* The values a DC source may carry after its two nodes: VALUE or DC
 * VALUE; anything else (a transient or AC specification) refused. */
static int v_plain(char (*w)[NET_MAX], size_t nw)
{
  if (nw == 3)
    return 1;
  return nw == 4 && strcasecmp(w[2], "dc") == 0;
}

static int translate_els(ckt_sn *n, ckt_session *ses, ckt__names *nm,
                         double *vsrc, size_t *nvs, double *ipar,
                         char (*w)[NET_MAX], tk_err *err);

/* Every element of the bench: nets, values, kinds (all refusals first,
 * before anything is extracted). */
static int translate(ckt_sn *n, ckt_session *ses, ckt__names *nm,
                     double *vsrc, size_t *nvs, double *ipar, tk_err *err)
{
  const ckt_subckt *s = n->s;
  size_t ninst = ckt_subckt_ninst(s);
  /* the letters first: an unsupported element is named before any
   * other check */
  for (size_t i = 0; i < ninst; i++) {
    char k = ckt_subckt_inst_at(s, i)->kind;
    if (k != 'm' && k != 'r' && k != 'c' && k != 'v') {
      char en[400];
      ckt__sn_el_name(n, i, en, sizeof en);
      return TK_FAIL(err, TK_EINVAL, "--engine native: %s is %s ('%c'), "
                     "which the native engine does not model (it takes "
                     "MOSFETs with BSIM4 cards, resistors, capacitors and "
                     "DC voltage sources)" SN_USE, en, kind_what(k),
                     (char)(k - 'a' + 'A'));
    }
  }
  for (size_t i = 0; i < ckt_preflight_nsrc(n->pf); i++) {
    const ckt_pf_src *x = ckt_preflight_src(n->pf, i);
    if (x->type >= CKT_SRC_GS && x->on) {
      char en[400];
      ckt__sn_el_name(n, x->inst, en, sizeof en);
      return TK_FAIL(err, TK_EINVAL, "--engine native: %s: its card gives "
                     "a gate tunnelling current (igcmod/igbmod), which the "
                     "native engine does not model" SN_USE, en);
    }
  }
  char (*w)[NET_MAX] = malloc(24 * sizeof *w);
  if (w == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = translate_els(n, ses, nm, vsrc, nvs, ipar, w, err);
  free(w);
  return rc;
}

static int translate_els(ckt_sn *n, ckt_session *ses, ckt__names *nm,
                         double *vsrc, size_t *nvs, double *ipar,
                         char (*w)[NET_MAX], tk_err *err)
{
  const ckt_subckt *s = n->s;
  size_t ninst = ckt_subckt_ninst(s);
  *nvs = 0;
  for (size_t i = 0; i < ninst; i++) {
    const ckt_subckt_inst *in = ckt_subckt_inst_at(s, i);
    const ckt_pf_elem *pe = ckt_preflight_elem(n->pf, i);
    char want[CKT_PF_NAME_MAX + 8], en[400];
    snprintf(want, sizeof want, "x_tk.%s", in->path);
    int j = ckt__names_find(nm, want);
    ckt__sn_el_name(n, i, en, sizeof en);
    if (j < 0)
      return TK_FAIL(err, TK_ENOTFOUND, "--engine native: %s is not among "
                     "ngspice's instances", en);
    size_t nw = words(nm->card[j], w, 24);
    if (in->kind == 'm') {
      TK_TRY(add_mos(n, ses, i, pe, w, nw,
                     ipar + (n->nmos) * CKT__SN_NPAR,
                     err));
      continue;
    }
    if (nw < 2)
      return TK_FAIL(err, TK_ESPICE, "--engine native: %s: ngspice's card "
                     "has %zu words", en, nw);
    int a = net_find(n, w[0], err), b = a >= 0 ? net_find(n, w[1], err) : -1;
    if (a < 0 || b < 0)
      return TK_ENOMEM;
    if (in->kind == 'r') {
      const ckt_pf_src *x = NULL;
      for (size_t k = 0; k < ckt_preflight_nsrc(n->pf) && x == NULL; k++)
        if (ckt_preflight_src(n->pf, k)->inst == i)
          x = ckt_preflight_src(n->pf, k);
      if (x == NULL)
        return TK_FAIL(err, TK_EINTERNAL, "--engine native: %s: no "
                       "preflight values", en);
      if (x->dtemp_K != 0)
        return TK_FAIL(err, TK_EINVAL, "--engine native: %s: dtemp=%g K "
                       "(its noise at another temperature than the "
                       "circuit's) is not translated" SN_USE, en, x->dtemp_K);
      sn_res *nr = realloc(n->res, (n->nres + 1) * sizeof *nr);
      if (nr == NULL)
        return TK_FAIL(err, TK_ENOMEM, "out of memory");
      n->res = nr;
      sn_res r = {i, a, b, x->r_ohm, x->m, x->tc1, x->tc2, x->tce,
                  pe->status != CKT_EL_OFF};
      n->res[n->nres++] = r;
      n->net[a].touched = n->net[b].touched = 1;
    } else if (in->kind == 'c') {
      double c = NAN, m = 1;
      if (ckt_session_param(ses, pe->dev, "capacitance", &c, NULL) != 0 ||
          !isfinite(c) || c < 0)
        return TK_FAIL(err, TK_ENOTFOUND, "--engine native: %s: ngspice "
                       "gives no capacitance for %s", en, pe->dev);
      if (ckt_session_param(ses, pe->dev, "m", &m, NULL) != 0 || !(m > 0))
        m = 1;
      vsrc[2 * ninst + 2 * i] = c * m;   /* kept: placed once nets are fixed */
      n->n_c++;
    } else {   /* 'v' */
      if (!v_plain(w, nw))
        return TK_FAIL(err, TK_EINVAL, "--engine native: %s: '%.120s' is "
                       "not a plain DC source (V a b [dc] VALUE): the native "
                       "engine holds nets at constant voltages only" SN_USE,
                       en, nm->card[j]);
      double v = NAN;
      if (ckt_session_param(ses, pe->dev, "dc", &v, NULL) != 0 || !isfinite(v))
        return TK_FAIL(err, TK_ENOTFOUND, "--engine native: %s: ngspice "
                       "gives no dc value for %s", en, pe->dev);
      vsrc[2 * i] = v;
      vsrc[2 * i + 1] = 1;
      (*nvs)++;
      n->n_v++;
    }
  }
  return TK_OK;
}

/* The nets of element i's first two nodes (C, V), found again. */
static int two_nets(ckt_sn *n, ckt__names *nm, size_t i, int *a, int *b,
                    tk_err *err)
{
  char w[4][NET_MAX];
  char want[CKT_PF_NAME_MAX + 8];
  snprintf(want, sizeof want, "x_tk.%s", ckt_subckt_inst_at(n->s, i)->path);
  int j = ckt__names_find(nm, want);
  if (j < 0 || words(nm->card[j], w, 4) < 2)
    return TK_FAIL(err, TK_EINTERNAL, "instance %s lost", want);
  *a = net_find(n, w[0], err);
  *b = *a >= 0 ? net_find(n, w[1], err) : -1;
  return *a < 0 || *b < 0 ? TK_ENOMEM : TK_OK;
}

/* Fix the nets of the DC sources (one side fixed: the other follows),
 * place the capacitors, check the free nets; build the cell. */
static int build(ckt_sn *n, ckt__names *nm, const double *vsrc, tk_err *err)
{
  size_t ninst = ckt_subckt_ninst(n->s);
  unsigned char *done = calloc(ninst + 1, 1);
  if (done == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = 0, progress = 1;
  while (progress && rc == 0) {
    progress = 0;
    for (size_t i = 0; i < ninst && rc == 0; i++) {
      if (ckt_subckt_inst_at(n->s, i)->kind != 'v' || done[i])
        continue;
      int a, b;
      if ((rc = two_nets(n, nm, i, &a, &b, err)) != 0)
        break;
      char en[400];
      ckt__sn_el_name(n, i, en, sizeof en);
      if (n->net[a].fixed && n->net[b].fixed)
        rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: both its nets "
                     "(%s, %s) are already held by sources" SN_USE, en,
                     n->net[a].name, n->net[b].name);
      else if (n->net[b].fixed || n->net[a].fixed) {
        int f = n->net[b].fixed ? a : b;
        n->net[f].fixed = 1;
        n->net[f].v_V = f == a ? n->net[b].v_V + vsrc[2 * i]
                               : n->net[a].v_V - vsrc[2 * i];
        done[i] = 1;
        progress = 1;
      }
    }
  }
  for (size_t i = 0; i < ninst && rc == 0; i++)
    if (ckt_subckt_inst_at(n->s, i)->kind == 'v' && !done[i]) {
      char en[400];
      ckt__sn_el_name(n, i, en, sizeof en);
      rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: a floating "
                   "voltage source (neither net held by a source); the "
                   "native engine holds nets against ground only" SN_USE,
                   en);
    }
  free(done);
  for (size_t i = 0; i < ninst && rc == 0; i++) {
    if (ckt_subckt_inst_at(n->s, i)->kind != 'c')
      continue;
    int a, b;
    if ((rc = two_nets(n, nm, i, &a, &b, err)) != 0)
      break;
    double c = vsrc[2 * ninst + 2 * i];
    if (a == b || (n->net[a].fixed && n->net[b].fixed))
      continue;
    if (!n->net[a].fixed && !n->net[b].fixed) {
      char en[400];
      ckt__sn_el_name(n, i, en, sizeof en);
      rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: a capacitor "
                   "between two free nets (%s, %s); the native engine's "
                   "nodes carry capacitance to ground only" SN_USE, en,
                   n->net[a].name, n->net[b].name);
      break;
    }
    n->net[n->net[a].fixed ? b : a].c_F += c;
  }
  if (rc != 0)
    return rc;
  for (size_t i = 0; i < n->nnet; i++)
    if (!n->net[i].fixed && !n->net[i].touched)
      return TK_FAIL(err, TK_EINVAL, "--engine native: net %s has no "
                     "MOSFET drain, gate or source and no resistor on it "
                     "(only capacitors or bulks): not translated" SN_USE,
                     n->net[i].name);
  /* the cell: the output first (the trace's first node) */
  TK_TRY(phys_cell_alloc(&n->cell, err));
  int order[2] = {n->out_net, -1};
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n->nnet; i++) {
      sn_net *x = &n->net[i];
      if (x->ground) {
        x->node = 0;
        continue;
      }
      if ((pass == 0) != ((int)i == order[0]) || x->node >= 0)
        continue;
      char nn[PHYS_NAME_MAX];
      snprintf(nn, sizeof nn, "N%zu", i);
      if (x->fixed)
        TK_TRY(phys_cell_add_fixed(n->cell, nn, x->v_V, x->supply, &x->node,
                                   err));
      else {
        TK_TRY(phys_cell_add_free(n->cell, nn,
                                  x->c_F > 0 ? x->c_F : CKT_SN_CMIN_F,
                                  0.5 * n->vdd_V, &x->node, err));
        n->nfree++;
      }
    }
  if (n->nfree > PHYS_SDE_MAX_FREE)
    return TK_FAIL(err, TK_EINVAL, "--engine native: %zu free nets (the "
                   "native engine takes at most %d)" SN_USE, n->nfree,
                   PHYS_SDE_MAX_FREE);
  n->ctl_node = n->net[n->ctl_net].node;
  for (size_t k = 0; k < n->nmos; k++) {
    const sn_mos *m = &n->mos[k];
    phys_mos_params p = phys_mos_default_params(n->card[n->kind[m->kind].card].type);
    p.w_m = n->kind[m->kind].w_m;
    p.l_m = n->kind[m->kind].l_m;
    char dn[PHYS_NAME_MAX];
    snprintf(dn, sizeof dn, "M%zu", k);
    TK_TRY(phys_cell_add_mos(n->cell, dn, n->net[m->net[0]].node,
                             n->net[m->net[1]].node, n->net[m->net[2]].node,
                             n->net[m->net[3]].node, &p, err));
  }
  for (size_t k = 0; k < n->nres; k++) {
    const sn_res *r = &n->res[k];
    if (r->a == r->b || n->net[r->a].node == n->net[r->b].node)
      continue;   /* shorted on itself: no current, no noise */
    char dn[PHYS_NAME_MAX];
    snprintf(dn, sizeof dn, "R%zu", k);
    TK_TRY(phys_cell_add_res(n->cell, dn, n->net[r->a].node,
                             n->net[r->b].node, r->r_ohm, err));
    n->cell->res[n->cell->n_res - 1].noisy = r->noisy;
  }
  return TK_OK;
}

int ckt_sn_open(const ckt_subckt *s, const ckt_preflight *pf,
                const ckt_port_bind *bind, size_t ctl, size_t out,
                size_t supply, double vdd_V, ckt_sn **outp, tk_err *err)
{
  *outp = NULL;
  if (s == NULL || pf == NULL || bind == NULL || !(vdd_V > 0))
    return TK_FAIL(err, TK_EINVAL, "native translation: bad arguments");
  ckt_sn *n = calloc(1, sizeof *n);
  if (n == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  n->s = s;
  n->pf = pf;
  n->vdd_V = vdd_V;
  size_t ninst = ckt_subckt_ninst(s), nmos = ckt_subckt_nmos(s);
  const size_t np = CKT__SN_NPAR;
  double *vsrc = calloc(4 * ninst + 2, sizeof *vsrc);
  double *ipar = calloc(np * (nmos + 1), sizeof *ipar);
  unsigned char *on = calloc(ninst * CKT_SRC_N + 1, 1);
  ckt_session *ses = NULL;
  ckt_netlist nl;
  memset(&nl, 0, sizeof nl);
  ckt_subckt_src *srcs = NULL;
  size_t nsrc = 0, nvs = 0;
  ckt__names nm;
  memset(&nm, 0, sizeof nm);
  int rc = vsrc && ipar && on ? 0 : TK_FAIL(err, TK_ENOMEM, "out of memory");
  /* the ports' nets, as the test bench names them */
  for (size_t i = 0; i < ckt_subckt_nports(s) && rc == 0; i++) {
    char net[CKT_SUBCKT_NAME_MAX + 8];
    ckt_subckt_net(s, i, bind, net, sizeof net);
    int id = net_find(n, net, err);
    if (id < 0) {
      rc = TK_ENOMEM;
      break;
    }
    if (bind[i].kind == CKT_PORT_FIXED) {
      n->net[id].fixed = 1;
      n->net[id].v_V = bind[i].v_V;
      n->net[id].supply = i == supply;
    }
    if (i == ctl)
      n->ctl_net = id;
    if (i == out)
      n->out_net = id;
  }
  if (rc == 0 && (bind[ctl].kind != CKT_PORT_FIXED ||
                  bind[out].kind != CKT_PORT_FREE))
    rc = TK_FAIL(err, TK_EINVAL, "native translation: the control port must "
                 "be fixed and the output free");
  /* `.options scale=` would scale the W, L ngspice reports against the
   * literal ones of the extraction's device */
  for (size_t li = 0; li < s->n && rc == 0; li++) {
    char tok[16][CKT_SUBCKT_NAME_MAX];
    size_t nt = ckt__subckt_tokens(s->lines[li], tok, 16);
    if (nt == 0 || strncasecmp(tok[0], ".opt", 4) != 0)
      continue;
    for (size_t k = 1; k < nt && rc == 0; k++)
      if (strncasecmp(tok[k], "scale", 5) == 0)
        rc = TK_FAIL(err, TK_EINVAL, "--engine native: '%.200s': a "
                     "geometry scale is not translated" SN_USE,
                     s->lines[li]);
  }
  /* the test bench without noise sources, loaded for its expansion */
  ckt_sim_params sp = ckt_sim_default_params();
  sp.noise = 0;
  if (rc == 0)
    rc = ckt_subckt_netlist_plan(s, bind, &sp, on, NULL, &nl, &srcs, &nsrc,
                                 err);
  if (rc == 0)
    rc = ckt_session_open(&ses, err);
  if (rc == 0)
    rc = ckt_session_load(ses, (const char *const *)nl.lines, nl.n, err);
  /* an operating point, as the preflight's: the instances' parameters
   * are set up */
  if (rc == 0)
    rc = ckt_session_command(ses, "op", err);
  if (rc == 0)
    rc = ckt__names_load(ses, &nm, err);
  if (rc == 0)
    rc = translate(n, ses, &nm, vsrc, &nvs, ipar, err);
  if (rc == 0)
    rc = build(n, &nm, vsrc, err);
  ckt__names_free(&nm);
  ckt_session_close(ses);
  ckt_netlist_clear(&nl);
  free(srcs);
  free(on);
  free(vsrc);
  if (rc == 0)
    rc = ckt__sn_kinds_cv(n, ipar, err);
  free(ipar);
  if (rc == 0)
    rc = phys_cell_check(n->cell, err);
  if (rc != 0) {
    ckt_sn_free(n);
    return rc;
  }
  *outp = n;
  return TK_OK;
}

void ckt_sn_free(ckt_sn *n)
{
  if (n == NULL)
    return;
  for (size_t i = 0; i < n->ncard; i++)
    ckt__sn_card_free(&n->card[i]);
  for (size_t i = 0; i < n->ntc; i++) {
    free(n->tc[i].p);
    free(n->tc[i].cv);
  }
  free(n->tc);
  free(n->card);
  free(n->kind);
  free(n->mos);
  free(n->res);
  free(n->net);
  phys_cell_free(n->cell);
  free(n);
}

