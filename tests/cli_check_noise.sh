#!/bin/bash
# ccn check judges overlaps and gaps by width: digitising noise along a shared
# edge (thinner than edge_tol_m, 5 cm by default) is an EDGE_MISMATCH warning,
# a real overlap or gap an error with its whole area.
source "$(dirname "$0")/lib.sh"
field() { csv_field "$out" "$1" "$2"; }
count_code() { grep -c "^[a-z]*,$1," <<<"$out"; }

# --- tests/data/check/noisy_parcels.geojson: a 4 x 3 grid of 20 m cells ----------
# (EPSG:5897, by hand; fid k = cell (i, j) in row order, parcel_no 10j + i + 1)
#   fid 5 (0,1) reaches 3 cm into fid 6 (1,1): thin overlap 0.03 x 20 = 0.6 m²
#   fid 6 (1,1) stops 4 cm short of fid 7 (2,1): closed thin gap 0.04 x 20 = 0.8 m²
#   fid 1 (0,0) reaches 50 cm into fid 2 (1,0): overlap 0.5 x 20 = 10 m²
#   fid 2 (1,0)'s east edge runs (40,0) (40.02,10) (41,20) into fid 3: one
#     overlap, 2 cm wide at y = 10 and 1 m at y = 20: 0.1 + 5.1 = 5.2 m²
#   fid 7 (2,1) stops 1 m short of fid 8 (3,1): gap 1 x 20 = 20 m²
WS=$(new_ws noisy)
"$CCN" import "$WS" "$DATA/check/noisy_parcels.geojson" --as parcels -q >/dev/null \
    || { echo "import failed" >&2; exit 3; }
run "$CCN" check "$WS" --format csv --only parcels --wide # and the message in Vietnamese
expect_rc 1
expect_eq "$(count_code PARCEL_OVERLAP)" 2 "(the two real overlaps)"
expect_eq "$(count_code PARCEL_GAP)" 1 "(the real gap)"
expect_eq "$(count_code EDGE_MISMATCH)" 2 "(the thin overlap and the thin gap)"
expect_out "error,PARCEL_OVERLAP,parcels,1,parcels,2,10.000,"
expect_out "error,PARCEL_OVERLAP,parcels,2,parcels,3,5.200,"
expect_out "error,PARCEL_GAP,parcels,7,parcels,8,20.000,"
expect_out "warning,EDGE_MISMATCH,parcels,5,parcels,6,0.600,"
expect_out "warning,EDGE_MISMATCH,parcels,6,parcels,7,0.800,"
expect_out "a thin overlap of 0.600 m² over 20.0 m, about 0.030 m wide at its widest (edge tolerance 0.05 m)"
expect_out "a thin gap of 0.800 m² over 20.0 m, about 0.04"
# (the gap's width found by erosion to edge_tol_m / 16, 3.1 mm: 0.04 m by hand)
expect_near "$(grep -o 'thin gap of 0.800 m² over 20.0 m, about [0-9.]*' <<<"$out" | awk '{print $NF}')" 0.04 0.0032
expect_out "Lệch cạnh chung giữa thửa đất"
# The parcels are read west to east a batch at a time (ccn check holds only
# the parcels a parcel still to come may reach): batches of one, two and
# five parcels find the very same (a pair lost or found twice as parcels
# come and go would change the list).
whole=$out
for b in 1 2 5; do
    run env CCN_TEST_PARCEL_BATCH=$b "$CCN" check "$WS" --format csv --only parcels --wide
    expect_rc 1
    expect_eq "$out" "$whole" "(parcels in batches of $b)"
done
# The gaps against GEOS's union, computed independently by SpatiaLite
# (GUnion): two holes, 0.8 and 20 m² (by hand above); the thin one is the
# edge mismatch, the other the gap.
holes=$(sql "$WS" "WITH u AS (SELECT GUnion(geom) AS g FROM parcels)
    SELECT printf('%.3f', Area(MakePolygon(InteriorRingN(g, 1)))) || ' ' ||
           printf('%.3f', Area(MakePolygon(InteriorRingN(g, 2)))) FROM u")
read -r h1 h2 <<<"$(tr ' ' '\n' <<<"$holes" | sort -n | tr '\n' ' ')"
expect_near "$h1" 0.8 0.001 "(SpatiaLite's thin hole)"
expect_near "$h2" 20 0.001 "(SpatiaLite's gap)"
expect_near "$(field ',PARCEL_GAP,' area_m2)" "$h2" 0.01
expect_near "$(field ',EDGE_MISMATCH,parcels,6,' area_m2)" "$h1" 0.01
# A tolerance of 2 cm makes both thin pieces errors again (3 and 4 cm wide).
run "$CCN" check "$WS" --format csv --only parcels --tolerance edge_tol_m=0.02
expect_rc 1
expect_eq "$(count_code EDGE_MISMATCH)" 0
expect_out "error,PARCEL_OVERLAP,parcels,5,parcels,6,0.600,"
expect_out "error,PARCEL_GAP,parcels,6,parcels,7,0.800,"
run "$CCN" check "$WS" --tolerance edge_tol_m=-1
expect_rc 2; expect_err "edge_tol_m"

# --- ccn's own GeoJSON export re-imported: 7 decimals of a degree move every
# vertex by up to ~1 cm, which must not make lots overlap their clusters. The
# sample's deliberate lot defects (layers/README.md) stay errors, with their
# areas: DL3/CN-01 400 m² outside its cluster, NUA/CN-02 and CN-03 overlapping
# by 200 m². (Before edge_tol_m the round trip gave ~25 error-level overlaps of
# 0.5–2 m²; now they are EDGE_MISMATCH warnings.)
L=$ROOT/layers
WS=$(new_ws sample)
for a in "$L/clusters.gpkg --as clusters" "$L/tho_ngoc.dxf --as clusters --s-srs EPSG:5897" \
    "$L/lots.gpkg --as lots"; do
    # shellcheck disable=SC2086
    "$CCN" import "$WS" $a -q >/dev/null || { echo "import $a failed" >&2; exit 3; }
done
"$CCN" export "$WS" "$TMP/clusters.geojson" --layer clusters -q >/dev/null &&
    "$CCN" export "$WS" "$TMP/lots.geojson" --layer lots -q >/dev/null ||
    { echo "export failed" >&2; exit 3; }
WS2=$(new_ws again)
run "$CCN" import "$WS2" "$TMP/clusters.geojson" --as clusters
expect_rc 0
run "$CCN" import "$WS2" "$TMP/lots.geojson" --as lots
expect_rc 0
for ws in "$WS" "$WS2"; do
    run "$CCN" check "$ws" --format csv --only clusters,lots
    errors=$(grep -E '^error,(CLUSTER_OVERLAP|LOT_OUTSIDE_CLUSTER|LOT_OVERLAP|LOT_WRONG_CLUSTER),' <<<"$out")
    expect_eq "$(wc -l <<<"$errors")" 2 "(only the two deliberate lot defects in $(basename "$ws"))"
    # (after the round trip, up to ~1 cm along a perimeter of some 100 m)
    expect_near "$(csv_field "$out" 'DL3/CN-01' area_m2)" 400 1.5
    expect_near "$(csv_field "$out" 'NUA/CN-02 and NUA/CN-03' area_m2)" 200 1.5
done
# --- tests/data/check/relabel_parcels.geojson: six sloppily digitised parcels --------
# (cut out of a ccn-gen district with --noise) where the noder moves a vertex
# and the side labels of one face do not add up: that face is tested against
# the parcels themselves, which a check reading them a batch at a time has let
# go and reads once more, those around the face only (off the spatial index).
# test_coverage's second_read finds on them, all at once: an overlap of
# 0.992 m² between the first and the third, and four edge mismatches: two
# thin overlaps and two thin gaps, the holes of GEOS's union (SpatiaLite's
# GUnion, below: 0.7090 m² along the 2nd and 4th, 0.5715 m² along the 4th and
# 6th; with corners snapped at 1 cm the old build lost the second and made the
# first 0.626 m²; the snap is 0.1 µm now).
WS3=$(new_ws relabel)
"$CCN" import "$WS3" "$DATA/check/relabel_parcels.geojson" --as parcels -q >/dev/null \
    || { echo "import failed" >&2; exit 3; }
run "$CCN" check "$WS3" --format csv --only parcels
expect_rc 1
expect_out "error,PARCEL_OVERLAP,parcels,1,parcels,3,0.992,"
# (the overlap measured independently, by SpatiaLite's or PostGIS's GEOS)
expect_near "$(sql "$WS3" "SELECT printf('%.3f', ST_Area(ST_Intersection(a.geom, b.geom)))
    FROM parcels a, parcels b WHERE a.fid = 1 AND b.fid = 3")" 0.992 0.0005
expect_eq "$(count_code EDGE_MISMATCH)" 4
expect_out "warning,EDGE_MISMATCH,parcels,1,parcels,2,"
expect_out "warning,EDGE_MISMATCH,parcels,3,parcels,5,"
holes=$(sql "$WS3" "WITH u AS (SELECT GUnion(geom) AS g FROM parcels)
    SELECT printf('%.4f', Area(MakePolygon(InteriorRingN(g, 1)))) || ' ' ||
           printf('%.4f', Area(MakePolygon(InteriorRingN(g, 2)))) FROM u")
read -r h1 h2 <<<"$holes"
expect_near "$h1" 0.709 0.0005 "(GEOS's hole along the 2nd and 4th)"
expect_near "$h2" 0.5715 0.0005 "(GEOS's hole along the 4th and 6th)"
expect_near "$(csv_field "$out" ',EDGE_MISMATCH,parcels,2,parcels,4,' area_m2)" "$h1" 0.005
expect_near "$(csv_field "$out" ',EDGE_MISMATCH,parcels,4,parcels,6,' area_m2)" "$h2" 0.005
whole=$out
for b in 1 2; do
    run env CCN_TEST_PARCEL_BATCH=$b "$CCN" check "$WS3" --format csv --only parcels
    expect_eq "$out" "$whole" "(the relabelled face read again, parcels in batches of $b)"
done
# A workspace another tool made may lack the spatial index: all the parcels
# are read again instead, the same findings.
if [ "$BACKEND" = sqlite ]; then
    sql "$WS3" "SELECT DisableSpatialIndex('parcels', 'geom'); DROP TABLE idx_parcels_geom" >/dev/null
    run env CCN_TEST_PARCEL_BATCH=1 "$CCN" check "$WS3" --format csv --only parcels
    expect_eq "$out" "$whole" "(without the spatial index)"
fi
# --- A gap network's neck narrower than a tenth of a millimetre ---------------
# tests/data/check/pinch_parcels.geojson: ten parcels cut out of a ccn-gen
# district with --noise (tests/xcheck_postgis.sh 1000 777), rounded to the mm.
# Their union has one hole: thin channels along several shared edges, one of
# them a wide gap. Parcel 7's corner (562218.892, 2192218.853) lies 0.07 mm
# from parcel 10's edge (562212.125, 2192204.444)-(562218.901, 2192218.872)
# (by hand: cross product 6.776 x 14.409 - 14.428 x 6.767 = 0.001108 m², over
# the edge's 15.940 m), across the neck of the channel between parcels 9 and
# 10. GEOS keeps the neck open: one hole of 3.024 m² (SpatiaLite's GUnion,
# below). The old build snapped corners to edges within 0.1 mm, closed the
# neck and cut the hole in two: a gap of 2.509 m² and a thin gap of 0.514 m²
# between parcels 9 and 10.
WS4=$(new_ws pinch)
"$CCN" import "$WS4" "$DATA/check/pinch_parcels.geojson" --as parcels -q >/dev/null \
    || { echo "import failed" >&2; exit 3; }
run "$CCN" check "$WS4" --format csv --only parcels
expect_rc 1
hole=$(sql "$WS4" "WITH u AS (SELECT GUnion(geom) AS g FROM parcels)
    SELECT printf('%.3f', Area(MakePolygon(InteriorRingN(g, 1)))) FROM u")
expect_eq "$hole" 3.024 "(GEOS's one hole)"
expect_eq "$(count_code PARCEL_GAP)" 1 "(one gap, not cut at the neck)"
expect_out "error,PARCEL_GAP,parcels,5,parcels,6,$hole,"
expect_eq "$(grep -c "thin gap of" <<<"$out")" 0 "(no thin gap cut off the hole)"
# --- A gap's point lies inside it as printed ----------------------------------
# tests/data/check/gap_point_parcels.geojson: four parcels cut out of a ccn-gen
# district with --noise (tests/xcheck_postgis.sh 5000, NOISE=0.06,0.14) leave
# one hole of 0.693 m² (GEOS's union, below), a sliver widening to more than
# 5 cm. The old build located it at the middle of its widest horizontal chord
# on the scanline half-way up, 0.1 mm from its edge: printed to the millimetre,
# (563021.962, 2192682.406), a point inside parcel 2. A point within 1 mm of the
# edge now gives way to the centre of the widest circle the width test found.
WS5=$(new_ws gap_point)
"$CCN" import "$WS5" "$DATA/check/gap_point_parcels.geojson" --as parcels -q >/dev/null \
    || { echo "import failed" >&2; exit 3; }
run "$CCN" check "$WS5" --format csv --only parcels
expect_rc 1
expect_eq "$(sql "$WS5" "WITH u AS (SELECT GUnion(geom) AS g FROM parcels)
    SELECT printf('%.3f', Area(MakePolygon(InteriorRingN(g, 1)))) FROM u")" 0.693 "(GEOS's hole)"
expect_eq "$(count_code PARCEL_GAP)" 1
expect_out "error,PARCEL_GAP,parcels,1,parcels,3,0.693,"
gx=$(csv_field "$out" ',PARCEL_GAP,' x)
gy=$(csv_field "$out" ',PARCEL_GAP,' y)
expect_eq "$(sql "$WS5" "WITH u AS (SELECT GUnion(geom) AS g FROM parcels)
    SELECT ST_Within(MakePoint($gx, $gy, 5897), MakePolygon(InteriorRingN(g, 1))) FROM u")" 1 \
    "(the gap's point ($gx, $gy) inside GEOS's hole)"
expect_eq "$(sql "$WS5" "SELECT count(*) FROM parcels
    WHERE ST_Intersects(geom, MakePoint($gx, $gy, 5897))")" 0 "(and in no parcel)"
# --- Gaps are GEOS's holes: land enclosed by parcels touching at points ------
# Four worlds of 3 m cells, 100 m apart (cell (i, j) of world w at x = 100w + 3i,
# y = 3j), each around an empty cell (1, 1) of 9 m²:
#   0: four cells touching each other only at corners round it: four polygons
#      in the union, the cell outside all of them (no hole);
#   1: a C of five cells and a cell touching its two ends at corners: two
#      polygons, the cell outside both (no hole);
#   2: the same and a cell joining them: one polygon, its hole touching its
#      shell at one corner (a gap of 9 m²);
#   3: eight cells round it and a 1 m square island inside: a hole of 9 m²
#      less the island's 1 m² (a gap of 8 m²).
# The old build called the land of worlds 0 and 1 gaps too (the parcels
# enclose it), where GEOS's union, and PostGIS's, have no hole.
world() { # world W CELLS...
    local w=$1 c x y
    shift
    for c in "$@"; do
        read -r x y <<<"$c"
        printf '%s\n' '{"MaXa": "1", "SoHieuToBanDo": 9, "SoThuTuThua": '"$((100 * w + 10 * y + x))"'}'
        geojson_box $((100 * w + 3 * x)) $((3 * y)) $((100 * w + 3 * x + 3)) $((3 * y + 3))
        echo
    done
}
mapfile -t cells < <(world 0 "0 1" "1 2" "2 1" "1 0"
    world 1 "0 0" "0 1" "0 2" "1 2" "1 0" "2 1"
    world 2 "0 0" "0 1" "0 2" "1 2" "1 0" "2 1" "2 0"
    world 3 "0 0" "0 1" "0 2" "1 2" "2 2" "2 1" "2 0" "1 0")
cells+=('{"MaXa": "1", "SoHieuToBanDo": 9, "SoThuTuThua": 399}' "$(geojson_box 304 4 305 5)")
geojson_layer "${cells[@]}" >"$TMP/corners.geojson"
WS6=$(new_ws corners)
"$CCN" import "$WS6" "$TMP/corners.geojson" --as parcels -q >/dev/null || exit 3
run "$CCN" check "$WS6" --format csv --only parcels
expect_rc 1
# GEOS's holes (OGR's Union), each less the union inside it, by world.
holes=$(/usr/bin/python3 - "$TMP/corners.geojson" <<'PY'
import sys
from osgeo import ogr
ogr.UseExceptions()
ds = ogr.Open(sys.argv[1])  # held: its layer dies with it
u = None
for f in ds.GetLayer():
    g = f.GetGeometryRef().Clone()
    u = g if u is None else u.Union(g)
for k in range(u.GetGeometryCount()):
    part = u.GetGeometryRef(k)
    for r in range(1, part.GetGeometryCount()):
        hole = ogr.Geometry(ogr.wkbPolygon)
        hole.AddGeometry(part.GetGeometryRef(r))
        x = hole.Centroid().GetX()
        print(f"{int((x - 560000) // 100)} {hole.Difference(u).GetArea():.3f}")
PY
)
expect_eq "$(sort <<<"$holes" | tr '\n' ' ')" "2 9.000 3 8.000 " "(GEOS's holes by world)"
expect_eq "$(count_code PARCEL_GAP)" 2 "(the two holes, not the land of worlds 0 and 1)"
expect_eq "$(awk -F, '$2 == "PARCEL_GAP" { printf "%d %s ", ($8 - 560000) / 100, $7 }' <<<"$out")" \
    "2 9.000 3 8.000 " "(ccn's gaps by world: the holes' areas)"
# --- A tolerance of metres (session 19) --------------------------------------
# Two parcels overlapping in two pieces of 5 m x 10 m (one a multipolygon of
# two 20 m squares, the other a 30 m x 10 m strip across them): 100 m², and
# each piece's largest inscribed circle 5 m across (by hand). With
# edge_tol_m=8 the width's bounds never settled (the cells split as fast as
# they were dropped): minutes, where 0.1 s is enough. And the width is known
# to 5 mm, not a sixteenth of 8 m (it said "5.250").
cat >"$TMP/two_pieces.geojson" <<'J'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}},"features":[
{"type":"Feature","properties":{"MaXa":"1","SoHieuToBanDo":1,"SoThuTuThua":7},"geometry":{"type":"MultiPolygon","coordinates":[[[[560200,2189900],[560220,2189900],[560220,2189920],[560200,2189920],[560200,2189900]]],[[[560240,2189900],[560260,2189900],[560260,2189920],[560240,2189920],[560240,2189900]]]]}},
{"type":"Feature","properties":{"MaXa":"1","SoHieuToBanDo":1,"SoThuTuThua":8},"geometry":{"type":"Polygon","coordinates":[[[560215,2189905],[560245,2189905],[560245,2189915],[560215,2189915],[560215,2189905]]]}}]}
J
WS4=$(new_ws pieces)
"$CCN" import "$WS4" "$TMP/two_pieces.geojson" --as parcels -q >/dev/null || exit 3
for tol in 8 12; do
    run timeout 30 "$CCN" check "$WS4" --format csv --only parcels --tolerance edge_tol_m=$tol
    expect_rc 0
    expect_out "warning,EDGE_MISMATCH,parcels,1,parcels,2,100.000,"
    expect_near "$(grep -o 'about [0-9.]* m wide' <<<"$out" | awk '{print $2}')" 5 0.0035 \
        "(the pieces' width at edge_tol_m=$tol)"
done
finish
