/* test_ckt_session.c -- the ngspice wrapper: errors, an RC against the
 * analytic answer, and bit-identical noisy reruns.
 *
 * Workload: a handful of tiny netlists, well under a second of CPU.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/ckt_session.h"
#include "tests/tk_test.h"

#define NL(a) (sizeof(a) / sizeof((a)[0]))

/* R = 1.37 kOhm, C = 2.41 nF discharging from 0.873 V: v = v0 e^(-t/RC). */
static const char *const rc_lines[] = {
  "rc discharge",
  "R1 a 0 1.37k",
  "C1 a 0 2.41n IC=0.873",
  ".tran 10n 10u 0 10n uic",
  ".end",
};

static const char *const bad_lines[] = {
  "broken",
  "R1 a 0 1k",
  "Q7 a b c d e f g frob",
  "X1 a b nosuchsubckt",
  ".tran 1n 1u",
  ".end",
};

/* A noise current into R || C: kT/C-like node, used for reproducibility. */
static const char *const noisy_lines[] = {
  "noisy rc",
  "R1 a 0 1meg",
  "C1 a 0 1p",
  "Inz a 0 external",
  ".tran 1n 20u 0 1n",
  ".end",
};

static int run_noisy(ckt_session *s, uint64_t seed, double **v, size_t *n)
{
  tk_err err = {0};
  const char *names[] = {"Inz"};
  double psd[] = {4 * 1.380649e-23 * 300.15 / 1e6};
  ckt_noise nz = {.n_src = 1, .src_names = names, .psd_A2_per_Hz = psd,
                  .nt_s = 1e-9, .seed = seed};
  int rc = ckt_session_run(s, noisy_lines, NL(noisy_lines), &nz, &err);
  if (rc != 0) {
    printf("# %s\n", tk_err_text(&err));
    return rc;
  }
  return ckt_session_vec(s, "a", v, n, &err);
}

int main(void)
{
  tk_err err = {0};
  ckt_session *s = NULL;
  TKT_OK(ckt_session_open(&s, &err) == 0, "session opens (%s)", tk_err_text(&err));
  if (s == NULL)
    return tkt_done();

  /* a bad netlist: status, ngspice's message, the process survives */
  int rc = ckt_session_run(s, bad_lines, NL(bad_lines), NULL, &err);
  TKT_OK(rc == TK_ESPICE, "broken netlist -> TK_ESPICE (got %d)", rc);
  TKT_OK(strlen(ckt_session_error(s)) > 0, "ngspice message kept: '%s'",
         ckt_session_error(s));
  printf("# error: %s\n", tk_err_text(&err));

  /* the next run works: RC discharge vs analytic */
  tk_err_clear(&err);
  rc = ckt_session_run(s, rc_lines, NL(rc_lines), NULL, &err);
  TKT_OK(rc == 0, "RC runs after the failure (%s)", tk_err_text(&err));
  double *t = NULL, *v = NULL;
  size_t nt = 0, nv = 0;
  if (rc == 0) {
    ckt_session_vec(s, "time", &t, &nt, &err);
    ckt_session_vec(s, "a", &v, &nv, &err);
  }
  TKT_OK(nt > 10 && nt == nv, "time and v(a) copied (%zu, %zu points)", nt, nv);
  double maxerr = INFINITY;
  if (nt > 10 && nt == nv) {
    const double tau = 1.37e3 * 2.41e-9;
    maxerr = 0;
    for (size_t i = 0; i < nt; i++) {
      double e = fabs(v[i] - 0.873 * exp(-t[i] / tau));
      if (e > maxerr)
        maxerr = e;
    }
  }
  /* trapezoidal rule with dt = 10 ns << RC = 3.3 us: error ~ (dt/RC)^2/12 */
  TKT_IN(maxerr, 0, 1e-3 * 0.873, "RC matches v0 exp(-t/RC) within 0.1 %");
  free(t);
  free(v);

  /* noisy reruns: same seed bit-identical, other seed different */
  double *a = NULL, *b = NULL, *c = NULL;
  size_t na = 0, nb = 0, nc = 0;
  int r1 = run_noisy(s, 12345, &a, &na);
  int r2 = run_noisy(s, 12345, &b, &nb);
  int r3 = run_noisy(s, 777, &c, &nc);
  TKT_OK(r1 == 0 && r2 == 0 && r3 == 0, "noisy runs succeed");
  TKT_OK(na > 100 && na == nb && memcmp(a, b, na * sizeof *a) == 0,
         "same seed -> bit-identical trace (%zu points)", na);
  TKT_OK(nc > 0 && (nc != na || memcmp(a, c, na * sizeof *a) != 0),
         "other seed -> different trace");
  /* the injected current is 4kT/R: the node variance is kT/C =
   * 4.14e-9 V^2 for 1 pF.  RC = 1 us, run 20 us from v = 0: about 10
   * independent samples, so only a factor-of-3 range is checked. */
  double var = 0;
  for (size_t i = 0; i < na; i++)
    var += a[i] * a[i];
  var /= na > 0 ? (double)na : 1;
  TKT_IN(var, 4.14e-9 / 3, 3 * 4.14e-9, "node variance of order kT/C");
  free(a);
  free(b);
  free(c);

  /* a singular matrix (floating node loop of voltage sources) */
  static const char *const sing[] = {
    "loop of sources", "V1 a 0 1", "V2 a 0 2", ".tran 1n 10n", ".end",
  };
  rc = ckt_session_run(s, sing, NL(sing), NULL, &err);
  TKT_OK(rc == TK_ESPICE, "parallel voltage sources -> TK_ESPICE: %s",
         tk_err_text(&err));
  rc = ckt_session_run(s, rc_lines, NL(rc_lines), NULL, &err);
  TKT_OK(rc == 0, "and the session still runs");
  ckt_session_close(s);
  return tkt_done();
}
