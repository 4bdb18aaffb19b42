#!/bin/sh
# fuzz/replay.sh -- make check: every file of fuzz/corpus/NAME/ (the seeds
# and the crash reproducers kept as regression inputs) through harness
# NAME built without libFuzzer (fuzz/replay_NAME).  One TAP line per
# harness; a crash, a harness check or a sanitizer report fails it.
top=${TSUKIT_SRCDIR:-..}
bld=${TSUKIT_BUILDDIR:-.}
names=${TSUKIT_FUZZ_NAMES:?TSUKIT_FUZZ_NAMES not set (run through make check)}
# Under --enable-sanitizers (the test environment sets ASAN_OPTIONS):
# whole stacks for LeakSanitizer (fast_unwind_on_malloc=0), so that only
# HDF5's own functions are suppressed (fuzz/lsan-hdf5.supp), never a
# tsukit frame; a huge allocation that HDF5 asks for from a corrupt size
# field returns NULL (HDF5 then fails cleanly) as it would without ASan.
if [ -n "${ASAN_OPTIONS:-}" ]; then
  ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0:malloc_context_size=64:allocator_may_return_null=1"
  LSAN_OPTIONS="exitcode=86:suppressions=$top/fuzz/lsan-hdf5.supp:print_suppressions=0"
  export ASAN_OPTIONS LSAN_OPTIONS
fi
set -- $names
echo "1..$#"
errf=$(mktemp "${TMPDIR:-/tmp}/tsukit-replay.XXXXXX") || exit 1
trap 'rm -f "$errf"' EXIT
i=0
for n in $names; do
  i=$((i + 1))
  dir="$top/fuzz/corpus/$n"
  count=$(ls "$dir" 2>/dev/null | wc -l)
  if [ "$count" -eq 0 ]; then
    echo "not ok $i - $n: no corpus in $dir"
    continue
  fi
  out=$("$bld/fuzz/replay_$n" "$dir" 2>"$errf" </dev/null)
  rc=$?
  if [ $rc -eq 0 ]; then
    echo "ok $i - $n: $out"
  else
    echo "not ok $i - $n: exit $rc over $count files"
    tail -40 "$errf" | sed 's/^/# /'
  fi
done
