# cli_calibrate_mpi.sh -- a calibration sweep split over MPI ranks (builds
# made with --with-mpi only): 2 ranks write the same cell library as one
# process; the file guard and --resume work on every rank.
. "$TSUKIT_SRCDIR/tests/tap.sh"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
if ! "$TSUKIT" version | grep -q "mpi=yes" || ! command -v mpirun >/dev/null 2>&1; then
  echo "ok 1 # SKIP not an MPI build (configure --with-mpi)"; echo "1..1"; exit 0
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
sweep="--cell pbit --vctl 0.185:0.1875:6 --temp 298,302 --time 6e-6 --workers 1 --seed 3"
tap_run_rc 0 "one process" "$TSUKIT" calibrate $sweep -o "$tap_tmp/one.h5"
tap_run_rc 0 "two MPI ranks" mpirun --oversubscribe -np 2 "$TSUKIT" calibrate $sweep -o "$tap_tmp/two.h5"
[ "$(grep -c . "$tap_tmp/out")" -eq 1 ]; tap_ok $? "one summary line (rank 0)"
grep -q "2 MPI ranks" "$tap_tmp/err"; tap_ok $? "rank 0 reports the split"
"$dump" "$tap_tmp/one.h5" /cells > "$tap_tmp/d1"; "$dump" "$tap_tmp/two.h5" /cells > "$tap_tmp/d2"
cmp -s "$tap_tmp/d1" "$tap_tmp/d2"; tap_ok $? "same cell library, bit for bit"
tap_run_rc 1 "existing file without --resume/--force is refused on every rank" mpirun --oversubscribe -np 2 "$TSUKIT" calibrate $sweep -o "$tap_tmp/two.h5"
tap_run_rc 0 "--resume of the finished file on 2 ranks" mpirun --oversubscribe -np 2 "$TSUKIT" calibrate $sweep --resume -o "$tap_tmp/two.h5"
"$dump" "$tap_tmp/two.h5" /cells > "$tap_tmp/d3"
cmp -s "$tap_tmp/d1" "$tap_tmp/d3"; tap_ok $? "unchanged by the resume"
tap_done
