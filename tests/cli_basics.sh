# cli_basics.sh -- the command dispatcher: help, usage errors, exit codes.
. "$TSUKIT_SRCDIR/tests/tap.sh"

tap_run_rc 0 "tsukit help" "$TSUKIT" help
grep -q "commands:" "$tap_tmp/out"; tap_ok $? "help lists the commands"
tap_run_rc 2 "no command is a usage error" "$TSUKIT"
tap_run_rc 2 "unknown command is a usage error" "$TSUKIT" frobnicate
grep -q "unknown command 'frobnicate'" "$tap_tmp/err"; tap_ok $? "the error names the command"
tap_run_rc 0 "tsukit version" "$TSUKIT" version
grep -q '^version=' "$tap_tmp/out"; tap_ok $? "version prints a key=value line"
for c in $("$TSUKIT" help | awk '/^  [a-z]/ {print $1}'); do
  [ "$c" = help ] || [ "$c" = version ] && continue
  tap_run_rc 0 "tsukit $c --help" "$TSUKIT" "$c" --help
  grep -qi "usage" "$tap_tmp/out"; tap_ok $? "tsukit $c --help prints its usage"
  tap_run_rc 2 "tsukit $c --no-such-option is a usage error" "$TSUKIT" "$c" --no-such-option
done
tap_done
