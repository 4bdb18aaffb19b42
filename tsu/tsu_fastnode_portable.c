/* tsu_fastnode_portable.c -- the portable path of the Potts and Gaussian
 * kernels: the body (tsu_fastnode_body_impl.h) in 4-lane GNU C vectors that
 * the compiler lowers to the baseline ISA (SSE2 on x86-64, scalar code
 * elsewhere); the reference the AVX2 and AVX-512 paths are held to. */
#include "tsu/tsu_fastpotts.h"

#define FN_T
#define FN_VL 4
#define FN_LOAD_U8(p) fn_load_u8(p)
#define FN_STORE_U8(p, v)                                                 \
  do {                                                                    \
    for (unsigned l_ = 0; l_ < FN_VL; l_++)                               \
      (p)[l_] = (uint8_t)(v)[l_];                                         \
  } while (0)
#define FN_MULHILO(a, m, hi, lo)                                          \
  do {                                                                    \
    for (uint32_t l_ = 0; l_ < FN_VL; l_++) {                         \
      uint64_t p_ = (uint64_t)(a)[l_] * (m);                              \
      (hi)[l_] = (uint32_t)(p_ >> 32);                                    \
      (lo)[l_] = (uint32_t)p_;                                            \
    }                                                                     \
  } while (0)
#define FN_SQRT(v)                                                        \
  do {                                                                    \
    for (unsigned l_ = 0; l_ < FN_VL; l_++)                           \
      (v)[l_] = sqrtf((v)[l_]);                                           \
  } while (0)
#define FN_FMA(a, b, c) fn_fma_portable((a), (b), (c))
#define FN_FLOOR(v) fn_floor_portable(v)
#define FN_PATH_NAME "portable"
#define FN_PATH_VAR tsu__fn_portable

#include <math.h>

typedef uint32_t fn_vu4_ __attribute__((vector_size(16)));
static inline fn_vu4_ fn_load_u8(const uint8_t *p)
{
  return (fn_vu4_){p[0], p[1], p[2], p[3]};
}

typedef float fn_vf4_ __attribute__((vector_size(16)));
typedef int32_t fn_vi4_ __attribute__((vector_size(16)));

/* C99 fmaf per lane: one rounding, as the FMA instructions (glibc's
 * fmaf is the FMA instruction where the CPU has one, by ifunc; a vector
 * emulation in double with rounding to odd measured 1.5x slower here on
 * the Gaussian kernel, so it stays a call). */
static inline fn_vf4_ fn_fma_portable(fn_vf4_ a, fn_vf4_ b, fn_vf4_ c)
{
  for (unsigned l = 0; l < 4; l++)
    a[l] = fmaf(a[l], b[l], c[l]);
  return a;
}

/* floor for |v| < 2^31 (the kernels' arguments are in [-126, 0]):
 * truncate, then one less where that was above v. */
static inline fn_vf4_ fn_floor_portable(fn_vf4_ v)
{
  fn_vf4_ t = __builtin_convertvector(__builtin_convertvector(v, fn_vi4_),
                                      fn_vf4_);
  return t - (fn_vf4_)((fn_vi4_)(t > v) & (fn_vi4_)(fn_vf4_){1, 1, 1, 1});
}

#include "tsu/tsu_fastnode_body_impl.h"
