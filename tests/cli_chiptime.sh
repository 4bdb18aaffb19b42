# cli_chiptime.sh -- the simulated chip's wall-clock time per sample from
# the cell library's tau (issue 20, run/run_chiptime.h): `sample --cells`
# and `dtm sample --cells` report chip_tau_s and chip_s_per_sample =
# steps x sweeps x colours x tau; ideal cells report neither.  On a small
# pbit-fast library and a small pbit library (300 K, made here: ~20 s of
# CPU), the time per sample differs by exactly the ratio of the two taus,
# and pbit-fast's is the shorter (its tau is ~10-50x shorter; the check
# only asks for 2x: the small libraries' taus come from few flips, and a
# 6 us record cannot show the pbit's full ~0.5 us).
. "$TSUKIT_SRCDIR/tests/tap.sh"
plib=$tap_tmp/pbit.h5
flib=$tap_tmp/fast.h5
tap_run_rc 0 "calibrate a small pbit library" "$TSUKIT" calibrate \
  --cell pbit --vctl 0.186:0.187:3 --temp 300 --time 6e-6 --seed 3 \
  --workers 2 -o "$plib"
tap_run_rc 0 "calibrate a small pbit-fast library" "$TSUKIT" calibrate \
  --cell pbit-fast --vctl 0.186:0.190:3 --temp 300 --time 1.5e-6 --seed 3 \
  --workers 2 -o "$flib"

g="--graph G12 --L 16 --chains 16 --sweeps 40 --burn-in 10 --threads 1 --seed 4"
tap_run_rc 0 "sample on ideal cells" "$TSUKIT" sample $g -o "$tap_tmp/i.h5"
[ -z "$(kv chip_s_per_sample "$tap_tmp/out")" ]; tap_ok $? "ideal cells: no chip time per sample"
for c in pbit pbit-fast; do
  lib=$plib; [ $c = pbit-fast ] && lib=$flib
  tap_run_rc 0 "sample --cells ($c)" "$TSUKIT" sample $g --cells "$lib" --cell $c \
    --temp 300 -o "$tap_tmp/s-$c.h5"
  eval "tau_$(echo $c | tr - _)=\$(kv chip_tau_s \"\$tap_tmp/out\")"
  eval "s_$(echo $c | tr - _)=\$(kv chip_s_per_sample \"\$tap_tmp/out\")"
  col=$(kv colors "$tap_tmp/out")
  t=$(kv chip_tau_s "$tap_tmp/out"); s=$(kv chip_s_per_sample "$tap_tmp/out")
  fcmp "$t > 1e-9 && $t < 1e-5"; tap_ok $? "$c: chip_tau_s=$t s is a cell's tau"
  # --sample-sweeps 250 (default) x colours x tau, to the summary's digits
  fcmp "$s / (250 * $col * $t) > 0.99999 && $s / (250 * $col * $t) < 1.00001"
  tap_ok $? "$c: chip_s_per_sample=$s = 250 sweeps x $col colours x tau"
done
fcmp "($s_pbit / $s_pbit_fast) / ($tau_pbit / $tau_pbit_fast) > 0.99999 && ($s_pbit / $s_pbit_fast) / ($tau_pbit / $tau_pbit_fast) < 1.00001"
tap_ok $? "time per sample pbit / pbit-fast = tau ratio ($s_pbit / $s_pbit_fast s, $tau_pbit / $tau_pbit_fast s)"
fcmp "$s_pbit > 2 * $s_pbit_fast"; tap_ok $? "pbit-fast's chip is > 2x faster per sample"

ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if [ -r "$ds/train-images-idx3-ubyte.gz" ] || [ -r "$ds/train-images-idx3-ubyte" ]; then
  m=$tap_tmp/m.h5
  tap_run_rc 0 "a tiny DTM" "$TSUKIT" dtm train --data fashion-mnist --steps 2 \
    --graph G12 --L 44 --train-limit 256 --sweeps 4 --sweeps-pos 4 --record 2 \
    --threads 1 --seed 5 --epochs 1 -o "$m"
  tap_run_rc 0 "dtm sample on ideal cells" "$TSUKIT" dtm sample --model "$m" --n 4 \
    --sweeps 6 --threads 1 -o "$tap_tmp/d0.h5"
  [ -z "$(kv chip_s_per_sample "$tap_tmp/out")" ]; tap_ok $? "dtm sample, ideal cells: no chip time"
  for c in pbit pbit-fast; do
    lib=$plib; [ $c = pbit-fast ] && lib=$flib
    tap_run_rc 0 "dtm sample --cells ($c)" "$TSUKIT" dtm sample --model "$m" --n 4 \
      --sweeps 6 --threads 1 --cells "$lib" --cell $c --temp 300 -o "$tap_tmp/d-$c.h5"
    t=$(kv chip_tau_s "$tap_tmp/out"); s=$(kv chip_s_per_sample "$tap_tmp/out")
    eval "d_$(echo $c | tr - _)=$s"
    # 2 steps x 6 sweeps x 2 colours x tau
    fcmp "$s / (24 * $t) > 0.99999 && $s / (24 * $t) < 1.00001"
    tap_ok $? "dtm sample ($c): chip_s_per_sample=$s = 2 steps x 6 sweeps x 2 colours x tau $t"
  done
  fcmp "($d_pbit / $d_pbit_fast) / ($tau_pbit / $tau_pbit_fast) > 0.99999 && ($d_pbit / $d_pbit_fast) / ($tau_pbit / $tau_pbit_fast) < 1.00001"
  tap_ok $? "dtm sample: the DTM's time per sample drops by the tau ratio"
else
  tap_ok 0 "# SKIP dtm sample: Fashion-MNIST not installed"
fi
tap_done
