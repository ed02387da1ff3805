#!/usr/bin/env bash
# cli_cluster_scope — a command asked about one cluster (--cluster) speaks
# only of what it computes: no warning about another cluster's invalid
# boundary, lots or plan zones. Two clusters, in EPSG:5897:
#   HT   valid, [561400,561800] x [2189000,2189300]; lot CN-01 100 x 50 =
#        5000 m², industrial, leased from 2024-01-01; a plan zone SKN over all
#        of it; one parcel 100 x 50 inside it
#   NUA  a bow-tie (562000,2189000) (562200,2189200) (562200,2189000)
#        (562000,2189200); lot CN-01 30 x 30, lot CN-02 a bow-tie; a bow-tie
#        plan zone and a parcel over it
# Before, every one of these --cluster HT questions warned about NUA's
# boundary (occupancy, export, map: three times each) or its plan zone
# (overlay --by parcel).
source "$(dirname "$0")/lib.sh"
crs='"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}}'
fc() { echo "{\"type\": \"FeatureCollection\", $crs, \"features\": [$1]}"; }
feat() { echo "{\"type\": \"Feature\", \"properties\": $1, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[$2]]}}"; }
box() { echo "[$1, $2], [$3, $2], [$3, $4], [$1, $4], [$1, $2]"; }
bowtie() { echo "[$1, $2], [$3, $4], [$3, $2], [$1, $4], [$1, $2]"; }
fc "$(feat '{"code": "HT"}' "$(box 561400 2189000 561800 2189300)"),
    $(feat '{"code": "NUA"}' "$(bowtie 562000 2189000 562200 2189200)")" >"$TMP/clusters.geojson"
fc "$(feat '{"cluster": "HT", "lot_no": "CN-01", "use": "industrial"}' "$(box 561410 2189010 561510 2189060)"),
    $(feat '{"cluster": "NUA", "lot_no": "CN-01", "use": "industrial"}' "$(box 562010 2189010 562040 2189040)"),
    $(feat '{"cluster": "NUA", "lot_no": "CN-02", "use": "industrial"}' "$(bowtie 562100 2189100 562150 2189150)")" \
    >"$TMP/lots.geojson"
fc "$(feat '{"landuse": "SKN"}' "$(box 561400 2189000 561800 2189300)"),
    $(feat '{"landuse": "SKN"}' "$(bowtie 562000 2189000 562200 2189200)")" >"$TMP/plan.geojson"
fc "$(feat '{"MaXa": "15682", "SoHieuToBanDo": 1, "SoThuTuThua": 1, "KyHieuMucDichSuDung": "LUC"}' "$(box 561410 2189010 561510 2189060)"),
    $(feat '{"MaXa": "15682", "SoHieuToBanDo": 1, "SoThuTuThua": 2, "KyHieuMucDichSuDung": "LUC"}' "$(box 562050 2189050 562150 2189150)")" \
    >"$TMP/parcels.geojson"
printf 'cluster,lot_no,tenant,start_date,end_date,note\nHT,CN-01,Công ty A,2024-01-01,,\nNUA,CN-01,Công ty B,2024-01-01,,\n' \
    >"$TMP/leases.csv"
ws=$(new_ws scope)
for l in clusters lots plan parcels; do
    run "$CCN" import "$ws" "$TMP/$l.geojson" --as $l -q
    expect_rc 0
done
run "$CCN" lease "$ws" import "$TMP/leases.csv"
expect_rc 0

# Asked about HT: HT's figures (5000 m² leased of 5000: 100 %), not a word on stderr.
quiet_about_nua() {
    expect_rc 0
    expect_eq "$err" "" "stderr of: $*"
}
run "$CCN" occupancy "$ws" --cluster HT --as-of 2025-06-30 --format csv
quiet_about_nua occupancy
expect_out "HT,Hợp Thắng,existing,80.0000,5000.000,5000.000,100.0000,true"
run "$CCN" occupancy "$ws" --cluster HT --by lot --as-of 2025-06-30 --format csv
quiet_about_nua occupancy --by lot
run "$CCN" occupancy "$ws" --cluster HT --series quarter --from 2024-Q1 --to 2024-Q2 --format csv
quiet_about_nua occupancy --series
run "$CCN" export "$ws" "$TMP/ht_lots.geojson" --layer lots --cluster HT -q
quiet_about_nua export lots
run "$CCN" export "$ws" "$TMP/ht.geojson" --layer clusters --cluster HT -q
quiet_about_nua export clusters
run "$CCN" map "$ws" --cluster HT -o "$TMP/ht.png" -q
expect_rc 0
expect_eq "$(grep -c warning <<<"$err")" 0 "map warnings: $err"
run "$CCN" overlay "$ws" --cluster HT --format csv
quiet_about_nua overlay
expect_out "HT,SKN,120000.000,100.0000"
run "$CCN" overlay "$ws" --cluster HT --by parcel --format csv
quiet_about_nua overlay --by parcel
expect_out "1,15682,1,1,LUC,SKN,5000.000"
run "$CCN" parcels "$ws" --cluster HT --format csv
quiet_about_nua parcels

# The code as a person types it (" ht "): every command reads it
# as occupancy and lease do, the same rows as --cluster HT. The old build refused
# it in overlay, parcels, export and map ("unknown cluster 'ht'").
for cmd in "overlay" "overlay --by parcel" "parcels" "occupancy --as-of 2025-06-30"; do
    run "$CCN" $cmd "$ws" --cluster HT --format csv
    want=$out
    run "$CCN" $cmd "$ws" --cluster " ht " --format csv
    expect_rc 0
    expect_eq "$out" "$want" "($cmd --cluster ' ht ')"
done
run "$CCN" export "$ws" - --layer parcels --cluster ht -q
expect_rc 0
expect_eq "$(grep -c '"type":"Feature"' <<<"$out")" 1 "(export --cluster ht)"
run "$CCN" map "$ws" --cluster ht -o "$TMP/ht2.png"
expect_rc 0
expect_out "HT map"
run "$CCN" overlay "$ws" --cluster HTX
expect_rc 2
expect_err "unknown cluster 'HTX'"

# Asked about NUA: its boundary and its bow-tie lot are named, once each.
nua_boundary="the boundary of NUA is invalid: its area is that of its MakeValid repair"
nua_lot="1 lots have invalid geometry (first: NUA/CN-02)"
run "$CCN" occupancy "$ws" --cluster NUA --as-of 2025-06-30 --format csv
expect_rc 0
expect_err "$nua_boundary"
expect_err "$nua_lot"
expect_eq "$(grep -c warning <<<"$err")" 2 "occupancy --cluster NUA warnings: $err"
run "$CCN" export "$ws" "$TMP/nua.geojson" --layer clusters --cluster NUA -q
expect_rc 0
expect_err "$nua_boundary"
run "$CCN" overlay "$ws" --cluster NUA --by parcel --format csv
expect_rc 0
expect_err "1 plan zone(s) with invalid geometry, repaired (MakeValid) for computing: fid 2"
expect_err "cluster NUA: boundary is not valid geometry; repaired (MakeValid) for computing"
# Each said once: the parcels the cluster takes and the run used to repeat it.
expect_eq "$(grep -c . <<<"$err")" 2 "overlay --by parcel --cluster NUA: $err"
# Asked about every cluster: the same warnings as before.
run "$CCN" occupancy "$ws" --as-of 2025-06-30 --format csv
expect_rc 0
expect_err "$nua_boundary"
expect_err "$nua_lot"
finish
