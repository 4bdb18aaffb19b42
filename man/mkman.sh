#!/bin/sh
# mkman.sh -- a man page from tsukit's own help text, on stdout.
#
#   mkman.sh TSUKIT             tsukit(1): `tsukit help`, the common
#                               conventions, the list of pages
#   mkman.sh TSUKIT COMMAND     tsukit-COMMAND(1): `tsukit COMMAND --help`,
#                               and each subcommand's --help for the
#                               commands that have subcommands (bench, dtm)
#
# TSUKIT is the built program.  The help text is kept as written (it is
# laid out for an 80-column terminal), in no-fill blocks: SYNOPSIS is its
# usage block, DESCRIPTION the text up to the first option line, OPTIONS
# the rest.  Run by `make` (man/local.mk); tests/man_pages.sh checks the
# pages against the program.
set -eu
prog=$1
cmd=${2:-}
version=$("$prog" version | sed -n 's/^version=\([^ ]*\).*/\1/p')

# roff escapes: backslash, minus (so options copy and paste), and a
# leading dot or quote that would read as a request.
esc() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

# one help text -> SYNOPSIS / DESCRIPTION / OPTIONS blocks; $2 is the
# section heading level (SH for the page, SS for a subcommand)
emit() {
  text=$1 lvl=$2 title=${3:-}
  usage=$(printf '%s\n' "$text" | sed '/^$/,$d')
  rest=$(printf '%s\n' "$text" | sed '1,/^$/d')
  desc=$(printf '%s\n' "$rest" | sed '/^ *-/,$d')
  opts=$(printf '%s\n' "$rest" | sed -n '/^ *-/,$p')
  if [ "$lvl" = SH ]; then echo ".SH SYNOPSIS"; else echo ".SS $title"; fi
  printf '.nf\n%s\n.fi\n' "$(printf '%s\n' "$usage" | sed -e 's/^usage: //' -e '2,$s/^       //' | esc)"
  if [ -n "$(printf '%s' "$desc" | tr -d ' \n')" ]; then
    [ "$lvl" = SH ] && echo ".SH DESCRIPTION" || echo ".PP"
    printf '.nf\n%s\n.fi\n' "$(printf '%s\n' "$desc" | esc)"
  fi
  if [ -n "$opts" ]; then
    [ "$lvl" = SH ] && echo ".SH OPTIONS" || echo ".PP"
    printf '.nf\n%s\n.fi\n' "$(printf '%s\n' "$opts" | esc)"
  fi
}

# subcommands with their own --help
subcommands() {
  case $1 in
  bench) echo "gibbs dtm cells" ;;
  dtm) echo "train sample eval" ;;
  esac
}

common_env() {
  cat <<'ROFF'
.SH ENVIRONMENT
.TP
.B TSUKIT_PROGRESS
\fBalways\fR or \fBnever\fR: progress output on stderr regardless of
whether stderr is a terminal (default: only on a terminal).
.SH EXIT STATUS
0 success, 1 failure, 2 usage error.
ROFF
}

if [ -z "$cmd" ]; then
  help=$("$prog" help)
  cat <<ROFF
.TH TSUKIT 1 "" "tsukit $version" "tsukit manual"
.SH NAME
tsukit \\- noise physics to thermodynamic sampling units
.SH SYNOPSIS
.B tsukit
.I command
.RI [ options ]
.SH DESCRIPTION
A toolkit for probabilistic hardware: EKV device physics, ngspice
simulations of sampling cells with device noise, calibrated HDF5 cell
libraries, a chip Gibbs simulator and a Denoising Thermodynamic Model.
Every command prints one summary line of key=value pairs on stdout,
progress on stderr, and writes bulk results to HDF5 files with
provenance attributes.
.SH COMMANDS
ROFF
  printf '.nf\n%s\n.fi\n' "$(printf '%s\n' "$help" | esc)"
  common_env
  echo ".SH SEE ALSO"
  first=1
  for c in $(printf '%s\n' "$help" | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'); do
    case $c in help|version) continue ;; esac
    [ $first = 1 ] || printf ',\n'
    printf '.BR tsukit\\-%s (1)' "$c"; first=0
  done
  printf '\n'
  exit 0
fi

summary=$("$prog" help | sed -n "s/^  $cmd  *//p")
[ -n "$summary" ] || { echo "mkman.sh: '$cmd' is not in 'tsukit help'" >&2; exit 1; }
up=$(printf '%s' "$cmd" | tr a-z A-Z)
printf '.TH TSUKIT\\-%s 1 "" "tsukit %s" "tsukit manual"\n' "$up" "$version"
printf '.SH NAME\ntsukit\\-%s \\- %s\n' "$cmd" "$(printf '%s\n' "$summary" | esc)"
main=$("$prog" "$cmd" --help)
subs=$(subcommands "$cmd")
first_sub_help=
[ -n "$subs" ] && first_sub_help=$("$prog" "$cmd" ${subs%% *} --help)
if [ -n "$subs" ] && [ "$main" = "$first_sub_help" ]; then
  # `tsukit bench --help` is the first subcommand's help: synopsis only
  echo ".SH SYNOPSIS"
  echo ".nf"
  for s in $subs; do echo "tsukit $cmd $s [options]" | esc; done
  echo ".fi"
else
  emit "$main" SH
fi
if [ -n "$subs" ]; then
  echo ".SH SUBCOMMANDS"
  for s in $subs; do
    emit "$("$prog" "$cmd" "$s" --help)" SS "$cmd $s"
  done
fi
common_env
echo ".SH SEE ALSO"
echo ".BR tsukit (1)"
