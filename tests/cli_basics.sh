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
# The option layer (cli/cmd_opt.c), through a command that uses it.
tap_run_rc 2 "a repeated option is a usage error" "$TSUKIT" experiment double-well --seed 1 --seed 2
grep -q -- "--seed given twice" "$tap_tmp/err"; tap_ok $? "the error names the repeated option"
tap_run_rc 2 "a missing value is a usage error" "$TSUKIT" experiment double-well --workers
grep -q -- "--workers needs a value" "$tap_tmp/err"; tap_ok $? "the error names the option without a value"
tap_run_rc 2 "a value outside the range is a usage error" "$TSUKIT" experiment double-well --workers=65
grep -q -- "--workers: 65 is outside the valid range \[1, 64\]" "$tap_tmp/err"; tap_ok $? "the error states the valid range"
tap_run_rc 2 "NaN is refused" "$TSUKIT" experiment double-well --workers nan
tap_run_rc 2 "a flag with a value is a usage error" "$TSUKIT" experiment double-well --quick=1
tap_run_rc 2 "an extra argument is a usage error" "$TSUKIT" experiment plot a b
tap_done
