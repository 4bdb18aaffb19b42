# common/: status codes and errors, counter-based RNG, progress output.
noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/tk_status.h common/tk_error.c common/tk_error.h \
	common/tk_rng.c common/tk_rng.h \
	common/tk_progress.c common/tk_progress.h \
	common/tk_parse.c common/tk_parse.h \
	common/tk_init.c common/tk_init.h
