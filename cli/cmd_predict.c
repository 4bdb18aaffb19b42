/* cmd_predict.c -- `tsukit predict`: a pbit's P(1) and correlation time at
 * any temperature and control voltage, from the temperature model that
 * `tsukit calibrate` fitted (calibrate/cal_temp.h).
 *
 * Workload: one small HDF5 read and three formula evaluations.
 *
 * Range: the model is a physics extrapolation, but only trusted near the
 * data: temperatures more than PREDICT_MARGIN_K (25 K) outside the
 * calibrated [t_min, t_max] are refused (exit 2).
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_temp.h"
#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "io/io_h5.h"

#define PREDICT_MARGIN_K 25.0

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

/* The calibrated temperatures' fits (fit/ datasets) -> pt[*n] (malloc). */
static int read_points(io_file *f, const char *cell, cal_temp_point **pt,
                       size_t *n, tk_err *err)
{
  static const char *const nm[7] = {"temperature_K", "fit/v0_V", "fit/v0_err_V",
                                    "fit/vs_V", "fit/vs_err_V", "fit/tau_op_s",
                                    "fit/tau_op_err_s"};
  double *x[7] = {NULL};
  size_t len = 0;
  int rc = TK_OK;
  for (int k = 0; k < 7 && rc == 0; k++) {
    char p[300];
    int rank = 0;
    size_t d[4];
    snprintf(p, sizeof p, "/cells/%s/%s", cell, nm[k]);
    rc = io_read_f64(f, p, &x[k], &rank, d, err);
    if (rc == 0 && (rank != 1 || (k > 0 && d[0] != len) || d[0] < 1))
      rc = TK_FAIL(err, TK_EFORMAT, "%s: %s must be one value per "
                   "temperature", io_file_path(f), p);
    if (rc == 0 && k == 0)
      len = d[0];
  }
  if (rc == 0 && (*pt = malloc(len * sizeof **pt)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; rc == 0 && i < len; i++) {
    cal_temp_point q = {x[0][i], x[1][i], x[2][i], x[3][i], x[4][i], x[5][i],
                        x[6][i]};
    (*pt)[i] = q;
  }
  if (rc == 0)
    *n = len;
  for (int k = 0; k < 7; k++)
    free(x[k]);
  return rc;
}

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
  io_file *f = NULL;
  if ((rc = io_file_open_read(path, &f, &err)) != 0)
    return cmd_fail("predict", &err);
  char g[256];
  snprintf(g, sizeof g, "/cells/%s/fit/temperature_model", cell);
  char cg[256];
  snprintf(cg, sizeof cg, "/cells/%s", cell);
  cal_temp_model m;
  memset(&m, 0, sizeof m);
  double tmin = NAN, tmax = NAN;
  if (!io_exists(f, cg)) {
    rc = TK_FAIL(&err, TK_ENOTFOUND, "--cell: no cell '%s' in %s", cell, path);
  } else if (!io_exists(f, g)) {
    rc = TK_FAIL(&err, TK_ENOTFOUND, "cell '%s' in %s has no temperature "
                 "model (calibrated at fewer than 3 temperatures, or the "
                 "sweep is unfinished)", cell, path);
  } else {
    const struct { const char *n; double *v; } a[] = {
      {"t_ref_K", &m.t_ref_K}, {"vs_ref_V", &m.vs_ref_V},
      {"vs_ref_err_V", &m.vs_ref_err_V}, {"vs_exp", &m.vs_exp},
      {"vs_exp_err", &m.vs_exp_err}, {"cov_vs_ref_exp", &m.cov_vs_ref_exp},
      {"v0_ref_V", &m.v0_ref_V}, {"v0_ref_err_V", &m.v0_ref_err_V},
      {"dv0_dT_V_per_K", &m.dv0_dT_V_per_K},
      {"dv0_dT_err_V_per_K", &m.dv0_dT_err_V_per_K},
      {"cov_v0_V2_per_K", &m.cov_v0_V2_per_K}, {"tau_ref_s", &m.tau_ref_s},
      {"tau_ref_err_s", &m.tau_ref_err_s}, {"ea_J", &m.ea_J},
      {"ea_err_J", &m.ea_err_J}, {"tau_inf_s", &m.tau_inf_s},
      {"t_min_K", &tmin}, {"t_max_K", &tmax},
    };
    for (size_t k = 0; rc == 0 && k < sizeof a / sizeof a[0]; k++)
      rc = io_get_attr_f64(f, g, a[k].n, a[k].v, &err);
    /* a --track calibration: v0 follows the noiseless trip table */
    char tp[300];
    snprintf(tp, sizeof tp, "%s/trip_T_K", g);
    if (rc == 0 && io_exists(f, tp)) {
      double *x = NULL, *y = NULL;
      int r1 = 0, r2 = 0;
      size_t d1[4], d2[4];
      rc = io_read_f64(f, tp, &x, &r1, d1, &err);
      snprintf(tp, sizeof tp, "%s/trip_V", g);
      if (rc == 0)
        rc = io_read_f64(f, tp, &y, &r2, d2, &err);
      if (rc == 0 && (r1 != 1 || r2 != 1 || d1[0] != d2[0] || d1[0] < 2 ||
                      d1[0] > CAL_TEMP_MAX_TRIP))
        rc = TK_FAIL(&err, TK_EFORMAT, "%s: %s/trip_T_K and trip_V must be "
                     "two 1-D arrays of one length in 2..%d", path, g,
                     CAL_TEMP_MAX_TRIP);
      for (size_t i = 0; rc == 0 && i < d1[0]; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || (i > 0 && !(x[i] > x[i - 1])))
          rc = TK_FAIL(&err, TK_EFORMAT, "%s: %s/trip_T_K must be finite and "
                       "ascending (entry %zu)", path, g, i);
        m.trip_T_K[i] = x[i];
        m.trip_V[i] = y[i];
      }
      if (rc == 0)
        m.n_trip = d1[0];
      free(x);
      free(y);
    }
  }
  /* --leave-out: the model again from the other temperatures' fits, with
   * the library's settings (reference temperature, the exponent fitted
   * when it was: vs_exp_err > 0, the trip table) */
  if (rc == 0 && leave_out) {
    cal_temp_point *pt = NULL;
    size_t n = 0, lo = SIZE_MAX;
    rc = read_points(f, cell, &pt, &n, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
      if (fabs(pt[i].temp_K - temp_K) < 0.01)
        lo = i;
    if (rc == 0 && lo == SIZE_MAX) {
      io_file_close(f);
      free(pt);
      return cmd_usage_error("predict", "--leave-out: %g K is not one of the "
                             "calibrated temperatures of %s", temp_K, cell);
    }
    if (rc == 0) {
      cal_temp_params tp = cal_temp_default_params();
      tp.t_ref_K = m.t_ref_K;
      tp.fit_exponent = m.vs_exp_err > 0;
      tp.trip_T_K = m.n_trip > 0 ? m.trip_T_K : NULL;
      tp.trip_V = m.n_trip > 0 ? m.trip_V : NULL;
      tp.n_trip = m.n_trip;
      cal_temp_model lm;
      rc = cal_temp_fit_loo(pt, n, lo, &tp, &lm, &err);
      if (rc == 0)
        m = lm;
    }
    free(pt);
  }
  io_file_close(f);
  if (rc != 0)
    return cmd_fail("predict", &err);
  if (temp_K < tmin - PREDICT_MARGIN_K || temp_K > tmax + PREDICT_MARGIN_K)
    return cmd_usage_error("predict", "--temp: %g K is outside the calibrated "
                           "range %g..%g K by more than %g K", temp_K, tmin,
                           tmax, PREDICT_MARGIN_K);
  double p1_err = NAN;
  double p1 = cal_temp_predict_p1(&m, temp_K, v, &p1_err);
  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_str(&kv, "cell", cell);
  cmd_kv_double(&kv, "temp_K", temp_K);
  cmd_kv_double(&kv, "vctl_V", v);
  cmd_kv_double(&kv, "p1", p1);
  cmd_kv_double(&kv, "p1_err", p1_err);
  cmd_kv_double(&kv, "tau_s", cal_temp_tau_s(&m, temp_K));
  if (leave_out)
    cmd_kv_long(&kv, "left_out", 1);
  cmd_kv_double(&kv, "v0_V", cal_temp_v0_V(&m, temp_K));
  cmd_kv_double(&kv, "vs_V", cal_temp_vs_V(&m, temp_K));
  cmd_kv_end(&kv);
  return CMD_EXIT_OK;
}
