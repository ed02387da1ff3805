#!/usr/bin/env bash
# cli_overlay_same_code — plan zones of one code that overlap (a digitising
# error) count their common part once: a code's area is that of the polygon ∩
# the union of the code's zones (DESIGN §6); zones of different codes count
# theirs once for each code. Relative to (560000, 2190000), EPSG:5897:
#   plan  1 SKN [0,60]x[0,60]   2 SKN [40,100]x[40,100]: common [40,60]x[40,60] = 400
#         3 LUC [50,100]x[0,30]: over zone 1 on [50,60]x[0,30] = 300, apart from zone 2
#   DL3   [0,100]x[0,100] = 10000 m²:
#         SKN 3600 + 3600 - 400 = 6800 (68 %), LUC 50 x 30 = 1500 (15 %),
#         in no zone [0,40]x[60,100] + [60,100]x[30,40] = 1600 + 400 = 2000 (20 %);
#         the rows add up to 10300: the 300 of zones 1 and 3, counted for SKN and for LUC.
#   parcel 1 (15682/1/1) [30,70]x[30,70] = 1600: SKN [30,60]x[30,60] ∪ [40,70]x[40,70]
#         = 900 + 900 - 400 = 1400 (87.5 %), in no zone [60,70]x[30,40] + [30,40]x[60,70] = 200
#   parcel 2 (15682/1/2) [45,65]x[20,40] = 400: SKN [45,60]x[20,40] = 300, LUC [50,65]x[20,30]
#         = 150, in no zone [60,65]x[30,40] = 50; 100 ([50,60]x[20,30]) counted twice
# The build before summed the pieces of a code: SKN 7200 for DL3 ("700.000 m² counted
# twice", zones 1, 2, 3), 1800 for parcel 1 ("400.000 m² counted twice", zones 1, 2).
# The per-code figures are checked again by the back end's own SQL below
# (ST_Area(ST_Intersection(c, ST_Union(zones of the code)))).
source "$(dirname "$0")/lib.sh"

geojson_layer '{"code": "DL3"}' "$(geojson_box 0 0 100 100)" >"$TMP/clusters.geojson"
geojson_layer \
    '{"MAXA": "15682", "SOTO": 1, "SOTHUA": 1, "LOAIDAT": "LUC"}' "$(geojson_box 30 30 70 70)" \
    '{"MAXA": "15682", "SOTO": 1, "SOTHUA": 2, "LOAIDAT": "ONT"}' "$(geojson_box 45 20 65 40)" \
    >"$TMP/parcels.geojson"
geojson_layer '{"landuse": "SKN"}' "$(geojson_box 0 0 60 60)" \
    '{"landuse": "SKN"}' "$(geojson_box 40 40 100 100)" \
    '{"landuse": "LUC"}' "$(geojson_box 50 0 100 30)" >"$TMP/plan.geojson"

ws=$(new_ws)
for l in clusters parcels plan; do
    run "$CCN" import "$ws" "$TMP/$l.geojson" --as $l -q
    expect_rc 0
done

run "$CCN" overlay "$ws" --cluster DL3 --format csv
expect_rc 0
expect_eq "$out" "cluster,plan_code,area_m2,share_pct
DL3,SKN,6800.000,68.0000
DL3,LUC,1500.000,15.0000
DL3,,2000.000,20.0000"
# The same-code pair is an error counted once; only the other pair is counted twice.
expect_err "plan zones of the same code overlap (a digitising error): 1 and 2 (SKN) by 400.000 m²; 400.000 m² in all, counted once for that code"
expect_err "plan zones overlap (a digitising error): 1 (SKN) and 3 (LUC) by 300.000 m²; 300.000 m² in all is counted twice, once for each zone's code"
expect_err "cluster DL3: 300.000 m² counted twice (overlapping plan zones fid 1, 3)"
run env LANGUAGE=vi "$CCN" overlay "$ws" --cluster DL3 --format csv
expect_err "các vùng quy hoạch cùng mã chồng lấn nhau (lỗi số hóa): 1 và 2 (SKN) chồng 400.000 m²; tổng cộng 400.000 m², chỉ tính một lần cho mã đó"
expect_err "các vùng quy hoạch chồng lấn nhau (lỗi số hóa): 1 (SKN) và 3 (LUC) chồng 300.000 m²; tổng cộng 300.000 m² bị tính hai lần, một lần theo mã của mỗi vùng"

run "$CCN" overlay "$ws" --by parcel --format csv
expect_rc 0
expect_eq "$out" "parcel_id,commune,sheet,parcel_no,landuse,plan_code,area_m2
1,15682,1,1,LUC,SKN,1400.000
1,15682,1,1,LUC,,200.000
2,15682,1,2,ONT,SKN,300.000
2,15682,1,2,ONT,LUC,150.000
2,15682,1,2,ONT,,50.000"
# One worker computes the same rows.
CCN_THREADS=1 "$CCN" overlay "$ws" --by parcel -o "$TMP/one.csv" 2>/dev/null
expect_eq "$(cat "$TMP/one.csv")" "$out"
run "$CCN" overlay "$ws" --by parcel --cluster DL3 --format csv
expect_rc 0
expect_out "1,15682,1,1,LUC,SKN,1400.000"

# Lookup: parcel 1 has nothing counted twice (its zones are of one code), parcel 2 has.
run "$CCN" lookup "$ws" --commune 15682 --sheet 1 --parcel 1 --format csv
expect_rc 0
expect_out "1,15682,1,1,LUC,,,1600.000,SKN,Đất cụm công nghiệp,false,1400.000,87.5000"
expect_out "1,15682,1,1,LUC,,,1600.000,,,false,200.000,12.5000"
grep -q "parcel 1: .* counted twice" <<<"$err" && bad "parcel 1: a same-code overlap called counted twice" || ok
run "$CCN" lookup "$ws" --commune 15682 --sheet 1 --parcel 2 --format csv
expect_rc 0
expect_out "2,15682,1,2,ONT,,,400.000,SKN,Đất cụm công nghiệp,false,300.000,75.0000"
expect_out "2,15682,1,2,ONT,,,400.000,LUC,Đất chuyên trồng lúa nước,true,150.000,37.5000"
expect_out "2,15682,1,2,ONT,,,400.000,,,false,50.000,12.5000"
expect_err "parcel 2: 100.000 m² counted twice (overlapping plan zones fid 1, 3)"

# The back end's own SQL (SpatiaLite or PostGIS): per code, the area of the
# polygon ∩ the union of that code's zones.
per_code() { # per_code TABLE FID: "CODE AREA;" per code
    sql "$ws" "SELECT group_concat(code || ' ' || a, ';') FROM (SELECT z.landuse AS code,
        round(ST_Area(ST_Intersection((SELECT geom FROM $1 WHERE fid = $2), ST_Union(z.geom))), 3) AS a
        FROM plan z GROUP BY z.landuse HAVING ST_Area(ST_Intersection((SELECT geom FROM $1 WHERE fid = $2),
        ST_Union(z.geom))) > 0 ORDER BY z.landuse) t"
}
trim() { sed -E 's/\.0+( |;|$)/\1/g; s/(\.[0-9]*[1-9])0+( |;|$)/\1\2/g'; }
expect_eq "$(per_code clusters 1 | trim)" "LUC 1500;SKN 6800" "(SQL, DL3)"
expect_eq "$(per_code parcels 1 | trim)" "SKN 1400" "(SQL, parcel 1)"
expect_eq "$(per_code parcels 2 | trim)" "LUC 150;SKN 300" "(SQL, parcel 2)"

finish
