/* tk_init.c -- the process-wide settings (tk_init.h). */
#include "common/tk_init.h"

#include <gsl/gsl_errno.h>
#include <stdlib.h>
#include <string.h>

tk_init_params tk_init_default_params(void)
{
  tk_init_params p;
  p.progress = TK_PROGRESS_AUTO;
  const char *env = getenv("TSUKIT_PROGRESS");
  if (env != NULL && strcmp(env, "always") == 0)
    p.progress = TK_PROGRESS_ALWAYS;
  if (env != NULL && strcmp(env, "never") == 0)
    p.progress = TK_PROGRESS_NEVER;
  return p;
}

void tk_init(const tk_init_params *p)
{
  tk_init_params d = tk_init_default_params();
  if (p == NULL)
    p = &d;
  gsl_set_error_handler_off();
  tk_progress_set_mode(p->progress);
}
