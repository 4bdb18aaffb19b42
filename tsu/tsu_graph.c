/* tsu_graph.c -- grid builder, text graph reader, validation and CSR.
 *
 * Workload: graphs of up to ~1e6 nodes built once per run; nothing here is
 * on the sampling path, so the code favours plain checks over speed
 * (duplicates are found by sorting the edge list, O(E log E)).
 */
#include "tsu/tsu_graph.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"

const int tsu_grid_jumps[TSU_MAX_JUMPS][2] = {
  {0, 1}, {4, 1}, {10, 9}, {11, 14}, {23, 6}, {3, 28},
};

int tsu_grid_name_jumps(const char *name)
{
  if (name == NULL || (name[0] != 'G' && name[0] != 'g'))
    return -1;
  char *end = NULL;
  errno = 0;
  long k = strtol(name + 1, &end, 10);
  if (errno != 0 || end == name + 1 || *end != '\0')
    return -1;
  if (k < 4 || k > 4 * TSU_MAX_JUMPS || k % 4 != 0)
    return -1;
  return (int)(k / 4);
}

void tsu_graph_free(tsu_graph *g)
{
  if (g == NULL)
    return;
  free(g->ei);
  free(g->ej);
  free(g->w);
  free(g->h);
  free(g->off);
  free(g->adj);
  free(g->adj_edge);
  free(g->adj_w);
  free(g->edge_len);
  free(g);
}

typedef struct edge_key {
  uint32_t lo, hi;      /* endpoints, lo < hi */
  uint32_t idx;         /* position in the edge list */
} edge_key;

static int edge_key_cmp(const void *a, const void *b)
{
  const edge_key *x = a, *y = b;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  if (x->hi != y->hi)
    return x->hi < y->hi ? -1 : 1;
  return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

/* Check the edge list and build the CSR adjacency. */
static int finish(tsu_graph *g, tk_err *err)
{
  uint32_t m = g->n_edges;
  for (uint32_t e = 0; e < m; e++) {
    if (g->ei[e] >= g->n || g->ej[e] >= g->n)
      return TK_FAIL(err, TK_EINVAL, "edge %u: node index out of range 0..%u",
                     e, g->n - 1);
    if (g->ei[e] == g->ej[e])
      return TK_FAIL(err, TK_EINVAL, "edge %u: self-loop on node %u", e,
                     g->ei[e]);
    if (!isfinite(g->w[e]))
      return TK_FAIL(err, TK_EINVAL, "edge %u (%u-%u): weight is not finite",
                     e, g->ei[e], g->ej[e]);
  }
  for (uint32_t i = 0; i < g->n; i++)
    if (!isfinite(g->h[i]))
      return TK_FAIL(err, TK_EINVAL, "node %u: bias is not finite", i);
  if (m > 0) {
    edge_key *k = malloc((size_t)m * sizeof *k);
    if (k == NULL)
      return TK_FAIL(err, TK_ENOMEM, "edge list of %u edges", m);
    for (uint32_t e = 0; e < m; e++) {
      uint32_t a = g->ei[e], b = g->ej[e];
      k[e].lo = a < b ? a : b;
      k[e].hi = a < b ? b : a;
      k[e].idx = e;
    }
    qsort(k, m, sizeof *k, edge_key_cmp);
    for (uint32_t e = 1; e < m; e++) {
      if (k[e].lo == k[e - 1].lo && k[e].hi == k[e - 1].hi) {
        int rc = TK_FAIL(err, TK_EINVAL,
                         "duplicate edge %u-%u (edges %u and %u)", k[e].lo,
                         k[e].hi, k[e - 1].idx, k[e].idx);
        free(k);
        return rc;
      }
    }
    free(k);
  }
  g->off = calloc((size_t)g->n + 1, sizeof *g->off);
  g->adj = malloc((2 * (size_t)m + 1) * sizeof *g->adj);
  g->adj_edge = malloc((2 * (size_t)m + 1) * sizeof *g->adj_edge);
  g->adj_w = malloc((2 * (size_t)m + 1) * sizeof *g->adj_w);
  if (g->off == NULL || g->adj == NULL || g->adj_edge == NULL ||
      g->adj_w == NULL)
    return TK_FAIL(err, TK_ENOMEM, "adjacency of %u edges", m);
  for (uint32_t e = 0; e < m; e++) {
    g->off[g->ei[e] + 1]++;
    g->off[g->ej[e] + 1]++;
  }
  g->max_degree = 0;
  for (uint32_t i = 0; i < g->n; i++) {
    if (g->off[i + 1] > g->max_degree)
      g->max_degree = g->off[i + 1];
    g->off[i + 1] += g->off[i];
  }
  uint32_t *fill = malloc(((size_t)g->n + 1) * sizeof *fill);
  if (fill == NULL)
    return TK_FAIL(err, TK_ENOMEM, "adjacency fill");
  memcpy(fill, g->off, ((size_t)g->n + 1) * sizeof *fill);
  for (uint32_t e = 0; e < m; e++) {
    uint32_t a = g->ei[e], b = g->ej[e];
    g->adj[fill[a]] = b;
    g->adj_edge[fill[a]] = e;
    g->adj_w[fill[a]++] = g->w[e];
    g->adj[fill[b]] = a;
    g->adj_edge[fill[b]] = e;
    g->adj_w[fill[b]++] = g->w[e];
  }
  free(fill);
  return TK_OK;
}

static int alloc_graph(uint32_t n, uint32_t m, tsu_graph **out, tk_err *err)
{
  tsu_graph *g = calloc(1, sizeof *g);
  if (g == NULL)
    return TK_FAIL(err, TK_ENOMEM, "graph");
  g->n = n;
  g->n_edges = m;
  g->ei = malloc(((size_t)m + 1) * sizeof *g->ei);
  g->ej = malloc(((size_t)m + 1) * sizeof *g->ej);
  g->w = calloc((size_t)m + 1, sizeof *g->w);
  g->h = calloc(n, sizeof *g->h);
  g->edge_len = malloc(((size_t)m + 1) * sizeof *g->edge_len);
  if (g->ei == NULL || g->ej == NULL || g->w == NULL || g->h == NULL ||
      g->edge_len == NULL) {
    tsu_graph_free(g);
    return TK_FAIL(err, TK_ENOMEM, "graph of %u nodes, %u edges", n, m);
  }
  for (uint32_t e = 0; e < m; e++)
    g->edge_len[e] = 1.0;
  *out = g;
  return TK_OK;
}

int tsu_graph_grid(uint32_t L, int n_jumps, int torus, tsu_graph **out,
                   tk_err *err)
{
  *out = NULL;
  if (L < 2 || L > 4096)
    return TK_FAIL(err, TK_ERANGE, "grid side L=%u outside 2..4096", L);
  if (n_jumps < 1 || n_jumps > TSU_MAX_JUMPS)
    return TK_FAIL(err, TK_ERANGE, "%d jumps outside 1..%d", n_jumps,
                   TSU_MAX_JUMPS);
  for (int k = 0; k < n_jumps; k++) {
    int a = tsu_grid_jumps[k][0], b = tsu_grid_jumps[k][1];
    int big = a > b ? a : b;
    /* Open grid: a jump of L or more links nothing.  Torus: a jump of L/2
     * or more wraps onto its own reverse (duplicate edges or loops). */
    if (!torus && (uint32_t)big >= L)
      return TK_FAIL(err, TK_ERANGE,
                     "jump (%d,%d) of G%d does not fit an open %ux%u grid "
                     "(needs L > %d)", a, b, 4 * n_jumps, L, L, big);
    if (torus && 2 * (uint32_t)big >= L)
      return TK_FAIL(err, TK_ERANGE,
                     "jump (%d,%d) of G%d wraps onto itself on a %ux%u torus "
                     "(needs L > %d)", a, b, 4 * n_jumps, L, L, 2 * big);
  }
  uint32_t n = L * L;
  uint32_t m_max = n * 2u * (uint32_t)n_jumps;
  tsu_graph *g = NULL;
  TK_TRY(alloc_graph(n, m_max, &g, err));
  uint32_t m = 0;
  /* Each undirected link appears once: from every node take rotations
   * (a,b) and (-b,a); the other two are their reverses. */
  for (uint32_t r = 0; r < L; r++) {
    for (uint32_t c = 0; c < L; c++) {
      for (int k = 0; k < n_jumps; k++) {
        int a = tsu_grid_jumps[k][0], b = tsu_grid_jumps[k][1];
        int rot[2][2] = {{a, b}, {-b, a}};
        for (int q = 0; q < 2; q++) {
          long r2 = (long)r + rot[q][0], c2 = (long)c + rot[q][1];
          if (torus) {
            r2 = (r2 % (long)L + (long)L) % (long)L;
            c2 = (c2 % (long)L + (long)L) % (long)L;
          } else if (r2 < 0 || c2 < 0 || r2 >= (long)L || c2 >= (long)L) {
            continue;
          }
          g->ei[m] = r * L + c;
          g->ej[m] = (uint32_t)r2 * L + (uint32_t)c2;
          g->edge_len[m] = sqrt((double)(a * a + b * b));
          m++;
        }
      }
    }
  }
  g->n_edges = m;
  g->L = L;
  g->torus = torus;
  g->n_jumps = n_jumps;
  int rc = finish(g, err);
  if (rc != 0) {
    tsu_graph_free(g);
    return rc;
  }
  *out = g;
  return TK_OK;
}

int tsu_graph_from_edges(uint32_t n, uint32_t n_edges, const uint32_t *ei,
                         const uint32_t *ej, const double *w,
                         const double *h, tsu_graph **out, tk_err *err)
{
  *out = NULL;
  if (n < 1)
    return TK_FAIL(err, TK_EINVAL, "graph has no nodes");
  tsu_graph *g = NULL;
  TK_TRY(alloc_graph(n, n_edges, &g, err));
  if (n_edges > 0) {
    memcpy(g->ei, ei, n_edges * sizeof *ei);
    memcpy(g->ej, ej, n_edges * sizeof *ej);
    memcpy(g->w, w, n_edges * sizeof *w);
  }
  if (h != NULL)
    memcpy(g->h, h, n * sizeof *h);
  g->n_jumps = 0;
  int rc = finish(g, err);
  if (rc != 0) {
    tsu_graph_free(g);
    return rc;
  }
  *out = g;
  return TK_OK;
}

typedef struct parse_buf {
  uint32_t *ei, *ej;    /* edges so far */
  double *w;            /* their weights */
  size_t m, cap;        /* used / allocated edges */
  uint32_t *bi;         /* bias node indices */
  double *bh;           /* bias values */
  size_t nb, bcap;      /* used / allocated biases */
} parse_buf;

static void parse_buf_free(parse_buf *p)
{
  free(p->ei);
  free(p->ej);
  free(p->w);
  free(p->bi);
  free(p->bh);
}

static int parse_index(const char *tok, const char *name, size_t line,
                       uint32_t *out, tk_err *err)
{
  char *end = NULL;
  errno = 0;
  if (tok == NULL)
    return TK_FAIL(err, TK_EFORMAT, "%s:%zu: missing node index", name,
                   line);
  unsigned long v = strtoul(tok, &end, 10);
  if (errno != 0 || *end != '\0' || tok[0] == '-')
    return TK_FAIL(err, TK_EFORMAT, "%s:%zu: bad node index '%s'", name,
                   line, tok);
  /* the node count follows the largest index: a stray huge one would
   * allocate gigabytes before any check */
  if (v >= TSU_GRAPH_MAX_NODES)
    return TK_FAIL(err, TK_ERANGE, "%s:%zu: node index %lu is above the "
                   "limit of %lu nodes (2^24, a 4096 x 4096 chip)", name,
                   line, v, (unsigned long)TSU_GRAPH_MAX_NODES);
  *out = (uint32_t)v;
  return TK_OK;
}

static int parse_value(const char *tok, const char *name, size_t line,
                       double *out, tk_err *err)
{
  char *end = NULL;
  if (tok == NULL)
    return TK_FAIL(err, TK_EFORMAT, "%s:%zu: missing value", name, line);
  double v = strtod(tok, &end);
  if (end == tok || *end != '\0')
    return TK_FAIL(err, TK_EFORMAT, "%s:%zu: bad number '%s'", name, line,
                   tok);
  if (!isfinite(v))
    return TK_FAIL(err, TK_EINVAL, "%s:%zu: value '%s' is not finite (NaN "
                   "or infinite weights are not allowed)", name, line, tok);
  *out = v;
  return TK_OK;
}

static int parse_line(char *s, const char *name, size_t line, parse_buf *p,
                      tk_err *err)
{
  char *hash = strchr(s, '#');
  if (hash != NULL)
    *hash = '\0';
  char *save = NULL;
  char *kind = strtok_r(s, " \t\r", &save);
  if (kind == NULL)
    return TK_OK;
  char *t1 = strtok_r(NULL, " \t\r", &save);
  char *t2 = strtok_r(NULL, " \t\r", &save);
  if (strcmp(kind, "e") == 0) {
    char *t3 = strtok_r(NULL, " \t\r", &save);
    uint32_t i, j;
    double w;
    TK_TRY(parse_index(t1, name, line, &i, err));
    TK_TRY(parse_index(t2, name, line, &j, err));
    TK_TRY(parse_value(t3, name, line, &w, err));
    char *t4 = strtok_r(NULL, " \t\r", &save);
    if (t4 != NULL)
      return TK_FAIL(err, TK_EFORMAT, "%s:%zu: trailing text '%s' after "
                     "'e i j w'", name, line, t4);
    if (i == j)
      return TK_FAIL(err, TK_EINVAL, "%s:%zu: self-loop on node %u", name,
                     line, i);
    if (p->m == p->cap) {
      size_t cap = p->cap ? 2 * p->cap : 1024;
      uint32_t *a = realloc(p->ei, cap * sizeof *a);
      if (a != NULL) p->ei = a;
      uint32_t *b = realloc(p->ej, cap * sizeof *b);
      if (b != NULL) p->ej = b;
      double *c = realloc(p->w, cap * sizeof *c);
      if (c != NULL) p->w = c;
      if (a == NULL || b == NULL || c == NULL)
        return TK_FAIL(err, TK_ENOMEM, "%s: edge list", name);
      p->cap = cap;
    }
    p->ei[p->m] = i;
    p->ej[p->m] = j;
    p->w[p->m++] = w;
  } else if (strcmp(kind, "b") == 0) {
    uint32_t i;
    double h;
    TK_TRY(parse_index(t1, name, line, &i, err));
    TK_TRY(parse_value(t2, name, line, &h, err));
    char *t3 = strtok_r(NULL, " \t\r", &save);
    if (t3 != NULL)
      return TK_FAIL(err, TK_EFORMAT, "%s:%zu: trailing text '%s' after "
                     "'b i h'", name, line, t3);
    if (p->nb == p->bcap) {
      size_t cap = p->bcap ? 2 * p->bcap : 1024;
      uint32_t *a = realloc(p->bi, cap * sizeof *a);
      if (a != NULL) p->bi = a;
      double *c = realloc(p->bh, cap * sizeof *c);
      if (c != NULL) p->bh = c;
      if (a == NULL || c == NULL)
        return TK_FAIL(err, TK_ENOMEM, "%s: bias list", name);
      p->bcap = cap;
    }
    p->bi[p->nb] = i;
    p->bh[p->nb++] = h;
  } else {
    return TK_FAIL(err, TK_EFORMAT,
                   "%s:%zu: unknown line kind '%s' (want 'b i h' or "
                   "'e i j w')", name, line, kind);
  }
  return TK_OK;
}

int tsu_graph_parse(const char *text, const char *name, tsu_graph **out,
                    tk_err *err)
{
  *out = NULL;
  parse_buf p = {0};
  size_t line = 0;
  const char *s = text;
  int rc = TK_OK;
  char buf[1024];
  while (*s != '\0' && rc == 0) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    line++;
    if (len >= sizeof buf) {
      rc = TK_FAIL(err, TK_EFORMAT, "%s:%zu: line too long", name, line);
      break;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    rc = parse_line(buf, name, line, &p, err);
    s += len + (nl ? 1 : 0);
  }
  uint32_t n = 0;
  for (size_t e = 0; rc == 0 && e < p.m; e++) {
    if (p.ei[e] + 1 > n) n = p.ei[e] + 1;
    if (p.ej[e] + 1 > n) n = p.ej[e] + 1;
  }
  for (size_t b = 0; rc == 0 && b < p.nb; b++)
    if (p.bi[b] + 1 > n) n = p.bi[b] + 1;
  if (rc == 0 && n == 0)
    rc = TK_FAIL(err, TK_EFORMAT, "%s: no 'b' or 'e' lines", name);
  double *h = NULL;
  if (rc == 0) {
    h = calloc(n, sizeof *h);
    if (h == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "%s: biases", name);
  }
  for (size_t b = 0; rc == 0 && b < p.nb; b++)
    h[p.bi[b]] += p.bh[b];
  if (rc == 0) {
    rc = tsu_graph_from_edges(n, (uint32_t)p.m, p.ei, p.ej, p.w, h, out, err);
    if (rc != 0)
      tk_err_wrap(err, rc, "%s", name);
  }
  free(h);
  parse_buf_free(&p);
  return rc;
}

int tsu_graph_read(const char *path, tsu_graph **out, tk_err *err)
{
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    return TK_FAIL(err, TK_EIO, "cannot open graph file %s: %s", path,
                   strerror(errno));
  size_t cap = 1 << 16, len = 0;
  char *text = malloc(cap);
  int rc = TK_OK;
  while (text != NULL) {
    size_t got = fread(text + len, 1, cap - len - 1, f);
    len += got;
    if (len < cap - 1)
      break;
    char *t = realloc(text, 2 * cap);
    if (t == NULL) {
      free(text);
      text = NULL;
      break;
    }
    text = t;
    cap *= 2;
  }
  if (text == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "reading %s", path);
  else if (ferror(f))
    rc = TK_FAIL(err, TK_EIO, "reading %s failed", path);
  fclose(f);
  if (rc == 0) {
    text[len] = '\0';
    rc = tsu_graph_parse(text, path, out, err);
  }
  free(text);
  return rc;
}

void tsu_graph_random_model(tsu_graph *g, uint64_t seed, double j_scale,
                            double h_scale)
{
  /* stream 1: couplings by edge index; stream 2: biases by node */
  for (uint32_t e = 0; e < g->n_edges; e++)
    g->w[e] = j_scale * (2.0 * tk_rng_uniform_at(seed, 1, e) - 1.0);
  for (uint32_t i = 0; i < g->n; i++)
    g->h[i] = h_scale * (2.0 * tk_rng_uniform_at(seed, 2, i) - 1.0);
  for (uint32_t i = 0; i < g->n; i++)
    for (uint32_t k = g->off[i]; k < g->off[i + 1]; k++)
      g->adj_w[k] = g->w[g->adj_edge[k]];
}

double tsu_graph_energy(const tsu_graph *g, const int8_t *s)
{
  double e = 0;
  for (uint32_t i = 0; i < g->n; i++)
    e -= g->h[i] * s[i];
  for (uint32_t k = 0; k < g->n_edges; k++)
    e -= g->w[k] * s[g->ei[k]] * s[g->ej[k]];
  return e;
}

static int edge_key_cmp_pair(const void *a, const void *b)
{
  const edge_key *x = a, *y = b;
  if (x->lo != y->lo)
    return x->lo < y->lo ? -1 : 1;
  return x->hi < y->hi ? -1 : (x->hi > y->hi);
}

int tsu_graph_apply_model(tsu_graph *g, const tsu_graph *model, tk_err *err)
{
  if (model->n > g->n)
    return TK_FAIL(err, TK_EINVAL, "model has node %u but the graph only "
                   "%u nodes", model->n - 1, g->n);
  edge_key *k = malloc(((size_t)g->n_edges + 1) * sizeof *k);
  if (k == NULL)
    return TK_FAIL(err, TK_ENOMEM, "model edge index");
  for (uint32_t e = 0; e < g->n_edges; e++) {
    uint32_t a = g->ei[e], b = g->ej[e];
    k[e].lo = a < b ? a : b;
    k[e].hi = a < b ? b : a;
    k[e].idx = e;
  }
  qsort(k, g->n_edges, sizeof *k, edge_key_cmp_pair);
  for (uint32_t e = 0; e < g->n_edges; e++)
    g->w[e] = 0;
  for (uint32_t e = 0; e < model->n_edges; e++) {
    uint32_t a = model->ei[e], b = model->ej[e];
    edge_key key = {a < b ? a : b, a < b ? b : a, 0};
    edge_key *hit = bsearch(&key, k, g->n_edges, sizeof *k,
                            edge_key_cmp_pair);
    if (hit == NULL) {
      free(k);
      return TK_FAIL(err, TK_EINVAL, "model edge %u-%u is not an edge of "
                     "the graph", a, b);
    }
    g->w[hit->idx] = model->w[e];
  }
  free(k);
  for (uint32_t i = 0; i < g->n; i++)
    g->h[i] = i < model->n ? model->h[i] : 0.0;
  for (uint32_t i = 0; i < g->n; i++)
    for (uint32_t q = g->off[i]; q < g->off[i + 1]; q++)
      g->adj_w[q] = g->w[g->adj_edge[q]];
  return TK_OK;
}
