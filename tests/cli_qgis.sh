#!/usr/bin/env bash
# QGIS opens what ccn writes, checked with QGIS itself (python3-qgis 3.22,
# offscreen): the styles in the workspace's layer_styles, the lots_status
# view against `ccn occupancy --by lot`, the project of `ccn qgis` (layers,
# CRS, styles, bookmarks, print layouts exported to PDF) and the one
# `ccn report` writes; bad input.
source "$(dirname "$0")/lib.sh"
source "$TESTS_DIR/export_fixture.sh"
PY=/usr/bin/python3
CHECK=$TESTS_DIR/qgis_check.py
PALETTE=$ROOT/gis/palette.csv
ws=$(export_ws qgis)
# Leases around today (the view is as of today): CN-06 runs until 2099 (leased),
# CN-04 starts in 2099 (vacant). With the fixture's (export_fixture.sh) leases,
# on any day from 2026 on: leased CN-01, CN-05, CN-06; vacant CN-02 (ended
# 2025-12-31), CN-03 (ended 2023-12-31), CN-04 and NUA's two lots.
"$CCN" lease "$ws" add --cluster HT --lot CN-06 --tenant "Công ty A" --from 2020-01-01 --to 2099-01-01 >/dev/null
"$CCN" lease "$ws" add --cluster HT --lot CN-04 --tenant "Công ty B" --from 2099-01-01 >/dev/null

# --- the workspace: styles and view, as QGIS reads them -----------------------------
if [ "$BACKEND" = pg ]; then
    # QGIS's postgres provider reads default styles from the layer_styles on
    # its search path (public), by database and schema.
    expect_eq "$(sql "$ws" "SELECT count(*) FROM public.layer_styles WHERE styleName = 'ccn' AND useAsDefault
        AND f_geometry_column = 'geom' AND f_table_catalog = current_database() AND f_table_schema = '$(ws_schema "$ws")'")" 8
    own_schema="f_table_schema IS NULL"
    view_registered="SELECT 'fid/lots' FROM geometry_columns WHERE f_table_schema = '$(ws_schema "$ws")' AND f_table_name = 'lots_status'"
else
    own_schema="f_table_schema IS NULL"
    view_registered="SELECT view_rowid || '/' || f_table_name FROM views_geometry_columns WHERE view_name = 'lots_status'"
fi
expect_eq "$(sql "$ws" "SELECT count(*) FROM layer_styles WHERE styleName = 'ccn' AND useAsDefault AND f_geometry_column = 'geom' AND $own_schema")" 8
expect_eq "$(sql "$ws" "SELECT group_concat(f_table_name) FROM (SELECT f_table_name FROM layer_styles ORDER BY 1) AS t")" \
    "clusters,communes,findings,lots,lots_status,markers,parcels,plan"
expect_eq "$(sql "$ws" "$view_registered")" "fid/lots"
expect_eq "$(sql "$ws" "SELECT group_concat(lot_no) FROM (SELECT lot_no FROM lots_status WHERE status = 'leased' ORDER BY lot_no) AS t")" "CN-01,CN-05,CN-06"
expect_eq "$(sql "$ws" "SELECT count(*) FROM lots_status WHERE status = 'vacant'")" 5
expect_eq "$(sql "$ws" "SELECT tenant || '|' || lease_start || '|' || lease_end || '|' || cluster_name FROM lots_status WHERE lot_no = 'CN-06'")" \
    "Công ty A|2020-01-01|2099-01-01|Hợp Thắng"
# The view's status is `ccn occupancy --by lot`'s, lot by lot.
run "$CCN" occupancy "$ws" --by lot --format csv
expect_rc 0
occ=$(awk -F, 'NR > 1 { print $1 "/" $2 "=" ($5 == "" ? "other" : $5 == "true" ? "leased" : "vacant") }' <<<"$out" | sort)
view=$(sql "$ws" "SELECT cluster || '/' || lot_no || '=' || status FROM lots_status" | sort)
expect_eq "$view" "$occ" "(view vs occupancy --by lot)"
# A plan import refreshes the plan's categories (the codes present).
expect_eq "$(sql "$ws" "SELECT styleQML LIKE '%value=\"SKN\"%' FROM layer_styles WHERE f_table_name = 'plan'")" 1

if ! "$PY" -c "import qgis.core" 2>/dev/null; then
    echo "FAIL: python3-qgis is missing (scripts/setup.sh installs it)" >&2
    exit 1
fi
run "$PY" "$CHECK" workspace "$ws" "$PALETTE"
[ "$rc" = 0 ] && ok || bad "QGIS on the bare workspace: $(grep FAIL <<<"$out")"
expect_out "ok lots_status: category 'leased'"

# --- ccn qgis ----------------------------------------------------------------------
mkdir -p "$TMP/proj"
run "$CCN" qgis "$ws" "$TMP/proj/du_an.qgz" --as-of 2024-07-01
expect_rc 0
expect_eq "$(unzip -Z1 "$TMP/proj/du_an.qgz")" "du_an.qgs"
unzip -p "$TMP/proj/du_an.qgz" du_an.qgs >"$TMP/du_an.qgs"
xmllint --noout "$TMP/du_an.qgs" 2>/dev/null && ok || bad "du_an.qgs is not well-formed XML"
if [ "$BACKEND" = pg ]; then # the schema on its server, through QGIS's postgres provider
    expect_out "8 layers of schema $(ws_schema "$ws") of dbname='ccn' host='$CCN_PG_SOCKET' port='$CCN_PG_PORT' user='ccn', 2 bookmarks, 3 print layouts (as of 2024-07-01)"
    expect_eq "$(grep -o 'providerKey="postgres"' "$TMP/du_an.qgs" | wc -l)" 8 "(layers through the postgres provider)"
    grep -q "password" "$TMP/du_an.qgs" && bad "a password in the project" || ok
else
    expect_out "8 layers of ../qgis.sqlite, 2 bookmarks, 3 print layouts (as of 2024-07-01)"
    grep -q "dbname=&apos;../qgis.sqlite&apos;" "$TMP/du_an.qgs" && ok || bad "the workspace is not named relative to the project"
    grep -q "$TMP" "$TMP/du_an.qgs" && bad "an absolute path in the project" || ok
fi
# The layouts' occupancy is on --as-of: on 2024-07-01 HT has CN-01, CN-02, CN-05
# (export_fixture.sh) and CN-06 leased: 4 × 84,000 m² of 504,000 m² = 66.667 %.
grep -q "66,7 %" "$TMP/du_an.qgs" && ok || bad "HT's occupancy on 2024-07-01 is not 66,7 %"
run "$PY" "$CHECK" project "$TMP/proj/du_an.qgz" "$ws" "$PALETTE" "$TMP/proj" "HT:Hợp Thắng,NUA:Nưa"
[ "$rc" = 0 ] && ok || bad "QGIS on the project: $(grep FAIL <<<"$out")"
expect_out "status leased=3 other=3 vacant=5"
expect_out "ok layout HT — Hợp Thắng exports to PDF"
# Moved together, the project still finds the workspace file.
if [ "$BACKEND" = sqlite ]; then
    mkdir -p "$TMP/moved/proj" && cp "$TMP/proj/du_an.qgz" "$TMP/moved/proj/" && cp "$ws" "$TMP/moved/"
    run "$PY" "$CHECK" project "$TMP/moved/proj/du_an.qgz" "$TMP/moved/qgis.sqlite" "$PALETTE" "$TMP/moved/proj" "HT:Hợp Thắng,NUA:Nưa"
    [ "$rc" = 0 ] && ok || bad "QGIS on the moved project: $(grep FAIL <<<"$out")"
fi
# .qgs is written as it is.
run "$CCN" qgis "$ws" "$TMP/du_an2.qgs" -q
expect_rc 0
head -c 200 "$TMP/du_an2.qgs" | grep -q "<!DOCTYPE qgis" && ok || bad ".qgs is not a plain project"
# Run again, it replaces the project it wrote, and says so; a project saved
# from QGIS since (its layouts edited, as the README invites), or another
# file of that name, is not written over (the build before replaced both
# without a word, the layouts' edits lost).
run "$CCN" qgis "$ws" "$TMP/proj/du_an.qgz" --as-of 2024-07-01
expect_rc 0
expect_out "(as of 2024-07-01); the project ccn wrote there is replaced"
QT_QPA_PLATFORM=offscreen run "$PY" -c 'import sys
from qgis.core import QgsApplication, QgsProject
app = QgsApplication([], False); app.initQgis()
p = QgsProject.instance()
assert p.read(sys.argv[1]), "read"
p.setTitle(p.title() + " (bản sửa)")
assert p.write(), "write"
print("saved")' "$TMP/proj/du_an.qgz"
expect_out "saved"
echo "ghi chú" >"$TMP/notes.qgs"
for target in "$TMP/proj/du_an.qgz" "$TMP/notes.qgs"; do
    before=$(sha256sum <"$target")
    run "$CCN" qgis "$ws" "$target" --as-of 2024-07-01
    expect_rc 2
    expect_err "'$target' is not a project ccn wrote, or was changed since (saved from QGIS?)"
    expect_eq "$(sha256sum <"$target")" "$before" "($target after the refused project)"
done
unzip -p "$TMP/proj/du_an.qgz" | grep -q "(bản sửa)" && ok || bad "the title saved from QGIS is gone"

# --- GeoPackage exports carry the same styles ---------------------------------------
for layer in lots plan clusters findings; do
    run "$CCN" export "$ws" "$TMP/$layer.gpkg" --layer "$layer" -q
    expect_rc 0
    expect_eq "$(sqlite3 "$TMP/$layer.gpkg" "SELECT f_table_name || '/' || styleName || '/' || useAsDefault FROM layer_styles")" "$layer/ccn/1"
    run "$PY" "$CHECK" gpkg "$TMP/$layer.gpkg" "$layer" "$PALETTE"
    [ "$rc" = 0 ] && ok || bad "QGIS on $layer.gpkg: $(grep FAIL <<<"$out")"
done
run ogrinfo -ro -q "$TMP/lots.gpkg"
expect_out "lots"
expect_out "layer_styles"

# --- bad input ---------------------------------------------------------------------
run "$CCN" qgis "$ws" "$TMP/du_an.txt"
expect_rc 2
expect_err "ends in .qgz or .qgs"
run "$CCN" qgis "$ws" "$TMP/nowhere/du_an.qgz"
expect_rc 2
expect_err "cannot write"
[ ! -e "$TMP/nowhere" ] && ok || bad "a refused project left something behind"
run "$CCN" qgis "$TMP/none.sqlite" "$TMP/x.qgz"
expect_rc 2
expect_err "does not exist"
run "$CCN" qgis "$ws"
expect_rc 2
run "$CCN" qgis "$ws" "$TMP/x.qgz" --as-of 2024-13-01
expect_rc 2
expect_err "not a date"
ls "$TMP"/x.qgz* 2>/dev/null && bad "a temporary file left behind" || ok
finish
