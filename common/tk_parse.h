/* tk_parse.h -- strict parsing of numbers, lists and ranges.
 *
 * Used by the command line and by file readers: every function rejects
 * trailing garbage, NaN and infinities, and says what was wrong in err.
 */
#ifndef TK_PARSE_H
#define TK_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

/* A finite double; `what` names the option in messages ("--vgs"). */
int tk_parse_double(const char *s, const char *what, double *out, tk_err *err);
/* A finite double within [lo, hi]. */
int tk_parse_double_in(const char *s, const char *what, double lo, double hi,
                       double *out, tk_err *err);
/* An integer within [lo, hi]. */
int tk_parse_long_in(const char *s, const char *what, long lo, long hi,
                     long *out, tk_err *err);
int tk_parse_u64(const char *s, const char *what, uint64_t *out, tk_err *err);
/* A temperature, in kelvin, or in Celsius with a C suffix ("-40C"); must
 * be > 0 K. */
int tk_parse_temp_K(const char *s, const char *what, double *out_K,
                    tk_err *err);
/* Comma-separated list into a new array (free with free()); each item
 * through `item` (tk_parse_double or tk_parse_temp_K). */
int tk_parse_list(const char *s, const char *what,
                  int (*item)(const char *, const char *, double *, tk_err *),
                  double **out, size_t *n, tk_err *err);
/* "A:B:N" -> N evenly spaced values from A to B inclusive (N >= 2,
 * B > A); a single number gives one value. */
int tk_parse_range(const char *s, const char *what, double **out, size_t *n,
                   tk_err *err);

#endif
