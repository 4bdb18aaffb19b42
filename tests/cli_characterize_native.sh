# cli_characterize_native.sh -- `tsukit characterize --engine native`
# (issue 15, item 4): a designer's subcircuit translated for the native
# engine (circuits/ckt_subckt_native.h).
#  (a) the example pbit (tests/data/pbit_pr.cir: its own BSIM4 cards,
#      nested subcircuits) through both engines with the same grid and
#      seed: trip point v0, width vs and every point's P(1) agree within
#      their statistical errors (bounds below), both printed;
#  (b) every element kind the native engine cannot take is refused with
#      one line naming the element and why, exit 2, no output file; the
#      default engine (ngspice) takes the same netlist;
#  (c) resistor noise: a node X hanging on the control through R with a
#      capacitor CX; the variance the 4kT/R noise adds over the
#      digitiser's own (measured with CX = 5 pF, where kT/C is 1 % of it)
#      is kT/C.
# Workload: 6 ngspice points of 6 us (~20 s of CPU) and the same 6
# native points (~0.3 s), 13 preflights of ~0.1 s, 16 native points of
# 200 us (~10 s of CPU).
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
cir="$TSUKIT_SRCDIR/tests/data/pbit_pr.cir"
models="$TSUKIT_SRCDIR/tests/data/pbit_pr_models.lib"
ports="--subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=0"
grid="--vctl 0.2335:0.2385:6 --temp 300 --time 6e-6 --seed 2 --workers 2"

# (a) native against ngspice on the example pbit
t0=$(date +%s.%N)
tap_run_rc 0 "characterize the example pbit through ngspice (6 points, 6 us)" \
  "$TSUKIT" characterize "$cir" $ports $grid -o "$tap_tmp/sp.h5"
t1=$(date +%s.%N)
cp "$tap_tmp/out" "$tap_tmp/sp.out"
tap_run_rc 0 "characterize the example pbit through the native engine" \
  "$TSUKIT" characterize "$cir" $ports $grid --engine native -o "$tap_tmp/nat.h5"
t2=$(date +%s.%N)
cp "$tap_tmp/out" "$tap_tmp/nat.out"
tap_note "ngspice: $(cat "$tap_tmp/sp.out")"
tap_note "native:  $(cat "$tap_tmp/nat.out")"
tap_note "wall: ngspice $(awk "BEGIN{print $t1-$t0}") s, native $(awk "BEGIN{print $t2-$t1}") s"
[ "$(kv engine "$tap_tmp/nat.out")" = native ] && [ "$(kv mos_noise "$tap_tmp/nat.out")" = native ]
tap_ok $? "summary: engine=native mos_noise=native"
[ "$(kv native_elements "$tap_tmp/nat.out")" = "m:9,r:0,c:5,v:0" ] && [ "$(kv native_free_nets "$tap_tmp/nat.out")" = 5 ]
tap_ok $? "all 9 MOSFETs and 5 capacitors translated, 5 free nets"
fm=$(kv native_fit_max "$tap_tmp/nat.out")
fcmp "$fm > 0 && $fm <= 0.15"; tap_ok $? "the EKV fits within 15 % of the cards' currents ($fm)"
grep -aq native "$tap_tmp/nat.h5" && ! grep -aq native "$tap_tmp/sp.h5"
tap_ok $? "the native library records its engine (sweep_engine = native), the ngspice one does not"
# v0 and vs: |difference| <= 4 sigma of the two fits' errors combined
# (each fit's error from the points' autocorrelation-aware errors)
for k in v0 vs; do
  a=$(kv fit_${k}_V "$tap_tmp/sp.out"); ea=$(kv fit_${k}_err_V "$tap_tmp/sp.out")
  b=$(kv fit_${k}_V "$tap_tmp/nat.out"); eb=$(kv fit_${k}_err_V "$tap_tmp/nat.out")
  z=$(awk "BEGIN{d=$b-$a; if(d<0)d=-d; print d/sqrt($ea*$ea+$eb*$eb)}")
  tap_note "$k: ngspice $a +- $ea V, native $b +- $eb V, |diff| = $z sigma"
  fcmp "$z <= 4"; tap_ok $? "$k of the two engines within 4 sigma ($z)"
done
# the transfer curve: every point's P(1) within 4.5 sigma of the two
# points' errors combined (6 points: a false alarm 4e-5 if Gaussian)
"$dump" "$tap_tmp/sp.h5" /cells/pbit_pr > "$tap_tmp/sp.txt" &&
  "$dump" "$tap_tmp/nat.h5" /cells/pbit_pr > "$tap_tmp/nat.txt"
tap_ok $? "dump both libraries"
row() { grep "^/cells/pbit_pr/$1 " "$2" | sed 's/^[^]]*] //'; }
zmax=$(printf '%s\n%s\n%s\n%s\n' "$(row p_state "$tap_tmp/sp.txt")" \
  "$(row p_state_stderr "$tap_tmp/sp.txt")" "$(row p_state "$tap_tmp/nat.txt")" \
  "$(row p_state_stderr "$tap_tmp/nat.txt")" | awk '
  { for (i = 1; i <= NF; i++) v[NR, i] = $i; n = NF }
  END { m = 0
    for (i = 2; i <= n; i += 2) {   # P(1): the second of each [.., 2]
      d = v[3, i] - v[1, i]; if (d < 0) d = -d
      s = sqrt(v[2, i] ^ 2 + v[4, i] ^ 2); if (s < 1e-3) s = 1e-3
      printf "# V %d: P(1) ngspice %.3f +- %.3f, native %.3f +- %.3f\n", i / 2, v[1, i], v[2, i], v[3, i], v[4, i] > "/dev/stderr"
      if (d / s > m) m = d / s }
    print m }' 2>"$tap_tmp/curve.txt")
cat "$tap_tmp/curve.txt"
fcmp "$zmax <= 4.5"; tap_ok $? "transfer curves agree point by point (max $zmax sigma)"

# (b) elements the native engine does not take: one line naming it, exit 2
mk() { # mk NAME 'EXTRA LINES' 'TOP-LEVEL LINES' [MR line]
  cat > "$tap_tmp/$1.cir" <<EOF
variant $1 of the example pbit
.include $models
$3
.subckt tkinv in out vdd vss
MP out in vdd vdd pfet W=100n L=100n
MN out in vss vss nfet W=100n L=100n
Cout out vss 0.2f
.ends tkinv
.subckt pbit_pr vc q vdd vss vbp
${4:-MR x vbp vc vc pfet W=90n L=90n}
CX x vss 0.3f
$2
X1 x m vdd vss tkinv
X2 m q vdd vss tkinv
.ends pbit_pr
EOF
}
refuse() { # refuse NAME PATTERN
  rm -f "$tap_tmp/bad.h5"
  tap_run_rc 2 "native: $1 refused" "$TSUKIT" characterize "$tap_tmp/$1.cir" $ports \
    --vctl 0.2335:0.2385:3 --time 1e-6 --engine native -o "$tap_tmp/bad.h5"
  grep -q -e "$2" "$tap_tmp/err" && [ "$(grep -vc warning "$tap_tmp/err")" -eq 1 ]
  tap_ok $? "$1: one line saying '$2' ($(tail -n 1 "$tap_tmp/err"))"
  [ ! -e "$tap_tmp/bad.h5" ]; tap_ok $? "$1: no output file"
}
mk diode "D1 x vss dm" ".model dm d (is=1e-20)"
refuse diode "element d1 (D1 in subcircuit pbit_pr) is a diode"
mk bjt "Q1 vdd x vss qn" ".model qn npn (is=1e-30 bf=50)"
refuse bjt "element q1 (Q1 in subcircuit pbit_pr) is a bipolar transistor"
mk isrc "I1 x vss 0"
refuse isrc "element i1 (I1 in subcircuit pbit_pr) is a current source"
mk bsrc "B1 x vss I=0"
refuse bsrc "element b1 (B1 in subcircuit pbit_pr) is a behavioural source"
mk esrc "E1 y vss x vss 1
RY y vss 1meg"
refuse esrc "element e1 (E1 in subcircuit pbit_pr) is a voltage-controlled voltage source"
mk switch "S1 x vss vdd vss swm" ".model swm sw (vt=10 vh=0.1 ron=1 roff=1e15)"
refuse switch "element s1 (S1 in subcircuit pbit_pr) is a voltage-controlled switch"
mk level1 "MK y vdd vss vss n1 W=1u L=1u
RY vdd y 1meg" ".model n1 nmos level=1 vto=0.3 kp=100u"
refuse level1 "element mk (MK in subcircuit pbit_pr): model n1 is level 1"
mk cfloat "CF x m 0.1f"
refuse cfloat "element cf (CF in subcircuit pbit_pr): a capacitor between two free nets"
mk pulse "VP y vss PULSE(0 0.1 1n 1n 1n 5n 10n)
RY y x 1g"
refuse pulse "element vp (VP in subcircuit pbit_pr): .* is not a plain DC source"
mk body "" "" "MR x vbp vc vdd pfet W=90n L=90n"
refuse body "element mr (MR in subcircuit pbit_pr): bulk on net tk_vdd, neither its source"
mk mult "" "" "MR x vbp vc vc pfet W=90n L=90n m=2"
refuse mult "element mr (MR in subcircuit pbit_pr): instance parameter m = 2"
mk local "" ".subckt pl_dummy a
R1 a 0 1k
.ends pl_dummy" "MR x vbp vc vc pl W=90n L=90n
.model pl pmos level=54 version=4.8.2 toxe=1.7e-9 vth0=-0.28 u0=0.018"
refuse local "element mr (MR in subcircuit pbit_pr): its model .*pl is defined inside a subcircuit"
mk scale "" ".options scale=1"
refuse scale "'.options scale=1': a geometry scale is not translated"
rm -f "$tap_tmp/bad.h5"
tap_run_rc 0 "the default engine (ngspice) takes the diode netlist (dry run)" \
  "$TSUKIT" characterize "$tap_tmp/diode.cir" $ports --vctl 0.2335:0.2385:3 --time 1e-6 --dry-run -o "$tap_tmp/bad.h5"
tap_run_rc 2 "--engine native --flicker is a usage error" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.2335:0.2385:3 --time 1e-6 --engine native --flicker -o "$tap_tmp/bad.h5"
grep -q "no flicker" "$tap_tmp/err"; tap_ok $? "--flicker: says the native engine has no flicker noise"
tap_run_rc 2 "--engine native --mos-noise twoflux is a usage error" \
  "$TSUKIT" characterize "$cir" $ports --vctl 0.2335:0.2385:3 --time 1e-6 --engine native --mos-noise twoflux -o "$tap_tmp/bad.h5"
[ ! -e "$tap_tmp/bad.h5" ]; tap_ok $? "no output file from the usage errors"

# (c) resistor noise: X on the control through RN, CX to ground, the
# example's 4-inverter digitiser.  P(1) = Phi((vc - v0) / s) with s^2 =
# kT/C_X + s_dig^2 (the digitiser's own noise, input-referred).  Two runs,
# CX = 50 fF (RN 20 MOhm) and CX = 5 pF (RN 200 kOhm), tau = 1 us, 200 us
# each: s50^2 - s5p^2 = kT (1/C_50 - 1/C_5p) - kT dC/C^2 with dC the
# device and Miller capacitance at X (the first inverter's gate, its C_gd
# times its gain: between 0 and 3 fF).  Bound: the measured excess inside
# [kT/(C + 3 fF) - kT/C_5p - 4 sigma, kT/C - kT/C_5p + 4 sigma], sigma
# from the two probit fits' errors (each the fit's own +- at 200 tau).
rnet() { # rnet NAME R C
  cat > "$tap_tmp/$1.cir" <<EOF
a resistor-noise pbit
.include $models
.subckt tkinv in out vdd vss
MP out in vdd vdd pfet W=100n L=100n
MN out in vss vss nfet W=100n L=100n
Cout out vss 0.2f
.ends tkinv
.subckt tkbuf in out vdd vss
Xa in mid vdd vss tkinv
Xb mid out vdd vss tkinv
.ends tkbuf
.subckt pbit_r vc q vdd vss
RN x vc $2
CX x vss $3
X1 x m vdd vss tkbuf
X2 m q vdd vss tkbuf
.ends pbit_r
EOF
}
rports="--subckt pbit_r --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --temp 300 --time 200e-6 --seed 3 --workers 2 --engine native"
rnet r50f 20meg 50f
rnet r5p 200k 5p
tap_run_rc 0 "native: resistor-noise pbit, CX 50 fF" \
  "$TSUKIT" characterize "$tap_tmp/r50f.cir" $rports --vctl 0.2350:0.2372:8 -o "$tap_tmp/r50f.h5"
[ "$(kv native_elements "$tap_tmp/out")" = "m:8,r:1,c:5,v:0" ]; tap_ok $? "the resistor translated ($(kv native_elements "$tap_tmp/out"))"
s1=$(sed -n 's/.*probit (Gaussian threshold) sd \([^ ]*\) +- \([^ ]*\) V.*/\1 \2/p' "$tap_tmp/err")
tap_run_rc 0 "native: resistor-noise pbit, CX 5 pF (the digitiser's own noise)" \
  "$TSUKIT" characterize "$tap_tmp/r5p.cir" $rports --vctl 0.23588:0.23608:8 -o "$tap_tmp/r5p.h5"
s2=$(sed -n 's/.*probit (Gaussian threshold) sd \([^ ]*\) +- \([^ ]*\) V.*/\1 \2/p' "$tap_tmp/err")
res=$(echo "$s1 $s2" | awk '{ kT = 1.380649e-23 * 300
  ex = $1 * $1 - $3 * $3; se = sqrt((2 * $1 * $2) ^ 2 + (2 * $3 * $4) ^ 2)
  hi = kT / 50e-15 - kT / 5e-12; lo = kT / 53e-15 - kT / 5e-12
  printf "%g %g %g %g %d", ex, se, lo, hi, (ex >= lo - 4 * se && ex <= hi + 4 * se) }')
set -- $res
tap_note "probit sd: CX 50 fF $s1, CX 5 pF $s2 (V); excess variance $1 +- $2 V^2, kT/C bounds [$3, $4] V^2"
[ "$5" = 1 ]; tap_ok $? "the variance RN's 4kT/R adds at X is kT/C (within 4 sigma of [kT/(C + 3 fF), kT/C])"

tap_done
