/* test_io_celllib.c -- the cell-library format (io/io_celllib.h): a
 * library with every optional part (--track, gmm, --repeats, a
 * temperature model with a trip table, noise model, mismatch, an --mc
 * checkpoint) written and read back bit for bit; a checkpoint point
 * stored in place; absent parts read as absent; a minimal hand-written
 * library ([nT] measurements, no control_V) read as io_cells_read needs.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/io_celllib.h"
#include "tests/tk_test.h"

static char dir[] = "/tmp/tk_celllib_XXXXXX";

/* n values a + 0.137 k (distinct, "high entropy") in a fresh array. */
static double *arr(size_t n, double a)
{
  double *x = malloc(n * sizeof *x);
  for (size_t k = 0; k < n; k++)
    x[k] = a + 0.137 * (double)k;
  return x;
}

static int same(const double *x, const double *y, size_t n)
{
  if (x == NULL || y == NULL)
    return x == y;
  return memcmp(x, y, n * sizeof *x) == 0;
}

static void full_roundtrip(void)
{
  const size_t nt = 3, nv = 4, K = 2, nr = 5, nm = 4, ni = 3, ns = 9,
               nj = 9;
  io_celllib a;
  io_celllib_init(&a);
  snprintf(a.name, sizeof a.name, "pbit");
  snprintf(a.kind, sizeof a.kind, "gmm");
  snprintf(a.cell, sizeof a.cell, "pbit");
  snprintf(a.control_node, sizeof a.control_node, "vctl");
  snprintf(a.output_node, sizeof a.output_node, "out");
  snprintf(a.source_file, sizeof a.source_file, "x.cir");
  snprintf(a.noise_elements, sizeof a.noise_elements,
           "noisy=m:9,r:1 noiseless=c:5 unmodelled=none");
  snprintf(a.noise_quiet, sizeof a.noise_quiet, "x1.rg (partial)");
  snprintf(a.noise_mos_model, sizeof a.noise_mos_model, "charge");
  a.vdd_V = 0.4;
  a.vsep_V = 0.3;
  a.n_states = (int64_t)K;
  a.sweep_time_s = 4e-6;
  a.sweep_tstep_s = 2e-9;
  a.sweep_nt_s = 5e-10;
  a.sweep_seed = 0;            /* written although 0 */
  a.sweep_repeats = 3;
  a.nt = nt;
  a.nv = nv;
  a.n_ctl = 1;
  a.n_trip_tab = nr;
  a.n_inst = ni;
  a.n_mos = ns;
  a.n_jobs = nj;
  a.temperature_K = arr(nt, 290);
  a.control_V = arr(nv, 0.185);
  a.point_control_V = arr(nt * nv, 0.184);
  a.trip_V = arr(nt, 0.1);
  a.track_center_V = arr(nt, 0.11);
  a.record_time_s = arr(nt, 1e-6);
  a.trip_tab_T_K = arr(nr, 285);
  a.trip_tab_V = arr(nr, 0.12);
  a.track_ref_K = 300;
  a.track_width_exp = 1.25;
  a.track_trip_ref_V = 0.1;
  a.track_center_ref_V = 0.11;
  a.track_time_tau = 0;        /* written with the track (value 0) */
  a.p_state = arr(nt * nv * K, 0.01);
  a.p_state_stderr = arr(nt * nv * K, 0.02);
  a.p_state_stderr_repeats = arr(nt * nv * K, 0.03);
  for (unsigned k = 0; k < IO_CELLLIB_GMM; k++)
    a.gmm[k] = arr(nt * nv * io_celllib_gmm_n[k], 0.5 + k);
  a.tau_s = arr(nt * nv, 1e-7);
  a.tau_err_s = arr(nt * nv, 1e-8);
  a.energy_J = arr(nt * nv, 1e-16);
  a.power_W = arr(nt * nv, 1e-9);
  a.flips = arr(nt * nv, 17);
  a.no_transitions = calloc(nt * nv, 1);
  a.point_done = calloc(nt * nv, 1);
  a.no_transitions[5] = 1;
  a.point_done[2] = 1;
  snprintf(a.fit_model, sizeof a.fit_model, "P(1) = sigmoid");
  a.fit_v0_V = arr(nt, 0.186);
  a.fit_vs_V = arr(nt, 6e-4);
  a.fit_tau_op_s = arr(nt, 1.3e-7);
  a.error_scale = arr(nt, 1.1);
  a.tm.present = 1;
  a.tm.t_ref_K = 300;
  a.tm.vs_exp = 1.385;
  a.tm.t_min_K = 290;
  a.tm.t_max_K = 290.274;
  snprintf(a.tm.v0_model, sizeof a.tm.v0_model, "v0(T) = trip(T) + ...");
  a.tm.n_trip = nm;
  a.tm.trip_T_K = arr(nm, 280);
  a.tm.trip_V = arr(nm, 0.13);
  snprintf(a.nm_model, sizeof a.nm_model, "vs = ...");
  a.nm_record_time_s = 4e-6;
  a.nm_sigma_x_V = arr(nt, 0.004);
  a.mm_a_vt_V_m = 3.5e-9;
  a.mm_n_instances = (int64_t)ni;
  snprintf(a.mm_model, sizeof a.mm_model, "Pelgrom");
  a.mm_v0_V = arr(nt, 0.002);
  a.mm_inst_v0_V = arr(nt * ni, 0.18);
  a.mm_dvth_V = arr(ni * ns, -0.02);
  a.mc_a_vt_V_m = 3.5e-9;
  a.mc_n_instances = (int64_t)ni;
  a.mc_n_temperatures = (int64_t)nt;
  a.mc_result = arr(nj * 4, 0.3);
  a.mc_done = calloc(nj, 1);
  a.mc_done[4] = 1;

  char path[256];
  snprintf(path, sizeof path, "%s/full.h5", dir);
  tk_err err = {0};
  io_file *f = NULL;
  io_prov prov = {"test_io_celllib", 7};
  int rc = io_file_create(path, &prov, IO_CREATE_OVERWRITE, &f, &err);
  if (rc == 0)
    rc = io_celllib_write(f, &a, &err);
  if (rc == 0)
    rc = io_file_commit(f, &err);
  TKT_OK(rc == 0, "write a library with every part (%s)", tk_err_text(&err));

  io_celllib b;
  rc = io_celllib_load(path, "pbit", &b, &err);
  TKT_OK(rc == 0, "read it back (%s)", tk_err_text(&err));
  if (rc != 0) {
    io_celllib_clear(&a);
    return;
  }
  TKT_OK(b.nt == nt && b.nv == nv && b.n_ctl == 1 && b.n_trip_tab == nr &&
             b.tm.n_trip == nm && b.n_inst == ni && b.n_mos == ns &&
             b.n_jobs == nj && b.n_states == (int64_t)K,
         "dimensions: nT %zu nV %zu C %zu trips %zu/%zu instances %zu x %zu "
         "jobs %zu", b.nt, b.nv, b.n_ctl, b.n_trip_tab, b.tm.n_trip, b.n_inst,
         b.n_mos, b.n_jobs);
  int ok = same(a.temperature_K, b.temperature_K, nt) &&
           same(a.control_V, b.control_V, nv) &&
           same(a.point_control_V, b.point_control_V, nt * nv) &&
           same(a.trip_V, b.trip_V, nt) &&
           same(a.track_center_V, b.track_center_V, nt) &&
           same(a.record_time_s, b.record_time_s, nt) &&
           same(a.trip_tab_T_K, b.trip_tab_T_K, nr) &&
           same(a.trip_tab_V, b.trip_tab_V, nr) &&
           same(a.p_state, b.p_state, nt * nv * K) &&
           same(a.p_state_stderr, b.p_state_stderr, nt * nv * K) &&
           same(a.p_state_stderr_repeats, b.p_state_stderr_repeats,
                nt * nv * K) &&
           same(a.tau_s, b.tau_s, nt * nv) &&
           same(a.tau_err_s, b.tau_err_s, nt * nv) &&
           same(a.energy_J, b.energy_J, nt * nv) &&
           same(a.power_W, b.power_W, nt * nv) &&
           same(a.flips, b.flips, nt * nv);
  TKT_OK(ok, "grid, --track and point datasets bit-equal");
  ok = 1;
  for (unsigned k = 0; k < IO_CELLLIB_GMM; k++)
    ok = ok && same(a.gmm[k], b.gmm[k], nt * nv * io_celllib_gmm_n[k]);
  TKT_OK(ok, "the six gmm_* datasets bit-equal");
  TKT_OK(memcmp(a.no_transitions, b.no_transitions, nt * nv) == 0 &&
             memcmp(a.point_done, b.point_done, nt * nv) == 0 &&
             memcmp(a.mc_done, b.mc_done, nj) == 0,
         "uint8 flags equal");
  ok = same(a.fit_v0_V, b.fit_v0_V, nt) && same(a.fit_vs_V, b.fit_vs_V, nt) &&
       same(a.fit_tau_op_s, b.fit_tau_op_s, nt) &&
       same(a.error_scale, b.error_scale, nt) && b.fit_chi2_red == NULL &&
       b.fit_a == NULL && b.loo_max_abs_dp1 == NULL &&
       same(a.tm.trip_T_K, b.tm.trip_T_K, nm) &&
       same(a.tm.trip_V, b.tm.trip_V, nm) &&
       same(a.nm_sigma_x_V, b.nm_sigma_x_V, nt) && b.nm_vs_V == NULL &&
       same(a.mm_v0_V, b.mm_v0_V, nt) &&
       same(a.mm_inst_v0_V, b.mm_inst_v0_V, nt * ni) &&
       same(a.mm_dvth_V, b.mm_dvth_V, ni * ns) &&
       same(a.mc_result, b.mc_result, nj * 4);
  TKT_OK(ok, "fits, model, noise, mismatch and mc datasets bit-equal; the "
         "absent ones absent");
  TKT_OK(strcmp(b.kind, "gmm") == 0 && strcmp(b.source_file, "x.cir") == 0 &&
             b.subckt[0] == '\0' && b.vdd_V == a.vdd_V &&
             b.vsep_V == a.vsep_V && isnan(b.vbias_V) &&
             isnan(b.sweep_noise_scale) && b.sweep_seed == 0 &&
             b.sweep_repeats == 3 && b.sweep_time_s == a.sweep_time_s,
         "settings: strings, doubles, seed 0 kept, absent ones NaN / empty");
  TKT_OK(strcmp(b.noise_elements, a.noise_elements) == 0 &&
             strcmp(b.noise_quiet, a.noise_quiet) == 0 &&
             strcmp(b.noise_mos_model, "charge") == 0,
         "characterize's noise provenance (elements by kind, the quiet ones, "
         "the MOSFET noise model) read back");
  TKT_OK(b.track_ref_K == 300 && b.track_width_exp == 1.25 &&
             b.track_time_tau == 0 && b.tm.present && b.tm.vs_exp == 1.385 &&
             b.tm.t_max_K == 290.274 && isnan(b.tm.ea_J) &&
             strcmp(b.tm.v0_model, a.tm.v0_model) == 0 &&
             b.nm_record_time_s == 4e-6 && strcmp(b.mm_model, "Pelgrom") == 0 &&
             b.mm_n_instances == 3 && b.mc_n_temperatures == 3,
         "group attributes: --track, temperature model, noise, mismatch, mc");

  /* a checkpoint point stored in place */
  double p[2] = {0.25, 0.75}, pe[2] = {0.01, 0.02}, g[10];
  for (int k = 0; k < 10; k++)
    g[k] = 1.5 + k;
  io_celllib_point q = {.p = p, .p_err = pe, .gmm = g, .tau_s = 2.5e-7,
                       .tau_err_s = 3e-8, .energy_J = 4e-16,
                       .power_W = 5e-9, .flips = 42, .no_transitions = 1};
  rc = io_file_open_rw(path, &f, &err);
  if (rc == 0)
    rc = io_celllib_put_point(f, "pbit", 2, 7, &q, &err);
  io_file_close(f);
  io_celllib c;
  if (rc == 0)
    rc = io_celllib_load(path, "pbit", &c, &err);
  TKT_OK(rc == 0, "store point 7 of the checkpoint (%s)", tk_err_text(&err));
  if (rc == 0) {
    TKT_OK(c.point_done[7] == 1 && c.no_transitions[7] == 1 &&
               c.p_state[14] == 0.25 && c.p_state[15] == 0.75 &&
               c.p_state_stderr[15] == 0.02 && c.tau_s[7] == 2.5e-7 &&
               c.flips[7] == 42 && c.gmm[0][14] == 1.5 &&
               c.gmm[4][7] == 9.5 && c.gmm[5][7] == 10.5 &&
               c.point_done[6] == 0 && c.p_state[13] == a.p_state[13] &&
               c.p_state_stderr_repeats[14] == a.p_state_stderr_repeats[14],
           "point 7 stored in place, its neighbours and the repeats' "
           "errors untouched");
    io_celllib_clear(&c);
  }
  tk_err e2 = {0};
  rc = io_celllib_load(path, "nope", &c, &e2);
  TKT_OK(rc == TK_ENOTFOUND && strstr(e2.msg, "pbit") != NULL,
         "a missing cell is TK_ENOTFOUND naming the cells (%s)", e2.msg);
  io_celllib_clear(&a);
  io_celllib_clear(&b);
}

/* A hand-written library: fits and [nT] measurements, no control_V. */
static void minimal(void)
{
  char path[256];
  snprintf(path, sizeof path, "%s/min.h5", dir);
  tk_err err = {0};
  io_file *f = NULL;
  io_prov prov = {"test_io_celllib", 7};
  size_t d3[1] = {3};
  double t[3] = {250, 300, 350}, v[3] = {0.012, 0.01, 0.008},
         tau[3] = {1e-6, 2e-6, 3e-6};
  int rc = io_file_create(path, &prov, IO_CREATE_OVERWRITE, &f, &err);
  if (rc == 0)
    rc = io_write_f64(f, "/cells/c/temperature_K", 1, d3, t, "K", &err);
  if (rc == 0)
    rc = io_write_f64(f, "/cells/c/fit/v0_V", 1, d3, v, "V", &err);
  if (rc == 0)
    rc = io_write_f64(f, "/cells/c/tau_s", 1, d3, tau, "s", &err);
  if (rc == 0)
    rc = io_file_commit(f, &err);
  io_celllib L;
  if (rc == 0)
    rc = io_celllib_load(path, "c", &L, &err);
  TKT_OK(rc == 0, "a minimal library reads (%s)", tk_err_text(&err));
  if (rc == 0) {
    TKT_OK(L.nt == 3 && L.nv == 1 && L.control_V == NULL &&
               same(L.tau_s, tau, 3) && L.fit_vs_V == NULL &&
               L.kind[0] == '\0' && !L.tm.present,
           "its [nT] tau_s as nV = 1, the rest absent");
    io_celllib_clear(&L);
  }
}

int main(void)
{
  if (mkdtemp(dir) == NULL)
    return 99;
  full_roundtrip();
  minimal();
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", dir);
  return tkt_done();
}
