# install_python.sh -- the Python package after `make install` into a
# fresh prefix (tests/install_external.sh is the C side): the package
# and its _config.py land in the prefix's site-packages folder, and
# `python3 -c "import tsukit; print(tsukit.__version__)"` works from
# outside the tree with no LD_LIBRARY_PATH, loading the installed
# libtsukit.  The prefix here is not one of Python's own, so PYTHONPATH
# names its site-packages folder (README, Python section); for the
# default prefix /usr/local nothing is needed on Debian.
# Workload: one `make install` (seconds) and a small chip run.  In a
# sanitizer build the interpreter runs with ASan's runtime preloaded
# (tests/python_env.sh).
. "$TSUKIT_SRCDIR/tests/tap.sh"
: "${TSUKIT_BUILDDIR:?}"
if [ -z "${TSUKIT_PYTHON:-}" ]; then
  echo "1..0 # SKIP Python package disabled (configure found no python3 with NumPy; Debian: python3-numpy)"
  exit 0
fi
. "$TSUKIT_SRCDIR/tests/python_env.sh"
prefix=$tap_tmp/prefix
# a real prefix, not DESTDIR: _config.py names the installed libdir
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${TSUKIT_MAKE:-make} -C "$TSUKIT_BUILDDIR" \
  install prefix="$prefix" >"$tap_tmp/install.log" 2>&1
rc=$?
tap_ok $rc "make install prefix=$prefix"
[ $rc -eq 0 ] || { tail -20 "$tap_tmp/install.log" | sed 's/^/# /'; tap_done; exit 1; }

cfg=$(find "$prefix" -path '*/tsukit/_config.py' | head -n 1)
[ -n "$cfg" ]; tap_ok $? "tsukit/_config.py installed ($cfg)"
site=${cfg%/tsukit/_config.py}
tap_note "site-packages folder: $site"
grep -q "LIBRARY = '$prefix/lib/libtsukit.so.0'" "$cfg"
tap_ok $? "_config.py names the installed library"
n_py=$(ls "$site"/tsukit/*.py | wc -l)
[ "$n_py" -ge 10 ]; tap_ok $? "the package's modules installed ($n_py files)"

cd "$tap_tmp" || exit 1
(unset LD_LIBRARY_PATH; PYTHONPATH="$site" PYTHONDONTWRITEBYTECODE=1
  export PYTHONPATH PYTHONDONTWRITEBYTECODE
  tk_python -c "import tsukit; print(tsukit.__version__)") >out 2>err
rc=$?
tap_ok $rc "python3 -c 'import tsukit; print(tsukit.__version__)' outside the tree"
[ $rc -eq 0 ] || sed 's/^/# /' err
[ "$(cat out)" = "$("$TSUKIT" version | sed -n 's/^version=\([^ ]*\).*/\1/p')" ]
tap_ok $? "it prints the program's version ($(cat out))"

(unset LD_LIBRARY_PATH; PYTHONPATH="$site" PYTHONDONTWRITEBYTECODE=1
  TSUKIT_PROGRESS=never; export PYTHONPATH PYTHONDONTWRITEBYTECODE TSUKIT_PROGRESS
  tk_python -c "
import tsukit
assert tsukit.__file__.startswith('$site/'), tsukit.__file__
assert tsukit.library_path == '$prefix/lib/libtsukit.so.0'
assert tsukit.program_path == '$prefix/bin/tsukit'
maps = open('/proc/self/maps').read()
assert '$prefix/lib/libtsukit.so' in maps, 'the installed library is not loaded'
s = tsukit.Chip(graph='G12', L=16).sample(sweeps=40, chains=64, seed=3)
assert s.states.shape == (256, 1) and abs(float(s.mean.mean())) <= 1
print('ok')
") >out 2>err
rc=$?
tap_ok $rc "the installed package loads the installed libtsukit.so and samples a chip"
[ $rc -eq 0 ] || sed 's/^/# /' err
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${TSUKIT_MAKE:-make} -C "$TSUKIT_BUILDDIR" \
  uninstall prefix="$prefix" >"$tap_tmp/uninstall.log" 2>&1
[ ! -e "$site/tsukit/_config.py" ] && [ ! -e "$site/tsukit/__init__.py" ]
tap_ok $? "make uninstall removes the package"
tap_done
