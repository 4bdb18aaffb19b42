/* expt_native_fidelity_pool.c -- the native-fidelity experiment's
 * adaptive records: each row's records pooled per engine (occupancies
 * and flips over all of them, the tenths of every record as batches),
 * the statistics the table takes from the pools (tau, the compared
 * state, the paired errors), and the rounds of further records for rows
 * not yet measured to a third of the limits (expt_native_fidelity.c has
 * the method in its file comment).
 *
 * Workload: bookkeeping over at most 27 rows x 16 records; the engine
 * runs it asks for (nf__run_jobs) are what takes the time.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_sweep.h"
#include "experiments/expt_native_fidelity_impl.h"

/* Add record x (same length as the pool's others) to pool q. */
void nf__pool_add(nf_pool *q, const nf_res *x)
{
  if (q->nrec >= NF_MAXREC)
    return;
  double w = q->duration_s / (q->duration_s + x->duration_s);
  for (int k = 0; k < NF_K; k++)
    q->p[k] = w * q->p[k] + (1 - w) * x->p[k];
  for (size_t bi = 0; bi < NF_NB; bi++) {
    memcpy(q->pb[q->nb + bi], x->pb[bi], sizeof q->pb[0]);
    q->fb[q->nb + bi] = x->fb[bi];
  }
  q->nb += NF_NB;
  q->nrec++;
  q->flips += x->flips;
  q->duration_s += x->duration_s;
  q->wall_s += x->wall_s;
}

/* tau from the pooled flips: (1 - sum p^2) T / flips. */
double nf__tau(const nf_pool *a, double *flips)
{
  double s2 = 0;
  for (int k = 0; k < NF_K; k++)
    s2 += a->p[k] * a->p[k];
  *flips = a->flips;
  return a->flips > 0 ? (1 - s2) * a->duration_s / a->flips : NAN;
}

double nf__group_tau(const nf_pool *pool, size_t ic, size_t it, int e,
                     double *flips)
{
  double num = 0, fl = 0;
  for (size_t iv = 0; iv < NF_NV; iv++) {
    const nf_pool *x = &pool[2 * ((ic * NF_NT + it) * NF_NV + iv) + (size_t)e];
    double s2 = 0;
    for (int k = 0; k < NF_K; k++) s2 += x->p[k] * x->p[k];
    num += (1 - s2) * x->duration_s;
    fl += x->flips;
  }
  if (flips != NULL)
    *flips = fl;
  return fl > 0 ? num / fl : NAN;
}

/* The state of a row compared: the one with the largest |P_b - P_a|
 * among its nk states (the most occupied one if none differs); *dp the
 * difference. */
int nf__row_state(const nf_pool *a, const nf_pool *b, int nk, double *dp)
{
  int ks = 0;
  *dp = b->p[0] - a->p[0];
  for (int k = 1; k < nk; k++) {
    double d = b->p[k] - a->p[k];
    if (fabs(d) > fabs(*dp)) {
      *dp = d;
      ks = k;
    }
  }
  if (*dp == 0)
    for (int k = 1; k < nk; k++)
      if (a->p[k] > a->p[ks]) ks = k;
  return ks;
}

/* Paired errors (common random numbers): both engines integrate the same
 * noise path, so their states stay locked for long stretches and the
 * difference of a tenth's occupancy of state ks (and flip count) varies
 * far less between tenths than either record does.  Batch means of the
 * difference over the batches (tenths of every record) into *sp (dP) and
 * *stau (dtau/tau; tau ~ 1 / flips, the occupancy factor's change being
 * second order), the latter at least one flip's resolution, (1 + dtau) /
 * flips (equal flip counts in every tenth give a scatter of zero, not an
 * exact tau).  Returns 0 with both NaN unless both engines flip at least
 * twice per batch on average (a tenth without flips says nothing about
 * a rate). */
int nf__paired_errors(const nf_pool *a, const nf_pool *b, int ks,
                      double dtau, double *sp, double *stau)
{
  *sp = *stau = NAN;
  const size_t nb = a->nb;
  if (nb < 2 || b->nb != nb ||
      !(a->flips >= 2.0 * (double)nb && b->flips >= 2.0 * (double)nb))
    return 0;
  double md = 0, mf = 0, vd = 0, vf = 0;
  for (size_t bi = 0; bi < nb; bi++) {
    md += (b->pb[bi][ks] - a->pb[bi][ks]) / (double)nb;
    mf += (b->fb[bi] - a->fb[bi]) / (double)nb;
  }
  for (size_t bi = 0; bi < nb; bi++) {
    vd += pow(b->pb[bi][ks] - a->pb[bi][ks] - md, 2) / (double)(nb - 1);
    vf += pow(b->fb[bi] - a->fb[bi] - mf, 2) / (double)(nb - 1);
  }
  *sp = sqrt(vd / (double)nb);
  *stau = (1 + dtau) * fmax(sqrt((double)nb * vf), 1.0) / a->flips;
  return 1;
}

/* Records a row should have in all, from its pooled errors (0: none
 * more): errors fall as 1 / sqrt(records), so (error / target)^2 with a
 * margin; a row without paired errors (too few flips per tenth) doubles.
 * At most max_rec. */
static size_t records_wanted(const nf_pool *a, const nf_pool *b, int nk,
                             size_t max_rec)
{
  double dp, fa, fb;
  int ks = nf__row_state(a, b, nk, &dp);
  double ta = nf__tau(a, &fa), tb = nf__tau(b, &fb);
  double dtau = (isfinite(ta) && isfinite(tb)) ? tb / ta - 1 : 0;
  double sp, stau;
  double f;
  if (nf__paired_errors(a, b, ks, dtau, &sp, &stau)) {
    if (sp < NF_DP_LIM / 3 && stau < NF_DTAU_LIM / 3)
      return 0;
    f = NF_EXT_MARGIN * fmax(pow(sp / (NF_DP_LIM / 3), 2),
                             pow(stau / (NF_DTAU_LIM / 3), 2));
  } else {
    f = 2;
  }
  double want = ceil((double)a->nrec * f);
  if (want < (double)a->nrec + 1) want = (double)a->nrec + 1;
  return want > (double)max_rec ? max_rec : (size_t)want;
}

/* The further records of wanted[row] rows: their count, and their
 * ngspice time estimated from each row's first record. */
static double tally(const size_t *want, const nf_res *res, size_t nrow,
                    size_t *nx, size_t *nxrow)
{
  double est_s = 0;
  *nx = *nxrow = 0;
  for (size_t row = 0; row < nrow; row++) {
    *nx += want[row];
    *nxrow += want[row] > 0;
    est_s += (double)want[row] * res[2 * row].wall_s;
  }
  return est_s;
}

int nf__extend(const expt_ctx *c, const size_t *cells, size_t nrow,
               size_t max_rec, const nf_job *jobs, const nf_res *res,
               nf_pool *pool, size_t *ext_rows, size_t *ext_records,
               tk_err *err)
{
  int rc = 0;
  for (size_t j = 0; j < 2 * nrow; j++)
    nf__pool_add(&pool[j], &res[j]);
  *ext_rows = *ext_records = 0;
  /* their budget: NF_EXT_BUDGET times the first records' ngspice time
   * (estimated from each row's first record) */
  double budget_s = 0, spent_s = 0;
  for (size_t row = 0; row < nrow; row++)
    budget_s += NF_EXT_BUDGET * res[2 * row].wall_s;
  /* extension jobs longest first (ngspice's wall time of the first
   * record: the -40 C cat4 rows take ~7 min per ms), for the workers */
  size_t order[NF_NC * NF_NT * NF_NV];
  for (size_t k = 0; k < nrow; k++) {
    size_t m = k;
    while (m > 0 && res[2 * order[m - 1]].wall_s < res[2 * k].wall_s) {
      order[m] = order[m - 1];
      m--;
    }
    order[m] = k;
  }
  for (int round = 1; rc == 0 && round <= (c->quick ? 1 : NF_EXT_ROUNDS);
       round++) {
    size_t want[NF_NC * NF_NT * NF_NV], nx, nxrow;
    for (size_t row = 0; row < nrow; row++) {
      int nk = cells[row / (NF_NT * NF_NV)] == 1 ? NF_K : 2;
      size_t w = records_wanted(&pool[2 * row], &pool[2 * row + 1], nk,
                                max_rec);
      want[row] = w > pool[2 * row].nrec ? w - pool[2 * row].nrec : 0;
    }
    double est_s = tally(want, res, nrow, &nx, &nxrow);
    /* within the budget: every row's share scaled down alike */
    if (est_s > budget_s - spent_s) {
      double f = est_s > 0 ? fmax(budget_s - spent_s, 0) / est_s : 0;
      for (size_t row = 0; row < nrow; row++)
        want[row] = (size_t)floor((double)want[row] * f);
      est_s = tally(want, res, nrow, &nx, &nxrow);
      if (!c->quiet)
        fprintf(stderr, "native-fidelity: adaptive records limited by the "
                "budget (%.0f s of ngspice)\n", budget_s);
    }
    if (nx == 0)
      break;
    spent_s += est_s;
    nf_job *xj = calloc(2 * nx, sizeof *xj);
    nf_res *xr = calloc(2 * nx, sizeof *xr);
    if (xj == NULL || xr == NULL) {
      free(xj);
      free(xr);
      return TK_FAIL(err, TK_ENOMEM, "out of memory");
    }
    size_t n = 0;
    for (size_t k = 0; k < nrow; k++) {
      const size_t row = order[k];
      for (size_t m = 0; m < want[row]; m++, n++) {
        /* record rec >= 1 of the row: its own seed (record 0's is row's) */
        size_t rec = pool[2 * row].nrec + m;
        for (int e = 0; e < 2; e++) {
          xj[2 * n + (size_t)e] = jobs[2 * row + (size_t)e];
          xj[2 * n + (size_t)e].seed = cal_sweep_point_seed(
              c->seed + 151, rec * NF_NC * NF_NT * NF_NV + row);
        }
      }
    }
    for (size_t row = 0; row < nrow; row++)
      *ext_rows += want[row] > 0 && pool[2 * row].nrec == 1;
    *ext_records += nx;
    if (!c->quiet)
      fprintf(stderr, "native-fidelity: adaptive records, round %d: %zu more "
              "records on %zu rows (~%.0f s of ngspice)\n", round, nx,
              nxrow, est_s);
    rc = nf__run_jobs(c, xj, 2 * nx, xr, err);
    /* into the pools, in the order the jobs were made */
    n = 0;
    for (size_t k = 0; rc == 0 && k < nrow; k++)
      for (size_t m = 0; m < want[order[k]]; m++, n++)
        for (int e = 0; e < 2; e++)
          nf__pool_add(&pool[2 * order[k] + (size_t)e], &xr[2 * n + (size_t)e]);
    free(xj);
    free(xr);
  }
  return rc;
}
