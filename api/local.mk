# api/: the flat C API (prefix tka_) for foreign-function callers -- the
# Python package python/tsukit (ctypes) first.  The top library layer:
# above experiments/, below cli/ (docs/ARCHITECTURE.md); first in TK_LIBS.
noinst_LTLIBRARIES += api/libtka.la
api_libtka_la_SOURCES = api/tka.c api/tka.h \
	api/tka_device.c api/tka_device.h \
	api/tka_chip.c api/tka_chip.h \
	api/tka_cells.c api/tka_cells.h \
	api/tka_trace.c api/tka_trace.h \
	api/tka_dtm.c api/tka_dtm.h
# public headers, installed as $(includedir)/tsukit/api/NAME.h
nobase_pkginclude_HEADERS += \
	api/tka.h \
	api/tka_cells.h \
	api/tka_chip.h \
	api/tka_device.h \
	api/tka_dtm.h \
	api/tka_trace.h
