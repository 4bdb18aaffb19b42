/* tsu_cell.h -- what a sampling cell does with its bias.
 *
 * The ideal pbit returns s = +1 with P = sigmoid(2 beta gamma),
 * gamma = h_i + sum_j J_ij s_j.  A real cell is driven by a control
 * voltage and has its own logistic transfer curve, mismatch and memory:
 *
 *   control voltage   v_i = v0_nom + vs_nom * 2 beta gamma_i
 *   transfer curve    P_i(1) = sigmoid((v_i - v0_i) / vs_i)
 *   mismatch          v0_i = v0 + dv0_i,  vs_i = vs * (1 + dvs_i),
 *                     dv0_i ~ N(0, v0_sigma^2), dvs_i ~ N(0, vs_sigma_rel^2),
 *                     drawn once per chip from chip_seed (Philox stream 3
 *                     and 4, indexed by node)
 *   memory            x in {0,1}, p = P_i(1):  P(x_new = 1 | x_old)
 *                     = p + (x_old - p) exp(-dt/tau)   (two-state Markov)
 *
 * (v0_nom, vs_nom) is the mapping the chip was designed with (usually the
 * calibrated cell at its design temperature); (v0, vs) is the cell at the
 * chip's actual temperature.  A perfect cell (v0 = v0_nom, vs = vs_nom, no
 * spread, tau = 0) is exactly the ideal sigmoid.  Everything reduces, per
 * node, to  P_i(1) = sigmoid(a_i gamma_i + b_i)  with memory factor e_i:
 *   a_i = 2 beta vs_nom / vs_i,  b_i = (v0_nom - v0_i) / vs_i,
 *   e_i = exp(-dt / tau)  (0 when tau = 0).
 *
 * Measured cells (tsu_cells_build_nodes).  When every node's cell was
 * characterised on its own (calibrate --mc: one Monte-Carlo instance per
 * cell, tsu_celltab_nodes), node i takes its own (v0_i, vs_i, tau_i)
 * instead of a Gaussian draw, so e_i = exp(-dt / tau_i) differs per node.
 * Trimmed chip: each node's mapping is its own cell at the design
 * temperature, v_i = v0_nom_i + vs_nom_i * 2 beta gamma_i (a per-cell
 * offset and gain trim set from that cell's measured curve), so
 *   a_i = 2 beta vs_nom_i / vs_i,  b_i = (v0_nom_i - v0_i) / vs_i,
 * which is the ideal sigmoid (a_i = 2 beta, b_i = 0) when the chip runs at
 * its design temperature.  What a real trim adds and this does not model:
 * the trim DAC's resolution and the error of the measurement it was set
 * from (the measured curve is taken as the cell's true curve).
 */
#ifndef TSU_CELL_H
#define TSU_CELL_H

#include <stdint.h>

#include "common/tk_error.h"

typedef struct tsu_cell_params {
  double beta;          /* inverse temperature of the model, >= 0 */
  double v0_nom_V;      /* mapping: control voltage at gamma = 0 */
  double vs_nom_V;      /* mapping: volts per unit of 2 beta gamma, > 0 */
  double v0_V;          /* cell's mean logistic centre at chip temperature */
  double vs_V;          /* cell's mean logistic scale at chip temperature, > 0 */
  double v0_sigma_V;    /* per-cell spread of the centre (std dev), >= 0 */
  double vs_sigma_rel;  /* per-cell relative spread of the scale, >= 0 */
  double tau_s;         /* cell correlation time, >= 0 (0: no memory) */
  double dt_s;          /* time between two updates of one cell, > 0 if tau > 0 */
  uint64_t chip_seed;   /* fixes the mismatch draw */
} tsu_cell_params;

typedef struct tsu_cells {
  uint32_t n;           /* nodes */
  double *a;            /* [n] gain on gamma, 1/(energy unit) */
  double *b;            /* [n] offset of the logit */
  double *e;            /* [n] memory exp(-dt/tau), in [0, 1) */
  int has_memory;       /* 1 if any e_i > 0 */
} tsu_cells;

/* Perfect cells at inverse temperature beta (a_i = 2 beta, b_i = e_i = 0). */
tsu_cell_params tsu_cell_ideal_params(double beta);

/* Per-node response for n nodes; checks the parameters. */
int tsu_cells_build(const tsu_cell_params *p, uint32_t n, tsu_cells **out,
                    tk_err *err);
void tsu_cells_free(tsu_cells *c);

/* Each node's own cell (tsu_celltab_nodes fills it from a library's
 * measured instances).  v0_V, vs_V [n]: the cell at the chip temperature;
 * tau_s [n] its correlation time (NaN or NULL: p->tau_s); v0_nom_V,
 * vs_nom_V [n] a trimmed chip's per-node mapping, or NULL: the nominal
 * mapping p->v0_nom_V, p->vs_nom_V for every node.  Allocated by the
 * filler, released by tsu_cell_nodes_clear. */
typedef struct tsu_cell_nodes {
  uint32_t n;
  double *v0_V, *vs_V, *tau_s;
  double *v0_nom_V, *vs_nom_V;
} tsu_cell_nodes;

void tsu_cell_nodes_clear(tsu_cell_nodes *nd);

/* Per-node response from each node's own cell (nd->n nodes): p gives
 * beta, the nominal mapping, tau and dt; its mismatch spreads and mean
 * cell are not used (the nodes' cells are the mismatch). */
int tsu_cells_build_nodes(const tsu_cell_params *p, const tsu_cell_nodes *nd,
                          tsu_cells **out, tk_err *err);

/* P(1) of node i for bias gamma and previous state x_old in {0,1}
 * (the reference formula, double precision). */
double tsu_cell_p1(const tsu_cells *c, uint32_t i, double gamma, int x_old);

#endif
