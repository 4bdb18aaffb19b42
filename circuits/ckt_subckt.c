/* ckt_subckt.c -- a designer's subcircuit with tsukit's device noise
 * (see ckt_subckt.h).
 *
 * Workload: one file of tens to hundreds of lines, parsed once; linear
 * scans everywhere (a few subcircuits, tens of devices).
 */
#define _GNU_SOURCE 1  /* strdup, asprintf */
#include "circuits/ckt_subckt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "circuits/ckt_subckt_impl.h"

/* ---- small helpers ---- */

static int push_line(ckt_subckt *s, const char *text, tk_err *err)
{
  if (s->n == s->cap) {
    size_t nc = s->cap ? 2 * s->cap : 64;
    char **na = realloc(s->lines, nc * sizeof *na);
    if (na == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    s->lines = na;
    s->cap = nc;
  }
  if ((s->lines[s->n] = strdup(text)) == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  s->n++;
  return TK_OK;
}

/* Whitespace tokens of line (at most max, each < CKT_SUBCKT_NAME_MAX,
 * longer ones truncated), with "a = b" glued to "a=b". */
static size_t tokens(const char *line, char (*tok)[CKT_SUBCKT_NAME_MAX],
                     size_t max)
{
  size_t n = 0;
  const char *p = line;
  while (*p && n < max) {
    while (isspace((unsigned char)*p) || *p == ',' || *p == '(' || *p == ')')
      p++;
    if (*p == '\0' || *p == ';' || *p == '$')
      break;
    size_t k = 0;
    while (*p && !isspace((unsigned char)*p) && *p != ',' && *p != '(' &&
           *p != ')') {
      if (k + 1 < CKT_SUBCKT_NAME_MAX)
        tok[n][k++] = *p;
      p++;
    }
    tok[n][k] = '\0';
    /* glue "w = 1u" and "w =1u" and "w= 1u" */
    const char *q = p;
    while (isspace((unsigned char)*q))
      q++;
    if ((*q == '=' || (k > 0 && tok[n][k - 1] == '=')) && *q != '\0') {
      if (*q == '=') {
        q++;
        if (k + 1 < CKT_SUBCKT_NAME_MAX)
          tok[n][k++] = '=';
      }
      while (isspace((unsigned char)*q))
        q++;
      while (*q && !isspace((unsigned char)*q) && *q != ',' && *q != ')') {
        if (k + 1 < CKT_SUBCKT_NAME_MAX)
          tok[n][k++] = *q;
        q++;
      }
      tok[n][k] = '\0';
      p = q;
    }
    n++;
  }
  return n;
}

size_t ckt__subckt_tokens(const char *line,
                          char (*tok)[CKT_SUBCKT_NAME_MAX], size_t max)
{
  return tokens(line, tok, max);
}

/* A SPICE number with a scale suffix ("90n", "1.5u", "2meg"); NaN if the
 * value is not a literal (an expression, a parameter). */
static double spice_number(const char *t)
{
  char *end;
  errno = 0;
  double v = strtod(t, &end);
  if (end == t || errno != 0)
    return NAN;
  if (strncasecmp(end, "meg", 3) == 0)
    return v * 1e6;
  switch (tolower((unsigned char)*end)) {
  case '\0': return v;
  case 'f': return v * 1e-15;
  case 'p': return v * 1e-12;
  case 'n': return v * 1e-9;
  case 'u': return v * 1e-6;
  case 'm': return v * 1e-3;
  case 'k': return v * 1e3;
  case 'g': return v * 1e9;
  case 't': return v * 1e12;
  default: return isalpha((unsigned char)*end) ? v : NAN;  /* "1um" */
  }
}

void ckt_subckt_free(ckt_subckt *s)
{
  if (s == NULL)
    return;
  for (size_t i = 0; i < s->n; i++)
    free(s->lines[i]);
  free(s->lines);
  free(s->defs);
  free(s->el);
  for (size_t i = 0; i < s->nports; i++)
    free(s->ports[i]);
  free(s->ports);
  free(s->mos);
  free(s->inst);
  free(s->inst_el);
  free(s);
}

/* ---- reading the file ---- */

/* Strip an in-line comment: `$` or `;` after white space (ngspice). */
static void strip_comment(char *line)
{
  for (char *q = line; *q; q++)
    if ((*q == '$' || *q == ';') &&
        (q == line || isspace((unsigned char)q[-1]))) {
      *q = '\0';
      break;
    }
  size_t n = strlen(line);
  while (n > 0 && isspace((unsigned char)line[n - 1]))
    line[--n] = '\0';
}

/* The file as logical lines: '+' continuations joined, CR, comment lines
 * and in-line comments dropped; *title: the first line if it is a title
 * (NULL: the file is included, it has none). */
static int read_logical(const char *path, char ***out, size_t *nout,
                        int has_title, tk_err *err)
{
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return TK_FAIL(err, TK_EIO, "cannot read netlist %s: %s", path,
                   strerror(errno));
  char **v = NULL, *line = NULL;
  size_t n = 0, cap = 0, lcap = 0, lineno = 0;
  ssize_t len;
  int rc = TK_OK;
  while ((len = getline(&line, &lcap, f)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = '\0';
    if (lineno++ == 0 && has_title) {
      const char *p = line;
      while (isspace((unsigned char)*p))
        p++;
      if (*p != '.' && *p != '*')
        continue;   /* the title line */
    }
    const char *p = line;
    while (isspace((unsigned char)*p))
      p++;
    if (*p == '*' || *p == '\0')
      continue;
    strip_comment(line);
    if (*p == '+' && n > 0) {
      char *j = NULL;
      if (asprintf(&j, "%s %s", v[n - 1], p + 1) < 0) {
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
        break;
      }
      free(v[n - 1]);
      v[n - 1] = j;
      continue;
    }
    if (n == cap) {
      cap = cap ? 2 * cap : 128;
      char **nv = realloc(v, cap * sizeof *nv);
      if (nv == NULL) {
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
        break;
      }
      v = nv;
    }
    if ((v[n] = strdup(line)) == NULL) {
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
      break;
    }
    n++;
  }
  if (rc == 0 && ferror(f))
    rc = TK_FAIL(err, TK_EIO, "reading %s: %s", path, strerror(errno));
  free(line);
  fclose(f);
  if (rc != 0) {
    for (size_t i = 0; i < n; i++)
      free(v[i]);
    free(v);
    return rc;
  }
  *out = v;
  *nout = n;
  return TK_OK;
}

/* The folder of path ("." if none), malloc'd. */
static char *dir_of(const char *path)
{
  char *dir = strdup(path);
  if (dir == NULL)
    return NULL;
  char *sl = strrchr(dir, '/');
  if (sl == NULL)
    snprintf(dir, strlen(dir) + 1, ".");
  else if (sl == dir)
    sl[1] = '\0';
  else
    *sl = '\0';
  return dir;
}

/* The lines of a deck: path (its section `section` only, or all of it)
 * with every `.include FILE` and `.lib FILE SECTION` replaced in place by
 * the lines they name, a relative FILE taken relative to the folder of
 * the file that names it (as ngspice does), recursively. */
static int read_deck(ckt_subckt *s, const char *path, const char *section,
                     int top, int depth, tk_err *err)
{
  if (depth > 16)
    return TK_FAIL(err, TK_EINVAL, "%s: .include/.lib nested deeper than 16 "
                   "(recursive?)", path);
  char **raw = NULL;
  size_t nraw = 0;
  TK_TRY(read_logical(path, &raw, &nraw, top, err));
  char *dir = dir_of(path);
  int rc = dir == NULL ? TK_FAIL(err, TK_ENOMEM, "out of memory") : TK_OK;
  int in_sec = section == NULL, found = section == NULL;
  for (size_t i = 0; i < nraw && rc == 0; i++) {
    char tok[3][CKT_SUBCKT_NAME_MAX];
    size_t nt = tokens(raw[i], tok, 3);
    if (nt == 0)
      continue;
    if (section != NULL) {   /* only `.lib section` ... `.endl` */
      if (!in_sec) {
        if (strcasecmp(tok[0], ".lib") == 0 && nt == 2 &&
            strcasecmp(tok[1], section) == 0)
          in_sec = found = 1;
        continue;
      }
      if (strcasecmp(tok[0], ".endl") == 0) {
        in_sec = 0;
        continue;
      }
    }
    int inc = strcasecmp(tok[0], ".include") == 0 ||
              strcasecmp(tok[0], ".inc") == 0;
    int lib = strcasecmp(tok[0], ".lib") == 0 && nt >= 3;
    if ((inc && nt >= 2) || lib) {
      const char *f = tok[1];
      char fn[CKT_SUBCKT_NAME_MAX];
      snprintf(fn, sizeof fn, "%s", f + (*f == '"' || *f == '\''));
      size_t fl = strlen(fn);
      if (fl > 0 && (fn[fl - 1] == '"' || fn[fl - 1] == '\''))
        fn[fl - 1] = '\0';
      char *full = NULL;
      if (fn[0] == '/' ? asprintf(&full, "%s", fn) < 0
                       : asprintf(&full, "%s/%s", dir, fn) < 0) {
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
        break;
      }
      rc = read_deck(s, full, lib ? tok[2] : NULL, 0, depth + 1, err);
      if (rc != 0 && err != NULL && strstr(err->msg, " (from ") == NULL) {
        char m[TK_ERR_MSG_MAX];
        snprintf(m, sizeof m, "%s", err->msg);
        snprintf(err->msg, sizeof err->msg, "%.300s (from %.150s)", m, path);
      }
      free(full);
      continue;
    }
    rc = push_line(s, raw[i], err);
  }
  if (rc == 0 && !found)
    rc = TK_FAIL(err, TK_ENOTFOUND, "%s has no .lib section '%s'", path,
                 section);
  for (size_t i = 0; i < nraw; i++)
    free(raw[i]);
  free(raw);
  free(dir);
  return rc;
}

static int is_kw(const char *t, const char *const *list)
{
  for (size_t i = 0; list[i] != NULL; i++)
    if (strcasecmp(t, list[i]) == 0)
      return 1;
  return 0;
}

/* Nodes an element's noise source needs, by its letter (favour a table). */
static size_t nodes_of(char kind)
{
  switch (kind) {
  case 'm': return 4;
  case 'q': return 3;
  case 'r': case 'd': return 2;
  default: return 0;
  }
}

/* Classify and keep the lines (includes already inlined: read_deck);
 * collect subcircuits (nested ones with their parent) and every element
 * line inside them. */
static int parse(ckt_subckt *s, char **raw, size_t nraw, const char *path,
                 tk_err *err)
{
  static const char *const keep_top[] = {
    ".model", ".param", ".func", ".global", ".options", ".option", ".opt",
    ".csparam", NULL};
  char tok[8][CKT_SUBCKT_NAME_MAX];
  int stack[CKT_SUBCKT_DEPTH_MAX * 2];
  int depth = 0, in_control = 0, in_lib = 0;
  for (size_t li = 0; li < nraw; li++) {
    const char *line = raw[li];
    size_t nt = tokens(line, tok, 8);
    if (nt == 0 || tok[0][0] == '*')
      continue;
    const char *t0 = tok[0];
    if (in_control) {
      if (strcasecmp(t0, ".endc") == 0)
        in_control = 0;
      continue;
    }
    if (strcasecmp(t0, ".control") == 0) {
      in_control = 1;
      continue;
    }
    if (in_lib) {
      if (strcasecmp(t0, ".endl") == 0)
        in_lib = 0;
      TK_TRY(push_line(s, line, err));
      continue;
    }
    if (strcasecmp(t0, ".subckt") == 0) {
      if (nt < 2)
        return TK_FAIL(err, TK_EINVAL, "%s: .subckt without a name: '%s'",
                       path, line);
      if (depth == (int)(sizeof stack / sizeof stack[0]))
        return TK_FAIL(err, TK_EINVAL, "%s: subcircuit definitions nested "
                       "too deep", path);
      sub_def *nd = realloc(s->defs, (s->ndef + 1) * sizeof *nd);
      if (nd == NULL)
        return TK_FAIL(err, TK_ENOMEM, "out of memory");
      s->defs = nd;
      memset(&nd[s->ndef], 0, sizeof *nd);
      snprintf(nd[s->ndef].name, CKT_SUBCKT_NAME_MAX, "%s", tok[1]);
      nd[s->ndef].parent = depth > 0 ? stack[depth - 1] : -1;
      stack[depth++] = (int)s->ndef++;
      TK_TRY(push_line(s, line, err));
      continue;
    }
    if (strcasecmp(t0, ".ends") == 0) {
      if (depth == 0)
        return TK_FAIL(err, TK_EINVAL, "%s: .ends without .subckt", path);
      s->defs[stack[--depth]].ends = s->n;
      TK_TRY(push_line(s, line, err));
      continue;
    }
    if (t0[0] == '.') {
      if (strcasecmp(t0, ".lib") == 0 && nt == 2) {
        in_lib = 1;   /* a library section defined here: kept verbatim */
        TK_TRY(push_line(s, line, err));
      } else if (depth > 0 || is_kw(t0, keep_top)) {
        TK_TRY(push_line(s, line, err));
      }
      continue;   /* analyses, outputs, .end: tsukit's own */
    }
    if (depth == 0)
      continue;   /* a top-level element: the designer's test bench */
    char k = (char)tolower((unsigned char)t0[0]);
    if (!isalpha((unsigned char)k))
      return TK_FAIL(err, TK_EINVAL, "%s: not an element line: '%s'", path,
                     line);
    if (strncasecmp(t0, "inz", 3) == 0)
      return TK_FAIL(err, TK_EINVAL, "%s: element %s: names starting with "
                     "INZ are tsukit's noise sources", path, t0);
    sub_elem e;
    memset(&e, 0, sizeof e);
    e.def = stack[depth - 1];
    e.kind = k;
    e.w_m = e.l_m = NAN;
    snprintf(e.name, sizeof e.name, "%s", t0);
    size_t nn = nodes_of(k);
    /* a malformed line fails only if the subcircuit under test reaches it
     * (flatten): a library may hold definitions tsukit never reads */
    e.bad = (nn > 0 && nt < nn + 1) || (k == 'm' && nt < 6);
    for (size_t i = 0; i < nn && !e.bad; i++)
      snprintf(e.node[i], sizeof e.node[i], "%s", tok[1 + i]);
    if (k == 'm' && !e.bad) {
      snprintf(e.s, sizeof e.s, "%s", tok[3]);
      char all[32][CKT_SUBCKT_NAME_MAX];
      size_t na = tokens(line, all, 32);
      for (size_t i = 6; i < na; i++) {
        if (strncasecmp(all[i], "w=", 2) == 0)
          e.w_m = spice_number(all[i] + 2);
        else if (strncasecmp(all[i], "l=", 2) == 0)
          e.l_m = spice_number(all[i] + 2);
      }
    } else if (k == 'x') {
      char all[64][CKT_SUBCKT_NAME_MAX];
      size_t na = tokens(line, all, 64), sub = 0;
      for (size_t i = 1; i < na; i++) {
        if (strcasecmp(all[i], "params:") == 0)
          break;
        if (strchr(all[i], '=') == NULL)
          sub = i;
      }
      if (sub == 0)
        return TK_FAIL(err, TK_EINVAL, "%s: subcircuit instance without a "
                       "subcircuit name: '%s'", path, line);
      snprintf(e.d, sizeof e.d, "%s", all[sub]);
    }
    sub_elem *ne = realloc(s->el, (s->nel + 1) * sizeof *ne);
    if (ne == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    s->el = ne;
    e.line = s->n;
    s->el[s->nel++] = e;
    TK_TRY(push_line(s, line, err));
  }
  if (depth != 0)
    return TK_FAIL(err, TK_EINVAL, "%s: .subckt %s has no .ends", path,
                   s->defs[stack[depth - 1]].name);
  return TK_OK;
}

/* The definition an X line in def d means: one nested in d or in a
 * definition enclosing d (innermost first), else a top-level one. */
static int find_def_in(const ckt_subckt *s, const char *name, int d)
{
  for (int scope = d;; scope = s->defs[scope].parent) {
    for (size_t i = 0; i < s->ndef; i++)
      if (s->defs[i].parent == scope && strcasecmp(s->defs[i].name, name) == 0)
        return (int)i;
    if (scope < 0)
      return -1;
  }
}

void ckt__subckt_lower(char *p)
{
  for (; *p; p++)
    *p = (char)tolower((unsigned char)*p);
}

/* Flatten the elements below def d (prefix: instance path, "" at the
 * top). */
static int flatten(ckt_subckt *s, int d, const char *prefix, int depth,
                   const char *path, tk_err *err)
{
  if (depth > CKT_SUBCKT_DEPTH_MAX)
    return TK_FAIL(err, TK_EINVAL, "%s: subcircuits nested deeper than %d "
                   "below %s (recursive?)", path, CKT_SUBCKT_DEPTH_MAX,
                   s->defs[s->target].name);
  s->defs[d].noisy = 1;
  for (size_t i = 0; i < s->nel; i++) {
    const sub_elem *e = &s->el[i];
    if (e->def != d)
      continue;
    char p[2 * CKT_SUBCKT_NAME_MAX];
    snprintf(p, sizeof p, "%s%s", prefix, e->name);
    if (strlen(p) + 12 >= CKT_SUBCKT_NAME_MAX)
      return TK_FAIL(err, TK_EINVAL, "%s: device path %s too long", path, p);
    ckt__subckt_lower(p);
    if (e->bad)
      return TK_FAIL(err, TK_EINVAL, "%s: %s in %s needs %s: '%s'", path,
                     e->name, s->defs[d].name,
                     e->kind == 'm' ? "'M d g s b model'"
                     : e->kind == 'q' ? "3 nodes" : "2 nodes",
                     s->lines[e->line]);
    if (e->kind == 'x') {
      int c = find_def_in(s, e->d, d);
      if (c < 0)
        return TK_FAIL(err, TK_ENOTFOUND, "%s: %s in %s uses subcircuit '%s', "
                       "which the file does not define (its devices "
                       "would get no noise)", path, e->name,
                       s->defs[d].name, e->d);
      strcat(p, ".");
      TK_TRY(flatten(s, c, p, depth + 1, path, err));
      continue;
    }
    ckt_subckt_inst *ni = realloc(s->inst, (s->ninst + 1) * sizeof *ni);
    size_t *nie = ni ? realloc(s->inst_el, (s->ninst + 1) * sizeof *nie) : NULL;
    if (ni != NULL)
      s->inst = ni;
    if (nie == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    s->inst_el = nie;
    memset(&ni[s->ninst], 0, sizeof *ni);
    snprintf(ni[s->ninst].path, CKT_SUBCKT_NAME_MAX, "%s", p);
    ni[s->ninst].kind = e->kind;
    ni[s->ninst].def = s->defs[d].name;
    nie[s->ninst] = i;
    s->ninst++;
    if (e->kind == 'm') {
      ckt_subckt_mos *nm = realloc(s->mos, (s->nmos + 1) * sizeof *nm);
      if (nm == NULL)
        return TK_FAIL(err, TK_ENOMEM, "out of memory");
      s->mos = nm;
      snprintf(nm[s->nmos].path, CKT_SUBCKT_NAME_MAX, "%s", p);
      nm[s->nmos].w_m = e->w_m;
      nm[s->nmos].l_m = e->l_m;
      s->nmos++;
    }
  }
  return TK_OK;
}

int ckt_subckt_load(const char *path, const char *name, ckt_subckt **out,
                    tk_err *err)
{
  *out = NULL;
  if (path == NULL || name == NULL)
    return TK_FAIL(err, TK_EINVAL, "no netlist file or subcircuit name");
  ckt_subckt *s = calloc(1, sizeof *s);
  if (s == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  /* the deck with its includes inlined, then classified */
  int rc = read_deck(s, path, NULL, 1, 0, err);
  char **raw = s->lines;
  size_t nraw = s->n;
  s->lines = NULL;
  s->n = s->cap = 0;
  if (rc == 0)
    rc = parse(s, raw, nraw, path, err);
  for (size_t i = 0; i < nraw; i++)
    free(raw[i]);
  free(raw);
  if (rc == 0) {
    s->target = -1;
    for (size_t i = 0; i < s->ndef && s->target < 0; i++)
      if (strcasecmp(s->defs[i].name, name) == 0)
        s->target = (int)i;
  }
  if (rc == 0 && s->target < 0) {
    char list[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < s->ndef && len + 2 < sizeof list; i++)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                              i ? ", " : "", s->defs[i].name);
    rc = TK_FAIL(err, TK_ENOTFOUND, "%s: no subcircuit '%s' (defined: %s)",
                 path, name, s->ndef ? list : "none");
  }
  if (rc == 0) {
    /* the ports: the .subckt line's tokens without '=' up to params: */
    const char *hdr = NULL;
    for (size_t i = 0; i < s->n && hdr == NULL; i++) {
      char t[2][CKT_SUBCKT_NAME_MAX];
      if (tokens(s->lines[i], t, 2) == 2 && strcasecmp(t[0], ".subckt") == 0 &&
          strcasecmp(t[1], name) == 0)
        hdr = s->lines[i];
    }
    char (*all)[CKT_SUBCKT_NAME_MAX] = malloc(128 * sizeof *all);
    s->ports = calloc(128, sizeof *s->ports);
    if (all == NULL || s->ports == NULL || hdr == NULL) {
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    } else {
      size_t na = tokens(hdr, all, 128);
      for (size_t i = 2; i < na && rc == 0; i++) {
        if (strcasecmp(all[i], "params:") == 0 || strchr(all[i], '=') != NULL)
          break;
        if ((s->ports[s->nports++] = strdup(all[i])) == NULL)
          rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
      }
    }
    free(all);
  }
  if (rc == 0)
    rc = flatten(s, s->target, "", 0, path, err);
  if (rc == 0 && s->ninst == 0)
    rc = TK_FAIL(err, TK_EINVAL, "%s: subcircuit %s has no element: "
                 "nothing to simulate", path, s->defs[s->target].name);
  if (rc != 0) {
    ckt_subckt_free(s);
    return rc;
  }
  *out = s;
  return TK_OK;
}

size_t ckt_subckt_ninst(const ckt_subckt *s) { return s->ninst; }
const ckt_subckt_inst *ckt_subckt_inst_at(const ckt_subckt *s, size_t i)
{
  return i < s->ninst ? &s->inst[i] : NULL;
}

const char *ckt_subckt_name(const ckt_subckt *s)
{
  return s->defs[s->target].name;
}
size_t ckt_subckt_nports(const ckt_subckt *s) { return s->nports; }
const char *ckt_subckt_port(const ckt_subckt *s, size_t i)
{
  return i < s->nports ? s->ports[i] : NULL;
}
int ckt_subckt_find_port(const ckt_subckt *s, const char *name)
{
  for (size_t i = 0; i < s->nports; i++)
    if (strcasecmp(s->ports[i], name) == 0)
      return (int)i;
  return -1;
}
size_t ckt_subckt_nmos(const ckt_subckt *s) { return s->nmos; }
const ckt_subckt_mos *ckt_subckt_mos_at(const ckt_subckt *s, size_t i)
{
  return i < s->nmos ? &s->mos[i] : NULL;
}

