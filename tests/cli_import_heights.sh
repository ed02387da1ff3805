#!/usr/bin/env bash
# cli_import_heights — a height (Z) moves a point through the datum shift: a
# WGS 84 GeoJSON's third coordinate is its height above the ellipsoid (RFC
# 7946 §3.1.1), and EPSG:4326 -> EPSG:5897 (VN-2000's Helmert shift) puts a
# point 30 m up 0.9 mm east and 0.5 mm south of where it puts it at 0 m, 3000 m
# up 9 cm away. cs2cs EPSG:4326 EPSG:5897 with the heights, ogr2ogr -t_srs and
# PostGIS's ST_Transform(geom, 5897) of the file loaded by ogr2ogr all give
# the values below (to 0.1 mm); the old build dropped Z before transforming:
# the 0 m positions for every height. Between VN-2000 CRSs (no datum shift)
# a height changes nothing. Stored geometry stays 2-D.
source "$(dirname "$0")/lib.sh"
skip_on_pg "reads the stored coordinates with SpatiaLite's functions"

square() { # square Z: the GeoJSON of a WGS 84 square at height Z
    printf '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"landuse": "SKN"}, "geometry": {"type": "Polygon", "coordinates": [[[105.62, 19.75, %s], [105.621, 19.75, %s], [105.621, 19.751, %s], [105.62, 19.751, %s], [105.62, 19.75, %s]]]}}]}\n' "$1" "$1" "$1" "$1" "$1"
}
# The stored vertices, sorted, in units of 0.1 mm.
vertices() {
    sql "$1" "SELECT AsText(geom) FROM plan" | grep -oE '[0-9.]+ [0-9.]+' |
        awk '{ printf "%.0f %.0f\n", $1 * 10000, $2 * 10000 }' | sort -u | tr '\n' ';'
}
for z in 0 30 3000; do
    square $z >"$TMP/z$z.geojson"
    ws=$(new_ws "z$z")
    run "$CCN" import "$ws" "$TMP/z$z.geojson" --as plan -q
    expect_rc 0
    expect_eq "$(sql "$ws" "SELECT CoordDimension(geom) FROM plan")" XY "(z=$z)"
    got=$(vertices "$ws")
    # cs2cs -f %.4f EPSG:4326 EPSG:5897 of each corner, lat lon Z
    case $z in
    0) expect_eq "$got" "5647809529 21848103319;5647813578 21846996372;5648857574 21848107155;5648861629 21847000207;" "(z=0)" ;;
    30) expect_eq "$got" "5647809539 21848103313;5647813587 21846996366;5648857584 21848107149;5648861638 21847000202;" "(z=30)" ;;
    3000) expect_eq "$got" "5647810449 21848102804;5647814498 21846995857;5648858494 21848106640;5648862549 21846999693;" "(z=3000)" ;;
    esac
done

# VN-2000 / TM-3 105-30 (EPSG:9209) into EPSG:5897: the same datum, so the
# same place at any height (cs2cs EPSG:9209 EPSG:5897: 500000 2190000 ->
# 552384.6054 2190077.4268 at 0 m and at 500 m).
for z in 0 500; do
    printf '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::9209"}}, "features": [{"type": "Feature", "properties": {"landuse": "SKN"}, "geometry": {"type": "Polygon", "coordinates": [[[500000, 2190000, %s], [500100, 2190000, %s], [500100, 2190100, %s], [500000, 2190000, %s]]]}}]}\n' $z $z $z $z >"$TMP/tm$z.geojson"
    ws=$(new_ws "tm$z")
    run "$CCN" import "$ws" "$TMP/tm$z.geojson" --as plan -q
    expect_rc 0
    expect_eq "$(vertices "$ws" | cut -d';' -f1)" "5523846054 21900774268" "(EPSG:9209, z=$z)"
done
finish
