/* ckt_flicker.c -- 1/f noise as a sum of OU processes (see
 * ckt_flicker.h). */
#include "circuits/ckt_flicker.h"

#include <math.h>
#include <string.h>

#include "common/tk_rng.h"

int ckt_flicker_plan(double nt_s, double t_stop_s, double ef,
                     ckt_flk_plan *pl, tk_err *err)
{
  memset(pl, 0, sizeof *pl);
  if (!(ef >= 0.5 && ef <= 1.5))
    return TK_FAIL(err, TK_ERANGE, "flicker exponent ef %g outside [0.5, "
                   "1.5] (the band tsukit's 1/f generator is checked in)", ef);
  if (!(nt_s > 0) || !(t_stop_s >= 100 * nt_s))
    return TK_FAIL(err, TK_ERANGE, "flicker band empty: record %g s, noise "
                   "slot %g s (the record must be >= 100 slots)", t_stop_s,
                   nt_s);
  double r = pow(10.0, 1.0 / CKT_FLK_PER_DEC), fc = 3.0 / (2 * M_PI * nt_s);
  double fmin = 1.0 / (1000.0 * t_stop_s);
  double c = log(r) * sin(M_PI * (2.0 - ef) / 2.0);
  pl->nt_s = nt_s;
  pl->ef = ef;
  pl->f_lo_Hz = 1.0 / t_stop_s;
  pl->f_hi_Hz = 1.0 / (50.0 * nt_s);
  while (pl->n < CKT_FLK_MAX && fc >= fmin / r) {
    size_t i = pl->n++;
    pl->fc_Hz[i] = fc;
    pl->a[i] = exp(-2 * M_PI * fc * nt_s);
    pl->sd[i] = sqrt(c * pow(fc, 1.0 - ef));
    fc /= r;
  }
  if (pl->n == CKT_FLK_MAX && fc >= fmin / r)
    return TK_FAIL(err, TK_ERANGE, "flicker band %g..%g Hz needs more than "
                   "%d corners", pl->f_lo_Hz, pl->f_hi_Hz, CKT_FLK_MAX);
  return TK_OK;
}

double ckt_flicker_psd(const ckt_flk_plan *pl, double f_Hz)
{
  double s = 0, w = 2 * M_PI * f_Hz * pl->nt_s;
  for (size_t i = 0; i < pl->n; i++) {
    double a = pl->a[i], v = pl->sd[i] * pl->sd[i];
    s += 2 * v * (1 - a * a) * pl->nt_s / (1 - 2 * a * cos(w) + a * a);
  }
  return s * (2 + cos(w)) / 3;
}

/* Standard normal of corner i at slot k (two per Philox block). */
static double corner_gauss(uint64_t seed, uint64_t stream, size_t i,
                           uint64_t k)
{
  double g[2];
  uint64_t idx = k * CKT_FLK_MAX + i;
  tk_rng_gauss2_at(seed, stream, idx >> 1, g);
  return g[idx & 1];
}

double ckt_flicker_at(const ckt_flk_plan *pl, ckt_flk_state *st,
                      uint64_t seed, uint64_t stream, uint64_t k)
{
  if (pl->n == 0)
    return 0.0;
  if (st->started && k <= st->k && st->k - k < CKT_FLK_RING)
    return st->ring[k % CKT_FLK_RING];
  if (!st->started || k < st->k) {   /* (re)start at slot 0 */
    double y = 0;
    for (size_t i = 0; i < pl->n; i++) {
      st->x[i] = pl->sd[i] * corner_gauss(seed, stream, i, 0);
      y += st->x[i];
    }
    st->y0 = y;
    st->k = 0;
    st->started = 1;
    st->ring[0] = 0.0;
  }
  while (st->k < k) {
    uint64_t j = ++st->k;
    double y = 0;
    for (size_t i = 0; i < pl->n; i++) {
      double a = pl->a[i];
      st->x[i] = a * st->x[i] + pl->sd[i] * sqrt(1 - a * a) *
                                    corner_gauss(seed, stream, i, j);
      y += st->x[i];
    }
    st->ring[j % CKT_FLK_RING] = y - st->y0;
  }
  return st->ring[k % CKT_FLK_RING];
}
