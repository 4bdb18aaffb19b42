/* tsu_stats.c -- autocorrelation times and batched moments.
 *
 * Workload: tau_int on test series of up to ~1e6 samples (direct sums up
 * to the window, O(N W)); moments once per recorded sweep (popcounts over
 * n + n_edges words per chain group, cheaper than the sweep itself).
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

void tsu_moments_free(tsu_moments *m)
{
  if (m == NULL)
    return;
  free(m->s_sum);
  free(m->ss_sum);
  free(m);
}

int tsu_moments_alloc(const tsu_graph *g, uint32_t n_chains,
                      uint64_t n_sweeps, uint32_t n_batches,
                      tsu_moments **out, tk_err *err)
{
  *out = NULL;
  if (n_batches < 2 || n_sweeps < n_batches)
    return TK_FAIL(err, TK_ERANGE, "need at least %u recorded sweeps for "
                   "error bars (got %llu)", n_batches,
                   (unsigned long long)n_sweeps);
  tsu_moments *m = calloc(1, sizeof *m);
  if (m == NULL)
    return TK_FAIL(err, TK_ENOMEM, "moments");
  m->n = g->n;
  m->n_edges = g->n_edges;
  m->n_batches = n_batches;
  m->per_batch = n_sweeps / n_batches;
  m->n_chains = n_chains;
  m->s_sum = calloc((size_t)n_batches * g->n, sizeof *m->s_sum);
  m->ss_sum = calloc((size_t)n_batches * g->n_edges + 1, sizeof *m->ss_sum);
  if (m->s_sum == NULL || m->ss_sum == NULL) {
    tsu_moments_free(m);
    return TK_FAIL(err, TK_ENOMEM, "moments of %u nodes", g->n);
  }
  *out = m;
  return TK_OK;
}

void tsu_moments_add(tsu_moments *m, const tsu_graph *g,
                     const uint64_t *bits, uint32_t n_groups,
                     uint32_t n_chains)
{
  uint64_t b = m->recorded / m->per_batch;
  if (b >= m->n_batches)
    return;
  int64_t *s = m->s_sum + b * m->n;
  int64_t *ss = m->ss_sum + b * m->n_edges;
  for (uint32_t gr = 0; gr < n_groups; gr++) {
    uint32_t left = n_chains - 64 * gr;
    uint64_t valid = left >= 64 ? ~0ull : ((1ull << left) - 1);
    int64_t cnt = __builtin_popcountll(valid);
    for (uint32_t i = 0; i < m->n; i++)
      s[i] += 2 * __builtin_popcountll(bits[(size_t)i * n_groups + gr] &
                                       valid) - cnt;
    for (uint32_t e = 0; e < m->n_edges; e++) {
      uint64_t x = bits[(size_t)g->ei[e] * n_groups + gr] ^
                   bits[(size_t)g->ej[e] * n_groups + gr];
      ss[e] += cnt - 2 * __builtin_popcountll(x & valid);
    }
  }
  m->recorded++;
}

static void batch_result(const int64_t *sum, uint32_t n_batches, size_t n,
                         size_t stride, double per_batch, double *mean,
                         double *se)
{
  for (size_t i = 0; i < n; i++) {
    double tot = 0, sq = 0;
    for (uint32_t b = 0; b < n_batches; b++) {
      double v = (double)sum[b * stride + i] / per_batch;
      tot += v;
      sq += v * v;
    }
    double mu = tot / n_batches;
    double var = (sq / n_batches - mu * mu) * n_batches / (n_batches - 1.0);
    mean[i] = mu;
    if (se != NULL)
      se[i] = sqrt(var > 0 ? var / n_batches : 0);
  }
}

void tsu_moments_result(const tsu_moments *m, double *mean, double *mean_se,
                        double *corr, double *corr_se)
{
  double per = (double)m->per_batch * m->n_chains;
  batch_result(m->s_sum, m->n_batches, m->n, m->n, per, mean, mean_se);
  batch_result(m->ss_sum, m->n_batches, m->n_edges, m->n_edges, per, corr,
               corr_se);
}
