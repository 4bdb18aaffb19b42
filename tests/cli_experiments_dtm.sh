# cli_experiments_dtm.sh -- the DTM experiments, quick variants (L = 44,
# 512 images, 10 sweeps): dtm-fashion calls the dtm train/sample/eval runs
# and the sample-grid figure in-process (run/run_dtm.h) and `calibrate` as a
# child command, and collects their numbers;
# mixing reuses its models; energy-comparison then picks up the DTM's
# energy.  About a minute of CPU (most of it the 18-point calibration).
. "$TSUKIT_SRCDIR/tests/tap.sh"
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -r "$ds/train-images-idx3-ubyte.gz" ]; then
  echo "ok 1 # SKIP Fashion-MNIST not installed"; echo "1..1"; exit 0
fi
dir="$tap_tmp/results"
tap_run_rc 0 "experiment dtm-fashion --quick" "$TSUKIT" experiment dtm-fashion --quick -o "$dir"
cp "$tap_tmp/out" "$tap_tmp/dtm.kv"
v() { kv "$1" "$tap_tmp/dtm.kv"; }
[ -s "$dir/dtm-fashion.h5" ] && [ -s "$dir/dtm-fashion.png" ] && [ -s "$dir/dtm-fashion-grid.png" ]
tap_ok $? "result file, figure and sample grid written"
for m in acp noacp mono; do
  [ -s "$dir/dtm/$m.h5" ]; tap_ok $? "model $m.h5 checkpointed"
done
# paper formula at the quick shape: T K L^2 E_cell = 4 x 10 x 44^2 x 2 fJ
p=$(v paper_energy_per_sample_J)
fcmp "$p > 1.5487e-10 && $p < 1.5489e-10"; tap_ok $? "paper energy 4 x 10 x 44^2 x 2 fJ ($p J)"
e=$(v energy_per_sample_J)
# our per-term model on the calibrated cell: same order as the paper
fcmp "$e > $p / 10 && $e < $p * 10"; tap_ok $? "chip energy per sample $e J within 10x of the formula"
for k in fd_tsukit fd_marginal_baseline fd_mono label_accuracy autocorr_acp autocorr_noacp fd_cells_compensated_worst epoch_s; do
  x=$(v $k); fcmp "$x == $x && $x > -1"; tap_ok $? "$k is a number ($x)"
done
# a rerun resumes the finished models instead of training them again
tap_run_rc 0 "rerun resumes" "$TSUKIT" experiment dtm-fashion --quick -o "$dir"
grep -q "already has 1 epochs" "$tap_tmp/err"; tap_ok $? "finished models are not retrained"
tap_run_rc 0 "experiment mixing --quick (same models)" "$TSUKIT" experiment mixing --quick -o "$dir"
a=$(kv autocorr_mono_at_K "$tap_tmp/out"); b=$(kv autocorr_dtm_at_K "$tap_tmp/out")
fcmp "$a > -0.3 && $a < 1.05 && $b > -0.3 && $b < 1.05"; tap_ok $? "autocorrelations in range ($a, $b)"
tap_run_rc 0 "energy-comparison picks up the DTM" "$TSUKIT" experiment energy-comparison --quick -o "$dir"
r=$(kv ratio_vae_dtm "$tap_tmp/out"); fcmp "$r > 0"; tap_ok $? "VAE / DTM energy ratio reported ($r)"
tap_run_rc 0 "experiment list" "$TSUKIT" experiment list
grep -q "^dtm-fashion " "$tap_tmp/out" && grep -q "^mixing " "$tap_tmp/out"; tap_ok $? "list has dtm-fashion and mixing"
tap_run_rc 0 "report of the three" "$TSUKIT" experiment report -d "$dir" -o "$tap_tmp/REPORT.md"
[ "$(kv experiments "$tap_tmp/out")" -eq 3 ]; tap_ok $? "report found 3 experiments"
grep -q "dtm-fashion-grid.png" "$tap_tmp/REPORT.md"; tap_ok $? "report shows the sample grid"
grep -q "^| DTM T=4, ACP |" "$tap_tmp/REPORT.md"; tap_ok $? "report has the quality table"
tap_done
