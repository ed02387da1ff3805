#!/usr/bin/env bash
# cli_figures — areas, overlay, parcels, lookup and occupancy on adversarial
# layers (tests/data/figures, written by its make.py), every figure compared
# with PostGIS 3.3 (GEOS 3.11.1) on the same files loaded with ogr2ogr, or by
# hand. Relative to (551200, 2191200), EPSG:5897 (the rotated TTH excepted):
#   plan  1 SKN [0,400]x[0,300] with holes [150,200]x[100,150] (zone 2, ONT)
#           and [300,320]x[200,220] (no zone)
#         3 LUC [400,600]x[0,300]   4 SKN [350,450]x[250,350] (overlaps 1 and 3)
#         5 SKN [610,800]x[0,300]: a 10 m gap [600,610] between 3 and 5
#         6 CLN bow-tie   7 SKN [0,150]x[380,620]   8 SKK, 9 LUK (rotated 17°)
#         10 'skc' [0,80]x[700,860] (stored SKC)
#   DL3   [20,380]x[20,280] with a hole [100,140]x[60,100] and a triangle hole
#         (20,200) (60,220) (60,180) touching the shell at (20,200), plus
#         [420,480]x[20,80]: 93600 - 1600 - 800 + 3600 = 94800 m²
#   HT    [560,660]x[50,150] across the plan gap: LUC 4000, none 1000, SKN 5000
#   NUA   bow-tie (0,400) (200,600) (200,400) (0,600): two triangles of 10000 m²
#   DT    two overlapping squares [0,100]x[700,800], [50,150]x[750,850]
#   TN    one ring walking twice round [350,450]x[700,750]
#   TTH   rotated park with two holes, no lots
# Invalid boundaries are measured as GEOS's MakeValid repairs them with its
# structure method (shells united, holes taken away), the land the boundary
# encloses: DT 17500 m² (the union), TN 22500 (20000 + the 5000 its ring adds
# below). PostGIS: ST_Area(ST_MakeValid(geom, 'method=structure')) = 17500,
# 22500; plain ST_MakeValid(geom) (the linework method: land covered an odd
# number of times) gives 15000 and 17500, dropping the overlap of DT's parts
# and the part of TN its ring walks round twice.
source "$(dirname "$0")/lib.sh"
D=$DATA/figures

ws=$(new_ws figs)
for l in clusters plan parcels lots; do
    run "$CCN" import "$ws" "$D/$l.geojson" --as $l -q
    expect_rc 0
done
# A plan zone without a code is refused by name, in the same words on both back ends
# (it was the table's NOT NULL constraint, worded by SQLite or by PostgreSQL).
printf '%s\n' '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name":
    "urn:ogc:def:crs:EPSG::5897"}}, "features": [{"type": "Feature", "properties": {"landuse": ""},
    "geometry": {"type": "Polygon", "coordinates": [[[551200, 2191200], [551210, 2191200],
    [551210, 2191210], [551200, 2191200]]]}}]}' >"$TMP/no_code.geojson"
run "$CCN" import "$ws" "$TMP/no_code.geojson" --as plan
expect_rc 2
expect_err "1 of 1 features refused: feature 0: no planned land-use code; nothing imported"
printf 'cluster,marker,X,Y\nHT,M1,2191250,551760\nHT,,2191250,551860\n' >"$TMP/markers.csv"
run "$CCN" import "$ws" "$TMP/markers.csv" --as markers --s-srs EPSG:5897
expect_rc 2
expect_err "1 of 2 features refused: row 3: no marker id; nothing imported" # the header is row 1
# A use in another case is the use; an empty one follows the lot number's prefix.
expect_eq "$(sql "$ws" "SELECT cluster || ' ' || lot_no || ' ' || use FROM lots
    WHERE cluster IN ('HT', 'DT') ORDER BY cluster, lot_no" | tr '\n' ,)" \
    "DT CN-01 industrial,DT CN-02 industrial,HT CN-09 industrial,HT CN-10 industrial,"

# Areas. PostGIS: ST_Area(ST_Transform(geom, 4326)::geography) of the (repaired)
# boundaries: 94813.5195, 10001.4159, 20002.8580, 17502.5019, 22503.1976, 143119.9184.
run "$CCN" areas "$ws" --format csv
expect_rc 0
expect_out "DL3,Dân Lực – Dân Lý – Dân Quyền,existing,50.00,94800.000,9.4800,94813.520,-81.0400"
expect_out "HT,Hợp Thắng,existing,70.00,10000.000,1.0000,10001.416,-98.5714"
expect_out "NUA,Nưa,new,20.00,20000.000,2.0000,20002.858,-90.0000"
expect_out "DT,Đồng Thắng,new,70.00,17500.000,1.7500,17502.502,-97.5000"
expect_out "TN,Thọ Ngọc,new,50.00,22500.000,2.2500,22503.198,-95.5000"
expect_out ",reserve,200.00,143100.000,14.3100,143119.918,-92.8450"
expect_err "the boundary of cluster DT is invalid (Self-intersection[551300 2191950]): measured as repaired by MakeValid"

# Overlay by cluster. DL3: ONT 2500 (zone 1's hole), 400 in no zone (its other
# hole), SKN 91200 - 2900 = 88300 from zone 1, where zone 4 (SKN too) adds
# nothing: its 30 x 30 = 900 in DL3 lie in zone 1 (the build before counted them
# twice, SKN 89200, the rows adding up to 95700), LUC 60 x 60 = 3600. NUA: the left
# triangle and 2500 of the right one lie in zone 7. DT in zone 10: 80 x 100 +
# 30 x 50 = 9500. TTH: PostGIS gives SKK 80300.0000, LUK 62800.0000.
run "$CCN" overlay "$ws" --format csv
expect_rc 0
expect_eq "$(cut -d, -f1-4 <<<"$out")" "cluster,plan_code,area_m2,share_pct
DL3,SKN,88300.000,93.1435
DL3,LUC,3600.000,3.7975
DL3,ONT,2500.000,2.6371
DL3,,400.000,0.4219
HT,SKN,5000.000,50.0000
HT,LUC,4000.000,40.0000
HT,,1000.000,10.0000
NUA,SKN,12500.000,62.5000
NUA,,7500.000,37.5000
DT,SKC,9500.000,54.2857
DT,,8000.000,45.7143
TN,,22500.000,100.0000
TTH,SKK,80300.000,56.1146
TTH,LUK,62800.000,43.8854"
# Zone 4 overlaps zone 1 (SKN: once) and zone 3 (LUC), which meets DL3 but not
# where 4 does: nothing counted twice in DL3.
grep -q "cluster DL3: .* counted twice" <<<"$err" && bad "DL3: zones of one code counted twice" || ok
expect_err "plan zones of the same code overlap (a digitising error): 1 and 4 (SKN) by 2500.000 m²"
expect_err "1 plan zone(s) with invalid geometry, repaired (MakeValid) for computing: fid 6"
# check names the zone as the warning does ("plan zone zone 6" before).
run "$CCN" check "$ws" --only validity --format csv -q
expect_out 'error,INVALID_GEOMETRY,plan,6,,,5000.000,'
expect_out ',"plan zone 6 (CLN): Self-intersection; repaired with MakeValid'

# Overlay by parcel: every row as PostGIS's ST_Area(ST_Intersection(parcel,
# ST_Union(zones))) per code, and the uncovered part. Parcel 12 is a ring round
# HT (LUC 10000, SKN 7200, 400 in the gap); 13 lies in the gap; 14
# [340,460]x[240,260] crosses the overlapping zones: SKN zone 1 [340,400]x[240,260]
# ∪ zone 4 [350,450]x[250,260] = 1200 + 1000 - 500 = 1700 (the build before summed
# them, 2200), LUC 1200; 22 runs out and back along a
# line (no area: no row, named); 23 PostGIS SKK 16257.4850 of 19365.3341.
run "$CCN" overlay "$ws" --by parcel --format csv
expect_rc 0
expect_eq "$out" "parcel_id,commune,sheet,parcel_no,landuse,plan_code,area_m2
1,15682,1,1,LUC,SKN,400.020
2,15682,1,2,LUC,SKN,400.000
3,15682,1,3,LUC,SKN,400.000
4,15682,1,4,ONT,SKN,400.000
5,15682,1,5,ONT,SKN,1600.000
6,15682,1,6,LUC,SKN,3200.000
7,15682,1,7,LUC,SKN,1600.000
8,15682,1,8,LUC,SKN,399.980
9,15682,1,9,LUC,LUC,600.000
10,15682,1,10,LUC,SKN,200.000
11,15682,1,11,LUC,SKN,1000.000
12,15682,1,12,LUC,LUC,10000.000
12,15682,1,12,LUC,SKN,7200.000
12,15682,1,12,LUC,,400.000
13,15682,1,13,ONT,,1000.000
14,15682,1,14,LUC,SKN,1700.000
14,15682,1,14,LUC,LUC,1200.000
15,15682,1,15,LUC,SKN,800.000
16,15682,1,16,LUC,SKN,100.000
17,15682,2,1,LUC,SKN,4000.000
18,15682,2,2,LUC,SKC,2800.000
18,15682,2,2,LUC,,2100.000
19,15682,2,3,LUC,,16000.000
20,15682,2,4,LUC,SKK,1600.000
21,15682,2,5,LUK,LUK,2500.000
21,15682,2,5,LUK,SKK,2500.000
23,15682,2,7,LUC,SKK,16257.485
23,15682,2,7,LUC,,3107.849
24,15682,2,8,LUC,LUK,10000.000
25,15685,1,1,ONT,SKN,100.000"
expect_err "1 parcel(s) without polygonal geometry (none, empty or unreadable), left out: fid 22"

# Parcels taken: those whose interior meets a cluster (PostGIS ST_Relate(p, c,
# 'T********'), the same 17). Not taken: 2 (shares DL3's edge), 3 (its corner),
# 4 (inside DL3's hole), 5 (fills the hole), 8 (1 mm short), 12 (a ring whose
# hole holds HT), 20 (inside TTH's hole). Taken: 1 by 1 mm (20 m x 1 mm = 0.020
# m²), 7 (1600 less the triangle hole's 800), 15 (400 less 200 of that hole),
# 16 (touches DL3's hole at a point, inside DL3 otherwise), 10 (bow-tie: one
# 100 m² triangle inside), 17 (2 x 400 of NUA's triangles), 18 (the union of
# DT's parts: 3600 + 3600 - 2500), 19 (TN's 22500 ∩ [320,480]x[690,790]).
# PostGIS: 23 affected 12475.9776 of 19365.3341.
run "$CCN" parcels "$ws" --format csv --wide # remnant_m2 is an extra column
expect_rc 0
expect_eq "$(cut -d, -f1,2,8-11 <<<"$out")" "cluster,parcel_id,parcel_area_m2,affected_m2,affected_pct,remnant_m2
DL3,1,400.020,0.020,0.0050,400.000
DL3,6,3200.000,3200.000,100.0000,0.000
DL3,7,1600.000,800.000,50.0000,800.000
DL3,9,600.000,100.000,16.6667,500.000
DL3,10,200.000,100.000,50.0000,100.000
DL3,11,1000.000,700.000,70.0000,300.000
DL3,14,2400.000,800.000,33.3333,1600.000
DL3,15,800.000,200.000,25.0000,600.000
DL3,16,100.000,100.000,100.0000,0.000
DL3,25,100.000,100.000,100.0000,0.000
HT,13,1000.000,1000.000,100.0000,0.000
NUA,17,4000.000,800.000,20.0000,3200.000
DT,18,4900.000,4700.000,95.9184,200.000
TN,19,16000.000,14200.000,88.7500,1800.000
TTH,21,5000.000,3000.000,60.0000,2000.000
TTH,23,19365.334,12475.978,64.4243,6889.357
TTH,24,10000.000,5000.000,50.0000,5000.000"

# Lookup: the key is in two communes; a parcel in the plan's gap; parcel 14
# meets zone 4 where it overlaps zone 1 (SKN too: counted once) and where it
# overlaps zone 3 (LUC: [400,450]x[250,260] = 500 counted for SKN and for LUC).
run "$CCN" lookup "$ws" --sheet 1 --parcel 14 --commune 15682
expect_rc 0
expect_err "parcel 14: 500.000 m² counted twice (overlapping plan zones fid 3, 4)"
# Without --commune each is answered (DESIGN §5: --commune is optional), a
# warning naming both; the build before: exit 2 and nothing on stdout.
run "$CCN" lookup "$ws" --sheet 1 --parcel 1 --format csv
expect_rc 0
expect_err "sheet 1, parcel 1 is in 2 communes: each is answered, its commune in column commune (--commune picks one):"
expect_eq "$(cut -d, -f1-4 <<<"$out" | sort -u | grep -c '^[0-9]*,1568[0-9],1,1$')" 2 "(one parcel of each commune)"
run "$CCN" lookup "$ws" --sheet 1 --parcel 13 --commune 15682 --format csv
expect_rc 0
expect_out "13,15682,1,13,ONT,M in the plan gap,,1000.000,,,false,1000.000,100.0000"
run "$CCN" lookup "$ws" --sheet 1 --parcel 12 --commune 15682 --format csv
expect_rc 0
expect_out "12,15682,1,12,LUC,L ring around HT,,17600.000,LUC,Đất chuyên trồng lúa nước,true,10000.000,56.8182"
expect_out "12,15682,1,12,LUC,L ring around HT,,17600.000,,,false,400.000,2.2727"

# Occupancy: whole lots (CN-03 and CN-09 reach out of their clusters: 3500 and
# 2400 m² all the same). DL3: CN-01 7000 [2024-01-01, 2025-06-30), cn-02 4200
# from 2025-06-30, CN-03 3500 [2022-03-15, 2023-03-15) and from 2024-01-01,
# CN-04 1600 on 2025-07-01 only: 16300 m² leasable; 10500 leased on 2025-06-29,
# 7700 on 2025-06-30. NUA has a service lot only and TN none: empty, not 0.
run "$CCN" lease "$ws" import "$D/leases.csv"
expect_rc 0
expect_out "7 leases imported"
for day in 2025-06-29 2025-06-30 30/06/2025 2025-07-01; do
    run "$CCN" occupancy "$ws" --as-of "$day" --format csv
    expect_rc 0
    case $day in
    2025-06-29) expect_out "DL3,Dân Lực – Dân Lý – Dân Quyền,existing,80.0000,16300.000,10500.000,64.4172,false" ;;
    2025-07-01) expect_out "DL3,Dân Lực – Dân Lý – Dân Quyền,existing,80.0000,16300.000,9300.000,57.0552,false" ;;
    *) expect_out "DL3,Dân Lực – Dân Lý – Dân Quyền,existing,80.0000,16300.000,7700.000,47.2393,false" ;;
    esac
    expect_out "HT,Hợp Thắng,existing,80.0000,3900.000,2400.000,61.5385,false"
    expect_eq "$(grep ^NUA, <<<"$out")" "NUA,Nưa,new,30.0000,0.000,0.000,,"
    expect_out "DT,Đồng Thắng,new,30.0000,2500.000,900.000,36.0000,true"
    expect_eq "$(grep ^TN, <<<"$out")" "TN,Thọ Ngọc,new,30.0000,0.000,0.000,,"
done
run "$CCN" occupancy "$ws" --as-of 30/06/2025 --by lot --cluster DL3 --format csv
expect_rc 0
expect_out "DL3,CN-01,industrial,7000.000,false,,,"
expect_out "DL3,cn-02,industrial,4200.000,true,Cty B,2025-06-30,"
expect_out "DL3,CN-03,industrial,3500.000,true,Cty D,2024-01-01,"
expect_out "DL3,CX 1,green,2800.000,,,,"
expect_out "DL3,GT01,road,4800.000,,,,"
expect_out "DL3,HT-2,utility,1400.000,,,,"
run "$CCN" occupancy "$ws" --series quarter --from 2023-Q1 --to 31/03/2026 --format csv --wide # and the quarter
expect_rc 0
expect_out "2023-03-31,DL3,0.000,0.0000,2023-Q1"
expect_out "2024-12-31,DT,900.000,36.0000,2024-Q4"
expect_out "2026-03-31,DT,0.000,0.0000,2026-Q1"
expect_out "2026-03-31,NUA,0.000,,2026-Q1"
expect_eq "$(grep -c '^20' <<<"$out")" "78" "13 quarters x 6 clusters"

# A register with a bad row of each kind is refused whole.
run "$CCN" lease "$ws" import "$D/leases_bad.csv"
expect_rc 2
expect_err "leases_bad.csv:3: start_date: the lease of HT/CN-10 from 2024-12-31, running overlaps the lease of line 2"
expect_err "leases_bad.csv:4: end_date: 2024-12-31 is not after the start 2025-01-01"
expect_err "leases_bad.csv:5: end_date: 2025-01-01 is not after the start 2025-01-01"
expect_err "leases_bad.csv:6: lot_no: NUA/DV-01 is a service lot: only industrial lots are leased"
expect_err "leases_bad.csv:7: start_date: '31/02/2025' is not a date"
expect_eq "$(sql "$ws" "SELECT count(*) FROM leases")" "7"

# "Today" is the office's calendar day (the time zone TZ), not UTC's: in Thanh Hóa
# (UTC+7) UTC's date is yesterday's until 7 in the morning. These two zones are 26
# hours apart, so never on the same day (POSIX TZ strings: no tzdata needed).
for tz in XST-14 YST12; do
    run env TZ=$tz "$CCN" occupancy "$ws" --cluster HT --format csv --wide # as_of is an extra column
    expect_rc 0
    expect_eq "$(csv_field "$out" HT as_of)" "$(TZ=$tz date +%F)" "occupancy as of today, TZ=$tz"
    # QGIS's view of the lots: its day on the reader's clock (PostgreSQL: the server's)
    [ "$BACKEND" = pg ] ||
        expect_eq "$(TZ=$tz sql "$ws" "SELECT DISTINCT as_of FROM lots_status")" "$(TZ=$tz date +%F)"
done

finish
