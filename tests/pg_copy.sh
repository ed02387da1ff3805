#!/bin/bash
# pg_copy — ccn copy between a SQLite file and a PostgreSQL workspace, both
# ways: SQLite -> PostgreSQL -> SQLite gives back every row as it was (judged
# by sqlite3 itself on the two files, geometry blobs included, and by the
# content digest on all three), fids and the lease history kept; a change on
# either side is never overwritten. Runs in the CTest fixture `pg`.
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1090
. "${CCN_PG_STATE:?needs the pg fixture}"
D=$DATA/lease
A=$TMP/a.sqlite
"$CCN" init "$A" --district "$ROOT/gis" >/dev/null || exit 3
"$CCN" import "$A" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$A" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
"$CCN" lease "$A" import "$D/leases.csv" >/dev/null || exit 3
"$CCN" check "$A" -q >/dev/null 2>&1
P="$CCN_PG_URI&options=-csearch_path%3Dcopy_$$"
tables="ccn_meta clusters lots leases parcels plan communes markers findings imports landuse_codes
    commune_registry tolerances palette audit"
dump() {
    local t q
    for t in $tables; do
        case $t in
        ccn_meta) q="SELECT * FROM ccn_meta WHERE key <> 'workspace_id' AND key NOT LIKE 'copy.%' ORDER BY key" ;;
        *) q="SELECT * FROM $t ORDER BY 1" ;;
        esac
        echo "== $t"
        sqlite3 -batch -cmd ".mode quote" "$1" "$q"
    done
}
digest() { "$CCN" copy --digest "$1" | cut -d' ' -f1; }
pgsql() { "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -At -c "SET search_path = copy_$$, public" -c "$1"; }

# A copy into a new schema killed half-way (SIGKILL after 1,000 of 1,500
# parcels) leaves no schema: it is made in the copy's one transaction (it was
# made and committed first, and the next copy refused the empty workspace
# left there as "never copied from or to").
K=$TMP/k.sqlite
"$CCN" init "$K" --district "$ROOT/gis" >/dev/null || exit 3
awk 'BEGIN { printf "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::5897\"}},\"features\":["
    for (i = 0; i < 1500; i++) { x = 580000 + (i % 50) * 10; y = 2190000 + int(i / 50) * 10
        printf "%s{\"type\":\"Feature\",\"properties\":{\"MaXa\":\"01\",\"SoHieuToBanDo\":1,\"SoThuTuThua\":%d},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]]}}", i ? "," : "", i + 1, x, y, x + 10, y, x + 10, y + 10, x, y + 10, x, y }
    print "]}" }' >"$TMP/p.geojson"
"$CCN" import "$K" "$TMP/p.geojson" --as parcels -q >/dev/null || exit 3
PK="$CCN_PG_URI&options=-csearch_path%3Dcopykill_$$"
CCN_TEST_KILL_AT=1000 "$CCN" copy "$K" "$PK" >/dev/null 2>&1
expect_eq "$?" 137 "exit code of the killed copy"
schemas() { "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -At -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'copykill_$$'"; }
for _ in $(seq 1 100); do # the server ends the killed client's transaction by itself
    [ "$(schemas)" = 0 ] && break
    sleep 0.05
done
expect_eq "$(schemas)" 0 "(the schema after the killed copy)"
run "$CCN" copy "$K" "$PK"
expect_rc 0
expect_out "(new)"
expect_eq "$(digest "$PK")" "$(digest "$K")" "digest of the copy after the killed one"

# SQLite -> PostgreSQL (a new schema) -> SQLite.
run "$CCN" copy "$A" "$P"
expect_rc 0
expect_out "(new)"
expect_eq "$(digest "$P")" "$(digest "$A")" "digest of the PostgreSQL copy"
expect_eq "$(pgsql "SELECT string_agg(fid || ':' || lot_no || ':' || coalesce(end_date, '-'), ' ' ORDER BY fid) FROM leases")" \
    "$(sql "$A" "SELECT group_concat(fid || ':' || lot_no || ':' || coalesce(end_date, '-'), ' ') FROM (SELECT * FROM leases ORDER BY fid)")"
# The geometry arrived exactly: PostGIS's WKB of lot 2 against SpatiaLite's.
expect_eq "$(pgsql "SELECT upper(encode(ST_AsBinary(geom), 'hex')) FROM lots WHERE fid = 2")" \
    "$(sql "$A" "SELECT hex(AsBinary(geom)) FROM lots WHERE fid = 2")"
# The copy is a workspace: the reports read it (CN-02's lease on 2024-01-01).
run "$CCN" occupancy "$P" --by lot --as-of 2024-01-01 --format csv
expect_rc 0
expect_eq "$(csv_field "$out" "CN-02" tenant)" "$(csv_field "$("$CCN" occupancy "$A" --by lot --as-of 2024-01-01 --format csv)" "CN-02" tenant)"
C=$TMP/c.sqlite
run "$CCN" copy "$P" "$C"
expect_rc 0
expect_eq "$(dump "$C")" "$(dump "$A")" "SQLite -> PostgreSQL -> SQLite"
expect_eq "$(digest "$C")" "$(digest "$A")"

# PostgreSQL -> SQLite -> PostgreSQL: a lease added on each side in turn.
"$CCN" lease "$P" add --cluster HT --lot CN-02 --tenant "Công ty Văn phòng" --from 2026-01-01 >/dev/null || exit 3
run "$CCN" copy "$P" "$C"
expect_rc 0
expect_eq "$(sql "$C" "SELECT tenant FROM leases WHERE lot_no = 'CN-02' AND start_date = '2026-01-01'")" "Công ty Văn phòng"
"$CCN" lease "$C" end --cluster HT --lot CN-02 --on 2026-09-01 >/dev/null || exit 3
# P unchanged since C was copied from it: the field's change goes back.
run "$CCN" copy "$C" "$P"
expect_rc 0
expect_eq "$(pgsql "SELECT end_date FROM leases WHERE lot_no = 'CN-02' AND start_date = '2026-01-01'")" 2026-09-01
expect_eq "$(digest "$P")" "$(digest "$C")"
# Both edited since: refused each way, naming the side that changed.
"$CCN" lease "$P" add --cluster HT --lot CN-02 --tenant "Văn phòng" --from 2030-01-01 >/dev/null || exit 3
"$CCN" lease "$C" add --cluster HT --lot CN-02 --tenant "Hiện trường" --from 2031-01-01 >/dev/null || exit 3
before=$(dump "$C")
run "$CCN" copy "$P" "$C"
expect_rc 2
expect_err "'$C' has changes made since it was last copied to"
expect_err "has changed too: both sides were edited"
expect_eq "$(dump "$C")" "$before"
n=$(pgsql "SELECT count(*) FROM leases")
run "$CCN" copy "$C" "$P"
expect_rc 2
expect_err "has changes made since it was last copied from '$C'"
expect_eq "$(pgsql "SELECT count(*) FROM leases")" "$n"
run "$CCN" copy "$C" "$P" --force -q
expect_rc 0
expect_eq "$(pgsql "SELECT string_agg(tenant, ',') FROM leases WHERE lot_no = 'CN-02' AND start_date >= '2030-01-01'")" "Hiện trường"

# One snapshot: a writer adds leases to P (each with its audit row, written
# by the trigger in the same transaction) while copies of P are taken. The
# audit is copied last, the leases fourth: a copy reading each table at its
# own moment would hold audit rows of leases it does not have.
before=$(leases_and_audit "$P")
(
    for i in $(seq 1 120); do
        pgsql "INSERT INTO leases (cluster, lot_no, tenant, start_date, end_date, recorded_at)
               VALUES ('HT', 'CN-05', 'Ghi song song $i', '$((2100 + i))-01-01', '$((2100 + i))-06-01',
                       '2026-12-04T00:00:00Z')" >/dev/null || exit 1
    done
) &
expect_whole_copies "$P" "$before" $!

finish
