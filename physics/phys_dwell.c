/* phys_dwell.c -- overdamped double well: first passages and exact rates.
 *
 * Workload: 1e2-1e4 particles of 1e4-1e6 steps each (the test budget is a
 * few 1e8 steps), so the inner loop is a polynomial force, one Gaussian
 * and a compare; particles run in parallel, one RNG stream each.
 */
#define _GNU_SOURCE /* sincos */
#include "physics/phys_dwell.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_rng.h"
#include "physics/phys_const.h"

phys_dwell_params phys_dwell_default_params(void)
{
  phys_dwell_params p;
  p.barrier_kT = 6.0;
  p.temp_K = PHYS_TNOM_K;
  p.a_m = 1e-9;
  p.gamma_kg_per_s = 4.142e-12;
  p.h = 0.0;
  p.tmax = 1e9;
  p.particles = 1000;
  p.seed = 1;
  return p;
}

int phys_dwell_check(const phys_dwell_params *p, tk_err *err)
{
  if (!(p->barrier_kT > 0 && p->barrier_kT <= 40))
    return TK_FAIL(err, TK_ERANGE, "barrier %g kT is outside (0, 40]", p->barrier_kT);
  if (!(p->temp_K > 0) || !isfinite(p->temp_K))
    return TK_FAIL(err, TK_ERANGE, "temperature %g K must be > 0", p->temp_K);
  if (!(p->a_m > 0) || !isfinite(p->a_m))
    return TK_FAIL(err, TK_ERANGE, "well half-distance %g m must be > 0", p->a_m);
  if (!(p->gamma_kg_per_s > 0) || !isfinite(p->gamma_kg_per_s))
    return TK_FAIL(err, TK_ERANGE, "friction %g kg/s must be > 0", p->gamma_kg_per_s);
  if (!(p->h >= 0 && p->h < 0.1) || !isfinite(p->h))
    return TK_FAIL(err, TK_ERANGE, "time step %g must be in [0, 0.1)", p->h);
  if (!(p->tmax > 0) || !isfinite(p->tmax))
    return TK_FAIL(err, TK_ERANGE, "tmax %g must be > 0", p->tmax);
  if (p->particles < 1)
    return TK_FAIL(err, TK_ERANGE, "need at least one particle");
  return TK_OK;
}

double phys_dwell_t0_s(const phys_dwell_params *p)
{
  return p->a_m * p->a_m * p->gamma_kg_per_s / phys_kt_J(p->temp_K);
}

double phys_dwell_step(const phys_dwell_params *p)
{
  if (p->h > 0)
    return p->h;
  double h = 0.032 / (8.0 * p->barrier_kT);
  return h < 1e-3 ? h : 1e-3;
}

double phys_dwell_kramers_rate(double b)
{
  return sqrt(32.0) * b * exp(-b) / (2.0 * M_PI);
}

/* ---- exact MFPT by nested quadrature ---- */

typedef struct dw_quad {
  double b;                         /* barrier, kT */
  gsl_integration_workspace *inner; /* workspace of the inner integral */
  int failed;                       /* 1 if an inner integral failed */
} dw_quad;

static double u_of(double b, double y)
{
  double s = y * y - 1.0;
  return b * s * s;
}

static double inner_f(double z, void *ctx)
{
  const dw_quad *q = ctx;
  return exp(-u_of(q->b, z));
}

static double outer_f(double y, void *ctx)
{
  dw_quad *q = ctx;
  gsl_function f = {inner_f, q};
  double val = 0, abserr = 0;
  if (gsl_integration_qagil(&f, y, 0.0, 1e-12, 1000, q->inner, &val, &abserr) != 0)
    q->failed = 1;
  return exp(u_of(q->b, y)) * val;
}

int phys_dwell_exact_rate(double b, double *rate, tk_err *err)
{
  if (!(b > 0 && b <= 40))
    return TK_FAIL(err, TK_ERANGE, "barrier %g kT is outside (0, 40]", b);
  dw_quad q = {b, gsl_integration_workspace_alloc(1000), 0};
  gsl_integration_workspace *outer = gsl_integration_workspace_alloc(1000);
  if (q.inner == NULL || outer == NULL) {
    gsl_integration_workspace_free(q.inner);
    gsl_integration_workspace_free(outer);
    return TK_FAIL(err, TK_ENOMEM, "quadrature workspace");
  }
  gsl_function f = {outer_f, &q};
  double t = 0, abserr = 0;
  int st = gsl_integration_qag(&f, -1.0, 1.0, 0.0, 1e-10, 1000,
                               GSL_INTEG_GAUSS41, outer, &t, &abserr);
  gsl_integration_workspace_free(q.inner);
  gsl_integration_workspace_free(outer);
  if (st != 0 || q.failed || !(t > 0) || !isfinite(t))
    return TK_FAIL(err, TK_ENUMERIC, "MFPT quadrature failed at b = %g (%s)", b,
                   gsl_strerror(st));
  *rate = 1.0 / t;
  return TK_OK;
}

/* ---- simulation ---- */

/* Four standard normals from one Philox block: two Box-Muller pairs on
 * 32-bit uniforms (resolution 2^-32, tails to 6.7 sigma). */
static void gauss4(uint64_t seed, uint64_t stream, uint64_t ctr, double z[4])
{
  uint32_t w[4];
  tk_rng_block_at(seed, stream, ctr, w);
  for (int i = 0; i < 2; i++) {
    double u1 = ((double)w[2 * i] + 0.5) * (1.0 / 4294967296.0);
    double u2 = ((double)w[2 * i + 1] + 0.5) * (1.0 / 4294967296.0);
    double rad = sqrt(-2.0 * log(u1)), sn, cs;
    sincos(2.0 * M_PI * u2, &sn, &cs);
    z[2 * i] = rad * cs;
    z[2 * i + 1] = rad * sn;
  }
}

/* First-passage time (reduced) of one particle from -1 to +1, or -1 if
 * it has not arrived by tmax.  Noise: stream k of the seed, block j holds
 * the normals of steps 4j .. 4j+3. */
static double one_particle(double b, double h, double tmax, uint64_t seed,
                           uint64_t k, double *steps)
{
  const double amp = sqrt(0.5 * h);
  const double c = 4.0 * b * h;
  double y = -1.0, z[4];
  uint64_t blk = 0;
  gauss4(seed, k, blk++, z);
  double xi = z[0];
  int used = 1;
  uint64_t n = 0, nmax = (uint64_t)(tmax / h) + 1;
  while (y < 1.0) {
    if (n >= nmax) {
      *steps += (double)n;
      return -1.0;
    }
    if (used == 4) {
      gauss4(seed, k, blk++, z);
      used = 0;
    }
    double xn = z[used++];
    y += -c * y * (y * y - 1.0) + amp * (xi + xn);
    xi = xn;
    n++;
  }
  *steps += (double)n;
  return (double)n * h;
}

int phys_dwell_run(const phys_dwell_params *p, int n_threads,
                   int (*progress)(size_t done, size_t total, void *ctx),
                   void *ctx, phys_dwell_result *out, tk_err *err)
{
  memset(out, 0, sizeof *out);
  TK_TRY(phys_dwell_check(p, err));
  double t0 = phys_dwell_t0_s(p);
  double exact = 0;
  TK_TRY(phys_dwell_exact_rate(p->barrier_kT, &exact, err));
  double *fpt = malloc(p->particles * sizeof *fpt);
  if (fpt == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory for %zu particles", p->particles);
  const double b = p->barrier_kT, h = phys_dwell_step(p);
  size_t done = 0;
  int stop = 0;
  double steps = 0;
#ifdef _OPENMP
  if (n_threads > 0)
    omp_set_num_threads(n_threads);
#pragma omp parallel for schedule(dynamic, 4) reduction(+ : steps)
#else
  (void)n_threads;
#endif
  for (size_t k = 0; k < p->particles; k++) {
    int halt;
#pragma omp atomic read
    halt = stop;
    if (halt) {
      fpt[k] = -2.0;
      continue;
    }
    fpt[k] = one_particle(b, h, p->tmax, p->seed, k, &steps);
    size_t d;
#pragma omp atomic capture
    d = ++done;
#ifdef _OPENMP
    if (omp_get_thread_num() == 0 && progress != NULL &&
        progress(d, p->particles, ctx) != 0) {
#pragma omp atomic write
      stop = 1;
    }
#else
    if (progress != NULL && progress(d, p->particles, ctx) != 0)
      stop = 1;
#endif
  }
  if (stop) {
    free(fpt);
    return TK_FAIL(err, TK_EINTERRUPT, "double-well simulation interrupted");
  }
  size_t n = 0;
  double s1 = 0, s2 = 0;
  for (size_t k = 0; k < p->particles; k++) {
    if (fpt[k] < 0)
      continue;
    double v = fpt[k] * t0;
    fpt[n++] = v;
    s1 += v;
    s2 += v * v;
  }
  if (n < p->particles) {
    free(fpt);
    return TK_FAIL(err, TK_ENUMERIC,
                   "%zu of %zu particles did not escape within tmax = %g t0; "
                   "lower the barrier or raise tmax",
                   p->particles - n, p->particles, p->tmax);
  }
  double mean = s1 / (double)n;
  double var = n > 1 ? (s2 - s1 * mean) / (double)(n - 1) : mean * mean;
  out->fpt_s = fpt;
  out->n = n;
  out->mfpt_s = mean;
  out->mfpt_se_s = sqrt(var / (double)n);
  out->rate_per_s = 1.0 / mean;
  out->rate_se_per_s = out->mfpt_se_s / (mean * mean);
  out->exact_per_s = exact / t0;
  out->kramers_per_s = phys_dwell_kramers_rate(b) / t0;
  out->steps = steps;
  return TK_OK;
}

void phys_dwell_result_free(phys_dwell_result *r)
{
  if (r == NULL)
    return;
  free(r->fpt_s);
  memset(r, 0, sizeof *r);
}
