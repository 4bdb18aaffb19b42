/* tsu_ref.h -- the scalar reference Gibbs kernel (the oracle).
 *
 * One chain, double precision, one `exp` per update, chromatic block
 * Gibbs: colours in order 0..n_colors-1, every node of a colour updated
 * from the states of the others with P(s_i = +1) from tsu_cell_p1.  Its
 * uniforms come from Philox stream `chain` of `seed` in sequence.  It is
 * written to be obviously right, not fast; the fast kernel (tsu_fast.h) is
 * tested against it.
 */
#ifndef TSU_REF_H
#define TSU_REF_H

#include <stdint.h>

#include "common/tk_rng.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_graph.h"

/* Random start: s[i] = +-1 with probability 1/2 each. */
void tsu_ref_init(uint32_t n, tk_rng *rng, int8_t *s);
/* One sweep (every colour once) of chain state s[n] in {-1,+1}. */
void tsu_ref_sweep(const tsu_graph *g, const tsu_coloring *col,
                   const tsu_cells *cells, tk_rng *rng, int8_t *s);

#endif
