/* fuzz_util.c -- input files and the error contract shared by the
 * harnesses (fuzz.h).  Process-global state (the private folder) is fine
 * here: a harness is its own program, never library code. */
#include "fuzz/fuzz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir_path[4096];     /* the private folder, "" until made */
static char made[4][64];        /* names written in it (removed at exit) */
static char made_path[4][4096 + 64 + 2]; /* their paths */

static void dir_cleanup(void)
{
  for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
    if (made[i][0] != '\0')
      unlink(made_path[i]);
  rmdir(dir_path);
}

const char *fuzz_dirfile(const uint8_t *data, size_t size, const char *name)
{
  if (dir_path[0] == '\0') {
    /* $TMPDIR, else /dev/shm (memory), else /tmp */
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || *tmp == '\0')
      tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir_path, sizeof dir_path, "%s/tsukit-fuzz-XXXXXX", tmp);
    if (mkdtemp(dir_path) == NULL) {
      dir_path[0] = '\0';
      return NULL;
    }
    atexit(dir_cleanup);
  }
  size_t i = 0;
  while (i < sizeof made / sizeof made[0] && made[i][0] != '\0' &&
         strcmp(made[i], name) != 0)
    i++;
  if (i == sizeof made / sizeof made[0] || strlen(name) >= sizeof made[0])
    return NULL;
  if (made[i][0] == '\0') {
    snprintf(made[i], sizeof made[i], "%s", name);
    snprintf(made_path[i], sizeof made_path[i], "%s/%s", dir_path, made[i]);
  }
  FILE *f = fopen(made_path[i], "wb");
  if (f == NULL)
    return NULL;
  size_t w = fwrite(data, 1, size, f);
  if (fclose(f) != 0 || w != size)
    return NULL;
  return made_path[i];
}

const char *fuzz_memfile(const uint8_t *data, size_t size)
{
  return fuzz_dirfile(data, size, "input");
}

char *fuzz_string(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if (s == NULL)
    return NULL;
  memcpy(s, data, size);
  s[size] = '\0';
  return s;
}

void fuzz_fail(const char *what, const char *detail)
{
  fprintf(stderr, "fuzz contract broken: %s: %s\n", what,
          detail != NULL ? detail : "");
  abort();
}

void fuzz_check_error(int rc, const tk_err *err, const char *what)
{
  if (rc == 0)
    return;
  static int verbose = -1;   /* TSUKIT_FUZZ_VERBOSE=1: print each failure */
  if (verbose < 0)
    verbose = getenv("TSUKIT_FUZZ_VERBOSE") != NULL;
  if (verbose)
    fprintf(stderr, "%s: %s\n", what, err->msg);
  if (err->status != rc)
    fuzz_fail(what, "status returned differs from the one recorded");
  size_t n = strnlen(err->msg, sizeof err->msg);
  if (n == 0)
    fuzz_fail(what, "failure with an empty message");
  if (n == sizeof err->msg)
    fuzz_fail(what, "message not terminated");
  if (memchr(err->msg, '\n', n) != NULL)
    fuzz_fail(what, err->msg);
}
