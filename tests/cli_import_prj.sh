#!/usr/bin/env bash
# The .prj files a land office receives with VN-2000 shapefiles (a hunt,
# session 19). Positions checked against cs2cs (PROJ) from the same .prj to
# EPSG:5897; every one here is what ogr2ogr -t_srs EPSG:5897 gives too.
source "$(dirname "$0")/lib.sh"
skip_on_pg "the file's CRS (the back end plays no part)"
printf '%s\n' 'WKT,landuse' \
    '"POLYGON((564800 2183400,564900 2183400,564900 2183480,564800 2183400))",SKN' >"$TMP/z.csv"
# with_prj NAME WKT: the zone as a shapefile whose .prj is WKT
with_prj() {
    mkdir -p "$TMP/$1"
    ogr2ogr "$TMP/$1/z.shp" "$TMP/z.csv" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO \
        -nlt POLYGON
    printf '%s\n' "$2" >"$TMP/$1/z.prj"
}
first_point() { sql "$1" "SELECT printf('%.4f %.4f', X(p), Y(p)) FROM (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1) AS p FROM plan)"; }
tm3='PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",105],PARAMETER["scale_factor",0.9999],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1]]'
reversed='TOWGS84[-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278]'

# --- ArcGIS's VN-2000 (no shift written, datum D_Vietnam_2000): VN-2000's own ------------
with_prj esri 'PROJCS["VN_2000_TM3_105",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
ws=$(new_ws esri)
run "$CCN" import "$ws" "$TMP/esri/z.shp" --as plan
expect_rc 0
expect_eq "$err" ""
expect_eq "$(first_point "$ws")" "564800.0000 2183400.0000"

# --- The reversed rotation signs under VN-2000's own datum name -------------------------
# PROJ takes DATUM["Vietnam_2000"] for EPSG's VN-2000 and uses no shift into
# EPSG:5897: the features stay where they are (cs2cs: 564800.0000
# 2183400.0000). The warning said they "move about 0.7 m" all the same, and
# that --s-srs EPSG:5897 would mend what had nothing to mend.
with_prj named "PROJCS[\"VN-2000 / TM-3 105\",GEOGCS[\"VN-2000\",DATUM[\"Vietnam_2000\",SPHEROID[\"WGS 84\",6378137,298.257223563],$reversed],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],$tm3"
ws=$(new_ws named)
run "$CCN" import "$ws" "$TMP/named/z.shp" --as plan
expect_rc 0
expect_eq "$err" "" "(nothing moved: nothing to say)"
expect_eq "$(first_point "$ws")" "564800.0000 2183400.0000"
# Under a datum PROJ does not know the shift is used, the point moves
# (cs2cs: 564799.3052 2183399.7733) and that is said, as before.
with_prj other "PROJCS[\"VN-2000 / TM-3 105\",GEOGCS[\"VN-2000\",DATUM[\"VN_2000_local\",SPHEROID[\"WGS 84\",6378137,298.257223563],$reversed],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],$tm3"
ws=$(new_ws other)
run "$CCN" import "$ws" "$TMP/other/z.shp" --as plan
expect_rc 0
expect_err "z.shp: its CRS carries the VN-2000 shift to WGS 84 with the rotation signs reversed (a widely copied PROJ string): taken as written, the features move about 0.7 m"
expect_eq "$(first_point "$ws")" "564799.3052 2183399.7733"

# --- A .prj GDAL cannot read ----------------------------------------------------------------
# (cut short, or not WKT at all): GDAL passes it over without a word, and the
# refusal said "the layer has no CRS" beside the .prj the user could see.
with_prj cut 'PROJCS["VN-2000 / TM-3 105",GEOGCS["VN-2000",DATUM["Vietnam_2000",SPHER'
ws=$(new_ws cut)
run "$CCN" import "$ws" "$TMP/cut/z.shp" --as plan
expect_rc 2
expect_eq "$err" "ccn: import: $TMP/cut/z.shp: its .prj is no CRS GDAL reads ('PROJCS[\"VN-2000 / TM-3 105\",GEOGCS[\"VN-2…'); say which CRS the layer is in with --s-srs (e.g. --s-srs EPSG:5897 for VN-2000 / TM-3 105°)"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/cut/z.shp" --as plan
expect_err "z.shp: tệp .prj không phải hệ tọa độ GDAL đọc được"
rm "$TMP/cut/z.prj" # none at all: as before
run "$CCN" import "$ws" "$TMP/cut/z.shp" --as plan
expect_err "z.shp: the layer has no CRS; say which with --s-srs"

# --- A GeoPackage's "Undefined geographic SRS" (srs_id 0) -------------------------------
# ogr2ogr writes it for a layer given no CRS (here from a CSV of GPS longitudes
# and latitudes). GDAL reads it as a CRS of an unknown datum on WGS 84's
# ellipsoid, which PROJ took into VN-2000 with no shift: the zone was stored
# at 565160.29 2183329.63, 224 m from where WGS 84 puts it, exit 0, nothing
# said. Its datum is not known: refused like a layer without a CRS.
printf '%s\n' 'WKT,landuse' \
    '"POLYGON((105.6217 19.7386,105.6237 19.7386,105.6237 19.7396,105.6217 19.7386))",SKN' \
    >"$TMP/gps.csv"
ogr2ogr "$TMP/gps.gpkg" "$TMP/gps.csv" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO \
    -nlt POLYGON
expect_eq "$(sqlite3 "$TMP/gps.gpkg" "SELECT srs_id FROM gpkg_geometry_columns")" "0"
ws=$(new_ws undefined)
run "$CCN" import "$ws" "$TMP/gps.gpkg" --as plan
expect_rc 2
expect_err "gps.gpkg: the layer's CRS is the GeoPackage's 'Undefined geographic SRS' (srs_id 0, written for a layer given none): its datum is not known; say which CRS with --s-srs"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/gps.gpkg" --as plan
expect_err "gps.gpkg: hệ tọa độ của lớp là 'Undefined geographic SRS' của GeoPackage"
expect_eq "$(sql "$ws" "SELECT count(*) FROM plan")" "0"
# named: where cs2cs EPSG:4326 EPSG:5897 puts 19.7386 N 105.6217 E
run "$CCN" import "$ws" "$TMP/gps.gpkg" --as plan --s-srs EPSG:4326
expect_rc 0
expect_eq "$(first_point "$ws")" "564964.1528 2183438.3707"
finish
