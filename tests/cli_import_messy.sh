#!/usr/bin/env bash
# ccn on the messy files surveyors send and the odd states a workspace ends up
# in (an audit, session 11): each case once failed wrongly, silently or with a
# message that named the wrong problem. Fixtures are made here, small, with
# ogr2ogr, sqlite3 and printf; areas worked out by hand from the coordinates.
source "$(dirname "$0")/lib.sh"
skip_on_pg "file permissions, a workspace's folder, GeoPackage and DXF bytes"
ws=$(new_ws)
digest() { sqlite3 "$1" .dump | sha256sum; }
csv_to() { # csv_to OUT.gpkg|OUT.shp CSV [ogr2ogr options]: WKT rows in EPSG:5897
    local out=$1 in=$2
    shift 2
    ogr2ogr "$out" "$in" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:5897 "$@"
}

# --- A MULTISURFACE whose CURVEPOLYGON has straight edges only ------------------
# (as QGIS and FME write curved layers): GDAL does not count it as "curved", so
# it reached GEOS as ISO WKB type 12, "unreadable geometry". A 20 x 20 square
# and a 10 x 10 one = 500 m²; a lone linear CURVEPOLYGON, a right triangle of
# legs 20, = 200 m².
printf '%s\n' 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua' \
    '"MULTISURFACE(CURVEPOLYGON((564800 2183400,564820 2183400,564820 2183420,564800 2183420,564800 2183400)),((564830 2183400,564840 2183400,564840 2183410,564830 2183410,564830 2183400)))",15916,1,1' \
    '"CURVEPOLYGON((564850 2183400,564870 2183400,564870 2183420,564850 2183400))",15916,1,2' >"$TMP/ms.csv"
csv_to "$TMP/ms.gpkg" "$TMP/ms.csv" -nln parcels -nlt GEOMETRY
run "$CCN" import "$ws" "$TMP/ms.gpkg" --as parcels
expect_rc 0
expect_out "2 read, 2 stored, 0 refused"
expect_eq "$(sql "$ws" "SELECT group_concat(parcel_no || ':' || NumGeometries(geom) || ':' || printf('%.3f', Area(geom)), ' ') FROM parcels")" \
    "1:2:500.000 2:1:200.000"

# --- NaN and infinity in lines closed into polygons and in points -----------------
# (GDAL's GeoJSON reader takes them): a closed line with a NaN was stored as a
# polygon with a NaN vertex, one with infinity refused the whole file as
# "outside Vietnam"; so did a marker at infinity. A parcel number 6.5 is a
# number, but not a whole one.
{
    echo '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}},"features":['
    echo '{"type":"Feature","properties":{"landuse":"SKN"},"geometry":{"type":"LineString","coordinates":[[564800,2183400],[NaN,2183400],[564820,2183420],[564800,2183400]]}},'
    echo '{"type":"Feature","properties":{"landuse":"SKN"},"geometry":{"type":"MultiLineString","coordinates":[[[564800,2183400],[564820,2183400],[564820,Infinity],[564800,2183400]]]}},'
    echo '{"type":"Feature","properties":{"landuse":"SKN"},"geometry":{"type":"LineString","coordinates":[[564800,2183400],[564820,2183400],[564820,2183420],[564800,2183400]]}}]}'
} >"$TMP/nan_lines.geojson"
run "$CCN" import "$ws" "$TMP/nan_lines.geojson" --as plan
expect_rc 2
expect_err "nan_lines.geojson: 2 of 3 features refused: feature 0: line 1, point 2 has a coordinate that is not a finite number (nan 2183400); feature 1: line 1, point 3 has a coordinate that is not a finite number (564820 inf); nothing imported"
sed -e 's/"landuse":"SKN"/"cluster":"NUA","marker":"M1"/; s/"type":"LineString","coordinates":\[\[564800,2183400\],\[NaN,2183400\].*\]\]}},/"type":"Point","coordinates":[NaN,2183400]}},/' \
    -e 's/"type":"MultiLineString".*\]\]\]}},/"type":"Point","coordinates":[564800,Infinity]}},/' \
    -e 's/"type":"LineString","coordinates":\[\[564800,2183400\],\[564820,2183400\],\[564820,2183420\],\[564800,2183400\]\]/"type":"Point","coordinates":[564800,2183400]/' \
    "$TMP/nan_lines.geojson" >"$TMP/nan_points.geojson"
run "$CCN" import "$ws" "$TMP/nan_points.geojson" --as markers
expect_rc 2
expect_err "nan_points.geojson: 2 of 3 features refused: feature 0: point 1 has a coordinate that is not a finite number (nan 2183400); feature 1: point 1 has a coordinate that is not a finite number (564800 inf)"
printf '%s\n' 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua' \
    '"POLYGON((564800 2183900,564820 2183900,564820 2183920,564800 2183900))",15916,1,6.5' >"$TMP/half.csv"
run "$CCN" import "$ws" "$TMP/half.csv" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "feature 1: sheet '1' / parcel '6.5' is not a whole number"

# --- A GeoPackage blob GDAL cannot decode is not "no geometry" --------------------
printf '%s\n' 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua' \
    '"POLYGON((564800 2183500,564820 2183500,564820 2183520,564800 2183520,564800 2183500))",15916,2,1' \
    '"POLYGON((564820 2183500,564840 2183500,564840 2183520,564820 2183520,564820 2183500))",15916,2,2' >"$TMP/blob.csv"
csv_to "$TMP/blob.gpkg" "$TMP/blob.csv" -nln parcels
for t in $(sqlite3 "$TMP/blob.gpkg" "SELECT name FROM sqlite_master WHERE type = 'trigger'"); do
    sqlite3 "$TMP/blob.gpkg" "DROP TRIGGER \"$t\""
done
sqlite3 "$TMP/blob.gpkg" "UPDATE parcels SET geom = X'4750000100000000DEADBEEF' WHERE fid = 1"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/blob.gpkg" --as parcels
expect_rc 2
expect_err "blob.gpkg: 1 of 2 features refused: feature 1: unreadable geometry ("
! grep -q "no geometry" <<<"$err" && ok || bad "a corrupt blob was called no geometry"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"

# --- DXF text in TCVN3 (AutoCAD writes ANSI_1252 whatever the font) --------------
# The layer name "Đất ở" in TCVN3 bytes (iconv -t TCVN5712-1: A7 CA 74 20 EB).
# GDAL decodes it as Latin-1 ("§Êt ë"): stored so, silently, without
# --encoding, and garbled again ("ẨĐẨÊT ẨË") with --encoding TCVN3.
dxf() { # dxf LAYER-BYTES X0: a closed 20 x 20 LWPOLYLINE on that layer
    printf '0\nSECTION\n2\nHEADER\n9\n$DWGCODEPAGE\n3\nANSI_1252\n0\nENDSEC\n0\nSECTION\n2\nENTITIES\n'
    printf '0\nLWPOLYLINE\n8\n%b\n90\n4\n70\n1\n' "$1"
    printf '10\n%s\n20\n2183600\n10\n%s\n20\n2183600\n10\n%s\n20\n2183620\n10\n%s\n20\n2183620\n' \
        "$2" "$(($2 + 20))" "$(($2 + 20))" "$2"
    printf '0\nENDSEC\n0\nEOF\n'
}
dxf '\xa7\xcat \xeb' 564800 >"$TMP/tcvn.dxf"
for enc in "" "--encoding TCVN3" "--encoding auto"; do
    p=$(new_ws "dxf${enc// /}")
    # shellcheck disable=SC2086 # no option, or the option and its value
    run "$CCN" import "$p" "$TMP/tcvn.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer $enc
    expect_rc 0
    expect_eq "$(sql "$p" "SELECT landuse FROM plan")" "ĐẤT Ở" "(${enc:-no --encoding})"
done
# Western text in a DXF ("Müller 45°": no encoding reads it as Vietnamese) is
# kept as GDAL reads it, not refused as undecidable.
dxf 'M\xfcller 45\xb0' 564900 >"$TMP/latin.dxf"
p=$(new_ws dxflatin)
run "$CCN" import "$p" "$TMP/latin.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_rc 0
expect_eq "$(sql "$p" "SELECT landuse FROM plan")" "MÜLLER 45°"

# --- A shapefile whose .cpg says 1252 over TCVN3 text ----------------------------
# (ArcMap under a Western locale): read as 1252 it was stored as "NguyÔn V¨n §øc".
printf 'WKT,MAXA,SHBANDO,SHTHUA,TENCHU\n"POLYGON((564800 2183700,564820 2183700,564820 2183720,564800 2183720,564800 2183700))",15916,3,1,Nguy\xd4n V\xa8n \xa7\xf8c\n' >"$TMP/tcvn.csv"
csv_to "$TMP/tcvn1252.shp" "$TMP/tcvn.csv" -lco ENCODING=
echo 1252 >"$TMP/tcvn1252.cpg"
before=$(digest "$ws")
run "$CCN" import "$ws" "$TMP/tcvn1252.shp" --as parcels
expect_rc 2
expect_err "tcvn1252.shp: feature 0, field 'TENCHU': read as its .cpg says (1252) the text reads 'NguyÔn V¨n §øc', not Vietnamese"
expect_err "it reads as TCVN3: 'Nguyễn Văn Đức'. Pass --encoding TCVN3"
expect_eq "$(digest "$ws")" "$before" "(a refused import changed the workspace)"
run "$CCN" import "$ws" "$TMP/tcvn1252.shp" --as parcels --encoding TCVN3
expect_rc 0
expect_eq "$(sql "$ws" "SELECT owner FROM parcels WHERE sheet = 3")" "Nguyễn Văn Đức"
# Western text under a 1252 .cpg is what it says it is.
printf 'WKT,MAXA,SHBANDO,SHTHUA,TENCHU\n"POLYGON((564800 2183800,564820 2183800,564820 2183820,564800 2183820,564800 2183800))",15916,4,1,M\xfcller Stra\xdfe\n' >"$TMP/w.csv"
csv_to "$TMP/w1252.shp" "$TMP/w.csv" -lco ENCODING=
echo 1252 >"$TMP/w1252.cpg"
run "$CCN" import "$ws" "$TMP/w1252.shp" --as parcels
expect_rc 0
expect_eq "$(sql "$ws" "SELECT owner FROM parcels WHERE sheet = 4")" "Müller Straße"

# --- Files and folders another user may not read or write ----------------------
as_other=()
[ "$(id -u)" = 0 ] && as_other=(setpriv --reuid=65534 --regid=65534 --clear-groups)
chmod 755 "$TMP"
mkdir -p "$TMP/shared"
cp "$ws" "$TMP/shared/ws.sqlite"
cp "$TMP/ms.gpkg" "$TMP/shared/locked.gpkg"
chmod 666 "$TMP/shared/ws.sqlite"
chmod 000 "$TMP/shared/locked.gpkg"
chmod 777 "$TMP/shared"
# A file ccn may not read: said so, not "not a recognised vector file".
run "${as_other[@]}" "$CCN" import "$TMP/shared/ws.sqlite" "$TMP/shared/locked.gpkg" --as parcels
expect_rc 2
expect_err "locked.gpkg: cannot read: Permission denied"
# A workspace ccn may write in a folder it may not (no -wal, -shm can be made):
# read as it is, a write refused as read-only; it was "not a ccn workspace".
chmod 555 "$TMP/shared"
run "${as_other[@]}" "$CCN" lease "$TMP/shared/ws.sqlite" list
expect_rc 0
expect_out "id,cluster,lot_no,tenant"
run "${as_other[@]}" "$CCN" import "$TMP/shared/ws.sqlite" "$TMP/blob.gpkg" --as parcels
expect_rc 2
expect_err "is read-only"
chmod 755 "$TMP/shared"
# A workspace SQLite cannot open (its -wal a folder here; a full disk, where
# the -shm cannot grow, ends the same way) is named with SQLite's reason, not
# "not a ccn workspace".
mkdir "$TMP/shared/ws.sqlite-wal"
run "$CCN" areas "$TMP/shared/ws.sqlite"
expect_rc 2
expect_err "cannot open workspace '$TMP/shared/ws.sqlite': "
! grep -q "not a ccn workspace" <<<"$err" && ok || bad "an unreadable workspace was called not a ccn workspace"
rmdir "$TMP/shared/ws.sqlite-wal"

# --- A workspace another tool wrote: a collection, a point, a line ---------------
raw=$(new_ws raw)
"$CCN" import "$raw" "$TMP/ms.gpkg" --as parcels -q >/dev/null || exit 3
sql "$raw" "DROP TRIGGER ggi_parcels_geom;
  INSERT INTO parcels (commune, sheet, parcel_no, geom) VALUES
  ('15916', 9, 1, GeomFromText('GEOMETRYCOLLECTION(POLYGON((564900 2183400,564920 2183400,564920 2183420,564900 2183400)),LINESTRING(564900 2183400,564950 2183450))', 5897)),
  ('15916', 9, 2, GeomFromText('POINT(564960 2183400)', 5897)),
  ('15916', 9, 3, GeomFromText('LINESTRING(564970 2183400,564990 2183420)', 5897));" >/dev/null
# check names each (its type in both languages: the names were GEOS's, and
# leaked; LeakSanitizer's exit code is set apart from check's 1).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86" run "$CCN" check "$raw" --format csv --only validity --wide
expect_rc 1
expect_eq "$(grep -c NOT_POLYGON <<<"$out")" 3
expect_out "parcel 15916/9/1 is a GeometryCollection, not a polygon (its polygons are checked)"
expect_out "Không phải đối tượng vùng (là điểm): thửa đất 15916/9/2"
expect_out "parcel 15916/9/3 is a LineString, not a polygon"
# GeoJSON export: every parcel written, the three that are not polygons with a
# null geometry and their properties, each named (tests/cli_export_bad.sh).
run "$CCN" export "$raw" "$TMP/raw.geojson" --layer parcels
expect_rc 0
expect_out "5 features"
expect_out ", 3 written with a null geometry"
expect_err "parcels fid 3 is a GeometryCollection, not a polygon: written with a null geometry"
expect_err "parcels fid 4 is a Point, not a polygon: written with a null geometry"
expect_err "parcels fid 5 is a LineString, not a polygon: written with a null geometry"
expect_eq "$(python3 -c 'import json, sys
print(" ".join(str(f["id"]) for f in json.load(open(sys.argv[1]))["features"]
               if f["geometry"] is None and f["properties"]["commune"] == "15916"))' "$TMP/raw.geojson")" \
    "3 4 5" "parcels written with a null geometry"
# A cluster boundary that is a collection (a 100 x 100 m square and a line):
# its polygons are the boundary. The overlay read the line's "rings" and
# failed, exit 3 "cluster NUA: out of memory"; areas called it "invalid
# (Valid Geometry)". The plan zone SKN covers its west half: 5000 m², 50 %.
sql "$raw" "DROP TRIGGER ggu_clusters_geom; UPDATE clusters SET geom = GeomFromText(
  'GEOMETRYCOLLECTION(POLYGON((565000 2184000,565100 2184000,565100 2184100,565000 2184100,565000 2184000)),LINESTRING(565000 2184000,565200 2184200))', 5897)
  WHERE code = 'NUA';" >/dev/null
printf '%s\n' 'WKT,landuse' '"POLYGON((565000 2184000,565050 2184000,565050 2184100,565000 2184100,565000 2184000))",SKN' >"$TMP/plan.csv"
"$CCN" import "$raw" "$TMP/plan.csv" --as plan --s-srs EPSG:5897 -q >/dev/null || exit 3
run "$CCN" overlay "$raw" --cluster NUA --format csv
expect_rc 0
expect_out "NUA,SKN,5000.000,50.0000"
expect_out "NUA,,5000.000,50.0000"
expect_err "cluster NUA: boundary holds points or lines besides its polygons (written by another tool?): only its polygons are used"
run "$CCN" areas "$raw" --format csv
expect_rc 0
expect_out "NUA,Nưa,new,20.00,10000.000,1.0000,"
expect_err "the boundary of cluster NUA is a GeometryCollection, not a polygon: measured by its polygons"
finish
