# bad_input_files.sh -- the bad-input corpus, part 2: input files of every
# command that reads one -- cell libraries (predict, sample, dtm sample,
# plot), DTM models (dtm sample, dtm eval, dtm train --resume), samples
# (dtm eval), traces (plot), checkpoints (calibrate --resume), graph and
# model text files (sample), IDX data (dtm train --data), ngspice model
# files (trace --models), result folders (experiment report): missing,
# empty, a folder, text junk, truncated, bit-flipped (seeded, made here
# from valid files) and of the wrong kind (a DTM model given for a cell
# library, a categorical cat4 library where a pbit is expected, ...).
# Each case: exit 1 or 2, one line naming the file or the problem, no
# output file; a bit-flipped file may also still be read (exit 0), but
# never crashes or hangs.
# Workload: a 5-point pbit sweep (~3 s of CPU), a 1-epoch DTM, a few
# hundred short runs; about 30 s on 2 cores.
. "$TSUKIT_SRCDIR/tests/tap.sh"
. "$TSUKIT_SRCDIR/tests/bad_input_lib.sh"
export HDF5_USE_FILE_LOCKING=FALSE
o="$bad_out"
T="$TSUKIT"
d="$tap_tmp"
ds=${TK_FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
have_ds=0
[ -r "$ds/train-images-idx3-ubyte.gz" ] && [ -r "$ds/train-labels-idx1-ubyte.gz" ] && have_ds=1

# ---- valid files to start from ----
tap_run_rc 0 "a pbit library (5 points)" $T calibrate --cell pbit --vctl 0.185:0.188:5 --temp 300 --time 4e-6 --workers 2 --seed 3 -o "$d/pbit.h5"
tap_run_rc 0 "a trace" $T trace --cell pbit --vctl 0.186 --time 1e-6 -o "$d/trace.h5"
tap_run_rc 0 "a samples file" $T sample --graph G4 --L 8 --chains 4 --sweeps 20 --burn-in 0 -o "$d/gibbs.h5"
# a categorical library: the skeleton of a cat4 sweep (kind
# categorical), its run killed once the file exists
$T calibrate --cell cat4 --vdd 0.7 --vbias 0.6 --vctl 0.329:0.335:3 --vbase 0.332 --temp 300 --time 1e-3 -o "$d/cat4.h5" >/dev/null 2>&1 &
pid=$!
i=0; while [ ! -e "$d/cat4.h5" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL $pid 2>/dev/null; { wait $pid; } 2>/dev/null
[ -e "$d/cat4.h5" ]; tap_ok $? "a cat4 sweep's checkpoint (kind categorical)"
if [ $have_ds -eq 1 ]; then
  tap_run_rc 0 "a DTM model (1 epoch)" $T dtm train --data fashion-mnist --steps 2 --graph G12 --L 44 --train-limit 64 --sweeps 10 --sweeps-pos 8 --record 4 --threads 1 --seed 5 --epochs 1 -o "$d/model.h5"
  tap_run_rc 0 "DTM samples" $T dtm sample --model "$d/model.h5" --n 4 --threads 1 -o "$d/dsamp.h5"
fi

# damaged copies of FILE: empty, junk text, half, a folder, missing
: > "$d/empty.h5"
printf 'this is not an HDF5 file\n' > "$d/junk.h5"
mkdir -p "$d/folder.h5"
damaged() { # damaged FILE -> the list of damaged variants of FILE
  b=$(basename "$1" .h5)
  truncate_to "$1" "$d/$b-half.h5" $(( $(wc -c < "$1") / 2 ))
  truncate_to "$1" "$d/$b-head.h5" 1000
  echo "$d/nosuch.h5:no such file" "$d/empty.h5:not an HDF5 file" "$d/junk.h5:not an HDF5 file" \
       "$d/folder.h5:folder.h5" "$d/$b-half.h5:$b-half.h5" "$d/$b-head.h5:$b-head.h5"
}

# ---- cell libraries ----
for v in $(damaged "$d/pbit.h5"); do
  f=${v%%:*}; pat=${v#*:}; n=$(basename "$f")
  bad 1 "$pat" "predict --cells $n" $T predict --cells "$f" --cell pbit --temp 300 --vctl 0.186
  bad 1 "$pat" "sample --cells $n" $T sample --cells "$f" --cell pbit --temp 300 --graph G4 --L 8 --chains 4 --sweeps 20 -o "$o"
  bad 1 "$pat" "plot $n" $T plot "$f" -o "$d/out.png"
  [ ! -e "$d/out.png" ]; tap_ok $? "plot $n: no PNG left"
  [ $have_ds -eq 1 ] && bad 1 "$pat" "dtm sample --cells $n" $T dtm sample --model "$d/model.h5" --n 2 --cells "$f" --cell pbit --temp 300 -o "$o"
done
# the wrong kind of file where a cell library is expected
bad 2 "is categorical" "sample --cells: a cat4 library where a pbit is expected" $T sample --cells "$d/cat4.h5" --cell cat4 --temp 300 --graph G4 --L 8 -o "$o"
bad 2 "is categorical" "predict --cells: a cat4 library" $T predict --cells "$d/cat4.h5" --cell cat4 --temp 300 --vctl 0.33
bad 1 "no cell 'pbit'" "predict --cells: a cat4 library, --cell pbit" $T predict --cells "$d/cat4.h5" --cell pbit --temp 300 --vctl 0.186
bad 1 "no cell 'pbit'" "predict --cells: a trace file" $T predict --cells "$d/trace.h5" --cell pbit --temp 300 --vctl 0.186
bad 1 "cell 'pbit' not in library" "sample --cells: a samples file" $T sample --cells "$d/gibbs.h5" --cell pbit --temp 300 --graph G4 --L 8 -o "$o"
bad 2 "cell 'nosuch' not in library" "sample --cells: a cell the library lacks" $T sample --cells "$d/pbit.h5" --cell nosuch --temp 300 --graph G4 --L 8 -o "$o"
bad 2 "bad cell name '../pbit'" "sample --cells: a cell name with a slash" $T sample --cells "$d/pbit.h5" --cell ../pbit --temp 300 --graph G4 --L 8 -o "$o"
if [ $have_ds -eq 1 ]; then
  bad 1 "no cell 'pbit'" "predict --cells: a DTM model" $T predict --cells "$d/model.h5" --cell pbit --temp 300 --vctl 0.186
  bad 1 "cell 'pbit' not in library" "sample --cells: a DTM model" $T sample --cells "$d/model.h5" --cell pbit --temp 300 --graph G4 --L 8 -o "$o"
  bad 2 "is categorical" "dtm sample --cells: a cat4 library" $T dtm sample --model "$d/model.h5" --n 2 --cells "$d/cat4.h5" --cell cat4 --temp 300 -o "$o"
fi

# ---- DTM models, samples ----
if [ $have_ds -eq 1 ]; then
  for v in $(damaged "$d/model.h5"); do
    f=${v%%:*}; pat=${v#*:}; n=$(basename "$f")
    bad 1 "$pat" "dtm sample --model $n" $T dtm sample --model "$f" --n 2 -o "$o"
    bad 1 "$pat" "dtm eval --model $n" $T dtm eval --model "$f" --samples "$d/dsamp.h5" --clf-limit 100 --test-limit 100
    bad 1 "$pat" "dtm eval --samples $n" $T dtm eval --model "$d/model.h5" --samples "$f" --clf-limit 100 --test-limit 100
  done
  bad 1 "is not a tsukit DTM model" "dtm sample --model: a cell library" $T dtm sample --model "$d/pbit.h5" --n 2 -o "$o"
  bad 1 "is not a tsukit DTM model" "dtm sample --model: a trace file" $T dtm sample --model "$d/trace.h5" --n 2 -o "$o"
  bad 1 "is not a tsukit DTM model" "dtm eval --model: a samples file" $T dtm eval --model "$d/dsamp.h5" --samples "$d/dsamp.h5"
  bad 1 "is not a \`tsukit dtm sample\` file" "dtm eval --samples: a DTM model" $T dtm eval --model "$d/model.h5" --samples "$d/model.h5"
  bad 1 "is not a \`tsukit dtm sample\` file" "dtm eval --samples: a Gibbs samples file" $T dtm eval --model "$d/model.h5" --samples "$d/gibbs.h5"
  # --resume of a file that is no model: refused, the file untouched
  cp "$d/pbit.h5" "$d/keep.h5"; bad_keep="$d/keep.h5"
  bad 1 "is not a tsukit DTM model" "dtm train --resume: a cell library" $T dtm train --data fashion-mnist --steps 2 --L 44 --train-limit 64 --resume -o "$d/keep.h5"
  cp "$d/model-half.h5" "$d/keep.h5"
  bad 1 "keep.h5" "dtm train --resume: a truncated model" $T dtm train --data fashion-mnist --steps 2 --L 44 --train-limit 64 --resume -o "$d/keep.h5"
  bad_keep=

  # IDX data: junk, truncated, a header with huge extents, bad labels
  idx="$d/idx"; mkdir -p "$idx"
  cp "$ds/train-labels-idx1-ubyte.gz" "$idx/"
  idxcase() { # idxcase PATTERN WHAT
    bad 1 "$1" "dtm train --data: $2" $T dtm train --data "$idx" --L 44 --train-limit 64 --epochs 1 -o "$o"
  }
  printf 'junk' > "$idx/train-images-idx3-ubyte.gz"; idxcase "truncated IDX header" "a 4-byte image file"
  head -c 5000 "$ds/train-images-idx3-ubyte.gz" > "$idx/train-images-idx3-ubyte.gz"; idxcase "truncated data" "a truncated gzip"
  printf '\000\000\010\003\177\377\377\377\177\377\377\377\177\377\377\377' > "$idx/train-images-idx3-ubyte.gz"; idxcase "implausible extent 2147483647" "a header of 2^31 x 2^31 x 2^31 images"
  cp "$ds/train-labels-idx1-ubyte.gz" "$idx/train-images-idx3-ubyte.gz"; idxcase "bad IDX magic" "a label file where images are expected"
  cp "$ds/train-images-idx3-ubyte.gz" "$idx/"
  { printf '\000\000\010\001\000\000\352\140'; head -c 60000 /dev/zero | tr '\000' '\014'; } > "$idx/train-labels-idx1-ubyte.gz"; idxcase "label 12" "labels out of 0..9"
  { printf '\000\000\010\001\000\000\303\120'; head -c 50000 /dev/zero; } > "$idx/train-labels-idx1-ubyte.gz"; idxcase "shapes 60000x28x28 / 50000" "50000 labels for 60000 images"
  rm -f "$idx/train-labels-idx1-ubyte.gz"; idxcase "not found" "no label file"
fi

# ---- traces and Gibbs samples through plot ----
for v in $(damaged "$d/trace.h5"); do
  f=${v%%:*}; pat=${v#*:}; n=$(basename "$f")
  bad 1 "$pat" "plot $n" $T plot "$f" -o "$d/out.png"
done
bad 1 "categorical cells are not drawn" "plot: a cat4 library" $T plot "$d/cat4.h5" -o "$d/out.png"

# ---- calibrate --resume: a damaged or foreign checkpoint is refused,
# never overwritten ----
sweep="--cell pbit --vctl 0.185:0.188:5 --temp 300 --time 4e-6 --seed 3"
for v in "$d/empty.h5:not an HDF5 file" "$d/junk.h5:not an HDF5 file" "$d/pbit-half.h5:keep.h5"; do
  f=${v%%:*}; pat=${v#*:}; n=$(basename "$f")
  cp "$f" "$d/keep.h5"; bad_keep="$d/keep.h5"
  bad 1 "$pat" "calibrate --resume: $n" $T calibrate $sweep --resume -o "$d/keep.h5"
done
cp "$d/cat4.h5" "$d/keep.h5"
bad 2 "holds no sweep of cell pbit" "calibrate --resume: a cat4 checkpoint for a pbit sweep" $T calibrate $sweep --resume -o "$d/keep.h5"
cp "$d/pbit.h5" "$d/keep.h5"
bad 2 "was made with other settings" "calibrate --resume: another sweep's library" $T calibrate --cell pbit --vctl 0.185:0.188:5 --temp 300 --time 5e-6 --seed 3 --resume -o "$d/keep.h5"
bad_keep=

# ---- graph and model text files (sample) ----
g="$d/g.txt"
gcase() { # gcase RC PATTERN WHAT CONTENT
  printf "$4" > "$g"
  bad "$1" "$2" "sample --graph: $3" $T sample --graph "$g" --chains 4 --sweeps 20 -o "$o"
}
bad 1 "cannot open graph file $d/nosuch.txt" "sample --graph: a missing file" $T sample --graph "$d/nosuch.txt" -o "$o"
gcase 1 "no 'b' or 'e' lines" "empty file" ""
gcase 1 "g.txt:1: unknown line kind 'x'" "unknown line kind" 'x 0 1 1\n'
gcase 1 "g.txt:2: missing value" "missing weight on line 2" 'e 0 1 0.5\ne 1 2\n'
gcase 1 "g.txt:1: bad number 'abc'" "a weight that is no number" 'e 0 1 abc\n'
gcase 2 "g.txt:1: value 'nan' is not finite" "NaN weight" 'e 0 1 nan\n'
gcase 2 "g.txt:1: value 'inf' is not finite" "infinite bias" 'b 0 inf\n'
gcase 1 "g.txt:1: bad node index '-1'" "negative node" 'e -1 1 1\n'
gcase 2 "g.txt:1: self-loop on node 3" "self-loop" 'e 3 3 1\n'
gcase 2 "duplicate edge 0-1" "duplicate edge" 'e 0 1 1\ne 1 0 1\n'
gcase 2 "node index 2000000000 is above the limit" "a node index of 2e9" 'e 0 2000000000 0.3\n'
gcase 1 "bad node index '99999999999999999999'" "a node index beyond 64 bits" 'e 0 99999999999999999999 0.3\n'
gcase 1 "trailing text '7'" "an extra field" 'e 0 1 1 7\n'
awk 'BEGIN { srand(4); for (i = 0; i < 10000; i++) { s = ""; n = 1 + int(rand() * 70); for (k = 0; k < n; k++) s = s sprintf("%c", 33 + int(rand() * 94)); print s } }' > "$g"
bad 1 "g.txt:" "sample --graph: 10,000 lines of junk" $T sample --graph "$g" --chains 4 --sweeps 20 -o "$o"
printf 'b 0 0.1\ne 0 99 1\n' > "$g"
bad 2 "model has node 99 but the graph only 64 nodes" "sample --model: a node outside the grid" $T sample --graph G4 --L 8 --model "$g" --chains 4 --sweeps 20 -o "$o"
bad 1 "cannot open graph file $d/nosuch.txt" "sample --model: a missing file" $T sample --graph G4 --L 8 --model "$d/nosuch.txt" --chains 4 --sweeps 20 -o "$o"

# ---- ngspice model files (trace --models) ----
bad 1 "nosuch.lib" "trace --models: a missing file" $T trace --cell pbit --vctl 0.186 --time 1e-6 --models "$d/nosuch.lib" -o "$o"
bad 1 "ngspice could not load the netlist" "trace --models: junk" $T trace --cell pbit --vctl 0.186 --time 1e-6 --models "$d/junk.h5" -o "$o"

# ---- experiment report: a folder that is not there ----
bad 1 "not found" "experiment report -d: a missing folder" $T experiment report -d "$d/nowhere" -o "$d/r.md"
[ ! -e "$d/r.md" ]; tap_ok $? "experiment report: no report left"

# ---- bit flips: seeded, each file read by its readers; an error or a
# clean read, never a crash or a hang ----
survive() { # survive WHAT CMD...
  what=$1; shift
  rm -f "$o" "$o.partial" "$d/out.png"
  timeout 60 "$@" >"$tap_tmp/bad.stdout" 2>"$tap_tmp/bad.stderr"; got=$?
  r=1
  if [ $got -eq 0 ]; then r=0
  elif [ $got -le 2 ] && grep -q '^tsukit [a-z ]*: ' "$tap_tmp/bad.stderr" && [ ! -e "$o" ] && [ ! -e "$o.partial" ]; then r=0
  fi
  [ $r -eq 0 ] || { fails=$((fails + 1)); tap_note "$what: exit $got: $(tail -n 1 "$tap_tmp/bad.stderr")"; }
  runs=$((runs + 1)); [ $got -eq 0 ] && clean=$((clean + 1))
}
flips() { # flips NAME FILE N-SEEDS CMD-WITH-@F@...
  name=$1; src=$2; ns=$3; shift 3
  fails=0; runs=0; clean=0
  for s in $(seq 1 "$ns"); do
    flip "$src" "$d/flip.h5" "$s" 8
    cmd=$(echo "$*" | sed "s|@F@|$d/flip.h5|g")
    # shellcheck disable=SC2086
    survive "$name seed $s" $cmd
  done
  [ $fails -eq 0 ]; tap_ok $? "$name: $runs bit-flipped files (8 bits each), $clean read cleanly, the rest refused with one line; no crash or hang"
}
flips "predict --cells" "$d/pbit.h5" 20 $T predict --cells @F@ --cell pbit --temp 300 --vctl 0.186
flips "sample --cells" "$d/pbit.h5" 15 $T sample --cells @F@ --cell pbit --temp 300 --graph G4 --L 8 --chains 4 --sweeps 20 -o "$o"
flips "plot (library)" "$d/pbit.h5" 10 $T plot @F@ -o "$d/out.png"
flips "plot (trace)" "$d/trace.h5" 10 $T plot @F@ -o "$d/out.png"
flips "calibrate --resume" "$d/pbit.h5" 10 $T calibrate $sweep --resume -o @F@
if [ $have_ds -eq 1 ]; then
  flips "dtm sample --model" "$d/model.h5" 15 $T dtm sample --model @F@ --n 2 --threads 1 -o "$o"
  flips "plot (DTM model)" "$d/model.h5" 10 $T plot @F@ -o "$d/out.png"
  flips "plot (DTM samples)" "$d/dsamp.h5" 10 $T plot @F@ -o "$d/out.png"
fi
tap_done
