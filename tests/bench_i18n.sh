#!/usr/bin/env bash
# bench_i18n.sh — what Vietnamese costs on many library messages: a lease
# register of N rows (default 20,000), every one refused with a message of its
# own (six kinds in turn, each with the row's own values: an unknown cluster,
# an unknown lot, a day that does not exist, an end before the start, no
# tenant, an overlap with a lease of the register), imported into the
# sample's workspace in English (LANGUAGE=C) and in Vietnamese
# (LANG=vi_VN.UTF-8), taking turns. Every message goes through the CLI's
# pattern table (src/cli/i18n.c). Not a test: it prints the best wall and CPU
# seconds of RUNS runs (default 5) of each and the ratio Vietnamese/English.
#   tests/bench_i18n.sh [ROWS]   Env: RUNS, CCN_BUILD_DIR (default build)
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
cd "$bench_root"
n=${1:-20000}
runs=${RUNS:-5}
ccn=$(realpath -m "${CCN_BUILD_DIR:-build}/ccn")
[ -x "$ccn" ] || { echo "build first: bash scripts/setup.sh" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ws=$dir/ws.sqlite

"$ccn" init "$ws" --district gis >/dev/null
"$ccn" import "$ws" layers/clusters.gpkg --as clusters -q >/dev/null
"$ccn" import "$ws" layers/lots.gpkg --as lots -q >/dev/null
"$ccn" lease "$ws" import layers/leases.csv >/dev/null
# the leases running now: a row from a later day overlaps one of them
sqlite3 -csv "$ws" "SELECT cluster, lot_no, start_date FROM leases WHERE end_date IS NULL" \
    >"$dir/running.csv"
python3 - "$dir/running.csv" "$n" >"$dir/bad.csv" <<'EOF'
import csv, datetime, sys
running = list(csv.reader(open(sys.argv[1])))
n = int(sys.argv[2])
print("cluster,lot_no,tenant,start_date,end_date,note")
for i in range(n):
    y = 2000 + i % 25
    kind = i % 6
    if kind == 0:  # 'X<i>' is not a cluster of the registry
        print(f"X{i},CN-01,Công ty {i},2022-01-01,,")
    elif kind == 1:  # cluster HT has no lot 'CN-<i>'
        print(f"HT,CN-{i + 100},Công ty {i},2022-01-01,,")
    elif kind == 2:  # 'y-02-30' is not a date
        print(f"HT,CN-02,Công ty {i},{y}-02-{30 + i % 2},,")
    elif kind == 3:  # the end is not after the start
        print(f"HT,CN-02,Công ty {i},{y + 1}-0{1 + i % 9}-1{i % 10},{y}-01-01,")
    elif kind == 4:  # no tenant
        print(f"HT,CN-03,  ,{y}-01-01,,r{i}")
    else:  # overlaps a lease of the register
        cluster, lot, start = running[i % len(running)]
        day = datetime.date.fromisoformat(start) + datetime.timedelta(days=1 + i)
        print(f"{cluster},{lot},Công ty {i},{day},,")
EOF

import_as() { # import_as ENV: "seconds cpu_seconds" (every row refused: exit 2)
    /usr/bin/time -o "$dir/time" -f "%e %U %S" env "$1" "$ccn" lease "$ws" import "$dir/bad.csv" \
        >/dev/null 2>&1 || true
    tail -1 "$dir/time" | awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }'
}
# every row refused (some for two problems: a row of a leased lot can overlap too)
said=$(LANGUAGE=C "$ccn" lease "$ws" import "$dir/bad.csv" 2>&1 >/dev/null | tail -1 || true)
[[ "$said" == *": $n of $n rows refused"* ]] || { echo "not every row refused: $said" >&2; exit 3; }
t_en= c_en= t_vi= c_vi=
for _ in $(seq "$runs"); do
    read -r t c < <(import_as LANGUAGE=C)
    t_en=$(min_of "$t" "$t_en") c_en=$(min_of "$c" "$c_en")
    read -r t c < <(import_as LANG=vi_VN.UTF-8)
    t_vi=$(min_of "$t" "$t_vi") c_vi=$(min_of "$c" "$c_vi")
done
machine_line
echo "lease import of $n bad rows, best of $runs: English $t_en s (CPU $c_en s)," \
    "Vietnamese $t_vi s (CPU $c_vi s); Vietnamese/English $(ratio "$t_vi" "$t_en") (CPU $(ratio "$c_vi" "$c_en"))"
