/* tsu_color.c -- checkerboard and DSATUR colourings.
 *
 * Workload: once per run on graphs of up to ~1e5 nodes with degree <= ~30;
 * DSATUR picks the next node by a linear scan (O(n^2) worst case), which
 * is milliseconds at these sizes and keeps the code short.
 */
#include "tsu/tsu_color.h"

#include <stdlib.h>
#include <string.h>

#define MAX_COLORS 255

void tsu_coloring_free(tsu_coloring *c)
{
  if (c == NULL)
    return;
  free(c->color);
  free(c->order);
  free(c->start);
  free(c);
}

int tsu_coloring_check(const tsu_graph *g, const tsu_coloring *c, tk_err *err)
{
  for (uint32_t e = 0; e < g->n_edges; e++)
    if (c->color[g->ei[e]] == c->color[g->ej[e]])
      return TK_FAIL(err, TK_EINTERNAL,
                     "colouring: edge %u joins nodes %u and %u of colour %u",
                     e, g->ei[e], g->ej[e], c->color[g->ei[e]]);
  for (uint32_t i = 0; i < g->n; i++)
    if (c->color[i] >= c->n_colors)
      return TK_FAIL(err, TK_EINTERNAL, "colouring: node %u has colour %u "
                     "of %u", i, c->color[i], c->n_colors);
  return TK_OK;
}

static int grid_is_bipartite(const tsu_graph *g)
{
  if (g->L == 0)
    return 0;
  for (int k = 0; k < g->n_jumps; k++)
    if ((tsu_grid_jumps[k][0] + tsu_grid_jumps[k][1]) % 2 == 0)
      return 0;
  return !g->torus || g->L % 2 == 0;
}

static int dsatur(const tsu_graph *g, uint8_t *color, uint32_t *n_colors,
                  tk_err *err)
{
  uint32_t n = g->n;
  /* sat[i*W + w]: bit set of neighbour colours of i (MAX_COLORS+1 bits) */
  enum { W = (MAX_COLORS + 64) / 64 };
  uint64_t *sat = calloc((size_t)n * W, sizeof *sat);
  uint32_t *nsat = calloc(n, sizeof *nsat);
  uint8_t *done = calloc(n, 1);
  if (sat == NULL || nsat == NULL || done == NULL) {
    free(sat); free(nsat); free(done);
    return TK_FAIL(err, TK_ENOMEM, "DSATUR tables for %u nodes", n);
  }
  uint32_t used = 0;
  for (uint32_t step = 0; step < n; step++) {
    uint32_t best = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++) {
      if (done[i])
        continue;
      if (best == UINT32_MAX || nsat[i] > nsat[best] ||
          (nsat[i] == nsat[best] &&
           g->off[i + 1] - g->off[i] > g->off[best + 1] - g->off[best]))
        best = i;
    }
    uint32_t c = 0;
    while (c < MAX_COLORS && (sat[(size_t)best * W + c / 64] >> (c % 64)) & 1)
      c++;
    if (c >= MAX_COLORS) {
      free(sat); free(nsat); free(done);
      return TK_FAIL(err, TK_EUNSUPPORTED, "graph needs more than %d colours",
                     MAX_COLORS);
    }
    color[best] = (uint8_t)c;
    done[best] = 1;
    if (c + 1 > used)
      used = c + 1;
    for (uint32_t k = g->off[best]; k < g->off[best + 1]; k++) {
      uint32_t j = g->adj[k];
      uint64_t *s = &sat[(size_t)j * W + c / 64];
      if (!((*s >> (c % 64)) & 1)) {
        *s |= 1ull << (c % 64);
        nsat[j]++;
      }
    }
  }
  free(sat); free(nsat); free(done);
  *n_colors = used;
  return TK_OK;
}

int tsu_coloring_build(const tsu_graph *g, tsu_coloring **out, tk_err *err)
{
  *out = NULL;
  tsu_coloring *c = calloc(1, sizeof *c);
  if (c == NULL)
    return TK_FAIL(err, TK_ENOMEM, "colouring");
  c->n = g->n;
  c->color = calloc(g->n, 1);
  c->order = malloc((size_t)g->n * sizeof *c->order);
  if (c->color == NULL || c->order == NULL) {
    tsu_coloring_free(c);
    return TK_FAIL(err, TK_ENOMEM, "colouring of %u nodes", g->n);
  }
  int rc = TK_OK;
  if (grid_is_bipartite(g)) {
    for (uint32_t i = 0; i < g->n; i++)
      c->color[i] = (uint8_t)((i / g->L + i % g->L) % 2);
    c->n_colors = 2;
    c->method = TSU_COLOR_CHECKERBOARD;
  } else {
    rc = dsatur(g, c->color, &c->n_colors, err);
    c->method = TSU_COLOR_DSATUR;
  }
  if (rc == 0) {
    c->start = calloc((size_t)c->n_colors + 1, sizeof *c->start);
    if (c->start == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "colouring");
  }
  if (rc == 0) {
    for (uint32_t i = 0; i < g->n; i++)
      c->start[c->color[i] + 1]++;
    for (uint32_t k = 0; k < c->n_colors; k++)
      c->start[k + 1] += c->start[k];
    uint32_t *fill = malloc(((size_t)c->n_colors + 1) * sizeof *fill);
    if (fill == NULL) {
      rc = TK_FAIL(err, TK_ENOMEM, "colouring");
    } else {
      memcpy(fill, c->start, ((size_t)c->n_colors + 1) * sizeof *fill);
      for (uint32_t i = 0; i < g->n; i++)
        c->order[fill[c->color[i]]++] = i;
      free(fill);
    }
  }
  if (rc == 0)
    rc = tsu_coloring_check(g, c, err);
  if (rc != 0) {
    tsu_coloring_free(c);
    return rc;
  }
  *out = c;
  return TK_OK;
}
