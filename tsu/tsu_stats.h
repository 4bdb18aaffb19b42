/* tsu_stats.h -- error bars for Markov-chain averages, and moments.
 *
 * Integrated autocorrelation time with Sokal's automatic window:
 *   tau_int = 1/2 + sum_{t=1}^{W} rho(t),  W the first t >= c tau_int(t)
 * (c = 5), with rho averaged over independent chains.  The standard error
 * of a mean over C chains of N samples is sqrt(var * 2 tau_int / (C N)).
 *
 * Moments of bit-packed chain states (tsu_fast.h layout): per node the
 * mean spin, per edge the mean s_i s_j, accumulated per sweep and per
 * batch (batch means give the standard errors written by `sample`).
 */
#ifndef TSU_STATS_H
#define TSU_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_graph.h"

/* x[c * n + t]: n_chains series of n samples each.  Returns tau_int (>=
 * 1/2) and, if var is not NULL, the pooled variance. */
double tsu_tau_int(const double *x, size_t n_chains, size_t n, double *var);
/* Standard error of the grand mean of x (layout as above). */
double tsu_mean_stderr(const double *x, size_t n_chains, size_t n,
                       double *mean, double *tau);

typedef struct tsu_moments {
  uint32_t n;           /* nodes */
  uint32_t n_edges;     /* edges */
  uint32_t n_batches;   /* batches for the error bars, >= 2 */
  uint64_t per_batch;   /* sweeps per batch */
  uint64_t recorded;    /* sweeps recorded so far */
  double n_chains;      /* chains per sweep */
  int64_t *s_sum;       /* [n_batches][n] sum of s_i over chains and sweeps */
  int64_t *ss_sum;      /* [n_batches][n_edges] sum of s_i s_j */
} tsu_moments;

/* Moments over n_sweeps recorded sweeps in n_batches equal batches
 * (n_sweeps rounded down to a multiple of n_batches by the caller). */
int tsu_moments_alloc(const tsu_graph *g, uint32_t n_chains,
                      uint64_t n_sweeps, uint32_t n_batches,
                      tsu_moments **out, tk_err *err);
/* Add one sweep's states (bits[node * n_groups + group]); chains past
 * n_chains are ignored. */
void tsu_moments_add(tsu_moments *m, const tsu_graph *g,
                     const uint64_t *bits, uint32_t n_groups,
                     uint32_t n_chains);
/* Means and standard errors (batch means over chains x sweeps). */
void tsu_moments_result(const tsu_moments *m, double *mean, double *mean_se,
                        double *corr, double *corr_se);
void tsu_moments_free(tsu_moments *m);

#endif
