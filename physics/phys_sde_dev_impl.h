/* phys_sde_dev_impl.h -- the devices of the native engine's batches
 * (included by physics/phys_sde_lanes_impl.h after its lanes struct):
 * the capacitance refresh, the EKV currents and partials, the noise
 * charges and normals, the stamping of the step's matrix and right-hand
 * side, and the supply energy of a step, for every lane at once.
 *
 * What differs per lane is done per lane: the exp / log1p of the EKV
 * interpolation function and the normals are the libm and tk_rng calls
 * one instance makes; a capacitance refresh evaluates phys_mos_caps for
 * the lanes whose terminals moved.
 */
#ifndef PHYS_SDE_DEV_IMPL_H
#define PHYS_SDE_DEV_IMPL_H

/* The capacitance refresh (phys_sde.h), per lane of act:
 * lanes whose device terminals moved by more than thr (all with thr < 0)
 * re-evaluate those devices; C of the free nodes is re-summed for every
 * lane when any lane changed (a lane whose matrices did not change sums
 * to the same bits). */
static void cap_matrix(lanes *g, int use_cv, double thr, unsigned act)
{
  const phys_cell *c = g->c0;
  const size_t nf = g->nf;
  int dirty = thr < 0;
  for (int l = 0; l < W && use_cv; l++) {
    if (!((act >> l) & 1u))
      continue;
    for (size_t k = 0; k < c->n_mos; k++) {
      const phys_mos *m = &g->cl[l]->mos[k];
      const int t[4] = {m->g, m->d, m->s, m->b};
      double mv = thr < 0 ? INFINITY : 0;
      for (int i = 0; i < 4 && mv <= thr; i++)
        mv = fmax(mv, fabs(g->v[(size_t)t[i] * W + l] -
                           g->dev_vcap[(4 * k + (size_t)i) * W + l]));
      if (mv <= thr)
        continue;
      phys_mos_qop q;
      tk_err e = {0};
      const double *v = g->v;
      if (phys_mos_caps(&m->p, &g->cvl[l][k], v[(size_t)m->g * W + l],
                        v[(size_t)m->d * W + l], v[(size_t)m->s * W + l],
                        v[(size_t)m->b * W + l], g->p->temp_K, &q,
                        &e) != 0) {
        lane_fail(g, l, &e);
        break;
      }
      for (int ij = 0; ij < 16; ij++)
        g->dev_c[(16 * k + (size_t)ij) * W + l] = (&q.c_F[0][0])[ij];
      for (int i = 0; i < 4; i++)
        g->dev_vcap[(4 * k + (size_t)i) * W + l] = g->v[(size_t)t[i] * W + l];
      dirty = 1;
    }
  }
  if (!dirty)
    return;
  memset(g->cm, 0, nf * nf * W * sizeof *g->cm);
  for (size_t i = 0; i < c->n_nodes; i++)
    if (g->fidx[i] >= 0) {
      size_t f = (size_t)g->fidx[i];
      ST(&g->cm[(f * nf + f) * W], LD(&g->cnode[i * W]));
    }
  for (size_t k = 0; use_cv && k < c->n_mos; k++) {
    const phys_mos *m = &c->mos[k];
    const int t[4] = {m->g, m->d, m->s, m->b};
    for (int i = 0; i < 4; i++) {
      int fi = g->fidx[t[i]];
      if (fi < 0)
        continue;
      for (int j = 0; j < 4; j++) {
        int fj = g->fidx[t[j]];
        if (fj < 0)
          continue;
        double *x = &g->cm[((size_t)fi * nf + (size_t)fj) * W];
        ST(x, LD(x) + LD(&g->dev_c[(16 * k + 4 * (size_t)i + (size_t)j) * W]));
      }
    }
  }
}

/* a[fa][fx] -= dt dIdV for free a, x: the matrix holds +dt G with
 * G = -dI/dV */
static inline void stamp(lanes *g, int node, int x, vd dIdV, vd dt)
{
  int fa = g->fidx[node], fx = g->fidx[x];
  if (fa >= 0 && fx >= 0) {
    double *p = &g->a[((size_t)fa * g->nf + (size_t)fx) * W];
    ST(p, LD(p) - dt * dIdV);
  }
}

/* F(2y) = ln^2(1 + e^y) and F'(2y) = ln(1 + e^y) / (1 + e^-y) of the EKV
 * interpolation (phys_ekv_F / phys_ekv_dF at x = 2y), per lane: one
 * libm exp and log1p each, the branches selects. */
static inline void ekv_f(vd y, vd *f, vd *df)
{
  vd e, lp;
  vd ny = -VABS(y);
  for (int l = 0; l < W; l++)
    LANE(e, l) = exp(LANE(ny, l));
  for (int l = 0; l < W; l++)
    LANE(lp, l) = log1p(LANE(e, l));
  vd sp = lp + SEL(VGT(y, BC(0.0)), y, BC(0.0));
  vd d = BC(1.0) + e;
#if SDE_W == 1
  vd lg = y >= 0 ? 1.0 / d : e / d;  /* one division */
#else
  vd lg = SEL(VGE(y, BC(0.0)), BC(1.0) / d, e / d);
#endif
  *f = sp * sp;
  *df = sp * lg;
}

/* The step's matrix C + dt G and right-hand side I dt + dQ at the present
 * voltages of every lane; zn [nd][W] the step's standard normals (NULL: no
 * noise). */
static void assemble(lanes *g, vd dt, const double *zn)
{
  const phys_cell *c = g->c0;
  const phys_sde_params *p = g->p;
  const size_t nf = g->nf;
  memcpy(g->a, g->cm, nf * nf * W * sizeof *g->a);
  memset(g->rhs, 0, nf * W * sizeof *g->rhs);
  const vd scale = BC(p->noise_scale);
  for (size_t k = 0; k < c->n_mos; k++) {
    const phys_mos *m = &c->mos[k];
    const lane_dev *dv0 = &g->dev[k];
    vd sgn = LD(dv0->sgn), vb = LD(&g->v[(size_t)m->b * W]);
    vd inv_n = LD(dv0->inv_n), inv_ut = LD(dv0->inv_ut),
       sigma = LD(dv0->sigma);
    vd vdb = sgn * (LD(&g->v[(size_t)m->d * W]) - vb);
    vd vsb = sgn * (LD(&g->v[(size_t)m->s * W]) - vb);
    vd vp = (sgn * (LD(&g->v[(size_t)m->g * W]) - vb) - LD(dv0->vth_V) +
             sigma * (vdb + vsb)) * inv_n;
    vd ff, dff, fr, dfr;
    ekv_f(BC(0.5) * (vp - vsb) * inv_ut, &ff, &dff);
    ekv_f(BC(0.5) * (vp - vdb) * inv_ut, &fr, &dfr);
    vd is = LD(dv0->is_A), id = sgn * is * (ff - fr);
    vd sg = sigma * inv_n, iu = is * inv_ut;
    vd dg = iu * inv_n * (dff - dfr);
    vd dd = iu * (dff * sg - dfr * (sg - BC(1.0)));
    vd ds = iu * (dff * (sg - BC(1.0)) - dfr * sg);
    vd db = -(dg + dd + ds);
    vd dq = BC(0.0);
    if (zn != NULL && m->noisy)
      dq = VSQRT(BC(PHYS_Q_C) * is * (dff + dfr) * dt * scale) *
           LD(&zn[k * W]);
    ST(&g->dev_i[k * W], id);
    ST(&g->dev_dq[k * W], dq);
    ST(&g->dev_g[(4 * k + 0) * W], dg);
    ST(&g->dev_g[(4 * k + 1) * W], dd);
    ST(&g->dev_g[(4 * k + 2) * W], ds);
    ST(&g->dev_g[(4 * k + 3) * W], db);
    int fd = g->fidx[m->d], fs = g->fidx[m->s];
    vd q = id * dt + dq;
    if (fd >= 0)
      ST(&g->rhs[(size_t)fd * W], LD(&g->rhs[(size_t)fd * W]) - q);
    if (fs >= 0)
      ST(&g->rhs[(size_t)fs * W], LD(&g->rhs[(size_t)fs * W]) + q);
    const int xs[4] = {m->g, m->d, m->s, m->b};
    const vd dvv[4] = {dg, dd, ds, db};
    for (int j = 0; j < 4; j++) {
      stamp(g, m->d, xs[j], -dvv[j], dt);
      stamp(g, m->s, xs[j], dvv[j], dt);
    }
  }
  for (size_t k = 0; k < c->n_res; k++) {
    const phys_res *r = &c->res[k];
    const size_t kd = c->n_mos + k;
    vd gg = LD(&g->res_g[k * W]);
    vd i = (LD(&g->v[(size_t)r->a * W]) - LD(&g->v[(size_t)r->b * W])) * gg;
    vd dq = BC(0.0);
    if (zn != NULL && r->noisy)
      dq = VSQRT(BC(0.5) * LD(&g->res_psd[k * W]) * dt * scale) *
           LD(&zn[kd * W]);
    ST(&g->dev_i[kd * W], i);
    ST(&g->dev_dq[kd * W], dq);
    ST(&g->dev_g[(4 * kd) * W], gg);
    ST(&g->dev_g[(4 * kd + 1) * W], -gg);
    int fa = g->fidx[r->a], fb = g->fidx[r->b];
    if (fa >= 0)
      ST(&g->rhs[(size_t)fa * W], LD(&g->rhs[(size_t)fa * W]) - (i * dt + dq));
    if (fb >= 0)
      ST(&g->rhs[(size_t)fb * W], LD(&g->rhs[(size_t)fb * W]) + (i * dt + dq));
    stamp(g, r->a, r->a, -gg, dt);
    stamp(g, r->a, r->b, gg, dt);
    stamp(g, r->b, r->a, gg, dt);
    stamp(g, r->b, r->b, -gg, dt);
  }
}

/* The energy the supply nodes deliver over the step just solved, for
 * every lane (g->rhs: dV; g->v: the voltages at the step's start): V
 * times each device's conducted charge, its linearised current over the
 * step plus its noise charge, and a supply terminal's displacement
 * charge C dV -- the charge the step itself moves (phys_sde.h, Supply
 * energy). */
static vd step_supply_energy(lanes *g, vd dt)
{
  const phys_cell *c = g->c0;
  vd e = BC(0.0);
  for (size_t u = 0; u < g->n_sup; u++) {
    const size_t k = g->sup[u];
    int t[4], nt, ta, tb;
    if (k < c->n_mos) {
      const phys_mos *m = &c->mos[k];
      t[0] = m->g; t[1] = m->d; t[2] = m->s; t[3] = m->b;
      nt = 4;
      ta = m->d;
      tb = m->s;
    } else {
      const phys_res *r = &c->res[k - c->n_mos];
      t[0] = ta = r->a;
      t[1] = tb = r->b;
      nt = 2;
    }
    vd dv[4] = {BC(0.0), BC(0.0), BC(0.0), BC(0.0)};
    for (int j = 0; j < nt; j++)
      if (g->fidx[t[j]] >= 0)
        dv[j] = LD(&g->rhs[(size_t)g->fidx[t[j]] * W]);
    if (c->nodes[ta].is_supply || c->nodes[tb].is_supply) {
      vd i = LD(&g->dev_i[k * W]);
      for (int j = 0; j < nt; j++)
        i += LD(&g->dev_g[(4 * k + (size_t)j) * W]) * dv[j];
      const vd q = i * dt + LD(&g->dev_dq[k * W]);
      if (c->nodes[ta].is_supply)
        e += LD(&g->v[(size_t)ta * W]) * q;
      if (c->nodes[tb].is_supply)
        e -= LD(&g->v[(size_t)tb * W]) * q;
    }
    if (!g->has_cv || k >= c->n_mos)
      continue;
    for (int r = 0; r < 4; r++) {
      if (!c->nodes[t[r]].is_supply)
        continue;
      vd dq = BC(0.0);
      for (int j = 0; j < 4; j++)
        dq += LD(&g->dev_c[(16 * k + 4 * (size_t)r + (size_t)j) * W]) * dv[j];
      e += LD(&g->v[(size_t)t[r] * W]) * dq;
    }
  }
  return e;
}

#endif
