# python_env.sh -- sourced by tests/python.sh and tests/install_python.sh
# (after tap.sh): tk_python runs $TSUKIT_PYTHON with "-m MODULE ARGS" or
# "-c CODE ARGS".
#
# In a normal build it is just "$TSUKIT_PYTHON" "$@".  In a sanitizer
# build (./configure --enable-sanitizers: TSUKIT_SANITIZE=yes in the test
# environment, tests/local.mk) the interpreter, which is not
# instrumented, loads the instrumented libtsukit.so; ASan insists that its
# runtime comes first in the initial library list, so the interpreter
# starts with TSUKIT_ASAN_RUNTIME (`$CC -print-file-name=libasan.so`, found
# by configure) in LD_PRELOAD, and with detect_leaks=0: CPython and NumPy
# keep their allocations until exit, which LSan would report.  That
# setting is for the interpreter process alone: a small launcher restores
# the outer ASAN_OPTIONS and LD_PRELOAD in os.environ before the module or
# code runs, so every program the tests start from Python (the tsukit
# program, instrumented) keeps the suite's leak checks.  No suppression is
# involved; ASan and UBSan reports inside the interpreter still fail the
# test (exit code 86 and a log in san-logs/).
tk_python_san=no
if [ "${TSUKIT_SANITIZE:-no}" = yes ] && [ -n "${TSUKIT_PYTHON:-}" ]; then
  if [ -z "${TSUKIT_ASAN_RUNTIME:-}" ] || [ ! -f "$TSUKIT_ASAN_RUNTIME" ]; then
    echo "1..0 # SKIP sanitizer build: configure found no shared libasan.so to preload into $TSUKIT_PYTHON"
    exit 0
  fi
  tk_python_san=yes
fi

# the launcher: put the outer environment back, then run like -m / -c
tk_python_launcher='import os, runpy, sys
for k in ("ASAN_OPTIONS", "LD_PRELOAD"):
    v = os.environ.pop("TSUKIT_SAN_OUTER_" + k)
    if v.startswith("set:"):
        os.environ[k] = v[4:]
    else:
        os.environ.pop(k, None)
a = sys.argv[1:]
if len(a) >= 2 and a[0] == "-m":
    sys.argv = [a[1]] + a[2:]
    runpy.run_module(a[1], run_name="__main__", alter_sys=True)
elif len(a) >= 2 and a[0] == "-c":
    sys.argv = ["-c"] + a[2:]
    exec(compile(a[1], "<string>", "exec"), {"__name__": "__main__"})
else:
    sys.exit("tk_python: usage: -m MODULE ARGS | -c CODE ARGS")
'

tk_python() {
  if [ "$tk_python_san" != yes ]; then
    "$TSUKIT_PYTHON" "$@"
    return
  fi
  (
    TSUKIT_SAN_OUTER_ASAN_OPTIONS=${ASAN_OPTIONS+set:$ASAN_OPTIONS}
    TSUKIT_SAN_OUTER_LD_PRELOAD=${LD_PRELOAD+set:$LD_PRELOAD}
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    LD_PRELOAD="$TSUKIT_ASAN_RUNTIME${LD_PRELOAD:+ $LD_PRELOAD}"
    export TSUKIT_SAN_OUTER_ASAN_OPTIONS TSUKIT_SAN_OUTER_LD_PRELOAD \
      ASAN_OPTIONS LD_PRELOAD
    exec "$TSUKIT_PYTHON" -c "$tk_python_launcher" "$@"
  )
}
