/* tsu_energy.h -- energy accounting of a TSU run, term by term.
 *
 * Per cell update (one node of one chip, i.e. one chain):
 *   E_rng   = e_rng_J * max(dt/tau, 1)  the random-bit source: a cell that
 *             runs continuously draws e_rng_J per correlation time (cell
 *             library energy_J, default 350 aJ per bit, Extropic App. J);
 *             updates closer than tau still pay one correlation time each
 *             when tau = 0 or dt <= tau
 *   E_bias  = degree * c_syn_F * vdd^2  the weighted sum: each input
 *             charges its synapse capacitor once per update
 *   E_clock = n_colors * c_clock_F * vdd^2  the cell's clock load, toggled
 *             every cycle; a sweep is n_colors cycles
 *   E_wire  = activity * sum_links 1/2 C_link vdd^2,  C_link =
 *             c_wire_F_per_m * pitch_m * link length (in pitches; grid
 *             jumps (a,b) have length sqrt(a^2+b^2)); the output wire
 *             swings only when the state flips (activity = flips per
 *             update, measured by `sample`, 0.5 if unknown)
 * Per sample: K sweeps + readout of every cell (e_read_J each).
 * Defaults (tsu_energy_default_params): vdd 0.4 V, c_syn 0.2 fF, c_clock
 * 0.5 fF, 0.2 fF/um of wire, 5 um pitch, 1 fJ readout per cell.  These are
 * order-of-magnitude placeholders for a 45 nm-class process, to be
 * replaced by calibrated values; the paper's E = T K L^2 E_cell
 * (E_cell = 2 fJ) is reported beside them.
 */
#ifndef TSU_ENERGY_H
#define TSU_ENERGY_H

#include "common/tk_error.h"
#include "tsu/tsu_graph.h"

typedef struct tsu_energy_params {
  double e_rng_J;        /* energy per independent cell sample, J */
  double tau_s;          /* cell correlation time, s (0: one sample/update) */
  double dt_s;           /* time between updates of one cell, s */
  double samples_per_update; /* > 0: independent cell samples per update,
                          * averaged over the nodes (cells with their own
                          * tau: tsu_celltab_cells); 0: max(dt/tau, 1)
                          * from tau_s and dt_s */
  double vdd_V;          /* swing of bias, clock and wires, V */
  double c_syn_F;        /* synapse capacitance per input, F */
  double c_clock_F;      /* clock load per cell, F */
  double c_wire_F_per_m; /* wire capacitance per length, F/m */
  double pitch_m;        /* cell pitch, m */
  double e_read_J;       /* readout per cell per sample, J */
  double activity;       /* flips per update in [0, 1] */
  double e_cell_paper_J; /* E_cell of the paper's estimate, J */
} tsu_energy_params;

typedef struct tsu_energy_report {
  double rng_J;          /* per sweep, whole chip */
  double bias_J;         /* per sweep */
  double clock_J;        /* per sweep */
  double wire_J;         /* per sweep */
  double per_sweep_J;    /* sum of the four */
  double readout_J;      /* per sample */
  double per_sample_J;   /* K sweeps + readout */
  double paper_per_sample_J; /* K n E_cell (T = 1) */
  double per_update_J;   /* per_sweep_J / n */
} tsu_energy_report;

tsu_energy_params tsu_energy_default_params(void);

/* Report for graph g with n_colors colours and K sweeps per sample. */
int tsu_energy_compute(const tsu_energy_params *p, const tsu_graph *g,
                       unsigned n_colors, double sweeps_per_sample,
                       tsu_energy_report *out, tk_err *err);

#endif
