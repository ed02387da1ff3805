#!/bin/bash
# cli_import_csv_wkt — a CSV whose WKT column holds text GDAL cannot parse.
#
# GDAL's CSV driver reads a column named WKT (or one a .csvt types WKT) as the
# geometry; text it cannot parse comes as no geometry at all, or as the error
# of its next try, reading it as hex WKB. The import said "no geometry" of a
# ring cut short and "unreadable geometry (Unsupported WKB type 88)" of a
# misspelt type: now it names the field, the row and the text and says what
# is wrong, refused like any bad feature (exit 2, nothing stored; --skip-bad
# stores the rest). A row whose WKT is empty is still a feature without one.
source "$(dirname "$0")/lib.sh"
WS=$(new_ws)
parcels() { sql "$WS" "SELECT count(*) FROM parcels"; }
ok_ring='"POLYGON((582000 2190000,582020 2190000,582020 2190030,582000 2190030,582000 2190000))"'
{
    echo 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua'
    echo "$ok_ring,15940,12,7"
    echo '"POLYGON((582020 2190000, 582040 2190000",15940,12,8'
    echo '"POLYGN((582040 2190000,582060 2190000,582060 2190030,582040 2190000))",15940,12,9'
} >"$TMP/cut.csv"

run "$CCN" import "$WS" "$TMP/cut.csv" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "cut.csv: 2 of 3 features refused: feature 2: field 'WKT' (row 3, the header row 1): the WKT 'POLYGON((582020 2190000, 582040 2190000' cannot be read: it ends with 2 '(' not closed (cut short?)"
expect_err "; feature 3: field 'WKT' (row 4, the header row 1): the WKT 'POLYGN((582040 2190000,582060 2190000,582060 219…' cannot be read: 'POLYGN' is not a WKT geometry type (POLYGON, MULTIPOLYGON …)"
expect_err "nothing imported (fix the file, or pass --skip-bad to import the rest)"
grep -qF "no geometry" <<<"$err" && bad "said 'no geometry' of text that is there" || ok
grep -qF "WKB" <<<"$err" && bad "said WKB of a WKT column" || ok
expect_eq "$(parcels)" 0 "(nothing stored)"

# in Vietnamese, reason and all
LANGUAGE=vi run "$CCN" import "$WS" "$TMP/cut.csv" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "đối tượng 2: trường 'WKT' (dòng 3, dòng tiêu đề là dòng 1): không đọc được WKT 'POLYGON((582020 2190000, 582040 2190000': còn 2 dấu '(' chưa đóng (văn bản bị cắt?)"
expect_err "'POLYGN' không phải kiểu hình học WKT (POLYGON, MULTIPOLYGON …)"

# --skip-bad stores the good row and names the others
run "$CCN" import "$WS" "$TMP/cut.csv" --as parcels --s-srs EPSG:5897 --skip-bad
expect_rc 0
expect_out "3 read, 1 stored, 2 refused"
expect_err "cut.csv: refused feature 2: field 'WKT' (row 3, the header row 1): the WKT"
expect_eq "$(parcels)" 1

# an empty WKT is a feature without geometry, as before; a ')' closing too
# early, a text that begins with no type and a letter for a number each said
{
    echo 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua'
    echo '"",15940,13,1'
    echo '"POLYGON((582000 2190100,582020 2190100),582020 2190130,582000 2190100))",15940,13,2'
    echo '"582000 2190100",15940,13,3'
    echo '"POLYGON((582000 2190100,582020 x,582020 2190130,582000 2190100))",15940,13,4'
} >"$TMP/odd.csv"
run "$CCN" import "$WS" "$TMP/odd.csv" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "odd.csv: 4 of 4 features refused: feature 1: no geometry; feature 2: field 'WKT' (row 3, the header row 1): the WKT 'POLYGON((582000 2190100,582020 2190100),582020 2…' cannot be read: a ')' closes no '('"
expect_err "; feature 3: field 'WKT' (row 4, the header row 1): the WKT '582000 2190100' cannot be read: it does not begin with a geometry type (POLYGON, MULTIPOLYGON …)"
expect_err "; feature 4: field 'WKT' (row 5, the header row 1): the WKT 'POLYGON((582000 2190100,582020 x,582020 2190130,…' cannot be read: not well-formed WKT"

# a column a .csvt types WKT is named as it is
{
    echo 'geom,MaXa,SoHieuToBanDo,SoThuTuThua'
    echo '"MULTIPOLYGON(((582000 2190200,582020 2190200,582020 2190230,582000 2190200)",15940,14,1'
} >"$TMP/typed.csv"
echo '"WKT","String","Integer","Integer"' >"$TMP/typed.csvt"
run "$CCN" import "$WS" "$TMP/typed.csv" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "feature 1: field 'geom' (row 2, the header row 1): the WKT 'MULTIPOLYGON(((582000 2190200,582020 2190200,582…' cannot be read: it ends with 2 '(' not closed (cut short?)"
expect_eq "$(parcels)" 1
finish
