/* tka.c -- the flat C API's common part (tka.h): version, init, free.
 * Workload: trivial; called once per process or per handed-out array. */
#include "config.h"

#include "api/tka.h"

#include <stdlib.h>

#include "common/tk_init.h"
#include "common/tk_status.h"

const char *tka_version(void)
{
  return PACKAGE_VERSION;
}

size_t tka_err_size(void)
{
  return sizeof(tk_err);
}

void tka_init(int progress)
{
  tk_init_params p = tk_init_default_params();
  if (progress == TK_PROGRESS_ALWAYS || progress == TK_PROGRESS_NEVER ||
      progress == TK_PROGRESS_AUTO)  /* else: the default's mode */
    p.progress = progress;
  tk_init(&p);
}

void tka_free(void *p)
{
  free(p);
}

const char *tka_status_message(int status)
{
  return tk_status_message(status);
}

const char *tka_status_name(int status)
{
  return tk_status_name(status);
}
