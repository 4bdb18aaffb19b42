# cli_dtm_gray.sh -- the grayscale DTM (`tsukit dtm train --pixels cat4`,
# issue 14 part 3) on a small model (L = 44, 2 steps, 256 images): train,
# exact resume, sample (ideal cells and the calibrated cat4 cells of
# tests/data/cat4_300K.h5), eval with the thermometer-coded classifier,
# and the bad inputs (unknown --pixels, a library of the wrong kind, a
# temperature outside the calibrated span: exit 2, one line, nothing
# written).
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -r "$ds/train-images-idx3-ubyte.gz" ] && [ ! -r "$ds/train-images-idx3-ubyte" ]; then
  echo "ok 1 # SKIP Fashion-MNIST not installed (Debian package dataset-fashion-mnist)"
  echo "1..1"
  exit 0
fi
lib="$TSUKIT_SRCDIR/tests/data/cat4_300K.h5"
plib="$TSUKIT_SRCDIR/tests/data/pbit_mc3.h5"
m=$tap_tmp/g.h5
small="--pixels cat4 --steps 2 --graph G12 --L 44 --train-limit 256 --sweeps 10 --sweeps-pos 8 --record 4 --threads 1 --seed 5"

tap_run_rc 2 "unknown --pixels value" "$TSUKIT" dtm train --data fashion-mnist --pixels cat99 -o "$tap_tmp/u.h5"
[ "$(wc -l < "$tap_tmp/err")" -eq 1 ] && grep -q "cat2..cat16" "$tap_tmp/err"; tap_ok $? "one line naming the valid values"
[ ! -e "$tap_tmp/u.h5" ]; tap_ok $? "nothing written"

tap_run_rc 0 "train 1 of 2 epochs" "$TSUKIT" dtm train --data fashion-mnist $small --epochs 2 --stop-after 1 -o "$m"
for k in epochs steps wall_s images_per_s flips_per_ns autocorr acp_lambda_max; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "train summary has $k"
done
"$dump" "$m" /dtm > "$tap_tmp/d0"
grep -q '^/dtm/h_cat ' "$tap_tmp/d0"; tap_ok $? "model holds the per-state biases h_cat"
tap_run_rc 0 "resume to 2 epochs (no --pixels: the file says cat4)" "$TSUKIT" dtm train --data fashion-mnist --steps 2 --graph G12 --L 44 --train-limit 256 --sweeps 10 --sweeps-pos 8 --record 4 --threads 1 --seed 5 --epochs 2 --resume -o "$m"
m2=$tap_tmp/g2.h5
tap_run_rc 0 "uninterrupted 2 epochs" "$TSUKIT" dtm train --data fashion-mnist $small --epochs 2 -o "$m2"
"$dump" "$m" /dtm > "$tap_tmp/d1"; "$dump" "$m2" /dtm > "$tap_tmp/d2"
cmp -s "$tap_tmp/d1" "$tap_tmp/d2"; tap_ok $? "1 + resumed 1 epoch == 2 epochs (bit-identical /dtm)"
# --resume before any checkpoint exists: a fresh cat4 model, as without it
mr=$tap_tmp/gr.h5
tap_run_rc 0 "--resume with no file yet trains a fresh model" "$TSUKIT" dtm train --data fashion-mnist $small --epochs 2 --resume -o "$mr"
grep -q "does not exist yet; training a fresh model" "$tap_tmp/err"; tap_ok $? "the fresh start is said on stderr"
"$dump" "$mr" /dtm > "$tap_tmp/dr"
cmp -s "$tap_tmp/d2" "$tap_tmp/dr"; tap_ok $? "it equals the run without --resume (bit-identical /dtm)"
tap_run_rc 2 "resume with another level count is refused" "$TSUKIT" dtm train --data fashion-mnist --pixels cat3 --steps 2 --L 44 --epochs 3 --resume -o "$m"

s=$tap_tmp/s.h5
tap_run_rc 0 "sample 20, labels clamped per class" "$TSUKIT" dtm sample --model "$m" --n 20 --label all --threads 1 -o "$s"
for k in samples energy_per_sample_J paper_energy_per_sample_J activity; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "sample summary has $k"
done
"$dump" "$s" /samples/images > "$tap_tmp/si"
grep -q ' 3' "$tap_tmp/si" && grep -q ' 2' "$tap_tmp/si"; tap_ok $? "samples hold gray levels 2 and 3"
tap_run_rc 0 "eval" "$TSUKIT" dtm eval --model "$m" --samples "$s" --clf-limit 3000 --test-limit 500 --threads 1
f=$(kv fd_tsukit "$tap_tmp/out"); b=$(kv fd_marginal_baseline "$tap_tmp/out"); d=$(kv fd_data "$tap_tmp/out"); a=$(kv label_accuracy "$tap_tmp/out")
fcmp "$f > 0 && $d >= 0 && $d < $f && $b > 0"; tap_ok $? "fd_data ($d) < fd_tsukit ($f), baseline $b"
fcmp "$a >= 0 && $a <= 1"; tap_ok $? "label accuracy is a fraction ($a)"

c=$tap_tmp/c.h5
tap_run_rc 0 "sample on calibrated cat4 cells at 300 K" "$TSUKIT" dtm sample --model "$m" --n 10 --label all --sweeps 2 --threads 1 --cells "$lib" --cell cat4 --temp 300 -o "$c"
[ "$(kv cells "$tap_tmp/out")" = cat4 ]; tap_ok $? "summary names the cell"
grep -q "mapping error" "$tap_tmp/err"; tap_ok $? "the mapping error is reported"
tap_run_rc 2 "temperature outside the calibrated span" "$TSUKIT" dtm sample --model "$m" --n 10 --threads 1 --cells "$lib" --cell cat4 --temp 330 -o "$tap_tmp/t.h5"
[ "$(wc -l < "$tap_tmp/err")" -eq 1 ]; tap_ok $? "one line"
[ ! -e "$tap_tmp/t.h5" ]; tap_ok $? "nothing written"
tap_run_rc 2 "a pbit library for the categorical model" "$TSUKIT" dtm sample --model "$m" --n 10 --threads 1 --cells "$plib" --cell pbit --temp 300 -o "$tap_tmp/p.h5"
[ "$(wc -l < "$tap_tmp/err")" -eq 1 ]; tap_ok $? "one line"
[ ! -e "$tap_tmp/p.h5" ]; tap_ok $? "nothing written"
tap_done
