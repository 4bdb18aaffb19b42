/* test_tsu_moments.c -- the one batch-means module (tsu/tsu_moments.h)
 * and the one runner shape (tsu/tsu_run.h).
 *
 * Known answers: hand-filled counts and sums give the batch means and
 * standard errors computed here by the textbook formula; sweeps past the
 * planned ones are ignored.  Spins: bit-packed states of 70 chains (two
 * groups, the second partly filled) against a plain loop over chains.
 * Runners: tsu_run_potts / tsu_run_gauss give bit-identical moments to
 * the chains run by hand (burn-in, then recorded sweeps into moments),
 * so the runner adds nothing random; the spin runner's flip activity
 * equals the fraction of changed states counted by a reference loop.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/tk_rng.h"
#include "tk_test.h"
#include "tsu/tsu_cell.h"
#include "tsu/tsu_color.h"
#include "tsu/tsu_fast.h"
#include "tsu/tsu_gauss.h"
#include "tsu/tsu_moments.h"
#include "tsu/tsu_potts.h"
#include "tsu/tsu_run.h"

/* mean and se of x[b] over nb batches (textbook batch means) */
static void ref_batch(const double *x, int nb, double *mean, double *se)
{
  double m = 0, v = 0;
  for (int b = 0; b < nb; b++)
    m += x[b];
  m /= nb;
  for (int b = 0; b < nb; b++)
    v += (x[b] - m) * (x[b] - m);
  v /= nb - 1;
  *mean = m;
  *se = sqrt(v / nb);
}

int main(void)
{
  tk_err err = {0};
  /* counts: 3 nodes x 2 columns + 2 edges, 4 batches of 2 sweeps, 5 chains */
  tsu_moments *m = NULL;
  int rc = tsu_moments_alloc(3, 2, 2, TSU_MOM_COUNT, 5, 9, 4, &m, &err);
  TKT_OK(rc == 0 && m->per_batch == 2 && m->n_obs == 8 && m->count != NULL &&
         m->sum == NULL, "alloc: 9 sweeps in 4 batches -> 2 per batch");
  double val[8][4];
  for (int t = 0; t < 9; t++) {
    int64_t *c = tsu_moments_batch_count(m);
    if (t == 8) {
      TKT_OK(c == NULL, "sweep 9 of 9: past the batches, ignored");
      break;
    }
    for (int o = 0; o < 8; o++)
      c[o] += (int64_t)(tk_rng_uniform_at(7, (uint64_t)o, (uint64_t)t) * 6);
    tsu_moments_next(m);
  }
  for (int o = 0; o < 8; o++)
    for (int b = 0; b < 4; b++)
      val[o][b] = (double)m->count[b * 8 + o] / (2.0 * 5);
  double mean[6], mse[6], corr[2], cse[2], worst = 0;
  tsu_moments_result(m, mean, mse, corr, cse);
  for (int o = 0; o < 8; o++) {
    double x[4] = {val[o][0], val[o][1], val[o][2], val[o][3]}, rm, rs;
    ref_batch(x, 4, &rm, &rs);
    double gm = o < 6 ? mean[o] : corr[o - 6], gs = o < 6 ? mse[o] : cse[o - 6];
    worst = fmax(worst, fmax(fabs(gm - rm), fabs(gs - rs)));
  }
  TKT_OK(worst < 1e-12, "counts: batch means and errors as the textbook "
         "(worst difference %g)", worst);
  tsu_moments_free(m);
  TKT_OK(tsu_moments_alloc(3, 1, 2, TSU_MOM_REAL, 5, 1, 2, &m, &err) == TK_ERANGE &&
         m == NULL, "fewer sweeps than batches: TK_ERANGE");
  TKT_OK(tsu_moments_alloc(3, 1, 2, TSU_MOM_REAL, 0, 10, 2, &m, &err) == TK_EINVAL,
         "no chains: TK_EINVAL");

  /* spins on a 4x4 G4 grid, 70 chains (groups of 64 + 6) */
  tsu_graph *g = NULL;
  tsu_coloring *col = NULL;
  rc = tsu_graph_grid(4, tsu_grid_name_jumps("G4"), 0, &g, &err);
  if (rc == 0)
    rc = tsu_coloring_build(g, &col, &err);
  TKT_OK(rc == 0, "G4 4x4 grid");
  if (rc != 0)
    return tkt_done();
  tsu_graph_random_model(g, 3, 1.0, 0.1);
  uint32_t C = 70, ng = 2, n = g->n, ne = g->n_edges;
  rc = tsu_moments_alloc(n, 1, ne, TSU_MOM_COUNT, C, 2, 2, &m, &err);
  uint64_t *bits = calloc((size_t)n * ng, sizeof *bits);
  double *ref = calloc(2 * (n + ne), sizeof *ref);
  for (int t = 0; t < 2 && rc == 0; t++) {
    for (uint32_t i = 0; i < n * ng; i++)
      bits[i] = ((uint64_t)(tk_rng_uniform_at(11, t, i) * 4294967296.0) << 32) ^
                (uint64_t)(tk_rng_uniform_at(12, t, i) * 4294967296.0);
    for (uint32_t c = 0; c < C; c++) {
      uint32_t gr = c / 64, b = c % 64;
      for (uint32_t i = 0; i < n; i++)
        ref[t * (n + ne) + i] += ((bits[i * ng + gr] >> b) & 1) ? 1 : -1;
      for (uint32_t e = 0; e < ne; e++) {
        int si = ((bits[g->ei[e] * ng + gr] >> b) & 1) ? 1 : -1;
        int sj = ((bits[g->ej[e] * ng + gr] >> b) & 1) ? 1 : -1;
        ref[t * (n + ne) + n + e] += si * sj;
      }
    }
    tsu_moments_add_spins(m, g, bits, ng);
  }
  double *mm = malloc((n + ne) * sizeof *mm);
  if (rc == 0)
    tsu_moments_result(m, mm, NULL, mm + n, NULL);
  worst = 0;
  for (uint32_t o = 0; rc == 0 && o < n + ne; o++)
    worst = fmax(worst, fabs(mm[o] - (ref[o] + ref[n + ne + o]) / (2.0 * C)));
  TKT_OK(rc == 0 && worst < 1e-12, "spins: <s_i>, <s_i s_j> of 70 chains as "
         "a loop over chains (worst %g)", worst);
  tsu_moments_free(m);
  free(bits);
  free(ref);
  free(mm);

  /* runners against the chains run by hand */
  tsu_run_params rp = tsu_run_default_params();
  rp.burn_in = 13;
  rp.sweeps = 47;     /* -> 40 recorded in 20 batches of 2 */
  rp.n_threads = 1;
  double *h = malloc((size_t)n * 3 * sizeof *h);
  tsu_potts_bias_from_graph(g, 3, h);
  tsu_potts pm = {g, 3, h, 0.7};
  tsu_potts_chains *pa = NULL, *pb = NULL;
  tsu_moments *mb = NULL;
  tsu_run_result res;
  memset(&res, 0, sizeof res);
  rc = tsu_potts_chains_alloc(&pm, col, 9, 5, &pa, &err);
  rc |= tsu_potts_chains_alloc(&pm, col, 9, 5, &pb, &err);
  rc |= tsu_run_potts(pa, &pm, 9, &rp, &res, &err);
  rc |= tsu_potts_moments_alloc(&pm, 9, 40, 20, &mb, &err);
  rc |= tsu_potts_chains_run(pb, 13, 1, NULL, &err);
  uint64_t ch0 = rc == 0 ? tsu_potts_chains_changes(pb) : 0;
  rc |= tsu_potts_chains_run(pb, 40, 1, mb, &err);
  TKT_OK(rc == 0 && res.recorded == 40 && res.updates == 16.0 * 9 * 40 &&
         memcmp(res.mom->count, mb->count, 20 * mb->n_obs * sizeof *mb->count) == 0 &&
         res.activity == (double)(tsu_potts_chains_changes(pb) - ch0) / res.updates,
         "potts runner: moments and activity bit-identical to the chains "
         "run by hand (%llu recorded)", (unsigned long long)res.recorded);
  tsu_run_result_clear(&res);
  tsu_moments_free(mb);
  tsu_potts_chains_free(pa);
  tsu_potts_chains_free(pb);
  free(h);

  double *a = malloc(n * sizeof *a);
  tsu_gauss_diag_dominant(g, 1.0, a);
  tsu_gauss gmod = {g, a, 1.3};
  tsu_gauss_chains *ga = NULL, *gb = NULL;
  mb = NULL;
  rc = tsu_gauss_chains_alloc(&gmod, col, 9, 5, &ga, &err);
  rc |= tsu_gauss_chains_alloc(&gmod, col, 9, 5, &gb, &err);
  rc |= tsu_run_gauss(ga, g, 9, &rp, &res, &err);
  rc |= tsu_gauss_moments_alloc(g, 9, 40, 20, &mb, &err);
  rc |= tsu_gauss_chains_run(gb, 13, 1, NULL, &err);
  rc |= tsu_gauss_chains_run(gb, 40, 1, mb, &err);
  TKT_OK(rc == 0 && res.activity == 1.0 &&
         memcmp(res.mom->sum, mb->sum, 20 * mb->n_obs * sizeof *mb->sum) == 0,
         "gauss runner: moments bit-identical to the chains run by hand");
  tsu_run_result_clear(&res);
  tsu_moments_free(mb);
  tsu_gauss_chains_free(ga);
  tsu_gauss_chains_free(gb);
  free(a);

  /* spin runner: activity against a reference count of changed spins */
  tsu_cell_params cp = tsu_cell_ideal_params(0.9);
  tsu_cells *cells = NULL;
  tsu_sampler *sa = NULL, *sb = NULL;
  rc = tsu_cells_build(&cp, n, &cells, &err);
  rc |= tsu_sampler_alloc(g, col, cells, C, 21, TSU_PATH_AUTO, &sa, &err);
  rc |= tsu_sampler_alloc(g, col, cells, C, 21, TSU_PATH_AUTO, &sb, &err);
  if (rc == 0)
    rc = tsu_run_spin(sa, g, C, &rp, &res, &err);
  double changed = 0;
  if (rc == 0) {
    tsu_sampler_run(sb, 13, 1);
    for (int t = 0; t < 40; t++) {
      int before[16 * 70];
      for (uint32_t c = 0; c < C; c++)
        for (uint32_t i = 0; i < n; i++)
          before[c * n + i] = tsu_sampler_spin(sb, c, i);
      tsu_sampler_run(sb, 1, 1);
      for (uint32_t c = 0; c < C; c++)
        for (uint32_t i = 0; i < n; i++)
          changed += before[c * n + i] != tsu_sampler_spin(sb, c, i);
    }
  }
  TKT_OK(rc == 0 && res.recorded == 40 && res.mom != NULL &&
         res.activity == changed / (16.0 * C * 40) && res.t_rec_s > 0,
         "spin runner: activity %g = changed spins / updates (%g)",
         res.activity, changed / (16.0 * C * 40));
  tsu_run_result_clear(&res);
  tsu_sampler_free(sa);
  tsu_sampler_free(sb);
  tsu_cells_free(cells);
  tsu_coloring_free(col);
  tsu_graph_free(g);
  return tkt_done();
}
