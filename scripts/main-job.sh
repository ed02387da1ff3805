#!/usr/bin/env bash
# main-job.sh — the office's quarterly job on the bundled sample layers:
# set up and build, create the workspace ccn.sqlite if it is missing (else
# bring it up to date, keeping its leases), and write the quarterly report
# (checks, areas, overlay, site clearance, occupancy, spreadsheet, maps,
# GeoJSON, web page) into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ccn=build/ccn
ws=ccn.sqlite
start=$EPOCHREALTIME

# The workspace is created once; later runs import only the layers that
# changed and keep the lease register (leases added since the last run stay).
bash scripts/update-workspace.sh "$ccn" "$ws"

"$ccn" report "$ws" out

# Bash's own clock: no bc, which a minimal Debian lacks.
ms=$(( (${EPOCHREALTIME/./} - ${start/./}) / 1000 ))
printf '\nDone in %d.%d s (after the build). Where to look:\n' $((ms / 1000)) $((ms % 1000 / 100))
printf '  out/web/index.html   the web page (open it from disk)\n'
printf '  out/bao_cao.docx     the report document (its PDF with LibreOffice): copy it out of out/\n'
printf '                       to edit and sign; the next run will not replace an edited one\n'
printf '  out/bao_cao.xlsx     the spreadsheet, a sheet per report\n'
printf '  out/maps/            a map per cluster and the district map (PDF, PNG)\n'
printf '  out/*.csv            each report; out/layers/*.geojson the layers\n'
printf '  %s          the workspace (open it in QGIS)\n' "$ws"
