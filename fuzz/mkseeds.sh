#!/bin/sh
# fuzz/mkseeds.sh -- how the HDF5 seeds of fuzz/corpus/h5_*/ were made:
# small tsukit runs, one file of each kind each reader takes.  Re-run
# only to refresh the seeds (the corpus is committed):
#   fuzz/mkseeds.sh BUILD/tsukit OUTDIR
# then copy OUTDIR/NAME/* into fuzz/corpus/NAME/.
set -eu
T=${1:?usage: fuzz/mkseeds.sh TSUKIT OUTDIR}
O=${2:?usage: fuzz/mkseeds.sh TSUKIT OUTDIR}
export TSUKIT_PROGRESS=never
mkdir -p "$O/h5_samples" "$O/h5_trace" "$O/h5_dwell" "$O/h5_celllib" \
  "$O/h5_dtm" "$O/h5_dtmc" "$O/h5_clf"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
# samples: spin (with final states), potts, gauss on a file graph
"$T" sample --graph G8 --L 6 --sweeps 20 --chains 4 --save-states --seed 3 -o "$O/h5_samples/spin.h5"
"$T" sample --cells-kind potts --states 3 --graph G4 --L 4 --sweeps 20 --chains 4 --seed 3 -o "$O/h5_samples/potts.h5"
printf 'e 0 1 0.5\nb 0 0.1\n' > "$w/pair.txt"
"$T" sample --cells-kind gauss --graph "$w/pair.txt" --sweeps 20 --chains 4 --save-states --seed 3 -o "$O/h5_samples/gauss.h5"
# traces: pbit, gmm2, cat4
"$T" trace --cell pbit --vctl 0.186 --time 2e-7 --seed 5 -o "$O/h5_trace/pbit.h5"
"$T" trace --cell gmm2 --vctl 0.186,0.3 --time 2e-7 --seed 5 -o "$O/h5_trace/gmm2.h5"
"$T" trace --cell cat4 --vctl 0.194,0.178,0.178,0.178 --time 2e-7 --seed 5 -o "$O/h5_trace/cat4.h5"
# double well
"$T" doublewell --barrier-kT 3 --particles 20 --seed 7 -o "$O/h5_dwell/dw.h5"
# cell libraries: pbit at two temperatures with --mc, gmm2, cat4
"$T" calibrate --cell pbit --vctl 0.185:0.188:5 --temp 295,305 --time 4e-6 --mc 2 --seed 3 -o "$O/h5_celllib/pbit.h5"
# points measured, the fit refused (a library without fit/: a checkpoint)
"$T" calibrate --cell pbit --vctl 0.185:0.188:3 --temp 295 --time 2e-6 --seed 3 -o "$O/h5_celllib/pbit_points.h5" || true
"$T" calibrate --cell gmm2 --vctl 0.184:0.188:3 --temp 300 --time 4e-6 --seed 4 -o "$O/h5_celllib/gmm2.h5"
"$T" calibrate --cell cat4 --vdd 0.7 --vbias 0.6 --vctl 0.329:0.335:2 --vbase 0.332 --temp 300 --time 2e-6 --seed 3 -o "$O/h5_celllib/cat4.h5"
# DTM: the smallest models the trainer makes (one step, G4, the least grid
# side 43, a training log of 10 samples: 0.19 MB binary, 0.39 MB cat4, where the
# defaults' G12 L 44 two-step model was 0.66 MB and fuzzed at 12-33
# exec/s), their samples; the classifier of dtm eval.  Binary for h5_dtm,
# cat4 (the categorical model) for h5_dtmc.
small="--steps 1 --graph G4 --L 43 --train-limit 64 --sweeps 2 --sweeps-pos 2 --record 2 --threads 1 --seed 5 --log-samples 10 --log-test 2 --log-clf-images 200"
"$T" dtm train --data fashion-mnist $small --epochs 1 -o "$O/h5_dtm/model.h5"
"$T" dtm sample --model "$O/h5_dtm/model.h5" --n 2 --threads 1 -o "$O/h5_dtm/samples.h5"
"$T" dtm train --data fashion-mnist --pixels cat4 $small --epochs 1 -o "$O/h5_dtmc/model.h5"
"$T" dtm sample --model "$O/h5_dtmc/model.h5" --n 2 --threads 1 -o "$O/h5_dtmc/samples.h5"
"$T" dtm eval --model "$O/h5_dtm/model.h5" --samples "$O/h5_dtm/samples.h5" --clf-limit 200 --test-limit 50 --threads 1 --classifier "$O/h5_clf/clf.h5"
ls -l "$O"/*/
