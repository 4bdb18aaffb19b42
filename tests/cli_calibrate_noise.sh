# cli_calibrate_noise.sh -- `tsukit calibrate --noise-model` and
# --noise-scale: the pbit's transfer width from its noise node
# (calibrate/cal_noise.h, docs/FINDINGS.md "Why vs does not follow kT").
# Workload: 6-point sweeps at 60 us and at 20 us plus a 4 us noise-node
# record each (~60 s of CPU), at VDD 0.5 V / pseudo-resistor 0.48 V where
# the cell flips ~5 times per us.
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
args="--cell pbit --vdd 0.5 --vbias 0.48 --vctl 0.2341:0.2369:6 --temp 300 --noise-model 4e-6 --workers 2 --seed 41"
n1="$tap_tmp/n1.h5"
tap_run_rc 0 "sweep with --noise-model" "$TSUKIT" calibrate $args --time 60e-6 -o "$n1"
tap_note "$(grep 'noise node' "$tap_tmp/err")"
vs=$(kv fit_vs_V "$tap_tmp/out"); vm=$(kv noise_model_vs_V "$tap_tmp/out")
"$dump" "$n1" /cells/pbit/noise_model > "$tap_tmp/n1.txt"
"$dump" "$n1" /cells/pbit/fit > "$tap_tmp/f1.txt"
# the Gaussian threshold crossing fitted beside the logistic: its sd is
# ~1.7 x the logistic scale (1.702 for the curves' best match)
psd=$(awk '/fit\/probit_sd_V /{print $3}' "$tap_tmp/f1.txt")
fcmp "$psd > 1.5 * $vs && $psd < 1.95 * $vs"; tap_ok $? "probit sd $psd V is ~1.7 x the logistic vs"
grep -q "^/cells/pbit/fit/probit_chi2_red \[1\]" "$tap_tmp/f1.txt"; tap_ok $? "library has fit/probit_chi2_red"
for d in sigma_x_V tau_x_s shift_x_V control_V vs_V; do
  grep -q "^/cells/pbit/noise_model/$d \[1\]" "$tap_tmp/n1.txt"; tap_ok $? "library has noise_model/$d"
done
s1=$(awk '/noise_model\/sigma_x_V /{print $3}' "$tap_tmp/n1.txt")
# equipartition: the node's capacitance lies between C_X alone (0.25 fF)
# and C_X with every gate and Miller capacitance on it (< 1.5 fF), so its
# variance kT / C lies between kT / 1.5 fF and kT / 0.25 fF
fcmp "$s1 * $s1 > 1.380649e-23 * 300 / 1.5e-15 && $s1 * $s1 < 1.380649e-23 * 300 / 0.25e-15"
tap_ok $? "noise node sd $s1 V is kT/C for 0.25 fF < C < 1.5 fF"
tx=$(awk '/noise_model\/tau_x_s /{print $3}' "$tap_tmp/n1.txt")
tau=$(kv tau_s "$tap_tmp/out")
fcmp "$tx > 0 && $tx < $tau / 5"; tap_ok $? "the node relaxes (tau_x $tx s) much faster than the output (tau $tau s)"
# the width from the noise: within ~10 % at 40-60 us per point (FINDINGS);
# here the model inherits tau's error (60 us points: ~17 %, so ~9 % on
# vs) and the fitted vs its own ~5 %: band 40 %.  The node's own sd
# over 1.702 would be ~5x the fitted vs: the averaging is what is tested.
fcmp "$vm > 0.6 * $vs && $vm < 1.4 * $vs"; tap_ok $? "vs from the noise node $vm V within 40 % of the fitted $vs V"
# --noise-scale 4: every noise density x 4, the devices unchanged: the
# node's sd doubles (equipartition, kT -> 4 kT); the width grows too
n4="$tap_tmp/n4.h5"
tap_run_rc 0 "sweep with --noise-scale 4" "$TSUKIT" calibrate $args --time 20e-6 --noise-scale 4 -o "$n4"
"$dump" "$n4" /cells/pbit/noise_model > "$tap_tmp/n4.txt"
s4=$(awk '/noise_model\/sigma_x_V /{print $3}' "$tap_tmp/n4.txt")
vs4=$(kv fit_vs_V "$tap_tmp/out")
fcmp "$s4 / $s1 > 1.8 && $s4 / $s1 < 2.2"; tap_ok $? "--noise-scale 4 doubles the node's sd (x$(awk "BEGIN{print $s4/$s1}"))"
fcmp "$vs4 / $vs > 1.6"; tap_ok $? "and widens the transfer curve (vs x$(awk "BEGIN{print $vs4/$vs}"))"
tap_run_rc 2 "--resume with another --noise-scale is refused" "$TSUKIT" calibrate $args --time 20e-6 --resume -o "$n4"
grep -q -- "--noise-scale" "$tap_tmp/err"; tap_ok $? "the refusal names --noise-scale"
tap_run_rc 2 "--noise-model on a categorical cell is refused" "$TSUKIT" calibrate --cell cat4 --vctl 0.33:0.334:3 --temp 300 --noise-model 1e-6 -o "$tap_tmp/x.h5"
tap_run_rc 2 "--noise-scale 0 is refused" "$TSUKIT" calibrate $args --time 20e-6 --noise-scale 0 -o "$tap_tmp/x.h5"
tap_done
