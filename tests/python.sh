# python.sh -- the Python package's pytest suite (python/tests/) as TAP:
# one TAP line per pytest test, run against the build tree's package
# (PYTHONPATH=$TSUKIT_BUILDDIR/python, the one documented setting), with
# the interpreter configure found (TSUKIT_PYTHON; empty when Python is
# disabled: then the whole file is one SKIP with the reason).
# Workload: under a minute (a small pbit calibration, chips of 10-70^2
# nodes, exact enumeration of 2^10 and 3^3 states).  In a sanitizer build
# the interpreter runs with ASan's runtime preloaded (tests/python_env.sh).
. "$TSUKIT_SRCDIR/tests/tap.sh"
: "${TSUKIT_BUILDDIR:?}"
if [ -z "${TSUKIT_PYTHON:-}" ]; then
  echo "1..0 # SKIP Python package disabled (configure found no python3 with NumPy; Debian: python3-numpy)"
  exit 0
fi
if ! "$TSUKIT_PYTHON" -c 'import pytest' >/dev/null 2>&1; then
  echo "1..0 # SKIP pytest not installed for $TSUKIT_PYTHON (Debian: python3-pytest)"
  exit 0
fi
. "$TSUKIT_SRCDIR/tests/python_env.sh"
cd "$tap_tmp" || exit 1
(PYTHONPATH="$TSUKIT_BUILDDIR/python" PYTHONDONTWRITEBYTECODE=1
  export PYTHONPATH PYTHONDONTWRITEBYTECODE
  tk_python -m pytest -v -p no:cacheprovider -o console_output_style=classic \
  "$TSUKIT_SRCDIR/python/tests") >"$tap_tmp/pytest.out" 2>&1
rc=$?
while IFS= read -r line; do
  name=${line%% [PFESX]*}; name=${name##*python/tests/}
  case $line in
  *"::"*" PASSED"*) tap_ok 0 "$name" ;;
  *"::"*" XFAIL"*) tap_ok 0 "$name # expected failure" ;;
  *"::"*" SKIPPED"*) tap_n=$((tap_n + 1)); echo "ok $tap_n - $name # SKIP" ;;
  *"::"*" FAILED"*|*"::"*" ERROR"*|*"::"*" XPASS"*) tap_ok 1 "$name" ;;
  esac
done <"$tap_tmp/pytest.out"
# failures' detail and pytest's own summary as TAP comments
grep -v '^\(.*::.* \(PASSED\|SKIPPED\|XFAIL\)\)' "$tap_tmp/pytest.out" | tail -80 | sed 's/^/# /'
[ "$tap_n" -gt 0 ]; tap_ok $? "pytest ran tests (exit status $rc)"
[ "$rc" -eq 0 ]; tap_ok $? "pytest exit status 0"
tap_done
