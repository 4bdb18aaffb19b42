/* tsu_fastgauss.c -- the fast Gaussian-node sampler: plan, random start,
 * the sweep loop over lane groups and the moments (tsu_fastgauss.h; the
 * kernels are in tsu_fastnode_*.c).
 *
 * Workload: as tsu_fastpotts.c, with fp32 rows (n x 64 bytes per lane
 * group).  Moments sum the chains of each observable in chain order in
 * double, so they are the same for any thread count.
 */
#include "tsu/tsu_fastgauss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_rng.h"
#include "tsu/tsu_fastnode_impl.h"

#define OBS_BLOCK 256

struct tsu_fastgauss {
  tsu__fgplan pl;       /* the kernels' plan */
  const tsu__fn_path *path; /* code path */
  const tsu_graph *g;   /* graph of the model, not owned */
  uint32_t n_chains;    /* chains, >= 1 */
  uint32_t n_groups;    /* lane groups, ceil(n_chains / 16) */
  uint64_t sweep;       /* sweeps done */
  float *x;             /* [n_groups][n][16] states, 32 bytes past a
                           cache line (see tsu_fastgauss_alloc) */
  float *x_mem;         /* the allocation holding x */
  int *bad;             /* [n_groups] diverged in the last sweep */
  const tsu_gauss *m;   /* the model (start state), not owned */
  uint64_t seed;        /* random seed */
  uint32_t g0;          /* global lane group of group 0 (MPI ranks) */
};

/* The random start of every chain (global chain 16 (g0 + g) + l). */
static void draw_start(tsu_fastgauss *s)
{
  uint32_t n = s->pl.n;
  for (uint32_t gr = 0; gr < s->n_groups; gr++)
    for (uint32_t i = 0; i < n; i++)
      for (uint32_t l = 0; l < TSU__FN_W; l++) {
        double z[2];
        uint64_t c = ((uint64_t)s->g0 + gr) * TSU__FN_W + l;
        tk_rng_gauss2_at(s->seed, TSU__FN_START(TSU__FN_TAG_GAUSS),
                         ((uint64_t)i << 32) | c, z);
        s->x[((size_t)gr * n + i) * TSU__FN_W + l] =
            (float)(z[0] / sqrt(s->m->beta * s->m->a[i]));
      }
}

const tsu__fgplan *tsu__fastgauss_plan(const tsu_fastgauss *s)
{
  return &s->pl;
}

/* fp32 value of v, or TK_ERANGE naming it. */
static int to_f32(double v, float *out, const char *what, uint32_t i,
                  tk_err *err)
{
  if (!(fabs(v) < 1e30))
    return TK_FAIL(err, TK_ERANGE, "node %u: %s %g does not fit fp32", i,
                   what, v);
  *out = (float)v;
  return TK_OK;
}

static int fill_weights(tsu_fastgauss *s, const tsu_gauss *m, tk_err *err)
{
  const tsu_graph *g = m->g;
  tsu__fgplan *pl = &s->pl;
  for (uint32_t q = 0; q < pl->n; q++) {
    uint32_t i = pl->node[q];
    for (uint32_t a = pl->off[q], b = g->off[i]; a < pl->off[q + 1];
         a++, b++)
      TK_TRY(to_f32(g->adj_w[b], &pl->wq[a], "coupling", i, err));
    TK_TRY(to_f32(g->h[i], &pl->hq[q], "bias", i, err));
    TK_TRY(to_f32(1.0 / m->a[i], &pl->inv_a[q], "1/a", i, err));
    TK_TRY(to_f32(1.0 / sqrt(m->beta * m->a[i]), &pl->sd[q],
                  "conditional sd", i, err));
    if (pl->inv_a[q] == 0.0f || pl->sd[q] == 0.0f)
      return TK_FAIL(err, TK_ERANGE, "node %u: a=%g or beta a does not fit "
                     "fp32", i, m->a[i]);
  }
  return TK_OK;
}

int tsu_fastgauss_alloc(const tsu_gauss *m, const tsu_coloring *col,
                        uint32_t n_chains, uint64_t seed, int path,
                        tsu_fastgauss **out, tk_err *err)
{
  *out = NULL;
  TK_TRY(tsu_gauss_check(m, err));
  const tsu_graph *g = m->g;
  const tsu__fn_path *fp = NULL;
  uint32_t n = g->n, ng = 0;
  TK_TRY(tsu__fn_prepare(g, col, n_chains, path, &fp, &ng, err));
  tsu_fastgauss *s = calloc(1, sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "fast Gaussian sampler");
  tsu__fgplan *pl = &s->pl;
  s->path = fp;
  s->g = g;
  s->n_chains = n_chains;
  s->n_groups = ng;
  pl->n = n;
  pl->n_colors = col->n_colors;
  pl->tag = TSU__FN_TAG_GAUSS;
  tsu__fn_round_keys(seed, pl->rk);
  size_t nl = g->off[n];
  pl->start = malloc((col->n_colors + 1) * sizeof *pl->start);
  pl->node = malloc(n * sizeof *pl->node);
  pl->off = malloc((n + 1) * sizeof *pl->off);
  pl->nbr = malloc((nl + 1) * sizeof *pl->nbr);
  pl->wq = malloc((nl + 1) * sizeof *pl->wq);
  pl->hq = malloc(n * sizeof *pl->hq);
  pl->inv_a = malloc(n * sizeof *pl->inv_a);
  pl->sd = malloc(n * sizeof *pl->sd);
  /* rows of 64 bytes starting 32 bytes past a cache line: measured on
   * the Zen 4 of README.md, 300 sweeps of G12 70 x 70, this placement
   * ran the AVX2 and AVX-512 kernels at their best in every run; rows on
   * line boundaries ran as fast in some runs and 10-20 % slower in
   * others (varying from run to run), and malloc's usual 16-byte offset
   * cost AVX-512 about 10 % */
  s->x_mem = aligned_alloc(64, (size_t)ng * n * TSU__FN_W * sizeof *s->x +
                                   128);
  s->x = s->x_mem != NULL ? s->x_mem + 8 : NULL;
  s->bad = calloc(ng, sizeof *s->bad);
  if (pl->start == NULL || pl->node == NULL || pl->off == NULL ||
      pl->nbr == NULL || pl->wq == NULL || pl->hq == NULL ||
      pl->inv_a == NULL || pl->sd == NULL || s->x == NULL ||
      s->bad == NULL) {
    tsu_fastgauss_free(s);
    return TK_FAIL(err, TK_ENOMEM, "fast Gaussian sampler: %u nodes x %u "
                   "chains", n, n_chains);
  }
  tsu__fn_order(g, col, pl->start, pl->node, pl->off, pl->nbr);
  if (n <= 65536u && (pl->nb16 = malloc((nl + 1) * sizeof *pl->nb16)) !=
      NULL)
    for (size_t a = 0; a < nl; a++)
      pl->nb16[a] = (uint16_t)pl->nbr[a];
  int rc = fill_weights(s, m, err);
  if (rc != 0) {
    tsu_fastgauss_free(s);
    return rc;
  }
  s->m = m;
  s->seed = seed;
  draw_start(s);
  *out = s;
  return TK_OK;
}

void tsu_fastgauss_free(tsu_fastgauss *s)
{
  if (s == NULL)
    return;
  free(s->pl.start);
  free(s->pl.node);
  free(s->pl.off);
  free(s->pl.nbr);
  free(s->pl.nb16);
  free(s->pl.wq);
  free(s->pl.hq);
  free(s->pl.inv_a);
  free(s->pl.sd);
  free(s->x_mem);
  free(s->bad);
  free(s);
}

int tsu_fastgauss_reload(tsu_fastgauss *s, const tsu_gauss *m, tk_err *err)
{
  TK_TRY(tsu_gauss_check(m, err));
  const tsu_graph *g = m->g;
  if (g->n != s->pl.n || g->off[g->n] != s->pl.off[g->n])
    return TK_FAIL(err, TK_EINVAL, "reload: another graph structure");
  for (uint32_t q = 0; q < s->pl.n; q++) {
    uint32_t i = s->pl.node[q];
    if (memcmp(s->pl.nbr + s->pl.off[q], g->adj + g->off[i],
               (g->off[i + 1] - g->off[i]) * sizeof *g->adj) != 0)
      return TK_FAIL(err, TK_EINVAL, "reload: node %u has other "
                     "neighbours", i);
  }
  s->g = g;
  s->m = m;
  return fill_weights(s, m, err);
}

/* Add the states of all chains to the current batch of mom, chains in
 * chain order for every observable. */
static void add_moments(const tsu_fastgauss *s, tsu_moments *mom, int nt)
{
  const tsu_graph *g = s->g;
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
    for (uint32_t gr = 0; gr < s->n_groups; gr++) {
      const float *x = s->x + (size_t)gr * n * TSU__FN_W;
      uint32_t nl = s->n_chains - gr * TSU__FN_W;
      if (nl > TSU__FN_W)
        nl = TSU__FN_W;
      for (uint32_t o = lo; o < hi; o++) {
        if (o < n) {
          const float *r = x + (size_t)o * TSU__FN_W;
          for (uint32_t l = 0; l < nl; l++)
            xs[o] += r[l];
        } else {
          const float *a = x + (size_t)g->ei[o - n] * TSU__FN_W;
          const float *b = x + (size_t)g->ej[o - n] * TSU__FN_W;
          for (uint32_t l = 0; l < nl; l++)
            xxs[o - n] += (double)a[l] * b[l];
        }
      }
    }
  }
}

int tsu_fastgauss_run(tsu_fastgauss *s, uint64_t n_sweeps, int n_threads,
                      tsu_moments *mom, tk_err *err)
{
  int nt = n_threads;
#ifdef _OPENMP
  if (nt <= 0)
    nt = omp_get_max_threads();
#endif
  uint32_t n = s->pl.n;
  if (mom != NULL && (mom->type != TSU_MOM_REAL || mom->n != n ||
                      mom->cols != 1 || mom->n_edges != s->g->n_edges ||
                      mom->n_chains != s->n_chains))
    return TK_FAIL(err, TK_EINVAL, "moments planned for another run");
  tsu__fg_kernel_fn kern = s->path->gauss;
  for (uint64_t k = 0; k < n_sweeps; k++) {
    uint64_t t = s->sweep;
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(nt)
#endif
    for (int64_t gi = 0; gi < (int64_t)s->n_groups; gi++) {
      uint32_t gr = (uint32_t)gi;
      float *x = s->x + (size_t)gr * n * TSU__FN_W;
      int bad = 0;
      for (uint32_t c = 0; c < s->pl.n_colors; c++)
        bad |= kern(&s->pl, x, s->g0 + gr, c, t);
      s->bad[gr] = bad;
    }
    s->sweep = t + 1;
    for (uint32_t gr = 0; gr < s->n_groups; gr++)
      if (s->bad[gr])
        return TK_FAIL(err, TK_ENUMERIC, "Gaussian chains %u..%u diverged "
                       "in sweep %llu (|x| > 1e30 or NaN): is diag(a) - J "
                       "positive definite?", gr * TSU__FN_W,
                       gr * TSU__FN_W + TSU__FN_W - 1, (unsigned long long)t);
    if (mom != NULL) {
      add_moments(s, mom, nt);
      tsu_moments_next(mom);
    }
  }
  return TK_OK;
}

float tsu_fastgauss_state(const tsu_fastgauss *s, uint32_t chain,
                          uint32_t node)
{
  size_t gr = chain / TSU__FN_W, l = chain % TSU__FN_W;
  return s->x[(gr * s->pl.n + node) * TSU__FN_W + l];
}

void tsu_fastgauss_states(const tsu_fastgauss *s, double *out)
{
  for (uint32_t c = 0; c < s->n_chains; c++)
    for (uint32_t i = 0; i < s->pl.n; i++)
      out[(size_t)c * s->pl.n + i] = tsu_fastgauss_state(s, c, i);
}

void tsu_fastgauss_set_state(tsu_fastgauss *s, uint32_t chain, uint32_t node,
                             float x)
{
  size_t gr = chain / TSU__FN_W, l = chain % TSU__FN_W;
  s->x[(gr * s->pl.n + node) * TSU__FN_W + l] = x;
}

int tsu_fastgauss_set_group_offset(tsu_fastgauss *s, uint32_t g0,
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

uint64_t tsu_fastgauss_sweeps(const tsu_fastgauss *s)
{
  return s->sweep;
}

const char *tsu_fastgauss_path_name(const tsu_fastgauss *s)
{
  return s->path->name;
}
