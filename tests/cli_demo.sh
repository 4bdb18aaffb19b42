# cli_demo.sh -- `tsukit demo --quick`: the whole chain runs on the
# embedded defaults, writes every step's HDF5 and PNG, and its headline
# numbers are physical (about 15 s).
. "$TSUKIT_SRCDIR/tests/tap.sh"
d="$tap_tmp/demo"
tap_run_rc 0 "demo --quick" "$TSUKIT" demo --quick --out "$d"
cp "$tap_tmp/out" "$tap_tmp/demo.kv"
v() { kv "$1" "$tap_tmp/demo.kv"; }
[ "$(wc -l < "$tap_tmp/demo.kv")" -eq 1 ]; tap_ok $? "one summary line"
[ "$(v steps)" = 5 ]; tap_ok $? "five steps"
for f in device cell_pbit cell_cat4 cell_gmm2 doublewell chip; do
  [ -s "$d/$f.h5" ] && [ -s "$d/$f.png" ]; tap_ok $? "$f.h5 and $f.png"
done
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ -r "$ds/train-images-idx3-ubyte.gz" ]; then
  [ -s "$d/dtm_model.h5" ] && [ -s "$d/dtm_samples.h5" ] && [ -s "$d/dtm_samples.png" ]
  tap_ok $? "DTM model, samples and grid"
  # paper formula T K L^2 E_cell = 4 x 20 x 70^2 x 2 fJ
  p=$(v dtm_paper_energy_per_sample_J)
  fcmp "$p > 7.839e-10 && $p < 7.841e-10"; tap_ok $? "DTM paper energy 4 x 20 x 4900 x 2 fJ ($p)"
fi
# subthreshold swing n U_T ln 10 at 27 C: 60 mV/dec for n = 1, the card's
# n is 1.2-1.6
s=$(v swing_mV_per_dec)
fcmp "$s > 65 && $s < 100"; tap_ok $? "subthreshold swing $s mV/dec"
r=$(v dw_mfpt_ratio)
fcmp "$r > 0.8 && $r < 1.25"; tap_ok $? "double well rate / exact = $r"
c=$(v chip_paper_energy_per_sample_J)
fcmp "$c > 2.449e-9 && $c < 2.451e-9"; tap_ok $? "chip paper energy 250 x 4900 x 2 fJ ($c)"
tap_done
