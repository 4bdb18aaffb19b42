# physics/: compact stochastic device models (no I/O, pure functions).
noinst_LTLIBRARIES += physics/libphys.la
physics_libphys_la_SOURCES = physics/phys_const.h \
	physics/phys_mosfet.c physics/phys_mosfet.h \
	physics/phys_cell.c physics/phys_cell.h
# public headers, installed as $(includedir)/tsukit/physics/NAME.h
nobase_pkginclude_HEADERS += \
	physics/phys_cell.h \
	physics/phys_const.h \
	physics/phys_dwell.h \
	physics/phys_langevin.h \
	physics/phys_mosfet.h \
	physics/phys_noise.h \
	physics/phys_spectral.h
physics_libphys_la_SOURCES += physics/phys_noise.c physics/phys_noise.h \
	physics/phys_spectral.c physics/phys_spectral.h
physics_libphys_la_SOURCES += physics/phys_dwell.c physics/phys_dwell.h
physics_libphys_la_SOURCES += physics/phys_langevin.c physics/phys_langevin.h
# MOSFET charges and capacitances (issue 15)
physics_libphys_la_SOURCES += physics/phys_moscap.c physics/phys_moscap.h
nobase_pkginclude_HEADERS += physics/phys_moscap.h
# linearly-implicit stochastic integrator with device charges (issue 15)
physics_libphys_la_SOURCES += physics/phys_sde.c physics/phys_sde.h \
	physics/phys_sde_impl.h physics/phys_sde_lanes_impl.h \
	physics/phys_sde_vec_impl.h physics/phys_sde_dev_impl.h physics/phys_sde_w1.c \
	physics/phys_sde_w4.c physics/phys_sde_w4_avx2.c
nobase_pkginclude_HEADERS += physics/phys_sde.h
