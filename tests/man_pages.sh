# man_pages.sh -- the man pages (man/local.mk, made by man/mkman.sh from
# the built program) against the program itself: every command of
# `tsukit help` but help and version has its page tsukit-COMMAND.1 and no
# page is left without a command; each page is what mkman.sh makes from
# today's program (none stale); every option (--name) in a command's
# --help, and its subcommands' (bench, dtm), appears in its page; groff
# reads every page without a warning.
. "$TSUKIT_SRCDIR/tests/tap.sh"
: "${TSUKIT_BUILDDIR:?}"
man=$TSUKIT_BUILDDIR/man
mk="$SHELL $TSUKIT_SRCDIR/man/mkman.sh"
unroff() { sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\&//g' "$1"; }
opts() { grep -o -- '--[a-z][a-z0-9-]*' | sort -u; }

cmds=$("$TSUKIT" help | awk '/^  [a-z]/ {print $1}' | grep -v '^help$\|^version$')
[ -n "$cmds" ]; tap_ok $? "tsukit help lists commands"
$mk "$TSUKIT" >"$tap_tmp/tsukit.1" && cmp -s "$tap_tmp/tsukit.1" "$man/tsukit.1"
tap_ok $? "tsukit.1 is up to date with tsukit help"
for c in $cmds; do
  page=$man/tsukit-$c.1
  [ -f "$page" ]; tap_ok $? "tsukit-$c.1 exists (listed in man/local.mk)"
  [ -f "$page" ] || continue
  $mk "$TSUKIT" "$c" >"$tap_tmp/p.1" && cmp -s "$tap_tmp/p.1" "$page"
  tap_ok $? "tsukit-$c.1 is up to date with tsukit $c --help"
  { "$TSUKIT" "$c" --help
    case $c in
    bench) for s in gibbs dtm; do "$TSUKIT" bench $s --help; done ;;
    dtm) for s in train sample eval; do "$TSUKIT" dtm $s --help; done ;;
    esac; } | opts >"$tap_tmp/want"
  unroff "$page" | opts >"$tap_tmp/have"
  lost=$(comm -23 "$tap_tmp/want" "$tap_tmp/have" | tr '\n' ' ')
  [ -s "$tap_tmp/want" ] || [ "$c" = cells ] || [ "$c" = plot ] || lost="(no options found)"
  [ -z "$lost" ]; tap_ok $? "tsukit-$c.1 has every option of its help ($(wc -l <"$tap_tmp/want"))"
  [ -z "$lost" ] || tap_note "missing: $lost"
done
for page in "$man"/tsukit-*.1; do
  c=${page##*/tsukit-}; c=${c%.1}
  printf '%s\n' $cmds | grep -qx "$c"; tap_ok $? "tsukit-$c.1 belongs to a command of tsukit help"
done
if command -v groff >/dev/null; then
  for page in "$man"/tsukit*.1; do
    w=$(groff -man -ww -z "$page" 2>&1)
    [ -z "$w" ]; tap_ok $? "groff reads ${page##*/} without warnings"
    [ -z "$w" ] || tap_note "$w"
  done
else
  tap_note "groff not installed: pages not rendered"
fi
tap_done
