#!/usr/bin/env bash
# cli_import_empty_ring — a polygon whose hole has no points (GeoJSON "[]",
# which GDAL reads as an empty ring) is refused, as a ring of 1 to 3 points
# is. The old build stored it: ccn's figures counted the polygon without the
# hole, SpatiaLite's Area() gave NULL, 'ccn export' wrote the feature with a
# null geometry, and 'ccn copy' to PostgreSQL failed (exit 3: "Polygon must
# have at least four points in each ring").
source "$(dirname "$0")/lib.sh"

ws=$(new_ws ring)
tri='[[560000, 2190000], [560010, 2190000], [560010, 2190010], [560000, 2190000]]'
geojson_layer \
    '{"commune": "15754", "sheet": 5, "parcel_no": 1}' "{\"type\": \"Polygon\", \"coordinates\": [$tri]}" \
    '{"commune": "15754", "sheet": 5, "parcel_no": 2}' "{\"type\": \"Polygon\", \"coordinates\": [$tri, []]}" \
    '{"commune": "15754", "sheet": 5, "parcel_no": 3}' "{\"type\": \"MultiPolygon\", \"coordinates\": [[$tri], [[[560100, 2190000], [560110, 2190000], [560110, 2190010], [560100, 2190000]], []]]}" \
    >"$TMP/parcels.geojson"
run "$CCN" import "$ws" "$TMP/parcels.geojson" --as parcels
expect_rc 2
expect_err "2 of 3 features refused: feature 1: part 1, ring 2 has 0 points: a polygon ring needs at least 4 (it bounds no area, and PostGIS refuses it); feature 2: part 2, ring 2 has 0 points"
expect_eq "$(sql "$ws" "SELECT count(*) FROM parcels")" 0 "(nothing imported)"
run env LANGUAGE=vi "$CCN" import "$ws" "$TMP/parcels.geojson" --as parcels
expect_rc 2
expect_err "đối tượng 1: phần 1, vòng 2 có 0 điểm: một vòng của vùng cần ít nhất 4 điểm"

run "$CCN" import "$ws" "$TMP/parcels.geojson" --as parcels --skip-bad -q
expect_rc 0
# the one stored: the triangle, 10 x 10 / 2 = 50 m² (hand), all in the SKN zone
geojson_layer '{"landuse": "SKN"}' "$(geojson_box -10 -10 20 20)" >"$TMP/plan.geojson"
run "$CCN" import "$ws" "$TMP/plan.geojson" --as plan -q
run "$CCN" lookup "$ws" --sheet 5 --parcel 1 --format csv
expect_eq "$(cut -d, -f8,9,12 <<<"$out" | tail -n +2)" "50.000,SKN,50.000"
expect_eq "$(sql "$ws" "SELECT count(*) FROM parcels")" 1

# a cluster's boundary, the same
geojson_layer '{"code": "DL3"}' "{\"type\": \"Polygon\", \"coordinates\": [$tri, []]}" \
    >"$TMP/clusters.geojson"
run "$CCN" import "$ws" "$TMP/clusters.geojson" --as clusters
expect_rc 2
expect_err "feature 0: part 1, ring 2 has 0 points: a polygon ring needs at least 4"

finish
