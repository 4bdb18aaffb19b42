/* fuzz_graph.c -- the text graph-file reader (tsu/tsu_graph.h,
 * tsu_graph_parse; tsu_graph_read is the same after reading the file).
 *
 * Contract: a graph whose edges and CSR adjacency are consistent (indices
 * below n, no self-loops, each edge listed from both ends, finite
 * couplings); or a one-line error.
 *
 * Under libFuzzer only, an input that names a node index in
 * [FUZZ_GRAPH_BIG, TSU_GRAPH_MAX_NODES) is skipped: a few bytes asking for
 * up to 2^24 nodes take ~0.1 s each (hundreds of MB allocated and walked)
 * and would take the budget; that path is plain linear code, replayed by
 * make check from fuzz/corpus/graph/regress-index-max. */
#include "fuzz/fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tsu/tsu_graph.h"

static void check_graph(const tsu_graph *g)
{
  if (g->n < 1)
    fuzz_fail("tsu_graph_parse", "graph without nodes");
  for (uint32_t e = 0; e < g->n_edges; e++) {
    if (g->ei[e] >= g->n || g->ej[e] >= g->n || g->ei[e] == g->ej[e])
      fuzz_fail("tsu_graph_parse", "edge endpoint out of range or a loop");
    if (!isfinite(g->w[e]))
      fuzz_fail("tsu_graph_parse", "non-finite coupling");
  }
  for (uint32_t i = 0; i < g->n; i++)
    if (!isfinite(g->h[i]))
      fuzz_fail("tsu_graph_parse", "non-finite bias");
  if (g->off[0] != 0 || g->off[g->n] != 2 * g->n_edges)
    fuzz_fail("tsu_graph_parse", "CSR offsets do not cover the edges");
  for (uint32_t i = 0; i < g->n; i++) {
    if (g->off[i + 1] < g->off[i] || g->off[i + 1] - g->off[i] > g->max_degree)
      fuzz_fail("tsu_graph_parse", "CSR degree");
    for (uint32_t k = g->off[i]; k < g->off[i + 1]; k++) {
      uint32_t e = g->adj_edge[k];
      if (e >= g->n_edges || g->adj[k] >= g->n)
        fuzz_fail("tsu_graph_parse", "CSR link out of range");
      uint32_t other = g->ei[e] == i ? g->ej[e] : g->ei[e];
      if ((g->ei[e] != i && g->ej[e] != i) || g->adj[k] != other ||
          g->adj_w[k] != g->w[e])
        fuzz_fail("tsu_graph_parse", "CSR link disagrees with the edge list");
    }
  }
}

#define FUZZ_GRAPH_BIG 65536u

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* 1 if a `b` or `e` line of text names an index the parser accepts that
 * is FUZZ_GRAPH_BIG or more (tokens as tsu_graph.c splits them). */
static int names_big_node(const char *text)
{
  char *copy = strdup(text);
  if (copy == NULL)
    return 1;
  int big = 0;
  char *save_line = NULL;
  for (char *ln = strtok_r(copy, "\n", &save_line); ln != NULL && !big;
       ln = strtok_r(NULL, "\n", &save_line)) {
    char *hash = strchr(ln, '#');
    if (hash != NULL)
      *hash = '\0';
    char *save = NULL;
    char *kind = strtok_r(ln, " \t\r", &save);
    int nidx = kind == NULL ? 0 : strcmp(kind, "e") == 0 ? 2
                                  : strcmp(kind, "b") == 0 ? 1 : 0;
    for (int k = 0; k < nidx; k++) {
      char *t = strtok_r(NULL, " \t\r", &save), *end = NULL;
      if (t == NULL || t[0] == '-')
        break;
      unsigned long v = strtoul(t, &end, 10);
      if (*end == '\0' && v >= FUZZ_GRAPH_BIG && v < TSU_GRAPH_MAX_NODES)
        big = 1;
    }
  }
  free(copy);
  return big;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s = fuzz_string(data, size);
  if (s == NULL)
    return 0;
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (names_big_node(s)) {
    free(s);
    return 0;
  }
#endif
  tk_err err = {0};
  tsu_graph *g = NULL;
  int rc = tsu_graph_parse(s, "fuzz.graph", &g, &err);
  fuzz_check_error(rc, &err, "tsu_graph_parse");
  if (rc == 0)
    check_graph(g);
  else if (g != NULL)
    fuzz_fail("tsu_graph_parse", "failure left a graph");
  tsu_graph_free(g);
  free(s);
  return 0;
}
