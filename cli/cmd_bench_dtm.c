/* cmd_bench_dtm.c -- `tsukit bench dtm`: DTM training throughput.
 *
 * Trains a fresh model of the given shape on the first B x --batches
 * training images (one pass, the autocorrelation probe run once at the
 * end: with the default 100 batches that is the reference run's
 * --acp-every 100) and extrapolates the time of one epoch over the 60000
 * images.  Workload: 100 batches of the reference 70 x 70 G12 4-step model
 * with 100 + 30 sweeps: about 20-40 s on two cores.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/dtm_cli.h"
#include "io/io_idx.h"
#include "tsu/tsu_dtm.h"

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

static int get_u32(const char *s, const char *opt, uint32_t lo, uint32_t hi,
                   uint32_t *v)
{
  char *end;
  double x = strtod(s, &end);
  if (*s == '\0' || *end != '\0' || !(x >= lo && x <= hi) || x != floor(x))
    return cmd_usage_error("bench dtm", "%s: '%s' is not an integer in "
                           "%u..%u", opt, s, lo, hi);
  *v = (uint32_t)x;
  return 0;
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
  tsu_dtm_params p = tsu_dtm_default_params();
  p.sweeps = 100;
  p.sweeps_pos = 30;
  p.record = 8;
  uint32_t nb = 100, th = 0;
  const char *data = "fashion-mnist";
  int c, rc = 0;
  optind = 1;
  opterr = 0;
  while (rc == 0 && (c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (c) {
    case 'h': usage(stdout); return CMD_EXIT_OK;
    case B_STEPS: rc = get_u32(optarg, "--steps", 1, 64, &p.T); break;
    case B_GRAPH:
      p.n_jumps = tsu_grid_name_jumps(optarg);
      if (p.n_jumps < 1)
        return cmd_usage_error("bench dtm", "--graph: '%s' is not G4..G24", optarg);
      break;
    case B_L: rc = get_u32(optarg, "--L", 43, 1024, &p.L); break;
    case B_SW: rc = get_u32(optarg, "--sweeps", 8, 100000, &p.sweeps); break;
    case B_SP: rc = get_u32(optarg, "--sweeps-pos", 8, 100000, &p.sweeps_pos); break;
    case B_BATCH: rc = get_u32(optarg, "--batch", 64, 65536, &p.batch); break;
    case B_NB: rc = get_u32(optarg, "--batches", 1, 100000, &nb); break;
    case B_TH: rc = get_u32(optarg, "--threads", 0, 1024, &th); break;
    case B_DATA: data = optarg; break;
    default:
      return cmd_usage_error("bench dtm", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (rc != 0)
    return rc;
  if (p.batch % 64 != 0)
    return cmd_usage_error("bench dtm", "--batch must be a multiple of 64");
  tk_err err = {0};
  io_image_set set = {0};
  tsu_dtm *m = NULL;
  tsu_dtm_epoch_stats st = {0};
  rc = cmd_dtm_load_data(data, "train", (size_t)nb * p.batch, &set, &err);
  if (rc == TK_OK && set.n < (size_t)nb * p.batch)
    rc = TK_FAIL(&err, TK_ERANGE, "only %zu training images for %u batches",
                 set.n, nb);
  if (rc == TK_OK)
    rc = tsu_dtm_alloc(&p, &m, &err);
  if (rc == TK_OK && tsu_dtm_stats_alloc(m, &st) != TK_OK)
    rc = TK_FAIL(&err, TK_ENOMEM, "statistics");
  tsu_dtm_data d = {set.n, set.pixels, set.labels};
  if (rc == TK_OK)
    rc = tsu_dtm_train_epoch(m, &d, (int)th, NULL, NULL, &st, &err);
  int x = CMD_EXIT_OK;
  if (rc != TK_OK) {
    x = cmd_fail("bench dtm", &err);
  } else {
    printf("steps=%u graph=G%d L=%u sweeps=%u sweeps_pos=%u batch=%u "
           "batches=%u wall_s=%.4g images_per_s=%.4g flips_per_ns=%.4g "
           "epoch_s=%.4g\n", p.T, 4 * p.n_jumps, p.L, p.sweeps, p.sweeps_pos,
           p.batch, nb, st.wall_s, st.images_per_s, st.flips_per_ns,
           60000.0 / st.images_per_s);
  }
  tsu_dtm_stats_free(&st);
  tsu_dtm_free(m);
  io_image_set_free(&set);
  return x;
}
