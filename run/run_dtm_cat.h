/* run_dtm_cat.h -- the categorical (grayscale) DTM's runs: train, sample,
 * eval (tsu/tsu_dtm_cat.h, io/io_dtm_cat.h).  They take the binary runs'
 * parameter and result structs (run_dtm.h): run_dtm_train dispatches here
 * when p->pixel_levels >= 2 (`--pixels cat4`) or when it resumes a
 * categorical model; run_dtm_sample and run_dtm_eval when the model file
 * is categorical (io_dtmc_is_model).  Training is one process (the MPI
 * split is the binary DTM's only).
 *
 * Evaluation: FD-tsukit uses the same classifier network (tsu/tsu_clf.h)
 * on the thermometer code of the levels (tsu_dtmc_thermometer: (K-1) x
 * 784 binary inputs), trained on the quantised training set; the
 * marginal baseline draws independent pixels from the per-pixel level
 * marginals.  Values are comparable with each other, not with the binary
 * DTM's FD-tsukit (another feature space): compare the ratio to each
 * one's own baseline.
 */
#ifndef RUN_DTM_CAT_H
#define RUN_DTM_CAT_H

#include "run/run_dtm.h"
#include "tsu/tsu_dtm_cat.h"

/* Fashion-MNIST split quantised to K levels (tsu_dtmc_quantise). */
int run_dtmc_load_data(const char *data, const char *split, size_t limit,
                       uint32_t K, io_image_set *set, tk_err *err);

int run_dtmc_train(const run_dtm_train_params *p, run_dtm_train_result *res,
                   tk_err *err);
int run_dtmc_sample(const run_dtm_sample_params *p,
                    run_dtm_sample_result *res, tk_err *err);
int run_dtmc_eval(const run_dtm_eval_params *p, run_dtm_eval_result *res,
                  tk_err *err);

#endif
