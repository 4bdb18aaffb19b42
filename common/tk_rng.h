/* tk_rng.h -- counter-based random numbers (Philox4x32-10; ARS-5 for the
 * fast spin kernel).
 *
 * Every random number in tsukit is a pure function of (seed, stream,
 * counter): the 64-bit seed is the Philox key, the 128-bit counter holds
 * a 64-bit stream number (high half) and a 64-bit block index (low half).
 * A result therefore does not depend on how work is split over threads or
 * processes: give each cell, chain or sweep point its own stream.
 *
 * Two ways to use it:
 *   - tk_rng: a small sequential cursor over one stream (buffered, cheap);
 *   - tk_rng_*_at(): stateless draws at an explicit counter, for callers
 *     that index randomness by time slot or by (chain, cell, sweep).
 */
#ifndef TK_RNG_H
#define TK_RNG_H

#include <stdint.h>

/* The raw bijection: one 128-bit block from a 128-bit counter and 64-bit
 * key, Salmon et al. (SC'11) Philox4x32 with 10 rounds. */
void tk_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                      uint32_t out[4]);
/* The same bijection with 7 rounds: the random stream of the fast spin
 * kernel only (tsu/tsu_fast.h).  Salmon et al. report that Philox4x32
 * with 7 rounds passes TestU01's BigCrush (10 rounds is their default,
 * with a safety margin); every other user of tk_rng keeps 10. */
void tk_philox4x32_7(const uint32_t ctr[4], const uint32_t key[2],
                     uint32_t out[4]);

typedef struct tk_rng {
  uint32_t key[2];      /* the seed, low word first */
  uint64_t stream;      /* counter words 2..3 */
  uint64_t block;       /* counter words 0..1: next block to generate */
  uint32_t buf[4];      /* last generated block */
  unsigned used;        /* words of buf already handed out, 0..4 */
  double spare;         /* second Box-Muller normal, valid if has_spare */
  int has_spare;        /* 0 or 1 */
} tk_rng;

/* Start stream `stream` of generator `seed` at block 0. */
void tk_rng_init(tk_rng *r, uint64_t seed, uint64_t stream);
/* Jump to block `block` of the current stream (drops buffered words). */
void tk_rng_seek(tk_rng *r, uint64_t block);

uint32_t tk_rng_u32(tk_rng *r);
uint64_t tk_rng_u64(tk_rng *r);
/* Uniform on the open interval (0, 1), 53-bit resolution. */
double tk_rng_uniform(tk_rng *r);
/* Standard normal N(0, 1) (Box-Muller, both values used). */
double tk_rng_gauss(tk_rng *r);
/* Exponential with the given mean (> 0). */
double tk_rng_exponential(tk_rng *r, double mean);
/* Integer uniform on [0, n), n >= 1 (rejection, no modulo bias). */
uint32_t tk_rng_below(tk_rng *r, uint32_t n);

/* ARS-R (Salmon et al., SC'11; Random123's ars4x32_R): R AES rounds
 * on a 128-bit counter, v = ctr ^ key, then R - 1 aesenc and one
 * aesenclast with the round keys key + j W (j = 1..R, per 64-bit half,
 * W = (0x9E3779B97F4A7C15, 0xBB67AE8584CAA73B)).  128-bit values are
 * {lo, hi} 64-bit halves, word w of the result is bytes 4w..4w+3 of
 * lo then hi, little-endian (tk_ars.c).  use_hw: the AES-NI
 * instructions where the CPU has them (same result), else table-driven
 * C.  rounds must be 1..10: otherwise returns -1 and writes nothing
 * (0 on success). */
int tk_ars_block(int rounds, const uint64_t key[2], const uint64_t ctr[2],
                 int use_hw, uint32_t out[4]);
/* 1 if this CPU has AES-NI (tk_ars_block's use_hw is honoured). */
int tk_ars_hw_available(void);
/* The fast spin kernel's random stream (tsu/tsu_fast.h): ARS-5 with key
 * {seed, 0}, blocks at counters {ctr_lo + b, ctr_hi}, b = 0..n-1
 * (ctr_lo + b does not carry into ctr_hi); use_hw as in tk_ars_block. */
void tk_ars5_blocks(uint64_t seed, uint64_t ctr_lo, uint64_t ctr_hi,
                    uint32_t n, int use_hw, uint32_t (*out)[4]);

/* Stateless draws at block `ctr` of (seed, stream). */
void tk_rng_block_at(uint64_t seed, uint64_t stream, uint64_t ctr,
                     uint32_t out[4]);
/* Block `ctr` of (seed, stream) from tk_philox4x32_7 (spin kernel). */
void tk_rng_block7_at(uint64_t seed, uint64_t stream, uint64_t ctr,
                      uint32_t out[4]);
double tk_rng_uniform_at(uint64_t seed, uint64_t stream, uint64_t ctr);
/* Two independent standard normals from one block. */
void tk_rng_gauss2_at(uint64_t seed, uint64_t stream, uint64_t ctr,
                      double out[2]);

/* 32-bit word -> uniform float in (0, 1) (24-bit resolution). */
static inline float tk_u32_to_unit_float(uint32_t w)
{
  return ((float)(w >> 8) + 0.5f) * (1.0f / 16777216.0f);
}
/* 64-bit word -> uniform double in (0, 1) (53-bit resolution). */
static inline double tk_u64_to_unit_double(uint64_t w)
{
  return ((double)(w >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

#endif
