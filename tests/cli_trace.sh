# cli_trace.sh -- `tsukit cells`, `tsukit trace`, `tsukit plot`: listing
# keys, a short pbit trace with its summary keys and file, same seed ->
# same figures, and bad input (exit 1 with the cause, no output file).
# Workload: three short ngspice runs (2 us simulated, well under 1 s each).
. "$TSUKIT_SRCDIR/tests/tap.sh"

tap_run_rc 0 "cells lists the shipped cells" "$TSUKIT" cells
for k in name kind ports controls range_V; do
  [ -n "$(kv "$k" "$tap_tmp/out")" ]; tap_ok $? "cells: line has $k="
done
grep -q '^name=pbit ' "$tap_tmp/out"; tap_ok $? "cells: pbit listed"

f="$tap_tmp/t.h5"
tap_run_rc 0 "trace pbit, two biases, 2 us" "$TSUKIT" trace --cell pbit --vctl 0.178,0.194 --time 2e-6 --seed 5 -o "$f"
for k in p1 tau_s flips energy_per_flip_J; do
  [ -n "$(kv "$k" "$tap_tmp/out")" ]; tap_ok $? "trace: summary has $k="
done
p1=$(kv p1 "$tap_tmp/out")
[ "$p1" = "0,1" ]; tap_ok $? "trace: P(1) is 0 at the low end and 1 at the high end ($p1)"
[ -s "$f" ] && [ ! -e "$f.partial" ]; tap_ok $? "trace: file complete, no .partial left"
cp "$tap_tmp/out" "$tap_tmp/first"
tap_run_rc 1 "trace refuses to overwrite without --force" "$TSUKIT" trace --cell pbit --vctl 0.186 --time 1e-6 -o "$f"
tap_run_rc 0 "trace again with the same seed (--force)" "$TSUKIT" trace --cell pbit --vctl 0.178,0.194 --time 2e-6 --seed 5 --force -o "$f"
cmp -s "$tap_tmp/out" "$tap_tmp/first"; tap_ok $? "same seed: identical summary"

if command -v gnuplot >/dev/null 2>&1; then
  tap_run_rc 0 "plot the trace file" "$TSUKIT" plot "$f" -o "$tap_tmp/t.png"
  [ -s "$tap_tmp/t.png" ]; tap_ok $? "plot: PNG written"
else
  tap_ok 0 "# SKIP gnuplot not installed"
fi

# gmm2: two modes, the weight follows vctl, the upper mode sits near vsep
g="$tap_tmp/g.h5"
tap_run_rc 0 "trace gmm2 at both ends of vctl, vsep 0.3 V" "$TSUKIT" trace --cell gmm2 --vctl 0.180,0.3,0.192,0.3 --time 2e-6 --seed 5 -o "$g"
for k in mu0_V mu1_V sigma0_V sigma1_V w0; do
  [ -n "$(kv "$k" "$tap_tmp/out")" ]; tap_ok $? "gmm2: summary has $k="
done
w0=$(kv w0 "$tap_tmp/out"); mu1=$(kv mu1_V "$tap_tmp/out")
fcmp "${w0%,*} > 0.9 && ${w0#*,} < 0.1"; tap_ok $? "gmm2: lower-mode weight falls with vctl ($w0)"
fcmp "${mu1#*,} > 0.27 && ${mu1#*,} < 0.33"; tap_ok $? "gmm2: upper mode at vsep within 10 % ($mu1)"

# cat4: one control high, the others low -> that state (3 us each)
c4="$tap_tmp/c4.h5"
tap_run_rc 0 "trace cat4, vc0 high / vc3 high" "$TSUKIT" trace --cell cat4 --vctl 0.194,0.178,0.178,0.178,0.178,0.178,0.178,0.194 --time 3e-6 --seed 5 -o "$c4"
for k in p0 p1 p2 p3 tau_s; do
  [ -n "$(kv "$k" "$tap_tmp/out")" ]; tap_ok $? "cat4: summary has $k="
done
p0=$(kv p0 "$tap_tmp/out"); p3=$(kv p3 "$tap_tmp/out")
fcmp "${p0%,*} > 0.9 && ${p3#*,} > 0.9"; tap_ok $? "cat4: the state whose control is high dominates (p0 $p0, p3 $p3)"
if command -v gnuplot >/dev/null 2>&1; then
  tap_run_rc 0 "plot the cat4 file" "$TSUKIT" plot "$c4" -o "$tap_tmp/c4.png"
  tap_run_rc 0 "plot the gmm2 file (histogram)" "$TSUKIT" plot "$g" -o "$tap_tmp/g.png"
fi

# bad input: exit 1, the cause named, no output file at all
bad() { # bad WHAT PATTERN ARGS...
  what=$1; pat=$2; shift 2
  rm -f "$tap_tmp/bad.h5" "$tap_tmp/bad.h5.partial"
  tap_run_rc 1 "$what" "$TSUKIT" trace "$@" -o "$tap_tmp/bad.h5"
  grep -qi -e "$pat" "$tap_tmp/err"; tap_ok $? "$what: error says '$pat' ($(tail -n 1 "$tap_tmp/err"))"
  [ ! -e "$tap_tmp/bad.h5" ] && [ ! -e "$tap_tmp/bad.h5.partial" ]; tap_ok $? "$what: no output file"
  [ ! -s "$tap_tmp/out" ]; tap_ok $? "$what: nothing on stdout"
}
bad "control above the supply" "outside the supply" --cell pbit --vctl 0.5 --time 1e-7
printf '.model nch nmos level=54 version=4.8.2\nQQQ not a spice line\n' > "$tap_tmp/bad.lib"
bad "model library that does not parse" "ngspice" --cell pbit --vctl 0.186 --time 1e-7 --models "$tap_tmp/bad.lib"
bad "missing model library" "include file" --cell pbit --vctl 0.186 --time 1e-7 --models "$tap_tmp/none.lib"
bad "native engine: control above the supply" "outside the supply" --cell pbit --vctl 0.5 --time 1e-7 --engine native
tap_run_rc 2 "unknown engine" "$TSUKIT" trace --cell pbit --vctl 0.186 --time 1e-7 --engine bogus -o "$tap_tmp/x.h5"

# the native Langevin engine on the same cell description (1 us)
tap_run_rc 0 "trace pbit --engine native" "$TSUKIT" trace --cell pbit --vctl 0.186 --time 1e-6 --engine native --seed 3 -o "$tap_tmp/n1.h5"
cp "$tap_tmp/out" "$tap_tmp/n1.out"
for k in p1 tau_s flips energy_per_flip_J; do
  [ -n "$(kv "$k" "$tap_tmp/n1.out")" ]; tap_ok $? "native: summary has $k="
done
tap_run_rc 0 "native again, same seed" "$TSUKIT" trace --cell pbit --vctl 0.186 --time 1e-6 --engine native --seed 3 -o "$tap_tmp/n2.h5"
sed 's/file=[^ ]*//' "$tap_tmp/n1.out" > "$tap_tmp/a"; sed 's/file=[^ ]*//' "$tap_tmp/out" > "$tap_tmp/b"
cmp -s "$tap_tmp/a" "$tap_tmp/b"; tap_ok $? "native: same seed, same result"
tap_run_rc 2 "unknown cell" "$TSUKIT" trace --cell nosuch --vctl 0.1 --time 1e-7 -o "$tap_tmp/x.h5"
tap_run_rc 2 "missing --time" "$TSUKIT" trace --cell pbit --vctl 0.1 -o "$tap_tmp/x.h5"
# same seed, same file: byte-identical with a fixed SOURCE_DATE_EPOCH
for e in ngspice native; do
  for i in 1 2; do
    SOURCE_DATE_EPOCH=1700000000 "$TSUKIT" trace --cell pbit --vctl 0.186 --time 1e-6 \
      --engine $e --seed 9 --force -o "$tap_tmp/same.h5" >/dev/null 2>&1
    mv "$tap_tmp/same.h5" "$tap_tmp/same$i.h5"
  done
  cmp -s "$tap_tmp/same1.h5" "$tap_tmp/same2.h5"; tap_ok $? "$e: two runs with the same seed give byte-identical files"
done
tap_done
