#!/bin/bash
# cli_outdir_kept — `ccn report` and `ccn publish` replace their folder whole
# on a re-run, and only while it holds just what ccn wrote there: a file a
# person put in it (a signed scan, notes) or a file of ccn's changed since
# (bao_cao.docx edited before signing) stops the run, named, exit 2, the
# folder as it was. The build before replaced the folder and deleted them
# (exit 0) whenever its marker was there.
source "$(dirname "$0")/lib.sh"
skip_on_pg "output folders, whatever the workspace"
D=$DATA/lease
ws=$(new_ws)
"$CCN" import "$ws" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$ws" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
"$CCN" lease "$ws" import "$D/leases.csv" >/dev/null || exit 3
# every entry of a folder with its bytes' hash, markers left out
tree() { (cd "$1" && find . -path ./.ccn-output -prune -o -print0 | sort -z |
    xargs -0 -I{} sh -c 'if [ -f "{}" ]; then echo "{} $(sha256sum <"{}" | cut -c1-16)"; else echo "{}"; fi'); }
R=$TMP/rep
run "$CCN" report "$ws" "$R" --no-pdf -q
expect_rc 0
run "$CCN" report "$ws" "$R" --no-pdf -q
expect_rc 0
expect_eq "$(grep -c '^F ' "$R/.ccn-output")" "$(find "$R" -type f ! -name .ccn-output | wc -l)" \
    "(the marker lists every file written)"

# a person's own files in it: a note, a folder of scans
echo "ghi chú của tôi" >"$R/ghi_chu.txt"
mkdir "$R/scan"
echo "%PDF signed" >"$R/scan/bao_cao_da_ky.pdf"
before=$(tree "$R")
run "$CCN" report "$ws" "$R" --no-pdf -q
expect_rc 2
expect_err "'$R' holds what ccn did not write there: "
expect_err "ghi_chu.txt"
expect_err "scan/"
! grep -q "bao_cao_da_ky" <<<"$err" && ok || bad "a folder's files named one by one"
expect_eq "$(tree "$R")" "$before" "(the folder after the refused report)"
expect_eq "$(ls -A "$TMP" | grep -c ccn-tmp)" "0" "(temporary folders left)"
rm -r "$R/ghi_chu.txt" "$R/scan"

# bao_cao.docx edited (Word saves it again): refused, named as changed
printf 'edited' >>"$R/bao_cao.docx"
before=$(tree "$R")
run "$CCN" report "$ws" "$R" --no-pdf -q
expect_rc 2
expect_err "'$R' holds files changed since ccn wrote them: bao_cao.docx; move them out"
expect_eq "$(tree "$R")" "$before" "(the folder after the refused report)"
# a file of ccn's with the same bytes, another time (a copy without -p): ours
truncate -s -6 "$R/bao_cao.docx"
touch -d 2001-01-01 "$R/areas.csv"
run "$CCN" report "$ws" "$R" --no-pdf -q
expect_rc 0

# the same for publish's folder
W=$TMP/web
run "$CCN" publish "$ws" "$W"
expect_rc 0
echo "<p>trang riêng</p>" >"$W/rieng.html"
run "$CCN" publish "$ws" "$W"
expect_rc 2
expect_err "rieng.html"
expect_eq "$(cat "$W/rieng.html")" "<p>trang riêng</p>"
LANGUAGE=vi run "$CCN" publish "$ws" "$W"
expect_err "'$W' chứa những gì ccn không ghi vào đó: rieng.html; hãy chuyển chúng ra"
rm "$W/rieng.html"

# A folder written by an older ccn (its marker lists nothing): it may hold
# only names the new folder has too.
printf 'written by ccn report; replaced whole on the next run\n' >"$R/.ccn-output"
echo "mine" >"$R/mine.txt"
run "$CCN" report "$ws" "$R" --no-pdf -q
expect_rc 2
expect_err "mine.txt"
expect_eq "$(cat "$R/mine.txt")" "mine"
rm "$R/mine.txt"
run "$CCN" report "$ws" "$R" --no-pdf -q
expect_rc 0
grep -q '^F [0-9]* [0-9a-f]\{64\} areas.csv$' "$R/.ccn-output" && ok || bad "the marker after: $(head -3 "$R/.ccn-output")"
finish
