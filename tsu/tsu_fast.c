/* tsu_fast.c -- plan, start state and dispatch (the portable kernel is
 * in tsu_fast_portable.c).
 *
 * Workload: G12 grids of 70x70 (4900 nodes, ~29k edges) with 64-4096
 * chains and 1e3-1e5 sweeps; the plan (~0.5 MB of fp32 weights, plus
 * ~1.2 MB of subset-sum tables and indices for the VBMI/GFNI kernel, or
 * ~0.9 MB of byte-plane quad tables and indices for the AVX2 and
 * portable kernels) streams from L2/L3 while the chain words of a group
 * (n x 8 bytes) stay in L1.  Threads take whole chain groups when
 * there are enough of them (a static partition, each thread on a
 * private copy of the state, no synchronisation and no false sharing),
 * else split the node pairs of one colour (static schedule), with a
 * barrier between colours.
 */
#include "tsu/tsu_fast_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_rng.h"

struct tsu_sampler {
  tsu__plan pl;         /* read-only plan */
  uint64_t *bits;       /* [n][n_groups] chain states */
  uint32_t n_chains;    /* chains asked for */
  uint64_t sweep;       /* sweeps done */
  int path;             /* TSU_PATH_* in use */
  tsu__kernel_fn kernel;/* that path's kernel */
};

int tsu_fast_path_supported(int path)
{
  switch (path) {
  case TSU_PATH_PORTABLE:
    return 1;
#if defined(__x86_64__) && defined(__GNUC__)
  case TSU_PATH_AVX2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  case TSU_PATH_AVX512:
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("fma");
#endif
  default:
    return 0;
  }
}

int tsu__aes_level(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
  if (!__builtin_cpu_supports("aes"))
    return 0;
  return __builtin_cpu_supports("vaes") ? 2 : 1;
#else
  return 0;
#endif
}

void tsu__pair_blocks(const tsu__plan *pl, uint32_t pa, uint64_t sweep,
                      uint32_t g, uint32_t out[16][4])
{
  tk_ars5_blocks(pl->seed, (uint64_t)pa << 32 | (16 * (uint64_t)g), sweep,
                 16, pl->aes >= TSU_AES_NI, out);
}

int tsu_sampler_set_aes(tsu_sampler *s, int aes, tk_err *err)
{
  static const char *const name[3] = {"none", "aes-ni", "vaes"};
  if (aes < TSU_AES_NONE || aes > TSU_AES_VAES)
    return TK_FAIL(err, TK_EINVAL, "AES level %d (want 0..2)", aes);
  if (aes > tsu__aes_level())
    return TK_FAIL(err, TK_EUNSUPPORTED, "this CPU has no %s instructions",
                   name[aes]);
  s->pl.aes = aes;
  return TK_OK;
}

const char *tsu_sampler_aes_name(const tsu_sampler *s)
{
  /* the portable path's blocks come from tk_ars5_blocks: AES-NI at most */
  int aes = s->path == TSU_PATH_PORTABLE && s->pl.aes > TSU_AES_NI
                ? TSU_AES_NI
                : s->pl.aes;
  return aes == TSU_AES_VAES ? "vaes" : aes == TSU_AES_NI ? "aes-ni" : "none";
}

void tsu__sampler_plain_avx512(tsu_sampler *s)
{
  if (s->path == TSU_PATH_AVX512) {
    s->pl.use_gfni = 0;
    s->kernel = tsu__kernel_avx512;
  }
}

int tsu_fast_best_path(void)
{
  if (tsu_fast_path_supported(TSU_PATH_AVX512))
    return TSU_PATH_AVX512;
  if (tsu_fast_path_supported(TSU_PATH_AVX2))
    return TSU_PATH_AVX2;
  return TSU_PATH_PORTABLE;
}

const char *tsu_sampler_path_name(const tsu_sampler *s)
{
  switch (s->path) {
  case TSU_PATH_AVX512: return s->pl.use_gfni ? "avx512-gfni" : "avx512";
  case TSU_PATH_AVX2: return "avx2";
  default: return "portable";
  }
}

void tsu_sampler_free(tsu_sampler *s)
{
  if (s == NULL)
    return;
  free(s->pl.node);
  free(s->pl.off);
  free(s->pl.nbr);
  free(s->pl.wq);
  free(s->pl.c0);
  free(s->pl.mem_e);
  free(s->pl.mem_inv);
  free(s->pl.tab_off);
  free(s->pl.tab);
  free(s->pl.gx);
  free(s->pl.qt_off);
  free(s->pl.qtab);
  free(s->pl.qnb);
  free(s->pl.qF);
  free(s->pl.qk);
  free(s->pl.qclamp);
  free(s->pl.qe16);
  free(s->pl.qthr);
  free(s->bits);
  free(s);
}

/* Subset-sum tables and padded neighbour indices of the VBMI/GFNI
 * kernel (tsu_fast_impl.h); the sums are taken in double and rounded
 * once.  Allocates on the first call and refills in place afterwards
 * (the neighbour structure never changes).  Returns 0, or -1 when out of
 * memory. */
static int build_tables(tsu__plan *pl)
{
  uint32_t n = pl->n, nt = 0;
  if (pl->tab_off == NULL)
    pl->tab_off = malloc(((size_t)n + 1) * sizeof *pl->tab_off);
  if (pl->tab_off == NULL)
    return -1;
  for (uint32_t p = 0; p < n; p++) {
    uint32_t deg = pl->off[p + 1] - pl->off[p];
    pl->tab_off[p] = nt;
    nt += deg == 0 ? 1 : (deg + 3) / 4;
  }
  pl->tab_off[n] = nt;
  if (pl->tab == NULL)
    pl->tab = aligned_alloc(64, (size_t)nt * 16 * sizeof *pl->tab);
  if (pl->gx == NULL)
    pl->gx = malloc((size_t)nt * 4 * sizeof *pl->gx);
  if (pl->tab == NULL || pl->gx == NULL)
    return -1;
  for (uint32_t p = 0; p < n; p++) {
    uint32_t k0 = pl->off[p], deg = pl->off[p + 1] - k0;
    for (uint32_t t = pl->tab_off[p]; t < pl->tab_off[p + 1]; t++) {
      uint32_t j0 = 4 * (t - pl->tab_off[p]);
      for (uint32_t m = 0; m < 16; m++) {
        double sum = t == pl->tab_off[p] ? pl->c0[p] : 0.0;
        for (uint32_t i = 0; i < 4; i++)
          if (((m >> i) & 1) && j0 + i < deg)
            sum += pl->wq[k0 + j0 + i];
        pl->tab[16 * (size_t)t + m] = (float)sum;
      }
      for (uint32_t i = 0; i < 4; i++)
        pl->gx[4 * (size_t)t + i] = j0 + i < deg ? pl->nbr[k0 + j0 + i]
                                                 : pl->node[p] * pl->n_groups;
    }
  }
  pl->use_gfni = 1;
  return 0;
}

/* Quad tables of the fixed-point kernels (tsu_fast_impl.h): F_p is the
 * largest in 0..24 with 2^F_p B_p + 63.5 n_quads <= TSU__FIX_LIMIT, B_p =
 * |c0| + sum |wq| bounding |field|; sums in double, rounded once per
 * entry.  Allocates on the first call, refills in place afterwards.
 * Returns 0, -1 when out of memory, -2 when a node's field or degree is
 * too large for the representation (*bad = its position). */
static int build_fix(tsu__plan *pl, uint32_t *bad)
{
  uint32_t n = pl->n, nq = 0;
  if (pl->qt_off == NULL)
    pl->qt_off = malloc(((size_t)n + 1) * sizeof *pl->qt_off);
  if (pl->qt_off == NULL)
    return -1;
  for (uint32_t p = 0; p < n; p++) {
    uint32_t deg = pl->off[p + 1] - pl->off[p];
    pl->qt_off[p] = nq;
    nq += deg == 0 ? 1 : (deg + 3) / 4;
  }
  pl->qt_off[n] = nq;
  if (pl->qtab == NULL) {
    pl->qtab = aligned_alloc(64, ((size_t)nq * 48 + 63) / 64 * 64);
    pl->qnb = malloc((size_t)nq * 4 * sizeof *pl->qnb);
    pl->qF = malloc(n);
    pl->qk = malloc((size_t)n * 4 * sizeof *pl->qk);
    pl->qclamp = malloc((size_t)n * sizeof *pl->qclamp);
    pl->qe16 = malloc((size_t)n * sizeof *pl->qe16);
    pl->qthr = malloc((size_t)n * sizeof *pl->qthr);
  }
  if (pl->qtab == NULL || pl->qnb == NULL || pl->qF == NULL ||
      pl->qk == NULL || pl->qclamp == NULL || pl->qe16 == NULL ||
      pl->qthr == NULL)
    return -1;
  for (uint32_t p = 0; p < n; p++) {
    uint32_t k0 = pl->off[p], deg = pl->off[p + 1] - k0;
    uint32_t t0 = pl->qt_off[p], nt = pl->qt_off[p + 1] - t0;
    double bound = fabs(pl->c0[p]);
    for (uint32_t k = 0; k < deg; k++)
      bound += fabs(pl->wq[k0 + k]);
    int F = 24;
    while (F >= 0 && ldexp(bound, F) + 63.5 * nt > TSU__FIX_LIMIT)
      F--;
    if (F < 0 || nt > TSU__FIX_MAXQ) {
      *bad = p;
      return -2;
    }
    pl->qF[p] = (uint8_t)F;
    pl->qclamp[p] = (int32_t)ldexp(100.0, F);
    {
      const float c[4] = {TSU__EXP2C_C0, TSU__EXP2C_C1, TSU__EXP2C_C2,
                          TSU__EXP2C_C3};
      for (int j = 0; j < 4; j++)   /* exact: powers of two, no underflow */
        pl->qk[4 * (size_t)p + j] = (float)ldexp(c[j], -j * F);
    }
    pl->qe16[p] = (float)((double)pl->mem_e[p] * 65536.0);
    pl->qthr[p] = (float)((1.0 - (double)pl->mem_e[p]) * 65536.0);
    for (uint32_t t = 0; t < nt; t++) {
      uint32_t j0 = 4 * t;
      uint8_t *tb = pl->qtab + 48 * (size_t)(t0 + t);
      for (uint32_t m = 0; m < 16; m++) {
        double sum = t == 0 ? pl->c0[p] : 0.0;
        for (uint32_t i = 0; i < 4; i++)
          if (((m >> i) & 1) && j0 + i < deg)
            sum += pl->wq[k0 + j0 + i];
        int32_t v = (int32_t)lrint(ldexp(sum, F));
        int32_t h = (v - (v & 63)) / 64;
        tb[m] = (uint8_t)(v & 63);
        tb[16 + m] = (uint8_t)((uint32_t)h & 0xFF);
        tb[32 + m] = (uint8_t)(((uint32_t)h >> 8) & 0xFF);
      }
      for (uint32_t i = 0; i < 4; i++)
        pl->qnb[4 * (size_t)(t0 + t) + i] =
            j0 + i < deg ? pl->nbr[k0 + j0 + i] : n * pl->n_groups;
    }
  }
  return 0;
}

int32_t tsu__fix_field(const tsu__plan *pl, uint32_t p, const uint8_t *s)
{
  uint32_t deg = pl->off[p + 1] - pl->off[p];
  int32_t acc = 0;
  for (uint32_t t = pl->qt_off[p]; t < pl->qt_off[p + 1]; t++) {
    uint32_t j0 = 4 * (t - pl->qt_off[p]), m = 0;
    for (uint32_t i = 0; i < 4; i++)
      if (j0 + i < deg && s[j0 + i])
        m |= 1u << i;
    acc += tsu__fix_entry(pl->qtab + 48 * (size_t)t, m);
  }
  return acc;
}

static void fill_weights(tsu__plan *pl, const tsu_graph *g,
                         const tsu_cells *cells)
{
  const double log2e = 1.4426950408889634;
  uint32_t k = 0;
  pl->off[0] = 0;
  for (uint32_t p = 0; p < pl->n; p++) {
    uint32_t i = pl->node[p];
    double a = cells->a[i], sumj = 0;
    for (uint32_t q = g->off[i]; q < g->off[i + 1]; q++) {
      pl->nbr[k] = g->adj[q] * pl->n_groups;
      pl->wq[k++] = (float)(-log2e * 2.0 * a * g->adj_w[q]);
      sumj += g->adj_w[q];
    }
    pl->off[p + 1] = k;
    pl->c0[p] = (float)(-log2e * (a * (g->h[i] - sumj) + cells->b[i]));
    pl->mem_e[p] = (float)cells->e[i];
    pl->mem_inv[p] = (float)(1.0 / (1.0 - cells->e[i]));
  }
  pl->has_memory = cells->has_memory;
}

int tsu_sampler_alloc(const tsu_graph *g, const tsu_coloring *col,
                      const tsu_cells *cells, uint32_t n_chains,
                      uint64_t seed, int path, tsu_sampler **out,
                      tk_err *err)
{
  *out = NULL;
  if (n_chains < 1 || n_chains > (1u << 24))
    return TK_FAIL(err, TK_ERANGE, "chains=%u outside 1..%u", n_chains,
                   1u << 24);
  if (col->n != g->n || cells->n != g->n)
    return TK_FAIL(err, TK_EINVAL, "graph, colouring and cells disagree on "
                   "the node count");
  if (path == TSU_PATH_AUTO)
    path = tsu_fast_best_path();
  if (!tsu_fast_path_supported(path))
    return TK_FAIL(err, TK_EUNSUPPORTED, "kernel path %d is not supported "
                   "by this CPU", path);
  if ((uint64_t)g->n * ((n_chains + 63) / 64) >= (1ull << 32))
    return TK_FAIL(err, TK_ERANGE, "%u nodes x %u chains is too many for "
                   "one sampler (< 2^38 spins)", g->n, n_chains);
  tsu_sampler *s = calloc(1, sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "sampler");
  tsu__plan *pl = &s->pl;
  uint32_t n = g->n, m2 = g->off[n];
  pl->n = n;
  pl->n_colors = col->n_colors;
  pl->start = col->start;
  pl->n_groups = (n_chains + 63) / 64;
  pl->seed = seed;
  for (int r = 0; r <= TSU__ARS_ROUNDS; r++) {
    pl->ark[r][0] = seed + (uint64_t)r * 0x9E3779B97F4A7C15ull;
    pl->ark[r][1] = (uint64_t)r * 0xBB67AE8584CAA73Bull;
  }
  pl->aes = tsu__aes_level();
  pl->node = malloc((size_t)n * sizeof *pl->node);
  pl->off = malloc(((size_t)n + 1) * sizeof *pl->off);
  pl->nbr = malloc(((size_t)m2 + 1) * sizeof *pl->nbr);
  pl->wq = malloc(((size_t)m2 + 1) * sizeof *pl->wq);
  pl->c0 = malloc((size_t)n * sizeof *pl->c0);
  pl->mem_e = malloc((size_t)n * sizeof *pl->mem_e);
  pl->mem_inv = malloc((size_t)n * sizeof *pl->mem_inv);
  /* one row more: all-zero neighbour words for padded quads */
  s->bits = aligned_alloc(64, (((size_t)n + 1) * pl->n_groups * 8 + 63) /
                                  64 * 64);
  if (pl->node == NULL || pl->off == NULL || pl->nbr == NULL ||
      pl->wq == NULL || pl->c0 == NULL || pl->mem_e == NULL ||
      pl->mem_inv == NULL || s->bits == NULL) {
    tsu_sampler_free(s);
    return TK_FAIL(err, TK_ENOMEM, "sampler for %u nodes x %u chains", n,
                   n_chains);
  }
  for (uint32_t p = 0; p < n; p++)
    pl->node[p] = col->order[p];
  fill_weights(pl, g, cells);
  pl->has_memory = cells->has_memory;
  memset(s->bits + (size_t)n * pl->n_groups, 0, pl->n_groups * 8);
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t gr = 0; gr < pl->n_groups; gr++) {
      uint32_t w[4];
      tk_rng_block_at(seed, UINT64_MAX, (uint64_t)i * pl->n_groups + gr, w);
      s->bits[(size_t)i * pl->n_groups + gr] = (uint64_t)w[0] |
                                               ((uint64_t)w[1] << 32);
    }
  }
  if (path == TSU_PATH_AVX512 && tsu__avx512_gfni_supported() &&
      build_tables(pl) != 0) {
    tsu_sampler_free(s);
    return TK_FAIL(err, TK_ENOMEM, "subset-sum tables for %u nodes", n);
  }
  if (path == TSU_PATH_AVX2 || path == TSU_PATH_PORTABLE) {
    uint32_t bad = 0;
    int rc = build_fix(pl, &bad);
    if (rc != 0) {
      tsu_sampler_free(s);
      if (rc == -1)
        return TK_FAIL(err, TK_ENOMEM, "quad tables for %u nodes", n);
      return TK_FAIL(err, TK_ERANGE, "node %u: field bound or degree too "
                     "large for the fixed-point field of the %s path",
                     col->order[bad], path == TSU_PATH_AVX2 ? "avx2"
                                                            : "portable");
    }
  }
  s->n_chains = n_chains;
  s->path = path;
  s->kernel = path == TSU_PATH_AVX512
                  ? (pl->use_gfni ? tsu__kernel_avx512_gfni
                                  : tsu__kernel_avx512)
              : path == TSU_PATH_AVX2 ? tsu__kernel_avx2
                                      : tsu__kernel_portable;
  *out = s;
  return TK_OK;
}

int tsu_sampler_reload(tsu_sampler *s, const tsu_graph *g,
                       const tsu_cells *cells, tk_err *err)
{
  if (g->n != s->pl.n || cells->n != g->n || g->off[g->n] != s->pl.off[g->n])
    return TK_FAIL(err, TK_EINVAL, "reload: the graph or cells do not have "
                   "the sampler's nodes and links");
  fill_weights(&s->pl, g, cells);
  if (s->pl.use_gfni && build_tables(&s->pl) != 0)
    return TK_FAIL(err, TK_ENOMEM, "subset-sum tables");
  if (s->pl.qtab != NULL) {
    uint32_t bad = 0;
    if (build_fix(&s->pl, &bad) != 0)
      return TK_FAIL(err, TK_ERANGE, "reload: node %u: field bound too large "
                     "for the fixed-point field", s->pl.node[bad]);
  }
  return TK_OK;
}

void tsu_sampler_run(tsu_sampler *s, uint64_t n_sweeps, int n_threads)
{
  tsu_sampler_run_colors(s, n_sweeps, s->pl.n_colors, n_threads);
}

/* Sweeps of chain groups [g_lo, g_hi) with no synchronisation: chain
 * groups never interact. */
static void run_groups(const tsu__plan *pl, tsu__kernel_fn kern,
                       uint64_t *bits, uint64_t t0, uint64_t n_sweeps,
                       uint32_t n_active, uint32_t g_lo, uint32_t g_hi)
{
  for (uint64_t t = t0; t < t0 + n_sweeps; t++)
    for (uint32_t c = 0; c < n_active; c++) {
      uint32_t n_pairs = (pl->start[c + 1] - pl->start[c] + 1) / 2;
      kern(pl, bits, c, t, 0, n_pairs, g_lo, g_hi);
    }
}

#ifdef _OPENMP
/* run_groups for one thread of several on a private copy of the state
 * (same stride, so the neighbour indices hold; only columns [g_lo, g_hi)
 * and the zero row are filled), written back at the end.  A node's words
 * of all groups share a cache line when n_groups < 8: updated in place,
 * every store of one thread would invalidate the line in the other
 * core's cache (false sharing).  The private copy lives in the thread's
 * own cache; the same states as in place.  Falls back to in place if
 * the copy cannot be allocated. */
static void run_groups_private(const tsu__plan *pl, tsu__kernel_fn kern,
                               uint64_t *bits, uint64_t t0,
                               uint64_t n_sweeps, uint32_t n_active,
                               uint32_t g_lo, uint32_t g_hi)
{
  const size_t G = pl->n_groups, rows = (size_t)pl->n + 1;
  const size_t w = g_hi - g_lo;
  uint64_t *own = aligned_alloc(64, (rows * G * 8 + 63) / 64 * 64);
  if (own == NULL) {
    run_groups(pl, kern, bits, t0, n_sweeps, n_active, g_lo, g_hi);
    return;
  }
  for (size_t r = 0; r < rows; r++)
    memcpy(own + r * G + g_lo, bits + r * G + g_lo, w * 8);
  run_groups(pl, kern, own, t0, n_sweeps, n_active, g_lo, g_hi);
  for (size_t r = 0; r + 1 < rows; r++)
    memcpy(bits + r * G + g_lo, own + r * G + g_lo, w * 8);
  free(own);
}
#endif

void tsu_sampler_run_colors(tsu_sampler *s, uint64_t n_sweeps,
                            uint32_t n_active, int n_threads)
{
  const tsu__plan *pl = &s->pl;
  if (n_active > pl->n_colors)
    n_active = pl->n_colors;
  uint64_t t0 = s->sweep;
  uint64_t *bits = s->bits;
  tsu__kernel_fn kern = s->kernel;
  const uint32_t G = pl->n_groups;
  s->sweep = t0 + n_sweeps;
#ifdef _OPENMP
  int nt = n_threads > 0 ? n_threads : omp_get_max_threads();
  if (nt > 1 && G >= (uint32_t)nt && (G % (uint32_t)nt == 0 ||
                                      G >= 4 * (uint32_t)nt)) {
    /* enough chain groups: each thread sweeps its own groups, no
     * barriers (the same states for any split) */
#pragma omp parallel num_threads(nt)
    {
      uint32_t id = (uint32_t)omp_get_thread_num();
      uint32_t m = (uint32_t)omp_get_num_threads();
      uint32_t g_lo = (uint32_t)((uint64_t)G * id / m);
      uint32_t g_hi = (uint32_t)((uint64_t)G * (id + 1) / m);
      if (g_lo < g_hi)
        run_groups_private(pl, kern, bits, t0, n_sweeps, n_active, g_lo,
                           g_hi);
    }
    return;
  }
  if (nt > 1) {
    /* few chain groups: threads split the node pairs of each colour,
     * with a barrier between colours */
#pragma omp parallel num_threads(nt)
    for (uint64_t t = t0; t < t0 + n_sweeps; t++) {
      for (uint32_t c = 0; c < n_active; c++) {
        uint32_t n_pairs = (pl->start[c + 1] - pl->start[c] + 1) / 2;
        /* 8 pairs per chunk: few calls, still balanced over threads */
        uint32_t n_chunks = (n_pairs + 7) / 8;
#pragma omp for schedule(static)
        for (uint32_t ch = 0; ch < n_chunks; ch++) {
          uint32_t q1 = 8 * ch + 8 < n_pairs ? 8 * ch + 8 : n_pairs;
          kern(pl, bits, c, t, 8 * ch, q1, 0, G);
        }
      }
    }
    return;
  }
#else
  (void)n_threads;
#endif
  run_groups(pl, kern, bits, t0, n_sweeps, n_active, 0, G);
}

const tsu__plan *tsu__sampler_plan(const tsu_sampler *s)
{
  return &s->pl;
}

uint64_t tsu_sampler_sweeps(const tsu_sampler *s)
{
  return s->sweep;
}

const uint64_t *tsu_sampler_bits(const tsu_sampler *s, uint32_t *n_groups)
{
  if (n_groups != NULL)
    *n_groups = s->pl.n_groups;
  return s->bits;
}

uint64_t *tsu_sampler_bits_mut(tsu_sampler *s, uint32_t *n_groups)
{
  if (n_groups != NULL)
    *n_groups = s->pl.n_groups;
  return s->bits;
}

void tsu_sampler_set_group_offset(tsu_sampler *s, uint32_t g0)
{
  s->pl.g0 = g0;
}

int tsu_sampler_spin(const tsu_sampler *s, uint32_t chain, uint32_t node)
{
  uint64_t w = s->bits[(size_t)node * s->pl.n_groups + chain / 64];
  return ((w >> (chain % 64)) & 1) ? 1 : -1;
}
