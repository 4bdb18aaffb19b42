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

/* New Potts states of FN_VL lanes from the weights w[k] >= 0 (normal
 * floats, sum finite) and the 16-bit uniforms r16: the number of
 * cumulative weights w_0 + .. + w_k (k < K-1) that are <= u Z,
 * Z = sum w_k (k in order), u = (r16 + 1/2) / 2^16. */
FN_T FN_INL fn_vu fn_potts_draw_w(const fn_vf *w, const uint32_t K,
                                  fn_vu r16)
{
  fn_vf z = (fn_vf){0};
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k < K; k++)
    z = z + w[k];
  fn_vf u = __builtin_convertvector((fn_vi)(r16 * 2u + 1u), fn_vf) *
            (1.0f / 131072.0f);
  fn_vf t = u * z;
  fn_vf c = (fn_vf){0};
  fn_vu s = (fn_vu){0};
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k + 1 < K; k++) {
    c = c + w[k];
    s -= (fn_vu)(c <= t);     /* comparison is -1 (true) or 0 */
  }
  return s;
}

/* The log mode's draw from the fields f[k] (log2 units):
 * w_k = 2^max(f_k - max f, -126), then fn_potts_draw_w. */
FN_T FN_INL fn_vu fn_potts_draw(const fn_vf *f, const uint32_t K, fn_vu r16)
{
  fn_vf m = f[0];
  _Pragma("GCC unroll 16")
  for (uint32_t k = 1; k < K; k++)
    m = FN_MAXF(m, f[k]);
  fn_vf w[TSU_FASTPOTTS_MAX_K];
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k < TSU_FASTPOTTS_MAX_K; k++)
    w[k] = (fn_vf){0};
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k < K; k++) {
    fn_vf d = FN_MAXF(f[k] - m, (fn_vf){0} - 126.0f);
    w[k] = fn_exp2_neg(d);
  }
  return fn_potts_draw_w(w, K, r16);
}

/* State of the neighbour at table entry a (entries from a0): from the
 * rows st if s_nb is NULL, else s_nb (the probes). */
FN_T FN_INL FN_SV fn_potts_s(const tsu__fpplan *pl, const uint8_t *st,
                             const uint8_t *s_nb, uint32_t a, uint32_t a0)
{
  if (s_nb == NULL)   /* the kernel passes a literal NULL: no branch */
    return FN_SLOAD(st + (size_t)pl->nbr[a] * TSU__FN_W);
  return FN_SBCAST(s_nb[a - a0]);
}

FN_T FN_INL fn_vu fn_potts_w(const tsu__fpplan *pl, uint32_t a)
{
  uint32_t wbits;
  memcpy(&wbits, &pl->wq[a], sizeof wbits);
  return (fn_vu){0} + wbits;
}

/* Fields of position p for FN_VL lanes: from the state rows st (lane
 * offset applied; row i at st + 16 i) if s_nb is NULL, else from the
 * neighbour states s_nb (table order, the same in every lane).  The
 * coupling sums run in two partial sums (even and odd table entries,
 * added even + odd): independent add chains, the same order on every
 * path. */
FN_T FN_INL void fn_potts_field(const tsu__fpplan *pl, uint32_t p,
                                const uint8_t *st, const uint8_t *s_nb,
                                const uint32_t K, fn_vf *f)
{
  fn_vf ge[TSU_FASTPOTTS_MAX_K], go[TSU_FASTPOTTS_MAX_K];
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k < TSU_FASTPOTTS_MAX_K; k++) /* all: see fn_potts_new */
    ge[k] = go[k] = (fn_vf){0};
  uint32_t a0 = pl->off[p], a1 = pl->off[p + 1], a = a0;
  for (; a + 2 <= a1; a += 2) {
    FN_SV se = fn_potts_s(pl, st, s_nb, a, a0);
    FN_SV so = fn_potts_s(pl, st, s_nb, a + 1, a0);
    fn_vu we = fn_potts_w(pl, a), wo = fn_potts_w(pl, a + 1);
    _Pragma("GCC unroll 16")
    for (uint32_t k = 0; k + 1 < K; k++) {
      ge[k] = FN_MASKADD(ge[k], se, k, we);
      go[k] = FN_MASKADD(go[k], so, k, wo);
    }
  }
  if (a < a1) {
    FN_SV se = fn_potts_s(pl, st, s_nb, a, a0);
    fn_vu we = fn_potts_w(pl, a);
    _Pragma("GCC unroll 16")
    for (uint32_t k = 0; k + 1 < K; k++)
      ge[k] = FN_MASKADD(ge[k], se, k, we);
  }
  const float *h = pl->hq + (size_t)p * K;
  fn_vf rest = (fn_vf){0} + pl->tot[p];
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k + 1 < K; k++) {
    fn_vf gk = ge[k] + go[k];
    f[k] = gk + h[k];
    rest = rest - gk;
  }
  f[K - 1] = rest + h[K - 1];
}

/* Bits of 2^(coupling) of table entry a, xor the bits of 1.0f,
 * broadcast (FN_MASKMUL's operand). */
FN_T FN_INL fn_vu fn_potts_e(const tsu__fpplan *pl, uint32_t a)
{
  uint32_t ebits;
  memcpy(&ebits, &pl->ew[a], sizeof ebits);
  return (fn_vu){0} + (ebits ^ 0x3F800000u);
}

/* The linear mode's weights of position p for FN_VL lanes (rows and
 * s_nb as fn_potts_field): for k < K-1 the products G_k of 2^(w_j) over
 * the neighbours in state k (even and odd table entries in two partial
 * products, G_k = even * odd) and q = G_0 G_1 .. G_(K-2);
 * w_k = (G_k 2^(h_k)) q for k < K-1, w_(K-1) = 2^(h_(K-1) + sum_j w_j):
 * the softmax weights times q, so no division and no exponential per
 * update; every intermediate stays within 2^(+-TSU__FP_LIN_MAX) (the
 * plan's bound counts the couplings twice). */
FN_T FN_INL void fn_potts_lin(const tsu__fpplan *pl, uint32_t p,
                              const uint8_t *st, const uint8_t *s_nb,
                              const uint32_t K, fn_vf *w)
{
  fn_vf ge[TSU_FASTPOTTS_MAX_K], go[TSU_FASTPOTTS_MAX_K];
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k < TSU_FASTPOTTS_MAX_K; k++)
    ge[k] = go[k] = (fn_vf){0} + 1.0f;
  uint32_t a0 = pl->off[p], a1 = pl->off[p + 1], a = a0;
  for (; a + 2 <= a1; a += 2) {
    FN_SV se = fn_potts_s(pl, st, s_nb, a, a0);
    FN_SV so = fn_potts_s(pl, st, s_nb, a + 1, a0);
    fn_vu de = fn_potts_e(pl, a), dd = fn_potts_e(pl, a + 1);
    _Pragma("GCC unroll 16")
    for (uint32_t k = 0; k + 1 < K; k++) {
      ge[k] = FN_MASKMUL(ge[k], se, k, de);
      go[k] = FN_MASKMUL(go[k], so, k, dd);
    }
  }
  if (a < a1) {
    FN_SV se = fn_potts_s(pl, st, s_nb, a, a0);
    fn_vu de = fn_potts_e(pl, a);
    _Pragma("GCC unroll 16")
    for (uint32_t k = 0; k + 1 < K; k++)
      ge[k] = FN_MASKMUL(ge[k], se, k, de);
  }
  const float *eh = pl->eh + (size_t)p * K;
  fn_vf q = ge[0] * go[0];
  w[0] = q * eh[0];
  _Pragma("GCC unroll 16")
  for (uint32_t k = 1; k + 1 < K; k++) {
    fn_vf gk = ge[k] * go[k];
    w[k] = gk * eh[k];
    q = q * gk;
  }
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k + 1 < K; k++)
    w[k] = w[k] * q;
  w[K - 1] = FN_B(eh[K - 1]);
}

#if FN_VL == 8
/* fn_potts_lin for both vectors of a lane group at once (AVX2, two
 * vectors per group): each table entry's row index and coupling are
 * read once for the group; per vector the same operations in the same
 * order as fn_potts_lin, so the same bits. */
FN_T FN_INL void fn_potts_lin2(const tsu__fpplan *pl, uint32_t p,
                               const uint8_t *st, const uint32_t K,
                               fn_vf *w0, fn_vf *w1)
{
  fn_vf ge0[TSU_FASTPOTTS_MAX_K], go0[TSU_FASTPOTTS_MAX_K];
  fn_vf ge1[TSU_FASTPOTTS_MAX_K], go1[TSU_FASTPOTTS_MAX_K];
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k < TSU_FASTPOTTS_MAX_K; k++)
    ge0[k] = go0[k] = ge1[k] = go1[k] = (fn_vf){0} + 1.0f;
  uint32_t a0 = pl->off[p], a1 = pl->off[p + 1], a = a0;
#ifdef FN_PERMILPS
  /* K <= 4: the factor (s == k ? e : 1) of every lane by one in-lane
   * permute of the table {1, .., e at k, .., 1} (built once per entry
   * for both vectors) instead of a compare and a blend: the same
   * factors, so the same bits */
  if (K <= 4) {
    const __m256 one = _mm256_set1_ps(1.0f);
#define FN_PM(k_)                                                         \
    do {                                                                  \
      __m256 te_ = _mm256_blend_ps(one, ee, 0x11 << (k_));                \
      __m256 to_ = _mm256_blend_ps(one, eo, 0x11 << (k_));                \
      ge0[k_] = ge0[k_] * (fn_vf)_mm256_permutevar_ps(te_, (__m256i)se0); \
      go0[k_] = go0[k_] * (fn_vf)_mm256_permutevar_ps(to_, (__m256i)so0); \
      ge1[k_] = ge1[k_] * (fn_vf)_mm256_permutevar_ps(te_, (__m256i)se1); \
      go1[k_] = go1[k_] * (fn_vf)_mm256_permutevar_ps(to_, (__m256i)so1); \
    } while (0)
    for (; a + 2 <= a1; a += 2) {
      const uint8_t *re = st + (size_t)pl->nbr[a] * TSU__FN_W;
      const uint8_t *ro = st + (size_t)pl->nbr[a + 1] * TSU__FN_W;
      __m256 ee = _mm256_broadcast_ss(&pl->ew[a]);
      __m256 eo = _mm256_broadcast_ss(&pl->ew[a + 1]);
      FN_SV se0 = FN_SLOAD(re), so0 = FN_SLOAD(ro);
      FN_SV se1 = FN_SLOAD(re + FN_VL), so1 = FN_SLOAD(ro + FN_VL);
      FN_PM(0);
      if (K > 2)
        FN_PM(1);
      if (K > 3)
        FN_PM(2);
    }
#undef FN_PM
  }
#endif
  for (; a + 2 <= a1; a += 2) {
    const uint8_t *re = st + (size_t)pl->nbr[a] * TSU__FN_W;
    const uint8_t *ro = st + (size_t)pl->nbr[a + 1] * TSU__FN_W;
    fn_vu de = fn_potts_e(pl, a), dd = fn_potts_e(pl, a + 1);
    FN_SV se0 = FN_SLOAD(re), so0 = FN_SLOAD(ro);
    FN_SV se1 = FN_SLOAD(re + FN_VL), so1 = FN_SLOAD(ro + FN_VL);
    _Pragma("GCC unroll 16")
    for (uint32_t k = 0; k + 1 < K; k++) {
      ge0[k] = FN_MASKMUL(ge0[k], se0, k, de);
      go0[k] = FN_MASKMUL(go0[k], so0, k, dd);
      ge1[k] = FN_MASKMUL(ge1[k], se1, k, de);
      go1[k] = FN_MASKMUL(go1[k], so1, k, dd);
    }
  }
  if (a < a1) {
    const uint8_t *re = st + (size_t)pl->nbr[a] * TSU__FN_W;
    fn_vu de = fn_potts_e(pl, a);
    FN_SV se0 = FN_SLOAD(re), se1 = FN_SLOAD(re + FN_VL);
    _Pragma("GCC unroll 16")
    for (uint32_t k = 0; k + 1 < K; k++) {
      ge0[k] = FN_MASKMUL(ge0[k], se0, k, de);
      ge1[k] = FN_MASKMUL(ge1[k], se1, k, de);
    }
  }
  const float *eh = pl->eh + (size_t)p * K;
  fn_vf q0 = ge0[0] * go0[0], q1 = ge1[0] * go1[0];
  w0[0] = q0 * eh[0];
  w1[0] = q1 * eh[0];
  _Pragma("GCC unroll 16")
  for (uint32_t k = 1; k + 1 < K; k++) {
    fn_vf g0 = ge0[k] * go0[k], g1 = ge1[k] * go1[k];
    w0[k] = g0 * eh[k];
    w1[k] = g1 * eh[k];
    q0 = q0 * g0;
    q1 = q1 * g1;
  }
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k + 1 < K; k++) {
    w0[k] = w0[k] * q0;
    w1[k] = w1[k] * q1;
  }
  w0[K - 1] = w1[K - 1] = FN_B(eh[K - 1]);
}
#endif

/* New states of position p for FN_VL lanes in mode LIN (constant). */
FN_T FN_INL fn_vu fn_potts_new(const tsu__fpplan *pl, uint32_t p,
                               const uint8_t *st, const uint8_t *s_nb,
                               const uint32_t K, const int LIN, fn_vu r16)
{
  fn_vf f[TSU_FASTPOTTS_MAX_K];
  /* every element set (dead stores for a constant K; for the variable
   * K of K > 8 it keeps the compiler's uninitialised-use check quiet) */
  _Pragma("GCC unroll 16")
  for (uint32_t k = 0; k < TSU_FASTPOTTS_MAX_K; k++)
    f[k] = (fn_vf){0};
  if (LIN) {
    fn_potts_lin(pl, p, st, s_nb, K, f);
    return fn_potts_draw_w(f, K, r16);
  }
  fn_potts_field(pl, p, st, s_nb, K, f);
  return fn_potts_draw(f, K, r16);
}

/* Positions per chunk of the Potts kernel (a multiple of 8). */
#define FN_PCH 64u

/* The Potts kernel for K and mode LIN (inlined once per constant K in
 * 2..8 and mode; once with a variable K for larger K). */
FN_T FN_INL void fn_potts_kernel_k(const tsu__fpplan *pl, uint8_t *st,
                                   uint32_t g, uint32_t color, uint64_t sweep,
                                   uint32_t *chg, const uint32_t K,
                                   const int LIN)
{
  uint32_t p0 = pl->start[color], p1 = pl->start[color + 1];
  uint64_t stream = TSU__FN_STREAM(pl->tag, sweep);
  fn_vu nchg[TSU__FN_W / FN_VL];
  for (uint32_t hv = 0; hv < TSU__FN_W; hv += FN_VL)
    nchg[hv / FN_VL] = (fn_vu){0};
  /* random words of a chunk of FN_PCH positions (FN_PCH / 8 blocks),
   * made before its updates (see FN_GCH) */
  fn_vu wb[FN_PCH / 8][4][TSU__FN_W / FN_VL];
  for (uint32_t C0 = p0; C0 < p1; C0 += FN_PCH) {
    uint32_t C1 = p1 - C0 < FN_PCH ? p1 : C0 + FN_PCH;
    for (uint32_t P = C0; P < C1; P += 8)
      for (uint32_t hv = 0; hv < TSU__FN_W; hv += FN_VL) {
        fn_vu w[4];
        fn_blocks_r(pl->rk, TSU__FN_W * g + hv, P, stream, w, 7);
        for (int q = 0; q < 4; q++)
          wb[(P - C0) / 8][q][hv / FN_VL] = w[q];
      }
    uint32_t p = C0;
#if FN_VL == 8
    if (LIN) {   /* one update at a time, both vectors of the group */
      for (; p < C1; p++) {
        const fn_vu *wp = wb[(p - C0) / 8][(p - C0) % 8 / 2];
        int hi = (p - C0) % 2;
        fn_vf w0[TSU_FASTPOTTS_MAX_K], w1[TSU_FASTPOTTS_MAX_K];
        _Pragma("GCC unroll 16")
        for (uint32_t k = 0; k < TSU_FASTPOTTS_MAX_K; k++)
          w0[k] = w1[k] = (fn_vf){0};
        fn_potts_lin2(pl, p, st, K, w0, w1);
        fn_vu r0 = hi ? wp[0] >> 16 : wp[0] & 0xFFFFu;
        fn_vu r1 = hi ? wp[1] >> 16 : wp[1] & 0xFFFFu;
        fn_vu s0 = fn_potts_draw_w(w0, K, r0);
        fn_vu s1 = fn_potts_draw_w(w1, K, r1);
        uint8_t *row = st + (size_t)pl->node[p] * TSU__FN_W;
        nchg[0] -= (fn_vu)(s0 != FN_LOAD_U8(row));
        nchg[1] -= (fn_vu)(s1 != FN_LOAD_U8(row + FN_VL));
        FN_STORE_U8(row, s0);
        FN_STORE_U8(row + FN_VL, s1);
      }
    }
#endif
    for (; p + 2 <= C1; p += 2) {   /* two independent updates at once */
      const fn_vu *wp = wb[(p - C0) / 8][(p - C0) % 8 / 2];
      for (uint32_t hv = 0; hv < TSU__FN_W; hv += FN_VL) {
        uint8_t *sth = st + hv;
        fn_vu ra = wp[hv / FN_VL] & 0xFFFFu, rb = wp[hv / FN_VL] >> 16;
        fn_vu sa = fn_potts_new(pl, p, sth, NULL, K, LIN, ra);
        fn_vu sb = fn_potts_new(pl, p + 1, sth, NULL, K, LIN, rb);
        uint8_t *rowa = sth + (size_t)pl->node[p] * TSU__FN_W;
        uint8_t *rowb = sth + (size_t)pl->node[p + 1] * TSU__FN_W;
        nchg[hv / FN_VL] -= (fn_vu)(sa != FN_LOAD_U8(rowa));
        nchg[hv / FN_VL] -= (fn_vu)(sb != FN_LOAD_U8(rowb));
        FN_STORE_U8(rowa, sa);
        FN_STORE_U8(rowb, sb);
      }
    }
    if (p < C1) {
      const fn_vu *wp = wb[(p - C0) / 8][(p - C0) % 8 / 2];
      for (uint32_t hv = 0; hv < TSU__FN_W; hv += FN_VL) {
        uint8_t *sth = st + hv;
        fn_vu r16 = wp[hv / FN_VL] & 0xFFFFu;
        fn_vu s = fn_potts_new(pl, p, sth, NULL, K, LIN, r16);
        uint8_t *row = sth + (size_t)pl->node[p] * TSU__FN_W;
        nchg[hv / FN_VL] -= (fn_vu)(s != FN_LOAD_U8(row));
        FN_STORE_U8(row, s);
      }
    }
  }
  for (uint32_t hv = 0; hv < TSU__FN_W; hv += FN_VL)
    for (uint32_t l = 0; l < FN_VL; l++)
      chg[hv + l] += nchg[hv / FN_VL][l];
}

/* The instances of K and mode: constant K in 2..8, else variable. */
#define FN_K_SWITCH(call_)                                                \
  switch (pl->K) {                                                        \
  case 2: if (pl->lin) call_(2, 1) else call_(2, 0) break;                \
  case 3: if (pl->lin) call_(3, 1) else call_(3, 0) break;                \
  case 4: if (pl->lin) call_(4, 1) else call_(4, 0) break;                \
  case 5: if (pl->lin) call_(5, 1) else call_(5, 0) break;                \
  case 6: if (pl->lin) call_(6, 1) else call_(6, 0) break;                \
  case 7: if (pl->lin) call_(7, 1) else call_(7, 0) break;                \
  case 8: if (pl->lin) call_(8, 1) else call_(8, 0) break;                \
  default: {                                                              \
    uint32_t kv_ = pl->K;                                                 \
    if (kv_ < 9 || kv_ > TSU_FASTPOTTS_MAX_K)                             \
      __builtin_unreachable();                                            \
    if (pl->lin) call_(kv_, 1) else call_(kv_, 0) break;                  \
  }                                                                       \
  }

FN_T static void fn_potts_kernel(const tsu__fpplan *pl, uint8_t *st,
                                 uint32_t g, uint32_t color, uint64_t sweep,
                                 uint32_t *chg)
{
#define FN_CALL(k_, lin_)                                                 \
  { fn_potts_kernel_k(pl, st, g, color, sweep, chg, (k_), (lin_)); }
  FN_K_SWITCH(FN_CALL)
#undef FN_CALL
}

FN_T FN_INL void fn_potts_probe_k(const tsu__fpplan *pl, uint32_t p,
                                  const uint8_t *s_nb, const uint16_t *r16,
                                  uint8_t *out, const uint32_t K,
                                  const int LIN)
{
  for (uint32_t hv = 0; hv < TSU__FN_W; hv += FN_VL) {
    fn_vu r;
    for (uint32_t l = 0; l < FN_VL; l++)
      r[l] = r16[hv + l];
    fn_vu s = fn_potts_new(pl, p, NULL, s_nb, K, LIN, r);
    for (uint32_t l = 0; l < FN_VL; l++)
      out[hv + l] = (uint8_t)s[l];
  }
}

FN_T static void fn_potts_probe(const tsu__fpplan *pl, uint32_t p,
                                const uint8_t *s_nb, const uint16_t *r16,
                                uint8_t *out)
{
#define FN_CALL(k_, lin_)                                                 \
  { fn_potts_probe_k(pl, p, s_nb, r16, out, (k_), (lin_)); }
  FN_K_SWITCH(FN_CALL)
#undef FN_CALL
}

/* Two standard normals per lane by Box-Muller from a 22-bit radius word
 * k and a 20-bit angle word c: u = (2 k + 1) 2^-23 in (0, 1),
 * r = sqrt(-2 ln u) (so r <= sqrt(46 ln 2) = 5.647); angle
 * theta = q pi/2 + phi with q = c >> 18 and phi = ((2 f + 1) 2^-18 - 1)
 * pi/4, f = the low 18 bits of c (2^20 angles, 6.0e-6 rad apart);
 * z0 = r cos theta, z1 = r sin theta.  ln u = e ln 2 + ln m with the
 * mantissa m in [sqrt(1/2), sqrt(2)) and ln m = t R(t), t = m - 1 exact,
 * R the degree-7 near-minimax of ln(1 + t)/t (relative error < 1.8e-7,
 * no division); sin by phi + phi^3 S(phi^2) (S of degree 2) and cos by
 * 1 + phi^2 C(phi^2) (C of degree 3), near-minimax on |phi| <= pi/4
 * (error < 2.3e-9 and < 1.7e-9 in exact arithmetic), the quadrant by
 * exact swaps and sign flips. */
FN_T FN_INL void fn_normal2(fn_vu k, fn_vu c, fn_vf *z0, fn_vf *z1)
{
  /* (2 k + 1) 2^-23 as k 2^-22 + 2^-23 in one fused operation: exact
   * (k < 2^22), so the same bits as the product of the odd integer */
  fn_vf u = fn_fma(__builtin_convertvector((fn_vi)k, fn_vf),
                   FN_B(1.0f / 4194304.0f), FN_B(1.0f / 8388608.0f));
  fn_vi bits = (fn_vi)u;
  fn_vi e = ((bits >> 23) & 0xFF) - 127;
  fn_vf m = (fn_vf)((bits & 0x7FFFFF) | 0x3F800000);
  fn_vi big = m > 1.41421356f;
  m = (fn_vf)(((fn_vi)(m * 0.5f) & big) | ((fn_vi)m & ~big));
  e = e - big;                  /* big is -1 where halved */
  fn_vf t = m - 1.0f;
  fn_vf R = fn_fma(t, FN_B(-0.103787117f), FN_B(0.163381502f));
  R = fn_fma(R, t, FN_B(-0.172124296f));
  R = fn_fma(R, t, FN_B(0.198842347f));
  R = fn_fma(R, t, FN_B(-0.249715596f));
  R = fn_fma(R, t, FN_B(0.333356082f));
  R = fn_fma(R, t, FN_B(-0.500003457f));
  R = fn_fma(R, t, FN_B(0.99999994f));
  fn_vf lnm = t * R;
  fn_vf ef = __builtin_convertvector(e, fn_vf);
  fn_vf lnu = fn_fma(ef, FN_B(0.693145752f),
                     fn_fma(ef, FN_B(1.42860677e-06f), lnm));
  fn_vf r = lnu * -2.0f;
  FN_SQRT(r);
  fn_vu fb = c & 0x3FFFFu;
  /* (2 f + 1) 2^-18 - 1 = f 2^-17 + (2^-18 - 1), exact either way (a
   * multiple of 2^-18 in (-1, 1)) */
  fn_vf v = fn_fma(__builtin_convertvector((fn_vi)fb, fn_vf),
                   FN_B(1.0f / 131072.0f), FN_B(1.0f / 262144.0f - 1.0f));
  fn_vf phi = v * 0.785398163f;
  fn_vf p2 = phi * phi;
  fn_vf sp = fn_fma(p2, FN_B(-0.000194956359f), FN_B(0.00833197869f));
  sp = fn_fma(sp, p2, FN_B(-0.166666508f));
  fn_vf sn = fn_fma(phi, p2 * sp, phi);
  fn_vf cp = fn_fma(p2, FN_B(2.43904506e-05f), FN_B(-0.00138867635f));
  cp = fn_fma(cp, p2, FN_B(0.0416666232f));
  cp = fn_fma(cp, p2, FN_B(-0.5f));
  fn_vf cs = fn_fma(p2, cp, FN_B(1.0f));
  fn_vu q = (c >> 18) & 3u;
  fn_vu sw = (fn_vu)((q & 1u) == 1u);
  fn_vu c0 = ((fn_vu)sn & sw) | ((fn_vu)cs & ~sw);
  fn_vu c1 = ((fn_vu)cs & sw) | ((fn_vu)sn & ~sw);
  c0 ^= ((q ^ (q >> 1)) & 1u) << 31;
  c1 ^= (q >> 1) << 31;
  *z0 = r * (fn_vf)c0;
  *z1 = r * (fn_vf)c1;
}

/* Six normals per lane from one Philox block w[0..3] (126 of its 128
 * bits): pair 0 from k = w0 >> 10, c = w1 >> 12; pair 1 from
 * k = w2 >> 10, c = w3 >> 12; pair 2 from k = (w0 mod 2^10) 2^12 +
 * (w1 mod 2^12), c = (w2 mod 2^10) 2^10 + (w3 mod 2^10).  z[2 j] is the
 * cosine branch of pair j, z[2 j + 1] its sine branch. */
FN_T FN_INL void fn_normal6(const fn_vu w[4], fn_vf z[6])
{
  fn_normal2(w[0] >> 10, w[1] >> 12, &z[0], &z[1]);
  fn_normal2(w[2] >> 10, w[3] >> 12, &z[2], &z[3]);
  fn_normal2(((w[0] & 0x3FFu) << 12) | (w[1] & 0xFFFu),
             ((w[2] & 0x3FFu) << 10) | (w[3] & 0x3FFu), &z[4], &z[5]);
}

/* Vectors per lane group. */
#define FN_NV (TSU__FN_W / FN_VL)

/* Conditional means of p for the FN_NV vectors of a lane group:
 * m[v] = (h + sum_j J_ij x_j) / a_i.  The sum runs in four partial sums
 * over the neighbours t = 0, 1, 2, .. of the table (t mod 4), added as
 * ((s0 + s1) + (s2 + s3)) + h: four independent add chains, the same
 * order on every path.  From the rows x (row i at x + 16 i) if x_nb is
 * NULL, else from x_nb (table order, the same in every lane).  Each table
 * entry (index and coupling) is read once for all vectors of the
 * group. */
FN_T FN_INL void fn_gauss_mean(const tsu__fgplan *pl, uint32_t p,
                               const float *x, const float *x_nb,
                               const int NB16, fn_vf m[FN_NV])
{
  fn_vf s[4][FN_NV];
  for (int t = 0; t < 4; t++)
    for (uint32_t v = 0; v < FN_NV; v++)
      s[t][v] = (fn_vf){0};
  uint32_t a0 = pl->off[p], a1 = pl->off[p + 1], a = a0;
#define FN_ACC(t_, a_)                                                    \
  do {                                                                    \
    fn_vf w_ = FN_B(pl->wq[(a_)]);                                        \
    if (x_nb == NULL) {                                                   \
      const float *r_ = x + (size_t)(NB16 ? pl->nb16[(a_)]                \
                                          : pl->nbr[(a_)]) * TSU__FN_W;   \
      for (uint32_t v_ = 0; v_ < FN_NV; v_++) {                           \
        fn_vf xj_;                                                        \
        memcpy(&xj_, r_ + v_ * FN_VL, sizeof xj_);                        \
        s[(t_)][v_] = fn_fma(xj_, w_, s[(t_)][v_]);                       \
      }                                                                   \
    } else {                                                              \
      for (uint32_t v_ = 0; v_ < FN_NV; v_++)                             \
        s[(t_)][v_] = fn_fma(FN_B(x_nb[(a_) - a0]), w_, s[(t_)][v_]);     \
    }                                                                     \
  } while (0)
  for (; a + 4 <= a1; a += 4) {
    FN_ACC(0, a);
    FN_ACC(1, a + 1);
    FN_ACC(2, a + 2);
    FN_ACC(3, a + 3);
  }
  if (a < a1)
    FN_ACC(0, a);
  if (a + 1 < a1)
    FN_ACC(1, a + 1);
  if (a + 2 < a1)
    FN_ACC(2, a + 2);
#undef FN_ACC
  for (uint32_t v = 0; v < FN_NV; v++) {
    fn_vf sum = ((s[0][v] + s[1][v]) + (s[2][v] + s[3][v])) + pl->hq[p];
    m[v] = sum * pl->inv_a[p];
  }
}

/* The normals of the six positions at P (all six, also past the
 * colour's end: they are not used there) for group g: one Philox block
 * per lane, counter (chain, P, stream). */
FN_T FN_INL void fn_gauss_hex(const tsu__fgplan *pl, uint32_t g, uint32_t P,
                              uint64_t stream, fn_vf z[6][FN_NV])
{
  for (uint32_t hv = 0; hv < TSU__FN_W; hv += FN_VL) {
    fn_vu w[4];
    fn_vf zz[6];
    fn_blocks_r(pl->rk, TSU__FN_W * g + hv, P, stream, w, 7);
    fn_normal6(w, zz);
    for (int j = 0; j < 6; j++)
      z[j][hv / FN_VL] = zz[j];
  }
}

/* The updates of positions P..P+nj-1 from their normals z; returns
 * the lanes that diverged. */
FN_T FN_INL fn_vi fn_gauss_upd(const tsu__fgplan *pl, float *x, uint32_t P,
                               uint32_t nj, fn_vf z[6][FN_NV],
                               const int NB16)
{
  fn_vi bad = (fn_vi){0};
  for (uint32_t j = 0; j < nj; j++) {
    uint32_t p = P + j;
    fn_vf m[FN_NV];
    fn_gauss_mean(pl, p, x, NULL, NB16, m);
    fn_vf sd = FN_B(pl->sd[p]);
    float *row = x + (size_t)pl->node[p] * TSU__FN_W;
    for (uint32_t v = 0; v < FN_NV; v++) {
      fn_vf nv = fn_fma(z[j][v], sd, m[v]);
      fn_vf av = (fn_vf)((fn_vu)nv & 0x7FFFFFFFu);
      bad |= ~(av <= TSU__FG_XMAX);
      memcpy(row + v * FN_VL, &nv, sizeof nv);
    }
  }
  return bad;
}

/* The Gaussian kernel, software-pipelined: the normals of the next six
 * positions are made while the updates of these six wait for their
 * neighbours' rows, so the long dependency chains of Philox and
 * Box-Muller overlap the memory latency of the updates. */
FN_T FN_INL int fn_gauss_kernel_t(const tsu__fgplan *pl, float *x,
                                  uint32_t g, uint32_t color, uint64_t sweep,
                                  const int NB16)
{
  uint32_t p0 = pl->start[color], p1 = pl->start[color + 1];
  uint64_t stream = TSU__FN_STREAM(pl->tag, sweep);
  fn_vi bad = (fn_vi){0};
  fn_vf zb[2][6][FN_NV];
  if (p0 < p1)
    fn_gauss_hex(pl, g, p0, stream, zb[0]);
  for (uint32_t P = p0, cur = 0; P < p1; P += 6, cur ^= 1) {
    uint32_t nj = p1 - P < 6 ? p1 - P : 6;
    if (P + 6 < p1)
      fn_gauss_hex(pl, g, P + 6, stream, zb[cur ^ 1]);
    if (nj == 6)                /* constant trip count: unrolled */
      bad |= fn_gauss_upd(pl, x, P, 6, zb[cur], NB16);
    else
      bad |= fn_gauss_upd(pl, x, P, nj, zb[cur], NB16);
  }
  int any = 0;
  for (uint32_t l = 0; l < FN_VL; l++)
    any |= bad[l] != 0;
  return any;
}

/* The kernel with 16-bit neighbour indices where the plan has them. */
FN_T static int fn_gauss_kernel(const tsu__fgplan *pl, float *x, uint32_t g,
                                uint32_t color, uint64_t sweep)
{
  if (pl->nb16 != NULL)
    return fn_gauss_kernel_t(pl, x, g, color, sweep, 1);
  return fn_gauss_kernel_t(pl, x, g, color, sweep, 0);
}

FN_T static float fn_gauss_mean_probe(const tsu__fgplan *pl, uint32_t p,
                                      const float *x_nb)
{
  fn_vf m[FN_NV];
  fn_gauss_mean(pl, p, NULL, x_nb, 0, m);
  return m[0][0];
}

FN_T static void fn_gauss_normal_probe(const uint32_t *w, float *out)
{
  for (uint32_t hv = 0; hv < TSU__FN_W; hv += FN_VL) {
    fn_vu vw[4];
    fn_vf z[6];
    for (int q = 0; q < 4; q++)
      memcpy(&vw[q], w + q * TSU__FN_W + hv, sizeof vw[q]);
    fn_normal6(vw, z);
    for (int j = 0; j < 6; j++)
      memcpy(out + j * TSU__FN_W + hv, &z[j], sizeof z[j]);
  }
}

const tsu__fn_path FN_PATH_VAR = {fn_potts_kernel, fn_gauss_kernel,
                                  fn_potts_probe, fn_gauss_mean_probe,
                                  fn_gauss_normal_probe, FN_PATH_NAME};
