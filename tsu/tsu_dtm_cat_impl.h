/* tsu_dtm_cat_impl.h -- internals shared by the categorical DTM's files
 * (tsu_dtm_cat.c, tsu_dtm_cat_train.c). */
#ifndef TSU_DTM_CAT_IMPL_H
#define TSU_DTM_CAT_IMPL_H

#include "tsu/tsu_dtm_cat.h"
#include "tsu/tsu_dtm_impl.h"
#include "tsu/tsu_fastpotts.h"

/* Philox streams: the binary DTM's (tsu_dtm_impl.h) + 0x100. */
enum {
  TSU__DTMC_S_SHUFFLE = TSU__DTM_S_SHUFFLE + 0x100,
  TSU__DTMC_S_NOISE = TSU__DTM_S_NOISE + 0x100,
  TSU__DTMC_S_START = TSU__DTM_S_START + 0x100,
  TSU__DTMC_S_PROJ = TSU__DTM_S_PROJ + 0x100
};

/* tsu__dtm_coloring with n_colors = 2: the free nodes are colours 0/1,
 * the clamped ones follow start[2] and are never updated by a sampler
 * that runs the colours 0..n_colors-1 (the fast Potts sampler). */
int tsu__dtmc_coloring(const tsu_dtmc *m, int clamp, tsu_coloring **out,
                       tk_err *err);
/* x [n_chains][n_vis] onto the visible (inputs = 0) or input nodes. */
void tsu__dtmc_put(const tsu_dtmc *m, tsu_fastpotts *s, const uint8_t *x,
                   uint32_t n_chains, int inputs);
/* The visible nodes' states into x [n_chains][n_vis]. */
void tsu__dtmc_get(const tsu_dtmc *m, const tsu_fastpotts *s, uint8_t *x,
                   uint32_t n_chains);

#endif
