# bad_input_netlist.sh -- the bad-input corpus, part 3: `tsukit
# characterize` on broken designer netlists (made here from the example
# tests/data/pbit_pr.cir): empty and truncated files, syntax errors, a
# missing .ends, model or include, an undefined or recursive subcircuit,
# undefined parameters, 10,000 lines of junk, unknown ports and port or
# cell names with shell metacharacters -- each refused in seconds with
# one line naming the element, file or port, no output file, nothing
# run by a shell.  Then a fault: an ngspice failure at one sweep point (a
# behavioural source whose ln() leaves its domain above 0.2380 V, so the
# last control of the sweep cannot be simulated) is stored for that
# point (point_done 2, NaN values), the sweep goes on, the fit uses the
# other points, and --resume keeps the failed point as it is.
# Workload: ~30 preflights and refusals (< 1 s each), one 6-point sweep at
# 2 us (~4 s of CPU).
. "$TSUKIT_SRCDIR/tests/tap.sh"
. "$TSUKIT_SRCDIR/tests/bad_input_lib.sh"
export HDF5_USE_FILE_LOCKING=FALSE
dump="$(dirname "$TSUKIT")/tests/dump_h5"
o="$bad_out"
T="$TSUKIT"
d="$tap_tmp"
src="$TSUKIT_SRCDIR/tests/data/pbit_pr.cir"
cp "$src" "$TSUKIT_SRCDIR/tests/data/pbit_pr_models.lib" "$d/"
cir="$d/pbit_pr.cir"
ports="--subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=0"
ch() { # ch RC PATTERN WHAT FILE [OPTIONS...] (default: the example's ports)
  rc=$1; pat=$2; what=$3; f=$4; shift 4
  [ $# -eq 0 ] && set -- $ports
  bad "$rc" "$pat" "$what" $T characterize "$f" "$@" --vctl 0.2335:0.2385:3 --time 1e-6 -o "$o"
}
# edit SED-SCRIPT NAME: a copy of the example edited by sed
edit() { sed "$1" "$cir" > "$d/$2"; echo "$d/$2"; }

tap_run_rc 0 "the example passes the preflight" $T characterize "$cir" $ports --vctl 0.2335:0.2385:3 --time 1e-6 --dry-run -o "$o"

# files
ch 2 "nosuch.cir" "a missing netlist" "$d/nosuch.cir"
: > "$d/empty.cir"
ch 2 "no subcircuit 'pbit_pr' (defined: none)" "an empty netlist" "$d/empty.cir"
head -c 700 "$cir" > "$d/trunc.cir"
ch 2 "no subcircuit 'pbit_pr'" "a netlist cut before the subcircuit" "$d/trunc.cir"
ch 2 "Is a directory" "a folder" "$d"
ch 2 "no subcircuit 'pbit_pr' (defined: none)" "an HDF5 file given as the netlist" "$TSUKIT_SRCDIR/tests/data/pbit_pr_models.lib"

# syntax
ch 2 ".subckt pbit_pr has no .ends" "no .ends" "$(edit 's/^.ends pbit_pr//' noends.cir)"
ch 2 ".subckt tkinv has no .ends" "no .ends in a nested definition" "$(edit 's/^.ends tkinv//' noends2.cir)"
ch 2 "subcircuit 'nosuchsub', which the file does not define" "an undefined subcircuit" "$(edit 's/^Xa in mid vdd vss tkinv/Xa in mid vdd vss nosuchsub/' nosub.cir)"
ch 2 "nested deeper than 8 below pbit_pr (recursive?)" "a recursive subcircuit" "$(edit 's/^Xa in mid vdd vss tkinv/Xa in mid vdd vss tkbuf/' recur.cir)"
ch 2 "unknown subckt" "an instance with a port missing" "$(edit 's/^Xa in mid vdd vss tkinv/Xa in mid vdd tkinv/' xports.cir)"
ch 2 "nosuchfet" "a model nobody defined" "$(edit 's/ pfet W=90n/ nosuchfet W=90n/' nomodel.cir)"
ch 2 "m.x_tk.mr" "a MOSFET with three nodes" "$(edit 's/^MR x vbp vc vc pfet W=90n/MR x vbp vc pfet W=90n/' fewnodes.cir)"
ch 2 "Cannot compute substitute" "an undefined parameter {wn}" "$(edit 's/W=100n L=100n/W={wn} L=100n/' noparam.cir)"
ch 2 "Closing \")\" not found" "an unbalanced expression" "$(edit 's/W=100n L=100n/W={100n*(} L=100n/' badexpr.cir)"
ch 2 "cannot read netlist $d/nosuch.lib" "a missing .include" "$(edit 's/pbit_pr_models.lib/nosuch.lib/' noinc.cir)"
printf '.model pfet pmos level=54 version=4.8 tox=\n' > "$d/badlib.lib"
ch 2 "ngspice could not load the netlist" "an .include of a broken model card" "$(edit "s|pbit_pr_models.lib|badlib.lib|" badinc.cir)"
# 10,000 lines of junk inside the subcircuit, and a file of nothing else
awk 'BEGIN { srand(7); for (i = 0; i < 10000; i++) { s = ""; n = 1 + int(rand() * 70); for (k = 0; k < n; k++) s = s sprintf("%c", 33 + int(rand() * 94)); print s } }' > "$d/junk.txt"
awk -v j="$d/junk.txt" '{ print } /^CX x vss/ { while ((getline l < j) > 0) print l }' "$cir" > "$d/junk_in.cir"
ch 2 "not an element line" "10,000 lines of junk in the subcircuit" "$d/junk_in.cir"
{ echo "junk"; cat "$d/junk.txt"; } > "$d/junk_all.cir"
ch 2 "no subcircuit 'pbit_pr'" "10,000 lines of junk" "$d/junk_all.cir"

# ports and names (shell metacharacters are names like any other: never
# run, refused as unknown ports)
ch 2 "--ctl: subcircuit pbit_pr has no port 'vc;rm'" "a port 'vc;rm'" "$cir" --subckt pbit_pr --ctl 'vc;rm' --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=0
ch 2 "--out: subcircuit pbit_pr has no port '\$(touch $d/pwned)'" "a port '\$(touch ...)'" "$cir" --subckt pbit_pr --ctl vc --out "\$(touch $d/pwned)" --supply vdd --vdd 0.5 --ground vss --bias vbp=0
[ ! -e "$d/pwned" ]; tap_ok $? "no shell ran the port name"
ch 2 "no subcircuit 'pbit_pr|ls'" "a subcircuit 'pbit_pr|ls'" "$cir" --subckt 'pbit_pr|ls' --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=0
ch 2 "--bias: '0\`id\`' is not a number" "a bias '0\`id\`'" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias 'vbp=0`id`'
ch 2 "--supply: subcircuit pbit_pr has no port 'VDD '" "a port with a trailing blank" "$cir" --subckt pbit_pr --ctl vc --out q --supply 'VDD ' --vdd 0.5 --ground vss --bias vbp=0
ch 2 "--name: 'a/b' has a '/'" "a cell name with a slash" "$cir" $ports --name a/b
ch 2 "port vc is already connected" "--out the same port as --ctl" "$cir" --subckt pbit_pr --ctl vc --out vc --supply vdd --vdd 0.5 --ground vss --bias vbp=0
ch 2 "--bias: port vbp is already connected" "a port biased twice" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=0,vbp=0
ch 2 "--bias: 'nan' is not a finite number" "a NaN bias" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=nan
ch 2 "--bias: 1e+300 is outside the valid range" "a huge bias" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --vdd 0.5 --ground vss --bias vbp=1e300
ch 2 "--vdd: 'nan' is not a finite number" "a NaN supply" "$cir" --subckt pbit_pr --ctl vc --out q --supply vdd --vdd nan --ground vss --bias vbp=0
bad 2 "time points per record, more than the limit" "--tstep 0.1 ps over 10 ms" $T characterize "$cir" $ports --vctl 0.2335:0.2385:3 --time 1e-2 --tstep 1e-13 -o "$o"

# ---- fault: ngspice fails at one point, the sweep goes on ----
nc=$(edit 's/^CX x vss 0.3f/CX x vss 0.3f\
Bbad y vss V = ln(0.2380 - v(vc))\
Rbad y vss 1k/' nonconv.cir)
lib="$d/nc.h5"
sweep="$nc $ports --vctl 0.2335:0.2385:6 --time 2e-6 --workers 2 --seed 2"
tap_run_rc 0 "a sweep whose last point ngspice cannot simulate finishes" $T characterize $sweep -o "$lib"
grep -q "point 5 (300.15 K, control 0.2385 V) failed: ngspice simulation failed: .*out of range for ln; stored as failed, the sweep goes on" "$tap_tmp/err"
tap_ok $? "the failure is reported for that point with ngspice's message ($(grep -m1 'failed:' "$tap_tmp/err"))"
[ "$(kv failed_points "$tap_tmp/out")" = 1 ] && [ "$(kv points "$tap_tmp/out")" = 6 ]; tap_ok $? "summary: points=6 failed_points=1"
v0=$(kv fit_v0_V "$tap_tmp/out")
fcmp "$v0 > 0.2335 && $v0 < 0.2385"; tap_ok $? "the fit uses the other 5 points (v0 $v0 V)"
grep -q "1 of 6 points failed in ngspice; the fits use the other 5" "$tap_tmp/err"; tap_ok $? "the fit says so"
"$dump" "$lib" /cells/pbit_pr > "$tap_tmp/nc.txt"
grep -q '^/cells/pbit_pr/point_done \[1,6\] 1 1 1 1 1 2$' "$tap_tmp/nc.txt"; tap_ok $? "the library records the point as failed (point_done 2)"
grep -q '^/cells/pbit_pr/p_state \[1,6,2\] .* nan nan$' "$tap_tmp/nc.txt"; tap_ok $? "its values are NaN"
"$dump" "$lib" -a /cells/pbit_pr point_error_5 > "$tap_tmp/msg" 2>&1
grep -q "^ngspice simulation failed: .*out of range for ln" "$tap_tmp/msg"; tap_ok $? "and ngspice's message is stored with it ($(head -c 120 "$tap_tmp/msg"))"
"$dump" "$lib" -a /cells/pbit_pr point_error_4 > /dev/null 2>&1; [ $? -ne 0 ]; tap_ok $? "a finished point has no message"
tap_run_rc 0 "sample accepts the library" $T sample --cells "$lib" --cell pbit_pr --temp 27C --graph G4 --L 8 --chains 4 --sweeps 20 --burn-in 0 --threads 1 -o "$d/s.h5"
tap_run_rc 0 "plot draws it" $T plot "$lib" -o "$d/nc.png"
tap_run_rc 0 "--resume keeps the failed point, simulates nothing" $T characterize $sweep --resume -o "$lib"
! grep -q "point(s) simulated" "$tap_tmp/err"; tap_ok $? "resume: no point simulated again"
"$dump" "$lib" /cells/pbit_pr > "$tap_tmp/nc2.txt"
cmp -s "$tap_tmp/nc.txt" "$tap_tmp/nc2.txt"; tap_ok $? "resume: the same library"
"$dump" "$lib" -a /cells/pbit_pr point_error_5 > "$tap_tmp/msg2" 2>&1
cmp -s "$tap_tmp/msg" "$tap_tmp/msg2"; tap_ok $? "resume: the failed point's message kept"
tap_done
