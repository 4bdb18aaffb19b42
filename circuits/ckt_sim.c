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

#include "physics/phys_const.h"
#include "physics/phys_mosfet.h"
#include "physics/phys_noise.h"

typedef struct noise_ctx {
  const phys_cell *cell;  /* the cell being run */
  const ckt_netlist *nl;  /* its noise sources */
  double temp_K;          /* temperature */
  double *v;              /* [n_nodes] node voltages, v[0] = 0 */
  int have_dev;           /* watch_V carries I_D, g_ds per noisy MOSFET */
} noise_ctx;

/* Densities from the last accepted point.  watch_V holds the node
 * voltages (nodes 1..n-1) and then, per noisy MOSFET in noise-source
 * order, ngspice's own I_D and g_ds of that device.  In weak inversion
 * I_D = I_F - I_R and g_ds = I_R / U_T (no DIBL), so the two opposing
 * fluxes are I_R = U_T g_ds, I_F = |I_D| + I_R and the shot noise is
 * 2q(I_F + I_R) (phys_noise_shot_psd), exactly 4kT g_ds at V_DS = 0:
 * the noise is consistent with the simulated device's own conductance,
 * whatever model card is used.  (In saturation DIBL adds to g_ds and
 * overstates I_R by about 2 sigma/n ~ 15 % of I_D.)  Without the device
 * values (model without them) the cell's EKV parameters are used. */
static void update_psd(void *ud, double t_s, const double *watch_V,
                       double *psd)
{
  (void)t_s;
  noise_ctx *nc = ud;
  const phys_cell *c = nc->cell;
  size_t nn = c->n_nodes - 1;
  double ut = phys_vt_V(nc->temp_K);
  nc->v[0] = 0.0;
  for (size_t i = 1; i < c->n_nodes; i++)
    nc->v[i] = c->nodes[i].fixed ? c->nodes[i].v_V : watch_V[i - 1];
  size_t w = nn;
  for (size_t k = 0; k < nc->nl->n_noise; k++) {
    int code = nc->nl->noise_dev[k];
    if (code >= 0) {
      double id = nc->have_dev ? watch_V[w] : NAN;
      double gds = nc->have_dev ? watch_V[w + 1] : NAN;
      w += 2;
      if (isfinite(id) && isfinite(gds) && gds > 0) {
        double i_r = ut * gds;
        psd[k] = phys_noise_shot_psd(fabs(id) + i_r, i_r);
        continue;
      }
      const phys_mos *m = &c->mos[code];
      phys_mos_op op;
      if (phys_mos_eval(&m->p, nc->v[m->g], nc->v[m->d], nc->v[m->s],
                        nc->v[m->b], nc->temp_K, &op, NULL) == 0)
        psd[k] = phys_noise_channel_psd(&op);
    } else {
      psd[k] = phys_noise_resistor_psd(c->res[-1 - code].r_ohm, nc->temp_K);
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

static int run(ckt_session *s, const phys_cell *c, const ckt_sim_params *p,
               const ckt_netlist *nl, ckt_trace *tr, tk_err *err)
{
  size_t nn = c->n_nodes - 1;
  noise_ctx nc = {c, nl, p->temp_K, NULL, 0};
  double *psd = calloc(nl->n_noise + 1, sizeof *psd);
  const char **watch = calloc(nn + 2 * nl->n_noise + 1, sizeof *watch);
  char **devw = calloc(2 * nl->n_noise + 1, sizeof *devw);
  nc.v = calloc(c->n_nodes, sizeof *nc.v);
  double *t = NULL, *x = NULL;
  size_t m = 0, mx = 0;
  int rc = 0;
  if (psd == NULL || watch == NULL || devw == NULL || nc.v == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t i = 0; i < nn; i++)
    watch[i] = c->nodes[i + 1].name;
  size_t nw = nn;
  for (size_t k = 0; k < nl->n_noise; k++)
    if (nl->noise_dev[k] >= 0) {
      char dn[PHYS_NAME_MAX + 2];
      const char *mn = c->mos[nl->noise_dev[k]].name;
      if (mn[0] == 'M' || mn[0] == 'm')
        snprintf(dn, sizeof dn, "%s", mn);
      else
        snprintf(dn, sizeof dn, "M%s", mn);
      if (asprintf(&devw[nw - nn], "@%s[id]", dn) < 0 ||
          asprintf(&devw[nw - nn + 1], "@%s[gds]", dn) < 0) {
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
        goto done;
      }
      watch[nw] = devw[nw - nn];
      watch[nw + 1] = devw[nw - nn + 1];
      nw += 2;
    }
  nc.have_dev = 1;
  /* densities at the initial condition */
  {
    double *v0 = calloc(nn + 1, sizeof *v0);
    if (v0 == NULL) {
      rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
      goto done;
    }
    for (size_t i = 0; i < nn; i++)
      v0[i] = c->nodes[i + 1].v_V;
    nc.have_dev = 0;
    update_psd(&nc, 0.0, v0, psd);
    nc.have_dev = 1;
    free(v0);
  }
  ckt_noise nz = {nl->n_noise, (const char *const *)nl->noise_names, psd,
                  p->nt_s, p->seed, nw, watch, update_psd, &nc};
  rc = ckt_session_run(s, (const char *const *)nl->lines, nl->n,
                       p->noise ? &nz : NULL, err);
  if (rc != 0)
    goto done;
  tr->n_accepted = (size_t)ckt_session_naccepted(s);
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
  tr->names = calloc(nn, sizeof *tr->names);
  tr->v_V = malloc(nn * tr->n * sizeof *tr->v_V);
  if (tr->time_s == NULL || tr->names == NULL || tr->v_V == NULL) {
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t k = 0; k < tr->n; k++)
    tr->time_s[k] = (double)k * tr->dt_s;
  for (size_t i = 0; i < nn; i++) {
    const phys_node *nd = &c->nodes[i + 1];
    snprintf(tr->names[i], PHYS_NAME_MAX, "%s", nd->name);
    double *row = tr->v_V + i * tr->n;
    if (nd->fixed) {
      for (size_t k = 0; k < tr->n; k++)
        row[k] = nd->v_V;
    } else {
      if ((rc = ckt_session_vec(s, nd->name, &x, &mx, err)) != 0)
        goto done;
      if (mx != m) {
        rc = TK_FAIL(err, TK_ESPICE, "vector %s has %zu points, time %zu",
                     nd->name, mx, m);
        goto done;
      }
      resample(t, x, m, tr->dt_s, tr->n, row);
      free(x);
      x = NULL;
    }
    if (nd->fixed && nd->is_supply) {
      char vn[PHYS_NAME_MAX + 16];
      snprintf(vn, sizeof vn, "v_%s#branch", nd->name);
      for (char *q = vn; *q; q++)
        *q = (char)tolower((unsigned char)*q);
      if ((rc = ckt_session_vec(s, vn, &x, &mx, err)) != 0)
        goto done;
      double e = 0;
      for (size_t k = 0; k + 1 < mx && k + 1 < m; k++)
        e -= nd->v_V * 0.5 * (x[k] + x[k + 1]) * (t[k + 1] - t[k]);
      tr->e_supply_J += e;
      free(x);
      x = NULL;
    }
  }
done:
  free(t);
  free(x);
  free(psd);
  free(watch);
  if (devw != NULL)
    for (size_t k = 0; k < 2 * nl->n_noise; k++)
      free(devw[k]);
  free(devw);
  free(nc.v);
  return rc;
}

int ckt_sim_run(ckt_session *s, const phys_cell *c, const char *title,
                const ckt_sim_params *p, ckt_trace *tr, tk_err *err)
{
  memset(tr, 0, sizeof *tr);
  ckt_netlist nl;
  TK_TRY(ckt_netlist_build(c, title, p, &nl, err));
  tr->netlist = ckt_netlist_text(&nl);
  int rc = tr->netlist == NULL ? TK_FAIL(err, TK_ENOMEM, "out of memory")
                               : run(s, c, p, &nl, tr, err);
  ckt_netlist_clear(&nl);
  if (rc != 0) {
    char *keep = tr->netlist;  /* keep the text for the error report */
    tr->netlist = NULL;
    ckt_trace_clear(tr);
    tr->netlist = keep;
  }
  return rc;
}
