/* cmd_opt.h -- the one option layer of the `tsukit` commands.
 *
 * A command describes its options in a table (cmd_opt, one row per
 * option: name, type, target, valid range, unit, help line) and calls
 * cmd_opt_parse(): the parser checks every value (finite numbers inside
 * their range, one of a list of words, temperature lists, A:B:N ranges),
 * refuses unknown, incomplete and repeated options and missing required
 * ones with one line naming the option and the valid range (exit 2), and
 * prints the command's help -- synopsis, about-text and the option list
 * made from the same table -- for -h/--help.  The table is therefore the
 * one place an option is declared; `--help`, the man pages (man/) and the
 * error messages follow it.
 *
 * Workload: one call per command invocation; tables of tens of rows.
 */
#ifndef CMD_OPT_H
#define CMD_OPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/tk_error.h"

typedef enum cmd_opt_type {
  CMD_OPT_END = 0,  /* terminates a table */
  CMD_OPT_FLAG,     /* int *: set to 1; takes no value */
  CMD_OPT_DOUBLE,   /* double *: finite, inside [lo, hi] (see flags) */
  CMD_OPT_LONG,     /* long *: integer inside [lo, hi] */
  CMD_OPT_U64,      /* uint64_t *: unsigned 64-bit (seeds) */
  CMD_OPT_TEMP,     /* double *: kelvin, or Celsius with a C suffix */
  CMD_OPT_TEMPS,    /* cmd_opt_list *: comma list of temperatures */
  CMD_OPT_LIST,     /* cmd_opt_list *: comma list of doubles in [lo, hi] */
  CMD_OPT_RANGE,    /* cmd_opt_list *: "A:B:N" or one number, in [lo, hi] */
  CMD_OPT_STR,      /* const char **: any non-empty text (a file, a name) */
  CMD_OPT_CHOICE,   /* int *: index of the value in `choices` */
  CMD_OPT_FN        /* custom: fn(arg, what, target, err) */
} cmd_opt_type;

enum {
  CMD_OPT_REQUIRED = 1u << 0, /* must be given */
  CMD_OPT_LO_OPEN = 1u << 1,  /* lo itself is outside the range */
  CMD_OPT_HI_OPEN = 1u << 2,  /* hi itself is outside the range */
  CMD_OPT_REPEAT = 1u << 3    /* may be given more than once (last wins) */
};

/* A list value (free its array with cmd_opt_free). */
typedef struct cmd_opt_list {
  double *v;            /* values, in the unit of the option */
  size_t n;             /* count */
} cmd_opt_list;

typedef struct cmd_opt {
  const char *name;     /* long name without "--"; NULL ends the table */
  char short_name;      /* one-letter alias ('o' for -o), or 0 */
  cmd_opt_type type;    /* how the value is read */
  void *target;         /* where it goes (type above) */
  double lo, hi;        /* numeric range, inclusive unless flags say */
  const char *unit;     /* printed after ranges ("V", "K"), or NULL */
  const char *meta;     /* the value's name in help ("V", "FILE") */
  const char *help;     /* help text; may hold '\n' for more lines */
  unsigned flags;       /* CMD_OPT_REQUIRED | ... */
  int *seen;            /* set to 1 when given, or NULL */
  const char *const *choices; /* CMD_OPT_CHOICE: NULL-terminated words */
  int (*fn)(const char *arg, const char *what, void *target, tk_err *err);
} cmd_opt;

typedef struct cmd_spec {
  const char *name;     /* the command as typed: "device", "dtm train" */
  const char *synopsis; /* usage lines, each starting "tsukit ..." */
  const char *about;    /* paragraphs printed between usage and options */
  const cmd_opt *opts;  /* the table, ended by a row with name NULL */
  int max_args;         /* positional arguments accepted (>= 0) */
  const char *args_meta;/* their name in messages ("FILE.cir"), or NULL */
} cmd_spec;

/* Results of cmd_opt_parse besides CMD_EXIT_USAGE. */
#define CMD_OPT_OK 0
#define CMD_OPT_HELP (-1) /* help was printed on stdout: exit 0 */

/* Parse argv[1..argc-1] (argv[0] is the command word) against spec.  On
 * success returns CMD_OPT_OK with the positional arguments in args[0 ..
 * *n_args - 1] (args may be NULL when max_args is 0).  -h/--help anywhere
 * prints the help and returns CMD_OPT_HELP.  Any error prints one line
 * "tsukit NAME: ... (see 'tsukit NAME --help')" on stderr and returns
 * CMD_EXIT_USAGE (2).  Targets of options not given keep their values. */
int cmd_opt_parse(const cmd_spec *spec, int argc, char **argv, char **args,
                  int *n_args);

/* The help text (synopsis, about, the table's option list). */
void cmd_opt_usage(const cmd_spec *spec, FILE *f);
/* The option list alone (one entry per row, help text wrapped). */
void cmd_opt_usage_options(const cmd_opt *opts, FILE *f);

/* Free every cmd_opt_list the table points to (safe to call twice). */
void cmd_opt_free(const cmd_spec *spec);

#endif
