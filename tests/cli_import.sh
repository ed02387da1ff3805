#!/usr/bin/env bash
# ccn init / ccn import end to end: every format, the VN-2000 transformation,
# legacy encodings, marker tables, and every kind of bad input (exit 2, the
# workspace unchanged).
source "$(dirname "$0")/lib.sh"
D=$DATA/import

# A digest of everything an import may touch, to prove a failure changed nothing.
state() {
    sql "$1" "SELECT count(*) FROM clusters WHERE geom IS NOT NULL; SELECT count(*) FROM lots;
        SELECT count(*) FROM parcels; SELECT count(*) FROM plan; SELECT count(*) FROM communes;
        SELECT count(*) FROM markers; SELECT count(*) FROM imports;
        SELECT group_concat(code || ':' || hex(geom)) FROM clusters;
        SELECT group_concat(fid || hex(geom)) FROM parcels;" | md5sum
}

# --- init ------------------------------------------------------------------
ws=$(ws_path ws)
run "$CCN" init "$ws" --district "$ROOT/gis"
expect_rc 0
expect_out "6 clusters"
expect_eq "$err" "" "(init: nothing on stderr)"
expect_eq "$(sql "$ws" "SELECT round(planned_ha, 1) || '/' || round(expansion_ha, 1) FROM clusters WHERE code = 'DL3'")" "50.0/70.0"
expect_eq "$(sql "$ws" "SELECT count(*) FROM landuse_codes WHERE protected = 1")" "4"
run "$CCN" init "$ws" --district "$ROOT/gis"
expect_rc 2
expect_err "already exists"
run "$CCN" init "$(ws_path deg)" --crs EPSG:4326 --district "$ROOT/gis"
expect_rc 2
expect_err "projected"
! ws_exists "$(ws_path deg)" && ok || bad "a refused init left a workspace behind"
# ccn's own line alone: SpatiaLite printed "UNIQUE constraint failed:
# spatial_ref_sys.srid" before it (WGS 84 inserted twice), and "SRID=99999
# isn't defined in the EPSG inlined dataset" for a code it has no definition of.
expect_eq "$err" "ccn: init: EPSG:4326 is not a suitable projected CRS: the workspace CRS must be a projected CRS in metres (areas are never computed in degrees or in Web Mercator)"
run "$CCN" init "$(ws_path deg)" --crs EPSG:99999 --district "$ROOT/gis"
expect_rc 2
expect_eq "$err" "ccn: init: EPSG:99999 is unknown: the workspace CRS must be a projected CRS in metres (areas are never computed in degrees or in Web Mercator)"
! ws_exists "$(ws_path deg)" && ok || bad "a refused init left a workspace behind"
# Another projected CRS in metres: UTM 48N, VN-2000's neighbour (WGS 84).
run "$CCN" init "$(ws_path utm)" --crs EPSG:32648 --district "$ROOT/gis"
expect_rc 0
expect_eq "$err" "" "(init --crs EPSG:32648: nothing on stderr)"
expect_eq "$(sql "$(ws_path utm)" "SELECT value FROM ccn_meta WHERE key = 'srid'")" 32648
# The district's own default CRS (gis/district.csv, key crs; design §2), --crs before it.
# (The old build ignored the key: every init without --crs made EPSG:5897.)
cp -r "$ROOT/gis" "$TMP/gis_utm"
sed -i 's/^crs,.*/crs,EPSG:32648/' "$TMP/gis_utm/district.csv"
run "$CCN" init "$(ws_path dutm)" --district "$TMP/gis_utm"
expect_rc 0
expect_eq "$(sql "$(ws_path dutm)" "SELECT value FROM ccn_meta WHERE key = 'srid'")" 32648
run "$CCN" init "$(ws_path dvn)" --district "$TMP/gis_utm" --crs EPSG:5897
expect_rc 0
expect_eq "$(sql "$(ws_path dvn)" "SELECT value FROM ccn_meta WHERE key = 'srid'")" 5897
expect_eq "$(grep -c '^crs,EPSG:5897$' "$ROOT/gis/district.csv")" 1 "(the bundled district says its CRS)"
run "$CCN" init "$(ws_path nodistrict)" --district "$TMP/none"
expect_rc 2
expect_err "clusters.csv"
! ws_exists "$(ws_path nodistrict)" && ok || bad "a failed init left a workspace behind"
run ogrinfo -ro -q "$(ogr_ws "$ws")"
for layer in clusters lots parcels plan communes markers findings; do expect_out "$layer"; done
run ogrinfo -ro -so "$(ogr_ws "$ws")" parcels
expect_out "VN-2000 / TM-3 zone 482"

# --- GeoJSON in WGS 84: the EPSG VN-2000 shift ----------------------------------
# cs2cs EPSG:4326 EPSG:5897 of 19.7380 N 105.6200 E gives 564786.2141 2183371.3018
# and of 19.7420 N 105.6240 E gives 565203.8372 2183815.6176 (run by hand, PROJ 9.1.1).
run "$CCN" import "$ws" "$D/nua_wgs84.geojson" --as clusters
expect_rc 0
expect_out "1 read, 1 stored, 0 refused"
expect_near "$(sql "$ws" "SELECT X(PointN(ExteriorRing(GeometryN(geom,1)),1)) FROM clusters WHERE code='NUA'")" 564786.2141 0.001
expect_near "$(sql "$ws" "SELECT Y(PointN(ExteriorRing(GeometryN(geom,1)),1)) FROM clusters WHERE code='NUA'")" 2183371.3018 0.001
expect_near "$(sql "$ws" "SELECT X(PointN(ExteriorRing(GeometryN(geom,1)),3)) FROM clusters WHERE code='NUA'")" 565203.8372 0.001
expect_near "$(sql "$ws" "SELECT Y(PointN(ExteriorRing(GeometryN(geom,1)),3)) FROM clusters WHERE code='NUA'")" 2183815.6176 0.001
expect_eq "$(sql "$ws" "SELECT role || ',' || features_read || ',' || features_stored || ',' || features_refused || ',' || length(sha256) FROM imports")" "clusters,1,1,0,64"
expect_eq "$(sql "$ws" "SELECT sha256 FROM imports")" "$(sha256sum "$D/nua_wgs84.geojson" | cut -d' ' -f1)"

# A boundary already imported is not overwritten without --replace.
before=$(state "$ws")
run "$CCN" import "$ws" "$D/nua_wgs84.geojson" --as clusters --again
expect_rc 2
expect_err "already has a boundary"
expect_eq "$(state "$ws")" "$before" "(workspace changed by a refused import)"
run "$CCN" import "$ws" "$D/nua_wgs84.geojson" --as clusters --replace --again
expect_rc 0

# A boundary named only, the way a surveyor's file may name it: matched to DL3
# through its name without diacritics, generic words or punctuation.
sed -e 's/"code": "NUA", "name": "Cụm công nghiệp Nưa"/"ten": "CCN liên xã Dân Lực - Dân Lý - Dân Quyền"/' \
    "$D/nua_wgs84.geojson" >"$TMP/dl3_by_name.geojson"
run "$CCN" import "$ws" "$TMP/dl3_by_name.geojson" --as clusters
expect_rc 0
expect_eq "$(sql "$ws" "SELECT group_concat(code) FROM (SELECT code FROM clusters WHERE geom IS NOT NULL ORDER BY fid) AS t")" "DL3,NUA"
sed -e 's/"code": "NUA", "name": "Cụm công nghiệp Nưa"/"ten": "Cụm công nghiệp Xuân Lộc"/' \
    "$D/nua_wgs84.geojson" >"$TMP/unknown.geojson"
run "$CCN" import "$ws" "$TMP/unknown.geojson" --as clusters
expect_rc 2
expect_err "cluster 'Cụm công nghiệp Xuân Lộc' is not in the registry"
sql "$ws" "UPDATE clusters SET geom = NULL WHERE code = 'DL3'; DELETE FROM imports WHERE file LIKE '%dl3_by_name%'" >/dev/null

# --- DXF: a closed LWPOLYLINE becomes a polygon; 800 m x 625 m = 500000 m2 ------
before=$(state "$ws")
run "$CCN" import "$ws" "$D/tho_ngoc.dxf" --as clusters
expect_rc 2
expect_err "has no CRS"
expect_err "--s-srs"
expect_eq "$(state "$ws")" "$before"
run "$CCN" import "$ws" "$D/tho_ngoc.dxf" --as clusters --s-srs EPSG:5897
expect_rc 0
expect_eq "$(sql "$ws" "SELECT round(ST_Area(geom), 1) FROM clusters WHERE code='TN'")" "500000.0"
expect_eq "$(sql "$ws" "SELECT GeometryType(geom) FROM clusters WHERE code='TN'")" "MULTIPOLYGON"

# --- A boundary in two features (two sheets): joined into one valid boundary ---
# DT as 300 m and 400 m wide halves, 500 m high, sharing an edge: 700 x 500 =
# 350000 m2; then NUA as halves 0-400 and 300-700 m overlapping by 100 x 500 =
# 50000 m2: the union is again 350000 m2, not the parts' 400000.
halves() { # CODE X1 X2 X3 X4: parts [X1,X2] and [X3,X4] x [0,500] m from E 565000, N 2185000
    local b='{"type": "Feature", "properties": {"code": "%s"}, "geometry": {"type": "Polygon", "coordinates": [[[%d, 2185000], [%d, 2185000], [%d, 2185500], [%d, 2185500], [%d, 2185000]]]}}'
    printf '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}}, "features": [%s, %s]}' \
        "$(printf "$b" "$1" $((565000 + $2)) $((565000 + $3)) $((565000 + $3)) $((565000 + $2)) $((565000 + $2)))" \
        "$(printf "$b" "$1" $((565000 + $4)) $((565000 + $5)) $((565000 + $5)) $((565000 + $4)) $((565000 + $4)))"
}
halves DT 0 300 300 700 >"$TMP/dt_halves.geojson"
run "$CCN" import "$ws" "$TMP/dt_halves.geojson" --as clusters
expect_rc 0
expect_out "2 read, 2 stored, 0 refused"
expect_err "cluster DT: 2 features joined into one boundary"
expect_eq "$(sql "$ws" "SELECT round(ST_Area(geom), 1), ST_IsValid(geom) FROM clusters WHERE code='DT'")" "350000.0|1"
halves NUA 0 400 300 700 >"$TMP/nua_overlapping.geojson"
run "$CCN" import "$ws" "$TMP/nua_overlapping.geojson" --as clusters --replace
expect_rc 0
expect_out "2 read, 2 stored, 0 refused, 1 replaced"
expect_err "cluster NUA: its 2 features overlap by 50000.000 m², counted once"
expect_eq "$(sql "$ws" "SELECT round(ST_Area(geom), 1), ST_IsValid(geom) FROM clusters WHERE code='NUA'")" "350000.0|1"

# The same file whose CRS names the neighbouring zone (TM-3 105°30', VN-2000's
# datum): stored some 50 km east, inside Vietnam and near the meridian, so
# only the distance to what the workspace holds tells; read with --s-srs
# EPSG:5897 it lies among them, and nothing is said.
ogr2ogr -f GPKG "$TMP/nua_zone.gpkg" "$TMP/nua_overlapping.geojson" -a_srs "+proj=tmerc +lat_0=0 +lon_0=105.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278 +units=m +no_defs"
run "$CCN" import "$ws" "$TMP/nua_zone.gpkg" --as clusters --replace
expect_rc 0
expect_err "km from the clusters, plan and communes the workspace holds: is the file's CRS"
expect_err "Read in the workspace's CRS (--s-srs EPSG:5897) they would lie among them."
expect_eq "$(sql "$ws" "SELECT MbrMinX(geom) > 600000 FROM clusters WHERE code='NUA'")" "1"
run "$CCN" import "$ws" "$TMP/nua_zone.gpkg" --as clusters --replace --again --s-srs EPSG:5897
expect_rc 0
expect_eq "$(grep -c "km from the clusters" <<<"$err")" "0" "far-away warnings"
expect_eq "$(sql "$ws" "SELECT round(MbrMinX(geom), 1) FROM clusters WHERE code='NUA'")" "565000.0"

# --- CSV marker table: X = northing, Y = easting; 700 m x 500 m = 350000 m2 ----
run "$CCN" import "$ws" "$D/ht_markers_swapped.csv" --as markers --s-srs EPSG:5897
expect_rc 2
expect_err "looks like an easting"
run "$CCN" import "$ws" "$D/ht_markers.csv" --as clusters --s-srs EPSG:5897
expect_rc 0
expect_eq "$(sql "$ws" "SELECT round(ST_Area(geom), 1) FROM clusters WHERE code='HT'")" "350000.0"
# A marker table for two clusters, the first (HT) with a boundary already:
# with --skip-bad HT is refused, named, and TTH (100 m x 100 m) still stored.
{ cat "$D/ht_markers.csv"; printf '%s\n' TTH,T1,2190000,563000 TTH,T2,2190000,563100 \
    TTH,T3,2190100,563100 TTH,T4,2190100,563000; } >"$TMP/two_markers.csv"
run "$CCN" import "$ws" "$TMP/two_markers.csv" --as clusters --s-srs EPSG:5897 --skip-bad
expect_rc 0
expect_err "cluster HT already has a boundary (use --replace)"
expect_eq "$(sql "$ws" "SELECT round(ST_Area(geom), 1) FROM clusters WHERE code='TTH'")" "10000.0"
expect_eq "$(sql "$ws" "SELECT round(ST_Area(geom), 1) FROM clusters WHERE code='HT'")" "350000.0"
sql "$ws" "UPDATE clusters SET geom = NULL WHERE code = 'TTH'" >/dev/null
run "$CCN" import "$ws" "$D/ht_markers.csv" --as markers --s-srs EPSG:5897
expect_rc 0
expect_eq "$(sql "$ws" "SELECT group_concat(marker || '@' || round(x, 1) || '/' || round(y, 1), ' ') FROM markers")" \
    "M1@561000.0/2188500.0 M2@561700.0/2188500.0 M3@561700.0/2189000.0 M4@561000.0/2189000.0"
run "$CCN" import "$ws" "$D/ht_markers_swapped.csv" --as markers --s-srs EPSG:5897 --xy en --replace
expect_rc 0
expect_eq "$(sql "$ws" "SELECT count(*) || ':' || round(max(y), 1) FROM markers")" "4:2189000.0"

# --- GeoPackage lots: cluster by code or by name, use from the lot prefix -------
ogr2ogr -f GPKG "$TMP/lots.gpkg" "$D/ht_lots.geojson" -nln lots
run "$CCN" import "$ws" "$TMP/lots.gpkg" --as lots
expect_rc 0
expect_out "3 read, 3 stored, 0 refused"
expect_eq "$(sql "$ws" "SELECT group_concat(cluster || ' ' || lot_no || ' ' || use || ' ' || round(ST_Area(geom), 1), '; ') FROM lots")" \
    "HT CN-01 industrial 5000.0; HT CN-02 industrial 4000.0; HT CX-01 green 1000.0"
run "$CCN" import "$ws" "$TMP/lots.gpkg" --as lots --replace --again
expect_rc 0
expect_eq "$(sql "$ws" "SELECT count(*) FROM lots")" "3"

# --- Shapefile with TCVN3 text (no .cpg), DBF field names mapped by themselves ---
# TCVN3 bytes of "Nguyễn Văn Đức" and "Hợp Thắng" from the TCVN 5712:1993 table
# (the same bytes as tests/test_textenc.c).
printf 'WKT,MAXA,SHBANDO,SHTHUA,DIENTICH,LOAIDAT,TENCHU\n"POLYGON((561000 2188000,561020 2188000,561020 2188030,561000 2188030,561000 2188000))",15940,12,7,600.0,LUC,Nguy\xD4n V\xA8n \xA7\xF8c\n"POLYGON((561020 2188000,561040 2188000,561040 2188030,561020 2188030,561020 2188000))",15940,12,8,612.5,LUC,H\xEEp Th\xBEng\n' >"$TMP/tcvn.csv"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING= -a_srs EPSG:5897 "$TMP/parcels.shp" "$TMP/tcvn.csv" \
    -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO
rm -f "$TMP/parcels.cpg"
before=$(state "$ws")
run "$CCN" import "$ws" "$TMP/parcels.shp" --as parcels --encoding UTF-8
expect_rc 2
expect_err "not valid UTF-8"
expect_err "--encoding TCVN3"
expect_eq "$(state "$ws")" "$before"
run "$CCN" import "$ws" "$TMP/parcels.shp" --as parcels --encoding TCVN3
expect_rc 0
expect_eq "$(sql "$ws" "SELECT group_concat(commune || '/' || sheet || '/' || parcel_no || ' ' || owner || ' ' || round(area_legal, 1), '; ') FROM parcels")" \
    "15940/12/7 Nguyễn Văn Đức 600.0; 15940/12/8 Hợp Thắng 612.5"
run "$CCN" import "$ws" "$TMP/parcels.shp" --as parcels --encoding VNI-9
expect_rc 2
expect_err "--encoding"

# --- VNI text in a CSV with WKT geometry --------------------------------------
# VNI-Windows bytes of "Thọ Ngọc" (xvnkb's VNI table: o + 0xEF = ọ).
printf 'WKT,code,name\n"POLYGON((552000 2198000,553000 2198000,553000 2199000,552000 2199000,552000 2198000))",15920,Tho\xEF Ngo\xEFc\n' >"$TMP/vni.csv"
run "$CCN" import "$ws" "$TMP/vni.csv" --as communes --encoding VNI --s-srs EPSG:5897
expect_rc 0
expect_eq "$(sql "$ws" "SELECT name FROM communes WHERE code = '15920'")" "Thọ Ngọc"

# --- KML (WGS 84) --------------------------------------------------------------
run "$CCN" import "$ws" "$D/communes.kml" --as communes
expect_rc 0
expect_eq "$(sql "$ws" "SELECT name FROM communes WHERE code = '15916'")" "Thị trấn Nưa"

# --- --field overrides ---------------------------------------------------------
run "$CCN" import "$ws" "$D/null_geometry.geojson" --as plan --field landuse=nope
expect_rc 2
expect_err "no field 'nope'"
run "$CCN" import "$ws" "$D/null_geometry.geojson" --as plan --field colour=landuse
expect_rc 2
expect_err "'colour' is not a field of plan"

# --- Bad input: each exits 2 and leaves the workspace as it was -----------------
before=$(state "$ws")
run "$CCN" import "$ws" "$D/missing.gpkg" --as plan
expect_rc 2; expect_err "missing.gpkg: no such file"
run "$CCN" import "$ws" "$D/corrupt.gpkg" --as plan
expect_rc 2; expect_err "corrupt.gpkg: cannot open"
run "$CCN" import "$ws" "$D/lines.geojson" --as plan
expect_rc 2; expect_err "holds no polygons"
run "$CCN" import "$ws" "$D/swapped_wgs84.geojson" --as clusters --replace
expect_rc 2; expect_err "look swapped"
run "$CCN" import "$ws" "$D/nua_wgs84.geojson" --as clusters --replace --again --s-srs EPSG:5897
expect_rc 2; expect_err "outside Vietnam"
run "$CCN" import "$ws" "$D/empty.geojson" --as plan
expect_rc 2; expect_err "is empty"
run "$CCN" import "$ws" "$D/null_geometry.geojson" --as plan
expect_rc 2; expect_err "feature 1: no geometry"; expect_err "1 of 3 features refused"
run "$CCN" import "$ws" "$D/nua_wgs84.geojson" --as parcel
expect_rc 2; expect_err "--as 'parcel'"; expect_err "Try 'ccn import --help'"
run "$CCN" import "$ws" "$D/nua_wgs84.geojson"
expect_rc 2; expect_err "--as is required"
run "$CCN" import "$(ws_path none)" "$D/nua_wgs84.geojson" --as clusters
expect_rc 2; expect_err "does not exist"
run "$CCN" import "$D/ht_markers.csv" "$D/nua_wgs84.geojson" --as clusters
expect_rc 2; expect_err "not a ccn workspace"
expect_eq "$(state "$ws")" "$before" "(workspace changed by bad input)"

# --skip-bad stores the good features and counts the refused one.
run "$CCN" import "$ws" "$D/null_geometry.geojson" --as plan --skip-bad
expect_rc 0
expect_out "3 read, 2 stored, 1 refused"
expect_err "refused feature 1: no geometry"
expect_eq "$(sql "$ws" "SELECT features_refused FROM imports ORDER BY fid DESC LIMIT 1")" "1"

# --- A process killed in the middle of an import leaves the workspace whole -----
awk 'BEGIN { print "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::5897\"}},\"features\":[";
    for (i = 0; i < 2000; i++) { x = 560000 + (i % 50) * 20; y = 2190000 + int(i / 50) * 20;
        printf "%s{\"type\":\"Feature\",\"properties\":{\"MaXa\":\"15940\",\"SoHieuToBanDo\":1,\"SoThuTuThua\":%d},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%d,%d],[%d,%d],[%d,%d],[%d,%d],[%d,%d]]]}}\n",
            (i ? "," : ""), i + 1, x, y, x + 20, y, x + 20, y + 20, x, y + 20, x, y }
    print "]}" }' >"$TMP/many.geojson"
before=$(state "$ws")
CCN_TEST_KILL_AT=1000 "$CCN" import "$ws" "$TMP/many.geojson" --as parcels >/dev/null 2>&1
rc=$?
expect_eq "$rc" "137" "(the import was not killed)"
expect_eq "$(state "$ws")" "$before" "(a killed import left rows behind)"
[ "$BACKEND" = pg ] || expect_eq "$(sql "$ws" "PRAGMA integrity_check")" "ok"
run "$CCN" import "$ws" "$TMP/many.geojson" --as parcels
expect_rc 0
expect_out "2000 read, 2000 stored, 0 refused"
expect_eq "$(sql "$ws" "SELECT round(sum(ST_Area(geom)), 1) FROM parcels WHERE commune = '15940' AND sheet = 1")" "800000.0"


# Real fields read as GDAL writes them ("%.15g", what ogrinfo prints): ccn
# writes the short ones itself, so a real code reads 15673 or 15673.5 and an
# area 0.1 + 0.2 is stored as 0.3, a third with 15 digits, as through GDAL.
run ogr2ogr -f GPKG "$TMP/reals.gpkg" "$ROOT/layers/parcels.shp" -nln parcels -dialect sqlite -sql "SELECT geometry,
    CASE WHEN rowid % 2 = 0 THEN 15673.0 ELSE 15673.5 END AS MAXA, SHBANDO, SHTHUA,
    CASE rowid % 6 WHEN 0 THEN 0.1 + 0.2 WHEN 1 THEN 1044.4 WHEN 2 THEN 1234.567 WHEN 3 THEN 0.001
    WHEN 4 THEN 967.0 ELSE 1.0 / 3 END AS DIENTICH, LOAIDAT, 'Lê Văn A' AS TENCHU FROM parcels LIMIT 6"
expect_rc 0
reals=$(new_ws reals)
run "$CCN" import "$reals" "$TMP/reals.gpkg" --as parcels
expect_rc 0; expect_out "6 read, 6 stored, 0 refused"
if [ "$BACKEND" != pg ]; then # SQLite's quote() shows the double's shortest text
    expect_eq "$(sqlite3 "$reals" "SELECT group_concat(commune || ' ' || quote(area_legal), '; ') FROM (SELECT * FROM parcels ORDER BY fid)")" \
        "15673 0.3; 15673.5 1044.4; 15673 1234.567; 15673.5 0.001; 15673 967.0; 15673.5 0.333333333333333"
else
    expect_eq "$(sql "$reals" "SELECT string_agg(commune || ' ' || area_legal, '; ' ORDER BY fid) FROM parcels")" \
        "15673 0.3; 15673.5 1044.4; 15673 1234.567; 15673.5 0.001; 15673 967; 15673.5 0.333333333333333"
fi
# A GeometryCollection (as GDAL reads a KML MultiGeometry) holding a polygon, a
# line and a point: the polygon is stored, and the points and lines left out
# are said, not dropped silently (areas by hand: 20 × 20, 30 × 20, 10 × 20).
gc=$(new_ws collection)
run "$CCN" import "$gc" "$D/collection_parcels.geojson" --as parcels
expect_rc 0
expect_out "3 read, 3 stored, 0 refused"
expect_err "1 feature(s) held points or lines beside their polygons (the first: feature 1): only the polygons were stored"
for want in "1 400.000" "2 600.000" "3 200.000"; do
    expect_eq "$(sql "$gc" "SELECT printf('%.3f', Area(geom)) FROM parcels WHERE fid = ${want% *}")" "${want#* }"
done
# A detailed plan's lot table says what each lot is for in Vietnamese, with or
# without accents, or by the lot prefixes: each is one of the five uses (the
# expected use of each row written by hand); a use ccn has no word for (nhà ở,
# housing) is refused by name.
lv=$(new_ws lots_vi)
run "$CCN" import "$lv" "$D/ht_lots_vi.geojson" --as lots
expect_rc 2
expect_err "1 of 13 features refused: feature 12: lot L-13: use 'Nhà ở' is not industrial, service, green, utility or road"
run "$CCN" import "$lv" "$D/ht_lots_vi.geojson" --as lots --skip-bad
expect_rc 0; expect_out "13 read, 12 stored, 1 refused"
expect_eq "$(sql "$lv" "SELECT lot_no || ':' || use FROM lots ORDER BY fid" | paste -sd ' ')" \
    "CN-01:industrial CN-02:industrial CN-03:industrial L-04:industrial L-05:service L-06:service L-07:green L-08:utility L-09:road L-10:road L-11:utility L-12:industrial"
finish
