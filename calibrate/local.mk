# calibrate/: traces -> states, occupancy, correlation time, fits,
# temperature model, energy per sample (pure library: arrays in, results
# out; GSL + FFTW through physics/phys_spectral).
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
	calibrate/cal_priority.h \
	calibrate/cal_sweep.h \
	calibrate/cal_temp.h
calibrate_libcal_la_SOURCES += calibrate/cal_mismatch.c calibrate/cal_mismatch.h
calibrate_libcal_la_SOURCES += calibrate/cal_priority.c calibrate/cal_priority.h
calibrate_libcal_la_SOURCES += calibrate/cal_noise.c calibrate/cal_noise.h
