/* cmd_opt.c -- table-driven option parsing and help (cmd_opt.h). */
#include "cli/cmd_opt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/tk_parse.h"

/* Help layout: option names from column 2, their text from HELP_COL. */
#define HELP_COL 20
#define HELP_WIDTH 78

static int is_numeric(cmd_opt_type t)
{
  return t == CMD_OPT_DOUBLE || t == CMD_OPT_LONG || t == CMD_OPT_LIST ||
         t == CMD_OPT_RANGE;
}

/* "[lo, hi] unit" with open ends as parentheses. */
static void range_text(const cmd_opt *o, char *buf, size_t size)
{
  snprintf(buf, size, "%c%g, %g%c%s%s", (o->flags & CMD_OPT_LO_OPEN) ? '(' : '[',
           o->lo, o->hi, (o->flags & CMD_OPT_HI_OPEN) ? ')' : ']',
           o->unit ? " " : "", o->unit ? o->unit : "");
}

static int in_range(const cmd_opt *o, double v)
{
  if (o->lo == 0 && o->hi == 0) /* no range given */
    return 1;
  if ((o->flags & CMD_OPT_LO_OPEN) ? !(v > o->lo) : !(v >= o->lo))
    return 0;
  if ((o->flags & CMD_OPT_HI_OPEN) ? !(v < o->hi) : !(v <= o->hi))
    return 0;
  return 1;
}

static int out_of_range(const cmd_opt *o, const char *what, double v, tk_err *err)
{
  char r[128];
  range_text(o, r, sizeof r);
  return TK_FAIL(err, TK_ERANGE, "%s: %g is outside the valid range %s", what, v, r);
}

static int parse_list_value(const cmd_opt *o, const char *arg, const char *what,
                            tk_err *err)
{
  cmd_opt_list *l = o->target;
  double *v = NULL;
  size_t n = 0;
  int rc;
  if (o->type == CMD_OPT_TEMPS)
    rc = tk_parse_list(arg, what, tk_parse_temp_K, &v, &n, err);
  else if (o->type == CMD_OPT_LIST)
    rc = tk_parse_list(arg, what, tk_parse_double, &v, &n, err);
  else
    rc = tk_parse_range(arg, what, &v, &n, err);
  if (rc != 0)
    return rc;
  for (size_t i = 0; i < n && o->type != CMD_OPT_TEMPS; i++)
    if (!in_range(o, v[i])) {
      double bad = v[i];
      free(v);
      return out_of_range(o, what, bad, err);
    }
  free(l->v);
  l->v = v;
  l->n = n;
  return TK_OK;
}

static int parse_value(const cmd_opt *o, const char *arg, const char *what,
                       tk_err *err)
{
  switch (o->type) {
  case CMD_OPT_DOUBLE: {
    double v;
    TK_TRY(tk_parse_double(arg, what, &v, err));
    if (!in_range(o, v))
      return out_of_range(o, what, v, err);
    *(double *)o->target = v;
    return TK_OK;
  }
  case CMD_OPT_LONG: {
    long v;
    TK_TRY(tk_parse_long_in(arg, what, (long)o->lo, (long)o->hi, &v, err));
    *(long *)o->target = v;
    return TK_OK;
  }
  case CMD_OPT_U64:
    return tk_parse_u64(arg, what, o->target, err);
  case CMD_OPT_TEMP:
    return tk_parse_temp_K(arg, what, o->target, err);
  case CMD_OPT_TEMPS:
  case CMD_OPT_LIST:
  case CMD_OPT_RANGE:
    return parse_list_value(o, arg, what, err);
  case CMD_OPT_STR:
    if (arg[0] == '\0')
      return TK_FAIL(err, TK_EINVAL, "%s: empty value", what);
    *(const char **)o->target = arg;
    return TK_OK;
  case CMD_OPT_CHOICE:
    for (int i = 0; o->choices[i] != NULL; i++)
      if (strcmp(o->choices[i], arg) == 0) {
        *(int *)o->target = i;
        return TK_OK;
      }
    {
      char words[512] = "";
      size_t len = 0;
      for (int i = 0; o->choices[i] != NULL && len < sizeof words; i++) {
        int k = snprintf(words + len, sizeof words - len, "%s%s", i ? ", " : "",
                         o->choices[i]);
        if (k > 0)
          len += (size_t)k;
      }
      return TK_FAIL(err, TK_ERANGE, "%s: '%s' is outside the valid range {%s}",
                     what, arg, words);
    }
  case CMD_OPT_FN:
    return o->fn(arg, what, o->target, err);
  case CMD_OPT_FLAG:
  case CMD_OPT_END:
    break;
  }
  return TK_FAIL(err, TK_EINVAL, "%s: takes no value", what);
}

static const cmd_opt *find_long(const cmd_opt *opts, const char *name, size_t len)
{
  for (const cmd_opt *o = opts; o->name != NULL; o++)
    if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
      return o;
  return NULL;
}

static const cmd_opt *find_short(const cmd_opt *opts, char c)
{
  for (const cmd_opt *o = opts; o->name != NULL; o++)
    if (o->short_name == c)
      return o;
  return NULL;
}

int cmd_opt_parse(const cmd_spec *spec, int argc, char **argv, char **args,
                  int *n_args)
{
  const char *cmd = spec->name;
  size_t n_opts = 0;
  while (spec->opts[n_opts].name != NULL)
    n_opts++;
  char given[256] = {0};
  if (n_opts > sizeof given)
    return cmd_usage_error(cmd, "internal: option table too long");
  int na = 0, only_args = 0;
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--") == 0)
      break;
    else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      cmd_opt_usage(spec, stdout);
      return CMD_OPT_HELP;
    }
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (only_args || a[0] != '-' || a[1] == '\0') {
      if (na >= spec->max_args)
        return cmd_usage_error(cmd, "unexpected argument '%s'", a);
      args[na++] = argv[i];
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_args = 1;
      continue;
    }
    const cmd_opt *o;
    const char *value = NULL;
    char what[80];
    if (a[1] == '-') {
      const char *eq = strchr(a + 2, '=');
      size_t len = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
      o = find_long(spec->opts, a + 2, len);
      if (o != NULL && eq != NULL)
        value = eq + 1;
      snprintf(what, sizeof what, "--%.*s", (int)len, a + 2);
    } else {
      o = a[2] == '\0' ? find_short(spec->opts, a[1]) : NULL;
      snprintf(what, sizeof what, "-%c", a[1]);
    }
    if (o == NULL)
      return cmd_usage_error(cmd, "unknown option '%s'", a);
    size_t k = (size_t)(o - spec->opts);
    if (given[k] && !(o->flags & CMD_OPT_REPEAT))
      return cmd_usage_error(cmd, "%s given twice", what);
    given[k] = 1;
    if (o->seen != NULL)
      *o->seen = 1;
    if (o->type == CMD_OPT_FLAG) {
      if (value != NULL)
        return cmd_usage_error(cmd, "%s takes no value", what);
      *(int *)o->target = 1;
      continue;
    }
    if (value == NULL) {
      if (i + 1 >= argc)
        return cmd_usage_error(cmd, "%s needs a value (%s)", what,
                               o->meta ? o->meta : "see the help");
      value = argv[++i];
    }
    tk_err err = {0};
    if (parse_value(o, value, what, &err) != 0) {
      if (err.status == TK_ERANGE || !is_numeric(o->type) || (o->lo == 0 && o->hi == 0))
        return cmd_usage_error(cmd, "%s", tk_err_text(&err));
      char r[128];
      range_text(o, r, sizeof r);
      return cmd_usage_error(cmd, "%s (valid range: %s)", tk_err_text(&err), r);
    }
  }
  for (size_t k = 0; k < n_opts; k++) {
    const cmd_opt *o = &spec->opts[k];
    if ((o->flags & CMD_OPT_REQUIRED) && !given[k]) {
      char r[128] = "";
      if (is_numeric(o->type) && !(o->lo == 0 && o->hi == 0)) {
        r[0] = ' ';
        r[1] = '(';
        range_text(o, r + 2, sizeof r - 3);
        strcat(r, ")");
      }
      return cmd_usage_error(cmd, "--%s is required%s", o->name, r);
    }
  }
  if (n_args != NULL)
    *n_args = na;
  return CMD_OPT_OK;
}

void cmd_opt_usage(const cmd_spec *spec, FILE *f)
{
  fprintf(f, "usage: %s\n", spec->synopsis);
  if (spec->about != NULL && spec->about[0] != '\0')
    fprintf(f, "\n%s", spec->about);
  if (spec->opts[0].name == NULL)
    return;
  fprintf(f, "\n");
  cmd_opt_usage_options(spec->opts, f);
}

void cmd_opt_usage_options(const cmd_opt *opts, FILE *f)
{
  for (const cmd_opt *o = opts; o->name != NULL; o++) {
    char head[96];
    if (o->short_name)
      snprintf(head, sizeof head, "-%c, --%s%s%s", o->short_name, o->name,
               o->meta ? " " : "", o->meta ? o->meta : "");
    else
      snprintf(head, sizeof head, "--%s%s%s", o->name, o->meta ? " " : "",
               o->meta ? o->meta : "");
    const char *h = o->help ? o->help : "";
    int col = 2 + (int)strlen(head);
    fprintf(f, "  %s", head);
    if (col >= HELP_COL) {
      fprintf(f, "\n");
      col = 0;
    }
    fprintf(f, "%*s", HELP_COL - col, "");
    col = HELP_COL;
    /* words wrapped at HELP_WIDTH, '\n' forces a new line */
    while (*h) {
      size_t w = strcspn(h, " \n");
      if (col > HELP_COL && col + 1 + (int)w > HELP_WIDTH) {
        fprintf(f, "\n%*s", HELP_COL, "");
        col = HELP_COL;
      } else if (col > HELP_COL) {
        fputc(' ', f);
        col++;
      }
      fwrite(h, 1, w, f);
      col += (int)w;
      h += w;
      if (*h == '\n') {
        fprintf(f, "\n%*s", HELP_COL, "");
        col = HELP_COL;
      }
      while (*h == ' ' || *h == '\n')
        h++;
    }
    fputc('\n', f);
  }
}

void cmd_opt_free(const cmd_spec *spec)
{
  for (const cmd_opt *o = spec->opts; o->name != NULL; o++)
    if (o->type == CMD_OPT_TEMPS || o->type == CMD_OPT_LIST ||
        o->type == CMD_OPT_RANGE) {
      cmd_opt_list *l = o->target;
      free(l->v);
      l->v = NULL;
      l->n = 0;
    }
}
