#!/usr/bin/env bash
# bench_backends.sh — the same ccn commands on a SQLite workspace and on a
# PostgreSQL one (a private cluster, tests/pg_cluster.sh): import of the
# parcels, check, overlay --by parcel, areas. Not a test: it prints each
# command's time and peak memory (of ccn; the server's is its own) on both
# back ends and the ratio PostgreSQL/SQLite, and checks that both gave the
# same answer (same output, byte for byte).
#   tests/bench_backends.sh [PARCELS]   (default 320000; data cached in /tmp/ccn-bench-N)
# Env: CCN_BUILD_DIR (build), PG_STATE (a running cluster's state file; else
# one is started here and stopped at the end).
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"
cd "$bench_root"
n=${1:-320000}
bench_district "$n"

work=$(mktemp -d)
state=${PG_STATE:-}
if [ -z "$state" ]; then
    state=$work/pg.state
    tests/pg_cluster.sh start "$state"
    trap 'tests/pg_cluster.sh stop "$state"; rm -rf "$work"' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi
# shellcheck disable=SC1090
. "$state"
sqlite_ws=$work/ccn.sqlite
pg_ws="$CCN_PG_URI&options=-csearch_path%3Dbench_$n"

timed_to() { # timed_to OUT CMD...: stdout to OUT; prints "seconds peak_kB"
    local out=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$out" 2>"$work/err" ||
        [ $? = 1 ] || { cat "$work/err" >&2; exit 3; }
    tail -1 "$work/time" # (after "Command exited with non-zero status 1" for check)
}
line() { printf '%-26s %8s s %8s MiB   %8s s %8s MiB   %6s\n' "$@"; }
mib() { echo $(($1 / 1024)); }

"$ccn" init "$sqlite_ws" --district gis >/dev/null
"$ccn" init "$pg_ws" --district gis --force >/dev/null
echo "parcels: $n ($(nproc) cores); $(/usr/lib/postgresql/15/bin/postgres --version)"
line "" "SQLite" "" "PostgreSQL" "" "PG/SL"
step() { # step LABEL ARGS...: the command on both workspaces (WS stands for it)
    local label=$1; shift
    local a=() b=() arg # (not ${@/WS/…}: bash 5.2 reads & in the URI as the match)
    for arg in "$@"; do
        if [ "$arg" = WS ]; then a+=("$sqlite_ws") b+=("$pg_ws"); else a+=("$arg") b+=("$arg"); fi
    done
    read -r t1 m1 < <(timed_to "$work/sl.out" "$ccn" "${a[@]}")
    read -r t2 m2 < <(timed_to "$work/pg.out" "$ccn" "${b[@]}")
    line "$label" "$t1" "$(mib "$m1")" "$t2" "$(mib "$m2")" "$(ratio "$t2" "$t1")"
    case $label in import* | export*) return ;; esac
    if ! cmp -s "$work/sl.out" "$work/pg.out"; then
        echo "  the two outputs differ:" >&2
        diff "$work/sl.out" "$work/pg.out" | head -5 >&2
    fi
}
step "import parcels" import WS "$data/parcels.gpkg" --as parcels -q
step "import plan" import WS "$data/plan.gpkg" --as plan -q
"$ccn" import "$sqlite_ws" layers/clusters.gpkg --as clusters -q >/dev/null
"$ccn" import "$pg_ws" layers/clusters.gpkg --as clusters -q >/dev/null
step "check" check WS --format csv -q
step "overlay --by parcel" overlay WS --by parcel --format csv -q
step "parcels (clearance)" parcels WS --format csv -q
step "export parcels GeoJSON" export WS "$work/p.geojson" --layer parcels -q
