# cli_experiments_dtm_study.sh -- the DTM study (issue 19), quick
# variants: the training log of `dtm train` (written every epoch, weights
# bit-identical with and without it, resumed runs log the same entries),
# `tsukit plot MODEL.h5` with and without a log, and the four study
# experiments (dtm-collapse, dtm-degree, dtm-depth train nine L = 44
# models of 256 images and 2 epochs between them; dtm-pareto reuses the
# files).  About a minute of CPU on two cores.
. "$TSUKIT_SRCDIR/tests/tap.sh"
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -r "$ds/train-images-idx3-ubyte.gz" ]; then
  echo "ok 1 # SKIP Fashion-MNIST not installed"; echo "1..1"; exit 0
fi
dump="$(dirname "$TSUKIT")/tests/dump_h5"
t="$tap_tmp"
train="dtm train --data fashion-mnist --L 44 --steps 2 --train-limit 128 --sweeps 6 --sweeps-pos 4 --record 2 --seed 7 --threads 2"
log="--log-samples 20 --log-test 50 --log-clf-images 500 --log-classifier $t/clf.h5"
tap_run_rc 0 "dtm train with a training log" "$TSUKIT" $train --epochs 2 $log -o "$t/a.h5"
grep -q "epoch 2: FD-tsukit" "$tap_tmp/err"; tap_ok $? "an FD-tsukit line per epoch"
"$dump" "$t/a.h5" /training > "$t/a.log"
for d in epoch fd_tsukit label_accuracy activity eval_s; do
  grep -q "^/training/$d \[2\]" "$t/a.log"; tap_ok $? "/training/$d has 2 entries"
done
for d in autocorr acp_lambda; do
  grep -q "^/training/$d \[2,2\]" "$t/a.log"; tap_ok $? "/training/$d is [epochs, T]"
done
fd=$(grep "^/training/fd_tsukit" "$t/a.log" | awk '{print $4}')
fcmp "$fd > 0 && $fd < 1000"; tap_ok $? "FD-tsukit after 2 epochs is finite and positive ($fd)"
[ -s "$t/clf.h5" ]; tap_ok $? "classifier saved for reuse"
# the log never changes the training: same weights without it
tap_run_rc 0 "dtm train without a log" "$TSUKIT" $train --epochs 2 --log-samples 0 -o "$t/b.h5"
"$dump" "$t/a.h5" /dtm > "$t/a.dtm"; "$dump" "$t/b.h5" /dtm > "$t/b.dtm"
cmp -s "$t/a.dtm" "$t/b.dtm"; tap_ok $? "weights, Adam state and layout bit-identical with and without the log"
"$dump" "$t/b.h5" / | grep -q "^/training"; [ $? -ne 0 ]; tap_ok $? "--log-samples 0 writes no /training"
# a resumed run logs the same entries as a straight one
tap_run_rc 0 "one epoch" "$TSUKIT" $train --epochs 2 --stop-after 1 $log -o "$t/c.h5"
tap_run_rc 0 "resumed to two" "$TSUKIT" $train --epochs 2 --resume $log -o "$t/c.h5"
"$dump" "$t/c.h5" /training/fd_tsukit > "$t/c.fd"; "$dump" "$t/a.h5" /training/fd_tsukit > "$t/a.fd"
cmp -s "$t/a.fd" "$t/c.fd"; tap_ok $? "resumed log equals the straight run's"
tap_run_rc 0 "plot a model with a log" "$TSUKIT" plot "$t/a.h5" -o "$t/a.png"
[ -s "$t/a.png" ]; tap_ok $? "training curves drawn"
tap_run_rc 0 "plot a model without a log" "$TSUKIT" plot "$t/b.h5" -o "$t/b.png"
grep -q "no training log" "$tap_tmp/err" && [ -s "$t/b.png" ]; tap_ok $? "says 'no training log' and still draws"
tap_run_rc 0 "sample a model without a log" "$TSUKIT" dtm sample --model "$t/b.h5" --n 20 -o "$t/bs.h5"
tap_run_rc 2 "--log-samples 5 refused" "$TSUKIT" $train --log-samples 5 -o "$t/d.h5"
grep -q "log-samples" "$tap_tmp/err"; tap_ok $? "the message names --log-samples"
# the study
dir="$t/results"
for e in dtm-collapse dtm-degree dtm-depth; do
  tap_run_rc 0 "experiment $e --quick" "$TSUKIT" experiment $e --quick -o "$dir"
  cp "$tap_tmp/out" "$t/$e.kv"
  [ -s "$dir/$e.h5" ] && [ -s "$dir/$e.png" ]; tap_ok $? "$e: result file and figure"
done
for k in fd_best_acp fd_final_acp fd_final_noacp fd_final_mono; do
  x=$(kv $k "$t/dtm-collapse.kv"); fcmp "$x > 0 && $x < 1000"; tap_ok $? "collapse $k ($x)"
done
for k in fd_G8 fd_G12 fd_G16 fd_G20; do
  x=$(kv $k "$t/dtm-degree.kv"); fcmp "$x > 0 && $x < 1000"; tap_ok $? "degree $k ($x)"
done
for k in fd_T1 fd_T2 fd_T4 fd_T8; do
  x=$(kv $k "$t/dtm-depth.kv"); fcmp "$x > 0 && $x < 1000"; tap_ok $? "depth $k ($x)"
done
# the G12 T=4 model is shared: collapse, degree and depth trained 9 in all
n=$(ls "$dir"/dtm-study/T*.h5 | wc -l); [ "$n" -eq 9 ]; tap_ok $? "nine models shared by the three ($n)"
tap_run_rc 0 "experiment dtm-pareto --quick" "$TSUKIT" experiment dtm-pareto --quick -o "$dir"
grep -q "FD-tsukit .* label accuracy" "$tap_tmp/err"; [ $? -ne 0 ]; tap_ok $? "pareto trains nothing (reuses the files)"
p=$(kv paper_J_best_model "$tap_tmp/out"); c=$(kv chip_J_best_model "$tap_tmp/out")
# T K L^2 E_cell = 16 x 44^2 x 2 fJ for every quick model (k_total = 16)
fcmp "$p > 6.1951e-11 && $p < 6.1953e-11"; tap_ok $? "paper energy 16 x 44^2 x 2 fJ ($p J)"
fcmp "$c > $p / 10 && $c < $p * 10"; tap_ok $? "chip energy $c J within 10x of the formula"
tap_run_rc 0 "report of the study" "$TSUKIT" experiment report -d "$dir" -o "$t/REPORT.md"
[ "$(kv experiments "$tap_tmp/out")" -eq 4 ]; tap_ok $? "report found 4 experiments"
tap_done
