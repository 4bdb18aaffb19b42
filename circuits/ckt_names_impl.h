/* ckt_names_impl.h -- ngspice's own names of the instances of a loaded
 * circuit, matched to the names tsukit wrote: one code path for a
 * designer's subcircuit (ckt_preflight.c) and the shipped cells
 * (ckt_sim.c), so that no caller reconstructs an ngspice name.
 *
 * ngspice names an instance after the expansion of every subcircuit
 * ("m.x_tk.m.xi1.mp" for MP of a definition nested in the one
 * instantiated as X_TK, "r.x_tk.x1.r2" for a top-level one, "m1" at top
 * level); ckt__names_load reads that list (`listing expand`) and reduces
 * each name to its instance path (the per-level type letters dropped,
 * lower case): "x_tk.xi1.mp", "m1".  A path is looked up in that form.
 *
 * Workload: one list per loaded netlist; lookups are linear scans
 * (quadratic in the instances, milliseconds at a thousand).
 */
#ifndef CKT_NAMES_IMPL_H
#define CKT_NAMES_IMPL_H

#include <stddef.h>

#include "circuits/ckt_session.h"

typedef struct ckt__names {
  char **name;          /* [n] ngspice's names (lower case) */
  char **card;          /* [n] the rest of each card (nodes, model, ...) */
  char **norm;          /* [n] instance paths ("x_tk.xi1.mp") */
  unsigned char *used;  /* [n] set by ckt__names_find */
  size_t n;             /* instances */
} ckt__names;

/* The instances of the circuit loaded in ses. */
int ckt__names_load(ckt_session *ses, ckt__names *nm, tk_err *err);
void ckt__names_free(ckt__names *nm);
/* Index of the instance whose path is `path` (any case), marked used;
 * -1 if ngspice has none. */
int ckt__names_find(ckt__names *nm, const char *path);
/* ngspice's name reduced to its instance path (see above). */
void ckt__names_normalise(const char *name, char *out, size_t size);

#endif
