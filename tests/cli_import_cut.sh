#!/usr/bin/env bash
# ccn import on files cut short or past what GDAL reads (a hunt, session 19):
# each refusal named the wrong problem on the build before its fix. Fixtures
# are made here with printf and awk.
source "$(dirname "$0")/lib.sh"
skip_on_pg "reading files (the back end plays no part)"
ws=$(new_ws)

# --- A file of 0 bytes (a transfer or a disk that cut it to nothing) ---------------------
# An empty CSV was "cannot open: driver CSV does not support open option
# NATIVE_DATA" (a warning GDAL gave on the way), a KML "ERROR parsing kml
# z.kml :", the others "not a recognised vector file".
for f in z.csv z.kml z.gpkg z.geojson; do
    : >"$TMP/$f"
    run "$CCN" import "$ws" "$TMP/$f" --as parcels --s-srs EPSG:5897
    expect_rc 2
    expect_eq "$err" "ccn: import: $TMP/$f: cannot open: the file is empty (0 bytes)"
done
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/z.csv" --as parcels --s-srs EPSG:5897
expect_err "z.csv: không mở được: tệp rỗng (0 byte)"

# --- A CSV line longer than GDAL reads (10 MB: a WKT of 500,000 vertices) ---------------
# GDAL counted the features it got to before the long line: none, and the
# whole file was refused as "layer 'big' is empty: nothing to import",
# GDAL's own "ERROR 1: Maximum number of characters allowed reached."
# printed beside it. A long line after others was "read error: …", not
# saying where.
# GDAL's limit is OGR_CSV_MAX_LINE_SIZE, 10 MB unless set: set to 100 kB here,
# the same refusal from a line of 500 kB (under AddressSanitizer GDAL took
# over a minute of system time growing its buffer to 10 MB).
export OGR_CSV_MAX_LINE_SIZE=100000
big_line() { # big_line PARCEL: a parcel of 20,000 vertices on one CSV line
    awk -v p="$1" 'BEGIN {
        printf "\"POLYGON((564800 2183400"
        for (i = 1; i < 20000; i++) printf ",%.4f %.4f", 564800 + i * 0.0002, 2183400 + (i % 2) * 0.001
        printf ",564800 2183400))\",15916,1,%d\n", p }'
}
small_line() { printf '"POLYGON((564700 2183400,564750 2183400,564750 2183480,564700 2183400))",15916,1,%s\n' "$1"; }
{ echo 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua'; big_line 1; } >"$TMP/big.csv"
run "$CCN" import "$ws" "$TMP/big.csv" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_eq "$err" "ccn: import: $TMP/big.csv: read error at the first feature: Maximum number of characters allowed reached."
{ echo 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua'; small_line 2; big_line 3; small_line 4; } >"$TMP/mixed.csv"
run "$CCN" import "$ws" "$TMP/mixed.csv" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_eq "$err" "ccn: import: $TMP/mixed.csv: read error after feature 1 (1 read): Maximum number of characters allowed reached."
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/mixed.csv" --as parcels --s-srs EPSG:5897
expect_err "mixed.csv: lỗi đọc sau đối tượng 1 (đã đọc 1): Maximum number of characters allowed reached."
expect_eq "$(sql "$ws" "SELECT count(*) FROM parcels") $(sql "$ws" "SELECT count(*) FROM imports")" "0 0" \
    "(nothing stored, no import recorded)"
unset OGR_CSV_MAX_LINE_SIZE

# --- A shapefile sent without its .dbf ------------------------------------------------------
# GDAL reads the shapes with no fields: the refusal was "no field for
# 'commune' (tried commune…; the layer has: no fields)", the missing file
# unnamed. (Communes need no field: imported as before.)
mkdir -p "$TMP/nodbf"
printf '%s\n' 'WKT,MAXA,SHBANDO,SHTHUA' "$(small_line 1)" >"$TMP/nd.csv"
ogr2ogr "$TMP/nodbf/p.shp" "$TMP/nd.csv" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO \
    -a_srs EPSG:5897 -nlt POLYGON
rm "$TMP/nodbf/p.dbf"
run "$CCN" import "$ws" "$TMP/nodbf/p.shp" --as parcels
expect_rc 2
expect_eq "$err" "ccn: import: $TMP/nodbf/p.shp: its .dbf is missing: the shapes have no attributes to import (send the .dbf with the .shp, .shx and .prj)"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/nodbf/p.shp" --as parcels
expect_err "p.shp: thiếu tệp .dbf"
run "$CCN" import "$ws" "$TMP/nodbf/p.shp" --as communes
expect_rc 0
expect_out "communes: 1 read, 1 stored, 0 refused"

# --- A file whose first polygon layer is empty --------------------------------------------
# (a template's layer, left empty before the surveyor's): without --layer it
# was taken and the file refused, "layer 'a_mau' is empty: nothing to
# import", the layer with the zone not named. An empty layer holds no
# polygons: the first that does is read, and the empty one is not "left
# unread" in the warning about the others.
printf '%s\n' 'WKT,landuse' \
    '"POLYGON((564800 2183400,564900 2183400,564900 2183480,564800 2183400))",SKN' >"$TMP/z1.csv"
printf '%s\n' 'WKT,landuse' \
    '"POLYGON((564900 2183400,565000 2183400,565000 2183480,564900 2183400))",LUC' >"$TMP/z2.csv"
for l in a_mau:z1 b_to1:z1 c_mau:z1 d_to2:z2; do
    where=()
    case $l in *_mau:*) where=(-where "1=0") ;; esac
    ogr2ogr -append "$TMP/sheets.gpkg" "$TMP/${l#*:}.csv" -oo GEOM_POSSIBLE_NAMES=WKT \
        -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:5897 -nlt POLYGON -nln "${l%:*}" "${where[@]}"
done
ws=$(new_ws template)
run "$CCN" import "$ws" "$TMP/sheets.gpkg" --as plan
expect_rc 0
expect_out "sheets.gpkg: layer 'b_to1' (VN-2000 / TM-3 zone 482) -> plan: 1 read, 1 stored, 0 refused"
expect_eq "$err" "ccn: import: warning: $TMP/sheets.gpkg: only layer 'b_to1' was read; the file's other layers with polygons were not (layer: features): 'd_to2': 1; import each with --layer NAME"
expect_eq "$(sql "$ws" "SELECT group_concat(landuse || ' ' || ST_Area(geom)) FROM plan")" "SKN 4000.0"
finish
