# cli_sample.sh -- `tsukit sample` and `tsukit bench gibbs` end to end:
# summary keys, one stdout line, output file, exit codes on bad input.
. "$TSUKIT_SRCDIR/tests/tap.sh"

o=$tap_tmp/s.h5
tap_run_rc 0 "sample on G8 16x16 torus" "$TSUKIT" sample --graph G8 --L 16 --torus \
  --beta 0.3 --chains 64 --sweeps 100 --burn-in 20 --threads 1 --seed 7 -o "$o"
[ "$(wc -l < "$tap_tmp/out")" -eq 1 ]; tap_ok $? "exactly one summary line"
for k in flips_per_ns energy_per_sweep_J mean_magnetisation energy_per_sample_J paper_energy_per_sample_J; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "summary has $k"
done
[ -f "$o" ] && [ ! -f "$o.partial" ]; tap_ok $? "output file committed"
[ "$(kv edges "$tap_tmp/out")" = 1024 ]; tap_ok $? "G8 16x16 torus has 1024 edges"
m=$(kv mean_magnetisation "$tap_tmp/out")
fcmp "$m > -0.2 && $m < 0.2"; tap_ok $? "random-model magnetisation is small ($m)"
tap_run_rc 1 "existing output without --force fails" "$TSUKIT" sample --graph G8 --L 16 --sweeps 20 -o "$o"
tap_run_rc 0 "--force overwrites" "$TSUKIT" sample --graph G8 --L 16 --sweeps 20 --force -o "$o"

# a file graph, edge order kept
cat > "$tap_tmp/g.txt" <<'G'
# ring of 5 with biases
b 0 0.3
e 0 1 0.5
e 1 2 -0.25
e 2 3 0.75
e 3 4 0.1
e 4 0 -0.6
G
tap_run_rc 0 "sample on a text graph" "$TSUKIT" sample --graph "$tap_tmp/g.txt" --chains 64 \
  --sweeps 100 --threads 1 -o "$tap_tmp/g.h5"
[ "$(kv edges "$tap_tmp/out")" = 5 ] && [ "$(kv colors "$tap_tmp/out")" = 3 ]
tap_ok $? "5 edges, odd ring needs 3 colours"

# a grid with a model file
printf 'e 0 1 0.5\nb 3 0.2\n' > "$tap_tmp/m.txt"
tap_run_rc 0 "--model FILE on a grid" "$TSUKIT" sample --graph G4 --L 8 --model "$tap_tmp/m.txt" \
  --sweeps 20 -o "$tap_tmp/m.h5"
printf 'e 0 9 0.5\n' > "$tap_tmp/m2.txt"
tap_run_rc 2 "--model edge not in the grid" "$TSUKIT" sample --graph G4 --L 8 --model "$tap_tmp/m2.txt" \
  --sweeps 20 -o "$tap_tmp/m2.h5"
grep -q "not an edge" "$tap_tmp/err"; tap_ok $? "message names the missing edge"

# bad input
printf 'e 0 1 1\ne 2 2 1\n' > "$tap_tmp/loop.txt"
tap_run_rc 2 "self-loop rejected" "$TSUKIT" sample --graph "$tap_tmp/loop.txt" -o "$tap_tmp/x.h5"
grep -q "self-loop" "$tap_tmp/err"; tap_ok $? "message says self-loop"
printf 'e 0 1 1\ne 1 0 2\n' > "$tap_tmp/dup.txt"
tap_run_rc 2 "duplicate edge rejected" "$TSUKIT" sample --graph "$tap_tmp/dup.txt" -o "$tap_tmp/x.h5"
printf 'e 0 1 nan\n' > "$tap_tmp/nan.txt"
tap_run_rc 2 "NaN weight rejected" "$TSUKIT" sample --graph "$tap_tmp/nan.txt" -o "$tap_tmp/x.h5"
tap_run_rc 2 "G24 on a 20x20 open grid rejected" "$TSUKIT" sample --graph G24 --L 20 -o "$tap_tmp/x.h5"
grep -q "does not fit" "$tap_tmp/err"; tap_ok $? "message says the jump does not fit"
tap_run_rc 2 "--chains 0 is a usage error" "$TSUKIT" sample --chains 0 -o "$tap_tmp/x.h5"
grep -q -- "--chains" "$tap_tmp/err"; tap_ok $? "message names --chains"
tap_run_rc 2 "missing -o is a usage error" "$TSUKIT" sample
tap_run_rc 2 "--cells without --cell" "$TSUKIT" sample --cells "$tap_tmp/c.h5" -o "$tap_tmp/x.h5"
tap_run_rc 1 "missing cell library fails" "$TSUKIT" sample --cells "$tap_tmp/none.h5" \
  --cell pbit --temp 300 -o "$tap_tmp/x.h5"
tap_run_rc 1 "missing graph file fails" "$TSUKIT" sample --graph "$tap_tmp/none.txt" -o "$tap_tmp/x.h5"

# --cells-kind potts / gauss (reference paths)
for kind in potts gauss; do
  tap_run_rc 0 "sample --cells-kind $kind on G12 12x12" "$TSUKIT" sample --cells-kind $kind \
    --graph G12 --L 12 --chains 32 --sweeps 100 --burn-in 20 --threads 2 --save-states -o "$tap_tmp/$kind.h5"
  [ "$(wc -l < "$tap_tmp/out")" -eq 1 ]; tap_ok $? "$kind: exactly one summary line"
  miss=""
  for k in flips_per_ns energy_per_sweep_J mean_magnetisation energy_per_sample_J flip_activity; do
    [ -n "$(kv $k "$tap_tmp/out")" ] || miss="$miss $k"
  done
  [ -z "$miss" ]; tap_ok $? "$kind: summary keeps its keys${miss:+ (missing:$miss)}"
  [ -f "$tap_tmp/$kind.h5" ]; tap_ok $? "$kind: output file committed"
done
# beta = 0: every Potts update is uniform over K states, so a state
# changes with probability (K-1)/K = 0.75 and P(s_i = 1) = 1/4 (binomial
# sigma of the activity over 64 x 400 x 64 updates ~ 3e-4; limit 0.01)
tap_run_rc 0 "potts K=4 at beta 0" "$TSUKIT" sample --cells-kind potts --states 4 --beta 0 \
  --graph G4 --L 8 --chains 64 --sweeps 400 -o "$tap_tmp/p0.h5"
a=$(kv flip_activity "$tap_tmp/out"); m=$(kv mean_magnetisation "$tap_tmp/out")
fcmp "$a > 0.74 && $a < 0.76 && $m > -0.02 && $m < 0.02"; tap_ok $? "beta 0: activity $a ~ 0.75, magnetisation $m ~ 0"
# Gaussian known answer: two nodes, h = (0.5, 0), J = 0.4, a_i = 1 + 0.4:
# mu = M^-1 h = (0.38889, 0.11111), node average 0.25 (sigma ~ 0.002
# over 256 x 2000 samples; limit 0.01)
printf 'b 0 0.5\ne 0 1 0.4\n' > "$tap_tmp/pair.txt"
tap_run_rc 0 "gauss on a two-node file graph" "$TSUKIT" sample --cells-kind gauss --graph "$tap_tmp/pair.txt" \
  --chains 256 --sweeps 2000 --threads 1 -o "$tap_tmp/pair1.h5"
m1=$(kv mean_magnetisation "$tap_tmp/out")
fcmp "$m1 > 0.24 && $m1 < 0.26"; tap_ok $? "gauss: mean of <x_i> $m1 ~ 0.25 (exact)"
tap_run_rc 0 "same with 2 threads" "$TSUKIT" sample --cells-kind gauss --graph "$tap_tmp/pair.txt" \
  --chains 256 --sweeps 2000 --threads 2 -o "$tap_tmp/pair2.h5"
[ "$(kv mean_magnetisation "$tap_tmp/out")" = "$m1" ]; tap_ok $? "1 and 2 threads: same summary"
tap_run_rc 2 "--states 1 rejected" "$TSUKIT" sample --cells-kind potts --states 1 -o "$tap_tmp/x.h5"
grep -q -- "--states" "$tap_tmp/err"; tap_ok $? "message names --states"
tap_run_rc 2 "--states 17 rejected" "$TSUKIT" sample --cells-kind potts --states 17 -o "$tap_tmp/x.h5"
tap_run_rc 2 "--states x rejected" "$TSUKIT" sample --cells-kind potts --states x -o "$tap_tmp/x.h5"
tap_run_rc 2 "--states without potts" "$TSUKIT" sample --states 3 -o "$tap_tmp/x.h5"
tap_run_rc 2 "unknown --cells-kind" "$TSUKIT" sample --cells-kind ising -o "$tap_tmp/x.h5"
tap_run_rc 2 "--cells with --cells-kind gauss" "$TSUKIT" sample --cells-kind gauss \
  --cells "$tap_tmp/c.h5" --cell pbit --temp 300 -o "$tap_tmp/x.h5"
tap_run_rc 2 "gauss at beta 0 rejected" "$TSUKIT" sample --cells-kind gauss --beta 0 \
  --graph G4 --L 4 --sweeps 20 -o "$tap_tmp/x.h5"
grep -q "beta" "$tap_tmp/err"; tap_ok $? "message names beta"
[ ! -f "$tap_tmp/x.h5" ]; tap_ok $? "no output file after a failure"

# bench
tap_run_rc 0 "bench gibbs (short)" "$TSUKIT" bench gibbs --graph G12 --L 30 --chains 64 \
  --sweeps 20 --ref-seconds 0.05
for k in flips_per_ns edge_updates_per_ns ref_flips_per_ns speedup; do
  [ -n "$(kv $k "$tap_tmp/out")" ]; tap_ok $? "bench summary has $k"
done
[ -n "$(kv aes "$tap_tmp/out")" ]; tap_ok $? "bench summary has aes"
# --aes: every level the CPU has (its /proc/cpuinfo flag: aes, vaes)
# runs and the summary names it (the portable path, on a CPU without
# AVX2, reports what it uses: AES-NI whenever the CPU has it); a level
# the CPU lacks is refused with exit 1 and named
for a in none aes-ni vaes; do
  case $a in
    none) have=1 ;;
    aes-ni) grep -qw aes /proc/cpuinfo 2>/dev/null && have=1 || have=0 ;;
    vaes) grep -qw vaes /proc/cpuinfo 2>/dev/null && have=1 || have=0 ;;
  esac
  if [ $have = 1 ]; then
    tap_run_rc 0 "bench gibbs --aes $a" "$TSUKIT" bench gibbs --graph G12 \
      --L 20 --chains 64 --sweeps 5 --ref-seconds 0.02 --aes $a
    [ "$(kv aes "$tap_tmp/out")" = "$a" ] || [ "$(kv path "$tap_tmp/out")" = portable ]
    tap_ok $? "--aes $a: the summary names the level used"
  else
    tap_run_rc 1 "bench gibbs --aes $a refused on this CPU" "$TSUKIT" bench gibbs \
      --L 20 --chains 64 --sweeps 5 --ref-seconds 0.02 --aes $a
    grep -q "no $a instructions" "$tap_tmp/err"; tap_ok $? "the message names $a"
  fi
done
tap_run_rc 2 "bench gibbs --aes with --cells-kind potts" "$TSUKIT" bench gibbs \
  --cells-kind potts --aes none
tap_run_rc 2 "bench with an unknown benchmark" "$TSUKIT" bench frob
tap_run_rc 2 "bench gibbs --graph G10" "$TSUKIT" bench gibbs --graph G10
tap_done
