#!/usr/bin/env bash
# ccn overlay --by parcel against SpatiaLite's own SQL on generated data
# (ccn-gen district, 2000 parcels, seed 2021), and the two invariants:
# a parcel's rows add up to its area (never more), a cluster's rows to the
# cluster's area (the bundled sample layers, whose clusters sit on the plan).
#
# The reference is the query of DESIGN §11, in SpatiaLite:
#   SELECT p.fid, z.landuse, SUM(ST_Area(ST_Intersection(p.geom, z.geom)))
#   FROM parcels p JOIN plan z ON ST_Intersects(p.geom, z.geom) GROUP BY 1, 2
# over the valid parcels (the invalid ones — one bow-tie at this size — are
# repaired by ccn with GEOS MakeValid, which SQL does not do by itself; they
# are checked against ST_Area(MakeValid(geom)) instead). ccn prints areas
# with 3 decimals, so a row agrees when |ccn - sql| <= max(1e-6 * sql, 0.0005):
# 1e-6 relative for every row of 500 m² or more, the printing's half-unit below.
# Noted when written (seed 2021): 2000 parcels (1 invalid), 18 zones, 2220
# rows compared, none off; the largest relative difference, 9e-7 on rows of
# 500 m² or more, is the printing's (0.0005 m² on a ≈550 m² row): unrounded,
# the figures agree to 2e-9 (tests/test_overlay.c, on the sample layers).
source "$(dirname "$0")/lib.sh"
[ -n "$CCN_GEN" ] || { echo "no ccn-gen given"; exit 1; }

run "$CCN_GEN" district "$TMP/d" --parcels 2000
expect_rc 0
ws=$(new_ws)
"$CCN" import "$ws" "$TMP/d/parcels.gpkg" --as parcels -q >/dev/null || bad "import parcels"
"$CCN" import "$ws" "$TMP/d/plan.gpkg" --as plan -q >/dev/null || bad "import plan"
run "$CCN" overlay "$ws" --by parcel -o "$TMP/ccn.csv"
expect_rc 0
expect_err "parcel(s) with invalid geometry, repaired (MakeValid)"

db() { sqlite3 -batch -noheader -cmd ".load mod_spatialite" "$ws" "$@" 2>/dev/null; }
db <<SQL
CREATE TEMP TABLE ccn_csv (parcel_id, commune, sheet, parcel_no, landuse, plan_code, area_m2);
.import --csv --skip 1 $TMP/ccn.csv ccn_csv
CREATE TABLE ccn_rows AS SELECT CAST(parcel_id AS INTEGER) AS fid, plan_code AS code,
    CAST(area_m2 AS REAL) AS area FROM ccn_csv;
CREATE TABLE sql_rows AS SELECT p.fid AS fid, z.landuse AS code,
    SUM(ST_Area(ST_Intersection(p.geom, z.geom))) AS area
    FROM parcels p JOIN plan z ON ST_Intersects(p.geom, z.geom)
    WHERE ST_IsValid(p.geom) GROUP BY 1, 2;
CREATE TABLE areas AS SELECT fid, ST_IsValid(geom) AS valid,
    CASE WHEN ST_IsValid(geom) THEN ST_Area(geom) ELSE ST_Area(MakeValid(geom)) END AS area
    FROM parcels;
SQL
q() { db "$1" | tail -n 1; }

parcels=$(q "SELECT count(*) FROM areas")
invalid=$(q "SELECT count(*) FROM areas WHERE NOT valid")
compared=$(q "SELECT count(*) FROM sql_rows s JOIN ccn_rows c USING (fid, code)")
echo "parcels $parcels (invalid $invalid), rows compared $compared"
expect_eq "$parcels" "2000"
[ "$compared" -gt 1900 ] && ok || bad "only $compared rows compared"
# Every SQL row (but slivers that print as 0.000) has its ccn row, and agrees.
expect_eq "$(q "SELECT count(*) FROM sql_rows s LEFT JOIN ccn_rows c USING (fid, code)
               WHERE c.fid IS NULL AND s.area >= 0.0005")" "0" "SQL rows missing from ccn"
expect_eq "$(q "SELECT count(*) FROM sql_rows s JOIN ccn_rows c USING (fid, code)
               WHERE abs(c.area - s.area) > max(1e-6 * s.area, 0.0005)")" "0" "rows that differ"
echo "largest relative difference: $(q "SELECT printf('%.2g', max(abs(c.area - s.area) / s.area))
      FROM sql_rows s JOIN ccn_rows c USING (fid, code) WHERE s.area >= 500")"
# Every ccn row of a valid parcel with a code is an SQL row.
expect_eq "$(q "SELECT count(*) FROM ccn_rows c JOIN areas a USING (fid)
               LEFT JOIN sql_rows s USING (fid, code)
               WHERE a.valid AND c.code <> '' AND s.fid IS NULL")" "0" "ccn rows SQL lacks"
# Invariant: a parcel's rows (the uncovered part included) add up to its
# area, never more; every parcel has rows.
expect_eq "$(q "SELECT count(*) FROM areas a LEFT JOIN
               (SELECT fid, sum(area) AS total, count(*) AS n FROM ccn_rows GROUP BY fid) c USING (fid)
               WHERE c.fid IS NULL OR abs(c.total - a.area) > 0.0005 * c.n + 1e-9 * a.area")" "0" \
    "parcels whose rows do not add up to their area"
expect_eq "$(q "SELECT count(*) FROM (SELECT fid, sum(area) AS total, count(*) AS n FROM ccn_rows
               GROUP BY fid) JOIN areas a USING (fid) WHERE total > a.area + 0.0005 * n")" "0" \
    "parcels whose rows exceed their area"

# Invariant per cluster, on the bundled sample layers (clusters sit on the plan).
ws2=$(new_ws sample)
"$CCN" import "$ws2" "$ROOT/layers/clusters.gpkg" --as clusters -q >/dev/null || bad "import clusters"
"$CCN" import "$ws2" "$ROOT/layers/tho_ngoc.dxf" --as clusters --s-srs EPSG:5897 -q >/dev/null || bad "import TN"
"$CCN" import "$ws2" "$ROOT/layers/plan.geojson" --as plan -q >/dev/null || bad "import plan"
run "$CCN" overlay "$ws2" --format csv
expect_rc 0
sums=$(awk -F, 'NR > 1 { s[$1] += $3; n[$1]++ } END { for (k in s) printf "%s %.4f %d\n", k, s[k], n[k] }' <<<"$out" | sort)
expect_eq "$(wc -l <<<"$sums")" "6"
while read -r code total n; do
    want=$(sqlite3 -batch -noheader -cmd ".load mod_spatialite" "$ws2" \
        "SELECT ST_Area(geom) FROM clusters WHERE code = '$code'" 2>/dev/null)
    expect_near "$total" "$want" "$(awk -v n="$n" 'BEGIN { print 0.0005 * n }')" "cluster $code"
done <<<"$sums"
# TN is the one cluster on two codes (SQL: 500225.887 SKN, 14949.867 LUC).
expect_out "TN,SKN,500225.887,97.0981"
expect_out "TN,LUC,14949.867,2.9019"

finish
