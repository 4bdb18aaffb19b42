/* test_ckt_native.c -- the native solver's devices against the ngspice
 * model card: EKV parameters extracted from bsim4 DC sweeps
 * (ckt_extract.h) for the pbit's three device sizes, and the pbit cell's
 * own devices (circuits/cells/ckt_cells.c table) held against the card.
 *
 * Then both engines on the pbit at the ends of its documented range
 * (0.178 and 0.194 V, 5 us, seed 1): P(1) must agree within the issue's
 * 0.05.  This checks that the native devices switch the digitiser at the
 * card's trip point (with the old EKV defaults native P(1) was 0.76 at
 * the middle, 0.186 V, against 0.43); measured over 40 us the ends give
 * native 0.006 / 0.987 against 0 / 1.
 *
 * Device charges (issue 15): the charge-parameter table of ckt_native.c
 * against ckt_extract_cv() on the card (1 %), and the middle of the range
 * (0.186 V, 20 us, seeds 1-2) through both engines: the noise node's mean
 * within 0.5 mV (its statistical error, 1.9 mV / sqrt(20 us / 2 x 0.15
 * us) ~ 0.2 mV per engine, so ~2 sigma of the difference; measured
 * 0.03 mV), its standard deviation within 10 % (measured 2 %), and P(1)
 * within 0.15 (the record holds ~25 correlation times of the output, so
 * sigma_P ~ 0.07 per engine; measured 0.008: both engines draw their
 * noise from the same counter streams).  Without device charges the
 * native noise node's deviation was 25 % high and tau 2-4x short.
 *
 * Mismatch (issue 15 part 4): a delvto on one digitiser device moves the
 * noiseless trip point equally in both engines (bisection, 0.5 us
 * deterministic runs).
 *
 * Workload: nine DC sweeps of 41 points and three 4-parameter fits
 * (under a second), two 5 us and two 20 us ngspice runs (~1 + 5 s each)
 * and as many native runs (< 0.1 s each).
 *
 * cat4 at 125 C (0.1807 V, 20 us, seeds 1, 2, 7), which diverged under a
 * fixed step before step refinement (phys_sde.h), must run through.
 *
 * Batches (ckt_native_run_batch, four instances per vector): the cat4
 * runs at 125 C with two more seeds (the cell whose steps need
 * refinement; test_phys_sde holds batches with refined and unrefined
 * lanes mixed), and five pbits at different controls with a mismatch shift on
 * two devices (gmm2 likewise, 2 us): every trace, energy and step count
 * bit for bit ckt_native_run's, on every path the CPU has.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_extract.h"
#include "circuits/ckt_measure.h"
#include "circuits/ckt_native.h"
#include "tests/tk_test.h"

/* Largest |I_EKV / I_card - 1| accepted over V_GS 0..0.4 V, V_DS 0.05,
 * 0.2, 0.4 V: the EKV interpolation does not follow BSIM4's moderate
 * inversion exactly (measured 5.4-6.4 %; the old defaults were off 16x). */
#define MAX_REL_ERR 0.10
/* The same at -40, 0, 85 and 125 C for the devices as ckt_native_mos_at
 * takes them there.  Before the switching-point fit and the anchors
 * (ckt_extract.h: vmid, vlin) the currents alone were fitted: max
 * 9.5-11.5 % at -40 C, 7-8 % at 0 and 85 C, 3-5 % at 125 C, rms of ln I_D
 * 1.3-3.9 %.  With them (measured): MR 11 / 9 / 12 / 9.5 % at -40 / 0 /
 * 85 / 125 C (its anchor at V_SB 0.185 V moves the currents at V_SB = 0
 * by up to 7 % rms), MN1 16 / 9.5 / 9.7 / 5.9 %, MP1 15 / 8.3 / 8.5 /
 * 6.7 %; rms of ln I_D 2.3-7.0 %.  The trade is deliberate: the gain and
 * the trip point at the switching point and MR's conductance decide the
 * cells (native-fidelity), the currents far from them do not.  The 27 C
 * parameters taken to temperature by their tc_vth and mu_exp alone were
 * off by 60 % at -40 C and 120 % (a factor 2.2) at 125 C. */
#define MAX_REL_ERR_T 0.18
#define MAX_RMS_LN_T 0.08

/* The extraction of circuits/cells/ckt_cells.c: the digitiser's devices
 * fitted with their output conductance at the switching point and
 * anchored there (vmid 0.2 V), the pseudo-resistor MR anchored at its
 * own point (V_GS 0.115 V, V_SB 0.185 V, V_DS 0). */
static const struct {
  const char *dev;
  phys_mos_type type;
  double w, l;
  double vmid, vlin, vlin_sb;
} sizes[] = {
  {"MR", PHYS_NMOS, 90e-9, 90e-9, 0, 0.115, 0.185},
  {"MN1", PHYS_NMOS, 100e-9, 100e-9, 0.2, 0, 0},
  {"MP1", PHYS_PMOS, 100e-9, 100e-9, 0.2, 0, 0},
};
/* The switching point's output conductance (the fitted g_DS points
 * within 30 mV of V_GS = 0.2 V at V_DS = 0.2 V): measured 1.4 / 2.2 %
 * (N / P) at 27 C; 2.5-4.6 % at -40 and 125 C (fitted there), 0.7-2.8 %
 * at 0 and 85 C.  The anchor is exact (~1e-12) in a fit, holds to the
 * rows' rounding (<= 4e-5) at the fitted temperatures and is off by the
 * quadratic interpolation of the parameters between them: 1.9 % at 0 C,
 * 3.2 % at 85 C, the same sign for every device (so the N/P current
 * ratio, the trip point, moves much less). */
#define MAX_GDS_ERR 0.03
#define MAX_GDS_ERR_T 0.06
#define MAX_ANCHOR_ERR 1e-6
#define MAX_ANCHOR_ERR_T 0.04
#define MAX_ANCHOR_ERR_ROW 2e-4

/* P(1) of the pbit at vctl through one engine (native != 0), or NaN. */
static double pbit_p1(ckt_session *s, double vctl, int native)
{
  tk_err err = {0};
  const ckt_cell_info *ci = ckt_cell_find("pbit");
  phys_cell *c = NULL;
  ckt_trace tr;
  ckt_pbit_stats st;
  memset(&tr, 0, sizeof tr);
  ckt_sim_params p = ckt_sim_default_params();
  p.tstop_s = 5e-6;
  p.tstep_s = ci->tstep_s;
  p.nt_s = ci->nt_s;
  p.seed = 1;
  int rc = ckt_cell_build(ci, &vctl, NULL, &c, &err);
  if (rc == 0)
    rc = native ? ckt_native_run(c, &p, &tr, &err)
                : ckt_sim_run(s, c, "pbit", &p, &tr, &err);
  if (rc == 0)
    rc = ckt_measure_pbit(ckt_trace_node(&tr, "out"), tr.n, tr.dt_s,
                          ci->vdd_V, tr.e_supply_J, &st, &err);
  if (rc != 0)
    printf("# %s\n", tk_err_text(&err));
  ckt_trace_clear(&tr);
  phys_cell_free(c);
  return rc == 0 ? st.p1 : NAN;
}

/* The pbit's noiseless trip point through one engine with threshold
 * shifts dv[] (delvto, by device index): bisection on the output after
 * 0.5 us, 12 steps over 0.17..0.20 V (7 uV). */
static double trip_point(ckt_session *s, int native, const double *dv,
                         size_t ndv)
{
  const ckt_cell_info *ci = ckt_cell_find("pbit");
  double lo = 0.17, hi = 0.20;
  for (int k = 0; k < 12; k++) {
    double v = 0.5 * (lo + hi);
    tk_err err = {0};
    phys_cell *c = NULL;
    ckt_trace tr;
    memset(&tr, 0, sizeof tr);
    ckt_sim_params p = ckt_sim_default_params();
    p.tstop_s = 0.5e-6;
    p.tstep_s = ci->tstep_s;
    p.nt_s = ci->nt_s;
    p.noise = 0;
    p.dvth_V = dv;
    p.n_dvth = ndv;
    int rc = ckt_cell_build(ci, &v, NULL, &c, &err);
    if (rc == 0)
      rc = native ? ckt_native_run(c, &p, &tr, &err)
                  : ckt_sim_run(s, c, "pbit", &p, &tr, &err);
    const double *o = rc == 0 ? ckt_trace_node(&tr, "out") : NULL;
    int high = o != NULL && o[tr.n - 1] > 0.5 * ci->vdd_V;
    ckt_trace_clear(&tr);
    phys_cell_free(c);
    if (o == NULL) {
      printf("# trip point run failed: %s\n", tk_err_text(&err));
      return NAN;
    }
    if (high) hi = v;
    else lo = v;
  }
  return 0.5 * (lo + hi);
}

/* cat4 at 125 C, all four controls 0.1807 V, 20 us, seeds 1, 2, 7: with
 * a fixed 0.5 ns step all three diverged (singular step matrix at 5.0,
 * 14.6 and 7.9 us: the priority chain's fast switching); refined steps
 * (phys_sde.h) run them through, with all four states visited. */
static void cat4_hot(void)
{
  const ckt_cell_info *ci = ckt_cell_find("cat4");
  const double v[4] = {0.1807, 0.1807, 0.1807, 0.1807};
  static const uint64_t seeds[3] = {1, 2, 7};
  for (int k = 0; k < 3; k++) {
    tk_err err = {0};
    phys_cell *c = NULL;
    ckt_trace tr;
    memset(&tr, 0, sizeof tr);
    ckt_sim_params p = ckt_sim_default_params();
    p.temp_K = 398.15;
    p.tstop_s = 20e-6;
    p.tstep_s = ci->tstep_s;
    p.nt_s = ci->nt_s;
    p.seed = seeds[k];
    int rc = ckt_cell_build(ci, v, NULL, &c, &err);
    if (rc == 0)
      rc = ckt_native_run(c, &p, &tr, &err);
    TKT_OK(rc == 0 && tr.n > 0, "cat4 native at 125 C, seed %llu: 20 us "
           "run through (%s)", (unsigned long long)seeds[k],
           rc ? tk_err_text(&err) : "ok");
    ckt_trace_clear(&tr);
    phys_cell_free(c);
  }
}

static int same_trace(const ckt_trace *a, const ckt_trace *b)
{
  return a->n == b->n && a->n_nodes == b->n_nodes &&
         memcmp(a->v_V, b->v_V, a->n * a->n_nodes * sizeof(double)) == 0 &&
         memcmp(&a->e_supply_J, &b->e_supply_J, sizeof(double)) == 0 &&
         a->n_accepted == b->n_accepted;
}

/* n instances of cell `name` at controls v[i][.] with p[i]: the batch on
 * every path against the runs one at a time. */
static void batch_vs_single(const char *name, const double (*v)[4],
                            const ckt_sim_params *p, size_t n,
                            const char *what)
{
  enum { NMAX = 8 };
  const ckt_cell_info *ci = ckt_cell_find(name);
  phys_cell *c[NMAX];
  ckt_trace one[NMAX];
  int rc1[NMAX], built = 0;
  tk_err err = {0};
  for (size_t i = 0; i < n; i++) {
    c[i] = NULL;
    memset(&one[i], 0, sizeof one[i]);
    if (ckt_cell_build(ci, v[i], NULL, &c[i], &err) == 0)
      built++;
    rc1[i] = c[i] != NULL ? ckt_native_run(c[i], &p[i], &one[i], &err) : -1;
  }
  TKT_OK(built == (int)n, "%s: %d cells built", what, built);
  if (built != (int)n)
    return;
  const phys_sde_path paths[3] = {PHYS_SDE_PATH_SCALAR, PHYS_SDE_PATH_LANES,
                                  PHYS_SDE_PATH_AVX2};
  for (int k = 0; k < 3; k++) {
    ckt_trace tr[NMAX];
    int rc[NMAX];
    tk_err es[NMAX], e = {0};
    int st = ckt_native_run_batch((const phys_cell *const *)c, p, n, paths[k],
                                  tr, rc, es, &e);
    if (st == TK_EUNSUPPORTED) {
      TKT_OK(1, "%s: path %s not on this CPU", what,
             phys_sde_path_name(paths[k]));
      continue;
    }
    int same = 0;
    for (size_t i = 0; st == 0 && i < n; i++) {
      same += rc[i] == rc1[i] && (rc[i] != 0 || same_trace(&tr[i], &one[i]));
      ckt_trace_clear(&tr[i]);
    }
    TKT_OK(st == 0 && same == (int)n, "%s, path %s: %d of %zu runs bit for "
           "bit as alone (%s)", what, phys_sde_path_name(paths[k]), same, n,
           st ? e.msg : "ok");
  }
  for (size_t i = 0; i < n; i++) {
    ckt_trace_clear(&one[i]);
    phys_cell_free(c[i]);
  }
}

/* Default run settings of cell ci: tstop_s at temp_K with seed. */
static ckt_sim_params cell_params(const ckt_cell_info *ci, double temp_K,
                                  double tstop_s, uint64_t seed)
{
  ckt_sim_params p = ckt_sim_default_params();
  p.temp_K = temp_K;
  p.tstop_s = tstop_s;
  p.tstep_s = ci->tstep_s;
  p.nt_s = ci->nt_s;
  p.seed = seed;
  return p;
}

static void batches(void)
{
  static const double dv_mn1[3] = {0, 4e-3, 0}, dv_mp1[3] = {-3e-3, 0, 2e-3};
  ckt_sim_params p[8];
  double v[8][4];
  /* cat4 at 125 C, five seeds: steps refined in some lanes */
  const ckt_cell_info *ci = ckt_cell_find("cat4");
  static const uint64_t seeds[5] = {1, 2, 7, 3, 4};
  for (int i = 0; i < 5; i++) {
    p[i] = cell_params(ci, 398.15, 20e-6, seeds[i]);
    for (int j = 0; j < 4; j++)
      v[i][j] = 0.1807;
  }
  batch_vs_single("cat4", (const double (*)[4])v, p, 5,
                  "cat4 at 125 C, 5 seeds");
  /* pbit: five controls, mismatch on two instances */
  ci = ckt_cell_find("pbit");
  for (int i = 0; i < 5; i++) {
    p[i] = cell_params(ci, ckt_sim_default_params().temp_K, 2e-6,
                       11 + (uint64_t)i);
    v[i][0] = 0.182 + 0.002 * i;
  }
  p[1].dvth_V = dv_mn1;
  p[1].n_dvth = 3;
  p[3].dvth_V = dv_mp1;
  p[3].n_dvth = 3;
  batch_vs_single("pbit", (const double (*)[4])v, p, 5,
                  "pbit, 5 controls, 2 mismatched");
  /* gmm2: weight control and vsep */
  ci = ckt_cell_find("gmm2");
  for (int i = 0; i < 6; i++) {
    p[i] = cell_params(ci, ckt_sim_default_params().temp_K, 2e-6,
                       21 + (uint64_t)i);
    v[i][0] = 0.183 + 0.002 * i;
    v[i][1] = 0.3;
  }
  batch_vs_single("gmm2", (const double (*)[4])v, p, 6, "gmm2, 6 controls");
}

int main(void)
{
  tk_err err = {0};
  ckt_session *s = NULL;
  if (ckt_session_open(&s, &err) != 0) {
    TKT_OK(0, "session opens (%s)", tk_err_text(&err));
    return tkt_done();
  }
  phys_cell *c = NULL;
  double v0 = 0.186;
  int rc = ckt_cell_build(ckt_cell_find("pbit"), &v0, NULL, &c, &err);
  TKT_OK(rc == 0, "pbit builds (%s)", tk_err_text(&err));
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    ckt_extract_params ep = ckt_extract_default_params();
    ep.type = sizes[i].type;
    ep.w_m = sizes[i].w;
    ep.l_m = sizes[i].l;
    ep.vmid_V = sizes[i].vmid;
    ep.vlin_V = sizes[i].vlin;
    ep.vlin_sb_V = sizes[i].vlin_sb;
    phys_mos_params mp;
    ckt_extract_fit fit;
    rc = ckt_extract_mos(s, &ep, &mp, &fit, &err);
    TKT_OK(rc == 0, "%s: EKV fit to bsim4 (%s)", sizes[i].dev, tk_err_text(&err));
    if (rc == 0) {
      printf("# %s %s W %g L %g: vth0 %.4f V  n %.4f  kp %.4g A/V^2  "
             "sigma %.4f  (max rel err %.3f, rms ln %.3f, %zu points)\n",
             sizes[i].dev, sizes[i].type == PHYS_NMOS ? "nmos" : "pmos",
             sizes[i].w, sizes[i].l, mp.vth0_V, mp.n, mp.kp_A_per_V2,
             mp.sigma_dibl, fit.max_rel_err, fit.rms_log_err, fit.n_points);
      TKT_IN(fit.max_rel_err, 0.0, MAX_REL_ERR, "fit: max relative error of I_D");
      printf("# %s fit: g_DS at the switching point within %.4f, anchor "
             "%.2g\n", sizes[i].dev, fit.max_gds_rel_err, fit.anchor_rel_err);
      TKT_IN(fit.max_gds_rel_err, 0.0, MAX_GDS_ERR,
             "fit: g_DS at the switching point (max rel err)");
      TKT_IN(fit.anchor_rel_err, 0.0, MAX_ANCHOR_ERR,
             "fit: the anchored current / conductance is the card's");
    }
    /* the cell's own device of this size */
    const phys_mos *m = NULL;
    for (size_t k = 0; c != NULL && k < c->n_mos; k++)
      if (strcmp(c->mos[k].name, sizes[i].dev) == 0)
        m = &c->mos[k];
    TKT_OK(m != NULL, "pbit has device %s", sizes[i].dev);
    if (m != NULL) {
      rc = ckt_extract_check(s, &ep, &m->p, &fit, &err);
      TKT_OK(rc == 0, "%s: cell parameters checked (%s)", sizes[i].dev,
             tk_err_text(&err));
      if (rc == 0) {
        TKT_IN(fit.max_rel_err, 0.0, MAX_REL_ERR,
               "cell's EKV parameters follow the card (max rel err of I_D)");
        TKT_IN(fit.max_gds_rel_err, 0.0, MAX_GDS_ERR,
               "cell's EKV parameters: g_DS at the switching point");
        TKT_IN(fit.anchor_rel_err, 0.0, MAX_ANCHOR_ERR_ROW,
               "cell's EKV parameters: the anchor (rows rounded to 1 uV)");
      }
      /* the same device as the native engine takes it to -40 and 125 C
       * (and to 0 and 85 C, between the fitted temperatures), against the
       * card's sweeps there */
      static const double tk[] = {233.15, 273.15, 358.15, 398.15};
      for (size_t t = 0; t < sizeof tk / sizeof tk[0]; t++) {
        ckt_extract_params et = ep;
        et.temp_K = tk[t];
        phys_mos_params mt, m27 = m->p;
        ckt_native_mos_at(&m->p, tk[t], &mt);
        ckt_extract_fit f27;
        rc = ckt_extract_check(s, &et, &mt, &fit, &err);
        if (rc == 0)
          rc = ckt_extract_check(s, &et, &m27, &f27, &err);
        if (TKT_OK(rc == 0, "%s at %.2f K checked (%s)", sizes[i].dev, tk[t],
                   tk_err_text(&err))) {
          printf("# %s %.2f K: max rel err of I_D %.3f (27 C parameters with "
                 "tc_vth/mu_exp alone: %.3f), rms ln %.3f\n", sizes[i].dev,
                 tk[t], fit.max_rel_err, f27.max_rel_err, fit.rms_log_err);
          TKT_IN(fit.max_rel_err, 0.0, MAX_REL_ERR_T,
                 "native device at temperature follows the card (max)");
          TKT_IN(fit.rms_log_err, 0.0, MAX_RMS_LN_T,
                 "native device at temperature follows the card (rms ln)");
          /* -40 and 125 C are fitted temperatures: the anchor holds to
           * the rows' rounding there, and to the interpolation between */
          int fitted = tk[t] == 233.15 || tk[t] == 398.15;
          printf("# %s %.2f K: g_DS at the switching point within %.4f, "
                 "anchor %.2g\n", sizes[i].dev, tk[t], fit.max_gds_rel_err,
                 fit.anchor_rel_err);
          TKT_IN(fit.max_gds_rel_err, 0.0, MAX_GDS_ERR_T,
                 "native device at temperature: g_DS at the switching point");
          TKT_IN(fit.anchor_rel_err, 0.0,
                 fitted ? MAX_ANCHOR_ERR_ROW : MAX_ANCHOR_ERR_T,
                 "native device at temperature: the anchor");
        }
      }
    }
  }
  phys_cell_free(c);

  /* bad switching-point / pseudo-resistor points: refused before any
   * sweep, naming them */
  {
    static const struct { double vmid, vlin, vsb; const char *what; } bad[] = {
      {0.5, 0, 0, "switching point"},     /* above the V_GS sweep (0.4) */
      {0.004, 0, 0, "switching point"},   /* inside the g_DS step */
      {NAN, 0, 0, "switching point"},
      {0.2, -0.1, 0, "pseudo-resistor"},
      {0.2, 0.1, 1.5, "pseudo-resistor"}, /* V_SB beyond 1 V */
      {0.2, 0.1, NAN, "pseudo-resistor"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      ckt_extract_params ep = ckt_extract_default_params();
      ep.vmid_V = bad[i].vmid;
      ep.vlin_V = bad[i].vlin;
      ep.vlin_sb_V = bad[i].vsb;
      phys_mos_params mp;
      tk_err e2 = {0};
      int r2 = ckt_extract_mos(s, &ep, &mp, NULL, &e2);
      TKT_OK(r2 != 0 && strstr(tk_err_text(&e2), bad[i].what) != NULL,
             "extraction with vmid %g, vlin %g, V_SB %g refused: %s",
             bad[i].vmid, bad[i].vlin, bad[i].vsb, tk_err_text(&e2));
    }
  }

  static const double ends[] = {0.178, 0.194};
  for (size_t i = 0; i < 2; i++) {
    double pn = pbit_p1(s, ends[i], 1), ps = pbit_p1(s, ends[i], 0);
    TKT_OK(isfinite(pn) && isfinite(ps) && fabs(pn - ps) <= 0.05,
           "pbit at %.3f V: native P(1) %.3f vs ngspice %.3f (within 0.05)",
           ends[i], pn, ps);
  }

  /* the charge-parameter table against the card */
  phys_cell *c2 = NULL;
  double vm = 0.186;
  rc = ckt_cell_build(ckt_cell_find("pbit"), &vm, NULL, &c2, &err);
  for (size_t k = 0; rc == 0 && k < c2->n_mos; k++) {
    const phys_mos *m = &c2->mos[k];
    phys_mos_cv a, b;
    ckt_native_cv(m, &a);
    if (!TKT_OK(ckt_extract_cv(s, "bsim4", m->p.type, m->p.w_m, m->p.l_m, &b,
                               &err) == 0, "%s: card's charge parameters (%s)",
                m->name, tk_err_text(&err)))
      continue;
    const double av[] = {a.cox_F_per_m2, a.kp_cv_A_per_V2, a.gamma_sqrtV,
                         a.vfb_V, a.cgso_F_per_m, a.cgdo_F_per_m,
                         a.cgbo_F_per_m, a.cjsw_F_per_m, a.pb_V, a.mjsw,
                         a.ps_m, a.pd_m};
    const double bv[] = {b.cox_F_per_m2, b.kp_cv_A_per_V2, b.gamma_sqrtV,
                         b.vfb_V, b.cgso_F_per_m, b.cgdo_F_per_m,
                         b.cgbo_F_per_m, b.cjsw_F_per_m, b.pb_V, b.mjsw,
                         b.ps_m, b.pd_m};
    double worst = 0;
    for (size_t j = 0; j < sizeof av / sizeof av[0]; j++)
      worst = fmax(worst, fabs(av[j] - bv[j]) / fabs(bv[j]));
    TKT_OK(worst <= 0.01 && a.as_m2 == b.as_m2 && a.ad_m2 == b.ad_m2,
           "%s: ckt_native_cv table within 1 %% of the card (worst %.2g)",
           m->name, worst);
  }
  phys_cell_free(c2);

  /* the middle: noise-node statistics and P(1), both engines */
  double mean[2] = {0, 0}, sd[2] = {0, 0}, p1[2] = {0, 0};
  for (int eng = 0; eng < 2; eng++) {
    for (uint64_t seed = 1; seed <= 2; seed++) {
      const ckt_cell_info *ci = ckt_cell_find("pbit");
      phys_cell *cc = NULL;
      ckt_trace tr;
      memset(&tr, 0, sizeof tr);
      ckt_sim_params p = ckt_sim_default_params();
      p.tstop_s = 20e-6;
      p.tstep_s = ci->tstep_s;
      p.nt_s = ci->nt_s;
      p.seed = seed;
      ckt_pbit_stats st;
      rc = ckt_cell_build(ci, &vm, NULL, &cc, &err);
      if (rc == 0)
        rc = eng ? ckt_native_run(cc, &p, &tr, &err)
                 : ckt_sim_run(s, cc, "pbit", &p, &tr, &err);
      const double *x = rc == 0 ? ckt_trace_node(&tr, "x") : NULL;
      if (rc == 0)
        rc = ckt_measure_pbit(ckt_trace_node(&tr, "out"), tr.n, tr.dt_s,
                              ci->vdd_V, tr.e_supply_J, &st, &err);
      if (TKT_OK(rc == 0 && x != NULL, "%s run at 0.186 V, seed %d (%s)",
                 eng ? "native" : "ngspice", (int)seed, tk_err_text(&err))) {
        double m = 0, q = 0;
        for (size_t i = 0; i < tr.n; i++)
          m += x[i];
        m /= (double)tr.n;
        for (size_t i = 0; i < tr.n; i++)
          q += (x[i] - m) * (x[i] - m);
        mean[eng] += 0.5 * m;
        sd[eng] += 0.5 * sqrt(q / (double)tr.n);
        p1[eng] += 0.5 * st.p1;
      }
      ckt_trace_clear(&tr);
      phys_cell_free(cc);
    }
  }
  TKT_IN(mean[1] - mean[0], -0.5e-3, 0.5e-3,
         "0.186 V: native - ngspice mean of the noise node (V)");
  TKT_REL(sd[1], sd[0], 0.10, "0.186 V: deviation of the noise node");
  TKT_IN(p1[1] - p1[0], -0.15, 0.15, "0.186 V: native - ngspice P(1)");
  printf("# 0.186 V, 2 x 20 us: mean x %.5f / %.5f V, sd %.3g / %.3g mV, "
         "P(1) %.3f / %.3f (native / ngspice)\n", mean[1], mean[0],
         sd[1] * 1e3, sd[0] * 1e3, p1[1], p1[0]);
  /* mismatch: a threshold shift (delvto) of +8.3 mV on MN1 and then on
   * MP1 moves the noiseless trip point the same way in both engines
   * (sign convention and size: within 0.3 mV of ngspice's shift, i.e.
   * the EKV slope at the operating point; measured below) */
  {
    phys_cell *c3 = NULL;
    rc = ckt_cell_build(ckt_cell_find("pbit"), &vm, NULL, &c3, &err);
    size_t nm = rc == 0 ? c3->n_mos : 0;
    double dv[16] = {0};
    double t0[2] = {trip_point(s, 0, NULL, 0), trip_point(s, 1, NULL, 0)};
    for (size_t k = 0; k < nm && nm <= 16; k++) {
      if (strcmp(c3->mos[k].name, "MN1") != 0 &&
          strcmp(c3->mos[k].name, "MP1") != 0)
        continue;
      memset(dv, 0, sizeof dv);
      dv[k] = 8.3e-3;
      double sh[2];
      for (int e = 0; e < 2; e++)
        sh[e] = trip_point(s, e, dv, nm) - t0[e];
      printf("# delvto +8.3 mV on %s: trip point shift ngspice %+.3f mV, "
             "native %+.3f mV\n", c3->mos[k].name, sh[0] * 1e3, sh[1] * 1e3);
      TKT_OK(isfinite(sh[0]) && isfinite(sh[1]) && fabs(sh[0]) > 1e-3 &&
             fabs(sh[1] - sh[0]) <= 0.3e-3,
             "mismatch on %s: native trip-point shift %.3f mV vs ngspice "
             "%.3f mV (within 0.3 mV)", c3->mos[k].name, sh[1] * 1e3,
             sh[0] * 1e3);
    }
    phys_cell_free(c3);
  }
  ckt_session_close(s);
  cat4_hot();
  batches();
  return tkt_done();
}
