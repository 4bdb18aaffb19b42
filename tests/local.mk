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

TESTS += tests/cli_basics.sh
EXTRA_DIST += tests/cli_basics.sh
