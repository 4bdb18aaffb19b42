/* test_common.c -- status table, error records, strict parsing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_error.h"
#include "common/tk_parse.h"
#include "tests/tk_test.h"

static int fail_here(tk_err *err)
{
  return TK_FAIL(err, TK_ERANGE, "value %d too big", 7);
}

static void status_table(void)
{
  int distinct = 1;
  for (int i = 0; i < TK_STATUS_COUNT_; i++)
    for (int j = 0; j < i; j++)
      distinct &= strcmp(tk_status_message(i), tk_status_message(j)) != 0;
  TKT_OK(distinct, "every status has its own message (%d codes)", TK_STATUS_COUNT_);
  TKT_OK(strcmp(tk_status_name(TK_EINVAL), "EINVAL") == 0, "names come from the same list");
  TKT_OK(strcmp(tk_status_message(9999), "unknown status") == 0, "unknown codes are safe");

  tk_err e = {0};
  int rc = fail_here(&e);
  TKT_OK(rc == TK_ERANGE && e.status == TK_ERANGE, "TK_FAIL returns and records the status");
  TKT_OK(e.line > 0 && e.file && strstr(e.file, "test_common.c"), "TK_FAIL records file and line");
  TKT_OK(strcmp(e.msg, "value 7 too big") == 0, "TK_FAIL formats the message");
  tk_err_wrap(&e, TK_EIO, "reading %s", "x.h5");
  TKT_OK(strcmp(e.msg, "reading x.h5: value 7 too big") == 0, "wrap prefixes context");
  TKT_OK(fail_here(NULL) == TK_ERANGE, "a NULL error record is allowed");
}

static void parsing(void)
{
  tk_err e = {0};
  double v;
  TKT_OK(tk_parse_double("2.385", "--x", &v, &e) == 0 && v == 2.385, "parse a double");
  TKT_OK(tk_parse_double("nan", "--x", &v, &e) == TK_EINVAL, "NaN is rejected");
  TKT_OK(strstr(e.msg, "--x") != NULL, "the message names the option");
  TKT_OK(tk_parse_double("inf", "--x", &v, &e) != 0, "inf is rejected");
  TKT_OK(tk_parse_double("1.5V", "--x", &v, &e) != 0, "trailing garbage is rejected");
  TKT_OK(tk_parse_double_in("3", "--x", 0, 2, &v, &e) == TK_ERANGE, "range is enforced");
  TKT_OK(tk_parse_temp_K("-40C", "--temp", &v, &e) == 0 && fabs(v - 233.15) < 1e-12,
         "-40C is 233.15 K");
  TKT_OK(tk_parse_temp_K("398", "--temp", &v, &e) == 0 && v == 398, "plain kelvin");
  TKT_OK(tk_parse_temp_K("0", "--temp", &v, &e) == TK_ERANGE, "0 K is rejected");
  TKT_OK(tk_parse_temp_K("-300C", "--temp", &v, &e) == TK_ERANGE, "below absolute zero is rejected");

  double *a = NULL;
  size_t n = 0;
  TKT_OK(tk_parse_range("-0.1:0.1:21", "--vctl", &a, &n, &e) == 0 && n == 21 &&
         fabs(a[0] + 0.1) < 1e-15 && fabs(a[20] - 0.1) < 1e-15 && fabs(a[10]) < 1e-15,
         "A:B:N gives N points from A to B");
  free(a);
  a = NULL;
  TKT_OK(tk_parse_range("0:1:1", "--vctl", &a, &n, &e) == TK_EINVAL, "N < 2 is rejected");
  TKT_OK(tk_parse_range("1:0:5", "--vctl", &a, &n, &e) == TK_EINVAL, "B < A is rejected");
  TKT_OK(tk_parse_range("0:1", "--vctl", &a, &n, &e) == TK_EINVAL, "two fields are rejected");
  TKT_OK(tk_parse_list("233,27C,398", "--temp", tk_parse_temp_K, &a, &n, &e) == 0 &&
         n == 3 && fabs(a[1] - 300.15) < 1e-12, "temperature list with a C suffix");
  free(a);
  a = NULL;
  TKT_OK(tk_parse_list("1,,x", "--temp", tk_parse_temp_K, &a, &n, &e) != 0 && a == NULL,
         "a bad list item fails and allocates nothing");
  long l;
  TKT_OK(tk_parse_long_in("12", "--n", 1, 10, &l, &e) == TK_ERANGE, "integer range");
  TKT_OK(tk_parse_long_in("1e3", "--n", 1, 10000, &l, &e) == TK_EINVAL, "integer syntax");
}

int main(void)
{
  status_table();
  parsing();
  return tkt_done();
}
