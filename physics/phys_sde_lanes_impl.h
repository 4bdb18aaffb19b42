/* phys_sde_lanes_impl.h -- the integrator of phys_sde.h over SDE_W
 * instances at once, one per vector lane (included by phys_sde_w1.c with
 * SDE_W 1, by phys_sde_w4.c with SDE_W 4 and by phys_sde_w4_avx2.c with
 * SDE_W 4 and the AVX2 target; SDE_FN names the instantiation's entry
 * point).
 *
 * Workload: W instances of one topology (same nodes, devices and
 * terminals; any values) advance in lockstep, 10^4-10^6 fixed steps; per
 * step every device's current, partials and noise charge, the stamping of
 * the dense free-node matrix, its LU with partial pivoting and the solve
 * are done for all lanes with element-wise vector operations (GCC vector
 * extensions: the arrays keep the lane innermost, element [x][l] at
 * x * W + l).  What differs per lane is done per lane: the exp / log1p of
 * the EKV interpolation function and the normals (the same libm and
 * tk_rng calls as one instance makes), the pivot rows and their swaps,
 * the capacitance refresh (phys_mos_caps where a lane's terminals moved),
 * the largest move, the refinement of a step, the operating point's own
 * step size and convergence.
 *
 * Bit-identity with one instance at a time: every lane performs exactly
 * the IEEE operations, in the same order, that the one-lane instantiation
 * performs for that instance (element-wise vector arithmetic rounds as the
 * scalar operation does; no FMA contraction: the file is compiled without
 * FMA and with fp-contract off; selects replace the branches, computing
 * both sides).  A lane's refinement recurses with an active-lane mask:
 * the other lanes are computed too and left untouched.
 * tests/test_phys_sde.c and tests/test_ckt_native.c hold batches against
 * one-at-a-time runs bit for bit, on every path.
 *
 * A lane that fails (singular matrix at the finest refinement, a
 * non-finite move, a capacitance evaluation error) stops there with its
 * own error; the other lanes go on.
 *
 * Three parts: the lane arithmetic and the LU (phys_sde_vec_impl.h), the
 * devices -- capacitance refresh, currents, noise, stamping, supply
 * energy (phys_sde_dev_impl.h) -- and here the run's state, the operating
 * point, the step with its refinement and the run.
 */
#ifndef SDE_W
#error "define SDE_W (lanes) and SDE_FN before including this file"
#endif

#define W SDE_W
#ifndef SDE_LINKAGE
#define SDE_LINKAGE
#endif

#include "physics/phys_sde_vec_impl.h"

/* Per-lane constants of one MOSFET at the run's temperature. */
typedef struct {
  double sgn[W], vth_V[W], is_A[W], inv_n[W], inv_ut[W], sigma[W];
} lane_dev;

typedef struct lanes {
  const phys_cell *c0;          /* lane 0's cell: the shared topology */
  const phys_cell *cl[W];       /* each lane's cell */
  const phys_mos_cv *cvl[W];    /* each lane's charge parameters (or NULL) */
  int has_cv;
  const phys_sde_params *p;     /* lane 0's parameters (all but seed shared) */
  uint64_t seed[W];
  size_t nn, nd, nf;
  unsigned alive;               /* lanes not failed */
  int *rc;                      /* [W] each lane's status */
  tk_err *err;                  /* [W] each lane's error */
  lane_dev *dev;                /* [n_mos] */
  double *res_g;                /* [n_res][W] 1 / R */
  double *res_psd;              /* [n_res][W] 4kT/R */
  double *cnode;                /* [nn][W] node capacitors */
  int *fidx;                    /* [nn] free index or -1 */
  double *v;                    /* [nn][W] */
  double *dev_c;                /* [n_mos][16][W] */
  double *dev_vcap;             /* [n_mos][4][W] */
  double *rhs;                  /* [nf][W] */
  double *cm;                   /* [nf*nf][W] */
  double *a;                    /* [nf*nf][W] */
  int *piv;                     /* [nf][W] */
  double *dev_i, *dev_dq;       /* [nd][W] */
  double *dev_g;                /* [nd][4][W] */
  size_t *sup;                  /* [n_sup] */
  size_t n_sup;
  double *z;                    /* [2 nd][W] */
  double *zs;                   /* [(MAX_DEPTH + 2) nd][W] */
  double refined[W];
  double energy[W];
} lanes;

static void lane_fail(lanes *g, int l, const tk_err *e)
{
  if (!((g->alive >> l) & 1u))
    return;
  g->alive &= ~(1u << l);
  g->rc[l] = e->status != 0 ? e->status : TK_EINTERNAL;
  g->err[l] = *e;
}

#include "physics/phys_sde_dev_impl.h"

/* The noise-free operating point (pseudo-transient continuation, as
 * phys_sde.h says) per lane: each lane its own pseudo-time step and its
 * own convergence; a converged or failed lane stops moving. */
static void dc_op(lanes *g)
{
  const phys_cell *c = g->c0;
  cap_matrix(g, 0, -1.0, g->alive);
  double dt[W];
  for (int l = 0; l < W; l++)
    dt[l] = 1e-9;
  unsigned act = g->alive;
  for (int it = 0; it < 2000 && act != 0; it++) {
    assemble(g, LD(dt), NULL);
    unsigned sing = lane_lu(g->a, g->piv, g->nf) & act;
    for (int l = 0; l < W; l++)
      if ((sing >> l) & 1u) {
        tk_err e = {0};
        TK_FAIL(&e, TK_ENUMERIC, "singular matrix at the operating point");
        lane_fail(g, l, &e);
      }
    act &= ~sing;
    lane_lu_solve(g->a, g->piv, g->nf, g->rhs);
    for (int l = 0; l < W; l++) {
      if (!((act >> l) & 1u))
        continue;
      double mv = 0;
      for (size_t i = 0; i < c->n_nodes; i++) {
        if (g->fidx[i] < 0)
          continue;
        double d = g->rhs[(size_t)g->fidx[i] * W + (size_t)l];
        if (fabs(d) > 0.2)
          d = d > 0 ? 0.2 : -0.2;
        g->v[i * W + (size_t)l] += d;
        mv = fmax(mv, fabs(d));
      }
      if (mv < 1e-9 && dt[l] > 1e-3)
        act &= ~(1u << l);
      else if (mv > 0.05 && dt[l] > 1e-12)
        dt[l] *= 0.5;
      else if (dt[l] < 1e3)
        dt[l] *= 2;
    }
  }
}

/* One step of length h for the lanes of act (phys_sde.h, Step
 * refinement): every lane is computed, the lanes of act take their step,
 * and those that must be refined recurse as two halves with the Brownian
 * bridge of their normals. */
static void sde_step(lanes *g, double h, const double *zn, uint64_t step,
                     unsigned depth, uint64_t node, double t_s, unsigned act)
{
  const phys_cell *c = g->c0;
  const size_t nn = g->nn, nd = g->nd;
  if (g->has_cv) {
    cap_matrix(g, 1, g->p->cap_refresh_V, act);
    act &= g->alive;
  }
  if (act == 0)
    return;
  assemble(g, BC(h), zn);
  unsigned singular = lane_lu(g->a, g->piv, g->nf);
  lane_lu_solve(g->a, g->piv, g->nf, g->rhs);
  unsigned ok = 0, refine = 0;
  for (int l = 0; l < W; l++) {
    if (!((act >> l) & 1u))
      continue;
    int sing = (singular >> l) & 1u, bad = sing;
    double mv = 0;
    size_t worst = 0;
    if (!sing) {
      for (size_t i = 0; i < nn; i++) {
        if (g->fidx[i] < 0)
          continue;
        double d = fabs(g->rhs[(size_t)g->fidx[i] * W + (size_t)l]);
        if (!(d <= mv)) {
          mv = d;
          worst = i;
        }
      }
      bad = !isfinite(mv);
    }
    if (!bad && (mv <= g->p->max_step_V || depth == PHYS_SDE_MAX_DEPTH)) {
      ok |= 1u << l;
    } else if (depth == PHYS_SDE_MAX_DEPTH) {
      tk_err e = {0};
      if (sing)
        TK_FAIL(&e, TK_ENUMERIC, "singular step matrix at t = %g s (step "
                "refined %u times)", t_s, depth);
      else
        TK_FAIL(&e, TK_ENUMERIC, "node %s became %g V at t = %g s (step "
                "refined %u times)", c->nodes[worst].name,
                g->v[worst * W + (size_t)l] + mv, t_s, depth);
      lane_fail(g, l, &e);
    } else {
      refine |= 1u << l;
    }
  }
  if (ok != 0) {
    vm okm = MASK(ok);
    vd en = LD(g->energy);
    ST(g->energy, SEL(okm, en + step_supply_energy(g, BC(h)), en));
    for (size_t i = 0; i < nn; i++)
      if (g->fidx[i] >= 0) {
        vd x = LD(&g->v[i * W]);
        ST(&g->v[i * W],
           SEL(okm, x + LD(&g->rhs[(size_t)g->fidx[i] * W]), x));
      }
  }
  if (refine == 0)
    return;
  if (depth == 0)
    for (int l = 0; l < W; l++)
      if ((refine >> l) & 1u)
        g->refined[l] += 1;
  double *z = g->zs + (size_t)(depth + 1) * (nd ? nd : 1) * W;
  for (int half = 0; half < 2; half++) {
    if (zn != NULL)
      for (size_t k = 0; k < nd; k++)
        for (int l = 0; l < W; l++) {
          if (!((refine >> l) & 1u))
            continue;
          double *zk = &z[k * W + (size_t)l];
          const double zk0 = zn[k * W + (size_t)l];
          if (half == 0) {
            double x[2];
            tk_rng_gauss2_at(g->seed[l] ^ SDE_BRIDGE_STREAM, (uint64_t)k,
                             (step << 12) | node, x);
            *zk = (zk0 + x[0]) * (1 / SDE_SQRT2);
          } else {
            *zk = SDE_SQRT2 * zk0 - *zk;
          }
        }
    sde_step(g, 0.5 * h, zn != NULL ? z : NULL, step, depth + 1,
             2 * node + (uint64_t)half, t_s + 0.5 * h * half,
             refine & g->alive);
  }
}

static void lanes_free(lanes *g)
{
  free(g->dev);
  free(g->res_g);
  free(g->res_psd);
  free(g->cnode);
  free(g->fidx);
  free(g->v);
  free(g->dev_c);
  free(g->dev_vcap);
  free(g->rhs);
  free(g->cm);
  free(g->a);
  free(g->piv);
  free(g->dev_i);
  free(g->dev_dq);
  free(g->dev_g);
  free(g->sup);
  free(g->z);
  free(g->zs);
}

/* Run W instances (arguments checked by the caller: one topology, the
 * same parameters but the seed, out[l] allocated with ns samples x nn
 * nodes).  rc[l] / err[l]: each lane's status. */
SDE_LINKAGE int SDE_FN(const phys_cell *const *cells,
                       const phys_mos_cv *const *cvs,
                       const phys_sde_params *const *ps,
                       phys_lgv_result *const *out, int *rc, tk_err *errs,
                       tk_err *err)
{
  lanes g;
  memset(&g, 0, sizeof g);
  const phys_cell *c = cells[0];
  const phys_sde_params *p = ps[0];
  g.c0 = c;
  g.p = p;
  g.has_cv = cvs[0] != NULL;
  g.rc = rc;
  g.err = errs;
  g.alive = (1u << W) - 1u;
  for (int l = 0; l < W; l++) {
    g.cl[l] = cells[l];
    g.cvl[l] = cvs[l];
    g.seed[l] = ps[l]->seed;
    rc[l] = 0;
  }
  const size_t nn = c->n_nodes, nd = c->n_mos + c->n_res;
  size_t nf = 0;
  for (size_t i = 0; i < nn; i++)
    nf += !c->nodes[i].fixed;
  g.nn = nn;
  g.nd = nd;
  g.nf = nf;
  const size_t nm1 = c->n_mos ? c->n_mos : 1, nr1 = c->n_res ? c->n_res : 1;
  g.dev = malloc(nm1 * sizeof *g.dev);
  g.res_g = malloc(nr1 * W * sizeof *g.res_g);
  g.res_psd = malloc(nr1 * W * sizeof *g.res_psd);
  g.cnode = malloc(nn * W * sizeof *g.cnode);
  g.fidx = malloc(nn * sizeof *g.fidx);
  g.v = malloc(nn * W * sizeof *g.v);
  g.dev_c = calloc(16 * nm1 * W, sizeof *g.dev_c);
  g.dev_vcap = calloc(4 * nm1 * W, sizeof *g.dev_vcap);
  g.rhs = malloc(nf * W * sizeof *g.rhs);
  g.cm = malloc(nf * nf * W * sizeof *g.cm);
  g.a = malloc(nf * nf * W * sizeof *g.a);
  g.piv = malloc(nf * W * sizeof *g.piv);
  g.dev_i = malloc((nd + 1) * W * sizeof *g.dev_i);
  g.dev_dq = malloc((nd + 1) * W * sizeof *g.dev_dq);
  g.dev_g = calloc(4 * (nd + 1) * W, sizeof *g.dev_g);
  g.sup = malloc((nd + 1) * sizeof *g.sup);
  g.z = calloc(2 * (nd + 1) * W, sizeof *g.z);
  g.zs = calloc((PHYS_SDE_MAX_DEPTH + 2) * (nd + 1) * W, sizeof *g.zs);
  if (!g.dev || !g.res_g || !g.res_psd || !g.cnode || !g.fidx || !g.v ||
      !g.dev_c || !g.dev_vcap || !g.rhs || !g.cm || !g.a || !g.piv ||
      !g.dev_i || !g.dev_dq || !g.dev_g || !g.sup || !g.z || !g.zs) {
    lanes_free(&g);
    return TK_FAIL(err, TK_ENOMEM, "out of memory for the integrator");
  }
  const size_t ns = out[0]->n_samples;
  nf = 0;
  for (size_t i = 0; i < nn; i++) {
    g.fidx[i] = c->nodes[i].fixed ? -1 : (int)nf++;
    for (int l = 0; l < W; l++) {
      g.v[i * W + (size_t)l] = cells[l]->nodes[i].v_V;
      g.cnode[i * W + (size_t)l] = cells[l]->nodes[i].c_F;
    }
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
      g.sup[g.n_sup++] = k;
  }
  for (int l = 0; l < W; l++) {
    for (size_t k = 0; k < c->n_mos; k++) {
      const phys_mos_params *mp = &cells[l]->mos[k].p;
      double ut = phys_vt_V(p->temp_K);
      lane_dev *d = &g.dev[k];
      d->sgn[l] = mp->type == PHYS_PMOS ? -1.0 : 1.0;
      d->vth_V[l] = mp->vth0_V + mp->tc_vth_V_per_K * (p->temp_K - mp->tnom_K);
      d->is_A[l] = 2.0 * mp->n * mp->kp_A_per_V2 *
                   pow(p->temp_K / mp->tnom_K, mp->mu_exp) *
                   (mp->w_m / mp->l_m) * ut * ut;
      d->inv_n[l] = 1.0 / mp->n;
      d->inv_ut[l] = 1.0 / ut;
      d->sigma[l] = mp->sigma_dibl;
    }
    for (size_t k = 0; k < c->n_res; k++) {
      double r = cells[l]->res[k].r_ohm;
      g.res_g[k * W + (size_t)l] = 1.0 / r;
      g.res_psd[k * W + (size_t)l] = phys_noise_resistor_psd(r, p->temp_K);
    }
  }
  dc_op(&g);
  for (int l = 0; l < W; l++) {
    for (size_t i = 0; i < nn; i++)
      out[l]->v_V[i * ns] = g.v[i * W + (size_t)l];
    out[l]->time_s[0] = 0;
  }
  cap_matrix(&g, g.has_cv, -1.0, g.alive);
  const size_t per = (size_t)llround(p->sample_dt_s / p->dt_s);
  const double dt = p->dt_s;
  uint64_t step = 0;
  for (size_t smp = 1; smp < ns && g.alive != 0; smp++) {
    for (size_t sub = 0; sub < per && g.alive != 0; sub++, step++) {
      const double *zn = NULL;
      if (p->noise) {
        if ((step & 1) == 0)
          for (size_t k = 0; k < nd; k++)
            for (int l = 0; l < W; l++) {
              double x[2];
              if (!((g.alive >> l) & 1u))
                continue;
              tk_rng_gauss2_at(g.seed[l], (uint64_t)k, step >> 1, x);
              g.z[(2 * k) * W + (size_t)l] = x[0];
              g.z[(2 * k + 1) * W + (size_t)l] = x[1];
            }
        for (size_t k = 0; k < nd; k++)
          ST(&g.zs[k * W], LD(&g.z[(2 * k + (step & 1)) * W]));
        zn = g.zs;
      }
      sde_step(&g, dt, zn, step, 0, 1, (double)step * dt, g.alive);
    }
    for (int l = 0; l < W; l++) {
      if (!((g.alive >> l) & 1u))
        continue;
      for (size_t i = 0; i < nn; i++)
        out[l]->v_V[i * ns + smp] = g.v[i * W + (size_t)l];
      out[l]->time_s[smp] = (double)smp * p->sample_dt_s;
    }
  }
  for (int l = 0; l < W; l++) {
    out[l]->energy_J = g.energy[l];
    out[l]->steps = (double)step;
    out[l]->refined_steps = g.refined[l];
  }
  lanes_free(&g);
  return TK_OK;
}

#undef W
