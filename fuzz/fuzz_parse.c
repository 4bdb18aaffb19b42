/* fuzz_parse.c -- the number, list and range parsers of the command line
 * and of file readers (common/tk_parse.h).
 *
 * Input: byte 0 picks the parser, the rest is the text (up to the first
 * NUL).  Contract: a success gives finite values that meet the parser's
 * promise (in range, N evenly spaced increasing values); a failure a
 * one-line message (the text echoed may hold a newline itself). */
#include "fuzz/fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  char *s = fuzz_string(data + 1, size - 1);
  if (s == NULL)
    return 0;
  int nl = strchr(s, '\n') != NULL;
  tk_err err = {0};
  double v = 0, *a = NULL;
  size_t n = 0;
  long l = 0;
  uint64_t u = 0;
  int rc;
  switch (data[0] % 7) {
  case 0:
    rc = tk_parse_double(s, "--x", &v, &err);
    if (rc == 0 && !isfinite(v))
      fuzz_fail("tk_parse_double", "non-finite value accepted");
    break;
  case 1:
    rc = tk_parse_double_in(s, "--x", -2.385, 17.5, &v, &err);
    if (rc == 0 && !(v >= -2.385 && v <= 17.5))
      fuzz_fail("tk_parse_double_in", "value outside [lo, hi] accepted");
    break;
  case 2:
    rc = tk_parse_long_in(s, "--n", -7, 1000003, &l, &err);
    if (rc == 0 && (l < -7 || l > 1000003))
      fuzz_fail("tk_parse_long_in", "value outside [lo, hi] accepted");
    break;
  case 3:
    rc = tk_parse_u64(s, "--seed", &u, &err);
    break;
  case 4:
    rc = tk_parse_temp_K(s, "--temp", &v, &err);
    if (rc == 0 && !(v > 0 && v <= 2000))
      fuzz_fail("tk_parse_temp_K", "temperature outside (0, 2000] K");
    break;
  case 5:
    rc = tk_parse_list(s, "--temps", tk_parse_temp_K, &a, &n, &err);
    for (size_t i = 0; rc == 0 && i < n; i++)
      if (!(a[i] > 0 && a[i] <= 2000))
        fuzz_fail("tk_parse_list", "temperature outside (0, 2000] K");
    if (rc == 0 && n == 0)
      fuzz_fail("tk_parse_list", "empty list accepted");
    break;
  default:
    rc = tk_parse_range(s, "--vctl", &a, &n, &err);
    if (rc == 0 && n < 1)
      fuzz_fail("tk_parse_range", "bad count");
    for (size_t i = 0; rc == 0 && i < n; i++) {
      if (!isfinite(a[i]))
        fuzz_fail("tk_parse_range", "non-finite value in a range");
      /* non-decreasing: N points over a span of a few ulps repeat */
      if (i > 0 && !(a[i] >= a[i - 1]))
        fuzz_fail("tk_parse_range", "range values decreasing");
    }
    break;
  }
  if (rc != 0) {
    if (nl) {   /* the echoed text may break the line: check the rest */
      if (err.status != rc || err.msg[0] == '\0')
        fuzz_fail("tk_parse", "failure without a status or a message");
    } else {
      fuzz_check_error(rc, &err, "tk_parse");
    }
  }
  free(a);
  free(s);
  return 0;
}
