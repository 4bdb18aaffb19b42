/* tsu_fastnode_body_impl.h -- the Potts and Gaussian kernels, written
 * once in GNU C vectors of FN_VL lanes (a lane group of 16 chains is
 * 16 / FN_VL vectors) and included by each code path's file, which
 * first defines
 *   FN_VL                 lanes per vector: 16 (AVX-512), 8 (AVX2), 4
 *   FN_LOAD_U8(p)         the FN_VL bytes at p, zero-extended (fn_vu)
 *   FN_STORE_U8(p, v)     the low bytes of the FN_VL lanes of v to p
 *   FN_T                  the function attributes (target ISA, or empty)
 *   FN_MULHILO(a, m, hi, lo)  hi, lo = high and low 32 bits of a * m per
 *                         lane (m a 32-bit constant)
 *   FN_MASKADD(acc, sj, k, wj)  acc + (sj == k ? wj : 0) per lane (wj
 *                         the bits of a float, broadcast; sj of type
 *                         FN_SV, by default fn_vu, loaded by FN_SLOAD(p)
 *                         and broadcast by FN_SBCAST(x))
 *   FN_FMA(a, b, c)       a b + c per lane with one rounding (fused)
 *   FN_FLOOR(v)           floor per lane (float)
 *   FN_SCALE2(p, n)       p 2^n per lane, n integral (float), p 2^n normal
 *   FN_MAXF(a, b)         max(a, b) per lane (no NaNs reach it)
 *   FN_SQRT(v)            v = its correctly rounded square root per lane
 *   FN_PATH_NAME          the path's name, FN_PATH_VAR its tsu__fn_path.
 * Every float operation below is a single IEEE-754 single-precision
 * operation or an explicit fused multiply-add (fn_fma: FMA instructions,
 * or C99 fmaf on the portable path); the files are compiled with
 * -ffp-contract=off so the compiler fuses nothing else, and all paths
 * compute the same bits.
 *
 * Workload: per Potts update and lane group, K-1 compare-and-multiply
 * per neighbour, K-1 products (no division) and a cumulative compare
 * (linear mode; the log mode: compare-and-add and K exp2 polynomials);
 * one Philox4x32-7 block per chain serves 8 nodes (16 bits each).  Per
 * Gaussian update, a multiply-add per neighbour and half a Box-Muller
 * (no division); one block serves 6 nodes (three Box-Muller pairs of
 * 22 + 20 bits).
 * This file holds the path contract and the shared vector helpers; the
 * kernels are tsu_fastnode_potts_impl.h and tsu_fastnode_gauss_impl.h,
 * included at its end.
 */
#include <string.h>

#include "tsu/tsu_fastnode_impl.h"
#include "tsu/tsu_fast_impl.h"   /* TSU__EXP2_C*: 2^f on |f| <= 1/2 */

/* Every function below that takes or returns a vector is static and
 * inlined, so no vector crosses an ABI boundary; GCC's note about the
 * 64-byte vector ABI without AVX-512 does not apply. */
#pragma GCC diagnostic ignored "-Wpsabi"

typedef uint32_t fn_vu __attribute__((vector_size(4 * FN_VL)));
typedef int32_t fn_vi __attribute__((vector_size(4 * FN_VL)));
typedef float fn_vf __attribute__((vector_size(4 * FN_VL)));

#define FN_INL static inline __attribute__((always_inline))

#ifndef FN_SV
#define FN_SV fn_vu
#define FN_SLOAD(p) FN_LOAD_U8(p)
#define FN_SBCAST(x) ((fn_vu){0} + (x))
#endif
#ifndef FN_MASKADD
#define FN_MASKADD(acc, sj, k, wj) ((acc) + (fn_vf)((fn_vu)((sj) == (k)) & (wj)))
#endif
/* acc * (sj == k ? e : 1) per lane, from d = bits(e) ^ bits(1.0f). */
#ifndef FN_MASKMUL
#define FN_MASKMUL(acc, sj, k, d)                                         \
  ((acc) * (fn_vf)(((fn_vu)((sj) == (k)) & (d)) ^ 0x3F800000u))
#endif
#ifndef FN_SCALE2
#define FN_SCALE2(p, n)                                                   \
  ((fn_vf)((fn_vi)(p) + (__builtin_convertvector((n), fn_vi) << 23)))
#endif
#ifndef FN_MAXF
#define FN_MAXF(a, b) fn_maxf_generic((a), (b))
#endif

#ifndef FN_HAVE_MAXF
FN_T FN_INL fn_vf fn_maxf_generic(fn_vf a, fn_vf b)
{
  fn_vi gt = b > a;
  return (fn_vf)(((fn_vi)b & gt) | ((fn_vi)a & ~gt));
}
#endif

/* a b + c, one rounding. */
FN_T FN_INL fn_vf fn_fma(fn_vf a, fn_vf b, fn_vf c)
{
  return FN_FMA(a, b, c);
}

/* x in every lane (a broadcast; not 0 + x, which the compiler must
 * keep as an addition because of -0). */
FN_T FN_INL fn_vf fn_bcast(float x)
{
  fn_vf v;
  for (uint32_t l = 0; l < FN_VL; l++)
    v[l] = x;
  return v;
}
#define FN_B(x) fn_bcast(x)

FN_T FN_INL fn_vu fn_lanes(void)
{
  fn_vu v;
  for (uint32_t l = 0; l < FN_VL; l++)
    v[l] = l;
  return v;
}

/* Philox4x32-R of 16 blocks, one per lane: counter words x[0..3]
 * (R = 7 for both kernels, as for the spin kernel, tk_philox4x32_7). */
FN_T FN_INL void fn_philox_r(fn_vu x[4], const uint32_t rk[10][2],
                             const int R)
{
  fn_vu x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
  for (int r = 0; r < R; r++) {
    fn_vu h0, l0, h1, l1;
    FN_MULHILO(x0, 0xD2511F53u, h0, l0);
    FN_MULHILO(x2, 0xCD9E8D57u, h1, l1);
    fn_vu n0 = h1 ^ x1 ^ rk[r][0];
    fn_vu n2 = h0 ^ x3 ^ rk[r][1];
    x0 = n0;
    x1 = l1;
    x2 = n2;
    x3 = l0;
  }
  x[0] = x0; x[1] = x1; x[2] = x2; x[3] = x3;
}

/* Words of the blocks (seed, stream, ctr = P << 32 | chain) for the
 * chains c0 .. c0 + FN_VL - 1. */
FN_T FN_INL void fn_blocks_r(const uint32_t rk[10][2], uint32_t c0,
                             uint32_t P, uint64_t stream, fn_vu w[4],
                             const int R)
{
  fn_vu c = fn_lanes() + c0;
  w[0] = c;
  w[1] = c * 0 + P;
  w[2] = c * 0 + (uint32_t)stream;
  w[3] = c * 0 + (uint32_t)(stream >> 32);
  fn_philox_r(w, rk, R);
}

/* 2^y for y in [-126, 0]: n = floor(y), g = y - n in [0, 1) (exact),
 * 2^y = q(g) 2^n with q the quartic minimax of 2^g on [0, 1]
 * (TSU__EXP2Q_C*, relative error < 2.7e-6); the scaling by 2^n is exact
 * (q(g) 2^n stays a normal float). */
FN_T FN_INL fn_vf fn_exp2_neg(fn_vf y)
{
  fn_vf n = FN_FLOOR(y);
  fn_vf g = y - n;
  fn_vf p = fn_fma(g, FN_B(TSU__EXP2Q_C4), FN_B(TSU__EXP2Q_C3));
  p = fn_fma(p, g, FN_B(TSU__EXP2Q_C2));
  p = fn_fma(p, g, FN_B(TSU__EXP2Q_C1));
  p = fn_fma(p, g, FN_B(TSU__EXP2Q_C0));
  return FN_SCALE2(p, n);
}

/* The two kernels (one concept per file) */
#include "tsu/tsu_fastnode_potts_impl.h"
#include "tsu/tsu_fastnode_gauss_impl.h"

const tsu__fn_path FN_PATH_VAR = {fn_potts_kernel, fn_gauss_kernel,
                                  fn_potts_probe, fn_gauss_mean_probe,
                                  fn_gauss_normal_probe, FN_PATH_NAME};
