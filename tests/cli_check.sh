#!/bin/bash
# ccn check on hand-made fixtures (tests/data/check, EPSG:5897). Every
# expected area is worked out in the comments: rectangles, so by hand.
source "$(dirname "$0")/lib.sh"
D=$DATA/check

# import_set WS PREFIX: the fixture's layers into WS.
import_set() {
    local ws=$1 p=$2 k
    for k in clusters lots parcels plan; do
        "$CCN" import "$ws" "$D/${p}_$k.geojson" --as $k -q >/dev/null || { echo "import $k failed" >&2; exit 3; }
    done
}
spatial_sql() { sql_script "$1" <<<"$2" 2>/dev/null; }
count_code() { grep -c "^[a-z]*,$1," <<<"$out"; }
field() { csv_field "$out" "$1" "$2"; }

# --- usage and bad input -------------------------------------------------------
run "$CCN" check --help
expect_rc 0; expect_out "Usage: ccn check WORKSPACE"; expect_out "PARCEL_GAP"

run "$CCN" check
expect_rc 2; expect_err "expected one WORKSPACE argument"

run "$CCN" check "$TMP/nowhere.sqlite"
expect_rc 2; expect_err "does not exist"

echo "not a database" >"$TMP/text.sqlite"
run "$CCN" check "$TMP/text.sqlite"
expect_rc 2; expect_err "text.sqlite"

sqlite3 "$TMP/plain.sqlite" "CREATE TABLE t (a);"
run "$CCN" check "$TMP/plain.sqlite"
expect_rc 2; expect_err "not a ccn workspace"

if [ "$BACKEND" = pg ]; then
    # a schema that is not a workspace, a missing schema, a password never
    # printed, a server that does not answer: the user's problem, exit 2
    plain=$(ws_path plain)
    sql "$plain" "CREATE SCHEMA $(ws_schema "$plain"); CREATE TABLE $(ws_schema "$plain").t (a int)" >/dev/null
    run "$CCN" check "$plain"
    expect_rc 2; expect_err "is not a ccn workspace (schema '$(ws_schema "$plain")' has no ccn_meta table"
    run "$CCN" check "$(ws_path nowhere)"
    expect_rc 2; expect_err "does not exist: the database has no schema '$(ws_schema "$(ws_path nowhere)")'"
    run "$CCN" check "postgresql://ccn:s3cret@/ccn?host=$CCN_PG_SOCKET&port=$CCN_PG_PORT&options=-csearch_path%3Dnowhere"
    expect_rc 2; expect_err "'postgresql://ccn@/ccn?host="
    [[ "$err" != *s3cret* ]] && ok || bad "the password was printed"
    run "$CCN" check "postgresql://ccn@/ccn?host=$TMP/nosocket&options=-csearch_path%3Dx"
    expect_rc 2; expect_err "cannot connect to workspace 'postgresql://ccn@/ccn?host=$TMP/nosocket"
fi

WS=$(new_ws empty)
run "$CCN" check "$WS"
expect_rc 2; expect_err "nothing to check: no cluster boundaries, lots or parcels imported"

run "$CCN" check "$WS" --tolerance nonsense=1
expect_rc 2; expect_err "unknown key 'nonsense'"; expect_err "known: area_deviation_pct, overlap_min_m2"
for bad in gap_max_m2=-1 gap_max_m2=-0.1 gap_max_m2=abc gap_max_m2= gap_max_m2=1e999 gap_max_m2; do
    run "$CCN" check "$WS" --tolerance "$bad"
    expect_rc 2
done
run "$CCN" check "$WS" --tolerance gap_max_m2=abc
expect_err "'abc' is not a number of zero or more"
# (session 19) C's strtod reads hexadecimal and leading spaces: 0x10 was taken
# as 16 m; a sliver ratio over 1 (4πA/P² of a circle is 1) called every
# polygon thin. And the refusal speaks the user's language.
for bad in edge_tol_m=0x10 "edge_tol_m= 1" edge_tol_m=+1 edge_tol_m=inf sliver_ratio=1.5; do
    run "$CCN" check "$WS" --tolerance "$bad"
    expect_rc 2
done
expect_err "--tolerance sliver_ratio: '1.5' is over 1"
run "$CCN" check "$WS" --tolerance edge_tol_m=0x10
expect_err "--tolerance edge_tol_m: '0x10' is not a number of zero or more"
run env LANGUAGE=vi "$CCN" check "$WS" --tolerance edge_tol_m=0x10
expect_err "--tolerance edge_tol_m: '0x10' không phải là số lớn hơn hoặc bằng 0"
for good in edge_tol_m=.05 edge_tol_m=5e-2 sliver_ratio=1; do # (past the tolerances)
    run "$CCN" check "$WS" --tolerance "$good" -q -o /dev/null
    expect_err "nothing to check"
done
run "$CCN" check "$WS" --only everything
expect_rc 2; expect_err "--only 'everything'"
run "$CCN" check "$WS" --format xml
expect_rc 2

# --- a clean workspace: no finding, and the report says what ran -------------------
WS=$(new_ws clean)
import_set "$WS" clean
run "$CCN" check "$WS" --format csv
expect_rc 0
expect_eq "$out" "severity,code,layer,fid,other_layer,other_fid,area_m2,x,y,message" "(no finding)"
expect_err "validity   ran (clusters 1, lots 5, parcels 4, plan 2): 0 findings"
expect_err "parcels    ran (4 parcels): 0 findings"
expect_err "plan       ran (1 of 2 plan zones protected): 0 findings"
expect_err "markers    not run: no markers imported"
expect_err "0 errors, 0 warnings"
expect_eq "$(sql "$WS" "SELECT count(*) FROM findings")" 0
# ... and what cannot run when asked for explicitly is an error, not a silent skip
run "$CCN" check "$WS" --only markers
expect_rc 2; expect_err "check 'markers' cannot run: no markers imported"

"$CCN" import "$WS" "$D/clean_markers.csv" --as markers --s-srs EPSG:5897 -q >/dev/null
run "$CCN" check "$WS" --format csv
expect_rc 0
expect_err "markers    ran (4 markers of 1 clusters, largest distance 0.000 m): 0 findings"
run "$CCN" check "$WS" --only markers,plan --format csv
expect_rc 0; expect_err "validity   not run: not asked for"; expect_err "markers    ran"

# --- every defect at once: each found exactly once ------------------------------
WS=$(new_ws defects)
import_set "$WS" defects
"$CCN" import "$WS" "$D/defects_markers.csv" --as markers --s-srs EPSG:5897 -q >/dev/null
# A workspace edited by other tools: a parcel without geometry, and a line
# where SpatiaLite's type trigger was dropped.
spatial_sql "$WS" "INSERT INTO parcels (commune, sheet, parcel_no, area_legal, geom) VALUES ('15673', 6, 1, 100, NULL);
  $([ "$BACKEND" = pg ] && echo "ALTER TABLE parcels ALTER COLUMN geom TYPE geometry(Geometry, 5897);" ||
      echo "DROP TRIGGER ggi_parcels_geom;")
  INSERT INTO parcels (commune, sheet, parcel_no, geom) VALUES ('15673', 6, 2, GeomFromText('LINESTRING(561800 2192000, 561820 2192010)', 5897));"
run "$CCN" check "$WS" --format csv --wide # message in English, message_vi after it
expect_rc 1
expect_eq "$(wc -l <<<"$out")" 17 "(header and 16 findings)"
for code in INVALID_GEOMETRY EMPTY_GEOMETRY NOT_POLYGON AREA_DEVIATION CLUSTER_OVERLAP \
    LOT_OUTSIDE_CLUSTER LOT_WRONG_CLUSTER LOT_OVERLAP PARCEL_OVERLAP PARCEL_GAP SLIVER \
    AREA_LEGAL_MISMATCH MARKER_MISMATCH PROTECTED_LAND; do
    expect_eq "$(count_code $code)" 1 "($code)"
done
expect_eq "$(count_code DUPLICATE_ID)" 2 "(a parcel key and a lot number)"
expect_err "14 errors, 2 warnings"
# bow-tie (561600,2192000)-(561620,2192020)-(561620,2192000)-(561600,2192020): crossing
# at (561610, 2192010); its shoelace area is 0, MakeValid's two triangles 2 x 10 x 20 / 2
expect_eq "$(field INVALID_GEOMETRY area_m2)" 200.000
expect_eq "$(field INVALID_GEOMETRY x),$(field INVALID_GEOMETRY y)" "561610.000,2192010.000"
expect_out "parcel 15673/4/3: Self-intersection; repaired with MakeValid, its area changes by 200.000 m²"
expect_out "parcel 15673/6/1 has no geometry"
expect_out "parcel 15673/6/2 is a LineString, not a polygon"
# DL3: 500 m x 1020 m = 510000 m2 against 50 ha: 10000 m2, +2 %
expect_eq "$(field AREA_DEVIATION area_m2)" 10000.000
expect_out "cluster DL3 covers 51.0000 ha, 2.0000 % more than the planned 50 ha"
# DT overlaps DL3 on x 562490..562500 over y 2190000..2191000: 10 x 1000
expect_eq "$(field CLUSTER_OVERLAP area_m2)" 10000.000
# CN-01 sticks 10 m out of DL3's west side over 100 m
expect_eq "$(field LOT_OUTSIDE_CLUSTER area_m2)" 1000.000
# CN-02 (100 x 100) lies inside DT; it is not also reported as outside DL3
expect_eq "$(field LOT_WRONG_CLUSTER area_m2)" 10000.000
expect_out "lot DL3/CN-02 belongs to cluster DL3 but 10000.000 m² (100.0000 %) of it lies in cluster DT"
# CN-03 x 562100..562200 and CN-04 x 562190..562290 over 100 m: 10 x 100
expect_eq "$(field LOT_OVERLAP area_m2)" 1000.000
expect_out "lot number (cluster/lot) DL3/CN-05 is used again"
expect_out "parcel key (commune/sheet/parcel) 15673/5/99 is used again"
# ... and each in Vietnamese (message_vi, last column), the same figures in Vietnamese notation
expect_out "Cụm DL3 có diện tích 51,00 ha, lớn hơn 2,0 % so với 50 ha theo quy hoạch (dung sai 1 %)"
expect_out "Lô DL3/CN-02 thuộc cụm DL3 nhưng 10.000,0 m² (100,0 %) của lô nằm trong cụm DT"
expect_out "Hình học không hợp lệ: thửa đất 15673/4/3 — Tự cắt"
expect_out "Không có hình học: thửa đất 15673/6/1"
expect_out "Không phải đối tượng vùng (là đường): thửa đất 15673/6/2"
expect_out "Trùng số lô DL3/CN-05"
expect_out "Chồng lấn 100,0 m² giữa thửa đất 15673/"
expect_out "độ mảnh 4πA/P² 0,0507"
expect_eq "$(sql "$WS" "SELECT count(*) FROM findings WHERE message_vi IS NULL OR message_vi = ''")" 0
# parcel D (561050..561070 x 2192015..2192035) over C (561040..561060 x 2192000..2192025): 10 x 10
expect_eq "$(field PARCEL_OVERLAP area_m2)" 100.000
expect_eq "$(field PARCEL_OVERLAP x),$(field PARCEL_OVERLAP y)" "561055.000,2192020.000"
# the centre of a 3 x 3 block of 20 m parcels is 1 m short: a 20 x 1 hole
expect_eq "$(field PARCEL_GAP area_m2)" 20.000
expect_eq "$(field PARCEL_GAP y)" 2192039.500
# 0.5 x 30 m: thinness 4 pi 15 / 61^2 = 0.0507, mean width 30 / 61 = 0.492 m
expect_eq "$(field SLIVER area_m2)" 15.000
expect_out "thinness 4πA/P² 0.0507"
# 20 x 25 = 500 m2 mapped, 450 on record: 50 m2 = 11.1111 %
expect_eq "$(field AREA_LEGAL_MISMATCH area_m2)" 50.000
expect_out "map area 500.000 m² is 11.1111 % more than the 450 m² on record"
# marker M3 stands 2 m east of DT's corner (563190, 2191000); no area
expect_eq "$(field MARKER_MISMATCH area_m2)" ""
expect_out "marker M3 of cluster DT lies 2.000 m from the cluster's boundary"
# an LUC zone of 100 x 100 inside DT
expect_eq "$(field PROTECTED_LAND area_m2)" 10000.000
expect_out "planned LUC (Đất chuyên trồng lúa nước): protected land"
expect_eq "$(field PARCEL_GAP severity)" error
expect_eq "$(field PARCEL_OVERLAP severity)" error

# the findings table holds the same rows, with points where they are
expect_eq "$(sql "$WS" "SELECT count(*), count(geom), sum(CASE WHEN severity = 'error' THEN 1 ELSE 0 END) FROM findings")" "16|15|14" "(only EMPTY_GEOMETRY has no location)"
expect_eq "$(sql "$WS" "SELECT fid, other_fid, round(area_m2, 1), round(X(geom), 1), round(Y(geom), 1) FROM findings WHERE code = 'PARCEL_OVERLAP'")" \
    "3|4|100.0|561055.0|2192020.0"
expect_eq "$(sql "$WS" "SELECT GeometryType(geom), Srid(geom) FROM findings WHERE code = 'SLIVER'")" "POINT|5897"
# a second run replaces the first
[ "$BACKEND" = pg ] || triggers=$(sql "$WS" "SELECT group_concat(name || ':' || sql, ';') FROM (SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'findings' ORDER BY name)")
run "$CCN" check "$WS" --format csv
expect_eq "$(sql "$WS" "SELECT count(*) FROM findings")" 16
if [ "$BACKEND" = pg ]; then # PostGIS's GIST index finds each point by its box
    expect_eq "$(sql "$WS" "SET enable_seqscan = off; SELECT count(*) FROM findings f WHERE EXISTS (SELECT 1 FROM findings g WHERE g.geom && f.geom AND g.id = f.id)")" 15
fi
[ "$BACKEND" = pg ] || {
# written with SpatiaLite's triggers set aside (they cost 60 µs a row): they
# are back as they were, and the spatial index holds the 15 points, each
# found by a search of its own box (SpatiaLite's CheckSpatialIndex agrees)
expect_eq "$(sql "$WS" "SELECT group_concat(name || ':' || sql, ';') FROM (SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'findings' ORDER BY name)")" "$triggers"
expect_eq "$(sql "$WS" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'findings'")" 8
expect_eq "$(sql "$WS" "SELECT count(*) FROM findings f WHERE f.id IN (SELECT pkid FROM idx_findings_geom WHERE xmin <= X(f.geom) AND xmax >= X(f.geom) AND ymin <= Y(f.geom) AND ymax >= Y(f.geom))")" 15
expect_eq "$(sql "$WS" "SELECT count(*) FROM idx_findings_geom")" 15
expect_eq "$(sql "$WS" "SELECT CheckSpatialIndex('findings', 'geom')")" 1
# ccn makes each point's blob itself: byte for byte what SpatiaLite's MakePoint
# makes of the finding's x, y in the workspace SRID, and the layer's statistics
# count the 15 points and hold them all
expect_eq "$(sql "$WS" "SELECT count(*) FROM findings WHERE geom = MakePoint(x, y, 5897)")" 15
expect_eq "$(sql "$WS" "SELECT s.row_count, s.extent_min_x <= min(MbrMinX(f.geom)), s.extent_max_x >= max(MbrMaxX(f.geom)), s.extent_min_y <= min(MbrMinY(f.geom)), s.extent_max_y >= max(MbrMaxY(f.geom)) FROM geometry_columns_statistics s, findings f WHERE s.f_table_name = 'findings'")" "15|1|1|1|1"
}

# DESIGN §4's columns: the ids of the features found in fid / other_fid (the
# overlap of parcels 3 and 4 above), the table's own key id; the GeoJSON
# export has the table's fields as properties (§9). The build before had
# them in feature / other_feature (fid was the table's key): it fails here.
expect_eq "$(sql "$WS" "SELECT fid, other_fid, layer, other_layer FROM findings WHERE code = 'PARCEL_OVERLAP'")" "3|4|parcels|parcels"
expect_eq "$(sql "$WS" "SELECT count(*), count(DISTINCT id) FROM findings")" "16|16"
if [ "$BACKEND" = pg ]; then # the key numbered by ccn_next_fid as the other tables' fid
    expect_eq "$(sql "$WS" "SELECT column_name || ':' || (coalesce(column_default, '') LIKE '%ccn_next_fid(%') FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'findings' AND column_name IN ('id', 'fid') ORDER BY column_name")" "fid:false
id:true"
fi
findings_props() { python3 -c '
import json, sys
for f in json.load(sys.stdin)["features"]:
    p = f["properties"]
    if p["code"] == "PARCEL_OVERLAP":
        print(p["fid"], p["other_fid"], "feature" in p, "other_feature" in p)'; }
run "$CCN" export "$WS" - --layer findings -q
expect_rc 0
expect_eq "$(findings_props <<<"$out")" "3 4 False False"
# A workspace of the build before (its findings under the old names, made
# here by renaming them back): an export of the findings renames the table's
# columns and answers the same; ccn check too.
old_findings() {
    sql_script "$WS" <<<"ALTER TABLE findings RENAME COLUMN fid TO feature;
ALTER TABLE findings RENAME COLUMN other_fid TO other_feature;
ALTER TABLE findings RENAME COLUMN id TO fid;" || { echo "renaming back failed" >&2; exit 3; }
    expect_eq "$(sql "$WS" "SELECT feature, other_feature FROM findings WHERE code = 'PARCEL_OVERLAP'")" "3|4" "(the old layout)"
}
old_findings
run "$CCN" export "$WS" - --layer findings -q
expect_rc 0
expect_eq "$(findings_props <<<"$out")" "3 4 False False" "(an old table exported)"
expect_eq "$(sql "$WS" "SELECT fid, other_fid FROM findings WHERE code = 'PARCEL_OVERLAP'")" "3|4" "(renamed by the export)"
old_findings
run "$CCN" check "$WS" --format csv
expect_rc 1
expect_eq "$(sql "$WS" "SELECT fid, other_fid, round(area_m2, 1) FROM findings WHERE code = 'PARCEL_OVERLAP'")" "3|4|100.0" "(an old table checked again)"
expect_eq "$(sql "$WS" "SELECT count(*), count(DISTINCT id), count(geom) FROM findings")" "16|16|15"
if [ "$BACKEND" = sqlite ]; then
    expect_eq "$(sql "$WS" "SELECT CheckSpatialIndex('findings', 'geom')")" 1
    # read-only, an old table cannot be renamed: ccn says to run check again
    as_other=()
    [ "$(id -u)" = 0 ] && as_other=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    mkdir -p "$TMP/ro" && cp "$WS" "$TMP/ro/old.sqlite"
    sql_script "$TMP/ro/old.sqlite" <<<"ALTER TABLE findings RENAME COLUMN fid TO feature;
ALTER TABLE findings RENAME COLUMN other_fid TO other_feature;
ALTER TABLE findings RENAME COLUMN id TO fid;" || exit 3
    chmod 755 "$TMP" "$TMP/ro" && chmod 444 "$TMP/ro/old.sqlite"
    run "${as_other[@]}" "$CCN" export "$TMP/ro/old.sqlite" - --layer findings -q
    expect_rc 2
    expect_err "the findings table was written by an older ccn (columns feature, other_feature) and cannot be renamed here: run 'ccn check' on the workspace again"
fi

# tolerances are named and change the verdict
run "$CCN" check "$WS" --format csv --tolerance gap_max_m2=10 --tolerance area_deviation_pct=2.5 \
    --tolerance area_legal_pct=12 --tolerance marker_max_m=2.5 --tolerance overlap_min_m2=150
expect_rc 1
for code in PARCEL_GAP AREA_DEVIATION AREA_LEGAL_MISMATCH MARKER_MISMATCH PARCEL_OVERLAP; do
    expect_eq "$(count_code $code)" 0 "($code with a wider tolerance)"
done
expect_eq "$(count_code LOT_OVERLAP)" 1 "(1000 m2 is above 150)"
run "$CCN" check "$WS" --format csv --tolerance sliver_max_width_m=0.4 --tolerance repair_area_pct=200
expect_eq "$(count_code SLIVER)" 0 "(a 0.492 m wide strip is not narrower than 0.4 m)"
expect_out "parcel 15673/4/3: Self-intersection; repaired with MakeValid for the checks"
# the workspace's own tolerances are the defaults
sql "$WS" "UPDATE tolerances SET value = 30 WHERE key = 'gap_max_m2'" >/dev/null
run "$CCN" check "$WS" --format csv --tolerance gap_max_m2=10
expect_eq "$(count_code PARCEL_GAP)" 0
sql "$WS" "UPDATE tolerances SET value = 15 WHERE key = 'gap_max_m2'" >/dev/null
run "$CCN" check "$WS" --format csv
expect_eq "$(count_code PARCEL_GAP)" 0 "(a 20 m2 hole is no gap below 15 m2)"

# --only runs just those groups
run "$CCN" check "$WS" --format csv --only parcels
expect_eq "$(wc -l <<<"$out")" 4 "(overlap, sliver, area on record)"
expect_err "clusters   not run: not asked for"

# JSON uses the same names
run "$CCN" check "$WS" --format json --only plan
expect_rc 1; expect_out '"code": "PROTECTED_LAND"'; expect_out '"area_m2": 10000.000'

# -o writes a file; the exit code still tells
run "$CCN" check "$WS" --format csv -o "$TMP/findings.csv"
expect_rc 1; expect_eq "$(grep -c MARKER_MISMATCH "$TMP/findings.csv")" 1
# the file is written while the workspace is, and kept only when both are:
# a check that cannot write its findings to the workspace (another writer
# holds it past the wait) leaves the last file as it was and no temporary one
[ "$BACKEND" = pg ] || {
cp "$TMP/findings.csv" "$TMP/findings.before"
CCN_BUSY_TIMEOUT_MS=200 python3 - "$CCN" "$WS" "$TMP/findings.csv" >"$TMP/held.out" 2>&1 <<'PY'
import sqlite3, subprocess, sys
ccn, ws, out = sys.argv[1], sys.argv[2], sys.argv[3]
db = sqlite3.connect(ws, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
r = subprocess.run([ccn, "check", ws, "--format", "json", "-o", out], capture_output=True, text=True)
db.execute("ROLLBACK")
print(r.returncode, r.stderr.strip())
PY
out=$(cat "$TMP/held.out")
expect_eq "${out%% *}" 2 "(exit status: the workspace was busy, not an internal error)"
expect_out "kept the workspace busy too long (database is locked)"
cmp -s "$TMP/findings.csv" "$TMP/findings.before" && ok || bad "the last findings.csv changed"
expect_eq "$(find "$TMP" -maxdepth 1 -name '.findings.csv.ccn-tmp-*' | wc -l)" 0 "(temporary files left)"
}

# --- a boundary vertex that no marker stands for -----------------------------------
# NUA's north edge bulges 3 m at x = 560200; an extra vertex on the straight west edge
# is no defect. The four corner markers all sit on the boundary.
WS=$(new_ws bulge)
cat >"$TMP/bulge.geojson" <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [{"type": "Feature", "properties": {"code": "NUA"},
   "geometry": {"type": "Polygon", "coordinates": [[[560000, 2190000], [560400, 2190000], [560400, 2190500], [560200, 2190503], [560000, 2190500], [560000, 2190250], [560000, 2190000]]]}}]}
EOF
"$CCN" import "$WS" "$TMP/bulge.geojson" --as clusters -q >/dev/null
"$CCN" import "$WS" "$D/clean_markers.csv" --as markers --s-srs EPSG:5897 -q >/dev/null
run "$CCN" check "$WS" --format csv --only markers
expect_rc 1
expect_eq "$(count_code MARKER_MISMATCH)" 1
expect_eq "$(field MARKER_MISMATCH layer),$(field MARKER_MISMATCH other_layer)" "clusters,markers"
expect_eq "$(field MARKER_MISMATCH x),$(field MARKER_MISMATCH y)" "560200.000,2190503.000"
expect_out "a boundary vertex of cluster NUA lies 3.000 m from the outline of its marker table"
expect_err "largest distance 3.000 m"

# --- Decree 32/2024: a cluster of more than 75 ha ---------------------------------
WS=$(new_ws big)
cat >"$TMP/ht.geojson" <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [{"type": "Feature", "properties": {"code": "HT"},
   "geometry": {"type": "Polygon", "coordinates": [[[560000, 2185000], [560800, 2185000], [560800, 2186000], [560000, 2186000], [560000, 2185000]]]}}]}
EOF
"$CCN" import "$WS" "$TMP/ht.geojson" --as clusters -q >/dev/null
run "$CCN" check "$WS" --format csv
# 800 x 1000 = 80 ha: 10 ha (14.2857 %) over the planned 70, and 5 ha over Decree 32's 75
expect_rc 1
expect_eq "$(count_code AREA_DEVIATION)" 2
expect_out "cluster HT covers 80.0000 ha, 14.2857 % more than the planned 70 ha"
expect_out ",50000.000,"
expect_out "Decree 32/2024/NĐ-CP wants a cluster of more than 10 ha and at most 75 ha"
expect_err "lots       not run: no lots imported"
expect_err "parcels    not run: no parcels imported"

# Parcels whose fids are in the billions (a workspace another tool filled):
# the findings name them as before (the overlap of parcels 3 and 4 above,
# now 3000000003 and 3000000004), found by sorting rather than by a table
# as long as the fids.
if [ "$BACKEND" != pg ]; then
    WS3=$(new_ws bigfid)
    import_set "$WS3" defects
    spatial_sql "$WS3" "UPDATE parcels SET fid = fid + 3000000000;
        SELECT DisableSpatialIndex('parcels', 'geom'); DROP TABLE idx_parcels_geom;
        SELECT CreateSpatialIndex('parcels', 'geom');" || bad "fids not shifted"
    run "$CCN" check "$WS3" --format csv --only parcels
    expect_rc 1
    expect_eq "$(sql "$WS3" "SELECT fid, other_fid, round(area_m2, 1) FROM findings WHERE code = 'PARCEL_OVERLAP'")" \
        "3000000003|3000000004|100.0"
    expect_eq "$(field PARCEL_OVERLAP area_m2)" 100.000
fi

# --- a parcel 220 km east of the zone's central meridian -----------------------------
# tests/data/check/far_parcels.geojson: two 20 m squares, one at E 560,000 and one
# at E 720,000 (N 2,190,000): 220,020 m from the false easting at latitude 19.8°
# is 220,020 / (111,320 cos 19.8° × 0.9999) ≈ 2.101° of longitude. The distance
# comes from the transformation ccn init wrote down, and from PROJ's database
# once it is gone: the same warning.
WS=$(new_ws far)
"$CCN" import "$WS" "$DATA/check/far_parcels.geojson" --as parcels -q >/dev/null 2>&1 \
    || { echo "import failed" >&2; exit 3; }
for recipe in kept gone; do
    [ $recipe = gone ] && sql "$WS" "DELETE FROM ccn_meta WHERE key = 'lonlat_recipe'" >/dev/null
    run "$CCN" check "$WS" --only parcels --format csv
    expect_err "parcels: 1 features lie more than 1.5° from the central meridian"
    expect_err "(up to 2.101°): their planar areas are distorted"
done
# A parcel another tool wrote at x = 1e300, where VN-2000 places nothing: said,
# not passed over (no longitude to measure it by).
if [ "$BACKEND" = sqlite ]; then
    sql "$WS" "INSERT INTO parcels (commune, sheet, parcel_no, geom) VALUES ('15673', 1, 3,
        CastToMultiPolygon(GeomFromText('POLYGON((1e300 2190000, 1.00000000001e300 2190000,
        1.00000000001e300 2190020, 1e300 2190020, 1e300 2190000))', 5897)))" >/dev/null
    run "$CCN" check "$WS" --only parcels --format csv
    expect_err "parcels: 1 features lie where EPSG:5897 places nothing on the Earth (the first: fid 3)"
    expect_err "parcels: 1 features lie more than 1.5° from the central meridian"
fi

# A ring out and back (3 points) is refused by import on both back ends alike
# (PostGIS cannot store it); another tool (ogr2ogr) may still write one into a
# SQLite workspace, and check words GEOS's "Too few points in geometry
# component" in Vietnamese in full, not "Quá ít đỉnh in geometry component".
ws=$(new_ws fewpoints)
run "$CCN" import "$ws" "$DATA/check/fewpoints.geojson" --as parcels
expect_rc 2
expect_err "feature 0: part 1, ring 1 has 3 points: a polygon ring needs at least 4"
if [ "$BACKEND" = sqlite ]; then
    ogr2ogr -append -nln parcels -nlt MULTIPOLYGON "$ws" "$DATA/check/fewpoints.geojson" ||
        bad "ogr2ogr did not write the ring"
    run "$CCN" check "$ws" --only validity --format csv --wide
    expect_rc 1
    expect_out "parcel 15682/1/1: Too few points in geometry component"
    expect_out "thửa đất 15682/1/1 — Quá ít đỉnh trong một thành phần hình học"
fi

finish
