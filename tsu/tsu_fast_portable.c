/* tsu_fast_portable.c -- the portable spin kernel (tsu_fast.h): the
 * pair's 16 ARS blocks (tk_ars5_blocks: AES-NI where the CPU has it and
 * the plan's AES level allows, else table-driven C), the neighbour quads as nibbles by word
 * arithmetic, the fixed-point field from the plan's quad tables and the
 * decision of tsu_fast.h written over 16 lanes so that compilers
 * vectorise it; with FMA when the CPU has it (same results: the scalar
 * fmaf is one rounding).  Bit-identical to the AVX2 and AVX-512 kernels.
 */
#include "tsu/tsu_fast_impl.h"

#include <math.h>
#include <string.h>

/* `omp simd` on the portable kernel's lane loops: vectorised whatever
 * the optimiser's cost model says (a no-op without OpenMP). */
#ifdef _OPENMP
#define TSU_SIMD _Pragma("omp simd")
#else
#define TSU_SIMD
#endif

static float f32_from_bits(uint32_t b)
{
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

static uint32_t f32_bits(float f)
{
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  return b;
}

/* The decision of tsu_fast.h, each step exactly as the AVX2 kernel does
 * it: integer clamp and rounding, the cubic in IEEE single precision
 * (fmaf is one rounding, as vfmadd), the power of two added to the
 * exponent bits. */
static inline __attribute__((always_inline)) int
fix_decide(const tsu__plan *pl, uint32_t p, int32_t acc, uint32_t r16,
           int x_old)
{
  const int F = pl->qF[p];
  const int32_t c = pl->qclamp[p];
  const float *k = pl->qk + 4 * (size_t)p;
  int32_t a = acc > -c ? acc : -c;
  a = a < c ? a : c;
  int32_t nn = a >> F;   /* floor (arithmetic shift: GCC, Clang) */
  float ff = (float)(a & (int32_t)((1u << F) - 1));
  float q = k[3];
  q = fmaf(q, ff, k[2]);
  q = fmaf(q, ff, k[1]);
  q = fmaf(q, ff, k[0]);
  float e2 = f32_from_bits(f32_bits(q) + ((uint32_t)nn << 23));
  /* r16 + 1/2 from the bits of 2^23 + r16 */
  float r = f32_from_bits(0x4B000000u | r16) - 8388607.5f;
  float um = x_old ? r - pl->qe16[p] : r;
  return fmaf(um, e2, um) < pl->qthr[p];
}

/* fix_decide for 16 chains of position p: field acc[j], random field
 * sh of rw[j], old state bit j of old16; x[j] = 1 or 0.  The same
 * operations as fix_decide, written over the 16 lanes so that compilers
 * can vectorise them. */
static inline __attribute__((always_inline)) void
fix_decide16(const tsu__plan *pl, uint32_t p, const int32_t *acc,
             const uint32_t *rw, unsigned sh, uint16_t old16, int32_t *x)
{
  const int F = pl->qF[p];
  const int32_t c = pl->qclamp[p];
  const int32_t mask = (int32_t)((1u << F) - 1);
  const float *k = pl->qk + 4 * (size_t)p;
  const float k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3];
  const float e16 = pl->qe16[p], thr = pl->qthr[p];
  TSU_SIMD
  for (int j = 0; j < 16; j++) {
    int32_t a = acc[j] > -c ? acc[j] : -c;
    a = a < c ? a : c;
    int32_t nn = a >> F;
    float ff = (float)(a & mask);
    float q = fmaf(k3, ff, k2);
    q = fmaf(q, ff, k1);
    q = fmaf(q, ff, k0);
    float e2 = f32_from_bits(f32_bits(q) + ((uint32_t)nn << 23));
    float r = f32_from_bits(0x4B000000u | ((rw[j] >> sh) & 0xFFFFu)) -
              8388607.5f;
    /* r - e16 x_old: exact either way (the product is e16 or 0) */
    float um = r - e16 * (float)((old16 >> j) & 1);
    x[j] = fmaf(um, e2, um) < thr;
  }
}

/* Bits 0, 4, 8, ..., 60 of w as a 16-bit word. */
static inline uint32_t pext4(uint64_t w)
{
  w &= 0x1111111111111111ull;
  w = (w | (w >> 3)) & 0x0303030303030303ull;
  w = (w | (w >> 6)) & 0x000F000F000F000Full;
  w = (w | (w >> 12)) & 0x000000FF000000FFull;
  return (uint32_t)((w | (w >> 24)) & 0xFFFFu);
}

int tsu__fix_decide(const tsu__plan *pl, uint32_t p, int32_t acc,
                    uint32_t r16, int x_old)
{
  return fix_decide(pl, p, acc, r16, x_old);
}

/* The 4-bit subset index of the 64 chains of a quad, bit s from
 * neighbour word m_s, SWAR: nibble j of z[k] is chain 4 j + {0, 2, 1,
 * 3}[k] (two rounds of bit interleaving, 32 word operations for 64
 * chains instead of 10 per chain). */
static inline __attribute__((always_inline)) void
swar_nibbles(uint64_t m0, uint64_t m1, uint64_t m2, uint64_t m3,
             uint64_t z[4])
{
  const uint64_t e1 = 0x5555555555555555ull, e2 = 0x3333333333333333ull;
  /* bit 2b: m0 (m2) at 2b (x0, y0) or 2b + 1 (x1, y1); bit 2b + 1: m1 (m3) */
  uint64_t x0 = (m0 & e1) | ((m1 << 1) & ~e1);
  uint64_t x1 = ((m0 >> 1) & e1) | (m1 & ~e1);
  uint64_t y0 = (m2 & e1) | ((m3 << 1) & ~e1);
  uint64_t y1 = ((m2 >> 1) & e1) | (m3 & ~e1);
  z[0] = (x0 & e2) | ((y0 << 2) & ~e2);          /* chains 4 j */
  z[1] = ((x0 >> 2) & e2) | (y0 & ~e2);          /* 4 j + 2 */
  z[2] = (x1 & e2) | ((y1 << 2) & ~e2);          /* 4 j + 1 */
  z[3] = ((x1 >> 2) & e2) | (y1 & ~e2);          /* 4 j + 3 */
}

/* Fixed-point field and decision per chain (tsu_fast.h), the same
 * integer sums and IEEE operations as the AVX2 kernel, in plain C with
 * word-parallel (SWAR) subset indices, the pair's ARS blocks and
 * branch-free decisions 16 at a time (the old state was a branch on a
 * random bit: half the decisions mispredicted).  Compiled twice:
 * plain, and for CPUs with FMA (fmaf becomes one instruction instead of
 * a libm call; the results are the same, fmaf is exact either way). */
static inline __attribute__((always_inline)) void
kernel_portable(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                uint64_t sweep, uint32_t q0, uint32_t q1,
                uint32_t g_lo, uint32_t g_hi)
{
  const uint32_t G = pl->n_groups;
  const uint32_t beg = pl->start[color], end = pl->start[color + 1];
  for (uint32_t q = q0; q < q1; q++) {
    uint32_t pa = beg + 2 * q;
    uint32_t nh = pa + 1 < end ? 2 : 1;
    for (uint32_t g = g_lo; g < g_hi; g++) {
      /* acc[16 k + j] and rw[k][j]: chain 4 j + ck[k] (the nibble order
       * of swar_nibbles) */
      static const int ck[4] = {0, 2, 1, 3};
      uint32_t blk[16][4], rw[4][16];
      tsu__pair_blocks(pl, pa, sweep, pl->g0 + g, blk);
      for (int k = 0; k < 4; k++)
        for (int j = 0; j < 16; j++) {
          uint32_t c = 4 * (uint32_t)j + (uint32_t)ck[k];
          rw[k][j] = blk[tsu__chain_block(c)][tsu__chain_word(c)];
        }
      for (uint32_t h = 0; h < nh; h++) {
        uint32_t p = pa + h, i = pl->node[p];
        int32_t acc[64];
        for (int c = 0; c < 64; c++)
          acc[c] = 0;
        for (uint32_t t = pl->qt_off[p]; t < pl->qt_off[p + 1]; t++) {
          const uint32_t *nb = pl->qnb + 4 * (size_t)t;
          uint64_t z[4];
          swar_nibbles(bits[(size_t)nb[0] + g], bits[(size_t)nb[1] + g],
                       bits[(size_t)nb[2] + g], bits[(size_t)nb[3] + g], z);
          int32_t v[16];
          for (uint32_t m = 0; m < 16; m++)
            v[m] = tsu__fix_entry(pl->qtab + 48 * (size_t)t, m);
          for (int k = 0; k < 4; k++)
            for (int j = 0; j < 16; j++)
              acc[16 * k + j] += v[(z[k] >> (4 * j)) & 15];
        }
        uint64_t old = bits[(size_t)i * G + g], nw = 0;
        for (int k = 0; k < 4; k++) {
          /* 16 decisions side by side (vectorisable), then their bits */
          int32_t x[16];
          fix_decide16(pl, p, acc + 16 * k, rw[k], 16 * h,
                       (uint16_t)pext4(old >> ck[k]), x);
          for (int j = 0; j < 16; j++)
            nw |= (uint64_t)(x[j] & 1) << (4 * j + ck[k]);
        }
        bits[(size_t)i * G + g] = nw;
      }
    }
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("fma"))) static void
kernel_portable_fma(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                    uint64_t sweep, uint32_t q0, uint32_t q1,
                    uint32_t g_lo, uint32_t g_hi)
{
  kernel_portable(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
}
#endif

void tsu__kernel_portable(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                          uint64_t sweep, uint32_t q0, uint32_t q1,
                          uint32_t g_lo, uint32_t g_hi)
{
#if defined(__x86_64__) && defined(__GNUC__)
  if (__builtin_cpu_supports("fma")) {
    kernel_portable_fma(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
    return;
  }
#endif
  kernel_portable(pl, bits, color, sweep, q0, q1, g_lo, g_hi);
}
