#!/bin/bash
# cli_busy_wait — a command that writes waits for another writer as long as
# the busy timeout says (two minutes, or CCN_BUSY_TIMEOUT_MS), not the 5 s
# SpatiaLite's set-up sets on the connection: the old build, with sqlite3
# holding the write lock for 8 s, failed a `lease add` after 5 s with exit 3
# "database is locked", whatever CCN_BUSY_TIMEOUT_MS said. A wait that does
# run out is said as on a PostgreSQL workspace (exit 2).
source "$(dirname "$0")/lib.sh"
skip_on_pg "the busy timeout of a SQLite connection"
D=$DATA/lease
WS=$(new_ws)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3

# hold_lock SECONDS: another program (sqlite3, as QGIS would) holds the
# write lock that long, from when this returns.
hold_lock() {
    rm -f "$TMP/held"
    { echo "BEGIN IMMEDIATE;"; echo ".shell touch $TMP/held"; sleep "$1"; echo "COMMIT;"; } |
        sqlite3 "$WS" >/dev/null &
    holder=$!
    for _ in $(seq 100); do [ -e "$TMP/held" ] && return; sleep 0.1; done
    echo "the lock was never taken" >&2
    exit 3
}
now() { date +%s.%N; }

# Held 8 s: the default timeout (two minutes) outlasts it; the lease is added.
hold_lock 8
t0=$(now)
run "$CCN" lease "$WS" add --cluster HT --lot CN-01 --tenant "Công ty Chờ Lượt" --from 2025-01-01
t1=$(now)
wait "$holder"
expect_rc 0
expect_out "lease 1: HT/CN-01 to 'Công ty Chờ Lượt' from 2025-01-01, running"
expect_eq "$(sql "$WS" "SELECT count(*) FROM leases")" 1
expect_near "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a >= 6) }')" 1 0 "waited 6 s or more"

# An import of a layer waits too (CCN_BUSY_TIMEOUT_MS of 20 s outlasts 7 s).
hold_lock 7
CCN_BUSY_TIMEOUT_MS=20000 run "$CCN" import "$WS" "$D/ht_lots.geojson" --as lots --replace -q
wait "$holder"
expect_rc 0
expect_eq "$(sql "$WS" "SELECT count(*) FROM lots")" 5

# CCN_BUSY_TIMEOUT_MS of 1 s against a lock held 4 s: refused after about
# 1 s (the old build waited its 5 s and then added the lease), exit 2,
# nothing written, in Vietnamese under LANGUAGE=vi.
hold_lock 4
t0=$(now)
CCN_BUSY_TIMEOUT_MS=1000 run "$CCN" lease "$WS" add --cluster HT --lot CN-02 --tenant X \
    --from 2025-01-01
t1=$(now)
expect_rc 2
expect_err "another command kept the workspace busy too long (database is locked); try again, or set CCN_BUSY_TIMEOUT_MS"
expect_near "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a < 3.5) }')" 1 0 "gave up within 3.5 s"
wait "$holder"
hold_lock 4
LANGUAGE=vi CCN_BUSY_TIMEOUT_MS=1000 run "$CCN" lease "$WS" end --cluster HT --lot CN-01 \
    --on 2026-01-01
expect_rc 2
expect_err "một lệnh khác giữ không gian làm việc quá lâu"
wait "$holder"
expect_eq "$(sql "$WS" "SELECT count(*) || ' ' || coalesce(max(end_date), '-') FROM leases")" "1 -"

finish
