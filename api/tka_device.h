/* tka_device.h -- the EKV MOSFET (physics/phys_mosfet.h) at many bias
 * points in one call: what `tsukit device` prints for one, as columns.
 *
 * Source grounded (V_S = V_B = 0), the default 45 nm-class device of
 * phys_mos_default_params.  Workload: microseconds per point.
 */
#ifndef TKA_DEVICE_H
#define TKA_DEVICE_H

#include <stddef.h>

#include "common/tk_error.h"

/* Columns of the output, in order: id_A, gm_S, gds_S, gms_S, n, ut_V,
 * vth_V, is_A, i_f_A, i_r_A, shot_A2_per_Hz, channel_A2_per_Hz, gamma,
 * thermal_A2_per_Hz (the names `tsukit device` prints). */
#define TKA_DEVICE_NCOLS 14
/* Name of column k (NULL for k >= TKA_DEVICE_NCOLS). */
const char *tka_device_column(unsigned k);

/* out[n][TKA_DEVICE_NCOLS] <- the operating point at vgs_V[i], vds_V[i],
 * temp_K[i] for an nmos (pmos = 0) or pmos (1).  Voltages must be finite
 * with |V| <= 10 V, temperatures finite in (0, 1000] K: TK_ERANGE naming
 * the first bad index otherwise. */
int tka_device(int pmos, size_t n, const double *vgs_V, const double *vds_V,
               const double *temp_K, double *out, tk_err *err);

#endif
