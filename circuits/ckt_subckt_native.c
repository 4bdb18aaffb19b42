/* ckt_subckt_native.c -- a designer's subcircuit as a native cell (see
 * ckt_subckt_native.h).
 *
 * Workload: the translation once (an ngspice load of the test bench,
 * `listing expand` for every instance's expanded nodes, a one-device .op
 * per distinct card and size), the extraction once per temperature and
 * process, then one phys_sde run per sweep point.
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

#include "circuits/ckt_extract.h"
#include "circuits/ckt_names_impl.h"
#include "circuits/ckt_native.h"
#include "circuits/ckt_session.h"
#include "circuits/ckt_subckt_impl.h"
#include "physics/phys_cell.h"
#include "physics/phys_const.h"
#include "physics/phys_sde.h"

#define NET_MAX CKT_PF_NAME_MAX

/* A net of the expanded circuit. */
typedef struct sn_net {
  char name[NET_MAX];   /* ngspice's expanded name ("x_tk.x1.mid", "tk_q") */
  int fixed;            /* 1: held at v_V (a port's source, a DC source) */
  int ground;           /* 1: node 0 */
  int supply;           /* 1: the supply port (energy counted) */
  double v_V;           /* fixed: its voltage */
  double c_F;           /* free: capacitance to ground of the C elements */
  int touched;          /* free: a drain, gate, source or resistor on it */
  int node;             /* phys_cell node index (set when built) */
} sn_net;

/* A distinct model card. */
typedef struct sn_card {
  char model[NET_MAX];  /* the name ngspice gives it (lower case) */
  phys_mos_type type;   /* nmos / pmos */
  char **lines;         /* .param, .func lines and the .model line */
  size_t n;             /* their number */
  double ute;           /* mobility exponent of u0 (card ute) */
  double tnom_K;        /* its nominal temperature */
} sn_card;

/* A distinct device: card and size (its EKV fit and charges). */
typedef struct sn_kind {
  size_t card;          /* index in cards */
  double w_m, l_m;      /* size */
  phys_mos_cv cv;       /* charges at the card's tnom (kp_cv scaled per T) */
  size_t first;         /* a device of this kind (for messages) */
} sn_kind;

/* Device parameters at one temperature. */
typedef struct sn_temp {
  double temp_K;        /* temperature */
  phys_mos_params *p;   /* [nkind] EKV rows at temp_K (tnom_K = temp_K) */
  phys_mos_cv *cv;      /* [nkind] charges there */
} sn_temp;

typedef struct sn_mos {
  size_t inst;          /* element instance */
  size_t kind;          /* index in kinds */
  int net[4];           /* d g s b */
} sn_mos;

typedef struct sn_res {
  size_t inst;          /* element instance */
  int a, b;             /* nets */
  double r_ohm, m, tc1, tc2, tce; /* ngspice's values (preflight) */
  int noisy;            /* 0: noisy=0 */
} sn_res;

struct ckt_sn {
  const ckt_subckt *s;  /* the parsed file */
  const ckt_preflight *pf; /* its preflight */
  double vdd_V;         /* supply: the extraction's bias range */
  sn_net *net;          /* [nnet] nets */
  size_t nnet, cap_net;
  sn_card *card;        /* [ncard] cards */
  size_t ncard;
  sn_kind *kind;        /* [nkind] device kinds */
  size_t nkind;
  sn_mos *mos;          /* [nmos] MOSFETs, in instance order */
  size_t nmos;
  sn_res *res;          /* [nres] resistors */
  size_t nres;
  size_t n_c, n_v;      /* capacitors and DC sources translated */
  int ctl_net, out_net; /* the control and output ports' nets */
  phys_cell *cell;      /* the cell (devices at the last prepared T) */
  int ctl_node;         /* its control node */
  size_t nfree;         /* free nodes */
  sn_temp *tc;          /* [ntc] extraction cache */
  size_t ntc;
  double fit_max;       /* worst max |I_EKV / I_card - 1| so far */
};

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

#define SN_USE " (use --engine ngspice)"

/* "element x1.d1 (D1 in subcircuit tkinv)" */
static void el_name(const ckt_sn *n, size_t inst, char *buf, size_t size)
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

/* ---- cards ---- */

static void card_free(sn_card *c)
{
  for (size_t i = 0; i < c->n; i++)
    free(c->lines[i]);
  free(c->lines);
}

static int push(sn_card *c, const char *line, tk_err *err)
{
  if (c->n >= CKT_CARD_MAX_LINES)
    return TK_FAIL(err, TK_ERANGE, "model %s: more than %d .param/.func "
                   "lines at the top level", c->model, CKT_CARD_MAX_LINES - 1);
  char **nl = realloc(c->lines, (c->n + 1) * sizeof *nl);
  if (nl == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  c->lines = nl;
  if ((c->lines[c->n] = strdup(line)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  c->n++;
  return TK_OK;
}

/* The card of model `model` for element inst: the file's top-level
 * .param / .func lines and its top-level `.model model nmos|pmos
 * level=14|54` line; TK_EINVAL naming what is missing. */
static int card_load(ckt_sn *n, size_t inst, const char *model, sn_card *c,
                     tk_err *err)
{
  char en[400];
  el_name(n, inst, en, sizeof en);
  memset(c, 0, sizeof *c);
  snprintf(c->model, sizeof c->model, "%s", model);
  if (strchr(model, ':') != NULL || model[0] == '\0')
    return TK_FAIL(err, TK_EINVAL, "--engine native: %s: its model %s is "
                   "defined inside a subcircuit; the native engine takes "
                   "top-level .model cards only" SN_USE, en, model);
  char tok[8][CKT_SUBCKT_NAME_MAX];
  const ckt_subckt *s = n->s;
  int depth = 0, in_lib = 0, found = 0;
  for (size_t li = 0; li < s->n; li++) {
    size_t nt = ckt__subckt_tokens(s->lines[li], tok, 8);
    if (nt == 0)
      continue;
    if (in_lib) {
      in_lib = strcasecmp(tok[0], ".endl") != 0;
      continue;
    }
    if (strcasecmp(tok[0], ".lib") == 0 && nt == 2 && depth == 0) {
      in_lib = 1;
      continue;
    }
    if (strcasecmp(tok[0], ".subckt") == 0) {
      depth++;
      continue;
    }
    if (strcasecmp(tok[0], ".ends") == 0) {
      depth--;
      continue;
    }
    if (depth != 0)
      continue;
    if (strcasecmp(tok[0], ".param") == 0 || strcasecmp(tok[0], ".func") == 0)
      TK_TRY(push(c, s->lines[li], err));
    else if (strcasecmp(tok[0], ".model") == 0 && nt >= 3 &&
             strcasecmp(tok[1], model) == 0 && !found) {
      found = 1;
      if (strcasecmp(tok[2], "nmos") == 0)
        c->type = PHYS_NMOS;
      else if (strcasecmp(tok[2], "pmos") == 0)
        c->type = PHYS_PMOS;
      else
        return TK_FAIL(err, TK_EINVAL, "--engine native: %s: model %s is "
                       "of type %s, not nmos or pmos" SN_USE, en, model,
                       tok[2]);
      char (*all)[CKT_SUBCKT_NAME_MAX] = malloc(512 * sizeof *all);
      if (all == NULL)
        return TK_FAIL(err, TK_ENOMEM, "out of memory");
      size_t na = ckt__subckt_tokens(s->lines[li], all, 512);
      char lev[CKT_SUBCKT_NAME_MAX] = "";
      for (size_t i = 3; i < na; i++)
        if (strncasecmp(all[i], "level=", 6) == 0)
          snprintf(lev, sizeof lev, "%s", all[i] + 6);
      free(all);
      if (strcmp(lev, "14") != 0 && strcmp(lev, "54") != 0)
        return TK_FAIL(err, TK_EINVAL, "--engine native: %s: model %s is "
                       "level %s; the native engine takes BSIM4 cards "
                       "(level=14 or 54) only" SN_USE, en, model,
                       lev[0] ? lev : "1 (no level=)");
      TK_TRY(push(c, s->lines[li], err));
    }
  }
  if (!found)
    return TK_FAIL(err, TK_EINVAL, "--engine native: %s: no top-level "
                   ".model %s card in the file (binned, library-section "
                   "and built-in models are not translated)" SN_USE, en,
                   model);
  return TK_OK;
}

/* ---- the translation ---- */

/* Instance parameters that must equal those of a plain `M d g s b NAME
 * W= L=` (the device the extraction sees). */
static const char *const inst_pars[] = {
  "m", "nf", "as", "ad", "ps", "pd", "nrs", "nrd", "delvto", "mulu0",
  "sa", "sb", "sd", "min", NULL};

/* One MOSFET: its nets, card and kind.  ses holds the test bench. */
static int add_mos(ckt_sn *n, ckt_session *ses, size_t inst,
                   const ckt_pf_elem *pe, char (*w)[NET_MAX], size_t nw,
                   double *ipar, tk_err *err)
{
  char en[400];
  el_name(n, inst, en, sizeof en);
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
  for (size_t k = 0; inst_pars[k] != NULL; k++)
    if (ckt_session_param(ses, pe->dev, inst_pars[k], &ipar[k], NULL) != 0)
      ipar[k] = NAN;
  /* its card */
  size_t c = 0;
  for (; c < n->ncard; c++)
    if (strcasecmp(n->card[c].model, pe->model) == 0)
      break;
  if (c == n->ncard) {
    sn_card nc;
    int rc = card_load(n, inst, pe->model, &nc, err);
    if (rc != 0) {
      card_free(&nc);
      return rc;
    }
    sn_card *na = realloc(n->card, (n->ncard + 1) * sizeof *na);
    if (na == NULL) {
      card_free(&nc);
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
      el_name(n, i, en, sizeof en);
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
      el_name(n, x->inst, en, sizeof en);
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
    el_name(n, i, en, sizeof en);
    if (j < 0)
      return TK_FAIL(err, TK_ENOTFOUND, "--engine native: %s is not among "
                     "ngspice's instances", en);
    size_t nw = words(nm->card[j], w, 24);
    if (in->kind == 'm') {
      TK_TRY(add_mos(n, ses, i, pe, w, nw,
                     ipar + (n->nmos) * (sizeof inst_pars / sizeof *inst_pars),
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
      el_name(n, i, en, sizeof en);
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
      el_name(n, i, en, sizeof en);
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
      el_name(n, i, en, sizeof en);
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

/* Each kind's charges from its card, and every device's instance
 * parameters against the plain device's (ipar[nmos][npar]). */
static int kinds_cv(ckt_sn *n, const double *ipar, tk_err *err)
{
  const size_t np = sizeof inst_pars / sizeof *inst_pars;
  ckt_session *ses = NULL;
  TK_TRY(ckt_session_open(&ses, err));
  int rc = 0;
  for (size_t k = 0; k < n->nkind && rc == 0; k++) {
    sn_kind *kd = &n->kind[k];
    sn_card *c = &n->card[kd->card];
    ckt_card card = {(const char *const *)c->lines, c->n, c->model};
    char en[400];
    el_name(n, kd->first, en, sizeof en);
    rc = ckt_extract_cv_card(ses, &card, c->type, kd->w_m, kd->l_m, &kd->cv,
                             err);
    if (rc != 0) {
      int st = rc == TK_ENOMEM ? rc : TK_EINVAL;
      tk_err_wrap(err, st, "--engine native: %.300s: charges of model %s",
                  en, c->model);
      if (err != NULL)
        err->status = st;
      rc = st;
      break;
    }
    double ref[16];
    for (size_t j = 0; inst_pars[j] != NULL; j++)
      if (ckt_session_param(ses, "m1", inst_pars[j], &ref[j], NULL) != 0)
        ref[j] = NAN;
    if (ckt_session_param(ses, c->model, "ute", &c->ute, NULL) != 0 ||
        !isfinite(c->ute))
      c->ute = -1.5;
    if (ckt_session_param(ses, c->model, "tnom", &c->tnom_K, NULL) != 0 ||
        !(c->tnom_K > 0))
      c->tnom_K = PHYS_TNOM_K;
    else if (c->tnom_K < 150)   /* given in Celsius */
      c->tnom_K += PHYS_T0_K;
    for (size_t d = 0; d < n->nmos && rc == 0; d++) {
      if (n->mos[d].kind != k)
        continue;
      for (size_t j = 0; inst_pars[j] != NULL; j++) {
        double a = ipar[d * np + j], b = ref[j];
        if (isnan(a) && isnan(b))
          continue;
        if (!(fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b)))) {
          el_name(n, n->mos[d].inst, en, sizeof en);
          rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: instance "
                       "parameter %s = %g (a plain device of the card has "
                       "%g): the extracted device would not be the one "
                       "ngspice simulates" SN_USE, en, inst_pars[j], a, b);
          break;
        }
      }
    }
  }
  ckt_session_close(ses);
  return rc;
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
  const size_t np = sizeof inst_pars / sizeof *inst_pars;
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
    rc = kinds_cv(n, ipar, err);
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
    card_free(&n->card[i]);
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

/* ---- extraction and runs ---- */

static const sn_temp *temp_find(const ckt_sn *n, double temp_K)
{
  for (size_t i = 0; i < n->ntc; i++)
    if (n->tc[i].temp_K == temp_K)
      return &n->tc[i];
  return NULL;
}

int ckt_sn_prepare(ckt_sn *n, double temp_K, tk_err *err)
{
  if (!(temp_K > 0) || !isfinite(temp_K))
    return TK_FAIL(err, TK_ERANGE, "native translation: temperature %g K",
                   temp_K);
  if (temp_find(n, temp_K) != NULL)
    return TK_OK;
  sn_temp t = {temp_K, calloc(n->nkind + 1, sizeof *t.p),
               calloc(n->nkind + 1, sizeof *t.cv)};
  if (t.p == NULL || t.cv == NULL) {
    free(t.p);
    free(t.cv);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  ckt_session *ses = NULL;
  int rc = ckt_session_open(&ses, err);
  for (size_t k = 0; k < n->nkind && rc == 0; k++) {
    const sn_kind *kd = &n->kind[k];
    const sn_card *c = &n->card[kd->card];
    ckt_card card = {(const char *const *)c->lines, c->n, c->model};
    ckt_extract_params ep = ckt_extract_default_params();
    ep.model = NULL;
    ep.card = &card;
    ep.type = c->type;
    ep.w_m = kd->w_m;
    ep.l_m = kd->l_m;
    ep.temp_K = temp_K;
    ep.vgs_lo_V = 0;
    ep.vgs_hi_V = n->vdd_V;
    ep.vgs_step_V = fmin(0.01, n->vdd_V / 40);
    ep.n_vds = 3;
    ep.vds_V[0] = fmin(0.05, n->vdd_V / 4);
    ep.vds_V[1] = 0.5 * n->vdd_V;
    ep.vds_V[2] = n->vdd_V;
    ckt_extract_fit fit;
    char en[400];
    el_name(n, kd->first, en, sizeof en);
    rc = ckt_extract_mos(ses, &ep, &t.p[k], &fit, err);
    if (rc != 0) {
      int st = rc == TK_ENOMEM ? rc : TK_EINVAL;
      tk_err_wrap(err, st, "--engine native: %.300s: EKV fit of model %s "
                  "at %g K", en, c->model, temp_K);
      if (err != NULL)
        err->status = st;
      rc = st;
      break;
    }
    if (!(fit.max_rel_err <= CKT_SN_FIT_MAX)) {
      rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: the EKV fit of "
                   "model %s (W %g, L %g m) misses the card's current by "
                   "up to %.0f %% at %g K (the bound is %.0f %%)" SN_USE, en,
                   c->model, kd->w_m, kd->l_m, 100 * fit.max_rel_err, temp_K,
                   100 * CKT_SN_FIT_MAX);
      break;
    }
    if (fit.max_rel_err > n->fit_max)
      n->fit_max = fit.max_rel_err;
    t.cv[k] = kd->cv;
    t.cv[k].kp_cv_A_per_V2 *= pow(temp_K / c->tnom_K, c->ute);
    tk_err e2 = {0};
    if (phys_mos_cv_check(&t.cv[k], &e2) != 0 ||
        !(t.cv[k].kp_cv_A_per_V2 >= t.p[k].kp_A_per_V2)) {
      rc = TK_FAIL(err, TK_EINVAL, "--engine native: %s: model %s: the "
                   "fitted current factor %g A/V^2 exceeds the card's "
                   "u0 cox %g A/V^2 at %g K (no charge normalisation)" SN_USE,
                   en, c->model, t.p[k].kp_A_per_V2,
                   t.cv[k].kp_cv_A_per_V2, temp_K);
      break;
    }
  }
  ckt_session_close(ses);
  if (rc == 0) {
    sn_temp *nt = realloc(n->tc, (n->ntc + 1) * sizeof *nt);
    if (nt == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    else {
      n->tc = nt;
      n->tc[n->ntc++] = t;
      return TK_OK;
    }
  }
  free(t.p);
  free(t.cv);
  return rc;
}

int ckt_sn_run(ckt_sn *n, double vctl_V, const ckt_sim_params *p,
               ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  TK_TRY(ckt_sn_prepare(n, p->temp_K, err));
  const sn_temp *t = temp_find(n, p->temp_K);
  if (!isfinite(vctl_V))
    return TK_FAIL(err, TK_EINVAL, "native run: control %g V", vctl_V);
  n->cell->nodes[n->ctl_node].v_V = vctl_V;
  phys_mos_cv *cv = malloc((n->nmos + 1) * sizeof *cv);
  if (cv == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t k = 0; k < n->nmos; k++) {
    n->cell->mos[k].p = t->p[n->mos[k].kind];
    cv[k] = t->cv[n->mos[k].kind];
  }
  /* each resistor at the run's temperature, as ngspice has it */
  size_t r = 0;
  for (size_t k = 0; k < n->nres; k++) {
    const sn_res *x = &n->res[k];
    if (x->a == x->b || n->net[x->a].node == n->net[x->b].node)
      continue;
    double dt = p->temp_K - PHYS_TNOM_K;
    double f = x->tce != 0 ? pow(1.01, x->tce * dt)
                           : 1.0 + x->tc1 * dt + x->tc2 * dt * dt;
    n->cell->res[r++].r_ohm = x->r_ohm * f / x->m;
  }
  int rc = ckt_native_run_cv(n->cell, cv, p, tr, err);
  free(cv);
  return rc;
}

void ckt_sn_describe(const ckt_sn *n, char *buf, size_t size)
{
  snprintf(buf, size, "m:%zu,r:%zu,c:%zu,v:%zu", n->nmos, n->nres, n->n_c,
           n->n_v);
}

size_t ckt_sn_nfree(const ckt_sn *n) { return n->nfree; }
double ckt_sn_fit_max(const ckt_sn *n) { return n->fit_max; }
