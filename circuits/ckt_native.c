/* ckt_native.c -- phys_sde_run (device charges from the bsim4 card)
 * -> ckt_trace (ground dropped).
 *
 * Workload: one fixed-step run per call (4 x 10^4 steps for 20 us of a
 * pbit at the 0.5 ns noise slot); the copy into the trace is negligible. */
#include "circuits/ckt_native.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/phys_langevin.h"
#include "physics/phys_sde.h"

/* Charge parameters of the bsim4 card (circuits/models/ckt_models.c), as
 * ckt_extract_cv() reads them from ngspice (tests/test_ckt_native.c holds
 * this table against it; W/L 90/90 and 100/100 nm give the same row to
 * 0.1 %).  Sidewall perimeter W per junction, no bottom area (the cells
 * give no AS/AD). */
typedef struct cv_row {
  phys_mos_type type;   /* device type */
  double cox_F_per_m2;  /* epsrox eps0 / toxe */
  double kp_cv_A_per_V2;/* u0 cox */
  double gamma_sqrtV;   /* depletion body factor (C_gb at V_GB 0, 0.2 V) */
  double vfb_V;         /* its flat-band voltage */
  double cgso_F_per_m;  /* cgso + cf (= cgdo + cf) */
  double cgbo_F_per_m;  /* cgbo */
  double cjsw_F_per_m;  /* cjsws + cjswgs */
  double pb_V, mjsw;    /* pbsws, mjsws */
} cv_row;

static const cv_row cv_bsim4[2] = {
  {PHYS_NMOS, 0.0197322, 887.949e-6, 0.17582, -0.42932, 2.29506e-10,
   2.56e-11, 1e-9, 1.0, 0.33},
  {PHYS_PMOS, 0.0186656, 373.312e-6, 0.19630, -0.43947, 2.2829e-10,
   2.56e-11, 1e-9, 1.0, 0.33},
};

void ckt_native_cv(const phys_mos *m, phys_mos_cv *cv)
{
  const cv_row *r = &cv_bsim4[m->p.type == PHYS_PMOS ? 1 : 0];
  *cv = phys_mos_cv_default();
  cv->cox_F_per_m2 = r->cox_F_per_m2;
  cv->kp_cv_A_per_V2 = r->kp_cv_A_per_V2;
  cv->gamma_sqrtV = r->gamma_sqrtV;
  cv->vfb_V = r->vfb_V;
  cv->cgso_F_per_m = r->cgso_F_per_m;
  cv->cgdo_F_per_m = r->cgso_F_per_m;
  cv->cgbo_F_per_m = r->cgbo_F_per_m;
  cv->cjsw_F_per_m = r->cjsw_F_per_m;
  cv->pb_V = r->pb_V;
  cv->mj = r->mjsw;
  cv->mjsw = r->mjsw;
  cv->ps_m = m->p.w_m;
  cv->pd_m = m->p.w_m;
}

/* EKV parameters of the bsim4 card fitted at each of three temperatures
 * (ckt_extract_mos at -40, 27, 125 C; same sweeps, switching-point fit
 * and anchors as the 27 C rows of circuits/cells/ckt_cells.c, whose
 * 27 C values these are).  The card's threshold, mobility and
 * subthreshold slope move with T in ways one linear tc_vth and one
 * mobility exponent do not follow over 165 K (BSIM4: KT1, KT2 on the body
 * bias, UTE, UA1/UB1 on the field degradation, and the slope's own
 * temperature terms), so the native engine takes the fitted parameters'
 * change with T from these rows instead. */
typedef struct temp_row {
  phys_mos_type type;   /* device type */
  double w_m, l_m;      /* size the rows were fitted at */
  double vth0_V[3];     /* threshold magnitude at temp_node_K[i] */
  double n[3];          /* slope factor */
  double kp_A_per_V2[3];/* current factor */
  double sigma_dibl[3]; /* DIBL */
} temp_row;

static const double temp_node_K[3] = {233.15, 300.15, 398.15};
#define CARD_UTE (-1.5) /* the bsim4 card's mobility exponent */

static const temp_row temp_bsim4[] = {
  /*            W, L        V_TH0 (V): -40, 27, 125 C   n                          kp (A/V^2)                       sigma */
  {PHYS_NMOS, 90e-9, 90e-9, {0.388903, 0.404994, 0.419748}, {1.16901, 1.16940, 1.17399},
   {283.61e-6, 462.06e-6, 517.56e-6}, {0.05279, 0.05439, 0.05292}},
  {PHYS_NMOS, 100e-9, 100e-9, {0.385719, 0.402817, 0.421581}, {1.167861, 1.167279, 1.170899},
   {259.30e-6, 421.31e-6, 477.77e-6}, {0.045979, 0.049185, 0.050926}},
  {PHYS_PMOS, 100e-9, 100e-9, {0.391709, 0.409216, 0.428451}, {1.177151, 1.176895, 1.180244},
   {115.71e-6, 191.06e-6, 220.68e-6}, {0.046345, 0.048564, 0.048741}},
};

/* The quadratic through (temp_node_K[i], y[i]) at t. */
static double quad(const double y[3], double t)
{
  const double *x = temp_node_K;
  return y[0] * (t - x[1]) * (t - x[2]) / ((x[0] - x[1]) * (x[0] - x[2])) +
         y[1] * (t - x[0]) * (t - x[2]) / ((x[1] - x[0]) * (x[1] - x[2])) +
         y[2] * (t - x[0]) * (t - x[1]) / ((x[2] - x[0]) * (x[2] - x[1]));
}

static const temp_row *temp_row_of(const phys_mos_params *p)
{
  const temp_row *best = NULL;
  for (size_t i = 0; i < sizeof temp_bsim4 / sizeof temp_bsim4[0]; i++) {
    const temp_row *r = &temp_bsim4[i];
    if (r->type != p->type)
      continue;
    if (best == NULL || fabs(log(r->l_m / p->l_m)) < fabs(log(best->l_m / p->l_m)) ||
        (r->l_m == best->l_m &&
         fabs(log(r->w_m / p->w_m)) < fabs(log(best->w_m / p->w_m))))
      best = r;
  }
  return best;
}

void ckt_native_mos_at(const phys_mos_params *p, double temp_K,
                       phys_mos_params *out)
{
  *out = *p;
  const temp_row *r = temp_row_of(p);
  if (r == NULL || temp_K == p->tnom_K || !(temp_K > 0) || !(p->tnom_K > 0))
    return;
  double dv[3], ln_n[3], ln_kp[3], ds[3];
  for (int i = 0; i < 3; i++) {
    dv[i] = r->vth0_V[i] - r->vth0_V[1];
    ln_n[i] = log(r->n[i] / r->n[1]);
    ln_kp[i] = log(r->kp_A_per_V2[i] / r->kp_A_per_V2[1]);
    ds[i] = r->sigma_dibl[i] - r->sigma_dibl[1];
  }
  double t0 = p->tnom_K;
  out->vth0_V = p->vth0_V + quad(dv, temp_K) - quad(dv, t0);
  out->n = fmax(1.0, p->n * exp(quad(ln_n, temp_K) - quad(ln_n, t0)));
  out->kp_A_per_V2 = p->kp_A_per_V2 * exp(quad(ln_kp, temp_K) - quad(ln_kp, t0));
  out->sigma_dibl = fmax(0.0, p->sigma_dibl + quad(ds, temp_K) - quad(ds, t0));
  if (out->sigma_dibl >= out->n)
    out->sigma_dibl = p->sigma_dibl;
  out->tnom_K = temp_K;
}

void ckt_native_device(const phys_mos *m, double temp_K, phys_mos_params *p,
                       phys_mos_cv *cv)
{
  ckt_native_mos_at(&m->p, temp_K, p);
  ckt_native_cv(m, cv);
  /* kp_cv is the card's low-field mobility times C_ox, which BSIM4 takes
   * to temperature as u0 (T / T_nom)^UTE (UTE = -1.5 in the card) */
  if (temp_K != m->p.tnom_K && temp_K > 0 && m->p.tnom_K > 0)
    cv->kp_cv_A_per_V2 *= pow(temp_K / m->p.tnom_K, CARD_UTE);
}

/* The integrator's parameters of a run of p. */
static phys_sde_params sde_params(const ckt_sim_params *p)
{
  phys_sde_params sp = phys_sde_default_params();
  sp.t_stop_s = p->tstop_s;
  sp.sample_dt_s = p->tstep_s;
  /* the step: the noise slot, rounded down to divide the sample interval */
  double per = ceil(p->tstep_s / p->nt_s - 1e-9);
  sp.dt_s = p->tstep_s / (per >= 1 ? per : 1);
  sp.temp_K = p->temp_K;
  sp.seed = p->seed;
  sp.noise = p->noise;
  sp.noise_scale = p->noise_scale > 0 ? p->noise_scale : 1.0;
  return sp;
}

/* The integrator's result r of cell c as a trace (r is freed). */
static int to_trace(const phys_cell *c, phys_lgv_result *r,
                    const ckt_sim_params *p, ckt_trace *tr, tk_err *err)
{
  size_t nn = r->n_nodes - 1, n = r->n_samples; /* node 0 is ground */
  tr->n = n;
  tr->dt_s = p->tstep_s;
  tr->n_nodes = nn;
  tr->time_s = r->time_s;
  r->time_s = NULL;
  tr->names = malloc((nn ? nn : 1) * sizeof *tr->names);
  tr->v_V = malloc((nn ? nn : 1) * n * sizeof *tr->v_V);
  tr->netlist = strdup("(native Langevin solver: no netlist)");
  if (tr->names == NULL || tr->v_V == NULL || tr->netlist == NULL) {
    phys_lgv_result_free(r);
    ckt_trace_clear(tr);
    return TK_FAIL(err, TK_ENOMEM, "out of memory for the native trace");
  }
  for (size_t i = 0; i < nn; i++) {
    memcpy(tr->names[i], c->nodes[i + 1].name, PHYS_NAME_MAX);
    memcpy(tr->v_V + i * n, phys_lgv_node(r, i + 1), n * sizeof(double));
  }
  tr->e_supply_J = r->energy_J;
  tr->n_accepted = (size_t)r->steps;
  phys_lgv_result_free(r);
  return TK_OK;
}

/* The run of cell tc (its devices at p's temperature) with charges cv. */
static int run_sde(const phys_cell *c, const phys_cell *tc,
                   const phys_mos_cv *cv, const ckt_sim_params *p,
                   ckt_trace *tr, tk_err *err)
{
  phys_sde_params sp = sde_params(p);
  phys_lgv_result r;
  TK_TRY(phys_sde_run(tc, cv, &sp, &r, err));
  return to_trace(c, &r, p, tr, err);
}

/* mismatch: BSIM4's delvto adds to the signed V_TH0 (negative for a
 * PMOS), so it raises an NMOS's threshold magnitude and lowers a PMOS's */
static void apply_dvth(phys_mos *mos, size_t n, const ckt_sim_params *p)
{
  for (size_t k = 0; k < n; k++)
    if (p->dvth_V != NULL && k < p->n_dvth && p->dvth_V[k] != 0)
      mos[k].p.vth0_V += mos[k].p.type == PHYS_PMOS ? -p->dvth_V[k]
                                                    : p->dvth_V[k];
}

int ckt_native_run(const phys_cell *c, const ckt_sim_params *p,
                   ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  phys_mos_cv *cv = malloc((c->n_mos ? c->n_mos : 1) * sizeof *cv);
  if (cv == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  /* the devices at the run's temperature, in a shallow copy of the cell */
  phys_cell tc = *c;
  phys_mos *mos = malloc((c->n_mos ? c->n_mos : 1) * sizeof *mos);
  if (mos == NULL) {
    free(cv);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  for (size_t k = 0; k < c->n_mos; k++) {
    mos[k] = c->mos[k];
    ckt_native_device(&c->mos[k], p->temp_K, &mos[k].p, &cv[k]);
  }
  apply_dvth(mos, c->n_mos, p);
  tc.mos = mos;
  int rc = run_sde(c, &tc, cv, p, tr, err);
  free(mos);
  free(cv);
  return rc;
}

int ckt_native_run_cv(const phys_cell *c, const phys_mos_cv *cv,
                      const ckt_sim_params *p, ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  phys_cell tc = *c;
  phys_mos *mos = malloc((c->n_mos ? c->n_mos : 1) * sizeof *mos);
  if (mos == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  memcpy(mos, c->mos, c->n_mos * sizeof *mos);
  apply_dvth(mos, c->n_mos, p);
  tc.mos = mos;
  int rc = run_sde(c, &tc, cv, p, tr, err);
  free(mos);
  return rc;
}

/* The batch of ckt_native_run (cvin NULL: every device from the card at
 * the run's temperature) or of ckt_native_run_cv (cvin[i]: instance i's
 * devices as they are). */
static int run_batch(const phys_cell *const *c, const phys_mos_cv *const *cvin,
                     const ckt_sim_params *p, size_t n, phys_sde_path path,
                     ckt_trace *tr, int *rc, tk_err *errs, tk_err *err)
{
  if (n == 0)
    return TK_FAIL(err, TK_EINVAL, "empty batch");
  for (size_t i = 0; i < n; i++) {
    memset(&tr[i], 0, sizeof tr[i]);
    rc[i] = 0;
    tk_err_clear(&errs[i]);
  }
  /* every instance's devices at the run's temperature, in shallow copies
   * of the cells */
  size_t nm = 0;
  for (size_t i = 0; i < n; i++)
    nm += c[i]->n_mos;
  phys_cell *tc = malloc(n * sizeof *tc);
  phys_mos *mos = malloc((nm ? nm : 1) * sizeof *mos);
  phys_mos_cv *cv = malloc((nm ? nm : 1) * sizeof *cv);
  const phys_cell **tcp = malloc(n * sizeof *tcp);
  const phys_mos_cv **cvp = malloc(n * sizeof *cvp);
  phys_sde_params *sp = malloc(n * sizeof *sp);
  phys_lgv_result *r = malloc(n * sizeof *r);
  int status = TK_OK;
  if (!tc || !mos || !cv || !tcp || !cvp || !sp || !r) {
    status = TK_FAIL(err, TK_ENOMEM, "out of memory for a batch of %zu", n);
  } else {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
      tc[i] = *c[i];
      for (size_t k = 0; k < c[i]->n_mos; k++) {
        mos[o + k] = c[i]->mos[k];
        if (cvin != NULL)
          cv[o + k] = cvin[i][k];
        else
          ckt_native_device(&c[i]->mos[k], p[i].temp_K, &mos[o + k].p,
                            &cv[o + k]);
      }
      apply_dvth(mos + o, c[i]->n_mos, &p[i]);
      tc[i].mos = mos + o;
      tcp[i] = &tc[i];
      cvp[i] = cv + o;
      sp[i] = sde_params(&p[i]);
      o += c[i]->n_mos;
    }
    status = phys_sde_run_batch(tcp, cvp, sp, n, path, r, rc, errs, err);
    for (size_t i = 0; i < n && status == TK_OK; i++)
      if (rc[i] == 0)
        rc[i] = to_trace(c[i], &r[i], &p[i], &tr[i], &errs[i]);
  }
  free(tc);
  free(mos);
  free(cv);
  free(tcp);
  free(cvp);
  free(sp);
  free(r);
  return status;
}

int ckt_native_run_batch(const phys_cell *const *c, const ckt_sim_params *p,
                         size_t n, phys_sde_path path, ckt_trace *tr, int *rc,
                         tk_err *errs, tk_err *err)
{
  return run_batch(c, NULL, p, n, path, tr, rc, errs, err);
}

int ckt_native_run_cv_batch(const phys_cell *const *c,
                            const phys_mos_cv *const *cv,
                            const ckt_sim_params *p, size_t n,
                            phys_sde_path path, ckt_trace *tr, int *rc,
                            tk_err *errs, tk_err *err)
{
  if (cv == NULL)
    return TK_FAIL(err, TK_EINVAL, "no charge parameters");
  return run_batch(c, cv, p, n, path, tr, rc, errs, err);
}
