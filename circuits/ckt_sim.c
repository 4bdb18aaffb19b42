/* ckt_sim.c -- phys_cell + noise through ngspice (see ckt_sim.h).
 *
 * Workload: one run per call; the per-accepted-point work here is one EKV
 * evaluation per noisy device (a few tens of flops each).
 */
#define _GNU_SOURCE 1  /* asprintf */
#include "circuits/ckt_sim.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/ckt_names_impl.h"
#include "physics/phys_const.h"
#include "physics/phys_mosfet.h"
#include "physics/phys_noise.h"

double ckt_mos_noise_psd(double id_A, double gds_S, double temp_K)
{
  if (!isfinite(id_A) || !isfinite(gds_S) || !(gds_S > 0))
    return NAN;
  double i_r = phys_vt_V(temp_K) * gds_S;
  return phys_noise_shot_psd(fabs(id_A) + i_r, i_r);
}

/* Long-channel charge-based (EKV) channel thermal noise (ckt_sim.h).
 * From I_D and gm + gmbs the sum of the normalised mobile charges at the
 * two ends, s = q_f + q_r = I_D / (U_T (gm + gmbs)) - 1 (EKV:
 * I = I_spec (q^2 + q) per end, n gm = G_spec (q_f - q_r)); from V_DS
 * their difference d, 2 d + ln((s + d)/(s - d)) = V_DS / U_T (the EKV
 * charge-voltage relation at both ends).  The density is Klaassen-Prins,
 * 4kT mu |Q_inv| / L^2 = 4kT G_spec N, N = [(2/3)(q_f^2 + q_f q_r + q_r^2)
 * + (q_f + q_r)/2] / (q_f + q_r + 1), written with the device's own
 * source transconductance g_ms = gm + gmbs + gds = G_spec q_f:
 *     S = 4kT g_ms N / q_f.
 * N / q_f is 1 at V_DS = 0 (S = 4kT g_ds: fluctuation-dissipation with
 * the model card's own conductance, at any inversion), 1/2 in weak
 * inversion and saturation (S = 2kT g_ms = 2qI), 2/3 in strong inversion
 * and saturation (S = (8/3) kT n gm).  A poorly known s moves N / q_f
 * only inside [1/2, 1].  NaN when the inputs are not finite or g_ms <= 0. */
double ckt_mos_charge_psd(double id_A, double gm_S, double gds_S,
                          double gmbs_S, double vds_V, double temp_K)
{
  if (!isfinite(id_A) || !isfinite(gm_S) || !isfinite(gds_S) ||
      !isfinite(gmbs_S) || !isfinite(vds_V) || !(temp_K > 0))
    return NAN;
  double ut = phys_vt_V(temp_K), g = fabs(gm_S) + fabs(gmbs_S);
  double gms = g + fabs(gds_S), v = fabs(vds_V) / ut, r;
  if (!(gms > 0))
    return NAN;
  double sum = g > 0 ? fabs(id_A) / (ut * g) - 1.0 : 0.0;
  if (!isfinite(sum) || sum < 1e-9) {
    r = 0.5 * (1.0 + exp(-v));   /* weak inversion: q_r / q_f = e^-v */
  } else {
    double lo = 0, hi = sum, d = 0;
    for (int i = 0; i < 80; i++) {   /* bisection: f is increasing */
      d = 0.5 * (lo + hi);
      double f = 2 * d + log((sum + d) / (sum - d)) - v;
      if (f > 0)
        hi = d;
      else
        lo = d;
    }
    double qf = 0.5 * (sum + d), qr = 0.5 * (sum - d);
    double n = ((2.0 / 3.0) * (qf * qf + qf * qr + qr * qr) +
                0.5 * (qf + qr)) / (qf + qr + 1.0);
    r = qf > 0 ? n / qf : 1.0;
  }
  return 4.0 * phys_kt_J(temp_K) * gms * r;
}

double ckt_diode_rs_psd(double id_A, double gd_S, double r_ohm,
                        double temp_K)
{
  if (!isfinite(id_A) || !isfinite(gd_S) || !(r_ohm >= 0) || !(temp_K > 0))
    return NAN;
  double g = fabs(gd_S), d = 1 + r_ohm * g;
  return (2.0 * PHYS_Q_C * fabs(id_A) +
          4.0 * phys_kt_J(temp_K) * r_ohm * g * g) / (d * d);
}

/* Density of one source from its watched device values x[nvec]. */
static double dev_psd(const ckt_noise_dev *d, const double *x, double temp_K)
{
  switch (d->model) {
  case CKT_NZ_TWOFLUX:
    return ckt_mos_noise_psd(x[0], x[1], temp_K);
  case CKT_NZ_CHARGE:
    return ckt_mos_charge_psd(x[0], x[1], x[2], x[3], x[4], temp_K);
  case CKT_NZ_SHOT: {
    double i = 0;
    for (size_t j = 0; j < d->nvec; j++)
      i += x[j];
    return isfinite(i) ? 2.0 * PHYS_Q_C * fabs(i) : NAN;
  }
  case CKT_NZ_DIODE_RS:
    return ckt_diode_rs_psd(x[0], x[1], d->r_ohm, temp_K);
  case CKT_NZ_FIXED:
  default:
    return d->psd_A2_per_Hz;
  }
}

/* The run in progress: what update_psd needs. */
typedef struct noise_ctx {
  const ckt_run_spec *rs;  /* the run */
  const ckt_noise_dev *devs; /* [n_noise] how each density follows */
  size_t n_sim;            /* simulated (watched) nodes: watch_V[0..n_sim) */
  size_t *dev_w;           /* [n_noise] index in watch_V of the source's
                              first device vector, or SIZE_MAX: fixed */
  double *v;               /* [n_nodes] node voltages (fixed ones filled) */
  size_t *node_w;          /* [n_nodes] index in watch_V, or SIZE_MAX */
  int have_dev;            /* watch_V carries the devices' values */
  double scale;            /* ckt_sim_params.noise_scale (> 0) */
  double *flk_A2;          /* [n_noise] flicker coefficients K, or NULL */
} noise_ctx;

/* Densities from the last accepted point.  watch_V holds the simulated
 * node voltages and then, per device-driven source, ngspice's own values
 * of that device (ckt_noise_dev: I_D and g_ds for the two-flux MOSFET
 * model, I_D, gm, g_ds, gmbs, V_DS for the charge-based one, currents for
 * shot noise).  Two-flux: in weak inversion I_D = I_F - I_R and
 * g_ds = I_R / U_T (no DIBL), so I_R = U_T g_ds, I_F = |I_D| + I_R and
 * the shot noise is 2q(I_F + I_R) (ckt_mos_noise_psd), exactly 4kT g_ds
 * at V_DS = 0.  (In saturation DIBL adds to g_ds and overstates I_R by
 * about 2 sigma/n ~ 15 % of I_D; in strong inversion 2q(I_F + I_R)
 * overstates the thermal noise up to several times: ckt_mos_charge_psd.)
 * Without usable device values the caller's fallback (the cell's EKV
 * parameters) decides; without one the density keeps its last value. */
static void update_psd(void *ud, double t_s, const double *watch_V,
                       double *psd)
{
  (void)t_s;
  noise_ctx *nc = ud;
  const ckt_run_spec *rs = nc->rs;
  for (size_t i = 0; i < rs->n_nodes; i++)
    if (nc->node_w[i] != SIZE_MAX)
      nc->v[i] = watch_V[nc->node_w[i]];
  for (size_t k = 0; k < rs->nl->n_noise; k++) {
    const ckt_noise_dev *d = &nc->devs[k];
    if (nc->dev_w[k] == SIZE_MAX) {
      psd[k] = nc->scale * d->psd_A2_per_Hz * (d->gain > 0 ? d->gain : 1.0);
      continue;
    }
    double s = nc->have_dev ? dev_psd(d, watch_V + nc->dev_w[k], rs->temp_K)
                            : NAN;
    if (d->gain > 0)
      s *= d->gain;
    if (!isfinite(s) && rs->fallback != NULL) {
      s = NAN;
      rs->fallback(rs->fallback_ud, k, nc->v, &s);
    }
    if (isfinite(s))   /* else the density keeps its last value */
      psd[k] = nc->scale * s;
    if (nc->flk_A2 != NULL && d->flk_c > 0 && nc->have_dev) {
      const double *xv = watch_V + nc->dev_w[k];
      double kf = d->flk_c * pow(fabs(xv[0]), d->flk_af) *
                  (d->gain > 0 ? d->gain : 1.0);
      if (d->model == CKT_NZ_DIODE_RS)   /* the junction's, divided */
        kf /= (1 + d->r_ohm * fabs(xv[1])) * (1 + d->r_ohm * fabs(xv[1]));
      if (isfinite(kf))
        nc->flk_A2[k] = nc->scale * kf;
    }
  }
}

void ckt_trace_clear(ckt_trace *tr)
{
  if (tr == NULL)
    return;
  free(tr->time_s);
  free(tr->names);
  free(tr->v_V);
  free(tr->netlist);
  memset(tr, 0, sizeof *tr);
}

const double *ckt_trace_node(const ckt_trace *tr, const char *name)
{
  for (size_t i = 0; i < tr->n_nodes; i++)
    if (strcmp(tr->names[i], name) == 0)
      return tr->v_V + i * tr->n;
  return NULL;
}

/* Linear interpolation of (t, x)[m] onto k dt, k < n. */
static void resample(const double *t, const double *x, size_t m, double dt,
                     size_t n, double *out)
{
  size_t j = 0;
  for (size_t k = 0; k < n; k++) {
    double tk = (double)k * dt;
    while (j + 2 < m && t[j + 1] < tk)
      j++;
    double t0 = t[j], t1 = t[j + 1 < m ? j + 1 : j];
    double f = t1 > t0 ? (tk - t0) / (t1 - t0) : 0.0;
    if (f < 0)
      f = 0;
    if (f > 1)
      f = 1;
    out[k] = x[j] + f * (x[j + 1 < m ? j + 1 : j] - x[j]);
  }
}

/* The legacy form: mos_dev[k] (or NULL) with the two-flux model. */
int ckt_sim_run_spec(ckt_session *s, const ckt_run_spec *rs,
                     const ckt_sim_params *p, ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  size_t nz_n = rs->nl->n_noise;
  ckt_noise_dev *devs = calloc(nz_n + 1, sizeof *devs);
  char **vn = calloc(2 * nz_n + 1, sizeof *vn);
  int rc = 0;
  if (devs == NULL || vn == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t k = 0; k < nz_n; k++) {
    devs[k].psd_A2_per_Hz = rs->psd0[k];
    if (rs->mos_dev == NULL || rs->mos_dev[k] == NULL)
      continue;
    if (asprintf(&vn[2 * k], "@%s[id]", rs->mos_dev[k]) < 0 ||
        asprintf(&vn[2 * k + 1], "@%s[gds]", rs->mos_dev[k]) < 0) {
      vn[2 * k] = vn[2 * k + 1] = NULL;
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
      goto done;
    }
    devs[k].model = CKT_NZ_TWOFLUX;
    devs[k].nvec = 2;
    devs[k].vec[0] = vn[2 * k];
    devs[k].vec[1] = vn[2 * k + 1];
  }
  rc = ckt_sim_run_devs(s, rs, devs, p, tr, err);
done:
  if (vn != NULL)
    for (size_t k = 0; k < 2 * nz_n; k++)
      free(vn[k]);
  free(vn);
  free(devs);
  return rc;
}

int ckt_sim_run_devs(ckt_session *s, const ckt_run_spec *rs,
                     const ckt_noise_dev *devs, const ckt_sim_params *p,
                     ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  const ckt_netlist *nl = rs->nl;
  size_t nn = rs->n_nodes, nz_n = nl->n_noise, nvec = 0;
  for (size_t i = 0; i < nn; i++)
    if (strlen(rs->nodes[i]) >= PHYS_NAME_MAX)
      return TK_FAIL(err, TK_EINVAL, "node name '%s' longer than %d",
                     rs->nodes[i], PHYS_NAME_MAX - 1);
  for (size_t k = 0; k < nz_n; k++) {
    if (devs[k].model != CKT_NZ_FIXED &&
        (devs[k].nvec == 0 || devs[k].nvec > CKT_NZ_VEC_MAX))
      return TK_FAIL(err, TK_EINVAL, "noise source %s: %zu device vectors",
                     nl->noise_names[k], devs[k].nvec);
    nvec += devs[k].model != CKT_NZ_FIXED ? devs[k].nvec : 0;
  }
  noise_ctx nc = {rs, devs, 0, NULL, NULL, NULL, 0,
                  p->noise_scale > 0 ? p->noise_scale : 1.0, NULL};
  ckt_flk_plan *flk = NULL;
  size_t n_flk = 0;
  for (size_t k = 0; k < nz_n; k++)
    n_flk += devs[k].flk_c > 0;
  double *psd = calloc(nz_n + 1, sizeof *psd);
  const char **watch = calloc(nn + nvec + 1, sizeof *watch);
  nc.v = calloc(nn + 1, sizeof *nc.v);
  nc.node_w = calloc(nn + 1, sizeof *nc.node_w);
  nc.dev_w = calloc(nz_n + 1, sizeof *nc.dev_w);
  double *t = NULL, *x = NULL;
  size_t m = 0, mx = 0;
  int rc = 0;
  if (psd == NULL || watch == NULL || nc.v == NULL || nc.node_w == NULL ||
      nc.dev_w == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  size_t nw = 0;
  for (size_t i = 0; i < nn; i++) {
    nc.v[i] = rs->fixed_V[i];
    if (isnan(rs->fixed_V[i])) {
      nc.node_w[i] = nw;
      watch[nw++] = rs->nodes[i];
    } else {
      nc.node_w[i] = SIZE_MAX;
    }
  }
  nc.n_sim = nw;
  for (size_t k = 0; k < nz_n; k++) {
    nc.dev_w[k] = SIZE_MAX;
    if (devs[k].model == CKT_NZ_FIXED)
      continue;
    nc.dev_w[k] = nw;
    for (size_t j = 0; j < devs[k].nvec; j++)
      watch[nw++] = devs[k].vec[j];
  }
  /* densities at the initial condition (node voltages as given) */
  for (size_t k = 0; k < nz_n; k++)
    psd[k] = nc.scale * devs[k].psd_A2_per_Hz *
             (devs[k].gain > 0 ? devs[k].gain : 1.0);
  /* flicker: one plan per source that has it (circuits/ckt_flicker.h) */
  if (n_flk > 0 && p->noise) {
    flk = calloc(nz_n + 1, sizeof *flk);
    nc.flk_A2 = calloc(nz_n + 1, sizeof *nc.flk_A2);
    if (flk == NULL || nc.flk_A2 == NULL) {
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
      goto done;
    }
    for (size_t k = 0; k < nz_n && rc == 0; k++) {
      if (!(devs[k].flk_c > 0))
        continue;
      if (devs[k].model == CKT_NZ_FIXED) {
        rc = TK_FAIL(err, TK_EINVAL, "noise source %s: flicker needs its "
                     "device's current", nl->noise_names[k]);
        break;
      }
      rc = ckt_flicker_plan(p->nt_s, p->tstop_s, devs[k].flk_ef, &flk[k],
                            err);
      nc.flk_A2[k] = nc.scale * devs[k].flk_k0 *
                     (devs[k].gain > 0 ? devs[k].gain : 1.0);
    }
    if (rc != 0)
      goto done;
  }
  ckt_noise nz = {nz_n, (const char *const *)nl->noise_names, psd,
                  p->nt_s, p->seed, nw, watch, update_psd, &nc, flk,
                  nc.flk_A2};
  nc.have_dev = 1;
  rc = ckt_session_run(s, (const char *const *)nl->lines, nl->n,
                       p->noise ? &nz : NULL, err);
  if (rc != 0)
    goto done;
  tr->n_accepted = (size_t)ckt_session_naccepted(s);
  /* a device ngspice does not know would leave its source silent */
  for (size_t k = 0; p->noise && k < nz_n; k++) {
    if (nc.dev_w[k] == SIZE_MAX)
      continue;
    for (size_t j = 0; j < devs[k].nvec; j++) {
      if (ckt_session_vec(s, devs[k].vec[j], &x, &mx, err) != 0) {
        rc = TK_FAIL(err, TK_ESPICE, "noise source %s: ngspice has no "
                     "device vector %s", nl->noise_names[k], devs[k].vec[j]);
        goto done;
      }
      free(x);
      x = NULL;
    }
  }
  if ((rc = ckt_session_vec(s, "time", &t, &m, err)) != 0)
    goto done;
  if (m < 2) {
    rc = TK_FAIL(err, TK_ESPICE, "ngspice returned %zu time points", m);
    goto done;
  }
  tr->dt_s = p->tstep_s;
  tr->n = (size_t)floor(fmin(t[m - 1], p->tstop_s) / p->tstep_s + 1e-9) + 1;
  tr->n_nodes = nn;
  tr->time_s = malloc(tr->n * sizeof *tr->time_s);
  tr->names = calloc(nn + 1, sizeof *tr->names);
  tr->v_V = malloc((nn + 1) * tr->n * sizeof *tr->v_V);
  if (tr->time_s == NULL || tr->names == NULL || tr->v_V == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t k = 0; k < tr->n; k++)
    tr->time_s[k] = (double)k * tr->dt_s;
  for (size_t i = 0; i < nn; i++) {
    snprintf(tr->names[i], PHYS_NAME_MAX, "%s", rs->nodes[i]);
    double *row = tr->v_V + i * tr->n;
    if (!isnan(rs->fixed_V[i])) {
      for (size_t k = 0; k < tr->n; k++)
        row[k] = rs->fixed_V[i];
      continue;
    }
    if ((rc = ckt_session_vec(s, rs->nodes[i], &x, &mx, err)) != 0)
      goto done;
    if (mx != m) {
      rc = TK_FAIL(err, TK_ESPICE, "vector %s has %zu points, time %zu",
                   rs->nodes[i], mx, m);
      goto done;
    }
    resample(t, x, m, tr->dt_s, tr->n, row);
    free(x);
    x = NULL;
  }
  for (size_t j = 0; j < rs->n_supply; j++) {
    char vn[PHYS_NAME_MAX + 16];
    snprintf(vn, sizeof vn, "%s#branch", rs->supply_src[j]);
    for (char *q = vn; *q; q++)
      *q = (char)tolower((unsigned char)*q);
    if ((rc = ckt_session_vec(s, vn, &x, &mx, err)) != 0)
      goto done;
    double e = 0;
    for (size_t k = 0; k + 1 < mx && k + 1 < m; k++)
      e -= rs->supply_V[j] * 0.5 * (x[k] + x[k + 1]) * (t[k + 1] - t[k]);
    tr->e_supply_J += e;
    free(x);
    x = NULL;
  }
done:
  free(t);
  free(x);
  free(psd);
  free(watch);
  free(nc.v);
  free(nc.node_w);
  free(nc.dev_w);
  free(nc.flk_A2);
  free(flk);
  if (rc != 0)
    ckt_trace_clear(tr);
  return rc;
}

/* ---- a phys_cell through the generic run ---- */

typedef struct cell_fb {
  const phys_cell *cell;  /* the cell */
  const ckt_netlist *nl;  /* its noise sources */
  double temp_K;          /* temperature */
} cell_fb;

/* EKV density of MOSFET source k from the node voltages v[i - 1] of cell
 * node i (the fallback when ngspice gives no usable I_D, g_ds). */
static void cell_fallback(void *ud, size_t k, const double *v, double *psd)
{
  const cell_fb *fb = ud;
  const phys_cell *c = fb->cell;
  int code = fb->nl->noise_dev[k];
  if (code < 0)
    return;
  const phys_mos *mo = &c->mos[code];
#define NV(i) ((i) == 0 ? 0.0 : v[(i) - 1])
  phys_mos_op op;
  if (phys_mos_eval(&mo->p, NV(mo->g), NV(mo->d), NV(mo->s), NV(mo->b),
                    fb->temp_K, &op, NULL) == 0)
    *psd = phys_noise_channel_psd(&op);
#undef NV
}

/* ngspice's names of the cell's noise sources (out[k]) and of their
 * MOSFETs (out[n_noise + k], where dev[k] is one): nl loaded, its
 * instances listed and matched as a designer's subcircuit's are
 * (ckt_names_impl.h).  TK_ENOTFOUND names a source or device ngspice did
 * not instantiate. */
static int ngspice_names(ckt_session *s, const ckt_netlist *nl,
                         const char *const *dev, char **out, tk_err *err)
{
  size_t nz_n = nl->n_noise;
  TK_TRY(ckt_session_load(s, (const char *const *)nl->lines, nl->n, err));
  ckt__names nm;
  TK_TRY(ckt__names_load(s, &nm, err));
  int rc = 0;
  for (size_t k = 0; k < nz_n && rc == 0; k++) {
    for (int d = 0; d < 2 && rc == 0; d++) {
      const char *want = d == 0 ? nl->noise_names[k] : dev[k];
      if (want == NULL)
        continue;
      int j = ckt__names_find(&nm, want);
      if (j < 0)
        rc = TK_FAIL(err, TK_ENOTFOUND, "%s %s is not among the devices "
                     "ngspice instantiated", d ? "device" : "noise source",
                     want);
      else if ((out[d * nz_n + k] = strdup(nm.name[j])) == NULL)
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    }
  }
  ckt__names_free(&nm);
  return rc;
}

static int run(ckt_session *s, const phys_cell *c, const ckt_sim_params *p,
               const ckt_netlist *nl, ckt_trace *tr, tk_err *err)
{
  size_t nn = c->n_nodes - 1, nz_n = nl->n_noise, ns = 0;
  const char **nodes = calloc(nn + 1, sizeof *nodes);
  const char **sup = calloc(nn + 1, sizeof *sup);
  char (*supn)[PHYS_NAME_MAX + 4] = calloc(nn + 1, sizeof *supn);
  double *fixed = calloc(nn + 1, sizeof *fixed);
  double *supv = calloc(nn + 1, sizeof *supv);
  double *psd0 = calloc(nz_n + 1, sizeof *psd0);
  double *v0 = calloc(nn + 1, sizeof *v0);
  const char **dev = calloc(nz_n + 1, sizeof *dev);
  char (*devn)[PHYS_NAME_MAX + 2] = calloc(nz_n + 1, sizeof *devn);
  int rc = 0;
  if (!nodes || !sup || !supn || !fixed || !supv || !psd0 || !v0 || !dev ||
      !devn) {
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < nn; i++) {
    const phys_node *nd = &c->nodes[i + 1];
    nodes[i] = nd->name;
    fixed[i] = nd->fixed ? nd->v_V : NAN;
    v0[i] = nd->v_V;
    if (nd->fixed && nd->is_supply) {
      snprintf(supn[ns], sizeof supn[ns], "v_%s", nd->name);
      sup[ns] = supn[ns];
      supv[ns++] = nd->v_V;
    }
  }
  cell_fb fb = {c, nl, p->temp_K};
  for (size_t k = 0; k < nz_n; k++) {
    int code = nl->noise_dev[k];
    if (code >= 0) {
      const char *mn = c->mos[code].name;
      snprintf(devn[k], sizeof devn[k], "%s%s",
               (mn[0] == 'M' || mn[0] == 'm') ? "" : "M", mn);
      dev[k] = devn[k];
      cell_fallback(&fb, k, v0, &psd0[k]);  /* at the initial condition */
    } else {
      psd0[k] = phys_noise_resistor_psd(c->res[-1 - code].r_ohm, p->temp_K);
    }
  }
  /* every noise source and device by the name ngspice gave it (the
   * preflight's code: ckt_names_impl.h), checked before the transient */
  ckt_netlist named = *nl;
  char **ngn = calloc(2 * nz_n + 1, sizeof *ngn);
  if (ngn == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  if (p->noise && nz_n > 0)
    rc = ngspice_names(s, nl, dev, ngn, err);
  if (rc == 0 && p->noise && nz_n > 0) {
    named.noise_names = ngn;
    for (size_t k = 0; k < nz_n; k++)
      if (dev[k] != NULL)
        dev[k] = ngn[nz_n + k];
  }
  ckt_run_spec rs = {&named, dev, psd0, nn, nodes, fixed, ns, sup, supv,
                     p->temp_K, cell_fallback, &fb};
  if (rc == 0)
    rc = ckt_sim_run_spec(s, &rs, p, tr, err);
  for (size_t k = 0; ngn != NULL && k < 2 * nz_n; k++)
    free(ngn[k]);
  free(ngn);
done:
  free(nodes);
  free(sup);
  free(supn);
  free(fixed);
  free(supv);
  free(psd0);
  free(v0);
  free(dev);
  free(devn);
  return rc;
}

int ckt_sim_run(ckt_session *s, const phys_cell *c, const char *title,
                const ckt_sim_params *p, ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  ckt_netlist nl;
  TK_TRY(ckt_netlist_build(c, title, p, &nl, err));
  char *text = ckt_netlist_text(&nl);
  int rc = text == NULL ? TK_FAIL(err, TK_ENOMEM, "out of memory")
                        : run(s, c, p, &nl, tr, err);
  ckt_netlist_clear(&nl);
  tr->netlist = text;  /* kept on failure too, for the error report */
  return rc;
}
