/* dtm_cli.h -- internals shared by the `tsukit dtm` subcommand files
 * (cmd_dtm.c: train and dispatch, cmd_dtm_sample.c, cmd_dtm_eval.c) and
 * `tsukit bench dtm`: option parsing only, the runs are run/run_dtm.h. */
#ifndef CLI_DTM_CLI_H
#define CLI_DTM_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cmd.h"
#include "common/tk_error.h"

/* A grid name G4..G24 as its jump count into *(int *)target (a cmd_opt
 * CMD_OPT_FN parser). */
int cmd_dtm__graph(const char *s, const char *opt, void *target, tk_err *err);

int cmd_dtm_sample_kv(int argc, char **argv, cmd_kv *kv);
int cmd_dtm_eval_kv(int argc, char **argv, cmd_kv *kv);

#endif
