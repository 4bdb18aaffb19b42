/* tsu_fast_avx512.c -- the AVX-512 Gibbs kernels: 16 chains per vector.
 *
 * Workload: the inner loop of every sampling run.  Per node pair and
 * 64-chain group: the pair's 16 ARS-5 blocks (tsu_fast.h), four per
 * vector by VAES where the CPU has it (else from tk_ars5_blocks), put
 * in the kernel's chain order by one permute per 16 chains, then per
 * node four fp32 accumulators, a polynomial
 * 2^x with scalef, and the compare u (1 + 2^acc) < 1.  Two kernels:
 *  - tsu__kernel_avx512 (AVX-512 F/DQ/BW): one masked add per neighbour
 *    and 16 chains (the mask is 16 chain bits of the neighbour's word),
 *    degree-6 2^x; about 2.3 flips/ns on one Zen 5 core (G12, L = 70);
 *  - tsu__kernel_avx512_gfni (also VBMI, GFNI, BMI2; see the section
 *    below): table lookups for the neighbour sum and a cubic 2^x; about
 *    3.6 flips/ns on the same core, 64 chains (3.7 with 128-256).
 * Compiled for AVX-512 through target attributes and only called after
 * __builtin_cpu_supports said yes (tsu_fast.c); no -march flags.
 */
#include "tsu/tsu_fast_impl.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define T512 __attribute__((target("avx512f,avx512dq,avx512bw,fma")))

#define T512V \
  __attribute__((target("avx512f,avx512dq,avx512bw,fma,aes,vaes")))

/* ARS-5 round keys {seed, 0} + j W in all four 128-bit lanes. */
typedef struct {
  __m512i k[TSU__ARS_ROUNDS + 1];
} ars_keys;

T512 static inline void ars_keys_load(const tsu__plan *pl, ars_keys *K)
{
  for (int j = 0; j <= TSU__ARS_ROUNDS; j++)
    K->k[j] = _mm512_broadcast_i32x4(_mm_set_epi64x(
        (long long)pl->ark[j][1], (long long)pl->ark[j][0]));
}

/* The counter {pa << 32 | 16 g, sweep} xor the key in every lane; block
 * b's input is this xor b (16 g has four zero low bits). */
T512 static inline __m512i ars_x(const tsu__plan *pl, uint32_t pa,
                                 uint64_t sweep, uint32_t g)
{
  return _mm512_broadcast_i32x4(_mm_set_epi64x(
      (long long)(sweep ^ pl->ark[0][1]),
      (long long)(((uint64_t)pa << 32 | 16 * (uint64_t)g) ^ pl->ark[0][0])));
}

/* Blocks b[0..3] of the pair in the four 128-bit lanes, by VAES ... */
T512V static inline __attribute__((always_inline)) __m512i
ars4_vaes(const ars_keys *K, __m512i X, const int b[4])
{
  __m512i x = _mm512_xor_si512(X, _mm512_set_epi64(0, b[3], 0, b[2], 0, b[1],
                                                   0, b[0]));
#pragma GCC unroll 4
  for (int j = 1; j < TSU__ARS_ROUNDS; j++)
    x = _mm512_aesenc_epi128(x, K->k[j]);
  return _mm512_aesenclast_epi128(x, K->k[TSU__ARS_ROUNDS]);
}

/* ... or from the blocks in memory (tsu__pair_blocks: no VAES). */
T512 static inline __attribute__((always_inline)) __m512i
ars4_mem(const uint32_t blk[16][4], const int b[4])
{
  const __m128i *m = (const __m128i *)blk;
  __m256i lo = _mm256_set_m128i(_mm_loadu_si128(m + b[1]),
                                _mm_loadu_si128(m + b[0]));
  __m256i hi = _mm256_set_m128i(_mm_loadu_si128(m + b[3]),
                                _mm_loadu_si128(m + b[2]));
  return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

/* tsu__kernel_avx512's order: lane b of out[c] is the word of chain
 * 16 c + b.  With c_k bit k of the chain (tsu__chain_block), vector
 * Y[2 c5 + s] holds blocks 8 s + 2 c5 + {0, 1, 4, 5}; chain 16 c + b
 * is dword 4 (c1 + 2 c0) + c3 + 2 c4 of Y[2 c5 + c2]. */
static const int ars_chains_blocks[4][4] = {
    {0, 1, 4, 5}, {8, 9, 12, 13}, {2, 3, 6, 7}, {10, 11, 14, 15}};

T512 static inline __attribute__((always_inline)) void
ars_chains(const __m512i Y[4], __m512i out[4])
{
  const __m512i i0 = _mm512_set_epi32(29, 21, 25, 17, 13, 5, 9, 1,
                                      28, 20, 24, 16, 12, 4, 8, 0);
  const __m512i i1 = _mm512_add_epi32(i0, _mm512_set1_epi32(2));
  out[0] = _mm512_permutex2var_epi32(Y[0], i0, Y[1]);
  out[1] = _mm512_permutex2var_epi32(Y[0], i1, Y[1]);
  out[2] = _mm512_permutex2var_epi32(Y[2], i0, Y[3]);
  out[3] = _mm512_permutex2var_epi32(Y[2], i1, Y[3]);
}

/* tsu__kernel_avx512_gfni's order: lane j of out[r] is the word of
 * chain 4 j + r: vector r holds blocks 4 (r & 1) + (r >> 1) + {0, 2, 8,
 * 10}, chain 4 j + r is its dword 4 (c5 + 2 c2) + (j >> 1) & 3. */
static const int ars_quads_blocks[4][4] = {
    {0, 2, 8, 10}, {4, 6, 12, 14}, {1, 3, 9, 11}, {5, 7, 13, 15}};

T512 static inline __attribute__((always_inline)) void
ars_quads(const __m512i Y[4], __m512i out[4])
{
  const __m512i ix = _mm512_set_epi32(15, 7, 14, 6, 13, 5, 12, 4,
                                      11, 3, 10, 2, 9, 1, 8, 0);
  for (int r = 0; r < 4; r++)
    out[r] = _mm512_permutexvar_epi32(ix, Y[r]);
}

T512 static inline __m512 exp2_512(__m512 x)
{
  __m512 n = _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT |
                                         _MM_FROUND_NO_EXC);
  __m512 f = _mm512_sub_ps(x, n);
  __m512 p = _mm512_set1_ps(TSU__EXP2_C6);
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2_C5));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2_C4));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2_C3));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2_C2));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2_C1));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2_C0));
  return _mm512_scalef_ps(p, n);
}

/* Uniforms of 16 chains: 16-bit field `sh` of the random words. */
T512 static inline __attribute__((always_inline)) __m512 uniform16(__m512i rw, unsigned sh)
{
  __m512i r16 = _mm512_and_si512(_mm512_srli_epi32(rw, sh),
                                 _mm512_set1_epi32(0xFFFF));
  return _mm512_fmadd_ps(_mm512_cvtepi32_ps(r16),
                         _mm512_set1_ps(1.0f / 65536.0f),
                         _mm512_set1_ps(1.0f / 131072.0f));
}

/* New states of 16 chains: x = 1 iff u (1 + 2^acc) < 1. */
T512 static inline __attribute__((always_inline)) uint64_t draw16(__m512 acc, __m512i rw, unsigned sh)
{
  __m512 u = uniform16(rw, sh);
  __m512 t = _mm512_fmadd_ps(u, exp2_512(acc), u);
  return _cvtmask16_u32(_mm512_cmp_ps_mask(t, _mm512_set1_ps(1.0f),
                                           _CMP_LT_OQ));
}

/* Same with memory: u' = (u - x_old e) / (1 - e) (tsu_cell.h). */
T512 static inline __attribute__((always_inline)) uint64_t
draw16_mem(__m512 acc, __m512i rw, unsigned sh,
                                       __mmask16 old, __m512 me, __m512 minv)
{
  __m512 u = uniform16(rw, sh);
  u = _mm512_mul_ps(_mm512_mask_sub_ps(u, old, u, me), minv);
  __m512 t = _mm512_fmadd_ps(u, exp2_512(acc), u);
  return _cvtmask16_u32(_mm512_cmp_ps_mask(t, _mm512_set1_ps(1.0f),
                                           _CMP_LT_OQ));
}

/* Update one node for the 64 chains of group g; sh selects the 16-bit
 * field of the pair's random words (0: first node, 16: second). */
T512 static inline __attribute__((always_inline)) void
update_node(const tsu__plan *pl, uint64_t *bits, uint32_t p, uint32_t g,
            const __m512i rw[4], const unsigned sh)
{
  const uint32_t G = pl->n_groups, i = pl->node[p];
  const __m512i bit0 = _mm512_sllv_epi32(
      _mm512_set1_epi32(1),
      _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
  const __m512i bit1 = _mm512_slli_epi32(bit0, 16);
  __m512 acc0 = _mm512_set1_ps(pl->c0[p]);
  __m512 acc1 = acc0, acc2 = acc0, acc3 = acc0;
  const uint32_t kend = pl->off[p + 1];
  for (uint32_t k = pl->off[p]; k < kend; k++) {
    /* chains 0-31 and 32-63 of the neighbour, each dword broadcast and
     * tested against one bit per lane */
    const uint32_t *nb = (const uint32_t *)&bits[pl->nbr[k] + g];
    __m512i lo = _mm512_set1_epi32((int)nb[0]);
    __m512i hi = _mm512_set1_epi32((int)nb[1]);
    __m512 wv = _mm512_set1_ps(pl->wq[k]);
    acc0 = _mm512_mask_add_ps(acc0, _mm512_test_epi32_mask(lo, bit0), acc0, wv);
    acc1 = _mm512_mask_add_ps(acc1, _mm512_test_epi32_mask(lo, bit1), acc1, wv);
    acc2 = _mm512_mask_add_ps(acc2, _mm512_test_epi32_mask(hi, bit0), acc2, wv);
    acc3 = _mm512_mask_add_ps(acc3, _mm512_test_epi32_mask(hi, bit1), acc3, wv);
  }
  uint64_t old = bits[(size_t)i * G + g];
  uint64_t nw;
  if (pl->has_memory) {
    __m512 me = _mm512_set1_ps(pl->mem_e[p]);
    __m512 minv = _mm512_set1_ps(pl->mem_inv[p]);
    nw = draw16_mem(acc0, rw[0], sh, (__mmask16)old, me, minv) |
         draw16_mem(acc1, rw[1], sh, (__mmask16)(old >> 16), me, minv) << 16 |
         draw16_mem(acc2, rw[2], sh, (__mmask16)(old >> 32), me, minv) << 32 |
         draw16_mem(acc3, rw[3], sh, (__mmask16)(old >> 48), me, minv) << 48;
  } else {
    nw = draw16(acc0, rw[0], sh) | draw16(acc1, rw[1], sh) << 16 |
         draw16(acc2, rw[2], sh) << 32 | draw16(acc3, rw[3], sh) << 48;
  }
  bits[(size_t)i * G + g] = nw;
}

/* The colour loop of both kernels: per node pair and group, the pair's
 * ARS blocks as four vectors of four blocks (FILL: by VAES or from
 * memory), in the kernel's chain order (ORDER), then both nodes. */
#define KERNEL_LOOP(UPDATE, ORDER, FILL)                                   \
  const uint32_t beg = pl->start[color], end = pl->start[color + 1];      \
  for (uint32_t q = q0; q < q1; q++) {                                     \
    const uint32_t pa = beg + 2 * q;                                       \
    for (uint32_t g = g_lo; g < g_hi; g++) {                               \
      __m512i Y[4], rw[4];                                                 \
      FILL;                                                                \
      ORDER(Y, rw);                                                        \
      UPDATE(pl, bits, pa, g, rw, 0);                                      \
      if (pa + 1 < end)                                                    \
        UPDATE(pl, bits, pa + 1, g, rw, 16);                               \
    }                                                                      \
  }

#define FILL_VAES(BLOCKS)                                                  \
  do {                                                                     \
    const __m512i X = ars_x(pl, pa, sweep, pl->g0 + g);                    \
    for (int v = 0; v < 4; v++)                                            \
      Y[v] = ars4_vaes(&K, X, BLOCKS[v]);                                  \
  } while (0)

#define FILL_MEM(BLOCKS)                                                   \
  do {                                                                     \
    uint32_t blk[16][4];                                                   \
    tsu__pair_blocks(pl, pa, sweep, pl->g0 + g, blk);                      \
    for (int v = 0; v < 4; v++)                                            \
      Y[v] = ars4_mem(blk, BLOCKS[v]);                                     \
  } while (0)

#define KERNEL_ARGS                                                        \
  const tsu__plan *pl, uint64_t *bits, uint32_t color, uint64_t sweep,    \
      uint32_t q0, uint32_t q1, uint32_t g_lo, uint32_t g_hi

/* A kernel as three functions: its VAES variant (target TV), its
 * variant with the blocks from memory (target T: CPUs without VAES) and
 * the entry point NAME that picks one by the plan's AES level. */
#define KERNEL_PAIR(NAME, TV, T, UPDATE, BLOCKS, ORDER)                    \
  TV static void NAME##_vaes(KERNEL_ARGS)                                  \
  {                                                                        \
    ars_keys K;                                                            \
    ars_keys_load(pl, &K);                                                 \
    KERNEL_LOOP(UPDATE, ORDER, FILL_VAES(BLOCKS))                          \
  }                                                                        \
  T static void NAME##_mem(KERNEL_ARGS)                                    \
  {                                                                        \
    KERNEL_LOOP(UPDATE, ORDER, FILL_MEM(BLOCKS))                           \
  }                                                                        \
  void NAME(KERNEL_ARGS)                                                   \
  {                                                                        \
    if (pl->aes >= TSU_AES_VAES)                                           \
      NAME##_vaes(pl, bits, color, sweep, q0, q1, g_lo, g_hi);            \
    else                                                                   \
      NAME##_mem(pl, bits, color, sweep, q0, q1, g_lo, g_hi);             \
  }

KERNEL_PAIR(tsu__kernel_avx512, T512V, T512, update_node, ars_chains_blocks,
            ars_chains)

/* ---- VBMI/GFNI variant ---------------------------------------------
 *
 * Same ARS blocks and update rule, faster inner loops:
 *  - neighbour sum: the words of 8 neighbours are loaded into one
 *    vector and bit-transposed (vpermb + gf2p8affineqb) so that byte q
 *    holds chain q's 8 neighbour bits; each nibble then indexes a
 *    16-entry table of subset sums of the weights (vpermps, which reads
 *    only the low 4 bits of each index).  Dword j of the transposed
 *    vector carries chains 4j .. 4j+3, so accumulator r (r = 0..3) holds
 *    chains 4j + r in lane j: 4 table lookups per 4 neighbours and 16
 *    chains instead of 4 tests and 4 masked adds;
 *  - chain 64 g + 4 j + r takes its stream word from lane j of rw[r]
 *    (ars_quads), and the result bits are interleaved with pdep;
 *  - 2^x = p(f) 2^floor(x), f = x - floor(x) from vreduceps, p the cubic
 *    minimax fit of 2^f on [0,1) (TSU__EXP2F_*: relative error < 7.5e-5,
 *    so P(1) = 1/(1 + 2^acc) is off by < 1.9e-5 absolute; the 16-bit
 *    uniform adds at most 2^-17 = 7.6e-6).
 */

#define T512G                                                              \
  __attribute__((target("avx512f,avx512dq,avx512bw,avx512vbmi,gfni,bmi2,"  \
                        "fma")))

int tsu__avx512_gfni_supported(void)
{
  return __builtin_cpu_supports("avx512vbmi") &&
         __builtin_cpu_supports("gfni") && __builtin_cpu_supports("bmi2");
}

/* Cubic minimax (relative error) of 2^f on [0,1). */
#define TSU__EXP2F_C0 0.99992519617f
#define TSU__EXP2F_C1 0.69583356380f
#define TSU__EXP2F_C2 0.22606715560f
#define TSU__EXP2F_C3 0.07802452147f

T512G static inline __attribute__((always_inline)) __m512 exp2_cubic(__m512 x)
{
  __m512 f = _mm512_reduce_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  __m512 p = _mm512_set1_ps(TSU__EXP2F_C3);
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2F_C2));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2F_C1));
  p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(TSU__EXP2F_C0));
  return _mm512_scalef_ps(p, x);
}

/* 8 neighbour words (qword k = neighbour k) -> byte q = bit q of each
 * neighbour (bit k = neighbour k). */
T512G static inline __attribute__((always_inline)) __m512i transpose8(__m512i w)
{
  /* byte 8b + 7 - k <- byte 8k + b: qword b gathers byte b of every
   * neighbour (reversed, as gf2p8affineqb numbers matrix rows from the
   * top); the affine map with unit vectors then reads out columns */
  const __m512i bt = _mm512_set_epi8(
      7, 15, 23, 31, 39, 47, 55, 63, 6, 14, 22, 30, 38, 46, 54, 62,
      5, 13, 21, 29, 37, 45, 53, 61, 4, 12, 20, 28, 36, 44, 52, 60,
      3, 11, 19, 27, 35, 43, 51, 59, 2, 10, 18, 26, 34, 42, 50, 58,
      1, 9, 17, 25, 33, 41, 49, 57, 0, 8, 16, 24, 32, 40, 48, 56);
  return _mm512_gf2p8affine_epi64_epi8(
      _mm512_set1_epi64((long long)0x8040201008040201ull),
      _mm512_permutexvar_epi8(bt, w), 0);
}

/* acc[r] (+)= table lookups for the 4 neighbours in nibble `nib` of the
 * transposed vector t (byte q, bits 4 nib .. 4 nib + 3). */
T512G static inline __attribute__((always_inline)) void
lookup4(__m512 acc[4], __m512i t, const float *tab, const int first)
{
  __m512 tb = _mm512_load_ps(tab);
  __m512 v0 = _mm512_permutexvar_ps(t, tb);
  __m512 v1 = _mm512_permutexvar_ps(_mm512_srli_epi32(t, 8), tb);
  __m512 v2 = _mm512_permutexvar_ps(_mm512_srli_epi32(t, 16), tb);
  __m512 v3 = _mm512_permutexvar_ps(_mm512_srli_epi32(t, 24), tb);
  if (first) {
    acc[0] = v0; acc[1] = v1; acc[2] = v2; acc[3] = v3;
  } else {
    acc[0] = _mm512_add_ps(acc[0], v0);
    acc[1] = _mm512_add_ps(acc[1], v1);
    acc[2] = _mm512_add_ps(acc[2], v2);
    acc[3] = _mm512_add_ps(acc[3], v3);
  }
}

/* The words base[gx[0..3]] (load4) or base[gx[0..7]] (load8) as one
 * vector.  Plain loads and inserts: the gather instructions are several
 * times slower on the AMD cores this was tuned on. */
T512G static inline __attribute__((always_inline)) __m256i
load4(const long long *base, const uint32_t *gx)
{
  __m128i x0 = _mm_insert_epi64(_mm_loadu_si64(base + gx[0]), base[gx[1]], 1);
  __m128i x1 = _mm_insert_epi64(_mm_loadu_si64(base + gx[2]), base[gx[3]], 1);
  return _mm256_inserti128_si256(_mm256_castsi128_si256(x0), x1, 1);
}

T512G static inline __attribute__((always_inline)) __m512i
load8(const long long *base, const uint32_t *gx)
{
  return _mm512_inserti64x4(_mm512_castsi256_si512(load4(base, gx)),
                            load4(base, gx + 4), 1);
}

/* Full block: tables t, t+1 (8 words); half block: table t only. */
T512G static inline __attribute__((always_inline)) void
block8(__m512 acc[4], const long long *base, const uint32_t *gx,
       const float *tab, const int first)
{
  __m512i w = load8(base, gx);
  __m512i t = transpose8(w);
  lookup4(acc, t, tab, first);
  lookup4(acc, _mm512_srli_epi32(t, 4), tab + 16, 0);
}

T512G static inline __attribute__((always_inline)) void
block4(__m512 acc[4], const long long *base, const uint32_t *gx,
       const float *tab, const int first)
{
  __m256i w = load4(base, gx);
  lookup4(acc, transpose8(_mm512_zextsi256_si512(w)), tab, first);
}

/* New states of the 16 chains of lane group r: x = 1 iff u (1 + 2^acc) < 1. */
T512G static inline __attribute__((always_inline)) __mmask16
draw16g(__m512 acc, __m512i rw, const unsigned sh, const int mem,
        __mmask16 old, __m512 me, __m512 minv)
{
  __m512i r16 = sh ? _mm512_srli_epi32(rw, 16)
                   : _mm512_and_si512(rw, _mm512_set1_epi32(0xFFFF));
  __m512 u = _mm512_fmadd_ps(_mm512_cvtepi32_ps(r16),
                             _mm512_set1_ps(1.0f / 65536.0f),
                             _mm512_set1_ps(1.0f / 131072.0f));
  if (mem)
    u = _mm512_mul_ps(_mm512_mask_sub_ps(u, old, u, me), minv);
  __m512 t = _mm512_fmadd_ps(u, exp2_cubic(acc), u);
  return _mm512_cmp_ps_mask(t, _mm512_set1_ps(1.0f), _CMP_LT_OQ);
}

#define LANES4 0x1111111111111111ull

T512G static inline __attribute__((always_inline)) void
update_node_g(const tsu__plan *pl, uint64_t *bits, uint32_t p, uint32_t g,
              const __m512i rw[4], const unsigned sh)
{
  const uint32_t G = pl->n_groups, i = pl->node[p];
  const uint32_t t0 = pl->tab_off[p], nt = pl->tab_off[p + 1] - t0;
  const uint32_t *gx = pl->gx + 4 * (size_t)t0;
  const float *tab = pl->tab + 16 * (size_t)t0;
  const long long *base = (const long long *)(bits + g);
  __m512 acc[4];
  uint32_t t;
  if (nt >= 2) {
    block8(acc, base, gx, tab, 1);
    for (t = 2; t + 2 <= nt; t += 2)
      block8(acc, base, gx + 4 * t, tab + 16 * t, 0);
    if (t < nt)
      block4(acc, base, gx + 4 * t, tab + 16 * t, 0);
  } else {
    block4(acc, base, gx, tab, 1);
  }
  uint64_t *dst = &bits[(size_t)i * G + g];
  uint64_t old = *dst, nw = 0;
  if (pl->has_memory) {
    __m512 me = _mm512_set1_ps(pl->mem_e[p]);
    __m512 minv = _mm512_set1_ps(pl->mem_inv[p]);
#pragma GCC unroll 4
    for (int r = 0; r < 4; r++)
      nw |= _pdep_u64(_cvtmask16_u32(draw16g(
                          acc[r], rw[r], sh, 1,
                          (__mmask16)_pext_u64(old, LANES4 << r), me, minv)),
                      LANES4 << r);
  } else {
    const __m512 z = _mm512_setzero_ps();
#pragma GCC unroll 4
    for (int r = 0; r < 4; r++)
      nw |= _pdep_u64(_cvtmask16_u32(draw16g(acc[r], rw[r], sh, 0, 0, z, z)),
                      LANES4 << r);
  }
  *dst = nw;
}

#define T512GV                                                             \
  __attribute__((target("avx512f,avx512dq,avx512bw,avx512vbmi,gfni,bmi2,"  \
                        "fma,aes,vaes")))

KERNEL_PAIR(tsu__kernel_avx512_gfni, T512GV, T512G, update_node_g,
            ars_quads_blocks, ars_quads)

#else
void tsu__kernel_avx512(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                        uint64_t sweep, uint32_t q0, uint32_t q1,
                        uint32_t g_lo, uint32_t g_hi)
{
  tsu__kernel_portable(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
}
void tsu__kernel_avx512_gfni(const tsu__plan *pl, uint64_t *bits,
                             uint32_t color, uint64_t sweep, uint32_t q0,
                             uint32_t q1, uint32_t g_lo, uint32_t g_hi)
{
  tsu__kernel_portable(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
}
int tsu__avx512_gfni_supported(void)
{
  return 0;
}
#endif
