/* ckt_netlist.c -- phys_cell -> ngspice netlist (see ckt_netlist.h).
 *
 * Workload: tens of lines per netlist, built once per run.
 */
#define _GNU_SOURCE 1  /* asprintf, vasprintf */
#include "circuits/ckt_netlist.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "physics/phys_const.h"

ckt_sim_params ckt_sim_default_params(void)
{
  ckt_sim_params p;
  p.model = "bsim4";
  p.model_file = NULL;
  p.temp_K = PHYS_TNOM_K;
  p.tstop_s = 10e-6;
  p.tstep_s = 1e-9;
  p.nt_s = 0.5e-9;
  p.seed = 1;
  p.noise = 1;
  p.noise_scale = 1;
  p.dvth_V = NULL;
  p.n_dvth = 0;
  return p;
}

static int vadd(ckt_netlist *nl, tk_err *err, const char *fmt, va_list ap)
{
  if (nl->n == nl->cap) {
    size_t nc = nl->cap ? 2 * nl->cap : 32;
    char **na = realloc(nl->lines, nc * sizeof *na);
    if (na == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    nl->lines = na;
    nl->cap = nc;
  }
  int rc = vasprintf(&nl->lines[nl->n], fmt, ap);
  if (rc < 0)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  nl->n++;
  return TK_OK;
}

__attribute__((format(printf, 3, 4)))
static int add(ckt_netlist *nl, tk_err *err, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = vadd(nl, err, fmt, ap);
  va_end(ap);
  return rc;
}

int ckt_netlist_add(ckt_netlist *nl, tk_err *err, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = vadd(nl, err, fmt, ap);
  va_end(ap);
  return rc;
}

int ckt_netlist_add_source(ckt_netlist *nl, const char *src, int code,
                           tk_err *err)
{
  size_t k = nl->n_noise;
  char **nn = realloc(nl->noise_names, (k + 1) * sizeof *nn);
  if (nn == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  nl->noise_names = nn;
  int *nd = realloc(nl->noise_dev, (k + 1) * sizeof *nd);
  if (nd == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  nl->noise_dev = nd;
  if ((nn[k] = strdup(src)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  nd[k] = code;
  nl->n_noise++;
  return TK_OK;
}

void ckt_netlist_clear(ckt_netlist *nl)
{
  if (nl == NULL)
    return;
  for (size_t i = 0; i < nl->n; i++)
    free(nl->lines[i]);
  free(nl->lines);
  for (size_t i = 0; i < nl->n_noise; i++)
    free(nl->noise_names[i]);
  free(nl->noise_names);
  free(nl->noise_dev);
  memset(nl, 0, sizeof *nl);
}

char *ckt_netlist_text(const ckt_netlist *nl)
{
  size_t len = 1;
  for (size_t i = 0; i < nl->n; i++)
    len += strlen(nl->lines[i]) + 1;
  char *s = malloc(len), *p = s;
  if (s == NULL)
    return NULL;
  for (size_t i = 0; i < nl->n; i++) {
    size_t l = strlen(nl->lines[i]);
    memcpy(p, nl->lines[i], l);
    p += l;
    *p++ = '\n';
  }
  *p = '\0';
  return s;
}

/* The noise source of a cell's device: INZ_<name>. */
static int add_noise(ckt_netlist *nl, const char *dev, int code, tk_err *err)
{
  char src[PHYS_NAME_MAX + 8];
  snprintf(src, sizeof src, "INZ_%s", dev);
  return ckt_netlist_add_source(nl, src, code, err);
}

/* Device names must start with their SPICE letter. */
static const char *dev_name(const char *name, char letter, char *buf,
                            size_t size)
{
  if (name[0] == letter || name[0] == letter + ('a' - 'A'))
    snprintf(buf, size, "%s", name);
  else
    snprintf(buf, size, "%c%s", letter, name);
  return buf;
}

static int build(const phys_cell *c, const char *title,
                 const ckt_sim_params *p, ckt_netlist *nl, tk_err *err)
{
  char dn[PHYS_NAME_MAX + 2];
  TK_TRY(add(nl, err, "* tsukit cell %s", title ? title : "(unnamed)"));
  /* gmin: ngspice shunts every junction with 1e-12 S by default, far above
   * the fA-level pseudo-resistors of the sampling cells. */
  TK_TRY(add(nl, err, ".options temp=%.6g tnom=%.6g gmin=1e-21",
             p->temp_K - PHYS_T0_K, PHYS_TNOM_K - PHYS_T0_K));
  if (p->model_file != NULL) {
    TK_TRY(add(nl, err, ".include %s", p->model_file));
  } else {
    const char *const *ml;
    size_t nm;
    TK_TRY(ckt_model_lines(p->model, &ml, &nm, err));
    for (size_t i = 0; i < nm; i++)
      TK_TRY(add(nl, err, "%s", ml[i]));
  }
  for (size_t i = 1; i < c->n_nodes; i++) {
    const phys_node *nd = &c->nodes[i];
    if (nd->fixed)
      TK_TRY(add(nl, err, "V_%s %s 0 %.12g", nd->name, nd->name, nd->v_V));
    else
      TK_TRY(add(nl, err, "C_%s %s 0 %.12g", nd->name, nd->name, nd->c_F));
  }
  for (size_t i = 0; i < c->n_mos; i++) {
    const phys_mos *m = &c->mos[i];
    char dv[40] = "";
    if (p->dvth_V != NULL && i < p->n_dvth && p->dvth_V[i] != 0)
      snprintf(dv, sizeof dv, " delvto=%.9g", p->dvth_V[i]);
    TK_TRY(add(nl, err, "%s %s %s %s %s %s W=%.6g L=%.6g%s",
               dev_name(m->name, 'M', dn, sizeof dn), c->nodes[m->d].name,
               c->nodes[m->g].name, c->nodes[m->s].name, c->nodes[m->b].name,
               m->p.type == PHYS_NMOS ? "nch" : "pch", m->p.w_m, m->p.l_m, dv));
  }
  for (size_t i = 0; i < c->n_res; i++) {
    const phys_res *r = &c->res[i];
    TK_TRY(add(nl, err, "%s %s %s %.12g", dev_name(r->name, 'R', dn, sizeof dn),
               c->nodes[r->a].name, c->nodes[r->b].name, r->r_ohm));
  }
  if (p->noise) {
    for (size_t i = 0; i < c->n_mos; i++) {
      const phys_mos *m = &c->mos[i];
      if (!m->noisy)
        continue;
      TK_TRY(add_noise(nl, m->name, (int)i, err));
      /* `I n+ n- external` (no "dc": `dc 0 external` crashes 39.3) */
      TK_TRY(add(nl, err, "%s %s %s external", nl->noise_names[nl->n_noise - 1],
                 c->nodes[m->d].name, c->nodes[m->s].name));
    }
    for (size_t i = 0; i < c->n_res; i++) {
      const phys_res *r = &c->res[i];
      if (!r->noisy)
        continue;
      TK_TRY(add_noise(nl, r->name, -1 - (int)i, err));
      TK_TRY(add(nl, err, "%s %s %s external", nl->noise_names[nl->n_noise - 1],
                 c->nodes[r->a].name, c->nodes[r->b].name));
    }
  }
  if (p->noise && nl->n_noise > 0) {
    /* the noisy MOSFETs' own currents and conductances, read back after
     * every accepted point for the noise densities (ckt_sim.c) */
    size_t len = 16;
    for (size_t k = 0; k < nl->n_noise; k++)
      len += 2 * strlen(nl->noise_names[k]) + 24;
    char *sv = malloc(len), *q = sv;
    if (sv == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    q += sprintf(q, ".save all");
    for (size_t k = 0; k < nl->n_noise; k++)
      if (nl->noise_dev[k] >= 0) {
        const char *mn = dev_name(c->mos[nl->noise_dev[k]].name, 'M', dn, sizeof dn);
        q += sprintf(q, " @%s[id] @%s[gds]", mn, mn);
      }
    int rc = add(nl, err, "%s", sv);
    free(sv);
    TK_TRY(rc);
  }
  for (size_t i = 1; i < c->n_nodes; i++)
    if (!c->nodes[i].fixed)
      TK_TRY(add(nl, err, ".nodeset v(%s)=%.12g", c->nodes[i].name, c->nodes[i].v_V));
  double tmax = p->noise ? fmin(p->tstep_s, 0.5 * p->nt_s) : p->tstep_s;
  TK_TRY(add(nl, err, ".tran %.6g %.6g 0 %.6g", p->tstep_s, p->tstop_s, tmax));
  TK_TRY(add(nl, err, ".end"));
  return TK_OK;
}

int ckt_netlist_build(const phys_cell *c, const char *title,
                      const ckt_sim_params *p, ckt_netlist *nl, tk_err *err)
{
  memset(nl, 0, sizeof *nl);
  if (c == NULL || p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no cell or parameters");
  TK_TRY(phys_cell_check(c, err));
  if (!(p->temp_K > 0) || !(p->tstop_s > 0) || !(p->tstep_s > 0) ||
      p->tstep_s > p->tstop_s || !(p->nt_s > 0))
    return TK_FAIL(err, TK_ERANGE,
                   "simulation parameters out of range (T %g K, tstop %g s, "
                   "tstep %g s, noise slot %g s)",
                   p->temp_K, p->tstop_s, p->tstep_s, p->nt_s);
  int rc = build(c, title, p, nl, err);
  if (rc != 0)
    ckt_netlist_clear(nl);
  return rc;
}
