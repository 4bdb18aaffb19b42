/* ckt_subckt_bench.c -- the test bench around a designer's subcircuit
 * and the netlist tsukit simulates: ports bound to rails, ground or left
 * free, the instance X_TK, and the noise sources of its elements (see
 * ckt_subckt.h).
 *
 * Workload: one netlist per sweep point, tens to hundreds of lines.
 */
#define _GNU_SOURCE 1  /* asprintf */
#include "circuits/ckt_subckt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/ckt_subckt_impl.h"
#include "physics/phys_const.h"

/* ---- the test bench ---- */

void ckt_subckt_net(const ckt_subckt *s, size_t i, const ckt_port_bind *bind,
                    char *buf, size_t size)
{
  if (bind != NULL && bind[i].kind == CKT_PORT_GROUND)
    snprintf(buf, size, "0");
  else
    snprintf(buf, size, "tk_%s", s->ports[i]);
}

void ckt_subckt_vsrc(const ckt_subckt *s, size_t i, char *buf, size_t size)
{
  snprintf(buf, size, "V_TK_%s", s->ports[i]);
}

void ckt_subckt_devs_free(char **mos_dev, size_t n)
{
  if (mos_dev == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    free(mos_dev[i]);
  free(mos_dev);
}

#define INST "x_tk"   /* the instance of the subcircuit under test */

/* The noise sources an element can carry: name prefix and the indices
 * of its two nodes in sub_elem.node, per kind and source type. */
typedef struct src_form {
  char kind;            /* element letter */
  ckt_src_type type;    /* source type */
  const char *prefix;   /* source name = prefix + element name */
  int a, b;             /* node indices: current from a to b */
} src_form;

static const src_form k_forms[] = {
  {'m', CKT_SRC_MAIN, "INZ_", 0, 2},    /* channel, drain-source */
  {'m', CKT_SRC_GS, "INZGS_", 1, 2},    /* gate tunnelling to the source */
  {'m', CKT_SRC_GD, "INZGD_", 1, 0},    /* ... to the drain */
  {'m', CKT_SRC_GB, "INZGB_", 1, 3},    /* ... to the bulk */
  {'r', CKT_SRC_MAIN, "INZ_", 0, 1},    /* thermal */
  {'d', CKT_SRC_MAIN, "INZ_", 0, 1},    /* shot */
  {'q', CKT_SRC_MAIN, "INZ_", 0, 2},    /* collector shot, c-e */
  {'q', CKT_SRC_BASE, "INZB_", 1, 2},   /* base shot, b-e */
};
#define N_FORMS (sizeof k_forms / sizeof k_forms[0])

static const src_form *form_of(char kind, ckt_src_type t)
{
  for (size_t i = 0; i < N_FORMS; i++)
    if (k_forms[i].kind == kind && k_forms[i].type == t)
      return &k_forms[i];
  return NULL;
}

int ckt_subckt_can_source(char kind, ckt_src_type t)
{
  return form_of(kind, t) != NULL;
}

/* Does element e carry source type t?  on: per instance and type (any
 * instance of the element asks for it), NULL: the MOSFET channel only (the
 * netlist of ckt_subckt_netlist). */
static int elem_has(const ckt_subckt *s, size_t e, ckt_src_type t,
                    const unsigned char *on)
{
  if (form_of(s->el[e].kind, t) == NULL)
    return 0;
  if (on == NULL)
    return s->el[e].kind == 'm' && t == CKT_SRC_MAIN;
  for (size_t i = 0; i < s->ninst; i++)
    if (s->inst_el[i] == e && on[i * CKT_SRC_N + t])
      return 1;
  return 0;
}

static int build(const ckt_subckt *s, const ckt_port_bind *bind,
                 const ckt_sim_params *p, const unsigned char *on,
                 const char *save, ckt_netlist *nl, char **dev,
                 ckt_subckt_src **srcs, size_t *nsrc, tk_err *err)
{
  char buf[CKT_SUBCKT_NAME_MAX + 16];
  TK_TRY(ckt_netlist_add(nl, err, "* tsukit characterize: subcircuit %s",
                         s->defs[s->target].name));
  TK_TRY(ckt_netlist_add(nl, err, ".options temp=%.6g tnom=27 gmin=1e-21",
                         p->temp_K - PHYS_T0_K));
  for (size_t i = 0; i < s->n; i++) {
    for (size_t d = 0; d < s->ndef && p->noise; d++) {
      if (s->defs[d].ends != i || !s->defs[d].noisy)
        continue;
      /* `I n+ n- external` (no "dc": `dc 0 external` crashes 39.3); the
       * MOSFET channels first (in this order since tsukit 1) */
      for (int pass = 0; pass < 2; pass++)
        for (size_t e = 0; e < s->nel; e++) {
          if (s->el[e].def != (int)d)
            continue;
          for (int t = 0; t < CKT_SRC_N; t++) {
            int chan = s->el[e].kind == 'm' && t == CKT_SRC_MAIN;
            if (chan != (pass == 0) || !elem_has(s, e, (ckt_src_type)t, on))
              continue;
            const src_form *f = form_of(s->el[e].kind, (ckt_src_type)t);
            /* "external 0": ngspice appends the m= of an enclosing X
             * line to every element, and `I a b external m=2` does not
             * parse (39.3); the source's m is divided out of its density
             * (ckt_preflight.c) */
            TK_TRY(ckt_netlist_add(nl, err, "%s%s %s %s external%s",
                                   f->prefix, s->el[e].name,
                                   s->el[e].node[f->a], s->el[e].node[f->b],
                                   on != NULL ? " 0" : ""));
          }
        }
    }
    TK_TRY(ckt_netlist_add(nl, err, "%s", s->lines[i]));
  }
  size_t len = 16 + strlen(s->defs[s->target].name);
  for (size_t i = 0; i < s->nports; i++) {
    if (bind[i].kind == CKT_PORT_UNBOUND)
      return TK_FAIL(err, TK_EINVAL, "port %s of %s is not connected",
                     s->ports[i], s->defs[s->target].name);
    if (bind[i].kind == CKT_PORT_FIXED) {
      char vn[CKT_SUBCKT_NAME_MAX + 8];
      ckt_subckt_vsrc(s, i, vn, sizeof vn);
      ckt_subckt_net(s, i, bind, buf, sizeof buf);
      TK_TRY(ckt_netlist_add(nl, err, "%s %s 0 %.12g", vn, buf, bind[i].v_V));
    }
    len += strlen(s->ports[i]) + 8;
  }
  char *x = malloc(len), *q = x;
  if (x == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  q += sprintf(q, "X_TK");
  for (size_t i = 0; i < s->nports; i++) {
    ckt_subckt_net(s, i, bind, buf, sizeof buf);
    q += sprintf(q, " %s", buf);
  }
  sprintf(q, " %s", s->defs[s->target].name);
  int rc = ckt_netlist_add(nl, err, "%s", x);
  free(x);
  TK_TRY(rc);
  if (p->noise && on == NULL) {
    len = 16;
    for (size_t k = 0; k < s->nmos; k++) {
      /* the ngspice names of a flat hierarchy: m.x_tk.<path>,
       * i.x_tk.<path-prefix>inz_<m> (ckt_subckt_netlist only; the
       * preflight asks ngspice instead) */
      const char *path = s->mos[k].path, *leaf = strrchr(path, '.');
      leaf = leaf ? leaf + 1 : path;
      char src[2 * CKT_SUBCKT_NAME_MAX];
      snprintf(src, sizeof src, "i." INST ".%.*sinz_%s",
               (int)(leaf - path), path, leaf);
      TK_TRY(ckt_netlist_add_source(nl, src, (int)k, err));
      if (asprintf(&dev[k], "m." INST ".%s", path) < 0)
        return TK_FAIL(err, TK_ENOMEM, "out of memory");
      len += 2 * strlen(dev[k]) + 16;
    }
    char *sv = malloc(len);
    if (sv == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    q = sv + sprintf(sv, ".save all");
    for (size_t k = 0; k < s->nmos; k++)
      q += sprintf(q, " @%s[id] @%s[gds]", dev[k], dev[k]);
    rc = ckt_netlist_add(nl, err, "%s", sv);
    free(sv);
    TK_TRY(rc);
  }
  if (p->noise && on != NULL) {
    /* the sources in the order of their noise streams: every MOSFET
     * channel (flattened order), then the others */
    size_t n = 0, cap = 0;
    ckt_subckt_src *v = NULL;
    for (int pass = 0; pass < 2; pass++)
      for (size_t i = 0; i < s->ninst; i++)
        for (int t = 0; t < CKT_SRC_N; t++) {
          size_t e = s->inst_el[i];
          int chan = s->el[e].kind == 'm' && t == CKT_SRC_MAIN;
          if (chan != (pass == 0) || !elem_has(s, e, (ckt_src_type)t, on))
            continue;
          if (n == cap) {
            cap = cap ? 2 * cap : 32;
            ckt_subckt_src *nv = realloc(v, cap * sizeof *nv);
            if (nv == NULL) {
              free(v);
              return TK_FAIL(err, TK_ENOMEM, "out of memory");
            }
            v = nv;
          }
          const src_form *f = form_of(s->el[e].kind, (ckt_src_type)t);
          const char *path = s->inst[i].path, *leaf = strrchr(path, '.');
          leaf = leaf ? leaf + 1 : path;
          v[n].inst = i;
          v[n].type = (ckt_src_type)t;
          char sp[4 * CKT_SUBCKT_NAME_MAX];
          snprintf(sp, sizeof sp, INST ".%.*s%s%s", (int)(leaf - path), path,
                   f->prefix, s->el[e].name);
          if (strlen(sp) >= sizeof v[n].path) {
            free(v);
            return TK_FAIL(err, TK_EINVAL, "source path %s too long", sp);
          }
          memcpy(v[n].path, sp, strlen(sp) + 1);
          ckt__subckt_lower(v[n].path);
          n++;
        }
    *srcs = v;
    *nsrc = n;
    if (save != NULL && (rc = ckt_netlist_add(nl, err, "%s", save)) != 0)
      return rc;
  }
  double tmax = p->noise ? fmin(p->tstep_s, 0.5 * p->nt_s) : p->tstep_s;
  TK_TRY(ckt_netlist_add(nl, err, ".tran %.6g %.6g 0 %.6g", p->tstep_s,
                         p->tstop_s, tmax));
  return ckt_netlist_add(nl, err, ".end");
}

static int check_params(const ckt_subckt *s, const ckt_port_bind *bind,
                        const ckt_sim_params *p, tk_err *err)
{
  if (s == NULL || bind == NULL || p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no subcircuit, ports or parameters");
  if (!(p->temp_K > 0) || !(p->tstop_s > 0) || !(p->tstep_s > 0) ||
      p->tstep_s > p->tstop_s || !(p->nt_s > 0))
    return TK_FAIL(err, TK_ERANGE,
                   "simulation parameters out of range (T %g K, tstop %g s, "
                   "tstep %g s, noise slot %g s)",
                   p->temp_K, p->tstop_s, p->tstep_s, p->nt_s);
  return TK_OK;
}

int ckt_subckt_netlist_plan(const ckt_subckt *s, const ckt_port_bind *bind,
                            const ckt_sim_params *p, const unsigned char *on,
                            const char *save, ckt_netlist *nl,
                            ckt_subckt_src **srcs, size_t *nsrc, tk_err *err)
{
  memset(nl, 0, sizeof *nl);
  *srcs = NULL;
  *nsrc = 0;
  TK_TRY(check_params(s, bind, p, err));
  if (on == NULL)
    return TK_FAIL(err, TK_EINVAL, "no noise plan");
  int rc = build(s, bind, p, on, save, nl, NULL, srcs, nsrc, err);
  if (rc != 0) {
    ckt_netlist_clear(nl);
    free(*srcs);
    *srcs = NULL;
    *nsrc = 0;
  }
  return rc;
}

int ckt_subckt_netlist(const ckt_subckt *s, const ckt_port_bind *bind,
                       const ckt_sim_params *p, ckt_netlist *nl,
                       char ***mos_dev, tk_err *err)
{
  memset(nl, 0, sizeof *nl);
  *mos_dev = NULL;
  TK_TRY(check_params(s, bind, p, err));
  char **dev = calloc(s->nmos + 1, sizeof *dev);
  if (dev == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = build(s, bind, p, NULL, NULL, nl, dev, NULL, NULL, err);
  if (rc != 0) {
    ckt_netlist_clear(nl);
    ckt_subckt_devs_free(dev, s->nmos);
    return rc;
  }
  *mos_dev = dev;
  return TK_OK;
}
