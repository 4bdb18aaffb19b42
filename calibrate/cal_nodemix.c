/* cal_nodemix.c -- calibrated maps as mixed-node cell callbacks (see
 * cal_nodemix.h). */
#include "calibrate/cal_nodemix.h"

#include <math.h>
#include <string.h>

int cal_nodemix_cat(void *ctx, uint32_t node, const double *q, double *p,
                    double *dev, tk_err *err)
{
  const cal_nodemix *x = ctx;
  int rc = cal_nodemap_cat_p(x->cat, cal_nodemap_instance(x->cat, node), q,
                             x->clip, p, dev, err);
  return rc == TK_OK ? rc : tk_err_wrap(err, rc, "node %u", node);
}

int cal_nodemix_cont(void *ctx, uint32_t node, double mean, double var,
                     tsu_mixture *out, double *dev, tk_err *err)
{
  (void)var;   /* the cell's widths are its own */
  const cal_nodemix *x = ctx;
  cal_nodemap_gmm_result r;
  int rc = cal_nodemap_gmm_mean(x->gmm, cal_nodemap_instance(x->gmm, node),
                                mean, x->clip, &r, err);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "node %u", node);
  out->w0 = r.w0;
  for (int j = 0; j < 2; j++) {
    out->mu[j] = r.mu_x[j];
    out->sd[j] = r.sd_x[j];
  }
  *dev = r.err;
  return TK_OK;
}

static double tau_of(const cal_nodemap *m)
{
  if (m == NULL)
    return NAN;
  cal_nodemap_info in;
  cal_nodemap_get_info(m, &in);
  return in.tau_s;
}

int cal_nodemix_attach(cal_nodemix *x, tsu_mixed *m, double dt_s,
                       double *hold, tk_err *err)
{
  uint32_t n = m->g->n;
  size_t count[TSU_NODE_N_KINDS] = {0, 0, 0};
  for (uint32_t i = 0; i < n; i++)
    if (m->kind[i] < TSU_NODE_N_KINDS)
      count[m->kind[i]]++;
  if (x->cat != NULL) {
    cal_nodemap_info in;
    cal_nodemap_get_info(x->cat, &in);
    if (count[TSU_NODE_CAT] == 0)
      return TK_FAIL(err, TK_EINVAL, "categorical cell '%s' given, but the "
                     "graph has no categorical node", in.cell);
    if (in.kind != CAL_NODEMAP_CAT || in.K != m->K)
      return TK_FAIL(err, TK_EINVAL, "categorical cell '%s' has %u states; "
                     "the graph's categorical nodes have %u", in.cell, in.K,
                     m->K);
    m->cat_fn = cal_nodemix_cat;
    m->cat_ctx = x;
  }
  if (x->gmm != NULL) {
    cal_nodemap_info in;
    cal_nodemap_get_info(x->gmm, &in);
    if (count[TSU_NODE_CONT] == 0 || in.kind != CAL_NODEMAP_GMM)
      return TK_FAIL(err, TK_EINVAL, "gmm cell '%s' given, but the graph "
                     "has no continuous node", in.cell);
    m->cont_fn = cal_nodemix_cont;
    m->cont_ctx = x;
  }
  if (hold == NULL)
    return TK_OK;
  double tc = tau_of(x->cat), tg = tau_of(x->gmm);
  for (uint32_t i = 0; i < n; i++) {
    double tau = m->kind[i] == TSU_NODE_CAT ? tc
                 : m->kind[i] == TSU_NODE_CONT ? tg
                                               : NAN;
    hold[i] = isfinite(tau) && tau > 0 && dt_s > 0 ? exp(-dt_s / tau) : 0;
  }
  m->hold = hold;
  return TK_OK;
}

/* One update's rng energy for a node with map mp. */
static double update_J(const cal_nodemap *mp, double dt_s, double dflt)
{
  if (mp == NULL)
    return dflt;
  cal_nodemap_info in;
  cal_nodemap_get_info(mp, &in);
  double e = isfinite(in.e_sample_J) && in.e_sample_J > 0 ? in.e_sample_J
                                                           : dflt;
  if (isfinite(in.tau_s) && in.tau_s > 0 && dt_s > in.tau_s)
    e *= dt_s / in.tau_s;
  return e;
}

double cal_nodemix_update_J(const cal_nodemix *x, const tsu_mixed *m,
                            double dt_s, double default_J)
{
  uint32_t n = m->g->n;
  double ec = update_J(x->cat, dt_s, default_J);
  double eg = update_J(x->gmm, dt_s, default_J);
  double s = 0;
  for (uint32_t i = 0; i < n; i++)
    s += m->kind[i] == TSU_NODE_CAT ? ec
         : m->kind[i] == TSU_NODE_CONT ? eg
                                       : default_J;
  return n > 0 ? s / n : default_J;
}
