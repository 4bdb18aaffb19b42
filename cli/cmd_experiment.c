/* cmd_experiment.c -- `tsukit experiment`: run the reproducible
 * experiments (experiments/) and regenerate their report.
 *
 * Workload: one experiment per call (or all of them in turn); the work is
 * in experiments/, this file only parses options and prints summaries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "common/tk_progress.h"
#include "common/tk_parse.h"
#include "experiments/expt.h"

#define DEFAULT_DIR "tsukit-experiments"

#define SYNOPSIS \
  "tsukit experiment NAME [--quick] [-o DIR] [--seed S] [--workers N]\n" \
  "       tsukit experiment all [--quick] [-o DIR] [--seed S] [--workers N]\n" \
  "       tsukit experiment list\n" \
  "       tsukit experiment report [-d DIR] [-o FILE.md]\n" \
  "       tsukit experiment plot NAME [-o DIR]"

static const char about[] =
  "Runs one reproducible experiment (see `tsukit experiment list`): its\n"
  "data go to DIR/NAME.h5 (with provenance: version, command, seed;\n"
  "units on every dataset), its figure to DIR/NAME.png, drawn from that\n"
  "file; an existing result of the same name is replaced.  Prints\n"
  "experiment=NAME, the experiment's own key=value figures, file= and\n"
  "wall_s=.  `all` runs every experiment in turn (their summary lines\n"
  "go to stderr) and prints experiments= failed= wall_s=.  `report`\n"
  "writes the markdown report from the result files in DIR (numbers and\n"
  "figures are read from the files, never typed in); `plot` redraws\n"
  "DIR/NAME.png from DIR/NAME.h5.\n";

/* The options of `experiment NAME|all` (static: the help prints them). */
static expt_ctx run_ctx;
static long run_workers;
static const cmd_opt run_opts[] = {
  {"quick", 0, CMD_OPT_FLAG, &run_ctx.quick, 0, 0, NULL, NULL,
   "the short variant (seconds to tens of seconds; the test suite runs these)",
   0, NULL, NULL, NULL},
  {"out", 'o', CMD_OPT_STR, &run_ctx.out_dir, 0, 0, NULL, "DIR",
   "results folder (default " DEFAULT_DIR "); for report: the report file,"
   "or a folder for FOLDER/REPORT.md (default DIR/REPORT.md)", 0, NULL, NULL, NULL},
  {"seed", 0, CMD_OPT_U64, &run_ctx.seed, 0, 0, NULL, "S",
   "base random seed (default 1)", 0, NULL, NULL, NULL},
  {"workers", 0, CMD_OPT_LONG, &run_workers, 1, 64, NULL, "N",
   "worker processes / threads, 1..64 (default 2)", 0, NULL, NULL, NULL},
  {0}};

static void usage(FILE *f)
{
  const cmd_spec spec = {"experiment", SYNOPSIS, about, run_opts, 0, NULL};
  cmd_opt_usage(&spec, f);
  fprintf(f, "  -d, --dir DIR     report: the results folder to read (default "
             DEFAULT_DIR ")\n");
}

static int list(void)
{
  for (size_t i = 0; i < expt_count(); i++) {
    const expt_info *e = expt_at(i);
    printf("%-20s %s\n", e->name, e->summary);
  }
  return CMD_EXIT_OK;
}

static void kv_summary(cmd_kv *kv, const expt_info *e, const expt_summary *s,
                       const char *dir, double wall_s)
{
  char file[4200];
  cmd_kv_str(kv, "experiment", e->name);
  for (size_t i = 0; i < s->n; i++)
    cmd_kv_double(kv, s->key[i], s->value[i]);
  snprintf(file, sizeof file, "%s/%s.h5", dir, e->name);
  cmd_kv_str(kv, "file", file);
  cmd_kv_double(kv, "wall_s", wall_s);
}

static int report(int argc, char **argv)
{
  const char *dir = DEFAULT_DIR, *out = NULL;
  const cmd_opt opts[] = {
    {"dir", 'd', CMD_OPT_STR, &dir, 0, 0, NULL, "DIR",
     "the results folder to read (default " DEFAULT_DIR ")", 0, NULL, NULL, NULL},
    {"out", 'o', CMD_OPT_STR, &out, 0, 0, NULL, "FILE.md",
     "the report file, or a folder for FOLDER/REPORT.md (default DIR/REPORT.md)",
     0, NULL, NULL, NULL},
    {0}};
  const cmd_spec spec = {"experiment", SYNOPSIS, about, opts, 0, NULL};
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  char path[4200];
  struct stat st;
  if (out == NULL || (stat(out, &st) == 0 && S_ISDIR(st.st_mode))) {
    snprintf(path, sizeof path, "%s/REPORT.md", out != NULL ? out : dir);
    out = path;
  }
  size_t n = 0;
  tk_err err = {0};
  if (expt_report_write(dir, out, &n, &err) != 0)
    return cmd_fail("experiment", &err);
  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_str(&kv, "report", out);
  cmd_kv_long(&kv, "experiments", (long)n);
  cmd_kv_end(&kv);
  return CMD_EXIT_OK;
}

/* `plot NAME [-o DIR]`: redraw DIR/NAME.png from DIR/NAME.h5. */
static int replot(int argc, char **argv)
{
  const char *dir = DEFAULT_DIR;
  const cmd_opt opts[] = {
    {"out", 'o', CMD_OPT_STR, &dir, 0, 0, NULL, "DIR",
     "the results folder (default " DEFAULT_DIR ")", 0, NULL, NULL, NULL},
    {0}};
  const cmd_spec spec = {"experiment", SYNOPSIS, about, opts, 1, "NAME"};
  char *args[1];
  int na = 0;
  int rc = cmd_opt_parse(&spec, argc, argv, args, &na);
  if (rc != CMD_OPT_OK)
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  if (na != 1)
    return cmd_usage_error("experiment", "plot takes one experiment name");
  const expt_info *e = expt_find(args[0]);
  if (e == NULL || e->plot == NULL)
    return cmd_usage_error("experiment", "unknown experiment '%s' (see 'tsukit "
                           "experiment list')", args[0]);
  char h5[4200], png[4200];
  snprintf(h5, sizeof h5, "%s/%s.h5", dir, e->name);
  snprintf(png, sizeof png, "%s/%s.png", dir, e->name);
  tk_err err = {0};
  if (e->plot(h5, png, &err) != 0)
    return cmd_fail("experiment", &err);
  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_str(&kv, "experiment", e->name);
  cmd_kv_str(&kv, "figure", png);
  cmd_kv_end(&kv);
  return CMD_EXIT_OK;
}

int cmd_experiment(int argc, char **argv)
{
  if (argc < 2)
    return cmd_usage_error("experiment", "an experiment name, list, all or report "
                           "is required");
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
    usage(stdout);
    return CMD_EXIT_OK;
  }
  if (strcmp(name, "list") == 0) {
    if (argc > 2 && !cmd_wants_help(argc - 1, argv + 1))
      return cmd_usage_error("experiment", "unexpected argument '%s'", argv[2]);
    return list();
  }
  if (strcmp(name, "report") == 0)
    return report(argc - 1, argv + 1);
  if (strcmp(name, "plot") == 0)
    return replot(argc - 1, argv + 1);
  int all = strcmp(name, "all") == 0;
  const expt_info *e = all ? NULL : expt_find(name);
  if (!all && e == NULL)
    return cmd_usage_error("experiment", "unknown experiment '%s' (see 'tsukit "
                           "experiment list')", name);
  run_ctx = (expt_ctx){DEFAULT_DIR, 0, 1, 2, cmd_command_line(), 0};
  run_workers = 2;
  const cmd_spec spec = {"experiment", SYNOPSIS, about, run_opts, 0, NULL};
  tk_err err = {0};
  int rc = cmd_opt_parse(&spec, argc - 1, argv + 1, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  run_ctx.workers = (unsigned)run_workers;
  run_ctx.quiet = tk_progress_mode() == TK_PROGRESS_NEVER;
  const expt_ctx ctx = run_ctx;
  if (!all) {
    expt_summary s;
    double wall = 0;
    if (expt_execute(e, &ctx, &s, &wall, &err) != 0)
      return cmd_fail("experiment", &err);
    cmd_kv kv;
    cmd_kv_init(&kv);
    kv_summary(&kv, e, &s, ctx.out_dir, wall);
    cmd_kv_end(&kv);
    return CMD_EXIT_OK;
  }
  size_t failed = 0;
  double total = 0;
  for (size_t i = 0; i < expt_count(); i++) {
    e = expt_at(i);
    expt_summary s;
    double wall = 0;
    tk_err e2 = {0};
    fprintf(stderr, "tsukit experiment: %s ...\n", e->name);
    if (expt_execute(e, &ctx, &s, &wall, &e2) != 0) {
      fprintf(stderr, "tsukit experiment: %s failed: %s\n", e->name,
              tk_err_text(&e2));
      failed++;
      continue;
    }
    total += wall;
    cmd_kv kv;
    cmd_kv_init(&kv);
    kv_summary(&kv, e, &s, ctx.out_dir, wall);
    fprintf(stderr, "%s\n", kv.buf);
  }
  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_long(&kv, "experiments", (long)expt_count());
  cmd_kv_long(&kv, "failed", (long)failed);
  cmd_kv_double(&kv, "wall_s", total);
  cmd_kv_end(&kv);
  return failed ? CMD_EXIT_FAIL : CMD_EXIT_OK;
}
