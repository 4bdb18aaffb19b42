# fuzz/: libFuzzer harnesses for every parser of outside input (issue 18)
# and the sanitizer test environment.
#
# Each fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput.  Always, make
# check builds it with fuzz/replay.c (a plain main, any compiler) as
# fuzz/replay_NAME and replays every file of fuzz/corpus/NAME/ (seeds and
# crash reproducers) through it: fuzz/replay.sh.  With
# ./configure CC=clang --enable-fuzz the libraries are compiled with
# -fsanitize=fuzzer-no-link,address,undefined and fuzz/fuzz_NAME is the
# libFuzzer program; fuzz/run.sh builds and runs them with a budget.

# --- sanitizers: the tests' environment ------------------------------------
# Reports go to files san-logs/NAME.PID in the build folder as well as
# failing the process (exit code 86, never the 1 or 2 a test may expect);
# LSan suppresses only ngspice's and HDF5's own leaks (tests/lsan.supp).
# tests/install_external.sh builds an outside program against the
# installed (instrumented) library: with the same -fsanitize flags.
if TK_SANITIZE
AM_TESTS_ENVIRONMENT += mkdir -p '$(abs_top_builddir)/san-logs'; \
	ASAN_OPTIONS='exitcode=86:detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:log_path=$(abs_top_builddir)/san-logs/asan:log_exe_name=1'; \
	UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1:exitcode=86:log_path=$(abs_top_builddir)/san-logs/ubsan:log_exe_name=1'; \
	LSAN_OPTIONS='exitcode=86:suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0'; \
	export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; \
	TSUKIT_CC='$(CC) $(TK_SAN_FLAGS)'; export TSUKIT_CC;
endif
EXTRA_DIST += tests/lsan.supp

# --- the harnesses -----------------------------------------------------------
# Text parsers, then the HDF5 readers (fuzz/fuzz_h5.c opens the bytes from
# memory).  A new harness: fuzz/fuzz_NAME.c, a seed folder
# fuzz/corpus/NAME/, its name in FUZZ_NAMES (fuzz/run.sh, fuzz/replay.sh)
# and its two programs below.
FUZZ_NAMES = parse graph idx subckt h5_celllib h5_dtm h5_dtmc h5_trace \
	h5_dwell h5_clf h5_samples
FUZZ_COMMON = fuzz/fuzz.h fuzz/fuzz_util.c
FUZZ_H5 = $(FUZZ_COMMON) fuzz/fuzz_h5.h fuzz/fuzz_h5.c
EXTRA_DIST += fuzz/run.sh fuzz/replay.sh fuzz/mkseeds.sh fuzz/campaigns.log fuzz/corpus \
	fuzz/lsan-hdf5.supp fuzz/subckt.dict fuzz/graph.dict

# Replay: each harness with fuzz/replay.c, run over its corpus by make check.
FUZZ_REPLAY = fuzz/replay_parse fuzz/replay_graph fuzz/replay_idx \
	fuzz/replay_subckt fuzz/replay_h5_celllib fuzz/replay_h5_dtm \
	fuzz/replay_h5_dtmc fuzz/replay_h5_trace fuzz/replay_h5_dwell \
	fuzz/replay_h5_clf fuzz/replay_h5_samples
check_PROGRAMS += $(FUZZ_REPLAY)
TESTS += fuzz/replay.sh
AM_TESTS_ENVIRONMENT += TSUKIT_FUZZ_NAMES='$(FUZZ_NAMES)'; export TSUKIT_FUZZ_NAMES;
fuzz_replay_parse_SOURCES = fuzz/fuzz_parse.c $(FUZZ_COMMON) fuzz/replay.c
fuzz_replay_parse_LDADD = $(TKT_LDADD)
fuzz_replay_graph_SOURCES = fuzz/fuzz_graph.c $(FUZZ_COMMON) fuzz/replay.c
fuzz_replay_graph_LDADD = $(TKT_LDADD)
fuzz_replay_idx_SOURCES = fuzz/fuzz_idx.c $(FUZZ_COMMON) fuzz/replay.c
fuzz_replay_idx_LDADD = $(TKT_LDADD)
fuzz_replay_subckt_SOURCES = fuzz/fuzz_subckt.c $(FUZZ_COMMON) fuzz/replay.c
fuzz_replay_subckt_LDADD = $(TKT_LDADD)
fuzz_replay_h5_celllib_SOURCES = fuzz/fuzz_h5_celllib.c $(FUZZ_H5) fuzz/replay.c
fuzz_replay_h5_celllib_LDADD = $(TKT_LDADD)
fuzz_replay_h5_dtm_SOURCES = fuzz/fuzz_h5_dtm.c $(FUZZ_H5) fuzz/replay.c
fuzz_replay_h5_dtm_LDADD = $(TKT_LDADD)
fuzz_replay_h5_dtmc_SOURCES = fuzz/fuzz_h5_dtmc.c $(FUZZ_H5) fuzz/replay.c
fuzz_replay_h5_dtmc_LDADD = $(TKT_LDADD)
fuzz_replay_h5_trace_SOURCES = fuzz/fuzz_h5_trace.c $(FUZZ_H5) fuzz/replay.c
fuzz_replay_h5_trace_LDADD = $(TKT_LDADD)
fuzz_replay_h5_dwell_SOURCES = fuzz/fuzz_h5_dwell.c $(FUZZ_H5) fuzz/replay.c
fuzz_replay_h5_dwell_LDADD = $(TKT_LDADD)
fuzz_replay_h5_clf_SOURCES = fuzz/fuzz_h5_clf.c $(FUZZ_H5) fuzz/replay.c
fuzz_replay_h5_clf_LDADD = $(TKT_LDADD)
fuzz_replay_h5_samples_SOURCES = fuzz/fuzz_h5_samples.c $(FUZZ_H5) fuzz/replay.c
fuzz_replay_h5_samples_LDADD = $(TKT_LDADD)

# libFuzzer programs (./configure CC=clang --enable-fuzz): fuzz/run.sh
if TK_FUZZ
noinst_PROGRAMS = fuzz/fuzz_parse fuzz/fuzz_graph fuzz/fuzz_idx \
	fuzz/fuzz_subckt fuzz/fuzz_h5_celllib fuzz/fuzz_h5_dtm \
	fuzz/fuzz_h5_dtmc fuzz/fuzz_h5_trace fuzz/fuzz_h5_dwell \
	fuzz/fuzz_h5_clf fuzz/fuzz_h5_samples
fuzz_fuzz_parse_SOURCES = fuzz/fuzz_parse.c $(FUZZ_COMMON)
fuzz_fuzz_parse_LDADD = $(TKT_LDADD)
fuzz_fuzz_parse_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_graph_SOURCES = fuzz/fuzz_graph.c $(FUZZ_COMMON)
fuzz_fuzz_graph_LDADD = $(TKT_LDADD)
fuzz_fuzz_graph_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_idx_SOURCES = fuzz/fuzz_idx.c $(FUZZ_COMMON)
fuzz_fuzz_idx_LDADD = $(TKT_LDADD)
fuzz_fuzz_idx_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_subckt_SOURCES = fuzz/fuzz_subckt.c $(FUZZ_COMMON)
fuzz_fuzz_subckt_LDADD = $(TKT_LDADD)
fuzz_fuzz_subckt_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_h5_celllib_SOURCES = fuzz/fuzz_h5_celllib.c $(FUZZ_H5)
fuzz_fuzz_h5_celllib_LDADD = $(TKT_LDADD)
fuzz_fuzz_h5_celllib_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_h5_dtm_SOURCES = fuzz/fuzz_h5_dtm.c $(FUZZ_H5)
fuzz_fuzz_h5_dtm_LDADD = $(TKT_LDADD)
fuzz_fuzz_h5_dtm_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_h5_dtmc_SOURCES = fuzz/fuzz_h5_dtmc.c $(FUZZ_H5)
fuzz_fuzz_h5_dtmc_LDADD = $(TKT_LDADD)
fuzz_fuzz_h5_dtmc_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_h5_trace_SOURCES = fuzz/fuzz_h5_trace.c $(FUZZ_H5)
fuzz_fuzz_h5_trace_LDADD = $(TKT_LDADD)
fuzz_fuzz_h5_trace_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_h5_dwell_SOURCES = fuzz/fuzz_h5_dwell.c $(FUZZ_H5)
fuzz_fuzz_h5_dwell_LDADD = $(TKT_LDADD)
fuzz_fuzz_h5_dwell_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_h5_clf_SOURCES = fuzz/fuzz_h5_clf.c $(FUZZ_H5)
fuzz_fuzz_h5_clf_LDADD = $(TKT_LDADD)
fuzz_fuzz_h5_clf_LDFLAGS = $(TK_FUZZ_LDFLAGS)
fuzz_fuzz_h5_samples_SOURCES = fuzz/fuzz_h5_samples.c $(FUZZ_H5)
fuzz_fuzz_h5_samples_LDADD = $(TKT_LDADD)
fuzz_fuzz_h5_samples_LDFLAGS = $(TK_FUZZ_LDFLAGS)
endif
