/* ckt_cells.h -- the shipped sampling cells, built as phys_cell
 * descriptions (transistors and capacitors only), and their registry.
 *
 * Workload: a cell is built once per run from its control voltages; the
 * registry is a static table scanned linearly.
 */
#ifndef CKT_CELLS_H
#define CKT_CELLS_H

#include <stddef.h>

#include "circuits/cells/ckt_cellkind.h"
#include "common/tk_error.h"
#include "physics/phys_cell.h"

#define CKT_MAX_CTL 4

/* Design knobs shared by the builders (0 / NaN: the cell's default). */
typedef struct ckt_cell_opts {
  double vdd_V;         /* supply (pbit: sets the digitiser speed, tau) */
  double c_noise_F;     /* capacitance of the noise node(s) */
  double vbias_V;       /* pseudo-resistor gate bias: sets tau */
} ckt_cell_opts;

typedef int (*ckt_cell_build_fn)(const double *vctl_V,
                                 const ckt_cell_opts *o, phys_cell **out,
                                 tk_err *err);

typedef struct ckt_cell_info {
  const char *name;     /* "pbit" */
  ckt_cellkind cellkind; /* its kind (ckt_cellkind.h): switch on this */
  const char *ports;    /* comma list: controls, outputs, supply */
  const char *controls; /* comma list of control node names */
  size_t n_ctl;         /* number of controls, 1..CKT_MAX_CTL */
  double lo_V[CKT_MAX_CTL], hi_V[CKT_MAX_CTL]; /* documented control range */
  const char *outputs;  /* comma list of output node names */
  double vdd_V;         /* default supply */
  double tau_s;         /* nominal correlation time at the defaults */
  double nt_s;          /* noise slot to simulate with */
  double tstep_s;       /* output sample interval */
  ckt_cell_build_fn build;
} ckt_cell_info;

/* A documented bias knob that sets a cell's tau (issue 20). */
typedef struct ckt_cell_knob {
  const char *cell;     /* the cell's name */
  const char *knob;     /* its ckt_cell_opts field / option name, "vdd" */
  double lo_V, hi_V;    /* the documented range, V */
} ckt_cell_knob;

/* The knob of cell ci, NULL when none is documented (pbit-fast: vdd
 * 0.20-0.40 V). */
const ckt_cell_knob *ckt_cell_knob_of(const ckt_cell_info *ci);

size_t ckt_cell_count(void);
const ckt_cell_info *ckt_cell_at(size_t i);
const ckt_cell_info *ckt_cell_find(const char *name);

/* Build a cell at control voltages vctl_V[n_ctl]; checks each control is
 * inside [0, vdd] (outside the supply -> TK_ERANGE). */
int ckt_cell_build(const ckt_cell_info *ci, const double *vctl_V,
                   const ckt_cell_opts *o, phys_cell **out, tk_err *err);

#endif
