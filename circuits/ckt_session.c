/* ckt_session.c -- the only file in tsukit that touches libngspice.
 *
 * Workload: sequential transient runs of small netlists; each run costs
 * milliseconds to tens of seconds inside ngspice, so the wrapper favours
 * clarity (linear name lookups over a few tens of sources) over speed.
 *
 * Process-global state (the one documented exception to "no mutable
 * globals", docs/ARCHITECTURE.md): libngspice is a single engine per process, so the
 * flag saying it was initialised and the pointer to the session its
 * callbacks report into live here.  Rules for ngspice 39.3 (FINDINGS.md):
 * ngSpice_Init exactly once, never `quit`; `set num_threads=1`; between
 * runs `destroy all` and `remcirc`; ngSpice_Circ returns 0 even when the
 * netlist fails, so errors are read from the printed output; vectors are
 * ngspice's memory and are copied at once.
 */
#define _GNU_SOURCE 1  /* strndup */
#include "circuits/ckt_session.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ngspice/sharedspice.h>

#include "common/tk_rng.h"

#define LOG_MAX (64 * 1024)   /* captured output kept per run, bytes */

struct ckt_session {
  char error[TK_ERR_MSG_MAX]; /* first error line of the last run, or "" */
  char *log;                  /* captured output of the last run */
  size_t log_len;             /* bytes used in log (< LOG_MAX) */
  int exit_requested;         /* ngspice called ControlledExit */
  const ckt_noise *noise;     /* noise of the run in progress, or NULL */
  int *watch_idx;             /* [n_watch] index into SendData's vectors */
  double *watch_V;            /* [n_watch] values at the last accepted point */
  int watch_mapped;           /* watch_idx is valid for this run */
  uint64_t ncallbacks;        /* external source callbacks this run */
  uint64_t naccepted;         /* accepted time points this run */
  char *cap;                  /* ckt_session_instances: captured lines */
  size_t cap_len, cap_size;   /* bytes used / allocated in cap */
  int capturing;              /* 1: printed lines also go to cap */
  ckt_flk_state *flk_st;      /* [n_src] flicker sequences of the run, or
                                 NULL */
};

/* The process-global ngspice state (see the file comment). */
static int g_ngspice_ready;          /* ngSpice_Init done (never twice) */
static ckt_session *g_active;        /* session receiving callbacks */

/* ---- output capture ---- */

static void log_append(ckt_session *s, const char *line)
{
  size_t n = strlen(line);
  if (s->log_len + n + 2 >= LOG_MAX)
    return;
  memcpy(s->log + s->log_len, line, n);
  s->log_len += n;
  s->log[s->log_len++] = '\n';
  s->log[s->log_len] = '\0';
}

/* Case-insensitive substring search. */
static int has_word(const char *hay, const char *needle)
{
  size_t n = strlen(needle);
  for (const char *p = hay; *p; p++)
    if (strncasecmp(p, needle, n) == 0)
      return 1;
  return 0;
}

/* Does a printed line report a failure?  (ngspice prefixes its lines with
 * "stdout " or "stderr "; errors are only visible here.) */
static int is_error_line(const char *msg)
{
  static const char *const pat[] = {
    "error", "unknown", "singular", "timestep too small", "too small",
    "could not", "cannot", "can't", "not parsed", "no such", "fatal",
    "aborted", "unrecognized", "not found",
  };
  if (has_word(msg, "warning") || has_word(msg, "note:"))
    return 0;
  for (size_t i = 0; i < sizeof pat / sizeof pat[0]; i++)
    if (has_word(msg, pat[i]))
      return 1;
  return 0;
}

static int cb_print(char *msg, int id, void *ud)
{
  (void)id;
  (void)ud;
  ckt_session *s = g_active;
  if (s == NULL || msg == NULL)
    return 0;
  if (s->capturing) {
    size_t n = strlen(msg);
    if (s->cap_len + n + 2 > s->cap_size) {
      size_t nc = 2 * (s->cap_len + n + 2) + 4096;
      char *nb = realloc(s->cap, nc);
      if (nb == NULL)
        return 0;   /* ckt_session_instances reports the short capture */
      s->cap = nb;
      s->cap_size = nc;
    }
    memcpy(s->cap + s->cap_len, msg, n);
    s->cap_len += n;
    s->cap[s->cap_len++] = '\n';
    s->cap[s->cap_len] = '\0';
    return 0;
  }
  log_append(s, msg);
  const char *m = msg;
  if (strncmp(m, "stderr ", 7) == 0 || strncmp(m, "stdout ", 7) == 0)
    m += 7;
  size_t el = strlen(s->error);
  if (s->error[0] == '\0' && is_error_line(msg)) {
    snprintf(s->error, sizeof s->error, "%s", m);
  } else if (el > 0 && el + 2 < sizeof s->error && s->error[el - 1] == ':') {
    /* "Error on line 2 or its substitute:" -- the detail follows */
    snprintf(s->error + el, sizeof s->error - el, " %s", m);
  }
  return 0;
}

static int cb_stat(char *msg, int id, void *ud)
{
  (void)msg;
  (void)id;
  (void)ud;
  return 0;
}

/* ngspice wants to exit: never let it; remember, report as an error. */
static int cb_exit(int status, NG_BOOL unload, NG_BOOL quit, int id, void *ud)
{
  (void)unload;
  (void)quit;
  (void)id;
  (void)ud;
  ckt_session *s = g_active;
  if (s != NULL) {
    s->exit_requested = 1;
    if (s->error[0] == '\0')
      snprintf(s->error, sizeof s->error,
               "ngspice requested exit (status %d)", status);
  }
  return 0;
}

static int match_vec(const char *vname, const char *want)
{
  if (strcasecmp(vname, want) == 0)
    return 1;
  size_t n = strlen(want);
  return (vname[0] == 'v' || vname[0] == 'V') && vname[1] == '(' &&
         strncasecmp(vname + 2, want, n) == 0 && vname[2 + n] == ')' &&
         vname[3 + n] == '\0';
}

/* One accepted time point: refresh the noise densities from it. */
static int cb_data(pvecvaluesall va, int count, int id, void *ud)
{
  (void)count;
  (void)id;
  (void)ud;
  ckt_session *s = g_active;
  if (s == NULL || va == NULL)
    return 0;
  s->naccepted++;
  const ckt_noise *nz = s->noise;
  if (nz == NULL || nz->update == NULL || nz->n_watch == 0)
    return 0;
  if (!s->watch_mapped) {
    for (size_t w = 0; w < nz->n_watch; w++) {
      s->watch_idx[w] = -1;
      for (int i = 0; i < va->veccount; i++)
        if (match_vec(va->vecsa[i]->name, nz->watch_names[w])) {
          s->watch_idx[w] = i;
          break;
        }
    }
    s->watch_mapped = 1;
  }
  double t_s = 0;
  for (int i = 0; i < va->veccount; i++)
    if (va->vecsa[i]->is_scale) {
      t_s = va->vecsa[i]->creal;
      break;
    }
  for (size_t w = 0; w < nz->n_watch; w++)
    s->watch_V[w] = s->watch_idx[w] >= 0 ? va->vecsa[s->watch_idx[w]]->creal
                                         : 0.0;
  nz->update(nz->ud, t_s, s->watch_V, nz->psd_A2_per_Hz);
  return 0;
}

static int cb_initdata(pvecinfoall vi, int id, void *ud)
{
  (void)vi;
  (void)id;
  (void)ud;
  if (g_active != NULL)
    g_active->watch_mapped = 0;
  return 0;
}

static int cb_bgrun(NG_BOOL not_running, int id, void *ud)
{
  (void)not_running;
  (void)id;
  (void)ud;
  return 0;
}

static int cb_vsrc(double *val, double t, char *name, int id, void *ud)
{
  (void)t;
  (void)name;
  (void)id;
  (void)ud;
  *val = 0.0;  /* no external voltage sources are generated */
  return 0;
}

/* Standard normal number k of stream j: two per Philox block.  Slot 0 is
 * pinned to 0 so the DC operating point (solved at t = 0) is noiseless:
 * a DC noise current into a high-impedance node would bias it by I R. */
static double slot_gauss(uint64_t seed, uint64_t j, uint64_t k)
{
  double g[2];
  if (k == 0)
    return 0.0;
  tk_rng_gauss2_at(seed, j, k >> 1, g);
  return g[k & 1];
}

static int cb_isrc(double *val, double t, char *name, int id, void *ud)
{
  (void)id;
  (void)ud;
  *val = 0.0;
  ckt_session *s = g_active;
  if (s == NULL || s->noise == NULL || name == NULL)
    return 0;
  const ckt_noise *nz = s->noise;
  s->ncallbacks++;
  for (size_t j = 0; j < nz->n_src; j++) {
    if (strcasecmp(name, nz->src_names[j]) != 0)
      continue;
    double psd = nz->psd_A2_per_Hz[j];
    int flk = nz->flk != NULL && nz->flk[j].n > 0 && nz->flk_A2[j] > 0;
    if ((!(psd > 0) && !flk) || !(t >= 0))
      return 0;
    double x = t / nz->nt_s;
    double kf = floor(x);
    double f = x - kf;
    uint64_t k = (uint64_t)kf;
    double g = (1.0 - f) * slot_gauss(nz->seed, j, k) +
               f * slot_gauss(nz->seed, j, k + 1);
    *val = psd > 0 ? sqrt(psd / (2.0 * nz->nt_s)) * g : 0.0;
    if (flk && s->flk_st != NULL) {
      ckt_flk_state *st = &s->flk_st[j];
      uint64_t stream = CKT_FLK_STREAM + j;
      double y1 = ckt_flicker_at(&nz->flk[j], st, nz->seed, stream, k + 1);
      double y0 = ckt_flicker_at(&nz->flk[j], st, nz->seed, stream, k);
      *val += sqrt(nz->flk_A2[j]) * ((1.0 - f) * y0 + f * y1);
    }
    return 0;
  }
  return 0;
}

static int cb_sync(double t, double *dt, double olddt, int redo, int id,
                   int loc, void *ud)
{
  (void)t;
  (void)dt;
  (void)olddt;
  (void)redo;
  (void)id;
  (void)loc;
  (void)ud;
  return 0;
}

static int command(const char *cmd)
{
  char buf[256];
  snprintf(buf, sizeof buf, "%s", cmd);
  return ngSpice_Command(buf);
}

int ckt_session_open(ckt_session **out, tk_err *err)
{
  *out = NULL;
  if (g_active != NULL)
    return TK_FAIL(err, TK_EINVAL,
                   "an ngspice session is already open in this process");
  ckt_session *s = calloc(1, sizeof *s);
  if (s == NULL || (s->log = malloc(LOG_MAX)) == NULL) {
    free(s);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  s->log[0] = '\0';
  g_active = s;
  if (!g_ngspice_ready) {
    int rc = ngSpice_Init(cb_print, cb_stat, cb_exit, cb_data, cb_initdata,
                          cb_bgrun, NULL);
    if (rc != 0) {
      g_active = NULL;
      free(s->log);
      free(s);
      return TK_FAIL(err, TK_ESPICE, "ngSpice_Init failed (%d)", rc);
    }
    int ident = 0;
    ngSpice_Init_Sync(cb_vsrc, cb_isrc, cb_sync, &ident, NULL);
    command("set num_threads=1");
    g_ngspice_ready = 1;
  }
  *out = s;
  return TK_OK;
}

void ckt_session_close(ckt_session *s)
{
  if (s == NULL)
    return;
  command("destroy all");
  command("remcirc");
  if (g_active == s)
    g_active = NULL;
  free(s->watch_idx);
  free(s->watch_V);
  free(s->flk_st);
  free(s->log);
  free(s->cap);
  free(s);
}

static int spice_fail(ckt_session *s, tk_err *err, const char *stage)
{
  if (s->error[0] == '\0')
    snprintf(s->error, sizeof s->error, "ngspice reported a failure");
  return TK_FAIL(err, TK_ESPICE, "ngspice %s: %s", stage, s->error);
}

/* Load lines[0..n) for `noise` (NULL: none); the engine is left with the
 * circuit and without the run's noise. */
static int load(ckt_session *s, const char *const *lines, size_t n,
                const ckt_noise *noise, tk_err *err)
{
  if (s == NULL || lines == NULL || n < 2)
    return TK_FAIL(err, TK_EINVAL, "empty netlist");
  if (strncasecmp(lines[n - 1], ".end", 4) != 0)
    return TK_FAIL(err, TK_EINVAL, "netlist must end with .end");
  if (noise != NULL && !(noise->nt_s > 0))
    return TK_FAIL(err, TK_EINVAL, "noise slot %g s must be > 0", noise->nt_s);
  g_active = s;
  /* Clear the previous run (plots, then circuit). */
  s->noise = NULL;
  command("destroy all");
  command("remcirc");
  s->error[0] = '\0';
  s->log_len = 0;
  s->log[0] = '\0';
  s->exit_requested = 0;
  s->ncallbacks = s->naccepted = 0;
  s->watch_mapped = 0;
  free(s->watch_idx);
  free(s->watch_V);
  s->watch_idx = NULL;
  s->watch_V = NULL;
  free(s->flk_st);
  s->flk_st = NULL;
  if (noise != NULL && noise->flk != NULL) {
    if (noise->flk_A2 == NULL)
      return TK_FAIL(err, TK_EINVAL, "flicker plans without coefficients");
    if ((s->flk_st = calloc(noise->n_src + 1, sizeof *s->flk_st)) == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  if (noise != NULL && noise->n_watch > 0) {
    s->watch_idx = calloc(noise->n_watch, sizeof *s->watch_idx);
    s->watch_V = calloc(noise->n_watch, sizeof *s->watch_V);
    if (s->watch_idx == NULL || s->watch_V == NULL)
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  /* ngSpice_Circ wants a NULL-terminated array of mutable strings. */
  char **arr = calloc(n + 1, sizeof *arr);
  if (arr == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++)
    if ((arr[i] = strdup(lines[i])) == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0) {
    int crc = ngSpice_Circ(arr);
    if (crc != 0 || s->error[0] != '\0' || s->exit_requested)
      rc = spice_fail(s, err, "could not load the netlist");
  }
  for (size_t i = 0; i < n; i++)
    free(arr[i]);
  free(arr);
  return rc;
}

int ckt_session_load(ckt_session *s, const char *const *lines, size_t n,
                     tk_err *err)
{
  return load(s, lines, n, NULL, err);
}

int ckt_session_command(ckt_session *s, const char *cmd, tk_err *err)
{
  if (s == NULL || cmd == NULL || strlen(cmd) >= 256)
    return TK_FAIL(err, TK_EINVAL, "no session or command too long");
  g_active = s;
  s->error[0] = '\0';
  s->exit_requested = 0;
  int rc = command(cmd);
  if (rc != 0 || s->error[0] != '\0' || s->exit_requested)
    return TK_FAIL(err, TK_ESPICE, "ngspice '%s' failed: %s", cmd,
                   s->error[0] ? s->error : "no message");
  return TK_OK;
}

int ckt_session_run(ckt_session *s, const char *const *lines, size_t n,
                    const ckt_noise *noise, tk_err *err)
{
  TK_TRY(load(s, lines, n, noise, err));
  s->noise = noise;
  int rrc = command("run");
  s->noise = NULL;
  if (rrc != 0 || s->error[0] != '\0' || s->exit_requested)
    return spice_fail(s, err, "simulation failed");
  return TK_OK;
}

int ckt_session_vec(ckt_session *s, const char *name, double **data,
                    size_t *n, tk_err *err)
{
  (void)s;  /* the vectors live in ngspice's current plot */
  *data = NULL;
  *n = 0;
  char buf[512];   /* device vectors: "@m.x_tk.m.xi1.mp[gmbs]" */
  if (strlen(name) + 4 >= sizeof buf)
    return TK_FAIL(err, TK_EINVAL, "vector name %s too long", name);
  snprintf(buf, sizeof buf, "%s", name);
  pvector_info vi = ngGet_Vec_Info(buf);
  if (vi == NULL) {
    snprintf(buf, sizeof buf, "v(%s)", name);
    vi = ngGet_Vec_Info(buf);
  }
  if (vi == NULL || vi->v_realdata == NULL || vi->v_length <= 0)
    return TK_FAIL(err, TK_ENOTFOUND, "no real vector '%s' in the last run",
                   name);
  size_t len = (size_t)vi->v_length;
  double *d = malloc(len * sizeof *d);
  if (d == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  memcpy(d, vi->v_realdata, len * sizeof *d);
  *data = d;
  *n = len;
  return TK_OK;
}

const char *ckt_session_error(const ckt_session *s) { return s->error; }

const char *ckt_session_log(const ckt_session *s) { return s->log; }
uint64_t ckt_session_ncallbacks(const ckt_session *s) { return s->ncallbacks; }
uint64_t ckt_session_naccepted(const ckt_session *s) { return s->naccepted; }

void ckt_session_names_free(char **names, size_t n)
{
  if (names == NULL)
    return;
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* `listing expand` prints the loaded deck after subcircuit expansion,
 * one card a line as "  <line> : <card>"; the first card is the title,
 * dot cards are commands.  The other cards are the instances, named by
 * their first words: ngspice's own names for every device of the
 * circuit. */
int ckt_session_instances(ckt_session *s, char ***names, size_t *n,
                          tk_err *err)
{
  *names = NULL;
  *n = 0;
  if (s == NULL)
    return TK_FAIL(err, TK_EINVAL, "no session");
  g_active = s;
  s->cap_len = 0;
  if (s->cap != NULL)
    s->cap[0] = '\0';
  s->capturing = 1;
  int rc = command("listing expand");
  s->capturing = 0;
  if (rc != 0 || s->cap == NULL)
    return TK_FAIL(err, TK_ESPICE, "ngspice 'listing expand' gave nothing");
  char **v = NULL;
  size_t nv = 0, cap = 0;
  int title = 1;
  for (char *line = s->cap; line != NULL && *line;) {
    char *eol = strchr(line, '\n');
    if (eol != NULL)
      *eol = '\0';
    const char *m = line;
    if (strncmp(m, "stdout ", 7) == 0 || strncmp(m, "stderr ", 7) == 0)
      m += 7;
    while (isspace((unsigned char)*m))
      m++;
    const char *colon = strstr(m, " : ");
    int numbered = isdigit((unsigned char)*m) && colon != NULL;
    for (const char *q = m; numbered && q < colon; q++)
      if (!isdigit((unsigned char)*q))
        numbered = 0;
    if (numbered) {
      const char *w = colon + 3;
      while (isspace((unsigned char)*w))
        w++;
      size_t wl = strcspn(w, " \t");
      if (title) {
        title = 0;   /* the title card */
      } else if (wl > 0 && *w != '.' && *w != '*') {
        if (nv == cap) {
          cap = cap ? 2 * cap : 64;
          char **nn = realloc(v, cap * sizeof *nn);
          if (nn == NULL) {
            ckt_session_names_free(v, nv);
            return TK_FAIL(err, TK_ENOMEM, "out of memory");
          }
          v = nn;
        }
        if ((v[nv] = strdup(w)) == NULL) {
          ckt_session_names_free(v, nv);
          return TK_FAIL(err, TK_ENOMEM, "out of memory");
        }
        for (char *q = v[nv]; *q; q++)
          *q = (char)tolower((unsigned char)*q);
        size_t vl = strlen(v[nv]);
        while (vl > 0 && isspace((unsigned char)v[nv][vl - 1]))
          v[nv][--vl] = '\0';
        nv++;
      }
    }
    line = eol ? eol + 1 : NULL;
  }
  if (nv == 0) {
    free(v);
    return TK_FAIL(err, TK_ESPICE, "ngspice lists no device of the loaded "
                   "circuit");
  }
  *names = v;
  *n = nv;
  return TK_OK;
}

int ckt_session_param(ckt_session *s, const char *dev, const char *param,
                      double *value, tk_err *err)
{
  *value = NAN;
  if (s == NULL)
    return TK_FAIL(err, TK_EINVAL, "no session");
  char buf[512];
  if ((size_t)snprintf(buf, sizeof buf, "@%s[%s]", dev, param) >= sizeof buf)
    return TK_FAIL(err, TK_EINVAL, "device name %s too long", dev);
  g_active = s;
  s->capturing = 1;   /* "no such parameter" is an answer, not an error */
  s->cap_len = 0;
  pvector_info vi = ngGet_Vec_Info(buf);
  s->capturing = 0;
  if (vi == NULL || vi->v_realdata == NULL || vi->v_length <= 0)
    return TK_FAIL(err, TK_ENOTFOUND, "ngspice has no parameter %s of %s",
                   param, dev);
  *value = vi->v_realdata[vi->v_length - 1];
  return TK_OK;
}
