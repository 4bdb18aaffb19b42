/* tk_status.h -- status codes for every fallible tsukit function.
 *
 * One X-macro list makes the enum, the messages and the names (libuv's
 * habit), so a code can never lack a message.  0 is success; every
 * other value is a failure kind, detailed by a tk_err (tk_error.h).
 */
#ifndef TK_STATUS_H
#define TK_STATUS_H

#define TK_STATUS_LIST(X)                                                   \
  X(OK,          "success")                                                 \
  X(EINVAL,      "invalid argument")                                        \
  X(ERANGE,      "value out of range")                                      \
  X(ENOMEM,      "out of memory")                                           \
  X(EIO,         "input/output error")                                      \
  X(EFORMAT,     "corrupt or unexpected file content")                      \
  X(ENOTFOUND,   "not found")                                               \
  X(EEXIST,      "already exists")                                          \
  X(ENUMERIC,    "numerical failure (NaN, divergence or no convergence)")   \
  X(ESPICE,      "ngspice failure")                                         \
  X(EINTERRUPT,  "interrupted")                                             \
  X(EUNSUPPORTED,"not supported by this build")                             \
  X(EINTERNAL,   "internal error")

typedef enum {
#define TK_STATUS_ENUM_(name, msg) TK_##name,
  TK_STATUS_LIST(TK_STATUS_ENUM_)
#undef TK_STATUS_ENUM_
  TK_STATUS_COUNT_
} tk_status;

/* Message and symbolic name of a status ("invalid argument", "EINVAL");
 * unknown codes give "unknown status". */
const char *tk_status_message(int status);
const char *tk_status_name(int status);

#endif
