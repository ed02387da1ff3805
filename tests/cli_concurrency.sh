#!/bin/bash
# cli_concurrency — several ccn commands on one workspace at once: readers
# and writers wait for each other (WAL, a busy timeout, the write lock taken
# at the start of every command that writes) instead of failing with
# "database is locked" (7 of 10 parallel checks failed that way before).
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
WS=$(new_ws)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3

expect_eq "$(sqlite3 "$WS" "PRAGMA journal_mode")" "wal" "journal mode"

# Ten checks at once: each replaces the findings; all of them finish.
for i in $(seq 10); do
    "$CCN" check "$WS" -q >"$TMP/check$i.out" 2>"$TMP/check$i.err" &
    pids[i]=$!
done
for i in $(seq 10); do
    wait "${pids[i]}"
    rc=$?
    [ "$rc" -le 1 ] && ok || bad "check $i exited $rc: $(cat "$TMP/check$i.err")"
done
! grep -l "locked" "$TMP"/check*.err >/dev/null && ok || bad "a check met a locked database"
# Every check wrote the same findings, whole: the table holds one run's worth.
expect_eq "$(sqlite3 "$WS" "SELECT count(*) FROM findings")" \
    "$(($(wc -l <"$TMP/check1.out") - 1))" "findings rows vs one check's CSV"

# Lease adds (three lots), checks and a report, all at once.
n=0
for lot in CN-01 CN-02 CN-03; do
    n=$((n + 1))
    "$CCN" lease "$WS" add --cluster HT --lot "$lot" --tenant "Công ty $lot" --from 2025-01-0$n \
        >"$TMP/add$n.out" 2>"$TMP/add$n.err" &
    apids[n]=$!
done
for i in 1 2 3; do
    "$CCN" check "$WS" -q >/dev/null 2>"$TMP/pcheck$i.err" &
    cpids[i]=$!
done
"$CCN" report "$WS" "$TMP/out" -q >/dev/null 2>"$TMP/report.err" &
rpid=$!
for i in 1 2 3; do
    wait "${apids[i]}"
    rc=$?
    [ "$rc" = 0 ] && ok || bad "lease add $i exited $rc: $(cat "$TMP/add$i.err")"
    wait "${cpids[i]}"
    rc=$?
    [ "$rc" -le 1 ] && ok || bad "check $i exited $rc: $(cat "$TMP/pcheck$i.err")"
done
wait "$rpid"
rc=$?
[ "$rc" = 0 ] && ok || bad "report exited $rc: $(cat "$TMP/report.err")"
# Nothing lost: the three leases are there, once each.
expect_eq "$(sqlite3 "$WS" "SELECT group_concat(lot_no, ',') FROM (SELECT lot_no FROM leases ORDER BY lot_no) AS t")" \
    "CN-01,CN-02,CN-03" "leases after the parallel adds"
[ -f "$TMP/out/findings.csv" ] && ok || bad "the report wrote no findings.csv"

# GDAL (as QGIS) still opens the WAL workspace and sees its layers.
run ogrinfo -ro -q "$WS"
expect_rc 0
for layer in clusters lots parcels findings; do expect_out "$layer"; done
run ogrinfo -ro -q -sql "SELECT count(*) AS n FROM leases" "$WS"
expect_out "n (Integer) = 3"

# A writer that cannot get the lock in time fails cleanly (exit 2, as on a
# PostgreSQL workspace: the user's to retry, not an internal error; nothing half-done).
sqlite3 "$WS" "BEGIN IMMEDIATE; SELECT 1;" >/dev/null # (a lock released at once: no effect)
CCN_BUSY_TIMEOUT_MS=200 python3 - "$CCN" "$WS" >"$TMP/held.out" 2>&1 <<'PY'
import sqlite3, subprocess, sys
ccn, ws = sys.argv[1], sys.argv[2]
db = sqlite3.connect(ws, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
r = subprocess.run([ccn, "lease", ws, "add", "--cluster", "HT", "--lot", "CN-01",
                    "--tenant", "X", "--from", "2030-01-01"], capture_output=True, text=True)
db.execute("ROLLBACK")
print(r.returncode, r.stderr.strip())
PY
out=$(cat "$TMP/held.out")
expect_out "2 "
expect_out "another command kept the workspace busy too long (database is locked)"
expect_eq "$(sqlite3 "$WS" "SELECT count(*) FROM leases")" "3" "leases after the timed-out add"
finish
