# common/: status codes and errors, counter-based RNG, progress output.
noinst_LTLIBRARIES += common/libcommon.la
common_libcommon_la_SOURCES = \
	common/tk_status.h common/tk_error.c common/tk_error.h \
	common/tk_rng.c common/tk_rng.h common/tk_ars.c \
	common/tk_progress.c common/tk_progress.h \
	common/tk_parse.c common/tk_parse.h \
	common/tk_init.c common/tk_init.h
# public headers, installed as $(includedir)/tsukit/common/NAME.h
nobase_pkginclude_HEADERS += \
	common/tk_error.h \
	common/tk_init.h \
	common/tk_parse.h \
	common/tk_progress.h \
	common/tk_rng.h \
	common/tk_status.h
