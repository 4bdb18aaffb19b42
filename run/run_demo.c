/* run_demo.c -- the steps of `tsukit demo` (run_demo.h), each a call of
 * the library functions the commands use.
 *
 * Workload: ~50 s (quick: ~15 s) on 2 cores: three short ngspice traces,
 * 2000 double-well particles, 2000 sweeps of 128 chains on 70x70 G12, one
 * DTM epoch on 3200 images.
 */
#include "run/run_demo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "circuits/cells/ckt_cells.h"
#include "common/tk_progress.h"
#include "io/io_h5.h"
#include "io/io_idx.h"
#include "io/io_plot.h"
#include "io/io_trace.h"
#include "physics/phys_mosfet.h"
#include "run/run_doublewell.h"
#include "run/run_dtm.h"
#include "run/run_plot.h"
#include "run/run_sample.h"
#include "run/run_trace.h"
#include "tsu/tsu_graph.h"

run_demo_params run_demo_default_params(void)
{
  run_demo_params p = {"tsukit-demo", 0, 1, NULL};
  return p;
}

static void path_in(char *buf, size_t size, const run_demo_params *p,
                    const char *name)
{
  snprintf(buf, size, "%s/%s", p->out_dir, name);
}

/* Step 1: I_D(V_GS) of the default NMOS at three temperatures. */
static int step_device(const run_demo_params *ctx, run_demo_result *res,
                       tk_err *err)
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
  io_prov prov = {ctx->command ? ctx->command : "", ctx->seed};
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
  res->swing_mV_per_dec = slope_mV;
  return TK_OK;
}

/* Step: the three ngspice cells -- traces and the talk's figures. */
static int step_cells(const run_demo_params *ctx, run_demo_result *res,
                      tk_err *err)
{
  static const struct {
    const char *cell;   /* shipped cell */
    double vctl[8];     /* controls, n_ctl per run */
    size_t n;           /* values in vctl */
    double time_s, quick_time_s;
  } runs[] = {
    /* pbit: five control voltages across its window */
    {"pbit", {0.183, 0.185, 0.186, 0.187, 0.189}, 5, 40e-6, 8e-6},
    /* cat4: each state favoured in turn by its own control */
    {"cat4", {0.194, 0.178, 0.178, 0.178, 0.178, 0.194, 0.178, 0.178}, 8,
     6e-6, 3e-6},
    /* gmm2: weight moves with vctl, separation with vsep */
    {"gmm2", {0.185, 0.3, 0.186, 0.3, 0.187, 0.3}, 6, 20e-6, 5e-6},
  };
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
    char h5[4200], png[4200], name[64];
    snprintf(name, sizeof name, "cell_%s.h5", runs[i].cell);
    path_in(h5, sizeof h5, ctx, name);
    snprintf(name, sizeof name, "cell_%s.png", runs[i].cell);
    path_in(png, sizeof png, ctx, name);
    run_trace_params tp = run_trace_default_params();
    tp.cell = runs[i].cell;
    tp.vctl_V = runs[i].vctl;
    tp.n_vctl = runs[i].n;
    tp.time_s = ctx->quick ? runs[i].quick_time_s : runs[i].time_s;
    tp.seed = ctx->seed;
    tp.force = 1;
    tp.out = h5;
    tp.command = ctx->command;
    run_trace_result tr;
    TK_TRY(run_trace(&tp, &tr, err));
    if (i == 0) {
      size_t nd = 0;
      const io_trace_figdef *d = io_trace_figdefs(tr.ci->cellkind, &nd);
      for (size_t k = 0; k < nd; k++) {
        double *dst = strcmp(d[k].name, "p1") == 0 ? res->pbit_p1
                    : strcmp(d[k].name, "tau_s") == 0 ? res->pbit_tau_s
                    : strcmp(d[k].name, "energy_per_flip_J") == 0
                        ? res->pbit_energy_per_flip_J : NULL;
        for (size_t r = 0; dst != NULL && r < tr.n_runs && r < RUN_DEMO_PBIT_RUNS; r++)
          dst[r] = io_trace_fig_value(&tr.figs[r], &d[k]);
      }
    }
    run_trace_result_free(&tr);
    TK_TRY(run_plot(h5, png, NULL, 0, err));
  }
  return TK_OK;
}

/* Step: the double well at 6 kT, with the rate-vs-barrier figure. */
static int step_doublewell(const run_demo_params *ctx, run_demo_result *res,
                           tk_err *err)
{
  char out[4200];
  path_in(out, sizeof out, ctx, "doublewell.h5");
  run_doublewell_params p = run_doublewell_default_params();
  p.dw.barrier_kT = 6;
  p.dw.particles = ctx->quick ? 300 : 2000;
  p.dw.seed = ctx->seed;
  p.n_threads = 0;
  p.out = out;
  p.force = 1;
  p.command = ctx->command;
  run_doublewell_result r;
  TK_TRY(run_doublewell(&p, &r, err));
  res->dw_mfpt_ratio = r.mfpt_ratio;
  res->dw_kramers_ratio = r.kramers_ratio;
  return TK_OK;
}

/* Step: the chip simulator on a 70x70 G12 grid with ideal cells. */
static int step_chip(const run_demo_params *ctx, run_demo_result *res,
                     tk_err *err)
{
  char out[4200];
  path_in(out, sizeof out, ctx, "chip.h5");
  run_sample_params p = run_sample_default_params();
  p.graph = "G12";
  p.L = 70;
  p.beta = 0.5;
  p.chains = 128;
  p.sweeps = ctx->quick ? 200 : 2000;
  p.seed = ctx->seed;
  p.save_states = 1;
  p.force = 1;
  p.out = out;
  p.command = ctx->command;
  run_sample_result sr;
  TK_TRY(run_sample(&p, &sr, err));
  res->chip_flips_per_ns = sr.flips_per_ns;
  res->chip_energy_per_sample_J = sr.en.per_sample_J;
  res->chip_paper_energy_per_sample_J = sr.en.paper_per_sample_J;

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
    path_in(png, sizeof png, ctx, "chip.png");
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
static int step_dtm(const run_demo_params *ctx, run_demo_result *res,
                    tk_err *err)
{
  char model[4200], samples[4200], png[4200];
  path_in(model, sizeof model, ctx, "dtm_model.h5");
  path_in(samples, sizeof samples, ctx, "dtm_samples.h5");
  path_in(png, sizeof png, ctx, "dtm_samples.png");
  io_image_set probe = {0};
  tk_err perr;
  if (io_fashion_mnist_load(NULL, "test", 1, &probe, &perr) != 0) {
    fprintf(stderr, "demo: dtm skipped: %s\n", tk_err_text(&perr));
    res->dtm_skipped = 1;
    return TK_OK;
  }
  io_image_set_free(&probe);
  run_dtm_train_params tp = run_dtm_train_default_params();
  tp.data = "fashion-mnist";
  tp.out = model;
  tp.p.T = 4;
  tp.p.n_jumps = tsu_grid_name_jumps("G12");
  tp.p.L = 70;
  tp.train_limit = ctx->quick ? 640 : 3200;
  tp.p.epochs = 1;
  tp.p.sweeps = 20;
  tp.p.sweeps_pos = 10;
  tp.p.record = 4;
  tp.p.acp_every = 5;
  tp.p.seed = ctx->seed;
  tp.force = 1;
  tp.log.samples = 100; /* a small training log: classifier on 2000 images */
  tp.log.test = 500;
  tp.log.clf_images = 2000;
  tp.set_steps = tp.set_graph = tp.set_L = 1;
  tp.command = ctx->command;
  run_dtm_train_result tr;
  TK_TRY(run_dtm_train(&tp, &tr, err));
  res->dtm_train_images_per_s = tr.images_per_s;
  res->dtm_train_flips_per_ns = tr.flips_per_ns;
  run_dtm_sample_params sp = run_dtm_sample_default_params();
  sp.model = model;
  sp.n = 100;
  sp.label = RUN_DTM_LABEL_ALL;
  sp.seed = ctx->seed;
  sp.force = 1;
  sp.out = samples;
  sp.command = ctx->command;
  run_dtm_sample_result sr;
  TK_TRY(run_dtm_sample(&sp, &sr, err));
  res->dtm_energy_per_sample_J = sr.energy.per_sample_J;
  res->dtm_paper_energy_per_sample_J = sr.energy.paper_per_sample_J;
  return run_plot(samples, png, NULL, 0, err);
}

typedef struct demo_step {
  const char *name;     /* step name */
  int (*fn)(const run_demo_params *, run_demo_result *, tk_err *);
  const char *summary;  /* one line for --help and progress */
} demo_step;

static const demo_step steps[] = {
  {"device", step_device, "EKV transistor I_D(V_GS) at -40, 27 and 125 C"},
  {"cells", step_cells, "pbit, cat4 and gmm2 cells in ngspice with device noise"},
  {"doublewell", step_doublewell, "double well at 6 kT: escape rate vs exact and Kramers"},
  {"chip", step_chip, "70x70 G12 chip, 128 chains, Gibbs sampling and energy"},
  {"dtm", step_dtm, "4-step DTM on the chip: a short training on Fashion-MNIST, samples, energy"},
};
#define N_STEPS (sizeof steps / sizeof steps[0])

size_t run_demo_n_steps(void) { return N_STEPS; }

const char *run_demo_step_name(size_t i)
{
  return i < N_STEPS ? steps[i].name : NULL;
}

const char *run_demo_step_summary(size_t i)
{
  return i < N_STEPS ? steps[i].summary : NULL;
}

int run_demo(const run_demo_params *p, run_demo_result *res, tk_err *err)
{
  memset(res, 0, sizeof *res);
  for (size_t i = 0; i < RUN_DEMO_PBIT_RUNS; i++)
    res->pbit_p1[i] = res->pbit_tau_s[i] = res->pbit_energy_per_flip_J[i] = NAN;
  if (p->out_dir == NULL || p->out_dir[0] == '\0')
    return TK_FAIL(err, TK_EINVAL, "demo: an output folder is required");
  if (mkdir(p->out_dir, 0777) != 0 && errno != EEXIST)
    return TK_FAIL(err, TK_EIO, "cannot create folder %s: %s", p->out_dir,
                   strerror(errno));
  double t0 = tk_clock_s();
  for (size_t i = 0; i < N_STEPS; i++) {
    fprintf(stderr, "demo: [%zu/%zu] %s: %s\n", i + 1, N_STEPS, steps[i].name,
            steps[i].summary);
    double ts = tk_clock_s();
    int rc = steps[i].fn(p, res, err);
    if (rc != TK_OK)
      return tk_err_wrap(err, rc, "step %s", steps[i].name);
    fprintf(stderr, "demo: [%zu/%zu] %s done in %.1f s\n", i + 1, N_STEPS,
            steps[i].name, tk_clock_s() - ts);
    res->steps = i + 1;
  }
  res->wall_s = tk_clock_s() - t0;
  return TK_OK;
}
