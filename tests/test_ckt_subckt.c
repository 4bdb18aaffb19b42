/* test_ckt_subckt.c -- a designer's subcircuit with tsukit's device noise
 * (circuits/ckt_subckt.h): parsing, the generated test bench, kT/C on a
 * transistor-and-capacitor node, the example pbit flipping only with the
 * noise on, and bad files.
 *
 * Workload: a few short ngspice runs (about 2 s of CPU in all).
 */
#define _GNU_SOURCE 1  /* mkdtemp, asprintf */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calibrate/cal_sweep.h"
#include "circuits/ckt_sim.h"
#include "circuits/ckt_subckt.h"
#include "physics/phys_const.h"
#include "tests/tk_test.h"

static char tmpdir[256];

static char *write_file(const char *name, const char *text)
{
  char *path = NULL;
  if (asprintf(&path, "%s/%s", tmpdir, name) < 0)
    return NULL;
  FILE *f = fopen(path, "w");
  if (f != NULL) {
    fputs(text, f);
    fclose(f);
  }
  return path;
}

static double mean_sd(const double *x, size_t n, double *sd)
{
  double m = 0, q = 0;
  for (size_t i = 0; i < n; i++)
    m += x[i];
  m /= (double)n;
  for (size_t i = 0; i < n; i++)
    q += (x[i] - m) * (x[i] - m);
  *sd = sqrt(q / (double)(n - 1));
  return m;
}

/* Run subcircuit sc with bind; record `node`; 0 on success. */
static int run(ckt_session *s, const ckt_subckt *sc, const ckt_port_bind *b,
               const ckt_sim_params *p, const char *node, ckt_trace *tr,
               double *e_J)
{
  tk_err err = {0};
  ckt_netlist nl;
  char **dev = NULL;
  int rc = ckt_subckt_netlist(sc, b, p, &nl, &dev, &err);
  double *psd0 = calloc(ckt_subckt_nmos(sc) + 1, sizeof *psd0);
  const char *nodes[1] = {node}, *sup[1] = {"V_TK_vdd"};
  double fixed[1] = {NAN}, supv[1] = {0.4};
  ckt_run_spec rs = {&nl, (const char *const *)dev, psd0, 1, nodes, fixed,
                     e_J ? 1 : 0, sup, supv, p->temp_K, NULL, NULL};
  if (rc == 0)
    rc = ckt_sim_run_spec(s, &rs, p, tr, &err);
  if (rc != 0)
    printf("# %s\n", tk_err_text(&err));
  if (rc == 0 && e_J)
    *e_J = tr->e_supply_J;
  ckt_netlist_clear(&nl);
  ckt_subckt_devs_free(dev, ckt_subckt_nmos(sc));
  free(psd0);
  return rc;
}

int main(void)
{
  tk_err err = {0};
  const char *src = getenv("TSUKIT_SRCDIR");
  char *pbit = NULL, *models = NULL;
  snprintf(tmpdir, sizeof tmpdir, "%s/tsukit-subckt.XXXXXX",
           getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (mkdtemp(tmpdir) == NULL || asprintf(&pbit, "%s/tests/data/pbit_pr.cir",
                                          src ? src : ".") < 0 ||
      asprintf(&models, "%s/tests/data/pbit_pr_models.lib",
               src ? src : ".") < 0) {
    TKT_OK(0, "set up");
    return tkt_done();
  }

  /* ---- parsing the example designer pbit ---- */
  ckt_subckt *sc = NULL;
  int rc = ckt_subckt_load(pbit, "PBIT_PR", &sc, &err);
  TKT_OK(rc == 0, "example pbit loads, name case-insensitive (%s)",
         tk_err_text(&err));
  if (rc != 0)
    return tkt_done();
  TKT_OK(ckt_subckt_nports(sc) == 5 &&
             strcmp(ckt_subckt_port(sc, 0), "vc") == 0 &&
             strcmp(ckt_subckt_port(sc, 4), "vbp") == 0,
         "ports vc q vdd vss vbp (%zu)", ckt_subckt_nports(sc));
  TKT_OK(ckt_subckt_find_port(sc, "VSS") == 3 &&
             ckt_subckt_find_port(sc, "nope") == -1, "port lookup");
  /* MR plus 2 tkbuf x 2 tkinv x 2 devices, through two nesting levels */
  TKT_OK(ckt_subckt_nmos(sc) == 9, "9 MOSFETs flattened (%zu)",
         ckt_subckt_nmos(sc));
  const ckt_subckt_mos *m0 = ckt_subckt_mos_at(sc, 0);
  const ckt_subckt_mos *m8 = ckt_subckt_mos_at(sc, 8);
  TKT_OK(strcmp(m0->path, "mr") == 0 && fabs(m0->w_m - 90e-9) < 1e-15 &&
             fabs(m0->l_m - 90e-9) < 1e-15,
         "MR: W, L read across a '+' continuation (%s %g %g)", m0->path,
         m0->w_m, m0->l_m);
  TKT_OK(strcmp(m8->path, "x2.xb.mn") == 0, "nested path x2.xb.mn (%s)",
         m8->path);

  ckt_port_bind b[5] = {{CKT_PORT_FIXED, 0.1865}, {CKT_PORT_FREE, 0},
                        {CKT_PORT_FIXED, 0.4}, {CKT_PORT_GROUND, 0},
                        {CKT_PORT_FIXED, 0.0}};
  ckt_sim_params p = ckt_sim_default_params();
  p.tstop_s = 4e-6;
  p.tstep_s = 2e-9;
  p.nt_s = 0.5e-9;
  ckt_netlist nl;
  char **dev = NULL;
  rc = ckt_subckt_netlist(sc, b, &p, &nl, &dev, &err);
  TKT_OK(rc == 0, "test bench builds (%s)", tk_err_text(&err));
  if (rc == 0) {
    char *t = ckt_netlist_text(&nl);
    size_t inz = 0;
    for (const char *q = t; (q = strstr(q, "\nINZ_")) != NULL; q++)
      inz++;
    /* one source per M line of each reached definition: tkinv 2, pbit_pr 1 */
    TKT_OK(inz == 3, "noise sources written once per definition (%zu)", inz);
    TKT_OK(nl.n_noise == 9 &&
               strcmp(nl.noise_names[8], "i.x_tk.x2.xb.inz_mn") == 0 &&
               strcmp(dev[8], "m.x_tk.x2.xb.mn") == 0,
           "9 sources with ngspice's hierarchical names (%s, %s)",
           nl.noise_names[8], dev[8]);
    TKT_OK(strstr(t, "Vdd vdd 0") == NULL && strstr(t, "Xdut") == NULL &&
               strstr(t, ".tran 1n 1u") == NULL,
           "the designer's own test bench and analysis are dropped");
    TKT_OK(strstr(t, ".model nfet nmos level=54") != NULL &&
               strstr(t, ".include") == NULL,
           "relative .include read from the file's folder, inlined");
    TKT_OK(strstr(t, "X_TK tk_vc tk_q tk_vdd 0 tk_vbp pbit_pr") != NULL,
           "instance line binds ports (ground -> 0)");
    free(t);
    ckt_netlist_clear(&nl);
    ckt_subckt_devs_free(dev, ckt_subckt_nmos(sc));
  }
  ckt_port_bind ub[5];
  memcpy(ub, b, sizeof ub);
  ub[4].kind = CKT_PORT_UNBOUND;
  rc = ckt_subckt_netlist(sc, ub, &p, &nl, &dev, &err);
  TKT_OK(rc == TK_EINVAL && strstr(tk_err_text(&err), "vbp") != NULL,
         "an unbound port is refused (%s)", tk_err_text(&err));

  ckt_session *s = NULL;
  if (ckt_session_open(&s, &err) != 0) {
    TKT_OK(0, "session opens (%s)", tk_err_text(&err));
    return tkt_done();
  }

  /* ---- the example pbit flips with tsukit's noise, not without ---- */
  ckt_trace tr;
  double e_J = 0;
  rc = run(s, sc, b, &p, "tk_q", &tr, &e_J);
  TKT_OK(rc == 0, "example pbit runs with noise");
  if (rc == 0) {
    cal_pbit_point pt;
    cal_pbit_point_measure(tr.v_V, tr.n, tr.dt_s, 0.4, tr.e_supply_J, &pt,
                           &err);
    TKT_OK(pt.flips >= 2 && pt.p[1] > 0.02 && pt.p[1] < 0.98,
           "with noise at 0.1865 V: flips (%g flips, P(1) %.3f)", pt.flips,
           pt.p[1]);
    TKT_OK(e_J > 0, "supply energy counted (%.3g J)", e_J);
    ckt_trace_clear(&tr);
  }
  p.noise = 0;
  rc = run(s, sc, b, &p, "tk_q", &tr, NULL);
  if (rc == 0) {
    cal_pbit_point pt;
    cal_pbit_point_measure(tr.v_V, tr.n, tr.dt_s, 0.4, tr.e_supply_J, &pt,
                           &err);
    TKT_OK(pt.flips == 0, "without noise: never flips (%g flips)", pt.flips);
    ckt_trace_clear(&tr);
  } else {
    TKT_OK(0, "example pbit runs without noise");
  }
  p.noise = 1;
  ckt_subckt_free(sc);

  /* ---- kT/C: a transistor at V_DS = 0 onto a capacitor ---- */
  /* MR (W/L 200/200 nm, gate 0.5 V) from the fixed port a to node x with
   * 20 fF: an Ornstein-Uhlenbeck node, var(x) = kT / C_tot, C_tot = 20 fF
   * plus the device's own ~0.1-0.2 fF (<= 1 %, so <= 0.5 % on sd).  Its
   * correlation time tau is measured from the lag-1 autocorrelation; the
   * sample sd over T then has relative standard error sqrt(tau / (2 T))
   * (x^2 decorrelates at tau / 2).  Threshold: 4 of those sigma plus 1 %
   * for the device capacitance; tau <= T / 100 is checked so the bound is
   * tight. */
  char *rcfile = NULL, *rctext = NULL;
  if (asprintf(&rctext,
               "kT/C test\n.include %s\n"
               ".subckt rcnode a x vg vdd\nMR x vg a 0 nfet W=200n L=200n\n"
               "C1 x 0 20f\n.ends\n", models) < 0 ||
      (rcfile = write_file("rc.cir", rctext)) == NULL) {
    TKT_OK(0, "write rc.cir");
    return tkt_done();
  }
  tk_err_clear(&err);
  rc = ckt_subckt_load(rcfile, "rcnode", &sc, &err);
  TKT_OK(rc == 0, "rc.cir loads (%s)", tk_err_text(&err));
  if (rc == 0) {
    ckt_port_bind rb[4] = {{CKT_PORT_FIXED, 0.2}, {CKT_PORT_FREE, 0},
                           {CKT_PORT_FIXED, 0.5}, {CKT_PORT_FIXED, 0.4}};
    p.tstop_s = 20e-6;
    p.temp_K = 318.4;
    rc = run(s, sc, rb, &p, "tk_x", &tr, NULL);
    TKT_OK(rc == 0, "rc node runs");
    if (rc == 0) {
      double sd, want = sqrt(PHYS_KB_J_PER_K * p.temp_K / 20e-15);
      size_t skip = tr.n / 20;   /* the first 1 us */
      size_t n = tr.n - skip;
      const double *x = tr.v_V + skip;
      double m = mean_sd(x, n, &sd), c1 = 0;
      for (size_t i = 0; i + 1 < n; i++)
        c1 += (x[i] - m) * (x[i + 1] - m);
      c1 /= (double)(n - 1) * sd * sd;
      double tau = c1 > 0 && c1 < 1 ? -tr.dt_s / log(c1) : INFINITY;
      double t_rec = (double)n * tr.dt_s, sig = sqrt(tau / (2 * t_rec));
      TKT_OK(tau <= t_rec / 100, "rc node: tau %.3g s <= T/100 (T %.3g s)",
             tau, t_rec);
      TKT_REL(sd, want, 4 * sig + 0.01,
              "sd(x) = sqrt(kT/C) at 318.4 K (4 sigma + 1 %)");
      TKT_OK(fabs(m - 0.2) < 3 * want, "mean(x) at the port voltage "
             "(%.5f V, fluctuation-dissipation)", m);
      ckt_trace_clear(&tr);
    }
    ckt_subckt_free(sc);
  }

  /* ---- bad files ---- */
  rc = ckt_subckt_load("/nonexistent/x.cir", "a", &sc, &err);
  TKT_OK(rc == TK_EIO && strstr(tk_err_text(&err), "/nonexistent/x.cir"),
         "missing file -> TK_EIO naming it (%s)", tk_err_text(&err));
  rc = ckt_subckt_load(pbit, "nosuch", &sc, &err);
  TKT_OK(rc == TK_ENOTFOUND && strstr(tk_err_text(&err), "pbit_pr") != NULL,
         "unknown subcircuit -> TK_ENOTFOUND listing those defined (%s)",
         tk_err_text(&err));
  char *f1 = write_file("undef.cir", "t\n.subckt top a b\nX1 a b inner\n"
                                     "M1 a b 0 0 nfet\n.ends\n");
  rc = ckt_subckt_load(f1, "top", &sc, &err);
  TKT_OK(rc == TK_ENOTFOUND && strstr(tk_err_text(&err), "inner") != NULL,
         "instance of an undefined subcircuit refused (%s)",
         tk_err_text(&err));
  char *f2 = write_file("nomos.cir", ".subckt r a b\nR1 a b 1k\n.ends\n");
  rc = ckt_subckt_load(f2, "r", &sc, &err);
  TKT_OK(rc == 0 && ckt_subckt_ninst(sc) == 1 && ckt_subckt_nmos(sc) == 0,
         "no transistor: a resistor's subcircuit loads (its thermal noise, "
         "circuits/ckt_preflight.h) (%s)", tk_err_text(&err));
  ckt_subckt_free(sc);
  /* a library's malformed definition fails only when it is reached */
  tk_err_clear(&err);
  char *flib = write_file("lib.cir", ".subckt odd a\nM1 a b\n.ends\n"
                                   ".subckt fine a\nR1 a 0 1k\n.ends\n"
                                   ".subckt uses a\nX1 a odd\n.ends\n");
  rc = ckt_subckt_load(flib, "fine", &sc, &err);
  TKT_OK(rc == 0, "an unreached malformed definition is not read (%s)",
         tk_err_text(&err));
  ckt_subckt_free(sc);
  rc = ckt_subckt_load(flib, "uses", &sc, &err);
  TKT_OK(rc == TK_EINVAL && strstr(tk_err_text(&err), "M1 in odd") != NULL,
         "a reached one is refused, named (%s)", tk_err_text(&err));
  free(flib);
  char *f3 = write_file("loop.cir", ".subckt a p\nX1 p a\nM1 p p 0 0 n\n"
                                    ".ends\n");
  rc = ckt_subckt_load(f3, "a", &sc, &err);
  TKT_OK(rc == TK_EINVAL && strstr(tk_err_text(&err), "deeper") != NULL,
         "recursive subcircuit refused (%s)", tk_err_text(&err));
  char *f4 = write_file("open.cir", ".subckt a p\nM1 p p 0 0 n\n");
  rc = ckt_subckt_load(f4, "a", &sc, &err);
  TKT_OK(rc == TK_EINVAL && strstr(tk_err_text(&err), ".ends") != NULL,
         "missing .ends refused (%s)", tk_err_text(&err));

  ckt_session_close(s);
  const char *fs[] = {rcfile, f1, f2, f3, f4};
  for (size_t i = 0; i < 5; i++)
    if (fs[i] != NULL)
      unlink(fs[i]);
  rmdir(tmpdir);
  free(rcfile);
  free(rctext);
  free(f1);
  free(f2);
  free(f3);
  free(f4);
  free(pbit);
  free(models);
  return tkt_done();
}
