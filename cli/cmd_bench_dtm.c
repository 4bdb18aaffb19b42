/* cmd_bench_dtm.c -- `tsukit bench dtm`: option parsing for
 * run_dtm_bench (run/run_dtm.h), DTM training throughput on real data. */
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "cli/dtm_cli.h"
#include "run/run_dtm.h"

int cmd_bench_dtm(int argc, char **argv);

int cmd_bench_dtm(int argc, char **argv)
{
  run_dtm_bench_params b = run_dtm_bench_default_params();
  tsu_dtm_params *p = &b.p;
  uint32_t th = 0;
  tk_err err = {0};
  const cmd_opt opts[] = {
    {"steps", 0, CMD_OPT_U32, &p->T, 1, 64, NULL, "T",
     "denoising steps, 1..64 (default 4)", 0, NULL, NULL, NULL},
    {"graph", 0, CMD_OPT_FN, &p->n_jumps, 0, 0, NULL, "G",
     "G4, G8, G12, G16, G20 or G24 (default G12)", 0, NULL, NULL,
     cmd_dtm__graph},
    {"L", 0, CMD_OPT_U32, &p->L, 43, 1024, NULL, "N",
     "grid side, 43..1024 (default 70)", 0, NULL, NULL, NULL},
    {"sweeps", 0, CMD_OPT_U32, &p->sweeps, 8, 100000, NULL, "K",
     "sweeps per step, negative phase, 8..100000 (default 100)", 0, NULL,
     NULL, NULL},
    {"sweeps-pos", 0, CMD_OPT_U32, &p->sweeps_pos, 8, 100000, NULL, "K",
     "sweeps of the positive phase, 8..100000 (default 30)", 0, NULL, NULL,
     NULL},
    {"batch", 0, CMD_OPT_U32, &p->batch, 64, 65536, NULL, "B",
     "images per gradient step, a multiple of 64 in 64..65536 (default 64)",
     0, NULL, NULL, NULL},
    {"batches", 0, CMD_OPT_U32, &b.batches, 1, 100000, NULL, "N",
     "batches timed, 1..100000 (default 100)", 0, NULL, NULL, NULL},
    {"threads", 0, CMD_OPT_U32, &th, 0, 1024, NULL, "N",
     "OpenMP threads, 0..1024 (default 0 = all)", 0, NULL, NULL, NULL},
    {"data", 0, CMD_OPT_STR, &b.data, 0, 0, NULL, "D",
     "fashion-mnist (default) or a folder with the Fashion-MNIST files", 0,
     NULL, NULL, NULL},
    {0}};
  const cmd_spec spec = {
    "bench dtm",
    "tsukit bench dtm [--steps 4] [--graph G12] [--L 70] [--sweeps 100]\n"
    "                        [--sweeps-pos 30] [--batch 64] [--batches 100]\n"
    "                        [--threads N] [--data fashion-mnist|DIR]",
    "DTM training throughput on real data: images_per_s, flips_per_ns (cell\n"
    "updates, positive and negative phase and the autocorrelation probe)\n"
    "and epoch_s, one epoch of 60000 images extrapolated.\n",
    opts, 0, NULL};
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  if (p->batch % 64 != 0)
    return cmd_usage_error("bench dtm", "--batch must be a multiple of 64");
  b.threads = (int)th;
  run_dtm_bench_result r;
  if (run_dtm_bench(&b, &r, &err) != TK_OK)
    return cmd_fail("bench dtm", &err);
  printf("steps=%u graph=G%d L=%u sweeps=%u sweeps_pos=%u batch=%u "
         "batches=%u wall_s=%.4g images_per_s=%.4g flips_per_ns=%.4g "
         "epoch_s=%.4g\n", p->T, 4 * p->n_jumps, p->L, p->sweeps,
         p->sweeps_pos, p->batch, b.batches, r.wall_s, r.images_per_s,
         r.flips_per_ns, r.epoch_s);
  return CMD_EXIT_OK;
}
