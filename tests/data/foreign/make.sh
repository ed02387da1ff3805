#!/usr/bin/env bash
# Regenerates the small fixtures of tests/cli_import_foreign.sh (run from
# anywhere; needs python3 and GDAL's ogr2ogr/cs2cs). The files are committed:
# this script only says how they were made.
set -eu
cd "$(dirname "$0")"

# A closed LWPOLYLINE whose closing segment is an arc (bulge -0.37 on the last
# vertex, i.e. a clockwise arc): GDAL 3.6 turns the arc into points and the
# last one misses the first by 1.16e-10 m in x.
python3 - >bulge_closing.dxf <<'PY'
x, y, b = 552013.37, 2198007.91, -0.37
pts = [(x, y), (x + 213.7, y + 3.1), (x + 220.3, y + 104.9), (x - 1.7, y + 98.3)]
out = ["0", "SECTION", "2", "ENTITIES", "0", "LWPOLYLINE", "5", "30", "8", "TN", "90",
       str(len(pts)), "70", "1"]
for i, (px, py) in enumerate(pts):
    out += ["10", repr(px), "20", repr(py)] + (["42", repr(b)] if i == len(pts) - 1 else [])
print("\n".join(out + ["0", "ENDSEC", "0", "EOF"]))
PY

# Two plan zones in North Carolina, in NAD83 / North Carolina (ftUS), EPSG:2264:
# rectangles in lon/lat projected with cs2cs.
ring() { # lon0 lat0 lon1 lat1 -> x y pairs, ftUS
    printf '%s %s\n%s %s\n%s %s\n%s %s\n%s %s\n' "$1" "$2" "$3" "$2" "$3" "$4" "$1" "$4" "$1" "$2" |
        cs2cs -f %.3f EPSG:4326 EPSG:2264 2>/dev/null | awk '{printf "%s[%s, %s]", (NR > 1 ? ", " : ""), $1, $2}'
}
# cs2cs takes EPSG:4326 as lat lon
{
    echo '{"type": "FeatureCollection", "name": "plan_nc",'
    echo ' "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2264"}},'
    echo ' "features": ['
    echo "  {\"type\": \"Feature\", \"properties\": {\"landuse\": \"SKN\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[$(ring 35.780 -78.640 35.784 -78.634)]]}},"
    echo "  {\"type\": \"Feature\", \"properties\": {\"landuse\": \"CLN\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[$(ring 35.790 -78.650 35.7935 -78.6442)]]}}"
    echo ']}'
} >plan_nc_ftus.geojson

# The other fixtures are written by hand: unclosed_ring.gml (feature 1's hole
# ends 21 m from where it starts), polyhedral_surface.gml and tin.gml (3-D
# surfaces), two_folders.kml (a KML whose first folder holds points, the
# second a polygon), codes.csv (a table without geometry), nua_5897_swapped.geojson
# (VN-2000 / TM-3 coordinates with x and y exchanged), plan_codes.geojson (UTF-8
# plan zones: a lower-case code, names of places where codes belong).
