/* run_dtm_train.c -- a DTM training run (`tsukit dtm train`): the data,
 * a fresh or resumed model, and epochs until the schedule's end or
 * stop_after, the whole model (weights, Adam state, history) checkpointed
 * after every epoch by writing FILE.partial and renaming it over FILE, so
 * an interrupted run loses at most the epoch in progress.  Under mpirun
 * (an MPI build) the ranks split each batch and rank 0 writes the file.
 * Workload: minutes to hours (an epoch of the 70 x 70 G12 4-step model
 * over 60000 images is ~2-4 min on two cores at 100 + 30 sweeps). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/tk_progress.h"
#include "io/io_dtm_cat.h"
#include "run/run_dtm.h"
#include "run/run_dtm_cat.h"
#ifdef TK_HAVE_MPI
#include <mpi.h>
#endif

int run_dtm_load_data(const char *data, const char *split, size_t limit,
                      io_image_set *set, tk_err *err)
{
  const char *dir = strcmp(data, "fashion-mnist") == 0 ? NULL : data;
  int rc = io_fashion_mnist_load(dir, split, limit, set, err);
  /* the install hint where the files are missing; a damaged file is
   * named by the reader */
  if (rc == TK_ENOTFOUND)
    return tk_err_wrap(err, rc, "Fashion-MNIST %s set (install the Debian "
                       "package dataset-fashion-mnist, or give --data DIR)",
                       split);
  if (rc != TK_OK)
    return tk_err_wrap(err, rc, "Fashion-MNIST %s set", split);
  if (set->rows * set->cols != TSU_DTM_N_PIX) {
    io_image_set_free(set);
    return TK_FAIL(err, TK_EFORMAT, "images are %zu x %zu, the DTM needs 28 x 28",
                   set->rows, set->cols);
  }
  tsu_dtm_binarise(set->pixels, set->n * TSU_DTM_N_PIX);
  return TK_OK;
}

run_dtm_train_params run_dtm_train_default_params(void)
{
  run_dtm_train_params p;
  memset(&p, 0, sizeof p);
  p.data = "fashion-mnist";
  p.p = tsu_dtm_default_params();
  p.log = run_dtm_log_default_params();
  p.log.data = NULL;
  return p;
}

#ifdef TK_HAVE_MPI
/* Data-parallel training under mpirun: the reductions tsu_dtm needs. */
static int mpi_sum_i64(int64_t *b, size_t n, void *ctx)
{
  (void)ctx;
  return MPI_Allreduce(MPI_IN_PLACE, b, (int)n, MPI_INT64_T, MPI_SUM,
                       MPI_COMM_WORLD) != MPI_SUCCESS;
}

static int mpi_sum_f64(double *b, size_t n, void *ctx)
{
  (void)ctx;
  return MPI_Allreduce(MPI_IN_PLACE, b, (int)n, MPI_DOUBLE, MPI_SUM,
                       MPI_COMM_WORLD) != MPI_SUCCESS;
}
#endif

/* The largest status over all `size` ranks (every rank stops together). */
static int all_rc(int rc, int size)
{
#ifdef TK_HAVE_MPI
  int out = rc;
  if (size > 1)
    MPI_Allreduce(&rc, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
#else
  (void)size;
  return rc;
#endif
}

/* The terminal line, then the caller's callback (run_dtm_train_params). */
typedef struct train_ctx {
  tk_progress pr;
  const run_dtm_train_params *o;
  uint32_t epoch, epochs;
} train_ctx;

static int train_progress(void *ctx, double done)
{
  train_ctx *c = ctx;
  tk_progress_update(&c->pr, done);
  if (c->o->progress != NULL)
    return c->o->progress(c->o->progress_ctx, c->epoch, c->epochs, done);
  return 0;
}

static double max_of(const double *a, size_t n)
{
  double m = -INFINITY;
  for (size_t i = 0; i < n; i++)
    m = fmax(m, a[i]);
  return m;
}

/* A fresh model, or the checkpoint in o->out checked against the shape
 * asked for (its epochs extended to o->p.epochs). */
static int open_model(const run_dtm_train_params *o, tsu_dtm **m,
                      io_dtm_history *hist, tk_err *err)
{
  struct stat sb;
  int exists = stat(o->out, &sb) == 0;
  if (exists && !o->resume && !o->force)
    return TK_FAIL(err, TK_EINVAL, "%s exists: --resume to continue it or "
                   "--force to start over", o->out);
  /* --resume of a run killed before its first checkpoint: nothing to
   * continue, so it starts over (as calibrate --resume does); the same
   * command line can be repeated after a kill at any moment */
  if (!exists && o->resume)
    fprintf(stderr, "tsukit dtm: --resume: %s does not exist yet; training "
            "a fresh model\n", o->out);
  if (!o->resume || !exists)
    return tsu_dtm_alloc(&o->p, m, err);
  TK_TRY(io_dtm_load(o->out, m, hist, err));
  const tsu_dtm_params *q = &(*m)->p;
  if ((o->set_steps && o->p.T != q->T) ||
      (o->set_graph && o->p.n_jumps != q->n_jumps) ||
      (o->set_L && o->p.L != q->L)) {
    int rc = TK_FAIL(err, TK_EINVAL, "%s is a %u-step G%d L=%u model; the "
                     "command asks for %u steps, G%d, L=%u", o->out, q->T,
                     4 * q->n_jumps, q->L, o->p.T, 4 * o->p.n_jumps, o->p.L);
    tsu_dtm_free(*m);
    *m = NULL;
    io_dtm_history_free(hist);
    return rc;
  }
  (*m)->p.epochs = o->p.epochs;
  if ((*m)->epochs_done >= (*m)->p.epochs)
    fprintf(stderr, "tsukit dtm: %s already has %u epochs (--epochs %u)\n",
            o->out, (*m)->epochs_done, (*m)->p.epochs);
  return TK_OK;
}

static void epoch_line(const tsu_dtm *m, const tsu_dtm_epoch_stats *st,
                       const char *out)
{
  fprintf(stderr, "tsukit dtm: epoch %u: %.1f s, %.0f images/s, %.2f "
          "flips/ns, autocorr", m->epochs_done, st->wall_s,
          st->images_per_s, st->flips_per_ns);
  for (uint32_t k = 0; k < m->p.T; k++)
    fprintf(stderr, " %.3f", st->autocorr[k]);
  fprintf(stderr, ", penalty");
  for (uint32_t k = 0; k < m->p.T; k++)
    fprintf(stderr, " %.3g", m->acp_lambda[k]);
  fprintf(stderr, "; checkpoint %s\n", out);
}

static int train_body(const run_dtm_train_params *o, int rank, int size,
                      const tsu_dtm_comm *comm, run_dtm_train_result *res,
                      tk_err *err)
{
  tsu_dtm *m = NULL;
  io_dtm_history hist = {0};
  io_image_set set = {0};
  TK_TRY(open_model(o, &m, &hist, err));
  int rc = run_dtm_load_data(o->data, "train", o->train_limit, &set, err);
  if (rc != TK_OK) {
    tsu_dtm_free(m);
    io_dtm_history_free(&hist);
    return rc;
  }
  tsu_dtm_data d = {set.n, set.pixels, set.labels};
  run_dtm_logger *lg = NULL;
  if (rank == 0 && o->log.samples > 0 && m->epochs_done < m->p.epochs)
    rc = run_dtm_logger_for_run(&o->log, o->data, o->threads, 0, &lg, err);
  if (all_rc(rc, size) != TK_OK && rc == TK_OK)
    rc = TK_FAIL(err, TK_EIO, "rank 0 could not set up the training log");
  double wall = 0, imgs = 0, fl = 0;
  uint32_t e0 = m->epochs_done;
  tsu_dtm_epoch_stats st;
  tsu_dtm_stats_alloc(m, &st);
  uint32_t stop_at = m->p.epochs;
  if (o->stop_after && e0 + o->stop_after < stop_at)
    stop_at = e0 + o->stop_after;
  while (rc == TK_OK && m->epochs_done < stop_at) {
    train_ctx tc = {.o = o, .epoch = m->epochs_done + 1,
                    .epochs = m->p.epochs};
    char label[64];
    snprintf(label, sizeof label, "dtm epoch %u/%u", m->epochs_done + 1,
             m->p.epochs);
    tk_progress_init(&tc.pr, label, 1.0, rank != 0);
    tsu_dtm_stats_free(&st);
    tsu_dtm_stats_alloc(m, &st);
    rc = tsu_dtm_train_epoch_comm(m, &d, o->threads, comm, train_progress,
                                  &tc, &st, err);
    tk_progress_finish(&tc.pr);
    if (all_rc(rc, size) != TK_OK) {
      if (rc == TK_OK)
        rc = TK_FAIL(err, TK_EIO, "another MPI rank failed");
      break;
    }
    wall += st.wall_s;
    imgs += st.images_per_s * st.wall_s;
    fl += st.flips;
    rc = io_dtm_history_add(&hist, m, &st, err);
    if (rc == TK_OK && lg != NULL)
      rc = run_dtm_logger_entry(lg, m, st.autocorr, &hist.log, err);
    if (rc == TK_OK && rank == 0)
      rc = io_dtm_save(o->out, m, &hist, o->command, 1, err);
    if (all_rc(rc, size) != TK_OK && rc == TK_OK)
      rc = TK_FAIL(err, TK_EIO, "rank 0 could not write the checkpoint");
    if (rc == TK_OK && rank == 0)
      epoch_line(m, &st, o->out);
  }
  if (rc != TK_OK) {
    if (m->epochs_done > 0)
      tk_err_wrap(err, rc, "the last good checkpoint (epoch %u) is kept in "
                  "%s", m->epochs_done, o->out);
  } else {
    if (m->epochs_done == e0 && !o->resume && rank == 0)
      rc = io_dtm_save(o->out, m, &hist, o->command, 1, err);
    res->rank = rank;
    res->ranks = size;
    res->epochs = m->epochs_done;
    res->steps = m->p.T;
    res->wall_s = wall;
    res->images_per_s = wall > 0 ? imgs / wall : 0;
    res->flips_per_ns = wall > 0 ? fl / wall * 1e-9 : 0;
    res->autocorr = hist.n_epoch
        ? max_of(hist.autocorr + (hist.n_epoch - 1) * m->p.T, m->p.T) : NAN;
    res->acp_lambda_max = max_of(m->acp_lambda, m->p.T);
  }
  tsu_dtm_stats_free(&st);
  run_dtm_logger_free(lg);
  tsu_dtm_free(m);
  io_dtm_history_free(&hist);
  io_image_set_free(&set);
  return rc;
}

int run_dtm_train(const run_dtm_train_params *p, run_dtm_train_result *res,
                  tk_err *err)
{
  if (p == NULL || res == NULL || p->out == NULL || p->data == NULL)
    return TK_FAIL(err, TK_EINVAL, "dtm train: the data and the model file "
                   "are required");
  if (p->resume && p->force)
    return TK_FAIL(err, TK_EINVAL, "dtm train: resume and force exclude "
                   "each other");
  /* categorical pixels (issue 14): run_dtm_cat.c */
  if (p->pixel_levels >= 2 || (p->resume && io_dtmc_is_model(p->out)))
    return run_dtmc_train(p, res, err);
  memset(res, 0, sizeof *res);
#ifdef TK_HAVE_MPI
  /* MPI started here is finalised here; once finalised (a second run in
   * the same process) the run is a single process. */
  int inited = 0, finalized = 0, rank = 0, size = 1;
  MPI_Finalized(&finalized);
  if (finalized)
    return train_body(p, 0, 1, NULL, res, err);
  MPI_Initialized(&inited);
  if (!inited)
    MPI_Init(NULL, NULL);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  tsu_dtm_comm comm = {rank, size, mpi_sum_i64, mpi_sum_f64, NULL};
  int rc = train_body(p, rank, size, size > 1 ? &comm : NULL, res, err);
  if (!inited)
    MPI_Finalize();
  return rc;
#else
  return train_body(p, 0, 1, NULL, res, err);
#endif
}
