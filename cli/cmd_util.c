/* cmd_util.c -- usage errors, failure reports and the summary line. */
#include "cli/cmd.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsu/tsu_celltab.h"

static char command_line[4096];

void cmd_set_command_line(int argc, char **argv)
{
  size_t len = 0;
  command_line[0] = '\0';
  for (int i = 0; i < argc; i++) {
    const char *a = i == 0 ? "tsukit" : argv[i];
    int quote = strpbrk(a, " \t\"'") != NULL;
    int n = snprintf(command_line + len, sizeof command_line - len,
                     quote ? "%s'%s'" : "%s%s", i ? " " : "", a);
    if (n < 0 || (size_t)n >= sizeof command_line - len)
      break;
    len += (size_t)n;
  }
}

const char *cmd_command_line(void)
{
  return command_line;
}

int cmd_check_chip_size(const char *cmd, long L, long chains, int jumps,
                        int save_states)
{
  double n = (double)L * (double)L, groups = (double)((chains + 63) / 64);
  if (n * groups >= 4294967296.0)
    return cmd_usage_error(cmd, "--L %ld with --chains %ld: %.3g words of "
                           "64 chains, the sampler holds fewer than 2^32 "
                           "(L^2 x ceil(chains / 64))", L, chains,
                           n * groups);
  double need = n * groups * 8 + n * 4 * jumps * 24 +
                (save_states ? n * (double)chains : 0);
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  double have = pages > 0 && page > 0 ? (double)pages * (double)page : 0;
  if (have > 0 && need > have)
    return cmd_usage_error(cmd, "--L %ld with --chains %ld needs at least "
                           "%.3g GB (chip state%s and graph), more than this "
                           "machine's %.3g GB of memory", L, chains,
                           need / 1e9, save_states ? ", saved states" : "",
                           have / 1e9);
  return 0;
}

int cmd_check_time_points(const char *cmd, double time_s, double step_s,
                          const char *step_opt)
{
  if (!(time_s / step_s > CMD_MAX_TIME_POINTS))
    return 0;
  return cmd_usage_error(cmd, "--time %g s with %s %g s is %.3g time points "
                         "per record, more than the limit of %.0e (memory)",
                         time_s, step_opt, step_s, time_s / step_s,
                         CMD_MAX_TIME_POINTS);
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "tsukit %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (see 'tsukit %s --help')\n", cmd);
  return CMD_EXIT_USAGE;
}

int cmd_fail(const char *cmd, const tk_err *err)
{
  fprintf(stderr, "tsukit %s: error: %s\n", cmd, tk_err_text(err));
  if (err != NULL && (err->status == TK_EINVAL || err->status == TK_ERANGE))
    return CMD_EXIT_USAGE;
  return CMD_EXIT_FAIL;
}

void cmd_kv_init(cmd_kv *kv)
{
  kv->buf[0] = '\0';
  kv->len = 0;
}

static void kv_append(cmd_kv *kv, const char *key, const char *val)
{
  int n = snprintf(kv->buf + kv->len, sizeof kv->buf - kv->len, "%s%s=%s",
                   kv->len ? " " : "", key, val);
  if (n > 0 && (size_t)n < sizeof kv->buf - kv->len)
    kv->len += (size_t)n;
}

void cmd_kv_double(cmd_kv *kv, const char *key, double v)
{
  char s[64];
  snprintf(s, sizeof s, "%.6g", v);
  kv_append(kv, key, s);
}

void cmd_kv_long(cmd_kv *kv, const char *key, long v)
{
  char s[32];
  snprintf(s, sizeof s, "%ld", v);
  kv_append(kv, key, s);
}

void cmd_kv_str(cmd_kv *kv, const char *key, const char *v)
{
  kv_append(kv, key, v);
}

void cmd_kv_list(cmd_kv *kv, const char *key, const double *x, size_t n)
{
  char buf[1024];
  size_t len = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && len < sizeof buf - 32; i++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.6g",
                            i ? "," : "", x[i]);
  cmd_kv_str(kv, key, buf);
}

void cmd_kv_end(cmd_kv *kv)
{
  printf("%s\n", kv->buf);
  fflush(stdout);
}

const char *cmd_kv_get(const cmd_kv *kv, const char *key, char *buf,
                       size_t size)
{
  size_t klen = strlen(key);
  const char *p = kv->buf;
  while (*p) {
    if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
      const char *v = p + klen + 1;
      size_t n = strcspn(v, " ");
      if (n >= size)
        n = size - 1;
      memcpy(buf, v, n);
      buf[n] = '\0';
      return buf;
    }
    p += strcspn(p, " ");
    while (*p == ' ')
      p++;
  }
  return NULL;
}

int cmd_print_kv(int (*fn)(int argc, char **argv, cmd_kv *kv), int argc,
                 char **argv)
{
  cmd_kv kv;
  cmd_kv_init(&kv);
  int rc = fn(argc, argv, &kv);
  if (rc == CMD_EXIT_OK && kv.len > 0)
    cmd_kv_end(&kv);
  return rc;
}

int cmd_wants_help(int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
      return 1;
  return 0;
}

const char *const cmd_mismatch_choices[] = {"auto", "instances", "gaussian",
                                            "none", NULL};
_Static_assert(TSU_MISMATCH_AUTO == 0 && TSU_MISMATCH_INSTANCES == 1 &&
                   TSU_MISMATCH_GAUSSIAN == 2 && TSU_MISMATCH_NONE == 3,
               "cmd_mismatch_choices follows tsu_mismatch");
