/* dtm_cli.h -- internals shared by the `tsukit dtm` subcommand files
 * (cmd_dtm.c: train and dispatch, cmd_dtm_sample.c, cmd_dtm_eval.c) and
 * `tsukit bench dtm`: option parsing only, the runs are run/run_dtm.h. */
#ifndef CLI_DTM_CLI_H
#define CLI_DTM_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cmd.h"
#include "common/tk_error.h"

/* Long-option codes of the dtm subcommands. */
enum {
  O_DATA = 1000, O_STEPS, O_GRAPH, O_L, O_EPOCHS, O_BATCH, O_SWEEPS, O_SPOS,
  O_REC, O_ACP, O_NOACP, O_ACPT, O_ACPE, O_LR, O_FRESH, O_LIMIT, O_SEED,
  O_THREADS, O_RESUME, O_FORCE, O_MODEL, O_N, O_LABEL, O_CELLS, O_CELL,
  O_TEMP, O_DTEMP, O_CLOCK, O_STOP, O_SAMPLES, O_TLIM, O_CLIM, O_CLF
};

/* Integer in lo..hi / positive finite number (tk_parse): a tk status,
 * detail in err naming the option. */
int cmd_dtm__u32(const char *s, const char *opt, uint32_t lo, uint32_t hi,
                 uint32_t *v, tk_err *err);
int cmd_dtm__pos(const char *s, const char *opt, double *v, tk_err *err);

int cmd_dtm_sample_kv(int argc, char **argv, cmd_kv *kv);
int cmd_dtm_eval_kv(int argc, char **argv, cmd_kv *kv);

#endif
