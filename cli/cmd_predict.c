/* cmd_predict.c -- `tsukit predict`: a pbit's P(1) and correlation time at
 * any temperature and control voltage, from the temperature model that
 * `tsukit calibrate` fitted (calibrate/cal_temp.h).
 *
 * Option parsing and one call of cal_predict (calibrate/cal_predict.h:
 * the library read, the model, the range check; temperatures more than
 * 25 K outside the calibrated range are refused, exit 2).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calibrate/cal_predict.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"

#define PREDICT_MARGIN_K CAL_PREDICT_MARGIN_K

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit predict --cells FILE.h5 --cell NAME --temp T --vctl V\n"
          "                      [--leave-out]\n"
          "\n"
          "Predicted P(1) (with its standard error) and correlation time of a\n"
          "calibrated pbit from its temperature model (vs ~ T^m, v0 linear in T\n"
          "or, after `calibrate --track`, the noiseless trip point plus a linear\n"
          "offset; Arrhenius tau).  Prints p1= p1_err= tau_s= v0_V= vs_V=.\n"
          "Temperatures more than %g K outside the calibrated range are refused.\n"
          "\n"
          "  --cells FILE    cell library from `tsukit calibrate` (required)\n"
          "  --cell NAME     cell in it (required)\n"
          "  --temp T        temperature, K or Celsius with C suffix (required)\n"
          "  --vctl V        control voltage (required)\n"
          "  --leave-out     refit the model without --temp (one of the\n"
          "                  calibrated temperatures; its trip-table entries\n"
          "                  within 2.5 K go too) and predict it: the\n"
          "                  leave-one-out prediction, to hold against a new,\n"
          "                  longer measurement there\n",
          PREDICT_MARGIN_K);
}

enum { O_CELLS = 1, O_CELL, O_TEMP, O_VCTL, O_LEAVE_OUT, O_HELP };

int cmd_predict(int argc, char **argv)
{
  static const struct option opts[] = {
    {"cells", required_argument, NULL, O_CELLS},
    {"cell", required_argument, NULL, O_CELL},
    {"temp", required_argument, NULL, O_TEMP},
    {"vctl", required_argument, NULL, O_VCTL},
    {"leave-out", no_argument, NULL, O_LEAVE_OUT},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
  };
  const char *path = NULL, *cell = NULL;
  double temp_K = NAN, v = NAN;
  tk_err err = {0};
  int c, rc = 0, leave_out = 0;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case O_CELLS: path = optarg; break;
    case O_CELL: cell = optarg; break;
    case O_TEMP: rc = tk_parse_temp_K(optarg, "--temp", &temp_K, &err); break;
    case O_VCTL: rc = tk_parse_double(optarg, "--vctl", &v, &err); break;
    case O_LEAVE_OUT: leave_out = 1; break;
    case 'h':
    case O_HELP: usage(stdout); return CMD_EXIT_OK;
    default:
      return cmd_usage_error("predict", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
    if (rc != 0) {
      err.status = TK_EINVAL;
      return cmd_fail("predict", &err);
    }
  }
  if (path == NULL || cell == NULL || !isfinite(temp_K) || !isfinite(v))
    return cmd_usage_error("predict", "--cells, --cell, --temp and --vctl "
                           "are required");
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
