/* expt_dwell.c -- `double-well`: escape rate vs barrier height, Langevin
 * simulation (physics/phys_dwell.h) against the exact first-passage rate
 * and Kramers' formula: the talk's picture of particles stuck in a deep
 * well and crossing a shallow one.
 *
 * Workload: phys_dwell_run at each barrier (OpenMP over particles); the
 * cost grows like e^b: at 10 kT about 0.12 s per particle on one core,
 * so the full run (1000 particles, 1..10 kT) takes a few minutes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/expt.h"
#include "experiments/expt_impl.h"
#include "io/io_plot.h"
#include "physics/phys_dwell.h"

enum { NB_MAX = 10, NH = 40 };

int expt__dwell_run(expt_run *r, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  size_t nb = c->quick ? 6 : 10;
  size_t particles = c->quick ? 300 : 1000;
  phys_dwell_params p = phys_dwell_default_params();
  TK_TRY(expt_input(r, "particles", (double)particles, "1", "ours", err));
  TK_TRY(expt_input(r, "temp_K", p.temp_K, "K", "ours", err));
  TK_TRY(expt_input(r, "a_m", p.a_m, "m", "ours: half distance between the minima", err));
  TK_TRY(expt_input(r, "gamma_kg_per_s", p.gamma_kg_per_s, "kg/s",
                    "ours: friction, so that t0 = a^2 gamma / kT = 1 ns", err));
  double b[NB_MAX], rate[NB_MAX], se[NB_MAX], ex[NB_MAX], kr[NB_MAX],
      ratio[NB_MAX], ratio_se[NB_MAX], zs[NB_MAX], kratio[NB_MAX];
  double t0 = phys_dwell_t0_s(&p);
  double max_z = 0;
  for (size_t i = 0; i < nb; i++) {
    phys_dwell_params q = p;
    q.barrier_kT = 1.0 + (double)i;
    q.particles = particles;
    q.seed = c->seed * 1000003ull + i;
    phys_dwell_result res;
    if (!c->quiet)
      fprintf(stderr, "double-well: %g kT, %zu particles ...\n", q.barrier_kT,
              particles);
    TK_TRY(phys_dwell_run(&q, (int)c->workers, NULL, NULL, &res, err));
    b[i] = q.barrier_kT;
    rate[i] = res.rate_per_s;
    se[i] = res.rate_se_per_s;
    ex[i] = res.exact_per_s;
    kr[i] = res.kramers_per_s;
    ratio[i] = rate[i] / ex[i];
    ratio_se[i] = se[i] / ex[i];
    zs[i] = (ratio[i] - 1) / ratio_se[i];
    kratio[i] = rate[i] / kr[i];
    if (fabs(zs[i]) > fabs(max_z))
      max_z = zs[i];
    /* first-passage times of the lowest and highest barrier, for the
     * stuck-vs-crossing panel (in units of t0) */
    if (i == 0 || i == nb - 1) {
      char path[64];
      snprintf(path, sizeof path, "/fpt/barrier_%gkT_s", q.barrier_kT);
      int rc = expt_vec(r, path, res.fpt_s, res.n, "s", err);
      phys_dwell_result_free(&res);
      TK_TRY(rc);
    } else {
      phys_dwell_result_free(&res);
    }
  }
  TK_TRY(expt_vec(r, "/scan/barrier_kT", b, nb, "kT", err));
  TK_TRY(expt_vec(r, "/scan/rate_measured_per_s", rate, nb, "1/s", err));
  TK_TRY(expt_vec(r, "/scan/rate_measured_sigma_per_s", se, nb, "1/s", err));
  TK_TRY(expt_vec(r, "/scan/rate_exact_per_s", ex, nb, "1/s", err));
  TK_TRY(expt_vec(r, "/scan/rate_kramers_per_s", kr, nb, "1/s", err));
  enum { NC = 121 };
  double cb[NC], ce[NC], ck[NC];
  for (int i = 0; i < NC; i++) {
    cb[i] = 0.5 + 10.5 * i / (NC - 1);
    TK_TRY(phys_dwell_exact_rate(cb[i], &ce[i], err));
    ce[i] /= t0;
    ck[i] = phys_dwell_kramers_rate(cb[i]) / t0;
  }
  TK_TRY(expt_vec(r, "/curve/barrier_kT", cb, NC, "kT", err));
  TK_TRY(expt_vec(r, "/curve/rate_exact_per_s", ce, NC, "1/s", err));
  TK_TRY(expt_vec(r, "/curve/rate_kramers_per_s", ck, NC, "1/s", err));
  const char *names[] = {"barrier", "rate (sim)", "sigma", "rate (exact)",
                         "rate (Kramers)", "sim / exact", "(sim-exact)/sigma",
                         "sim / Kramers"};
  const char *units[] = {"kT", "1/s", "1/s", "1/s", "1/s", "1", "1", "1"};
  const double *cols[] = {b, rate, se, ex, kr, ratio, zs, kratio};
  TK_TRY(expt_table(r, "rates", "Escape rate vs barrier (t0 = 1 ns)", nb, 8,
                    names, units, cols, NULL, err));
  size_t top = nb - 1;
  TK_TRY(expt_sum(r, "top_barrier_kT", b[top], "kT", err));
  TK_TRY(expt_sum(r, "ratio_exact_top", ratio[top], "1", err));
  TK_TRY(expt_sum(r, "ratio_exact_top_sigma", ratio_se[top], "1", err));
  TK_TRY(expt_sum(r, "ratio_kramers_top", kratio[top], "1", err));
  TK_TRY(expt_sum(r, "exact_over_kramers_top", ex[top] / kr[top], "1", err));
  TK_TRY(expt_sum(r, "max_abs_z", fabs(max_z), "1", err));
  TK_TRY(expt_sum(r, "rate_span", rate[0] / rate[top], "1", err));
  char why[512];
  snprintf(why, sizeof why, "Statistical (%zu particles, +-%.2g) plus the "
           "integrator's O(h) bias (about -1 %%, phys_dwell.h).", particles,
           ratio_se[top]);
  TK_TRY(expt_compare(r, "exact", "escape rate / exact first-passage rate, "
                      "top barrier", ratio[top], 1.0, "1",
                      "theory: MFPT double integral (exact for this model)",
                      why, err));
  snprintf(why, sizeof why, "Kramers is the high-barrier limit: the exact rate "
           "itself is %.3g x Kramers at %g kT (O(1/b) corrections).",
           ex[top] / kr[top], b[top]);
  TK_TRY(expt_compare(r, "kramers", "escape rate / Kramers rate, top barrier",
                      kratio[top], 1.0, "1", "Kramers (1940), overdamped",
                      why, err));
  expt_note(r, "From %g to %g kT the escape rate falls %.3gx: the talk's "
            "particles that cross a low barrier and stay stuck behind a "
            "high one.", b[0], b[top], rate[0] / rate[top]);
  expt_note(r, "Largest deviation from the exact rate over the %zu barriers: "
            "%.2f sigma.", nb, max_z);
  return TK_OK;
}

int expt__dwell_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  double *b = NULL, *r = NULL, *s = NULL, *cb = NULL, *ce = NULL, *ck = NULL,
         *lo = NULL, *hi = NULL;
  size_t nb = 0, n2, nc = 0, n4, n5, nlo = 0, nhi = 0;
  char **names = NULL;
  size_t nn = 0;
  int rc = expt_read(f, "/scan/barrier_kT", &b, &nb, err);
  if (rc == 0) rc = expt_read(f, "/scan/rate_measured_per_s", &r, &n2, err);
  if (rc == 0) rc = expt_read(f, "/scan/rate_measured_sigma_per_s", &s, &n2, err);
  if (rc == 0) rc = expt_read(f, "/curve/barrier_kT", &cb, &nc, err);
  if (rc == 0) rc = expt_read(f, "/curve/rate_exact_per_s", &ce, &n4, err);
  if (rc == 0) rc = expt_read(f, "/curve/rate_kramers_per_s", &ck, &n5, err);
  if (rc == 0) rc = io_list(f, "/fpt", &names, &nn, err);
  if (rc == 0 && nn == 2) {
    /* names sort as "barrier_10kT_s" < "barrier_1kT_s": pick by value */
    char p0[128], p1[128];
    snprintf(p0, sizeof p0, "/fpt/%s", names[0]);
    snprintf(p1, sizeof p1, "/fpt/%s", names[1]);
    rc = expt_read(f, p0, &lo, &nlo, err);
    if (rc == 0) rc = expt_read(f, p1, &hi, &nhi, err);
    double mlo = 0, mhi = 0;
    for (size_t i = 0; i < nlo; i++) mlo += lo[i];
    for (size_t i = 0; i < nhi; i++) mhi += hi[i];
    if (rc == 0 && mlo / nlo > mhi / nhi) {
      double *t = lo; lo = hi; hi = t;
      size_t u = nlo; nlo = nhi; nhi = u;
    }
  }
  io_names_free(names, nn);
  io_file_close(f);
  io_plot p;
  if (rc == 0)
    rc = io_plot_begin(&p, png, 1100, 480, err);
  if (rc == 0) {
    double *t1 = malloc(nb * 3 * sizeof *t1), *t2 = malloc(nc * 3 * sizeof *t2);
    if (t1 != NULL && t2 != NULL) {
      for (size_t i = 0; i < nb; i++) {
        t1[3 * i] = b[i]; t1[3 * i + 1] = r[i]; t1[3 * i + 2] = s[i];
      }
      for (size_t i = 0; i < nc; i++) {
        t2[3 * i] = cb[i]; t2[3 * i + 1] = ce[i]; t2[3 * i + 2] = ck[i];
      }
      io_plot_data_table(&p, "sim", t1, nb, 3);
      io_plot_data_table(&p, "th", t2, nc, 3);
    }
    free(t1);
    free(t2);
    /* survival: fraction of particles not yet crossed vs time */
    double *sv = NULL;
    if (lo != NULL && hi != NULL) {
      size_t m = 101;
      sv = malloc(m * 3 * sizeof *sv);
      double tmax = 0, tmin = INFINITY;
      for (size_t i = 0; i < nhi; i++) tmax = fmax(tmax, hi[i]);
      for (size_t i = 0; i < nlo; i++) tmin = fmin(tmin, lo[i]);
      if (!(tmin > 0 && tmin < tmax)) tmin = tmax * 1e-6;
      for (size_t k = 0; sv && k < m; k++) {
        double t = tmin * pow(tmax / tmin, (double)k / (m - 1));
        size_t a = 0, c2 = 0;
        for (size_t i = 0; i < nlo; i++) a += lo[i] > t;
        for (size_t i = 0; i < nhi; i++) c2 += hi[i] > t;
        sv[3 * k] = t * 1e6;
        sv[3 * k + 1] = (double)a / nlo;
        sv[3 * k + 2] = (double)c2 / nhi;
      }
      if (sv) io_plot_data_table(&p, "sv", sv, m, 3);
    }
    io_plot_cmd(&p,
                "set multiplot layout 1,2\n"
                "set title 'Escape rate vs barrier (t_0 = 1 ns)'\n"
                "set xlabel 'barrier {/Symbol D}U / kT'\nset ylabel 'escape rate (1/s)'\n"
                "set logscale y\nset format y '10^{%%L}'\nset key right top\n"
                "plot $th u 1:2 w l lw 2 t 'exact (first passage)', "
                "$th u 1:3 w l lw 2 dt 2 t 'Kramers', "
                "$sim u 1:2:3 w yerrorbars pt 7 ps 1.2 t 'Langevin simulation'\n"
                "unset logscale y\nset format y '%%g'\n"
                "set title 'Particles not yet crossed: shallow vs deep well'\n"
                "set xlabel 'time (us)'\nset ylabel 'fraction still in the first well'\n"
                "set yrange [0:1.05]\nset logscale x\nset format x '10^{%%L}'\n"
                "plot $sv u 1:2 w l lw 2 t 'lowest barrier', $sv u 1:3 w l lw 2 t 'highest barrier'\n"
                "unset multiplot\n");
    free(sv);
    rc = io_plot_run(&p, err);
  }
  free(b); free(r); free(s); free(cb); free(ce); free(ck); free(lo); free(hi);
  return rc;
}
