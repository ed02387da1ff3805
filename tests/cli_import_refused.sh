#!/bin/bash
# cli_import_refused — a feature the database itself refuses, and a DXF
# feature named by its handle.
#
# An administrator may add to a workspace's table what ccn does not check: a
# trigger or a CHECK constraint. A row it refuses is a refused feature like
# any other, on both back ends: without --skip-bad nothing is stored and the
# error names the feature and the database's reason; with --skip-bad the rest
# is stored, in one transaction, the refused ones counted and named. On
# PostgreSQL a refused row would abort the transaction: import sends its rows
# in batches under savepoints and sends a refused batch again without the
# row (store.h). The fids stay consecutive, as SQLite gives them. A refused
# cluster boundary (an UPDATE) is refused the same way; a refused feature is
# not counted normalised; a row an AFTER trigger refuses is not left stored
# (SQLite's RAISE(FAIL) undoes nothing itself); on PostgreSQL XX000 is the
# row's fault only when PostGIS raised it.
#
# A surveyor finds a DXF entity in AutoCAD by its handle, not by GDAL's
# feature number: every message naming a DXF feature names its handle too.
source "$(dirname "$0")/lib.sh"
P=$ROOT/layers/parcels.shp
DXF=$DATA/import/handles.dxf

expect_err_not() { grep -qF -- "$1" <<<"$err" && bad "stderr has '$1'" || ok; }

# admin_sql WS: run stdin's SQL on the workspace as its administrator would
# (psql, or sqlite3): the back end's own dialect, not ccn's.
admin_sql() {
    if [ "$BACKEND" = pg ]; then
        { echo "SET search_path = $(ws_schema "$1"), public;"; cat; } |
            "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -v ON_ERROR_STOP=1 >/dev/null
    else
        sqlite3 -batch -cmd ".load mod_spatialite" "$1" >/dev/null
    fi
}

# A trigger refusing parcel 134 of sheet 50, in each back end's words.
refuse_parcel_sql() {
    if [ "$BACKEND" = pg ]; then
        cat <<'EOF'
CREATE FUNCTION disputed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sheet = 50 AND NEW.parcel_no = 134 THEN
        RAISE EXCEPTION 'parcel %/% is under dispute', NEW.sheet, NEW.parcel_no;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER disputed BEFORE INSERT ON parcels FOR EACH ROW EXECUTE FUNCTION disputed();
EOF
    else
        cat <<'EOF'
CREATE TRIGGER disputed BEFORE INSERT ON parcels WHEN NEW.sheet = 50 AND NEW.parcel_no = 134
BEGIN SELECT RAISE(ABORT, 'parcel 50/134 is under dispute'); END;
EOF
    fi
}

# The features of sheet 50 / parcel 134 in the shapefile, by ogrinfo: two
# (communes 15700-something each have one), 7000 and 9109 at the time of writing.
disputed=$(ogrinfo -q "$P" parcels -where "SHBANDO = 50 AND SHTHUA = 134" |
    sed -n 's/^OGRFeature(parcels):\([0-9]*\)$/\1/p' | tr '\n' ' ')
read -r d1 d2 rest <<<"$disputed"
[ -n "$d1" ] && [ -n "$d2" ] && [ -z "$rest" ] || { echo "expected 2 disputed parcels: $disputed" >&2; exit 3; }
total=$(ogrinfo -so "$P" parcels | sed -n 's/^Feature Count: //p') # 10310: a bulk import

# --- 1. refused by a trigger, without --skip-bad: nothing stored -------------------
WS=$(new_ws)
refuse_parcel_sql | admin_sql "$WS" || { echo "cannot add the trigger" >&2; exit 3; }
run "$CCN" import "$WS" "$P" --as parcels --encoding TCVN3
expect_rc 2
expect_err "2 of $total features refused: feature $d1: cannot be stored: parcel 50/134 is under dispute; feature $d2: cannot be stored: parcel 50/134 is under dispute; nothing imported"
expect_eq "$(sql "$WS" "SELECT count(*) FROM parcels")" "0" "(parcels after a refused import)"
expect_eq "$(sql "$WS" "SELECT count(*) FROM imports")" "0" "(imports after a refused import)"

# --- 2. with --skip-bad: the rest stored, the two named, in one transaction -------
run "$CCN" import "$WS" "$P" --as parcels --encoding TCVN3 --skip-bad
expect_rc 0
expect_out "$total read, $((total - 2)) stored, 2 refused"
expect_err "refused feature $d1: cannot be stored: parcel 50/134 is under dispute"
expect_err "refused feature $d2: cannot be stored: parcel 50/134 is under dispute"
expect_eq "$(sql "$WS" "SELECT count(*) FROM parcels")" "$((total - 2))"
expect_eq "$(sql "$WS" "SELECT count(*) FROM parcels WHERE sheet = 50 AND parcel_no = 134")" "0"
# the neighbours of each refused feature are stored, and fids stay 1..n as SQLite numbers them
expect_eq "$(sql "$WS" "SELECT count(*) FROM parcels WHERE source_fid IN ($((d1 - 1)), $((d1 + 1)), $((d2 - 1)), $((d2 + 1)))")" "4"
expect_eq "$(sql "$WS" "SELECT min(fid) || '-' || max(fid) || '/' || count(DISTINCT fid) FROM parcels")" \
    "1-$((total - 2))/$((total - 2))"
# (GDAL numbers the shapefile's features from 0, the workspace from 1: fid = source_fid + 1
# before the first refused one, source_fid between the two, source_fid - 1 after both)
expect_eq "$(sql "$WS" "SELECT group_concat(fid, ',') FROM (SELECT fid FROM parcels
    WHERE source_fid IN ($((d1 - 1)), $((d1 + 1)), $((d2 + 1))) ORDER BY fid) AS t")" \
    "$d1,$((d1 + 1)),$d2" "(fids around the refused rows)"
expect_eq "$(sql "$WS" "SELECT features_read || '/' || features_stored || '/' || features_refused FROM imports")" \
    "$total/$((total - 2))/2"

# --- 3. a failure that is not the row's: the import fails whole ---------------------
# (PostgreSQL: a trigger raising "disk full", SQLSTATE 53100; SQLite: RAISE(ROLLBACK),
# which ends the transaction)
# full_disk_sql: a trigger failing parcel 134 of sheet 50 for a reason not the row's
full_disk_sql() {
    if [ "$BACKEND" = pg ]; then
        cat <<'EOF'
CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sheet = 50 AND NEW.parcel_no = 134 THEN
        RAISE EXCEPTION 'no room left' USING ERRCODE = '53100';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER full_disk BEFORE INSERT ON parcels FOR EACH ROW EXECUTE FUNCTION full_disk();
EOF
    else
        cat <<'EOF'
CREATE TRIGGER full_disk BEFORE INSERT ON parcels WHEN NEW.sheet = 50 AND NEW.parcel_no = 134
BEGIN SELECT RAISE(ROLLBACK, 'no room left'); END;
EOF
    fi
}
WS3=$(new_ws fatal)
full_disk_sql | admin_sql "$WS3" || exit 3
run "$CCN" import "$WS3" "$P" --as parcels --encoding TCVN3 --skip-bad
expect_rc 3
expect_err "no room left"
expect_eq "$(sql "$WS3" "SELECT count(*) FROM parcels")" "0" "(parcels after a failed import)"
expect_eq "$(sql "$WS3" "SELECT count(*) FROM imports")" "0"

# The same on a small file (sheet 50 alone: 380 features, by ogrinfo), which
# is inserted row by row: after SQLite's RAISE(ROLLBACK) the rows after it
# were stored one by one outside any transaction (245 of them and an imports
# row, with exit 3). Now the import stops at that feature, nothing stored.
ogr2ogr "$TMP/sheet50.shp" "$P" -where "SHBANDO = 50" 2>/dev/null
cp "${P%.shp}.cpg" "$TMP/sheet50.cpg" 2>/dev/null || true
expect_eq "$(ogrinfo -so "$TMP/sheet50.shp" sheet50 | sed -n 's/^Feature Count: //p')" "380" \
    "(features of sheet 50, by ogrinfo)"
WS5=$(new_ws fatal_small)
full_disk_sql | admin_sql "$WS5" || exit 3
run "$CCN" import "$WS5" "$TMP/sheet50.shp" --as parcels --encoding TCVN3 --skip-bad
expect_rc 3
expect_err "no room left"
expect_eq "$(sql "$WS5" "SELECT count(*) FROM parcels")" "0" "(parcels after a failed small import)"
expect_eq "$(sql "$WS5" "SELECT count(*) FROM imports")" "0"

# SQLite: a trigger's runtime error (json() of a broken text: SQLITE_ERROR, not
# a constraint) on the small file is the database failing, not the row refused:
# the import stops whole, as the bulk load's writer stops on one. Before, the
# row-by-row path counted it refused and, with --skip-bad, stored 378 others.
if [ "$BACKEND" = sqlite ]; then
    WS5b=$(new_ws trigger_error)
    admin_sql "$WS5b" <<'EOF' || exit 3
CREATE TRIGGER broken BEFORE INSERT ON parcels WHEN NEW.sheet = 50 AND NEW.parcel_no = 134
BEGIN SELECT json('{'); END;
EOF
    run "$CCN" import "$WS5b" "$TMP/sheet50.shp" --as parcels --encoding TCVN3 --skip-bad
    expect_rc 3
    expect_err "feature 133: the workspace failed to store it ($WS5b: query: malformed JSON): nothing imported"
    expect_eq "$(sql "$WS5b" "SELECT count(*) FROM parcels")" "0" "(parcels after a trigger's error)"
    expect_eq "$(sql "$WS5b" "SELECT count(*) FROM imports")" "0"
fi

# --- 5. many refused rows: one in fifty (parcel numbers 7, 57, 107, …) ----------------
# On PostgreSQL the rows after a refusal go again in COPYs of 1,024 rows,
# doubling, not the whole batch again after each. The count refused is the
# file's, by SQLite's dialect of ogrinfo.
many=$(ogrinfo -q -dialect SQLite -sql "SELECT count(*) AS n FROM parcels WHERE SHTHUA % 50 = 7" "$P" |
    sed -n 's/^ *n (Integer) = //p')
[ "$many" -gt 100 ] && ok || bad "one in fifty: only '$many' parcels"
WS6=$(new_ws many)
if [ "$BACKEND" = pg ]; then
    admin_sql "$WS6" <<<"ALTER TABLE parcels ADD CONSTRAINT one_in_fifty CHECK (parcel_no % 50 <> 7);" || exit 3
else
    admin_sql "$WS6" <<'EOF' || exit 3
CREATE TRIGGER one_in_fifty BEFORE INSERT ON parcels WHEN NEW.parcel_no % 50 = 7
BEGIN SELECT RAISE(ABORT, 'one in fifty'); END;
EOF
fi
run "$CCN" import "$WS6" "$P" --as parcels --encoding TCVN3 --skip-bad
expect_rc 0
expect_eq "$(sql "$WS6" "SELECT count(*) FROM parcels")" "$((total - many))" "(parcels stored, one in fifty refused)"
expect_eq "$(sql "$WS6" "SELECT count(*) FROM parcels WHERE parcel_no % 50 = 7")" "0"
expect_eq "$(sql "$WS6" "SELECT max(fid) - min(fid) + 1 FROM parcels")" "$((total - many))" "(fids consecutive)"
expect_eq "$(sql "$WS6" "SELECT features_read || '/' || features_stored || '/' || features_refused FROM imports")" \
    "$total/$((total - many))/$many"

# --- 4. DXF: the refused entity named by its handle ---------------------------------
# ogrinfo -al handles.dxf: feature 0 handle 2A1 (layer LUC, closed), feature 1
# handle 2A3 (ONT, open: its last vertex 10 m from its first), feature 2
# handle 1F0B (SKC, closed).
h1=$(ogrinfo -q "$DXF" entities -fid 1 | sed -n 's/^ *EntityHandle (String) = //p')
h2=$(ogrinfo -q "$DXF" entities -fid 2 | sed -n 's/^ *EntityHandle (String) = //p')
expect_eq "$h1/$h2" "2A3/1F0B" "(the fixture's handles, by ogrinfo)"
WS4=$(new_ws dxf)
run "$CCN" import "$WS4" "$DXF" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_rc 2
expect_err "1 of 3 features refused: feature 1 (handle 2A3): an open line where a polygon is needed; nothing imported"
expect_eq "$(sql "$WS4" "SELECT count(*) FROM plan")" "0"
run env LANGUAGE=vi "$CCN" import "$WS4" "$DXF" --as plan --s-srs EPSG:5897 --field landuse=Layer
expect_rc 2
expect_err "1 trên 3 đối tượng bị từ chối: đối tượng 1 (handle 2A3): một đường không khép kín, trong khi cần một vùng; không nhập gì"

# An administrator's refusal of a DXF entity names its handle too (PostgreSQL:
# a CHECK constraint; SQLite cannot add one to a table: a trigger).
if [ "$BACKEND" = pg ]; then
    echo "ALTER TABLE plan ADD CONSTRAINT no_skc CHECK (landuse <> 'SKC');" | admin_sql "$WS4" || exit 3
    why='new row for relation "plan" violates check constraint "no_skc"'
else
    admin_sql "$WS4" <<'EOF' || exit 3
CREATE TRIGGER no_skc BEFORE INSERT ON plan WHEN NEW.landuse = 'SKC'
BEGIN SELECT RAISE(ABORT, 'no SKC zone here'); END;
EOF
    why='no SKC zone here'
fi
run "$CCN" import "$WS4" "$DXF" --as plan --s-srs EPSG:5897 --field landuse=Layer --skip-bad
expect_rc 0
expect_out "3 read, 1 stored, 2 refused"
expect_err "refused feature 1 (handle 2A3): an open line where a polygon is needed"
expect_err "refused feature 2 (handle 1F0B): cannot be stored: $why"
expect_err_not "Failing row contains" # PostgreSQL's detail repeats the row, geometry and all
expect_eq "$(sql "$WS4" "SELECT group_concat(landuse) FROM plan")" "LUC"
run env LANGUAGE=vi "$CCN" import "$WS4" "$DXF" --as plan --s-srs EPSG:5897 --field landuse=Layer --skip-bad --again --replace
expect_rc 0
expect_err "đã từ chối đối tượng 2 (handle 1F0B): không lưu được: $why"

# --- 6. a cluster's boundary refused by the database ---------------------------------
# Importing clusters updates the registry's rows: a trigger refusing the
# UPDATE of HT's boundary refuses the feature it came from (feature 2 of
# clusters.gpkg, by ogrinfo), like a refused INSERT. The old build failed the
# whole import without naming it (exit 3), on both back ends.
C=$ROOT/layers/clusters.gpkg
expect_eq "$(ogrinfo -q "$C" clusters -where "code = 'HT'" | sed -n 's/^OGRFeature(clusters):\([0-9]*\)$/\1/p')" "2" \
    "(HT's feature in clusters.gpkg, by ogrinfo)"
# frozen_sql: a trigger refusing any new boundary of HT, in each back end's words
frozen_sql() {
    if [ "$BACKEND" = pg ]; then
        cat <<'EOF2'
CREATE FUNCTION frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.code = 'HT' AND NEW.geom IS NOT NULL THEN
        RAISE EXCEPTION 'the boundary of HT is frozen';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER frozen BEFORE UPDATE ON clusters FOR EACH ROW EXECUTE FUNCTION frozen();
EOF2
    else
        cat <<'EOF2'
CREATE TRIGGER frozen BEFORE UPDATE OF geom ON clusters WHEN NEW.code = 'HT' AND NEW.geom IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the boundary of HT is frozen'); END;
EOF2
    fi
}
WS7=$(new_ws boundary)
frozen_sql | admin_sql "$WS7" || exit 3
run "$CCN" import "$WS7" "$C" --as clusters
expect_rc 2
expect_err "1 of 5 features refused: feature 2: cluster HT: its boundary cannot be stored: the boundary of HT is frozen; nothing imported"
expect_eq "$(sql "$WS7" "SELECT count(geom) FROM clusters")" "0" "(boundaries after a refused import)"
expect_eq "$(sql "$WS7" "SELECT count(*) FROM imports")" "0"
run "$CCN" import "$WS7" "$C" --as clusters --skip-bad
expect_rc 0
expect_out "5 read, 4 stored, 1 refused"
expect_err "refused feature 2: cluster HT: its boundary cannot be stored: the boundary of HT is frozen"
expect_eq "$(sql "$WS7" "SELECT group_concat(code, ',') FROM (SELECT code FROM clusters WHERE geom IS NOT NULL ORDER BY code) AS t")" \
    "DL3,DT,NUA,TTH" "(boundaries stored)"
expect_eq "$(sql "$WS7" "SELECT features_read || '/' || features_stored || '/' || features_refused FROM imports")" "5/4/1"
run env LANGUAGE=vi "$CCN" import "$WS7" "$C" --as clusters --skip-bad --again --replace
expect_rc 0
expect_err "đã từ chối đối tượng 2: cụm HT: không lưu được ranh giới: the boundary of HT is frozen"

# --- 6b. a refused boundary leaves the one the cluster had ------------------------
# --replace and --replace-all never leave a cluster without the boundary it
# had because its new one was refused, whole or in part: a boundary is stored
# whole or not at all, the old one stays, and the summary counts and names
# the clusters. clusters_part_refused.geojson (by hand): HT in two parts,
# feature 0 a polygon 350 m x 500 m, feature 1 an open line (the other 350 m,
# refused), feature 2 HT's label point (refused, no part of the boundary),
# feature 3 NUA 400 m x 500 m = 200000 m². The old build stored HT as its
# half under --replace and --replace-all, and --replace-all with HT's
# boundary refused by the database left HT without any.
PR=$DATA/import/clusters_part_refused.geojson
ht_geom() { sql "$1" "SELECT hex(geom) FROM clusters WHERE code = 'HT'"; }
WS13=$(new_ws kept)
"$CCN" import "$WS13" "$C" --as clusters -q >/dev/null || exit 3
ht_before=$(ht_geom "$WS13")
[ -n "$ht_before" ] || { echo "HT has no boundary to keep" >&2; exit 3; }
run "$CCN" import "$WS13" "$PR" --as clusters --replace --skip-bad
expect_rc 0
expect_out "4 read, 1 stored, 3 refused, 1 replaced"
expect_out "1 cluster(s) keep the boundary they had, their new one refused: HT"
expect_err "refused feature 1: an open line where a polygon is needed"
expect_err "refused feature 0: cluster HT: refused with feature 1, another part of its boundary"
expect_eq "$(ht_geom "$WS13")" "$ht_before" "(HT's boundary as it was, --replace)"
expect_eq "$(sql "$WS13" "SELECT round(ST_Area(geom), 1) FROM clusters WHERE code = 'NUA'")" "200000.0"
# --replace-all: of the 5 boundaries, NUA replaced, DL3, DT and TTH cleared (4), HT kept
run "$CCN" import "$WS13" "$PR" --as clusters --replace-all --skip-bad --again
expect_rc 0
expect_out "4 read, 1 stored, 3 refused, 4 replaced"
expect_out "1 cluster(s) keep the boundary they had, their new one refused: HT"
expect_eq "$(ht_geom "$WS13")" "$ht_before" "(HT's boundary as it was, --replace-all)"
expect_eq "$(sql "$WS13" "SELECT group_concat(code, ',') FROM (SELECT code FROM clusters WHERE geom IS NOT NULL ORDER BY code) AS t")" \
    "HT,NUA" "(boundaries after --replace-all)"
"$CCN" import "$WS13" "$C" --as clusters --replace-all --again -q >/dev/null || exit 3

# A boundary drawn through a marker table is named by the cluster and the
# table's rows as a spreadsheet numbers them (ht_markers.csv: HT's markers on
# rows 2-5, the header row 1), not as "feature 0"; a marker refused (X not a
# number, row 4 = feature 3) refuses the boundary whole (the old build drew
# HT through the other three).
M=$DATA/import/ht_markers.csv
run "$CCN" import "$WS13" "$M" --as clusters --s-srs EPSG:5897
expect_rc 2
expect_err "1 of 4 features refused: the markers of cluster HT (rows 2–5): cluster HT already has a boundary (use --replace); nothing imported"
sed 's/^HT,M3,2189000.000,/HT,M3,2189OOO,/' "$M" >"$TMP/ht_bad_marker.csv"
# With --skip-bad nothing is left to import: refused whole (exit 0 before
# session 19, "0 stored").
run "$CCN" import "$WS13" "$TMP/ht_bad_marker.csv" --as clusters --s-srs EPSG:5897 --replace --skip-bad
expect_rc 2
expect_err "1 of 4 features refused: row 4: X '2189OOO' / Y '561700.000' is not a number; the markers of cluster HT (rows 2–5): cluster HT: refused with row 4, another part of its boundary; nothing imported (none is left for --skip-bad to import: fix the file)"
expect_eq "$(ht_geom "$WS13")" "$ht_before" "(HT's boundary as it was, a marker refused)"
# a decimal comma (quoted in the CSV) is refused too, with a hint
sed 's/^HT,M3,2189000.000,/HT,M3,"2189000,50",/' "$M" >"$TMP/ht_comma_marker.csv"
run "$CCN" import "$WS13" "$TMP/ht_comma_marker.csv" --as clusters --s-srs EPSG:5897 --replace --skip-bad
expect_rc 2
expect_err "row 4: X '2189000,50' / Y '561700.000' is not a number (a decimal comma? ccn reads 2189000.50)"
LANGUAGE=vi run "$CCN" import "$WS13" "$TMP/ht_comma_marker.csv" --as clusters --s-srs EPSG:5897 --replace --skip-bad --again
expect_err "X '2189000,50' / Y '561700.000' không phải là số (dấu phẩy thập phân? ccn đọc 2189000.50)"

# A part refused for its text (not valid UTF-8), found by its code all the
# same: HT keeps its boundary (the old build stored HT's other half, 175000 m²,
# and with the marker table drew HT through the other three markers). Two
# halves of HT (350 m x 500 m each, by hand) and NUA, as a UTF-8 shapefile whose
# second HT name has a byte 0xFF.
cat >"$TMP/halves.geojson" <<'JSON'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [
  {"type": "Feature", "properties": {"code": "HT", "name": "Hop Thang A"},
   "geometry": {"type": "Polygon", "coordinates": [[[561000, 2188500], [561350, 2188500], [561350, 2189000], [561000, 2189000], [561000, 2188500]]]}},
  {"type": "Feature", "properties": {"code": "HT", "name": "Hop Thang B"},
   "geometry": {"type": "Polygon", "coordinates": [[[561350, 2188500], [561700, 2188500], [561700, 2189000], [561350, 2189000], [561350, 2188500]]]}},
  {"type": "Feature", "properties": {"code": "NUA", "name": "Nua"},
   "geometry": {"type": "Polygon", "coordinates": [[[565000, 2185000], [565400, 2185000], [565400, 2185500], [565000, 2185500], [565000, 2185000]]]}}
 ]}
JSON
ogr2ogr -f "ESRI Shapefile" "$TMP/halves.shp" "$TMP/halves.geojson" -lco ENCODING=UTF-8 2>/dev/null || exit 3
perl -pi -e 's/Hop Thang B/Hop Thang \xff/' "$TMP/halves.dbf"
run "$CCN" import "$WS13" "$TMP/halves.shp" --as clusters --replace --skip-bad
expect_rc 0
expect_out "3 read, 1 stored, 2 refused, 1 replaced"
expect_out "1 cluster(s) keep the boundary they had, their new one refused: HT"
expect_err "field 'name' is not valid UTF-8 text"
expect_eq "$(ht_geom "$WS13")" "$ht_before" "(HT's boundary as it was, a part's text refused)"
sed 's/^HT,M3,/HT,M\xff3,/' "$M" >"$TMP/ht_bad_text.csv"
run "$CCN" import "$WS13" "$TMP/ht_bad_text.csv" --as clusters --s-srs EPSG:5897 --replace --skip-bad
expect_rc 2
expect_err "row 4: field 'marker' is not valid UTF-8 text; the markers of cluster HT (rows 2–5)"
expect_eq "$(ht_geom "$WS13")" "$ht_before" "(HT's boundary as it was, a marker's text refused)"

# --replace-all clears the boundary of a cluster the file does not give, but
# not when a refused feature names no known cluster (its code and name not
# UTF-8, or a code not in the registry): that feature may be the missing
# boundary. NUA (400 m x 500 m) and one such feature: NUA replaced, the other
# four keep theirs, named (the old build cleared them: 1 boundary left).
cat >"$TMP/nua_and_unknown.geojson" <<'JSON'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [
  {"type": "Feature", "properties": {"code": "QQ", "name": "Qqqq"},
   "geometry": {"type": "Polygon", "coordinates": [[[561000, 2188500], [561700, 2188500], [561700, 2189000], [561000, 2189000], [561000, 2188500]]]}},
  {"type": "Feature", "properties": {"code": "NUA", "name": "Nua"},
   "geometry": {"type": "Polygon", "coordinates": [[[565000, 2185000], [565400, 2185000], [565400, 2185500], [565000, 2185500], [565000, 2185000]]]}}
 ]}
JSON
boundaries() { sql "$1" "SELECT group_concat(code || ':' || CAST(round(ST_Area(geom)) AS integer), ',') FROM (SELECT code, geom FROM clusters WHERE geom IS NOT NULL ORDER BY code) AS t"; }
all_before=$(boundaries "$WS13")
nua_after=$(sed 's/NUA:[0-9]*/NUA:200000/' <<<"$all_before")
ogr2ogr -f "ESRI Shapefile" "$TMP/unknown.shp" "$TMP/nua_and_unknown.geojson" -lco ENCODING=UTF-8 2>/dev/null || exit 3
cp "$TMP/unknown.dbf" "$TMP/unknown_code.dbf"
perl -pi -e 's/QQ/\xff\xfe/; s/Qqqq/\xff\xfe\xfd\xfc/' "$TMP/unknown.dbf"
run "$CCN" import "$WS13" "$TMP/unknown.shp" --as clusters --replace-all --skip-bad --again
expect_rc 0
expect_out "2 read, 1 stored, 1 refused, 1 replaced"
expect_out "4 cluster(s) the file does not give keep the boundary they had, not cleared by --replace-all, as a refused feature names no known cluster and may be theirs: DL3, DT, HT, TTH"
expect_eq "$(boundaries "$WS13")" "$nua_after" "(--replace-all, a feature of no known cluster refused: none cleared)"
cp "$TMP/unknown_code.dbf" "$TMP/unknown.dbf" # code QQ, UTF-8: not in the registry
run env LANGUAGE=vi "$CCN" import "$WS13" "$TMP/unknown.shp" --as clusters --replace-all --skip-bad --again
expect_rc 0
expect_err "cụm 'QQ' không có trong danh mục"
expect_out "4 cụm không có trong tệp vẫn giữ ranh giới đã có"
expect_eq "$(boundaries "$WS13")" "$nua_after" "(--replace-all, a cluster not in the registry refused: none cleared)"

# The database refusing HT's new boundary: kept under --replace-all, from a
# file and from a marker table.
frozen_sql | admin_sql "$WS13" || exit 3
run "$CCN" import "$WS13" "$C" --as clusters --replace-all --skip-bad --again
expect_rc 0
expect_out "5 read, 4 stored, 1 refused, 4 replaced"
expect_out "1 cluster(s) keep the boundary they had, their new one refused: HT"
expect_eq "$(ht_geom "$WS13")" "$ht_before" "(HT's boundary as it was, refused by the database)"
run "$CCN" import "$WS13" "$M" --as clusters --s-srs EPSG:5897 --replace --skip-bad
expect_rc 2
expect_err "1 of 4 features refused: the markers of cluster HT (rows 2–5): cluster HT: its boundary cannot be stored: the boundary of HT is frozen; nothing imported (none is left for --skip-bad"
expect_eq "$(ht_geom "$WS13")" "$ht_before" "(HT's boundary as it was, from markers)"
run env LANGUAGE=vi "$CCN" import "$WS13" "$M" --as clusters --s-srs EPSG:5897 --replace --skip-bad --again
expect_rc 2
expect_err "1 trên 4 đối tượng bị từ chối: các mốc của cụm HT (dòng 2–5): cụm HT: không lưu được ranh giới: the boundary of HT is frozen; không nhập gì (không còn đối tượng nào để --skip-bad nhập: hãy sửa tệp)"
run env LANGUAGE=vi "$CCN" import "$WS13" "$M" --as clusters --s-srs EPSG:5897 --again
expect_rc 2
expect_err "các mốc của cụm HT (dòng 2–5): cụm HT đã có ranh giới (dùng --replace)"

# --- 7. a refused feature is not counted normalised ----------------------------------
# normalise_refused.geojson (by hand): parcel 900/1 repeats one vertex, 900/2
# two, 900/3 none. 900/2 refused by the database: normalised 1 feature, 1
# repeated vertex removed (the old build said 2 and 3).
N=$DATA/import/normalise_refused.geojson
# dispute_sql WHEN RAISE SHEET NO: a trigger refusing parcel NO of sheet SHEET
# (WHEN: BEFORE or AFTER; RAISE: SQLite's ABORT or FAIL), noting it in disputes
dispute_sql() {
    if [ "$BACKEND" = pg ]; then
        cat <<EOF2
CREATE TABLE disputes (parcel_no integer);
CREATE FUNCTION disputed() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
    IF NEW.sheet = $3 AND NEW.parcel_no = $4 THEN
        INSERT INTO disputes VALUES (NEW.parcel_no);
        RAISE EXCEPTION 'parcel $3/$4 is under dispute';
    END IF;
    RETURN NEW;
END \$\$;
CREATE TRIGGER disputed $1 INSERT ON parcels FOR EACH ROW EXECUTE FUNCTION disputed();
EOF2
    else
        # RAISE(FAIL) ends the statement without undoing what it did: in an
        # AFTER trigger the row is in, and so is the trigger's own INSERT
        cat <<EOF2
CREATE TABLE disputes (parcel_no integer);
CREATE TRIGGER disputed $1 INSERT ON parcels WHEN NEW.sheet = $3 AND NEW.parcel_no = $4
BEGIN INSERT INTO disputes VALUES (NEW.parcel_no); SELECT RAISE($2, 'parcel $3/$4 is under dispute'); END;
EOF2
    fi
}
WS8=$(new_ws normal)
dispute_sql BEFORE ABORT 900 2 | admin_sql "$WS8" || exit 3
run "$CCN" import "$WS8" "$N" --as parcels --skip-bad
expect_rc 0
expect_out "3 read, 2 stored, 1 refused"
expect_out "normalised 1 feature(s): 1 repeated vertices removed, 0 ring(s) closed"
expect_eq "$(sql "$WS8" "SELECT features_normalised || '/' || repeats_removed FROM imports")" "1/1"
# again, without --replace: 900/1 and 900/3 are stored already, 900/2 refused: nothing normalised stored
run "$CCN" import "$WS8" "$N" --as parcels --skip-bad --again
expect_rc 0
expect_out "3 read, 0 stored, 3 refused"
grep -qF "normalised" <<<"$out" && bad "stdout says features were normalised" || ok
expect_eq "$(sql "$WS8" "SELECT features_normalised || '/' || repeats_removed FROM imports ORDER BY fid DESC LIMIT 1")" "0/0"

# --- 8. a row refused after it went in: not left stored ----------------------------
# An AFTER INSERT trigger refusing 900/2 (SQLite: RAISE(FAIL), which keeps
# what the statement did; the old build left the row and the trigger's
# disputes row stored while counting it refused). Row by row (3 features)
# and in bulk (the shapefile, parcels 50/134 as in section 1).
WS9=$(new_ws after)
dispute_sql AFTER FAIL 900 2 | admin_sql "$WS9" || exit 3
run "$CCN" import "$WS9" "$N" --as parcels --skip-bad
expect_rc 0
expect_out "3 read, 2 stored, 1 refused"
expect_err "refused feature 1: cannot be stored: parcel 900/2 is under dispute"
expect_eq "$(sql "$WS9" "SELECT group_concat(parcel_no, ',') FROM (SELECT parcel_no FROM parcels ORDER BY parcel_no) AS t")" \
    "1,3" "(parcels stored, row by row)"
expect_eq "$(sql "$WS9" "SELECT count(*) FROM disputes")" "0" "(the refusing trigger's own writes)"
if [ "$BACKEND" = pg ]; then
    admin_sql "$WS9" <<'EOF2' || exit 3
CREATE OR REPLACE FUNCTION disputed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sheet = 50 AND NEW.parcel_no = 134 THEN
        RAISE EXCEPTION 'parcel 50/134 is under dispute';
    END IF;
    RETURN NEW;
END $$;
EOF2
else
    admin_sql "$WS9" <<'EOF2' || exit 3
CREATE TRIGGER disputed_50 AFTER INSERT ON parcels WHEN NEW.sheet = 50 AND NEW.parcel_no = 134
BEGIN SELECT RAISE(FAIL, 'parcel 50/134 is under dispute'); END;
EOF2
fi
run "$CCN" import "$WS9" "$P" --as parcels --encoding TCVN3 --skip-bad
expect_rc 0
expect_out "$total read, $((total - 2)) stored, 2 refused"
expect_eq "$(sql "$WS9" "SELECT count(*) FROM parcels WHERE sheet = 50")" \
    "$(($(ogrinfo -q -dialect SQLite -sql "SELECT count(*) AS n FROM parcels WHERE SHBANDO = 50" "$P" |
        sed -n 's/^ *n (Integer) = //p') - 2))" "(sheet 50 stored in bulk, by ogrinfo less the 2)"
expect_eq "$(sql "$WS9" "SELECT count(*) FROM parcels")" "$((total - 2 + 2))" "(parcels: the file's less 2, and 900/1, 900/3)"

# --- 9. PostgreSQL: SQLSTATE XX000 is the row's only when PostGIS raised it ----------
# PostGIS raises its geometry errors as XX000 (internal_error) from
# lwgeom_pg.c; any other XX000 is the server's own trouble, not the row's:
# the import fails whole (the old build refused the row and went on).
if [ "$BACKEND" = pg ]; then
    WS10=$(new_ws xx000)
    admin_sql "$WS10" <<'EOF2' || exit 3
CREATE FUNCTION bad_ring() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parcel_no = 2 THEN
        PERFORM ST_GeomFromText('POLYGON((0 0, 1 0, 1 1))');
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER bad_ring BEFORE INSERT ON parcels FOR EACH ROW EXECUTE FUNCTION bad_ring();
EOF2
    run "$CCN" import "$WS10" "$N" --as parcels --skip-bad
    expect_rc 0
    expect_err "refused feature 1: cannot be stored: geometry requires more points"
    expect_eq "$(sql "$WS10" "SELECT count(*) FROM parcels")" "2"
    WS11=$(new_ws xx000_server)
    admin_sql "$WS11" <<'EOF2' || exit 3
CREATE FUNCTION server_trouble() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parcel_no = 2 THEN
        RAISE EXCEPTION 'could not read block 7' USING ERRCODE = 'XX000';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER server_trouble BEFORE INSERT ON parcels FOR EACH ROW EXECUTE FUNCTION server_trouble();
EOF2
    run "$CCN" import "$WS11" "$N" --as parcels --skip-bad
    expect_rc 3
    expect_err "could not read block 7"
    expect_eq "$(sql "$WS11" "SELECT count(*) FROM parcels")" "0" "(parcels after an internal error)"
    expect_eq "$(sql "$WS11" "SELECT count(*) FROM imports")" "0"
fi

# --- 10. what is said at the end counts the features stored, not those refused -------
# said_refused.geojson (by hand): sheet 901, parcel 1 a polygon with a point
# beside it and 0 as its area on record, 2 a polygon with a line and 0, 3 a
# polygon and 0, 4 a polygon and 400 m². 901/1 refused by the database: 1
# feature held points or lines (the first: feature 1), 2 parcels give 0 (the
# first: feature 1); the old build said 2 and 3, the first feature 0 each.
S=$DATA/import/said_refused.geojson
WS12=$(new_ws said)
dispute_sql BEFORE ABORT 901 1 | admin_sql "$WS12" || exit 3
run "$CCN" import "$WS12" "$S" --as parcels --skip-bad
expect_rc 0
expect_out "4 read, 3 stored, 1 refused"
expect_err "refused feature 0: cannot be stored: parcel 901/1 is under dispute"
expect_err "1 feature(s) held points or lines beside their polygons (the first: feature 1)"
expect_err "2 parcel(s) give 0 as their area on record (the first: feature 1)"
expect_eq "$(sql "$WS12" "SELECT count(*) FROM parcels WHERE area_legal IS NULL")" "2" "(stored without an area on record)"
# again, without --replace: 901/2-4 are stored already and 901/1 refused: none
# stored, nothing to say of them (the old build said 2 and 3 again)
run "$CCN" import "$WS12" "$S" --as parcels --skip-bad --again
expect_rc 0
expect_out "4 read, 0 stored, 4 refused"
expect_err_not "points or lines"
expect_err_not "area on record"

# Features of other formats keep their number alone.
run "$CCN" import "$WS" "$P" --as parcels --encoding TCVN3 --skip-bad --again --replace
expect_err "refused feature $d1: cannot be stored"
expect_err_not "handle"
finish
