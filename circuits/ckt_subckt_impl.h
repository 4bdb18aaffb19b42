/* ckt_subckt_impl.h -- the parsed netlist, shared by the reader
 * (ckt_subckt.c) and the test-bench builder (ckt_subckt_bench.c); not
 * installed. */
#ifndef CKT_SUBCKT_IMPL_H
#define CKT_SUBCKT_IMPL_H

#include <stddef.h>

#include "circuits/ckt_subckt.h"

typedef struct sub_def {
  char name[CKT_SUBCKT_NAME_MAX]; /* as written */
  size_t ends;                    /* line index of its .ends */
  int parent;                     /* enclosing definition, -1: top level */
  int noisy;                      /* 1: reached from the target: noise added */
} sub_def;

typedef struct sub_elem {
  int def;                        /* owning subcircuit */
  char kind;                      /* SPICE letter, lower case */
  char name[CKT_SUBCKT_NAME_MAX]; /* element name as written */
  char node[4][CKT_SUBCKT_NAME_MAX]; /* its first nodes (M: d g s b;
                                     Q: c b e; R, D: a b) */
  char d[CKT_SUBCKT_NAME_MAX];    /* X: its subcircuit's name */
  char s[CKT_SUBCKT_NAME_MAX];    /* MOSFET source (node[2]) */
  double w_m, l_m;                /* MOSFET literal W, L, or NaN */
  int bad;                        /* too few nodes for its kind */
  size_t line;                    /* its line in ckt_subckt.lines */
} sub_elem;

struct ckt_subckt {
  char **lines;          /* kept logical lines */
  size_t n, cap;         /* used / allocated */
  sub_def *defs;         /* subcircuits defined in FILE */
  size_t ndef;           /* their number */
  sub_elem *el;          /* M and X lines inside subcircuits */
  size_t nel;            /* their number */
  int target;            /* index in defs */
  char **ports;          /* the target's ports */
  size_t nports;         /* their number */
  ckt_subckt_mos *mos;   /* flattened MOSFETs of one instance */
  size_t nmos;           /* their number */
  ckt_subckt_inst *inst; /* every flattened element of one instance */
  size_t ninst;          /* their number */
  size_t *inst_el;       /* [ninst] its element (index in el) */
};

/* The words of a logical line as the reader splits them (at most max;
 * white space, ',', '(' and ')' separate; "w = 1u" is one word "w=1u";
 * an in-line comment ends the line). */
size_t ckt__subckt_tokens(const char *line, char (*tok)[CKT_SUBCKT_NAME_MAX],
                          size_t max);

/* Lower-case a name in place (SPICE names are case-insensitive). */
void ckt__subckt_lower(char *p);

#endif
