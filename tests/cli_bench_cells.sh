# cli_bench_cells.sh -- `tsukit bench cells` end to end (issue 15): one
# summary line with both engines' times and the ratio, exit codes on bad
# input.  Workload: 0.5 us of pbit per engine (ngspice ~0.3 s).
. "$TSUKIT_SRCDIR/tests/tap.sh"

tap_run_rc 0 "bench cells, pbit, 0.5 us" "$TSUKIT" bench cells --cell pbit \
  --time 5e-7 --repeats 1 --seed 3
[ "$(wc -l < "$tap_tmp/out")" -eq 1 ]; tap_ok $? "exactly one summary line"
for k in ngspice_s native_s speedup ngspice_p1 native_p1 ngspice_flips native_flips; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "summary has $k"
done
s=$(kv speedup "$tap_tmp/out")
fcmp "$s > 0"; tap_ok $? "speedup is positive ($s)"
tap_run_rc 2 "unknown cell" "$TSUKIT" bench cells --cell nosuch
tap_run_rc 2 "negative time" "$TSUKIT" bench cells --time -1
tap_run_rc 2 "zero repeats" "$TSUKIT" bench cells --repeats 0
tap_done
