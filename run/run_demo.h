/* run_demo.h -- `tsukit demo`: the whole chain on the embedded defaults.
 *
 * Runs each layer on built-in parameters through the same library calls
 * as the commands (run_trace, run_plot, run_doublewell, run_sample,
 * run_dtm_train, run_dtm_sample), writes every step's HDF5 data and
 * gnuplot figure into one folder, and returns the headline numbers.
 * A step that fails stops the demo (files of finished steps stay).
 *
 *   device      EKV I_D(V_GS) at -40, 27, 125 C      device.h5/.png
 *   cells       pbit, cat4, gmm2 traces (ngspice)    cell_*.h5/.png
 *   doublewell  escape rate at 6 kT                  doublewell.h5/.png
 *   chip        70x70 G12, 128 chains                chip.h5/.png
 *   dtm         a short 4-step DTM, 100 samples      dtm_model.h5, dtm_samples.h5/.png
 *               (skipped when Fashion-MNIST is not installed)
 */
#ifndef RUN_DEMO_H
#define RUN_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

typedef struct run_demo_params {
  const char *out_dir;  /* folder for the files, created (tsukit-demo) */
  int quick;            /* 1: shorter runs (seconds instead of minutes) */
  uint64_t seed;        /* random seed (1) */
  const char *command;  /* provenance command line (NULL: "") */
} run_demo_params;

run_demo_params run_demo_default_params(void);

#define RUN_DEMO_PBIT_RUNS 5

typedef struct run_demo_result {
  double swing_mV_per_dec;  /* subthreshold swing at 27 C */
  double pbit_p1[RUN_DEMO_PBIT_RUNS];       /* pbit runs: P(1) */
  double pbit_tau_s[RUN_DEMO_PBIT_RUNS];    /* correlation time */
  double pbit_energy_per_flip_J[RUN_DEMO_PBIT_RUNS]; /* energy per flip */
  double dw_mfpt_ratio;     /* escape rate / exact first-passage rate */
  double dw_kramers_ratio;  /* escape rate / Kramers */
  double chip_flips_per_ns; /* chip kernel speed */
  double chip_energy_per_sample_J;       /* chip energy report */
  double chip_paper_energy_per_sample_J; /* the paper's K n E_cell */
  int dtm_skipped;          /* 1: no Fashion-MNIST, no DTM step */
  double dtm_train_images_per_s;   /* training throughput */
  double dtm_train_flips_per_ns;   /* training kernel speed */
  double dtm_energy_per_sample_J;  /* generation energy per sample */
  double dtm_paper_energy_per_sample_J; /* T K L^2 E_cell */
  size_t steps;             /* steps run */
  double wall_s;            /* wall time of the demo */
} run_demo_result;

/* The steps, for help texts: name and one line each. */
size_t run_demo_n_steps(void);
const char *run_demo_step_name(size_t i);
const char *run_demo_step_summary(size_t i);

/* Run every step (progress lines on stderr). */
int run_demo(const run_demo_params *p, run_demo_result *res, tk_err *err);

#endif
