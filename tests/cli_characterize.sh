# cli_characterize.sh -- `tsukit characterize` on a pbit tsukit has never
# seen (tests/data/pbit_pr.cir: PMOS pseudo-resistor, nested inverter
# subcircuits, its own BSIM4 cards in an .include, ground and bias ports,
# no noise sources): characterised end to end with no edits into a cell
# library that `predict` and `sample` accept; bad input.
# Workload: 3 temperatures x 6 controls at 6 us simulated time (about
# 0.7 s of CPU per point, ~8 s wall on 2 workers), 4 x 3 points at 2 us
# (nested definitions vs the flat example, flicker off and on) plus a few
# instant runs and preflights (tests/data/netlists/, issue 23).
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
cir="$TSUKIT_SRCDIR/tests/data/pbit_pr.cir"
ports="--subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=0"
lib="$tap_tmp/lib.h5"

tap_run_rc 0 "characterize the example pbit: 3 temperatures x 6 controls, 2 workers" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.2335:0.2385:6 --temp 280,300,320 --time 6e-6 --workers 2 --seed 2 -o "$lib"
tap_note "$(cat "$tap_tmp/out")"
[ "$(kv points "$tap_tmp/out")" = 18 ]; tap_ok $? "points=18"
[ "$(kv cell "$tap_tmp/out")" = pbit_pr ]; tap_ok $? "cell named after the subcircuit"
[ "$(kv noisy_transistors "$tap_tmp/out")" = 9 ]; tap_ok $? "noise added to all 9 transistors (3 nesting levels)"
v0=$(kv fit_v0_V "$tap_tmp/out"); vs=$(kv fit_vs_V "$tap_tmp/out")
fcmp "$v0 > 0.2335 && $v0 < 0.2385"; tap_ok $? "v0 inside the swept range ($v0 V)"
fcmp "$vs > 0 && $vs < 0.005"; tap_ok $? "vs positive and below 5 mV: P(1) rises with the control ($vs V)"
tau=$(kv tau_s "$tap_tmp/out"); e=$(kv energy_J "$tap_tmp/out")
fcmp "$tau > 1e-9 && $tau < 8e-6 && $e > 0"; tap_ok $? "tau and energy per sample measured (tau $tau s, $e J)"
[ "$(kv temp_model "$tap_tmp/out")" = 1 ]; tap_ok $? "temperature model fitted"
"$dump" "$lib" /cells/pbit_pr > "$tap_tmp/lib.txt"; tap_ok $? "dump the library"
for d in temperature_K control_V p_state p_state_stderr tau_s energy_J fit/v0_V fit/vs_V fit/chi2_red; do
  grep -q "^/cells/pbit_pr/$d " "$tap_tmp/lib.txt"; tap_ok $? "library has /cells/pbit_pr/$d"
done
grep -q '^/cells/pbit_pr/p_state \[3,6,2\]' "$tap_tmp/lib.txt"; tap_ok $? "p_state is [nT, nV, 2]"
tap_run_rc 0 "predict reads the characterised cell" "$TSUKIT" predict --cells "$lib" --cell pbit_pr --temp 310 --vctl 0.236
tap_run_rc 0 "sample runs on the characterised cell" "$TSUKIT" sample --cells "$lib" --cell pbit_pr --temp 300 --graph G4 --L 8 --chains 16 --sweeps 40 --burn-in 10 --threads 1 -o "$tap_tmp/s.h5"
tap_run_rc 0 "plot the library" "$TSUKIT" plot "$lib" -o "$tap_tmp/lib.png"
[ "$(kv kind "$tap_tmp/out")" = cells ] && [ -s "$tap_tmp/lib.png" ]; tap_ok $? "plot: kind=cells, a PNG written"
tap_run_rc 0 "--resume of the finished library refits, simulates nothing" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.2335:0.2385:6 --temp 280,300,320 --time 6e-6 --seed 2 --resume -o "$lib"
grep -q "point(s) simulated" "$tap_tmp/err"; [ $? -ne 0 ]; tap_ok $? "finished: no point simulated"
tap_run_rc 1 "existing output without --resume or --force is refused" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.2335:0.2385:6 --temp 280,300,320 --time 6e-6 --seed 2 -o "$lib"

# bad input: exit 2, a message naming the culprit, no output file
bad() { # bad WHAT PATTERN ARGS...
  what=$1; pat=$2; shift 2
  rm -f "$tap_tmp/bad.h5"
  tap_run_rc 2 "$what" "$TSUKIT" characterize "$@" --vctl 0.2335:0.2385:3 --time 1e-6 -o "$tap_tmp/bad.h5"
  grep -q -e "$pat" "$tap_tmp/err"; tap_ok $? "$what: says '$pat' ($(tail -n 1 "$tap_tmp/err"))"
  [ ! -e "$tap_tmp/bad.h5" ]; tap_ok $? "$what: no output file"
}
bad "missing file" "nosuch.cir" "$tap_tmp/nosuch.cir" $ports
bad "subcircuit not in the file" "no subcircuit 'pbit_x'" "$cir" --subckt pbit_x --ctl vc --out q --supply vdd --vdd 0.5
bad "control port not in the subcircuit" "--ctl: subcircuit pbit_pr has no port 'vctl'" "$cir" --subckt pbit_pr --ctl vctl --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=0
bad "output port not in the subcircuit" "--out: subcircuit pbit_pr has no port 'out'" "$cir" --subckt pbit_pr --ctl vc --out out --supply vdd --vdd 0.5 --ground vss --bias vbp=0
bad "a port left unconnected" "port vbp of pbit_pr is not connected" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss
bad "a port connected twice" "port vc is already connected" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss,vc --bias vbp=0
bad "malformed --bias" "must be PORT=VOLTS" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp
bad "no --vdd" "--vdd is required" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --ground vss --bias vbp=0

# never flips in the range: "no transitions observed", exit 1, nothing fitted
tap_run_rc 1 "a range where the subcircuit never flips" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.10:0.12:3 --time 1e-6 -o "$tap_tmp/nt.h5"
grep -q "no transitions observed" "$tap_tmp/err"; tap_ok $? "says no transitions observed"
"$dump" "$tap_tmp/nt.h5" /cells/pbit_pr > "$tap_tmp/nt.txt" 2>/dev/null
grep -q "^/cells/pbit_pr/fit/" "$tap_tmp/nt.txt"; [ $? -ne 0 ]; tap_ok $? "no fit stored; the measured points are kept"
# --track on the designer's netlist: its own noiseless trip point (the
# subcircuit run without noise) and noisy pilot set each window
tk="$tap_tmp/track.h5"
tap_run_rc 0 "characterize with --track (280/300/320 K)" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.2335:0.2385:6 --temp 280,300,320 --time 6e-6 --workers 2 --seed 2 --track -o "$tk"
grep -q -- "--track: transition at" "$tap_tmp/err"; tap_ok $? "pilot ran on the subcircuit ($(grep -o 'transition at [0-9.]* V (noiseless trip point [0-9.]* V) at 300 K' "$tap_tmp/err"))"
"$dump" "$tk" /cells/pbit_pr > "$tap_tmp/tk.txt"
awk '/^\/cells\/pbit_pr\/point_control_V /{for(i=3;i<=NF;i++) v[i-3]=$i}
     /^\/cells\/pbit_pr\/trip_V /{t0=$3; t2=$5}
     END{bad=0; for(i=0;i<6;i++){g=0.2335+0.001*i; if((v[6+i]-g)^2>1e-24) bad=1}
         s=(t2-t0)/40; printf "# trip slope %.4g V/K\n", s; exit !(!bad && s<-1e-5 && s>-1e-4)}' "$tap_tmp/tk.txt"
tap_ok $? "window at 300 K is --vctl; the subcircuit's trip point falls with T (-0.01..-0.1 mV/K)"

# ---- the preflight (issue 23): designer netlists as designers write them
nl="$TSUKIT_SRCDIR/tests/data/netlists"
tap_run_rc 0 "--dry-run: the preflight's table, nothing simulated" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.2335:0.2385:3 --time 1e-6 --dry-run -o "$tap_tmp/dry.h5"
grep -q "^  x2.xb.mn  *m  *m.x_tk.x2.xb.mn  *noisy  *main  *[0-9.e+-]*  *I_D=" "$tap_tmp/out"; tap_ok $? "every device named as ngspice names it, with its operating point and density"
[ "$(kv noisy_elements "$tap_tmp/out")" = m:9 ] && [ "$(kv noiseless_elements "$tap_tmp/out")" = c:5 ] && [ "$(kv unmodelled_elements "$tap_tmp/out")" = none ]
tap_ok $? "noisy_elements=m:9 noiseless_elements=c:5 unmodelled_elements=none"
[ ! -e "$tap_tmp/dry.h5" ] && ! grep -q "point(s) simulated" "$tap_tmp/err"; tap_ok $? "--dry-run: no output file, no point simulated"
# the issue's first netlist: a 3.97 GOhm resistor as the noise element gets 4kT/R
tap_run_rc 0 "a resistor as the noise element (tests/data/netlists/pbit_r.cir)" \
  "$TSUKIT" characterize "$nl/pbit_r.cir" $ports --vctl 0.2335:0.2385:3 --time 1e-6 --dry-run -o "$tap_tmp/r.h5"
[ "$(kv noisy_elements "$tap_tmp/out")" = m:8,r:1 ]; tap_ok $? "the resistor is a noisy element ($(kv noisy_elements "$tap_tmp/out"))"
psd=$(awk '$1 == "rn" {print $6}' "$tap_tmp/out")
fcmp "$psd > 0.999 * 4 * 1.380649e-23 * 300.15 / 3.97e9 && $psd < 1.001 * 4 * 1.380649e-23 * 300.15 / 3.97e9"
tap_ok $? "its density is 4kT/R at 27 C ($psd A^2/Hz)"
# the issue's second netlist: definitions nested in the pbit's; ngspice
# names their devices m.x_tk.m.x1.m.xa.mp -- the same circuit as the
# example, so the same library for the same seed
tap_run_rc 0 "nested definitions (tests/data/netlists/pbit_nested.cir): preflight" \
  "$TSUKIT" characterize "$nl/pbit_nested.cir" $ports --vctl 0.2335:0.2385:3 --time 1e-6 --dry-run -o "$tap_tmp/n.h5"
grep -q "m.x_tk.m.x1.m.xa.mp" "$tap_tmp/out"; tap_ok $? "the device of a nested definition has ngspice's name"
for f in "$cir" "$nl/pbit_nested.cir"; do
  b=$(basename "$f" .cir)
  tap_run_rc 0 "characterize $b: 3 controls, 300 K" \
    "$TSUKIT" characterize "$f" $ports --vctl 0.2345:0.2375:3 --time 2e-6 --seed 4 -o "$tap_tmp/$b.h5"
  "$dump" "$tap_tmp/$b.h5" /cells/pbit_pr > "$tap_tmp/$b.txt"
done
cmp -s "$tap_tmp/pbit_pr.txt" "$tap_tmp/pbit_nested.txt"; tap_ok $? "nested definitions: the same library as the flat example, bit for bit"
# flicker (1/f) from the cards, only with --flicker: the example with
# fnoimod=0 kf in its cards gives the example's library without it
fl="$nl/pbit_flicker.cir"
tap_run_rc 0 "cards with kf, no --flicker: 3 controls, 300 K" \
  "$TSUKIT" characterize "$fl" $ports --vctl 0.2345:0.2375:3 --time 2e-6 --seed 4 -o "$tap_tmp/fl0.h5"
"$dump" "$tap_tmp/fl0.h5" /cells/pbit_pr > "$tap_tmp/fl0.txt"
cmp -s "$tap_tmp/pbit_pr.txt" "$tap_tmp/fl0.txt"; tap_ok $? "without --flicker: the example's library, bit for bit"
tap_run_rc 0 "--flicker --dry-run: each channel's 1/f coefficient" \
  "$TSUKIT" characterize "$fl" $ports --vctl 0.2345:0.2375:3 --time 2e-6 --flicker --dry-run -o "$tap_tmp/fl.h5"
[ "$(grep -c 'flicker=[0-9.e+-]*/f^1 A2/Hz' "$tap_tmp/out")" = 9 ] && [ "$(kv mos_noise "$tap_tmp/out")" = charge+flicker ]
tap_ok $? "9 MOSFETs with flicker=K/f^1, mos_noise=charge+flicker"
tap_run_rc 0 "--flicker: 3 controls, 300 K" \
  "$TSUKIT" characterize "$fl" $ports --vctl 0.2345:0.2375:3 --time 2e-6 --seed 4 --flicker -o "$tap_tmp/fl1.h5"
"$dump" "$tap_tmp/fl1.h5" /cells/pbit_pr > "$tap_tmp/fl1.txt"
! cmp -s "$tap_tmp/fl0.txt" "$tap_tmp/fl1.txt"; tap_ok $? "--flicker changes the noise (another library)"
tap_run_rc 2 "--resume with --flicker of a library made without it is refused" \
  "$TSUKIT" characterize "$fl" $ports --vctl 0.2345:0.2375:3 --time 2e-6 --seed 4 --flicker --resume -o "$tap_tmp/fl0.h5"
grep -q "made with other settings" "$tap_tmp/err"; tap_ok $? "says other settings"
tap_run_rc 0 "--flicker on the example's cards (BSIM4 fnoimod=1): named" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.2345:0.2375:3 --time 2e-6 --flicker --dry-run -o "$tap_tmp/fl.h5"
grep -q "warning: element mr (m.x_tk.mr): flicker: BSIM4 fnoimod=1" "$tap_tmp/err"; tap_ok $? "the unified 1/f model is named, not silently dropped"
# what tsukit cannot model or load: named, in seconds, before any transient
bsim="--subckt gated --ctl g --out d --supply s --vdd 0.5 --ground b"
start=$(date +%s)
bad "--strict and a partially modelled element" "preflight of gated: --strict: element mshort" "$nl/bsim4.cir" $bsim --strict
[ $(( $(date +%s) - start )) -lt 10 ]; tap_ok $? "refused in under 10 s"
tap_run_rc 0 "without --strict: a warning for each (dry run)" \
  "$TSUKIT" characterize "$nl/bsim4.cir" $bsim --vctl 0.5:0.6:2 --time 1e-6 --dry-run -o "$tap_tmp/b.h5"
grep -q "warning: element j1 (j.x_tk.j1): tsukit cannot model its noise" "$tap_tmp/err" &&
  grep -q "warning: element mlong" "$tap_tmp/err"; tap_ok $? "the JFET and the BSIM4 resistance networks named"
[ "$(kv unmodelled_elements "$tap_tmp/out")" = j:1,m:2 ]; tap_ok $? "unmodelled_elements=j:1,m:2"
bad "a model nobody defined" "preflight of top: ngspice could not load the netlist.*nosuchmodel" "$nl/badmodel.cir" --subckt top --ctl a --out y --supply vdd --vdd 0.5
bad "--mos-noise of another name" "--mos-noise: 'ekv' is outside the valid range {charge, twoflux}" "$cir" $ports --mos-noise ekv
tap_done
