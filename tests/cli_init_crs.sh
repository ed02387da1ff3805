#!/usr/bin/env bash
# cli_init_crs — a workspace in a VN-2000 TM-3 zone PostGIS 3.3's
# spatial_ref_sys lacks (EPSG:9205-9218, of 2020: here 9209, 105°30'), on
# either back end: on PostgreSQL ccn init adds the CRS to spatial_ref_sys from
# PROJ's database (as GDAL's driver does; ST_Transform then asks PROJ for
# EPSG:9209 by its authority). The old build refused it there ('EPSG:9209 is
# unknown: the workspace CRS must be a projected CRS in metres'), though
# SQLite took it. Figures: PostGIS 3.3 on tests/data/figures_crs/
# clusters_4326.geojson loaded by ogr2ogr: ST_Area(ST_Transform(geom, 9209))
# = 97493.641 m², ST_Area(ST_Transform(ST_Transform(geom, 9209),
# 4326)::geography) = 97513.912 m².
source "$(dirname "$0")/lib.sh"
ws=$(ws_path crs9209)
[ "$BACKEND" = pg ] || rm -f "$ws"
run "$CCN" init "$ws" --district "$ROOT/gis" --crs EPSG:9209
expect_rc 0
expect_out "(EPSG:9209): 6 clusters"
run "$CCN" import "$ws" "$DATA/figures_crs/clusters_4326.geojson" --as clusters -q
expect_rc 0
run "$CCN" areas "$ws" --format csv
expect_rc 0
expect_out "DL3,Dân Lực – Dân Lý – Dân Quyền,existing,50.00,97493.641,9.7494,97513.912,-80.5013"
if [ "$BACKEND" = pg ]; then
    expect_eq "$(sql "$ws" "SELECT auth_name || ':' || auth_srid FROM spatial_ref_sys WHERE srid = 9209")" EPSG:9209
    # a second workspace finds it there
    run "$CCN" init "$(ws_path crs9209b)" --district "$ROOT/gis" --crs EPSG:9209 -q
    expect_rc 0
fi
finish
