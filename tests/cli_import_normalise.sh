#!/usr/bin/env bash
# ccn import normalises what it stores (src/normalise.h): repeated consecutive
# vertices removed, validity decided on the stored coordinates, both counted
# in the summary — and the stored areas are the file's. The fixture is in the
# workspace CRS (EPSG:5897), so nothing moves but the repeats.
source "$(dirname "$0")/lib.sh"
D=$DATA/normalise
ws=$(new_ws)

# repeats.geojson: parcel 1 a rectangle with 4 repeated vertices (9 points,
# 5 after); parcel 2 a square with a hole plus a triangle, one repeat in each
# ring (17 points, 14 after); parcel 3 a bow-tie (invalid, stored as it is);
# parcel 4 a clean triangle.
run "$CCN" import "$ws" "$D/repeats.geojson" --as parcels
expect_rc 0
expect_out "4 read, 4 stored, 0 refused"
expect_out "repeats.geojson: normalised 2 feature(s): 7 repeated vertices removed, 0 ring(s) closed"
expect_out "repeats.geojson: 1 feature(s) stored with invalid geometry"
expect_eq "$(sql "$ws" "SELECT group_concat(ST_NPoints(geom), ' ') FROM (SELECT geom FROM parcels ORDER BY parcel_no) AS t")" "5 14 5 4"
# Areas: GDAL on the file, `ogrinfo -dialect SQLite -sql "SELECT SoThuTuThua,
# ST_Area(geometry) FROM repeats" repeats.geojson`: 251.125, 425, 0 (the
# bow-tie's two halves cancel), 600 — the same by hand (20.5 × 12.25;
# 400 − 25 + 50; 30 × 40 / 2).
expect_eq "$(sql "$ws" "SELECT group_concat(CAST(ST_Area(geom) * 1000 AS INTEGER), ' ') FROM (SELECT geom FROM parcels WHERE parcel_no <> 3 ORDER BY parcel_no) AS t")" "251125 425000 600000"
expect_eq "$(sql "$ws" "SELECT ST_IsValid(geom) FROM parcels WHERE parcel_no = 3")" "0"
expect_eq "$(sql "$ws" "SELECT features_stored FROM imports ORDER BY fid DESC LIMIT 1")" "4"
# The counts are kept with the import too (columns a workspace made before
# them gains on its first import: init creates imports without them).
expect_eq "$(sql "$ws" "SELECT features_normalised, repeats_removed, rings_closed, features_invalid FROM imports ORDER BY fid DESC LIMIT 1")" "2|7|0|1"

# Features refused after their geometry was normalised (parcel numbers 0) are not
# counted: of the stored parcels 1 and 4 only parcel 1 lost repeats (9 points, 5 kept),
# and the refused bow-tie is no stored invalid geometry.
sed -e 's/"SoThuTuThua": 2}/"SoThuTuThua": 0}/' -e 's/"SoThuTuThua": 3}/"SoThuTuThua": 0}/' \
    "$D/repeats.geojson" >"$TMP/refused_after.geojson"
run "$CCN" import "$(new_ws refused)" "$TMP/refused_after.geojson" --as parcels --skip-bad
expect_rc 0
expect_out "4 read, 2 stored, 2 refused"
expect_out "refused_after.geojson: normalised 1 feature(s): 4 repeated vertices removed, 0 ring(s) closed"
[[ "$out" != *invalid* ]] && ok || bad "a refused invalid feature was counted as stored: $out"
expect_eq "$(sql "$(ws_path refused)" "SELECT features_normalised, repeats_removed, rings_closed, features_invalid FROM imports ORDER BY fid DESC LIMIT 1")" "1|4|0|0"

# A ring of 3 points ([A, B, A]: no area) is refused, the feature named with its
# part and ring, on both back ends alike: SpatiaLite would store it, PostGIS
# refuses it, and on PostgreSQL that refusal aborted the transaction, so
# --skip-bad lost the good parcel 3 after it as well.
printf '%s\n' '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}},"features":[' \
    '{"type":"Feature","properties":{"MaXa":"15940","SoHieuToBanDo":1,"SoThuTuThua":1},"geometry":{"type":"Polygon","coordinates":[[[564000,2183000],[564020,2183000],[564000,2183000]]]}},' \
    '{"type":"Feature","properties":{"MaXa":"15940","SoHieuToBanDo":1,"SoThuTuThua":2},"geometry":{"type":"Polygon","coordinates":[[[564100,2183000],[564120,2183000],[564120,2183020],[564100,2183000]],[[564105,2183001],[564110,2183001],[564105,2183001]]]}},' \
    '{"type":"Feature","properties":{"MaXa":"15940","SoHieuToBanDo":1,"SoThuTuThua":3},"geometry":{"type":"Polygon","coordinates":[[[564200,2183000],[564220,2183000],[564220,2183020],[564200,2183000]]]}}]}' \
    >"$TMP/short_rings.geojson"
short=$(new_ws short)
run "$CCN" import "$short" "$TMP/short_rings.geojson" --as parcels
expect_rc 2
expect_err "feature 0: part 1, ring 1 has 3 points: a polygon ring needs at least 4"
expect_err "feature 1: part 1, ring 2 has 3 points"
expect_eq "$(sql "$short" "SELECT count(*) FROM parcels")" "0"
run "$CCN" import "$short" "$TMP/short_rings.geojson" --as parcels --skip-bad
expect_rc 0
expect_out "3 read, 1 stored, 2 refused"
[[ "$out" != *invalid* ]] && ok || bad "a refused short ring was counted as stored invalid: $out"
# parcel 3: a right triangle 20 × 20 / 2 = 200 m²
expect_eq "$(sql "$short" "SELECT parcel_no, CAST(ST_Area(geom) AS INTEGER) FROM parcels")" "3|200"

# A file with nothing to change says nothing about normalising.
run "$CCN" import "$ws" "$DATA/import/ht_lots.geojson" --as lots
expect_rc 0
[[ "$out" != *normalised* && "$out" != *invalid* ]] && ok || bad "a clean file reported normalising"
expect_eq "$(sql "$ws" "SELECT features_normalised, repeats_removed, rings_closed, features_invalid FROM imports ORDER BY fid DESC LIMIT 1")" "0|0|0|0"

# Unnormalised geometry written by another tool (repeated vertices, the
# closing vertex repeated) still overlays exactly: parcel 10 (0..20 × 0..10,
# repeats) against a zone (10..30 × -5..15, repeats) shares 10 × 10 = 100 m².
raw=$(new_ws raw)
sql_script "$raw" <<<"
INSERT INTO plan (fid, landuse, geom) VALUES (1, 'SKN', CastToMulti(GeomFromText(
 'POLYGON((564010 2182995, 564010 2182995, 564030 2182995, 564030 2183015, 564030 2183015, 564010 2183015, 564010 2182995, 564010 2182995))', 5897)));
INSERT INTO parcels (fid, commune, sheet, parcel_no, geom) VALUES (10, '15940', 1, 1, CastToMulti(GeomFromText(
 'POLYGON((564000 2183000, 564000 2183000, 564020 2183000, 564020 2183000, 564020 2183010, 564000 2183010, 564000 2183000, 564000 2183000))', 5897)));" ||
    bad "the raw rows were not written"
run "$CCN" overlay "$raw" --by parcel --format csv
expect_rc 0
expect_out "SKN"
expect_near "$(csv_field "$out" "SKN" area_m2)" 100 0.0005
finish
