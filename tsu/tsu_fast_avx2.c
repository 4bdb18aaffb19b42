/* tsu_fast_avx2.c -- the AVX2 Gibbs kernel: fixed-point field by byte
 * table lookups, 64 chains at a time.
 *
 * Workload: as tsu_fast_avx512.c, for CPUs with AVX2 + FMA but no
 * AVX-512; bit-identical to the portable kernel (tsu_fast_portable.c), which
 * does the same integer sums and IEEE operations one chain at a time.
 * Per node pair and 64-chain group:
 *  - the pair's 16 ARS-5 blocks (tsu_fast.h), two per vector: five
 *    vaesenc/vaesenclast per vector where the CPU has VAES, else ten
 *    128-bit aesenc (AES-NI), else tk_ars5_blocks' table-driven rounds
 *    (same blocks); the stream's block order puts each word straight in
 *    the chain order of the field vectors below (no shuffles);
 *  - field: for each quad of neighbours, each neighbour word is
 *    broadcast and shifted per 64-bit lane (vpsrlvq) so that byte r of
 *    lane Q holds in bit s (neighbour s of the quad) chain Q + 8 r and in
 *    bit s + 4 chain Q + 4 + 8 r; the two nibbles index three 16-byte
 *    tables (vpshufb): the low 6 bits L and the two bytes of H of the
 *    quad's subset sums V = 64 H + L (tsu_fast_impl.h).  L sums in bytes
 *    (flushed to 16 bits every 4 quads), H in 16-bit lanes, and one
 *    vpmaddwd per 8 chains gives the int32 field 64 H + L;
 *  - decision (tsu_fast.h, tsu__fix_decide): integer floor and fraction
 *    of the field, the cubic 2^z with the power of two added to the
 *    exponent bits, one FMA and a compare (the memory term and the clamp
 *    are compile-time variants, chosen per node); the compare masks are
 *    packed (vpackssdw, vpacksswb) back into the byte layout, and the
 *    64-bit state word is rebuilt from it.
 * With ARS-5: 2.07 flips/ns by VAES, 1.95 by AES-NI, against 1.50 with
 * Philox4x32-7 (G12, L = 70, 256 chains, one core of an Intel Xeon with
 * AVX-512, path forced, medians of 5; README "Figures").  Compute-bound
 * (as fast at L = 30); by ablation the decision is now about 40 % of
 * the time, the three quads 25 %, ARS 11 %.  The history of this kernel
 * with Philox (every figure below) is in docs/FINDINGS.md, "Spin
 * kernel, AVX2": about 9.8 instructions per flip with Philox4x32-10 and
 * a quartic 2^z, 1.19 flips/ns on a Zen 4 core; 7 rounds and the cubic
 * 1.4-1.5; by ablation Philox4x32-7 was about 38 % of the time, the
 * field 24 %, the decision 22 %.  Tried and not kept there: the
 * decision by a vpgatherdd logit table (slower), the decision in 16-bit
 * lanes (+2-3 %), Philox software-pipelined, the quad loop unrolled,
 * the field one nibble at a time (each -3 to -6 %), and an upper bound
 * for pre-expanded neighbour words (+9 %, stale copies).
 * Chain of dword (L, i) (128-bit lane L, dword i) of field vector
 * (n, a, q): a + 2 L + 4 n + 8 i + 32 q, where n is the nibble, a the
 * byte half (vpunpck*bw) and q the word half (vpunpck*wd); its random
 * word is word i of ARS block 8 n + 4 a + 2 q + L (rw[4 n + 2 a + q]).
 */
#include "tsu/tsu_fast_impl.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define T256 __attribute__((target("avx2,fma")))
#define TAESNI __attribute__((target("avx2,fma,aes")))
#define TVAES __attribute__((target("avx2,fma,aes,vaes")))
#define INL inline __attribute__((always_inline))

/* ARS-5 round keys {seed, 0} + j W in both 128-bit lanes. */
typedef struct {
  __m256i k[TSU__ARS_ROUNDS + 1];
} ars_keys;

T256 static INL void ars_keys_load(const tsu__plan *pl, ars_keys *K)
{
  for (int j = 0; j <= TSU__ARS_ROUNDS; j++)
    K->k[j] = _mm256_set_epi64x((long long)pl->ark[j][1],
                                (long long)pl->ark[j][0],
                                (long long)pl->ark[j][1],
                                (long long)pl->ark[j][0]);
}

/* The counter {pa << 32 | 16 g, sweep} xor the key, in both lanes; block
 * b's input is this xor b (16 g has four zero low bits). */
T256 static INL __m256i ars_x(const tsu__plan *pl, uint32_t pa,
                              uint64_t sweep, uint32_t g)
{
  const long long lo = (long long)(((uint64_t)pa << 32 | 16 * (uint64_t)g) ^
                                   pl->ark[0][0]);
  const long long hi = (long long)(sweep ^ pl->ark[0][1]);
  return _mm256_set_epi64x(hi, lo, hi, lo);
}

/* rw[v] = ARS blocks 2 v (low lane) and 2 v + 1 (high lane): dword
 * (L, i) of rw[4 n + 2 a + q] is word i of block 8 n + 4 a + 2 q + L,
 * the random word of chain a + 2 L + 4 n + 8 i + 32 q (file comment,
 * tsu__chain_block).  Three ways to the same blocks: */
#define ARS_IN(X, v) \
  _mm256_xor_si256((X), _mm256_set_epi64x(0, 2 * (v) + 1, 0, 2 * (v)))

/* VAES: both blocks of a vector in one instruction per round */
TVAES static INL void fill_vaes(const ars_keys *K, __m256i X, __m256i rw[8])
{
#pragma GCC unroll 8
  for (int v = 0; v < 8; v++) {
    __m256i x = ARS_IN(X, v);
#pragma GCC unroll 4
    for (int j = 1; j < TSU__ARS_ROUNDS; j++)
      x = _mm256_aesenc_epi128(x, K->k[j]);
    rw[v] = _mm256_aesenclast_epi128(x, K->k[TSU__ARS_ROUNDS]);
  }
}

/* AES-NI: the two 128-bit lanes one at a time */
TAESNI static INL void fill_aesni(const ars_keys *K, __m256i X, __m256i rw[8])
{
#pragma GCC unroll 8
  for (int v = 0; v < 8; v++) {
    __m256i x = ARS_IN(X, v);
    __m128i a = _mm256_castsi256_si128(x), b = _mm256_extracti128_si256(x, 1);
#pragma GCC unroll 4
    for (int j = 1; j < TSU__ARS_ROUNDS; j++) {
      const __m128i k = _mm256_castsi256_si128(K->k[j]);
      a = _mm_aesenc_si128(a, k);
      b = _mm_aesenc_si128(b, k);
    }
    const __m128i k = _mm256_castsi256_si128(K->k[TSU__ARS_ROUNDS]);
    rw[v] = _mm256_set_m128i(_mm_aesenclast_si128(b, k),
                             _mm_aesenclast_si128(a, k));
  }
}

/* no AES instructions: the blocks from tk_ars5_blocks (blocks 2 v and
 * 2 v + 1 are adjacent in memory) */
T256 static INL void fill_soft(const tsu__plan *pl, uint32_t pa,
                               uint64_t sweep, uint32_t g, __m256i rw[8])
{
  uint32_t blk[16][4];
  tsu__pair_blocks(pl, pa, sweep, g, blk);
  for (int v = 0; v < 8; v++)
    rw[v] = _mm256_loadu_si256((const __m256i *)blk[2 * v]);
}

/* Per-node constants of the decision (tsu__fix_decide). */
typedef struct {
  __m256i cl, ncl, mask; /* clamp bounds, 2^F - 1 */
  __m128i F;              /* shift count F */
  __m256 k[4];            /* cubic coefficients in the integer fraction */
  __m256 e16, thr;        /* memory term, threshold */
} dconst;

/* New states (compare masks) of the 8 chains of field vector acc:
 * 16-bit random field `sh` of rw; old: all-ones where the old state is
 * 1 (only read when mem). */
T256 static INL __m256i decide8(const dconst *d, __m256i acc, __m256i rw,
                                const unsigned sh, const int mem,
                                const int clamp, __m256i old)
{
  __m256i a = acc;
  if (clamp)
    a = _mm256_min_epi32(_mm256_max_epi32(a, d->ncl), d->cl);
  __m256i nn = _mm256_sra_epi32(a, d->F);
  __m256 ff = _mm256_cvtepi32_ps(_mm256_and_si256(a, d->mask));
  __m256 p = _mm256_fmadd_ps(d->k[3], ff, d->k[2]);
  p = _mm256_fmadd_ps(p, ff, d->k[1]);
  p = _mm256_fmadd_ps(p, ff, d->k[0]);
  __m256 e2 = _mm256_castsi256_ps(_mm256_add_epi32(
      _mm256_castps_si256(p), _mm256_slli_epi32(nn, 23)));
  /* r16 + 1/2 from the bits of 2^23 + r16 */
  const __m256i b23 = _mm256_set1_epi32(0x4B000000);
  __m256i r2 = sh ? _mm256_or_si256(_mm256_srli_epi32(rw, 16), b23)
                  : _mm256_blend_epi16(rw, b23, 0xAA);
  __m256 um = _mm256_sub_ps(_mm256_castsi256_ps(r2),
                            _mm256_set1_ps(8388607.5f));
  if (mem)
    um = _mm256_sub_ps(um, _mm256_and_ps(_mm256_castsi256_ps(old), d->e16));
  return _mm256_castps_si256(
      _mm256_cmp_ps(_mm256_fmadd_ps(um, e2, um), d->thr, _CMP_LT_OQ));
}

/* Update position p for the 64 chains of group g; sh: 16-bit field of
 * the pair's random words (0 first node, 16 second). */
T256 static INL void update_node(const tsu__plan *pl, uint64_t *bits,
                                 uint32_t p, uint32_t g, const __m256i rw[8],
                                 const unsigned sh, const int mem,
                                 const int clamp)
{
  const uint32_t G = pl->n_groups, i = pl->node[p];
  const __m256i lanes = _mm256_set_epi64x(3, 2, 1, 0);
  const __m256i m11 = _mm256_set1_epi8(0x11);
  const __m256i m0f = _mm256_set1_epi8(0x0F);
  const __m256i zero = _mm256_setzero_si256();
  const long long *base = (const long long *)(bits + g);
  __m256i accL16[2][2] = {{zero, zero}, {zero, zero}};  /* [n][a] */
  __m256i accH[2][2] = {{zero, zero}, {zero, zero}};    /* [n][a] */
  const uint32_t t0 = pl->qt_off[p], t1 = pl->qt_off[p + 1];
  /* chunks of at most 4 quads: the L bytes (<= 63 each) cannot carry */
  for (uint32_t c0 = t0; c0 < t1; c0 += 4) {
    const uint32_t c1 = c0 + 4 < t1 ? c0 + 4 : t1;
    __m256i aL0 = _mm256_setzero_si256(), aL1 = _mm256_setzero_si256();
    for (uint32_t t = c0; t < c1; t++) {
      const uint32_t *nb = pl->qnb + 4 * (size_t)t;
      __m256i v = _mm256_and_si256(
          _mm256_srlv_epi64(_mm256_set1_epi64x(base[nb[0]]), lanes), m11);
#pragma GCC unroll 3
      for (int s = 1; s < 4; s++) {
        __m256i x = _mm256_and_si256(
            _mm256_srlv_epi64(_mm256_set1_epi64x(base[nb[s]]), lanes), m11);
        v = _mm256_or_si256(v, _mm256_slli_epi64(x, s));
      }
      const uint8_t *tb = pl->qtab + 48 * (size_t)t;
      const __m256i tl = _mm256_broadcastsi128_si256(
          _mm_loadu_si128((const __m128i *)tb));
      const __m256i thl = _mm256_broadcastsi128_si256(
          _mm_loadu_si128((const __m128i *)(tb + 16)));
      const __m256i thh = _mm256_broadcastsi128_si256(
          _mm_loadu_si128((const __m128i *)(tb + 32)));
      const __m256i n0 = _mm256_and_si256(v, m0f);
      const __m256i n1 = _mm256_and_si256(_mm256_srli_epi16(v, 4), m0f);
      aL0 = _mm256_add_epi8(aL0, _mm256_shuffle_epi8(tl, n0));
      aL1 = _mm256_add_epi8(aL1, _mm256_shuffle_epi8(tl, n1));
      __m256i hl = _mm256_shuffle_epi8(thl, n0);
      __m256i hh = _mm256_shuffle_epi8(thh, n0);
      accH[0][0] = _mm256_add_epi16(accH[0][0], _mm256_unpacklo_epi8(hl, hh));
      accH[0][1] = _mm256_add_epi16(accH[0][1], _mm256_unpackhi_epi8(hl, hh));
      hl = _mm256_shuffle_epi8(thl, n1);
      hh = _mm256_shuffle_epi8(thh, n1);
      accH[1][0] = _mm256_add_epi16(accH[1][0], _mm256_unpacklo_epi8(hl, hh));
      accH[1][1] = _mm256_add_epi16(accH[1][1], _mm256_unpackhi_epi8(hl, hh));
    }
    accL16[0][0] = _mm256_add_epi16(accL16[0][0], _mm256_unpacklo_epi8(aL0, zero));
    accL16[0][1] = _mm256_add_epi16(accL16[0][1], _mm256_unpackhi_epi8(aL0, zero));
    accL16[1][0] = _mm256_add_epi16(accL16[1][0], _mm256_unpacklo_epi8(aL1, zero));
    accL16[1][1] = _mm256_add_epi16(accL16[1][1], _mm256_unpackhi_epi8(aL1, zero));
  }
  dconst d;
  d.cl = _mm256_set1_epi32(pl->qclamp[p]);
  d.ncl = _mm256_set1_epi32(-pl->qclamp[p]);
  d.mask = _mm256_set1_epi32((int32_t)((1u << pl->qF[p]) - 1));
  d.F = _mm_cvtsi32_si128(pl->qF[p]);
#pragma GCC unroll 4
  for (int j = 0; j < 4; j++)
    d.k[j] = _mm256_set1_ps(pl->qk[4 * (size_t)p + j]);
  d.e16 = _mm256_set1_ps(pl->qe16[p]);
  d.thr = _mm256_set1_ps(pl->qthr[p]);
  const __m256i k164 = _mm256_set1_epi32(64 << 16 | 1);
  uint64_t *dst = &bits[(size_t)i * G + g];
  const uint64_t old = *dst;
  __m256i b8[2];
#pragma GCC unroll 2
  for (int n = 0; n < 2; n++) {
    __m256i w16[2];
#pragma GCC unroll 2
    for (int a = 0; a < 2; a++) {
      __m256i c[2];
#pragma GCC unroll 2
      for (int q = 0; q < 2; q++) {
        __m256i lh = q ? _mm256_unpackhi_epi16(accL16[n][a], accH[n][a])
                       : _mm256_unpacklo_epi16(accL16[n][a], accH[n][a]);
        __m256i acc = _mm256_madd_epi16(lh, k164);
        __m256i om = zero;
        if (mem) {
          /* chain a + 2L + 4n + 8i + 32q: its old bit to the sign */
          const __m256i cnt = _mm256_sub_epi32(
              _mm256_set1_epi32(31 - a - 4 * n),
              _mm256_set_epi32(26, 18, 10, 2, 24, 16, 8, 0));
          om = _mm256_srai_epi32(
              _mm256_sllv_epi32(_mm256_set1_epi32((int)(uint32_t)(old >> (32 * q))),
                                cnt), 31);
        }
        c[q] = decide8(&d, acc, rw[4 * n + 2 * a + q], sh, mem, clamp, om);
      }
      w16[a] = _mm256_packs_epi32(c[0], c[1]);
    }
    b8[n] = _mm256_packs_epi16(w16[0], w16[1]);
  }
  /* byte 8 Q + r of the 64-bit lanes: bit 0 chain Q + 8 r, bit 4 chain
   * Q + 4 + 8 r; shifted by Q and OR-ed over the lanes: the state word */
  __m256i e = _mm256_or_si256(_mm256_and_si256(b8[0], _mm256_set1_epi8(0x01)),
                              _mm256_and_si256(b8[1], _mm256_set1_epi8(0x10)));
  e = _mm256_sllv_epi64(e, lanes);
  __m128i o = _mm_or_si128(_mm256_castsi256_si128(e),
                           _mm256_extracti128_si256(e, 1));
  o = _mm_or_si128(o, _mm_unpackhi_epi64(o, o));
  *dst = (uint64_t)_mm_cvtsi128_si64(o);
}

/* update_node with the memory term and the clamp fixed at compile time
 * (the clamp only matters when 2^21 > 100 2^F, i.e. F < 15). */
T256 static INL void update(const tsu__plan *pl, uint64_t *bits, uint32_t p,
                            uint32_t g, const __m256i rw[8], const unsigned sh)
{
  if (pl->has_memory)
    update_node(pl, bits, p, g, rw, sh, 1, 1);
  else if (pl->qF[p] < 15)
    update_node(pl, bits, p, g, rw, sh, 0, 1);
  else
    update_node(pl, bits, p, g, rw, sh, 0, 0);
}

/* The colour loop: per node pair and group, the pair's ARS blocks
 * (FILL, one of the three above), then both nodes. */
#define KERNEL_LOOP(FILL)                                                  \
  const uint32_t beg = pl->start[color], end = pl->start[color + 1];      \
  ars_keys K;                                                              \
  ars_keys_load(pl, &K);                                                   \
  (void)K;                                                                 \
  for (uint32_t q = q0; q < q1; q++) {                                     \
    const uint32_t pa = beg + 2 * q;                                       \
    for (uint32_t g = g_lo; g < g_hi; g++) {                               \
      const uint32_t gg = pl->g0 + g;                                      \
      __m256i rw[8];                                                       \
      FILL;                                                                \
      update(pl, bits, pa, g, rw, 0);                                      \
      if (pa + 1 < end)                                                    \
        update(pl, bits, pa + 1, g, rw, 16);                               \
    }                                                                      \
  }

#define KERNEL_ARGS                                                        \
  const tsu__plan *pl, uint64_t *bits, uint32_t color, uint64_t sweep,    \
      uint32_t q0, uint32_t q1, uint32_t g_lo, uint32_t g_hi

TVAES static void kernel_vaes(KERNEL_ARGS)
{
  KERNEL_LOOP(fill_vaes(&K, ars_x(pl, pa, sweep, gg), rw))
}

TAESNI static void kernel_aesni(KERNEL_ARGS)
{
  KERNEL_LOOP(fill_aesni(&K, ars_x(pl, pa, sweep, gg), rw))
}

T256 static void kernel_soft(KERNEL_ARGS)
{
  KERNEL_LOOP(fill_soft(pl, pa, sweep, gg, rw))
}

void tsu__kernel_avx2(KERNEL_ARGS)
{
  if (pl->aes >= 2)
    kernel_vaes(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
  else if (pl->aes == 1)
    kernel_aesni(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
  else
    kernel_soft(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
}

#else
void tsu__kernel_avx2(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                      uint64_t sweep, uint32_t q0, uint32_t q1,
                      uint32_t g_lo, uint32_t g_hi)
{
  tsu__kernel_portable(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
}
#endif
