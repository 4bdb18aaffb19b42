/* expt_dtm_study_pareto.c -- `dtm-pareto` (issue 19): sample quality
 * against energy per sample for every model of the study (dtm-collapse,
 * dtm-degree, dtm-depth), read from their model files (trained only if
 * missing).  Energy per sample is the chip's per-term model
 * (tsu/tsu_energy.h: random bits, bias, clock, wires at the flip activity
 * the training log measured, readout; default energy parameters) and,
 * beside it, the paper's E = T K L^2 E_cell (E_cell = 2 fJ).  The
 * Pareto front is the set of models no other model beats on both FD and
 * chip energy.
 *
 * Workload: nine model files read (or trained), one energy report each.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/expt.h"
#include "experiments/expt_dtm_study_impl.h"
#include "experiments/expt_impl.h"
#include "io/io_dtm.h"
#include "io/io_plot.h"
#include "run/run_dtm_log.h"
#include "tsu/tsu_energy.h"
#include "tsu/tsu_graph.h"

#define N_MOD 9

static const struct { uint32_t T; int jumps, acp; } mods[N_MOD] = {
  {4, 3, 1}, {4, 3, 0}, {1, 3, 0},      /* dtm-collapse */
  {4, 2, 1}, {4, 4, 1}, {4, 5, 1},      /* dtm-degree (and G12 above) */
  {1, 3, 1}, {2, 3, 1}, {8, 3, 1},      /* dtm-depth (and T = 4 above) */
};

/* The sampling-sweeps axis: the depth models (G12, ACP, T = 1, 2, 4, 8)
 * sampled at K' = K / 4, K / 2, K, 2 K sweeps per step (training
 * unchanged), FD-tsukit of the training log's sample set (same seed,
 * classifier and test images) and energy per sample at each K'. */
#define N_KSWEEP 4
static const double k_mult[N_KSWEEP] = {0.25, 0.5, 1.0, 2.0};

static int sweep_k(expt_run *r, const study_cfg *g, const study_model *dm,
                   size_t n_models, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  size_t n = n_models * N_KSWEEP;
  double *tt = calloc(n, sizeof *tt), *kk = calloc(n, sizeof *kk),
         *fd = calloc(n, sizeof *fd), *acc = calloc(n, sizeof *acc),
         *chip = calloc(n, sizeof *chip), *paper = calloc(n, sizeof *paper);
  int rc = tt && kk && fd && acc && chip && paper
               ? TK_OK : TK_FAIL(err, TK_ENOMEM, "sweeps table");
  char clf[1100];
  snprintf(clf, sizeof clf, "%s/dtm-study/fdclf-%u.h5", c->out_dir,
           g->clf_images);
  run_dtm_log_params lp = run_dtm_log_default_params();
  lp.samples = g->log_samples;
  lp.test = g->log_test;
  lp.clf_images = g->clf_images;
  lp.classifier = clf;
  lp.threads = (int)c->workers;
  lp.quiet = 1;
  for (size_t i = 0; rc == TK_OK && i < n_models; i++) {
    tsu_dtm *m = NULL;
    tsu_graph *grid = NULL;
    rc = io_dtm_load(dm[i].path, &m, NULL, err);
    if (rc == TK_OK)
      rc = tsu_graph_grid(m->p.L, m->p.n_jumps, 0, &grid, err);
    for (size_t j = 0; rc == TK_OK && j < N_KSWEEP; j++) {
      size_t q = i * N_KSWEEP + j;
      uint32_t K = (uint32_t)(dm[i].K * k_mult[j]);
      lp.sweeps = K ? K : 1;
      run_dtm_logger *lg = NULL;
      io_dtm_log one = {0};
      rc = run_dtm_logger_alloc(&lp, &lg, err);
      if (rc == TK_OK)
        rc = run_dtm_logger_entry(lg, m, m->acp_lambda, &one, err);
      run_dtm_logger_free(lg);
      if (rc == TK_OK) {
        tsu_energy_params ep = tsu_energy_default_params();
        tsu_energy_report en;
        ep.activity = one.activity[0];
        rc = tsu_energy_compute(&ep, grid, 2, (double)lp.sweeps, &en, err);
        tt[q] = m->p.T;
        kk[q] = lp.sweeps;
        fd[q] = one.fd_tsukit[0];
        acc[q] = one.label_accuracy[0];
        chip[q] = en.per_sample_J * m->p.T;
        paper[q] = en.paper_per_sample_J * m->p.T;
        if (!c->quiet)
          fprintf(stderr, "dtm-pareto: %s at K = %u: FD-tsukit %.2f, "
                  "%.3g J per sample\n", dm[i].tag, lp.sweeps, fd[q],
                  chip[q]);
      }
      io_dtm_log_free(&one);
    }
    tsu_graph_free(grid);
    tsu_dtm_free(m);
  }
  if (rc == TK_OK) {
    const char *names[] = {"steps", "sweeps_per_step", "fd_tsukit",
                           "label_accuracy", "chip_J_per_sample",
                           "paper_J_per_sample"};
    const char *units[] = {"1", "1", "1", "1", "J", "J"};
    const double *cols[] = {tt, kk, fd, acc, chip, paper};
    rc = expt_table(r, "sweeps", "The depth models (G12, ACP) sampled at "
                    "K / 4, K / 2, K and 2 K sweeps per step: FD-tsukit of "
                    "the training log's sample set against energy per "
                    "sample", n, 6, names, units, cols, NULL, err);
  }
  /* the cheapest setting within 10 % of the best FD of the sweep */
  size_t ib = 0, ic = 0;
  for (size_t q = 1; rc == TK_OK && q < n; q++)
    if (fd[q] < fd[ib])
      ib = q;
  for (size_t q = 0; rc == TK_OK && q < n; q++)
    if (fd[q] <= 1.1 * fd[ib] && (chip[q] < chip[ic] || fd[ic] > 1.1 * fd[ib]))
      ic = q;
  if (rc == TK_OK) rc = expt_sum(r, "sweep_fd_best", fd[ib], "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "sweep_J_best", chip[ib], "J", err);
  if (rc == TK_OK)
    rc = expt_sum(r, "sweep_J_within_10pc", chip[ic], "J", err);
  if (rc == TK_OK)
    expt_note(r, "Sampling sweeps: the best FD-tsukit of the sweep is %.1f "
              "(T = %.0f, K = %.0f, %.3g J per sample by the chip model, "
              "%.3g J by T K L^2 E_cell); the cheapest setting within 10 %% "
              "of it is T = %.0f, K = %.0f at %.3g J (%.3g J by the "
              "formula).", fd[ib], tt[ib], kk[ib], chip[ib], paper[ib],
              tt[ic], kk[ic], chip[ic], paper[ic]);
  free(tt);
  free(kk);
  free(fd);
  free(acc);
  free(chip);
  free(paper);
  return rc;
}

int expt__dtm_pareto_run(expt_run *r, tk_err *err)
{
  const study_cfg *g = study_cfg_get(r->ctx->quick);
  TK_TRY(study_inputs(r, g, err));
  study_model m[N_MOD];
  memset(m, 0, sizeof m);
  double chip[N_MOD], paper[N_MOD], fd[N_MOD], best[N_MOD], front[N_MOD],
      tt[N_MOD], kk[N_MOD], deg[N_MOD], acp[N_MOD], act[N_MOD];
  const char *rows[N_MOD];
  int rc = TK_OK;
  for (int i = 0; i < N_MOD && rc == TK_OK; i++) {
    rc = study_model_get(r, g, mods[i].T, mods[i].jumps, mods[i].acp, &m[i],
                         err);
    if (rc == TK_OK)
      rc = study_energy(&m[i], &chip[i], &paper[i], err);
    fd[i] = m[i].fd_tail;
    best[i] = m[i].fd_best;
    tt[i] = m[i].T;
    kk[i] = m[i].K;
    deg[i] = 4 * m[i].n_jumps;
    acp[i] = m[i].acp;
    act[i] = m[i].activity;
    rows[i] = m[i].tag;
  }
  size_t n_front = 0, ibest = 0;
  for (int i = 0; i < N_MOD && rc == TK_OK; i++) {
    front[i] = 1;
    for (int j = 0; j < N_MOD; j++)
      if (j != i && fd[j] <= fd[i] && chip[j] <= chip[i] &&
          (fd[j] < fd[i] || chip[j] < chip[i]))
        front[i] = 0;
    n_front += front[i] > 0;
    if (fd[i] < fd[ibest])
      ibest = (size_t)i;
  }
  if (rc == TK_OK) {
    const char *names[] = {"steps", "sweeps_per_step", "degree", "acp",
                           "fd_last3", "fd_best", "chip_J_per_sample",
                           "paper_J_per_sample", "pareto_front",
                           "activity"};
    const char *units[] = {"1", "1", "1", "1", "1", "1", "J", "J", "1", "1"};
    const double *cols[] = {tt, kk, deg, acp, fd, best, chip, paper, front,
                            act};
    rc = expt_table(r, "pareto", "Quality against energy per sample "
                    "(chip's per-term model and the paper's T K L^2 "
                    "E_cell; activity = flips per cell update while "
                    "sampling)", N_MOD, 10, names, units, cols, rows, err);
  }
  if (rc == TK_OK) rc = expt_vec(r, "/points/fd_last3", fd, N_MOD, "1", err);
  if (rc == TK_OK) rc = expt_vec(r, "/points/chip_J", chip, N_MOD, "J", err);
  if (rc == TK_OK) rc = expt_vec(r, "/points/paper_J", paper, N_MOD, "J", err);
  if (rc == TK_OK) rc = expt_vec(r, "/points/front", front, N_MOD, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "fd_best_model", fd[ibest], "1", err);
  if (rc == TK_OK)
    rc = expt_sum(r, "chip_J_best_model", chip[ibest], "J", err);
  if (rc == TK_OK)
    rc = expt_sum(r, "paper_J_best_model", paper[ibest], "J", err);
  if (rc == TK_OK) rc = expt_sum(r, "front_size", (double)n_front, "1", err);
  if (rc == TK_OK) {
    char why[768];
    snprintf(why, sizeof why, "the best model here (%s, FD-tsukit %.1f) "
             "costs %.3g J per sample in the chip's per-term model and %.3g "
             "J by T K L^2 E_cell: ratio %.2f. The formula charges every "
             "cell update the same 2 fJ whatever the degree and activity; "
             "the per-term model charges the bias sum per input (degree), "
             "the wires per flip and the random bit per update, so at "
             "matched T K it separates the degrees the formula lumps "
             "together.", m[ibest].tag, fd[ibest], chip[ibest], paper[ibest],
             chip[ibest] / paper[ibest]);
    rc = expt_compare(r, "energy-best", "energy per sample of the best "
                      "model, chip model vs paper formula", chip[ibest],
                      paper[ibest], "J", "paper: E = T K L^2 E_cell, "
                      "E_cell = 2 fJ, same T, K, L", why, err);
  }
  if (rc == TK_OK) {
    char fr[512] = "";
    size_t len = 0;
    for (int i = 0; i < N_MOD && len < sizeof fr; i++)
      if (front[i] > 0)
        len += (size_t)snprintf(fr + len, sizeof fr - len, "%s%s",
                                len ? ", " : "", m[i].tag);
    expt_note(r, "Pareto front (no model better on both FD-tsukit and chip "
              "energy): %s.", fr);
    expt_note(r, "At the same T K = %u sweeps the formula charges every "
              "model %.3g J; the chip model charges the monolithic EBM "
              "(T1-G12-acp) %.3g J and the 4-step DTM (T4-G12-acp) %.3g J, "
              "because its chain flips less (activity %.3f against %.3f) "
              "and the wires are paid per flip, and it charges G8 to G20 "
              "from %.3g to %.3g J (bias sums per input, longer wires).",
              g->k_total, paper[0], chip[6], chip[0], act[6], act[0],
              chip[3], chip[5]);
  }
  if (rc == TK_OK) {
    /* the depth models: T = 1, 2, 4, 8 on G12 with ACP */
    study_model dm[4] = {m[6], m[7], m[0], m[8]};
    rc = sweep_k(r, g, dm, 4, err);
  }
  for (int i = 0; i < N_MOD; i++)
    study_model_free(&m[i]);
  return rc;
}

int expt__dtm_pareto_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  double *fd = NULL, *chip = NULL, *paper = NULL, *front = NULL;
  size_t n1, n2, n3, n4;
  int rc = expt_read(f, "/points/fd_last3", &fd, &n1, err);
  if (rc == TK_OK) rc = expt_read(f, "/points/chip_J", &chip, &n2, err);
  if (rc == TK_OK) rc = expt_read(f, "/points/paper_J", &paper, &n3, err);
  if (rc == TK_OK) rc = expt_read(f, "/points/front", &front, &n4, err);
  double *st = NULL, *sk = NULL, *sfd = NULL, *sch = NULL, *spa = NULL;
  size_t m1 = 0, m2 = 0, m3 = 0, m4 = 0, m5 = 0;
  if (rc == TK_OK) rc = expt_read(f, "/tables/sweeps/c0", &st, &m1, err);
  if (rc == TK_OK) rc = expt_read(f, "/tables/sweeps/c1", &sk, &m2, err);
  if (rc == TK_OK) rc = expt_read(f, "/tables/sweeps/c2", &sfd, &m3, err);
  if (rc == TK_OK) rc = expt_read(f, "/tables/sweeps/c4", &sch, &m4, err);
  if (rc == TK_OK) rc = expt_read(f, "/tables/sweeps/c5", &spa, &m5, err);
  if (rc == TK_OK && (m2 != m1 || m3 != m1 || m4 != m1 || m5 != m1 ||
                      m1 % N_KSWEEP != 0))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: /tables/sweeps is ragged", h5);
  char labels[N_MOD][32];
  char rows[1024] = "";
  if (rc == TK_OK)
    rc = io_get_attr_str(f, "/tables/pareto", "rows", rows, sizeof rows, err);
  io_file_close(f);
  if (rc == TK_OK && (n1 != N_MOD || n2 != N_MOD || n3 != N_MOD ||
                      n4 != N_MOD))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: expected %d points", h5, N_MOD);
  for (int i = 0; rc == TK_OK && i < N_MOD; i++) {
    const char *s = rows;
    for (int j = 0; j < i && s; j++) {
      s = strchr(s, '|');
      if (s)
        s++;
    }
    size_t len = s ? strcspn(s, "|") : 0;
    snprintf(labels[i], sizeof labels[i], "%.*s", (int)len, s ? s : "");
  }
  io_plot p;
  if (rc == TK_OK)
    rc = io_plot_begin(&p, png, 1400, 600, err);
  if (rc == TK_OK) {
    double tab[N_MOD * 4];
    for (int i = 0; i < N_MOD; i++) {
      tab[4 * i] = chip[i] * 1e9;
      tab[4 * i + 1] = paper[i] * 1e9;
      tab[4 * i + 2] = fd[i];
      tab[4 * i + 3] = front[i];
    }
    io_plot_data_table(&p, "pts", tab, N_MOD, 4);
    for (int i = 0; i < N_MOD; i++)
      io_plot_cmd(&p, "set label %d '%s' at %g, %g offset 0.7, 0.5 font ',8' "
                      "noenhanced\n", i + 1, labels[i], chip[i] * 1e9, fd[i]);
    /* right panel: one block per T of the sweep, rows (chip, paper, fd) */
    size_t nT = m1 / N_KSWEEP;
    for (size_t t = 0; t < nT; t++) {
      double row[N_KSWEEP * 3];
      for (size_t j = 0; j < N_KSWEEP; j++) {
        row[3 * j] = sch[t * N_KSWEEP + j] * 1e9;
        row[3 * j + 1] = spa[t * N_KSWEEP + j] * 1e9;
        row[3 * j + 2] = sfd[t * N_KSWEEP + j];
      }
      char b[32];
      snprintf(b, sizeof b, "s%zu", t);
      io_plot_data_table(&p, b, row, N_KSWEEP, 3);
    }
    io_plot_cmd(&p, "set multiplot layout 1,2\n");
    io_plot_cmd(&p, "set title 'DTM study: quality against energy per "
                    "sample'\nset logscale x\nset grid\n"
                    "set xlabel 'energy per sample (nJ)'\n"
                    "set ylabel 'FD-tsukit, mean of the last 3 epochs "
                    "(lower is better)'\nset key top right\n"
                    "plot $pts using 1:3 with points pt 7 ps 1.5 title "
                    "'chip per-term model', "
                    "$pts using ($4 > 0 ? $1 : 1/0):3 with points pt 6 ps "
                    "3 lw 2 title 'Pareto front (chip model)', "
                    "$pts using 2:3 with points pt 4 ps 1.2 title "
                    "'paper: T K L^2 E_{cell}'\n");
    io_plot_cmd(&p, "unset label\nset title 'G12 with ACP sampled at K/4, "
                    "K/2, K, 2K sweeps per step'\nset key top right\n"
                    "set ylabel 'FD-tsukit (one evaluation, 500 samples)'\n"
                    "plot ");
    for (size_t t = 0; t < nT; t++)
      io_plot_cmd(&p, "%s$s%zu using 1:3 with linespoints pt 7 lw 2 lc %zu "
                      "title 'T = %.0f, chip model', $s%zu using 2:3 with "
                      "linespoints pt 4 dt 2 lc %zu title 'T = %.0f, T K "
                      "L^2 E_{cell}'", t ? ", " : "", t, t + 1,
                  st[t * N_KSWEEP], t, t + 1, st[t * N_KSWEEP]);
    io_plot_cmd(&p, "\nunset multiplot\n");
    rc = io_plot_run(&p, err);
  }
  free(fd);
  free(chip);
  free(paper);
  free(front);
  free(st);
  free(sk);
  free(sfd);
  free(sch);
  free(spa);
  return rc;
}
