/* cmd_demo.c -- `tsukit demo`: the whole chain on the embedded defaults
 * (run/run_demo.h runs it); prints one summary line naming the folder and
 * the headline numbers.
 */
#include <stdio.h>

#include "cli/cmd.h"
#include "cli/cmd_opt.h"
#include "run/run_demo.h"

static run_demo_params opt;
static const cmd_opt opts[] = {
  {"out", 'o', CMD_OPT_STR, &opt.out_dir, 0, 0, NULL, "DIR",
   "output folder (created; files in it are replaced; default tsukit-demo)",
   0, NULL, NULL, NULL},
  {"quick", 0, CMD_OPT_FLAG, &opt.quick, 0, 0, NULL, NULL,
   "shorter runs (seconds instead of minutes)", 0, NULL, NULL, NULL},
  {"seed", 0, CMD_OPT_U64, &opt.seed, 0, 0, NULL, "S",
   "random seed (default 1)", 0, NULL, NULL, NULL},
  {0}};

static void usage(FILE *f)
{
  static const cmd_opt none[] = {{0}};
  const cmd_spec head = {"demo", "tsukit demo [--out DIR] [--quick] [--seed S]",
                         "Runs the chain on the embedded defaults and writes "
                         "data (HDF5) and\nfigures (PNG) into DIR (default: "
                         "tsukit-demo).  Steps:\n", none, 0, NULL};
  cmd_opt_usage(&head, f);
  for (size_t i = 0; i < run_demo_n_steps(); i++)
    fprintf(f, "  %-12s %s\n", run_demo_step_name(i), run_demo_step_summary(i));
  fprintf(f, "\n");
  cmd_opt_usage_options(opts, f);
}

int cmd_demo(int argc, char **argv)
{
  opt = run_demo_default_params();
  const cmd_spec spec = {"demo", "tsukit demo [--out DIR] [--quick] [--seed S]",
                         NULL, opts, 0, NULL};
  if (cmd_wants_help(argc, argv)) {
    usage(stdout);
    return CMD_EXIT_OK;
  }
  int rc = cmd_opt_parse(&spec, argc, argv, NULL, NULL);
  if (rc != CMD_OPT_OK)
    return rc == CMD_OPT_HELP ? CMD_EXIT_OK : rc;
  opt.command = cmd_command_line();
  run_demo_result r;
  tk_err err = {0};
  if (run_demo(&opt, &r, &err) != 0)
    return cmd_fail("demo", &err);
  cmd_kv kv;
  cmd_kv_init(&kv);
  cmd_kv_str(&kv, "out_dir", opt.out_dir);
  cmd_kv_double(&kv, "swing_mV_per_dec", r.swing_mV_per_dec);
  cmd_kv_list(&kv, "pbit_p1", r.pbit_p1, RUN_DEMO_PBIT_RUNS);
  cmd_kv_list(&kv, "pbit_tau_s", r.pbit_tau_s, RUN_DEMO_PBIT_RUNS);
  cmd_kv_list(&kv, "pbit_energy_per_flip_J", r.pbit_energy_per_flip_J,
              RUN_DEMO_PBIT_RUNS);
  cmd_kv_double(&kv, "dw_mfpt_ratio", r.dw_mfpt_ratio);
  cmd_kv_double(&kv, "dw_kramers_ratio", r.dw_kramers_ratio);
  cmd_kv_double(&kv, "chip_flips_per_ns", r.chip_flips_per_ns);
  cmd_kv_double(&kv, "chip_energy_per_sample_J", r.chip_energy_per_sample_J);
  cmd_kv_double(&kv, "chip_paper_energy_per_sample_J",
                r.chip_paper_energy_per_sample_J);
  if (r.dtm_skipped) {
    cmd_kv_str(&kv, "dtm", "skipped");
  } else {
    cmd_kv_double(&kv, "dtm_train_images_per_s", r.dtm_train_images_per_s);
    cmd_kv_double(&kv, "dtm_train_flips_per_ns", r.dtm_train_flips_per_ns);
    cmd_kv_double(&kv, "dtm_energy_per_sample_J", r.dtm_energy_per_sample_J);
    cmd_kv_double(&kv, "dtm_paper_energy_per_sample_J",
                  r.dtm_paper_energy_per_sample_J);
  }
  cmd_kv_long(&kv, "steps", (long)r.steps);
  cmd_kv_double(&kv, "wall_s", r.wall_s);
  cmd_kv_end(&kv);
  return CMD_EXIT_OK;
}
