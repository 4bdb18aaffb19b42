# cli_demo.sh -- `tsukit demo --quick`: the whole chain runs on the
# embedded defaults, writes every step's HDF5 and PNG, and its headline
# numbers are physical (about 15 s).
#
# Energy: no figure is re-derived from the constants the code uses.
# Instead (a) the summary line agrees with the files it reports on; (b)
# the chip's energy report adds up (per sweep = clock + bias + RNG +
# wires; per sample = a whole number of sweeps + readout; the DTM's per
# sample = its 4 steps); (c) the chip's own accounting and the paper's
# formula T K L^2 E_cell, two separate models, agree within a factor 2;
# (d) the energy model scales as it must, between short `tsukit sample`
# runs of the same chip code: per sample x2 with twice the sweeps per
# sample, and the paper's figure and the per-cell terms (clock, RNG) x4
# with four times the cells.
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
# h5 FILE DATASET: the first value of a dataset
h5() { "$dump" "$1" "$2" | awk 'NR == 1 { print $3 }'; }
# rel A B TOL: |A - B| <= TOL |B|
calc() { awk "BEGIN { printf \"%.17g\", $1 }"; }
rel() { fcmp "($1 - $2) <= $3 * ($2 < 0 ? -$2 : $2) && ($2 - $1) <= $3 * ($2 < 0 ? -$2 : $2)"; }
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
  f=$d/dtm_samples.h5
  e=$(v dtm_energy_per_sample_J)
  rel "$e" "$(h5 "$f" /energy/per_sample_J)" 1e-5; tap_ok $? "DTM energy per sample: summary = file ($e)"
  rel "$(v dtm_paper_energy_per_sample_J)" "$(h5 "$f" /energy/paper_per_sample_J)" 1e-5
  tap_ok $? "DTM paper energy: summary = file"
  rel "$(h5 "$f" /energy/per_sample_J)" "$(calc "4 * $(h5 "$f" /energy/per_step_J)")" 1e-12
  tap_ok $? "DTM energy per sample = 4 steps x energy per step"
fi
# subthreshold swing n U_T ln 10 at 27 C: 60 mV/dec for n = 1, the card's
# n is 1.2-1.6
s=$(v swing_mV_per_dec)
fcmp "$s > 65 && $s < 100"; tap_ok $? "subthreshold swing $s mV/dec"
r=$(v dw_mfpt_ratio)
fcmp "$r > 0.8 && $r < 1.25"; tap_ok $? "double well rate / exact = $r"
f=$d/chip.h5
c=$(v chip_energy_per_sample_J); cp=$(v chip_paper_energy_per_sample_J)
rel "$c" "$(h5 "$f" /energy/per_sample_J)" 1e-5; tap_ok $? "chip energy per sample: summary = file ($c)"
rel "$cp" "$(h5 "$f" /energy/paper_per_sample_J)" 1e-5; tap_ok $? "chip paper energy: summary = file ($cp)"
sweep=$(h5 "$f" /energy/per_sweep_J)
parts=$(for k in clock bias rng wire; do h5 "$f" /energy/${k}_per_sweep_J; done | awk '{ s += $1 } END { printf "%.17g", s }')
rel "$sweep" "$parts" 1e-12; tap_ok $? "chip energy per sweep = clock + bias + RNG + wires"
k=$(awk "BEGIN { printf \"%.6f\", ($(h5 "$f" /energy/per_sample_J) - $(h5 "$f" /energy/readout_per_sample_J)) / $sweep }")
fcmp "$k >= 1 && $k - int($k + 0.5) < 1e-6 && int($k + 0.5) - $k < 1e-6"
tap_ok $? "chip energy per sample = a whole number of sweeps ($k) + readout"
fcmp "$c / $cp > 0.5 && $c / $cp < 2"; tap_ok $? "chip accounting within x2 of the paper formula ($c / $cp)"

# the energy model's scaling, on short runs of the chip simulator
es() { # es L SAMPLE_SWEEPS OUT
  "$TSUKIT" sample --graph G12 --L "$1" --chains 64 --sweeps 20 --burn-in 0 \
    --sample-sweeps "$2" --threads 1 --seed 3 -o "$tap_tmp/$3.h5" >/dev/null 2>&1
}
if es 20 100 a && es 20 200 b && es 40 100 c; then
  ea=$(h5 "$tap_tmp/a.h5" /energy/per_sample_J); ra=$(h5 "$tap_tmp/a.h5" /energy/readout_per_sample_J)
  eb=$(h5 "$tap_tmp/b.h5" /energy/per_sample_J); rb=$(h5 "$tap_tmp/b.h5" /energy/readout_per_sample_J)
  rel "$(calc "$eb - $rb")" "$(calc "2 * ($ea - $ra)")" 1e-9
  tap_ok $? "energy per sample (less readout) x2 with twice the sweeps per sample"
  rel "$(h5 "$tap_tmp/b.h5" /energy/paper_per_sample_J)" "$(calc "2 * $(h5 "$tap_tmp/a.h5" /energy/paper_per_sample_J)")" 1e-9
  tap_ok $? "paper energy x2 with twice the sweeps per sample"
  for q in paper_per_sample clock_per_sweep rng_per_sweep; do
    rel "$(h5 "$tap_tmp/c.h5" /energy/${q}_J)" "$(calc "4 * $(h5 "$tap_tmp/a.h5" /energy/${q}_J)")" 1e-9
    tap_ok $? "$q x4 with four times the cells (L 20 -> 40)"
  done
else
  tap_ok 1 "tsukit sample runs for the energy scaling"
fi
tap_done
