#!/bin/bash
# ccn check on rings of hundreds of thousands of vertices (a densely digitised
# canal, a lot traced from a scan) is never much slower than GEOS (issue:
# real-world geometry). Two convex parcels, circles of 200,000 vertices each,
# radii 100 m and 60 m, centres 120 m apart: they overlap in a lens of
# r1² acos((d²+r1²-r2²)/2dr1) + r2² acos((d²+r2²-r1²)/2dr2)
#   - ½ √((-d+r1+r2)(d+r1-r2)(d-r1+r2)(d+r1+r2)) = 2770.852 m² (by hand; the
# polygons' chords take under 1e-6 m² off it). Clipping one convex part by the
# other costs the product of their sizes: the build before this test took
# minutes here (5 s at 50,000 vertices each); past a budget GEOS measures it.
source "$(dirname "$0")/lib.sh"

/usr/bin/python3 - "$TMP/circles.geojson" <<'PY' || exit 3
import json, math, sys
def circle(cx, cy, r, n):
    pts = [[cx + r * math.cos(2 * math.pi * k / n), cy + r * math.sin(2 * math.pi * k / n)]
           for k in range(n)]
    return pts + [pts[0]]
feats = [{"type": "Feature", "properties": {"MaXa": "1", "SoHieuToBanDo": 1, "SoThuTuThua": no},
          "geometry": {"type": "Polygon", "coordinates": [circle(cx, 2189900, r, 200000)]}}
         for no, cx, r in ((1, 560300, 100), (2, 560420, 60))]
json.dump({"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
           "features": feats}, open(sys.argv[1], "w"))
PY
WS=$(new_ws large)
run "$CCN" import "$WS" "$TMP/circles.geojson" --as parcels -q
expect_rc 0
run timeout 20 "$CCN" check "$WS" --only parcels --format csv
expect_rc 1
expect_near "$(csv_field "$out" ',PARCEL_OVERLAP,parcels,1,parcels,2,' area_m2)" 2770.852 0.002 \
    "(the lens, by hand)"
finish
