/* tsu_dtm_impl.h -- internals shared by the DTM's files. */
#ifndef TSU_DTM_IMPL_H
#define TSU_DTM_IMPL_H

#include "tsu/tsu_color.h"
#include "tsu/tsu_dtm.h"

/* Philox streams of the DTM (keyed by the model or run seed). */
enum {
  TSU__DTM_S_LAYOUT = 101,  /* visible sites */
  TSU__DTM_S_INIT = 102,    /* initial couplings */
  TSU__DTM_S_SHUFFLE = 103, /* epoch order */
  TSU__DTM_S_NOISE = 104,   /* forward process, + step */
  TSU__DTM_S_START = 200,   /* start state of generation */
  TSU__DTM_S_PROJ = 201     /* autocorrelation projections */
};

/* What is clamped besides the input nodes. */
enum { TSU__CLAMP_NONE = 0, TSU__CLAMP_VIS = 1, TSU__CLAMP_LABEL = 2 };

/* Colouring for chromatic Gibbs with clamping: colour 0/1 are the free
 * nodes of checkerboard colour 0/1 (input nodes count as colour 1, they
 * touch only their visible spin), colours 2/3 the clamped ones (the
 * input nodes always).  Run colours 0..1 only. */
int tsu__dtm_coloring(const tsu_dtm *m, int clamp, tsu_coloring **out,
                      tk_err *err);

/* Write x (0/1 per visible, chain-major [n_chains][n_vis]) onto the
 * visible nodes (inputs = 0) or the input nodes (inputs = 1). */
void tsu__dtm_put(const tsu_dtm *m, uint64_t *bits, uint32_t n_groups,
                  const uint8_t *x, uint32_t n_chains, int inputs);
/* Read the visible spins into x ([n_chains][n_vis]). */
void tsu__dtm_get(const tsu_dtm *m, const uint64_t *bits, uint32_t n_groups,
                  uint8_t *x, uint32_t n_chains);
/* Forward noise: x_out = x_in with each bit flipped w.p. q(dt) of its
 * kind, from Philox (seed, stream, ctr0 + i) per chain row i. */
void tsu__dtm_noise(const tsu_dtm *m, const uint8_t *x_in, uint8_t *x_out,
                    uint32_t n_rows, double dt, uint64_t seed,
                    uint64_t stream, uint64_t ctr0);

/* The chains' autocorrelation at lag `lag` from their projections
 * y[P][nc][N] (tsu_dtm_train.c; used by the binary and categorical
 * models' ACP). */
double tsu__dtm_proj_autocorr(const double *y, uint32_t P, uint32_t nc,
                              uint32_t N, uint32_t lag);

#endif
