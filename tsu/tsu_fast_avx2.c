/* tsu_fast_avx2.c -- the AVX2 Gibbs kernel: 8 chains per vector.
 *
 * Workload: as tsu_fast_avx512.c, for CPUs with AVX2 + FMA but no
 * AVX-512.  Same random-number layout and update rule; differences:
 *  - Philox runs on four blocks per vector (64-bit lanes, mul_epu32);
 *  - a neighbour's 8 chain bits become a vector of 0.0/1.0 through the
 *    plan's 256-entry table (pl->lut), so each neighbour costs one FMA
 *    per 8 chains;
 *  - 2^x builds the exponent bits by hand (no scalef), x clamped to
 *    [-126, 126], which cannot change any draw because u >= 2^-17.
 */
#include "tsu/tsu_fast_impl.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define T256 __attribute__((target("avx2,fma")))
#define INL inline __attribute__((always_inline))

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u

/* Four Philox4x32-10 blocks, one per 64-bit lane (low halves valid). */
T256 static INL void philox4(__m256i x[4], const uint64_t rk[10][2])
{
  const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0);
  const __m256i m1 = _mm256_set1_epi64x(PHILOX_M1);
  __m256i x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
#pragma GCC unroll 10
  for (int r = 0; r < 10; r++) {
    __m256i p0 = _mm256_mul_epu32(x0, m0);
    __m256i p1 = _mm256_mul_epu32(x2, m1);
    __m256i n0 = _mm256_xor_si256(
        _mm256_xor_si256(_mm256_srli_epi64(p1, 32), x1),
        _mm256_set1_epi64x((long long)rk[r][0]));
    __m256i n2 = _mm256_xor_si256(
        _mm256_xor_si256(_mm256_srli_epi64(p0, 32), x3),
        _mm256_set1_epi64x((long long)rk[r][1]));
    x0 = n0;
    x1 = p1;
    x2 = n2;
    x3 = p0;
  }
  x[0] = x0; x[1] = x1; x[2] = x2; x[3] = x3;
}

/* Words 0-3 of blocks k, k+1 (lanes k, k+1 of x[0..3], low dwords) as
 * 8 dwords in chain order (word w of block k + i at dword 4 i + w), for
 * k = 0 (*lo) and k = 2 (*hi). */
T256 static INL void chains8(const __m256i x[4], __m256i *lo, __m256i *hi)
{
  __m256i x01 = _mm256_blend_epi32(x[0], _mm256_slli_epi64(x[1], 32), 0xAA);
  __m256i x23 = _mm256_blend_epi32(x[2], _mm256_slli_epi64(x[3], 32), 0xAA);
  __m256i u0 = _mm256_unpacklo_epi64(x01, x23);   /* blocks 0, 2 */
  __m256i u1 = _mm256_unpackhi_epi64(x01, x23);   /* blocks 1, 3 */
  *lo = _mm256_permute2x128_si256(u0, u1, 0x20);
  *hi = _mm256_permute2x128_si256(u0, u1, 0x31);
}

/* rw[j]: the random words of chains 8j .. 8j+7 of counter (pa, sweep),
 * group g: chain 8 j + i takes word i % 4 of block 16 g + 2 j + i / 4. */
T256 static INL void philox16(const uint64_t rk[10][2], uint32_t g, uint32_t pa,
                              uint64_t sweep, __m256i rw[8])
{
  __m256i blk[4][4];
  for (int q = 0; q < 4; q++) {
    blk[q][0] = _mm256_add_epi64(_mm256_set1_epi64x(16 * (long long)g + 4 * q),
                                 _mm256_set_epi64x(3, 2, 1, 0));
    blk[q][1] = _mm256_set1_epi64x(pa);
    blk[q][2] = _mm256_set1_epi64x((uint32_t)sweep);
    blk[q][3] = _mm256_set1_epi64x((uint32_t)(sweep >> 32));
    philox4(blk[q], rk);
  }
  for (int q = 0; q < 4; q++)
    chains8(blk[q], &rw[2 * q], &rw[2 * q + 1]);
}

T256 static INL __m256 exp2_256(__m256 x)
{
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-126.0f)),
                    _mm256_set1_ps(126.0f));
  __m256 n = _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 f = _mm256_sub_ps(x, n);
  __m256 p = _mm256_set1_ps(TSU__EXP2_C6);
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(TSU__EXP2_C5));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(TSU__EXP2_C4));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(TSU__EXP2_C3));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(TSU__EXP2_C2));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(TSU__EXP2_C1));
  p = _mm256_fmadd_ps(p, f, _mm256_set1_ps(TSU__EXP2_C0));
  __m256i e = _mm256_slli_epi32(
      _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

T256 static INL uint64_t draw8(const tsu__plan *pl, uint32_t p, __m256 acc,
                               __m256i rw, const unsigned sh, unsigned old8)
{
  __m256i r16 = _mm256_and_si256(_mm256_srli_epi32(rw, sh),
                                 _mm256_set1_epi32(0xFFFF));
  __m256 u = _mm256_fmadd_ps(_mm256_cvtepi32_ps(r16),
                             _mm256_set1_ps(1.0f / 65536.0f),
                             _mm256_set1_ps(1.0f / 131072.0f));
  if (pl->has_memory) {
    __m256 x = _mm256_load_ps(pl->lut + 8 * old8);
    u = _mm256_fnmadd_ps(x, _mm256_set1_ps(pl->mem_e[p]), u);
    u = _mm256_mul_ps(u, _mm256_set1_ps(pl->mem_inv[p]));
  }
  __m256 t = _mm256_fmadd_ps(u, exp2_256(acc), u);
  return (uint64_t)_mm256_movemask_ps(
      _mm256_cmp_ps(t, _mm256_set1_ps(1.0f), _CMP_LT_OQ));
}

T256 static INL void update_node(const tsu__plan *pl, uint64_t *bits,
                                 uint32_t p, uint32_t g, const __m256i rw[8],
                                 const unsigned sh)
{
  const uint32_t G = pl->n_groups, i = pl->node[p];
  __m256 acc[8];
  for (int j = 0; j < 8; j++)
    acc[j] = _mm256_set1_ps(pl->c0[p]);
  const uint32_t kend = pl->off[p + 1];
  for (uint32_t k = pl->off[p]; k < kend; k++) {
    uint64_t m = bits[pl->nbr[k] + g];
    __m256 wv = _mm256_set1_ps(pl->wq[k]);
#pragma GCC unroll 8
    for (int j = 0; j < 8; j++)
      acc[j] = _mm256_fmadd_ps(
          _mm256_load_ps(pl->lut + 8 * ((m >> (8 * j)) & 0xFF)), wv, acc[j]);
  }
  uint64_t old = bits[(size_t)i * G + g], nw = 0;
#pragma GCC unroll 8
  for (int j = 0; j < 8; j++)
    nw |= draw8(pl, p, acc[j], rw[j], sh, (unsigned)(old >> (8 * j)) & 0xFF)
          << (8 * j);
  bits[(size_t)i * G + g] = nw;
}

T256 void tsu__kernel_avx2(const tsu__plan *pl, uint64_t *bits,
                           uint32_t color, uint64_t sweep, uint32_t q0,
                           uint32_t q1)
{
  const uint32_t G = pl->n_groups;
  const uint32_t beg = pl->start[color], end = pl->start[color + 1];
  for (uint32_t q = q0; q < q1; q++) {
    uint32_t pa = beg + 2 * q;
    for (uint32_t g = 0; g < G; g++) {
      __m256i rw[8];
      philox16(pl->rk, pl->g0 + g, pa, sweep, rw);
      update_node(pl, bits, pa, g, rw, 0);
      if (pa + 1 < end)
        update_node(pl, bits, pa + 1, g, rw, 16);
    }
  }
}

#else
void tsu__kernel_avx2(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                      uint64_t sweep, uint32_t q0, uint32_t q1)
{
  tsu__kernel_portable(pl, bits, color, sweep, q0, q1);
}
#endif
