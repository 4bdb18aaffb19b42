/* cmd_device.c -- `tsukit device`: one MOSFET operating point.
 *
 * Evaluates the EKV model (phys_mosfet.h) at one bias and temperature, the
 * source grounded (V_S = 0; gate, drain and bulk given relative to it), and
 * prints one summary line: currents, conductances, the forward/reverse
 * fluxes and the noise PSDs of phys_noise.h.  Workload: one evaluation per
 * call, used by scripts and tests; no files are written.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "physics/phys_const.h"
#include "physics/phys_mosfet.h"
#include "physics/phys_noise.h"

#define V_LIMIT 10.0    /* terminal voltages accepted, |V| <= this */

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit device [--type nmos|pmos] --vgs V --vds V [--vbs V]\n"
          "                     [--temp K|C] [--w M] [--l M]\n"
          "                     [--vth V] [--n N] [--kp A/V^2] [--dibl S]\n"
          "\n"
          "One EKV operating point, source grounded; prints id_A, gm_S, gds_S,\n"
          "gms_S, n, ut_V, vth_V, is_A, i_f_A, i_r_A and the one-sided noise PSDs\n"
          "shot_A2_per_Hz = 2q(I_F+I_R), channel_A2_per_Hz = 2q I_S (F'(x_f)+F'(x_r))\n"
          "(= 4kT g_ds at V_DS = 0), thermal_A2_per_Hz = 4kT gamma g_m with\n"
          "gamma = 2n/3.\n"
          "\n"
          "  --type T     nmos (default) or pmos (PMOS takes negative --vgs/--vds)\n"
          "  --vgs V      gate-source voltage, [-%g, %g] V (required)\n"
          "  --vds V      drain-source voltage, [-%g, %g] V (required)\n"
          "  --vbs V      bulk-source voltage, [-%g, %g] V (default 0)\n"
          "  --temp T     temperature in K, or Celsius with a C suffix (default 27C)\n"
          "  --w M        channel width in metres, (0, 1] (default 90e-9)\n"
          "  --l M        channel length in metres, (0, 1] (default 45e-9)\n"
          "  --vth V      threshold magnitude at 27 C, [-2, 2] V (default 0.40)\n"
          "  --n N        slope factor, [1, 10] (default 1.45)\n"
          "  --kp K       mu C_ox at 27 C, (0, 1] A/V^2 (default 300e-6 nmos,\n"
          "               120e-6 pmos)\n"
          "  --dibl S     DIBL coefficient, [0, 1) V/V and < n (default 0.1)\n",
          V_LIMIT, V_LIMIT, V_LIMIT, V_LIMIT, V_LIMIT, V_LIMIT);
}

/* getopt_long codes of the options */
enum { O_TYPE = 1, O_VGS, O_VDS, O_VBS, O_TEMP, O_W, O_L, O_VTH, O_N, O_KP,
       O_DIBL, O_HELP };

/* The valid range of an option, for messages about unparsable values. */
static const char *valid_range(int opt)
{
  static const struct { int opt; const char *range; } tab[] = {
    {O_TYPE, "nmos or pmos"}, {O_VGS, "[-10, 10] V"}, {O_VDS, "[-10, 10] V"},
    {O_VBS, "[-10, 10] V"}, {O_TEMP, "(0, 2000] K, or Celsius with a C suffix"},
    {O_W, "(0, 1] m"}, {O_L, "(0, 1] m"}, {O_VTH, "[-2, 2] V"}, {O_N, "[1, 10]"},
    {O_KP, "(0, 1] A/V^2"}, {O_DIBL, "[0, 1) V/V"},
  };
  for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
    if (tab[i].opt == opt)
      return tab[i].range;
  return "see --help";
}

/* A value in (0, hi]. */
static int parse_pos(const char *s, const char *what, double hi,
                     const char *unit, double *out, tk_err *err)
{
  double v;
  TK_TRY(tk_parse_double(s, what, &v, err));
  if (!(v > 0) || v > hi)
    return TK_FAIL(err, TK_ERANGE, "%s: %g is outside the valid range (0, %g] %s",
                   what, v, hi, unit);
  *out = v;
  return TK_OK;
}

int cmd_device(int argc, char **argv)
{
  static const struct option opts[] = {
    {"type", required_argument, NULL, O_TYPE},
    {"vgs", required_argument, NULL, O_VGS},
    {"vds", required_argument, NULL, O_VDS},
    {"vbs", required_argument, NULL, O_VBS},
    {"temp", required_argument, NULL, O_TEMP},
    {"w", required_argument, NULL, O_W},
    {"l", required_argument, NULL, O_L},
    {"vth", required_argument, NULL, O_VTH},
    {"n", required_argument, NULL, O_N},
    {"kp", required_argument, NULL, O_KP},
    {"dibl", required_argument, NULL, O_DIBL},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
  };
  phys_mos_type type = PHYS_NMOS;
  double vgs = NAN, vds = NAN, vbs = 0, temp_K = PHYS_TNOM_K;
  double w = NAN, l = NAN, vth = NAN, n = NAN, kp = NAN, dibl = NAN;
  int have_vgs = 0, have_vds = 0;
  tk_err err = {0};
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case O_TYPE:
      if (strcmp(optarg, "nmos") == 0)
        type = PHYS_NMOS;
      else if (strcmp(optarg, "pmos") == 0)
        type = PHYS_PMOS;
      else
        return cmd_usage_error("device", "--type: '%s' is outside the valid range "
                               "{nmos, pmos}",
                               optarg);
      break;
    case O_VGS:
      rc = tk_parse_double_in(optarg, "--vgs", -V_LIMIT, V_LIMIT, &vgs, &err);
      have_vgs = 1;
      break;
    case O_VDS:
      rc = tk_parse_double_in(optarg, "--vds", -V_LIMIT, V_LIMIT, &vds, &err);
      have_vds = 1;
      break;
    case O_VBS:
      rc = tk_parse_double_in(optarg, "--vbs", -V_LIMIT, V_LIMIT, &vbs, &err);
      break;
    case O_TEMP: rc = tk_parse_temp_K(optarg, "--temp", &temp_K, &err); break;
    case O_W: rc = parse_pos(optarg, "--w", 1.0, "m", &w, &err); break;
    case O_L: rc = parse_pos(optarg, "--l", 1.0, "m", &l, &err); break;
    case O_VTH:
      rc = tk_parse_double_in(optarg, "--vth", -2.0, 2.0, &vth, &err);
      break;
    case O_N: rc = tk_parse_double_in(optarg, "--n", 1.0, 10.0, &n, &err); break;
    case O_KP: rc = parse_pos(optarg, "--kp", 1.0, "A/V^2", &kp, &err); break;
    case O_DIBL:
      rc = tk_parse_double_in(optarg, "--dibl", 0.0, 1.0, &dibl, &err);
      if (rc == 0 && dibl >= 1.0)
        rc = TK_FAIL(&err, TK_ERANGE, "--dibl: %g is outside the valid range [0, 1)",
                     dibl);
      break;
    case 'h':
    case O_HELP: usage(stdout); return CMD_EXIT_OK;
    default:
      return cmd_usage_error("device", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
    if (rc != 0) {
      /* Range errors already state the range; say it for the others. */
      if (err.status == TK_ERANGE)
        return cmd_usage_error("device", "%s", tk_err_text(&err));
      return cmd_usage_error("device", "%s (valid range: %s)", tk_err_text(&err),
                             valid_range(c));
    }
  }
  if (optind < argc)
    return cmd_usage_error("device", "unexpected argument '%s'", argv[optind]);
  if (!have_vgs)
    return cmd_usage_error("device", "--vgs is required (range [-%g, %g] V)",
                           V_LIMIT, V_LIMIT);
  if (!have_vds)
    return cmd_usage_error("device", "--vds is required (range [-%g, %g] V)",
                           V_LIMIT, V_LIMIT);

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
