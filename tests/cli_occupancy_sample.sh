#!/bin/bash
# cli_occupancy_sample — the bundled layers' lease history 2021–2026 tells the
# story of layers/README.md on 2025-12-31: DL3 86.7 % (target 80 met), HT
# 62.5 % (missed), NUA 14.5 % (30 missed), DT 39.4 % (met), TN 9.3 % (missed).
# Each figure is checked against SpatiaLite's own SQL on the same workspace
# (ST_Area of the lot, ST_MakeValid for the bow-tie HT CN-10), not against ccn.
source "$(dirname "$0")/lib.sh"
L=$ROOT/layers
WS=$(new_ws)
"$CCN" import "$WS" "$L/clusters.gpkg" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$L/tho_ngoc.dxf" --as clusters --s-srs EPSG:5897 -q >/dev/null || exit 3
"$CCN" import "$WS" "$L/lots.gpkg" --as lots -q >/dev/null || exit 3

run "$CCN" lease "$WS" import "$L/leases.csv"
expect_rc 0
expect_out "92 leases imported"

# SpatiaLite: leasable and leased industrial lot area of a cluster on a day.
area="ST_Area(CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom) END)"
spatialite_pct() {
    sql "$WS" "SELECT printf('%.4f', 100.0 * sum(CASE WHEN EXISTS (SELECT 1 FROM leases e
        WHERE e.cluster = l.cluster AND e.lot_no = l.lot_no AND e.start_date <= '$2'
        AND coalesce(e.end_date, '9999-12-31') > '$2') THEN $area ELSE 0 END) / sum($area))
        FROM lots l WHERE use = 'industrial' AND cluster = '$1'"
}

run "$CCN" occupancy "$WS" --as-of 2025-12-31 --format csv
expect_rc 0
expect_err "HT/CN-10" # the bow-tie is measured by its repair, and we are told
for c in DL3 HT NUA DT TN; do
    expect_eq "$(csv_field "$out" "$c," occupancy_pct)" "$(spatialite_pct $c 2025-12-31)" "$c"
done
# The README's rounded story, and the targets.
expect_near "$(csv_field "$out" DL3, occupancy_pct)" 86.7 0.05
expect_near "$(csv_field "$out" HT, occupancy_pct)" 62.5 0.05
expect_near "$(csv_field "$out" NUA, occupancy_pct)" 14.5 0.05
expect_near "$(csv_field "$out" DT, occupancy_pct)" 39.4 0.05
expect_near "$(csv_field "$out" TN, occupancy_pct)" 9.3 0.05
expect_eq "$(cut -d, -f1,8 <<<"$out" | tail -n +2 | tr '\n' ' ')" \
    "DL3,true HT,false NUA,false DT,true TN,false TTH, "
# HT CN-10 counts with its MakeValid area (README: 9 949.795 m²), unleased.
run "$CCN" occupancy "$WS" --by lot --cluster HT --as-of 2025-12-31 --format csv
expect_out "HT,CN-10,industrial,9949.795,false,,,"

# The series agrees with SpatiaLite at a few quarter ends.
run "$CCN" occupancy "$WS" --series quarter --format csv
expect_eq "$(($(wc -l <<<"$out") - 1))" 144
for q in 2021-12-31 2023-06-30 2024-09-30 2026-12-31; do
    for c in DL3 HT NUA; do
        expect_eq "$(grep "^$q,$c," <<<"$out" | cut -d, -f4)" "$(spatialite_pct $c $q)" "$c $q"
    done
done

# Decree 32/2024 on 2025-12-31: DL3 may be expanded (86.7 % >= 60, 70 ha);
# the existing clusters average (86.6814 + 62.4638) / 2 = 74.5726 % > 50.
run "$CCN" occupancy "$WS" --decree --as-of 2025-12-31 --format csv
expect_rc 0
expect_out "expansion,DL3,may be expanded,both figures above,,,,true"
expect_out "new_cluster,,average occupancy of the existing clusters,lease register,74.5726,%,> 50,true"
expect_eq "$(grep -c '^services,.*,true,' <<<"$out")" 5

# The district against the plan: 1 of 2 existing and 1 of 3 new clusters met.
run "$CCN" occupancy "$WS" --district --format csv
expect_rc 0
expect_out "existing clusters,2,896145.462,649352.774,246792.688,72.4606,80.0000,1,false,2025-12-31"
expect_out "new clusters,3,1041158.126,261224.232,779933.894,25.0898,30.0000,1,false,2025-12-31"
expect_eq "$(csv_field "$out" "district," leasable_m2)" \
    "$(sql "$WS" "SELECT printf('%.3f', sum($area)) FROM lots WHERE use = 'industrial'")"
finish
