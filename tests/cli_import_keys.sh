#!/bin/bash
# cli_import_keys — nothing doubled, nothing orphaned: the same file twice is
# refused (SHA-256 over every part of a shapefile), a feature whose key is
# stored is refused unless it replaces, --replace replaces only what the file
# covers (168 lots became 40 when one cluster's lots were replaced before),
# --replace-all the whole layer, and no replace leaves a lease without its lot.
source "$(dirname "$0")/lib.sh"
L=$DATA/lease
I=$DATA/import
WS=$(new_ws)
"$CCN" import "$WS" "$L/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
sed 's/"HT"/"NUA"/' "$L/ht_lots.geojson" >"$TMP/nua_lots.geojson"
count() { sql "$WS" "SELECT count(*) FROM lots${1:+ WHERE cluster = '$1'}"; }
orphans() {
    sql "$WS" "SELECT count(*) FROM leases l WHERE NOT EXISTS (SELECT 1 FROM lots
        WHERE cluster = l.cluster AND lot_no = l.lot_no)"
}

run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots
expect_rc 0
expect_out "5 read, 5 stored, 0 refused"
run "$CCN" import "$WS" "$TMP/nua_lots.geojson" --as lots
expect_rc 0
"$CCN" lease "$WS" import "$L/leases.csv" >/dev/null || exit 3
leases=$(sql "$WS" "SELECT count(*) FROM leases")
expect_eq "$(count)" "10"

# --- The same file twice: refused, or skipped with --if-changed ----------------
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots
expect_rc 2
expect_err "was imported into lots already"
expect_err "--again"
expect_eq "$(count)" "10" "lots after the same file twice (20 before: doubled)"
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --if-changed
expect_rc 0
expect_out "unchanged since it was imported into lots"
expect_eq "$(count)" "10"
# --again reads it, and then every lot is a key stored already
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --again
expect_rc 2
expect_err "5 of 5 features refused"
expect_err "lot HT/CN-01 is stored already"
expect_eq "$(count)" "10"
# --replace / --replace-all of the same file (or a copy under another name):
# the user asked to replace, so it replaces what the import before stored,
# the same rows after, no --again needed. The build before refused both
# (exit 2, "imported into lots already ... pass --again").
rows() { sql "$WS" "SELECT group_concat(cluster || '/' || lot_no || '/' || use || '/' || round(ST_Area(geom), 3), ';') FROM (SELECT * FROM lots ORDER BY cluster, lot_no)"; }
before_rows=$(rows)
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --replace
expect_rc 0
expect_out "5 read, 5 stored, 0 refused, 5 replaced"
expect_out "ht_lots.geojson: the same file was imported into lots on "
expect_out "what that import stored is replaced"
expect_eq "$(count HT)/$(count NUA)" "5/5"
expect_eq "$(rows)" "$before_rows" "(the same rows after)"
cp "$L/ht_lots.geojson" "$TMP/copy_of_ht.geojson"
run "$CCN" import "$WS" "$TMP/copy_of_ht.geojson" --as lots --replace
expect_rc 0
expect_out "5 stored, 0 refused, 5 replaced"
expect_out "(as '$L/ht_lots.geojson')"
expect_eq "$(rows)" "$before_rows" "(a copy under another name)"
expect_eq "$(sql "$WS" "SELECT count(*) FROM leases")" "$leases"

# --- The same lots in another file: refused by key, or skipped and counted -------
sed 's/"industrial"/"industrial" /' "$L/ht_lots.geojson" >"$TMP/ht_lots2.geojson"
run "$CCN" import "$WS" "$TMP/ht_lots2.geojson" --as lots
expect_rc 2
expect_err "lot HT/CN-02 is stored already"
run "$CCN" import "$WS" "$TMP/ht_lots2.geojson" --as lots --skip-bad
expect_rc 0
expect_out "5 read, 0 stored, 5 refused"
expect_eq "$(count)" "10"

# --- --replace: one cluster's lots, the others kept ----------------------------
run "$CCN" import "$WS" "$TMP/ht_lots2.geojson" --as lots --replace --again
expect_rc 0
expect_out "5 read, 5 stored, 0 refused, 5 replaced"
expect_eq "$(count HT)/$(count NUA)" "5/5" "HT/NUA lots after replacing HT's"
expect_eq "$(orphans)" "0" "leases without a lot"
expect_eq "$(sql "$WS" "SELECT count(*) FROM leases")" "$leases"

# A replace that drops a leased lot is refused, the leases named.

ogr2ogr -f GeoJSON "$TMP/ht_no_cn01.geojson" "$L/ht_lots.geojson" -where "lot_no <> 'CN-01'"
before=$(sha256sum "$WS")
run "$CCN" import "$WS" "$TMP/ht_no_cn01.geojson" --as lots --replace
expect_rc 2
expect_err "would leave 2 leases without their lot"
expect_err "HT/CN-01 (Công ty TNHH Minh Phát, from 2022-01-01)"
expect_err "HT/CN-01 (Công ty CP Thép Hợp Thắng, from 2024-07-01)"
expect_eq "$(sha256sum "$WS")" "$before" "workspace after a refused replace"
run "$CCN" import "$WS" "$TMP/ht_no_cn01.geojson" --as lots --replace-all
expect_rc 2
expect_err "would leave 2 leases"
# ... and so is one that writes a leased lot's number in other letters: the
# leases name 'CN-01', occupancy and lots_status find a lot's leases by its
# number as written, so 'cn-01' is another lot to them (the build before
# took it for the same, replaced, exit 0, and occupancy dropped both leases:
# "2 leases name lots that are not in the lots layer").
sed 's/"CN-01"/"cn-01"/' "$L/ht_lots.geojson" >"$TMP/ht_respelled.geojson"
for how in --replace --replace-all; do
    run "$CCN" import "$WS" "$TMP/ht_respelled.geojson" --as lots $how
    expect_rc 2
    expect_err "would leave 2 leases without their lot: HT/CN-01 (Công ty TNHH Minh Phát, from 2022-01-01)"
    expect_err "the file writes HT/CN-01 as 'cn-01')"
    expect_eq "$(sql "$WS" "SELECT count(*) FROM lots WHERE cluster = 'HT' AND lot_no = 'CN-01'")/$(orphans)" "1/0" "(after $how)"
done
run "$CCN" occupancy "$WS" --by lot --as-of 2025-01-01 --format csv
expect_out "HT,CN-01,industrial,5000.000,true,Công ty CP Thép Hợp Thắng,2024-07-01,"
# A replace that keeps a leased lot but gives it another use (a new plan
# makes CN-01 green): its leases stay and no longer count in occupancy. The
# import said nothing of it (only a later occupancy did); it says it now.
sed '/"CN-01"/{n;s/"industrial"/"green"/}' "$L/ht_lots.geojson" >"$TMP/ht_green.geojson"
run "$CCN" import "$WS" "$TMP/ht_green.geojson" --as lots --replace
expect_rc 0
expect_err "ht_green.geojson: 2 leases (1 running today) are of lots the file gives another use than industrial (first: HT/CN-01, green): occupancy does not count them"
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --replace
expect_rc 0
expect_eq "$(grep -c warning <<<"$err")" 0 "(industrial again: nothing to say)"

# --replace-all: the whole layer (NUA's lots have no lease: they may go); the
# file was imported before, and a replace needs no --again.
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --replace-all
expect_rc 0
expect_out "5 stored, 0 refused, 10 replaced"
expect_out "ht_lots.geojson: the same file was imported into lots on "
expect_eq "$(count HT)/$(count NUA)" "5/0" "HT/NUA lots after --replace-all"
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --replace --replace-all
expect_rc 2
expect_err "choose one"

# --- Clusters: --replace sets the boundaries in the file, keeps the others --------
run "$CCN" import "$WS" "$I/nua_wgs84.geojson" --as clusters
expect_rc 0
nua=$(sql "$WS" "SELECT hex(geom) FROM clusters WHERE code = 'NUA'")
run "$CCN" import "$WS" "$L/ht_boundary.geojson" --as clusters --replace --again
expect_rc 0
expect_out "1 replaced"
expect_eq "$(sql "$WS" "SELECT hex(geom) FROM clusters WHERE code = 'NUA'")" "$nua" "NUA's boundary after replacing HT's"

# --- Parcels: a shapefile's hash covers its .dbf; --replace covers (commune, sheet)
mkshp() { # mkshp NAME SQL: a parcels shapefile from the bad-areas fixture
    ogr2ogr -f "ESRI Shapefile" "$TMP/$1.shp" "$DATA/safedata/bad_areas.geojson" -dialect SQLite -sql "$2" -nln "$1"
}
mkshp p1 "SELECT MaXa, SoHieuToBanDo AS SHBANDO, SoThuTuThua AS SHTHUA, '600.5' AS DienTich, geometry FROM bad_areas WHERE SoThuTuThua IN (1, 6)"
mkdir -p "$TMP/p2"
mkshp p2/p1 "SELECT MaXa, SoHieuToBanDo AS SHBANDO, SoThuTuThua AS SHTHUA, '700.25' AS DienTich, geometry FROM bad_areas WHERE SoThuTuThua IN (1, 6)"
cmp -s "$TMP/p1.shp" "$TMP/p2/p1.shp" && ok || bad "the two .shp files differ: the test needs them equal"
run "$CCN" import "$WS" "$TMP/p1.shp" --as parcels
expect_rc 0
# the recorded hash is over .shp, .shx, .dbf, .prj, .cpg: not the .shp's own
expect_eq "$(sql "$WS" "SELECT CASE WHEN sha256 = '$(sha256sum "$TMP/p1.shp" | cut -c1-64)' THEN 1 ELSE 0 END FROM imports WHERE role = 'parcels'")" "0" "hash of the .shp alone"
run "$CCN" import "$WS" "$TMP/p2/p1.shp" --as parcels
expect_rc 2
expect_err "parcel 15940/3/1 is stored already"
run "$CCN" import "$WS" "$TMP/p2/p1.shp" --as parcels --replace
expect_rc 0
expect_out "2 replaced"
expect_eq "$(sql "$WS" "SELECT group_concat(parcel_no || ':' || area_legal, ' ') FROM parcels")" "1:700.25 6:700.25"
# another sheet is added beside it, sheet 3 untouched
mkshp p4 "SELECT MaXa, 4 AS SHBANDO, SoThuTuThua AS SHTHUA, '50' AS DienTich, geometry FROM bad_areas WHERE SoThuTuThua = 2"
run "$CCN" import "$WS" "$TMP/p4.shp" --as parcels --replace
expect_rc 0
expect_out "0 replaced"
expect_eq "$(sql "$WS" "SELECT group_concat(sheet || '/' || parcel_no, ' ') FROM parcels")" "3/1 3/6 4/2"

# --- Markers and communes: keys too --------------------------------------------
run "$CCN" import "$WS" "$I/ht_markers.csv" --as markers --s-srs EPSG:5897
expect_rc 0
cp "$I/ht_markers.csv" "$TMP/markers2.csv"
echo >>"$TMP/markers2.csv"
run "$CCN" import "$WS" "$TMP/markers2.csv" --as markers --s-srs EPSG:5897
expect_rc 2
expect_err "marker HT/M1 is stored already"
expect_eq "$(sql "$WS" "SELECT count(*) FROM markers")" "4"
# --- An import where every feature is refused (session 19) ---------------------
# With --skip-bad it stored nothing, said exit 0 and was recorded: the same
# file imported again with the right --field was then skipped as unchanged by
# --if-changed (or refused as imported already), its lots never stored; with
# --replace-all it emptied the layer (168 sample lots: "0 stored, 168
# replaced", exit 0). Now it fails (exit 2, nothing changed, nothing
# recorded); and a record of one that stored nothing (a workspace of an older
# ccn keeps one) doubles nothing.
WS=$(new_ws)
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --field cluster=lot_no --skip-bad
expect_rc 2
expect_err "5 of 5 features refused: feature 0: unknown cluster 'CN-01'; feature 1:"
expect_err "nothing imported (none is left for --skip-bad to import: fix the file)"
expect_eq "$(count)/$(sql "$WS" "SELECT count(*) FROM imports")" "0/0"
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --if-changed
expect_rc 0
expect_out "5 read, 5 stored, 0 refused"
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --field cluster=lot_no --skip-bad \
    --replace-all --again
expect_rc 2
expect_eq "$(count HT)" 5 "(the lots a --replace-all of nothing would have removed)"
sql "$WS" "UPDATE imports SET features_stored = 0, features_refused = 5" >/dev/null
sql "$WS" "DELETE FROM lots" >/dev/null
run "$CCN" import "$WS" "$L/ht_lots.geojson" --as lots --if-changed
expect_rc 0
expect_out "5 read, 5 stored, 0 refused"
expect_eq "$(count HT)" 5

# --- A commune code with other leading zeros is the registry's code ---------
# (gis/communes.csv: Hợp Thắng is 15688). A re-survey of sheet 90 whose MaXa
# reads 015688 replaces the sheet; it was another commune to the keys, and
# --replace stored the sheet a second time ("2 stored, 0 replaced").
printf 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua\n"POLYGON((561000 2188000,561020 2188000,561020 2188030,561000 2188030,561000 2188000))",%s,90,1\n"POLYGON((561020 2188000,561040 2188000,561040 2188030,561020 2188030,561020 2188000))",%s,90,2\n' \
    15688 15688 >"$TMP/s90.csv"
sed 's/,15688,/,015688,/' "$TMP/s90.csv" >"$TMP/s90b.csv"
run "$CCN" import "$WS" "$TMP/s90.csv" --as parcels --s-srs EPSG:5897
expect_rc 0
run "$CCN" import "$WS" "$TMP/s90b.csv" --as parcels --s-srs EPSG:5897 --replace
expect_rc 0
expect_out "2 read, 2 stored, 0 refused, 2 replaced"
expect_err "s90b.csv: commune codes written with other leading zeros, read as gis/communes.csv writes them: 015688 → 15688"
expect_eq "$(sql "$WS" "SELECT group_concat(commune || '/' || parcel_no, ' ') FROM (SELECT * FROM parcels WHERE sheet = 90 ORDER BY parcel_no) t")" \
    "15688/1 15688/2"

# --- The plan has no key: a zone with a stored zone's code and boundary is
# that zone stored already. The same plan again (a copy saved by another
# tool, or --again) doubled every zone, exit 0 ("4 stored"), and overlay
# counted the land twice.
E=$DATA/export
run "$CCN" import "$WS" "$E/plan.geojson" --as plan
expect_rc 0
expect_out "4 read, 4 stored, 0 refused"
sed 's/"type"/ "type"/' "$E/plan.geojson" >"$TMP/plan_copy.geojson"
for again in "" --again; do
    run "$CCN" import "$WS" "$TMP/plan_copy.geojson" --as plan $again
    expect_rc 2
    expect_err "4 of 4 features refused: feature 0: plan zone SKN is stored already, with the same boundary (see --replace)"
    expect_eq "$(sql "$WS" "SELECT count(*) FROM plan")" 4 "(plan zones after the same plan again $again)"
done
# The parcels of sheet 90 above: lookup finds them by the code as the file
# wrote it (session 19: "no parcel sheet 90, parcel 2 of commune
# 015688")
for c in 015688 15688; do
    run "$CCN" lookup "$WS" --commune $c --sheet 90 --parcel 2 --format csv
    expect_rc 0
    expect_eq "$(csv_field "$out" ',15688,90,2,' parcel_area_m2)" 600.000 "(20 m x 30 m, --commune $c)"
done
# a zone of the plan not stored yet is added beside them, with --skip-bad
# the file's stored ones left out and counted
sed 's|^ "features": \[$| "features": [ {"type": "Feature", "properties": {"landuse": "DGT"}, "geometry": {"type": "Polygon", "coordinates": [[[561000, 2188900], [561800, 2188900], [561800, 2189000], [561000, 2189000], [561000, 2188900]]]}},|' \
    "$E/plan.geojson" >"$TMP/plan_more.geojson"
run "$CCN" import "$WS" "$TMP/plan_more.geojson" --as plan --skip-bad
expect_rc 0
expect_out "5 read, 1 stored, 4 refused"
expect_eq "$(sql "$WS" "SELECT count(*) FROM plan")" 5
run "$CCN" import "$WS" "$E/plan.geojson" --as plan --replace
expect_rc 0
expect_out "4 stored, 0 refused, 5 replaced"

# --- A lot number given twice in one file: both stored, as drawn, and said
# (occupancy counts a lease of the number on each; the import said nothing).
sed 's/"CN-03"/"CN-02"/' "$TMP/nua_lots.geojson" >"$TMP/nua_twice.geojson"
run "$CCN" import "$WS" "$TMP/nua_twice.geojson" --as lots --replace
expect_rc 0
expect_out "5 read, 5 stored, 0 refused"
expect_err "nua_twice.geojson: 1 lot number (cluster/lot) given by more than one feature, all stored as drawn: NUA/CN-02 (features 1, 2); a lease"
expect_eq "$(sql "$WS" "SELECT count(*) FROM lots WHERE cluster = 'NUA' AND lot_no = 'CN-02'")" 2
finish
