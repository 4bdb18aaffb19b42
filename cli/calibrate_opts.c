/* calibrate_opts.c -- the sweep options shared by `tsukit calibrate` and
 * `tsukit characterize` (calibrate_opts.h).
 */
#include "cli/calibrate_opts.h"

#include <stdlib.h>

#include "cli/cmd.h"
#include "common/tk_parse.h"

void cmd_sweep_init(cmd_sweep *o)
{
  cal_run_params d = cal_run_default_params();
  o->s = d.sweep;
  o->vctl_V = o->temp_K = NULL;
  o->nv = o->nt = 0;
  o->out = NULL;
}

void cmd_sweep_free(cmd_sweep *o)
{
  free(o->vctl_V);
  free(o->temp_K);
  o->vctl_V = o->temp_K = NULL;
}

/* --vctl A:B:N (N >= 2) into the cmd_sweep target */
static int parse_vctl(const char *arg, const char *what, void *target,
                      tk_err *err)
{
  cmd_sweep *o = target;
  double *v = NULL;
  size_t n = 0;
  TK_TRY(tk_parse_range(arg, what, &v, &n, err));
  if (n < 2) {
    free(v);
    return TK_FAIL(err, TK_EINVAL, "%s: '%s' must be a range A:B:N with "
                   "N >= 2", what, arg);
  }
  free(o->vctl_V);
  o->vctl_V = v;
  o->nv = n;
  return TK_OK;
}

/* --temp T1,T2,... into the cmd_sweep target */
static int parse_temps(const char *arg, const char *what, void *target,
                       tk_err *err)
{
  cmd_sweep *o = target;
  double *t = NULL;
  size_t n = 0;
  TK_TRY(tk_parse_list(arg, what, tk_parse_temp_K, &t, &n, err));
  free(o->temp_K);
  o->temp_K = t;
  o->nt = n;
  return TK_OK;
}

/* --repeats R into the unsigned target */
static int parse_repeats(const char *arg, const char *what, void *target,
                         tk_err *err)
{
  long n;
  TK_TRY(tk_parse_long_in(arg, what, 1, 1000, &n, err));
  *(unsigned *)target = (unsigned)n;
  return TK_OK;
}

size_t cmd_sweep_opts(cmd_sweep *o, int temp_required, cmd_opt *rows)
{
  const cmd_opt r[CMD_SWEEP_N_OPTS + 1] = {
    {"vctl", 0, CMD_OPT_FN, o, 0, 0, NULL, "A:B:N",
     "N >= 2 control voltages from A to B > A (required)", CMD_OPT_REQUIRED,
     NULL, NULL, parse_vctl},
    {"temp", 0, CMD_OPT_FN, o, 0, 0, NULL, "T,...",
     temp_required
       ? "temperatures, K or Celsius with C suffix, each in (0, 2000] K "
         "(required)"
       : "temperatures, K or Celsius with C suffix, each in (0, 2000] K "
         "(default 27C)",
     temp_required ? CMD_OPT_REQUIRED : 0, NULL, NULL, parse_temps},
    {"time", 0, CMD_OPT_DOUBLE, &o->s.time_s, 1e-9, 1e-2, "s", "S",
     "simulated time per point, [1e-9, 1e-2] s (default 20e-6)", 0, NULL,
     NULL, NULL},
    {"workers", 0, CMD_OPT_LONG, &o->s.workers, 1, 256, NULL, "N",
     "points simulated at once, 1..256 (default 1)", 0, NULL, NULL, NULL},
    {"seed", 0, CMD_OPT_U64, &o->s.seed, 0, 0, NULL, "S",
     "noise seed (default 1); point i uses a seed mixed from S and i, "
     "whatever the worker count", 0, NULL, NULL, NULL},
    {"repeats", 0, CMD_OPT_FN, &o->s.repeats, 0, 0, NULL, "R",
     "split each point's time into R independent records (own seeds), "
     "1..1000 (default 1); with R >= 2 the records' scatter measures the "
     "points' errors: the pbit fit scales them by a factor pooled per "
     "temperature (fit/error_scale); the scatter itself is stored as "
     "p_state_stderr_repeats", 0, NULL, NULL, parse_repeats},
    {"resume", 0, CMD_OPT_FLAG, &o->s.resume, 0, 0, NULL, NULL,
     "continue the sweep in FILE (same options)", 0, NULL, NULL, NULL},
    {"force", 0, CMD_OPT_FLAG, &o->s.force, 0, 0, NULL, NULL,
     "overwrite FILE and start over", 0, NULL, NULL, NULL},
    {"track", 0, CMD_OPT_FLAG, &o->s.track.on, 0, 0, NULL, NULL,
     "move the --vctl window with the transition and scale its width: at "
     "temperature T the grid point v is c(T) + (v - c(T_ref)) "
     "(T / T_ref)^M, c(T) where P(1) = 1/2 (a noiseless bisection for the "
     "trip point, then 8 noisy steps of --time/4 around it).  Needed for "
     "wide temperature ranges (-40..125 C); also stores trip points every "
     "5 K, which the v0(T) model then follows", 0, NULL, NULL, NULL},
    {"track-ref", 0, CMD_OPT_TEMP, &o->s.track.ref_K, 0, 0, NULL, "T",
     "where --vctl applies as given (default: the --temp nearest 27 C)", 0, NULL, NULL, NULL},
    {"track-exp", 0, CMD_OPT_DOUBLE, &o->s.track.width_exp, 0, 10, NULL, "M",
     "window width exponent, [0, 10] (default 1: vs ~ kT)", 0, NULL, NULL,
     NULL},
    {"time-tau", 0, CMD_OPT_DOUBLE, &o->s.track.time_tau, 10, 1e7, NULL, "N",
     "--track: simulate N correlation times per point (as the pilot "
     "measured them at each temperature), at most --time, N in [10, 1e7]: "
     "equal statistics at every temperature for a fraction of the time "
     "where tau is short", 0, NULL, NULL, NULL},
    /* -o only, no long name: characterize has its own --out PORT */
    {"", 'o', CMD_OPT_STR, &o->out, 0, 0, NULL, "FILE",
     "cell library (required)", CMD_OPT_REQUIRED, NULL, NULL, NULL},
    {0}};
  for (size_t i = 0; i <= CMD_SWEEP_N_OPTS; i++)
    rows[i] = r[i];
  return CMD_SWEEP_N_OPTS;
}

void cmd_sweep_apply(const cmd_sweep *o, cal_run_params *p)
{
  p->sweep = o->s;
  p->vctl_V = o->vctl_V;
  p->nv = o->nv;
  p->temp_K = o->temp_K;
  p->nt = o->nt;
  p->out = o->out;
  p->command_line = cmd_command_line();
}

int cmd_sweep_run(const cal_run_params *p, cmd_kv *kv)
{
  cal_summary sum;
  tk_err err = {0};
  cal_summary_init(&sum);
  int rc = cal_run(p, &sum, &err);
  if (rc == 0) {
    for (size_t i = 0; i < sum.n; i++) {
      const cal_summary_entry *e = &sum.e[i];
      if (e->type == CAL_SUMMARY_DOUBLE)
        cmd_kv_double(kv, e->key, e->d);
      else if (e->type == CAL_SUMMARY_LONG)
        cmd_kv_long(kv, e->key, e->l);
      else
        cmd_kv_str(kv, e->key, e->s);
    }
    return CMD_EXIT_OK;
  }
  return rc == TK_EINVAL || rc == TK_ERANGE ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
}
