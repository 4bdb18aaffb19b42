/* cmd_doublewell.c -- `tsukit doublewell`: option parsing and the summary
 * line around run_doublewell (run/run_doublewell.h): escape rate of the
 * talk's double well, simulated, against the exact and Kramers rates. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "common/tk_parse.h"
#include "run/run_doublewell.h"

static void usage(FILE *f)
{
  fprintf(f,
          "usage: tsukit doublewell --barrier-kT X [--temp T] [--particles N]\n"
          "                         [--seed S] [--threads N] [-o FILE.h5] [--force]\n"
          "\n"
          "Overdamped Langevin particles in U(x) = dU ((x/a)^2 - 1)^2 (a = 1 nm,\n"
          "friction 4.142e-12 kg/s: t0 = a^2 gamma / kT = 1 ns at 300 K).  The\n"
          "measured rate is 1 / mean first-passage time from one minimum to the\n"
          "other; it is compared with the exact rate (double integral, by\n"
          "quadrature) and with Kramers' high-barrier formula.\n"
          "\n"
          "  --barrier-kT X  barrier height dU / kT, in (0, 40]\n"
          "  --temp T        temperature, K or with a C suffix (default 300)\n"
          "  --particles N   independent particles, 1..10000000 (default 2000)\n"
          "  --seed S        random seed (default 1)\n"
          "  --threads N     OpenMP threads, 0 = all (default 0)\n"
          "  -o FILE.h5      write escape times, histogram and a rate-vs-barrier\n"
          "                  scan; the figure goes to FILE.png\n"
          "  --force         overwrite an existing output file\n"
          "\n"
          "Summary: rate_measured_per_s rate_measured_sigma_per_s\n"
          "rate_exact_per_s rate_kramers_per_s mfpt_ratio mfpt_ratio_sigma\n"
          "kramers_ratio.\n");
}

int cmd_doublewell_kv(int argc, char **argv, cmd_kv *kvp)
{
  static const struct option opts[] = {
    {"barrier-kT", required_argument, NULL, 'b'},
    {"temp", required_argument, NULL, 'T'},
    {"particles", required_argument, NULL, 'n'},
    {"seed", required_argument, NULL, 's'},
    {"threads", required_argument, NULL, 't'},
    {"force", no_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  run_doublewell_params rp = run_doublewell_default_params();
  phys_dwell_params p = rp.dw;
  const char *out = NULL;
  int have_b = 0, force = 0;
  long threads = 0, np;
  tk_err err = {0};
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
    int rc = 0;
    switch (c) {
    case 'b':
      rc = tk_parse_double(optarg, "--barrier-kT", &p.barrier_kT, &err);
      if (rc == 0 && !(p.barrier_kT > 0 && p.barrier_kT <= 40))
        return cmd_usage_error("doublewell", "--barrier-kT: %g is outside the valid range (0, 40]",
                               p.barrier_kT);
      have_b = 1;
      break;
    case 'T': rc = tk_parse_temp_K(optarg, "--temp", &p.temp_K, &err); break;
    case 'n':
      rc = tk_parse_long_in(optarg, "--particles", 1, 10000000, &np, &err);
      p.particles = (size_t)np;
      break;
    case 's': rc = tk_parse_u64(optarg, "--seed", &p.seed, &err); break;
    case 't': rc = tk_parse_long_in(optarg, "--threads", 0, 1024, &threads, &err); break;
    case 'o': out = optarg; break;
    case 'f': force = 1; break;
    case 'h': usage(stdout); return CMD_EXIT_OK;
    default:
      return cmd_usage_error("doublewell", "unknown or incomplete option '%s'",
                             argv[optind - 1]);
    }
    if (rc != 0)
      return cmd_usage_error("doublewell", "%s", tk_err_text(&err));
  }
  if (optind < argc)
    return cmd_usage_error("doublewell", "unexpected argument '%s'", argv[optind]);
  if (!have_b)
    return cmd_usage_error("doublewell", "--barrier-kT is required");

  rp.dw = p;
  rp.n_threads = (int)threads;
  rp.out = out;
  rp.force = force;
  rp.command = cmd_command_line();
  run_doublewell_result r;
  if (run_doublewell(&rp, &r, &err) != 0)
    return cmd_fail("doublewell", &err);
  cmd_kv_double(kvp, "barrier_kT", p.barrier_kT);
  cmd_kv_double(kvp, "temp_K", p.temp_K);
  cmd_kv_long(kvp, "particles", (long)r.particles);
  cmd_kv_double(kvp, "rate_measured_per_s", r.rate_per_s);
  cmd_kv_double(kvp, "rate_measured_sigma_per_s", r.rate_se_per_s);
  cmd_kv_double(kvp, "rate_exact_per_s", r.exact_per_s);
  cmd_kv_double(kvp, "rate_kramers_per_s", r.kramers_per_s);
  cmd_kv_double(kvp, "mfpt_ratio", r.mfpt_ratio);
  cmd_kv_double(kvp, "mfpt_ratio_sigma", r.mfpt_ratio_sigma);
  cmd_kv_double(kvp, "kramers_ratio", r.kramers_ratio);
  if (out != NULL)
    cmd_kv_str(kvp, "out", out);
  return CMD_EXIT_OK;
}

int cmd_doublewell(int argc, char **argv)
{
  return cmd_print_kv(cmd_doublewell_kv, argc, argv);
}
