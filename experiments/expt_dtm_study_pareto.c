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
#include "io/io_plot.h"

#define N_MOD 9

static const struct { uint32_t T; int jumps, acp; } mods[N_MOD] = {
  {4, 3, 1}, {4, 3, 0}, {1, 3, 0},      /* dtm-collapse */
  {4, 2, 1}, {4, 4, 1}, {4, 5, 1},      /* dtm-degree (and G12 above) */
  {1, 3, 1}, {2, 3, 1}, {8, 3, 1},      /* dtm-depth (and T = 4 above) */
};

int expt__dtm_pareto_run(expt_run *r, tk_err *err)
{
  const study_cfg *g = study_cfg_get(r->ctx->quick);
  TK_TRY(study_inputs(r, g, err));
  study_model m[N_MOD];
  memset(m, 0, sizeof m);
  double chip[N_MOD], paper[N_MOD], fd[N_MOD], best[N_MOD], front[N_MOD],
      tt[N_MOD], kk[N_MOD], deg[N_MOD], acp[N_MOD];
  const char *rows[N_MOD];
  int rc = TK_OK;
  for (int i = 0; i < N_MOD && rc == TK_OK; i++) {
    rc = study_model_get(r, g, mods[i].T, mods[i].jumps, mods[i].acp, &m[i],
                         err);
    if (rc == TK_OK)
      rc = study_energy(&m[i], &chip[i], &paper[i], err);
    fd[i] = m[i].fd_final;
    best[i] = m[i].fd_best;
    tt[i] = m[i].T;
    kk[i] = m[i].K;
    deg[i] = 4 * m[i].n_jumps;
    acp[i] = m[i].acp;
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
                           "fd_final", "fd_best", "chip_J_per_sample",
                           "paper_J_per_sample", "pareto_front"};
    const char *units[] = {"1", "1", "1", "1", "1", "1", "J", "J", "1"};
    const double *cols[] = {tt, kk, deg, acp, fd, best, chip, paper, front};
    rc = expt_table(r, "pareto", "Quality against energy per sample "
                    "(chip's per-term model and the paper's T K L^2 "
                    "E_cell)", N_MOD, 9, names, units, cols, rows, err);
  }
  if (rc == TK_OK) rc = expt_vec(r, "/points/fd_final", fd, N_MOD, "1", err);
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
  int rc = expt_read(f, "/points/fd_final", &fd, &n1, err);
  if (rc == TK_OK) rc = expt_read(f, "/points/chip_J", &chip, &n2, err);
  if (rc == TK_OK) rc = expt_read(f, "/points/paper_J", &paper, &n3, err);
  if (rc == TK_OK) rc = expt_read(f, "/points/front", &front, &n4, err);
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
    rc = io_plot_begin(&p, png, 900, 600, err);
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
    io_plot_cmd(&p, "set title 'DTM study: quality against energy per "
                    "sample'\nset logscale x\nset grid\n"
                    "set xlabel 'energy per sample (nJ)'\n"
                    "set ylabel 'FD-tsukit after training (lower is "
                    "better)'\nset key top right\n"
                    "plot $pts using 1:3 with points pt 7 ps 1.5 title "
                    "'chip per-term model', "
                    "$pts using ($4 > 0 ? $1 : 1/0):3 with points pt 6 ps "
                    "3 lw 2 title 'Pareto front (chip model)', "
                    "$pts using 2:3 with points pt 4 ps 1.2 title "
                    "'paper: T K L^2 E_cell'\n");
    rc = io_plot_run(&p, err);
  }
  free(fd);
  free(chip);
  free(paper);
  free(front);
  return rc;
}
