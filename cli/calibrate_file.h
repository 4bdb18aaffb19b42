/* calibrate_file.h -- the checkpoint layout of `tsukit calibrate`:
 * the sweep's grid and settings, the per-point datasets with their done
 * flags, and reading them back for resume and the final fits.
 * Internal to cli/ (calib__ prefix).
 */
#ifndef CALIBRATE_FILE_H
#define CALIBRATE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "common/tk_error.h"
#include "io/io_h5.h"

typedef struct sweep_ctx {
  const ckt_cell_info *ci;   /* the cell */
  const double *temp_K;      /* [nT] ascending */
  const double *vctl_V;      /* [nV] ascending */
  size_t nt, nv;             /* grid */
  ckt_sim_params sp;         /* simulation settings (temp, seed per point) */
  uint64_t seed;             /* sweep seed */
  io_file *f;                /* checkpoint file, open read-write (parent) */
  char grp[256];             /* /cells/<name> */
} sweep_ctx;

/* The per-point datasets and the sweep settings (skeleton and library). */
typedef struct sweep_data {
  double *p, *pse;               /* [nT*nV*2] occupancy and its error */
  double *tau, *tau_err, *e, *pw, *flips; /* [nT*nV] */
  uint8_t *notr, *done;          /* [nT*nV] flags */
} sweep_data;

void calib__data_free(sweep_data *d);
int calib__data_alloc(sweep_data *d, size_t n);
int calib__write_data(io_file *f, const sweep_ctx *c, const sweep_data *d,
                      double time_s, tk_err *err);
int calib__read_arr(io_file *f, const sweep_ctx *c, const char *rel,
                    size_t want, double *dst, tk_err *err);
int calib__read_data(io_file *f, const sweep_ctx *c, double time_s,
                     sweep_data *d, tk_err *err);

#endif
