#!/bin/bash
# cli_i18n_library — the library's messages (errors, warnings, a lease row's
# or a refused feature's problem) in Vietnamese with LANGUAGE=vi, through the
# CLI's pattern table (src/cli/i18n.c), and word for word English otherwise.
# Every expected text is written out here: the English is what the library
# words (src/*.c), the Vietnamese its translation in po/vi.po with the run's
# own values in place.
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
WS=$(new_ws)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
cd "$TMP" || exit 3

# both "CMD ARGS": run in English (LANGUAGE=C) into $en_out/$en_err/$en_rc,
# then in Vietnamese into $out/$err/$rc; the exit code must not change.
both() {
    run env LANGUAGE=C "$CCN" "$@"
    en_out=$out en_err=$err en_rc=$rc
    run env LANGUAGE=vi "$CCN" "$@"
    expect_eq "$rc" "$en_rc" "(exit code in Vietnamese = in English: $*)"
}
expect_en() { grep -qF -- "$1" <<<"$en_err" && ok || bad "English stderr lacks '$1' (it is: ${en_err:0:600})"; }
expect_err_not() { grep -qF -- "$1" <<<"$err" && bad "stderr has '$1'" || ok; }

# A lease register with a bad row of each kind (tests/data/lease/bad.csv):
# each row's problem, the "row" of a short row and the summary.
both lease "$WS" import "$D/bad.csv"
expect_rc 2
expect_en "bad.csv:3: cluster: 'XX' is not a cluster of the registry (DL3, HT, NUA, DT, TN, TTH)"
expect_err "bad.csv:3: cluster: 'XX' không phải cụm có trong danh mục (DL3, HT, NUA, DT, TN, TTH)"
expect_en "bad.csv:4: lot_no: cluster HT has no lot 'CN-99' in the lots layer"
expect_err "bad.csv:4: lot_no: cụm HT không có lô 'CN-99' trong lớp lô đất"
expect_en "bad.csv:5: lot_no: HT/DV-01 is a service lot: only industrial lots are leased"
expect_err "bad.csv:5: lot_no: HT/DV-01 là lô đất dịch vụ: chỉ lô đất công nghiệp mới được cho thuê"
expect_en "bad.csv:6: start_date: '2023-02-30' is not a date: write YYYY-MM-DD or dd/mm/yyyy"
expect_err "bad.csv:6: start_date: '2023-02-30' không phải là ngày: hãy viết YYYY-MM-DD hoặc dd/mm/yyyy"
expect_en "bad.csv:7: end_date: 2023-01-01 is not after the start 2024-01-01 (end_date is the first day no longer leased)"
expect_err "bad.csv:7: end_date: 2023-01-01 không sau ngày bắt đầu 2024-01-01 (end_date là ngày đầu tiên không còn thuê)"
expect_en "bad.csv:8: tenant: is empty (a lease needs its tenant)"
expect_err "bad.csv:8: tenant: bị bỏ trống (hợp đồng thuê phải có bên thuê)"
expect_en "bad.csv:9: start_date: the lease of HT/CN-01 from 2023-01-01 to 2023-06-01 overlaps the lease of line 2 (to 'Công ty A' from 2022-01-01, running)"
expect_err "bad.csv:9: start_date: hợp đồng thuê HT/CN-01 từ 2023-01-01 đến 2023-06-01 trùng thời gian với hợp đồng ở dòng 2 (cho 'Công ty A' thuê từ 2022-01-01, còn hiệu lực)"
expect_en "bad.csv:11: row: has 3 fields, the header 6"
expect_err "bad.csv:11: dòng: có 3 trường, dòng tiêu đề có 6"
expect_en "ccn: lease: $D/bad.csv: 9 of 10 rows refused (9 problems); nothing imported"
expect_err "ccn: lease: $D/bad.csv: 9 trên 10 dòng bị từ chối (9 lỗi); không nhập gì"
expect_err_not " is not "
# Text in another encoding, a row too long; one problem is "1 problem".
printf 'cluster,lot_no,tenant,start_date,end_date,note\nHT,CN-01,C\xf4ng ty A,2022-01-01,,\nHT,CN-02,B,2023-01-01,,a,b\n' >enc.csv
both lease "$WS" import enc.csv
expect_rc 2
expect_en "enc.csv:2: tenant: is not valid UTF-8 text (see --encoding)"
expect_err "enc.csv:2: tenant: không phải văn bản UTF-8 hợp lệ (xem --encoding)"
expect_en "enc.csv:3: row: has 7 fields, the header 6"
expect_err "enc.csv:3: dòng: có 7 trường, dòng tiêu đề có 6"
expect_en "ccn: lease: enc.csv: 2 of 2 rows refused (2 problems); nothing imported"
expect_err "ccn: lease: enc.csv: 2 trên 2 dòng bị từ chối (2 lỗi); không nhập gì"
printf 'cluster,lot_no,tenant,start_date,end_date,note\nHT,CN-01,A,01/01/2022,,\nHT,CN-02,B,2023-02-29,,\n' >one.csv
both lease "$WS" import one.csv
expect_rc 2
expect_en "ccn: lease: one.csv: 1 of 2 rows refused (1 problem); nothing imported"
expect_err "ccn: lease: one.csv: 1 trên 2 dòng bị từ chối (1 lỗi); không nhập gì"
expect_eq "$(sql "$WS" "SELECT count(*) FROM leases")" 0 "(nothing imported)"
# A lease added by hand: its problems are a "column: reason" list.
both lease "$WS" add --cluster ZZ --lot CN-01 --tenant T --from 31/02/2027
expect_rc 2
expect_en "ccn: lease: lease of ZZ/CN-01 refused: cluster: 'ZZ' is not a cluster of the registry (DL3, HT, NUA, DT, TN, TTH); start_date: '31/02/2027' is not a date: write YYYY-MM-DD or dd/mm/yyyy"
expect_err "ccn: lease: hợp đồng thuê ZZ/CN-01 bị từ chối: cluster: 'ZZ' không phải cụm có trong danh mục (DL3, HT, NUA, DT, TN, TTH); start_date: '31/02/2027' không phải là ngày: hãy viết YYYY-MM-DD hoặc dd/mm/yyyy"
both lease "$WS" end --cluster HT --lot CN-01 --on 2020-01-01
expect_rc 2
expect_en "ccn: lease: cannot end the lease of HT/CN-01 on 2020-01-01: no lease of that lot runs the day before"
expect_err "ccn: lease: không kết thúc được hợp đồng thuê của HT/CN-01 vào ngày 2020-01-01: lô này không có hợp đồng nào còn hiệu lực vào ngày hôm trước"

# An import refused feature by feature (one of each reason), then with
# --skip-bad: the warnings; and a file that is no vector file.
cat >bad_lots.geojson <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [
  {"type": "Feature", "properties": {"cluster": "HT", "lot_no": "CN-09", "use": "industrial"},
   "geometry": {"type": "Polygon", "coordinates": [[[561400, 2189100], [561450, 2189100], [561450, 2189150], [561400, 2189150], [561400, 2189100]]]}},
  {"type": "Feature", "properties": {"cluster": "HT", "lot_no": "CN-10", "use": "industrial"},
   "geometry": {"type": "Point", "coordinates": [561420, 2189120]}},
  {"type": "Feature", "properties": {"cluster": "ZZ", "lot_no": "CN-11", "use": "industrial"},
   "geometry": {"type": "Polygon", "coordinates": [[[561460, 2189100], [561490, 2189100], [561490, 2189150], [561460, 2189150], [561460, 2189100]]]}},
  {"type": "Feature", "properties": {"cluster": "HT", "lot_no": "", "use": "industrial"},
   "geometry": {"type": "Polygon", "coordinates": [[[561400, 2189160], [561450, 2189160], [561450, 2189190], [561400, 2189190], [561400, 2189160]]]}},
  {"type": "Feature", "properties": {"cluster": "HT", "lot_no": "CN-12", "use": "housing"},
   "geometry": {"type": "Polygon", "coordinates": [[[561460, 2189160], [561490, 2189160], [561490, 2189190], [561460, 2189190], [561460, 2189160]]]}},
  {"type": "Feature", "properties": {"cluster": "HT", "lot_no": "CN-13", "use": "industrial"}, "geometry": null}
 ]}
EOF
both import "$WS" bad_lots.geojson --as lots
expect_rc 2
expect_en "ccn: import: bad_lots.geojson: 5 of 6 features refused: feature 1: a point where a polygon is needed; feature 2: unknown cluster 'ZZ'; feature 3: no lot number; feature 4: lot CN-12: use 'housing' is not industrial, service, green, utility or road; feature 5: no geometry; nothing imported (fix the file, or pass --skip-bad to import the rest)"
expect_err "ccn: import: bad_lots.geojson: 5 trên 6 đối tượng bị từ chối: đối tượng 1: một điểm, trong khi cần một vùng; đối tượng 2: không có cụm 'ZZ'; đối tượng 3: không có số hiệu lô; đối tượng 4: lô CN-12: loại sử dụng 'housing' không phải industrial, service, green, utility hoặc road; đối tượng 5: không có hình học; không nhập gì (hãy sửa tệp, hoặc dùng --skip-bad để nhập phần còn lại)"
run env LANGUAGE=vi "$CCN" import "$WS" bad_lots.geojson --as lots --skip-bad
expect_rc 0
expect_err "ccn: import: cảnh báo: bad_lots.geojson: đã từ chối đối tượng 1: một điểm, trong khi cần một vùng"
expect_err "ccn: import: cảnh báo: bad_lots.geojson: đã từ chối đối tượng 4: lô CN-12: loại sử dụng 'housing' không phải industrial, service, green, utility hoặc road"
expect_err "ccn: import: cảnh báo: bad_lots.geojson: đã từ chối đối tượng 5: không có hình học"
expect_eq "$(sql "$WS" "SELECT count(*) FROM lots WHERE lot_no = 'CN-09'")" 1 "(the good feature stored)"
both import "$WS" bad_lots.geojson --as lots
expect_rc 2
expect_en "was imported into lots already, as 'bad_lots.geojson' on "
expect_err "ccn: import: bad_lots.geojson: tệp này (SHA-256 "
expect_err "đã được nhập vào lots, với tên 'bad_lots.geojson' ngày "
expect_err ": không nhập gì (dùng --again để nhập lại lần nữa, --if-changed để lặng lẽ bỏ qua)"
both import "$WS" "$DATA/import/corrupt.gpkg" --as lots
expect_rc 2
expect_en "ccn: import: $DATA/import/corrupt.gpkg: cannot open: not a recognised vector file"
expect_err "ccn: import: $DATA/import/corrupt.gpkg: không mở được: không phải tệp vector đọc được"
both import "$WS" "$DATA/import/lines.geojson" --as lots
expect_rc 2
expect_en "lines.geojson: no field for 'cluster' (tried cluster…; the layer has: landuse); name it with --field cluster=SOURCE"
expect_err "lines.geojson: không có trường cho 'cluster' (đã thử cluster…; lớp có: landuse); hãy chỉ rõ bằng --field cluster=SOURCE"
# A feature that lands outside the workspace CRS's area of use: where it
# lands and the closing hint in Vietnamese too (both were left English). The
# figures are ccn's own, the same in both languages: VN-2000 metres with x and
# y exchanged (tests/data/foreign), then a triangle in WGS 84 in North America.
both import "$WS" "$DATA/foreign/nua_5897_swapped.geojson" --as plan
expect_rc 2
expect_en "nua_5897_swapped.geojson: feature 0 lands outside Vietnam - onshore (at lon 120.0099, lat 4.9344), the area of use of the workspace CRS (lon 102.14 to 109.53, lat 8.33 to 23.40, with 1° of margin): x and y look swapped (with them exchanged it lands inside); for a marker table see --xy"
expect_err "nua_5897_swapped.geojson: đối tượng 0 nằm ngoài Vietnam - onshore (tại kinh độ 120.0099, vĩ độ 4.9344), phạm vi sử dụng của hệ tọa độ không gian làm việc (kinh độ 102.14 đến 109.53, vĩ độ 8.33 đến 23.40, cộng thêm 1°): x và y có vẻ bị đảo (đổi chỗ chúng thì đối tượng nằm bên trong); với bảng mốc giới, xem --xy"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"HT"},"geometry":{"type":"Polygon","coordinates":[[[-80.0,35.0],[-79.99,35.0],[-79.99,35.01],[-80.0,35.0]]]}}]}' >far.geojson
both import "$WS" far.geojson --as clusters
expect_rc 2
expect_en "far.geojson: feature 0 lands outside Vietnam - onshore (at lon -79.9950, lat 35.0050), the area of use of the workspace CRS (lon 102.14 to 109.53, lat 8.33 to 23.40, with 1° of margin): is the file's CRS right? Name the right one with --s-srs"
expect_err "far.geojson: đối tượng 0 nằm ngoài Vietnam - onshore (tại kinh độ -79.9950, vĩ độ 35.0050), phạm vi sử dụng của hệ tọa độ không gian làm việc (kinh độ 102.14 đến 109.53, vĩ độ 8.33 đến 23.40, cộng thêm 1°): hệ tọa độ của tệp có đúng không? Hãy chỉ rõ hệ tọa độ đúng bằng --s-srs"
# In a marker table the row is named as a spreadsheet numbers it (the header
# row 1), as its refusals name it: row 3 here (the old build said "feature 2").
printf 'cluster,marker,X,Y\nHT,M1,2190000,560280\nHT,M2,2190000,56035000\n' >far_markers.csv
both import "$WS" far_markers.csv --as markers --s-srs EPSG:5897
expect_rc 2
expect_en "far_markers.csv: row 3 lands outside Vietnam - onshore, the area of use"
expect_err "far_markers.csv: dòng 3 nằm ngoài Vietnam - onshore, phạm vi sử dụng"

# An unknown cluster, an unknown layer, a folder that is not there, a
# report into a file, a date range backwards.
both export "$WS" x.geojson --layer lots --cluster ZZ
expect_rc 2
expect_en "ccn: export: unknown cluster 'ZZ' (the workspace has: DL3, DT, HT, NUA, TN, TTH)"
expect_err "ccn: export: không có cụm 'ZZ' (không gian làm việc có: DL3, DT, HT, NUA, TN, TTH)"
both export "$WS" x.geojson --layer roads
expect_rc 2
expect_en "ccn: export: unknown layer 'roads' (expected clusters, lots, parcels, plan, communes or findings)"
expect_err "ccn: export: không có lớp 'roads' (cần clusters, lots, parcels, plan, communes hoặc findings)"
both export "$WS" nodir/x.geojson --layer lots
expect_rc 2
expect_en "ccn: export: cannot write 'nodir/x.geojson': the folder 'nodir' does not exist"
expect_err "ccn: export: không ghi được 'nodir/x.geojson': thư mục 'nodir' không tồn tại"
both report "$WS" enc.csv
expect_rc 2
expect_en "ccn: report: 'enc.csv' exists and is not a folder"
expect_err "ccn: report: 'enc.csv' đã có và không phải là thư mục"
both occupancy "$WS" --series quarter --from 2025-01-01 --to 2024-01-01
expect_rc 2
# (the dates as typed: the build before quoted the quarter ends it made of them)
expect_en "ccn: occupancy: --from 2025-01-01 is after --to 2024-01-01"
expect_err "ccn: occupancy: --from 2025-01-01 sau --to 2024-01-01"
both occupancy "$WS" --series quarter --from 2024-04-01 --to 2024-05-15
expect_rc 2
expect_en "ccn: occupancy: no quarter ends between --from 2024-04-01 and --to 2024-05-15"
expect_err "ccn: occupancy: không có ngày cuối quý nào từ --from 2024-04-01 đến --to 2024-05-15"
both map "$WS" --cluster TN -o m.png
expect_rc 2
expect_err "ccn: map: cụm TN chưa có gì để vẽ: hãy nhập ranh giới (--as clusters) hoặc các lô đất (--as lots) trước"
[ -e m.png ] || [ -e x.geojson ] && bad "a refused command wrote a file" || ok

# check, overlay, areas: what is missing, and warnings that do not stop them.
both check "$WS" --only markers
expect_rc 2
expect_en "ccn: check: $WS: check 'markers' cannot run: no markers imported"
expect_err "ccn: check: $WS: kiểm tra 'markers' không chạy được: chưa nhập mốc giới"
both overlay "$WS"
expect_rc 2
expect_en "ccn: overlay: warning: left out, no boundary imported: DL3, NUA, DT, TN, TTH"
expect_err "ccn: overlay: cảnh báo: bỏ qua vì chưa nhập ranh giới: DL3, NUA, DT, TN, TTH"
expect_en "ccn: overlay: $WS: no plan in the workspace (the land-use plan zones); import them first with 'ccn import $WS FILE --as plan'"
expect_err "ccn: overlay: $WS: không gian làm việc chưa có lớp plan (các vùng quy hoạch sử dụng đất); hãy nhập trước bằng 'ccn import $WS FILE --as plan'"
both areas "$WS"
expect_rc 0
expect_en "ccn: areas: warning: cluster NUA has no boundary: its area is empty"
expect_err "ccn: areas: cảnh báo: cụm NUA chưa có ranh giới: diện tích để trống"

# init, copy and grant on a workspace.
both init "$WS"
expect_rc 2
expect_en "ccn: init: '$WS' already exists (use --force to overwrite it)"
expect_err "ccn: init: '$WS' đã có (dùng --force để ghi đè)"
both init "$TMP/deg.sqlite" --crs EPSG:4326 --district "$ROOT/gis"
expect_rc 2
expect_eq "$err" "ccn: init: EPSG:4326 không phải là hệ tọa độ phẳng phù hợp: hệ tọa độ của không gian làm việc phải là hệ tọa độ phẳng tính bằng mét (diện tích không bao giờ tính theo độ hay theo Web Mercator)"
both init "$TMP/deg.sqlite" --crs EPSG:99999 --district "$ROOT/gis"
expect_rc 2
expect_eq "$err" "ccn: init: Không có hệ tọa độ EPSG:99999: hệ tọa độ của không gian làm việc phải là hệ tọa độ phẳng tính bằng mét (diện tích không bao giờ tính theo độ hay theo Web Mercator)"
both copy "$WS" "$WS"
expect_rc 2
expect_en "ccn: copy: '$WS': source and target are the same workspace"
expect_err "ccn: copy: '$WS': nguồn và đích là cùng một không gian làm việc"
both grant "$WS" viewer bob
expect_rc 2
expect_en "ccn: grant: '$WS' is a SQLite file: who may read or change it is the file's permissions (chmod, chown); ccn grant gives rights on a PostgreSQL workspace"
expect_err "ccn: grant: '$WS' là tệp SQLite: quyền đọc hay sửa là quyền của tệp (chmod, chown); ccn grant cấp quyền trên không gian làm việc PostgreSQL"
# What the system says is in Vietnamese too, diacritics whole (glibc's own
# catalogue, read as UTF-8, or ccn's where glibc has none).
both lease "$WS" import nofile.csv
expect_rc 2
expect_en "ccn: lease: cannot open 'nofile.csv': No such file or directory"
expect_err "ccn: lease: không mở được 'nofile.csv': Không có "
expect_err_not "?"
# A long message is matched against every pattern in a moment: conversions
# side by side ("feature %lld%s%s%s") once tried every split of it (this one,
# a 700-character name read as TCVN3, took minutes; timeout's 124 is a stall).
name=$(printf 'Cụm công nghiệp Hợp Thắng mở rộng giai đoạn hai %.0s' $(seq 15))
printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}},"features":[{"type":"Feature","properties":{"code":"HT","name":"%s"},"geometry":{"type":"Polygon","coordinates":[[[561100,2188600],[561200,2188600],[561200,2188650],[561100,2188600]]]}}]}' \
    "$name" >"$TMP/long_name.geojson"
run env LANGUAGE=vi timeout 20 "$CCN" import "$WS" "$TMP/long_name.geojson" --as clusters --encoding TCVN3
expect_rc 2
expect_err "đối tượng 0: "
# A warning that holds another pattern ("the boundary of cluster %s") is
# translated whole, not as that pattern with the rest left English: HT's
# boundary a bow-tie.
bt=$(new_ws bowtie)
printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}},"features":[{"type":"Feature","properties":{"code":"HT"},"geometry":{"type":"Polygon","coordinates":[[[561000,2188500],[561350,2189000],[561000,2189000],[561350,2188500],[561000,2188500]]]}}]}' >"$TMP/bowtie.geojson"
"$CCN" import "$bt" "$TMP/bowtie.geojson" --as clusters -q >/dev/null || exit 3
run env LANGUAGE=vi "$CCN" areas "$bt" -q -o "$TMP/bowtie_areas.csv"
expect_rc 0
expect_err "cảnh báo: ranh giới của cụm HT không hợp lệ (Self-intersection[561175 2188750]): đo theo hình đã sửa bằng MakeValid; xem 'ccn check'"
finish
