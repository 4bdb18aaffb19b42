/* cmd_device.c -- `tsukit device`: one MOSFET operating point.
 *
 * Evaluates the EKV model (phys_mosfet.h) at one bias and temperature, the
 * source grounded (V_S = 0; gate, drain and bulk given relative to it), and
 * prints one summary line: currents, conductances, the forward/reverse
 * fluxes and the noise PSDs of phys_noise.h.  Workload: one evaluation per
 * call, used by scripts and tests; no files are written.
 */
#include <math.h>
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "physics/phys_const.h"
#include "physics/phys_mosfet.h"
#include "physics/phys_noise.h"

#define V_LIMIT 10.0    /* terminal voltages accepted, |V| <= this */

static const char *const type_words[] = {"nmos", "pmos", NULL};

int cmd_device(int argc, char **argv)
{
  int type_ix = 0; /* nmos */
  double vgs = NAN, vds = NAN, vbs = 0, temp_K = PHYS_TNOM_K;
  double w = NAN, l = NAN, vth = NAN, n = NAN, kp = NAN, dibl = NAN;
  const cmd_opt opts[] = {
    {"type", 0, CMD_OPT_CHOICE, &type_ix, 0, 0, NULL, "T",
     "nmos (default) or pmos (PMOS takes negative --vgs/--vds)", 0, NULL,
     type_words, NULL},
    {"vgs", 0, CMD_OPT_DOUBLE, &vgs, -V_LIMIT, V_LIMIT, "V", "V",
     "gate-source voltage, [-10, 10] V (required)", CMD_OPT_REQUIRED, NULL,
     NULL, NULL},
    {"vds", 0, CMD_OPT_DOUBLE, &vds, -V_LIMIT, V_LIMIT, "V", "V",
     "drain-source voltage, [-10, 10] V (required)", CMD_OPT_REQUIRED, NULL,
     NULL, NULL},
    {"vbs", 0, CMD_OPT_DOUBLE, &vbs, -V_LIMIT, V_LIMIT, "V", "V",
     "bulk-source voltage, [-10, 10] V (default 0)", 0, NULL, NULL, NULL},
    {"temp", 0, CMD_OPT_TEMP, &temp_K, 0, 0, NULL, "T",
     "temperature in K, or Celsius with a C suffix (default 27C)", 0, NULL,
     NULL, NULL},
    {"w", 0, CMD_OPT_DOUBLE, &w, 0, 1, "m", "M",
     "channel width in metres, (0, 1] (default 90e-9)", CMD_OPT_LO_OPEN, NULL,
     NULL, NULL},
    {"l", 0, CMD_OPT_DOUBLE, &l, 0, 1, "m", "M",
     "channel length in metres, (0, 1] (default 45e-9)", CMD_OPT_LO_OPEN, NULL,
     NULL, NULL},
    {"vth", 0, CMD_OPT_DOUBLE, &vth, -2, 2, "V", "V",
     "threshold magnitude at 27 C, [-2, 2] V (default 0.40)", 0, NULL, NULL,
     NULL},
    {"n", 0, CMD_OPT_DOUBLE, &n, 1, 10, NULL, "N",
     "slope factor, [1, 10] (default 1.45)", 0, NULL, NULL, NULL},
    {"kp", 0, CMD_OPT_DOUBLE, &kp, 0, 1, "A/V^2", "K",
     "mu C_ox at 27 C, (0, 1] A/V^2 (default 300e-6 nmos, 120e-6 pmos)",
     CMD_OPT_LO_OPEN, NULL, NULL, NULL},
    {"dibl", 0, CMD_OPT_DOUBLE, &dibl, 0, 1, "V/V", "S",
     "DIBL coefficient, [0, 1) V/V and < n (default 0.1)", CMD_OPT_HI_OPEN,
     NULL, NULL, NULL},
    {0}};
  const cmd_spec spec = {
    "device",
    "tsukit device [--type nmos|pmos] --vgs V --vds V [--vbs V]\n"
    "                     [--temp K|C] [--w M] [--l M]\n"
    "                     [--vth V] [--n N] [--kp A/V^2] [--dibl S]",
    "One EKV operating point, source grounded; prints id_A, gm_S, gds_S,\n"
    "gms_S, n, ut_V, vth_V, is_A, i_f_A, i_r_A and the one-sided noise PSDs\n"
    "shot_A2_per_Hz = 2q(I_F+I_R), channel_A2_per_Hz = 2q I_S (F'(x_f)+F'(x_r))\n"
    "(= 4kT g_ds at V_DS = 0), thermal_A2_per_Hz = 4kT gamma g_m with\n"
    "gamma = 2n/3.\n",
    opts, 0, NULL};
  tk_err err = {0};
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  phys_mos_type type = type_ix == 0 ? PHYS_NMOS : PHYS_PMOS;

  phys_mos_params p = phys_mos_default_params(type);
  if (!isnan(w)) p.w_m = w;
  if (!isnan(l)) p.l_m = l;
  if (!isnan(vth)) p.vth0_V = vth;
  if (!isnan(n)) p.n = n;
  if (!isnan(kp)) p.kp_A_per_V2 = kp;
  if (!isnan(dibl)) p.sigma_dibl = dibl;
  if (phys_mos_check(&p, &err) != 0)
    return cmd_usage_error("device", "%s", tk_err_text(&err));

  phys_mos_op op;
  if (phys_mos_eval(&p, vgs, vds, 0.0, vbs, temp_K, &op, &err) != 0)
    return cmd_fail("device", &err);

  double gamma = phys_noise_gamma_sat(op.n);
  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_str(&kv, "type", type == PHYS_NMOS ? "nmos" : "pmos");
  cmd_kv_double(&kv, "vgs_V", vgs);
  cmd_kv_double(&kv, "vds_V", vds);
  cmd_kv_double(&kv, "vbs_V", vbs);
  cmd_kv_double(&kv, "temp_K", temp_K);
  cmd_kv_double(&kv, "id_A", op.id_A);
  cmd_kv_double(&kv, "gm_S", op.gm_S);
  cmd_kv_double(&kv, "gds_S", op.gds_S);
  cmd_kv_double(&kv, "gms_S", op.gms_S);
  cmd_kv_double(&kv, "n", op.n);
  cmd_kv_double(&kv, "ut_V", op.ut_V);
  cmd_kv_double(&kv, "vth_V", op.vth_V);
  cmd_kv_double(&kv, "is_A", op.is_A);
  cmd_kv_double(&kv, "i_f_A", op.i_f_A);
  cmd_kv_double(&kv, "i_r_A", op.i_r_A);
  cmd_kv_double(&kv, "shot_A2_per_Hz", phys_noise_shot_psd(op.i_f_A, op.i_r_A));
  cmd_kv_double(&kv, "channel_A2_per_Hz", phys_noise_channel_psd(&op));
  cmd_kv_double(&kv, "gamma", gamma);
  cmd_kv_double(&kv, "thermal_A2_per_Hz",
                phys_noise_thermal_psd(op.gm_S, gamma, temp_K));
  cmd_kv_end(&kv);
  return CMD_EXIT_OK;
}
