/* tka_chip.h -- a chip (an Ising / Potts / Gaussian graph) sampled by
 * tsukit's Gibbs kernels, for foreign callers (tka.h).
 *
 * A chip is a tsu_graph with its colouring (tsu/tsu_graph.h,
 * tsu_color.h): an L x L grid with a jump set (G4..G24, random model as
 * `tsukit sample`) or explicit edge arrays as thrml users write models.
 * A run is tsu/tsu_run.h's runner of the node kind:
 *   TKA_SPIN         the fast bit-packed kernel (tsu_fast.h), ideal cells
 *                    or calibrated ones from a cell library at a chip
 *                    temperature (io_cells_read + tsu_celltab_params, as
 *                    `tsukit sample --cells`);
 *   TKA_CATEGORICAL  the Potts chains (tsu_potts.h): J_ij [s_i = s_j] and
 *                    per-state biases h[n][K];
 *   TKA_CONTINUOUS   the Gaussian chains (tsu_gauss.h) with self-couplings
 *                    a[n] (NULL: diagonally dominant, margin 1).
 * tka_chip_sample_mixed runs a graph whose nodes mix the three kinds
 * (tsu/tsu_mixed.h, the double-precision reference sampler), with ideal
 * cells or calibrated categorical (cat4) / Gaussian-mixture (gmm2) cells
 * from cell libraries (calibrate/cal_nodemix.h, as `tsukit sample
 * --cells-kind mixed`).
 *
 * The run's result (tka_samples) owns the chains: their final states are
 * exposed as the kernel's own buffer (no copy) -- spin: the packed words
 * uint64 [n][n_groups] (bit q of word [i][g] is chain 64 g + q, 1 = +1);
 * categorical: uint8 [chains][n]; continuous: double [chains][n] -- and
 * the moments as arrays the result owns.
 *
 * Workload: as `tsukit sample` (seconds for a 70x70 G12 chip).
 */
#ifndef TKA_CHIP_H
#define TKA_CHIP_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

enum { TKA_SPIN = 0, TKA_CATEGORICAL = 1, TKA_CONTINUOUS = 2,
       TKA_MIXED = 3 };

typedef struct tka_chip tka_chip;
typedef struct tka_samples tka_samples;

/* An L x L grid ("G4".."G24", L in 2..4096, torus 0/1) with the random
 * model of `tsukit sample` (J ~ U(-1,1), h ~ U(-0.1,0.1) from seed). */
int tka_chip_grid(const char *graph, long L, int torus, uint64_t seed,
                  tka_chip **out, tk_err *err);
/* n nodes and n_edges edges (ei[k], ej[k]) with couplings w[k] and
 * biases h[n] (NULL: zero); indices, self-loops, duplicates and
 * finiteness are checked (tsu_graph_from_edges). */
int tka_chip_edges(long n, long n_edges, const uint32_t *ei,
                   const uint32_t *ej, const double *w, const double *h,
                   tka_chip **out, tk_err *err);
void tka_chip_free(tka_chip *c);

/* Sizes, and the model copied out (any pointer may be NULL). */
uint32_t tka_chip_nodes(const tka_chip *c);
uint32_t tka_chip_n_edges(const tka_chip *c);
uint32_t tka_chip_colors(const tka_chip *c);
void tka_chip_model(const tka_chip *c, uint32_t *ei, uint32_t *ej,
                    double *w, double *h);
/* How calibrated cells of later tka_chip_sample* runs take their
 * mismatch: mismatch a tsu_mismatch (tsu/tsu_celltab.h: 0 auto, the
 * library's measured instances when it has them; 1 instances; 2
 * gaussian; 3 none), trim 1 = each pbit cell's mapping trimmed to its
 * own measured curve, trim_lsb_V > 0 its offset trim in steps of that
 * (`tsukit sample --mismatch M --trim --trim-lsb V`).  Default 0, 0, 0.
 * cat4/gmm2 cells: none = nominal cells; gaussian and trim are refused
 * by the run (TK_EINVAL). */
int tka_chip_set_cells_mode(tka_chip *c, int mismatch, int trim,
                            double trim_lsb_V, tk_err *err);
/* Replace couplings w[n_edges] and biases h[n] (finite; NULL keeps). */
int tka_chip_set_model(tka_chip *c, const double *w, const double *h,
                       tk_err *err);

/* One run: burn_in discarded sweeps, then `sweeps` recorded ones
 * (>= 20, a multiple of 20 is used: 20 batches for the error bars), on
 * `chains` chains (1..2^24) at inverse temperature beta (finite, >= 0;
 * > 0 for continuous), threads 0 = all.  kind TKA_SPIN may take
 * calibrated cells: cells (a library path) and cell (its name) with
 * temp_K (chip temperature), design_K (NaN: temp_K) and clock_Hz (> 0),
 * their mismatch as tka_chip_set_cells_mode says (default: the
 * library's measured instances when it has them, untrimmed); cells NULL:
 * ideal cells.  TKA_CATEGORICAL takes K (2..16) and the
 * per-state biases kbias[n][K] (NULL: h_i on state 1, as `tsukit
 * sample`).  TKA_CONTINUOUS takes a[n] > 0 (NULL: diagonally dominant).
 * stop: see tka.h. */
int tka_chip_sample(const tka_chip *c, int kind, uint64_t sweeps,
                    uint64_t burn_in, long chains, double beta,
                    uint64_t seed, int threads, const char *cells,
                    const char *cell, double temp_K, double design_K,
                    double clock_Hz, unsigned K, const double *kbias,
                    const double *a, const volatile int *stop,
                    tka_samples **out, tk_err *err);
/* A mixed graph: node_kind[n] (TKA_SPIN, TKA_CATEGORICAL or
 * TKA_CONTINUOUS per node), K states of the categorical nodes with
 * per-state biases kbias[n][K] (NULL: h_i on state 1), self-couplings
 * a[n] of the continuous nodes (NULL: diagonally dominant, margin 1).
 * Calibrated cells: cat_cells / cat_cell a categorical (cat4) library
 * for the categorical nodes (its K must be K), gmm_cells / gmm_cell a
 * gmm (gmm2) library for the continuous nodes (each NULL: ideal), at
 * chip temperature temp_K, design_K (NaN: temp_K), clock_Hz (the
 * finite-tau hold), clip (1: clip unreachable conditionals, 0: TK_ERANGE
 * naming the calibrated range).  Other arguments as tka_chip_sample.
 * The result's kind is TKA_MIXED: states double [chains][n] (s, k or x),
 * mean [n][cols] (cols K with a categorical node, else 1; spin <s> and
 * continuous <x> in column 0, categorical P(c = k)), corr the edge
 * features (tsu_mixed.h). */
int tka_chip_sample_mixed(const tka_chip *c, const uint8_t *node_kind,
                          uint64_t sweeps, uint64_t burn_in, long chains,
                          double beta, uint64_t seed, int threads,
                          unsigned K, const double *kbias, const double *a,
                          const char *cat_cells, const char *cat_cell,
                          const char *gmm_cells, const char *gmm_cell,
                          double temp_K, double design_K, double clock_Hz,
                          int clip, const volatile int *stop,
                          tka_samples **out, tk_err *err);
/* Calibrated mixed runs: updates through library cells and their
 * deviation from the ideal conditional (mean, max); 0 otherwise. */
void tka_samples_map_dev(const tka_samples *s, double *n_mapped,
                         double *mean_dev, double *max_dev);
void tka_samples_free(tka_samples *s);

/* The final states: the kernel's buffer (see above), valid until
 * tka_samples_free; dims[0] x dims[1] elements of elem_size bytes. */
const void *tka_samples_states(const tka_samples *s, size_t dims[2],
                               size_t *elem_size);
/* Spin runs: the states unpacked into spins[chains][n] (-1/+1, a copy);
 * TK_EINVAL for other kinds. */
int tka_samples_spins(const tka_samples *s, int8_t *spins, tk_err *err);
/* Moments (owned by s): mean and its standard error [n][cols] (spin
 * <s_i>, categorical P(s_i = k), continuous <x_i>), edge correlations
 * and errors [n_edges] (<s_i s_j>, P(s_i = s_j), <x_i x_j>). */
const double *tka_samples_mean(const tka_samples *s, size_t *cols);
const double *tka_samples_mean_se(const tka_samples *s);
const double *tka_samples_corr(const tka_samples *s);
const double *tka_samples_corr_se(const tka_samples *s);
/* The run: kind, chains, recorded sweeps, cell updates per ns of the
 * recorded sweeps, the fraction of updates that changed a state, the
 * kernel ("avx512", "avx2", "portable", "potts-reference",
 * "gauss-reference", "mixed-reference"). */
int tka_samples_kind(const tka_samples *s);
uint32_t tka_samples_chains(const tka_samples *s);
uint64_t tka_samples_recorded(const tka_samples *s);
double tka_samples_flips_per_ns(const tka_samples *s);
double tka_samples_activity(const tka_samples *s);
const char *tka_samples_kernel(const tka_samples *s);

/* `tsukit bench gibbs` on this chip: ideal cells at beta, `chains`
 * chains, one warm-up sweep then `sweeps` timed ones (wall clock) on
 * `threads` threads (0 = all); path 0 auto, 1 portable, 2 avx2, 3 avx512.
 * Flips counted over whole 64-chain words, as the command does. */
int tka_chip_bench(const tka_chip *c, long chains, long sweeps, int threads,
                   double beta, uint64_t seed, int path,
                   double *flips_per_ns, double *seconds,
                   const char **kernel, tk_err *err);

#endif
