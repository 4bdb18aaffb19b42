/* expt_dtm_gray.c -- `dtm-gray`: the DTM on grayscale Fashion-MNIST,
 * four gray levels on categorical (Potts) nodes (issue 14 part 3), beside
 * the binary DTM trained with the same settings and the independent-
 * pixel baselines, then generation on calibrated, mismatched,
 * finite-tau cat4 cells.  Every number comes from a file written by the
 * library calls behind `tsukit dtm train|sample|eval` and `tsukit
 * calibrate` (run/run_dtm.h, calibrate/cal_run.h); the equivalent command
 * lines are recorded in /children.
 *
 * Files (DIR/dtm-gray/): gray.h5 (--pixels cat4) and binary.h5, each
 * checkpointed every epoch and resumed by a rerun; samples-*.h5;
 * fdclf-*.h5 (the FD classifiers, thermometer-coded for gray); cat4.h5
 * (the cell library).
 *
 * Workload: full: L = 48 G12, 20000 images, 40 + 16 sweeps, the gray
 * model 8 epochs and the binary one 4 (each epoch ~3.5 min on two cores
 * of a Zen 4 shared with ten other busy threads), 1000 samples each, a
 * cat4 library of 3 temperatures x 8 random control rows x 5 us, 20
 * samples of 10 sweeps per step on the cells (one bracketed cell-model
 * inversion per update, ~20-50 us loaded); FD classifiers on 20000
 * images: ~55 min on that machine;
 * quick: L = 44, 512 images, 1 epoch, a one-temperature one-at-a-time
 * library of 2 us records, ~1-2 min of CPU.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibrate/cal_run.h"
#include "common/tk_parse.h"
#include "experiments/expt.h"
#include "experiments/expt_impl.h"
#include "io/io_dtm_cat.h"
#include "io/io_plot.h"
#include "run/run_dtm.h"

typedef struct gray_cfg {
  const char *L, *limit, *epochs, *sweeps, *spos, *rec, *acp_every, *n,
      *clf, *test, *vctl, *design, *cal_time, *n_cells, *cell_sweeps,
      *t_chip;
  const char *temps[3];
  int n_temps;
  const char *epochs_binary; /* the binary model's epochs */
  const char *sample_sweeps; /* sweeps per step at generation ("0": the
                                model's training sweeps) */
} gray_cfg;

/* Full: the gray model 8 epochs (at 4 it reached 2.5x the independent
 * pixels and label accuracy 0.445, still rising from 1.6x at epoch 1);
 * the binary model keeps the 4 epochs at which it already reached 4.5x
 * (the CPU goes to the gray model); everything else as before.  On the
 * calibrated cells 20 samples of 10 sweeps per step (the bracketed
 * inverse made that affordable).  Generation on ideal cells at 120
 * sweeps per step, 3x the training's 40: the gray model's step-1 chain
 * keeps an autocorrelation of ~0.10 at lag 40, and at 40 sweeps its
 * samples scored 2.7x the independent pixels and label accuracy 0.53
 * (the first full run), at 120 5.1x and 0.70 (`dtm sample --sweeps 120`
 * on the same model); both models are sampled alike. */
static const gray_cfg full_cfg = {
  "48", "20000", "8", "40", "16", "8", "40", "1000", "20000", "5000",
  "0.329:0.335:3", "random:8", "5e-6", "20", "10", "300",
  {"295", "300", "305"}, 3, "4", "120"};
static const gray_cfg quick_cfg = {
  "44", "512", "1", "10", "8", "4", "2", "60", "2000", "500",
  "0.329:0.335:3", "oat", "2e-6", "10", "4", "300",
  {"300", NULL, NULL}, 1, "1", "0"};

static int exists(const char *path)
{
  struct stat sb;
  return stat(path, &sb) == 0;
}

static double as_printed(double v)
{
  char s[64];
  snprintf(s, sizeof s, "%.6g", v);
  return strtod(s, NULL);
}

/* Record `tsukit ARGS` as attribute cmdNN of /children (as expt_dtm.c). */
static int record_child(expt_run *r, char *cmd, size_t size, tk_err *err,
                        const char *fmt, ...)
{
  char args[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  snprintf(cmd, size, "tsukit %s", args);
  int64_t n_cmd = 0;
  if (io_exists(r->f, "/children"))
    io_get_attr_i64(r->f, "/children", "count", &n_cmd, NULL);
  else
    TK_TRY(io_group(r->f, "/children", err));
  char an[32];
  snprintf(an, sizeof an, "cmd%02lld", (long long)n_cmd);
  TK_TRY(io_attr_str(r->f, "/children", an, cmd, err));
  TK_TRY(io_attr_i64(r->f, "/children", "count", n_cmd + 1, err));
  if (!r->ctx->quiet)
    fprintf(stderr, "dtm-gray: %s\n", cmd);
  return TK_OK;
}

/* Train or resume one model: pixels "cat4" or "binary". */
static int train(expt_run *r, const gray_cfg *g, const char *path,
                 const char *pixels, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  char cmd[2100];
  const char *epochs = strcmp(pixels, "cat4") == 0 ? g->epochs
                                                   : g->epochs_binary;
  run_dtm_train_params p = run_dtm_train_default_params();
  p.out = path;
  p.p.T = 4;
  p.p.n_jumps = tsu_grid_name_jumps("G12");
  p.p.L = (uint32_t)atoi(g->L);
  p.train_limit = (size_t)atol(g->limit);
  p.p.epochs = (uint32_t)atoi(epochs);
  p.p.sweeps = (uint32_t)atoi(g->sweeps);
  p.p.sweeps_pos = (uint32_t)atoi(g->spos);
  p.p.record = (uint32_t)atoi(g->rec);
  p.p.acp_every = (uint32_t)atoi(g->acp_every);
  p.p.seed = c->seed;
  /* Potts agreement couplings J [s_i = s_j] are 2x the Ising J s_i s_j
   * of the same interaction (K = 2): the gray model steps at 2x the
   * binary DTM's learning rate, the same step in Ising units. */
  p.pixel_levels = strcmp(pixels, "cat4") == 0 ? 4 : 0;
  p.p.lr = p.pixel_levels ? 0.04 : 0.02;
  p.threads = (int)c->workers;
  p.resume = exists(path);
  p.set_steps = p.set_graph = p.set_L = 1;
  TK_TRY(record_child(r, cmd, sizeof cmd, err,
         "dtm train --data fashion-mnist --pixels %s --steps 4 --graph G12 "
         "--L %s --train-limit %s --epochs %s --sweeps %s --sweeps-pos %s "
         "--record %s --acp --acp-every %s --lr %g --seed %llu --threads %u%s "
         "-o %s", pixels, g->L, g->limit, epochs, g->sweeps, g->spos,
         g->rec, g->acp_every, p.p.lr, (unsigned long long)c->seed, c->workers,
         p.resume ? " --resume" : "", path));
  p.command = cmd;
  run_dtm_train_result res;
  int rc = run_dtm_train(&p, &res, err);
  return rc == TK_OK ? TK_OK : tk_err_wrap(err, rc, "`%s`", cmd);
}

/* Sample (label all) and evaluate: out = {fd, base, data, acc, autocorr,
 * clf_acc}; en: the energy report. */
static int sample_eval(expt_run *r, const gray_cfg *g, const char *dir,
                       const char *model, const char *tag, const char *cells,
                       const char *temp, uint32_t n, uint32_t sweeps,
                       double out[6], io_dtm_energy *en, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  char m[1100], s[1100], clf[1100], extra[1300] = "", cmd[2100];
  snprintf(m, sizeof m, "%s/%s", dir, model);
  snprintf(s, sizeof s, "%s/samples-%s.h5", dir, tag);
  int gray = strcmp(model, "gray.h5") == 0;
  snprintf(clf, sizeof clf, "%s/fdclf-%s-%s.h5", dir, gray ? "cat4" : "binary",
           g->clf);
  run_dtm_sample_params sp = run_dtm_sample_default_params();
  sp.model = m;
  sp.out = s;
  sp.n = n;
  sp.label = RUN_DTM_LABEL_ALL;
  sp.sweeps = sweeps;
  sp.seed = c->seed + 17;
  sp.threads = (int)c->workers;
  sp.force = 1;
  if (cells != NULL) {
    sp.cells = cells;
    sp.cell = "cat4";
    TK_TRY(tk_parse_temp_K(temp, "--temp", &sp.temp_K, err));
    snprintf(extra, sizeof extra, " --cells %s --cell cat4 --temp %s", cells,
             temp);
  }
  if (sweeps)
    snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
             " --sweeps %u", sweeps);
  TK_TRY(record_child(r, cmd, sizeof cmd, err,
         "dtm sample --model %s --n %u --label all --seed %llu --threads %u"
         "%s --force -o %s", m, n, (unsigned long long)c->seed + 17,
         c->workers, extra, s));
  sp.command = cmd;
  run_dtm_sample_result sr;
  int rc = run_dtm_sample(&sp, &sr, err);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "`%s`", cmd);
  if (en != NULL)
    *en = sr.energy;
  run_dtm_eval_params ep = run_dtm_eval_default_params();
  ep.model = m;
  ep.samples = s;
  ep.clf_limit = (size_t)atol(g->clf);
  ep.test_limit = (size_t)atol(g->test);
  ep.classifier = clf;
  ep.threads = (int)c->workers;
  ep.quiet = c->quiet;
  TK_TRY(record_child(r, cmd, sizeof cmd, err,
         "dtm eval --model %s --samples %s --clf-limit %s --test-limit %s "
         "--classifier %s --threads %u", m, s, g->clf, g->test, clf,
         c->workers));
  ep.command = cmd;
  run_dtm_eval_result er;
  rc = run_dtm_eval(&ep, &er, err);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "`%s`", cmd);
  out[0] = as_printed(er.v.fd_tsukit);
  out[1] = as_printed(er.v.fd_marginal_baseline);
  out[2] = as_printed(er.v.fd_data);
  out[3] = as_printed(er.v.label_accuracy);
  out[4] = as_printed(er.v.autocorr);
  out[5] = as_printed(er.v.clf_test_accuracy);
  return TK_OK;
}

/* The cat4 library: `tsukit calibrate --cell cat4 --vdd 0.7 --vbias 0.6
 * --vctl VCTL --design DESIGN --temp T.. --time TIME` (the settings of
 * tests/cat4_acceptance.sh, fewer rows and a shorter record). */
static int calibrate_cat4(expt_run *r, const gray_cfg *g, const char *lib,
                          tk_err *err)
{
  const expt_ctx *c = r->ctx;
  char cmd[2100], temps[64] = "", design[64] = "";
  int random = strncmp(g->design, "random:", 7) == 0;
  if (random)
    snprintf(design, sizeof design, " --design %s", g->design);
  double t_K[3], time_s, *v = NULL;
  size_t nv = 0;
  for (int i = 0; i < g->n_temps; i++) {
    TK_TRY(tk_parse_temp_K(g->temps[i], "--temp", &t_K[i], err));
    snprintf(temps + strlen(temps), sizeof temps - strlen(temps), "%s%s",
             i ? "," : "", g->temps[i]);
  }
  int resume = exists(lib);
  TK_TRY(record_child(r, cmd, sizeof cmd, err,
         "calibrate --cell cat4 --vdd 0.7 --vbias 0.6 --vctl %s%s "
         "--temp %s --time %s --workers %u --seed %llu%s -o %s", g->vctl,
         design, temps, g->cal_time, c->workers,
         (unsigned long long)c->seed, resume ? " --resume" : "", lib));
  TK_TRY(tk_parse_double(g->cal_time, "--time", &time_s, err));
  TK_TRY(tk_parse_range(g->vctl, "--vctl", &v, &nv, err));
  cal_run_params p = cal_run_default_params();
  p.label = "calibrate";
  p.command_line = cmd;
  p.source = CAL_SOURCE_CELL;
  p.cell = "cat4";
  p.vdd_V = 0.7;
  p.vbias_V = 0.6;
  p.n_random = random ? atol(g->design + 7) : 0;
  p.out = lib;
  p.temp_K = t_K;
  p.nt = (size_t)g->n_temps;
  p.vctl_V = v;
  p.nv = nv;
  p.sweep.time_s = time_s;
  p.sweep.workers = (long)c->workers;
  p.sweep.seed = c->seed;
  p.sweep.resume = resume;
  cal_summary sum;
  cal_summary_init(&sum);
  int rc = cal_run(&p, &sum, err);
  free(v);
  return rc == TK_OK ? TK_OK : tk_err_wrap(err, rc, "`%s`", cmd);
}

/* The first 10 samples of each class (label all: n/10 per class, in
 * class order) into /grid/NAME [100][784] as levels. */
static int keep_grid(expt_run *r, const char *samples, const char *name,
                     tk_err *err)
{
  io_dtm_samples s;
  uint32_t K = 2;
  int rc;
  if (strstr(name, "gray") != NULL) {
    rc = io_dtmc_samples_read(samples, &s, &K, err);
  } else {
    io_file *f = NULL;
    TK_TRY(io_file_open_read(samples, &f, err));
    rc = io_dtm_samples_read(f, &s, err);
    io_file_close(f);
  }
  if (rc != TK_OK)
    return rc;
  double *g = calloc(100 * 784, sizeof *g);
  size_t per = s.n / 10;
  for (size_t cl = 0; g && cl < 10; cl++)
    for (size_t j = 0; j < 10 && j < per; j++)
      for (size_t p = 0; p < 784; p++)
        g[(cl * 10 + j) * 784 + p] =
            s.images[(cl * per + j) * 784 + p] / (double)(K - 1);
  char path[64];
  snprintf(path, sizeof path, "/grid/%s", name);
  if (!io_exists(r->f, "/grid"))
    rc = io_group(r->f, "/grid", err);
  size_t d[2] = {100, 784};
  if (g == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "grid");
  if (rc == TK_OK)
    rc = io_write_f64(r->f, path, 2, d, g, "1", err);
  free(g);
  io_dtm_samples_free(&s);
  return rc;
}

int expt__dtm_gray_run(expt_run *r, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  const gray_cfg *g = c->quick ? &quick_cfg : &full_cfg;
  char dir[1024], gp[1100], bp[1100], lib[1100], sf[1100];
  snprintf(dir, sizeof dir, "%s/dtm-gray", c->out_dir);
  if (strchr(dir, ' '))
    return TK_FAIL(err, TK_EINVAL, "the output folder must not contain "
                   "spaces (%s)", dir);
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    return TK_FAIL(err, TK_EIO, "%s: %s", dir, strerror(errno));
  TK_TRY(expt_input(r, "L", atof(g->L), "1", "ours: CPU budget (paper 70)", err));
  TK_TRY(expt_input(r, "levels", 4, "1", "issue 14: four gray levels (cat4)", err));
  TK_TRY(expt_input(r, "steps", 4, "1", "as dtm-fashion", err));
  TK_TRY(expt_input(r, "sweeps_per_step", atof(g->sweeps), "1", "ours: CPU budget", err));
  TK_TRY(expt_input(r, "epochs", atof(g->epochs), "1", "ours: CPU budget "
                    "(gray model)", err));
  TK_TRY(expt_input(r, "epochs_binary", atof(g->epochs_binary), "1",
                    "ours: CPU budget (binary model)", err));
  TK_TRY(expt_input(r, "train_images", atof(g->limit), "1", "Fashion-MNIST", err));
  snprintf(gp, sizeof gp, "%s/gray.h5", dir);
  snprintf(bp, sizeof bp, "%s/binary.h5", dir);
  TK_TRY(train(r, g, gp, "cat4", err));
  TK_TRY(train(r, g, bp, "binary", err));
  uint32_t n = (uint32_t)atoi(g->n);
  double gr[6], bi[6], ce[6];
  io_dtm_energy eg, eb, ec;
  uint32_t ss = (uint32_t)atoi(g->sample_sweeps);
  TK_TRY(expt_input(r, "sample_sweeps_per_step", ss ? ss : atof(g->sweeps),
                    "1", "ours: generation mixes better than at the "
                    "training's sweeps", err));
  TK_TRY(sample_eval(r, g, dir, "gray.h5", "gray", NULL, NULL, n, ss, gr, &eg,
                     err));
  TK_TRY(sample_eval(r, g, dir, "binary.h5", "binary", NULL, NULL, n, ss, bi,
                     &eb, err));
  snprintf(sf, sizeof sf, "%s/samples-gray.h5", dir);
  TK_TRY(keep_grid(r, sf, "gray", err));
  snprintf(sf, sizeof sf, "%s/samples-binary.h5", dir);
  TK_TRY(keep_grid(r, sf, "binary", err));
  /* Calibrated cat4 cells at the middle temperature, the control map
   * set for it (a compensated chip). */
  snprintf(lib, sizeof lib, "%s/cat4.h5", dir);
  TK_TRY(calibrate_cat4(r, g, lib, err));
  const char *tmid = g->t_chip;
  TK_TRY(sample_eval(r, g, dir, "gray.h5", "gray-cells", lib, tmid,
                     (uint32_t)atoi(g->n_cells),
                     (uint32_t)atoi(g->cell_sweeps), ce, &ec, err));
  {
    double fd[6] = {gr[0], gr[1], gr[2], bi[0], bi[1], bi[2]};
    double ratio[6] = {gr[1] / gr[0], 1, gr[1] / gr[2], bi[1] / bi[0], 1,
                       bi[1] / bi[2]};
    double acc[6] = {gr[3], NAN, NAN, bi[3], NAN, NAN};
    const char *names[] = {"fd_tsukit", "baseline_over_fd", "label_accuracy"};
    const char *units[] = {"1", "1", "1"};
    const double *cols[] = {fd, ratio, acc};
    const char *rows[] = {
        "grayscale DTM (cat4 pixels)", "gray: independent pixels",
        "gray: training images (floor)", "binary DTM (same settings but epochs)",
        "binary: independent pixels", "binary: training images (floor)"};
    TK_TRY(expt_table(r, "quality", "Sample quality, label-clamped (FD-tsukit "
                      "in each model's own feature space: thermometer-coded "
                      "classifier for gray, the binary one for binary; "
                      "compare the ratios)", 6, 3, names, units, cols, rows,
                      err));
  }
  {
    const io_dtm_energy *e[3] = {&eg, &ec, &eb};
    double rng[3], bias[3], clk[3], wire[3], per[3], pap[3], act[3];
    for (int i = 0; i < 3; i++) {
      rng[i] = e[i]->rng_per_sweep_J;
      bias[i] = e[i]->bias_per_sweep_J;
      clk[i] = e[i]->clock_per_sweep_J;
      wire[i] = e[i]->wire_per_sweep_J;
      per[i] = e[i]->per_sample_J;
      pap[i] = e[i]->paper_per_sample_J;
      act[i] = e[i]->activity;
    }
    const char *names[] = {"rng_per_sweep_J", "bias_per_sweep_J",
                           "clock_per_sweep_J", "wire_per_sweep_J",
                           "per_sample_J", "paper_per_sample_J", "activity"};
    const char *units[] = {"J", "J", "J", "J", "J", "J", "1"};
    const double *cols[] = {rng, bias, clk, wire, per, pap, act};
    const char *rows[] = {"grayscale DTM, default cell figures",
                          "grayscale DTM on calibrated cat4 cells",
                          "binary DTM, default cell figures"};
    TK_TRY(expt_table(r, "energy", "Energy per sample, term by term (the "
                      "chip's accounting, tsu/tsu_energy.h; a K-state cell "
                      "pays K synapse loads per input)", 3, 7, names, units,
                      cols, rows, err));
  }
  TK_TRY(expt_sum(r, "fd_gray", gr[0], "1", err));
  TK_TRY(expt_sum(r, "fd_gray_independent", gr[1], "1", err));
  TK_TRY(expt_sum(r, "gray_gain_over_independent", gr[1] / gr[0], "1", err));
  TK_TRY(expt_sum(r, "label_accuracy_gray", gr[3], "1", err));
  TK_TRY(expt_sum(r, "fd_binary", bi[0], "1", err));
  TK_TRY(expt_sum(r, "fd_binary_independent", bi[1], "1", err));
  TK_TRY(expt_sum(r, "binary_gain_over_independent", bi[1] / bi[0], "1", err));
  TK_TRY(expt_sum(r, "label_accuracy_binary", bi[3], "1", err));
  TK_TRY(expt_sum(r, "fd_gray_cells", ce[0], "1", err));
  TK_TRY(expt_sum(r, "label_accuracy_gray_cells", ce[3], "1", err));
  TK_TRY(expt_sum(r, "energy_per_sample_gray_J", eg.per_sample_J, "J", err));
  TK_TRY(expt_sum(r, "energy_per_sample_gray_cells_J", ec.per_sample_J, "J",
                  err));
  TK_TRY(expt_sum(r, "autocorr_gray", gr[4], "1", err));
  expt_note(r, "Grayscale DTM: FD-tsukit %.2f against %.2f for independent "
            "pixels (%.1fx better), label accuracy %.2f of the label-clamped "
            "samples (the gray classifier reaches %.3f on the test images).",
            gr[0], gr[1], gr[1] / gr[0], gr[3], gr[5]);
  expt_note(r, "Issue 14's targets: FD-tsukit >= 3x better than "
            "independent pixels: %s (%.2fx); label accuracy >= 0.5: %s "
            "(%.3f)%s.", gr[1] / gr[0] >= 3 ? "met" : "not met",
            gr[1] / gr[0], gr[3] >= 0.5 ? "met" : "not met", gr[3],
            c->quick ? " (quick variant: the targets are for the full run)"
                     : "");
  expt_note(r, "Binary DTM with the same settings but %s epochs (the gray "
            "model %s): FD-tsukit %.2f against %.2f (%.1fx), label accuracy "
            "%.2f.", g->epochs_binary, g->epochs, bi[0], bi[1], bi[1] / bi[0],
            bi[3]);
  expt_note(r, "On calibrated cat4 cells at %s K (%s samples, %s sweeps per "
            "step; mismatch, finite tau, control map at the chip "
            "temperature): FD-tsukit %.2f, label accuracy %.2f (fewer "
            "samples: FD is biased upwards by the small set).", tmid,
            g->n_cells, g->cell_sweeps, ce[0], ce[3]);
  return TK_OK;
}

int expt__dtm_gray_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  double *gi = NULL, *bi = NULL;
  size_t ng = 0, nb = 0;
  int rc = expt_read(f, "/grid/gray", &gi, &ng, err);
  if (rc == TK_OK)
    rc = expt_read(f, "/grid/binary", &bi, &nb, err);
  io_file_close(f);
  if (rc == TK_OK && (ng != 100 * 784 || nb != 100 * 784))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: /grid/* are not [100, 784]", h5);
  /* Two 10 x 10 grids side by side, a gap between; gnuplot's matrix rows
   * go up the y axis, so row 0 is drawn last. */
  size_t cell = 30, w = 21 * cell, hgt = 10 * cell;
  double *canvas = rc == TK_OK ? malloc(w * hgt * sizeof *canvas) : NULL;
  if (rc == TK_OK && canvas == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "canvas");
  io_plot p;
  if (rc == TK_OK) {
    for (size_t i = 0; i < w * hgt; i++)
      canvas[i] = 0.5;
    for (int side = 0; side < 2; side++)
      for (size_t s = 0; s < 100; s++)
        for (size_t y = 0; y < 28; y++)
          for (size_t x = 0; x < 28; x++) {
            size_t row = (s / 10) * cell + y, col = side * 11 * cell +
                                                   (s % 10) * cell + x;
            canvas[(hgt - 1 - row) * w + col] =
                (side ? bi : gi)[s * 784 + y * 28 + x];
          }
    rc = io_plot_begin(&p, png, (int)(w * 2 + 40), (int)(hgt * 2 + 60), err);
  }
  if (rc == TK_OK) {
    io_plot_data_table(&p, "canvas", canvas, hgt, w);
    io_plot_cmd(&p, "set title \"grayscale DTM, 4 levels (left) and binary "
                    "DTM (right); row r: label clamped to class r\" "
                    "noenhanced\n"
                    "unset key; unset colorbox; unset border; unset tics\n"
                    "set palette gray negative\nset cbrange [0:1]\n"
                    "set size ratio -1\nset lmargin 1; set rmargin 1\n"
                    "set xrange [-0.5:%zu.5]; set yrange [-0.5:%zu.5]\n"
                    "plot $canvas matrix with image\n", w - 1, hgt - 1);
    rc = io_plot_run(&p, err);
  }
  free(canvas);
  free(gi);
  free(bi);
  return rc;
}
