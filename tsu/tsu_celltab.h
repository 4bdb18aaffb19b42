/* tsu_celltab.h -- a calibrated cell as plain arrays over temperature.
 *
 * io/io_cells.c fills this from a cell library (schema: io/io_celllib.h, docs/ARCHITECTURE.md); tsu/
 * never sees HDF5.  All arrays have n_temp entries at increasing
 * temperature_K; quantities measured over a control-voltage sweep (tau,
 * energy) are already averaged over control voltage by the reader.
 * tsu_celltab_at() interpolates linearly in temperature and fails outside
 * the calibrated range (no extrapolation).
 */
#ifndef TSU_CELLTAB_H
#define TSU_CELLTAB_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_cell.h"

typedef struct tsu_celltab {
  char name[128];        /* cell name in the library */
  size_t n_temp;         /* temperatures, >= 1 */
  double *temperature_K; /* [n_temp] strictly increasing, K */
  double *v0_V;          /* [n_temp] logistic centre, V */
  double *vs_V;          /* [n_temp] logistic scale, V (> 0) */
  double *tau_s;         /* [n_temp] correlation time, s */
  double *energy_J;      /* [n_temp] energy per independent sample, J */
  double *v0_sigma_V;    /* [n_temp] mismatch spread of v0, V (0: none;
                            NaN: fewer than two instances fitted) */
  double *vs_sigma_V;    /* [n_temp] mismatch spread of vs, V */
  size_t n_inst;         /* measured instances (calibrate --mc), 0: none */
  double *inst_v0_V;     /* [n_temp, n_inst] each instance's v0, V (NaN:
                            it did not fit at that temperature) */
  double *inst_vs_V;     /* [n_temp, n_inst] its vs, V */
  double *inst_tau_s;    /* [n_temp, n_inst] its tau, s (NULL: none) */
} tsu_celltab;

/* One temperature's values.  tau_slowest_s: the correlation time of a
 * chip's slowest cell -- tau_s from tsu_celltab_at and
 * tsu_celltab_params; tsu_celltab_cells with the measured instances sets
 * it to the largest of the nodes' own tau (a colour's update is done
 * when its slowest cell has forgotten its state: the chip time per
 * sample, run/run_chiptime.h, uses it). */
typedef struct tsu_cellpoint {
  double v0_V, vs_V, tau_s, energy_J, v0_sigma_V, vs_sigma_V;
  double tau_slowest_s;
} tsu_cellpoint;

/* Interpolate at temp_K; TK_ERANGE outside [T_min, T_max]. */
int tsu_celltab_at(const tsu_celltab *t, double temp_K, tsu_cellpoint *out,
                   tk_err *err);

/* Cell parameters for a chip at temp_K designed at design_K (the mapping
 * gamma -> v uses the cell at design_K), model inverse temperature beta,
 * clock f_Hz (one colour per cycle: a cell is updated every n_colors
 * cycles, dt = n_colors / f_Hz).  Mismatch from the table, fixed by
 * chip_seed. */
int tsu_celltab_params(const tsu_celltab *t, double temp_K, double design_K,
                       double beta, double clock_Hz, unsigned n_colors,
                       uint64_t chip_seed, tsu_cell_params *out,
                       tsu_cellpoint *at, tk_err *err);

/* Each of n nodes its own measured cell (tsu_cell.h, tsu_cell_nodes):
 * the instances that fitted at every calibrated temperature bracketing
 * temp_K (and design_K with trim) are numbered 0..M-1 in file order, and
 * node i is instance i mod M (so a chip of n <= M nodes has one instance
 * per cell, node i the i-th).  Its v0, vs and tau are interpolated
 * linearly in temperature at temp_K (an instance without a tau there
 * gets NaN: the chip's nominal tau, counted in tsu_celltab_cells' line);
 * with trim, its mapping (v0_nom, vs_nom) is the same instance at
 * design_K (a per-cell trimmed chip),
 * else the mapping is left to the nominal cell (NULL arrays).  *m_used
 * gets M.  TK_EINVAL when the table has no instances, TK_ERANGE outside
 * the calibrated temperatures or when no instance fitted. */
int tsu_celltab_nodes(const tsu_celltab *t, double temp_K, double design_K,
                      int trim, uint32_t n, tsu_cell_nodes *out,
                      size_t *m_used, tk_err *err);

/* Where a chip's per-cell mismatch comes from (tsu_celltab_cells). */
typedef enum tsu_mismatch {
  TSU_MISMATCH_AUTO = 0,    /* the measured instances when the library has
                               them, else the Gaussian draw */
  TSU_MISMATCH_INSTANCES,   /* the measured instances (tsu_celltab_nodes) */
  TSU_MISMATCH_GAUSSIAN,    /* v0, vs drawn per node from the library's
                               spread (tsu_cell.h, chip_seed) */
  TSU_MISMATCH_NONE         /* every node the nominal cell */
} tsu_mismatch;

/* A chip's n cells from the table: tsu_celltab_params (cp, at), then per
 * node the measured instances (with trim: each node's mapping trimmed to
 * its own cell at design_K; trim needs instances), the Gaussian draw or
 * the nominal cell as mode says.  trim_lsb_V > 0: the offset trim comes
 * in steps of that size (a trim DAC), v0_nom_i = v0_nom + lsb round((v0_i
 * - v0_nom) / lsb) with v0_nom the nominal cell at design_K, so each
 * cell keeps an offset of up to lsb / 2; 0: exact.  The gain trim stays
 * exact.  *samples_per_update (may be NULL) gets the nodes' mean of
 * max(dt / tau_i, 1) (1 where tau_i = 0): the independent samples a cell
 * draws per update, for the energy report (tsu_energy.h).  desc (size bytes, may be NULL) gets one
 * line for the output file and stderr, its first word (up to ':') one of
 * instances, instances-trimmed, gaussian, none, e.g. "instances: 4849
 * of 4900 instances fitted, node i = instance i mod 4849, untrimmed (the
 * nominal cell's mapping)". */
int tsu_celltab_cells(const tsu_celltab *t, double temp_K, double design_K,
                      double beta, double clock_Hz, unsigned n_colors,
                      uint64_t chip_seed, tsu_mismatch mode, int trim,
                      double trim_lsb_V, uint32_t n, tsu_cells **cells,
                      tsu_cell_params *cp,
                      tsu_cellpoint *at, char *desc, size_t size,
                      double *samples_per_update, tk_err *err);

void tsu_celltab_free(tsu_celltab *t);

#endif
