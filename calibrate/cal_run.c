/* cal_run.c -- a calibration run from its parameters (cal_run.h): the
 * temperatures sorted and checked, and for a shipped cell the control
 * rows (one control at a time over A..B with the others at vbase, or a
 * random design, for a categorical cell), the simulation settings, the
 * --mc transistor sizes, the checkpointed sweep and --verify.  A
 * designer's subcircuit goes to cal_subckt.c.
 *
 * Workload: setup only; the sweep is cal_ckpt.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/cal_mismatch.h"
#include "calibrate/cal_run.h"
#include "calibrate/cal_run_impl.h"
#include "circuits/cells/ckt_cells.h"
#include "circuits/ckt_sim.h"
#include "common/tk_rng.h"
#include "physics/phys_const.h"

cal_run_params cal_run_default_params(void)
{
  cal_run_params p;
  memset(&p, 0, sizeof p);
  p.label = "calibrate";
  p.command_line = "";
  p.sweep.time_s = 20e-6;
  p.sweep.workers = 1;
  p.sweep.seed = 1;
  p.sweep.repeats = 1;
  cal_track_opts t = CAL_TRACK_OPTS_INIT;
  p.sweep.track = t;
  p.source = CAL_SOURCE_CELL;
  p.vdd_V = p.vbias_V = p.vbase_V = p.vsep_V = p.verify_time_s = NAN;
  p.noise_scale = 1;
  p.inverse = "auto";
  p.avt_V_m = CAL_AVT_DEFAULT_V_M;
  p.tstep_s = 2e-9;
  p.noise_slot_s = 0.5e-9;
  return p;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* A usage error of the run: reported, TK_EINVAL. */
#define USAGE(c, err, ...)                                                   \
  (TK_FAIL((err), TK_EINVAL, __VA_ARGS__), cal__report((c), (err)))

/* A shipped cell (ckt_cells.h): pbit, categorical or gmm2. */
static int cell_run(const cal_run_params *p, cal__ctx *ctx,
                    const double *temps, size_t nt, cal_summary *s,
                    tk_err *err)
{
  double *rows = NULL, vdd = p->vdd_V, vbias = p->vbias_V, vsep = p->vsep_V;
  const double *vctl = p->vctl_V;
  size_t nv = p->nv;
  long nrandom = p->n_random, nmc = p->n_mc, nverify = p->n_verify;
  int rc = TK_OK;
  cal__mc_setup mc;
  memset(&mc, 0, sizeof mc);
  ctx->ci = p->cell != NULL ? ckt_cell_find(p->cell) : NULL;
  if (ctx->ci == NULL)
    return USAGE(ctx, err, "--cell: unknown cell '%s' (see `tsukit cells`)",
                 p->cell ? p->cell : "(none)");
  ckt_cellkind kind = ctx->ci->cellkind;
  int cat = kind == CKT_CELL_CATEGORICAL;
  int gmm = kind == CKT_CELL_GMM && ctx->ci->n_ctl == 2;
  if (!(kind == CKT_CELL_PBIT && ctx->ci->n_ctl == 1) && !cat && !gmm)
    return USAGE(ctx, err, "--cell: %s is a %s cell; calibrate handles pbit, "
                 "categorical and gmm cells", p->cell, ckt_cellkind_name(kind));
  if (!gmm && !isnan(vsep))
    return USAGE(ctx, err, "--vsep: only for gmm cells");
  if (gmm && (p->sweep.track.on || nmc > 0 || p->noise_time_s > 0))
    return USAGE(ctx, err, "--track, --mc and --noise-model are implemented "
                 "for pbit cells only");
  if (gmm && isnan(vsep))
    vsep = 0.5 * (ctx->ci->lo_V[1] + ctx->ci->hi_V[1]);
  if (!cat && nverify > 0)
    return USAGE(ctx, err, "--verify: only for categorical cells");
  if (cat && nmc > 0)
    return USAGE(ctx, err, "--mc: Monte-Carlo mismatch is implemented for "
                 "pbit cells only");
  if (cat && p->noise_time_s > 0)
    return USAGE(ctx, err, "--noise-model: implemented for pbit cells only");
  if (cat && p->sweep.track.on)
    return USAGE(ctx, err, "--track: implemented for pbit cells only");
  if (!cat && nrandom > 0)
    return USAGE(ctx, err, "--design: only for categorical cells");
  if (!cat && !isnan(p->vbase_V))
    return USAGE(ctx, err, "--vbase: only for categorical cells (%s has one "
                 "control)", p->cell);
  const char *inv = p->inverse != NULL ? p->inverse : "auto";
  if (strcmp(inv, "auto") != 0 && strcmp(inv, "softmax") != 0 &&
      strcmp(inv, "priority") != 0)
    return USAGE(ctx, err, "--inverse: '%s' must be auto, softmax or "
                 "priority", inv);
  if (isnan(vdd))
    vdd = ctx->ci->vdd_V;
  size_t K = cat ? ctx->ci->n_ctl : 2, nc = cat ? ctx->ci->n_ctl : 1;
  size_t nrow = cat ? (nrandom > 0 ? (size_t)nrandom : K * nv) : nv;
  if ((rows = malloc(nrow * nc * sizeof *rows)) == NULL) {
    TK_FAIL(err, TK_ENOMEM, "out of memory");
    return cal__report(ctx, err);
  }
  if (cat && nrandom > 0) {
    /* random design: control vectors uniform in [A, B]^K (from the seed) */
    tk_rng dr;
    tk_rng_init(&dr, p->sweep.seed, 0x64657369676eULL);  /* "design" */
    for (size_t i = 0; i < nrow * nc; i++)
      rows[i] = vctl[0] + (vctl[nv - 1] - vctl[0]) * tk_rng_uniform(&dr);
  } else if (cat) {
    /* one control at a time over A:B, the others at vbase */
    double base = isnan(p->vbase_V) ? 0.5 * (vctl[0] + vctl[nv - 1])
                                    : p->vbase_V;
    for (size_t k = 0; k < K; k++)
      for (size_t i = 0; i < nv; i++)
        for (size_t j = 0; j < nc; j++)
          rows[(k * nv + i) * nc + j] = j == k ? vctl[i] : base;
  } else {
    memcpy(rows, vctl, nv * sizeof *rows);
  }
  for (size_t i = 0; i < nrow; i++) {
    phys_cell *pc = NULL;
    ckt_cell_opts co = {vdd, 0, isnan(vbias) ? 0 : vbias};
    double g2[2] = {rows[i * nc], vsep};
    rc = ckt_cell_build(ctx->ci, gmm ? g2 : &rows[i * nc], &co, &pc, err);
    phys_cell_free(pc);
    if (rc != 0) {
      tk_err_wrap(err, TK_EINVAL, "--vctl");
      err->status = TK_EINVAL;
      rc = cal__report(ctx, err);
      goto done;
    }
  }
  double time_s = p->sweep.time_s;
  ctx->temp_K = temps;
  ctx->vctl_V = rows;
  ctx->nt = nt;
  ctx->nv = nrow;
  ctx->n_ctl = nc;
  ctx->n_states = (unsigned)K;
  ctx->seed = p->sweep.seed;
  ctx->repeats = p->sweep.repeats;
  ctx->gmm = gmm;
  ctx->vsep_V = vsep;
  ctx->sp = ckt_sim_default_params();
  ctx->sp.noise_scale = p->noise_scale;
  ctx->native = p->native;
  if (p->noise_time_s > 0) {
    ctx->noise_node = cal__cell_noise_node;
    ctx->noise_time_s = p->noise_time_s;
  }
  ctx->sp.tstop_s = time_s;
  ctx->sp.tstep_s = fmin(ctx->ci->tstep_s, time_s / 16);
  ctx->sp.nt_s = fmin(ctx->ci->nt_s, ctx->sp.tstep_s);
  snprintf(ctx->grp, sizeof ctx->grp, "/cells/%s", ctx->ci->name);
  ctx->cell = ctx->ci->name;
  ctx->kind = ckt_cellkind_name(ctx->ci->cellkind);
  ctx->control_node = ctx->ci->controls;
  ctx->output_node = ctx->ci->outputs;
  ctx->vdd_V = vdd;
  ctx->vbias_V = vbias;
  ctx->point = cal__cell_point;
  if (p->native)   /* four points to a vector (phys_sde_run_batch) */
    ctx->point_batch = cal__cell_point_batch;
  if (nmc > 0) {
    /* the cell's transistors, for the Pelgrom draws */
    phys_cell *pc = NULL;
    ckt_cell_opts co = {vdd, 0, isnan(vbias) ? 0 : vbias};
    rc = ckt_cell_build(ctx->ci, rows, &co, &pc, err);
    if (rc == 0) {
      mc.n = nmc;
      mc.workers = (unsigned)p->sweep.workers;
      mc.a_vt_V_m = p->avt_V_m;
      mc.n_mos = pc->n_mos;
      mc.w_m = malloc((pc->n_mos + 1) * sizeof *mc.w_m);
      mc.l_m = malloc((pc->n_mos + 1) * sizeof *mc.l_m);
      mc.res = calloc((size_t)nmc * nt, sizeof *mc.res);
      if (mc.w_m == NULL || mc.l_m == NULL || mc.res == NULL)
        rc = TK_FAIL(err, TK_ENOMEM, "out of memory");
      for (size_t i = 0; rc == 0 && i < pc->n_mos; i++) {
        mc.w_m[i] = pc->mos[i].p.w_m;
        mc.l_m[i] = pc->mos[i].p.l_m;
      }
    }
    phys_cell_free(pc);
    if (rc != 0) {
      rc = cal__report(ctx, err);
      goto done;
    }
    ctx->user = &mc;
    ctx->extra = cal__mc_extra;
  }
  ctx->track = &p->sweep.track;
  rc = cal__sweep(p->out, ctx, time_s, p->sweep.resume, p->sweep.force,
                  p->sweep.workers, s, err);
  if (rc == 0 && nverify > 0) {
    rc = cal__verify_inverse(p->out, ctx, nverify,
                             isnan(p->verify_time_s) ? time_s
                                                     : p->verify_time_s,
                             vctl[0], vctl[nv - 1], p->sweep.workers, inv, s,
                             err);
    if (rc != 0)
      rc = cal__report(ctx, err);
  }
done:
  free(mc.w_m);
  free(mc.l_m);
  free(mc.res);
  free(rows);
  return rc;
}

int cal_run(const cal_run_params *p, cal_summary *s, tk_err *err)
{
  tk_err e0 = {0};
  if (err == NULL)
    err = &e0;
  cal__ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.cmd = p->label != NULL ? p->label : "calibrate";
  ctx.command_line = p->command_line != NULL ? p->command_line : "";
  if (p->out == NULL || p->vctl_V == NULL || p->nv < 2)
    return USAGE(&ctx, err, "an output file and a control grid of >= 2 "
                 "voltages are required");
  if (p->sweep.resume && p->sweep.force)
    return USAGE(&ctx, err, "--resume and --force exclude each other");
  /* the temperatures ascending (a designer's subcircuit: 27 C if none) */
  size_t nt = p->nt;
  double *temps = malloc((nt ? nt : 1) * sizeof *temps);
  if (temps == NULL) {
    TK_FAIL(err, TK_ENOMEM, "out of memory");
    return cal__report(&ctx, err);
  }
  if (nt == 0 && p->source == CAL_SOURCE_SUBCKT) {
    temps[0] = PHYS_TNOM_K;
    nt = 1;
  } else if (nt == 0) {
    free(temps);
    return USAGE(&ctx, err, "--temp: at least one temperature is required");
  } else {
    memcpy(temps, p->temp_K, nt * sizeof *temps);
  }
  qsort(temps, nt, sizeof *temps, cmp_double);
  int rc = TK_OK;
  for (size_t i = 0; rc == 0 && i + 1 < nt; i++)
    if (temps[i + 1] == temps[i])
      rc = USAGE(&ctx, err, "--temp: %g K is given twice", temps[i]);
  if (rc == 0 && p->source == CAL_SOURCE_SUBCKT)
    rc = cal__subckt_run(p, temps, nt, s, err);
  else if (rc == 0)
    rc = cell_run(p, &ctx, temps, nt, s, err);
  free(temps);
  return rc;
}
