/* tka_cells.h -- a calibrated cell library opened once for foreign
 * callers: its settings and arrays (io/io_celllib.h), the pbit's
 * temperature-model prediction and inverse (calibrate/cal_predict.h),
 * and a categorical cell's fitted model and inverse (calibrate/cal_fit.h,
 * cal_priority.h).
 *
 * Workload: one read of the library at open; every prediction after it
 * is a few formula evaluations (no file access).
 */
#ifndef TKA_CELLS_H
#define TKA_CELLS_H

#include <stddef.h>

#include "common/tk_error.h"

typedef struct tka_cells tka_cells;

/* Open cell `cell` of the library at path (cell NULL: its only cell;
 * TK_EINVAL naming them if it has several).  A file that is not a cell
 * library (root kind other than "cells") is TK_EFORMAT naming its kind. */
int tka_cells_open(const char *path, const char *cell, tka_cells **out,
                   tk_err *err);
void tka_cells_free(tka_cells *c);

/* The cell's name, its kind ("pbit", "categorical", "gmm"), its number
 * of states K and controls per point, its temperatures [n_temps] (K). */
const char *tka_cells_name(const tka_cells *c);
const char *tka_cells_kind(const tka_cells *c);
unsigned tka_cells_n_states(const tka_cells *c);
unsigned tka_cells_n_controls(const tka_cells *c);
const double *tka_cells_temps(const tka_cells *c, size_t *n_temps);
/* The calibrated control range [min, max] of control_V (V). */
void tka_cells_control_range(const tka_cells *c, double *lo_V, double *hi_V);

/* An array of the library by its path under /cells/<name>/ (the names
 * of io_celllib.h): "fit/v0_V", "fit/vs_V", "fit/tau_op_s", "tau_s",
 * "energy_J", "mismatch/v0_V", "mismatch/vs_V", "mismatch/tau_s",
 * "mismatch/instance_v0_V", "mismatch/instance_vs_V",
 * "mismatch/instance_tau_s", "mismatch/instance_trip_shift_V",
 * "fit/a", "fit/b_per_V"; owned by c; NULL when the library lacks it or
 * the name is not one of these.  dims[0] x dims[1] values. */
const double *tka_cells_array(const tka_cells *c, const char *name,
                              size_t dims[2]);

/* pbit: P(1), its standard error and tau (s) at vctl_V[i], temp_K[i] from
 * the temperature model (as `tsukit predict`); TK_ENOTFOUND without a
 * model, TK_ERANGE outside the calibrated range (+- 25 K).
 * categorical: p1[n][K] <- P(state k) at the controls vctl_V[n][K] from
 * the model fitted at temp_K[i], which must be one of the calibrated
 * temperatures (the fits are per temperature; TK_ERANGE otherwise);
 * p1_err and tau_s are not written (may be NULL). */
int tka_cells_predict(const tka_cells *c, size_t n, const double *vctl_V,
                      const double *temp_K, double *p1, double *p1_err,
                      double *tau_s, tk_err *err);

/* The controls that give a target: pbit p[n] in (0, 1) -> vctl_V[n]
 * (the logistic of the temperature model at temp_K[i] inverted);
 * categorical p[n][K] (each > 0, renormalised) -> vctl_V[n][K] within the
 * calibrated control range, from the fitted model at a calibrated
 * temperature (priority encoder where it fits better than the softmax,
 * as `calibrate --verify`).  gmm cells: TK_EUNSUPPORTED. */
int tka_cells_inverse(const tka_cells *c, size_t n, const double *p,
                      const double *temp_K, double *vctl_V, tk_err *err);

#endif
