/* plot_dtm.c -- `tsukit plot` of DTM files: the figures are drawn by
 * run/run_dtm_plot.c (sample grid and chains; training history), which
 * reads them through io/io_dtm.h. */
#include "cli/cmd.h"
#include "io/io_h5.h"
#include "run/run_dtm.h"

int cmd_plot_dtm_samples(io_file *f, const char *png, tk_err *err);
int cmd_plot_dtm_model(io_file *f, const char *png, tk_err *err);

int cmd_plot_dtm_samples(io_file *f, const char *png, tk_err *err)
{
  return run_dtm_plot_samples(f, png, err);
}

int cmd_plot_dtm_model(io_file *f, const char *png, tk_err *err)
{
  return run_dtm_plot_model(f, png, err);
}
