# physics/: compact stochastic device models (no I/O, pure functions).
noinst_LIBRARIES += physics/libphys.a
physics_libphys_a_SOURCES = physics/phys_const.h \
	physics/phys_mosfet.c physics/phys_mosfet.h \
	physics/phys_cell.c physics/phys_cell.h
physics_libphys_a_SOURCES += physics/phys_noise.c physics/phys_noise.h \
	physics/phys_spectral.c physics/phys_spectral.h
physics_libphys_a_SOURCES += physics/phys_dwell.c physics/phys_dwell.h
physics_libphys_a_SOURCES += physics/phys_langevin.c physics/phys_langevin.h
