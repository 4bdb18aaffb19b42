/* expt_native_fidelity_runs.c -- the native-fidelity experiment's engine
 * runs (expt_native_fidelity.c has the table built from them): one cell
 * record through ngspice or the native engine per job, in forked
 * workers, digitised into state occupancies and flips (whole record and
 * per tenth, for the paired errors); the pbit core's noiseless trip
 * points; the native pilot that picks the controls.
 *
 * Workload: the jobs are whole cell simulations (ngspice seconds to
 * minutes each); the bookkeeping here is negligible beside them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calibrate/cal_sweep.h"
#include "circuits/ckt_native.h"
#include "circuits/ckt_session.h"
#include "circuits/ckt_sim.h"
#include "experiments/expt_native_fidelity_impl.h"
#include "physics/phys_const.h"
#include "run/run_cellmeasure.h"

typedef struct nf_ud {
  const nf_job *jobs;
  nf_res *out;
  FILE *log;          /* the job file, appended (NULL: not kept) */
  uint64_t bin;       /* binary_id() */
} nf_ud;

static double now_s(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* gmm2's digitiser: hysteresis at 30 % / 70 % of VSEP. */
static void gmm_states(const double *y, size_t n, double vsep, uint8_t *st)
{
  uint8_t s = n > 0 && y[0] >= 0.5 * vsep;
  for (size_t k = 0; k < n; k++) {
    if (y[k] >= 0.7 * vsep) s = 1;
    else if (y[k] <= 0.3 * vsep) s = 0;
    st[k] = s;
  }
}

static int point(void *ud, size_t idx, void *result, tk_err *err)
{
  const nf_job *j = &((nf_ud *)ud)->jobs[idx];
  nf_res *res = result;
  memset(res, 0, sizeof *res);
  const ckt_cell_info *ci = j->ci;
  ckt_sim_params sp = ckt_sim_default_params();
  sp.temp_K = j->temp_K;
  sp.tstop_s = j->tstop_s;
  sp.tstep_s = ci->tstep_s;
  sp.nt_s = fmin(j->nt_s > 0 ? j->nt_s : ci->nt_s, sp.tstep_s);
  sp.seed = j->seed;
  sp.noise = !j->noise_off;
  phys_cell *pc = NULL;
  ckt_session *ses = NULL;
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  uint8_t *st = NULL;
  int rc = ckt_cell_build(ci, j->vctl_V, NULL, &pc, err);
  double t0 = now_s();
  if (rc == 0 && j->native)
    rc = ckt_native_run(pc, &sp, &tr, err);
  else if (rc == 0) {
    rc = ckt_session_open(&ses, err);
    if (rc == 0) rc = ckt_sim_run(ses, pc, ci->name, &sp, &tr, err);
  }
  res->wall_s = now_s() - t0;
  run_cell_lines l;
  if (rc == 0) rc = run_cell_lines_get(ci, &tr, ci->vdd_V, &l, err);
  if (rc == 0 && (st = calloc(tr.n ? tr.n : 1, 1)) == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0) {
    const run_cellkind_measure *meas = run_cellkind_measure_get(ci->cellkind);
    if (meas != NULL && meas->states != NULL)
      meas->states(&l, st);
    else
      gmm_states(l.v_V[0], tr.n, j->vctl_V[1], st);
    double cnt[NF_K] = {0}, nb[NF_NB] = {0};
    for (size_t k = 0; k < tr.n; k++) {
      size_t b = k * NF_NB / tr.n;   /* its tenth of the record */
      nb[b] += 1;
      if (st[k] < NF_K) {
        cnt[st[k]] += 1;
        res->pb[b][st[k]] += 1;
      }
      if (k > 0 && st[k] != st[k - 1]) {
        res->flips += 1;
        res->fb[b] += 1;
      }
    }
    for (int s = 0; s < NF_K; s++)
      res->p[s] = tr.n ? cnt[s] / (double)tr.n : 0;
    for (size_t b = 0; b < NF_NB; b++)
      for (int s = 0; s < NF_K; s++)
        res->pb[b][s] = nb[b] > 0 ? res->pb[b][s] / nb[b] : 0;
    res->duration_s = tr.dt_s * (double)tr.n;
    res->last_state = tr.n ? st[tr.n - 1] : 0;
  }
  free(st);
  ckt_trace_clear(&tr);
  ckt_session_close(ses);
  phys_cell_free(pc);
  return rc;
}

/* ---- the job file: finished jobs survive an interruption ----
 * Each finished job is appended to OUT_DIR/NF_JOBS_FILE as a record
 * {key, result, check}; a rerun of the same command with the same
 * binary takes the jobs it finds there instead of running them again.
 * key: FNV-1a over the job (cell name, controls, temperature, record,
 * seed, engine, noise, slot), the result layout and the binary's
 * identity (size, mtime, inode of /proc/self/exe: any rebuild starts
 * afresh, so a result never outlives the code that made it); check:
 * the same hash over key and result (a torn or damaged record is
 * skipped).  The run removes the file when it has written its result
 * (nf__jobs_remove). */
typedef struct nf_rec {
  uint64_t key;
  nf_res res;
  uint64_t check;
} nf_rec;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) {
    h ^= b[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

static uint64_t binary_id(void)
{
  struct stat sb;
  if (stat("/proc/self/exe", &sb) != 0)
    return 0;
  uint64_t v[3] = {(uint64_t)sb.st_size, (uint64_t)sb.st_mtime,
                   (uint64_t)sb.st_ino};
  return fnv(0xcbf29ce484222325ULL, v, sizeof v);
}

static uint64_t job_key(const nf_job *j, uint64_t bin)
{
  uint64_t h = fnv(0xcbf29ce484222325ULL, j->ci->name, strlen(j->ci->name));
  double d[CKT_MAX_CTL + 3];
  memcpy(d, j->vctl_V, sizeof j->vctl_V);
  d[CKT_MAX_CTL] = j->temp_K;
  d[CKT_MAX_CTL + 1] = j->tstop_s;
  d[CKT_MAX_CTL + 2] = j->nt_s;
  h = fnv(h, d, sizeof d);
  uint64_t w[5] = {j->seed, (uint64_t)j->native, (uint64_t)j->noise_off,
                   (uint64_t)sizeof(nf_res), bin};
  return fnv(h, w, sizeof w);
}

static uint64_t rec_check(const nf_rec *r)
{
  return fnv(fnv(0x84222325cbf29ce4ULL, &r->key, sizeof r->key), &r->res,
             sizeof r->res);
}

static void jobs_path(const expt_ctx *c, char *path, size_t size)
{
  snprintf(path, size, "%s/%s", c->out_dir != NULL ? c->out_dir : ".",
           NF_JOBS_FILE);
}

static int done(void *ud, size_t idx, const void *result, tk_err *err)
{
  nf_ud *u = ud;
  memcpy(&u->out[idx], result, sizeof(nf_res));
  if (u->log != NULL) {
    nf_rec r;
    memset(&r, 0, sizeof r);
    r.key = job_key(&u->jobs[idx], u->bin);
    memcpy(&r.res, result, sizeof r.res);
    r.check = rec_check(&r);
    if (fwrite(&r, sizeof r, 1, u->log) != 1 || fflush(u->log) != 0)
      return TK_FAIL(err, TK_EIO, "cannot append to the job file %s",
                     NF_JOBS_FILE);
  }
  return TK_OK;
}

size_t nf__jobs_reused;

void nf__jobs_remove(const expt_ctx *c)
{
  const char *keep = getenv("TSUKIT_NATIVE_FIDELITY_KEEP_JOBS");
  if (keep != NULL && strcmp(keep, "1") == 0)
    return;
  char path[4096];
  jobs_path(c, path, sizeof path);
  remove(path);
}

int nf__run_jobs(const expt_ctx *c, const nf_job *jobs, size_t n,
                 nf_res *out, tk_err *err)
{
  nf_ud ud = {jobs, out, NULL, binary_id()};
  uint8_t *skip = calloc(n ? n : 1, 1);
  if (skip == NULL)
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  char path[4096];
  jobs_path(c, path, sizeof path);
  size_t found = 0, bad = 0;
  FILE *f = ud.bin != 0 ? fopen(path, "rb") : NULL;
  if (f != NULL) {
    nf_rec r;
    while (fread(&r, sizeof r, 1, f) == 1) {
      if (r.check != rec_check(&r)) {
        bad++;
        continue;
      }
      for (size_t i = 0; i < n; i++)
        if (!skip[i] && r.key == job_key(&jobs[i], ud.bin)) {
          out[i] = r.res;
          skip[i] = 1;
          found++;
          break;
        }
    }
    fclose(f);
  }
  /* one line the first time (the trip-point search calls this 14 times);
   * said even when quiet: it is not progress but where numbers came from */
  static int told;
  if ((found > 0 || bad > 0) && !told) {
    told = 1;
    fprintf(stderr, "native-fidelity: resuming: the engine runs an earlier "
            "run of this binary finished are taken from %s%s\n", path,
            bad > 0 ? " (damaged records skipped)" : "");
  }
  nf__jobs_reused += found;
  if (ud.bin == 0 && !c->quiet && !told) {
    told = 1;
    fprintf(stderr, "native-fidelity: warning: cannot identify this binary "
            "(/proc/self/exe): no job file, an interrupted run will start "
            "afresh\n");
  } else if (ud.bin != 0 && (ud.log = fopen(path, "ab")) == NULL && !c->quiet)
    fprintf(stderr, "native-fidelity: warning: cannot write %s: an "
            "interrupted run will start afresh\n", path);
  cal_sweep_params p = cal_sweep_default_params();
  p.n_points = n;
  p.result_size = sizeof(nf_res);
  p.workers = c->workers < 1 ? 1 : c->workers;
  p.skip = skip;
  p.progress_label = "native-fidelity runs";
  p.quiet = c->quiet;
  cal_sweep_stats stats;
  int rc = found == n ? TK_OK
                      : cal_sweep_run(&p, point, done, &ud, &stats, err);
  if (ud.log != NULL)
    fclose(ud.log);
  free(skip);
  return rc;
}

/* The pbit core's noiseless trip point at each temperature (ngspice):
 * bisection on the output's final state after 0.5 us. */
int nf__trip_points(const expt_ctx *c, const double *temp_K, double *trip,
                    tk_err *err)
{
  const ckt_cell_info *ci = ckt_cell_find("pbit");
  double lo[NF_NT], hi[NF_NT];
  nf_job jobs[NF_NT];
  nf_res res[NF_NT];
  for (size_t i = 0; i < NF_NT; i++) { lo[i] = 0.12; hi[i] = 0.26; }
  for (int s = 0; s < 14; s++) {   /* 0.14 V / 2^14: 9 uV */
    memset(jobs, 0, sizeof jobs);
    for (size_t i = 0; i < NF_NT; i++) {
      jobs[i].ci = ci;
      jobs[i].vctl_V[0] = 0.5 * (lo[i] + hi[i]);
      jobs[i].temp_K = temp_K[i];
      jobs[i].tstop_s = 0.5e-6;
      jobs[i].noise_off = 1;
    }
    TK_TRY(nf__run_jobs(c, jobs, NF_NT, res, err));
    for (size_t i = 0; i < NF_NT; i++) {
      if (res[i].last_state > 0.5) hi[i] = jobs[i].vctl_V[0];
      else lo[i] = jobs[i].vctl_V[0];
    }
  }
  for (size_t i = 0; i < NF_NT; i++)
    trip[i] = 0.5 * (lo[i] + hi[i]);
  return TK_OK;
}

/* The controls of each temperature from a native pilot of the pbit: a
 * grid around the noiseless trip point, P(1) made monotone (running
 * maximum), and the controls where it crosses NF_P_LO, 1/2, NF_P_HI
 * (linear between grid points).  *tau_s: the pilot's pooled flip-rate
 * tau over the grid points with 0.1 <= P(1) <= 0.9. */
int nf__pilot(const expt_ctx *c, const double *temp_K, const double *trip,
              double ctl[NF_NT][NF_NV], double *tau_s, tk_err *err)
{
  const ckt_cell_info *ci = ckt_cell_find("pbit");
  nf_job jobs[NF_NT * NF_NG];
  nf_res res[NF_NT * NF_NG];
  memset(jobs, 0, sizeof jobs);
  for (size_t i = 0; i < NF_NT; i++)
    for (size_t g = 0; g < NF_NG; g++) {
      nf_job *j = &jobs[i * NF_NG + g];
      j->ci = ci;
      j->vctl_V[0] = trip[i] + NF_GRID_STEP_V * ((double)g - NF_NG / 4) *
                                   temp_K[i] / PHYS_TNOM_K;
      j->temp_K = temp_K[i];
      /* cold: tau ~10 us, a longer pilot (with the cold slot) */
      j->tstop_s = temp_K[i] < NF_COLD_K ? NF_COLD_PILOT_S : NF_PILOT_S;
      j->nt_s = nf_slot_s(temp_K[i]);
      j->seed = cal_sweep_point_seed(c->seed + 77, i * NF_NG + g);
      j->native = 1;
    }
  TK_TRY(nf__run_jobs(c, jobs, NF_NT * NF_NG, res, err));
  static const double target[NF_NV] = {NF_P_LO, 0.5, NF_P_HI};
  for (size_t i = 0; i < NF_NT; i++) {
    double pm[NF_NG], num = 0, fl = 0;
    for (size_t g = 0; g < NF_NG; g++) {
      const nf_res *x = &res[i * NF_NG + g];
      pm[g] = g ? fmax(pm[g - 1], x->p[1]) : x->p[1];
      if (x->p[1] >= 0.1 && x->p[1] <= 0.9 && x->flips > 0) {
        num += 2 * x->p[0] * x->p[1] * x->duration_s;
        fl += x->flips;
      }
    }
    tau_s[i] = fl > 0 ? num / fl : NAN;
    for (size_t k = 0; k < NF_NV; k++) {
      const double *v0 = &jobs[i * NF_NG].vctl_V[0];
      double v = NAN;
      for (size_t g = 1; g < NF_NG && isnan(v); g++)
        if (pm[g] >= target[k] && pm[g - 1] < target[k]) {
          double a = jobs[i * NF_NG + g - 1].vctl_V[0];
          double b = jobs[i * NF_NG + g].vctl_V[0];
          v = a + (b - a) * (target[k] - pm[g - 1]) / (pm[g] - pm[g - 1]);
        }
      if (isnan(v))
        return TK_FAIL(err, TK_ENUMERIC, "native-fidelity: the pilot at %.0f "
                       "C never crosses P(1) = %.2f over %.4f..%.4f V",
                       temp_K[i] - PHYS_T0_K, target[k], v0[0],
                       jobs[i * NF_NG + NF_NG - 1].vctl_V[0]);
      ctl[i][k] = v;
    }
  }
  return TK_OK;
}

int nf__slot_check(const expt_ctx *c, double temp_K, const double *ctl,
                   double tstop_s, size_t nseed, nf_slot *out, tk_err *err)
{
  memset(out, 0, sizeof *out);
  const ckt_cell_info *ci = ckt_cell_find("pbit");
  size_t n = 2 * NF_NV * nseed;
  if (ci == NULL || nseed < 2)
    return TK_FAIL(err, TK_EINVAL, "native-fidelity: slot check needs the "
                   "pbit and 2+ seeds");
  nf_job *jobs = calloc(n, sizeof *jobs);
  nf_res *res = calloc(n, sizeof *res);
  if (jobs == NULL || res == NULL) {
    free(jobs);
    free(res);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  /* job (slot, control, seed): slot 0 the cold one, 1 the cell's own;
   * both slots of a control and seed share the seed */
  for (size_t sl = 0; sl < 2; sl++)
    for (size_t k = 0; k < NF_NV; k++)
      for (size_t q = 0; q < nseed; q++) {
        nf_job *j = &jobs[(sl * NF_NV + k) * nseed + q];
        j->ci = ci;
        j->vctl_V[0] = ctl[k];
        j->temp_K = temp_K;
        j->tstop_s = tstop_s;
        j->seed = cal_sweep_point_seed(c->seed + 313, k * nseed + q);
        j->native = 1;
        j->nt_s = sl == 0 ? NF_COLD_SLOT_S : 0.0;
      }
  int rc = nf__run_jobs(c, jobs, n, res, err);
  for (size_t sl = 0; sl < 2 && rc == 0; sl++) {
    double num = 0, fl = 0;
    for (size_t k = 0; k < NF_NV; k++) {
      double m = 0, m2 = 0;
      for (size_t q = 0; q < nseed; q++) {
        const nf_res *x = &res[(sl * NF_NV + k) * nseed + q];
        m += x->p[1];
        m2 += x->p[1] * x->p[1];
        num += 2 * x->p[0] * x->p[1] * x->duration_s;
        fl += x->flips;
      }
      m /= (double)nseed;
      double var = (m2 / (double)nseed - m * m) * (double)nseed /
                   (double)(nseed - 1);
      double e = sqrt(fmax(var, 0) / (double)nseed);
      if (sl == 0) { out->p_cold[k] = m; out->err_cold[k] = e; }
      else { out->p_own[k] = m; out->err_own[k] = e; }
    }
    double tau = fl > 0 ? num / fl : NAN;
    if (sl == 0) { out->tau_cold_s = tau; out->flips_cold = fl; }
    else { out->tau_own_s = tau; out->flips_own = fl; }
  }
  free(jobs);
  free(res);
  return rc;
}
