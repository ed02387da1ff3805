#!/usr/bin/env bash
# ccn map: every format, its paper size, text kept as text with its
# diacritics (pdftotext, SVG <text>), and bad input. Pixel colours are
# checked in test_render.c.
source "$(dirname "$0")/lib.sh"
source "$TESTS_DIR/export_fixture.sh"
WS=$(export_ws)
TITLE="CỤM CÔNG NGHIỆP HỢP THẮNG — HIỆN TRẠNG CHO THUÊ ĐẤT"

# PNG width and height from the IHDR chunk (bytes 16–23, big-endian).
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'; }

run "$CCN" map "$WS" --cluster HT -o "$TMP/ht.png" --as-of 2024-06-30
expect_rc 0
expect_out "3508 x 2480 px"
expect_out "scale 1:10000"   # 1:5905 needed (test_render.c): the next standard scale
expect_eq "$(png_size "$TMP/ht.png")" "3508x2480" "(A4 landscape at 300 dpi)"
expect_eq "$(head -c 8 "$TMP/ht.png" | od -An -tx1 | tr -d ' ')" "89504e470d0a1a0a" "(PNG signature)"
ls -A "$TMP" | grep -q 'ccn-tmp' && bad "a temporary file was left" || ok

run "$CCN" map "$WS" --cluster HT -o "$TMP/ht.pdf" --as-of 2024-06-30 --with plan
expect_rc 0
run pdfinfo "$TMP/ht.pdf"
expect_out "Page size:       841.89 x 595.276 pts (A4)"
expect_out "Pages:           1"
run pdftotext "$TMP/ht.pdf" -
expect_out "$TITLE"
expect_out "TỶ LỆ LẤP ĐẦY"
expect_out "33,3 %"                  # 168,000 / 504,000 m² on 2024-06-30
expect_out "Mục tiêu kế hoạch 2021–2025: 80 % — chưa đạt"
expect_out "Lô đất công nghiệp đã cho thuê"
expect_out "CN-01"
expect_out "Tỷ lệ 1:10.000"
expect_out "Đất được bảo vệ (LUC, LUK, RPH, RDD)"  # LUC hatched on top, in the legend
# HT's lots cover it all (SpatiaLite: ST_Difference of HT and ST_Union of its lots is
# empty): no key to bare ground the map has none of (the old build keyed it)
grep -q "chưa phân lô" <<<"$out" && bad "the legend keys bare ground HT has none of" || ok
expect_out "Nguồn: ranh giới cụm: clusters.geojson; lô đất: lots.geojson; địa giới xã:"
expect_out "quy hoạch sử dụng đất: plan.geojson"   # the files of the layers drawn
expect_out "2189500"                 # a grid tick, VN-2000 metres (every 500 m at 1:10 000)
expect_out "30/06/2024"
expect_out "LUC – Đất chuyên trồng lúa nước" # the plan's legend
expect_out "Nguồn:"

run "$CCN" map "$WS" --cluster HT -o "$TMP/ht.svg" --as-of 2024-07-01 --size a3
expect_rc 0
head -c 400 "$TMP/ht.svg" | grep -qF 'width="1190.551181pt" height="841.889764pt"' && ok ||
    bad "SVG not A3 (420 × 297 mm = 1190.55 × 841.89 pt)"
grep -qF ">$TITLE</text>" "$TMP/ht.svg" && ok || bad "SVG title not a <text>"
grep -qF '>50,0 %</text>' "$TMP/ht.svg" && ok || bad "SVG occupancy on 2024-07-01 (252,000 / 504,000)"
[ "$(grep -c '<path' "$TMP/ht.svg")" -gt 20 ] && ok || bad "SVG has too few paths"

# Standard scales only, or the one asked for.
run "$CCN" map "$WS" --cluster HT -o "$TMP/s.pdf" --as-of 2024-06-30 --scale 1:25000
expect_rc 0
expect_out "scale 1:25000"
! grep -q "replaced" <<<"$out" && ok || bad "a new file said to replace one"
run pdftotext "$TMP/s.pdf" -
expect_out "Tỷ lệ 1:25.000"
run "$CCN" map "$WS" --cluster HT -o "$TMP/s.pdf" --as-of 2024-06-30 --scale 2000
expect_rc 0
expect_err "at 1:2000 the map's extent does not fit the frame"
# the scale that holds it, 1:10000 as the map above chose, in the digits --scale takes
# (it said 1:10.000, which reads as 1:10)
expect_err "its edges are cut (1:10000 would hold it)"
# a file there before is replaced, and the summary says so, as export's does
expect_out "; the file that was there is replaced"
LANGUAGE=vi run "$CCN" map "$WS" --cluster HT -o "$TMP/s.pdf" --as-of 2024-06-30 --scale 2000
expect_err "phần rìa bị cắt (tỷ lệ 1:10000 thì vừa)"
run "$CCN" map "$WS" --cluster HT -o "$TMP/x.pdf" --scale 1:many
expect_rc 2
expect_err "--scale '1:many'"

# Parcels to be cleared, above the lots, labelled sheet/parcel; the source
# line names the parcels' file.
run "$CCN" map "$WS" --cluster HT -o "$TMP/p.pdf" --as-of 2024-06-30 --with parcels
expect_rc 0
run pdftotext "$TMP/p.pdf" -
expect_out "Thửa đất phải giải phóng mặt bằng"
expect_out "thửa đất địa chính: parcels.geojson"
# Taken as ccn parcels takes them (design §6): 15/1 reaches 1 mm into HT along
# 100 m (0.100 m²) and is labelled; 15/2 0.01 mm along 20 m (0.0002 m²) is not
# taken, and was labelled by the old build (interiors meet, by any sliver).
WS_EDGE=$(export_ws edge)
printf '%s\n' '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}}, "features": [' \
    '{"type": "Feature", "properties": {"MaXa": "15682", "SoTo": 15, "SoThua": 1}, "geometry": {"type": "Polygon", "coordinates": [[[560900, 2189100], [561000.001, 2189100], [561000.001, 2189200], [560900, 2189200], [560900, 2189100]]]}},' \
    '{"type": "Feature", "properties": {"MaXa": "15682", "SoTo": 15, "SoThua": 2}, "geometry": {"type": "Polygon", "coordinates": [[[560900, 2189300], [561000.00001, 2189300], [561000.00001, 2189320], [560900, 2189320], [560900, 2189300]]]}}]}' \
    >"$TMP/edge.geojson"
"$CCN" import "$WS_EDGE" "$TMP/edge.geojson" --as parcels -q >/dev/null || bad "import of edge.geojson"
run "$CCN" map "$WS_EDGE" --cluster HT -o "$TMP/edge.pdf" --as-of 2024-06-30 --with parcels
expect_rc 0
run pdftotext "$TMP/edge.pdf" -
expect_out "15/1"
grep -qx '15/2' <<<"$out" && bad "parcel 15/2 (0.0002 m² in HT) labelled as taken" || ok

# A label with no room goes into a numbered list beside the map: at A4 and
# 1:100 000 the lots are 2 mm wide. Lots are labelled in lot-number order
# (collate.h: CN-01…CN-06, CX-01, DV-01, GT-01): CN-01 takes the room south
# of the road at the smallest size, CN-05 the room north of it (before, in
# fid order, road GT-01 was tried first and took it); the other seven are
# listed, in that order.
run "$CCN" map "$WS" --cluster HT -o "$TMP/n.pdf" --as-of 2024-06-30 --scale 100000
expect_rc 0
expect_err "7 lot numbers did not fit: numbered on the map and listed beside it"
expect_out "(7 left out for lack of room)"
run pdftotext -raw "$TMP/n.pdf" -
expect_out "NHÃN KHÔNG ĐỦ CHỖ TRÊN BẢN ĐỒ"
expect_out "1. CN-02; 2. CN-03; 3. CN-04; 4. CN-06; 5. CX-01; 6. DV-01; 7. GT-01"
# No two numbers (nor any number and another word of the map) overprint:
# pdftotext's word boxes of every all-digit word, compared pairwise.
number_clashes() {
    pdftotext -bbox "$1" - | awk -F'"' '/<word / && />[0-9]+<\/word>/ {
            x0[n] = $2; y0[n] = $4; x1[n] = $6; y1[n] = $8; n++ }
        END { c = 0
              for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
                  if (x0[i] < x1[j] && x0[j] < x1[i] && y0[i] < y1[j] && y0[j] < y1[i]) c++
              print c }'
}
expect_eq "$(number_clashes "$TMP/n.pdf")" 0 "(overprinted numbers at 1:100 000)"
# At 1:1 000 000 the cluster is a few millimetres across: numbers move
# around their lots or, packed too tightly, share one ("1. CN-02, CN-03").
run "$CCN" map "$WS" --cluster HT -o "$TMP/n6.pdf" --as-of 2024-06-30 --scale 1000000
expect_rc 0
expect_eq "$(number_clashes "$TMP/n6.pdf")" 0 "(overprinted numbers at 1:1 000 000)"
run pdftotext -raw "$TMP/n6.pdf" -
for lot in CN-02 CN-03 CN-04 GT-01 CN-05; do expect_out "$lot"; done

# The district map, every format.
for ext in png pdf svg; do
    run "$CCN" map "$WS" --district -o "$TMP/d.$ext" --as-of 2024-07-01 --size a4-portrait --dpi 150
    expect_rc 0
    [ -s "$TMP/d.$ext" ] && ok || bad "no district map .$ext"
done
expect_eq "$(png_size "$TMP/d.png")" "1240x1754" "(210 × 297 mm at 150 dpi)"
run pdftotext "$TMP/d.pdf" -
expect_out "CÁC CỤM CÔNG NGHIỆP TRÊN ĐỊA BÀN HUYỆN TRIỆU SƠN — TỶ LỆ LẤP ĐẦY"  # gis/district.csv
expect_out "lấp đầy 50,0 % (mục tiêu 80 %)"
expect_out "Thị trấn Nưa"
run pdfinfo "$TMP/d.pdf"
expect_out "Page size:       595.276 x 841.89 pts (A4)"

# A map of a cluster renders in well under a second (the PNG's encoding
# included). CPU time, so that a busy machine does not fail the test.
TIMEFORMAT='%3U %3S'
cpu=$( { time "$CCN" map "$WS" --cluster HT -o "$TMP/t.png" -q; } 2>&1 | awk '{ print $1 + $2 }')
echo "cluster map (PNG, A4, 300 dpi): $cpu s of CPU"
if ldd "$CCN" 2>/dev/null | grep -q libasan; then
    echo "(sanitizer build: the time is not judged)"
else
    expect_near "$cpu" 0.5 0.5 "(seconds of CPU for a cluster map: under one)"
fi

# Bad input: exit 2, a clear message, no file.
run "$CCN" map "$WS" --cluster XX -o "$TMP/x.png"
expect_rc 2
expect_err "unknown cluster 'XX'"
run "$CCN" map "$WS" --cluster HT -o "$TMP/x.gif"
expect_rc 2
expect_err "must end in .png, .svg or .pdf"
run "$CCN" map "$WS" --cluster HT -o "$TMP/x.geojson"
expect_rc 2
expect_err "ccn export"
run "$CCN" map "$WS" --cluster HT -o "$TMP/none/x.png"
expect_rc 2
expect_err "does not exist"
run "$CCN" map "$WS" --cluster HT -o /sys/ccn-test.pdf
expect_rc 2
expect_err "cannot write '/sys/ccn-test.pdf'"
run "$CCN" map "$WS" --cluster HT --district -o "$TMP/x.png"
expect_rc 2
expect_err "either --cluster CODE or --district"
run "$CCN" map "$WS" --cluster HT
expect_rc 2
expect_err "-o OUT.png|svg|pdf is required"
run "$CCN" map "$WS" --cluster HT -o "$TMP/x.png" --size 10x10
expect_rc 2
run "$CCN" map "$WS" --cluster HT -o "$TMP/x.png" --as-of yesterday
expect_rc 2
expect_err "not a date"
run "$CCN" map "$WS" --cluster HT -o "$TMP/x.png" --with roads
expect_rc 2
run "$CCN" map "$WS" --cluster DL3 -o "$TMP/x.png"
expect_rc 2
expect_err "nothing to draw"
ls "$TMP" | grep -q '^x\.' && bad "a failed map left a file" || ok
ls -A "$TMP" | grep -q 'ccn-tmp' && bad "a failed map left a temporary file" || ok
ls /sys | grep -q ccn-test && bad "a file was left in /sys" || ok
# A cluster without industrial lots (a new one, not yet divided): its legend
# has no leased and vacant lots (the old build listed both, over no lot).
WS2=$(new_ws nolots)
"$CCN" import "$WS2" "$DATA/export/clusters.geojson" --as clusters -q >/dev/null || exit 3
run "$CCN" map "$WS2" --cluster NUA -o "$TMP/nua.pdf"
expect_rc 0
run pdftotext "$TMP/nua.pdf" -
expect_out "CHÚ GIẢI"
expect_out "Đất trong cụm chưa phân lô"
grep -q "Lô đất công nghiệp" <<<"$out" && bad "the legend lists lots the map has none of" || ok

# Lists longer than the panel: 400 lots with long numbers (380 go to the
# numbered list), and a province of 61 clusters on the district map. The
# lists end, counted ("… và N nhãn khác"), above the footer, which stays on
# the page; the old build ran both lists off the page's foot and the footer
# (CRS, source, date) with them.
DIST=$TMP/province
mkdir -p "$DIST" && cp "$ROOT"/gis/*.csv "$DIST/"
{
    head -1 "$ROOT/gis/clusters.csv"
    echo "MANY,Nhiều Lô,cluster,Hợp Thắng,16,,existing,80,100,SKN,,,,,,"
    for k in $(seq -w 0 59); do
        echo "P$k,Cụm công nghiệp số $k xã Nghĩa Trường,cluster,Hợp Thắng,20,,existing,80,100,SKN,,,,,,"
    done
} >"$DIST/clusters.csv"
CRS='"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}}'
sq() { echo "[[[$1, $2], [$(($1 + $3)), $2], [$(($1 + $3)), $(($2 + $3))], [$1, $(($2 + $3))], [$1, $2]]]"; }
{
    echo "{\"type\": \"FeatureCollection\", $CRS, \"features\": ["
    echo "{\"type\": \"Feature\", \"properties\": {\"code\": \"MANY\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": $(sq 561000 2189000 400)}}"
    for k in $(seq 0 59); do
        echo ", {\"type\": \"Feature\", \"properties\": {\"code\": \"P$(printf %02d "$k")\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": $(sq $((540000 + k % 10 * 6000)) $((2150000 + k / 10 * 7000)) 500)}}"
    done
    echo "]}"
} >"$TMP/province.geojson"
{
    echo "{\"type\": \"FeatureCollection\", $CRS, \"features\": ["
    for i in $(seq 0 19); do for j in $(seq 0 19); do
        [ "$i$j" = 00 ] || echo ","
        echo "{\"type\": \"Feature\", \"properties\": {\"cluster\": \"MANY\", \"lot_no\": \"CN-KHU-PHÍA-BẮC-$(printf %02d-%02d "$i" "$j")\", \"use\": \"industrial\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": $(sq $((561000 + 20 * i)) $((2189000 + 20 * j)) 20)}}"
    done; done
    echo "]}"
} >"$TMP/many.geojson"
WSP=$(ws_path province)
[ "$BACKEND" = pg ] || rm -f "$WSP"
"$CCN" init "$WSP" --district "$DIST" --force >/dev/null &&
    "$CCN" import "$WSP" "$TMP/province.geojson" --as clusters -q >/dev/null &&
    "$CCN" import "$WSP" "$TMP/many.geojson" --as lots -q >/dev/null || { echo "province fixture failed" >&2; exit 3; }
# Words of the PDF whose box reaches past the page's foot.
below_page() {
    pdftotext -bbox "$1" - | awk -F'"' '/<page / { h = $4 } /<word / && $8 > h + 0.01 { n++ }
        END { print n + 0 }'
}
run "$CCN" map "$WSP" --cluster MANY -o "$TMP/many.pdf" --as-of 2024-06-30
expect_rc 0
expect_err "380 lot numbers did not fit"
expect_eq "$(below_page "$TMP/many.pdf")" 0 "(words past the foot of the page, 400 lots)"
run pdftotext -raw "$TMP/many.pdf" -
expect_out "Lập bản đồ ngày"
expect_out "Nguồn: ranh giới cụm: province.geojson; lô đất: many.geojson"
# The items listed and the count of the rest make every number on the map:
# 1 … M, M the largest all-digit word left of the panel (x < 590 pt) under
# 10 000 (grid labels have six or seven digits; the scale bar's 100 and 200
# are among 1 … M).
last=$(grep -o '[0-9]*\. CN-KHU' <<<"$out" | tail -1 | cut -d. -f1)
rest=$(tr '\n' ' ' <<<"$out" | grep -o '… và [0-9]* nhãn khác' | grep -o '[0-9][0-9]*')
pdftotext -bbox "$TMP/many.pdf" - | awk -F'"' '/<word / && $6 < 590 && />[0-9]+<\/word>/ {
        sub(/.*">/, ""); sub(/<.*/, ""); if ($0 + 0 > 0 && $0 + 0 < 10000) print $0 + 0 }' |
    sort -un >"$TMP/numbers"
numbers=$(tail -1 "$TMP/numbers")
expect_eq "$(wc -l <"$TMP/numbers")" "$numbers" "(the numbers on the map are 1 … M)"
[ -n "$last" ] && [ -n "$rest" ] && expect_eq "$((last + rest))" "$numbers" "(listed + counted vs numbers on the map)" ||
    bad "the numbered list or its count is missing: last '$last', rest '$rest'"
# No number overprints another word of the map either: where nothing within
# 6 mm was there to share, the old build drew the number on its lot, over
# the lot numbers placed in full across the first column (10 … 14 over
# 'CN-KHU-PHÍA-BẮC-00-09' …), 5 clashes.
word_clashes() {
    pdftotext -bbox "$1" - | awk -F'"' '/<word / { t = $0; sub(/.*">/, "", t); sub(/<.*/, "", t)
            x0[n] = $2; y0[n] = $4; x1[n] = $6; y1[n] = $8; w[n++] = t }
        END { c = 0
              for (i = 0; i < n; i++) if (w[i] ~ /^[0-9]+$/ && x1[i] < 590)
                  for (j = 0; j < n; j++) if (j != i && (w[j] !~ /^[0-9]+$/ || j > i)) {
                      ox = (x1[i] < x1[j] ? x1[i] : x1[j]) - (x0[i] > x0[j] ? x0[i] : x0[j])
                      oy = (y1[i] < y1[j] ? y1[i] : y1[j]) - (y0[i] > y0[j] ? y0[i] : y0[j])
                      if (ox > 0.3 && oy > 0.3) c++ }
              print c }'
}
expect_eq "$(word_clashes "$TMP/many.pdf")" 0 "(numbers over other words, 400 lots)"
run "$CCN" map "$WSP" --district -o "$TMP/province.pdf" --as-of 2024-06-30
expect_rc 0
expect_eq "$(below_page "$TMP/province.pdf")" 0 "(words past the foot of the page, 61 clusters)"
run pdftotext -raw "$TMP/province.pdf" -
expect_out "Lập bản đồ ngày"
expect_out "NHÃN KHÔNG ĐỦ CHỖ TRÊN BẢN ĐỒ"
listed=$(grep -c '^\(MANY\|P[0-9][0-9]\) – .*: ' <<<"$out")
more=$(grep -o '^… và [0-9]* cụm khác' <<<"$out" | grep -o '[0-9][0-9]*')
expect_eq "$((listed + ${more:-0}))" 61 "(clusters listed + counted)"
# A cluster label with no room is listed by its code (the clusters' list
# has its name and figures), so every number on the map is keyed: the old
# build listed the whole label and left 15 of 38 numbers out ('… và 15 nhãn
# khác').
tr '\n' ' ' <<<"$out" | grep -q "nhãn khác" && bad "numbers on the district map without their key" || ok
grep -q "^1\. P[0-9][0-9]; 2\. P[0-9][0-9];" <<<"$out" && ok || bad "numbered clusters not listed by code"

# A cluster with lots and no boundary (not imported yet): the map says so,
# and its legend has no key to a boundary line it does not draw (the old
# build keyed one and said nothing).
WS3=$(new_ws noboundary)
"$CCN" import "$WS3" "$DATA/export/lots.geojson" --as lots -q >/dev/null || exit 3
run "$CCN" map "$WS3" --cluster HT -o "$TMP/nob.pdf" --as-of 2024-06-30
expect_rc 0
run pdftotext -raw "$TMP/nob.pdf" -
expect_out "Chưa có ranh giới cụm trong dữ liệu: bản đồ chỉ vẽ các lô đất"
grep -qx "Ranh giới cụm công nghiệp" <<<"$out" && bad "a boundary keyed that is not drawn" || ok
expect_out "CN-01"

# The footer names the workspace's CRS as it is: in VN-2000 / TM-3 zone 481
# (EPSG:5896) the central meridian is 102°00′ (the old build said 105°00′,
# the zone of Thanh Hóa, whatever the CRS).
WS4=$(ws_path z481)
[ "$BACKEND" = pg ] || rm -f "$WS4"
"$CCN" init "$WS4" --district "$ROOT/gis" --crs EPSG:5896 --force >/dev/null &&
    "$CCN" import "$WS4" "$DATA/export/clusters.geojson" --as clusters -q >/dev/null || exit 3
run "$CCN" map "$WS4" --cluster HT -o "$TMP/z481.pdf" --as-of 2024-06-30
expect_rc 0
run pdftotext -raw "$TMP/z481.pdf" -
expect_out "Hệ tọa độ VN-2000, kinh tuyến trục 102°00′, múi chiếu 3° (EPSG:5896)"

# A lot 2 km from its cluster's boundary (CN-99, nothing in common with HT)
# is drawn where it is and counted, and named beside the map and in a
# warning; the old build drew it as one of the cluster's and said nothing.
# CN-01 … CN-06 lie inside: not named.
WS5=$(export_ws far)
printf '%s\n' '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}}, "features": [' \
    '{"type": "Feature", "properties": {"cluster": "HT", "lot_no": "CN-99", "use": "industrial"}, "geometry": {"type": "Polygon", "coordinates": [[[563000, 2191000], [563200, 2191000], [563200, 2191200], [563000, 2191200], [563000, 2191000]]]}}]}' \
    >"$TMP/far.geojson"
"$CCN" import "$WS5" "$TMP/far.geojson" --as lots -q >/dev/null || exit 3
run "$CCN" map "$WS5" --cluster HT -o "$TMP/far.pdf" --as-of 2024-06-30
expect_rc 0
expect_err "cluster HT: 1 lot(s) lie wholly outside its boundary (CN-99)"
run pdftotext -raw "$TMP/far.pdf" -
expect_out "Lô nằm ngoài ranh giới cụm: CN-99."
run "$CCN" map "$WS" --cluster HT -o "$TMP/near.pdf" --as-of 2024-06-30
grep -q "outside its boundary" <<<"$err" && bad "lots inside HT said to lie outside" || ok

run "$CCN" map --help
expect_rc 0
expect_out "Usage: ccn map"
finish
