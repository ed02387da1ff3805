#!/bin/bash
# cli_import_doubled — a key the file gives more than once is said at import.
#
# Parcels sharing commune, sheet and number (lots: cluster and number) are all
# stored, as drawn, and `ccn check` reports them (DUPLICATE_ID); the import
# said nothing of parcels ("6 read, 6 stored, 0 refused" and no word), so a
# land officer learnt of them from check only. Now a warning counts the keys
# and names the first five with the file's features (or the stored rows'
# fids) that share each, keyed as check keys them; the import is not refused.
# Against the workspace: a feature whose key is stored is refused (exit 2;
# --skip-bad leaves it out, and then it is not counted); --replace replaces
# the file's sheets, so only the file's own doubles remain. The keys are
# counted by hand below (the files are written here).
source "$(dirname "$0")/lib.sh"
WS=$(new_ws)
# parcel LINE: a 20 m x 30 m parcel of commune 15688 (Hợp Thắng), column
# LINE of the 10 m grid, on row SHEET: "WKT,MaXa,SoHieuToBanDo,SoThuTuThua"
parcel() { # X SHEET NO [COMMUNE]
    local x=$((561000 + $1 * 20)) y=$((2188000 + $2 * 40))
    echo "\"POLYGON(($x $y,$((x + 20)) $y,$((x + 20)) $((y + 30)),$x $((y + 30)),$x $y))\",${4-15688},$2,$3"
}
header() { echo 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua'; }
dup_findings() {
    "$CCN" check "$WS" --format csv 2>/dev/null | awk -F, '$2 == "DUPLICATE_ID"' | wc -l
}

# --- doubles within the file: said, all stored, and check agrees ----------
# sheet 91: numbers 1 2 1 2 2 3 -> 91/1 twice (features 1, 3), 91/2 three
# times (2, 4, 5): 2 keys, 3 DUPLICATE_ID findings (one per row after the first)
{ header; parcel 0 91 1; parcel 1 91 2; parcel 2 91 1; parcel 3 91 2; parcel 4 91 2
  parcel 5 91 3; } >"$TMP/d1.csv"
run "$CCN" import "$WS" "$TMP/d1.csv" --as parcels --s-srs EPSG:5897
expect_rc 0
expect_out "6 read, 6 stored, 0 refused"
expect_err "d1.csv: 2 parcel keys (commune/sheet/parcel) given by more than one feature, all stored as drawn: 15688/91/1 (features 1, 3); 15688/91/2 (features 2, 4, 5); 'ccn check' lists them (DUPLICATE_ID)"
expect_eq "$(dup_findings)" 3 "(check's DUPLICATE_ID after d1)"
LANGUAGE=vi run "$CCN" import "$WS" "$TMP/d1.csv" --as parcels --s-srs EPSG:5897 --replace
expect_rc 0
expect_err "d1.csv: 2 mã thửa (xã/tờ/thửa) được ghi cho nhiều hơn một đối tượng, tất cả được lưu như đã vẽ: 15688/91/1 (các đối tượng 1, 3); 15688/91/2 (các đối tượng 2, 4, 5); 'ccn check' liệt kê chúng (DUPLICATE_ID)"

# --- against the workspace: a stored key is refused; --skip-bad leaves it
# out and it is not counted; the file's own double of sheet 92 is said
{ header; parcel 0 92 1; parcel 6 91 3; parcel 1 92 1; parcel 7 91 3; } >"$TMP/d2.csv"
run "$CCN" import "$WS" "$TMP/d2.csv" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "feature 2: parcel 15688/91/3 is stored already (see --replace)"
expect_eq "$(sql "$WS" "SELECT count(*) FROM parcels")" 6
run "$CCN" import "$WS" "$TMP/d2.csv" --as parcels --s-srs EPSG:5897 --skip-bad
expect_rc 0
expect_out "4 read, 2 stored, 2 refused"
expect_err "d2.csv: 1 parcel key (commune/sheet/parcel) given by more than one feature, all stored as drawn: 15688/92/1 (features 1, 3); 'ccn check'"
grep -F "given by more" <<<"$err" | grep -qF "91/3" && bad "counted a feature left out" || ok
expect_eq "$(dup_findings)" 4 "(3 of sheet 91, 1 of sheet 92)"

# --- --replace: sheet 91 replaced by a file doubling 91/5; sheet 92 stays
{ header; parcel 0 91 5; parcel 1 91 5; parcel 2 91 6; } >"$TMP/d3.csv"
run "$CCN" import "$WS" "$TMP/d3.csv" --as parcels --s-srs EPSG:5897 --replace
expect_rc 0
expect_out "3 read, 3 stored, 0 refused, 6 replaced"
expect_err "d3.csv: 1 parcel key (commune/sheet/parcel) given by more than one feature, all stored as drawn: 15688/91/5 (features 1, 2); 'ccn check'"
expect_eq "$(dup_findings)" 2 "(91/5 and 92/1)"

# --- no commune: check compares no key, nor does import ------------------
{ header; parcel 0 93 1 ""; parcel 1 93 1 ""; } >"$TMP/d4.csv"
run "$CCN" import "$WS" "$TMP/d4.csv" --as parcels --s-srs EPSG:5897
expect_rc 0
grep -qF "given by more than one" <<<"$err" && bad "said a key check does not compare" || ok
expect_eq "$(dup_findings)" 2 "(no more than before)"

# --- many: 7 keys doubled (sheet 94, numbers 1..7), number 1 eight times:
# the first five said in file order, the features of one cut after six
{
    header
    for n in 1 2 3 4 5 6 7; do parcel $((n - 1)) 94 "$n"; done # features 1-7
    for n in 1 2 3 4 5 6 7; do parcel $((n + 6)) 94 "$n"; done # features 8-14
    for k in 1 2 3 4 5 6; do parcel $((k + 13)) 94 1; done      # features 15-20
} >"$TMP/d5.csv"
run "$CCN" import "$WS" "$TMP/d5.csv" --as parcels --s-srs EPSG:5897
expect_rc 0
expect_out "20 read, 20 stored, 0 refused"
expect_err "d5.csv: 7 parcel keys (commune/sheet/parcel) given by more than one feature, all stored as drawn: 15688/94/1 (features 1, 8, 15, 16, 17, 18, …); 15688/94/2 (features 2, 9); 15688/94/3 (features 3, 10); 15688/94/4 (features 4, 11); 15688/94/5 (features 5, 12); and 2 more; 'ccn check' lists them (DUPLICATE_ID)"
expect_eq "$(dup_findings)" $((2 + 13)) "(before, and 7 + 6 of sheet 94)"

# --- lots: a number given twice in the file, and one the workspace stores
# with spaces around it (another tool wrote it; check trims, as import does)
L=$DATA/lease
"$CCN" import "$WS" "$L/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
sed 's/"CN-03"/"CN-02"/' "$L/ht_lots.geojson" >"$TMP/ht_twice.geojson"
run "$CCN" import "$WS" "$TMP/ht_twice.geojson" --as lots
expect_rc 0
expect_out "5 read, 5 stored, 0 refused"
expect_err "ht_twice.geojson: 1 lot number (cluster/lot) given by more than one feature, all stored as drawn: HT/CN-02 (features 1, 2); a lease of the number counts on each in occupancy; 'ccn check' lists them (DUPLICATE_ID)"
sql "$WS" "UPDATE lots SET lot_no = ' cn-01 ' WHERE lot_no = 'CN-01'" >/dev/null
stored=$(sql "$WS" "SELECT fid FROM lots WHERE lot_no = ' cn-01 '")
sed 's/"CN-02"/"CN-12"/; s/"CN-03"/"CN-13"/; s/"DV-01"/"DV-11"/; s/"CX-01"/"CX-11"/' \
    "$L/ht_lots.geojson" >"$TMP/ht_again.geojson"
run "$CCN" import "$WS" "$TMP/ht_again.geojson" --as lots
expect_rc 0
expect_err "ht_again.geojson: 1 lot number (cluster/lot) given by more than one feature, all stored as drawn: HT/CN-01 (feature 0, and fid $stored stored before);"
expect_eq "$("$CCN" check "$WS" --format csv 2>/dev/null | awk -F, '$2 == "DUPLICATE_ID" && $3 == "lots"' | wc -l)" 2 \
    "(CN-02 of ht_twice, CN-01 against the stored one)"
finish
