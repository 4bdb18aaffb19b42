/* phys_sde.c -- linearly-implicit Euler for small cells with device
 * charges (see phys_sde.h): parameters, the checks of a batch and the
 * choice of lane kernel (physics/phys_sde_lanes_impl.h).
 *
 * Workload: 10^4-10^6 fixed steps of a cell with <= 64 free nodes and a
 * few tens of devices; per step one evaluation of every device (current,
 * its four partial derivatives, noise PSD), one dense LU of the free
 * nodes' matrix and one solve, for one instance (phys_sde_run) or four in
 * the lanes of a vector (phys_sde_run_batch).  All scratch is allocated
 * once per run.
 */
#include "physics/phys_sde.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/phys_sde_impl.h"

/* The fewest instances auto runs as one group of lanes. */
#define PHYS_SDE_MIN_GROUP 3

phys_sde_params phys_sde_default_params(void)
{
  phys_sde_params p;
  p.t_stop_s = 1e-6;
  p.sample_dt_s = 2e-9;
  p.dt_s = 0.5e-9;
  p.cap_refresh_V = 10e-3;
  p.temp_K = 300.0;
  p.seed = 1;
  p.noise = 1;
  p.noise_scale = 1;
  p.max_step_V = 0.1;
  return p;
}

int phys_sde_check(const phys_sde_params *p, tk_err *err)
{
  if (p == NULL)
    return TK_FAIL(err, TK_EINVAL, "no solver parameters");
  if (!(p->t_stop_s > 0) || !isfinite(p->t_stop_s))
    return TK_FAIL(err, TK_ERANGE, "stop time %g s must be > 0", p->t_stop_s);
  if (!(p->sample_dt_s > 0) || !isfinite(p->sample_dt_s))
    return TK_FAIL(err, TK_ERANGE, "sample interval %g s must be > 0",
                   p->sample_dt_s);
  if (!(p->dt_s > 0) || !(p->dt_s <= p->sample_dt_s * (1 + 1e-12)))
    return TK_FAIL(err, TK_ERANGE, "step %g s must be in (0, sample interval]",
                   p->dt_s);
  if (p->t_stop_s / p->dt_s > 1e12)
    return TK_FAIL(err, TK_ERANGE, "more than 1e12 steps");
  if (!(p->cap_refresh_V > 0) || !isfinite(p->cap_refresh_V))
    return TK_FAIL(err, TK_ERANGE, "capacitance refresh %g V must be > 0",
                   p->cap_refresh_V);
  if (!(p->temp_K > 0) || !isfinite(p->temp_K))
    return TK_FAIL(err, TK_ERANGE, "temperature %g K must be > 0", p->temp_K);
  if (!(p->noise_scale > 0) || !isfinite(p->noise_scale))
    return TK_FAIL(err, TK_ERANGE, "noise scale %g must be > 0",
                   p->noise_scale);
  if (!(p->max_step_V > 0))
    return TK_FAIL(err, TK_ERANGE, "largest move per step %g V must be > 0",
                   p->max_step_V);
  return TK_OK;
}


int phys_sde_path_available(phys_sde_path path)
{
  if (path != PHYS_SDE_PATH_AVX2)
    return 1;
#if defined(__x86_64__) && defined(__GNUC__)
  return phys__sde_lanes4_avx2 != NULL && __builtin_cpu_supports("avx2");
#else
  return 0;
#endif
}

const char *phys_sde_path_name(phys_sde_path path)
{
  switch (path) {
  case PHYS_SDE_PATH_SCALAR:
    return "scalar";
  case PHYS_SDE_PATH_LANES:
    return "lanes4";
  case PHYS_SDE_PATH_AVX2:
    return "lanes4-avx2";
  case PHYS_SDE_PATH_AUTO:
  default:
    break;
  }
  return phys_sde_path_available(PHYS_SDE_PATH_AVX2) ? "lanes4-avx2"
                                                     : "lanes4";
}

int phys_sde_path_parse(const char *s, phys_sde_path *path, tk_err *err)
{
  static const char *const names[] = {"auto", "scalar", "lanes4",
                                      "lanes4-avx2"};
  for (int i = 0; i < 4; i++)
    if (s != NULL && strcmp(s, names[i]) == 0) {
      *path = (phys_sde_path)i;
      return TK_OK;
    }
  return TK_FAIL(err, TK_EINVAL, "unknown integrator path '%s' (auto, "
                 "scalar, lanes4, lanes4-avx2)", s ? s : "");
}

/* Cell b has a's topology: the same nodes (fixed, supply), devices and
 * terminals, and noise switches; values may differ. */
static int same_topology(const phys_cell *a, const phys_cell *b, tk_err *err)
{
  if (a->n_nodes != b->n_nodes || a->n_mos != b->n_mos ||
      a->n_res != b->n_res)
    return TK_FAIL(err, TK_EINVAL, "%zu nodes, %zu MOSFETs, %zu resistors "
                   "against instance 0's %zu, %zu, %zu (a batch is one "
                   "circuit)", b->n_nodes, b->n_mos, b->n_res,
                   a->n_nodes, a->n_mos, a->n_res);
  for (size_t i = 0; i < a->n_nodes; i++)
    if (a->nodes[i].fixed != b->nodes[i].fixed ||
        a->nodes[i].is_supply != b->nodes[i].is_supply)
      return TK_FAIL(err, TK_EINVAL, "node %s is not of instance 0's "
                     "kind (a batch is one circuit)", b->nodes[i].name);
  for (size_t k = 0; k < a->n_mos; k++) {
    const phys_mos *x = &a->mos[k], *y = &b->mos[k];
    if (x->d != y->d || x->g != y->g || x->s != y->s || x->b != y->b ||
        x->noisy != y->noisy)
      return TK_FAIL(err, TK_EINVAL, "MOSFET %s is not connected as "
                     "instance 0's (a batch is one circuit)", y->name);
  }
  for (size_t k = 0; k < a->n_res; k++) {
    const phys_res *x = &a->res[k], *y = &b->res[k];
    if (x->a != y->a || x->b != y->b || x->noisy != y->noisy)
      return TK_FAIL(err, TK_EINVAL, "resistor %s is not connected as "
                     "instance 0's (a batch is one circuit)", y->name);
  }
  return TK_OK;
}

static int same_params(const phys_sde_params *a, const phys_sde_params *b)
{
  return a->t_stop_s == b->t_stop_s && a->sample_dt_s == b->sample_dt_s &&
         a->dt_s == b->dt_s && a->cap_refresh_V == b->cap_refresh_V &&
         a->temp_K == b->temp_K && a->noise == b->noise &&
         a->noise_scale == b->noise_scale &&
         (a->max_step_V == b->max_step_V ||
          (isnan(a->max_step_V) && isnan(b->max_step_V)));
}

/* Checks of one instance (phys_sde_run's, in its words). */
static int check_one(const phys_cell *c, const phys_mos_cv *cv,
                     const phys_sde_params *p, tk_err *err)
{
  TK_TRY(phys_sde_check(p, err));
  TK_TRY(phys_cell_check(c, err));
  for (size_t k = 0; cv != NULL && k < c->n_mos; k++) {
    tk_err sub = {0};
    if (phys_mos_cv_check(&cv[k], &sub) != 0)
      return TK_FAIL(err, sub.status, "device %s: %s", c->mos[k].name, sub.msg);
  }
  size_t nf = 0;
  for (size_t i = 0; i < c->n_nodes; i++)
    nf += !c->nodes[i].fixed;
  if (nf == 0 || nf > PHYS_SDE_MAX_FREE)
    return TK_FAIL(err, TK_ERANGE, "%zu free nodes (1..%d)", nf,
                   PHYS_SDE_MAX_FREE);
  size_t per = (size_t)llround(p->sample_dt_s / p->dt_s);
  if (per < 1 || fabs((double)per * p->dt_s - p->sample_dt_s) > 1e-9 * p->sample_dt_s)
    return TK_FAIL(err, TK_ERANGE, "sample interval %g s is not a multiple "
                   "of the step %g s", p->sample_dt_s, p->dt_s);
  return TK_OK;
}

static int alloc_result(phys_lgv_result *r, size_t ns, size_t nn, tk_err *err)
{
  memset(r, 0, sizeof *r);
  r->time_s = malloc(ns * sizeof *r->time_s);
  r->v_V = malloc(ns * nn * sizeof *r->v_V);
  if (r->time_s == NULL || r->v_V == NULL) {
    phys_lgv_result_free(r);
    return TK_FAIL(err, TK_ENOMEM, "out of memory for %zu samples x %zu nodes",
                   ns, nn);
  }
  r->n_samples = ns;
  r->n_nodes = nn;
  return TK_OK;
}

int phys_sde_run_batch(const phys_cell *const *c,
                       const phys_mos_cv *const *cv,
                       const phys_sde_params *p, size_t n, phys_sde_path path,
                       phys_lgv_result *out, int *rc, tk_err *errs,
                       tk_err *err)
{
  if (n == 0 || c == NULL || p == NULL || out == NULL || rc == NULL ||
      errs == NULL)
    return TK_FAIL(err, TK_EINVAL, "empty batch");
  for (size_t i = 0; i < n; i++) {
    memset(&out[i], 0, sizeof out[i]);
    rc[i] = 0;
    tk_err_clear(&errs[i]);
  }
  for (size_t i = 0; i < n; i++) {
    tk_err sub = {0};
    if (check_one(c[i], cv != NULL ? cv[i] : NULL, &p[i], &sub) != 0 ||
        (i > 0 && same_topology(c[0], c[i], &sub) != 0))
      return n > 1 ? TK_FAIL(err, sub.status, "instance %zu: %s", i, sub.msg)
                   : (err != NULL ? (*err = sub, sub.status) : sub.status);
    if (cv != NULL && cv[i] == NULL)
      return TK_FAIL(err, TK_EINVAL, "instance %zu: no charge parameters "
                     "(a batch has them for every instance or none)", i);
    if (i > 0 && !same_params(&p[0], &p[i]))
      return TK_FAIL(err, TK_EINVAL, "instance %zu: integrator parameters "
                     "differ from instance 0's (only the seed may)", i);
  }
  phys__sde_kernel kern = phys__sde_lanes4;
  size_t lanes = PHYS_SDE_LANES;
  const char *name = phys_sde_path_name(path);
  if (path == PHYS_SDE_PATH_SCALAR) {
    kern = phys__sde_lanes1;
    lanes = 1;
  } else if (strcmp(name, "lanes4-avx2") == 0) {
    if (!phys_sde_path_available(PHYS_SDE_PATH_AVX2))
      return TK_FAIL(err, TK_EUNSUPPORTED, "integrator path lanes4-avx2: "
                     "this CPU or build has no AVX2");
    kern = phys__sde_lanes4_avx2;
  }
  if (kern == NULL)
    return TK_FAIL(err, TK_EUNSUPPORTED, "integrator path %s: not built", name);
  const size_t ns = (size_t)floor(p[0].t_stop_s / p[0].sample_dt_s + 1e-9) + 1;
  const size_t nn = c[0]->n_nodes;
  for (size_t i = 0; i < n; i++)
    if (alloc_result(&out[i], ns, nn, err) != 0) {
      for (size_t j = 0; j < i; j++)
        phys_lgv_result_free(&out[j]);
      return TK_ENOMEM;
    }
  /* groups of `lanes`; a short last group fills its lanes with copies of
   * its last instance, whose results are thrown away */
  phys_lgv_result pad[PHYS_SDE_LANES];
  int status = TK_OK;
  for (size_t g0 = 0; g0 < n && status == TK_OK; g0 += lanes) {
    /* auto: one or two instances left run one lane at a time (a padded
     * lane costs a whole instance's libm calls; the bits are the same) */
    if (path == PHYS_SDE_PATH_AUTO && n - g0 < PHYS_SDE_MIN_GROUP) {
      kern = phys__sde_lanes1;
      lanes = 1;
    }
    const phys_cell *cl[PHYS_SDE_LANES];
    const phys_mos_cv *cvl[PHYS_SDE_LANES];
    const phys_sde_params *pl[PHYS_SDE_LANES];
    phys_lgv_result *ol[PHYS_SDE_LANES];
    int rcl[PHYS_SDE_LANES];
    tk_err el[PHYS_SDE_LANES];
    size_t npad = 0;
    for (size_t l = 0; l < lanes; l++) {
      size_t i = g0 + l < n ? g0 + l : n - 1;
      cl[l] = c[i];
      cvl[l] = cv != NULL ? cv[i] : NULL;
      pl[l] = &p[i];
      if (g0 + l < n) {
        ol[l] = &out[i];
      } else {
        if (alloc_result(&pad[npad], ns, nn, err) != 0) {
          status = TK_ENOMEM;
          break;
        }
        ol[l] = &pad[npad++];
      }
      memset(&el[l], 0, sizeof el[l]);
    }
    if (status == TK_OK)
      status = kern(cl, cvl, pl, ol, rcl, el, err);
    for (size_t l = 0; l < lanes && g0 + l < n && status == TK_OK; l++) {
      rc[g0 + l] = rcl[l];
      errs[g0 + l] = el[l];
    }
    for (size_t j = 0; j < npad; j++)
      phys_lgv_result_free(&pad[j]);
  }
  for (size_t i = 0; i < n; i++)
    if (status != TK_OK || rc[i] != 0)
      phys_lgv_result_free(&out[i]);
  return status;
}

int phys_sde_run(const phys_cell *c, const phys_mos_cv *cv,
                 const phys_sde_params *p, phys_lgv_result *out, tk_err *err)
{
  memset(out, 0, sizeof *out);
  int rc = 0;
  tk_err e;
  memset(&e, 0, sizeof e);
  const phys_mos_cv *cvs[1] = {cv};
  TK_TRY(phys_sde_run_batch(&c, cv != NULL ? cvs : NULL, p, 1,
                            PHYS_SDE_PATH_SCALAR, out, &rc, &e, err));
  if (rc != 0 && err != NULL)
    *err = e;
  return rc;
}
