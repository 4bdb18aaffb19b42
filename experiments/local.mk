# experiments/: one reproducible run per claim or figure of the seed
# documents (`tsukit experiment NAME`), and the report regenerated from
# their result files.  The highest library layer (first in TK_LIBS).
noinst_LTLIBRARIES += experiments/libexpt.la
experiments_libexpt_la_SOURCES = experiments/expt.h experiments/expt_impl.h \
	experiments/expt_file.c experiments/expt_registry.c \
	experiments/expt_report.c \
	experiments/expt_cellrun.h experiments/expt_cellrun.c \
	experiments/expt_energy_wall.c experiments/expt_random_bits.c experiments/expt_pbit_speed.c \
	experiments/expt_dwell.c experiments/expt_pbit.c \
	experiments/expt_optim.c experiments/expt_energy_cmp.c \
	experiments/expt_cells.c experiments/expt_temp.c
# pbit-fast calibrated, the chip's time per sample (issue 20)
experiments_libexpt_la_SOURCES += experiments/expt_pbit_fast_cal.c
# public headers, installed as $(includedir)/tsukit/experiments/NAME.h
nobase_pkginclude_HEADERS += \
	experiments/expt.h \
	experiments/expt_cellrun.h

# `make experiments`: the full set into experiments/results and the report
# experiments/REPORT.md (in the source tree, beside the code that made it).
EXPT_DIR = $(abs_top_srcdir)/experiments/results
experiments: tsukit$(EXEEXT)
	./tsukit$(EXEEXT) experiment all -o $(EXPT_DIR)
	./tsukit$(EXEEXT) experiment report -d $(EXPT_DIR) -o $(abs_top_srcdir)/experiments/REPORT.md
.PHONY: experiments
experiments_libexpt_la_SOURCES += experiments/expt_dtm.c
# Grayscale DTM on categorical pixels, issue 14 part 3
experiments_libexpt_la_SOURCES += experiments/expt_dtm_gray.c
# The DTM study (issue 19)
experiments_libexpt_la_SOURCES += experiments/expt_dtm_study.c \
	experiments/expt_dtm_study_ablate.c experiments/expt_dtm_study_pareto.c \
	experiments/expt_dtm_study_impl.h
# the native engine against ngspice (issue 15 part 3)
experiments_libexpt_la_SOURCES += experiments/expt_native_fidelity.c \
	experiments/expt_native_fidelity_runs.c \
	experiments/expt_native_fidelity_pool.c \
	experiments/expt_native_fidelity_impl.h
