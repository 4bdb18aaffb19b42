# cli_calibrate_track.sh -- `tsukit calibrate --track`: the control window
# follows the pbit's transition with temperature (noiseless trip point,
# then a short noisy bisection), its width scales as (T / T_ref)^M, the
# trip points on a 5 K grid carry v0's deterministic part into the
# temperature model and `tsukit predict`; resume checks the windows.
# Workload: 3 temperatures x 7 controls at 6 us on the shipped pbit plus
# 4 pilots of 8 x 1.5 us (~20 s of CPU, ~12 s wall on 2 workers).
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
lib="$tap_tmp/track.h5"
args="--cell pbit --vctl 0.185:0.188:7 --temp 290,300,310 --time 6e-6 --workers 2 --seed 5 --track"

tap_run_rc 0 "pbit sweep with --track (reference 300 K, width ~ T)" "$TSUKIT" calibrate $args -o "$lib"
tap_note "$(cat "$tap_tmp/out")"
grep -q -- "--track: transition at" "$tap_tmp/err"; tap_ok $? "the pilot's transition points are reported"
[ "$(kv temp_model "$tap_tmp/out")" = 1 ]; tap_ok $? "temperature model fitted"
"$dump" "$lib" /cells/pbit > "$tap_tmp/lib.txt"; tap_ok $? "dump the library"
grep -q '^/cells/pbit/point_control_V \[3,7\]' "$tap_tmp/lib.txt"; tap_ok $? "point_control_V is [nT, nV]"
for d in trip_V track_center_V trip_table/temperature_K trip_table/trip_V fit/temperature_model/trip_T_K fit/temperature_model/trip_V; do
  grep -q "^/cells/pbit/$d " "$tap_tmp/lib.txt"; tap_ok $? "library has $d"
done
# row 1 (300 K, the reference) is --vctl itself; rows 0 and 2 are as wide
# as (T / 300 K) times it and sit on their own transition
awk '/^\/cells\/pbit\/point_control_V /{for(i=3;i<=NF;i++) v[i-3]=$i}
     END{bad=0; for(i=0;i<7;i++){g=0.185+0.0005*i; if((v[7+i]-g)>1e-12||(g-v[7+i])>1e-12) bad=1}
         w0=(v[6]-v[0])/0.003; w2=(v[20]-v[14])/0.003;
         printf "# window widths relative to 300 K: %.9f %.9f\n", w0, w2;
         if((w0-290/300)^2>1e-16||(w2-310/300)^2>1e-16) bad=1; exit bad}' "$tap_tmp/lib.txt"
tap_ok $? "window at 300 K is --vctl; at 290/310 K it is 290/300 and 310/300 as wide"
awk '/^\/cells\/pbit\/trip_V /{t0=$3; t2=$5}
     /^\/cells\/pbit\/track_center_V /{c0=$3; c1=$4; c2=$5}
     /^\/cells\/pbit\/point_control_V /{lo0=$3; hi0=$9; lo2=$17; hi2=$23}
     END{s=(t2-t0)/20; printf "# trip point slope %.4g V/K; centres %.6g %.6g %.6g V\n", s, c0, c1, c2;
         exit !(s<-1e-5 && s>-1e-4 && c0>lo0 && c0<hi0 && c2>lo2 && c2<hi2 && (c0-t0)^2<4e-6 && (c2-t2)^2<4e-6)}' "$tap_tmp/lib.txt"
tap_ok $? "trip point falls with T (-0.01..-0.1 mV/K); each window is centred within its range, within 2 mV of the trip point"
awk '/^\/cells\/pbit\/trip_table\/temperature_K /{n=NF-2; a=$3; b=$NF; ok=1; for(i=4;i<=NF;i++) if(!($i>$(i-1))) ok=0}
     END{exit !(ok && n==5 && a==290 && b==310)}' "$tap_tmp/lib.txt"
tap_ok $? "trip table every 5 K from 290 to 310 K"
tap_run_rc 0 "predict at 305 K (not simulated) from the tracked library" "$TSUKIT" predict --cells "$lib" --cell pbit --temp 305 --vctl 0.186
tap_note "$(cat "$tap_tmp/out")"
pv=$(kv v0_V "$tap_tmp/out")
awk -v p="$pv" '/^\/cells\/pbit\/fit\/v0_V /{a=$3; b=$5} END{lo=(a<b?a:b)-5e-4; hi=(a>b?a:b)+5e-4; exit !(p>lo && p<hi)}' "$tap_tmp/lib.txt"
tap_ok $? "predicted v0 at 305 K ($pv V) within the fitted v0 at 290 and 310 K (+-0.5 mV)"
tap_run_rc 0 "--resume of the finished sweep refits without simulating" "$TSUKIT" calibrate $args --resume -o "$lib"
! grep -q "point(s) simulated" "$tap_tmp/err"; tap_ok $? "no point simulated again"
grep -q "windows of .* are reused" "$tap_tmp/err"; tap_ok $? "the stored windows are reused (no new pilot)"
# --time-tau: records of N pilot correlation times, capped by --time
tt="$tap_tmp/tt.h5"
tap_run_rc 0 "--time-tau 15 (records of 15 pilot correlation times)" "$TSUKIT" calibrate --cell pbit --vctl 0.185:0.188:4 --temp 300,320 --time 6e-6 --workers 2 --seed 5 --track --time-tau 15 -o "$tt"
grep "time-tau:" "$tap_tmp/err" | while read -r l; do tap_note "$l"; done
"$dump" "$tt" /cells/pbit/record_time_s > "$tap_tmp/tt.txt"
awk '{for(i=3;i<=NF;i++) if(!($i>0 && $i<=6e-6)) exit 1; exit (NF!=4)}' "$tap_tmp/tt.txt"; tap_ok $? "record_time_s [2] stored, each in (0, --time] ($(cut -d' ' -f3- "$tap_tmp/tt.txt"))"
tap_run_rc 2 "--time-tau without --track is refused" "$TSUKIT" calibrate --cell pbit --vctl 0.185:0.188:4 --temp 300 --time-tau 15 -o "$tap_tmp/y.h5"
tap_run_rc 2 "--resume with another --track-exp is refused (other windows)" "$TSUKIT" calibrate $args --track-exp 2 --resume -o "$lib"
grep -q -- "--track-exp 1," "$tap_tmp/err"; tap_ok $? "the message names the stored and the new settings"
tap_run_rc 2 "--track on a categorical cell is refused" "$TSUKIT" calibrate --cell cat4 --vctl 0.18:0.19:3 --temp 300 --track -o "$tap_tmp/x.h5"
tap_run_rc 2 "--track-exp 11 is refused" "$TSUKIT" calibrate $args --track-exp 11 -o "$tap_tmp/x.h5"
tap_done
