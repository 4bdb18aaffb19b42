/* run_sample.h -- `tsukit sample` as a library call: build the graph and
 * model, the cells (ideal, or calibrated from a cell library at a chip
 * temperature and clock), run the Gibbs chains of the chosen node kind
 * (tsu/tsu_run.h), account the energy and write the samples file
 * (io/io_samples.h).  Calibrated categorical (cat4) and Gaussian-mixture
 * (gmm2) libraries drive the reference mixed-node sampler
 * (tsu/tsu_mixed.h) through calibrate/cal_nodemap.h: each update's ideal
 * conditional becomes the cell's controls, and the cell's calibrated
 * response at the chip temperature (with mismatch and its finite tau as
 * a hold probability exp(-dt / tau)) is what is sampled.
 *
 * Workload: seconds to minutes (burn-in + sweeps of n nodes x chains);
 * progress on stderr for the spin kernel.
 */
#ifndef RUN_SAMPLE_H
#define RUN_SAMPLE_H

#include <stdint.h>

#include "common/tk_error.h"
#include "run/run_chiptime.h"
#include "tsu/tsu_energy.h"

typedef enum run_sample_kind {
  RUN_SAMPLE_SPIN = 0,  /* s in {-1,+1}, the fast kernel */
  RUN_SAMPLE_POTTS = 1, /* s in 0..K-1, the fast (or reference) chains */
  RUN_SAMPLE_GAUSS = 2, /* x real, the fast (or reference) chains */
  RUN_SAMPLE_MIXED = 3, /* spin, categorical and continuous nodes in one
                         * graph (node_kinds), tsu/tsu_mixed.h */
  RUN_SAMPLE_N_KINDS
} run_sample_kind;

/* "spin", "potts", "gauss", "mixed" ("?" outside the enum). */
const char *run_sample_kind_name(run_sample_kind k);
/* Kind from its name; TK_EINVAL if unknown. */
int run_sample_kind_from_name(const char *name, run_sample_kind *out,
                              tk_err *err);

typedef struct run_sample_params {
  const char *graph;    /* G4..G24 or a graph file (default "G12") */
  long L;               /* grid side (default 70) */
  int torus;            /* periodic boundary (default 0) */
  const char *model;    /* "random" (default) or a file of b/e lines */
  double beta;          /* inverse temperature (default 1) */
  long chains;          /* chains (default 256) */
  long sweeps;          /* recorded sweeps, >= 20 (default 1000) */
  long burn_in;         /* discarded sweeps (default 100) */
  uint64_t seed;        /* seed of model, mismatch and chains (default 1) */
  long threads;         /* OpenMP threads, 0: all (default) */
  const char *cells;    /* calibrated cell library, NULL: ideal cells;
                         * pbit (spin nodes), categorical (cat4: potts or
                         * the categorical nodes of a mixed graph) or gmm
                         * (gmm2: gauss or the continuous nodes); mixed:
                         * up to two, comma-separated */
  const char *cell;     /* its cell (with cells; comma-separated alike) */
  double temp_K;        /* chip temperature (with cells) */
  double clock_Hz;      /* chip clock (default 1e7) */
  double design_K;      /* design temperature of the control mapping
                         * (NaN, default: temp_K, a compensated chip) */
  long sample_sweeps;   /* sweeps per sample in the energy report (250) */
  int save_states;      /* 1: write /states/final */
  run_sample_kind kind; /* node kind (default spin) */
  long states;          /* Potts states K (default 3) */
  int reference;        /* potts, gauss: 1 = the double-precision
                         * reference chains instead of the fast kernel
                         * (default 0) */
  const char *node_kinds; /* mixed: a comma list of spin|cat|cont cycled
                         * over the nodes (node i takes entry i mod
                         * length), or a file of 'i kind' lines (nodes not
                         * listed are spin) */
  int clip;             /* calibrated cat4 / gmm2 cells: 1 = a conditional
                         * the cell cannot reach inside its calibrated
                         * control range is clipped (the deviation is
                         * reported), 0 = TK_ERANGE naming the range
                         * (default) */
  int mismatch;         /* calibrated cells: tsu_mismatch (tsu_celltab.h),
                         * where the per-cell mismatch comes from
                         * (default auto: a pbit library's measured
                         * instances when it has them, else the Gaussian
                         * draw; cat4/gmm2: none = nominal cells,
                         * gaussian refused) */
  int trim;             /* pbit cells: 1 = each cell's mapping trimmed to
                         * its own measured curve (needs instances) */
  double trim_lsb_V;    /* > 0: the offset trim in steps of this (a trim
                         * DAC); 0 (default): exact */
  int infer_kind;       /* 1: with cells, the node kind follows the
                         * library's kind (pbit spin, categorical potts,
                         * gmm gauss) instead of `kind` (default 0) */
  int path;             /* kernel path, TSU_PATH_* (default 0: auto) */
  const char *out;      /* output file; required */
  int force;            /* 1: overwrite out */
  const char *command;  /* provenance command line (NULL: "") */
} run_sample_params;

run_sample_params run_sample_default_params(void);

/* The summary of a run (the `tsukit sample` line). */
typedef struct run_sample_result {
  long nodes, edges, colors, chains; /* the problem */
  long sweeps;          /* recorded sweeps (a multiple of 20) */
  double flips_per_ns;  /* cell updates per ns, recorded sweeps */
  double mean_magnetisation; /* mean over nodes (see `sample --help`) */
  double flip_activity; /* fraction of updates that changed the state */
  tsu_energy_report en; /* energy report */
  double map_updates;   /* updates through calibrated cat4/gmm2 cells */
  double map_dev_mean;  /* their deviation from the ideal conditional: */
  double map_dev_max;   /* max_k |p_k - q_k| (cat), |mean error| (gmm) */
  int gmm_cells;        /* 1: continuous nodes ran on calibrated gmm cells,
                         * whose conditional keeps the mean of the ideal
                         * Gaussian conditional but not its variance */
  run_chiptime chip;    /* the chip's time per sample (--sample-sweeps
                         * sweeps) from the cells' tau (run/run_chiptime.h;
                         * NaN for ideal cells) */
  char cell_mismatch[384]; /* pbit cells: where their mismatch came from
                         * (tsu_celltab_cells), "" otherwise */
} run_sample_result;

int run_sample(const run_sample_params *p, run_sample_result *res,
               tk_err *err);

#endif
