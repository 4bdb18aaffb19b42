/* expt_dtm_study.c -- the DTM study (issue 19): the set-up and models the
 * four experiments share (expt_dtm_study_impl.h), and `dtm-collapse`:
 * the 4-step DTM with and without the adaptive correlation penalty and
 * the monolithic EBM (T = 1, the same sweeps per sample and per training
 * batch, no penalty), FD-tsukit through training from each model's
 * training log, set beside the replication's best-then-final FIDs.
 *
 * Workload: every model is a `tsukit dtm train` run (run_dtm_train) of
 * the reduced set-up below, checkpointed every epoch and resumed or
 * reused when its file exists; --quick ~10 s per model, full see the
 * study_cfg rows.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "experiments/expt.h"
#include "experiments/expt_dtm_study_impl.h"
#include "experiments/expt_impl.h"
#include "io/io_dtm.h"
#include "io/io_plot.h"
#include "run/run_dtm.h"
#include "tsu/tsu_energy.h"
#include "tsu/tsu_graph.h"

static const study_cfg full_cfg = {
  44, 6400, 8, 160, 4, 500, 1000, 10000,
  "full: L = 44, the first 6400 training images, 8 epochs of 100 batches "
  "of 64, 160 sweeps per sample; ~25 s per epoch per model on two shared "
  "cores (load ~15), ~30 min for the nine models of the study"};
static const study_cfg quick_cfg = {
  44, 256, 2, 16, 2, 50, 200, 1000,
  "quick: L = 44, 256 images, 2 epochs, 16 sweeps per sample; seconds"};

const study_cfg *study_cfg_get(int quick)
{
  return quick ? &quick_cfg : &full_cfg;
}

int study_inputs(expt_run *r, const study_cfg *g, tk_err *err)
{
  TK_TRY(expt_input(r, "L", g->L, "1", "ours (paper 70): the smallest grid "
                    "that holds the 884 visible spins on one colour", err));
  TK_TRY(expt_input(r, "train_images", g->images, "1", "ours (paper 60000): "
                    "the first N Fashion-MNIST training images", err));
  TK_TRY(expt_input(r, "epochs", g->epochs, "1", "ours: CPU budget", err));
  TK_TRY(expt_input(r, "sweeps_per_sample", g->k_total, "1", "ours: T K, "
                    "K = this / T sweeps per step", err));
  TK_TRY(expt_input(r, "log_samples", g->log_samples, "1", "training log: "
                    "samples per epoch, label-clamped, fixed seed", err));
  TK_TRY(expt_input(r, "log_test_images", g->log_test, "1", "training log: "
                    "first N Fashion-MNIST test images", err));
  TK_TRY(expt_input(r, "clf_images", g->clf_images, "1", "FD-tsukit "
                    "classifier's training images", err));
  expt_note(r, "Set-up (%s). The models are files in dtm-study/, trained "
            "by the `tsukit dtm train` commands under /children (an "
            "existing file is resumed or only read), so this run's own time "
            "excludes their training when they were already there.",
            g->about);
  return TK_OK;
}

void study_model_free(study_model *m)
{
  io_dtm_log_free(&m->log);
}

static int record_child(expt_run *r, const char *cmd, tk_err *err)
{
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
    fprintf(stderr, "dtm study: %s\n", cmd);
  return TK_OK;
}

/* What the log says: best and final FD, final accuracy and chain. */
static void summarise(study_model *m)
{
  const io_dtm_log *l = &m->log;
  m->fd_best = m->fd_final = m->best_epoch = m->acc_final = NAN;
  m->fd_tail = m->fd_tail_sd = NAN;
  m->ac_final = m->activity = NAN;
  for (size_t i = 0; i < l->n; i++)
    if (!(l->fd_tsukit[i] >= m->fd_best)) {
      m->fd_best = l->fd_tsukit[i];
      m->best_epoch = l->epoch[i];
    }
  if (l->n == 0)
    return;
  size_t e = l->n - 1, n3 = l->n < 3 ? l->n : 3;
  double s1 = 0, s2 = 0;
  for (size_t i = l->n - n3; i < l->n; i++)
    s1 += l->fd_tsukit[i];
  m->fd_tail = s1 / n3;
  for (size_t i = l->n - n3; i < l->n; i++)
    s2 += (l->fd_tsukit[i] - m->fd_tail) * (l->fd_tsukit[i] - m->fd_tail);
  m->fd_tail_sd = n3 > 1 ? sqrt(s2 / (n3 - 1)) : NAN;
  m->fd_final = l->fd_tsukit[e];
  m->acc_final = l->label_accuracy[e];
  m->activity = l->activity[e];
  m->ac_final = -INFINITY;
  for (uint32_t k = 0; k < l->T; k++)
    m->ac_final = fmax(m->ac_final, l->autocorr[e * l->T + k]);
}

int study_model_get(expt_run *r, const study_cfg *g, uint32_t T, int n_jumps,
                    int acp, study_model *out, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  memset(out, 0, sizeof *out);
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/dtm-study", c->out_dir);
  if (strchr(dir, ' '))
    return TK_FAIL(err, TK_EINVAL, "the output folder must not contain "
                   "spaces (%s)", dir);
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    return TK_FAIL(err, TK_EIO, "%s: %s", dir, strerror(errno));
  uint32_t K = g->k_total / T;
  /* positive phase ~30 % of K, the last quarter of it recorded */
  uint32_t kpos = K * 3 / 10 > 2 ? K * 3 / 10 : 2;
  uint32_t rec = kpos / 4 > 8 ? 8 : (kpos / 4 ? kpos / 4 : 1);
  uint32_t batches = g->images / 64;
  uint32_t every = batches / g->acp_checks ? batches / g->acp_checks : 1;
  snprintf(out->tag, sizeof out->tag, "T%u-G%d-%s", T, 4 * n_jumps,
           acp ? "acp" : "noacp");
  snprintf(out->path, sizeof out->path, "%s/%s.h5", dir, out->tag);
  char clf[1100], cmd[2600];
  snprintf(clf, sizeof clf, "%s/fdclf-%u.h5", dir, g->clf_images);
  struct stat sb;
  int resume = stat(out->path, &sb) == 0;
  snprintf(cmd, sizeof cmd,
           "tsukit dtm train --data fashion-mnist --steps %u --graph G%d "
           "--L %u --train-limit %u --epochs %u --sweeps %u --sweeps-pos %u "
           "--record %u %s --acp-every %u --seed %llu --threads %u "
           "--log-samples %u --log-test %u --log-classifier %s%s -o %s",
           T, 4 * n_jumps, g->L, g->images, g->epochs, K, kpos, rec,
           acp ? "--acp" : "--no-acp", every, (unsigned long long)c->seed,
           c->workers, g->log_samples, g->log_test, clf,
           resume ? " --resume" : "", out->path);
  TK_TRY(record_child(r, cmd, err));
  run_dtm_train_params p = run_dtm_train_default_params();
  p.data = "fashion-mnist";
  p.out = out->path;
  p.p.T = T;
  p.p.n_jumps = n_jumps;
  p.p.L = g->L;
  p.p.epochs = g->epochs;
  p.p.sweeps = K;
  p.p.sweeps_pos = kpos;
  p.p.record = rec;
  p.p.acp = acp;
  p.p.acp_every = every;
  p.p.seed = c->seed;
  p.train_limit = g->images;
  p.threads = (int)c->workers;
  p.resume = resume;
  p.set_steps = p.set_graph = p.set_L = 1;
  p.log.samples = g->log_samples;
  p.log.test = g->log_test;
  p.log.clf_images = g->clf_images;
  p.log.classifier = clf;
  p.log.quiet = c->quiet;
  p.command = cmd;
  run_dtm_train_result res;
  int rc = run_dtm_train(&p, &res, err);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "`%s`", cmd);
  tsu_dtm *m = NULL;
  io_dtm_history h;
  TK_TRY(io_dtm_load(out->path, &m, &h, err));
  out->T = T;
  out->K = K;
  out->L = g->L;
  out->n_jumps = n_jumps;
  out->acp = acp;
  for (size_t e = 0; e < h.n_epoch; e++)
    out->train_s += h.wall_s[e] + (e < h.log.n ? h.log.eval_s[e] : 0);
  out->log = h.log;
  memset(&h.log, 0, sizeof h.log);
  io_dtm_history_free(&h);
  tsu_dtm_free(m);
  if (out->log.n == 0)
    return TK_FAIL(err, TK_EFORMAT, "%s has no training log (made before "
                   "the log existed? remove it to retrain)", out->path);
  summarise(out);
  return TK_OK;
}

int study_write_curves(expt_run *r, const study_model *m, tk_err *err)
{
  const io_dtm_log *l = &m->log;
  size_t n = l->n;
  double *acm = malloc((n + 1) * sizeof *acm), *lam = malloc((n + 1) * sizeof *lam);
  if (acm == NULL || lam == NULL) {
    free(acm);
    free(lam);
    return TK_FAIL(err, TK_ENOMEM, "curves");
  }
  for (size_t i = 0; i < n; i++) {
    acm[i] = lam[i] = -INFINITY;
    for (uint32_t k = 0; k < l->T; k++) {
      acm[i] = fmax(acm[i], l->autocorr[i * l->T + k]);
      lam[i] = fmax(lam[i], l->acp_lambda[i * l->T + k]);
    }
  }
  char p[5][96];
  const char *name[5] = {"epoch", "fd_tsukit", "label_accuracy",
                         "autocorr_max", "acp_lambda_max"};
  const char *unit[5] = {"epochs", "1", "1", "1", "1"};
  const double *v[5] = {l->epoch, l->fd_tsukit, l->label_accuracy, acm, lam};
  int rc = TK_OK;
  for (int i = 0; i < 5 && rc == TK_OK; i++) {
    snprintf(p[i], sizeof p[i], "/runs/%s/%s", m->tag, name[i]);
    rc = expt_vec(r, p[i], v[i], n, unit[i], err);
  }
  free(acm);
  free(lam);
  return rc;
}

int study_energy(const study_model *m, double *chip_J, double *paper_J,
                 tk_err *err)
{
  tsu_energy_params ep = tsu_energy_default_params();
  ep.activity = isfinite(m->activity) ? m->activity : 0.5;
  tsu_graph *grid = NULL;
  tsu_energy_report en;
  TK_TRY(tsu_graph_grid(m->L, m->n_jumps, 0, &grid, err));
  int rc = tsu_energy_compute(&ep, grid, 2, (double)m->K, &en, err);
  tsu_graph_free(grid);
  if (rc == TK_OK) {
    *chip_J = en.per_sample_J * m->T;
    *paper_J = en.paper_per_sample_J * m->T;
  }
  return rc;
}

int study_plot_blocks(io_plot *p, io_file *f, const char *const *tags,
                      size_t n, tk_err *err)
{
  for (size_t i = 0; i < n; i++) {
    double *e = NULL, *fd = NULL, *ac = NULL;
    size_t ne, nf, na;
    char q[128], b[32];
    snprintf(q, sizeof q, "/runs/%s/epoch", tags[i]);
    int rc = expt_read(f, q, &e, &ne, err);
    snprintf(q, sizeof q, "/runs/%s/fd_tsukit", tags[i]);
    if (rc == TK_OK) rc = expt_read(f, q, &fd, &nf, err);
    snprintf(q, sizeof q, "/runs/%s/autocorr_max", tags[i]);
    if (rc == TK_OK) rc = expt_read(f, q, &ac, &na, err);
    if (rc == TK_OK && (nf != ne || na != ne))
      rc = TK_FAIL(err, TK_EFORMAT, "/runs/%s: curves of unequal length",
                   tags[i]);
    if (rc == TK_OK) {
      snprintf(b, sizeof b, "fd%zu", i);
      io_plot_data_xy(p, b, e, fd, ne);
      snprintf(b, sizeof b, "ac%zu", i);
      io_plot_data_xy(p, b, e, ac, ne);
    }
    free(e);
    free(fd);
    free(ac);
    if (rc != TK_OK)
      return rc;
  }
  return TK_OK;
}

void study_plot_panel(io_plot *p, int ac, const char *const *labels, size_t n)
{
  io_plot_cmd(p, "set xlabel 'epoch'\nset ylabel '%s'\nset key top right\n"
                 "plot ", ac ? "autocorrelation at lag K (worst step)"
                             : "FD-tsukit (lower is better)");
  for (size_t i = 0; i < n; i++)
    io_plot_cmd(p, "%s$%s%zu with linespoints pt 7 lw 2 title '%s'",
                i ? ", " : "", ac ? "ac" : "fd", i, labels[i]);
  io_plot_cmd(p, "\n");
}

/* ---- dtm-collapse ------------------------------------------------------ */

/* Replication (issue 19): best / final FID. */
#define REPL_ACP_BEST 26.8
#define REPL_ACP_FINAL 29.0
#define REPL_NOACP_BEST 29.7
#define REPL_NOACP_FINAL 185.0
#define REPL_MONO_BEST 37.1
#define REPL_MONO_FINAL 183.0
/* A run "collapses" when its final FD is at least this many times its
 * best (the replication's runs: 6.2 and 4.9; with ACP 1.08). */
#define COLLAPSE_RATIO 2.0

int expt__dtm_collapse_run(expt_run *r, tk_err *err)
{
  const study_cfg *g = study_cfg_get(r->ctx->quick);
  TK_TRY(study_inputs(r, g, err));
  study_model m[3];
  memset(m, 0, sizeof m);
  int rc = study_model_get(r, g, 4, 3, 1, &m[0], err);
  if (rc == TK_OK) rc = study_model_get(r, g, 4, 3, 0, &m[1], err);
  if (rc == TK_OK) rc = study_model_get(r, g, 1, 3, 0, &m[2], err);
  static const char *rows[3] = {"DTM T=4, ACP", "DTM T=4, no ACP",
                                "monolithic EBM T=1, no ACP"};
  static const double pb[3] = {REPL_ACP_BEST, REPL_NOACP_BEST, REPL_MONO_BEST};
  static const double pf[3] = {REPL_ACP_FINAL, REPL_NOACP_FINAL,
                               REPL_MONO_FINAL};
  double best[3], bep[3], fin[3], ratio[3], acc[3], ac[3], prat[3], wab[3],
      ac0[3];
  for (int i = 0; i < 3 && rc == TK_OK; i++) {
    rc = study_write_curves(r, &m[i], err);
    best[i] = m[i].fd_best;
    bep[i] = m[i].best_epoch;
    fin[i] = m[i].fd_final;
    ratio[i] = fin[i] / best[i];
    acc[i] = m[i].acc_final;
    ac[i] = m[i].ac_final;
    prat[i] = pf[i] / pb[i];
    /* the worst FD after the best epoch, over the best: swings that the
     * final value alone can hide */
    const io_dtm_log *l = &m[i].log;
    wab[i] = 1;
    for (size_t e = 0; e < l->n; e++)
      if (l->epoch[e] > bep[i])
        wab[i] = fmax(wab[i], l->fd_tsukit[e] / best[i]);
    ac0[i] = -INFINITY;
    for (uint32_t k = 0; l->n > 0 && k < l->T; k++)
      ac0[i] = fmax(ac0[i], l->autocorr[k]);
  }
  if (rc == TK_OK) {
    const char *names[] = {"fd_best", "best_epoch", "fd_final",
                           "final_over_best", "worst_after_best_over_best",
                           "label_accuracy_final", "autocorr_first",
                           "autocorr_final", "replication_final_over_best"};
    const char *units[] = {"1", "epochs", "1", "1", "1", "1", "1", "1", "1"};
    const double *cols[] = {best, bep, fin, ratio, wab, acc, ac0, ac, prat};
    rc = expt_table(r, "collapse", "FD-tsukit through training (training "
                    "log) beside the replication's FID ratio; "
                    "autocorrelation at lag K after the first and the last "
                    "epoch (worst step)", 3, 9, names, units, cols, rows,
                    err);
  }
  static const char *keys[3] = {"acp", "noacp", "mono"};
  for (int i = 0; i < 3 && rc == TK_OK; i++) {
    char k[48], why[1400];
    snprintf(k, sizeof k, "fd_best_%s", keys[i]);
    rc = expt_sum(r, k, best[i], "1", err);
    snprintf(k, sizeof k, "fd_final_%s", keys[i]);
    if (rc == TK_OK) rc = expt_sum(r, k, fin[i], "1", err);
    snprintf(k, sizeof k, "collapse_%s", keys[i]);
    if (rc == TK_OK)
      rc = expt_sum(r, k, ratio[i] >= COLLAPSE_RATIO ? 1 : 0, "1", err);
    snprintf(why, sizeof why, "final / best FD: %.2f here (best %.1f at "
             "epoch %.0f, final %.1f after %u epochs = %u Adam updates, "
             "worst after the best %.2f x best; autocorrelation %.3f after "
             "epoch 1, %.3f at the end) against %.2f in the replication "
             "(FID %.1f then %.1f); %s. FD-tsukit and FID differ in scale, "
             "so only the ratio is compared.", ratio[i], best[i], bep[i],
             fin[i], g->epochs, g->epochs * (g->images / 64), wab[i], ac0[i],
             ac[i], prat[i],
             pb[i], pf[i],
             ratio[i] >= COLLAPSE_RATIO
                 ? "this run collapses as the replication's does"
             : wab[i] >= COLLAPSE_RATIO
                 ? "no lasting collapse at this scale, but the run is "
                   "unstable: after its best epoch the FD swings up to the "
                   "worst value above while its chain's autocorrelation "
                   "climbs, the onset of the mixing failure behind the "
                   "replication's collapse"
             : prat[i] >= COLLAPSE_RATIO
                 ? "no collapse at this scale, where the replication's run "
                   "collapsed: in this short training the couplings stay "
                   "weak enough for the chains to mix within K sweeps, the "
                   "failure the collapse comes from"
                 : "no collapse, as in the replication");
    snprintf(k, sizeof k, "ratio-%s", keys[i]);
    if (rc == TK_OK)
      rc = expt_compare(r, k, rows[i], ratio[i], prat[i], "1",
                        "replication (issue 19): best then final FID", why,
                        err);
  }
  if (rc == TK_OK) {
    expt_note(r, "Collapse is called when the final FD-tsukit is >= %.1f "
              "times the best. Final autocorrelation at lag K (worst step): "
              "ACP %.3f, no ACP %.3f, monolithic %.3f (ACP target %.2f).",
              COLLAPSE_RATIO, ac[0], ac[1], ac[2], 0.1);
    const io_dtm_log *la = &m[0].log;
    double lam = -INFINITY;
    for (uint32_t k = 0; k < la->T; k++)
      lam = fmax(lam, la->acp_lambda[(la->n - 1) * la->T + k]);
    expt_note(r, "The ACP run's penalty weight ends at %.3g (largest step; "
              "it starts at 1e-3 and its floor is 1e-3 / 64 = 1.6e-5): "
              "%s.", lam, lam < 2e-5
                  ? "its chains stayed below the autocorrelation target, so "
                    "the penalty relaxed to its floor and the runs with and "
                    "without it train nearly the same couplings"
                  : "the penalty was active");
    expt_note(r, "Training time in the model files: %.0f s, %.0f s, %.0f s.",
              m[0].train_s, m[1].train_s, m[2].train_s);
  }
  for (int i = 0; i < 3; i++)
    study_model_free(&m[i]);
  return rc;
}

int expt__dtm_collapse_plot(const char *h5, const char *png, tk_err *err)
{
  static const char *const tags[3] = {"T4-G12-acp", "T4-G12-noacp",
                                      "T1-G12-noacp"};
  static const char *const labels[3] = {"DTM T=4, ACP", "DTM T=4, no ACP",
                                        "monolithic EBM (T=1), no ACP"};
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  io_plot p;
  int rc = io_plot_begin(&p, png, 1200, 450, err);
  if (rc == TK_OK) {
    rc = study_plot_blocks(&p, f, tags, 3, err);
    if (rc != TK_OK)
      io_plot_discard(&p);
  }
  io_file_close(f);
  if (rc != TK_OK)
    return rc;
  io_plot_cmd(&p, "set multiplot layout 1,2\nset grid\n"
                  "set title 'sample quality through training'\n");
  study_plot_panel(&p, 0, labels, 3);
  io_plot_cmd(&p, "set title 'mixing: chain autocorrelation through "
                  "training'\n");
  study_plot_panel(&p, 1, labels, 3);
  io_plot_cmd(&p, "unset multiplot\n");
  return io_plot_run(&p, err);
}
