/* ckt_subckt.h -- a designer's own SPICE subcircuit, run with tsukit's
 * device noise: `tsukit characterize`.
 *
 * Workload: one netlist file of tens to thousands of lines (its includes
 * inlined), parsed once; a netlist built from it per sweep point.
 *
 * What is read.  FILE is a SPICE deck or library.  Its first line is the
 * title (as in every SPICE deck) unless it starts with '.' or '*';
 * '+' continuation lines are joined; '*' comment lines and in-line
 * comments ('$' or ';' after white space) dropped; keywords and element
 * letters in any case.  `.include FILE` and `.lib FILE SECTION` are
 * replaced by the lines they name (FILE relative to the folder of the file
 * that names it, as ngspice does; only SECTION's `.lib SECTION` ...
 * `.endl` block), recursively.  Kept as given, in order: every .subckt
 * ... .ends block (definitions nested inside others included, visible
 * inside their parent only, as in ngspice), .model, .param, .func,
 * .global, .options, and .lib ... .endl blocks of FILE itself.  Dropped:
 * top-level elements (a test bench: tsukit supplies its own), analyses
 * and output cards (.tran .op .dc .ac .noise .save .print .plot .probe
 * .meas .four .ic .nodeset .temp .end) and .control ... .endc blocks.
 *
 * Elements.  Every element line inside the subcircuit NAME and inside
 * every subcircuit it instantiates (X lines, recursively, resolved like
 * ngspice: a definition nested in the instantiating one or an enclosing
 * one first, then a top-level one) is an element of one instance,
 * flattened (ckt_subckt_inst_at: "x1.xa.mp").  Parameters, {expressions}
 * and m= are ngspice's business: tsukit reads sizes and multipliers from
 * the loaded circuit (circuits/ckt_preflight.h), never from the text.
 *
 * Noise.  Before the .ends of every reached definition the netlist gets
 * EXTERNAL current sources beside the noisy elements: `INZ_<M> d s` (each
 * MOSFET's channel, first, in file order: the netlist of tsukit <= 1),
 * then `INZ_<R> a b`, `INZ_<D> a k`, `INZ_<Q> c e` and `INZB_<Q> b e`,
 * and `INZGS_<M> g s`, `INZGD_<M> g d`, `INZGB_<M> g b` (gate
 * tunnelling), as the plan of ckt_subckt_netlist_plan asks.  Which
 * sources exist, what ngspice calls them and their densities are the
 * preflight's (circuits/ckt_preflight.h).  ckt_subckt_netlist is the
 * netlist of tsukit <= 1: MOSFET channels only, ngspice's names
 * reconstructed as `<letter>.x_tk.<path>` (wrong for nested definitions,
 * which ngspice names `m.x_tk.m.xi1.mp`), kept for comparison.
 *
 * Test bench.  Every port of NAME is bound: to a fixed voltage (supply,
 * control, bias: V source V_TK_<port> on net tk_<port>), to ground, or
 * left free (an output: net tk_<port>, recorded).  The instance is X_TK.
 */
#ifndef CKT_SUBCKT_H
#define CKT_SUBCKT_H

#include <stddef.h>

#include "circuits/ckt_netlist.h"
#include "common/tk_error.h"

#define CKT_SUBCKT_NAME_MAX 128  /* names, ports, device paths (bytes) */
#define CKT_SUBCKT_DEPTH_MAX 8   /* subcircuit nesting followed */

typedef struct ckt_subckt_mos {
  char path[CKT_SUBCKT_NAME_MAX]; /* below the instance: "mn1", "xinv.mn1" */
  double w_m, l_m;                /* literal W, L (NaN: not a number) */
} ckt_subckt_mos;

/* One element of one instance, the hierarchy flattened. */
typedef struct ckt_subckt_inst {
  char path[CKT_SUBCKT_NAME_MAX]; /* below the instance, lower case:
                                     "mr", "x1.xa.mp" */
  char kind;                      /* SPICE letter, lower case */
  const char *def;                /* its subcircuit, as written */
} ckt_subckt_inst;

/* Noise source types an element can carry (ckt_subckt_can_source). */
typedef enum {
  CKT_SRC_MAIN = 0,   /* M channel d-s, R thermal, D shot, Q collector c-e */
  CKT_SRC_BASE,       /* Q base shot b-e */
  CKT_SRC_GS,         /* M gate tunnelling g-s (Igs + Igcs) */
  CKT_SRC_GD,         /* M gate tunnelling g-d (Igd + Igcd) */
  CKT_SRC_GB,         /* M gate tunnelling g-b (Igb) */
  CKT_SRC_N
} ckt_src_type;

/* A noise source of the netlist (ckt_subckt_netlist_plan), in the order
 * of its noise stream. */
typedef struct ckt_subckt_src {
  size_t inst;                    /* the element instance (ckt_subckt_inst_at) */
  ckt_src_type type;              /* which of its sources */
  char path[CKT_SUBCKT_NAME_MAX]; /* hierarchy path of the source, the
                                     form ckt_preflight matches ngspice's
                                     names against: "x_tk.x1.inz_mp" */
} ckt_subckt_src;

typedef struct ckt_subckt ckt_subckt;

/* Read FILE and find subcircuit `name` (case-insensitive).  TK_EIO: FILE
 * or a file it includes cannot be read; TK_ENOTFOUND: no such subcircuit
 * (the message lists those FILE defines), an X line uses one FILE does
 * not define, a .lib SECTION that is not there; TK_EINVAL: no element in
 * it, nesting deeper than CKT_SUBCKT_DEPTH_MAX, a malformed line, an
 * element whose name starts with INZ (tsukit's). */
int ckt_subckt_load(const char *path, const char *name, ckt_subckt **out,
                    tk_err *err);
void ckt_subckt_free(ckt_subckt *s);

const char *ckt_subckt_name(const ckt_subckt *s);   /* as written in FILE */
size_t ckt_subckt_nports(const ckt_subckt *s);
const char *ckt_subckt_port(const ckt_subckt *s, size_t i);
/* Index of port `name` (case-insensitive), or -1. */
int ckt_subckt_find_port(const ckt_subckt *s, const char *name);
/* Every MOSFET of one instance, the hierarchy flattened (the literal W, L
 * of the line: NaN for a parameter or an expression). */
size_t ckt_subckt_nmos(const ckt_subckt *s);
const ckt_subckt_mos *ckt_subckt_mos_at(const ckt_subckt *s, size_t i);

/* Every element (any kind) of one instance, flattened, in file order. */
size_t ckt_subckt_ninst(const ckt_subckt *s);
const ckt_subckt_inst *ckt_subckt_inst_at(const ckt_subckt *s, size_t i);
/* 1 if an element of kind (a letter) can carry source type t. */
int ckt_subckt_can_source(char kind, ckt_src_type t);

/* How the test bench connects a port. */
typedef enum {
  CKT_PORT_UNBOUND = 0,   /* an error at build time */
  CKT_PORT_FIXED,         /* a V source at v_V */
  CKT_PORT_GROUND,        /* node 0 */
  CKT_PORT_FREE           /* a free net (an output), recorded */
} ckt_port_kind;

typedef struct ckt_port_bind {
  ckt_port_kind kind;     /* see above */
  double v_V;             /* CKT_PORT_FIXED: its voltage */
} ckt_port_bind;

/* The netlist for bind[nports] at the settings p (temperature, .tran, the
 * noise switch; p->model, p->model_file are not used: FILE brings its
 * models).  mos_dev[k] (malloc'd, free with ckt_subckt_devs_free) is the
 * ngspice device of noise source k ("m.x_tk.mn1"), in ckt_subckt_mos_at
 * order.  TK_EINVAL names an unbound port. */
int ckt_subckt_netlist(const ckt_subckt *s, const ckt_port_bind *bind,
                       const ckt_sim_params *p, ckt_netlist *nl,
                       char ***mos_dev, tk_err *err);
void ckt_subckt_devs_free(char **mos_dev, size_t n);

/* The netlist with the noise sources of plan on[ninst * CKT_SRC_N] (an
 * element's source is in its definition when any of its instances asks
 * for it) and the card `save` (NULL: none) before .tran.  *srcs
 * (malloc'd, *nsrc of them) lists every source in noise-stream order:
 * each MOSFET channel first, in ckt_subckt_mos_at order, then the others
 * in element order.  Used by circuits/ckt_preflight.h, which gives the
 * sources their ngspice names. */
int ckt_subckt_netlist_plan(const ckt_subckt *s, const ckt_port_bind *bind,
                            const ckt_sim_params *p, const unsigned char *on,
                            const char *save, ckt_netlist *nl,
                            ckt_subckt_src **srcs, size_t *nsrc, tk_err *err);

/* The top-level net of port i ("tk_out"), or "0" for a grounded port;
 * the V source of a fixed port ("V_TK_vdd"). */
void ckt_subckt_net(const ckt_subckt *s, size_t i, const ckt_port_bind *bind,
                    char *buf, size_t size);
void ckt_subckt_vsrc(const ckt_subckt *s, size_t i, char *buf, size_t size);

#endif
