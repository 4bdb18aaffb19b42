/* cmd_plot.c -- `tsukit plot FILE.h5 -o FIG.png`: the figure that fits
 * the file (run/run_plot.h chooses and draws it).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "run/run_plot.h"

int cmd_plot_kv(int argc, char **argv, cmd_kv *kvp)
{
  const char *in = NULL, *png = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      printf("usage: tsukit plot FILE.h5 -o FIG.png\n\nDraws the figure that "
             "fits the file's content (kinds: trace, dtm-samples, dtm-model, cells).\n");
      return CMD_EXIT_OK;
    }
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      png = argv[++i];
    else if (argv[i][0] == '-')
      return cmd_usage_error("plot", "unknown or incomplete option '%s'", argv[i]);
    else if (in == NULL)
      in = argv[i];
    else
      return cmd_usage_error("plot", "unexpected argument '%s'", argv[i]);
  }
  if (in == NULL || png == NULL)
    return cmd_usage_error("plot", "FILE.h5 and -o FIG.png are required");
  tk_err err = {0};
  char kind[64] = "";
  if (run_plot(in, png, kind, sizeof kind, &err) != 0)
    return cmd_fail("plot", &err);
  cmd_kv_str(kvp, "kind", kind);
  cmd_kv_str(kvp, "figure", png);
  return CMD_EXIT_OK;
}

int cmd_plot(int argc, char **argv)
{
  return cmd_print_kv(cmd_plot_kv, argc, argv);
}
