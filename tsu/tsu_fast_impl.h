/* tsu_fast_impl.h -- internals shared by the fast sampler's code paths.
 *
 * The plan is read-only during a run; the kernels update `bits` in place.
 * A kernel call updates the node pairs [q0, q1) of one colour (pair q is
 * colour-order positions start+2q and start+2q+1) for the chain groups
 * [g_lo, g_hi).
 */
#ifndef TSU_FAST_IMPL_H
#define TSU_FAST_IMPL_H

#include <stdint.h>

#include "tsu/tsu_fast.h"

/* Rounds of the spin kernel's ARS (tk_ars5_blocks, tsu_fast.h). */
#define TSU__ARS_ROUNDS 5

typedef struct tsu__plan {
  uint32_t n;           /* nodes */
  uint32_t n_colors;    /* colours */
  const uint32_t *start;/* [n_colors+1] colour ranges in colour order */
  uint32_t *node;       /* [n] node id at colour-order position p */
  uint32_t *off;        /* [n+1] neighbour table offsets, by position */
  uint32_t *nbr;        /* [off[n]] neighbour's word index, node id * n_groups */
  float *wq;            /* [off[n]] -log2(e) * 2 a_i J_ij */
  float *c0;            /* [n] -log2(e) * (a_i (h_i - sum_j J_ij) + b_i) */
  float *mem_e;         /* [n] memory factor e_i in [0,1) */
  float *mem_inv;       /* [n] 1 / (1 - e_i) */
  int has_memory;       /* any e_i > 0 */
  uint32_t n_groups;    /* chain groups of 64 */
  uint32_t g0;          /* global index of group 0 in the ARS counter
                         * (0 unless chains are split over processes) */
  uint64_t seed;        /* ARS key {seed, 0} */
  uint64_t ark[TSU__ARS_ROUNDS + 1][2]; /* ARS round keys {seed, 0} + j W,
                         * j = 0..5 ({lo, hi}, tk_rng.h) */
  int aes;              /* the CPU's AES instructions: 0 none, 1 AES-NI,
                         * 2 also VAES (SIMD kernels: same blocks) */
  /* Subset-sum tables for the AVX-512 VBMI/GFNI kernel (NULL if unused):
   * the neighbours of position p in blocks of 4; table t of p holds, for
   * each 4-bit pattern m, the sum of wq over the neighbours 4t+i with bit
   * i of m set (0 for padding), plus c0[p] in table 0. */
  uint32_t *tab_off;    /* [n+1] first table of p (tables of 16 floats); >= 1 each */
  float *tab;           /* [tab_off[n]][16] subset sums, 64-byte aligned */
  uint32_t *gx;         /* [4 tab_off[n]] neighbour word indices, padded with the node's own */
  int use_gfni;         /* kernel is tsu__kernel_avx512_gfni */
  /* Fixed-point field of the AVX2 and portable kernels (NULL if unused;
   * tsu_fast.h states the representation): the neighbours of position p
   * in quads; quad t of p has a 16-entry table of subset sums V_t[m] =
   * round(2^F_p (sum of wq over the bits of m + c0[p] in quad 0)), an
   * int32 stored as three byte planes for pshufb: L = V & 63, and the
   * low and high bytes of H = V >> 6. */
  uint32_t *qt_off;     /* [n+1] first quad of p; >= 1 quad each */
  uint8_t *qtab;        /* [qt_off[n]][48] planes L, H low, H high (16 each) */
  uint32_t *qnb;        /* [4 qt_off[n]] neighbour word index (node id *
                         * n_groups); padding points at the zero row n */
  uint8_t *qF;          /* [n] fraction bits F_p, 0..24 */
  int32_t *qclamp;      /* [n] 100 * 2^F_p: |field| clamped to 100 (log2 units) */
  float *qk;            /* [n][4] TSU__EXP2C_C[j] * 2^(-j F_p): the cubic in
                         * the integer fraction */
  float *qe16;          /* [n] e_p * 2^16 (memory term in units of the uniform) */
  float *qthr;          /* [n] (1 - e_p) * 2^16 (decision threshold) */
} tsu__plan;

typedef void (*tsu__kernel_fn)(const tsu__plan *pl, uint64_t *bits,
                               uint32_t color, uint64_t sweep, uint32_t q0,
                               uint32_t q1, uint32_t g_lo, uint32_t g_hi);

void tsu__kernel_portable(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                          uint64_t sweep, uint32_t q0, uint32_t q1,
                          uint32_t g_lo, uint32_t g_hi);
void tsu__kernel_avx2(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                      uint64_t sweep, uint32_t q0, uint32_t q1,
                      uint32_t g_lo, uint32_t g_hi);
void tsu__kernel_avx512(const tsu__plan *pl, uint64_t *bits, uint32_t color,
                        uint64_t sweep, uint32_t q0, uint32_t q1,
                        uint32_t g_lo, uint32_t g_hi);
void tsu__kernel_avx512_gfni(const tsu__plan *pl, uint64_t *bits,
                             uint32_t color, uint64_t sweep, uint32_t q0,
                             uint32_t q1, uint32_t g_lo, uint32_t g_hi);
/* 1 if the CPU has what tsu__kernel_avx512_gfni needs on top of the
 * AVX-512 path (VBMI, GFNI, BMI2). */
int tsu__avx512_gfni_supported(void);

/* Fixed-point field of quad-table kernels: largest int32 sum magnitude
 * bound (H = V >> 6 sums stay int16) and the most quads per node (L
 * sums stay int16). */
#define TSU__FIX_LIMIT 2097088.0
#define TSU__FIX_MAXQ 520u
/* New state of one chain from the fixed-point field of position p, the
 * 16-bit random field r16 and the old state (AVX2 and portable kernels;
 * the portable kernel calls it, the AVX2 kernel computes the same IEEE
 * operations 8 chains at a time). */
int tsu__fix_decide(const tsu__plan *pl, uint32_t p, int32_t acc,
                    uint32_t r16, int x_old);
/* Fixed-point field of position p for neighbour states s[k] in {0,1}
 * (neighbour-table order, k < degree): the sum of the quad tables. */
int32_t tsu__fix_field(const tsu__plan *pl, uint32_t p, const uint8_t *s);

/* V_t[m] of quad table tb (the byte planes above): the low 6 bits in
 * plane 0, the signed high part in planes 1 and 2. */
static inline int32_t tsu__fix_entry(const uint8_t *tb, uint32_t m)
{
  int16_t h = (int16_t)(uint16_t)(tb[16 + m] | (uint16_t)tb[32 + m] << 8);
  return (int32_t)h * 64 + tb[m];
}

/* The 16 ARS blocks of node pair pa (colour-order position of its
 * first node), sweep t and global chain group g, in block order (tests
 * and the kernels without AES instructions): tk_ars5_blocks(seed,
 * pa << 32 | 16 g, t, 16, AES-NI if the plan's level allows, out). */
void tsu__pair_blocks(const tsu__plan *pl, uint32_t pa, uint64_t sweep,
                      uint32_t g, uint32_t out[16][4]);
/* The stream's map of chain c (0..63) of a group to its block and word
 * (tsu_fast.h): block 8 c2 + 4 c0 + 2 c5 + c1 (c_k bit k of c), word
 * (c >> 3) & 3. */
static inline uint32_t tsu__chain_block(uint32_t c)
{
  return 8 * ((c >> 2) & 1) + 4 * (c & 1) + 2 * ((c >> 5) & 1) +
         ((c >> 1) & 1);
}
static inline uint32_t tsu__chain_word(uint32_t c)
{
  return (c >> 3) & 3;
}

/* The CPU's AES instructions for the plan's `aes`: TSU_AES_NONE,
 * TSU_AES_NI or TSU_AES_VAES (tsu_fast.h). */
int tsu__aes_level(void);

/* Tests: an AVX-512 sampler on the AVX-512 F/DQ/BW kernel even where
 * the CPU has what the GFNI kernel needs (no-op on other paths). */
void tsu__sampler_plain_avx512(tsu_sampler *s);

/* The plan of a sampler (tests). */
const tsu__plan *tsu__sampler_plan(const tsu_sampler *s);

/* Quartic minimax (relative error) of 2^z on [0, 1): relative error
 * < 2.7e-6 with these float coefficients (the fast Potts and Gaussian
 * kernels, tsu_fastnode_body_impl.h). */
#define TSU__EXP2Q_C0 1.0000026226043701f
#define TSU__EXP2Q_C1 0.6930038332939148f
#define TSU__EXP2Q_C2 0.2414427548646927f
#define TSU__EXP2Q_C3 0.052011460065841675f
#define TSU__EXP2Q_C4 0.013534167781472206f

/* Cubic minimax (relative error) of 2^z on [0, 1), the AVX-512 GFNI
 * kernel's: relative error < 7.5e-5 with these float coefficients
 * (fixed-point spin kernels; |error in P(1)| <= 7.5e-5 / 4 < 1.9e-5). */
#define TSU__EXP2C_C0 0.99992519617f
#define TSU__EXP2C_C1 0.69583356380f
#define TSU__EXP2C_C2 0.22606715560f
#define TSU__EXP2C_C3 0.07802452147f

/* Coefficients of 2^f ~ sum_k TSU__EXP2_C[k] f^k on |f| <= 1/2 (Taylor of
 * exp(f ln 2) to degree 6, relative error < 2e-7). */
#define TSU__EXP2_C0 1.0f
#define TSU__EXP2_C1 0.69314718056f
#define TSU__EXP2_C2 0.24022650696f
#define TSU__EXP2_C3 0.05550410866f
#define TSU__EXP2_C4 0.00961812911f
#define TSU__EXP2_C5 0.00133335581f
#define TSU__EXP2_C6 0.00015403530f

#endif
