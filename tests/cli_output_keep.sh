#!/usr/bin/env bash
# -o into a file that exists: the report replaces it (through a temporary
# name, renamed in), keeping the old file's permissions and owner, as an edit
# in place would — a report kept private (0600) stays private, not 0644 by
# the umask; a file its owner made read-only (0444) is not written over by
# an ordinary user (`>` and cp refuse it too), exit 2, the file as it was.
source "$(dirname "$0")/lib.sh"
skip_on_pg "about files written with -o, the same whatever the back end"
ws=$(new_ws)
d=$DATA/export
"$CCN" import "$ws" "$d/clusters.geojson" --as clusters -q >/dev/null || exit 3

# A private report replaced stays private.
echo old >"$TMP/private.csv"
chmod 600 "$TMP/private.csv"
run "$CCN" areas "$ws" -o "$TMP/private.csv" -q
expect_rc 0
expect_eq "$(stat -c %a "$TMP/private.csv")" 600 "mode of the replaced private.csv"
expect_eq "$(head -1 "$TMP/private.csv")" "code,name,status,planned_ha,area_m2,area_ha,ellipsoidal_m2,deviation_pct"
# So does a map, a JSON report and a group-writable one.
chmod 660 "$TMP/private.csv"
run "$CCN" areas "$ws" -o "$TMP/private.csv" --format json -q
expect_rc 0
expect_eq "$(stat -c %a "$TMP/private.csv")" 660 "mode of the replaced group-writable file"
# An exported layer too, a shapefile's files each (written by GDAL in a
# temporary folder, moved in one by one).
echo old >"$TMP/lots.geojson"
echo old >"$TMP/lots.shp"
chmod 600 "$TMP/lots.geojson" "$TMP/lots.shp"
"$CCN" import "$ws" "$d/lots.geojson" --as lots -q >/dev/null || exit 3
run "$CCN" export "$ws" "$TMP/lots.geojson" --layer lots
expect_rc 0
expect_eq "$(stat -c %a "$TMP/lots.geojson")" 600 "mode of the replaced lots.geojson"
run "$CCN" export "$ws" "$TMP/lots.shp" --layer lots
expect_rc 0
expect_eq "$(stat -c %a "$TMP/lots.shp") $(stat -c %a "$TMP/lots.dbf")" "600 644" \
    "modes of the replaced lots.shp and the new lots.dbf"
# A file made new gets the umask's mode, as before.
(umask 022 && "$CCN" areas "$ws" -o "$TMP/new.csv" -q 2>/dev/null)
expect_eq "$(stat -c %a "$TMP/new.csv")" 644 "mode of a new file"

# A report (CSV, JSON, a text table) is never written over binary data: a
# slip of -o lots.shp for lots.csv replaced the surveyor's shapes with CSV in
# the old build. An old report is replaced as ever; a map over an image too.
"$CCN" import "$ws" "$d/plan.geojson" --as plan -q >/dev/null || exit 3
"$CCN" export "$ws" "$TMP/shapes.shp" --layer lots -q >/dev/null 2>&1 || bad "export shapes.shp"
want=$(md5sum <"$TMP/shapes.shp")
for c in "areas --by cluster" "check --wide" "overlay --by cluster" "occupancy --by lot" "lease list"; do
    # shellcheck disable=SC2086 # the command's words
    run "$CCN" ${c%% *} "$ws" ${c#* } -o "$TMP/shapes.shp" -q
    expect_rc 2
    expect_err "'$TMP/shapes.shp' holds binary data (a shapefile, an image, a spreadsheet?), which no report is: ccn does not write a report over it; name another file"
    expect_eq "$(md5sum <"$TMP/shapes.shp")" "$want" "shapes.shp after: $c -o"
done
LANGUAGE=vi run "$CCN" areas "$ws" -o "$TMP/shapes.shp" -q
expect_err "chứa dữ liệu nhị phân"
run "$CCN" areas "$ws" -o "$TMP/private.csv" -q
expect_rc 0
run "$CCN" map "$ws" --cluster HT -o "$TMP/ht.png"
run "$CCN" map "$ws" --cluster HT -o "$TMP/ht.png"
expect_rc 0

# As an ordinary user, a read-only file is refused (root may write anywhere,
# as with `>`): run as nobody where the test runs as root.
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null && runuser -u nobody -- test -x "$CCN"; then
    mkdir -m 777 "$TMP/shared"
    cp "$ws" "$TMP/shared/ws.sqlite" && chmod 644 "$TMP/shared/ws.sqlite"
    echo precious >"$TMP/shared/kept.csv"
    chmod 444 "$TMP/shared/kept.csv"
    chown nobody "$TMP/shared/kept.csv"
    chmod 755 "$TMP"
    run runuser -u nobody -- "$CCN" areas "$TMP/shared/ws.sqlite" -o "$TMP/shared/kept.csv" -q
    expect_rc 2
    expect_err "kept.csv': the file is read-only (make it writable, or name another file)"
    expect_eq "$(cat "$TMP/shared/kept.csv")" precious "content of the read-only file"
    echo precious >"$TMP/shared/kept.shp"
    chmod 444 "$TMP/shared/kept.shp"
    run runuser -u nobody -- "$CCN" export "$TMP/shared/ws.sqlite" "$TMP/shared/kept.shp" \
        --layer clusters -q
    expect_rc 2
    expect_err "kept.shp': the file is read-only"
    expect_eq "$(cat "$TMP/shared/kept.shp")" precious "content of the read-only shapefile"
    LANGUAGE=vi run runuser -u nobody -- "$CCN" areas "$TMP/shared/ws.sqlite" \
        -o "$TMP/shared/kept.csv" -q
    expect_err "tệp chỉ đọc"
    # Made writable again, it is replaced, keeping its mode and owner.
    chmod 664 "$TMP/shared/kept.csv"
    run runuser -u nobody -- "$CCN" areas "$TMP/shared/ws.sqlite" -o "$TMP/shared/kept.csv" -q
    expect_rc 0
    expect_eq "$(stat -c %a:%U "$TMP/shared/kept.csv")" 664:nobody "mode and owner"
    # Root replacing another user's file gives it back to that user.
    run "$CCN" areas "$ws" -o "$TMP/shared/kept.csv" -q
    expect_rc 0
    expect_eq "$(stat -c %a:%U "$TMP/shared/kept.csv")" 664:nobody "owner after root's run"
else
    echo "read-only refusal not tested: needs root and runuser to act as nobody"
fi
finish
