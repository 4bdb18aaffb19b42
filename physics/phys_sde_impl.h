/* phys_sde_impl.h -- phys_sde.c's lane kernels
 * (physics/phys_sde_lanes_impl.h), one per lane count and instruction
 * set; not a public header. */
#ifndef PHYS_SDE_IMPL_H
#define PHYS_SDE_IMPL_H

#include "physics/phys_sde.h"

/* Stream of the Brownian-bridge normals (refined steps). */
#define SDE_BRIDGE_STREAM 0xB41D6E5EED5A17C3ull
#define SDE_SQRT2 1.4142135623730950488

/* Run lanes instances of one topology (the caller has checked the cells,
 * their topology, the parameters and allocated out[l]); cvs[l] NULL for
 * all lanes or for none; rc[l] / errs[l] each lane's status.  Returns
 * non-zero only when the kernel cannot run at all (memory). */
typedef int (*phys__sde_kernel)(const phys_cell *const *cells,
                                const phys_mos_cv *const *cvs,
                                const phys_sde_params *const *ps,
                                phys_lgv_result *const *out, int *rc,
                                tk_err *errs, tk_err *err);

int phys__sde_lanes1(const phys_cell *const *cells,
                     const phys_mos_cv *const *cvs,
                     const phys_sde_params *const *ps,
                     phys_lgv_result *const *out, int *rc, tk_err *errs,
                     tk_err *err);
int phys__sde_lanes4(const phys_cell *const *cells,
                     const phys_mos_cv *const *cvs,
                     const phys_sde_params *const *ps,
                     phys_lgv_result *const *out, int *rc, tk_err *errs,
                     tk_err *err);
/* the same kernel compiled for AVX2 (NULL where the compiler cannot) */
extern const phys__sde_kernel phys__sde_lanes4_avx2;

#endif
