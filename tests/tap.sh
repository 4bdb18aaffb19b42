# tap.sh -- TAP helpers for the shell tests (sourced).
# Each check prints "ok N - what" / "not ok N - what"; tap_done prints
# the plan and sets the exit status.
tap_n=0
tap_failed=0
tap_ok() { # tap_ok CONDITION-STATUS WHAT
  tap_n=$((tap_n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"
  else echo "not ok $tap_n - $2"; tap_failed=$((tap_failed + 1)); fi
}
tap_note() { printf '# %s\n' "$*"; }
# tap_run_rc EXPECTED-RC WHAT CMD...: run CMD, check its exit status.
tap_run_rc() {
  want=$1; what=$2; shift 2
  "$@" >"$tap_tmp/out" 2>"$tap_tmp/err"; got=$?
  [ "$got" -eq "$want" ]; tap_ok $? "$what (exit $got, want $want)"
  [ "$got" -eq "$want" ] || { sed 's/^/# stdout: /' "$tap_tmp/out"; sed 's/^/# stderr: /' "$tap_tmp/err"; }
}
# kv KEY FILE: the value of key=value in a summary line.
kv() { tr ' ' '\n' < "$2" | sed -n "s/^$1=//p" | head -n 1; }
# fcmp 'EXPR' -- awk float comparison, exit 0 when true.
fcmp() { awk "BEGIN { exit !($1) }"; }
tap_done() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
tap_tmp=$(mktemp -d "${TMPDIR:-/tmp}/tsukit-test.XXXXXX")
trap 'rm -rf "$tap_tmp"' EXIT
: "${TSUKIT:?TSUKIT must point at the tsukit binary}"
