/* phys_cell.c -- building and checking small-cell descriptions.
 *
 * Workload: a handful of nodes and devices, built once per simulation;
 * clarity over speed.
 */
#include "physics/phys_cell.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int grow(void **arr, size_t *cap, size_t n, size_t elsize)
{
  if (n < *cap)
    return 0;
  size_t nc = *cap ? 2 * *cap : 8;
  void *na = realloc(*arr, nc * elsize);
  if (na == NULL)
    return -1;
  *arr = na;
  *cap = nc;
  return 0;
}

static int name_ok(const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen(name) >= PHYS_NAME_MAX)
    return 0;
  for (const char *p = name; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '_')
      return 0;
  return 1;
}

int phys_cell_alloc(phys_cell **out, tk_err *err)
{
  *out = NULL;
  phys_cell *c = calloc(1, sizeof *c);
  if (c == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int idx;
  int rc = phys_cell_add_fixed(c, "0", 0.0, 0, &idx, err);
  if (rc != 0) {
    phys_cell_free(c);
    return rc;
  }
  *out = c;
  return TK_OK;
}

void phys_cell_free(phys_cell *c)
{
  if (c == NULL)
    return;
  free(c->nodes);
  free(c->mos);
  free(c->res);
  free(c);
}

int phys_cell_node(const phys_cell *c, const char *name)
{
  for (size_t i = 0; i < c->n_nodes; i++)
    if (strcmp(c->nodes[i].name, name) == 0)
      return (int)i;
  return -1;
}

static int add_node(phys_cell *c, const char *name, int fixed, double v_V,
                    double c_F, int is_supply, int *idx, tk_err *err)
{
  if (!name_ok(name))
    return TK_FAIL(err, TK_EINVAL, "bad node name '%s' (letters, digits, _)",
                   name ? name : "");
  if (phys_cell_node(c, name) >= 0)
    return TK_FAIL(err, TK_EINVAL, "node '%s' defined twice", name);
  if (!isfinite(v_V))
    return TK_FAIL(err, TK_EINVAL, "node '%s': voltage must be finite", name);
  if (!fixed && !(c_F > 0 && isfinite(c_F)))
    return TK_FAIL(err, TK_ERANGE, "node '%s': capacitance %g F must be > 0",
                   name, c_F);
  if (grow((void **)&c->nodes, &c->cap_nodes, c->n_nodes, sizeof *c->nodes))
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  phys_node *n = &c->nodes[c->n_nodes];
  memset(n, 0, sizeof *n);
  strcpy(n->name, name);
  n->fixed = fixed;
  n->v_V = v_V;
  n->c_F = fixed ? 0.0 : c_F;
  n->is_supply = is_supply;
  if (idx)
    *idx = (int)c->n_nodes;
  c->n_nodes++;
  return TK_OK;
}

int phys_cell_add_fixed(phys_cell *c, const char *name, double v_V,
                        int is_supply, int *idx, tk_err *err)
{
  return add_node(c, name, 1, v_V, 0.0, is_supply, idx, err);
}

int phys_cell_add_free(phys_cell *c, const char *name, double c_F,
                       double v0_V, int *idx, tk_err *err)
{
  return add_node(c, name, 0, v0_V, c_F, 0, idx, err);
}

static int node_in_range(const phys_cell *c, int i)
{
  return i >= 0 && (size_t)i < c->n_nodes;
}

static int device_name_free(const phys_cell *c, const char *name)
{
  for (size_t i = 0; i < c->n_mos; i++)
    if (strcmp(c->mos[i].name, name) == 0)
      return 0;
  for (size_t i = 0; i < c->n_res; i++)
    if (strcmp(c->res[i].name, name) == 0)
      return 0;
  return 1;
}

int phys_cell_add_mos(phys_cell *c, const char *name, int d, int g, int s,
                      int b, const phys_mos_params *p, tk_err *err)
{
  if (!name_ok(name) || !device_name_free(c, name))
    return TK_FAIL(err, TK_EINVAL, "bad or duplicate device name '%s'",
                   name ? name : "");
  if (!node_in_range(c, d) || !node_in_range(c, g) || !node_in_range(c, s) ||
      !node_in_range(c, b))
    return TK_FAIL(err, TK_EINVAL, "device %s: node index out of range", name);
  tk_err sub = {0};
  if (phys_mos_check(p, &sub) != 0)
    return TK_FAIL(err, sub.status, "device %s: %s", name, sub.msg);
  if (grow((void **)&c->mos, &c->cap_mos, c->n_mos, sizeof *c->mos))
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  phys_mos *m = &c->mos[c->n_mos++];
  memset(m, 0, sizeof *m);
  strcpy(m->name, name);
  m->d = d;
  m->g = g;
  m->s = s;
  m->b = b;
  m->p = *p;
  m->noisy = 1;
  return TK_OK;
}

int phys_cell_add_res(phys_cell *c, const char *name, int a, int b,
                      double r_ohm, tk_err *err)
{
  if (!name_ok(name) || !device_name_free(c, name))
    return TK_FAIL(err, TK_EINVAL, "bad or duplicate device name '%s'",
                   name ? name : "");
  if (!node_in_range(c, a) || !node_in_range(c, b) || a == b)
    return TK_FAIL(err, TK_EINVAL, "resistor %s: bad nodes", name);
  if (!(r_ohm > 0) || !isfinite(r_ohm))
    return TK_FAIL(err, TK_ERANGE, "resistor %s: %g ohm must be > 0", name, r_ohm);
  if (grow((void **)&c->res, &c->cap_res, c->n_res, sizeof *c->res))
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  phys_res *r = &c->res[c->n_res++];
  memset(r, 0, sizeof *r);
  strcpy(r->name, name);
  r->a = a;
  r->b = b;
  r->r_ohm = r_ohm;
  r->noisy = 1;
  return TK_OK;
}

int phys_cell_set_fixed(phys_cell *c, const char *name, double v_V,
                        tk_err *err)
{
  int i = phys_cell_node(c, name);
  if (i < 0)
    return TK_FAIL(err, TK_ENOTFOUND, "no node named '%s'", name);
  if (!c->nodes[i].fixed)
    return TK_FAIL(err, TK_EINVAL, "node '%s' is not a fixed (source) node", name);
  if (!isfinite(v_V))
    return TK_FAIL(err, TK_EINVAL, "node '%s': voltage must be finite", name);
  c->nodes[i].v_V = v_V;
  return TK_OK;
}

int phys_cell_check(const phys_cell *c, tk_err *err)
{
  if (c == NULL || c->n_nodes == 0)
    return TK_FAIL(err, TK_EINVAL, "empty cell");
  /* every free node must touch at least one device */
  for (size_t i = 0; i < c->n_nodes; i++) {
    if (c->nodes[i].fixed)
      continue;
    int touched = 0;
    for (size_t k = 0; k < c->n_mos && !touched; k++)
      touched = c->mos[k].d == (int)i || c->mos[k].s == (int)i ||
                c->mos[k].g == (int)i;
    for (size_t k = 0; k < c->n_res && !touched; k++)
      touched = c->res[k].a == (int)i || c->res[k].b == (int)i;
    if (!touched)
      return TK_FAIL(err, TK_EINVAL, "node '%s' is connected to nothing",
                     c->nodes[i].name);
  }
  for (size_t k = 0; k < c->n_mos; k++) {
    tk_err sub = {0};
    if (phys_mos_check(&c->mos[k].p, &sub) != 0)
      return TK_FAIL(err, sub.status, "device %s: %s", c->mos[k].name, sub.msg);
  }
  return TK_OK;
}
