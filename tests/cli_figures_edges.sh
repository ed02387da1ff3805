#!/usr/bin/env bash
# cli_figures_edges — areas, overlay (by cluster and by parcel), parcels, lookup
# and occupancy on a second hand-made world, each figure worked out by hand and
# compared with PostGIS 3.3 on the same workspace copied by ogr2ogr (ST_Area,
# ST_Area(ST_Transform(g, 4326)::geography), SUM(ST_Area(ST_Intersection(c, z)))
# GROUP BY code, ST_MakeValid(g, 'method=structure')): the same values. Run on
# both back ends (cli_figures_edges_pg). Relative to (570000, 2190000), EPSG:5897:
#   plan  SKN [0,200]x[0,200] touching 'SKN<no-break space>' [200,400]x[0,200]
#         ONT [0,400]x[200,300] with a hole [100,150]x[220,270] no zone covers
#         'skn' [400,500]x[0,100]   ' LUC ' [400,500]x[100,200]
#         'đtl' [500,600]x[0,100] (DTL typed with a đ, as people write "đất thủy lợi")
#         SKN multipolygon [600,700]x[0,100] + [700,800]x[0,100] (parts sharing an edge)
#         SKN [0,150]x[400,500]   'Skn' [300,500]x[400,600] with a hole [350,400]x[450,500]
#         ONT [350,400]x[450,500] (that hole)   'rđd' [1150,1200]x[150,200] (RDD, protected)
#   DL3   [50,350]x[50,250] + [450,650]x[50,150] = 60000 + 20000, partly outside the plan:
#         SKN 45000 + 2500 + 2500, ONT 15000 - 1500, DTL 5000, LUC 2500, none 1500 + 7500
#   HT    [1000,1200]x[0,200] less a hole [1050,1100]x[50,100]: 37500, RDD 2500, the rest
#         in no zone
#   DT    [0,100]x[400,500] + [100,200]x[400,500] (invalid: parts share an edge): 20000
#   TN    [300,500]x[400,600] drawn clockwise, its hole [350,400]x[450,500] counter-clockwise
# A spreadsheet's no-break space after a code ("SKN\u00a0", a parcel's "luc\u00a0",
# a lot "CN-01\u00a0", a lease's "CN-01\u00a0") is white space, like an ASCII space:
# the code SKN. The build before stored 'SKN ' (a code of its own: DL3's SKN
# row split 20000 / 30000, not conforming) and refused the lease of TN's lot.
# Land-use codes are ASCII (gis/landuse.csv); one typed with Vietnamese letters
# whose plain letters make a known code is that code, and said: 'đtl' is DTL,
# 'rđd' the protected RDD (the build before stored ĐTL and RĐD, unknown codes:
# HT's protected forest land was not flagged), a parcel's 'đgt' DGT.
# A commune code from a number field (15682.0) is the whole number, 15682.
source "$(dirname "$0")/lib.sh"
F=$TMP/f
mkdir -p "$F"
python3 - "$F" <<'PY'
import json, sys
X0, Y0 = 570000.0, 2190000.0
def pt(x, y): return [X0 + x, Y0 + y]
def box(x1, y1, x2, y2): return [pt(x1, y1), pt(x2, y1), pt(x2, y2), pt(x1, y2), pt(x1, y1)]
def poly(*r): return {"type": "Polygon", "coordinates": list(r)}
def mpoly(*p): return {"type": "MultiPolygon", "coordinates": [q["coordinates"] for q in p]}
def write(name, feats):
    with open(sys.argv[1] + "/" + name, "w") as f:
        json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties":
                   {"name": "urn:ogc:def:crs:EPSG::5897"}}, "features": [{"type": "Feature",
                   "properties": p, "geometry": g} for p, g in feats]}, f, ensure_ascii=False)
write("plan.geojson", [
    ({"landuse": "SKN"}, poly(box(0, 0, 200, 200))),
    ({"landuse": "SKN\u00a0"}, poly(box(200, 0, 400, 200))),
    ({"landuse": "ONT"}, poly(box(0, 200, 400, 300), box(100, 220, 150, 270)[::-1])),
    ({"landuse": "skn"}, poly(box(400, 0, 500, 100))),
    ({"landuse": " LUC "}, poly(box(400, 100, 500, 200))),
    ({"landuse": "đtl"}, poly(box(500, 0, 600, 100))),
    ({"landuse": "SKN"}, mpoly(poly(box(600, 0, 700, 100)), poly(box(700, 0, 800, 100)))),
    ({"landuse": "SKN"}, poly(box(0, 400, 150, 500))),
    ({"landuse": "Skn"}, poly(box(300, 400, 500, 600), box(350, 450, 400, 500)[::-1])),
    ({"landuse": "ONT"}, poly(box(350, 450, 400, 500))),
    ({"landuse": "rđd"}, poly(box(1150, 150, 1200, 200)))])
write("clusters.geojson", [
    ({"code": "DL3"}, mpoly(poly(box(50, 50, 350, 250)), poly(box(450, 50, 650, 150)))),
    ({"code": "HT"}, poly(box(1000, 0, 1200, 200), box(1050, 50, 1100, 100)[::-1])),
    ({"code": "DT"}, mpoly(poly(box(0, 400, 100, 500)), poly(box(100, 400, 200, 500)))),
    ({"code": "TN"}, poly(box(300, 400, 500, 600)[::-1], box(350, 450, 400, 500)))])
parcels = [((0, 0, 50, 50), "corner"), ((350, 100, 400, 150), "edge"),
           ((300, 100, 400, 150), "half"), (None, "multi"), ((1040, 40, 1110, 110), "round hole"),
           ((1050, 50, 1100, 100), "fills hole"), ((180, 450, 320, 470), "two clusters"),
           ((100, 500, 110, 510), "edge between parts"), ((90, 390, 110, 410), "part seam"),
           ((355, 455, 395, 495), "in TN hole")]
# parcel 6's commune as QGIS writes a shapefile's real MaXa: the number 15682.0
write("parcels.geojson", [({"commune": 15682.0 if i == 6 else "15682", "sheet": 7, "parcel_no": i,
    "landuse": "luc\u00a0" if i == 3 else "đgt" if i == 8 else "LUC", "owner": o},
    mpoly(poly(box(440, 40, 460, 60)), poly(box(640, 140, 660, 160))) if b is None
    else poly(box(*b))) for i, (b, o) in enumerate(parcels, 1)])
write("lots.geojson", [
    ({"cluster": "DL3", "lot_no": "CN-01", "use": "industrial"}, poly(box(60, 60, 160, 160))),
    ({"cluster": "DL3", "lot_no": "CN-02", "use": "industrial"}, poly(box(200, 60, 300, 160))),
    ({"cluster": "DL3", "lot_no": "CN-03", "use": "industrial"}, poly(box(460, 60, 560, 140))),
    ({"cluster": "DL3", "lot_no": "DV-01", "use": "service"}, poly(box(160, 60, 200, 160))),
    # DT's lot reaches into TN: whole, in DT
    ({"cluster": "DT", "lot_no": "CN-01", "use": "industrial"}, poly(box(150, 410, 350, 430))),
    ({"cluster": "TN", "lot_no": "CN-01\u00a0", "use": "industrial"}, poly(box(410, 410, 490, 490))),
    ({"cluster": "HT", "lot_no": "CX-01", "use": "green"}, poly(box(1010, 10, 1040, 40)))])
PY
nbsp=$(printf '\302\240')
cat >"$F/leases.csv" <<CSV
cluster,lot_no,tenant,start_date,end_date,note
DL3,CN-01,Cty A,2024-03-31,2024-06-30,
DL3,CN-02,Cty B,30/06/2024,,
DL3,CN-03,Cty C,01/01/2023,31/03/2024,
DL3,CN-03,Cty D,31/03/2024,,
DT,CN-01,Cty E,2024-09-30,2024-10-01,
TN,CN-01$nbsp,Cty F,2024-12-31,,
CSV

ws=$(new_ws edges)
for l in clusters plan parcels lots; do
    run "$CCN" import "$ws" "$F/$l.geojson" --as $l -q
    expect_rc 0
    case $l in
    plan) expect_err "plan.geojson: land-use codes written with Vietnamese letters, on 2 features, read as the codes of gis/landuse.csv: ĐTL → DTL, RĐD → RDD" ;;
    parcels) expect_err "on 1 feature, read as the codes of gis/landuse.csv: ĐGT → DGT" ;;
    esac
done
run "$CCN" lease "$ws" import "$F/leases.csv"
expect_rc 0
expect_out "6 leases imported"
expect_eq "$(sql "$ws" "SELECT DISTINCT landuse FROM plan WHERE landuse LIKE 'SKN%'")" SKN
expect_eq "$(sql "$ws" "SELECT landuse FROM parcels WHERE parcel_no = 3")" LUC
expect_eq "$(sql "$ws" "SELECT landuse FROM parcels WHERE parcel_no = 8")" DGT
expect_eq "$(sql "$ws" "SELECT lot_no FROM lots WHERE cluster = 'TN'")" CN-01

# Areas: planar as stored (the holes and DT's parts as MakeValid's structure
# method joins them); PostGIS ST_Area(ST_Transform(g, 4326)::geography):
# 80006.852, 37503.105, 20001.726, 37503.197 (ring orientation does not matter).
run "$CCN" areas "$ws" --format csv
expect_rc 0
expect_eq "$(grep -E '^(DL3|HT|DT|TN),' <<<"$out" | cut -d, -f1,4-)" \
"DL3,50.00,80000.000,8.0000,80006.852,-84.0000
HT,70.00,37500.000,3.7500,37503.105,-94.6429
DT,70.00,20000.000,2.0000,20001.726,-97.1429
TN,50.00,37500.000,3.7500,37503.197,-92.5000"

# Overlay by cluster: zones of one code (in any case, with any space round it)
# summed, the part outside every zone (DL3's hole of ONT, its second part's
# north) the row without a code; TN's hole is the Skn zone's too: all SKN.
run "$CCN" overlay "$ws" --format csv
expect_rc 0
expect_eq "$out" "cluster,plan_code,area_m2,share_pct
DL3,SKN,50000.000,62.5000
DL3,ONT,13500.000,16.8750
DL3,DTL,5000.000,6.2500
DL3,LUC,2500.000,3.1250
DL3,,9000.000,11.2500
HT,RDD,2500.000,6.6667
HT,,35000.000,93.3333
DT,SKN,15000.000,75.0000
DT,,5000.000,25.0000
TN,SKN,37500.000,100.0000"

run "$CCN" overlay "$ws" --cluster HT --wide --format csv
expect_out "HT,RDD,2500.000,6.6667,Đất rừng đặc dụng,true,false"
run "$CCN" check "$ws" --format csv
expect_rc 1
expect_out ",PROTECTED_LAND,clusters,"
expect_eq "$(grep -c ',PROTECTED_LAND,' <<<"$out")" 2 # DL3 on LUC, HT on RDD

# Overlay by parcel: every parcel, the multipolygon parcel 4 half in 'skn',
# half in no zone; parcel 10 in the Skn zone's hole, in the ONT zone there.
run "$CCN" overlay "$ws" --by parcel --format csv
expect_rc 0
expect_eq "$(cut -d, -f1,6- <<<"$out" | tr '\n' ' ')" \
"parcel_id,plan_code,area_m2 1,SKN,2500.000 2,SKN,2500.000 3,SKN,5000.000 4,SKN,400.000 \
4,,400.000 5,,4900.000 6,,2500.000 7,SKN,400.000 7,,2400.000 8,,100.000 9,SKN,200.000 \
9,,200.000 10,ONT,1600.000 "

# Parcels taken: not 1 (DL3's corner), 2 (its edge), 6 (fills HT's hole),
# 8 (the edge where DT's parts meet), 10 (in TN's hole). Parcel 7 crosses DT
# and TN: a row for each; 9 straddles the seam of DT's parts: 200 of 400.
run "$CCN" parcels "$ws" --format csv --wide
expect_rc 0
expect_eq "$(cut -d, -f1,2,6,8- <<<"$out")" \
"cluster,parcel_id,landuse,parcel_area_m2,affected_m2,affected_pct,remnant_m2,remnant_small,area_legal_m2
DL3,3,LUC,5000.000,2500.000,50.0000,2500.000,false,
DL3,4,LUC,800.000,200.000,25.0000,600.000,false,
HT,5,LUC,4900.000,2400.000,48.9796,2500.000,false,
DT,7,LUC,2800.000,400.000,14.2857,2400.000,false,
DT,9,LUC,400.000,200.000,50.0000,200.000,false,
TN,7,LUC,2800.000,400.000,14.2857,2400.000,false,"

# The commune 15682.0 of a number field is commune 15682 (the build before
# stored '15682.0': lookup --commune 15682 found no parcel 7/6).
expect_eq "$(sql "$ws" "SELECT DISTINCT commune FROM parcels")" 15682
run "$CCN" lookup "$ws" --commune 15682 --sheet 7 --parcel 6 --format csv
expect_rc 0
expect_out "6,15682,7,6,LUC,fills hole,,2500.000,,,false,2500.000,100.0000"
run "$CCN" lookup "$ws" --sheet 7 --parcel 10 --format csv
expect_rc 0
expect_out "10,15682,7,10,LUC,in TN hole,,1600.000,ONT,Đất ở tại nông thôn,false,1600.000,100.0000"

# Occupancy: a lease runs on D when start <= D < end. DL3's industrial lots
# 10000 + 10000 + 8000 = 28000; DT's lot 4000 whole though it reaches into TN;
# TN's 6400. On 30 March CN-03's first lease (to 31 March); on 31 March it
# ends and its second starts, CN-01 starts; on 30 June CN-01 ends and CN-02
# starts; DT's lease runs on 30 September only. HT (a green lot only) and NUA
# (nothing) are empty, not 0.
occ() { "$CCN" occupancy "$ws" -q --as-of "$1" --format csv 2>/dev/null | grep -E "^$2," | cut -d, -f5-; }
expect_eq "$(occ 2024-03-30 DL3)" "28000.000,8000.000,28.5714,false"
expect_eq "$(occ 31/03/2024 DL3)" "28000.000,18000.000,64.2857,false"
expect_eq "$(occ 2024-06-30 DL3)" "28000.000,18000.000,64.2857,false"
expect_eq "$(occ 30/9/2024 DT)" "4000.000,4000.000,100.0000,true"
expect_eq "$(occ 2024-10-01 DT)" "4000.000,0.000,0.0000,false"
expect_eq "$(occ 2024-12-30 TN)" "6400.000,0.000,0.0000,false"
expect_eq "$(occ 2024-12-31 TN)" "6400.000,6400.000,100.0000,true"
expect_eq "$(occ 2024-12-31 HT)" "0.000,0.000,,"
expect_eq "$(occ 2024-12-31 NUA)" "0.000,0.000,,"
run "$CCN" occupancy "$ws" --as-of 2024-06-30 --by lot --format csv
expect_rc 0
expect_eq "$(grep -E '^(DL3|DT|TN),' <<<"$out")" \
"DL3,CN-01,industrial,10000.000,false,,,
DL3,CN-02,industrial,10000.000,true,Cty B,2024-06-30,
DL3,CN-03,industrial,8000.000,true,Cty D,2024-03-31,
DL3,DV-01,service,4000.000,,,,
DT,CN-01,industrial,4000.000,false,,,
TN,CN-01,industrial,6400.000,false,,,"
# The series: quarter ends from 15/02/2024 to 15/11/2024 (not 31 December).
run "$CCN" occupancy "$ws" --series quarter --from 15/02/2024 --to 15/11/2024 --format csv
expect_rc 0
expect_eq "$(grep -E ',(DL3|DT|TN),' <<<"$out" | tr '\n' ' ')" \
"2024-03-31,DL3,18000.000,64.2857 2024-03-31,DT,0.000,0.0000 2024-03-31,TN,0.000,0.0000 \
2024-06-30,DL3,18000.000,64.2857 2024-06-30,DT,0.000,0.0000 2024-06-30,TN,0.000,0.0000 \
2024-09-30,DL3,18000.000,64.2857 2024-09-30,DT,4000.000,100.0000 2024-09-30,TN,0.000,0.0000 "
expect_eq "$(grep -c ',HT,0.000,$' <<<"$out")" 3
finish
