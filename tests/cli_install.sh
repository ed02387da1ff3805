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
# ... and every option a command's usage lines name (the build before lacked
# occupancy's --from, --to and --cluster, report's --no-pdf, map's --scale).
for c in $("$CCN" --help | awk '/^Commands:/ { on = 1; next } on && !NF { exit } on { print $1 }'); do
    for o in $("$CCN" "$c" --help | awk '!NF { exit } { print }' | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        grep -q -- "$o" <<<"$page" && ok || bad "man page lacks $c $o"
    done
done
# Its EXAMPLES run verbatim, in order, on a copy of the sample layers (the
# build before never imported the lots, so 'lease import' failed); check
# exits 1 on the sample's deliberate defects.
cp -r "$ROOT/layers" "$TMP/man_examples"
sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$ROOT/docs/ccn.1" | sed -n '/^\.nf/,/^\.fi/p' | sed '1d;$d' |
    sed 's/\\-/-/g' >"$TMP/examples.txt"
expect_eq "$(grep -c '^ccn ' "$TMP/examples.txt")" "$(grep -vc '^cd ' "$TMP/examples.txt")" "(every example line but cd runs ccn)"
grep -q "^ccn import ccn.sqlite lots.gpkg --as lots" "$TMP/examples.txt" && ok || bad "the examples import no lots"
(
    cd "$TMP" || exit 3
    while read -r line; do
        # shellcheck disable=SC2086 # the example's words are the arguments
        case "$line" in
        "cd layers") cd man_examples || exit 3 ;;
        ccn\ *) read -r -a words <<<"$line"
            env -u CCN_DISTRICT "$prefix/bin/ccn" "${words[@]:1}" >/dev/null 2>"$TMP/example.err"
            rc=$?
            if [ "$rc" -gt 1 ] || { [ "$rc" = 1 ] && [[ "$line" != "ccn check "* ]]; }; then
                echo "example '$line': exit $rc: $(head -3 "$TMP/example.err")"
            fi ;;
        *) echo "example '$line': not a command" ;;
        esac
    done <"$TMP/examples.txt"
) >"$TMP/examples.out"
expect_eq "$(cat "$TMP/examples.out")" "" "(the manual's examples run as a sequence)"
[ -s "$TMP/man_examples/out/bao_cao.docx" ] && [ -s "$TMP/man_examples/ht.pdf" ] &&
    [ -s "$TMP/man_examples/findings.geojson" ] && ok || bad "the examples' outputs"
# The --help texts: no printf escape left in one printed as it is (copy's
# said %%3D), every option in the usage lines (import's --encoding auto,
# report's --no-pdf), and -q accepted by every command (init refused it).
for c in $("$CCN" --help | awk '/^Commands:/ { on = 1; next } on && !NF { exit } on { print $1 }'); do
    "$CCN" "$c" --help | grep -q '%%' && bad "$c --help prints %%" || ok
done
"$CCN" import --help | awk '!NF { exit } { print }' | grep -q -- "--encoding UTF-8|TCVN3|VNI|CP1258|auto" && ok || bad "import usage lacks --encoding auto"
"$CCN" report --help | awk '!NF { exit } { print }' | grep -q -- "--no-pdf" && ok || bad "report usage lacks --no-pdf"
run "$prefix/bin/ccn" init "$TMP/quiet.sqlite" -q
expect_rc 0
run "$CCN" grant "$TMP/quiet.sqlite" viewer nobody -q
expect_rc 2; expect_err "is a SQLite file: who may read or change it"
# Bash completion: the commands after "ccn ", the roles after --as.
run bash -c "source '$prefix/share/bash-completion/completions/ccn'
    COMP_WORDS=(ccn i); COMP_CWORD=1; COMP_LINE='ccn i'; COMP_POINT=5; _ccn; echo \${COMPREPLY[*]}
    COMP_WORDS=(ccn import ws f --as p); COMP_CWORD=5; COMP_LINE='ccn import ws f --as p'; COMP_POINT=23; _ccn; echo \${COMPREPLY[*]}"
expect_out "import init"
expect_out "parcels plan"
finish
