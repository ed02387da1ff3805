#!/usr/bin/env bash
# An option getopt refuses (a value missing, an unknown name, an unknown
# letter) is said once, by what it is, with the program's prefix, then the
# hint, exit 2: "ccn: areas: option '--format' requires an argument". The
# old build printed getopt's line without "ccn: " and then its own
# "ccn: areas: unknown option" under it, which was wrong for a missing value.
source "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES LANG
for c in init import check areas overlay parcels lookup lease occupancy export map publish report \
    qgis grant copy; do
    run "$CCN" "$c" --bogus-option
    expect_rc 2
    expect_eq "$err" "ccn: $c: unrecognized option '--bogus-option'
Try 'ccn $c --help'." "$c --bogus-option"
done
for c in check areas overlay parcels lookup occupancy; do
    run "$CCN" "$c" "$TMP/ws.sqlite" --format
    expect_rc 2
    expect_eq "$err" "ccn: $c: option '--format' requires an argument
Try 'ccn $c --help'." "$c --format without its value"
done
run "$CCN" occupancy "$TMP/ws.sqlite" --as-of
expect_eq "$err" "ccn: occupancy: option '--as-of' requires an argument
Try 'ccn occupancy --help'."
run "$CCN" lease "$TMP/ws.sqlite" list -Z
expect_rc 2
expect_eq "$err" "ccn: lease: invalid option -- 'Z'
Try 'ccn lease --help'."
# An option ccn refuses itself keeps its own words.
run "$CCN" publish "$TMP/ws.sqlite" "$TMP/out" --no-pdf
expect_rc 2
expect_eq "$err" "ccn: publish: unknown option '--no-pdf'
Try 'ccn publish --help'."
# Vietnamese: glibc's words (translated where its catalogue is installed), ccn's hint.
LANGUAGE=vi run "$CCN" areas "$TMP/ws.sqlite" --format
expect_rc 2
grep -q "^ccn: areas: .*--format" <<<"$err" && ok || bad "Vietnamese: no 'ccn: areas:' prefix"
expect_err "Xem 'ccn areas --help'."
[ "$(wc -l <<<"$err")" = 2 ] && ok || bad "Vietnamese: more than two lines"
finish
