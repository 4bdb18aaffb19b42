/* tk_parse.c -- strict number, list and range parsing. */
#include "common/tk_parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int tk_parse_double(const char *s, const char *what, double *out, tk_err *err)
{
  if (s == NULL || *s == '\0')
    return TK_FAIL(err, TK_EINVAL, "%s: missing value", what);
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end != '\0')
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' is not a number", what, s);
  if (!isfinite(v) || errno == ERANGE)
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' is not a finite number", what, s);
  *out = v;
  return TK_OK;
}

int tk_parse_double_in(const char *s, const char *what, double lo, double hi,
                       double *out, tk_err *err)
{
  double v;
  TK_TRY(tk_parse_double(s, what, &v, err));
  if (v < lo || v > hi)
    return TK_FAIL(err, TK_ERANGE, "%s: %g is outside the valid range [%g, %g]",
                   what, v, lo, hi);
  *out = v;
  return TK_OK;
}

int tk_parse_long_in(const char *s, const char *what, long lo, long hi,
                     long *out, tk_err *err)
{
  if (s == NULL || *s == '\0')
    return TK_FAIL(err, TK_EINVAL, "%s: missing value", what);
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end != '\0' || errno == ERANGE)
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' is not an integer", what, s);
  if (v < lo || v > hi)
    return TK_FAIL(err, TK_ERANGE,
                   "%s: %ld is outside the valid range [%ld, %ld]", what, v,
                   lo, hi);
  *out = v;
  return TK_OK;
}

int tk_parse_u64(const char *s, const char *what, uint64_t *out, tk_err *err)
{
  if (s == NULL || *s == '\0' || *s == '-')
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' is not a non-negative integer",
                   what, s ? s : "");
  char *end = NULL;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (end == s || *end != '\0' || errno == ERANGE)
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' is not a non-negative integer",
                   what, s);
  *out = (uint64_t)v;
  return TK_OK;
}

int tk_parse_temp_K(const char *s, const char *what, double *out_K,
                    tk_err *err)
{
  if (s == NULL || *s == '\0')
    return TK_FAIL(err, TK_EINVAL, "%s: missing temperature", what);
  size_t len = strlen(s);
  double v;
  if (s[len - 1] == 'C' || s[len - 1] == 'c' || s[len - 1] == 'K' ||
      s[len - 1] == 'k') {
    char buf[64];
    if (len >= sizeof buf)
      return TK_FAIL(err, TK_EINVAL, "%s: '%s' is too long", what, s);
    memcpy(buf, s, len - 1);
    buf[len - 1] = '\0';
    if (tk_parse_double(buf, what, &v, NULL) != 0)
      return TK_FAIL(err, TK_EINVAL,
                     "%s: '%s' is not a temperature (kelvin, or Celsius with a C suffix)",
                     what, s);
    if (s[len - 1] == 'C' || s[len - 1] == 'c')
      v += 273.15;
  } else {
    TK_TRY(tk_parse_double(s, what, &v, err));
  }
  if (!(v > 0.0) || v > 2000.0)
    return TK_FAIL(err, TK_ERANGE,
                   "%s: temperature %g K is outside the valid range (0, 2000] K "
                   "(use a C suffix for Celsius)",
                   what, v);
  *out_K = v;
  return TK_OK;
}

int tk_parse_list(const char *s, const char *what,
                  int (*item)(const char *, const char *, double *, tk_err *),
                  double **out, size_t *n, tk_err *err)
{
  if (s == NULL || *s == '\0')
    return TK_FAIL(err, TK_EINVAL, "%s: empty list", what);
  /* strtok_r below would skip an empty entry ("300,,310") silently */
  size_t len = strlen(s);
  if (s[0] == ',' || s[len - 1] == ',' || strstr(s, ",,") != NULL)
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' has an empty entry", what, s);
  size_t cap = 1;
  for (const char *c = s; *c; c++)
    cap += (*c == ',');
  double *v = malloc(cap * sizeof *v);
  char *copy = strdup(s);
  if (v == NULL || copy == NULL) {
    free(v);
    free(copy);
    return TK_FAIL(err, TK_ENOMEM, "%s: out of memory", what);
  }
  size_t k = 0;
  char *save = NULL;
  for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
       tok = strtok_r(NULL, ",", &save)) {
    int rc = item(tok, what, &v[k], err);
    if (rc != 0) {
      free(v);
      free(copy);
      return rc;
    }
    k++;
  }
  free(copy);
  if (k == 0) {
    free(v);
    return TK_FAIL(err, TK_EINVAL, "%s: empty list", what);
  }
  *out = v;
  *n = k;
  return TK_OK;
}

int tk_parse_range(const char *s, const char *what, double **out, size_t *n,
                   tk_err *err)
{
  if (s == NULL || *s == '\0')
    return TK_FAIL(err, TK_EINVAL, "%s: missing range", what);
  if (strchr(s, ':') == NULL) {
    double *v = malloc(sizeof *v);
    if (v == NULL)
      return TK_FAIL(err, TK_ENOMEM, "%s: out of memory", what);
    int rc = tk_parse_double(s, what, v, err);
    if (rc != 0) {
      free(v);
      return rc;
    }
    *out = v;
    *n = 1;
    return TK_OK;
  }
  char a[64], b[64], c[64];
  const char *p1 = strchr(s, ':');
  const char *p2 = p1 ? strchr(p1 + 1, ':') : NULL;
  if (p2 == NULL || strchr(p2 + 1, ':') != NULL ||
      (size_t)(p1 - s) >= sizeof a || (size_t)(p2 - p1 - 1) >= sizeof b ||
      strlen(p2 + 1) >= sizeof c)
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' is not of the form A:B:N", what, s);
  memcpy(a, s, (size_t)(p1 - s));
  a[p1 - s] = '\0';
  memcpy(b, p1 + 1, (size_t)(p2 - p1 - 1));
  b[p2 - p1 - 1] = '\0';
  strcpy(c, p2 + 1);
  if (a[0] == '\0' || b[0] == '\0' || c[0] == '\0')
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' has an empty field (A:B:N)",
                   what, s);
  double lo, hi;
  long cnt;
  TK_TRY(tk_parse_double(a, what, &lo, err));
  TK_TRY(tk_parse_double(b, what, &hi, err));
  if (tk_parse_long_in(c, what, 2, 1000000, &cnt, err) != 0)
    return TK_FAIL(err, TK_EINVAL, "%s: in '%s' the count N must be an "
                   "integer >= 2 (at most 1000000)", what, s);
  if (!(hi > lo))
    return TK_FAIL(err, TK_EINVAL, "%s: in '%s' B must be greater than A", what,
                   s);
  /* the values below are lo + (hi - lo) * i / (N - 1): every product
   * must be finite (a span near DBL_MAX times N overflows) */
  if (!isfinite((hi - lo) * (double)(cnt - 1)))
    return TK_FAIL(err, TK_ERANGE, "%s: in '%s' (B - A) * (N - 1) is not a "
                   "finite number", what, s);
  double *v = malloc((size_t)cnt * sizeof *v);
  if (v == NULL)
    return TK_FAIL(err, TK_ENOMEM, "%s: out of memory", what);
  for (long i = 0; i < cnt; i++)
    v[i] = lo + (hi - lo) * (double)i / (double)(cnt - 1);
  *out = v;
  *n = (size_t)cnt;
  return TK_OK;
}
