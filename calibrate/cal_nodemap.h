/* cal_nodemap.h -- chip nodes from calibrated categorical (cat4) and
 * Gaussian-mixture (gmm2) cell libraries: the map from the conditional a
 * Gibbs update wants to the cell's control voltages, and what the cell
 * then really does (its calibrated model at the chip temperature).
 *
 * A library written by `tsukit calibrate --cell cat4|gmm2` (schema in
 * io/io_celllib.h) is read once; every map after it is formula
 * evaluations and (cat4) one 1-D search, no file access.
 *
 * Categorical (library kind "categorical", K states, K controls).  The
 * model is the one `calibrate --verify` and tka_cells_inverse use: the
 * priority encoder (cal_priority.h) where it fits better than the
 * softmax (cal_fit.h), else the softmax, per calibrated temperature.
 *   cal_nodemap_cat: target q[K] -> controls V[K] from the model at the
 *   design temperature (cal_priority_inverse / cal_softmax_inverse, the
 *   same inverse as the Python API), then the achieved distribution
 *   P(k | V) from the model at the chip temperature with this instance's
 *   mismatch.  A target the cell cannot reach with every control inside
 *   the calibrated control range [vmin_V, vmax_V] is TK_ERANGE naming the
 *   range; with clip = 1 the target is instead pulled towards uniform,
 *   q' = (1 - t) q + t / K with the smallest t in [0, 1] that is
 *   reachable (bisection to 1e-6), and the error max_k |P_k - q_k| says
 *   what that cost.
 *
 * Gaussian mixture (library kind "gmm", one control).  Each calibrated
 * point (T, V) holds a two-Gaussian fit of the output, f(y) = w0 N(mu0,
 * sd0) + (1 - w0) N(mu1, sd1) (gmm_* datasets).  Per temperature the map
 * uses: the mode positions and widths as the error-weighted means over
 * the control points (they barely move with V: the control sets the
 * weight), and the weight control as a logistic fitted to the points,
 *     w0(V) = sigmoid((V - w_v0_V) / w_vs_V)   (w_vs_V < 0: w0 falls),
 * least squares on logit(w0) weighted by its propagated errors.
 *   cal_nodemap_gmm: target w0 -> control V (inverse logistic at the
 *   design temperature), clipped to the calibrated control range or
 *   TK_ERANGE; the achieved mixture at the chip temperature.
 *   Node units: x = (y - centre_V) / half_V with centre_V = (mu0 + mu1)/2,
 *   half_V = (mu1 - mu0)/2 at the design temperature, so the modes sit at
 *   x = -1 and +1 (cal_nodemap_info).  A Gaussian-MRF update that wants
 *   the conditional mean m (node units) sets the weight whose mixture
 *   has that mean, w0 mu0_x + (1 - w0) mu1_x = m (cal_nodemap_gmm_mean;
 *   w0 = (1 - m) / 2 when the modes sit at -1, +1): the first moment is
 *   kept, the conditional variance and shape are not controllable (lost;
 *   see docs/ARCHITECTURE.md, "Calibrated chip nodes").
 *
 * Temperature.  Fits are per calibrated temperature; between two of them
 * every model parameter is interpolated linearly in T.  A chip or design
 * temperature outside [t_min_K - margin_K, t_max_K + margin_K]
 * (margin 0.5 K: the fits are not extrapolated) is TK_ERANGE naming the
 * span.  Design temperature != chip temperature models an uncompensated
 * chip (controls set for design_K, cell at temp_K).
 *
 * Mismatch.  When the library has mismatch/instance_v0_V and
 * instance_vs_V [nT, N] (calibrate --mc), node i is instance
 * i mod N (N instances; with seed != 0 one drawn uniformly per node from
 * the seed): its midpoint moves by instance_v0 - mean and its slope
 * scales by instance_vs / mean (every bit of a categorical cell alike;
 * the gmm weight logistic alike).  Without mismatch/
 * (or mismatch = 0) there is one instance, the nominal cell.
 *
 * Energy and time (cal_nodemap_info): e_sample_J is the energy per
 * independent sample (energy_J averaged over the calibrated controls),
 * tau_s the correlation time (fit/tau_op_s for categorical cells, the
 * mean of tau_s over the controls for gmm), both at the chip temperature.
 * Callers put them into tsu_potts_cell_energy / tsu_gauss_cell_energy.
 *
 * Bracketed inverse.  cal_priority_inverse scans 4001 values of lambda
 * (K logarithms each, ~0.3 ms per target, ~20x that when clipped).  The
 * map uses the same grid and golden section but finds the reachable
 * lambdas as one grid interval by two bisections (every bit falls with
 * lambda) and the nearest-to-middle grid point by ternary search on it,
 * and bisects a clipped target's pull on reachability alone: ~100 grid
 * evaluations instead of 4000 (~60x faster).  Tested against the full
 * scan (params.direct = 1) on 4000 random, peaked and clipped targets
 * with and without mismatch, limit 1e-6 on P(k) and 1 uV on the
 * controls: bit-identical (test_cal_nodemap).  The softmax model keeps
 * its own inverse.
 *
 * Workload: load reads one cell (tens of values per dataset) and fills
 * the 4001-point lambda grid; a cat map is one bracketed inverse (a few
 * us) plus K model evaluations; a gmm map a few exp/log.  Thread-safe
 * after load (the map is read-only).
 */
#ifndef CAL_NODEMAP_H
#define CAL_NODEMAP_H

#include <stddef.h>
#include <stdint.h>

#include "calibrate/cal_digitize.h"
#include "common/tk_error.h"

#define CAL_NODEMAP_MARGIN_K 0.5

typedef enum cal_nodemap_kind {
  CAL_NODEMAP_CAT = 1,  /* categorical cell (cat4): K states */
  CAL_NODEMAP_GMM = 2   /* Gaussian-mixture cell (gmm2): continuous */
} cal_nodemap_kind;

typedef struct cal_nodemap_params {
  const char *cells;    /* the cell library (path) */
  const char *cell;     /* its cell; NULL: the only cell of the file */
  int want;             /* 0: any kind; else CAL_NODEMAP_CAT or _GMM, and
                           a library of the other kind is TK_EINVAL */
  double temp_K;        /* chip temperature, K */
  double design_K;      /* temperature the controls are set for
                           (NaN, default: temp_K) */
  int mismatch;         /* 1 (default): per-instance mismatch when the
                           library has mismatch/; 0: nominal cells */
  uint64_t seed;        /* 0 (default): node i is instance i mod N; else
                           an instance drawn per node from the seed */
  int direct;           /* 0 (default): the bracketed inverse (below);
                           1: cal_priority_inverse's full scan per map
                           (the reference the bracketed one is tested
                           against) */
} cal_nodemap_params;

cal_nodemap_params cal_nodemap_default_params(void);

typedef struct cal_nodemap cal_nodemap;

/* Read the library and build the map.  TK_EINVAL: a cell of the wrong
 * kind (naming both), TK_ERANGE: a temperature outside the calibrated
 * span (naming it), TK_ENOTFOUND: no such cell or no fit, TK_EFORMAT:
 * not a cell library. */
int cal_nodemap_load(const cal_nodemap_params *p, cal_nodemap **out,
                     tk_err *err);
void cal_nodemap_free(cal_nodemap *m);

typedef struct cal_nodemap_info {
  cal_nodemap_kind kind;
  char cell[128];       /* the cell's name in the library */
  unsigned K;           /* states (categorical), 2 for gmm */
  double temp_K, design_K; /* chip and design temperatures */
  double t_min_K, t_max_K; /* the calibrated span */
  double vmin_V, vmax_V;   /* the calibrated control range */
  double tau_s;         /* correlation time at temp_K, s (NaN: unknown) */
  double e_sample_J;    /* energy per independent sample at temp_K, J
                           (NaN: unknown) */
  size_t n_instances;   /* mismatch instances in use (1: nominal) */
  int priority;         /* categorical: 1 the priority-encoder model, 0
                           the softmax */
  /* gmm at temp_K, nominal instance */
  double mu_V[2], sd_V[2];  /* mode positions and widths, V */
  double w_v0_V, w_vs_V;    /* weight logistic w0(V) */
  double w0_min, w0_max;    /* w0 reachable in [vmin_V, vmax_V] */
  double centre_V, half_V;  /* node units x = (y - centre_V) / half_V
                               (design temperature's modes at -1, +1) */
} cal_nodemap_info;

void cal_nodemap_get_info(const cal_nodemap *m, cal_nodemap_info *out);
/* The instance of node i (0 .. n_instances - 1). */
size_t cal_nodemap_instance(const cal_nodemap *m, size_t node);

/* Categorical. */
typedef struct cal_nodemap_cat_result {
  double ctl_V[CAL_MAX_STATES]; /* the controls, inside [vmin_V, vmax_V] */
  double p[CAL_MAX_STATES];     /* achieved P(k) at temp_K, this instance */
  double err;           /* max_k |p_k - q_k| against the target given */
  double pull;          /* t of the pull towards uniform (0: none) */
} cal_nodemap_cat_result;

/* q[K] (each >= 0, renormalised; zeros are raised to 1e-9) -> controls
 * and achieved distribution for node instance `inst`.  TK_ERANGE (naming
 * the control range) when unreachable and clip = 0; TK_EINVAL for a
 * gmm map or a bad q. */
int cal_nodemap_cat(const cal_nodemap *m, size_t inst, const double *q,
                    int clip, cal_nodemap_cat_result *out, tk_err *err);
/* The achieved distribution alone, for a sampler's every update: the
 * same as cal_nodemap_cat's p and err, faster where it can be.  For a
 * nominal instance of a compensated chip (design = chip temperature, no
 * mismatch) with the priority-encoder model, a reachable target is
 * sampled exactly (P = q, the model's identity, cal_priority.h), so only
 * reachability is decided: on every 8th point of the inverse's own
 * ln(lambda) grid (no logarithms, ~1 us), confirmed by the full inverse
 * when that finds none (strict), or (clip) the pull towards uniform
 * bisected on that grid.  Elsewhere it is cal_nodemap_cat. */
int cal_nodemap_cat_p(const cal_nodemap *m, size_t inst, const double *q,
                      int clip, double *p, double *err_max, tk_err *err);
/* P(k | ctl_V) of instance inst at the chip temperature (the forward
 * model alone). */
int cal_nodemap_cat_eval(const cal_nodemap *m, size_t inst,
                         const double *ctl_V, double *p, tk_err *err);

/* Gaussian mixture. */
typedef struct cal_nodemap_gmm_result {
  double ctl_V;         /* the control, inside [vmin_V, vmax_V] */
  double w0;            /* achieved lower-mode weight at temp_K */
  double mu_V[2], sd_V[2]; /* achieved modes (V) */
  double mu_x[2], sd_x[2]; /* the same in node units */
  double err;           /* |w0 - target w0| */
} cal_nodemap_gmm_result;

/* Target lower-mode weight w0 in (0, 1) -> control and achieved mixture.
 * TK_ERANGE (naming the reachable weights and control range) when
 * outside and clip = 0. */
int cal_nodemap_gmm(const cal_nodemap *m, size_t inst, double w0, int clip,
                    cal_nodemap_gmm_result *out, tk_err *err);
/* Target conditional mean m (node units) -> the weight that gives the
 * mixture that mean, then cal_nodemap_gmm.  err is then |mean - m| in
 * node units. */
int cal_nodemap_gmm_mean(const cal_nodemap *m, size_t inst, double mean_x,
                         int clip, cal_nodemap_gmm_result *out, tk_err *err);

#endif
