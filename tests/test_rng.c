/* test_rng.c -- Philox4x32-10 known answers and distribution tests.
 *
 * Known answers: the Random123 kat_vectors for philox4x32 with 10 rounds
 * (7 rounds and ARS below).
 * Distribution tests use seed 0x7355 and N = 2^20 draws; each states its
 * threshold: means at 4.5 sigma, chi-square at a false-alarm probability
 * of 1e-5 per test (gsl_cdf_chisq_Qinv).
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/tk_rng.h"
#include "tests/tk_test.h"

#define N_DRAWS (1u << 20)
#define SEED 0x7355u

static void kat(void)
{
  static const struct {
    uint32_t ctr[4], key[2], want[4];
  } v[] = {
    {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint32_t out[4];
    tk_philox4x32_10(v[i].ctr, v[i].key, out);
    TKT_OK(memcmp(out, v[i].want, sizeof out) == 0,
           "philox4x32-10 known-answer vector %zu", i);
    if (memcmp(out, v[i].want, sizeof out) != 0)
      printf("# got %08x %08x %08x %08x\n", out[0], out[1], out[2], out[3]);
  }
}

/* Philox4x32-7 (the spin kernel's stream): the known-answer vectors of
 * the Random123 distribution (kat_vectors), and tk_rng_block7_at's
 * counter layout is tk_rng_block_at's. */
static void kat7(void)
{
  static const struct {
    uint32_t ctr[4], key[2], want[4];
  } v[] = {
    {{0, 0, 0, 0}, {0, 0}, {0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
     {0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
     {0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a}},
  };
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    uint32_t out[4];
    tk_philox4x32_7(v[i].ctr, v[i].key, out);
    TKT_OK(memcmp(out, v[i].want, sizeof out) == 0,
           "philox4x32-7 known-answer vector %zu", i);
    if (memcmp(out, v[i].want, sizeof out) != 0)
      printf("# got %08x %08x %08x %08x\n", out[0], out[1], out[2], out[3]);
  }
  const uint64_t seed = 0x9a3b5c7d1e2f4051ULL, stream = 0x1234567887654321ULL,
                 ctr = 0x0fedcba987654321ULL;
  const uint32_t c[4] = {(uint32_t)ctr, (uint32_t)(ctr >> 32),
                         (uint32_t)stream, (uint32_t)(stream >> 32)};
  const uint32_t k[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
  uint32_t a[4], b[4], t[4];
  tk_philox4x32_7(c, k, a);
  tk_rng_block7_at(seed, stream, ctr, b);
  tk_rng_block_at(seed, stream, ctr, t);
  TKT_OK(memcmp(a, b, sizeof a) == 0 && memcmp(a, t, sizeof a) != 0,
         "tk_rng_block7_at: counter (ctr, stream), key seed, 7 rounds");
}

/* ARS (the spin kernel's stream, ARS-5): the Random123 kat_vectors for
 * ars4x32 with 10 rounds, and 5-round values computed with Random123
 * 1.14's ars4x32_R(5, ...) (Debian librandom123-dev); each on the
 * table-driven round and on AES-NI where the CPU has it; then the two
 * implementations on 2000 random inputs, and tk_ars5_blocks' layout. */
static void kat_ars(void)
{
  static const struct {
    uint32_t ctr[4], key[4], want10[4], want5[4];
  } v[] = {
    {{0, 0, 0, 0}, {0, 0, 0, 0},
     {0x8d73ee19, 0x506401ef, 0x13c2dbe4, 0x0cbe9c0d},
     {0x7ecce06f, 0x7cdc3bca, 0x15513c87, 0x29d24c9b}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0, 0x082efa98, 0xec4e6c89},
     {0xa516e7d6, 0x8357ad74, 0x5b59b3ec, 0x8763fff3},
     {0x9150862d, 0x525af535, 0x6612f4fa, 0xe2a60648}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff, 0, 0},
     {0xbb3743b1, 0x9f635551, 0xecbc87fc, 0xa19478a9},
     {0x0fcfc4c7, 0x82140584, 0xdab4b992, 0x337b8ef3}},
  };
  const int hw = tk_ars_hw_available();
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    const uint64_t c[2] = {v[i].ctr[0] | (uint64_t)v[i].ctr[1] << 32,
                           v[i].ctr[2] | (uint64_t)v[i].ctr[3] << 32};
    const uint64_t k[2] = {v[i].key[0] | (uint64_t)v[i].key[1] << 32,
                           v[i].key[2] | (uint64_t)v[i].key[3] << 32};
    for (int use_hw = 0; use_hw <= hw; use_hw++) {
      uint32_t o10[4], o5[4];
      tk_ars_block(10, k, c, use_hw, o10);
      tk_ars_block(5, k, c, use_hw, o5);
      TKT_OK(memcmp(o10, v[i].want10, sizeof o10) == 0 &&
                 memcmp(o5, v[i].want5, sizeof o5) == 0,
             "ars4x32 known answers %zu (10 and 5 rounds), %s", i,
             use_hw ? "AES-NI" : "table-driven C");
    }
  }
  tk_rng r;
  tk_rng_init(&r, SEED, 99);
  int same = 1, layout = 1;
  for (int i = 0; i < 2000; i++) {
    const uint64_t k[2] = {tk_rng_u64(&r), tk_rng_u64(&r)};
    const uint64_t c[2] = {tk_rng_u64(&r), tk_rng_u64(&r)};
    const int rounds = 1 + i % 10;
    uint32_t a[4], b[4];
    tk_ars_block(rounds, k, c, 0, a);
    tk_ars_block(rounds, k, c, 1, b);
    same &= memcmp(a, b, sizeof a) == 0;
    if (i < 50) {
      uint32_t blk[3][4];
      const uint64_t k5[2] = {k[0], 0};
      tk_ars5_blocks(k[0], c[0] & ~3ull, c[1], 3, i & 1, blk);
      for (uint64_t j = 0; j < 3; j++) {
        const uint64_t cj[2] = {(c[0] & ~3ull) + j, c[1]};
        tk_ars_block(5, k5, cj, 0, a);
        layout &= memcmp(a, blk[j], sizeof a) == 0;
      }
    }
  }
  TKT_OK(same, "ars: AES-NI and table-driven rounds agree on 2000 random "
               "keys and counters, 1-10 rounds%s",
         hw ? "" : " (no AES-NI here: both table-driven)");
  TKT_OK(layout, "tk_ars5_blocks: key {seed, 0}, counters {lo + b, hi}");
  /* a round count outside 1..10 is refused, the output left as it was */
  const uint64_t k0[2] = {1, 2}, c0[2] = {3, 4};
  uint32_t keep[4] = {7, 7, 7, 7};
  TKT_OK(tk_ars_block(0, k0, c0, 0, keep) == -1 &&
             tk_ars_block(11, k0, c0, 1, keep) == -1 && keep[0] == 7 &&
             keep[3] == 7,
         "tk_ars_block refuses 0 and 11 rounds and writes nothing");
}

static void keyed_layout(void)
{
  /* tk_rng walks blocks 0,1,2.. of (seed, stream); block_at must agree. */
  tk_rng r;
  tk_rng_init(&r, 0x0123456789abcdefULL, 42);
  int same = 1;
  for (uint64_t b = 0; b < 100; b++) {
    uint32_t w[4];
    tk_rng_block_at(0x0123456789abcdefULL, 42, b, w);
    for (int k = 0; k < 4; k++)
      same &= tk_rng_u32(&r) == w[k];
  }
  TKT_OK(same, "sequential stream equals keyed blocks 0..99");
  tk_rng a, b;
  tk_rng_init(&a, SEED, 1);
  tk_rng_init(&b, SEED, 2);
  int differ = 0;
  for (int i = 0; i < 64; i++)
    differ += tk_rng_u32(&a) != tk_rng_u32(&b);
  TKT_OK(differ >= 60, "streams 1 and 2 differ (%d of 64 words)", differ);
  tk_rng_seek(&a, 0);
  tk_rng_init(&b, SEED, 1);
  int same2 = 1;
  for (int i = 0; i < 64; i++)
    same2 &= tk_rng_u32(&a) == tk_rng_u32(&b);
  TKT_OK(same2, "seek(0) restarts the stream");
}

static double chi2_threshold(double dof)
{
  return gsl_cdf_chisq_Qinv(1e-5, dof);
}

static void uniform(void)
{
  tk_rng r;
  tk_rng_init(&r, SEED, 3);
  enum { BINS = 128 };
  double cnt[BINS] = {0};
  double sum = 0, mn = 1, mx = 0;
  for (unsigned i = 0; i < N_DRAWS; i++) {
    double u = tk_rng_uniform(&r);
    sum += u;
    mn = u < mn ? u : mn;
    mx = u > mx ? u : mx;
    cnt[(int)(u * BINS)]++;
  }
  TKT_OK(mn > 0.0 && mx < 1.0, "uniform stays in the open interval (0,1)");
  /* mean of N uniforms: sigma = sqrt(1/12/N) */
  TKT_SIGMA(sum / N_DRAWS, 0.5, sqrt(1.0 / 12 / N_DRAWS), 4.5, "uniform mean");
  double chi2 = 0, e = (double)N_DRAWS / BINS;
  for (int k = 0; k < BINS; k++)
    chi2 += (cnt[k] - e) * (cnt[k] - e) / e;
  TKT_IN(chi2, 0, chi2_threshold(BINS - 1), "uniform chi-square, 127 dof, p_fa = 1e-5");
}

static void gauss(void)
{
  tk_rng r;
  tk_rng_init(&r, SEED, 4);
  enum { BINS = 64 };
  double cnt[BINS] = {0};
  double s1 = 0, s2 = 0, s4 = 0;
  for (unsigned i = 0; i < N_DRAWS; i++) {
    double z = tk_rng_gauss(&r);
    s1 += z;
    s2 += z * z;
    s4 += z * z * z * z;
    /* bins equiprobable under N(0,1): P(z) uniform */
    double p = gsl_cdf_ugaussian_P(z);
    int k = (int)(p * BINS);
    cnt[k < BINS ? k : BINS - 1]++;
  }
  double n = N_DRAWS;
  TKT_SIGMA(s1 / n, 0.0, 1.0 / sqrt(n), 4.5, "gauss mean");
  /* var of z^2 is 2 */
  TKT_SIGMA(s2 / n, 1.0, sqrt(2.0 / n), 4.5, "gauss variance");
  /* var of z^4 is 105 - 9 = 96 */
  TKT_SIGMA(s4 / n, 3.0, sqrt(96.0 / n), 4.5, "gauss fourth moment");
  double chi2 = 0, e = n / BINS;
  for (int k = 0; k < BINS; k++)
    chi2 += (cnt[k] - e) * (cnt[k] - e) / e;
  TKT_IN(chi2, 0, chi2_threshold(BINS - 1), "gauss chi-square on CDF bins, 63 dof, p_fa = 1e-5");

  /* the keyed form */
  double k1 = 0, k2 = 0;
  for (unsigned i = 0; i < N_DRAWS / 2; i++) {
    double z[2];
    tk_rng_gauss2_at(SEED, 5, i, z);
    k1 += z[0] + z[1];
    k2 += z[0] * z[0] + z[1] * z[1];
  }
  TKT_SIGMA(k1 / n, 0.0, 1.0 / sqrt(n), 4.5, "keyed gauss mean");
  TKT_SIGMA(k2 / n, 1.0, sqrt(2.0 / n), 4.5, "keyed gauss variance");
}

static void exponential(void)
{
  tk_rng r;
  tk_rng_init(&r, SEED, 6);
  const double mean = 2.385;
  double s1 = 0, s2 = 0;
  for (unsigned i = 0; i < N_DRAWS; i++) {
    double x = tk_rng_exponential(&r, mean);
    s1 += x;
    s2 += x * x;
  }
  double n = N_DRAWS;
  /* Exp(mean m): var = m^2; E[x^2] = 2 m^2 with var(x^2) = 20 m^4 */
  TKT_SIGMA(s1 / n, mean, mean / sqrt(n), 4.5, "exponential mean");
  TKT_SIGMA(s2 / n, 2 * mean * mean, sqrt(20.0 / n) * mean * mean, 4.5,
            "exponential second moment");
}

static void below(void)
{
  tk_rng r;
  tk_rng_init(&r, SEED, 7);
  enum { K = 7 };
  double cnt[K] = {0};
  int bad = 0;
  for (unsigned i = 0; i < N_DRAWS; i++) {
    uint32_t v = tk_rng_below(&r, K);
    if (v >= K)
      bad++;
    else
      cnt[v]++;
  }
  TKT_OK(bad == 0, "below(7) stays in [0,7)");
  double chi2 = 0, e = (double)N_DRAWS / K;
  for (int k = 0; k < K; k++)
    chi2 += (cnt[k] - e) * (cnt[k] - e) / e;
  TKT_IN(chi2, 0, chi2_threshold(K - 1), "below(7) chi-square, 6 dof, p_fa = 1e-5");
}

/* A quantity computed with one stream per item must not depend on the
 * number of threads. */
static void fill(double *out, int n, int threads)
{
#ifdef _OPENMP
  omp_set_num_threads(threads);
#pragma omp parallel for schedule(dynamic, 7)
#else
  (void)threads;
#endif
  for (int i = 0; i < n; i++) {
    tk_rng r;
    tk_rng_init(&r, SEED, (uint64_t)i);
    double acc = 0;
    for (int k = 0; k < 100; k++)
      acc += tk_rng_gauss(&r) * tk_rng_uniform(&r);
    out[i] = acc;
  }
}

static void threads(void)
{
  enum { N = 4096 };
  double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
  fill(a, N, 1);
  fill(b, N, 2);
  TKT_OK(memcmp(a, b, N * sizeof *a) == 0,
         "per-item streams: bit-identical with 1 and 2 threads");
  free(a);
  free(b);
}

int main(void)
{
  kat();
  kat7();
  kat_ars();
  keyed_layout();
  uniform();
  gauss();
  exponential();
  below();
  threads();
  return tkt_done();
}
