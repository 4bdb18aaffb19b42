# io/: HDF5 files with provenance, gnuplot figures.
noinst_LTLIBRARIES += io/libio.la
io_libio_la_SOURCES = io/io_h5.c io/io_h5.h io/io_h5_attr.c io/io_h5_impl.h io/io_plot.c io/io_plot.h \
	io/io_idx.c io/io_idx.h
# public headers, installed as $(includedir)/tsukit/io/NAME.h
nobase_pkginclude_HEADERS += \
	io/io_cells.h \
	io/io_celllib.h \
	io/io_clf.h \
	io/io_dwell.h \
	io/io_dtm.h \
	io/io_dtm_log.h \
	io/io_h5.h \
	io/io_idx.h \
	io/io_plot.h \
	io/io_samples.h \
	io/io_trace.h
io_libio_la_SOURCES += io/io_cells.c io/io_cells.h
io_libio_la_SOURCES += io/io_dtm.c io/io_dtm.h
io_libio_la_SOURCES += io/io_celllib.c io/io_celllib.h
io_libio_la_SOURCES += io/io_trace.c io/io_trace.h
io_libio_la_SOURCES += io/io_samples.c io/io_samples.h
io_libio_la_SOURCES += io/io_dwell.c io/io_dwell.h
io_libio_la_SOURCES += io/io_dtm_samples.c io/io_clf.c io/io_clf.h
# Categorical (grayscale) DTM files, issue 14 part 3 (io_dtm_cat.h)
io_libio_la_SOURCES += io/io_dtm_cat.c io/io_dtm_cat.h
nobase_pkginclude_HEADERS += io/io_dtm_cat.h
# DTM training log (issue 19)
io_libio_la_SOURCES += io/io_dtm_log.c io/io_dtm_log.h
