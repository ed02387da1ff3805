#!/usr/bin/env bash
# bench_lease.sh — the lease register and occupancy at a scale no district
# reaches: the bundled clusters and lots, and N back-to-back 30-day leases
# spread over their industrial lots from 1901 on. Not a test: it prints
# timings and peak memory of each step.
#   tests/bench_lease.sh [LEASES]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
build=${CCN_BUILD_DIR:-build}
ccn=$build/ccn
[ -x "$ccn" ] || { echo "build first: bash scripts/setup.sh" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ws=$dir/ws.sqlite

"$ccn" init "$ws" --district gis >/dev/null
"$ccn" import "$ws" layers/clusters.gpkg --as clusters -q >/dev/null
"$ccn" import "$ws" layers/tho_ngoc.dxf --as clusters --s-srs EPSG:5897 -q >/dev/null
"$ccn" import "$ws" layers/lots.gpkg --as lots -q >/dev/null
sqlite3 -csv "$ws" "SELECT cluster, lot_no FROM lots WHERE use = 'industrial'" >"$dir/lots.csv"
python3 - "$dir/lots.csv" "$n" >"$dir/leases.csv" <<'EOF'
import csv, datetime, sys
lots = list(csv.reader(open(sys.argv[1])))
n = int(sys.argv[2])
print("cluster,lot_no,tenant,start_date,end_date,note")
day0 = datetime.date(1901, 1, 1)
for i in range(n):
    cluster, lot = lots[i % len(lots)]
    k = i // len(lots)
    s = day0 + datetime.timedelta(days=30 * k)
    e = s + datetime.timedelta(days=30)
    print(f"{cluster},{lot},Công ty số {i},{s},{e},")
EOF

timed() { # timed LABEL CMD...: prints "LABEL: seconds s, peak kB"
    local label=$1
    shift
    /usr/bin/time -f "$label: %e s, peak %M kB" "$@" 2>&1 >/dev/null | tail -1
}
echo "leases: $n over $(wc -l <"$dir/lots.csv") industrial lots"
timed "lease import" "$ccn" lease "$ws" import "$dir/leases.csv" -q
timed "lease import again (every row refused as an overlap)" \
    bash -c "'$ccn' lease '$ws' import '$dir/leases.csv' -q 2>/dev/null; true"
timed "lease add (one overlap query)" "$ccn" lease "$ws" add --cluster HT --lot CN-01 \
    --tenant X --from 2199-01-01
timed "lease list" "$ccn" lease "$ws" list --format csv
timed "occupancy by cluster" "$ccn" occupancy "$ws" --as-of 1950-06-30 --format csv -q
timed "occupancy by lot" "$ccn" occupancy "$ws" --by lot --as-of 1950-06-30 --format csv -q
timed "occupancy series 2021-Q1..2026-Q4" "$ccn" occupancy "$ws" --series quarter --format csv -q
timed "occupancy series 1901-Q1..2199-Q4 (1196 quarters)" "$ccn" occupancy "$ws" --series quarter \
    --from 1901-Q1 --to 2199-Q4 --format csv -q
timed "occupancy decree" "$ccn" occupancy "$ws" --decree --as-of 1950-06-30 --format csv -q
