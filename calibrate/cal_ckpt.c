/* cal_ckpt.c -- the checkpointed sweep behind cal_run (shipped cells and
 * designers' subcircuits alike): the sweep in worker processes (and MPI
 * ranks) with its signal handling, each finished point stored as it
 * arrives, resume, then the fits into the cell library (cal_finish.c).
 * The per-point datasets themselves are cal_store.c's.  The crash-safety
 * design is described in cal_run.h.
 *
 * Workload: a few hundred sweep points, written once and read once.
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "calibrate/cal_run_impl.h"
#include "physics/phys_sde.h"
#ifdef TK_HAVE_MPI
#include <mpi.h>
#endif

/* ---- the sweep (shared by `calibrate` and `characterize`) ---- */

/* The one mutable global of calibrate/: a signal handler's flag (the
 * sweep's workers are stopped through it; cal__stop_begin/_end). */
static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
  (void)sig;
  if (stop_flag < 2)
    stop_flag++;
}

static struct sigaction stop_old_int, stop_old_term;

volatile sig_atomic_t *cal__stop_begin(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  stop_flag = 0;
  sigaction(SIGINT, &sa, &stop_old_int);
  sigaction(SIGTERM, &sa, &stop_old_term);
  return &stop_flag;
}

void cal__stop_end(void)
{
  sigaction(SIGINT, &stop_old_int, NULL);
  sigaction(SIGTERM, &stop_old_term, NULL);
}

/* A point whose simulation failed in ngspice (no convergence, a model
 * out of its range: TK_ESPICE) or gave no usable numbers (TK_ENUMERIC)
 * becomes a failed point, stored as such, and the sweep goes on; any
 * other failure (memory, the file, a setting) stops the sweep. */
static int point_failed(int rc, cal__point *pt, const tk_err *err)
{
  if (rc != TK_ESPICE && rc != TK_ENUMERIC)
    return rc;
  memset(pt, 0, sizeof *pt);
  double *v[] = {pt->p, pt->p_err, pt->p_err_rep, pt->gmm};
  size_t n[] = {CAL_MAX_STATES, CAL_MAX_STATES, CAL_MAX_STATES, 10};
  for (int k = 0; k < 4; k++)
    for (size_t i = 0; i < n[k]; i++)
      v[k][i] = NAN;
  pt->tau_s = pt->tau_err_s = pt->energy_J = pt->power_W = pt->flips = NAN;
  pt->failed = 1;
  snprintf(pt->fail_msg, sizeof pt->fail_msg, "%s", tk_err_text(err));
  return TK_OK;
}

/* Worker: the caller's point function. */
static int point_adapter(void *ud, size_t idx, void *result, tk_err *err)
{
  const cal__ctx *c = ud;
  if (c->repeats <= 1) {
    int rc = c->point(c, idx, (cal__point *)result, err);
    return rc == TK_OK ? rc : point_failed(rc, result, err);
  }
  /* --repeats: R independent records of the point, one after another in
   * this worker */
  cal__point *r = malloc(c->repeats * sizeof *r);
  if (r == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  cal__ctx one = *c;
  int rc = TK_OK;
  for (unsigned i = 0; i < c->repeats && rc == 0; i++) {
    one.rep = i;
    rc = c->point(&one, idx, &r[i], err);
  }
  if (rc == 0)
    cal__combine_records(r, c->repeats, c->n_states, (cal__point *)result);
  free(r);
  return rc == TK_OK ? rc : point_failed(rc, result, err);
}

/* Worker: the points idx[0..n-1] of one temperature as one batch
 * (c->point_batch: the native engine's runs four to a vector, each bit
 * for bit its run alone), each failure handled as point_adapter's. */
static int point_batch_adapter(void *ud, const size_t *idx, size_t n,
                               void *results, int *status, tk_err *errs)
{
  const cal__ctx *c = ud;
  cal__point *pt = results;
  int rc = c->point_batch(c, idx, n, pt, status, errs, &errs[0]);
  for (size_t i = 0; rc == 0 && i < n; i++)
    if (status[i] != 0)
      status[i] = point_failed(status[i], &pt[i], &errs[i]);
  return rc;
}

/* Batch key of the main sweep: the point's temperature. */
static size_t point_key(void *ud, size_t idx)
{
  return idx / ((const cal__ctx *)ud)->nv;
}

/* Parent: store one finished point (data, flush, then its done flag). */
static int point_done(void *ud, size_t idx, const void *result, tk_err *err)
{
  cal__ctx *c = ud;
  const cal__point *pt = result;
  io_celllib_point q = {pt->p, pt->p_err,
                        c->repeats > 1 ? pt->p_err_rep : NULL,
                        c->gmm ? pt->gmm : NULL, pt->tau_s, pt->tau_err_s,
                        pt->energy_J, pt->power_W, pt->flips,
                        pt->no_transitions, pt->failed,
                        pt->failed ? pt->fail_msg : NULL};
  if (pt->failed) {
    size_t t = idx / c->nv, v = idx % c->nv;
    fprintf(stderr, "tsukit %s: point %zu (%g K, control %g V) failed: %s; "
            "stored as failed, the sweep goes on\n", c->cmd, idx,
            c->temp_K[t], cal__ctl(c, t, v)[0], pt->fail_msg);
  }
  return io_celllib_put_point(c->f, c->cell, c->n_states, idx, &q, err);
}

/* The command line again, with --resume instead of --force. */
static void print_resume_hint(const cal__ctx *c, const char *msg)
{
  const char *cl = c->command_line != NULL ? c->command_line : "";
  char buf[4200];
  size_t len = 0;
  buf[0] = '\0';
  const char *s = cl;
  while (*s) {
    const char *e = strchr(s, ' ');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    if (!((n == 7 && strncmp(s, "--force", 7) == 0) ||
          (n == 8 && strncmp(s, "--resume", 8) == 0)))
      len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.*s",
                              len ? " " : "", (int)n, s);
    if (len >= sizeof buf)
      break;
    s += n;
    while (*s == ' ')
      s++;
  }
  fprintf(stderr, "tsukit %s: %s; resume with:\n  %s --resume\n", c->cmd, msg,
          buf);
}

/* ---- MPI ranks (built --with-mpi, run under mpirun) ---------------------
 * Rank 0 owns the file exactly as without MPI; it broadcasts the points
 * already done, every rank runs the points i with i mod size == rank in
 * its own forked workers, ranks > 0 send each result to rank 0 as it
 * finishes (tag 1: index + result bytes), then an end message (tag 2:
 * their status), and rank 0 stores what arrives between its own points
 * (the runner's poll hook) and after them.  Point seeds depend only on
 * the index, so the file is the same as with one process. */
#ifdef TK_HAVE_MPI
typedef struct mpi_share {
  cal__ctx *c;          /* the sweep (rank 0: its open file) */
  size_t res;            /* result bytes */
  int ends;              /* end messages received */
  int remote_rc;         /* first failure reported by a rank */
  unsigned char *buf;    /* 8 + res bytes */
} mpi_share;

static int mpi_point(void *ud, size_t idx, void *result, tk_err *err)
{
  mpi_share *m = ud;
  return point_adapter(m->c, idx, result, err);
}

static int mpi_forward(void *ud, size_t idx, const void *result, tk_err *err)
{
  mpi_share *m = ud;
  uint64_t i = idx;
  memcpy(m->buf, &i, 8);
  memcpy(m->buf + 8, result, m->res);
  if (MPI_Send(m->buf, (int)(8 + m->res), MPI_BYTE, 0, 1, MPI_COMM_WORLD) !=
      MPI_SUCCESS)
    return TK_FAIL(err, TK_EIO, "MPI_Send of point %zu failed", idx);
  return TK_OK;
}

/* Store every message waiting (block: wait for one first). */
static int mpi_collect(mpi_share *m, int block, tk_err *err)
{
  for (;;) {
    int flag = 0;
    MPI_Status st;
    if (block) {
      MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      flag = 1;
      block = 0;
    } else {
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    }
    if (!flag)
      return TK_OK;
    if (st.MPI_TAG == 2) {
      int status = 0;
      MPI_Recv(&status, 1, MPI_INT, st.MPI_SOURCE, 2, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      m->ends++;
      if (status != 0 && m->remote_rc == 0)
        m->remote_rc = status;
      continue;
    }
    MPI_Recv(m->buf, (int)(8 + m->res), MPI_BYTE, st.MPI_SOURCE, 1,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    uint64_t i;
    memcpy(&i, m->buf, 8);
    TK_TRY(point_done(m->c, (size_t)i, m->buf + 8, err));
  }
}

static int mpi_poll(void *ud, tk_err *err)
{
  return mpi_collect(ud, 0, err);
}
#endif

/* A failure of the run, on stderr as the command line tools print it;
 * returns its status. */
int cal__report(const cal__ctx *c, const tk_err *err)
{
  fprintf(stderr, "tsukit %s: error: %s\n", c->cmd, tk_err_text(err));
  return err != NULL && err->status != 0 ? err->status : TK_EINTERNAL;
}

/* A failure of the points (a simulation or the file) is the run's, never
 * a usage error, whatever the detail's status. */
static int run_failure(int rc)
{
  return rc == TK_EINVAL || rc == TK_ERANGE || rc == 0 ? TK_EIO : rc;
}

int cal__sweep(const char *out, cal__ctx *c, double time_s, int resume,
               int force, long workers, cal_summary *kv, tk_err *eout)
{
  int rank = 0, size = 1;
  (void)size;
  if (c->track != NULL) {
    /* every MPI rank finds the same windows (a pure function of the
     * settings and the seed) */
    tk_err terr = {0};
    if (cal__track_setup(c, c->track, out, resume, time_s, workers, &terr) != 0) {
      if (eout != NULL)
        *eout = terr;
      return cal__report(c, &terr);
    }
  }
#ifdef TK_HAVE_MPI
  int mpi_inited = 0;
  MPI_Initialized(&mpi_inited);
  if (!mpi_inited) {
    /* the workers are fork()ed children that never touch MPI */
    setenv("OMPI_MCA_mpi_warn_on_fork", "0", 0);
    MPI_Init(NULL, NULL);
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  mpi_share share = {c, sizeof(cal__point), 0, 0, NULL};
  share.buf = malloc(8 + sizeof(cal__point));
#endif
  size_t nt = c->nt, nv = c->nv;
  uint64_t seed = c->seed;
  c->ckpt_path = out;
  c->workers = (unsigned)workers;
  cal__data d;
  io_file *f = NULL;
  tk_err err = {0};
  int rc = 0, exit_rc = TK_OK;
  size_t npt = nt * nv;
  if (c->n_states == 0)
    c->n_states = 2;
  if (c->n_ctl == 0)
    c->n_ctl = 1;
  if (cal__data_alloc(&d, npt, c->n_states) != 0) {
    rc = TK_FAIL(&err, TK_ENOMEM, "out of memory");
    goto fail;
  }
  struct stat stt;
  int exists = stat(out, &stt) == 0;
  int setup = 0;          /* 0 ok, 1 exists, 2 failed (rank 0 decides) */
  if (rank == 0 && exists && !resume && !force) {
    fprintf(stderr, "tsukit %s: error: %s already exists: add --resume "
            "to continue its sweep or --force to start over\n", c->cmd, out);
    TK_FAIL(&err, TK_EEXIST, "%s already exists", out);
    setup = 1;
  } else if (rank != 0) {
    /* the file is rank 0's */
  } else if (resume && exists) {
    rc = io_file_open_read(out, &f, &err);
    if (rc == 0)
      rc = cal__read_data(f, c, time_s, &d, &err);
    io_file_close(f);
    f = NULL;
    if (rc != 0)
      setup = 2;
  } else {
    /* the skeleton: complete and valid before any point runs */
    io_prov prov = {c->command_line, seed};
    rc = io_file_create(out, &prov, IO_CREATE_OVERWRITE, &f, &err);
    if (rc == 0)
      rc = cal__write_data(f, c, &d, time_s, &err);
    if (rc == 0)
      rc = io_file_commit(f, &err);
    else
      io_file_abort(f);
    f = NULL;
    if (rc != 0)
      setup = 2;
  }
#ifdef TK_HAVE_MPI
  if (size > 1) {
    MPI_Bcast(&setup, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (setup == 0)
      MPI_Bcast(d.done, (int)npt, MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
  }
#endif
  if (setup == 1) {
    exit_rc = TK_EEXIST;
    goto done;
  }
  if (setup == 2) {
    if (rank != 0) {
      exit_rc = TK_EIO;
      goto done;
    }
    goto fail;
  }
#ifdef TK_HAVE_MPI
  if (size > 1 && rank != 0) {
    /* This rank's share of the points, results to rank 0. */
    uint8_t *skip = malloc(npt);
    if (skip == NULL || share.buf == NULL) {
      free(skip);
      int one = TK_ENOMEM;
      MPI_Send(&one, 1, MPI_INT, 0, 2, MPI_COMM_WORLD);
      exit_rc = TK_ENOMEM;
      goto done;
    }
    for (size_t i = 0; i < npt; i++)
      skip[i] = d.done[i] || (int)(i % (size_t)size) != rank;
    cal_sweep_params swp = cal_sweep_default_params();
    swp.n_points = npt;
    swp.result_size = sizeof(cal__point);
    swp.workers = (unsigned)workers;
    swp.skip = skip;
    swp.quiet = 1;
    cal_sweep_stats ss;
    int src = cal_sweep_run(&swp, mpi_point, mpi_forward, &share, &ss, &err);
    free(skip);
    MPI_Send(&src, 1, MPI_INT, 0, 2, MPI_COMM_WORLD);
    if (src != 0)
      fprintf(stderr, "tsukit %s: rank %d: %s\n", c->cmd, rank,
              tk_err_text(&err));
    exit_rc = run_failure(src);
    if (src == 0)
      exit_rc = TK_OK;
    goto done;
  }
#endif
  size_t ndone = 0;
  for (size_t i = 0; i < npt; i++)
    ndone += d.done[i] != 0;
  if (ndone < npt) {
    if (ndone > 0)
      fprintf(stderr, "tsukit %s: resuming: %zu of %zu points already "
              "done\n", c->cmd, ndone, npt);
    if ((rc = io_file_open_rw(out, &f, &err)) != 0)
      goto fail;
    c->f = f;
    volatile sig_atomic_t *stop = cal__stop_begin();
    cal_sweep_params swp = cal_sweep_default_params();
    swp.n_points = npt;
    swp.result_size = sizeof(cal__point);
    swp.workers = (unsigned)workers;
    swp.skip = d.done;
    swp.stop = stop;
    swp.progress_label = c->cmd;
    swp.quiet = 0;
    if (c->point_batch != NULL && c->repeats <= 1) {
      swp.batch = PHYS_SDE_LANES;
      swp.point_batch = point_batch_adapter;
      swp.batch_key = point_key;
    }
    uint8_t *mine = NULL;
#ifdef TK_HAVE_MPI
    if (size > 1) {
      mine = malloc(npt);
      if (mine == NULL) {
        rc = TK_FAIL(&err, TK_ENOMEM, "out of memory");
        goto fail;
      }
      for (size_t i = 0; i < npt; i++)
        mine[i] = d.done[i] || i % (size_t)size != 0;
      swp.skip = mine;
      swp.poll = mpi_poll;
      swp.poll_ud = &share;
    }
#endif
    cal_sweep_stats ss;
    rc = cal_sweep_run(&swp, point_adapter, point_done, c, &ss, &err);
#ifdef TK_HAVE_MPI
    /* the other ranks' points: wait for every one of them */
    while (size > 1 && share.ends < size - 1) {
      int cr = mpi_collect(&share, 1, &err);
      if (cr != 0 && rc == 0)
        rc = cr;
    }
    if (size > 1 && rc == 0 && share.remote_rc != 0)
      rc = TK_FAIL(&err, share.remote_rc, "a rank failed (its message "
                   "above); the points it finished are kept");
    if (size > 1)
      fprintf(stderr, "tsukit %s: %d MPI ranks: this one simulated %zu "
              "point(s), the others sent theirs\n", c->cmd, size, ss.done);
#endif
    free(mine);
    cal__stop_end();
    io_file_close(f);
    f = NULL;
    fprintf(stderr, "tsukit %s: %zu point(s) simulated in %.3g s with "
            "%ld worker(s)\n", c->cmd, ss.done, ss.wall_s, workers);
    if (rc != 0) {
      char msg[1024];
      if (ss.interrupted)
        snprintf(msg, sizeof msg, "interrupted: %zu of %zu points are kept in "
                 "%s", ndone + ss.done, npt, out);
      else
        snprintf(msg, sizeof msg, "error: %s (%zu of %zu points are kept in "
                 "%s)", tk_err_text(&err), ndone + ss.done, npt, out);
      print_resume_hint(c, msg);
      exit_rc = ss.interrupted ? TK_EINTERRUPT : run_failure(rc);
      goto done;
    }
    /* the fit reads the file back, whatever was computed in this run */
    if ((rc = io_file_open_read(out, &f, &err)) == 0)
      rc = cal__read_data(f, c, time_s, &d, &err);
    io_file_close(f);
    f = NULL;
    if (rc != 0)
      goto fail;
  }
  rc = cal__finish(out, c, time_s, &d, kv, &err);
  if (rc == TK_EINTERRUPT) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s (the %zu measured points too, in %s)",
             tk_err_text(&err), npt, out);
    print_resume_hint(c, msg);
    exit_rc = TK_EINTERRUPT;
  } else if (rc != 0) {
    fprintf(stderr, "tsukit %s: error: %s\n", c->cmd, tk_err_text(&err));
    fprintf(stderr, "tsukit %s: the %zu measured points are kept in "
            "%s\n", c->cmd, npt, out);
    exit_rc = run_failure(rc);
  }
  goto done;
fail:
  exit_rc = cal__report(c, &err);
done:
  io_file_close(f);
  cal__data_free(&d);
  cal__track_free(c);
#ifdef TK_HAVE_MPI
  free(share.buf);
  if (!mpi_inited)
    MPI_Finalize();
#endif
  if (eout != NULL)
    *eout = err;
  return exit_rc;
}
