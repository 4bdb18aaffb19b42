# cli_calibrate.sh -- `tsukit calibrate` and `tsukit predict`: a small pbit
# sweep that `tsukit sample --cells` accepts; SIGINT and SIGKILL midway,
# then --resume, give the same datasets as an uninterrupted run (and
# --workers 1 the same as --workers 2); bad input.
# Workload: three sweeps of 3 temperatures x 7 controls at 4 us simulated
# time (about 0.45 s of CPU per point: ~30 s of CPU in all).  The grid
# (0.185..0.188 V, 295..305 K) sits on the pbit's transition, inside the
# documented range 0.178..0.194 V of `tsukit cells`.
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
sweep="--cell pbit --vctl 0.185:0.188:7 --temp 295,300,305 --time 4e-6 --seed 3"
# the test reads a file that a sweep has open for writing
export HDF5_USE_FILE_LOCKING=FALSE

# points done so far in FILE (0 while it does not exist yet)
ndone() { "$dump" "$1" /cells/pbit/point_done 2>/dev/null | tr ' ' '\n' | tail -n +3 | grep -c '^1$'; }
# wait until FILE has at least N points done (up to 60 s)
wait_points() {
  i=0
  while [ "$(ndone "$1")" -lt "$2" ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
}

ref="$tap_tmp/ref.h5"
tap_run_rc 0 "calibrate: 21-point sweep, 2 workers" "$TSUKIT" calibrate $sweep --workers 2 -o "$ref"
for k in points fit_v0_V fit_vs_V tau_s energy_J; do
  [ -n "$(kv "$k" "$tap_tmp/out")" ]; tap_ok $? "calibrate: summary has $k="
done
[ "$(kv points "$tap_tmp/out")" = 21 ]; tap_ok $? "calibrate: points=21"
v0=$(kv fit_v0_V "$tap_tmp/out")
fcmp "$v0 > 0.185 && $v0 < 0.188"; tap_ok $? "calibrate: v0 inside the swept range ($v0 V)"
[ ! -e "$ref.partial" ]; tap_ok $? "calibrate: no .partial left"
"$dump" "$ref" /cells/pbit > "$tap_tmp/ref.txt"; tap_ok $? "dump the library"
for d in temperature_K control_V p_state p_state_stderr tau_s energy_J fit/v0_V fit/vs_V fit/v0_err_V fit/vs_err_V fit/chi2_red; do
  grep -q "^/cells/pbit/$d " "$tap_tmp/ref.txt"; tap_ok $? "library has /cells/pbit/$d"
done
grep -q '^/cells/pbit/p_state \[3,7,2\]' "$tap_tmp/ref.txt"; tap_ok $? "p_state is [nT, nV, 2]"
# a point that never flipped is stored as exactly 0 or 1 with its flag
awk '/^\/cells\/pbit\/no_transitions /{for(i=3;i<=NF;i++) if($i==1) n++} END{exit !(n>0)}' "$tap_tmp/ref.txt"
tap_ok $? "some points never flipped and are flagged"
awk '/^\/cells\/pbit\/no_transitions /{for(i=3;i<=NF;i++) f[i-3]=$i}
     /^\/cells\/pbit\/p_state /{for(i=3;i<=NF;i+=2) p[(i-3)/2]=$(i+1)}
     END{for(k in f) if(f[k]==1 && p[k]!=0 && p[k]!=1) exit 1}' "$tap_tmp/ref.txt"
tap_ok $? "flagged points have P(1) exactly 0 or 1"

tap_run_rc 0 "sample accepts the library" "$TSUKIT" sample --cells "$ref" --cell pbit --temp 300 --graph G4 --L 8 --chains 16 --sweeps 40 --burn-in 10 --threads 1 -o "$tap_tmp/s.h5"
tap_run_rc 0 "predict inside the range" "$TSUKIT" predict --cells "$ref" --cell pbit --temp 302 --vctl 0.1865
p1=$(kv p1 "$tap_tmp/out"); tau=$(kv tau_s "$tap_tmp/out")
fcmp "$p1 >= 0 && $p1 <= 1 && $tau > 0"; tap_ok $? "predict: p1 in [0,1], tau > 0 (p1=$p1 tau_s=$tau)"
tap_run_rc 2 "predict far outside the calibrated range" "$TSUKIT" predict --cells "$ref" --cell pbit --temp 400 --vctl 0.1865
grep -q "outside the calibrated range" "$tap_tmp/err"; tap_ok $? "predict: says outside the range"
tap_run_rc 1 "predict a missing cell" "$TSUKIT" predict --cells "$ref" --cell nope --temp 300 --vctl 0.1865

# SIGINT after the first points: finished points kept, resume hint, exit 1
a="$tap_tmp/a.h5"
"$TSUKIT" calibrate $sweep --workers 1 -o "$a" >"$tap_tmp/a.out" 2>"$tap_tmp/a.err" &
pid=$!
wait_points "$a" 2
kill -INT $pid
wait $pid; rc=$?
[ $rc -eq 1 ]; tap_ok $? "SIGINT: exit 1 (got $rc)"
grep -q -- "--resume" "$tap_tmp/a.err"; tap_ok $? "SIGINT: says how to resume ($(grep -m1 interrupted "$tap_tmp/a.err"))"
n=$(ndone "$a")
[ "$n" -ge 2 ] && [ "$n" -lt 21 ]; tap_ok $? "SIGINT: $n of 21 points kept"
tap_run_rc 1 "sample refuses an unfinished sweep" "$TSUKIT" sample --cells "$a" --cell pbit --temp 300 --graph G4 --L 8 -o "$tap_tmp/s2.h5"
grep -q "unfinished" "$tap_tmp/err"; tap_ok $? "sample: says unfinished"
tap_run_rc 1 "existing file without --resume or --force is refused" "$TSUKIT" calibrate $sweep -o "$a"
grep -q -- "--resume" "$tap_tmp/err"; tap_ok $? "refusal names --resume"
[ "$(ndone "$a")" -eq "$n" ]; tap_ok $? "refusal: nothing lost"
tap_run_rc 2 "--resume with other settings is refused" "$TSUKIT" calibrate $sweep --time 5e-6 --resume -o "$a"
tap_run_rc 0 "resume (1 worker)" "$TSUKIT" calibrate $sweep --workers 1 --resume -o "$a"
grep -q "resuming: $n of 21" "$tap_tmp/err"; tap_ok $? "resume: skips the $n finished points"
grep -q "$((21 - n)) point(s) simulated" "$tap_tmp/err"; tap_ok $? "resume: recomputes only the $((21 - n)) others"
"$dump" "$a" /cells/pbit > "$tap_tmp/a.txt"
cmp -s "$tap_tmp/ref.txt" "$tap_tmp/a.txt"; tap_ok $? "interrupted + resumed, 1 worker == uninterrupted, 2 workers (all datasets)"

# SIGKILL of the parent (a crash): file stays valid, resume completes
b="$tap_tmp/b.h5"
"$TSUKIT" calibrate $sweep --workers 2 -o "$b" >/dev/null 2>&1 &
pid=$!
wait_points "$b" 3
kill -KILL $pid
wait $pid 2>/dev/null
n=$(ndone "$b")
[ "$n" -ge 3 ]; tap_ok $? "SIGKILL: file readable, $n points kept"
tap_run_rc 0 "resume after SIGKILL" "$TSUKIT" calibrate $sweep --workers 2 --resume -o "$b"
"$dump" "$b" /cells/pbit > "$tap_tmp/b.txt"
cmp -s "$tap_tmp/ref.txt" "$tap_tmp/b.txt"; tap_ok $? "killed + resumed == uninterrupted (all datasets)"
tap_run_rc 0 "resume of a finished library refits, simulates nothing" "$TSUKIT" calibrate $sweep --resume -o "$b"
grep -q "point(s) simulated" "$tap_tmp/err"; [ $? -ne 0 ]; tap_ok $? "finished: no point simulated"

# bad input: exit 2, the option named, no file
bad() { # bad WHAT OPTION ARGS...
  what=$1; opt=$2; shift 2
  rm -f "$tap_tmp/bad.h5"
  tap_run_rc 2 "$what" "$TSUKIT" calibrate "$@" -o "$tap_tmp/bad.h5"
  grep -q -e "$opt" "$tap_tmp/err"; tap_ok $? "$what: names $opt ($(tail -n 1 "$tap_tmp/err"))"
  [ ! -e "$tap_tmp/bad.h5" ]; tap_ok $? "$what: no output file"
}
bad "N < 2" --vctl --cell pbit --vctl 0.18:0.19:1 --temp 300
bad "B < A" --vctl --cell pbit --vctl 0.19:0.18:5 --temp 300
bad "malformed range" --vctl --cell pbit --vctl 0.18-0.19 --temp 300
bad "unknown cell" --cell --cell nosuch --vctl 0.18:0.19:3 --temp 300
bad "temperature <= 0" --temp --cell pbit --vctl 0.18:0.19:3 --temp 300,-300C
bad "zero kelvin" --temp --cell pbit --vctl 0.18:0.19:3 --temp 0
bad "workers 0" --workers --cell pbit --vctl 0.18:0.19:3 --temp 300 --workers 0
bad "control above the supply" --vctl --cell pbit --vctl 0.1:0.5:3 --temp 300

# a range where the cell never flips: "no transitions observed", exit 1
tap_run_rc 1 "sweep where the cell never flips" "$TSUKIT" calibrate --cell pbit --vctl 0.178:0.180:3 --temp 300 --time 1e-6 -o "$tap_tmp/nt.h5"
grep -q "no transitions observed" "$tap_tmp/err"; tap_ok $? "says no transitions observed"
tap_done
