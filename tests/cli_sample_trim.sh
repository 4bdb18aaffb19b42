# cli_sample_trim.sh -- `tsukit sample` / `dtm sample` on a pbit library
# with measured Monte-Carlo instances (tests/data/pbit_mc3.h5: 3
# instances, `calibrate --mc 3`; at 300 K all three fitted, at 305 K
# one): --mismatch auto|instances|gaussian|none and --trim.
# Three isolated nodes with bias h = 0.3 at beta 1: node i runs instance
# i.  Untrimmed, node i samples P(1) = sigmoid(a_i h + b_i) with a_i =
# 2 beta vs_nom / vs_i, b_i = (v0_nom - v0_i) / vs_i (the nominal fit as
# the mapping, the instance's own curve, tsu/tsu_cell.h); trimmed, every
# node samples the ideal sigmoid(2 beta h).  Both from the library's own
# numbers (read with dump_h5), each <s_i> within 4.5 batch-means sigma +
# 0.002; 64 chains x 4000 sweeps, seed 3.  Workload: a few seconds.
. "$TSUKIT_SRCDIR/tests/tap.sh"
lib="$TSUKIT_SRCDIR/tests/data/pbit_mc3.h5"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
row() { "$dump" "$1" | sed -n "s|^$2 \[[^]]*\] ||p"; }   # FILE DATASET
printf 'b 0 0.3\nb 1 0.3\nb 2 0.3\n' > "$tap_tmp/three.txt"
run="--graph $tap_tmp/three.txt --beta 1 --chains 64 --sweeps 4000 --seed 3 --cells $lib --cell pbit"

# the library's numbers at 300 K (row 1 of 295/300/305 K)
v0n=$(row "$lib" /cells/pbit/fit/v0_V | awk '{print $2}')
vsn=$(row "$lib" /cells/pbit/fit/vs_V | awk '{print $2}')
iv0=$(row "$lib" /cells/pbit/mismatch/instance_v0_V | awk '{print $4, $5, $6}')
ivs=$(row "$lib" /cells/pbit/mismatch/instance_vs_V | awk '{print $4, $5, $6}')

# check FILE MODE: every <s_i> against the model (MODE trim or untrimmed)
check() {
  mean=$(row "$1" /moments/mean); se=$(row "$1" /moments/mean_stderr)
  echo "$mean | $se | $iv0 | $ivs" | awk -v m="$2" -v v0n="$v0n" -v vsn="$vsn" '{
    split($0, f, "|"); split(f[1], mu, " "); split(f[2], s, " ")
    split(f[3], v0, " "); split(f[4], vs, " ")
    for (i = 1; i <= 3; i++) {
      if (m == "trim") z = 2 * 0.3
      else z = 2 * vsn / vs[i] * 0.3 + (v0n - v0[i]) / vs[i]
      want = 2 / (1 + exp(-z)) - 1; d = mu[i] - want; if (d < 0) d = -d
      printf "# node %d <s> %.5f model %.5f se %.2g\n", i - 1, mu[i], want, s[i]
      if (d > 4.5 * s[i] + 0.002) bad = 1 }
    exit bad }'
}

tap_run_rc 0 "auto: the library's instances, untrimmed" "$TSUKIT" sample $run --temp 300 -o "$tap_tmp/u.h5"
[ "$(kv cell_mismatch "$tap_tmp/out")" = instances ]; tap_ok $? "summary: cell_mismatch=instances"
grep -q "cells: instances: 3 of 3 instances fitted, node i = instance i mod 3" "$tap_tmp/err"
tap_ok $? "stderr says which instance each node runs"
check "$tap_tmp/u.h5" untrimmed; tap_ok $? "untrimmed: node i samples instance i's curve under the nominal mapping"

tap_run_rc 0 "--trim" "$TSUKIT" sample $run --temp 300 --trim -o "$tap_tmp/t.h5"
[ "$(kv cell_mismatch "$tap_tmp/out")" = instances-trimmed ]; tap_ok $? "summary: cell_mismatch=instances-trimmed"
check "$tap_tmp/t.h5" trim; tap_ok $? "trimmed: every node samples the ideal sigmoid(2 beta h)"

tap_run_rc 0 "--trim --trim-lsb 0.5 mV" "$TSUKIT" sample $run --temp 300 --trim --trim-lsb 0.5e-3 -o "$tap_tmp/q.h5"
grep -q "the offset in steps of 0.0005 V" "$tap_tmp/err"; tap_ok $? "stderr names the trim step"
tap_run_rc 2 "--trim-lsb without --trim" "$TSUKIT" sample $run --temp 300 --trim-lsb 0.5e-3 -o "$tap_tmp/x.h5"
tap_run_rc 2 "--trim-lsb 0" "$TSUKIT" sample $run --temp 300 --trim --trim-lsb 0 -o "$tap_tmp/x.h5"

tap_run_rc 0 "--mismatch none" "$TSUKIT" sample $run --temp 300 --mismatch none -o "$tap_tmp/n.h5"
[ "$(kv cell_mismatch "$tap_tmp/out")" = none ]; tap_ok $? "summary: cell_mismatch=none"
tap_run_rc 0 "--mismatch gaussian at 300 K" "$TSUKIT" sample $run --temp 300 --mismatch gaussian -o "$tap_tmp/g.h5"
[ "$(kv cell_mismatch "$tap_tmp/out")" = gaussian ]; tap_ok $? "summary: cell_mismatch=gaussian"

# 302 K lies between 300 K (3 fitted) and 305 K (1 fitted)
tap_run_rc 0 "302 K: the one instance that fitted at both temperatures" "$TSUKIT" sample $run --temp 302 -o "$tap_tmp/u2.h5"
grep -q "1 of 3 instances fitted" "$tap_tmp/err"; tap_ok $? "stderr: 1 of 3 instances"
tap_run_rc 2 "302 K --mismatch gaussian: no spread from one instance" "$TSUKIT" sample $run --temp 302 --mismatch gaussian -o "$tap_tmp/x.h5"
grep -q "mismatch spread is not defined at 302.00 K" "$tap_tmp/err"; tap_ok $? "the error names the temperature"
[ ! -e "$tap_tmp/x.h5" ]; tap_ok $? "nothing written"
tap_run_rc 2 "--trim with --mismatch gaussian" "$TSUKIT" sample $run --temp 300 --trim --mismatch gaussian -o "$tap_tmp/x.h5"
grep -q "needs the library's instances" "$tap_tmp/err"; tap_ok $? "the error says why"
tap_run_rc 2 "--trim without --cells" "$TSUKIT" sample --graph "$tap_tmp/three.txt" --trim -o "$tap_tmp/x.h5"
tap_run_rc 2 "--mismatch with a bad word" "$TSUKIT" sample $run --temp 300 --mismatch some -o "$tap_tmp/x.h5"
tap_run_rc 2 "cat4 cells: --trim refused" "$TSUKIT" sample --cells "$TSUKIT_SRCDIR/tests/data/cat4_300K.h5" --cell cat4 --temp 300 --graph "$tap_tmp/three.txt" --trim -o "$tap_tmp/x.h5"
grep -q "pbit cells only" "$tap_tmp/err"; tap_ok $? "the error says pbit cells only"
tap_run_rc 2 "dtm sample: --trim without --cells" "$TSUKIT" dtm sample --model "$tap_tmp/none.h5" --n 2 --trim -o "$tap_tmp/x.h5"
tap_done
