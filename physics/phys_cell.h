/* phys_cell.h -- a small circuit: nodes with capacitance, transistors,
 * resistors and fixed-voltage nodes.
 *
 * This is the one description of a sampling cell.  The native Langevin
 * solver (phys_langevin.h) integrates it directly; circuits/ turns the
 * same description into an ngspice netlist, so a cell is never written
 * twice.  Node 0 is ground (fixed at 0 V).  Fixed nodes are ideal
 * voltage sources (supply, controls); free nodes carry a capacitance to
 * ground and are integrated.
 *
 * Objects follow the alloc/free pattern; phys_cell_free(NULL) is fine and
 * a half-built cell is cleaned up by its own free.
 */
#ifndef PHYS_CELL_H
#define PHYS_CELL_H

#include <stddef.h>

#include "common/tk_error.h"
#include "physics/phys_mosfet.h"

#define PHYS_NAME_MAX 32

typedef struct phys_node {
  char name[PHYS_NAME_MAX]; /* unique, SPICE-safe ([A-Za-z0-9_]) */
  int fixed;                /* 1: ideal source at v_V; 0: integrated */
  double v_V;               /* fixed voltage, or initial voltage if free */
  double c_F;               /* capacitance to ground (> 0 if free) */
  int is_supply;            /* 1: energy drawn from here is counted */
} phys_node;

typedef struct phys_mos {
  char name[PHYS_NAME_MAX]; /* unique device name, e.g. "MN1" */
  int d, g, s, b;           /* node indices */
  phys_mos_params p;        /* model parameters */
  int noisy;                /* 1: inject channel shot noise */
} phys_mos;

typedef struct phys_res {
  char name[PHYS_NAME_MAX]; /* unique device name */
  int a, b;                 /* node indices */
  double r_ohm;             /* resistance, > 0 */
  int noisy;                /* 1: inject thermal noise 4kT/R */
} phys_res;

typedef struct phys_cell {
  phys_node *nodes;         /* nodes[0] is ground */
  size_t n_nodes, cap_nodes;
  phys_mos *mos;            /* transistors */
  size_t n_mos, cap_mos;
  phys_res *res;            /* resistors */
  size_t n_res, cap_res;
} phys_cell;

/* A cell holding only the ground node. */
int phys_cell_alloc(phys_cell **out, tk_err *err);
void phys_cell_free(phys_cell *c);

/* Add a node; *idx receives its index.  Free nodes need c_F > 0. */
int phys_cell_add_fixed(phys_cell *c, const char *name, double v_V,
                        int is_supply, int *idx, tk_err *err);
int phys_cell_add_free(phys_cell *c, const char *name, double c_F,
                       double v0_V, int *idx, tk_err *err);
int phys_cell_add_mos(phys_cell *c, const char *name, int d, int g, int s,
                      int b, const phys_mos_params *p, tk_err *err);
int phys_cell_add_res(phys_cell *c, const char *name, int a, int b,
                      double r_ohm, tk_err *err);

/* Index of a node by name, or -1. */
int phys_cell_node(const phys_cell *c, const char *name);
/* Change a fixed node's voltage (a control input), with checks. */
int phys_cell_set_fixed(phys_cell *c, const char *name, double v_V,
                        tk_err *err);
/* Whole-cell consistency: indices in range, names unique, every free node
 * reachable, parameters valid. */
int phys_cell_check(const phys_cell *c, tk_err *err);

#endif
