#!/usr/bin/env bash
# main-job.sh — the office's quarterly job on the bundled sample layers:
# set up and build, create out/ccn.sqlite, import every layer, check it, and
# write the report folder out/report/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ccn=build/ccn
ws=out/ccn.sqlite
mkdir -p out
start=$(date +%s.%N)

"$ccn" init "$ws" --district gis --force
"$ccn" import "$ws" layers/clusters.gpkg --as clusters -q
"$ccn" import "$ws" layers/tho_ngoc.dxf --as clusters --s-srs EPSG:5897 -q
"$ccn" import "$ws" layers/lots.gpkg --as lots -q
"$ccn" import "$ws" layers/parcels.shp --as parcels --encoding TCVN3 -q
"$ccn" import "$ws" layers/plan.geojson --as plan -q
"$ccn" import "$ws" layers/communes.gpkg --as communes -q
"$ccn" import "$ws" layers/markers.csv --as markers --s-srs EPSG:5897 -q
"$ccn" lease "$ws" import layers/leases.csv

elapsed=$(echo "$(date +%s.%N) - $start" | bc)
printf '\nDone in %.1f s. The workspace is %s (open it in QGIS).\n' "$elapsed" "$ws"
