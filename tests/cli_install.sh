#!/usr/bin/env bash
# ccn installed like a GIS tool: `cmake --install` lays out bin/, the district
# data in share/ccn/gis, the manual page and bash completion; the installed
# program finds its district from any folder, CCN_DISTRICT and --district
# override it, and with none of them it says where it looked.
source "$(dirname "$0")/lib.sh"
build=$(cd "$(dirname "$CCN")" && pwd)
prefix=$TMP/prefix
run cmake --install "$build" --prefix "$prefix"
expect_rc 0
for f in bin/ccn share/ccn/gis/clusters.csv share/ccn/gis/landuse.csv share/man/man1/ccn.1 \
    share/bash-completion/completions/ccn share/doc/ccn/design.md; do
    [ -e "$prefix/$f" ] && ok || bad "not installed: $f"
done
# Every file of gis/ is installed, byte for byte.
for f in "$ROOT"/gis/*; do
    cmp -s "$f" "$prefix/share/ccn/gis/$(basename "$f")" && ok || bad "share/ccn/gis/$(basename "$f") differs"
done

# From a folder with no gis/ in it: the installed district (6 clusters in gis/clusters.csv).
mkdir -p "$TMP/elsewhere" && cd "$TMP/elsewhere"
run env -u CCN_DISTRICT "$prefix/bin/ccn" init ws.sqlite
expect_rc 0
expect_out "6 clusters"
expect_eq "$(sqlite3 ws.sqlite "SELECT value FROM ccn_meta WHERE key = 'district'")" \
    "$(cd "$prefix/share/ccn/gis" && pwd -P)"
# CCN_DISTRICT names another district (a copy with one cluster).
mkdir -p "$TMP/other" && head -2 "$ROOT/gis/clusters.csv" >"$TMP/other/clusters.csv"
run env CCN_DISTRICT="$TMP/other" "$prefix/bin/ccn" init ws2.sqlite
expect_rc 0
expect_out "1 clusters"
# --district wins over the environment.
run env CCN_DISTRICT="$TMP/other" "$prefix/bin/ccn" init ws3.sqlite --district "$ROOT/gis"
expect_out "6 clusters"
# A copy of the program with no share/ beside it: told where it looked.
cp "$prefix/bin/ccn" "$TMP/elsewhere/ccn"
run env -u CCN_DISTRICT "$TMP/elsewhere/ccn" init ws4.sqlite
expect_rc 2
expect_err "no district data found"
expect_err "CCN_DISTRICT"
[ ! -e ws4.sqlite ] && ok || bad "a refused init left a file behind"
cd "$ROOT"

# The manual page renders without a warning and names every command of --help.
if command -v groff >/dev/null; then
    run groff -k -man -Tutf8 -ww -z "$prefix/share/man/man1/ccn.1"
    expect_eq "$err" "" "groff warnings"
fi
page=$(MANWIDTH=200 man -l "$prefix/share/man/man1/ccn.1" 2>/dev/null || groff -man -Tutf8 -P-cbou "$prefix/share/man/man1/ccn.1")
for c in $("$CCN" --help | awk '/^Commands:/ { on = 1; next } on && !NF { exit } on { print $1 }'); do
    grep -q "^ *$c " <<<"$page" && ok || bad "man page lacks the command $c"
done
# Bash completion: the commands after "ccn ", the roles after --as.
run bash -c "source '$prefix/share/bash-completion/completions/ccn'
    COMP_WORDS=(ccn i); COMP_CWORD=1; COMP_LINE='ccn i'; COMP_POINT=5; _ccn; echo \${COMPREPLY[*]}
    COMP_WORDS=(ccn import ws f --as p); COMP_CWORD=5; COMP_LINE='ccn import ws f --as p'; COMP_POINT=23; _ccn; echo \${COMPREPLY[*]}"
expect_out "import init"
expect_out "parcels plan"
finish
