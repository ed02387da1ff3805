#!/usr/bin/env bash
# bench_province.sh — a province on PostgreSQL: import, `ccn check` and
# `ccn overlay --by parcel` at a district's size and at a province's (ten
# times as many parcels), time and peak memory of each, and how time grows
# (the issue asks < 2 GiB and linear growth). The same jobs on a SQLite
# workspace at the smaller size are the peer. Not a test.
#   tests/bench_province.sh [SMALL] [LARGE]   (defaults 300000 and 3000000)
# The data are ccn-gen districts (a 3,000,000-parcel one covers 55 × 55 km,
# the size of a province's built-up lowland); the server is a private
# cluster (tests/pg_cluster.sh) in a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-300000}
large=${2:-3000000}
build=${CCN_BUILD_DIR:-build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
ccn=$build/ccn
gen=$build/tests/gen/ccn-gen
[ -x "$ccn" ] && [ -x "$gen" ] || { echo "build first (cmake --build $build)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ccn-bench-province.XXXXXX")
chmod 755 "$work"
state=$work/pg.state
trap 'tests/pg_cluster.sh stop "$state" || true; rm -rf "$work"' EXIT
tests/pg_cluster.sh start "$state"
# shellcheck disable=SC1090
. "$state"

# timed LABEL CMD...: run once, print "LABEL seconds peak_MiB", keep the figures.
declare -A T M
timed() {
    local label=$1 t m
    shift
    read -r t m < <(/usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1)
    T[$label]=$t M[$label]=$((m / 1024))
    printf '%-28s %9.1f s %7d MiB\n' "$label" "$t" "$((m / 1024))"
}

run_size() {
    local n=$1 backend=$2 data=/tmp/ccn-bench-$1 ws
    [ -f "$data/parcels.gpkg" ] && [ -f "$data/plan.gpkg" ] || "$gen" district "$data" --parcels "$n" >/dev/null
    if [ "$backend" = pg ]; then
        ws="$CCN_PG_URI&options=-csearch_path%3Dp$n"
    else
        ws=$work/p$n.sqlite
    fi
    "$ccn" init "$ws" --district gis --force >/dev/null
    timed "$backend $n import parcels" "$ccn" import "$ws" "$data/parcels.gpkg" --as parcels -q
    timed "$backend $n import plan" "$ccn" import "$ws" "$data/plan.gpkg" --as plan -q
    timed "$backend $n check" "$ccn" check "$ws" -q
    timed "$backend $n overlay" "$ccn" overlay "$ws" --by parcel -q -o "$work/overlay-$backend-$n.csv"
    echo "  overlay rows: $(($(wc -l <"$work/overlay-$backend-$n.csv") - 1))"
    rm -f "$work/overlay-$backend-$n.csv"
}

echo "== $small parcels"
run_size "$small" sqlite
run_size "$small" pg
echo "== $large parcels"
run_size "$large" pg
rm -rf "/tmp/ccn-bench-$large"

echo "== PostgreSQL against SQLite at $small, and growth from $small to $large (x$((large / small)) parcels)"
for job in "import parcels" check overlay; do
    s=${T["sqlite $small $job"]} p=${T["pg $small $job"]} l=${T["pg $large $job"]}
    printf '%-16s pg/sqlite %5.2f   time x%5.1f   peak %d -> %d MiB\n' "$job" \
        "$(awk -v a="$p" -v b="$s" 'BEGIN { print a / b }')" \
        "$(awk -v a="$l" -v b="$p" 'BEGIN { print a / b }')" \
        "${M["pg $small $job"]}" "${M["pg $large $job"]}"
done
