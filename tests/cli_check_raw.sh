#!/bin/bash
# ccn check on a workspace whose parcels another tool wrote (not ccn import):
# tests/data/check/raw_parcels.sql, loaded with sqlite3 + mod_spatialite.
# Parcel 1 is a 40 x 20 m rectangle with a 10 x 10 m notch, its bottom edge a
# collinear run of a vertex every 2 m and every vertex stored twice: 27
# distinct vertices in 55 stored coordinates, a ring that once overflowed the
# triangles coverage.c reserved (exit 134, "free(): invalid size"). Parcel 2
# fills the notch exactly; parcel 3 (30..50 x 15..25) overlaps parcel 1 in
# 30..40 x 15..20 = 50 m² (by hand). Parcel 4 has a spike (invalid), parcel 5
# a ring of two distinct points, parcel 6 an unclosed ring.
source "$(dirname "$0")/lib.sh"

WS=$(new_ws raw)
sqlite3 -batch -cmd ".load mod_spatialite" "$WS" <"$DATA/check/raw_parcels.sql" >/dev/null 2>&1 \
    || { echo "cannot load raw_parcels.sql" >&2; exit 3; }
expect_eq "$(sql "$WS" "SELECT NumPoints(ExteriorRing(GeometryN(geom, 1))) FROM parcels WHERE parcel_no = 1")" 55 \
    "(the fixture's stored coordinates)"

run "$CCN" check "$WS" --format csv
expect_rc 1
expect_eq "$(grep -c ',PARCEL_OVERLAP,parcels,1,parcels,3,50.000,' <<<"$out")" 1 "(the 50 m² overlap)"
expect_out "error,INVALID_GEOMETRY,parcels,4,"
expect_out "error,EMPTY_GEOMETRY,parcels,5,"
expect_out "error,EMPTY_GEOMETRY,parcels,6,"
expect_err "parcels    ran (4 parcels)"
# No gap: parcel 2 fills the notch of parcel 1 exactly.
expect_eq "$(grep -c ',PARCEL_GAP,' <<<"$out")" 0 "(no gap)"

# The same ring through ccn import (GeoJSON of parcel 1 alone, as stored).
cat >"$TMP/p1.geojson" <<JSON
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [{"type": "Feature", "properties": {"MaXa": "15673", "SoHieuToBanDo": 9, "SoThuTuThua": 1},
   "geometry": $(sql "$WS" "SELECT AsGeoJSON(geom) FROM parcels WHERE parcel_no = 1")}]}
JSON
WS2=$(new_ws imported)
run "$CCN" import "$WS2" "$TMP/p1.geojson" --as parcels
expect_rc 0
run "$CCN" check "$WS2" --format csv
expect_rc 0
expect_eq "$(tail -n +2 <<<"$out")" "" "(no finding)"
finish
