/* tsu_moments.c -- batch-means moments for all node kinds (see
 * tsu_moments.h). */
#include "tsu/tsu_moments.h"

#include <math.h>
#include <stdlib.h>

int tsu_moments_alloc(uint32_t n, uint32_t cols, uint32_t n_edges,
                      tsu_moments_type type, uint32_t n_chains,
                      uint64_t n_sweeps, uint32_t n_batches,
                      tsu_moments **out, tk_err *err)
{
  *out = NULL;
  if (n_batches < 2 || n_sweeps < n_batches)
    return TK_FAIL(err, TK_ERANGE, "need at least %u recorded sweeps for "
                   "error bars (got %llu)", n_batches < 2 ? 2 : n_batches,
                   (unsigned long long)n_sweeps);
  if (n_chains < 1 || cols < 1)
    return TK_FAIL(err, TK_EINVAL, "moments of %u chains, %u values per "
                   "node", n_chains, cols);
  tsu_moments *m = calloc(1, sizeof *m);
  if (m == NULL)
    return TK_FAIL(err, TK_ENOMEM, "moments");
  m->type = type;
  m->n = n;
  m->cols = cols;
  m->n_edges = n_edges;
  m->n_obs = (size_t)n * cols + n_edges;
  m->n_batches = n_batches;
  m->per_batch = n_sweeps / n_batches;
  m->n_chains = n_chains;
  size_t total = (size_t)n_batches * m->n_obs + 1;
  if (type == TSU_MOM_REAL)
    m->sum = calloc(total, sizeof *m->sum);
  else
    m->count = calloc(total, sizeof *m->count);
  if (m->sum == NULL && m->count == NULL) {
    tsu_moments_free(m);
    return TK_FAIL(err, TK_ENOMEM, "moments of %u nodes, %u batches", n,
                   n_batches);
  }
  *out = m;
  return TK_OK;
}

void tsu_moments_free(tsu_moments *m)
{
  if (m == NULL)
    return;
  free(m->count);
  free(m->sum);
  free(m);
}

static int full(const tsu_moments *m)
{
  return m->recorded >= m->per_batch * m->n_batches;
}

int64_t *tsu_moments_batch_count(tsu_moments *m)
{
  if (m->count == NULL || full(m))
    return NULL;
  return m->count + (m->recorded / m->per_batch) * m->n_obs;
}

double *tsu_moments_batch_sum(tsu_moments *m)
{
  if (m->sum == NULL || full(m))
    return NULL;
  return m->sum + (m->recorded / m->per_batch) * m->n_obs;
}

void tsu_moments_next(tsu_moments *m)
{
  if (!full(m))
    m->recorded++;
}

/* Mean over batches of values [first, first + n) and its standard error
 * sqrt(var_batches / n_batches). */
static void batch_means(const tsu_moments *m, size_t first, size_t n,
                        double *mean, double *se)
{
  double per = (double)m->per_batch * m->n_chains;
  uint32_t nb = m->n_batches;
  for (size_t i = 0; i < n; i++) {
    double tot = 0, sq = 0;
    for (uint32_t b = 0; b < nb; b++) {
      size_t at = b * m->n_obs + first + i;
      double v = (m->count != NULL ? (double)m->count[at] : m->sum[at]) / per;
      tot += v;
      sq += v * v;
    }
    double mu = tot / nb;
    double var = (sq / nb - mu * mu) * nb / (nb - 1.0);
    if (mean != NULL)
      mean[i] = mu;
    if (se != NULL)
      se[i] = sqrt(var > 0 ? var / nb : 0);
  }
}

void tsu_moments_result(const tsu_moments *m, double *mean, double *mean_se,
                        double *corr, double *corr_se)
{
  size_t nc = (size_t)m->n * m->cols;
  batch_means(m, 0, nc, mean, mean_se);
  batch_means(m, nc, m->n_edges, corr, corr_se);
}

void tsu_moments_add_spins(tsu_moments *m, const tsu_graph *g,
                           const uint64_t *bits, uint32_t n_groups)
{
  int64_t *s = tsu_moments_batch_count(m);
  if (s == NULL)
    return;
  int64_t *ss = s + m->n;
  for (uint32_t gr = 0; gr < n_groups; gr++) {
    uint32_t left = m->n_chains - 64 * gr;
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
  tsu_moments_next(m);
}
