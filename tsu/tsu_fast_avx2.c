/* tsu_fast_avx2.c -- the AVX2 Gibbs kernel: fixed-point field by byte
 * table lookups, 64 chains at a time.
 *
 * Workload: as tsu_fast_avx512.c, for CPUs with AVX2 + FMA but no
 * AVX-512; bit-identical to the portable kernel (tsu_fast_portable.c), which
 * does the same integer sums and IEEE operations one chain at a time.
 * Per node pair and 64-chain group:
 *  - 16 Philox4x32-7 blocks, four per vector (64-bit lanes, mul_epu32),
 *    the parts of rounds 1-3 that depend only on the pair and the sweep
 *    computed once in scalar code; the words are packed straight into
 *    the chain order of the field vectors below (no per-node shuffles);
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
 * About 9.8 instructions per flip on G12 with Philox4x32-10 and the
 * quartic (Philox 2.3, field 2.3), 1.19 flips/ns on one Zen 4 core;
 * throughput-bound (the same at L = 30, state in L1), and by taking
 * parts out: Philox 27 % of the time, field 33 %, decision 37 %.  With
 * 7 Philox rounds (rounds 4-7 in vectors: 1.6 instructions per flip)
 * and the cubic, about 1.4 flips/ns on the same core, 1.4x (README).
 * Tried and not kept: the decision as a compare of the field against a
 * 2^16-entry table of logit(u) by vpgatherdd (no 2^z at all): 0.7-0.85
 * flips/ns against 1.08 in the same session, the gather costs more than
 * the polynomial.
 * Also tried (issue 16, second pass; G12 L = 70, 256 chains, --path
 * avx2 on one Zen 4 core, thread CPU time, each against this kernel in
 * alternating runs on the loaded machine, load average 9-12 on 2 cores):
 *  - the decision in 16-bit lanes, 16 chains per vector, no floats
 *    (bit-identical with a portable twin, all of test_tsu_fast passing):
 *    F capped at 16; n = acc >> F and the 16-bit fraction f from the
 *    accumulators (H + (L >> 6): the L sums carry); a fold on the sign
 *    (n, f, r xor the sign mask: a' = -a - 2^-16); G = 2^16 2^-f by an
 *    unsigned Horner cubic in vpmulhuw; x = [R < ((~R G) >> 16) >> n]
 *    flipped for negative fields, the variable 16-bit right shift as a
 *    vpmulhuw by 2^(16-n) from two vpshufb byte tables (AVX2 has no
 *    per-lane 16-bit shift).  Exhaustively (F = 16, every field in
 *    [-18, 18)): |P_fast(1) - P(1)| <= 2.26 2^-16 = 3.5e-5.  Speed:
 *    1.53 against 1.51 flips/ns (medians of 5), 1.50 against 1.47 (7):
 *    +2-3 %.  It costs about 29 operations per 16 chains (sign fold 6,
 *    cubic 6, shift table 5, split and carry 5, compare 3, ...) against
 *    14 per 8 chains here: the doubled width is eaten by the missing
 *    16-bit variable shift and the fold.  (A variant that ignored the
 *    carry of the L sums, wrong by one log2 unit where they carry, ran
 *    at 1.66: two operations per 16 chains are 6 % of the time.)
 *  - Philox of the next (pair, group) issued before the current updates
 *    (software pipeline): 1.46 against 1.51; the quad loop unrolled for
 *    3-quad nodes: 1.48 against 1.52; the subset indices of all quads
 *    first and then field and decision one nibble at a time (fewer live
 *    registers): 1.43-1.47 against 1.51-1.52; -O3: no change.
 *  - Ablations of the 16-bit variant at 1.66 (not samples, timings
 *    only): decision replaced by one compare 2.14, one quad instead of
 *    three 1.97, Philox for one group in four 2.32 flips/ns, i.e.
 *    Philox about 38 % of the time, each quad 8 %, the decision 22 %.
 *    Philox4x32-7 in 64-bit lanes (2 vpmuludq, 2 shifts, 4 xors per
 *    round and 4 blocks, about 1.7 operations per flip) is at its
 *    minimum for AVX2: 32-bit-lane layouts need more operations.
 *  - Upper bound of the two structural ideas together: the 16-bit
 *    decision plus subset indices from pre-expanded neighbour words
 *    (one 32-byte load and a shift per neighbour instead of broadcast,
 *    vpsrlvq, mask and shift; timed on stale copies, nothing kept up to
 *    date, so no samples): 1.67 against 1.53 flips/ns (medians of 5),
 *    +9 %, still short of 10 % before paying for the copies.
 * Chain of dword (L, i) (128-bit lane L, dword i) of field vector
 * (n, a, q): a + 2 L + 4 n + 8 i + 32 q, where n is the nibble, a the
 * byte half (vpunpck*bw) and q the word half (vpunpck*wd); its random
 * word is word a + 2 L of block 16 g + n + 2 i + 8 q.
 */
#include "tsu/tsu_fast_impl.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define T256 __attribute__((target("avx2,fma")))
#define INL inline __attribute__((always_inline))

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u

/* Words 1-3 of the counter (pa, sweep) are the same for every block
 * of a pair: the parts of rounds 1-3 that depend on them only are
 * scalar constants (Philox4x32-7 unchanged). */
typedef struct {
  long long c3, k1, k2, k3;   /* xor constants of rounds 1-3 (low halves) */
} philox_pre;

static inline philox_pre philox_prepare(const uint64_t rk[TSU__PHILOX_ROUNDS][2],
                                        uint32_t pa, uint64_t sweep)
{
  const uint32_t x1 = pa, x2 = (uint32_t)sweep, x3 = (uint32_t)(sweep >> 32);
  uint64_t p1 = (uint64_t)x2 * PHILOX_M1;            /* round 1, constant */
  uint32_t n0 = (uint32_t)(p1 >> 32) ^ x1 ^ (uint32_t)rk[0][0];
  uint64_t p0 = (uint64_t)n0 * PHILOX_M0;            /* round 2, constant */
  philox_pre c;
  c.c3 = (long long)(x3 ^ (uint32_t)rk[0][1]);
  c.k1 = (long long)((uint32_t)p1 ^ (uint32_t)rk[1][0]);
  c.k2 = (long long)((uint32_t)(p0 >> 32) ^ (uint32_t)rk[1][1]);
  c.k3 = (long long)((uint32_t)p0 ^ (uint32_t)rk[2][1]);
  return c;
}

/* Four Philox4x32-7 blocks with counter word 0 in the 64-bit lanes of
 * x0 and words 1-3 folded into c; out: words 0-3 (low halves). */
T256 static INL void philox4c(__m256i x0, const philox_pre *c,
                              const uint64_t rk[TSU__PHILOX_ROUNDS][2], __m256i x[4])
{
  const __m256i m0 = _mm256_set1_epi64x(PHILOX_M0);
  const __m256i m1 = _mm256_set1_epi64x(PHILOX_M1);
  /* round 1: x1 and x2 constant */
  __m256i p0 = _mm256_mul_epu32(x0, m0);
  __m256i x2 = _mm256_xor_si256(_mm256_srli_epi64(p0, 32),
                                _mm256_set1_epi64x(c->c3));
  __m256i x3 = p0;
  /* round 2: x0 constant */
  __m256i p1 = _mm256_mul_epu32(x2, m1);
  x0 = _mm256_xor_si256(_mm256_srli_epi64(p1, 32), _mm256_set1_epi64x(c->k1));
  x2 = _mm256_xor_si256(x3, _mm256_set1_epi64x(c->k2));
  __m256i x1 = p1;
  /* round 3: x3 constant */
  p0 = _mm256_mul_epu32(x0, m0);
  p1 = _mm256_mul_epu32(x2, m1);
  x0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x1),
                        _mm256_set1_epi64x((long long)rk[2][0]));
  x2 = _mm256_xor_si256(_mm256_srli_epi64(p0, 32), _mm256_set1_epi64x(c->k3));
  x1 = p1;
  x3 = p0;
#pragma GCC unroll 4
  for (int r = 3; r < TSU__PHILOX_ROUNDS; r++) {
    p0 = _mm256_mul_epu32(x0, m0);
    p1 = _mm256_mul_epu32(x2, m1);
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

/* rw[4 n + 2 a + q]: the random words of field vector (n, a, q) of
 * group g (file comment): four calls of philox4c, call (n, q) on blocks
 * 16 g + n + 8 q + 2 i in lane i. */
T256 static INL void philox_fix(const uint64_t rk[TSU__PHILOX_ROUNDS][2],
                                const philox_pre *c, uint32_t g,
                                __m256i rw[8])
{
  const __m256i pack = _mm256_set_epi32(7, 5, 3, 1, 6, 4, 2, 0);
#pragma GCC unroll 2
  for (int n = 0; n < 2; n++)
#pragma GCC unroll 2
    for (int q = 0; q < 2; q++) {
      __m256i x[4];
      philox4c(_mm256_add_epi64(
                   _mm256_set1_epi64x(16 * (long long)g + n + 8 * q),
                   _mm256_set_epi64x(6, 4, 2, 0)), c, rk, x);
#pragma GCC unroll 2
      for (int a = 0; a < 2; a++) {
        /* dword 2 i + e: word a + 2 e of block i; then lane 0 <- e = 0 */
        __m256i t = _mm256_blend_epi32(x[a], _mm256_slli_epi64(x[a + 2], 32),
                                       0xAA);
        rw[4 * n + 2 * a + q] = _mm256_permutevar8x32_epi32(t, pack);
      }
    }
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

T256 void tsu__kernel_avx2(const tsu__plan *pl, uint64_t *bits,
                           uint32_t color, uint64_t sweep, uint32_t q0,
                           uint32_t q1, uint32_t g_lo, uint32_t g_hi)
{
  const uint32_t beg = pl->start[color], end = pl->start[color + 1];
  for (uint32_t q = q0; q < q1; q++) {
    uint32_t pa = beg + 2 * q;
    const philox_pre c = philox_prepare(pl->rk, pa, sweep);
    for (uint32_t g = g_lo; g < g_hi; g++) {
      __m256i rw[8];
      philox_fix(pl->rk, &c, pl->g0 + g, rw);
      update(pl, bits, pa, g, rw, 0);
      if (pa + 1 < end)
        update(pl, bits, pa + 1, g, rw, 16);
    }
  }
}

#else
void tsu__kernel_avx2(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                      uint64_t sweep, uint32_t q0, uint32_t q1,
                      uint32_t g_lo, uint32_t g_hi)
{
  tsu__kernel_portable(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
}
#endif
