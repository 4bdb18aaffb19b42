/* fuzz_h5_dtmc.c -- the categorical (grayscale) DTM's files
 * (io/io_dtm_cat.h): the model probe `dtm sample` and `eval` dispatch on
 * (io_dtmc_is_model), the model reader (io_dtmc_load with its training
 * history) and the sample-set reader of levels (io_dtmc_samples_read).
 * Seeds: a small cat4 model and its samples (fuzz/mkseeds.sh).
 *
 * Contract: a model whose per-state arrays match its layout and levels, a
 * sample set whose every pixel is a level below K, or a one-line error;
 * nothing leaks. */
#include "fuzz/fuzz_h5.h"

#include <string.h>

#include "io/io_dtm_cat.h"
#include "tsu/tsu_dtm_cat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = fuzz_h5_image(data, size);
  if (path == NULL)
    return 0;
  (void)io_dtmc_is_model(path);

  tsu_dtmc *m = NULL;
  io_dtm_history h;
  memset(&h, 0, sizeof h);
  tk_err err = {0};
  int rc = io_dtmc_load(path, &m, &h, &err);
  fuzz_check_error(rc, &err, "io_dtmc_load");
  if (rc != 0 && m != NULL)
    fuzz_fail("io_dtmc_load", "failure left a model");
  if (rc == 0) {
    if (m == NULL || m->b == NULL || m->K < 2 || m->K > TSU_DTMC_MAX_K)
      fuzz_fail("io_dtmc_load", "success without a model of 2..MAX_K levels");
    /* ASan: every array holds what the layout says */
    size_t n = (size_t)m->b->p.T * m->b->n_grid * m->K;
    double s = 0;
    for (size_t i = 0; i < n; i++)
      s += m->h[i] + m->mh[i] + m->vh[i];
    for (size_t i = 0; i < (size_t)TSU_DTM_N_PIX * m->K; i++)
      s += m->pix_p[i];
    (void)s;
  }
  tsu_dtmc_free(m);
  io_dtm_history_free(&h);

  io_dtm_samples smp;
  memset(&smp, 0, sizeof smp);
  uint32_t K = 0;
  tk_err e2 = {0};
  rc = io_dtmc_samples_read(path, &smp, &K, &e2);
  fuzz_check_error(rc, &e2, "io_dtmc_samples_read");
  if (rc == 0) {
    size_t n = smp.n * (size_t)TSU_DTM_N_PIX;
    for (size_t i = 0; i < n; i++)
      if (smp.images[i] >= K)
        fuzz_fail("io_dtmc_samples_read", "an image pixel is not a level");
    size_t nc = smp.chain == NULL ? 0
                : ((size_t)smp.steps + 1) * smp.n_chain * TSU_DTM_N_PIX;
    for (size_t i = 0; i < nc; i++)
      if (smp.chain[i] >= K)
        fuzz_fail("io_dtmc_samples_read", "a chain pixel is not a level");
    io_dtm_samples_free(&smp);
  }
  fuzz_h5_image_done();
  return 0;
}
