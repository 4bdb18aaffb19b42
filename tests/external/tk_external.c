/* tk_external.c -- a program of someone else's, built against the
 * installed libtsukit only (tests/install_external.sh compiles it with
 * `pkg-config --cflags --libs tsukit`; it sees the installed headers, not
 * the source tree).  Prints TAP lines without a plan (the script counts).
 *
 * 1. pbit prediction: a temperature model (calibrate/cal_temp.h) fitted to
 *    four temperatures of an exactly known pbit -- v0(T) = 0.185 V
 *    - 1.5 mV/K (T - 300 K), vs(T) = 0.35 mV T/300 K, tau(T) = 500 ns
 *    exp(Ea/k (1/T - 1/300 K)) with Ea = 0.12 eV -- predicts P(1) and tau
 *    at 325 K, a temperature it was not given.  Exact inputs, so the
 *    prediction must equal the logistic 1/(1 + exp(-(v - v0)/vs)) of the
 *    true curve at 325 K (to 1e-9) and tau the true Arrhenius value.
 * 2. Gibbs run: a 3 x 3 grid (12 links, couplings and biases fixed
 *    below, beta = 1) on ideal cells, sampled by the fast chromatic
 *    sampler (tsu_graph, tsu_coloring, tsu_cells, tsu_sampler), 256
 *    chains x 2000 sweeps after 200 of burn-in.  Every node mean <s_i>
 *    and link correlation <s_i s_j> must lie within 5 standard errors of
 *    its exact value by enumeration of the 512 states; the standard
 *    error is the spread of the 256 independent chains' time averages
 *    over sqrt(256).  Seed fixed (7): the outcome is deterministic; 21
 *    observables at 5 sigma, false alarm < 1.3e-5 for a correct sampler.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <tsukit.h>

static int n_fail;

static void ok(int cond, const char *what)
{
  printf("%sok - %s\n", cond ? "" : "not ", what);
  if (!cond)
    n_fail++;
}

/* ---- 1. pbit prediction ------------------------------------------- */
#define K_B 1.380649e-23
#define Q_E 1.602176634e-19

static double v0_true(double t) { return 0.185 - 1.5e-3 * (t - 300); }
static double vs_true(double t) { return 3.5e-4 * t / 300; }
static double tau_true(double t)
{
  return 500e-9 * exp(0.12 * Q_E / K_B * (1 / t - 1 / 300.0));
}

static void pbit_prediction(void)
{
  const double temps[4] = {250, 300, 350, 400};
  cal_temp_point pt[4];
  for (int k = 0; k < 4; k++) {
    double t = temps[k];
    pt[k] = (cal_temp_point){.temp_K = t, .v0_V = v0_true(t), .v0_err_V = 1e-4,
                             .vs_V = vs_true(t), .vs_err_V = 1e-5,
                             .tau_s = tau_true(t), .tau_err_s = 0.02 * tau_true(t)};
  }
  cal_temp_params p = cal_temp_default_params();
  cal_temp_model m;
  tk_err err = {0};
  int rc = cal_temp_fit(pt, 4, &p, &m, &err);
  ok(rc == 0, "cal_temp_fit on four temperatures");
  if (rc != 0) {
    printf("# %s\n", tk_err_text(&err));
    return;
  }
  double t = 325, v = v0_true(t) + 0.7 * vs_true(t), p1_err = -1;
  double p1 = cal_temp_predict_p1(&m, t, v, &p1_err);
  double want = 1 / (1 + exp(-0.7));
  printf("# 325 K, v0 + 0.7 vs: P(1) %.9f (+- %.2g), true %.9f\n", p1, p1_err, want);
  ok(fabs(p1 - want) < 1e-9, "P(1) at 325 K is the true logistic");
  ok(p1_err > 0 && p1_err < 0.1, "P(1) has a standard error");
  double tau = cal_temp_tau_s(&m, t);
  printf("# 325 K: tau %.6g s, true %.6g s; Ea %.4f eV\n", tau, tau_true(t),
         m.ea_J / Q_E);
  ok(fabs(tau / tau_true(t) - 1) < 1e-9, "tau at 325 K is the true Arrhenius value");
}

/* ---- 2. Gibbs run against exact enumeration ------------------------ */
#define L 3
#define N (L * L)
#define CHAINS 256
#define BURN 200
#define SWEEPS 2000

static void gibbs_run(void)
{
  uint32_t ei[2 * N], ej[2 * N];
  double w[2 * N], h[N];
  uint32_t ne = 0;
  for (int r = 0; r < L; r++)
    for (int c = 0; c < L; c++) {
      int i = r * L + c;
      h[i] = 0.15 * ((i % 3) - 1) + 0.05;
      if (c + 1 < L) {
        ei[ne] = i; ej[ne] = i + 1; w[ne] = (ne % 2 ? -0.4 : 0.5); ne++;
      }
      if (r + 1 < L) {
        ei[ne] = i; ej[ne] = i + L; w[ne] = (ne % 3 ? 0.3 : -0.6); ne++;
      }
    }
  const double beta = 1.0;
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_cells *cells = NULL;
  tsu_sampler *s = NULL;
  tsu_cell_params cp = tsu_cell_ideal_params(beta);
  int rc = tsu_graph_from_edges(N, ne, ei, ej, w, h, &g, &err);
  if (rc == 0)
    rc = tsu_coloring_build(g, &col, &err);
  if (rc == 0)
    rc = tsu_cells_build(&cp, N, &cells, &err);
  if (rc == 0)
    rc = tsu_sampler_alloc(g, col, cells, CHAINS, 7, TSU_PATH_AUTO, &s, &err);
  ok(rc == 0, "graph, colouring, cells and sampler built");
  if (rc != 0) {
    printf("# %s\n", tk_err_text(&err));
    goto out;
  }
  printf("# kernel path %s, %u nodes, %u links\n", tsu_sampler_path_name(s), N, ne);

  /* exact moments: E(s) = -sum h s - sum J s s, weight exp(-beta E) */
  double z = 0, em[N] = {0}, ec[2 * N] = {0};
  for (uint32_t st = 0; st < (1u << N); st++) {
    int sp[N];
    double e = 0;
    for (int i = 0; i < N; i++) {
      sp[i] = (st >> i) & 1 ? 1 : -1;
      e -= h[i] * sp[i];
    }
    for (uint32_t k = 0; k < ne; k++)
      e -= w[k] * sp[ei[k]] * sp[ej[k]];
    double pw = exp(-beta * e);
    z += pw;
    for (int i = 0; i < N; i++)
      em[i] += pw * sp[i];
    for (uint32_t k = 0; k < ne; k++)
      ec[k] += pw * sp[ei[k]] * sp[ej[k]];
  }

  /* per-chain time averages of the N + ne observables */
  uint32_t n_obs = N + ne;
  double *avg = calloc((size_t)CHAINS * n_obs, sizeof *avg);
  tsu_sampler_run(s, BURN, 1);
  for (int t = 0; t < SWEEPS; t++) {
    tsu_sampler_run(s, 1, 1);
    for (uint32_t c = 0; c < CHAINS; c++) {
      int sp[N];
      for (int i = 0; i < N; i++)
        sp[i] = tsu_sampler_spin(s, c, i);
      double *a = avg + (size_t)c * n_obs;
      for (int i = 0; i < N; i++)
        a[i] += sp[i];
      for (uint32_t k = 0; k < ne; k++)
        a[N + k] += sp[ei[k]] * sp[ej[k]];
    }
  }
  double worst = 0;
  uint32_t worst_o = 0;
  for (uint32_t o = 0; o < n_obs; o++) {
    double m1 = 0, m2 = 0;
    for (uint32_t c = 0; c < CHAINS; c++) {
      double x = avg[(size_t)c * n_obs + o] / SWEEPS;
      m1 += x;
      m2 += x * x;
    }
    m1 /= CHAINS;
    double var = (m2 - CHAINS * m1 * m1) / (CHAINS - 1);
    double se = sqrt(fmax(var, 1e-30) / CHAINS);
    double ex = (o < N ? em[o] : ec[o - N]) / z;
    double zz = fabs(m1 - ex) / se;
    if (zz > worst) {
      worst = zz;
      worst_o = o;
    }
  }
  free(avg);
  printf("# worst of %u observables: %s %u, %.2f standard errors\n", n_obs,
         worst_o < N ? "mean" : "corr", worst_o < N ? worst_o : worst_o - N, worst);
  ok(worst < 5, "node means and link correlations match exact enumeration (5 se)");
  ok(tsu_sampler_sweeps(s) == BURN + SWEEPS, "sweep counter");
out:
  tsu_sampler_free(s);
  tsu_cells_free(cells);
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

int main(void)
{
  printf("# libtsukit %s\n", TSUKIT_VERSION);
  tk_init(NULL); /* the process-wide settings, before any other call */
  pbit_prediction();
  gibbs_run();
  return n_fail ? 1 : 0;
}
