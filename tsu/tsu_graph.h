/* tsu_graph.h -- sparse Ising graphs: TSU grids and text graph files.
 *
 * A graph holds nodes 0..n-1, an undirected edge list in a fixed order
 * (the order of a file's `e` lines, or the grid builder's order), the
 * couplings J (one per edge) and biases h (one per node), plus a CSR
 * adjacency built from them.  Ising convention (docs/ARCHITECTURE.md):
 * E(s) = - sum_i h_i s_i - sum_(ij) J_ij s_i s_j, s in {-1,+1}.
 *
 * Grids: L x L nodes, node (r, c) has index r*L + c.  The jump set Gk
 * (k = 8, 12, ..., 24) takes the first k/4 jumps of (0,1), (4,1), (10,9),
 * (11,14), (23,6), (3,28), each with its four 90-degree rotations; "G4"
 * is the plain 4-neighbour grid (jump (0,1) only).  Open boundary drops
 * links that leave the grid; torus wraps them.
 *
 * Text files: one item per line, `b i h` (bias of node i), `e i j w`
 * (coupling between i and j), `#` starts a comment; nodes number from 0
 * and n is one more than the largest index seen.  Self-loops, duplicate
 * edges (either orientation), non-finite numbers and node indices of
 * TSU_GRAPH_MAX_NODES or more (a few bytes asking for gigabytes) are
 * rejected with the line number.
 */
#ifndef TSU_GRAPH_H
#define TSU_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "common/tk_error.h"

#define TSU_MAX_JUMPS 6
/* Nodes of a graph file at most: the largest grid's (4096 x 4096). */
#define TSU_GRAPH_MAX_NODES (1u << 24)

typedef struct tsu_graph {
  uint32_t n;           /* nodes, >= 1 */
  uint32_t n_edges;     /* undirected edges */
  uint32_t *ei, *ej;    /* [n_edges] endpoints, ei != ej, no duplicates */
  double *w;            /* [n_edges] coupling J_ij (energy units of 1/beta) */
  double *h;            /* [n] bias h_i */
  /* CSR adjacency (both directions): neighbours of i are
   * adj[off[i]] .. adj[off[i+1]-1], in increasing edge order. */
  uint32_t *off;        /* [n+1] offsets into adj, off[0] = 0 */
  uint32_t *adj;        /* [2 n_edges] neighbour node */
  uint32_t *adj_edge;   /* [2 n_edges] edge index of that link */
  double *adj_w;        /* [2 n_edges] coupling of that link */
  uint32_t max_degree;  /* max over i of off[i+1]-off[i] */
  /* Grid description (L = 0 for a file graph). */
  uint32_t L;           /* side of the grid, nodes = L*L */
  int torus;            /* 1: periodic boundary */
  int n_jumps;          /* jumps used, 1..TSU_MAX_JUMPS */
  double *edge_len;     /* [n_edges] link length in grid pitches (1 for files) */
} tsu_graph;

/* The jump table shared by all grids: TSU_MAX_JUMPS (a, b) pairs. */
extern const int tsu_grid_jumps[TSU_MAX_JUMPS][2];

/* "G4", "G8", ..., "G24" -> number of jumps (1..6); -1 if not a grid
 * name. */
int tsu_grid_name_jumps(const char *name);

/* Build an L x L grid with the first n_jumps jumps; couplings and biases
 * are zero (fill them with tsu_graph_random_model or by hand). */
int tsu_graph_grid(uint32_t L, int n_jumps, int torus, tsu_graph **out,
                   tk_err *err);

/* Read a text graph file (see above). */
int tsu_graph_read(const char *path, tsu_graph **out, tk_err *err);
/* Same, from a string in memory (name used in messages). */
int tsu_graph_parse(const char *text, const char *name, tsu_graph **out,
                    tk_err *err);

/* Build from explicit arrays (copied); checks indices, self-loops,
 * duplicates and finiteness.  h may be NULL (zero biases). */
int tsu_graph_from_edges(uint32_t n, uint32_t n_edges, const uint32_t *ei,
                         const uint32_t *ej, const double *w,
                         const double *h, tsu_graph **out, tk_err *err);

/* Random couplings J ~ U(-j_scale, j_scale) and biases
 * h ~ U(-h_scale, h_scale), a pure function of seed. */
void tsu_graph_random_model(tsu_graph *g, uint64_t seed, double j_scale,
                            double h_scale);

/* Copy the couplings and biases of `model` onto g: every model edge must
 * be an edge of g (either orientation) and model nodes must exist in g;
 * edges of g absent from the model get J = 0, biases default to 0. */
int tsu_graph_apply_model(tsu_graph *g, const tsu_graph *model, tk_err *err);

/* Ising energy of one configuration s[i] in {-1,+1}. */
double tsu_graph_energy(const tsu_graph *g, const int8_t *s);

void tsu_graph_free(tsu_graph *g);

#endif
