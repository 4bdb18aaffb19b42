/* expt_dtm_study_ablate.c -- `dtm-degree` and `dtm-depth` (issue 19):
 * the 4-step DTM with the correlation penalty on G8, G12, G16 and G20
 * grids (the paper's connectivity figure: FID 56.8 / 26.2 / 22.8 / 20.1
 * at T = 4), and T = 1, 2, 4, 8 denoising steps at matched total sweeps
 * per sample (K = k_total / T), each model's quality read from its
 * training log (final and best FD-tsukit, label accuracy).
 *
 * Workload: four models each through study_model_get
 * (expt_dtm_study.c); the G12 T = 4 model is the one dtm-collapse trains,
 * so a run after it trains three.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/expt.h"
#include "experiments/expt_dtm_study_impl.h"
#include "experiments/expt_impl.h"
#include "io/io_plot.h"

/* The paper's FID at T = 4 for G8, G12, G16, G20 (issue 19). */
static const double paper_fid[4] = {56.8, 26.2, 22.8, 20.1};

/* 1 if v[0] >= v[1] >= ... (non-increasing), else 0. */
static int non_increasing(const double *v, size_t n)
{
  for (size_t i = 1; i < n; i++)
    if (!(v[i] <= v[i - 1]))
      return 0;
  return 1;
}

/* Train/read n models and fill the common columns. */
static int get_models(expt_run *r, const study_cfg *g, const uint32_t *T,
                      const int *jumps, size_t n, study_model *m,
                      double *best, double *fin, double *sd, double *acc,
                      double *ac, tk_err *err)
{
  for (size_t i = 0; i < n; i++) {
    TK_TRY(study_model_get(r, g, T[i], jumps[i], 1, &m[i], err));
    TK_TRY(study_write_curves(r, &m[i], err));
    best[i] = m[i].fd_best;
    fin[i] = m[i].fd_tail;
    sd[i] = m[i].fd_tail_sd;
    acc[i] = m[i].acc_final;
    ac[i] = m[i].ac_final;
  }
  return TK_OK;
}

int expt__dtm_degree_run(expt_run *r, tk_err *err)
{
  const study_cfg *g = study_cfg_get(r->ctx->quick);
  TK_TRY(study_inputs(r, g, err));
  static const uint32_t T[4] = {4, 4, 4, 4};
  static const int jumps[4] = {2, 3, 4, 5};
  study_model m[4];
  memset(m, 0, sizeof m);
  double deg[4], best[4], fin[4], sd[4], acc[4], ac[4], pub[4];
  int rc = get_models(r, g, T, jumps, 4, m, best, fin, sd, acc, ac, err);
  for (int i = 0; i < 4; i++) {
    deg[i] = 4 * jumps[i];
    pub[i] = paper_fid[i];
  }
  if (rc == TK_OK) {
    const char *names[] = {"degree", "fd_last3", "fd_best",
                           "label_accuracy_final", "autocorr_final",
                           "paper_fid", "fd_last3_sd"};
    const char *units[] = {"1", "1", "1", "1", "1", "1", "1"};
    const double *cols[] = {deg, fin, best, acc, ac, pub, sd};
    const char *rows[] = {"G8", "G12", "G16", "G20"};
    rc = expt_table(r, "degree", "T = 4 with ACP on grids of growing "
                    "degree: FD-tsukit from the training log (mean and sd "
                    "of the last 3 epochs, best epoch) beside the paper's "
                    "FID", 4, 7, names, units, cols, rows, err);
  }
  int mono = non_increasing(fin, 4);
  double ratio = fin[0] / fin[3], pratio = paper_fid[0] / paper_fid[3];
  for (int i = 0; i < 4 && rc == TK_OK; i++) {
    char k[32];
    snprintf(k, sizeof k, "fd_G%d", 4 * jumps[i]);
    rc = expt_sum(r, k, fin[i], "1", err);
  }
  if (rc == TK_OK) rc = expt_sum(r, "fd_G8_over_G20", ratio, "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "monotone", mono, "1", err);
  if (rc == TK_OK) {
    char why[768];
    snprintf(why, sizeof why, "FD-tsukit G8 / G12 / G16 / G20 = %.1f / "
             "%.1f / %.1f / %.1f (mean of the last 3 of %u epochs at L = %u; "
             "epoch-to-epoch sd %.1f-%.1f): %s; the "
             "paper's FID falls 56.8 / 26.2 / 22.8 / 20.1. FD-tsukit is not "
             "FID, so the ratio of the extremes is compared.", fin[0], fin[1],
             fin[2], fin[3], g->epochs, g->L, fmin(fmin(sd[0], sd[1]),
             fmin(sd[2], sd[3])), fmax(fmax(sd[0], sd[1]), fmax(sd[2], sd[3])),
             mono ? "quality improves with every step in degree, as "
                    "published"
                  : "not monotone in degree at this scale");
    rc = expt_compare(r, "degree-ratio", "FD(G8) / FD(G20), T = 4", ratio,
                      pratio, "1", "paper (issue 19): FID at T = 4", why,
                      err);
  }
  if (rc == TK_OK)
    expt_note(r, "Best FD-tsukit over training: G8 %.1f, G12 %.1f, G16 "
              "%.1f, G20 %.1f. Training time in the model files: %.0f, "
              "%.0f, %.0f, %.0f s.", best[0], best[1], best[2], best[3],
              m[0].train_s, m[1].train_s, m[2].train_s, m[3].train_s);
  if (rc == TK_OK) {
    uint32_t lat = g->L * g->L - 884, lat70 = 70 * 70 - 884;
    expt_note(r, "FD(G8) / FD(G20) is %.2f here against %.2f for the "
              "paper's FID. Where it is steeper, a likely reason (not "
              "tested here) is the reduced grid: at L = %u the 884 visible "
              "spins leave %u latent sites (%u at the paper's L = 70), so "
              "each visible spin's reach through longer jumps weighs more; "
              "FD-tsukit is also a different metric from FID (the feature "
              "layer of a small classifier of binarised images).", ratio,
              pratio, g->L, lat, lat70);
  }
  for (int i = 0; i < 4; i++)
    study_model_free(&m[i]);
  return rc;
}

int expt__dtm_depth_run(expt_run *r, tk_err *err)
{
  const study_cfg *g = study_cfg_get(r->ctx->quick);
  TK_TRY(study_inputs(r, g, err));
  static const uint32_t T[4] = {1, 2, 4, 8};
  static const int jumps[4] = {3, 3, 3, 3};
  study_model m[4];
  memset(m, 0, sizeof m);
  double tt[4], kk[4], best[4], fin[4], sd[4], acc[4], ac[4];
  int rc = get_models(r, g, T, jumps, 4, m, best, fin, sd, acc, ac, err);
  for (int i = 0; i < 4; i++) {
    tt[i] = T[i];
    kk[i] = m[i].K;
  }
  if (rc == TK_OK) {
    const char *names[] = {"steps", "sweeps_per_step", "fd_last3", "fd_best",
                           "label_accuracy_final", "autocorr_final",
                           "fd_last3_sd"};
    const char *units[] = {"1", "1", "1", "1", "1", "1", "1"};
    const double *cols[] = {tt, kk, fin, best, acc, ac, sd};
    const char *rows[] = {"T=1", "T=2", "T=4", "T=8"};
    rc = expt_table(r, "depth", "G12 with ACP, T steps of K = k_total / T "
                    "sweeps (matched sweeps per sample and per training "
                    "batch); FD-tsukit mean and sd of the last 3 epochs",
                    4, 7, names, units, cols, rows, err);
  }
  int mono = non_increasing(fin, 4);
  size_t ib = 0;
  for (size_t i = 1; i < 4; i++)
    if (fin[i] < fin[ib])
      ib = i;
  for (int i = 0; i < 4 && rc == TK_OK; i++) {
    char k[32];
    snprintf(k, sizeof k, "fd_T%u", T[i]);
    rc = expt_sum(r, k, fin[i], "1", err);
  }
  if (rc == TK_OK) rc = expt_sum(r, "best_T", T[ib], "1", err);
  if (rc == TK_OK) rc = expt_sum(r, "monotone", mono, "1", err);
  if (rc == TK_OK) {
    char why[768];
    snprintf(why, sizeof why, "FD-tsukit T = 1 / 2 / 4 / 8 = %.1f / %.1f / "
             "%.1f / %.1f (mean of the last 3 epochs) at %u sweeps per "
             "sample: %s. The paper's claim is "
             "that splitting generation into denoising steps beats one "
             "monolithic EBM at the same sampling cost; it gives no FID per "
             "T at matched sweeps, so only the direction is compared.",
             fin[0], fin[1], fin[2], fin[3], g->k_total,
             mono ? "quality improves with every added step"
             : fin[ib] < fin[0] ? "more steps help up to a point"
                                : "the monolithic model is best here");
    rc = expt_compare(r, "depth-best", "FD(T=1) / FD(best T)", fin[0] / fin[ib],
                      NAN, "1", "paper: DTM beats the monolithic EBM", why,
                      err);
  }
  if (rc == TK_OK)
    expt_note(r, "What the matched budget does to each T: at T = 8 every "
              "step trains with K = %u negative, %u positive and %u "
              "recorded sweeps (the noisiest moment estimates of the four), "
              "at T = 1 with %u / %u / %u; the monolithic chain's "
              "autocorrelation at lag K ends at %.3f, the 4-step DTM's "
              "worst step at %.3f (ACP target 0.1): at this reduced scale "
              "the monolithic EBM still mixes within its 160 sweeps, so the "
              "mixing failure that makes the paper's case for denoising "
              "steps has not set in, and the two are close.",
              m[3].K, m[3].K * 3 / 10 > 2 ? m[3].K * 3 / 10 : 2,
              (m[3].K * 3 / 10) / 4 ? (m[3].K * 3 / 10) / 4 : 1, m[0].K,
              m[0].K * 3 / 10, (m[0].K * 3 / 10) / 4 > 8 ? 8
                               : (m[0].K * 3 / 10) / 4,
              ac[0], ac[2]);
  if (rc == TK_OK)
    expt_note(r, "Best FD-tsukit over training: T=1 %.1f, T=2 %.1f, T=4 "
              "%.1f, T=8 %.1f. Training time in the model files: %.0f, "
              "%.0f, %.0f, %.0f s (the steps of one batch train in "
              "parallel threads, so T = 1 uses one core).", best[0],
              best[1], best[2], best[3], m[0].train_s, m[1].train_s,
              m[2].train_s, m[3].train_s);
  for (int i = 0; i < 4; i++)
    study_model_free(&m[i]);
  return rc;
}

/* Curves (left) and final FD against the table's x column (right). */
static int ablate_plot(const char *h5, const char *png, const char *table,
                       const char *xlabel, const char *const *tags,
                       const char *const *labels, const char *extra,
                       tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  char q[96];
  double *x = NULL, *fin = NULL, *best = NULL, *pub = NULL;
  size_t nx, nf, nb, np = 0;
  io_plot p;
  int rc = io_plot_begin(&p, png, 1200, 450, err);
  int open = rc == TK_OK;
  if (rc == TK_OK) rc = study_plot_blocks(&p, f, tags, 4, err);
  snprintf(q, sizeof q, "/tables/%s/c0", table);
  if (rc == TK_OK) rc = expt_read(f, q, &x, &nx, err);
  int depth = strcmp(table, "depth") == 0;
  snprintf(q, sizeof q, "/tables/%s/c%d", table, depth ? 2 : 1);
  if (rc == TK_OK) rc = expt_read(f, q, &fin, &nf, err);
  snprintf(q, sizeof q, "/tables/%s/c%d", table, depth ? 3 : 2);
  if (rc == TK_OK) rc = expt_read(f, q, &best, &nb, err);
  if (rc == TK_OK && !depth)
    rc = expt_read(f, "/tables/degree/c5", &pub, &np, err);
  io_file_close(f);
  if (rc == TK_OK && (nf != nx || nb != nx || (pub && np != nx)))
    rc = TK_FAIL(err, TK_EFORMAT, "%s: table columns of unequal length", h5);
  if (rc == TK_OK) {
    io_plot_data_xy(&p, "fin", x, fin, nx);
    io_plot_data_xy(&p, "best", x, best, nx);
    if (pub)
      io_plot_data_xy(&p, "pub", x, pub, nx);
    io_plot_cmd(&p, "set multiplot layout 1,2\nset grid\n"
                    "set title 'FD-tsukit through training'\n");
    study_plot_panel(&p, 0, labels, 4);
    io_plot_cmd(&p, "set title 'after training'\nset xlabel '%s'\n%s"
                    "set ylabel 'FD-tsukit'\n", xlabel, extra);
    if (pub)
      io_plot_cmd(&p, "set y2label 'paper FID (T = 4)'\nset y2tics\n"
                      "set ytics nomirror\n");
    io_plot_cmd(&p, "plot $fin with linespoints pt 7 lw 2 title 'mean of the last 3 epochs', "
                    "$best with linespoints pt 6 lw 1 title 'best epoch'%s\n",
                pub ? ", $pub axes x1y2 with linespoints pt 5 dt 2 lw 2 "
                      "title 'paper FID (right axis)'" : "");
    io_plot_cmd(&p, "unset multiplot\n");
    rc = io_plot_run(&p, err);
  } else if (open) {
    io_plot_discard(&p);
  }
  free(x);
  free(fin);
  free(best);
  free(pub);
  return rc;
}

int expt__dtm_degree_plot(const char *h5, const char *png, tk_err *err)
{
  static const char *const tags[4] = {"T4-G8-acp", "T4-G12-acp",
                                      "T4-G16-acp", "T4-G20-acp"};
  static const char *const labels[4] = {"G8", "G12", "G16", "G20"};
  return ablate_plot(h5, png, "degree", "grid degree", tags, labels,
                     "set xrange [7:21]\nset xtics 8, 4, 20\n", err);
}

int expt__dtm_depth_plot(const char *h5, const char *png, tk_err *err)
{
  static const char *const tags[4] = {"T1-G12-acp", "T2-G12-acp",
                                      "T4-G12-acp", "T8-G12-acp"};
  static const char *const labels[4] = {"T=1", "T=2", "T=4", "T=8"};
  return ablate_plot(h5, png, "depth", "denoising steps T (K = sweeps per "
                     "sample / T)", tags, labels, "set logscale x 2\n"
                     "set xrange [0.8:10]\nset xtics (1, 2, 4, 8)\n", err);
}
