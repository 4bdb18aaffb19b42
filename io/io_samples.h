/* io_samples.h -- the samples file of `tsukit sample`: moments of a chip
 * simulation with their standard errors, the graph, the run, the energy
 * report and (optionally) the final states.
 *
 * Workload: written once per run (n + n_edges values and a few
 * attributes; the final states chains x n), through io_file_create /
 * io_file_commit (FILE.partial renamed when complete).
 *
 * Layout:
 *   /moments/mean [n] or [n, K], /moments/mean_stderr (same shape),
 *   /moments/edge_corr [n_edges], /moments/edge_corr_stderr; attributes
 *   stderr_method, observables (what mean and edge_corr hold);
 *   /graph/edges [n_edges, 2] (int32), /graph/J [n_edges], /graph/h [n],
 *   /graph/a [n] (Gaussian self-couplings, gauss and mixed with
 *   continuous nodes), /graph/node_kind [n] (uint8, mixed-node runs: 0
 *   spin, 1 cat, 2 cont; attribute codes); attributes spec,
 *   L, torus, n_colors;
 *   /run attributes beta, chains, sweeps (as asked), burn_in,
 *   flips_per_ns, flip_activity, kernel, cells_kind, states (potts only),
 *   cells (the library's cell name, or "ideal"); with calibrated cat4 /
 *   gmm2 cells map_updates, map_dev_mean, map_dev_max (the deviation of
 *   what the cells sampled from the ideal conditional, run/run_sample.h);
 *   with calibrated pbit cells cell_mismatch (measured instances, trimmed
 *   or not, a Gaussian draw or none; tsu/tsu_celltab.h);
 *   /energy/{rng,bias,clock,wire}_per_sweep_J, per_sweep_J,
 *   readout_per_sample_J, per_sample_J, paper_per_sample_J [1] each;
 *   attribute sweeps_per_sample;
 *   /states/final [chains, n] (int8 spins, uint8 Potts states or float64
 *   Gaussian states), when asked for.
 */
#ifndef IO_SAMPLES_H
#define IO_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"
#include "io/io_h5.h"
#include "tsu/tsu_energy.h"
#include "tsu/tsu_graph.h"

typedef struct io_samples {
  const tsu_graph *g;   /* the graph sampled */
  const char *graph_spec; /* --graph as given */
  unsigned n_colors;    /* colours of its colouring */
  const double *gauss_a; /* [n] Gaussian self-couplings, NULL: none */
  const double *mean, *mean_se; /* [n][mean_cols] */
  const double *corr, *corr_se; /* [n_edges] */
  size_t mean_cols;     /* 1 (spin, gauss) or K (potts) */
  const char *observables; /* what mean and edge_corr hold */
  const char *kernel;   /* the kernel that ran */
  const char *cells_kind; /* "spin" | "potts" | "gauss" */
  long states;          /* Potts states K, 0: not a Potts run */
  const char *cells;    /* cell name of the library, or "ideal" */
  double beta;          /* inverse temperature */
  double chains;        /* chains */
  double sweeps;        /* sweeps asked for */
  double burn_in;       /* discarded sweeps */
  double flips_per_ns;  /* updates per ns over the recorded sweeps */
  double activity;      /* state changes per update */
  const tsu_energy_report *en; /* energy report */
  double sweeps_per_sample; /* K of the energy report */
  const int8_t *final_spin;  /* [chains][n] or NULL */
  const uint8_t *final_potts; /* [chains][n] or NULL */
  const double *final_gauss; /* [chains][n] or NULL */
  const uint8_t *node_kind; /* [n] mixed runs: tsu_node_kind, or NULL */
  double map_updates;   /* calibrated cat4/gmm2 updates (0: none) ... */
  double map_dev_mean, map_dev_max; /* ... their deviation (mean, max) */
  const char *cell_mismatch; /* pbit cells: where their mismatch came
                          from (tsu_celltab_cells), NULL: not written */
} io_samples;

/* Write s to path (force: replace an existing file). */
int io_samples_write(const char *path, const io_prov *prov, int force,
                     const io_samples *s, tk_err *err);

#endif
