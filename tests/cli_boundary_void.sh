#!/usr/bin/env bash
# cli_boundary_void — a cluster boundary that MakeValid leaves no area of (its
# hole is its shell: [0,400]x[500,900] less the same square) is left out of
# overlay and parcels with that reason; the build before said 'no boundary
# imported' and, for --cluster, 'has no boundary yet; import it', though one
# was imported. PostGIS 3.3: ST_Area(ST_MakeValid(g, 'method=structure')) is 0
# (ccn's repair; areas leaves the area empty and says why); PostGIS's default,
# linework, gives 160000 (the shell and the hole each a polygon).
source "$(dirname "$0")/lib.sh"
python3 - "$TMP" <<'PY'
import json, sys
X0, Y0 = 565000.0, 2185000.0
def box(x1, y1, x2, y2, cw=False):
    r = [[X0 + x1, Y0 + y1], [X0 + x2, Y0 + y1], [X0 + x2, Y0 + y2], [X0 + x1, Y0 + y2], [X0 + x1, Y0 + y1]]
    return r[::-1] if cw else r
json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
           "features": [{"type": "Feature", "properties": {"code": c}, "geometry": {"type": "Polygon", "coordinates": r}}
                        for c, r in [("DL3", [box(0, 0, 300, 300)]),
                                     ("TTH", [box(0, 500, 400, 900), box(0, 500, 400, 900, True)])]]},
          open(sys.argv[1] + "/clusters.geojson", "w"))
def layer(name, props, ring):
    json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
               "features": [{"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}]},
              open(sys.argv[1] + "/" + name + ".geojson", "w"))
layer("plan", {"landuse": "SKN"}, box(-100, -100, 500, 1000))
layer("parcels", {"commune": "15682", "sheet": 1, "parcel_no": 1, "landuse": "LUC", "owner": "x"}, box(250, 250, 350, 600))
PY
ws=$(new_ws void)
for l in clusters plan parcels; do
    run "$CCN" import "$ws" "$TMP/$l.geojson" --as $l -q
    expect_rc 0
done
run "$CCN" areas "$ws" --format csv
expect_rc 0
expect_out "TTH,Khu công nghiệp phía Tây Thanh Hóa (phần trên địa bàn huyện),reserve,200.00,,,,"
expect_out "DL3,Dân Lực – Dân Lý – Dân Quyền,existing,50.00,90000.000,9.0000,"
expect_err "the boundary of cluster TTH has no area: its area is empty"
for cmd in overlay parcels; do
    run "$CCN" $cmd "$ws" --format csv
    expect_rc 0
    expect_err "left out, boundary with no area once repaired (MakeValid; 'ccn check' reports it): TTH"
    expect_err "left out, no boundary imported: HT, NUA, DT, TN"
    run "$CCN" $cmd "$ws" --cluster TTH --format csv
    expect_rc 2
    expect_err "cluster TTH: its boundary has no area once repaired (MakeValid), so no figure can be computed ('ccn check' reports it)"
done
LANGUAGE=vi run "$CCN" overlay "$ws" --format csv
expect_err "bỏ qua vì ranh giới không còn diện tích sau khi sửa (MakeValid; 'ccn check' báo lỗi này): TTH"
LANGUAGE=vi run "$CCN" overlay "$ws" --cluster TTH --format csv
expect_err "cụm TTH: ranh giới không còn diện tích sau khi sửa (MakeValid) nên không tính được số liệu nào"
# DL3 alone, wholly in the SKN zone; the parcel [250,350]x[250,600] meets it in
# [250,300]x[250,300]: 2500 of 35000 m²; TTH, over the rest of it, takes nothing.
run "$CCN" overlay "$ws" --format csv
expect_eq "$(tail -n +2 <<<"$out")" "DL3,SKN,90000.000,100.0000"
run "$CCN" parcels "$ws" --format csv
expect_eq "$(tail -n +2 <<<"$out" | cut -d, -f1,8-)" "DL3,35000.000,2500.000,7.1429"
finish
