/* tsu_fastnode_avx512.c -- the AVX-512 path of the Potts and Gaussian
 * kernels: the body (tsu_fastnode_body_impl.h) compiled for AVX-512
 * F/BW/DQ/VL through a target attribute (one 16-lane vector per zmm;
 * comparisons into mask registers), called only after
 * __builtin_cpu_supports said yes (tsu_fastnode.c); no -march flags. */
#include "tsu/tsu_fastpotts.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define FN_T __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma")))
#define FN_VL 16
#define FN_LOAD_U8(p)                                                     \
  ((fn_vu)_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(p))))
#define FN_STORE_U8(p, v)                                                 \
  _mm_storeu_si128((__m128i *)(p), _mm512_cvtepi32_epi8((__m512i)(v)))

FN_T static inline __attribute__((always_inline))
void fn_mulhilo16(__m512i a, uint32_t m, __m512i *hi, __m512i *lo)
{
  const __m512i vm = _mm512_set1_epi32((int)m);
  __m512i ev = _mm512_mul_epu32(a, vm);
  __m512i od = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), vm);
  *hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(ev, 32), od);
  *lo = _mm512_mask_blend_epi32(0xAAAA, ev, _mm512_slli_epi64(od, 32));
}

#define FN_MULHILO(a, m, hi, lo)                                          \
  do {                                                                    \
    __m512i h_, l_;                                                       \
    fn_mulhilo16((__m512i)(a), (m), &h_, &l_);                            \
    (hi) = (fn_vu)h_;                                                     \
    (lo) = (fn_vu)l_;                                                     \
  } while (0)
#define FN_SQRT(v) ((v) = (fn_vf)_mm512_sqrt_ps((__m512)(v)))
/* Neighbour states stay bytes: one byte compare into a mask per state. */
#define FN_SV __m128i
#define FN_SLOAD(p) _mm_loadu_si128((const __m128i *)(p))
#define FN_SBCAST(x) _mm_set1_epi8((char)(x))
#define FN_MASKADD(acc, sj, k, wj)                                        \
  ((fn_vf)_mm512_mask_add_ps(                                             \
      (__m512)(acc), _mm_cmpeq_epi8_mask((sj), _mm_set1_epi8((char)(k))), \
      (__m512)(acc), (__m512)(wj)))
#define FN_MASKMUL(acc, sj, k, d)                                         \
  ((fn_vf)_mm512_mask_mul_ps(                                             \
      (__m512)(acc), _mm_cmpeq_epi8_mask((sj), _mm_set1_epi8((char)(k))), \
      (__m512)(acc), (__m512)((d) ^ 0x3F800000u)))
#define FN_FMA(a, b, c)                                                   \
  ((fn_vf)_mm512_fmadd_ps((__m512)(a), (__m512)(b), (__m512)(c)))
#define FN_FLOOR(v)                                                       \
  ((fn_vf)_mm512_roundscale_ps((__m512)(v),                               \
                               _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC))
#define FN_SCALE2(p, n) ((fn_vf)_mm512_scalef_ps((__m512)(p), (__m512)(n)))
#define FN_HAVE_MAXF
#define FN_MAXF(a, b) ((fn_vf)_mm512_max_ps((__m512)(a), (__m512)(b)))
#define FN_PATH_NAME "avx512"
#define FN_PATH_VAR tsu__fn_avx512

#include <string.h>
#include "tsu/tsu_fastnode_body_impl.h"

#else
const tsu__fn_path tsu__fn_avx512 = {0};
#endif
