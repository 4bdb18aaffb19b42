# include/: the umbrella header tsukit.h, installed as
# $(includedir)/tsukit/tsukit.h beside the module headers that each
# folder's local.mk lists in nobase_pkginclude_HEADERS.  It is generated
# from that list, so it names every installed header (layer order, bottom
# first); tests/install_external.sh checks it compiles on its own.
nodist_pkginclude_HEADERS = include/tsukit.h
CLEANFILES += include/tsukit.h
EXTRA_DIST += include/tsukit.h.in

include/tsukit.h: $(srcdir)/include/tsukit.h.in Makefile
	$(AM_V_GEN)$(MKDIR_P) include && { \
	  sed -n '/%HEADERS%/q;s/%PACKAGE_VERSION%/$(PACKAGE_VERSION)/;p' $(srcdir)/include/tsukit.h.in; \
	  for h in $(nobase_pkginclude_HEADERS); do echo "#include \"$$h\""; done; \
	  sed '1,/%HEADERS%/d' $(srcdir)/include/tsukit.h.in; \
	} > $@-t && mv $@-t $@
