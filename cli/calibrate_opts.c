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

int cmd_sweep_option(int code, const char *arg, cmd_sweep *o, int *rc,
                     tk_err *err)
{
  long n = 0;
  *rc = TK_OK;
  switch (code) {
  case CMD_SWEEP_VCTL:
    free(o->vctl_V);
    o->vctl_V = NULL;
    *rc = tk_parse_range(arg, "--vctl", &o->vctl_V, &o->nv, err);
    if (*rc == 0 && o->nv < 2)
      *rc = TK_FAIL(err, TK_EINVAL, "--vctl: '%s' must be a range A:B:N "
                    "with N >= 2", arg);
    return 1;
  case CMD_SWEEP_TEMP:
    free(o->temp_K);
    o->temp_K = NULL;
    *rc = tk_parse_list(arg, "--temp", tk_parse_temp_K, &o->temp_K, &o->nt,
                        err);
    return 1;
  case CMD_SWEEP_TIME:
    *rc = tk_parse_double_in(arg, "--time", 1e-9, 1e-2, &o->s.time_s, err);
    return 1;
  case CMD_SWEEP_WORKERS:
    *rc = tk_parse_long_in(arg, "--workers", 1, 256, &o->s.workers, err);
    return 1;
  case CMD_SWEEP_SEED:
    *rc = tk_parse_u64(arg, "--seed", &o->s.seed, err);
    return 1;
  case CMD_SWEEP_REPEATS:
    *rc = tk_parse_long_in(arg, "--repeats", 1, 1000, &n, err);
    if (*rc == 0)
      o->s.repeats = (unsigned)n;
    return 1;
  case CMD_SWEEP_RESUME: o->s.resume = 1; return 1;
  case CMD_SWEEP_FORCE: o->s.force = 1; return 1;
  case CMD_SWEEP_TRACK: o->s.track.on = 1; return 1;
  case CMD_SWEEP_TRACK_REF:
    *rc = tk_parse_temp_K(arg, "--track-ref", &o->s.track.ref_K, err);
    return 1;
  case CMD_SWEEP_TRACK_EXP:
    *rc = tk_parse_double_in(arg, "--track-exp", 0.0, 10.0,
                             &o->s.track.width_exp, err);
    return 1;
  case CMD_SWEEP_TIME_TAU:
    *rc = tk_parse_double_in(arg, "--time-tau", 10, 1e7, &o->s.track.time_tau,
                             err);
    return 1;
  case 'o': o->out = arg; return 1;
  default: return 0;
  }
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
