# cli_bench_cells.sh -- `tsukit bench cells` end to end (issue 15): one
# summary line with both engines' times and the ratio, exit codes on bad
# input; --batch: the batch's traces bit for bit the runs alone on every
# path this CPU has (batch_identical), an unknown path refused.
# Workload: 0.5 us of pbit per engine (ngspice ~0.3 s), 6 native runs of
# 1 us twice per path.
. "$TSUKIT_SRCDIR/tests/tap.sh"

tap_run_rc 0 "bench cells, pbit, 0.5 us" "$TSUKIT" bench cells --cell pbit \
  --time 5e-7 --repeats 1 --seed 3
[ "$(wc -l < "$tap_tmp/out")" -eq 1 ]; tap_ok $? "exactly one summary line"
for k in ngspice_s native_s speedup ngspice_p1 native_p1 ngspice_flips native_flips; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "summary has $k"
done
s=$(kv speedup "$tap_tmp/out")
fcmp "$s > 0"; tap_ok $? "speedup is positive ($s)"
for path in scalar lanes4 lanes4-avx2; do
  if [ "$path" = lanes4-avx2 ] && ! grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
    tap_run_rc 2 "lanes4-avx2 refused without AVX2" "$TSUKIT" bench cells \
      --cell pbit --time 1e-6 --repeats 1 --batch 2 --path lanes4-avx2
    continue
  fi
  tap_run_rc 0 "bench cells --batch 6 --path $path" "$TSUKIT" bench cells \
    --cell pbit --time 1e-6 --repeats 1 --seed 5 --batch 6 --path $path
  b=$(kv batch_identical "$tap_tmp/out")
  [ "$b" = 1 ]; tap_ok $? "path $path: every batch trace bit for bit its run alone (batch_identical=$b)"
  [ "$(kv path "$tap_tmp/out")" = "$path" ]; tap_ok $? "path $path reported"
done
tap_run_rc 2 "unknown batch path" "$TSUKIT" bench cells --batch 2 --path sse9
tap_run_rc 2 "--path without --batch" "$TSUKIT" bench cells --path lanes4
grep -q "needs --batch" "$tap_tmp/err"; tap_ok $? "the message says --path needs --batch"
tap_run_rc 2 "unknown cell" "$TSUKIT" bench cells --cell nosuch
tap_run_rc 2 "negative time" "$TSUKIT" bench cells --time -1
tap_run_rc 2 "zero repeats" "$TSUKIT" bench cells --repeats 0
tap_done
