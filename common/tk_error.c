/* tk_error.c -- status messages and the caller-owned error record. */
#include "common/tk_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_msgs[] = {
#define TK_STATUS_MSG_(name, msg) msg,
  TK_STATUS_LIST(TK_STATUS_MSG_)
#undef TK_STATUS_MSG_
};

static const char *const status_names[] = {
#define TK_STATUS_NAME_(name, msg) #name,
  TK_STATUS_LIST(TK_STATUS_NAME_)
#undef TK_STATUS_NAME_
};

const char *tk_status_message(int status)
{
  if (status < 0 || status >= TK_STATUS_COUNT_)
    return "unknown status";
  return status_msgs[status];
}

const char *tk_status_name(int status)
{
  if (status < 0 || status >= TK_STATUS_COUNT_)
    return "UNKNOWN";
  return status_names[status];
}

int tk_err_set(tk_err *err, int status, const char *file, int line,
               const char *fmt, ...)
{
  if (err == NULL)
    return status;
  err->status = status;
  err->file = file;
  err->line = line;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return status;
}

int tk_err_wrap(tk_err *err, int status, const char *fmt, ...)
{
  if (err == NULL)
    return status;
  if (err->status == 0)
    err->status = status;
  char prefix[TK_ERR_MSG_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  char old[TK_ERR_MSG_MAX];
  memcpy(old, err->msg, sizeof old);
  const char *rest = old[0] != '\0' ? old : tk_status_message(err->status);
  /* prefix + ": " + rest, truncated to the record */
  size_t n = strlen(prefix);
  if (n > sizeof err->msg - 1)
    n = sizeof err->msg - 1;
  memcpy(err->msg, prefix, n);
  size_t room = sizeof err->msg - 1 - n;
  const char *sep = ": ";
  for (size_t i = 0; i < 2 && room > 0; i++, room--)
    err->msg[n++] = sep[i];
  size_t r = strlen(rest);
  if (r > room)
    r = room;
  memcpy(err->msg + n, rest, r);
  err->msg[n + r] = '\0';
  return err->status;
}

void tk_err_clear(tk_err *err)
{
  if (err == NULL)
    return;
  err->status = 0;
  err->file = NULL;
  err->line = 0;
  err->msg[0] = '\0';
}

const char *tk_err_text(const tk_err *err)
{
  if (err == NULL)
    return "unknown error";
  if (err->msg[0] != '\0')
    return err->msg;
  return tk_status_message(err->status);
}
