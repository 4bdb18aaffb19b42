/* cmd_bench_cells.c -- `tsukit bench cells`: wall time of ngspice and of
 * the native engine (circuits/ckt_native.h) on the same cell record, in
 * one run (issue 15).
 *
 * Each repeat simulates --time of the cell at its control(s) with seed
 * S + repeat through ngspice (ckt_sim_run: netlist, load, transient) and
 * through the native engine (ckt_native_run), timing each call; prints the
 * medians and their ratio, and for a pbit P(1), tau and flips of both
 * engines pooled over the repeats.  Workload: ngspice dominates (~0.25 s
 * per us of pbit on a loaded 2-core machine).
 *
 * --batch N: per repeat also N native instances (seeds S + repeat * N +
 * i) one at a time and as one batch (ckt_native_run_batch, four
 * instances per vector, --path): the wall time per instance of each, their
 * ratio, and whether every batch trace is bit for bit its instance's run
 * alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_measure.h"
#include "circuits/ckt_native.h"
#include "circuits/ckt_session.h"
#include "circuits/ckt_sim.h"
#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "common/tk_progress.h"
#include "physics/phys_const.h"

int cmd_bench_cells(int argc, char **argv);

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The pbit figures of one trace, accumulated: time in state 1, flips. */
typedef struct pbit_acc {
  double t1_s, t_s;     /* time in state 1, total time */
  size_t flips;         /* state changes */
} pbit_acc;

static int pbit_add(const ckt_cell_info *ci, const ckt_trace *tr,
                    pbit_acc *a, tk_err *err)
{
  ckt_pbit_stats st;
  const double *out = ckt_trace_node(tr, "out");
  if (out == NULL)
    return TK_FAIL(err, TK_ENOTFOUND, "trace has no node 'out'");
  TK_TRY(ckt_measure_pbit(out, tr->n, tr->dt_s, ci->vdd_V, tr->e_supply_J,
                          &st, err));
  double t = (double)tr->n * tr->dt_s;
  a->t1_s += st.p1 * t;
  a->t_s += t;
  a->flips += st.flips;
  return TK_OK;
}

/* n native runs of c under p with seeds seed + i, one at a time and as
 * one batch on path: wall times *t_one, *t_batch; *identical cleared when
 * a batch trace differs from its run alone. */
static int batch_repeat(const phys_cell *c, const ckt_sim_params *p0,
                        uint64_t seed, size_t n, phys_sde_path path,
                        double *t_one, double *t_batch, int *identical,
                        tk_err *err)
{
  ckt_sim_params *p = malloc(n * sizeof *p);
  const phys_cell **cs = malloc(n * sizeof *cs);
  ckt_trace *one = calloc(n, sizeof *one), *tr = calloc(n, sizeof *tr);
  int *rcs = malloc(n * sizeof *rcs);
  tk_err *es = malloc(n * sizeof *es);
  int rc = 0;
  if (!p || !cs || !one || !tr || !rcs || !es)
    rc = TK_FAIL(err, TK_ENOMEM, "out of memory for a batch of %zu", n);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    p[i] = *p0;
    p[i].seed = seed + (uint64_t)i;
    cs[i] = c;
  }
  double t0 = tk_clock_s();
  for (size_t i = 0; rc == 0 && i < n; i++)
    rc = ckt_native_run(c, &p[i], &one[i], err);
  double t1 = tk_clock_s();
  if (rc == 0)
    rc = ckt_native_run_batch(cs, p, n, path, tr, rcs, es, err);
  double t2 = tk_clock_s();
  for (size_t i = 0; rc == 0 && i < n; i++)
    if (rcs[i] != 0) {
      *err = es[i];
      rc = rcs[i];
    }
  for (size_t i = 0; rc == 0 && i < n; i++)
    if (tr[i].n != one[i].n || tr[i].n_nodes != one[i].n_nodes ||
        memcmp(tr[i].v_V, one[i].v_V, tr[i].n * tr[i].n_nodes *
               sizeof(double)) != 0 ||
        memcmp(&tr[i].e_supply_J, &one[i].e_supply_J, sizeof(double)) != 0)
      *identical = 0;
  for (size_t i = 0; one != NULL && tr != NULL && i < n; i++) {
    ckt_trace_clear(&one[i]);
    ckt_trace_clear(&tr[i]);
  }
  *t_one = t1 - t0;
  *t_batch = t2 - t1;
  free(p);
  free(cs);
  free(one);
  free(tr);
  free(rcs);
  free(es);
  return rc;
}

int cmd_bench_cells(int argc, char **argv)
{
  const char *cell = "pbit";
  double vctl = NAN, time_s = 20e-6, temp_K = PHYS_TNOM_K;
  long repeats = 3;
  uint64_t seed = 1;
  long batch = 0;
  const char *path_s = "auto";
  int vctl_seen = 0, path_seen = 0;
  const cmd_opt opts[] = {
    {"cell", 0, CMD_OPT_STR, &cell, 0, 0, NULL, "NAME",
     "a shipped cell (`tsukit cells`; default pbit)", 0, NULL, NULL, NULL},
    {"vctl", 0, CMD_OPT_DOUBLE, &vctl, 0, 5, "V", "V",
     "every control at V (default: the middle of each control's range)", 0,
     &vctl_seen, NULL, NULL},
    {"time", 0, CMD_OPT_DOUBLE, &time_s, 1e-8, 1e-2, "s", "S",
     "simulated time per run (default 2e-5)", 0, NULL, NULL, NULL},
    {"temp", 0, CMD_OPT_TEMP, &temp_K, 1, 1000, "K", "T",
     "temperature, K or C with a C suffix (default 300.15 K)", 0, NULL,
     NULL, NULL},
    {"repeats", 0, CMD_OPT_LONG, &repeats, 1, 100, NULL, "N",
     "runs per engine, medians reported (default 3)", 0, NULL, NULL, NULL},
    {"seed", 0, CMD_OPT_U64, &seed, 0, 0, NULL, "S",
     "seed of the first repeat (default 1)", 0, NULL, NULL, NULL},
    {"batch", 0, CMD_OPT_LONG, &batch, 0, 4096, NULL, "N",
     "also N native instances one at a time and as one batch, per repeat "
     "(default 0: not)", 0, NULL, NULL, NULL},
    {"path", 0, CMD_OPT_STR, &path_s, 0, 0, NULL, "P",
     "the batch's integrator path: auto, scalar, lanes4, lanes4-avx2 "
     "(default auto)", 0, &path_seen, NULL, NULL},
    {0}};
  const cmd_spec spec = {
    "bench cells",
    "tsukit bench cells [--cell pbit] [--vctl V] [--time S] [--temp T]\n"
    "                          [--repeats N] [--seed S] [--batch N] [--path P]",
    "Simulates the same record of a cell through ngspice and through the\n"
    "native engine (--engine native), timing each run, and prints\n"
    "ngspice_s, native_s (medians over the repeats) and speedup; for a\n"
    "pbit also p1, tau_s and flips of each engine over all repeats.\n"
    "With --batch N, per repeat N more native runs one at a time and as\n"
    "one batch (four instances per vector): native_one_s and\n"
    "native_batch_s (medians, per instance), batch_speedup, and\n"
    "batch_identical (1: every batch trace bit for bit the run alone).\n",
    opts, 0, NULL};
  int prc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (prc != CMD_OPT_OK)
    return prc == CMD_OPT_HELP ? CMD_EXIT_OK : prc;
  if (path_seen && batch == 0)
    return cmd_usage_error("bench cells", "--path chooses the batch's "
                           "integrator: it needs --batch N");
  phys_sde_path path;
  tk_err perr = {0};
  if (phys_sde_path_parse(path_s, &path, &perr) != 0)
    return cmd_usage_error("bench cells", "%s", perr.msg);
  if (!phys_sde_path_available(path))
    return cmd_usage_error("bench cells", "--path %s: this CPU or build "
                           "has no AVX2", path_s);
  const ckt_cell_info *ci = ckt_cell_find(cell);
  if (ci == NULL)
    return cmd_usage_error("bench cells", "unknown cell '%s' (see 'tsukit "
                           "cells')", cell);
  double v[CKT_MAX_CTL];
  for (size_t k = 0; k < ci->n_ctl; k++)
    v[k] = vctl_seen ? vctl : 0.5 * (ci->lo_V[k] + ci->hi_V[k]);
  tk_err err = {0};
  phys_cell *c = NULL;
  if (ckt_cell_build(ci, v, NULL, &c, &err) != 0)
    return cmd_fail("bench cells", &err);
  ckt_session *s = NULL;
  if (ckt_session_open(&s, &err) != 0) {
    phys_cell_free(c);
    return cmd_fail("bench cells", &err);
  }
  double *tn = malloc((size_t)repeats * sizeof *tn);
  double *tv = malloc((size_t)repeats * sizeof *tv);
  double *t1 = malloc((size_t)repeats * sizeof *t1);
  double *tb = malloc((size_t)repeats * sizeof *tb);
  pbit_acc an = {0}, av = {0};
  int is_pbit = ci->cellkind == CKT_CELL_PBIT, rc = 0, identical = 1;
  if (tn == NULL || tv == NULL || t1 == NULL || tb == NULL)
    rc = TK_FAIL(&err, TK_ENOMEM, "out of memory");
  for (long r = 0; r < repeats && rc == 0; r++) {
    ckt_sim_params p = ckt_sim_default_params();
    p.tstop_s = time_s;
    p.tstep_s = ci->tstep_s;
    p.nt_s = ci->nt_s;
    p.temp_K = temp_K;
    p.seed = seed + (uint64_t)r;
    ckt_trace a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    double c0 = tk_clock_s();
    rc = ckt_sim_run(s, c, ci->name, &p, &a, &err);
    double c1 = tk_clock_s();
    if (rc == 0)
      rc = ckt_native_run(c, &p, &b, &err);
    double c2 = tk_clock_s();
    tn[r] = c1 - c0;
    tv[r] = c2 - c1;
    if (rc == 0 && is_pbit)
      rc = pbit_add(ci, &a, &an, &err);
    if (rc == 0 && is_pbit)
      rc = pbit_add(ci, &b, &av, &err);
    ckt_trace_clear(&a);
    ckt_trace_clear(&b);
    if (rc == 0)
      fprintf(stderr, "tsukit bench cells: repeat %ld/%ld: ngspice %.3f s, "
              "native %.4f s\n", r + 1, repeats, tn[r], tv[r]);
    if (rc == 0 && batch > 0) {
      rc = batch_repeat(c, &p, seed + (uint64_t)r * (uint64_t)batch,
                        (size_t)batch, path, &t1[r], &tb[r], &identical,
                        &err);
      if (rc == 0)
        fprintf(stderr, "tsukit bench cells: repeat %ld/%ld: %ld native runs "
                "one at a time %.3f s, batched (%s) %.3f s\n", r + 1,
                repeats, batch, t1[r], phys_sde_path_name(path), tb[r]);
    }
  }
  ckt_session_close(s);
  phys_cell_free(c);
  if (rc != 0) {
    free(tn);
    free(tv);
    free(t1);
    free(tb);
    return cmd_fail("bench cells", &err);
  }
  double mn = median(tn, (size_t)repeats), mv = median(tv, (size_t)repeats);
  printf("cell=%s vctl=%g time_s=%g temp_K=%g repeats=%ld ngspice_s=%.4g "
         "native_s=%.4g speedup=%.1f", ci->name, v[0], time_s, temp_K,
         repeats, mn, mv, mv > 0 ? mn / mv : INFINITY);
  if (is_pbit) {
    /* tau from the pooled flip rate, 2 p0 p1 T / flips (tau_flip_s of
     * ckt_measure.h: the two-state Markov relation) */
    double pn = an.t1_s / an.t_s, pv = av.t1_s / av.t_s;
    printf(" ngspice_p1=%.4f native_p1=%.4f ngspice_flips=%zu "
           "native_flips=%zu ngspice_tau_s=%.4g native_tau_s=%.4g",
           pn, pv, an.flips, av.flips,
           an.flips ? 2.0 * pn * (1 - pn) * an.t_s / (double)an.flips : NAN,
           av.flips ? 2.0 * pv * (1 - pv) * av.t_s / (double)av.flips : NAN);
  }
  if (batch > 0) {
    double m1 = median(t1, (size_t)repeats) / (double)batch;
    double mb = median(tb, (size_t)repeats) / (double)batch;
    printf(" batch=%ld path=%s native_one_s=%.4g native_batch_s=%.4g "
           "batch_speedup=%.2f batch_identical=%d", batch,
           phys_sde_path_name(path), m1, mb, mb > 0 ? m1 / mb : INFINITY,
           identical);
  }
  printf("\n");
  free(tn);
  free(tv);
  free(t1);
  free(tb);
  return CMD_EXIT_OK;
}
