/* test_tsu_graph.c -- grids, text graphs, colourings and bad input.
 *
 * Properties, not stored outputs: on a torus every node of Gk has degree
 * k and there are n k / 2 edges; on an open grid the edge count equals a
 * brute-force count of in-range jumps; every colouring is proper; TSU
 * grids get the two-colour checkerboard (all jumps have odd a + b), odd
 * tori fall back to DSATUR.  Bad input (self-loop, duplicate in either
 * orientation, NaN, jump larger than the grid, unknown line) fails with
 * a message naming the problem.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tk_test.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_graph.h"

static void grids(void)
{
  const uint32_t L = 70;
  for (int k = 1; k <= TSU_MAX_JUMPS; k++) {
    for (int torus = 0; torus <= 1; torus++) {
      tsu_graph *g = NULL;
      tsu_coloring *c = NULL;
      tk_err err = {0};
      int rc = tsu_graph_grid(L, k, torus, &g, &err);
      TKT_OK(rc == 0, "G%d %s L=%u builds", 4 * k, torus ? "torus" : "open", L);
      if (rc != 0) {
        printf("# %s\n", tk_err_text(&err));
        continue;
      }
      if (torus) {
        int regular = 1;
        for (uint32_t i = 0; i < g->n; i++)
          regular &= g->off[i + 1] - g->off[i] == (uint32_t)(4 * k);
        TKT_OK(regular && g->n_edges == g->n * 2u * (uint32_t)k,
               "G%d torus: every degree is %d, %u edges", 4 * k, 4 * k,
               g->n_edges);
      } else {
        /* brute force: ordered pairs (node, rotation) landing in range */
        uint64_t links = 0;
        for (int j = 0; j < k; j++) {
          int a = tsu_grid_jumps[j][0], b = tsu_grid_jumps[j][1];
          int rot[4][2] = {{a, b}, {-b, a}, {-a, -b}, {b, -a}};
          for (int q = 0; q < 4; q++)
            for (int r = 0; r < (int)L; r++)
              for (int cc = 0; cc < (int)L; cc++) {
                int r2 = r + rot[q][0], c2 = cc + rot[q][1];
                links += r2 >= 0 && c2 >= 0 && r2 < (int)L && c2 < (int)L;
              }
        }
        TKT_OK(2 * (uint64_t)g->n_edges == links, "G%d open: %u edges, "
               "brute force %llu links / 2", 4 * k, g->n_edges,
               (unsigned long long)links);
      }
      rc = tsu_coloring_build(g, &c, &err);
      TKT_OK(rc == 0 && c->n_colors == 2 &&
                 c->method == TSU_COLOR_CHECKERBOARD &&
                 tsu_coloring_check(g, c, &err) == 0,
             "G%d %s: proper 2-colouring", 4 * k, torus ? "torus" : "open");
      tsu_coloring_free(c);
      tsu_graph_free(g);
    }
  }
  /* odd torus: not bipartite, DSATUR must still be proper */
  tsu_graph *g = NULL;
  tsu_coloring *c = NULL;
  tk_err err = {0};
  tsu_graph_grid(25, 2, 1, &g, &err);
  int rc = tsu_coloring_build(g, &c, &err);
  TKT_OK(rc == 0 && c->method == TSU_COLOR_DSATUR && c->n_colors >= 3 &&
             tsu_coloring_check(g, c, &err) == 0,
         "G8 torus L=25 (odd): DSATUR, %u colours, proper",
         c ? c->n_colors : 0);
  /* a deliberately broken colouring is caught */
  if (c != NULL) {
    c->color[g->ej[0]] = c->color[g->ei[0]];
    TKT_OK(tsu_coloring_check(g, c, &err) != 0 &&
               strstr(err.msg, "joins") != NULL,
           "colouring check catches an edge joining equal colours");
  }
  tsu_coloring_free(c);
  tsu_graph_free(g);
}

static void expect_fail(const char *text, const char *needle,
                        const char *what)
{
  tsu_graph *g = NULL;
  tk_err err = {0};
  int rc = tsu_graph_parse(text, "test.graph", &g, &err);
  TKT_OK(rc != 0 && g == NULL && strstr(err.msg, needle) != NULL,
         "rejects %s", what);
  printf("# message: %s\n", err.msg);
  tsu_graph_free(g);
}

static void files(void)
{
  const char *good =
      "# a triangle and a pendant\n"
      "b 0 0.25\n"
      "e 0 1 1.5   # comment after data\n"
      "e 1 2 -0.75\n"
      "\n"
      "e 2 0 0.125\n"
      "e 3 2 2.385\n"
      "b 3 -1e-1\n";
  tsu_graph *g = NULL;
  tk_err err = {0};
  int rc = tsu_graph_parse(good, "good", &g, &err);
  TKT_OK(rc == 0 && g->n == 4 && g->n_edges == 4, "parses a good file "
         "(4 nodes, 4 edges)");
  if (rc == 0) {
    TKT_OK(g->ei[3] == 3 && g->ej[3] == 2 && g->w[3] == 2.385 &&
               g->h[0] == 0.25 && g->h[3] == -0.1 && g->h[1] == 0,
           "edges keep file order, biases land on their nodes");
    TKT_OK(g->off[4] == 8 && g->max_degree == 3, "CSR has both directions");
    tsu_coloring *c = NULL;
    rc = tsu_coloring_build(g, &c, &err);
    TKT_OK(rc == 0 && c->n_colors == 3, "triangle needs 3 colours (got %u)",
           c ? c->n_colors : 0);
    tsu_coloring_free(c);
  }
  tsu_graph_free(g);
  expect_fail("e 0 1 1\ne 2 2 0.5\n", "self-loop", "a self-loop");
  expect_fail("e 0 1 1\ne 1 0 0.5\n", "duplicate", "a duplicate edge "
              "(reversed)");
  expect_fail("e 0 1 1\ne 0 1 0.5\n", "duplicate", "a duplicate edge");
  expect_fail("e 0 1 nan\n", "not finite", "a NaN weight");
  expect_fail("b 0 inf\n", "not finite", "an infinite bias");
  expect_fail("e 0 1\n", "missing", "a missing weight");
  expect_fail("x 0 1 1\n", "unknown line", "an unknown line kind");
  expect_fail("e -1 1 1\n", "bad node", "a negative index");
  expect_fail("# nothing\n", "no 'b' or 'e'", "an empty graph");

  rc = tsu_graph_grid(20, 6, 0, &g, &err);
  TKT_OK(rc == TK_ERANGE && strstr(err.msg, "does not fit") != NULL,
         "rejects G24 on an open 20x20 grid (jump (3,28))");
  printf("# message: %s\n", err.msg);
  rc = tsu_graph_grid(40, 6, 1, &g, &err);
  TKT_OK(rc == TK_ERANGE && strstr(err.msg, "wraps") != NULL,
         "rejects G24 on a 40x40 torus (jump 28 wraps onto itself)");
  printf("# message: %s\n", err.msg);
  TKT_OK(tsu_grid_name_jumps("G12") == 3 && tsu_grid_name_jumps("G4") == 1 &&
             tsu_grid_name_jumps("G10") == -1 &&
             tsu_grid_name_jumps("G28") == -1 &&
             tsu_grid_name_jumps("G12x") == -1,
         "grid names G4..G24 recognised, others not");
}

int main(void)
{
  grids();
  files();
  return tkt_done();
}
