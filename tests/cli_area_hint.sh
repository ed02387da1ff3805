#!/usr/bin/env bash
# cli_area_hint — AREA_LEGAL_MISMATCH says when the area on record may be a
# figure written with a dot for thousands (Vietnamese "1.234" = 1 234 m²)
# that was read as 1.234 m². Parcels of commune 15673, sheet 7, 100 m apart,
# EPSG:5897, tolerance area_legal_pct 5 % (gis/tolerances.csv):
#   1  20 x 61.7 = 1234 m², on record "1.234" (a string): 1234 / 1.234 = 1000,
#      99900 % more; 1.234 x 1000 = 1234 matches the map: the hint
#   2  the same, on record 1.234 (a number): the same finding and hint
#   3  20 x 65 = 1300 m², on record 1.25: 1250 is 4 % under 1300, within 5 %:
#      the hint (1 250)
#   4  20 x 30 = 600 m², on record "1.234": 1234 is 105.7 % over 600: a
#      mismatch, no hint
#   5  20 x 25 = 500 m², on record 450: 11.1111 % more, no hint (450 has no
#      place for a thousands dot: 450 000 is far)
#   6  20 x 61.7 = 1234 m², on record 1234: no finding
#   7  20 x 25 = 500 m², on record 1234.5678: 734.5678 / 1234.5678 =
#      59.4999967 % less, no hint
# The record is shown as it is recorded, in both languages (1.234, not
# 1.2; 1.25 and 450, not 1.250 and 450.000), the Vietnamese with '.' for
# thousands and ',' for decimals: 1,234, 1,25, 450, 1.234,5678.
# The finding's code, severity, columns and area_m2 (|map - record|) are
# those of DESIGN §7/§8, hint or not.
source "$(dirname "$0")/lib.sh"
crs='"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}}'
parcel() { # NO X HEIGHT AREA_JSON
    local x0=$2 y0=2190000 x1=$(($2 + 20)) y1
    y1=$(awk -v y=2190000 -v h="$3" 'BEGIN { printf "%.1f", y + h }')
    echo "{\"type\": \"Feature\", \"properties\": {\"MaXa\": \"15673\", \"SoHieuToBanDo\": 7,
      \"SoThuTuThua\": $1, \"DienTich\": $4, \"KyHieuMucDichSuDung\": \"ONT\"}, \"geometry\":
      {\"type\": \"Polygon\", \"coordinates\": [[[$x0, $y0], [$x1, $y0], [$x1, $y1], [$x0, $y1], [$x0, $y0]]]}}"
}
{
    echo "{\"type\": \"FeatureCollection\", $crs, \"features\": ["
    parcel 1 561000 61.7 '"1.234"'
    echo ,
    parcel 2 561100 61.7 1.234
    echo ,
    parcel 3 561200 65 1.25
    echo ,
    parcel 4 561300 30 '"1.234"'
    echo ,
    parcel 5 561400 25 450
    echo ,
    parcel 6 561500 61.7 1234
    echo ,
    parcel 7 561600 25 1234.5678
    echo "]}"
} >"$TMP/parcels.geojson"
ws=$(new_ws hint)
run "$CCN" import "$ws" "$TMP/parcels.geojson" --as parcels -q
expect_rc 0
# Both the string "1.234" and the number 1.234 are stored as 1.234 m².
expect_eq "$(sql "$ws" "SELECT count(*) FROM parcels WHERE abs(area_legal - 1.234) < 1e-9")" 3

run "$CCN" check "$ws" --only parcels --format csv --wide # message, then message_vi
expect_rc 0 # AREA_LEGAL_MISMATCH is a warning
rows=$(grep AREA_LEGAL_MISMATCH <<<"$out")
expect_eq "$(wc -l <<<"$rows")" 6 "findings: $rows"
line() { grep "15673/7/$1[,:]" <<<"$rows"; }
# severity,code,layer,fid,other_layer,other_fid,area_m2 as before: 1234 - 1.234 = 1232.766
expect_eq "$(line 1 | cut -d, -f1-7)" "warning,AREA_LEGAL_MISMATCH,parcels,1,,,1232.766"
expect_eq "$(line 2 | cut -d, -f1-7)" "warning,AREA_LEGAL_MISMATCH,parcels,2,,,1232.766"
expect_eq "$(line 3 | cut -d, -f1-7)" "warning,AREA_LEGAL_MISMATCH,parcels,3,,,1298.750"
expect_eq "$(line 4 | cut -d, -f1-7)" "warning,AREA_LEGAL_MISMATCH,parcels,4,,,598.766"
expect_eq "$(line 5 | cut -d, -f1-7)" "warning,AREA_LEGAL_MISMATCH,parcels,5,,,50.000"
expect_eq "$(line 7 | cut -d, -f1-7)" "warning,AREA_LEGAL_MISMATCH,parcels,7,,,734.568"
hint1="map area 1234.000 m² is 99900.0000 % more than the 1.234 m² on record (tolerance 5 %); the 1.234 on record may be 1 234 m² written with a dot for thousands"
hint1_vi="Thửa đất 15673/7/1: diện tích trên bản đồ 1.234,0 m², lớn hơn 99.900,0 % so với 1,234 m² trong hồ sơ (dung sai 5 %); có thể hồ sơ ghi 1.234 m² (dấu chấm phân cách hàng nghìn) mà đã được đọc thành 1,234 m²"
grep -qF "$hint1" <<<"$(line 1)" && ok || bad "parcel 1 lacks the hint: $(line 1)"
grep -qF "$hint1_vi" <<<"$(line 1)" && ok || bad "parcel 1 lacks the Vietnamese hint: $(line 1)"
grep -qF "$hint1" <<<"$(line 2)" && ok || bad "parcel 2 lacks the hint: $(line 2)"
# (1300 - 1.25) / 1.25 = 1039 -> 103900 %
grep -qF "is 103900.0000 % more than the 1.25 m² on record (tolerance 5 %); the 1.25 on record may be 1 250 m² written with a dot for thousands" <<<"$(line 3)" \
    && ok || bad "parcel 3 lacks the hint: $(line 3)"
grep -qF "có thể hồ sơ ghi 1.250 m² (dấu chấm phân cách hàng nghìn) mà đã được đọc thành 1,25 m²" <<<"$(line 3)" \
    && ok || bad "parcel 3 lacks the Vietnamese hint: $(line 3)"
# No hint where the record is simply wrong: (600 - 1.234) / 1.234 = 485.2239 -> 48522.3663 %.
grep -qF "map area 600.000 m² is 48522.3663 % more than the 1.234 m² on record (tolerance 5 %)" <<<"$(line 4)" \
    && ok || bad "parcel 4: $(line 4)"
grep -qF "map area 500.000 m² is 11.1111 % more than the 450 m² on record (tolerance 5 %)" <<<"$(line 5)" \
    && ok || bad "parcel 5: $(line 5)"
grep -qF "so với 1,25 m² trong hồ sơ" <<<"$(line 3)" && ok || bad "parcel 3 (vi): $(line 3)"
grep -qF "diện tích trên bản đồ 600,0 m², lớn hơn 48.522,4 % so với 1,234 m² trong hồ sơ" <<<"$(line 4)" \
    && ok || bad "parcel 4 (vi): $(line 4)"
grep -qF "so với 450 m² trong hồ sơ (dung sai 5 %)" <<<"$(line 5)" && ok || bad "parcel 5 (vi): $(line 5)"
grep -qF "map area 500.000 m² is 59.5000 % less than the 1234.5678 m² on record (tolerance 5 %)" <<<"$(line 7)" \
    && ok || bad "parcel 7: $(line 7)"
grep -qF "diện tích trên bản đồ 500,0 m², nhỏ hơn 59,5 % so với 1.234,5678 m² trong hồ sơ (dung sai 5 %)" <<<"$(line 7)" \
    && ok || bad "parcel 7 (vi): $(line 7)"
for n in 4 5 7; do
    grep -qE "thousands|hàng nghìn" <<<"$(line $n)" && bad "parcel $n has a hint: $(line $n)" || ok
done
# The workspace's findings table holds the same message.
expect_eq "$(sql "$ws" "SELECT count(*) FROM findings WHERE code = 'AREA_LEGAL_MISMATCH' AND message LIKE '%dot for thousands' AND message_vi LIKE '%1,234 m²'")" 2
finish
