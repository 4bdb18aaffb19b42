/* phys_sde_w4_avx2.c -- the four-lane instantiation of
 * physics/phys_sde_lanes_impl.h for AVX2 (one 256-bit operation per four-lane
 * one), chosen at run time (phys_sde.c).  AVX2 only, no FMA: a multiply
 * and an add stay two roundings, as in the other instantiations, so every
 * path gives the same bits. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "physics/phys_const.h"
#include "physics/phys_noise.h"
#include "physics/phys_sde_impl.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#pragma GCC target("avx2,no-fma")
#define SDE_W 4
#define SDE_LINKAGE static
#define SDE_FN phys__sde_lanes4_avx2_fn
#include "physics/phys_sde_lanes_impl.h"
const phys__sde_kernel phys__sde_lanes4_avx2 = phys__sde_lanes4_avx2_fn;
#else
const phys__sde_kernel phys__sde_lanes4_avx2 = NULL;
#endif
