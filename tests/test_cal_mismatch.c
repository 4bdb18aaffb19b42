/* test_cal_mismatch.c -- Pelgrom mismatch draws (calibrate/
 * cal_mismatch.h): known sigma, its 1/sqrt(W L) scaling, independence
 * between devices and instances, reproducibility, bad input; cal_spread.
 *
 * Workload: 20000 instances x 3 devices of Philox draws, milliseconds.
 */
#include <math.h>
#include <stdlib.h>

#include "calibrate/cal_mismatch.h"
#include "tests/tk_test.h"

#define NI 20000

int main(void)
{
  tk_err err = {0};
  /* A_VT 2.5 mV um: 90/90 nm -> 27.78 mV; 100/100 nm -> 25 mV */
  TKT_REL(cal_pelgrom_sigma_V(2.5e-9, 90e-9, 90e-9), 2.5e-3 / 0.09, 1e-12,
          "sigma = A_VT / sqrt(W L) at 90/90 nm");
  TKT_OK(isnan(cal_pelgrom_sigma_V(2.5e-9, 0, 90e-9)), "W = 0 -> NaN");

  /* three devices: 90x90 nm, 400x100 nm, 1x1 um; A_VT 3.17 mV um */
  const double w[3] = {90e-9, 400e-9, 1e-6}, l[3] = {90e-9, 100e-9, 1e-6};
  const double avt = 3.17e-9;
  double *x = malloc(3 * NI * sizeof *x);
  if (x == NULL)
    return 1;
  int rc = 0;
  for (size_t j = 0; j < NI && rc == 0; j++)
    rc = cal_mismatch_draw(42, j, avt, w, l, 3, x + 3 * j, &err);
  TKT_OK(rc == 0, "20000 instances drawn (%s)", tk_err_text(&err));
  double col[NI], cx = 0;
  for (int i = 0; i < 3; i++) {
    for (size_t j = 0; j < NI; j++)
      col[j] = x[3 * j + i];
    double m, sd;
    size_t used;
    cal_spread(col, NI, &m, &sd, &used);
    double s = cal_pelgrom_sigma_V(avt, w[i], l[i]);
    /* mean: N(0, s^2/NI); sample sd: relative se 1/sqrt(2 (NI - 1));
     * thresholds 4 sigma */
    TKT_OK(fabs(m) < 4 * s / sqrt(NI), "device %d: mean %.3g V within 4 "
           "sigma of 0 (sigma_mean %.3g V)", i, m, s / sqrt(NI));
    TKT_REL(sd, s, 4 / sqrt(2.0 * (NI - 1)), "device sd = A_VT/sqrt(WL) "
            "within 4 sigma");
  }
  /* devices independent: correlation of devices 0 and 1, sd 1/sqrt(NI) */
  for (size_t j = 0; j < NI; j++)
    cx += x[3 * j] * x[3 * j + 1];
  double corr = cx / NI / (cal_pelgrom_sigma_V(avt, w[0], l[0]) *
                           cal_pelgrom_sigma_V(avt, w[1], l[1]));
  TKT_OK(fabs(corr) < 4 / sqrt(NI), "devices 0 and 1 uncorrelated (r %.4f, "
         "4 sigma %.4f)", corr, 4 / sqrt(NI));
  /* instances independent: lag-1 correlation of device 2 */
  cx = 0;
  for (size_t j = 0; j + 1 < NI; j++)
    cx += x[3 * j + 2] * x[3 * j + 5];
  corr = cx / (NI - 1) / pow(cal_pelgrom_sigma_V(avt, w[2], l[2]), 2);
  TKT_OK(fabs(corr) < 4 / sqrt(NI), "instances j, j+1 uncorrelated (r %.4f)",
         corr);
  /* reproducible, and instance 17 does not depend on what was drawn before */
  double y[3];
  cal_mismatch_draw(42, 17, avt, w, l, 3, y, &err);
  TKT_OK(y[0] == x[51] && y[1] == x[52] && y[2] == x[53],
         "instance 17 redrawn alone is bit-identical");
  cal_mismatch_draw(43, 17, avt, w, l, 3, y, &err);
  TKT_OK(y[0] != x[51], "another seed, another draw");
  /* bad input */
  rc = cal_mismatch_draw(42, 0, -1e-9, w, l, 3, y, &err);
  TKT_OK(rc == TK_EINVAL, "A_VT < 0 refused (%s)", tk_err_text(&err));
  double l0[3] = {90e-9, 0, 1e-6};
  rc = cal_mismatch_draw(42, 0, avt, w, l0, 3, y, &err);
  TKT_OK(rc == TK_EINVAL, "L = 0 refused (%s)", tk_err_text(&err));
  /* cal_spread skips NaN; needs 2 values for an sd */
  double v[5] = {1.5, NAN, 2.5, 3.5, NAN}, m, sd;
  size_t used;
  cal_spread(v, 5, &m, &sd, &used);
  TKT_OK(used == 3 && fabs(m - 2.5) < 1e-15 && fabs(sd - 1.0) < 1e-15,
         "cal_spread: mean 2.5, sd 1 over the 3 finite values");
  cal_spread(v, 2, &m, &sd, &used);
  TKT_OK(used == 1 && m == 1.5 && isnan(sd), "one value: sd NaN");
  free(x);
  return tkt_done();
}
