# run/: whole command runs as library calls (parameter struct with
# run_X_default_params(), files through io/, progress on stderr), used by
# cli/, the demo and experiments/ alike.
noinst_LTLIBRARIES += run/librun.la
run_librun_la_SOURCES =
run_librun_la_SOURCES += run/run_cellmeasure.c run/run_cellmeasure.h
run_librun_la_SOURCES += run/run_trace.c run/run_trace.h
run_librun_la_SOURCES += run/run_sample.c run/run_sample.h
run_librun_la_SOURCES += run/run_doublewell.c run/run_doublewell.h
run_librun_la_SOURCES += run/run_dtm.h
run_librun_la_SOURCES += run/run_dtm_train.c
run_librun_la_SOURCES += run/run_dtm_sample.c
run_librun_la_SOURCES += run/run_dtm_eval.c
run_librun_la_SOURCES += run/run_dtm_bench.c
run_librun_la_SOURCES += run/run_dtm_plot.c
run_librun_la_SOURCES += run/run_plot.c run/run_plot.h
run_librun_la_SOURCES += run/run_demo.c run/run_demo.h
# the chip's time per sample from the cells' tau (issue 20)
run_librun_la_SOURCES += run/run_chiptime.c run/run_chiptime.h
# public headers, installed as $(includedir)/tsukit/run/NAME.h
nobase_pkginclude_HEADERS += \
	run/run_cellmeasure.h \
	run/run_chiptime.h \
	run/run_demo.h \
	run/run_doublewell.h \
	run/run_dtm.h \
	run/run_dtm_log.h \
	run/run_plot.h \
	run/run_sample.h \
	run/run_trace.h
# Categorical (grayscale) DTM runs, issue 14 part 3 (run_dtm_cat.h)
run_librun_la_SOURCES += run/run_dtm_cat.c run/run_dtm_cat.h \
	run/run_dtm_cat_sample.c run/run_dtm_cat_cells.c run/run_dtm_cat_impl.h
nobase_pkginclude_HEADERS += run/run_dtm_cat.h
# DTM training log and model-file figure (issue 19)
run_librun_la_SOURCES += run/run_dtm_log.c run/run_dtm_log.h run/run_dtm_plot_model.c
