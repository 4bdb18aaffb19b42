/* main.c -- `tsukit <command> [options]`, dispatched from a table. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/tk_init.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const cmd_entry commands[] = {
  {"bench", cmd_bench, "speed: bench gibbs (flips/ns, fast vs reference), bench dtm (training throughput)"},
  {"calibrate", cmd_calibrate, "sweep a cell (pbit, pbit-fast, cat4, gmm2) over control x temperature -> cell library (resumable, workers/MPI)"},
  {"cells", cmd_cells, "list the shipped sampling cells (pbit ...) and their control ranges"},
  {"characterize", cmd_characterize, "a designer's own .subckt pbit with device noise -> cell library"},
  {"demo", cmd_demo, "the whole chain on the embedded defaults"},
  {"device", cmd_device, "one MOSFET operating point: currents, conductances, noise"},
  {"doublewell", cmd_doublewell, "overdamped double well: escape rate vs exact and Kramers"},
  {"dtm", cmd_dtm, "denoising thermodynamic model: dtm train | sample | eval (Fashion-MNIST)"},
  {"experiment", cmd_experiment, "reproducible experiments -> HDF5 + PNG; `experiment report` writes REPORT.md"},
  {"help", cmd_help, "list the commands, or show one command's help"},
  {"plot", cmd_plot, "figure from a result file (traces, cell libraries, DTM samples and models)"},
  {"predict", cmd_predict, "P(1) and tau of a calibrated cell at any temperature in range"},
  {"sample", cmd_sample, "chip simulator: Gibbs sampling on a TSU grid or graph file"},
  {"trace", cmd_trace, "simulate a cell with device noise through ngspice -> traces"},
  {"version", cmd_version, "print the version"},
};
static const size_t n_commands = sizeof commands / sizeof commands[0];

static const cmd_entry *find_command(const char *name)
{
  for (size_t i = 0; i < n_commands; i++)
    if (strcmp(commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static void list_commands(FILE *f)
{
  fprintf(f, "usage: tsukit <command> [options]\n\ncommands:\n");
  for (size_t i = 0; i < n_commands; i++)
    fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(f, "\n'tsukit <command> --help' shows a command's options; --quiet (or -q)\n"
             "anywhere silences progress output on stderr.\n");
}

static int cmd_help(int argc, char **argv)
{
  if (argc >= 2) {
    const cmd_entry *c = find_command(argv[1]);
    if (c == NULL)
      return cmd_usage_error("help", "unknown command '%s'", argv[1]);
    char *sub[] = {argv[1], "--help", NULL};
    return c->fn(2, sub);
  }
  list_commands(stdout);
  return CMD_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
  if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
                   strcmp(argv[1], "-h") == 0)) {
    printf("usage: tsukit version\n\nPrints version=, mpi= and openmp= "
           "(whether this build has MPI and OpenMP).\n");
    return CMD_EXIT_OK;
  }
  if (argc > 1)
    return cmd_usage_error("version", "unexpected argument '%s'", argv[1]);
#ifdef TK_HAVE_MPI
  const char *mpi = "yes";
#else
  const char *mpi = "no";
#endif
#ifdef _OPENMP
  const char *omp = "yes";
#else
  const char *omp = "no";
#endif
  printf("version=%s mpi=%s openmp=%s\n", PACKAGE_VERSION, mpi, omp);
  return CMD_EXIT_OK;
}

int main(int argc, char **argv)
{
  cmd_set_command_line(argc, argv);
  /* --quiet anywhere silences progress output for every command. */
  tk_init_params ip = tk_init_default_params();
  int kept = 0;
  for (int i = 0; i < argc; i++) {
    if (i > 0 && (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0)) {
      ip.progress = TK_PROGRESS_NEVER;
      continue;
    }
    argv[kept++] = argv[i];
  }
  argv[kept] = NULL;
  argc = kept;
  tk_init(&ip);
  if (argc < 2) {
    list_commands(stderr);
    return CMD_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
    name = "help";
  if (strcmp(name, "--version") == 0)
    name = "version";
  const cmd_entry *c = find_command(name);
  if (c == NULL) {
    fprintf(stderr, "tsukit: unknown command '%s'\n", argv[1]);
    list_commands(stderr);
    return CMD_EXIT_USAGE;
  }
  int rc = c->fn(argc - 1, argv + 1);
  /* A full disk or closed pipe shows up only at close (git, samtools). */
  if (fclose(stdout) != 0) {
    fprintf(stderr, "tsukit: error writing standard output: %s\n",
            strerror(errno));
    return CMD_EXIT_FAIL;
  }
  return rc;
}
