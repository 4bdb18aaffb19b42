# tsu/: chip simulator (graphs, colouring, cells, Gibbs kernels, energy).
noinst_LTLIBRARIES += tsu/libtsu.la
tsu_libtsu_la_SOURCES = \
	tsu/tsu_graph.c tsu/tsu_graph.h \
	tsu/tsu_color.c tsu/tsu_color.h \
	tsu/tsu_cell.c tsu/tsu_cell.h \
	tsu/tsu_ref.c tsu/tsu_ref.h \
	tsu/tsu_fast.c tsu/tsu_fast.h tsu/tsu_fast_impl.h tsu/tsu_fast_portable.c \
	tsu/tsu_fast_avx512.c tsu/tsu_fast_avx2.c \
	tsu/tsu_stats.c tsu/tsu_stats.h \
	tsu/tsu_moments.c tsu/tsu_moments.h \
	tsu/tsu_run.c tsu/tsu_run.h \
	tsu/tsu_celltab.c tsu/tsu_celltab.h \
	tsu/tsu_energy.c tsu/tsu_energy.h \
	tsu/tsu_potts.c tsu/tsu_potts.h \
	tsu/tsu_gauss.c tsu/tsu_gauss.h
# public headers, installed as $(includedir)/tsukit/tsu/NAME.h
nobase_pkginclude_HEADERS += \
	tsu/tsu_cell.h \
	tsu/tsu_celltab.h \
	tsu/tsu_clf.h \
	tsu/tsu_color.h \
	tsu/tsu_dtm.h \
	tsu/tsu_energy.h \
	tsu/tsu_fast.h \
	tsu/tsu_fd.h \
	tsu/tsu_gauss.h \
	tsu/tsu_graph.h \
	tsu/tsu_moments.h \
	tsu/tsu_potts.h \
	tsu/tsu_ref.h \
	tsu/tsu_run.h \
	tsu/tsu_stats.h
tsu_libtsu_la_SOURCES += tsu/tsu_dtm.c tsu/tsu_dtm.h tsu/tsu_dtm_impl.h \
	tsu/tsu_dtm_train.c
# FD-tsukit: classifier network and Frechet distance
tsu_libtsu_la_SOURCES += tsu/tsu_clf.c tsu/tsu_clf.h tsu/tsu_clf_train.c tsu/tsu_clf_impl.h tsu/tsu_fd.c tsu/tsu_fd.h
# Fast categorical (Potts) and Gaussian-node kernels (tsu_fastpotts.h,
# tsu_fastgauss.h): the code paths live in their own convenience library
# so that they alone are compiled with -ffp-contract=off (no fused
# multiply-adds: the paths must compute the same IEEE operations).
noinst_LTLIBRARIES += tsu/libtsufastnode.la
tsu_libtsufastnode_la_SOURCES = tsu/tsu_fastnode_portable.c \
	tsu/tsu_fastnode_avx2.c tsu/tsu_fastnode_avx512.c \
	tsu/tsu_fastnode_body_impl.h tsu/tsu_fastnode_impl.h \
	tsu/tsu_fastnode_potts_impl.h tsu/tsu_fastnode_gauss_impl.h
tsu_libtsufastnode_la_CFLAGS = $(AM_CFLAGS) -ffp-contract=off
tsu_libtsu_la_LIBADD = tsu/libtsufastnode.la
tsu_libtsu_la_SOURCES += tsu/tsu_fastnode.c tsu/tsu_fastpotts.c \
	tsu/tsu_fastpotts.h tsu/tsu_fastgauss.c tsu/tsu_fastgauss.h
nobase_pkginclude_HEADERS += tsu/tsu_fastpotts.h tsu/tsu_fastgauss.h
# mixed spin / categorical / continuous graphs (issue 14)
tsu_libtsu_la_SOURCES += tsu/tsu_mixed.c tsu/tsu_mixed.h
nobase_pkginclude_HEADERS += tsu/tsu_mixed.h
# Categorical (grayscale) DTM, issue 14 part 3 (tsu_dtm_cat.h)
tsu_libtsu_la_SOURCES += tsu/tsu_dtm_cat.c tsu/tsu_dtm_cat.h \
	tsu/tsu_dtm_cat_impl.h tsu/tsu_dtm_cat_train.c
nobase_pkginclude_HEADERS += tsu/tsu_dtm_cat.h
