#!/usr/bin/env bash
# ccn import on messy files no test had tried (a hunt for crashes, silent
# drops and lost data, session 16): each case once lost text, named the
# wrong problem or answered in English under LANGUAGE=vi. Fixtures are made
# here, small, with ogr2ogr, iconv and printf.
source "$(dirname "$0")/lib.sh"
skip_on_pg "shapefile and DXF code pages, file bytes"
ws=$(new_ws)
digest() { sqlite3 "$1" .dump | sha256sum; }
csv_to() { # csv_to OUT.shp|OUT.gpkg CSV [ogr2ogr options]: WKT rows in EPSG:5897
    local out=$1 in=$2
    shift 2
    ogr2ogr "$out" "$in" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:5897 "$@" 2>/dev/null
}

# --- A .cpg of 1258 (Windows under a Vietnamese locale) -------------------------
# GDAL decodes it with glibc's iconv, which keeps back each string's last
# letter: field names lost theirs (MAXA -> MAX: "no field for 'cluster'"),
# and with --field every value lost its ("HT" -> "H", "LUC" -> "LU"). ccn
# decodes the DBF's bytes itself.
printf '%s\n' 'WKT,cluster,lot_no,use' \
    '"POLYGON((561200 2188800,561200 2188820,561220 2188820,561220 2188800,561200 2188800))",HT,CN-95,industrial' \
    >"$TMP/lots.csv"
csv_to "$TMP/lots1258.shp" "$TMP/lots.csv" -lco ENCODING=
echo 1258 >"$TMP/lots1258.cpg"
run "$CCN" import "$ws" "$TMP/lots1258.shp" --as lots
expect_rc 0
expect_out "1 read, 1 stored, 0 refused"
expect_eq "$(sql "$ws" "SELECT cluster || '|' || lot_no || '|' || use FROM lots WHERE lot_no = 'CN-95'")" "HT|CN-95|industrial"
# Vietnamese in CP1258 bytes (iconv -t CP1258: "Nguy\xea\xde n V\xe3n \xd0\xfd\xec c")
printf '%s\n' 'WKT,MAXA,SHBANDO,SHTHUA,LOAIDAT,TENCHU' \
    '"POLYGON((564800 2183400,564820 2183420,564820 2183400,564800 2183400))",15916,1,1,LUC,Nguyễn Văn Đức' |
    iconv -t CP1258 >"$TMP/cp.csv"
csv_to "$TMP/cp1258.shp" "$TMP/cp.csv" -lco ENCODING=
echo CP1258 >"$TMP/cp1258.cpg"
run "$CCN" import "$ws" "$TMP/cp1258.shp" --as parcels
expect_rc 0
expect_eq "$(sql "$ws" "SELECT commune || '|' || landuse || '|' || owner || '|' || printf('%.3f', Area(geom)) FROM parcels WHERE commune = '15916'")" \
    "15916|LUC|Nguyễn Văn Đức|200.000"
# UTF-8 text under that .cpg: read as it says, it would be stored garbled.
# Refused, nothing stored; --encoding UTF-8 reads the bytes as they are
# (it was GDAL's CP1258 decoding all the same: "Nguyá»…n VÄƒn Ä�á»©").
sed 's/15916,1,1/15916,2,1/; s/564800 /564900 /g' <<<"$(iconv -f CP1258 "$TMP/cp.csv")" >"$TMP/u.csv"
csv_to "$TMP/utf8_1258.shp" "$TMP/u.csv" -lco ENCODING=
echo 1258 >"$TMP/utf8_1258.cpg"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/utf8_1258.shp" --as parcels
expect_rc 2
expect_err "utf8_1258.shp: feature 0: field 'TENCHU' is already UTF-8 text ('Nguyễn Văn Đức'); read as its .cpg says (1258) it would be stored garbled"
expect_err ": pass --encoding UTF-8"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/utf8_1258.shp" --as parcels
expect_err "nếu đọc theo tệp .cpg (1258) thì sẽ lưu thành chữ lỗi"
run "$CCN" import "$ws" "$TMP/utf8_1258.shp" --as parcels --encoding UTF-8
expect_rc 0
expect_eq "$(sql "$ws" "SELECT landuse || '|' || owner FROM parcels WHERE commune = '15916' AND sheet = 2")" "LUC|Nguyễn Văn Đức"
# A key stored already, in Vietnamese: its noun stayed English ("parcel
# 15916/1/1 đã được lưu"), the workspace's SQL naming it.
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/cp1258.shp" --as parcels --again
expect_rc 2
expect_err "đối tượng 0: thửa đất 15916/1/1 đã được lưu (xem --replace)"

# --- A DXF whose $DWGCODEPAGE is ANSI_1258 ----------------------------------------
# GDAL decodes it the same way: the layer names LUC and SKC were stored as
# plan codes "LU" and "SK", said only as unknown codes.
# dxf_1258 HANDLE_PREFIX LAYER:X...: a DXF whose $DWGCODEPAGE is ANSI_1258, one
# closed 100 x 80 m LWPOLYLINE per LAYER from easting X, the layer named in
# CP1258 bytes.
dxf_1258() {
    local prefix=$1 i=0 z x
    shift
    printf '0\nSECTION\n2\nHEADER\n9\n$DWGCODEPAGE\n3\nANSI_1258\n0\nENDSEC\n0\nSECTION\n2\nENTITIES\n'
    for z in "$@"; do
        i=$((i + 1))
        printf '0\nLWPOLYLINE\n5\n%s%s\n8\n%s\n90\n4\n70\n1\n' "$prefix" "$i" \
            "$(printf '%s' "${z%%:*}" | iconv -t CP1258)"
        x=${z#*:}
        printf '10\n%s\n20\n2198000\n10\n%s\n20\n2198000\n10\n%s\n20\n2198080\n10\n%s\n20\n2198080\n' \
            "$x" "$((x + 100))" "$((x + 100))" "$x"
    done
    printf '0\nENDSEC\n0\nEOF\n'
}
dxf_1258 2A LUC:552000 SKC:552400 >"$TMP/plan1258.dxf"
p=$(new_ws dxf)
run "$CCN" import "$p" "$TMP/plan1258.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_rc 0
expect_eq "$(sql "$p" "SELECT group_concat(landuse || ':' || Area(geom), ' ') FROM (SELECT * FROM plan ORDER BY fid)")" \
    "LUC:8000.0 SKC:8000.0"
! grep -q "does not know" <<<"$err" && ok || bad "codes called unknown: $err"
# and its text that is not Vietnamese ("Müller SKN", "Ø20 LUC" in CP1258
# bytes: ü is FC, Ø D8) was left to GDAL, which lost the last letters
# still: "MÜLLER SK", "Ø20 LU". ccn decodes ANSI_1258 itself, always.
dxf_1258 2B 'Müller SKN:552000' 'Ø20 LUC:552400' >"$TMP/west1258.dxf"
p=$(new_ws dxfwest)
run "$CCN" import "$p" "$TMP/west1258.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_rc 0
expect_eq "$(sql "$p" "SELECT group_concat(landuse, '|') FROM (SELECT * FROM plan ORDER BY fid)")" "MÜLLER SKN|Ø20 LUC"

# --- Rings of 1 and 2 points (GeoPackage WKB GDAL reads and GEOS does not) --------
# were refused as "unreadable geometry", nothing said of which ring. A WKB
# polygon, one ring of 2 points (564800 2183400 twice).
printf '%s\n' 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua' \
    '"POLYGON((564800 2183400,564820 2183400,564820 2183420,564800 2183400))",15916,5,1' >"$TMP/ring.csv"
csv_to "$TMP/ring.gpkg" "$TMP/ring.csv" -nln parcels
for t in $(sqlite3 "$TMP/ring.gpkg" "SELECT name FROM sqlite_master WHERE type = 'trigger'"); do
    sqlite3 "$TMP/ring.gpkg" "DROP TRIGGER \"$t\""
done
# GeoPackage header (GP, version 0, flags 1: little-endian, no envelope, srs 5897), then
# WKB polygon (type 3), 1 ring, 2 points
sqlite3 "$TMP/ring.gpkg" "UPDATE parcels SET geom = X'47500001' || X'0D170000' || X'01030000000100000002000000' || X'00000000803C21410000000074A84041' || X'00000000803C21410000000074A84041'"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/ring.gpkg" --as parcels
expect_rc 2
expect_err "ring.gpkg: 1 of 1 features refused: feature 1: part 1, ring 1 has 2 points: a polygon ring needs at least 4"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/ring.gpkg" --as parcels
expect_err "đối tượng 1: phần 1, vòng 1 có 2 điểm"

# --- A 3-D surface, in Vietnamese ---------------------------------------------------
# Its reason held "; ", where a list of reasons is cut: half of it stayed English.
printf '%s\n' 'WKT,landuse' \
    '"TIN Z (((564800 2183400 0,564820 2183400 0,564820 2183420 0,564800 2183400 0)))",SKN' >"$TMP/tin.csv"
csv_to "$TMP/tin.gpkg" "$TMP/tin.csv" -nln plan -nlt TIN
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/tin.gpkg" --as plan
expect_rc 2
expect_err "đối tượng 1: một bề mặt 3 chiều (TIN), trong khi cần một vùng (ccn chỉ nhận vùng 2 chiều: hãy xuất hình chiếu bằng của bề mặt trước); không nhập gì"

# --- Markers that are not one point --------------------------------------------------
# A multipoint of one point (a Multipoint shapefile's) is that point; one of
# two was "a point where a point is needed", a polygon "not a polygon where a
# point is needed", in English under LANGUAGE=vi.
printf '%s\n' 'WKT,cluster,marker' \
    '"MULTIPOINT((561100 2188700))",HT,M91' \
    '"MULTIPOINT((561100 2188700),(561110 2188700))",HT,M92' \
    '"POLYGON((561100 2188700,561120 2188700,561120 2188720,561100 2188700))",HT,M93' >"$TMP/mk.csv"
csv_to "$TMP/mk.gpkg" "$TMP/mk.csv" -nln markers -nlt GEOMETRY
run "$CCN" import "$ws" "$TMP/mk.gpkg" --as markers
expect_rc 2
expect_err "mk.gpkg: 2 of 3 features refused: feature 2: several points where a point is needed; feature 3: a polygon where a point is needed; nothing imported"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/mk.gpkg" --as markers
expect_err "đối tượng 2: nhiều điểm, trong khi cần một điểm; đối tượng 3: một vùng, trong khi cần một điểm"
run "$CCN" import "$ws" "$TMP/mk.gpkg" --as markers --skip-bad
expect_rc 0
expect_out "3 read, 1 stored, 2 refused"
expect_eq "$(sql "$ws" "SELECT marker || ' ' || x || ' ' || y FROM markers WHERE marker LIKE 'M9%'")" "M91 561100.0 2188700.0"

# --- A .shp and a .dbf that disagree ---------------------------------------------------
# GDAL reads as many features as the shorter of the two holds, without a
# word: a .dbf of 2 rows beside 3 shapes imported 2 parcels, "2 read", and
# the third was gone. A .dbf cut short by a row is made by writing 2 rows
# over the first two of 3 shapes (ogr2ogr -append onto a fresh .dbf).
printf '%s\n' 'WKT,MAXA,SHBANDO,SHTHUA' \
    '"POLYGON((564800 2183400,564820 2183420,564820 2183400,564800 2183400))",15916,6,1' \
    '"POLYGON((564830 2183400,564850 2183420,564850 2183400,564830 2183400))",15916,6,2' \
    '"POLYGON((564860 2183400,564880 2183420,564880 2183400,564860 2183400))",15916,6,3' >"$TMP/three.csv"
csv_to "$TMP/three.shp" "$TMP/three.csv"
head -3 "$TMP/three.csv" >"$TMP/two.csv"
csv_to "$TMP/two.shp" "$TMP/two.csv"
cp "$TMP/two.dbf" "$TMP/three.dbf"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/three.shp" --as parcels
expect_rc 2
expect_err "three.shp: its .shp holds 3 shapes and its .dbf 2 rows: only the first 2 of each could be read, the rest would be lost"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"
# and the other way round: a row without its shape
csv_to "$TMP/three2.shp" "$TMP/three.csv"
cp "$TMP/two.shp" "$TMP/three2.shp"
cp "$TMP/two.shx" "$TMP/three2.shx"
run "$CCN" import "$ws" "$TMP/three2.shp" --as parcels --skip-bad
expect_rc 2
expect_err "three2.shp: its .shp holds 2 shapes and its .dbf 3 rows: only the first 2 of each could be read"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/three2.shp" --as parcels
expect_err "three2.shp: tệp .shp có 2 hình và tệp .dbf có 3 dòng"
# the same shapefile in a folder, or in a .zip (/vsizip/), opened by
# another path than its .shp: "2 read, 2 stored", the third shape lost
mkdir -p "$TMP/shpdir"
cp "$TMP/three.shp" "$TMP/three.shx" "$TMP/three.dbf" "$TMP/three.prj" "$TMP/shpdir/"
(cd "$TMP/shpdir" && /usr/bin/python3 -m zipfile -c "$TMP/three.zip" three.shp three.shx three.dbf three.prj)
for src in "$TMP/shpdir/" "/vsizip/$TMP/three.zip/three.shp" "/vsizip/$TMP/three.zip"; do
    run "$CCN" import "$ws" "$src" --as parcels
    expect_rc 2
    expect_err "three.shp: its .shp holds 3 shapes and its .dbf 2 rows: only the first 2 of each could be read"
    expect_eq "$(digest "$ws")" "$before" "(a refused import of $src changed the workspace)"
done
# a shapefile whose .dbf marks a row deleted (dBase's '*') is whole: that
# row is not a feature
csv_to "$TMP/del.shp" "$TMP/three.csv"
printf '*' | dd of="$TMP/del.dbf" bs=1 seek="$(($(od -An -tu2 -j8 -N2 "$TMP/del.dbf") + $(od -An -tu2 -j10 -N2 "$TMP/del.dbf")))" conv=notrunc 2>/dev/null
run "$CCN" import "$ws" "$TMP/del.shp" --as parcels
expect_rc 0
expect_out "2 read, 2 stored, 0 refused"
expect_eq "$(sql "$ws" "SELECT group_concat(parcel_no, ' ') FROM parcels WHERE commune = '15916' AND sheet = 6")" "1 3"

# --- A number in a .dbf that is not one ----------------------------------------------
# "400,50" (a decimal comma) in a number field: GDAL reads 400 and warns, and
# the parcel was stored with 400 m² on record, not a word said; "3a" in an
# integer field was parcel 3. The text each was is now refused as it is in a
# text field. The .dbf is written by ogr2ogr (DIENTICH a real of 6.2,
# SHTHUA an integer of 2), then its bytes changed.
printf '%s\n' 'WKT,MAXA,SHBANDO,SHTHUA,DIENTICH' \
    '"POLYGON((564800 2183400,564820 2183420,564820 2183400,564800 2183400))",15916,9,11,400.5' \
    '"POLYGON((564830 2183400,564850 2183420,564850 2183400,564830 2183400))",15916,9,12,200.25' >"$TMP/num.csv"
csv_to "$TMP/num.shp" "$TMP/num.csv" -oo AUTODETECT_TYPE=YES -oo AUTODETECT_WIDTH=YES
patch_dbf() { # patch_dbf FILE FROM TO: FROM, found once in FILE's bytes, becomes TO
    /usr/bin/python3 -c 'import sys; p, a, b = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
d = open(p, "rb").read(); assert d.count(a) == 1 and len(a) == len(b), a; open(p, "wb").write(d.replace(a, b))' "$@"
}
patch_dbf "$TMP/num.dbf" "15916911400.50" "15916911400,50"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/num.shp" --as parcels
expect_rc 2
expect_err "num.shp: 1 of 2 features refused: feature 0: area on record '400,50' is not an area in m² (a decimal comma? ccn reads 400.50)"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"
patch_dbf "$TMP/num.dbf" "15916911400,50" "15916911400.50"
patch_dbf "$TMP/num.dbf" "15916912200.25" "1591693a200.25"
run "$CCN" import "$ws" "$TMP/num.shp" --as parcels --skip-bad
expect_rc 0
expect_out "2 read, 1 stored, 1 refused"
expect_err "feature 1: sheet '9' / parcel '3a' is not a whole number"
expect_eq "$(sql "$ws" "SELECT group_concat(parcel_no || ':' || area_legal, ' ') FROM parcels WHERE commune = '15916' AND sheet = 9")" "11:400.5"

# The same in a GeoPackage: SQLite keeps the text '400,50' in a REAL column,
# '3a' in an INTEGER one, and GDAL reads 400 and 3 without a warning.
# ogr2ogr writes it (layer name with a quote, as a surveyor's may be), SQL
# through GDAL changes it.
csv_to "$TMP/num.gpkg" "$TMP/num.csv" -oo AUTODETECT_TYPE=YES -nln 'thửa "9"'
/usr/bin/python3 -c 'import sys; from osgeo import ogr; ds = ogr.Open(sys.argv[1], 1)
ds.ExecuteSQL("UPDATE \"thửa \"\"9\"\"\" SET DIENTICH = '"'400,50'"' WHERE SHTHUA = 11")
ds.ExecuteSQL("UPDATE \"thửa \"\"9\"\"\" SET SHTHUA = '"'3a'"' WHERE SHTHUA = 12")' "$TMP/num.gpkg"
expect_eq "$(sqlite3 "$TMP/num.gpkg" "SELECT group_concat(typeof(SHTHUA) || ':' || SHTHUA || ':' || typeof(DIENTICH), ' ') FROM \"thửa \"\"9\"\"\"")" \
    "integer:11:text text:3a:real"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/num.gpkg" --as parcels
expect_rc 2
expect_err "num.gpkg: 2 of 2 features refused: feature 1: area on record '400,50' is not an area in m² (a decimal comma? ccn reads 400.50); feature 2: sheet '9' / parcel '3a' is not a whole number; nothing imported"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"

# --- A DXF INSERT of a block the file does not hold -----------------------------------
# GDAL says "Block NOPE does not exist" and reads on: "1 read, 1 stored", the
# entity gone without a word. It is a feature refused now.
printf '0\nSECTION\n2\nENTITIES\n0\nINSERT\n5\n2A\n8\nSKC\n2\nNOPE\n10\n564900.0\n20\n2183400.0\n' >"$TMP/insert.dxf"
printf '0\nLWPOLYLINE\n5\n2B\n8\nSKC\n90\n4\n70\n1\n' >>"$TMP/insert.dxf"
printf '10\n%s\n20\n%s\n' 564800 2183400 564900 2183400 564900 2183480 564800 2183480 >>"$TMP/insert.dxf"
printf '0\nENDSEC\n0\nEOF\n' >>"$TMP/insert.dxf"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/insert.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_rc 2
expect_err "insert.dxf: 1 of 2 features refused: an INSERT of block 'NOPE': the file holds no such block: nothing of it can be read; nothing imported"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/insert.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_err "insert.dxf: 1 trên 2 đối tượng bị từ chối: một INSERT của khối 'NOPE': tệp không có khối này: không đọc được gì của nó"
run "$CCN" import "$ws" "$TMP/insert.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer --skip-bad
expect_rc 0
expect_out "2 read, 1 stored, 1 refused"
expect_eq "$(sql "$ws" "SELECT count(*) || ' ' || printf('%.1f', sum(Area(geom))) FROM plan WHERE landuse = 'SKC' AND MbrMinX(geom) = 564800")" "1 8000.0"

# --- GeoJSON properties that are objects or lists ------------------------------------
# were stored as their JSON text: a plan code '{ "CODE": "SKN", … }', said
# only as a code gis/landuse.csv does not know; an owner '[ "A", "B" ]' not at all.
{
    echo '{"type":"FeatureCollection","features":['
    echo '{"type":"Feature","properties":{"landuse":{"code":"SKN"}},"geometry":{"type":"Polygon","coordinates":[[[105.59,19.79],[105.5902,19.79],[105.5902,19.7902],[105.59,19.79]]]}},'
    echo '{"type":"Feature","properties":{"landuse":["SKN","LUC"]},"geometry":{"type":"Polygon","coordinates":[[[105.59,19.79],[105.5902,19.79],[105.5902,19.7902],[105.59,19.79]]]}}]}'
} >"$TMP/nested.geojson"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/nested.geojson" --as plan
expect_rc 2
expect_err "nested.geojson: 2 of 2 features refused: feature 0: field 'landuse' holds a list or an object ('{\"code\":\"SKN\"}'), not one value; feature 1: field 'landuse' holds a list or an object ('[\"SKN\",\"LUC\"]'), not one value; nothing imported"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/nested.geojson" --as plan
expect_err "đối tượng 0: trường 'landuse' chứa một danh sách hoặc một đối tượng JSON"
# A property's JSON type varies by feature, GDAL's field type is one for the
# layer: "SKN" then {"code":"LUC"} made a String field and the object was
# stored as the code '{ "CODE": "LUC" }' (rc 0); "SKN" then a list made a
# StringList and the plain "SKN" was refused as '(1:SKN)'; an object then
# "SKN" refused the SKN. Each value is judged by the feature's own JSON:
# only the object or the list is refused, quoted as its JSON (GDAL's
# serialisation, without spaces),
# and a string is itself ("SK\u0110" is SKĐ) beside a list.
plan_geojson() { # plan_geojson OUT LANDUSE1 LANDUSE2: two squares
    local sq='"geometry":{"type":"Polygon","coordinates":[[[105.59,19.79],[105.5902,19.79],[105.5902,19.7902],[105.59,19.79]]]}'
    printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"landuse":%s},%s},{"type":"Feature","properties":{"landuse":%s},%s}]}\n' \
        "$2" "$sq" "$3" "$sq" >"$1"
}
plan_geojson "$TMP/m1.geojson" '"SKN"' '{"code":"LUC"}'
plan_geojson "$TMP/m2.geojson" '"SK\u0110"' '["LUC","SKN"]'
plan_geojson "$TMP/m3.geojson" '{"code":"LUC"}' '"SKN"'
for m in 'm1|1|{"code":"LUC"}|SKN' 'm2|1|["LUC","SKN"]|SKĐ' 'm3|0|{"code":"LUC"}|SKN'; do
    IFS='|' read -r name fid text code <<<"$m"
    p=$(new_ws "$name")
    before=$(digest "$p")
    run "$CCN" import "$p" "$TMP/$name.geojson" --as plan
    expect_rc 2
    expect_err "$name.geojson: 1 of 2 features refused: feature $fid: field 'landuse' holds a list or an object ('$text'), not one value; nothing imported"
    expect_eq "$(digest "$p")" "$before" "(a refused import of $name changed the workspace)"
    run "$CCN" import "$p" "$TMP/$name.geojson" --as plan --skip-bad
    expect_rc 0
    expect_eq "$(sql "$p" "SELECT group_concat(landuse, ' ') FROM plan")" "$code"
done

# --- A land-use "code" longer than the warning's list ------------------------------------
# (a whole text in the code column) was said as ", …", no code at all; its
# first 60 bytes are (58 for two "ĐẤT Ở TẠI NÔNG THÔN ", 2 for the Đ).
code=$(printf 'Đất ở tại nông thôn %.0s' $(seq 30))
printf '%s\n' 'WKT,landuse' "\"POLYGON((564800 2184000,564820 2184020,564820 2184000,564800 2184000))\",$code" >"$TMP/code.csv"
run "$CCN" import "$ws" "$TMP/code.csv" --as plan --s-srs EPSG:5897
expect_rc 0
expect_err "code.csv: land-use codes that gis/landuse.csv does not know, on 1 feature (stored as they are): ĐẤT Ở TẠI NÔNG THÔN ĐẤT Ở TẠI NÔNG THÔN Đ…"

# --- Long text exported to a shapefile ----------------------------------------------------
# A DBF text field holds 254 bytes: GDAL cut an owner of 20 co-owners
# ("Nguyễn Văn An, " is 18 bytes in UTF-8: 359 in all, the last space
# trimmed) in the middle of a letter and the export said nothing. Refused,
# nothing written; a GeoPackage keeps it.
owners=$(for i in $(seq 20); do printf 'Nguyễn Văn An, '; done)
printf '%s\n' 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua,ChuSuDung' \
    "\"POLYGON((564800 2183900,564820 2183920,564820 2183900,564800 2183900))\",15916,7,1,\"$owners\"" >"$TMP/long.csv"
run "$CCN" import "$ws" "$TMP/long.csv" --as parcels --s-srs EPSG:5897
expect_rc 0
expect_eq "$(sql "$ws" "SELECT length(CAST(owner AS BLOB)) FROM parcels WHERE commune = '15916' AND sheet = 7")" 359
run "$CCN" export "$ws" "$TMP/out.shp" --layer parcels
expect_rc 2
expect_err "out.shp: fid "
expect_err ": field 'owner' holds 359 bytes of text, more than a shapefile's 254: it would be cut short (export as GeoPackage, .gpkg, to keep it whole)"
[ ! -e "$TMP/out.shp" ] && [ ! -e "$TMP/out.dbf" ] && ok || bad "a refused export left files: $(ls "$TMP"/out.*)"
LANGUAGE=vi run "$CCN" export "$ws" "$TMP/out.shp" --layer parcels
expect_err ": trường 'owner' chứa 359 byte văn bản, nhiều hơn mức 254 của shapefile"
run "$CCN" export "$ws" "$TMP/out.gpkg" --layer parcels
expect_rc 0
expect_eq "$(sqlite3 "$TMP/out.gpkg" "SELECT length(CAST(owner AS BLOB)) FROM parcels WHERE commune = '15916' AND sheet = 7")" 359

# --- A boundary drawn through a marker table is judged as a polygon is --------------
# Three markers on one line (x 561200, y 2189000 to 2189200: no area) or
# four whose edges cross were stored without the "stored with invalid
# geometry" a polygon file's boundary gets; the imports row said 0.
p=$(new_ws markers)
printf '%s\n' 'cluster,marker,X,Y' 'HT,M1,2189000,561200' 'HT,M2,2189100,561200' 'HT,M3,2189200,561200' >"$TMP/line.csv"
run "$CCN" import "$p" "$TMP/line.csv" --as clusters --s-srs EPSG:5897
expect_rc 0
expect_out "line.csv: 1 feature(s) stored with invalid geometry"
expect_eq "$(sql "$p" "SELECT features_invalid FROM imports WHERE file LIKE '%line.csv'")" 1
printf '%s\n' 'cluster,marker,X,Y' 'NUA,M1,2184000,565600' 'NUA,M2,2184100,565700' 'NUA,M3,2184000,565700' \
    'NUA,M4,2184100,565600' >"$TMP/cross.csv"
run "$CCN" import "$p" "$TMP/cross.csv" --as clusters --s-srs EPSG:5897
expect_rc 0
expect_out "cross.csv: 1 feature(s) stored with invalid geometry"

# --- Lease registers -------------------------------------------------------------------
# A quoted field never closed is a row cut short: it was "1 of 0 rows refused".
printf '%s\n' 'cluster,lot_no,tenant,start_date,end_date,note' \
    'HT,CN-01,"Công ty A,2020-01-01,2020-06-01,x' >"$TMP/open.csv"
run "$CCN" lease "$ws" import "$TMP/open.csv"
expect_rc 2
expect_err "open.csv:2: row: a quoted field is never closed (the rest of the file is lost)"
expect_err "open.csv: 1 of 1 rows refused (1 problem); nothing imported"
# A column given twice: the second was called "not lease fields", its
# values dropped without a word of what it was; then, said, the first
# column's HT was stored beside a second column's DL3 (rc 0). Which is
# meant is not known: that row is refused, nothing stored. Two copies that
# agree (but for spaces) are read once.
printf '%s\n' 'cluster,lot_no,tenant,start_date,end_date,note,cluster' \
    'HT,CN-95,Công ty A,2020-01-01,2020-06-01,x,DL3' >"$TMP/twice.csv"
before=$(digest "$ws")
run "$CCN" lease "$ws" import "$TMP/twice.csv"
expect_rc 2
expect_err "twice.csv:2: cluster: is given twice, 'HT' (column 1) and 'DL3' (column 7): which one is meant?"
expect_err "twice.csv: 1 of 1 rows refused (1 problem); nothing imported"
expect_err "twice.csv: lease fields given a second time (read once where both columns agree; a row where they differ is refused): 'cluster'"
! grep -q "not lease fields" <<<"$err" && ok || bad "a lease field called not one"
expect_eq "$(digest "$ws")" "$before" "(a refused lease import changed the workspace)"
LANGUAGE=vi run "$CCN" lease "$ws" import "$TMP/twice.csv"
expect_err "twice.csv:2: cluster: được ghi hai lần, 'HT' (cột 1) và 'DL3' (cột 7): không rõ giá trị nào mới đúng"
printf '%s\n' 'cluster,lot_no,tenant,start_date,end_date,note,cluster' \
    'HT,CN-95,Công ty A,2020-01-01,2020-06-01,x, HT ' >"$TMP/twice.csv"
run "$CCN" lease "$ws" import "$TMP/twice.csv"
expect_rc 0
expect_eq "$(sql "$ws" "SELECT cluster || '/' || lot_no FROM leases WHERE tenant = 'Công ty A'")" "HT/CN-95"
finish
