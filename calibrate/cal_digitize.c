/* cal_digitize.c -- hysteresis digitisers (two-state, K levels, K lines),
 * Otsu-derived thresholds, dwell-time statistics (see cal_digitize.h).
 * Workload: one pass per trace of 10^4-10^7 samples; the threshold
 * derivation adds a min/max pass, a histogram pass and a class-moment
 * pass. */
#include "calibrate/cal_digitize.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

cal_digitize_params cal_digitize_default_params(void)
{
  cal_digitize_params p;
  p.lo_V = NAN;
  p.hi_V = NAN;
  p.hyst_frac = 0.25;
  p.min_sep_sd = 6.0;
  p.nbins = 256;
  p.capture_frac = 0.5;
  return p;
}

static int check_params(const cal_digitize_params *p, tk_err *err)
{
  if (!(p->hyst_frac > 0 && p->hyst_frac < 0.5))
    return TK_FAIL(err, TK_EINVAL, "hyst_frac %g must be in (0, 0.5)", p->hyst_frac);
  if (!(p->min_sep_sd > 0))
    return TK_FAIL(err, TK_EINVAL, "min_sep_sd %g must be > 0", p->min_sep_sd);
  if (p->nbins < 16 || p->nbins > (1u << 20))
    return TK_FAIL(err, TK_EINVAL, "nbins %zu must be in [16, 2^20]", p->nbins);
  if (!(p->capture_frac > 0 && p->capture_frac <= 1))
    return TK_FAIL(err, TK_EINVAL, "capture_frac %g must be in (0, 1]",
                   p->capture_frac);
  if (isnan(p->lo_V) != isnan(p->hi_V))
    return TK_FAIL(err, TK_EINVAL, "give both thresholds lo_V and hi_V, or neither");
  if (!isnan(p->lo_V) && !(p->hi_V > p->lo_V))
    return TK_FAIL(err, TK_EINVAL, "hi_V %g must exceed lo_V %g", p->hi_V, p->lo_V);
  return TK_OK;
}

/* Samples: `nline` traces of n samples each, pooled. */
typedef struct pool {
  const double *const *line;   /* traces */
  unsigned nline;              /* >= 1 */
  size_t n;                    /* samples per trace */
} pool;

/* Otsu split of the pooled samples -> levels, class sds, thresholds.
 * Returns 1 if bimodal by the min_sep_sd criterion, 0 if not, <0 on
 * error (status in err). */
static int derive_levels(const pool *s, const cal_digitize_params *p,
                         cal_digitize_result *res, tk_err *err)
{
  double vmin = INFINITY, vmax = -INFINITY;
  for (unsigned l = 0; l < s->nline; l++)
    for (size_t i = 0; i < s->n; i++) {
      double v = s->line[l][i];
      if (!isfinite(v))
        return -TK_FAIL(err, TK_EINVAL, "trace sample %zu (line %u) is not finite",
                        i, l);
      vmin = v < vmin ? v : vmin;
      vmax = v > vmax ? v : vmax;
    }
  if (!(vmax > vmin))
    return 0;  /* constant trace */
  size_t nb = p->nbins;
  double *h = calloc(nb, sizeof *h);
  if (h == NULL)
    return -TK_FAIL(err, TK_ENOMEM, "out of memory");
  double width = (vmax - vmin) / (double)nb;
  for (unsigned l = 0; l < s->nline; l++)
    for (size_t i = 0; i < s->n; i++) {
      size_t b = (size_t)((s->line[l][i] - vmin) / width);
      h[b < nb ? b : nb - 1] += 1;
    }
  /* Otsu: maximise w0 w1 (mu0 - mu1)^2 over cuts between bins. */
  double tot = 0, totm = 0;
  for (size_t b = 0; b < nb; b++) {
    tot += h[b];
    totm += h[b] * ((double)b + 0.5);
  }
  double w0 = 0, m0 = 0, best = -1;
  size_t cut = nb / 2;
  for (size_t b = 0; b + 1 < nb; b++) {
    w0 += h[b];
    m0 += h[b] * ((double)b + 0.5);
    double w1 = tot - w0;
    if (w0 <= 0 || w1 <= 0)
      continue;
    double d = m0 / w0 - (totm - m0) / w1;
    double between = w0 * w1 * d * d;
    if (between > best) {
      best = between;
      cut = b + 1;
    }
  }
  free(h);
  double split = vmin + width * (double)cut;
  double sum[2] = {0, 0}, sq[2] = {0, 0}, cnt[2] = {0, 0};
  for (unsigned l = 0; l < s->nline; l++)
    for (size_t i = 0; i < s->n; i++) {
      double v = s->line[l][i];
      int c = v >= split;
      sum[c] += v;
      cnt[c] += 1;
    }
  if (cnt[0] == 0 || cnt[1] == 0)
    return 0;
  double mean[2] = {sum[0] / cnt[0], sum[1] / cnt[1]};
  for (unsigned l = 0; l < s->nline; l++)
    for (size_t i = 0; i < s->n; i++) {
      double v = s->line[l][i];
      int c = v >= split;
      sq[c] += (v - mean[c]) * (v - mean[c]);
    }
  double gap = mean[1] - mean[0];
  for (int c = 0; c < 2; c++) {
    res->level_V[c] = mean[c];
    res->level_sd_V[c] = sqrt(sq[c] / cnt[c]);
  }
  res->lo_V = mean[0] + p->hyst_frac * gap;
  res->hi_V = mean[1] - p->hyst_frac * gap;
  double sdmax = fmax(res->level_sd_V[0], res->level_sd_V[1]);
  return gap >= p->min_sep_sd * sdmax;
}

static void init_result(cal_digitize_result *res)
{
  memset(res, 0, sizeof *res);
  res->lo_V = res->hi_V = NAN;
  res->level_V[0] = res->level_V[1] = NAN;
  res->level_sd_V[0] = res->level_sd_V[1] = NAN;
}

/* Count flips and occupancy; report "no transitions" as TK_ENUMERIC. */
static int finish(const uint8_t *state, size_t n, unsigned K,
                  cal_digitize_result *res, const char *what, tk_err *err)
{
  res->flips = 0;
  for (unsigned k = 0; k < K; k++)
    res->count[k] = 0;
  for (size_t i = 0; i < n; i++) {
    res->count[state[i]]++;
    if (i > 0 && state[i] != state[i - 1])
      res->flips++;
  }
  if (res->flips == 0 || res->no_transitions) {
    res->no_transitions = 1;
    return TK_FAIL(err, TK_ENUMERIC, "no transitions observed (%s): the trace "
                   "stays in one state over all %zu samples", what, n);
  }
  return TK_OK;
}

int cal_digitize2(const double *v_V, size_t n, const cal_digitize_params *p,
                  uint8_t *state, cal_digitize_result *res, tk_err *err)
{
  cal_digitize_params dp = cal_digitize_default_params();
  if (p == NULL)
    p = &dp;
  if (v_V == NULL || state == NULL || res == NULL || n < 2)
    return TK_FAIL(err, TK_EINVAL, "cal_digitize2 needs a trace of >= 2 samples "
                   "and output arrays");
  TK_TRY(check_params(p, err));
  init_result(res);
  const char *why = "the signal never crosses both thresholds";
  if (isnan(p->lo_V)) {
    pool s = {&v_V, 1, n};
    int bi = derive_levels(&s, p, res, err);
    if (bi < 0)
      return -bi;
    if (bi == 0) {
      /* Not two levels: which state the trace sits in is unknown without
       * given thresholds; report state 0 throughout and fail. */
      memset(state, 0, n);
      res->no_transitions = 1;
      return finish(state, n, 2, res, "the amplitude histogram is not bimodal", err);
    }
  } else {
    res->lo_V = p->lo_V;
    res->hi_V = p->hi_V;
  }
  double lo = res->lo_V, hi = res->hi_V;
  uint8_t s = v_V[0] >= 0.5 * (lo + hi);
  for (size_t i = 0; i < n; i++) {
    double v = v_V[i];
    if (!isfinite(v))
      return TK_FAIL(err, TK_EINVAL, "trace sample %zu is not finite", i);
    if (v >= hi)
      s = 1;
    else if (v <= lo)
      s = 0;
    state[i] = s;
  }
  return finish(state, n, 2, res, why, err);
}

int cal_digitize_levels(const double *v_V, size_t n, const double *level_V,
                        unsigned K, const cal_digitize_params *p,
                        uint8_t *state, cal_digitize_result *res, tk_err *err)
{
  cal_digitize_params dp = cal_digitize_default_params();
  if (p == NULL)
    p = &dp;
  if (v_V == NULL || level_V == NULL || state == NULL || res == NULL || n < 2)
    return TK_FAIL(err, TK_EINVAL, "cal_digitize_levels needs a trace of >= 2 "
                   "samples, levels and output arrays");
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "state count %u must be in [2, %d]", K,
                   CAL_MAX_STATES);
  TK_TRY(check_params(p, err));
  double radius[CAL_MAX_STATES];
  for (unsigned k = 0; k < K; k++) {
    if (!isfinite(level_V[k]) || (k > 0 && !(level_V[k] > level_V[k - 1])))
      return TK_FAIL(err, TK_EINVAL, "levels must be finite and strictly ascending "
                     "(level %u = %g)", k, level_V[k]);
  }
  for (unsigned k = 0; k < K; k++) {
    double gap = INFINITY;
    if (k > 0)
      gap = level_V[k] - level_V[k - 1];
    if (k + 1 < K && level_V[k + 1] - level_V[k] < gap)
      gap = level_V[k + 1] - level_V[k];
    radius[k] = p->capture_frac * 0.5 * gap;
  }
  init_result(res);
  /* Initial state: nearest level. */
  uint8_t s = 0;
  for (unsigned k = 1; k < K; k++)
    if (fabs(v_V[0] - level_V[k]) < fabs(v_V[0] - level_V[s]))
      s = (uint8_t)k;
  for (size_t i = 0; i < n; i++) {
    double v = v_V[i];
    if (!isfinite(v))
      return TK_FAIL(err, TK_EINVAL, "trace sample %zu is not finite", i);
    for (unsigned k = 0; k < K; k++)
      if (fabs(v - level_V[k]) <= radius[k]) {
        s = (uint8_t)k;
        break;
      }
    state[i] = s;
  }
  return finish(state, n, K, res, "no level other than the first is reached", err);
}

int cal_digitize_lines(const double *const *lines, unsigned K, size_t n,
                       const cal_digitize_params *p, uint8_t *state,
                       cal_digitize_result *res, tk_err *err)
{
  cal_digitize_params dp = cal_digitize_default_params();
  if (p == NULL)
    p = &dp;
  if (lines == NULL || state == NULL || res == NULL || n < 2)
    return TK_FAIL(err, TK_EINVAL, "cal_digitize_lines needs traces of >= 2 "
                   "samples and output arrays");
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "line count %u must be in [2, %d]", K,
                   CAL_MAX_STATES);
  for (unsigned k = 0; k < K; k++)
    if (lines[k] == NULL)
      return TK_FAIL(err, TK_EINVAL, "output line %u is NULL", k);
  TK_TRY(check_params(p, err));
  init_result(res);
  if (isnan(p->lo_V)) {
    pool s = {lines, K, n};
    int bi = derive_levels(&s, p, res, err);
    if (bi < 0)
      return -bi;
    if (bi == 0) {
      memset(state, 0, n);
      res->no_transitions = 1;
      return finish(state, n, K, res, "the pooled line levels are not bimodal", err);
    }
  } else {
    res->lo_V = p->lo_V;
    res->hi_V = p->hi_V;
  }
  uint8_t s = 0;
  for (unsigned k = 1; k < K; k++)
    if (lines[k][0] > lines[s][0])
      s = (uint8_t)k;
  for (size_t i = 0; i < n; i++) {
    if (lines[s][i] <= res->lo_V) {
      unsigned best = K;
      for (unsigned k = 0; k < K; k++)
        if (k != s && lines[k][i] >= res->hi_V &&
            (best == K || lines[k][i] > lines[best][i]))
          best = k;
      if (best < K)
        s = (uint8_t)best;
    }
    state[i] = s;
  }
  return finish(state, n, K, res, "no other line ever goes high", err);
}

int cal_dwell(const uint8_t *state, size_t n, unsigned K, double dt_s,
              size_t *runs, double *mean_dwell_s, double *mean_dwell_err_s,
              tk_err *err)
{
  if (state == NULL || n < 2)
    return TK_FAIL(err, TK_EINVAL, "cal_dwell needs >= 2 states");
  if (K < 2 || K > CAL_MAX_STATES)
    return TK_FAIL(err, TK_EINVAL, "state count %u must be in [2, %d]", K,
                   CAL_MAX_STATES);
  if (!(dt_s > 0) || !isfinite(dt_s))
    return TK_FAIL(err, TK_EINVAL, "sample interval %g s must be > 0", dt_s);
  double cnt[CAL_MAX_STATES] = {0}, sum[CAL_MAX_STATES] = {0},
         sq[CAL_MAX_STATES] = {0};
  size_t start = 0;
  int first = 1;
  for (size_t i = 1; i <= n; i++) {
    if (i < n && state[i] >= K)
      return TK_FAIL(err, TK_EINVAL, "state %u at %zu is >= K = %u", state[i], i, K);
    if (i == n || state[i] != state[i - 1]) {
      if (!first && i < n) {  /* complete run [start, i) */
        double len = (double)(i - start) * dt_s;
        unsigned k = state[start];
        cnt[k] += 1;
        sum[k] += len;
        sq[k] += len * len;
      }
      first = 0;
      start = i;
    }
  }
  for (unsigned k = 0; k < K; k++) {
    double m = cnt[k] > 0 ? sum[k] / cnt[k] : NAN;
    if (runs)
      runs[k] = (size_t)cnt[k];
    if (mean_dwell_s)
      mean_dwell_s[k] = m;
    if (mean_dwell_err_s) {
      double var = cnt[k] > 1 ? (sq[k] - cnt[k] * m * m) / (cnt[k] - 1) : NAN;
      mean_dwell_err_s[k] = cnt[k] > 1 ? sqrt(fmax(var, 0) / cnt[k]) : NAN;
    }
  }
  return TK_OK;
}
