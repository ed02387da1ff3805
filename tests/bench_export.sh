#!/usr/bin/env bash
# bench_export.sh — RFC 7946 GeoJSON of district-scale parcels, side by side:
# `ccn export` against PostGIS writing the same features (ST_AsGeoJSON of the
# row, geometry ST_Transform'ed to 4326, ST_ForcePolygonCCW, 7 decimals)
# through COPY ... TO STDOUT, from a private PostgreSQL 15 + PostGIS cluster
# loaded with the same workspace's parcels. Not a test: it prints each time,
# ccn's peak memory, the ratio (issue 15 asks for PostGIS/ccn >= 2), that
# ccn's output is byte-identical with 1 and 2 threads, and the ring winding
# of both outputs (tests/node/check.cjs: exteriors counter-clockwise, holes
# clockwise, after the rounding to 7 decimals).
#   tests/bench_export.sh [PARCELS] [SEED]  (default 320000; data cached in
#   /tmp/ccn-bench-N[-sSEED])  Env: RUNS (3)
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
cd "$bench_root"
n=${1:-320000}
seed=${2:-}
bench_district "$n" "$seed"
ws=$data/export.sqlite
if [ ! -f "$ws" ]; then
    "$ccn" init "$ws" --district gis >/dev/null
    "$ccn" import "$ws" "$data/parcels.gpkg" --as parcels -q >/dev/null
fi
pg_start
ogr2ogr -f PostgreSQL "$PG_CONN" "$ws" parcels -nln parcels -lco GEOMETRY_NAME=geom -lco FID=fid \
    -lco SPATIAL_INDEX=NONE >/dev/null
pg_psql -c "VACUUM ANALYZE parcels" >/dev/null

cols="fid, commune, sheet, parcel_no, landuse, owner, area_legal, source_fid"
cat >"$data/pg_export.sh" <<EOF
"$bench_root/tests/pg_cluster.sh" psql "$PG_STATE" -c "COPY (SELECT ST_AsGeoJSON(t.*, 'geom', 7)
    FROM (SELECT $cols, ST_ForcePolygonCCW(ST_Transform(geom, 4326)) AS geom FROM parcels
          ORDER BY fid) t) TO STDOUT" >"$data/pg.geojsonl"
EOF
t_ccn= t_pg= m_ccn=0 c_ccn= c_pg=
for _ in $(seq "$runs"); do
    rm -f "$data/ccn.geojson"
    read -r t m c < <(timed "$ccn" export "$ws" "$data/ccn.geojson" --layer parcels -q)
    t_ccn=$(min_of "$t" "$t_ccn") c_ccn=$(min_of "$c" "$c_ccn")
    [ "$m" = "?" ] || [ "$m" -lt "$m_ccn" ] || m_ccn=$m
    server0=$(pg_server_cpu)
    read -r t _ c < <(timed bash "$data/pg_export.sh")
    sleep 0.2 # the backend's exit reaped
    t_pg=$(min_of "$t" "$t_pg") c_pg=$(min_of "$(plus "$c" "$(plus "$(pg_server_cpu)" "-$server0")")" "$c_pg")
done
rm -f "$data/ccn1.geojson"
CCN_THREADS=1 "$ccn" export "$ws" "$data/ccn1.geojson" --layer parcels -q
same=$(cmp -s "$data/ccn.geojson" "$data/ccn1.geojson" && echo "byte-identical" || echo "DIFFERENT")

echo "parcels:            $(sqlite3 "$ws" 'SELECT count(*) FROM parcels')${seed:+ (seed $seed)}, best of $runs runs"
machine_line
echo "ccn export:         $t_ccn s, peak $((m_ccn / 1024)) MB, $(stat -c %s "$data/ccn.geojson") bytes"
echo "PostGIS:            $t_pg s, $(stat -c %s "$data/pg.geojsonl") bytes (one feature a line, no collection)"
echo "CPU:                ccn $c_ccn s, PostGIS $c_pg s (psql and the server), ratio $(ratio "$c_pg" "$c_ccn")"
echo "PostGIS / ccn:      $(ratio "$t_pg" "$t_ccn")  (target >= 2)"
echo "1 thread vs 2:      $same"
if command -v node >/dev/null && [ -d tests/node/node_modules ]; then
    echo "ring winding (tests/node/check.cjs --rings-only):"
    echo "  ccn:     $(node tests/node/check.cjs "$data/ccn.geojson" --rings-only 2>&1 | tail -1)"
    awk 'BEGIN { print "{\"type\":\"FeatureCollection\",\"features\":[" }
         { printf "%s%s\n", (NR > 1 ? "," : ""), $0 } END { print "]}" }' "$data/pg.geojsonl" >"$data/pg.geojson"
    echo "  PostGIS: $(node --max-old-space-size=4096 tests/node/check.cjs "$data/pg.geojson" --rings-only 2>&1 | tail -1)"
fi
