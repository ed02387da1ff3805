#!/usr/bin/env bash
# ccn init --force over a workspace replaces it only with a whole new one (a
# hunt for lost data, session 18). It removed the old file first, or dropped
# the PostgreSQL schema in a transaction of its own: a district folder with a
# bad row, or a --crs in degrees, then failed and left no workspace at all,
# its lots and leases gone. On PostgreSQL the new schema is now made in one
# transaction with the district, which undoes the drop when it fails.
source "$(dirname "$0")/lib.sh"
ws=$(new_ws)
run "$CCN" import "$ws" "$ROOT/layers/lots.gpkg" --as lots
expect_rc 0
lots=$(sql "$ws" "SELECT count(*) FROM lots")
expect_eq "$lots" 168 "(the sample's lots)"
digest() {
    echo "$(sql "$1" "SELECT count(*) FROM lots") $(sql "$1" "SELECT count(*) FROM clusters")" \
        "$([ "$BACKEND" = pg ] && echo ok || sqlite3 "$1" "PRAGMA integrity_check") "
}
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
# and the old workspace still works
run "$CCN" occupancy "$ws" --by lot --format csv
expect_rc 0
expect_eq "$(grep -c ',industrial,' <<<"$out")" "$(sql "$ws" "SELECT count(*) FROM lots WHERE use = 'industrial'")"

# a good one replaces it: a fresh workspace, no lots, the district's 6 clusters
run "$CCN" init "$ws" --force --district "$ROOT/gis"
expect_rc 0
expect_out "(EPSG:5897): 6 clusters"
expect_eq "$(digest "$ws")" "0 6 ok " "(the new workspace)"
[ "$BACKEND" = pg ] || expect_eq "$(sqlite3 "$ws" "PRAGMA journal_mode")" wal
run "$CCN" import "$ws" "$ROOT/layers/lots.gpkg" --as lots
expect_rc 0
expect_out "lots: 168 read, 168 stored, 0 refused"

# The file's own WAL (session 19). The old code removed the old file's -wal
# and -shm and then renamed the new one in: a kill between the two left the
# old file without its last commits, and a program holding it open (QGIS)
# went on writing into a file no longer there, its edits lost unsaid. The old
# file is now settled first (its WAL folded in) and refused while open.
if [ "$BACKEND" != pg ]; then
    # another program reading it: refused, the old workspace whole
    /usr/bin/python3 -c "
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute('BEGIN')
c.execute('SELECT count(*) FROM lots').fetchone()
open(sys.argv[2], 'w').close(); time.sleep(30)" "$ws" "$TMP/reading" &
    reader=$!
    for _ in $(seq 100); do [ -f "$TMP/reading" ] && break; sleep 0.1; done
    before=$(digest "$ws")
    run "$CCN" init "$ws" --force --district "$ROOT/gis"
    expect_rc 2
    expect_err "is open in another program"
    kill "$reader"
    wait "$reader" 2>/dev/null || true
    expect_eq "$(digest "$ws")" "$before" "(the old workspace, whole)"
    expect_eq "$(sql "$ws" "SELECT count(*) FROM lots")" 168 "(its lots)"

    # a writer killed with its commits still in the -wal: replaced whole,
    # nothing of the old -wal read into the new workspace
    /usr/bin/python3 -c "
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA wal_autocheckpoint = 0')
c.execute('DELETE FROM lots WHERE rowid % 2 = 0')
os._exit(0)" "$ws"
    [ -s "$ws-wal" ] && ok || bad "the killed writer left no -wal"
    run "$CCN" init "$ws" --force --district "$ROOT/gis"
    expect_rc 0
    expect_eq "$(ls "$ws"-* 2>/dev/null | wc -l)" 0 "(no -wal or -shm of the old file left)"
    expect_eq "$(digest "$ws")" "0 6 ok " "(the new workspace)"

    # a file that is no database is replaced, and a stale -wal beside it goes
    printf 'not a workspace\n' >"$ws"
    printf 'stale' >"$ws-wal"
    run "$CCN" init "$ws" --force --district "$ROOT/gis"
    expect_rc 0
    expect_eq "$(digest "$ws")" "0 6 ok " "(the new workspace)"
    expect_eq "$(ls "$ws"-* 2>/dev/null | wc -l)" 0 "(the stale -wal removed)"
fi

finish
