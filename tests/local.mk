# tests/: unit, statistical and end-to-end tests, all TAP (`make check`).
# C tests print TAP through tests/tk_test.h; shell tests (*.sh) print TAP
# too.  Every check is counted by the TAP driver.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .sh
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = TSUKIT='$(abs_top_builddir)/tsukit'; \
	TSUKIT_SRCDIR='$(abs_top_srcdir)'; TSUKIT_PROGRESS=never; \
	export TSUKIT TSUKIT_SRCDIR TSUKIT_PROGRESS;
EXTRA_DIST += tests/tk_test.h tests/tap.sh

TKT_LDADD = $(TK_LIBS) $(TK_EXT_LIBS)

check_PROGRAMS += tests/test_rng tests/test_common
tests_test_rng_SOURCES = tests/test_rng.c tests/tk_test.h
tests_test_rng_LDADD = $(TKT_LDADD)
tests_test_common_SOURCES = tests/test_common.c tests/tk_test.h
tests_test_common_LDADD = $(TKT_LDADD)
TESTS += tests/test_rng tests/test_common

check_PROGRAMS += tests/test_io
tests_test_io_SOURCES = tests/test_io.c tests/tk_test.h
tests_test_io_LDADD = $(TKT_LDADD)
TESTS += tests/test_io

check_PROGRAMS += tests/test_io_celllib
tests_test_io_celllib_SOURCES = tests/test_io_celllib.c tests/tk_test.h
tests_test_io_celllib_LDADD = $(TKT_LDADD)
TESTS += tests/test_io_celllib

TESTS += tests/cli_basics.sh
EXTRA_DIST += tests/cli_basics.sh

check_PROGRAMS += tests/test_mosfet tests/test_noise tests/test_spectral
tests_test_mosfet_SOURCES = tests/test_mosfet.c tests/tk_test.h
tests_test_mosfet_LDADD = $(TKT_LDADD)
tests_test_noise_SOURCES = tests/test_noise.c tests/tk_test.h
tests_test_noise_LDADD = $(TKT_LDADD)
tests_test_spectral_SOURCES = tests/test_spectral.c tests/tk_test.h
tests_test_spectral_LDADD = $(TKT_LDADD)
TESTS += tests/test_mosfet tests/test_noise tests/test_spectral
TESTS += tests/cli_device.sh
EXTRA_DIST += tests/cli_device.sh

# tsu/ (chip simulator) tests
check_PROGRAMS += tests/test_tsu_exact
tests_test_tsu_exact_SOURCES = tests/test_tsu_exact.c tests/tk_test.h
tests_test_tsu_exact_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_exact
check_PROGRAMS += tests/test_tsu_graph
tests_test_tsu_graph_SOURCES = tests/test_tsu_graph.c tests/tk_test.h
tests_test_tsu_graph_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_graph
check_PROGRAMS += tests/test_tsu_fast
tests_test_tsu_fast_SOURCES = tests/test_tsu_fast.c tests/tk_test.h
tests_test_tsu_fast_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_fast
check_PROGRAMS += tests/test_tsu_ising
tests_test_tsu_ising_SOURCES = tests/test_tsu_ising.c tests/tk_test.h
tests_test_tsu_ising_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_ising
check_PROGRAMS += tests/test_tsu_cells
tests_test_tsu_cells_SOURCES = tests/test_tsu_cells.c tests/tk_test.h
tests_test_tsu_cells_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_cells
TESTS += tests/cli_sample.sh
EXTRA_DIST += tests/cli_sample.sh
check_PROGRAMS += tests/test_tsu_potts
tests_test_tsu_potts_SOURCES = tests/test_tsu_potts.c tests/tk_test.h
tests_test_tsu_potts_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_potts
check_PROGRAMS += tests/test_tsu_gauss
tests_test_tsu_gauss_SOURCES = tests/test_tsu_gauss.c tests/tk_test.h
tests_test_tsu_gauss_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_gauss

# circuits/ (ngspice sessions, netlists, cells) tests
check_PROGRAMS += tests/test_ckt_session
tests_test_ckt_session_SOURCES = tests/test_ckt_session.c tests/tk_test.h
tests_test_ckt_session_LDADD = $(TKT_LDADD)
TESTS += tests/test_ckt_session

# calibrate/ tests
check_PROGRAMS += tests/test_cal_stats tests/test_cal_fit
tests_test_cal_stats_SOURCES = tests/test_cal_stats.c tests/tk_test.h
tests_test_cal_stats_LDADD = $(TKT_LDADD)
tests_test_cal_fit_SOURCES = tests/test_cal_fit.c tests/tk_test.h
tests_test_cal_fit_LDADD = $(TKT_LDADD)
TESTS += tests/test_cal_stats tests/test_cal_fit
check_PROGRAMS += tests/test_ckt_pbit
tests_test_ckt_pbit_SOURCES = tests/test_ckt_pbit.c tests/tk_test.h
tests_test_ckt_pbit_LDADD = $(TKT_LDADD)
TESTS += tests/test_ckt_pbit
# pbit-fast (issue 20)
check_PROGRAMS += tests/test_ckt_pbit_fast
tests_test_ckt_pbit_fast_SOURCES = tests/test_ckt_pbit_fast.c tests/tk_test.h
tests_test_ckt_pbit_fast_LDADD = $(TKT_LDADD)
TESTS += tests/test_ckt_pbit_fast
# the chip's time per sample from the cells' tau (issue 20)
check_PROGRAMS += tests/test_run_chiptime
tests_test_run_chiptime_SOURCES = tests/test_run_chiptime.c tests/tk_test.h
tests_test_run_chiptime_LDADD = $(TKT_LDADD)
TESTS += tests/test_run_chiptime tests/cli_chiptime.sh
EXTRA_DIST += tests/cli_chiptime.sh
TESTS += tests/cli_trace.sh
EXTRA_DIST += tests/cli_trace.sh

# double well
check_PROGRAMS += tests/test_dwell
tests_test_dwell_SOURCES = tests/test_dwell.c tests/tk_test.h
tests_test_dwell_LDADD = $(TKT_LDADD)
TESTS += tests/test_dwell tests/cli_dwell.sh
EXTRA_DIST += tests/cli_dwell.sh

# native Langevin solver
check_PROGRAMS += tests/test_langevin
tests_test_langevin_SOURCES = tests/test_langevin.c tests/tk_test.h
tests_test_langevin_LDADD = $(TKT_LDADD)
TESTS += tests/test_langevin

# native engine (phys_sde): supply energy against analytic bookkeeping
check_PROGRAMS += tests/test_phys_sde
tests_test_phys_sde_SOURCES = tests/test_phys_sde.c tests/tk_test.h
tests_test_phys_sde_LDADD = $(TKT_LDADD)
TESTS += tests/test_phys_sde

# native solver vs ngspice: EKV extraction from the card, pbit agreement
check_PROGRAMS += tests/test_ckt_native
tests_test_ckt_native_SOURCES = tests/test_ckt_native.c tests/tk_test.h
tests_test_ckt_native_LDADD = $(TKT_LDADD)
TESTS += tests/test_ckt_native

# calibration sweeps (tsukit calibrate / predict); dump_h5 prints datasets
# as text for the shell test
check_PROGRAMS += tests/dump_h5 tests/test_cal_sweep
tests_test_cal_sweep_SOURCES = tests/test_cal_sweep.c tests/tk_test.h
tests_test_cal_sweep_LDADD = $(TKT_LDADD)
TESTS += tests/test_cal_sweep
tests_dump_h5_SOURCES = tests/dump_h5.c
tests_dump_h5_LDADD = $(TKT_LDADD)
TESTS += tests/cli_calibrate.sh
EXTRA_DIST += tests/cli_calibrate.sh

# DTM (denoising thermodynamic model)
check_PROGRAMS += tests/test_tsu_dtm
tests_test_tsu_dtm_SOURCES = tests/test_tsu_dtm.c tests/tk_test.h
tests_test_tsu_dtm_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_dtm
check_PROGRAMS += tests/test_run_dtm
tests_test_run_dtm_SOURCES = tests/test_run_dtm.c tests/tk_test.h
tests_test_run_dtm_LDADD = $(TKT_LDADD)
TESTS += tests/test_run_dtm

# FD-tsukit: Frechet distance, marginal baseline, classifier
check_PROGRAMS += tests/test_tsu_clf
tests_test_tsu_clf_SOURCES = tests/test_tsu_clf.c tests/tk_test.h
tests_test_tsu_clf_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_clf

# a designer's subcircuit with tsukit's noise; `tsukit characterize`
check_PROGRAMS += tests/test_ckt_subckt
tests_test_ckt_subckt_SOURCES = tests/test_ckt_subckt.c tests/tk_test.h
tests_test_ckt_subckt_LDADD = $(TKT_LDADD)
TESTS += tests/test_ckt_subckt tests/cli_characterize.sh
EXTRA_DIST += tests/cli_characterize.sh tests/data/pbit_pr.cir tests/data/pbit_pr_models.lib

# designer netlists through the preflight: names from ngspice, every
# element's noise, physics checks (circuits/ckt_preflight.h)
check_PROGRAMS += tests/test_ckt_preflight
tests_test_ckt_preflight_SOURCES = tests/test_ckt_preflight.c tests/tk_test.h
tests_test_ckt_preflight_LDADD = $(TKT_LDADD)
TESTS += tests/test_ckt_preflight
# flicker (1/f) noise: the OU sum, a transient's injected density, the
# cards' coefficients against ngspice's .noise (circuits/ckt_flicker.h)
check_PROGRAMS += tests/test_ckt_flicker
tests_test_ckt_flicker_SOURCES = tests/test_ckt_flicker.c tests/tk_test.h
tests_test_ckt_flicker_LDADD = $(TKT_LDADD)
TESTS += tests/test_ckt_flicker
EXTRA_DIST += tests/data/netlists/flicker.cir tests/data/netlists/pbit_flicker.cir
EXTRA_DIST += tests/data/netlists/nested.cir tests/data/netlists/flat.cir \
	tests/data/netlists/bsim4.cir tests/data/netlists/rpbit.cir \
	tests/data/netlists/mpbit.cir tests/data/netlists/lib/models.lib \
	tests/data/netlists/level1.cir tests/data/netlists/badmodel.cir \
	tests/data/netlists/pbit_r.cir tests/data/netlists/pbit_nested.cir \
	tests/data/netlists/lib/cards/bsim4.mod
TESTS += tests/cli_dtm.sh
EXTRA_DIST += tests/cli_dtm.sh

# experiments/: the quick set and its report (tsukit experiment)
TESTS += tests/cli_experiments.sh
EXTRA_DIST += tests/cli_experiments.sh

# Monte-Carlo mismatch; calibrate --mc, cat4 calibration and --verify
check_PROGRAMS += tests/test_cal_mismatch
tests_test_cal_mismatch_SOURCES = tests/test_cal_mismatch.c tests/tk_test.h
tests_test_cal_mismatch_LDADD = $(TKT_LDADD)
check_PROGRAMS += tests/test_cal_priority
tests_test_cal_priority_SOURCES = tests/test_cal_priority.c tests/tk_test.h
tests_test_cal_priority_LDADD = $(TKT_LDADD)
TESTS += tests/test_cal_mismatch tests/test_cal_priority tests/cli_calibrate_more.sh
EXTRA_DIST += tests/cli_calibrate_more.sh tests/cat4_acceptance.sh \
  tests/pbit_temperature_acceptance.sh tests/pbit_loo_precision.sh
TESTS += tests/cli_calibrate_track.sh tests/cli_calibrate_noise.sh
EXTRA_DIST += tests/cli_calibrate_track.sh tests/cli_calibrate_noise.sh
TESTS += tests/cli_dtm_mpi.sh
EXTRA_DIST += tests/cli_dtm_mpi.sh
TESTS += tests/cli_experiments_dtm.sh
EXTRA_DIST += tests/cli_experiments_dtm.sh
# the DTM study and the training log (issue 19)
TESTS += tests/cli_experiments_dtm_study.sh
EXTRA_DIST += tests/cli_experiments_dtm_study.sh
TESTS += tests/cli_demo.sh
EXTRA_DIST += tests/cli_demo.sh
TESTS += tests/cli_calibrate_mpi.sh
EXTRA_DIST += tests/cli_calibrate_mpi.sh
check_PROGRAMS += tests/test_run_cellkind
tests_test_run_cellkind_SOURCES = tests/test_run_cellkind.c tests/tk_test.h
tests_test_run_cellkind_LDADD = $(TKT_LDADD)
TESTS += tests/test_run_cellkind
check_PROGRAMS += tests/test_tsu_moments
tests_test_tsu_moments_SOURCES = tests/test_tsu_moments.c tests/tk_test.h
tests_test_tsu_moments_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_moments

# installation: make install into a temporary DESTDIR, an outside program
# built with pkg-config against the installed library; the man pages
AM_TESTS_ENVIRONMENT += TSUKIT_BUILDDIR='$(abs_top_builddir)'; \
	TSUKIT_CC='$(CC)'; TSUKIT_MAKE='$(MAKE)'; \
	export TSUKIT_BUILDDIR TSUKIT_CC TSUKIT_MAKE;
TESTS += tests/install_external.sh tests/man_pages.sh
EXTRA_DIST += tests/install_external.sh tests/man_pages.sh \
	tests/external/tk_external.c

# the Python package (python/local.mk): its pytest suite through a TAP
# wrapper, skipped with the reason when configure disabled Python
AM_TESTS_ENVIRONMENT += TSUKIT_PYTHON='$(TK_PYTHON)'; export TSUKIT_PYTHON;
TESTS += tests/python.sh tests/install_python.sh
EXTRA_DIST += tests/python.sh tests/install_python.sh tests/python_env.sh
# sanitizer builds (issue 18): the tests start the interpreter with ASan's
# runtime preloaded and leak detection off for it alone (tests/python_env.sh)
if TK_SANITIZE
AM_TESTS_ENVIRONMENT += TSUKIT_SANITIZE=yes; \
	TSUKIT_ASAN_RUNTIME='$(TK_ASAN_RUNTIME)'; \
	export TSUKIT_SANITIZE TSUKIT_ASAN_RUNTIME;
endif

# hostile input and faults (issue 18, parts 3 and 4): the bad-input
# corpus of every command, SIGKILL at random points + --resume
TESTS += tests/kill_resume.sh
EXTRA_DIST += tests/kill_resume.sh
TESTS += tests/bad_input_options.sh tests/bad_input_files.sh \
	tests/bad_input_netlist.sh
EXTRA_DIST += tests/bad_input_options.sh tests/bad_input_files.sh \
	tests/bad_input_netlist.sh \
	tests/bad_input_lib.sh
check_PROGRAMS += tests/test_bad_h5
tests_test_bad_h5_SOURCES = tests/test_bad_h5.c tests/tk_test.h
tests_test_bad_h5_LDADD = $(TKT_LDADD)
TESTS += tests/test_bad_h5

# fast Potts and Gaussian-node kernels on every code path
check_PROGRAMS += tests/test_tsu_fastpotts
tests_test_tsu_fastpotts_SOURCES = tests/test_tsu_fastpotts.c tests/tk_test.h
tests_test_tsu_fastpotts_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_fastpotts
check_PROGRAMS += tests/test_tsu_fastgauss
tests_test_tsu_fastgauss_SOURCES = tests/test_tsu_fastgauss.c tests/tk_test.h
tests_test_tsu_fastgauss_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_fastgauss

# MOSFET charge model against BSIM4's .op capacitances (issue 15)
check_PROGRAMS += tests/test_moscap
tests_test_moscap_SOURCES = tests/test_moscap.c tests/tk_test.h
tests_test_moscap_LDADD = $(TKT_LDADD)
TESTS += tests/test_moscap
# `tsukit bench cells` (issue 15)
TESTS += tests/cli_bench_cells.sh
EXTRA_DIST += tests/cli_bench_cells.sh

# the layer rule of docs/ARCHITECTURE.md on the sources
TESTS += tests/layers.sh
EXTRA_DIST += tests/layers.sh
# issue 14: mixed-node sampler and calibrated cat4 / gmm2 chip nodes
check_PROGRAMS += tests/test_tsu_mixed
tests_test_tsu_mixed_SOURCES = tests/test_tsu_mixed.c tests/tk_test.h
tests_test_tsu_mixed_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_mixed
check_PROGRAMS += tests/test_cal_nodemap
tests_test_cal_nodemap_SOURCES = tests/test_cal_nodemap.c tests/tk_test.h
tests_test_cal_nodemap_LDADD = $(TKT_LDADD)
TESTS += tests/test_cal_nodemap
TESTS += tests/cli_sample_cells.sh tests/bad_input_cells.sh \
	tests/cli_sample_trim.sh
EXTRA_DIST += tests/cli_sample_cells.sh tests/bad_input_cells.sh \
	tests/cli_sample_trim.sh \
	tests/data/cat4_300K.h5 tests/data/gmm2_300K.h5
# Categorical (grayscale) DTM, issue 14 part 3
check_PROGRAMS += tests/test_tsu_dtm_cat
tests_test_tsu_dtm_cat_SOURCES = tests/test_tsu_dtm_cat.c tests/tk_test.h
tests_test_tsu_dtm_cat_LDADD = $(TKT_LDADD)
TESTS += tests/test_tsu_dtm_cat
TESTS += tests/cli_dtm_gray.sh
EXTRA_DIST += tests/cli_dtm_gray.sh
TESTS += tests/cli_experiments_dtm_gray.sh
EXTRA_DIST += tests/cli_experiments_dtm_gray.sh
# Training log of categorical DTM models (issue 19): dtm_log_check reads
# /training straight from HDF5 for the shell test
check_PROGRAMS += tests/dtm_log_check
tests_dtm_log_check_SOURCES = tests/dtm_log_check.c
tests_dtm_log_check_LDADD = $(TKT_LDADD)
TESTS += tests/cli_dtm_gray_log.sh
EXTRA_DIST += tests/cli_dtm_gray_log.sh

# the native engine against ngspice at -40/27/125 C (issue 15 part 3)
TESTS += tests/cli_native_fidelity.sh
EXTRA_DIST += tests/cli_native_fidelity.sh
# characterize --engine native (issue 15, item 4)
TESTS += tests/cli_characterize_native.sh
EXTRA_DIST += tests/cli_characterize_native.sh
