# cli_dtm_mpi.sh -- data-parallel DTM training under mpirun (builds made
# with --with-mpi only): 2 ranks give the 1-rank model bit for bit.
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
if ! "$TSUKIT" version | grep -q "mpi=yes" || ! command -v mpirun >/dev/null 2>&1; then
  echo "ok 1 # SKIP not an MPI build (configure --with-mpi)"; echo "1..1"; exit 0
fi
if [ ! -r "$ds/train-images-idx3-ubyte.gz" ]; then
  echo "ok 1 # SKIP Fashion-MNIST not installed"; echo "1..1"; exit 0
fi
small="--data fashion-mnist --steps 2 --graph G12 --L 44 --train-limit 512 --sweeps 10 --sweeps-pos 8 --record 4 --threads 1 --seed 5 --batch 128 --epochs 1"
tap_run_rc 0 "one rank" "$TSUKIT" dtm train $small -o "$tap_tmp/one.h5"
# Open MPI refuses root without these; harmless otherwise.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
tap_run_rc 0 "two ranks under mpirun" mpirun --oversubscribe -np 2 "$TSUKIT" dtm train $small -o "$tap_tmp/two.h5"
[ "$(grep -c . "$tap_tmp/out")" -eq 1 ]; tap_ok $? "one summary line (rank 0 only)"
[ "$(kv ranks "$tap_tmp/out")" = 2 ]; tap_ok $? "summary says 2 ranks"
"$dump" "$tap_tmp/one.h5" /dtm > "$tap_tmp/d1"; "$dump" "$tap_tmp/two.h5" /dtm > "$tap_tmp/d2"
cmp -s "$tap_tmp/d1" "$tap_tmp/d2"; tap_ok $? "2-rank model == 1-rank model, bit for bit"
tap_run_rc 2 "batch not divisible into 64-chain words per rank" mpirun --oversubscribe -np 2 "$TSUKIT" dtm train --data fashion-mnist --steps 2 --L 44 --train-limit 512 --batch 64 --epochs 1 --sweeps 4 --sweeps-pos 4 --record 2 -o "$tap_tmp/bad.h5"
tap_done
