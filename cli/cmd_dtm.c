/* cmd_dtm.c -- `tsukit dtm train|sample|eval`: the Denoising
 * Thermodynamic Model on binarised Fashion-MNIST.  Option parsing only:
 * the runs are run/run_dtm.h (train here, sample in cmd_dtm_sample.c,
 * eval in cmd_dtm_eval.c).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "cli/dtm_cli.h"
#include "common/tk_parse.h"
#include "run/run_dtm.h"
#include "tsu/tsu_dtm_cat.h"

static void usage(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm train  --data fashion-mnist|DIR -o MODEL.h5 [options]\n"
    "       tsukit dtm sample --model MODEL.h5 --n N -o SAMPLES.h5 [options]\n"
    "       tsukit dtm eval   --model MODEL.h5 --samples SAMPLES.h5 [options]\n"
    "\n"
    "A chain of T conditional energy-based models on an L x L TSU grid, each\n"
    "denoising the previous step's output (forward process: independent bit\n"
    "flips), trained by moment matching with Adam on binarised Fashion-MNIST\n"
    "(pixel > 0.1; labels as 10 one-hot copies: 884 visible spins).\n"
    "'tsukit dtm train --help' etc. list each subcommand's options.\n");
}

/* ---- option parsers shared by the subcommands (cli/dtm_cli.h) ---------- */

int cmd_dtm__graph(const char *s, const char *opt, void *target, tk_err *err)
{
  int j = tsu_grid_name_jumps(s);
  if (j < 1)
    return TK_FAIL(err, TK_ERANGE, "%s: '%s' is outside the valid range "
                   "{G4, G8, G12, G16, G20, G24}", opt, s);
  *(int *)target = j;
  return TK_OK;
}

/* --pixels binary|catK (K = 2..16) into *(uint32_t *)target: 0 or K. */
static int parse_pixels(const char *s, const char *opt, void *target,
                        tk_err *err)
{
  char *end = NULL;
  long k = 0;
  if (strcmp(s, "binary") == 0) {
    *(uint32_t *)target = 0;
    return TK_OK;
  }
  if (strncmp(s, "cat", 3) == 0 && s[3] >= '0' && s[3] <= '9')
    k = strtol(s + 3, &end, 10);
  if (end == NULL || *end != '\0' || k < 2 || k > TSU_DTMC_MAX_K)
    return TK_FAIL(err, TK_ERANGE, "%s: '%s' is outside the valid range "
                   "{binary, cat2..cat16} (cat4: four gray levels on cat4 "
                   "cells)", opt, s);
  *(uint32_t *)target = (uint32_t)k;
  return TK_OK;
}

/* ---- train ------------------------------------------------------------ */

static const char train_synopsis[] =
  "tsukit dtm train --data fashion-mnist|DIR -o MODEL.h5\n"
  "         [--steps T] [--graph G12] [--L 70] [--epochs E] [--batch B]\n"
  "         [--sweeps K] [--sweeps-pos K] [--record R] [--acp|--no-acp]\n"
  "         [--acp-target R] [--acp-every N] [--lr X] [--fresh-chains]\n"
  "         [--train-limit N] [--seed S] [--threads N] [--resume|--force]\n"
  "         [--stop-after N] [--pixels binary|cat4] [--log-samples N]\n"
  "         [--log-test N] [--log-classifier FILE] [--log-clf-images N]\n"
  "         [--log-seed S]";
static const char train_about[] =
  "Summary: epochs steps wall_s images_per_s flips_per_ns autocorr\n"
  "acp_lambda_max.\n"
  "After every epoch a training log goes into MODEL.h5 (/training):\n"
  "FD-tsukit of --log-samples label-clamped samples (fixed --log-seed)\n"
  "against the first --log-test test images, their label accuracy, the\n"
  "per-step autocorrelation and penalty weight; `tsukit plot MODEL.h5`\n"
  "draws it.  The log does not change the trained weights.\n";

/* Options into o; 0 to run, CMD_OPT_HELP after --help, else the exit
 * status. */
static int train_parse(int argc, char **argv, run_dtm_train_params *o)
{
  uint32_t limit = 0, threads = 0;
  tsu_dtm_params *p = &o->p;
  o->data = NULL;
  const cmd_opt opts[] = {
    {"data", 0, CMD_OPT_STR, &o->data, 0, 0, NULL, "D",
     "fashion-mnist (the Debian package dataset-fashion-mnist, "
     TK_FASHION_MNIST_DIR ") or a folder with its IDX files (required)",
     CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"out", 'o', CMD_OPT_STR, &o->out, 0, 0, NULL, "MODEL.h5",
     "the model file (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {"steps", 0, CMD_OPT_U32, &p->T, 1, 64, NULL, "T",
     "denoising steps, 1..64 (default 4; 1 = monolithic EBM)", 0,
     &o->set_steps, NULL, NULL},
    {"graph", 0, CMD_OPT_FN, &p->n_jumps, 0, 0, NULL, "G",
     "jump set G4..G24 (default G12)", 0, &o->set_graph, NULL,
     cmd_dtm__graph},
    {"L", 0, CMD_OPT_U32, &p->L, 43, 1024, NULL, "N",
     "grid side, 43..1024 (default 70)", 0, &o->set_L, NULL, NULL},
    {"epochs", 0, CMD_OPT_U32, &p->epochs, 1, 100000, NULL, "E",
     "total epochs, 1..100000; with --resume, training goes on to E", 0, NULL,
     NULL, NULL},
    {"batch", 0, CMD_OPT_U32, &p->batch, 64, 65536, NULL, "B",
     "examples per gradient step, multiple of 64 in 64..65536 (default 64)",
     0, NULL, NULL, NULL},
    {"sweeps", 0, CMD_OPT_U32, &p->sweeps, 1, 1000000, NULL, "K",
     "Gibbs sweeps of the negative phase, 1..1e6 (default 250)", 0, NULL,
     NULL, NULL},
    {"sweeps-pos", 0, CMD_OPT_U32, &p->sweeps_pos, 1, 1000000, NULL, "K",
     "sweeps of the positive phase, 1..1e6 (default 50)", 0, NULL, NULL,
     NULL},
    {"record", 0, CMD_OPT_U32, &p->record, 1, 1000000, NULL, "R",
     "last sweeps of each phase averaged, 1..1e6 and at most both sweep "
     "counts (default 16)", 0, NULL, NULL, NULL},
    {"acp", 0, CMD_OPT_FLAG, &p->acp, 0, 0, NULL, NULL,
     "adaptive correlation penalty (default on)", 0, NULL, NULL, NULL},
    {"no-acp", 0, CMD_OPT_UNSET, &p->acp, 0, 0, NULL, NULL,
     "no adaptive correlation penalty", 0, NULL, NULL, NULL},
    {"acp-target", 0, CMD_OPT_DOUBLE, &p->acp_target, 0, 1, NULL, "R",
     "autocorrelation at lag K to stay below, (0, 1) (default 0.1)",
     CMD_OPT_LO_OPEN | CMD_OPT_HI_OPEN, NULL, NULL, NULL},
    {"acp-every", 0, CMD_OPT_U32, &p->acp_every, 1, 100000000, NULL, "N",
     "batches between measurements, 1..1e8 (default: once per epoch)", 0,
     NULL, NULL, NULL},
    {"lr", 0, CMD_OPT_DOUBLE, &p->lr, 0, INFINITY, NULL, "X",
     "Adam learning rate, > 0 (default 0.02, cosine to 10 %)",
     CMD_OPT_LO_OPEN, NULL, NULL, NULL},
    {"fresh-chains", 0, CMD_OPT_UNSET, &p->persistent, 0, 0, NULL, NULL,
     "restart the chains every batch (default: persistent)", 0, NULL, NULL,
     NULL},
    {"train-limit", 0, CMD_OPT_U32, &limit, 64, 60000, NULL, "N",
     "train on the first N images, 64..60000 (default all 60000)", 0, NULL,
     NULL, NULL},
    {"seed", 0, CMD_OPT_U64, &p->seed, 0, 0, NULL, "S", "random seed", 0,
     NULL, NULL, NULL},
    {"threads", 0, CMD_OPT_U32, &threads, 0, 1024, NULL, "N",
     "OpenMP threads (steps train in parallel), 0..1024, 0 = all", 0, NULL,
     NULL, NULL},
    {"pixels", 0, CMD_OPT_FN, &o->pixel_levels, 0, 0, NULL, "P",
     "binary (pixel > 0.1, default) or cat4: four gray levels, one "
     "categorical (Potts) node per pixel, uniform-replacement noise "
     "(catK: K levels, 2..16)", 0, NULL, NULL, parse_pixels},
    {"resume", 0, CMD_OPT_FLAG, &o->resume, 0, 0, NULL, NULL,
     "continue MODEL.h5 from its last checkpoint (none yet: a fresh "
     "model, said on stderr)", 0, NULL, NULL, NULL},
    {"stop-after", 0, CMD_OPT_U32, &o->stop_after, 1, 100000, NULL, "N",
     "stop after N epochs of this run, 1..100000 (resume later; the "
     "schedule still spans --epochs)", 0, NULL, NULL, NULL},
    {"force", 0, CMD_OPT_FLAG, &o->force, 0, 0, NULL, NULL,
     "overwrite an existing MODEL.h5", 0, NULL, NULL, NULL},
    {"log-samples", 0, CMD_OPT_U32, &o->log.samples, 0, 100000, NULL, "N",
     "samples of the training log per epoch, 0 or 10..100000 (default 500; "
     "0: no log)", 0, NULL, NULL, NULL},
    {"log-test", 0, CMD_OPT_U32, &o->log.test, 2, 10000, NULL, "N",
     "held-out test images of the log's FD-tsukit, 2..10000 (default 1000)",
     0, NULL, NULL, NULL},
    {"log-classifier", 0, CMD_OPT_STR, &o->log.classifier, 0, 0, NULL,
     "FILE", "FD classifier of the log: loaded if FILE exists, else trained "
     "and saved there (default: trained, not saved)",
     0, NULL, NULL, NULL},
    {"log-clf-images", 0, CMD_OPT_U32, &o->log.clf_images, 0, 60000, NULL,
     "N", "training images of the log's classifier when it is trained, "
     "0..60000 (default 10000; 0: all)", 0, NULL, NULL, NULL},
    {"log-seed", 0, CMD_OPT_U64, &o->log.seed, 0, 0, NULL, "S",
     "seed of the log's samples, the same every epoch (default 1)", 0, NULL,
     NULL, NULL},
    {0}};
  const cmd_spec spec = {"dtm train", train_synopsis, train_about, opts, 0,
                         NULL};
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc;
  o->train_limit = limit;
  o->threads = (int)threads;
  if (o->resume && o->force)
    return cmd_usage_error("dtm train", "--resume and --force exclude each other");
  if (p->record > p->sweeps || p->record > p->sweeps_pos)
    return cmd_usage_error("dtm train", "--record %u exceeds --sweeps or --sweeps-pos",
                           p->record);
  if (o->log.samples > 0 && o->log.samples < 10)
    return cmd_usage_error("dtm train", "--log-samples %u: 0 (no log) or at "
                           "least 10", o->log.samples);
  return 0;
}

static int dtm_train_kv(int argc, char **argv, cmd_kv *kv)
{
  run_dtm_train_params o = run_dtm_train_default_params();
  int prc = train_parse(argc, argv, &o);
  if (prc != 0)
    return prc == CMD_OPT_HELP ? CMD_EXIT_OK : prc;
  o.command = cmd_command_line();
  run_dtm_train_result r;
  tk_err err = {0};
  if (run_dtm_train(&o, &r, &err) != TK_OK)
    return cmd_fail("dtm", &err);
  if (r.rank != 0)
    return CMD_EXIT_OK;
  cmd_kv_long(kv, "ranks", (long)r.ranks);
  cmd_kv_long(kv, "epochs", (long)r.epochs);
  cmd_kv_long(kv, "steps", (long)r.steps);
  cmd_kv_double(kv, "wall_s", r.wall_s);
  cmd_kv_double(kv, "images_per_s", r.images_per_s);
  cmd_kv_double(kv, "flips_per_ns", r.flips_per_ns);
  cmd_kv_double(kv, "autocorr", r.autocorr);
  cmd_kv_double(kv, "acp_lambda_max", r.acp_lambda_max);
  cmd_kv_str(kv, "model", o.out);
  return CMD_EXIT_OK;
}

int cmd_dtm_kv(int argc, char **argv, cmd_kv *kv)
{
  if (argc < 2)
    return cmd_usage_error("dtm", "a subcommand is required (train, sample, eval)");
  if (strcmp(argv[1], "train") == 0)
    return dtm_train_kv(argc - 1, argv + 1, kv);
  if (strcmp(argv[1], "sample") == 0)
    return cmd_dtm_sample_kv(argc - 1, argv + 1, kv);
  if (strcmp(argv[1], "eval") == 0)
    return cmd_dtm_eval_kv(argc - 1, argv + 1, kv);
  return cmd_usage_error("dtm", "unknown subcommand '%s' (train, sample, eval)",
                         argv[1]);
}

int cmd_dtm(int argc, char **argv)
{
  if (argc < 2) {
    usage(stderr);
    return CMD_EXIT_USAGE;
  }
  const char *sub = argv[1];
  if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
    usage(stdout);
    return CMD_EXIT_OK;
  }
  return cmd_print_kv(cmd_dtm_kv, argc, argv);
}
