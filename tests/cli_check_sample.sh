#!/bin/bash
# ccn check and ccn areas on the bundled sample layers: exactly the deliberate
# defects listed in layers/README.md ("Deliberate defects"), with the areas
# given there (the generator's own figures, computed independently of ccn),
# and the cluster areas of its "Clusters" table.
source "$(dirname "$0")/lib.sh"
L=$ROOT/layers
WS=$(new_ws sample)
imp() { "$CCN" import "$WS" "$@" -q >/dev/null || { echo "import $* failed" >&2; exit 3; }; }
imp "$L/clusters.gpkg" --as clusters
imp "$L/tho_ngoc.dxf" --as clusters --s-srs EPSG:5897
imp "$L/lots.gpkg" --as lots
imp "$L/parcels.shp" --as parcels --encoding TCVN3
imp "$L/plan.geojson" --as plan
imp "$L/communes.gpkg" --as communes
imp "$L/markers.csv" --as markers --s-srs EPSG:5897

run "$CCN" check "$WS" --format csv
expect_rc 1
# one row per defect of the README, plus AREA_DEVIATION for NUA, DT, TN and TTH
expect_eq "$(wc -l <<<"$out")" 17 "(header and 16 findings)"
count_code() { grep -c "^[a-z]*,$1," <<<"$out"; }
row() { grep -F -- "$1" <<<"$out" | head -1; }
area_of() { row "$1" | awk -F, '{print $7}'; }
for c in INVALID_GEOMETRY DUPLICATE_ID LOT_OUTSIDE_CLUSTER LOT_OVERLAP PARCEL_OVERLAP \
    PARCEL_GAP SLIVER MARKER_MISMATCH PROTECTED_LAND; do
    expect_eq "$(count_code $c)" 1 "($c)"
done
expect_eq "$(count_code AREA_LEGAL_MISMATCH)" 3
expect_eq "$(count_code AREA_DEVIATION)" 4
for c in NUA DT TN TTH; do expect_out "cluster $c covers"; done
expect_eq "$(count_code EMPTY_GEOMETRY)$(count_code NOT_POLYGON)$(count_code CLUSTER_OVERLAP)$(count_code LOT_WRONG_CLUSTER)" 0000

expect_out "lot HT/CN-10: Self-intersection"
expect_near "$(area_of HT/CN-10)" 9949.795 0.01
expect_out "parcel key (commune/sheet/parcel) 15703/8/71 is used again"
expect_near "$(area_of DL3/CN-01)" 400.000 0.01
expect_near "$(area_of 'NUA/CN-02 and NUA/CN-03')" 200.000 0.01
expect_near "$(area_of '15688/5/91 and 15688/16/13')" 100.006 0.01
expect_near "$(area_of 15727/58/218)" 24.011 0.01
# the gap where four parcels' corners were cut, at E 564351.059 N 2192884.186
expect_near "$(area_of PARCEL_GAP)" 7.763 0.01
expect_near "$(row PARCEL_GAP | awk -F, '{print $8}')" 564351.059 1
expect_near "$(row PARCEL_GAP | awk -F, '{print $9}')" 2192884.186 1
expect_out "parcel 15718/2/50: map area 658.363 m²"
expect_out "parcel 15751/49/77: map area 1189.398 m²"
expect_out "parcel 15724/49/107: map area 2053.005 m²"
# DT's M4 stands 3.000 m from its vertex
expect_out "marker M4 of cluster DT lies"
expect_out "3.000 m from its nearest vertex"
expect_near "$(area_of PROTECTED_LAND)" 14949.9 0.2
expect_err "validity   ran (clusters 6, lots 168, parcels 10310, plan 455, communes 34): 1 finding"

# ccn areas: the README's planar areas and deviations
run "$CCN" areas "$WS" --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" "code,name,status,planned_ha,area_m2,area_ha,ellipsoidal_m2,deviation_pct"
for pair in DL3:504114.477:0.82 HT:703278.618:0.47 NUA:196894.269:-1.55 DT:683181.889:-2.40 \
    TN:515175.754:3.04 TTH:1959403.389:-2.03; do
    IFS=: read -r code area dev <<<"$pair"
    expect_near "$(csv_field "$out" "$code," area_m2)" "$area" 0.001 "($code)"
    expect_near "$(csv_field "$out" "$code," deviation_pct)" "$dev" 0.005 "($code)"
done
# the part covered by no lot, as SpatiaLite computes it (union of the repaired
# lots, clipped to the cluster); the README's "lots cover 94.0-96.1 %" is the
# plain sum of lot areas (the bow-tie HT/CN-10 and the NUA overlap differ)
run "$CCN" areas "$WS" --by use --format csv
expect_rc 0
for c in DL3 HT NUA DT TN; do
    want=$(sql "$WS" "SELECT 100 - 100 * ST_Area(ST_Intersection((SELECT ST_Union(MakeValid(geom))
        FROM lots WHERE cluster = '$c'), geom)) / ST_Area(geom) FROM clusters WHERE code = '$c'")
    expect_near "$(grep "^$c,none," <<<"$out" | cut -d, -f4)" "$want" 0.0001 "($c none)"
    want=$(sql "$WS" "SELECT 100 * sum(ST_Area(ST_Intersection(MakeValid(l.geom), c.geom))) / min(ST_Area(c.geom))
        FROM lots l, clusters c WHERE c.code = '$c' AND l.cluster = '$c' AND l.use = 'industrial'")
    expect_near "$(grep "^$c,industrial," <<<"$out" | cut -d, -f4)" "$want" 0.0001 "($c industrial)"
done
expect_eq "$(grep -c '^TTH,' <<<"$out")" 6 "(TTH has no lots: all none)"
expect_eq "$(grep '^TTH,none,' <<<"$out" | cut -d, -f4)" 100.0000
finish
