/* io_cells.h -- read one calibrated cell from a cell library (HDF5).
 *
 * Schema (DESIGN.md), group /cells/<name>/:
 *   temperature_K [nT]          increasing
 *   control_V     [nV]          (`calibrate --track`: the grid at the
 *                               reference temperature; point_control_V
 *                               [nT, nV] then holds each point's control,
 *                               trip_V / track_center_V [nT] the noiseless
 *                               trip point and the pilot's P = 1/2 point,
 *                               trip_table/ the trip point every 5 K)
 *   tau_s         [nT, nV]      -> averaged over control voltage (NaN
 *                               entries, where undefined, are skipped)
 *   energy_J      [nT, nV]      -> averaged over control voltage (same)
 *   point_done    [nT, nV]      present on a calibrate checkpoint: a file
 *                               with it but without fit/ is refused as an
 *                               unfinished sweep
 *   fit/v0_V, fit/vs_V [nT]     logistic P(1) = sigmoid((v - v0)/vs)
 *   mismatch/v0_V, mismatch/vs_V [nT] (optional) standard deviation of
 *                               the fit parameters over Monte-Carlo
 *                               instances; absent means no mismatch
 * (p_state and p_state_stderr are the measurements behind the fit; the
 * chip simulator uses the fit.  fit/probit_sd_V, probit_sd_err_V,
 * probit_chi2_red [nT]: the Gaussian threshold crossing P(1) = Phi((V -
 * v0') / sd) fitted beside the logistic (pbit; cal_noise.h).  Optional, not read here: with `calibrate
 * --repeats R` p_state_stderr_repeats [nT, nV, S] (the error from the R
 * records' scatter) and fit/error_scale, fit/error_scale_dof [nT] (the
 * factor the fit applied to p_state_stderr); with --noise-model
 * noise_model/{sigma_x_V, tau_x_s, shift_x_V, control_V, vs_V} [nT], the
 * noise node's statistics at each v0 and the width predicted from them;
 * a gmm cell (kind "gmm", attribute vsep_V): gmm_mu_V, gmm_mu_err_V,
 * gmm_sd_V, gmm_sd_err_V [nT, nV, 2] and gmm_w0, gmm_w0_err [nT, nV], the
 * two-Gaussian fit of each point's output (NaN where a mode holds < 2 %),
 * p_state its digitised mode weights.)  The result is a plain tsu_celltab (free
 * it with tsu_celltab_free).
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
