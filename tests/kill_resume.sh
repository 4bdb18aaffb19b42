# kill_resume.sh -- faults: SIGKILL at seeded random points of `calibrate`,
# `characterize` and `dtm train` (at least 20 kills each), each killed run
# followed by `--resume`; then the run is finished with --resume and held
# against an uninterrupted run with the same seed:
#   - no finished point lost: the number of done points in the file never
#     falls from one kill to the next, and each resume says it skips
#     exactly the points the file holds ("resuming: N of M");
#   - none recomputed: the final resume simulates exactly the M - N points
#     still missing (calibrate, characterize), and no DTM epoch is
#     reported twice over all the killed runs;
#   - the final file's data equal the uninterrupted run's, bit for bit
#     (every dataset of the cell library / of /dtm; provenance
#     attributes are not compared).
# The kill delays are drawn from a seeded generator, uniform over
# (0.02 s, W / 3 + 0.1 s) (W / 2 for characterize, whose preflight
# delays its first point) where W is the uninterrupted run's wall time on this
# machine, so kills land anywhere: before the skeleton exists, while
# points are stored, during the fits and the final rename.
# Workload: pbit 2 temperatures x 6 controls at 3 us (12 points), the
# example subcircuit 1 x 6 at 3 us, a DTM of 2 steps on a 44x44 grid with
# 64 images for 10 epochs; each in as many rounds as the kills need;
# about 1.5 minutes on 2 cores in all.
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
export HDF5_USE_FILE_LOCKING=FALSE
KILLS=${TK_KILLS:-20}

# seeded delays: delays SEED N MAX_S -> N numbers in (0.02, MAX_S)
delays() { awk -v s="$1" -v n="$2" -v m="$3" 'BEGIN { srand(s); for (i = 0; i < n; i++) printf "%.3f\n", 0.02 + rand() * (m - 0.02) }'; }
# wall time of a command in seconds into $wall, its status into $wall_rc
timed() {
  t0=$(date +%s.%N); "$@" >"$tap_tmp/out" 2>"$tap_tmp/err"; wall_rc=$?
  wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
}
# done points in FILE under GROUP (0 while the file does not exist)
ndone() { "$dump" "$1" "$2/point_done" 2>/dev/null | tr ' ' '\n' | tail -n +3 | grep -c '^1$'; }

# kill_rounds NAME FILE GROUP NPTS REF.txt CMD...: rounds of CMD --resume
# from no file to a finished library, each run SIGKILLed after a seeded
# random delay, until $KILLS kills are done; the run that ends by itself
# closes its round.  Checks the counts described above.
kill_rounds() {
  name=$1; f=$2; grp=$3; npts=$4; reftxt=$5; shift 5
  kills=0; runs=0; rounds=0; lost=0; badmsg=0; badsim=0; baddata=0; badrc=0
  at=
  delays "$kill_seed" 400 "$kmax" > "$tap_tmp/delays"
  exec 3<"$tap_tmp/delays"
  while [ $kills -lt "$KILLS" ] && [ $runs -lt 300 ]; do
    rounds=$((rounds + 1)); rm -f "$f" "$f.partial"; prev=0
    while [ $runs -lt 300 ]; do
      runs=$((runs + 1))
      if [ $kills -lt "$KILLS" ]; then read -r d <&3; else d=; fi
      "$@" --resume >"$tap_tmp/k.out" 2>"$tap_tmp/k.err" &
      pid=$!
      killed=0
      if [ -n "$d" ]; then
        sleep "$d"
        kill -KILL $pid 2>/dev/null && killed=1
      fi
      { wait $pid; } 2>/dev/null; rc=$?
      # what the run saw on starting: the points the file held before it
      if [ "$prev" -gt 0 ] && [ "$prev" -lt "$npts" ] && grep -q "resuming:" "$tap_tmp/k.err" &&
         ! grep -q "resuming: $prev of $npts points already done" "$tap_tmp/k.err"; then
        badmsg=$((badmsg + 1)); tap_note "$name: run $runs: $(grep resuming: "$tap_tmp/k.err") (the file had $prev)"
      fi
      n=$(ndone "$f" "$grp")
      [ "$n" -lt "$prev" ] && { lost=$((lost + 1)); tap_note "$name: run $runs lost points: $prev -> $n"; }
      if [ $killed -eq 1 ]; then
        kills=$((kills + 1)); prev=$n; at="$at $n"; continue
      fi
      # the run that finished: exactly the missing points simulated
      [ $rc -eq 0 ] || { badrc=$((badrc + 1)); tap_note "$name: run $runs: exit $rc: $(tail -n 1 "$tap_tmp/k.err")"; }
      if [ "$prev" -lt "$npts" ]; then
        grep -q "^tsukit $name: $((npts - prev)) point(s) simulated" "$tap_tmp/k.err"
      else
        ! grep -q "point(s) simulated" "$tap_tmp/k.err"
      fi || { badsim=$((badsim + 1)); tap_note "$name: run $runs after $prev of $npts: $(grep 'simulated' "$tap_tmp/k.err")"; }
      "$dump" "$f" "$grp" > "$tap_tmp/got.txt" 2>&1
      cmp -s "$reftxt" "$tap_tmp/got.txt" || { baddata=$((baddata + 1)); tap_note "$name: round $rounds differs from the uninterrupted run"; }
      break
    done
  done
  exec 3<&-
  tap_note "$name: $kills kills in $runs runs ($rounds rounds), delays up to $kmax s; points done at each kill:$at"
  [ $kills -ge "$KILLS" ]; tap_ok $? "$name: at least $KILLS kills at random points ($kills)"
  [ $lost -eq 0 ]; tap_ok $? "$name: no finished point lost from one kill to the next"
  [ $badmsg -eq 0 ]; tap_ok $? "$name: every resume skipped exactly the points the file held"
  [ $badrc -eq 0 ]; tap_ok $? "$name: every round finished with exit 0"
  [ $badsim -eq 0 ]; tap_ok $? "$name: the last run of each round simulated only the missing points"
  [ $baddata -eq 0 ]; tap_ok $? "$name: each of the $rounds killed + resumed rounds == the uninterrupted run (every dataset)"
}

# ---- calibrate ----
sweep="--cell pbit --vctl 0.185:0.188:6 --temp 295,305 --time 3e-6 --seed 7 --workers 2"
ref="$tap_tmp/cal_ref.h5"
timed "$TSUKIT" calibrate $sweep -o "$ref"
[ $wall_rc -eq 0 ]; tap_ok $? "calibrate: uninterrupted run, 12 points ($wall s)"
"$dump" "$ref" /cells/pbit > "$tap_tmp/cal_ref.txt"
kmax=$(awk -v w="$wall" 'BEGIN { printf "%.3f", w / 3 + 0.1 }')
kill_seed=11
cal="$tap_tmp/cal.h5"
kill_rounds calibrate "$cal" /cells/pbit 12 "$tap_tmp/cal_ref.txt" "$TSUKIT" calibrate $sweep -o "$cal"

# ---- characterize ----
cir="$TSUKIT_SRCDIR/tests/data/pbit_pr.cir"
ch="$cir --subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=0 --vctl 0.2335:0.2385:6 --temp 300 --time 3e-6 --seed 2 --workers 2"
ref="$tap_tmp/ch_ref.h5"
timed "$TSUKIT" characterize $ch -o "$ref"
[ $wall_rc -eq 0 ]; tap_ok $? "characterize: uninterrupted run, 6 points ($wall s)"
"$dump" "$ref" /cells/pbit_pr > "$tap_tmp/ch_ref.txt"
kmax=$(awk -v w="$wall" 'BEGIN { printf "%.3f", w / 2 + 0.1 }')
kill_seed=12
chf="$tap_tmp/ch.h5"
kill_rounds characterize "$chf" /cells/pbit_pr 6 "$tap_tmp/ch_ref.txt" "$TSUKIT" characterize $ch -o "$chf"

# ---- dtm train: the checkpoint is per epoch ----
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -r "$ds/train-images-idx3-ubyte.gz" ] && [ ! -r "$ds/train-images-idx3-ubyte" ]; then
  tap_ok 0 "dtm train # SKIP Fashion-MNIST not installed"
  tap_done; exit $?
fi
E=10
small="--data fashion-mnist --steps 2 --graph G12 --L 44 --train-limit 64 --sweeps 10 --sweeps-pos 8 --record 4 --threads 1 --seed 5 --epochs $E"
ref="$tap_tmp/m_ref.h5"
timed "$TSUKIT" dtm train $small -o "$ref"
[ $wall_rc -eq 0 ]; tap_ok $? "dtm train: uninterrupted, $E epochs ($wall s)"
"$dump" "$ref" /dtm > "$tap_tmp/m_ref.txt"
kmax=$(awk -v w="$wall" 'BEGIN { printf "%.3f", w / 3 + 0.1 }')
delays 13 400 "$kmax" > "$tap_tmp/delays"
exec 3<"$tap_tmp/delays"
m="$tap_tmp/m.h5"
kills=0; runs=0; rounds=0; dups=0; baddata=0; badrc=0; at=
while [ $kills -lt "$KILLS" ] && [ $runs -lt 300 ]; do
  rounds=$((rounds + 1)); rm -f "$m" "$m.partial" "$tap_tmp"/d*.err
  while [ $runs -lt 300 ]; do
    runs=$((runs + 1))
    if [ $kills -lt "$KILLS" ]; then read -r d <&3; else d=; fi
    # --resume continues a checkpoint; before the first one there is none
    if [ -e "$m" ]; then r=--resume; else r=; fi
    "$TSUKIT" dtm train $small $r -o "$m" >"$tap_tmp/k.out" 2>"$tap_tmp/d$runs.err" &
    pid=$!
    killed=0
    if [ -n "$d" ]; then
      sleep "$d"
      kill -KILL $pid 2>/dev/null && killed=1
    fi
    { wait $pid; } 2>/dev/null; rc=$?
    if [ $killed -eq 1 ]; then
      kills=$((kills + 1)); at="$at $(sed -n 's/^tsukit dtm: epoch \([0-9]*\):.*/\1/p' "$tap_tmp"/d*.err | sort -n | tail -n 1)"; continue
    fi
    [ $rc -eq 0 ] && [ "$(kv epochs "$tap_tmp/k.out")" = $E ] || { badrc=$((badrc + 1)); tap_note "dtm train: run $runs: exit $rc: $(tail -n 1 "$tap_tmp/d$runs.err")"; }
    # each epoch checkpointed once: no epoch number reported by two runs
    dup=$(cat "$tap_tmp"/d*.err | sed -n 's/^tsukit dtm: epoch \([0-9]*\):.*/\1/p' | sort -n | uniq -d | tr '\n' ' ')
    [ -z "$dup" ] || { dups=$((dups + 1)); tap_note "dtm train: round $rounds trained epoch(s) $dup twice"; }
    "$dump" "$m" /dtm > "$tap_tmp/got.txt" 2>&1
    cmp -s "$tap_tmp/m_ref.txt" "$tap_tmp/got.txt" || { baddata=$((baddata + 1)); tap_note "dtm train: round $rounds differs from the uninterrupted run"; }
    break
  done
done
exec 3<&-
tap_note "dtm train: $kills kills in $runs runs ($rounds rounds), delays up to $kmax s; last epoch reported at each kill:$at"
[ $kills -ge "$KILLS" ]; tap_ok $? "dtm train: at least $KILLS kills at random points ($kills)"
[ $badrc -eq 0 ]; tap_ok $? "dtm train: every round reached $E epochs with exit 0"
[ $dups -eq 0 ]; tap_ok $? "dtm train: no checkpointed epoch trained again"
[ $baddata -eq 0 ]; tap_ok $? "dtm train: each of the $rounds killed + resumed rounds == the uninterrupted run (every dataset of /dtm)"
tap_done
