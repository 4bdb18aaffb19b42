# circuits/: ngspice sessions on cell netlists (docs/ARCHITECTURE.md).
# ckt_session.c is the only file that touches libngspice.
noinst_LTLIBRARIES += circuits/libckt.la
circuits_libckt_la_SOURCES = \
	circuits/ckt_session.c circuits/ckt_session.h \
	circuits/ckt_netlist.c circuits/ckt_netlist.h \
	circuits/models/ckt_models.c \
	circuits/ckt_sim.c circuits/ckt_sim.h \
	circuits/ckt_measure.c circuits/ckt_measure.h \
	circuits/cells/ckt_cells.c circuits/cells/ckt_cells.h \
	circuits/cells/ckt_cellkind.c circuits/cells/ckt_cellkind.h \
	circuits/ckt_native.c circuits/ckt_native.h \
	circuits/ckt_extract.c circuits/ckt_extract.h
# public headers, installed as $(includedir)/tsukit/circuits/NAME.h
nobase_pkginclude_HEADERS += \
	circuits/cells/ckt_cellkind.h \
	circuits/cells/ckt_cells.h \
	circuits/ckt_extract.h \
	circuits/ckt_flicker.h \
	circuits/ckt_measure.h \
	circuits/ckt_native.h \
	circuits/ckt_netlist.h \
	circuits/ckt_preflight.h \
	circuits/ckt_session.h \
	circuits/ckt_sim.h \
	circuits/ckt_subckt.h
circuits_libckt_la_SOURCES += circuits/ckt_subckt.c circuits/ckt_subckt.h \
	circuits/ckt_subckt_bench.c circuits/ckt_subckt_impl.h \
	circuits/ckt_preflight.c circuits/ckt_preflight.h \
	circuits/ckt_preflight_card.c circuits/ckt_preflight_impl.h \
	circuits/ckt_names.c circuits/ckt_names_impl.h \
	circuits/ckt_flicker.c circuits/ckt_flicker.h
# charge-model parameters from the card (issue 15)
circuits_libckt_la_SOURCES += circuits/ckt_extract_cv.c
# a designer's subcircuit through the native engine (characterize
# --engine native, issue 15)
circuits_libckt_la_SOURCES += circuits/ckt_subckt_native.c \
	circuits/ckt_subckt_native.h circuits/ckt_subckt_native_dev.c \
	circuits/ckt_subckt_native_impl.h
nobase_pkginclude_HEADERS += circuits/ckt_subckt_native.h
