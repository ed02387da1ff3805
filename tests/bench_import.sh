#!/usr/bin/env bash
# bench_import.sh — import of district-scale parcels: ccn vs ogr2ogr into
# SpatiaLite, side by side on the same generated GeoPackage. Not a test: it
# prints timings, peak memory and the ratio (the issue asks for <= 1.5).
#   tests/bench_import.sh [PARCELS]   (default 300000; data cached in /tmp/ccn-bench-N)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300000}
build=${CCN_BUILD_DIR:-build}
ccn=$build/ccn
gen=$build/tests/gen/ccn-gen
data=/tmp/ccn-bench-$n
[ -x "$ccn" ] && [ -x "$gen" ] || { echo "build first: bash scripts/setup.sh" >&2; exit 2; }
[ -f "$data/parcels.gpkg" ] || "$gen" district "$data" --parcels "$n" >/dev/null

timed() { # timed LABEL CMD...: prints "LABEL seconds peak_kB"
    local label=$1; shift
    /usr/bin/time -f "$label %e %M" "$@" 2>&1 >/dev/null | tail -1
}
rm -f "$data/ccn.sqlite" "$data/ogr.sqlite"
"$ccn" init "$data/ccn.sqlite" --district gis >/dev/null
read -r _ t_ccn m_ccn < <(timed ccn "$ccn" import "$data/ccn.sqlite" "$data/parcels.gpkg" --as parcels -q)
read -r _ t_ogr m_ogr < <(timed ogr2ogr ogr2ogr -f SQLite -dsco SPATIALITE=YES "$data/ogr.sqlite" "$data/parcels.gpkg" -nln parcels)
echo "parcels:            $n"
echo "ccn import:         ${t_ccn} s, peak ${m_ccn} kB (spatial index and layer statistics included)"
echo "ogr2ogr SpatiaLite: ${t_ogr} s, peak ${m_ogr} kB"
echo "ratio ccn/ogr2ogr:  $(echo "scale=2; $t_ccn / $t_ogr" | bc)  (target <= 1.5)"
