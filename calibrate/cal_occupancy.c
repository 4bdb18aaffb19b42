/* cal_occupancy.c -- occupancy with batch-means and integrated-time
 * standard errors (see cal_occupancy.h).  Workload: K indicator passes
 * plus one FFT autocorrelation per visited state. */
#include "calibrate/cal_occupancy.h"

#include <math.h>
#include <stdlib.h>

#include "calibrate/cal_autocorr.h"
#include "physics/phys_spectral.h"

cal_occupancy_params cal_occupancy_default_params(void)
{
  cal_occupancy_params p;
  p.nbatch = 32;
  p.sokal_c = 5.0;
  return p;
}

int cal_occupancy(const uint8_t *state, size_t n, unsigned K,
                  const cal_occupancy_params *p, cal_occupancy_result *res,
                  tk_err *err)
{
  cal_occupancy_params dp = cal_occupancy_default_params();
  if (p == NULL)
    p = &dp;
  if (state == NULL || res == NULL)
    return TK_FAIL(err, TK_EINVAL, "cal_occupancy needs a state array and a result");
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "state count %u must be in [2, %d]", K,
                   CAL_MAX_STATES);
  if (p->nbatch < 8 || !(p->sokal_c > 0))
    return TK_FAIL(err, TK_EINVAL, "nbatch %zu must be >= 8 and sokal_c %g > 0",
                   p->nbatch, p->sokal_c);
  if (n < 16 * p->nbatch)
    return TK_FAIL(err, TK_EINVAL, "%zu samples are too few for %zu batches "
                   "(need >= 16 per batch)", n, p->nbatch);
  *res = (cal_occupancy_result){0};
  res->K = K;
  res->n = n;
  size_t B = p->nbatch, bl = n / B;
  res->batch_len = bl;
  double cnt[CAL_MAX_STATES] = {0};
  double *bsum = calloc(B * K, sizeof *bsum);
  if (bsum == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    unsigned s = state[i];
    if (s >= K) {
      free(bsum);
      return TK_FAIL(err, TK_EINVAL, "state %u at sample %zu is >= K = %u", s, i, K);
    }
    cnt[s] += 1;
    if (i < B * bl)
      bsum[(i / bl) * K + s] += 1;
  }
  for (unsigned k = 0; k < K; k++) {
    double pk = cnt[k] / (double)n;
    res->p[k] = pk;
    res->se_naive[k] = sqrt(pk * (1 - pk) / (double)n);
    double m = 0, v = 0;
    for (size_t b = 0; b < B; b++)
      m += bsum[b * K + k] / (double)bl;
    m /= (double)B;
    for (size_t b = 0; b < B; b++) {
      double d = bsum[b * K + k] / (double)bl - m;
      v += d * d;
    }
    res->se_bm[k] = sqrt(v / (double)(B - 1) / (double)B);
    res->se_iat[k] = NAN;
    res->ineff[k] = NAN;
  }
  free(bsum);

  /* Integrated time of each visited (not always-visited) state's indicator. */
  size_t maxlag = n / 2;
  double *x = malloc(n * sizeof *x);
  double *cov = malloc((maxlag + 1) * sizeof *cov);
  phys_acf *a = NULL;
  int rc = (x && cov) ? phys_acf_alloc(n, &a, err)
                      : TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (unsigned k = 0; rc == TK_OK && k < K; k++) {
    if (cnt[k] == 0 || cnt[k] == (double)n)
      continue;
    /* Two states: both indicators have the same autocorrelation. */
    if (K == 2 && k == 1 && isfinite(res->ineff[0])) {
      res->ineff[1] = res->ineff[0];
      continue;
    }
    for (size_t i = 0; i < n; i++)
      x[i] = state[i] == k;
    rc = phys_acf_compute(a, x, n, maxlag, PHYS_ACF_BIASED, cov, err);
    if (rc != TK_OK)
      break;
    double g;
    size_t M;
    tk_err e2 = {0};
    if (cal_ineff_from_acf(cov, maxlag + 1, p->sokal_c, &g, &M, &e2) == TK_OK)
      res->ineff[k] = g;
  }
  phys_acf_free(a);
  free(x);
  free(cov);
  if (rc != TK_OK)
    return rc;
  for (unsigned k = 0; k < K; k++) {
    double g = res->ineff[k];
    if (isfinite(g)) {
      if (g < 1e-3)  /* anticorrelated below any physical cell: clamp */
        g = 1e-3;
      res->se_iat[k] = sqrt(res->p[k] * (1 - res->p[k]) * g / (double)n);
      res->se[k] = res->se_iat[k];
      if ((double)bl < 10 * g)
        res->batches_short = 1;
    } else {
      res->se[k] = res->se_bm[k];
    }
  }
  return TK_OK;
}

int cal_repeat_scale(const double *se_within, const double *se_between,
                     size_t n, unsigned R, double *scale, double *dof,
                     tk_err *err)
{
  if ((n > 0 && (se_within == NULL || se_between == NULL)) || scale == NULL ||
      dof == NULL)
    return TK_FAIL(err, TK_EINVAL, "cal_repeat_scale: NULL argument");
  if (R < 2)
    return TK_FAIL(err, TK_EINVAL, "repeat errors need >= 2 records per point "
                   "(got %u)", R);
  double sb = 0, sw = 0;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(isfinite(se_within[i]) && isfinite(se_between[i]) &&
          se_within[i] > 0 && se_between[i] >= 0))
      continue;
    sb += se_between[i] * se_between[i];
    sw += se_within[i] * se_within[i];
    m++;
  }
  *dof = (double)m * (R - 1);
  *scale = m > 0 ? sqrt(sb / sw) : 1.0;
  return TK_OK;
}
