#!/usr/bin/env bash
# ccn import on files a land office receives that no test had tried (a hunt
# for silent drops and unclear refusals, session 18). Each case failed on the
# build before its fix. Fixtures are made here, small, with ogr2ogr and printf.
source "$(dirname "$0")/lib.sh"
skip_on_pg "the files' own layers and CRSs (the back end plays no part)"
ws=$(new_ws)
csv_to() { # csv_to OUT.gpkg CSV [ogr2ogr options]: WKT rows
    local out=$1 in=$2
    shift 2
    ogr2ogr -append "$out" "$in" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO "$@"
}

# --- A file of several layers that hold polygons ------------------------------------
# Without --layer the first one is read, as the README says; the others (a
# KML's folders, a GeoPackage of one layer a sheet) were left out without a
# word: "1 read, 1 stored, 0 refused", exit 0, the second sheet gone. They
# are named now, each with its features, and --layer reads them.
printf '%s\n' 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua' \
    '"POLYGON((564800 2183400,564820 2183400,564820 2183420,564800 2183400))",15916,1,1' >"$TMP/s1.csv"
printf '%s\n' 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua' \
    '"POLYGON((564830 2183400,564850 2183400,564850 2183420,564830 2183400))",15916,2,1' \
    '"POLYGON((564860 2183400,564880 2183400,564880 2183420,564860 2183400))",15916,2,2' >"$TMP/s2.csv"
csv_to "$TMP/sheets.gpkg" "$TMP/s1.csv" -nln to_1 -a_srs EPSG:5897 -nlt POLYGON
csv_to "$TMP/sheets.gpkg" "$TMP/s2.csv" -nln to_2 -a_srs EPSG:5897 -nlt POLYGON
run "$CCN" import "$ws" "$TMP/sheets.gpkg" --as parcels
expect_rc 0
expect_out "layer 'to_1' (VN-2000 / TM-3 zone 482) -> parcels: 1 read, 1 stored, 0 refused"
expect_err "sheets.gpkg: only layer 'to_1' was read; the file's other layers with polygons were not (layer: features): 'to_2': 2; import each with --layer NAME"
run "$CCN" import "$ws" "$TMP/sheets.gpkg" --as parcels --layer to_2
expect_rc 0
expect_out "parcels: 2 read, 2 stored, 0 refused"
expect_eq "$err" "" "(a layer named: nothing left out)"
expect_eq "$(sql "$ws" "SELECT group_concat(sheet || '/' || parcel_no, ' ') FROM parcels")" "1/1 2/1 2/2"
# A KML's folders, in Vietnamese.
{
    echo '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
    for z in 'SKN:105.6217' 'LUC:105.6237'; do
        x=${z#*:}
        echo "<Folder><name>${z%%:*}</name><Placemark><name>${z%%:*}</name><Polygon><outerBoundaryIs><LinearRing>"
        echo "<coordinates>$x,19.7386 $x,19.7396 ${x%?}9,19.7396 $x,19.7386</coordinates>"
        echo '</LinearRing></outerBoundaryIs></Polygon></Placemark></Folder>'
    done
    echo '</Document></kml>'
} >"$TMP/folders.kml"
p=$(new_ws kml)
LANGUAGE=vi run "$CCN" import "$p" "$TMP/folders.kml" --as plan --field landuse=Name
expect_rc 0
expect_err "folders.kml: chỉ đọc lớp 'SKN'; các lớp khác của tệp có vùng chưa được đọc (lớp: số đối tượng): 'LUC': 1; nhập từng lớp bằng --layer TÊN"
# markers: the other layers with points, not those with polygons
printf '%s\n' 'WKT,cluster,marker' '"POINT(564800 2183400)",NUA,M1' >"$TMP/m1.csv"
csv_to "$TMP/marks.gpkg" "$TMP/s1.csv" -nln ranh -a_srs EPSG:5897 -nlt POLYGON
csv_to "$TMP/marks.gpkg" "$TMP/m1.csv" -nln moc_a -a_srs EPSG:5897 -nlt POINT
csv_to "$TMP/marks.gpkg" "$TMP/m1.csv" -nln moc_b -a_srs EPSG:5897 -nlt POINT
run "$CCN" import "$p" "$TMP/marks.gpkg" --as markers
expect_rc 0
expect_err "marks.gpkg: only layer 'moc_a' was read; the file's other layers with points were not (layer: features): 'moc_b': 1; import each with --layer NAME"

# --- A layer whose CRS is an engineering one ----------------------------------------
# A GeoPackage's "Undefined Cartesian SRS" (srs_id -1, as written for a layer
# given no CRS) was refused with 120 bytes of its WKT, naming neither the file
# nor --s-srs: "'ENGCRS["Undefined Cartesian SRS",EDATUM[""],CS[Cartesian,2],…'
# is not a coordinate reference system".
csv_to "$TMP/local.gpkg" "$TMP/s1.csv" -nln parcels -a_srs EPSG:5897 -nlt POLYGON
sqlite3 "$TMP/local.gpkg" "UPDATE gpkg_geometry_columns SET srs_id = -1; UPDATE gpkg_contents SET srs_id = -1"
p=$(new_ws local)
run "$CCN" import "$p" "$TMP/local.gpkg" --as parcels
expect_rc 2
expect_err "local.gpkg: 'Undefined Cartesian SRS' is not a coordinate reference system: say which CRS the layer's coordinates are in with --s-srs (e.g. --s-srs EPSG:5897 for VN-2000 / TM-3 105°)"
LANGUAGE=vi run "$CCN" import "$p" "$TMP/local.gpkg" --as parcels
expect_err "local.gpkg: 'Undefined Cartesian SRS' không phải là hệ tọa độ: hãy chỉ rõ tọa độ của lớp theo hệ tọa độ nào bằng --s-srs"
expect_eq "$(sql "$p" "SELECT count(*) FROM parcels")" 0
run "$CCN" import "$p" "$TMP/local.gpkg" --as parcels --s-srs EPSG:5897
expect_rc 0
expect_out "parcels: 1 read, 1 stored, 0 refused"
# 20 x 20 / 2, in the workspace's CRS as given
expect_eq "$(sql "$p" "SELECT Area(geom) FROM parcels")" 200.0

# --- A DXF with a layout: its frame in paper space ---------------------------------
# A drawing's title block and frame sit on a layout (group code 67 = 1), in
# millimetres of the sheet: GDAL reads them with the model's entities. The
# frame (0,0)-(420,297) "landed outside Vietnam" and the whole file was
# refused, the file's CRS blamed ("is the file's CRS right? Name the right one
# with --s-srs"), --skip-bad no help. It is a refused feature now, named by
# its handle; the parcel of the model, 100 x 80 m, is stored.
{
    printf '0\nSECTION\n2\nENTITIES\n'
    printf '0\nLWPOLYLINE\n5\n1A\n8\nSKN\n90\n4\n70\n1\n'
    printf '10\n564800\n20\n2183400\n10\n564900\n20\n2183400\n10\n564900\n20\n2183480\n10\n564800\n20\n2183480\n'
    printf '0\nLWPOLYLINE\n5\n2B\n67\n1\n8\nKHUNG\n90\n4\n70\n1\n'
    printf '10\n0\n20\n0\n10\n420\n20\n0\n10\n420\n20\n297\n10\n0\n20\n297\n'
    printf '0\nENDSEC\n0\nEOF\n'
} >"$TMP/layout.dxf"
p=$(new_ws layout)
run "$CCN" import "$p" "$TMP/layout.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_rc 2
expect_err "layout.dxf: 1 of 2 features refused: feature 1 (handle 2B): drawn in paper space (on a layout's sheet, not in the drawing's coordinates); nothing imported"
LANGUAGE=vi run "$CCN" import "$p" "$TMP/layout.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer --skip-bad
expect_rc 0
expect_err "đối tượng 1 (handle 2B): vẽ trong không gian giấy (trên tờ bố cục, không theo tọa độ của bản vẽ)"
expect_eq "$(sql "$p" "SELECT group_concat(landuse || ':' || Area(geom)) FROM plan")" "SKN:8000.0"

# --- More than five refusals under --skip-bad -----------------------------------------
# The first five are named; the rest were left out without a word (only the
# summary's count said there were more). 7 labels (points) beside a parcel.
{
    echo 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua'
    echo '"POLYGON((564800 2183400,564820 2183400,564820 2183420,564800 2183400))",15916,3,1'
    for i in 2 3 4 5 6 7 8; do echo "\"POINT(5648${i}0 2183410)\",15916,3,$i"; done
} >"$TMP/labels.csv"
p=$(new_ws labels)
run "$CCN" import "$p" "$TMP/labels.csv" --as parcels --s-srs EPSG:5897 --skip-bad
expect_rc 0
expect_out "parcels: 8 read, 1 stored, 7 refused"
expect_err "refused feature 5: a point where a polygon is needed"
expect_err "labels.csv: and 2 more refusals, not listed (the first 5 are)"
p=$(new_ws labels_vi)
LANGUAGE=vi run "$CCN" import "$p" "$TMP/labels.csv" --as parcels --s-srs EPSG:5897 --skip-bad
expect_err "labels.csv: và 2 lần từ chối nữa, không liệt kê (chỉ liệt kê 5 lần đầu)"

# --- A GeoJSON property given twice ------------------------------------------------------
# {"landuse": "SKN", "landuse": "LUC"}: GDAL keeps the last without a word,
# and the zone was stored as LUC (rc 0); a plan code followed by null was no
# code. Which is meant is not known: refused, both values said. The same value
# twice is that value.
gj() { # gj PROPERTIES...: a FeatureCollection of 20 x 20 / 2 triangles, one per argument
    local i=0 props
    printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}},"features":['
    for props in "$@"; do
        [ $i -gt 0 ] && printf ','
        printf '{"type":"Feature","properties":{%s},"geometry":{"type":"Polygon","coordinates":[[[%d,2183400],[%d,2183400],[%d,2183420],[%d,2183400]]]}}' \
            "$props" $((564800 + 30 * i)) $((564820 + 30 * i)) $((564820 + 30 * i)) $((564800 + 30 * i))
        i=$((i + 1))
    done
    printf ']}\n'
}
gj '"landuse": "SKN", "landuse": "LUC"' '"landuse": "SKN", "landuse": null' \
    '"landuse": "SKC", "landuse": "SKC"' '"landuse": "ONT"' >"$TMP/twice.geojson"
p=$(new_ws twice)
run "$CCN" import "$p" "$TMP/twice.geojson" --as plan
expect_rc 2
expect_err "feature 0: field 'landuse' is given twice, with different values (\"SKN\", \"LUC\"): which is meant is not known; feature 1: field 'landuse' is given twice, with different values (\"SKN\", null): which is meant is not known; nothing imported"
expect_eq "$(sql "$p" "SELECT count(*) FROM plan")" 0
LANGUAGE=vi run "$CCN" import "$p" "$TMP/twice.geojson" --as plan --skip-bad
expect_rc 0
expect_err "đối tượng 0: trường 'landuse' được ghi hai lần, mỗi lần một giá trị khác (\"SKN\", \"LUC\"): không biết giá trị nào là đúng"
expect_eq "$(sql "$p" "SELECT group_concat(landuse || ':' || Area(geom), ' ') FROM plan")" "SKC:200.0 ONT:200.0"

# --- A marker table with a column given twice ---------------------------------------------
# GDAL keeps both X columns; the first was read and the other's values
# (an easting where a northing belongs, a survey's correction) dropped without
# a word, as the lease register's were before (cli_import_robust).
printf '%s\n' 'cluster,marker,X,Y,X' 'TN,M1,2198600,552000,2198650' 'TN,M2,2198600,552100,2198650' \
    'TN,M3,2198700,552100,2198750' >"$TMP/twice_x.csv"
p=$(new_ws twice_x)
run "$CCN" import "$p" "$TMP/twice_x.csv" --as markers --s-srs EPSG:5897
expect_rc 2
expect_err "twice_x.csv: the layer has two fields named 'X' (columns 3 and 5): which one is meant is not known (rename or remove one)"
expect_eq "$(sql "$p" "SELECT count(*) FROM markers")" 0
LANGUAGE=vi run "$CCN" import "$p" "$TMP/twice_x.csv" --as clusters --s-srs EPSG:5897
expect_rc 2
expect_err "twice_x.csv: lớp có hai trường cùng tên 'X' (cột 3 và 5)"
expect_eq "$(sql "$p" "SELECT count(*) FROM clusters WHERE geom IS NOT NULL")" 0

finish
