# bad_input_lib.sh -- helpers of the bad-input corpus (tests/bad_input_*.sh;
# sourced after tests/tap.sh).
#
# bad RC PATTERN WHAT CMD...: CMD, under a 60 s timeout, must
#   - exit with RC (1 failure or 2 usage): never a signal (>= 128) or a
#     hang (124 from timeout);
#   - print a line on stderr that contains PATTERN (a fixed string: the
#     offending option, file, element or limit), and that line must be an
#     error line ("tsukit CMD: ..." or "tsukit: ...");
#   - leave no output file behind: neither $bad_out nor $bad_out.partial
#     (the -o path the cases use), and an existing $bad_keep unchanged.
# Three TAP lines per case.
bad_out="$tap_tmp/bad-out.h5"
bad_keep=
bad() {
  want=$1; pat=$2; what=$3; shift 3
  rm -f "$bad_out" "$bad_out.partial"
  sum0=; [ -n "$bad_keep" ] && sum0=$(cksum < "$bad_keep")
  timeout 60 "$@" >"$tap_tmp/bad.stdout" 2>"$tap_tmp/bad.stderr"; got=$?
  [ "$got" -eq "$want" ]; tap_ok $? "$what: exit $got (want $want)"
  [ "$got" -eq "$want" ] || { [ "$got" -ge 124 ] && tap_note "$what: CRASH OR HANG (exit $got)"; sed 's/^/# stderr: /' "$tap_tmp/bad.stderr" | head -n 5; }
  line=$(grep -F -e "$pat" "$tap_tmp/bad.stderr" | head -n 1)
  case "$line" in "tsukit "*|"tsukit: "*) r=0 ;; *) r=1 ;; esac
  tap_ok $r "$what: one line names '$pat' (${line:-$(tail -n 1 "$tap_tmp/bad.stderr")})"
  r=0
  { [ -e "$bad_out" ] || [ -e "$bad_out.partial" ]; } && r=1
  [ -n "$bad_keep" ] && [ "$(cksum < "$bad_keep")" != "$sum0" ] && r=1
  tap_ok $r "$what: no output file left${bad_keep:+, $(basename "$bad_keep") unchanged}"
}
# flip SRC DST SEED N: DST is SRC with N seeded random bits flipped
flip() {
  cp "$1" "$2"
  size=$(wc -c < "$1")
  awk -v s="$3" -v n="$4" -v z="$size" 'BEGIN { srand(s); for (k = 0; k < n; k++) print int(rand() * z), int(rand() * 8) }' |
  while read -r off bit; do
    byte=$(od -An -tu1 -j "$off" -N 1 "$2" | tr -d ' ')
    printf "\\$(printf %03o $((byte ^ (1 << bit))))" | dd of="$2" bs=1 seek="$off" conv=notrunc 2>/dev/null
  done
}
