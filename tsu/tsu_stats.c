/* tsu_stats.c -- autocorrelation times.
 *
 * Workload: tau_int on test series of up to ~1e6 samples (direct sums up
 * to the window, O(N W)).
 */
#include "tsu/tsu_stats.h"

#include <math.h>
#include <stdlib.h>

double tsu_tau_int(const double *x, size_t n_chains, size_t n, double *var)
{
  double mean = 0;
  for (size_t i = 0; i < n_chains * n; i++)
    mean += x[i];
  mean /= (double)(n_chains * n);
  double c0 = 0;
  for (size_t i = 0; i < n_chains * n; i++)
    c0 += (x[i] - mean) * (x[i] - mean);
  c0 /= (double)(n_chains * n);
  if (var != NULL)
    *var = c0;
  if (c0 <= 0 || n < 4)
    return 0.5;
  double tau = 0.5;
  for (size_t t = 1; t < n / 2; t++) {
    double ct = 0;
    for (size_t c = 0; c < n_chains; c++) {
      const double *y = x + c * n;
      for (size_t k = 0; k + t < n; k++)
        ct += (y[k] - mean) * (y[k + t] - mean);
    }
    ct /= (double)(n_chains * (n - t));
    tau += ct / c0;
    if ((double)t >= 5.0 * tau)
      break;
  }
  return tau < 0.5 ? 0.5 : tau;
}

double tsu_mean_stderr(const double *x, size_t n_chains, size_t n,
                       double *mean, double *tau)
{
  double var = 0, m = 0;
  double t = tsu_tau_int(x, n_chains, n, &var);
  for (size_t i = 0; i < n_chains * n; i++)
    m += x[i];
  m /= (double)(n_chains * n);
  if (mean != NULL)
    *mean = m;
  if (tau != NULL)
    *tau = t;
  return sqrt(var * 2.0 * t / (double)(n_chains * n));
}
