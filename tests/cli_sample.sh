#!/usr/bin/env bash
# The bundled sample layers: they are exactly what the seeded generator makes,
# and every one of them imports cleanly (the main job's first half).
source "$(dirname "$0")/lib.sh"
[ -n "$CCN_GEN" ] || { echo "no ccn-gen given"; exit 1; }

run "$CCN_GEN" sample "$TMP/layers" --seed 2021
expect_rc 0
for f in "$ROOT"/layers/*; do
    name=$(basename "$f")
    [ "$name" = README.md ] && continue
    cmp -s "$f" "$TMP/layers/$name" && ok || bad "layers/$name differs from 'ccn-gen sample --seed 2021'"
done
run "$CCN_GEN" sample
expect_rc 2

ws=$(new_ws)
L=$ROOT/layers
run "$CCN" import "$ws" "$L/clusters.gpkg" --as clusters --layer nope
expect_rc 2; expect_err "no layer named 'nope'"
run "$CCN" import "$ws" "$L/clusters.gpkg" --as clusters --layer clusters
expect_rc 0; expect_out "5 read, 5 stored, 0 refused"
run "$CCN" import "$ws" "$L/tho_ngoc.dxf" --as clusters --s-srs EPSG:5897
expect_rc 0; expect_out "1 read, 1 stored, 0 refused"
run "$CCN" import "$ws" "$L/lots.gpkg" --as lots
expect_rc 0; expect_out "0 refused"
run "$CCN" import "$ws" "$L/parcels.shp" --as parcels --encoding TCVN3
expect_rc 0; expect_out "0 refused"
run "$CCN" import "$ws" "$L/plan.geojson" --as plan
expect_rc 0; expect_out "0 refused"
run "$CCN" import "$ws" "$L/communes.gpkg" --as communes
expect_rc 0; expect_out "0 refused"
run "$CCN" import "$ws" "$L/markers.csv" --as markers --s-srs EPSG:5897
expect_rc 0; expect_out "0 refused"
# Every cluster of the registry has its boundary; lots carry a known use.
expect_eq "$(sql "$ws" "SELECT count(*) FROM clusters WHERE geom IS NULL")" "0"
expect_eq "$(sql "$ws" "SELECT count(*) FROM lots WHERE use NOT IN ('industrial','service','green','utility','road')")" "0"
# Owners were TCVN3 in the DBF: UTF-8 Vietnamese now (generator's README: FID 2).
expect_eq "$(sql "$ws" "SELECT owner FROM parcels WHERE source_fid = 2")" "UBND xã Dân Lực"
# The spatial index of a bulk-loaded layer holds every row.
if [ "$BACKEND" = pg ]; then # the GIST index, rebuilt after the COPY
    expect_eq "$(sql "$ws" "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'parcels_geom_idx' AND indexdef LIKE '%gist (geom)%'")" "1"
else
    expect_eq "$(sql "$ws" "SELECT (SELECT count(*) FROM idx_parcels_geom) = (SELECT count(*) FROM parcels)")" "1"
fi
run ogrinfo -ro -so "$(ogr_ws "$ws")" parcels
expect_out "Feature Count: $(sql "$ws" "SELECT count(*) FROM parcels")"
finish
