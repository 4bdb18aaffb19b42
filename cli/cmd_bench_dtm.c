/* cmd_bench_dtm.c -- `tsukit bench dtm`: option parsing for
 * run_dtm_bench (run/run_dtm.h), DTM training throughput on real data. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/dtm_cli.h"
#include "run/run_dtm.h"

int cmd_bench_dtm(int argc, char **argv);

static void usage(FILE *f)
{
  fprintf(f,
    "usage: tsukit bench dtm [--steps 4] [--graph G12] [--L 70] [--sweeps 100]\n"
    "                        [--sweeps-pos 30] [--batch 64] [--batches 100]\n"
    "                        [--threads N] [--data fashion-mnist|DIR]\n"
    "\n"
    "DTM training throughput on real data: images_per_s, flips_per_ns (cell\n"
    "updates, positive and negative phase and the autocorrelation probe)\n"
    "and epoch_s, one epoch of 60000 images extrapolated.\n");
}

int cmd_bench_dtm(int argc, char **argv)
{
  enum { B_STEPS = 1000, B_GRAPH, B_L, B_SW, B_SP, B_BATCH, B_NB, B_TH,
         B_DATA };
  static const struct option lo[] = {
    {"steps", 1, 0, B_STEPS}, {"graph", 1, 0, B_GRAPH}, {"L", 1, 0, B_L},
    {"sweeps", 1, 0, B_SW}, {"sweeps-pos", 1, 0, B_SP},
    {"batch", 1, 0, B_BATCH}, {"batches", 1, 0, B_NB},
    {"threads", 1, 0, B_TH}, {"data", 1, 0, B_DATA}, {"help", 0, 0, 'h'},
    {0, 0, 0, 0}};
  run_dtm_bench_params b = run_dtm_bench_default_params();
  tsu_dtm_params *p = &b.p;
  uint32_t th = 0;
  tk_err err = {0};
  int c, rc = TK_OK;
  optind = 1;
  opterr = 0;
  while (rc == TK_OK && (c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (c) {
    case 'h': usage(stdout); return CMD_EXIT_OK;
    case B_STEPS: rc = cmd_dtm__u32(optarg, "--steps", 1, 64, &p->T, &err); break;
    case B_GRAPH:
      p->n_jumps = tsu_grid_name_jumps(optarg);
      if (p->n_jumps < 1)
        return cmd_usage_error("bench dtm", "--graph: '%s' is not G4..G24", optarg);
      break;
    case B_L: rc = cmd_dtm__u32(optarg, "--L", 43, 1024, &p->L, &err); break;
    case B_SW: rc = cmd_dtm__u32(optarg, "--sweeps", 8, 100000, &p->sweeps, &err); break;
    case B_SP: rc = cmd_dtm__u32(optarg, "--sweeps-pos", 8, 100000, &p->sweeps_pos, &err); break;
    case B_BATCH: rc = cmd_dtm__u32(optarg, "--batch", 64, 65536, &p->batch, &err); break;
    case B_NB: rc = cmd_dtm__u32(optarg, "--batches", 1, 100000, &b.batches, &err); break;
    case B_TH: rc = cmd_dtm__u32(optarg, "--threads", 0, 1024, &th, &err); break;
    case B_DATA: b.data = optarg; break;
    default:
      return cmd_usage_error("bench dtm", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (rc != TK_OK)
    return cmd_usage_error("bench dtm", "%s", tk_err_text(&err));
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
