/* run_dtm_bench.c -- DTM training throughput (`tsukit bench dtm`): a fresh
 * model of the given shape trained for one pass over the first
 * batch x batches training images (the autocorrelation probe run once at
 * the end: with the default 100 batches that is the reference run's
 * --acp-every 100), and one epoch over 60000 images extrapolated.
 * Workload: 100 batches of the reference 70 x 70 G12 4-step model with
 * 100 + 30 sweeps: about 20-40 s on two cores. */
#include <string.h>

#include "run/run_dtm.h"

run_dtm_bench_params run_dtm_bench_default_params(void)
{
  run_dtm_bench_params b;
  memset(&b, 0, sizeof b);
  b.p = tsu_dtm_default_params();
  b.p.sweeps = 100;
  b.p.sweeps_pos = 30;
  b.p.record = 8;
  b.batches = 100;
  b.data = "fashion-mnist";
  return b;
}

int run_dtm_bench(const run_dtm_bench_params *b, run_dtm_bench_result *res,
                  tk_err *err)
{
  if (b == NULL || res == NULL || b->data == NULL)
    return TK_FAIL(err, TK_EINVAL, "bench dtm: no parameters");
  if (b->p.batch == 0 || b->p.batch % 64 != 0)
    return TK_FAIL(err, TK_EINVAL, "--batch must be a multiple of 64");
  memset(res, 0, sizeof *res);
  io_image_set set = {0};
  tsu_dtm *m = NULL;
  tsu_dtm_epoch_stats st = {0};
  size_t want = (size_t)b->batches * b->p.batch;
  int rc = run_dtm_load_data(b->data, "train", want, &set, err);
  if (rc == TK_OK && set.n < want)
    rc = TK_FAIL(err, TK_ERANGE, "only %zu training images for %u batches",
                 set.n, b->batches);
  if (rc == TK_OK)
    rc = tsu_dtm_alloc(&b->p, &m, err);
  if (rc == TK_OK && tsu_dtm_stats_alloc(m, &st) != TK_OK)
    rc = TK_FAIL(err, TK_ENOMEM, "statistics");
  tsu_dtm_data d = {set.n, set.pixels, set.labels};
  if (rc == TK_OK)
    rc = tsu_dtm_train_epoch(m, &d, b->threads, NULL, NULL, &st, err);
  if (rc == TK_OK) {
    res->wall_s = st.wall_s;
    res->images_per_s = st.images_per_s;
    res->flips_per_ns = st.flips_per_ns;
    res->epoch_s = 60000.0 / st.images_per_s;
  }
  tsu_dtm_stats_free(&st);
  tsu_dtm_free(m);
  io_image_set_free(&set);
  return rc;
}
