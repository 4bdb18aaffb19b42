/* tsu_fastnode_potts_impl.h -- the fast Potts kernel's body (draw,
 * fields, linear and log modes, the chunked kernel and its probe), part
 * of tsu_fastnode_body_impl.h: included by it only, after its vector
 * helpers (fn_fma, fn_bcast, fn_philox_r, fn_exp2_neg); the path
 * macros and the precision contract are stated there.
 */
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
