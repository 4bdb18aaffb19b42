# cli_device.sh -- `tsukit device`: summary keys, the subthreshold slope
# measured through the command, and bad input (exit 2, nothing on stdout,
# an error naming the option and its valid range).
#
# Slope: at V_GS = -0.1 V, V_DS = 0.3 V the default NMOS is in deep weak
# inversion (x_f <= -10 at the top of the step, where F(x + ln10)/F(x)
# deviates from 10 by about (sqrt(10) - 1) e^(x/2) = 1.5 %); a gate step
# of n U_T ln 10 (n and ut_V read back from the command) must multiply
# I_D by 10 within 5 % (the issue's acceptance).
. "$TSUKIT_SRCDIR/tests/tap.sh"

tap_run_rc 0 "device at a weak-inversion bias" "$TSUKIT" device --type nmos --vgs -0.1 --vds 0.3
for k in id_A gm_S gds_S gms_S n ut_V vth_V i_f_A i_r_A shot_A2_per_Hz channel_A2_per_Hz thermal_A2_per_Hz; do
  [ -n "$(kv "$k" "$tap_tmp/out")" ]; tap_ok $? "summary has $k="
done
[ "$(wc -l < "$tap_tmp/out")" -eq 1 ]; tap_ok $? "exactly one summary line"

# slope_case LABEL VGS VDS [extra options]
slope_case() {
  label=$1; vgs=$2; vds=$3; shift 3
  "$TSUKIT" device --vgs "$vgs" --vds "$vds" "$@" > "$tap_tmp/a" 2>&1
  n=$(kv n "$tap_tmp/a"); ut=$(kv ut_V "$tap_tmp/a"); id1=$(kv id_A "$tap_tmp/a")
  vgs2=$(awk -v v="$vgs" -v n="$n" -v u="$ut" 'BEGIN { printf "%.9g", v + n * u * log(10) }')
  "$TSUKIT" device --vgs "$vgs2" --vds "$vds" "$@" > "$tap_tmp/b" 2>&1
  id2=$(kv id_A "$tap_tmp/b")
  ratio=$(awk -v a="$id1" -v b="$id2" 'BEGIN { printf "%.6f", b / a }')
  tap_note "$label: n=$n ut_V=$ut step=$(awk -v n="$n" -v u="$ut" 'BEGIN{printf "%.5f", n*u*log(10)}') V: I_D $id1 -> $id2 A, ratio $ratio (want 10 within 5 %)"
  fcmp "$ratio >= 9.5 && $ratio <= 10.5"; tap_ok $? "$label: gate step n U_T ln10 multiplies I_D by 10 within 5 % (got $ratio)"
}
slope_case "NMOS 27 C" -0.1 0.3
slope_case "NMOS -40 C" -0.05 0.3 --temp -40C
slope_case "NMOS 398 K, W/L = 1u/0.5u" -0.4 0.4 --temp 398.15 --w 1e-6 --l 0.5e-6

# V_DS = 0: the channel noise is 4kT g_ds (5 significant digits printed)
"$TSUKIT" device --vgs 0.35 --vds 0 > "$tap_tmp/z" 2>&1
ch=$(kv channel_A2_per_Hz "$tap_tmp/z"); g=$(kv gds_S "$tap_tmp/z"); t=$(kv temp_K "$tap_tmp/z")
fcmp "($ch / (4 * 1.380649e-23 * $t * $g) - 1)^2 < 1e-10"; tap_ok $? "V_DS = 0: channel_A2_per_Hz = 4kT gds_S ($ch vs 4kT * $g)"

# bad input: exit 2, empty stdout, first stderr line names the option and a range
bad() { # bad OPTION-NAME WHAT ARGS...
  opt=$1; what=$2; shift 2
  tap_run_rc 2 "$what" "$TSUKIT" device "$@"
  [ ! -s "$tap_tmp/out" ]; tap_ok $? "$what: nothing on stdout"
  head -n 1 "$tap_tmp/err" | grep -q -e "$opt" && head -n 1 "$tap_tmp/err" | grep -qi "range"
  tap_ok $? "$what: error names $opt and its valid range ($(head -n 1 "$tap_tmp/err"))"
}
bad --vgs "NaN gate voltage" --vgs nan --vds 0.1
bad --vds "infinite drain voltage" --vgs 0.1 --vds inf
bad --temp "temperature 0 K" --vgs 0.1 --vds 0.1 --temp 0
bad --temp "temperature below 0 K in Celsius" --vgs 0.1 --vds 0.1 --temp -300C
bad --w "negative width" --vgs 0.1 --vds 0.1 --w -90e-9
bad --l "negative length" --vgs 0.1 --vds 0.1 --l -45e-9
bad --l "zero length" --vgs 0.1 --vds 0.1 --l 0
bad --vgs "missing --vgs" --vds 0.1
bad --type "unknown device type" --type xmos --vgs 0.1 --vds 0.1
tap_run_rc 2 "unknown option" "$TSUKIT" device --vgs 0.1 --vds 0.1 --frobnicate
[ ! -s "$tap_tmp/out" ]; tap_ok $? "unknown option: nothing on stdout"
grep -q -e "--frobnicate" "$tap_tmp/err"; tap_ok $? "unknown option: error names it"
tap_run_rc 0 "device --help" "$TSUKIT" device --help
grep -q "usage" "$tap_tmp/out"; tap_ok $? "--help prints the usage"
tap_done
