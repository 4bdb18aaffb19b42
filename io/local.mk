# io/: HDF5 files with provenance, gnuplot figures.
noinst_LTLIBRARIES += io/libio.la
io_libio_la_SOURCES = io/io_h5.c io/io_h5.h io/io_plot.c io/io_plot.h \
	io/io_idx.c io/io_idx.h
# public headers, installed as $(includedir)/tsukit/io/NAME.h
nobase_pkginclude_HEADERS += \
	io/io_cells.h \
	io/io_dtm.h \
	io/io_h5.h \
	io/io_idx.h \
	io/io_plot.h
io_libio_la_SOURCES += io/io_cells.c io/io_cells.h
io_libio_la_SOURCES += io/io_dtm.c io/io_dtm.h
