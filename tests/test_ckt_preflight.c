/* test_ckt_preflight.c -- designer netlists (tests/data/netlists/) through
 * the preflight (circuits/ckt_preflight.h): every device named from
 * ngspice's own list, the noise of every element kind, and physics checks:
 * an m=2 device equals two parallel ones, a strong-inversion channel
 * matches ngspice's own .noise, a nested netlist equals its flat twin, and
 * a resistor and a pseudo-resistor of the same conductance give the same
 * kT/C on their node.
 *
 * Workload: a few operating points, two 40 us transients of an RC node and
 * two 12 us ones of the example pbit (about 5 s).
 */
#define _GNU_SOURCE 1  /* asprintf */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "circuits/ckt_preflight.h"
#include "physics/phys_const.h"
#include "tests/tk_test.h"

static char dir[1024];

static ckt_subckt *load(const char *file, const char *name)
{
  char path[1200];
  tk_err err = {0};
  ckt_subckt *s = NULL;
  snprintf(path, sizeof path, "%s/%s", dir, file);
  int rc = ckt_subckt_load(path, name, &s, &err);
  TKT_OK(rc == 0, "%s loads (%s)", file, tk_err_text(&err));
  return s;
}

static ckt_preflight *pre(const ckt_subckt *s, const ckt_port_bind *b,
                          int strict, tk_err *err)
{
  ckt_sim_params p = ckt_sim_default_params();
  ckt_pf_params pp = ckt_pf_default_params();
  pp.strict = strict;
  ckt_preflight *pf = NULL;
  tk_err_clear(err);
  if (s == NULL || ckt_preflight_run(s, b, &p, &pp, &pf, err) != 0)
    return NULL;
  return pf;
}

/* The element whose path is `path`, or NULL. */
static const ckt_pf_elem *elem(const ckt_preflight *pf, const ckt_subckt *s,
                               const char *path)
{
  for (size_t i = 0; i < ckt_preflight_nelem(pf); i++)
    if (strcmp(ckt_subckt_inst_at(s, i)->path, path) == 0)
      return ckt_preflight_elem(pf, i);
  return NULL;
}

/* Sum of the densities of the sources of type t on kind k. */
static double total(const ckt_preflight *pf, const ckt_subckt *s, char k,
                    ckt_src_type t)
{
  double sum = 0;
  for (size_t j = 0; j < ckt_preflight_nsrc(pf); j++) {
    const ckt_pf_src *x = ckt_preflight_src(pf, j);
    if (x->on && x->type == t && ckt_subckt_inst_at(s, x->inst)->kind == k)
      sum += x->psd_A2_per_Hz;
  }
  return sum;
}

/* A copy of netlists/file in the same folder with `token` replaced by
 * `value` (malloc'd path, or NULL). */
static char *with_value(const char *file, const char *token, double value)
{
  char in[1200], *out = NULL, buf[8192];
  snprintf(in, sizeof in, "%s/%s", dir, file);
  FILE *f = fopen(in, "r");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  buf[n] = '\0';
  if (f)
    fclose(f);
  char *at = strstr(buf, token);
  if (at == NULL || asprintf(&out, "%s/.%s.%d", dir, file, (int)getpid()) < 0)
    return NULL;
  FILE *o = fopen(out, "w");
  if (o == NULL) {
    free(out);
    return NULL;
  }
  fprintf(o, "%.*s%.6g%s", (int)(at - buf), buf, value, at + strlen(token));
  fclose(o);
  return out;
}

static double node_sd(const ckt_trace *tr, double *tau)
{
  size_t skip = tr->n / 10, n = tr->n - skip;
  const double *x = tr->v_V + skip;
  double m = 0, q = 0, c1 = 0;
  for (size_t i = 0; i < n; i++)
    m += x[i];
  m /= (double)n;
  for (size_t i = 0; i < n; i++)
    q += (x[i] - m) * (x[i] - m);
  for (size_t i = 0; i + 1 < n; i++)
    c1 += (x[i] - m) * (x[i + 1] - m);
  c1 /= q;
  *tau = c1 > 0 && c1 < 1 ? -tr->dt_s / log(c1) : INFINITY;
  return sqrt(q / (double)(n - 1));
}

/* A short noisy transient of pf (its vectors all found), recording
 * `node`: its sd, or NaN on failure. */
static double short_trace(const ckt_preflight *pf, const ckt_port_bind *b,
                          const char *node)
{
  tk_err err = {0};
  ckt_sim_params p = ckt_sim_default_params();
  p.tstop_s = 0.2e-6;
  p.seed = 3;
  const char *nodes[1] = {node};
  double fixed[1] = {NAN}, sd = NAN, tau;
  ckt_run_spec rs = {NULL, NULL, NULL, 1, nodes, fixed, 0, NULL, NULL,
                     p.temp_K, NULL, NULL};
  ckt_session *ses = NULL;
  ckt_trace tr;
  if (ckt_session_open(&ses, &err) == 0 &&
      ckt_preflight_trace(pf, ses, b, &p, &rs, &tr, &err) == 0) {
    sd = node_sd(&tr, &tau);
    ckt_trace_clear(&tr);
  } else {
    printf("# %s\n", tk_err_text(&err));
  }
  ckt_session_close(ses);
  return sd;
}

/* The sd and correlation time of `node` of sc through tstop_s. */
static int knode(const ckt_subckt *sc, const ckt_port_bind *b,
                 const char *node, double tstop_s, double *sd, double *tau)
{
  tk_err err = {0};
  ckt_sim_params p = ckt_sim_default_params();
  p.tstop_s = tstop_s;
  p.tstep_s = 5e-9;
  p.nt_s = 2.5e-9;
  p.seed = 23;
  ckt_preflight *pf = pre(sc, b, 0, &err);
  ckt_session *ses = NULL;
  ckt_trace tr;
  const char *nodes[1] = {node};
  double fixed[1] = {NAN};
  ckt_run_spec rs = {NULL, NULL, NULL, 1, nodes, fixed, 0, NULL, NULL,
                     p.temp_K, NULL, NULL};
  int rc = pf == NULL ? -1 : ckt_session_open(&ses, &err);
  if (rc == 0)
    rc = ckt_preflight_trace(pf, ses, b, &p, &rs, &tr, &err);
  if (rc == 0) {
    *sd = node_sd(&tr, tau);
    ckt_trace_clear(&tr);
  } else {
    printf("# %s\n", tk_err_text(&err));
  }
  ckt_session_close(ses);
  ckt_preflight_free(pf);
  return rc;
}

int main(void)
{
  tk_err err = {0};
  const char *src = getenv("TSUKIT_SRCDIR");
  snprintf(dir, sizeof dir, "%s/tests/data/netlists", src ? src : ".");

  /* ---- nested definitions, .lib section, params, m=, comments ---- */
  ckt_port_bind b4[4] = {{CKT_PORT_FIXED, 0.2}, {CKT_PORT_FREE, 0},
                         {CKT_PORT_FIXED, 0.5}, {CKT_PORT_GROUND, 0}};
  ckt_subckt *sn = load("nested.cir", "top");
  ckt_preflight *pn = pre(sn, b4, 0, &err);
  TKT_OK(pn != NULL, "nested.cir: preflight passes (%s)", tk_err_text(&err));
  if (pn != NULL) {
    ckt_preflight_print(pn, stdout);
    const ckt_pf_elem *mp = elem(pn, sn, "xi1.mp");
    TKT_OK(mp && strcmp(mp->dev, "m.x_tk.m.xi1.mp") == 0,
           "device of a nested definition named by ngspice (%s)",
           mp ? mp->dev : "none");
    const ckt_pf_elem *rq = elem(pn, sn, "rquiet");
    TKT_OK(rq && rq->status == CKT_EL_OFF, "noisy=0 honoured");
    char sum[256];
    ckt_preflight_summary(pn, sum, sizeof sum);
    TKT_OK(strcmp(sum, "noisy=m:4,r:1 noiseless=c:1 off=r:1 unmodelled=none")
               == 0, "summary (%s)", sum);
    double g = 1 / 2e6, want = 4 * phys_kt_J(300.15) * g;
    TKT_REL(total(pn, sn, 'r', CKT_SRC_MAIN), want, 1e-9,
            "Rload: 4kT/R at 300.15 K");
  }
  /* the flat twin: the same devices at the same operating point */
  ckt_subckt *sf = load("flat.cir", "top");
  ckt_preflight *pfl = pre(sf, b4, 0, &err);
  TKT_OK(pfl != NULL, "flat.cir: preflight passes (%s)", tk_err_text(&err));
  if (pn != NULL && pfl != NULL) {
    double a = total(pn, sn, 'm', CKT_SRC_MAIN);
    double c = total(pfl, sf, 'm', CKT_SRC_MAIN);
    TKT_REL(a, c, 1e-6, "nested and flat: the same channel noise in all");
  }
  /* and the same noisy transient: the same noise streams in the same
   * order (channels first, then Rload), so the two trajectories agree to
   * the solver's tolerance */
  ckt_trace tn, tf;
  int rn = -1, rf = -1;
  if (pn != NULL && pfl != NULL) {
    ckt_sim_params p = ckt_sim_default_params();
    p.tstop_s = 1e-6;
    p.seed = 5;
    const char *nodes[1] = {"tk_out"};
    double fixed[1] = {NAN};
    ckt_run_spec rs = {NULL, NULL, NULL, 1, nodes, fixed, 0, NULL, NULL,
                       p.temp_K, NULL, NULL};
    ckt_session *ses = NULL;
    if (ckt_session_open(&ses, &err) == 0) {
      rn = ckt_preflight_trace(pn, ses, b4, &p, &rs, &tn, &err);
      TKT_OK(rn == 0, "nested.cir: noisy transient with ngspice's names (%s)",
             tk_err_text(&err));
      rf = ckt_preflight_trace(pfl, ses, b4, &p, &rs, &tf, &err);
      TKT_OK(rf == 0, "flat.cir: noisy transient (%s)", tk_err_text(&err));
    }
    ckt_session_close(ses);
  }
  if (rn == 0 && rf == 0) {
    double dmax = 0, sd = 0, m = 0;
    for (size_t i = 0; i < tn.n && i < tf.n; i++) {
      dmax = fmax(dmax, fabs(tn.v_V[i] - tf.v_V[i]));
      m += tn.v_V[i] / (double)tn.n;
    }
    for (size_t i = 0; i < tn.n; i++)
      sd += (tn.v_V[i] - m) * (tn.v_V[i] - m) / (double)tn.n;
    sd = sqrt(sd);
    TKT_OK(tn.n == tf.n && sd > 0 && dmax < 0.01 * sd,
           "nested and flat: the same noisy trajectory (max difference %.3g V, "
           "1 %% of its sd %.3g V)", dmax, sd);
  }
  if (rn == 0)
    ckt_trace_clear(&tn);
  if (rf == 0)
    ckt_trace_clear(&tf);
  ckt_preflight_free(pfl);
  ckt_subckt_free(sf);
  ckt_preflight_free(pn);
  ckt_subckt_free(sn);

  /* ---- BSIM4 networks, tunnelling, binning, other kinds ---- */
  ckt_port_bind bb[4] = {{CKT_PORT_FIXED, 0.6}, {CKT_PORT_FIXED, 0.8},
                         {CKT_PORT_GROUND, 0}, {CKT_PORT_GROUND, 0}};
  ckt_subckt *sb = load("bsim4.cir", "gated");
  ckt_preflight *pb = pre(sb, bb, 0, &err);
  TKT_OK(pb != NULL, "bsim4.cir: preflight passes (%s)", tk_err_text(&err));
  if (pb != NULL) {
    ckt_preflight_print(pb, stdout);
    TKT_OK(total(pb, sb, 'm', CKT_SRC_GS) > 0 &&
               total(pb, sb, 'm', CKT_SRC_GB) > 0,
           "igcmod/igbmod: gate tunnelling shot noise injected");
    TKT_OK(total(pb, sb, 'q', CKT_SRC_BASE) > 0 &&
               total(pb, sb, 'd', CKT_SRC_MAIN) >= 0,
           "BJT base and diode shot noise");
    const ckt_pf_elem *j = elem(pb, sb, "j1");
    TKT_OK(j && j->status == CKT_EL_UNMODELLED, "JFET listed as not modelled");
    const ckt_pf_elem *m = elem(pb, sb, "mlong");
    TKT_OK(m && m->note != NULL, "rgatemod/rbodymod noted (%s)",
           m && m->note ? m->note : "none");
    TKT_OK(ckt_preflight_count(pb, CKT_EL_UNMODELLED) == 3,
           "3 elements not (fully) modelled");
    char quiet[256];
    ckt_preflight_quiet(pb, quiet, sizeof quiet);
    TKT_OK(strcmp(quiet, "mshort(partial) mlong(partial) j1(not modelled)")
               == 0, "elements without (all) noise listed (%s)", quiet);
    TKT_OK(ckt_preflight_warn(pb, "# test", stdout) == 3, "a warning for each");
    /* every device vector (channel, gate currents, diode, base and
     * collector) found by the transient: it runs */
    TKT_OK(isfinite(short_trace(pb, bb, "tk_d")),
           "bsim4.cir: noisy transient with gate, diode and BJT sources");
  }
  ckt_preflight_free(pb);
  pb = pre(sb, bb, 1, &err);
  TKT_OK(pb == NULL && err.status == TK_EINVAL &&
             strstr(err.msg, "mshort") != NULL,
         "--strict refuses, naming the element (%s)", err.msg);
  ckt_preflight_free(pb);
  ckt_subckt_free(sb);

  /* ---- level-1 cards, diodes, a bipolar stage, tempco, M=3 ---- */
  ckt_subckt *sl = load("level1.cir", "stage");
  ckt_port_bind bl[4] = {{CKT_PORT_FIXED, 0.9}, {CKT_PORT_FREE, 0},
                         {CKT_PORT_FIXED, 3.3}, {CKT_PORT_GROUND, 0}};
  ckt_preflight *pl = pre(sl, bl, 0, &err);
  TKT_OK(pl != NULL, "level1.cir: preflight passes (%s)", tk_err_text(&err));
  if (pl != NULL) {
    ckt_preflight_print(pl, stdout);
    char sum[256], quiet[256];
    ckt_preflight_summary(pl, sum, sizeof sum);
    ckt_preflight_quiet(pl, quiet, sizeof quiet);
    /* the diodes' rs modelled (test_ckt_flicker holds it against
     * ngspice's .noise); the transistor's rb: noise not injected */
    TKT_OK(strcmp(sum, "noisy=d:2,m:1,q:1,r:2 noiseless=none "
                       "unmodelled=q:1") == 0 &&
               strcmp(quiet, "q1(partial)") == 0,
           "summary (%s; %s)", sum, quiet);
    const ckt_pf_elem *d2 = elem(pl, sl, "d2");
    TKT_OK(d2 && strcmp(d2->model, "dx") == 0 && d2->note == NULL,
           "D2: model %s, its rs modelled (note '%s')", d2 ? d2->model : "?",
           d2 && d2->note ? d2->note : "none");
    const ckt_pf_elem *q1n = elem(pl, sl, "q1");
    TKT_OK(q1n && q1n->note && strstr(q1n->note, "rb 50") != NULL,
           "Q1: what is missing named with the card's value (%s)",
           q1n && q1n->note ? q1n->note : "none");
    const ckt_pf_elem *q1 = elem(pl, sl, "q1");
    TKT_OK(q1 && strcmp(q1->dev, "q.x_tk.q1") == 0, "Q1 named %s",
           q1 ? q1->dev : "none");
    TKT_OK(total(pl, sl, 'd', CKT_SRC_MAIN) > 0 &&
               total(pl, sl, 'q', CKT_SRC_MAIN) > 0 &&
               total(pl, sl, 'm', CKT_SRC_GS) == 0,
           "diode and collector shot noise; no gate noise on level 1");
    /* RD: 100k with tc1 at 300.15 K = tnom: 4kT/100k; RE: 4kT/50k */
    TKT_REL(total(pl, sl, 'r', CKT_SRC_MAIN),
            4 * phys_kt_J(300.15) * (1 / 100e3 + 1 / 50e3), 1e-9,
            "resistors 4kT/R");
    double sd = short_trace(pl, bl, "tk_out");
    TKT_OK(sd > 0, "level1.cir: noisy transient, the output moves (sd %.3g V)",
           sd);
  }
  ckt_preflight_free(pl);
  ckt_subckt_free(sl);

  /* ---- what ngspice cannot load fails here, fast, saying why ---- */
  ckt_subckt *sx = load("badmodel.cir", "top");
  ckt_port_bind bx[3] = {{CKT_PORT_FIXED, 0.5}, {CKT_PORT_FIXED, 0.2},
                         {CKT_PORT_FREE, 0}};
  ckt_preflight *px = pre(sx, bx, 0, &err);
  TKT_OK(px == NULL && err.status == TK_ESPICE &&
             strstr(err.msg, "nosuchmodel") != NULL,
         "an unknown model: ngspice's message naming it (%s)", err.msg);
  ckt_preflight_free(px);
  ckt_subckt_free(sx);

  /* ---- m=2 equals two parallel devices ---- */
  ckt_port_bind b3[3] = {{CKT_PORT_FIXED, 0.236}, {CKT_PORT_FIXED, 0.21},
                         {CKT_PORT_FIXED, 0.0}};
  ckt_subckt *s2 = load("mpbit.cir", "m2"), *sp = load("mpbit.cir", "par2");
  ckt_preflight *p2 = pre(s2, b3, 0, &err), *pp2 = pre(sp, b3, 0, &err);
  TKT_OK(p2 && pp2, "m=2 and parallel preflights pass");
  if (p2 && pp2)
    TKT_REL(total(p2, s2, 'm', CKT_SRC_MAIN),
            total(pp2, sp, 'm', CKT_SRC_MAIN), 1e-6,
            "m=2: the density of two parallel devices");
  ckt_preflight_free(p2);
  ckt_preflight_free(pp2);
  ckt_subckt_free(s2);
  ckt_subckt_free(sp);
  /* m=2 on a subcircuit instance: ngspice multiplies it into every device
   * inside (resistors included) */
  s2 = load("mpbit.cir", "xm2");
  sp = load("mpbit.cir", "xpar");
  p2 = pre(s2, b3, 0, &err);
  pp2 = pre(sp, b3, 0, &err);
  TKT_OK(p2 && pp2, "X m=2 and two X preflights pass");
  if (p2 && pp2) {
    TKT_REL(total(p2, s2, 'm', CKT_SRC_MAIN),
            total(pp2, sp, 'm', CKT_SRC_MAIN), 1e-6,
            "X m=2: the channel density of two instances");
    TKT_REL(total(p2, s2, 'r', CKT_SRC_MAIN),
            total(pp2, sp, 'r', CKT_SRC_MAIN), 1e-9,
            "X m=2: the resistor density of two instances");
  }
  ckt_preflight_free(p2);
  ckt_preflight_free(pp2);
  ckt_subckt_free(s2);
  ckt_subckt_free(sp);

  /* ---- a strong-inversion channel against ngspice's own .noise ---- */
  char *deck[12] = {"strong inversion", NULL,
                    "M1 d g 0 0 nfet W=2u L=1u", "Vd d1 0 0.5", "Vs d1 d 0",
                    "Vg g 0 DC 0.7 AC 1", "H1 out 0 Vs 1",
                    ".noise v(out) Vg dec 1 1e6 1e6", ".end"};
  char *inc = NULL;
  if (asprintf(&inc, ".include %s/lib/cards/bsim4.mod", dir) < 0)
    return 1;
  deck[1] = inc;
  ckt_session *ses = NULL;
  double *on = NULL;
  size_t non = 0;
  int rc = ckt_session_open(&ses, &err);
  if (rc == 0)
    rc = ckt_session_run(ses, (const char *const *)deck, 9, NULL, &err);
  if (rc == 0)
    rc = ckt_session_vec(ses, "onoise_spectrum", &on, &non, &err);
  ckt_session_close(ses);
  TKT_OK(rc == 0, "ngspice .noise of the device (%s)", tk_err_text(&err));
  ckt_subckt *ss = load("mpbit.cir", "strong");
  ckt_port_bind b2[2] = {{CKT_PORT_FIXED, 0.5}, {CKT_PORT_FIXED, 0.7}};
  ckt_preflight *ps = pre(ss, b2, 0, &err);
  if (rc == 0 && ps != NULL) {
    /* BSIM4 tnoimod=0, flicker off in the card; L = 1 um (long channel) */
    TKT_REL(total(ps, ss, 'm', CKT_SRC_MAIN), on[0] * on[0], 0.10,
            "strong inversion: injected density = ngspice .noise (10 %)");
    const ckt_pf_src *x = ckt_preflight_src(ps, 0);
    double two = ckt_mos_noise_psd(x->op[0], x->op[2], 300.15);
    TKT_OK(two > 2 * on[0] * on[0], "(the two-flux 2q(I_F+I_R) would be "
           "%.2fx off)", two / (on[0] * on[0]));
  }
  free(on);
  ckt_preflight_free(ps);
  ckt_subckt_free(ss);

  /* ---- a short channel (L = 100 nm, strong inversion): BSIM4's own two
   * thermal-noise models disagree there (tnoimod=0, mu_eff |Q_inv| /
   * L_eff^2, ignores velocity saturation: 1.28x tsukit's; tnoimod=1,
   * from gm, gmbs, gds: 0.78x); tsukit's charge-based density, whose
   * channel charge follows from gm (velocity saturation lowers it), lies
   * between them (README, docs/FINDINGS.md) ---- */
  {
    double bsn[2] = {NAN, NAN};
    for (int t = 0; t < 2; t++) {
      char *dk[12] = {"short channel", inc, "M1 d g 0 0 nfet W=2u L=100n",
                      "Vd d1 0 0.5", "Vs d1 d 0", "Vg g 0 DC 0.7 AC 1",
                      "H1 out 0 Vs 1", ".noise v(out) Vg dec 1 1e6 1e6",
                      ".end"};
      ckt_session *s1 = NULL;
      double *o1 = NULL;
      size_t n1 = 0;
      int r1 = ckt_session_open(&s1, &err);
      if (r1 == 0)
        r1 = ckt_session_load(s1, (const char *const *)dk, 9, &err);
      if (r1 == 0 && t == 1)
        r1 = ckt_session_command(s1, "altermod nfet tnoimod=1", &err);
      if (r1 == 0)
        r1 = ckt_session_command(s1, "run", &err);
      if (r1 == 0)
        r1 = ckt_session_vec(s1, "onoise_spectrum", &o1, &n1, &err);
      ckt_session_close(s1);
      TKT_OK(r1 == 0 && n1 >= 1, "ngspice .noise, L = 100 nm, tnoimod=%d "
             "(%s)", t, tk_err_text(&err));
      if (r1 == 0 && n1 >= 1)
        bsn[t] = o1[0] * o1[0];
      free(o1);
    }
    ckt_subckt *sh = load("mpbit.cir", "short");
    ckt_preflight *ph = pre(sh, b2, 0, &err);
    double st = ph ? total(ph, sh, 'm', CKT_SRC_MAIN) : NAN;
    printf("# L = 100 nm, V_GS 0.7 V: tsukit %.4g, BSIM4 tnoimod=0 %.4g "
           "(x%.3f), tnoimod=1 %.4g (x%.3f) A^2/Hz\n", st, bsn[0],
           bsn[0] / st, bsn[1], bsn[1] / st);
    TKT_IN(st, fmin(bsn[0], bsn[1]), fmax(bsn[0], bsn[1]),
           "short channel: tsukit's density between BSIM4's tnoimod=0 and "
           "tnoimod=1");
    TKT_IN(bsn[0] / bsn[1], 1.3, 2.0, "(the two BSIM4 models differ by "
           "1.3-2x there: the model spread that bounds any choice)");
    ckt_preflight_free(ph);
    ckt_subckt_free(sh);
  }

  free(inc);

  /* ---- kT/C through a resistor = through a pseudo-resistor ---- */
  ckt_subckt *sm = load("mpbit.cir", "mnode");
  ckt_port_bind b3m[3] = {{CKT_PORT_FIXED, 0.236}, {CKT_PORT_FREE, 0},
                          {CKT_PORT_FIXED, 0.0}};
  ckt_preflight *pm = pre(sm, b3m, 0, &err);
  double g_S = pm ? ckt_preflight_src(pm, 0)->op[2] : NAN;
  ckt_preflight_free(pm);
  TKT_OK(g_S > 1e-9 && g_S < 1e-6, "pseudo-resistor g_ds %.3g S (tau = C / g well below the 36 us recorded)", g_S);
  char rpath[1200], *rtext = NULL, tmp[] = "/tmp/tsukit-pf.XXXXXX";
  snprintf(rpath, sizeof rpath, "%s/rpbit.cir", dir);
  FILE *f = fopen(rpath, "r");
  char buf[4096] = "";
  size_t nr = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  buf[nr] = '\0';
  if (f)
    fclose(f);
  char *rv = strstr(buf, "RVAL");
  int fd = mkstemp(tmp);
  if (rv != NULL && fd >= 0 &&
      asprintf(&rtext, "%.*s%.6g%s", (int)(rv - buf), buf, 1 / g_S,
               rv + 4) > 0) {
    FILE *o = fdopen(fd, "w");
    fputs(rtext, o);
    fclose(o);
  }
  ckt_subckt *sr = NULL;
  rc = ckt_subckt_load(tmp, "rnode", &sr, &err);
  TKT_OK(rc == 0, "resistor twin loads (%s)", tk_err_text(&err));
  double sd_m = NAN, sd_r = NAN, tau_m = NAN, tau_r = NAN;
  ckt_port_bind b2r[2] = {{CKT_PORT_FIXED, 0.236}, {CKT_PORT_FREE, 0}};
  int r1 = sr ? knode(sr, b2r, "tk_x", 40e-6, &sd_r, &tau_r) : -1;
  int r2 = knode(sm, b3m, "tk_x", 40e-6, &sd_m, &tau_m);
  TKT_OK(r1 == 0 && r2 == 0, "both kT/C nodes run");
  if (r1 == 0 && r2 == 0) {
    /* the sample sd over T = 36 us has relative standard error
     * sqrt(tau / (2 T)) (x^2 decorrelates at tau / 2); the resistor node
     * against kT/C(2 fF): 4 sigma; the two against each other: 4 sigma of
     * the difference (sqrt 2) plus 5 % for the MOSFET's own capacitance */
    double kc = sqrt(PHYS_KB_J_PER_K * 300.15 / 2e-15);
    double sig_r = sqrt(tau_r / (2 * 36e-6)), sig_m = sqrt(tau_m / (2 * 36e-6));
    printf("# resistor: sd %.4g V tau %.3g s; pseudo-resistor: sd %.4g V "
           "tau %.3g s; kT/C %.4g V\n", sd_r, tau_r, sd_m, tau_m, kc);
    TKT_REL(sd_r, kc, 4 * sig_r, "resistor node: sd = sqrt(kT/C) (4 sigma)");
    TKT_REL(sd_m, sd_r, 4 * hypot(sig_r, sig_m) + 0.05,
            "pseudo-resistor node: the same sd (4 sigma + 5 %)");
  }
  /* the noise of an X m=2 (sources multiplied by m by ngspice, their
   * density divided by m^2) against two explicit instances: the same
   * node sd (the same devices, capacitances and noise bandwidth; 4 sigma
   * of the difference of two sd's of relative error sqrt(tau / (2 T))) */
  ckt_subckt *sx2 = load("mpbit.cir", "xm2node");
  ckt_subckt *sxp = load("mpbit.cir", "xparnode");
  double sd_x = NAN, tau_x = NAN, sd_p = NAN, tau_p = NAN;
  if (sx2 != NULL && sxp != NULL &&
      knode(sx2, b3m, "tk_x", 40e-6, &sd_x, &tau_x) == 0 &&
      knode(sxp, b3m, "tk_x", 40e-6, &sd_p, &tau_p) == 0) {
    printf("# X m=2 node: sd %.4g V tau %.3g s; two X: sd %.4g V tau %.3g s\n",
           sd_x, tau_x, sd_p, tau_p);
    TKT_REL(sd_x, sd_p,
            4 * hypot(sqrt(tau_x / (2 * 36e-6)), sqrt(tau_p / (2 * 36e-6))),
            "X m=2 node: the sd of two instances (4 sigma)");
  } else {
    TKT_OK(0, "X m=2 and two-X nodes run");
  }
  ckt_subckt_free(sxp);
  ckt_subckt_free(sx2);
  ckt_subckt_free(sr);
  ckt_subckt_free(sm);
  remove(tmp);
  free(rtext);

  /* ---- the same in the example pbit: resistor vs pseudo-resistor ---- */
  char pbpath[1200];
  snprintf(pbpath, sizeof pbpath, "%s/../pbit_pr.cir", dir);
  ckt_subckt *spr = NULL, *srr = NULL;
  rc = ckt_subckt_load(pbpath, "pbit_pr", &spr, &err);
  TKT_OK(rc == 0, "pbit_pr.cir loads (%s)", tk_err_text(&err));
  ckt_port_bind bp[5] = {{CKT_PORT_FIXED, 0.236}, {CKT_PORT_FREE, 0},
                         {CKT_PORT_FIXED, 0.5}, {CKT_PORT_GROUND, 0},
                         {CKT_PORT_FIXED, 0.0}};
  ckt_preflight *ppr = spr ? pre(spr, bp, 0, &err) : NULL;
  double g_mr = ppr ? ckt_preflight_src(ppr, 0)->op[2] : NAN;
  ckt_preflight_free(ppr);
  char *rfile = with_value("pbit_r.cir", "3.97g", 1 / g_mr);
  rc = rfile ? ckt_subckt_load(rfile, "pbit_pr", &srr, &err) : -1;
  TKT_OK(rc == 0, "pbit_r.cir with R = 1 / g_ds(MR) = %.4g ohm loads (%s)",
         1 / g_mr, tk_err_text(&err));
  if (spr != NULL && srr != NULL) {
    double sp_m = NAN, sp_r = NAN, tp_m = NAN, tp_r = NAN;
    int a = knode(spr, bp, "x_tk.x", 12e-6, &sp_m, &tp_m);
    int c = knode(srr, bp, "x_tk.x", 12e-6, &sp_r, &tp_r);
    TKT_OK(a == 0 && c == 0, "both pbits run 12 us with noise");
    if (a == 0 && c == 0) {
      /* both kT/C: sd ~ C^-1/2.  X's capacitance is 0.717 fF with MR and
       * 0.607 fF with the resistor (MR's own junction and overlap
       * capacitance; an ngspice .ac at 10 MHz with X as a port, where
       * both give X the same conductance, 6.93e-8 S), so
       * sd_MR = sd_R sqrt(0.607 / 0.717).  As above the relative standard
       * error of each sd is sqrt(tau / (2 T)), T = 10.8 us; threshold
       * 4 sigma of the difference plus 2 % for the capacitance's bias
       * dependence. */
      double sig = hypot(sqrt(tp_m / (2 * 10.8e-6)),
                         sqrt(tp_r / (2 * 10.8e-6)));
      printf("# pbit noise node X: pseudo-resistor sd %.4g V tau %.3g s; "
             "resistor sd %.4g V tau %.3g s\n", sp_m, tp_m, sp_r, tp_r);
      TKT_REL(sp_m, sp_r * sqrt(0.607 / 0.717), 4 * sig + 0.02,
              "pbit: resistor and pseudo-resistor of one conductance give X "
              "the kT/C of its capacitance (4 sigma + 2 %)");
      TKT_OK(sp_r > 1.5e-3, "the resistor is not silent (sd %.3g V; no noise "
             "gives ~1e-16 V)", sp_r);
    }
  }
  /* the two-flux option reproduces the netlist path of tsukit <= 1
   * (ckt_subckt_netlist + ckt_sim_run_spec) bit for bit */
  if (spr != NULL) {
    ckt_sim_params p = ckt_sim_default_params();
    p.tstop_s = 1e-6;
    p.seed = 9;
    ckt_pf_params pp = ckt_pf_default_params();
    pp.mos_twoflux = 1;
    ckt_preflight *p2f = NULL;
    ckt_netlist nl;
    char **dev = NULL;
    double psd0[16] = {0};
    const char *nodes[2] = {"tk_q", "x_tk.x"};
    double fixed[2] = {NAN, NAN};
    ckt_trace ta, tb;
    ckt_session *sp2 = NULL;
    int ra = -1, rb = -1;
    if (ckt_preflight_run(spr, bp, &p, &pp, &p2f, &err) == 0 &&
        ckt_session_open(&sp2, &err) == 0) {
      ckt_run_spec rs = {NULL, NULL, NULL, 2, nodes, fixed, 0, NULL, NULL,
                         p.temp_K, NULL, NULL};
      ra = ckt_preflight_trace(p2f, sp2, bp, &p, &rs, &ta, &err);
      if (ckt_subckt_netlist(spr, bp, &p, &nl, &dev, &err) == 0) {
        rs.nl = &nl;
        rs.mos_dev = (const char *const *)dev;
        rs.psd0 = psd0;
        rb = ckt_sim_run_spec(sp2, &rs, &p, &tb, &err);
        ckt_netlist_clear(&nl);
        ckt_subckt_devs_free(dev, ckt_subckt_nmos(spr));
      }
    }
    ckt_session_close(sp2);
    ckt_preflight_free(p2f);
    TKT_OK(ra == 0 && rb == 0 && ta.n == tb.n &&
               memcmp(ta.v_V, tb.v_V, 2 * ta.n * sizeof *ta.v_V) == 0,
           "two-flux through the preflight = the netlist path before it, "
           "bit for bit (%s)", tk_err_text(&err));
    if (ra == 0)
      ckt_trace_clear(&ta);
    if (rb == 0)
      ckt_trace_clear(&tb);
  }
  if (rfile != NULL)
    remove(rfile);
  free(rfile);
  ckt_subckt_free(spr);
  ckt_subckt_free(srr);
  return tkt_done();
}
