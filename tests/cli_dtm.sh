# cli_dtm.sh -- `tsukit dtm train|sample|eval` and `tsukit plot` on a
# small model (L = 44, 2 steps, 256 images): summary keys, checkpoints,
# exact resume, and the bad inputs of the issue (missing dataset, a model
# from another graph, mismatched steps, a corrupt model file).
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -r "$ds/train-images-idx3-ubyte.gz" ] && [ ! -r "$ds/train-images-idx3-ubyte" ]; then
  echo "ok 1 # SKIP Fashion-MNIST not installed (Debian package dataset-fashion-mnist)"
  echo "1..1"
  exit 0
fi

m=$tap_tmp/m.h5
small="--steps 2 --graph G12 --L 44 --train-limit 256 --sweeps 10 --sweeps-pos 8 --record 4 --threads 1 --seed 5"
tap_run_rc 0 "train 1 of 2 epochs" "$TSUKIT" dtm train --data fashion-mnist $small --epochs 2 --stop-after 1 -o "$m"
[ "$(wc -l < "$tap_tmp/out")" -eq 1 ]; tap_ok $? "exactly one summary line"
for k in epochs steps wall_s images_per_s flips_per_ns autocorr acp_lambda_max; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "train summary has $k"
done
[ "$(kv epochs "$tap_tmp/out")" = 1 ]; tap_ok $? "one epoch done"
[ -f "$m" ] && [ ! -f "$m.partial" ]; tap_ok $? "checkpoint committed"

tap_run_rc 2 "existing model without --resume/--force" "$TSUKIT" dtm train --data fashion-mnist $small --epochs 1 -o "$m"
tap_run_rc 0 "resume to 2 epochs" "$TSUKIT" dtm train --data fashion-mnist $small --epochs 2 --resume -o "$m"
[ "$(kv epochs "$tap_tmp/out")" = 2 ]; tap_ok $? "resumed run reaches epoch 2"
# An uninterrupted 2-epoch run gives the same weights, Adam state and
# penalties bit for bit.
m2=$tap_tmp/m2.h5
tap_run_rc 0 "uninterrupted 2 epochs" "$TSUKIT" dtm train --data fashion-mnist $small --epochs 2 -o "$m2"
"$dump" "$m" /dtm > "$tap_tmp/d1"; "$dump" "$m2" /dtm > "$tap_tmp/d2"
cmp -s "$tap_tmp/d1" "$tap_tmp/d2"; tap_ok $? "1 + resumed 1 epoch == 2 epochs (bit-identical /dtm)"
grep -q '^/dtm/J ' "$tap_tmp/d1"; tap_ok $? "the dump holds the couplings"
# --resume of a run killed before its first checkpoint (no file yet):
# a fresh model, said on stderr, the same as a run without --resume
mr=$tap_tmp/mr.h5
tap_run_rc 0 "--resume with no file yet trains a fresh model" "$TSUKIT" dtm train --data fashion-mnist $small --epochs 2 --resume -o "$mr"
grep -q "does not exist yet; training a fresh model" "$tap_tmp/err"; tap_ok $? "the fresh start is said on stderr"
"$dump" "$mr" /dtm > "$tap_tmp/d3"
cmp -s "$tap_tmp/d2" "$tap_tmp/d3"; tap_ok $? "it equals the run without --resume (bit-identical /dtm)"

tap_run_rc 2 "resume with another graph is refused" "$TSUKIT" dtm train --data fashion-mnist --steps 2 --graph G8 --L 44 --epochs 3 --resume -o "$m"
grep -q "G12" "$tap_tmp/err"; tap_ok $? "message names the model's graph"
tap_run_rc 1 "missing dataset folder" "$TSUKIT" dtm train --data "$tap_tmp/nowhere" $small --epochs 1 -o "$tap_tmp/x.h5"
grep -q "dataset-fashion-mnist" "$tap_tmp/err"; tap_ok $? "message names the Debian package"
[ ! -f "$tap_tmp/x.h5" ]; tap_ok $? "no model file left behind"
tap_run_rc 2 "L too small for 884 visible spins" "$TSUKIT" dtm train --data fashion-mnist --L 30 -o "$tap_tmp/y.h5"

s=$tap_tmp/s.h5
tap_run_rc 0 "sample 20, labels clamped per class" "$TSUKIT" dtm sample --model "$m" --n 20 --label all --threads 1 -o "$s"
for k in samples energy_per_sample_J paper_energy_per_sample_J energy_ratio activity flips_per_ns; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "sample summary has $k"
done
# Paper: T K L^2 E_cell = 2 x 10 x 44^2 x 2 fJ = 7.744e-11 J.
p=$(kv paper_energy_per_sample_J "$tap_tmp/out")
fcmp "$p > 7.743e-11 && $p < 7.745e-11"; tap_ok $? "paper energy T K L^2 E_cell ($p J)"
tap_run_rc 2 "sampler asking for 3 steps from a 2-step model" "$TSUKIT" dtm sample --model "$m" --n 8 --steps 3 -o "$tap_tmp/s3.h5"
printf 'not an hdf5 file\n' > "$tap_tmp/bad.h5"
tap_run_rc 1 "corrupt model file" "$TSUKIT" dtm sample --model "$tap_tmp/bad.h5" --n 8 -o "$tap_tmp/s4.h5"

tap_run_rc 0 "eval" "$TSUKIT" dtm eval --model "$m" --samples "$s" --clf-limit 3000 --test-limit 500 --threads 1
for k in fd_tsukit fd_marginal_baseline label_accuracy autocorr; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "eval summary has $k"
done
a=$(kv label_accuracy "$tap_tmp/out"); f=$(kv fd_tsukit "$tap_tmp/out"); d=$(kv fd_data "$tap_tmp/out")
fcmp "$a >= 0 && $a <= 1"; tap_ok $? "label accuracy is a fraction ($a)"
# Real training images sit far closer to the test set than anything a
# 2-epoch toy model makes.
fcmp "$f > 0 && $d >= 0 && $d < $f"; tap_ok $? "fd_data ($d) < fd_tsukit ($f)"
m3=$tap_tmp/m3.h5
tap_run_rc 0 "a 3-step model" "$TSUKIT" dtm train --data fashion-mnist --steps 3 --L 44 --train-limit 128 --sweeps 4 --sweeps-pos 4 --record 2 --threads 1 --epochs 1 -o "$m3"
tap_run_rc 2 "eval of samples from another model" "$TSUKIT" dtm eval --model "$m3" --samples "$s" --clf-limit 500 --test-limit 100

tap_run_rc 0 "plot the samples" "$TSUKIT" plot "$s" -o "$tap_tmp/grid.png"
[ -s "$tap_tmp/grid.png" ]; tap_ok $? "sample grid written"
tap_run_rc 0 "plot the training history" "$TSUKIT" plot "$m" -o "$tap_tmp/acp.png"
[ -s "$tap_tmp/acp.png" ]; tap_ok $? "ACP figure written"
tap_done
