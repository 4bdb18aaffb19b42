# bad_input_options.sh -- the bad-input corpus, part 1: the options of every
# command (`tsukit help` lists them): unknown, repeated and valueless
# options, NaN / inf / negative / huge numbers, malformed ranges and lists
# (a:b:c, reversed, zero or negative counts, empty entries), and resource
# requests that cannot fit (a chip of --L x --chains, a record of --time
# / --dt) refused up front with the limit named.  Each case: exit 2 (or
# 1), one line naming the culprit, no output file (tests/bad_input_lib.sh).
# Workload: no simulation; about 150 process starts, a few seconds.
. "$TSUKIT_SRCDIR/tests/tap.sh"
. "$TSUKIT_SRCDIR/tests/bad_input_lib.sh"
o="$bad_out"
T="$TSUKIT"

# every command: an unknown option and a stray argument
for c in bench calibrate cells characterize demo device doublewell experiment plot predict sample trace version "dtm train" "dtm sample" "dtm eval" "bench gibbs" "bench dtm"; do
  # shellcheck disable=SC2086
  bad 2 "--frobnicate" "$c: unknown option" $T $c --frobnicate
done
bad 2 "unknown command 'frobnicate'" "unknown command" $T frobnicate
bad 2 "unknown subcommand 'frob'" "dtm: unknown subcommand" $T dtm frob
bad 2 "unknown benchmark 'frob'" "bench: unknown benchmark" $T bench frob
bad 2 "unexpected argument 'x'" "cells: a stray argument" $T cells x
bad 2 "unexpected argument 'x'" "version: a stray argument" $T version x

# repeated options and missing values
bad 2 "--vgs given twice" "device: --vgs twice" $T device --vgs 0.3 --vds 0.1 --vgs 0.2
bad 2 "--seed given twice" "sample: --seed twice" $T sample --seed 1 --seed 2 -o "$o"
bad 2 "-o given twice" "trace: -o twice" $T trace --cell pbit --vctl 0.186 --time 1e-6 -o "$o" -o "$o"
bad 2 "--temp given twice" "calibrate: --temp twice" $T calibrate --cell pbit --vctl 0.185:0.188:3 --temp 300 --temp 310 -o "$o"
bad 2 "--n given twice" "dtm sample: --n twice" $T dtm sample --model x.h5 --n 2 --n 3 -o "$o"
bad 2 "--vds needs a value" "device: --vds without a value" $T device --vgs 0.3 --vds
bad 2 "--vgs is required" "device: --vgs missing" $T device --vds 0.1
bad 2 "--output is required" "sample: -o missing" $T sample --L 8
bad 2 "--barrier-kT is required" "doublewell: --barrier-kT missing" $T doublewell
bad 2 "--vctl is required" "predict: --vctl missing" $T predict --cells x.h5 --cell pbit --temp 300

# NaN, infinities, negative, huge, not a number
bad 2 "--vgs: 'nan' is not a finite number" "device: --vgs nan" $T device --vgs nan --vds 0.1
bad 2 "--vds: 'inf' is not a finite number" "device: --vds inf" $T device --vgs 0.3 --vds inf
bad 2 "--vgs: '-inf' is not a finite number" "device: --vgs -inf" $T device --vgs -inf --vds 0.1
bad 2 "--vgs: 1e+308 is outside the valid range" "device: --vgs 1e308" $T device --vgs 1e308 --vds 0.1
bad 2 "--vgs: '1e999'" "device: --vgs 1e999 (overflow)" $T device --vgs 1e999 --vds 0.1
bad 2 "--vgs: '0.3V'" "device: --vgs 0.3V (trailing junk)" $T device --vgs 0.3V --vds 0.1
bad 2 "--w: -1 is outside the valid range" "device: --w negative" $T device --vgs 0.3 --vds 0.1 --w -1
bad 2 "--temp: temperature -5 K" "device: --temp negative" $T device --vgs 0.3 --vds 0.1 --temp -5
bad 2 "--temp: temperature 0 K" "device: --temp 0" $T device --vgs 0.3 --vds 0.1 --temp 0
bad 2 "--type: 'cmos'" "device: --type cmos" $T device --type cmos --vgs 0.3 --vds 0.1
bad 2 "--barrier-kT: 'nan'" "doublewell: --barrier-kT nan" $T doublewell --barrier-kT nan
bad 2 "--barrier-kT: -3 is outside" "doublewell: --barrier-kT negative" $T doublewell --barrier-kT -3
bad 2 "--particles: 1000000000000 is outside" "doublewell: --particles 1e12" $T doublewell --barrier-kT 4 --particles 1000000000000 -o "$o"
bad 2 "--particles: 0 is outside" "doublewell: --particles 0" $T doublewell --barrier-kT 4 --particles 0
bad 2 "--threads: -1 is outside" "doublewell: --threads -1" $T doublewell --barrier-kT 4 --threads -1
bad 2 "--seed: '-1'" "doublewell: --seed -1" $T doublewell --barrier-kT 4 --seed -1
bad 2 "--seed: '18446744073709551616'" "doublewell: --seed 2^64" $T doublewell --barrier-kT 4 --seed 18446744073709551616
bad 2 "--vctl: 'nan' is not a finite number" "trace: --vctl nan in a list" $T trace --cell pbit --vctl 0.186,nan --time 1e-6 -o "$o"
bad 2 "--time: -1 is outside" "trace: --time negative" $T trace --cell pbit --vctl 0.186 --time -1 -o "$o"
bad 2 "--time: 1e+09 is outside" "trace: --time huge" $T trace --cell pbit --vctl 0.186 --time 1e9 -o "$o"
bad 2 "--cell: unknown cell 'nosuch'" "trace: unknown cell" $T trace --cell nosuch --vctl 0.186 --time 1e-6 -o "$o"
bad 2 "--engine: 'spectre'" "trace: --engine spectre" $T trace --cell pbit --vctl 0.186 --time 1e-6 --engine spectre -o "$o"
bad 2 "--beta: 'nan'" "sample: --beta nan" $T sample --beta nan -o "$o"
bad 2 "--sweeps: '1e12' is not an integer" "sample: --sweeps 1e12" $T sample --sweeps 1e12 -o "$o"
bad 2 "--chains: 0 is outside" "sample: --chains 0" $T sample --chains 0 -o "$o"
bad 2 "--chains: 1000000000 is outside" "sample: --chains 1e9" $T sample --chains 1000000000 -o "$o"
bad 2 "--L: 10000 is outside the valid range [2, 4096]" "sample: --L 10000" $T sample --L 10000 --chains 1000 -o "$o"
bad 2 "--cells-kind: 'ising'" "sample: --cells-kind ising" $T sample --cells-kind ising -o "$o"
bad 2 "--vctl: 'nan' is not a finite number" "predict: --vctl nan" $T predict --cells x.h5 --cell pbit --temp 300 --vctl nan
bad 2 "--temp: 'inf' is not a finite number" "predict: --temp inf" $T predict --cells x.h5 --cell pbit --temp inf --vctl 0.186
bad 2 "--steps: 0 is outside" "dtm train: --steps 0" $T dtm train --data fashion-mnist --steps 0 -o "$o"
bad 2 "--epochs: -1 is outside" "dtm train: --epochs -1" $T dtm train --data fashion-mnist --epochs -1 -o "$o"
bad 2 "--L: 30 is outside" "dtm train: --L 30 (too small for 884 spins)" $T dtm train --data fashion-mnist --L 30 -o "$o"
bad 2 "--train-limit: 0 is outside" "dtm train: --train-limit 0" $T dtm train --data fashion-mnist --train-limit 0 -o "$o"
bad 2 "--n: 0 is outside" "dtm sample: --n 0" $T dtm sample --model x.h5 --n 0 -o "$o"
bad 2 "--n: 1000000000 is outside" "dtm sample: --n 1e9" $T dtm sample --model x.h5 --n 1000000000 -o "$o"
bad 2 "--label: '11'" "dtm sample: --label 11" $T dtm sample --model x.h5 --n 2 --label 11 -o "$o"
bad 2 "--clf-limit: 0 is outside" "dtm eval: --clf-limit 0" $T dtm eval --model x.h5 --samples y.h5 --clf-limit 0
bad 2 "--path: 'sse'" "bench gibbs: --path sse" $T bench gibbs --path sse
bad 2 "--ref-seconds: 'nan'" "bench gibbs: --ref-seconds nan" $T bench gibbs --ref-seconds nan
bad 2 "--aes: 'avx'" "bench gibbs: --aes avx" $T bench gibbs --aes avx
bad 2 "unknown experiment 'nosuch'" "experiment: unknown name" $T experiment nosuch
bad 2 "--workers: 65 is outside" "experiment: --workers 65" $T experiment double-well --workers 65
bad 2 "--seed: '-1'" "demo: --seed -1" $T demo --seed -1

# ranges and lists (calibrate, characterize, sample)
cal="$T calibrate --cell pbit --temp 300"
bad 2 "in '0.185:0.188:0' the count N must be an integer >= 2" "range: zero count" $cal --vctl 0.185:0.188:0 -o "$o"
bad 2 "in '0.185:0.188:-3' the count N" "range: negative count" $cal --vctl 0.185:0.188:-3 -o "$o"
bad 2 "in '0.185:0.188:2.5' the count N" "range: fractional count" $cal --vctl 0.185:0.188:2.5 -o "$o"
bad 2 "--vctl: 'a' is not a number" "range: a:b:c" $cal --vctl a:b:c -o "$o"
bad 2 "--vctl: '0.185:0.188:3:4' is not of the form A:B:N" "range: four fields" $cal --vctl 0.185:0.188:3:4 -o "$o"
bad 2 "--vctl: '0.185::3' has an empty field" "range: an empty field" $cal --vctl 0.185::3 -o "$o"
bad 2 "--vctl" "range: reversed" $cal --vctl 0.19:0.18:5 -o "$o"
bad 2 "--vctl" "range: NaN end" $cal --vctl 0.18:nan:5 -o "$o"
bad 2 "--vctl" "range: above the supply" $cal --vctl 0.1:0.5:3 -o "$o"
bad 2 "--vctl: in '0.185:0.188:1000000000' the count N" "range: a billion points" $cal --vctl 0.185:0.188:1000000000 -o "$o"
bad 2 "--temp: '300,,301' has an empty entry" "list: empty entry" $T calibrate --cell pbit --vctl 0.185:0.188:3 --temp 300,,301 -o "$o"
bad 2 "--temp: '300,' has an empty entry" "list: trailing comma" $T calibrate --cell pbit --vctl 0.185:0.188:3 --temp 300, -o "$o"
bad 2 "--temp: 'nan' is not a finite number" "list: NaN temperature" $T calibrate --cell pbit --vctl 0.185:0.188:3 --temp nan -o "$o"
bad 2 "--temp" "list: a negative temperature" $T calibrate --cell pbit --vctl 0.185:0.188:3 --temp 300,-300C -o "$o"
bad 2 "--workers: 0 is outside" "calibrate: --workers 0" $cal --vctl 0.185:0.188:3 --workers 0 -o "$o"
bad 2 "--time: 1e-12 is outside" "calibrate: --time too short" $cal --vctl 0.185:0.188:3 --time 1e-12 -o "$o"
bad 2 "--cell: unknown cell 'nosuch'" "calibrate: unknown cell" $T calibrate --cell nosuch --vctl 0.185:0.188:3 --temp 300 -o "$o"
bad 2 "--resume and --force" "calibrate: --resume with --force" $cal --vctl 0.185:0.188:3 --resume --force -o "$o"

# resources that cannot fit: refused up front, the limit named
bad 2 "the sampler holds fewer than 2^32" "sample: --L 4096 x --chains 100000 (2.6e10 words)" $T sample --graph G12 --L 4096 --chains 100000 -o "$o"
bad 2 "the sampler holds fewer than 2^32" "bench gibbs: --L 4096 x --chains 16777216" $T bench gibbs --L 4096 --chains 16777216
bad 2 "time points per record, more than the limit of 1e+08" "trace: --time 10 ms at --dt 0.1 ps" $T trace --cell pbit --vctl 0.186 --time 1e-2 --dt 1e-13 -o "$o"
# the memory check itself: a chip larger than this machine's memory
mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null)
if [ -n "$mem_kb" ]; then
  # L^2 x chains bits > memory at L = 4096: chains > mem_bytes * 8 / 2^24
  ch=$(awk -v m="$mem_kb" 'BEGIN { c = int(m * 1024 * 8 / 4096 / 4096 * 1.2) + 64; c -= c % 64; if (c > 16777216) c = 16777216; print c }')
  words=$(awk -v c="$ch" 'BEGIN { print (4096 * 4096 * c / 64 < 4294967296) }')
  if [ "$words" = 1 ]; then
    bad 2 "of memory" "sample: --L 4096 --chains $ch needs more than this machine's memory" $T sample --graph G12 --L 4096 --chains "$ch" -o "$o"
  else
    bad 2 "the sampler holds fewer than 2^32" "sample: --L 4096 --chains $ch (above the sampler's limit before memory)" $T sample --graph G12 --L 4096 --chains "$ch" -o "$o"
  fi
fi
bad 2 "saved states" "sample: --save-states of 2048^2 x 16000 chains" $T sample --graph G12 --L 2048 --chains 16000 --save-states -o "$o"

# an existing output is never replaced without --force, and stays as it was
printf 'precious\n' > "$tap_tmp/keep.h5"
bad_keep="$tap_tmp/keep.h5"
bad 1 "already exists" "doublewell: existing -o without --force" $T doublewell --barrier-kT 4 --particles 10 -o "$tap_tmp/keep.h5"
bad 1 "already exists" "calibrate: existing -o without --resume/--force" $T calibrate --cell pbit --vctl 0.185:0.188:3 --temp 300 --time 1e-9 -o "$tap_tmp/keep.h5"
bad 1 "already exists" "sample: existing -o without --force" $T sample --graph G4 --L 8 --chains 4 --sweeps 20 -o "$tap_tmp/keep.h5"
bad_keep=
tap_done
