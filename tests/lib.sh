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

# The back end the workspaces of a test live in: a SQLite file (default), or
# with CCN_TEST_BACKEND=pg a schema of the private PostgreSQL cluster whose
# state file (tests/pg_cluster.sh start) is CCN_PG_STATE. Each workspace is a
# fresh schema; the cluster is dropped whole at the end, so nothing is left.
BACKEND=${CCN_TEST_BACKEND:-sqlite}
if [ "$BACKEND" = pg ]; then
    : "${CCN_PG_STATE:?CCN_TEST_BACKEND=pg needs CCN_PG_STATE (tests/pg_cluster.sh start STATE)}"
    # shellcheck disable=SC1090
    . "$CCN_PG_STATE"
    PG_PREFIX=t$$_$(date +%N)
fi
# skip_on_pg REASON: end a test that is about the SQLite file itself.
skip_on_pg() {
    if [ "$BACKEND" = pg ]; then
        echo "skipped on PostgreSQL: $*"
        exit 0
    fi
}
# The schema of a PostgreSQL workspace URI.
ws_schema() { sed -n 's/.*csearch_path%3D\([A-Za-z0-9_]*\).*/\1/p' <<<"$1"; }

# sql WS QUERY: one value from the workspace (SpatiaLite functions loaded; on
# PostgreSQL through psql, PostGIS on the search path, the SQL translated by
# tests/pg_sql.pl; beware: PostgreSQL prints the real 50.0 as 50).
sql() {
    case "$1" in
    postgres*)
        { echo "SET search_path = $(ws_schema "$1"), public;"; perl "$ROOT/tests/pg_sql.pl" <<<"$2"; } |
            "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -At -F '|' 2>/dev/null |
            sed -E 's/(^|\|)t(\||$)/\11\2/g; s/(^|\|)t(\||$)/\11\2/g;
                    s/(^|\|)f(\||$)/\10\2/g; s/(^|\|)f(\||$)/\10\2/g' ;; # booleans as SQLite's 1/0
    *) sqlite3 -batch -noheader -cmd ".load mod_spatialite" "$1" "$2" 2>/dev/null | tail -n +1 ;;
    esac
}
# sql_script WS < FILE: run a script of statements on the workspace; 0 if all ran.
sql_script() {
    case "$1" in
    postgres*)
        { echo "SET search_path = $(ws_schema "$1"), public;"; perl "$ROOT/tests/pg_sql.pl"; } |
            "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -v ON_ERROR_STOP=1 >/dev/null ;;
    *) sqlite3 -batch -cmd ".load mod_spatialite" "$1" >/dev/null ;;
    esac
}

# ws_exists WS: whether the workspace (file, or schema) is there.
ws_exists() {
    case "$1" in
    postgres*) [ "$(sql "$1" "SELECT count(*) FROM pg_namespace WHERE nspname = '$(ws_schema "$1")'")" = 1 ] ;;
    *) [ -e "$1" ] ;;
    esac
}
# ogr_ws WS: the workspace as GDAL/OGR (and QGIS) name it.
ogr_ws() {
    case "$1" in
    postgres*) echo "PG:host=$CCN_PG_SOCKET port=$CCN_PG_PORT user=ccn dbname=ccn active_schema=$(ws_schema "$1")" ;;
    *) echo "$1" ;;
    esac
}

# ws_path NAME: where the workspace NAME of this test lives (not created).
ws_path() {
    if [ "$BACKEND" = pg ]; then
        echo "$CCN_PG_URI&options=-csearch_path%3D${PG_PREFIX}_${1:-ws}"
    else
        echo "$TMP/${1:-ws}.sqlite"
    fi
}

# A fresh workspace with the repository's gis/ loaded.
new_ws() {
    local ws
    ws=$(ws_path "${1:-ws}")
    [ "$BACKEND" = pg ] || rm -f "$ws"
    "$CCN" init "$ws" --district "$ROOT/gis" --force >/dev/null || { echo "init failed" >&2; exit 3; }
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

# geojson_box X0 Y0 X1 Y1: a GeoJSON rectangle, relative to (560000, 2190000), to
# 0.01 mm in x.
geojson_box() {
    awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" 'BEGIN {
        x0 = sprintf("%.5f", 560000 + a); y0 = 2190000 + b; x1 = sprintf("%.5f", 560000 + c); y1 = 2190000 + d
        printf "{\"type\": \"Polygon\", \"coordinates\": [[[%s, %s], [%s, %s], [%s, %s], [%s, %s], [%s, %s]]]}",
            x0, y0, x1, y0, x1, y1, x0, y1, x0, y0 }'
}
# geojson_layer PROPERTIES GEOMETRY [PROPERTIES GEOMETRY]...: a GeoJSON layer in
# VN-2000 / TM-3 zone 482 (EPSG:5897), a feature per pair.
geojson_layer() {
    printf '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}}, "features": ['
    local sep=
    while [ $# -gt 0 ]; do
        printf '%s{"type": "Feature", "properties": %s, "geometry": %s}' "$sep" "$1" "$2"
        sep=', '
        shift 2
    done
    printf ']}\n'
}

# leases_and_audit WS: "LEASES INSERTS", the workspace's leases and its audit
# rows of lease inserts (a lease add writes one of each in one transaction).
leases_and_audit() {
    echo "$(sql "$1" "SELECT count(*) FROM leases")" \
        "$(sql "$1" "SELECT count(*) FROM audit WHERE tbl = 'leases' AND op = 'INSERT'")"
}

# expect_whole_copies SRC "LEASES INSERTS" PID: copy SRC into new SQLite files
# until the writer PID (adding leases) ends. The audit table is copied after
# the leases, so a copy reading each table at its own moment would hold audit
# rows of leases it does not have: every copy must hold as many new leases as
# new audit rows, and at least two copies must have run meanwhile.
expect_whole_copies() {
    local src=$1 l0 a0 l a k=0 torn=0
    read -r l0 a0 <<<"$2"
    while kill -0 "$3" 2>/dev/null || [ $k -eq 0 ]; do
        k=$((k + 1))
        "$CCN" copy "$src" "$TMP/snap$k.sqlite" -q || { bad "copy $k during the writes failed"; break; }
        read -r l a <<<"$(leases_and_audit "$TMP/snap$k.sqlite")"
        [ $((l - l0)) -eq $((a - a0)) ] || torn=$((torn + 1))
    done
    wait "$3" || bad "the writer failed"
    expect_eq "$torn" 0 "copies whose leases and audit disagree (of $k taken during the writes)"
    [ "$k" -ge 2 ] && ok || bad "only $k copy ran during the writes"
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ]
}
