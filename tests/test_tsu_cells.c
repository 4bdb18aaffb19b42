/* test_tsu_cells.c -- cell-library reader and calibrated cells.
 *
 * Writes a small library through io/io_h5 (cell "pbit_t", temperatures
 * 250/300/350 K, logistic scale growing with T as kT/q does, tau and
 * energy on a 3-point control sweep) and checks:
 *  - io_cells_read returns the fit, tau and energy averaged over control
 *    voltage; interpolation in temperature is linear;
 *  - a missing cell fails with TK_ENOTFOUND naming the cells present; a
 *    temperature outside 250..350 K fails with TK_ERANGE;
 *  - the effective inverse temperature measured from samples follows the
 *    calibration: isolated cells with h = +-0.5 at chip temperature T give
 *    beta_eff = (logit P+ - logit P-) / (4 h) = beta vs(300 K) / vs(T).
 *    Null: logit of a binomial mean, var = 1 / (N p (1-p)); 4.5 sigma.
 * Seeds fixed (0xce11 + T, so the three temperatures use independent
 * random numbers).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/io_cells.h"
#include "io/io_h5.h"
#include "tests/tk_test.h"
#include "tsu/tsu_celltab.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_graph.h"

static const double temps[3] = {250, 300, 350};
static const double vs_V[3] = {0.0031, 0.00372, 0.00434};
static const double v0_V[3] = {0.012, 0.010, 0.008};

/* pbit_m's measured instances: v0 spread over 5 logistic widths, vs
 * +-20 %, tau per instance; instance 2 did not fit at 350 K. */
#define NI 5
static double inst_v0(int t, int j)
{
  return t == 2 && j == 2 ? NAN : v0_V[t] + 0.005 * (j - 2) + 0.0005 * t * j;
}
static double inst_vs(int t, int j)
{
  return vs_V[t] * (1 + 0.1 * (j - 2));
}
static double inst_tau(int j)
{
  return 1e-6 * (1 + 0.5 * j);
}

static int write_lib(const char *path)
{
  tk_err err = {0};
  io_file *f = NULL;
  io_prov prov = {"test_tsu_cells", 0xce11};
  if (io_file_create(path, &prov, IO_CREATE_OVERWRITE, &f, &err) != 0)
    return -1;
  size_t d3[1] = {3}, d33[2] = {3, 3};
  double ctl[3] = {-0.01, 0.0, 0.01};
  double tau[9] = {1e-6, 2e-6, 3e-6, 1e-6, 1e-6, 1e-6, 5e-7, 5e-7, 5e-7};
  double en[9] = {3e-16, 3e-16, 3e-16, 2e-16, 2e-16, 2e-16, 1e-16, 1e-16, 1e-16};
  double mm[3] = {0.002, 0.003, 0.004};
  int rc = io_write_f64(f, "/cells/pbit_t/temperature_K", 1, d3, temps, "K", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_t/control_V", 1, d3, ctl, "V", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_t/fit/v0_V", 1, d3, v0_V, "V", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_t/fit/vs_V", 1, d3, vs_V, "V", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_t/tau_s", 2, d33, tau, "s", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_t/energy_J", 2, d33, en, "J", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_t/mismatch/v0_V", 1, d3, mm, "V", &err);
  if (rc == 0) rc = io_attr_str(f, "/cells/pbit_t", "kind", "pbit", &err);
  /* pbit_m: the same cell with NI measured instances (calibrate --mc) */
  size_t dti[2] = {3, NI};
  double iv0[3 * NI], ivs[3 * NI], itau[3 * NI];
  for (int t = 0; t < 3; t++)
    for (int j = 0; j < NI; j++) {
      iv0[t * NI + j] = inst_v0(t, j);
      ivs[t * NI + j] = inst_vs(t, j);
      itau[t * NI + j] = inst_tau(j);
    }
  const char *const same[] = {"temperature_K", "control_V", "fit/v0_V",
                              "fit/vs_V"};
  const double *const sv[] = {temps, ctl, v0_V, vs_V};
  const char *const su[] = {"K", "V", "V", "V"};
  char ds[96];
  for (int k = 0; k < 4 && rc == 0; k++) {
    snprintf(ds, sizeof ds, "/cells/pbit_m/%s", same[k]);
    rc = io_write_f64(f, ds, 1, d3, sv[k], su[k], &err);
  }
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_m/tau_s", 2, d33, tau, "s", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_m/energy_J", 2, d33, en, "J", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_m/mismatch/v0_V", 1, d3, mm, "V", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_m/mismatch/instance_v0_V", 2, dti, iv0, "V", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_m/mismatch/instance_vs_V", 2, dti, ivs, "V", &err);
  if (rc == 0) rc = io_write_f64(f, "/cells/pbit_m/mismatch/instance_tau_s", 2, dti, itau, "s", &err);
  if (rc == 0) rc = io_attr_str(f, "/cells/pbit_m", "kind", "pbit", &err);
  if (rc == 0) rc = io_file_commit(f, &err);
  else io_file_abort(f);
  if (rc != 0)
    printf("# %s\n", tk_err_text(&err));
  return rc;
}

/* beta_eff of isolated perfect-mismatch-free cells at temp_K. */
static void beta_eff(const tsu_celltab *t, double temp_K, double beta)
{
  const uint32_t n = 200;
  const double hval = 0.5;
  double h[200];
  for (uint32_t i = 0; i < n; i++)
    h[i] = i % 2 ? hval : -hval;
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_cells *cells = NULL;
  tsu_sampler *s = NULL;
  tsu_graph_from_edges(n, 0, NULL, NULL, NULL, h, &g, &err);
  tsu_coloring_build(g, &col, &err);
  tsu_cell_params p;
  tsu_cellpoint at;
  int rc = tsu_celltab_params(t, temp_K, 300, beta, 1e9, col->n_colors,
                              0xce11, &p, &at, &err);
  p.v0_sigma_V = 0;    /* mismatch off: this checks the mean response */
  p.tau_s = 0;
  if (rc == 0)
    rc = tsu_cells_build(&p, n, &cells, &err);
  if (rc == 0)
    rc = tsu_sampler_alloc(g, col, cells, 256, 0xce11 + (uint64_t)temp_K,
                           TSU_PATH_AUTO, &s,
                           &err);
  if (rc != 0) {
    TKT_OK(0, "calibrated cells at %.0f K: %s", temp_K, tk_err_text(&err));
    return;
  }
  double cnt[2] = {0, 0}, tot = 0;
  for (int t2 = 0; t2 < 200; t2++) {
    tsu_sampler_run(s, 1, 1);
    for (uint32_t i = 0; i < n; i++)
      for (uint32_t c = 0; c < 256; c++)
        cnt[i % 2] += tsu_sampler_spin(s, c, i) > 0;
    tot += 256.0 * n / 2;
  }
  double pp = cnt[1] / tot, pm = cnt[0] / tot;
  double lg = log(pp / (1 - pp)) - log(pm / (1 - pm));
  double got = lg / (4 * hval);
  double var = 1 / (tot * pp * (1 - pp)) + 1 / (tot * pm * (1 - pm));
  double want = beta * 0.00372 / at.vs_V;
  char what[128];
  snprintf(what, sizeof what, "chip at %.0f K: beta_eff = beta vs(300 K) / "
           "vs(T) = %.4f", temp_K, want);
  TKT_SIGMA(got, want, sqrt(var) / (4 * hval), 4.5, what);
  tsu_sampler_free(s);
  tsu_cells_free(cells);
  tsu_coloring_free(col);
  tsu_graph_free(g);
}

/* Isolated nodes with bias hval on cells c (memoryless): the pooled
 * fraction of +1 against the mean of the cells' own P(1) (tsu_cell_p1);
 * 4.5 sigma of the binomial mean.  Returns the fraction. */
static double pooled_p1(const tsu_cells *c, double hval, const char *what)
{
  const uint32_t n = c->n < 64 ? c->n : 64;
  double h[64] = {0};
  for (uint32_t i = 0; i < n; i++)
    h[i] = hval;
  tk_err err = {0};
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  tsu_sampler *s = NULL;
  int rc = tsu_graph_from_edges(n, 0, NULL, NULL, NULL, h, &g, &err);
  if (rc == 0) rc = tsu_coloring_build(g, &col, &err);
  if (rc == 0)
    rc = tsu_sampler_alloc(g, col, c, 256, 0xce12, TSU_PATH_AUTO, &s, &err);
  double want = 0, cnt = 0, tot = 0;
  for (uint32_t i = 0; i < n; i++)
    want += tsu_cell_p1(c, i, h[i], 0) / n;
  for (int t2 = 0; rc == 0 && t2 < 400; t2++) {
    tsu_sampler_run(s, 1, 1);
    for (uint32_t i = 0; i < n; i++)
      for (uint32_t k = 0; k < 256; k++)
        cnt += tsu_sampler_spin(s, k, i) > 0;
    tot += 256.0 * n;
  }
  TKT_OK(rc == 0, "%s: sampler (%s)", what, rc ? tk_err_text(&err) : "ok");
  double got = tot > 0 ? cnt / tot : NAN;
  /* successive sweeps of a memoryless isolated cell are independent */
  TKT_SIGMA(got, want, sqrt(want * (1 - want) / (tot > 0 ? tot : 1)), 4.5,
            what);
  tsu_sampler_free(s);
  tsu_coloring_free(col);
  tsu_graph_free(g);
  return got;
}

/* The measured instances (cell pbit_m): node -> instance, interpolation,
 * the untrimmed and trimmed per-node response, the modes. */
static void instances(const char *path)
{
  tk_err err = {0};
  tsu_celltab *t = NULL;
  int rc = io_cells_read(path, "pbit_m", &t, &err);
  TKT_OK(rc == 0 && t->n_inst == NI, "read pbit_m with %d instances (%s)",
         NI, rc ? tk_err_text(&err) : "ok");
  if (rc != 0)
    return;
  const double beta = 0.8, dt = 2 / 1e9;
  tsu_cell_nodes nd;
  size_t m = 0;
  /* 325 K: instance 2 has no fit at 350 K, so 4 instances serve 12 nodes */
  rc = tsu_celltab_nodes(t, 325, 300, 1, 12, &nd, &m, &err);
  static const int want_inst[4] = {0, 1, 3, 4};
  int ok = rc == 0 && m == 4;
  for (uint32_t i = 0; ok && i < 12; i++) {
    int j = want_inst[i % 4];
    double v0 = 0.5 * (inst_v0(1, j) + inst_v0(2, j));
    double vs = 0.5 * (inst_vs(1, j) + inst_vs(2, j));
    ok = fabs(nd.v0_V[i] - v0) < 1e-15 && fabs(nd.vs_V[i] - vs) < 1e-15 &&
         fabs(nd.tau_s[i] - inst_tau(j)) < 1e-21 &&
         nd.v0_nom_V[i] == inst_v0(1, j) && nd.vs_nom_V[i] == inst_vs(1, j);
  }
  TKT_OK(ok, "325 K, 12 nodes: the 4 instances that fit at 300 and 350 K, "
         "node i = instance i mod 4, v0/vs interpolated, trim at 300 K");
  tsu_cell_nodes_clear(&nd);
  rc = tsu_celltab_nodes(t, 300, 300, 0, 12, &nd, &m, &err);
  TKT_OK(rc == 0 && m == NI && nd.v0_nom_V == NULL &&
             nd.v0_V[2] == inst_v0(1, 2) && nd.v0_V[7] == inst_v0(1, 2),
         "300 K: all 5 instances fit (node 7 = instance 2), untrimmed");
  tsu_cell_nodes_clear(&nd);

  tsu_cell_params p;
  tsu_cellpoint at;
  tsu_cells *c = NULL;
  char desc[256];
  /* untrimmed at 300 K: a_i = 2 beta vs_nom / vs_i, b_i = (v0_nom -
   * v0_i) / vs_i with the nominal fit as the mapping */
  rc = tsu_celltab_cells(t, 300, 300, beta, 1e9, 2, 7, TSU_MISMATCH_AUTO,
                         0, 0.0, 10, &c, &p, &at, desc, sizeof desc,
                         NULL, &err);
  ok = rc == 0 && strncmp(desc, "instances:", 10) == 0;
  for (uint32_t i = 0; ok && i < 10; i++) {
    int j = (int)(i % NI);
    double vs = inst_vs(1, j);
    ok = fabs(c->a[i] - 2 * beta * vs_V[1] / vs) < 1e-12 &&
         fabs(c->b[i] - (v0_V[1] - inst_v0(1, j)) / vs) < 1e-9 &&
         fabs(c->e[i] - exp(-dt / inst_tau(j))) < 1e-15;
  }
  TKT_OK(ok, "auto = the instances, untrimmed: a, b from the nominal "
         "mapping, e_i = exp(-dt/tau_i) per node (%s)", desc);
  tsu_cells_free(c);
  /* the same cells without memory (a 1 Hz clock: dt = 2 s >> tau): the
   * sampled P(1) at h = 0.5 is the mean of their own sigmoids, far from
   * the ideal chip's (b_i up to 2.7 logistic widths) */
  const double hval = 0.5, ideal = 1 / (1 + exp(-2 * beta * hval));
  double spu = 0, spu_want = 0;
  rc = tsu_celltab_cells(t, 300, 300, beta, 1.0, 2, 7, TSU_MISMATCH_AUTO,
                         0, 0.0, 40, &c, &p, &at, NULL, 0, &spu, &err);
  TKT_OK(rc == 0 && !c->has_memory, "untrimmed instances, 1 Hz clock: no "
         "memory (%s)", rc ? tk_err_text(&err) : "ok");
  for (int i = 0; i < 40; i++)
    spu_want += 2.0 / inst_tau(i % NI) / 40;
  TKT_OK(fabs(spu / spu_want - 1) < 1e-12, "energy: independent samples "
         "per update = the nodes' mean of dt/tau_i (%.6g, want %.6g)", spu,
         spu_want);
  double slow_want = 0;
  for (int i = 0; i < 40; i++)
    slow_want = fmax(slow_want, inst_tau(i % NI));
  TKT_OK(rc == 0 && at.tau_slowest_s == slow_want &&
             at.tau_slowest_s > at.tau_s,
         "chip time: the slowest node's own tau %.6g s (want %.6g, nominal "
         "%.6g)", at.tau_slowest_s, slow_want, at.tau_s);
  if (rc == 0) {
    double p_un = pooled_p1(c, hval, "untrimmed instances: P(1) = mean of "
                            "sigmoid(a_i h + b_i)");
    TKT_OK(fabs(p_un - ideal) > 0.05, "untrimmed: P(1) %.4f is not the "
           "ideal chip's %.4f (the mismatch shows)", p_un, ideal);
  }
  tsu_cells_free(c);
  /* trimmed at the design temperature: exactly the ideal sigmoid */
  rc = tsu_celltab_cells(t, 300, 300, beta, 1.0, 2, 7, TSU_MISMATCH_AUTO,
                         1, 0.0, 40, &c, &p, &at, desc, sizeof desc,
                         NULL, &err);
  ok = rc == 0 && strncmp(desc, "instances-trimmed:", 18) == 0;
  for (uint32_t i = 0; ok && i < 40; i++)
    ok = c->a[i] == 2 * beta && c->b[i] == 0;
  TKT_OK(ok, "trimmed at the design temperature: a_i = 2 beta, b_i = 0 "
         "for every node (%s)", rc ? tk_err_text(&err) : desc);
  if (rc == 0)
    pooled_p1(c, hval, "trimmed instances: P(1) = the ideal sigmoid(2 beta "
              "h) on every node");
  tsu_cells_free(c);
  /* a trim DAC of 2 mV steps: each offset trim the nominal v0 plus a
   * whole number of steps, within half a step of the cell's own v0 */
  rc = tsu_celltab_cells(t, 300, 300, beta, 1e9, 2, 7, TSU_MISMATCH_AUTO,
                         1, 0.002, 10, &c, &p, &at, desc, sizeof desc,
                         NULL, &err);
  ok = rc == 0 && strstr(desc, "in steps of 0.002 V") != NULL;
  for (uint32_t i = 0; ok && i < 10; i++) {
    int j = (int)(i % NI);
    double vs = inst_vs(1, j);
    double steps = (inst_v0(1, j) - v0_V[1]) / 0.002;
    double v0n = v0_V[1] + 0.002 * round(steps);
    ok = fabs(c->b[i] - (v0n - inst_v0(1, j)) / vs) < 1e-9 &&
         fabs(c->b[i] * vs) <= 0.001 + 1e-12 &&
         fabs(c->a[i] - 2 * beta) < 1e-12;
  }
  TKT_OK(ok, "--trim-lsb 2 mV: offsets in whole steps, |b_i vs_i| <= 1 mV, "
         "gain exact (%s)", rc ? tk_err_text(&err) : desc);
  tsu_cells_free(c);
  rc = tsu_celltab_cells(t, 300, 300, beta, 1e9, 2, 7, TSU_MISMATCH_AUTO,
                         0, 0.002, 10, &c, &p, &at, NULL, 0, NULL, &err);
  TKT_OK(rc == TK_ERANGE && c == NULL, "a trim step without trim: refused");
  /* trimmed at 300 K, chip at 325 K: a_i = 2 beta vs_i(300)/vs_i(325) */
  rc = tsu_celltab_cells(t, 325, 300, beta, 1e9, 2, 7, TSU_MISMATCH_AUTO,
                         1, 0.0, 8, &c, &p, &at, NULL, 0, NULL, &err);
  ok = rc == 0;
  for (uint32_t i = 0; ok && i < 8; i++) {
    int j = want_inst[i % 4];
    double vs = 0.5 * (inst_vs(1, j) + inst_vs(2, j));
    double v0 = 0.5 * (inst_v0(1, j) + inst_v0(2, j));
    ok = fabs(c->a[i] - 2 * beta * inst_vs(1, j) / vs) < 1e-12 &&
         fabs(c->b[i] - (inst_v0(1, j) - v0) / vs) < 1e-9;
  }
  TKT_OK(ok, "trimmed at 300 K, chip at 325 K: each cell's own drift");
  tsu_cells_free(c);
  /* modes and refusals */
  rc = tsu_celltab_cells(t, 300, 300, beta, 1e9, 2, 7,
                         TSU_MISMATCH_GAUSSIAN, 1, 0.0, 8, &c, &p, &at, NULL,
                         0, NULL, &err);
  TKT_OK(rc == TK_EINVAL && c == NULL && strstr(err.msg, "--trim"),
         "--trim with --mismatch gaussian: refused");
  printf("# message: %s\n", err.msg);
  rc = tsu_celltab_cells(t, 300, 300, beta, 1e9, 2, 7, TSU_MISMATCH_NONE,
                         0, 0.0, 8, &c, &p, &at, desc, sizeof desc,
                         NULL, &err);
  ok = rc == 0 && strncmp(desc, "none:", 5) == 0;
  for (uint32_t i = 0; ok && i < 8; i++)
    ok = fabs(c->a[i] - 2 * beta) < 1e-15 && fabs(c->b[i]) < 1e-12;
  TKT_OK(ok && at.tau_slowest_s == at.tau_s, "--mismatch none: the "
         "nominal cell on every node, its tau the slowest (%.6g s)",
         at.tau_slowest_s);
  tsu_cells_free(c);
  rc = tsu_celltab_cells(t, 300, 300, beta, 1e9, 2, 7,
                         TSU_MISMATCH_GAUSSIAN, 0, 0.0, 8, &c, &p, &at, desc,
                         sizeof desc, NULL, &err);
  TKT_OK(rc == 0 && strncmp(desc, "gaussian:", 9) == 0 &&
             c->b[0] != c->b[1], "--mismatch gaussian: drawn per node (%s)",
         desc);
  tsu_cells_free(c);
  /* every instance unfitted at the temperature: refused */
  for (int j = 0; j < NI; j++)
    t->inst_v0_V[2 * NI + j] = NAN;
  rc = tsu_celltab_nodes(t, 340, 300, 0, 4, &nd, &m, &err);
  TKT_OK(rc == TK_ERANGE && strstr(err.msg, "none of its 5"),
         "no instance fitted at 340 K: refused");
  printf("# message: %s\n", err.msg);
  tsu_celltab_free(t);
  /* a library without instances: --trim refused, auto = gaussian */
  rc = io_cells_read(path, "pbit_t", &t, &err);
  if (rc == 0)
    rc = tsu_celltab_cells(t, 300, 300, beta, 1e9, 2, 7, TSU_MISMATCH_AUTO,
                           1, 0.0, 8, &c, &p, &at, NULL, 0, NULL, &err);
  TKT_OK(rc == TK_EINVAL && strstr(err.msg, "--mc"), "--trim on a library "
         "without instances: refused naming calibrate --mc");
  rc = tsu_celltab_cells(t, 300, 300, beta, 1e9, 2, 7, TSU_MISMATCH_AUTO,
                         0, 0.0, 8, &c, &p, &at, desc, sizeof desc,
                         NULL, &err);
  TKT_OK(rc == 0 && strncmp(desc, "gaussian:", 9) == 0,
         "auto without instances: the Gaussian draw");
  tsu_cells_free(c);
  tsu_celltab_free(t);
}

int main(void)
{
  char path[64];
  snprintf(path, sizeof path, "/tmp/test_tsu_cells_%d.h5", (int)getpid());
  TKT_OK(write_lib(path) == 0, "write a small cell library");
  tsu_celltab *t = NULL;
  tk_err err = {0};
  int rc = io_cells_read(path, "pbit_t", &t, &err);
  TKT_OK(rc == 0 && t->n_temp == 3, "read cell pbit_t (%s)",
         rc ? tk_err_text(&err) : "3 temperatures");
  if (rc != 0) {
    unlink(path);
    return tkt_done();
  }
  TKT_OK(fabs(t->tau_s[0] - 2e-6) < 1e-15 && fabs(t->energy_J[2] - 1e-16) < 1e-25,
         "tau and energy averaged over control voltage");
  tsu_cellpoint pt;
  rc = tsu_celltab_at(t, 325, &pt, &err);
  TKT_OK(rc == 0 && fabs(pt.vs_V - 0.00403) < 1e-9 &&
             fabs(pt.v0_V - 0.009) < 1e-9 && fabs(pt.v0_sigma_V - 0.0035) < 1e-9,
         "linear interpolation at 325 K (vs %.5f V, v0 %.4f V)", pt.vs_V,
         pt.v0_V);
  rc = tsu_celltab_at(t, 400, &pt, &err);
  TKT_OK(rc == TK_ERANGE && strstr(err.msg, "outside") != NULL,
         "400 K is outside the calibrated range");
  printf("# message: %s\n", err.msg);
  tsu_celltab *t2 = NULL;
  rc = io_cells_read(path, "nope", &t2, &err);
  TKT_OK(rc == TK_ENOTFOUND && strstr(err.msg, "pbit_t") != NULL,
         "missing cell: not found, names the cells present");
  printf("# message: %s\n", err.msg);
  rc = io_cells_read("/nonexistent/cells.h5", "pbit_t", &t2, &err);
  TKT_OK(rc != 0, "missing library file fails");

  beta_eff(t, 300, 0.8);
  beta_eff(t, 250, 0.8);
  beta_eff(t, 350, 0.8);
  tsu_celltab_free(t);
  instances(path);
  unlink(path);
  return tkt_done();
}
