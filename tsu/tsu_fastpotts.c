/* tsu_fastpotts.c -- the fast Potts sampler: plan, random start, the
 * sweep loop over lane groups and the moments (tsu_fastpotts.h; the
 * kernels are in tsu_fastnode_*.c).
 *
 * Workload: `tsukit sample --cells-kind potts` and `bench gibbs`: a
 * 70 x 70 G12 grid with a few hundred chains.  Each sweep is one OpenMP
 * loop over lane groups of 16 chains (a group's rows, n x 16 bytes, stay
 * in cache through a sweep), then, when recording, one loop over blocks
 * of observables with integer counts (exact for any thread count).
 */
#include "tsu/tsu_fastpotts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_rng.h"
#include "tsu/tsu_fastnode_impl.h"

#define OBS_BLOCK 256

struct tsu_fastpotts {
  tsu__fpplan pl;       /* the kernels' plan */
  const tsu__fn_path *path; /* code path */
  const tsu_graph *g;   /* graph of the model, not owned */
  uint32_t n_chains;    /* chains, >= 1 */
  uint32_t n_groups;    /* lane groups, ceil(n_chains / 16) */
  uint64_t sweep;       /* sweeps done */
  uint8_t *st;          /* [n_groups][n][16] states */
  uint64_t *changes;    /* [16 n_groups] updates that changed the state */
  uint64_t seed;        /* random seed */
  uint32_t g0;          /* global lane group of group 0 (MPI ranks) */
};

/* The random start of every chain (global chain 16 (g0 + g) + l). */
static void draw_start(tsu_fastpotts *s)
{
  uint32_t n = s->pl.n, K = s->pl.K;
  for (uint32_t gr = 0; gr < s->n_groups; gr++)
    for (uint32_t i = 0; i < n; i++)
      for (uint32_t l = 0; l < TSU__FN_W; l++) {
        uint32_t w[4];
        uint64_t c = ((uint64_t)s->g0 + gr) * TSU__FN_W + l;
        tk_rng_block_at(s->seed, TSU__FN_START(TSU__FN_TAG_POTTS),
                        ((uint64_t)i << 32) | c, w);
        s->st[((size_t)gr * n + i) * TSU__FN_W + l] =
            (uint8_t)(((w[0] >> 16) * K) >> 16);
      }
}

const tsu__fpplan *tsu__fastpotts_plan(const tsu_fastpotts *s)
{
  return &s->pl;
}

/* Scaled couplings and biases of model p (structure already planned). */
static int fill_weights(tsu_fastpotts *s, const tsu_potts *p, tk_err *err)
{
  const tsu_graph *g = p->g;
  tsu__fpplan *pl = &s->pl;
  double sc = p->beta / log(2.0);
  int lin = 1;
  for (uint32_t q = 0; q < pl->n; q++) {
    uint32_t i = pl->node[q];
    float tot = 0.0f;
    double sum = 0, bound = 0;
    for (uint32_t a = pl->off[q], b = g->off[i]; a < pl->off[q + 1];
         a++, b++) {
      double v = sc * g->adj_w[b];
      if (!(fabs(v) < 1e30))
        return TK_FAIL(err, TK_ERANGE, "node %u: coupling %g x beta does "
                       "not fit fp32", i, g->adj_w[b]);
      pl->wq[a] = (float)v + 0.0f;    /* +0.0f: no -0 */
      tot += pl->wq[a];
      sum += v;
      bound += fabs(v);
      pl->ew[a] = (float)exp2(fmax(fmin(v, 120.0), -120.0));
    }
    pl->tot[q] = tot;
    double hmax = 0;
    for (uint32_t k = 0; k < pl->K; k++) {
      double v = sc * p->h[(size_t)i * p->K + k];
      if (!(fabs(v) < 1e30))
        return TK_FAIL(err, TK_ERANGE, "node %u state %u: bias does not "
                       "fit fp32", i, k);
      pl->hq[(size_t)q * pl->K + k] = (float)v + 0.0f;
      hmax = fabs(v) > hmax ? fabs(v) : hmax;
      pl->eh[(size_t)q * pl->K + k] =
          (float)exp2(fmax(fmin(k + 1 < pl->K ? v : v + sum, 120.0),
                          -120.0));  /* used if 2 bound + hmax <= 100 */
    }
    /* the linear mode's weights are the softmax weights times the
     * product of the other states' G: the couplings count twice */
    if (!(2.0 * bound + hmax <= TSU__FP_LIN_MAX))
      lin = 0;
  }
  pl->lin = lin;
  return TK_OK;
}

int tsu_fastpotts_alloc(const tsu_potts *p, const tsu_coloring *col,
                        uint32_t n_chains, uint64_t seed, int path,
                        tsu_fastpotts **out, tk_err *err)
{
  *out = NULL;
  TK_TRY(tsu_potts_check(p, err));
  const tsu_graph *g = p->g;
  const tsu__fn_path *fp = NULL;
  uint32_t n = g->n, ng = 0;
  TK_TRY(tsu__fn_prepare(g, col, n_chains, path, &fp, &ng, err));
  tsu_fastpotts *s = calloc(1, sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "fast Potts sampler");
  tsu__fpplan *pl = &s->pl;
  s->path = fp;
  s->g = g;
  s->n_chains = n_chains;
  s->n_groups = ng;
  pl->n = n;
  pl->K = p->K;
  pl->n_colors = col->n_colors;
  pl->tag = TSU__FN_TAG_POTTS;
  tsu__fn_round_keys(seed, pl->rk);
  size_t nl = g->off[n];
  pl->start = malloc((col->n_colors + 1) * sizeof *pl->start);
  pl->node = malloc(n * sizeof *pl->node);
  pl->off = malloc((n + 1) * sizeof *pl->off);
  pl->nbr = malloc((nl + 1) * sizeof *pl->nbr);
  pl->wq = malloc((nl + 1) * sizeof *pl->wq);
  pl->hq = malloc((size_t)n * p->K * sizeof *pl->hq);
  pl->tot = malloc(n * sizeof *pl->tot);
  pl->ew = malloc((nl + 1) * sizeof *pl->ew);
  pl->eh = malloc((size_t)n * p->K * sizeof *pl->eh);
  s->st = malloc((size_t)ng * n * TSU__FN_W + 1);
  s->changes = calloc((size_t)ng * TSU__FN_W, sizeof *s->changes);
  if (pl->start == NULL || pl->node == NULL || pl->off == NULL ||
      pl->nbr == NULL || pl->wq == NULL || pl->hq == NULL ||
      pl->tot == NULL || pl->ew == NULL || pl->eh == NULL ||
      s->st == NULL || s->changes == NULL) {
    tsu_fastpotts_free(s);
    return TK_FAIL(err, TK_ENOMEM, "fast Potts sampler: %u nodes x %u "
                   "chains", n, n_chains);
  }
  tsu__fn_order(g, col, pl->start, pl->node, pl->off, pl->nbr);
  int rc = fill_weights(s, p, err);
  if (rc != 0) {
    tsu_fastpotts_free(s);
    return rc;
  }
  s->seed = seed;
  draw_start(s);
  *out = s;
  return TK_OK;
}

void tsu_fastpotts_free(tsu_fastpotts *s)
{
  if (s == NULL)
    return;
  free(s->pl.start);
  free(s->pl.node);
  free(s->pl.off);
  free(s->pl.nbr);
  free(s->pl.wq);
  free(s->pl.hq);
  free(s->pl.tot);
  free(s->pl.ew);
  free(s->pl.eh);
  free(s->st);
  free(s->changes);
  free(s);
}

int tsu_fastpotts_reload(tsu_fastpotts *s, const tsu_potts *p, tk_err *err)
{
  TK_TRY(tsu_potts_check(p, err));
  const tsu_graph *g = p->g;
  if (g->n != s->pl.n || p->K != s->pl.K || g->off[g->n] != s->pl.off[g->n])
    return TK_FAIL(err, TK_EINVAL, "reload: another graph structure or K");
  for (uint32_t q = 0; q < s->pl.n; q++) {
    uint32_t i = s->pl.node[q];
    if (memcmp(s->pl.nbr + s->pl.off[q], g->adj + g->off[i],
               (g->off[i + 1] - g->off[i]) * sizeof *g->adj) != 0)
      return TK_FAIL(err, TK_EINVAL, "reload: node %u has other "
                     "neighbours", i);
  }
  s->g = g;
  return fill_weights(s, p, err);
}

/* Count the states of all chains into the current batch of mom. */
static void add_moments(const tsu_fastpotts *s, tsu_moments *mom, int nt)
{
  const tsu_graph *g = s->g;
  uint32_t n = g->n, m = g->n_edges, K = s->pl.K;
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
    for (uint32_t gr = 0; gr < s->n_groups; gr++) {
      const uint8_t *x = s->st + (size_t)gr * n * TSU__FN_W;
      uint32_t nl = s->n_chains - gr * TSU__FN_W;
      if (nl > TSU__FN_W)
        nl = TSU__FN_W;
      for (uint32_t o = lo; o < hi; o++) {
        if (o < n) {
          const uint8_t *r = x + (size_t)o * TSU__FN_W;
          for (uint32_t l = 0; l < nl; l++)
            occ[(size_t)o * K + r[l]]++;
        } else {
          const uint8_t *a = x + (size_t)g->ei[o - n] * TSU__FN_W;
          const uint8_t *b = x + (size_t)g->ej[o - n] * TSU__FN_W;
          int64_t c = 0;
          for (uint32_t l = 0; l < nl; l++)
            c += a[l] == b[l];
          agr[o - n] += c;
        }
      }
    }
  }
}

int tsu_fastpotts_run(tsu_fastpotts *s, uint64_t n_sweeps, int n_threads,
                      tsu_moments *mom, tk_err *err)
{
  int nt = n_threads;
#ifdef _OPENMP
  if (nt <= 0)
    nt = omp_get_max_threads();
#endif
  uint32_t n = s->pl.n;
  if (mom != NULL && (mom->type != TSU_MOM_COUNT || mom->n != n ||
                      mom->cols != s->pl.K ||
                      mom->n_edges != s->g->n_edges ||
                      mom->n_chains != s->n_chains))
    return TK_FAIL(err, TK_EINVAL, "moments planned for another run");
  tsu__fp_kernel_fn kern = s->path->potts;
  for (uint64_t k = 0; k < n_sweeps; k++) {
    uint64_t t = s->sweep;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#endif
    for (int64_t gi = 0; gi < (int64_t)s->n_groups; gi++) {
      uint32_t gr = (uint32_t)gi;
      uint32_t chg[TSU__FN_W] = {0};
      uint8_t *st = s->st + (size_t)gr * n * TSU__FN_W;
      for (uint32_t c = 0; c < s->pl.n_colors; c++)
        kern(&s->pl, st, s->g0 + gr, c, t, chg);
      for (uint32_t l = 0; l < TSU__FN_W; l++)
        s->changes[(size_t)gr * TSU__FN_W + l] += chg[l];
    }
    s->sweep = t + 1;
    if (mom != NULL) {
      add_moments(s, mom, nt);
      tsu_moments_next(mom);
    }
  }
  return TK_OK;
}

uint8_t tsu_fastpotts_state(const tsu_fastpotts *s, uint32_t chain,
                            uint32_t node)
{
  size_t gr = chain / TSU__FN_W, l = chain % TSU__FN_W;
  return s->st[(gr * s->pl.n + node) * TSU__FN_W + l];
}

void tsu_fastpotts_states(const tsu_fastpotts *s, uint8_t *out)
{
  for (uint32_t c = 0; c < s->n_chains; c++)
    for (uint32_t i = 0; i < s->pl.n; i++)
      out[(size_t)c * s->pl.n + i] = tsu_fastpotts_state(s, c, i);
}

void tsu_fastpotts_set_state(tsu_fastpotts *s, uint32_t chain, uint32_t node,
                             uint8_t k)
{
  size_t gr = chain / TSU__FN_W, l = chain % TSU__FN_W;
  s->st[(gr * s->pl.n + node) * TSU__FN_W + l] = (uint8_t)(k % s->pl.K);
}

int tsu_fastpotts_set_group_offset(tsu_fastpotts *s, uint32_t g0,
                                   tk_err *err)
{
  if (((uint64_t)g0 + s->n_groups) * TSU__FN_W > (1ull << 32))
    return TK_FAIL(err, TK_ERANGE, "group offset %u: global chains past "
                   "2^32", g0);
  s->g0 = g0;
  if (s->sweep == 0)
    draw_start(s);
  return TK_OK;
}

uint64_t tsu_fastpotts_sweeps(const tsu_fastpotts *s)
{
  return s->sweep;
}

uint64_t tsu_fastpotts_changes(const tsu_fastpotts *s)
{
  uint64_t tot = 0;
  for (uint32_t c = 0; c < s->n_chains; c++)
    tot += s->changes[c];
  return tot;
}

const char *tsu_fastpotts_path_name(const tsu_fastpotts *s)
{
  return s->path->name;
}
