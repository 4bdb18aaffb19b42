/* tsu_fast_avx512.c -- the AVX-512 Gibbs kernel: 16 chains per vector.
 *
 * Workload: the inner loop of every sampling run.  Per node pair and
 * 64-chain group: 16 Philox4x32-10 blocks (two vectors of 8 blocks, one
 * block per 64-bit lane so _mm512_mul_epu32 gives the full 32x32 product
 * without shuffles), then per node four fp32 accumulators fed by one
 * masked add per neighbour (the mask is 16 chain bits of the neighbour's
 * word), a polynomial 2^x with scalef, and the compare u (1 + 2^acc) < 1.
 * Compiled for AVX-512 through a target attribute and only called after
 * __builtin_cpu_supports said yes (tsu_fast.c); no -march flags.
 */
#include "tsu/tsu_fast_impl.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define T512 __attribute__((target("avx512f,avx512dq,avx512bw,fma")))

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* Eight Philox4x32-10 blocks, one per 64-bit lane (values in the low 32
 * bits of each lane; the high halves carry garbage that is never read).
 * rk[r] = (k0 + r W0) | (k1 + r W1) << 32, the round keys (plan). */
T512 static inline void philox8(__m512i x[4], const uint64_t rk[10])
{
  const __m512i m0 = _mm512_set1_epi64(PHILOX_M0);
  const __m512i m1 = _mm512_set1_epi64(PHILOX_M1);
  __m512i x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
#pragma GCC unroll 10
  for (int r = 0; r < 10; r++) {
    __m512i kk = _mm512_set1_epi64((long long)rk[r]);
    __m512i p0 = _mm512_mul_epu32(x0, m0);
    __m512i p1 = _mm512_mul_epu32(x2, m1);
    /* n0 = hi(p1) ^ x1 ^ k0 (low half); n2 = hi(p0) ^ x3 ^ k1: the
     * shifted-out k1 lands in the high half of n0, which is never read */
    __m512i n0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), x1, kk,
                                           0x96);
    __m512i n2 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), x3,
                                           _mm512_srli_epi64(kk, 32), 0x96);
    x0 = n0;
    x1 = p1;
    x2 = n2;
    x3 = p0;
  }
  x[0] = x0; x[1] = x1; x[2] = x2; x[3] = x3;
}

/* The 64 words of blocks 16g .. 16g+15 of counter (pa, sweep), as four
 * vectors: lane b of out[w] is word w of block b (chain 16 w + b). */
T512 static inline void philox16(const uint64_t rk[10], uint32_t g,
                                 uint32_t pa, uint64_t sweep, __m512i out[4])
{
  const __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  __m512i a[4], b[4];
  a[0] = _mm512_add_epi64(_mm512_set1_epi64(16 * (uint64_t)g), lane);
  b[0] = _mm512_add_epi64(a[0], _mm512_set1_epi64(8));
  a[1] = b[1] = _mm512_set1_epi64(pa);
  a[2] = b[2] = _mm512_set1_epi64((uint32_t)sweep);
  a[3] = b[3] = _mm512_set1_epi64((uint32_t)(sweep >> 32));
  philox8(a, rk);
  philox8(b, rk);
  const __m512i idx = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16,
                                       14, 12, 10, 8, 6, 4, 2, 0);
  out[0] = _mm512_permutex2var_epi32(a[0], idx, b[0]);
  out[1] = _mm512_permutex2var_epi32(a[1], idx, b[1]);
  out[2] = _mm512_permutex2var_epi32(a[2], idx, b[2]);
  out[3] = _mm512_permutex2var_epi32(a[3], idx, b[3]);
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

T512 void tsu__kernel_avx512(const tsu__plan *pl, uint64_t *bits,
                             uint32_t color, uint64_t sweep, uint32_t q0,
                             uint32_t q1)
{
  const uint32_t G = pl->n_groups;
  const uint32_t beg = pl->start[color], end = pl->start[color + 1];
  for (uint32_t q = q0; q < q1; q++) {
    uint32_t pa = beg + 2 * q;
    for (uint32_t g = 0; g < G; g++) {
      __m512i rw[4];
      philox16(pl->rk, g, pa, sweep, rw);
      update_node(pl, bits, pa, g, rw, 0);
      if (pa + 1 < end)
        update_node(pl, bits, pa + 1, g, rw, 16);
    }
  }
}

#else
void tsu__kernel_avx512(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                        uint64_t sweep, uint32_t q0, uint32_t q1)
{
  tsu__kernel_portable(pl, bits, color, sweep, q0, q1);
}
#endif
