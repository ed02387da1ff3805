#!/usr/bin/env bash
# ccn overlay, ccn parcels, ccn lookup on a hand-made world (tests/data/overlay),
# every figure worked out by hand. Relative to (560000, 2190000), EPSG:5897:
#   plan  1 SKN [0,100]x[0,200]   2 LUC [100,200]x[0,100]
#         3 ONT [100,200]x[100,200]   4 LUC [200,300]x[0,200]; nothing east of 300
#   DL3 [50,250]x[50,150] = 20000 m²: SKN 50x100, LUC 100x50 + 50x100, ONT 100x50
#   HT  [280,350]x[0,100] =  7000 m²: LUC 20x100 = 2000, no plan 50x100 = 5000
#   parcels (fid: commune/sheet/parcel, box, land use):
#     1 15682/1/1 [40,60]x[60,80] LUC     2 15682/1/2 [90,110]x[90,110] LUC
#     3 15682/1/3 [245,255]x[100,130] ONT 4 15682/1/4 [290,310]x[10,20] CLN
#     5 15682/2/1 [250,260]x[50,60] LUC (touches DL3's edge only)
#     6 15685/1/1 [150,160]x[150,160] ONT (same sheet and number as fid 1; touches DL3)
#     7 15682/1/5 bow-tie (10,10)-(30,30)-(30,10)-(10,30): MakeValid -> two 100 m² triangles
#     8 15682/1/6 [150,160]x[145,155] LUC 9 15682/3/1 [85,95]x[50,60] BHK
#   plan_overlap.geojson adds 5 SKN [80,120]x[50,60], overlapping zone 1 (SKN, counted once)
#   and zone 2 (LUC, counted for each code) by 200 m² each.
source "$(dirname "$0")/lib.sh"
D=$DATA/overlay

# Bad input first: nothing imported yet.
ws=$(new_ws)
run "$CCN" overlay "$ws"
expect_rc 2; expect_err "no cluster boundaries"
run "$CCN" overlay "$ws" --by parcel
expect_rc 2; expect_err "no parcels in the workspace"; expect_eq "$out" ""
run "$CCN" parcels "$ws"
expect_rc 2; expect_err "no parcels"
run "$CCN" lookup "$ws" --sheet 1 --parcel 1
expect_rc 2; expect_err "no parcels"
"$CCN" import "$ws" "$D/clusters.geojson" --as clusters -q >/dev/null
run "$CCN" overlay "$ws"
expect_rc 2; expect_err "no plan in the workspace"; expect_err "--as plan"
"$CCN" import "$ws" "$D/parcels.geojson" --as parcels -q >/dev/null
run "$CCN" overlay "$ws" --by parcel -o "$TMP/none.csv"
expect_rc 2; expect_err "no plan"
[ ! -e "$TMP/none.csv" ] && ok || bad "a failed overlay left $TMP/none.csv"
run "$CCN" lookup "$ws" --sheet 1 --parcel 2
expect_rc 2; expect_err "no plan"
"$CCN" import "$ws" "$D/plan.geojson" --as plan -q >/dev/null
# lookup without --commune finds the parcel through an index, not a scan of every parcel
if [ "$BACKEND" = pg ]; then # the index is there (the planner scans a table of 6 rows anyway)
    expect_eq "$(sql "$ws" "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'parcels_sheet'")" \
        "CREATE INDEX parcels_sheet ON $(ws_schema "$ws").parcels USING btree (sheet, commune, parcel_no, landuse)"
else
    plan=$(sql "$ws" "EXPLAIN QUERY PLAN SELECT p.fid FROM parcels p LEFT JOIN commune_registry r ON r.code = p.commune WHERE p.sheet = 1 AND p.parcel_no = 2")
    grep -Eq "USING (COVERING )?INDEX parcels_sheet" <<<"$plan" && ok || bad "lookup scans the parcels: $plan"
fi

# Usage errors.
run "$CCN" overlay "$ws" --by lot
expect_rc 2; expect_err "--by 'lot': expected cluster or parcel"
run "$CCN" overlay "$ws" --by parcel --cluster NUA
expect_rc 2; expect_err "cluster NUA has no boundary"; expect_eq "$out" ""
run "$CCN" overlay "$ws" --cluster XX
expect_rc 2; expect_err "unknown cluster 'XX'"; expect_err "DL3, HT, NUA"
run "$CCN" overlay "$ws" --cluster NUA
expect_rc 2; expect_err "cluster NUA has no boundary"
run "$CCN" parcels "$ws" --cluster XX
expect_rc 2; expect_err "unknown cluster 'XX'"
run "$CCN" parcels "$ws" --remnant -5
expect_rc 2; expect_err "--remnant '-5'"
run "$CCN" lookup "$ws" --sheet 1
expect_rc 2; expect_err "--sheet and --parcel are required"
run "$CCN" lookup "$ws" --sheet one --parcel 1
expect_rc 2; expect_err "--sheet 'one'"
run "$CCN" overlay --help
expect_rc 0; expect_out "Usage: ccn overlay"
run "$CCN" parcels --help
expect_rc 0; expect_out "--remnant"
run "$CCN" lookup --help
expect_rc 0; expect_out "--commune"

# Overlay by cluster: the conforming code first, then by area, the uncovered part
# last; the columns of DESIGN §8, and with --wide the plan's name and flags.
run "$CCN" overlay "$ws" --format csv --wide
expect_rc 0
expect_eq "$out" "cluster,plan_code,area_m2,share_pct,plan_name,protected,conforming
DL3,SKN,5000.000,25.0000,Đất cụm công nghiệp,false,true
DL3,LUC,10000.000,50.0000,Đất chuyên trồng lúa nước,true,false
DL3,ONT,5000.000,25.0000,Đất ở tại nông thôn,false,false
HT,LUC,2000.000,28.5714,Đất chuyên trồng lúa nước,true,false
HT,,5000.000,71.4286,,false,false"
expect_err "left out, no boundary imported: NUA, DT, TN, TTH"
run "$CCN" overlay "$ws" --format csv
expect_rc 0
expect_eq "$out" "cluster,plan_code,area_m2,share_pct
DL3,SKN,5000.000,25.0000
DL3,LUC,10000.000,50.0000
DL3,ONT,5000.000,25.0000
HT,LUC,2000.000,28.5714
HT,,5000.000,71.4286"
run "$CCN" overlay "$ws" --cluster HT --format json
expect_rc 0
expect_out '"cluster": "HT", "plan_code": null, "area_m2": 5000.000, "share_pct": 71.4286'
expect_eq "$(grep -c '"cluster": "DL3"' <<<"$out")" "0"

# Overlay by parcel: every parcel, zones of one code summed, the bow-tie repaired.
run "$CCN" overlay "$ws" --by parcel --format csv
expect_rc 0
expect_eq "$out" "parcel_id,commune,sheet,parcel_no,landuse,plan_code,area_m2
1,15682,1,1,LUC,SKN,400.000
2,15682,1,2,LUC,SKN,200.000
2,15682,1,2,LUC,LUC,100.000
2,15682,1,2,LUC,ONT,100.000
3,15682,1,3,ONT,LUC,300.000
4,15682,1,4,CLN,LUC,100.000
4,15682,1,4,CLN,,100.000
5,15682,2,1,LUC,LUC,100.000
6,15685,1,1,ONT,ONT,100.000
7,15682,1,5,LUK,SKN,200.000
8,15682,1,6,LUC,ONT,100.000
9,15682,3,1,BHK,SKN,100.000"
expect_err "1 parcel(s) with invalid geometry, repaired (MakeValid) for computing: fid 7"
# The same rows with one worker thread, and to a file.
CCN_THREADS=1 "$CCN" overlay "$ws" --by parcel -o "$TMP/one.csv" 2>/dev/null
expect_eq "$(cat "$TMP/one.csv")" "$out"
# With --cluster, the parcels the cluster takes (as 'ccn parcels' below: 1, 2, 3,
# 8, 9 — not 5 and 6, which only touch DL3; HT takes 4), each whole: their rows above.
all=$out
run "$CCN" overlay "$ws" --by parcel --cluster DL3 --format csv
expect_rc 0
expect_eq "$out" "$(grep -E '^(parcel_id|[12389]),' <<<"$all")"
expect_eq "$(grep -c . <<<"$out")" "8" "header and 7 rows"
run "$CCN" overlay "$ws" --by parcel --cluster HT --format csv
expect_rc 0
expect_eq "$out" "$(grep -E '^(parcel_id|4),' <<<"$all")"
expect_eq "$(grep -c . <<<"$out")" "3" "header and 2 rows"

# Parcels taken: interior meets the cluster (5 and 6 only touch), remnants (--wide),
# sort order.
run "$CCN" parcels "$ws" --format csv --wide
expect_rc 0
expect_eq "$out" "cluster,parcel_id,commune,sheet,parcel_no,landuse,owner,parcel_area_m2,affected_m2,affected_pct,remnant_m2,remnant_small,area_legal_m2
DL3,1,15682,1,1,LUC,Nguyễn Văn An,400.000,200.000,50.0000,200.000,false,400.000
DL3,2,15682,1,2,LUC,Trần Thị Bình,400.000,400.000,100.0000,0.000,false,400.000
DL3,3,15682,1,3,ONT,Lê Văn Cường,300.000,150.000,50.0000,150.000,false,300.000
DL3,8,15682,1,6,LUC,Bùi Thị Khánh,100.000,50.000,50.0000,50.000,true,100.000
DL3,9,15682,3,1,BHK,Ngô Văn Long,100.000,100.000,100.0000,0.000,false,100.000
HT,4,15682,1,4,CLN,Phạm Thị Dung,200.000,200.000,100.0000,0.000,false,200.000"
run "$CCN" parcels "$ws" --format csv
expect_rc 0
expect_eq "$out" "cluster,parcel_id,commune,sheet,parcel_no,landuse,owner,parcel_area_m2,affected_m2,affected_pct
DL3,1,15682,1,1,LUC,Nguyễn Văn An,400.000,200.000,50.0000
DL3,2,15682,1,2,LUC,Trần Thị Bình,400.000,400.000,100.0000
DL3,3,15682,1,3,ONT,Lê Văn Cường,300.000,150.000,50.0000
DL3,8,15682,1,6,LUC,Bùi Thị Khánh,100.000,50.000,50.0000
DL3,9,15682,3,1,BHK,Ngô Văn Long,100.000,100.000,100.0000
HT,4,15682,1,4,CLN,Phạm Thị Dung,200.000,200.000,100.0000"
# A larger remnant size flags parcels 1 and 3 as well (remnants 200 and 150).
run "$CCN" parcels "$ws" --cluster DL3 --remnant 250 --format csv --wide
expect_rc 0
expect_eq "$(awk -F, '$12 == "true" { printf "%s ", $2 }' <<<"$out")" "1 3 8 "
# Totals: LUC = parcels 1, 2, 8: 400 + 400 + 100 m², taken 200 + 400 + 50 = 650 = 3.25 % of 20000.
run "$CCN" parcels "$ws" --totals --format csv
expect_rc 0
expect_eq "$out" "cluster,landuse,landuse_name,parcels,parcel_area_m2,affected_m2,share_pct,small_remnants
DL3,LUC,Đất chuyên trồng lúa nước,3,900.000,650.000,3.2500,1
DL3,ONT,Đất ở tại nông thôn,1,300.000,150.000,0.7500,0
DL3,BHK,Đất bằng trồng cây hàng năm khác,1,100.000,100.000,0.5000,0
DL3,*,Tổng cộng,5,1300.000,900.000,4.5000,1
HT,CLN,Đất trồng cây lâu năm,1,200.000,200.000,2.8571,0
HT,*,Tổng cộng,1,200.000,200.000,2.8571,0"

# Lookup: a key in two communes answers both (DESIGN §5: --commune is
# optional), each row naming its commune, and warns with the candidates (the
# build before: exit 2, nothing on stdout); a commune by code or by name.
run "$CCN" lookup "$ws" --sheet 1 --parcel 1 --format csv
expect_rc 0; expect_err "sheet 1, parcel 1 is in 2 communes: each is answered"
expect_err "--commune 15682  (parcel_id 1, LUC, Nguyễn Văn An)"
expect_err "--commune 15685  (parcel_id 6, ONT, Vũ Thị Giang)"
expect_eq "$(cut -d, -f1-6 <<<"$out" | sort -u)" "1,15682,1,1,LUC,Nguyễn Văn An
6,15685,1,1,ONT,Vũ Thị Giang
parcel_id,commune,sheet,parcel_no,landuse,owner"
grep -q "recorded .* times" <<<"$err" && bad "two communes called a duplicate key" || ok
run "$CCN" lookup "$ws" --sheet 1 --parcel 1 --commune "Triệu Thành" --format csv
expect_rc 0
expect_eq "$out" "parcel_id,commune,sheet,parcel_no,landuse,owner,area_legal_m2,parcel_area_m2,plan_code,plan_name,protected,area_m2,share_pct
6,15685,1,1,ONT,Vũ Thị Giang,100.000,100.000,ONT,Đất ở tại nông thôn,false,100.000,100.0000"
# The name as people type it: without diacritics, in capitals, after its kind,
# or the code with spaces round it (the old build: "no parcel ... of commune").
for c in "trieu thanh" "Xã TRIỆU THÀNH" " 15685 "; do
    run "$CCN" lookup "$ws" --sheet 1 --parcel 1 --commune "$c" --format csv
    expect_rc 0
    expect_out "6,15685,1,1,ONT,Vũ Thị Giang,100.000,100.000,ONT,Đất ở tại nông thôn,false,100.000,100.0000"
done
# The commune since 1 July 2025 (gis/communes.csv: Hợp Thành 15682 and Triệu
# Thành 15685 are now Hợp Tiến, code 15682): sheet 1 / parcel 1 is in both old
# communes (listed), parcel 4 only in Hợp Thành (answered); Thị trấn Triệu Sơn's
# new commune is another (no parcel). The old build: "no parcel ... of commune".
run "$CCN" lookup "$ws" --sheet 1 --parcel 1 --commune "Hợp Tiến" --format csv
expect_rc 0; expect_err "sheet 1, parcel 1 of commune Hợp Tiến is in 2 communes: each is answered"
expect_err "--commune 15685  (parcel_id 6, ONT, Vũ Thị Giang)"
expect_eq "$(cut -d, -f1-2 <<<"$out" | sort -u | tr '\n' ' ')" "1,15682 6,15685 parcel_id,commune "
for c in "Hợp Tiến" "xa hop tien"; do
    run "$CCN" lookup "$ws" --sheet 1 --parcel 4 --commune "$c" --format csv
    expect_rc 0
    expect_out "4,15682,1,4,CLN,Phạm Thị Dung,200.000,200.000,LUC,"
done
run "$CCN" lookup "$ws" --sheet 1 --parcel 1 --commune 15682 --format csv # the old code first
expect_rc 0
expect_eq "$(cut -d, -f1,2 <<<"$out" | tail -n +2 | sort -u)" "1,15682"
run "$CCN" lookup "$ws" --sheet 1 --parcel 4 --commune "Triệu Sơn"
expect_rc 2; expect_err "no parcel sheet 1, parcel 4 of commune Triệu Sơn"
# A new commune kept an old one's code or name (Hợp Tiến: code 15682 of Hợp
# Thành, name of old 15679): the old reading comes first, the other is said.
# Two more parcels: 15685 sheet 19 / 9 (Triệu Thành, in Hợp Tiến since 2025)
# and 15679 sheet 1 / 1.
cat >"$TMP/more_parcels.geojson" <<'JSON'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [
  {"type": "Feature", "properties": {"commune": "15685", "sheet": 19, "parcel_no": 9, "landuse": "ONT", "owner": "Người Khác"},
   "geometry": {"type": "Polygon", "coordinates": [[[560300, 2190300], [560310, 2190300], [560310, 2190310], [560300, 2190310], [560300, 2190300]]]}},
  {"type": "Feature", "properties": {"commune": "15679", "sheet": 1, "parcel_no": 1, "landuse": "ONT", "owner": "Đỗ Văn Hải"},
   "geometry": {"type": "Polygon", "coordinates": [[[560320, 2190300], [560330, 2190300], [560330, 2190310], [560320, 2190310], [560320, 2190300]]]}}
 ]}
JSON
"$CCN" import "$ws" "$TMP/more_parcels.geojson" --as parcels -q >/dev/null || exit 3
# 15682 as Hợp Thành has no 19/9: answered from the new commune, and said so
# (the reviewer's case: the first build answered without a word).
run "$CCN" lookup "$ws" --sheet 19 --parcel 9 --commune 15682 --format csv
expect_rc 0
expect_out ",15685,19,9,ONT,Người Khác,"
expect_err "the old commune '15682' has none; taken as the commune formed on 1 July 2025 of that name or code: old commune 15685"
# "Hợp Tiến" as old 15679 has 1/1: answered, and the new commune's 1/1s named.
run "$CCN" lookup "$ws" --sheet 1 --parcel 1 --commune "Hợp Tiến" --format csv
expect_rc 0
expect_eq "$(cut -d, -f2 <<<"$out" | tail -n +2 | sort -u)" "15679"
expect_err "'Hợp Tiến' also names the commune formed on 1 July 2025 whose old commune(s) 15682, 15685 have this sheet and parcel too"
run env LANGUAGE=vi "$CCN" lookup "$ws" --sheet 1 --parcel 1 --commune "Hợp Tiến" --format csv
expect_err "cũng là tên hoặc mã của xã mới thành lập từ 1/7/2025, có các xã cũ 15682, 15685"
run "$CCN" lookup "$ws" --sheet 1 --parcel 4 --format csv
expect_rc 0
expect_out "4,15682,1,4,CLN,Phạm Thị Dung,200.000,200.000,LUC,Đất chuyên trồng lúa nước,true,100.000,50.0000"
expect_out "4,15682,1,4,CLN,Phạm Thị Dung,200.000,200.000,,,false,100.000,50.0000"
run "$CCN" lookup "$ws" --sheet 9 --parcel 9
expect_rc 2; expect_err "no parcel sheet 9, parcel 9 in the workspace"
run "$CCN" lookup "$ws" --sheet 1 --parcel 1 --commune 15699
expect_rc 2; expect_err "no parcel sheet 1, parcel 1 of commune 15699"

# Overlapping zones: still answered, with a warning naming them. Zones 1 and 5
# are both SKN: their common part counts once (the build before summed them,
# SKN 5400 and parcel 9 SKN 200); zones 2 (LUC) and 5 count theirs once for each code.
"$CCN" import "$ws" "$D/plan_overlap.geojson" --as plan --replace -q >/dev/null
run "$CCN" overlay "$ws" --cluster DL3 --format csv
expect_rc 0
expect_out "DL3,SKN,5200.000,26.0000"       # [50,100]x[50,150] ∪ [80,120]x[50,60]: 5000 + 20x10
expect_out "DL3,LUC,10000.000,50.0000"
expect_err "plan zones overlap (a digitising error): 2 (LUC) and 5 (SKN) by 200.000 m²; 200.000 m² in all is counted twice"
expect_err "plan zones of the same code overlap (a digitising error): 1 and 5 (SKN) by 200.000 m²; 200.000 m² in all, counted once for that code"
expect_err "cluster DL3: 200.000 m² counted twice (overlapping plan zones fid 2, 5)"
run "$CCN" overlay "$ws" --by parcel --format csv
expect_rc 0
expect_out "9,15682,3,1,BHK,SKN,100.000"     # in zone 1 and in zone 5, once
expect_out "2,15682,1,2,LUC,LUC,100.000"
expect_err "200.000 m² in all is counted twice"
run "$CCN" lookup "$ws" --sheet 3 --parcel 1 --format csv
expect_rc 0
expect_out "9,15682,3,1,BHK,Ngô Văn Long,100.000,100.000,SKN,Đất cụm công nghiệp,false,100.000,100.0000"
grep -q "parcel 9: .* counted twice" <<<"$err" && bad "parcel 9: zones of one code called counted twice" || ok

# A parcel of 1 cm² (0.0001 m², under the 0.0005 m² that prints as 0.000) has no row:
# a worker's first parcel without rows and a listing without rows (under UBSan this
# copied and moved zero bytes from NULL, overlay.c and table.c).
ws=$(new_ws tiny)
"$CCN" import "$ws" "$D/plan.geojson" --as plan -q >/dev/null
"$CCN" import "$ws" "$D/tiny_parcel.geojson" --as parcels -q >/dev/null
run "$CCN" overlay "$ws" --by parcel --format csv
expect_rc 0
expect_eq "$out" "parcel_id,commune,sheet,parcel_no,landuse,plan_code,area_m2"

# A parcel another tool stored with an unclosed ring (10 x 10 m at 560060, 2190060, inside
# DL3 and zone 1; ccn closes every ring it stores, PostGIS refuses one) cannot be read:
# overlay and parcels leave it out and name it (parcels stopped with exit 2 before:
# one bad parcel no longer stops a report), a map does not draw it and says so.
if [ "$BACKEND" = sqlite ]; then
    "$CCN" import "$ws" "$D/clusters.geojson" --as clusters -q >/dev/null
    sql "$ws" "INSERT INTO parcels (commune, sheet, parcel_no, landuse, geom) VALUES ('15682', 9, 2,
        'LUC', GeomFromWKB(X'0106000000010000000103000000010000000400000000000000781721410000000076B54041000000008C1721410000000076B54041000000008C172141000000007BB540410000000078172141000000007BB54041', 5897))" >/dev/null
    run "$CCN" overlay "$ws" --by parcel --format csv
    expect_rc 0
    expect_err "1 parcel(s) without polygonal geometry (none, empty or unreadable), left out: fid 2"
    run "$CCN" parcels "$ws" --format csv
    expect_rc 0
    expect_err "parcel fid 2: the stored geometry cannot be read: left out of the parcels taken ('ccn check' lists it)"
    grep -q "^DL3,2," <<<"$out" && bad "the unreadable parcel is listed" || ok
    run "$CCN" map "$ws" --cluster DL3 --with parcels -o "$TMP/unclosed.png"
    expect_rc 0
    expect_err "parcels fid 2: the stored geometry cannot be read (IllegalArgumentException: Points of LinearRing do not form a closed linestring): not drawn"
fi

finish
