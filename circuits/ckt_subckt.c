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

#include "physics/phys_const.h"

typedef struct sub_def {
  char name[CKT_SUBCKT_NAME_MAX]; /* as written */
  size_t ends;                    /* line index of its .ends */
  int noisy;                      /* 1: reached from the target: noise added */
} sub_def;

typedef struct sub_elem {
  int def;                        /* owning subcircuit */
  char kind;                      /* 'm' or 'x' */
  char name[CKT_SUBCKT_NAME_MAX]; /* element name as written */
  char d[CKT_SUBCKT_NAME_MAX];    /* MOSFET drain, or X's subcircuit name */
  char s[CKT_SUBCKT_NAME_MAX];    /* MOSFET source */
  double w_m, l_m;                /* MOSFET literal W, L, or NaN */
} sub_elem;

struct ckt_subckt {
  char **lines;          /* kept logical lines */
  size_t n, cap;         /* used / allocated */
  sub_def *defs;         /* subcircuits defined in FILE */
  size_t ndef;           /* their number */
  sub_elem *el;          /* M and X lines inside subcircuits */
  size_t nel;            /* their number */
  int target;            /* index in defs */
  char **ports;          /* the target's ports */
  size_t nports;         /* their number */
  ckt_subckt_mos *mos;   /* flattened MOSFETs of one instance */
  size_t nmos;           /* their number */
};

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

static int find_def(const ckt_subckt *s, const char *name)
{
  for (size_t i = 0; i < s->ndef; i++)
    if (strcasecmp(s->defs[i].name, name) == 0)
      return (int)i;
  return -1;
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
  free(s);
}

/* ---- reading the file ---- */

/* The file as logical lines: '+' continuations joined, CR dropped. */
static int read_logical(const char *path, char ***out, size_t *nout,
                        tk_err *err)
{
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return TK_FAIL(err, TK_EIO, "cannot read netlist %s: %s", path,
                   strerror(errno));
  char **v = NULL, *line = NULL;
  size_t n = 0, cap = 0, lcap = 0;
  ssize_t len;
  int rc = TK_OK;
  while ((len = getline(&line, &lcap, f)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = '\0';
    const char *p = line;
    while (isspace((unsigned char)*p))
      p++;
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

/* `.include path` / `.lib path section`: a relative path made relative to
 * FILE's folder (ngspice would look in the working directory). */
static int keep_include(ckt_subckt *s, const char *line, const char *dir,
                        tk_err *err)
{
  const char *p = line;
  while (isspace((unsigned char)*p))
    p++;
  const char *kw_end = p;
  while (*kw_end && !isspace((unsigned char)*kw_end))
    kw_end++;
  const char *a = kw_end;
  while (isspace((unsigned char)*a))
    a++;
  int quoted = (*a == '"' || *a == '\'');
  const char *ps = a + quoted;
  if (*ps == '/' || dir == NULL || *ps == '\0')
    return push_line(s, line, err);
  char *j = NULL;
  if (asprintf(&j, "%.*s %s%s/%s", (int)(kw_end - p), p, quoted ? "\"" : "",
               dir, ps) < 0)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = push_line(s, j, err);
  free(j);
  return rc;
}

static int is_kw(const char *t, const char *const *list)
{
  for (size_t i = 0; list[i] != NULL; i++)
    if (strcasecmp(t, list[i]) == 0)
      return 1;
  return 0;
}

/* Classify and keep the lines; collect subcircuits and their M/X lines. */
static int parse(ckt_subckt *s, char **raw, size_t nraw, const char *path,
                 const char *dir, tk_err *err)
{
  static const char *const keep_top[] = {
    ".model", ".param", ".func", ".global", ".options", ".option", ".opt",
    ".csparam", NULL};
  static const char *const incl[] = {".include", ".inc", NULL};
  char tok[8][CKT_SUBCKT_NAME_MAX];
  int stack[CKT_SUBCKT_DEPTH_MAX * 2];
  int depth = 0, in_control = 0, in_lib = 0;
  size_t first = 0;
  if (nraw > 0) {
    const char *p = raw[0];
    while (isspace((unsigned char)*p))
      p++;
    if (*p != '.' && *p != '*')
      first = 1;   /* the title line */
  }
  for (size_t li = first; li < nraw; li++) {
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
      if (is_kw(t0, incl) || (strcasecmp(t0, ".lib") == 0 && nt >= 3)) {
        TK_TRY(keep_include(s, line, dir, err));
      } else if (strcasecmp(t0, ".lib") == 0) {
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
    if (k == 'm' || k == 'x') {
      sub_elem e;
      memset(&e, 0, sizeof e);
      e.def = stack[depth - 1];
      e.kind = k;
      e.w_m = e.l_m = NAN;
      snprintf(e.name, sizeof e.name, "%s", t0);
      if (k == 'm') {
        if (nt < 6)
          return TK_FAIL(err, TK_EINVAL, "%s: MOSFET line needs 'M d g s b "
                         "model': '%s'", path, line);
        snprintf(e.d, sizeof e.d, "%s", tok[1]);
        snprintf(e.s, sizeof e.s, "%s", tok[3]);
        char all[32][CKT_SUBCKT_NAME_MAX];
        size_t na = tokens(line, all, 32);
        for (size_t i = 6; i < na; i++) {
          if (strncasecmp(all[i], "w=", 2) == 0)
            e.w_m = spice_number(all[i] + 2);
          else if (strncasecmp(all[i], "l=", 2) == 0)
            e.l_m = spice_number(all[i] + 2);
        }
      } else {
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
      s->el[s->nel++] = e;
    }
    TK_TRY(push_line(s, line, err));
  }
  if (depth != 0)
    return TK_FAIL(err, TK_EINVAL, "%s: .subckt %s has no .ends", path,
                   s->defs[stack[depth - 1]].name);
  return TK_OK;
}

/* Flatten the MOSFETs below def d (prefix: instance path, "" at the top). */
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
    if (e->kind == 'm') {
      ckt_subckt_mos *nm = realloc(s->mos, (s->nmos + 1) * sizeof *nm);
      if (nm == NULL)
        return TK_FAIL(err, TK_ENOMEM, "out of memory");
      s->mos = nm;
      snprintf(nm[s->nmos].path, CKT_SUBCKT_NAME_MAX, "%s", p);
      for (char *q = nm[s->nmos].path; *q; q++)
        *q = (char)tolower((unsigned char)*q);
      nm[s->nmos].w_m = e->w_m;
      nm[s->nmos].l_m = e->l_m;
      s->nmos++;
    } else {
      int c = find_def(s, e->d);
      if (c < 0)
        return TK_FAIL(err, TK_ENOTFOUND, "%s: %s in %s uses subcircuit '%s', "
                       "which the file does not define (its transistors "
                       "would get no noise)", path, e->name,
                       s->defs[d].name, e->d);
      strcat(p, ".");
      TK_TRY(flatten(s, c, p, depth + 1, path, err));
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
  char **raw = NULL;
  size_t nraw = 0;
  TK_TRY(read_logical(path, &raw, &nraw, err));
  ckt_subckt *s = calloc(1, sizeof *s);
  char *dir = strdup(path);
  int rc = (s == NULL || dir == NULL) ? TK_FAIL(err, TK_ENOMEM, "out of memory")
                                      : TK_OK;
  if (rc == 0) {
    char *sl = strrchr(dir, '/');
    if (sl == NULL)
      snprintf(dir, strlen(dir) + 1, ".");
    else if (sl == dir)
      sl[1] = '\0';
    else
      *sl = '\0';
    rc = parse(s, raw, nraw, path, dir, err);
  }
  for (size_t i = 0; i < nraw; i++)
    free(raw[i]);
  free(raw);
  free(dir);
  if (rc == 0 && (s->target = find_def(s, name)) < 0) {
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
  if (rc == 0 && s->nmos == 0)
    rc = TK_FAIL(err, TK_EINVAL, "%s: subcircuit %s has no MOSFET (M line): "
                 "no device noise to add", path, s->defs[s->target].name);
  if (rc != 0) {
    ckt_subckt_free(s);
    return rc;
  }
  *out = s;
  return TK_OK;
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

/* ---- the test bench ---- */

void ckt_subckt_net(const ckt_subckt *s, size_t i, const ckt_port_bind *bind,
                    char *buf, size_t size)
{
  if (bind != NULL && bind[i].kind == CKT_PORT_GROUND)
    snprintf(buf, size, "0");
  else
    snprintf(buf, size, "tk_%s", s->ports[i]);
}

void ckt_subckt_vsrc(const ckt_subckt *s, size_t i, char *buf, size_t size)
{
  snprintf(buf, size, "V_TK_%s", s->ports[i]);
}

void ckt_subckt_devs_free(char **mos_dev, size_t n)
{
  if (mos_dev == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    free(mos_dev[i]);
  free(mos_dev);
}

#define INST "x_tk"   /* the instance of the subcircuit under test */

static int build(const ckt_subckt *s, const ckt_port_bind *bind,
                 const ckt_sim_params *p, ckt_netlist *nl, char **dev,
                 tk_err *err)
{
  char buf[CKT_SUBCKT_NAME_MAX + 16];
  TK_TRY(ckt_netlist_add(nl, err, "* tsukit characterize: subcircuit %s",
                         s->defs[s->target].name));
  TK_TRY(ckt_netlist_add(nl, err, ".options temp=%.6g tnom=27 gmin=1e-21",
                         p->temp_K - PHYS_T0_K));
  for (size_t i = 0; i < s->n; i++) {
    for (size_t d = 0; d < s->ndef && p->noise; d++) {
      if (s->defs[d].ends != i || !s->defs[d].noisy)
        continue;
      /* `I n+ n- external` (no "dc": `dc 0 external` crashes 39.3) */
      for (size_t e = 0; e < s->nel; e++)
        if (s->el[e].def == (int)d && s->el[e].kind == 'm')
          TK_TRY(ckt_netlist_add(nl, err, "INZ_%s %s %s external",
                                 s->el[e].name, s->el[e].d, s->el[e].s));
    }
    TK_TRY(ckt_netlist_add(nl, err, "%s", s->lines[i]));
  }
  size_t len = 16 + strlen(s->defs[s->target].name);
  for (size_t i = 0; i < s->nports; i++) {
    if (bind[i].kind == CKT_PORT_UNBOUND)
      return TK_FAIL(err, TK_EINVAL, "port %s of %s is not connected",
                     s->ports[i], s->defs[s->target].name);
    if (bind[i].kind == CKT_PORT_FIXED) {
      char vn[CKT_SUBCKT_NAME_MAX + 8];
      ckt_subckt_vsrc(s, i, vn, sizeof vn);
      ckt_subckt_net(s, i, bind, buf, sizeof buf);
      TK_TRY(ckt_netlist_add(nl, err, "%s %s 0 %.12g", vn, buf, bind[i].v_V));
    }
    len += strlen(s->ports[i]) + 8;
  }
  char *x = malloc(len), *q = x;
  if (x == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  q += sprintf(q, "X_TK");
  for (size_t i = 0; i < s->nports; i++) {
    ckt_subckt_net(s, i, bind, buf, sizeof buf);
    q += sprintf(q, " %s", buf);
  }
  sprintf(q, " %s", s->defs[s->target].name);
  int rc = ckt_netlist_add(nl, err, "%s", x);
  free(x);
  TK_TRY(rc);
  if (p->noise) {
    len = 16;
    for (size_t k = 0; k < s->nmos; k++) {
      /* the ngspice names: m.x_tk.<path>, i.x_tk.<path-prefix>inz_<m> */
      const char *path = s->mos[k].path, *leaf = strrchr(path, '.');
      leaf = leaf ? leaf + 1 : path;
      char src[2 * CKT_SUBCKT_NAME_MAX];
      snprintf(src, sizeof src, "i." INST ".%.*sinz_%s",
               (int)(leaf - path), path, leaf);
      TK_TRY(ckt_netlist_add_source(nl, src, (int)k, err));
      if (asprintf(&dev[k], "m." INST ".%s", path) < 0)
        return TK_FAIL(err, TK_ENOMEM, "out of memory");
      len += 2 * strlen(dev[k]) + 16;
    }
    char *sv = malloc(len);
    if (sv == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    q = sv + sprintf(sv, ".save all");
    for (size_t k = 0; k < s->nmos; k++)
      q += sprintf(q, " @%s[id] @%s[gds]", dev[k], dev[k]);
    rc = ckt_netlist_add(nl, err, "%s", sv);
    free(sv);
    TK_TRY(rc);
  }
  double tmax = p->noise ? fmin(p->tstep_s, 0.5 * p->nt_s) : p->tstep_s;
  TK_TRY(ckt_netlist_add(nl, err, ".tran %.6g %.6g 0 %.6g", p->tstep_s,
                         p->tstop_s, tmax));
  return ckt_netlist_add(nl, err, ".end");
}

int ckt_subckt_netlist(const ckt_subckt *s, const ckt_port_bind *bind,
                       const ckt_sim_params *p, ckt_netlist *nl,
                       char ***mos_dev, tk_err *err)
{
  memset(nl, 0, sizeof *nl);
  *mos_dev = NULL;
  if (s == NULL || bind == NULL || p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no subcircuit, ports or parameters");
  if (!(p->temp_K > 0) || !(p->tstop_s > 0) || !(p->tstep_s > 0) ||
      p->tstep_s > p->tstop_s || !(p->nt_s > 0))
    return TK_FAIL(err, TK_ERANGE,
                   "simulation parameters out of range (T %g K, tstop %g s, "
                   "tstep %g s, noise slot %g s)",
                   p->temp_K, p->tstop_s, p->tstep_s, p->nt_s);
  char **dev = calloc(s->nmos + 1, sizeof *dev);
  if (dev == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = build(s, bind, p, nl, dev, err);
  if (rc != 0) {
    ckt_netlist_clear(nl);
    ckt_subckt_devs_free(dev, s->nmos);
    return rc;
  }
  *mos_dev = dev;
  return TK_OK;
}
