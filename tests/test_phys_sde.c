/* test_phys_sde.c -- the native engine's supply energy (physics/phys_sde.h)
 * against analytic bookkeeping, with noise on and steps far larger than
 * the nodes' relaxation times (dt G / C up to ~100, where a start-of-step
 * current overcounts a step's charge by 1 + dt G / C):
 *
 *   1. A resistor from the supply to a capacitor C (no other path): every
 *      charge the supply delivers is stored, so the energy drawn over the
 *      run is exactly VDD C (V_end - V_0), whatever the noise did (to
 *      rounding: limit 1e-6 of VDD C sqrt(kT/C)).
 *   2. The same with a conducting PMOS (gate at ground, source and bulk at
 *      the supply; no device charges): nonlinear, multiplicative noise.
 *   3. An off PMOS with gate, source and bulk at the supply and its
 *      device charges on: the supply also delivers the displacement
 *      charge of its terminals, and by the device's charge conservation
 *      the total is again VDD C (V_end - V_0) (C the node capacitor).
 *   4. A DC resistive load, supply - R1 - node - R2 - ground, with noise:
 *      mean power VDD^2 / (R1 + R2).  The supply's charge over the run is
 *      C dV plus the charge through R2, whose thermal noise charge has
 *      variance 2 kT T / R2 (one-sided 4kT/R): sigma of the power
 *      VDD sqrt(2 kT / (R2 T)) (plus R2's mean-current fluctuation, a
 *      factor below 1.1 here); limit 5 sigma.
 *   5. Step refinement (phys_sde.h): an RC node (R to ground with its
 *      thermal noise, RC = 1 ns) at dt = RC, where the fixed-step scheme's
 *      stationary variance is kT/C / (1 + dt/(2 RC)) = 2/3 kT/C, forced to
 *      refine every step to dt / 1024 (max_step_V tiny): the Brownian-
 *      bridge halves must give kT/C / (1 + 1/2048) -- the same noise path
 *      resolved finer, not new noise.  40 us, 40000 samples (correlation
 *      e^-1 between samples: effective ~18000); limit 5 sigma of the
 *      variance, sqrt(2 / 18000) ~ 1 %.  Every step refined, and the
 *      energy bookkeeping of test 1 holds through refined steps.
 *   6. Batches (phys_sde_run_batch): seven instances of one circuit (a
 *      PMOS from the supply and a noisy resistor to ground on a node;
 *      device charges on) with different capacitors, resistors, gate
 *      voltages and seeds, the step bound set so that the small-capacitor
 *      instances refine steps and the large ones do not, and one instance
 *      whose gate source is -1e300 V (its current is not finite: its run fails): on every path
 *      (scalar, lanes4, lanes4-avx2 where the CPU has AVX2) each instance
 *      gives bit for bit what phys_sde_run gives it alone (samples, energy,
 *      steps, refined steps; the failing one the same error), the others
 *      unaffected by the failure.  A batch of two circuits, or with
 *      parameters differing beyond the seed, is refused.
 * Seed 0x5de1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/phys_const.h"
#include "physics/phys_moscap.h"
#include "physics/phys_mosfet.h"
#include "physics/phys_sde.h"
#include "tests/tk_test.h"

#define SEED 0x5de1u

static const double VDD = 0.35, CN = 1.0e-15, T_K = 300.0;

/* Run c (noise on, dt, t_stop) and check energy = VDD CN (V_end - V_0);
 * max_step: phys_sde_params.max_step_V (0: the default). */
static void stored_charge_at(phys_cell *c, const phys_mos_cv *cv, int n,
                             double dt, double t_stop, double max_step,
                             const char *what)
{
  tk_err e = {0};
  phys_sde_params p = phys_sde_default_params();
  if (max_step > 0)
    p.max_step_V = max_step;
  p.seed = SEED;
  p.temp_K = T_K;
  p.dt_s = dt;
  p.sample_dt_s = dt;
  p.t_stop_s = t_stop;
  phys_lgv_result r;
  int rc = phys_sde_run(c, cv, &p, &r, &e);
  TKT_OK(rc == 0, "%s: runs (%s)", what, rc ? e.msg : "ok");
  if (rc != 0)
    return;
  const double *v = &r.v_V[(size_t)n * r.n_samples];
  double dv = v[r.n_samples - 1] - v[0];
  double want = VDD * CN * dv;
  double tol = 1e-6 * VDD * CN * sqrt(phys_kt_J(T_K) / CN);
  TKT_IN(r.energy_J - want, -tol, tol,
         what);
  printf("# energy %.9g J, VDD C dV %.9g J, dV %.3g V over %.0f steps "
         "(%.0f refined)\n", r.energy_J, want, dv, r.steps, r.refined_steps);
  phys_lgv_result_free(&r);
}

static void stored_charge(phys_cell *c, const phys_mos_cv *cv, int n,
                          double dt, double t_stop, const char *what)
{
  stored_charge_at(c, cv, n, dt, t_stop, 0, what);
}

/* Test 5: refined steps keep the noise path (kT/C) and the energy. */
static void refinement(void)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int gnd, n;
  const double R = 1e6, tiny = 1e-300;   /* RC = 1 ns */
  phys_cell_alloc(&c, &e);
  phys_cell_add_fixed(c, "gnd", 0.0, 0, &gnd, &e);
  phys_cell_add_free(c, "n", CN, 0.0, &n, &e);
  phys_cell_add_res(c, "R", n, gnd, R, &e);
  double kt_c = phys_kt_J(T_K) / CN;
  for (int refine = 0; refine < 2; refine++) {
    phys_sde_params p = phys_sde_default_params();
    p.seed = SEED;
    p.temp_K = T_K;
    p.dt_s = p.sample_dt_s = R * CN;
    p.t_stop_s = 40e-6;
    if (refine)
      p.max_step_V = tiny;
    phys_lgv_result r;
    int rc = phys_sde_run(c, NULL, &p, &r, &e);
    TKT_OK(rc == 0, "RC node, %s: runs (%s)", refine ? "every step refined"
                                                     : "fixed steps",
           rc ? e.msg : "ok");
    if (rc != 0)
      continue;
    const double *v = &r.v_V[(size_t)n * r.n_samples];
    double s2 = 0;
    for (size_t i = 0; i < r.n_samples; i++)
      s2 += v[i] * v[i];
    s2 /= (double)r.n_samples;
    double h = refine ? 1.0 / 1024 : 1.0;
    double want = kt_c / (1 + h / 2);
    char what[160];
    snprintf(what, sizeof what, "RC node at dt = RC, %s: variance = kT/C / "
             "(1 + h/2), h = %g", refine ? "refined to dt/1024" : "fixed",
             h);
    TKT_SIGMA(s2 / kt_c, want / kt_c, sqrt(2.0 / 18000) * want / kt_c, 5.0,
              what);
    if (refine)
      TKT_OK(r.refined_steps == r.steps, "every one of the %.0f steps was "
             "refined (%.0f)", r.steps, r.refined_steps);
    phys_lgv_result_free(&r);
  }
  phys_cell_free(c);
  /* test 1's bookkeeping through refined steps (RC = 1 ns, dt = 50 RC) */
  phys_cell *c2 = NULL;
  int vdd, n2;
  phys_cell_alloc(&c2, &e);
  phys_cell_add_fixed(c2, "vdd", VDD, 1, &vdd, &e);
  phys_cell_add_free(c2, "n", CN, VDD, &n2, &e);
  phys_cell_add_res(c2, "R1", vdd, n2, 1e6, &e);
  stored_charge_at(c2, NULL, n2, 50e-9, 20e-6, tiny,
                   "every step refined: energy = VDD C dV");
  phys_cell_free(c2);
}

static void resistor_charge(void)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int vdd, n;
  phys_cell_alloc(&c, &e);
  phys_cell_add_fixed(c, "vdd", VDD, 1, &vdd, &e);
  phys_cell_add_free(c, "n", CN, VDD, &n, &e);
  phys_cell_add_res(c, "R1", vdd, n, 1e6, &e); /* RC = 1 ns */
  stored_charge(c, NULL, n, 50e-9, 500e-6,
                "R from the supply to C: energy = VDD C dV (dt = 50 RC)");
  phys_cell_free(c);
}

/* Charge parameters of the test PMOS mp (a 65 nm-like card). */
static phys_mos_cv pmos_cv(const phys_mos_params *mp)
{
  phys_mos_cv cv = phys_mos_cv_default();
  cv.cox_F_per_m2 = 0.0197;
  cv.cgso_F_per_m = 2.3e-10;
  cv.cgdo_F_per_m = 2.1e-10;
  cv.cgbo_F_per_m = 2.56e-11;
  cv.cj_F_per_m2 = 1e-3;
  cv.cjsw_F_per_m = 1e-9;
  cv.ad_m2 = cv.as_m2 = mp->w_m * 100e-9;
  cv.pd_m = cv.ps_m = mp->w_m;
  return cv;
}

static void pmos_charge(void)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int vdd, n;
  phys_mos_params mp = phys_mos_default_params(PHYS_PMOS);
  phys_cell_alloc(&c, &e);
  phys_cell_add_fixed(c, "vdd", VDD, 1, &vdd, &e);
  phys_cell_add_free(c, "n", CN, VDD, &n, &e);
  int rc = phys_cell_add_mos(c, "MP", n, 0, vdd, vdd, &mp, &e);
  TKT_OK(rc == 0, "PMOS added (%s)", rc ? e.msg : "ok");
  stored_charge(c, NULL, n, 10e-9, 100e-6,
                "conducting PMOS from the supply to C: energy = VDD C dV");
  phys_cell_free(c);

  /* off PMOS, every terminal but the drain on the supply, device charges */
  phys_mos_cv cv = pmos_cv(&mp);
  phys_cell_alloc(&c, &e);
  phys_cell_add_fixed(c, "vdd", VDD, 1, &vdd, &e);
  phys_cell_add_free(c, "n", CN, VDD, &n, &e);
  rc = phys_cell_add_mos(c, "MP", n, vdd, vdd, vdd, &mp, &e);
  TKT_OK(rc == 0, "off PMOS added (%s)", rc ? e.msg : "ok");
  stored_charge(c, &cv, n, 10e-9, 100e-6,
                "off PMOS with device charges: conduction plus displacement "
                "= VDD C dV");
  phys_cell_free(c);
}

static void dc_load(void)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int vdd, n;
  const double R1 = 1e6, R2 = 2e6, T = 200e-6, dt = 20e-9;
  phys_cell_alloc(&c, &e);
  phys_cell_add_fixed(c, "vdd", VDD, 1, &vdd, &e);
  phys_cell_add_free(c, "n", CN, 0.0, &n, &e);
  phys_cell_add_res(c, "R1", vdd, n, R1, &e);
  phys_cell_add_res(c, "R2", n, 0, R2, &e);
  phys_sde_params p = phys_sde_default_params();
  p.seed = SEED;
  p.temp_K = T_K;
  p.dt_s = dt;
  p.sample_dt_s = 1e-6;
  p.t_stop_s = T;
  phys_lgv_result r;
  int rc = phys_sde_run(c, NULL, &p, &r, &e);
  TKT_OK(rc == 0, "DC load runs (%s)", rc ? e.msg : "ok");
  if (rc == 0) {
    double sig = 1.1 * VDD * sqrt(2 * phys_kt_J(T_K) / (R2 * T));
    TKT_SIGMA(r.energy_J / T, VDD * VDD / (R1 + R2), sig, 5.0,
              "DC load with noise: mean supply power = VDD^2 / (R1 + R2)");
    phys_lgv_result_free(&r);
  }
  p.noise = 0;
  rc = phys_sde_run(c, NULL, &p, &r, &e);
  TKT_OK(rc == 0, "noise-free DC load runs (%s)", rc ? e.msg : "ok");
  if (rc == 0) {
    TKT_REL(r.energy_J / T, VDD * VDD / (R1 + R2), 1e-6,
            "noise-free DC load: supply power = VDD^2 / (R1 + R2)");
    phys_lgv_result_free(&r);
  }
  phys_cell_free(c);
}

/* Circuit of test 6: vdd - MP (gate vg) - n - R - ground, C on n. */
static phys_cell *batch_cell(double c_F, double r_ohm, double vg_V,
                             const phys_mos_params *mp)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int vdd, g, n;
  phys_cell_alloc(&c, &e);
  phys_cell_add_fixed(c, "vdd", VDD, 1, &vdd, &e);
  phys_cell_add_fixed(c, "vg", vg_V, 0, &g, &e);
  phys_cell_add_free(c, "n", c_F, 0.5 * VDD, &n, &e);
  phys_cell_add_mos(c, "MP", n, g, vdd, vdd, mp, &e);
  phys_cell_add_res(c, "R", n, 0, r_ohm, &e);
  return c;
}

static int same_result(const phys_lgv_result *a, const phys_lgv_result *b)
{
  return a->n_samples == b->n_samples && a->n_nodes == b->n_nodes &&
         memcmp(a->time_s, b->time_s, a->n_samples * sizeof(double)) == 0 &&
         memcmp(a->v_V, b->v_V, a->n_samples * a->n_nodes * sizeof(double)) == 0 &&
         memcmp(&a->energy_J, &b->energy_J, sizeof(double)) == 0 &&
         a->steps == b->steps && a->refined_steps == b->refined_steps;
}

static void batch(void)
{
  enum { N = 7 };
  const double cs[N] = {1e-15, 30e-15, 2e-15, 1e-15, 50e-15, 1.5e-15, 1e-15};
  const double rs[N] = {1e6, 2e6, 5e5, 3e6, 1e6, 1e6, 1e6};
  const double vgs[N] = {0.0, 0.1, 0.35, 0.2, 0.0, -1e300, 0.05};
  phys_mos_params mp = phys_mos_default_params(PHYS_PMOS);
  const phys_mos_cv cv1 = pmos_cv(&mp);
  phys_cell *cells[N];
  const phys_mos_cv *cvs[N];
  phys_sde_params ps[N];
  phys_lgv_result single[N];
  int rc1[N];
  tk_err e1[N];
  for (int i = 0; i < N; i++) {
    mp.vth0_V = -0.3 - 0.01 * i;
    cells[i] = batch_cell(cs[i], rs[i], vgs[i], &mp);
    cvs[i] = &cv1;
    ps[i] = phys_sde_default_params();
    ps[i].seed = SEED + (uint64_t)i;
    ps[i].temp_K = T_K;
    ps[i].dt_s = 1e-9;
    ps[i].sample_dt_s = 10e-9;
    ps[i].t_stop_s = 20e-6;
    ps[i].max_step_V = 1.5e-3;
    memset(&e1[i], 0, sizeof e1[i]);
    rc1[i] = phys_sde_run(cells[i], cvs[i], &ps[i], &single[i], &e1[i]);
  }
  int refined = 0, plain = 0;
  for (int i = 0; i < N; i++)
    if (rc1[i] == 0) {
      refined += single[i].refined_steps > 0;
      plain += single[i].refined_steps == 0;
    }
  TKT_OK(rc1[5] != 0, "batch: the -1e300 V instance fails alone (%s)",
         e1[5].msg);
  TKT_OK(refined >= 2 && plain >= 2, "batch: %d instances refine steps, %d "
         "do not (both kinds in the batch)", refined, plain);
  const phys_sde_path paths[3] = {PHYS_SDE_PATH_SCALAR, PHYS_SDE_PATH_LANES,
                                  PHYS_SDE_PATH_AVX2};
  for (int k = 0; k < 3; k++) {
    phys_lgv_result r[N];
    int rc[N];
    tk_err es[N], e = {0};
    const char *name = phys_sde_path_name(paths[k]);
    int st = phys_sde_run_batch((const phys_cell *const *)cells, cvs, ps, N,
                                paths[k], r, rc, es, &e);
    if (st == TK_EUNSUPPORTED && paths[k] == PHYS_SDE_PATH_AVX2) {
      TKT_OK(1, "batch: path %s not on this CPU (%s)", name, e.msg);
      continue;
    }
    TKT_OK(st == 0, "batch of %d on path %s runs (%s)", N, name,
           st ? e.msg : "ok");
    if (st != 0)
      continue;
    int same = 0;
    for (int i = 0; i < N; i++) {
      if (rc1[i] == 0)
        same += rc[i] == 0 && same_result(&r[i], &single[i]);
      else
        same += rc[i] == rc1[i] && strcmp(es[i].msg, e1[i].msg) == 0;
      if (rc[i] == 0)
        phys_lgv_result_free(&r[i]);
    }
    TKT_OK(same == N, "batch on path %s: %d of %d instances bit for bit as "
           "alone (the failing one with the same error)", name, same, N);
  }
  /* refusals */
  {
    phys_lgv_result r[2];
    int rc[2];
    tk_err es[2], e = {0};
    phys_cell *other = NULL;
    tk_err e0 = {0};
    int vdd, n;
    phys_cell_alloc(&other, &e0);
    phys_cell_add_fixed(other, "vdd", VDD, 1, &vdd, &e0);
    phys_cell_add_free(other, "n", CN, 0.0, &n, &e0);
    phys_cell_add_res(other, "R1", vdd, n, 1e6, &e0);
    phys_cell_add_res(other, "R2", n, 0, 1e6, &e0);
    const phys_cell *two[2] = {cells[0], other};
    const phys_mos_cv *cv2[2] = {cvs[0], cvs[0]};
    int st = phys_sde_run_batch(two, cv2, ps, 2, PHYS_SDE_PATH_AUTO, r, rc,
                                es, &e);
    TKT_OK(st == TK_EINVAL && strstr(e.msg, "one circuit") != NULL,
           "batch of two circuits refused (%s)", e.msg);
    phys_sde_params p2[2] = {ps[0], ps[1]};
    p2[1].dt_s = 0.5e-9;
    memset(&e, 0, sizeof e);
    st = phys_sde_run_batch((const phys_cell *const *)cells, cvs, p2, 2,
                            PHYS_SDE_PATH_AUTO, r, rc, es, &e);
    TKT_OK(st == TK_EINVAL && strstr(e.msg, "only the seed") != NULL,
           "batch with different steps refused (%s)", e.msg);
    phys_cell_free(other);
  }
  for (int i = 0; i < N; i++) {
    if (rc1[i] == 0)
      phys_lgv_result_free(&single[i]);
    phys_cell_free(cells[i]);
  }
}

int main(void)
{
  resistor_charge();
  pmos_charge();
  dc_load();
  refinement();
  batch();
  return tkt_done();
}
