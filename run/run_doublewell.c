/* run_doublewell.c -- the double-well escape-rate run (see
 * run_doublewell.h). */
#include "run/run_doublewell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_progress.h"
#include "io/io_dwell.h"
#include "io/io_plot.h"

/* Barriers of the scan written with -o: a few cheap ones and the asked. */
#define SCAN_N 6
#define CURVE_N 121   /* points of the exact and Kramers curves */
#define HIST_N 40     /* histogram bins up to 5 mean escape times */

run_doublewell_params run_doublewell_default_params(void)
{
  run_doublewell_params p;
  memset(&p, 0, sizeof p);
  p.dw = phys_dwell_default_params();
  p.dw.particles = 2000;
  p.progress = 1;
  return p;
}

static int show_progress(size_t done, size_t total, void *ctx)
{
  tk_progress_update(ctx, (double)done);
  (void)total;
  return 0;
}

/* The figure, drawn from the file just written. */
static int figure(const char *out, double temp_K, double t0, tk_err *err)
{
  double *x[6];
  size_t ns = 0, nc = 0;
  int rc = io_dwell_read_scan(out, x, &ns, &nc, err);
  if (rc == 0) {
    char png[4200];
    size_t len = strlen(out);
    if (len > 3 && strcmp(out + len - 3, ".h5") == 0)
      snprintf(png, sizeof png, "%.*s.png", (int)(len - 3), out);
    else
      snprintf(png, sizeof png, "%s.png", out);
    io_plot pl;
    rc = io_plot_begin(&pl, png, 800, 560, err);
    if (rc == 0) {
      double *t1 = malloc(ns * 3 * sizeof *t1), *t2 = malloc(nc * 3 * sizeof *t2);
      if (t1 && t2) {
        for (size_t i = 0; i < ns; i++) {
          t1[3 * i] = x[0][i];
          t1[3 * i + 1] = x[1][i];
          t1[3 * i + 2] = x[2][i];
        }
        for (size_t i = 0; i < nc; i++) {
          t2[3 * i] = x[3][i];
          t2[3 * i + 1] = x[4][i];
          t2[3 * i + 2] = x[5][i];
        }
        io_plot_data_table(&pl, "sim", t1, ns, 3);
        io_plot_data_table(&pl, "th", t2, nc, 3);
      }
      free(t1);
      free(t2);
      io_plot_cmd(&pl,
                  "set title 'Double-well escape rate, T = %.1f K, t_0 = %.3g s'\n"
                  "set xlabel 'barrier height {/Symbol D}U / kT'\n"
                  "set ylabel 'escape rate (1/s)'\nset logscale y\n"
                  "set format y '10^{%%L}'\nset key right top\n"
                  "plot $th u 1:2 w l lw 2 t 'exact (first-passage integral)', "
                  "$th u 1:3 w l lw 2 dt 2 t 'Kramers', "
                  "$sim u 1:2:3 w yerrorbars pt 7 ps 1.2 t 'Langevin simulation'\n",
                  temp_K, t0);
      rc = io_plot_run(&pl, err);
    }
  }
  for (int i = 0; i < 6; i++)
    free(x[i]);
  return rc;
}

/* Scan, histogram, file and figure for the run r of p. */
static int write_file(const run_doublewell_params *rp,
                      const phys_dwell_result *r, tk_err *err)
{
  const phys_dwell_params *p = &rp->dw;
  /* Scan: simulated points at 1..5 kT (and the requested barrier) with at
   * most 400 particles, exact and Kramers curves on a fine grid. */
  double sb[SCAN_N], sr[SCAN_N], ss[SCAN_N];
  for (int i = 0; i < SCAN_N; i++) {
    phys_dwell_params q = *p;
    q.barrier_kT = i < SCAN_N - 1 ? 1.0 + i : p->barrier_kT;
    sb[i] = q.barrier_kT;
    if (i == SCAN_N - 1) {
      sr[i] = r->rate_per_s;
      ss[i] = r->rate_se_per_s;
      continue;
    }
    q.particles = p->particles < 400 ? p->particles : 400;
    q.seed = p->seed + 1000003ull * (uint64_t)(i + 1);
    phys_dwell_result rr;
    TK_TRY(phys_dwell_run(&q, rp->n_threads, NULL, NULL, &rr, err));
    sr[i] = rr.rate_per_s;
    ss[i] = rr.rate_se_per_s;
    phys_dwell_result_free(&rr);
  }
  double cb[CURVE_N], ce[CURVE_N], ck[CURVE_N];
  double t0 = phys_dwell_t0_s(p);
  for (int i = 0; i < CURVE_N; i++) {
    cb[i] = 0.5 + 11.5 * i / (CURVE_N - 1);
    TK_TRY(phys_dwell_exact_rate(cb[i], &ce[i], err));
    ce[i] /= t0;
    ck[i] = phys_dwell_kramers_rate(cb[i]) / t0;
  }
  /* histogram of escape times, HIST_N bins up to 5 mean times */
  double edges[HIST_N + 1], counts[HIST_N];
  double top = 5.0 * r->mfpt_s;
  for (int i = 0; i <= HIST_N; i++)
    edges[i] = top * i / HIST_N;
  memset(counts, 0, sizeof counts);
  for (size_t k = 0; k < r->n; k++) {
    int bin = (int)(r->fpt_s[k] / top * HIST_N);
    if (bin < HIST_N)
      counts[bin]++;
  }
  io_dwell d = {
    r->fpt_s, r->n, edges, counts, HIST_N, p->barrier_kT, p->temp_K, t0,
    phys_dwell_step(p), r->rate_per_s, r->rate_se_per_s, r->exact_per_s,
    r->kramers_per_s, sb, sr, ss, SCAN_N, cb, ce, ck, CURVE_N,
    "U(x) = dU ((x/a)^2-1)^2, a = 1 nm, overdamped, "
    "Leimkuhler-Matthews integrator"};
  io_prov prov = {rp->command != NULL ? rp->command : "", p->seed};
  TK_TRY(io_dwell_write(rp->out, &prov, rp->force, &d, err));
  return figure(rp->out, p->temp_K, t0, err);
}

int run_doublewell(const run_doublewell_params *p,
                   run_doublewell_result *res, tk_err *err)
{
  memset(res, 0, sizeof *res);
  tk_progress pr;
  if (p->progress)
    tk_progress_init(&pr, "particles", (double)p->dw.particles, 0);
  phys_dwell_result r;
  int rc = phys_dwell_run(&p->dw, p->n_threads,
                          p->progress ? show_progress : NULL,
                          p->progress ? &pr : NULL, &r, err);
  if (p->progress)
    tk_progress_finish(&pr);
  if (rc != 0)
    return rc;
  if (p->out != NULL && (rc = write_file(p, &r, err)) != 0) {
    phys_dwell_result_free(&r);
    return rc;
  }
  res->particles = r.n;
  res->rate_per_s = r.rate_per_s;
  res->rate_se_per_s = r.rate_se_per_s;
  res->exact_per_s = r.exact_per_s;
  res->kramers_per_s = r.kramers_per_s;
  res->mfpt_ratio = r.rate_per_s / r.exact_per_s;
  res->mfpt_ratio_sigma = r.rate_se_per_s / r.exact_per_s;
  res->kramers_ratio = r.rate_per_s / r.kramers_per_s;
  phys_dwell_result_free(&r);
  return TK_OK;
}
