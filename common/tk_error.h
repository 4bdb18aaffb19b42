/* tk_error.h -- error detail carried beside a status code.
 *
 * Library functions return an int status (0 = ok) and, when given a
 * non-NULL tk_err, fill it with a one-line message plus the file and line
 * that raised it.  There is no global error state: the caller owns the
 * record.  Library code never exits or aborts on bad input.
 *
 *     if (c_F <= 0)
 *       return TK_FAIL(err, TK_EINVAL, "capacitance %g F must be > 0", c_F);
 */
#ifndef TK_ERROR_H
#define TK_ERROR_H

#include "common/tk_status.h"

#define TK_ERR_MSG_MAX 512

typedef struct tk_err {
  int status;                 /* tk_status; 0 while no error was recorded */
  const char *file;           /* source file that raised it (static string) */
  int line;                   /* line in that file */
  char msg[TK_ERR_MSG_MAX];   /* one line, no trailing newline */
} tk_err;

/* Record a failure and return its status; err may be NULL. */
int tk_err_set(tk_err *err, int status, const char *file, int line,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Prefix existing detail with context ("reading cells.h5: ...").  Returns
 * err->status (or `status` if err is NULL). */
int tk_err_wrap(tk_err *err, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void tk_err_clear(tk_err *err);

/* The message to show a user: detail if any, else the status message. */
const char *tk_err_text(const tk_err *err);

#define TK_FAIL(err, status, ...) \
  tk_err_set((err), (status), __FILE__, __LINE__, __VA_ARGS__)

/* Propagate a failing call unchanged. */
#define TK_TRY(expr)                 \
  do {                               \
    int tk_try_rc_ = (expr);         \
    if (tk_try_rc_ != 0)             \
      return tk_try_rc_;             \
  } while (0)

#endif
