#!/bin/sh
# cat4_acceptance.sh -- the slow acceptance run of issue 4 for the
# categorical cell (not part of `make check`: ~18 min of CPU):
# calibrate cat4 on 20 random control vectors (40 us each), then draw three
# random targets (uniform on the simplex, every q_k >= 0.05), invert the
# fitted model for their controls and simulate each for 100 us; prints
# verify_tv= (total variation per target; the acceptance is <= 0.03) and
# the measurement's own noise floor on stderr.  Measured (seed 1):
# verify_tv=0.0178,0.0226,0.0135 (docs/FINDINGS.md).
# usage: tests/cat4_acceptance.sh [TSUKIT] [OUT.h5] [SEED]
set -e
TSUKIT=${1:-./tsukit}
OUT=${2:-cat4_acceptance.h5}
SEED=${3:-1}
"$TSUKIT" calibrate --cell cat4 --vdd 0.7 --vbias 0.6 \
  --vctl 0.3305:0.3345:2 --design random:20 --temp 300 --time 40e-6 \
  --workers "${WORKERS:-2}" --seed "$SEED" --force \
  --verify 3 --verify-time 100e-6 -o "$OUT"
