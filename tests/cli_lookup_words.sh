#!/usr/bin/env bash
# cli_lookup_words — lookup's messages name the parcel in the language ccn
# speaks. The old build wrote the key as one English value inside each
# message, so under LANGUAGE=vi it said "không gian làm việc không có thửa
# sheet 99, parcel 1" and "cảnh báo: sheet 4, parcel 7 of commune Thọ Ngọc:
# xã cũ …". Layers by hand, EPSG:5897: parcels 10 x 20 m at the same key
# (sheet 4, parcel 7) in old communes 15754 and 15757, and twice in 15754;
# one SKN zone covering the first one's western 4 m (hand: 4 x 20 = 80 m²).
source "$(dirname "$0")/lib.sh"

ws=$(new_ws words)
parcel() { # COMMUNE X0: a 10 x 20 m parcel, sheet 4, parcel 7
    echo "{\"commune\": \"$1\", \"sheet\": 4, \"parcel_no\": 7, \"landuse\": \"LUC\", \"owner\": \"Lê Văn Tám\"}"
    geojson_box "$2" 0 "$(($2 + 10))" 20
}
# shellcheck disable=SC2046 # each pair of lines is a feature
geojson_layer $(parcel 15754 0 | tr ' ' '\001') $(parcel 15757 100 | tr ' ' '\001') |
    tr '\001' ' ' >"$TMP/parcels.geojson"
geojson_layer '{"landuse": "SKN"}' "$(geojson_box -50 -50 4 50)" >"$TMP/plan.geojson"
run "$CCN" import "$ws" "$TMP/parcels.geojson" --as parcels -q
expect_rc 0
run "$CCN" import "$ws" "$TMP/plan.geojson" --as plan -q
expect_rc 0

vi() { run env LANGUAGE=vi "$CCN" lookup "$ws" "$@" --format csv; }
no_english() { # the Vietnamese stderr holds none of the key's English words
    grep -qE 'sheet [0-9]|parcel [0-9]|of commune' <<<"$err" && bad "English in '$err'" || ok
}

vi --sheet 99 --parcel 1
expect_rc 2
expect_err "ccn: lookup: không gian làm việc không có thửa đất nào ở tờ 99, thửa 1"
no_english
run "$CCN" lookup "$ws" --sheet 99 --parcel 1
expect_err "ccn: lookup: no parcel sheet 99, parcel 1 in the workspace" # English as before

vi --sheet 4 --parcel 7 --commune 99999
expect_rc 2
expect_err "không gian làm việc không có thửa đất nào ở tờ 4, thửa 7 của xã 99999"
no_english
run "$CCN" lookup "$ws" --sheet 4 --parcel 7 --commune 99999
expect_err "ccn: lookup: no parcel sheet 4, parcel 7 of commune 99999 in the workspace"

# in two communes: both answered, said in Vietnamese
vi --sheet 4 --parcel 7
expect_rc 0
expect_err "cảnh báo: tờ 4, thửa 7 có ở 2 xã: trả lời cho từng xã"
no_english
# hand: the first parcel 80 m² SKN, 120 m² in no zone; the second 200 m² in no zone
expect_eq "$(cut -d, -f2,9,12,13 <<<"$out" | tail -n +2 | tr '\n' ' ')" \
    "15754,SKN,80.000,40.0000 15754,,120.000,60.0000 15757,,200.000,100.0000 "

# "Thọ Ngọc" is an old commune (15751, which has no such parcel) and the
# commune formed in 2025 of 15673, 15745, 15751 and 15754 (gis/communes.csv)
vi --sheet 4 --parcel 7 --commune "Thọ Ngọc"
expect_rc 0
expect_err "cảnh báo: tờ 4, thửa 7 của xã Thọ Ngọc: xã cũ 'Thọ Ngọc' không có thửa này"
no_english

# recorded twice in one commune (import refuses a key already stored: an
# older workspace's doubles)
sql_script "$ws" <<<"INSERT INTO parcels (commune, sheet, parcel_no, landuse, owner, geom)
    SELECT commune, sheet, parcel_no, landuse, owner, geom FROM parcels WHERE commune = '15754';" &&
    ok || bad "the double was not stored"
vi --sheet 4 --parcel 7 --commune 15754
expect_rc 0
expect_err "cảnh báo: tờ 4, thửa 7 của xã 15754 được ghi 2 lần (mã bị trùng)"
no_english
run "$CCN" lookup "$ws" --sheet 4 --parcel 7 --commune 15754
expect_err "sheet 4, parcel 7 of commune 15754 is recorded 2 times (a duplicate key); each is shown"

finish
