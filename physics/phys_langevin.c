/* phys_langevin.c -- linearised trapezoidal (theta = 1/2) Euler-Maruyama
 * for small cells with state-dependent device noise.
 *
 * Workload: cells of 2-20 nodes and 2-30 devices, 1e6-1e8 steps; each
 * step evaluates every device once (EKV, a few exp/log) and draws one
 * Gaussian per noisy device.  No allocation inside the loop.
 */
#include "physics/phys_langevin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "physics/phys_const.h"
#include "physics/phys_noise.h"

phys_lgv_params phys_lgv_default_params(void)
{
  phys_lgv_params p;
  p.t_stop_s = 1e-6;
  p.sample_dt_s = 1e-9;
  p.dt_max_s = 1e-9;
  p.dv_max_V = 1e-3;
  p.kappa = 0.02;
  p.temp_K = PHYS_TNOM_K;
  p.seed = 1;
  p.noise = 1;
  return p;
}

int phys_lgv_check(const phys_lgv_params *p, tk_err *err)
{
  if (!(p->t_stop_s > 0) || !isfinite(p->t_stop_s))
    return TK_FAIL(err, TK_ERANGE, "simulated time %g s must be > 0", p->t_stop_s);
  if (!(p->sample_dt_s > 0) || !isfinite(p->sample_dt_s))
    return TK_FAIL(err, TK_ERANGE, "sample interval %g s must be > 0", p->sample_dt_s);
  if (p->t_stop_s / p->sample_dt_s > 5e8)
    return TK_FAIL(err, TK_ERANGE, "%g samples per node is too many",
                   p->t_stop_s / p->sample_dt_s);
  if (!(p->dt_max_s > 0) || !isfinite(p->dt_max_s))
    return TK_FAIL(err, TK_ERANGE, "largest step %g s must be > 0", p->dt_max_s);
  if (!(p->dv_max_V > 0) || !isfinite(p->dv_max_V))
    return TK_FAIL(err, TK_ERANGE, "dv_max %g V must be > 0", p->dv_max_V);
  if (!(p->kappa > 0 && p->kappa <= 2.0))
    return TK_FAIL(err, TK_ERANGE, "kappa %g must be in (0, 2]", p->kappa);
  if (!(p->temp_K > 0) || !isfinite(p->temp_K))
    return TK_FAIL(err, TK_ERANGE, "temperature %g K must be > 0", p->temp_K);
  return TK_OK;
}

void phys_lgv_result_free(phys_lgv_result *r)
{
  if (r == NULL)
    return;
  free(r->time_s);
  free(r->v_V);
  memset(r, 0, sizeof *r);
}

/* Per-step scratch, sized once. */
typedef struct lgv_work {
  double *v;            /* node voltages now */
  double *v_old;        /* before the step (for interpolation) */
  double *i_det;        /* deterministic current into each node, A */
  double *g;            /* conductance seen by each node, S */
  double *dev_i;        /* deterministic current of each device (a -> b), A */
  double *dev_s;        /* one-sided noise PSD of each device, A^2/Hz */
  double *dev_ga;       /* d(device current a -> b)/dV_a, S */
  double *dev_gb;       /* -d(device current a -> b)/dV_b, S */
  double *dev_dq;       /* noise charge a -> b of this step, C */
} lgv_work;

static void work_free(lgv_work *w)
{
  free(w->v);
  free(w->v_old);
  free(w->i_det);
  free(w->g);
  free(w->dev_i);
  free(w->dev_s);
  free(w->dev_ga);
  free(w->dev_gb);
  free(w->dev_dq);
}

/* Evaluate every device at w->v: node currents, conductances, noise. */
static int evaluate(const phys_cell *c, const phys_lgv_params *p,
                    lgv_work *w, tk_err *err)
{
  memset(w->i_det, 0, c->n_nodes * sizeof *w->i_det);
  memset(w->g, 0, c->n_nodes * sizeof *w->g);
  for (size_t k = 0; k < c->n_mos; k++) {
    const phys_mos *m = &c->mos[k];
    phys_mos_op op;
    TK_TRY(phys_mos_eval(&m->p, w->v[m->g], w->v[m->d], w->v[m->s],
                         w->v[m->b], p->temp_K, &op, err));
    /* id_A flows drain -> source inside the device */
    w->i_det[m->d] -= op.id_A;
    w->i_det[m->s] += op.id_A;
    w->g[m->d] += op.gds_S;
    w->g[m->s] += op.gms_S;
    w->dev_i[k] = op.id_A;
    w->dev_ga[k] = op.gds_S;
    w->dev_gb[k] = op.gms_S;
    w->dev_s[k] = m->noisy && p->noise ? phys_noise_channel_psd(&op) : 0.0;
  }
  for (size_t k = 0; k < c->n_res; k++) {
    const phys_res *r = &c->res[k];
    double i = (w->v[r->a] - w->v[r->b]) / r->r_ohm;
    w->i_det[r->a] -= i;
    w->i_det[r->b] += i;
    w->g[r->a] += 1.0 / r->r_ohm;
    w->g[r->b] += 1.0 / r->r_ohm;
    w->dev_i[c->n_mos + k] = i;
    w->dev_ga[c->n_mos + k] = 1.0 / r->r_ohm;
    w->dev_gb[c->n_mos + k] = 1.0 / r->r_ohm;
    w->dev_s[c->n_mos + k] =
        r->noisy && p->noise ? phys_noise_resistor_psd(r->r_ohm, p->temp_K) : 0.0;
  }
  return TK_OK;
}

/* Terminals (a -> b) of device k: MOSFET drain -> source, resistor a -> b. */
static void terminals(const phys_cell *c, size_t k, int *a, int *b)
{
  if (k < c->n_mos) {
    *a = c->mos[k].d;
    *b = c->mos[k].s;
  } else {
    *a = c->res[k - c->n_mos].a;
    *b = c->res[k - c->n_mos].b;
  }
}

int phys_lgv_run(const phys_cell *c, const phys_lgv_params *p,
                 int (*progress)(double t_s, double t_stop_s, void *ctx),
                 void *ctx, phys_lgv_result *out, tk_err *err)
{
  memset(out, 0, sizeof *out);
  TK_TRY(phys_lgv_check(p, err));
  TK_TRY(phys_cell_check(c, err));
  size_t nn = c->n_nodes, nd = c->n_mos + c->n_res;
  size_t ns = (size_t)floor(p->t_stop_s / p->sample_dt_s + 1e-9) + 1;
  lgv_work w = {0};
  w.v = malloc(nn * sizeof *w.v);
  w.v_old = malloc(nn * sizeof *w.v_old);
  w.i_det = malloc(nn * sizeof *w.i_det);
  w.g = malloc(nn * sizeof *w.g);
  w.dev_i = malloc((nd + 1) * sizeof *w.dev_i);
  w.dev_s = malloc((nd + 1) * sizeof *w.dev_s);
  w.dev_ga = malloc((nd + 1) * sizeof *w.dev_ga);
  w.dev_gb = malloc((nd + 1) * sizeof *w.dev_gb);
  w.dev_dq = malloc((nd + 1) * sizeof *w.dev_dq);
  out->time_s = malloc(ns * sizeof *out->time_s);
  out->v_V = malloc(ns * nn * sizeof *out->v_V);
  if (!w.v || !w.v_old || !w.i_det || !w.g || !w.dev_i || !w.dev_s ||
      !w.dev_ga || !w.dev_gb || !w.dev_dq || !out->time_s || !out->v_V) {
    work_free(&w);
    phys_lgv_result_free(out);
    return TK_FAIL(err, TK_ENOMEM, "out of memory for %zu samples x %zu nodes",
                   ns, nn);
  }
  out->n_samples = ns;
  out->n_nodes = nn;
  for (size_t i = 0; i < nn; i++)
    w.v[i] = c->nodes[i].v_V;

  int rc = TK_OK;
  double t = 0, energy = 0;
  uint64_t step = 0;
  size_t next = 0; /* next sample index */
  for (size_t i = 0; i < nn; i++)
    out->v_V[i * ns] = w.v[i];
  out->time_s[0] = 0;
  next = 1;
  while (next < ns) {
    rc = evaluate(c, p, &w, err);
    if (rc != 0)
      break;
    /* step size: the damped deterministic change |I| dt / (C + G dt/2)
     * stays below dv_max, and dt below kappa C/G of every node */
    double dt = p->dt_max_s;
    for (size_t i = 0; i < nn; i++) {
      if (c->nodes[i].fixed)
        continue;
      double ci = c->nodes[i].c_F, ai = fabs(w.i_det[i]);
      double room = ai - 0.5 * w.g[i] * p->dv_max_V;
      if (room > 0 && ai * dt > p->dv_max_V * (ci + 0.5 * w.g[i] * dt))
        dt = p->dv_max_V * ci / room;
      if (w.g[i] > 0 && p->kappa * ci / w.g[i] < dt)
        dt = p->kappa * ci / w.g[i];
    }
    double t_next = out->time_s[0] + (double)next * p->sample_dt_s;
    if (dt < 1e-24) {
      rc = TK_FAIL(err, TK_ENUMERIC, "time step collapsed to %g s at t = %g s", dt, t);
      break;
    }
    memcpy(w.v_old, w.v, nn * sizeof *w.v);
    /* Each free node: C dV = I dt + dQ_noise - G dV dt/2, i.e. the node's
     * own conductance taken at the step's midpoint (linearised trapezoidal
     * rule): A-stable for any dt, and for a linear node the stationary
     * variance is exactly kT/C at any step (explicit Euler: kT/C /
     * (1 - kappa/2), unstable beyond kappa = 2).  Accumulate charges into
     * w.i_det first, then divide. */
    for (size_t i = 0; i < nn; i++)
      w.i_det[i] *= dt;
    for (size_t k = 0; k < nd; k++) {
      int a, b;
      terminals(c, k, &a, &b);
      w.dev_dq[k] = 0.0;
      if (w.dev_s[k] > 0) {
        double z[2];
        tk_rng_gauss2_at(p->seed, (uint64_t)k, step, z);
        w.dev_dq[k] = sqrt(0.5 * w.dev_s[k] * dt) * z[0];
        w.i_det[a] -= w.dev_dq[k];
        w.i_det[b] += w.dev_dq[k];
      }
    }
    for (size_t i = 0; i < nn; i++)
      if (!c->nodes[i].fixed)
        w.v[i] += w.i_det[i] / (c->nodes[i].c_F + 0.5 * w.g[i] * dt);
    /* supply energy: the charge a -> b each device moved this step, with
     * the same midpoint correction the free terminals received */
    for (size_t k = 0; k < nd; k++) {
      int a, b;
      terminals(c, k, &a, &b);
      if (!c->nodes[a].is_supply && !c->nodes[b].is_supply)
        continue;
      double q = w.dev_i[k] * dt + w.dev_dq[k] +
                 0.5 * dt * (w.dev_ga[k] * (w.v[a] - w.v_old[a]) -
                             w.dev_gb[k] * (w.v[b] - w.v_old[b]));
      if (c->nodes[a].is_supply)
        energy += c->nodes[a].v_V * q;
      if (c->nodes[b].is_supply)
        energy -= c->nodes[b].v_V * q;
    }
    double t_new = t + dt;
    for (size_t i = 0; i < nn; i++) {
      if (!isfinite(w.v[i])) {
        rc = TK_FAIL(err, TK_ENUMERIC, "node %s became %g V at t = %g s",
                     c->nodes[i].name, w.v[i], t_new);
        break;
      }
    }
    if (rc != 0)
      break;
    /* samples falling in (t, t_new]: linear interpolation */
    while (next < ns && t_next <= t_new) {
      double f = (t_next - t) / dt;
      for (size_t i = 0; i < nn; i++)
        out->v_V[i * ns + next] = w.v_old[i] + f * (w.v[i] - w.v_old[i]);
      out->time_s[next] = t_next;
      next++;
      t_next = (double)next * p->sample_dt_s;
    }
    t = t_new;
    step++;
    if (progress != NULL && (step & 8191) == 0 && progress(t, p->t_stop_s, ctx)) {
      rc = TK_FAIL(err, TK_EINTERRUPT, "simulation interrupted at t = %g s", t);
      break;
    }
  }
  work_free(&w);
  if (rc != 0) {
    phys_lgv_result_free(out);
    return rc;
  }
  out->energy_J = energy;
  out->steps = (double)step;
  return TK_OK;
}
