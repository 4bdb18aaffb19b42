/* tk_test.h -- a tiny TAP producer for tsukit's C tests.
 *
 * Each check prints "ok N - what" or "not ok N - what" followed by
 * "# observed ..., expected ..., sigma ..." so a failure explains itself.
 * tkt_done() prints the plan "1..N" and returns the exit status.  The
 * automake TAP driver counts every check; .ci/run sums them.
 *
 * Statistical checks state their null distribution and threshold at the
 * call site; TKT_SIGMA fails when |observed - expected| > nsig * sigma.
 */
#ifndef TK_TEST_H
#define TK_TEST_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/tk_init.h"

/* Every test program starts as the tsukit command does: tk_init() with the
 * defaults (GSL's abort handler off, progress mode from TSUKIT_PROGRESS). */
__attribute__((constructor)) static void tkt_init(void) { tk_init(NULL); }

typedef struct tkt_state {
  int n;        /* checks so far */
  int failed;   /* failed checks */
} tkt_state;

static tkt_state tkt_ = {0, 0};

__attribute__((unused, format(printf, 4, 5)))
static int tkt_report(int ok, const char *file, int line, const char *fmt, ...)
{
  va_list ap;
  tkt_.n++;
  if (!ok)
    tkt_.failed++;
  printf("%s %d - ", ok ? "ok" : "not ok", tkt_.n);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!ok)
    printf("# failed at %s:%d\n", file, line);
  fflush(stdout);
  return ok;
}

/* Plain condition. */
#define TKT_OK(cond, ...) tkt_report(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* |obs - exp| <= rel * |exp| (relative tolerance). */
#define TKT_REL(obs, exp, rel, what)                                       \
  do {                                                                     \
    double o_ = (obs), e_ = (exp), r_ = (rel);                             \
    int ok_ = isfinite(o_) && fabs(o_ - e_) <= r_ * fabs(e_);              \
    tkt_report(ok_, __FILE__, __LINE__, "%s", what);                       \
    printf("# observed %.9g, expected %.9g, relative error %.3g (limit %.3g)\n", \
           o_, e_, e_ != 0 ? fabs(o_ - e_) / fabs(e_) : fabs(o_), r_);     \
  } while (0)

/* lo <= obs <= hi. */
#define TKT_IN(obs, lo, hi, what)                                          \
  do {                                                                     \
    double o_ = (obs), l_ = (lo), h_ = (hi);                               \
    int ok_ = isfinite(o_) && o_ >= l_ && o_ <= h_;                        \
    tkt_report(ok_, __FILE__, __LINE__, "%s", what);                       \
    printf("# observed %.9g, allowed [%.9g, %.9g]\n", o_, l_, h_);        \
  } while (0)

/* |obs - exp| <= nsig * sigma (statistical). */
#define TKT_SIGMA(obs, exp, sigma, nsig, what)                             \
  do {                                                                     \
    double o_ = (obs), e_ = (exp), s_ = (sigma), k_ = (nsig);              \
    int ok_ = isfinite(o_) && s_ > 0 && fabs(o_ - e_) <= k_ * s_;          \
    tkt_report(ok_, __FILE__, __LINE__, "%s", what);                       \
    printf("# observed %.9g, expected %.9g, sigma %.3g: %.2f sigma (limit %.1f)\n", \
           o_, e_, s_, s_ > 0 ? fabs(o_ - e_) / s_ : INFINITY, k_);        \
  } while (0)

__attribute__((unused))
static int tkt_done(void)
{
  printf("1..%d\n", tkt_.n);
  if (tkt_.failed)
    printf("# %d of %d checks failed\n", tkt_.failed, tkt_.n);
  return tkt_.failed ? 1 : 0;
}

#endif
