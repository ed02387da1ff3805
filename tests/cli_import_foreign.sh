#!/usr/bin/env bash
# ccn import on files from outside (issue 17): what used to be refused wrongly
# or explained badly. Fixtures in tests/data/foreign (make.sh says how they were
# made); every refusal is exit 2 with the file, the feature and the reason.
source "$(dirname "$0")/lib.sh"
D=$DATA/foreign
# GDAL writes a .gfs beside a GML it reads: read copies, keep the sources clean.
cp "$D"/*.gml "$TMP/"

# GDAL's own area of a layer, in the CRS given: ogr2ogr, then SpatiaLite's ST_Area.
gdal_area() { # FILE CRS [SQL_GEOMETRY_EXPR]
    rm -f "$TMP/gdal.gpkg"
    ogr2ogr -t_srs "$2" "$TMP/gdal.gpkg" "$1" -nln g 2>/dev/null
    ogrinfo -q "$TMP/gdal.gpkg" -dialect SQLite -sql "SELECT printf('%.9f', sum(ST_Area(${3:-geom}))) AS a FROM g" |
        sed -n 's/.*a (String) = //p'
}

# --- 1. a closed DXF polyline whose closing segment is an arc ------------------
# GDAL 3.6 linearises the arc; its last point misses the first by 1.16e-10 m.
ws=$(new_ws dxf)
run "$CCN" import "$ws" "$D/bulge_closing.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_rc 0
expect_out "1 read, 1 stored, 0 refused"
# The exact area with the true arc is 20559.867988 m²: quadrilateral 21784.010 minus
# the circular segment 1224.142 (bulge 0.37: 81.22° on a radius of 75.523 m), by hand.
# ccn has GDAL cut arcs into chords of 0.5° (OGR_ARC_STEPSIZE), not GDAL's 4°, which
# gave 20562.937197813 (+3.07 m², chords up to 4.6 cm inside the arc): now 163 chords
# each cut R²/2 (θ - sin θ) = 3.16e-4 m² off the segment, 0.0515 m² in all.
gdal=$(ogrinfo -q --config OGR_ARC_STEPSIZE 0.5 "$D/bulge_closing.dxf" -dialect SQLite -sql "SELECT printf('%.9f',
    ST_Area(ST_MakePolygon(ST_AddPoint(geometry, ST_StartPoint(geometry))))) AS a FROM entities" |
    sed -n 's/.*a (String) = //p')
expect_near "$gdal" 20559.918943459 1e-6 "(GDAL's area changed)"
expect_near "$(sql "$ws" "SELECT ST_Area(geom) FROM plan")" "$gdal" 1e-6
expect_near "$(sql "$ws" "SELECT ST_Area(geom) FROM plan")" 20559.867988 0.052
expect_eq "$(sql "$ws" "SELECT ST_IsClosed(ExteriorRing(GeometryN(geom, 1))) FROM plan")" 1
# A GeoPackage's CURVEPOLYGON, a circle of radius 50 m (area 2500π = 7853.981634 m²):
# 720 chords of 0.5° each cut 2500/2 (θ - sin θ) = 1.385e-4 m², 0.0997 m² in all
# (GDAL's 4° cut 6.24 m²).
printf 'WKT,landuse\n"CURVEPOLYGON(CIRCULARSTRING(564000 2183000,564100 2183000,564000 2183000))",SKN\n' \
    >"$TMP/circle.csv"
ogr2ogr -q -a_srs EPSG:5897 -nlt CURVEPOLYGON "$TMP/circle.gpkg" "$TMP/circle.csv" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO
run "$CCN" import "$(new_ws curve)" "$TMP/circle.gpkg" --as plan
expect_rc 0
expect_near "$(sql "$(ws_path curve)" "SELECT ST_Area(geom) FROM plan")" 7853.8822 0.0001
expect_near "$(sql "$(ws_path curve)" "SELECT ST_Area(geom) FROM plan")" 7853.981634 0.1
# A gap a surveyor left (1 cm) is still an open line.
printf '  0\nSECTION\n  2\nENTITIES\n  0\nLWPOLYLINE\n  8\nTN\n 90\n4\n 70\n0\n 10\n552000\n 20\n2198000\n 10\n552200\n 20\n2198000\n 10\n552200\n 20\n2198100\n 10\n552000.01\n 20\n2198000\n  0\nENDSEC\n  0\nEOF\n' >"$TMP/open.dxf"
run "$CCN" import "$ws" "$TMP/open.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer --replace
expect_rc 2
expect_err "holds no polygons (feature 0: an open line where a polygon is needed)"

# --- 2. a workspace in a Lambert conformal state plane --------------------------
nc=$(ws_path nc)
run "$CCN" init "$nc" --district "$ROOT/gis" --crs EPSG:32119
expect_rc 0
run "$CCN" import "$nc" "$D/plan_nc_ftus.geojson" --as plan
expect_rc 0
expect_out "2 read, 2 stored, 0 refused"
# GDAL: ogr2ogr -t_srs EPSG:32119, ST_Area summed = 444299.229473278 m² (GDAL 3.6.2, PROJ 9.1.1)
gdal=$(gdal_area "$D/plan_nc_ftus.geojson" EPSG:32119)
expect_near "$gdal" 444299.229473278 1e-5 "(GDAL's area changed)"
expect_near "$(sql "$nc" "SELECT sum(ST_Area(geom)) FROM plan")" "$gdal" 1e-6
# no central-meridian warning: a Lambert conformal projection has none
[[ "$err" != *"central meridian"* ]] && ok || bad "a meridian warning for a Lambert projection"

# --- 3. plausibility by the workspace CRS's area of use -------------------------
# Vietnamese data in the North Carolina workspace: outside, and the hint is the CRS.
run "$CCN" import "$nc" "$DATA/import/nua_wgs84.geojson" --as plan --field landuse=code
expect_rc 2
expect_err "nua_wgs84.geojson: feature 0 lands outside North America"
expect_err "(at lon 105.6220, lat 19.7400)"
expect_err "is the file's CRS right? Name the right one with --s-srs"
[[ "$err" != *"swapped"* ]] && ok || bad "a swap hint where swapping does not help"
# VN-2000 coordinates with x and y exchanged in the Vietnamese workspace: swapped.
run "$CCN" import "$ws" "$D/nua_5897_swapped.geojson" --as plan --replace
expect_rc 2
expect_err "feature 0 lands outside Vietnam - onshore"
expect_err "x and y look swapped"
# The same file with the right axes lands inside.
sed -E 's/\[([0-9.]+), ([0-9.]+)\]/[\2, \1]/g' "$D/nua_5897_swapped.geojson" >"$TMP/nua_5897.geojson"
run "$CCN" import "$ws" "$TMP/nua_5897.geojson" --as plan --replace
expect_rc 0
# 417.6231 m x 444.3158 m = 185556.5418 m², by hand from the coordinates
expect_near "$(sql "$ws" "SELECT ST_Area(geom) FROM plan")" 185556.5418 0.001
# One stray feature beside it (a polygon at 0, 0: a surveyor's empty coordinates):
# the whole file is refused, as its CRS may be wrong; with --skip-bad that
# feature is refused and the rest stored (the old build refused the whole file
# even with --skip-bad: "feature 1 lands outside ...", nothing imported).
python3 - "$TMP/nua_5897.geojson" "$TMP/stray.geojson" <<'PY' || exit 3
import json, sys
d = json.load(open(sys.argv[1]))
d['features'].append({'type': 'Feature', 'properties': dict(d['features'][0]['properties']),
                      'geometry': {'type': 'Polygon',
                                   'coordinates': [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}})
json.dump(d, open(sys.argv[2], 'w'))
PY
run "$CCN" import "$ws" "$TMP/stray.geojson" --as plan --replace
expect_rc 2
expect_err "stray.geojson: feature 1 lands outside Vietnam - onshore"
run "$CCN" import "$ws" "$TMP/stray.geojson" --as plan --replace --skip-bad
expect_rc 0
expect_out "2 read, 1 stored, 1 refused"
expect_err "stray.geojson: refused feature 1: lands outside Vietnam - onshore"
expect_err "is the file's CRS right? Name the right one with --s-srs"
expect_near "$(sql "$ws" "SELECT sum(ST_Area(geom)) FROM plan")" 185556.5418 0.001
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/stray.geojson" --as plan --replace --skip-bad --again
expect_err "stray.geojson: đã từ chối đối tượng 1: nằm ngoài Vietnam - onshore (tại kinh độ 100.5144, vĩ độ -0.0010)"
# The same VN-2000 metres in a GeoJSON without "crs" (read as WGS 84, GeoJSON's own):
# named as no longitude and latitude, with the feature's centre, not "cannot be transformed".
grep -v '"crs"' "$TMP/nua_5897.geojson" >"$TMP/nua_nocrs.geojson"
run "$CCN" import "$ws" "$TMP/nua_nocrs.geojson" --as plan --replace
expect_rc 2
expect_err "nua_nocrs.geojson: 1 of 1 features refused: feature 0: lies at x 564995.0256, y 2183593.46: no longitude and latitude, yet the file's CRS is geographic (name the right one with --s-srs)"

# --- 4. reasons named -------------------------------------------------------------
run "$CCN" import "$ws" "$TMP/unclosed_ring.gml" --as plan --replace
expect_rc 2
expect_err "unclosed_ring.gml: 1 of 2 features refused: feature 1: ring 2 is not closed: first point (564220 2183020), last point (564220 2183041)"
# NaN and infinity (GDAL's GeoJSON reader takes them) are named as such, not as a
# feature "outside Vietnam" or a ring "not closed" (NaN != NaN).
before=$(sql "$ws" "SELECT count(*) || ':' || hex(group_concat(hex(geom))) FROM plan" | md5sum)
run "$CCN" import "$ws" "$D/not_finite.geojson" --as plan --replace
expect_rc 2
expect_err "not_finite.geojson: 2 of 3 features refused: feature 1: ring 1, point 2 has a coordinate that is not a finite number (nan 2183000); feature 2: ring 1, point 3 has a coordinate that is not a finite number (564500 inf)"
expect_eq "$(sql "$ws" "SELECT count(*) || ':' || hex(group_concat(hex(geom))) FROM plan" | md5sum)" "$before" "(a refused import changed the plan)"
run "$CCN" import "$ws" "$D/not_finite.geojson" --as plan --replace --skip-bad
expect_rc 0
expect_eq "$(sql "$ws" "SELECT count(*) || ',' || CAST(round(sum(ST_Area(geom))) AS INTEGER) FROM plan")" "1,10000"
run "$CCN" import "$ws" "$TMP/polyhedral_surface.gml" --as plan --replace
expect_rc 2
expect_err "feature 0: a 3-D surface (POLYHEDRALSURFACE) where a polygon is needed"
run "$CCN" import "$ws" "$TMP/tin.gml" --as plan --replace
expect_rc 2
expect_err "feature 0: a 3-D surface (TIN) where a polygon is needed"
# The same surfaces as Esri multipatch shapefiles: GDAL reads the TIN as a TIN and the
# polyhedral surface as a MULTIPOLYGON Z of its faces (a floor and a vertical wall).
ogr2ogr -lco SHPT=MULTIPATCH "$TMP/mp_tin.shp" "$TMP/tin.gml"
ogr2ogr -lco SHPT=MULTIPATCH "$TMP/mp_faces.shp" "$TMP/polyhedral_surface.gml"
run "$CCN" import "$ws" "$TMP/mp_tin.shp" --as plan --replace
expect_rc 2
expect_err "feature 0: a 3-D surface (TIN) where a polygon is needed"
run "$CCN" import "$ws" "$TMP/mp_faces.shp" --as plan --replace
expect_rc 2
expect_err "feature 0: a 3-D surface (multipatch) where a polygon is needed"
run "$CCN" import "$ws" "$D/codes.csv" --as plan --replace
expect_rc 2
expect_err "codes.csv: layer 'codes' has no geometry column (its fields: code, name)"
ogr2ogr -f GPKG "$TMP/codes.gpkg" "$D/codes.csv" -nln codes
ogr2ogr -update "$TMP/codes.gpkg" "$DATA/import/nua_wgs84.geojson" -nln zones
run "$CCN" import "$ws" "$TMP/codes.gpkg" --as plan --layer codes --replace
expect_rc 2
expect_err "layer 'codes' has no geometry column (its fields: code, name); layers with polygons: 'zones'"
[[ "$err" != *"no CRS"* ]] && ok || bad "a table without geometry blamed on its CRS"

# --- 7. KML: the first folder holds points, the second the boundary ----------------
run "$CCN" import "$ws" "$D/two_folders.kml" --as clusters --field code=Name
expect_rc 0
expect_out "layer 'Ranh giới'"
expect_eq "$(sql "$ws" "SELECT group_concat(code) FROM (SELECT code FROM clusters WHERE geom IS NOT NULL ORDER BY fid) AS t")" "NUA"
# markers take the points
run "$CCN" import "$ws" "$D/two_folders.kml" --as markers --field cluster=Name --field marker=Name
expect_rc 2
expect_err "unknown cluster 'M1'"
# the points folder named: refused, with the polygon folders named
run "$CCN" import "$ws" "$D/two_folders.kml" --as clusters --layer "Mốc giới" --replace
expect_rc 2
expect_err "layer 'Mốc giới' holds no polygons (feature 1: a point where a polygon is needed); layers of the file that do: 'Ranh giới' (pick one with --layer)"
# --- 5. codes upper-cased by Unicode; codes gis/landuse.csv does not know named -----
run "$CCN" import "$ws" "$D/plan_codes.geojson" --as plan --replace
expect_rc 0
expect_out "4 read, 4 stored, 0 refused"
expect_eq "$(sql "$ws" "SELECT group_concat(landuse, '|') FROM (SELECT landuse FROM plan ORDER BY source_fid) AS t")" "SKN|HUYỆN|ĐẤT Ở|HUYỆN"
expect_err "plan_codes.geojson: land-use codes that gis/landuse.csv does not know, on 3 features (stored as they are): HUYỆN, ĐẤT Ở"
[[ "$err" != *"SKN"* ]] && ok || bad "SKN is in gis/landuse.csv"

# --- 6. a legacy --encoding on text that is already UTF-8 ----------------------------
before=$(sql "$ws" "SELECT count(*) FROM communes; SELECT count(*) FROM imports")
run "$CCN" import "$ws" "$D/plan_codes.geojson" --as communes --field name=ten --encoding TCVN3
expect_rc 2
# TCVN3's bytes of "à" are C3 A0, "Ẫ" and a no-break space (iconv TCVN5712-1)
expect_err "plan_codes.geojson: feature 0: field 'ten' is already UTF-8 text ('Cà Mau'); read as TCVN3 it would be stored garbled ('CẪ"$'\u00a0'" Mau'): drop --encoding TCVN3"
expect_eq "$(sql "$ws" "SELECT count(*) FROM communes; SELECT count(*) FROM imports")" "$before"
# the same in a shapefile (its DBF bytes reach ccn undecoded with --encoding)
ogr2ogr -lco ENCODING=UTF-8 "$TMP/codes_utf8.shp" "$D/plan_codes.geojson"
run "$CCN" import "$ws" "$TMP/codes_utf8.shp" --as plan --encoding VNI --replace
expect_rc 2
expect_err "feature 1: field 'landuse' is already UTF-8 text ('Huyện'); read as VNI it would be stored garbled"
expect_err "drop --encoding VNI"
# ASCII text is the same in every encoding: taken
sed -e 's/Huyện/HUYEN/; s/đất ở/ODT/; s/huyện/ONT/; s/Cà Mau/Ca Mau/g' "$D/plan_codes.geojson" >"$TMP/ascii.geojson"
run "$CCN" import "$ws" "$TMP/ascii.geojson" --as plan --encoding TCVN3 --replace
expect_rc 0

# --- CRS as GDAL's tools take them (OSRSetFromUserInput, as ogr2ogr -s_srs) ------
# A plan without a CRS, in UTM 48N, imported with --s-srs in each form: every
# one stores what EPSG:32648 stores (area and centroids to 0.1 mm). The build
# before refused the PROJ string without +type=crs ("is not a coordinate
# reference system") and the .prj file ("Invalid PROJ string syntax").
ogr2ogr -f GeoJSON -t_srs EPSG:32648 -lco WRITE_NAME=NO "$TMP/utm_crs.geojson" "$DATA/import/nua_wgs84.geojson" 2>/dev/null || exit 3
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); d.pop("crs", None); json.dump(d, open(sys.argv[2], "w"))' \
    "$TMP/utm_crs.geojson" "$TMP/utm_nocrs.geojson" || exit 3
gdalsrsinfo -o wkt_esri EPSG:32648 >"$TMP/utm48.prj" || exit 3
gdalsrsinfo -o wkt2 EPSG:32648 >"$TMP/utm48.wkt" || exit 3
ws=$(new_ws srs)
shape() { sql "$ws" "SELECT count(*), printf('%.4f', sum(ST_Area(geom))), printf('%.4f', sum(ST_X(ST_Centroid(geom)))), printf('%.4f', sum(ST_Y(ST_Centroid(geom)))) FROM plan"; }
run "$CCN" import "$ws" "$TMP/utm_nocrs.geojson" --as plan --field landuse=code --s-srs EPSG:32648
expect_rc 0
want=$(shape)
[[ "$want" == 1\|* ]] && ok || bad "the reference import: $want"
for form in "urn:ogc:def:crs:EPSG::32648" "$(cat "$TMP/utm48.wkt")" "+proj=utm +zone=48 +datum=WGS84 +units=m" \
    "+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs +type=crs" "$TMP/utm48.prj" "epsg:32648"; do
    run "$CCN" import "$ws" "$TMP/utm_nocrs.geojson" --as plan --field landuse=code --replace --s-srs "$form"
    expect_rc 0
    expect_eq "$(shape)" "$want" "(--s-srs '${form:0:50}')"
done
run "$CCN" import "$ws" "$TMP/utm_nocrs.geojson" --as plan --field landuse=code --replace --s-srs "no such crs"
expect_rc 2
expect_err "unknown CRS 'no such crs': neither PROJ nor GDAL reads it (write EPSG:CODE, a WKT, a PROJ string or the path of a .prj file)"
# ESRI's codes are read too: ESRI:102100 is Web Mercator, so these UTM numbers
# land in the Atlantic, far from the workspace's area (read, not refused as unknown)
run "$CCN" import "$ws" "$TMP/utm_nocrs.geojson" --as plan --field landuse=code --replace --s-srs ESRI:102100
expect_rc 2
expect_err "lands outside Vietnam"
# init --crs takes the same forms when PROJ finds them equal to an EPSG CRS
# (the build before: "--crs '...': expected EPSG:CODE"); a CRS on a bare
# ellipsoid is no VN-2000 zone however alike (PROJ's identify says 70 %),
# and a geographic one is refused as before.
for form in "+proj=utm +zone=48 +datum=WGS84 +units=m" "$TMP/utm48.prj" "urn:ogc:def:crs:EPSG::32648"; do
    w=$(ws_path crs_init)
    [ "$BACKEND" = pg ] || rm -f "$w"
    run "$CCN" init "$w" --district "$ROOT/gis" --crs "$form" --force
    expect_rc 0
    expect_out "(EPSG:32648)"
    expect_eq "$(sql "$w" "SELECT value FROM ccn_meta WHERE key = 'srid'")" 32648 "(--crs '${form:0:50}')"
done
run "$CCN" init "$(ws_path crs_bad)" --district "$ROOT/gis" --crs "+proj=tmerc +lon_0=105.5 +k=0.9999 +x_0=500000 +ellps=WGS84 +units=m"
expect_rc 2
expect_err "PROJ finds no EPSG CRS equal to it, and the workspace stores its geometries under an EPSG code: name one (--crs EPSG:CODE)"
run "$CCN" init "$(ws_path crs_bad)" --district "$ROOT/gis" --crs "+proj=longlat +datum=WGS84"
expect_rc 2
expect_err "is in degrees: the workspace CRS must be a projected CRS in metres"
finish
