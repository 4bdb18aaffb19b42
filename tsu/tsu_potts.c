/* tsu_potts.c -- reference Gibbs sweep for categorical (Potts) cells.
 *
 * Workload: small graphs in tests (exact enumeration up to ~3^9 states);
 * clarity over speed.  The many-chain runner (`tsukit sample --cells-kind
 * potts`) uses the same update, one Philox block and K exps per update,
 * chains split over OpenMP threads (about 70 ns per update and core on G12
 * with K = 3, moments included).
 */
#include "tsu/tsu_potts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

struct tsu_potts_chains {
  const tsu_potts *p;   /* model, not owned */
  const tsu_coloring *col; /* colouring of p->g, not owned */
  uint32_t n_chains;    /* chains, >= 1 */
  uint64_t seed;        /* Philox key */
  uint64_t sweep;       /* sweeps done */
  uint8_t *s;           /* [n_chains][n] states, < K */
  uint64_t *changes;    /* [n_chains] updates that changed the state */
};

/* Observables counted per parallel work item in the moments loop. */
#define OBS_BLOCK 256

int tsu_potts_check(const tsu_potts *p, tk_err *err)
{
  if (p->K < 2 || p->K > TSU_POTTS_MAX_K)
    return TK_FAIL(err, TK_ERANGE, "K=%u states outside 2..%d", p->K,
                   TSU_POTTS_MAX_K);
  if (!(p->beta >= 0) || !isfinite(p->beta))
    return TK_FAIL(err, TK_ERANGE, "beta=%g must be finite and >= 0",
                   p->beta);
  for (uint32_t i = 0; i < p->g->n * p->K; i++)
    if (!isfinite(p->h[i]))
      return TK_FAIL(err, TK_EINVAL, "node %u state %u: bias is not finite",
                     i / p->K, i % p->K);
  return TK_OK;
}

double tsu_potts_energy(const tsu_potts *p, const uint8_t *s)
{
  double e = 0;
  for (uint32_t i = 0; i < p->g->n; i++)
    e -= p->h[(size_t)i * p->K + s[i]];
  for (uint32_t k = 0; k < p->g->n_edges; k++)
    if (s[p->g->ei[k]] == s[p->g->ej[k]])
      e -= p->g->w[k];
  return e;
}

/* Draw s_i from its conditional softmax with the uniform u in (0, 1). */
static uint8_t draw_state(const tsu_potts *p, uint32_t i, const uint8_t *s,
                          double u)
{
  const tsu_graph *g = p->g;
  double field[TSU_POTTS_MAX_K];
  for (uint32_t k = 0; k < p->K; k++)
    field[k] = p->h[(size_t)i * p->K + k];
  for (uint32_t a = g->off[i]; a < g->off[i + 1]; a++)
    field[s[g->adj[a]]] += g->adj_w[a];
  double fmax = field[0];
  for (uint32_t k = 1; k < p->K; k++)
    if (field[k] > fmax)
      fmax = field[k];
  double w[TSU_POTTS_MAX_K], z = 0;
  for (uint32_t k = 0; k < p->K; k++) {
    w[k] = exp(p->beta * (field[k] - fmax));
    z += w[k];
  }
  u *= z;
  uint32_t k = 0;
  while (k + 1 < p->K && u >= w[k]) {
    u -= w[k];
    k++;
  }
  return (uint8_t)k;
}

void tsu_potts_sweep(const tsu_potts *p, const tsu_coloring *col, tk_rng *rng,
                     uint8_t *s)
{
  for (uint32_t q = 0; q < col->start[col->n_colors]; q++) {
    uint32_t i = col->order[q];
    s[i] = draw_state(p, i, s, tk_rng_uniform(rng));
  }
}

void tsu_potts_bias_from_graph(const tsu_graph *g, uint32_t K, double *h)
{
  for (uint32_t i = 0; i < g->n; i++)
    for (uint32_t k = 0; k < K; k++)
      h[(size_t)i * K + k] = k == 1 ? g->h[i] : 0.0;
}

int tsu_potts_moments_alloc(const tsu_potts *p, uint32_t n_chains,
                            uint64_t n_sweeps, uint32_t n_batches,
                            tsu_moments **out, tk_err *err)
{
  return tsu_moments_alloc(p->g->n, p->K, p->g->n_edges, TSU_MOM_COUNT,
                           n_chains, n_sweeps, n_batches, out, err);
}

int tsu_potts_chains_alloc(const tsu_potts *p, const tsu_coloring *col,
                           uint32_t n_chains, uint64_t seed,
                           tsu_potts_chains **out, tk_err *err)
{
  *out = NULL;
  TK_TRY(tsu_potts_check(p, err));
  if (n_chains < 1)
    return TK_FAIL(err, TK_EINVAL, "need at least one chain");
  if (col == NULL || col->n != p->g->n)
    return TK_FAIL(err, TK_EINVAL, "colouring does not match the graph");
  uint32_t n = p->g->n;
  tsu_potts_chains *s = calloc(1, sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "Potts chains");
  s->p = p;
  s->col = col;
  s->n_chains = n_chains;
  s->seed = seed;
  s->s = malloc((size_t)n_chains * n + 1);
  s->changes = calloc(n_chains, sizeof *s->changes);
  if (s->s == NULL || s->changes == NULL) {
    tsu_potts_chains_free(s);
    return TK_FAIL(err, TK_ENOMEM, "Potts chains: %u x %u states", n_chains,
                   n);
  }
  for (uint32_t c = 0; c < n_chains; c++)
    for (uint32_t i = 0; i < n; i++) {
      double u = tk_rng_uniform_at(seed, (1ull << 63) + c, i);
      uint32_t k = (uint32_t)(u * p->K);
      s->s[(size_t)c * n + i] = (uint8_t)(k < p->K ? k : p->K - 1);
    }
  *out = s;
  return TK_OK;
}

void tsu_potts_chains_free(tsu_potts_chains *s)
{
  if (s == NULL)
    return;
  free(s->s);
  free(s->changes);
  free(s);
}

/* One sweep of chain c at sweep index t; returns the states changed. */
static uint64_t sweep_chain(const tsu_potts_chains *s, uint32_t c, uint64_t t)
{
  const tsu_potts *p = s->p;
  uint32_t n = p->g->n;
  uint8_t *x = s->s + (size_t)c * n;
  uint64_t changed = 0;
  for (uint32_t q = 0; q < n; q++) {
    uint32_t i = s->col->order[q];
    uint8_t v = draw_state(p, i, x,
                           tk_rng_uniform_at(s->seed, c, t * n + i));
    changed += v != x[i];
    x[i] = v;
  }
  return changed;
}

/* Count the current states of all chains into the current batch of mom
 * (occupancies [n][K], then agreements [n_edges]). */
static void add_moments(const tsu_potts_chains *s, tsu_moments *mom, int nt)
{
  const tsu_graph *g = s->p->g;
  uint32_t n = g->n, m = g->n_edges, K = s->p->K;
  int64_t *occ = tsu_moments_batch_count(mom);
  if (occ == NULL)
    return;
  int64_t *agr = occ + (size_t)n * K;
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
      const uint8_t *x = s->s + (size_t)c * n;
      for (uint32_t o = lo; o < hi; o++) {
        if (o < n)
          occ[(size_t)o * K + x[o]]++;
        else
          agr[o - n] += x[g->ei[o - n]] == x[g->ej[o - n]];
      }
    }
  }
}

int tsu_potts_chains_run(tsu_potts_chains *s, uint64_t n_sweeps,
                         int n_threads, tsu_moments *mom, tk_err *err)
{
  int nt = n_threads;
#ifdef _OPENMP
  if (nt <= 0)
    nt = omp_get_max_threads();
#endif
  if (mom != NULL && (mom->type != TSU_MOM_COUNT || mom->n != s->p->g->n ||
                      mom->cols != s->p->K || mom->n_edges != s->p->g->n_edges ||
                      mom->n_chains != s->n_chains))
    return TK_FAIL(err, TK_EINVAL, "moments planned for another run");
  for (uint64_t k = 0; k < n_sweeps; k++) {
    uint64_t t = s->sweep;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#endif
    for (int64_t c = 0; c < (int64_t)s->n_chains; c++)
      s->changes[c] += sweep_chain(s, (uint32_t)c, t);
    s->sweep = t + 1;
    if (mom != NULL) {
      add_moments(s, mom, nt);
      tsu_moments_next(mom);
    }
  }
  return TK_OK;
}

const uint8_t *tsu_potts_chains_states(const tsu_potts_chains *s)
{
  return s->s;
}

uint64_t tsu_potts_chains_sweeps(const tsu_potts_chains *s)
{
  return s->sweep;
}

uint64_t tsu_potts_chains_changes(const tsu_potts_chains *s)
{
  uint64_t tot = 0;
  for (uint32_t c = 0; c < s->n_chains; c++)
    tot += s->changes[c];
  return tot;
}

tsu_potts_cell_energy tsu_potts_cell_energy_default(void)
{
  tsu_potts_cell_energy ce;
  memset(&ce, 0, sizeof ce);
  return ce;
}

void tsu_potts_cell_energy_apply(const tsu_potts_cell_energy *ce,
                              tsu_energy_params *ep)
{
  if (ce->e_update_J > 0)
    ep->e_rng_J = ce->e_update_J;
  if (ce->tau_s > 0)
    ep->tau_s = ce->tau_s;
  if (ce->dt_s > 0)
    ep->dt_s = ce->dt_s;
}
