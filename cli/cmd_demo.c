/* cmd_demo.c -- `tsukit demo`: the whole chain on the embedded defaults.
 *
 * Runs each layer that exists on built-in parameters, writes its HDF5
 * data and gnuplot figures into one folder, and prints one summary line
 * naming the folder and the headline numbers.  Each step is one function
 * in the table below; a step that fails stops the demo with its message
 * (files of finished steps stay).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/demo.h"
#include "common/tk_parse.h"
#include "common/tk_progress.h"
#include "io/io_h5.h"
#include "io/io_idx.h"
#include "io/io_plot.h"
#include "physics/phys_mosfet.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit demo [--out DIR] [--quick] [--seed S]\n"
          "\n"
          "Runs the chain on the embedded defaults and writes data (HDF5) and\n"
          "figures (PNG) into DIR (default: tsukit-demo).  Steps:\n");
  for (size_t i = 0; i < demo_n_steps; i++)
    fprintf(f, "  %-12s %s\n", demo_steps[i].name, demo_steps[i].summary);
  fprintf(f,
          "\n  --out DIR    output folder (created; files in it are replaced)\n"
          "  --quick      shorter runs (seconds instead of minutes)\n"
          "  --seed S     random seed (default 1)\n");
}

/* Step 1: I_D(V_GS) of the default NMOS at three temperatures. */
int demo_device(const demo_ctx *ctx, cmd_kv *kv, tk_err *err)
{
  enum { NV = 121, NT = 3 };
  const double temps_K[NT] = {233.15, 300.15, 398.15};
  double vgs[NV], id[NT * NV];
  phys_mos_params p = phys_mos_default_params(PHYS_NMOS);
  for (int i = 0; i < NV; i++)
    vgs[i] = 0.6 * i / (NV - 1);
  double slope_mV = 0;
  for (int t = 0; t < NT; t++) {
    for (int i = 0; i < NV; i++) {
      phys_mos_op op;
      TK_TRY(phys_mos_eval(&p, vgs[i], 0.2, 0.0, 0.0, temps_K[t], &op, err));
      id[t * NV + i] = op.id_A;
    }
  }
  /* subthreshold swing at 27 C from the points at 0.05 and 0.15 V */
  slope_mV = 1e3 * 0.1 / log10(id[NV + 30] / id[NV + 10]);

  char path[4200];
  snprintf(path, sizeof path, "%s/device.h5", ctx->out_dir);
  io_file *f = NULL;
  io_prov prov = {cmd_command_line(), ctx->seed};
  TK_TRY(io_file_create(path, &prov, IO_CREATE_OVERWRITE, &f, err));
  size_t d1[1] = {NV}, d2[2] = {NT, NV}, dt[1] = {NT};
  int rc = io_write_f64(f, "/device/vgs_V", 1, d1, vgs, "V", err);
  if (rc == 0)
    rc = io_write_f64(f, "/device/temperature_K", 1, dt, temps_K, "K", err);
  if (rc == 0)
    rc = io_write_f64(f, "/device/id_A", 2, d2, id, "A", err);
  if (rc == 0)
    rc = io_attr_f64(f, "/device", "vds_V", 0.2, err);
  if (rc == 0)
    rc = io_attr_str(f, "/device", "model", "EKV NMOS, default params (phys_mos_default_params)", err);
  if (rc != 0) {
    io_file_abort(f);
    return rc;
  }
  TK_TRY(io_file_commit(f, err));

  /* The figure is drawn from the file just written. */
  io_file *r = NULL;
  TK_TRY(io_file_open_read(path, &r, err));
  double *x = NULL, *y = NULL;
  int rank;
  size_t dx[4], dy[4];
  rc = io_read_f64(r, "/device/vgs_V", &x, &rank, dx, err);
  if (rc == 0)
    rc = io_read_f64(r, "/device/id_A", &y, &rank, dy, err);
  io_file_close(r);
  if (rc == 0) {
    char png[4200];
    snprintf(png, sizeof png, "%s/device.png", ctx->out_dir);
    io_plot pl;
    rc = io_plot_begin(&pl, png, 800, 560, err);
    if (rc == 0) {
      double *tab = malloc(dx[0] * 4 * sizeof *tab);
      for (size_t i = 0; i < dx[0] && tab; i++) {
        tab[4 * i] = x[i];
        for (int t = 0; t < NT; t++)
          tab[4 * i + 1 + t] = y[t * dx[0] + i];
      }
      if (tab)
        io_plot_data_table(&pl, "id", tab, dx[0], 4);
      free(tab);
      io_plot_cmd(&pl,
                  "set title 'EKV NMOS, W/L = 90/45 nm, V_{DS} = 0.2 V'\n"
                  "set xlabel 'V_{GS} (V)'\nset ylabel 'I_D (A)'\n"
                  "set logscale y\nset format y '10^{%%L}'\nset key left top\n"
                  "plot $id u 1:2 w l lw 2 t '-40 C', $id u 1:3 w l lw 2 t '27 C',"
                  " $id u 1:4 w l lw 2 t '125 C'\n");
      rc = io_plot_run(&pl, err);
    }
  }
  free(x);
  free(y);
  if (rc != 0)
    return rc;
  cmd_kv_double(kv, "swing_mV_per_dec", slope_mV);
  return TK_OK;
}

/* Copy the listed keys of a sub-command's summary into the demo's, each
 * prefixed ("chip_flips_per_ns"). */
static void take_keys(cmd_kv *kv, const cmd_kv *sub, const char *prefix,
                      const char *const *keys)
{
  for (; *keys; keys++) {
    char v[128], k[128];
    if (cmd_kv_get(sub, *keys, v, sizeof v) != NULL) {
      snprintf(k, sizeof k, "%s%s", prefix, *keys);
      cmd_kv_str(kv, k, v);
    }
  }
}

/* Run one sub-command with a NULL-terminated argv; its summary goes to sub. */
static int run_sub(int (*fn)(int, char **, cmd_kv *), char **argv, cmd_kv *sub,
                   tk_err *err)
{
  int argc = 0;
  while (argv[argc] != NULL)
    argc++;
  cmd_kv_init(sub);
  if (fn(argc, argv, sub) != 0)
    return TK_FAIL(err, TK_EINTERNAL, "tsukit %s failed (message above)", argv[0]);
  return TK_OK;
}

/* Step: the three ngspice cells -- traces and the talk's figures. */
int demo_cells(const demo_ctx *ctx, cmd_kv *kv, tk_err *err)
{
  char seed[32], h5[4200], png[4200];
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)ctx->seed);
  cmd_kv sub;
  static const struct {
    const char *cell, *vctl, *time, *quick_time;
  } runs[] = {
    /* pbit: five control voltages across its window */
    {"pbit", "0.183,0.185,0.186,0.187,0.189", "40e-6", "8e-6"},
    /* cat4: each state favoured in turn by its own control */
    {"cat4", "0.194,0.178,0.178,0.178,0.178,0.194,0.178,0.178", "6e-6", "3e-6"},
    /* gmm2: weight moves with vctl, separation with vsep */
    {"gmm2", "0.185,0.3,0.186,0.3,0.187,0.3", "20e-6", "5e-6"},
  };
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
    snprintf(h5, sizeof h5, "%s/cell_%s.h5", ctx->out_dir, runs[i].cell);
    snprintf(png, sizeof png, "%s/cell_%s.png", ctx->out_dir, runs[i].cell);
    char *targv[] = {"trace", "--cell", (char *)runs[i].cell, "--vctl",
                     (char *)runs[i].vctl, "--time",
                     (char *)(ctx->quick ? runs[i].quick_time : runs[i].time),
                     "--seed", seed, "--force", "-o", h5, NULL};
    TK_TRY(run_sub(cmd_trace_kv, targv, &sub, err));
    if (i == 0) {
      static const char *const keys[] = {"p1", "tau_s", "energy_per_flip_J", NULL};
      take_keys(kv, &sub, "pbit_", keys);
    }
    char *pargv[] = {"plot", h5, "-o", png, NULL};
    TK_TRY(run_sub(cmd_plot_kv, pargv, &sub, err));
  }
  return TK_OK;
}

/* Step: the double well at 6 kT, with the rate-vs-barrier figure. */
int demo_doublewell(const demo_ctx *ctx, cmd_kv *kv, tk_err *err)
{
  char out[4200], seed[32];
  snprintf(out, sizeof out, "%s/doublewell.h5", ctx->out_dir);
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)ctx->seed);
  char *argv[] = {"doublewell", "--barrier-kT", "6", "--particles",
                  ctx->quick ? "300" : "2000", "--seed", seed, "--force",
                  "-o", out, NULL};
  cmd_kv sub;
  cmd_kv_init(&sub);
  if (cmd_doublewell_kv((int)(sizeof argv / sizeof argv[0]) - 1, argv, &sub) != 0)
    return TK_FAIL(err, TK_EINTERNAL, "tsukit doublewell failed (message above)");
  static const char *const keys[] = {"mfpt_ratio", "kramers_ratio", NULL};
  take_keys(kv, &sub, "dw_", keys);
  return TK_OK;
}

/* Step: the chip simulator on a 70x70 G12 grid with ideal cells. */
int demo_chip(const demo_ctx *ctx, cmd_kv *kv, tk_err *err)
{
  char out[4200], seed[32];
  snprintf(out, sizeof out, "%s/chip.h5", ctx->out_dir);
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)ctx->seed);
  char *argv[] = {"sample", "--graph", "G12", "--L", "70", "--beta", "0.5",
                  "--chains", "128", "--sweeps", ctx->quick ? "200" : "2000",
                  "--seed", seed, "--save-states", "--force", "-o", out, NULL};
  cmd_kv sub;
  cmd_kv_init(&sub);
  if (cmd_sample_kv((int)(sizeof argv / sizeof argv[0]) - 1, argv, &sub) != 0)
    return TK_FAIL(err, TK_EINTERNAL, "tsukit sample failed (message above)");
  static const char *const keys[] = {"flips_per_ns", "energy_per_sample_J",
                                     "paper_energy_per_sample_J", NULL};
  take_keys(kv, &sub, "chip_", keys);

  /* Figure from the file: the final state of chain 0 and the mean spin. */
  io_file *r = NULL;
  TK_TRY(io_file_open_read(out, &r, err));
  int8_t *st = NULL;
  double *mean = NULL;
  int rank;
  size_t ds[4], dm[4];
  int rc = io_read_i8(r, "/states/final", &st, &rank, ds, err);
  if (rc == 0)
    rc = io_read_f64(r, "/moments/mean", &mean, &rank, dm, err);
  io_file_close(r);
  if (rc == 0) {
    size_t L = 70, n = L * L;
    double *tab = malloc(n * 4 * sizeof *tab);
    char png[4200];
    snprintf(png, sizeof png, "%s/chip.png", ctx->out_dir);
    io_plot pl;
    rc = tab ? io_plot_begin(&pl, png, 1100, 520, err)
             : TK_FAIL(err, TK_ENOMEM, "out of memory");
    if (rc == 0) {
      for (size_t i = 0; i < n; i++) {
        tab[4 * i] = (double)(i % L);
        tab[4 * i + 1] = (double)(i / L);
        tab[4 * i + 2] = st[i];
        tab[4 * i + 3] = mean[i];
      }
      io_plot_data_table(&pl, "g", tab, n, 4);
      io_plot_cmd(&pl,
                  "set multiplot layout 1,2 title '70x70 G12 chip, random couplings, beta = 0.5, ideal cells'\n"
                  "set size ratio -1\nunset key\nset xrange [-0.5:69.5]\nset yrange [-0.5:69.5]\n"
                  "set palette defined (-1 '#2b4c7e', 0 'white', 1 '#c0392b')\n"
                  "set cbrange [-1:1]\nset title 'final state, chain 0'\n"
                  "plot $g u 1:2:3 w image\n"
                  "set title 'mean spin per cell'\nplot $g u 1:2:4 w image\n"
                  "unset multiplot\n");
      rc = io_plot_run(&pl, err);
    }
    free(tab);
  }
  free(st);
  free(mean);
  return rc;
}

/* Step: a 4-step DTM on the 70x70 G12 chip -- a short training (the
 * first 3200 images, one epoch; `tsukit experiment dtm-fashion` is the
 * real run), 100 label-clamped samples with the energy report, and their
 * grid.  Skipped, with a note, if the Fashion-MNIST package is missing. */
int demo_dtm(const demo_ctx *ctx, cmd_kv *kv, tk_err *err)
{
  char model[4200], samples[4200], png[4200], seed[32];
  snprintf(model, sizeof model, "%s/dtm_model.h5", ctx->out_dir);
  snprintf(samples, sizeof samples, "%s/dtm_samples.h5", ctx->out_dir);
  snprintf(png, sizeof png, "%s/dtm_samples.png", ctx->out_dir);
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)ctx->seed);
  io_image_set probe = {0};
  tk_err perr;
  if (io_fashion_mnist_load(NULL, "test", 1, &probe, &perr) != 0) {
    fprintf(stderr, "demo: dtm skipped: %s\n", tk_err_text(&perr));
    cmd_kv_str(kv, "dtm", "skipped");
    return TK_OK;
  }
  io_image_set_free(&probe);
  cmd_kv sub;
  char *targv[] = {"dtm", "train", "--data", "fashion-mnist", "--steps", "4",
                   "--graph", "G12", "--L", "70", "--train-limit",
                   ctx->quick ? "640" : "3200", "--epochs", "1", "--sweeps",
                   "20", "--sweeps-pos", "10", "--record", "4",
                   "--acp-every", "5", "--seed", seed, "--force", "-o", model,
                   NULL};
  TK_TRY(run_sub(cmd_dtm_kv, targv, &sub, err));
  static const char *const tkeys[] = {"images_per_s", "flips_per_ns", NULL};
  take_keys(kv, &sub, "dtm_train_", tkeys);
  char *sargv[] = {"dtm", "sample", "--model", model, "--n", "100", "--label",
                   "all", "--seed", seed, "--force", "-o", samples, NULL};
  TK_TRY(run_sub(cmd_dtm_kv, sargv, &sub, err));
  static const char *const skeys[] = {"energy_per_sample_J",
                                      "paper_energy_per_sample_J", NULL};
  take_keys(kv, &sub, "dtm_", skeys);
  char *pargv[] = {"plot", samples, "-o", png, NULL};
  return run_sub(cmd_plot_kv, pargv, &sub, err);
}

int cmd_demo(int argc, char **argv)
{
  static const struct option opts[] = {
    {"out", required_argument, NULL, 'o'},
    {"quick", no_argument, NULL, 'q'},
    {"seed", required_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  demo_ctx ctx = {"tsukit-demo", 0, 1};
  tk_err err = {0};
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'o': ctx.out_dir = optarg; break;
    case 'q': ctx.quick = 1; break;
    case 's':
      if (tk_parse_u64(optarg, "--seed", &ctx.seed, &err) != 0)
        return cmd_fail("demo", &err);
      break;
    case 'h': usage(stdout); return CMD_EXIT_OK;
    default:
      return cmd_usage_error("demo", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
  }
  if (optind < argc)
    return cmd_usage_error("demo", "unexpected argument '%s'", argv[optind]);
  if (mkdir(ctx.out_dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "tsukit demo: error: cannot create folder %s: %s\n",
            ctx.out_dir, strerror(errno));
    return CMD_EXIT_FAIL;
  }
  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_str(&kv, "out_dir", ctx.out_dir);
  double t0 = tk_clock_s();
  for (size_t i = 0; i < demo_n_steps; i++) {
    fprintf(stderr, "demo: [%zu/%zu] %s: %s\n", i + 1, demo_n_steps,
            demo_steps[i].name, demo_steps[i].summary);
    double ts = tk_clock_s();
    if (demo_steps[i].fn(&ctx, &kv, &err) != 0) {
      fprintf(stderr, "tsukit demo: error in step %s: %s\n",
              demo_steps[i].name, tk_err_text(&err));
      return CMD_EXIT_FAIL;
    }
    fprintf(stderr, "demo: [%zu/%zu] %s done in %.1f s\n", i + 1,
            demo_n_steps, demo_steps[i].name, tk_clock_s() - ts);
  }
  cmd_kv_long(&kv, "steps", (long)demo_n_steps);
  cmd_kv_double(&kv, "wall_s", tk_clock_s() - t0);
  cmd_kv_end(&kv);
  return CMD_EXIT_OK;
}
