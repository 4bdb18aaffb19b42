/* cmd_plot.c -- `tsukit plot FILE.h5 -o FIG.png`: a figure from a result
 * file, chosen by the file's content (its root `kind` attribute), so other
 * file kinds can be added to the table below.
 *
 * Workload: reads one file (traces through io/io_trace.h), writes one PNG
 * through io_plot (gnuplot).
 * Trace files: the output node of every run, stacked, against time in
 * units of the run's measured correlation time tau (the talk's figure);
 * for a continuous-output cell (gmm) the histogram of the output.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/cells/ckt_cellkind.h"
#include "cli/cmd.h"
#include "io/io_h5.h"
#include "io/io_plot.h"
#include "io/io_trace.h"

#define PLOT_MAX_POINTS 4000   /* points drawn per run (decimated) */

static int plot_trace(io_file *f, const char *png, tk_err *err)
{
  io_trace_info info;
  TK_TRY(io_trace_info_read(f, &info, err));
  const char *outnode = info.outputs;
  double vdd = info.vdd_V;
  /* continuous output: density */
  int hist = info.have_kind && ckt_cellkind_get(info.kind)->continuous;
  size_t nr = info.n_runs;
  io_plot p;
  int rc = io_plot_begin(&p, png, 1000, 200 + 160 * (int)nr, err);
  if (rc != 0) {
    io_trace_info_clear(&info);
    return rc;
  }
  io_plot_cmd(&p, "unset key\nset multiplot layout %zu,1\n", nr);
  for (size_t r = 0; r < nr && rc == 0; r++) {
    io_trace_rec rec;
    rc = io_trace_rec_read(f, &info, r, &rec, err);
    double tau = rec.tau_s, vctl = rec.vctl_V, p1 = rec.p1;
    double *t = rec.time_s, *v = NULL;
    int nl = (int)rec.n_lines;
    /* several output lines (categorical): plot the state, the index of
     * the highest line that is high (>= 0.7 VDD); 0 while none is */
    if (rc == 0 && nl == 1) {
      v = rec.line_V[0];
    } else if (rc == 0) {
      if ((v = calloc(rec.n_line + 1, sizeof *v)) == NULL)
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
      for (int q = 0; rc == 0 && q < nl; q++)
        for (size_t k = 0; k < rec.n_line; k++)
          if (rec.line_V[q][k] >= 0.7 * vdd)
            v[k] = q;
    }
    double ylo = -0.1 * vdd, yhi = 1.1 * vdd, ytic = 0.5 * vdd;
    const char *ylab = outnode;
    if (nl > 1) {
      ylo = -0.5;
      yhi = nl - 0.5;
      ytic = 1;
      ylab = "state";
    }
    if (rc == 0) {
      size_t n = rec.n_time < rec.n_line ? rec.n_time : rec.n_line;
      size_t step = n > PLOT_MAX_POINTS ? n / PLOT_MAX_POINTS : 1;
      size_t m = 0;
      int unit_tau = isfinite(tau) && tau > 0;
      for (size_t k = 0; k < n; k += step, m++) {
        t[m] = unit_tau ? t[k] / tau : t[k] * 1e6;
        v[m] = v[k];
      }
      char blk[32];
      snprintf(blk, sizeof blk, "r%zu", r);
      io_plot_data_xy(&p, blk, t, v, m);
      if (hist) {
        io_plot_cmd(&p, "set title 'vctl = %.4g V, vsep = %.4g V' font ',10'\n"
                    "set xlabel '%s (V)'\nset ylabel 'density (1/V)'\n"
                    "set xrange [%g:%g]\nset yrange [*:*]\nbw = %g\n"
                    "bin(x) = bw * floor(x / bw) + bw / 2\n"
                    "plot $%s using (bin($2)):(1.0 / (%zu * bw)) smooth freq "
                    "with boxes notitle\n",
                    vctl, rec.vctl1_V, outnode, -0.1 * vdd, 1.1 * vdd,
                    0.004 * vdd, blk, m);
      } else {
        if (nl > 1)
          io_plot_cmd(&p, "set title 'vc0 = %.4g V, tau = %.3g s' "
                      "font ',10'\n", vctl, tau);
        else
          io_plot_cmd(&p, "set title 'vctl = %.4g V, P(1) = %.3f, tau = %.3g s' "
                      "font ',10'\n", vctl, p1, tau);
        io_plot_cmd(&p, "set xlabel '%s'\nset ylabel '%s%s'\n",
                    unit_tau ? "time / tau" : "time (us)", ylab,
                    nl > 1 ? "" : " (V)");
        io_plot_cmd(&p, "set yrange [%g:%g]\nset ytics %g\n", ylo, yhi, ytic);
        io_plot_cmd(&p, "plot $%s using 1:2 with lines lw 1 notitle\n", blk);
      }
    }
    if (nl > 1)
      free(v);
    io_trace_rec_clear(&rec);
  }
  io_plot_cmd(&p, "unset multiplot\n");
  io_trace_info_clear(&info);
  if (rc != 0) {
    io_plot_discard(&p);
    return rc;
  }
  return io_plot_run(&p, err);
}

typedef struct plot_kind {
  const char *kind;     /* root attribute `kind` */
  int (*fn)(io_file *f, const char *png, tk_err *err);
} plot_kind;

int cmd_plot_dtm_samples(io_file *f, const char *png, tk_err *err);
int cmd_plot_dtm_model(io_file *f, const char *png, tk_err *err);
int cmd_plot_cells(io_file *f, const char *png, tk_err *err);

static const plot_kind kinds[] = {
  {"trace", plot_trace},
  {"dtm-samples", cmd_plot_dtm_samples},
  {"dtm-model", cmd_plot_dtm_model},
  {"cells", cmd_plot_cells},
};

int cmd_plot_kv(int argc, char **argv, cmd_kv *kvp)
{
  const char *in = NULL, *png = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      printf("usage: tsukit plot FILE.h5 -o FIG.png\n\nDraws the figure that "
             "fits the file's content (kinds: trace, dtm-samples, dtm-model, cells).\n");
      return CMD_EXIT_OK;
    }
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      png = argv[++i];
    else if (argv[i][0] == '-')
      return cmd_usage_error("plot", "unknown or incomplete option '%s'", argv[i]);
    else if (in == NULL)
      in = argv[i];
    else
      return cmd_usage_error("plot", "unexpected argument '%s'", argv[i]);
  }
  if (in == NULL || png == NULL)
    return cmd_usage_error("plot", "FILE.h5 and -o FIG.png are required");
  tk_err err = {0};
  io_file *f = NULL;
  int rc = io_file_open_read(in, &f, &err);
  if (rc != 0)
    return cmd_fail("plot", &err);
  char kind[64] = "";
  if (io_get_attr_str(f, "/", "kind", kind, sizeof kind, NULL) != 0 &&
      io_exists(f, "/traces"))
    snprintf(kind, sizeof kind, "trace");
  const plot_kind *k = NULL;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp(kinds[i].kind, kind) == 0)
      k = &kinds[i];
  if (k == NULL) {
    io_file_close(f);
    TK_FAIL(&err, TK_EFORMAT, "%s: no plot for file kind '%s'", in, kind);
    return cmd_fail("plot", &err);
  }
  rc = k->fn(f, png, &err);
  io_file_close(f);
  if (rc != 0)
    return cmd_fail("plot", &err);
  cmd_kv_str(kvp, "kind", kind);
  cmd_kv_str(kvp, "figure", png);
  return CMD_EXIT_OK;
}

int cmd_plot(int argc, char **argv)
{
  return cmd_print_kv(cmd_plot_kv, argc, argv);
}
