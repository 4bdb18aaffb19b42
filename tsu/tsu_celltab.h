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
  double *v0_sigma_V;    /* [n_temp] mismatch spread of v0, V */
  double *vs_sigma_V;    /* [n_temp] mismatch spread of vs, V */
} tsu_celltab;

/* One temperature's values. */
typedef struct tsu_cellpoint {
  double v0_V, vs_V, tau_s, energy_J, v0_sigma_V, vs_sigma_V;
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

void tsu_celltab_free(tsu_celltab *t);

#endif
