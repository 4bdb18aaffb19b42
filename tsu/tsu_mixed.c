/* tsu_mixed.c -- reference Gibbs sampler for mixed spin / categorical /
 * continuous graphs (see tsu_mixed.h).
 *
 * Workload: clarity over speed.  States are doubles (one array for all
 * kinds); an update gathers the node's field from its CSR neighbours, asks
 * the calibrated cell (if any) what it really samples, and draws.  Chains
 * are split over OpenMP threads; the moments are real sums added in chain
 * order, so a run does not depend on the thread count.
 */
#include "tsu/tsu_mixed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_progress.h"
#include "common/tk_rng.h"
#include "tsu/tsu_potts.h"

#define XMAX 1e100  /* |x| beyond this is divergence */

static const char *const kind_names[TSU_NODE_N_KINDS] = {"spin", "cat",
                                                         "cont"};

const char *tsu_node_kind_name(tsu_node_kind k)
{
  return (unsigned)k < TSU_NODE_N_KINDS ? kind_names[k] : "?";
}

int tsu_node_kind_from_name(const char *name, tsu_node_kind *out,
                            tk_err *err)
{
  static const struct { const char *w; tsu_node_kind k; } words[] = {
    {"spin", TSU_NODE_SPIN}, {"cat", TSU_NODE_CAT},
    {"categorical", TSU_NODE_CAT}, {"cont", TSU_NODE_CONT},
    {"continuous", TSU_NODE_CONT}};
  for (size_t i = 0; name != NULL && i < sizeof words / sizeof *words; i++)
    if (strcmp(name, words[i].w) == 0) {
      *out = words[i].k;
      return TK_OK;
    }
  return TK_FAIL(err, TK_EINVAL, "node kind '%s': expected spin, cat "
                 "(categorical) or cont (continuous)",
                 name != NULL ? name : "(null)");
}

struct tsu_mixed_chains {
  const tsu_mixed *m;   /* model, not owned */
  const tsu_coloring *col; /* colouring of m->g, not owned */
  uint32_t n_chains;    /* chains, >= 1 */
  uint64_t seed;        /* Philox key */
  uint64_t sweep;       /* sweeps done */
  double *v;            /* [n_chains][n] values */
  uint64_t *changes;    /* [n_chains] updates that changed the state */
  double *dev_sum;      /* [n_chains] sum of calibrated deviations */
  double *dev_max;      /* [n_chains] their max */
  uint64_t *mapped;     /* [n_chains] calibrated updates */
  int *status;          /* [n_chains] first failure of a chain (0: none) */
  tk_err *errs;         /* [n_chains] its text */
};

int tsu_mixed_check(const tsu_mixed *m, tk_err *err)
{
  if (m == NULL || m->g == NULL || m->kind == NULL)
    return TK_FAIL(err, TK_EINVAL, "mixed graph: a graph and node kinds "
                   "are required");
  const tsu_graph *g = m->g;
  if (!(m->beta >= 0) || !isfinite(m->beta))
    return TK_FAIL(err, TK_EINVAL, "beta = %g must be finite and >= 0",
                   m->beta);
  int have_cat = 0;
  for (uint32_t i = 0; i < g->n; i++) {
    if (m->kind[i] >= TSU_NODE_N_KINDS)
      return TK_FAIL(err, TK_EINVAL, "node %u: kind %u", i,
                     (unsigned)m->kind[i]);
    if (!isfinite(g->h[i]))
      return TK_FAIL(err, TK_EINVAL, "node %u: bias %g", i, g->h[i]);
    if (m->kind[i] == TSU_NODE_CAT)
      have_cat = 1;
    if (m->kind[i] == TSU_NODE_CONT) {
      if (m->a == NULL || !(m->a[i] > 0) || !isfinite(m->a[i]))
        return TK_FAIL(err, TK_EINVAL, "continuous node %u: self-coupling "
                       "a = %g must be > 0", i, m->a ? m->a[i] : NAN);
      if (!(m->beta > 0))
        return TK_FAIL(err, TK_EINVAL, "continuous nodes need beta > 0");
    }
  }
  if (have_cat && (m->K < 2 || m->K > TSU_POTTS_MAX_K))
    return TK_FAIL(err, TK_EINVAL, "categorical nodes: K = %u states, "
                   "expected 2..%d", m->K, TSU_POTTS_MAX_K);
  for (uint32_t i = 0; m->hold != NULL && i < g->n; i++)
    if (!(m->hold[i] >= 0 && m->hold[i] < 1))
      return TK_FAIL(err, TK_EINVAL, "node %u: hold probability %g must be "
                     "in [0, 1)", i, m->hold[i]);
  for (uint32_t e = 0; e < g->n_edges; e++)
    if (!isfinite(g->w[e]))
      return TK_FAIL(err, TK_EINVAL, "edge %u: coupling %g", e, g->w[e]);
  if (have_cat && m->kbias != NULL)
    for (size_t i = 0; i < (size_t)g->n * m->K; i++)
      if (!isfinite(m->kbias[i]))
        return TK_FAIL(err, TK_EINVAL, "categorical bias %zu: %g", i,
                       m->kbias[i]);
  return TK_OK;
}

uint32_t tsu_mixed_cols(const tsu_mixed *m)
{
  for (uint32_t i = 0; i < m->g->n; i++)
    if (m->kind[i] == TSU_NODE_CAT)
      return m->K;
  return 1;
}

/* The scalar value of node j for couplings to scalar neighbours. */
static double uval(const tsu_mixed *m, uint32_t j, double v)
{
  return m->kind[j] == TSU_NODE_CAT ? (double)(v == 1.0) : v;
}

/* The edge feature f_ij. */
static double feature(const tsu_mixed *m, uint32_t i, uint32_t j, double vi,
                      double vj)
{
  if (m->kind[i] == TSU_NODE_CAT && m->kind[j] == TSU_NODE_CAT)
    return (double)(vi == vj);
  return uval(m, i, vi) * uval(m, j, vj);
}

static double cat_bias(const tsu_mixed *m, uint32_t i, uint32_t k)
{
  if (m->kbias != NULL)
    return m->kbias[(size_t)i * m->K + k];
  return k == 1 ? m->g->h[i] : 0.0;
}

double tsu_mixed_energy(const tsu_mixed *m, const double *v)
{
  const tsu_graph *g = m->g;
  double E = 0;
  for (uint32_t e = 0; e < g->n_edges; e++)
    E -= g->w[e] * feature(m, g->ei[e], g->ej[e], v[g->ei[e]], v[g->ej[e]]);
  for (uint32_t i = 0; i < g->n; i++) {
    if (m->kind[i] == TSU_NODE_CAT)
      E -= cat_bias(m, i, (uint32_t)v[i]);
    else
      E -= g->h[i] * v[i];
    if (m->kind[i] == TSU_NODE_CONT)
      E += 0.5 * m->a[i] * v[i] * v[i];
  }
  return E;
}

void tsu_mixed_conditional(const tsu_mixed *m, uint32_t i, const double *v,
                           double *q)
{
  const tsu_graph *g = m->g;
  if (m->kind[i] == TSU_NODE_CAT) {
    double f[TSU_POTTS_MAX_K], scal = 0;
    for (uint32_t k = 0; k < m->K; k++)
      f[k] = cat_bias(m, i, k);
    for (uint32_t a = g->off[i]; a < g->off[i + 1]; a++) {
      uint32_t j = g->adj[a];
      if (m->kind[j] == TSU_NODE_CAT)
        f[(uint32_t)v[j]] += g->adj_w[a];
      else
        scal += g->adj_w[a] * v[j];
    }
    f[1] += scal;
    double fm = f[0], z = 0;
    for (uint32_t k = 1; k < m->K; k++)
      fm = f[k] > fm ? f[k] : fm;
    for (uint32_t k = 0; k < m->K; k++)
      z += (q[k] = exp(m->beta * (f[k] - fm)));
    for (uint32_t k = 0; k < m->K; k++)
      q[k] /= z;
    return;
  }
  double F = g->h[i];
  for (uint32_t a = g->off[i]; a < g->off[i + 1]; a++) {
    uint32_t j = g->adj[a];
    F += g->adj_w[a] * uval(m, j, v[j]);
  }
  if (m->kind[i] == TSU_NODE_SPIN) {
    q[1] = 1 / (1 + exp(-2 * m->beta * F));
    q[0] = 1 - q[1];
  } else {
    q[0] = F / m->a[i];
    q[1] = 1 / (m->beta * m->a[i]);
  }
}

int tsu_mixed_moments_alloc(const tsu_mixed *m, uint32_t n_chains,
                            uint64_t n_sweeps, uint32_t n_batches,
                            tsu_moments **out, tk_err *err)
{
  return tsu_moments_alloc(m->g->n, tsu_mixed_cols(m), m->g->n_edges,
                           TSU_MOM_REAL, n_chains, n_sweeps, n_batches, out,
                           err);
}

void tsu_mixed_chains_free(tsu_mixed_chains *s)
{
  if (s == NULL)
    return;
  free(s->v);
  free(s->changes);
  free(s->dev_sum);
  free(s->dev_max);
  free(s->mapped);
  free(s->status);
  free(s->errs);
  free(s);
}

int tsu_mixed_chains_alloc(const tsu_mixed *m, const tsu_coloring *col,
                           uint32_t n_chains, uint64_t seed,
                           tsu_mixed_chains **out, tk_err *err)
{
  *out = NULL;
  TK_TRY(tsu_mixed_check(m, err));
  if (n_chains < 1)
    return TK_FAIL(err, TK_EINVAL, "need at least one chain");
  if (col == NULL || col->n != m->g->n)
    return TK_FAIL(err, TK_EINVAL, "colouring does not match the graph");
  uint32_t n = m->g->n;
  tsu_mixed_chains *s = calloc(1, sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "mixed chains");
  s->m = m;
  s->col = col;
  s->n_chains = n_chains;
  s->seed = seed;
  s->v = malloc(((size_t)n_chains * n + 1) * sizeof *s->v);
  s->changes = calloc(n_chains, sizeof *s->changes);
  s->dev_sum = calloc(n_chains, sizeof *s->dev_sum);
  s->dev_max = calloc(n_chains, sizeof *s->dev_max);
  s->mapped = calloc(n_chains, sizeof *s->mapped);
  s->status = calloc(n_chains, sizeof *s->status);
  s->errs = calloc(n_chains, sizeof *s->errs);
  if (!s->v || !s->changes || !s->dev_sum || !s->dev_max || !s->mapped ||
      !s->status || !s->errs) {
    tsu_mixed_chains_free(s);
    return TK_FAIL(err, TK_ENOMEM, "mixed chains: %u x %u states", n_chains,
                   n);
  }
  for (uint32_t c = 0; c < n_chains; c++)
    for (uint32_t i = 0; i < n; i++) {
      double *x = s->v + (size_t)c * n + i;
      uint64_t st = (1ull << 63) + c;
      if (m->kind[i] == TSU_NODE_CONT) {
        double z[2];
        tk_rng_gauss2_at(seed, st, i, z);
        *x = z[0] / sqrt(m->beta * m->a[i]);
      } else {
        double u = tk_rng_uniform_at(seed, st, i);
        if (m->kind[i] == TSU_NODE_SPIN) {
          *x = u < 0.5 ? -1.0 : 1.0;
        } else {
          uint32_t k = (uint32_t)(u * m->K);
          *x = (double)(k < m->K ? k : m->K - 1);
        }
      }
    }
  *out = s;
  return TK_OK;
}

/* Draw from q[K] with u in (0, 1). */
static uint32_t draw(const double *q, uint32_t K, double u)
{
  uint32_t k = 0;
  while (k + 1 < K && u >= q[k]) {
    u -= q[k];
    k++;
  }
  return k;
}

/* Update node i of chain c in sweep t. */
static int update(tsu_mixed_chains *s, uint32_t c, uint64_t t, uint32_t i,
                  double *x)
{
  const tsu_mixed *m = s->m;
  uint32_t n = m->g->n;
  uint64_t ctr = t * n + i;
  double q[TSU_POTTS_MAX_K], old = x[i], dev = 0;
  if (m->hold != NULL && m->hold[i] > 0 &&
      tk_rng_uniform_at(s->seed, (1ull << 62) + c, ctr) < m->hold[i])
    return TK_OK;
  tsu_mixed_conditional(m, i, x, q);
  if (m->kind[i] == TSU_NODE_CONT) {
    double z[2];
    tk_rng_gauss2_at(s->seed, c, ctr, z);
    if (m->cont_fn != NULL) {
      tsu_mixture mx;
      int rc = m->cont_fn(m->cont_ctx, i, q[0], q[1], &mx, &dev,
                          &s->errs[c]);
      if (rc != TK_OK)
        return rc;
      double u = 0.5 * erfc(-z[1] / sqrt(2.0));
      int j = u < mx.w0 ? 0 : 1;
      x[i] = mx.mu[j] + mx.sd[j] * z[0];
      s->mapped[c]++;
    } else {
      x[i] = q[0] + sqrt(q[1]) * z[0];
    }
    if (!(fabs(x[i]) <= XMAX))
      return TK_FAIL(&s->errs[c], TK_ENUMERIC, "chain %u diverged at node "
                     "%u, sweep %llu (x = %g): the model is not positive "
                     "definite", c, i, (unsigned long long)t, x[i]);
    s->changes[c]++;
  } else {
    double u = tk_rng_uniform_at(s->seed, c, ctr);
    if (m->kind[i] == TSU_NODE_SPIN) {
      x[i] = u < q[1] ? 1.0 : -1.0;
    } else {
      double p[TSU_POTTS_MAX_K];
      const double *use = q;
      if (m->cat_fn != NULL) {
        int rc = m->cat_fn(m->cat_ctx, i, q, p, &dev, &s->errs[c]);
        if (rc != TK_OK)
          return rc;
        use = p;
        s->mapped[c]++;
      }
      x[i] = (double)draw(use, m->K, u);
    }
    s->changes[c] += x[i] != old;
  }
  s->dev_sum[c] += dev;
  if (dev > s->dev_max[c])
    s->dev_max[c] = dev;
  return TK_OK;
}

static int sweep_chain(tsu_mixed_chains *s, uint32_t c, uint64_t t)
{
  uint32_t n = s->m->g->n;
  double *x = s->v + (size_t)c * n;
  for (uint32_t q = 0; q < n; q++) {
    int rc = update(s, c, t, s->col->order[q], x);
    if (rc != TK_OK)
      return rc;
  }
  return TK_OK;
}

/* Add the current values of every chain, in chain order. */
static void add_moments(const tsu_mixed_chains *s, tsu_moments *mom)
{
  double *sum = tsu_moments_batch_sum(mom);
  if (sum == NULL)
    return;
  const tsu_mixed *m = s->m;
  const tsu_graph *g = m->g;
  uint32_t n = g->n, cols = mom->cols;
  double *esum = sum + (size_t)n * cols;
  for (uint32_t c = 0; c < s->n_chains; c++) {
    const double *x = s->v + (size_t)c * n;
    for (uint32_t i = 0; i < n; i++) {
      if (m->kind[i] == TSU_NODE_CAT)
        sum[(size_t)i * cols + (uint32_t)x[i]] += 1;
      else
        sum[(size_t)i * cols] += x[i];
    }
    for (uint32_t e = 0; e < g->n_edges; e++)
      esum[e] += feature(m, g->ei[e], g->ej[e], x[g->ei[e]], x[g->ej[e]]);
  }
}

int tsu_mixed_chains_run(tsu_mixed_chains *s, uint64_t n_sweeps,
                         int n_threads, tsu_moments *mom, tk_err *err)
{
  int nt = n_threads;
#ifdef _OPENMP
  if (nt <= 0)
    nt = omp_get_max_threads();
#else
  (void)nt;
#endif
  const tsu_mixed *m = s->m;
  if (mom != NULL && (mom->type != TSU_MOM_REAL || mom->n != m->g->n ||
                      mom->cols != tsu_mixed_cols(m) ||
                      mom->n_edges != m->g->n_edges ||
                      mom->n_chains != s->n_chains))
    return TK_FAIL(err, TK_EINVAL, "moments planned for another run");
  for (uint64_t k = 0; k < n_sweeps; k++) {
    uint64_t t = s->sweep;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#endif
    for (int64_t c = 0; c < (int64_t)s->n_chains; c++)
      if (s->status[c] == 0)
        s->status[c] = sweep_chain(s, (uint32_t)c, t);
    for (uint32_t c = 0; c < s->n_chains; c++)
      if (s->status[c] != 0) {
        if (err != NULL)
          *err = s->errs[c];
        return s->status[c];
      }
    s->sweep = t + 1;
    if (mom != NULL) {
      add_moments(s, mom);
      tsu_moments_next(mom);
    }
  }
  return TK_OK;
}

const double *tsu_mixed_chains_states(const tsu_mixed_chains *s)
{
  return s->v;
}

uint64_t tsu_mixed_chains_sweeps(const tsu_mixed_chains *s)
{
  return s->sweep;
}

uint64_t tsu_mixed_chains_changes(const tsu_mixed_chains *s)
{
  uint64_t tot = 0;
  for (uint32_t c = 0; c < s->n_chains; c++)
    tot += s->changes[c];
  return tot;
}

void tsu_mixed_chains_dev(const tsu_mixed_chains *s, double *n_mapped,
                          double *mean_dev, double *max_dev)
{
  double n = 0, sum = 0, mx = 0;
  for (uint32_t c = 0; c < s->n_chains; c++) {
    n += (double)s->mapped[c];
    sum += s->dev_sum[c];
    mx = s->dev_max[c] > mx ? s->dev_max[c] : mx;
  }
  *n_mapped = n;
  *mean_dev = n > 0 ? sum / n : 0;
  *max_dev = mx;
}

/* Sweeps in chunks of 8 between which p->stop is looked at. */
static int run_sweeps(tsu_mixed_chains *c, uint64_t n,
                      const tsu_run_params *p, tsu_moments *mom,
                      uint64_t done0, tk_err *err)
{
  for (uint64_t t = 0; t < n; t += 8) {
    if (p->stop != NULL && *p->stop != 0)
      return TK_FAIL(err, TK_EINTERRUPT, "interrupted after %llu sweeps",
                     (unsigned long long)(done0 + t));
    TK_TRY(tsu_mixed_chains_run(c, n - t < 8 ? n - t : 8, p->n_threads, mom,
                                err));
  }
  return TK_OK;
}

int tsu_run_mixed(tsu_mixed_chains *c, const tsu_mixed *m, uint32_t n_chains,
                  const tsu_run_params *p, tsu_run_result *res, tk_err *err)
{
  memset(res, 0, sizeof *res);
  uint64_t rec = p->n_batches > 0 ? p->sweeps / p->n_batches * p->n_batches
                                  : p->sweeps;
  res->recorded = rec;
  res->updates = (double)m->g->n * (double)n_chains * (double)rec;
  int rc = tsu_mixed_moments_alloc(m, n_chains, rec, p->n_batches,
                                   &res->mom, err);
  if (rc == 0)
    rc = run_sweeps(c, p->burn_in, p, NULL, 0, err);
  if (rc == 0) {
    uint64_t ch0 = tsu_mixed_chains_changes(c);
    double t0 = tk_clock_s();
    rc = run_sweeps(c, rec, p, res->mom, p->burn_in, err);
    res->t_rec_s = tk_clock_s() - t0;
    res->activity =
        (double)(tsu_mixed_chains_changes(c) - ch0) / res->updates;
  }
  if (rc != 0) {
    tsu_run_result_clear(res);
    return rc;
  }
  res->updates_per_ns = res->updates / (res->t_rec_s * 1e9);
  return TK_OK;
}
