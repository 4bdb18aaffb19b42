/* cmd_dtm.c -- `tsukit dtm train|sample|eval`: the Denoising
 * Thermodynamic Model on binarised Fashion-MNIST.  Option parsing only:
 * the runs are run/run_dtm.h (train here, sample in cmd_dtm_sample.c,
 * eval in cmd_dtm_eval.c).
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/dtm_cli.h"
#include "common/tk_parse.h"
#include "run/run_dtm.h"

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

static void usage_train(FILE *f)
{
  fprintf(f,
    "usage: tsukit dtm train --data fashion-mnist|DIR -o MODEL.h5\n"
    "         [--steps T] [--graph G12] [--L 70] [--epochs E] [--batch B]\n"
    "         [--sweeps K] [--sweeps-pos K] [--record R] [--acp|--no-acp]\n"
    "         [--acp-target R] [--acp-every N] [--lr X] [--fresh-chains]\n"
    "         [--train-limit N] [--seed S] [--threads N] [--resume|--force]\n"
    "         [--stop-after N]\n"
    "\n"
    "  --data D        fashion-mnist (the Debian package dataset-fashion-mnist,\n"
    "                  %s) or a folder with its IDX files\n"
    "  --steps T       denoising steps, 1..64 (default 4; 1 = monolithic EBM)\n"
    "  --graph G       jump set G4..G24 (default G12); --L side (default 70, >= 43)\n"
    "  --epochs E      total epochs; with --resume, training goes on to E\n"
    "  --batch B       examples per gradient step, multiple of 64 (default 64)\n"
    "  --sweeps K      Gibbs sweeps of the negative phase (default 250)\n"
    "  --sweeps-pos K  sweeps of the positive phase (default 50)\n"
    "  --record R      last sweeps of each phase averaged (default 16)\n"
    "  --acp, --no-acp adaptive correlation penalty (default on)\n"
    "  --acp-target R  autocorrelation at lag K to stay below (default 0.1)\n"
    "  --acp-every N   batches between measurements (default: once per epoch)\n"
    "  --lr X          Adam learning rate (default 0.02, cosine to 10 %%)\n"
    "  --fresh-chains  restart the chains every batch (default: persistent)\n"
    "  --train-limit N train on the first N images (default all 60000)\n"
    "  --threads N     OpenMP threads (steps train in parallel), 0 = all\n"
    "  --resume        continue MODEL.h5 from its last checkpoint\n"
    "  --stop-after N  stop after N epochs of this run (resume later; the\n"
    "                  schedule still spans --epochs)\n"
    "  --force         overwrite an existing MODEL.h5\n"
    "\n"
    "Summary: epochs steps wall_s images_per_s flips_per_ns autocorr\n"
    "acp_lambda_max.\n", TK_FASHION_MNIST_DIR);
}

/* ---- option parsers shared by the subcommands (cli/dtm_cli.h) ---------- */

int cmd_dtm__u32(const char *s, const char *opt, uint32_t lo, uint32_t hi,
                 uint32_t *v, tk_err *err)
{
  long x;
  TK_TRY(tk_parse_long_in(s, opt, (long)lo, (long)hi, &x, err));
  *v = (uint32_t)x;
  return TK_OK;
}

int cmd_dtm__pos(const char *s, const char *opt, double *v, tk_err *err)
{
  double x;
  TK_TRY(tk_parse_double(s, opt, &x, err));
  if (!(x > 0))
    return TK_FAIL(err, TK_ERANGE, "%s: '%s' is not a positive number", opt, s);
  *v = x;
  return TK_OK;
}

/* ---- train ------------------------------------------------------------ */

/* Options into p; 0 to run, -1 after --help, else the exit status. */
static int train_parse(int argc, char **argv, run_dtm_train_params *o)
{
  static const struct option lo[] = {
    {"data", 1, 0, O_DATA}, {"steps", 1, 0, O_STEPS}, {"graph", 1, 0, O_GRAPH},
    {"L", 1, 0, O_L}, {"epochs", 1, 0, O_EPOCHS}, {"batch", 1, 0, O_BATCH},
    {"sweeps", 1, 0, O_SWEEPS}, {"sweeps-pos", 1, 0, O_SPOS},
    {"record", 1, 0, O_REC}, {"acp", 0, 0, O_ACP}, {"no-acp", 0, 0, O_NOACP},
    {"acp-target", 1, 0, O_ACPT}, {"acp-every", 1, 0, O_ACPE},
    {"lr", 1, 0, O_LR}, {"fresh-chains", 0, 0, O_FRESH},
    {"train-limit", 1, 0, O_LIMIT}, {"seed", 1, 0, O_SEED},
    {"threads", 1, 0, O_THREADS}, {"resume", 0, 0, O_RESUME},
    {"force", 0, 0, O_FORCE}, {"stop-after", 1, 0, O_STOP},
    {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
  int c, rc = TK_OK;
  uint32_t u = 0;
  tk_err err = {0};
  tsu_dtm_params *p = &o->p;
  o->data = NULL;
  optind = 1;
  opterr = 0;
  while (rc == TK_OK && (c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
    switch (c) {
    case 'h': usage_train(stdout); return -1;
    case O_STOP: rc = cmd_dtm__u32(optarg, "--stop-after", 1, 100000, &o->stop_after, &err); break;
    case 'o': o->out = optarg; break;
    case O_DATA: o->data = optarg; break;
    case O_STEPS: rc = cmd_dtm__u32(optarg, "--steps", 1, 64, &p->T, &err); o->set_steps = 1; break;
    case O_GRAPH:
      p->n_jumps = tsu_grid_name_jumps(optarg);
      if (p->n_jumps < 1)
        return cmd_usage_error("dtm", "--graph: '%s' is not G4, G8, ..., G24", optarg);
      o->set_graph = 1;
      break;
    case O_L: rc = cmd_dtm__u32(optarg, "--L", 43, 1024, &p->L, &err); o->set_L = 1; break;
    case O_EPOCHS: rc = cmd_dtm__u32(optarg, "--epochs", 1, 100000, &p->epochs, &err); break;
    case O_BATCH: rc = cmd_dtm__u32(optarg, "--batch", 64, 65536, &p->batch, &err); break;
    case O_SWEEPS: rc = cmd_dtm__u32(optarg, "--sweeps", 1, 1000000, &p->sweeps, &err); break;
    case O_SPOS: rc = cmd_dtm__u32(optarg, "--sweeps-pos", 1, 1000000, &p->sweeps_pos, &err); break;
    case O_REC: rc = cmd_dtm__u32(optarg, "--record", 1, 1000000, &p->record, &err); break;
    case O_ACP: p->acp = 1; break;
    case O_NOACP: p->acp = 0; break;
    case O_ACPT: rc = cmd_dtm__pos(optarg, "--acp-target", &p->acp_target, &err); break;
    case O_ACPE: rc = cmd_dtm__u32(optarg, "--acp-every", 1, 100000000, &p->acp_every, &err); break;
    case O_LR: rc = cmd_dtm__pos(optarg, "--lr", &p->lr, &err); break;
    case O_FRESH: p->persistent = 0; break;
    case O_LIMIT: rc = cmd_dtm__u32(optarg, "--train-limit", 64, 60000, &u, &err); o->train_limit = u; break;
    case O_SEED: rc = tk_parse_u64(optarg, "--seed", &p->seed, &err); break;
    case O_THREADS: rc = cmd_dtm__u32(optarg, "--threads", 0, 1024, &u, &err); o->threads = (int)u; break;
    case O_RESUME: o->resume = 1; break;
    case O_FORCE: o->force = 1; break;
    default:
      return cmd_usage_error("dtm", "train: unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (rc != TK_OK)
    return cmd_usage_error("dtm", "%s", tk_err_text(&err));
  if (optind < argc)
    return cmd_usage_error("dtm", "train: unexpected argument '%s'", argv[optind]);
  if (o->out == NULL)
    return cmd_usage_error("dtm", "train: -o MODEL.h5 is required");
  if (o->data == NULL)
    return cmd_usage_error("dtm", "train: --data fashion-mnist (or a folder) is required");
  if (o->resume && o->force)
    return cmd_usage_error("dtm", "train: --resume and --force exclude each other");
  if (p->record > p->sweeps || p->record > p->sweeps_pos)
    return cmd_usage_error("dtm", "train: --record %u exceeds --sweeps or --sweeps-pos",
                           p->record);
  if (!(p->acp_target < 1))
    return cmd_usage_error("dtm", "train: --acp-target must be in (0, 1)");
  return 0;
}

static int dtm_train_kv(int argc, char **argv, cmd_kv *kv)
{
  run_dtm_train_params o = run_dtm_train_default_params();
  int prc = train_parse(argc, argv, &o);
  if (prc != 0)
    return prc < 0 ? CMD_EXIT_OK : prc;
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
