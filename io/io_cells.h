/* io_cells.h -- read one calibrated cell from a cell library (the
 * format and its schema: io_celllib.h) as the chip simulator's table:
 * per temperature the logistic fit (fit/v0_V, fit/vs_V), tau_s and
 * energy_J averaged over the control points (NaN entries, where
 * undefined, are skipped; a library without control_V may store them
 * [nT]), the Monte-Carlo spread mismatch/v0_V, mismatch/vs_V (absent:
 * no mismatch; NaN kept where fewer than two instances fitted) and the
 * measured instances mismatch/instance_v0_V, instance_vs_V,
 * instance_tau_s [nT, N] when present (calibrate --mc; the chip's
 * per-node cells, tsu_celltab_nodes).  A calibration checkpoint (point_done without fit/) is
 * refused as an unfinished sweep.  The result is a plain tsu_celltab
 * (free it with tsu_celltab_free).
 */
#ifndef IO_CELLS_H
#define IO_CELLS_H

#include "common/tk_error.h"
#include "tsu/tsu_celltab.h"

/* Read cell `name` from the library at path.  TK_ENOTFOUND (with the
 * available names) if the cell is missing, TK_EFORMAT on bad shapes. */
int io_cells_read(const char *path, const char *name, tsu_celltab **out,
                  tk_err *err);

#endif
