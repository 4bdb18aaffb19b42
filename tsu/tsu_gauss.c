/* tsu_gauss.c -- chromatic block Gibbs for Gaussian (continuous) cells.
 *
 * Workload: double precision, one Philox block and one Box-Muller per
 * cell update; chains are independent, so a sweep is one OpenMP loop over
 * chains (each chain's row of n states stays in cache), followed by a
 * loop over blocks of observables that sums chains in chain order (the
 * order, and so every rounding, is the same for any thread count).
 */
#include "tsu/tsu_gauss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_rng.h"

struct tsu_gauss_chains {
  const tsu_gauss *m;   /* model, not owned */
  const tsu_coloring *col; /* colouring of m->g, not owned */
  uint32_t n_chains;    /* chains, >= 1 */
  uint64_t seed;        /* Philox key */
  uint64_t sweep;       /* sweeps done */
  double *inv_a;        /* [n] 1 / a_i */
  double *sd;           /* [n] conditional standard deviation 1/sqrt(beta a_i) */
  double *x;            /* [n_chains][n] states */
  int *bad;             /* [n_chains] 1 if the chain diverged in this sweep */
};

/* Observables summed per parallel work item in the moments loop. */
#define OBS_BLOCK 256

int tsu_gauss_check(const tsu_gauss *m, tk_err *err)
{
  if (m == NULL || m->g == NULL || m->a == NULL)
    return TK_FAIL(err, TK_EINVAL, "Gaussian model without graph or a_i");
  if (!(m->beta > 0) || !isfinite(m->beta))
    return TK_FAIL(err, TK_ERANGE, "beta=%g must be finite and > 0 for "
                   "Gaussian cells", m->beta);
  const tsu_graph *g = m->g;
  for (uint32_t i = 0; i < g->n; i++) {
    if (!(m->a[i] > 0) || !isfinite(m->a[i]))
      return TK_FAIL(err, TK_ERANGE, "node %u: self-coupling a=%g must be "
                     "finite and > 0", i, m->a[i]);
    if (!isfinite(g->h[i]))
      return TK_FAIL(err, TK_EINVAL, "node %u: bias is not finite", i);
  }
  for (uint32_t e = 0; e < g->n_edges; e++)
    if (!isfinite(g->w[e]))
      return TK_FAIL(err, TK_EINVAL, "edge %u: coupling is not finite", e);
  return TK_OK;
}

double tsu_gauss_energy(const tsu_gauss *m, const double *x)
{
  const tsu_graph *g = m->g;
  double e = 0;
  for (uint32_t i = 0; i < g->n; i++)
    e += 0.5 * m->a[i] * x[i] * x[i] - g->h[i] * x[i];
  for (uint32_t k = 0; k < g->n_edges; k++)
    e -= g->w[k] * x[g->ei[k]] * x[g->ej[k]];
  return e;
}

void tsu_gauss_diag_dominant(const tsu_graph *g, double margin, double *a)
{
  for (uint32_t i = 0; i < g->n; i++) {
    a[i] = margin;
    for (uint32_t k = g->off[i]; k < g->off[i + 1]; k++)
      a[i] += fabs(g->adj_w[k]);
  }
}

int tsu_gauss_moments_alloc(const tsu_graph *g, uint32_t n_chains,
                            uint64_t n_sweeps, uint32_t n_batches,
                            tsu_moments **out, tk_err *err)
{
  return tsu_moments_alloc(g->n, 1, g->n_edges, TSU_MOM_REAL, n_chains,
                           n_sweeps, n_batches, out, err);
}

int tsu_gauss_chains_alloc(const tsu_gauss *m, const tsu_coloring *col,
                           uint32_t n_chains, uint64_t seed,
                           tsu_gauss_chains **out, tk_err *err)
{
  *out = NULL;
  TK_TRY(tsu_gauss_check(m, err));
  if (n_chains < 1)
    return TK_FAIL(err, TK_EINVAL, "need at least one chain");
  if (col == NULL || col->n != m->g->n)
    return TK_FAIL(err, TK_EINVAL, "colouring does not match the graph");
  uint32_t n = m->g->n;
  tsu_gauss_chains *s = calloc(1, sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "Gaussian chains");
  s->m = m;
  s->col = col;
  s->n_chains = n_chains;
  s->seed = seed;
  s->inv_a = malloc(n * sizeof *s->inv_a);
  s->sd = malloc(n * sizeof *s->sd);
  s->x = malloc((size_t)n_chains * n * sizeof *s->x);
  s->bad = calloc(n_chains, sizeof *s->bad);
  if (s->inv_a == NULL || s->sd == NULL || s->x == NULL || s->bad == NULL) {
    tsu_gauss_chains_free(s);
    return TK_FAIL(err, TK_ENOMEM, "Gaussian chains: %u x %u states",
                   n_chains, n);
  }
  for (uint32_t i = 0; i < n; i++) {
    s->inv_a[i] = 1.0 / m->a[i];
    s->sd[i] = 1.0 / sqrt(m->beta * m->a[i]);
  }
  for (uint32_t c = 0; c < n_chains; c++)
    for (uint32_t i = 0; i < n; i++) {
      double z[2];
      tk_rng_gauss2_at(seed, (1ull << 63) + c, i, z);
      s->x[(size_t)c * n + i] = s->sd[i] * z[0];
    }
  *out = s;
  return TK_OK;
}

void tsu_gauss_chains_free(tsu_gauss_chains *s)
{
  if (s == NULL)
    return;
  free(s->inv_a);
  free(s->sd);
  free(s->x);
  free(s->bad);
  free(s);
}

/* One sweep of chain c; returns 1 if a state left the finite range. */
static int sweep_chain(const tsu_gauss_chains *s, uint32_t c, uint64_t t)
{
  const tsu_graph *g = s->m->g;
  const tsu_coloring *col = s->col;
  uint32_t n = g->n;
  double *x = s->x + (size_t)c * n;
  int bad = 0;
  for (uint32_t q = 0; q < n; q++) {
    uint32_t i = col->order[q];
    double field = g->h[i];
    for (uint32_t k = g->off[i]; k < g->off[i + 1]; k++)
      field += g->adj_w[k] * x[g->adj[k]];
    double z[2];
    tk_rng_gauss2_at(s->seed, c, t * n + i, z);
    double v = field * s->inv_a[i] + s->sd[i] * z[0];
    bad |= !(fabs(v) <= TSU_GAUSS_XMAX);
    x[i] = v;
  }
  return bad;
}

/* Add the current states of all chains to the current batch of mom
 * (means [n], then products [n_edges]), chains summed in chain order for
 * every observable. */
static void add_moments(const tsu_gauss_chains *s, tsu_moments *mom, int nt)
{
  const tsu_graph *g = s->m->g;
  uint32_t n = g->n, m = g->n_edges;
  double *xs = tsu_moments_batch_sum(mom);
  if (xs == NULL)
    return;
  double *xxs = xs + n;
  int64_t n_blocks = ((int64_t)n + m + OBS_BLOCK - 1) / OBS_BLOCK;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#else
  (void)nt;
#endif
  for (int64_t blk = 0; blk < n_blocks; blk++) {
    uint32_t lo = (uint32_t)(blk * OBS_BLOCK);
    uint32_t hi = lo + OBS_BLOCK < n + m ? lo + OBS_BLOCK : n + m;
    for (uint32_t c = 0; c < s->n_chains; c++) {
      const double *x = s->x + (size_t)c * n;
      for (uint32_t o = lo; o < hi; o++) {
        if (o < n)
          xs[o] += x[o];
        else
          xxs[o - n] += x[g->ei[o - n]] * x[g->ej[o - n]];
      }
    }
  }
}

int tsu_gauss_chains_run(tsu_gauss_chains *s, uint64_t n_sweeps,
                         int n_threads, tsu_moments *mom, tk_err *err)
{
  int nt = n_threads;
#ifdef _OPENMP
  if (nt <= 0)
    nt = omp_get_max_threads();
#endif
  if (mom != NULL && (mom->type != TSU_MOM_REAL || mom->n != s->m->g->n ||
                      mom->cols != 1 || mom->n_edges != s->m->g->n_edges ||
                      mom->n_chains != s->n_chains))
    return TK_FAIL(err, TK_EINVAL, "moments planned for another run");
  for (uint64_t k = 0; k < n_sweeps; k++) {
    uint64_t t = s->sweep;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#endif
    for (int64_t c = 0; c < (int64_t)s->n_chains; c++)
      s->bad[c] = sweep_chain(s, (uint32_t)c, t);
    s->sweep = t + 1;
    for (uint32_t c = 0; c < s->n_chains; c++)
      if (s->bad[c])
        return TK_FAIL(err, TK_ENUMERIC, "Gaussian chain %u diverged in "
                       "sweep %llu (|x| > %g or NaN): is diag(a) - J "
                       "positive definite?", c, (unsigned long long)t,
                       TSU_GAUSS_XMAX);
    if (mom != NULL) {
      add_moments(s, mom, nt);
      tsu_moments_next(mom);
    }
  }
  return TK_OK;
}

const double *tsu_gauss_chains_states(const tsu_gauss_chains *s)
{
  return s->x;
}

uint64_t tsu_gauss_chains_sweeps(const tsu_gauss_chains *s)
{
  return s->sweep;
}

tsu_gauss_cell_energy tsu_gauss_cell_energy_default(void)
{
  tsu_gauss_cell_energy ce;
  memset(&ce, 0, sizeof ce);
  return ce;
}

void tsu_gauss_cell_energy_apply(const tsu_gauss_cell_energy *ce,
                              tsu_energy_params *ep)
{
  if (ce->e_update_J > 0)
    ep->e_rng_J = ce->e_update_J;
  if (ce->tau_s > 0)
    ep->tau_s = ce->tau_s;
  if (ce->dt_s > 0)
    ep->dt_s = ce->dt_s;
}
