/* phys_sde_w4.c -- the four-lane instantiation of
 * physics/phys_sde_lanes_impl.h for the baseline instruction set (SSE2:
 * each four-lane operation is two two-lane ones). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "physics/phys_const.h"
#include "physics/phys_noise.h"
#include "physics/phys_sde_impl.h"

#define SDE_W 4
#define SDE_FN phys__sde_lanes4
#include "physics/phys_sde_lanes_impl.h"
