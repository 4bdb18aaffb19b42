#!/bin/sh
# setup.sh -- one command from a fresh Debian machine to a running tsukit.
#
#   ./setup.sh demo    install what is missing, build, run `tsukit demo`
#   ./setup.sh check   install what is missing, build, run the test suite
#                      (ends with the line "N passed, N failed")
#
# Debian packages are installed only when missing (root, or sudo); the
# Python ones serve the Python package and its tests (configure picks a
# python3 that has NumPy, /usr/bin/python3 before PATH).  The
# build lives in build/ (out of tree); MAKEFLAGS and CONFIGURE_FLAGS pass
# through (e.g. CONFIGURE_FLAGS=--with-mpi).
set -u
cd "$(dirname "$0")" || exit 1
top=$(pwd)
what=${1:-demo}
case $what in demo|check|build) ;; *)
  echo "usage: ./setup.sh demo|check|build" >&2; exit 2 ;; esac

PKGS="build-essential autoconf automake libtool autoconf-archive pkg-config
 libgsl-dev libfftw3-dev libngspice0-dev libhdf5-dev zlib1g-dev gnuplot-nox
 dataset-fashion-mnist python3 python3-numpy python3-pytest"
# An MPI build also needs Open MPI (compiler wrappers and mpirun).
case " ${CONFIGURE_FLAGS:-} " in *" --with-mpi"*) PKGS="$PKGS libopenmpi-dev openmpi-bin" ;; esac

missing=
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing" >&2
  if [ "$(id -u)" -eq 0 ]; then sudo=; elif command -v sudo >/dev/null; then sudo=sudo
  else echo "setup: need root (or sudo) to install:$missing" >&2; exit 1; fi
  $sudo apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >&2 ||
    { echo "setup: apt-get install failed" >&2; exit 1; }
fi

jobs=$(nproc 2>/dev/null || echo 2)
build() {
  if [ ! -x configure ] || [ configure.ac -nt configure ]; then
    ./autogen.sh >&2 || return 1
  fi
  mkdir -p build && cd build || return 1
  if [ ! -f Makefile ]; then
    ../configure ${CONFIGURE_FLAGS:-} >&2 || return 1
  fi
  make -j"$jobs" >&2
}

summary() { # count TAP results from the automake .trs files
  pass=$(cat $(find "$top/build/tests" -name '*.trs' 2>/dev/null) /dev/null |
         grep -c '^:test-result: \(PASS\|XFAIL\|SKIP\)')
  fail=$(cat $(find "$top/build/tests" -name '*.trs' 2>/dev/null) /dev/null |
         grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)')
}

case $what in
build)
  build ;;
demo)
  build || { echo "setup: build failed" >&2; exit 1; }
  cd "$top" && build/tsukit demo ;;
check)
  if ! build; then
    echo "setup: build failed" >&2
    echo "0 passed, 1 failed"; exit 1
  fi
  find tests -name '*.trs' -delete 2>/dev/null
  make -j"$jobs" check >&2; rc=$?
  summary
  if [ "$fail" -gt 0 ] || [ "$rc" -ne 0 ]; then
    for f in $(grep -l '^:test-result: \(FAIL\|ERROR\|XPASS\)' $(find tests -name '*.trs')); do
      echo "---- ${f%.trs}.log" >&2; grep -v '^ok ' "${f%.trs}.log" | head -60 >&2
    done
    [ "$fail" -eq 0 ] && fail=1
  fi
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ] ;;
esac
