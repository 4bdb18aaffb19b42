# cli/: the `tsukit` command, thin subcommands over the libraries.
bin_PROGRAMS += tsukit
tsukit_SOURCES = cli/main.c cli/cmd.h cli/cmd_util.c cli/cmd_opt.c cli/cmd_opt.h \
	cli/cmd_demo.c
tsukit_LDADD = $(TK_LIBS) $(TK_EXT_LIBS)
tsukit_SOURCES += cli/cmd_device.c
tsukit_SOURCES += cli/cmd_bench.c
tsukit_SOURCES += cli/cmd_sample.c
tsukit_SOURCES += cli/cmd_cells.c cli/cmd_trace.c cli/cmd_plot.c
tsukit_SOURCES += cli/cmd_doublewell.c
tsukit_SOURCES += cli/cmd_experiment.c
tsukit_SOURCES += cli/cmd_calibrate.c cli/calibrate_opts.c cli/calibrate_opts.h cli/cmd_predict.c
tsukit_SOURCES += cli/cmd_characterize.c
tsukit_SOURCES += cli/cmd_dtm.c cli/cmd_dtm_sample.c cli/cmd_dtm_eval.c cli/dtm_cli.h
tsukit_SOURCES += cli/cmd_bench_dtm.c
tsukit_SOURCES += cli/cmd_bench_cells.c
