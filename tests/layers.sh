#!/bin/sh
# layers.sh -- the layer rule of docs/ARCHITECTURE.md, checked on the
# sources: bottom first common, physics, circuits, tsu, io, calibrate,
# run, experiments, api, cli; a file includes only headers of its own
# layer or of layers below it, never a .c file, and a private header
# (*_impl.h) only from its own folder.  One check per layer, naming every
# offending line.
. "$TSUKIT_SRCDIR/tests/tap.sh"
cd "$TSUKIT_SRCDIR" || exit 1
layers="common physics circuits tsu io calibrate run experiments api cli"
rank() { # rank LAYER: its position in $layers, 0 when it is not a layer
  r=0; k=0
  for x in $layers; do k=$((k + 1)); [ "$x" = "$1" ] && r=$k; done
  echo $r
}
scan() { # scan ROOT LAYER: print every offending include under ROOT/LAYER
  me=$(rank "$2")
  find "$1/$2" -name '*.[ch]' | sort | while read -r f; do
    grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
    while IFS= read -r line; do
      inc=$(echo "$line" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
      top=${inc%%/*}
      case $inc in
      *.c) echo "$f:$line (a .c file)" ;;
      esac
      [ "$top" = "$inc" ] && continue # config.h, a file beside it
      r=$(rank "$top")
      [ "$r" -eq 0 ] && continue
      [ "$r" -gt "$me" ] && echo "$f:$line (layer $top is above $2)"
      case $inc in
      *_impl.h) [ "$1/${inc%/*}" = "${f%/*}" ] ||
                  echo "$f:$line (private header of another folder)" ;;
      esac
    done
  done
}
for l in $layers; do
  [ -d "$l" ]; tap_ok $? "layer $l: folder exists"
  n=$(find "$l" -name '*.[ch]' | wc -l)
  scan . "$l" >"$tap_tmp/bad"
  [ ! -s "$tap_tmp/bad" ]
  tap_ok $? "layer $l ($n files): includes only its own layer and those below"
  sed 's/^/# /' "$tap_tmp/bad"
done
# the scan is live: planted offences are each caught
mkdir -p "$tap_tmp/t/physics"
printf '#include "physics/phys_const.h"\n' >"$tap_tmp/t/physics/ok.c"
scan "$tap_tmp/t" physics >"$tap_tmp/bad"
[ ! -s "$tap_tmp/bad" ]; tap_ok $? "planted: an include of its own layer passes"
for inc in cli/cmd.h tsu/tsu_fast_impl.h physics/phys_cell.c; do
  printf '#include "%s"\n' "$inc" >"$tap_tmp/t/physics/x.c"
  scan "$tap_tmp/t" physics >"$tap_tmp/bad"
  [ -s "$tap_tmp/bad" ]; tap_ok $? "planted: #include \"$inc\" in physics/ is caught"
done
tap_done
