/* cal_nodemap.c -- chip nodes from calibrated cat4 / gmm2 libraries (see
 * cal_nodemap.h): the library read once through io_celllib, each model
 * parameter interpolated to the chip and design temperatures at load, the
 * categorical inverse delegated to cal_priority_inverse /
 * cal_softmax_inverse (the same inverse as tka_cells_inverse), the gmm
 * weight logistic fitted here.
 */
#include "calibrate/cal_nodemap.h"
#include "calibrate/cal_nodemap_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_fit.h"
#include "calibrate/cal_priority.h"
#include "common/tk_rng.h"
#include "io/io_celllib.h"
#include "io/io_h5.h"


cal_nodemap_params cal_nodemap_default_params(void)
{
  cal_nodemap_params p;
  memset(&p, 0, sizeof p);
  p.design_K = NAN;
  p.mismatch = 1;
  return p;
}

void cal_nodemap_free(cal_nodemap *m)
{
  if (m == NULL)
    return;
  free(m->dv0_V);
  free(m->svs);
  free(m);
}

/* Bracketing temperatures of t: i0, i1 and the weight f of i1. */
static void bracket(const double *T, size_t nt, double t, size_t *i0,
                    size_t *i1, double *f)
{
  *i0 = *i1 = 0;
  *f = 0;
  if (nt < 2 || t <= T[0])
    return;
  if (t >= T[nt - 1]) {
    *i0 = *i1 = nt - 1;
    return;
  }
  size_t i = 0;
  while (i + 2 < nt && T[i + 1] <= t)
    i++;
  *i0 = i;
  *i1 = i + 1;
  *f = (t - T[i]) / (T[i + 1] - T[i]);
}

static double lerp(double a, double b, double f)
{
  return f == 0 ? a : a + f * (b - a);
}

/* The mean of the finite positive entries of row[n] (NaN if none). */
static double row_mean(const double *row, size_t n)
{
  double s = 0;
  size_t c = 0;
  for (size_t i = 0; row != NULL && i < n; i++)
    if (isfinite(row[i]) && row[i] > 0) {
      s += row[i];
      c++;
    }
  return c ? s / (double)c : NAN;
}

/* Categorical: is the priority model usable and better at index t? */
static int prio_better(const io_celllib *L, size_t t)
{
  return L->prio_v0_V != NULL && L->prio_vs_V != NULL &&
         L->prio_chi2_red != NULL && isfinite(L->prio_chi2_red[t]) &&
         !(L->fit_chi2_red != NULL &&
           L->prio_chi2_red[t] >= L->fit_chi2_red[t]);
}

/* Categorical model at temperature index t. */
static void cat_at(const io_celllib *L, size_t t, tmodel *m)
{
  unsigned K = (unsigned)L->n_states;
  memset(m, 0, sizeof *m);
  m->pm.K = m->sm.K = K;
  for (unsigned k = 0; k < K; k++) {
    m->sm.a[k] = L->fit_a[t * K + k];
    m->sm.b_per_V[k] = L->fit_b_per_V[t * K + k];
    if (L->prio_v0_V != NULL && L->prio_vs_V != NULL) {
      m->pm.v0_V[k] = L->prio_v0_V[t * K + k];
      m->pm.vs_V[k] = L->prio_vs_V[t * K + k];
      m->pm.w[k] = L->prio_w != NULL && isfinite(L->prio_w[t * K + k])
                       ? L->prio_w[t * K + k]
                       : 1.0;
    }
  }
}

/* Error-weighted mean of the finite values v[i * stride] (weights
 * 1/e^2 where e is finite and > 0, else 1). */
static double wmean(const double *v, const double *e, size_t n,
                    size_t stride)
{
  double s = 0, sw = 0;
  for (size_t i = 0; i < n; i++) {
    double x = v[i * stride];
    if (!isfinite(x))
      continue;
    double ei = e != NULL ? e[i * stride] : NAN;
    double w = isfinite(ei) && ei > 0 ? 1 / (ei * ei) : 1;
    s += w * x;
    sw += w;
  }
  return sw > 0 ? s / sw : NAN;
}

/* gmm model at temperature index t: modes and the weight logistic. */
static int gmm_at(const io_celllib *L, size_t t, tmodel *m, tk_err *err)
{
  size_t nv = L->nv;
  memset(m, 0, sizeof *m);
  for (int k = 0; k < IO_CELLLIB_GMM; k++)
    if (L->gmm[k] == NULL)
      return TK_FAIL(err, TK_ENOTFOUND, "gmm cell '%s' has no %s (not a "
                     "finished `calibrate --cell gmm2` library)", L->name,
                     io_celllib_gmm_name[k]);
  const double *mu = L->gmm[0] + t * nv * 2, *mue = L->gmm[1] + t * nv * 2;
  const double *sd = L->gmm[2] + t * nv * 2, *sde = L->gmm[3] + t * nv * 2;
  const double *w0 = L->gmm[4] + t * nv, *w0e = L->gmm[5] + t * nv;
  for (int j = 0; j < 2; j++) {
    m->mu_V[j] = wmean(mu + j, mue + j, nv, 2);
    m->sd_V[j] = wmean(sd + j, sde + j, nv, 2);
  }
  /* logit(w0) = a + b V, weighted least squares */
  double S = 0, Sx = 0, Sy = 0, Sxx = 0, Sxy = 0;
  size_t used = 0;
  for (size_t v = 0; v < nv; v++) {
    double x = L->control_V[v * L->n_ctl], w = w0[v], we = w0e[v];
    if (L->point_done != NULL && L->point_done[t * nv + v] != 1)
      continue;
    if (!(isfinite(x) && w > 1e-3 && w < 1 - 1e-3))
      continue;
    double y = log(w / (1 - w));
    double sl = isfinite(we) && we > 0 ? we / (w * (1 - w)) : 1;
    double wt = 1 / (sl * sl);
    S += wt;
    Sx += wt * x;
    Sy += wt * y;
    Sxx += wt * x * x;
    Sxy += wt * x * y;
    used++;
  }
  double den = S * Sxx - Sx * Sx;
  if (used < 2 || !(fabs(den) > 0))
    return TK_FAIL(err, TK_ENOTFOUND, "gmm cell '%s' at %g K: %zu control "
                   "points with both modes held; the weight control needs "
                   ">= 2", L->name, L->temperature_K[t], used);
  double b = (S * Sxy - Sx * Sy) / den, a = (Sy - b * Sx) / S;
  if (!(fabs(b) > 0) || !isfinite(b) || !isfinite(m->mu_V[0]) ||
      !isfinite(m->mu_V[1]) || !(m->mu_V[1] > m->mu_V[0]) ||
      !(m->sd_V[0] > 0) || !(m->sd_V[1] > 0))
    return TK_FAIL(err, TK_ENOTFOUND, "gmm cell '%s' at %g K: no usable "
                   "two-mode fit (weight slope %g per V, modes %g, %g V)",
                   L->name, L->temperature_K[t], b, m->mu_V[0], m->mu_V[1]);
  m->w_vs_V = 1 / b;
  m->w_v0_V = -a / b;
  return TK_OK;
}

static void tmodel_lerp(const tmodel *a, const tmodel *b, double f,
                        tmodel *o)
{
  *o = *a;
  if (f == 0)
    return;
  for (unsigned k = 0; k < a->pm.K; k++) {
    o->pm.v0_V[k] = lerp(a->pm.v0_V[k], b->pm.v0_V[k], f);
    o->pm.vs_V[k] = lerp(a->pm.vs_V[k], b->pm.vs_V[k], f);
    o->pm.w[k] = lerp(a->pm.w[k], b->pm.w[k], f);
    o->sm.a[k] = lerp(a->sm.a[k], b->sm.a[k], f);
    o->sm.b_per_V[k] = lerp(a->sm.b_per_V[k], b->sm.b_per_V[k], f);
  }
  for (int j = 0; j < 2; j++) {
    o->mu_V[j] = lerp(a->mu_V[j], b->mu_V[j], f);
    o->sd_V[j] = lerp(a->sd_V[j], b->sd_V[j], f);
  }
  o->w_v0_V = lerp(a->w_v0_V, b->w_v0_V, f);
  o->w_vs_V = lerp(a->w_vs_V, b->w_vs_V, f);
}

/* The model at temp_K (inside the span, checked by the caller). */
static int model_at(const io_celllib *L, cal_nodemap_kind kind, double t,
                    tmodel *o, tk_err *err)
{
  size_t i0, i1;
  double f;
  bracket(L->temperature_K, L->nt, t, &i0, &i1, &f);
  tmodel a, b;
  if (kind == CAL_NODEMAP_CAT) {
    cat_at(L, i0, &a);
    cat_at(L, i1, &b);
  } else {
    TK_TRY(gmm_at(L, i0, &a, err));
    TK_TRY(gmm_at(L, i1, &b, err));
  }
  tmodel_lerp(&a, &b, f, o);
  return TK_OK;
}

/* A per-temperature [nT] quantity at t (NaN entries skipped). */
static double per_temp(const io_celllib *L, const double *v, double t)
{
  if (v == NULL)
    return NAN;
  size_t i0, i1;
  double f;
  bracket(L->temperature_K, L->nt, t, &i0, &i1, &f);
  if (!isfinite(v[i0]))
    return v[i1];
  if (!isfinite(v[i1]))
    return v[i0];
  return lerp(v[i0], v[i1], f);
}

/* The same from the row means of an [nT, nV] array. */
static double per_temp_rows(const io_celllib *L, const double *v, double t)
{
  if (v == NULL)
    return NAN;
  size_t i0, i1;
  double f;
  bracket(L->temperature_K, L->nt, t, &i0, &i1, &f);
  double a = row_mean(v + i0 * L->nv, L->nv);
  double b = row_mean(v + i1 * L->nv, L->nv);
  if (!isfinite(a))
    return b;
  if (!isfinite(b))
    return a;
  return lerp(a, b, f);
}

/* mismatch/: instance shifts and scales at t. */
static int load_instances(const io_celllib *L, double t, cal_nodemap *m,
                          int use, tk_err *err)
{
  size_t N = use && L->mm_inst_v0_V != NULL && L->mm_inst_vs_V != NULL
                 ? L->n_inst
                 : 0;
  m->n_inst = N ? N : 1;
  m->dv0_V = calloc(m->n_inst, sizeof *m->dv0_V);
  m->svs = malloc(m->n_inst * sizeof *m->svs);
  if (m->dv0_V == NULL || m->svs == NULL)
    return TK_FAIL(err, TK_ENOMEM, "node map instances");
  m->svs[0] = 1;
  if (N == 0)
    return TK_OK;
  size_t i0, i1;
  double f;
  bracket(L->temperature_K, L->nt, t, &i0, &i1, &f);
  for (int pass = 0; pass < 2; pass++) {
    size_t ti = pass ? i1 : i0;
    double wt = pass ? f : 1 - f;
    if (wt == 0)
      continue;
    const double *v0 = L->mm_inst_v0_V + ti * N, *vs = L->mm_inst_vs_V + ti * N;
    double m0 = 0, ms = 0;
    size_t c = 0;
    for (size_t j = 0; j < N; j++)
      if (isfinite(v0[j]) && isfinite(vs[j]) && vs[j] > 0) {
        m0 += v0[j];
        ms += vs[j];
        c++;
      }
    if (c == 0)
      continue;
    m0 /= (double)c;
    ms /= (double)c;
    for (size_t j = 0; j < N; j++) {
      int ok = isfinite(v0[j]) && isfinite(vs[j]) && vs[j] > 0;
      m->dv0_V[j] += wt * (ok ? v0[j] - m0 : 0);
      m->svs[j] = (pass ? m->svs[j] : 0) + wt * (ok ? vs[j] / ms : 1);
    }
  }
  for (size_t j = 0; j < N; j++)
    if (!(m->svs[j] > 0))
      m->svs[j] = 1;
  return TK_OK;
}

/* The cell to read: want, or the only one of the file. */
static int pick(io_file *f, const char *path, const char *want, char *name,
                size_t size, char *kind, tk_err *err)
{
  char **names = NULL;
  char (*kinds)[32] = NULL;
  size_t n = 0;
  TK_TRY(io_celllib_list(f, &names, &kinds, &n, err));
  int rc = TK_OK;
  size_t hit = n;
  for (size_t i = 0; i < n; i++)
    if (want == NULL ? n == 1 : strcmp(names[i], want) == 0)
      hit = i;
  if (hit < n) {
    snprintf(name, size, "%s", names[hit]);
    snprintf(kind, 32, "%s", kinds[hit]);
  } else {
    char list[512] = "";
    for (size_t i = 0; i < n; i++)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
               i ? ", " : "", names[i]);
    rc = want != NULL
             ? TK_FAIL(err, TK_ENOTFOUND, "%s has no cell '%s' (it holds: %s)",
                       path, want, n ? list : "none")
             : TK_FAIL(err, n ? TK_EINVAL : TK_ENOTFOUND, "%s holds %zu "
                       "cells (%s): name one", path, n, n ? list : "none");
  }
  io_names_free(names, n);
  free(kinds);
  return rc;
}

static int read_lib(const cal_nodemap_params *p, io_celllib *L, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(p->cells, &f, err));
  char kind[64] = "", name[128], ckind[32] = "";
  int rc = TK_OK;
  if (io_get_attr_str(f, "/", "kind", kind, sizeof kind, NULL) != 0 ||
      strcmp(kind, "cells") != 0)
    rc = TK_FAIL(err, TK_EINVAL, "%s is not a cell library (its root "
                 "attribute kind is '%s', a library's is 'cells')", p->cells,
                 kind[0] ? kind : "absent");
  if (rc == TK_OK)
    rc = pick(f, p->cells, p->cell, name, sizeof name, ckind, err);
  if (rc == TK_OK)
    rc = io_celllib_read(f, name, L, err);
  io_file_close(f);
  return rc;
}

static int build(const cal_nodemap_params *p, const io_celllib *L,
                 cal_nodemap *m, tk_err *err)
{
  cal_nodemap_info *in = &m->info;
  cal_nodemap_kind kind;
  if (strcmp(L->kind, "categorical") == 0)
    kind = CAL_NODEMAP_CAT;
  else if (strcmp(L->kind, "gmm") == 0)
    kind = CAL_NODEMAP_GMM;
  else
    return TK_FAIL(err, TK_EINVAL, "cell '%s' of %s is a %s cell; chip "
                   "nodes map categorical (cat4) and gmm (gmm2) cells%s",
                   L->name, p->cells, L->kind[0] ? L->kind : "(kindless)",
                   strcmp(L->kind, "pbit") == 0
                       ? " (pbit libraries drive spin nodes)"
                       : "");
  if (p->want != 0 && (int)kind != p->want)
    return TK_FAIL(err, TK_EINVAL, "cell '%s' of %s is a %s cell; this "
                   "needs a %s cell", L->name, p->cells, L->kind,
                   cal__nodemap_kind_word((cal_nodemap_kind)p->want));
  if (L->temperature_K == NULL || L->nt == 0 || L->control_V == NULL ||
      L->nv == 0)
    return TK_FAIL(err, TK_EFORMAT, "%s: cell '%s' has no temperature_K "
                   "or control_V", p->cells, L->name);
  in->kind = kind;
  snprintf(in->cell, sizeof in->cell, "%s", L->name);
  in->K = kind == CAL_NODEMAP_CAT ? (unsigned)L->n_states : 2;
  if (kind == CAL_NODEMAP_CAT) {
    if (in->K < 2 || in->K > CAL_MAX_STATES || L->n_ctl != in->K)
      return TK_FAIL(err, TK_EFORMAT, "cell '%s': %u states, %zu controls",
                     L->name, in->K, L->n_ctl);
    if (L->fit_a == NULL || L->fit_b_per_V == NULL)
      return TK_FAIL(err, TK_ENOTFOUND, "cell '%s' of %s has no "
                     "categorical fit (an unfinished sweep?)", L->name,
                     p->cells);
  }
  in->temp_K = p->temp_K;
  in->design_K = isnan(p->design_K) ? p->temp_K : p->design_K;
  in->t_min_K = L->temperature_K[0];
  in->t_max_K = L->temperature_K[L->nt - 1];
  double lo = in->t_min_K - CAL_NODEMAP_MARGIN_K;
  double hi = in->t_max_K + CAL_NODEMAP_MARGIN_K;
  if (!(p->temp_K >= lo && p->temp_K <= hi))
    return TK_FAIL(err, TK_ERANGE, "temperature %g K is outside the "
                   "calibrated span %g..%g K (+- %g K) of cell '%s'",
                   p->temp_K, in->t_min_K, in->t_max_K, CAL_NODEMAP_MARGIN_K,
                   L->name);
  if (!(in->design_K >= lo && in->design_K <= hi))
    return TK_FAIL(err, TK_ERANGE, "design temperature %g K is outside the "
                   "calibrated span %g..%g K (+- %g K) of cell '%s'",
                   in->design_K, in->t_min_K, in->t_max_K,
                   CAL_NODEMAP_MARGIN_K, L->name);
  in->vmin_V = INFINITY;
  in->vmax_V = -INFINITY;
  for (size_t i = 0; i < L->nv * L->n_ctl; i++)
    if (isfinite(L->control_V[i])) {
      in->vmin_V = fmin(in->vmin_V, L->control_V[i]);
      in->vmax_V = fmax(in->vmax_V, L->control_V[i]);
    }
  if (kind == CAL_NODEMAP_CAT) {
    size_t i0, i1, j0, j1;
    double f;
    bracket(L->temperature_K, L->nt, in->temp_K, &i0, &i1, &f);
    bracket(L->temperature_K, L->nt, in->design_K, &j0, &j1, &f);
    in->priority = prio_better(L, i0) && prio_better(L, i1) &&
                   prio_better(L, j0) && prio_better(L, j1);
    in->tau_s = per_temp(L, L->fit_tau_op_s, in->temp_K);
  } else {
    in->tau_s = per_temp_rows(L, L->tau_s, in->temp_K);
  }
  if (!isfinite(in->tau_s) && kind == CAL_NODEMAP_CAT)
    in->tau_s = per_temp_rows(L, L->tau_s, in->temp_K);
  in->e_sample_J = per_temp_rows(L, L->energy_J, in->temp_K);
  TK_TRY(model_at(L, kind, in->temp_K, &m->chip, err));
  TK_TRY(model_at(L, kind, in->design_K, &m->design, err));
  TK_TRY(load_instances(L, in->temp_K, m, p->mismatch, err));
  in->n_instances = m->n_inst;
  m->seed = p->seed;
  if (kind == CAL_NODEMAP_CAT && in->priority &&
      fabs(in->design_K - in->temp_K) < 1e-9) {
    const cal_priority_model *d = &m->design.pm;
    m->fast = 1;
    for (unsigned k = 0; k < in->K; k++) {
      if (!(d->vs_V[k] > 0))
        m->fast = 0;
      m->plo[k] =
          cal__nodemap_sigmoid((in->vmin_V - d->v0_V[k]) / d->vs_V[k]);
      m->phi[k] =
          cal__nodemap_sigmoid((in->vmax_V - d->v0_V[k]) / d->vs_V[k]);
    }
    for (int i = 0; i <= LAM_N; i++)
      m->lam[i] = exp(LAM_LO + LAM_SPAN * i / LAM_N);
  }
  if (kind == CAL_NODEMAP_CAT && in->priority && !p->direct) {
    const cal_priority_model *d = &m->design.pm;
    m->brk = 1;
    for (unsigned k = 0; k < in->K; k++) {
      if (!(d->vs_V[k] > 0) || !isfinite(d->v0_V[k]))
        m->brk = 0;
      m->dlo[k] =
          cal__nodemap_sigmoid((in->vmin_V - d->v0_V[k]) / d->vs_V[k]);
      m->dhi[k] =
          cal__nodemap_sigmoid((in->vmax_V - d->v0_V[k]) / d->vs_V[k]);
      m->dw[k] = d->w[k] > 0 ? d->w[k] : 1.0;
    }
    for (int i = 0; i <= INV_N; i++)
      m->lamg[i] = exp(-18.0 + 36.0 * i / INV_N);
  }
  if (kind == CAL_NODEMAP_GMM) {
    const tmodel *c = &m->chip, *d = &m->design;
    for (int j = 0; j < 2; j++) {
      in->mu_V[j] = c->mu_V[j];
      in->sd_V[j] = c->sd_V[j];
    }
    in->w_v0_V = c->w_v0_V;
    in->w_vs_V = c->w_vs_V;
    double wa = cal__nodemap_sigmoid((in->vmin_V - d->w_v0_V) / d->w_vs_V);
    double wb = cal__nodemap_sigmoid((in->vmax_V - d->w_v0_V) / d->w_vs_V);
    in->w0_min = fmin(wa, wb);
    in->w0_max = fmax(wa, wb);
    in->centre_V = 0.5 * (d->mu_V[0] + d->mu_V[1]);
    in->half_V = 0.5 * (d->mu_V[1] - d->mu_V[0]);
  } else {
    in->mu_V[0] = in->mu_V[1] = in->sd_V[0] = in->sd_V[1] = NAN;
    in->w_v0_V = in->w_vs_V = in->w0_min = in->w0_max = NAN;
    in->centre_V = in->half_V = NAN;
  }
  return TK_OK;
}

int cal_nodemap_load(const cal_nodemap_params *p, cal_nodemap **out,
                     tk_err *err)
{
  if (p == NULL || out == NULL || p->cells == NULL)
    return TK_FAIL(err, TK_EINVAL, "node map: a cell library is required");
  *out = NULL;
  if (!isfinite(p->temp_K) || p->temp_K <= 0)
    return TK_FAIL(err, TK_EINVAL, "node map: temperature %g K", p->temp_K);
  if (p->want != 0 && p->want != CAL_NODEMAP_CAT &&
      p->want != CAL_NODEMAP_GMM)
    return TK_FAIL(err, TK_EINVAL, "node map: kind %d", p->want);
  io_celllib L;
  io_celllib_init(&L);
  cal_nodemap *m = calloc(1, sizeof *m);
  int rc = m != NULL ? TK_OK : TK_FAIL(err, TK_ENOMEM, "node map");
  if (rc == TK_OK)
    rc = read_lib(p, &L, err);
  if (rc == TK_OK)
    rc = build(p, &L, m, err);
  io_celllib_clear(&L);
  if (rc != TK_OK) {
    cal_nodemap_free(m);
    return rc;
  }
  *out = m;
  return TK_OK;
}

void cal_nodemap_get_info(const cal_nodemap *m, cal_nodemap_info *out)
{
  *out = m->info;
}

size_t cal_nodemap_instance(const cal_nodemap *m, size_t node)
{
  if (m->n_inst <= 1)
    return 0;
  if (m->seed == 0)
    return node % m->n_inst;
  size_t j = (size_t)(tk_rng_uniform_at(m->seed, INST_STREAM, node) *
                      (double)m->n_inst);
  return j < m->n_inst ? j : m->n_inst - 1;
}
