/* phys_sde.c -- linearly-implicit Euler for small cells with device
 * charges (see phys_sde.h).
 *
 * Workload: 10^4-10^6 fixed steps of a cell with <= 64 free nodes and a
 * few tens of devices; per step one evaluation of every device (current,
 * its four partial derivatives, noise PSD), one dense LU of the free
 * nodes' matrix and one solve.  All scratch is allocated once per run.
 */
#include "physics/phys_sde.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "physics/phys_const.h"
#include "physics/phys_noise.h"

phys_sde_params phys_sde_default_params(void)
{
  phys_sde_params p;
  p.t_stop_s = 1e-6;
  p.sample_dt_s = 2e-9;
  p.dt_s = 0.5e-9;
  p.cap_refresh_V = 10e-3;
  p.temp_K = 300.0;
  p.seed = 1;
  p.noise = 1;
  p.noise_scale = 1;
  p.max_step_V = 0.1;
  return p;
}

int phys_sde_check(const phys_sde_params *p, tk_err *err)
{
  if (p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no solver parameters");
  if (!(p->t_stop_s > 0) || !isfinite(p->t_stop_s))
    return TK_FAIL(err, TK_ERANGE, "stop time %g s must be > 0", p->t_stop_s);
  if (!(p->sample_dt_s > 0) || !isfinite(p->sample_dt_s))
    return TK_FAIL(err, TK_ERANGE, "sample interval %g s must be > 0",
                   p->sample_dt_s);
  if (!(p->dt_s > 0) || !(p->dt_s <= p->sample_dt_s * (1 + 1e-12)))
    return TK_FAIL(err, TK_ERANGE, "step %g s must be in (0, sample interval]",
                   p->dt_s);
  if (p->t_stop_s / p->dt_s > 1e12)
    return TK_FAIL(err, TK_ERANGE, "more than 1e12 steps");
  if (!(p->cap_refresh_V > 0) || !isfinite(p->cap_refresh_V))
    return TK_FAIL(err, TK_ERANGE, "capacitance refresh %g V must be > 0",
                   p->cap_refresh_V);
  if (!(p->temp_K > 0) || !isfinite(p->temp_K))
    return TK_FAIL(err, TK_ERANGE, "temperature %g K must be > 0", p->temp_K);
  if (!(p->noise_scale > 0) || !isfinite(p->noise_scale))
    return TK_FAIL(err, TK_ERANGE, "noise scale %g must be > 0",
                   p->noise_scale);
  if (!(p->max_step_V > 0))
    return TK_FAIL(err, TK_ERANGE, "largest move per step %g V must be > 0",
                   p->max_step_V);
  return TK_OK;
}

/* Per-MOSFET constants at the run's temperature (phys_mosfet.c's
 * equations with V_TH(T), I_S(T) and U_T evaluated once). */
typedef struct sde_dev {
  double sgn;           /* +1 NMOS, -1 PMOS */
  double vth_V;         /* threshold at temp_K */
  double is_A;          /* specific current at temp_K */
  double inv_n;         /* 1 / n */
  double inv_ut;        /* 1 / U_T */
  double sigma;         /* DIBL */
} sde_dev;

/* F(2y) = ln^2(1 + e^y) and F'(2y) = ln(1 + e^y) / (1 + e^-y), one exp
 * and one log1p (phys_ekv_F / phys_ekv_dF at x = 2y). */
static inline void ekv_f(double y, double *f, double *df)
{
  double e = exp(-fabs(y));
  double sp = log1p(e) + (y > 0 ? y : 0.0);
  double lg = y >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  *f = sp * sp;
  *df = sp * lg;
}

typedef struct sde_work {
  sde_dev *dev;         /* [n_mos] device constants */
  int *fidx;            /* [n_nodes] free index of a node, or -1 */
  double *v;            /* [n_nodes] voltages now */
  double *dev_c;        /* [n_mos][4][4] each device's last C matrix */
  double *dev_vcap;     /* [n_mos][4] its terminal voltages then */
  double *rhs;          /* [nf] I dt + dQ, then dV */
  double *cm;           /* [nf*nf] C of the free nodes (row-major) */
  double *a;            /* [nf*nf] C + dt G, factorised in place */
  int *piv;             /* [nf] pivot rows */
  double *dev_i;        /* [nd] device current a -> b (deterministic), A */
  double *dev_dq;       /* [nd] noise charge a -> b this step, C */
  double *dev_g;        /* [nd][4] d dev_i / dV of its terminals (MOSFET:
                           g, d, s, b; resistor: a, b), A/V */
  size_t *sup;          /* [n_sup] the devices with a terminal on a supply */
  size_t n_sup;
  double *z;            /* [2 nd] normals of the current block */
  double *zs;           /* [(PHYS_SDE_MAX_DEPTH + 1) nd] each refinement
                           level's standard normals per device */
  size_t refined;       /* steps taken as halves (any depth) */
} sde_work;

static void work_free(sde_work *w)
{
  free(w->dev);
  free(w->fidx);
  free(w->v);
  free(w->dev_c);
  free(w->dev_vcap);
  free(w->rhs);
  free(w->cm);
  free(w->a);
  free(w->piv);
  free(w->zs);
  free(w->dev_i);
  free(w->dev_dq);
  free(w->dev_g);
  free(w->sup);
  free(w->z);
}

/* Re-evaluate the capacitance matrix of every device whose terminals
 * moved by more than thr since its last evaluation (all with thr < 0),
 * and C of the free nodes (node capacitors plus the device matrices) when
 * any did. */
static int cap_matrix(const phys_cell *c, const phys_mos_cv *cv,
                      const phys_sde_params *p, size_t nf, double thr,
                      sde_work *w, tk_err *err)
{
  int dirty = thr < 0;
  for (size_t k = 0; cv != NULL && k < c->n_mos; k++) {
    const phys_mos *m = &c->mos[k];
    const int t[4] = {m->g, m->d, m->s, m->b};
    double mv = thr < 0 ? INFINITY : 0;
    for (int i = 0; i < 4 && mv <= thr; i++)
      mv = fmax(mv, fabs(w->v[t[i]] - w->dev_vcap[4 * k + (size_t)i]));
    if (mv <= thr)
      continue;
    phys_mos_qop q;
    TK_TRY(phys_mos_caps(&m->p, &cv[k], w->v[m->g], w->v[m->d], w->v[m->s],
                         w->v[m->b], p->temp_K, &q, err));
    memcpy(&w->dev_c[16 * k], q.c_F, 16 * sizeof(double));
    for (int i = 0; i < 4; i++)
      w->dev_vcap[4 * k + (size_t)i] = w->v[t[i]];
    dirty = 1;
  }
  if (!dirty)
    return TK_OK;
  memset(w->cm, 0, nf * nf * sizeof *w->cm);
  for (size_t i = 0; i < c->n_nodes; i++)
    if (w->fidx[i] >= 0)
      w->cm[(size_t)w->fidx[i] * nf + (size_t)w->fidx[i]] = c->nodes[i].c_F;
  for (size_t k = 0; cv != NULL && k < c->n_mos; k++) {
    const phys_mos *m = &c->mos[k];
    const int t[4] = {m->g, m->d, m->s, m->b};
    for (int i = 0; i < 4; i++) {
      int fi = w->fidx[t[i]];
      if (fi < 0)
        continue;
      for (int j = 0; j < 4; j++) {
        int fj = w->fidx[t[j]];
        if (fj >= 0)
          w->cm[(size_t)fi * nf + (size_t)fj] += w->dev_c[16 * k + 4 * (size_t)i + (size_t)j];
      }
    }
  }
  return TK_OK;
}

/* LU with partial pivoting of a[n*n] in place; -1 if singular. */
static int lu(double *a, int *piv, size_t n)
{
  for (size_t k = 0; k < n; k++) {
    size_t pr = k;
    double best = fabs(a[k * n + k]);
    for (size_t i = k + 1; i < n; i++)
      if (fabs(a[i * n + k]) > best) {
        best = fabs(a[i * n + k]);
        pr = i;
      }
    if (!(best > 0))
      return -1;
    piv[k] = (int)pr;
    if (pr != k)
      for (size_t j = 0; j < n; j++) {
        double tmp = a[k * n + j];
        a[k * n + j] = a[pr * n + j];
        a[pr * n + j] = tmp;
      }
    double inv = 1.0 / a[k * n + k];
    for (size_t i = k + 1; i < n; i++) {
      double f = a[i * n + k] * inv;
      a[i * n + k] = f;
      if (f != 0)
        for (size_t j = k + 1; j < n; j++)
          a[i * n + j] -= f * a[k * n + j];
    }
  }
  return 0;
}

static void lu_solve(const double *a, const int *piv, size_t n, double *b)
{
  for (size_t k = 0; k < n; k++) {
    size_t pr = (size_t)piv[k];
    if (pr != k) {
      double tmp = b[k];
      b[k] = b[pr];
      b[pr] = tmp;
    }
    for (size_t i = k + 1; i < n; i++)
      b[i] -= a[i * n + k] * b[k];
  }
  for (size_t k = n; k-- > 0;) {
    double s = b[k];
    for (size_t j = k + 1; j < n; j++)
      s -= a[k * n + j] * b[j];
    b[k] = s / a[k * n + k];
  }
}

/* Add dI_a/dV_x = -g to a[fa][fx] for free a, x: the matrix holds +dt G
 * with G = -dI/dV. */
static void stamp(double *a, const int *fidx, size_t nf, int node, int x,
                  double dIdV, double dt)
{
  int fa = fidx[node], fx = fidx[x];
  if (fa >= 0 && fx >= 0)
    a[(size_t)fa * nf + (size_t)fx] -= dt * dIdV;
}

/* w->a = C + dt G and w->rhs = I dt + dQ at w->v (noise: draw dQ). */
/* The step's matrix C + dt G and right-hand side I dt + dQ at the
 * present voltages; zn[k] is device k's standard normal for this step
 * (NULL: no noise). */
static void assemble(const phys_cell *c, const phys_sde_params *p, size_t nf,
                     double dt, const double *zn, sde_work *w)
{
  memcpy(w->a, w->cm, nf * nf * sizeof *w->a);
  memset(w->rhs, 0, nf * sizeof *w->rhs);
  for (size_t k = 0; k < c->n_mos; k++) {
    const phys_mos *m = &c->mos[k];
    const sde_dev *dv0 = &w->dev[k];
    double sgn = dv0->sgn, vb = w->v[m->b];
    double vdb = sgn * (w->v[m->d] - vb), vsb = sgn * (w->v[m->s] - vb);
    double vp = (sgn * (w->v[m->g] - vb) - dv0->vth_V +
                 dv0->sigma * (vdb + vsb)) * dv0->inv_n;
    double ff, dff, fr, dfr;
    ekv_f(0.5 * (vp - vsb) * dv0->inv_ut, &ff, &dff);
    ekv_f(0.5 * (vp - vdb) * dv0->inv_ut, &fr, &dfr);
    double is = dv0->is_A, id = sgn * is * (ff - fr);
    /* signed partials of id (drain -> source), frame-free */
    double sg = dv0->sigma * dv0->inv_n, iu = is * dv0->inv_ut;
    double dg = iu * dv0->inv_n * (dff - dfr);
    double dd = iu * (dff * sg - dfr * (sg - 1.0));
    double ds = iu * (dff * (sg - 1.0) - dfr * sg);
    double db = -(dg + dd + ds);
    double dq = 0;
    if (zn != NULL && m->noisy)
      dq = sqrt(PHYS_Q_C * is * (dff + dfr) * dt * p->noise_scale) * zn[k];
    w->dev_i[k] = id;
    w->dev_dq[k] = dq;
    memcpy(&w->dev_g[4 * k], (const double[4]){dg, dd, ds, db},
           4 * sizeof(double));
    int fd = w->fidx[m->d], fs = w->fidx[m->s];
    double q = id * dt + dq; /* charge drain -> source */
    if (fd >= 0)
      w->rhs[fd] -= q;
    if (fs >= 0)
      w->rhs[fs] += q;
    /* node d receives -id, node s receives +id */
    const int xs[4] = {m->g, m->d, m->s, m->b};
    const double dv[4] = {dg, dd, ds, db};
    for (int j = 0; j < 4; j++) {
      stamp(w->a, w->fidx, nf, m->d, xs[j], -dv[j], dt);
      stamp(w->a, w->fidx, nf, m->s, xs[j], dv[j], dt);
    }
  }
  for (size_t k = 0; k < c->n_res; k++) {
    const phys_res *r = &c->res[k];
    double g = 1.0 / r->r_ohm, i = (w->v[r->a] - w->v[r->b]) * g, dq = 0;
    if (zn != NULL && r->noisy)
      dq = sqrt(0.5 * phys_noise_resistor_psd(r->r_ohm, p->temp_K) * dt *
                p->noise_scale) *
           zn[c->n_mos + k];
    w->dev_i[c->n_mos + k] = i;
    w->dev_dq[c->n_mos + k] = dq;
    w->dev_g[4 * (c->n_mos + k)] = g;
    w->dev_g[4 * (c->n_mos + k) + 1] = -g;
    int fa = w->fidx[r->a], fb = w->fidx[r->b];
    if (fa >= 0)
      w->rhs[fa] -= i * dt + dq;
    if (fb >= 0)
      w->rhs[fb] += i * dt + dq;
    stamp(w->a, w->fidx, nf, r->a, r->a, -g, dt);
    stamp(w->a, w->fidx, nf, r->a, r->b, g, dt);
    stamp(w->a, w->fidx, nf, r->b, r->a, g, dt);
    stamp(w->a, w->fidx, nf, r->b, r->b, -g, dt);
  }
}

/* The noise-free operating point from the nodes' initial voltages:
 * linearly-implicit Euler on the node capacitors alone (pseudo-transient
 * continuation; at large steps each step is a Newton step), the step
 * doubling from 1 ns while no node moves by more than 50 mV and halving
 * when one does (a node's move is clamped to 0.2 V), until no free node
 * moves by 1 nV at a step above 1 ms.  A regenerative digitiser right at
 * its trip point can keep it from settling (measured: the pbit at -40 C,
 * 0.196 V): after 2000 steps the run starts from the last iterate, a
 * point of the deterministic trajectory. */
static int dc_op(const phys_cell *c, const phys_sde_params *p, size_t nf,
                 sde_work *w, tk_err *err)
{
  TK_TRY(cap_matrix(c, NULL, p, nf, -1.0, w, err));
  double dt = 1e-9;
  for (int it = 0; it < 2000; it++) {
    assemble(c, p, nf, dt, NULL, w);
    if (lu(w->a, w->piv, nf) != 0)
      return TK_FAIL(err, TK_ENUMERIC, "singular matrix at the operating point");
    lu_solve(w->a, w->piv, nf, w->rhs);
    double mv = 0;
    for (size_t i = 0; i < c->n_nodes; i++) {
      if (w->fidx[i] < 0)
        continue;
      double d = w->rhs[w->fidx[i]];
      if (fabs(d) > 0.2)
        d = d > 0 ? 0.2 : -0.2;
      w->v[i] += d;
      mv = fmax(mv, fabs(d));
    }
    if (mv < 1e-9 && dt > 1e-3)
      return TK_OK;
    if (mv > 0.05 && dt > 1e-12)
      dt *= 0.5;
    else if (dt < 1e3)
      dt *= 2;
  }
  return TK_OK;
}

/* The energy the supply nodes deliver over the step just solved (w->rhs
 * holds dV of the free nodes, w->v the voltages at the step's start):
 * V_supply times the charge that leaves each supply node, consistent with
 * the step the integrator took.  A device's conducted charge is its
 * linearised current over the step plus its noise charge,
 *     q_k = (I_k(V_n) + sum_j dI_k/dV_j dV_j) dt + dQ_k,
 * exactly the charge the step moves through it (the step solves
 * C dV = sum_k q_k at every free node), so the supply's charge equals the
 * change of the charge stored on the free nodes plus what the devices
 * conduct elsewhere, to rounding; a device terminal on a supply node
 * also draws its displacement charge sum_j C_tj dV_j (device charges,
 * cv != NULL).  The start-of-step current I_k(V_n) dt alone is wrong
 * where dt G / C is large (a digitiser node at a rail): it misstates a
 * relaxing step's charge by up to a factor 1 + dt G / C. */
static double step_supply_energy(const phys_cell *c, const phys_mos_cv *cv,
                                 double dt, const sde_work *w)
{
  double e = 0;
  for (size_t u = 0; u < w->n_sup; u++) {
    const size_t k = w->sup[u];
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
    double dv[4] = {0, 0, 0, 0};
    for (int j = 0; j < nt; j++)
      if (w->fidx[t[j]] >= 0)
        dv[j] = w->rhs[w->fidx[t[j]]];
    if (c->nodes[ta].is_supply || c->nodes[tb].is_supply) {
      double i = w->dev_i[k];
      for (int j = 0; j < nt; j++)
        i += w->dev_g[4 * k + (size_t)j] * dv[j];
      const double q = i * dt + w->dev_dq[k]; /* charge a -> b */
      if (c->nodes[ta].is_supply)
        e += c->nodes[ta].v_V * q;
      if (c->nodes[tb].is_supply)
        e -= c->nodes[tb].v_V * q;
    }
    if (cv == NULL || k >= c->n_mos)
      continue;
    for (int r = 0; r < 4; r++) {
      if (!c->nodes[t[r]].is_supply)
        continue;
      double dq = 0;
      for (int j = 0; j < 4; j++)
        dq += w->dev_c[16 * k + 4 * (size_t)r + (size_t)j] * dv[j];
      e += c->nodes[t[r]].v_V * dq;
    }
  }
  return e;
}

/* Stream of the Brownian-bridge normals (refined steps). */
#define SDE_BRIDGE_STREAM 0xB41D6E5EED5A17C3ull
#define SDE_SQRT2 1.4142135623730950488

/* One step of length h from the present voltages with normals zn (NULL:
 * no noise).  Taken when its matrix factorises, every free node's move is
 * finite and none exceeds p->max_step_V; otherwise redone as two half
 * steps whose normals are the Brownian bridge of zn: z1 = (zn + x) / sqrt 2,
 * z2 = (zn - x) / sqrt 2 with x ~ N(0, 1) (the same noise path, refined),
 * x from stream SDE_BRIDGE_STREAM at counter (step << 12) | node, node
 * the step's place in its binary tree of halves (1 the whole step).  At
 * depth PHYS_SDE_MAX_DEPTH a finite step is taken whatever its move; a
 * singular or non-finite one there is the error.  *dv_max gets the
 * largest move taken. */
static int sde_step(const phys_cell *c, const phys_mos_cv *cv,
                    const phys_sde_params *p, size_t nf, double h,
                    const double *zn, uint64_t step, unsigned depth,
                    uint64_t node, double t_s, sde_work *w, double *energy,
                    tk_err *err)
{
  size_t nn = c->n_nodes, nd = c->n_mos + c->n_res;
  /* refresh the devices whose terminals moved far enough */
  if (cv != NULL)
    TK_TRY(cap_matrix(c, cv, p, nf, p->cap_refresh_V, w, err));
  assemble(c, p, nf, h, zn, w);
  int singular = lu(w->a, w->piv, nf) != 0, bad = singular;
  double mv = 0;
  size_t worst = 0;
  if (!singular) {
    lu_solve(w->a, w->piv, nf, w->rhs);
    for (size_t i = 0; i < nn; i++) {
      if (w->fidx[i] < 0)
        continue;
      double d = fabs(w->rhs[w->fidx[i]]);
      if (!(d <= mv)) {   /* NaN too */
        mv = d;
        worst = i;
      }
    }
    bad = !isfinite(mv);
  }
  if (!bad && (mv <= p->max_step_V || depth == PHYS_SDE_MAX_DEPTH)) {
    *energy += step_supply_energy(c, cv, h, w);
    for (size_t i = 0; i < nn; i++)
      if (w->fidx[i] >= 0)
        w->v[i] += w->rhs[w->fidx[i]];
    return TK_OK;
  }
  if (depth == PHYS_SDE_MAX_DEPTH)
    return singular ? TK_FAIL(err, TK_ENUMERIC, "singular step matrix at t "
                              "= %g s (step refined %u times)", t_s, depth)
                    : TK_FAIL(err, TK_ENUMERIC, "node %s became %g V at t = "
                              "%g s (step refined %u times)",
                              c->nodes[worst].name, w->v[worst] + mv, t_s,
                              depth);
  if (depth == 0)
    w->refined++;
  double *z = w->zs + (size_t)(depth + 1) * (nd ? nd : 1);
  for (int half = 0; half < 2; half++) {
    if (zn != NULL)
      for (size_t k = 0; k < nd; k++) {
        if (half == 0) {
          double x[2];
          tk_rng_gauss2_at(p->seed ^ SDE_BRIDGE_STREAM, (uint64_t)k,
                           (step << 12) | node, x);
          z[k] = (zn[k] + x[0]) * (1 / SDE_SQRT2);
        } else {
          z[k] = SDE_SQRT2 * zn[k] - z[k];   /* z1 + z2 = sqrt 2 zn */
        }
      }
    TK_TRY(sde_step(c, cv, p, nf, 0.5 * h, zn != NULL ? z : NULL, step,
                    depth + 1, 2 * node + (uint64_t)half,
                    t_s + 0.5 * h * half, w, energy, err));
  }
  return TK_OK;
}

int phys_sde_run(const phys_cell *c, const phys_mos_cv *cv,
                 const phys_sde_params *p, phys_lgv_result *out, tk_err *err)
{
  memset(out, 0, sizeof *out);
  TK_TRY(phys_sde_check(p, err));
  TK_TRY(phys_cell_check(c, err));
  for (size_t k = 0; cv != NULL && k < c->n_mos; k++) {
    tk_err sub = {0};
    if (phys_mos_cv_check(&cv[k], &sub) != 0)
      return TK_FAIL(err, sub.status, "device %s: %s", c->mos[k].name, sub.msg);
  }
  size_t nn = c->n_nodes, nd = c->n_mos + c->n_res, nf = 0;
  for (size_t i = 0; i < nn; i++)
    nf += !c->nodes[i].fixed;
  if (nf == 0 || nf > PHYS_SDE_MAX_FREE)
    return TK_FAIL(err, TK_ERANGE, "%zu free nodes (1..%d)", nf,
                   PHYS_SDE_MAX_FREE);
  size_t ns = (size_t)floor(p->t_stop_s / p->sample_dt_s + 1e-9) + 1;
  size_t per = (size_t)llround(p->sample_dt_s / p->dt_s);
  if (per < 1 || fabs((double)per * p->dt_s - p->sample_dt_s) > 1e-9 * p->sample_dt_s)
    return TK_FAIL(err, TK_ERANGE, "sample interval %g s is not a multiple "
                   "of the step %g s", p->sample_dt_s, p->dt_s);
  sde_work w;
  memset(&w, 0, sizeof w);
  w.dev = malloc((c->n_mos ? c->n_mos : 1) * sizeof *w.dev);
  w.fidx = malloc(nn * sizeof *w.fidx);
  w.v = malloc(nn * sizeof *w.v);
  w.dev_c = malloc(16 * (c->n_mos ? c->n_mos : 1) * sizeof *w.dev_c);
  w.dev_vcap = malloc(4 * (c->n_mos ? c->n_mos : 1) * sizeof *w.dev_vcap);
  w.rhs = malloc(nf * sizeof *w.rhs);
  w.cm = malloc(nf * nf * sizeof *w.cm);
  w.a = malloc(nf * nf * sizeof *w.a);
  w.piv = malloc(nf * sizeof *w.piv);
  w.dev_i = malloc((nd + 1) * sizeof *w.dev_i);
  w.dev_dq = malloc((nd + 1) * sizeof *w.dev_dq);
  w.dev_g = malloc(4 * (nd + 1) * sizeof *w.dev_g);
  w.sup = malloc((nd + 1) * sizeof *w.sup);
  w.z = malloc(2 * (nd + 1) * sizeof *w.z);
  w.zs = malloc((PHYS_SDE_MAX_DEPTH + 2) * (nd + 1) * sizeof *w.zs);
  out->time_s = malloc(ns * sizeof *out->time_s);
  out->v_V = malloc(ns * nn * sizeof *out->v_V);
  if (!w.dev || !w.fidx || !w.v || !w.dev_c || !w.dev_vcap || !w.rhs || !w.cm || !w.a || !w.piv ||
      !w.dev_i || !w.dev_dq || !w.dev_g || !w.sup || !w.z || !w.zs ||
      !out->time_s || !out->v_V) {
    work_free(&w);
    phys_lgv_result_free(out);
    return TK_FAIL(err, TK_ENOMEM, "out of memory for %zu samples x %zu nodes",
                   ns, nn);
  }
  out->n_samples = ns;
  out->n_nodes = nn;
  nf = 0;
  for (size_t i = 0; i < nn; i++) {
    w.fidx[i] = c->nodes[i].fixed ? -1 : (int)nf++;
    w.v[i] = c->nodes[i].v_V;
    out->v_V[i * ns] = w.v[i];
  }
  for (size_t k = 0; k < nd; k++) {
    int sup;
    if (k < c->n_mos) {
      const phys_mos *m = &c->mos[k];
      sup = c->nodes[m->g].is_supply || c->nodes[m->d].is_supply ||
            c->nodes[m->s].is_supply || c->nodes[m->b].is_supply;
    } else {
      const phys_res *r = &c->res[k - c->n_mos];
      sup = c->nodes[r->a].is_supply || c->nodes[r->b].is_supply;
    }
    if (sup)
      w.sup[w.n_sup++] = k;
  }
  for (size_t k = 0; k < c->n_mos; k++) {
    const phys_mos_params *mp = &c->mos[k].p;
    double ut = phys_vt_V(p->temp_K);
    w.dev[k].sgn = mp->type == PHYS_PMOS ? -1.0 : 1.0;
    w.dev[k].vth_V = mp->vth0_V + mp->tc_vth_V_per_K * (p->temp_K - mp->tnom_K);
    w.dev[k].is_A = 2.0 * mp->n * mp->kp_A_per_V2 *
                    pow(p->temp_K / mp->tnom_K, mp->mu_exp) *
                    (mp->w_m / mp->l_m) * ut * ut;
    w.dev[k].inv_n = 1.0 / mp->n;
    w.dev[k].inv_ut = 1.0 / ut;
    w.dev[k].sigma = mp->sigma_dibl;
  }
  int rc = dc_op(c, p, nf, &w, err);
  for (size_t i = 0; i < nn; i++)
    out->v_V[i * ns] = w.v[i];
  out->time_s[0] = 0;
  if (rc == 0)
    rc = cap_matrix(c, cv, p, nf, -1.0, &w, err);
  const double dt = p->dt_s;
  double energy = 0;
  uint64_t step = 0;
  for (size_t smp = 1; smp < ns && rc == 0; smp++) {
    for (size_t sub = 0; sub < per && rc == 0; sub++, step++) {
      const double *zn = NULL;
      if (p->noise) {
        if ((step & 1) == 0)
          for (size_t k = 0; k < nd; k++)
            tk_rng_gauss2_at(p->seed, (uint64_t)k, step >> 1, &w.z[2 * k]);
        for (size_t k = 0; k < nd; k++)
          w.zs[k] = w.z[2 * k + (step & 1)];
        zn = w.zs;
      }
      rc = sde_step(c, cv, p, nf, dt, zn, step, 0, 1, (double)step * dt, &w,
                    &energy, err);
    }
    if (rc != 0)
      break;
    for (size_t i = 0; i < nn; i++)
      out->v_V[i * ns + smp] = w.v[i];
    out->time_s[smp] = (double)smp * p->sample_dt_s;
  }
  work_free(&w);
  if (rc != 0) {
    phys_lgv_result_free(out);
    return rc;
  }
  out->energy_J = energy;
  out->steps = (double)step;
  out->refined_steps = (double)w.refined;
  return TK_OK;
}
