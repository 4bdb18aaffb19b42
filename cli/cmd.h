/* cmd.h -- the `tsukit` subcommands and the helpers they share.
 *
 * Each subcommand is `int cmd_NAME(int argc, char **argv)` (argv[0] is the
 * subcommand name) returning the process exit status: 0 ok, 1 failure,
 * 2 usage.  Subcommands parse options and call the libraries; no physics
 * lives here.  Each prints exactly one key=value summary line on stdout.
 */
#ifndef CMD_H
#define CMD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/tk_error.h"

#define CMD_EXIT_OK 0
#define CMD_EXIT_FAIL 1
#define CMD_EXIT_USAGE 2

typedef int (*cmd_fn)(int argc, char **argv);
typedef struct cmd_kv cmd_kv;

typedef struct cmd_entry {
  const char *name;     /* subcommand word */
  cmd_fn fn;            /* entry point */
  const char *summary;  /* one line for `tsukit help` */
} cmd_entry;

/* The subcommands (one file each, cli/cmd_NAME.c). */
int cmd_device(int argc, char **argv);
int cmd_doublewell(int argc, char **argv);
int cmd_doublewell_kv(int argc, char **argv, cmd_kv *kv);
int cmd_trace_kv(int argc, char **argv, cmd_kv *kv);
int cmd_plot_kv(int argc, char **argv, cmd_kv *kv);
int cmd_demo(int argc, char **argv);
int cmd_cells(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_characterize(int argc, char **argv);
int cmd_sample(int argc, char **argv);
int cmd_dtm(int argc, char **argv);
/* `tsukit dtm SUB ...` with the summary appended to kv (for the demo). */
int cmd_dtm_kv(int argc, char **argv, cmd_kv *kv);
int cmd_experiment(int argc, char **argv);
/* The same as cmd_sample, with the summary appended to kv instead of
 * printed (for `tsukit demo`).  kv is untouched for --help. */
int cmd_sample_kv(int argc, char **argv, cmd_kv *kv);

/* The whole command line as typed, for provenance attributes. */
const char *cmd_command_line(void);
void cmd_set_command_line(int argc, char **argv);

/* One line "tsukit CMD: MESSAGE (see 'tsukit CMD --help')" on stderr;
 * returns CMD_EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A grid chip of L x L nodes (4 x jumps neighbours each) with `chains`
 * chains, refused up front when it cannot fit: the packed Gibbs state
 * (one bit per spin and chain, in words of 64 chains; the sampler holds
 * fewer than 2^32 words), the graph (about 24 bytes per node and
 * neighbour) and, with save_states, one byte per spin and chain, against
 * the machine's physical memory (sysconf _SC_PHYS_PAGES).  Returns 0, or
 * CMD_EXIT_USAGE after a line naming --L, --chains and the limit. */
int cmd_check_chip_size(const char *cmd, long L, long chains, int jumps,
                        int save_states);
/* The most time points one simulated record may have (time / step): at
 * 1e8, ngspice's vectors and tsukit's noise sources take gigabytes. */
#define CMD_MAX_TIME_POINTS 1e8
/* Refuse up front (CMD_EXIT_USAGE, naming --time, step_opt and the
 * limit) a record of more than CMD_MAX_TIME_POINTS steps; NaN: no check. */
int cmd_check_time_points(const char *cmd, double time_s, double step_s,
                          const char *step_opt);
/* --mismatch's words, in the order of tsu_mismatch (tsu/tsu_celltab.h),
 * for a CMD_OPT_CHOICE option; its help text and --trim's (sample, dtm
 * sample). */
extern const char *const cmd_mismatch_choices[];
#define CMD_MISMATCH_HELP                                                    \
  "pbit cells: where each cell's mismatch comes from: auto (default: the "   \
  "library's measured instances, `calibrate --mc`, when it has them, node " \
  "i = instance i mod M; else a Gaussian draw from its spread), "           \
  "instances, gaussian, none (nominal cells)"
#define CMD_TRIM_HELP                                                        \
  "pbit cells: trim each cell's control mapping to its own measured curve " \
  "at the design temperature (needs the library's instances)"
#define CMD_TRIM_LSB_HELP                                                    \
  "with --trim: the offset trim in steps of V (a trim DAC; each cell "      \
  "keeps up to V/2 of offset), 0 < V < 1 (default: exact)"
/* Report a library failure; returns 2 for argument/range errors, else 1. */
int cmd_fail(const char *cmd, const tk_err *err);

/* Summary line builder: cmd_kv_* append " key=value", cmd_kv_end prints
 * the line with its newline.  Doubles use %.6g. */
struct cmd_kv {
  char buf[4096];       /* the line so far */
  size_t len;           /* bytes used in buf */
};
void cmd_kv_init(cmd_kv *kv);
void cmd_kv_double(cmd_kv *kv, const char *key, double v);
void cmd_kv_long(cmd_kv *kv, const char *key, long v);
void cmd_kv_str(cmd_kv *kv, const char *key, const char *v);
/* " key=x0,x1,..." (%.6g each). */
void cmd_kv_list(cmd_kv *kv, const char *key, const double *x, size_t n);
void cmd_kv_end(cmd_kv *kv);
/* Value of key in a summary line (copied into buf), or NULL. */
const char *cmd_kv_get(const cmd_kv *kv, const char *key, char *buf,
                       size_t size);

/* Run a cmd_*_kv subcommand and print its summary line if it succeeded
 * (nothing for --help, which leaves the line empty). */
int cmd_print_kv(int (*fn)(int argc, char **argv, cmd_kv *kv), int argc,
                 char **argv);

/* True if argv holds -h or --help. */
int cmd_wants_help(int argc, char **argv);

#endif
