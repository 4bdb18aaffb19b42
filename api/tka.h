/* tka.h -- the flat C API: tsukit for foreign-function callers (the
 * Python package python/tsukit over ctypes; any language with a C FFI).
 *
 * The folder APIs below take parameter structs, nested tables and
 * callbacks that a C program fills directly; a foreign caller would have
 * to mirror every struct layout.  The api/ layer (prefix tka_) offers the
 * same work as functions of plain scalars, strings and flat arrays, with
 * opaque handles (tka_X_open / tka_X_free, free(NULL) fine), and nothing
 * re-implemented: every call is one of the run/, tsu/, io/, calibrate/
 * or physics/ functions named in its header.
 *
 * Conventions: every fallible function returns a tk_status (0 = ok) and
 * fills a caller-owned tk_err (common/tk_error.h; tka_err_size() lets a
 * binding check its mirror of the struct).  Arrays are row-major,
 * double precision SI values unless named otherwise; every array
 * argument is checked (NULL, length, finiteness) before use, so bad
 * input is a status, never a crash.  Long calls take `const volatile int
 * *stop` (may be NULL): another thread sets *stop to make the call
 * return TK_EINTERRUPT at its next check, leaving no partial file.
 * Memory a tka_ call returns through a pointer-to-pointer is released
 * with tka_free.
 *
 * Layer: above experiments/, below cli/ (docs/ARCHITECTURE.md).
 */
#ifndef TKA_H
#define TKA_H

#include <stddef.h>

#include "common/tk_error.h"

/* The package version ("0.1.0"). */
const char *tka_version(void);
/* sizeof(tk_err), for a binding that mirrors it. */
size_t tka_err_size(void);
/* tk_init with the given progress mode (TK_PROGRESS_AUTO, _ALWAYS,
 * _NEVER; negative: the default, TSUKIT_PROGRESS honoured).  Call once,
 * before any other call. */
void tka_init(int progress);
/* free() for memory the tka_ functions hand out. */
void tka_free(void *p);
/* Message and symbolic name of a status (tk_status_message / _name). */
const char *tka_status_message(int status);
const char *tka_status_name(int status);

#endif
