/* cmd_dtm_eval.c -- `tsukit dtm eval`: option parsing for run_dtm_eval
 * (run/run_dtm.h): FD-tsukit, the marginal baseline, label accuracy and
 * the chain autocorrelation of a DTM's samples. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "cli/dtm_cli.h"
#include "run/run_dtm.h"

static const char eval_synopsis[] =
  "tsukit dtm eval --model MODEL.h5 --samples SAMPLES.h5\n"
  "         [--data fashion-mnist|DIR] [--test-limit N] [--clf-limit N]\n"
  "         [--classifier CLF.h5] [--seed S] [--threads N] [-o EVAL.h5]";
static const char eval_about[] =
  "Summary: fd_tsukit (samples vs test), fd_marginal_baseline (independent\n"
  "pixels from the training marginals vs test), fd_data (training images\n"
  "vs test: the floor), label_accuracy (classifier on label-clamped\n"
  "samples; nan if none were clamped), autocorr (the model's last\n"
  "measured chain autocorrelation, max over steps), clf_test_accuracy.\n";

int cmd_dtm_eval_kv(int argc, char **argv, cmd_kv *kv)
{
  run_dtm_eval_params o = run_dtm_eval_default_params();
  tk_err err = {0};
  uint32_t tlim = 0, clim = 0, threads = 0;
  int tlim_set = 0, clim_set = 0, threads_set = 0;
  const cmd_opt opts[] = {
    {"model", 0, CMD_OPT_STR, &o.model, 0, 0, NULL, "MODEL.h5",
     "the model (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"samples", 0, CMD_OPT_STR, &o.samples, 0, 0, NULL, "SAMPLES.h5",
     "samples from `tsukit dtm sample` with this model (required)",
     CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"data", 0, CMD_OPT_STR, &o.data, 0, 0, NULL, "D",
     "fashion-mnist (default) or a folder with its IDX files", 0, NULL, NULL,
     NULL},
    {"test-limit", 0, CMD_OPT_U32, &tlim, 2, 60000, NULL, "N",
     "held-out test images to compare with, 2..60000 (default 10000)", 0,
     &tlim_set, NULL, NULL},
    {"clf-limit", 0, CMD_OPT_U32, &clim, 2, 60000, NULL, "N",
     "training images for the FD classifier, 2..60000 (default all)", 0,
     &clim_set, NULL, NULL},
    {"classifier", 0, CMD_OPT_STR, &o.classifier, 0, 0, NULL, "F",
     "load the FD classifier from F, or train it and save it there if F "
     "does not exist (training: ~10-20 s)", 0, NULL, NULL, NULL},
    {"seed", 0, CMD_OPT_U64, &o.seed, 0, 0, NULL, "S",
     "seed of the marginal-baseline images (default 1)", 0, NULL, NULL, NULL},
    {"threads", 0, CMD_OPT_U32, &threads, 0, 60000, NULL, "N",
     "OpenMP threads, 0 = all", 0, &threads_set, NULL, NULL},
    {"out", 'o', CMD_OPT_STR, &o.out, 0, 0, NULL, "EVAL.h5",
     "write the numbers and the classifier's test accuracy", 0, NULL, NULL,
     NULL},
    {0}};
  const cmd_spec spec = {"dtm eval", eval_synopsis, eval_about, opts, 0, NULL};
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  if (tlim_set)
    o.test_limit = tlim;
  if (clim_set)
    o.clf_limit = clim;
  if (threads_set)
    o.threads = (int)threads;
  const char *pe = getenv("TSUKIT_PROGRESS");
  o.quiet = pe != NULL && strcmp(pe, "never") == 0;
  o.command = cmd_command_line();
  run_dtm_eval_result r;
  if (run_dtm_eval(&o, &r, &err) != TK_OK)
    return cmd_fail("dtm", &err);
  cmd_kv_double(kv, "fd_tsukit", r.v.fd_tsukit);
  cmd_kv_double(kv, "fd_marginal_baseline", r.v.fd_marginal_baseline);
  cmd_kv_double(kv, "fd_data", r.v.fd_data);
  cmd_kv_double(kv, "label_accuracy", r.v.label_accuracy);
  cmd_kv_double(kv, "autocorr", r.v.autocorr);
  cmd_kv_double(kv, "clf_test_accuracy", r.v.clf_test_accuracy);
  cmd_kv_long(kv, "samples", (long)r.samples);
  cmd_kv_long(kv, "test_images", (long)r.test_images);
  return CMD_EXIT_OK;
}
