/* tsu_moments.h -- one batch-means accumulator for the moments of every
 * Gibbs node kind (spin, Potts, Gaussian), and the error bars from it.
 *
 * Observables per recorded sweep, summed over chains:
 *   per node `cols` values  spin <s_i> (cols 1), Potts P(s_i = k)
 *                           (cols K), Gaussian <x_i> (cols 1);
 *   per edge one value      <s_i s_j>, P(s_i = s_j), <x_i x_j>
 *                           (edge order of the graph).
 * Recorded sweeps go into n_batches equal batches of per_batch sweeps;
 * the mean of an observable is the mean of its batch means and its
 * standard error sqrt(var_batches / n_batches) (batch means: the batches
 * are long against the autocorrelation time).  Sweeps past n_batches x
 * per_batch are ignored.
 *
 * Sums are exact integer counts for discrete states (TSU_MOM_COUNT: order
 * does not matter) and doubles for real states (TSU_MOM_REAL: the
 * runners add chains in chain order, so a result does not depend on the
 * number of threads).  Layout of one batch: the node values [n][cols],
 * then the edge values [n_edges].
 *
 * Workload: one add per recorded sweep (n cols + n_edges values per
 * chain), cheaper than the sweep itself; one result at the end.
 */
#ifndef TSU_MOMENTS_H
#define TSU_MOMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_graph.h"

typedef enum tsu_moments_type {
  TSU_MOM_COUNT = 0,    /* int64 counts (spin, Potts) */
  TSU_MOM_REAL = 1      /* double sums (Gaussian) */
} tsu_moments_type;

typedef struct tsu_moments {
  tsu_moments_type type; /* which of count / sum is allocated */
  uint32_t n;           /* nodes */
  uint32_t cols;        /* values per node, >= 1 */
  uint32_t n_edges;     /* edges */
  size_t n_obs;         /* values per batch: n cols + n_edges */
  uint32_t n_batches;   /* batches for the error bars, >= 2 */
  uint64_t per_batch;   /* sweeps per batch, >= 1 */
  uint64_t recorded;    /* sweeps recorded so far */
  uint32_t n_chains;    /* chains per sweep, >= 1 */
  int64_t *count;       /* [n_batches][n_obs] (TSU_MOM_COUNT), else NULL */
  double *sum;          /* [n_batches][n_obs] (TSU_MOM_REAL), else NULL */
} tsu_moments;

/* Moments of n nodes x cols values and n_edges edges over n_sweeps
 * recorded sweeps of n_chains chains, in n_batches batches of
 * n_sweeps / n_batches sweeps (TK_ERANGE unless n_batches >= 2 and
 * n_sweeps >= n_batches; TK_EINVAL for no chains or no columns). */
int tsu_moments_alloc(uint32_t n, uint32_t cols, uint32_t n_edges,
                      tsu_moments_type type, uint32_t n_chains,
                      uint64_t n_sweeps, uint32_t n_batches,
                      tsu_moments **out, tk_err *err);
void tsu_moments_free(tsu_moments *m);

/* The sums of the batch the next sweep belongs to (count or sum by
 * type), NULL when every batch is full; after adding a sweep's states
 * call tsu_moments_next. */
int64_t *tsu_moments_batch_count(tsu_moments *m);
double *tsu_moments_batch_sum(tsu_moments *m);
void tsu_moments_next(tsu_moments *m);

/* Means and standard errors: mean[n][cols], corr[n_edges]; any output
 * may be NULL. */
void tsu_moments_result(const tsu_moments *m, double *mean, double *mean_se,
                        double *corr, double *corr_se);

/* Spins: add one sweep of bit-packed states (tsu_fast.h layout,
 * bits[node * n_groups + group], bit c of a group is chain 64 group + c,
 * 1 = +1); chains past m->n_chains are ignored.  m: TSU_MOM_COUNT, cols 1,
 * planned for g. */
void tsu_moments_add_spins(tsu_moments *m, const tsu_graph *g,
                           const uint64_t *bits, uint32_t n_groups);

#endif
