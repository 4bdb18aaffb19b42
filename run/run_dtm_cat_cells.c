/* run_dtm_cat_cells.c -- the categorical DTM on calibrated cat4 cells
 * (`tsukit dtm sample --cells L.h5 --cell cat4 --temp T` on a cat4
 * model).
 *
 * Every update of node i asks for the ideal conditional q (the softmax of
 * its Potts fields); the chip's control map (calibrate/cal_nodemap.h,
 * set for the design temperature: equal to the chip temperature unless
 * --design-temp says otherwise, i.e. a temperature-compensated chip as on
 * the pbit path) turns q into the cell's K control voltages, clipped to
 * the calibrated range by pulling q towards uniform; the cell then
 * realises P(k | V) of its own mismatch instance at the chip temperature,
 * and with its correlation time tau it keeps its state over an update
 * interval dt = 2 / clock (two colours) with probability exp(-dt/tau).
 * The mapping error max_k |P_k - q_k| is accumulated and reported.
 *
 * Workload: one nodemap inversion per update (the bracketed priority
 * inverse, cal_nodemap.h: ~15-30 us on a loaded Zen 4 core, clipped ones
 * included; the full scan it replaces took ~2-4 ms): tens to hundreds of
 * samples.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_nodemap.h"
#include "run/run_dtm_cat_impl.h"
#include "tsu/tsu_celltab.h"

struct run__dtmc_chip {
  cal_nodemap *map;      /* the calibrated cell model */
  uint32_t K;            /* states */
  double *keep;          /* [n_nodes] exp(-dt/tau) */
  size_t *inst;          /* [n_nodes] mismatch instance of each node */
  tsu_dtmc_cells cells;  /* what tsu_dtmc_generate calls */
  double n, err_sum, err_max, n_clip; /* mapping error so far */
};

static int respond(void *ctx, uint32_t node, const double *q, double *p)
{
  run__dtmc_chip *c = ctx;
  cal_nodemap_cat_result r;
  tk_err err;
  if (cal_nodemap_cat(c->map, c->inst[node], q, 1, &r, &err) != TK_OK)
    return 1;
  for (uint32_t k = 0; k < c->K; k++)
    p[k] = r.p[k];
#ifdef _OPENMP
#pragma omp critical(run_dtmc_chip_stats)
#endif
  {
    c->n += 1;
    c->err_sum += r.err;
    c->err_max = fmax(c->err_max, r.err);
    c->n_clip += r.pull > 0;
  }
  return 0;
}

int run__dtmc_chip_open(const run_dtm_sample_params *o, const tsu_dtmc *m,
                        run__dtmc_chip **out, tsu_energy_params *ep,
                        tk_err *err)
{
  *out = NULL;
  if (!(o->clock_Hz > 0) || !isfinite(o->clock_Hz))
    return TK_FAIL(err, TK_ERANGE, "clock %g Hz must be > 0", o->clock_Hz);
  if (o->trim)
    return TK_FAIL(err, TK_EINVAL, "--trim: pbit cells of a binary model "
                   "only (a cat4 chip's cells follow their own mismatch "
                   "instance, untrimmed)");
  if (o->mismatch == TSU_MISMATCH_GAUSSIAN)
    return TK_FAIL(err, TK_EINVAL, "--mismatch gaussian: pbit cells only (a "
                   "cat4 chip takes the library's instances, or none)");
  run__dtmc_chip *c = calloc(1, sizeof *c);
  if (c == NULL)
    return TK_FAIL(err, TK_ENOMEM, "chip");
  cal_nodemap_params np = cal_nodemap_default_params();
  np.cells = o->cells;
  np.cell = o->cell;
  np.want = CAL_NODEMAP_CAT;
  np.temp_K = o->temp_K;
  np.design_K = isnan(o->design_K) ? o->temp_K : o->design_K;
  np.seed = o->seed;
  np.mismatch = o->mismatch != TSU_MISMATCH_NONE;
  int rc = cal_nodemap_load(&np, &c->map, err);
  cal_nodemap_info in;
  if (rc == TK_OK) {
    cal_nodemap_get_info(c->map, &in);
    if (in.K != m->K)
      rc = TK_FAIL(err, TK_EINVAL, "cell %s of %s has %u states; the model "
                   "has %u levels", in.cell, o->cells, in.K, m->K);
  }
  uint32_t n = m->b->n_nodes;
  if (rc == TK_OK) {
    c->K = m->K;
    c->keep = malloc(n * sizeof *c->keep);
    c->inst = malloc(n * sizeof *c->inst);
    if (c->keep == NULL || c->inst == NULL)
      rc = TK_FAIL(err, TK_ENOMEM, "chip of %u cells", n);
  }
  if (rc != TK_OK) {
    run__dtmc_chip_free(c);
    return rc;
  }
  double dt = 2.0 / o->clock_Hz;
  double keep = in.tau_s > 0 ? exp(-dt / in.tau_s) : 0;
  for (uint32_t i = 0; i < n; i++) {
    c->keep[i] = keep;
    c->inst[i] = cal_nodemap_instance(c->map, i);
  }
  c->cells = (tsu_dtmc_cells){respond, c, c->keep};
  if (isfinite(in.e_sample_J) && in.e_sample_J > 0)
    ep->e_rng_J = in.e_sample_J;
  ep->tau_s = in.tau_s > 0 ? in.tau_s : 0;
  ep->dt_s = dt;
  *out = c;
  return TK_OK;
}

const tsu_dtmc_cells *run__dtmc_chip_cells(const run__dtmc_chip *c)
{
  return &c->cells;
}

void run__dtmc_chip_stats(const run__dtmc_chip *c, double *updates,
                          double *err_mean, double *err_max,
                          double *clip_frac)
{
  *updates = c->n;
  *err_mean = c->n > 0 ? c->err_sum / c->n : NAN;
  *err_max = c->err_max;
  *clip_frac = c->n > 0 ? c->n_clip / c->n : NAN;
}

void run__dtmc_chip_free(run__dtmc_chip *c)
{
  if (c == NULL)
    return;
  cal_nodemap_free(c->map);
  free(c->keep);
  free(c->inst);
  free(c);
}
