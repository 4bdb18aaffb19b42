/* test_cal_sweep.c -- calibrate/cal_sweep.h: the fork()ed point runner
 * and the pbit point reduction.
 *
 * Runner (trivially-correct reference: the point function evaluated in
 * this process): every point delivered exactly once with the reference
 * value for 1, 2 and 5 workers; skipped points are never run; a point
 * that fails stops the sweep with its message while the points already
 * running are still delivered; a stop flag set before the start launches
 * nothing and returns TK_EINTERRUPT; per-point seeds are distinct and do
 * not depend on anything but (seed, index).
 * Batches (batch 4, key idx mod 3, 1 and 2 workers, every third point
 * skipped in one run): every point once with the reference value, each
 * batch of at most 4 points of one key in index order and taking the
 * first unlaunched point; a failing point inside a batch stops the sweep
 * with its message, the batch's other points delivered; a worker that
 * dies inside a batch stops the sweep naming the batch's first point.
 * Point reduction: a synthetic telegraph trace at 0 / 0.4 V from the
 * counter RNG (seed 0x5eed, p = 0.3127, tau = 41.3 dt, n = 2^17) gives
 * P(1) within 4 reported standard errors and tau within 4 of its reported
 * errors of the exact integrated time dt (1 + lam) / (2 (1 - lam)); a
 * constant trace gives no_transitions with P(1) exactly 0 or 1.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate/cal_sweep.h"
#include "common/tk_rng.h"
#include "tests/tk_test.h"

#define NPT 23

typedef struct ctx {
  double got[NPT];     /* delivered values */
  int count[NPT];      /* deliveries per point */
  int fail_at;         /* point that fails, or -1 */
} ctx;

static double ref_value(size_t i)
{
  return 2.385 * (double)i + (double)(cal_sweep_point_seed(7, i) % 1000);
}

static int point(void *ud, size_t idx, void *result, tk_err *err)
{
  const ctx *c = ud;
  if ((int)idx == c->fail_at)
    return TK_FAIL(err, TK_ESPICE, "point %zu: simulated failure", idx);
  double v = ref_value(idx);
  memcpy(result, &v, sizeof v);
  return TK_OK;
}

static int done(void *ud, size_t idx, const void *result, tk_err *err)
{
  (void)err;
  ctx *c = ud;
  memcpy(&c->got[idx], result, sizeof(double));
  c->count[idx]++;
  return TK_OK;
}

/* Batch worker: each result holds the reference value, then the batch's
 * size and first index and the key of every member equal (1) or not. */
typedef struct bres {
  double v;
  double n, first, same_key, ordered;
} bres;

static size_t key3(void *ud, size_t idx)
{
  (void)ud;
  return idx % 3;
}

static int point_b(void *ud, size_t idx, void *result, tk_err *err)
{
  const ctx *c = ud;
  if ((int)idx == c->fail_at)
    return TK_FAIL(err, TK_ESPICE, "point %zu: simulated failure", idx);
  bres r = {ref_value(idx), 1, (double)idx, 1, 1};
  memcpy(result, &r, sizeof r);
  return TK_OK;
}

static int batch_fn(void *ud, const size_t *idx, size_t n, void *results,
                    int *status, tk_err *errs)
{
  if ((int)idx[0] == ((const ctx *)ud)->fail_at + 1000)
    _exit(9);   /* the worker dies inside the batch */
  int same = 1, ordered = 1;
  for (size_t i = 1; i < n; i++) {
    same = same && idx[i] % 3 == idx[0] % 3;
    ordered = ordered && idx[i] > idx[i - 1];
  }
  for (size_t i = 0; i < n; i++) {
    status[i] = point_b(ud, idx[i], (char *)results + i * sizeof(bres),
                        &errs[i]);
    bres *r = (bres *)((char *)results + i * sizeof(bres));
    r->n = (double)n;
    r->first = (double)idx[0];
    r->same_key = same;
    r->ordered = ordered;
  }
  return TK_OK;
}

typedef struct bctx {
  ctx c;
  int bad;             /* deliveries breaking the batch rules */
  size_t max_n;        /* largest batch seen */
} bctx;

static int done_b(void *ud, size_t idx, const void *result, tk_err *err)
{
  (void)err;
  bctx *b = ud;
  bres r;
  memcpy(&r, result, sizeof r);
  b->c.got[idx] = r.v;
  b->c.count[idx]++;
  if (!(r.n >= 1 && r.n <= 4 && r.same_key == 1 && r.ordered == 1 &&
        r.first <= (double)idx))
    b->bad++;
  if ((size_t)r.n > b->max_n)
    b->max_n = (size_t)r.n;
  return TK_OK;
}

/* Sweep settings of the batch tests: batches of 4 by key3. */
static cal_sweep_params batch_params(unsigned workers, const uint8_t *skip)
{
  cal_sweep_params p = cal_sweep_default_params();
  p.n_points = NPT;
  p.result_size = sizeof(bres);
  p.workers = workers;
  p.skip = skip;
  p.batch = 4;
  p.point_batch = batch_fn;
  p.batch_key = key3;
  return p;
}

static void batch_tests(void)
{
  for (int w = 1; w <= 2; w++)
    for (int sk = 0; sk < 2; sk++) {
      bctx b;
      memset(&b, 0, sizeof b);
      b.c.fail_at = -1;
      uint8_t skip[NPT] = {0};
      for (size_t i = 0; sk && i < NPT; i += 3)
        skip[i] = 1;
      cal_sweep_params p = batch_params((unsigned)w, sk ? skip : NULL);
      cal_sweep_stats st;
      tk_err err = {0};
      int rc = cal_sweep_run(&p, point_b, done_b, &b, &st, &err);
      int ok = rc == 0 && st.abandoned == 0 && b.bad == 0 && b.max_n == 4;
      for (size_t i = 0; i < NPT; i++)
        ok = ok && b.c.count[i] == (skip[i] ? 0 : 1) &&
             (skip[i] || b.c.got[i] == ref_value(i));
      TKT_OK(ok, "batches of 4 by key, %d worker(s)%s: every point once, "
             "reference values, one key per batch in index order (rc %d, "
             "bad %d, largest %zu)", w, sk ? ", every third skipped" : "",
             rc, b.bad, b.max_n);
    }
  bctx b;
  memset(&b, 0, sizeof b);
  b.c.fail_at = 7;
  cal_sweep_params p = batch_params(1, NULL);
  cal_sweep_stats st;
  tk_err err = {0};
  int rc = cal_sweep_run(&p, point_b, done_b, &b, &st, &err);
  /* point 7 is in the batch {1, 4, 7, 10}: 1, 4 and 10 still delivered */
  TKT_OK(rc == TK_ESPICE && strstr(err.msg, "simulated failure") != NULL &&
         b.c.count[7] == 0 && b.c.count[1] == 1 && b.c.count[4] == 1 &&
         b.c.count[10] == 1 && st.done + st.abandoned == NPT,
         "a failing point in a batch stops the sweep, its batch's others "
         "delivered (rc %d: %s; done %zu, abandoned %zu)", rc, err.msg,
         st.done, st.abandoned);
  /* a worker that dies in the batch {2, 5, 8, 11}: the sweep stops naming
   * the batch's first point; no point of it is delivered */
  memset(&b, 0, sizeof b);
  b.c.fail_at = 2 - 1000;
  p = batch_params(1, NULL);
  tk_err_clear(&err);
  rc = cal_sweep_run(&p, point_b, done_b, &b, &st, &err);
  TKT_OK(rc == TK_EINTERNAL && strstr(err.msg, "sweep point 2") != NULL &&
         strstr(err.msg, "exit 9") != NULL && b.c.count[2] == 0 &&
         b.c.count[11] == 0 && b.c.count[0] == 1 &&
         st.done + st.abandoned == NPT,
         "a worker dying in a batch stops the sweep, the batch undelivered "
         "(rc %d: %s; done %zu, abandoned %zu)", rc, err.msg, st.done,
         st.abandoned);
}

static void runner_tests(void)
{
  unsigned wk[3] = {1, 2, 5};
  for (int w = 0; w < 3; w++) {
    ctx c;
    memset(&c, 0, sizeof c);
    c.fail_at = -1;
    cal_sweep_params p = cal_sweep_default_params();
    p.n_points = NPT;
    p.result_size = sizeof(double);
    p.workers = wk[w];
    cal_sweep_stats st;
    tk_err err = {0};
    int rc = cal_sweep_run(&p, point, done, &c, &st, &err);
    int ok = rc == 0 && st.done == NPT && st.abandoned == 0;
    for (size_t i = 0; i < NPT; i++)
      ok = ok && c.count[i] == 1 && c.got[i] == ref_value(i);
    TKT_OK(ok, "%u worker(s): every point once, values of the reference",
           wk[w]);
  }
  /* skip */
  ctx c;
  memset(&c, 0, sizeof c);
  c.fail_at = -1;
  uint8_t skip[NPT] = {0};
  for (size_t i = 0; i < NPT; i += 3)
    skip[i] = 1;
  cal_sweep_params p = cal_sweep_default_params();
  p.n_points = NPT;
  p.result_size = sizeof(double);
  p.workers = 3;
  p.skip = skip;
  cal_sweep_stats st;
  tk_err err = {0};
  int rc = cal_sweep_run(&p, point, done, &c, &st, &err);
  int ok = rc == 0 && st.skipped == 8 && st.done == NPT - 8;
  for (size_t i = 0; i < NPT; i++)
    ok = ok && c.count[i] == (skip[i] ? 0 : 1);
  TKT_OK(ok, "skipped points never run (done %zu, skipped %zu)", st.done,
         st.skipped);
  /* failure */
  memset(&c, 0, sizeof c);
  c.fail_at = 5;
  p.skip = NULL;
  p.workers = 2;
  tk_err_clear(&err);
  rc = cal_sweep_run(&p, point, done, &c, &st, &err);
  TKT_OK(rc == TK_ESPICE && strstr(err.msg, "simulated failure") != NULL,
         "a failing point stops the sweep with its message (rc %d: %s)", rc,
         err.msg);
  TKT_OK(c.count[5] == 0 && st.done >= 5 && st.done < NPT &&
         st.done + st.abandoned == NPT,
         "failure: earlier points delivered, the rest abandoned (done %zu, "
         "abandoned %zu)", st.done, st.abandoned);
  /* stop before start */
  volatile sig_atomic_t stop = 1;
  memset(&c, 0, sizeof c);
  c.fail_at = -1;
  p.stop = &stop;
  tk_err_clear(&err);
  rc = cal_sweep_run(&p, point, done, &c, &st, &err);
  TKT_OK(rc == TK_EINTERRUPT && st.done == 0 && st.abandoned == NPT &&
         st.interrupted, "stop flag: nothing launched, TK_EINTERRUPT");
  /* seeds */
  int distinct = 1;
  for (size_t i = 0; i < 200; i++)
    for (size_t j = 0; j < i; j++)
      distinct = distinct &&
                 cal_sweep_point_seed(3, i) != cal_sweep_point_seed(3, j);
  TKT_OK(distinct && cal_sweep_point_seed(3, 17) == cal_sweep_point_seed(3, 17)
         && cal_sweep_point_seed(3, 17) != cal_sweep_point_seed(4, 17),
         "per-point seeds distinct and reproducible");
}

static void point_tests(void)
{
  const size_t n = 1u << 17;
  const double dt = 1e-9, tau = 41.3 * dt, p = 0.3127;
  const double lam = exp(-dt / tau);
  double *v = malloc(n * sizeof *v);
  tk_rng r;
  tk_rng_init(&r, 0x5eed, 1);
  int x = tk_rng_uniform(&r) < p;
  for (size_t i = 0; i < n; i++) {
    v[i] = x ? 0.4 : 0.0;
    double p1 = p + ((double)x - p) * lam;
    x = tk_rng_uniform(&r) < p1;
  }
  cal_pbit_point pt;
  tk_err err = {0};
  int rc = cal_pbit_point_measure(v, n, dt, 0.4, 2.0e-10 * n * dt, &pt, &err);
  TKT_OK(rc == 0 && !pt.no_transitions && pt.flips > 100,
         "telegraph: measured (%s), %g flips", rc ? err.msg : "ok", pt.flips);
  TKT_SIGMA(pt.p[1], p, pt.p_err[1], 4, "telegraph: P(1) vs p (4 sigma)");
  double tau_int = dt * (1 + lam) / (2 * (1 - lam));
  TKT_SIGMA(pt.tau_s, tau_int, pt.tau_err_s, 4,
            "telegraph: tau vs exact integrated time (4 sigma)");
  TKT_REL(pt.energy_J, 2.0e-10 * pt.tau_s, 1e-9, "energy = power x tau");
  for (size_t i = 0; i < n; i++)
    v[i] = 0.4 - 1e-3 * (double)(i % 7);
  rc = cal_pbit_point_measure(v, n, dt, 0.4, 1e-15, &pt, &err);
  TKT_OK(rc == 0 && pt.no_transitions && pt.p[1] == 1.0 && pt.p[0] == 0.0 &&
         pt.p_err[1] == 0 && isnan(pt.tau_s),
         "stuck high: no_transitions, P(1) = 1 exactly, tau NaN");
  free(v);
}

int main(void)
{
  runner_tests();
  batch_tests();
  point_tests();
  return tkt_done();
}
