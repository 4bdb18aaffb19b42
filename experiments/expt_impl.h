/* expt_impl.h -- the experiments' entry points (internal to
 * experiments/; the registry in expt_registry.c lists them). */
#ifndef EXPT_IMPL_H
#define EXPT_IMPL_H

#include "experiments/expt.h"

int expt__energy_wall_run(expt_run *r, tk_err *err);
int expt__energy_wall_plot(const char *h5, const char *png, tk_err *err);

int expt__random_bits_run(expt_run *r, tk_err *err);
int expt__random_bits_plot(const char *h5, const char *png, tk_err *err);
int expt__pbit_speed_run(expt_run *r, tk_err *err);
int expt__pbit_speed_plot(const char *h5, const char *png, tk_err *err);
int expt__dwell_run(expt_run *r, tk_err *err);
int expt__dwell_plot(const char *h5, const char *png, tk_err *err);
int expt__pbit_run(expt_run *r, tk_err *err);
int expt__pbit_plot(const char *h5, const char *png, tk_err *err);

int expt__energy_cmp_run(expt_run *r, tk_err *err);
int expt__energy_cmp_plot(const char *h5, const char *png, tk_err *err);
int expt__optim_run(expt_run *r, tk_err *err);
int expt__optim_plot(const char *h5, const char *png, tk_err *err);

int expt__cat_run(expt_run *r, tk_err *err);
int expt__cat_plot(const char *h5, const char *png, tk_err *err);
int expt__gmm_run(expt_run *r, tk_err *err);
int expt__gmm_plot(const char *h5, const char *png, tk_err *err);

int expt__temp_run(expt_run *r, tk_err *err);
int expt__temp_plot(const char *h5, const char *png, tk_err *err);
int expt__native_fidelity_run(expt_run *r, tk_err *err);
int expt__native_fidelity_plot(const char *h5, const char *png, tk_err *err);
int expt__pbit_fast_cal_run(expt_run *r, tk_err *err);
int expt__pbit_fast_cal_plot(const char *h5, const char *png, tk_err *err);

int expt__dtm_run(expt_run *r, tk_err *err);
int expt__dtm_plot(const char *h5, const char *png, tk_err *err);
int expt__mixing_run(expt_run *r, tk_err *err);
int expt__mixing_plot(const char *h5, const char *png, tk_err *err);
int expt__dtm_gray_run(expt_run *r, tk_err *err);
int expt__dtm_gray_plot(const char *h5, const char *png, tk_err *err);

/* The DTM study (issue 19): expt_dtm_study*.c. */
int expt__dtm_collapse_run(expt_run *r, tk_err *err);
int expt__dtm_collapse_plot(const char *h5, const char *png, tk_err *err);
int expt__dtm_degree_run(expt_run *r, tk_err *err);
int expt__dtm_degree_plot(const char *h5, const char *png, tk_err *err);
int expt__dtm_depth_run(expt_run *r, tk_err *err);
int expt__dtm_depth_plot(const char *h5, const char *png, tk_err *err);
int expt__dtm_pareto_run(expt_run *r, tk_err *err);
int expt__dtm_pareto_plot(const char *h5, const char *png, tk_err *err);

#endif
