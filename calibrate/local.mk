# calibrate/: traces -> states, occupancy, correlation time, fits,
# temperature model, energy per sample (arrays in, results out; GSL + FFTW
# through physics/phys_spectral), and the whole calibration run (cal_run:
# checkpointed sweep, --track, --mc, --verify, fits, the cell library
# stored through io/).
noinst_LTLIBRARIES += calibrate/libcal.la
calibrate_libcal_la_SOURCES = \
	calibrate/cal_lsq.c calibrate/cal_lsq.h \
	calibrate/cal_digitize.c calibrate/cal_digitize.h \
	calibrate/cal_autocorr.c calibrate/cal_autocorr.h \
	calibrate/cal_occupancy.c calibrate/cal_occupancy.h \
	calibrate/cal_fit.c calibrate/cal_fit.h \
	calibrate/cal_gmm.c calibrate/cal_gmm.h \
	calibrate/cal_temp.c calibrate/cal_temp.h \
	calibrate/cal_energy.c calibrate/cal_energy.h \
	calibrate/cal_sweep.c calibrate/cal_sweep.h
# public headers, installed as $(includedir)/tsukit/calibrate/NAME.h
nobase_pkginclude_HEADERS += \
	calibrate/cal_autocorr.h \
	calibrate/cal_digitize.h \
	calibrate/cal_energy.h \
	calibrate/cal_fit.h \
	calibrate/cal_gmm.h \
	calibrate/cal_lsq.h \
	calibrate/cal_mismatch.h \
	calibrate/cal_noise.h \
	calibrate/cal_occupancy.h \
	calibrate/cal_predict.h \
	calibrate/cal_priority.h \
	calibrate/cal_run.h \
	calibrate/cal_summary.h \
	calibrate/cal_sweep.h \
	calibrate/cal_temp.h
calibrate_libcal_la_SOURCES += calibrate/cal_mismatch.c calibrate/cal_mismatch.h
calibrate_libcal_la_SOURCES += calibrate/cal_priority.c calibrate/cal_priority.h
calibrate_libcal_la_SOURCES += calibrate/cal_noise.c calibrate/cal_noise.h
calibrate_libcal_la_SOURCES += calibrate/cal_summary.c calibrate/cal_summary.h \
	calibrate/cal_run.c calibrate/cal_run.h calibrate/cal_run_impl.h \
	calibrate/cal_store.c calibrate/cal_ckpt.c calibrate/cal_finish.c \
	calibrate/cal_track.c calibrate/cal_cellpt.c calibrate/cal_mc.c \
	calibrate/cal_verify.c calibrate/cal_subckt.c \
	calibrate/cal_predict.c calibrate/cal_predict.h
# chip nodes from cat4 / gmm2 libraries (issue 14)
calibrate_libcal_la_SOURCES += calibrate/cal_nodemap.c calibrate/cal_nodemap.h \
	calibrate/cal_nodemap_eval.c calibrate/cal_nodemap_impl.h
nobase_pkginclude_HEADERS += calibrate/cal_nodemap.h
calibrate_libcal_la_SOURCES += calibrate/cal_nodemix.c calibrate/cal_nodemix.h
nobase_pkginclude_HEADERS += calibrate/cal_nodemix.h
