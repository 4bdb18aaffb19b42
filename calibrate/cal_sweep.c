/* cal_sweep.c -- parallel sweep points in fork()ed workers, the pbit
 * point reduction and the per-temperature logistic fit (cal_sweep.h).
 *
 * Workload: at most a few hundred points, each a child process living
 * seconds to minutes; the parent only waits in poll() and copies a
 * result of a few hundred bytes per point, so its own cost is nil.
 */
#define _GNU_SOURCE
#include "calibrate/cal_sweep.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "calibrate/cal_autocorr.h"
#include "calibrate/cal_digitize.h"
#include "calibrate/cal_energy.h"
#include "calibrate/cal_occupancy.h"
#include "common/tk_progress.h"

#define SWEEP_POLL_MS 200
#define SWEEP_MAX_RESULT 65536
#define SWEEP_MAX_BATCH 64
#define SWEEP_BATCH_SCAN 4096

/* What a worker sends back: this header, then result_size bytes.  The
 * header's size is a multiple of max_align_t's alignment, so the result
 * after it in a malloc'ed buffer is aligned for the point's struct (it was
 * 516 bytes: a misaligned cal__point, undefined behaviour). */
typedef struct msg_head {
  _Alignas(max_align_t) int32_t status; /* the point function's status */
  char msg[TK_ERR_MSG_MAX];      /* its error message ("" when ok) */
} msg_head;

typedef struct slot {
  pid_t pid;            /* worker process, > 0 while running */
  int fd;               /* read end of its pipe */
  size_t idx[SWEEP_MAX_BATCH]; /* the points it computes, in index order */
  size_t n;             /* how many */
  unsigned char *buf;   /* [batch][sizeof(msg_head) + result_size] */
  size_t got;           /* bytes received so far */
} slot;

cal_sweep_params cal_sweep_default_params(void)
{
  cal_sweep_params p;
  memset(&p, 0, sizeof p);
  p.workers = 1;
  p.quiet = 1;
  p.batch = 1;
  return p;
}

uint64_t cal_sweep_point_seed(uint64_t seed, size_t idx)
{
  uint64_t z = seed + 0x9E3779B97F4A7C15ull * ((uint64_t)idx + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static int write_all(int fd, const void *data, size_t n)
{
  const unsigned char *p = data;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* The worker: never returns.  Sends one message (header, result) per
 * point of idx[0..n-1], in that order. */
static void worker_main(int fd, const size_t *idx, size_t n,
                        size_t result_size, cal_sweep_point_fn point,
                        cal_sweep_batch_fn point_batch, void *ud)
{
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  signal(SIGPIPE, SIG_DFL);
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1)   /* the parent died before prctl */
    _exit(5);
#endif
  size_t total = sizeof(msg_head) + result_size;
  unsigned char *buf = calloc(n, total);
  unsigned char *res = calloc(n, result_size);
  int *status = calloc(n, sizeof *status);
  tk_err *errs = calloc(n, sizeof *errs);
  if (buf == NULL || res == NULL || status == NULL || errs == NULL)
    _exit(3);
  if (point_batch != NULL && n > 1) {
    int rc = point_batch(ud, idx, n, res, status, errs);
    for (size_t i = 0; rc != 0 && i < n; i++) {
      status[i] = rc;
      errs[i] = errs[0];
    }
  } else {
    for (size_t i = 0; i < n; i++)
      status[i] = point(ud, idx[i], res + i * result_size, &errs[i]);
  }
  for (size_t i = 0; i < n; i++) {
    msg_head h;
    memset(&h, 0, sizeof h);
    h.status = status[i];
    if (h.status != 0)
      snprintf(h.msg, sizeof h.msg, "%s", tk_err_text(&errs[i]));
    memcpy(buf + i * total, &h, sizeof h);
    memcpy(buf + i * total + sizeof h, res + i * result_size, result_size);
  }
  int rc = write_all(fd, buf, n * total);
  close(fd);
  _exit(rc == 0 ? 0 : 4);
}

static int launch(slot *s, slot *all, unsigned nslot, const size_t *idx,
                  size_t n, size_t result_size, cal_sweep_point_fn point,
                  cal_sweep_batch_fn point_batch, void *ud, tk_err *err)
{
  int pfd[2];
  if (pipe(pfd) != 0)
    return TK_FAIL(err, TK_EIO, "pipe for sweep point %zu: %s", idx[0],
                   strerror(errno));
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(pfd[0]);
    close(pfd[1]);
    return TK_FAIL(err, TK_EIO, "fork for sweep point %zu: %s", idx[0],
                   strerror(errno));
  }
  if (pid == 0) {
    close(pfd[0]);
    for (unsigned k = 0; k < nslot; k++)
      if (all[k].pid > 0)
        close(all[k].fd);
    worker_main(pfd[1], idx, n, result_size, point, point_batch, ud);
  }
  close(pfd[1]);
  s->pid = pid;
  s->fd = pfd[0];
  memcpy(s->idx, idx, n * sizeof *idx);
  s->n = n;
  s->got = 0;
  return TK_OK;
}

/* Reap a worker whose pipe reached EOF; 0 if all its messages are
 * complete (else the status for its first incomplete point). */
static int reap(slot *s, size_t total, int killed, tk_err *err)
{
  close(s->fd);
  int st = 0;
  while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR)
    ;
  s->pid = 0;
  if (s->got == s->n * total)
    return TK_OK;   /* complete, even if it was killed after sending */
  if (killed)
    return TK_EINTERRUPT;
  size_t idx = s->idx[s->got / total];
  if (WIFSIGNALED(st))
    return TK_FAIL(err, TK_EINTERNAL, "worker for sweep point %zu died "
                   "(signal %d)", idx, WTERMSIG(st));
  return TK_FAIL(err, TK_EINTERNAL, "worker for sweep point %zu ended "
                 "without a result (exit %d)", idx,
                 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int cal_sweep_run(const cal_sweep_params *p, cal_sweep_point_fn point,
                  cal_sweep_done_fn done, void *ud, cal_sweep_stats *stats,
                  tk_err *err)
{
  cal_sweep_stats st0 = {0, 0, 0, 0, 0};
  if (stats != NULL)
    *stats = st0;
  if (p == NULL || point == NULL || done == NULL)
    return TK_FAIL(err, TK_EINVAL, "sweep: missing parameters or callbacks");
  if (p->workers < 1 || p->workers > 1024)
    return TK_FAIL(err, TK_EINVAL, "sweep: workers %u not in 1..1024",
                   p->workers);
  if (p->result_size < 1 || p->result_size > SWEEP_MAX_RESULT)
    return TK_FAIL(err, TK_EINVAL, "sweep: result size %zu not in 1..%d",
                   p->result_size, SWEEP_MAX_RESULT);
  if (p->batch > SWEEP_MAX_BATCH)
    return TK_FAIL(err, TK_EINVAL, "sweep: batch %zu not in 1..%d", p->batch,
                   SWEEP_MAX_BATCH);
  const size_t batch = p->point_batch != NULL && p->batch > 1 ? p->batch : 1;
  double t0 = tk_clock_s();
  size_t total = sizeof(msg_head) + p->result_size;
  unsigned nslot = p->workers;
  slot *sl = calloc(nslot, sizeof *sl);
  struct pollfd *pf = calloc(nslot, sizeof *pf);
  uint8_t *launched = calloc(p->n_points ? p->n_points : 1, 1);
  int rc = TK_OK;
  for (unsigned k = 0; sl != NULL && k < nslot; k++)
    if ((sl[k].buf = malloc(batch * total)) == NULL)
      rc = TK_ENOMEM;
  if (sl == NULL || pf == NULL || launched == NULL || rc != TK_OK) {
    for (unsigned k = 0; sl != NULL && k < nslot; k++)
      free(sl[k].buf);
    free(sl);
    free(pf);
    free(launched);
    return TK_FAIL(err, TK_ENOMEM, "sweep: out of memory");
  }
  cal_sweep_stats st = st0;
  size_t todo = 0;
  for (size_t i = 0; i < p->n_points; i++)
    if (p->skip != NULL && p->skip[i])
      st.skipped++;
    else
      todo++;
  tk_progress prog;
  tk_progress_init(&prog, p->progress_label ? p->progress_label : "points",
                   todo > 0 ? (double)todo : 1.0,
                   p->quiet || p->progress_label == NULL);
  size_t next = 0, running = 0;
  int failed = 0, killed = 0;
  for (;;) {
    int stopping = failed || (p->stop != NULL && *p->stop);
    if (p->stop != NULL && *p->stop)
      st.interrupted = 1;
    if (p->stop != NULL && *p->stop >= 2 && !killed) {
      for (unsigned k = 0; k < nslot; k++)
        if (sl[k].pid > 0)
          kill(sl[k].pid, SIGKILL);
      killed = 1;
    }
    while (!stopping && running < nslot) {
      while (next < p->n_points &&
             (launched[next] || (p->skip != NULL && p->skip[next])))
        next++;
      if (next >= p->n_points)
        break;
      /* the batch: next, then the following unlaunched points with its key */
      size_t ids[SWEEP_MAX_BATCH], n = 0;
      size_t key = p->batch_key != NULL ? p->batch_key(ud, next) : 0;
      for (size_t i = next; i < p->n_points && n < batch &&
                            i < next + SWEEP_BATCH_SCAN; i++) {
        if (launched[i] || (p->skip != NULL && p->skip[i]))
          continue;
        if (i != next && p->batch_key != NULL && p->batch_key(ud, i) != key)
          continue;
        ids[n++] = i;
      }
      unsigned k = 0;
      while (sl[k].pid > 0)
        k++;
      int lr = launch(&sl[k], sl, nslot, ids, n, p->result_size, point,
                      p->point_batch, ud, err);
      if (lr != 0) {
        rc = lr;
        failed = 1;
        break;
      }
      for (size_t j = 0; j < n; j++)
        launched[ids[j]] = 1;
      running++;
    }
    if (p->poll != NULL && !failed) {
      tk_err e = {0};
      int hr = p->poll(p->poll_ud, &e);
      if (hr != 0) {
        if (err != NULL)
          *err = e;
        rc = hr;
        failed = 1;
      }
    }
    if (running == 0)
      break;
    unsigned np = 0;
    for (unsigned k = 0; k < nslot; k++)
      if (sl[k].pid > 0) {
        pf[np].fd = sl[k].fd;
        pf[np].events = POLLIN;
        pf[np].revents = 0;
        np++;
      }
    int pr = poll(pf, np, SWEEP_POLL_MS);
    if (pr <= 0)
      continue;  /* timeout or EINTR: look at *stop again */
    for (unsigned k = 0; k < nslot; k++) {
      if (sl[k].pid <= 0)
        continue;
      unsigned j = 0;
      while (j < np && pf[j].fd != sl[k].fd)
        j++;
      if (j == np || pf[j].revents == 0)
        continue;
      const size_t want = sl[k].n * total;
      ssize_t r = 0;
      if (sl[k].got < want)
        r = read(sl[k].fd, sl[k].buf + sl[k].got, want - sl[k].got);
      else {
        unsigned char junk[64];
        r = read(sl[k].fd, junk, sizeof junk);
      }
      if (r < 0 && errno == EINTR)
        continue;
      if (r > 0) {
        if (sl[k].got < want)
          sl[k].got += (size_t)r;
        continue;
      }
      /* EOF or error: the worker is finished; its complete messages are
       * delivered in order, the rest fail (or are abandoned when killed) */
      tk_err re = {0};
      int rr = reap(&sl[k], total, killed, &re);
      running--;
      const size_t complete = sl[k].got / total;
      for (size_t m = 0; m < sl[k].n; m++) {
        size_t idx = sl[k].idx[m];
        tk_err e = {0};
        int wr;
        if (m >= complete) {
          if (rr == TK_EINTERRUPT || failed) {
            st.abandoned++;
            continue;
          }
          wr = rr;
          e = re;
        } else {
          msg_head h;
          memcpy(&h, sl[k].buf + m * total, sizeof h);
          h.msg[sizeof h.msg - 1] = '\0';
          if (h.status != 0)
            wr = TK_FAIL(&e, h.status, "sweep point %zu: %s", idx, h.msg);
          else
            wr = done(ud, idx, sl[k].buf + m * total + sizeof h, &e);
        }
        if (wr != TK_OK) {
          st.abandoned++;
          if (!failed && err != NULL)
            *err = e;
          if (!failed)
            rc = wr;
          failed = 1;
          continue;
        }
        st.done++;
        tk_progress_update(&prog, (double)st.done);
      }
    }
  }
  for (size_t i = 0; i < p->n_points; i++)
    if (!launched[i] && (p->skip == NULL || !p->skip[i]))
      st.abandoned++;
  if (st.done > 0)
    tk_progress_finish(&prog);
  for (unsigned k = 0; k < nslot; k++)
    free(sl[k].buf);
  free(sl);
  free(pf);
  free(launched);
  st.wall_s = tk_clock_s() - t0;
  if (stats != NULL)
    *stats = st;
  if (rc == TK_OK && st.abandoned > 0)
    rc = TK_FAIL(err, TK_EINTERRUPT, "sweep interrupted: %zu point(s) done "
                 "now, %zu left", st.done, st.abandoned);
  return rc;
}

/* ---- pbit point ---- */

int cal_pbit_point_measure(const double *v_V, size_t n, double dt_s,
                           double vdd_V, double e_supply_J,
                           cal_pbit_point *pt, tk_err *err)
{
  if (v_V == NULL || pt == NULL || n < 16 || !(dt_s > 0) || !(vdd_V > 0))
    return TK_FAIL(err, TK_EINVAL, "pbit point: need >= 16 samples, dt > 0, "
                   "vdd > 0 (got n %zu, dt %g s, vdd %g V)", n, dt_s, vdd_V);
  memset(pt, 0, sizeof *pt);
  pt->tau_s = pt->tau_err_s = pt->energy_J = NAN;
  double dur_s = (double)n * dt_s;
  pt->power_W = e_supply_J / dur_s;
  uint8_t *state = malloc(n);
  double *x = malloc(n * sizeof *x);
  if (state == NULL || x == NULL) {
    free(state);
    free(x);
    return TK_FAIL(err, TK_ENOMEM, "pbit point: out of memory");
  }
  cal_digitize_params dp = cal_digitize_default_params();
  dp.lo_V = 0.3 * vdd_V;
  dp.hi_V = 0.7 * vdd_V;
  cal_digitize_result dr;
  tk_err e = {0};
  int rc = cal_digitize2(v_V, n, &dp, state, &dr, &e);
  pt->lo_V = dp.lo_V;
  pt->hi_V = dp.hi_V;
  pt->flips = (double)dr.flips;
  if (rc != 0 && !dr.no_transitions) {
    free(state);
    free(x);
    if (err != NULL)
      *err = e;
    return rc;
  }
  rc = TK_OK;
  double p1 = (double)dr.count[1] / (double)n;
  pt->p[1] = p1;
  pt->p[0] = 1.0 - p1;
  if (dr.flips == 0) {
    /* never flipped: the occupancy is exact 0/1, there is no tau */
    pt->no_transitions = 1;
    pt->p[1] = state[0] ? 1.0 : 0.0;
    pt->p[0] = 1.0 - pt->p[1];
    free(state);
    free(x);
    return TK_OK;
  }
  for (size_t i = 0; i < n; i++)
    x[i] = state[i];
  cal_autocorr_params ap = cal_autocorr_default_params();
  cal_autocorr_result ar;
  if (cal_autocorr(x, n, dt_s, &ap, NULL, NULL, &ar, NULL) == 0 &&
      isfinite(ar.tau_int_s) && ar.tau_int_s > 0) {
    pt->tau_s = ar.tau_int_s;
    pt->tau_err_s = ar.tau_int_err_s;
    pt->tau_method = 1;
  } else if (dr.flips >= 2) {
    pt->tau_s = 2.0 * pt->p[0] * pt->p[1] * dur_s / (double)dr.flips;
    pt->tau_err_s = pt->tau_s / sqrt((double)dr.flips);
    pt->tau_method = 2;
  }
  cal_occupancy_params op = cal_occupancy_default_params();
  cal_occupancy_result orr;
  if (cal_occupancy(state, n, 2, &op, &orr, NULL) == 0 &&
      isfinite(orr.se[1]) && orr.se[1] > 0) {
    pt->p_err[0] = orr.se[0];
    pt->p_err[1] = orr.se[1];
  } else {
    /* telegraph process: var of the time average = 2 p (1-p) tau / T */
    double tau = isfinite(pt->tau_s) ? pt->tau_s : dur_s;
    double se = sqrt(2.0 * p1 * (1.0 - p1) * fmin(tau, dur_s) / dur_s);
    pt->p_err[0] = pt->p_err[1] = se;
  }
  if (isfinite(pt->tau_s)) {
    cal_energy_result er;
    if (cal_energy_from_total(e_supply_J, dur_s, pt->tau_s,
                              isfinite(pt->tau_err_s) ? pt->tau_err_s : 0,
                              &er, NULL) == 0)
      pt->energy_J = er.e_J;
  }
  free(state);
  free(x);
  return rc;
}

/* ---- one categorical point ---- */

int cal_cat_point_measure(const double *const *lines, unsigned K, size_t n,
                          double dt_s, double vdd_V, double e_supply_J,
                          cal_cat_point *pt, tk_err *err)
{
  if (lines == NULL || pt == NULL || n < 16 * 32 || !(dt_s > 0) ||
      !(vdd_V > 0) || K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "categorical point: need 2..%d lines of "
                   ">= 512 samples, dt > 0, vdd > 0 (got K %u, n %zu, dt %g "
                   "s, vdd %g V)", CAL_MAX_STATES, K, n, dt_s, vdd_V);
  memset(pt, 0, sizeof *pt);
  pt->K = K;
  pt->tau_s = pt->tau_err_s = pt->energy_J = NAN;
  double dur_s = (double)n * dt_s;
  pt->power_W = e_supply_J / dur_s;
  uint8_t *state = malloc(n);
  if (state == NULL)
    return TK_FAIL(err, TK_ENOMEM, "categorical point: out of memory");
  cal_digitize_params dp = cal_digitize_default_params();
  dp.lo_V = 0.3 * vdd_V;
  dp.hi_V = 0.7 * vdd_V;
  cal_digitize_result dr;
  tk_err e = {0};
  int rc = cal_digitize_lines(lines, K, n, &dp, state, &dr, &e);
  pt->flips = (double)dr.flips;
  if (rc != 0 && !dr.no_transitions) {
    free(state);
    if (err != NULL)
      *err = e;
    return rc;
  }
  for (unsigned k = 0; k < K; k++)
    pt->p[k] = (double)dr.count[k] / (double)n;
  if (dr.flips == 0) {
    pt->no_transitions = 1;
    for (unsigned k = 0; k < K; k++)
      pt->p[k] = state[0] == k ? 1.0 : 0.0;
    free(state);
    return TK_OK;
  }
  double s2 = 0;
  for (unsigned k = 0; k < K; k++)
    s2 += pt->p[k] * pt->p[k];
  if (dr.flips >= 2) {
    pt->tau_s = (1.0 - s2) * dur_s / (double)dr.flips;
    pt->tau_err_s = pt->tau_s / sqrt((double)dr.flips);
  }
  cal_occupancy_params op = cal_occupancy_default_params();
  cal_occupancy_result orr;
  int occ_ok = cal_occupancy(state, n, K, &op, &orr, NULL) == 0;
  for (unsigned k = 0; k < K; k++) {
    if (occ_ok && isfinite(orr.se[k]) && orr.se[k] > 0) {
      pt->p_err[k] = orr.se[k];
    } else {
      double tau = isfinite(pt->tau_s) ? pt->tau_s : dur_s;
      pt->p_err[k] = sqrt(2.0 * pt->p[k] * (1.0 - pt->p[k]) *
                          fmin(tau, dur_s) / dur_s);
    }
  }
  if (isfinite(pt->tau_s)) {
    cal_energy_result er;
    if (cal_energy_from_total(e_supply_J, dur_s, pt->tau_s, pt->tau_err_s,
                              &er, NULL) == 0)
      pt->energy_J = er.e_J;
  }
  free(state);
  return TK_OK;
}

/* ---- one temperature ---- */

int cal_pbit_fit_temperature(const double *v_V, const double *p1,
                             const double *se, const uint8_t *no_trans,
                             const double *tau_s, const double *tau_err_s,
                             size_t nv, double temp_K, cal_pbit_fit *out,
                             tk_err *err)
{
  memset(out, 0, sizeof *out);
  out->tau_op_s = out->tau_op_err_s = NAN;
  for (size_t i = 0; i < nv; i++)
    if (!no_trans[i])
      out->n_transitions++;
  if (out->n_transitions == 0)
    return TK_FAIL(err, TK_ENUMERIC, "no transitions observed at %g K over "
                   "the %zu control points (the cell never flips there: "
                   "widen --vctl or lengthen --time); not fitted", temp_K, nv);
  cal_logistic_params lp = cal_logistic_default_params();
  int rc = cal_logistic_fit(v_V, p1, se, nv, &lp, &out->fit, err);
  if (rc != 0)
    return tk_err_wrap(err, rc, "logistic fit at %g K", temp_K);
  for (int pass = 0; pass < 2 && !isfinite(out->tau_op_s); pass++) {
    double sw = 0, swx = 0, s = 0;
    size_t m = 0;
    for (size_t i = 0; i < nv; i++) {
      if (!isfinite(tau_s[i]) || !(tau_s[i] > 0))
        continue;
      if (pass == 0 && (p1[i] < 0.1 || p1[i] > 0.9))
        continue;
      double e = tau_err_s[i];
      double w = isfinite(e) && e > 0 ? 1.0 / (e * e) : 0;
      sw += w;
      swx += w * tau_s[i];
      s += tau_s[i];
      m++;
    }
    if (m == 0)
      continue;
    if (sw > 0) {
      out->tau_op_s = swx / sw;
      out->tau_op_err_s = 1.0 / sqrt(sw);
    } else {
      out->tau_op_s = s / (double)m;
      out->tau_op_err_s = out->tau_op_s / sqrt((double)m);
    }
  }
  return TK_OK;
}
