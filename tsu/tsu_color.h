/* tsu_color.h -- proper colourings for chromatic block Gibbs.
 *
 * Nodes of one colour share no edge, so a whole colour can be updated at
 * once.  Grids whose jumps all have odd a+b (every TSU jump set) are
 * bipartite under the checkerboard colouring (r + c) mod 2, on a torus
 * only when L is even; every other graph gets DSATUR (Brelaz 1979), which
 * is exact for bipartite graphs and uses few colours on sparse ones.
 */
#ifndef TSU_COLOR_H
#define TSU_COLOR_H

#include <stdint.h>

#include "common/tk_error.h"
#include "tsu/tsu_graph.h"

typedef struct tsu_coloring {
  uint32_t n;           /* nodes (same as the graph) */
  uint32_t n_colors;    /* colours used, >= 1 */
  uint8_t *color;       /* [n] colour of each node, < n_colors */
  uint32_t *order;      /* [n] nodes sorted by colour, increasing index */
  uint32_t *start;      /* [n_colors+1] colour c is order[start[c]..start[c+1]) */
  int method;           /* TSU_COLOR_CHECKERBOARD or TSU_COLOR_DSATUR */
} tsu_coloring;

enum { TSU_COLOR_CHECKERBOARD = 1, TSU_COLOR_DSATUR = 2 };

/* Colour g (checkerboard for bipartite grids, else DSATUR); the result is
 * verified with tsu_coloring_check before it is returned. */
int tsu_coloring_build(const tsu_graph *g, tsu_coloring **out, tk_err *err);
/* TK_EINTERNAL with the offending edge if any edge joins equal colours. */
int tsu_coloring_check(const tsu_graph *g, const tsu_coloring *c, tk_err *err);
void tsu_coloring_free(tsu_coloring *c);

#endif
