/* cal_nodemix.h -- calibrated cat4 / gmm2 maps (cal_nodemap.h) as the
 * cell callbacks of the mixed-node sampler (tsu/tsu_mixed.h): one place
 * where `tsukit sample` (run/run_sample.c) and the chip API
 * (api/tka_chip.c) turn a library into chip nodes.
 *
 *   categorical node: the ideal conditional q -> cal_nodemap_cat (the
 *     node's mismatch instance) -> the achieved distribution;
 *   continuous node: the ideal conditional mean -> cal_nodemap_gmm_mean
 *     -> the calibrated two-Gaussian mixture in node units (the variance
 *     asked for is not controllable and is ignored);
 *   finite tau: a node whose cell has correlation time tau, updated every
 *     dt, keeps its value with probability exp(-dt / tau) (tsu_mixed's
 *     hold);
 *   energy: per update e_sample_J x max(dt / tau, 1) (tsu_energy.h's
 *     rule) from the node's library, the default figure for spin and
 *     ideal nodes.
 *
 * Workload: per update one map (see cal_nodemap.h); thread-safe.
 */
#ifndef CAL_NODEMIX_H
#define CAL_NODEMIX_H

#include "calibrate/cal_nodemap.h"
#include "common/tk_error.h"
#include "tsu/tsu_mixed.h"

typedef struct cal_nodemix {
  const cal_nodemap *cat;  /* cells of the categorical nodes, NULL: ideal */
  const cal_nodemap *gmm;  /* cells of the continuous nodes, NULL: ideal */
  int clip;                /* 1: clip unreachable conditionals (the
                              deviation is reported), 0: TK_ERANGE */
} cal_nodemix;

/* Point m's callbacks at x (which must outlive the run) and fill hold[n]
 * (NULL: no finite-tau hold) for updates every dt_s seconds.  TK_EINVAL:
 * a categorical map whose K is not m->K, or a map for a node kind the
 * graph does not have. */
int cal_nodemix_attach(cal_nodemix *x, tsu_mixed *m, double dt_s,
                       double *hold, tk_err *err);

/* The mean over m's nodes of the rng energy of one update (J). */
double cal_nodemix_update_J(const cal_nodemix *x, const tsu_mixed *m,
                            double dt_s, double default_J);

/* The callbacks (ctx: a cal_nodemix). */
int cal_nodemix_cat(void *ctx, uint32_t node, const double *q, double *p,
                    double *dev, tk_err *err);
int cal_nodemix_cont(void *ctx, uint32_t node, double mean, double var,
                     tsu_mixture *out, double *dev, tk_err *err);

#endif
