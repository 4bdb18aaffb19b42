# man/: a page per command, generated at build time from the built
# program's help text by man/mkman.sh (so a page cannot disagree with
# --help); tests/man_pages.sh checks that every command of `tsukit help`
# has its page here and that each page carries every option of its help.
# `help` and `version` have no options and are described in tsukit(1).
nodist_man1_MANS = man/tsukit.1 \
	man/tsukit-bench.1 man/tsukit-calibrate.1 man/tsukit-cells.1 \
	man/tsukit-characterize.1 man/tsukit-demo.1 man/tsukit-device.1 \
	man/tsukit-doublewell.1 man/tsukit-dtm.1 man/tsukit-experiment.1 \
	man/tsukit-plot.1 man/tsukit-predict.1 man/tsukit-sample.1 \
	man/tsukit-trace.1
EXTRA_DIST += man/mkman.sh
CLEANFILES += $(nodist_man1_MANS)

man/tsukit.1: tsukit$(EXEEXT) $(srcdir)/man/mkman.sh
	$(AM_V_GEN)$(MKDIR_P) man && \
	TSUKIT_PROGRESS=never $(SHELL) $(srcdir)/man/mkman.sh ./tsukit$(EXEEXT) > $@-t && mv $@-t $@
man/tsukit-%.1: tsukit$(EXEEXT) $(srcdir)/man/mkman.sh
	$(AM_V_GEN)$(MKDIR_P) man && \
	TSUKIT_PROGRESS=never $(SHELL) $(srcdir)/man/mkman.sh ./tsukit$(EXEEXT) $* > $@-t && mv $@-t $@
