/* cmd_dtm_eval.c -- `tsukit dtm eval`: option parsing for run_dtm_eval
 * (run/run_dtm.h): FD-tsukit, the marginal baseline, label accuracy and
 * the chain autocorrelation of a DTM's samples. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/dtm_cli.h"
#include "common/tk_parse.h"
#include "run/run_dtm.h"

static void usage_eval(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm eval --model MODEL.h5 --samples SAMPLES.h5\n"
    "         [--data fashion-mnist|DIR] [--test-limit N] [--clf-limit N]\n"
    "         [--classifier CLF.h5] [--seed S] [--threads N] [-o EVAL.h5]\n"
    "\n"
    "  --test-limit N  held-out test images to compare with (default 10000)\n"
    "  --clf-limit N   training images for the FD classifier (default all)\n"
    "  --classifier F  load the FD classifier from F, or train it and save it\n"
    "                  there if F does not exist (training: ~10-20 s)\n"
    "  --seed S        seed of the marginal-baseline images (default 1)\n"
    "  -o EVAL.h5      write the numbers and the classifier's test accuracy\n"
    "\n"
    "Summary: fd_tsukit (samples vs test), fd_marginal_baseline (independent\n"
    "pixels from the training marginals vs test), fd_data (training images\n"
    "vs test: the floor), label_accuracy (classifier on label-clamped\n"
    "samples; nan if none were clamped), autocorr (the model's last\n"
    "measured chain autocorrelation, max over steps), clf_test_accuracy.\n");
}

int cmd_dtm_eval_kv(int argc, char **argv, cmd_kv *kv)
{
  static const struct option lo[] = {
    {"model", 1, 0, O_MODEL}, {"samples", 1, 0, O_SAMPLES},
    {"data", 1, 0, O_DATA}, {"test-limit", 1, 0, O_TLIM},
    {"clf-limit", 1, 0, O_CLIM}, {"classifier", 1, 0, O_CLF},
    {"seed", 1, 0, O_SEED}, {"threads", 1, 0, O_THREADS},
    {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
  run_dtm_eval_params o = run_dtm_eval_default_params();
  tk_err err = {0};
  uint32_t u;
  int c, rc = TK_OK;
  optind = 1;
  opterr = 0;
  while (rc == TK_OK && (c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
    switch (c) {
    case 'h': usage_eval(stdout); return CMD_EXIT_OK;
    case 'o': o.out = optarg; break;
    case O_MODEL: o.model = optarg; break;
    case O_SAMPLES: o.samples = optarg; break;
    case O_DATA: o.data = optarg; break;
    case O_CLF: o.classifier = optarg; break;
    case O_TLIM: rc = cmd_dtm__u32(optarg, "--test-limit", 2, 60000, &u, &err); o.test_limit = u; break;
    case O_CLIM: rc = cmd_dtm__u32(optarg, "--clf-limit", 2, 60000, &u, &err); o.clf_limit = u; break;
    case O_THREADS: rc = cmd_dtm__u32(optarg, "--threads", 0, 60000, &u, &err); o.threads = (int)u; break;
    case O_SEED: rc = tk_parse_u64(optarg, "--seed", &o.seed, &err); break;
    default:
      return cmd_usage_error("dtm", "eval: unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (rc != TK_OK)
    return cmd_usage_error("dtm", "%s", tk_err_text(&err));
  if (o.model == NULL || o.samples == NULL)
    return cmd_usage_error("dtm", "eval: --model and --samples are required");
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
