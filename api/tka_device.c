/* tka_device.c -- vectorised EKV operating points (tka_device.h): the
 * computation of cli/cmd_device.c, one row per bias point. */
#include "api/tka_device.h"

#include <math.h>

#include "physics/phys_mosfet.h"
#include "physics/phys_noise.h"

static const char *const col_name[TKA_DEVICE_NCOLS] = {
  "id_A", "gm_S", "gds_S", "gms_S", "n", "ut_V", "vth_V", "is_A", "i_f_A",
  "i_r_A", "shot_A2_per_Hz", "channel_A2_per_Hz", "gamma",
  "thermal_A2_per_Hz"};

const char *tka_device_column(unsigned k)
{
  return k < TKA_DEVICE_NCOLS ? col_name[k] : NULL;
}

int tka_device(int pmos, size_t n, const double *vgs_V, const double *vds_V,
               const double *temp_K, double *out, tk_err *err)
{
  if (pmos != 0 && pmos != 1)
    return TK_FAIL(err, TK_EINVAL, "device kind %d: 0 (nmos) or 1 (pmos)",
                   pmos);
  if (n > 0 && (vgs_V == NULL || vds_V == NULL || temp_K == NULL ||
                out == NULL))
    return TK_FAIL(err, TK_EINVAL, "device: NULL array");
  for (size_t i = 0; i < n; i++) {
    if (!(fabs(vgs_V[i]) <= 10) || !(fabs(vds_V[i]) <= 10))
      return TK_FAIL(err, TK_ERANGE, "device: point %zu: vgs %g V, vds %g V "
                     "must be finite, |V| <= 10 V", i, vgs_V[i], vds_V[i]);
    if (!(temp_K[i] > 0 && temp_K[i] <= 1000))
      return TK_FAIL(err, TK_ERANGE, "device: point %zu: temperature %g K "
                     "must be in (0, 1000] K", i, temp_K[i]);
  }
  phys_mos_params p = phys_mos_default_params(pmos ? PHYS_PMOS : PHYS_NMOS);
  for (size_t i = 0; i < n; i++) {
    phys_mos_op op;
    int rc = phys_mos_eval(&p, vgs_V[i], vds_V[i], 0.0, 0.0, temp_K[i], &op,
                           err);
    if (rc != 0)
      return tk_err_wrap(err, rc, "device: point %zu", i);
    double gamma = phys_noise_gamma_sat(op.n);
    double *r = out + i * TKA_DEVICE_NCOLS;
    r[0] = op.id_A;
    r[1] = op.gm_S;
    r[2] = op.gds_S;
    r[3] = op.gms_S;
    r[4] = op.n;
    r[5] = op.ut_V;
    r[6] = op.vth_V;
    r[7] = op.is_A;
    r[8] = op.i_f_A;
    r[9] = op.i_r_A;
    r[10] = phys_noise_shot_psd(op.i_f_A, op.i_r_A);
    r[11] = phys_noise_channel_psd(&op);
    r[12] = gamma;
    r[13] = phys_noise_thermal_psd(op.gm_S, gamma, temp_K[i]);
  }
  return TK_OK;
}
