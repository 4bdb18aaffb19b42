/* tsu_fastnode_gauss_impl.h -- the fast Gaussian kernel's body (six
 * normals per Philox block by Box-Muller, the conditional means, the
 * kernel and its probes), part of tsu_fastnode_body_impl.h: included by
 * it only, after its vector helpers; the path macros and the precision
 * contract are stated there.
 */
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
