/* tsu_stats.h -- error bars for Markov-chain averages of one series.
 *
 * Integrated autocorrelation time with Sokal's automatic window:
 *   tau_int = 1/2 + sum_{t=1}^{W} rho(t),  W the first t >= c tau_int(t)
 * (c = 5), with rho averaged over independent chains.  The standard error
 * of a mean over C chains of N samples is sqrt(var * 2 tau_int / (C N)).
 *
 * The moments of many chains with batch-means error bars, for every node
 * kind, are in tsu_moments.h.
 */
#ifndef TSU_STATS_H
#define TSU_STATS_H

#include <stddef.h>

/* x[c * n + t]: n_chains series of n samples each.  Returns tau_int (>=
 * 1/2) and, if var is not NULL, the pooled variance. */
double tsu_tau_int(const double *x, size_t n_chains, size_t n, double *var);
/* Standard error of the grand mean of x (layout as above). */
double tsu_mean_stderr(const double *x, size_t n_chains, size_t n,
                       double *mean, double *tau);

#endif
