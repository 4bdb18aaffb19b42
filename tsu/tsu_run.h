/* tsu_run.h -- one runner shape for every Gibbs node kind: burn-in, then
 * recorded sweeps whose states go into batch-means moments
 * (tsu_moments.h), with the timing and the flip activity of the recorded
 * sweeps.
 *
 *   spin   the fast bit-packed kernel (tsu_fast.h);
 *   potts  the categorical reference chains (tsu_potts.h), or the fast
 *          categorical sampler (tsu_fastpotts.h);
 *   gauss  the continuous reference chains (tsu_gauss.h), or the fast
 *          Gaussian-node sampler (tsu_fastgauss.h).
 * Each runner takes the same parameters and fills the same result; the
 * chains (and their random streams) belong to the caller, who may read
 * the final states afterwards.  A run is a pure function of the chains'
 * seed: the runners add nothing random.
 *
 * Workload: burn_in + sweeps sweeps of the kernel; the moments and (spin)
 * the flip count cost about as much as a sweep of the fast kernel.
 */
#ifndef TSU_RUN_H
#define TSU_RUN_H

#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_fastgauss.h"
#include "tsu/tsu_fastpotts.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_graph.h"
#include "tsu/tsu_moments.h"
#include "tsu/tsu_potts.h"

typedef struct tsu_run_params {
  uint64_t burn_in;     /* discarded sweeps (default 100) */
  uint64_t sweeps;      /* recorded sweeps, rounded down to a multiple of
                           n_batches, >= n_batches (default 1000) */
  uint32_t n_batches;   /* batches for the error bars, >= 2 (default 20) */
  int n_threads;        /* OpenMP threads, 0: all (default) */
  int progress;         /* 1: progress on stderr (spin; default 0) */
  const volatile int *stop; /* NULL (default), or a flag another thread
                           may set: the run stops between sweeps with
                           TK_EINTERRUPT (the chains keep the state of
                           the last whole sweep, no moments) */
} tsu_run_params;

tsu_run_params tsu_run_default_params(void);

typedef struct tsu_run_result {
  tsu_moments *mom;     /* moments of the recorded sweeps (owned) */
  uint64_t recorded;    /* recorded sweeps */
  double updates;       /* cell updates in them: n x chains x recorded */
  double t_rec_s;       /* wall time of the recorded sweeps */
  double updates_per_ns; /* updates / t_rec_s, per ns */
  double activity;      /* fraction of updates that changed the state
                           (gauss: 1) */
} tsu_run_result;

/* Spins: n_chains chains of s on g (the graph s was planned for). */
int tsu_run_spin(tsu_sampler *s, const tsu_graph *g, uint32_t n_chains,
                 const tsu_run_params *p, tsu_run_result *res, tk_err *err);
int tsu_run_potts(tsu_potts_chains *c, const tsu_potts *model,
                  uint32_t n_chains, const tsu_run_params *p,
                  tsu_run_result *res, tk_err *err);
int tsu_run_gauss(tsu_gauss_chains *c, const tsu_graph *g, uint32_t n_chains,
                  const tsu_run_params *p, tsu_run_result *res, tk_err *err);
/* The same for the fast samplers. */
int tsu_run_fastpotts(tsu_fastpotts *s, const tsu_potts *model,
                      uint32_t n_chains, const tsu_run_params *p,
                      tsu_run_result *res, tk_err *err);
int tsu_run_fastgauss(tsu_fastgauss *s, const tsu_graph *g, uint32_t n_chains,
                      const tsu_run_params *p, tsu_run_result *res,
                      tk_err *err);
/* Free the moments (res may be zeroed or half filled). */
void tsu_run_result_clear(tsu_run_result *res);

#endif
