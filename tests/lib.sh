# lib.sh — helpers for the CLI tests. A test sources this with the ccn
# binary as $1 (and ccn-gen as $2), runs commands through `run`, and asserts
# on $out, $err and $rc. It ends with `finish`, which prints the summary.
set -u
CCN=${1:?usage: test.sh CCN [CCN_GEN]}
CCN_GEN=${2:-}
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$TESTS_DIR/.." && pwd)
DATA=$TESTS_DIR/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0 out= err= rc=0

# run CMD ARGS...: capture stdout, stderr and the exit code.
run() {
    "$@" >"$TMP/.out" 2>"$TMP/.err"
    rc=$?
    out=$(cat "$TMP/.out")
    err=$(cat "$TMP/.err")
}

ok() { passed=$((passed + 1)); }
bad() {
    failed=$((failed + 1))
    echo "FAIL (${BASH_LINENO[1]}): $*" >&2
    echo "  stdout: ${out:0:600}" >&2
    echo "  stderr: ${err:0:600}" >&2
}

expect_rc() { [ "$rc" = "$1" ] && ok || bad "exit code $rc, expected $1"; }
expect_out() { grep -qF -- "$1" <<<"$out" && ok || bad "stdout lacks '$1'"; }
expect_err() { grep -qF -- "$1" <<<"$err" && ok || bad "stderr lacks '$1'"; }
expect_eq() { [ "$1" = "$2" ] && ok || bad "'$1' != '$2' ${3:-}"; }
# expect_near A B TOL: |A - B| <= TOL
expect_near() {
    awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }' \
        && ok || bad "$1 != $2 within $3 ${4:-}"
}

# sql WS QUERY: one value from the workspace (SpatiaLite functions loaded).
sql() { sqlite3 -batch -noheader -cmd ".load mod_spatialite" "$1" "$2" 2>/dev/null | tail -n +1; }

# A fresh workspace with the repository's gis/ loaded.
new_ws() {
    local ws=$TMP/${1:-ws}.sqlite
    rm -f "$ws"
    "$CCN" init "$ws" --district "$ROOT/gis" >/dev/null || { echo "init failed" >&2; exit 3; }
    echo "$ws"
}

# A workspace holding every bundled sample layer and the lease register, as
# the main job builds it; any failed step ends the test (exit 3).
sample_ws() {
    local ws L=$ROOT/layers
    ws=$(new_ws "${1:-sample}") || exit 3
    local step
    for step in "$L/clusters.gpkg --as clusters" "$L/tho_ngoc.dxf --as clusters --s-srs EPSG:5897" \
        "$L/lots.gpkg --as lots" "$L/parcels.shp --as parcels --encoding TCVN3" \
        "$L/plan.geojson --as plan" "$L/communes.gpkg --as communes" \
        "$L/markers.csv --as markers --s-srs EPSG:5897"; do
        # shellcheck disable=SC2086 # the step's words are the arguments
        "$CCN" import "$ws" $step -q >/dev/null || { echo "import $step failed" >&2; exit 3; }
    done
    "$CCN" lease "$ws" import "$L/leases.csv" >/dev/null || { echo "lease import failed" >&2; exit 3; }
    echo "$ws"
}

# csv_field CSV_TEXT ROW_MATCH COLUMN_NAME: the named column of the first row containing ROW_MATCH.
csv_field() {
    awk -F, -v m="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next }
        index($0, m) && k { print $k; exit }' <<<"$1"
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
}
