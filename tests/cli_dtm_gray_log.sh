# cli_dtm_gray_log.sh -- the training log of the grayscale DTM (`dtm
# train --pixels cat4`, issue 19) on a small model (L = 44, 2 steps, 128
# images, 2 epochs): the log's datasets (shape, unit attributes, finite
# values in range, one entry per epoch, levels and pixels attributes;
# tests/dtm_log_check reads them straight from HDF5), weights
# bit-identical with and without the log, a resumed run logging the same
# entries as a straight one, `tsukit plot` of the model (curves) and of a
# gray sample set, and a binary classifier file refused for a cat4 log
# (a warning, training goes on).  About 30 s of CPU on two cores.
. "$TSUKIT_SRCDIR/tests/tap.sh"
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -r "$ds/train-images-idx3-ubyte.gz" ] && [ ! -r "$ds/train-images-idx3-ubyte" ]; then
  echo "ok 1 # SKIP Fashion-MNIST not installed (Debian package dataset-fashion-mnist)"
  echo "1..1"
  exit 0
fi
dump="$(dirname "$TSUKIT")/tests/dump_h5"
check="$(dirname "$TSUKIT")/tests/dtm_log_check"
t="$tap_tmp"
train="dtm train --data fashion-mnist --pixels cat4 --L 44 --steps 2 --train-limit 128 --sweeps 6 --sweeps-pos 4 --record 2 --seed 7 --threads 2"
log="--log-samples 20 --log-test 50 --log-clf-images 500 --log-classifier $t/clf.h5"

tap_run_rc 0 "cat4 dtm train with a training log" "$TSUKIT" $train --epochs 2 $log -o "$t/a.h5"
grep -q "epoch 2: FD-tsukit" "$tap_tmp/err"; tap_ok $? "an FD-tsukit line per epoch"
"$check" "$t/a.h5" 2 2 4 > "$t/check" 2>&1; r=$?
sed 's/^/# /' "$t/check"
tap_ok $r "/training: shapes, unit attributes, finite values in range, 2 epochs, levels 4"
fd=$("$dump" "$t/a.h5" /training/fd_tsukit | awk '{print $4}')
fcmp "$fd > 0 && $fd < 1000"; tap_ok $? "FD-tsukit after 2 epochs is finite and positive ($fd)"
ac=$("$dump" "$t/a.h5" /training/activity | awk '{print $3}')
fcmp "$ac > 0 && $ac < 1"; tap_ok $? "activity (state changes per update) in (0, 1) ($ac)"
# the classifier reads the thermometer code: 3 x 784 inputs
"$dump" "$t/clf.h5" / > "$t/clf.txt"
grep -q "\[2352," "$t/clf.txt" || grep -q ",2352\]" "$t/clf.txt"; tap_ok $? "classifier saved, on 2352 thermometer inputs"

# the log never changes the training: same weights without it
tap_run_rc 0 "cat4 dtm train without a log" "$TSUKIT" $train --epochs 2 --log-samples 0 -o "$t/b.h5"
"$dump" "$t/a.h5" /dtm > "$t/a.dtm"; "$dump" "$t/b.h5" /dtm > "$t/b.dtm"
[ -s "$t/a.dtm" ] && cmp -s "$t/a.dtm" "$t/b.dtm"; tap_ok $? "weights, Adam state and layout bit-identical with and without the log"
"$dump" "$t/b.h5" / | grep -q "^/training"; [ $? -ne 0 ]; tap_ok $? "--log-samples 0 writes no /training"

# a resumed run logs the same entries as a straight one (eval_s aside)
tap_run_rc 0 "one epoch" "$TSUKIT" $train --epochs 2 --stop-after 1 $log -o "$t/c.h5"
"$check" "$t/c.h5" 1 2 4 > /dev/null; tap_ok $? "one entry after one epoch"
tap_run_rc 0 "resumed to two (the file says cat4)" "$TSUKIT" dtm train --data fashion-mnist --L 44 --steps 2 --train-limit 128 --sweeps 6 --sweeps-pos 4 --record 2 --seed 7 --threads 2 --epochs 2 --resume $log -o "$t/c.h5"
grep -q "other settings" "$tap_tmp/err"; [ $? -ne 0 ]; tap_ok $? "same log settings: no warning"
for d in epoch fd_tsukit label_accuracy activity autocorr acp_lambda; do
  "$dump" "$t/a.h5" /training/$d > "$t/a.$d"; "$dump" "$t/c.h5" /training/$d > "$t/c.$d"
  cmp -s "$t/a.$d" "$t/c.$d"; tap_ok $? "resumed /training/$d equals the straight run's"
done
"$dump" "$t/c.h5" /dtm > "$t/c.dtm"
cmp -s "$t/a.dtm" "$t/c.dtm"; tap_ok $? "resumed weights equal the straight run's"
tap_run_rc 0 "resumed once more with other log settings" "$TSUKIT" $train --epochs 3 --resume --log-samples 30 --log-test 50 --log-clf-images 500 --log-classifier "$t/clf.h5" -o "$t/c.h5"
grep -q "other settings" "$tap_tmp/err"; tap_ok $? "warns that the entries' settings changed"
"$check" "$t/c.h5" 3 2 4 > /dev/null; tap_ok $? "three entries after the third epoch"

# figures
tap_run_rc 0 "plot the cat4 model's training curves" "$TSUKIT" plot "$t/a.h5" -o "$t/a.png"
[ -s "$t/a.png" ]; tap_ok $? "training curves drawn"
grep -q "no training log" "$tap_tmp/err"; [ $? -ne 0 ]; tap_ok $? "the log was found"
tap_run_rc 0 "plot a cat4 model without a log" "$TSUKIT" plot "$t/b.h5" -o "$t/b.png"
grep -q "no training log" "$tap_tmp/err" && [ -s "$t/b.png" ]; tap_ok $? "says 'no training log' and still draws"
tap_run_rc 0 "sample the cat4 model" "$TSUKIT" dtm sample --model "$t/a.h5" --n 20 --label all --threads 2 -o "$t/s.h5"
tap_run_rc 0 "plot the gray samples" "$TSUKIT" plot "$t/s.h5" -o "$t/s.png"
[ -s "$t/s.png" ]; tap_ok $? "sample figure drawn"

# a classifier of binary inputs (784) does not fit a cat4 log
tap_run_rc 0 "binary dtm train saving its log classifier" "$TSUKIT" dtm train --data fashion-mnist --L 44 --steps 2 --train-limit 128 --sweeps 6 --sweeps-pos 4 --record 2 --seed 7 --threads 2 --epochs 1 --log-samples 20 --log-test 50 --log-clf-images 500 --log-classifier "$t/bclf.h5" -o "$t/bin.h5"
"$check" "$t/bin.h5" 1 2 0 > /dev/null; tap_ok $? "the binary log has no levels attribute"
# the file the command names exists and is the wrong kind: an error
# before any training, naming the option and the mismatch, no model file
tap_run_rc 1 "cat4 train with the binary classifier" "$TSUKIT" $train --epochs 1 --log-samples 20 --log-test 50 --log-classifier "$t/bclf.h5" -o "$t/d.h5"
grep -q "error: --log-classifier: .*bclf.h5: classifier for 784 inputs, not 2352" "$tap_tmp/err"; tap_ok $? "names the option and the mismatch"
[ "$(wc -l < "$tap_tmp/err")" -eq 1 ]; tap_ok $? "in one line"
[ ! -e "$t/d.h5" ]; tap_ok $? "and writes no model"
printf 'not hdf5\n' > "$t/junk.h5"
tap_run_rc 1 "binary train with a junk classifier file" "$TSUKIT" dtm train --data fashion-mnist --L 44 --steps 2 --train-limit 128 --sweeps 6 --sweeps-pos 4 --record 2 --seed 7 --threads 2 --epochs 1 --log-samples 20 --log-test 50 --log-classifier "$t/junk.h5" -o "$t/e.h5"
grep -q "error: --log-classifier: " "$tap_tmp/err" && [ ! -e "$t/e.h5" ]; tap_ok $? "refused, no model"
sum_a=$(cksum < "$t/a.h5")
tap_run_rc 1 "resume with the wrong classifier" "$TSUKIT" $train --epochs 3 --resume --log-samples 20 --log-test 50 --log-classifier "$t/bclf.h5" -o "$t/a.h5"
grep -q "error: --log-classifier: " "$tap_tmp/err" && [ "$(cksum < "$t/a.h5")" = "$sum_a" ]; tap_ok $? "refused on resume too, the model untouched"
tap_done
