# bench_lib.sh — what the benchmark scripts share (sourced, not run):
# timing with bash's $EPOCHREALTIME, peak memory with GNU time (Debian
# package `time`, a test package of scripts/setup.sh), ratios with awk, and a
# private PostgreSQL + PostGIS cluster (tests/pg_cluster.sh) stopped on exit.
# Benchmarks are not tests: they print ccn's time, the peer's time measured
# in the same run, and the ratio; the machine is shared, so each side keeps
# the best of RUNS runs (default 3), the two sides taking turns.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}

# bench_district N [SEED]: the build's programs as absolute paths (ccn, gen:
# ccn-gen, floor: ccn-bench-read) and a generated district of N parcels and
# its plan in data=/tmp/ccn-bench-N[-sSEED], made once and shared by the
# benchmarks. Exits 2 when the build is missing.
bench_district() {
    local build=${CCN_BUILD_DIR:-build}
    ccn=$(cd "$bench_root" && realpath -m "$build/ccn")
    gen=$(cd "$bench_root" && realpath -m "$build/tests/gen/ccn-gen")
    floor=$(cd "$bench_root" && realpath -m "$build/tests/ccn-bench-read")
    [ -x "$ccn" ] && [ -x "$gen" ] || { echo "build first: bash scripts/setup.sh" >&2; exit 2; }
    data=/tmp/ccn-bench-$1${2:+-s$2}
    mkdir -p "$data"
    chmod 755 "$data" # the PostgreSQL server (another user) reads it
    [ -f "$data/parcels.gpkg" ] && [ -f "$data/plan.gpkg" ] ||
        "$gen" district "$data" --parcels "$1" ${2:+--seed "$2"} >/dev/null
}

# bench_workspace NAME: after bench_district, the workspace $data/NAME.sqlite
# (made once, printed): the district's parcels and plan with the sample's
# clusters, lots and leases (they lie inside the district's rectangle).
bench_workspace() {
    local ws=$data/$1.sqlite step
    if [ ! -f "$ws" ]; then
        rm -f "$ws.part"
        "$ccn" init "$ws.part" --district gis >/dev/null
        for step in "$data/parcels.gpkg --as parcels" "$data/plan.gpkg --as plan" \
            "layers/clusters.gpkg --as clusters" "layers/tho_ngoc.dxf --as clusters --s-srs EPSG:5897" \
            "layers/lots.gpkg --as lots"; do
            # shellcheck disable=SC2086 # the step's words are the arguments
            "$ccn" import "$ws.part" $step -q >/dev/null
        done
        "$ccn" lease "$ws.part" import layers/leases.csv >/dev/null
        mv "$ws.part" "$ws"
    fi
    echo "$ws"
}

# seconds_since START: wall seconds since $EPOCHREALTIME was START.
seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }
# ratio A B [DIGITS]: A / B.
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b > 0) printf "%.*f", d, a / b; else print "n/a" }'; }
# min A B: the smaller number.
min_of() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }

# timed CMD...: run once, its output into a file, print "seconds peak_kB
# cpu_seconds" (peak and CPU from GNU time; "?" without it) and return its exit
# code; its output goes to stderr when that is 2 or more (a failure, not the
# findings of ccn check). CMD runs in a session of its own (setsid): Linux
# shares the CPU between sessions first (autogroup), and the PostgreSQL
# server, a daemon, has its own; on a loaded machine a command left in the
# script's session would get less CPU than the server it is compared with.
timed() {
    local start out t rc=0 m=? c=?
    out=$(mktemp)
    start=$EPOCHREALTIME
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -o "$out.time" -f "%M %U %S" setsid -w "$@" >"$out" 2>&1 || rc=$?
        t=$(seconds_since "$start")
        read -r m u s < <(tail -1 "$out.time")
        c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
    else
        setsid -w "$@" >"$out" 2>&1 || rc=$?
        t=$(seconds_since "$start")
    fi
    [ "$rc" -lt 2 ] || cat "$out" >&2
    rm -f "$out" "$out.time"
    echo "$t $m $c"
    return "$rc"
}

# pg_start: a private cluster for this run (PG_STATE, PG_URI, PG_CONN for
# ogr2ogr, pg_psql ARGS...), stopped and removed when the script exits.
pg_start() {
    PG_STATE=$(mktemp -u "${TMPDIR:-/tmp}/ccn-bench-pg.XXXXXX")
    "$bench_root/tests/pg_cluster.sh" start "$PG_STATE"
    trap 'bash "$bench_root/tests/pg_cluster.sh" stop "$PG_STATE"' EXIT
    # shellcheck disable=SC1090
    . "$PG_STATE"
    PG_CONN="PG:host=$CCN_PG_SOCKET port=$CCN_PG_PORT user=ccn dbname=ccn"
}
pg_psql() { "$bench_root/tests/pg_cluster.sh" psql "$PG_STATE" "$@"; }

machine_line() { echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"; }

# pg_server_cpu: CPU seconds the cluster's finished server processes used so
# far (the postmaster's reaped children: each client's backend ends with it).
pg_server_cpu() {
    local pid
    pid=$(head -1 "$CCN_PG_DIR/data/postmaster.pid")
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) / hz }' "/proc/$pid/stat"
}
# plus A B: A + B.
plus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
