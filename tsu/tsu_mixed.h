/* tsu_mixed.h -- mixed graphs: spin, categorical and continuous nodes in
 * one chip, sampled by chromatic block Gibbs (reference kernel, double
 * precision, many chains), with ideal cells or calibrated ones through
 * two callbacks (the `tsukit sample --cells-kind mixed` and
 * `--cells L.h5 --cell cat4|gmm2` path; run/run_sample.c fills the
 * callbacks from calibrate/cal_nodemap.h, which this layer cannot see).
 *
 * Node values.  A spin s in {-1, +1}; a categorical node c in 0..K-1; a
 * continuous node x real.  Each node has a scalar value u_i for couplings
 * to scalar neighbours: u = s, u = x, and for a categorical node
 * u = [c = 1] (the grid convention of tsu_potts.h: a bias acts on state 1).
 * Energy on a tsu_graph (J_ij = g->w, h_i = g->h) with per-node
 * self-couplings a_i > 0 of the continuous nodes:
 *   E = - sum_(ij) J_ij f_ij - sum_i b_i + sum_(i cont) (a_i / 2) x_i^2,
 *   f_ij = [c_i = c_j]  when both are categorical (Potts),
 *          u_i u_j      otherwise;
 *   b_i  = h_i s_i, h_i x_i, or kbias_i(c_i) (default h_i [c_i = 1]).
 * P ~ exp(-beta E).  Conditionals (the ideal cells):
 *   spin  P(s = +1) = sigmoid(2 beta F_i),  F_i = h_i + sum_j J_ij u_j;
 *   cat   P(c = k) ~ exp(beta (kbias_i(k) + sum_(j cat) J_ij [c_j = k]
 *                               + [k = 1] sum_(j scalar) J_ij u_j));
 *   cont  x ~ N(F_i / a_i, 1 / (beta a_i)).
 * The edge observable recorded is f_ij (so <f_ij> is -dF/dJ_ij / beta,
 * what a learning rule needs), the node observables [n][cols]: spins <s>
 * and continuous <x> in column 0 (other columns 0), categorical P(c = k)
 * in column k; cols = K when the graph has a categorical node, else 1.
 *
 * Calibrated cells.  cat_fn (NULL: ideal) receives the ideal conditional
 * q[K] of a categorical node and returns the distribution p[K] the cell
 * really samples (and its deviation max |p - q|); cont_fn (NULL: ideal)
 * receives the ideal conditional mean and variance of a continuous node
 * and returns the two-Gaussian mixture the cell samples.  Both must be
 * thread-safe (chains run on OpenMP threads); an error from one stops the
 * run with its status (the first chain's, in chain order).
 *
 * Randomness: the update of node i in sweep t of chain c draws from
 * (seed, stream = c, ctr = t n + i): one uniform (spin, categorical) or
 * two normals (continuous: z0 the Gaussian, Phi(z1) the mixture's
 * component); the hold decision (hold != NULL) one uniform at (seed,
 * stream = 2^62 + c, same ctr); the random start at (seed, stream =
 * 2^63 + c, ctr = i).  A
 * run is a pure function of (seed, chain, node, sweep) and bit-identical
 * for any thread count (moments are summed in chain order).
 *
 * Workload: exactness tests (5-12 nodes) and mid-size chips; about
 * 50-100 ns per update and core ideal, a few us with a calibrated cat4
 * inverse per update.
 */
#ifndef TSU_MIXED_H
#define TSU_MIXED_H

#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_moments.h"
#include "tsu/tsu_run.h"

typedef enum tsu_node_kind {
  TSU_NODE_SPIN = 0,    /* s in {-1, +1} */
  TSU_NODE_CAT = 1,     /* c in 0..K-1 */
  TSU_NODE_CONT = 2,    /* x real */
  TSU_NODE_N_KINDS
} tsu_node_kind;

/* "spin", "cat", "cont"; from a name (also "categorical", "continuous"):
 * TK_EINVAL naming the words. */
const char *tsu_node_kind_name(tsu_node_kind k);
int tsu_node_kind_from_name(const char *name, tsu_node_kind *out,
                            tk_err *err);

/* A two-Gaussian mixture w0 N(mu[0], sd[0]) + (1 - w0) N(mu[1], sd[1]). */
typedef struct tsu_mixture {
  double w0;            /* weight of component 0, in [0, 1] */
  double mu[2];         /* means (node units) */
  double sd[2];         /* standard deviations, > 0 */
} tsu_mixture;

/* Calibrated categorical cell: q[K] the ideal conditional of node i,
 * p[K] what the cell samples, *dev its deviation (max |p - q|). */
typedef int (*tsu_mixed_cat_fn)(void *ctx, uint32_t node, const double *q,
                                double *p, double *dev, tk_err *err);
/* Calibrated continuous cell: the ideal conditional N(mean, var) of node
 * i -> the mixture the cell samples, *dev its deviation (|mean of the
 * mixture - mean|). */
typedef int (*tsu_mixed_cont_fn)(void *ctx, uint32_t node, double mean,
                                 double var, tsu_mixture *out, double *dev,
                                 tk_err *err);

typedef struct tsu_mixed {
  const tsu_graph *g;   /* couplings J_ij, biases h_i; not owned */
  const uint8_t *kind;  /* [n] tsu_node_kind; not owned */
  uint32_t K;           /* states of the categorical nodes, 2..16 */
  const double *kbias;  /* [n][K] per-state biases of the categorical
                           nodes, NULL: h_i on state 1 */
  const double *a;      /* [n] self-couplings, > 0 at continuous nodes
                           (others ignored); required with any */
  double beta;          /* inverse temperature, >= 0 (> 0 with
                           continuous nodes) */
  const double *hold;   /* [n] probability in [0, 1) that an update keeps
                           the node's value (a cell with correlation time
                           tau updated every dt: exp(-dt / tau)), NULL: 0;
                           with ideal cells the stationary distribution
                           is unchanged (only mixing slows) */
  tsu_mixed_cat_fn cat_fn;   /* NULL: ideal categorical cells */
  void *cat_ctx;
  tsu_mixed_cont_fn cont_fn; /* NULL: ideal continuous cells */
  void *cont_ctx;
} tsu_mixed;

/* Check kinds, K, beta, a, finiteness. */
int tsu_mixed_check(const tsu_mixed *m, tk_err *err);
/* Columns of the node observables (K with a categorical node, else 1). */
uint32_t tsu_mixed_cols(const tsu_mixed *m);
/* Energy of one configuration v[n] (spin +-1, categorical state as a
 * double, continuous x). */
double tsu_mixed_energy(const tsu_mixed *m, const double *v);
/* The ideal conditional of node i given v: categorical q[K]; spin
 * q[0] = P(s = -1), q[1] = P(s = +1); continuous q[0] mean, q[1]
 * variance. */
void tsu_mixed_conditional(const tsu_mixed *m, uint32_t i, const double *v,
                           double *q);

/* Many chains of one model. */
typedef struct tsu_mixed_chains tsu_mixed_chains;

/* Plan n_chains >= 1 chains and draw the random start; m (with its
 * arrays) and col must outlive the result. */
int tsu_mixed_chains_alloc(const tsu_mixed *m, const tsu_coloring *col,
                           uint32_t n_chains, uint64_t seed,
                           tsu_mixed_chains **out, tk_err *err);
void tsu_mixed_chains_free(tsu_mixed_chains *s);
/* Run n_sweeps sweeps on n_threads OpenMP threads (0: the default),
 * adding every sweep's observables to mom (TSU_MOM_REAL, cols
 * tsu_mixed_cols, planned with tsu_mixed_moments_alloc) if not NULL.
 * TK_ENUMERIC on divergence of a continuous node. */
int tsu_mixed_chains_run(tsu_mixed_chains *s, uint64_t n_sweeps,
                         int n_threads, tsu_moments *mom, tk_err *err);
int tsu_mixed_moments_alloc(const tsu_mixed *m, uint32_t n_chains,
                            uint64_t n_sweeps, uint32_t n_batches,
                            tsu_moments **out, tk_err *err);
/* States [n_chains][n] as values (see tsu_mixed_energy). */
const double *tsu_mixed_chains_states(const tsu_mixed_chains *s);
uint64_t tsu_mixed_chains_sweeps(const tsu_mixed_chains *s);
/* Updates that changed the state (every continuous update counts, as
 * for the Gaussian chains). */
uint64_t tsu_mixed_chains_changes(const tsu_mixed_chains *s);
/* Calibrated-cell deviations over all updates so far: mapped updates,
 * their mean and max deviation (0 with ideal cells). */
void tsu_mixed_chains_dev(const tsu_mixed_chains *s, double *n_mapped,
                          double *mean_dev, double *max_dev);

/* The runner shape of tsu_run.h: burn-in, then recorded sweeps into
 * batch-means moments, timing, activity (tsu_mixed_chains_changes per
 * update of the recorded sweeps; 1 when every node is continuous). */
int tsu_run_mixed(tsu_mixed_chains *c, const tsu_mixed *m, uint32_t n_chains,
                  const tsu_run_params *p, tsu_run_result *res, tk_err *err);

#endif
