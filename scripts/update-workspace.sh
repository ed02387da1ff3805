#!/usr/bin/env bash
# update-workspace.sh CCN WS — bring the workspace WS up to date with the
# bundled layers, keeping what the office recorded in it:
#   - WS missing: create it from gis/, import every layer and the lease register;
#   - WS there: import only the layers whose files changed since they were
#     imported (--if-changed), each replacing the part of its layer the file
#     covers (--replace). The lease register and everything else stay.
# A changed lots file that drops a leased lot is refused (exit 2): a person
# decides. gis/ is loaded when the workspace is created (ccn init).
set -euo pipefail
ccn=${1:?usage: update-workspace.sh CCN WS}
ws=${2:?usage: update-workspace.sh CCN WS}
layers=${CCN_LAYERS:-layers}
district=${CCN_DISTRICT:-gis}

new=0
if [ ! -e "$ws" ]; then
    "$ccn" init "$ws" --district "$district"
    new=1
fi
import() { "$ccn" import "$ws" "$@" --replace --if-changed -q; }
import "$layers/clusters.gpkg" --as clusters
import "$layers/tho_ngoc.dxf" --as clusters --s-srs EPSG:5897
import "$layers/lots.gpkg" --as lots
import "$layers/parcels.shp" --as parcels --encoding TCVN3
import "$layers/plan.geojson" --as plan
import "$layers/communes.gpkg" --as communes
import "$layers/markers.csv" --as markers --s-srs EPSG:5897
if [ "$new" = 1 ]; then
    "$ccn" lease "$ws" import "$layers/leases.csv"
fi
