/* ckt_cellkind.h -- the kinds of sampling cell, one table: enum, name,
 * number of states, output ports and the figures each kind reports.
 *
 * Workload: a static table of three rows, looked up by index or scanned
 * by name.  A cell (ckt_cells.h) names its kind; code that treats kinds
 * differently switches on the enum or indexes a per-kind table (the
 * measurement: run/run_cellmeasure.h; the trace figures:
 * io_trace_figdefs in io/io_trace.h), never compares strings.
 *
 *   pbit         two states, one digital output line (hysteresis at 30 %
 *                and 70 % of VDD);
 *   categorical  K states, one one-hot output line per state (the state is
 *                the line that is >= 0.7 VDD);
 *   gmm          a continuous output: two Gaussian modes split at half
 *                the second control (the mode separation).
 */
#ifndef CKT_CELLKIND_H
#define CKT_CELLKIND_H

#include "common/tk_error.h"

typedef enum ckt_cellkind {
  CKT_CELL_PBIT = 0,
  CKT_CELL_CATEGORICAL = 1,
  CKT_CELL_GMM = 2,
  CKT_CELL_N_KINDS
} ckt_cellkind;

typedef struct ckt_cellkind_info {
  ckt_cellkind kind;    /* its own index */
  const char *name;     /* "pbit" | "categorical" | "gmm" (files, `cells`) */
  unsigned n_states;    /* discrete states (gmm: modes) */
  int continuous;       /* 1: the output is an analog value (gmm) */
} ckt_cellkind_info;

/* The row of kind k (NULL outside the enum). */
const ckt_cellkind_info *ckt_cellkind_get(ckt_cellkind k);
/* Its name ("?" outside the enum). */
const char *ckt_cellkind_name(ckt_cellkind k);
/* Kind from its name; TK_EINVAL (message lists the names) if unknown. */
int ckt_cellkind_from_name(const char *name, ckt_cellkind *out, tk_err *err);

#endif
