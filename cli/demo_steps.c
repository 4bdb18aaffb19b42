/* demo_steps.c -- the ordered list of `tsukit demo` steps. */
#include "cli/demo.h"

const demo_step demo_steps[] = {
  {"device", demo_device, "EKV transistor I_D(V_GS) at -40, 27 and 125 C"},
  {"cells", demo_cells, "pbit, cat4 and gmm2 cells in ngspice with device noise"},
  {"doublewell", demo_doublewell, "double well at 6 kT: escape rate vs exact and Kramers"},
  {"chip", demo_chip, "70x70 G12 chip, 128 chains, Gibbs sampling and energy"},
  {"dtm", demo_dtm, "4-step DTM on the chip: a short training on Fashion-MNIST, samples, energy"},
};
const size_t demo_n_steps = sizeof demo_steps / sizeof demo_steps[0];
