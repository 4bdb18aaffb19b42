# cli_experiments_dtm_gray.sh -- `tsukit experiment dtm-gray --quick`
# (issue 14 part 3): the grayscale and binary DTMs trained on 512 images
# (L = 44, one epoch), sampled, evaluated, a one-temperature cat4 library
# calibrated and the gray model sampled on it; the result file, figure,
# summary keys, and the paper energy at the quick shape.  A minute or two
# of CPU.
. "$TSUKIT_SRCDIR/tests/tap.sh"
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -r "$ds/train-images-idx3-ubyte.gz" ]; then
  echo "ok 1 # SKIP Fashion-MNIST not installed"; echo "1..1"; exit 0
fi
dir="$tap_tmp/results"
tap_run_rc 0 "experiment dtm-gray --quick" "$TSUKIT" experiment dtm-gray --quick -o "$dir"
v() { kv "$1" "$tap_tmp/out"; }
[ -s "$dir/dtm-gray.h5" ] && [ -s "$dir/dtm-gray.png" ]; tap_ok $? "result file and samples figure written"
for m in gray binary; do
  [ -s "$dir/dtm-gray/$m.h5" ]; tap_ok $? "model $m.h5 checkpointed"
done
for k in fd_gray fd_gray_independent label_accuracy_gray fd_binary fd_binary_independent fd_gray_cells energy_per_sample_gray_J energy_per_sample_gray_cells_J; do
  x=$(v $k); fcmp "$x == $x && $x > 0"; tap_ok $? "$k is a positive number ($x)"
done
# gray at the quick shape: paper formula T K L^2 E_cell = 4 x 10 x 44^2 x 2 fJ
"$(dirname "$TSUKIT")/tests/dump_h5" "$dir/dtm-gray.h5" /tables/energy/c5 > "$tap_tmp/pap"
awk '{ v = $3 + 0; exit !(v > 1.5487e-10 && v < 1.5489e-10) }' "$tap_tmp/pap"; tap_ok $? "paper energy 4 x 10 x 44^2 x 2 fJ in the energy table"
tap_done
