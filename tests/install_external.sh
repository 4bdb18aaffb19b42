# install_external.sh -- `make install` into a temporary DESTDIR, then an
# outside program (tests/external/tk_external.c) compiled and linked
# against the installed libtsukit through pkg-config only, and run: one
# pbit prediction and one Gibbs run through the public API.
#
# Checks: the install layout (program, shared and static library,
# headers under include/tsukit/, tsukit.pc, man pages); every header of a
# library folder (but *_impl.h) is installed, none includes config.h, and
# each compiles on its own with nothing but pkg-config's flags (so none
# includes a header that is not installed); the program links the
# installed shared library by the rpath of pkg-config's libdir (no
# LD_LIBRARY_PATH) and passes; the same program linked statically with
# libtsukit.a (pkg-config --static) passes too.
. "$TSUKIT_SRCDIR/tests/tap.sh"
: "${TSUKIT_BUILDDIR:?}" "${TSUKIT_CC:?}"

dest=$tap_tmp/dest
# the install runs a make of its own: the parent's jobserver is not ours
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${TSUKIT_MAKE:-make} -C "$TSUKIT_BUILDDIR" \
  install DESTDIR="$dest" >"$tap_tmp/install.log" 2>&1
rc=$?
tap_ok $rc "make install DESTDIR=..."
[ $rc -eq 0 ] || { tail -20 "$tap_tmp/install.log" | sed 's/^/# /'; tap_done; exit 1; }

pc=$(find "$dest" -name tsukit.pc | head -n 1)
[ -n "$pc" ]; tap_ok $? "tsukit.pc installed"
prefix=$(sed -n 's/^prefix=//p' "$pc")
root=$dest$prefix
export PKG_CONFIG_PATH="${pc%/*}"
pkc() { pkg-config --define-variable=prefix="$root" "$@" tsukit; }
libdir=$(pkc --variable=libdir)
incdir=$(pkc --variable=includedir)/tsukit
mandir=$(find "$dest" -type d -name man1 | head -n 1)
tap_note "prefix $prefix, libdir $libdir"

[ -x "$root/bin/tsukit" ] && "$root/bin/tsukit" version >/dev/null
tap_ok $? "bin/tsukit installed and runs"
ls "$libdir"/libtsukit.so.* >/dev/null 2>&1; tap_ok $? "shared libtsukit.so installed"
[ -f "$libdir/libtsukit.a" ]; tap_ok $? "static libtsukit.a installed"
[ -f "$incdir/tsukit.h" ] && [ -f "$incdir/common/tk_error.h" ]
tap_ok $? "headers under include/tsukit/ (umbrella tsukit.h, common/tk_error.h)"
n_man=$(ls "$mandir"/tsukit*.1 2>/dev/null | wc -l)
[ "$n_man" -ge 2 ] && [ -f "$mandir/tsukit.1" ]
tap_ok $? "man pages in man1 ($n_man)"

# every header of a library folder installed (folders: those whose
# local.mk declares a convenience library), nothing else missing
missing=
for mk in "$TSUKIT_SRCDIR"/*/local.mk; do
  grep -q 'noinst_LTLIBRARIES' "$mk" || continue
  d=${mk%/local.mk}; d=${d##*/}
  for h in $(cd "$TSUKIT_SRCDIR" && find "$d" -name '*.h' ! -name '*_impl.h'); do
    [ -f "$incdir/$h" ] || missing="$missing $h"
  done
done
[ -z "$missing" ]; tap_ok $? "every library header is installed (nobase_pkginclude_HEADERS)"
[ -z "$missing" ] || tap_note "not installed:$missing"

bad=$(grep -l '#[ ]*include[ ]*[<"]config\.h' $(find "$incdir" -name '*.h'))
[ -z "$bad" ]; tap_ok $? "no installed header includes config.h"
[ -z "$bad" ] || tap_note "includes config.h: $bad"

# each installed header alone, with only the installed tree on the path
cflags=$(pkc --cflags)
fails=
for h in $(cd "$incdir" && find . -name '*.h' | sed 's|^\./||' | sort); do
  printf '#include "%s"\nint tk_header_alone(void);\nint tk_header_alone(void) { return 0; }\n' "$h" \
    > "$tap_tmp/h.c"
  $TSUKIT_CC $cflags -Wall -Wextra -Werror -c "$tap_tmp/h.c" \
    -o "$tap_tmp/h.o" 2>"$tap_tmp/h.err" ||
    { fails="$fails $h"; sed 's/^/# /' "$tap_tmp/h.err" | head -5; }
done
[ -z "$fails" ]; tap_ok $? "every installed header compiles on its own (pkg-config --cflags)"
[ -z "$fails" ] || tap_note "do not compile alone:$fails"

# the outside program, shared: rpath from pkg-config's libdir
src=$TSUKIT_SRCDIR/tests/external/tk_external.c
$TSUKIT_CC $cflags -Wall -Wextra -Werror -o "$tap_tmp/ext" "$src" \
  $(pkc --libs) -Wl,-rpath,"$libdir" -lm 2>"$tap_tmp/cc.err"
rc=$?
tap_ok $rc "tk_external.c builds with pkg-config --cflags --libs tsukit"
[ $rc -eq 0 ] || sed 's/^/# /' "$tap_tmp/cc.err" | head -20

run_ext() { # run_ext BINARY WHAT: its TAP lines, renumbered into ours
  env -u LD_LIBRARY_PATH "$1" >"$tap_tmp/ext.out" 2>&1
  rc=$?
  grep '^#' "$tap_tmp/ext.out"
  while IFS= read -r line; do
    case $line in
    "ok - "*) tap_ok 0 "$2: ${line#ok - }" ;;
    "not ok - "*) tap_ok 1 "$2: ${line#not ok - }" ;;
    esac
  done <"$tap_tmp/ext.out"
  tap_ok $rc "$2: exit status 0"
}
if [ -x "$tap_tmp/ext" ]; then
  ldd "$tap_tmp/ext" | grep -q "libtsukit.so.* => $libdir/"
  tap_ok $? "the program loads the installed libtsukit.so (rpath)"
  run_ext "$tap_tmp/ext" shared
fi

# the same program against the static library
libs_static=$(pkc --static --libs | sed "s|-ltsukit|$libdir/libtsukit.a|")
$TSUKIT_CC $cflags -Wall -Wextra -Werror -o "$tap_tmp/ext_static" "$src" \
  $libs_static -lm 2>"$tap_tmp/cc.err"
rc=$?
tap_ok $rc "tk_external.c links libtsukit.a (pkg-config --static --libs)"
[ $rc -eq 0 ] || sed 's/^/# /' "$tap_tmp/cc.err" | head -20
if [ -x "$tap_tmp/ext_static" ]; then
  ! ldd "$tap_tmp/ext_static" | grep -q libtsukit
  tap_ok $? "the static program needs no libtsukit.so"
  run_ext "$tap_tmp/ext_static" static
fi
tap_done
