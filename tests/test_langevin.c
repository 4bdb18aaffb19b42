/* test_langevin.c -- the native small-cell solver against analytic
 * physics: kT/C of a resistor node and of a transistor node at V_DS = 0
 * (fluctuation-dissipation of the injected shot noise), RC relaxation,
 * the energy of charging a capacitor, reproducibility, bad input.
 *
 * Variance tests: samples every tau of an Ornstein-Uhlenbeck node; the
 * squared samples then have autocorrelation e^-2 per sample, so the
 * variance estimate has relative sigma sqrt(2 (1+e^-2)/(1-e^-2) / N).
 * N = 60000 gives 0.66 %: the 3 % band is a 4.5-sigma test (the midpoint
 * scheme has no stationary-variance bias for a linear node).  The mean of N samples has
 * sigma sqrt(kT/C (1+e^-1)/(1-e^-1) / N).  Seed 0x1a7e.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/phys_const.h"
#include "physics/phys_langevin.h"
#include "tests/tk_test.h"

#define SEED 0x1a7eu

static double variance(const double *x, size_t n, size_t skip, double *mean)
{
  double s1 = 0, s2 = 0;
  for (size_t i = skip; i < n; i++) {
    s1 += x[i];
    s2 += x[i] * x[i];
  }
  double m = s1 / (double)(n - skip);
  *mean = m;
  return s2 / (double)(n - skip) - m * m;
}

static void rc_ktc(void)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int n;
  const double C = 1.0e-15, R = 1.0e6, T = 311.7;
  phys_cell_alloc(&c, &e);
  phys_cell_add_free(c, "n", C, 0.0, &n, &e);
  phys_cell_add_res(c, "R1", n, 0, R, &e);
  phys_lgv_params p = phys_lgv_default_params();
  p.temp_K = T;
  p.seed = SEED;
  p.sample_dt_s = R * C;
  p.t_stop_s = 60000 * R * C;
  phys_lgv_result r;
  int rc = phys_lgv_run(c, &p, NULL, NULL, &r, &e);
  TKT_OK(rc == 0, "RC node runs (%s)", rc ? e.msg : "ok");
  if (rc == 0) {
    double m, v = variance(phys_lgv_node(&r, (size_t)n), r.n_samples, 10, &m);
    TKT_REL(v, phys_kt_J(T) / C, 0.03, "RC node: variance = kT/C within 3 %");
    TKT_SIGMA(m, 0.0, sqrt(phys_kt_J(T) / C / 60000.0 * 2.16), 4.5, "RC node: mean 0");
    phys_lgv_result_free(&r);
  }
  phys_cell_free(c);
}

/* The same node with steps as long as its time constant (kappa 1): the
 * midpoint treatment of the node's own conductance keeps the stationary
 * variance at kT/C exactly (explicit Euler would give 2 kT/C); same
 * statistics and 4.5-sigma band as above.  Seed 0x1a7e + 7. */
static void rc_ktc_large_step(void)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int n;
  const double C = 1.0e-15, R = 1.0e6, T = 311.7;
  phys_cell_alloc(&c, &e);
  phys_cell_add_free(c, "n", C, 0.0, &n, &e);
  phys_cell_add_res(c, "R1", n, 0, R, &e);
  phys_lgv_params p = phys_lgv_default_params();
  p.temp_K = T;
  p.seed = SEED + 7;
  p.kappa = 1.0;
  p.dv_max_V = 1.0;  /* steps fixed by kappa, not by the state */
  p.sample_dt_s = R * C;
  p.dt_max_s = R * C;
  p.t_stop_s = 60000 * R * C;
  phys_lgv_result r;
  int rc = phys_lgv_run(c, &p, NULL, NULL, &r, &e);
  TKT_OK(rc == 0, "RC node, kappa 1, runs (%s)", rc ? e.msg : "ok");
  if (rc == 0) {
    double m, v = variance(phys_lgv_node(&r, (size_t)n), r.n_samples, 10, &m);
    TKT_REL(v, phys_kt_J(T) / C, 0.03, "RC node, dt = RC: variance = kT/C within 3 %");
    TKT_OK(r.steps <= 60001, "RC node, kappa 1: one step per RC (%g steps)", r.steps);
    phys_lgv_result_free(&r);
  }
  phys_cell_free(c);
}

static void mos_ktc(void)
{
  /* An NMOS in weak inversion between the node and ground, V_DS = 0 on
   * average: only its channel shot noise drives the node. */
  phys_cell *c = NULL;
  tk_err e = {0};
  int n, g;
  const double C = 2.0e-15, T = 300.15, VG = 0.28;
  phys_cell_alloc(&c, &e);
  phys_cell_add_fixed(c, "g", VG, 0, &g, &e);
  phys_cell_add_free(c, "n", C, 0.0, &n, &e);
  phys_mos_params mp = phys_mos_default_params(PHYS_NMOS);
  phys_cell_add_mos(c, "M1", n, g, 0, 0, &mp, &e);
  phys_mos_op op;
  phys_mos_eval(&mp, VG, 0, 0, 0, T, &op, &e);
  double tau = C / op.gds_S;
  phys_lgv_params p = phys_lgv_default_params();
  p.temp_K = T;
  p.seed = SEED + 1;
  p.sample_dt_s = tau;
  p.dt_max_s = tau;
  p.t_stop_s = 60000 * tau;
  phys_lgv_result r;
  int rc = phys_lgv_run(c, &p, NULL, NULL, &r, &e);
  TKT_OK(rc == 0, "transistor node runs (%s), tau = %.3g s", rc ? e.msg : "ok", tau);
  if (rc == 0) {
    double m, v = variance(phys_lgv_node(&r, (size_t)n), r.n_samples, 10, &m);
    /* the node moves ~1.4 mV << U_T, so nonlinearity adds < 0.5 % */
    TKT_REL(v, phys_kt_J(T) / C, 0.03,
            "transistor node: shot noise 2q(I_F+I_R) gives kT/C within 3 %");
    /* The diffusion (Ito) form of state-dependent shot noise shifts the
     * mean by O(sigma^2 / U_T) (phys_langevin.h): 2.5e-5 .. 3.8e-5 V over
     * four seeds, against sigma^2 / U_T = 8.0e-5 V and sigma = 1.44 mV. */
    double s2ut = phys_kt_J(T) / C / phys_vt_V(T);
    TKT_IN(m, -s2ut, s2ut, "transistor node: |mean| < sigma^2 / U_T (diffusion approximation)");
    phys_lgv_result_free(&r);
  }
  phys_cell_free(c);
}

static void relaxation_and_energy(void)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int n, vdd;
  const double C = 1.5e-15, R = 2.385e6, V0 = 0.1, VDD = 0.35;
  phys_cell_alloc(&c, &e);
  phys_cell_add_free(c, "n", C, V0, &n, &e);
  phys_cell_add_res(c, "R1", n, 0, R, &e);
  phys_lgv_params p = phys_lgv_default_params();
  p.noise = 0;
  p.sample_dt_s = R * C / 10;
  p.t_stop_s = 3 * R * C;
  phys_lgv_result r;
  int rc = phys_lgv_run(c, &p, NULL, NULL, &r, &e);
  TKT_OK(rc == 0, "deterministic RC runs");
  if (rc == 0) {
    const double *v = phys_lgv_node(&r, (size_t)n);
    /* explicit Euler with dt = kappa RC: error ~ t kappa / 2 = 1 % per RC */
    TKT_REL(v[10], V0 * exp(-1.0), 0.02, "RC relaxation at t = RC");
    TKT_REL(v[30], V0 * exp(-3.0), 0.05, "RC relaxation at t = 3 RC");
    phys_lgv_result_free(&r);
  }
  phys_cell_free(c);

  /* Charging C from a supply through R draws C VDD^2 (half is stored). */
  phys_cell_alloc(&c, &e);
  phys_cell_add_fixed(c, "vdd", VDD, 1, &vdd, &e);
  phys_cell_add_free(c, "n", C, 0.0, &n, &e);
  phys_cell_add_res(c, "R1", vdd, n, R, &e);
  p.t_stop_s = 20 * R * C;
  rc = phys_lgv_run(c, &p, NULL, NULL, &r, &e);
  TKT_OK(rc == 0, "charging run");
  if (rc == 0) {
    TKT_REL(r.energy_J, C * VDD * VDD, 0.01, "supply energy of charging = C VDD^2");
    phys_lgv_result_free(&r);
  }
  phys_cell_free(c);
}

static void reproducible_and_bad(void)
{
  phys_cell *c = NULL;
  tk_err e = {0};
  int n;
  phys_cell_alloc(&c, &e);
  phys_cell_add_free(c, "n", 1e-15, 0.0, &n, &e);
  phys_cell_add_res(c, "R1", n, 0, 1e6, &e);
  phys_lgv_params p = phys_lgv_default_params();
  p.t_stop_s = 200e-9;
  phys_lgv_result a, b, d;
  int ra = phys_lgv_run(c, &p, NULL, NULL, &a, &e);
  int rb = phys_lgv_run(c, &p, NULL, NULL, &b, &e);
  p.seed = 2;
  int rd = phys_lgv_run(c, &p, NULL, NULL, &d, &e);
  TKT_OK(ra == 0 && rb == 0 && a.n_samples == b.n_samples &&
         memcmp(a.v_V, b.v_V, a.n_samples * a.n_nodes * sizeof(double)) == 0,
         "same seed: bit-identical traces");
  TKT_OK(rd == 0 && memcmp(a.v_V, d.v_V, a.n_samples * a.n_nodes * sizeof(double)) != 0,
         "another seed: another trace");
  phys_lgv_result_free(&a);
  phys_lgv_result_free(&b);
  phys_lgv_result_free(&d);
  p = phys_lgv_default_params();
  p.temp_K = 0;
  TKT_OK(phys_lgv_run(c, &p, NULL, NULL, &a, &e) == TK_ERANGE && a.v_V == NULL,
         "temperature 0 K is rejected: %s", e.msg);
  p = phys_lgv_default_params();
  p.t_stop_s = NAN;
  TKT_OK(phys_lgv_run(c, &p, NULL, NULL, &a, &e) == TK_ERANGE, "NaN time is rejected");
  int x;
  TKT_OK(phys_cell_add_free(c, "m", -1e-15, 0, &x, &e) == TK_ERANGE,
         "negative capacitance is rejected: %s", e.msg);
  phys_cell_free(c);
}

int main(void)
{
  rc_ktc();
  rc_ktc_large_step();
  mos_ktc();
  relaxation_and_energy();
  reproducible_and_bad();
  return tkt_done();
}
