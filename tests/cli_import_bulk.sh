#!/usr/bin/env bash
# A bulk load (more than 5,000 features): the R*Tree is packed in one pass
# (src/store_rtree.c) and SpatiaLite's per-row triggers are dropped during the
# load and restored after. Judged against SpatiaLite itself: its own index
# rebuild (CreateSpatialIndex) of the same rows must hold the same boxes, its
# own window query the same rows, and SQLite's rtreecheck() must pass.
source "$(dirname "$0")/lib.sh"
[ -n "$CCN_GEN" ] || { echo "no ccn-gen given"; exit 1; }

# first_parcels OUT N SHIFT: the first N parcels, their sheets renumbered
# by SHIFT so that their keys are new to the workspace.
first_parcels() {
    run ogr2ogr -f GPKG "$1" "$TMP/d/parcels.gpkg" -nln parcels -sql "SELECT geom, MaXa,
        SoHieuToBanDo + $3 AS SoHieuToBanDo, SoThuTuThua, DienTich, KyHieuMucDichSuDung, TenChu
        FROM parcels LIMIT $2"
    expect_rc 0
}

run "$CCN_GEN" district "$TMP/d" --parcels 12000 --seed 7
expect_rc 0
ws=$(new_ws)
triggers_before=$(sqlite3 "$ws" "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'parcels' ORDER BY name")
indexes="SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'parcels' ORDER BY name"
indexes_before=$(sqlite3 "$ws" "$indexes")
run "$CCN" import "$ws" "$TMP/d/parcels.gpkg" --as parcels
expect_rc 0; expect_out "12000 read, 12000 stored, 0 refused"
n=$(sqlite3 "$ws" "SELECT count(*) FROM parcels")
expect_eq "$n" "12000"
# SQLite's own consistency check of an R*Tree (node boxes, parents, rowids);
# 12,000 boxes in nodes of 51 make a tree of depth 2.
expect_eq "$(sqlite3 "$ws" "SELECT rtreecheck('idx_parcels_geom')")" "ok"
expect_eq "$(sqlite3 "$ws" "SELECT substr(hex(data), 1, 4) FROM idx_parcels_geom_node WHERE nodeno = 1")" "0002"
# The same triggers, word for word, as before the load.
expect_eq "$(sqlite3 "$ws" "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'parcels' ORDER BY name")" "$triggers_before"
# The key index, set aside during a load into an empty table and built
# after it, is back word for word, and SQLite finds every row in it.
expect_eq "$(sqlite3 "$ws" "$indexes")" "$indexes_before"
[ "$(grep -c parcels_ <<<"$indexes_before")" = 1 ] && ok || bad "the key index: $indexes_before"
expect_eq "$(sqlite3 "$ws" "PRAGMA integrity_check")" "ok"
# The load ran with a rollback journal (nobody else had the workspace open)
# and left it in WAL, as every command does, with no journal behind.
expect_eq "$(sqlite3 "$ws" "PRAGMA journal_mode")" "wal"
[ ! -e "$ws-journal" ] && ok || bad "a bulk load left its journal"
# The load is recorded as an insert (SpatiaLite's tmi trigger did it per row).
expect_eq "$(sqlite3 "$ws" "SELECT last_insert > '2000' FROM geometry_columns_time WHERE f_table_name = 'parcels'")" "1"
# SpatiaLite's own rebuild of the index on a copy: every row's box equal.
cp "$ws" "$TMP/ref.sqlite"
sql "$TMP/ref.sqlite" "SELECT DisableSpatialIndex('parcels', 'geom'); DROP TABLE idx_parcels_geom; SELECT CreateSpatialIndex('parcels', 'geom')" >/dev/null
expect_eq "$(sqlite3 "$ws" "ATTACH '$TMP/ref.sqlite' AS ref;
    SELECT count(*) FROM idx_parcels_geom a JOIN ref.idx_parcels_geom b USING (pkid)
    WHERE a.xmin = b.xmin AND a.xmax = b.xmax AND a.ymin = b.ymin AND a.ymax = b.ymax")" "$n"
# The layer statistics QGIS reads (row count, extent), which a load into an
# empty table writes from the boxes it noted: those of SpatiaLite's index.
stats="SELECT row_count, extent_min_x, extent_min_y, extent_max_x, extent_max_y
    FROM geometry_columns_statistics WHERE f_table_name = 'parcels'"
from_index="SELECT count(*), min(xmin), min(ymin), max(xmax), max(ymax) FROM idx_parcels_geom"
expect_eq "$(sqlite3 "$ws" "$stats")" "$(sqlite3 "$TMP/ref.sqlite" "$from_index")"
# A window query through each index finds the same parcels.
read -r x0 y0 x1 y1 <<<"$(sql "$ws" "SELECT (MbrMinX(e) * 3 + MbrMaxX(e)) / 4, (MbrMinY(e) * 3 + MbrMaxY(e)) / 4,
    (MbrMinX(e) + MbrMaxX(e)) / 2, (MbrMinY(e) + MbrMaxY(e)) / 2 FROM (SELECT Extent(geom) AS e FROM parcels)" | tr '|' ' ')"
window="xmin <= $x1 AND xmax >= $x0 AND ymin <= $y1 AND ymax >= $y0"
mine=$(sqlite3 "$ws" "SELECT count(*), sum(pkid) FROM idx_parcels_geom WHERE $window")
expect_eq "$mine" "$(sqlite3 "$TMP/ref.sqlite" "SELECT count(*), sum(pkid) FROM idx_parcels_geom WHERE $window")"
[ "${mine%%|*}" -gt 100 ] && ok || bad "the window holds only ${mine%%|*} parcels"
# The restored triggers work: a small import after it goes row by row into the index.
first_parcels "$TMP/few.gpkg" 40 9000
run "$CCN" import "$ws" "$TMP/few.gpkg" --as parcels
expect_rc 0; expect_out "40 read, 40 stored, 0 refused"
expect_eq "$(sqlite3 "$ws" "SELECT (SELECT count(*) FROM idx_parcels_geom) = (SELECT count(*) FROM parcels) AND count(*) = 12040 FROM parcels")" "1"
expect_eq "$(sqlite3 "$ws" "SELECT rtreecheck('idx_parcels_geom')")" "ok"
# ... and so does the type check the load did itself: a point is refused.
run sql "$ws" "INSERT INTO parcels (commune, sheet, parcel_no, geom) VALUES ('X', 1, 1, MakePoint(580000, 2190000, 5897))"
expect_eq "$(sqlite3 "$ws" "SELECT count(*) FROM parcels WHERE commune = 'X'")" "0"
# A bulk load appended to rows already there: the new rows' boxes are the ones
# noted as they went in, the old rows' are read back; SpatiaLite's own rebuild
# of the whole index on a copy must agree box for box.
first_parcels "$TMP/more.gpkg" 6000 8000
run "$CCN" import "$ws" "$TMP/more.gpkg" --as parcels
expect_rc 0; expect_out "6000 read, 6000 stored, 0 refused"
expect_eq "$(sqlite3 "$ws" "SELECT rtreecheck('idx_parcels_geom')")" "ok"
cp "$ws" "$TMP/ref2.sqlite"
sql "$TMP/ref2.sqlite" "SELECT DisableSpatialIndex('parcels', 'geom'); DROP TABLE idx_parcels_geom; SELECT CreateSpatialIndex('parcels', 'geom')" >/dev/null
expect_eq "$(sqlite3 "$ws" "ATTACH '$TMP/ref2.sqlite' AS ref;
    SELECT count(*) FROM idx_parcels_geom a JOIN ref.idx_parcels_geom b USING (pkid)
    WHERE a.xmin = b.xmin AND a.xmax = b.xmax AND a.ymin = b.ymin AND a.ymax = b.ymax")" "18040"
expect_eq "$(sqlite3 "$ws" "SELECT count(*) FROM idx_parcels_geom")" "18040"
expect_eq "$(sqlite3 "$ws" "$indexes")" "$indexes_before"
expect_eq "$(sqlite3 "$ws" "PRAGMA integrity_check")" "ok"
expect_eq "$(sqlite3 "$ws" "$stats")" "$(sqlite3 "$TMP/ref2.sqlite" "$from_index")"
# A second bulk load replacing the first leaves one consistent index.
run "$CCN" import "$ws" "$TMP/d/parcels.gpkg" --as parcels --replace-all --again
expect_rc 0; expect_out "12000 stored"
expect_eq "$(sqlite3 "$ws" "SELECT (SELECT count(*) FROM idx_parcels_geom) = (SELECT count(*) FROM parcels)")" "1"
expect_eq "$(sqlite3 "$ws" "SELECT rtreecheck('idx_parcels_geom')")" "ok"
expect_eq "$(sqlite3 "$ws" "$stats")" "$(sqlite3 "$ws" "$from_index")"
expect_eq "$(sqlite3 "$ws" "SELECT row_count FROM geometry_columns_statistics WHERE f_table_name = 'parcels'")" "12000"
# A load into an empty table stopped at its 6,000th feature (it lands 3,000 km
# away), while GDAL's thread reads ahead: nothing stored, the indexes set
# aside during the load are there as before (the transaction's rollback
# brings them back), and the reading thread is stopped and joined.
run ogr2ogr -f GPKG "$TMP/bad.gpkg" "$TMP/d/parcels.gpkg" -nln parcels -dialect SQLite -sql "SELECT
    CASE WHEN fid = 6000 THEN ST_Translate(geom, 3000000, 0, 0) ELSE geom END AS geom, MaXa,
    SoHieuToBanDo, SoThuTuThua, DienTich, KyHieuMucDichSuDung, TenChu FROM parcels"
expect_rc 0
ws2=$(new_ws)
run "$CCN" import "$ws2" "$TMP/bad.gpkg" --as parcels
expect_rc 2; expect_err "lands outside"
expect_eq "$(sqlite3 "$ws2" "SELECT count(*) FROM parcels")" "0"
expect_eq "$(sqlite3 "$ws2" "$indexes")" "$indexes_before"
expect_eq "$(sqlite3 "$ws2" "PRAGMA integrity_check")" "ok"
# A bulk load killed after its pages went to the file (the same parcels with
# a vertex every metre: more pages than its 16 MB cache holds). Its rollback
# journal is hot: the next opening truncates the file back and the workspace
# is as it was, byte for byte in what it holds; the next command makes it WAL.
run ogr2ogr -f GPKG "$TMP/dense.gpkg" "$TMP/d/parcels.gpkg" -nln parcels -dialect SQLite -sql "SELECT
    ST_Segmentize(geom, 1) AS geom, MaXa, SoHieuToBanDo, SoThuTuThua, DienTich, KyHieuMucDichSuDung,
    TenChu FROM parcels"
expect_rc 0
ws3=$(new_ws)
size_before=$(stat -c %s "$ws3")
dump_before=$(sqlite3 "$ws3" .dump | md5sum)
CCN_TEST_KILL_AT=11900 "$CCN" import "$ws3" "$TMP/dense.gpkg" --as parcels -q >/dev/null 2>&1
expect_eq "$?" "137" "(the dense load was not killed)"
[ -s "$ws3-journal" ] && [ "$(stat -c %s "$ws3")" -gt "$size_before" ] && ok ||
    bad "the killed load wrote no pages to the file: nothing to roll back"
expect_eq "$(sqlite3 "$ws3" .dump | md5sum)" "$dump_before"
expect_eq "$(stat -c %s "$ws3")" "$size_before"
expect_eq "$(sqlite3 "$ws3" "PRAGMA integrity_check")" "ok"
run "$CCN" import "$ws3" "$TMP/d/parcels.gpkg" --as parcels -q
expect_rc 0
expect_eq "$(sqlite3 "$ws3" "PRAGMA journal_mode; SELECT count(*) FROM parcels")" "wal
12000"
# Another connection holding the workspace open (QGIS, say): SQLite keeps WAL
# and the load is an ordinary transaction; the other connection reads it all.
run python3 - "$CCN" "$ws3" "$TMP/dense.gpkg" <<'PY'
import sqlite3, subprocess, sys
ccn, ws, layer = sys.argv[1:]
db = sqlite3.connect(ws, isolation_level=None)
db.execute("SELECT count(*) FROM parcels").fetchone()
r = subprocess.run([ccn, "import", ws, layer, "--as", "parcels", "--replace-all", "-q"])
print(r.returncode, db.execute("PRAGMA journal_mode").fetchone()[0],
      db.execute("SELECT count(*) FROM parcels").fetchone()[0])
PY
expect_rc 0; expect_out "0 wal 12000"
[ ! -e "$ws3-journal" ] && ok || bad "a journal beside a WAL workspace"
finish
