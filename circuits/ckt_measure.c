/* ckt_measure.c -- pbit figures from a trace (see ckt_measure.h).
 *
 * Workload: one pass over n samples and one ACF of n points (FFTW plan
 * made per call; fine for a handful of traces per run).
 */
#include "circuits/ckt_measure.h"

#include <math.h>
#include <stdlib.h>

#include "physics/phys_spectral.h"

int ckt_measure_pbit(const double *v_V, size_t n, double dt_s, double vdd_V,
                     double e_supply_J, ckt_pbit_stats *st, tk_err *err)
{
  if (v_V == NULL || n < 16 || !(dt_s > 0) || !(vdd_V > 0))
    return TK_FAIL(err, TK_EINVAL, "pbit trace too short (%zu samples)", n);
  st->lo_V = 0.3 * vdd_V;
  st->hi_V = 0.7 * vdd_V;
  st->tau_s = st->tau_acf_s = st->tau_flip_s = st->e_per_flip_J = NAN;
  double *s = malloc(n * sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int state = v_V[0] >= 0.5 * vdd_V;
  size_t ones = 0, flips = 0;
  for (size_t k = 0; k < n; k++) {
    int ns = state;
    if (v_V[k] >= st->hi_V)
      ns = 1;
    else if (v_V[k] <= st->lo_V)
      ns = 0;
    flips += ns != state;
    state = ns;
    s[k] = state;
    ones += (size_t)state;
  }
  st->p1 = (double)ones / (double)n;
  st->flips = flips;
  if (flips > 0)
    st->e_per_flip_J = e_supply_J / (double)flips;
  if (flips >= 2) {
    double T = (double)n * dt_s;
    st->tau_flip_s = 2.0 * st->p1 * (1.0 - st->p1) * T / (double)flips;
    phys_acf *acf = NULL;
    size_t maxlag = n / 2;
    double *cov = malloc((maxlag + 1) * sizeof *cov);
    double tau_int;
    if (cov != NULL && phys_acf_alloc(n, &acf, NULL) == 0 &&
        phys_acf_compute(acf, s, n, maxlag, PHYS_ACF_BIASED, cov, NULL) == 0 &&
        cov[0] > 0 && phys_tau_int(cov, maxlag + 1, 5.0, &tau_int, NULL, NULL) == 0)
      st->tau_acf_s = 0.5 * tau_int * dt_s;
    phys_acf_free(acf);
    free(cov);
    st->tau_s = isfinite(st->tau_acf_s) ? st->tau_acf_s : st->tau_flip_s;
  }
  free(s);
  return TK_OK;
}

int ckt_measure_gmm2(const double *v_V, size_t n, double split_V,
                     ckt_gmm_stats *st, tk_err *err)
{
  if (v_V == NULL || n < 2)
    return TK_FAIL(err, TK_EINVAL, "gmm trace too short (%zu samples)", n);
  double s1[2] = {0, 0}, s2[2] = {0, 0};
  size_t cnt[2] = {0, 0};
  for (size_t k = 0; k < n; k++) {
    int m = v_V[k] >= split_V;
    cnt[m]++;
    s1[m] += v_V[k];
    s2[m] += v_V[k] * v_V[k];
  }
  for (int m = 0; m < 2; m++) {
    st->mu_V[m] = cnt[m] ? s1[m] / (double)cnt[m] : NAN;
    st->sigma_V[m] = cnt[m] > 1 ? sqrt(fmax(0.0, s2[m] / (double)cnt[m] -
                                                     st->mu_V[m] * st->mu_V[m]))
                                : NAN;
  }
  st->w0 = (double)cnt[0] / (double)n;
  return TK_OK;
}

int ckt_measure_cat(const double *const *lines, unsigned K, size_t n,
                    double dt_s, double vdd_V, ckt_cat_stats *st, tk_err *err)
{
  if (K < 2 || K > 8 || n < 2 || !(dt_s > 0))
    return TK_FAIL(err, TK_EINVAL, "categorical trace: K %u, n %zu", K, n);
  size_t cnt[8] = {0};
  int state = -1;
  size_t flips = 0;
  for (size_t k = 0; k < n; k++) {
    int ns = state;
    for (unsigned j = 0; j < K; j++)
      if (lines[j][k] >= 0.7 * vdd_V) {
        ns = (int)j;
        break;
      }
    if (ns < 0) {  /* before any line went high: the highest line */
      ns = 0;
      for (unsigned j = 1; j < K; j++)
        if (lines[j][k] > lines[ns][k])
          ns = (int)j;
    }
    flips += state >= 0 && ns != state;
    state = ns;
    cnt[state]++;
  }
  double s2 = 0;
  for (unsigned j = 0; j < 8; j++) {
    st->p[j] = j < K ? (double)cnt[j] / (double)n : 0.0;
    s2 += st->p[j] * st->p[j];
  }
  st->flips = flips;
  st->tau_s = flips >= 2 ? (1.0 - s2) * (double)n * dt_s / (double)flips : NAN;
  return TK_OK;
}
