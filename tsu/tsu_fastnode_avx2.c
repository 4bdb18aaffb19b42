/* tsu_fastnode_avx2.c -- the AVX2 path of the Potts and Gaussian kernels:
 * the body (tsu_fastnode_body_impl.h) compiled for AVX2 through a target
 * attribute (8 lanes per vector, two per lane group; the Philox products
 * by vpmuludq), called only after __builtin_cpu_supports("avx2") and ("fma") said yes
 * (tsu_fastnode.c); no -march flags. */
#include "tsu/tsu_fastpotts.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#include <string.h>

#define FN_T __attribute__((target("avx2,fma")))
#define FN_VL 8
#define FN_LOAD_U8(p)                                                     \
  ((fn_vu)_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(p))))
#define FN_STORE_U8(p, v)                                                 \
  do {                                                                    \
    __m256i v_ = (__m256i)(v);                                            \
    __m128i w_ = _mm_packus_epi32(_mm256_castsi256_si128(v_),             \
                                  _mm256_extracti128_si256(v_, 1));       \
    _mm_storel_epi64((__m128i *)(p), _mm_packus_epi16(w_, w_));           \
  } while (0)

/* hi, lo of a * m for 8 lanes */
__attribute__((target("avx2,fma"))) static inline __attribute__((always_inline))
void fn_mulhilo8(__m256i a, uint32_t m, __m256i *hi, __m256i *lo)
{
  const __m256i vm = _mm256_set1_epi32((int)m);
  __m256i ev = _mm256_mul_epu32(a, vm);
  __m256i od = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), vm);
  *hi = _mm256_blend_epi32(_mm256_srli_epi64(ev, 32), od, 0xAA);
  *lo = _mm256_mullo_epi32(a, vm);   /* one vpmulld: fewer uops than
                                        shift and blend of od */
}

#define FN_MULHILO(a, m, hi, lo)                                          \
  do {                                                                    \
    __m256i h_, l_;                                                       \
    fn_mulhilo8((__m256i)(a), (m), &h_, &l_);                             \
    (hi) = (fn_vu)h_;                                                     \
    (lo) = (fn_vu)l_;                                                     \
  } while (0)

#define FN_MASKMUL(acc, sj, k, d)                                         \
  ((acc) * (fn_vf)_mm256_blendv_ps(_mm256_set1_ps(1.0f),                  \
                                   (__m256)((d) ^ 0x3F800000u),           \
                                   (__m256)((sj) == (k))))
#define FN_SQRT(v) ((v) = (fn_vf)_mm256_sqrt_ps((__m256)(v)))
#define FN_FMA(a, b, c)                                                   \
  ((fn_vf)_mm256_fmadd_ps((__m256)(a), (__m256)(b), (__m256)(c)))
#define FN_FLOOR(v) ((fn_vf)_mm256_floor_ps((__m256)(v)))
#define FN_HAVE_MAXF
#define FN_MAXF(a, b) ((fn_vf)_mm256_max_ps((__m256)(a), (__m256)(b)))
#define FN_PERMILPS   /* Potts K <= 4: factors by vpermilps */
#define FN_PATH_NAME "avx2"
#define FN_PATH_VAR tsu__fn_avx2

#include <string.h>
#include "tsu/tsu_fastnode_body_impl.h"

#else
const tsu__fn_path tsu__fn_avx2 = {0};
#endif
