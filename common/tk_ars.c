/* tk_ars.c -- ARS, the AES-round counter-based generator (Salmon et
 * al., SC'11), and the fast spin kernel's blocks built on it.
 *
 * Workload: tk_ars5_blocks fills the portable spin kernel's 16 blocks
 * per node pair and chain group; the SIMD kernels compute the same
 * blocks with AES instructions inline (tsu/tsu_fast_avx2.c,
 * tsu_fast_avx512.c).  Two implementations of the round, bit-identical:
 * the AES-NI instructions where the CPU has them (runtime dispatch, no
 * -m flags), else table-driven C (FIPS-197 round: SubBytes, ShiftRows,
 * MixColumns, AddRoundKey; the S-box computed once from its definition,
 * the multiplicative inverse in GF(2^8) and the affine map).
 *
 * Byte order: a 128-bit value is two 64-bit halves (lo, hi); its bytes
 * are lo's little-endian bytes then hi's (the x86 register layout), so
 * word w of a block is bytes 4w .. 4w+3 read little-endian.
 */
#include "common/tk_rng.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TK_ARS_X86 1
#endif

/* Weyl increments of the round keys (per 64-bit half). */
#define ARS_W_LO 0x9E3779B97F4A7C15ull
#define ARS_W_HI 0xBB67AE8584CAA73Bull

static uint32_t te[4][256];   /* MixColumns(S(x)) columns, rotated by row */
static uint8_t sbox[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
  uint8_t p = 0;
  while (b) {
    if (b & 1)
      p ^= a;
    a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1B : 0));
    b >>= 1;
  }
  return p;
}

static uint8_t rotl8(uint8_t x, int s)
{
  return (uint8_t)((x << s) | (x >> (8 - s)));
}

static void tables_init(void)
{
  for (int x = 0; x < 256; x++) {
    uint8_t inv = 0;
    for (int y = 1; y < 256 && x; y++)
      if (gf_mul((uint8_t)x, (uint8_t)y) == 1) {
        inv = (uint8_t)y;
        break;
      }
    uint8_t s = (uint8_t)(inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^
                          rotl8(inv, 4) ^ 0x63);
    sbox[x] = s;
    /* column contributed by a row-0 byte: (2s, s, s, 3s) */
    uint32_t t = (uint32_t)gf_mul(s, 2) | (uint32_t)s << 8 |
                 (uint32_t)s << 16 | (uint32_t)gf_mul(s, 3) << 24;
    for (int r = 0; r < 4; r++)
      te[r][x] = r ? (t << (8 * r)) | (t >> (32 - 8 * r)) : t;
  }
}

static void split(uint64_t lo, uint64_t hi, uint32_t w[4])
{
  w[0] = (uint32_t)lo;
  w[1] = (uint32_t)(lo >> 32);
  w[2] = (uint32_t)hi;
  w[3] = (uint32_t)(hi >> 32);
}

/* One AES encryption round on the four little-endian column words w
 * (aesenc, or aesenclast without MixColumns when last).  ShiftRows:
 * row r of output column c comes from input column c + r. */
#define ROUND_COL(o, w, k, c)                                              \
  o[c] = te[0][w[c] & 0xFF] ^ te[1][(w[(c + 1) & 3] >> 8) & 0xFF] ^        \
         te[2][(w[(c + 2) & 3] >> 16) & 0xFF] ^ te[3][w[(c + 3) & 3] >> 24] ^ \
         k[c]
#define LAST_COL(o, w, k, c)                                               \
  o[c] = ((uint32_t)sbox[w[c] & 0xFF] |                                    \
          (uint32_t)sbox[(w[(c + 1) & 3] >> 8) & 0xFF] << 8 |              \
          (uint32_t)sbox[(w[(c + 2) & 3] >> 16) & 0xFF] << 16 |            \
          (uint32_t)sbox[w[(c + 3) & 3] >> 24] << 24) ^                    \
         k[c]

/* Blocks {c_lo + b, c_hi}, b < n, of ARS-R with key `key`, table-driven
 * (tables_init done). */
static void ars_c(int rounds, const uint64_t key[2], uint64_t c_lo,
                  uint64_t c_hi, uint32_t n, uint32_t (*out)[4])
{
  uint32_t rk[11][4];
  uint64_t k_lo = key[0], k_hi = key[1];
  for (int r = 0; r <= rounds; r++) {
    split(k_lo, k_hi, rk[r]);
    k_lo += ARS_W_LO;
    k_hi += ARS_W_HI;
  }
  for (uint32_t b = 0; b < n; b++) {
    uint32_t w[4], o[4];
    split(c_lo + b, c_hi, w);
    for (int c = 0; c < 4; c++)
      w[c] ^= rk[0][c];
    for (int r = 1; r < rounds; r++) {
      ROUND_COL(o, w, rk[r], 0);
      ROUND_COL(o, w, rk[r], 1);
      ROUND_COL(o, w, rk[r], 2);
      ROUND_COL(o, w, rk[r], 3);
      memcpy(w, o, sizeof o);
    }
    LAST_COL(out[b], w, rk[rounds], 0);
    LAST_COL(out[b], w, rk[rounds], 1);
    LAST_COL(out[b], w, rk[rounds], 2);
    LAST_COL(out[b], w, rk[rounds], 3);
  }
}

#ifdef TK_ARS_X86
__attribute__((target("aes,sse2"))) static void
ars_ni(int rounds, const uint64_t key[2], uint64_t c_lo, uint64_t c_hi,
       uint32_t n, uint32_t (*out)[4])
{
  const __m128i w = _mm_set_epi64x((long long)ARS_W_HI, (long long)ARS_W_LO);
  __m128i rk[11];
  rk[0] = _mm_set_epi64x((long long)key[1], (long long)key[0]);
  for (int r = 1; r <= rounds; r++)
    rk[r] = _mm_add_epi64(rk[r - 1], w);
  for (uint32_t b = 0; b < n; b++) {
    __m128i v = _mm_xor_si128(
        _mm_set_epi64x((long long)c_hi, (long long)(c_lo + b)), rk[0]);
    for (int r = 1; r < rounds; r++)
      v = _mm_aesenc_si128(v, rk[r]);
    v = _mm_aesenclast_si128(v, rk[rounds]);
    _mm_storeu_si128((__m128i *)out[b], v);
  }
}
#endif

int tk_ars_hw_available(void)
{
#ifdef TK_ARS_X86
  return __builtin_cpu_supports("aes") != 0;
#else
  return 0;
#endif
}

int tk_ars_block(int rounds, const uint64_t key[2], const uint64_t ctr[2],
                 int use_hw, uint32_t out[4])
{
  uint32_t o[1][4];
  if (rounds < 1 || rounds > 10)
    return -1;   /* the round-key arrays hold 10 rounds; nothing written */
#ifdef TK_ARS_X86
  if (use_hw && tk_ars_hw_available()) {
    ars_ni(rounds, key, ctr[0], ctr[1], 1, o);
    memcpy(out, o[0], sizeof o[0]);
    return 0;
  }
#else
  (void)use_hw;
#endif
  pthread_once(&tables_once, tables_init);
  ars_c(rounds, key, ctr[0], ctr[1], 1, o);
  memcpy(out, o[0], sizeof o[0]);
  return 0;
}

void tk_ars5_blocks(uint64_t seed, uint64_t ctr_lo, uint64_t ctr_hi,
                    uint32_t n, int use_hw, uint32_t (*out)[4])
{
  const uint64_t key[2] = {seed, 0};
#ifdef TK_ARS_X86
  if (use_hw && tk_ars_hw_available()) {
    ars_ni(5, key, ctr_lo, ctr_hi, n, out);
    return;
  }
#else
  (void)use_hw;
#endif
  pthread_once(&tables_once, tables_init);
  ars_c(5, key, ctr_lo, ctr_hi, n, out);
}
