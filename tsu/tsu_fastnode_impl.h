/* tsu_fastnode_impl.h -- internals shared by the fast categorical (Potts)
 * and continuous (Gaussian) kernels and their code paths
 * (tsu_fastpotts.h and tsu_fastgauss.h state the model, the random
 * numbers and the precision).
 *
 * Layout: chains in lane groups of TSU__FN_W = 16; the state of chain
 * 16 g + l at node id i is element l of row (g n + i): uint8 for Potts,
 * float for Gaussian nodes.  A kernel call updates every node of one
 * colour for one lane group.  The plan is read-only during a run.
 *
 * The body (tsu_fastnode_body_impl.h) is written once in GNU C vector
 * types of 16 lanes and compiled three times: portable (whatever the
 * baseline ISA gives, SSE2 on x86-64), AVX2 and AVX-512 (function target
 * attributes, called only after __builtin_cpu_supports said yes).  The
 * files are compiled with -ffp-contract=off and every float operation is
 * a single IEEE operation in a fixed order, the integer parts are exact,
 * so the three paths give bit-identical results.
 */
#ifndef TSU_FASTNODE_IMPL_H
#define TSU_FASTNODE_IMPL_H

#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_graph.h"

#define TSU__FN_W 16u

/* Random-stream tags (top 4 bits of the Philox stream word), so a Potts
 * or Gaussian run never reuses the numbers of the spin kernel (tag 0)
 * for the same seed; bit 59 marks the random start. */
#define TSU__FN_TAG_POTTS 1ull
#define TSU__FN_TAG_GAUSS 2ull
#define TSU__FN_STREAM(tag, sweep) (((tag) << 60) | (sweep))
#define TSU__FN_START(tag) (((tag) << 60) | (1ull << 59))

/* Potts plan (positions p in colour order). */
typedef struct tsu__fpplan {
  uint32_t n;           /* nodes */
  uint32_t K;           /* states, 2..TSU_FASTPOTTS_MAX_K */
  uint32_t n_colors;    /* colours */
  uint32_t *start;      /* [n_colors+1] colour ranges in colour order */
  uint32_t *node;       /* [n] node id at position p */
  uint32_t *off;        /* [n+1] neighbour table offsets, by position */
  uint32_t *nbr;        /* [off[n]] neighbour node id */
  float *wq;            /* [off[n]] beta log2(e) J_ij (log2 units) */
  float *hq;            /* [n][K] beta log2(e) h_i(k), by position */
  float *tot;           /* [n] sum of wq of p in table order, by position */
  int lin;              /* 1: the linear mode (ew, eh; every node's
                           max_k |hq| + 2 sum |wq| <= TSU__FP_LIN_MAX),
                           0: the log mode (wq, hq, tot) */
  float *ew;            /* [off[n]] 2^wq, rounded once from double */
  float *eh;            /* [n][K] 2^hq(k) for k < K-1; at K-1:
                           2^(hq(K-1) + sum_j wq_j), by position */
  uint32_t rk[10][2];   /* Philox round keys {k0 + r W0, k1 + r W1} */
  uint64_t tag;         /* stream tag */
} tsu__fpplan;

/* Largest log2 bound of a node's weights for the linear mode: its
 * products stay within 2^(+-100), far from overflow and subnormals. */
#define TSU__FP_LIN_MAX 100.0

/* Gaussian plan (positions p in colour order). */
typedef struct tsu__fgplan {
  uint32_t n;           /* nodes */
  uint32_t n_colors;    /* colours */
  uint32_t *start;      /* [n_colors+1] colour ranges in colour order */
  uint32_t *node;       /* [n] node id at position p */
  uint32_t *off;        /* [n+1] neighbour table offsets, by position */
  uint32_t *nbr;        /* [off[n]] neighbour node id */
  uint16_t *nb16;       /* [off[n]] nbr in 16 bits if n <= 65536, else
                           NULL (a smaller table keeps a lane group's
                           rows and the plan in L2 on 70 x 70 G12) */
  float *wq;            /* [off[n]] J_ij */
  float *hq;            /* [n] h_i, by position */
  float *inv_a;         /* [n] 1 / a_i, by position */
  float *sd;            /* [n] 1 / sqrt(beta a_i), by position */
  uint32_t rk[10][2];   /* Philox round keys */
  uint64_t tag;         /* stream tag */
} tsu__fgplan;

/* |x| beyond this (or NaN) counts as divergence in the float kernel. */
#define TSU__FG_XMAX 1e30f

/* Potts: update colour `color` for lane group g (rows st[n][16] of that
 * group, i.e. st already offset to row g n), sweep `sweep`, chains
 * 16 (g0 + g) + l; adds the updates that changed a state to chg[16]. */
typedef void (*tsu__fp_kernel_fn)(const tsu__fpplan *pl, uint8_t *st,
                                  uint32_t g, uint32_t color, uint64_t sweep,
                                  uint32_t *chg);
/* Gaussian: the same for float rows; returns 1 if a lane diverged. */
typedef int (*tsu__fg_kernel_fn)(const tsu__fgplan *pl, float *x, uint32_t g,
                                 uint32_t color, uint64_t sweep);
/* Probes (tests): Potts draw of position p for 16 lanes from the
 * neighbour states s_nb[k] (table order, same in every lane) and the
 * 16-bit uniforms r16[16]; Gaussian conditional mean of p for the
 * neighbour values x_nb[k], and the 6 x 16 normals of the kernel's
 * Box-Muller from Philox blocks w[q][16], q = 0..3 (out[j][16]: normal j
 * of fn_normal6, pairs (cos, sin) of three radius/angle words). */
typedef void (*tsu__fp_probe_fn)(const tsu__fpplan *pl, uint32_t p,
                                 const uint8_t *s_nb, const uint16_t *r16,
                                 uint8_t *out);
typedef float (*tsu__fg_mean_fn)(const tsu__fgplan *pl, uint32_t p,
                                 const float *x_nb);
typedef void (*tsu__fg_normal_fn)(const uint32_t *w, float *out);

typedef struct tsu__fn_path {
  tsu__fp_kernel_fn potts;
  tsu__fg_kernel_fn gauss;
  tsu__fp_probe_fn potts_probe;
  tsu__fg_mean_fn gauss_mean;
  tsu__fg_normal_fn gauss_normal;
  const char *name;     /* "portable", "avx2", "avx512" */
} tsu__fn_path;

/* The code paths (NULL members where not compiled). */
extern const tsu__fn_path tsu__fn_portable;
extern const tsu__fn_path tsu__fn_avx2;
extern const tsu__fn_path tsu__fn_avx512;
/* The functions of TSU_PATH_* `path` (TSU_PATH_AUTO: the best this CPU
 * runs), or NULL if this CPU cannot run it. */
const tsu__fn_path *tsu__fn_path_get(int path);

/* Philox round keys of a seed. */
void tsu__fn_round_keys(uint64_t seed, uint32_t rk[10][2]);

/* The checks both samplers make before allocating: at least one chain,
 * a colouring of graph g, a path this CPU runs (*fp), and the size;
 * *n_groups = chain groups of TSU__FN_W. */
int tsu__fn_prepare(const tsu_graph *g, const tsu_coloring *col,
                    uint32_t n_chains, int path, const tsu__fn_path **fp,
                    uint32_t *n_groups, tk_err *err);
/* The graph in colour order: start[n_colors+1] from the colouring,
 * node[q] = the node at position q, its neighbours nbr[off[q]..off[q+1])
 * (arrays sized as in the plans). */
void tsu__fn_order(const tsu_graph *g, const tsu_coloring *col,
                   uint32_t *start, uint32_t *node, uint32_t *off,
                   uint32_t *nbr);

/* The plans of the samplers (tests). */
struct tsu_fastpotts;
struct tsu_fastgauss;
const tsu__fpplan *tsu__fastpotts_plan(const struct tsu_fastpotts *s);
const tsu__fgplan *tsu__fastgauss_plan(const struct tsu_fastgauss *s);

#endif
