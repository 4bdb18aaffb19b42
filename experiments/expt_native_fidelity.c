/* expt_native_fidelity.c -- `native-fidelity`: the native engine
 * (circuits/ckt_native.h) against ngspice on the same cells, controls,
 * temperatures and noise seeds (issue 15, part 3).
 *
 * For each cell (pbit, cat4, gmm2), temperature (-40, 27, 125 C) and
 * three controls: both engines simulate the same record; the digitised
 * state gives P(state k) and the correlation time from the flip rate,
 * tau = (1 - sum_k p_k^2) T / flips (the K-state relation of
 * ckt_measure.h; 2 p0 p1 T / flips for two states).  States: the pbit's
 * and cat4's own digitisers (run/run_cellmeasure.h); gmm2's output y is
 * digitised with the pbit's hysteresis scaled to its separation: upper
 * mode once y >= 0.7 VSEP, lower once y <= 0.3 VSEP.
 *
 * Controls: at each temperature the pbit core's noiseless trip point
 * (ngspice, bisection of short deterministic runs, as `temperature`),
 * then a native pilot on a grid around it (12 points, 100 us each, 1 ms
 * at -40 C) finds the controls where P(1) crosses 0.2, 0.5 and 0.8
 * (choosing the controls is not part of the comparison: both engines
 * then run at the same ones); cat4 takes all four controls at those
 * values, gmm2 VCTL at them with VSEP 0.3 V.  Records: --quick 40 pilot
 * taus within 10..30 us; full 300 pilot taus within 100..300 us, up to 1
 * ms at -40 C (the environment may shorten both caps,
 * TSUKIT_NATIVE_FIDELITY_MAX_S; TSUKIT_NATIVE_FIDELITY_COLD_S sets the
 * -40 C record itself, for a supplementary run), and
 * restrict the cells, TSUKIT_NATIVE_FIDELITY_CELLS=pbit or cat4,gmm2 (a
 * comma list in the order pbit, cat4, gmm2), for a partial run; both are
 * recorded in /inputs).
 *
 * Noise slot.  At 27 and 125 C both engines run with the cells' own
 * slot (0.5 ns).  At -40 C the devices are ~10x slower (digitiser nodes
 * ~70 ns, noise node ~20 us) and the rows need ms records, so both run
 * with a 2 ns slot (the cells' output interval; white up to 250 MHz):
 * ngspice's steps, bounded by half a slot, are 4x fewer.  The slot
 * check measures what that changes: the native pbit at the three -40 C
 * controls, NF_SLOT_SEEDS records each at both slots (slot_check_* in
 * /summary, a note in the report).
 *
 * Statistical errors (printed and written per row): for an occupancy of
 * a state that relaxes with tau, var(p) ~ 2 p (1 - p) tau / T; the flip
 * count is ~Poisson, so tau has relative error 1 / sqrt(flips).  The
 * error of a difference is taken as that of independent records
 * (sqrt(s_a^2 + s_b^2)) -- conservative: both engines draw their noise
 * from the same counter streams, which correlates short records.  The
 * issue's limits are |dP| <= 0.02 and |d tau / tau| <= 10 %; a row's
 * error is "small enough" when below a third of those; record_needed_s
 * says how long a record would make it so.
 *
 * Paired errors (common random numbers).  Both engines draw their noise
 * from the same counter streams and integrate nearly the same SDE, so
 * their digitised states stay locked for long stretches (pbit, 27 C,
 * 0.186 V, 20 us: the two engines' states agree at 98.9 % of the
 * samples).  The difference's own scatter is then the right error: the
 * record is cut into NF_NB tenths, and the batch means of the tenths'
 * occupancy differences (and flip-count differences, for tau ~ 1/flips)
 * give "err dP paired" and "err dtau/tau paired" -- used only where both
 * engines flip at least twice per tenth on average (a tenth without
 * flips in either engine tells nothing about the rates), NaN elsewhere;
 * the tau error is at least one flip's resolution, (1 + dtau) / flips.
 * Example (pbit, 27 C, 0.1859 V, 100 us, seed 5): dP -0.0102, paired
 * error 0.0046 against 0.083 for independent records.
 *
 * Adaptive records.  A row whose paired errors are not both below a
 * third of the limits after its first record (or that has none: < 2
 * flips per tenth) gets further records of the same length with new
 * seeds (record m of row r: cal_sweep_point_seed(seed + 151, 27 m + r);
 * record 0 keeps the seed it always had), as many as (error / target)^2
 * x 1.2 says (errors fall as 1 / sqrt(records); twice as many where
 * unpaired), in up to NF_EXT_ROUNDS rounds, NF_MAXREC records per row at
 * most, the further records' ngspice time within NF_EXT_BUDGET times the
 * first records'.  A row's records are pooled: occupancies and flips
 * over all of them, the tenths of every record as the batches of the
 * paired errors (records are independent; tenths of one record are the
 * batches they always were).  --quick: one round, two records at most.
 *
 * Interruption.  Every finished engine run is appended to
 * OUT_DIR/native-fidelity.jobs; the same command run again with the same
 * binary takes the runs it finds there (stderr says how many) and runs
 * only the rest, so an interrupted hour loses at most the runs that were
 * in flight.  The file is removed once the result is written
 * (TSUKIT_NATIVE_FIDELITY_KEEP_JOBS=1 keeps it: the test suite's rerun).
 *
 * Checks of the run (fields of /summary, asserted in
 * tests/cli_native_fidelity.sh): max_dp (largest |P_native - P_ngspice|
 * over the rows' states), max_dp_flipping (the same over rows where both
 * engines flipped >= 10 times), max_dp_sigma (in units of the row's
 * error), tau ratios pooled per cell and temperature (tau_ratio_CELL_T).
 *
 * Workload: quick -- the pbit at three temperatures and three controls,
 * ~40 s of CPU in all (measured 38 s, a second record on 8 of its 9
 * rows); full -- three cells, ngspice 0.1-0.3 s of CPU per simulated us
 * of pbit (cat4 ~5x; -40 C with its 2 ns slot 0.06 s), ~3,500 s of
 * ngspice and 70 s of native worker time for the 27 rows' first
 * records, ~1,900 s more for the 30 further records 8 rows need (38 min
 * wall on 2 cores); the limits with independent-record errors
 * would need ~10^4 taus per row (record_needed_s), the paired errors
 * reach a third of them on every row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_sweep.h"
#include "circuits/cells/ckt_cells.h"
#include "experiments/expt.h"
#include "experiments/expt_impl.h"
#include "experiments/expt_native_fidelity_impl.h"
#include "io/io_plot.h"
#include "physics/phys_const.h"

/* A number from environment variable name (what: what it is, for the
 * message; whole: an integer): 0 unset (or empty), 1 set (*v), -1 (err
 * set, naming it and its value) when it is not a number in [lo, hi]. */
static int env_number(const char *name, double lo, double hi,
                      const char *what, int whole, double *v, tk_err *err)
{
  const char *e = getenv(name);
  if (e == NULL || *e == '\0')
    return 0;
  char *end = NULL;
  *v = strtod(e, &end);
  if (end == e || *end != '\0' || !(*v >= lo && *v <= hi) ||
      (whole && *v != floor(*v))) {
    TK_FAIL(err, TK_EINVAL, "%s='%s': %s, %g .. %g", name, e, what, lo, hi);
    return -1;
  }
  return 1;
}

/* The summary keys a full run writes: 25 named ones and a tau ratio per
 * cell and temperature (a full run once died at its last key, 38 min in,
 * when there were fewer slots than keys). */
#define NF_SUMMARY_KEYS (25 + NF_NC * NF_NT)
_Static_assert(NF_SUMMARY_KEYS <= EXPT_MAX_SUMMARY,
               "native-fidelity's summary does not fit expt_summary");

int expt__native_fidelity_run(expt_run *r, tk_err *err)
{
  const expt_ctx *c = r->ctx;
  /* the cells run, as indices of cell_names: all three (full), the pbit
   * (quick), or the comma list TSUKIT_NATIVE_FIDELITY_CELLS (full) */
  size_t cells[NF_NC] = {0, 1, 2}, ncell = c->quick ? 1 : NF_NC;
  const char *only = getenv("TSUKIT_NATIVE_FIDELITY_CELLS");
  double cells_code = 0;   /* the list as a number: digits 1..3 in order */
  if (!c->quick && only != NULL && *only != '\0') {
    ncell = 0;
    for (const char *p = only; *p != '\0';) {
      size_t len = strcspn(p, ","), k = 0;
      while (k < NF_NC && !(strlen(cell_names[k]) == len &&
                            strncmp(p, cell_names[k], len) == 0))
        k++;
      if (k == NF_NC || ncell == NF_NC || (ncell > 0 && k <= cells[ncell - 1]))
        return TK_FAIL(err, TK_EINVAL, "TSUKIT_NATIVE_FIDELITY_CELLS='%s': "
                       "a comma list of pbit, cat4, gmm2 in that order",
                       only);
      cells[ncell++] = k;
      p += len + (p[len] == ',');
    }
  }
  for (size_t i = 0; i < ncell; i++)
    cells_code = 10 * cells_code + (double)(cells[i] + 1);
  double taus_full = NF_FULL_TAUS, max_full = NF_FULL_MAX_S,
         max_cold = NF_COLD_MAX_S;
  /* a partial full run: the pbit only, and/or a shorter cap (both are
   * recorded in /inputs; REPORT.md states them) */
  static const char *const env_names[] = {"TSUKIT_NATIVE_FIDELITY_CELLS",
                                          "TSUKIT_NATIVE_FIDELITY_MAX_S",
                                          "TSUKIT_NATIVE_FIDELITY_COLD_S",
                                          "TSUKIT_NATIVE_FIDELITY_MAXREC"};
  if (c->quick)   /* the test suite's run takes none of them: say so */
    for (size_t i = 0; i < 4; i++)
      if (getenv(env_names[i]) != NULL && *getenv(env_names[i]) != '\0')
        fprintf(stderr, "native-fidelity: warning: --quick ignores %s\n",
                env_names[i]);
  double env_v;
  int have = c->quick ? 0 : env_number(env_names[1], 1e-6, 0.1, "a record in seconds", 0, &env_v, err);
  if (have < 0)
    return err != NULL ? err->status : TK_EINVAL;
  if (have) {
    max_full = fmin(NF_FULL_MAX_S, env_v);
    max_cold = fmin(NF_COLD_MAX_S, env_v);
  }
  /* a supplementary run: the -40 C records set (longer or shorter) */
  int cold_set = c->quick ? 0 : env_number(env_names[2], 1e-5, 0.1, "a record in seconds", 0, &env_v, err);
  if (cold_set < 0)
    return err != NULL ? err->status : TK_EINVAL;
  if (cold_set)
    max_cold = env_v;
  /* adaptive records: at most this many per row (1: the first only) */
  size_t max_rec = c->quick ? 2 : NF_MAXREC;
  int rec_set = c->quick ? 0 : env_number(env_names[3], 1, NF_MAXREC,
                                          "a whole number of records", 1,
                                          &env_v, err);
  if (rec_set < 0)
    return err != NULL ? err->status : TK_EINVAL;
  if (rec_set)
    max_rec = (size_t)env_v;
  TK_TRY(expt_input(r, "run_time_quick_s", NF_QUICK_S, "s", "ours: simulated time per run and engine (--quick)", err));
  TK_TRY(expt_input(r, "run_taus_full", NF_FULL_TAUS, "1", "ours: simulated time per run in the pilot's tau (full run)", err));
  TK_TRY(expt_input(r, "run_time_full_max_s", max_full, "s", "ours: cap on the full run's record (300 us; less when TSUKIT_NATIVE_FIDELITY_MAX_S says so)", err));
  TK_TRY(expt_input(r, "run_time_cold_max_s", max_cold, "s", "ours: the same cap below 0 C (1 ms; less when TSUKIT_NATIVE_FIDELITY_MAX_S says so; TSUKIT_NATIVE_FIDELITY_COLD_S: the -40 C record itself)", err));
  TK_TRY(expt_input(r, "noise_slot_cold_s", NF_COLD_SLOT_S, "s", "ours: both engines' noise slot below 0 C (the cells' own, 0.5 ns, above)", err));
  TK_TRY(expt_input(r, "pilot_time_cold_s", NF_COLD_PILOT_S, "s", "ours: native pilot record per grid point below 0 C", err));
  TK_TRY(expt_input(r, "cells_run", (double)ncell, "1", "ours: cells run, in the order pbit, cat4, gmm2 (fewer when TSUKIT_NATIVE_FIDELITY_CELLS lists some)", err));
  TK_TRY(expt_input(r, "cells_list", cells_code, "1", "ours: which cells, one digit each: 1 pbit, 2 cat4, 3 gmm2 (123: all)", err));
  TK_TRY(expt_input(r, "records_max", (double)max_rec, "1", "ours: most records per row (adaptive records: a row not measured to a third of both limits gets more, new seeds, same length; 2 with --quick, 16 else, fewer when TSUKIT_NATIVE_FIDELITY_MAXREC says so)", err));
  TK_TRY(expt_input(r, "records_budget", NF_EXT_BUDGET, "1", "ours: the further records' ngspice time at most this times the first records'", err));
  TK_TRY(expt_input(r, "pilot_time_s", NF_PILOT_S, "s", "ours: native pilot record per grid point", err));
  TK_TRY(expt_input(r, "gmm2_vsep_V", NF_VSEP_V, "V", "ours: gmm2's separation control", err));
  TK_TRY(expt_input(r, "dp_limit", NF_DP_LIM, "1", "issue 15: |P_native - P_ngspice|", err));
  TK_TRY(expt_input(r, "dtau_limit", NF_DTAU_LIM, "1", "issue 15: |tau_native / tau_ngspice - 1|", err));
  double temp_K[NF_NT], trip[NF_NT];
  for (size_t i = 0; i < NF_NT; i++)
    temp_K[i] = temps_C[i] + PHYS_T0_K;
  double ctl[NF_NT][NF_NV], tau_pilot[NF_NT], tstop[NF_NT];
  TK_TRY(nf__trip_points(c, temp_K, trip, err));
  TK_TRY(nf__pilot(c, temp_K, trip, ctl, tau_pilot, err));
  for (size_t i = 0; i < NF_NT; i++) {
    /* quick: 40 pilot taus within 10..30 us */
    tstop[i] = isfinite(tau_pilot[i]) ? fmin(NF_QUICK_S, fmax(10e-6, 40 * tau_pilot[i])) : NF_QUICK_S;
    double cap_i = temp_K[i] < NF_COLD_K ? max_cold : max_full;
    if (!c->quick)
      tstop[i] = fmin(cap_i, fmax(NF_FULL_MIN_S, taus_full * (isfinite(tau_pilot[i]) ? tau_pilot[i] : cap_i)));
    if (!c->quick && cold_set && temp_K[i] < NF_COLD_K)
      tstop[i] = max_cold;
    if (!c->quiet)
      fprintf(stderr, "native-fidelity: %.0f C: trip point %.4f V, controls "
              "%.4f %.4f %.4f V (native pilot), pilot tau %.3g us, record "
              "%.3g us\n", temps_C[i], trip[i], ctl[i][0], ctl[i][1],
              ctl[i][2], tau_pilot[i] * 1e6, tstop[i] * 1e6);
  }
  size_t nrow = ncell * NF_NT * NF_NV, nj = 2 * nrow;
  nf_job *jobs = calloc(nj, sizeof *jobs);
  nf_res *res = calloc(nj, sizeof *res);
  if (jobs == NULL || res == NULL) {
    free(jobs);
    free(res);
    return TK_FAIL(err, TK_ENOMEM, "out of memory");
  }
  int rc = 0;
  for (size_t ic = 0; ic < ncell && rc == 0; ic++) {
    const ckt_cell_info *ci = ckt_cell_find(cell_names[cells[ic]]);
    if (ci == NULL) {
      rc = TK_FAIL(err, TK_ENOTFOUND, "no %s cell", cell_names[cells[ic]]);
      break;
    }
    for (size_t it = 0; it < NF_NT; it++)
      for (size_t iv = 0; iv < NF_NV; iv++) {
        size_t row = (ic * NF_NT + it) * NF_NV + iv;
        double v = ctl[it][iv];
        for (int e = 0; e < 2; e++) {
          nf_job *j = &jobs[2 * row + (size_t)e];
          j->ci = ci;
          j->temp_K = temp_K[it];
          j->tstop_s = tstop[it];
          j->seed = cal_sweep_point_seed(c->seed + 151, row);
          j->native = e;
          j->nt_s = nf_slot_s(temp_K[it]);
          if (ci->cellkind == CKT_CELL_GMM) {
            j->vctl_V[0] = v;
            j->vctl_V[1] = NF_VSEP_V;
          } else {
            for (size_t k = 0; k < ci->n_ctl; k++)
              j->vctl_V[k] = v;
          }
        }
      }
  }
  if (rc == 0) rc = nf__run_jobs(c, jobs, nj, res, err);
  /* adaptive records: pool each row's records, extend the imprecise */
  nf_pool *pool = rc == 0 ? calloc(nj, sizeof *pool) : NULL;
  if (rc == 0 && pool == NULL)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  size_t ext_rows = 0, ext_records = 0;
  if (rc == 0)
    rc = nf__extend(c, cells, nrow, max_rec, jobs, res, pool, &ext_rows,
                    &ext_records, err);
  /* the slot check at the cold temperature (temps_C[0], -40 C) */
  nf_slot sc;
  double slot_dp = 0, slot_dp_sig = 0, slot_ratio = NAN, slot_ratio_err = NAN;
  if (rc == 0)
    rc = nf__slot_check(c, temp_K[0], ctl[0], tstop[0],
                        c->quick ? 4 : NF_SLOT_SEEDS, &sc, err);
  if (rc == 0) {
    for (size_t k = 0; k < NF_NV; k++) {
      double d = sc.p_cold[k] - sc.p_own[k];
      double e = hypot(sc.err_cold[k], sc.err_own[k]);
      slot_dp = fmax(slot_dp, fabs(d));
      if (e > 0) slot_dp_sig = fmax(slot_dp_sig, fabs(d) / e);
      if (!c->quiet)
        fprintf(stderr, "native-fidelity: slot check %.0f C %.4f V: P(1) "
                "%.3f +- %.3f (%.2g ns slot) / %.3f +- %.3f (%.2g ns)\n",
                temps_C[0], ctl[0][k], sc.p_cold[k], sc.err_cold[k],
                NF_COLD_SLOT_S * 1e9, sc.p_own[k], sc.err_own[k],
                ckt_cell_find("pbit")->nt_s * 1e9);
    }
    if (sc.flips_cold > 0 && sc.flips_own > 0) {
      slot_ratio = sc.tau_cold_s / sc.tau_own_s;
      slot_ratio_err = slot_ratio * sqrt(1 / sc.flips_cold + 1 / sc.flips_own);
    }
    if (!c->quiet)
      fprintf(stderr, "native-fidelity: slot check %.0f C: tau %.3g / %.3g us "
              "(flips %.0f / %.0f), ratio %.3f +- %.3f\n", temps_C[0],
              sc.tau_cold_s * 1e6, sc.tau_own_s * 1e6, sc.flips_cold,
              sc.flips_own, slot_ratio, slot_ratio_err);
  }
  if (rc != 0) {
    free(jobs);
    free(res);
    free(pool);
    return rc;
  }
  /* per row: the state with the largest |dP|, its errors; tau both */
  double *col[21];
  for (int k = 0; k < 21; k++)
    col[k] = calloc(nrow, sizeof(double));
  double max_sp_pair = 0, max_dp_sig_pair = 0, max_stau_pair = 0;
  double max_dtau_sig_pair = 0;
  size_t n_pair = 0, n_precise = 0;
  double max_dp = 0, max_dp_fl = 0, max_dp_sig = 0, max_dtau = 0, max_dtau_sig = 0;
  double max_sp = 0, max_stau = 0, need_max = 0;
  double wall_ng = 0, wall_nat = 0, sim_s = 0;
  size_t n_tau = 0;
  for (size_t row = 0; row < nrow; row++) {
    const nf_pool *a = &pool[2 * row], *b = &pool[2 * row + 1];
    size_t ic = row / (NF_NT * NF_NV), it = (row / NF_NV) % NF_NT;
    double fa, fb, ta = nf__tau(a, &fa), tb = nf__tau(b, &fb);
    /* the errors use ngspice's tau pooled over the row's three controls
     * (a row near P = 0 or 1 flips too rarely to give its own), else
     * the pilot's */
    double tref = nf__group_tau(pool, ic, it, 0, NULL);
    if (!isfinite(tref)) tref = tau_pilot[it];
    if (!isfinite(tref)) tref = a->duration_s;
    int nk = cells[ic] == 1 ? NF_K : 2;
    double dp, sp = 0;
    const int ks = nf__row_state(a, b, nk, &dp);
    /* the error of the state with the largest difference; for a record
     * that never flipped the error is ~2 tau / T (see expt_pbit.c) */
    for (int e = 0; e < 2; e++) {
      const nf_pool *x = e ? b : a;
      double p = x->p[ks];
      double v = fmax(2 * p * (1 - p) * tref / x->duration_s,
                      x->flips > 0 ? 0 : pow(tref / x->duration_s, 2));
      sp += v;
    }
    sp = sqrt(sp);
    double dtau = (isfinite(ta) && isfinite(tb)) ? tb / ta - 1 : NAN;
    double stau = (fa > 0 && fb > 0) ? (1 + dtau) * sqrt(1 / fa + 1 / fb) : NAN;
    /* record making both errors a third of the limits (errors ~ 1/sqrt T) */
    double pm = 0.5 * (a->p[ks] + b->p[ks]);
    double need_p = 2 * 2 * pm * (1 - pm) * tref / pow(NF_DP_LIM / 3, 2);
    double need_t = isfinite(tref) && fa > 0
                        ? a->duration_s * (1 / fa + 1 / fb) / pow(NF_DTAU_LIM / 3, 2)
                        : NAN;
    double need = fmax(need_p, isfinite(need_t) ? need_t : 0);
    col[0][row] = (double)cells[ic];
    col[1][row] = temps_C[it];
    col[2][row] = jobs[2 * row].vctl_V[0];
    col[3][row] = (double)ks;
    col[4][row] = a->p[ks];
    col[5][row] = b->p[ks];
    col[6][row] = dp;
    col[7][row] = sp;
    col[8][row] = ta;
    col[9][row] = tb;
    col[10][row] = dtau;
    col[11][row] = stau;
    col[12][row] = fa;
    col[13][row] = fb;
    col[14][row] = need;
    col[15][row] = a->wall_s;
    col[16][row] = b->wall_s;
    col[17][row] = a->duration_s;
    col[20][row] = (double)a->nrec;
    double sp_pair, stau_pair;
    if (nf__paired_errors(a, b, ks, dtau, &sp_pair, &stau_pair)) {
      n_pair++;
      max_sp_pair = fmax(max_sp_pair, sp_pair);
      max_stau_pair = fmax(max_stau_pair, stau_pair);
      if (sp_pair > 0)
        max_dp_sig_pair = fmax(max_dp_sig_pair, fabs(dp) / sp_pair);
      if (stau_pair > 0 && isfinite(dtau))
        max_dtau_sig_pair = fmax(max_dtau_sig_pair, fabs(dtau) / stau_pair);
      if (sp_pair < NF_DP_LIM / 3 && stau_pair < NF_DTAU_LIM / 3)
        n_precise++;
    }
    col[18][row] = sp_pair;
    col[19][row] = stau_pair;
    max_dp = fmax(max_dp, fabs(dp));
    if (fa >= 10 && fb >= 10)
      max_dp_fl = fmax(max_dp_fl, fabs(dp));
    max_sp = fmax(max_sp, sp);
    if (sp > 0) max_dp_sig = fmax(max_dp_sig, fabs(dp) / sp);
    if (isfinite(dtau) && fa >= 10 && fb >= 10) {
      max_dtau = fmax(max_dtau, fabs(dtau));
      max_stau = fmax(max_stau, stau);
      max_dtau_sig = fmax(max_dtau_sig, fabs(dtau) / stau);
      n_tau++;
    }
    need_max = fmax(need_max, need);
    wall_ng += a->wall_s;
    wall_nat += b->wall_s;
    sim_s += a->duration_s;
    if (!c->quiet)
      fprintf(stderr, "native-fidelity: %-4s %4.0f C %.4f V  P(%d) %.3f / "
              "%.3f (d %+.3f +- %.3f, paired +- %.4f)  tau %.3g / %.3g us (d "
              "%+.1f %% +- %.1f %%, paired +- %.1f %%, flips %.0f / %.0f)  "
              "needs %.3g s  wall %.1f / %.2f s\n",
              cell_names[cells[ic]], temps_C[it], col[2][row], ks, a->p[ks],
              b->p[ks], dp, sp, sp_pair, ta * 1e6, tb * 1e6, 100 * dtau,
              100 * stau, 100 * stau_pair, fa, fb, need, a->wall_s,
              b->wall_s);
  }
  /* tau pooled per cell and temperature over the three controls:
   * sum (1 - sum p^2) T / sum flips, per engine */
  double pool_ratio_min = INFINITY, pool_ratio_max = -INFINITY, pool_sig = 0;
  for (size_t ic = 0; ic < ncell; ic++)
    for (size_t it = 0; it < NF_NT; it++) {
      double fl[2], tg[2];
      for (int e = 0; e < 2; e++)
        tg[e] = nf__group_tau(pool, ic, it, e, &fl[e]);
      if (fl[0] < 10 || fl[1] < 10) continue;
      double ratio = tg[1] / tg[0];
      double sig = ratio * sqrt(1 / fl[0] + 1 / fl[1]);
      pool_ratio_min = fmin(pool_ratio_min, ratio);
      pool_ratio_max = fmax(pool_ratio_max, ratio);
      pool_sig = fmax(pool_sig, sig);
      char key[EXPT_KEY_MAX];
      snprintf(key, sizeof key, "tau_ratio_%s_%s%.0fC", cell_names[cells[ic]],
               temps_C[it] < 0 ? "m" : "", fabs(temps_C[it]));
      if (!c->quiet)
        fprintf(stderr, "native-fidelity: %s %.0f C pooled tau native/ngspice "
                "%.3f +- %.3f (flips %.0f / %.0f)\n", cell_names[cells[ic]],
                temps_C[it], ratio, sig, fl[0], fl[1]);
      if (rc == 0) rc = expt_sum(r, key, ratio, "1", err);
    }
  static const char *names[] = {
      "cell", "T", "control", "state", "P ngspice", "P native", "dP", "err dP",
      "tau ngspice", "tau native", "dtau/tau", "err dtau/tau", "flips ngspice",
      "flips native", "record needed", "wall ngspice", "wall native", "record",
      "err dP paired", "err dtau/tau paired", "records"};
  static const char *units[] = {"1", "C", "V", "1", "1", "1", "1", "1", "s",
                                "s", "1", "1", "1", "1", "s", "s", "s", "s",
                                "1", "1", "1"};
  char **labels = calloc(nrow, sizeof *labels);
  for (size_t row = 0; labels && row < nrow; row++) {
    labels[row] = malloc(32);
    if (labels[row])
      snprintf(labels[row], 32, "%s %.0f C v%zu", cell_names[(size_t)col[0][row]],
               col[1][row], row % NF_NV);
  }
  int lab_ok = labels != NULL;
  for (size_t row = 0; lab_ok && row < nrow; row++)
    lab_ok = labels[row] != NULL;
  int cols_ok = 1;
  for (int k = 0; k < 21; k++) cols_ok &= col[k] != NULL;
  if (rc == 0 && (!cols_ok || !lab_ok))
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
  if (rc == 0)
    rc = expt_table(r, "rows", "Per cell, temperature and control: the state "
                    "with the largest |dP|, tau from the flip rate, both "
                    "engines, errors (1 sigma) and the record the issue's "
                    "limits would need (independent records), and the paired "
                    "errors of the difference (batch means over tenths of the "
                    "records; NaN below 2 flips per tenth); record: simulated "
                    "time per engine over all the row's records (adaptive: "
                    "rows not measured to a third of the limits get more)",
                    nrow, 21, names,
                    units,
                    (const double *const *)col, (const char *const *)labels,
                    err);
  if (rc == 0) rc = expt_vec(r, "/trip/temp_C", temps_C, NF_NT, "C", err);
  if (rc == 0) rc = expt_vec(r, "/trip/vctl_V", trip, NF_NT, "V", err);
  if (rc == 0) rc = expt_vec(r, "/trip/pilot_tau_s", tau_pilot, NF_NT, "s", err);
  if (rc == 0) rc = expt_vec(r, "/trip/record_s", tstop, NF_NT, "s", err);
  if (rc == 0) rc = expt_sum(r, "max_dp", max_dp, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dp_flipping", max_dp_fl, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dp_err", max_sp, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dp_sigma", max_dp_sig, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dtau", n_tau ? max_dtau : NAN, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dtau_err", n_tau ? max_stau : NAN, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dtau_sigma", n_tau ? max_dtau_sig : NAN, "1", err);
  if (rc == 0) rc = expt_sum(r, "tau_ratio_min", pool_ratio_min, "1", err);
  if (rc == 0) rc = expt_sum(r, "tau_ratio_max", pool_ratio_max, "1", err);
  if (rc == 0) rc = expt_sum(r, "tau_ratio_err", pool_sig, "1", err);
  if (rc == 0) rc = expt_sum(r, "record_needed_s", need_max, "s", err);
  if (rc == 0) rc = expt_sum(r, "rows_paired", (double)n_pair, "1", err);
  if (rc == 0) rc = expt_sum(r, "rows_paired_precise", (double)n_precise, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dp_err_paired", n_pair ? max_sp_pair : NAN, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dp_sigma_paired", n_pair ? max_dp_sig_pair : NAN, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dtau_err_paired", n_pair ? max_stau_pair : NAN, "1", err);
  if (rc == 0) rc = expt_sum(r, "max_dtau_sigma_paired", n_pair ? max_dtau_sig_pair : NAN, "1", err);
  if (rc == 0) rc = expt_sum(r, "slot_check_max_dp", slot_dp, "1", err);
  if (rc == 0) rc = expt_sum(r, "slot_check_max_dp_sigma", slot_dp_sig, "1", err);
  if (rc == 0) rc = expt_sum(r, "slot_check_tau_ratio", slot_ratio, "1", err);
  if (rc == 0) rc = expt_sum(r, "slot_check_tau_ratio_err", slot_ratio_err, "1", err);
  if (rc == 0) rc = expt_sum(r, "rows_extended", (double)ext_rows, "1", err);
  if (rc == 0) rc = expt_sum(r, "records_added", (double)ext_records, "1", err);
  if (rc == 0) rc = expt_sum(r, "wall_ngspice_s", wall_ng, "s", err);
  if (rc == 0) rc = expt_sum(r, "wall_native_s", wall_nat, "s", err);
  if (rc == 0)
    expt_note(r, "%zu rows, %.3g s simulated per engine; ngspice %.1f s, native "
              "%.2f s of worker wall time (x%.0f, on a shared machine). Largest |dP| %.3f (%.1f sigma of its "
              "row, errors up to %.3f); the issue's 0.02 needs errors below "
              "0.0067: a record of %.3g s per point for the worst row. ",
              nrow, sim_s, wall_ng, wall_nat, wall_ng / fmax(wall_nat, 1e-9),
              max_dp, max_dp_sig, max_sp, need_max);
  if (rc == 0)
    expt_note(r, "Paired errors (both engines on the same noise path; batch "
              "means of the difference over tenths of the record) on %zu "
              "rows with >= 2 flips per tenth: dP errors up to %.4f, tau "
              "errors up to %.3f; %zu of them below a third of both limits. ",
              n_pair, n_pair ? max_sp_pair : NAN,
              n_pair ? max_stau_pair : NAN, n_precise);
  if (rc == 0)
    expt_note(r, "Slot check (the %.0f C rows run both engines with a %.2g ns "
              "noise slot instead of the cells' %.2g ns): the native pbit at "
              "its three controls, %d records of %.3g s per control and slot: "
              "P(1) differs by at most %.4f (%.1f sigma), tau %.2g ns-slot / "
              "%.2g ns-slot %.3f +- %.3f. ", temps_C[0], NF_COLD_SLOT_S * 1e9,
              ckt_cell_find("pbit")->nt_s * 1e9, c->quick ? 4 : NF_SLOT_SEEDS,
              tstop[0], slot_dp, slot_dp_sig, NF_COLD_SLOT_S * 1e9,
              ckt_cell_find("pbit")->nt_s * 1e9, slot_ratio, slot_ratio_err);
  if (rc == 0)   /* the result is complete: the job file has done its part */
    nf__jobs_remove(c);
  if (rc == 0 && nf__jobs_reused > 0)
    fprintf(stderr, "native-fidelity: %zu engine runs taken from the job "
            "file\n", nf__jobs_reused);
  for (size_t row = 0; labels && row < nrow; row++) free(labels[row]);
  free(labels);
  for (int k = 0; k < 21; k++) free(col[k]);
  free(jobs);
  free(res);
  free(pool);
  return rc;
}

int expt__native_fidelity_plot(const char *h5, const char *png, tk_err *err)
{
  io_file *f = NULL;
  TK_TRY(io_file_open_read(h5, &f, err));
  static const int want[] = {0, 1, 4, 5, 7, 8, 9};
  double *col[7] = {NULL};
  size_t n = 0;
  int rc = 0;
  for (int j = 0; rc == 0 && j < 7; j++) {
    char path[64];
    snprintf(path, sizeof path, "/tables/rows/c%d", want[j]);
    rc = expt_read(f, path, &col[j], &n, err);
  }
  io_file_close(f);
  io_plot pl;
  if (rc == 0) rc = io_plot_begin(&pl, png, 1100, 480, err);
  if (rc == 0) {
    for (size_t ic = 0; ic < NF_NC; ic++) {
      double *d = malloc((n ? n : 1) * 4 * sizeof *d);
      size_t m = 0;
      for (size_t i = 0; d && i < n; i++)
        if ((size_t)col[0][i] == ic) {
          d[4 * m] = col[2][i];
          d[4 * m + 1] = col[3][i];
          d[4 * m + 2] = col[5][i] * 1e6;
          d[4 * m + 3] = col[6][i] * 1e6;
          m++;
        }
      char name[8];
      snprintf(name, sizeof name, "c%zu", ic);
      if (d) {
        if (m == 0) { d[0] = d[1] = d[2] = d[3] = NAN; m = 1; }
        io_plot_data_table(&pl, name, d, m, 4);
      }
      free(d);
    }
    io_plot_cmd(&pl, "set multiplot layout 1,2\n"
                "set title 'P(state): native vs ngspice'\n"
                "set xlabel 'P, ngspice'\nset ylabel 'P, native'\n"
                "set xrange [-0.02:1.02]\nset yrange [-0.02:1.02]\nset key left top\n"
                "plot $c0 u 1:2 w p pt 7 t 'pbit', $c1 u 1:2 w p pt 5 t 'cat4', "
                "$c2 u 1:2 w p pt 9 t 'gmm2', x w l dt 2 lc rgb 'black' t 'equal'\n"
                "set title 'Correlation time: native vs ngspice'\n"
                "set xlabel 'tau, ngspice (us)'\nset ylabel 'tau, native (us)'\n"
                "set logscale xy\nset xrange [*:*]\nset yrange [*:*]\n"
                "plot $c0 u 3:4 w p pt 7 t 'pbit', $c1 u 3:4 w p pt 5 t 'cat4', "
                "$c2 u 3:4 w p pt 9 t 'gmm2', x w l dt 2 lc rgb 'black' t 'equal', "
                "1.1*x w l dt 3 lc rgb 'gray' t '+-10 %%', 0.9*x w l dt 3 lc rgb 'gray' notitle\n"
                "unset multiplot\n");
    rc = io_plot_run(&pl, err);
  }
  for (int j = 0; j < 7; j++) free(col[j]);
  return rc;
}
