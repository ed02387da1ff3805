#!/bin/bash
# cli_i18n — the CLI in Vietnamese (po/vi.po through gettext) and dates
# written dd/mm/yyyy. Vietnamese comes with LANGUAGE=vi, and with
# LANG=vi_VN.UTF-8 even where that locale is not generated (this machine has
# only C and C.UTF-8: the test checks with `locale -a`); English otherwise.
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
WS=$(new_ws)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
"$CCN" lease "$WS" import "$D/leases.csv" -q >/dev/null || exit 3

# A failing command, in Vietnamese: the library's message matched and
# re-worded, the usage hint too.
run env LANGUAGE=vi "$CCN" map "$TMP/none.sqlite" --cluster HT -o "$TMP/x.png"
expect_rc 2
expect_err "ccn: map: không có không gian làm việc '$TMP/none.sqlite' (hãy tạo bằng 'ccn init')"
run env LANGUAGE=vi "$CCN" occupancy "$WS" --by nothing
expect_rc 2
expect_err "ccn: occupancy: --by 'nothing': cần cluster hoặc lot"
expect_err "Xem 'ccn occupancy --help'."
if ! locale -a 2>/dev/null | grep -qi '^vi_VN'; then
    echo "(vi_VN is not generated here: LANG=vi_VN.UTF-8 is served by the fallback)"
fi
run env -u LANGUAGE LC_ALL= LANG=vi_VN.UTF-8 "$CCN" occupancy "$WS" --by nothing
expect_rc 2
expect_err "--by 'nothing': cần cluster hoặc lot"
# English otherwise, word for word as before.
run env -u LANGUAGE LC_ALL= LANG=C "$CCN" occupancy "$WS" --by nothing
expect_rc 2
expect_err "ccn: occupancy: --by 'nothing': expected cluster or lot"
expect_err "Try 'ccn occupancy --help'."
run env -u LANGUAGE LC_ALL= LANG=en_US.UTF-8 "$CCN" map "$TMP/none.sqlite" --cluster HT -o "$TMP/x.png"
expect_err "workspace '$TMP/none.sqlite' does not exist (create it with 'ccn init')"

# What a command that worked says, too (its figures are the English run's).
VI=$(ws_path vi)
run env LANGUAGE=vi "$CCN" init "$VI"
expect_rc 0
expect_out "đã tạo $VI (EPSG:5897): 6 cụm, 69 mã loại đất, 34 xã"
run env LANGUAGE=vi "$CCN" import "$VI" "$D/ht_boundary.geojson" --as clusters -q
expect_rc 0
expect_out "ht_boundary.geojson: lớp 'ht_boundary' (VN-2000 / TM-3 zone 482) -> clusters: đọc 1, lưu 1, từ chối 0"
run env LANGUAGE=vi "$CCN" import "$VI" "$D/ht_boundary.geojson" --as clusters -q --if-changed
expect_rc 0
expect_out "không thay đổi kể từ khi nhập vào clusters"
run env LANGUAGE=vi "$CCN" check "$VI" -o "$TMP/vi_findings.csv"
expect_err "ccn: check: 1 lỗi, 0 cảnh báo"   # AREA_DEVIATION of HT (as in English)
expect_err "ccn: check: lots       không chạy: chưa nhập lô đất"
# What a group looked at, part by part (English: "1 boundaries; no boundary: …").
expect_err "ccn: check: clusters   đã chạy (1 ranh giới; chưa có ranh giới: DL3, NUA, DT, TN, TTH): 1 phát hiện"

# --help too.
run env LANGUAGE=vi "$CCN" map --help
expect_rc 0
expect_out "Cách dùng: ccn map WORKSPACE (--cluster CODE | --district) -o OUT.png|svg|pdf"
expect_out "vẽ ở tỷ lệ 1:N"
run env LANGUAGE=vi "$CCN" --help
expect_out "  occupancy  tỷ lệ lấp đầy các cụm, theo lô, theo quý, các tiêu chí Nghị định 32"
# Machine output is not translated: CSV headers and numbers stay as DESIGN §8.
run env LANGUAGE=vi "$CCN" occupancy "$WS" --as-of 2023-06-30 --format csv
expect_out "cluster,name,status,target_pct,leasable_m2,leased_m2,occupancy_pct,target_met"
expect_out "HT,"
expect_eq "$(csv_field "$out" "HT," occupancy_pct)" "80.0000"

# Dates as dd/mm/yyyy: the same figures as the ISO date.
run "$CCN" occupancy "$WS" --as-of 2023-06-30 --format csv
iso=$out
run "$CCN" occupancy "$WS" --as-of 30/06/2023 --format csv
expect_rc 0
expect_eq "$out" "$iso" "(--as-of 30/06/2023 = 2023-06-30)"
run "$CCN" occupancy "$WS" --as-of 1/4/2023 --format csv
expect_eq "$(csv_field "$out" "HT," occupancy_pct)" "80.0000" "(1/4/2023: CN-02 leased from that day)"
run "$CCN" occupancy "$WS" --series quarter --from 01/01/2023 --to 31/12/2023 --format csv
expect_rc 0
expect_out "2023-03-31,HT"
expect_out "2023-12-31,HT"
run "$CCN" lease "$WS" list --as-of 31/12/2025 --format csv
expect_rc 0
expect_out "CN-03"
run "$CCN" lease "$WS" end --cluster HT --lot CN-03 --on 01/07/2026
expect_rc 0
expect_eq "$(sql "$WS" "SELECT end_date FROM leases WHERE lot_no = 'CN-03'")" "2026-07-01"

# A bad date is worded the same by every command.
for cmd in "occupancy $WS" "map $WS --cluster HT -o $TMP/x.png" "export $WS $TMP/x.geojson --layer lots" \
           "report $WS $TMP/rep" "publish $WS $TMP/pub" "lease $WS list"; do
    run "$CCN" $cmd --as-of 31/02/2024
    expect_rc 2
    expect_err "--as-of '31/02/2024' is not a date: write YYYY-MM-DD or dd/mm/yyyy"
done
run "$CCN" lease "$WS" add --cluster HT --lot CN-01 --tenant T --from 31/02/2027
expect_rc 2
expect_err "start_date: '31/02/2027' is not a date: write YYYY-MM-DD or dd/mm/yyyy"
[ -e "$TMP/x.png" ] || [ -e "$TMP/rep" ] && bad "a refused command wrote a file" || ok
finish
