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
  unlink(path);
  return tkt_done();
}
