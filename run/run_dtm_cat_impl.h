/* run_dtm_cat_impl.h -- the categorical DTM's chip of calibrated cells,
 * shared by run_dtm_cat_sample.c and run_dtm_cat_cells.c. */
#ifndef RUN_DTM_CAT_IMPL_H
#define RUN_DTM_CAT_IMPL_H

#include "run/run_dtm.h"
#include "tsu/tsu_dtm_cat.h"
#include "tsu/tsu_energy.h"

typedef struct run__dtmc_chip run__dtmc_chip;

/* The chip of o->cells / o->cell at o->temp_K (controls set for
 * o->design_K, default temp_K: a temperature-compensated chip) for model
 * m: the cell library must hold a categorical cell of m->K states
 * (TK_EINVAL otherwise), the temperatures must lie in its calibrated
 * span (TK_ERANGE).  ep receives the cell's energy per sample and tau. */
int run__dtmc_chip_open(const run_dtm_sample_params *o, const tsu_dtmc *m,
                        run__dtmc_chip **out, tsu_energy_params *ep,
                        tk_err *err);
/* The cells for tsu_dtmc_generate (owned by the chip). */
const tsu_dtmc_cells *run__dtmc_chip_cells(const run__dtmc_chip *c);
/* Mapping error so far: updates, mean and max of max_k |p_k - q_k|, and
 * the fraction of updates whose target was pulled towards uniform. */
void run__dtmc_chip_stats(const run__dtmc_chip *c, double *updates,
                          double *err_mean, double *err_max,
                          double *clip_frac);
void run__dtmc_chip_free(run__dtmc_chip *c);

#endif
