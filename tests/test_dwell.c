/* test_dwell.c -- the double well: simulated escape rate against the exact
 * first-passage rate and Kramers' formula.
 *
 * First-passage times at these barriers are close to exponential, so the
 * relative standard error of the mean over N particles is 1/sqrt(N).
 * N = 1600 gives sigma = 2.5 %: the [0.9, 1.1] band is a 4-sigma test and
 * the Kramers band [0.85, 1.15] a 6-sigma one.  The integrator's own bias
 * at the automatic step is about -1 % (phys_dwell.h).  Seed 0x6b72.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/phys_dwell.h"
#include "tests/tk_test.h"

#define SEED 0x6b72u

static void exact_vs_kramers(void)
{
  tk_err e = {0};
  /* The exact rate approaches Kramers' from below with an O(1/b)
   * correction (measured: 1 - exact/kramers = 0.50/b at b = 4, 0.43/b at
   * b = 8); require 0 < 1 - ratio < 0.6/b and monotone convergence. */
  double prev = 0;
  int mono = 1;
  const double bs[] = {4, 6, 8, 12, 20, 30};
  for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++) {
    double ex;
    int rc = phys_dwell_exact_rate(bs[i], &ex, &e);
    double ratio = ex / phys_dwell_kramers_rate(bs[i]);
    char what[96];
    snprintf(what, sizeof what, "exact/Kramers at b = %g within (1 - 0.6/b, 1)", bs[i]);
    TKT_IN(rc == 0 ? ratio : NAN, 1.0 - 0.6 / bs[i], 1.0, what);
    mono &= ratio > prev;
    prev = ratio;
  }
  TKT_OK(mono, "exact/Kramers increases towards 1 with the barrier");
  double ex;
  TKT_OK(phys_dwell_exact_rate(0, &ex, &e) == TK_ERANGE, "barrier 0 is rejected");
}

static void simulated(double b, int check_kramers)
{
  phys_dwell_params p = phys_dwell_default_params();
  p.barrier_kT = b;
  p.particles = 1600;
  p.seed = SEED;
  phys_dwell_result r;
  tk_err e = {0};
  int rc = phys_dwell_run(&p, 0, NULL, NULL, &r, &e);
  TKT_OK(rc == 0 && r.n == 1600, "simulation at %g kT runs (%s)", b, rc ? e.msg : "ok");
  if (rc != 0)
    return;
  char what[96];
  snprintf(what, sizeof what, "mfpt_ratio at %g kT in [0.9, 1.1] (1600 particles: 4 sigma)", b);
  TKT_IN(r.rate_per_s / r.exact_per_s, 0.9, 1.1, what);
  printf("# rate %.6g +- %.3g 1/s, exact %.6g, Kramers %.6g\n", r.rate_per_s,
         r.rate_se_per_s, r.exact_per_s, r.kramers_per_s);
  if (check_kramers)
    TKT_IN(r.rate_per_s / r.kramers_per_s, 0.85, 1.15,
           "kramers_ratio at 8 kT in [0.85, 1.15]");
  phys_dwell_result_free(&r);
}

static void reproducible(void)
{
  phys_dwell_params p = phys_dwell_default_params();
  p.barrier_kT = 2.385;
  p.particles = 300;
  p.seed = SEED;
  phys_dwell_result a, b;
  tk_err e = {0};
  int ra = phys_dwell_run(&p, 1, NULL, NULL, &a, &e);
  int rb = phys_dwell_run(&p, 2, NULL, NULL, &b, &e);
  TKT_OK(ra == 0 && rb == 0 && a.n == b.n &&
         memcmp(a.fpt_s, b.fpt_s, a.n * sizeof *a.fpt_s) == 0,
         "same seed: bit-identical escape times with 1 and 2 threads");
  phys_dwell_result_free(&a);
  phys_dwell_result_free(&b);

  /* the rate scales with temperature through t0 = a^2 gamma / kT only */
  p.temp_K = 400;
  phys_dwell_result c;
  int rcn = phys_dwell_run(&p, 0, NULL, NULL, &c, &e);
  p.temp_K = 300;
  phys_dwell_result d;
  int rdn = phys_dwell_run(&p, 0, NULL, NULL, &d, &e);
  TKT_REL(rcn == 0 && rdn == 0 ? c.rate_per_s / d.rate_per_s : NAN, 400.0 / 300.0,
          1e-12, "at fixed dU/kT the rate scales as T (t0 = a^2 gamma / kT)");
  phys_dwell_result_free(&c);
  phys_dwell_result_free(&d);
}

static void bad_input(void)
{
  phys_dwell_params p = phys_dwell_default_params();
  phys_dwell_result r;
  tk_err e = {0};
  p.temp_K = -1;
  TKT_OK(phys_dwell_run(&p, 0, NULL, NULL, &r, &e) == TK_ERANGE && r.fpt_s == NULL,
         "negative temperature: TK_ERANGE (%s)", e.msg);
  p = phys_dwell_default_params();
  p.barrier_kT = NAN;
  TKT_OK(phys_dwell_run(&p, 0, NULL, NULL, &r, &e) == TK_ERANGE, "NaN barrier: TK_ERANGE");
  p = phys_dwell_default_params();
  p.barrier_kT = 12;
  p.particles = 4;
  p.tmax = 10;
  TKT_OK(phys_dwell_run(&p, 0, NULL, NULL, &r, &e) == TK_ENUMERIC &&
         strstr(e.msg, "did not escape"), "particles that never escape are reported: %s", e.msg);
}

static int stop_at(size_t done, size_t total, void *ctx)
{
  (void)total;
  return done >= *(size_t *)ctx;
}

static void interrupt(void)
{
  phys_dwell_params p = phys_dwell_default_params();
  p.barrier_kT = 3;
  p.particles = 400;
  size_t at = 10;
  phys_dwell_result r;
  tk_err e = {0};
  TKT_OK(phys_dwell_run(&p, 1, stop_at, &at, &r, &e) == TK_EINTERRUPT && r.fpt_s == NULL,
         "the progress callback can interrupt a run");
}

int main(void)
{
  exact_vs_kramers();
  simulated(4, 0);
  simulated(6, 0);
  simulated(8, 1);
  reproducible();
  bad_input();
  interrupt();
  return tkt_done();
}
