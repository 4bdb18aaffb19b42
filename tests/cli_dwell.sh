# cli_dwell.sh -- `tsukit doublewell`: summary keys, files, bad input.
. "$TSUKIT_SRCDIR/tests/tap.sh"

tap_run_rc 0 "doublewell runs" "$TSUKIT" doublewell --barrier-kT 3 --particles 200 --seed 7
for k in rate_measured_per_s rate_exact_per_s rate_kramers_per_s mfpt_ratio mfpt_ratio_sigma kramers_ratio; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "summary has $k"
done
[ "$(wc -l < "$tap_tmp/out")" -eq 1 ]; tap_ok $? "exactly one summary line"
r=$(kv mfpt_ratio "$tap_tmp/out"); s=$(kv mfpt_ratio_sigma "$tap_tmp/out")
# 200 particles: sigma ~ 7 %; allow 5 sigma plus 2 % of integrator bias
fcmp "($r - 1) < 5 * $s + 0.02 && (1 - $r) < 5 * $s + 0.02"; tap_ok $? "mfpt_ratio $r within 5 sigma ($s) of 1"

tap_run_rc 0 "doublewell -o writes files" "$TSUKIT" doublewell --barrier-kT 3 --particles 100 -o "$tap_tmp/dw.h5"
[ -s "$tap_tmp/dw.h5" ] && [ -s "$tap_tmp/dw.png" ] && [ ! -e "$tap_tmp/dw.h5.partial" ]
tap_ok $? "HDF5 file and PNG figure written, no partial file left"
tap_run_rc 1 "an existing output is not replaced" "$TSUKIT" doublewell --barrier-kT 3 --particles 50 -o "$tap_tmp/dw.h5"
grep -q -- "--force" "$tap_tmp/err"; tap_ok $? "the message points at --force"
tap_run_rc 0 "--force replaces it" "$TSUKIT" doublewell --barrier-kT 3 --particles 50 -o "$tap_tmp/dw.h5" --force

for bad in "--barrier-kT nan" "--barrier-kT 0" "--barrier-kT -3" "--barrier-kT 50" \
           "--barrier-kT 3 --temp 0" "--barrier-kT 3 --temp -300C" \
           "--barrier-kT 3 --particles 0" "--barrier-kT 3 --bogus" "--temp 300"; do
  # shellcheck disable=SC2086
  tap_run_rc 2 "bad input: $bad" "$TSUKIT" doublewell $bad -o "$tap_tmp/bad.h5"
  [ ! -s "$tap_tmp/out" ] && [ ! -e "$tap_tmp/bad.h5" ] && [ ! -e "$tap_tmp/bad.h5.partial" ]
  tap_ok $? "bad input writes nothing: $bad"
  [ "$(wc -l < "$tap_tmp/err")" -le 2 ] && grep -q -- "--" "$tap_tmp/err"
  tap_ok $? "the message names the option: $(head -n 1 "$tap_tmp/err")"
done
tap_done
