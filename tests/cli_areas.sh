#!/bin/bash
# ccn areas on hand-made fixtures (tests/data/check): rectangles, so every
# planar figure is exact; the ellipsoidal one is checked against PostGIS.
source "$(dirname "$0")/lib.sh"
D=$DATA/check

run "$CCN" areas --help
expect_rc 0; expect_out "Usage: ccn areas WORKSPACE"; expect_out "legal figure"
run "$CCN" areas
expect_rc 2; expect_err "expected one WORKSPACE argument"
run "$CCN" areas "$TMP/nowhere.sqlite"
expect_rc 2; expect_err "does not exist"
sqlite3 "$TMP/plain.sqlite" "CREATE TABLE t (a);"
run "$CCN" areas "$TMP/plain.sqlite"
expect_rc 2; expect_err "not a ccn workspace"

WS=$(new_ws)
run "$CCN" areas "$WS"
expect_rc 2; expect_err "no cluster boundaries in the workspace"; expect_err "--as clusters"
run "$CCN" areas "$WS" --by lots
expect_rc 2; expect_err "--by 'lots': expected cluster or use"

"$CCN" import "$WS" "$D/clean_clusters.geojson" --as clusters -q >/dev/null
run "$CCN" areas "$WS" --by use
expect_rc 2; expect_err "no lots in the workspace"

run "$CCN" areas "$WS" --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" "code,name,status,planned_ha,area_m2,area_ha,ellipsoidal_m2,deviation_pct"
expect_eq "$(wc -l <<<"$out")" 7 "(one row a registry cluster)"
# NUA: 400 m x 500 m = 200000 m2 = 20 ha, planned 20 ha
expect_eq "$(csv_field "$out" NUA, area_m2)" 200000.000
expect_eq "$(csv_field "$out" NUA, area_ha)" 20.0000
expect_eq "$(csv_field "$out" NUA, deviation_pct)" 0.0000
expect_eq "$(csv_field "$out" NUA, planned_ha)" 20.00
# PostGIS 3.3 (PROJ 9.1): SELECT ST_Area(ST_Transform(ST_MakeEnvelope(560000, 2190000,
# 560400, 2190500, 5897), 4326)::geography) = 200023.65546. By hand: TM areal scale at
# E 560200 is k^2 = 0.99988956 (k0 0.9999, x'^2 / 2 rho N = 4.478e-5), so 200022.09 m2
# on VN-2000's ellipsoid; the Helmert scale +0.2529 ppm adds 0.10 m2, and the shift puts the
# points 23.28 m below WGS 84's ellipsoid (cct), 2 x 23.28 / 6.36e6 = 7.3 ppm: 200023.65.
expect_near "$(csv_field "$out" NUA, ellipsoidal_m2)" 200023.655 0.01
# clusters without a boundary keep their row, empty
expect_eq "$(grep '^HT,' <<<"$out" | cut -d, -f3-)" "existing,70.00,,,,"
expect_err "cluster HT has no boundary"
expect_err "area_m2 is the planar area in EPSG:5897, the legal figure"
# the note in Vietnamese too (the old build wrote it in English in every language)
run env LANGUAGE=vi "$CCN" areas "$WS" --format csv
expect_rc 0
expect_err "ccn: areas: area_m2 là diện tích phẳng trong EPSG:5897, số liệu pháp lý; ellipsoidal_m2 là diện tích trắc địa trên ellipsoid WGS 84"

# init kept the transformation to WGS 84 (no PROJ database to open for the
# question); without it, the database's transformation gives the same table.
expect_eq "$(sql "$WS" "SELECT substr(value, 1, 5) FROM ccn_meta WHERE key = 'lonlat_recipe'")" "PROJ "
kept=$out
sql "$WS" "DELETE FROM ccn_meta WHERE key = 'lonlat_recipe'" >/dev/null
run "$CCN" areas "$WS" --format csv
expect_rc 0; expect_eq "$out" "$kept"
run "$CCN" areas "$WS" --format json
expect_rc 0; expect_out '"code": "NUA"'; expect_out '"area_m2": 200000.000'; expect_out '"area_m2": null'
run "$CCN" areas "$WS" --format table -q
expect_rc 0; expect_out "NUA"
grep -q "legal figure" <<<"$err" && bad "-q still prints the note" || ok
run "$CCN" areas "$WS" -o "$TMP/areas.csv"
expect_rc 0; expect_eq "$(grep -c '^NUA,Nưa,new,20.00,200000.000,' "$TMP/areas.csv")" 1

# land use from the lots: CN-01 + CN-02 200 x 250 each industrial, DV-01 100 x 250,
# CX-01 100 x 250, GT-01 50 x 250, and 150 x 250 = 37500 m2 covered by no lot
"$CCN" import "$WS" "$D/clean_lots.geojson" --as lots -q >/dev/null
run "$CCN" areas "$WS" --by use --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" "cluster,use,area_m2,share_pct"
expect_eq "$(grep '^NUA,' <<<"$out" | tr '\n' ' ')" \
    "NUA,industrial,100000.000,50.0000 NUA,service,25000.000,12.5000 NUA,green,25000.000,12.5000 NUA,utility,0.000,0.0000 NUA,road,12500.000,6.2500 NUA,none,37500.000,18.7500 "
# a use no ccn import stores (written by another tool): the lot is named as
# people name it (the old build said "lot 3"), and left out
sql "$WS" "UPDATE lots SET use = 'factory' WHERE lot_no = 'DV-01'" >/dev/null
run "$CCN" areas "$WS" --by use --format csv
expect_err "lot NUA/DV-01 (fid $(sql "$WS" "SELECT fid FROM lots WHERE lot_no = 'DV-01'")) has use 'factory', none of industrial"
LANGUAGE=vi run "$CCN" areas "$WS" --by use --format csv
expect_err "lô NUA/DV-01 (fid "
expect_eq "$(grep '^NUA,service,' <<<"$out")" "NUA,service,0.000,0.0000"

# DL3 51 ha (+2 %), DT 70 ha; a lot partly outside DL3 counts only inside it
WS=$(new_ws defects)
for k in clusters lots; do "$CCN" import "$WS" "$D/defects_$k.geojson" --as $k -q >/dev/null; done
run "$CCN" areas "$WS" --format csv
expect_eq "$(csv_field "$out" DL3, area_m2),$(csv_field "$out" DL3, deviation_pct)" "510000.000,2.0000"
expect_eq "$(csv_field "$out" DT, area_m2),$(csv_field "$out" DT, deviation_pct)" "700000.000,0.0000"
run "$CCN" areas "$WS" --by use --format csv
# DL3's lots inside it: CN-01 9000 (90 of its 100 m), CN-03, CN-04, CN-05, cn-05 10000
# each; CN-02 lies in DT. Union: 49000 - the 1000 m2 CN-03/CN-04 overlap = 48000.
expect_eq "$(grep '^DL3,industrial,' <<<"$out")" "DL3,industrial,49000.000,9.6078"
expect_eq "$(grep '^DL3,none,' <<<"$out")" "DL3,none,462000.000,90.5882"
expect_eq "$(grep '^DT,none,' <<<"$out")" "DT,none,700000.000,100.0000"

# an invalid boundary is measured as repaired, with a warning: a bow-tie over a
# 100 x 200 rectangle crossing at (560050, 2190100) is two triangles of 200 x 50 / 2
# = 5000 m2 each
WS=$(new_ws bowtie)
cat >"$TMP/bowtie.geojson" <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [{"type": "Feature", "properties": {"code": "TN"},
   "geometry": {"type": "Polygon", "coordinates": [[[560000, 2190000], [560100, 2190200], [560100, 2190000], [560000, 2190200], [560000, 2190000]]]}}]}
EOF
"$CCN" import "$WS" "$TMP/bowtie.geojson" --as clusters -q >/dev/null
run "$CCN" areas "$WS" --format csv
expect_rc 0
expect_eq "$(csv_field "$out" TN, area_m2)" 10000.000
expect_eq "$(csv_field "$out" TN, deviation_pct)" -98.0000
expect_err "the boundary of cluster TN is invalid (Self-intersection"

# a boundary whose repair leaves no area (a ring out and back along one line) is said
# to have no area, once, not to be missing
WS=$(new_ws flat)
cat >"$TMP/flat.geojson" <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [{"type": "Feature", "properties": {"code": "TN"},
   "geometry": {"type": "Polygon", "coordinates": [[[560000, 2190000], [560100, 2190000], [560200, 2190000], [560000, 2190000]]]}}]}
EOF
"$CCN" import "$WS" "$TMP/flat.geojson" --as clusters -q >/dev/null
run "$CCN" areas "$WS" --format csv
expect_rc 0
expect_eq "$(csv_field "$out" TN, area_m2)" ""
expect_err "the boundary of cluster TN has no area: its area is empty"
[[ "$err" != *"cluster TN has no boundary"* ]] && ok || bad "a stored boundary called missing: $err"

# a workspace whose CRS's central meridian is 102° (EPSG:5896): NUA at 105.57° E is
# 3.6° away, more than meridian_max_deg (1.5): a warning, not a failure
WS=$TMP/far.sqlite
"$CCN" init "$WS" --district "$ROOT/gis" --crs EPSG:5896 >/dev/null
"$CCN" import "$WS" "$D/clean_clusters.geojson" --as clusters -q >/dev/null 2>&1
run "$CCN" areas "$WS" --format csv
expect_rc 0
expect_err "cluster NUA lies up to 3.5"
expect_err "from the central meridian 102.0000°"
# the planar area in that CRS is distorted (by hand: k^2 at 3.6° off is ~1.0032)
area=$(csv_field "$out" NUA, area_m2)
awk -v a="$area" 'BEGIN { exit !(a > 200500 && a < 201000) }' && ok || bad "distorted area $area"
# the ellipsoidal area does not depend on the projection
expect_near "$(csv_field "$out" NUA, ellipsoidal_m2)" 200023.655 0.05
finish
