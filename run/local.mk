# run/: whole command runs as library calls (parameter struct in, result
# struct out, files through io/): used by cli/, the demo and experiments/.
noinst_LIBRARIES += run/librun.a
run_librun_a_SOURCES =
run_librun_a_SOURCES += run/run_dtm.h
run_librun_a_SOURCES += run/run_dtm_train.c
run_librun_a_SOURCES += run/run_dtm_sample.c
run_librun_a_SOURCES += run/run_dtm_eval.c
run_librun_a_SOURCES += run/run_dtm_bench.c
run_librun_a_SOURCES += run/run_dtm_plot.c
