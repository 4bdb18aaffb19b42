# bad_input_cells.sh -- the bad-input corpus, part 4: `tsukit sample` on
# calibrated cat4 / gmm2 cell libraries and mixed graphs: a library of the
# wrong kind, a target the cell cannot reach inside its calibrated control
# range, a chip or design temperature outside the calibrated span, bad
# node kinds.  Each case: exit 2, one line naming the limit, no output
# file (tests/bad_input_lib.sh).  Workload: no long runs; ~15 processes.
. "$TSUKIT_SRCDIR/tests/tap.sh"
. "$TSUKIT_SRCDIR/tests/bad_input_lib.sh"
o="$bad_out"
T="$TSUKIT"
C="$TSUKIT_SRCDIR/tests/data/cat4_300K.h5"
G="$TSUKIT_SRCDIR/tests/data/gmm2_300K.h5"
printf 'b 0 0.7\n' > "$tap_tmp/one.txt"
printf 'b 0 3.1\n' > "$tap_tmp/far.txt"
one="--graph $tap_tmp/one.txt --chains 4 --sweeps 20"

# a library of the wrong kind
# shellcheck disable=SC2086
bad 2 "categorical cell library drives categorical nodes" "cat4 library for gauss nodes" $T sample --cells "$C" --cell cat4 --temp 300 --cells-kind gauss $one -o "$o"
# shellcheck disable=SC2086
bad 2 "gmm cell library drives continuous nodes" "gmm2 library for potts nodes" $T sample --cells "$G" --cell gmm2 --temp 300 --cells-kind potts $one -o "$o"
# shellcheck disable=SC2086
bad 2 "two categorical libraries" "two categorical libraries" $T sample --cells-kind mixed --node-kinds cat --cells "$C,$C" --cell cat4,cat4 --temp 300 $one -o "$o"
# shellcheck disable=SC2086
bad 2 "has no continuous node" "gmm2 library, no continuous node" $T sample --cells-kind mixed --node-kinds spin --cells "$G" --cell gmm2 --temp 300 $one -o "$o"
# --cell names a cell the library does not hold (a library of another kind)
# shellcheck disable=SC2086
bad 2 "cell 'cat4' not in library" "gmm2 library asked for cat4" $T sample --cells "$G" --cell cat4 --temp 300 $one -o "$o"
# shellcheck disable=SC2086
bad 2 "cell 'gmm2' not in library" "cat4 library asked for gmm2" $T sample --cells "$C" --cell gmm2 --temp 300 $one -o "$o"
# shellcheck disable=SC2086
bad 2 "cell 'cat4' not in library" "pbit library asked for cat4" $T sample --cells "$TSUKIT_SRCDIR/tests/data/pbit_mc3.h5" --cell cat4 --temp 300 --cells-kind potts $one -o "$o"
# shellcheck disable=SC2086
bad 2 "cell 'cat4' not in library" "mixed: cat4 asked of the gmm2 library" $T sample --cells-kind mixed --node-kinds cat,cont --cells "$C,$G" --cell cat4,cat4 --temp 300 $one -o "$o"
# shellcheck disable=SC2086
$T sample $one -o "$tap_tmp/samples.h5" > /dev/null
# shellcheck disable=SC2086
bad 2 "is not a cell library" "a samples file as a library" $T sample --cells-kind potts --cells "$tap_tmp/samples.h5" --cell cat4 --temp 300 $one -o "$o"
# a target outside the calibrated range
# shellcheck disable=SC2086
bad 2 "calibrated range 0.329..0.335 V" "cat4 target out of reach" $T sample --cells "$C" --cell cat4 --temp 300 --graph "$tap_tmp/far.txt" --beta 9 --chains 4 --sweeps 20 -o "$o"
# shellcheck disable=SC2086
bad 2 "outside what cell 'gmm2' reaches" "gmm2 mean out of reach" $T sample --cells "$G" --cell gmm2 --temp 300 --graph "$tap_tmp/far.txt" --chains 4 --sweeps 20 -o "$o"
# temperatures outside the calibrated span
# shellcheck disable=SC2086
bad 2 "calibrated span 300..300 K" "cat4 at 320 K" $T sample --cells "$C" --cell cat4 --temp 320 $one -o "$o"
# shellcheck disable=SC2086
bad 2 "design temperature 280 K is outside the calibrated span" "cat4 designed at 280 K" $T sample --cells "$C" --cell cat4 --temp 300 --design-temp 280 $one -o "$o"
# shellcheck disable=SC2086
bad 2 "calibrated span 300..300 K" "gmm2 at -40C" $T sample --cells "$G" --cell gmm2 --temp -40C $one -o "$o"
# shellcheck disable=SC2086
bad 2 "design temperature 320 K is outside the calibrated span" "gmm2 designed at 320 K" $T sample --cells "$G" --cell gmm2 --temp 300 --design-temp 320 $one -o "$o"
# shellcheck disable=SC2086
bad 2 "calibrated span 300..300 K" "cat4 at 290 K in a mixed graph" $T sample --cells-kind mixed --node-kinds cat,spin --cells "$C" --cell cat4 --temp 290 $one -o "$o"
# node kinds and options
# shellcheck disable=SC2086
bad 2 "node kind 'ising'" "--node-kinds ising" $T sample --cells-kind mixed --node-kinds spin,ising $one -o "$o"
# shellcheck disable=SC2086
bad 2 "empty item 2" "--node-kinds with an empty item" $T sample --cells-kind mixed --node-kinds spin,,cat $one -o "$o"
printf '0 cat\n0 spin\n' > "$tap_tmp/twice.txt"
# shellcheck disable=SC2086
bad 2 "node 0 given twice" "node-kind file, a node twice" $T sample --cells-kind mixed --node-kinds "$tap_tmp/twice.txt" $one -o "$o"
printf '7 cat\n' > "$tap_tmp/range.txt"
# shellcheck disable=SC2086
bad 2 "node 7 outside 0..0" "node-kind file, a node out of range" $T sample --cells-kind mixed --node-kinds "$tap_tmp/range.txt" $one -o "$o"
# shellcheck disable=SC2086
bad 2 "--node-kinds needs --cells-kind mixed" "--node-kinds without mixed" $T sample --node-kinds spin $one -o "$o"
# shellcheck disable=SC2086
bad 2 "--clip needs --cells" "--clip without cells" $T sample --clip $one -o "$o"
# shellcheck disable=SC2086
bad 2 "brings its own K" "--states with a cat4 library" $T sample --cells "$C" --cell cat4 --temp 300 --cells-kind potts --states 3 $one -o "$o"
tap_done
