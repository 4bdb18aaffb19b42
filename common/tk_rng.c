/* tk_rng.c -- Philox4x32-10 and the draws built on it.
 *
 * Workload: called from inner loops of the Langevin solver and the Gibbs
 * reference kernel (one word at a time) and from vectorised kernels that
 * inline tk_philox4x32_10 (or, the spin kernel, tk_philox4x32_7)
 * themselves.  The bijection is written plainly so
 * that compilers can unroll and vectorise it.
 */
#include "common/tk_rng.h"

#include <math.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* Philox4x32 with `rounds` rounds (the bijection of Salmon et al.,
 * SC'11); inlined into the two entry points so the loop unrolls. */
static inline __attribute__((always_inline)) void
philox4x32_r(const uint32_t ctr[4], const uint32_t key[2], int rounds,
             uint32_t out[4])
{
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < rounds; round++) {
    if (round > 0) {
      k0 += PHILOX_W0;
      k1 += PHILOX_W1;
    }
    uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
    uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n1 = (uint32_t)p1;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    uint32_t n3 = (uint32_t)p0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

void tk_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                      uint32_t out[4])
{
  philox4x32_r(ctr, key, 10, out);
}

void tk_philox4x32_7(const uint32_t ctr[4], const uint32_t key[2],
                     uint32_t out[4])
{
  philox4x32_r(ctr, key, 7, out);
}

void tk_rng_block_at(uint64_t seed, uint64_t stream, uint64_t ctr,
                     uint32_t out[4])
{
  const uint32_t c[4] = {(uint32_t)ctr, (uint32_t)(ctr >> 32),
                         (uint32_t)stream, (uint32_t)(stream >> 32)};
  const uint32_t k[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  tk_philox4x32_10(c, k, out);
}

void tk_rng_block7_at(uint64_t seed, uint64_t stream, uint64_t ctr,
                      uint32_t out[4])
{
  const uint32_t c[4] = {(uint32_t)ctr, (uint32_t)(ctr >> 32),
                         (uint32_t)stream, (uint32_t)(stream >> 32)};
  const uint32_t k[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  tk_philox4x32_7(c, k, out);
}

void tk_rng_init(tk_rng *r, uint64_t seed, uint64_t stream)
{
  r->key[0] = (uint32_t)seed;
  r->key[1] = (uint32_t)(seed >> 32);
  r->stream = stream;
  r->block = 0;
  r->used = 4;
  r->has_spare = 0;
  r->spare = 0.0;
}

void tk_rng_seek(tk_rng *r, uint64_t block)
{
  r->block = block;
  r->used = 4;
  r->has_spare = 0;
}

uint32_t tk_rng_u32(tk_rng *r)
{
  if (r->used >= 4) {
    const uint32_t c[4] = {(uint32_t)r->block, (uint32_t)(r->block >> 32),
                           (uint32_t)r->stream, (uint32_t)(r->stream >> 32)};
    tk_philox4x32_10(c, r->key, r->buf);
    r->block++;
    r->used = 0;
  }
  return r->buf[r->used++];
}

uint64_t tk_rng_u64(tk_rng *r)
{
  uint64_t lo = tk_rng_u32(r);
  uint64_t hi = tk_rng_u32(r);
  return lo | (hi << 32);
}

double tk_rng_uniform(tk_rng *r)
{
  return tk_u64_to_unit_double(tk_rng_u64(r));
}

static void box_muller(double u1, double u2, double out[2])
{
  double rad = sqrt(-2.0 * log(u1));
  double ang = 2.0 * M_PI * u2;
  out[0] = rad * cos(ang);
  out[1] = rad * sin(ang);
}

double tk_rng_gauss(tk_rng *r)
{
  if (r->has_spare) {
    r->has_spare = 0;
    return r->spare;
  }
  double u1 = tk_rng_uniform(r);
  double u2 = tk_rng_uniform(r);
  double z[2];
  box_muller(u1, u2, z);
  r->spare = z[1];
  r->has_spare = 1;
  return z[0];
}

double tk_rng_exponential(tk_rng *r, double mean)
{
  return -mean * log(tk_rng_uniform(r));
}

uint32_t tk_rng_below(tk_rng *r, uint32_t n)
{
  if (n <= 1)
    return 0;
  /* Reject the top partial copy of [0, n) in [0, 2^32). */
  uint32_t limit = (uint32_t)(-n) % n;   /* 2^32 mod n */
  for (;;) {
    uint32_t w = tk_rng_u32(r);
    uint64_t m = (uint64_t)w * n;
    if ((uint32_t)m >= limit)
      return (uint32_t)(m >> 32);
  }
}

double tk_rng_uniform_at(uint64_t seed, uint64_t stream, uint64_t ctr)
{
  uint32_t w[4];
  tk_rng_block_at(seed, stream, ctr, w);
  return tk_u64_to_unit_double((uint64_t)w[0] | ((uint64_t)w[1] << 32));
}

void tk_rng_gauss2_at(uint64_t seed, uint64_t stream, uint64_t ctr,
                      double out[2])
{
  uint32_t w[4];
  tk_rng_block_at(seed, stream, ctr, w);
  double u1 = tk_u64_to_unit_double((uint64_t)w[0] | ((uint64_t)w[1] << 32));
  double u2 = tk_u64_to_unit_double((uint64_t)w[2] | ((uint64_t)w[3] << 32));
  box_muller(u1, u2, out);
}
