/* phys_sde_w1.c -- the one-lane instantiation of
 * physics/phys_sde_lanes_impl.h: one instance at a time (phys_sde_run),
 * the reference of the batches. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "physics/phys_const.h"
#include "physics/phys_noise.h"
#include "physics/phys_sde_impl.h"

#define SDE_W 1
#define SDE_FN phys__sde_lanes1
#include "physics/phys_sde_lanes_impl.h"
