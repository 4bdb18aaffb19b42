/* cal_subckt.c -- the source of `tsukit characterize`: a designer's own
 * pbit, a standard SPICE .subckt in a file, with the physical noise of
 * every element (circuits/ckt_preflight.h), swept by the checkpointed
 * sweep of cal_run into the same cell library as a shipped cell
 * (cal_run_impl.h).
 *
 * Workload: one preflight (load, ngspice's names, DC operating point,
 * the noise table: under a second) before anything is simulated or
 * written, then nT x nV points, each one ngspice transient in a forked
 * worker; the file is parsed and preflighted once in the parent
 * (circuits/ckt_subckt.h) and the workers inherit both.
 *
 * Ports: ctl_port (swept), supply_port (at vdd_V, its energy counted),
 * out_port (free, digitised at 30 % / 70 % of vdd_V), ground
 * "PORT[,PORT]" (node 0), bias "PORT=V[,PORT=V]" (fixed rails).  Every
 * port of the subcircuit must be named exactly once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_run_impl.h"
#include "calibrate/cal_sweep.h"
#include "circuits/ckt_preflight.h"
#include "circuits/ckt_sim.h"
#include "circuits/ckt_subckt.h"
#include "circuits/ckt_subckt_native.h"
#include "common/tk_parse.h"

#define MAX_PORTS 64

/* What a worker needs besides the sweep grid. */
typedef struct dut {
  const ckt_subckt *sc;          /* the parsed file */
  ckt_preflight *pf;             /* its preflight: names, noise sources */
  ckt_port_bind bind[MAX_PORTS]; /* every port, the control at 0 */
  int ctl, out, supply;          /* port indices */
  ckt_sn *sn;                    /* --engine native: the translated
                                    circuit (circuits/ckt_subckt_native.h),
                                    else NULL */
} dut;

/* The subcircuit at control v_V with settings sp (temperature, seed,
 * noise on or off) into tr. */
static int run_dut(const cal__ctx *c, double v_V, const ckt_sim_params *sp,
                   ckt_trace *tr, tk_err *err)
{
  const dut *u = c->user;
  if (u->sn != NULL)   /* --engine native: the output is its first node */
    return ckt_sn_run(u->sn, v_V, sp, tr, err);
  size_t np = ckt_subckt_nports(u->sc);
  ckt_port_bind bind[MAX_PORTS];
  memcpy(bind, u->bind, np * sizeof *bind);
  bind[u->ctl].v_V = v_V;
  ckt_session *ses = NULL;
  char onode[CKT_SUBCKT_NAME_MAX + 8], vsup[CKT_SUBCKT_NAME_MAX + 8];
  ckt_subckt_net(u->sc, (size_t)u->out, bind, onode, sizeof onode);
  ckt_subckt_vsrc(u->sc, (size_t)u->supply, vsup, sizeof vsup);
  const char *nodes[1] = {onode}, *sup[1] = {vsup};
  double fixed[1] = {NAN}, supv[1] = {c->vdd_V};
  /* the noise sources, their ngspice names and devices from the
   * preflight; every density follows its device from the first accepted
   * point on (the first noise slot is pinned to zero: the DC operating
   * point is noiseless) */
  ckt_run_spec rs = {NULL, NULL, NULL, 1, nodes, fixed, 1, sup, supv,
                     sp->temp_K, NULL, NULL};
  int rc = ckt_session_open(&ses, err);
  if (rc == 0)
    rc = ckt_preflight_trace(u->pf, ses, bind, sp, &rs, tr, err);
  ckt_session_close(ses);
  return rc;
}

/* Worker: the subcircuit at one (temperature, control) point. */
static int point_run(const cal__ctx *c, size_t idx, cal__point *pt,
                     tk_err *err)
{
  size_t t = idx / c->nv;
  ckt_sim_params sp = cal__point_sim(c, idx);
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  int rc = run_dut(c, *cal__ctl(c, t, idx % c->nv), &sp, &tr, err);
  cal_pbit_point pp;
  if (rc == 0)
    rc = cal_pbit_point_measure(tr.v_V, tr.n, tr.dt_s, c->vdd_V,
                                tr.e_supply_J, &pp, err);
  if (rc == 0)
    cal__point_from_pbit(&pp, pt);
  ckt_trace_clear(&tr);
  return rc;
}

/* Worker, --engine native: the points idx[0..n-1] of one temperature as
 * one batch (ckt_sn_run_batch), each reduced as point_run. */
static int point_batch_run(const cal__ctx *c, const size_t *idx, size_t n,
                           cal__point *pt, int *rc, tk_err *errs,
                           tk_err *err)
{
  const dut *u = c->user;
  double *v = calloc(n ? n : 1, sizeof *v);
  ckt_sim_params *sp = calloc(n ? n : 1, sizeof *sp);
  ckt_trace *tr = calloc(n ? n : 1, sizeof *tr);
  int st = v && sp && tr ? TK_OK : TK_FAIL(err, TK_ENOMEM, "out of memory");
  for (size_t i = 0; st == TK_OK && i < n; i++) {
    v[i] = *cal__ctl(c, idx[i] / c->nv, idx[i] % c->nv);
    sp[i] = cal__point_sim(c, idx[i]);
  }
  if (st == TK_OK)
    st = ckt_sn_run_batch(u->sn, v, sp, n, tr, rc, errs, err);
  for (size_t i = 0; st == TK_OK && i < n; i++) {
    cal_pbit_point pp;
    if (rc[i] == 0)
      rc[i] = cal_pbit_point_measure(tr[i].v_V, tr[i].n, tr[i].dt_s,
                                     c->vdd_V, tr[i].e_supply_J, &pp,
                                     &errs[i]);
    if (rc[i] == 0)
      cal__point_from_pbit(&pp, &pt[i]);
  }
  for (size_t i = 0; tr != NULL && i < n; i++)
    ckt_trace_clear(&tr[i]);
  free(v);
  free(sp);
  free(tr);
  return st;
}

/* --track: the output after a short noise-free run (the operating point). */
static int noiseless_high(const cal__ctx *c, const ckt_sim_params *sp0,
                          double v_V, int *high, tk_err *err)
{
  ckt_sim_params sp = *sp0;
  sp.noise = 0;
  sp.tstop_s = 4 * sp.tstep_s;
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  int rc = run_dut(c, v_V, &sp, &tr, err);
  if (rc == 0)
    *high = tr.n > 0 && tr.v_V[tr.n - 1] > 0.5 * c->vdd_V;
  ckt_trace_clear(&tr);
  return rc;
}

/* Bind port `name` as `kind`; usage errors name the option. */
static int bind_port(dut *u, const char *opt, const char *name,
                     ckt_port_kind kind, double v_V, int *idx, tk_err *err)
{
  int i = ckt_subckt_find_port(u->sc, name);
  if (i < 0) {
    char list[512] = "";
    size_t len = 0, np = ckt_subckt_nports(u->sc);
    for (size_t k = 0; k < np && len + 2 < sizeof list; k++)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                              k ? " " : "", ckt_subckt_port(u->sc, k));
    return TK_FAIL(err, TK_EINVAL, "%s: subcircuit %s has no port "
                           "'%s' (ports: %s)", opt, ckt_subckt_name(u->sc),
                           name, list);
  }
  if (u->bind[i].kind != CKT_PORT_UNBOUND)
    return TK_FAIL(err, TK_EINVAL, "%s: port %s is already "
                           "connected by another option", opt, name);
  u->bind[i].kind = kind;
  u->bind[i].v_V = v_V;
  if (idx != NULL)
    *idx = i;
  return 0;
}

/* "P1,P2" (ground) or "P1=V1,P2=V2" (bias). */
static int bind_list(dut *u, const char *opt, const char *list, int bias,
                     tk_err *err)
{
  char *copy = strdup(list), *save = NULL;
  if (copy == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  int rc = 0;
  for (char *t = strtok_r(copy, ",", &save); t != NULL && rc == 0;
       t = strtok_r(NULL, ",", &save)) {
    double v = 0;
    if (bias) {
      char *eq = strchr(t, '=');
      if (eq == NULL) {
        rc = TK_FAIL(err, TK_EINVAL, "%s: '%s' must be PORT=VOLTS", opt, t);
        break;
      }
      *eq = '\0';
      if (tk_parse_double_in(eq + 1, opt, -5.0, 5.0, &v, err) != 0) {
        rc = TK_EINVAL;
        break;
      }
    }
    rc = bind_port(u, opt, t, bias ? CKT_PORT_FIXED : CKT_PORT_GROUND, v,
                   NULL, err);
  }
  free(copy);
  return rc;
}

/* The subcircuit loaded and every port bound; usage errors TK_EINVAL. */
static int dut_open(const cal_run_params *p, ckt_subckt **scp, dut **up,
                    tk_err *err)
{
  ckt_subckt *sc = NULL;
  int rc = ckt_subckt_load(p->netlist, p->subckt, &sc, err);
  if (rc != 0) {
    err->status = TK_EINVAL;   /* bad input file: a usage error */
    return TK_EINVAL;
  }
  *scp = sc;
  if (ckt_subckt_nports(sc) > MAX_PORTS)
    return TK_FAIL(err, TK_EINVAL, "%s has %zu ports (at most %d)", p->subckt,
                   ckt_subckt_nports(sc), MAX_PORTS);
  dut *u = calloc(1, sizeof *u);
  if (u == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  *up = u;
  u->sc = sc;
  TK_TRY(bind_port(u, "--ctl", p->ctl_port, CKT_PORT_FIXED, p->vctl_V[0],
                   &u->ctl, err));
  TK_TRY(bind_port(u, "--out", p->out_port, CKT_PORT_FREE, 0, &u->out, err));
  TK_TRY(bind_port(u, "--supply", p->supply_port, CKT_PORT_FIXED, p->vdd_V,
                   &u->supply, err));
  if (p->ground != NULL)
    TK_TRY(bind_list(u, "--ground", p->ground, 0, err));
  if (p->bias != NULL)
    TK_TRY(bind_list(u, "--bias", p->bias, 1, err));
  for (size_t i = 0; i < ckt_subckt_nports(sc); i++)
    if (u->bind[i].kind == CKT_PORT_UNBOUND)
      return TK_FAIL(err, TK_EINVAL, "port %s of %s is not connected: name "
                     "it with --ground or --bias", ckt_subckt_port(sc, i),
                     ckt_subckt_name(sc));
  return TK_OK;
}

int cal__subckt_run(const cal_run_params *p, const double *temp_K, size_t nt,
                    cal_summary *s, tk_err *err)
{
  ckt_subckt *sc = NULL;
  dut *u = NULL;
  cal__ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.cmd = p->label;
  ctx.command_line = p->command_line;
  int rc;
  if (p->netlist == NULL || p->subckt == NULL || p->ctl_port == NULL ||
      p->out_port == NULL || p->supply_port == NULL || !(p->vdd_V > 0)) {
    rc = TK_FAIL(err, TK_EINVAL, "the netlist, the subcircuit, its control, "
                 "output and supply ports and a supply voltage are required");
    cal__report(&ctx, err);
    return rc;
  }
  if ((rc = dut_open(p, &sc, &u, err)) != 0) {
    cal__report(&ctx, err);
    goto done;
  }
  ctx.cell = p->name ? p->name : ckt_subckt_name(sc);
  ctx.kind = ckt_cellkind_name(CKT_CELL_PBIT);
  ctx.control_node = ckt_subckt_port(sc, (size_t)u->ctl);
  ctx.output_node = ckt_subckt_port(sc, (size_t)u->out);
  ctx.vdd_V = p->vdd_V;
  ctx.vbias_V = NAN;
  ctx.n_states = 2;
  ctx.n_ctl = 1;
  ctx.point = point_run;
  ctx.noiseless_high = noiseless_high;
  ctx.user = u;
  ctx.source_file = p->netlist;
  ctx.subckt = ckt_subckt_name(sc);
  ctx.temp_K = temp_K;
  ctx.vctl_V = p->vctl_V;
  ctx.nt = nt;
  ctx.nv = p->nv;
  ctx.seed = p->sweep.seed;
  ctx.repeats = p->sweep.repeats;
  double time_s = p->sweep.time_s;
  ctx.sp = ckt_sim_default_params();
  ctx.sp.tstop_s = time_s;
  ctx.sp.tstep_s = fmin(p->tstep_s, time_s / 16);
  ctx.sp.nt_s = fmin(p->noise_slot_s, ctx.sp.tstep_s);
  if (strchr(ctx.cell, '/') != NULL) {
    rc = TK_FAIL(err, TK_EINVAL, "--name: '%s' has a '/'", ctx.cell);
    cal__report(&ctx, err);
    goto done;
  }
  snprintf(ctx.grp, sizeof ctx.grp, "/cells/%s", ctx.cell);
  ctx.track = &p->sweep.track;
  /* the preflight, before any transient and before the output file:
   * ngspice's names, the operating point at the first temperature and
   * control, every element's noise; what it cannot do fails here, in
   * seconds, naming the element (a usage error: the input is wrong) */
  char nz_el[256], nz_q[2048], kinds[3][256];
  ckt_sim_params sp0 = ctx.sp;
  sp0.temp_K = temp_K[0];
  ckt_pf_params pp = ckt_pf_default_params();
  pp.strict = p->strict;
  pp.mos_twoflux = p->mos_twoflux;
  pp.flicker = p->flicker;
  if ((rc = ckt_preflight_run(sc, u->bind, &sp0, &pp, &u->pf, err)) != 0) {
    if (rc != TK_ENOMEM) {
      char m[TK_ERR_MSG_MAX];
      snprintf(m, sizeof m, "%s", err->msg);
      snprintf(err->msg, sizeof err->msg, "preflight of %.100s: %.380s",
               ckt_subckt_name(sc), m);
      rc = err->status = TK_EINVAL;
    }
    cal__report(&ctx, err);
    goto done;
  }
  /* --engine native: the translation and every sweep temperature's
   * extraction, also before the output file; an element that does not
   * translate is named (a usage error) */
  char sn_desc[128] = "";
  if (p->native) {
    ctx.native = 1;
    rc = ckt_sn_open(sc, u->pf, u->bind, (size_t)u->ctl, (size_t)u->out,
                     (size_t)u->supply, p->vdd_V, &u->sn, err);
    for (size_t t = 0; t < nt && rc == 0; t++)
      rc = ckt_sn_prepare(u->sn, temp_K[t], err);
    if (rc != 0) {
      cal__report(&ctx, err);
      goto done;
    }
    ckt_sn_describe(u->sn, sn_desc, sizeof sn_desc);
    ctx.point_batch = point_batch_run;   /* four points to a vector */
  }
  ckt_preflight_summary(u->pf, nz_el, sizeof nz_el);
  ckt_preflight_quiet(u->pf, nz_q, sizeof nz_q);
  ckt_preflight_kinds(u->pf, CKT_EL_NOISY, kinds[0], sizeof kinds[0]);
  ckt_preflight_kinds(u->pf, CKT_EL_NOISELESS, kinds[1], sizeof kinds[1]);
  ckt_preflight_kinds(u->pf, CKT_EL_UNMODELLED, kinds[2], sizeof kinds[2]);
  ctx.noise_elements = nz_el;
  ctx.noise_quiet = nz_q;
  /* the channel model, "+flicker" with 1/f noise (io_celllib's 16 bytes) */
  ctx.noise_mos = p->flicker ? (p->mos_twoflux ? "twoflux+flicker"
                                               : "charge+flicker")
                             : (p->mos_twoflux ? "twoflux" : "charge");
  if (p->native)   /* the native engine's EKV channel noise */
    ctx.noise_mos = "native";
  char pre[64];
  snprintf(pre, sizeof pre, "tsukit %s", ctx.cmd);
  ckt_preflight_warn(u->pf, pre, stderr);
  if (p->dry_run)
    ckt_preflight_print(u->pf, stdout);
  else
    rc = cal__sweep(p->out, &ctx, time_s, p->sweep.resume, p->sweep.force,
                    p->sweep.workers, s, err);
  if (rc == 0) {
    if (p->dry_run)
      cal_summary_str(s, "cell", ctx.cell);
    cal_summary_long(s, "noisy_transistors", (long)ckt_subckt_nmos(sc));
    cal_summary_str(s, "noisy_elements", kinds[0]);
    cal_summary_str(s, "noiseless_elements", kinds[1]);
    cal_summary_str(s, "unmodelled_elements", kinds[2]);
    cal_summary_str(s, "mos_noise", ctx.noise_mos);
    if (p->native) {
      cal_summary_str(s, "engine", "native");
      cal_summary_str(s, "native_elements", sn_desc);
      cal_summary_long(s, "native_free_nets", (long)ckt_sn_nfree(u->sn));
      cal_summary_double(s, "native_fit_max", ckt_sn_fit_max(u->sn));
    }
    if (p->dry_run)
      cal_summary_long(s, "dry_run", 1);
  }
done:
  if (u != NULL) {
    ckt_sn_free(u->sn);
    ckt_preflight_free(u->pf);
  }
  free(u);
  ckt_subckt_free(sc);
  return rc;
}
