#!/usr/bin/env bash
# bench_questions.sh — the questions about one cluster or one parcel on a
# district-scale workspace (issue 15 asks each under 0.1 s, start-up
# included): `ccn areas`, `overlay --cluster`, `occupancy`, `lookup` with and
# without --commune, beside `ccn --version` and `ccn areas` on an empty
# workspace (what start-up alone costs). Not a test: it prints each one's
# best wall time of RUNS (default 5) and its CPU time.
#   tests/bench_questions.sh [PARCELS] [SEED]  (default 320000; data cached in
#   /tmp/ccn-bench-N[-sSEED])
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
cd "$bench_root"
runs=${RUNS:-5}
n=${1:-320000}
seed=${2:-}
bench_district "$n" "$seed"
ws=$(bench_workspace questions)
empty=$data/empty.sqlite
[ -f "$empty" ] || "$ccn" init "$empty" --district gis >/dev/null
# A sheet and parcel number that only one commune has, so that lookup
# without --commune finds the parcel too (not the list of communes to choose).
read -r commune sheet parcel < <(sqlite3 -separator ' ' "$ws" "SELECT min(commune), sheet, parcel_no
    FROM parcels GROUP BY sheet, parcel_no HAVING count(*) = 1 ORDER BY sheet DESC LIMIT 1")

best() { # best CMD...: "wall cpu" of the fastest of $runs runs
    local t c bt= bc=
    for _ in $(seq "$runs"); do
        read -r t _ c < <(timed "$@" || true)
        if [ -z "$bt" ] || [ "$(min_of "$t" "$bt")" = "$t" ]; then bt=$t bc=$c; fi
    done
    echo "$bt s wall, $bc s CPU"
}
echo "parcels:                        $(sqlite3 "$ws" 'SELECT count(*) FROM parcels')${seed:+ (seed $seed)}, best of $runs runs"
machine_line
echo "ccn --version:                  $(best "$ccn" --version)"
echo "ccn areas (empty workspace):    $(best "$ccn" areas "$empty" 2>/dev/null)  (refused: no clusters; start-up and the workspace opened)"
echo "ccn areas:                      $(best "$ccn" areas "$ws")"
echo "ccn overlay --cluster HT:       $(best "$ccn" overlay "$ws" --cluster HT)"
echo "ccn occupancy:                  $(best "$ccn" occupancy "$ws")"
echo "ccn lookup --commune:           $(best "$ccn" lookup "$ws" --commune "$commune" --sheet "$sheet" --parcel "$parcel")"
echo "ccn lookup (sheet, parcel):     $(best "$ccn" lookup "$ws" --sheet "$sheet" --parcel "$parcel")"
echo "(target: each under 0.1 s wall)"
