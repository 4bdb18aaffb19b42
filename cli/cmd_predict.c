/* cmd_predict.c -- `tsukit predict`: a pbit's P(1) and correlation time at
 * any temperature and control voltage, from the temperature model that
 * `tsukit calibrate` fitted (calibrate/cal_temp.h).
 *
 * Option parsing and one call of cal_predict (calibrate/cal_predict.h:
 * the library read, the model, the range check; temperatures more than
 * 25 K outside the calibrated range are refused, exit 2).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calibrate/cal_predict.h"
#include "cli/cmd.h"
#include "cli/cmd_opt.h"

#define PREDICT_MARGIN_K CAL_PREDICT_MARGIN_K

int cmd_predict(int argc, char **argv)
{
  const char *path = NULL, *cell = NULL;
  double temp_K = NAN, v = NAN;
  tk_err err = {0};
  int rc = 0, leave_out = 0;
  const cmd_opt opts[] = {
    {"cells", 0, CMD_OPT_STR, &path, 0, 0, NULL, "FILE",
     "cell library from `tsukit calibrate` (required)", CMD_OPT_REQUIRED,
     NULL, NULL, NULL},
    {"cell", 0, CMD_OPT_STR, &cell, 0, 0, NULL, "NAME", "cell in it (required)",
     CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"temp", 0, CMD_OPT_TEMP, &temp_K, 0, 0, NULL, "T",
     "temperature, K or Celsius with C suffix (required)", CMD_OPT_REQUIRED,
     NULL, NULL, NULL},
    {"vctl", 0, CMD_OPT_DOUBLE, &v, 0, 0, "V", "V",
     "control voltage (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"leave-out", 0, CMD_OPT_FLAG, &leave_out, 0, 0, NULL, NULL,
     "refit the model without --temp (one of the calibrated temperatures; "
     "its trip-table entries within 2.5 K go too) and predict it: the "
     "leave-one-out prediction, to hold against a new, longer measurement "
     "there", 0, NULL, NULL, NULL},
    {0}};
  char about[640];
  snprintf(about, sizeof about,
           "Predicted P(1) (with its standard error) and correlation time of a\n"
           "calibrated pbit from its temperature model (vs ~ T^m, v0 linear in T\n"
           "or, after `calibrate --track`, the noiseless trip point plus a linear\n"
           "offset; Arrhenius tau).  Prints p1= p1_err= tau_s= v0_V= vs_V=.\n"
           "Temperatures more than %g K outside the calibrated range are refused.\n",
           PREDICT_MARGIN_K);
  const cmd_spec spec = {
    "predict",
    "tsukit predict --cells FILE.h5 --cell NAME --temp T --vctl V\n"
    "                      [--leave-out]",
    about, opts, 0, NULL};
  rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  if (strchr(cell, '/') != NULL || strlen(cell) > 100)
    return cmd_usage_error("predict", "--cell: bad cell name '%s'", cell);
  cal_predict_params pp = cal_predict_default_params();
  pp.cells = path;
  pp.cell = cell;
  pp.temp_K = temp_K;
  pp.vctl_V = v;
  pp.leave_out = leave_out;
  cal_prediction pr;
  rc = cal_predict(&pp, &pr, &err);
  if (rc == TK_EINVAL || rc == TK_ERANGE)   /* --leave-out, --temp range */
    return cmd_usage_error("predict", "%s", tk_err_text(&err));
  if (rc != 0)
    return cmd_fail("predict", &err);
  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_str(&kv, "cell", cell);
  cmd_kv_double(&kv, "temp_K", temp_K);
  cmd_kv_double(&kv, "vctl_V", v);
  cmd_kv_double(&kv, "p1", pr.p1);
  cmd_kv_double(&kv, "p1_err", pr.p1_err);
  cmd_kv_double(&kv, "tau_s", pr.tau_s);
  if (leave_out)
    cmd_kv_long(&kv, "left_out", 1);
  cmd_kv_double(&kv, "v0_V", pr.v0_V);
  cmd_kv_double(&kv, "vs_V", pr.vs_V);
  cmd_kv_end(&kv);
  return CMD_EXIT_OK;
}
