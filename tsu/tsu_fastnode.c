/* tsu_fastnode.c -- code-path dispatch and Philox round keys of the fast
 * Potts and Gaussian kernels (tsu_fastnode_impl.h).  The paths are those
 * of the spin kernel (TSU_PATH_*, tsu_fast_path_supported), so one
 * `--path` word means the same ISA for every node kind. */
#include "tsu/tsu_fastnode_impl.h"

#include <string.h>

#include "tsu/tsu_fast.h"

const tsu__fn_path *tsu__fn_path_get(int path)
{
  if (path == TSU_PATH_AUTO)
    path = tsu_fast_best_path();
  if (!tsu_fast_path_supported(path))
    return NULL;
  switch (path) {
  case TSU_PATH_PORTABLE:
    return &tsu__fn_portable;
  case TSU_PATH_AVX2:
    return tsu__fn_avx2.potts != NULL ? &tsu__fn_avx2 : NULL;
  case TSU_PATH_AVX512:   /* the kernels also compare bytes (VL) */
#if defined(__x86_64__) && defined(__GNUC__)
    if (!__builtin_cpu_supports("avx512vl"))
      return NULL;
#endif
    return tsu__fn_avx512.potts != NULL ? &tsu__fn_avx512 : NULL;
  default:
    return NULL;
  }
}

void tsu__fn_round_keys(uint64_t seed, uint32_t rk[10][2])
{
  uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
  for (int r = 0; r < 10; r++) {
    rk[r][0] = k0;
    rk[r][1] = k1;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
}

int tsu__fn_prepare(const tsu_graph *g, const tsu_coloring *col,
                    uint32_t n_chains, int path, const tsu__fn_path **fp,
                    uint32_t *n_groups, tk_err *err)
{
  if (n_chains < 1)
    return TK_FAIL(err, TK_EINVAL, "need at least one chain");
  if (col == NULL || col->n != g->n)
    return TK_FAIL(err, TK_EINVAL, "colouring does not match the graph");
  *fp = tsu__fn_path_get(path);
  if (*fp == NULL)
    return TK_FAIL(err, TK_EUNSUPPORTED, "kernel path %d is not supported "
                   "by this CPU", path);
  uint32_t ng = (n_chains + TSU__FN_W - 1) / TSU__FN_W;
  if ((uint64_t)g->n * ng * TSU__FN_W >= (1ull << 40))
    return TK_FAIL(err, TK_ERANGE, "%u nodes x %u chains is too large",
                   g->n, n_chains);
  *n_groups = ng;
  return TK_OK;
}

void tsu__fn_order(const tsu_graph *g, const tsu_coloring *col,
                   uint32_t *start, uint32_t *node, uint32_t *off,
                   uint32_t *nbr)
{
  memcpy(start, col->start, (col->n_colors + 1) * sizeof *start);
  off[0] = 0;
  for (uint32_t q = 0; q < g->n; q++) {
    uint32_t i = col->order[q];
    node[q] = i;
    uint32_t d = g->off[i + 1] - g->off[i];
    memcpy(nbr + off[q], g->adj + g->off[i], d * sizeof *nbr);
    off[q + 1] = off[q] + d;
  }
}
