/* cal_noise.h -- the pbit's transfer width from its noise node.
 *
 * Workload: one record per temperature (10^5 samples of two node
 * voltages); a few FFTs.
 *
 * Physics (measured on the shipped pbit, docs/FINDINGS.md "Why vs does
 * not follow kT"): the noise node X wanders around the control voltage
 * as an Ornstein-Uhlenbeck process -- variance sigma_x^2 = kT / C_X
 * (equipartition), correlation time tau_x = C_X / g of the
 * pseudo-resistor -- and the digitiser, much slower than X (tau >>
 * tau_x), responds to X averaged over its own response time.  An
 * exponential average over tau of an OU process has the variance
 *     sigma_eff^2 = sigma_x^2 tau_x / (tau_x + tau)
 * (exact for OU; for tau >> tau_x any process with the same low-frequency
 * density 2 sigma_x^2 tau_x gives sigma_x^2 tau_x / tau).  The output is 1
 * while the averaged X is above the trip point, so
 *     P(1) = Phi((V - v0) / sigma_eff) ~ sigmoid((V - v0) / vs),
 *     vs = sigma_eff / 1.702,
 * 1.702 the logistic scale that best matches a unit normal CDF.  With
 * temperature kT rises, but g (so 1/tau_x) is more strongly activated
 * than the digitiser's speed 1/tau, and the width stays nearly flat.
 */
#ifndef CAL_NOISE_H
#define CAL_NOISE_H

#include <stddef.h>

#include "common/tk_error.h"

/* The logistic scale matching a unit normal CDF: Phi(z) ~ sigmoid(1.702 z). */
#define CAL_PROBIT_LOGISTIC 1.702

typedef struct cal_noise_node {
  double sigma_V;     /* sd of X about its mean in the current output state */
  double tau_x_s;     /* integrated correlation time of that fluctuation */
  double tau_x_err_s; /* its Sokal error */
  double shift_V;     /* mean of X in state 1 minus in state 0 (the
                         digitiser's pull on X); NaN unless both states seen */
  double p1;          /* fraction of samples with the output high */
} cal_noise_node;

/* X and the output (digitised at vdd_V / 2) sampled every dt_s, n >= 64:
 * the fluctuation of X with the state-conditional mean removed (the
 * digitiser's feedback is a shift, not noise), its sd and integrated
 * correlation time.  TK_ENUMERIC when X is constant or its correlation
 * time is not resolved. */
int cal_noise_node_measure(const double *x_V, const double *out_V, size_t n,
                           double dt_s, double vdd_V, cal_noise_node *r,
                           tk_err *err);

/* vs = sqrt(sigma^2 tau_x / (tau_x + tau)) / 1.702 (see above); NaN for
 * non-finite or non-positive inputs. */
double cal_noise_model_vs(double sigma_V, double tau_x_s, double tau_s);

#endif
