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
typedef double fn_vd4_ __attribute__((vector_size(32)));
typedef int64_t fn_vl4_ __attribute__((vector_size(32)));

/* a b + c with one rounding, as the FMA instructions, in vector code
 * (no libm call per lane): a b is exact in double (24 + 24 bits); the
 * sum is rounded to odd in double (the round-to-nearest sum s, and if
 * the TwoSum error e is not zero and s is even, the neighbour of s on
 * the side of e), and rounding that to float gives the correctly rounded
 * a b + c (Boldo and Melquiond, "Emulation of FMA and correctly rounded
 * sums: proved algorithms using rounding to odd", IEEE TC 2008: 53 >=
 * 2 x 24 + 2).  Finite inputs. */
static inline fn_vf4_ fn_fma_portable(fn_vf4_ a, fn_vf4_ b, fn_vf4_ c)
{
  fn_vd4_ pa = __builtin_convertvector(a, fn_vd4_);
  fn_vd4_ pb = __builtin_convertvector(b, fn_vd4_);
  fn_vd4_ pc = __builtin_convertvector(c, fn_vd4_);
  fn_vd4_ pr = pa * pb;
  fn_vd4_ s = pr + pc;
  fn_vd4_ bb = s - pr;
  fn_vd4_ e = (pr - (s - bb)) + (pc - bb);
  fn_vl4_ sb = (fn_vl4_)s;
  fn_vl4_ fix = (e != 0) & ((sb & 1) == 0);
  fn_vl4_ up = ((fn_vl4_)e ^ sb) >= 0;     /* e away from zero: -1 */
  sb += fix & ((up & 2) - 1);              /* +1 if up, else -1 */
  return __builtin_convertvector((fn_vd4_)sb, fn_vf4_);
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
