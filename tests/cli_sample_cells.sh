# cli_sample_cells.sh -- `tsukit sample` on calibrated categorical (cat4)
# and Gaussian-mixture (gmm2) cell libraries, and mixed graphs, end to
# end.  Fixtures: tests/data/cat4_300K.h5 and tests/data/gmm2_300K.h5,
# written by `tsukit calibrate --cell cat4` / `--cell gmm2` at 300 K
# (gmm2: --vctl 0.1857:0.1877:6 --time 20e-6 --seed 4).
# The chip's empirical conditional at an isolated calibrated node against
# the library's model: cat4 with bias h = 0.7 at beta 1.3 (a reachable
# target, so the calibrated cell samples q = softmax exactly: every
# P(c = k) within 4.5 batch-means sigma + 0.002), gmm2 with bias 0.2
# (mixture mean 0.2 in node units, modes at -1 and +1: within 4.5 sigma
# + 0.002); 64 chains x 2000 sweeps, seed 11.  Energy per update from
# the library (not the pbit's 350 aJ).  A mixed spin / cat4 / gmm2 graph
# with both libraries.  Workload: a few seconds.
. "$TSUKIT_SRCDIR/tests/tap.sh"
D="$TSUKIT_SRCDIR/tests/data"
dump="$(dirname "$TSUKIT")/tests/dump_h5"
row() { "$dump" "$1" | sed -n "s|^$2 \[[^]]*\] ||p"; }   # FILE DATASET

printf 'b 0 0.7\n' > "$tap_tmp/one.txt"
tap_run_rc 0 "cat4 library drives a categorical node" "$TSUKIT" sample \
  --cells "$D/cat4_300K.h5" --cell cat4 --temp 300 --graph "$tap_tmp/one.txt" \
  --beta 1.3 --chains 64 --sweeps 2000 --seed 11 -o "$tap_tmp/c.h5"
[ -n "$(kv map_dev_max "$tap_tmp/out")" ]; tap_ok $? "summary reports the map deviation"
mean=$(row "$tap_tmp/c.h5" /moments/mean)
se=$(row "$tap_tmp/c.h5" /moments/mean_stderr)
echo "$mean | $se" | awk '{
  e = exp(1.3 * 0.7); z = 3 + e
  for (k = 1; k <= 4; k++) { q = (k == 2 ? e : 1) / z; m = $k; s = $(k + 5)
    d = m - q; if (d < 0) d = -d
    printf "# P(c=%d) sampled %.5f model %.5f se %.2g\n", k - 1, m, q, s
    if (d > 4.5 * s + 0.002) bad = 1 }
  exit bad }'
tap_ok $? "cat4: empirical conditional = the library model within 4.5 sigma"
rng=$(kv rng_J "$tap_tmp/out")
fcmp "$rng > 1e-15"; tap_ok $? "rng energy per sweep from the cat4 library ($rng J, pbit 3.5e-16)"

printf 'b 0 0.2\n' > "$tap_tmp/one_g.txt"
tap_run_rc 0 "gmm2 library drives a continuous node" "$TSUKIT" sample \
  --cells "$D/gmm2_300K.h5" --cell gmm2 --temp 300 \
  --graph "$tap_tmp/one_g.txt" --chains 64 --sweeps 2000 --seed 11 -o "$tap_tmp/g.h5"
grep -q "warning: gmm cells realise each continuous node's conditional mean, not its variance" "$tap_tmp/err"
tap_ok $? "gmm2: the run warns that the Gaussian conditional's variance is not realised"
m=$(row "$tap_tmp/g.h5" /moments/mean); s=$(row "$tap_tmp/g.h5" /moments/mean_stderr)
echo "# <x> sampled $m se $s model 0.2"
fcmp "($m - 0.2) < 4.5 * $s + 0.002 && (0.2 - $m) < 4.5 * $s + 0.002"
tap_ok $? "gmm2: empirical mean = the calibrated mixture's within 4.5 sigma"

cat > "$tap_tmp/mix.txt" <<'G'
b 0 0.1
b 2 0.05
e 0 1 0.4
e 1 2 -0.3
e 2 3 0.2
e 3 0 0.25
G
tap_run_rc 0 "mixed spin / cat4 / gmm2 graph" "$TSUKIT" sample --cells-kind mixed \
  --node-kinds spin,cat,cont,cat --cells "$D/cat4_300K.h5,$D/gmm2_300K.h5" \
  --cell cat4,gmm2 --temp 300 --clip --graph "$tap_tmp/mix.txt" --chains 32 \
  --sweeps 200 --seed 5 -o "$tap_tmp/m.h5"
[ "$(row "$tap_tmp/m.h5" /graph/node_kind)" = "0 1 2 1" ]; tap_ok $? "node kinds recorded"
"$dump" "$tap_tmp/m.h5" | grep -q '^/moments/mean \[4,4\]'; tap_ok $? "mean is [n, K]"
printf '1 cat\n2 cont # the rest spin\n' > "$tap_tmp/kinds.txt"
tap_run_rc 0 "mixed graph from a node-kind file" "$TSUKIT" sample --cells-kind mixed \
  --node-kinds "$tap_tmp/kinds.txt" --graph "$tap_tmp/mix.txt" \
  --chains 16 --sweeps 40 -o "$tap_tmp/m2.h5"
[ "$(row "$tap_tmp/m2.h5" /graph/node_kind)" = "0 1 2 0" ]; tap_ok $? "file kinds, unlisted nodes spin"
tap_done
