#!/usr/bin/env bash
# ccn init --force over a workspace file replaces it only with a whole new
# one (a hunt for lost data, session 18). It removed the old file first: a
# district folder with a bad row, or a --crs in degrees, then failed and left
# no workspace at all, its lots and leases gone.
source "$(dirname "$0")/lib.sh"
skip_on_pg "the workspace file (a PostgreSQL schema is dropped by --force before the district is read: not fixed)"
ws=$(new_ws)
run "$CCN" import "$ws" "$ROOT/layers/lots.gpkg" --as lots
expect_rc 0
lots=$(sql "$ws" "SELECT count(*) FROM lots")
expect_eq "$lots" 168 "(the sample's lots)"
digest() { sqlite3 "$1" "SELECT count(*) FROM lots; SELECT count(*) FROM clusters; PRAGMA integrity_check" | tr '\n' ' '; }
before=$(digest "$ws")

# a district whose clusters.csv has a row cut short
cp -r "$ROOT/gis" "$TMP/bad_gis"
echo "XX,broken" >>"$TMP/bad_gis/clusters.csv"
run "$CCN" init "$ws" --district "$TMP/bad_gis" --force
expect_rc 2
expect_err "clusters.csv: line 8: 2 fields where the header has 16"
expect_eq "$(digest "$ws")" "$before" "(the old workspace, whole)"
# a CRS in degrees
run "$CCN" init "$ws" --crs EPSG:4326 --force --district "$ROOT/gis"
expect_rc 2
expect_err "EPSG:4326 is not a suitable projected CRS"
expect_eq "$(digest "$ws")" "$before" "(the old workspace, whole)"
# nothing left beside it
expect_eq "$(find "$TMP" -maxdepth 1 -name '.ws.sqlite.ccn-tmp-*' | wc -l)" 0 "(temporary names)"

# a good one replaces it: a fresh workspace, no lots, the district's 6 clusters
run "$CCN" init "$ws" --force --district "$ROOT/gis"
expect_rc 0
expect_out "created $ws (EPSG:5897): 6 clusters"
expect_eq "$(digest "$ws")" "0 6 ok " "(the new workspace)"
expect_eq "$(sqlite3 "$ws" "PRAGMA journal_mode")" wal
run "$CCN" import "$ws" "$ROOT/layers/lots.gpkg" --as lots
expect_rc 0
expect_out "lots: 168 read, 168 stored, 0 refused"

finish
