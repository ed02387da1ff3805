#!/usr/bin/env bash
# bench_province.sh — a province: import, `ccn check` and `ccn overlay --by
# parcel` at a district's size and at a province's (ten times as many
# parcels), on SQLite and on PostgreSQL: wall time, CPU time and peak memory
# of each, and how they grow (the issue asks < 2 GiB and time growing
# linearly). The peer of each figure is the same job at the smaller size (the
# ratio: linear growth is the ratio of sizes) and the same job on the other
# back end. Not a test.
#   tests/bench_province.sh [SMALL] [LARGE]   (defaults 300000 and 3000000)
#   BACKENDS="sqlite pg" (default both; the order they run in)
# The data are ccn-gen districts in /tmp/ccn-bench-N, made once and kept for
# the next run (a 3,000,000-parcel one covers 79 × 38 km); the server is a
# private cluster (tests/pg_cluster.sh) stopped at the end. CPU on
# PostgreSQL is the client's (ccn's) only. Each job runs once: the sizes are
# too large to repeat, so on a shared machine read the CPU column.
set -euo pipefail
# shellcheck source=tests/bench_lib.sh
. "$(dirname "$0")/bench_lib.sh"
small=${1:-300000}
large=${2:-3000000}
backends=${BACKENDS:-sqlite pg}
bench_district "$small" # checks the build

work=$(mktemp -d "${TMPDIR:-/tmp}/ccn-bench-province.XXXXXX")
chmod 755 "$work"
case " $backends " in *" pg "*) pg_start ;; esac
trap '[ -n "${PG_STATE:-}" ] && bash "$bench_root/tests/pg_cluster.sh" stop "$PG_STATE"; rm -rf "$work"' EXIT

# job LABEL CMD...: time CMD (exit 0 or 1: check exits 1 when it finds errors),
# keep wall, CPU and peak.
declare -A W C M
job() {
    local label=$1 r t m c
    shift
    r=$(timed "$@") || [ $? -eq 1 ] || { echo "$label failed" >&2; exit 1; }
    read -r t m c <<<"$r"
    W[$label]=$t C[$label]=$c M[$label]=$((m / 1024))
    printf '%-30s %8.1f s wall %8.1f s CPU %6d MiB\n' "$label" "$t" "$c" "${M[$label]}"
}

machine_line
for backend in $backends; do
    for n in "$small" "$large"; do
        bench_district "$n"
        if [ "$backend" = pg ]; then
            ws="$CCN_PG_URI&options=-csearch_path%3Dp$n"
        else
            ws=$work/p$n.sqlite
        fi
        "$ccn" init "$ws" --district "$bench_root/gis" --force >/dev/null
        job "$backend $n import parcels" "$ccn" import "$ws" "$data/parcels.gpkg" --as parcels -q
        job "$backend $n import plan" "$ccn" import "$ws" "$data/plan.gpkg" --as plan -q
        job "$backend $n check" "$ccn" check "$ws" -q -o "$work/check.csv"
        job "$backend $n overlay" "$ccn" overlay "$ws" --by parcel -q -o "$work/overlay.csv"
        echo "  findings: $(($(wc -l <"$work/check.csv") - 1)), overlay rows: $(($(wc -l <"$work/overlay.csv") - 1))"
        rm -f "$work/check.csv" "$work/overlay.csv"
        if [ "$backend" = pg ]; then
            PGOPTIONS="-c client_min_messages=warning" pg_psql -c "DROP SCHEMA p$n CASCADE" >/dev/null
        else
            rm -f "$ws"
        fi
    done
done

echo "== growth from $small to $large parcels (x$(ratio "$large" "$small" 1)), and PostgreSQL against SQLite"
for backend in $backends; do
    for j in "import parcels" check overlay; do
        s="$backend $small $j" l="$backend $large $j"
        printf '%-6s %-15s wall x%5s  CPU x%5s  peak %5d -> %5d MiB' "$backend" "$j" \
            "$(ratio "${W[$l]}" "${W[$s]}" 1)" "$(ratio "${C[$l]}" "${C[$s]}" 1)" "${M[$s]}" "${M[$l]}"
        if [ "$backend" = pg ] && [ -n "${W[sqlite $large $j]:-}" ]; then
            printf '   pg/sqlite at %s: wall %s' "$large" "$(ratio "${W[$l]}" "${W[sqlite $large $j]}")"
        fi
        echo
    done
done
