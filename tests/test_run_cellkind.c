/* test_run_cellkind.c -- the cell-kind table (circuits/cells/ckt_cellkind)
 * and the per-kind measurement table (run/run_cellmeasure).
 *
 * Properties, no simulation: every shipped cell's kind name is the
 * table's; names round-trip; the digitised states of a synthetic trace
 * agree with the figures ckt_measure computes from the same trace (P(1)
 * and flips of a pbit, occupancies and flips of a categorical cell), so
 * the two users of the table (trace, experiments) see one digitiser.
 * Synthetic traces: a telegraph signal between 0.02 and 0.38 V (VDD
 * 0.4 V) with a fixed-seed uniform noise of +-0.09 V, which crosses the
 * 0.12 / 0.28 V thresholds only on real switches.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/cells/ckt_cellkind.h"
#include "circuits/cells/ckt_cells.h"
#include "common/tk_rng.h"
#include "run/run_cellmeasure.h"
#include "tk_test.h"

#define NS 20000
#define VDD 0.4

/* Telegraph state sequence with switch probability q per sample. */
static void telegraph(uint64_t seed, unsigned K, double q, uint8_t *s)
{
  s[0] = 0;
  for (size_t k = 1; k < NS; k++) {
    s[k] = s[k - 1];
    if (tk_rng_uniform_at(seed, 1, k) < q)
      s[k] = (uint8_t)((s[k] + 1 + (unsigned)(tk_rng_uniform_at(seed, 2, k) *
                                               (K - 1))) % K);
  }
}

static double noisy(uint64_t seed, uint64_t stream, size_t k, int high)
{
  return (high ? 0.38 : 0.02) + 0.18 * (tk_rng_uniform_at(seed, stream, k) - 0.5);
}

int main(void)
{
  tk_err err = {0};
  /* the kind table */
  for (int k = 0; k < CKT_CELL_N_KINDS; k++) {
    const ckt_cellkind_info *ki = ckt_cellkind_get((ckt_cellkind)k);
    ckt_cellkind back = CKT_CELL_N_KINDS;
    TKT_OK(ki != NULL && ki->kind == (ckt_cellkind)k &&
           ckt_cellkind_from_name(ki->name, &back, &err) == 0 &&
           back == (ckt_cellkind)k && ki->n_states >= 2,
           "kind %d: row, name '%s' round-trips", k, ki ? ki->name : "?");
    const run_cellkind_measure *m = run_cellkind_measure_get((ckt_cellkind)k);
    TKT_OK(m != NULL && m->kind == (ckt_cellkind)k && m->figures != NULL &&
           (m->states == NULL) == (ki != NULL && ki->continuous),
           "kind %d: measurement row (states unless continuous)", k);
  }
  ckt_cellkind dummy;
  TKT_OK(ckt_cellkind_from_name("cat4", &dummy, &err) == TK_EINVAL &&
         strstr(tk_err_text(&err), "categorical") != NULL,
         "a cell name is not a kind name (EINVAL, message lists the kinds)");
  TKT_OK(ckt_cellkind_get(CKT_CELL_N_KINDS) == NULL &&
         run_cellkind_measure_get(CKT_CELL_N_KINDS) == NULL &&
         strcmp(ckt_cellkind_name(CKT_CELL_N_KINDS), "?") == 0,
         "outside the enum: NULL rows, name '?'");
  for (size_t i = 0; i < ckt_cell_count(); i++) {
    const ckt_cell_info *ci = ckt_cell_at(i);
    TKT_OK(ckt_cellkind_get(ci->cellkind) != NULL,
           "cell %s: its kind %d is a row of the table", ci->name,
           (int)ci->cellkind);
  }

  /* pbit: states vs ckt_measure_pbit's P(1) and flips */
  uint8_t *truth = malloc(NS), *st = malloc(NS);
  double *v = malloc(NS * sizeof *v);
  telegraph(0x51ce, 2, 0.003, truth);
  size_t true_flips = 0;
  for (size_t k = 0; k < NS; k++) {
    v[k] = noisy(0x51ce, 3, k, truth[k]);
    true_flips += k > 0 && truth[k] != truth[k - 1];
  }
  run_cell_lines l = {{v}, 1, NS, 1e-9, VDD};
  const run_cellkind_measure *pm = run_cellkind_measure_get(CKT_CELL_PBIT);
  io_trace_figs f;
  memset(&f, 0, sizeof f);
  double vctl[2] = {0.186, 0.3};
  int rc = pm->figures(&l, vctl, 1e-15, &f, &err);
  pm->states(&l, st);
  size_t ones = 0, flips = 0, wrong = 0;
  for (size_t k = 0; k < NS; k++) {
    ones += st[k];
    flips += k > 0 && st[k] != st[k - 1];
    wrong += st[k] != truth[k];
  }
  TKT_OK(rc == 0 && f.kind == CKT_CELL_PBIT, "pbit figures");
  TKT_OK(wrong == 0 && flips == true_flips && flips > 20,
         "pbit states recover the telegraph (%zu wrong, %zu/%zu flips)",
         wrong, flips, true_flips);
  TKT_OK(f.pbit.flips == flips && f.pbit.p1 == (double)ones / NS,
         "pbit: figures' flips %zu and P(1) %g from the same digitiser "
         "(%zu, %g)", f.pbit.flips, f.pbit.p1, flips, (double)ones / NS);

  /* categorical: four one-hot lines, line 0 high at sample 0 */
  double *lines = malloc(4 * NS * sizeof *lines);
  telegraph(0xca74, 4, 0.002, truth);
  for (unsigned q = 0; q < 4; q++)
    for (size_t k = 0; k < NS; k++)
      lines[q * NS + k] = noisy(0xca74, 10 + q, k, truth[k] == q);
  run_cell_lines lc = {{lines, lines + NS, lines + 2 * NS, lines + 3 * NS},
                       4, NS, 1e-9, VDD};
  const run_cellkind_measure *cm =
      run_cellkind_measure_get(CKT_CELL_CATEGORICAL);
  memset(&f, 0, sizeof f);
  rc = cm->figures(&lc, vctl, 1e-15, &f, &err);
  cm->states(&lc, st);
  size_t cnt[4] = {0, 0, 0, 0};
  flips = wrong = 0;
  for (size_t k = 0; k < NS; k++) {
    cnt[st[k]]++;
    flips += k > 0 && st[k] != st[k - 1];
    wrong += st[k] != truth[k];
  }
  TKT_OK(rc == 0 && wrong == 0 && f.cat.flips == flips && flips > 20,
         "categorical: states recover the chain, %zu flips as the figures "
         "(%zu)", flips, f.cat.flips);
  int same = 1;
  for (int q = 0; q < 4; q++)
    same &= f.cat.p[q] == (double)cnt[q] / NS;
  TKT_OK(same, "categorical: occupancies from the same digitiser");

  /* gmm: continuous, modes split at half the second control */
  const run_cellkind_measure *gm = run_cellkind_measure_get(CKT_CELL_GMM);
  memset(&f, 0, sizeof f);
  rc = gm->figures(&l, vctl, 0, &f, &err);
  TKT_OK(rc == 0 && f.kind == CKT_CELL_GMM &&
         fabs(f.gmm.w0 - (1.0 - (double)ones / NS)) < 1e-12,
         "gmm: weight of the lower mode %g (split at vsep/2 = 0.15 V)",
         f.gmm.w0);

  /* lines from a trace by the cell's output names */
  const ckt_cell_info *cat4 = ckt_cell_find("cat4");
  char names[5][PHYS_NAME_MAX] = {"x", "p0out", "y1", "y2", "y3"};
  double *vv = calloc(5 * NS, sizeof *vv);
  memcpy(vv + NS, lines, 4 * NS * sizeof *vv);
  ckt_trace tr;
  memset(&tr, 0, sizeof tr);
  tr.n = NS;
  tr.dt_s = 1e-9;
  tr.n_nodes = 5;
  tr.names = names;
  tr.v_V = vv;
  run_cell_lines got;
  rc = run_cell_lines_get(cat4, &tr, VDD, &got, &err);
  TKT_OK(rc == 0 && got.n_lines == 4 && got.v_V[0] == vv + NS &&
         got.v_V[3] == vv + 4 * NS && got.n == NS,
         "cat4: its four output lines found by name, in order");
  tr.n_nodes = 3;
  TKT_OK(run_cell_lines_get(cat4, &tr, VDD, &got, &err) == TK_EINTERNAL,
         "a missing output node is an error");
  free(vv);
  free(lines);
  free(truth);
  free(st);
  free(v);
  return tkt_done();
}
