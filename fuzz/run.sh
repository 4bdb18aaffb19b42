#!/bin/sh
# fuzz/run.sh -- build the libFuzzer harnesses and run each one with a
# budget; prints executions and findings per harness (issue 18).
#
#   fuzz/run.sh [-t SECONDS] [-n RUNS] [-j JOBS] [-b BUILDDIR] [NAME...]
#
#   -t SECONDS  time budget per harness (default 60)
#   -n RUNS     stop a harness after RUNS executions (default 1000000);
#               a harness stops at whichever budget it meets first
#   -j JOBS     harnesses run at once (default 1)
#   -b BUILDDIR the clang build (default build-fuzz; configured with
#               CC=clang --enable-fuzz --disable-shared if it has no Makefile)
#   NAME...     harnesses (default all: parse graph idx subckt h5_celllib
#               h5_dtm h5_dtmc h5_trace h5_dwell h5_clf h5_samples)
#
# Each harness starts from its seeds, fuzz/corpus/NAME/, and a working
# corpus BUILDDIR/fuzz/work/NAME/ kept between runs; anything found goes
# to BUILDDIR/fuzz/found/ (crash-*, leak-*, timeout-*, oom-*; libFuzzer's
# slow-unit-* notes, over 10 s of wall time, are kept but not counted:
# on a loaded machine they are load, see README).  A finding
# is fixed in the source, and its input added to fuzz/corpus/NAME/ as a
# regression input (make check replays it: fuzz/replay.sh).  The last line
# is "N harnesses, E executions, F findings"; the exit status is 0 only
# with no finding.  Runs under nice -n 10.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
secs=60 runs=1000000 jobs=1 bdir=$top/build-fuzz
while getopts t:n:j:b: o; do
  case $o in
  t) secs=$OPTARG ;; n) runs=$OPTARG ;; j) jobs=$OPTARG ;; b) bdir=$OPTARG ;;
  *) echo "usage: fuzz/run.sh [-t SECONDS] [-n RUNS] [-j JOBS] [-b BUILDDIR] [NAME...]" >&2
     exit 2 ;;
  esac
done
shift $((OPTIND - 1))
all="parse graph idx subckt h5_celllib h5_dtm h5_dtmc h5_trace h5_dwell h5_clf h5_samples"
names=${*:-$all}
for n in $names; do
  case " $all " in *" $n "*) ;; *) echo "fuzz/run.sh: unknown harness '$n' (have: $all)" >&2; exit 2 ;; esac
done

mkdir -p "$bdir" || exit 1
if [ ! -f "$bdir/Makefile" ]; then
  [ -x "$top/configure" ] || (cd "$top" && ./autogen.sh) || exit 1
  (cd "$bdir" && "$top/configure" CC=clang --enable-fuzz --disable-shared >configure.log 2>&1) ||
    { echo "fuzz/run.sh: configure CC=clang --enable-fuzz failed (see $bdir/configure.log)" >&2; exit 1; }
fi
progs=
for n in $names; do progs="$progs fuzz/fuzz_$n fuzz/replay_$n"; done
(cd "$bdir" && nice -n 10 make -j"$jobs" $progs >make-fuzz.log 2>&1) ||
  { echo "fuzz/run.sh: build failed (see $bdir/make-fuzz.log)" >&2; exit 1; }

# The sanitizers' settings: a report is a finding (HDF5's own crashes are
# set apart, see one() below).  The HDF5 harnesses fuzz with LeakSanitizer off (HDF5 1.10.8 loses memory on corrupt files
# inside its own metadata cache, and its stacks end in its module under
# libFuzzer's fast unwinding) and with allocator_may_return_null=1 (HDF5
# asks for sizes up to 2^49 bytes read from corrupt fields; malloc
# returns NULL and HDF5 fails cleanly, as without ASan); then their whole
# corpus is replayed (fuzz/replay_NAME) with whole stacks under LSan,
# suppressing HDF5's own functions only (fuzz/lsan-hdf5.supp): a leak
# with a tsukit frame is a finding.
ASAN_BASE="strict_string_checks=1:check_initialization_order=1"
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
HDF5_USE_FILE_LOCKING=FALSE
export UBSAN_OPTIONS HDF5_USE_FILE_LOCKING
one() { # one NAME: run harness NAME, write its summary line to its .sum
  n=$1
  work=$bdir/fuzz/work/$n found=$bdir/fuzz/found log=$bdir/fuzz/log/$n.log
  mkdir -p "$work" "$found" "$bdir/fuzz/log"
  before=$(ls "$found" | grep -v -e '\.report$' -e '-slow-unit-' | grep -c "^$n-")
  dict=
  [ -f "$top/fuzz/$n.dict" ] && dict=-dict=$top/fuzz/$n.dict
  case $n in
  h5_*) asan="$ASAN_BASE:detect_leaks=0:allocator_may_return_null=1" leaks=0 ;;
  *) asan="$ASAN_BASE:detect_leaks=1" leaks=1 ;;
  esac
  # Runs until the budget is spent; a report (crash, timeout, huge
  # malloc) whose first frame in HDF5 or in tsukit's sources is in libhdf5
  # is HDF5's own: its input and report go to found/hdf5-internal/ (kept
  # for a person to read: tsukit could still be the cause), counted
  # apart, and the fuzzer starts again with what is left of the budget.
  # Any other report ends the harness as a finding.
  t0=$(date +%s) done_execs=0 hdf5=0 rc=0
  : >"$log"
  mkdir -p "$found/hdf5-internal"
  while :; do
    left_t=$((secs - ($(date +%s) - t0))) left_n=$((runs - done_execs))
    [ $left_t -gt 0 ] && [ $left_n -gt 0 ] || break
    ASAN_OPTIONS=$asan LSAN_OPTIONS="suppressions=$top/tests/lsan.supp" \
      nice -n 10 "$bdir/fuzz/fuzz_$n" -runs="$left_n" -max_total_time="$left_t" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -detect_leaks=$leaks \
      $dict -artifact_prefix="$found/$n-" "$work" "$top/fuzz/corpus/$n" \
      </dev/null >"$log.part" 2>&1
    rc=$?
    cat "$log.part" >>"$log"
    e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log.part" | tail -n 1)
    done_execs=$((done_execs + ${e:-0}))
    [ $rc -eq 0 ] && break
    art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log.part" | tail -n 1)
    # the first frame in libhdf5 or in a source file of ours (the
    # sanitizer runtime, libFuzzer and libc frames before it skipped)
    first=$(grep -E '^ +#[0-9]+ ' "$log.part" |
            grep -E 'libhdf5|\.\./[a-z]+/[a-z0-9_]+\.c' | head -n 1)
    case $first in
    *libhdf5*)
      if [ -n "$art" ] && [ -f "$art" ]; then
        cp "$log.part" "$found/hdf5-internal/$(basename "$art").report"
        mv "$art" "$found/hdf5-internal/"
      fi
      hdf5=$((hdf5 + 1)) rc=0 ;;
    *) break ;;
    esac
  done
  rm -f "$log.part"
  t1=$(date +%s)
  if [ $leaks -eq 0 ] && [ $rc -eq 0 ]; then
    # the corpus it grew, replayed with whole stacks under LSan; if that
    # fails, file by file: a working-corpus input whose crash (not a
    # leak) has its first frame in libhdf5 is HDF5's own, as above (its
    # crashes on use of freed memory need not repeat from run to run, so
    # the fuzzer may have kept such an input); anything else is a finding
    replay() {
      ASAN_OPTIONS="$ASAN_BASE:detect_leaks=1:allocator_may_return_null=1:fast_unwind_on_malloc=0:malloc_context_size=64" \
        LSAN_OPTIONS="suppressions=$top/fuzz/lsan-hdf5.supp:print_suppressions=0" \
        nice -n 10 "$bdir/fuzz/replay_$n" "$@" </dev/null
    }
    if ! replay "$work" "$top/fuzz/corpus/$n" >"$log.part" 2>&1; then
      for fil in "$top/fuzz/corpus/$n"/* "$work"/*; do
        replay "$fil" >"$log.part" 2>&1 && continue
        cat "$log.part" >>"$log"
        first=$(grep -E '^ +#[0-9]+ ' "$log.part" |
                grep -E 'libhdf5|\.\./[a-z]+/[a-z0-9_]+\.c' | head -n 1)
        case $fil:$first in
        "$work"/*:*libhdf5*)
          if ! grep -q LeakSanitizer "$log.part"; then
            cp "$log.part" "$found/hdf5-internal/$n-replay-$(basename "$fil").report"
            mv "$fil" "$found/hdf5-internal/$n-replay-$(basename "$fil")"
            hdf5=$((hdf5 + 1))
            continue
          fi ;;
        esac
        rc=1
        echo "fuzz/run.sh: report replaying $fil" >>"$log"
      done
    fi
    rm -f "$log.part"
  fi
  execs=$done_execs
  after=$(ls "$found" | grep -v -e '\.report$' -e '-slow-unit-' | grep -c "^$n-")
  new=$((after - before))
  [ $rc -ne 0 ] && [ $new -eq 0 ] && new=1
  printf '%-12s execs=%-9s secs=%-5s execs_per_s=%-7s findings=%s hdf5_internal=%s%s\n' "$n" \
    "${execs:-0}" "$((t1 - t0))" "$(( ${execs:-0} / ( (t1 - t0) > 0 ? (t1 - t0) : 1 ) ))" \
    "$new" "$hdf5" "$([ $new -gt 0 ] && echo " (see $log)")" >"$bdir/fuzz/log/$n.sum"
}

if [ "$jobs" -gt 1 ]; then
  running=0
  for n in $names; do
    one "$n" &
    running=$((running + 1))
    if [ $running -ge "$jobs" ]; then wait; running=0; fi
  done
  wait
else
  for n in $names; do one "$n"; done
fi

total=0 finds=0 count=0
for n in $names; do
  cat "$bdir/fuzz/log/$n.sum"
  e=$(sed -n 's/.*execs=\([0-9]*\).*/\1/p' "$bdir/fuzz/log/$n.sum")
  f=$(sed -n 's/.*findings=\([0-9]*\).*/\1/p' "$bdir/fuzz/log/$n.sum")
  total=$((total + ${e:-0})); finds=$((finds + ${f:-0})); count=$((count + 1))
done
echo "$count harnesses, $total executions, $finds findings"
[ "$finds" -eq 0 ]
