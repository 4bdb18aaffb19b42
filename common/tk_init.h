/* tk_init.h -- the process-wide settings of tsukit, set once.
 *
 * A program that uses libtsukit calls tk_init() once, before any other
 * tsukit call and before starting threads (as curl_global_init): it
 * switches GSL's abort-on-error handler off (every GSL call in tsukit
 * checks its status and reports through tk_err instead) and fixes the
 * progress mode.  These are the only process-wide mutable settings of the
 * library (docs/ARCHITECTURE.md, "Process-wide state"); worker processes
 * forked later inherit them.  Calling it again changes the progress mode
 * only.
 */
#ifndef TK_INIT_H
#define TK_INIT_H

#include "common/tk_progress.h"

typedef struct tk_init_params {
  int progress;  /* TK_PROGRESS_AUTO (terminal only), _ALWAYS or _NEVER */
} tk_init_params;

/* progress = TK_PROGRESS_AUTO, overridden by the environment variable
 * TSUKIT_PROGRESS=always|never when set. */
tk_init_params tk_init_default_params(void);

void tk_init(const tk_init_params *p);

#endif
