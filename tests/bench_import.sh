#!/usr/bin/env bash
# bench_import.sh — loading district-scale parcels, side by side on the same
# generated GeoPackage: `ccn import` (parse, transform, check, store, R*Tree)
# against the PostGIS load (ogr2ogr through COPY into a private PostgreSQL 15
# + PostGIS cluster, GiST index built) and against the OGR read floor
# (ccn-bench-read: every feature's WKB and fields, nothing else). Not a test:
# it prints each time, ccn's peak memory and the ratios (issue 15 asks for
# PostGIS/ccn >= 2, ccn/floor <= 10, peak < 300 MB).
#   tests/bench_import.sh [PARCELS] [SEED]  (default 320000, the generator's
#   default seed; data cached in /tmp/ccn-bench-N[-sSEED])  Env: RUNS (3)
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
cd "$bench_root"
n=${1:-320000}
seed=${2:-}
bench_district "$n" "$seed"
[ -x "$floor" ] || { echo "build first: bash scripts/setup.sh" >&2; exit 2; }
pg_start

ccn_import() {
    rm -f "$data/ccn.sqlite" "$data/ccn.sqlite-wal" "$data/ccn.sqlite-shm"
    "$ccn" init "$data/ccn.sqlite" --district gis >/dev/null
    timed "$ccn" import "$data/ccn.sqlite" "$data/parcels.gpkg" --as parcels -q
}
pg_load() {
    timed env PG_USE_COPY=YES ogr2ogr -f PostgreSQL "$PG_CONN" "$data/parcels.gpkg" \
        -nln parcels -overwrite -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST
}
t_ccn= t_pg= t_floor= m_ccn=0 c_ccn= c_pg=
for _ in $(seq "$runs"); do
    read -r t m c < <(ccn_import)
    t_ccn=$(min_of "$t" "$t_ccn") c_ccn=$(min_of "$c" "$c_ccn")
    [ "$m" = "?" ] || [ "$m" -lt "$m_ccn" ] || m_ccn=$m
    server0=$(pg_server_cpu)
    read -r t _ c < <(pg_load)
    sleep 0.2 # the backend's exit reaped
    t_pg=$(min_of "$t" "$t_pg") c_pg=$(min_of "$(plus "$c" "$(plus "$(pg_server_cpu)" "-$server0")")" "$c_pg")
    read -r t _ < <(timed "$floor" "$data/parcels.gpkg")
    t_floor=$(min_of "$t" "$t_floor")
done
rows_ccn=$(sqlite3 "$data/ccn.sqlite" "SELECT count(*) FROM idx_parcels_geom")
rows_pg=$(pg_psql -Atc "SELECT count(*) FROM parcels WHERE geom IS NOT NULL")

echo "parcels:            $n${seed:+ (seed $seed)}, best of $runs runs"
machine_line
echo "ccn import:         $t_ccn s, peak $((m_ccn / 1024)) MB, $rows_ccn rows in its R*Tree"
echo "PostGIS load:       $t_pg s ($rows_pg rows; ogr2ogr COPY, GiST index)"
echo "OGR read floor:     $t_floor s"
echo "CPU:                ccn $c_ccn s, PostGIS $c_pg s (ogr2ogr and the server), ratio $(ratio "$c_pg" "$c_ccn")"
echo "PostGIS / ccn:      $(ratio "$t_pg" "$t_ccn")  (target >= 2)"
echo "ccn / floor:        $(ratio "$t_ccn" "$t_floor")  (target <= 10)"
