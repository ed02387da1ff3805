#!/bin/bash
# cli_copy — ccn copy SRC DST between SQLite workspaces (and PostgreSQL when
# a private cluster can be started): everything arrives with its fid, the
# refusal to overwrite newer changes names the side that changed, a failed
# copy leaves the target as it was.
# "Identical" is judged by dump below — every table's rows read with
# sqlite3 itself, geometry blobs included — not by ccn's own digest.
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
A=$(new_ws a)
"$CCN" import "$A" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$A" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
"$CCN" lease "$A" add --cluster HT --lot CN-01 --tenant "Công ty Ánh Dương" --from 2022-01-01 >/dev/null || exit 3
"$CCN" lease "$A" add --cluster HT --lot CN-02 --tenant "Công ty Hà Trung" --from 2023-03-01 >/dev/null || exit 3
"$CCN" lease "$A" end --cluster HT --lot CN-01 --on 2024-07-01 >/dev/null || exit 3
"$CCN" check "$A" -q >/dev/null 2>&1
tables="ccn_meta clusters lots leases parcels plan communes markers findings imports landuse_codes
    commune_registry tolerances palette layer_styles"
dump() {
    local t
    for t in $tables; do
        case $t in
        ccn_meta) q="SELECT * FROM ccn_meta WHERE key <> 'workspace_id' AND key NOT LIKE 'copy.%' ORDER BY key" ;;
        layer_styles) q="SELECT * FROM layer_styles WHERE styleName <> 'ccn' ORDER BY id" ;;
        *) q="SELECT * FROM $t ORDER BY 1" ;;
        esac
        echo "== $t"
        sqlite3 -batch -cmd ".mode quote" "$1" "$q"
    done
}
leases() { sql "$1" "SELECT group_concat(fid || ':' || lot_no || ':' || coalesce(end_date, '-'), ' ') FROM (SELECT * FROM leases ORDER BY fid)"; }
digest() { "$CCN" copy --digest "$1" | cut -d' ' -f1; }

# --help and usage
run "$CCN" copy --help
expect_rc 0
expect_out "Usage: ccn copy SOURCE TARGET [--force]"
run "$CCN" copy "$A"
expect_rc 2
expect_err "expected SOURCE and TARGET"
run "$CCN" copy "$A" "$A"
expect_rc 2
expect_err "source and target are the same workspace"
run "$CCN" copy "$TMP/none.sqlite" "$TMP/x.sqlite"
expect_rc 2
expect_err "does not exist"
[ ! -e "$TMP/x.sqlite" ] && ok || bad "a failed copy left $TMP/x.sqlite"

# A to a new B: every row, the same fids, the same digest.
B=$TMP/b.sqlite
run "$CCN" copy "$A" "$B"
expect_rc 0
expect_out "(new)"
expect_eq "$(dump "$B")" "$(dump "$A")" "B differs from A"
expect_eq "$(leases "$B")" "1:CN-01:2024-07-01 2:CN-02:-"
expect_eq "$(sql "$B" "SELECT count(*) FROM findings")" "$(sql "$A" "SELECT count(*) FROM findings")"
expect_eq "$(sql "$B" "SELECT count(*) FROM layer_styles WHERE styleName = 'ccn'")" \
    "$(sql "$A" "SELECT count(*) FROM layer_styles WHERE styleName = 'ccn'")"
expect_eq "$(sql "$B" "SELECT count(*) FROM lots_status")" 5
expect_eq "$(digest "$B")" "$(digest "$A")"
# ... and B works as a workspace: occupancy reads its leases.
run "$CCN" lease "$B" list --as-of 2024-01-01
expect_out "Công ty Ánh Dương"

# Copied again with no change on either side: allowed.
run "$CCN" copy "$A" "$B" -q
expect_rc 0

# B edited in the field: copying A over it is refused, naming B; A is unchanged,
# so the hint is to copy the other way. B stays as it was.
"$CCN" lease "$B" add --cluster HT --lot CN-03 --tenant "Công ty Nông Cống" --from 2025-01-01 >/dev/null || exit 3
before=$(dump "$B")
run "$CCN" copy "$A" "$B"
expect_rc 2
expect_err "'$B' has changes made since it was last copied from '$A'"
expect_err "'$A' has not changed since: copy the other way"
expect_eq "$(dump "$B")" "$before" "a refused copy changed B"

# Back to the office: A has not changed since B was made from it.
run "$CCN" copy "$B" "$A"
expect_rc 0
expect_eq "$(leases "$A")" "1:CN-01:2024-07-01 2:CN-02:- 3:CN-03:-"
expect_eq "$(dump "$A")" "$(dump "$B")"

# Both sides edited: refused both ways, naming each; --force overwrites.
"$CCN" lease "$A" end --cluster HT --lot CN-02 --on 2025-06-01 >/dev/null || exit 3
"$CCN" lease "$B" end --cluster HT --lot CN-03 --on 2025-09-01 >/dev/null || exit 3
run "$CCN" copy "$A" "$B"
expect_rc 2
expect_err "'$B' has changes made since it was last copied to '$A'"
expect_err "'$A' has changed too: both sides were edited"
run "$CCN" copy "$B" "$A"
expect_rc 2
expect_err "'$A' has changes made since it was last copied from '$B'"
run "$CCN" copy "$A" "$B" --force -q
expect_rc 0
expect_eq "$(leases "$B")" "1:CN-01:2024-07-01 2:CN-02:2025-06-01 3:CN-03:-"

# A change made outside ccn counts too (sqlite3, as QGIS would edit).
sqlite3 "$B" "UPDATE lots SET use = 'service' WHERE lot_no = 'CN-03'" || exit 3
run "$CCN" copy "$A" "$B"
expect_rc 2
expect_err "has changes made since"

# A workspace never copied with A: refused; a file that is no workspace: refused.
C=$(new_ws c)
run "$CCN" copy "$A" "$C"
expect_rc 2
expect_err "'$C' is a workspace that was never copied from or to '$A'"
echo "not a workspace" >"$TMP/notes.sqlite"
run "$CCN" copy "$A" "$TMP/notes.sqlite"
expect_rc 2
expect_err "is not a ccn workspace"
expect_eq "$(cat "$TMP/notes.sqlite")" "not a workspace"

# Another CRS: refused (a copy keeps coordinates as they are).
"$CCN" init "$TMP/utm.sqlite" --district "$ROOT/gis" --crs EPSG:32648 >/dev/null || exit 3
run "$CCN" copy "$A" "$TMP/utm.sqlite" --force
expect_rc 2
expect_err "is in EPSG:32648 and '$A' in EPSG:5897"

# Killed half-way (SIGKILL after 1000 parcels): the target is as it was.
P=$TMP/parcels.geojson
awk 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::5897\"}},\"features\":["
    for (i = 0; i < 3000; i++) { x = 580000 + (i % 60) * 10; y = 2190000 + int(i / 60) * 10
        printf "%s{\"type\":\"Feature\",\"properties\":{\"MaXa\":\"01\",\"SoHieuToBanDo\":1,\"SoThuTuThua\":%d,\"KyHieuMucDichSuDung\":\"LUC\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]]}}", i ? "," : "", i + 1, x, y, x + 10, y, x + 10, y + 10, x, y + 10, x, y }
    print "]}" }' >"$P"
"$CCN" import "$A" "$P" --as parcels -q >/dev/null || exit 3
"$CCN" copy "$A" "$B" --force -q >/dev/null || exit 3
"$CCN" lease "$A" add --cluster HT --lot CN-02 --tenant "Công ty Quảng Xương" --from 2026-01-01 >/dev/null || exit 3
before=$(dump "$B")
CCN_TEST_KILL_AT=1000 "$CCN" copy "$A" "$B" >/dev/null 2>&1
expect_eq "$?" 137 "exit code of the killed copy"
expect_eq "$(dump "$B")" "$before" "a killed copy changed B"
run "$CCN" copy "$A" "$B"
expect_rc 0
expect_eq "$(sql "$B" "SELECT count(*) FROM parcels")" 3000
expect_eq "$(dump "$B")" "$(dump "$A")"
# Killed while making a new target: no workspace at its name (an empty one
# was left there, which the next copy refused as "never copied from or to");
# the next copy makes it, and removes what the killed one left beside it.
CCN_TEST_KILL_AT=1000 "$CCN" copy "$A" "$TMP/new.sqlite" >/dev/null 2>&1
expect_eq "$?" 137 "exit code of the killed copy"
expect_eq "$(ls -A "$TMP" | grep -c '^new\.sqlite')" 0 "(files at the new target's name)"
run "$CCN" copy "$A" "$TMP/new.sqlite"
expect_rc 0
expect_out "(new)"
expect_eq "$(dump "$TMP/new.sqlite")" "$(dump "$A")"
expect_eq "$(ls -A "$TMP" | grep -c 'new\.sqlite\.ccn-tmp')" 0 "(the killed copy's temporary folder)"
expect_eq "$(sqlite3 "$TMP/new.sqlite" "PRAGMA journal_mode")" wal

# One snapshot of the source: leases added by ccn while copies are taken.
before=$(leases_and_audit "$A")
(
    for i in $(seq 1 40); do
        "$CCN" lease "$A" add --cluster HT --lot CN-01 --tenant "Ghi song song $i" \
            --from "$((2100 + i))-01-01" --to "$((2100 + i))-06-01" >/dev/null || exit 1
    done
) &
expect_whole_copies "$A" "$before" $!
read -r l0 a0 <<<"$before"
expect_eq "$(leases_and_audit "$A")" "$((l0 + 40)) $((a0 + 40))" "leases and audit rows after the writer"

finish
