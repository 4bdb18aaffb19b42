# cli_calibrate_more.sh -- `tsukit calibrate` beyond the pbit sweep:
# Monte-Carlo mismatch (--mc) on the pbit and the categorical cat4
# (softmax and priority-encoder fits, --verify of the calibrated inverse);
# leave-one-out; --repeats; gmm2 mixture calibration; bad input.
# Workload: pbit 5 controls + 3 instances x 5 controls at 6 us (~15 s of
# CPU), twice 5 instances x 5 controls at 6 us (interrupted and resumed;
# ~25 s), three 4-point sweeps at 12 us (--repeats, ~15 s), gmm2 4 + 3
# points at 20 us (~15 s), cat4 3 x 4 control rows at 2 us plus one 8 us check (~40 s of CPU);
# the full cat4 acceptance (0.03 total variation; measured 0.014-0.023) is
# the slow run tests/cat4_acceptance.sh, see docs/FINDINGS.md.
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"

# ---- pbit with 3 Monte-Carlo instances ----
mc="$tap_tmp/mc.h5"
tap_run_rc 0 "pbit sweep with --mc 3" "$TSUKIT" calibrate --cell pbit --vctl 0.1835:0.1875:5 --temp 300 --time 6e-6 --mc 3 --workers 2 --seed 7 -o "$mc"
tap_note "$(cat "$tap_tmp/out")"
[ "$(kv mc "$tap_tmp/out")" = 3 ]; tap_ok $? "mc=3"
"$dump" "$mc" /cells/pbit > "$tap_tmp/mc.txt"
for d in v0_V vs_V tau_s n_fitted instance_v0_V instance_vs_V instance_tau_s instance_trip_shift_V dvth_V; do
  grep -q "^/cells/pbit/mismatch/$d " "$tap_tmp/mc.txt"; tap_ok $? "library has mismatch/$d"
done
grep -q '^/cells/pbit/mismatch/dvth_V \[3,9\]' "$tap_tmp/mc.txt"; tap_ok $? "one threshold shift per transistor and instance [3, 9]"
# Pelgrom: 9 devices of 90x90 or 100x100 nm at 2.5 mV um -> sd 25-28 mV;
# 27 draws: their rms lies in [17, 37] mV with > 4 sigma margin
# (relative se of an rms of 27 normals ~ 1/sqrt(54) = 14 %)
awk '/^\/cells\/pbit\/mismatch\/dvth_V /{for(i=3;i<=NF;i++){s+=$i*$i;n++}} END{r=sqrt(s/n); print "# rms dvth " r " V"; exit !(n==27 && r>0.017 && r<0.037)}' "$tap_tmp/mc.txt"
tap_ok $? "threshold shifts have the Pelgrom spread (rms within [17, 37] mV)"
# the noiseless trip shift predicts each fitted instance's v0 shift
v0=$(kv fit_v0_V "$tap_tmp/out")
awk -v v0="$v0" '/^\/cells\/pbit\/mismatch\/instance_v0_V /{for(i=3;i<=NF;i++) a[i]=$i}
     /^\/cells\/pbit\/mismatch\/instance_trip_shift_V /{for(i=3;i<=NF;i++) b[i]=$i}
     END{bad=0; n=0; for(i in a) if(a[i]!="nan"){n++; d=a[i]-v0-b[i]; print "# instance v0 - v0_nom - trip shift: " d " V"; if(d<-0.006||d>0.006) bad=1}
         exit !(n>=2 && !bad)}' "$tap_tmp/mc.txt"
tap_ok $? "instances' v0 - nominal v0 = their trip shift within 6 mV (at least 2 fitted)"
sdv0=$(awk '/^\/cells\/pbit\/mismatch\/v0_V /{print $3}' "$tap_tmp/mc.txt")
fcmp "$sdv0 > 0.002"; tap_ok $? "sd(v0) over instances is stored and far above the fit error ($sdv0 V)"
tap_run_rc 0 "sample reads the mismatch spread" "$TSUKIT" sample --cells "$mc" --cell pbit --temp 300 --graph G4 --L 8 --chains 8 --sweeps 20 --burn-in 5 --threads 1 -o "$tap_tmp/s.h5"
# SIGINT while the instances run: the finished ones are kept in the
# checkpoint, --resume runs only the others, mismatch/ == uninterrupted
export HDF5_USE_FILE_LOCKING=FALSE
mcargs="--cell pbit --vctl 0.1835:0.1875:5 --temp 300 --time 6e-6 --mc 5 --seed 7"
mref="$tap_tmp/mref.h5"; mi="$tap_tmp/mi.h5"
tap_run_rc 0 "reference: 5 instances uninterrupted" "$TSUKIT" calibrate $mcargs --workers 2 -o "$mref"
mcdone() { "$dump" "$1" /cells/pbit/mc_checkpoint/done 2>/dev/null | tr ' ' '\n' | tail -n +3 | grep -c '^1$'; }
"$TSUKIT" calibrate $mcargs --workers 1 -o "$mi" >"$tap_tmp/mi.out" 2>"$tap_tmp/mi.err" &
pid=$!
i=0; while [ "$(mcdone "$mi")" -lt 2 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid
wait $pid; rc=$?
[ $rc -eq 1 ]; tap_ok $? "SIGINT during the instances: exit 1 (got $rc)"
grep -q -- "--resume" "$tap_tmp/mi.err"; tap_ok $? "says how to resume ($(grep -m1 -o 'Monte-Carlo instances interrupted[^(]*' "$tap_tmp/mi.err"))"
k=$(mcdone "$mi")
[ "$k" -ge 2 ] && [ "$k" -lt 5 ]; tap_ok $? "$k of 5 instances kept in the checkpoint"
tap_run_rc 0 "resume the instances" "$TSUKIT" calibrate $mcargs --workers 1 --resume -o "$mi"
grep -q "resuming the instances: $k of 5" "$tap_tmp/err"; tap_ok $? "resume skips the $k finished instances"
"$dump" "$mref" /cells/pbit/mismatch > "$tap_tmp/mref.txt"
"$dump" "$mi" /cells/pbit/mismatch > "$tap_tmp/mi.txt"
[ -s "$tap_tmp/mref.txt" ] && cmp -s "$tap_tmp/mref.txt" "$tap_tmp/mi.txt"; tap_ok $? "interrupted + resumed mismatch/ == uninterrupted"
! "$dump" "$mi" /cells/pbit/mc_checkpoint >/dev/null 2>&1; tap_ok $? "the finished library carries no checkpoint"
tap_run_rc 2 "--mc on a categorical cell is refused" "$TSUKIT" calibrate --cell cat4 --vctl 0.33:0.334:3 --temp 300 --mc 3 -o "$tap_tmp/x.h5"
tap_run_rc 2 "--mc 1 is refused (no spread from one instance)" "$TSUKIT" calibrate --cell pbit --vctl 0.18:0.19:3 --temp 300 --mc 1 -o "$tap_tmp/x.h5"
tap_run_rc 2 "--avt 0 is refused" "$TSUKIT" calibrate --cell pbit --vctl 0.18:0.19:3 --temp 300 --mc 3 --avt 0 -o "$tap_tmp/x.h5"

# ---- cat4: one control at a time, softmax fit, inverse check ----
c4="$tap_tmp/c4.h5"
c4args="--cell cat4 --vdd 0.7 --vbias 0.6 --vctl 0.329:0.335:3 --vbase 0.332 --temp 300 --time 2e-6 --workers 2 --seed 3"
tap_run_rc 0 "cat4 sweep: 4 controls x 3 values" "$TSUKIT" calibrate $c4args -o "$c4"
tap_note "$(cat "$tap_tmp/out")"
[ "$(kv points "$tap_tmp/out")" = 12 ]; tap_ok $? "points=12"
"$dump" "$c4" /cells/cat4 > "$tap_tmp/c4.txt"
grep -q '^/cells/cat4/control_V \[12,4\]' "$tap_tmp/c4.txt"; tap_ok $? "control_V is [12, 4] (a control vector per point)"
grep -q '^/cells/cat4/p_state \[1,12,4\]' "$tap_tmp/c4.txt"; tap_ok $? "p_state is [nT, nV, 4]"
grep -q '^/cells/cat4/fit/a \[1,4\]' "$tap_tmp/c4.txt"; tap_ok $? "fit/a is [nT, 4]"
awk '/^\/cells\/cat4\/fit\/b_per_V /{for(i=3;i<=NF;i++) if(!($i>100)) exit 1; exit 0}' "$tap_tmp/c4.txt"
tap_ok $? "every b_k > 100 /V: raising a state's control raises its probability ($(kv fit_b_per_V "$tap_tmp/out"))"
awk '/^\/cells\/cat4\/p_state /{for(i=3;i+3<=NF;i+=4){s=$i+$(i+1)+$(i+2)+$(i+3); if(s<0.999||s>1.001) exit 1}}' "$tap_tmp/c4.txt"
tap_ok $? "each point's occupancies sum to 1"
grep -q '^/cells/cat4/fit/priority_v0_V \[1,4\]' "$tap_tmp/c4.txt"; tap_ok $? "priority-encoder fit stored, fit/priority_v0_V [nT, 4]"
sc=$(kv chi2_red "$tap_tmp/out"); pc=$(kv priority_chi2_red "$tap_tmp/out")
fcmp "$pc < $sc"; tap_ok $? "the priority-encoder model fits cat4 better than the softmax (chi2_red $pc < $sc)"
tap_run_rc 0 "refit (--resume) and --verify 1 target at 8 us" "$TSUKIT" calibrate $c4args --resume --verify 1 --verify-time 8e-6 -o "$c4"
grep verify "$tap_tmp/err" | while read -r l; do tap_note "$l"; done
[ "$(kv verify_model "$tap_tmp/out")" = priority ]; tap_ok $? "--inverse auto picks the priority-encoder model"
tv=$(kv verify_tv_max "$tap_tmp/out")
# A smoke check, not the acceptance: 8 us of a tau ~25 ns cell leave a
# noise floor of TV ~0.04, and 12 points of 2 us pin the 11 parameters of
# the priority model loosely (measured here: TV 0.14; the softmax's
# inverse 0.05 on this sweep).  A broken inverse (controls ignored or
# misplaced by more than ~2 vs) misses a random target by 0.3-0.7.  The
# 0.03 acceptance is tests/cat4_acceptance.sh (measured 0.014-0.023).
fcmp "$tv < 0.2"; tap_ok $? "calibrated inverse reaches the target within TV 0.2 (fast check; TV $tv)"
tap_run_rc 2 "--verify on a pbit is refused" "$TSUKIT" calibrate --cell pbit --vctl 0.18:0.19:3 --temp 300 --verify 2 -o "$tap_tmp/x.h5"
tap_run_rc 2 "cat4 control above the supply" "$TSUKIT" calibrate --cell cat4 --vctl 0.3:0.5:3 --temp 300 -o "$tap_tmp/x.h5"
# leave-one-out over 4 temperatures: each temperature's P(1) predicted by
# the model of the other three, the worst miss in the summary and file
tap_run_rc 0 "4-temperature sweep with leave-one-out" "$TSUKIT" calibrate --cell pbit \
  --vctl 0.185:0.1875:6 --temp 295,298,301,304 --time 10e-6 --workers 2 --seed 3 -o "$tap_tmp/loo.h5"
l=$(kv loo_max_abs_dp1 "$tap_tmp/out")
fcmp "$l >= 0 && $l <= 1"; tap_ok $? "loo_max_abs_dp1 = $l is a probability difference"
"$(dirname "$TSUKIT")/tests/dump_h5" "$tap_tmp/loo.h5" /cells/pbit/fit/loo_max_abs_dp1 | grep -q "\[4\]"
tap_ok $? "fit/loo_max_abs_dp1 has one value per temperature"
# predict --leave-out refits without one temperature and predicts it: at
# that temperature's controls its worst miss is calibrate's own
# leave-one-out figure
"$dump" "$tap_tmp/loo.h5" /cells/pbit > "$tap_tmp/loo.txt"
lo2=$(awk '/fit\/loo_max_abs_dp1 /{print $4}' "$tap_tmp/loo.txt")
worst=0
for i in 0 1 2 3 4 5; do
  v=$(awk -v i=$i '/^\/cells\/pbit\/control_V /{print $(3 + i)}' "$tap_tmp/loo.txt")
  pm=$(awk -v i=$i '/^\/cells\/pbit\/p_state /{print $(3 + 2 * (6 + i) + 1)}' "$tap_tmp/loo.txt")
  "$TSUKIT" predict --cells "$tap_tmp/loo.h5" --cell pbit --temp 298 --vctl "$v" --leave-out > "$tap_tmp/pr.out" 2>&1 || break
  pp=$(kv p1 "$tap_tmp/pr.out")
  worst=$(awk -v a="$pp" -v b="$pm" -v w="$worst" 'BEGIN{d=a-b; if(d<0)d=-d; print (d>w?d:w)}')
done
tap_note "predict --leave-out at 298 K: worst miss $worst; calibrate's leave-one-out $lo2"
fcmp "$worst - $lo2 < 1e-5 && $lo2 - $worst < 1e-5"; tap_ok $? "predict --leave-out reproduces calibrate's leave-one-out at 298 K"
grep -q "left_out=1" "$tap_tmp/pr.out"; tap_ok $? "the prediction says it left the temperature out"
tap_run_rc 2 "--leave-out of a temperature that was not calibrated" "$TSUKIT" predict --cells "$tap_tmp/loo.h5" --cell pbit --temp 299 --vctl 0.186 --leave-out
# --repeats: R independent records per point; the records' scatter scales
# the fit's errors (fit/error_scale, pooled over the points that flipped)
rargs="--cell pbit --vctl 0.1845:0.1875:4 --temp 300 --time 12e-6 --seed 5"
tap_run_rc 0 "--repeats 1 is the sweep without --repeats" "$TSUKIT" calibrate $rargs --repeats 1 -o "$tap_tmp/r1.h5"
tap_run_rc 0 "the same sweep without --repeats" "$TSUKIT" calibrate $rargs -o "$tap_tmp/r0.h5"
"$dump" "$tap_tmp/r1.h5" /cells/pbit/p_state > "$tap_tmp/r1.txt"
"$dump" "$tap_tmp/r0.h5" /cells/pbit/p_state > "$tap_tmp/r0.txt"
[ -s "$tap_tmp/r1.txt" ] && cmp -s "$tap_tmp/r1.txt" "$tap_tmp/r0.txt"; tap_ok $? "--repeats 1: same seeds, same p_state"
! "$dump" "$tap_tmp/r1.h5" /cells/pbit/fit/error_scale >/dev/null 2>&1; tap_ok $? "--repeats 1 writes no error scale"
rr="$tap_tmp/r3.h5"
tap_run_rc 0 "sweep with --repeats 3" "$TSUKIT" calibrate $rargs --repeats 3 --workers 2 -o "$rr"
es=$(kv error_scale "$tap_tmp/out")
fcmp "$es > 0"; tap_ok $? "error_scale=$es printed"
grep -q "3 records per point scatter" "$tap_tmp/err"; tap_ok $? "the scale is reported per temperature"
"$dump" "$rr" /cells/pbit > "$tap_tmp/r3.txt"
# the pool: (R - 1) degrees of freedom per point with a finite error > 0
awk '/^\/cells\/pbit\/p_state_stderr /{for(i=4;i<=NF;i+=2) if($i+0>0) n++}
     /^\/cells\/pbit\/fit\/error_scale_dof /{d=$3}
     /^\/cells\/pbit\/p_state_stderr_repeats /{r=NF-2}
     END{print "# " n " points with errors, dof " d; exit !(r==8 && d==2*n)}' "$tap_tmp/r3.txt"
tap_ok $? "p_state_stderr_repeats [1,4,2] stored; error_scale_dof = 2 x points with errors"
tap_run_rc 2 "--resume with another --repeats is refused" "$TSUKIT" calibrate $rargs --repeats 2 --resume -o "$rr"
grep -q -- "--repeats" "$tap_tmp/err"; tap_ok $? "the refusal names --repeats"
tap_run_rc 2 "--repeats 0 is refused" "$TSUKIT" calibrate $rargs --repeats 0 -o "$tap_tmp/x.h5"
# gmm2: --vctl sweeps the weight at a fixed --vsep; each point's output
# is fitted by two Gaussians (modes at 0 and vsep, kT/C wide: C_Y 1 fF
# gives 2.0 mV, the output devices' capacitances a little less)
gm="$tap_tmp/gmm.h5"
tap_run_rc 0 "gmm2 sweep (--vsep 0.3 by default)" "$TSUKIT" calibrate --cell gmm2 --vctl 0.183:0.189:4 --temp 300 --time 20e-6 --workers 2 --seed 4 -o "$gm"
"$dump" "$gm" /cells/gmm2 > "$tap_tmp/gmm.txt"
for d in gmm_mu_V gmm_mu_err_V gmm_sd_V gmm_sd_err_V gmm_w0 gmm_w0_err; do
  grep -q "^/cells/gmm2/$d \[1,4" "$tap_tmp/gmm.txt"; tap_ok $? "library has $d"
done
gmmcheck() { # FILE VSEP: modes at 0 and VSEP within 5 mV, sd 0.7-4 mV,
             # the fitted weight within 0.03 of the digitised one
  awk -v vsep="$2" '
    /^\/cells\/gmm2\/gmm_mu_V /{for(i=3;i<=NF;i++) mu[i-3]=$i}
    /^\/cells\/gmm2\/gmm_sd_V /{for(i=3;i<=NF;i++) sd[i-3]=$i}
    /^\/cells\/gmm2\/gmm_w0 /{n=NF-2; for(i=3;i<=NF;i++) w[i-3]=$i}
    /^\/cells\/gmm2\/p_state /{for(i=3;i<=NF;i+=2) p0[(i-3)/2]=$i}
    END{bad=0; m=0
      for(i=0;i<n;i++){ if(w[i]=="nan") continue; m++
        printf "# point %d: modes %.4f / %.4f V, sd %.2f / %.2f mV, w0 %.3f (digitised %.3f)\n", i, mu[2*i], mu[2*i+1], 1e3*sd[2*i], 1e3*sd[2*i+1], w[i], p0[i]
        if(mu[2*i]<-0.005||mu[2*i]>0.005||mu[2*i+1]<vsep-0.005||mu[2*i+1]>vsep+0.005) bad=1
        for(k=0;k<2;k++) if(sd[2*i+k]<0.0007||sd[2*i+k]>0.004) bad=1
        d=w[i]-p0[i]; if(d<-0.03||d>0.03) bad=1 }
      exit !(m>=2 && !bad)}' "$1"
}
gmmcheck "$tap_tmp/gmm.txt" 0.3; tap_ok $? "two modes at 0 and vsep 0.3 V, kT/C wide, weight as digitised (at least 2 points)"
fcmp "$(kv fit_v0_V "$tap_tmp/out") > 0.183 && $(kv fit_v0_V "$tap_tmp/out") < 0.189"; tap_ok $? "the upper mode's weight fitted by the logistic (v0 inside the sweep)"
tap_run_rc 0 "plot draws the gmm2 library (upper-mode weight vs control)" "$TSUKIT" plot "$gm" -o "$tap_tmp/gmm.png"
[ -s "$tap_tmp/gmm.png" ]; tap_ok $? "gmm2 library figure written"
tap_run_rc 0 "gmm2 with --vsep 0.4" "$TSUKIT" calibrate --cell gmm2 --vctl 0.1855:0.1865:3 --vsep 0.4 --temp 300 --time 20e-6 --workers 2 --seed 4 -o "$tap_tmp/gmm4.h5"
"$dump" "$tap_tmp/gmm4.h5" /cells/gmm2 > "$tap_tmp/gmm4.txt"
gmmcheck "$tap_tmp/gmm4.txt" 0.4; tap_ok $? "--vsep 0.4 moves the upper mode to 0.4 V"
tap_run_rc 2 "--vsep on a pbit is refused" "$TSUKIT" calibrate --cell pbit --vctl 0.18:0.19:3 --temp 300 --vsep 0.3 -o "$tap_tmp/x.h5"
tap_run_rc 2 "--track on gmm2 is refused" "$TSUKIT" calibrate --cell gmm2 --vctl 0.18:0.19:3 --temp 300 --track -o "$tap_tmp/x.h5"
tap_done
