/* cmd_doublewell.c -- `tsukit doublewell`: escape rate of the talk's
 * double well, simulated, against the exact and Kramers rates. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "common/tk_progress.h"
#include "io/io_h5.h"
#include "io/io_plot.h"
#include "physics/phys_dwell.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit doublewell --barrier-kT X [--temp T] [--particles N]\n"
          "                         [--seed S] [--threads N] [-o FILE.h5] [--force]\n"
          "\n"
          "Overdamped Langevin particles in U(x) = dU ((x/a)^2 - 1)^2 (a = 1 nm,\n"
          "friction 4.142e-12 kg/s: t0 = a^2 gamma / kT = 1 ns at 300 K).  The\n"
          "measured rate is 1 / mean first-passage time from one minimum to the\n"
          "other; it is compared with the exact rate (double integral, by\n"
          "quadrature) and with Kramers' high-barrier formula.\n"
          "\n"
          "  --barrier-kT X  barrier height dU / kT, in (0, 40]\n"
          "  --temp T        temperature, K or with a C suffix (default 300)\n"
          "  --particles N   independent particles, 1..10000000 (default 2000)\n"
          "  --seed S        random seed (default 1)\n"
          "  --threads N     OpenMP threads, 0 = all (default 0)\n"
          "  -o FILE.h5      write escape times, histogram and a rate-vs-barrier\n"
          "                  scan; the figure goes to FILE.png\n"
          "  --force         overwrite an existing output file\n"
          "\n"
          "Summary: rate_measured_per_s rate_measured_sigma_per_s\n"
          "rate_exact_per_s rate_kramers_per_s mfpt_ratio mfpt_ratio_sigma\n"
          "kramers_ratio.\n");
}

static int show_progress(size_t done, size_t total, void *ctx)
{
  tk_progress_update(ctx, (double)done);
  (void)total;
  return 0;
}

/* Barriers of the scan written with -o: a few cheap ones and the asked. */
#define SCAN_N 6

static int write_file(const char *out, int force, const phys_dwell_params *p,
                      const phys_dwell_result *r, int n_threads, tk_err *err)
{
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
    TK_TRY(phys_dwell_run(&q, n_threads, NULL, NULL, &rr, err));
    sr[i] = rr.rate_per_s;
    ss[i] = rr.rate_se_per_s;
    phys_dwell_result_free(&rr);
  }
  enum { NC = 121 };
  double cb[NC], ce[NC], ck[NC];
  double t0 = phys_dwell_t0_s(p);
  for (int i = 0; i < NC; i++) {
    cb[i] = 0.5 + 11.5 * i / (NC - 1);
    TK_TRY(phys_dwell_exact_rate(cb[i], &ce[i], err));
    ce[i] /= t0;
    ck[i] = phys_dwell_kramers_rate(cb[i]) / t0;
  }
  /* histogram of escape times, 40 bins up to 5 mean times */
  enum { NB = 40 };
  double edges[NB + 1], counts[NB];
  double top = 5.0 * r->mfpt_s;
  for (int i = 0; i <= NB; i++)
    edges[i] = top * i / NB;
  memset(counts, 0, sizeof counts);
  for (size_t k = 0; k < r->n; k++) {
    int bin = (int)(r->fpt_s[k] / top * NB);
    if (bin < NB)
      counts[bin]++;
  }

  io_file *f = NULL;
  io_prov prov = {cmd_command_line(), p->seed};
  TK_TRY(io_file_create(out, &prov, force ? IO_CREATE_OVERWRITE : IO_CREATE_KEEP,
                        &f, err));
  size_t dn[1] = {r->n}, de[1] = {NB + 1}, dc[1] = {NB}, ds[1] = {SCAN_N},
         dcv[1] = {NC}, d1[1] = {1};
  int rc = io_write_f64(f, "/doublewell/fpt_s", 1, dn, r->fpt_s, "s", err);
  if (rc == 0) rc = io_write_f64(f, "/doublewell/hist_edges_s", 1, de, edges, "s", err);
  if (rc == 0) rc = io_write_f64(f, "/doublewell/hist_counts", 1, dc, counts, "1", err);
  struct { const char *name; double v; const char *unit; } sc[] = {
    {"/doublewell/barrier_kT", p->barrier_kT, "kT"},
    {"/doublewell/temperature_K", p->temp_K, "K"},
    {"/doublewell/t0_s", t0, "s"},
    {"/doublewell/step_t0", phys_dwell_step(p), "t0"},
    {"/doublewell/rate_measured_per_s", r->rate_per_s, "1/s"},
    {"/doublewell/rate_measured_sigma_per_s", r->rate_se_per_s, "1/s"},
    {"/doublewell/rate_exact_per_s", r->exact_per_s, "1/s"},
    {"/doublewell/rate_kramers_per_s", r->kramers_per_s, "1/s"},
  };
  for (size_t i = 0; rc == 0 && i < sizeof sc / sizeof sc[0]; i++)
    rc = io_write_f64(f, sc[i].name, 1, d1, &sc[i].v, sc[i].unit, err);
  if (rc == 0) rc = io_write_f64(f, "/scan/barrier_kT", 1, ds, sb, "kT", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/rate_measured_per_s", 1, ds, sr, "1/s", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/rate_measured_sigma_per_s", 1, ds, ss, "1/s", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/curve_barrier_kT", 1, dcv, cb, "kT", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/curve_exact_per_s", 1, dcv, ce, "1/s", err);
  if (rc == 0) rc = io_write_f64(f, "/scan/curve_kramers_per_s", 1, dcv, ck, "1/s", err);
  if (rc == 0)
    rc = io_attr_str(f, "/doublewell", "model",
                     "U(x) = dU ((x/a)^2-1)^2, a = 1 nm, overdamped, "
                     "Leimkuhler-Matthews integrator", err);
  if (rc != 0) {
    io_file_abort(f);
    return rc;
  }
  TK_TRY(io_file_commit(f, err));

  /* The figure, drawn from the file just written. */
  io_file *in = NULL;
  TK_TRY(io_file_open_read(out, &in, err));
  double *x[6] = {NULL};
  const char *names[6] = {"/scan/barrier_kT", "/scan/rate_measured_per_s",
                          "/scan/rate_measured_sigma_per_s",
                          "/scan/curve_barrier_kT", "/scan/curve_exact_per_s",
                          "/scan/curve_kramers_per_s"};
  size_t dims[6][4];
  int rank;
  rc = 0;
  for (int i = 0; rc == 0 && i < 6; i++)
    rc = io_read_f64(in, names[i], &x[i], &rank, dims[i], err);
  io_file_close(in);
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
      size_t ns = dims[0][0], nc = dims[3][0];
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
                  p->temp_K, t0);
      rc = io_plot_run(&pl, err);
    }
  }
  for (int i = 0; i < 6; i++)
    free(x[i]);
  return rc;
}

int cmd_doublewell_kv(int argc, char **argv, cmd_kv *kvp)
{
  static const struct option opts[] = {
    {"barrier-kT", required_argument, NULL, 'b'},
    {"temp", required_argument, NULL, 'T'},
    {"particles", required_argument, NULL, 'n'},
    {"seed", required_argument, NULL, 's'},
    {"threads", required_argument, NULL, 't'},
    {"force", no_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  phys_dwell_params p = phys_dwell_default_params();
  p.particles = 2000;
  const char *out = NULL;
  int have_b = 0, force = 0;
  long threads = 0, np;
  tk_err err = {0};
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
    int rc = 0;
    switch (c) {
    case 'b':
      rc = tk_parse_double(optarg, "--barrier-kT", &p.barrier_kT, &err);
      if (rc == 0 && !(p.barrier_kT > 0 && p.barrier_kT <= 40))
        return cmd_usage_error("doublewell", "--barrier-kT: %g is outside the valid range (0, 40]",
                               p.barrier_kT);
      have_b = 1;
      break;
    case 'T': rc = tk_parse_temp_K(optarg, "--temp", &p.temp_K, &err); break;
    case 'n':
      rc = tk_parse_long_in(optarg, "--particles", 1, 10000000, &np, &err);
      p.particles = (size_t)np;
      break;
    case 's': rc = tk_parse_u64(optarg, "--seed", &p.seed, &err); break;
    case 't': rc = tk_parse_long_in(optarg, "--threads", 0, 1024, &threads, &err); break;
    case 'o': out = optarg; break;
    case 'f': force = 1; break;
    case 'h': usage(stdout); return CMD_EXIT_OK;
    default:
      return cmd_usage_error("doublewell", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
    if (rc != 0)
      return cmd_usage_error("doublewell", "%s", tk_err_text(&err));
  }
  if (optind < argc)
    return cmd_usage_error("doublewell", "unexpected argument '%s'", argv[optind]);
  if (!have_b)
    return cmd_usage_error("doublewell", "--barrier-kT is required");

  tk_progress pr;
  tk_progress_init(&pr, "particles", (double)p.particles, 0);
  phys_dwell_result r;
  int rc = phys_dwell_run(&p, (int)threads, show_progress, &pr, &r, &err);
  tk_progress_finish(&pr);
  if (rc != 0)
    return cmd_fail("doublewell", &err);
  if (out != NULL && write_file(out, force, &p, &r, (int)threads, &err) != 0) {
    phys_dwell_result_free(&r);
    return cmd_fail("doublewell", &err);
  }
  cmd_kv_double(kvp, "barrier_kT", p.barrier_kT);
  cmd_kv_double(kvp, "temp_K", p.temp_K);
  cmd_kv_long(kvp, "particles", (long)r.n);
  cmd_kv_double(kvp, "rate_measured_per_s", r.rate_per_s);
  cmd_kv_double(kvp, "rate_measured_sigma_per_s", r.rate_se_per_s);
  cmd_kv_double(kvp, "rate_exact_per_s", r.exact_per_s);
  cmd_kv_double(kvp, "rate_kramers_per_s", r.kramers_per_s);
  cmd_kv_double(kvp, "mfpt_ratio", r.rate_per_s / r.exact_per_s);
  cmd_kv_double(kvp, "mfpt_ratio_sigma", r.rate_se_per_s / r.exact_per_s);
  cmd_kv_double(kvp, "kramers_ratio", r.rate_per_s / r.kramers_per_s);
  if (out != NULL)
    cmd_kv_str(kvp, "out", out);
  phys_dwell_result_free(&r);
  return CMD_EXIT_OK;
}

int cmd_doublewell(int argc, char **argv)
{
  return cmd_print_kv(cmd_doublewell_kv, argc, argv);
}
