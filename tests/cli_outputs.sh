#!/usr/bin/env bash
# What ccn writes, whatever the workspace holds: CSV cells that a
# spreadsheet would run as formulas are quoted with an apostrophe (OWASP),
# numbers stay numbers; a huge number is written in full; ill-formed UTF-8
# becomes U+FFFD in CSV, JSON, GeoJSON and a well-formed workbook; file
# names made from cluster codes stay in their folder; every output goes
# through a temporary name that never follows a planted link and that a
# signal, or the next run after a kill, removes; exporting into an existing
# GeoPackage adds or replaces its own layer only.
source "$(dirname "$0")/lib.sh"
ws=$(new_ws)
d=$DATA/export
for layer in clusters lots parcels plan communes; do
    "$CCN" import "$ws" "$d/$layer.geojson" --as "$layer" -q >/dev/null || exit 3
done
sql_script "$ws" <"$d/leases.sql" || exit 3
sqlw() { sql_script "$1" <<<"$2"; }

# ---- CSV injection: text cells beginning with = + - @ TAB CR get a leading '
# The fixture's running leases on 2024-07-01: CN-01, CN-02, CN-05 of HT.
sqlw "$ws" "UPDATE leases SET tenant = '=HYPERLINK(\"http://x\",\"y\")' WHERE lot_no = 'CN-01';
            UPDATE leases SET tenant = '-2+3' WHERE lot_no = 'CN-02';
            UPDATE leases SET tenant = '@SUM(A1)' WHERE lot_no = 'CN-05';"
run "$CCN" occupancy "$ws" --by lot --as-of 2024-07-01 --format csv
expect_rc 0
expect_out "HT,CN-01,industrial,84000.000,true,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",2022-03-01,"
expect_out "HT,CN-02,industrial,84000.000,true,\"'-2+3\",2023-01-01,2025-12-31"
expect_out "HT,CN-05,industrial,84000.000,true,\"'@SUM(A1)\",2024-07-01,"
sqlw "$ws" "UPDATE leases SET tenant = '+1' WHERE lot_no = 'CN-01';"
"$CCN" occupancy "$ws" --by lot --as-of 2024-07-01 -o "$TMP/lots.csv"
grep -qF "HT,CN-01,industrial,84000.000,true,\"'+1\",2022-03-01," "$TMP/lots.csv" && ok ||
    bad "-o CSV: '+1' not quoted"
sqlw "$ws" "UPDATE leases SET tenant = char(9) || 'tab' WHERE lot_no = 'CN-01';"
run "$CCN" occupancy "$ws" --by lot --as-of 2024-07-01 --format csv
expect_out "HT,CN-01,industrial,84000.000,true,\"'	tab\",2022-03-01,"
# JSON keeps the text as it is; a negative number stays a number: HT is
# 70 ha; planned 75: deviation (70-75)/75 = -6.6667 %.
run "$CCN" occupancy "$ws" --by lot --as-of 2024-07-01 --format json
expect_out '"tenant": "\u0009tab"'
# The text table keeps each row on one line: a control character in a cell
# is shown as its escape (a tenant typed over two lines broke its row in
# two), the columns still aligned.
sqlw "$ws" "UPDATE leases SET tenant = 'Công ty A' || char(10) || 'chi nhánh' WHERE lot_no = 'CN-01';"
run "$CCN" occupancy "$ws" --by lot --as-of 2024-07-01 --format table
expect_out 'Công ty A\nchi nhánh'
expect_eq "$(grep -c 'chi nhánh' <<<"$out")" 1 "(one line for the row)"
/usr/bin/python3 -c 'import sys; rows = sys.stdin.read().splitlines(); at = rows[0].index("lease_start")
assert [r[at:at + 10] for r in rows if "CN-0" in r][:2] == ["2022-03-01", "2023-01-01"], rows' <<<"$out" && ok ||
    bad "the table's lease_start column is not aligned"
sqlw "$ws" "UPDATE leases SET tenant = char(9) || 'tab' WHERE lot_no = 'CN-01';"
sqlw "$ws" "UPDATE clusters SET planned_ha = 75 WHERE code = 'HT';"
run "$CCN" areas "$ws" --format csv
expect_eq "$(csv_field "$out" "HT," deviation_pct)" "-6.6667" "(a negative number is not quoted)"

# ---- a number of 309 digits, in full: planned_ha = 1e308 (no input path
# must let it in; the output must not cut it or overflow whatever is stored).
sqlw "$ws" "UPDATE clusters SET planned_ha = 1e308 WHERE code = 'NUA';"
run "$CCN" areas "$ws" --format csv
expect_rc 0
want=$(awk 'BEGIN { printf "%.2f", 1e308 }')   # awk's double, not ccn's code
expect_eq "$(csv_field "$out" "NUA," planned_ha)" "$want" "(1e308 in full)"
expect_eq "${#want}" "312" "(309 digits, the point, 2 decimals)"
run "$CCN" areas "$ws" --format json
expect_out "\"planned_ha\": $want,"
sqlw "$ws" "UPDATE clusters SET planned_ha = 21.5 WHERE code = 'NUA';"

# ---- -o without --format: JSON into a file named .json (as GDAL's tools
# take the format from the name; it was CSV in a .json file), CSV otherwise
run "$CCN" areas "$ws" --format json
json_out=$out
run "$CCN" areas "$ws" -o "$TMP/areas.JSON"
expect_rc 0
expect_eq "$(cat "$TMP/areas.JSON")" "$json_out" "(-o areas.JSON is the --format json output)"
/usr/bin/python3 -c 'import json, sys; rows = json.load(open(sys.argv[1])); assert rows[0]["code"], rows' \
    "$TMP/areas.JSON" && ok || bad "areas.JSON is not JSON"
run "$CCN" areas "$ws" -o "$TMP/areas.out"
expect_eq "$(head -1 "$TMP/areas.out")" "code,name,status,planned_ha,area_m2,area_ha,ellipsoidal_m2,deviation_pct"
run "$CCN" areas "$ws" -o "$TMP/areas2.json" --format csv
expect_eq "$(head -1 "$TMP/areas2.json")" "code,name,status,planned_ha,area_m2,area_ha,ellipsoidal_m2,deviation_pct"

# ---- ill-formed UTF-8 in stored text: U+FFFD in every output
# (PostgreSQL refuses ill-formed UTF-8 in text, so there it cannot be stored.)
if [ "$BACKEND" = sqlite ]; then
    sqlw "$ws" "UPDATE leases SET tenant = CAST(X'41FF42FE' AS TEXT) WHERE lot_no = 'CN-01';"
    fffd=$(printf 'A\xef\xbf\xbdB\xef\xbf\xbd')
    run "$CCN" occupancy "$ws" --by lot --as-of 2024-07-01 --format csv
    expect_out "HT,CN-01,industrial,84000.000,true,$fffd,2022-03-01,"
    iconv -f UTF-8 -t UTF-8 <"$TMP/.out" >/dev/null && ok || bad "CSV is not valid UTF-8"
    run "$CCN" occupancy "$ws" --by lot --as-of 2024-07-01 --format json
    expect_out "\"tenant\": \"$fffd\""
    iconv -f UTF-8 -t UTF-8 <"$TMP/.out" >/dev/null && ok || bad "JSON is not valid UTF-8"
    run "$CCN" export "$ws" "$TMP/lots.geojson" --layer lots --as-of 2024-07-01
    expect_rc 0
    iconv -f UTF-8 -t UTF-8 <"$TMP/lots.geojson" >/dev/null && ok || bad "GeoJSON is not valid UTF-8"
    grep -qF "\"tenant\":\"$fffd\"" "$TMP/lots.geojson" && ok || bad "GeoJSON tenant not repaired"
    run "$CCN" export "$ws" "$TMP/lots.gpkg" --layer lots --as-of 2024-07-01
    run ogrinfo -ro -q "$TMP/lots.gpkg" lots -where "lot_no = 'CN-01'"
    expect_out "tenant (String) = $fffd"

    # The report's workbook: GDAL's XLSX reader (expat) refuses ill-formed XML.
    run "$CCN" report "$ws" "$TMP/rep" --as-of 2024-07-01 -q
    expect_rc 0
    run ogrinfo -ro -q "$TMP/rep/bao_cao.xlsx" "Lấp đầy theo lô"
    expect_rc 0
    expect_out "$fffd"
    iconv -f UTF-8 -t UTF-8 <"$TMP/rep/occupancy_by_lot.csv" >/dev/null && ok ||
        bad "occupancy_by_lot.csv is not valid UTF-8"
fi

# ---- path traversal: a cluster code names map files inside maps/ only
bad_code='../../../X'
hash=$(printf '%s' "$bad_code" | sha256sum | cut -c1-8)
sqlw "$ws" "UPDATE clusters SET code = '$bad_code' WHERE code = 'NUA';
            UPDATE lots SET cluster = '$bad_code' WHERE cluster = 'NUA';"
mkdir -p "$TMP/a/b/c"
run "$CCN" report "$ws" "$TMP/a/b/c/rep" --as-of 2024-07-01 -q
expect_rc 0
[ -s "$TMP/a/b/c/rep/maps/_________X-$hash.pdf" ] && ok || bad "no map _________X-$hash.pdf: $(ls "$TMP/a/b/c/rep/maps")"
[ -s "$TMP/a/b/c/rep/maps/_________X-$hash.png" ] && ok || bad "no map _________X-$hash.png"
expect_eq "$(find "$TMP" -name 'X.p*' | wc -l)" "0" "(a map written outside its folder)"
sqlw "$ws" "UPDATE clusters SET code = 'NUA' WHERE code = '$bad_code';
            UPDATE lots SET cluster = 'NUA' WHERE cluster = '$bad_code';"

# ---- temporary names: a link planted at the next temporary name (this
# process's pid, kept by exec) and at the name older ccn used is not
# followed; the victim is unchanged, the links stay, the output is whole.
CCN=$(readlink -f "$CCN")
echo "victim" >"$TMP/victim.txt"
mkdir -p "$TMP/o"
bash -c 'cd "$1" && ln -s ../victim.txt ".out.geojson.ccn-tmp-$$-0" &&
         ln -s ../victim.txt "out.geojson.tmp$$" &&
         exec "$2" export "$3" out.geojson --layer clusters -q' _ "$TMP/o" "$CCN" "$ws" \
    >"$TMP/.out" 2>"$TMP/.err"
rc=$?
expect_rc 0
expect_eq "$(cat "$TMP/victim.txt")" "victim" "(the link's target was written)"
expect_eq "$(find "$TMP/o" -type l | wc -l)" "2" "(the planted links)"
grep -q '"FeatureCollection"' "$TMP/o/out.geojson" && ok || bad "out.geojson not written"
bash -c 'cd "$1" && ln -s ../victim.txt ".lots.csv.ccn-tmp-$$-0" &&
         exec "$2" occupancy "$3" --by lot -o lots.csv' _ "$TMP/o" "$CCN" "$ws" >/dev/null 2>&1
expect_eq "$(cat "$TMP/victim.txt")" "victim" "(-o followed a link)"
mkdir -p "$TMP/victim_dir"
bash -c 'cd "$1" && ln -s ../victim_dir ".out.gpkg.ccn-tmp-$$-0" &&
         ln -s ../victim_dir ".out.png.ccn-tmp-$$-0" &&
         "$2" export "$3" out.gpkg --layer clusters -q && exec "$2" map "$3" --cluster HT -o out.png' \
    _ "$TMP/o" "$CCN" "$ws" >/dev/null 2>&1
expect_eq "$(ls -A "$TMP/victim_dir" | wc -l)" "0" "(a library wrote through a planted link)"
[ -s "$TMP/o/out.gpkg" ] && [ -s "$TMP/o/out.png" ] && ok || bad "out.gpkg / out.png not written"
expect_eq "$(ls -A "$TMP/o" | grep -c 'ccn-tmp' )" "4" "(only the planted links)"
find "$TMP/o" -type l -delete

# ---- export into an existing GeoPackage: its own layer added or replaced
gp=$TMP/o/two.gpkg
"$CCN" export "$ws" "$gp" --layer clusters -q >/dev/null
"$CCN" export "$ws" "$gp" --layer lots -q >/dev/null
run ogrinfo -ro -q "$gp"
expect_out "clusters (Multi Polygon)"
expect_out "lots (Multi Polygon)"
run "$CCN" export "$ws" "$gp" --layer clusters --cluster HT
expect_rc 0
run ogrinfo -ro -so "$gp" clusters
expect_out "Feature Count: 1"
run ogrinfo -ro -so "$gp" lots
expect_out "Feature Count: $(sql "$ws" "SELECT count(*) FROM lots")"
expect_eq "$(sqlite3 "$gp" "SELECT group_concat(f_table_name) FROM (SELECT f_table_name FROM layer_styles
    WHERE styleName = 'ccn' ORDER BY f_table_name) AS t")" "clusters,lots" "(one style a layer)"
# A GeoPackage in WAL mode (as QGIS leaves one it edits): what its -wal holds
# is part of it. A writer killed with its edit in the -wal: the export keeps
# the edit (the copy took the file alone, and the old -wal beside the new
# file made it "database disk image is malformed"); one open in another
# program is refused, exit 2, the GeoPackage as it was.
wal_edit() { # wal_edit GPKG HOLD: delete 'mine' rows 3.., then die (0) or stay HOLD s
    /usr/bin/python3 -c 'import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode = WAL"); db.execute("PRAGMA wal_autocheckpoint = 0")
db.execute("DELETE FROM mine WHERE fid > 2")
print("edited", flush=True)
if float(sys.argv[2]) == 0: os._exit(0)  # as a killed QGIS: no checkpoint
time.sleep(float(sys.argv[2]))' "$@"
}
wg=$TMP/o/wal.gpkg
"$CCN" export "$ws" "$wg" --layer clusters -q >/dev/null
ogr2ogr -update "$wg" "$d/lots.geojson" -nln mine
expect_eq "$(wal_edit "$wg" 0)" "edited"
[ -s "$wg-wal" ] && ok || bad "no -wal left by the killed writer"
run "$CCN" export "$ws" "$wg" --layer lots
expect_rc 0
expect_eq "$(sqlite3 "$wg" "PRAGMA integrity_check")" "ok" "(the GeoPackage after the export)"
expect_eq "$(sqlite3 "$wg" "SELECT count(*) FROM mine")" 2 "(the edit in the -wal)"
expect_eq "$(sqlite3 "$wg" "SELECT group_concat(table_name) FROM (SELECT table_name FROM gpkg_contents ORDER BY 1) t")" "clusters,layer_styles,lots,mine"
wal_edit "$wg" 6 >"$TMP/held" &
held=$!
for _ in $(seq 1 100); do grep -q edited "$TMP/held" && break; sleep 0.05; done
before=$(sha256sum <"$wg")
run "$CCN" export "$ws" "$wg" --layer plan
expect_rc 2
expect_err "cannot write '$wg': it is open in another program (QGIS?)"
expect_eq "$(sha256sum <"$wg")" "$before" "(the GeoPackage open elsewhere)"
kill $held 2>/dev/null
wait $held 2>/dev/null
expect_eq "$(sqlite3 "$wg" "PRAGMA integrity_check")" "ok"
echo "not a geopackage" >"$TMP/o/text.gpkg"
run "$CCN" export "$ws" "$TMP/o/text.gpkg" --layer clusters
expect_rc 2
expect_eq "$(cat "$TMP/o/text.gpkg")" "not a geopackage" "(a file that is not a GeoPackage was replaced)"
# GeoJSON and shapefile are replaced whole.
"$CCN" export "$ws" "$TMP/o/c.geojson" --layer clusters -q >/dev/null
"$CCN" export "$ws" "$TMP/o/c.geojson" --layer clusters --cluster HT -q >/dev/null
expect_eq "$(grep -o '"type":"Feature"' "$TMP/o/c.geojson" | wc -l)" "1" "(geojson replaced)"

# ---- killed runs (the test hook ends the process as SIGKILL would, after
# the first feature): each leaves its temporary name; the next run in the
# folder removes those of processes that are gone.
CCN_TEST_KILL_AT=1 "$CCN" export "$ws" "$TMP/o/k.geojson" --layer lots >/dev/null 2>&1
expect_eq "$(ls -A "$TMP/o" | grep -c '^\.k\.geojson\.ccn-tmp-')" "1" "(the killed export's file)"
CCN_TEST_KILL_AT=1 "$CCN" export "$ws" "$TMP/o/k.shp" --layer lots >/dev/null 2>&1
expect_eq "$(ls -A "$TMP/o" | grep 'ccn-tmp' | sed 's/-[0-9]*-0$//')" ".k.shp.ccn-tmp" \
    "(the shapefile's folder left, the GeoJSON's removed)"
CCN_TEST_KILL_AT=5 "$CCN" report "$ws" "$TMP/o/rep" --as-of 2024-07-01 >/dev/null 2>&1
expect_eq "$(ls -A "$TMP/o" | grep 'ccn-tmp' | sed 's/-[0-9]*-0$//')" ".rep.ccn-tmp" \
    "(the report's folder left)"
run "$CCN" export "$ws" "$TMP/o/k.geojson" --layer lots -q
expect_rc 0
expect_eq "$(ls -A "$TMP/o" | grep -c 'ccn-tmp')" "0" "(the next run cleaned the folder)"
[ ! -e "$TMP/o/rep" ] && ok || bad "a killed report left its folder"

if [ -n "$CCN_GEN" ]; then
    # A layer large enough to be caught in the middle: 25,000 parcels.
    "$CCN_GEN" district "$TMP/big" --parcels 25000 >/dev/null
    big=$(new_ws big)
    "$CCN" import "$big" "$TMP/big/parcels.gpkg" --as parcels -q >/dev/null
    mkdir -p "$TMP/s"
    echo "old" >"$TMP/s/p.geojson"
    # The test hook stops the export after 5,000 parcels until the signal
    # comes: it cannot have finished first, however fast the machine (it
    # once did, in CI, with a timed wait instead).
    for sig in TERM KILL; do
        CCN_TEST_PAUSE_AT=5000 "$CCN" export "$big" "$TMP/s/p.geojson" --layer parcels -q \
            >/dev/null 2>&1 &
        pid=$!
        for _ in $(seq 1 3000); do # until its temporary file is there and written to
            f=$(ls -A "$TMP/s" | grep 'ccn-tmp' | head -1)
            [ -n "$f" ] && [ -s "$TMP/s/$f" ] && break
            sleep 0.01
        done
        [ -n "$f" ] && [ -s "$TMP/s/$f" ] && ok || bad "($sig) no temporary file written to"
        kill -$sig $pid
        { wait $pid; } 2>/dev/null # no "Killed" from the shell
        rc=$?
        [ $sig = TERM ] && expect_eq "$rc" "143" "(ended by SIGTERM)"
        [ $sig = TERM ] && expect_eq "$(ls -A "$TMP/s" | grep -c 'ccn-tmp')" "0" "(SIGTERM left a temporary file)"
        [ $sig = KILL ] && expect_eq "$(ls -A "$TMP/s" | grep -c 'ccn-tmp')" "1" "(SIGKILL: the file stays)"
        expect_eq "$(cat "$TMP/s/p.geojson")" "old" "(the target changed under a killed export)"
    done
    run "$CCN" export "$big" "$TMP/s/p.geojson" --layer parcels -q
    expect_rc 0
    expect_eq "$(ls -A "$TMP/s")" "p.geojson" "(the next run left a clean folder)"
    expect_eq "$(grep -o '"type":"Feature"' "$TMP/s/p.geojson" | wc -l)" "25000"
else
    echo "SKIP: ccn-gen absent: no export killed mid-run"
fi

# A target that is not a regular file (`-o /dev/null`, a FIFO) is written in
# place: renaming a temporary file over it once replaced this machine's /dev/null.
mkfifo "$TMP/fifo"
timeout 60 cat "$TMP/fifo" >"$TMP/from_fifo" &
reader=$!
run "$CCN" areas "$ws" -o "$TMP/fifo" --format csv -q
expect_rc 0
wait $reader
[ -p "$TMP/fifo" ] && ok || bad "the FIFO was replaced by a regular file"
grep -q '^code,name,status,planned_ha' "$TMP/from_fifo" && ok || bad "nothing came through the FIFO"
expect_eq "$(ls -A "$TMP" | grep -c 'ccn-tmp')" "0" "(a temporary file beside the FIFO)"
if [ "$(id -u)" = 0 ]; then
    mknod -m 666 "$TMP/null" c 1 3
    run "$CCN" areas "$ws" -o "$TMP/null" --format csv -q
    expect_rc 0
    [ -c "$TMP/null" ] && ok || bad "the device was replaced by a regular file"
fi
# -o never replaces a database: `ccn areas ws.sqlite -o ws.sqlite` (a slip of the
# shell's history) replaced the workspace with its own CSV and exited 0, and
# check first stored its findings, then did the same. Refused (exit 2), the
# file unchanged and still a workspace: the workspace itself, by another
# name (a link, ./), and any other SQLite file (another workspace, a GeoPackage).
other=$TMP/other.sqlite
"$CCN" init "$other" --district "$ROOT/gis" --force >/dev/null || exit 3
targets=("$other")
if [ "$BACKEND" != pg ]; then
    ln -sf "$ws" "$TMP/ws_link.sqlite"
    targets+=("$ws" "$TMP/ws_link.sqlite" "$(dirname "$ws")/./$(basename "$ws")")
fi
for target in "${targets[@]}"; do
    real=$(realpath "$target")
    before=$(sha256sum <"$real")
    for cmd in "areas" "check" "overlay" "parcels" "occupancy --by lot" \
        "occupancy --series quarter --from 2024-Q1 --to 2024-Q2" "lease list"; do
        # shellcheck disable=SC2086 # the words of cmd are arguments
        if [ "$cmd" = "lease list" ]; then run "$CCN" lease "$ws" list -o "$target"
        else run "$CCN" $cmd "$ws" -o "$target" -q; fi
        expect_rc 2
        expect_err "is an SQLite database (a workspace or a GeoPackage): ccn does not write over one"
        expect_eq "$(sha256sum <"$real")" "$before" "($cmd -o $target: the database changed)"
    done
    run "$CCN" lease "$real" list --format csv
    expect_rc 0
    expect_out "id,cluster,lot_no,tenant,start_date,end_date,note,recorded_at"
done
finish
